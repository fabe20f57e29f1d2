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

1. start as quanteda does: :math:`\theta` the first left singular vector of the
   standardized residuals :math:`(y_{ij} - r_i c_j / n) / \sqrt{r_i c_j / n}` divided by
   :math:`\sqrt{r_i / n}` (correspondence analysis; a truncated SVD of the sparse matrix,
   seeded, on large matrices), then standardized; :math:`\alpha_i = \log r_i - \log \bar r`,
   :math:`\psi_j = \log (c_j / N)`, :math:`\beta_j = 0`;
2. repeat rounds: for all words at once, Newton steps on :math:`(\psi_j, \beta_j)` given the
   texts' parameters; for all texts at once, Newton steps on :math:`(\alpha_i, \theta_i)`
   given the words' (each at most 10 steps, until no parameter moves more than ``tol[1]``;
   the first round takes half steps: quanteda's rounds). Each pair's own penalized
   log-likelihood is concave; a Newton step that would lower it is halved until it does not,
   so no rate overflows however rare the word or long the text;
3. identify: centre :math:`\alpha` and standardize :math:`\theta` (mean 0, standard
   deviation 1), moving the shift and scale into :math:`\psi` and :math:`\beta`
   (:math:`\psi_j + \bar\alpha + \beta_j m`, :math:`s \beta_j`), which leaves every rate
   as it was. The texts' move of the round is halved until the log posterior is not lower
   than the last round's (a line search), so it never falls from round to round;
4. stop when the log posterior rises by no more than ``tol[0]`` times its size, or no
   position moves more than ``theta_tol``; fail at ``max_iter`` rounds;
5. fix the direction: :math:`\theta_A < \theta_B` for the pair ``direction = (A, B)``
   (:math:`\theta` and :math:`\beta` change sign together otherwise).

quanteda's own rounds (``line_search=False``) centre and standardize the texts' parameters
alone and stop at the first round that does not raise the log posterior by more than
``tol[0]`` (an absolute rise): on quanteda's example below, its 22nd round lowers the log
posterior and its printed estimates are that round's. Its rounds are not an ascent of the
log posterior (continued, the log posterior falls for hundreds of rounds), and on an
untrimmed corpus its first round can lower it, ending the fit at once, or overflow. With
the line search, the estimates on quanteda's example lie within 0.01 of quanteda's (whose
positions still move by 0.005 a round when it stops).

The priors are quanteda's defaults, given as standard deviations of
:math:`(\alpha, \psi, \beta, \theta)`: ``(inf, inf, 3, 1)`` (the :math:`\beta` prior is the
regularization of Slapin and Proksch's own implementation). A position's standard error is
quanteda's: from the 2 x 2 Hessian :math:`H` of the log posterior in :math:`(\alpha_i,
\theta_i)` at the estimates, :math:`\mathrm{SE}(\theta_i) = \sqrt{-H_{11} / \det H}`; the
interval is :math:`\theta_i \pm 1.96\,\mathrm{SE}` for 95 %. These standard errors take the
word parameters as known, so they are narrow (Lowe & Benoit 2013 prefer a parametric
bootstrap).

The computation keeps the counts sparse and works on the expected counts
:math:`\lambda_{ij} = e^{\alpha_i} e^{\psi_j} e^{\beta_j \theta_i}` one block of 131,072
cells at a time (it stays in the processor's cache), every word or text at once, so memory
stays at a few megabytes whatever the matrix.

Examples
--------
quanteda.textmodels' example, the simulated texts of Laver, Benoit & Garry (2003):

>>> from analysis.textmodels.wordscores import lbg_example
>>> fit = wordfish(lbg_example(), direction=("R1", "R5"), line_search=False)
>>> fit.documents[["doc", "position", "se"]].round(3).values.tolist()[:2]
[['R1', -1.291, 0.014], ['R2', -0.616, 0.011]]
>>> fit = wordfish(lbg_example(), direction=("R1", "R5"))
>>> fit.documents[["doc", "position", "se"]].round(3).values.tolist()[:2]
[['R1', -1.284, 0.014], ['R2', -0.623, 0.011]]
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd

from analysis.dfm import DFM
from analysis.params import Interval, constrained
from analysis.textmodels.base import Scaling, check_matrix, interval, unit_table

__all__ = ["MAX_ITER", "PRIORS", "wordfish"]

#: Prior standard deviations of alpha, psi, beta and theta (quanteda's ``priors``).
PRIORS = (np.inf, np.inf, 3.0, 1.0)
#: Most rounds of estimation that ``max_iter`` may ask for.
MAX_ITER = 10_000
#: Expected counts computed per block of at most this many cells (1 MB of float64, which
#: stays in the processor's cache).
_BLOCK_CELLS = 1 << 17
#: Largest matrix whose starting values come from a full dense SVD; a larger one's from a
#: truncated SVD of the sparse matrix (ARPACK, seeded), which computes the one singular
#: vector needed (a dense SVD of 1,512 x 1,000 cells takes seconds, the truncated one a
#: tenth of a second).
_DENSE_START_CELLS = 250_000
#: Newton steps per word or text and round (quanteda's inner limit).
_NEWTON_STEPS = 10
#: The most halvings of one Newton step, and of one round's move of the texts.
_HALVINGS = 30
_ROUND_HALVINGS = 20


def _blocks(n: int, k: int):
    """Row slices of at most :data:`_BLOCK_CELLS` cells of an ``n x k`` matrix."""
    step = max(1, _BLOCK_CELLS // max(k, 1))
    for start in range(0, n, step):
        yield slice(start, min(n, start + step))


def _slopes(theta, beta, rows: slice, buffer: np.ndarray) -> np.ndarray:
    """``exp(beta_j theta_i)`` for a block of texts, written into ``buffer`` (reused from
    block to block: :func:`_buffer`); the rate is ``exp(alpha_i) exp(psi_j)`` times it."""
    cells = (rows.stop - rows.start) * len(beta)
    rate = buffer[:cells].reshape(rows.stop - rows.start, len(beta))
    np.multiply(theta[rows, None], beta, out=rate)
    np.exp(rate, out=rate)
    return rate


def _buffer(n: int, k: int) -> np.ndarray:
    """Room for the largest row block of an ``n x k`` matrix."""
    return np.empty(min(n, max(1, _BLOCK_CELLS // max(k, 1))) * k)


def _word_weights(alpha, theta) -> np.ndarray:
    """``exp(alpha_i)`` times ``1, theta_i, theta_i^2`` (3 x texts)."""
    scale = np.exp(alpha)
    return np.vstack([scale, scale * theta, scale * theta * theta])


def _word_sums(alpha, theta, psi, beta, weights=None) -> np.ndarray:
    """Per word, ``sum_i w_i lambda_ij`` for the weights ``1, theta, theta^2`` (3 x words);
    ``weights``: :func:`_word_weights` of the texts, when already computed."""
    out = np.zeros((3, len(beta)))
    if weights is None:
        weights = _word_weights(alpha, theta)
    buffer = _buffer(len(theta), len(beta))
    for rows in _blocks(len(theta), len(beta)):
        out += weights[:, rows] @ _slopes(theta, beta, rows, buffer)
    out *= np.exp(psi)
    return out


def _text_weights(psi, beta) -> np.ndarray:
    """``exp(psi_j)`` times ``1, beta_j, beta_j^2`` (words x 3)."""
    scale = np.exp(psi)
    return np.vstack([scale, scale * beta, scale * beta * beta]).T


def _text_sums(alpha, theta, psi, beta, weights=None) -> np.ndarray:
    """Per text, ``sum_j w_j lambda_ij`` for the weights ``1, beta, beta^2`` (3 x texts);
    ``weights``: :func:`_text_weights` of the words, when already computed."""
    out = np.empty((3, len(theta)))
    if weights is None:
        weights = _text_weights(psi, beta)
    buffer = _buffer(len(theta), len(beta))
    for rows in _blocks(len(theta), len(beta)):
        out[:, rows] = (_slopes(theta, beta, rows, buffer) @ weights).T
    out *= np.exp(alpha)
    return out


def _total(alpha, theta, psi, beta) -> float:
    """``sum_ij lambda_ij``."""
    per_text = np.empty(len(theta))
    scale = np.exp(psi)
    buffer = _buffer(len(theta), len(beta))
    for rows in _blocks(len(theta), len(beta)):
        per_text[rows] = _slopes(theta, beta, rows, buffer) @ scale
    return float(np.exp(alpha) @ per_text)


def _newton_block(first, second, linear0, linear1, sums, prec0, prec1, tol, first_step):
    r"""Maximize, for many units at once, each unit's concave

    .. math:: q(a, b) = a L_0 + b L_1 - \sum \lambda - \tfrac12 (p_0 a^2 + p_1 b^2)

    in its two parameters (a word's :math:`(\psi_j, \beta_j)` given the texts, or a
    text's :math:`(\alpha_i, \theta_i)` given the words) by Newton steps, as quanteda
    does, until a step moves neither parameter more than ``tol`` or the unit has taken
    :data:`_NEWTON_STEPS` steps. A step after which :math:`q` is lower (or not a number)
    is halved until it is not: no unit's :math:`q` ever falls, and no rate overflows.
    ``sums(a, b)`` gives the sums of the units' expected counts weighted by 1, x and
    :math:`x^2` (3 x units). ``first`` and ``second`` are updated in place.
    """
    active = np.arange(len(first))
    base0, base1 = first.copy(), second.copy()
    move0, move1 = np.zeros_like(first), np.zeros_like(second)
    best = np.full(len(first), -np.inf)
    share = np.ones(len(first))
    steps = np.zeros(len(first), dtype=np.int64)
    while len(active):
        a, b = first[active], second[active]
        s0, s1, s2 = sums(a, b)
        q = a * linear0[active] + b * linear1[active] - s0 - 0.5 * (prec0 * a * a
                                                                   + prec1 * b * b)
        worse = (steps[active] > 0) & ~(q >= best[active])
        back = active[worse]
        share[back] *= 0.5
        share[back[share[back] < 0.5 ** _HALVINGS]] = 0.0
        first[back] = base0[back] + share[back] * move0[back]
        second[back] = base1[back] + share[back] * move1[back]
        good = ~worse
        units, a, b = active[good], a[good], b[good]
        s0, s1, s2 = s0[good], s1[good], s2[good]
        best[units], base0[units], base1[units] = q[good], a, b
        g0 = linear0[units] - s0 - prec0 * a
        g1 = linear1[units] - s1 - prec1 * b
        h00, h01, h11 = -s0 - prec0, -s1, -s2 - prec1
        det = h00 * h11 - h01 * h01
        step = np.where(steps[units] == 0, first_step, 1.0)
        d0 = np.where(steps[units] < _NEWTON_STEPS, -step * (h11 * g0 - h01 * g1) / det, 0)
        d1 = np.where(steps[units] < _NEWTON_STEPS, -step * (h00 * g1 - h01 * g0) / det, 0)
        move0[units], move1[units], share[units] = d0, d1, 1.0
        first[units], second[units] = a + d0, b + d1
        steps[units] += 1
        # stays: a unit whose step is to be checked; leaves: one that has (nearly) stopped
        # moving, reached the step limit or halved its step to nothing
        moving = np.maximum(np.abs(d0), np.abs(d1)) > tol
        keep = np.zeros(len(active), dtype=bool)
        keep[np.flatnonzero(good)[moving]] = True
        keep[np.flatnonzero(worse)] = share[back] > 0
        active = active[keep]
    return first, second


def _start(y, r, c) -> np.ndarray:
    """Correspondence analysis's first text scores (quanteda's starting values)."""
    from scipy.sparse import linalg

    n = r.sum()
    inv_r, inv_c = 1.0 / np.sqrt(r), 1.0 / np.sqrt(c)
    if y.shape[0] * y.shape[1] <= _DENSE_START_CELLS:
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


@constrained(theta_tol=Interval(0, real=True, open=True), max_iter=Interval(1, MAX_ITER),
             level=Interval(0, 1, real=True, open=True))
def wordfish(d: DFM, *, direction: Sequence[str] | None = None,
             priors: Sequence[float] = PRIORS, tol: Sequence[float] = (1e-6, 1e-8),
             theta_tol: float = 1e-6, max_iter: int = 100, level: float = 0.95,
             strict: bool = True, line_search: bool = True) -> Scaling:
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
        Convergence: the rise of the log posterior between rounds relative to its size
        (with ``line_search=False``, quanteda's absolute rise), and the largest change of a
        parameter in the Newton steps of one word or text.
    theta_tol : float, default 1e-6
        Convergence too when no position moves more than this between rounds.
    max_iter : int, default 100
        The most rounds (quanteda stops at 100 without a word).
    level : float, default 0.95
        Coverage of the interval ``low``/``high``.
    strict : bool, default True
        Raise ValueError when the model does not converge within ``max_iter`` rounds. With
        False the fit is returned with a ``warning`` column saying so (and a warning issued).
    line_search : bool, default True
        Halve a round's move of the texts until the log posterior does not fall (see the
        module's text). False: quanteda's rounds and stopping rule, to reproduce its figures.

    Returns
    -------
    Scaling
        ``documents``: group columns, ``position`` (theta), ``se``, ``low``, ``high``,
        ``alpha``; ``words``: ``feature, beta, psi``. ``documents.attrs``: ``direction``,
        ``iterations``, ``converged``, ``log_posterior``, ``trace`` (the log posterior at the
        start and after each round), ``halved_rounds`` (rounds whose move was halved),
        ``dropped`` (units without words).

    Raises
    ------
    ValueError
        Fewer than three units with words or two features with counts, a ``direction``
        naming a unit not in the matrix
        (or without words), bad priors, tolerances or limits, no convergence (``strict``).

    Examples
    --------
    >>> from analysis.textmodels.wordscores import lbg_example
    >>> fit = wordfish(lbg_example(), direction=("R1", "R5"))
    >>> fit.documents.attrs["converged"], fit.words.columns.tolist()
    (True, ['feature', 'beta', 'psi'])
    """
    used = check_matrix(d, "wordfish")
    every_label = d.labels
    labels = [every_label[i] for i in used]
    first, second = _direction(direction, labels)
    priors = tuple(float(p) for p in priors)
    if len(priors) != 4 or not all(p > 0 for p in priors):
        raise ValueError(f"priors {priors!r}: four standard deviations above 0 (inf for none)")
    if len(tol) != 2 or not all(t > 0 for t in tol):
        raise ValueError(f"tol {tuple(tol)!r}: two tolerances above 0")
    pa, pp, pb, pt = (1.0 / p ** 2 for p in priors)
    y = d.matrix[used].astype(np.float64).tocsr()
    words = np.flatnonzero(np.asarray(y.sum(axis=0)).ravel() > 0)
    if len(words) < 2:
        named = "".join(f" ({name})" for name in d.features[words])
        raise ValueError(f"wordfish: {len(words)} feature with counts{named}; at least 2 "
                         "are needed to tell the texts apart")
    y = y[:, words].tocsr()
    r, c = np.asarray(y.sum(axis=1)).ravel(), np.asarray(y.sum(axis=0)).ravel()
    n_texts = len(r)

    theta = _standardize(_start(y, r, c))
    alpha = np.log(r) - np.log(r.mean())
    psi = np.log(c / n_texts)
    beta = np.zeros(len(c))
    yt = y.T.tocsr()

    def log_posterior(alpha, theta, psi, beta) -> float:
        prior = 0.5 * (pa * alpha @ alpha + pp * psi @ psi + pb * beta @ beta
                       + pt * theta @ theta)
        fitted = alpha @ r + psi @ c + theta @ (y @ beta)
        return float(fitted - _total(alpha, theta, psi, beta) - prior)

    lp, change, converged, rounds = log_posterior(alpha, theta, psi, beta), np.inf, False, 0
    trace, halved = [lp], 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        while rounds < max_iter:
            rounds += 1
            step, before = (0.5 if rounds == 1 else 1.0), theta
            # Words: (psi_j, beta_j) given the texts.
            theta_y = yt @ theta
            psi, beta = _newton_block(psi, beta, c, theta_y,
                                      partial(_word_sums, alpha, theta,
                                              weights=_word_weights(alpha, theta)),
                                      pp, pb, tol[1], step)
            # Texts: (alpha_i, theta_i) given the words.
            y_beta = y @ beta
            new_alpha, new_theta = _newton_block(
                alpha.copy(), theta.copy(), r, y_beta,
                partial(_text_sums, psi=psi, beta=beta, weights=_text_weights(psi, beta)),
                pa, pt, tol[1], step)
            if not line_search:
                # quanteda's round: centre alpha, standardize theta, keep the words
                alpha, theta = new_alpha - new_alpha.mean(), _standardize(new_theta)
                last, lp = lp, log_posterior(alpha, theta, psi, beta)
                change = lp - last
                trace.append(lp)
                if not np.isfinite(lp):
                    break
                if change <= tol[0] or np.abs(theta - before).max() <= theta_tol:
                    converged = True
                    break
                continue
            # The texts' move, halved until the log posterior is not lower than the last
            # round's; the identification (alpha centred, theta standardized) moves into
            # the word parameters, so the likelihood stays the same.
            share = 1.0
            for _ in range(_ROUND_HALVINGS):
                moved_alpha = alpha + share * (new_alpha - alpha)
                moved_theta = theta + share * (new_theta - theta)
                centre, mean, sd = moved_alpha.mean(), moved_theta.mean(), \
                    moved_theta.std(ddof=1)
                cand = (moved_alpha - centre, (moved_theta - mean) / sd,
                        psi + centre + beta * mean, beta * sd)
                cand_lp = log_posterior(*cand)
                if cand_lp >= lp:
                    break
                share *= 0.5
            else:
                # no share of the move raises it: the words' update alone (which did not
                # lower it)
                cand, share = (alpha, theta, psi, beta), 0.0
                cand_lp = log_posterior(*cand)
            halved += share < 1
            moved = np.abs(cand[1] - theta).max()
            if not cand_lp >= lp:
                # not even the words' update: as far as the arithmetic can tell, the top
                converged = bool(np.isfinite(lp))
                break
            alpha, theta, psi, beta = cand
            change, lp = cand_lp - lp, cand_lp
            trace.append(lp)
            if change <= tol[0] * abs(lp) or moved <= theta_tol:
                converged = True
                break
    if theta[first] > theta[second]:
        theta, beta = -theta, -beta
    s = _text_sums(alpha, theta, psi, beta)
    h00, h01, h11 = -s[0] - pa, -s[1], -s[2] - pt
    with np.errstate(invalid="ignore"):
        se = np.sqrt(-h00 / (h00 * h11 - h01 * h01))
    converged = converged and bool(np.all(np.isfinite(theta)) and np.all(np.isfinite(se)))
    table = unit_table(d, used)
    table["position"], table["se"] = theta, se
    table["low"], table["high"] = interval(theta, se, level)
    table["alpha"] = alpha
    table.attrs.update({"model": "wordfish", "direction": (labels[first], labels[second]),
                        "iterations": rounds, "converged": converged, "log_posterior": lp,
                        "trace": trace, "halved_rounds": int(halved),
                        "level": level,
                        "dropped": [every_label[i] for i in np.flatnonzero(d.totals() == 0)]})
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
