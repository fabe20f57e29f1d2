"""Computed prose: each sentence states the numbers of its table, and corpus strings are safe."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import narrate
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
    keywords = keywords_by(processed, "party", n=2, min_count=1)
    text = narrate.keywords(keywords, "party")
    # with 19 words no keyword reaches G2 10.83
    assert text.startswith("No positive keyword of blue, green and red reaches G2 10.83")


def test_modality_and_evaluation_quote_their_tables(make_corpus):
    p = process(load_corpus(make_corpus({
        "a.txt": "We shall win. We will win.\n", "b.txt": "They might lose. A sad, bad loss.\n",
        "metadata.csv": "file,side\na.txt,x\nb.txt,y\n"})))
    rates = modality(p, by="side", level="category")
    assert narrate.modality(rates, "side") == (
        "*Commitment* modals are most frequent in x (166.67 per 1,000 words) and least "
        "in y (0 per 1,000 words).")
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
    assert narrate.top_terms(top, "doc", n=1).endswith("(4 more groups in the table).")


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
