r"""Wordfish (Slapin & Proksch 2008): positions of texts from their word counts alone.

Each count is Poisson (Slapin & Proksch 2008, *American Journal of Political Science* 52(3),
705-722, p. 709, eq. 1):

.. math::

    y_{ij} \sim \mathrm{Poisson}(\lambda_{ij}), \qquad
    \log \lambda_{ij} = \alpha_i + \psi_j + \beta_j \theta_i

with :math:`\theta_i` the position of text :math:`i`, :math:`\alpha_i` its length effect,
:math:`\psi_j` the frequency of word :math:`j` and :math:`\beta_j` how strongly the word
tells the positions apart (its sign says which way). The parameters are estimated by
conditional maximum likelihood with normal priors, as quanteda.textmodels'
``textmodel_wordfish`` (its ``src/wordfish.cpp``) and Will Lowe's austin do:

1. start from correspondence analysis: :math:`\theta` the first left singular vector of the
   standardized residuals :math:`(y_{ij} - r_i c_j / n) / \sqrt{r_i c_j / n}` divided by
   :math:`\sqrt{r_i / n}`; :math:`\alpha_i = \log r_i - \log \bar r`,
   :math:`\psi_j = \log (c_j / N)`, :math:`\beta_j = 0`;
2. repeat: for each word, Newton steps on :math:`(\psi_j, \beta_j)` given the texts'
   parameters (a Poisson regression on :math:`\theta`); for each text, Newton steps on
   :math:`(\alpha_i, \theta_i)` given the words' (at most 10 steps, until no parameter moves
   more than ``tol[1]``; the first round takes half steps); then centre :math:`\alpha` and
   standardize :math:`\theta` (mean 0, standard deviation 1), which identifies the scale;
3. stop when the log posterior rises by no more than ``tol[0]`` (quanteda's rule), or when
   no position moves more than ``theta_tol`` in a round (austin can stop on the positions
   too, by their correlation); fail at ``max_iter`` rounds. The second rule matters on
   sparse matrices: the positions settle within a few dozen rounds while the parameters of
   words found in one or two texts creep on for hundreds, each round raising the log
   posterior a little;
4. fix the direction: :math:`\theta_A < \theta_B` for the pair ``direction = (A, B)``
   (:math:`\theta` and :math:`\beta` change sign together otherwise).

The priors are quanteda's defaults, given as standard deviations of
:math:`(\alpha, \psi, \beta, \theta)`: ``(inf, inf, 3, 1)`` (the :math:`\beta` prior is the
regularization of Slapin and Proksch's own implementation). A position's standard error is
quanteda's: from the 2 x 2 Hessian :math:`H` of the log posterior in :math:`(\alpha_i,
\theta_i)` at the estimates, :math:`\mathrm{SE}(\theta_i) = \sqrt{-H_{11} / \det H}`; the
interval is :math:`\theta_i \pm 1.96\,\mathrm{SE}` for 95 %. These standard errors take the
word parameters as known, so they are narrow (Lowe & Benoit 2013 prefer a parametric
bootstrap).

The computation keeps the counts sparse and works on the expected counts :math:`\lambda` one
block of texts at a time, so memory stays at a few tens of megabytes whatever the matrix.

Examples
--------
quanteda.textmodels' example, the simulated texts of Laver, Benoit & Garry (2003):

>>> from analysis.textmodels.wordscores import lbg_example
>>> fit = wordfish(lbg_example(), direction=("R1", "R5"))
>>> fit.documents[["doc", "position", "se"]].round(3).values.tolist()[:2]
[['R1', -1.291, 0.014], ['R2', -0.616, 0.011]]
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.dfm import DFM
from analysis.textmodels.base import Scaling, check_matrix, interval, unit_table

__all__ = ["PRIORS", "wordfish"]

#: Prior standard deviations of alpha, psi, beta and theta (quanteda's ``priors``).
PRIORS = (np.inf, np.inf, 3.0, 1.0)
#: Expected counts computed per block of at most this many cells.
_BLOCK_CELLS = 2_000_000


def _blocks(n: int, k: int):
    """Row slices of at most :data:`_BLOCK_CELLS` cells of an ``n x k`` matrix."""
    step = max(1, _BLOCK_CELLS // max(k, 1))
    for start in range(0, n, step):
        yield slice(start, min(n, start + step))


def _rates(alpha, theta, psi, beta, rows: slice) -> np.ndarray:
    """The Poisson rates ``lambda_ij = exp(alpha_i + psi_j + beta_j theta_i)`` of a block of
    texts (a fresh array, exponentiated in place)."""
    rate = np.multiply.outer(theta[rows], beta)
    rate += alpha[rows, None]
    rate += psi
    np.exp(rate, out=rate)
    return rate


def _word_sums(alpha, theta, psi, beta) -> np.ndarray:
    """Per word, ``sum_i w_i lambda_ij`` for the weights ``1, theta, theta^2`` (3 x words)."""
    out = np.zeros((3, len(psi)))
    weights = np.vstack([np.ones_like(theta), theta, theta * theta])
    for rows in _blocks(len(theta), len(psi)):
        rate = _rates(alpha, theta, psi, beta, rows)
        out += weights[:, rows] @ rate
    return out


def _text_sums(alpha, theta, psi, beta) -> np.ndarray:
    """Per text, ``sum_j w_j lambda_ij`` for the weights ``1, beta, beta^2`` (texts x 3)."""
    out = np.empty((len(theta), 3))
    weights = np.column_stack([np.ones_like(beta), beta, beta * beta])
    for rows in _blocks(len(theta), len(psi)):
        rate = _rates(alpha, theta, psi, beta, rows)
        out[rows] = rate @ weights
    return out


def _newton(first, second, g0, g1, h00, h01, h11, step):
    """One damped Newton step of a two-parameter concave problem, for many at once."""
    det = h00 * h11 - h01 * h01
    return (first - step * (h11 * g0 - h01 * g1) / det,
            second - step * (h00 * g1 - h01 * g0) / det)


def _start(y, r, c) -> np.ndarray:
    """Correspondence analysis's first text scores (quanteda's starting values)."""
    from scipy.sparse import linalg

    n = r.sum()
    inv_r, inv_c = 1.0 / np.sqrt(r), 1.0 / np.sqrt(c)
    if y.shape[0] * y.shape[1] <= 4_000_000:
        dense = y.toarray()
        expected = np.outer(r, c) / n
        u, _, _ = np.linalg.svd((dense - expected) / np.sqrt(expected), full_matrices=False)
        first = u[:, 0]
    else:
        yt = y.T.tocsr()

        def matvec(x):
            x = np.ravel(x) * inv_c
            return np.sqrt(n) * inv_r * (y @ x - r * (c @ x) / n)

        def rmatvec(x):
            x = np.ravel(x) * inv_r
            return np.sqrt(n) * inv_c * (yt @ x - c * (r @ x) / n)

        operator = linalg.LinearOperator(y.shape, matvec=matvec, rmatvec=rmatvec,
                                         dtype=np.float64)
        start = np.random.default_rng(0).standard_normal(min(y.shape))
        u, _, _ = linalg.svds(operator, k=1, v0=start, random_state=0)
        first = u[:, 0]
    return first / np.sqrt(r / n)


def _standardize(theta: np.ndarray) -> np.ndarray:
    return (theta - theta.mean()) / theta.std(ddof=1)


def _direction(direction, labels: list[str]) -> tuple[int, int]:
    if direction is None:
        return 0, 1
    if isinstance(direction, str) or len(direction) != 2:
        raise ValueError(f"direction {direction!r}: give two documents, A and B")
    if direction[0] == direction[1]:
        raise ValueError(f"direction {direction[0]!r}, {direction[1]!r}: give two different "
                         "documents")
    found = []
    for name in direction:
        if name not in labels:
            shown = ", ".join(labels[:10]) + (f", ... ({len(labels):,} in all)"
                                              if len(labels) > 10 else "")
            raise ValueError(f"direction {name!r}: no such document with words in the subset "
                             f"(known: {shown})")
        found.append(labels.index(name))
    return found[0], found[1]


def wordfish(d: DFM, *, direction: Sequence[str] | None = None,
             priors: Sequence[float] = PRIORS, tol: Sequence[float] = (1e-6, 1e-8),
             theta_tol: float = 1e-6, max_iter: int = 100, level: float = 0.95,
             strict: bool = True) -> Scaling:
    """Fit Wordfish to ``d`` (see the module's text for the model and the algorithm).

    Parameters
    ----------
    d : DFM
        Counts (units x features). Units without words and features without counts are
        left out.
    direction : (str, str), optional
        Two units' labels ``(A, B)``: the positions are signed so that A lies left of B
        (quanteda's ``dir``). Default: the first two units with words.
    priors : four floats, default (inf, inf, 3, 1)
        Prior standard deviations of alpha, psi, beta and theta.
    tol : two floats, default (1e-6, 1e-8)
        Convergence: the rise of the log posterior between rounds, and the largest change of
        a parameter in the Newton steps of one word or text.
    theta_tol : float, default 1e-6
        Convergence too when no position moves more than this between rounds.
    max_iter : int, default 100
        The most rounds (quanteda stops at 100 without a word).
    level : float, default 0.95
        Coverage of the interval ``low``/``high``.
    strict : bool, default True
        Raise ValueError when the model does not converge within ``max_iter`` rounds. With
        False the fit is returned with a ``warning`` column saying so (and a warning issued).

    Returns
    -------
    Scaling
        ``documents``: group columns, ``position`` (theta), ``se``, ``low``, ``high``,
        ``alpha``; ``words``: ``feature, beta, psi``. ``documents.attrs``: ``direction``,
        ``iterations``, ``converged``, ``log_posterior``, ``dropped`` (units without words).

    Raises
    ------
    ValueError
        Fewer than three units with words, a ``direction`` naming a unit not in the matrix
        (or without words), bad priors, tolerances or limits, no convergence (``strict``).

    Examples
    --------
    >>> from analysis.textmodels.wordscores import lbg_example
    >>> fit = wordfish(lbg_example(), direction=("R1", "R5"))
    >>> fit.documents.attrs["converged"], fit.words.columns.tolist()
    (True, ['feature', 'beta', 'psi'])
    """
    used = check_matrix(d, "wordfish")
    labels = [d.labels[i] for i in used]
    first, second = _direction(direction, labels)
    priors = tuple(float(p) for p in priors)
    if len(priors) != 4 or not all(p > 0 for p in priors):
        raise ValueError(f"priors {priors!r}: four standard deviations above 0 (inf for none)")
    if len(tol) != 2 or not all(t > 0 for t in tol):
        raise ValueError(f"tol {tuple(tol)!r}: two tolerances above 0")
    if not theta_tol > 0:
        raise ValueError(f"theta_tol {theta_tol!r}: must be above 0")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) \
            or max_iter < 1:
        raise ValueError(f"max_iter {max_iter!r}: a whole number, at least 1")
    pa, pp, pb, pt = (1.0 / p ** 2 for p in priors)
    y = d.matrix[used].astype(np.float64).tocsr()
    words = np.flatnonzero(np.asarray(y.sum(axis=0)).ravel() > 0)
    y = y[:, words].tocsr()
    r, c = np.asarray(y.sum(axis=1)).ravel(), np.asarray(y.sum(axis=0)).ravel()
    n_texts = len(r)

    theta = _standardize(_start(y, r, c))
    alpha = np.log(r) - np.log(r.mean())
    psi = np.log(c / n_texts)
    beta = np.zeros(len(c))

    def log_posterior() -> float:
        prior = 0.5 * (pa * alpha @ alpha + pp * psi @ psi + pb * beta @ beta
                       + pt * theta @ theta)
        fitted = alpha @ r + psi @ c + theta @ (y @ beta)
        return float(fitted - _text_sums(alpha, theta, psi, beta)[:, 0].sum() - prior)

    lp, change, converged, rounds = log_posterior(), np.inf, False, 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        while rounds < max_iter:
            rounds += 1
            before = theta.copy()
            step = 0.5 if rounds == 1 else 1.0
            # Words: (psi_j, beta_j) given the texts, each until it stops moving.
            theta_y = y.T @ theta
            active = np.arange(len(c))
            for _ in range(10):
                s = _word_sums(alpha, theta, psi[active], beta[active])
                g0 = c[active] - s[0] - pp * psi[active]
                g1 = theta_y[active] - s[1] - pb * beta[active]
                new_psi, new_beta = _newton(psi[active], beta[active], g0, g1,
                                            -s[0] - pp, -s[1], -s[2] - pb, step)
                moved = np.maximum(np.abs(new_psi - psi[active]),
                                   np.abs(new_beta - beta[active]))
                psi[active], beta[active] = new_psi, new_beta
                active, step = active[~(moved <= tol[1])], 1.0
                if not len(active):
                    break
            # Texts: (alpha_i, theta_i) given the words.
            step = 0.5 if rounds == 1 else 1.0
            y_beta = y @ beta
            active = np.arange(n_texts)
            for _ in range(10):
                s = _text_sums(alpha[active], theta[active], psi, beta)
                g0 = r[active] - s[:, 0] - pa * alpha[active]
                g1 = y_beta[active] - s[:, 1] - pt * theta[active]
                new_alpha, new_theta = _newton(alpha[active], theta[active], g0, g1,
                                               -s[:, 0] - pa, -s[:, 1], -s[:, 2] - pt, step)
                moved = np.maximum(np.abs(new_alpha - alpha[active]),
                                   np.abs(new_theta - theta[active]))
                alpha[active], theta[active] = new_alpha, new_theta
                active, step = active[~(moved <= tol[1])], 1.0
                if not len(active):
                    break
            alpha -= alpha.mean()
            theta = _standardize(theta)
            last, lp = lp, log_posterior()
            change = lp - last
            if not np.isfinite(lp):
                break
            if change <= tol[0] or np.abs(theta - before).max() <= theta_tol:
                converged = True
                break
    if theta[first] > theta[second]:
        theta, beta = -theta, -beta
    s = _text_sums(alpha, theta, psi, beta)
    h00, h01, h11 = -s[:, 0] - pa, -s[:, 1], -s[:, 2] - pt
    with np.errstate(invalid="ignore"):
        se = np.sqrt(-h00 / (h00 * h11 - h01 * h01))
    converged = converged and bool(np.all(np.isfinite(theta)) and np.all(np.isfinite(se)))
    table = unit_table(d, used)
    table["position"], table["se"] = theta, se
    table["low"], table["high"] = interval(theta, se, level)
    table["alpha"] = alpha
    table.attrs.update({"model": "wordfish", "direction": (labels[first], labels[second]),
                        "iterations": rounds, "converged": converged, "log_posterior": lp,
                        "level": level,
                        "dropped": [d.labels[i] for i in np.flatnonzero(d.totals() == 0)]})
    if not converged:
        message = (f"wordfish did not converge in {rounds} round{'s' * (rounds != 1)} "
                   f"(max_iter {max_iter}; last rise of the log posterior {change:.3g}, "
                   f"tolerance {tol[0]:g}): raise the limit, or trim rare words")
        if strict:
            raise ValueError(message)
        table["warning"] = message
        table.attrs["warning"] = message
        warnings.warn(message, stacklevel=2)
    out_words = pd.DataFrame({"feature": d.features[words], "beta": beta, "psi": psi})
    return Scaling(table, out_words)
