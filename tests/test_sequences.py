"""Collocations scored by lambda and z, against quanteda's tests and hand counts.

quanteda.textstats' tests are in ``tests/testthat/test-textstat_collocations.R`` of
github.com/quanteda/quanteda.textstats; the formulas in ``?textstat_collocations`` (Blaheta &
Johnson 2001).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from analysis.corpus import load_corpus
from analysis.sequences import COLUMNS, sequences
from analysis.text.process import process


@pytest.fixture
def processed(make_corpus):
    made = itertools.count()

    def make(files: dict[str, str]):
        return process(load_corpus(make_corpus(files, f"corpus{next(made)}")))

    return make


def row(table, collocation):
    found = table[table["collocation"] == collocation]
    assert len(found) == 1, collocation
    return found.iloc[0]


def test_quanteda_zero_length_documents_example(processed):
    # quanteda.textstats test "works ok with zero-length documents (#940)": the texts
    # 'I like good ice cream.' and 'Me too!  I like good ice cream.' give, with min_count 2,
    # exactly these four bigrams, each with lambda 4.317488 and z 2.027787 (the output printed
    # in the test). By hand: 9 bigrams (4 + 5; none across '!' or '.'); for 'i like' the
    # cells are n11 = 2, n10 = 0, n01 = 0, n00 = 9 - 2 - 2 + 2 = 7, each + 0.5:
    # lambda = log(2.5 * 7.5 / (0.5 * 0.5)) = log 75, sigma = sqrt(1/2.5 + 2 + 2 + 1/7.5).
    p = processed({"a.txt": "I like good ice cream.", "b.txt": "Me too!  I like good ice cream."})
    table = sequences(p, 2, min_count=2, stopwords=True, by="corpus")
    assert list(table.columns) == COLUMNS
    assert table["collocation"].tolist() == ["good ice", "i like", "ice cream", "like good"]
    assert table["count"].tolist() == [2, 2, 2, 2]
    assert table["lambda"].tolist() == [round(math.log(75), 4)] * 4 == [4.3175] * 4
    sigma = math.sqrt(1 / 2.5 + 2 + 2 + 1 / 7.5)
    assert table["sigma"].tolist() == [round(sigma, 4)] * 4
    assert table["z"].tolist() == [round(math.log(75) / sigma, 4)] * 4
    assert table["z"].iloc[0] == pytest.approx(2.027787, abs=1e-4)
    assert (table["length"] == 2).all()


def test_quanteda_significance_example_without_smoothing(processed):
    # quanteda.textstats test "the correctness of significant": in 'capital other capital
    # gains other capital word2 other gains capital' the first collocation is 'other
    # capital', with smoothing 0.5 and with 0. By hand (9 bigrams): other capital 2,
    # first word 'other' 3 times, second word 'capital' 3 times, so n = (2, 1, 1, 5) and,
    # unsmoothed, lambda = log(2 * 5 / (1 * 1)) = log 10, sigma = sqrt(1/2 + 1 + 1 + 1/5).
    text = "capital other capital gains other capital word2 other gains capital"
    p = processed({"a.txt": text})
    top = sequences(p, min_count=1, stopwords=True, by="corpus")
    assert top["collocation"].iloc[0] == "other capital"
    raw = sequences(p, min_count=1, stopwords=True, smoothing=0, by="corpus")
    top = raw.iloc[0]
    assert top["collocation"] == "other capital"
    assert (top["lambda"], top["sigma"]) == (round(math.log(10), 4), round(math.sqrt(2.7), 4))
    # 'capital word2' has an empty cell (no other sequence starts with 'capital' ... and ends
    # with 'word2' ...): log(0) makes lambda infinite and z undefined; those rows come last.
    assert raw["z"].isna().tolist() == [False] * 6 + [True] * 2
    assert raw["collocation"].tolist()[-2:] == ["capital word2", "word2 other"]


def _saturated_loglinear(cells: dict[tuple[int, ...], float], size: int):
    """Last coefficient and its standard error of the saturated Poisson log-linear model with
    treatment coding (the glm of Jouni Kuha's MWEstatistics in quanteda's test file), fitted
    directly: the saturated model reproduces the counts, so log(n) = X b, and the covariance
    of b is (X' diag(n) X)^-1."""
    patterns = list(itertools.product((0, 1), repeat=size))
    columns = [s for r in range(size + 1) for s in itertools.combinations(range(size), r)]
    design = np.array([[float(all(p[k] for k in s)) for s in columns] for p in patterns])
    counts = np.array([cells[p] for p in patterns])
    coefficients = np.linalg.solve(design, np.log(counts))
    covariance = np.linalg.inv(design.T @ np.diag(counts) @ design)
    return coefficients[-1], math.sqrt(covariance[-1, -1])


@pytest.mark.parametrize("size", [2, 3])
def test_lambda_and_sigma_are_the_loglinear_interaction_and_its_standard_error(processed, size):
    # quanteda's test "lambda & [ function" checks lambda against a Poisson glm; here the
    # 2^K table of each candidate is counted by brute force over every sequence (like
    # MWEcounts in that test file) and the model is fitted independently of the module.
    text = ("a b c a b d a b c e a c b a b c d a b e c a b c\n"
            "b c a d a b c a e b d c a b\n")
    p = processed({"a.txt": text})
    words = [line.split() for line in text.splitlines()]
    grams = [tuple(line[i:i + size]) for line in words for i in range(len(line) - size + 1)]
    table = sequences(p, size, min_count=1, stopwords=True, by="corpus")
    assert len(table) == len(set(grams))
    for candidate in set(grams):
        cells = {pattern: 0.5 for pattern in itertools.product((0, 1), repeat=size)}
        for gram in grams:
            cells[tuple(int(g == c) for g, c in zip(gram, candidate, strict=True))] += 1
        lam, se = _saturated_loglinear(cells, size)
        got = row(table, " ".join(candidate))
        assert got["count"] == grams.count(candidate)
        assert got["lambda"] == pytest.approx(lam, abs=6e-5)
        assert got["sigma"] == pytest.approx(se, abs=6e-5)
        assert got["z"] == pytest.approx(lam / se, abs=1e-4)


def test_sequences_stop_at_documents_sentences_and_punctuation(processed):
    # quanteda test "collocations do not span texts": 'this is a test', 'this also a test'.
    p = processed({"a.txt": "this is a test", "b.txt": "this also a test"})
    both = [sequences(p, n, min_count=1, stopwords=True, by="corpus")["collocation"].tolist()
            for n in (2, 3)]
    assert "test this" not in both[0] and "test this also" not in both[1]
    assert "this also a" in both[1]
    # A comma, a dash, quotation marks, a possessive 's, an & and a sentence end each stop a
    # sequence; white space (a line break inside a sentence too) does not.
    text = ('Trade grows, peace follows. Peace talks -- today. The "road plan" works.\n'
            "China's economy grew. Belt & Road.\n")
    table = sequences(processed({"a.txt": text}), 2, min_count=1, stopwords=True, by="corpus")
    assert sorted(table["collocation"]) == sorted([
        "trade grows", "peace follows", "peace talks", "road plan", "economy grew"])


def test_stop_words_filter_rows_not_statistics(processed):
    # 'of the' starts with a stop word and 'the nation' too: left out by default, kept with
    # stopwords=True; 'belt and road' has its stop word inside and stays. Every statistic is
    # the same either way (the table counts every sequence).
    text = ("the belt and road of the nation. the belt and road of the nation.\n"
            "the belt and road grows.\n")
    p = processed({"a.txt": text})
    plain = sequences(p, 3, min_count=1, by="corpus")
    every = sequences(p, 3, min_count=1, stopwords=True, by="corpus")
    assert plain["collocation"].tolist() == ["belt and road"]
    assert set(plain["collocation"]) < set(every["collocation"])
    assert "road of the" in set(every["collocation"])
    merged = plain.merge(every, on="collocation", suffixes=("", "_all"))
    for column in ("count", "lambda", "sigma", "z"):
        assert merged[column].tolist() == merged[f"{column}_all"].tolist()


def test_min_count_top_ties_and_the_lexicon_column(processed):
    # political parties x3, political party x1 (both variants of the lexicon's 'political
    # parties'), cpec projects x2, new roads x1.
    text = ("Political parties meet. Political parties talk. Political parties agree.\n"
            "A political party grows. CPEC projects grow. CPEC projects start. New roads.\n")
    p = processed({"a.txt": text})
    # 14 bigrams ('a political' counts in the tables, though not shown). cpec projects:
    # n = (2, 0, 0, 12) + 0.5, lambda = log(2.5 * 12.5 / 0.25) = log 125,
    # sigma = sqrt(0.4 + 2 + 2 + 0.08), z = 2.2812; political parties: n = (3, 1, 0, 10),
    # lambda = log(3.5 * 10.5 / (1.5 * 0.5)) = log 49, sigma = sqrt(1/3.5 + 1/1.5 + 2 + 1/10.5).
    table = sequences(p, min_count=2, by="corpus")
    assert table[["collocation", "count", "lambda", "sigma", "z"]].values.tolist() == [
        ["cpec projects", 2, round(math.log(125), 4), round(math.sqrt(4.48), 4), 2.2812],
        ["political parties", 3, round(math.log(49), 4),
         round(math.sqrt(1 / 3.5 + 1 / 1.5 + 2 + 1 / 10.5), 4), 2.2293]]
    assert dict(zip(table["collocation"], table["mwe"], strict=True)) == {
        "political parties": "political parties", "cpec projects": ""}
    every = sequences(p, min_count=1, by="corpus")
    assert row(every, "political party")["mwe"] == "political parties"
    assert row(every, "new roads")["count"] == 1
    # z descending, ties by collocation.
    z = every["z"].tolist()
    assert z == sorted(z, reverse=True)
    for (z1, c1), (z2, c2) in itertools.pairwise(zip(every["z"], every["collocation"],
                                                      strict=True)):
        assert z1 > z2 or c1 < c2
    assert sequences(p, min_count=1, top=2, by="corpus").equals(every.head(2))


TEXTS = {
    "a.txt": "Road of peace. Road of peace grows. Trade routes open.\n",
    "b.txt": "Trade routes close. Trade routes open. Road of peace.\n",
    "c.txt": "Green energy rises. Green energy works.\n",
}
METADATA = "file,party\na.txt,red\nb.txt,blue\nc.txt,green\n"


def test_each_group_is_scored_on_its_own(processed):
    p = processed({**TEXTS, "metadata.csv": METADATA})
    table = sequences(p, by="party", min_count=1, stopwords=True)
    assert list(table.columns) == ["party", *COLUMNS]
    assert table["party"].unique().tolist() == ["blue", "green", "red"]
    for party in ("blue", "green", "red"):  # c is a lone document in its group
        alone = sequences(p, where=f"party={party}", min_count=1, stopwords=True, by="corpus")
        mine = table[table["party"] == party].drop(columns="party").reset_index(drop=True)
        assert mine.equals(alone)
    # Green by hand: 4 bigrams (green energy x2, energy rises, energy works); for 'green
    # energy' n = (2, 0, 0, 2): lambda = log(2.5 * 2.5 / 0.25) = log 25.
    assert row(table[table["party"] == "green"], "green energy")["lambda"] == round(
        math.log(25), 4)
    by_doc = sequences(p, by="doc", min_count=2)
    # a's repeated bigrams ('road of', 'of peace') start or end with a stop word.
    assert by_doc[["doc", "collocation", "count"]].values.tolist() == [
        ["b", "trade routes", 2], ["c", "green energy", 2]]


def test_bad_arguments(processed):
    p = processed({"a.txt": "Road of peace.\n"})
    for kwargs, message in (({"size": 1}, "size=1: must be one of 2, 3, 4, 5"),
                            ({"size": 6}, "size=6"),
                            ({"min_count": 0}, "min_count=0: must be from 1"),
                            ({"smoothing": -1.0}, "smoothing=-1.0: must be a finite"),
                            ({"smoothing": float("inf")}, "smoothing=inf"),
                            ({"top": 0}, "top=0: must be from 1 to 1,000,000")):
        with pytest.raises(ValueError, match=message):
            sequences(p, **kwargs)
    assert sequences(p, min_count=1, by="corpus").empty  # 'road of' and 'of peace' edge on 'of'
    assert list(sequences(p, min_count=1, by="corpus").columns) == COLUMNS


def test_gaps_of_white_space_of_any_length_or_script_join_words(processed):
    # The gap between two words is read from the texts' bytes: one or two spaces, a tab, a
    # no-break space (U+00A0, two bytes), an ideographic space (U+3000, three bytes) and a run
    # of six spaces (past the gaps read at once) join them; an em dash (U+2014) or a
    # middle dot (U+00B7) between spaces does not, nor does a full-width comma.
    text = ("ice cream. ice  cream. ice\tcream. ice\u00a0cream. ice\u3000cream. "
            "ice      cream. road \u2014 plan. road \u00b7 plan. road\uff0cplan. "
            "Caf\u00e9 au lait.")
    table = sequences(processed({"a.txt": text}), 2, min_count=1, stopwords=True,
                      by="corpus")
    counts = dict(zip(table["collocation"], table["count"], strict=True))
    assert counts == {"ice cream": 6, "café au": 1, "au lait": 1}
