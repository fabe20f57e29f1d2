"""The document-feature matrix (analysis.dfm), counted by hand on toy corpora."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import PARTY_METADATA, PARTY_TEXTS, corpus_of

from analysis.dfm import dfm


@pytest.fixture
def party(make_corpus):
    return corpus_of(make_corpus, {**PARTY_TEXTS, "metadata.csv": PARTY_METADATA})


def cells(d) -> dict:
    """{(unit, feature): value} of the non-zero cells."""
    return {(u, f): v for u, f, v in d.frame().itertuples(index=False)}


def test_documents_by_words_counted_by_hand(party):
    d = dfm(party)
    assert d.labels == ["a", "b", "c", "d"]
    assert d.features.tolist() == ["ahead", "grows", "peace", "road", "talks", "today",
                                   "trade"]
    assert cells(d)[("a", "road")] == 2 and cells(d)[("b", "trade")] == 3
    assert cells(d)[("d", "road")] == 3 and ("d", "peace") not in cells(d)
    assert d.totals().tolist() == [5, 5, 5, 4]
    # the rows carry the document variables, typed as the corpus reads them
    assert d.rows[["doc", "party", "rating"]].values.tolist()[0] == ["a", "red", "1"]


def test_groups_sum_their_documents(party):
    d = dfm(party, by="party")
    assert sorted(d.labels) == ["blue", "green", "red"]
    red = d.labels.index("red")
    row = dict(zip(d.features, d.matrix[red].toarray().ravel().tolist(), strict=True))
    assert row["road"] == 5 and row["trade"] == 2 and row["peace"] == 1  # a + d
    assert "rating" not in d.rows.columns  # a group has no document's variables


def test_where_a_lone_document_and_the_whole_corpus(party):
    lone = dfm(party, where="party=green")
    assert lone.labels == ["c"] and lone.totals().tolist() == [5]
    whole = dfm(party, by="corpus")
    assert whole.labels == ["corpus"] and whole.totals().tolist() == [19]


def test_content_words_bigrams_and_stems(make_corpus):
    p = corpus_of(make_corpus, {"t.txt": "The roads and the road. Roads lead on in 2020."})
    assert dfm(p, content=True).features.tolist() == ["lead", "road", "roads"]
    # bigrams are adjacent words of one sentence: not "road roads" (a sentence ends
    # between them) nor "roads road" (two stop words between them)
    assert dfm(p, features="bigrams", content=True).features.tolist() == ["roads lead"]
    # road and roads share a stem, named by the more frequent form
    stemmed = dfm(p, content=True, stem=True)
    assert dict(zip(stemmed.features, stemmed.matrix.toarray()[0].tolist(), strict=True)) == {
        "lead": 1, "roads": 3}


def test_multiword_terms_and_a_dictionary_as_features(make_corpus):
    from analysis.dictionaries import Dictionary

    p = corpus_of(make_corpus, {"t.txt": "The Belt and Road grows. Roads and belts."})
    assert "belt and road" in dfm(p, features="terms").features.tolist()
    scheme = Dictionary.from_mapping({"transport": ["road*"], "none": ["zebra"]})
    d = dfm(p, features=scheme)
    # every category, in the dictionary's order, even one that matched nothing
    assert d.features.tolist() == ["transport", "none"]
    assert d.matrix.toarray().tolist() == [[2, 0]]


def test_trim_by_count_and_share(party):
    d = dfm(party)
    # docfreq: ahead 1, grows 1, peace 3, road 4, talks 1, today 1, trade 3 (of 4)
    assert d.trim(min_count=3).features.tolist() == ["peace", "road", "trade"]
    assert d.trim(min_share=0.75, max_share=0.8).features.tolist() == ["peace", "trade"]
    with pytest.raises(ValueError, match="max_share=2: must be from 0 to 1"):
        d.trim(max_share=2)


def test_trim_to_the_most_frequent_features(party):
    d = dfm(party)
    # counts: road 7, trade 5, peace 3, ahead, grows, talks and today 1 each
    assert d.trim(max_features=2).features.tolist() == ["road", "trade"]
    # of the four words counted once, the first by its string
    assert d.trim(max_features=4).features.tolist() == ["ahead", "peace", "road", "trade"]
    assert d.trim(max_features=4).matrix.toarray()[0].tolist() == [0, 1, 2, 1]
    # after the other bounds: of the words in at least 3 documents, the one counted most
    assert d.trim(min_share=0.75, max_features=1).features.tolist() == ["road"]
    assert d.trim(max_features=100).features.tolist() == d.features.tolist()
    with pytest.raises(ValueError, match="max_features=0"):
        d.trim(max_features=0)


def test_weights_against_their_definitions(party):
    d = dfm(party)
    road = d.features.tolist().index("road")
    prop = d.weighted("prop").matrix.toarray()
    assert prop[0, road] == pytest.approx(2 / 5) and prop.sum(axis=1) == pytest.approx(1)
    assert d.weighted("logcount").matrix.toarray()[3, road] == pytest.approx(1 + np.log10(3))
    # road is in all four documents: idf log10(4/4) = 0; grows in one: log10(4)
    tfidf = d.weighted("tfidf").matrix.toarray()
    assert tfidf[:, road].tolist() == [0, 0, 0, 0]
    assert tfidf[0, d.features.tolist().index("grows")] == pytest.approx(np.log10(4))
    with pytest.raises(ValueError, match="weighted already"):
        d.weighted("prop").weighted("tfidf")


def test_a_non_english_corpus_is_counted_but_not_stemmed(make_corpus):
    p = corpus_of(make_corpus, {"a.txt": "Die Regierung will die Steuern senken.\n",
                                "b.txt": "Die Opposition kritisiert den Plan.\n"})
    d = dfm(p)
    assert dict(zip(d.features, np.asarray(d.matrix.sum(axis=0)).ravel(), strict=True))[
        "die"] == 3
    with pytest.raises(ValueError, match="does not read as English"):
        dfm(p, stem=True)


def test_written_matrix_reads_back_equal_to_freq_by_doc(party, tmp_path, cli):
    import scipy.io

    from analysis.dfm import write_dfm
    from analysis.frequency import frequency

    d = dfm(party)
    write_dfm(d, tmp_path / "out")
    matrix = scipy.io.mmread(tmp_path / "out" / "matrix.mtx").toarray()
    features = (tmp_path / "out" / "features.txt").read_text(encoding="utf-8").split("\n")[:-1]
    docs = (tmp_path / "out" / "docvars.csv").read_text(encoding="utf-8").splitlines()
    assert features == d.features.tolist() and len(docs) == 1 + 4
    table = frequency(party, by="doc", stopwords=True, mwe=False)
    expected = {(r.doc, r.term): r.count for r in table.itertuples()}
    got = {(doc, f): int(matrix[i, j]) for i, doc in enumerate(d.labels)
           for j, f in enumerate(features) if matrix[i, j]}
    assert got == expected


def test_the_dfm_command_writes_three_files_and_never_over_them(make_corpus, tmp_path, cli):
    import scipy.io

    folder = make_corpus({**PARTY_TEXTS, "metadata.csv": PARTY_METADATA})
    out = tmp_path / "matrix"
    status, _, err = cli("dfm", "--corpus", str(folder), "--by", "party", "--min-count", "3",
                         "--out", str(out))
    assert status == 0, err
    assert "3 units x 3 features" in err
    assert (out / "features.txt").read_text(encoding="utf-8") == "peace\nroad\ntrade\n"
    m = scipy.io.mmread(out / "matrix.mtx").toarray()
    units = [line.split(",")[0] for line in
             (out / "docvars.csv").read_text(encoding="utf-8").splitlines()[1:]]
    assert m[units.index("red")].tolist() == [1, 5, 2]  # documents a and d
    before = (out / "matrix.mtx").read_bytes()
    for args, message in ((("--out", str(out)), "matrix.mtx exists there"),
                          (("--out", str(tmp_path / "x"), "--max-share", "3"),
                           "--max-share 3.0: must be from 0 to 1"),
                          (("--out", str(folder / "inside")), "inside the corpus folder")):
        status, _, err = cli("dfm", "--corpus", str(folder), *args)
        assert status == 2 and message in err and len(err.splitlines()) == 1, err
    assert (out / "matrix.mtx").read_bytes() == before
    assert not (folder / "inside").exists()


def test_sentences_as_units(party):
    d = dfm(party, by="sentence")
    assert d.labels == ["a/1", "a/2", "b/1", "b/2", "c/1", "c/2", "d/1"]
    assert d.totals().tolist() == [3, 2, 2, 3, 3, 2, 4]
    assert cells(d)[("a/1", "road")] == 2 and cells(d)[("b/2", "trade")] == 2
    assert ("b/1", "peace") not in cells(d) and cells(d)[("b/2", "peace")] == 1
    # a where keeps its documents' sentences, numbered in their documents
    red = dfm(party, by="sentence", where="party=red")
    assert red.labels == ["a/1", "a/2", "d/1"] and red.rows["doc"].tolist() == ["a", "a", "d"]


def test_group_sums_rows_and_leaves_out_those_coded_minus_one(party):
    import pandas as pd

    d = dfm(party)  # documents a, b, c, d
    g = d.group([0, -1, 1, 0], pd.DataFrame({"party": ["red", "green", "none"]}), "party")
    assert g.labels == ["red", "green", "none"] and g.features.tolist() == d.features.tolist()
    assert dict(zip(g.features, g.matrix.toarray()[0].tolist(), strict=True)) == {
        "ahead": 0, "grows": 1, "peace": 1, "road": 5, "talks": 0, "today": 0, "trade": 2}
    assert g.totals().tolist() == [9, 5, 0]  # a + d, c, no document
    # sentences summed by document are the documents
    s = dfm(party, by="sentence")
    doc = pd.Index(["a", "b", "c", "d"]).get_indexer(s.rows["doc"])
    assert (s.group(doc, d.rows, "doc").matrix != d.matrix).nnz == 0
    for codes, message in (([0, 1], "2 codes for 4 rows"), ([0, 0, 0, 3], "from -1 to 2")):
        with pytest.raises(ValueError, match=message):
            d.group(codes, pd.DataFrame({"party": ["red", "green", "none"]}), "party")
    with pytest.raises(ValueError, match="group a matrix of counts"):
        d.weighted("prop").group([0, 0, 0, 0], pd.DataFrame({"x": ["all"]}), "x")
