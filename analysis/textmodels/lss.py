r"""Latent Semantic Scaling (LSS): where each document, or group, stands on a dimension given
by a few seed words, through a semantic space learned from the corpus itself.

Watanabe (2021) scales documents with seed words (a handful of words known to sit at each
end of the dimension, e.g. *good* and *bad*) and word vectors from a truncated singular value
decomposition of the corpus's sentence-feature matrix. This module follows the steps of his
R package LSX (``textmodel_lss`` with ``engine = "RSpectra"`` and ``predict``; version of
2024, ``R/textmodel_lss.R``, ``R/predict.R``, ``R/utils.R`` on github.com/koheiw/LSX):

1. **Space.** :math:`X` is the matrix of counts of each feature (a content word by default)
   in each sentence. Its truncated SVD :math:`X \approx U_k \Sigma_k V_k^\top` gives each
   feature :math:`f` a vector :math:`v_f`, the row of :math:`V_k` (unscaled by the singular
   values, as LSX takes ``t(svd$v)``); :math:`k = 300` by default.
2. **Seed weights** (LSX's ``weight_seeds`` with ``nested_weight = TRUE``): a seed pattern
   :math:`s` with polarity :math:`p_s` matching :math:`m_s` features gives each of them

   .. math:: w = \frac{p_s}{n_\pm \, m_s}

   where :math:`n_\pm` is the number of seed patterns of its sign (given, found or not): with
   7 positive and 7 negative seeds each found once, :math:`w = \pm 1/7`.
3. **Word polarity**: the weighted sum of the feature's cosine similarities to the seed words,

   .. math:: \beta_f = \sum_s w_s \cos(v_f, v_s)

   (with equal weights, the mean similarity to the positive seeds minus the mean similarity to
   the negative ones; Watanabe 2021, eq. 1).
4. **Unit scores** (LSX's ``predict``): the frequency-weighted mean polarity of a unit's
   polarity words, with :math:`x_{df}` the count of polarity word :math:`f` in unit :math:`d`
   and :math:`n_d = \max(\sum_f x_{df}, n_{min})`,

   .. math:: y_d = \frac{\sum_f x_{df} \beta_f}{n_d}, \qquad
             \mathrm{se}_d = \sqrt{\frac{\sum_f x_{df} \beta_f^2 / n_d - y_d^2}{n_d}}

   (the standard error of a mean of :math:`n_d` word polarities; none where
   :math:`n_d \le 1`); a unit without a polarity word has no score.
5. **Standardisation** (``rescale = TRUE``, R's ``scale``): :math:`z_d = (y_d - \bar y)/s_y`
   and :math:`\mathrm{se}_d / s_y`, :math:`s_y` the sample standard deviation of the units'
   scores; the 95 % interval is :math:`z_d \pm 1.96\,\mathrm{se}_d`.

**Context** (LSX's ``char_context`` with ``textstat_context``; Watanabe 2021, section 4):
to ask how a *target* (``immigra*``) is framed, the polarity words are only the words that
occur more often within ``window`` words of the target (in its sentence) than elsewhere:
quanteda's chi-square keyness of inside against outside (:func:`context_words`), positive,
:math:`p < 0.001`, at least 10 times inside. Each unit is then scored on the polarity words
it uses within those windows, so a unit that never names the target has no score.

**The SVD.** For a space of at most :data:`EXACT_FEATURES` features the eigendecomposition of
:math:`X^\top X` (whose eigenvectors are :math:`V`) is exact (LAPACK). Beyond it, a randomized
subspace iteration on :math:`X^\top X` (Halko, Martinsson & Tropp 2011, algorithms 4.4 and
5.3, with LU normalisation between steps as in scikit-learn's ``randomized_svd``) with
:data:`OVERSAMPLE` extra vectors and :data:`ITERATIONS` steps, seeded: LSS reads all
:math:`k` components with equal weight, so the trailing components, whose singular values lie
close together, must be nearly exact (``bench/bench_lss.py`` prints its agreement with
ARPACK's exact decomposition). Dimensions with a zero singular value (a space of rank below
:math:`k`) are dropped.

References
----------
Watanabe, K. (2021). Latent Semantic Scaling: A semisupervised text analysis technique for
new domains and languages. *Communication Methods and Measures* 15(2), 81-102.
https://doi.org/10.1080/19312458.2020.1832976

Turney, P. D. & Littman, M. L. (2003). Measuring praise and criticism: Inference of semantic
orientation from association. *ACM Transactions on Information Systems* 21(4), 315-346.

Halko, N., Martinsson, P.-G. & Tropp, J. A. (2011). Finding structure with randomness:
probabilistic algorithms for constructing approximate matrix decompositions. *SIAM Review*
53(2), 217-288.

Examples
--------
>>> from analysis.corpus import load_corpus
>>> from analysis.text.process import process
>>> fit = lss(process(load_corpus()), "sentiment", by="voice")
>>> fit.positions[["voice", "words"]].values.tolist()
[['newspaper', 168], ['Song Tao', 585], ['award report', 643]]
>>> fit.seeds.query("matches > 0")["seed"].tolist()
['good', 'positive']
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import linalg, sparse

from analysis import units
from analysis.dfm import DFM, _occurrences
from analysis.params import MAX_ROWS, Interval, constrained, shared_docs
from analysis.text.process import Processed
from analysis.textmodels.base import Scaling

__all__ = ["EXACT_FEATURES", "ITERATIONS", "LSS", "OVERSAMPLE", "SEEDS", "context_words", "lss",
           "lss_scaling", "seedwords"]

#: The seed words of LSX's ``data_dictionary_sentiment`` (``data-raw/generate.R``): Turney &
#: Littman's (2003, p. 319) seven positive and seven negative paradigm words.
SEEDS: dict[str, dict[str, float]] = {
    "sentiment": {**dict.fromkeys(["good", "nice", "excellent", "positive", "fortunate",
                                   "correct", "superior"], 1.0),
                  **dict.fromkeys(["bad", "nasty", "poor", "negative", "unfortunate", "wrong",
                                   "inferior"], -1.0)},
}
#: The largest space (features) decomposed exactly; a larger one by randomized iteration.
EXACT_FEATURES = 2000
#: Extra vectors of the randomized iteration, as a multiple of k.
OVERSAMPLE = 0.5
#: Steps of the randomized subspace iteration.
ITERATIONS = 10
#: The normal quantile of a 95 % interval.
Z95 = 1.959963984540054
#: Smallest share of the largest eigenvalue kept as a dimension of the space.
RANK_TOLERANCE = 1e-10
#: textstat_context's defaults (LSX): words at least this often inside the windows, and the
#: largest p-value of their keyness (char_context).
CONTEXT_MIN_COUNT = 10
CONTEXT_P = 0.001


@dataclass(frozen=True)
class LSS:
    """A fitted Latent Semantic Scaling model.

    Attributes
    ----------
    positions : DataFrame
        One row per unit, in unit order: its group columns (:func:`analysis.units.group_columns`
        of ``by``), ``position`` (standardised score), ``se``, ``low``, ``high`` (95 %),
        ``words`` (its polarity-word tokens) and ``raw`` (the score before standardisation).
        A unit without polarity words has NaN scores.
    words : DataFrame
        ``word, polarity, count, seed``: every polarity word, its :math:`\\beta`, its count in
        the space and its seed weight (0 for a word that is not a seed); most positive first.
    seeds : DataFrame
        ``seed, polarity, matches, weight, words``: each seed pattern as given, the features
        it matches, the weight of each and their names.
    k : int
        Dimensions of the space used (at most the ``k`` asked for).
    sentences : int
        Rows of the space (sentences with a feature, or the DFM's rows with one).
    context : DataFrame or None
        With ``context``: :func:`context_words` of the target.
    """

    positions: pd.DataFrame
    words: pd.DataFrame
    seeds: pd.DataFrame
    k: int
    sentences: int
    context: pd.DataFrame | None = None


# --------------------------------------------------------------------------- seed words


def seedwords(spec) -> pd.Series:
    """Seed words and their polarities, as LSX's ``as.seedwords`` makes them.

    Parameters
    ----------
    spec : str, Path, mapping or Series
        - a name in :data:`SEEDS` (``"sentiment"``);
        - a CSV file with the header ``word,polarity`` (a number, positive or negative,
          per word; a word may be a glob, ``immigra*``);
        - a dictionary file (YAML as quanteda writes one, LIWC, Lexicoder, WordStat, or a
          ``category,pattern`` CSV; :func:`analysis.dictionaries.read_dictionary`) with
          categories ``positive`` and ``negative``, or exactly two categories, the first
          positive (``as.seedwords(x, upper = 1, lower = 2)``): polarity +1 and -1;
        - a mapping of words to polarities.

    Returns
    -------
    Series
        Polarity (float) indexed by seed word (lower-cased), in the order given.

    Raises
    ------
    ValueError
        One line naming the file (and line) and the problem: an unreadable file, a bad
        header, a polarity that is not a non-zero number, a seed given twice or on both
        sides, a phrase, no seed at all.

    Examples
    --------
    >>> seedwords("sentiment").head(2).to_dict(), int((seedwords("sentiment") < 0).sum())
    ({'good': 1.0, 'nice': 1.0}, 7)
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "seeds.yml"
    >>> _ = path.write_text("positive:\\n  - welcome*\\n  - help\\nnegative:\\n  - threat\\n")
    >>> seedwords(path).to_dict()
    {'welcome*': 1.0, 'help': 1.0, 'threat': -1.0}
    """
    if isinstance(spec, (Mapping, pd.Series)):
        return _checked(list(dict(spec).items()), "seeds")
    if not isinstance(spec, (str, Path)):
        raise ValueError(f"seeds {spec!r}: a name ({', '.join(SEEDS)}), a file or a mapping "
                         "of words to polarities")
    path = Path(spec)
    if not path.exists():
        if str(spec) in SEEDS:
            return _checked(list(SEEDS[str(spec)].items()), str(spec))
        raise ValueError(f"{spec}: no such seed file, nor a built-in seed set "
                         f"({', '.join(SEEDS)})")
    from analysis.dictionaries.readers import text_of

    text = text_of(path)
    if path.suffix.lower() == ".csv" and text.lstrip("\ufeff").split("\n", 1)[0].strip() \
            .lower().replace(" ", "").startswith("word,"):
        return _seed_csv(path, text)
    return _seed_dictionary(path)


def _seed_csv(path: Path, text: str) -> pd.Series:
    """The ``word,polarity`` rows of a seed CSV file."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if header != ["word", "polarity"]:
            raise ValueError(f"{path.name}:1: expected the header 'word,polarity'")
        pairs = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            where = f"{path.name}:{reader.line_num}"
            if len(values) != 2:
                raise ValueError(f"{where}: {len(values)} fields, expected word,polarity")
            try:
                polarity = float(values[1])
            except ValueError:
                raise ValueError(f"{where}: polarity {values[1]!r} is not a number") from None
            pairs.append((values[0], polarity, where))
    except csv.Error as err:
        raise ValueError(f"{path.name}:{reader.line_num}: {err}") from None
    return _checked(pairs, path.name)


def _seed_dictionary(path: Path) -> pd.Series:
    """``as.seedwords`` of a dictionary file: ``positive``/``negative`` or two categories."""
    from analysis.dictionaries import read_dictionary

    scheme = read_dictionary(path)
    top = scheme.categories(level=1)
    if {"positive", "negative"} <= set(top):
        upper, lower = "positive", "negative"
    elif len(top) == 2:
        upper, lower = top
    else:
        raise ValueError(f"{path.name}: a seed dictionary has the categories positive and "
                         f"negative, or exactly two (the first positive); it has "
                         f"{', '.join(top)}")
    pairs = []
    for entry in scheme.entries:
        side = entry.category[0]
        if side not in (upper, lower):
            continue
        pairs.append((entry.pattern, 1.0 if side == upper else -1.0,
                      f"{path.name}:{entry.line}" if entry.line else path.name))
    # as.seedwords keeps each word once per side
    seen: set[tuple[str, float]] = set()
    unique = []
    for word, polarity, where in pairs:
        if (word.strip().lower(), polarity) not in seen:
            seen.add((word.strip().lower(), polarity))
            unique.append((word, polarity, where))
    return _checked(unique, path.name)


def _checked(pairs: list, name: str) -> pd.Series:
    """Seed words (lower-cased) and polarities, checked: a word, a non-zero number, once."""
    words: dict[str, float] = {}
    for pair in pairs:
        word, polarity = pair[0], pair[1]
        where = pair[2] if len(pair) > 2 else name
        if not isinstance(word, str) or not word.strip():
            raise ValueError(f"{where}: an empty seed word")
        word = word.strip().lower()
        if len(word.split()) > 1:
            raise ValueError(f"{where}: seed {word!r} is a phrase; seeds are single words "
                             "(or globs)")
        if isinstance(polarity, bool) or not isinstance(polarity, (int, float, np.number)) \
                or not math.isfinite(polarity) or polarity == 0:
            raise ValueError(f"{where}: seed {word!r}: polarity {polarity!r} must be a "
                             "non-zero number")
        if word in words:
            raise ValueError(f"{where}: seed {word!r} given twice")
        words[word] = float(polarity)
    if not words:
        raise ValueError(f"{name}: no seed words")
    return pd.Series(words, dtype=float, name="polarity")


def _matches(pattern: str, index: dict[str, int], names: list[str]) -> list[int]:
    """Feature positions a seed or term pattern matches: itself, or a glob's words."""
    if "*" not in pattern and "?" not in pattern:
        return [index[pattern]] if pattern in index else []
    regex = re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch)
                               for ch in pattern))
    return [i for i, name in enumerate(names) if regex.fullmatch(name)]


def _seed_weights(seeds: pd.Series, features: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """LSX's ``weight_seeds`` (``nested_weight = TRUE``): the seed features, their weights
    ``p / (n_sign * matches)``, and a table of the patterns."""
    names = [str(f) for f in features]
    index = {name: i for i, name in enumerate(names)}
    positive = int((seeds > 0).sum())
    negative = len(seeds) - positive
    weight: dict[int, float] = {}
    rows = []
    for pattern, polarity in seeds.items():
        found = _matches(pattern, index, names)
        share = polarity / (positive if polarity > 0 else negative) / max(len(found), 1)
        for i in found:
            weight[i] = weight.get(i, 0.0) + share
        rows.append({"seed": pattern, "polarity": polarity, "matches": len(found),
                     "weight": share if found else 0.0,
                     "words": "; ".join(names[i] for i in found)})
    table = pd.DataFrame(rows, columns=["seed", "polarity", "matches", "weight", "words"])
    if not weight:
        shown = ", ".join(seeds.index[:8]) + (", ..." if len(seeds) > 8 else "")
        raise ValueError(f"seed words: none of {shown} occurs in the corpus's words")
    found_at = np.array(sorted(weight), dtype=np.int64)
    return found_at, np.array([weight[i] for i in found_at.tolist()]), table


# --------------------------------------------------------------------------- the space


def _right_vectors(x: sparse.csr_matrix, k: int, random_state: int) -> np.ndarray:
    """The ``k`` leading right singular vectors of ``x`` (features x dimensions), as the
    eigenvectors of ``x.T @ x`` with the largest eigenvalues; dimensions of eigenvalue zero
    dropped. Exact up to :data:`EXACT_FEATURES` features, else randomized (module notes)."""
    gram = (x.T @ x).tocsr().astype(np.float64)
    n = gram.shape[0]
    if n <= max(EXACT_FEATURES, 2 * k):
        values, vectors = linalg.eigh(gram.toarray(), check_finite=False)
    else:
        values, vectors = _subspace_iteration(gram, k, random_state)
    order = np.argsort(-values, kind="stable")[:k]
    values, vectors = values[order], vectors[:, order]
    keep = values > max(values[0], 0.0) * RANK_TOLERANCE
    return vectors[:, keep]


def _subspace_iteration(gram: sparse.csr_matrix, k: int, random_state: int
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Eigenpairs of a symmetric positive semi-definite sparse matrix by randomized subspace
    iteration (Halko, Martinsson & Tropp 2011, algorithms 4.4 and 5.3): ``k`` and
    ``OVERSAMPLE * k`` more Gaussian vectors, :data:`ITERATIONS` multiplications, LU between
    them, then the Rayleigh-Ritz step on an orthonormal basis (two passes of
    ``Y (Y^T Y)^{-1/2}``)."""
    rng = np.random.default_rng(random_state)
    n = gram.shape[0]
    size = min(n, k + max(10, int(round(OVERSAMPLE * k))))
    g32 = gram.astype(np.float32)
    y = g32 @ rng.standard_normal((n, size), dtype=np.float32)
    for _ in range(ITERATIONS):
        y = linalg.lu(y, permute_l=True, check_finite=False)[0]
        y = g32 @ y
    q = y.astype(np.float64)
    for _ in range(2):
        values, vectors = linalg.eigh(q.T @ q, driver="evd", check_finite=False)
        keep = values > values[-1] * RANK_TOLERANCE
        q = q @ (vectors[:, keep] / np.sqrt(values[keep]))
    small = q.T @ (gram @ q)
    values, vectors = linalg.eigh((small + small.T) / 2, driver="evd", check_finite=False)
    return values, q @ vectors


def _polarity(vectors: np.ndarray, terms: np.ndarray, seed_at: np.ndarray,
              weights: np.ndarray) -> np.ndarray:
    """``beta_f = sum_s w_s cos(v_f, v_s)`` for the features ``terms``."""
    norms = np.linalg.norm(vectors, axis=1)
    unit = np.divide(vectors, norms[:, None], out=np.zeros_like(vectors),
                     where=norms[:, None] > 0)
    return (unit[terms] @ unit[seed_at].T) @ weights


def _scores(counts: sparse.csr_matrix, beta: np.ndarray, min_n: int, rescale: bool
            ) -> pd.DataFrame:
    """LSX's ``predict(se_fit = TRUE)``: each unit's mean polarity, its standard error and
    its polarity words; standardised over the units with a score when ``rescale``."""
    counts = counts.astype(np.float64)
    words = np.asarray(counts.sum(axis=1)).ravel()
    n = np.where(words == 0, 0.0, np.maximum(words, min_n))
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = np.where(words > 0, (counts @ beta) / n, np.nan)
        var = (counts @ beta ** 2) / n - fit ** 2
        var = _zapsmall(var)
        se = np.where(n > 1, np.sqrt(np.maximum(var, 0.0)) / np.sqrt(n), np.nan)
    raw = fit.copy()
    if rescale:
        scored = fit[~np.isnan(fit)]
        if len(scored) < 2:
            raise ValueError(f"LSS standardises the scores of at least 2 units with polarity "
                             f"words; {len(scored)} has them (score fewer, larger units, or "
                             "give rescale=False)")
        sd = float(np.std(scored, ddof=1))
        if sd == 0:
            raise ValueError("every unit has the same score: nothing to standardise")
        fit, se = (fit - scored.mean()) / sd, se / sd
    return pd.DataFrame({"position": fit, "se": se, "low": fit - Z95 * se,
                         "high": fit + Z95 * se, "words": words.astype(np.int64),
                         "raw": raw})


def _zapsmall(values: np.ndarray, digits: int = 7) -> np.ndarray:
    """R's ``zapsmall``: round to ``digits`` significant digits of the largest magnitude,
    which turns the rounding error of a zero variance into zero."""
    finite = np.abs(values[np.isfinite(values)])
    biggest = float(finite.max()) if len(finite) else 0.0
    places = max(0, digits - math.ceil(math.log10(biggest))) if biggest > 0 else digits
    return np.round(values, places)


# --------------------------------------------------------------------------- context


def _word_windows(processed: Processed, target, window: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The corpus's word tokens and, per token, whether it is the target and whether it
    lies within ``window`` words of one in its sentence: ``(rows, code, names, is_target,
    covered)``."""
    from analysis.text.terms import term_rows

    patterns = [target] if isinstance(target, str) else list(target)
    patterns = [p.strip().lower() for p in patterns if isinstance(p, str) and p.strip()]
    if not patterns:
        raise ValueError(f"context {target!r}: give a word or a glob")
    found = term_rows(processed, mwe=False)
    rows, code = found.rows[found.is_word], found.code[found.is_word]
    names = [str(n) for n in found.names]
    index = {name: i for i, name in enumerate(names)}
    targets = sorted({i for p in patterns for i in _matches(p, index, names)})
    is_target = np.isin(code, np.array(targets, dtype=np.int64))
    if not is_target.any():
        raise ValueError(f"context {', '.join(patterns)}: does not occur in the corpus")
    sentence = processed.columns.tok_sentence[rows]
    position = np.arange(len(rows))
    starts = np.r_[True, sentence[1:] != sentence[:-1]]
    ends = np.r_[sentence[1:] != sentence[:-1], True]
    first = np.maximum.accumulate(np.where(starts, position, 0))
    last = np.minimum.accumulate(np.where(ends, position, len(rows))[::-1])[::-1]
    at = np.flatnonzero(is_target)
    low = np.maximum(at - window, first[at])
    high = np.minimum(at + window, last[at])
    delta = np.zeros(len(rows) + 1, dtype=np.int64)
    np.add.at(delta, low, 1)
    np.add.at(delta, high + 1, -1)
    covered = np.cumsum(delta)[:-1] > 0
    return rows, code, np.array(names, dtype=object), is_target, covered


@constrained(window=Interval(1, MAX_ROWS), min_count=Interval(1, MAX_ROWS))
@shared_docs
def context_words(processed: Processed, target, *, window: int = 10, where=None,
                  min_count: int = CONTEXT_MIN_COUNT) -> pd.DataFrame:
    r"""The words that occur near a target more often than elsewhere (LSX's
    ``textstat_context``).

    The words within ``window`` words of the target in its sentence (the target itself left
    out) are *inside*; the words outside every window are *outside*. Each word's keyness is
    quanteda's signed chi-square (``textstat_keyness``, ``keyness_chi2_dt``) of the table
    :math:`[[a, b], [c, d]]`, :math:`a` and :math:`b` its counts inside and outside,
    :math:`c` and :math:`d` the other words inside and outside, :math:`N` their sum:

    .. math:: \chi^2 = \frac{N (|ad - bc| - N/2)^2}{(a+b)(c+d)(a+c)(b+d)}

    with Yates's :math:`N/2` only where an expected count is below 5 and
    :math:`|ad - bc| \ge N/2`; negative where :math:`a` is below its expected count
    :math:`(a+b)(a+c)/N`; ``p`` from the chi-square distribution with 1 degree of freedom.

    Parameters
    ----------
    {processed}
    target : str or list of str
        Word(s) or glob(s) (``immigra*``), matched case-insensitively.
    window : int, default 10
        Words on each side.
    {where}
    min_count : int, default 10
        Only the words seen at least this often inside.

    Returns
    -------
    DataFrame
        ``word, chi2, p, inside, outside``, highest chi-square first (ties by word).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> near = context_words(process(load_corpus()), "cpec", window=5, min_count=5)
    >>> near.head(2)[["word", "inside", "outside"]].values.tolist()
    [['for', 13, 12], ['cooperation', 11, 13]]
    """
    processed = units.select(processed, where)
    _, code, names, is_target, covered = _word_windows(processed, target, window)
    inside = np.bincount(code[covered & ~is_target], minlength=len(names)).astype(np.float64)
    outside = np.bincount(code[~covered], minlength=len(names)).astype(np.float64)
    used = np.flatnonzero(inside + outside > 0)
    a, b = inside[used], outside[used]
    c, d = inside.sum() - a, outside.sum() - b
    chi2, p = _keyness_chi2(a, b, c, d)
    table = pd.DataFrame({"word": names[used], "chi2": chi2, "p": p,
                          "inside": a.astype(np.int64), "outside": b.astype(np.int64)})
    table = table[table["inside"] >= min_count]
    return table.sort_values(["chi2", "word"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)


def _keyness_chi2(a, b, c, d) -> tuple[np.ndarray, np.ndarray]:
    """quanteda's ``keyness_chi2_dt`` (``correction = "default"``): signed chi-square and p.

    Examples
    --------
    A word 10 times in 100 words inside and 3 times in 100 outside: the expected counts
    are at least 5, so no correction; with 10 of 20 against 1 of 200, Yates's.

    >>> [round(float(x), 4) for x in _keyness_chi2(10, 3, 90, 97)]
    [4.0313, 0.0447]
    >>> round(float(_keyness_chi2(10, 1, 10, 199)[0]), 2)
    83.66
    """
    a, b, c, d = (np.asarray(v, dtype=np.float64) for v in (a, b, c, d))
    n = a + b + c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.stack([(a + b) * (a + c), (a + b) * (b + d), (a + c) * (c + d),
                             (c + d) * (b + d)]) / n
        cross = np.abs(a * d - b * c)
        yates = (expected < 5).any(axis=0) & (cross >= n / 2)
        cross = np.where(yates, cross - n / 2, cross)
        chi2 = n * cross ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
        chi2 = np.nan_to_num(chi2) * np.where(a > (a + b) * (a + c) / n, 1.0, -1.0)
    from scipy.special import chdtrc

    return chi2, chdtrc(1, np.abs(chi2))


# --------------------------------------------------------------------------- the model


def _sentence_space(processed: Processed, by: str, content: bool, context, window: int
                    ) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray, pd.DataFrame]:
    """The sentence x feature counts, the unit x feature counts (only the words within the
    context's windows, with a context), the features (sorted) and the units' table."""
    c = processed.columns
    rows, code, names = _occurrences(processed, "words", content)
    para_group, groups = units.paragraph_codes(processed, by)
    n_sentences = len(c.sent_para)
    space = sparse.csr_matrix((np.ones(len(rows)), (c.tok_sentence[rows], code)),
                              shape=(n_sentences, len(names)))
    scored = np.ones(len(rows), dtype=bool)
    if context is not None:
        word_rows, _, _, is_target, covered = _word_windows(processed, context, window)
        at = np.searchsorted(word_rows, rows)
        # the target's own tokens are not its context (textstat_context's remove_pattern)
        scored = covered[at] & ~is_target[at]
    group = para_group[c.para_of(rows[scored])]
    counts = sparse.csr_matrix((np.ones(int(scored.sum())), (group, code[scored])),
                               shape=(len(groups), len(names)))
    used = np.flatnonzero(np.diff(space.tocsc().indptr) > 0)
    order = used[np.argsort(names[used].astype(str), kind="stable")]
    space, counts = space[:, order].tocsr(), counts[:, order].tocsr()
    space.sum_duplicates()
    counts.sum_duplicates()
    return space, counts, np.asarray(names[order], dtype=object), \
        units.group_table(groups).reset_index(drop=True)


@constrained(k=Interval(2, MAX_ROWS), window=Interval(1, MAX_ROWS),
             min_count=Interval(1, MAX_ROWS), min_n=Interval(0))
def lss(data, seeds, *, by: str = "doc", where=None, k: int = 300, terms=None, context=None,
        window: int = 10, content: bool = True, min_count: int = 1, min_n: int = 0,
        rescale: bool = True, random_state: int = 0) -> LSS:
    """Latent Semantic Scaling of a corpus's documents or groups (see the module notes for
    the steps, their formulas and sources).

    Parameters
    ----------
    data : Processed or DFM
        A processed corpus (:func:`analysis.text.process.process`): the space is its
        sentences' content words and the units are ``by``. Or a :class:`~analysis.dfm.DFM` of
        counts: its rows are both the space and the units scored (LSX's
        ``textmodel_lss(x)`` then ``predict``), so build it by sentence-sized units for a
        space as LSX recommends.
    seeds : str, Path, mapping or Series
        Seed words and polarities (:func:`seedwords`): ``"sentiment"``, a file or a mapping.
    by : str, default "doc"
        The units scored (:mod:`analysis.units`): documents, ``section``, a document variable.
    where : str or list of str, optional
        Only the documents that satisfy these conditions (space and units).
    k : int, default 300
        Dimensions of the space (LSX's default), at most the sentences' and features' number.
    terms : list of str, optional
        The polarity words (words or globs); by default every feature of the space.
    context : str or list of str, optional
        A target word or glob: polarity words are its context words (:func:`context_words`,
        positive keyness with p < 0.001, at least 10 times inside) and units are scored on
        the words within ``window`` of it.
    window : int, default 10
        The context's window, in words on each side.
    content : bool, default True
        Features are content words (no stop words, a letter), as LSX's examples remove stop
        words, punctuation and numbers.
    min_count : int, default 1
        Polarity words are those counted at least this often in the space (seeds too). A
        word seen once or twice takes the direction of its few sentences, so a rare word
        beside a seed gets an extreme polarity; LSX's documentation of ``terms`` speaks of
        such a ``min_count``, its code of 2024 keeps every word (1).
    min_n : int, default 0
        LSX's ``min_n``: a unit with fewer polarity words is scored as if it had this many
        (the rest of polarity 0), pulling the scores of short units towards 0.
    rescale : bool, default True
        Standardise the scores (LSX's ``rescale``).
    random_state : int, default 0
        Seed of the randomized decomposition of a large space.

    Returns
    -------
    LSS
        ``positions``, ``words``, ``seeds`` (DataFrames), ``k``, ``sentences``, ``context``.

    Raises
    ------
    ValueError
        One line naming the problem: seeds none of which occurs, a space too small (fewer
        than 2 sentences or features with words), no polarity word, a target that does not
        occur or has no context words, fewer than 2 units with a score.

    Examples
    --------
    The seeds' two documents on the built-in sentiment seeds (2 of the 14 occur: good
    and positive). The space has 99 sentences, so 99 dimensions at most;
    two units standardised are always -0.7071 and 0.7071, so ``raw`` says more here.

    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> fit = lss(process(load_corpus()), "sentiment")
    >>> fit.k, fit.sentences, fit.positions["doc"].tolist()
    (99, 99, ['songtao-article', 'award-report'])
    >>> [round(x, 4) for x in fit.positions["position"]]
    [0.7071, -0.7071]
    """
    seeds = seedwords(seeds)
    if isinstance(data, DFM):
        if where is not None or context is not None:
            raise ValueError("where and context need the corpus: pass the processed corpus, "
                             "or select the documents when building the DFM")
        if data.weight != "count":
            raise ValueError(f"LSS needs a matrix of counts, not {data.weight} weights")
        space = counts = data.matrix.tocsr()
        features = np.asarray(data.features, dtype=object)
        table = data.rows[units.group_columns(data.by)].reset_index(drop=True)
    elif isinstance(data, Processed):
        data = units.select(data, where)
        units.check_by(data.corpus, by)
        space, counts, features, table = _sentence_space(data, by, content, context, window)
    else:
        raise ValueError(f"LSS takes a processed corpus or a DFM, not {type(data).__name__}")
    space = space[np.flatnonzero(np.diff(space.indptr) > 0)]
    n_rows, n_features = space.shape
    if min(n_rows, n_features) < 2:
        raise ValueError(f"too small a space for LSS: {n_rows} sentence(s) with words and "
                         f"{n_features} feature(s); it needs at least 2 of each")
    seed_at, weights, seed_table = _seed_weights(seeds, features)
    names = [str(f) for f in features]
    if context is not None:
        near = context_words(data, context, window=window)
        keep = near[(near["chi2"] > 0) & (near["p"] < CONTEXT_P)]["word"].tolist()
        index = {name: i for i, name in enumerate(names)}
        chosen = sorted(index[w] for w in keep if w in index)
        if not chosen:
            raise ValueError(f"context {context}: no word occurs near it more often than "
                             f"elsewhere (keyness p < {CONTEXT_P}, at least "
                             f"{CONTEXT_MIN_COUNT} times within {window} words)")
    elif terms is not None:
        index = {name: i for i, name in enumerate(names)}
        patterns = [terms] if isinstance(terms, str) else list(terms)
        chosen = sorted({i for p in patterns for i in _matches(str(p).strip().lower(), index,
                                                               names)})
        if not chosen:
            raise ValueError(f"terms: none of {', '.join(map(str, patterns[:8]))} occurs in "
                             "the corpus's words")
    else:
        chosen = list(range(n_features))
    chosen = np.array(chosen, dtype=np.int64)
    if min_count > 1:
        frequency = np.asarray(space.sum(axis=0)).ravel()
        chosen = chosen[frequency[chosen] >= min_count]
        if not len(chosen):
            raise ValueError(f"min_count {min_count}: no polarity word is counted that often")
    vectors = _right_vectors(space, min(k, n_rows, n_features), random_state)
    beta = _polarity(vectors, chosen, seed_at, weights)
    positions = pd.concat([table, _scores(counts[:, chosen], beta, min_n, rescale)], axis=1)
    seed_weight = np.zeros(n_features)
    seed_weight[seed_at] = weights
    frequency = np.asarray(space[:, chosen].sum(axis=0)).ravel()
    words = pd.DataFrame({"word": features[chosen], "polarity": beta,
                          "count": frequency.astype(np.int64),
                          "seed": seed_weight[chosen]})
    words = words.sort_values(["polarity", "word"], ascending=[False, True],
                              kind="stable").reset_index(drop=True)
    return LSS(positions, words, seed_table, vectors.shape[1], n_rows,
               near if context is not None else None)


@constrained(k=Interval(2, MAX_ROWS), min_count=Interval(1, MAX_ROWS))
def lss_scaling(d, seeds="sentiment", *, processed=None, k: int = 300, context=None,
                min_count: int = 1) -> Scaling:
    """:func:`lss` as a scaling model of :data:`analysis.textmodels.MODELS` (the ``scale``
    command's ``--model lss``): the units are the rows of ``d`` (its ``by``); the space is
    the sentences of ``processed`` where given (as LSX recommends), else the rows of ``d``.

    Returns
    -------
    Scaling
        ``documents``: the group columns, ``position, se, low, high, words, raw``;
        ``words``: ``feature, polarity, count, seed``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.dfm import dfm
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> fit = lss_scaling(dfm(processed, by="voice"), processed=processed)
    >>> fit.documents.columns.tolist()[:5]
    ['voice', 'position', 'se', 'low', 'high']
    """
    fit = lss(processed if processed is not None else d, seeds, by=d.by, k=k,
              context=context, min_count=min_count)
    return Scaling(fit.positions, fit.words.rename(columns={"word": "feature"}))
