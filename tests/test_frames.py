"""Frame coding (analysis.framing.frames), counted by hand on toy texts."""

from __future__ import annotations

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


def test_a_frame_dictionary_of_the_analysts(make_corpus):
    from analysis.dictionaries import Dictionary

    d = Dictionary.from_mapping({"animals": ["cat*", "dog*"]})
    p = toy(make_corpus, "Cats and dogs. A dog. Nothing.")
    shares = frames.frame_shares(p, dictionary=d)
    assert shares[["frame", "sentences"]].values.tolist() == [["animals", 2], ["(uncoded)", 1]]
    assert frames.code_frames(p, d)["matches"].tolist() == ["cats; dogs", "dog"]


def test_every_frame_entry_names_its_source():
    d = frames.case_study_frames()
    assert d.case_study and all(("Boydstun" in e.source or "Semetko" in e.source)
                                for e in d.entries)


def test_the_case_study_frames_apply_to_the_seeds_only_unless_asked(make_corpus):
    from analysis.corpus import load_corpus
    from analysis.dictionaries.builtin import builtin

    p = toy(make_corpus, THREE_SENTENCES)
    assert frames.frame_dictionary(p.corpus) is builtin("policy-frames")
    assert frames.frame_dictionary(p.corpus, "case-study") is frames.case_study_frames()
    assert frames.frame_dictionary(load_corpus()) is frames.case_study_frames()


# s1 economic (costs) + crime and punishment (crime); s2 political (politicians); s3 uncoded;
# s4 fairness (unfair) + legality (constitution). "Trade" is economic in the case study's
# frames only: the codebook's definition of frame 1 does not name it.
CODEBOOK_TEXT = ("The costs of crime rose. Politicians argued. The cat sat on trade. "
                 "An unfair constitution.")


def test_the_policy_frames_codebook_on_any_other_corpus_counted_by_hand(make_corpus, cli):
    p = toy(make_corpus, CODEBOOK_TEXT)
    d = frames.frame_dictionary(p.corpus)
    coded = frames.code_frames(p, d)
    assert coded[["sentence", "frame", "matches"]].values.tolist() == [
        [1, "economic", "costs"],
        [1, "crime and punishment", "crime"],
        [2, "political", "politicians"],
        [4, "fairness and equality", "unfair"],
        [4, "legality, constitutionality and jurisprudence", "constitution"],
    ]
    shares = frames.frame_shares(p, dictionary=d).set_index("frame")
    assert shares.at["(uncoded)", "sentences"] == 1 and shares["total"].unique().tolist() == [4]
    status, out, err = cli("frames", "--corpus", str(p.corpus.root), "--format", "csv")
    assert status == 0, err
    assert "t,crime and punishment,1,4,0.25" in out.splitlines()
    assert "t,(uncoded),1,4,0.25" in out.splitlines()


def test_every_policy_frame_entry_comes_from_its_definition():
    """Each entry's source quotes the codebook's definition (or names the frame) and holds
    the entry's word, up to an inflection or a negating prefix."""
    import os
    import re

    from analysis.dictionaries.builtin import builtin

    d = builtin("policy-frames")
    assert d.categories()[0] == "economic" and len(d.categories()) == 14
    for e in d.entries:
        assert e.source.startswith("Boydstun et al. 2014, Policy Frames Codebook, frame ")
        quoted = re.findall(r'"([^"]+)"', e.source)
        text = (quoted[0] if quoted else e.category[0]).lower()
        for word in e.words:
            for british, american in (("defence", "defense"), ("manoeuv", "maneuv")):
                word = word.rstrip("*").replace(british, american)
            forms = {word, re.sub(r"^(un|in|im|il)(?=[a-z]{4})", "", word)}
            shared = max(len(os.path.commonprefix([form, t])) - min(4, len(form) - 3)
                         for form in forms for t in re.findall(r"[a-z-]+", text))
            assert word in text or shared >= 0, (e.pattern, e.source)


def test_frames_on_the_command_line_take_a_frame_dictionary(make_corpus, tmp_path, cli):
    folder = make_corpus({"t.txt": "Cats and dogs. A dog. Nothing.\n"})
    path = tmp_path / "animals.yml"
    path.write_text("animals: [cat*, dog*]\n", encoding="utf-8")
    status, out, err = cli("frames", "--corpus", str(folder), "--dictionary", str(path),
                           "--format", "csv")
    assert status == 0, err
    assert out.splitlines()[1:] == ["t,animals,2,3,0.6667", "t,(uncoded),1,3,0.3333"]


def test_a_frame_dictionary_that_matches_nothing_codes_nothing(make_corpus, cli):
    from analysis.dictionaries import Dictionary

    p = toy(make_corpus, THREE_SENTENCES)
    d = Dictionary.from_mapping({"animals": ["zebra*"]})
    assert frames.code_frames(p, d).empty
    shares = frames.frame_shares(p, dictionary=d)
    assert shares[["frame", "sentences"]].values.tolist() == [["animals", 0], ["(uncoded)", 3]]
    assert len(frames.uncoded_sentences(p, d)) == 3
    status, out, err = cli("frames", "--corpus", str(p.corpus.root), "--dictionary",
                           "case-study", "--format", "csv")
    assert status == 0 and "economic" in out, err
