"""Word lists counted by hand on toy corpora."""

from __future__ import annotations

import math

import pytest

from analysis.corpus import load_corpus
from analysis.frequency import frequency, stem_labels, unit_counts
from analysis.overview import summary
from analysis.text.process import process

# a.txt has 14 words: The road is long / The road and the Road / Parties meet / A party met.
# Stop words among them (scikit-learn's list): the (x3), is, and, a.
A = "The road is long. The road and the Road!\nParties meet. A party met.\n"
# b.txt has 8 words (& is a token, not a word): Belt Road and Belt and Road Political Parties.
B = "Belt & Road and Belt and Road.\nPolitical Parties.\n"


@pytest.fixture
def processed(make_corpus):
    return process(load_corpus(make_corpus({"a.txt": A, "b.txt": B})))


def rows(table, *columns):
    return {tuple(r) for r in table[list(columns)].itertuples(index=False)}


def test_document_word_list_counts_and_rate_per_1000_words(processed):
    table = frequency(processed, by="doc")
    a = table[table["doc"] == "a"]
    # road x3 (case folded), long, parties, meet, party, met x1; stop words dropped.
    assert a["term"].tolist() == ["road", "long", "meet", "met", "parties", "party"]
    assert a["count"].tolist() == [3, 1, 1, 1, 1, 1]
    assert a["per_1000"].iloc[0] == pytest.approx(round(3 / 14 * 1000, 3))  # 214.286
    assert summary(processed)["words"].tolist() == [14, 8]


def test_stop_words_kept_on_request(processed):
    a = frequency(processed, by="doc", stopwords=True)
    a = a[a["doc"] == "a"]
    assert ("the", 3) in rows(a, "term", "count")
    assert ("a", 1) in rows(a, "term", "count")
    assert a["count"].sum() == 14  # every word of a.txt once


def test_multiword_expressions_are_units(processed):
    b = frequency(processed, by="doc")
    b = b[b["doc"] == "b"]
    # "Belt & Road" and "Belt and Road" are both the term "belt and road".
    assert rows(b, "term", "count") == {("belt and road", 2), ("political parties", 1)}
    plain = frequency(processed, by="doc", mwe=False)
    plain = plain[plain["doc"] == "b"]
    assert rows(plain, "term", "count") == {("belt", 2), ("road", 2), ("political", 1),
                                            ("parties", 1)}


def test_corpus_list_ties_ordered_by_term(processed):
    table = frequency(processed, by="corpus")
    assert list(table.columns) == ["term", "count", "per_1000", "range", "dp"]
    assert table["term"].tolist()[:3] == ["road", "belt and road", "long"]
    assert table["count"].tolist()[:3] == [3, 2, 1]
    assert table["per_1000"].iloc[0] == pytest.approx(round(3 / 22 * 1000, 3))


def test_stem_groups_forms_under_most_frequent_label(processed):
    table = frequency(processed, by="doc", stem=True)
    a = table[table["doc"] == "a"].set_index("term")
    # parties (1) and party (1) share the Snowball stem "parti"; the tie goes to "parties".
    assert a.loc["parties", "count"] == 2
    assert a.loc["parties", "forms"] == "parties|party"
    assert "party" not in a.index
    assert a.loc["meet", "count"] == 1 and a.loc["met", "count"] == 1  # different stems


def test_stem_label_is_most_frequent_form():
    import pandas as pd

    label, forms = stem_labels(pd.Series({"parties": 5, "party": 2, "roads": 1, "road": 1}))
    assert label == {"parties": "parties", "party": "parties", "road": "road", "roads": "road"}
    assert forms == {"parties": "parties|party", "road": "road|roads"}


def test_bigrams_stay_inside_sentences_and_drop_stop_word_edges(processed):
    table = frequency(processed, by="doc", ngram=2)
    a = table[table["doc"] == "a"]
    assert rows(a, "term", "count") == {("parties meet", 1), ("party met", 1)}
    every = frequency(processed, by="doc", ngram=2, stopwords=True)
    a = every[every["doc"] == "a"]
    assert ("the road", 3) in rows(a, "term", "count")
    # "long The" and "Road Parties" would cross a sentence boundary.
    assert not {"long the", "road parties"} & set(a["term"])


def test_trigram_keeps_inner_stop_word(processed):
    table = frequency(processed, by="doc", ngram=3)
    b = table[table["doc"] == "b"]
    # "belt and road" (inner stop word) is kept; "belt & road" starts and ends with words too.
    assert ("belt and road", 1) in rows(b, "term", "count")
    assert ("belt & road", 1) in rows(b, "term", "count")
    assert not any(t.startswith("and ") or t.endswith(" and") for t in b["term"])


def test_sections_and_units(make_corpus):
    folder = make_corpus({
        "a.txt": "Road one.\nRoad road two.\nThree.\n",
        "sections.csv": "file,section,voice,first,last\na.txt,intro,paper,1,1\n"
                        "a.txt,body,author,2,\n",
    })
    processed = process(load_corpus(folder))
    table = frequency(processed, by="section")
    assert rows(table, "section", "term", "count") >= {("intro", "road", 1),
                                                       ("body", "road", 2)}
    assert table["section"].drop_duplicates().tolist() == ["intro", "body"]
    counts, words = unit_counts(processed, "a:body")
    assert counts["road"] == 2 and words == 4
    counts, words = unit_counts(processed, exclude="a:body")
    assert counts.to_dict() == {"road": 1} and words == 2
    with pytest.raises(ValueError, match="'a:x': document 'a' has no section 'x' "
                                         r"\(known: intro, body\)"):
        unit_counts(processed, "a:x")
    with pytest.raises(ValueError, match="'zz': no such document, section or condition"):
        unit_counts(processed, "zz")


def test_top_and_min_count(processed):
    table = frequency(processed, by="doc", top=2)
    assert table.groupby("doc").size().to_dict() == {"a": 2, "b": 2}
    table = frequency(processed, by="doc", min_count=2)
    assert rows(table, "doc", "term") == {("a", "road"), ("b", "belt and road")}


def test_per_document_list_equals_the_document_counted_alone(processed, make_corpus):
    # Each document's rows of a by="doc" list are its own corpus word list: counts, rates
    # (its own 14 or 8 words) and order do not depend on the other documents.
    for name, text in (("a", A), ("b", B)):
        alone = process(load_corpus(make_corpus({f"{name}.txt": text}, name=f"only-{name}")))
        for options in ({}, {"ngram": 2}, {"ngram": 3, "stopwords": True}, {"top": 3}):
            together = frequency(processed, by="doc", **options)
            mine = together[together["doc"] == name].drop(columns="doc")
            assert mine.reset_index(drop=True).equals(frequency(alone, by="corpus", **options))


def test_where_on_one_document_equals_its_group_of_the_full_list(processed):
    every = frequency(processed, by="doc", stem=False)
    only_b = frequency(processed, by="doc", where="doc=b")
    assert only_b.equals(every[every["doc"] == "b"].reset_index(drop=True))


# --------------------------------------------------------------------------- dispersion

# Gries (2008, pp. 415-416), the worked example of DP: a corpus of five parts of 9, 10, 10,
# 10 and 11 words (shares s = .18, .2, .2, .2, .22) in which the element "a" occurs 1, 2, 3,
# 4 and 5 times (v = 1/15 ... 5/15): DP = 0.5 * (.1133 + .0667 + 0 + .0667 + .1133) = 0.18.
GRIES_SIZES = [9, 10, 10, 10, 11]
GRIES_COUNTS = [1, 2, 3, 4, 5]


def test_gries_dp_worked_example():
    from analysis.frequency import gries_dp

    assert float(gries_dp(GRIES_COUNTS, GRIES_SIZES)) == pytest.approx(0.18)
    # Several terms at once (leading axis), and the extremes: spread as the sizes predict
    # (counts proportional to the sizes) is 0; all in the smallest part is 1 - 9/50 = 0.82.
    both = gries_dp([GRIES_SIZES, [1, 0, 0, 0, 0]], GRIES_SIZES)
    assert both.tolist() == pytest.approx([0.0, 0.82])


def test_dp_norm_lijffijt_gries_differs_from_equal_parts_rule_on_unequal_parts():
    from analysis.frequency import gries_dp_norm

    # Lijffijt & Gries (2012, p. 148): DP_norm = DP / (1 - min(s_i)) = 0.18 / 0.82 = 0.2195.
    # Gries's (2008) DP / (1 - 1/n) assumes parts of equal size: 0.18 / 0.8 = 0.225; with the
    # unequal parts here it cannot reach 1 (all in the smallest part: 0.82 / 0.8 = 1.025).
    assert float(gries_dp_norm(GRIES_COUNTS, GRIES_SIZES)) == pytest.approx(0.18 / 0.82)
    assert round(0.18 / 0.82, 4) == 0.2195 and 0.18 / (1 - 1 / 5) == pytest.approx(0.225)
    assert float(gries_dp_norm([1, 0, 0, 0, 0], GRIES_SIZES)) == pytest.approx(1.0)
    # Equal parts: both divisions are 1 - 1/n and agree.
    equal = [10] * 5
    assert float(gries_dp_norm(GRIES_COUNTS, equal)) == pytest.approx(
        0.5 * sum(abs(v / 15 - 0.2) for v in GRIES_COUNTS) / 0.8)
    with pytest.raises(ValueError, match="two parts"):
        gries_dp_norm([3], [10])


def test_frequency_dp_column_is_lijffijt_gries_on_gries_corpus(make_corpus):
    # The worked example as five documents: alpha 1..5 times, filled with bravo to 9, 10, 10,
    # 10 and 11 words.
    files = {f"p{i}.txt": "Alpha " * k + "bravo " * (size - k) + "\n"
             for i, (k, size) in enumerate(zip(GRIES_COUNTS, GRIES_SIZES, strict=True))}
    table = frequency(process(load_corpus(make_corpus(files))), by="corpus").set_index("term")
    assert table.loc["alpha", ["count", "range"]].tolist() == [15, 5]
    assert table.loc["alpha", "dp"] == 0.2195


def test_juilland_d_carroll_example():
    from analysis.frequency import juilland_d

    # Juilland's D for counts 0, 4, 3, 2, 1 over five equal parts (the example of Carroll
    # 1970 and Gries 2008): mean 2, sd (ddof 0) sqrt(2), V = 0.7071,
    # D = 1 - 0.7071 / sqrt(4) = 0.6464.
    assert round(float(juilland_d([0, 4, 3, 2, 1])), 4) == 0.6464
    assert float(juilland_d([0, 4, 3, 2, 1], [5] * 5)) == pytest.approx(
        1 - math.sqrt(2) / 2 / 2)
    # Perfectly even is 1, all in one of n equal parts is 0; unequal parts use rates.
    assert float(juilland_d([3, 3, 3])) == pytest.approx(1.0)
    assert float(juilland_d([0, 0, 6])) == pytest.approx(0.0)
    assert float(juilland_d([1, 2], [10, 20])) == pytest.approx(1.0)

def test_juilland_d_is_the_d_of_dispersion_measures(make_corpus):
    from analysis.concordance import dispersion_measures
    from analysis.frequency import juilland_d

    # One document of five parts of 7 words; x occurs 0, 4, 3, 2 and 1 times in them.
    parts = [["x"] * k + ["f"] * (7 - k) for k in (0, 4, 3, 2, 1)]
    text = " ".join(word for part in parts for word in part) + "\n"
    p = process(load_corpus(make_corpus({"a.txt": text})))
    row = dispersion_measures(p, ["x"], parts=5).iloc[0]
    assert (row["count"], row["parts"]) == (10, 5)
    # the table rounds to 4 decimals: D = 1 - sqrt(2) / 2 / 2 = 0.64645
    assert row["juilland_d"] == round(float(juilland_d([0, 4, 3, 2, 1])), 4) == 0.6464
