"""The ``topics`` subcommand: rows, formats, another corpus folder, bad input."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from analysis.cli import main

SEA = "The ships sail from the harbour to the sea. Sailors load the ships. The sea is calm. "
FARM = "Farmers harvest wheat on the farm. Wheat grows on the farm. Farmers sell wheat. "



def test_topics_on_the_seeds_csv(cli):
    status, out, err = cli("topics", "--k", "3", "--format", "csv")
    assert status == 0 and err == ""
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns) == ["topic", "top_terms", "songtao-article", "award-report"]
    assert table["topic"].tolist() == [1, 2, 3]
    assert table[["songtao-article", "award-report"]].sum().round(2).tolist() == [1.0, 1.0]
    assert all(len(t.split(", ")) == 8 for t in table["top_terms"])


def test_topics_default_k_table_and_repeatable(cli):
    status, first, _ = cli("topics")
    assert status == 0
    assert first.splitlines()[0].split()[:2] == ["topic", "top_terms"]
    _, second, _ = cli("topics")
    assert first == second


def test_topics_lda_json_on_another_folder(cli, make_corpus):
    folder = make_corpus({f"d{i}.txt": (SEA if i % 2 else FARM) * 2 for i in range(1, 6)})
    status, out, err = cli("topics", "--corpus", str(folder), "--k", "2",
                           "--method", "lda", "--terms", "3", "--format", "json")
    assert status == 0, err
    records = json.loads(out)
    assert len(records) == 2
    assert set(records[0]) == {"topic", "top_terms", "d1", "d2", "d3", "d4", "d5"}
    assert all(len(r["top_terms"].split(", ")) == 3 for r in records)


@pytest.mark.parametrize("argv, message", [
    (["topics", "--k", "0"], "--k 0: must be from 1 to 50"),
    (["topics", "--window", "0"], "--window 0: must be from 1 to 50"),
    (["topics", "--k", "50"], "cannot fit 50 topics"),
])
def test_topics_bad_values_exit_2(cli, argv, message):
    status, out, err = cli(*argv)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert "Traceback" not in err


def test_topics_bad_method_and_missing_folder(capsys, tmp_path, cli):
    with pytest.raises(SystemExit) as exit_info:
        main(["topics", "--method", "lsa"])
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    status, _, err = cli("topics", "--corpus", str(tmp_path / "missing"))
    assert status == 2 and "not a folder" in err and len(err.strip().splitlines()) == 1


def test_topics_one_document(cli, make_corpus):
    big = make_corpus({"one.txt": (SEA + FARM) * 2}, name="big")
    status, out, err = cli("topics", "--corpus", str(big), "--k", "2",
                           "--format", "csv")
    assert status == 0, err
    assert out.splitlines()[0] == "topic,top_terms,one"
    small = make_corpus({"one.txt": "Ships sail. Wheat grows."}, name="small")
    status, out, err = cli("topics", "--corpus", str(small))
    assert status == 2 and out == ""
    assert "the corpus gives 1 segments of 3 sentences" in err
    assert len(err.strip().splitlines()) == 1
