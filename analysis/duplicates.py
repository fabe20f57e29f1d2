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

Memory: the documents are hashed a slice of about :data:`CHUNK_TOKENS` tokens at a time, read
from the token columns (no per-token array of the whole corpus is made), and only each
document's distinct 64-bit shingle hashes are kept, sorted, end to end in one array (8 bytes
a shingle). The number of documents holding a shingle is counted once for the shingles found
in more than one document, which are the only ones that can pair documents; the prefixes are
taken a slice at a time, and the pairs of each group of documents sharing a prefix shingle
are compared as the groups come (a pair already in one set is skipped: the sets, the
connected groups of the pairs at or above the threshold, do not depend on the order).

Data flow: the input is the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process` (its word terms and cleaned texts); the table goes to
the command line (``duplicates``) and ``--dedupe`` selects with :func:`analysis.units.select`.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from analysis import units
from analysis.params import Interval, constrained, shared_docs
from analysis.text.process import Processed, ranges

__all__ = ["COLUMNS", "MAX_SHINGLE", "dropped", "duplicates"]

COLUMNS = ["set", "doc", "kind", "similarity", "words", "kept"]
# Documents are hashed a slice at a time: about this many tokens (whole documents), so that
# the temporaries of the hashing stay a few tens of megabytes at any corpus size.
CHUNK_TOKENS = 1 << 20
#: Most words of a shingle.
MAX_SHINGLE = 50


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64 of each value (a 64-bit mixing, so that term codes spread over the hash)."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _slices(sizes: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """Runs ``(first, stop)`` of consecutive items whose ``sizes`` add up to at most
    ``limit`` (an item larger than ``limit`` alone)."""
    ends = np.cumsum(sizes, dtype=np.int64)
    runs, first = [], 0
    while first < len(sizes):
        before = int(ends[first - 1]) if first else 0
        stop = max(int(np.searchsorted(ends, before + limit, side="right")), first + 1)
        runs.append((first, stop))
        first = stop
    return runs


class _Shingles:
    """The distinct word-shingle hashes of each document (sorted, 64-bit), end to end in one
    array: document ``d``'s are ``hashes[starts[d]:starts[d + 1]]``; ``words`` counts each
    document's word tokens."""

    def __init__(self, processed: Processed, shingle: int, keep: np.ndarray):
        c = processed.columns
        n_docs = c.n_docs
        tokens = c.doc_tokens
        first = np.cumsum(tokens) - tokens
        word_surface = c.term_is_word[c.surface_term]
        chunks = _slices(tokens, CHUNK_TOKENS)
        # First pass: the word tokens of each document (no per-token array of the corpus).
        words = np.zeros(n_docs, dtype=np.int64)
        for lo, hi in chunks:
            at = int(first[lo])
            is_word = word_surface[c.tok_surface[at:at + int(tokens[lo:hi].sum())]]
            counted = np.concatenate(([0], np.cumsum(is_word, dtype=np.int64)))
            ends = first[lo:hi] + tokens[lo:hi] - at
            words[lo:hi] = counted[ends] - counted[ends - tokens[lo:hi]]
        self.words = words
        # Second pass: hash the shingles of the documents of ``keep``, sort each document's
        # and keep them once, into one array sized for all (filled from the start).
        windows = np.where(keep, np.maximum(words - shingle + 1, 0), 0)
        hashes = np.empty(int(windows.sum()), dtype=np.uint64)
        sizes = np.zeros(n_docs, dtype=np.int64)
        filled = 0
        for lo, hi in chunks:
            if not windows[lo:hi].any():
                continue
            at = int(first[lo])
            surface = c.tok_surface[at:at + int(tokens[lo:hi].sum())]
            local_words = words[lo:hi]
            terms = c.surface_term[surface[word_surface[surface]]]
            inside = np.repeat(windows[lo:hi] > 0, local_words)
            terms, counts = terms[inside], local_words[windows[lo:hi] > 0]
            docs = np.flatnonzero(windows[lo:hi]) + lo
            chunk = self._hash(_mix(terms), counts, shingle)
            bounds = np.concatenate(([0], np.cumsum(counts - shingle + 1)))
            for start, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
                chunk[start:stop].sort()  # each document's in place
            once = np.ones(len(chunk), dtype=bool)  # each hash once in its document
            once[1:] = chunk[1:] != chunk[:-1]
            once[bounds[:-1]] = True
            sizes[docs] = np.add.reduceat(once, bounds[:-1], dtype=np.int64)
            chunk = chunk[once]
            hashes[filled:filled + len(chunk)] = chunk
            filled += len(chunk)
        self.hashes = hashes[:filled]  # less the repeats inside documents (a few)
        self.sizes = sizes
        self.starts = np.concatenate(([0], np.cumsum(sizes)))

    @staticmethod
    def _hash(terms: np.ndarray, counts: np.ndarray, shingle: int) -> np.ndarray:
        """The shingle hashes of documents end to end (``counts`` words each, every count at
        least ``shingle``): a polynomial hash of the mixed terms, wrapping at 2**64, each
        window that lies inside one document."""
        n = len(terms) - shingle + 1
        values = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(shingle):
                values *= np.uint64(1_000_003)
                values += terms[j:j + n]
        inside = np.ones(n, dtype=bool)
        ends = np.cumsum(counts)
        for k in range(1, shingle):  # the last shingle - 1 windows of each run a document on
            inside[ends[ends - k < n] - k] = False
        return values[inside]

    def of(self, doc: int) -> np.ndarray:
        return self.hashes[self.starts[doc]:self.starts[doc + 1]]


def _shared(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hashes found in more than one document (sorted) and in how many documents: each
    document holds a hash once, so that is how often it occurs. A shingle of one document
    (most of them, in a corpus of few duplicates) pairs no documents."""
    ordered = np.sort(hashes)
    same = np.zeros(len(ordered) + 1, dtype=np.int8)  # same[i + 1]: ordered[i] == ordered[i + 1]
    if len(ordered) > 1:
        same[1:-1] = ordered[1:] == ordered[:-1]
    edges = np.flatnonzero(np.diff(same))
    del same
    starts, stops = edges[::2], edges[1::2]  # runs of equal neighbours
    return ordered[starts], (stops - starts + 1).astype(np.int64)


def _prefixes(shingles: _Shingles, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """``(hash, doc)`` of each shingle in its document's *prefix* (module docstring) that
    another document holds too.

    One global order of the shingles, the rarest first (fewest documents; ties by hash): a
    document's prefix is its first ``n - ceil(threshold * n) + 1`` shingles in that order.
    """
    values, counts = _shared(shingles.hashes)
    n_docs = len(shingles.sizes)
    bits = int(np.clip(np.ceil(np.log2(len(values) + 1)) + 4, 16, 24))
    mask = np.uint64((1 << bits) - 1)
    table = np.zeros(1 << bits, dtype=bool)  # 64 KB to 16 MB
    table[values & mask] = True
    found_hash, found_doc = [], []
    for lo, hi in _slices(shingles.sizes, CHUNK_TOKENS):
        sizes = shingles.sizes[lo:hi]
        hashes = shingles.hashes[shingles.starts[lo]:shingles.starts[hi]]
        if not len(hashes):
            continue
        df = np.ones(len(hashes), dtype=np.int64)  # documents holding each shingle
        if len(values):
            # Looked up only where a bit table of the shared hashes' low bits says it may
            # be one of them (most shingles of most corpora are in one document).
            maybe = np.flatnonzero(table[hashes & mask])
            place = np.minimum(np.searchsorted(values, hashes[maybe]), len(values) - 1)
            hit = values[place] == hashes[maybe]
            df[maybe[hit]] = counts[place[hit]]
            del maybe, place, hit
        local = np.repeat(np.arange(hi - lo, dtype=np.int64), sizes)
        # Each document's hashes are sorted: a stable sort by (document, df) orders them
        # by (document, df, hash).
        order = np.argsort(local * (n_docs + 1) + df, kind="stable")
        del local
        prefix = sizes - np.ceil(threshold * sizes - 1e-9).astype(np.int64) + 1
        prefix[sizes == 0] = 0
        starts = np.cumsum(sizes) - sizes
        places, owner = ranges(starts, starts + prefix)
        chosen = order[places]
        shared = df[chosen] >= 2
        found_hash.append(hashes[chosen[shared]])
        found_doc.append(owner[shared] + lo)
    if not found_hash:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found_hash), np.concatenate(found_doc)


def _groups(shingles: _Shingles, threshold: float):
    """The documents that share each shingle of their prefixes (module docstring), in
    increasing order, each distinct group once; every pair of resemblance at least
    ``threshold`` is in one of them."""
    p_hash, p_doc = _prefixes(shingles, threshold)
    order = np.lexsort((p_doc, p_hash))  # by shingle, then document
    p_hash, p_doc = p_hash[order], p_doc[order]
    bounds = np.flatnonzero(np.r_[True, p_hash[1:] != p_hash[:-1], True]) \
        if len(p_doc) else np.zeros(1, dtype=np.int64)
    lengths = np.diff(bounds)
    seen = set()  # near duplicates share many prefix shingles: the same members, once
    for lo, hi in zip(bounds[:-1][lengths > 1].tolist(), bounds[1:][lengths > 1].tolist(),
                      strict=True):
        members = p_doc[lo:hi]
        key = members.tobytes()
        if key not in seen:
            seen.add(key)
            yield members.tolist()


def _resemblance(shingles: _Shingles, a: int, b: int) -> float:
    """|A ∩ B| / |A ∪ B| of two documents' sorted shingle hashes (0 when one has none)."""
    first, second = shingles.of(a), shingles.of(b)
    if not len(first) or not len(second):
        return 0.0
    inter = len(np.intersect1d(first, second, assume_unique=True))
    return inter / (len(first) + len(second) - inter)


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@constrained(threshold=Interval(0, 1, real=True, open="low"),
             shingle=Interval(1, MAX_SHINGLE))
@shared_docs
def duplicates(processed: Processed, *, where=None, threshold: float = 0.9,
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
    {processed}
    {where}
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
    processed = units.select(processed, where)
    ids = list(processed.corpus.ids)
    n_docs = len(ids)

    # Exact: the same normalised text (compared by a 16-byte digest).
    first_of: dict[bytes, int] = {}
    exact_of = np.arange(n_docs)
    for i, doc_id in enumerate(ids):
        text = " ".join(processed.texts[doc_id].split())
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        exact_of[i] = first_of.setdefault(digest, i)

    # Near: on one representative of each exact group.
    shingles = _Shingles(processed, int(shingle), exact_of == np.arange(n_docs))
    words, sizes = shingles.words, shingles.sizes
    parent = exact_of.tolist()
    failed: set[tuple[int, int]] = set()
    # The sets are the connected groups of the pairs at or above the threshold, whatever
    # the order the pairs are met in: a pair already in one set is not compared.
    for members in _groups(shingles, threshold):
        if len({_find(parent, x) for x in members}) == 1:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                ra, rb = _find(parent, a), _find(parent, b)
                if ra == rb or (a, b) in failed:
                    continue
                small, large = sorted((int(sizes[a]), int(sizes[b])))
                # |A ∩ B| / |A ∪ B| <= small / large: the bound first, then the resemblance.
                if small < threshold * large - 1e-9 \
                        or _resemblance(shingles, a, b) < threshold - 1e-12:
                    failed.add((a, b))
                    continue
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
            similarity = _resemblance(shingles, int(exact_of[root]), int(exact_of[i]))
            rows.append((number, ids[i], "near", round(similarity, 4), int(words[i]), False))
    rows.sort(key=lambda row: row[0])  # stable: each set's rows stay in corpus order
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.astype({"set": np.int64, "similarity": float, "words": np.int64,
                         "kept": bool})


@constrained(threshold=Interval(0, 1, real=True, open="low"),
             shingle=Interval(1, MAX_SHINGLE))
def dropped(processed: Processed, *, where=None, threshold: float = 0.9,
            shingle: int = 5) -> list[str]:
    """The documents ``--dedupe`` leaves out: all but the first of each duplicate set.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> dropped(process(load_corpus()))
    []
    """
    processed = units.select(processed, where)
    table = duplicates(processed, threshold=threshold, shingle=shingle)
    return table.loc[~table["kept"], "doc"].tolist()
