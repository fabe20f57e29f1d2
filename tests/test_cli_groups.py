"""Every subcommand with --by and --where, and corpora given as one table."""

from __future__ import annotations

import csv
import io
import json

import pytest

TEXTS = {
    "a.txt": "Road road peace. Trade grows.\n",
    "b.txt": "Road trade. Trade trade peace.\n",
    "c.txt": "Peace talks today. Road ahead.\n",
    "d.txt": "Trade road road road. CPEC is a road of development, and parties should lead.\n",
}
METADATA = ("file,party,date\n"
            "a.txt,red,2020-01-15\nb.txt,blue,2020-04\nc.txt,green,2021\nd.txt,red,2020-02-10\n")


@pytest.fixture
def corpus(make_corpus):
    return str(make_corpus({**TEXTS, "metadata.csv": METADATA}))



def records(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.parametrize("argv, column, groups", [
    (["corpus", "--by", "party"], "party", ["blue", "red"]),
    (["freq", "--by", "party", "--top", "1"], "party", ["blue", "red"]),
    (["keyness", "--by", "party", "--top", "1", "--min-count", "1"], "party", ["blue", "red"]),
    (["collocates", "road", "--by", "party", "--window", "2", "--min-count", "1"], "party",
     ["blue", "red"]),
    (["trends", "road", "--by", "party"], "party", ["blue", "red"]),
    (["frames", "--by", "party"], "party", ["blue", "red"]),
    (["topics", "--by", "party", "--k", "2", "--window", "1"], None, None),
    (["kwic", "road", "--by", "party"], "party", ["blue", "red"]),
    (["roads", "--by", "party"], "party", ["red"]),  # only d proposes a road
])
def test_every_subcommand_takes_by_and_where(cli, corpus, argv, column, groups):
    # --where keeps a (red), b (blue) and d (red), then date<2021 all three (not c, 2021).
    status, out, err = cli(*argv, "--corpus", corpus, "--where", "party=red,blue",
                           "--where", "date<2021", "--format", "csv")
    assert status == 0, err
    table = records(out)
    assert table
    if column is None:  # topics: one weight column per group
        assert list(table[0])[2:] == ["blue", "red"]
    else:
        assert sorted({row[column] for row in table}) == groups
    if "doc" in table[0]:
        assert {row["doc"] for row in table} <= {"a", "b", "d"}


def test_where_on_sentences_and_a_subset_without_documents(cli, corpus):
    status, out, _ = cli("sentences", "--corpus", corpus, "--where", "party=green",
                         "--format", "json")
    assert status == 0
    assert [(r["doc"], r["sentence"], r["text"]) for r in json.loads(out)] == [
        ("c", 1, "Peace talks today."), ("c", 2, "Road ahead.")]
    status, out, err = cli("freq", "--corpus", corpus, "--where", "party=purple")
    assert (status, out) == (2, "")
    assert err == "error: where 'party=purple': no document of the corpus matches\n"


def test_keyness_of_a_group_against_a_group(cli, corpus):
    status, out, _ = cli("keyness", "--corpus", corpus, "--target", "party=red",
                         "--reference", "party=blue", "--min-count", "1", "--format", "csv")
    assert status == 0
    rows = {r["term"]: r for r in records(out)}
    # trade: a 1 + d 1 in red; b 3 in blue.
    assert (rows["trade"]["target_count"], rows["trade"]["reference_count"]) == ("2", "3")


@pytest.mark.parametrize("argv, message", [
    (["freq", "--by", "genre"], "error: by 'genre': not a unit or document variable of this "
                                "corpus (allowed: corpus, doc, section, voice, party, date)"),
    (["freq", "--where", "genre=news"], "error: where 'genre=news': no column 'genre'"),
    (["freq", "--where", "date>=May"], "error: where 'date>=May': 'May' is not YYYY"),
    (["keyness", "--target", "party=red", "--by", "party"], "error: give either --target"),
    (["keyness", "--target", "party=purple"], "error: --target 'party=purple': no document"),
    (["trends", "road", "--interval", "week", "--where", "party=blue"],
     "error: no document is dated to the week"),
])
def test_bad_groups_and_subsets_are_one_line_exit_2(cli, corpus, argv, message):
    status, out, err = cli(*argv, "--corpus", corpus)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(message)


def test_a_table_corpus_on_the_command_line(cli, tmp_path):
    path = tmp_path / "speeches.jsonl"
    lines = [{"speaker": "KAINE", "party": "Democratic", "statement": "We will build roads."},
             {"speaker": "PENCE", "party": "Republican", "statement": "Roads and more roads."}]
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    status, out, err = cli("freq", "--corpus", str(path), "--text-column", "statement",
                           "--by", "party", "--format", "csv")
    assert status == 0, err
    assert [(r["party"], r["term"], r["count"]) for r in records(out)] == [
        ("Democratic", "build", "1"), ("Democratic", "roads", "1"),
        ("Republican", "roads", "2")]
    status, out, err = cli("freq", "--corpus", str(path))
    assert status == 2
    assert err == (f"error: {path}: line 1: no column 'text' (use --text-column; columns: "
                   "speaker, party, statement)\n")
