"""Multiword expressions and content terms (analysis.text.terms), counted by hand."""

from __future__ import annotations

from conftest import toy

from analysis.text.terms import terms

# --------------------------------------------------------------------------- multiword expressions


def test_multiword_expressions_and_variants(make_corpus):
    p = toy(make_corpus, "The Belt & Road and the Belt and Road Initiative. "
                         "China-Pakistan Economic Corridor, or CPEC. Political parties.")
    t = terms(p)
    assert t["term"].tolist() == [
        "the", "belt and road", "and", "the", "belt and road initiative",
        "cpec", "or", "cpec", "political parties",
    ]
    assert t["mwe"].tolist() == [False, True, False, False, True, True, False, False, True]
    assert t.loc[1, "token"] == "Belt & Road"
    assert t.loc[5, "token"] == "China-Pakistan Economic Corridor"
    assert terms(p, mwe=False)["term"].tolist() == p.tokens["term"].tolist()


def test_overlapping_expressions_the_first_wins_and_what_it_covers_starts_nothing(make_corpus):
    # lexicons/mwe.csv has "political party" and "party based diplomacy", which share
    # "party", and "communist party of china" and "china pakistan economic corridor", which
    # share "china": read left to right, the first expression takes the shared word.
    p = toy(make_corpus, "Political party based diplomacy works. Party based diplomacy "
                         "works. The Communist Party of China Pakistan Economic Corridor grew.")
    assert terms(p)["term"].tolist() == [
        "political parties", "based", "diplomacy", "works",
        "party-based diplomacy", "works",
        "the", "cpc", "pakistan", "economic", "corridor", "grew",
    ]
    assert terms(p)["token"].tolist()[7] == "Communist Party of China"


def test_multiword_expressions_do_not_cross_sentences(make_corpus):
    p = toy(make_corpus, "We met the political. Parties came.")
    assert "political parties" not in set(terms(p)["term"])


def test_seed_multiword_counts(seeds):
    counts = terms(seeds)["term"].value_counts()
    assert counts["belt and road"] == 1  # "Belt & Road"
    assert counts["community with a shared future"] == 4  # 3 "with a shared future" + 1 "of"


def test_content_mask_keeps_words_with_a_letter_that_are_not_stop_words(make_corpus):
    from analysis.text.terms import content_mask

    p = toy(make_corpus, "The 1.3 CPEC's road & 2020 roads.\n")
    tokens = p.tokens
    assert tokens["term"].tolist() == ["the", "1.3", "cpec", "'s", "road", "&", "2020", "roads"]
    assert content_mask(tokens).tolist() == [False, False, True, False, True, False, False,
                                             True]


def test_content_rows_are_the_content_terms_as_arrays(make_corpus):
    from analysis.text.terms import content_rows, content_terms

    # The(0) Belt(1) &(2) Road(3) 's(4) 1.3(5) roads(6) Political(7) parties(8) grew(9): the
    # full stop is no token
    p = toy(make_corpus, "The Belt & Road's 1.3 roads. Political parties grew.\n")
    rows, code, names = content_rows(p)
    assert rows.tolist() == [1, 6, 7, 9]  # an expression at its first token's row
    assert names[code].tolist() == ["belt and road", "roads", "political parties", "grew"]
    assert names[code].tolist() == content_terms(p)["term"].tolist()


def test_is_content_marks_the_content_terms_among_all_occurrences(make_corpus):
    from analysis.text.terms import is_content, term_rows

    # the, belt and road (merged), 's, 1.3, roads: the first, 's and 1.3 are not content
    p = toy(make_corpus, "The Belt & Road's 1.3 roads.\n")
    found = term_rows(p)
    assert found.names[found.code].tolist() == ["the", "belt and road", "'s", "1.3", "roads"]
    assert is_content(found).tolist() == [False, True, False, False, True]
