"""Confidence intervals, checked against published worked examples."""

from __future__ import annotations

import math

import pytest

from analysis.intervals import poisson_interval, wilson_interval


@pytest.mark.parametrize("k, n, low, high", [
    # Newcombe, R. G. 1998, "Two-sided confidence intervals for the single proportion:
    # comparison of seven methods", Statistics in Medicine 17, 857-872, Table II, method 3
    # (Wilson score interval without continuity correction).
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_interval_matches_newcombe_table_ii(k, n, low, high):
    got = wilson_interval(k, n)
    assert (round(got[0], 4), round(got[1], 4)) == (low, high)


def test_wilson_interval_of_nothing_coded_is_undefined():
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_poisson_interval_of_zero_and_of_no_words():
    # Garwood's exact interval for 0 events: (0, chi2(0.975, 2) / 2) = (0, 3.689)
    low, high = poisson_interval([0], [1000])
    assert low[0] == 0.0 and round(float(high[0]), 3) == 3.689
    low, high = poisson_interval([1], [0])
    assert math.isnan(low[0]) and math.isnan(high[0])
