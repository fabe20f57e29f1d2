"""Topics and their coherence, checked against hand-computed toy values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import FARM, SEA, corpus_of

from analysis import topics
from analysis.corpus import load_corpus
from analysis.text.process import process
from analysis.topics import (
    choose_k,
    fit_topics,
    segments,
    topic_table,
    topic_weights,
    umass_coherence,
)
from analysis.units import keep

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


def test_choose_k_picks_best_npmi(five_docs):
    table = choose_k(five_docs, k_range=range(2, 5))
    assert table["k"].tolist() == [2, 3, 4]
    best = table.sort_values(["npmi", "k"], ascending=[False, True]).iloc[0]["k"]
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


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_vocabulary_cap_keeps_most_frequent_ties_by_term(make_corpus):
    # One sentence per segment (size=1). Totals over the segments: alpha 4, beta 3, gamma 3,
    # delta 2, omega 1 (df 1: fails min_df=2 whatever the cap).
    text = ("Alpha beta gamma. Alpha beta gamma. Alpha beta gamma delta. "
            "Alpha delta omega.")
    p = corpus_of(make_corpus, {"t.txt": text})

    def kept(max_terms):
        model = fit_topics(p, k=1, size=1, min_df=2, max_terms=max_terms, top_n=10)
        assert len(model.segments) == 4
        return sorted(model.terms["term"])

    assert kept(None) == ["alpha", "beta", "delta", "gamma"]  # omega: in one segment only
    assert kept(2) == ["alpha", "beta"]  # beta and gamma tie at 3: beta sorts first
    assert kept(3) == ["alpha", "beta", "gamma"]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_choose_k_on_a_seeded_sample(five_docs):
    # five documents of 6 sentences: 2 segments of 3 sentences each, 10 segments
    whole = choose_k(five_docs, k_range=range(2, 4), max_segments=None)
    assert whole.attrs["segments"] == 10
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


def test_npmi_coherence_by_hand():
    # Bouma (2009): NPMI = log(P(x,y) / (P(x) P(y))) / -log P(x,y), over N = 4 segments;
    # the topic's value is the mean over its pairs; a pair never together scores -1.
    vocabulary = ["x", "y", "z"]
    binary = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 1], [0, 1, 0]])
    # D(x)=3, D(y)=2, D(z)=1, D(x,y)=1, D(x,z)=1, D(y,z)=0
    xy = math.log((1 / 4) / ((3 / 4) * (2 / 4))) / -math.log(1 / 4)
    xz = math.log((1 / 4) / ((3 / 4) * (1 / 4))) / -math.log(1 / 4)
    assert topics.npmi_coherence(["x", "y"], binary, vocabulary) == pytest.approx(xy)
    assert topics.npmi_coherence(["x", "y", "z"], binary, vocabulary) == pytest.approx(
        (xy + xz - 1) / 3)


def eight_themes(make_corpus):
    """40 documents of 15 sentences, each on one of eight themes (four in five of its
    sentences), every sentence also holding six words of a shared general vocabulary drawn
    by Zipf's law: frequent words common to every theme, as in real corpora."""
    import random

    rng = random.Random(0)
    themes = [
        "ship harbour sailor sea wave anchor port cargo tide vessel crew deck",
        "farmer wheat harvest field tractor barley cattle soil plough crop barn orchard",
        "teacher pupil classroom lesson exam homework school textbook grade tutor lecture "
        "campus",
        "doctor nurse hospital patient vaccine clinic surgery medicine disease ward illness "
        "therapy",
        "soldier army tank rifle battalion general battle trench officer weapon troop missile",
        "bank loan interest inflation currency investor bond mortgage credit deficit budget "
        "tax",
        "football match goal striker stadium referee league coach player trophy season fan",
        "singer guitar concert album melody orchestra piano drummer song choir rhythm chorus",
    ]
    themes = [t.split() for t in themes]
    general = ("people government country world year time work support important new "
               "nation future").split()

    def zipf(words, n):
        return rng.choices(words, weights=[1 / (i + 1) for i in range(len(words))], k=n)

    def sentence(theme):
        words = zipf(themes[theme], 3) + zipf(general, 6)
        rng.shuffle(words)
        return " ".join(words).capitalize() + "."

    files = {}
    for d in range(40):
        other = rng.randrange(8)
        files[f"d{d:02}.txt"] = " ".join(
            sentence(d % 8 if rng.random() < 0.8 else other) for _ in range(15))
    return corpus_of(make_corpus, files)


def test_choose_k_finds_the_themes_where_umass_picks_few(make_corpus):
    # 600 sentences -> 200 segments: k = 3 .. min(20, 200 / 5) = 3 .. 20 tried. Mean UMass
    # is highest at k = 4 here (topics of the shared frequent words), half the eight themes;
    # mean NPMI peaks at the themes.
    corpus = eight_themes(make_corpus)
    table = choose_k(corpus)
    assert table["k"].tolist() == list(range(3, 21))
    assert int(table.sort_values(["umass", "k"], ascending=[False, True]).iloc[0]["k"]) == 4
    assert abs(int(table.loc[table["chosen"], "k"].iloc[0]) - 8) <= 1
    pd.testing.assert_frame_equal(table, choose_k(corpus))  # seeded: the same every run
