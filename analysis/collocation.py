"""Collocates of a node word: words that occur near it more often than chance predicts.

Windows are counted as AntConc and quanteda count them: around each occurrence of the node
(any query of :func:`analysis.concordance.match`: word, multiword expression, glob, regex),
``left`` terms before it and ``right`` terms after it, inside its document (windows may cross
sentence boundaries, as in AntConc, unless ``within_sentence=True``). Terms are the word
tokens of :func:`analysis.text.terms.terms` (multiword expressions merged unless ``mwe=False``);
the node's own terms are never its collocates.

Observed and expected counts share one definition of the window, the merged spans of
Evert (2008, "surface co-occurrence"): the windows of all node occurrences are joined, a token
inside two overlapping windows is one position of the joined window (counted once), and the
node's own tokens are never part of it. With ``W`` = positions in the joined window, ``O`` =
occurrences of the collocate among them, ``f(n)`` = occurrences of the node, ``f(c)`` =
occurrences of the collocate and ``N`` = word terms in the corpus (or in ``doc``)::

    E = W * f(c) / N                                    expected co-occurrences
    PMI = log2(O / E)                                   Church & Hanks (1990)
    t = (O - E) / sqrt(O)                               Church, Gale, Hanks & Hindle (1991)
    G2 = 2 * sum(O_ij * ln(O_ij / E_ij))                Dunning (1993), on the 2x2 table
         [[O, W - O], [f(c) - O, N - W - f(c) + O]]

Where no two windows overlap (and none is cut by a document's edge or, with
``within_sentence``, a sentence's), ``W = f(n) * span`` with ``span = left + right`` and ``E``
is the ``f(n) * f(c) * span / N`` of AntConc and of Church & Hanks. Where windows overlap,
AntConc counts a token once per window it is in while keeping ``f(n) * span`` slots; here
``O <= f(c)`` always holds, the 2x2 table of G2 stays a valid table, and ``O`` and ``E``
count the same positions. PMI favours rare collocates, t-score frequent ones, G2 sits between
them (Evert 2008); the three are shown side by side with the counts they come from.

A collocate is kept when it is seen at least ``min_count`` times in the windows: by default 3
when the table is ordered by PMI and 2 by G2 or t-score (:data:`MIN_COUNT`). Any word that
occurs only in the node's windows has the highest PMI there is, ``log2(N / W)``, whether it
occurs once or fifty times, so without a floor PMI lists one-off words first; AntConc
("Min. Collocate Frequency") and quanteda (``min_count``) set a floor for the same reason.

References
----------
Church, K. W. & Hanks, P. (1990). Word association norms, mutual information, and
lexicography. *Computational Linguistics* 16(1), 22-29.
Church, K. W., Gale, W., Hanks, P. & Hindle, D. (1991). Using statistics in lexical analysis.
In U. Zernik (ed.), *Lexical Acquisition*, 115-164. Lawrence Erlbaum.
Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
*Computational Linguistics* 19(1), 61-74.
Evert, S. (2008). Corpora and collocations. In A. Lüdeling & M. Kytö (eds.), *Corpus
Linguistics: An International Handbook*, vol. 2, 1212-1248. De Gruyter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import engines, index
from analysis.concordance import match
from analysis.frequency import code_counts
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.process import Processed, ranges
from analysis.text.terms import term_rows
from analysis.units import select

__all__ = ["MAX_WINDOW", "MEASURES", "MIN_COUNT", "collocates", "g2_score", "pmi_score", "t_score"]

#: Measure names accepted by :func:`collocates` and the column each one fills.
MEASURES = {"pmi": "pmi", "g2": "g2", "t": "t_score"}
#: The fewest co-occurrences of a collocate kept when ``min_count`` is not given, by measure.
MIN_COUNT = {"pmi": 3, "g2": 2, "t": 2}
#: Most words of a window on either side of the node.
MAX_WINDOW = 50
COLUMNS = ["collocate", "count", "score", "node_count", "collocate_count", "expected", "pmi",
           "g2", "t_score"]


def pmi_score(o, e) -> np.ndarray:
    """Pointwise mutual information ``log2(O / E)`` (Church & Hanks 1990).

    Examples
    --------
    >>> pmi_score([4], [1.0])  # observed 4, expected 1: log2(4)
    array([2.])
    """
    return np.log2(np.asarray(o, dtype=float) / np.asarray(e, dtype=float))


def t_score(o, e) -> np.ndarray:
    """t-score ``(O - E) / sqrt(O)`` (Church et al. 1991).

    Examples
    --------
    >>> t_score([4], [1.0])  # (4 - 1) / sqrt(4)
    array([1.5])
    """
    o = np.asarray(o, dtype=float)
    return (o - np.asarray(e, dtype=float)) / np.sqrt(o)


def g2_score(o, r1, c1, n) -> np.ndarray:
    """Dunning's (1993) log-likelihood G2 of the 2x2 co-occurrence table.

    Parameters
    ----------
    o : array-like
        Co-occurrences O.
    r1 : array-like
        Positions in the node's joined window (``W``, see the module docstring; for
        adjacent bigrams, ``f(w1)``).
    c1 : array-like
        Frequency of the collocate.
    n : array-like
        Corpus size.

    Returns
    -------
    ndarray
        ``2 * sum(O_ij ln(O_ij / E_ij))`` over the four cells, ``0 ln 0 = 0``.

    Examples
    --------
    >>> g2_score([10], [13], [10], [31777]).round(2)  # Dunning's (1993) table, p. 72
    array([167.23])
    """
    from scipy.special import xlogy  # where used: importing scipy.special takes a second

    o, r1, c1, n = (np.asarray(x, dtype=float) for x in (o, r1, c1, n))
    cells = [(o, r1, c1), (r1 - o, r1, n - c1), (c1 - o, n - r1, c1),
             (n - r1 - c1 + o, n - r1, n - c1)]
    total = np.zeros(np.broadcast(o, r1, c1, n).shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for observed, row, column in cells:
            total = total + xlogy(observed, observed / (row * column / n))
    return np.maximum(2 * np.nan_to_num(total), 0.0)


def _window_counts(part: tuple, left: int, right: int, within_sentence: bool,
                   scale: int) -> tuple[pd.Series, pd.Series, int]:
    """Map step of :func:`collocates` over a partition of whole documents.

    ``part`` holds the word rows of the partition (document number, character offsets,
    sentence, term code into the names that follow, whether it may be a collocate) and its
    node matches (document number,
    offsets, sentence). Returns the collocates' counts O in the joined window, every term's
    count, and W, the positions of the joined window.
    """
    (unit_doc, unit_begin, unit_finish, unit_sentence, unit_codes, names, keep,
     hit_doc, hit_begin, hit_finish, hit_sentence) = part
    # Rows are in text order within each document and documents follow corpus order, so
    # (document number, character offset) increases along the rows: the terms a match
    # overlaps and each document's first and last row are found by binary search.
    unit_start = unit_doc * scale + unit_begin
    unit_end = unit_doc * scale + unit_finish
    first = np.searchsorted(unit_end, hit_doc * scale + hit_begin, "right")
    last = np.searchsorted(unit_start, hit_doc * scale + hit_finish, "left") - 1
    doc_lo = np.searchsorted(unit_doc, hit_doc, "left")
    doc_hi = np.searchsorted(unit_doc, hit_doc, "right")
    real = first <= last  # else the node is a non-word token only
    first, last, doc_lo, doc_hi = first[real], last[real], doc_lo[real], doc_hi[real]
    hit_sentence = hit_sentence[real]
    node_rows = ranges(first, last + 1)[0]
    left_rows, left_owner = ranges(np.maximum(first - left, doc_lo), first)
    right_rows, right_owner = ranges(last + 1, np.minimum(last + 1 + right, doc_hi))
    window = np.concatenate([left_rows, right_rows])
    if within_sentence:
        owner = np.concatenate([left_owner, right_owner])
        window = window[unit_sentence[window] == hit_sentence[owner]]
    # A row inside two windows counts once; the node's own rows never count.
    in_window = np.setdiff1d(np.unique(window), node_rows)
    observed = code_counts(unit_codes[in_window[keep[in_window]]], names)
    return observed, code_counts(unit_codes, names), len(in_window)  # W: the window's size


def _sum_windows(results: list[tuple]) -> tuple[pd.Series, pd.Series, int]:
    """Reduce step of :func:`collocates`: the sum of the partitions' window counts."""
    if len(results) == 1:
        return results[0]

    def total(series: list[pd.Series]) -> pd.Series:
        summed = pd.concat(series).groupby(level=0).sum().astype(np.int64)
        summed.index = pd.Index(summed.index, dtype=object)
        return summed

    return (total([r[0] for r in results]), total([r[1] for r in results]),
            sum(r[2] for r in results))


@constrained(left=Interval(0, MAX_WINDOW), right=Interval(0, MAX_WINDOW),
             measure=OneOf(*MEASURES), min_count=[Interval(1, MAX_ROWS), None])
@shared_docs
def collocates(
    processed: Processed,
    node: str,
    *,
    left: int = 5,
    right: int = 5,
    measure: str = "pmi",
    min_count: int | None = None,
    stopwords: bool = False,
    mwe: bool = True,
    within_sentence: bool = False,
    where=None,
    kind: str = "auto",
    engine="local",
) -> pd.DataFrame:
    """Collocates of a node within a window, with PMI, G2 and t-score.

    Parameters
    ----------
    {processed}
    node : str
        The node: word, phrase / multiword expression, glob, ``/regex/`` or a CQL query
        (:mod:`analysis.cql`: the collocates of its matched spans).
    left, right : int, default 5
        Terms counted on each side of every node occurrence.
    measure : {"pmi", "g2", "t"}, default "pmi"
        Which measure fills ``score`` and orders the rows.
    min_count : int, optional
        Keep collocates seen at least this often in the windows; default
        :data:`MIN_COUNT` of the measure: 3 for PMI (which ranks a word seen only beside
        the node first however rare it is), 2 for G2 and t-score.
    stopwords : bool, default False
        Keep stop words as collocates (they still count in ``N`` and in the windows).
    mwe : bool, default True
        Count multiword expressions as one term.
    within_sentence : bool, default False
        Stop windows at sentence boundaries.
    where : str or list of str, optional
        Only the documents that satisfy these conditions (:func:`analysis.units.select`);
        ``N`` is then their size.
    kind : {"auto", "word", "glob", "regex", "cql"}
        How to read the node query.
    engine : {"local", "dask"} or Engine, default "local"
        Where the windows are counted (:mod:`analysis.engines`); the table is the same.

    Returns
    -------
    DataFrame
        ``collocate, count, score, node_count, collocate_count, expected, pmi, g2, t_score``
        (``count`` = O, ``node_count`` = f(n), ``collocate_count`` = f(c), ``expected`` =
        E = W * f(c) / N over the joined window, see the module docstring), ordered by score
        (descending), then count (descending), then collocate. ``attrs["min_count"]`` is the
        minimum applied.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = collocates(process(load_corpus()), "cpec", measure="g2")
    >>> table[["collocate", "count", "collocate_count"]].to_dict("records")[0]
    {'collocate': 'cooperation', 'count': 13, 'collocate_count': 24}
    """
    if min_count is None:
        min_count = MIN_COUNT[measure]
    if left < 0 or right < 0 or left + right == 0:
        raise ValueError("the window needs at least one word on one side")
    processed = select(processed, where)
    run = engines.get(engine)
    if mwe and run.partitions == 1 and index.has_positions(processed.columns):
        observed, frequency, slots, node_count, n_total = _indexed_windows(
            processed, node, kind, left, right, within_sentence, stopwords)
        return _table(observed, frequency, slots, node_count, n_total, measure, min_count)
    # The word occurrences (terms() without its table): first and last token rows, term.
    occurring = term_rows(processed, mwe)
    last = occurring.rows.copy()
    last[np.flatnonzero(occurring.mwe)] = occurring.mwe_last
    words = np.flatnonzero(occurring.is_word)
    rows, last = occurring.rows[words], last[words]
    c = processed.columns
    found = match(processed, node, kind=kind)
    n_total = len(rows)
    node_count = len(found)
    scale = int(processed.texts.lengths().max(initial=0)) + 1
    keep = np.ones(len(words), dtype=bool) if stopwords else ~occurring.is_stop[words]
    unit_doc = c.doc_of(rows).astype(np.int64)
    hit_doc = found["doc_index"].to_numpy(dtype=np.int64)
    whole = (unit_doc, c.tok_start[rows].astype(np.int64), c.tok_end[last].astype(np.int64),
             c.sent_number[c.tok_sentence[rows]].astype(np.int64),
             occurring.code[words], occurring.names, keep,
             hit_doc, found["start"].to_numpy(), found["end"].to_numpy(),
             found["sentence"].to_numpy())
    # Map: the window counts of partitions of documents (windows never leave a document);
    # reduce: their sum.
    if run.partitions == 1:
        pieces = [whole]
    else:
        cuts = engines.partitions(c.tok_doc, run.partitions)
        pieces = [tuple(column[rows] for column in whole[:5]) + (whole[5], whole[6][rows])
                  + tuple(column[hits] for column in whole[7:])
                  for rows, hits in zip(engines.slices(unit_doc, cuts),
                                        engines.slices(hit_doc, cuts), strict=True)]
    observed, frequency, slots = run.map_reduce(_window_counts, pieces, _sum_windows, left,
                                                right, within_sentence, scale)
    return _table(observed, frequency, slots, node_count, n_total, measure, min_count)


def _indexed_windows(processed: Processed, node: str, kind: str, left: int, right: int,
                     within_sentence: bool, stopwords: bool) -> tuple:
    """:func:`_window_counts` of the whole corpus from its index: the node's matches from
    the term positions, every term's count and ``N`` from the segment counts, and the
    windows from the tokens around each match only (with the multiword terms the index
    merged), so no array of every occurrence is made. Returns O, f(c), W, f(n) and N.

    Around each match a span of its document's token rows is read that holds ``left``
    words before it and ``right`` after it, or reaches the document's edge (widened
    until it does): the windows are then those the whole document gives.
    """
    from analysis.concordance import _doc_bounds, _match_rows

    c = processed.columns
    first, last = _match_rows(processed, node, kind)
    firsts, lasts = np.asarray(first, dtype=np.int64), np.asarray(last, dtype=np.int64)
    names = index.terms(c)
    column_total, _ = index.column_counts(c)  # kept with the index: no counts read
    by_name = names[c.dtm_order]
    present = np.flatnonzero(column_total)
    frequency = pd.Series(column_total[present], index=pd.Index(by_name[present], dtype=object),
                          dtype=np.int64)
    n_total = int(column_total.sum())
    lo, hi = _doc_bounds(processed, firsts)
    merged_first, merged_last, merged_term = index.merged_terms(c)
    merged_first = merged_first.astype(np.int64)
    surface_is_word = c.term_is_word[c.surface_term]
    n = int(c.doc_first[-1] + c.doc_tokens[-1]) + 1 if len(c.doc_first) else 1
    reach = 2 * max(left, right) + 16  # tokens each side: the words, non-words, a merge
    begin, end = np.maximum(lo, firsts - reach), np.minimum(hi, lasts + 1 + reach)
    while True:
        rows, owner = ranges(begin, end)
        surface = c.tok_surface[rows]
        k = np.searchsorted(merged_first, rows, side="right") - 1
        at = np.maximum(k, 0)
        inside = (k >= 0) & (rows <= merged_last[at]) if len(merged_first) else \
            np.zeros(len(rows), dtype=bool)
        starts = inside & (rows == merged_first[at]) if len(merged_first) else inside
        unit = (surface_is_word[surface] & ~inside) | starts  # a unit's first row
        rows, owner, surface, starts, at = (x[unit] for x in (rows, owner, surface, starts,
                                                              at))
        code = np.where(starts, merged_term[at] if len(merged_first) else 0,
                        c.surface_term[surface])
        unit_last = np.where(starts, merged_last[at] if len(merged_first) else 0, rows)
        key, last_key = owner * n + rows, owner * n + unit_last
        hit = np.arange(len(firsts), dtype=np.int64)
        span_lo = np.searchsorted(owner, hit, "left")
        span_hi = np.searchsorted(owner, hit, "right")
        first_unit = np.searchsorted(last_key, hit * n + firsts, "left")
        last_unit = np.searchsorted(key, hit * n + lasts, "right") - 1
        short = ((first_unit - span_lo < left) & (begin > lo)) \
            | ((span_hi - 1 - last_unit < right) & (end < hi))
        if not short.any():
            break
        reach *= 4
        begin = np.where(short, np.maximum(lo, firsts - reach), begin)
        end = np.where(short, np.minimum(hi, lasts + 1 + reach), end)
    real = first_unit <= last_unit  # else the node is a non-word token only
    first_unit, last_unit = first_unit[real], last_unit[real]
    span_lo, span_hi, hit = span_lo[real], span_hi[real], hit[real]
    node_units = ranges(first_unit, last_unit + 1)[0]
    left_units, left_owner = ranges(np.maximum(first_unit - left, span_lo), first_unit)
    right_units, right_owner = ranges(last_unit + 1, np.minimum(last_unit + 1 + right, span_hi))
    window = np.concatenate([left_units, right_units])
    if within_sentence:
        owner_hit = hit[np.concatenate([left_owner, right_owner])]
        window = window[processed.columns.sentence_of(rows[window])
                        == processed.columns.sentence_of(firsts[owner_hit])]
    # A unit inside two windows counts once; the node's own units never count (units are
    # named by their first row: one unit may be read in several spans).
    ids, one = np.unique(rows[window], return_index=True)
    keep = ~np.isin(ids, rows[node_units])
    chosen = window[one[keep]]
    if not stopwords:
        is_stop = np.concatenate([c.term_is_stop, np.zeros(len(c.mwe_names), dtype=bool)])
        chosen = chosen[starts[chosen] | ~is_stop[code[chosen]]]
    observed = code_counts(code[chosen], names)
    return observed, frequency, int(keep.sum()), len(firsts), n_total


def _table(observed: pd.Series, frequency: pd.Series, slots: int, node_count: int,
           n_total: int, measure: str, min_count: int) -> pd.DataFrame:
    """The table of :func:`collocates` from its counts: O of each collocate, f(c), W, f(n)
    and N."""
    observed = observed[observed >= min_count]
    table = pd.DataFrame({"collocate": observed.index.to_numpy(dtype=object),
                          "count": observed.to_numpy(dtype=np.int64)})
    if table.empty:
        empty = pd.DataFrame(columns=COLUMNS)
        empty.attrs["min_count"] = min_count
        return empty
    table["node_count"] = node_count
    table["collocate_count"] = table["collocate"].map(frequency).astype(int)
    o = table["count"].to_numpy(float)
    e = slots * table["collocate_count"].to_numpy(float) / n_total
    table["expected"] = e.round(4)
    table["pmi"] = pmi_score(o, e).round(4)
    table["g2"] = g2_score(o, slots, table["collocate_count"], n_total).round(4)
    table["t_score"] = t_score(o, e).round(4)
    table["score"] = table[MEASURES[measure]]
    table = table.sort_values(["score", "count", "collocate"], ascending=[False, False, True],
                              kind="mergesort")
    table = table[COLUMNS].reset_index(drop=True)
    table.attrs["min_count"] = min_count
    return table
