"""Hostile corpora and arguments: every case one line and exit 2, nothing read from outside."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from analysis.corpus import CorpusError, load_corpus


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err


def test_a_symlink_out_of_the_folder_is_refused_and_never_read(make_corpus, tmp_path, cli):
    secret = tmp_path / "secret.txt"
    secret.write_text("The password is swordfish.\n", encoding="utf-8")
    folder = make_corpus({"a.txt": "A text.\n"})
    (folder / "leak.txt").symlink_to(secret)
    status, out, err = cli("kwic", "password", "--corpus", str(folder))
    assert (status, out) == (2, "") and one_line(err)
    assert "leak.txt: a symbolic link" in err and "swordfish" not in err
    # even when links are followed, only those that stay inside the folder
    status, out, err = cli("kwic", "password", "--corpus", str(folder),
                           "--follow-symlinks")
    assert status == 2 and "outside the corpus folder" in err and "swordfish" not in out


def test_a_symlink_inside_the_folder_is_read_only_when_asked(make_corpus):
    folder = make_corpus({"a.txt": "A text.\n"})
    (folder / "b.txt").symlink_to(folder / "a.txt")
    with pytest.raises(CorpusError, match="b.txt: a symbolic link"):
        load_corpus(folder)
    assert load_corpus(folder, follow_symlinks=True).ids == ["a", "b"]


def test_a_metadata_file_that_is_a_link_or_a_fifo_is_refused_without_waiting(make_corpus,
                                                                              tmp_path):
    folder = make_corpus({"a.txt": "A text.\n"})
    os.mkfifo(folder / "metadata.csv")
    with pytest.raises(CorpusError, match="metadata.csv: not a regular file"):
        load_corpus(folder)
    other = make_corpus({"a.txt": "A text.\n"}, name="other")
    os.mkfifo(other / "b.txt")
    with pytest.raises(CorpusError, match="b.txt: not a regular file"):
        load_corpus(other)


@pytest.mark.parametrize("metadata, sections, message", [
    ("file,id\n./a.txt,x\n", None, "file './a.txt' is not a plain file name of the folder"),
    (None, "file,section,first,last\na.txt,s,5,\n",
     "sections.csv: line 2: section 's' of a.txt covers paragraphs 5 to end, but the "
     "document has 2"),
    (None, "file,section,first,last\na.txt,s,1,9\n", "covers paragraphs 1 to 9"),
    ("file,title\na.txt,\"open\nb.txt,x\n", None, "line 2: unexpected end of data"),
])
def test_metadata_that_does_not_parse_exactly_is_one_line(make_corpus, cli, metadata,
                                                          sections, message):
    files = {"a.txt": "One.\nTwo.\n", "b.txt": "Three.\n"}
    files.update({"metadata.csv": metadata} if metadata else {})
    files.update({"sections.csv": sections} if sections else {})
    folder = make_corpus(files)
    status, out, err = cli("corpus", "--corpus", str(folder))
    assert (status, out) == (2, "") and one_line(err)
    assert message in err


def test_a_metadata_cell_longer_than_the_csv_default_limit_is_read(make_corpus):
    folder = make_corpus({"a.txt": "A.\n", "metadata.csv": "file,note\na.txt," + "x" * 140_000})
    assert len(load_corpus(folder)["a"].metadata["note"]) == 140_000


def test_terminal_escapes_are_shown_not_run_in_table_output(make_corpus, cli):
    evil = "Hello \x1b]0;pwned\x07 \x1b[2J world \x9b31m.\n"
    folder = make_corpus({"a.txt": evil, "metadata.csv": "file,title\na.txt,\x1b[31mred\n"})
    for argv in (["kwic", "world"], ["corpus"]):
        status, out, _ = cli(*argv, "--corpus", str(folder))
        assert status == 0
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
        assert "\\x1b" in out
    status, out, _ = cli("kwic", "world", "--corpus", str(folder), "--format", "csv")
    assert "\x1b]0;pwned\x07" in out  # csv and json stay exact



BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidirectional_overrides_are_shown_not_applied_in_table_output(make_corpus, cli):
    # an id and a term a terminal would show reordered ("fdp.exe" read as "exe.pdf")
    folder = make_corpus({"a.txt": f"Run invoice{BIDI}fdp.exe now.\n",
                          "metadata.csv": "file,id,title\na.txt,doc\u202eabc,t\u2067x\n"})
    for argv in (["kwic", "now"], ["corpus"], ["freq"]):
        status, out, _ = cli(*argv, "--corpus", str(folder))
        assert status == 0
        assert not re.search(f"[{BIDI}]", out), argv
        assert "\\u202e" in out or argv == ["freq"]  # terms: the marks split words
    status, out, _ = cli("kwic", "now", "--corpus", str(folder), "--format", "csv")
    assert f"invoice{BIDI}fdp" in out and "doc\u202eabc" in out  # csv stays exact


@pytest.mark.parametrize("argv, message", [
    (["kwic", "road", "--window", "100000"], "--window 100000: must be from 0 to 100"),
    (["collocates", "road", "--window", "51"], "--window 51: must be from 0 to 50"),
    (["freq", "--top", "0"], "--top 0: must be from 1 to 1,000,000"),
    (["topics", "--k", "1000"], "--k 1000: must be from 1 to 50"),
])
def test_arguments_that_set_work_have_bounds(cli, argv, message):
    status, out, err = cli(*argv)
    assert (status, out) == (2, "") and one_line(err) and message in err


def test_a_regular_expression_that_backtracks_without_end_is_stopped(make_corpus, cli,
                                                                    monkeypatch):
    from analysis import concordance

    monkeypatch.setattr(concordance, "REGEX_SECONDS", 0.5)
    folder = make_corpus({"a.txt": "word " + "a" * 40 + " end.\n"})
    status, out, err = cli("kwic", "(a|aa)+b", "--regex", "--corpus", str(folder))
    assert (status, out) == (2, "") and one_line(err)
    assert "took longer than 0.5 s" in err


def test_a_failure_inside_a_library_is_an_internal_error_with_a_log(cli, monkeypatch):
    import pandas as pd

    from analysis import overview

    def broken(*args, **kwargs):
        return pd.DataFrame({"x": [1]}).astype({"x": "datetime64[ns]"}).iloc[0, 5]

    monkeypatch.setattr(overview, "summary", broken)
    status, out, err = cli("corpus")
    assert status == 1 and one_line(err)
    assert err.startswith("internal error: IndexError") and "(details: " in err
    log = re.search(r"\(details: (.+)\)", err).group(1)
    assert "Traceback" in open(log, encoding="utf-8").read()


def test_output_to_a_full_disk_is_one_line():
    done = subprocess.run(f"{sys.executable} -m analysis freq > /dev/full", shell=True,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr == "error: cannot write the output: No space left on device\n"


def test_the_corpus_folder_is_never_written(make_corpus, cli):
    folder = make_corpus({"a.txt": "Road and road again.\n", "metadata.csv": "file,x\na.txt,1\n"})
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    for argv in (["freq"], ["kwic", "road"], ["corpus", "--by", "x"], ["topics"]):
        cli(*argv, "--corpus", str(folder))
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before


@pytest.mark.parametrize("files, argv, message", [
    ({"a.txt": "road.\n", "metadata.csv": "file,date\na.txt,0999-05-01\n"},
     ["trends", "road"], None),
    ({"a.txt": "road.\n", "metadata.csv": "file,date\na.txt,9999-12\n"},
     ["trends", "road", "--interval", "month"], None),
    ({"a.txt": "road.\n", "metadata.csv": "file,date\na.txt,２０２０\n"},
     ["corpus"], "date '２０２０' is not YYYY"),
    ({"a.txt": "road.\n"}, ["kwic", "/(?:a{10000}){10000}/"], "counted repetitions up to"),
    ({"a.txt": "road.\n"}, ["kwic", "/(?V1)road/"], "bad regular expression"),
    ({"a.txt": "road.\n"}, ["trends", *["road"] * 51], "51 terms; at most 50"),
    ({"a.txt": "One.\nTwo.\n", "sections.csv": "file,section,voice,first,last\n"
      "a.txt,s1,v,1,1\na.txt,s1,w,2,2\n"}, ["corpus"], "section 's1' of a.txt is declared twice"),
    ({"a.txt": "road.\n", "metadata.csv": "file,road\na.txt,x\n"}, ["roads", "--by", "road"],
     "the table has a column of that name"),
])
def test_edges_found_by_an_attacker_are_answered_in_one_line(make_corpus, cli, files, argv,
                                                             message):
    folder = make_corpus(files)
    status, out, err = cli(*argv, "--corpus", str(folder))
    if message is None:
        assert status == 0 and len(out.splitlines()) <= 3, err  # one or two periods, no flood
    else:
        assert status == 2 and one_line(err) and message in err


def test_a_long_where_is_refused_at_once(cli):
    start = time.perf_counter()
    status, _, err = cli("freq", "--where", "a" + " " * 200_000 + "b")
    assert status == 2 and one_line(err) and time.perf_counter() - start < 5


def test_a_symlink_loop_is_one_line(make_corpus, cli):
    folder = make_corpus({"a.txt": "A.\n"})
    (folder / "self.txt").symlink_to(folder / "self.txt")
    for extra in ([], ["--follow-symlinks"]):
        status, _, err = cli("corpus", "--corpus", str(folder), *extra)
        assert status == 2 and one_line(err) and "self.txt" in err


def test_json_output_keeps_its_precision(cli):
    status, out, _ = cli("keyness", "--target", "songtao-article", "--reference",
                         "general", "--format", "json")
    assert status == 0
    import json

    assert all(row["p_value"] > 0 for row in json.loads(out) if row["g2"] < 100)


def _break_overview(monkeypatch):
    """Make ``corpus`` fail inside a library call: an internal error."""
    from analysis import overview

    def broken(*args, **kwargs):
        raise IndexError("planted failure")

    monkeypatch.setattr(overview, "summary", broken)


def test_an_internal_error_log_is_created_exclusively_and_privately(cli, monkeypatch,
                                                                    tmp_path):
    import secrets

    from analysis import config

    _break_overview(monkeypatch)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    logs = config.CACHE_DIR / "logs"
    logs.mkdir(parents=True)
    # every name a log could take is a planted link to the victim
    with monkeypatch.context() as patch:
        patch.setattr(time, "strftime", lambda *args: "20260101-000000")
        patch.setattr(secrets, "token_hex", lambda *args: "0" * 16)
        for name in (f"error-20260101-000000-{os.getpid()}.log",
                     "error-20260101-000000-0000000000000000.log",
                     "error-0000000000000000.log"):
            (logs / name).symlink_to(victim)
        status, out, err = cli("corpus")
    assert status == 1 and one_line(err) and err.startswith("internal error: IndexError")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert "(details: " not in err  # no name left to create: no log, still one line
    status, out, err = cli("corpus")
    log = re.search(r"\(details: (.+)\)", err).group(1)
    assert os.stat(log).st_mode & 0o777 == 0o600 and not os.path.islink(log)
    status, out, again = cli("corpus")
    assert re.search(r"\(details: (.+)\)", again).group(1) != log  # a name not predictable


def test_an_internal_error_log_never_goes_through_a_linked_folder(cli, monkeypatch, tmp_path):
    from analysis import config

    _break_overview(monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    (config.CACHE_DIR / "logs").symlink_to(elsewhere)
    status, out, err = cli("corpus")
    assert status == 1 and one_line(err) and err.startswith("internal error: IndexError")
    assert list(elsewhere.iterdir()) == [] and "(details: " not in err


@pytest.mark.parametrize("depth", [984, 990, 3000])
def test_a_deeply_nested_jsonl_value_is_one_line(tmp_path, depth):
    table = tmp_path / "deep.jsonl"
    nested = "[" * depth + "]" * depth
    table.write_text('{"id": "a", "text": "Road one."}\n'
                     f'{{"id": "b", "text": "Road two.", "x": {nested}}}\n', encoding="utf-8")
    # a process of its own: how deep the stack already is decides where recursion fails
    done = subprocess.run([sys.executable, "-m", "analysis", "corpus", "--corpus", str(table)],
                          capture_output=True, text=True,
                          env={**os.environ, "ANALYSIS_CACHE_DIR": str(tmp_path / "cache")})
    status, out, err = done.returncode, done.stdout, done.stderr
    assert (status, out) == (2, "") and one_line(err), err
    assert f"{table}: line 2: nested too deeply" in err


def test_a_nested_jsonl_value_of_usual_depth_is_a_variable(tmp_path, cli):
    table = tmp_path / "nested.jsonl"
    table.write_text('{"id": "a", "text": "Road one.", "x": ' + "[" * 50 + "]" * 50 + "}\n",
                     encoding="utf-8")
    status, out, err = cli("corpus", "--corpus", str(table), "--format", "csv")
    assert status == 0 and "[" * 50 in out
