"""Word lists: counts and normalized frequencies of terms and n-grams.

A word list counts *terms* (lower-cased tokens, curated multiword expressions merged into one
term by :func:`analysis.text.terms.terms`) per document, per section or for the whole corpus.

Counting rules (every number of the project's word lists follows them):

- only word tokens count: the possessive ``'s`` and ``&`` are tokens but not words;
- ``per_1000 = count / words * 1000`` where ``words`` is the number of word tokens of the unit
  (document, section or corpus) *before* multiword expressions are merged, i.e. the
  ``words`` of :func:`analysis.overview.summary`; the same denominator is used with or without
  stop words and for n-grams, so rates from different lists of one unit are comparable;
- with ``mwe=True`` (default) a multiword expression is one term and its words are not
  counted again on their own (``Political Parties`` adds 1 to ``political parties``, nothing
  to ``parties``);
- stop words (:func:`analysis.lexicons.stop_words`) are dropped unless ``stopwords=True``;
- ``stem=True`` groups word forms by their Snowball stem (NLTK's ``SnowballStemmer
  ('english')``, which needs no data; a multiword term is stemmed word by word). A group is
  labelled by its most frequent term in the whole corpus (ties: alphabetically first term),
  so a group has the same label in every document; ``forms`` lists its terms;
- n-grams (``ngram=2`` or ``3``) are runs of consecutive tokens inside one sentence (never
  across a sentence boundary), over the plain tokens: multiword expressions are *not*
  merged, so ``political parties`` is itself a bigram. Without stop words, an n-gram that
  starts or ends with a stop word or with a non-word token (``'s``, ``&``) is dropped; one
  with a stop word inside is kept (``belt and road``, ``community with a shared``);
- rows are ordered by unit, then by count (descending), then by term, so output is stable.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import engines, index, units
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.process import Processed
from analysis.text.terms import term_rows

__all__ = ["COLUMNS", "code_counts", "counted_codes", "frequency", "gries_dp", "gries_dp_norm",
           "juilland_d", "occurrence_codes", "occurrences", "sorted_vocabulary", "stem_labels",
           "unit_counts"]

#: Columns of a word list after the group columns (``forms`` only with ``stem=True``).
COLUMNS = ["term", "count", "per_1000", "range", "dp"]


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def _stem(term: str) -> str:
    stem = _stemmer().stem
    return " ".join(stem(word) for word in term.split(" "))


def _ngram_codes(processed: Processed, n: int, stopwords: bool
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`occurrence_codes` for n-grams (within sentences).

    Vectorized: the n-gram starting at row ``i`` is kept when rows ``i`` and ``i + n - 1``
    belong to one sentence (tokens are stored sentence by sentence, in text order).
    """
    c = processed.columns
    term = c.tok_term
    size = len(term) - n + 1
    if size <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), \
            np.zeros(0, dtype=object)
    sentence = c.tok_sentence
    keep = sentence[:size] == sentence[n - 1:]
    if not stopwords:
        edge = c.tok_is_word & ~c.term_is_stop[term]
        keep &= edge[:size] & edge[n - 1:]
    rows = np.flatnonzero(keep)
    vocabulary = c.term_names
    if len(vocabulary) ** n < 2 ** 62:
        # Each n-gram as one integer; its text is built once per distinct n-gram.
        key = term[rows].astype(np.int64)
        for k in range(1, n):
            key = key * len(vocabulary) + term[rows + k]
        index, distinct = pd.factorize(key)
        parts = [np.asarray(distinct) // len(vocabulary) ** (n - 1 - k) % len(vocabulary)
                 for k in range(n)]
        text = vocabulary[parts[0]]
        for part in parts[1:]:
            text = text + " " + vocabulary[part]
    else:
        text = vocabulary[term[rows]]
        for k in range(1, n):
            text = text + " " + vocabulary[term[rows + k]]
        index = np.arange(len(rows))
    # Two sequences of terms could spell one string (a term with a space): one name each.
    merged, names = pd.factorize(np.asarray(text, dtype=object))
    return rows, merged[index], np.asarray(names, dtype=object)


@lru_cache(maxsize=2)
def occurrence_codes(processed: Processed, ngram: int = 1, stopwords: bool = False,
                     mwe: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The occurrences a word list counts, as arrays: token rows, term codes, term names.

    :func:`occurrences` as integer arrays, which word lists and keyness count without
    building a table of strings. The last two results are kept (keyness counts a target
    and its reference from the same occurrences); the arrays are read-only.

    Parameters
    ----------
    processed, ngram, stopwords, mwe
        As in :func:`occurrences`.

    Returns
    -------
    rows : ndarray of int64
        Token row (into :attr:`Processed.columns`) of each occurrence's first token,
        ascending.
    code : ndarray of int
        Each occurrence's term, a code into ``names``.
    names : ndarray of object
        Term strings, each once.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> rows, code, names = occurrence_codes(process(load_corpus()), 2)
    >>> names[code[:2]].tolist(), rows[:2].tolist()
    (['political parties', 'parties striving'], [0, 1])
    """
    if ngram < 1:
        raise ValueError(f"ngram must be 1 or more, not {ngram}")
    if ngram > 1:
        arrays = _ngram_codes(processed, ngram, stopwords)
    else:
        found = term_rows(processed, mwe)
        kept = np.flatnonzero(found.is_word if stopwords else found.is_word & ~found.is_stop)
        arrays = found.rows.take(kept), found.code.take(kept), found.names
    for array in arrays:
        array.flags.writeable = False
    return arrays


@shared_docs
def occurrences(processed: Processed, ngram: int = 1, stopwords: bool = False,
                mwe: bool = True) -> pd.DataFrame:
    """The occurrences a word list counts: one row per word (or n-gram) token.

    Word lists (:func:`frequency`) and keyness (:func:`analysis.keyness.keywords_by`) count
    these rows (as the arrays of :func:`occurrence_codes`), so both count the same things.

    Parameters
    ----------
    {processed}
    ngram : int, default 1
        1 for words (multiword expressions merged unless ``mwe=False``), n for n-grams.
    stopwords : bool, default False
        Keep stop words.
    mwe : bool, default True
        Merge the curated multiword expressions.

    Returns
    -------
    DataFrame
        ``doc, section, voice, term, doc_index``, in text order; for words, the index is the
        row's place in :func:`analysis.text.terms.terms`.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> rows = occurrences(process(load_corpus()))
    >>> rows.columns.tolist(), int((rows["term"] == "cpec").sum())
    (['doc', 'section', 'voice', 'term', 'doc_index'], 31)
    """
    rows, code, names = occurrence_codes(processed, ngram, stopwords, mwe)
    index = range(len(rows))
    if ngram == 1:
        found = term_rows(processed, mwe)
        index = np.flatnonzero(found.is_word if stopwords else found.is_word & ~found.is_stop)
    c = processed.columns
    para = c.para_of(rows)
    doc = c.para_doc[para]
    return pd.DataFrame({
        "doc": pd.Series(processed.doc_ids[doc], dtype=object),
        "section": pd.Series(c.names[c.para_section[para]], dtype=object),
        "voice": pd.Series(c.names[c.para_voice[para]], dtype=object),
        "term": pd.Series(names[code], dtype=object),
        "doc_index": doc,
    }).set_axis(index)


def stem_labels(counts: pd.Series) -> tuple[dict[str, str], dict[str, str]]:
    """Group terms by Snowball stem and label each group by its most frequent term.

    Parameters
    ----------
    counts : Series
        Term -> count over the whole corpus.

    Returns
    -------
    label : dict
        Term -> label of its group (the group's most frequent term; ties: first by term).
    forms : dict
        Label -> ``"|"``-joined terms of the group, most frequent first (ties by term).

    Examples
    --------
    >>> import pandas as pd
    >>> labels, forms = stem_labels(pd.Series({"develop": 2, "development": 5, "road": 3}))
    >>> labels["develop"], forms["development"]
    ('development', 'development|develop')
    """
    groups: dict[str, list[tuple[int, str]]] = {}
    for term, count in counts.items():
        groups.setdefault(_stem(term), []).append((-int(count), term))
    label, forms = {}, {}
    for members in groups.values():
        members.sort()
        head = members[0][1]
        forms[head] = "|".join(term for _, term in members)
        for _, term in members:
            label[term] = head
    return label, forms


def code_counts(codes: np.ndarray, names: np.ndarray) -> pd.Series:
    """Term -> count of some occurrences given as codes into ``names``, terms sorted (the
    counting of ``value_counts`` on the strings, done on the integers).

    Examples
    --------
    >>> code_counts(np.array([2, 0, 2]), np.array(["road", "belt", "cpec"], dtype=object))
    cpec    2
    road    1
    dtype: int64
    """
    counts = np.bincount(codes, minlength=len(names))
    present = np.flatnonzero(counts)
    return pd.Series(counts[present], index=pd.Index(names[present], dtype=object),
                     dtype=np.int64).sort_index()


def sorted_vocabulary(codes: np.ndarray, names: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The terms some occurrences use, sorted by name, and each code's place among them.

    Returns
    -------
    renumber : ndarray of int
        ``renumber[code]`` is the term's place in ``vocabulary``.
    vocabulary : ndarray of object
        The distinct terms of ``codes``, sorted.

    Examples
    --------
    >>> renumber, vocabulary = sorted_vocabulary(np.array([2, 0, 2]),
    ...                                          np.array(["road", "x", "cpec"], dtype=object))
    >>> vocabulary.tolist(), renumber[[2, 0]].tolist()
    (['cpec', 'road'], [0, 1])
    """
    present = np.flatnonzero(np.bincount(codes, minlength=len(names)))
    order = np.argsort(names[present], kind="stable")
    renumber = np.zeros(len(names), dtype=np.int32 if len(names) < 1 << 31 else np.int64)
    renumber[present[order]] = np.arange(len(present))
    return renumber, np.asarray(names[present[order]], dtype=object)


def _count_part(part: tuple, n_docs: int) -> dict:
    """Map step of :func:`frequency` over a partition of whole documents.

    ``part`` holds, per counted occurrence, its part (``part = group * n_docs + doc``, an
    int64 array this step overwrites) and term code, the term names, and, per paragraph,
    its part and its words. Returns the
    partition's sorted vocabulary, its (part, term) pairs with their counts (``term`` a
    code into the vocabulary) and its parts with their words, all sorted.
    """
    occurrence_part, code, names, paragraph_part, paragraph_words = part
    renumber, vocabulary = sorted_vocabulary(code, names)
    n_terms = max(len(vocabulary), 1)
    # The (part, term) pairs counted as np.unique(key, return_counts=True) would, on the
    # partition's own array sorted in place: np.unique would sort a copy of it.
    key = occurrence_part
    key *= n_terms
    key += renumber[code]
    key.sort()
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if len(key) \
        else np.zeros(0, dtype=np.int64)
    pair_count = np.diff(np.append(starts, len(key)))
    pair_part, pair_term = np.divmod(key[starts], n_terms)
    del key, starts
    parts, part_of = np.unique(paragraph_part, return_inverse=True)
    part_words = np.bincount(part_of, weights=paragraph_words,
                             minlength=len(parts)).astype(np.int64)
    has_words = part_words > 0  # a part counts where it has words
    return {"vocabulary": vocabulary, "part": pair_part,
            "term": pair_term, "count": pair_count, "parts": parts[has_words],
            "part_words": part_words[has_words]}


def _sum_counts(results: list[dict]) -> dict:
    """Reduce step of :func:`frequency`: the counts of all partitions, as one partition's.

    Partitions hold different documents, so their (part, term) pairs and parts never meet:
    the sum is a union, put in the order one partition of all documents gives (sorted
    pairs on one sorted vocabulary), so every later sum adds in the same order.
    """
    if len(results) == 1:
        return results[0]
    vocabulary = np.unique(np.concatenate([r["vocabulary"] for r in results]))
    n_terms = max(len(vocabulary), 1)
    key = np.concatenate([r["part"] * n_terms
                          + np.searchsorted(vocabulary, r["vocabulary"])[r["term"]]
                          for r in results])
    count = np.concatenate([r["count"] for r in results])
    order = np.argsort(key, kind="stable")
    parts = np.concatenate([r["parts"] for r in results])
    part_words = np.concatenate([r["part_words"] for r in results])
    part_order = np.argsort(parts, kind="stable")
    pair_part, pair_term = np.divmod(key[order], n_terms)
    return {"vocabulary": vocabulary, "part": pair_part, "term": pair_term,
            "count": count[order], "parts": parts[part_order],
            "part_words": part_words[part_order]}


@constrained(ngram=OneOf(1, 2, 3), min_count=Interval(1, MAX_ROWS),
             min_range=Interval(1, MAX_ROWS), top=[Interval(1, MAX_ROWS), None])
@shared_docs
def frequency(
    processed: Processed,
    *,
    by: str = "doc",
    where=None,
    ngram: int = 1,
    stopwords: bool = False,
    stem: bool = False,
    mwe: bool = True,
    min_count: int = 1,
    min_range: int = 1,
    top: int | None = None,
    layer: str | None = None,
    upos=None,
    query: str | None = None,
    engine="local",
) -> pd.DataFrame:
    """Word list of the corpus or of each group, with range and dispersion.

    Range and dispersion are computed over the *parts* of a group: the documents of the
    group (for ``by="voice"`` or ``"section"``, the part of each document in it). With
    ``f_i`` a term's count in part ``i``, ``f`` its count in the group, ``s_i`` the part's
    share of the group's words and ``v_i = f_i / f``::

        range = number of parts with f_i > 0
        DP = 0.5 * sum_i |v_i - s_i|                       Gries (2008, p. 415)
        dp = DP / (1 - min_i s_i)                          Lijffijt & Gries (2012, p. 148)

    ``dp`` is 0 for a term spread over the parts as their sizes predict and 1 for a term
    in the smallest part alone; it is undefined (NaN) for a group of one part. Analysts
    judge a frequent word that lives in one document differently from one spread over all
    (Gries, S. Th. 2008, "Dispersions and adjusted frequencies in corpora", *International
    Journal of Corpus Linguistics* 13(4), 403-437; Lijffijt, J. & Gries, S. Th. 2012,
    "Correction to Stefan Th. Gries' 'Dispersions and adjusted frequencies in corpora'",
    *IJCL* 17(1), 147-149).

    Parameters
    ----------
    {processed}
    {by}
    {where}
    ngram : int, default 1
        1 for terms (words and multiword expressions), 2 or 3 for n-grams within sentences.
    stopwords : bool, default False
        Keep stop words (for n-grams: keep n-grams that start or end with one).
    stem : bool, default False
        Group word forms by Snowball stem, labelled by their most frequent form.
    mwe : bool, default True
        Count curated multiword expressions as one term (unigrams only).
    min_count, min_range : int, default 1
        Drop terms counted fewer times, or in fewer parts, in their group.
    top : int, optional
        Keep the first ``top`` rows of each group (:func:`analysis.units.keep` then shows a
        few groups of a large corpus).
    layer : str, optional
        Count the values of this annotation layer (``lemma``) instead of terms
        (:func:`analysis.layers.layer_codes`; an annotated corpus, single words only).
    upos : str or sequence of str, optional
        Count only the words of these parts of speech (``NOUN``; the ``upos`` layer).
    query : str, optional
        Count the matches of this query instead of every word (any query of
        :func:`analysis.concordance.match`, CQL included): a term is the words of a match
        as written, or its values of ``layer`` (:func:`analysis.layers.match_codes`).
    engine : {"local", "dask"} or Engine, default "local"
        Where the counting runs (:mod:`analysis.engines`); the table is the same.

    Returns
    -------
    DataFrame
        Group columns (:func:`analysis.units.group_columns`), then ``term, count, per_1000,
        range, dp`` and, with ``stem=True``, ``forms``. ``per_1000`` is per 1,000 word
        tokens of the group (module docstring), rounded to 3 decimals, ``dp`` to 4. Groups
        in their order (:func:`analysis.units.codes`); within a group, count descending then
        term.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = frequency(process(load_corpus()), by="corpus", top=2)
    >>> table[["term", "count", "range"]].to_dict("records")[0]
    {'term': 'cpec', 'count': 31, 'range': 2}
    """
    processed = units.prepare(processed, by, where)
    keys = units.group_columns(by)
    columns = keys + COLUMNS + (["forms"] if stem else [])
    run = engines.get(engine)
    indexed = query is None and layer is None and upos is None and ngram == 1 and mwe \
        and run.partitions == 1 and _index_counts_terms(processed, stopwords)
    if indexed:
        rows = code = names = None  # counted from the index below
    elif query is not None:
        from analysis.layers import match_codes

        if ngram != 1 or stem or upos is not None:
            raise ValueError("a query's matches are counted by their forms or a layer, "
                             "without ngram, stem or upos")
        rows, code, names = match_codes(processed, query, layer or "word")
    elif layer is None and upos is None:
        rows, code, names = occurrence_codes(processed, ngram, stopwords, mwe)
    else:
        from analysis.layers import layer_codes

        if ngram != 1 or stem:
            raise ValueError("layer and upos count single words, without ngram or stem")
        tags = (upos,) if isinstance(upos, str) else None if upos is None else tuple(upos)
        rows, code, names = layer_codes(processed, layer, tags, stopwords)
    para_group, groups = units.paragraph_codes(processed, by)
    n_docs = max(len(processed.corpus), 1)
    c = processed.columns
    # A part is a group's share of one document; a paragraph lies in one part.
    para_part = para_group * n_docs + c.para_doc
    para_words = c.para_words
    if indexed:  # the same counts, summed from the index's segments
        counted = None
        if by == "corpus" and top is not None and not stem:  # the first terms alone
            counted = _top_index_counts(processed, stopwords, para_part, para_words, top,
                                        min_count, min_range)
        if counted is None:
            counted = _index_counts(processed, stopwords, para_part, para_words)
    else:
        counted = _count_occurrences(processed, run, rows, code, names, para_part, para_words,
                                     n_docs)
    vocabulary, forms = counted["vocabulary"], {}
    pair_part, pair_term, pair_count = (counted.pop(k) for k in ("part", "term", "count"))
    if stem:  # merge each stem group's pairs, as one term (labels sorted like terms)
        term_total = pd.Series(np.bincount(pair_term, weights=pair_count,
                                           minlength=len(vocabulary)).astype(np.int64),
                               index=vocabulary)
        label, forms = stem_labels(term_total)
        merged, labels = pd.factorize(np.array([label[t] for t in vocabulary], dtype=object),
                                      sort=True)
        vocabulary = np.asarray(labels, dtype=object)
        n_labels = max(len(vocabulary), 1)
        joined, pair_of = np.unique(pair_part * n_labels + merged[pair_term],
                                    return_inverse=True)
        pair_count = np.bincount(pair_of, weights=pair_count).astype(np.int64)
        pair_part, pair_term = np.divmod(joined, n_labels)
    n_terms = max(len(vocabulary), 1)
    parts, part_words = counted["parts"], counted["part_words"]

    # Words of each part (a group's share of one document) and of each group.
    part_group = parts // n_docs
    group_words = np.bincount(part_group, weights=part_words, minlength=len(groups))
    part_share = part_words / group_words[part_group]
    n_parts = np.bincount(part_group, minlength=len(groups))
    min_share = np.ones(len(groups))
    np.minimum.at(min_share, part_group, part_share)

    # Counts per (group, term) from the counts per (part, term).
    # (Intermediate arrays, a few per (part, term) pair, are let go as soon as used.)
    cell_key = (pair_part // n_docs) * n_terms + pair_term
    del pair_term
    n_cells = len(groups) * n_terms
    if n_cells <= 4 * len(cell_key) + (1 << 20):  # a table of every cell: no sort needed
        cells = np.flatnonzero(np.bincount(cell_key, minlength=n_cells))
        place = np.zeros(n_cells, dtype=np.int64)
        place[cells] = np.arange(len(cells))
        cell_of = place[cell_key]
        del place
    else:
        cells, cell_of = np.unique(cell_key, return_inverse=True)
    del cell_key
    count = np.bincount(cell_of, weights=pair_count).astype(np.int64)
    spread = np.bincount(cell_of).astype(np.int64)
    if len(parts) and parts[-1] < 4 * len(pair_part) + (1 << 20):  # a table, not a search
        place = np.zeros(int(parts[-1]) + 1, dtype=np.int64)
        place[parts] = np.arange(len(parts))
        where_part = place[np.minimum(pair_part, parts[-1])]
        del place
    else:
        where_part = np.clip(np.searchsorted(parts, pair_part), 0, max(len(parts) - 1, 0))
    found = parts[where_part] == pair_part if len(parts) else np.zeros(0, dtype=bool)
    del pair_part
    share = np.where(found, part_share[where_part] if len(parts) else 0.0, 0.0)
    del where_part, found
    off = np.abs(pair_count / count[cell_of] - share)
    dp_raw = 0.5 * (np.bincount(cell_of, weights=off) + 1 - np.bincount(cell_of, weights=share))
    del off, share, cell_of, pair_count
    cell_group, cell_term = np.divmod(cells, n_terms)
    with np.errstate(divide="ignore", invalid="ignore"):
        dp = np.where(n_parts[cell_group] > 1, dp_raw / (1 - min_share[cell_group]), np.nan)

    keep = (count >= min_count) & (spread >= min_range)
    order = np.flatnonzero(keep)
    order = order[np.lexsort((cell_term[order], -count[order], cell_group[order]))]
    if top is not None:
        rank = pd.Series(cell_group[order]).groupby(cell_group[order]).cumcount().to_numpy()
        order = order[rank < top]
    out = groups.iloc[cell_group[order]].astype(str).reset_index(drop=True) if keys \
        else pd.DataFrame(index=range(len(order)))
    out["term"] = pd.Series(vocabulary[cell_term[order]], dtype=object)
    out["count"] = count[order]
    g_words = group_words[cell_group[order]]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["per_1000"] = np.round(np.where(g_words > 0, count[order] / g_words * 1000, 0.0), 3)
    out["range"] = spread[order]
    out["dp"] = np.round(dp[order], 4) + 0.0  # no -0.0
    if stem:
        out["forms"] = out["term"].map(forms)
    return out[columns]


def _count_occurrences(processed: Processed, run, rows, code, names, para_part, para_words,
                       n_docs: int) -> dict:
    """Counts per (part, term) and words per part from the occurrences (map: over
    partitions of documents, :func:`_count_part`; reduce: their sum, :func:`_sum_counts`)."""
    c = processed.columns
    occurrence_part = para_part[c.para_of(rows)]  # int64, overwritten by _count_part
    if run.partitions == 1:
        pieces = [(occurrence_part, code, names, para_part, para_words)]
        del occurrence_part
    else:
        cuts = engines.partitions(c.tok_doc, run.partitions)
        pieces = [(occurrence_part[part], code[part], names, para_part[paras],
                   para_words[paras])
                  for part, paras in zip(engines.slices(c.doc_of(rows), cuts),
                                         engines.slices(c.para_doc, cuts), strict=True)]
    return run.map_reduce(_count_part, pieces, _sum_counts, n_docs)


def _index_counts_terms(processed: Processed, stopwords: bool) -> bool:
    """Whether the index's segment counts give a word list's terms: the corpus has its index
    and no multiword term is also a token's term that is not counted as a word (or as a
    stop word, when they are left out), which the index would count once for both."""
    c = processed.columns
    if not index.available(c):
        return False
    codes = c.mwe_codes
    return bool(np.all(c.term_is_word[codes]) and (stopwords or not np.any(c.term_is_stop[codes])))


def _index_columns(processed: Processed, stopwords: bool) -> tuple[np.ndarray, np.ndarray]:
    """The index's columns a word list counts (not stop words, unless ``stopwords``) as a
    mask, and each column's term name."""
    c = processed.columns
    order = c.dtm_order
    names = index.terms(c)[order]
    if stopwords:
        return np.ones(len(order), dtype=bool), names
    stop = np.concatenate([c.term_is_stop, np.zeros(len(c.mwe_names), dtype=bool)])
    return ~stop[order], names


def _index_counts(processed: Processed, stopwords: bool, para_part: np.ndarray,
                  para_words: np.ndarray) -> dict:
    """:func:`_count_part`'s result (the counts per (part, term), sorted, and the words per
    part) from the index's segment counts instead of the occurrences: a segment lies in one
    part, so a part's counts are the sum of its segments'. The index's columns are sorted
    by term, so the pairs come out sorted without sorting the occurrences."""
    from analysis.text.process import ranges

    c = processed.columns
    indptr, indices, counts = index.matrix(c)
    usable, names = _index_columns(processed, stopwords)
    seg_part = para_part[c.seg_para].astype(np.int64)
    order = np.argsort(seg_part, kind="stable")
    part_sorted = seg_part[order]
    if np.all(order == np.arange(len(order))):
        column, count = indices, counts
        owner = np.repeat(np.arange(len(seg_part)), np.diff(indptr))
    else:
        entries, owner = ranges(indptr[:-1][order], indptr[1:][order])
        column, count = indices[entries], counts[entries]
    kept = usable[column]
    column, count, part = column[kept], count[kept], part_sorted[owner[kept]]
    present = np.bincount(column, minlength=len(names)) > 0
    renumber = np.cumsum(present) - 1
    vocabulary = np.asarray(names[present], dtype=object)
    term = renumber[column].astype(np.int64, copy=False)
    count = count.astype(np.int64)
    if len(part_sorted) > 1 and np.any(part_sorted[1:] == part_sorted[:-1]):
        # a part of several segments: their pairs summed (as np.unique with sums)
        n_terms = max(len(vocabulary), 1)
        key = part * n_terms + term
        sort = np.argsort(key, kind="stable")
        key, count = key[sort], count[sort]
        starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if len(key) \
            else np.zeros(0, dtype=np.int64)
        count = np.add.reduceat(count, starts) if len(starts) else count[:0]
        part, term = np.divmod(key[starts], n_terms)
    return {"vocabulary": vocabulary, "part": part.astype(np.int64), "term": term,
            "count": count, **_part_words(para_part, para_words)}


def _part_words(para_part: np.ndarray, para_words: np.ndarray) -> dict:
    """The parts that have words, and their words."""
    parts, part_of = np.unique(para_part, return_inverse=True)
    part_words = np.bincount(part_of, weights=para_words, minlength=len(parts)).astype(np.int64)
    has_words = part_words > 0
    return {"parts": parts[has_words], "part_words": part_words[has_words]}


#: The share of the corpus's tokens that the first terms of a word list may hold for
#: :func:`_top_index_counts` to count them from their positions (beyond it, every count).
TOP_SHARE = 0.25


def _top_index_counts(processed: Processed, stopwords: bool, para_part: np.ndarray,
                      para_words: np.ndarray, top: int, min_count: int, min_range: int
                      ) -> dict | None:
    """:func:`_index_counts` of the ``top`` terms a word list of the whole corpus shows,
    alone: they are chosen by their totals (:func:`analysis.index.column_counts`: count,
    then term; their range is their number of documents), and their counts per part come
    from their positions in the index (a merged multiword term's first token stands for
    it, and the tokens inside it count for nothing else), so a warm word list reads a few
    terms' positions instead of every segment's counts. None where the index has no
    positions, the terms hold more than :data:`TOP_SHARE` of the tokens, or their counts
    do not come out as their totals (then every count is made)."""
    c = processed.columns
    if not index.has_positions(c):
        return None
    total, docs = index.column_counts(c)
    usable, names = _index_columns(processed, stopwords)
    candidates = np.flatnonzero(usable & (total > 0) & (total >= min_count)
                                & (docs >= min_range))
    chosen = np.sort(candidates[np.argsort(-total[candidates], kind="stable")[:top]])
    n_tokens = int(c.sent_tokens.sum())
    if total[chosen].sum() > TOP_SHARE * n_tokens:
        return None
    first, last, merged = index.merged_terms(c)
    first, last = first.astype(np.int64), last.astype(np.int64)
    n_terms = len(c.term_names)
    parts, terms, counts = [], [], []
    for t, code in enumerate(c.dtm_order[chosen].tolist()):
        rows = [first[merged == code]]
        if code < n_terms and c.term_is_word[code]:
            plain = index.positions(c, code)
            if len(first):  # the tokens of merged terms count for those terms alone
                at = np.searchsorted(first, plain, side="right") - 1
                plain = plain[(at < 0) | (plain > last[np.maximum(at, 0)])]
            rows.append(plain)
        rows = np.sort(np.concatenate(rows))
        part = para_part[c.sent_para[c.sentence_of(rows)]]
        found, times = np.unique(part, return_counts=True)
        parts.append(found)
        terms.append(np.full(len(found), t, dtype=np.int64))
        counts.append(times.astype(np.int64))
    part, term, count = (np.concatenate([np.zeros(0, dtype=np.int64), *x])
                         for x in (parts, terms, counts))
    if not np.array_equal(np.bincount(term, weights=count, minlength=len(chosen)),
                          total[chosen]) or \
            not np.array_equal(np.bincount(term, minlength=len(chosen)), docs[chosen]):
        return None
    sort = np.lexsort((term, part))  # pairs by part, then term, as _index_counts gives them
    return {"vocabulary": np.asarray(names[chosen], dtype=object), "part": part[sort],
            "term": term[sort], "count": count[sort], **_part_words(para_part, para_words)}


def _index_term_counts(processed: Processed, in_unit: np.ndarray, stopwords: bool
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Per index column (sorted by term), its count in the paragraphs of ``in_unit`` and
    in all, from the segment counts; and the columns' names (stop words' columns zero
    unless ``stopwords``)."""
    c = processed.columns
    usable, names = _index_columns(processed, stopwords)
    total, _ = index.column_counts(c)
    unit = _segments_counts(c, in_unit[c.seg_para], total)
    return np.where(usable, unit, 0), np.where(usable, total, 0), names


#: The share of the segments below which a unit's counts are read from its segments' part
#: of the cache file alone (above it, the whole matrix is read).
ALONE_SHARE = 0.125


def _segments_counts(c, seg_in: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Each index column's count in the segments of a mask, every stop word's too: the
    sum of their counts, or the totals less the other segments' (the fewer are read);
    kept for the mask and its complement (a unit against the rest asks for both)."""
    from hashlib import sha256

    memo = c.__dict__.setdefault("_segments_counts", {})
    key, other = (sha256(np.packbits(m).tobytes() + bytes([len(m) % 8])).digest()
                  for m in (seg_in, ~seg_in))
    if key in memo:
        return memo[key]
    if other in memo:
        return total - memo[other]
    n = len(seg_in)
    inverted = 2 * int(seg_in.sum()) > n
    chosen = ~seg_in if inverted else seg_in
    if int(chosen.sum()) <= ALONE_SHARE * n:
        indices, counts, _ = index.segment_entries(c, np.flatnonzero(chosen))
        summed = np.bincount(indices, weights=counts, minlength=len(total))
    else:
        indptr, indices, counts = index.matrix(c)
        inside = np.repeat(chosen, np.diff(indptr))
        summed = np.bincount(indices[inside], weights=counts[inside], minlength=len(total))
    summed = summed.astype(np.int64)
    memo.clear()  # one mask at a time
    memo[other if inverted else key] = summed
    return total - summed if inverted else summed


def _parts(counts, sizes) -> tuple[np.ndarray, np.ndarray]:
    counts = np.asarray(counts, dtype=float)
    sizes = np.asarray(sizes, dtype=float)
    if sizes.ndim != 1 or counts.shape[-1:] != sizes.shape or (sizes <= 0).any():
        raise ValueError("sizes must be one positive size per part, matching the counts")
    return counts, sizes


def gries_dp(counts, sizes) -> np.ndarray:
    """Gries's (2008) deviation of proportions DP of a term over the parts of a corpus.

    With ``f_i`` the term's count in part ``i``, ``f`` its total, ``s_i`` the part's share
    of the corpus's words and ``v_i = f_i / f``: ``DP = 0.5 * sum_i |v_i - s_i|`` (Gries
    2008, pp. 415-416). 0 = spread as the parts' sizes predict; the largest value is
    ``1 - min(s_i)``, for a term in the smallest part alone.

    Parameters
    ----------
    counts : array-like
        The term's count in each part (last axis: parts; more terms on leading axes).
    sizes : array-like
        Words in each part.

    Returns
    -------
    ndarray
        DP of each term (NaN for a term that does not occur).

    Examples
    --------
    >>> round(float(gries_dp([1, 2, 3, 4, 5], [9, 10, 10, 10, 11])), 4)
    0.18
    """
    counts, sizes = _parts(counts, sizes)
    total = counts.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 0.5 * np.abs(counts / total - sizes / sizes.sum()).sum(axis=-1)


def gries_dp_norm(counts, sizes) -> np.ndarray:
    """DP normalised to [0, 1] as Lijffijt & Gries (2012, p. 148) correct it.

    ``DP_norm = DP / (1 - min_i s_i)``, the largest DP possible for the corpus's parts. For
    parts of equal size this is Gries's (2008) ``DP / (1 - 1/n)``; for unequal parts only
    this division reaches 1 (a term in the smallest part alone). The ``dp`` column of
    :func:`frequency`.

    Parameters
    ----------
    counts, sizes : array-like
        As for :func:`gries_dp` (at least two parts).

    Returns
    -------
    ndarray
        DP_norm of each term.

    Examples
    --------
    >>> round(float(gries_dp_norm([1, 2, 3, 4, 5], [9, 10, 10, 10, 11])), 4)  # 0.18 / 0.82
    0.2195
    """
    counts, sizes = _parts(counts, sizes)
    if len(sizes) < 2:
        raise ValueError("DP_norm needs at least two parts")
    return gries_dp(counts, sizes) / (1 - sizes.min() / sizes.sum())


def juilland_d(counts, sizes=None) -> np.ndarray:
    """Juilland's D of a term over ``n`` parts (Juilland & Chang-Rodriguez 1964).

    ``D = 1 - (sd(x) / mean(x)) / sqrt(n - 1)``, with ``x_i`` the term's rate in part ``i``
    (``f_i / size_i``; its count where the parts are of equal size) and the standard
    deviation of the population (ddof 0), as Carroll (1970) and Gries (2008) give it.
    1 = perfectly even, 0 = all in one part.

    Parameters
    ----------
    counts : array-like
        The term's count in each part (last axis: parts).
    sizes : array-like, optional
        Words in each part; default: parts of equal size.

    Returns
    -------
    ndarray
        D of each term (NaN for a term that does not occur).

    Examples
    --------
    >>> round(float(juilland_d([0, 4, 3, 2, 1])), 4)
    0.6464
    """
    counts = np.asarray(counts, dtype=float)
    if sizes is None:
        sizes = np.ones(counts.shape[-1])
    counts, sizes = _parts(counts, sizes)
    n = len(sizes)
    if n < 2:
        raise ValueError("Juilland's D needs at least two parts")
    rates = counts / sizes
    with np.errstate(divide="ignore", invalid="ignore"):
        variation = rates.std(axis=-1) / rates.mean(axis=-1)
    return 1 - variation / np.sqrt(n - 1)


def counted_codes(processed: Processed, ngram: int = 1, stopwords: bool = False,
                  mwe: bool = True, layer: str | None = None, upos=None, stem: bool = False
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The occurrences a word list counts: terms (:func:`occurrence_codes`) or, with
    ``layer`` or ``upos``, an annotation layer's values (:func:`analysis.layers.layer_codes`,
    single words only).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> counted_codes(process(load_corpus()), layer="lemma")
    Traceback (most recent call last):
    ...
    ValueError: the corpus has no lemma layer (its layers: none: read a CoNLL-U (.conllu) or \
DocBin (.spacy) corpus, or --annotate spacy:MODEL)
    """
    if layer is None and upos is None:
        return occurrence_codes(processed, ngram, stopwords, mwe)
    from analysis.layers import layer_codes

    if ngram != 1 or stem:
        raise ValueError("layer and upos count single words, without ngram or stem")
    tags = (upos,) if isinstance(upos, str) else None if upos is None else tuple(upos)
    return layer_codes(processed, layer, tags, stopwords)


@shared_docs
def unit_counts(
    processed: Processed,
    spec: str | None = None,
    *,
    exclude: str | None = None,
    ngram: int = 1,
    stopwords: bool = False,
    stem: bool = False,
    mwe: bool = True,
    layer: str | None = None,
    upos=None,
    engine="local",
) -> tuple[pd.Series, int]:
    """Counts of every term in one unit, and the unit's size in words (for keyness).

    Parameters
    ----------
    {processed}
    spec : str, optional
        The unit (:func:`analysis.units.unit_mask`: a document, ``DOC:SECTION`` or
        conditions such as ``genre=news``); None for the whole corpus.
    exclude : str, optional
        Leave this unit out (the "rest of the corpus" is ``spec=None, exclude=target``).
    ngram, stopwords, stem, mwe, layer, upos, engine
        As in :func:`frequency` (``layer="lemma"``: lemmas counted, an annotated corpus).

    Returns
    -------
    counts : Series
        Term -> count (int), sorted by term.
    words : int
        Word tokens of the unit (the denominator of relative frequencies).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> counts, words = unit_counts(p, "songtao-article")
    >>> int(counts["cpec"]), words
    (30, 1346)
    """
    c = processed.columns
    in_unit = units.unit_paragraphs(processed, spec, exclude)
    run = engines.get(engine)
    if layer is None and upos is None and ngram == 1 and mwe and run.partitions == 1 \
            and _index_counts_terms(processed, stopwords):
        unit, total, names = _index_term_counts(processed, in_unit, stopwords)
        counts = _present(unit, names)
        if stem:
            label, _ = stem_labels(_present(total, names))
            labelled = pd.Index([label[t] for t in counts.index], dtype=object)
            counts = pd.Series(counts.to_numpy(), index=labelled).groupby(level=0).sum()
        counts = counts.sort_index().rename("count").rename_axis("term")
        return counts.astype(int), int(c.para_words[in_unit].sum())
    rows, code, names = counted_codes(processed, ngram, stopwords, mwe, layer, upos, stem)
    mask = in_unit[c.para_of(rows)]
    # Map: the unit's term counts (and, to label stem groups, every term's) over partitions
    # of documents; reduce: their sum.
    if run.partitions == 1:
        pieces = [(code, names, mask, stem)]
    else:
        doc = c.doc_of(rows)
        cuts = engines.partitions(c.tok_doc, run.partitions)
        pieces = [(code[part], names, mask[part], stem) for part in engines.slices(doc, cuts)]
    counts, every = run.map_reduce(_count_terms, pieces, _sum_term_counts)
    if stem:  # groups are labelled over the whole corpus
        label, _ = stem_labels(every)
        labelled = pd.Index([label[t] for t in counts.index], dtype=object)
        counts = pd.Series(counts.to_numpy(), index=labelled).groupby(level=0).sum()
    counts = counts.sort_index().rename("count").rename_axis("term")
    return counts.astype(int), int(c.para_words[in_unit].sum())


def _present(counts: np.ndarray, names: np.ndarray) -> pd.Series:
    """Term -> count of the terms counted (names sorted), as :func:`code_counts` gives."""
    present = np.flatnonzero(counts)
    return pd.Series(counts[present], index=pd.Index(names[present], dtype=object),
                     dtype=np.int64)


def _count_terms(part: tuple) -> tuple[pd.Series, pd.Series | None]:
    """Map step of :func:`unit_counts`: term -> count of the selected occurrences of a
    partition of documents, and (for stem labels) of all its occurrences; terms sorted."""
    code, names, mask, every = part
    return code_counts(code[mask], names), code_counts(code, names) if every else None


def _sum_term_counts(results: list[tuple]) -> tuple[pd.Series, pd.Series | None]:
    """Reduce step of :func:`unit_counts`: the sum of the partitions' term counts."""
    if len(results) == 1:
        return results[0]

    def total(series: list[pd.Series]) -> pd.Series:
        summed = pd.concat(series).groupby(level=0).sum().astype(np.int64)
        return summed.set_axis(pd.Index(summed.index, dtype=object))

    every = [r[1] for r in results]
    return total([r[0] for r in results]), None if every[0] is None else total(every)
