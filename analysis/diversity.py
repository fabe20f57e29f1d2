"""Lexical diversity of each document or group: TTR, MATTR and MTLD.

The type/token ratio (``types / words``) falls as a text grows, so it compares only texts of
one length. The two measures here do not depend on length (McCarthy & Jarvis 2010 found MTLD
the least sensitive to it):

MATTR, the moving-average type/token ratio (Covington & McFall 2010)
    The mean TTR of every window of ``window`` consecutive words (words 1 to W, 2 to W+1,
    ..., the last W). A unit shorter than the window has no MATTR (empty), rather than the
    TTR of a shorter window, which would not be comparable with the others (quanteda's
    ``textstat_lexdiv`` instead shrinks the window of every document to the shortest one,
    and the ``lexicalrichness`` package refuses). Covington & McFall's program uses 500
    words by default; choose a smaller window for short texts.
MTLD, the measure of textual lexical diversity (McCarthy & Jarvis 2010)
    Reading the words in order, the running TTR of the current stretch is computed after each
    word; when it falls to the threshold (0.72, at or below, as the ``lexicalrichness``
    package does) a *factor* is complete and a new stretch begins. The stretch left at the
    end is a partial factor, ``(1 - TTR) / (1 - threshold)``. MTLD is the number of words
    divided by the number of factors, computed forwards and backwards and averaged. A text
    whose words never repeat has no factor: its MTLD is its number of words.

Words are the word tokens of :attr:`analysis.text.process.Processed.tokens`, lower-cased, with the
multiword expressions not merged, so ``words``, ``types`` and ``ttr`` are those of
:func:`analysis.overview.summary`. A group of several documents (or sections) is read as their
words one after the other, in corpus order, as quanteda groups tokens. The groups come from
:mod:`analysis.units`; the ``diversity`` command of :mod:`analysis.cli` prints the table.

References
----------
Covington, M. A. & McFall, J. D. (2010). Cutting the Gordian knot: The moving-average
type-token ratio (MATTR). *Journal of Quantitative Linguistics* 17(2), 94-100.
McCarthy, P. M. & Jarvis, S. (2010). MTLD, vocd-D, and HD-D: A validation study of
sophisticated approaches to lexical diversity assessment. *Behavior Research Methods* 42(2),
381-392.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import units
from analysis.params import Interval, constrained, shared_docs
from analysis.text.process import Processed

__all__ = ["COLUMNS", "MATTR_WINDOW", "MAX_WINDOW", "MTLD_THRESHOLD", "THRESHOLD", "WINDOW",
           "lexical_diversity", "mattr", "mtld", "mtld_factors"]

#: Covington & McFall's default window (words).
MATTR_WINDOW = 500
#: McCarthy & Jarvis's factor threshold.
MTLD_THRESHOLD = 0.72
#: Widest MATTR window (words).
MAX_WINDOW = 100_000
#: The declared values of the window and the threshold (:mod:`analysis.params`).
WINDOW = Interval(1, MAX_WINDOW)
THRESHOLD = Interval(0, 1, real=True, open=True)
#: Columns after the group columns.
COLUMNS = ["words", "types", "ttr", "mattr", "mtld"]


def _codes(tokens) -> np.ndarray:
    return pd.factorize(np.asarray(tokens, dtype=object))[0].astype(np.int64) \
        if len(tokens) else np.zeros(0, dtype=np.int64)


def _previous(codes: np.ndarray) -> np.ndarray:
    """The place of each code's previous occurrence (-1 for its first)."""
    order = np.argsort(codes, kind="stable")
    same = np.r_[False, codes[order][1:] == codes[order][:-1]]
    prev = np.full(len(codes), -1, dtype=np.int64)
    prev[order[same]] = order[np.flatnonzero(same) - 1]
    return prev


def _mattr(codes: np.ndarray, window: int, prev: np.ndarray | None = None) -> float:
    # The word at i is a new type in the windows that hold it and not its previous
    # occurrence: starts s with max(prev + 1, i - W + 1) <= s <= min(i, n - W). Summing
    # those counts gives every window's types at once, O(n) for any window.
    n = len(codes)
    if n < window:
        return float("nan")
    if prev is None:
        prev = _previous(codes)
    at = np.arange(n)
    low = np.maximum(prev + 1, at - window + 1)
    high = np.minimum(at, n - window)
    return float(np.clip(high - low + 1, 0, None).sum() / (window * (n - window + 1)))


@constrained(window=WINDOW)
def mattr(tokens, window: int = MATTR_WINDOW) -> float:
    """Moving-average type/token ratio of a sequence of words (Covington & McFall 2010).

    ``MATTR = mean over s = 1..n-W+1 of types(words s..s+W-1) / W``; NaN when ``n < W``.

    Examples
    --------
    The ``lexicalrichness`` package's test (``tests/test_lexicalrichness.py``,
    ``test_mattr``) expects 0.9 for a window of 5 over these ten words (its own tokenizer
    drops the number and the hyphen): six windows, three with 4 types and three with 5,
    ``(3 * 0.8 + 3 * 1.0) / 6``.

    >>> words = "test text with some text numbers hyphenhere and text punctuations".split()
    >>> round(mattr(words, 5), 10)
    0.9
    """
    return _mattr(_codes(tokens), int(window))


def _factors(codes, threshold: float) -> float:
    # A loop over the words: each factor's end depends on where the previous one ended.
    factors = 0.0
    seen: set[int] = set()
    count = 0
    ttr = 1.0
    for code in codes:
        count += 1
        seen.add(code)
        ttr = len(seen) / count
        if ttr <= threshold:
            factors += 1
            seen = set()
            count = 0
    if count:
        factors += (1 - ttr) / (1 - threshold)
    return factors


@constrained(threshold=THRESHOLD)
def mtld_factors(tokens, threshold: float = MTLD_THRESHOLD) -> float:
    """The factor count of MTLD read forwards, the partial factor included.

    Examples
    --------
    *of the people by the people for the people*: the TTR falls to 4/6 = 0.667 at the
    second *people*, one factor; *for the people* is left with TTR 1, a partial factor of 0.

    >>> mtld_factors("of the people by the people for the people".split())
    1.0
    """
    return _factors(_codes(tokens).tolist(), threshold)


def _mtld(codes: np.ndarray, threshold: float) -> float:
    n = len(codes)
    if n == 0:
        return float("nan")
    values = []
    for direction in (codes, codes[::-1]):
        factors = _factors(direction.tolist(), threshold)
        values.append(n / factors if factors > 0 else float(n))
    return float(np.mean(values))


def _lockstep_factors(prev: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                      threshold: float) -> np.ndarray:
    """:func:`_factors` of many sequences at once, a word of each per step.

    Sequence ``j`` is ``prev[starts[j]:starts[j] + lengths[j]]``, each word's previous
    occurrence in its sequence (its place in ``prev``, -1 for none): a word is a new type of
    the current factor when that occurrence lies before the factor's start. The same arithmetic
    as :func:`_factors` (the running TTR as ``types / count``, a factor added as 1.0, the
    partial factor last), so the factors are the same floats.
    """
    k = len(starts)
    order = np.argsort(-lengths, kind="stable")  # the longest first: the active ones lead
    first, size = starts[order].astype(np.int64), lengths[order].astype(np.int64)
    factors = np.zeros(k)
    begin = np.zeros(k, dtype=np.int64)  # each factor's first word
    types = np.zeros(k, dtype=np.int64)
    count = np.zeros(k, dtype=np.int64)
    ttr = np.ones(k)
    active = k
    for step in range(int(size.max(initial=0))):
        while active and size[active - 1] <= step:
            active -= 1
        a = slice(0, active)
        count[a] += 1
        types[a] += prev[first[a] + step] < first[a] + begin[a]
        ttr[a] = types[a] / count[a]
        done = np.flatnonzero(ttr[a] <= threshold)
        factors[done] += 1
        begin[done], types[done], count[done] = step + 1, 0, 0
    left = count > 0
    factors[left] += (1 - ttr[left]) / (1 - threshold)
    out = np.empty(k)
    out[order] = factors
    return out


@constrained(threshold=THRESHOLD)
def mtld(tokens, threshold: float = MTLD_THRESHOLD) -> float:
    """Measure of textual lexical diversity (McCarthy & Jarvis 2010), forwards and backwards.

    ``MTLD = mean(n / factors_forwards, n / factors_backwards)`` (module docstring); NaN
    for no words.

    Examples
    --------
    The ``lexicalrichness`` package's test (``test_mtld``) expects 14.0 for the ten words of
    :func:`mattr`'s example: the TTR never falls to 0.72 (it ends at 8/10 either way), so
    each direction has one partial factor of ``(1 - 0.8) / (1 - 0.72)`` and
    ``MTLD = 10 / 0.714...``.

    >>> words = "test text with some text numbers hyphenhere and text punctuations".split()
    >>> round(mtld(words), 10)
    14.0
    """
    return _mtld(_codes(tokens), threshold)


#: Longest group whose MTLD factors are counted word by word in Python; the shorter groups
#: are counted together, a word of each per step (:func:`_lockstep_factors`).
LOCKSTEP_WORDS = 50_000


def _group_factors(prev: np.ndarray, after: np.ndarray, bounds: np.ndarray,
                   threshold: float) -> np.ndarray:
    """The MTLD factors of each group's words (``bounds``), forwards and backwards: one row
    per group. ``prev`` and ``after`` are each word's previous and next occurrence in its
    group (-1 for none)."""
    k = len(bounds) - 1
    lengths = np.diff(bounds)
    out = np.zeros((k, 2))
    n = len(prev)
    # Backwards, the words are read from the end: a word's previous occurrence is its next.
    backwards = np.where(after >= 0, n - 1 - after, -1)[::-1]
    short = np.flatnonzero((lengths > 0) & (lengths <= LOCKSTEP_WORDS))
    if len(short):
        # Places within each group's own reading: forwards from its first word, backwards
        # from its last.
        out[short, 0] = _lockstep_factors(prev, bounds[short], lengths[short], threshold)
        out[short, 1] = _lockstep_factors(backwards, n - bounds[short + 1], lengths[short],
                                          threshold)
    for g in np.flatnonzero(lengths > LOCKSTEP_WORDS).tolist():
        lo, hi = int(bounds[g]), int(bounds[g + 1])
        for j, (seq, start) in enumerate(((prev, lo), (backwards, n - hi))):
            out[g, j] = _prev_factors(seq[start:start + hi - lo] - start, threshold)
    return out


def _prev_factors(prev: np.ndarray, threshold: float) -> float:
    """:func:`_factors` of a sequence given as each word's previous occurrence (its place,
    -1 or less for none)."""
    factors = 0.0
    begin = count = types = 0
    ttr = 1.0
    for i, p in enumerate(prev.tolist()):
        count += 1
        if p < begin:
            types += 1
        ttr = types / count
        if ttr <= threshold:
            factors += 1
            begin, count, types = i + 1, 0, 0
    if count:
        factors += (1 - ttr) / (1 - threshold)
    return factors


@constrained(window=WINDOW, threshold=THRESHOLD)
@shared_docs
def lexical_diversity(
    processed: Processed,
    *,
    by: str = "doc",
    where=None,
    window: int = MATTR_WINDOW,
    threshold: float = MTLD_THRESHOLD,
) -> pd.DataFrame:
    """TTR, MATTR and MTLD of each document or group (module docstring).

    Parameters
    ----------
    {processed}
    {by}
    {where}
    window : int, default 500
        MATTR's window in words.
    threshold : float, default 0.72
        MTLD's factor threshold.

    Returns
    -------
    DataFrame
        Group columns, then ``words``, ``types``, ``ttr`` and ``mattr`` (4 decimals),
        ``mtld`` (2 decimals). ``mattr`` is empty for a group of fewer words than the window,
        ``ttr`` and ``mtld`` for a group without words. Groups in their order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = lexical_diversity(process(load_corpus()), by="voice")
    >>> table[["voice", "words", "types", "mattr"]].values.tolist()[0]
    ['newspaper', 290, 156, nan]
    """
    processed = units.prepare(processed, by, where)
    rows, group, groups = units.word_codes(processed, by)
    codes = processed.columns.tok_term[rows]
    order = np.argsort(group, kind="stable")  # each group's words in corpus order
    del rows
    sorted_group = group[order]
    del group
    bounds = np.searchsorted(sorted_group, np.arange(len(groups) + 1))
    words = codes[order]
    del order
    # Each word's previous and next occurrence in its group (places in ``words``, 32 bits
    # where they fit), from one sort by group and term.
    places = np.int32 if len(words) < 1 << 31 else np.int64
    key = sorted_group * (int(codes.max(initial=0)) + 1) + words
    del sorted_group, codes
    by_term = np.argsort(key, kind="stable").astype(places)
    key = key[by_term]
    same = np.flatnonzero(key[1:] == key[:-1]) + 1
    del key
    prev = np.full(len(words), -1, dtype=places)
    after = np.full(len(words), -1, dtype=places)
    prev[by_term[same]] = by_term[same - 1]
    after[by_term[same - 1]] = by_term[same]
    del by_term, same
    factors = _group_factors(prev, after, bounds, threshold)
    rows = []
    for g in range(len(groups)):
        lo, hi = int(bounds[g]), int(bounds[g + 1])
        n = hi - lo
        local = prev[lo:hi] - lo
        local[local < -1] = -1
        types = int((local < 0).sum())
        mtld_ = float("nan") if n == 0 else float(np.mean(
            [n / f if f > 0 else float(n) for f in factors[g]]))
        rows.append((n, types, types / n if n else np.nan,
                     _mattr(words[lo:hi], int(window), local), mtld_))
    table = units.group_table(groups)
    values = pd.DataFrame(rows, columns=COLUMNS)
    table["words"] = values["words"].astype(np.int64).to_numpy()
    table["types"] = values["types"].astype(np.int64).to_numpy()
    table["ttr"] = values["ttr"].round(4).to_numpy()
    table["mattr"] = values["mattr"].round(4).to_numpy()
    table["mtld"] = values["mtld"].round(2).to_numpy()
    return table
