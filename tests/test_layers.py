"""Word lists by annotation layer (``freq --lemma``, ``--upos``), counted by hand on the toy
CoNLL-U corpus (tests/conftest.py): 19 words (Dawn 10, The Nation 9); the lemma ``road``
4 times, twice in each outlet (``road``, ``Roads``; ``road``, ``roads``), all four the
corpus's only nouns."""

from __future__ import annotations

import pytest

from analysis.frequency import frequency
from analysis.layers import layer_codes
from analysis.readers.conllu import load_conllu
from analysis.text.process import process


@pytest.fixture
def toy(toy_conllu):
    return process(load_conllu(toy_conllu))


def test_lemma_list_counted_by_hand(toy):
    table = frequency(toy, layer="lemma", by="corpus")
    first = table.iloc[0]
    assert (first["term"], first["count"], first["range"]) == ("road", 4, 2)
    assert first["per_1000"] == round(4 / 19 * 1000, 3)
    # stop words (the, a, to, do) dropped by their term unless kept; 12 lemmas, 16 with them
    assert len(table) == 12 and "the" not in set(table["term"])
    assert len(frequency(toy, layer="lemma", stopwords=True, by="corpus")) == 16
    # the word list of terms keeps road and roads apart
    terms = frequency(toy, by="corpus")
    assert terms.set_index("term").loc[["road", "roads"], "count"].tolist() == [2, 2]


def test_upos_filter_by_outlet(toy):
    nouns = frequency(toy, layer="lemma", upos="NOUN", by="outlet")
    assert nouns[["outlet", "term", "count", "per_1000"]].values.tolist() == [
        ["Dawn", "road", 2, 200.0], ["The Nation", "road", 2, round(2 / 9 * 1000, 3)]]
    verbs = frequency(toy, layer="lemma", upos=("VERB", "AUX"), stopwords=True, by="corpus")
    assert sorted(verbs["term"]) == ["build", "do", "end", "matter", "praise"]
    # without a layer: terms of those parts of speech
    assert sorted(frequency(toy, upos="NOUN", by="corpus")["term"]) == ["road", "roads"]


def test_layer_codes_and_bad_input(toy, make_corpus):
    from analysis.corpus import load_corpus

    rows, code, names = layer_codes(toy, "lemma", ("PROPN",))
    assert names[code].tolist() == ["Song", "Tao", "Pakistan", "China"]
    with pytest.raises(ValueError, match="no lemma layer"):
        layer_codes(process(load_corpus(make_corpus({"a.txt": "Roads run."}))), "lemma")
    with pytest.raises(ValueError, match="single words"):
        frequency(toy, layer="lemma", ngram=2, by="corpus")


def test_cli_freq_lemma_and_upos(cli, toy_conllu, make_corpus):
    status, out, err = cli("freq", "--lemma", "--corpus", str(toy_conllu), "--top", "1",
                           "--format", "csv")
    assert status == 0, err
    assert out.splitlines()[1].startswith("road,4,210.526,2,")
    status, out, _ = cli("freq", "--upos", "NOUN,PROPN", "--layer", "lemma", "--corpus",
                         str(toy_conllu), "--format", "csv")
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == [
        "road", "China", "Pakistan", "Song", "Tao"]
    status, out, err = cli("freq", "--lemma", "--corpus", str(make_corpus({"a.txt": "Run."})))
    assert (status, out) == (2, "") and err.count("\n") == 1 and "no lemma layer" in err
    status, _, err = cli("freq", "--lemma", "--ngram", "2", "--corpus", str(toy_conllu))
    assert status == 2 and "--ngram" in err
