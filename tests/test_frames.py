"""Frame coding (analysis.framing.frames), counted by hand on toy texts."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import toy

from analysis.framing import frames

# --------------------------------------------------------------------------- frames


# s1 economic (economy); s2 security (terror, attacks) + economic (trade); s3 uncoded
THREE_SENTENCES = "The economy grew. Terror attacks fell and trade rose. The cat sat."


def test_frame_shares_by_doc_counted_by_hand(make_corpus):
    p = toy(make_corpus, THREE_SENTENCES)
    shares = frames.frame_shares(p).set_index("frame")
    assert shares.at["economic", "sentences"] == 2
    assert shares.at["economic", "share"] == pytest.approx(0.6667)
    assert shares.at["security and defense", "sentences"] == 1
    assert shares.at["(uncoded)", "sentences"] == 1
    assert shares["total"].unique().tolist() == [3]
    others = shares.drop(index=["economic", "security and defense", "(uncoded)"])
    assert others["sentences"].sum() == 0
    # the coding computed once and passed in: same results
    coded = frames.code_frames(p)
    assert frames.frame_shares(p, coded=coded).equals(frames.frame_shares(p))


def test_code_frames_counted_by_hand(make_corpus):
    p = toy(make_corpus, THREE_SENTENCES)
    coded = frames.code_frames(p)
    assert coded[["sentence", "frame", "matches"]].values.tolist() == [
        [1, "economic", "economy"],
        [2, "economic", "trade"],
        [2, "security and defense", "terror; attacks"],
    ]


def test_uncoded_sentences_counted_by_hand(make_corpus):
    p = toy(make_corpus, THREE_SENTENCES)
    assert frames.uncoded_sentences(p)["text"].tolist() == ["The cat sat."]
    # the coding computed once and passed in: same results, and it is what is used
    coded = frames.code_frames(p)
    assert frames.uncoded_sentences(p, coded=coded)["text"].tolist() == ["The cat sat."]
    none = coded.iloc[0:0]
    assert len(frames.uncoded_sentences(p, coded=none)) == 3


# Section a (paragraph 1): economic, uncoded; section b (paragraph 2): security.
SECTIONS = "file,section,voice,first,last\nt.txt,a,x,1,1\nt.txt,b,y,2,\n"
TWO_SECTIONS = "The economy grew. The cat sat.\nTerror attacks fell.\n"


def test_frame_shares_by_section(make_corpus):
    p = toy(make_corpus, TWO_SECTIONS, **{"sections.csv": SECTIONS})
    shares = frames.frame_shares(p, by="section")
    got = shares[shares["sentences"] > 0][["section", "frame", "sentences", "share"]]
    assert got.values.tolist() == [
        ["a", "economic", 1, 0.5], ["a", "(uncoded)", 1, 0.5],
        ["b", "security and defense", 1, 1.0],
    ]


def test_frame_matrix_by_section(make_corpus):
    p = toy(make_corpus, TWO_SECTIONS, **{"sections.csv": SECTIONS})
    matrix = frames.frame_matrix(frames.frame_shares(p, by="section"))
    assert matrix.index.tolist() == ["t/a", "t/b"]
    assert matrix.columns[-1] == "(uncoded)"


def test_custom_frame_lexicon(make_corpus):
    lexicon = pd.DataFrame({"frame": ["animals"], "pattern": ["cats?|dogs?"]})
    p = toy(make_corpus, "Cats and dogs. A dog. Nothing.")
    shares = frames.frame_shares(p, lexicon=lexicon)
    assert shares[["frame", "sentences"]].values.tolist() == [["animals", 2], ["(uncoded)", 1]]


def test_every_frame_row_names_a_source():
    lexicon = frames.frame_lexicon()
    assert lexicon["source"].str.contains("Boydstun|Semetko").all()
    assert lexicon["note"].str.len().gt(0).all()
