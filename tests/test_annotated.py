"""Tests of processing documents whose tokens a reader made (analysis/text/annotated.py)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import store
from analysis.corpus import load_corpus
from analysis.readers.conllu import load_conllu
from analysis.text import process as process_module
from analysis.text.process import cache_key, compute, process


def test_tokens_and_sentences_are_the_readers(toy_conllu):
    p = process(load_conllu(toy_conllu))
    # counted by hand (conftest.TOY_CONLLU): 23 tokens, 19 words, 4 sentences, 3 paragraphs
    assert len(p.tokens) == 23 and int(p.tokens["is_word"].sum()) == 19
    assert len(p.sentences) == 4 and len(p.paragraphs) == 3
    assert p.sentences["words"].tolist() == [6, 4, 6, 3]
    assert p.sentences["text"].tolist() == ["Song Tao praised the new road.",
                                            "Roads don't end.",
                                            "Pakistan builds a road to China.",
                                            "Good roads matter."]
    assert p.paragraphs["paragraph"].tolist() == [1, 1, 2]
    dawn = p.tokens[p.tokens["doc"] == "dawn-1"]
    # never re-tokenized: the scanner would make "don't" one token, here it is do + n't
    assert dawn["token"].tolist()[7:11] == ["Roads", "do", "n't", "end"]
    assert dawn["term"].tolist()[7:11] == ["roads", "do", "n't", "end"]
    assert dawn["start"].tolist()[7:11] == [31, 37, 39, 43]


def test_layers_are_integer_columns_beside_the_tokens(toy_conllu):
    layers = process(load_conllu(toy_conllu)).columns.layers
    assert layers.names == ["deprel", "ent", "ent_iob", "feats", "lemma", "upos", "xpos"]
    assert all(ids.dtype == np.int32 and len(ids) == 23 for ids in layers.ids.values())
    lemma = layers.values("lemma")
    assert int((lemma == "road").sum()) == 4
    assert layers.values("ent")[[0, 1, 12, 17]].tolist() == ["PER", "PER", "GPE", "GPE"]
    assert layers.head.tolist()[:7] == [3, 1, 0, 6, 6, 3, 3]


def test_the_layers_come_back_from_the_cache(toy_conllu):
    corpus = load_conllu(toy_conllu)
    first = process(corpus)
    process.cache_clear()
    cached = process(corpus)  # read from the cache file
    assert cached is not first
    for name in first.columns.layers.names:
        assert cached.columns.layers.values(name).tolist() == \
            first.columns.layers.values(name).tolist()
    assert cached.columns.layers.head.tolist() == first.columns.layers.head.tolist()
    path = next(process_module.config.CACHE_DIR.glob("processed-*.store"))
    arrays = store.read(path)
    assert arrays["layer.lemma.ids"].dtype == np.int32 and "layer.head" in arrays


def test_another_annotation_is_another_cache_key(toy_conllu):
    before = cache_key(load_conllu(toy_conllu))
    text = toy_conllu.read_text(encoding="utf-8")
    toy_conllu.write_text(text.replace("\tbuild\tVERB", "\tbuild\tNOUN"), encoding="utf-8")
    changed = load_conllu(toy_conllu)
    assert cache_key(changed) != before  # same raw text, another part of speech
    assert process(changed).columns.layers.values("upos")[13] == "NOUN"


def test_a_subset_keeps_its_tokens_layers(toy_conllu):
    p = process(load_conllu(toy_conllu))
    nation = p.subset(np.array([False, True]))
    assert nation.columns.layers.values("lemma").tolist()[:4] == ["Pakistan", "build", "a",
                                                                  "road"]
    assert len(nation.columns.layers.head) == 11


def test_plain_and_annotated_documents_in_one_corpus(toy_conllu):
    from dataclasses import replace

    annotated = load_conllu(toy_conllu)
    plain = load_corpus()
    both = replace(plain, documents=plain.documents + annotated.documents)
    p = compute(both)
    layers = p.columns.layers
    n_plain = int(p.columns.doc_tokens[:2].sum())
    assert set(layers.values("upos")[:n_plain].tolist()) == {""}
    assert layers.values("upos")[n_plain:].tolist()[:3] == ["PROPN", "PROPN", "VERB"]
    assert not layers.head[:n_plain].any()
    # the plain documents are tokenized and counted as ever
    alone = process(plain)
    assert p.tokens["term"].tolist()[:n_plain] == alone.tokens["term"].tolist()
    assert int(p.tokens["is_word"][:n_plain].sum()) == int(alone.tokens["is_word"].sum())


def test_phrases_are_not_joined_in_a_readers_tokens(toy_conllu):
    with pytest.raises(ValueError, match="phrases cannot be joined"):
        compute(load_conllu(toy_conllu).with_compounds([("new", "road")]))


def test_a_corpus_without_layers_has_none():
    p = process(load_corpus())
    assert not p.columns.layers and p.columns.layers.names == []
