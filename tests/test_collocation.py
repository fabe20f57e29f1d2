"""Collocation measures against published worked examples and hand counts."""

from __future__ import annotations

import math

import pytest

from analysis.collocation import collocates, g2_score, pmi_score, t_score
from analysis.corpus import load_corpus
from analysis.text import process

# Manning & Schuetze (1999), Foundations of Statistical Natural Language Processing, ch. 5,
# New York Times newswire corpus of N = 14,307,668 tokens; adjacent bigrams (span 1), so
# E = f(w1) * f(w2) / N.
N_NYT = 14_307_668


def test_t_score_manning_schuetze_new_companies():
    # Ch. 5, 'The t test': C(new) = 15,828, C(companies) = 4,675, C(new companies) = 8
    # -> t = 0.999932.
    e = 15_828 * 4_675 / N_NYT
    assert float(t_score(8, e)) == pytest.approx(0.999932, abs=1e-6)


def test_pmi_manning_schuetze_ayatollah_ruhollah():
    # Ch. 5, 'Mutual Information' (table of bigrams): C(Ayatollah) = 42, C(Ruhollah) = 20,
    # C(Ayatollah Ruhollah) = 20 -> I = 18.38.
    e = 42 * 20 / N_NYT
    assert round(float(pmi_score(20, e)), 2) == 18.38


def test_g2_manning_schuetze_most_powerful():
    # Ch. 5, 'Likelihood ratios' (table of bigrams): C(most) = 12,593, C(powerful) = 932,
    # C(most powerful) = 150 -> -2 log lambda = 1291.42. Our four-cell G2 (which scipy's G-test
    # reproduces) gives 1291.32: a gap of 8e-5 relative that we could not trace to a formula
    # difference (probably the book's arithmetic); the tolerance of 0.15 still pins the formula.
    g2 = float(g2_score(150, 12_593, 932, N_NYT))
    assert g2 == pytest.approx(1291.42, abs=0.15)


# One sentence of 10 words, none a stop word:
# cat(0) apple(1) dog(2) fish(3) bird(4) apple(5) dog(6) cow(7) hen(8) pig(9)
TEXT = "Cat apple dog fish bird apple dog cow hen pig.\n"


@pytest.fixture
def processed(make_corpus):
    return process(load_corpus(make_corpus({"a.txt": TEXT})))


def test_collocates_hand_count(processed):
    table = collocates(processed, "apple", left=1, right=1, min_count=1)
    assert list(table.columns) == ["collocate", "count", "score", "node_count",
                                   "collocate_count", "expected", "pmi", "g2", "t_score"]
    # Windows of 1 each side: (cat, dog) around apple(1), (bird, dog) around apple(5).
    assert dict(zip(table["collocate"], table["count"], strict=True)) == {
        "dog": 2, "cat": 1, "bird": 1}
    dog = table.set_index("collocate").loc["dog"]
    # E = f(node) * f(c) * span / N = 2 * 2 * 2 / 10 = 0.8.
    assert dog["node_count"] == 2 and dog["collocate_count"] == 2
    assert dog["expected"] == pytest.approx(0.8)
    assert dog["pmi"] == pytest.approx(round(math.log2(2 / 0.8), 4))  # 1.3219
    assert dog["t_score"] == pytest.approx(round((2 - 0.8) / math.sqrt(2), 4))  # 0.8485
    # G2 on [[2, 4-2], [2-2, 10-4-2+2]] = [[2, 2], [0, 6]], E = [[0.8, 3.2], [1.2, 4.8]]:
    # 2 * (2 ln(2/0.8) + 2 ln(2/3.2) + 6 ln(6/4.8)) = 4.4629.
    hand = 2 * (2 * math.log(2 / 0.8) + 2 * math.log(2 / 3.2) + 6 * math.log(6 / 4.8))
    assert dog["g2"] == pytest.approx(round(hand, 4))
    assert hand == pytest.approx(4.4629, abs=1e-4)
    # Ties on PMI (all 1.3219) are ordered by count, then alphabetically.
    assert table["collocate"].tolist() == ["dog", "bird", "cat"]


def test_measure_orders_rows(processed):
    by_t = collocates(processed, "apple", left=1, right=1, min_count=1, measure="t")
    assert by_t["score"].tolist() == by_t["t_score"].tolist()
    assert by_t["collocate"].iloc[0] == "dog"  # t = 0.8485 > (1 - 0.4) / 1 = 0.6
    with pytest.raises(ValueError, match="measure"):
        collocates(processed, "apple", measure="dice")


def test_min_count_and_window_sides(processed):
    assert collocates(processed, "apple", left=1, right=1)["collocate"].tolist() == ["dog"]
    right_only = collocates(processed, "apple", left=0, right=2, min_count=1)
    # apple(1) -> dog fish; apple(5) -> dog cow
    assert dict(zip(right_only["collocate"], right_only["count"], strict=True)) == {
        "dog": 2, "fish": 1, "cow": 1}


def test_token_in_two_windows_counted_once(make_corpus):
    processed = process(load_corpus(make_corpus({"a.txt": "Apple dog apple.\n"})))
    table = collocates(processed, "apple", left=1, right=1, min_count=1)
    # dog sits in both windows but is one token: O = 1 <= f(dog) = 1; apple is never its own
    # collocate.
    assert table[["collocate", "count", "collocate_count"]].values.tolist() == [["dog", 1, 1]]


def test_stop_words_filtered_but_counted_in_n(make_corpus):
    processed = process(load_corpus(make_corpus({"a.txt": "The apple and the dog apple.\n"})))
    table = collocates(processed, "apple", left=2, right=2, min_count=1)
    assert table["collocate"].tolist() == ["dog"]
    # N = 6 words, f(apple) = 2, f(dog) = 1, span 4: E = 2 * 1 * 4 / 6.
    assert table["expected"].iloc[0] == pytest.approx(round(8 / 6, 4))
    with_stops = collocates(processed, "apple", left=2, right=2, min_count=1, stopwords=True)
    assert set(with_stops["collocate"]) == {"dog", "the", "and"}


def test_multiword_node(make_corpus):
    text = "Belt & Road cooperation grows. Belt and Road cooperation too.\n"
    processed = process(load_corpus(make_corpus({"a.txt": text})))
    table = collocates(processed, "belt and road", left=1, right=1)
    assert table[["collocate", "count", "node_count"]].values.tolist() == [
        ["cooperation", 2, 2]]


def test_within_sentence(make_corpus):
    processed = process(load_corpus(make_corpus({"a.txt": "Dog cat. Apple fish.\n"})))
    crossing = collocates(processed, "apple", left=1, right=1, min_count=1)
    assert set(crossing["collocate"]) == {"cat", "fish"}
    inside = collocates(processed, "apple", left=1, right=1, min_count=1,
                        within_sentence=True)
    assert inside["collocate"].tolist() == ["fish"]


def test_collocates_of_one_document_equal_the_document_alone(processed, make_corpus):
    import pandas as pd

    text = "Road one two road. Three road four five six road seven.\nOne road.\n"
    both = process(load_corpus(make_corpus({"a.txt": text, "z.txt": "road one one.\n"},
                                           name="both")))
    alone = process(load_corpus(make_corpus({"a.txt": text}, name="alone")))
    for options in ({}, {"left": 1, "right": 3, "min_count": 1},
                    {"within_sentence": True, "min_count": 1, "stopwords": True}):
        pd.testing.assert_frame_equal(collocates(both, "road", where="doc=a", **options),
                                      collocates(alone, "road", **options))
