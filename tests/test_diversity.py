"""Lexical diversity (TTR, MATTR, MTLD) against a peer's tests and hand counts.

Peer values: the ``lexicalrichness`` package 0.5.1 (MIT), ``tests/test_lexicalrichness.py``
(``test_mattr``, ``test_mtld``), on the text 'TEST text with some text numbers 42,
hyphen-here, and text punctuations.', which its tokenizer turns into the ten words below (it
drops digits and hyphens).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.corpus import load_corpus
from analysis.diversity import COLUMNS, lexical_diversity, mattr, mtld, mtld_factors
from analysis.overview import summary
from analysis.text.process import process

PEER = "test text with some text numbers hyphenhere and text punctuations".split()


def test_lexicalrichness_reference_values():
    # test_mattr: mattr(window_size=5) == 0.9, mattr(window_size=1) == 1 and the window of the
    # whole text is the TTR (8 / 10); test_mtld: mtld(threshold=0.72) == 14.000000000000004.
    assert mattr(PEER, 5) == pytest.approx(0.9, abs=1e-12)
    assert mattr(PEER, 1) == 1.0
    assert mattr(PEER, 10) == 0.8
    assert mtld(PEER, 0.72) == pytest.approx(14.0, abs=1e-9)
    # ... and a text of only unique words has the MTLD of its length (test_mtld).
    assert mtld("only unique terms in this little string".split()) == 7.0


def test_mtld_factor_counts_by_hand():
    # 'of the people by the people for the people': the TTR falls to 4/6 = 0.667 at the second
    # 'people' (one factor); 'for the people' is left at TTR 1 (a partial factor of 0).
    # Backwards: 'people the for people the' reaches 3/5 = 0.6 (one factor); 'by people the
    # of' is left at TTR 1. MTLD = mean(9 / 1, 9 / 1) = 9.
    words = "of the people by the people for the people".split()
    assert mtld_factors(words) == 1.0
    assert mtld_factors(words[::-1]) == 1.0
    assert mtld(words) == 9.0
    # 'a b a b c c d e': forwards a b a (2/3) | b c c (2/3) | d e (TTR 1): 2 factors, 8 / 2.
    # Backwards e d c c b a b (5/7 = 0.714 <= 0.72) | a: 1 factor, 8 / 1. MTLD = (4 + 8) / 2.
    words = "a b a b c c d e".split()
    assert mtld_factors(words) == 2.0
    assert mtld_factors(words[::-1]) == 1.0
    assert mtld(words) == 6.0
    # A partial factor: 'a a b c d e f b' is a a (1/2) | b c d e f b, TTR 5/6 at the end:
    # 1 + (1 - 5/6) / 0.28 factors.
    assert mtld_factors("a a b c d e f b".split()) == pytest.approx(1 + (1 / 6) / 0.28)
    # The threshold is reached at or below: in 'a b c a d' the TTR is 3/4 at the second
    # 'a', one factor with a threshold of 0.75 ('d' is left at TTR 1); with 0.72 there is no
    # factor and the whole text ends at TTR 4/5, a partial factor of 0.2 / 0.28.
    assert mtld_factors("a b c a d".split(), 0.75) == 1.0
    assert mtld_factors("a b c a d".split()) == pytest.approx(0.2 / 0.28)


def test_mattr_by_hand_and_against_its_definition():
    # 'a b a c', window 2: ab, ba, ac all 1.0; window 3: aba 2/3, bac 1 -> 5/6.
    assert mattr("a b a c".split(), 2) == 1.0
    assert mattr("a b a c".split(), 3) == pytest.approx(5 / 6)
    assert math.isnan(mattr("a b a c".split(), 5))  # shorter than the window
    assert math.isnan(mattr("a b a c".split(), 6))
    rng = np.random.default_rng(7)
    for _ in range(200):
        words = rng.integers(0, rng.integers(1, 12), rng.integers(1, 40)).astype(str)
        window = int(rng.integers(1, 15))
        windows = [len(set(words[s:s + window])) / window
                   for s in range(len(words) - window + 1)]
        expected = float(np.mean(windows)) if windows else math.nan
        got = mattr(words, window)
        assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


def test_bad_parameters():
    for call, message in ((lambda: mattr(PEER, 0), r"mattr\(\): window=0: must be from 1 to "),
                          (lambda: mtld(PEER, 1.0), "threshold=1.0: must be between 0 and 1"),
                          (lambda: mtld(PEER, 0), "threshold=0: must be between 0 and 1")):
        with pytest.raises(ValueError, match=message):
            call()
    assert math.isnan(mtld([]))


TEXTS = {
    # 8 words, 5 types (the x3, road x2).
    "a.txt": "The road and the road.\nThe end came.\n",
    # 6 words, 6 types.
    "b.txt": "Trade routes open wide new doors.\n",
    # 4 words, 2 types.
    "c.txt": "Peace peace. Peace talks.\n",
}
METADATA = "file,party\na.txt,red\nb.txt,blue\nc.txt,red\n"


@pytest.fixture
def processed(make_corpus):
    return process(load_corpus(make_corpus({**TEXTS, "metadata.csv": METADATA})))


def test_table_per_document_and_group(processed):
    table = lexical_diversity(processed, by="doc", window=4)
    assert list(table.columns) == ["doc", *COLUMNS]
    assert table["words"].tolist() == [8, 6, 4]
    assert table["types"].tolist() == [5, 6, 2]
    assert table["ttr"].tolist() == [0.625, 1.0, 0.5]
    # a: the five windows of 4 of 'the road and the road the end came' have 3, 3, 3, 3 and
    # 4 types -> 16 / 20 = 0.8.
    # b: every window has 4 types -> 1.0. c: 'peace peace peace talks' -> 2 / 4 = 0.5.
    assert table["mattr"].tolist() == [0.8, 1.0, 0.5]
    # MTLD of a: forwards the road and the road (3/5) | the end came (TTR 1): 1 factor;
    # backwards came end the road the road (4/6) | and the: 1 factor; 8 / 1 both ways.
    # b never repeats: its length, 6. c: forwards peace peace (1/2) | peace talks: 1 factor,
    # 4 / 1; backwards talks peace peace (2/3) | peace: 1 factor.
    assert table["mtld"].tolist() == [8.0, 6.0, 4.0]
    # The sizes agree with the corpus overview's.
    overview = summary(processed, by="doc")
    assert table[["words", "types", "ttr"]].values.tolist() == \
        overview[["words", "types", "ttr"]].values.tolist()
    # A group is its documents' words one after the other: red is a then c (12 words).
    red = "the road and the road the end came peace peace peace talks".split()
    groups = lexical_diversity(processed, by="party", window=4)
    assert groups["party"].tolist() == ["blue", "red"]
    assert groups.set_index("party").loc["red", "mattr"] == round(mattr(red, 4), 4)
    assert groups.set_index("party").loc["red", "mtld"] == round(mtld(red), 2)
    assert groups.set_index("party").loc["red", "types"] == 7
    # With the default window of 500 no toy text has a MATTR.
    assert lexical_diversity(processed, by="corpus")["mattr"].isna().all()
    assert lexical_diversity(processed, by="corpus", where="party=blue")["words"].tolist() == [6]


def test_section_and_voice_units(make_corpus):
    folder = make_corpus({
        "a.txt": "Road road road.\nPeace comes now.\n",
        "sections.csv": "file,section,voice,first,last,note\n"
                        "a.txt,intro,editor,1,1,\na.txt,body,writer,2,,\n",
    })
    p = process(load_corpus(folder))
    table = lexical_diversity(p, by="section", window=3)
    assert table[["section", "voice", "words", "types", "mattr"]].values.tolist() == [
        ["intro", "editor", 3, 1, round(1 / 3, 4)], ["body", "writer", 3, 3, 1.0]]
    assert lexical_diversity(p, by="voice", window=3)["voice"].tolist() == ["editor", "writer"]


def test_windows_over_a_whole_text_are_every_start(processed):
    # Every window start of a 12-word group is counted once: with a window of 12 MATTR is
    # the TTR, with 1 it is 1.
    red = lexical_diversity(processed, by="party", window=12).set_index("party").loc["red"]
    assert red["mattr"] == red["ttr"] == round(7 / 12, 4)
    assert lexical_diversity(processed, by="party", window=1)["mattr"].tolist() == [1.0, 1.0]
    assert lexical_diversity(processed, by="party", window=13)["mattr"].isna().tolist() == [
        True, True]


@pytest.mark.parametrize("threshold", [0.72, 0.5])
def test_groups_counted_together_as_each_alone(make_corpus, monkeypatch, threshold):
    # MTLD of many documents at once (a word of each per step) against mtld() of each
    # document's words alone, and against the word-by-word count of long groups (every group
    # long: LOCKSTEP_WORDS 0): documents of 0 to 300 words over a small vocabulary, so
    # factors close at many places, forwards and backwards.
    import random

    import analysis.diversity as diversity

    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(40)]
    files = {f"d{k:02d}.txt": " ".join(rng.choice(vocabulary[:rng.randint(2, 40)])
                                       for _ in range(rng.randint(0, 300))) + "\n"
             for k in range(30)}
    files["d30.txt"] = "."  # no words
    p = process(load_corpus(make_corpus(files)))
    table = lexical_diversity(p, by="doc", window=20, threshold=threshold)
    tokens = p.tokens[p.tokens["is_word"]]
    for doc, row in table.set_index("doc").iterrows():
        words = tokens.loc[tokens["doc"] == doc, "term"].tolist()
        if words:
            assert row["mtld"] == np.round(mtld(words, threshold), 2), doc
            assert row["types"] == len(set(words))
        else:
            assert math.isnan(row["mtld"])
        assert (math.isnan(row["mattr"]) and len(words) < 20) or \
            row["mattr"] == np.round(mattr(words, 20), 4)
    assert table["mtld"].notna().sum() > 25
    monkeypatch.setattr(diversity, "LOCKSTEP_WORDS", 0)
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(
        lexical_diversity(p, by="doc", window=20, threshold=threshold), table)
