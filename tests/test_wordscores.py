"""Wordscores (analysis.textmodels.wordscores): the worked example of Laver, Benoit & Garry
(2003) to its published digits, hand-counted toy texts, bad input and the scale command."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import PARTY_METADATA, PARTY_TEXTS, corpus_of
from scipy import sparse

from analysis.dfm import DFM, dfm
from analysis.textmodels.wordscores import lbg_example, scores_for, wordscores


def toy(counts, scores, docs=None) -> DFM:
    counts = np.array(counts)
    docs = docs or [f"t{i + 1}" for i in range(len(counts))]
    features = np.array([chr(ord("a") + j) for j in range(counts.shape[1])], dtype=object)
    return DFM(sparse.csr_matrix(counts), features,
               pd.DataFrame({"doc": docs, "score": scores}))


def test_the_example_data_are_lbg_table_1():
    # LBG 2003, Table 1, as austin's data(lbg) and quanteda's data_dfm_lbgexample hold it:
    # R1 counts A-Q 2 3 10 22 45 78 115 146 158 146 115 78 45 22 10 3 2; V1 starts at H.
    m = lbg_example().matrix.toarray()
    assert m[0, :17].tolist() == [2, 3, 10, 22, 45, 78, 115, 146, 158, 146, 115, 78, 45,
                                  22, 10, 3, 2]
    assert m[0, 17:].sum() == 0 and m[1, 5] == 2 and m[4, 36] == 2
    assert m[5, 7] == 2 and m[5, 15] == 158 and m[5, :7].sum() == 0


def test_lbg_worked_example_to_the_published_digits():
    fit = wordscores(lbg_example(), "score", rescaling="lbg")
    v1 = fit.documents.set_index("doc").loc["V1"]
    # austin's classic.wordscores, "exactly as described in Laver et al. 2003" (its
    # documentation, predict(ws, newdata = vir) on data(lbg)): Score -0.448, Std. Err.
    # 0.0119, Rescaled -0.448 (one virgin text: nothing to stretch). LBG 2003 report the
    # virgin text at -0.45 (quanteda's data_dfm_lbgexample documentation).
    assert round(v1["raw"], 3) == -0.448 and round(v1["raw_se"], 4) == 0.0119
    assert round(v1["position"], 3) == -0.448 and round(v1["se"], 4) == 0.0119
    assert fit.documents.attrs["note"].startswith("LBG rescaling needs at least two")
    # quanteda.textmodels' textmodel_wordscores reference page (its Examples output):
    # coef(tmod) to 7 digits, predict(tmod) V1 -4.480591e-01.
    published = {"A": -1.5, "F": -1.4812500, "G": -1.4809322, "H": -1.4519231,
                 "I": -1.4083333, "J": -1.3232984, "K": -1.1846154, "L": -1.0369898,
                 "M": -0.8805970, "N": -0.75, "O": -0.6194030, "P": -0.4507576,
                 "Q": -0.2992424, "R": -0.1305970, "S": 0.0, "ZE": 1.4809322, "ZK": 1.5}
    scores = fit.words.set_index("feature")["score"]
    assert len(scores) == 37
    assert {w: round(scores[w], 7) for w in published} == published
    raw = fit.documents.set_index("doc")["raw"]
    assert round(raw["V1"], 7) == -0.4480591 and round(raw["R2"], 7) == -0.7395598


def test_martin_vanberg_rescaling_as_quanteda_publishes_it():
    # quanteda.textmodels' reference page: predict(tmod, se.fit = TRUE, interval =
    # "confidence", rescaling = "mv"): V1 fit -0.5099572, lwr -0.53649769, upr
    # -0.48341678, se.fit 0.013541297; R1 and R5 land on -1.5 and 1.5.
    t = wordscores(lbg_example(), "score", rescaling="mv").documents.set_index("doc")
    assert round(t.loc["V1", "position"], 7) == -0.5099572
    assert round(t.loc["V1", "low"], 8) == -0.53649769
    assert round(t.loc["V1", "high"], 8) == -0.48341678
    assert round(t.loc["V1", "se"], 9) == 0.013541297
    assert t.loc[["R1", "R5"], "position"].round(12).tolist() == [-1.5, 1.5]


def test_word_and_text_scores_counted_by_hand():
    # t1 (score -1): a a b; t2 (score 1): b c c c; t3 virgin: a b c c.
    # F: t1 a 2/3 b 1/3; t2 b 1/4 c 3/4. P_wr: a (1, 0); b (4/7, 3/7); c (0, 1).
    # S_a = -1, S_b = -4/7 + 3/7 = -1/7, S_c = 1.
    fit = wordscores(toy([[2, 1, 0], [0, 1, 3], [1, 1, 2]], ["-1", "1", ""]), "score")
    assert fit.words["score"].tolist() == pytest.approx([-1, -1 / 7, 1])
    t3 = fit.documents.iloc[2]
    raw = (1 * -1 + 1 * (-1 / 7) + 2 * 1) / 4  # = 3/14
    assert t3["position"] == pytest.approx(raw) and t3["words"] == 4
    spread = (1 * (-1 - raw) ** 2 + 1 * (-1 / 7 - raw) ** 2 + 2 * (1 - raw) ** 2) / 4
    assert t3["se"] == pytest.approx(np.sqrt(spread / 4))
    assert t3["high"] - t3["low"] == pytest.approx(2 * 1.959964 * t3["se"])
    assert np.isnan(t3["reference"]) and fit.documents["reference"].tolist()[:2] == [-1, 1]


def test_lbg_rescaling_stretches_the_virgin_texts_by_hand():
    # Two virgin texts: raw scores s3, s4; SD_r = sd(-1, 1) = sqrt(2); mean and SD of the
    # virgin raw scores; S* = (S - mean) * SD_r / SD_v + mean.
    fit = wordscores(toy([[2, 1, 0], [0, 1, 3], [1, 1, 2], [3, 1, 1]], ["-1", "1", "", ""]),
                     "score", rescaling="lbg")
    raw = fit.documents["raw"].to_numpy()
    virgin = raw[2:]
    mean, factor = virgin.mean(), np.sqrt(2) / np.std(virgin, ddof=1)
    assert fit.documents["position"].tolist() == pytest.approx(
        ((raw - mean) * factor + mean).tolist())
    assert fit.documents["se"].tolist() == pytest.approx(
        (fit.documents["raw_se"] * factor).tolist())
    # the two virgin texts now spread as far as the reference scores do
    assert np.std(fit.documents["position"][2:], ddof=1) == pytest.approx(np.sqrt(2))


def test_bad_reference_scores_are_one_line_each():
    counts = [[2, 1, 0], [0, 1, 3], [1, 1, 2]]
    with pytest.raises(ValueError, match=r"reference scores score: 'left' of t1 is not a "
                                         r"number"):
        wordscores(toy(counts, ["left", "1", ""]), "score")
    with pytest.raises(ValueError, match="at least two with different scores"):
        wordscores(toy(counts, ["1", "1", ""]), "score")
    with pytest.raises(ValueError, match="at least two with different scores"):
        wordscores(toy(counts, ["1", "", ""]), "score")
    with pytest.raises(ValueError, match="every unit has a reference score"):
        wordscores(toy(counts, ["1", "2", "3"]), "score", rescaling="lbg")
    with pytest.raises(ValueError, match="rescaling='z': must be one of 'none', 'lbg', 'mv'"):
        wordscores(toy(counts, ["1", "2", ""]), "score", rescaling="z")
    with pytest.raises(ValueError, match="wordscores: 2 documents with words"):
        wordscores(toy([[2, 1, 0], [0, 0, 0], [1, 1, 2]], ["-1", "1", ""]), "score")


def test_group_scores_come_from_their_documents(make_corpus):
    p = corpus_of(make_corpus, {**PARTY_TEXTS, "metadata.csv": PARTY_METADATA})
    # rating: a 1, b 2, c 3, d 4; by party red = {a, d} gives two scores
    with pytest.raises(ValueError, match=r"the documents of party=red give different "
                                         r"scores \(1, 4\)"):
        scores_for(p, dfm(p, by="party"), "rating")
    assert scores_for(p, dfm(p), "rating") == ["1", "2", "3", "4"]
    with pytest.raises(ValueError, match="reference scores colour: not a document variable"):
        scores_for(p, dfm(p), "colour")


SCORED_METADATA = ("file,party,position\n"
                   "a.txt,red,-1\nb.txt,blue,1\nc.txt,green,\nd.txt,red,\n")


def test_the_scale_command_scores_and_rescales(make_corpus, cli):
    folder = make_corpus({**PARTY_TEXTS, "metadata.csv": SCORED_METADATA})
    status, out, err = cli("scale", "--corpus", str(folder), "--model", "wordscores",
                           "--reference-scores", "position", "--format", "csv")
    assert status == 0, err
    table = pd.read_csv(pd.io.common.StringIO(out))
    assert table.columns.tolist()[:5] == ["doc", "position", "se", "low", "high"]
    # d (trade road road road) against a (-1: road 2 of 5) and b (1: road 1 of 5, trade 3):
    # S_road = (2/5 * -1 + 1/5 * 1) / (3/5) = -1/3; S_trade = (1/5 * -1 + 3/5) / (4/5) = 1/2
    d = table.set_index("doc").loc["d"]
    assert d["position"] == pytest.approx((3 * -1 / 3 + 1 * 0.5) / 4)
    status, out, _ = cli("scale", "--corpus", str(folder), "--model", "wordscores",
                         "--reference-scores", "position", "--words", "--format", "csv")
    words = pd.read_csv(pd.io.common.StringIO(out)).set_index("feature")["score"]
    assert words["road"] == pytest.approx(-1 / 3) and words["trade"] == pytest.approx(0.5)
    assert "talks" not in words  # only in the virgin text c
    # by party: red takes a's -1 (d has no score), blue b's 1; green is the virgin text
    status, out, err = cli("scale", "--corpus", str(folder), "--model", "wordscores",
                           "--reference-scores", "position", "--by", "party", "--format",
                           "csv")
    groups = pd.read_csv(pd.io.common.StringIO(out)).set_index("party")
    assert status == 0 and groups["reference"].to_dict() == pytest.approx(
        {"blue": 1.0, "green": np.nan, "red": -1.0}, nan_ok=True)
    for args, message in (((), "--model wordscores needs --reference-scores"),
                          (("--reference-scores", "party"), "'red' of a is not a number"),
                          (("--reference-scores", "position", "--dir", "a,b"),
                           "--dir: not an option of --model wordscores"),
                          (("--reference-scores", "nope"), "not a document variable")):
        status, out, err = cli("scale", "--corpus", str(folder), "--model", "wordscores",
                               *args)
        assert status == 2 and message in err and len(err.splitlines()) == 1, err
        assert out == ""
