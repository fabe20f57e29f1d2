"""The corpus overview (analysis.overview): sizes, sentence lengths and suspected noise."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import PARTY_METADATA, PARTY_TEXTS, toy

from analysis.corpus import load_corpus
from analysis.overview import summary, suspected_noise
from analysis.text.process import process

# --------------------------------------------------------------------------- overview, noise


def test_summary_by_document_and_section(make_corpus):
    p = toy(make_corpus, "Head line\nThe cat saw the cat. A dog!\n",
            **{"sections.csv": "file,section,voice,first,last\nt.txt,h,paper,1,1\n"
                               "t.txt,b,writer,2,\n"})
    docs = summary(p)
    assert docs[["paragraphs", "sentences", "words", "types"]].values.tolist() == [[2, 3, 9, 7]]
    assert docs.loc[0, "ttr"] == pytest.approx(7 / 9, abs=1e-4)
    sections = summary(p, by="section")
    assert sections[["section", "voice", "sentences", "words", "types"]].values.tolist() == [
        ["h", "paper", 1, 2, 2], ["b", "writer", 2, 7, 5]]


def test_seed_sizes(seeds):
    table = summary(seeds).set_index("doc")
    assert table.loc["songtao-article", "paragraphs"] == 19
    assert table.loc["award-report", "paragraphs"] == 7  # "Leave a Reply" removed
    assert table["words"].gt(1000).all()


def test_suspected_noise_finds_what_was_not_corrected(make_corpus):
    p = toy(make_corpus, "We met SaraKhan and the the minister.\nThe changingworld order "
                         "came.Then rain.\nShare this\n")
    found = suspected_noise(p)
    kinds = dict(zip(found["text"], found["kind"], strict=False))
    assert kinds["SaraKhan"] == "camel-case word"
    assert kinds["the the"] == "repeated word"
    assert kinds["came.Then"] == "punctuation without space"
    assert kinds["Share this"] == "boilerplate line"
    changing = found[found["text"] == "changingworld"].iloc[0]
    assert (changing["kind"], changing["suggestion"]) == ("run-together words", "changing world")


def test_seed_noise_after_cleaning_is_empty(seeds):
    assert isinstance(suspected_noise(seeds), pd.DataFrame)
    assert suspected_noise(seeds).empty


@pytest.fixture
def processed(make_corpus):
    """The toy corpus of the units tests (conftest's PARTY_TEXTS): four documents, a party."""
    return process(load_corpus(make_corpus({**PARTY_TEXTS, "metadata.csv": PARTY_METADATA})))


def test_summary_by_a_variable(processed):
    table = summary(processed, by="party")
    assert table[["party", "documents", "sentences", "words", "types"]].values.tolist() == [
        ["blue", 1, 2, 5, 3], ["green", 1, 2, 5, 5], ["red", 2, 3, 9, 4]]
    one = summary(processed, by="corpus")
    assert one[["documents", "words"]].values.tolist() == [[4, 19]]
    docs = summary(processed)
    assert list(docs.columns[:5]) == ["doc", "title", "party", "date", "rating"]


def test_broken_encodings_kept_are_listed_as_noise_with_their_repair(make_corpus):
    # "Itâ€™s" and "CafÃ©": two runs of mojibake, at offsets 2 and 14 of the cleaned text.
    folder = make_corpus({"m.txt": "Itâ€™s the CafÃ© of the town.\n"})
    kept = process(load_corpus(folder).with_cleaning(fix_encoding=False))
    noise = suspected_noise(kept)
    rows = noise[noise["kind"] == "broken encoding"]
    assert rows[["position", "text", "suggestion"]].values.tolist() == [[2, "â€™", "'"],
                                                                        [14, "Ã©", "é"]]
    repaired = suspected_noise(process(load_corpus(folder)))
    assert "broken encoding" not in set(repaired["kind"])
