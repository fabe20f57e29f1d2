"""Similarity of units, checked against hand-computed toy values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import corpus_of

from analysis.similarity import similarity, similarity_pairs


def test_similarity_by_hand(two_docs):
    # tf-idf with smoothed idf: idf = ln((1 + N) / (1 + df)) + 1, N = 2
    i1 = math.log(3 / 2) + 1  # peace, trade (df = 1); road has df = 2 -> idf = 1
    a = np.array([2 * i1, 1, 0])  # peace, road, trade
    b = np.array([0, 1, i1])
    cosine = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    table = similarity(two_docs)
    assert table.loc["a", "b"] == pytest.approx(round(cosine, 4))
    assert table.loc["a", "b"] == pytest.approx(0.1943, abs=1e-4)
    assert table.loc["a", "a"] == 1.0
    jaccard = similarity(two_docs, measure="jaccard")
    assert jaccard.loc["a", "b"] == pytest.approx(round(1 / 3, 4))  # {road} / {peace,road,trade}
    assert similarity_pairs(jaccard).values.tolist() == [["a", "b", round(1 / 3, 4)]]


def test_similarity_one_and_many_documents(make_corpus, five_docs):
    sections = "file,section,voice,first,last\none.txt,s1,x,1,1\none.txt,s2,y,2,\n"
    one = corpus_of(make_corpus, {"one.txt": "Peace road.\nRoad trade."}, name="one",
                    **{"sections.csv": sections})
    assert similarity(one).empty  # one document: nothing to compare
    by_section = similarity(one, by="section", measure="jaccard")
    assert list(by_section.index) == ["one/s1", "one/s2"]
    assert by_section.loc["one/s1", "one/s2"] == pytest.approx(round(1 / 3, 4))
    many = similarity(five_docs)
    assert many.shape == (5, 5)
    assert many.loc["d1", "d3"] == 1.0  # identical texts
    assert many.loc["d1", "d2"] < many.loc["d1", "d5"]
    # a subset of documents: idf over those only
    some = similarity(five_docs, where="doc=d3,d1,d2")
    assert list(some.index) == ["d1", "d2", "d3"] and some.loc["d3", "d1"] == 1.0
    assert similarity(five_docs, measure="jaccard", where="doc=d1,d5").equals(
        similarity(five_docs, measure="jaccard").loc[["d1", "d5"], ["d1", "d5"]])
    with pytest.raises(ValueError, match="where 'doc=d9': no document"):
        similarity(five_docs, where="doc=d9")


def test_large_matrices_are_coloured_not_annotated():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.plots import MAX_ANNOTATED_CELLS, similarity_plot

    names = [f"u{i}" for i in range(30)]  # 900 cells > MAX_ANNOTATED_CELLS
    assert 30 * 30 > MAX_ANNOTATED_CELLS >= 3 * 3
    fig, (small, large) = plt.subplots(1, 2)
    similarity_plot(small, pd.DataFrame(np.eye(3), index=names[:3], columns=names[:3]))
    similarity_plot(large, pd.DataFrame(np.eye(30), index=names, columns=names))
    assert len(small.texts) == 9 and len(large.texts) == 0
    plt.close(fig)
