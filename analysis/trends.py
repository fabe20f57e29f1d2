"""Trends: how often terms occur per period of the ``date`` variable (or of another column
holding dates or years as numbers), with intervals.

Periods are decades (``1990s``), years, months or ISO weeks. A document counts in a period
when its date is at least as precise as the interval: a
document dated ``2021`` is counted in 2021 by year and in no month; by week a document needs
a full date (weeks are ISO 8601 weeks, ``2021-W05``). Every period from the first to the last
dated document is listed, so a period without text shows as a gap (``words`` 0, rate NaN),
never as a zero rate.

Rate and interval
    ``per_1000 = count / words * 1000``, ``words`` the period's word tokens (as in
    :mod:`analysis.frequency`). ``low`` and ``high`` are the exact 95 % Poisson interval of
    the rate (Garwood 1936), from the chi-square quantiles::

        low  = chi2.ppf(0.025, 2 * count) / 2 / words * 1000        (0 when count = 0)
        high = chi2.ppf(0.975, 2 * (count + 1)) / 2 / words * 1000

    Counts of a term are rare events in many words, so the Poisson model fits; the exact
    interval keeps its coverage at the small counts of a thin month, where the normal
    approximation gives negative lower bounds, and it still has a width when the count is 0
    (``high`` = 3.689 / words * 1000). It treats tokens as independent, so a term that
    clusters in a few documents varies more than it says: read ``documents`` beside it.

Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika* 28(3/4),
437-442.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import engines, units
from analysis.corpus import DATE_COLUMN, DATE_PATTERN
from analysis.intervals import poisson_interval
from analysis.params import OneOf, constrained, shared_docs
from analysis.text.process import Processed

__all__ = ["INTERVALS", "trends"]

INTERVALS = ("decade", "year", "month", "week")
_PRECISION = {"decade": 1, "year": 1, "month": 2, "week": 3}
_YEAR = re.compile(r"\d{1,4}(?:\.0*)?")


def _period(date: str, interval: str) -> str | None:
    """The period label of a date (or of a year given as a number, ``1996`` or ``1996.0``),
    or None when the value is less precise than the interval or no date.

    Examples
    --------
    >>> _period("1996-03-04", "decade"), _period("1996.0", "year"), _period("1996", "month")
    ('1990s', '1996', None)
    """
    if date and _YEAR.fullmatch(date) and 0 < float(date) <= 9999:
        date = f"{int(float(date)):04d}"  # a numeric year column
    match = DATE_PATTERN.fullmatch(date) if date else None
    if match is None or sum(g is not None for g in match.groups()) < _PRECISION[interval]:
        return None
    year, month, day = match.groups()
    if interval == "decade":
        return f"{int(year) // 10 * 10:04d}s"
    if interval == "year":
        return year
    if interval == "month":
        return f"{year}-{month}"
    iso = datetime.date(int(year), int(month), int(day)).isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def _all_periods(first: str, last: str, interval: str) -> list[str]:
    """Every period label from ``first`` to ``last``, inclusive."""
    if interval == "decade":
        return [f"{d:04d}s" for d in range(int(first[:4]), int(last[:4]) + 1, 10)]
    if interval == "year":
        return [f"{y:04d}" for y in range(int(first), int(last) + 1)]
    if interval == "month":
        (y, m), end = map(int, first.split("-")), tuple(map(int, last.split("-")))
        out = []
        while (y, m) <= end:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    monday = datetime.date.fromisocalendar(int(first[:4]), int(first[6:]), 1)
    end = datetime.date.fromisocalendar(int(last[:4]), int(last[6:]), 1)
    out = []
    # counted, not stepped past the end: the Monday after 9999's last week is no date
    for weeks in range((end - monday).days // 7 + 1):
        iso = (monday + datetime.timedelta(days=7 * weeks)).isocalendar()
        out.append(f"{iso.year:04d}-W{iso.week:02d}")
    return out


def _cell_counts(part: tuple, doc_period: np.ndarray, n_periods: int, n_cells: int) -> tuple:
    """Map step of :func:`trends` over a partition of whole documents.

    ``part`` holds each word's group code and document number, and each query's matches as
    (group codes, document numbers). A cell is ``group * n_periods + period``. Returns the
    words, the documents and each query's matches per cell (undated documents left out).
    """
    word_group, word_doc, hits = part
    word_period = doc_period[word_doc]
    ok = word_period >= 0
    word_cell = word_group[ok] * n_periods + word_period[ok]
    cell_words = np.bincount(word_cell, minlength=n_cells)
    # Documents per (group, period): distinct (cell, document) pairs among the words.
    # (By a sort: numpy 2's hashing np.unique takes seconds on ten million keys.)
    pairs = np.sort(word_cell * len(doc_period) + word_doc[ok])
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
    cell_docs = np.bincount(pairs // len(doc_period), minlength=n_cells)
    return cell_words, cell_docs, _hit_cells(hits, doc_period, n_periods, n_cells)


def _hit_cells(hits: list, doc_period: np.ndarray, n_periods: int, n_cells: int) -> list:
    """Each query's matches per (group, period) cell, from its matches' groups and documents
    (a document without a period counts in no cell)."""
    cell_counts = []
    for found_group, found_doc in hits:
        found_period = doc_period[found_doc]
        hit = found_period >= 0
        cell_counts.append(np.bincount(found_group[hit] * n_periods + found_period[hit],
                                       minlength=n_cells))
    return cell_counts


def _sum_cells(results: list[tuple]) -> tuple:
    """Reduce step of :func:`trends`: the sum of the partitions' cells (a document is in
    one partition, so the documents of a cell add up too)."""
    if len(results) == 1:
        return results[0]
    return (sum(r[0] for r in results), sum(r[1] for r in results),
            [sum(counts) for counts in zip(*(r[2] for r in results), strict=True)])


@constrained(interval=OneOf(*INTERVALS))
@shared_docs
def trends(
    processed: Processed,
    queries: Iterable[str],
    interval: str = "year",
    *,
    by: str = "doc",
    where=None,
    kind: str = "auto",
    dictionary=None,
    date: str = DATE_COLUMN,
    engine="local",
) -> pd.DataFrame:
    """Rate of each query per period of the ``date`` variable, with a 95 % interval.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`; its documents need a ``date`` variable.
    queries : iterable of str
        Words, multiword expressions, globs, ``/regex/`` or CQL queries (a CQL query is one
        term: its matches counted), as :func:`analysis.concordance.kwic` takes them.
    interval : {"decade", "year", "month", "week"}
        The period (module docstring); a decade is labelled ``1990s``.
    by : str, default "doc"
        One line per group of this unit or variable (:mod:`analysis.units`).
    {where}
    kind : {"auto", "word", "glob", "regex"}
        How to read every query.
    dictionary : Dictionary, optional
        With a dictionary (:mod:`analysis.dictionaries`), a query ``@CATEGORY`` counts the
        matches of that category.
    date : str, default "date"
        The document variable that dates the documents: a date (``YYYY``, ``YYYY-MM``,
        ``YYYY-MM-DD``) or a year as a number (a ``year`` column of 1996, 2004, ...).
    engine : {"local", "dask"} or Engine, default "local"
        Where the cells are counted (:mod:`analysis.engines`); the table is the same.

    Returns
    -------
    DataFrame
        Group columns, then ``term, period, count, words, documents, per_1000, low, high``:
        ``documents`` is the number of documents of the period (and group), ``per_1000``,
        ``low`` and ``high`` are rounded to 4 decimals and NaN where the period has no
        words. Groups in order, then terms in the order given, then periods.

    Raises
    ------
    ValueError
        No ``date`` variable, no document dated precisely enough, an unknown interval.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = trends(process(load_corpus()), ["cpec"], "month", by="corpus")
    >>> table[["period", "count", "documents"]].values.tolist()[::3]
    [['2020-08', 30, 1], ['2020-11', 1, 1]]
    """
    from analysis.concordance import match

    processed = units.prepare(processed, by, where)
    queries = list(queries)
    if not queries:
        raise ValueError("trends needs at least one term")
    table = units.variables(processed.corpus)
    if date not in table.columns or date == "doc":
        known = [c for c in table.columns if c != "doc"]
        raise ValueError(f"date column {date!r}: no such column in the corpus's metadata "
                         f"(columns: {', '.join(known) or 'none'})")
    # each distinct date read once (a corpus of 100,000 documents has a few thousand)
    known_periods = {d: _period(d, interval) for d in dict.fromkeys(table[date].tolist())}
    period_of = [known_periods[d] for d in table[date].tolist()]
    dated = [p for p in period_of if p is not None]
    if not dated:
        raise ValueError(f"no document is dated to the {interval} by {date!r} (values: "
                         f"{', '.join(sorted(set(table[date]) - {''})[:5])})")
    periods = _all_periods(min(dated), max(dated), interval)
    p_index = {p: i for i, p in enumerate(periods)}
    doc_period = np.array([p_index[p] if p is not None else -1 for p in period_of])
    n_periods = len(periods)

    run = engines.get(engine)
    if run.partitions == 1:  # every count from the paragraphs and the matches
        para_group, groups = units.paragraph_codes(processed, by)
        n_cells = len(groups) * n_periods
        hits = []
        for query in queries:
            found = _matches(processed, query, kind, dictionary)
            hits.append((units.codes(processed, found, by)[0], found["doc_index"].to_numpy()))
        cell_words, cell_docs, cell_counts = _paragraph_cells(
            processed, para_group, hits, doc_period, n_periods, n_cells)
        return _table(queries, periods, groups, n_periods, cell_words, cell_docs, cell_counts,
                      by)
    tokens = processed.tokens
    words = tokens.loc[tokens["is_word"].to_numpy()]
    word_group, groups = units.codes(processed, words, by)
    n_cells = len(groups) * n_periods
    word_doc = words["doc_index"].to_numpy()
    hits = []
    for query in queries:
        found = match(processed, query, kind=kind, dictionary=dictionary)
        hits.append((units.codes(processed, found, by)[0], found["doc_index"].to_numpy()))
    # Map: words, documents and matches per (group, period) cell over partitions of
    # documents; reduce: their sum.
    whole = (word_group, word_doc, hits)
    if run.partitions == 1:
        pieces = [whole]
    else:
        cuts = engines.partitions(tokens["doc_index"].to_numpy(), run.partitions)
        hit_rows = [engines.slices(doc, cuts) for _, doc in hits]
        pieces = [(word_group[rows], word_doc[rows],
                   [(group[k[i]], doc[k[i]]) for (group, doc), k in zip(hits, hit_rows,
                                                                         strict=True)])
                  for i, rows in enumerate(engines.slices(word_doc, cuts))]
    cell_words, cell_docs, cell_counts = run.map_reduce(_cell_counts, pieces, _sum_cells,
                                                        doc_period, n_periods, n_cells)
    return _table(queries, periods, groups, n_periods, cell_words, cell_docs, cell_counts, by)


def _matches(processed: Processed, query: str, kind: str, dictionary) -> pd.DataFrame:
    """``doc, section, voice, doc_index`` of each match of a query, as
    :func:`analysis.concordance.match` finds them (without their offsets in the texts)."""
    from analysis.concordance import _labels, _match_rows

    first, _ = _match_rows(processed, query, kind, dictionary)
    rows = np.asarray(first, dtype=np.int64)
    labels = _labels(processed, rows)
    c = processed.columns
    return pd.DataFrame({"doc": labels["doc"], "section": labels["section"],
                         "voice": labels["voice"],
                         "doc_index": c.sent_doc[processed.columns.sentence_of(rows)]})


def _paragraph_cells(processed: Processed, para_group: np.ndarray, hits: list,
                     doc_period: np.ndarray, n_periods: int, n_cells: int) -> tuple:
    """:func:`_cell_counts` of the whole corpus from its paragraphs (a paragraph lies in one
    group and document): the words of a cell are its paragraphs' words, its documents those
    with a paragraph of words in it; no table of the tokens."""
    c = processed.columns
    para_period = doc_period[c.para_doc]
    words = c.para_words
    ok = (para_period >= 0) & (words > 0)
    para_cell = para_group[ok] * n_periods + para_period[ok]
    cell_words = np.bincount(para_cell, weights=words[ok], minlength=n_cells).astype(np.int64)
    pairs = np.unique(para_cell * len(doc_period) + c.para_doc[ok])
    cell_docs = np.bincount(pairs // len(doc_period), minlength=n_cells)
    return cell_words, cell_docs, _hit_cells(hits, doc_period, n_periods, n_cells)


def _table(queries: list, periods: list, groups: pd.DataFrame, n_periods: int,
           cell_words: np.ndarray, cell_docs: np.ndarray, cell_counts: list, by: str
           ) -> pd.DataFrame:
    """The table of :func:`trends` from its cells' counts."""
    group_of = np.repeat(np.arange(len(groups)), n_periods)
    period_idx = np.tile(np.arange(n_periods), len(groups))
    cells = groups.iloc[group_of].reset_index(drop=True).astype(str).assign(
        period=np.asarray(periods, dtype=object)[period_idx], words=cell_words,
        documents=cell_docs, _g=group_of, _p=period_idx)
    frames = []
    for q, query in enumerate(queries):
        cell_count = cell_counts[q]
        low, high = poisson_interval(cell_count, cell_words)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(cell_words > 0, cell_count / cell_words * 1000, np.nan)
        frames.append(cells.assign(term=query, count=cell_count, per_1000=np.round(rate, 4),
                                   low=np.round(low, 4), high=np.round(high, 4), _q=q))
    out = pd.concat(frames, ignore_index=True).sort_values(["_g", "_q", "_p"], kind="mergesort")
    columns = units.group_columns(by) + ["term", "period", "count", "words", "documents",
                                         "per_1000", "low", "high"]
    return out[columns].reset_index(drop=True)
