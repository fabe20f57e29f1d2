"""Terms: tokens with the curated multiword expressions merged, and content terms.

Input: the token table of :func:`analysis.text.process.process` and the expressions of
``lexicons/mwe.csv``; output: the term table that word lists, keyness, collocates, topics
and actors count.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.lexicons import read_lexicon
from analysis.text.process import Processed
from analysis.text.segment import token_spans

_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def multiword_expressions() -> dict[tuple[str, ...], str]:
    """Multiword expressions from ``lexicons/mwe.csv``: token tuple of a variant -> term.

    Variants are tokenized with the same tokenizer as the text, so ``Belt & Road`` becomes
    ``('belt', '&', 'road')`` and is counted as the term ``belt and road``.

    Examples
    --------
    >>> expressions = multiword_expressions()
    >>> expressions[("belt", "&", "road")], expressions[("china-pakistan", "economic", "corridor")]
    ('belt and road', 'cpec')
    """
    table = {}
    for row in read_lexicon("mwe"):
        key = tuple(token_spans(row["variant"])[3])
        if len(key) > 1 or key[0] != row["term"]:
            table[key] = row["term"]
    return table



@lru_cache(maxsize=2)
def terms(processed: Processed, mwe: bool = True) -> pd.DataFrame:
    """Tokens with the curated multiword expressions merged into single terms.

    Word lists, keyness, collocates, topics and actors all start from this table, so the
    last two results are kept (merging a million-word corpus takes a few tenths of a
    second); like the tables of :class:`Processed`, callers must not modify it.

    Longest match wins, matches never cross a sentence boundary, and every variant of an
    expression is counted under its canonical term (``Belt & Road`` -> ``belt and road``).
    NLTK's ``MWETokenizer`` does the same merge but drops character offsets, which the
    concordance and dispersion need, hence this small matcher over the token table.

    Parameters
    ----------
    processed : Processed
        Output of :func:`process`.
    mwe : bool, default True
        Merge multiword expressions; with False the plain token table is returned.

    Returns
    -------
    DataFrame
        The columns of :attr:`Processed.tokens` plus ``mwe`` (True where a row stands for a
        merged expression; its ``token`` is the surface text of the whole span).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = terms(process(load_corpus()))
    >>> table.loc[table["mwe"], ["doc", "token", "term"]].head(3)  # doctest: +NORMALIZE_WHITESPACE
                    doc                             token               term
    0   songtao-article                 Political parties  political parties
    8   songtao-article                          Song Tao           song tao
    15  songtao-article  China Pakistan Economic Corridor               cpec
    """
    tokens = processed.tokens
    if not mwe or tokens.empty:
        return tokens.assign(mwe=False)
    table = multiword_expressions()
    n = len(tokens)
    # Index of the last token of each token's sentence, so no match crosses a sentence.
    sentence_last = sentence_runs(tokens["doc_index"].to_numpy(),
                                  tokens["sentence"].to_numpy())[1] - 1
    # Every occurrence of every variant, found with array operations: the rows whose term
    # is the variant's first word and with room left in their sentence, narrowed one word at
    # a time (rather than a Python loop over every row that could start an expression).
    term_array = tokens["term"].to_numpy()
    candidates = np.flatnonzero(tokens["term"].isin({k[0] for k in table}).to_numpy())
    codes, firsts_seen = pd.factorize(term_array[candidates])
    rows_of = {word: candidates[codes == j] for j, word in enumerate(firsts_seen)}
    found_start, found_size, found_label = [], [], []
    for variant, label in table.items():
        rows = rows_of.get(variant[0], candidates[:0])
        rows = rows[sentence_last[rows] - rows + 1 >= len(variant)]
        for offset, word in enumerate(variant[1:], start=1):
            rows = rows[term_array[rows + offset] == word]
        found_start.append(rows)
        found_size.append(np.full(len(rows), len(variant)))
        found_label.append(np.full(len(rows), label, dtype=object))
    starts = np.concatenate(found_start)
    sizes = np.concatenate(found_size)
    found_labels = np.concatenate(found_label)
    # Longest match wins at a row, and a row inside an earlier match starts nothing.
    keep = np.ones(n, dtype=bool)
    firsts, lasts, labels = [], [], []
    covered_until = -1
    order = np.lexsort((-sizes, starts))
    for i, size, label in zip(starts[order].tolist(), sizes[order].tolist(),
                              found_labels[order].tolist(), strict=True):
        if i <= covered_until:
            continue
        j = i + size - 1
        firsts.append(i)
        lasts.append(j)
        labels.append(label)
        keep[i + 1:j + 1] = False
        covered_until = j
    out = tokens[keep].reset_index(drop=True)
    out["mwe"] = False
    if firsts:
        rows = np.cumsum(keep)[firsts] - 1  # where the first tokens are after the merge
        ends = tokens["end"].to_numpy()[lasts]
        docs = tokens["doc"].to_numpy()[firsts].tolist()
        begins = tokens["start"].to_numpy()[firsts].tolist()
        surfaces = [processed.texts[d][b:e] for d, b, e in
                    zip(docs, begins, ends.tolist(), strict=True)]
        for column, values in (("term", labels), ("end", ends), ("is_word", True),
                               ("is_stop", False), ("mwe", True), ("token", surfaces)):
            out.iloc[rows, out.columns.get_loc(column)] = values
    return out


def content_mask(table: pd.DataFrame) -> pd.Series:
    """True for the content terms of a token table: words, not stop words, with a letter.

    Topics and the actors' contexts count only these (``1.3`` and ``the`` say nothing of
    a topic). The letter test runs once per distinct term, not once per token.

    Parameters
    ----------
    table : DataFrame
        :attr:`Processed.tokens` or the output of :func:`terms`.

    Returns
    -------
    Series of bool
        Aligned with ``table``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> tokens = process(load_corpus()).tokens
    >>> tokens.loc[content_mask(tokens), "term"].head(5).tolist()
    ['political', 'parties', 'striving', 'excellence', 'cpec']
    """
    letter = {t: _LETTER.search(t) is not None for t in pd.unique(table["term"])}
    return table["is_word"] & ~table["is_stop"] & table["term"].map(letter).astype(bool)


def content_terms(processed: Processed) -> pd.DataFrame:
    """Content terms: merged-MWE word tokens that are not stop words and contain a letter.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`.

    Returns
    -------
    DataFrame
        The rows of :func:`terms` that are content terms.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> content_terms(process(load_corpus()))["term"].head(5).tolist()
    ['political parties', 'striving', 'excellence', 'cpec', 'cooperation']
    """
    table = terms(processed)
    return table[content_mask(table)].reset_index(drop=True)


def sentence_runs(doc, sentence) -> tuple[np.ndarray, np.ndarray]:
    """For each row of a table in text order, the first row of its sentence and the row after
    its last (rows of one sentence are consecutive). ``doc`` is any per-row document key:
    the ids, or (faster) ``doc_index``.

    Examples
    --------
    >>> first, stop = sentence_runs(["a", "a", "a", "b"], [1, 1, 2, 1])
    >>> first.tolist(), stop.tolist()
    ([0, 0, 2, 3], [2, 2, 3, 4])
    """
    doc, sentence = np.asarray(doc), np.asarray(sentence)
    n = len(doc)
    new = np.ones(n, dtype=bool)
    new[1:] = (doc[1:] != doc[:-1]) | (sentence[1:] != sentence[:-1])
    starts = np.flatnonzero(new)
    run = np.cumsum(new) - 1
    return starts[run], np.append(starts[1:], n)[run]


def longest_matches(terms: list[str], starts, stop, lexicon: dict, accept=None
                    ) -> list[tuple[int, int, object]]:
    """Lexicon entries found left to right, the longest at each row, none across a sentence.

    A row inside a match starts nothing, as a reader scanning the sentence would take it.
    The actors' gazetteer and the modality lexicon are matched this way (multiword
    expressions, which need only exact matches, use the array matcher of :func:`terms`).

    Parameters
    ----------
    terms : list of str
        The rows' terms, in text order.
    starts : iterable of int
        Rows that may start a match, ascending (e.g. rows whose term starts an entry).
    stop : array of int
        For each row, the row after its sentence's last (:func:`sentence_runs`).
    lexicon : dict
        Tuple of terms -> value.
    accept : callable, optional
        ``accept(row, key)`` -> False to refuse a match found at a row (nothing shorter is
        tried there).

    Returns
    -------
    list of (row, size, value)

    Examples
    --------
    >>> lexicon = {("have", "to"): "obligation", ("have",): "possession"}
    >>> terms = ["we", "have", "to", "go", "have"]
    >>> longest_matches(terms, [1, 4], [5] * 5, lexicon)
    [(1, 2, 'obligation'), (4, 1, 'possession')]
    """
    longest = max(map(len, lexicon), default=0)
    found, covered_until = [], -1
    for i in starts:
        if i <= covered_until:
            continue
        for size in range(min(longest, int(stop[i]) - i), 0, -1):
            key = tuple(terms[i:i + size])
            if key in lexicon:
                if accept is None or accept(i, key):
                    found.append((i, size, lexicon[key]))
                    covered_until = i + size - 1
                break
    return found
