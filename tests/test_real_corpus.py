"""A real corpus given as one table: twelve 2012 convention speeches (tests/data/README.md).

The expected numbers are counted independently of the library, by a regular expression over
the lower-cased texts, so a test fails if tokenizing, grouping or subsetting miscounts.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from analysis import units
from analysis.cli import main
from analysis.corpus import load_corpus
from analysis.frequency import frequency
from analysis.keyness import keyness, log_likelihood
from analysis.overview import summary
from analysis.text.process import process

SLICE = Path(__file__).parent / "data" / "conventions-2012-slice.csv"
WORDS = ["country", "america", "president", "jobs", "people", "thank"]


def rows() -> list[dict]:
    with SLICE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_hand(word: str, party: str | None = None, speaker: str | None = None) -> int:
    """Occurrences of a word as a whole token (not inside a hyphenated word)."""
    pattern = re.compile(rf"(?<![\w-]){word}(?![\w-])")
    return sum(len(pattern.findall(r["text"].lower())) for r in rows()
               if party in (None, r["party"]) and speaker in (None, r["speaker"]))


@pytest.fixture(scope="module")
def speeches():
    return process(load_corpus(SLICE))


def test_the_table_is_a_corpus_with_its_columns_as_variables(speeches):
    assert speeches.corpus.ids == [str(n) for n in range(1, 13)]
    table = units.variables(speeches.corpus)
    assert table.attrs["kinds"] == {"party": "text", "speaker": "text"}
    assert units.groups_of(speeches, "party")["documents"].tolist() == [6, 6]


@pytest.mark.parametrize("word", WORDS)
def test_counts_by_party_equal_a_count_by_hand(speeches, word):
    table = frequency(speeches, by="party", stopwords=True).set_index(["party", "term"])
    for party in ("democrat", "republican"):
        expected = by_hand(word, party)
        got = table["count"].get((party, word), 0)
        assert got == expected, (party, word)


def test_range_counts_the_speeches_that_use_a_word(speeches):
    table = frequency(speeches, by="party").set_index(["party", "term"])
    pattern = re.compile(r"(?<![\w-])country(?![\w-])")
    speeches_with = sum(1 for r in rows() if r["party"] == "republican"
                        and pattern.search(r["text"].lower()))
    assert table.loc[("republican", "country"), "range"] == speeches_with


def test_keyness_of_a_party_is_the_formula_on_the_summed_counts(speeches):
    sizes = summary(speeches, by="party").set_index("party")["words"]
    table = keyness(speeches, "party=republican", min_count=1).set_index("term")
    a, b = by_hand("country", "republican"), by_hand("country", "democrat")
    assert table.loc["country", ["target_count", "reference_count"]].tolist() == [a, b]
    expected = log_likelihood(a, b, sizes["republican"], sizes["democrat"])
    assert table.loc["country", "g2"] == round(float(expected), 4)


def test_a_subset_of_one_speaker_on_the_command_line(capsys):
    status = main(["freq", "--corpus", str(SLICE), "--where", "speaker=MITT ROMNEY",
                   "--stopwords", "--format", "csv"])
    out = capsys.readouterr().out
    assert status == 0
    counts = {r["term"]: int(r["count"]) for r in csv.DictReader(out.splitlines())}
    for word in WORDS:
        assert counts.get(word, 0) == by_hand(word, speaker="MITT ROMNEY"), word
