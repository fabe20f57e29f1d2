"""Collocation measures against published worked examples and hand counts."""

from __future__ import annotations

import math

import pytest

from analysis.collocation import collocates, g2_score, pmi_score, t_score
from analysis.corpus import load_corpus
from analysis.text.process import process

# Manning & Schuetze (1999), Foundations of Statistical Natural Language Processing, ch. 5,
# New York Times newswire corpus of N = 14,307,668 tokens; adjacent bigrams (span 1), so
# E = f(w1) * f(w2) / N.
N_NYT = 14_307_668


def test_t_score_manning_schuetze_new_companies():
    # Sect. 5.3.1 'The t test', pp. 164-165: C(new) = 15,828, C(companies) = 4,675,
    # C(new companies) = 8 -> t = 0.999932.
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


def test_pmi_church_hanks_honorary_doctor():
    # Church & Hanks (1990), Table 1 (associations with "doctor" in the 1987 AP corpus,
    # about 15 million words): I = 11.3 for f(honorary, doctor) = 12, f(honorary) = 111,
    # f(doctor) = 621, and for f(doctors, dentists) = 8, f(doctors) = 1,105,
    # f(dentists) = 44; I = 10.7 for f(doctors, nurses) = 30, f(nurses) = 241.
    # I(x; y) = log2(N f(x, y) / (f(x) f(y))), so E = f(x) f(y) / N. The paper gives N only
    # as "15 million" and I to one decimal: with N = 15,000,000 the three are 11.351, 11.269
    # and 10.723, each within 0.06 of the printed value (the honorary row would need N a
    # little under 15 million to round to 11.3 rather than 11.4).
    n = 15_000_000
    for o, fx, fy, printed in ((12, 111, 621, 11.3), (8, 1_105, 44, 11.3),
                               (30, 1_105, 241, 10.7)):
        assert float(pmi_score(o, fx * fy / n)) == pytest.approx(printed, abs=0.06)


def test_g2_score_dunning_table():
    # Dunning (1993), p. 72 (the bigram table of section 7): -2 log lambda = 167.23 for
    # k(AB) = 10, k(A~B) = 0, k(~AB) = 3, k(~A~B) = 31,764. As a co-occurrence table:
    # O = 10, R1 = 10 + 0, C1 = 10 + 3, N = 31,777.
    assert round(float(g2_score(10, 10, 13, 31_777)), 2) == 167.23


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
    assert collocates(processed, "apple", left=1, right=1,
                      min_count=2)["collocate"].tolist() == ["dog"]
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


def test_overlapping_windows_observed_and_expected_count_the_same_positions(make_corpus):
    # bird(0) apple(1) dog(2) apple(3) cat(4) fish(5) hen(6) dog(7) pig(8) cow(9), N = 10.
    text = "Bird apple dog apple cat fish hen dog pig cow.\n"
    processed = process(load_corpus(make_corpus({"a.txt": text})))
    table = collocates(processed, "apple", left=2, right=2, min_count=1).set_index("collocate")
    # Windows of 2: apple(1) -> rows 0, 2, (3); apple(3) -> rows (1), 2, 4, 5. Joined, the
    # node's rows 1 and 3 left out: {0, 2, 4, 5}, W = 4 positions, where f(n) * span = 8.
    # dog(2) lies in both windows and is one position: O(dog) = 1; dog(7) is outside.
    assert table["count"].to_dict() == {"bird": 1, "dog": 1, "cat": 1, "fish": 1}
    dog = table.loc["dog"]
    assert dog["node_count"] == 2 and dog["collocate_count"] == 2
    # E = W * f(dog) / N = 4 * 2 / 10 = 0.8 (f(n) * f(c) * span / N would say 1.6).
    assert dog["expected"] == pytest.approx(0.8)
    assert dog["pmi"] == pytest.approx(round(math.log2(1 / 0.8), 4))  # 0.3219
    assert dog["t_score"] == pytest.approx(round((1 - 0.8) / 1, 4))
    # G2 on [[O, W - O], [f(c) - O, N - W - f(c) + O]] = [[1, 3], [1, 5]],
    # E = [[0.8, 3.2], [1.2, 4.8]].
    hand = 2 * (math.log(1 / 0.8) + 3 * math.log(3 / 3.2) + math.log(1 / 1.2)
                + 5 * math.log(5 / 4.8))
    assert dog["g2"] == pytest.approx(round(hand, 4))
    # A window cut by the document's edge has fewer positions too: bird(0) apple(1) with
    # left=2 gives one position on the left of apple(1), as counted above.


def test_stop_words_filtered_but_counted_in_n(make_corpus):
    processed = process(load_corpus(make_corpus({"a.txt": "The apple and the dog apple.\n"})))
    table = collocates(processed, "apple", left=2, right=2, min_count=1)
    assert table["collocate"].tolist() == ["dog"]
    # the(0) apple(1) and(2) the(3) dog(4) apple(5), N = 6 words, f(dog) = 1. Windows of 2:
    # apple(1) -> rows 0, 2, 3; apple(5) -> rows 3, 4. Joined: {0, 2, 3, 4}, W = 4 (not
    # f(n) * span = 8): E = W * f(dog) / N = 4 / 6.
    assert table["expected"].iloc[0] == pytest.approx(round(4 / 6, 4))
    with_stops = collocates(processed, "apple", left=2, right=2, min_count=1, stopwords=True)
    assert set(with_stops["collocate"]) == {"dog", "the", "and"}


def test_multiword_node(make_corpus):
    text = "Belt & Road cooperation grows. Belt and Road cooperation too.\n"
    processed = process(load_corpus(make_corpus({"a.txt": text})))
    table = collocates(processed, "belt and road", left=1, right=1, measure="g2")
    assert table[["collocate", "count", "node_count"]].values.tolist() == [
        ["cooperation", 2, 2]]  # seen twice: kept by G2's default minimum


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


# A node with one frequent collocate and one seen only twice in the whole corpus:
# "harbour" 4 times, "boats" 4 times right after it and once elsewhere, "quay" twice, each
# after "harbour boats"; "rope" and "net" once each in a window, the rest outside them.
RARE = ("Harbour boats quay. Harbour boats quay. Harbour boats rope. Harbour boats net.\n\n"
        "Market boats. Market day.\n")


def test_pmi_keeps_collocates_seen_three_times_by_default(make_corpus):
    """By PMI a word seen twice, both times beside the node, outranks the node's steady
    companion; the default minimum for PMI (3) drops it, g2 and t keep 2."""
    processed = process(load_corpus(make_corpus({"a.txt": RARE})))
    every = collocates(processed, "harbour", left=0, right=2, min_count=1)
    # windows of 2 after each harbour: boats 4 times; quay 2, rope 1, net 1
    # by PMI every word seen only in the windows first (log2(N / W)), then boats (4 of 5)
    assert list(zip(every["collocate"], every["count"], strict=True)) == [
        ("quay", 2), ("net", 1), ("rope", 1), ("boats", 4)]
    pmi = collocates(processed, "harbour", left=0, right=2)
    assert pmi["collocate"].tolist() == ["boats"]
    assert pmi.attrs["min_count"] == 3
    g2 = collocates(processed, "harbour", left=0, right=2, measure="g2")
    assert set(g2["collocate"]) == {"boats", "quay"} and g2.attrs["min_count"] == 2
    assert collocates(processed, "harbour", left=0, right=2, measure="pmi",
                      min_count=2)["collocate"].tolist() == ["quay", "boats"]


def test_cli_min_count_default_by_measure_and_bounds(cli, make_corpus):
    corpus = str(make_corpus({"a.txt": RARE}))
    status, out, _ = cli("collocates", "harbour", "--corpus", corpus, "--window", "2",
                         "--format", "csv")
    assert status == 0 and [r.split(",")[0] for r in out.splitlines()[1:]] == ["boats"]
    status, out, _ = cli("collocates", "harbour", "--corpus", corpus, "--window", "2",
                         "--min-count", "2", "--format", "csv")
    assert [r.split(",")[0] for r in out.splitlines()[1:]] == ["quay", "boats"]
    status, out, err = cli("collocates", "harbour", "--corpus", corpus, "--min-count", "0")
    assert status == 2 and out == "" and err.count("\n") == 1 and "--min-count 0" in err
