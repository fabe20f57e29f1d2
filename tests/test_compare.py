"""The log-odds comparison of two units, checked against hand-computed toy values."""

from __future__ import annotations

import math

import pytest
from conftest import corpus_of

from analysis.compare import compare_terms, label_terms
from analysis.corpus import load_corpus
from analysis.text.process import process


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


def test_two_groups_are_compared_without_a_term_by_group_table(monkeypatch):
    # Only the two groups' counts and the corpus totals are needed: a term x group table of
    # 10,000 groups took 1 GB for two of its columns.
    import pandas as pd

    from analysis.compare import compare_groups
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    processed = process(load_corpus())
    expected = compare_groups(processed, by="voice")

    def refuse(*args, **kwargs):
        raise AssertionError("a term x group table")

    monkeypatch.setattr(pd, "crosstab", refuse)
    monkeypatch.setattr(pd.DataFrame, "pivot_table", refuse)
    table = compare_groups(processed, by="voice")
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs == {"a": "Song Tao", "b": "award report", "z_crit": 1.96}
