"""The sequences, diversity and readability subcommands on toy corpora and bad arguments."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

TEXTS = {
    # Bigrams (none across punctuation): green energy x2, energy rises, energy works,
    # clean air, air matters.
    "a.txt": "Green energy rises. Green energy works, clean air matters.\n",
    # trade routes x2, routes open, routes close; 'the' edges are hidden by default.
    "b.txt": "Trade routes open. Trade routes close the gap.\n",
    # A lone document in its group.
    "c.txt": "Peace comes now.\n",
}
METADATA = "file,party\na.txt,red\nb.txt,blue\nc.txt,green\n"


@pytest.fixture
def corpus(make_corpus):
    return str(make_corpus({**TEXTS, "metadata.csv": METADATA}))


def records(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


def test_sequences_corpus_and_by_party(cli, corpus):
    status, out, err = cli("sequences", "--corpus", corpus, "--format", "csv")
    assert status == 0 and err == ""
    rows = records(out)
    assert list(rows[0]) == ["collocation", "count", "length", "lambda", "sigma", "z", "mwe"]
    # 14 sequences in the corpus (6 in a, 6 in b with 'close the', 'the gap', 2 in c). green
    # energy: n = (2, 0, 0, 12) + 0.5: lambda = log(2.5 * 12.5 / 0.25) = log 125; trade routes
    # the same cells.
    assert [(r["collocation"], r["count"], r["lambda"]) for r in rows] == [
        ("green energy", "2", f"{math.log(125):.4f}"),
        ("trade routes", "2", f"{math.log(125):.4f}")]
    status, out, _ = cli("sequences", "--corpus", corpus, "--by", "party", "--min-count", "1",
                         "--top", "1", "--format", "json")
    assert status == 0
    data = json.loads(out)
    # Each party scored on its own: blue's 6 bigrams (routes close, close the, the gap count),
    # green's 2 (peace comes and comes now, which ends with the stop word 'now'), red's 6.
    assert [(d["party"], d["collocation"], d["count"]) for d in data] == [
        ("blue", "trade routes", 2), ("green", "peace comes", 1), ("red", "green energy", 2)]
    # green: 2 bigrams, 'peace comes' n = (1, 0, 0, 1) + 0.5: lambda = log(1.5^2 / 0.25).
    assert data[1]["lambda"] == round(math.log(9), 4)
    status, out, _ = cli("sequences", "--corpus", corpus, "--size", "3", "--min-count", "1",
                         "--stopwords", "--where", "party=blue", "--format", "csv")
    assert status == 0
    assert {r["collocation"] for r in records(out)} == {
        "trade routes open", "trade routes close", "routes close the", "close the gap"}
    assert {r["length"] for r in records(out)} == {"3"}


def test_diversity_and_readability(cli, corpus):
    status, out, err = cli("diversity", "--corpus", corpus, "--window", "3", "--format", "csv")
    assert status == 0 and err == ""
    rows = records(out)
    assert list(rows[0]) == ["doc", "words", "types", "ttr", "mattr", "mtld"]
    # a: 'green energy rises green energy works clean air matters', 9 words, 7 types; b:
    # 'trade routes open trade routes close the gap', 8 words, 6 types. No word comes back
    # within 3 words, so every window of 3 has 3 types: MATTR 1.0.
    # c: 3 words, 3 types: MATTR 1, MTLD = its length, 3.
    assert [(r["doc"], r["words"], r["types"], r["ttr"], r["mattr"]) for r in rows] == [
        ("a", "9", "7", "0.7778", "1.0"), ("b", "8", "6", "0.75", "1.0"),
        ("c", "3", "3", "1.0", "1.0")]
    assert rows[2]["mtld"] == "3.0"
    status, out, _ = cli("diversity", "--corpus", corpus, "--by", "party", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert [d["party"] for d in data] == ["blue", "green", "red"]
    assert [d["mattr"] for d in data] == [None, None, None]  # all shorter than 500 words
    status, out, err = cli("readability", "--corpus", corpus, "--by", "party", "--format", "csv")
    assert status == 0 and err == ""
    rows = records(out)
    # green (c): 3 words, 1 sentence, 3 syllables: 206.835 - 3.045 - 84.6 = 119.19;
    # 0.39 * 3 + 11.8 - 15.59 = -2.62.
    assert rows[1] == {"party": "green", "sentences": "1", "words": "3", "syllables": "3",
                       "words_per_sentence": "3.0", "syllables_per_word": "1.0",
                       "flesch": "119.19", "flesch_kincaid": "-2.62"}
    # red (a): 9 words, 2 sentences; syllables green 1, energy 3, rises 2, green 1, energy
    # 3, works 1, clean 1, air 1, matters 2 = 15: 206.835 - 4.5675 - 141 = 61.27 (2 d.);
    # 1.755 + 19.6667 - 15.59 = 5.83.
    assert (rows[2]["syllables"], rows[2]["flesch"], rows[2]["flesch_kincaid"]) == (
        "15", "61.27", "5.83")


def test_table_output(cli, corpus):
    status, out, _ = cli("readability", "--corpus", corpus)
    assert status == 0
    assert out.splitlines()[0].split() == ["doc", "sentences", "words", "syllables",
                                           "words_per_sentence", "syllables_per_word",
                                           "flesch", "flesch_kincaid"]
    assert len(out.splitlines()) == 4


@pytest.mark.parametrize("argv, message", [
    (["sequences", "--size", "4"], "argument --size: invalid choice: 4"),
    (["sequences", "--min-count", "0"], "--min-count 0: must be from 1"),
    (["sequences", "--top", "0"], "--top 0: must be from 1"),
    (["sequences", "--by", "colour"], "by 'colour': not a unit or document variable"),
    (["diversity", "--window", "0"], "--window 0: must be from 1 to 100,000"),
    (["diversity", "--threshold", "1"], "--threshold 1.0: must be between 0 and 1"),
    (["diversity", "--threshold", "nan"], "--threshold nan: must be between 0 and 1"),
    (["diversity", "--window", "x"], "argument --window: invalid int value"),
    (["readability", "--where", "party=purple"], "no document of the corpus matches"),
])
def test_bad_arguments_are_one_line_and_exit_2(cli, capsys, corpus, argv, message):
    try:
        status, out, err = cli(*argv, "--corpus", corpus)
    except SystemExit as stop:  # argparse's own checks
        status, (out, err) = stop.code, capsys.readouterr()
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_a_metadata_column_named_like_a_column_of_these_tables(cli, make_corpus):
    # 'z' and 'flesch' are columns of these tables: a variable of that name cannot be a --by
    # (its group column would be overwritten).
    folder = make_corpus({"a.txt": "Green energy rises.\n", "b.txt": "Trade routes open.\n",
                          "metadata.csv": "file,z,flesch\na.txt,1,x\nb.txt,2,y\n"}, name="clash")
    for argv in (["sequences", "--by", "z"], ["readability", "--by", "flesch"]):
        status, out, err = cli(*argv, "--corpus", str(folder))
        assert status == 2 and out == ""
        assert "the tables have a column of that name" in err
        assert len(err.strip().splitlines()) == 1
