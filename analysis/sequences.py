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
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.process import Processed
from analysis.text.segment import space_table
from analysis.text.terms import multiword_expressions

__all__ = ["COLUMNS", "SIZES", "sequences"]

#: Columns after the group columns.
COLUMNS = ["collocation", "count", "length", "lambda", "sigma", "z", "mwe"]
#: Sequence lengths :func:`sequences` scores (quanteda warns above 5).
SIZES = (2, 3, 4, 5)


def _clean_gaps(processed: Processed) -> np.ndarray:
    """``gap[i]`` is True when only white space lies between token ``i`` and token ``i + 1``
    of the same document (False for the last token of a document)."""
    tokens = processed.tokens
    n = len(tokens)
    clean = np.zeros(n, dtype=bool)
    if n == 0:
        return clean
    space = space_table()
    docs = tokens["doc"].to_numpy()
    starts = tokens["start"].to_numpy(dtype=np.int64)
    ends = tokens["end"].to_numpy(dtype=np.int64)
    bounds = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1], True])
    for first, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if stop - first < 2:
            continue
        # The text as code points, so that string offsets index it directly.
        points = np.frombuffer(processed.texts[docs[first]].encode("utf-32-le"),
                               dtype=np.uint32)
        inked = np.ones(len(points), dtype=np.int64)
        small = points < len(space)
        inked[small] = ~space[points[small]]
        ink = np.r_[0, np.cumsum(inked)]
        clean[first:stop - 1] = ink[starts[first + 1:stop]] == ink[ends[first:stop - 1]]
    return clean


def _links(processed: Processed) -> np.ndarray:
    """``link[i]``: tokens ``i`` and ``i + 1`` may stand side by side in a sequence (both
    words, one sentence of one document, only white space between them)."""
    tokens = processed.tokens
    if len(tokens) < 2:
        return np.zeros(max(len(tokens) - 1, 0), dtype=bool)
    word = tokens["is_word"].to_numpy()
    doc = tokens["doc_index"].to_numpy()
    sentence = tokens["sentence"].to_numpy()
    return (word[:-1] & word[1:] & (doc[:-1] == doc[1:]) & (sentence[:-1] == sentence[1:])
            & _clean_gaps(processed)[:-1])


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
    tokens = processed.tokens
    link = _links(processed)
    n_starts = len(tokens) - size + 1
    valid = np.ones(max(n_starts, 0), dtype=bool)
    for k in range(size - 1):
        valid &= link[k:k + max(n_starts, 0)]
    rows = np.flatnonzero(valid)
    group, groups = units.codes(processed, tokens, by)
    code, vocabulary = pd.factorize(tokens["term"].to_numpy(), sort=True)
    vocabulary = np.asarray(vocabulary, dtype=object)
    words = [f"w{k}" for k in range(size)]
    frame = pd.DataFrame({"g": group[rows], **{w: code[rows + k] for k, w in enumerate(words)}})

    # f[d]: for each occurrence, how many sequences of its group agree with it at least at
    # the positions d (d empty: every sequence of the group).
    subsets = [d for r in range(size + 1) for d in combinations(range(size), r)]
    at_least = {}
    for d in subsets:
        by_keys = ["g", *[words[k] for k in d]]
        at_least[d] = frame.groupby(by_keys, sort=False)["g"].transform("size").to_numpy()
    first = ~frame.duplicated(["g", *words]).to_numpy()
    count = at_least[tuple(range(size))]
    shown = first & (count >= min_count)
    if not stopwords and len(rows):
        edge = (tokens["is_stop"].to_numpy())
        shown &= ~edge[rows] & ~edge[rows + size - 1]
    chosen = np.flatnonzero(shown)

    lam = np.zeros(len(chosen))
    inverse = np.zeros(len(chosen))
    with np.errstate(divide="ignore", invalid="ignore"):
        for c in subsets:
            cell = np.zeros(len(chosen))
            for d in subsets:
                if set(c) <= set(d):
                    cell += (-1) ** (len(d) - len(c)) * at_least[d][chosen]
            cell += smoothing
            lam += (-1) ** (size - len(c)) * np.log(cell)
            inverse += 1 / cell
        sigma = np.sqrt(inverse)
        z = lam / sigma

    text = vocabulary[frame[words[0]].to_numpy()[chosen]]
    for w in words[1:]:
        text = text + " " + vocabulary[frame[w].to_numpy()[chosen]]
    lexicon = multiword_expressions()
    out = groups.iloc[frame["g"].to_numpy()[chosen]].astype(str).reset_index(drop=True) \
        if keys else pd.DataFrame(index=range(len(chosen)))
    out["collocation"] = pd.Series(text, dtype=object)
    out["count"] = count[chosen].astype(np.int64)
    out["length"] = size
    out["lambda"] = np.round(lam, 4) + 0.0  # no -0.0
    out["sigma"] = np.round(sigma, 4)
    out["z"] = np.round(z, 4) + 0.0
    out["mwe"] = [lexicon.get(tuple(t.split(" ")), "") for t in text]
    out["_group"] = frame["g"].to_numpy()[chosen]
    out = out.sort_values(["_group", "z", "collocation"], ascending=[True, False, True],
                          na_position="last", kind="mergesort")
    if top is not None:
        out = out[out.groupby("_group").cumcount().to_numpy() < top]
    return out[keys + COLUMNS].reset_index(drop=True)
