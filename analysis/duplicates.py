"""Exact and near-duplicate documents: the same text twice, or nearly the same.

A real export often holds an article twice (syndicated, updated, filed under two sections);
every count then counts it twice. :func:`duplicates` lists the sets of such documents, and
:func:`dropped` names the documents that ``--dedupe`` leaves out (all but the first of each
set, in corpus order).

Exact duplicates have the same cleaned text once runs of white space are one space. Near
duplicates are compared as Broder's *resemblance*: the Jaccard similarity of their sets of
word shingles (runs of ``shingle`` consecutive word terms),

.. math:: r(A, B) = \\frac{|S(A) \\cap S(B)|}{|S(A) \\cup S(B)|},

A. Z. Broder (1997), "On the resemblance and containment of documents", *Compression and
Complexity of Sequences*, 21-29. The similarity is computed exactly (not estimated with
MinHash): the shingles are hashed to 64 bits, and the candidate pairs come from an inverted
index on the hashes restricted to each document's *prefix* (its rarest
``n - ceil(threshold * n) + 1`` shingles), which two documents of resemblance at least
``threshold`` must share (prefix filtering: Chaudhuri, Ganti and Kaushik 2006; Bayardo, Ma
and Srikant 2007, "Scaling up all pairs similarity search"). No pair above the threshold is
missed.

Data flow: the input is the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process` (its word terms and cleaned texts); the table goes to
the command line (``duplicates``) and ``--dedupe`` selects with :func:`analysis.units.select`.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from analysis.text.process import Processed

__all__ = ["COLUMNS", "dropped", "duplicates"]

COLUMNS = ["set", "doc", "kind", "similarity", "words", "kept"]


def _check(threshold: float, shingle: int) -> None:
    if not (isinstance(threshold, (int, float)) and 0 < threshold <= 1):
        raise ValueError(f"threshold {threshold}: must be above 0 and at most 1")
    if isinstance(shingle, bool) or not isinstance(shingle, (int, np.integer)) or shingle < 1:
        raise ValueError(f"shingle {shingle}: must be a whole number of words, at least 1")


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64 of each value (a 64-bit mixing, so that term codes spread over the hash)."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _shingles(processed: Processed, shingle: int, keep: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(doc, shingle id, df)``: each distinct word shingle of each document of ``keep`` (a
    boolean mask of documents), sorted by document then id; ids number the distinct 64-bit
    shingle hashes, ``df`` is the number of documents of each id. A document of fewer than
    ``shingle`` words has none."""
    c = processed.columns
    rows = c.word_rows
    docs = c.doc_of(rows)
    if not keep.all():  # whole documents left out (exact copies): not hashed at all
        inside = keep[docs]
        rows, docs = rows[inside], docs[inside]
    n = len(rows) - shingle + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, np.int64)
    terms = _mix(c.tok_term[rows])
    hashes = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(shingle):  # a polynomial hash, wrapping at 2**64
            hashes = hashes * np.uint64(1_000_003) + terms[j:j + n]
    doc = docs[:n]
    inside = doc == docs[shingle - 1:]  # the shingle lies inside one document
    doc, hashes = doc[inside].astype(np.int64), hashes[inside]
    # By sorting (numpy's hash-based unique is several times slower on 10M values).
    order = np.argsort(hashes)
    ordered = hashes[order]
    new = np.r_[True, ordered[1:] != ordered[:-1]] if len(ordered) else np.zeros(0, bool)
    ids = np.empty(len(hashes), dtype=np.int64)
    ids[order] = np.cumsum(new) - 1
    n_ids = int(new.sum()) or 1
    pairs = np.sort(doc * n_ids + ids)  # (doc, id) sorted, then once each
    if len(pairs):
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    doc, ids = pairs // n_ids, pairs % n_ids
    return doc, ids, np.bincount(ids, minlength=n_ids)


def _candidates(doc: np.ndarray, ids: np.ndarray, df: np.ndarray,
                threshold: float) -> np.ndarray:
    """Pairs ``(a, b)``, ``a < b``, that share a shingle of their prefixes (module
    docstring); every pair of resemblance at least ``threshold`` is among them."""
    if not len(doc):
        return np.zeros((0, 2), dtype=np.int64)
    # One global order of the shingles, the rarest first (ties by id).
    rank = np.empty(len(df), dtype=np.int64)
    rank[np.argsort(df, kind="stable")] = np.arange(len(df))
    ranked = np.sort(doc * len(df) + rank[ids])  # doc, then rank
    doc_sorted, rank_sorted = ranked // len(df), ranked % len(df)
    starts = np.flatnonzero(np.r_[True, doc_sorted[1:] != doc_sorted[:-1]])
    sizes = np.diff(np.r_[starts, len(doc_sorted)])
    position = np.arange(len(doc_sorted)) - np.repeat(starts, sizes)
    prefix = sizes - np.ceil(threshold * sizes - 1e-9).astype(np.int64) + 1
    inside = position < np.repeat(prefix, sizes)
    p_doc, p_rank = doc_sorted[inside], rank_sorted[inside]
    order = np.lexsort((p_doc, p_rank))
    p_doc, p_rank = p_doc[order], p_rank[order]
    bounds = np.flatnonzero(np.r_[True, p_rank[1:] != p_rank[:-1], True])
    lengths = np.diff(bounds)
    # Each pair as one number a * n + b, so that one sort of integers removes the repeats
    # (a unique of rows, axis=0, is many times slower; so is numpy's hash-based unique).
    n = int(doc.max()) + 1
    two = bounds[:-1][lengths == 2]  # most shared prefixes: one pair, without a loop
    pairs = [p_doc[two] * n + p_doc[two + 1]]
    seen = set()  # near duplicates share many prefix shingles: the same members, once
    for lo, hi in zip(bounds[:-1][lengths > 2].tolist(), bounds[1:][lengths > 2].tolist(),
                      strict=True):
        members = p_doc[lo:hi]
        key = members.tobytes()
        if key in seen:
            continue
        seen.add(key)
        a, b = np.triu_indices(len(members), k=1)
        pairs.append(members[a] * n + members[b])
    pairs = np.sort(np.concatenate(pairs))
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs
    return np.column_stack((pairs // n, pairs % n))


def _resemblance(sets: dict[int, np.ndarray], a: int, b: int) -> float:
    """|A ∩ B| / |A ∪ B| of two documents' sorted shingle ids."""
    first, second = sets.get(a), sets.get(b)
    if first is None or second is None:
        return 0.0
    inter = len(np.intersect1d(first, second, assume_unique=True))
    return inter / (len(first) + len(second) - inter)


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def duplicates(processed: Processed, *, threshold: float = 0.9,
               shingle: int = 5) -> pd.DataFrame:
    """Sets of duplicate documents: exact copies and near duplicates.

    Two documents are *exact* duplicates when their cleaned texts are equal once every run
    of white space is one space; they are *near* duplicates when the resemblance of their
    sets of word ``shingle``-shingles (Broder 1997, "On the resemblance and containment of
    documents")

    .. math:: r(A, B) = \\frac{|S(A) \\cap S(B)|}{|S(A) \\cup S(B)|}

    is at least ``threshold``. Shingles are runs of consecutive word terms (lower-cased
    words; punctuation is not a word), hashed to 64 bits; the resemblance is computed
    exactly on the hashes for every candidate pair (see the module docstring: no pair above
    the threshold is missed). A set is a connected group of such pairs. A document of fewer
    than ``shingle`` words has no shingles and can only be an exact duplicate.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`.
    threshold : float, default 0.9
        The least resemblance of near duplicates, in (0, 1]; 1 finds documents of the same
        shingles (e.g. differing only in punctuation or case).
    shingle : int, default 5
        Words per shingle.

    Returns
    -------
    DataFrame
        ``set, doc, kind, similarity, words, kept``: one row per document that has a
        duplicate. ``set`` numbers the sets from 1 in the corpus order of their first
        document; rows of a set come in corpus order. ``kind`` is ``exact`` when the
        document's text is the first document's, else ``near`` (for the first document:
        ``exact`` when every other document of the set is an exact copy, else ``near``).
        ``similarity`` is the resemblance to the set's first document (4 decimals; 1 for
        the first and for exact copies; below ``threshold`` for a document that joins the
        set through another). ``words`` counts word tokens; ``kept`` is True for the first
        document of each set, the one ``--dedupe`` keeps.

    Raises
    ------
    ValueError
        ``threshold`` outside (0, 1] or ``shingle`` below 1.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> duplicates(process(load_corpus())).empty  # the seeds hold no duplicates
    True
    """
    _check(threshold, shingle)
    ids = list(processed.corpus.ids)
    n_docs = len(ids)
    c = processed.columns
    words = np.bincount(c.doc_of(c.word_rows), minlength=n_docs) if n_docs else np.zeros(0)

    # Exact: the same normalised text (compared by a 16-byte digest).
    first_of: dict[bytes, int] = {}
    exact_of = np.arange(n_docs)
    for i, doc_id in enumerate(ids):
        text = " ".join(processed.texts[doc_id].split())
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        exact_of[i] = first_of.setdefault(digest, i)

    # Near: on one representative of each exact group.
    doc, codes, df = _shingles(processed, int(shingle), exact_of == np.arange(n_docs))
    bounds = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1], True]) if len(doc) else []
    sets = {int(doc[lo]): codes[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:],
                                                        strict=True)} if len(doc) else {}
    parent = exact_of.tolist()
    for a, b in _candidates(doc, codes, df, threshold).tolist():
        ra, rb = _find(parent, a), _find(parent, b)
        if ra == rb:  # already in one set: the pair cannot change the sets
            continue
        small, large = sorted((len(sets[a]), len(sets[b])))
        if small < threshold * large - 1e-9:  # |A ∩ B| / |A ∪ B| <= small / large
            continue
        if _resemblance(sets, a, b) >= threshold - 1e-12:
            parent[max(ra, rb)] = min(ra, rb)

    roots = np.array([_find(parent, i) for i in range(n_docs)], dtype=np.int64)
    sizes = np.bincount(roots, minlength=n_docs) if n_docs else np.zeros(0, dtype=np.int64)
    rows = []
    set_number: dict[int, int] = {}
    for i in range(n_docs):
        root = int(roots[i])
        if sizes[root] < 2:
            continue
        number = set_number.setdefault(root, len(set_number) + 1)
        if i == root:
            members = np.flatnonzero(roots == root)
            all_exact = bool((exact_of[members] == exact_of[root]).all())
            rows.append((number, ids[i], "exact" if all_exact else "near", 1.0,
                         int(words[i]), True))
        elif exact_of[i] == exact_of[root]:
            rows.append((number, ids[i], "exact", 1.0, int(words[i]), False))
        else:
            similarity = _resemblance(sets, int(exact_of[root]), int(exact_of[i]))
            rows.append((number, ids[i], "near", round(similarity, 4), int(words[i]), False))
    rows.sort(key=lambda row: row[0])  # stable: each set's rows stay in corpus order
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.astype({"set": np.int64, "similarity": float, "words": np.int64,
                         "kept": bool})


def dropped(processed: Processed, *, threshold: float = 0.9, shingle: int = 5) -> list[str]:
    """The documents ``--dedupe`` leaves out: all but the first of each duplicate set.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> dropped(process(load_corpus()))
    []
    """
    table = duplicates(processed, threshold=threshold, shingle=shingle)
    return table.loc[~table["kept"], "doc"].tolist()
