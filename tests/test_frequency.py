"""Word lists counted by hand on toy corpora."""

from __future__ import annotations

import pytest

from analysis.corpus import load_corpus
from analysis.frequency import frequency, stem_labels, unit_counts
from analysis.text import process, summary

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
    table = frequency(processed)
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
            assert mine.reset_index(drop=True).equals(frequency(alone, **options))


def test_where_on_one_document_equals_its_group_of_the_full_list(processed):
    every = frequency(processed, by="doc", stem=False)
    only_b = frequency(processed, by="doc", where="doc=b")
    assert only_b.equals(every[every["doc"] == "b"].reset_index(drop=True))
