"""Wordfish (analysis.textmodels.wordfish): quanteda.textmodels' published example, positions
recovered from data simulated from the model, identification, convergence, bad input and the
scale command."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import PARTY_METADATA, PARTY_TEXTS
from scipy import sparse

from analysis.dfm import DFM
from analysis.textmodels import MODELS, scale
from analysis.textmodels.wordfish import wordfish
from analysis.textmodels.wordscores import lbg_example


def simulated(seed: int = 27, n: int = 50, k: int = 1000):
    """Counts drawn from the model itself: known theta, about 3,000 words a text."""
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(n)
    alpha = rng.normal(2.0, 0.3, n)
    psi = rng.normal(0.0, 1.0, k) - 1.5
    beta = rng.normal(0.0, 0.4, k)
    y = rng.poisson(np.exp(alpha[:, None] + psi + np.outer(theta, beta)))
    d = DFM(sparse.csr_matrix(y), np.array([f"w{j:04d}" for j in range(k)], dtype=object),
            pd.DataFrame({"doc": [f"d{i:02d}" for i in range(n)]}))
    return d, theta, beta


def test_reproduces_quanteda_on_the_lbg_example():
    # quanteda.textmodels' textmodel_wordfish reference page, Examples:
    # textmodel_wordfish(data_dfm_lbgexample, dir = c(1, 5)); summary() and coef().
    # quanteda's own rounds (no line search): its figures to the printed digits.
    fit = wordfish(lbg_example(), direction=("R1", "R5"), line_search=False)
    t = fit.documents.set_index("doc")
    assert t["position"].round(5).tolist() == [-1.29057, -0.61644, 0.03351, 0.70961,
                                               1.52334, -0.35945]
    assert t["se"].round(5).tolist() == [0.01448, 0.01060, 0.01085, 0.01214, 0.01744,
                                         0.01070]
    assert t["alpha"].round(6).tolist() == [-4.558205, 1.303010, 3.307253, 1.688789,
                                            -4.270413, 2.529567]
    w = fit.words.set_index("feature")
    # coef(tmod1)$features, printed to 7 decimals
    assert w.loc[["A", "N", "ZG", "ZK"], "beta"].tolist() == pytest.approx(
        [-8.4452617, -5.8782223, 11.4115094, 7.3723185], abs=2e-6)
    assert w.loc[["A", "N", "ZG", "ZK"], "psi"].tolist() == pytest.approx(
        [-6.6414630, 0.1109961, -9.3724297, -6.9825744], abs=2e-6)
    assert fit.documents.attrs["converged"] and fit.documents.attrs["iterations"] == 22
    # quanteda stops at round 22 because that round lowered the log posterior
    assert fit.documents.attrs["trace"][-1] < fit.documents.attrs["trace"][-2]


def test_the_line_search_stays_near_quanteda_and_never_lowers_the_log_posterior():
    # The default fit stops before a round would lower the log posterior; on the same
    # example its positions stay within 0.01 of quanteda's printed ones (quanteda's own
    # positions still move by about 0.005 a round when it stops).
    fit = wordfish(lbg_example(), direction=("R1", "R5"))
    position = fit.documents["position"].to_numpy()
    published = np.array([-1.29057, -0.61644, 0.03351, 0.70961, 1.52334, -0.35945])
    assert np.abs(position - published).max() < 0.01
    assert np.corrcoef(position, published)[0, 1] > 0.9999
    assert np.all(np.diff(fit.documents.attrs["trace"]) >= 0)
    assert fit.documents.attrs["converged"]


def untrimmed(seed: int = 11, n: int = 60, k: int = 20_000):
    """A corpus as real ones are before trimming, drawn from the model: word frequencies
    falling as Zipf's law (most words found once or twice), short texts and a few very long
    ones."""
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(n)
    alpha = np.log(rng.choice([150.0, 400.0, 20_000.0], size=n, p=[0.5, 0.4, 0.1]))
    psi = np.log(1.0 / np.arange(1, k + 1))
    psi -= np.log(np.exp(psi).sum())
    beta = rng.normal(0.0, 0.5, k)
    y = rng.poisson(np.exp(alpha[:, None] + psi + np.outer(theta, beta)))
    d = DFM(sparse.csr_matrix(y), np.array([f"w{j:04d}" for j in range(k)], dtype=object),
            pd.DataFrame({"doc": [f"d{i:02d}" for i in range(n)]}))
    return d, theta


def test_an_untrimmed_corpus_converges_and_recovers_the_positions():
    d, theta = untrimmed()
    counts = d.matrix.toarray()
    shares = (counts > 0).sum(axis=0)
    assert ((shares > 0) & (shares <= 2)).sum() > 1000  # many words of one or two texts
    assert d.totals().max() > 50 * np.median(d.totals())  # a few very long texts
    lo, hi = f"d{np.argmin(theta):02d}", f"d{np.argmax(theta):02d}"
    fit = wordfish(d, direction=(lo, hi))
    attrs = fit.documents.attrs
    assert attrs["converged"] and np.isfinite(attrs["log_posterior"])
    assert np.all(np.diff(attrs["trace"]) >= 0)  # no round lowered the log posterior
    assert np.isfinite(fit.documents[["position", "se"]].to_numpy()).all()
    assert np.corrcoef(fit.documents["position"], theta)[0, 1] > 0.95


def test_recovers_positions_simulated_from_the_model():
    d, theta, beta = simulated()
    lo, hi = f"d{np.argmin(theta):02d}", f"d{np.argmax(theta):02d}"
    fit = wordfish(d, direction=(lo, hi))
    est = fit.documents["position"].to_numpy()
    assert np.corrcoef(est, theta)[0, 1] >= 0.99
    # the scale is identified: mean 0, standard deviation 1
    assert est.mean() == pytest.approx(0, abs=1e-9) and est.std(ddof=1) == pytest.approx(1)
    kept = [int(f[1:]) for f in fit.words["feature"]]
    assert np.corrcoef(fit.words["beta"], beta[kept])[0, 1] >= 0.9
    t = fit.documents
    assert (t["low"] < t["position"]).all() and (t["position"] < t["high"]).all()
    assert (t["high"] - t["low"]).to_numpy() == pytest.approx(2 * 1.959964 * t["se"])


def test_direction_signs_the_dimension_and_fits_repeat_exactly():
    d = lbg_example()
    one = wordfish(d, direction=("V1", "R2"))
    other = wordfish(d, direction=("R2", "V1"))
    pos = one.documents.set_index("doc")["position"]
    assert pos["V1"] < pos["R2"]
    assert other.documents["position"].to_numpy() == pytest.approx(
        -one.documents["position"].to_numpy())
    assert other.words["beta"].to_numpy() == pytest.approx(-one.words["beta"].to_numpy())
    assert wordfish(d).documents.attrs["direction"] == ("R1", "R2")  # the first two
    again = wordfish(d, direction=("V1", "R2"))
    assert np.array_equal(again.documents["position"], one.documents["position"])


def test_non_convergence_is_an_error_or_a_warning_in_the_table():
    d = lbg_example()
    with pytest.raises(ValueError, match=r"wordfish did not converge in 2 rounds "
                                         r"\(max_iter 2;"):
        wordfish(d, max_iter=2)
    with pytest.warns(UserWarning, match="did not converge"):
        fit = wordfish(d, max_iter=2, strict=False)
    assert fit.documents.attrs["converged"] is False
    assert fit.documents["warning"].str.startswith("wordfish did not converge").all()
    assert "warning" not in wordfish(d).documents.columns


def test_bad_input_is_one_line():
    d = lbg_example()
    with pytest.raises(ValueError, match=r"direction 'R9': no such document with words in "
                                         r"the subset \(known: R1, R2"):
        wordfish(d, direction=("R1", "R9"))
    with pytest.raises(ValueError, match="two different documents"):
        wordfish(d, direction=("R1", "R1"))
    two = DFM(d.matrix[[0, 1]], d.features, d.rows.iloc[[0, 1]].reset_index(drop=True))
    with pytest.raises(ValueError, match=r"wordfish: 2 documents with words \(R1, R2\); at "
                                         r"least 3 are needed to scale"):
        wordfish(two)
    with pytest.raises(ValueError, match="the matrix is weighted"):
        wordfish(d.weighted("prop"))
    with pytest.raises(ValueError, match="model 'ca'"):
        scale(d, "ca")


def test_units_without_words_are_left_out_and_named():
    d = lbg_example()
    counts = sparse.vstack([d.matrix, sparse.csr_matrix((1, d.matrix.shape[1]),
                                                        dtype=np.int64)]).tocsr()
    rows = pd.concat([d.rows, pd.DataFrame({"doc": ["empty"], "score": [""]})],
                     ignore_index=True)
    fit = wordfish(DFM(counts, d.features, rows), direction=("R1", "R5"))
    assert fit.documents["doc"].tolist() == ["R1", "R2", "R3", "R4", "R5", "V1"]
    assert fit.documents.attrs["dropped"] == ["empty"]
    # the empty row changes nothing
    alone = wordfish(d, direction=("R1", "R5"))
    assert np.array_equal(fit.documents["position"], alone.documents["position"])


def test_the_registry_names_a_function_per_model():
    assert set(MODELS) >= {"wordfish", "wordscores"}
    fit = scale(lbg_example(), "wordfish", direction=("R1", "R5"))
    assert fit.documents.columns.tolist()[:5] == ["doc", "position", "se", "low", "high"]


def test_the_scale_command(make_corpus, cli):
    texts = {**PARTY_TEXTS, "e.txt": "Peace talks ahead. Peace today and peace ahead.\n"}
    folder = make_corpus({**texts, "metadata.csv": PARTY_METADATA + "e.txt,green,2022,5\n"})
    status, out, err = cli("scale", "--corpus", str(folder), "--model", "wordfish",
                           "--dir", "d,e", "--format", "csv")
    assert status == 0, err
    table = pd.read_csv(pd.io.common.StringIO(out)).set_index("doc")
    assert table.columns.tolist() == ["position", "se", "low", "high", "alpha"]
    assert table.index.tolist() == ["a", "b", "c", "d", "e"]
    assert table.loc["d", "position"] < table.loc["e", "position"]
    status, out, err = cli("scale", "--corpus", str(folder), "--model", "wordfish",
                           "--dir", "d,e", "--words", "--format", "csv")
    words = pd.read_csv(pd.io.common.StringIO(out))
    assert status == 0 and words.columns.tolist() == ["feature", "beta", "psi"]
    assert sorted(words["feature"]) == ["ahead", "and", "grows", "peace", "road", "talks",
                                        "today", "trade"]
    # counted: road 7, peace 6, trade 5, ahead 3, talks 2, today 2, grows 1, and 1
    status, out, err = cli("scale", "--corpus", str(folder), "--model", "wordfish",
                           "--dir", "d,e", "--words", "--max-features", "3", "--format", "csv")
    assert status == 0, err
    assert pd.read_csv(pd.io.common.StringIO(out))["feature"].tolist() == ["peace", "road",
                                                                           "trade"]
    # groups: three parties
    status, out, err = cli("scale", "--corpus", str(folder), "--model", "wordfish",
                           "--by", "party", "--dir", "red,green", "--format", "csv")
    assert status == 0, err
    assert pd.read_csv(pd.io.common.StringIO(out))["party"].tolist() == ["blue", "green",
                                                                         "red"]
    for args, message in ((("--dir", "d,x"), "direction 'x': no such document"),
                          (("--dir", "d"), "--dir 'd': give two units as A,B"),
                          (("--where", "party=red"), "wordfish: 2 documents with words"),
                          (("--max-iter", "1"), "wordfish did not converge in 1 round "),
                          (("--max-iter", "0"), "--max-iter 0: must be from 1"),
                          (("--reference-scores", "rating"),
                           "--reference-scores: not an option of --model wordfish"),
                          (("--min-share", "2"), "--min-share 2.0: must be from 0 to 1"),
                          (("--max-features", "0"), "--max-features 0: must be from 1")):
        status, out, err = cli("scale", "--corpus", str(folder), "--model", "wordfish", *args)
        assert status == 2 and message in err and len(err.splitlines()) == 1, err
        assert out == ""
    status, _, err = cli("scale", "--corpus", str(folder), "--model", "lsx")
    assert status == 2 and "--model lsx: one of wordfish, wordscores" in err
