"""Confidence intervals of the rates and proportions that tables report: the exact Poisson
interval of a rate per 1,000 words (trends, dictionary counts) and Wilson's interval of a
proportion (a dictionary's precision on a coded sample)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["poisson_interval", "wilson_interval"]


def poisson_interval(count, words, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood 1936) interval of a Poisson rate per 1,000 words.

    Parameters
    ----------
    count, words : array-like
        Occurrences and words of each period.
    level : float, default 0.95

    Returns
    -------
    low, high : ndarray
        NaN where ``words`` is 0.

    Examples
    --------
    >>> low, high = poisson_interval([0, 10], [1000, 1000])
    >>> [round(float(x), 3) for x in (low[1], high[0], high[1])]
    [4.795, 3.689, 18.39]
    """
    # chi2.ppf(q, 2k) / 2 is the inverse of the regularised lower incomplete gamma function,
    # gammaincinv(k, q): the same numbers without importing scipy.stats (a second of start-up
    # for every command that reports an interval).
    from scipy.special import gammaincinv

    count = np.asarray(count, dtype=float)
    words = np.asarray(words, dtype=float)
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(count > 0, gammaincinv(np.maximum(count, 1e-300), alpha / 2), 0.0)
        high = gammaincinv(count + 1, 1 - alpha / 2)
        scale = np.where(words > 0, 1000 / words, np.nan)
    return low * scale, high * scale


def wilson_interval(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson's score interval of a proportion (Wilson 1927).

    ``(p + z^2/2n -/+ z * sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``p = k/n``
    (Wilson, E. B. 1927, "Probable inference, the law of succession, and statistical
    inference", *JASA* 22(158), 209-212; Newcombe 1998, *Statistics in Medicine* 17,
    857-872, Table I, method 3).

    Examples
    --------
    Newcombe's (1998, Table II, method 3) worked examples: 81 of 263 gives 0.2553 to
    0.3662, 15 of 148 gives 0.0624 to 0.1605, 0 of 20 gives 0 to 0.1611.

    >>> [round(x, 4) for x in wilson_interval(81, 263)]
    [0.2553, 0.3662]
    >>> [round(x, 4) for x in wilson_interval(15, 148)]
    [0.0624, 0.1605]
    >>> [round(x, 4) for x in wilson_interval(0, 20)]
    [0.0, 0.1611]
    >>> wilson_interval(0, 0)
    (nan, nan)
    """
    if trials == 0:
        return math.nan, math.nan
    p = successes / trials
    z2 = z * z
    centre = p + z2 / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    scale = 1 + z2 / trials
    return max((centre - spread) / scale, 0.0), min((centre + spread) / scale, 1.0)
