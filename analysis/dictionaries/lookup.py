"""The dictionary engine: a :class:`~analysis.dictionaries.Dictionary` applied to a processed
corpus on its integer arrays, and what an analyst reads of it.

Rules where entries meet (those of quanteda's ``tokens_lookup``, whose documentation gives
the worked example of the tests: *The New York Times is a New York paper.* with the
categories ``paper = "New York Times"`` and ``city = "New York"``; Benoit et al. 2018,
quanteda: An R package for the quantitative analysis of textual data, *Journal of Open Source
Software* 3(30), 774; ``?tokens_lookup``, Details and Examples):

- A match is a run of consecutive tokens of one sentence that an entry's pieces match one to
  one, with only white space between them (a glob piece matches a whole token: ``immigra*``
  matches *immigrants*; a comma or dash between two words breaks a phrase). Matching ignores
  case.
- Within one category a match that overlaps one already counted is not counted again,
  reading in text order and, of matches starting together, taking the longest (then the
  first entry): *asylum seekers* with the entries ``asylum`` and ``asylum seeker*`` is one
  match, of the longer entry; *red blue red* with ``red blue`` and ``blue red`` is one;
  *ha ha ha ha* with ``ha ha`` is two.
- A token in two categories counts in each. With ``nested_scope="dictionary"`` a match
  inside a longer match of another category is dropped (*New York* inside *New York Times*:
  ``paper`` 1, ``city`` 1 in the example, where the default ``"key"`` gives ``city`` 2).
- ``level=N`` joins the categories below level N into their parent before these rules, as
  quanteda's ``levels = 1:N``.

Everything is counted on the corpus's token arrays: each entry is resolved once to the term
codes it matches (a glob against the vocabulary, not the texts), so the cost grows with the
tokens that match, not with the dictionary's size times the corpus's. :func:`find` lists
every match (for the audit, the sample, the concordance); :func:`lookup` only counts them
per category and group: one-word matches as classes of terms (the terms the one-word
entries of the same categories match) counted in one pass over the tokens, phrases matched
only where their first word is, and the rules applied where phrases match.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from analysis import units
from analysis.dictionaries.model import Dictionary
from analysis.dictionaries.readers import DictionaryError
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.process import Processed, ranges
from analysis.text.segment import space_table

__all__ = ["COLUMNS", "MATCH_COLUMNS", "MAX_SAMPLE", "NESTED_SCOPES", "Matches", "Vocabulary",
           "audit", "category_rows", "check_level", "find", "glob_regex", "joined_by_space",
           "lookup", "match_forms", "match_table", "sample", "unit_counts"]

#: Columns of :func:`lookup` after the group columns.
COLUMNS = ["category", "matches", "words", "per_1000", "low", "high", "documents", "range",
           "dp"]
NESTED_SCOPES = ("key", "dictionary")
#: Most matched sentences :func:`sample` draws per category (a coder reads each).
MAX_SAMPLE = 10_000
#: Tokens read at once when they are counted per group (a slice of a large corpus's).
CHUNK = 1 << 20
#: Most cells (category and part) counted in one table; past it, by sorting the cells.
TALLY_CELLS = 1 << 22
#: Most cells of the table of which categories each class of terms holds; past it, a
#: binary search.
MEMBER_CELLS = 1 << 24


@dataclass(frozen=True)
class Matches:
    """The counted matches of a dictionary in a corpus, after the rules of the module.

    Attributes
    ----------
    categories : list of str
        The categories at the level asked for, in the dictionary's order.
    start, end : ndarray of int
        Token rows (:attr:`Processed.columns`) of each match's first token and one past its
        last.
    category : ndarray of int
        Each match's category (into ``categories``).
    entry : ndarray of int
        The entry that made each match (into ``Dictionary.entries``).
    length : ndarray of int
        Tokens of the match (``end - start``).
    nested : ndarray of int64
        Per entry: its matches not counted because they overlap a counted match of their
        category (inside a longer one, or across one).
    entry_category : ndarray of int
        Per entry: its category (into ``categories``).
    """

    categories: list[str]
    start: np.ndarray
    end: np.ndarray
    category: np.ndarray
    entry: np.ndarray
    length: np.ndarray
    nested: np.ndarray
    entry_category: np.ndarray


def glob_regex(glob: str) -> str:
    """A glob (``*`` any run of characters, ``?`` one) as a regular expression; every other
    character literal.

    Examples
    --------
    >>> glob_regex("immigra*"), glob_regex("?ay")
    ('immigra.*', '.ay')
    """
    return "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in glob)


def _prefixed(names: list[str], prefix: str) -> slice:
    """Where the names that start with ``prefix`` are in sorted ``names``: from the prefix
    to the first string past all of them (the prefix with its last character, U+10FFFF
    aside, one code point higher).

    Examples
    --------
    >>> _prefixed(["ab", "abc", "abd", "b"], "ab")
    slice(0, 3, None)
    """
    lo = bisect.bisect_left(names, prefix)
    past = prefix.rstrip("\U0010ffff")
    if not past:
        return slice(lo, len(names))
    return slice(lo, bisect.bisect_left(names, past[:-1] + chr(ord(past[-1]) + 1)))


class Vocabulary:
    """A corpus's term names, searchable by literal, prefix and pattern.

    Prefix globs (``immigra*``, most of a dictionary's globs) are two binary searches in the
    sorted names, suffix globs (``*phobia``) two in the sorted reversed names; any other glob
    is one regular-expression scan of the names joined by newlines (one pass in C, not one
    Python call per term).
    """

    def __init__(self, names: np.ndarray):
        self.names = names
        self.code = {name: i for i, name in enumerate(names.tolist())}
        self.order = np.argsort(names, kind="stable")
        self.sorted = names[self.order].tolist()

    @cached_property
    def reversed(self) -> tuple[np.ndarray, list[str]]:
        """The order of the names read backwards, and the reversed names in that order (for
        the suffix globs)."""
        backwards = np.array([name[::-1] for name in self.names.tolist()], dtype=object)
        order = np.argsort(backwards, kind="stable")
        return order, backwards[order].tolist()

    @cached_property
    def joined(self) -> str:
        """The names joined by newlines (for the globs that are not prefixes)."""
        return "\n".join(self.names.tolist())

    @cached_property
    def starts(self) -> np.ndarray:
        """Where each name starts in :attr:`joined`."""
        lengths = np.fromiter((len(n) + 1 for n in self.names.tolist()), dtype=np.int64,
                              count=len(self.names))
        return np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)

    def codes(self, piece: str) -> np.ndarray:
        """Codes of the terms a piece (a token or a glob) matches, sorted."""
        if "*" not in piece and "?" not in piece:
            code = self.code.get(piece)
            return np.array([] if code is None else [code], dtype=np.int64)
        stem = piece.rstrip("*")
        if stem and "*" not in stem and "?" not in stem:  # a prefix glob
            found = self.order[_prefixed(self.sorted, stem)]
            if piece.endswith("*"):
                return np.sort(found).astype(np.int64)
        stem = piece.lstrip("*")
        if stem != piece and "*" not in stem and "?" not in stem:  # a suffix glob
            order, backwards = self.reversed
            return np.sort(order[_prefixed(backwards, stem[::-1])]).astype(np.int64)
        pattern = re.compile(rf"(?m)^{glob_regex(piece)}$")
        offsets = np.fromiter((m.start() for m in pattern.finditer(self.joined)),
                              dtype=np.int64)
        return np.searchsorted(self.starts, offsets).astype(np.int64)


@lru_cache(maxsize=4)
def _vocabulary(processed: Processed) -> Vocabulary:
    return Vocabulary(processed.columns.term_names)


def check_level(dictionary: Dictionary, level: int | None) -> None:
    """Refuse a level the dictionary does not have (one line, as :class:`DictionaryError`).

    Examples
    --------
    >>> check_level(Dictionary.from_mapping({"a": {"b": ["x"]}}), 2)
    """
    if level is not None and not (isinstance(level, int) and 1 <= level <= dictionary.depth):
        raise DictionaryError(f"level {level!r}: the dictionary {dictionary.name} has levels 1 to "
                         f"{dictionary.depth}")


#: Longest gap between two words of a phrase read from the bytes, all matches at once; a
#: longer one is read from the decoded text.
MAX_GAP = 16


def _token_ends(c, rows: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Offsets of the ends of some tokens (``rows``, of documents ``doc``) in their texts, as
    :attr:`~analysis.text.process.Columns.tok_end` gives them, without keeping an array of
    every token's end: one running sum of the steps from token to token, less its value
    before each document's first token.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> c = process(load_corpus()).columns
    >>> rows = np.array([0, 5, len(c.tok_surface) - 1])
    >>> (_token_ends(c, rows, c.doc_of(rows)) == c.tok_end[rows]).all()
    np.True_
    """
    if "tok_end" in c.__dict__:  # already made by another analysis
        return c.tok_end[rows].astype(np.int64)
    total = int(c.tok_gap.sum(dtype=np.int64) + c.tok_length.sum(dtype=np.int64))
    steps = c.tok_gap.astype(np.int32 if total < 1 << 31 else np.int64)
    steps += c.tok_length
    np.cumsum(steps, out=steps)
    first = c.doc_first[doc]
    before = np.where(first > 0, steps[np.maximum(first - 1, 0)], 0)
    return steps[rows].astype(np.int64) - before


def joined_by_space(processed: Processed, rows: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Which phrase matches (first token ``rows``, ``sizes`` tokens) have only white space,
    or nothing (as in *China's*), between their tokens: punctuation breaks a phrase, as in
    quanteda, whose tokens keep it.

    Only the gaps inside the matches are read, as code points from the texts' bytes
    (:meth:`~analysis.text.process.Texts.code_points`), the k-th character of every gap at
    once, without decoding a text; a gap longer than :data:`MAX_GAP` from the decoded text.
    """
    keep = np.ones(len(rows), dtype=bool)
    if not len(rows):
        return keep
    c = processed.columns
    # Every token after a phrase's first, and its match.
    longer = [np.flatnonzero(sizes > k) for k in range(1, int(sizes.max()))]
    after = np.concatenate([rows[m] + k for k, m in enumerate(longer, start=1)])
    match_of = np.concatenate(longer)
    gap = c.tok_gap[after]
    apart = gap > 0  # tokens that touch (China 's) are joined
    match_of, after, gap = match_of[apart], after[apart], gap[apart].astype(np.int64)
    if not len(after):
        return keep
    doc = c.doc_of(after)
    begin = _token_ends(c, after - 1, doc)
    texts = processed.texts
    space = np.append(space_table(), False)  # code points past the table: not space
    short = gap <= MAX_GAP
    owner, d, at, left = match_of[short], doc[short], begin[short], gap[short]
    while len(owner):
        points = texts.code_points(d, at)
        keep[owner[~space[np.minimum(points, len(space) - 1)]]] = False
        more = left > 1
        owner, d, at, left = owner[more], d[more], at[more] + 1, left[more] - 1
    for i, k, lo, n in zip(match_of[~short].tolist(), doc[~short].tolist(),
                           begin[~short].tolist(), gap[~short].tolist(), strict=True):
        if not texts[processed.doc_ids[k]][lo:lo + n].isspace():
            keep[i] = False
    return keep


#: Most code tuples (the product of its pieces' matching terms) a phrase may name to be
#: looked up as integers; a phrase of wide globs is tested piece by piece instead.
MAX_TUPLES = 4096
#: Most cells of the table that numbers the code tuples of the phrases of one length (one
#: cell per combination of the terms the phrases have at each place); past it the tuples
#: are found by binary search.
MAX_CELLS = 1 << 22


def _tuple_matches(c, candidates, first_surface, size, phrase_pieces, ids):
    """Rows where ``size`` consecutive tokens of one sentence form a code tuple of one of the
    phrases, and the phrase (entry) of each; a row matching two phrases is listed twice
    (rows in order, a row's phrases in the order of ``ids``). ``candidates`` are the rows
    of every phrase's first words, ``first_surface`` their surfaces.

    The terms the phrases have at each place are numbered (``-1`` for the others), so a run
    of tokens is one integer in mixed radix, found in a table of every combination (or, past
    :data:`MAX_CELLS`, by binary search among the phrases' tuples).
    """
    n_terms = len(c.term_names)
    number, dims = [], []
    for k in range(size):
        terms = np.unique(np.concatenate([phrase[k] for phrase in phrase_pieces]))
        table = np.full(n_terms, -1, dtype=np.int32)
        table[terms] = np.arange(len(terms), dtype=np.int32)
        number.append(table)
        dims.append(len(terms))
    keys, owners = [], []
    for entry, phrase in zip(ids, phrase_pieces, strict=True):
        grid = np.meshgrid(*(number[k][piece] for k, piece in enumerate(phrase)),
                           indexing="ij")
        key = np.zeros(grid[0].size, dtype=np.int64)
        for k, piece in enumerate(grid):
            key = key * dims[k] + piece.ravel()
        keys.append(key)
        owners.append(np.full(len(key), entry, dtype=np.int64))
    keys, owners = np.concatenate(keys), np.concatenate(owners)
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    distinct, first = np.unique(keys, return_index=True)
    count = np.diff(np.append(first, len(keys)))
    surface = c.tok_surface
    # The numbers per surface, read per token (no array of every token's term): the first
    # place narrows the rows to those of these phrases' first words, the others at once.
    key = number[0][c.surface_term][first_surface]
    has = (key >= 0) & (candidates <= len(surface) - size)
    rows, key = candidates[has], key[has].astype(np.int64)
    places = [number[k][c.surface_term][surface[rows + k]] for k in range(1, size)]
    has = np.ones(len(rows), dtype=bool)
    for piece in places:
        has &= piece >= 0
    rows, key = rows[has], key[has]
    for k, piece in enumerate(places, start=1):
        key = key * dims[k] + piece[has]
    del places, has
    cells = int(np.prod(np.array(dims, dtype=object)))
    if cells <= MAX_CELLS:  # a table of every cell: the tuple's number, or -1
        table = np.full(cells, -1, dtype=np.int32)
        table[distinct] = np.arange(len(distinct), dtype=np.int32)
        at = table[key]
        hit = at >= 0
    else:
        at = np.clip(np.searchsorted(distinct, key), 0, max(len(distinct) - 1, 0))
        hit = distinct[at] == key if len(distinct) else np.zeros(len(rows), dtype=bool)
    rows, at = rows[hit], at[hit]
    sentence = c.tok_sentence
    same = sentence[rows + size - 1] == sentence[rows]
    rows, at = rows[same], at[same]
    if count.max(initial=0) <= 1:  # each tuple in one phrase
        return rows.astype(np.int64), owners[first[at]]
    place, row_of = ranges(first[at], first[at] + count[at])
    return rows[row_of].astype(np.int64), owners[place]


def _marked_rows(table: np.ndarray, surface: np.ndarray, row_type) -> np.ndarray:
    """Rows of the tokens whose surface ``table`` marks, in ``row_type``, found a slice of
    the tokens at a time (no mask or 64-bit rows as long as the corpus)."""
    parts = [np.flatnonzero(table[surface[lo:lo + CHUNK]]).astype(row_type) + lo
             for lo in range(0, len(surface), CHUNK)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=row_type)


def _one_word(c, pieces: list, entry_category: np.ndarray, nested: np.ndarray, row_type,
              among: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The one-word entries' matches: token rows in order and the entry of each (a token
    matched by entries of several categories once for each, in the order of the
    categories), adding to ``nested`` the matches of a term that an earlier entry of the
    same category has. With ``among`` (token rows, in order), only the matches of those
    tokens.

    The (term, entry) pairs are a compressed table, looked up per token through the
    tokens' surfaces. Two entries of one category matching one term (``nation`` and
    ``nati*``) make one match, the first entry's: decided once per term, so one-word matches
    never repeat a (token, category) and need no merging among themselves.
    """
    single = [i for i, p in enumerate(pieces) if len(p) == 1]
    if not single:
        return np.zeros(0, dtype=row_type), np.zeros(0, dtype=np.int32)
    n_terms = len(c.term_names)
    pair_term = np.concatenate([pieces[i][0] for i in single])
    pair_entry = np.repeat(np.array(single, dtype=np.int64),
                           [len(pieces[i][0]) for i in single])
    order = np.lexsort((pair_entry, entry_category[pair_entry], pair_term))
    pair_term, pair_entry = pair_term[order], pair_entry[order]
    surface = c.tok_surface
    per_term = np.bincount(pair_term, minlength=n_terms).astype(np.int32)
    marked = (per_term > 0)[c.surface_term]
    if among is None:
        rows = _marked_rows(marked, surface, row_type)
    else:
        rows = among[marked[surface[among]]].astype(row_type)
    term = c.surface_term[surface[rows]]
    again = np.zeros(len(pair_term), dtype=bool)
    again[1:] = (pair_term[1:] == pair_term[:-1]) & (
        entry_category[pair_entry[1:]] == entry_category[pair_entry[:-1]])
    if again.any():  # each token of such a term is a nested match of the later entry
        per_term_tokens = np.zeros(n_terms, dtype=np.int64)
        for lo in range(0, len(term), CHUNK):
            per_term_tokens += np.bincount(term[lo:lo + CHUNK], minlength=n_terms)
        np.add.at(nested, pair_entry[again], per_term_tokens[pair_term[again]])
        pair_term, pair_entry = pair_term[~again], pair_entry[~again]
        per_term = np.bincount(pair_term, minlength=n_terms).astype(np.int32)
    first_pair = (np.cumsum(per_term) - per_term).astype(np.int32)
    pair_entry = pair_entry.astype(np.int32)
    first_entry = np.zeros(n_terms, dtype=np.int32)  # each term's first entry
    first_entry[per_term > 0] = pair_entry[first_pair[per_term > 0]]
    if per_term.max(initial=0) <= 1:  # each term in one entry at most: one match a token
        return rows, first_entry[term]
    # A token's matches one after the other, its term's entries in order: the first ones
    # put in their places, then the second ones of the tokens that have them, and so on.
    many = per_term[term]
    total = int(many.sum(dtype=np.int64))
    place = np.cumsum(many, dtype=np.int32 if total < 1 << 31 else np.int64)
    place -= many
    out = np.empty(total, dtype=np.int32)
    out[place] = first_entry[term]
    out_rows = np.empty(total, dtype=rows.dtype)
    out_rows[place] = rows
    more = np.flatnonzero(many > 1)
    place, first, many, rows = place[more], first_pair[term[more]], many[more], rows[more]
    k = 1
    while len(place):
        out[place + k] = pair_entry[first + k]
        out_rows[place + k] = rows
        k += 1
        more = many > k
        place, first, many, rows = place[more], first[more], many[more], rows[more]
    return out_rows, out


def _phrases(processed: Processed, pieces: list, row_type
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The phrase entries' matches (first token row, tokens, entry), each phrase's matches
    whole, before the rules of the module.

    Phrases of two or three pieces that name few code tuples (words, narrow globs) are
    looked up as one integer per tuple of consecutive tokens, all phrases of a length at
    once; the others are tested piece by piece on the rows of their own first words.
    """
    phrases = [i for i, p in enumerate(pieces) if len(p) > 1 and all(len(x) for x in p)]
    if not phrases:
        return (np.zeros(0, dtype=np.int64),) * 3
    c = processed.columns
    n_terms = len(c.term_names)
    surface, surface_term = c.tok_surface, c.surface_term
    is_first = np.zeros(n_terms, dtype=bool)
    for i in phrases:
        is_first[pieces[i][0]] = True
    candidates = _marked_rows(is_first[surface_term], surface, row_type)
    first_surface = surface[candidates]
    found_rows, found_sizes, found_entries = [], [], []
    by_size: dict[int, list[int]] = {}
    piecewise = []
    for i in phrases:
        size = len(pieces[i])
        tuples = int(np.prod([len(x) for x in pieces[i]]))
        if size <= 3 and tuples <= MAX_TUPLES and (n_terms + 1) ** size < 1 << 62:
            by_size.setdefault(size, []).append(i)
        else:
            piecewise.append(i)
    for size, ids in sorted(by_size.items()):
        rows, entry_of = _tuple_matches(c, candidates, first_surface, size,
                                        [pieces[i] for i in ids], ids)
        found_rows.append(rows)
        found_sizes.append(np.full(len(rows), size, dtype=np.int64))
        found_entries.append(entry_of)
    if piecewise:
        sentence = c.tok_sentence
        first_terms = surface_term[first_surface]
        by_term = candidates[np.argsort(first_terms, kind="stable")]
        first_of = np.concatenate([[0], np.cumsum(np.bincount(first_terms,
                                                              minlength=n_terms))])
        del first_terms
        for i in piecewise:
            size = len(pieces[i])
            rows = np.concatenate([by_term[first_of[t]:first_of[t + 1]]
                                   for t in pieces[i][0].tolist()])
            rows = rows[rows + size <= len(surface)]
            for k in range(1, size):
                if not len(rows):
                    break
                hit = np.isin(surface_term[surface[rows + k]], pieces[i][k])
                rows = rows[hit & (sentence[rows + k] == sentence[rows])]
            found_rows.append(rows.astype(np.int64))
            found_sizes.append(np.full(len(rows), size, dtype=np.int64))
            found_entries.append(np.full(len(rows), i, dtype=np.int64))
    del candidates, first_surface
    rows, sizes = np.concatenate(found_rows), np.concatenate(found_sizes)
    keep = joined_by_space(processed, rows, sizes)
    return rows[keep], sizes[keep], np.concatenate(found_entries)[keep]


@lru_cache(maxsize=2)  # at ten million words one set of matches is 100 MB
@constrained(level=[Interval(1), None], nested_scope=OneOf(*NESTED_SCOPES))
@shared_docs
def find(processed: Processed, dictionary: Dictionary, *, level: int | None = None,
         nested_scope: str = "key") -> Matches:
    """Every counted match of a dictionary's categories in a corpus (module docstring).

    Parameters
    ----------
    {processed}
    dictionary : Dictionary
    level : int, optional
        Join categories below this level into their parent (1 = top level).
    nested_scope : {"key", "dictionary"}, default "key"
        Whether a match nested in a longer one of another category still counts ("key").

    Returns
    -------
    Matches
        The one-word matches in text order, then the phrases' runs by category and
        position (a reader that needs another order sorts them).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> d = Dictionary.from_mapping({"corridor": ["cpec", "economic corridor"],
    ...                              "roads": ["road*"]})
    >>> m = find(process(load_corpus()), d)
    >>> m.categories, np.bincount(m.category).tolist()
    (['corridor', 'roads'], [31, 7])
    """
    categories, entry_category, pieces = _resolve(processed, dictionary, level)
    c = processed.columns
    n_rows = len(c.tok_surface) + 1
    # Token rows in 32 bits where they fit: at ten million words the matches are tens of
    # millions of rows.
    row_type = np.int32 if n_rows <= 1 << 31 else np.int64
    nested = np.zeros(len(pieces), dtype=np.int64)
    one_start, one_entry = _one_word(c, pieces, entry_category, nested, row_type)
    many_start, many_length, many_entry = _phrases(processed, pieces, row_type)
    start, category, entry, length = _counted(
        one_start, one_entry, many_start, many_length, many_entry, entry_category,
        len(categories), n_rows, nested, nested_scope)
    end = start + length
    return Matches(categories, start, end, category, entry, length, nested, entry_category)


def _resolve(processed: Processed, dictionary: Dictionary, level: int | None
             ) -> tuple[list[str], np.ndarray, list]:
    """The level checked against the dictionary, and the dictionary read against the corpus's
    vocabulary: its categories at ``level``, each entry's category, and each entry's
    pieces as the term codes they match."""
    check_level(dictionary, level)
    vocabulary = _vocabulary(processed)
    categories = dictionary.categories(level)
    category_code = {name: i for i, name in enumerate(categories)}
    entry_category = np.array([category_code[e.label(level)] for e in dictionary.entries],
                              dtype=np.int32)
    pieces = [[vocabulary.codes(w) for w in e.words] for e in dictionary.entries]
    return categories, entry_category, pieces


def _counted(one_start, one_entry, many_start, many_length, many_entry, entry_category,
             n_categories, n_rows, nested, nested_scope):
    """The matches counted after the rules of the module, from the one-word matches (token
    rows, entries) and the phrases' (first rows, lengths, entries): ``start, category,
    entry, length``, the one-word matches kept first (in their order), then the phrases'
    runs by category and position. Adds to ``nested`` each entry's matches not counted.

    A one-word match is dropped only where a phrase match covers its token, so the rules
    give the same for any set of one-word matches that holds those tokens' matches.
    """
    n_entries = len(entry_category)
    if nested_scope == "dictionary":
        # Drop a match that lies inside a strictly longer match (of any category); matches of
        # the same span in two categories both stay.
        start = np.concatenate([one_start, many_start])
        length = np.concatenate([np.ones(len(one_start), dtype=np.int64), many_length])
        entry = np.concatenate([one_entry, many_entry])
        if len(start):
            spans, span_of = np.unique(np.stack([start, -(start + length)]), axis=1,
                                       return_inverse=True)
            span_end = -spans[1]
            reach = np.maximum.accumulate(span_end)
            inside = np.zeros(len(span_end), dtype=bool)
            inside[1:] = reach[:-1] >= span_end[1:]
            keep = ~inside[span_of.ravel()]
            start, length, entry = start[keep], length[keep], entry[keep]
        multi = length > 1
        one_start, one_entry = start[~multi], entry[~multi]
        many_start, many_length, many_entry = start[multi], length[multi], entry[multi]

    # Phrase matches of one category counted as the module docstring says; a one-word match
    # inside a counted phrase match of its category is not counted again.
    group_start, group_end, group_category, group_entry, group_length, absorbed = _merge(
        many_start, many_length, many_entry, entry_category[many_entry], n_entries)
    nested += absorbed
    one_category = entry_category[one_entry]
    if len(group_start) and len(one_start):
        # Each token inside a run marked with the run's category (runs of one category do
        # not overlap), or with -2 where runs of two categories cover it; a one-word match
        # is inside a run of its category where its token has its category, and, for the
        # few tokens of two categories, where the run of its own category reaches it.
        cover = np.full(n_rows, -1, dtype=np.int16 if n_categories < 1 << 15 else np.int32)
        spans = [(group_start[group_length > k] + k, group_category[group_length > k])
                 for k in range(int(group_length.max()))]
        for rows, kind in spans:
            cover[rows] = kind
        for rows, kind in spans:
            cover[rows[cover[rows] != kind]] = -2
        mark = cover[one_start]
        inside = mark == one_category
        maybe = np.flatnonzero(mark == -2)
        group_key = group_category.astype(np.int64) * n_rows + group_start
        at = np.searchsorted(group_key, one_category[maybe].astype(np.int64) * n_rows
                             + one_start[maybe], side="right") - 1
        inside[maybe] = (at >= 0) & (group_category[np.maximum(at, 0)] == one_category[maybe]) \
            & (one_start[maybe] < group_end[np.maximum(at, 0)])
        del cover, spans, mark
        nested += np.bincount(one_entry[inside], minlength=n_entries)
        kept = ~inside
    else:
        kept = np.ones(len(one_start), dtype=bool)
    # The one-word matches kept written straight into the arrays of all matches, then the
    # phrases' runs after them: the matches are held once.
    n_one = int(kept.sum())
    size = n_one + len(group_start)
    start, category, entry = (np.empty(size, dtype=t) for t in (one_start.dtype, np.int32,
                                                                 one_entry.dtype))
    for out, one, runs in ((start, one_start, group_start),
                           (category, one_category, group_category),
                           (entry, one_entry, group_entry)):
        np.compress(kept, one, out=out[:n_one])
        out[n_one:] = runs
    del one_start, one_category, one_entry
    length = np.ones(size, dtype=np.int8)
    length[n_one:] = group_length
    return start, category, entry, length


def _term_classes(pieces: list, entry_category: np.ndarray, n_terms: int
                  ) -> tuple[np.ndarray, list[np.ndarray]]:
    """The one-word entries as classes of terms: terms matched by the one-word entries of
    the same categories share a class. Returns each term's class (0: no one-word entry
    matches it) and the categories of each class (sorted; none for class 0).

    Examples
    --------
    >>> pieces = [[np.array([0, 2])], [np.array([2])], [np.array([1]), np.array([2])]]
    >>> term_class, cats = _term_classes(pieces, np.array([0, 1, 1]), 3)
    >>> term_class.tolist(), [c.tolist() for c in cats]
    ([1, 0, 2], [[], [0], [0, 1]])
    """
    single = [i for i, p in enumerate(pieces) if len(p) == 1]
    term_class = np.zeros(n_terms, dtype=np.int32)
    classes: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    if not single:
        return term_class, classes
    n_cats = int(entry_category.max()) + 1
    pair = np.unique(np.concatenate([
        pieces[i][0].astype(np.int64) * n_cats + entry_category[i] for i in single]))
    term, category = np.divmod(pair, n_cats)
    terms, first = np.unique(term, return_index=True)
    bounds = np.append(first, len(term)).tolist()
    seen: dict[bytes, int] = {}
    for t, lo, hi in zip(terms.tolist(), bounds[:-1], bounds[1:], strict=True):
        members = category[lo:hi]
        key = members.tobytes()
        k = seen.get(key)
        if k is None:
            k = seen[key] = len(classes)
            classes.append(members)
        term_class[t] = k
    return term_class, classes


def _class_counts(c, surface_class: np.ndarray, sent_part: np.ndarray, n_classes: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of each class (but class 0) in each part: ``part, class, count`` of the cells
    that have tokens, in order of part, then class.

    One pass over the tokens, whole sentences of about :data:`CHUNK` tokens at a time,
    each token's cell its sentence's first cell plus its class. The parts must be numbered
    in text order, so that a slice of sentences spans a short range of parts, whose cells
    are counted in one table (by sorting where that range is wide).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> c = process(load_corpus()).columns
    >>> kind = np.zeros(len(c.surfaces), dtype=np.int32)
    >>> kind[c.surface_term == list(c.term_names).index("cpec")] = 1
    >>> part, cls, count = _class_counts(c, kind, c.sent_doc, 2)
    >>> part.tolist(), cls.tolist(), count.tolist()
    ([0, 1], [1, 1], [29, 1])
    """
    surface, sent_tokens, sentence = c.tok_surface, c.sent_tokens, c.tok_sentence
    sent_first = np.cumsum(sent_tokens, dtype=np.int64)  # one past each sentence's last
    parts, kinds, counts = [], [], []
    lo = s0 = 0
    while s0 < len(sent_tokens):
        s1 = max(int(np.searchsorted(sent_first, lo + CHUNK, side="right")), s0 + 1)
        hi = int(sent_first[s1 - 1])
        part = sent_part[s0:s1]
        first = int(part.min())
        span = int(part.max()) - first + 1
        base = (part - first).astype(np.int64) * n_classes
        key = base[sentence[lo:hi] - s0]
        key += surface_class[surface[lo:hi]]
        if span * n_classes <= 4 * CHUNK:
            per_cell = np.bincount(key, minlength=span * n_classes)
            cell = np.flatnonzero(per_cell)
            count = per_cell[cell]
        else:
            cell, count = np.unique(key, return_counts=True)
        row, kind = np.divmod(cell, n_classes)
        has = kind > 0
        parts.append(row[has] + first)
        kinds.append(kind[has])
        counts.append(count[has])
        lo, s0 = hi, s1
    if not parts:
        return (np.zeros(0, dtype=np.int64),) * 3
    return np.concatenate(parts), np.concatenate(kinds), np.concatenate(counts)


def _part_counts(processed: Processed, dictionary: Dictionary, sent_part: np.ndarray,
                 n_parts: int, *, level: int | None = None, nested_scope: str = "key"
                 ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The matches :func:`find` counts, as their number per category and part, without
    listing them: ``categories, cell, count`` with ``cell = category * n_parts + part``
    for the cells with matches, in order. ``sent_part`` is each sentence's part, the parts
    numbered in text order.

    The one-word entries' matches are counted as classes of terms (a token matches once in
    each category of its term's class), one pass over the tokens (:func:`_class_counts`).
    The phrases' runs (:func:`_merge`) are added, and the one-word matches the rules of the
    module drop are taken away: with ``nested_scope="key"`` those inside a run of their
    category (runs of one category do not overlap, so each is found once, walking the
    runs' tokens); with ``"dictionary"`` every one-word match of a token a phrase match
    covers, the phrase matches inside a longer one dropped before the runs are made.
    """
    categories, entry_category, pieces = _resolve(processed, dictionary, level)
    c = processed.columns
    n_cats = len(categories)
    n_rows = len(c.tok_surface) + 1
    row_type = np.int32 if n_rows <= 1 << 31 else np.int64
    surface, sentence = c.tok_surface, c.tok_sentence
    term_class, classes = _term_classes(pieces, entry_category, len(c.term_names))
    surface_class = term_class[c.surface_term]
    size = np.array([len(m) for m in classes])
    flat = np.concatenate(classes)
    first = np.cumsum(size) - size

    def one_word(cls, part, weight):  # the one-word matches of tokens of some classes
        if size.max() <= 1:  # each term in one category at most: a class is a category
            has = cls > 0
            return flat[cls[has] - 1] * n_parts + part[has], weight
        at, owner = ranges(first[cls], first[cls] + size[cls])
        return flat[at] * n_parts + part[owner], weight if np.ndim(weight) == 0 \
            else weight[owner]

    tally = []
    if len(classes) > 1:
        part, kind, count = _class_counts(c, surface_class, sent_part, len(classes))
        tally.append(one_word(kind, part, count))
    start, length, entry = _phrases(processed, pieces, row_type)
    if nested_scope == "dictionary" and len(start):
        # Every token a phrase match covers loses its one-word matches; a phrase match
        # inside a longer one (of any category) is dropped.
        covered = np.zeros(n_rows, dtype=bool)
        for k in range(int(length.max())):
            covered[start[length > k] + k] = True
        covered = np.flatnonzero(covered)
        tally.append(one_word(surface_class[surface[covered]],
                              sent_part[sentence[covered]], -1))
        del covered
        spans, span_of = np.unique(np.stack([start, -(start + length)]), axis=1,
                                   return_inverse=True)
        span_end = -spans[1]
        inside = np.zeros(len(span_end), dtype=bool)
        inside[1:] = np.maximum.accumulate(span_end)[:-1] >= span_end[1:]
        keep = ~inside[span_of.ravel()]
        start, length, entry = start[keep], length[keep], entry[keep]
    run_start, _, run_category, _, run_length, _ = _merge(
        start, length, entry, entry_category[entry], len(pieces))
    del start, length, entry
    tally.append((run_category.astype(np.int64) * n_parts
                  + sent_part[sentence[run_start]], 1))
    if nested_scope == "key" and len(run_start) and len(classes) > 1:
        # A run's tokens whose class holds the run's category: their one-word match of
        # that category is inside the run.
        member = np.repeat(np.arange(len(classes), dtype=np.int64), size) * n_cats + flat
        if len(classes) * n_cats <= MEMBER_CELLS:  # a table of every (class, category)
            table = np.zeros(len(classes) * n_cats, dtype=bool)
            table[member] = True
        for k in range(int(run_length.max())):
            has = run_length > k
            rows = run_start[has] + k
            key = surface_class[surface[rows]].astype(np.int64) * n_cats + run_category[has]
            if len(classes) * n_cats <= MEMBER_CELLS:
                inside = table[key]
            else:  # member is sorted: classes in order, their categories sorted
                at = np.minimum(np.searchsorted(member, key), len(member) - 1)
                inside = member[at] == key
            rows = rows[inside]
            tally.append((run_category[has][inside].astype(np.int64) * n_parts
                          + sent_part[sentence[rows]], -1))
    return categories, *_tally(tally, n_cats * n_parts)


def _tally(tally: list, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    """The sum of some counts per cell: ``tally`` holds ``(cells, weight)`` pairs, each
    weight a number or an array of one per cell. Returns the cells whose sum is not 0, in
    order, and their sums.

    Examples
    --------
    >>> _tally([(np.array([3, 1, 3]), 1), (np.array([1]), -1), (np.array([0, 3]),
    ...         np.array([5, 2]))], 4)
    (array([0, 3]), array([5, 4]))
    """
    if n_cells <= TALLY_CELLS:  # a table of every cell: no sort
        per_cell = np.zeros(n_cells, dtype=np.int64)
        for cells, weight in tally:
            if np.ndim(weight):
                per_cell += np.bincount(cells, weights=weight, minlength=n_cells
                                        ).astype(np.int64)
            else:
                per_cell += weight * np.bincount(cells, minlength=n_cells)
        cell = np.flatnonzero(per_cell)
        return cell, per_cell[cell]
    cells = np.concatenate([cells for cells, _ in tally])
    weights = np.concatenate([np.broadcast_to(np.asarray(weight, dtype=np.int64), len(cells))
                              for cells, weight in tally])
    cell, inverse = np.unique(cells, return_inverse=True)
    total = np.zeros(len(cell), dtype=np.int64)
    np.add.at(total, inverse.ravel(), weights)
    return cell[total != 0], total[total != 0]


def _merge(start, length, entry, category, n_entries):
    """The phrase matches each category counts (module docstring): in text order, a match is
    taken unless it overlaps one already taken of its category; of matches starting
    together the longest is taken, then the first entry. Returns the matches taken (start,
    end, category, entry, length), sorted by category and start, and per entry the matches
    not taken.

    Runs of matches that overlap one another are found at once (a running maximum of their
    ends); only a run of several matches is walked match by match.
    """
    n_rows = int((start + length).max(initial=0)) + 1
    longest = int(length.max(initial=0)) + 1
    radix = max(n_entries, 1)
    if (int(category.max(initial=0)) + 1) * n_rows * longest * radix < 1 << 63:
        # The order as one integer a match, sorted, then read back: no sort of indexes.
        key = category.astype(np.int64) * n_rows + start
        key = (key * longest + (longest - 1 - length)) * radix + entry
        key.sort()
        key, entry = np.divmod(key, radix)
        key, shorter = np.divmod(key, longest)
        category, start = np.divmod(key, n_rows)
        length = longest - 1 - shorter
    else:
        order = np.lexsort((entry, -length, start, category))
        start, entry, length, category = (a[order] for a in (start, entry, length, category))
    end = start + length
    offset = category.astype(np.int64) * (int(end.max(initial=0)) + 1)
    reach = np.maximum.accumulate(offset + end) if len(end) else end
    taken = np.ones(len(start), dtype=bool)
    taken[1:] = offset[1:] + start[1:] >= reach[:-1]  # the first match of each run
    firsts = np.flatnonzero(taken)
    sizes = np.diff(np.append(firsts, len(start)))
    for lo, size in zip(firsts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        last_end = end[lo]
        for i in range(lo + 1, lo + size):
            if start[i] >= last_end:
                taken[i] = True
                last_end = end[i]
    absorbed = np.bincount(entry[~taken], minlength=n_entries).astype(np.int64)
    return start[taken], end[taken], category[taken], entry[taken], length[taken], absorbed


def category_rows(processed: Processed, dictionary: Dictionary, category: str
                  ) -> tuple[list[int], list[int]]:
    """Token rows of the first and last token of each match of one category, in text order
    (the form :mod:`analysis.concordance` takes: ``kwic @CATEGORY``).

    ``category`` is a name at any level (``economy`` or ``economy.trade``).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> d = Dictionary.from_mapping({"roads": ["road*"], "cpec": ["cpec"]})
    >>> first, last = category_rows(process(load_corpus()), d, "roads")
    >>> len(first), first == last
    (7, True)
    """
    for level in range(1, dictionary.depth + 1):
        if category in dictionary.categories(level):
            break
    else:
        raise ValueError(f"@{category}: no such category in {dictionary.name} (categories: "
                         f"{', '.join(dictionary.categories()[:20])})")
    found = find(processed, dictionary, level=level)
    keep = found.category == found.categories.index(category)
    order = np.argsort(found.start[keep], kind="stable")
    return found.start[keep][order].tolist(), (found.end[keep][order] - 1).tolist()


#: Columns of :func:`match_table`.
MATCH_COLUMNS = ["row", "doc", "section", "voice", "paragraph", "sentence", "category", "form",
                 "match", "text"]


def match_table(processed: Processed, found: Matches, pick: np.ndarray | None = None
                ) -> pd.DataFrame:
    """One row per match, in text order, with where it is and the sentence it is in: the
    table the framing analyses (metaphor markers, named others, modals) read matches from.

    Parameters
    ----------
    processed : Processed
    found : Matches
        :func:`find` of the corpus.
    pick : ndarray of bool or int, optional
        The matches to keep (a mask or indices into ``found``); default all.

    Returns
    -------
    DataFrame
        ``row`` (the first token's row of :attr:`Processed.columns`), ``doc, section, voice,
        paragraph, sentence`` (its number in the document), ``category`` (its name),
        ``form`` (its tokens lower-cased, joined by spaces, as the audit counts them),
        ``match`` (as the text writes it) and ``text`` (the sentence, white space
        collapsed); ordered by ``row``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> d = Dictionary.from_mapping({"corridor": ["economic corridor"]})
    >>> table = match_table(processed, find(processed, d))
    >>> table[["doc", "sentence", "category", "match"]].head(1).values.tolist()
    [['songtao-article', 4, 'corridor', 'Economic Corridor']]
    """
    index = np.arange(len(found.start)) if pick is None else np.arange(len(found.start))[pick]
    index = index[np.argsort(found.start[index], kind="stable")]
    c = processed.columns
    start, end = found.start[index], found.end[index]
    sentence = c.tok_sentence[start]
    para = c.sent_para[sentence]
    doc = c.para_doc[para]
    matched, sentences = [], []
    # The matches are in text order: each document's text is read once, each sentence's
    # collapsed once.
    last_doc, text, collapsed = -1, "", {}
    for d, s, a, b, s_a, s_b in zip(
            doc.tolist(), sentence.tolist(), c.tok_start[start].tolist(),
            c.tok_end[end - 1].tolist(), c.sent_start[sentence].tolist(),
            c.sent_end[sentence].tolist(), strict=True):
        if d != last_doc:
            last_doc, text, collapsed = d, processed.texts[processed.doc_ids[d]], {}
        matched.append(text[a:b])
        if s not in collapsed:
            collapsed[s] = " ".join(text[s_a:s_b].split())
        sentences.append(collapsed[s])
    names = np.array(found.categories + [""], dtype=object)
    return pd.DataFrame({
        "row": start.astype(np.int64), "doc": processed.doc_ids[doc],
        "section": c.names[c.para_section[para]], "voice": c.names[c.para_voice[para]],
        "paragraph": c.para_number[para].astype(np.int64),
        "sentence": c.sent_number[sentence].astype(np.int64),
        "category": names[found.category[index]],
        "form": match_forms(processed, start, found.length[index]), "match": matched,
        "text": sentences,
    }, columns=MATCH_COLUMNS)


def match_forms(processed: Processed, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The form of some matches (first token rows, lengths): their tokens, lower-cased,
    joined by spaces.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Document
    >>> from analysis.text.process import process
    >>> toy = process(Corpus((Document("a", "a.txt", "The Belt and Road."),)))
    >>> match_forms(toy, np.array([1, 0]), np.array([3, 1])).tolist()
    ['belt and road', 'the']
    """
    names = processed.columns.term_names
    codes = processed.columns.tok_term
    out = np.empty(len(start), dtype=object)
    single = length == 1
    out[single] = names[codes[start[single]]]
    for k in np.flatnonzero(~single).tolist():
        out[k] = " ".join(names[codes[int(start[k]):int(start[k]) + int(length[k])]].tolist())
    return out


def _form_counts(processed: Processed, found: Matches) -> pd.DataFrame:
    """``entry, category, form, count``: how often each entry matched each form, counted on
    the forms' term codes (one-word forms as their code, phrases as rows of codes), the
    strings made only for the distinct forms."""
    names = processed.columns.term_names
    codes = processed.columns.tok_term
    n_terms = len(names) + 1
    single = found.length == 1
    parts = []
    key, count = np.unique(found.entry[single].astype(np.int64) * n_terms
                           + codes[found.start[single]], return_counts=True)
    entry, code = np.divmod(key, n_terms)
    parts.append(pd.DataFrame({"entry": entry, "form": names[code], "count": count}))
    many = np.flatnonzero(~single)
    if len(many):
        size = int(found.length[many].max())
        grid = np.full((len(many), size + 1), -1, dtype=np.int64)
        grid[:, 0] = found.entry[many]
        for k in range(size):
            has = found.length[many] > k
            grid[has, k + 1] = codes[found.start[many][has] + k]
        rows, count = np.unique(grid, axis=0, return_counts=True)
        parts.append(pd.DataFrame({
            "entry": rows[:, 0],
            "form": [" ".join(names[r[r >= 0]].tolist()) for r in rows[:, 1:]],
            "count": count}))
    table = pd.concat(parts, ignore_index=True)
    table["category"] = found.entry_category[table["entry"].to_numpy()]
    return table.groupby(["entry", "category", "form"], as_index=False)["count"].sum()


@constrained(level=[Interval(1), None], nested_scope=OneOf(*NESTED_SCOPES))
@shared_docs
def lookup(processed: Processed, dictionary: Dictionary, *, by: str = "doc", where=None,
           level: int | None = None, nested_scope: str = "key") -> pd.DataFrame:
    """Matches of each category of a dictionary in the corpus or in each group, with their
    rate, its uncertainty and their spread.

    ``per_1000 = matches / words * 1000`` with ``words`` the group's word tokens; ``low`` and
    ``high`` are the exact 95 % Poisson interval of that rate (Garwood 1936, as
    :func:`analysis.intervals.poisson_interval`). ``documents`` counts the documents of the
    group with at least one match (``range``, the parts with one, is the same number: a part
    is one document's share of the group); ``range`` and ``dp`` are those of
    :func:`analysis.frequency.frequency` over the group's parts (its documents, or each
    document's share of a section or voice), with the category's matches as the term's
    occurrences: ``dp = 0.5 * sum_i |v_i - s_i| / (1 - min_i s_i)`` (Gries 2008, p. 415;
    Lijffijt & Gries 2012, p. 148), empty for a group of one part.

    Parameters
    ----------
    {processed}
    dictionary : Dictionary
        From :func:`analysis.dictionaries.read_dictionary`.
    {by}
    {where}
    level : int, optional
        Count at this level of a nested dictionary (1 = top level); all levels by default.
    nested_scope : {"key", "dictionary"}, default "key"
        See the module docstring.

    Returns
    -------
    DataFrame
        Group columns, then ``category, matches, words, per_1000, low, high, documents,
        range, dp``: a row per group and category (categories without a match too), groups
        in their order, categories in the dictionary's.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> d = Dictionary.from_mapping({"corridor": ["cpec", "economic corridor"]})
    >>> table = lookup(process(load_corpus()), d, by="voice")
    >>> table[["voice", "matches", "documents"]].to_dict("records")[1]
    {'voice': 'Song Tao', 'matches': 25, 'documents': 1}
    """
    from analysis.intervals import poisson_interval

    processed = units.prepare(processed, by, where)
    c = processed.columns
    para_group, groups = units.paragraph_codes(processed, by)
    n_groups = len(groups)
    # A part is a group's share of one document (as in frequency()), numbered in text
    # order (by document, then group).
    para_part = c.para_doc.astype(np.int64) * max(n_groups, 1) + para_group
    parts, para_part_code = np.unique(para_part, return_inverse=True)
    para_part_code = para_part_code.ravel()
    part_words = np.bincount(para_part_code, weights=c.para_words, minlength=len(parts))
    part_group = parts % max(n_groups, 1)
    group_words = np.bincount(part_group, weights=part_words, minlength=n_groups)
    part_share = part_words / np.where(group_words > 0, group_words, 1)[part_group]
    n_parts = np.bincount(part_group, minlength=n_groups)
    min_share = np.ones(n_groups)
    np.minimum.at(min_share, part_group, part_share)

    # Matches per (category, part), then per (category, group); parts without a match add
    # their share to DP's sum: sum_i |v_i - s_i| = sum_{f_i > 0} (|v_i - s_i| - s_i) + 1.
    categories, pair, pair_count = _part_counts(
        processed, dictionary, para_part_code[c.sent_para], len(parts), level=level,
        nested_scope=nested_scope)
    n_cats = len(categories)
    pair_cat, pair_part = np.divmod(pair, max(len(parts), 1))
    cell_of_pair = pair_cat * n_groups + part_group[pair_part]
    n_cells = n_cats * n_groups
    matches = np.bincount(cell_of_pair, weights=pair_count, minlength=n_cells)
    spread = np.bincount(cell_of_pair, minlength=n_cells)
    share = part_share[pair_part]
    off = np.abs(pair_count / matches[cell_of_pair] - share) - share
    dp_raw = 0.5 * (np.bincount(cell_of_pair, weights=off, minlength=n_cells) + 1)
    cell_group = np.tile(np.arange(n_groups), n_cats)
    with np.errstate(divide="ignore", invalid="ignore"):
        dp = np.where((n_parts[cell_group] > 1) & (matches > 0),
                      dp_raw / (1 - min_share[cell_group]), np.nan)
    # Rows: groups in order, categories in the dictionary's order within each.
    order = np.lexsort((np.repeat(np.arange(n_cats), n_groups), cell_group))
    table = pd.DataFrame({
        "group": cell_group[order],
        "category": np.repeat(np.array(categories, dtype=object), n_groups)[order],
        "matches": matches[order].astype(np.int64),
        "words": group_words[cell_group[order]].astype(np.int64),
        "range": spread[order].astype(np.int64),
        "dp": dp[order]})
    table["documents"] = table["range"]  # a part is one document's share of a group
    low, high = poisson_interval(table["matches"], table["words"])
    with np.errstate(divide="ignore", invalid="ignore"):
        table["per_1000"] = np.round(np.where(table["words"] > 0,
                                              table["matches"] / table["words"] * 1000, 0.0), 3)
    table["low"], table["high"] = np.round(low, 3), np.round(high, 3)
    table["dp"] = np.round(table["dp"].astype(float), 4) + 0.0
    keys = units.group_columns(by)
    out = units.group_table(groups).iloc[table["group"]].reset_index(drop=True) if keys \
        else pd.DataFrame(index=range(len(table)))
    for column in COLUMNS:
        out[column] = table[column].to_numpy()
    return out[keys + COLUMNS]


@constrained(level=[Interval(1), None], nested_scope=OneOf(*NESTED_SCOPES),
             top=[Interval(1, MAX_ROWS), None])
def audit(processed: Processed, dictionary: Dictionary, *, where=None,
          level: int | None = None, nested_scope: str = "key",
          top: int | None = None) -> pd.DataFrame:
    """What each entry of a dictionary matched: its word forms and their counts.

    A category that is one word in disguise shows it in ``top3_share``: the share of the
    category's matches carried by its three most frequent forms (1.0 for a category matched by
    three forms or fewer). An entry that matched nothing has ``matches`` and ``nested`` 0 and
    no forms: a typo, a form the corpus does not use, or a phrase its tokenizer splits
    differently.

    Parameters
    ----------
    processed, dictionary, where, level, nested_scope
        As for :func:`lookup`.
    top : int, optional
        Keep the first ``top`` entries of each category (those with most matches), so that
        a report shows every category's strongest entries; all entries by default.

    Returns
    -------
    DataFrame
        ``category, entry, line, source, matches, nested, forms, category_matches,
        top3_share``: a row per entry, in the dictionary's order of categories, then by
        matches (most first) and entry. ``matches``: matches counted for the category that
        this entry made; ``nested``: its matches not counted because they overlap a counted
        match of the same category (inside a longer one, or across one); ``forms``:
        ``form (count)`` pairs, most frequent first, ties by form.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> d = Dictionary.from_mapping({"corridor": ["cpec", "corridor*", "economic corridor",
    ...                                           "hyperloop"]})
    >>> table = audit(process(load_corpus()), d)
    >>> table[["entry", "matches", "nested", "forms"]].to_dict("records")[1]
    {'entry': 'economic corridor', 'matches': 1, 'nested': 0, 'forms': 'economic corridor (1)'}
    >>> table.loc[3, ["entry", "matches", "forms"]].to_dict()
    {'entry': 'hyperloop', 'matches': 0, 'forms': ''}
    """
    processed = units.select(processed, where)
    found = find(processed, dictionary, level=level, nested_scope=nested_scope)
    per_form = _form_counts(processed, found)
    per_form = per_form.sort_values(["entry", "count", "form"], ascending=[True, False, True])
    listed = per_form.groupby("entry").apply(
        lambda t: "; ".join(f"{f} ({n})" for f, n in zip(t["form"], t["count"], strict=True)),
        include_groups=False)
    category_forms = per_form.groupby(["category", "form"])["count"].sum()
    category_total = np.bincount(found.category, minlength=len(found.categories))
    top3 = {k: v.sort_values(ascending=False).iloc[:3].sum() for k, v in
            category_forms.groupby(level=0)}
    made = np.bincount(found.entry, minlength=len(dictionary.entries))
    rows = []
    for i, e in enumerate(dictionary.entries):
        k = int(found.entry_category[i])
        total = int(category_total[k])
        rows.append({"category": found.categories[k], "entry": e.pattern, "line": e.line,
                     "source": e.source, "matches": int(made[i]),
                     "nested": int(found.nested[i]), "forms": listed.get(i, ""),
                     "category_matches": total,
                     "top3_share": round(top3.get(k, 0) / total, 4) if total else np.nan,
                     "_k": k})
    table = pd.DataFrame(rows)
    table = table.sort_values(["_k", "matches", "entry"], ascending=[True, False, True],
                              kind="stable")
    if top is not None:
        table = table.groupby("_k", sort=False).head(top)
    return table.drop(columns="_k").reset_index(drop=True)


@constrained(n=Interval(1, MAX_SAMPLE), seed=Interval(0),
             level=[Interval(1), None], nested_scope=OneOf(*NESTED_SCOPES))
def sample(processed: Processed, dictionary: Dictionary, n: int, *, seed: int = 0,
           by: str = "doc", where=None, level: int | None = None,
           nested_scope: str = "key") -> pd.DataFrame:
    """A random sample of matched sentences per category, for a coder to judge.

    Each category's matches are drawn without replacement (``numpy.random.default_rng(seed)``,
    categories in the dictionary's order), so the same seed gives the same sample. The coder
    fills ``correct`` with yes or no (1 or 0) and :func:`analysis.dictionaries.validation.
    precision` reports the precision of each category.

    Returns
    -------
    DataFrame
        ``category, doc, [group,] sentence, form, left, match, right, correct``: ``left``,
        ``match`` and ``right`` are the sentence cut at the match; ``correct`` is empty. In
        the categories' order, then corpus order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> d = Dictionary.from_mapping({"roads": ["road*"]})
    >>> s = sample(process(load_corpus()), d, 3, seed=1, by="corpus")
    >>> len(s), s.columns.tolist()[:4], set(s["correct"])
    (3, ['category', 'doc', 'sentence', 'form'], {''})
    """
    processed = units.prepare(processed, by, where)
    found = find(processed, dictionary, level=level, nested_scope=nested_scope)
    rng = np.random.default_rng(seed)
    chosen = []
    for k in range(len(found.categories)):
        rows = np.flatnonzero(found.category == k)
        if len(rows) > n:
            rows = rng.choice(rows, size=n, replace=False)
        chosen.append(rows[np.argsort(found.start[rows], kind="stable")])
    pick = np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)
    c = processed.columns
    start, end = found.start[pick], found.end[pick]
    sentence = c.tok_sentence[start]
    doc = c.doc_of(start)
    forms = match_forms(processed, found.start[pick], found.length[pick])
    out = pd.DataFrame({"category": [found.categories[k] for k in found.category[pick]],
                        "doc": processed.doc_ids[doc]})
    keys = [k for k in units.group_columns(by) if k != "doc"]
    if keys:
        para_group, groups = units.paragraph_codes(processed, by)
        labels = units.group_table(groups).iloc[para_group[c.para_of(start)]]
        for key in keys:
            out[key] = labels[key].to_numpy()
    out["sentence"] = c.sent_number[sentence].astype(np.int64)
    out["form"] = forms
    lefts, middles, rights = [], [], []
    tok_start, tok_end = c.tok_start, c.tok_end
    for d, s, a, b in zip(doc.tolist(), sentence.tolist(), start.tolist(), end.tolist(),
                          strict=True):
        text = processed.texts[processed.doc_ids[d]]
        lo, hi = int(c.sent_start[s]), int(c.sent_end[s])
        m0, m1 = int(tok_start[a]), int(tok_end[b - 1])
        lefts.append(" ".join(text[lo:m0].split()))
        middles.append(" ".join(text[m0:m1].split()))
        rights.append(" ".join(text[m1:hi].split()))
    out["left"], out["match"], out["right"] = lefts, middles, rights
    out["correct"] = ""
    return out


def unit_counts(processed: Processed, spec: str | None = None, *, dictionary: Dictionary,
                exclude: str | None = None, level: int | None = None,
                nested_scope: str = "key") -> tuple[pd.Series, int]:
    """Matches of every category in one unit, and the unit's words: the dictionary's
    counterpart of :func:`analysis.frequency.unit_counts`, for keyness between groups.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> d = Dictionary.from_mapping({"corridor": ["cpec"], "roads": ["road*"]})
    >>> counts, words = unit_counts(process(load_corpus()), "songtao-article", dictionary=d)
    >>> counts.to_dict(), words
    ({'corridor': 29, 'roads': 7}, 1346)
    """
    found = find(processed, dictionary, level=level, nested_scope=nested_scope)
    c = processed.columns
    in_unit = units.unit_paragraphs(processed, spec, exclude)
    inside = in_unit[c.para_of(found.start)]
    counts = np.bincount(found.category[inside], minlength=len(found.categories))
    series = pd.Series(counts.astype(int), index=pd.Index(found.categories, dtype=object),
                       name="count").rename_axis("term")
    return series, int(c.para_words[in_unit].sum())
