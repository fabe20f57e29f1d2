r"""Wordscores (Laver, Benoit & Garry 2003): positions of texts from reference texts whose
positions the analyst gives.

Reference texts :math:`r` carry scores :math:`A_r` (a numeric document variable); the other
texts are *virgin* texts. With :math:`F_{wr}` the relative frequency of word :math:`w` in
reference text :math:`r` (LBG 2003, p. 315-316):

.. math::

    P_{wr} = \frac{F_{wr}}{\sum_r F_{wr}}, \qquad S_w = \sum_r P_{wr} A_r

for every word found in a reference text (the *scored* words). A text :math:`v` is scored by
its scored words, :math:`F_{wv}` their relative frequencies in it (:math:`N_v` of them in
all):

.. math::

    S_v = \sum_w F_{wv} S_w, \qquad
    \mathrm{SE}(S_v) = \sqrt{\frac{\sum_w F_{wv} (S_w - S_v)^2}{N_v}}.

Raw scores cluster near the mean of the reference scores, since every text shares common
words. Two rescalings put them back on the reference metric:

- ``lbg`` (LBG 2003, p. 316): :math:`S^*_v = (S_v - \bar S_v) \, \mathrm{SD}_r /
  \mathrm{SD}_v + \bar S_v`, :math:`\bar S_v` and :math:`\mathrm{SD}_v` the mean and
  standard deviation of the virgin texts' raw scores, :math:`\mathrm{SD}_r` that of the
  reference scores. With fewer than two virgin texts (or no spread among them) there is
  nothing to stretch and the raw scores stand, as in austin's ``classic.wordscores``.
- ``mv`` (Martin & Vanberg 2008, *Political Analysis* 16(1), 93-100, p. 96):
  :math:`S^*_v = (S_v - P_1)(A_2 - A_1) / (P_2 - P_1) + A_1`, :math:`A_1, A_2` the lowest
  and highest reference scores and :math:`P_1, P_2` the raw scores of those reference texts
  (the mean raw score where several texts share a score).

A rescaling is linear, so a standard error is multiplied by its factor and an interval is the
rescaled raw interval. Every unit with words is scored, the reference texts too (as
quanteda's ``predict.textmodel_wordscores``), so the table shows how far the scores pull in.

The worked example of LBG 2003 (Table 1: five reference texts R1-R5 at -1.5, -0.75, 0, 0.75,
1.5, each 1,000 words of one bell-shaped profile shifted five words along 37 words A-ZK, and
a virgin text V1 shifted seven) is ``lbg_example()``; its published figures are checked in
``tests/test_wordscores.py``.

Examples
--------
>>> fit = wordscores(lbg_example(), "score")
>>> v1 = fit.documents.set_index("doc").loc["V1"]
>>> round(float(v1["position"]), 3), round(float(v1["se"]), 4)
(-0.448, 0.0119)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import units
from analysis.dfm import DFM
from analysis.params import Interval, OneOf, constrained
from analysis.textmodels.base import Scaling, check_matrix, interval, unit_table

__all__ = ["RESCALINGS", "lbg_example", "scores_for", "wordscores"]

#: Rescalings of the raw text scores.
RESCALINGS = ("none", "lbg", "mv")

# LBG 2003, Table 1: the word counts of each simulated text, a bell-shaped profile of 17
# words summing to 1,000, the reference texts five words apart and the virgin text two
# words right of R2 (austin's data(lbg) and quanteda's data_dfm_lbgexample hold the same).
_PROFILE = (2, 3, 10, 22, 45, 78, 115, 146, 158, 146, 115, 78, 45, 22, 10, 3, 2)
_STARTS = {"R1": 0, "R2": 5, "R3": 10, "R4": 15, "R5": 20, "V1": 7}
_SCORES = {"R1": "-1.5", "R2": "-0.75", "R3": "0", "R4": "0.75", "R5": "1.5", "V1": ""}


def lbg_example() -> DFM:
    """The simulated texts of LBG 2003, Table 1, as a matrix of documents R1-R5 and V1 by
    words A-Z, ZA-ZK, with the reference scores as the document variable ``score`` (blank
    for the virgin text V1).

    Examples
    --------
    >>> d = lbg_example()
    >>> d.matrix.shape, d.totals().tolist()
    ((6, 37), [1000, 1000, 1000, 1000, 1000, 1000])
    >>> d.features[[0, 25, 26, 36]].tolist()
    ['A', 'Z', 'ZA', 'ZK']
    """
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    features = np.array(letters + ["Z" + c for c in letters[:11]], dtype=object)
    counts = np.zeros((len(_STARTS), len(features)), dtype=np.int64)
    for i, start in enumerate(_STARTS.values()):
        counts[i, start:start + len(_PROFILE)] = _PROFILE
    rows = pd.DataFrame({"doc": list(_STARTS), "score": list(_SCORES.values())})
    return DFM(sparse.csr_matrix(counts), features, rows)


def _number(value, label: str, column: str) -> float:
    """A reference score as a float (NaN for none), or the one-line error naming it."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, str):
        if not value.strip():
            return np.nan
        try:
            number = float(value)
        except ValueError:
            number = np.nan
    elif isinstance(value, (int, float, np.integer, np.floating)) \
            and not isinstance(value, bool):
        number = float(value)
    else:
        number = np.nan
    if not np.isfinite(number):
        raise ValueError(f"reference scores {column}: {value!r} of {label} is not a number")
    return number


def scores_for(processed, d: DFM, column: str) -> list[str]:
    """The reference score of each unit of ``d`` from the document variable ``column``:
    a document's own value; for a group (``by`` a variable), the one value its documents
    give (blank where none does).

    Raises
    ------
    ValueError
        No such variable, or a group whose documents give different scores.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.dfm import dfm
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> scores_for(p, dfm(p, by="genre"), "genre")
    Traceback (most recent call last):
    ...
    ValueError: reference scores genre: by genre, each unit is a value of the variable itself
    """
    table = units.variables(processed.corpus)
    if column not in table.columns or column == "doc":
        known = ", ".join(c for c in table.columns if c != "doc") or "none"
        raise ValueError(f"reference scores {column}: not a document variable of the corpus "
                         f"(known: {known})")
    if column == d.by:
        raise ValueError(f"reference scores {column}: by {column}, each unit is a value of the "
                         "variable itself")
    value_of = dict(zip(table["doc"], table[column], strict=True))
    if "doc" in units.group_columns(d.by):  # documents, or their sections
        return [value_of.get(doc, "") for doc in d.rows["doc"]]
    group = dict(zip(table["doc"], units.labels(processed, table, d.by)[d.by].astype(str),
                     strict=True))
    given: dict[str, set[str]] = {}
    for doc, value in value_of.items():
        if value.strip():
            given.setdefault(group[doc], set()).add(value.strip())
    out = []
    for label in d.labels:
        values = sorted(given.get(label, ()))
        if len(values) > 1:
            raise ValueError(f"reference scores {column}: the documents of {d.by}={label} "
                             f"give different scores ({', '.join(values)})")
        out.append(values[0] if values else "")
    return out


@constrained(rescaling=OneOf(*RESCALINGS), level=Interval(0, 1, real=True, open=True))
def wordscores(d: DFM, reference_scores: str | Sequence, *, rescaling: str = "none",
               level: float = 0.95) -> Scaling:
    """Fit Wordscores on the reference texts of ``d`` and score every unit with words.

    Parameters
    ----------
    d : DFM
        Counts (units x features), e.g. :func:`analysis.dfm.dfm`.
    reference_scores : str or sequence
        The name of a column of ``d.rows`` (a numeric document variable), or one value per
        row of ``d``. A blank or missing value makes a virgin text.
    rescaling : {"none", "lbg", "mv"}, default "none"
        Which score is ``position``: the raw score, or rescaled as LBG 2003 or Martin &
        Vanberg 2008 (see the module's text).
    level : float, default 0.95
        Coverage of the interval ``low``/``high`` (normal theory: ``position -/+ 1.96 se``).

    Returns
    -------
    Scaling
        ``documents``: group columns, ``position, se, low, high``, ``reference`` (the given
        score, empty for a virgin text), ``raw`` and ``raw_se`` (before rescaling),
        ``words`` (the unit's scored words). ``words``: ``feature, score`` for every scored
        word. ``documents.attrs`` has ``rescaling``, ``dropped`` (units without words, left
        out) and ``note`` (why a rescaling left the raw scores, if it did).

    Raises
    ------
    ValueError
        A score that is not a number, fewer than two reference texts with words and
        different scores, fewer than three units with words, an unknown rescaling, LBG
        rescaling without a virgin text.

    Examples
    --------
    >>> fit = wordscores(lbg_example(), "score", rescaling="mv")
    >>> fit.documents[["doc", "reference", "position"]].round(4).values.tolist()[-2:]
    [['R5', 1.5, 1.5], ['V1', nan, -0.51]]
    >>> fit.words.set_index("feature").loc[["F", "N", "S"], "score"].round(5).tolist()
    [-1.48125, -0.75, 0.0]
    """
    used = check_matrix(d, "wordscores")
    labels = d.labels
    if isinstance(reference_scores, str):
        column = reference_scores
        if column not in d.rows.columns or column in units.group_columns(d.by):
            raise ValueError(f"reference scores {column}: not a document variable of the "
                             "matrix's rows")
        given = d.rows[column].tolist()
    else:
        column, given = "", list(reference_scores)
        if len(given) != len(labels):
            raise ValueError(f"reference scores: {len(given)} values for {len(labels)} units")
    name = column or "given"
    scores = np.array([_number(v, labels[i], name) for i, v in enumerate(given)])
    counts = d.matrix[used].astype(np.float64).tocsr()
    scores = scores[used]
    ref = np.flatnonzero(~np.isnan(scores))
    if len(ref) < 2 or np.ptp(scores[ref]) == 0:
        raise ValueError(f"wordscores: reference scores {name} give {len(ref)} reference "
                         "text(s) with words; at least two with different scores are needed")
    # Word scores: P_wr = F_wr / sum_r F_wr, S_w = sum_r P_wr A_r (words in a reference text).
    f_ref = sparse.diags(1.0 / np.asarray(counts[ref].sum(axis=1)).ravel()) @ counts[ref]
    f_sum = np.asarray(f_ref.sum(axis=0)).ravel()
    scored = np.flatnonzero(f_sum > 0)
    word_score = np.asarray(f_ref[:, scored].T @ scores[ref]).ravel() / f_sum[scored]
    # Text scores over each unit's scored words.
    x = counts[:, scored]
    n_scored = np.asarray(x.sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.asarray(x @ word_score).ravel() / n_scored
        row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        deviation = x.data * (word_score[x.indices] - raw[row]) ** 2
        spread = np.bincount(row, weights=deviation, minlength=x.shape[0]) / n_scored
        raw_se = np.sqrt(spread / n_scored)
    virgin = np.flatnonzero(np.isnan(scores))
    factor, note = 1.0, ""

    def identity(v):
        return v

    transform = identity
    if rescaling == "lbg":
        if not len(virgin):
            raise ValueError("wordscores: LBG rescaling stretches the virgin texts' scores; "
                             "every unit has a reference score")
        sd_v = np.std(raw[virgin], ddof=1) if len(virgin) > 1 else 0.0
        if not sd_v > 0:
            note = ("LBG rescaling needs at least two virgin texts with different raw scores; "
                    "the raw scores stand")
        else:
            mean_v, factor = np.mean(raw[virgin]), np.std(scores[ref], ddof=1) / sd_v

            def transform(v):
                return (v - mean_v) * factor + mean_v
    elif rescaling == "mv":
        low_ref, high_ref = scores[ref].min(), scores[ref].max()
        p1 = raw[ref][scores[ref] == low_ref].mean()
        p2 = raw[ref][scores[ref] == high_ref].mean()
        factor = (high_ref - low_ref) / (p2 - p1)

        def transform(v):
            return (v - p1) * factor + low_ref
    raw_low, raw_high = interval(raw, raw_se, level)
    ends = np.sort(np.vstack([transform(raw_low), transform(raw_high)]), axis=0)
    table = unit_table(d, used)
    table["position"] = transform(raw)
    table["se"] = raw_se * abs(factor)
    table["low"], table["high"] = ends[0], ends[1]
    table["reference"] = scores
    table["raw"], table["raw_se"] = raw, raw_se
    table["words"] = n_scored.astype(np.int64)
    table.attrs.update({"model": "wordscores", "rescaling": rescaling, "level": level,
                        "dropped": [labels[i] for i in np.flatnonzero(d.totals() == 0)],
                        "note": note})
    words = pd.DataFrame({"feature": d.features[scored], "score": word_score})
    return Scaling(table, words)
