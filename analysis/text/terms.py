"""Terms: tokens with the curated multiword expressions merged, and content terms.

Input: the token table of :func:`analysis.text.process.process` and the expressions of
``lexicons/mwe.csv``; output: the term table that word lists, keyness, collocates, topics
and actors count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.lexicons import read_lexicon
from analysis.params import shared_docs
from analysis.text.segment import token_spans

# A processed corpus (analysis.text.process.Processed) is not imported here: processing
# imports this module (through analysis.index) to index a corpus.

__all__ = ["TermRows", "content_mask", "content_rows", "content_terms", "is_content",
           "longest_matches", "multiword_expressions", "mwe_matches", "sentence_runs",
           "term_rows", "terms"]

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



@dataclass(frozen=True)
class TermRows:
    """The term occurrences of a corpus as arrays (see :func:`term_rows`).

    Attributes
    ----------
    rows : ndarray of int32 (int64 past 2**31 tokens)
        Token row (into :attr:`Processed.columns` and :attr:`Processed.tokens`) of each
        occurrence's first token, ascending.
    code : ndarray of int32
        Each occurrence's term, a code into ``names``.
    names : ndarray of object
        Distinct term strings.
    is_word, is_stop, mwe : ndarray of bool
        Per occurrence: a word, a stop word, a merged multiword expression.
    mwe_last : ndarray like ``rows``
        The row of the last token of each merged expression (in the order of
        ``flatnonzero(mwe)``); every other occurrence is one token.
    """

    rows: np.ndarray
    code: np.ndarray
    names: np.ndarray
    is_word: np.ndarray
    is_stop: np.ndarray
    mwe: np.ndarray
    mwe_last: np.ndarray


def mwe_matches(columns) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The curated multiword expressions merged in a corpus's tokens, as :func:`term_rows`
    merges them: the term names (the tokens' terms, then the expressions' terms that are
    none), and each merged occurrence's first and last token row and term code, in text
    order.

    Only the rows that can start an expression are looked at, and each token's term is
    looked up from its surface where needed: no array of every token's term or sentence
    is made (:func:`analysis.index.build` indexes a corpus of 100M words with it).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> names, first, last, code = mwe_matches(process(load_corpus()).columns)
    >>> names[code[:1]].tolist(), first[:1].tolist(), last[:1].tolist()
    (['political parties'], [0], [1])
    """
    c = columns
    names = c.term_names
    surface, surface_term = c.tok_surface, c.surface_term
    none = np.zeros(0, dtype=np.int64)
    if not len(surface):
        return names, none, none, none
    table = multiword_expressions()
    index = pd.Index(names)
    # A code for every label: its term's code where the corpus has the term, else a new one.
    labels = sorted(set(table.values()))
    label_code = index.get_indexer(labels)
    extra = [label for label, code in zip(labels, label_code, strict=True) if code < 0]
    label_code[label_code < 0] = np.arange(len(names), len(names) + len(extra))
    code_of = dict(zip(labels, label_code.tolist(), strict=True))
    n_terms = len(names)
    names = np.concatenate([names, np.asarray(extra, dtype=object)])
    # The last row of each sentence, so no match crosses one: a row's sentence is the first
    # whose last row is at or after it.
    sentence_last = np.cumsum(c.sent_tokens, dtype=np.int64) - 1
    # Every occurrence of every variant, found with array operations: the rows whose term
    # is the variant's first word and with room left in their sentence, narrowed one word at
    # a time (rather than a Python loop over every row that could start an expression).
    variants = [(index.get_indexer(list(variant)), variant, label)
                for variant, label in table.items()]
    firsts = np.unique(np.array([codes[0] for codes, _, _ in variants if (codes >= 0).all()],
                                dtype=np.int64))
    starts_one = np.zeros(n_terms, dtype=bool)  # a lookup table, faster than np.isin
    starts_one[firsts] = True
    candidates = np.flatnonzero(starts_one[surface_term][surface])
    candidate_term = surface_term[surface[candidates]]
    order = np.argsort(candidate_term, kind="stable")
    bounds = np.searchsorted(candidate_term[order], firsts)
    rows_of = dict(zip(firsts.tolist(), np.split(candidates[order], bounds[1:]), strict=True)) \
        if len(firsts) else {}
    found_start, found_size, found_label = [], [], []
    for codes, variant, label in variants:
        if (codes < 0).any():
            continue
        rows = rows_of[int(codes[0])]
        rows = rows[sentence_last[np.searchsorted(sentence_last, rows)] - rows + 1
                    >= len(variant)]
        for offset, word in enumerate(codes[1:].tolist(), start=1):
            rows = rows[surface_term[surface[rows + offset]] == word]
        found_start.append(rows)
        found_size.append(np.full(len(rows), len(variant)))
        found_label.append(np.full(len(rows), code_of[label]))
    starts = np.concatenate([none, *found_start])
    sizes = np.concatenate([none, *found_size])
    found_labels = np.concatenate([none, *found_label])
    # Longest match wins at a row, and a row inside an earlier match starts nothing: the
    # longest at each row first, then, left to right, each match that starts after the
    # last taken one ends. Matches that overlap no other (nearly all) are taken at once;
    # only runs of overlapping ones are walked one by one.
    order = np.lexsort((-sizes, starts))
    first, size, label = starts[order], sizes[order], found_labels[order]
    longest = np.ones(len(first), dtype=bool)
    longest[1:] = first[1:] != first[:-1]
    first, size, label = first[longest], size[longest], label[longest]
    last = first + size - 1
    alone = np.ones(len(first), dtype=bool)  # starts after every earlier match ends
    alone[1:] = first[1:] > np.maximum.accumulate(last)[:-1]
    run_start = np.flatnonzero(alone)
    run_size = np.diff(np.append(run_start, len(first)))
    taken = alone.copy()
    for start, count in zip(run_start[run_size > 1].tolist(),
                            run_size[run_size > 1].tolist(), strict=True):
        covered_until = -1
        for k in range(start, start + count):
            taken[k] = first[k] > covered_until
            if taken[k]:
                covered_until = last[k]
    merged_first, merged_last, merged_code = first[taken], last[taken], label[taken]
    return names, merged_first, merged_last, merged_code


@lru_cache(maxsize=2)
@shared_docs
def term_rows(processed, mwe: bool = True) -> TermRows:
    """Tokens with the curated multiword expressions merged, as arrays of term codes.

    Longest match wins, matches never cross a sentence boundary, and every variant of an
    expression is counted under its canonical term (``Belt & Road`` -> ``belt and road``).
    NLTK's ``MWETokenizer`` does the same merge on lists of strings; this one works on the
    integer term codes of :class:`~analysis.text.process.Columns` (a pass of array
    comparisons per variant) and keeps each occurrence's token rows, which the concordance
    and dispersion need. :func:`terms` is the same as a table.

    Parameters
    ----------
    {processed}
    mwe : bool, default True
        Merge multiword expressions; with False every token is an occurrence.

    Returns
    -------
    TermRows

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> found = term_rows(process(load_corpus()))
    >>> found.names[found.code[:3]].tolist(), found.rows[:3].tolist(), found.mwe_last[:1]
    (['political parties', 'striving', 'for'], [0, 2, 3], array([1], dtype=int32))
    """
    c = processed.columns
    term = c.tok_term
    n = len(term)
    names = c.term_names
    row_type = np.int32 if n < 1 << 31 else np.int64  # rows in 32 bits: half the memory
    if not mwe or not n:
        everything = np.arange(n, dtype=row_type)
        return TermRows(everything, term, names, c.term_is_word[term], c.term_is_stop[term],
                        np.zeros(n, dtype=bool), everything[:0])
    names, merged_first, merged_last, merged_code = mwe_matches(c)
    # The rows inside a taken match, after its first, are merged into it.
    keep = np.ones(n, dtype=bool)
    lengths = merged_last - merged_first
    keep[np.repeat(merged_first + 1 - (np.cumsum(lengths) - lengths), lengths)
         + np.arange(lengths.sum())] = False
    rows = np.flatnonzero(keep).astype(row_type)
    at = np.searchsorted(rows, merged_first)  # where the first tokens are after the merge
    code = term[rows]
    is_word, is_stop = c.term_is_word[code], c.term_is_stop[code]
    merged = np.zeros(len(rows), dtype=bool)
    code[at] = merged_code
    is_word[at], is_stop[at], merged[at] = True, False, True
    return TermRows(rows, code, names, is_word, is_stop, merged,
                    np.asarray(merged_last, dtype=row_type))


@lru_cache(maxsize=2)
def terms(processed, mwe: bool = True) -> pd.DataFrame:
    """Tokens with the curated multiword expressions merged into single terms.

    Word lists, keyness, collocates, topics and actors all start from these occurrences
    (:func:`term_rows`), so the last two results are kept; like the tables of
    :class:`Processed`, callers must not modify them.

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
    found = term_rows(processed, mwe)
    keep = np.zeros(len(tokens), dtype=bool)
    keep[found.rows] = True
    out = tokens[keep].reset_index(drop=True)
    out["mwe"] = False
    at = np.flatnonzero(found.mwe)
    if len(at):
        firsts, lasts = found.rows[at], found.mwe_last
        ends = tokens["end"].to_numpy()[lasts]
        docs = tokens["doc"].to_numpy()[firsts].tolist()
        begins = tokens["start"].to_numpy()[firsts].tolist()
        surfaces = [processed.texts[d][b:e] for d, b, e in
                    zip(docs, begins, ends.tolist(), strict=True)]
        for column, values in (("term", found.names[found.code[at]].tolist()), ("end", ends),
                               ("is_word", True), ("is_stop", False), ("mwe", True),
                               ("token", surfaces)):
            out.iloc[at, out.columns.get_loc(column)] = values
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


@shared_docs
def content_rows(processed) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The content terms of :func:`content_terms` as arrays: each occurrence's first token
    row, its term's code, and the term names the codes index.

    The same occurrences, in the same order, as :func:`content_terms`' rows, without a
    table of every token (a command on ten million words reads these arrays in a second).

    Parameters
    ----------
    {processed}

    Returns
    -------
    rows, code, names : ndarray, ndarray, ndarray of object

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> rows, code, names = content_rows(process(load_corpus()))

    *Political parties striving for excellence in CPEC cooperation*: the expression
    *political parties* (rows 0-1) is one term at its first row; *for* and *in* are stop
    words.

    >>> names[code[:5]].tolist(), rows[:5].tolist()
    (['political parties', 'striving', 'excellence', 'cpec', 'cooperation'], [0, 2, 4, 6, 7])
    """
    found = term_rows(processed)
    keep = is_content(found)
    return found.rows[keep], found.code[keep], found.names


def is_content(found: TermRows) -> np.ndarray:
    """Whether each occurrence of a :class:`TermRows` is a content term (:func:`content_mask`:
    a word, not a stop word, with a letter); the letter test runs once per term name.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> found = term_rows(process(load_corpus()))
    >>> found.names[found.code[:4]].tolist(), is_content(found)[:4].tolist()
    (['political parties', 'striving', 'for', 'excellence'], [True, True, False, True])
    """
    letter = np.fromiter((_LETTER.search(t) is not None for t in found.names), dtype=bool,
                         count=len(found.names))
    return found.is_word & ~found.is_stop & letter[found.code]


@shared_docs
def content_terms(processed) -> pd.DataFrame:
    """Content terms: merged-MWE word tokens that are not stop words and contain a letter.

    Parameters
    ----------
    {processed}

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
