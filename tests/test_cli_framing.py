"""The ``roads`` and ``frames`` subcommands, in-process, with their exit codes."""

from __future__ import annotations

import csv
import io
import json

from analysis.cli import main


def test_roads_lists_the_four_seed_roads(capsys):
    assert main(["roads", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["ordinal"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["road"] for r in rows] == ["development", "happiness and a better life",
                                         "stability and security", "win-win progress"]
    assert rows[0]["role"] == "lead cooperation"
    assert list(rows[0])[:5] == ["doc", "ordinal", "road", "role", "sentence"]
    assert rows[3]["adversaries"] == "external powers"


def test_roads_none_for_the_award_report(capsys):
    assert main(["roads", "--doc", "award-report"]) == 0
    assert capsys.readouterr().out == "(no rows)\n"
    assert main(["roads", "--doc", "award-report", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_roads_on_another_corpus(capsys, make_corpus):
    folder = make_corpus({"g.txt": "Firstly, the plan is a road to peace, so we must talk."})
    assert main(["roads", "--corpus", str(folder), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["doc"], r["road"], r["role"]) for r in rows] == [("g", "peace", "talk")]


def test_roads_show_what_is_called_a_road_and_how(cli, make_corpus):
    folder = make_corpus({"h.txt": "The road to Lahore was closed. We will make the plan a "
                                   "road to peace. The plan, a road for growth, will help."})
    status, out, _ = cli("roads", "--corpus", str(folder), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0
    assert [(r["road"], r["topic"], r["construction"], r["role"]) for r in rows] == [
        ("peace", "the plan", "make", "make the plan a road to peace"),
        ("growth", "The plan", "apposition", "help"),
    ]


def test_frames_by_doc_and_section(capsys):
    assert main(["frames", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["doc"] for r in rows} == {"songtao-article", "award-report"}
    assert set(rows[0]) == {"doc", "frame", "sentences", "total", "share"}
    political = [r for r in rows if r["frame"] == "political"]
    assert all(r["sentences"] <= r["total"] for r in political)
    assert main(["frames", "--by", "section", "--doc", "award-report", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["section"] for r in rows} == {"headline", "ceremony", "background", "commentary"}


def test_unknown_doc_exits_2_with_one_line(capsys):
    for command in (["roads", "--doc", "nope"], ["frames", "--doc", "nope"]):
        assert main(command) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.count("\n") == 1 and "nope" in captured.err


def test_bad_by_exits_2(capsys):
    try:
        code = main(["frames", "--by", "paragraph"])
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2
    assert capsys.readouterr().err.count("\n") == 1
