"""Concordance (KWIC), lexical dispersion and dispersion measures.

A *query* finds spans of tokens (:func:`match`); the concordance shows each span with its
context, the dispersion plot shows where the spans fall in each document.

Queries (case-insensitive):

- a word or phrase, tokenized like the texts (``road``, ``China's``, ``shared future``). If it
  is one of the curated multiword expressions (``analysis/lexicons/mwe.csv``), a variant of one
  or the label of one, every variant of that expression matches too: ``belt and road``
  finds ``Belt & Road`` and the ``Belt and Road`` inside ``Belt and Road Initiative``; ``CPEC``
  finds ``China Pakistan Economic Corridor``. Matching runs over the plain tokens, so ``road``
  finds the ``Road`` inside ``Belt and Road`` as well;
- a glob (any query with ``*`` or ``?``): ``road*``, ``part*``, ``shared *``; each
  space-separated piece matches one token (:func:`fnmatch.fnmatchcase` on the lower-cased
  term);
- a regular expression, written between slashes (``/part(y|ies)/``) or with
  ``kind="regex"``: each space-separated piece must match one whole token (``re.fullmatch``,
  case-insensitive);
- a CQL query over the token layers, as CWB and Sketch Engine write them (any query starting
  with ``[``): ``[lemma="road"] [word="of|to|for"] [upos="NOUN|PROPN"]``, ``[]``, ``{n,m}``,
  ``!=``, ``&`` (:mod:`analysis.cql`: the subset and what each part means). Unlike the
  others, its values are case-sensitive (``%c`` ignores case), as in CQP.

A match never crosses a sentence boundary. Contexts may (as in AntConc), but never leave the
document.
"""

from __future__ import annotations

import fnmatch
import re
import time
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import cql, engines, index, units
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.compounds import CONCATENATOR
from analysis.text.process import Processed
from analysis.text.segment import token_spans
from analysis.text.terms import multiword_expressions


def _query_tokens(text: str) -> list[str]:
    """Lower-cased tokens of a query, as the texts are tokenized (``token_spans``, not
    ``analysis.text.segment.tokenize``, which imports NLTK: kwic must start fast)."""
    return token_spans(text)[3]

__all__ = ["KINDS", "MAX_WINDOW", "SORTS", "concordances", "dispersion", "dispersion_measures",
           "kwic", "match", "match_lines", "query_kind"]

KINDS = ("auto", "word", "glob", "regex", "cql")
SORTS = ("position", "left", "right", "keyword")
#: Most words of context on each side of a keyword.
MAX_WINDOW = 100
MATCH_COLUMNS = ["doc", "section", "voice", "sentence", "first", "last", "start", "end",
                 "doc_index"]


def query_kind(query: str, kind: str = "auto") -> tuple[str, str]:
    """Decide how a query is read: ``(kind, pattern)`` with kind word, glob, regex or cql.

    Examples
    --------
    >>> query_kind("belt and road"), query_kind("develop*"), query_kind("/roads?/")
    (('word', 'belt and road'), ('glob', 'develop*'), ('regex', 'roads?'))
    >>> query_kind('[lemma="road"] [upos="NOUN"]')
    ('cql', '[lemma="road"] [upos="NOUN"]')
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    query = query.strip()
    if not query:
        raise ValueError("the search term is empty")
    if kind != "auto":
        return kind, query
    if cql.is_cql(query):
        return "cql", query
    if len(query) > 2 and query.startswith("/") and query.endswith("/"):
        return "regex", query[1:-1]
    if "*" in query or "?" in query:
        return "glob", query
    return "word", query


def _phrases(query: str) -> list[tuple[str, ...]]:
    """Token tuples a word/phrase query matches: itself, its tokens joined as a compound
    (``united nations`` and ``united_nations`` find ``united_nations``), and, for an MWE,
    all its variants."""
    tokens = tuple(_query_tokens(query))
    if not tokens:
        raise ValueError(f"the search term {query!r} has no word in it")
    table = multiword_expressions()
    labels = {tuple(_query_tokens(label)): label for label in set(table.values())}
    label = table.get(tokens) or labels.get(tokens)
    phrases = {tokens}
    if len(tokens) > 1:  # a phrase joined into one term (analysis.text.compounds)
        phrases.add((CONCATENATOR.join(tokens),))
    if label is not None:
        phrases.add(tuple(_query_tokens(label)))
        phrases.update(k for k, v in table.items() if v == label)
    return sorted(phrases, key=lambda p: (-len(p), p))


#: Seconds a regular-expression query may take over all the terms of a corpus. A pattern
#: such as ``(a+)+$`` backtracks exponentially on a long run of ``a``; the ``regex`` module
#: (not :mod:`re`) can stop it.
REGEX_SECONDS = 2.0
#: Longest pattern, and largest counted repetition (``{n}``), a query may have.
REGEX_LENGTH = 200
REGEX_REPEAT = 100


def _piece_tests(kind: str, pattern: str):
    pieces = pattern.lower().split()
    if kind == "glob":
        return [lambda term, p=p: fnmatch.fnmatchcase(term, p) for p in pieces]
    import regex

    # Compiling is not under the time limit: a pattern such as (?:a{10000}){10000} would fill
    # the memory before matching starts. Queries are words, so bound the pattern's size and
    # its counted repetitions.
    if len(pattern) > REGEX_LENGTH or any(int(n) > REGEX_REPEAT
                                          for n in re.findall(r"\{\s*(\d+)", pattern)):
        raise ValueError(f"regular expression {pattern[:40]!r}: at most {REGEX_LENGTH} "
                         f"characters and counted repetitions up to {{{REGEX_REPEAT}}}")
    try:
        compiled = [regex.compile(p, regex.IGNORECASE | regex.VERSION0) for p in pattern.split()]
    except (regex.error, ValueError) as err:
        raise ValueError(f"bad regular expression {pattern!r}: {err}") from None
    deadline = time.monotonic() + REGEX_SECONDS

    def test(term: str, r) -> bool:
        try:
            return r.fullmatch(term, timeout=max(deadline - time.monotonic(), 0.001)) is not None
        except TimeoutError:
            raise ValueError(f"regular expression {pattern!r} took longer than "
                             f"{REGEX_SECONDS:g} s over the corpus's terms (nested repetition "
                             "such as (a+)+ backtracks without end); simplify it") from None

    return [lambda term, r=r: test(term, r) for r in compiled]


@lru_cache(maxsize=2)
def _token_arrays(processed: Processed) -> dict:
    """Arrays over the tokens (:attr:`Processed.columns`) that every search uses, computed
    once per corpus.

    ``code``: the term's index in ``terms`` (a query is compared as integers, not strings);
    ``group``: the sentence of each row (a match stays inside one); ``is_word``;
    ``word_rows``: rows of word tokens, to find a context of N words without walking token
    by token.
    """
    c = processed.columns
    is_word = c.tok_is_word
    return {
        "n": len(is_word),
        "code": c.tok_term,
        "terms": pd.Index(c.term_names, dtype=object),
        "group": c.tok_sentence,
        "is_word": is_word,
        "word_rows": c.word_rows,
    }


def _doc_bounds(processed: Processed, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First row and one past the last row of the document of each of some token rows."""
    c = processed.columns
    doc = c.sent_doc[c.sentence_of(rows)]
    lo = c.doc_first[doc]
    return lo, lo + c.doc_tokens[doc]


def _labels(processed: Processed, rows: np.ndarray) -> dict[str, np.ndarray]:
    """``doc, section, voice, sentence, position`` (the token table's) of some token rows."""
    c = processed.columns
    sentence = c.sentence_of(rows)
    para = c.sent_para[sentence]
    doc = c.para_doc[para]
    return {"doc": processed.doc_ids[doc],
            "section": c.names[c.para_section[para]],
            "voice": c.names[c.para_voice[para]],
            "sentence": c.sent_number[sentence].astype(np.int64),
            "position": rows.astype(np.int64) - c.doc_first[doc]}


def _context_pieces(processed: Processed, firsts: np.ndarray, lasts: np.ndarray,
                    lo: np.ndarray, hi: np.ndarray, window: int, sort: str) -> dict:
    """The piece :func:`_kwic_lines` cuts the lines from, made of the tokens around each
    match only: for each match a span of its document's rows from ``window`` words before it
    to ``window`` words after it (or the document's edge), its rows renumbered one span
    after the other. A span that holds its ``window`` words on each side (or reaches its
    document's edge) gives the line the whole document gives. Token ends come from one
    running sum of the gaps and lengths, their words and terms from the token ids."""
    from analysis.text.process import ranges

    c = processed.columns
    term_is_word = c.term_is_word[c.surface_term]
    # The matches' documents' rows base:top; where they are a small part of the corpus and
    # the tokens are not in memory, only those rows are read from the cache (the first
    # lines of a frequent word's concordance need not read every token).
    base, top = (int(lo.min()), int(hi.max())) if len(lo) else (0, 0)
    n_tokens = int(c.doc_first[-1] + c.doc_tokens[-1]) if c.n_docs else 0
    ranged = "tok_surface" not in c.__dict__ and 4 * (top - base) < n_tokens
    if ranged:
        surface = c.token_slice("tok_surface", base, top)
    else:
        surface, base, top = c.tok_surface, 0, n_tokens
    reach = 2 * window + 8  # tokens each side: the words and a few non-words among them
    left, right = np.maximum(lo, firsts - reach), np.minimum(hi, lasts + 1 + reach)
    while True:
        rows, owner = ranges(left, right)
        is_word = term_is_word[surface[rows - base]]
        counted = np.concatenate(([0], np.cumsum(is_word, dtype=np.int64)))
        span_start = np.cumsum(right - left) - (right - left)
        at_first = span_start + firsts - left
        at_last = span_start + lasts - left
        words_before = counted[at_first] - counted[span_start]
        words_after = counted[span_start + right - left] - counted[at_last + 1]
        short_left = (words_before < window) & (left > lo)
        short_right = (words_after < window) & (right < hi)
        if not (short_left.any() or short_right.any()):
            break
        reach *= 4
        left = np.where(short_left, np.maximum(lo, firsts - reach), left)
        right = np.where(short_right, np.minimum(hi, lasts + 1 + reach), right)
    if "tok_end" in c.__dict__:
        ends = c.tok_end[rows]
    elif ranged:  # a running sum over the rows of the matches' documents only
        lengths = c.token_slice("tok_length", base, top)
        steps = c.token_slice("tok_gap", base, top).astype(np.int64)
        steps += lengths
        np.cumsum(steps, out=steps)
        first_row = lo[owner] - base
        ends = steps[rows - base] - np.where(first_row > 0,
                                             steps[np.maximum(first_row - 1, 0)], 0)
    else:  # each token's end in its document: a running sum over the corpus, less its
        # document's start
        steps = c.tok_gap.astype(np.int64)
        steps += c.tok_length
        np.cumsum(steps, out=steps)
        first_row = c.doc_first[c.sent_doc[c.sentence_of(rows)]]
        ends = steps[rows] - np.where(first_row > 0, steps[np.maximum(first_row - 1, 0)], 0)
    if not ranged:
        length = c.tok_length[rows]
    else:
        if "tok_end" in c.__dict__:
            lengths = c.token_slice("tok_length", base, top)
        length = lengths[rows - base]
    code = c.surface_term[surface[rows - base]] if sort != "position" else None
    return {"is_word": is_word, "length": length, "end": ends, "code": code,
            "lo": span_start, "hi": span_start + right - left, "first": at_first,
            "last": at_last}


def _match_rows(processed: Processed, query: str, kind: str = "auto", dictionary=None
                ) -> tuple[list, list]:
    """Rows (into ``processed.tokens``) of the first and last token of every match; with a
    dictionary, ``@CATEGORY`` is the matches of that category."""
    if dictionary is not None and query.startswith("@"):
        from analysis.dictionaries.lookup import category_rows

        return category_rows(processed, dictionary, query[1:])
    kind, pattern = query_kind(query, kind)
    if kind == "cql":
        return cql.match_rows(processed, pattern)
    if index.has_positions(processed.columns):
        found = _indexed_rows(processed, kind, pattern)
        if found is not None:
            return _without_overlaps(*found)
    arrays = _token_arrays(processed)
    n, code, group = arrays["n"], arrays["code"], arrays["group"]
    if kind == "word":
        # Each phrase is tested at every row at once (integer codes); at a row where several
        # variants match, the longest wins (phrases come longest first).
        last = np.full(n, -1)
        phrases = _phrases(pattern)
        compound = CONCATENATOR.join(_query_tokens(pattern))
        if CONCATENATOR in pattern and compound in arrays["terms"]:
            phrases = [(compound,)]  # united_nations: the joined term only, where it exists
        for phrase in phrases:
            size = len(phrase)
            wanted = arrays["terms"].get_indexer(list(phrase))
            if n < size or (wanted < 0).any():
                continue
            rows = n - size + 1
            hit = group[:rows] == group[size - 1:]
            for k, c in enumerate(wanted):
                hit &= code[k:k + rows] == c
            hit &= last[:rows] < 0
            at = np.flatnonzero(hit)
            last[at] = at + size - 1
        firsts = np.flatnonzero(last >= 0)
        lasts = last[firsts]
    else:
        tests = _piece_tests(kind, pattern)
        size = len(tests)
        if size == 0:
            raise ValueError(f"the search term {query!r} has no word in it")
        if n < size:
            return [], []
        rows = n - size + 1
        hit = group[:rows] == group[size - 1:]
        terms = arrays["terms"].tolist()
        for k, test in enumerate(tests):  # each test once per distinct term
            ok = np.fromiter((test(t) for t in terms), dtype=bool, count=len(terms))
            hit &= ok[code[k:k + rows]]
        firsts = np.flatnonzero(hit)
        lasts = firsts + size - 1
    return _without_overlaps(firsts, lasts)


#: A glob or regular expression whose first piece matches more terms than this is searched
#: token by token rather than term by term in the index.
INDEX_TERMS = 2_000


def _indexed_rows(processed: Processed, kind: str, pattern: str
                  ) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_match_rows` of a word, phrase, glob or regular expression from the index:
    the positions of the terms a match can start with (:func:`analysis.index.positions`),
    narrowed by the token ids after them; the same matches, ``(firsts, lasts)`` sorted, or
    None where a query's first piece matches too many terms to read them one by one."""
    c = processed.columns
    terms = pd.Index(c.term_names, dtype=object)
    n = len(c.tok_surface) if "tok_surface" in c.__dict__ else \
        int(c.sent_tokens.sum(dtype=np.int64))
    def code_at(rows: np.ndarray) -> np.ndarray:
        return c.surface_term[c.tok_surface[rows]]

    def starting(codes, size: int) -> np.ndarray:
        """The rows of the terms ``codes`` with ``size`` tokens of their sentence left."""
        found = [index.positions(c, int(code)) for code in codes]
        rows = np.sort(np.concatenate(found)) if len(found) > 1 else \
            found[0] if found else np.zeros(0, dtype=np.int64)
        rows = rows[rows <= n - size]
        return rows[c.sentence_of(rows) == c.sentence_of(rows + size - 1)] if size > 1 \
            else rows

    if kind == "word":
        phrases = _phrases(pattern)
        compound = CONCATENATOR.join(_query_tokens(pattern))
        if CONCATENATOR in pattern and compound in terms:
            phrases = [(compound,)]
        firsts, lasts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        for phrase in phrases:  # longest first: a row another phrase took starts no other
            size = len(phrase)
            wanted = terms.get_indexer(list(phrase))
            if n < size or (wanted < 0).any():
                continue
            rows = starting(wanted[:1], size)
            for k, code in enumerate(wanted[1:].tolist(), start=1):
                rows = rows[code_at(rows + k) == code]
            rows = rows[~np.isin(rows, np.concatenate(firsts))]
            firsts.append(rows)
            lasts.append(rows + size - 1)
        first, last = np.concatenate(firsts), np.concatenate(lasts)
        order = np.argsort(first, kind="stable")
        return first[order], last[order]
    tests = _piece_tests(kind, pattern)
    size = len(tests)
    if size == 0:
        raise ValueError(f"the search term {pattern!r} has no word in it")
    names = terms.tolist()
    ok = [np.fromiter((test(t) for t in names), dtype=bool, count=len(names))
          for test in tests]
    codes = np.flatnonzero(ok[0])
    if len(codes) > INDEX_TERMS:
        return None
    if n < size:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows = starting(codes, size)
    for k in range(1, size):
        rows = rows[ok[k][code_at(rows + k)]]
    return rows, rows + size - 1


def _without_overlaps(firsts: np.ndarray, lasts: np.ndarray) -> tuple[list, list]:
    """Matches sorted by their first row, less those that overlap an earlier one."""
    if not len(firsts) or np.all(firsts[1:] > lasts[:-1]):  # no match overlaps another
        return firsts.tolist(), lasts.tolist()
    kept_first, kept_last, last_end = [], [], -1
    for i, j in zip(firsts.tolist(), lasts.tolist(), strict=True):  # sorted; drop overlaps
        if i > last_end:
            kept_first.append(i)
            kept_last.append(j)
            last_end = j
    return kept_first, kept_last


@shared_docs
def match(processed: Processed, query: str, *, kind: str = "auto", dictionary=None
          ) -> pd.DataFrame:
    """Find every occurrence of a query (see module docstring for the query forms).

    Parameters
    ----------
    {processed}
    query : str
        A word, phrase, glob, ``/regex/`` or CQL query (module docstring).
    kind : {"auto", "word", "glob", "regex", "cql"}
        How to read the query; ``auto`` decides from its form.
    dictionary : Dictionary, optional
        With a dictionary (:mod:`analysis.dictionaries`), ``@CATEGORY`` finds the matches of
        that category, under the dictionary's rules.

    Returns
    -------
    DataFrame
        ``doc, section, voice, sentence, first, last, start, end, doc_index``: the positions of the
        first and last token of each match (token indexes of ``processed.tokens``' ``position``)
        and its character offsets into ``processed.texts[doc]``. Where matches overlap, the longest
        one starting first is kept. Rows in corpus order, then by position.

    Raises
    ------
    ValueError
        Empty query, a query without a word, a bad regular expression.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> len(match(p, "belt and road")), match(p, "belt and road").columns.tolist()[:4]
    (2, ['doc', 'section', 'voice', 'sentence'])
    """
    first, last = _match_rows(processed, query, kind, dictionary)
    c = processed.columns
    kept = bool(first)
    firsts, lasts = np.asarray(first, dtype=np.int64), np.asarray(last, dtype=np.int64)
    labels = _labels(processed, firsts)
    out = pd.DataFrame({
        "doc": labels["doc"] if kept else [],
        "section": labels["section"] if kept else [],
        "voice": labels["voice"] if kept else [],
        "doc_index": c.doc_of(firsts) if kept else [],
        "sentence": labels["sentence"] if kept else [],
        "first": labels["position"] if kept else [],
        "last": lasts - c.doc_first[c.doc_of(lasts)] if kept else [],
        "start": c.tok_start[firsts] if kept else [],
        "end": c.tok_end[lasts] if kept else [],
    })
    return out[MATCH_COLUMNS].astype({c: int for c in MATCH_COLUMNS[3:]})


def _squash(text: str) -> str:
    # The same as re.sub(r"\s+", " ", text).strip(): both take str.isspace()'s whitespace.
    return " ".join(text.split())


@constrained(window=Interval(0, MAX_WINDOW), sort=OneOf(*SORTS),
             n=[Interval(1, MAX_ROWS), None])
@shared_docs
def kwic(
    processed: Processed,
    query: str,
    window: int = 5,
    *,
    kind: str = "auto",
    sort: str = "position",
    where=None,
    dictionary=None,
    engine="local",
    n: int | None = None,
) -> pd.DataFrame:
    """Keyword in context: each match of a query with ``window`` words either side.

    Contexts are cut from the cleaned text (``processed.texts``) with the tokens' character
    offsets, so they keep punctuation; line breaks become spaces. ``window`` counts words
    (``'s`` and ``&`` ride along but are not counted); contexts stop at the document's edges.

    Parameters
    ----------
    {processed}
    query : str
        A word, phrase, glob or ``/regex/`` (see module docstring).
    window : int, default 5
        Words of context on each side.
    kind : {"auto", "word", "glob", "regex"}
        How to read the query.
    sort : {"position", "left", "right", "keyword"}
        ``position``: corpus order of documents, then position. ``left``: AntConc-style, by
        the first word to the left, then the second, ...; ``right``: by the first word to the
        right, then the second, ...; ``keyword``: by the matched words. Ties keep position
        order (a stable sort).
    {where}
    dictionary : Dictionary, optional
        With a dictionary, ``@CATEGORY`` shows the matches of that category in context.
    engine : {"local", "dask"} or Engine, default "local"
        Where the lines are cut (:mod:`analysis.engines`); the table is the same.
    n : int, optional
        Only the first ``n`` lines (in the order of ``sort``): the first rows of the whole
        table. In position order only their lines are cut, so the first lines of a word
        with a million matches cost what a rare word's do.

    Returns
    -------
    DataFrame
        ``doc, section, voice, sentence, position, left, keyword, right``; ``position`` is
        the token index of the match's first token in its document. ``attrs["matches"]``
        is the number of lines in all (more than the rows where ``n`` cut them).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> lines = kwic(p, "road", 3)
    >>> len(lines), lines.loc[0, ["left", "keyword", "right"]].tolist()
    (7, ['to high-quality Belt &', 'Road', 'cooperation and take'])
    >>> first = kwic(p, "road", 3, n=2)
    >>> len(first), first.attrs["matches"], first.equals(lines.head(2))
    (2, 7, True)
    """
    if window < 0:
        raise ValueError(f"window must be 0 or more, not {window}")
    processed = units.select(processed, where)
    first, last = _match_rows(processed, query, kind, dictionary)
    columns = ["doc", "section", "voice", "sentence", "position", "left", "keyword", "right"]
    c = processed.columns
    firsts, lasts = np.asarray(first, dtype=np.int64), np.asarray(last, dtype=np.int64)
    matches = len(firsts)
    if n is not None and sort == "position":  # the lines of the first matches alone
        firsts, lasts = firsts[:n], lasts[:n]
    lo, hi = _doc_bounds(processed, firsts)
    term = c.term_names if sort != "position" else None
    if engines.get(engine).partitions > 1 or not index.has_positions(c):
        arrays = _token_arrays(processed)
    # Map: the lines of the matches of partitions of documents (contexts never leave their
    # document); reduce: the lines in corpus order.
    run = engines.get(engine)
    if run.partitions == 1 and index.has_positions(c):  # the tokens around the matches
        pieces = [{**_labels(processed, firsts), "term": term, "texts": processed.texts,
                   **_context_pieces(processed, firsts, lasts, lo, hi, window, sort)}]
    elif run.partitions == 1:
        pieces = [{**_labels(processed, firsts),
                   **{key: arrays[key] for key in ("is_word", "word_rows")},
                   "length": c.tok_length, "end": c.tok_end,
                   "term": term, "code": arrays["code"] if sort != "position" else None,
                   "lo": lo, "hi": hi, "texts": processed.texts, "first": firsts,
                   "last": lasts}]
    else:  # only the documents with a match travel, their rows renumbered from 0
        pieces = []
        doc_index = c.tok_doc
        matched = np.zeros(len(processed.corpus), dtype=bool)
        matched[doc_index[firsts]] = True
        kept = np.flatnonzero(matched[doc_index])  # rows of whole documents
        cuts = engines.partitions(doc_index[kept], run.partitions)
        for part in engines.slices(doc_index[kept], cuts):
            rows = kept[part]
            if not len(rows):
                continue
            inside = slice(*np.searchsorted(firsts, [rows[0], rows[-1] + 1]).tolist())
            hits = firsts[inside]
            labels = _labels(processed, hits)
            pieces.append({
                **labels,
                "is_word": arrays["is_word"][rows], "length": c.tok_length[rows],
                "end": c.tok_end[rows], "term": term,
                "code": arrays["code"][rows] if sort != "position" else None,
                "lo": np.searchsorted(rows, lo[inside]),
                "hi": np.searchsorted(rows, hi[inside] - 1) + 1,
                "texts": {d: processed.texts[d] for d in dict.fromkeys(labels["doc"])},
                "first": np.searchsorted(rows, hits),
                "last": np.searchsorted(rows, lasts[inside])})
    rows, keys = run.map_reduce(_kwic_lines, pieces, _join_lines, window, sort)
    order = list(range(len(rows)))  # rows are already in corpus and position order
    if sort != "position":
        order.sort(key=lambda r: keys[r][sort])
    table = pd.DataFrame([rows[r] for r in order[:n]], columns=columns)
    table.attrs["matches"] = matches
    return table


def match_lines(processed: Processed, found: pd.DataFrame, window: int = 5) -> pd.DataFrame:
    """The concordance lines of some matches of :func:`match`, cut as :func:`kwic` cuts them.

    ``kwic`` is :func:`match` and then the lines of every match; this cuts the lines of the
    matches given only (a sample of a frequent word's thousands of matches), with the same
    text: a line here equals that match's line of ``kwic`` (same window, position order).

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`, the corpus ``found`` comes from.
    found : DataFrame
        Rows of :func:`match` (its ``doc_index``, ``first`` and ``last`` are read), in any
        order.
    window : int, default 5
        Words of context on each side.

    Returns
    -------
    DataFrame
        The columns of :func:`kwic`, a row per row of ``found``, in its order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> found = match(p, "road")
    >>> len(found), match_lines(p, found.iloc[[0, 6]], 3)["right"].tolist()
    (7, ['cooperation and take', 'for win-win progress'])
    """
    if window < 0:
        raise ValueError(f"window must be 0 or more, not {window}")
    columns = ["doc", "section", "voice", "sentence", "position", "left", "keyword", "right"]
    if not len(found):
        return pd.DataFrame(columns=columns)
    c = processed.columns
    doc = found["doc_index"].to_numpy(dtype=np.int64)
    firsts = c.doc_first[doc] + found["first"].to_numpy(dtype=np.int64)
    lasts = c.doc_first[doc] + found["last"].to_numpy(dtype=np.int64)
    arrays = _token_arrays(processed)
    lo, hi = _doc_bounds(processed, firsts)
    piece = {**_labels(processed, firsts), "is_word": arrays["is_word"],
             "word_rows": arrays["word_rows"], "length": c.tok_length, "end": c.tok_end,
             "term": None, "code": None, "lo": lo, "hi": hi, "texts": processed.texts,
             "first": firsts, "last": lasts}
    rows, _ = _kwic_lines(piece, window, "position")
    return pd.DataFrame(rows, columns=columns)


def _kwic_lines(part: dict, window: int, sort: str) -> tuple[list, list]:
    """Map step of :func:`kwic`: the lines (and sort keys) of the matches in a partition of
    whole documents.

    ``part`` holds, per token row of its documents (counted from 0), ``end``, ``length``,
    ``is_word`` (and, to sort, ``code`` into the term names ``term``); per match, its first
    and last row, its document's rows ``lo`` to ``hi`` and its ``doc, section, voice,
    sentence, position``; the texts.
    """
    ends, lengths, is_word = part["end"], part["length"], part["is_word"]
    terms, codes = part["term"], part["code"]  # term names and each row's code (to sort)
    word_rows = part.get("word_rows")
    if word_rows is None:
        word_rows = np.flatnonzero(is_word)
    first, last = np.asarray(part["first"], dtype=np.int64), np.asarray(part["last"],
                                                                        dtype=np.int64)
    lo, hi = np.asarray(part["lo"], dtype=np.int64), np.asarray(part["hi"], dtype=np.int64)
    # The context reaches back to the window-th word before the match (or the start of the
    # document) and forward to the window-th word after it (or the document's end); -1:
    # no context on that side. Computed for every match at once.
    n_words = len(word_rows)
    none = np.full(len(first), -1, dtype=np.int64)
    left_row, right_row = none.copy(), none.copy()
    if window > 0 and n_words:
        w = np.searchsorted(word_rows, first, side="left") - window
        reach = np.where(w >= 0, np.maximum(word_rows[np.clip(w, 0, n_words - 1)], lo), lo)
        left_row = np.where(first > lo, reach, -1)
        w = np.searchsorted(word_rows, last, side="right") + window - 1
        reach = np.where(w < n_words, np.minimum(word_rows[np.clip(w, 0, n_words - 1)],
                                                  hi - 1), hi - 1)
        right_row = np.where(last < hi - 1, reach, -1)
    elif window > 0:  # no words at all: contexts run to the document's edges
        left_row = np.where(first > lo, lo, -1)
        right_row = np.where(last < hi - 1, hi - 1, -1)
    starts = (ends[first] - lengths[first]).tolist()
    stops = ends[last].tolist()
    left_from = np.where(left_row >= 0, ends[left_row] - lengths[left_row], 0).tolist()
    right_to = np.where(right_row >= 0, ends[right_row], 0).tolist()
    texts = part["texts"]
    rows, keys, last_doc, text = [], [], None, ""
    for k, (doc_id, section, voice, sentence, position) in enumerate(zip(
            part["doc"].tolist(), part["section"].tolist(), part["voice"].tolist(),
            np.asarray(part["sentence"]).tolist(), np.asarray(part["position"]).tolist(),
            strict=True)):
        if doc_id != last_doc:  # matches come document by document
            text, last_doc = texts[doc_id], doc_id
        start, end = starts[k], stops[k]
        left = text[left_from[k]:start] if left_row[k] >= 0 else ""
        right = text[end:right_to[k]] if right_row[k] >= 0 else ""
        rows.append((doc_id, section, voice, sentence, position, _squash(left),
                     _squash(text[start:end]), _squash(right)))
        if sort != "position":
            i, j, lr, rr = int(first[k]), int(last[k]), int(left_row[k]), int(right_row[k])
            left_idx = range(i - 1, lr - 1, -1) if lr >= 0 else ()
            right_idx = range(j + 1, rr + 1) if rr >= 0 else ()
            keys.append({
                "left": tuple(terms[codes[m]] for m in left_idx if is_word[m]),
                "right": tuple(terms[codes[m]] for m in right_idx if is_word[m]),
                "keyword": tuple(terms[codes[i:j + 1]]),
            })
    return rows, keys


def _join_lines(results: list[tuple]) -> tuple[list, list]:
    """Reduce step of :func:`kwic`: the partitions' lines one after the other."""
    if len(results) == 1:
        return results[0]
    return [r for res in results for r in res[0]], [k for res in results for k in res[1]]


@shared_docs
def concordances(processed: Processed, queries: Iterable[str], window: int = 5, n: int = 10,
                 *, sort: str = "position", where=None) -> pd.DataFrame:
    """The first ``n`` concordance lines of each of several queries, in one table.

    Parameters
    ----------
    {processed}
    queries : iterable of str
        Words, phrases, globs or ``/regex/``.
    window, sort, where
        As for :func:`kwic`.
    n : int, default 10
        Lines per query.

    Returns
    -------
    DataFrame
        ``query, matches`` (how many lines the query has in all), then the columns of
        :func:`kwic`; queries in the order given.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> table = concordances(p, ["road", "cpec"], 3, n=2)
    >>> table["query"].tolist(), table["matches"].tolist()
    (['road', 'road', 'cpec', 'cpec'], [7, 7, 31, 31])
    """
    frames = []
    for query in queries:
        lines = kwic(processed, query, window, sort=sort, where=where,
                     n=n if 1 <= n <= MAX_ROWS else None)
        frames.append(lines.head(n).assign(query=query, matches=lines.attrs["matches"]))
    columns = ["query", "matches", "doc", "section", "voice", "sentence", "position", "left",
               "keyword", "right"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


@shared_docs
def dispersion(
    processed: Processed, queries: Iterable[str], *, kind: str = "auto", where=None,
) -> pd.DataFrame:
    """Where each query occurs in each document: the data of a lexical dispersion plot.

    Parameters
    ----------
    {processed}
    queries : iterable of str
        Words, phrases, globs or ``/regex/`` (see module docstring).
    kind : {"auto", "word", "glob", "regex"}
        How to read every query.
    {where}

    Returns
    -------
    DataFrame
        ``doc, term, position, relative, tokens``: one row per match, ``term`` the query as
        given, ``position`` the token index of the match in its document, ``tokens`` the
        document's length in tokens and ``relative = position / (tokens - 1)`` (0 = first
        token, 1 = last). Ordered by document (corpus order), query order, position.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> dispersion(p, ["road"]).columns.tolist(), len(dispersion(p, ["road"]))
    (['doc', 'term', 'position', 'relative', 'tokens'], 7)
    """
    queries = list(queries)
    processed = units.select(processed, where)
    lengths = pd.Series(processed.columns.doc_tokens, index=processed.corpus.ids)
    frames = []
    for q_index, query in enumerate(queries):
        found = match(processed, query, kind=kind)
        frames.append(pd.DataFrame({
            "doc": found["doc"], "term": query, "position": found["first"],
            "q": q_index,
        }))
    columns = ["doc", "term", "position", "relative", "tokens"]
    if not frames:
        return pd.DataFrame(columns=columns)
    table = pd.concat(frames, ignore_index=True)
    table["tokens"] = table["doc"].map(lengths).astype(int)
    table["relative"] = (table["position"] / (table["tokens"] - 1).clip(lower=1)).round(4)
    order = {d: i for i, d in enumerate(processed.corpus.ids)}
    table["d"] = table["doc"].map(order)
    table = table.sort_values(["d", "q", "position"], kind="mergesort")
    return table[columns].reset_index(drop=True)


def _dp(freqs: np.ndarray, sizes: np.ndarray) -> tuple[float, float, float]:
    """Gries' DP, DPnorm and Juilland's D of one term's frequencies over parts."""
    total, words = freqs.sum(), sizes.sum()
    if total == 0 or words == 0:
        return np.nan, np.nan, np.nan
    expected = sizes / words
    dp = 0.5 * np.abs(freqs / total - expected).sum()
    dp_norm = dp / (1 - expected.min()) if expected.min() < 1 else np.nan
    n = len(freqs)
    if n < 2:
        return dp, dp_norm, np.nan
    rates = freqs / sizes
    variation = rates.std(ddof=0) / rates.mean()
    return dp, dp_norm, 1 - variation / np.sqrt(n - 1)


def _dispersion_rows(part: tuple, parts: str | int) -> list[dict]:
    """Map step of :func:`dispersion_measures` over a partition of whole documents.

    ``part`` holds the partition's document ids, each one's first and last token row, the
    section of each of its rows, each query's match rows (rows of the whole corpus) and the
    partition's first row.
    """
    doc_ids, bounds, section_of, matches, offset = part
    n_parts = parts if parts == "section" else int(parts)
    rows = []
    for doc_id in doc_ids:
        lo, hi = bounds.get(doc_id, (0, 0))
        n = hi - lo
        if parts == "section":
            # sections in order of appearance
            part_of, names = pd.factorize(section_of[lo - offset:hi - offset])
            n_parts = len(names)
        else:
            # np.array_split's parts: the first n % k have n // k + 1 tokens, the others n // k.
            q, r = divmod(n, n_parts)
            local = np.arange(n)
            big = r * (q + 1)
            part_of = np.where(local < big, local // (q + 1), r + (local - big) // max(q, 1))
        sizes = np.bincount(part_of, minlength=n_parts).astype(float)
        for query, found in matches.items():
            begin, stop = np.searchsorted(found, [lo, hi])
            firsts = found[begin:stop] - lo
            freqs = np.bincount(part_of[firsts], minlength=n_parts).astype(float)
            dp, dp_norm, d = _dp(freqs, sizes)
            rows.append({"doc": doc_id, "term": query, "count": int(freqs.sum()),
                         "parts": n_parts, "dp": round(dp, 4), "dp_norm": round(dp_norm, 4),
                         "juilland_d": round(d, 4) + 0.0})  # no -0.0
    return rows


def _join_rows(results: list[list]) -> list:
    """Reduce step of :func:`dispersion_measures`: the partitions' rows one after another."""
    return results[0] if len(results) == 1 else [row for rows in results for row in rows]


@shared_docs
def dispersion_measures(
    processed: Processed,
    queries: Iterable[str],
    *,
    parts: str | int = 10,
    kind: str = "auto",
    where=None,
    engine="local",
) -> pd.DataFrame:
    """How evenly each query is spread over the parts of each document.

    Gries' DP (Gries 2008, "Dispersions and adjusted frequencies in corpora", *International
    Journal of Corpus Linguistics* 13(4)): with ``s_i`` = share of the document's tokens in
    part ``i`` and ``v_i`` = share of the term's occurrences in part ``i``::

        DP = 0.5 * sum(|v_i - s_i|)        0 = spread as the parts' sizes predict, 1 = clumped
        DP_norm = DP / (1 - min(s_i))      Lijffijt & Gries (2012), so that 1 is reachable

    Juilland's D (Juilland & Chang-Rodriguez 1964), on the rates ``x_i = f_i / size_i``::

        D = 1 - (sd(x) / mean(x)) / sqrt(n - 1)     sd with ddof 0; 1 = perfectly even

    Parameters
    ----------
    {processed}
    queries : iterable of str
        Words, phrases, globs or ``/regex/``.
    parts : int or "section", default 10
        Cut each document into this many parts of (nearly) equal token counts, or use its
        sections. A match belongs to the part of its first token.
    kind : {"auto", "word", "glob", "regex"}
        How to read every query.
    {where}
    engine : {"local", "dask"} or Engine, default "local"
        Where the documents' parts are counted (:mod:`analysis.engines`); the same table.

    Returns
    -------
    DataFrame
        ``doc, term, count, parts, dp, dp_norm, juilland_d`` (NaN where the term is absent).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> dispersion_measures(p, ["cpec"])[["doc", "count", "dp", "juilland_d"]].round(2)
    ... # doctest: +NORMALIZE_WHITESPACE
                   doc  count    dp  juilland_d
    0  songtao-article     30  0.33        0.75
    1     award-report      1  0.90        0.00
    """
    processed = units.select(processed, where)
    if parts != "section":
        n_parts = int(parts)
        if n_parts < 1:
            raise ValueError(f"parts must be 1 or more, not {parts}")
    c = processed.columns
    section_of = c.names[c.para_section[c.tok_para]]
    # Rows of each query's matches, by document (rows are sorted, documents contiguous).
    matches = {q: np.asarray(_match_rows(processed, q, kind)[0], dtype=np.int64)
               for q in queries}
    ids = processed.corpus.ids
    bounds = {ids[d]: (first, first + size) for d, (first, size) in
              enumerate(zip(c.doc_first.tolist(), c.doc_tokens.tolist(), strict=True)) if size}
    # Map: the rows of partitions of documents (each document's parts are its own);
    # reduce: the rows in corpus order.
    run = engines.get(engine)
    if run.partitions == 1:
        pieces = [(ids, bounds, section_of, matches, 0)]
    else:
        pieces = []
        cuts = engines.partitions(c.tok_doc, run.partitions, len(ids))
        for rows, k in zip(engines.slices(c.tok_doc, cuts),
                           range(len(cuts) - 1), strict=True):
            docs = ids[cuts[k]:cuts[k + 1]]
            pieces.append((docs, {d: bounds[d] for d in docs if d in bounds},
                           section_of[rows], matches, rows.start))
    rows = run.map_reduce(_dispersion_rows, pieces, _join_rows, parts)
    return pd.DataFrame(rows, columns=["doc", "term", "count", "parts", "dp", "dp_norm",
                                       "juilland_d"])
