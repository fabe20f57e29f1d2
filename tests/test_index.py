"""The corpus's index: counts and positions counted by hand, the same tables as counting the
tokens, and an index that is damaged, foreign or written twice at once never trusted."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis import config, index
from analysis.corpus import load_corpus

# Two documents; a.txt has two sections (paragraphs 1-2 "intro", 3 "end"). The curated
# expression "belt and road" (lexicons/mwe.csv) is merged into one term.
TEXTS = {
    "a.txt": "The road and the belt.\n\nBelt and Road, road again.\n\nA road.\n",
    "b.txt": "Roads? The Belt & Road road.\n",
    # "cpec" is a token's term and the term the expression below is merged into
    "c.txt": "CPEC and the China-Pakistan Economic Corridor.\n",
    "d.txt": "The China-Pakistan Economic Corridor.\n",
    "sections.csv": "file,section,first,last\na.txt,intro,1,2\na.txt,end,3,3\n",
}


@pytest.fixture
def indexed(make_corpus, tmp_path, monkeypatch):
    """The toy corpus processed, cached and read back from the cache (index included), and
    the same corpus processed without a cache (no index)."""
    from analysis.text import process as processing

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    corpus = load_corpus(make_corpus(TEXTS))
    processing.process(corpus)
    processing.process.cache_clear()
    return processing.process(corpus), processing.compute(corpus)


def cache_file(tmp_path):
    (path,) = (tmp_path / "cache").glob("processed-*.store")
    return path


def segment_counts(processed) -> list[dict[str, int]]:
    """The index's counts, a {term: count} per segment."""
    c = processed.columns
    indptr, indices, counts = index.matrix(c)
    names = index.terms(c)[c.dtm_order]
    return [dict(zip(names[indices[a:b]].tolist(), counts[a:b].tolist(), strict=True))
            for a, b in zip(indptr[:-1].tolist(), indptr[1:].tolist(), strict=True)]


def test_segment_counts_and_positions_are_counted_by_hand(indexed):
    p, plain = indexed
    assert index.available(p.columns) and not index.available(plain.columns)
    # Segments: a.txt's "intro" (paragraphs 1-2), a.txt's "end" (3), b.txt.
    assert segment_counts(p) == [
        {"and": 1, "belt": 1, "belt and road": 1, "road": 2, "the": 2, "again": 1},
        {"a": 1, "road": 1},
        {"roads": 1, "the": 1, "belt and road": 1, "road": 1},
        {"cpec": 2, "and": 1, "the": 1},
        {"cpec": 1, "the": 1},
    ]
    c = p.columns
    road = int(np.flatnonzero(c.term_names == "road")[0])
    # Tokens: a.txt 0 The 1 road 2 and 3 the 4 belt 5 Belt 6 and 7 Road 8 road 9 again
    # 10 A 11 road; b.txt 12 Roads 13 The 14 Belt 15 & 16 Road 17 road; c.txt 18 CPEC 19 and
    # 20 the 21 China-Pakistan 22 Economic 23 Corridor; d.txt 24 The 25 China-Pakistan ...
    assert index.positions(c, road).tolist() == [1, 7, 8, 11, 16, 17]
    assert index.merged_terms(c)[0].tolist() == [5, 14, 21, 25]
    assert index.merged_terms(c)[1].tolist() == [7, 16, 23, 27]
    assert index.terms(c)[c.dtm_order].tolist() == sorted(index.terms(c).tolist())


@pytest.mark.parametrize("chunk", [1, 5, 12])
def test_the_index_made_a_few_tokens_at_a_time_is_the_index_made_at_once(indexed, monkeypatch,
                                                                         chunk):
    _, plain = indexed
    whole = index.build(plain)  # 28 tokens: one piece
    monkeypatch.setattr(index, "CHUNK_TOKENS", chunk)
    pieces = index.build(plain)
    assert list(pieces) == list(whole)
    for name, values in whole.items():
        assert pieces[name].dtype == values.dtype and pieces[name].tolist() == values.tolist()
    # the positions: the rows sorted by term, each term's in text order
    term = plain.columns.tok_term
    assert pieces["pos.rows"].tolist() == np.argsort(term, kind="stable").tolist()
    assert pieces["pos.ends"].tolist() == np.cumsum(np.bincount(term)).tolist()


def test_positions_of_more_terms_than_16_bits_number_are_each_terms_rows_in_order():
    from analysis.corpus import Corpus, Document
    from analysis.text.process import compute

    # 70,000 terms (past 65,535: the terms' codes sorted in two 16-bit passes), repeated
    words = [f"w{k}" for k in range(70_000)]
    text = " ".join(words[::-1] + words[:10] + words[-5:]) + ".\n"
    plain = compute(Corpus((Document("a", "a.txt", text),)))
    built = index.build(plain)
    rows, ends = built["pos.rows"], built["pos.ends"]
    term = plain.columns.tok_term
    assert len(plain.columns.term_names) > 1 << 16
    assert rows.tolist() == np.argsort(term, kind="stable").tolist()
    assert ends.tolist() == np.cumsum(np.bincount(term)).tolist()


def test_word_lists_keyness_kwic_and_collocates_are_the_tables_the_tokens_give(indexed):
    from analysis.collocation import collocates
    from analysis.concordance import kwic
    from analysis.frequency import frequency, unit_counts
    from analysis.trends import trends

    p, plain = indexed
    assert frequency(p, by="doc", stopwords=True).set_index(["doc", "term"])["count"] \
        .to_dict() == {("a", "road"): 3, ("a", "the"): 2, ("a", "a"): 1,
                       ("a", "again"): 1, ("a", "and"): 1, ("a", "belt"): 1,
                       ("a", "belt and road"): 1, ("b", "belt and road"): 1,
                       ("b", "road"): 1, ("b", "roads"): 1, ("b", "the"): 1,
                       ("c", "cpec"): 2, ("c", "and"): 1, ("c", "the"): 1,
                       ("d", "cpec"): 1, ("d", "the"): 1}
    for options in ({"by": "corpus"}, {"by": "doc"}, {"by": "section"},
                    {"stopwords": True, "by": "section"},
                    {"stem": True}, {"where": "doc=b"}, {"min_range": 2}):
        pd.testing.assert_frame_equal(frequency(p, **options), frequency(plain, **options))
    for spec, exclude in (("a", None), (None, "a"), ("a:end", None)):
        for stem in (False, True):
            got, want = unit_counts(p, spec, exclude=exclude, stem=stem), \
                unit_counts(plain, spec, exclude=exclude, stem=stem)
            pd.testing.assert_series_equal(got[0], want[0])
            assert got[1] == want[1]
    from analysis.keyness import keywords_by
    from analysis.overview import summary

    # c.txt's types are its tokens' terms: cpec, and, the, china-pakistan, economic, corridor;
    # d.txt's have no cpec (only the merged term is counted so)
    assert summary(p)[["doc", "words", "types"]].values.tolist() == [
        ["a", 12, 6], ["b", 5, 4], ["c", 6, 6], ["d", 4, 4]]
    for by in ("doc", "section", "corpus"):
        pd.testing.assert_frame_equal(summary(p, by=by), summary(plain, by=by))

    for options in ({"by": "doc"}, {"by": "doc", "stopwords": True, "min_count": 1},
                    {"by": "doc", "reference": "general"}):
        pd.testing.assert_frame_equal(keywords_by(p, **options), keywords_by(plain, **options))
    assert kwic(p, "road", 1)[["left", "keyword", "right"]].values.tolist()[:2] == [
        ["The", "road", "and"], ["and", "Road", ", road"]]
    for query in ("road", "belt and road", "road*", "/roads?/", "the belt", "zebra"):
        for options in ({}, {"sort": "left"}, {"window": 0}, {"window": 30}):
            pd.testing.assert_frame_equal(kwic(p, query, **options), kwic(plain, query, **options))
        for options in ({}, {"left": 1, "right": 0}, {"within_sentence": True},
                        {"stopwords": True, "min_count": 1}):
            pd.testing.assert_frame_equal(collocates(p, query, **options),
                                          collocates(plain, query, **options))
    # trends counts words and documents per cell from the paragraphs
    with pytest.raises(ValueError, match="date"):
        trends(p, ["road"])


def test_the_sizes_of_a_corpus_whose_merged_terms_are_no_token_s_term(make_corpus, tmp_path,
                                                                     monkeypatch):
    from analysis.overview import summary
    from analysis.text import process as processing

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    corpus = load_corpus(make_corpus({"a.txt": "The Belt and Road.\n"}))
    processing.process(corpus)
    processing.process.cache_clear()
    assert summary(processing.process(corpus))[["words", "types"]].values.tolist() == [[4, 4]]


def test_trends_counts_words_and_documents_by_hand(make_corpus, tmp_path, monkeypatch):
    from analysis.text import process as processing
    from analysis.trends import trends

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    # d.txt has no word: not a document of its year's cell (as counted from the words)
    folder = make_corpus({"a.txt": "Road one road.\n", "b.txt": "A road.\n", "c.txt": "None.\n",
                          "d.txt": "... !\n", "metadata.csv":
                          "file,date\na.txt,2020\nb.txt,2021\nc.txt,2021\nd.txt,2021\n"})
    table = trends(processing.process(load_corpus(folder)), ["road"], by="corpus")
    assert table[["period", "count", "words", "documents"]].values.tolist() == [
        ["2020", 2, 3, 1], ["2021", 1, 3, 2]]


@pytest.mark.parametrize("array", ["dtm.counts", "dtm.indices", "pos.rows", "tok.id"])
def test_a_damaged_array_read_later_is_ignored_with_one_warning_and_rebuilt(
        indexed, tmp_path, array):
    from analysis import store
    from analysis.frequency import frequency
    from analysis.text import process as processing

    p, _ = indexed
    want = frequency(p, by="doc")
    path = cache_file(tmp_path)
    with store.Reader(path) as reader:
        _, _, at, _ = reader._layout[array]
    content = bytearray(path.read_bytes())
    content[at] ^= 0x01  # the array's first byte: its checksum fails when it is read
    path.write_bytes(bytes(content))
    processing.process.cache_clear()
    again = processing.process(p.corpus)  # the header is sound: read without a warning
    with pytest.warns(processing.CacheWarning) as caught:
        got = frequency(again, by="doc")
        index.positions(again.columns, 0)
        _ = again.tokens
    assert len(caught) == 1
    assert str(caught[0].message).startswith(f"ignored the cache file {path.name} (")
    assert "checksum mismatch" in str(caught[0].message)
    pd.testing.assert_frame_equal(got, want)
    with store.Reader(path) as reader:  # written again, sound
        for name in reader.names:
            reader.read(name)


def test_an_index_that_does_not_fit_its_corpus_is_refused(indexed, tmp_path):
    # A sound file (checksums right) whose index was not made for these tokens.
    from analysis import store
    from analysis.frequency import frequency
    from analysis.text import process as processing

    p, _ = indexed
    want = frequency(p)
    path = cache_file(tmp_path)
    arrays = dict(store.read(path))
    for name, bad in (("pos.rows", arrays["pos.rows"] + 100),  # past the last token
                      ("dtm.counts", -arrays["dtm.counts"]),
                      ("dtm.order", np.zeros_like(arrays["dtm.order"])),
                      ("dtm.indices", arrays["dtm.indices"][::-1].copy()),  # not sorted
                      ("mwe.first", arrays["mwe.first"][::-1].copy())):
        store.write(path, {**arrays, name: bad})
        processing.process.cache_clear()
        with pytest.warns(processing.CacheWarning, match="inconsistent arrays") as caught:
            again = processing.process(p.corpus)
            got = frequency(again)
            index.positions(again.columns, 0)
        assert len([w for w in caught if w.category is processing.CacheWarning]) == 1
        pd.testing.assert_frame_equal(got, want)


def test_a_corpus_and_its_subset_travel_to_a_worker_with_their_index(indexed):
    import pickle

    from analysis.concordance import kwic
    from analysis.frequency import frequency
    from analysis.units import select

    p, _ = indexed
    for corpus in (p, select(p, "doc=b")):
        copy = pickle.loads(pickle.dumps(corpus))  # as a Dask worker gets it
        assert index.available(copy.columns)
        pd.testing.assert_frame_equal(frequency(copy, by="doc"), frequency(corpus, by="doc"))
        pd.testing.assert_frame_equal(kwic(copy, "road"), kwic(corpus, "road"))


def test_the_index_is_made_again_for_another_version_of_its_code():
    from analysis.text import process as processing

    assert "index.py" in processing.PROCESSING_MODULES  # in the cache key (test_process)


def test_two_processes_indexing_one_corpus_at_once_both_succeed_with_one_index(
        make_corpus, tmp_path):
    folder = make_corpus({f"d{i}.txt": f"Document {i} about the road. " * 200 for i in range(30)})
    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-m", "analysis", "freq", "--corpus", str(folder), "--format", "csv"]
    runs = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert results[0][0] == results[1][0] and "road,6000," in results[0][0]
    assert not any(err for _, err in results)
    # one processed corpus and its index (beside it, the folder record of the corpus)
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "cache").glob("*.store")) in (
        ["processed"], ["folder", "processed"])
    assert not list((tmp_path / "cache").glob("*.tmp"))


def totals_by_term(columns) -> dict[str, tuple[int, int]]:
    """The totals kept with the index, ``{term: (count, documents)}``."""
    count, docs = index.column_counts(columns)
    names = index.terms(columns)[columns.dtm_order]
    return {t: (int(n), int(d)) for t, n, d in zip(names.tolist(), count, docs, strict=True)}


def test_the_totals_kept_with_the_index_are_counted_by_hand(indexed, tmp_path):
    from analysis import store

    p, _ = indexed
    assert set(index.TOTALS) <= set(store.Reader(cache_file(tmp_path)).names)
    assert "tot_count" in p.columns.__dict__  # read with the index, not summed
    totals = totals_by_term(p.columns)
    # road: a.txt 3 (both sections), b.txt 1; cpec: c.txt's token and merged term, d.txt's
    # merged term; "belt and road" once in a.txt and in b.txt
    assert totals["road"] == (4, 2) and totals["cpec"] == (3, 2)
    assert totals["belt and road"] == (2, 2) and totals["the"] == (5, 4)
    assert totals["a"] == (1, 1) and totals["belt"] == (1, 1)
    assert index.doc_types(p.columns).tolist() == [6, 4, 6, 4]


def test_a_cache_without_the_totals_gives_the_same_tables(indexed, tmp_path):
    # A cache written before the totals were kept: they are summed from the counts.
    import warnings

    from analysis import store
    from analysis.collocation import collocates
    from analysis.frequency import frequency
    from analysis.keyness import keyness
    from analysis.overview import summary
    from analysis.text import process as processing

    p, plain = indexed
    path = cache_file(tmp_path)
    arrays = {k: v for k, v in store.read(path).items() if k not in index.TOTALS}
    store.write(path, arrays)
    processing.process.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: the cache is sound
        older = processing.process(p.corpus)
        assert index.available(older.columns) and "tot_count" not in older.columns.__dict__
        assert totals_by_term(older.columns) == totals_by_term(p.columns)
        assert index.doc_types(older.columns).tolist() == [6, 4, 6, 4]
        for q in (older, plain):
            pd.testing.assert_frame_equal(frequency(q, by="corpus", top=3),
                                          frequency(p, by="corpus", top=3))
            pd.testing.assert_frame_equal(keyness(q, "a", min_count=1),
                                          keyness(p, "a", min_count=1))
            pd.testing.assert_frame_equal(summary(q), summary(p))
            pd.testing.assert_frame_equal(collocates(q, "road"), collocates(p, "road"))


@pytest.mark.parametrize("options", [{}, {"stopwords": True}, {"min_range": 2},
                                     {"min_count": 2, "stopwords": True},
                                     {"where": "doc!=a"}])
def test_the_first_terms_of_a_word_list_are_counted_from_their_positions(indexed, monkeypatch,
                                                                         options):
    import importlib

    frequency_module = importlib.import_module("analysis.frequency")
    p, plain = indexed
    for top in (1, 2, 3, 50):
        want = frequency_module.frequency(plain, by="corpus", **options).groupby(
            lambda _: 0).head(top).reset_index(drop=True)
        with monkeypatch.context() as patched:  # every count is not made
            patched.setattr(frequency_module, "_index_counts", None)
            patched.setattr(frequency_module, "TOP_SHARE", 1.0)
            got = frequency_module.frequency(p, by="corpus", top=top, **options)
        pd.testing.assert_frame_equal(got, want)


def test_a_unit_s_counts_are_read_from_its_segments_alone(indexed, monkeypatch):
    import importlib

    from analysis.frequency import unit_counts

    frequency_module = importlib.import_module("analysis.frequency")
    p, plain = indexed
    monkeypatch.setattr(frequency_module, "ALONE_SHARE", 0.5)
    monkeypatch.setattr(index, "matrix", None)  # the whole matrix is never read
    for spec, exclude in (("b", None), (None, "b"), ("a:end", None), (None, "a:end"),
                          (None, None)):  # the whole corpus: its totals, no entry read
        got, want = unit_counts(p, spec, exclude=exclude), \
            unit_counts(plain, spec, exclude=exclude)
        pd.testing.assert_series_equal(got[0], want[0])
        assert got[1] == want[1]
