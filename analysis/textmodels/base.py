"""What every scaling model shares: its result (:class:`Scaling`), the checks of its input
matrix, and normal-theory intervals.

A model takes a :class:`~analysis.dfm.DFM` of counts and returns a :class:`Scaling`: one
table of the units (their group columns, then ``position, se, low, high`` and the model's
own columns) and one of the features (``feature`` and the model's word parameters).
"""

# No "from __future__ import annotations": the result's fields stay real types, which the
# API reference (pdoc) reads where the package re-exports the class.
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis import units
from analysis.dfm import DFM

__all__ = ["MIN_UNITS", "Scaling", "check_matrix", "interval", "unit_table"]

#: The fewest units with words a model scales: two units always lie at the two ends.
MIN_UNITS = 3


class Scaling(NamedTuple):
    """A fitted scaling model as two tables.

    Attributes
    ----------
    documents : DataFrame
        One row per unit: the group columns of the matrix's ``by`` (``doc`` for documents),
        ``position``, its standard error ``se``, the interval ``low``/``high``, then the
        model's own columns. ``attrs`` holds the model's settings and diagnostics.
    words : DataFrame
        One row per feature: ``feature`` and the model's word parameters.
    """

    documents: pd.DataFrame
    words: pd.DataFrame


def check_matrix(d: DFM, model: str) -> np.ndarray:
    """The rows of ``d`` that have words, after checking the matrix can be scaled.

    Raises
    ------
    ValueError
        A weighted matrix, or fewer than :data:`MIN_UNITS` units with words.

    Examples
    --------
    >>> from scipy import sparse
    >>> d = DFM(sparse.csr_matrix(np.array([[1, 0], [0, 0], [2, 3]])), np.array(["a", "b"]),
    ...         pd.DataFrame({"doc": ["x", "y", "z"]}))
    >>> check_matrix(d, "wordfish")
    Traceback (most recent call last):
    ...
    ValueError: wordfish: 2 documents with words (x, z); at least 3 are needed to scale
    """
    if d.weight != "count":
        raise ValueError(f"{model}: the matrix is weighted ({d.weight}); a model takes counts")
    used = np.flatnonzero(d.totals() > 0)
    if len(used) < MIN_UNITS:
        kind = "documents" if d.by == "doc" else f"units of {d.by}"
        named = np.array(d.labels, dtype=object)[used].tolist()
        listed = f" ({', '.join(named)})" if named else ""
        raise ValueError(f"{model}: {len(used)} {kind} with words{listed}; at least "
                         f"{MIN_UNITS} are needed to scale")
    return used


def interval(position: np.ndarray, se: np.ndarray, level: float
             ) -> tuple[np.ndarray, np.ndarray]:
    """The normal-theory interval ``position -/+ z * se``, ``z`` the standard normal's
    ``(1 + level) / 2`` quantile (1.96 for 95 %), as quanteda's ``predict(interval =
    "confidence")``.

    Examples
    --------
    >>> low, high = interval(np.array([0.0]), np.array([1.0]), 0.95)
    >>> round(float(low[0]), 3), round(float(high[0]), 3)
    (-1.96, 1.96)
    """
    if not 0 < level < 1:
        raise ValueError(f"level {level!r}: must be between 0 and 1")
    from scipy import stats  # about a second to import: only when an interval is made

    z = stats.norm.ppf(0.5 + level / 2)
    return position - z * se, position + z * se


def unit_table(d: DFM, rows: np.ndarray) -> pd.DataFrame:
    """The group columns of ``d``'s ``by`` for the given rows, index reset."""
    return d.rows.iloc[rows][units.group_columns(d.by)].reset_index(drop=True)
