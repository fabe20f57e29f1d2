"""Distinctive vocabulary, topics and similarity, checked against hand-computed toy values."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from analysis import topics
from analysis.corpus import load_corpus
from analysis.text.process import process
from analysis.topics import (
    choose_k,
    compare_terms,
    fit_topics,
    label_terms,
    segments,
    similarity,
    similarity_pairs,
    topic_table,
    topic_weights,
    umass_coherence,
)
from analysis.units import keep

SEA = "The ships sail from the harbour to the sea. "
FARM = "The farmers harvest wheat on the farm. "


def corpus_of(make_corpus, files, name="corpus", **extra):
    return process(load_corpus(make_corpus({**files, **extra}, name=name)))


@pytest.fixture
def two_docs(make_corpus):
    # a: peace 2, road 1 (n=3); b: road 1, trade 1 (n=2); no stop words among them.
    return corpus_of(make_corpus, {"a.txt": "Peace road peace.", "b.txt": "Road trade."})


@pytest.fixture
def five_docs(make_corpus):
    sea = [SEA, "Sailors load the ships in the harbour. ", "The sea is calm for ships. "]
    farm = [FARM, "Wheat grows on the farm in summer. ", "Farmers sell the wheat harvest. "]
    files = {
        "d1.txt": "".join(sea * 2), "d2.txt": "".join(farm * 2), "d3.txt": "".join(sea * 2),
        "d4.txt": "".join(farm * 2), "d5.txt": "".join(sea + farm),
    }
    return corpus_of(make_corpus, files)


# --------------------------------------------------------------------------- fightin' words


def test_log_odds_informative_prior_by_hand(two_docs):
    # Monroe, Colaresi & Quinn (2008), eqs. 16-22, computed by hand for the toy corpus.
    # Corpus prior with alpha0 = 5 (the corpus size): alpha_w = corpus count of w.
    table = compare_terms(two_docs, "a", "b").set_index("term")
    n_a, n_b, a0 = 3, 2, 5
    expected = {}
    for term, y_a, y_b, alpha in (("peace", 2, 0, 2), ("road", 1, 1, 2), ("trade", 0, 1, 1)):
        delta = (math.log((y_a + alpha) / (n_a + a0 - y_a - alpha))
                 - math.log((y_b + alpha) / (n_b + a0 - y_b - alpha)))
        variance = 1 / (y_a + alpha) + 1 / (y_b + alpha)
        expected[term] = (delta, variance, delta / math.sqrt(variance))
    # peace: delta = log(4/4) - log(2/5) = log 2.5, variance = 1/4 + 1/2
    assert expected["peace"][0] == pytest.approx(math.log(2.5))
    assert expected["peace"][2] == pytest.approx(math.log(2.5) / math.sqrt(0.75))
    for term, (delta, variance, z) in expected.items():
        assert table.loc[term, "delta"] == pytest.approx(delta)
        assert table.loc[term, "variance"] == pytest.approx(variance)
        assert table.loc[term, "z"] == pytest.approx(z)
    assert list(table.index) == ["peace", "road", "trade"]  # sorted by z descending
    assert table.loc["peace", "count_a"] == 2 and table.loc["trade", "count_b"] == 1
    assert table.loc["peace", "per_1000_a"] == pytest.approx(666.667)
    # |z| < 1.96 everywhere: road is shared, peace and trade are one-sided but not distinctive
    assert table["side"].to_dict() == {"peace": "", "road": "shared", "trade": ""}


def test_alpha0_and_z_crit_are_used(two_docs):
    strong = compare_terms(two_docs, "a", "b", alpha0=50).set_index("term")
    weak = compare_terms(two_docs, "a", "b", alpha0=0.5).set_index("term")
    # alpha_w = alpha0 * corpus share: peace has 2 of 5 corpus terms
    assert strong.loc["peace", "alpha"] == pytest.approx(20)
    assert weak.loc["peace", "alpha"] == pytest.approx(0.2)
    assert abs(strong.loc["peace", "z"]) < abs(weak.loc["peace", "z"])  # more shrinkage
    loose = compare_terms(two_docs, "a", "b", z_crit=0.5).set_index("term")
    assert loose.loc["peace", "side"] == "a" and loose.loc["trade", "side"] == "b"


def test_general_prior_uses_wordfreq(two_docs):
    from wordfreq import word_frequency

    table = compare_terms(two_docs, "a", "b", prior="general", alpha0=10).set_index("term")
    freqs = {t: word_frequency(t, "en", minimum=1e-8) for t in ("peace", "road", "trade")}
    total = sum(freqs.values())
    for term, f in freqs.items():
        assert table.loc[term, "alpha"] == pytest.approx(10 * f / total)


def test_compare_needs_two_units(make_corpus, two_docs):
    one = corpus_of(make_corpus, {"only.txt": "Peace road peace."}, name="one")
    with pytest.raises(ValueError, match="needs two docs; the corpus has only one"):
        compare_terms(one, "only", "only")
    with pytest.raises(ValueError, match="not 'a' with itself"):
        compare_terms(two_docs, "a", "a")
    with pytest.raises(ValueError, match="'c' is not a doc of the corpus"):
        compare_terms(two_docs, "a", "c")
    with pytest.raises(ValueError, match="prior"):
        compare_terms(two_docs, "a", "b", prior="uniform")


def test_compare_voices_on_seeds():
    p = process(load_corpus())
    table = compare_terms(p, "Song Tao", "award report", by="voice")
    top = table.iloc[0]
    assert top["term"] == "cpec" and top["side"] == "a"
    assert table["z"].is_monotonic_decreasing
    labels = label_terms(table, n=3)
    assert list(labels["label_kind"][:3]) == ["a", "b", "shared"]
    assert labels["term"].is_unique


# --------------------------------------------------------------------------- segments, coherence


def test_segments_are_sentence_windows_inside_sections(make_corpus):
    text = "\n".join(f"Sentence number {w} here." for w in
                     ["one", "two", "three", "four", "five", "six", "seven"])
    sections = "file,section,voice,first,last\nt.txt,head,paper,1,2\nt.txt,body,author,3,\n"
    p = corpus_of(make_corpus, {"t.txt": text}, **{"sections.csv": sections})
    segs = segments(p, size=3)
    assert segs[["section", "first_sentence", "last_sentence"]].values.tolist() == [
        ["head", 1, 2], ["body", 3, 5], ["body", 6, 7]]
    assert segs["terms"].iloc[0] == ("sentence", "number", "sentence", "number")
    assert segs["segment"].tolist() == [1, 2, 3]


def test_umass_coherence_by_hand():
    # Mimno et al. (2011): C = sum_{m>=2} sum_{l<m} log((D(v_m, v_l) + 1) / D(v_l)).
    vocabulary = ["x", "y", "z"]
    binary = np.array([[1, 1, 1],
                       [1, 0, 0],
                       [0, 1, 0]])
    # D(x)=2, D(y)=2, D(z)=1, D(x,y)=1, D(x,z)=1, D(y,z)=1
    assert umass_coherence(["x", "y"], binary, vocabulary) == pytest.approx(math.log(2 / 2))
    expected = math.log(2 / 2) + math.log(2 / 2) + math.log(2 / 2)
    assert umass_coherence(["x", "y", "z"], binary, vocabulary) == pytest.approx(expected)
    # z first: pairs (x|z) and (y|z) divide by D(z) = 1, (y|x) by D(x) = 2
    expected = math.log(2 / 1) + math.log(2 / 1) + math.log(2 / 2)
    assert umass_coherence(["z", "x", "y"], binary, vocabulary) == pytest.approx(expected)


# --------------------------------------------------------------------------- topics


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_topics_identical_across_runs(method):
    first = fit_topics(process(load_corpus()), method=method, k=4)
    second = fit_topics(process(load_corpus()), method=method, k=4)
    pd.testing.assert_frame_equal(first.terms, second.terms)
    pd.testing.assert_frame_equal(first.segments, second.segments)
    pd.testing.assert_frame_equal(topic_table(first), topic_table(second))


def test_topics_on_five_documents_separate_the_themes(five_docs):
    model = fit_topics(five_docs, k=2, method="nmf", size=3)
    weights = topic_weights(model).pivot(index="unit", columns="topic", values="weight")
    sea_topic = 1 if "ships" in set(model.terms.query("topic == 1")["term"]) else 2
    farm_topic = 3 - sea_topic
    assert weights.loc["d1", sea_topic] > 0.9 and weights.loc["d3", sea_topic] > 0.9
    assert weights.loc["d2", farm_topic] > 0.9 and weights.loc["d4", farm_topic] > 0.9
    assert 0.3 < weights.loc["d5", sea_topic] < 0.7  # half sea, half farm
    assert np.allclose(weights.sum(axis=1), 1.0)
    table = topic_table(model, n_terms=3)
    assert list(table.columns) == ["topic", "top_terms", "d1", "d2", "d3", "d4", "d5"]
    assert len(table) == 2


def test_choose_k_picks_best_umass(five_docs):
    table = choose_k(five_docs, k_range=range(2, 5))
    assert table["k"].tolist() == [2, 3, 4]
    best = table.sort_values(["umass", "k"], ascending=[False, True]).iloc[0]["k"]
    assert table.loc[table["chosen"], "k"].tolist() == [best]
    assert table["reconstruction_error"].is_monotonic_decreasing
    model = fit_topics(five_docs, k_range=range(2, 5))
    assert model.k == best and model.selection is not None


def test_topics_one_document(make_corpus, five_docs):
    sea = "".join([SEA, "Sailors load the ships in the harbour. ", "The sea is calm. "] * 2)
    farm = "".join([FARM, "Wheat grows on the farm in summer. ", "Farmers sell wheat. "] * 2)
    one = corpus_of(make_corpus, {"one.txt": sea + farm}, name="one")
    model = fit_topics(one, k=2)  # 12 sentences -> 4 segments: enough for 2 topics
    assert list(topic_table(model).columns) == ["topic", "top_terms", "one"]
    tiny = corpus_of(make_corpus, {"tiny.txt": "Ships sail. Wheat grows."}, name="tiny")
    with pytest.raises(ValueError, match=r"cannot fit 2 topics: the corpus gives 1 segments"):
        fit_topics(tiny, k=2)
    with pytest.raises(ValueError, match="cannot fit 2 topics"):
        choose_k(tiny)
    with pytest.raises(ValueError, match="method"):
        fit_topics(five_docs, method="lsa")


def test_topic_terms_ties_broken_by_term(five_docs):
    model = fit_topics(five_docs, k=2)
    for _, block in model.terms.groupby("topic"):
        keys = list(zip(-block["weight"], block["term"], strict=True))
        assert keys == sorted(keys)
    assert model.terms["topic"].tolist() == sorted(model.terms["topic"])


def test_umass_coherence_sparse_equals_dense():
    from scipy.sparse import csr_matrix

    vocabulary = ["x", "y", "z"]
    binary = np.array([[1, 1, 1], [1, 0, 0], [0, 1, 0]])
    for top in (["x", "y"], ["x", "y", "z"], ["z", "x", "y"]):
        assert umass_coherence(top, csr_matrix(binary), vocabulary) == umass_coherence(
            top, binary, vocabulary)
    # counts, not only 0/1, are read as presence: D(x) = 2, D(x, y) = 1
    counts = csr_matrix(np.array([[3, 2, 0], [5, 0, 0], [0, 1, 0]]))
    assert umass_coherence(["x", "y"], counts, vocabulary) == pytest.approx(math.log(2 / 2))


def test_vocabulary_cap_keeps_most_frequent_ties_by_term(make_corpus):
    # One sentence per segment (size=1). Totals over the segments: alpha 4, beta 3, gamma 3,
    # delta 2, omega 1 (df 1: fails min_df=2 whatever the cap).
    text = ("Alpha beta gamma. Alpha beta gamma. Alpha beta gamma delta. "
            "Alpha delta omega.")
    p = corpus_of(make_corpus, {"t.txt": text})
    prep = topics._prepare(p, 1)
    assert prep.vocabulary == ["alpha", "beta", "delta", "gamma", "omega"]
    _, kept, n_used, n_segs = topics._restrict(prep, None, 2, None)
    assert kept == ["alpha", "beta", "delta", "gamma"] and (n_used, n_segs) == (4, 4)
    _, kept, _, _ = topics._restrict(prep, None, 2, 2)
    assert kept == ["alpha", "beta"]  # beta and gamma tie at 3: beta sorts first
    counts, kept, _, _ = topics._restrict(prep, None, 2, 3)
    assert kept == ["alpha", "beta", "gamma"]  # back in vocabulary order
    assert counts.toarray().tolist() == [[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 0, 0]]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_choose_k_on_a_seeded_sample(five_docs):
    # five documents of 6 sentences: 2 segments of 3 sentences each, 10 segments
    whole = choose_k(five_docs, k_range=range(2, 4), max_segments=None)
    assert whole.attrs["segments"] == 10
    assert topics._sample(10, None, 0) is None and topics._sample(10, 10, 0) is None
    rows = topics._sample(10, 6, 0)
    assert len(rows) == 6 and len(set(rows.tolist())) == 6 and list(rows) == sorted(rows)
    assert (topics._sample(10, 6, 0) == rows).all()  # seeded: the same sample every time
    sampled = choose_k(five_docs, k_range=range(2, 4), max_segments=6)
    assert sampled.attrs["segments"] == 6
    pd.testing.assert_frame_equal(sampled, choose_k(five_docs, k_range=range(2, 4),
                                                    max_segments=6))


def test_fit_topics_reuses_a_given_selection(five_docs):
    selection = choose_k(five_docs, k_range=range(2, 5))
    model = fit_topics(five_docs, selection=selection)
    assert model.selection is selection
    assert model.k == int(selection.loc[selection["chosen"], "k"].iloc[0])
    # the chosen row is read, not recomputed: a table that says 3 gives 3 topics
    forced = pd.DataFrame({"k": [2, 3], "umass": [0.0, -1.0],
                           "reconstruction_error": [0.0, 0.0], "chosen": [False, True]})
    assert fit_topics(five_docs, selection=forced).k == 3
    assert fit_topics(five_docs, k=2, selection=forced).k == 2  # an explicit k wins


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_fit_on_a_sample_weights_every_segment(five_docs):
    model = fit_topics(five_docs, k=2, max_segments=6)
    assert len(model.segments) == 10  # every segment, not only the 6 fitted
    shares = model.segments[["topic_1", "topic_2"]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    weights = topic_weights(model).pivot(index="unit", columns="topic", values="weight")
    sea = weights.loc["d1"].idxmax()
    assert weights.loc["d3"].idxmax() == sea and weights.loc["d1", sea] > 0.9
    assert weights.loc["d2"].idxmax() == weights.loc["d4"].idxmax() == 3 - sea
    again = fit_topics(five_docs, k=2, max_segments=6)
    pd.testing.assert_frame_equal(model.segments, again.segments)


def test_topic_weights_of_a_few_units_and_of_groups(make_corpus, five_docs):
    model = fit_topics(five_docs, k=2)
    full = topic_weights(model)
    assert list(full.columns) == ["doc", "unit", "topic", "label", "weight", "segments"]
    table = keep(full, ["d4", "d1"])
    assert table["unit"].tolist() == ["d4", "d4", "d1", "d1"]
    # a group's weight is the mean over its segments: with d1 and d3 in one group (their
    # texts are identical) the group's weights are theirs
    folder = make_corpus({**{f"{d}.txt": five_docs.texts[d] for d in five_docs.corpus.ids},
                          "metadata.csv": "file,side\nd1.txt,x\nd3.txt,x\nd2.txt,y\n"
                                          "d4.txt,y\nd5.txt,y\n"}, name="kinds")
    grouped = fit_topics(process(load_corpus(folder)), k=2)
    by_side = topic_weights(grouped, by="side").set_index(["side", "topic"])["weight"]
    by_doc = topic_weights(grouped).set_index(["doc", "topic"])["weight"]
    assert by_side[("x", 1)] == by_doc[("d1", 1)] == by_doc[("d3", 1)]
    assert list(topic_table(grouped, by="side").columns) == ["topic", "top_terms", "x", "y"]


# --------------------------------------------------------------------------- similarity


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


# --------------------------------------------------------------------------- plots


def _boxes(texts, renderer):
    return [t.get_window_extent(renderer) for t in texts]


def test_place_labels_never_overlap():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.plots import place_labels

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    rng = np.random.default_rng(0)
    xy = rng.uniform(0.2, 0.8, size=(60, 2))
    labels = [f"label{i}" for i in range(60)]
    placed = place_labels(ax, xy[:, 0], xy[:, 1], labels)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = _boxes(placed, renderer)
    assert 5 < len(placed) < 60  # crowded: some placed, some skipped
    for one, two in combinations(boxes, 2):
        assert not one.overlaps(two)
    frame = ax.get_window_extent(renderer)
    assert all(b.x0 >= frame.x0 and b.x1 <= frame.x1 for b in boxes)
    fig2, ax2 = plt.subplots(figsize=(4, 3))
    ax2.set_xlim(0, 1)
    ax2.set_ylim(0, 1)
    again = place_labels(ax2, xy[:, 0], xy[:, 1], labels)
    assert [(t.get_text(), t.xyann) for t in again] == [(t.get_text(), t.xyann) for t in placed]
    plt.close("all")


def test_vocabulary_scatter_labels_do_not_overlap():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.plots import vocabulary_scatter_plot

    table = compare_terms(process(load_corpus()), "songtao-article", "award-report")
    fig, ax = plt.subplots(figsize=(7, 6))
    vocabulary_scatter_plot(ax, table, labels=label_terms(table, n=12))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in ax.texts]
    assert len(texts) >= 10
    assert "cpec" in {t.get_text() for t in texts}
    for one, two in combinations(_boxes(texts, renderer), 2):
        assert not one.overlaps(two)
    plt.close(fig)
