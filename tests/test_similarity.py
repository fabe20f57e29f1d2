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


# Three documents, two of them the same text (a duplicate, as news exports hold them).
DUPLICATES = {"a.txt": "Peace road peace.\n", "b.txt": "Peace road peace.\n",
              "c.txt": "Road trade.\n",
              "metadata.csv": "file,party\na.txt,red\nb.txt,blue\nc.txt,red\n"}


def _rows(out: str) -> list[list[str]]:
    import csv

    return list(csv.reader(out.splitlines()))


def test_cli_similarity_lists_pairs_most_similar_first(cli, make_corpus):
    corpus = str(make_corpus(DUPLICATES))
    status, out, err = cli("similarity", "--corpus", corpus, "--format", "csv")
    assert status == 0, err
    # idf = ln((1 + 3) / (1 + df)) + 1: peace (df 2), road (df 3) = 1, trade (df 1)
    peace, trade = math.log(4 / 3) + 1, math.log(4 / 2) + 1
    a, c = np.array([2 * peace, 1, 0]), np.array([0, 1, trade])
    cosine = round(float(a @ c / (np.linalg.norm(a) * np.linalg.norm(c))), 4)
    assert cosine == pytest.approx(0.1841, abs=1e-4)
    rows = _rows(out)
    assert rows[0] == ["doc_a", "doc_b", "similarity"]
    # the duplicate first; the two tied pairs by names
    assert [(r[0], r[1], float(r[2])) for r in rows[1:]] == [
        ("a", "b", 1.0), ("a", "c", cosine), ("b", "c", cosine)]
    status, out, _ = cli("similarity", "--corpus", corpus, "--measure", "jaccard",
                         "--top", "2", "--format", "csv")
    # {peace, road} twice; {road} of {peace, road, trade}
    assert _rows(out)[1:] == [["a", "b", "1.0"], ["a", "c", str(round(1 / 3, 4))]]
    # red = a + c {peace, road, trade}, blue = b {peace, road}: 2 of 3
    status, out, _ = cli("similarity", "--corpus", corpus, "--by", "party",
                         "--measure", "jaccard", "--format", "csv")
    assert _rows(out) == [["party_a", "party_b", "similarity"],
                          ["blue", "red", str(round(2 / 3, 4))]]


@pytest.mark.parametrize("argv, named", [
    (["--top", "0"], "--top 0"),
    (["--measure", "dice"], "--measure"),
    (["--by", "colour"], "colour"),
])
def test_cli_similarity_bad_arguments_are_one_line(capsys, make_corpus, argv, named):
    from analysis.cli import main

    try:
        status = main(["similarity", "--corpus", str(make_corpus(DUPLICATES)), *argv])
    except SystemExit as exit_:  # argparse's choices
        status = exit_.code
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and named in err and "Traceback" not in err


def test_cli_similarity_refuses_more_units_than_it_compares(cli, make_corpus, monkeypatch):
    from analysis import cli as command_line

    monkeypatch.setattr(command_line, "MAX_SIMILARITY_UNITS", 2)
    corpus = str(make_corpus(DUPLICATES))
    status, out, err = cli("similarity", "--corpus", corpus)
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "--by doc: 3 units make 3 pairs" in err
    status, out, _ = cli("similarity", "--corpus", corpus, "--by", "party", "--format", "csv")
    assert status == 0 and len(out.splitlines()) == 2


def test_similarity_of_some_units_is_their_part_of_the_full_matrix(seeds):
    # The idf stays over every unit: the values are those of the full matrix.
    from analysis.similarity import shown_matrix
    from analysis.units import largest

    shown = largest(seeds, "section", 3)
    for measure in ("cosine", "jaccard"):
        full = similarity(seeds, by="section", measure=measure)
        some = similarity(seeds, by="section", measure=measure, groups=shown)
        assert len(full) > 3 and some.shape == (3, 3)
        pd.testing.assert_frame_equal(some, shown_matrix(full, shown))


def test_representatives_of_some_groups_are_their_rows_of_the_full_table(seeds):
    from analysis.similarity import representatives

    full = representatives(seeds, by="voice")
    shown = ["award report", "Song Tao"]
    some = representatives(seeds, by="voice", groups=shown)
    assert set(full["voice"]) == {"newspaper", "Song Tao", "award report"}
    assert some["voice"].tolist() == ["Song Tao", "award report"]  # each its only document
    pd.testing.assert_frame_equal(some, full[full["voice"].isin(shown)].reset_index(drop=True))


def test_representatives_by_document_are_the_corpus_s_whatever_groups_are_shown(seeds):
    from analysis.similarity import representatives
    from analysis.units import largest

    # by document, the groups a report shows are documents; the one group is the corpus
    shown = largest(seeds, "doc", 12)
    some = representatives(seeds, by="doc", groups=shown)
    assert some[["role", "doc"]].values.tolist() == [["most typical", "songtao-article"],
                                                     ["most unusual", "award-report"]]
    pd.testing.assert_frame_equal(some, representatives(seeds, by="doc"))
