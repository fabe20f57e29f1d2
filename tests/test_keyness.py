"""Keyness statistics against published worked examples and hand counts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.keyness import (
    COLUMNS,
    chi2_yates,
    fisher_p,
    keyness,
    keywords_by,
    log_likelihood,
    log_ratio,
    measure_columns,
    odds_ratio,
    pct_diff,
    simple_maths,
    top_keywords,
)
from analysis.text.process import process

# --------------------------------------------------------------------------- the statistics


def test_two_cell_g2_matches_ucrel_calculator_example():
    # UCREL log-likelihood wizard (Rayson & Garside 2000 form), its documented example: a word
    # seen 52 times in a corpus of 50,000 words and 57 times in one of 75,000 words gives
    # "52 0.10 57 0.08 + 2.65".
    # By hand: E1 = 50000*109/125000 = 43.6, E2 = 65.4,
    # G2 = 2*(52 ln(52/43.6) + 57 ln(57/65.4)) = 2.6517.
    g2 = log_likelihood(52, 57, 50_000, 75_000, form="two-cell")
    assert round(float(g2), 2) == 2.65
    assert float(g2) == pytest.approx(2.6517, abs=1e-4)


def test_four_cell_g2_is_dunnings_g_test_of_the_2x2_table():
    # The same example with the four-cell (AntConc "4-term") form still rounds to 2.65, and it
    # is exactly the likelihood-ratio G-test of the table [[a, b], [c-a, d-b]] (Dunning 1993),
    # here checked against scipy's independent implementation.
    from scipy import stats  # not at collection: a second or more to import
    g2 = float(log_likelihood(52, 57, 50_000, 75_000))
    table = np.array([[52, 57], [50_000 - 52, 75_000 - 57]])
    expected = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert g2 == pytest.approx(expected, rel=1e-12)
    assert round(g2, 2) == 2.65


def test_four_cell_g2_dunning_1993_worked_value():
    # Dunning (1993), p. 72, the table of bigrams scored by -2 log lambda: 167.23 for the
    # counts k(AB) = 10, k(A ~B) = 0, k(~A B) = 3, k(~A ~B) = 31,764, the four cells of one
    # 2x2 table (not a count and a corpus total). Read into our notation with the term's row
    # [a, b] = [10, 0] and the other row [c - a, d - b] = [3, 31764] (c = 13, d = 31,764),
    # or transposed (a = 10, b = 3, c = 10, d = 31,767): G2 does not depend on which margin
    # is the "text".
    from scipy import stats  # not at collection: a second or more to import
    assert round(float(log_likelihood(10, 0, 13, 31_764)), 2) == 167.23
    assert round(float(log_likelihood(10, 3, 10, 31_767)), 2) == 167.23
    # scipy's G-test of the same table agrees (167.2298).
    table = np.array([[10, 0], [3, 31_764]])
    assert float(log_likelihood(10, 0, 13, 31_764)) == pytest.approx(
        stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0], rel=1e-12)


def test_two_forms_differ_when_the_term_is_a_large_share():
    # a=10 of c=20 words, b=0 of d=20. By hand:
    # two-cell: E1 = 20*10/40 = 5, G2 = 2*(10 ln(10/5)) = 20 ln 2 = 13.8629
    # four-cell adds the cells c-a=10 (E=15) and d-b=20 (E=15):
    # G2 = 2*(10 ln 2 + 10 ln(10/15) + 20 ln(20/15)) = 17.2609
    assert float(log_likelihood(10, 0, 20, 20, form="two-cell")) == pytest.approx(
        20 * math.log(2), abs=1e-9)
    four = 2 * (10 * math.log(2) + 10 * math.log(10 / 15) + 20 * math.log(20 / 15))
    assert float(log_likelihood(10, 0, 20, 20)) == pytest.approx(four, abs=1e-9)
    assert four == pytest.approx(17.2609, abs=1e-4)
    with pytest.raises(ValueError, match="form"):
        log_likelihood(1, 1, 10, 10, form="three-cell")


def test_g2_is_zero_for_equal_rates_and_symmetric():
    assert float(log_likelihood(5, 10, 100, 200)) == pytest.approx(0.0, abs=1e-12)
    assert float(log_likelihood(5, 1, 100, 100)) == pytest.approx(
        float(log_likelihood(1, 5, 100, 100)))


def test_log_ratio_hardie_example():
    # Hardie (2014), "Log Ratio - an informal introduction" (CASS blog): relative frequencies
    # 0.0006 in corpus A and 0.0002 in corpus B are a ratio of 3, Log Ratio = log2(3) = 1.585.
    assert float(log_ratio(6, 2, 10_000, 10_000)) == pytest.approx(math.log2(3))
    assert round(float(log_ratio(6, 2, 10_000, 10_000)), 3) == 1.585
    # Half as frequent is -1; twice as frequent is +1.
    assert float(log_ratio(1, 4, 100, 200)) == pytest.approx(-1.0)


def test_log_ratio_zero_count_replaced_by_half():
    # Hardie's rule: a zero frequency becomes 0.5. a=4 in 1,000, b=0 in 1,000:
    # log2((4/1000) / (0.5/1000)) = log2(8) = 3.
    assert float(log_ratio(4, 0, 1000, 1000)) == pytest.approx(3.0)
    assert float(log_ratio(0, 4, 1000, 1000)) == pytest.approx(-3.0)


def test_pct_diff_gabrielatos_marchi_formula():
    # %DIFF = (NF_target - NF_ref) * 100 / NF_ref (Gabrielatos & Marchi 2011). By hand:
    # 600 vs 200 per million -> (600 - 200) * 100 / 200 = 200 (% more frequent).
    assert float(pct_diff(6, 2, 10_000, 10_000)) == pytest.approx(200.0)
    assert float(pct_diff(1, 4, 100, 200)) == pytest.approx(-50.0)
    assert float(pct_diff(0, 4, 100, 200)) == pytest.approx(-100.0)
    # Zero in the reference: documented as infinite.
    assert math.isinf(float(pct_diff(3, 0, 100, 100)))


def test_pct_diff_and_log_ratio_agree_on_one_ratio():
    # %DIFF and Log Ratio restate one ratio of relative frequencies R = (a/c) / (b/d):
    # %DIFF = (R - 1) * 100 (Gabrielatos & Marchi 2011) and Log Ratio = log2(R) (Hardie 2014).
    # 1,887 vs 1,000 per million: R = 1.887, %DIFF = 88.7, Log Ratio = log2(1.887) = 0.9160.
    assert float(pct_diff(1_887, 1_000, 1_000_000, 1_000_000)) == pytest.approx(88.7)
    assert float(log_ratio(1_887, 1_000, 1_000_000, 1_000_000)) == pytest.approx(
        0.9160, abs=1e-4)


def test_p_value_is_chi_square_one_df(make_corpus):
    # p_value = P(chi2(1 df) >= G2), from G2 before rounding: the table's g2 is rounded to four
    # decimals, so the unrounded G2 lies within 0.00005 of it and p between chi2.sf at the two
    # ends. a: zebra 40, alpha 59, yak 1 (100 words); b: alpha 119, yak 1 (120 words).
    from scipy import stats  # not at collection: a second or more to import
    folder = make_corpus({"a.txt": "zebra " * 40 + "alpha " * 59 + "yak\n",
                          "b.txt": "alpha " * 119 + "yak\n"})
    table = keyness(process(load_corpus(folder)), "a", "b", min_count=1)
    assert table["term"].tolist() == ["zebra", "alpha", "yak"]
    # G2 from 74.0 (p about 1e-17) down to 0.0168 (p about 0.9).
    assert table["g2"].tolist() == [74.019, 67.5786, 0.0168]
    for g2, p in zip(table["g2"], table["p_value"], strict=True):
        assert stats.chi2.sf(g2 + 0.00005, 1) <= p <= stats.chi2.sf(g2 - 0.00005, 1)
        assert p == pytest.approx(stats.chi2.sf(g2, 1), rel=1e-3)
    # 3.841 is the 5% critical value of chi-square with 1 df (any statistics table).
    assert stats.chi2.sf(3.841459, 1) == pytest.approx(0.05, abs=1e-6)


# --------------------------------------------------------------------------- keyness tables

# a.txt: 10 words; b.txt: 10 words.
A = "Road road road road friendship. Party sun moon star sky.\n"
B = "Party party party party party friendship. Sun moon star sky.\n"


@pytest.fixture
def processed(make_corpus):
    return process(load_corpus(make_corpus({"a.txt": A, "b.txt": B})))


def test_keyness_table_counts_and_direction(processed):
    from scipy import stats  # not at collection: a second or more to import
    table = keyness(processed, "a", "b", min_count=1).set_index("term")
    assert table.loc["road", ["target_count", "reference_count"]].tolist() == [4, 0]
    assert table.loc["party", ["target_count", "reference_count"]].tolist() == [1, 5]
    assert table.loc["road", "direction"] == "positive"
    assert table.loc["party", "direction"] == "negative"
    assert table.loc["sun", "direction"] == "equal"
    assert table.loc["sun", "g2"] == 0
    # road: a=4, b=0, c=d=10: four-cell G2 from the formula, log ratio log2(4/0.5) = 3.
    assert table.loc["road", "g2"] == pytest.approx(float(log_likelihood(4, 0, 10, 10)),
                                                    abs=1e-4)
    assert table.loc["road", "log_ratio"] == pytest.approx(3.0)
    assert math.isinf(table.loc["road", "pct_diff"])
    assert table.loc["party", "pct_diff"] == pytest.approx(-80.0)
    # p from G2 before rounding (chi2.sf of the rounded 6.5727 would give 0.0104537).
    assert table.loc["road", "p_value"] == pytest.approx(
        stats.chi2.sf(float(log_likelihood(4, 0, 10, 10)), 1), rel=1e-12)
    assert table.loc["road", "p_value"] != pytest.approx(
        stats.chi2.sf(table.loc["road", "g2"], 1), rel=1e-7)
    assert table.loc["road", "target_per_1000"] == 400.0


def test_keyness_order_min_count_and_top(processed):
    table = keyness(processed, "a", "b")  # min_count 2: road (4 in a), party (5 in b)
    # G2(4 vs 0 of 10 words) = 6.5559 > G2(1 vs 5) = 4.0700 (four-cell formula by hand)
    assert table["term"].tolist() == ["road", "party"]
    assert table["g2"].tolist() == [6.5559, 4.07]
    assert table["g2"].is_monotonic_decreasing
    top = top_keywords(keyness(processed, "a", "b", min_count=1), 1)
    assert top["term"].tolist() == ["road", "party"]
    assert top["direction"].tolist() == ["positive", "negative"]


def test_rest_of_corpus_equals_the_other_document_in_a_two_document_corpus(processed):
    rest = keyness(processed, "a", "rest", min_count=1)
    other = keyness(processed, "a", "b", min_count=1)
    assert rest.equals(other)


def test_two_cell_form_selectable(processed):
    # Rayson & Garside (2000), by hand: G2 = 2 * (a ln(a/E1) + b ln(b/E2)), E1 = c(a+b)/(c+d),
    # E2 = d(a+b)/(c+d), with c = d = 10 words.
    # road (4 vs 0): E1 = 2, G2 = 2 * 4 ln(4/2) = 8 ln 2 = 5.5452.
    # party (1 vs 5): E1 = E2 = 3, G2 = 2 * (ln(1/3) + 5 ln(5/3)) = 2.9110.
    table = keyness(processed, "a", "b", form="two-cell").set_index("term")
    assert table.loc["road", "g2"] == pytest.approx(8 * math.log(2), abs=1e-4)
    assert table.loc["party", "g2"] == pytest.approx(
        2 * (math.log(1 / 3) + 5 * math.log(5 / 3)), abs=1e-4)
    assert table.loc[["road", "party"], "g2"].tolist() == [5.5452, 2.911]


def test_general_english_reference(processed):
    from wordfreq import word_frequency

    table = keyness(processed, "a", "general", min_count=1)
    # Only the seven terms of the target are tested; b = wordfreq's frequency * 1e9 (the
    # pinned wordfreq's frequencies: road 1.74e-4, friendship 2.45e-5, moon 5.01e-5, sky
    # 5.25e-5, sun 9.33e-5, star 1.55e-4, party 3.09e-4); in order of G2, all positive.
    assert table[["term", "target_count", "reference_count", "direction"]].values.tolist() == [
        ["road", 4, 174000.0, "positive"], ["friendship", 1, 24500.0, "positive"],
        ["moon", 1, 50100.0, "positive"], ["sky", 1, 52500.0, "positive"],
        ["sun", 1, 93300.0, "positive"], ["star", 1, 155000.0, "positive"],
        ["party", 1, 309000.0, "positive"]]
    for term, b in zip(table["term"], table["reference_count"], strict=True):
        assert b == round(word_frequency(term, "en") * 1e9, 1)
    # road by hand, four-cell G2 (Dunning 1993): a = 4 of c = 10 words, b = 174,000 of
    # d = 1e9; E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), E3 = c(c+d-a-b)/(c+d), E4 = d(c+d-a-b)/(c+d).
    a, c, d = 4, 10, 1e9
    b = word_frequency("road", "en") * d
    n, rest = c + d, c + d - a - b
    by_hand = 2 * (a * math.log(a / (c * (a + b) / n)) + b * math.log(b / (d * (a + b) / n))
                   + (c - a) * math.log((c - a) / (c * rest / n))
                   + (d - b) * math.log((d - b) / (d * rest / n)))
    table = table.set_index("term")
    assert table.loc["road", "g2"] == pytest.approx(by_hand, abs=1e-4)
    assert table.loc["road", "g2"] == 55.7934
    # The assumed reference size hardly matters once it dwarfs the target.
    bigger = keyness(processed, "a", "general", min_count=1, general_size=1e10)
    assert bigger.set_index("term").loc["road", "g2"] == pytest.approx(
        table.loc["road", "g2"], rel=1e-3)


def test_section_target(make_corpus):
    folder = make_corpus({
        "a.txt": "Road road road.\nParty party party.\n",
        "sections.csv": "file,section,voice,first,last\na.txt,one,x,1,1\na.txt,two,x,2,\n",
    })
    processed = process(load_corpus(folder))
    table = keyness(processed, "a:one", "a:two").set_index("term")
    assert table.loc["road", ["target_count", "reference_count"]].tolist() == [3, 0]
    rest = keyness(processed, "a:one", "rest")
    assert rest.equals(keyness(processed, "a:one", "a:two"))


def test_bad_units(processed):
    with pytest.raises(ValueError, match="'zz': no such document, section or condition"):
        keyness(processed, "zz")
    with pytest.raises(ValueError, match=r"^target and reference are the same \('a'\)$"):
        keyness(processed, "a", "a")


def test_keywords_by(processed):
    from analysis.keyness import keywords_by

    table = keywords_by(processed, by="doc", reference="rest", n=1, min_count=1)
    # a vs b: top positive road (4:0), top negative party (1:5); b vs a is the mirror image.
    assert table[["doc", "term", "direction"]].values.tolist() == [
        ["a", "road", "positive"], ["a", "party", "negative"],
        ["b", "party", "positive"], ["b", "road", "negative"]]
    general = keywords_by(processed, by="doc", reference="general", n=2, direction="positive",
                          min_count=1)
    # Against general English: a's road (4 of 10 words) and friendship (1, rarest in
    # wordfreq of a's words); b's party (5) and friendship.
    assert general[["doc", "term", "target_count"]].values.tolist() == [
        ["a", "road", 4], ["a", "friendship", 1], ["b", "party", 5], ["b", "friendship", 1]]
    with pytest.raises(ValueError, match="reference"):
        keywords_by(processed, by="doc", reference="a")


def test_keywords_by_equals_keyness_of_each_document(make_corpus):
    import pandas as pd

    from analysis.keyness import COLUMNS, keywords_by

    folder = make_corpus({
        "a.txt": "Road road road party. Sun road moon. Parties meet the roads.\n",
        "b.txt": "Party party party parties friendship. Sun moon star sky road.\n",
        "c.txt": "Star star sky sky moon. Friendship road party meets the star.\n",
    })
    processed = process(load_corpus(folder))
    for reference in ("rest", "general"):
        for options in ({}, {"min_count": 1}, {"stem": True, "min_count": 1},
                        {"ngram": 2, "stopwords": True, "min_count": 1}):
            for direction in ("both", "positive", "negative"):
                table = keywords_by(processed, by="doc", reference=reference, n=3,
                                    direction=direction,
                                    **options)
                expected = pd.concat(
                    [top_keywords(keyness(processed, doc, reference, **options), 3, direction)
                     .assign(doc=doc) for doc in processed.corpus.ids],
                    ignore_index=True)[["doc"] + COLUMNS]
                pd.testing.assert_frame_equal(table, expected, check_exact=True)


def test_p_value_from_g2_before_rounding(make_corpus):
    # a = 1 of c = 1,000 words against b = 1 of d = 1,001: G2 = 5.0e-7, shown as 0.0 at four
    # decimals; p = P(chi2(1) >= 5e-7) = 0.99944, where the rounded 0.0 would give p = 1.
    assert float(log_likelihood(1, 1, 1_000, 1_001)) == pytest.approx(5.0e-7, rel=1e-3)
    folder = make_corpus({"a.txt": "Zebra " + "alpha " * 999 + "\n",
                          "b.txt": "Zebra " + "alpha " * 1_000 + "\n"})
    processed = process(load_corpus(folder))
    row = keyness(processed, "a", "b", min_count=1).set_index("term").loc["zebra"]
    assert row["g2"] == 0.0
    assert row["p_value"] == pytest.approx(0.999436, abs=1e-6)
    by = keywords_by(processed, by="doc", n=5, min_count=1).set_index(["doc", "term"])
    assert by.loc[("a", "zebra"), "p_value"] == pytest.approx(0.999436, abs=1e-6)


# --------------------------------------------------------------------------- further measures


def test_simple_maths_kilgarriff_formula():
    # Kilgarriff (2009), "Simple maths for keywords": (fpm_focus + N) / (fpm_reference + N).
    # By hand, 10 vs 1 per million and 1,000 vs 100 per million (both ten times as frequent):
    # N = 1: 11 / 2 = 5.5 and 1,001 / 101 = 9.9109; N = 100: 110 / 101 = 1.0891 and
    # 1,100 / 200 = 5.5. A larger N moves the top of the list to the more frequent word.
    assert float(simple_maths(10, 1, 1e6, 1e6)) == pytest.approx(5.5)
    assert float(simple_maths(1_000, 100, 1e6, 1e6)) == pytest.approx(1_001 / 101)
    assert float(simple_maths(10, 1, 1e6, 1e6, 100)) == pytest.approx(110 / 101)
    assert float(simple_maths(1_000, 100, 1e6, 1e6, 100)) == pytest.approx(5.5)
    # Per million words: 5 in 500,000 words is 10 per million.
    assert float(simple_maths(5, 0, 500_000, 2_000_000)) == pytest.approx(11.0)
    with pytest.raises(ValueError, match="smoothing"):
        simple_maths(1, 1, 10, 10, 0)
    for bad in (float("inf"), float("nan")):
        with pytest.raises(ValueError, match=r"smoothing=\w+: must be a finite number above 0"):
            simple_maths(1, 1, 10, 10, bad)


def test_odds_ratio_woolf_interval():
    # Woolf (1955, pp. 251-252): ln OR has variance 1/k11 + 1/k12 + 1/k21 + 1/k22.
    # a = 10 of c = 100, b = 3 of d = 100: table [[10, 3], [90, 97]], by hand
    # OR = (10 * 97) / (3 * 90) = 3.5926, se = sqrt(1/10 + 1/3 + 1/90 + 1/97) = 0.67457,
    # interval exp(ln 3.5926 -/+ 1.96 * 0.67457) = (0.9581, 13.4716).
    ratio, low, high = (float(x) for x in odds_ratio(10, 3, 100, 100))
    se = math.sqrt(1 / 10 + 1 / 3 + 1 / 90 + 1 / 97)
    assert ratio == pytest.approx(970 / 270)
    assert (low, high) == pytest.approx((math.exp(math.log(970 / 270) - 1.959964 * se),
                                         math.exp(math.log(970 / 270) + 1.959964 * se)))
    assert (round(low, 4), round(high, 4)) == (0.9581, 13.4716)
    # scipy's sample odds ratio and its (Woolf) interval agree.
    from scipy.stats.contingency import odds_ratio as scipy_odds_ratio

    peer = scipy_odds_ratio([[10, 3], [90, 97]], kind="sample")
    assert ratio == pytest.approx(peer.statistic)
    assert (low, high) == pytest.approx(tuple(peer.confidence_interval(0.95)), rel=1e-9)


def test_odds_ratio_zero_cell_haldane():
    # a = 4 of 10, b = 0 of 10: [[4, 0], [6, 10]] + 0.5 -> [[4.5, 0.5], [6.5, 10.5]],
    # OR = (4.5 * 10.5) / (0.5 * 6.5) = 14.5385, finite with a finite interval.
    ratio, low, high = (float(x) for x in odds_ratio(4, 0, 10, 10))
    assert ratio == pytest.approx(4.5 * 10.5 / (0.5 * 6.5))
    se = math.sqrt(1 / 4.5 + 1 / 0.5 + 1 / 6.5 + 1 / 10.5)
    assert high == pytest.approx(ratio * math.exp(1.959964 * se), rel=1e-6)
    assert 0 < low < 1 < ratio < high < math.inf


def test_chi2_yates_by_hand_and_scipy():
    # [[10, 3], [90, 97]], margins 13 / 187 and 100 / 100, N = 200: E = [[6.5, 6.5],
    # [93.5, 93.5]], every |O - E| = 3.5, corrected to 3.0 (Yates 1934):
    # 9/6.5 + 9/6.5 + 9/93.5 + 9/93.5 = 2.9617.
    from scipy import stats  # not at collection: a second or more to import
    hand = 2 * 9 / 6.5 + 2 * 9 / 93.5
    assert float(chi2_yates(10, 3, 100, 100)) == pytest.approx(hand)
    assert round(hand, 4) == 2.9617
    assert float(chi2_yates(10, 3, 100, 100)) == pytest.approx(
        stats.chi2_contingency([[10, 3], [90, 97]], correction=True)[0])
    # |O - E| below 0.5 everywhere: the correction takes it to 0 (as scipy does).
    assert float(chi2_yates(5, 5, 100, 101)) == 0.0


def test_fisher_exact_tea_tasting_and_scipy():
    # Fisher (1935), The Design of Experiments, ch. II: the lady tasting tea, 3 of 4 cups
    # right, table [[3, 1], [1, 3]]; P(3) = 16/70, P(4) = 1/70, two-sided p = 34/70 = 0.4857.
    assert float(fisher_p(3, 1, 4, 4, below=None)) == pytest.approx(34 / 70)
    from scipy.stats import fisher_exact

    rng = np.random.default_rng(0)
    a = rng.integers(0, 8, 300)
    b = rng.integers(0, 8, 300)
    c = a + rng.integers(0, 40, 300)
    d = b + rng.integers(1, 4_000, 300)
    mine = fisher_p(a, b, c, d, below=None)
    peer = [fisher_exact([[x, y], [z - x, w - y]]).pvalue
            for x, y, z, w in zip(a, b, c, d, strict=True)]
    np.testing.assert_allclose(mine, peer, rtol=1e-9, atol=1e-15)


def test_fisher_only_where_an_expected_count_is_small():
    # [[3, 1], [1, 3]]: E = 2 everywhere -> computed. [[50, 40], [950, 960]]: the smallest
    # E is 45 -> NaN (the chi-square approximations hold; use p_value).
    p = fisher_p([3, 50], [1, 40], [4, 1_000], [4, 1_000])
    assert p[0] == pytest.approx(34 / 70)
    assert math.isnan(p[1])


def test_keyness_table_further_columns(processed):
    table = keyness(processed, "a", "b", min_count=1)
    # Existing columns keep their places; the further measures follow direction.
    assert table.columns.tolist()[:10] == ["term", "target_count", "reference_count",
                                           "target_per_1000", "reference_per_1000", "g2",
                                           "p_value", "log_ratio", "pct_diff", "direction"]
    assert table.columns.tolist()[10:] == ["simple_maths", "odds_ratio", "or_low", "or_high",
                                           "chi2_yates", "fisher_p"]
    road = table.set_index("term").loc["road"]
    # road: a = 4 of 10, b = 0 of 10. Simple maths: (400,000 + 1) / (0 + 1).
    assert road["simple_maths"] == 400_001.0
    assert road["odds_ratio"] == pytest.approx(round(4.5 * 10.5 / (0.5 * 6.5), 4))
    assert road["chi2_yates"] == pytest.approx(round(float(chi2_yates(4, 0, 10, 10)), 4))
    # [[4, 0], [6, 10]]: E = 2 -> Fisher: (C(4,4) C(16,6) + C(4,0) C(16,10)) / C(20,10).
    assert road["fisher_p"] == pytest.approx(
        2 * math.comb(16, 6) / math.comb(20, 10), rel=1e-9)
    smoothed = keyness(processed, "a", "b", min_count=1, smoothing=100).set_index("term")
    assert smoothed.loc["road", "simple_maths"] == pytest.approx(round(400_100 / 100, 4))
    general = keyness(processed, "a", "general", min_count=1)
    assert general["fisher_p"].isna().all() and general["odds_ratio"].notna().all()


def test_measure_columns_validated_in_one_place():
    assert measure_columns(["chi2_yates"]) == ["chi2_yates"]
    assert measure_columns(["all"]) == COLUMNS[10:]
    with pytest.raises(ValueError, match="unknown measure 'dice'"):
        measure_columns(["dice"])


def test_simple_maths_on_sketch_engines_worked_example():
    # Sketch Engine's documentation of Simple maths (sketchengine.eu/documentation/simple-maths,
    # after Kilgarriff 2009) works the lemma "shard": 35 in the BNC (112,289,776 tokens) against
    # 263 in ukWaC (1,559,716,979 tokens), N = 1: (0.3117 + 1) / (0.1686 + 1) = 1.1224.
    from analysis.keyness import simple_maths

    score = float(simple_maths(35, 263, 112_289_776, 1_559_716_979))
    assert round(score, 4) == 1.1224
    assert round(float(simple_maths(35, 263, 112_289_776, 1_559_716_979, 100)), 4) == 1.0014


def test_keywords_by_where_one_group_has_every_word_is_an_empty_table(make_corpus):
    # Group y's one document has no words: group x has all of them, so neither has a rest
    # to be compared with (an error before: "need at least one array to concatenate").
    from analysis.keyness import COLUMNS, keywords_by

    folder = make_corpus({"a.txt": "Roads and roads and more roads.\n", "b.txt": "— !\n",
                          "metadata.csv": "file,party\na.txt,x\nb.txt,y\n"})
    table = keywords_by(process(load_corpus(folder)), by="party")
    assert table.empty and table.columns.tolist() == ["party"] + COLUMNS


def test_keywords_of_some_groups_are_their_rows_of_the_full_table(seeds):
    # A report shows the largest groups of thousands: their keywords alone, each still
    # against all the rest of the corpus.
    for reference in ("rest", "general"):
        full = keywords_by(seeds, by="voice", reference=reference, n=5)
        shown = ["award report", "newspaper"]
        some = keywords_by(seeds, by="voice", reference=reference, n=5, groups=shown)
        expected = full[full["voice"].isin(shown)].reset_index(drop=True)
        assert len(expected) > 0 and set(some["voice"]) == set(shown)
        pd.testing.assert_frame_equal(some, expected)
    assert keywords_by(seeds, by="voice", n=5, groups=[]).empty


def test_keyness_without_the_further_measures_has_the_same_other_columns(processed):
    from analysis.keyness import MEASURES

    table = keyness(processed, "a", "b", min_count=1)
    short = keyness(processed, "a", "b", min_count=1, further=False)
    further = [column for columns in MEASURES.values() for column in columns]
    assert further and not set(further) & set(short.columns)
    pd.testing.assert_frame_equal(short, table.drop(columns=further))
