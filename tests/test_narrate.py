"""Computed prose: each sentence states the numbers of its table, and corpus strings are safe."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import narrate
from analysis.compare import compare_terms
from analysis.corpus import load_corpus
from analysis.frequency import frequency
from analysis.keyness import keywords_by
from analysis.overview import summary
from analysis.stance import evaluation_summary, modality
from analysis.text.process import process

TEXTS = {
    "a.txt": "Road road peace. Trade grows.\n",
    "b.txt": "Road trade. Trade trade peace.\n",
    "c.txt": "Peace talks today. Road ahead.\n",
    "d.txt": "Trade road road road.\n",
    "metadata.csv": "file,party,date\na.txt,red,2020-01-15\nb.txt,blue,2020-04\nc.txt,green,2021\n"
                    "d.txt,red,\n",
}


@pytest.fixture
def processed(make_corpus):
    return process(load_corpus(make_corpus(TEXTS)))


def test_overview_states_the_summary_table(processed):
    table = summary(processed, by="party")
    dates = pd.Series(["2020-01-15", "2020-04", "2021", ""])
    text = narrate.overview(table, "party", dates)
    # red: a (5 words) + d (4); blue 5; green 5; sorted by words, ties by label
    assert text == ("The corpus has 4 documents, 19 words and 7 sentences, in 3 party groups: "
                    "red (9 words, 2 documents), blue (5 words, 1 document) and green (5 words, "
                    "1 document). Documents are dated from 2020-01-15 to 2021 (1 undated).")


def test_top_terms_and_keywords_quote_their_tables(processed):
    top = frequency(processed, by="party", top=2)
    assert narrate.top_terms(top, "party", n=1) == (
        "The most frequent terms are in blue, *trade* (600 per 1,000 words); in green, *ahead* "
        "(200 per 1,000 words); in red, *road* (555.56 per 1,000 words).")
    keywords = keywords_by(processed, by="party", n=2, min_count=1)
    text = narrate.keywords(keywords, "party")
    # with 19 words no keyword reaches G2 10.83
    assert text.startswith("No positive keyword of blue, green and red reaches G2 10.83")


def test_sentences_state_the_thresholds_they_were_given(processed):
    keywords = keywords_by(processed, by="party", n=2, min_count=1)
    # G2 is chi-square with one degree of freedom: 6.63 is p = 0.01, 10.83 is p < 0.001
    assert "reaches G2 6.63 (p = 0.01)" in narrate.keywords(keywords, "party", threshold=6.63)
    assert "reaches G2 10.83 (p < 0.001)" in narrate.keywords(keywords, "party")
    table = compare_terms(processed, "red", "blue", by="party", z_crit=1.0)
    text = narrate.comparison(table, "red", "blue")
    assert text.count("at |z| ≥ 1;") == 2 and "1.96" not in text
    roads = pd.DataFrame({"doc": list("abcdef"), "road": list("uvwxyz"), "role": [""] * 6})
    assert narrate.roads(roads, docs_shown=2, items_shown=3) == (
        "6 road metaphors in 6 documents (a, b and 4 more): *u*, *v*, *w* and 3 more.")


def test_modality_and_evaluation_quote_their_tables(make_corpus):
    p = process(load_corpus(make_corpus({
        "a.txt": "We shall win. We will win.\n", "b.txt": "They might lose. A sad, bad loss.\n",
        "metadata.csv": "file,side\na.txt,x\nb.txt,y\n"})))
    rates = modality(p, by="side", level="category")
    # x: 1 shall in 6 words, y: 0 in 7; P(X = 1 | n = 1, p = 6/13) = 0.46, no difference
    assert narrate.modality(rates, "side") == (
        "*Commitment* modals are at 166.67 per 1,000 words in x and 0 in y, but 1 against 0 "
        "occurrences do not show a difference (exact test of two Poisson rates, p = 0.46).")
    table = evaluation_summary(p, by="side")
    negative = int(table["negative"].sum())
    assert narrate.evaluation(table, "side").startswith(
        f"Of 4 sentences, {int(table['positive'].sum())} are positive and {negative} negative")


def test_empty_tables_say_so_in_one_sentence():
    assert narrate.roads(pd.DataFrame(columns=["doc", "road", "role"])) == (
        "No road metaphor (*X is a road of/to/for Y*) in this corpus.")
    assert narrate.collocates(pd.DataFrame(), None) == (
        "The corpus has no term to take as the node.")
    assert narrate.comparison(pd.DataFrame(columns=["term", "side"]), "a", "") == (
        "The corpus has a single group: there is no pair of groups to compare.")


def test_corpus_strings_cannot_format_or_inject():
    assert narrate.q("<b>*x*</b> [a](javascript:1)") == (
        r"&lt;b&gt;\*x\*&lt;/b&gt; \[a\]\(javascript:1\)")
    table = pd.DataFrame({"party": ["<script>"], "documents": [1], "paragraphs": [1],
                          "sentences": [1], "words": [3], "types": [3], "ttr": [1.0]})
    assert "<script>" not in narrate.overview(table, "party")


def test_ties_are_named_and_long_lists_are_cut_with_a_count():
    shares = pd.DataFrame({"party": ["x"] * 3, "frame": ["economic", "security", "(uncoded)"],
                           "sentences": [2, 2, 1], "total": [5] * 3, "share": [0.4, 0.4, 0.2]})
    assert narrate.frames(shares, "party") == (
        "The frame carried by the largest share of sentences is, in x: *economic and security* "
        "(tied) (40% of its 5 sentences).")
    top = pd.DataFrame({"doc": [str(i) for i in range(10)], "term": ["a"] * 10,
                        "per_1000": [1.0] * 10})
    assert narrate.top_terms(top, "doc", n=1).endswith(
        "(the first 6 groups in the table's order; 4 more in the table).")


def test_sentences_name_the_largest_groups_or_say_how_they_were_chosen(make_corpus):
    """Eight outlets; the largest (zeta, 11 words) sorts last, after seven of 2 words each."""
    from analysis.framing.frames import frame_shares
    from analysis.units import by_size

    files = {f"{name}.txt": "Trade talks.\n" for name in "abcdefg"}
    files["z.txt"] = "Trade road road peace. Road trade trade. Peace talks road trade.\n"
    files["metadata.csv"] = "file,outlet\n" + "".join(
        f"{name}.txt,{'zeta' if name == 'z' else 'alpha-' + name}\n" for name in "abcdefgz")
    processed = process(load_corpus(make_corpus(files)))
    order = by_size(processed, "outlet")
    assert order == ["zeta", *[f"alpha-{name}" for name in "abcdefg"]]
    top = frequency(processed, by="outlet", top=1)
    named = narrate.top_terms(top, "outlet", n=1, order=order)
    # zeta: road 4, trade 4 of 11 words -> 363.64; ties by term
    assert named.startswith("The most frequent terms are in zeta, *road* (363.64 per 1,000 "
                            "words); in alpha-a,")
    assert named.endswith("(the 6 largest groups by words; 2 more in the table).")
    unordered = narrate.top_terms(top, "outlet", n=1)
    assert "zeta" not in unordered
    assert unordered.endswith("(the first 6 groups in the table's order; 2 more in the "
                              "table).")
    keywords = keywords_by(processed, by="outlet", n=1, min_count=1)
    assert "zeta" in narrate.keywords(keywords, "outlet", order=order)
    shares = frame_shares(processed, by="outlet")
    assert narrate.frames(shares, "outlet", order=order).startswith(
        "The frame carried by the largest share of sentences is, in zeta: *economic* (100% of "
        "its 3 sentences); in alpha-a:")


def _rates(counts, words):
    return pd.DataFrame({"party": ["blue", "red"], "category": ["commitment"] * 2,
                         "count": counts, "words": words,
                         "per_1000": [1000 * c / w for c, w in zip(counts, words, strict=True)]})


def test_modality_states_a_difference_only_where_a_test_supports_it():
    """Exact test of two Poisson rates: given n = k1 + k2 occurrences, k1 is binomial with
    p = w1 / (w1 + w2) if the rates are equal (two-sided, as scipy's binomtest)."""
    from math import comb

    # 9 against 3 in equal sizes: P(X >= 9 | n = 12, p = 1/2) = 299 / 4096, twice: 0.146
    assert 2 * sum(comb(12, k) for k in range(9, 13)) / 4096 == pytest.approx(0.146, abs=5e-4)
    weak = narrate.modality(_rates([9, 3], [1000, 1000]), "party")
    assert "most frequent" not in weak
    assert weak == ("*Commitment* modals are at 9 per 1,000 words in blue and 3 in red, but 9 "
                    "against 3 occurrences do not show a difference (exact test of two "
                    "Poisson rates, p = 0.15).")
    # 9 against 1: 2 * (10 + 1) / 1024 = 0.021
    strong = narrate.modality(_rates([9, 1], [1000, 1000]), "party")
    assert strong == ("*Commitment* modals are most frequent in blue (9 per 1,000 words) and "
                      "least in red (1 per 1,000 words): 9 against 1 occurrences, a difference "
                      "beyond chance (exact test of two Poisson rates, p = 0.02).")


def test_evaluation_names_the_most_negative_group_with_its_test():
    """Fisher's exact test of the group's negative sentences against the other groups'."""
    from math import comb

    def summary(negative, sentences):
        return pd.DataFrame({"party": ["blue", "red"], "sentences": sentences,
                             "positive": [0, 0], "negative": negative,
                             "negative_share": [n / s for n, s in
                                                zip(negative, sentences, strict=True)]})

    # 3 of 50 against 0 of 11: every split of the 3 negatives is at most as likely as the
    # one seen (C(50, 3) / C(61, 3) = 0.54), so p = 1
    assert comb(50, 3) / comb(61, 3) == pytest.approx(0.5446, abs=1e-4)
    weak = narrate.evaluation(summary([3, 0], [50, 11]), "party")
    assert weak.endswith("the largest share of negative sentences (6%) is in blue, but it does "
                         "not differ from the other groups' beyond chance (Fisher's exact test, "
                         "p = 1.00).")
    # 10 of 20 against 0 of 20: 2 * C(20, 10) / C(40, 10) = 0.00044
    assert 2 * comb(20, 10) / comb(40, 10) == pytest.approx(0.00044, abs=1e-5)
    strong = narrate.evaluation(summary([10, 0], [20, 20]), "party")
    assert strong.endswith("the largest share of negative sentences (50%) is in blue, beyond "
                           "chance against the other groups' (Fisher's exact test, "
                           "p < 0.001).")


@pytest.mark.parametrize("value, block", [
    ("labour\n===", "<h1>"), ("labour\n---", "<h2>"), ("labour\r\n\r\n# heading", "<h1>"),
    ("- item", "<li>"), ("+ item", "<li>"), ("1. item", "<li>"), ("2) item", "<li>"),
    ("a\u2028\u2029\x0b\x0c\x85b\n\n    code", "<pre>"), ("x\n\n```\ncode", "<pre>"),
    ("***", "<hr"), ("---", "<hr"), ("===\n", "<h1>"),
])
def test_q_keeps_a_value_inside_its_sentence(value, block):
    import mistune

    for text in (q := narrate.q(value), f"{q}", f"The largest group is {q}.",
                 f"The groups are a and\n{q}."):
        page = mistune.html(text)
        assert block not in page
        assert page.count("<p>") == 1, page  # one paragraph: the sentence
    assert not any(c in q for c in "\n\r\x0b\x0c\x85\u2028\u2029")


def _fit(table, model="wordfish", **attrs):
    from analysis.positions import Positions

    table = table.copy()
    table.attrs.update({"level": 0.95, **attrs})
    return Positions(model, "doc", table, features=12)


POSITIONS = pd.DataFrame({"doc": ["p", "q", "r", "s", "t"],
                          "position": [0.0, -1.5, 2.0, 1.0, -0.4],
                          "low": [-0.5, -1.8, 1.2, 0.4, -0.7],
                          "high": [0.5, -1.2, 2.8, 1.6, -0.1]})


def test_positions_names_the_units_at_each_end_with_their_intervals():
    text = narrate.positions(_fit(POSITIONS, direction=("p", "q")))
    # 5 units: two at each end, from the end inwards
    assert text == ("Wordfish places 5 documents on one dimension from their counts of 12 words, "
                    "signed so that p lies left of q (parameter DIRECTION). At the left end: q "
                    "(-1.50; -1.80 to -1.20) and t (-0.40; -0.70 to -0.10); at the right end: r "
                    "(2.00; 1.20 to 2.80) and s (1.00; 0.40 to 1.60) (position; 95% interval).")
    three = narrate.positions(_fit(POSITIONS.iloc[:3], direction=("p", "q")))
    assert "At the left end: q (-1.50; -1.80 to -1.20); at the right end: r (2.00;" in three


def test_positions_says_what_wordscores_scored_and_why_there_are_none():
    table = POSITIONS.assign(reference=[-1.0, None, 1.0, None, None])
    text = narrate.positions(_fit(table, "wordscores"))
    assert text.startswith("Wordscores places 5 documents on one dimension from their counts "
                           "of 12 words, on the scale of the scores of 2 reference texts (3 "
                           "texts scored against them); raw scores lie nearer")
    from analysis.positions import Positions

    assert narrate.positions(Positions("wordfish", "doc", reason="a <b>")) == \
        "No positions: a &lt;b&gt;."


def test_overlaps_counts_and_names_the_pairs_not_set_apart():
    # q [-1.8, -1.2], t [-0.7, -0.1], p [-0.5, 0.5], s [0.4, 1.6], r [1.2, 2.8]:
    # t-p, p-s, s-r overlap; 3 of 10 pairs
    text = narrate.overlaps(_fit(POSITIONS))
    assert text == ("3 of the 10 pairs of documents have overlapping 95% intervals, so the "
                    "model does not set them apart: t and p; p and s; s and r. Every other "
                    "pair is set apart.")
    assert narrate.overlaps(_fit(POSITIONS), most=1).endswith("t and p; and 2 more. Every "
                                                              "other pair is set apart.")
    apart = narrate.overlaps(_fit(POSITIONS.iloc[[1, 2]]))
    assert apart == ("No two of the 2 documents have overlapping 95% intervals: the model "
                     "sets every pair apart.")


def test_overlaps_counts_every_overlapping_pair_as_a_double_loop_does():
    rng = np.random.default_rng(3)
    position = rng.normal(size=60)
    half = rng.uniform(0.05, 0.6, size=60)
    table = pd.DataFrame({"doc": [f"d{i:02d}" for i in range(60)], "position": position,
                          "low": position - half, "high": position + half})
    expected = sum(1 for i in range(60) for j in range(i + 1, 60)
                   if table.low[i] <= table.high[j] and table.low[j] <= table.high[i])
    assert 0 < expected < 60 * 59 // 2
    assert narrate.overlaps(_fit(table)).startswith(f"{expected:,} of the 1,770 pairs")
