"""Collocations as quanteda finds them: sequences of two or three words scored by lambda and z.

:func:`sequences` lists the word sequences of a corpus that occur more often together than
their words do apart, the candidates an analyst reviews for the multiword-expression lexicon
(``analysis/lexicons/mwe.csv``). It reproduces quanteda's ``textstat_collocations`` (method
``lambda``; Benoit, Kuha, Wang & Watanabe, package ``quanteda.textstats``), which follows
Blaheta & Johnson (2001). It reads the token table of :func:`analysis.text.process.process`
and groups with :mod:`analysis.units`; the ``sequences`` command of :mod:`analysis.cli` prints
its table.

Counting (what counts as one sequence)
    A sequence is ``size`` consecutive tokens of one sentence, each a word token (a possessive
    ``'s`` or ``&`` is not a word), with nothing but white space between them: a comma, a
    dash, a quotation mark or any other punctuation between two words ends a sequence, as the
    punctuation tokens quanteda keeps and then ignores do. Sequences never cross a sentence
    or a document. Terms are the lower-cased tokens of
    :attr:`analysis.text.process.Processed.tokens` with the curated multiword expressions *not*
    merged, so that known expressions show up
    among the candidates (the ``mwe`` column names them). Two differences from quanteda's own
    tokens: a possessive is split off (``China's economy`` gives no sequence across ``'s``,
    where quanteda scores ``china's economy``), and symbols such as ``$`` and ``%`` are not
    tokens here, so they end a sequence rather than join one.

Scoring (Blaheta & Johnson 2001; quanteda's ``?textstat_collocations``)
    For a candidate ``x = (x_1, ..., x_K)`` every sequence ``w`` of the same length in the
    group is classified by which of its positions agree with ``x``: one cell ``c`` per subset
    of the ``K`` positions, ``n_c`` the number of sequences whose agreeing positions are
    exactly ``c``, plus the smoothing constant (0.5)::

        lambda = sum_c (-1)^(K - |c|) * log(n_c)          the K-way interaction of the
                                                          saturated log-linear model
        sigma  = sqrt(sum_c 1 / n_c)                      its asymptotic standard error
        z      = lambda / sigma                           Wald statistic

    For two words this is the log odds ratio of the 2x2 table ``[[n_11, n_10], [n_01,
    n_00]]`` and its Wald z. For three words it is the three-way interaction: how much more
    the three go together than their pairs predict, so a phrase made of two strong pairs
    (``joint consultation`` + ``consultation mechanism``) can score low or below 0; the
    bigrams are the list to read first. The cells come from marginal counts by inclusion-exclusion
    (``n_c = sum over supersets d of c of (-1)^(|d| - |c|) * f_d``, ``f_d`` the number of
    sequences that agree with ``x`` at least at ``d``), so every candidate costs a few array
    operations rather than a pass over the sequences.

Every sequence counts in the tables, whatever its count; ``min_count`` and the stop-word
rule only choose the rows shown (as quanteda's ``min_count`` does), so the statistics of a
row never depend on them.

References
----------
Blaheta, D. & Johnson, M. (2001). Unsupervised learning of multi-word verbs. *Proceedings of
the ACL/EACL 2001 Workshop on the Computational Extraction, Analysis and Exploitation of
Collocations*, 54-60.
Benoit, K., Watanabe, K., Wang, H., Nulty, P., Obeng, A., Müller, S. & Matsuo, A. (2018).
quanteda: An R package for the quantitative analysis of textual data. *Journal of Open Source
Software* 3(30), 774.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from analysis import units
from analysis.dictionaries.lookup import joined_by_space
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.process import Processed
from analysis.text.terms import multiword_expressions

__all__ = ["COLUMNS", "SIZES", "sequences"]

#: Columns after the group columns.
COLUMNS = ["collocation", "count", "length", "lambda", "sigma", "z", "mwe"]
#: Sequence lengths :func:`sequences` scores (quanteda warns above 5).
SIZES = (2, 3, 4, 5)


#: Longest gap between two words read from the texts' bytes, all pairs at once.
MAX_ASCII_GAP = 4
#: ASCII characters that are white space (``str.isspace``).
_ASCII_SPACE = np.array([chr(b).isspace() for b in range(128)], dtype=bool)


def _links(processed: Processed) -> np.ndarray:
    """``link[i]``: tokens ``i`` and ``i + 1`` may stand side by side in a sequence (both
    words, one sentence of one document, only white space between them), from the corpus's
    arrays (no table of the tokens).

    The gaps (almost all one or two ASCII characters) are read from the texts' bytes, the
    k-th character of every gap at once; a gap with a character past ASCII, or longer than
    :data:`MAX_ASCII_GAP`, as :func:`analysis.dictionaries.lookup.joined_by_space` reads
    it."""
    c = processed.columns
    n = len(c.tok_surface)
    if n < 2:
        return np.zeros(max(n - 1, 0), dtype=bool)
    word = c.tok_is_word
    sentence = c.tok_sentence  # a sentence row is in one document
    link = word[:-1] & word[1:] & (sentence[:-1] == sentence[1:])
    pairs = np.flatnonzero(link)
    gap = c.tok_gap[pairs + 1]
    texts = processed.texts
    data = texts.data
    doc, start = c.doc_of(pairs), c.tok_end[pairs]  # the gap's first character
    space = np.ones(len(pairs), dtype=bool)  # every character read so far is white space
    other = np.zeros(len(pairs), dtype=bool)  # a character past ASCII read
    for k in range(MAX_ASCII_GAP):
        at = np.flatnonzero((gap > k) & space & ~other)
        if not len(at):
            break
        byte = data[texts.byte_offsets(doc[at], start[at] + k)]
        wide = byte >= 0x80
        other[at[wide]] = True
        space[at[~wide]] = _ASCII_SPACE[byte[~wide]]
    link[pairs] = space
    rest = np.flatnonzero(space & (other | (gap > MAX_ASCII_GAP)))
    link[pairs[rest]] = joined_by_space(processed, pairs[rest], np.full(len(rest), 2))
    return link


def _keys(group: np.ndarray, n_groups: int, columns: list[np.ndarray], width: int
          ) -> tuple[np.ndarray, int]:
    """One code per distinct row of ``group`` (codes below ``n_groups``) and ``columns``
    (codes below ``width``), and a bound of the codes: their mixed-radix number where it fits
    in 62 bits, else the columns joined one at a time and renumbered where needed."""
    key, size = group.astype(np.int64), max(n_groups, 1)
    for column in columns:
        if size * width >= 1 << 62:
            key, size = pd.factorize(key)[0].astype(np.int64), len(key) + 1
        key = key * width + column
        size *= width
    return key, size


def _counts(key: np.ndarray, size: int, first: bool = False):
    """How often each row's key (below ``size``) occurs; with ``first``, also whether the row
    is its key's first. Keys are counted directly where they are few, else numbered first."""
    if not first and size <= 4 * len(key) + 1024:  # a count per possible key
        return np.bincount(key, minlength=size)[key], None
    codes, uniques = pd.factorize(key)  # numbered in order of first appearance
    counts = np.bincount(codes, minlength=len(uniques))[codes]
    if not first:
        return counts, None
    seen = np.maximum.accumulate(codes) if len(codes) else codes
    return counts, np.r_[True, seen[1:] > seen[:-1]] if len(codes) else np.zeros(0, bool)


@constrained(size=OneOf(*SIZES), min_count=Interval(1, MAX_ROWS),
             smoothing=Interval(0, real=True), top=[Interval(1, MAX_ROWS), None])
@shared_docs
def sequences(
    processed: Processed,
    size: int = 2,
    *,
    by: str = "doc",
    where=None,
    min_count: int = 2,
    smoothing: float = 0.5,
    stopwords: bool = False,
    top: int | None = None,
) -> pd.DataFrame:
    """Score the word sequences of each group as candidate multiword expressions.

    quanteda's ``textstat_collocations(x, method = "lambda", size, min_count, smoothing)``
    on the project's tokens (module docstring: what counts as a sequence, the formulas).

    Parameters
    ----------
    {processed}
    size : int, default 2
        Words per sequence, 2 to 5.
    by : str, default "doc"
        ``corpus``, ``doc``, ``section``, ``voice`` or a document variable
        (:mod:`analysis.units`). Each group is scored on its own sequences, as a corpus of its
        own (quanteda scores the whole tokens object; ``by="corpus"`` is that).
    {where}
    min_count : int, default 2
        Show sequences seen at least this often in their group (quanteda's default).
    smoothing : float, default 0.5
        Added to every cell of the table (quanteda's default).
    stopwords : bool, default False
        Show sequences that start or end with a stop word (``of the``, ``we have``). By
        default they are left out of the rows, as in the project's n-gram word lists; a stop
        word inside is kept (``belt and road``). They count in the tables either way.
    top : int, optional
        The first ``top`` rows of each group.

    Returns
    -------
    DataFrame
        Group columns (:func:`analysis.units.group_columns`), then ``collocation`` (the words
        joined by a space), ``count`` (occurrences in the group), ``length`` (``size``),
        ``lambda``, ``sigma`` and ``z`` (4 decimals), and ``mwe``: the term of
        ``analysis/lexicons/mwe.csv`` the sequence is a variant of, empty for a new candidate.
        Groups in their order; within a group ``z`` descending, ties by collocation. A
        sequence whose ``z`` is undefined (``smoothing=0`` and an empty cell) comes last.

    Raises
    ------
    ValueError
        ``size`` not 2 to 5, ``min_count`` below 1 or a negative ``smoothing``.

    Examples
    --------
    quanteda.textstats' test of zero-length documents (``tests/testthat/
    test-textstat_collocations.R``, #940) expects ``lambda`` 4.317488 and ``z`` 2.027787 for
    each of these four bigrams:

    >>> from analysis.corpus import Corpus, Document
    >>> from analysis.text.process import process
    >>> corpus = Corpus((Document("a", "a.txt", "I like good ice cream."),
    ...                  Document("b", "b.txt", "Me too! I like good ice cream.")))
    >>> table = sequences(process(corpus), by="corpus", stopwords=True)
    >>> table[["collocation", "count", "lambda", "z"]]
      collocation  count  lambda       z
    0    good ice      2  4.3175  2.0278
    1      i like      2  4.3175  2.0278
    2   ice cream      2  4.3175  2.0278
    3   like good      2  4.3175  2.0278
    """
    processed = units.prepare(processed, by, where)
    keys = units.group_columns(by)
    c = processed.columns
    link = _links(processed)
    n_starts = len(c.tok_surface) - size + 1
    valid = np.ones(max(n_starts, 0), dtype=bool)
    for k in range(size - 1):
        valid &= link[k:k + max(n_starts, 0)]
    rows = np.flatnonzero(valid)
    para_codes, groups = units.paragraph_codes(processed, by)
    group = para_codes[c.para_of(rows)].astype(np.int64)
    term = c.surface_term  # the term of each token, through its surface
    code = [term[c.tok_surface[rows + k]].astype(np.int64) for k in range(size)]
    width = max(len(c.term_names), 1)

    # f[d]: for each occurrence, how many sequences of its group agree with it at least at
    # the positions d (d empty: every sequence of the group).
    subsets = [d for r in range(size + 1) for d in combinations(range(size), r)]
    # The occurrences shown first (each sequence's first in its group, counted at least
    # min_count times), then the counts of every subset at those alone.
    key, bound = _keys(group, len(groups), code, width)
    count, first = _counts(key, bound, first=True)
    shown = first & (count >= min_count)
    if not stopwords and len(rows):
        stop = c.term_is_stop
        shown &= ~stop[code[0]] & ~stop[code[size - 1]]
    chosen = np.flatnonzero(shown)
    at_least = {subsets[-1]: count[chosen],
                (): np.bincount(group, minlength=len(groups))[group[chosen]]}
    del key, count, first, shown
    for d in subsets[1:-1]:
        key, bound = _keys(group, len(groups), [code[k] for k in d], width)
        at_least[d] = _counts(key, bound)[0][chosen]
    count = at_least[subsets[-1]]

    lam = np.zeros(len(chosen))
    inverse = np.zeros(len(chosen))
    with np.errstate(divide="ignore", invalid="ignore"):
        for agree in subsets:
            cell = np.zeros(len(chosen))
            for d in subsets:
                if set(agree) <= set(d):
                    cell += (-1) ** (len(d) - len(agree)) * at_least[d]
            cell += smoothing
            lam += (-1) ** (size - len(agree)) * np.log(cell)
            inverse += 1 / cell
        sigma = np.sqrt(inverse)
        z = lam / sigma

    vocabulary = np.asarray(c.term_names, dtype=object)
    text = vocabulary[code[0][chosen]]
    for k in range(1, size):
        text = text + " " + vocabulary[code[k][chosen]]
    lexicon = multiword_expressions()
    out = groups.iloc[group[chosen]].astype(str).reset_index(drop=True) \
        if keys else pd.DataFrame(index=range(len(chosen)))
    out["collocation"] = pd.Series(text, dtype=object)
    out["count"] = count.astype(np.int64)
    out["length"] = size
    out["lambda"] = np.round(lam, 4) + 0.0  # no -0.0
    out["sigma"] = np.round(sigma, 4)
    out["z"] = np.round(z, 4) + 0.0
    # A lexicon entry's words joined by spaces (an entry whose words hold one never matches).
    joined = {" ".join(words): term for words, term in lexicon.items()
              if len(words) == size and not any(" " in w for w in words)}
    out["mwe"] = pd.Series(text, dtype=object).map(joined).fillna("").to_numpy()
    out["_group"] = group[chosen]
    out = out.sort_values(["_group", "z", "collocation"], ascending=[True, False, True],
                          na_position="last", kind="mergesort")
    if top is not None:
        out = out[out.groupby("_group").cumcount().to_numpy() < top]
    return out[keys + COLUMNS].reset_index(drop=True)
