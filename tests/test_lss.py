"""Latent Semantic Scaling (analysis.textmodels.lss): seed weights, polarities and scores
counted by hand on spaces whose geometry is known, a planted dimension recovered from
simulated text, context words against scipy's chi-square, bad input."""

from __future__ import annotations

import itertools
import math
import string

import numpy as np
import pandas as pd
import pytest
from conftest import corpus_of
from scipy import sparse

from analysis.dfm import DFM
from analysis.textmodels import lss as lss_module
from analysis.textmodels.lss import context_words, lss, seedwords


def toy(rows: list[list[int]], features: list[str]) -> DFM:
    """A DFM of counts whose rows are both the space and the units."""
    return DFM(sparse.csr_matrix(np.array(rows)), np.array(features, dtype=object),
               pd.DataFrame({"doc": [f"d{i + 1}" for i in range(len(rows))]}))


def polarity(fit) -> dict[str, float]:
    return {w: round(p, 6) for w, p in zip(fit.words["word"], fit.words["polarity"],
                                            strict=True)}


# --------------------------------------------------------------------------- by hand


def test_a_full_rank_space_scores_units_by_hand():
    # Three rows of rank 3: the space is all of R^3, every word its own direction, so
    # cos(f, g) = 0 for f != g and beta is the seed weight: good +1, bad -1, other 0.
    fit = lss(toy([[0, 2, 0], [1, 0, 0], [1, 1, 1]], ["bad", "good", "other"]),
              {"good": 1, "bad": -1})
    assert polarity(fit) == {"good": 1.0, "other": 0.0, "bad": -1.0}
    assert fit.k == 3 and fit.sentences == 3
    p = fit.positions
    # raw: d1 (2 * 1) / 2 = 1; d2 -1 / 1 = -1; d3 (-1 + 1 + 0) / 3 = 0
    assert p["raw"].round(9).tolist() == [1.0, -1.0, 0.0]
    # mean 0 and sample sd 1, so the standardised scores are the raw ones
    assert p["position"].round(9).tolist() == [1.0, -1.0, 0.0]
    # se: d1 sqrt((2 * 1 / 2 - 1) / 2) = 0; d2 one word, none; d3 sqrt((2/3 - 0) / 3)
    assert p["se"].iloc[0] == 0 and math.isnan(p["se"].iloc[1])
    assert p["se"].iloc[2] == pytest.approx(math.sqrt(2) / 3)
    assert p["high"].iloc[2] == pytest.approx(1.959963984540054 * math.sqrt(2) / 3)
    assert p["words"].tolist() == [2, 1, 3]


def test_a_word_that_shares_every_sentence_with_a_seed_takes_its_polarity():
    # Sentences (a b) three times, (c d) twice, (e f) once: eigenvalues 6, 4, 2 of X'X.
    # With k = 2 the (e f) direction is cut: b lies on a (cos 1), d on c, e and f on
    # nothing (polarity 0).
    rows = [[1, 1, 0, 0, 0, 0]] * 3 + [[0, 0, 1, 1, 0, 0]] * 2 + [[0, 0, 0, 0, 1, 1]]
    fit = lss(toy(rows, list("abcdef")), {"a": 1, "c": -1}, k=2, rescale=False)
    assert polarity(fit) == {"a": 1.0, "b": 1.0, "e": 0.0, "f": 0.0, "c": -1.0, "d": -1.0}
    assert fit.k == 2
    # the words are sorted most positive first, ties by word
    assert fit.words["word"].tolist() == ["a", "b", "e", "f", "c", "d"]
    # with k = 3 (the rank) e and f keep their own direction, still orthogonal to the seeds
    assert polarity(lss(toy(rows, list("abcdef")), {"a": 1, "c": -1}, k=5,
                        rescale=False))["e"] == 0.0


def test_seed_weights_as_lsx_weights_them():
    # two positive patterns, one negative: each positive pattern weighs 1/2, shared among
    # the words a glob matches; a pattern not found still counts in its side's number
    fit = lss(toy([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
                  ["bad", "good", "goody", "nice"]),
              {"goo*": 1, "absent": 1, "bad": -2}, rescale=False)
    seeds = fit.seeds.set_index("seed")
    assert seeds.loc["goo*", "matches"] == 2 and seeds.loc["goo*", "weight"] == 0.25
    assert seeds.loc["goo*", "words"] == "good; goody"
    assert seeds.loc["absent", "matches"] == 0 and seeds.loc["bad", "weight"] == -2.0
    # full rank: each word's polarity is its own weight
    assert polarity(fit) == {"good": 0.25, "goody": 0.25, "nice": 0.0, "bad": -2.0}
    assert dict(zip(fit.words["word"], fit.words["seed"], strict=True))["goody"] == 0.25


def test_min_n_pads_short_units_with_zero_polarity():
    fit = lss(toy([[0, 2, 0], [1, 0, 0], [1, 1, 1]], ["bad", "good", "other"]),
              {"good": 1, "bad": -1}, min_n=2, rescale=False)
    # d2 has one word of polarity -1, scored as if it had 2: -1/2; d3 keeps its 3
    assert fit.positions["raw"].round(9).tolist() == [1.0, -0.5, 0.0]
    # se of d2 with n = 2: sqrt((1/2 - 1/4) / 2) = 0.3536
    assert fit.positions["se"].iloc[1] == pytest.approx(math.sqrt(0.125))


def test_terms_limit_the_polarity_words():
    fit = lss(toy([[0, 2, 0], [1, 0, 0], [1, 1, 1]], ["bad", "good", "other"]),
              {"good": 1, "bad": -1}, terms=["good", "oth*"], rescale=False)
    assert sorted(fit.words["word"]) == ["good", "other"]
    # d2 has neither: no score; d3 counts good and other: (1 + 0) / 2
    assert math.isnan(fit.positions["raw"].iloc[1])
    assert fit.positions["raw"].iloc[2] == pytest.approx(0.5)


def test_min_count_keeps_the_words_seen_often_enough():
    fit = lss(toy([[0, 2, 0], [1, 0, 0], [1, 1, 1]], ["bad", "good", "other"]),
              {"good": 1, "bad": -1}, min_count=2, rescale=False)
    # good 3, bad 2, other 1 in the space: other is no polarity word, d3 scores (1 - 1) / 2
    assert sorted(fit.words["word"]) == ["bad", "good"]
    assert fit.positions["words"].tolist() == [2, 1, 2]
    with pytest.raises(ValueError, match="^min_count 9: no polarity word is counted"):
        lss(toy([[0, 2, 0], [1, 0, 0], [1, 1, 1]], ["bad", "good", "other"]),
            {"good": 1, "bad": -1}, min_count=9)


def test_the_randomized_decomposition_agrees_with_the_exact_one(monkeypatch):
    # 900 sentences of 8 words drawn from a Zipfian vocabulary of 400 words (a spectrum
    # that falls as text's does): the exact eigendecomposition and the randomized
    # iteration give the same polarities
    rng = np.random.default_rng(1)
    share = 1 / np.arange(1, 401)
    rows = np.repeat(np.arange(900), 8)
    cols = rng.choice(400, size=len(rows), p=share / share.sum())
    x = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                          shape=(900, 400))
    x.sum_duplicates()
    d = DFM(x, np.array([f"w{i:03d}" for i in range(400)], dtype=object),
            pd.DataFrame({"doc": range(900)}))
    seeds = {"w000": 1, "w001": 1, "w002": -1, "w003": -1}
    exact = lss(d, seeds, k=40)
    monkeypatch.setattr(lss_module, "EXACT_FEATURES", 0)
    randomized = lss(d, seeds, k=40)
    assert exact.k == randomized.k == 40
    a = exact.words.set_index("word")["polarity"]
    b = randomized.words.set_index("word")["polarity"].reindex(a.index)
    assert np.corrcoef(a, b)[0, 1] > 0.9999
    assert np.abs(a - b).max() < 0.005


# --------------------------------------------------------------------------- real pipeline

# Simulated text: 40 positive, 40 negative and 200 neutral made-up words.
LETTERS = ["".join(pair) for pair in itertools.product(string.ascii_lowercase, repeat=2)]
POSITIVE = ["pos" + p for p in LETTERS[:40]]
NEGATIVE = ["neg" + p for p in LETTERS[:40]]
NEUTRAL = ["neu" + p for p in LETTERS[:200]]
SEEDS = {**dict.fromkeys(POSITIVE[:5], 1), **dict.fromkeys(NEGATIVE[:5], -1)}


def planted(make_corpus, documents: int = 60, sentences: int = 40, target: str = ""):
    """Documents at known positions theta in [-1, 1]: each sentence is positive with
    probability (1 + theta) / 2, made of three words of its side and five neutral words.
    With a target, a third of the sentences name it, and their side's words come from
    the side's words 5 to 14 only (the target's planted context)."""
    rng = np.random.default_rng(7)
    theta = np.linspace(-1, 1, documents)
    files = {}
    for i, t in enumerate(theta):
        lines = []
        for _ in range(sentences):
            side = POSITIVE if rng.random() < (1 + t) / 2 else NEGATIVE
            named = bool(target) and rng.random() < 1 / 3
            words = list(rng.choice(side[5:15] if named else side, 3))
            words += list(rng.choice(NEUTRAL, 5)) + ([target] if named else [])
            rng.shuffle(words)
            lines.append(" ".join(words).capitalize() + ".")
        files[f"doc{i:02d}.txt"] = " ".join(lines) + "\n"
    return corpus_of(make_corpus, files), theta


def test_lss_recovers_a_planted_dimension_from_seed_words(make_corpus):
    processed, theta = planted(make_corpus)
    fit = lss(processed, SEEDS, k=5)
    # every other word of a side takes its side's sign, learnt from co-occurrence alone
    beta = fit.words.set_index("word")["polarity"]
    assert (beta[POSITIVE[5:]] > 0).all() and (beta[NEGATIVE[5:]] < 0).all()
    assert beta[NEUTRAL].abs().mean() < beta[POSITIVE[5:] + NEGATIVE[5:]].abs().mean() / 2
    # the documents line up with their planted positions
    assert np.corrcoef(fit.positions["position"], theta)[0, 1] > 0.95
    assert fit.sentences == 60 * 40 and fit.k == 5
    # seeded and deterministic: the same tables again
    again = lss(processed, SEEDS, k=5)
    pd.testing.assert_frame_equal(fit.positions, again.positions)
    pd.testing.assert_frame_equal(fit.words, again.words)


def test_groups_score_the_sum_of_their_documents(make_corpus):
    processed = corpus_of(make_corpus, {
        "a.txt": "Good great day. Bad awful night.\n",
        "b.txt": "Good great morning. Great good morning.\n",
        "c.txt": "Bad awful evening.\n",
        "metadata.csv": "file,side\na.txt,x\nb.txt,y\nc.txt,x\n"})
    by_doc = lss(processed, {"good": 1, "bad": -1}, rescale=False)
    by_side = lss(processed, {"good": 1, "bad": -1}, by="side", rescale=False)
    assert by_side.positions["side"].tolist() == ["x", "y"]
    beta = by_doc.words.set_index("word")["polarity"]
    # side x is a + c: good, great, day, bad, awful, night, bad, awful, evening
    x = (beta["good"] + beta["great"] + beta["day"] + 2 * beta["bad"] + 2 * beta["awful"]
         + beta["night"] + beta["evening"]) / 9
    assert by_side.positions["raw"].iloc[0] == pytest.approx(x)
    assert by_side.positions["words"].tolist() == [9, 6]
    # where: only some documents make the space and the units
    only = lss(processed, {"good": 1, "bad": -1}, where="side=x", rescale=False)
    assert only.positions["doc"].tolist() == ["a", "c"] and only.sentences == 3


# --------------------------------------------------------------------------- context


def test_context_words_counted_by_hand(make_corpus):
    processed = corpus_of(make_corpus, {"t.txt": (
        "Migrants bring hope to towns. The weather was cold and grey today. "
        "Migrants bring work. Hope grows in towns.\n")})
    near = context_words(processed, "migrant*", window=2, min_count=1).set_index("word")
    # windows of 2 words after each target (none before): bring hope | bring work
    assert near.loc["bring", "inside"] == 2 and near.loc["bring", "outside"] == 0
    assert near.loc["hope", "inside"] == 1 and near.loc["hope", "outside"] == 1
    # words never inside are left out by min_count (towns: 0 inside, 2 outside)
    assert "towns" not in near.index and "migrants" not in near.index
    # 4 words inside; outside, 19 words less the 2 targets and the 4 inside
    assert int(near["inside"].sum()) == 4
    # hope: a = 1 inside, b = 1 outside, c = 4 - 1, d = 13 - 1, N = 17; its expected count
    # inside, 2 * 4 / 17, is below 5 and |ad - bc| = 9 >= N / 2: Yates's, |ad - bc| - 8.5
    # = 0.5, so chi2 = 17 * 0.5 ** 2 / (2 * 15 * 4 * 13), positive as 1 > 8 / 17
    assert near.loc["hope", "chi2"] == pytest.approx(17 * 0.25 / (2 * 15 * 4 * 13))


@pytest.mark.parametrize("table", [[[10, 3], [90, 97]], [[10, 1], [10, 199]],
                                   [[40, 60], [500, 900]], [[1, 30], [30, 5]]])
def test_keyness_is_scipys_chi_square_with_quantedas_correction_rule(make_corpus, table):
    from scipy import stats  # not at collection: a second or more to import
    (a, b), (c, d) = table
    # one sentence a paragraph: "Migrants hope." a times, "Migrants rain." c times (hope
    # and rain inside a window of 1 word), then "Hope." b times and "Rain." d times
    # (outside): hope's table is [[a, b], [c, d]]
    text = "\n\n".join(["Migrants hope."] * a + ["Migrants rain."] * c + ["Hope."] * b
                        + ["Rain."] * d) + "\n"
    near = context_words(corpus_of(make_corpus, {"t.txt": text}), "migrants", window=1,
                         min_count=1).set_index("word")
    assert near.loc["hope", ["inside", "outside"]].tolist() == [a, b]
    assert near.loc["rain", ["inside", "outside"]].tolist() == [c, d]
    n = a + b + c + d
    expected = stats.chi2_contingency(table, correction=False)[3]
    yates = (expected < 5).any() and abs(a * d - b * c) >= n / 2
    statistic, p_value = stats.chi2_contingency(table, correction=bool(yates))[:2]
    sign = 1 if a > (a + b) * (a + c) / n else -1
    assert near.loc["hope", "chi2"] == pytest.approx(sign * statistic)
    assert near.loc["hope", "p"] == pytest.approx(p_value)


def test_context_scores_only_the_words_near_the_target(make_corpus):
    processed, theta = planted(make_corpus, target="migrants")
    fit = lss(processed, SEEDS, k=5, context="migrants", window=10)
    assert fit.context is not None and (fit.context["inside"] >= 10).all()
    kept = set(fit.words["word"])
    near = fit.context[(fit.context["chi2"] > 0) & (fit.context["p"] < 0.001)]["word"]
    assert kept == set(near) and "migrants" not in kept
    # the planted context words are found (and few others)
    planted_context = set(POSITIVE[5:15] + NEGATIVE[5:15])
    assert len(kept & planted_context) >= 18 and len(kept - planted_context) <= 2
    # units are scored on the words within 10 words of the target only: fewer words
    everything = lss(processed, SEEDS, k=5)
    assert (fit.positions["words"] < everything.positions["words"]).all()
    assert np.corrcoef(fit.positions["position"], theta)[0, 1] > 0.9


# --------------------------------------------------------------------------- seeds


def test_built_in_sentiment_seeds_are_turney_and_littmans():
    seeds = seedwords("sentiment")
    assert seeds[seeds > 0].index.tolist() == ["good", "nice", "excellent", "positive",
                                               "fortunate", "correct", "superior"]
    assert seeds[seeds < 0].index.tolist() == ["bad", "nasty", "poor", "negative",
                                               "unfortunate", "wrong", "inferior"]


def test_seed_files(tmp_path):
    (tmp_path / "s.csv").write_text("word,polarity\nWelcome,2\nthreat,-1.5\n")
    assert seedwords(tmp_path / "s.csv").to_dict() == {"welcome": 2.0, "threat": -1.5}
    # a dictionary of two categories that are not called positive and negative: the first
    # is the upper end (as.seedwords(x, upper = 1, lower = 2))
    (tmp_path / "d.yml").write_text("open:\n  - welcome\n  - help\nclosed:\n  - threat\n")
    assert seedwords(tmp_path / "d.yml").to_dict() == {"welcome": 1.0, "help": 1.0,
                                                       "threat": -1.0}
    (tmp_path / "p.yml").write_text("negative: [bad]\nneutral: [table]\npositive: [good]\n")
    assert seedwords(tmp_path / "p.yml").to_dict() == {"bad": -1.0, "good": 1.0}


@pytest.mark.parametrize(("text", "message"), [
    ("word,score\ngood,1\n", "s.csv:1: expected the header 'word,polarity'"),
    ("word,polarity\ngood,high\n", "s.csv:2: polarity 'high' is not a number"),
    ("word,polarity\ngood,0\n", "s.csv:2: seed 'good': polarity 0.0 must be a non-zero"),
    ("word,polarity\ngood,1\nGood,2\n", "s.csv:3: seed 'good' given twice"),
    ("word,polarity\nfree trade,1\n", "s.csv:2: seed 'free trade' is a phrase"),
    ("word,polarity\n", "s.csv: no seed words"),
])
def test_bad_seed_files_name_the_line(tmp_path, text, message):
    (tmp_path / "s.csv").write_text(text)
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        seedwords(tmp_path / "s.csv")


def test_bad_input_is_one_line(make_corpus, tmp_path):
    processed = corpus_of(make_corpus, {"t.txt": "Good roads. Bad weather today.\n"})
    with pytest.raises(ValueError, match="^seed words: none of happy, sad occurs in the "
                                         "corpus's words$"):
        lss(processed, {"happy": 1, "sad": -1})
    one = corpus_of(make_corpus, {"t.txt": "Good roads and bad weather.\n"}, name="one")
    with pytest.raises(ValueError, match=r"^too small a space for LSS: 1 sentence\(s\) with "
                                         "words and 4 feature"):
        lss(one, "sentiment")
    with pytest.raises(ValueError, match="^no-such-set: no such seed file, nor a built-in"):
        lss(processed, "no-such-set")
    with pytest.raises(ValueError, match="^context zebra: does not occur in the corpus$"):
        lss(processed, "sentiment", context="zebra")
    with pytest.raises(ValueError, match=r"^lss\(\): k=1: must be from 2 "):
        lss(processed, "sentiment", k=1)
    with pytest.raises(ValueError, match="^LSS standardises the scores of at least 2 units"):
        lss(processed, "sentiment")  # one document
    with pytest.raises(ValueError, match="^where and context need the corpus"):
        lss(toy([[1, 0], [0, 1]], ["good", "bad"]), "sentiment", where="party=x")


def test_the_scale_command_takes_lss(make_corpus, cli, tmp_path):
    """``scale --model lss``: the sentences are the space, the units ``--by``; a seed file of
    the analyst's; a model option of another model is one line."""
    import pandas as pd

    texts = {"a.txt": "Good news and excellent work. Good times.\n",
             "b.txt": "Bad news and poor work. Bad times, wrong turns.\n",
             "c.txt": "Good work, bad news. Times change.\n"}
    folder = make_corpus(texts)
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("word,polarity\ngood,1\nbad,-1\n", encoding="utf-8")
    status, out, err = cli("scale", "--corpus", str(folder), "--model", "lss", "--seeds",
                           str(seeds), "--format", "csv")
    assert status == 0, err
    table = pd.read_csv(pd.io.common.StringIO(out)).set_index("doc")
    assert table.columns.tolist()[:4] == ["position", "se", "low", "high"]
    assert table.loc["a", "position"] > table.loc["c", "position"] > table.loc["b", "position"]
    status, _, err = cli("scale", "--corpus", str(folder), "--model", "lss", "--dir", "a,b")
    assert status == 2 and "--dir: not an option of --model lss" in err
