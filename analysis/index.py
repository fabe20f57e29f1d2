"""The corpus's index, made once when the corpus is processed and kept in its cache file.

Two parts, both integer arrays in the cache (:mod:`analysis.store`, checksummed block by
block, read array by array or a term at a time):

- **document-term counts**: a sparse matrix (CSR, 32-bit column indices and counts) of
  every word term's count (curated multiword expressions merged, as
  :func:`analysis.text.terms.term_rows` merges them; stop words kept, since the analyst's
  stop list is applied when counting) in each *segment*: a run of paragraphs of one document
  with one section and one voice (the whole document where it has neither). Every grouping
  of the project (a document, a section, a voice, a document variable, the corpus) is a sum
  of segments, so word lists, keyness, trends and the overview come from these counts
  summed by group (:func:`segment_parts`) instead of from every token. Its columns are the
  terms sorted by their string (:func:`terms`), so counts summed in column order come out
  sorted by term;
- **positions**: for each term of the tokens (:attr:`Columns.term_names`), the rows of its
  tokens in text order (an inverted index), so a search reads the positions of the terms
  it asks for (:func:`positions`) and the token ids around them, not every token.

Like the rest of the cache the index is trusted only when whole: it belongs to the cache
file of one corpus and one version of the code (:func:`analysis.text.process.cache_key`
covers this module), each array is checked when read, and a file that fails is ignored with
one warning and rebuilt (:func:`analysis.text.process.process`).

Examples
--------
>>> from analysis.corpus import load_corpus
>>> from analysis.text.process import process
>>> p = process(load_corpus())
>>> code = int(np.flatnonzero(p.columns.term_names == "cpec")[0])
>>> rows = positions(p.columns, code)  # the rows of the tokens whose term is "cpec"
>>> rows.tolist() == p.tokens.index[p.tokens["term"] == "cpec"].tolist()
True
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["CHUNK_TOKENS", "LAZY", "TOTALS", "available", "build", "cell_arrays", "cell_counts",
           "column_counts", "column_totals", "doc_types", "group_term_pairs", "group_types",
           "has_positions", "loaders", "matrix", "merged_terms", "positions", "read",
           "segment_entries", "segment_parts", "segments", "stable_order", "subset_loaders",
           "terms", "totals"]

#: The index's arrays read only when first needed (the others are small: one number per
#: term or per segment).
LAZY = ("dtm.indices", "dtm.counts", "pos.rows")


def segments(para_doc: np.ndarray, para_section: np.ndarray, para_voice: np.ndarray
             ) -> np.ndarray:
    """The first paragraph of each segment: a run of paragraphs of one document, section
    and voice.

    Examples
    --------
    >>> segments(np.array([0, 0, 0, 1]), np.array([5, 5, 6, 6]), np.array([1, 1, 1, 1])).tolist()
    [0, 2, 3]
    """
    new = np.ones(len(para_doc), dtype=bool)
    new[1:] = (para_doc[1:] != para_doc[:-1]) | (para_section[1:] != para_section[:-1]) \
        | (para_voice[1:] != para_voice[:-1])
    return np.flatnonzero(new).astype(np.int32)


def cell_arrays(row: np.ndarray, column: np.ndarray, n_rows: int, n_columns: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``counts, columns, indptr`` (CSR) of the ``n_rows x n_columns`` matrix counting each
    ``(row, column)`` pair, in canonical
    form (indices sorted, no duplicates): the pairs' keys ``row * n_columns + column``
    sorted, and each run of equal keys one cell. A sort of the occurrences' keys costs a
    tenth of scipy's way (coordinates to CSR, then sorting and summing duplicates). The
    index's segment counts and :func:`analysis.dfm.dfm` count with it.

    Examples
    --------
    >>> counts, columns, indptr = cell_arrays(np.array([1, 0, 1, 1]), np.array([2, 0, 2, 0]),
    ...                                       3, 3)
    >>> counts.tolist(), columns.tolist(), indptr.tolist()
    ([1, 1, 2], [0, 0, 2], [0, 1, 3, 3])
    """
    fits = n_rows * max(n_columns, 1) < 1 << 31  # keys in 32 bits: half the sorting
    key = np.array(row, dtype=np.int32 if fits else np.int64)  # a copy, sorted in place
    key *= n_columns
    key += column
    key.sort()
    new = np.ones(len(key), dtype=bool)  # the first of each run of equal keys
    np.not_equal(key[1:], key[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(key))).astype(np.int64)
    cells = key[starts]
    indptr = np.searchsorted(cells, np.arange(n_rows + 1, dtype=np.int64) * n_columns)
    cell_column = cells % n_columns if n_columns else cells
    return counts, cell_column, indptr


def cell_counts(row: np.ndarray, column: np.ndarray, n_rows: int, n_columns: int):
    """:func:`cell_arrays` as a ``scipy.sparse`` CSR matrix.

    Examples
    --------
    >>> cell_counts(np.array([1, 0, 1, 1]), np.array([2, 0, 2, 0]), 3, 3).toarray().tolist()
    [[1, 0, 0], [1, 0, 2], [0, 0, 0]]
    """
    from scipy import sparse

    return sparse.csr_matrix(cell_arrays(row, column, n_rows, n_columns),
                             shape=(n_rows, n_columns))


def _terms_of(term_names: np.ndarray, extra: np.ndarray) -> np.ndarray:
    return np.concatenate([term_names, extra]).astype(object)


#: Tokens per piece of the index's work when it is built (whole segments, so a piece's
#: counts are its segments' own): what it holds besides the corpus's arrays is a few arrays
#: of this length, not of the corpus's.
CHUNK_TOKENS = 1 << 22


def build(processed) -> dict[str, np.ndarray]:
    """The index's arrays for the cache, from a processed corpus.

    ``dtm.indptr, dtm.indices, dtm.counts``: the segments' counts (CSR, columns sorted by
    term); ``dtm.order``: the term code (into :func:`terms`) of each column;
    ``mwe.names``: the multiword terms that are not a token's term; ``mwe.codes``: the codes
    of those that are (a word list must check them against the stop list);
    ``pos.rows, pos.ends``: each token term's rows, one term after the other, and where each
    term's rows end.

    Both are made a piece of :data:`CHUNK_TOKENS` tokens at a time (the counts of whole
    segments; the positions by a counting sort), the same arrays as from all tokens at once.
    """
    from analysis.text.terms import multiword_expressions, mwe_matches

    c = processed.columns
    names, merged_first, merged_last, merged_code = mwe_matches(c)
    order = np.argsort(names, kind="stable") if len(names) else np.zeros(0, dtype=np.int64)
    column = np.empty(len(names), dtype=np.int32)
    column[order] = np.arange(len(names), dtype=np.int32)
    counts, columns, indptr = _segment_counts(c, column, (merged_first, merged_last,
                                                          merged_code))
    n_terms = len(c.term_names)
    extra = names[n_terms:]
    import pandas as pd

    labels = sorted(set(multiword_expressions().values()))
    existing = pd.Index(c.term_names).get_indexer(labels)
    from analysis.store import pack_strings

    out = {"dtm.indptr": indptr, "dtm.indices": columns, "dtm.counts": counts,
           "dtm.order": order.astype(np.int32),
           "mwe.codes": existing[existing >= 0].astype(np.int32)}
    out["mwe.names.data"], out["mwe.names.ends"] = pack_strings([str(t) for t in extra])
    # the multiword terms merged: first and last token row, and term code
    out["mwe.first"] = merged_first.astype(np.int32)
    out["mwe.last"] = merged_last.astype(np.int32)
    out["mwe.term"] = merged_code.astype(np.int32)
    if len(c.tok_surface) < 1 << 31:  # positions in 32 bits
        out["pos.rows"], out["pos.ends"] = _positions(c, n_terms)
    return out


def _chunk_terms(c, start: int, stop: int) -> np.ndarray:
    """The term codes of tokens ``start`` to ``stop``."""
    return c.surface_term[c.tok_surface[start:stop]]


def _segment_counts(c, column: np.ndarray, merged: tuple) -> tuple:
    """``counts, indices, indptr`` of the word terms (multiword expressions ``merged``, as
    :func:`analysis.text.terms.mwe_matches` gives them) of each segment, columns
    ``column[code]``: :func:`cell_arrays` of pieces of whole segments, end to end."""
    first = segments(c.para_doc, c.para_section, c.para_voice)
    n, n_segments, n_columns = len(c.tok_surface), len(first), len(column)
    merged_first, merged_last, merged_code = merged
    # Where the tokens of each segment start: its first paragraph's first token, while the
    # sentences keep their paragraphs' order (as processing makes them); otherwise one
    # piece, and each token's segment through its sentence and paragraph.
    para_tokens = np.bincount(c.sent_para, weights=c.sent_tokens,
                              minlength=len(c.para_doc)).astype(np.int64)
    in_order = bool(np.all(np.diff(c.sent_para) >= 0))
    seg_start = (np.cumsum(para_tokens) - para_tokens)[first]
    cuts = np.searchsorted(seg_start, np.arange(CHUNK_TOKENS, n, CHUNK_TOKENS)) \
        if in_order else np.zeros(0, dtype=np.int64)
    cuts = np.unique(np.concatenate(([0], cuts, [n_segments])))
    para_segment = None
    counts, columns, indptr = [], [], [np.zeros(1, dtype=np.int64)]
    from analysis.progress import progress

    pieces = list(zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True))
    for s0, s1 in progress(pieces, desc="indexing counts", unit="piece"):
        t0 = int(seg_start[s0]) if in_order else 0
        t1 = int(seg_start[s1]) if in_order and s1 < n_segments else n
        term = _chunk_terms(c, t0, t1)
        lo, hi = np.searchsorted(merged_first, [t0, t1])
        m_first, m_last = merged_first[lo:hi] - t0, merged_last[lo:hi] - t0
        # the rows inside a merged expression, after its first, are merged into it
        keep = np.ones(t1 - t0, dtype=bool)
        lengths = m_last - m_first
        keep[np.repeat(m_first + 1 - (np.cumsum(lengths) - lengths), lengths)
             + np.arange(lengths.sum())] = False
        rows = np.flatnonzero(keep)
        at = np.searchsorted(rows, m_first)
        code = term[rows]
        is_word = c.term_is_word[code]
        code[at], is_word[at] = merged_code[lo:hi], True
        rows, code = rows[is_word], code[is_word]
        if in_order:  # each token's segment in the piece, looked up by its row
            sizes = np.diff(np.append(seg_start[s0:s1], t1))
            row_segment = np.repeat(np.arange(s1 - s0, dtype=np.int32), sizes)[rows]
        else:
            if para_segment is None:
                para_segment = np.repeat(np.arange(n_segments),
                                         np.diff(np.append(first, len(c.para_doc))))
            row_segment = para_segment[c.para_of(rows)]
        cell, cell_column, pointer = cell_arrays(row_segment, column[code], s1 - s0,
                                                 n_columns)
        counts.append(cell.astype(np.int32))
        columns.append(cell_column.astype(np.int32))
        indptr.append(pointer[1:].astype(np.int64) + indptr[-1][-1])
    return (np.concatenate([np.zeros(0, dtype=np.int32), *counts]),
            np.concatenate([np.zeros(0, dtype=np.int32), *columns]), np.concatenate(indptr))


def _positions(c, n_terms: int) -> tuple[np.ndarray, np.ndarray]:
    """``pos.rows, pos.ends``: the rows of each term's tokens, ascending, one term after the
    other (a stable sort of the rows by term, made as a counting sort a piece at a time), and
    where each term's rows end."""
    n = len(c.tok_surface)
    per_term = np.zeros(n_terms, dtype=np.int64)
    for start in range(0, n, CHUNK_TOKENS):
        per_term += np.bincount(_chunk_terms(c, start, start + CHUNK_TOKENS),
                                minlength=n_terms)
    ends = np.cumsum(per_term)
    cursor = ends - per_term  # where each term's next rows go
    rows = np.empty(n, dtype=np.int32)
    from analysis.progress import progress

    for start in progress(range(0, n, CHUNK_TOKENS), desc="indexing positions", unit="piece"):
        term = _chunk_terms(c, start, start + CHUNK_TOKENS)
        order = stable_order(term)
        counts = np.bincount(term, minlength=n_terms)
        # The k-th row of a term in the piece goes k places after the term's cursor: the
        # rows in ``order`` are each term's in turn, its first where the terms before end.
        shift = cursor - (np.cumsum(counts) - counts)
        rows[shift[term[order]] + np.arange(len(term))] = order + start
        cursor += counts
    return rows, ends.astype(np.int64)


def stable_order(values: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")`` of integers in ``[0, 2**32)``, as one or two
    radix sorts of 16-bit keys (numpy sorts 16-bit integers by radix, and larger ones by
    timsort, several times slower): the low halves, then the high halves of the values so
    ordered, where any value passes 65,535.

    Examples
    --------
    >>> values = np.array([70_000, 3, 65_536, 3, 0], dtype=np.int64)
    >>> stable_order(values).tolist(), np.argsort(values, kind="stable").tolist()
    ([4, 1, 3, 2, 0], [4, 1, 3, 2, 0])
    """
    if not len(values) or values.max() < 1 << 16:
        return np.argsort(values.astype(np.uint16), kind="stable")
    order = np.argsort((values & 0xFFFF).astype(np.uint16), kind="stable")
    return order[np.argsort((values[order] >> 16).astype(np.uint16), kind="stable")]


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(f"index: {what}")


def read(arrays, n_tokens: int, para: tuple, term_names: np.ndarray, n_docs: int = 0) -> dict:
    """The index's small arrays as :class:`~analysis.text.process.Columns` attributes,
    checked (ValueError); nothing where the arrays have no index. The totals of
    :func:`totals` where the arrays hold them (a cache written before they were kept has
    none: :func:`column_counts` and :func:`doc_types` then sum the counts)."""
    if "dtm.indptr" not in arrays:
        return {}
    from analysis.store import unpack_strings

    first = segments(*para)
    indptr, order = arrays["dtm.indptr"], arrays["dtm.order"]
    extra = np.asarray(unpack_strings(arrays["mwe.names.data"], arrays["mwe.names.ends"]),
                       dtype=object)
    n_names = len(term_names) + len(extra)
    nnz = arrays.length("dtm.indices")
    _check(len(indptr) == len(first) + 1 and indptr[0] == 0 and indptr[-1] == nnz
           and bool(np.all(np.diff(indptr) >= 0)) and arrays.length("dtm.counts") == nnz,
           "segments")
    _check(len(order) == n_names and bool(np.all(np.bincount(order, minlength=n_names) == 1)),
           "terms")
    codes = arrays["mwe.codes"]
    _check(not len(codes) or (codes.min() >= 0 and codes.max() < len(term_names)), "terms")
    merged = [arrays[f"mwe.{k}"] for k in ("first", "last", "term")]
    first_row, last_row, term = merged
    _check(len(first_row) == len(last_row) == len(term)
           and bool(np.all(first_row <= last_row))
           and bool(np.all(first_row[1:] > last_row[:-1]))
           and (not len(term) or (first_row[0] >= 0 and last_row[-1] < n_tokens
                                  and term.min() >= 0 and term.max() < n_names)),
           "multiword terms")
    out = {"seg_para": first, "dtm_indptr": indptr, "dtm_order": order, "mwe_names": extra,
           "mwe_codes": codes, "mwe_first": merged[0], "mwe_last": merged[1],
           "mwe_term": merged[2]}
    if all(name in arrays for name in TOTALS):
        count, docs, types = (arrays[name] for name in TOTALS)
        _check(len(count) == len(docs) == n_names and len(types) == n_docs
               and bool(np.all(docs <= n_docs)) and bool(np.all(docs <= count))
               and (not len(count) or count.min() >= 0)
               and (not len(types) or types.min() >= 0), "totals")
        out.update(tot_count=count, tot_docs=docs, doc_types=types)
    if "pos.ends" in arrays:
        ends = arrays["pos.ends"]
        _check(len(ends) == len(term_names) and bool(np.all(np.diff(ends) >= 0))
               and (not len(ends) or (ends[0] >= 0 and ends[-1] == n_tokens))
               and arrays.length("pos.rows") == n_tokens, "positions")
        out["pos_ends"] = ends
    return out


def loaders(arrays, n_tokens: int) -> dict:
    """The index's large arrays as lazy :class:`~analysis.text.process.Columns` attributes,
    each read and checked when first used."""
    if "dtm.indptr" not in arrays:
        return {}
    n_names = arrays.length("dtm.order")
    indptr = arrays["dtm.indptr"]

    def indices(values: np.ndarray) -> np.ndarray:
        _check(not len(values) or (values.min() >= 0 and values.max() < n_names), "columns")
        # strictly increasing within each segment: a canonical CSR matrix
        starts = np.zeros(len(values), dtype=bool)
        starts[indptr[:-1][indptr[:-1] < len(values)]] = True
        _check(bool(np.all((values[1:] > values[:-1]) | starts[1:])), "column order")
        return values

    def counts(values: np.ndarray) -> np.ndarray:
        _check(not len(values) or values.min() > 0, "counts")
        return values

    out = {"dtm_indices": arrays.lazy("dtm.indices", indices),
           "dtm_counts": arrays.lazy("dtm.counts", counts)}

    def some_indices(values: np.ndarray) -> np.ndarray:
        _check(not len(values) or (values.min() >= 0 and values.max() < n_names), "columns")
        return values

    def entries(start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Entries ``start:stop`` of the matrix (columns, counts), read and checked alone."""
        return (arrays.read_range("dtm.indices", start, stop, check=some_indices),
                arrays.read_range("dtm.counts", start, stop, check=counts))

    out["dtm_entries"] = lambda: _Entries(entries)
    if "pos.ends" in arrays:
        def rows(values: np.ndarray) -> np.ndarray:
            _check(not len(values) or (values.min() >= 0 and values.max() < n_tokens),
                   "positions")
            return values

        read_rows = _Positions(functools.partial(arrays.read_range, "pos.rows", check=rows),
                               n_tokens)
        out["positions_of"] = lambda: read_rows
    return out


class _Positions:
    """``(start, stop) -> `` the index's positions there, read from the cache file a term at
    a time; pickled (sent to a worker) with every position, read first."""

    def __init__(self, read, n: int):
        self._read, self._n, self._rows = read, n, None

    def __call__(self, start: int, stop: int) -> np.ndarray:
        return self._read(start, stop) if self._rows is None else self._rows[start:stop]

    def __getstate__(self) -> dict:
        return {"_read": None, "_n": self._n, "_rows": self(0, self._n)}


class _Entries:
    """``(start, stop) -> `` the matrix's entries there, read from the cache file; a copy
    sent to a worker reads nothing (its columns hold the whole matrix, read first)."""

    def __init__(self, read):
        self._read = read

    def __call__(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        return self._read(start, stop)

    def __reduce__(self):
        return _Entries, (None,)


class _SubsetPositions:
    """``code -> `` the positions of a term among the tokens of some documents: its
    positions in the whole corpus, those kept, renumbered."""

    def __init__(self, columns, tok: np.ndarray):
        self._columns, self._tok, self._renumber = columns, tok, None

    def __call__(self, code: int) -> np.ndarray:
        if self._renumber is None:
            self._renumber = np.cumsum(self._tok, dtype=np.int64) - 1
        rows = positions(self._columns, code)
        return self._renumber[rows[self._tok[rows]]]

    def __getstate__(self) -> dict:
        return {"_columns": self._columns, "_tok": self._tok, "_renumber": None}


def subset_loaders(columns, docs: np.ndarray, para: np.ndarray, tok: np.ndarray) -> dict:
    """The index of some documents (a boolean mask) of ``columns``, as lazy attributes of
    their :class:`~analysis.text.process.Columns` (see ``Columns.subset``): the segments of
    the documents kept, and positions renumbered."""
    if not available(columns):
        return {}
    kept = docs[columns.para_doc[columns.seg_para]]

    def rows_kept():
        indptr = columns.dtm_indptr
        return _ranges(indptr[:-1][kept], indptr[1:][kept])

    def indptr():
        indptr = columns.dtm_indptr
        return np.concatenate(([0], np.cumsum(np.diff(indptr)[kept]))).astype(np.int64)

    @functools.lru_cache(maxsize=1)
    def new_row():
        return np.cumsum(tok, dtype=np.int64) - 1

    out = {"seg_para": lambda: segments(columns.para_doc[para], columns.para_section[para],
                                        columns.para_voice[para]),
           "dtm_indptr": indptr,
           "dtm_indices": lambda: columns.dtm_indices[rows_kept()],
           "dtm_counts": lambda: columns.dtm_counts[rows_kept()],
           **{k: functools.partial(getattr, columns, k)
              for k in ("dtm_order", "mwe_names", "mwe_codes")},
           **{f"mwe_{k}": functools.partial(_merged_subset, columns, k, tok, new_row)
              for k in ("first", "last", "term")}}
    if has_positions(columns):
        out["term_positions"] = functools.partial(_SubsetPositions, columns, tok)
    return out


def _merged_subset(columns, part: str, tok: np.ndarray, new_row) -> np.ndarray:
    """``columns.mwe_<part>`` of the merged multiword terms of the tokens kept (rows
    renumbered)."""
    kept = tok[columns.mwe_first]
    values = getattr(columns, f"mwe_{part}")[kept]
    return values if part == "term" else new_row()[values].astype(np.int32)


def merged_terms(columns) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The multiword terms merged (:func:`analysis.text.terms.term_rows`): each one's first
    and last token row, and its term code (into :func:`terms`), in text order."""
    return columns.mwe_first, columns.mwe_last, columns.mwe_term


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """All integers of the ranges ``[starts[k], stops[k])``, in order (as
    :func:`analysis.text.process.ranges`, which this module cannot import)."""
    lengths = np.maximum(stops - starts, 0)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return (np.repeat(starts, lengths) + offsets).astype(np.int64)


def available(columns) -> bool:
    """Whether a corpus's columns came with the index (a corpus read from the cache, or
    processed and cached in this process; not :func:`analysis.text.process.compute`)."""
    return columns.has_index


def has_positions(columns) -> bool:
    """Whether the index has positions (it has, below 2**31 tokens)."""
    return available(columns) and any(
        name in place for name in ("pos_ends", "term_positions")
        for place in (columns.__dict__, columns.__dict__["_lazy"]))


def terms(columns) -> np.ndarray:
    """The index's terms: the tokens' terms, then the multiword terms that are none
    (codes of :func:`analysis.text.terms.term_rows` with ``mwe=True``)."""
    return _terms_of(columns.term_names, columns.mwe_names)


def matrix(columns) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The document-term counts: ``indptr, indices, counts`` of the segments (CSR; columns
    are :func:`terms` in the order of ``columns.dtm_order``)."""
    return columns.dtm_indptr, columns.dtm_indices, columns.dtm_counts


def positions(columns, code: int) -> np.ndarray:
    """The rows of the tokens of one term (a code into ``columns.term_names``), ascending
    (int64)."""
    if "term_positions" in columns.__dict__ or "term_positions" in columns.__dict__["_lazy"]:
        return columns.term_positions(code)  # a subset: its parent's, renumbered
    ends = columns.pos_ends
    start = int(ends[code - 1]) if code else 0
    return columns.positions_of(start, int(ends[code])).astype(np.int64)


def segment_parts(columns) -> np.ndarray:
    """The paragraph row of each segment's first paragraph (a segment lies in one
    document, section and voice, so any grouping's code of it is that paragraph's)."""
    return columns.seg_para


# --------------------------------------------------------------------------- totals
# Sums kept beside the index: a warm word list, keyness test or overview of the whole
# corpus reads a number per term or per document instead of every segment's counts.

#: The arrays :func:`totals` adds to the index.
TOTALS = ("tot.count", "tot.docs", "doc.types")


def totals(processed, out: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The totals kept beside the index (:func:`build`'s arrays ``out``) of a processed
    corpus.

    ``tot.count``: each index column's count in the corpus (the sum of its segment
    counts); ``tot.docs``: the number of documents it occurs in (the ``range`` of a word
    list of the corpus); ``doc.types``: each document's distinct word terms (the ``types``
    of :func:`analysis.overview.summary` by document).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> arrays = totals(p, {"dtm.indptr": p.columns.dtm_indptr,
    ...                     "dtm.indices": p.columns.dtm_indices,
    ...                     "dtm.counts": p.columns.dtm_counts, "dtm.order": p.columns.dtm_order,
    ...                     "mwe.first": p.columns.mwe_first, "mwe.last": p.columns.mwe_last,
    ...                     "mwe.term": p.columns.mwe_term})
    >>> code = int(np.flatnonzero(terms(p.columns)[p.columns.dtm_order] == "cpec")[0])
    >>> int(arrays["tot.count"][code]), int(arrays["tot.docs"][code])
    (31, 2)
    """
    c = processed.columns
    indptr, indices, counts = out["dtm.indptr"], out["dtm.indices"], out["dtm.counts"]
    seg_para = segments(c.para_doc, c.para_section, c.para_voice)
    n_columns = len(out["dtm.order"])
    seg_doc = c.para_doc[seg_para].astype(np.int64)
    count, docs = column_totals(indptr, indices, counts, seg_doc, n_columns)
    merged = (out["mwe.first"], out["mwe.last"], out["mwe.term"])
    types = group_types(c, c.para_doc, c.n_docs, seg_para, (indptr, indices, counts),
                        out["dtm.order"], merged)
    return {"tot.count": count, "tot.docs": docs, "doc.types": types.astype(np.int64)}


def column_totals(indptr: np.ndarray, indices: np.ndarray, counts: np.ndarray,
                  seg_doc: np.ndarray, n_columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Each column's count over all segments, and the number of documents (``seg_doc``:
    each segment's) where it is counted.

    Examples
    --------
    >>> indptr, indices, counts = np.array([0, 2, 3, 4]), np.array([0, 2, 2, 0]), \\
    ...     np.array([1, 4, 2, 5])
    >>> [t.tolist() for t in column_totals(indptr, indices, counts, np.array([0, 0, 1]), 3)]
    [[6, 0, 6], [2, 0, 1]]
    """
    count = np.zeros(n_columns, dtype=np.int64)
    docs = np.zeros(n_columns, dtype=np.int64)
    one_each = len(seg_doc) < 2 or bool(np.all(seg_doc[1:] > seg_doc[:-1]))
    step = max(1, CHUNK_TOKENS)
    for start in range(0, len(indices), step):  # a piece at a time: no float copy of all
        part = indices[start:start + step]
        count += np.bincount(part, weights=counts[start:start + step],
                             minlength=n_columns).astype(np.int64)
        if one_each:  # a document's segment holds each column once
            docs += np.bincount(part, minlength=n_columns)
    if not one_each:  # distinct (document, column) pairs
        owner = np.repeat(seg_doc, np.diff(indptr))
        pairs = np.unique(owner * max(n_columns, 1) + indices)
        docs = np.bincount(pairs % max(n_columns, 1), minlength=n_columns).astype(np.int64)
    return count, docs


def group_types(c, para_codes: np.ndarray, n_groups: int, seg_para: np.ndarray,
                matrix_: tuple, order: np.ndarray, merged: tuple) -> np.ndarray:
    """The distinct word terms of each group (``para_codes``: each paragraph's) from the
    index: a segment's tokens' terms are its counted terms (multiword terms merged) less
    its merged multiword terms plus the words inside them (:func:`merged_terms`).

    Where every group is one segment (the documents of a corpus without sections), a
    segment's columns are distinct already and only the words inside merged terms are
    looked up; otherwise the pairs of :func:`group_term_pairs` are counted.

    Examples
    --------
    The seeds' distinct words by document, then of both as one group (as many as the
    distinct terms of their word tokens):

    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> c = process(load_corpus()).columns
    >>> group_types(c, c.para_doc, c.n_docs, c.seg_para, matrix(c), c.dtm_order,
    ...             merged_terms(c)).tolist()
    [501, 485]
    >>> one = np.zeros(len(c.para_doc), dtype=np.int64)
    >>> group_types(c, one, 1, c.seg_para, matrix(c), c.dtm_order, merged_terms(c)).tolist()
    [838]
    """
    n_terms = max(len(c.term_names), 1)
    indptr, indices, _ = matrix_
    seg_group = para_codes[seg_para].astype(np.int64)
    if len(seg_group) > 1 and not bool(np.all(seg_group[1:] > seg_group[:-1])):
        pairs = group_term_pairs(c, para_codes, seg_para, matrix_, order, merged)
        return np.bincount(pairs // n_terms, minlength=n_groups).astype(np.int64)
    keep, _, extra = _merged_parts(c, para_codes, seg_para, matrix_, order, merged)
    keep &= order[indices] < len(c.term_names)
    kept = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))
    types = np.bincount(seg_group, weights=kept[indptr[1:]] - kept[indptr[:-1]],
                        minlength=n_groups).astype(np.int64)
    if len(extra):  # the words inside merged terms: new where their segment lacks them
        extra = np.unique(extra)
        group, term = np.divmod(extra, n_terms)
        seg = np.searchsorted(seg_group, group)
        column = np.empty(len(order), dtype=np.int64)
        column[order] = np.arange(len(order))
        at = _search(indices, indptr[seg], indptr[seg + 1], column[term])
        found = at < indptr[seg + 1]
        found[found] = (indices[at[found]] == column[term][found]) & keep[at[found]]
        types += np.bincount(group[~found], minlength=n_groups).astype(np.int64)
    return types


def _merged_parts(c, para_codes, seg_para, matrix_, order, merged) -> tuple:
    """For :func:`group_term_pairs`: which entries of the matrix count token terms (a
    merged term that is also a token's term counted once more than its tokens, taken
    back), their counts so adjusted, and the ``group * len(term_names) + term`` of the
    words inside merged terms."""
    n_terms = max(len(c.term_names), 1)
    indptr, indices, counts = matrix_
    seg_group = para_codes[seg_para].astype(np.int64)
    code = order[indices]
    keep = np.ones(len(indices), dtype=bool)
    first, last, term = merged
    if not len(first):
        return keep, counts, np.zeros(0, dtype=np.int64)
    count = counts.astype(np.int64)
    para_segment = np.repeat(np.arange(len(seg_para)),
                             np.diff(np.append(seg_para, len(c.para_doc))))
    plain = term < len(c.term_names)
    seg = para_segment[c.sent_para[c.sentence_of(first[plain])]]
    key = seg * n_terms + term[plain]
    taken, times = np.unique(key, return_counts=True)
    if len(taken):
        entry_key = np.repeat(np.arange(len(seg_group)), np.diff(indptr)) * n_terms + code
        at = np.searchsorted(taken, entry_key)
        hit = (at < len(taken)) & (taken[np.minimum(at, len(taken) - 1)] == entry_key)
        count[hit] -= times[at[hit]]
    keep &= count > 0
    rows = _ranges(first, last.astype(np.int64) + 1)  # the tokens merged
    surface = c.tok_surface[rows]
    word = c.term_is_word[c.surface_term[surface]]
    rows = rows[word]
    para = c.sent_para[c.sentence_of(rows)]
    extra = seg_group[para_segment[para]] * n_terms + c.surface_term[surface[word]]
    return keep, count, extra


def group_term_pairs(c, para_codes: np.ndarray, seg_para: np.ndarray, matrix_: tuple,
                     order: np.ndarray, merged: tuple) -> np.ndarray:
    """The distinct ``group * len(term_names) + term`` of the word tokens (``para_codes``:
    each paragraph's group), from the index, sorted (see :func:`group_types`).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> c = process(load_corpus()).columns
    >>> pairs = group_term_pairs(c, c.para_doc, c.seg_para, matrix(c), c.dtm_order,
    ...                          merged_terms(c))
    >>> np.bincount(pairs // len(c.term_names)).tolist()  # each document's distinct words
    [501, 485]
    """
    n_terms = max(len(c.term_names), 1)
    indptr, indices, _ = matrix_
    seg_group = para_codes[seg_para].astype(np.int64)
    code = order[indices]
    entry_group = np.repeat(seg_group, np.diff(indptr))
    keep, _, extra = _merged_parts(c, para_codes, seg_para, matrix_, order, merged)
    keep &= code < len(c.term_names)
    pairs = np.concatenate([entry_group[keep] * n_terms + code[keep], extra])
    pairs.sort()  # distinct by a sort: numpy 2's hashing np.unique is slow on millions
    return pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs


def _search(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, wanted: np.ndarray
            ) -> np.ndarray:
    """For each ``k``, the first place in ``values[lo[k]:hi[k]]`` (ascending) whose value is
    not below ``wanted[k]`` (``hi[k]`` where none is): a binary search of all at once.

    Examples
    --------
    >>> _search(np.array([1, 4, 9, 2, 3]), np.array([0, 3]), np.array([3, 5]),
    ...         np.array([4, 7])).tolist()
    [1, 5]
    """
    lo, hi = lo.astype(np.int64).copy(), hi.astype(np.int64).copy()
    while True:
        open_ = lo < hi
        if not open_.any():
            return lo
        mid = (lo + hi) // 2
        below = np.zeros(len(lo), dtype=bool)
        below[open_] = values[mid[open_]] < wanted[open_]
        lo = np.where(open_ & below, mid + 1, lo)
        hi = np.where(open_ & ~below, mid, hi)


# --------------------------------------------------------------------------- reading totals


def _whole(columns) -> bool:
    """Whether ``columns`` are a whole corpus's as read from the cache (with its totals),
    not a subset's."""
    return "tot_count" in columns.__dict__


def column_counts(columns) -> tuple[np.ndarray, np.ndarray]:
    """Each index column's count, and the number of documents it occurs in
    (:func:`totals`): kept with the index, or summed from the segment counts (a subset of
    documents, a cache written before the totals were kept), once.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> c = process(load_corpus()).columns
    >>> count, docs = column_counts(c)
    >>> code = int(np.flatnonzero(terms(c)[c.dtm_order] == "cpec")[0])
    >>> int(count[code]), int(docs[code])
    (31, 2)
    """
    if _whole(columns):
        return columns.tot_count, columns.tot_docs
    found = columns.__dict__.get("_column_counts")
    if found is None:
        indptr, indices, counts = matrix(columns)
        found = columns.__dict__["_column_counts"] = column_totals(
            indptr, indices, counts, columns.para_doc[columns.seg_para].astype(np.int64),
            len(columns.dtm_order))
    return found


def doc_types(columns) -> np.ndarray:
    """The distinct word terms of each document (:func:`totals`): kept with the index, or
    counted from the segment counts.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> doc_types(process(load_corpus()).columns).tolist()
    [501, 485]
    """
    if _whole(columns):
        return columns.doc_types
    found = columns.__dict__.get("_doc_types")
    if found is None:
        found = columns.__dict__["_doc_types"] = group_types(
            columns, columns.para_doc, columns.n_docs, columns.seg_para, matrix(columns),
            columns.dtm_order, merged_terms(columns))
    return found


def segment_entries(columns, segments_: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The matrix entries of some segments (ascending): their columns and counts, and each
    entry's segment (its place in ``segments_``), read from the cache file alone while the
    whole matrix is not in memory (runs of neighbouring segments read together).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> c = process(load_corpus()).columns
    >>> columns, counts, owner = segment_entries(c, np.array([0, 2]))
    >>> indptr, indices, _ = matrix(c)
    >>> columns.tolist() == [*indices[indptr[0]:indptr[1]], *indices[indptr[2]:indptr[3]]]
    True
    >>> np.bincount(owner).tolist() == [indptr[1] - indptr[0], indptr[3] - indptr[2]]
    True
    """
    if not len(segments_):
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), \
            np.zeros(0, dtype=np.int64)
    indptr = columns.dtm_indptr
    lo, hi = indptr[segments_], indptr[segments_ + 1]
    sizes = hi - lo
    owner = np.repeat(np.arange(len(segments_)), sizes)
    reader = None if "dtm_indices" in columns.__dict__ else \
        columns.__dict__["_lazy"].get("dtm_entries")
    if reader is None:
        rows = _ranges(lo, hi)
        return columns.dtm_indices[rows], columns.dtm_counts[rows], owner
    reader = reader()
    # runs of segments whose entries lie end to end are read at once
    new = np.ones(len(segments_), dtype=bool)
    new[1:] = lo[1:] != hi[:-1]
    starts = np.flatnonzero(new)
    stops = np.append(starts[1:], len(segments_))
    pieces = [reader(int(lo[a]), int(hi[b - 1])) for a, b in zip(starts.tolist(),
                                                                  stops.tolist(), strict=True)]
    if not pieces:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), owner
    return (np.concatenate([p[0] for p in pieces]), np.concatenate([p[1] for p in pieces]),
            owner)
