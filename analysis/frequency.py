"""Word lists: counts and normalized frequencies of terms and n-grams.

A word list counts *terms* (lower-cased tokens, curated multiword expressions merged into one
term by :func:`analysis.text.terms`) per document, per section or for the whole corpus.

Counting rules (every number of the project's word lists follows them):

- only word tokens count: the possessive ``'s`` and ``&`` are tokens but not words;
- ``per_1000 = count / words * 1000`` where ``words`` is the number of word tokens of the unit
  (document, section or corpus) *before* multiword expressions are merged, i.e. the
  ``words`` of :func:`analysis.text.summary`; the same denominator is used with or without
  stop words and for n-grams, so rates from different lists of one unit are comparable;
- with ``mwe=True`` (default) a multiword expression is one term and its words are not
  counted again on their own (``Political Parties`` adds 1 to ``political parties``, nothing
  to ``parties``);
- stop words (:func:`analysis.text.stop_words`) are dropped unless ``stopwords=True``;
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

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.text import Processed, terms

__all__ = ["UNIT_COLUMNS", "frequency", "parse_unit",
           "stem_labels", "term_counts", "unit_words"]

#: Columns that identify a unit for each value of ``by``.
UNIT_COLUMNS = {"corpus": [], "doc": ["doc"], "section": ["doc", "section", "voice"]}


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def _stem(term: str) -> str:
    stem = _stemmer().stem
    return " ".join(stem(word) for word in term.split(" "))


def parse_unit(processed: Processed, spec: str) -> tuple[str, str | None]:
    """Read a unit name: a document id, or ``DOC:SECTION`` for one section of a document.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process`.
    spec : str
        ``"songtao-article"`` or ``"songtao-article:article"``.

    Returns
    -------
    (doc, section)
        ``section`` is None for a whole document.

    Raises
    ------
    KeyError
        One line naming the unknown document or section and the known ones.
    """
    doc, _, section = spec.partition(":") if spec not in processed.corpus.ids else (spec, "", "")
    if doc not in processed.corpus.ids:
        raise KeyError(f"no such document {doc!r} (known: {', '.join(processed.corpus.ids)})")
    if not section:
        return doc, None
    known = processed.paragraphs.loc[processed.paragraphs["doc"] == doc, "section"].unique()
    if section not in known:
        raise KeyError(f"document {doc!r} has no section {section!r} (known: {', '.join(known)})")
    return doc, section


def _mask(table: pd.DataFrame, doc: str | None, section: str | None) -> pd.Series:
    mask = pd.Series(True, index=table.index)
    if doc is not None:
        mask &= table["doc"] == doc
    if section is not None:
        mask &= table["section"] == section
    return mask


def unit_words(processed: Processed, doc: str | None = None, section: str | None = None) -> int:
    """Number of word tokens (not ``'s`` or ``&``) of the corpus, a document or a section."""
    tokens = processed.tokens
    return int((tokens["is_word"] & _mask(tokens, doc, section)).sum())


def _ngram_rows(processed: Processed, n: int, stopwords: bool) -> pd.DataFrame:
    """One row per n-gram occurrence: doc, section, voice, term (n-grams within sentences).

    Vectorized: the n-gram starting at row ``i`` is kept when rows ``i`` and ``i + n - 1``
    belong to one sentence of one document (the token table lists each sentence's tokens
    together, in text order).
    """
    tokens = processed.tokens
    size = len(tokens) - n + 1
    if size <= 0:
        return pd.DataFrame({c: pd.Series([], dtype=object)
                             for c in ("doc", "section", "voice", "term")})
    docs = tokens["doc"].to_numpy()
    sentences = tokens["sentence"].to_numpy()
    keep = (sentences[:size] == sentences[n - 1:]) & (docs[:size] == docs[n - 1:])
    if not stopwords:
        edge = (tokens["is_word"] & ~tokens["is_stop"]).to_numpy()
        keep &= edge[:size] & edge[n - 1:]
    rows = np.flatnonzero(keep)
    code, vocabulary = pd.factorize(tokens["term"].to_numpy())
    vocabulary = np.asarray(vocabulary, dtype=object)
    if len(vocabulary) ** n < 2 ** 62:
        # Each n-gram as one integer; its text is built once per distinct n-gram.
        key = code[rows].astype(np.int64)
        for k in range(1, n):
            key = key * len(vocabulary) + code[rows + k]
        index, distinct = pd.factorize(key)
        parts = [np.asarray(distinct) // len(vocabulary) ** (n - 1 - k) % len(vocabulary)
                 for k in range(n)]
        text = vocabulary[parts[0]]
        for part in parts[1:]:
            text = text + " " + vocabulary[part]
        gram = text[index] if len(rows) else np.array([], dtype=object)
    else:
        gram = vocabulary[code[rows]]
        for k in range(1, n):
            gram = gram + " " + vocabulary[code[rows + k]]
    return pd.DataFrame({
        "doc": docs[rows],
        "section": tokens["section"].to_numpy()[rows],
        "voice": tokens["voice"].to_numpy()[rows],
        "term": gram,
    })


def _occurrences(processed: Processed, ngram: int, stopwords: bool, mwe: bool) -> pd.DataFrame:
    """One row per counted occurrence: doc, section, voice, term."""
    if ngram < 1:
        raise ValueError(f"ngram must be 1 or more, not {ngram}")
    if ngram > 1:
        return _ngram_rows(processed, ngram, stopwords)
    table = terms(processed, mwe)
    keep = table["is_word"] if stopwords else table["is_word"] & ~table["is_stop"]
    return table.loc[keep, ["doc", "section", "voice", "term"]]


def _check_docs(processed: Processed, docs: Iterable[str] | None) -> list[str] | None:
    if docs is None:
        return None
    docs = [docs] if isinstance(docs, str) else list(docs)
    known = set(processed.corpus.ids)
    for doc in docs:
        if doc not in known:
            raise KeyError(f"no such document {doc!r} (known: {', '.join(processed.corpus.ids)})")
    return docs


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


def frequency(
    processed: Processed,
    by: str = "corpus",
    *,
    ngram: int = 1,
    stopwords: bool = False,
    stem: bool = False,
    mwe: bool = True,
    min_count: int = 1,
    top: int | None = None,
    docs: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Word list of the corpus, of each document or of each section.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process`.
    by : {"corpus", "doc", "section"}
        One list for the corpus, one per document or one per section (see module docstring).
    ngram : int, default 1
        1 for terms (words and multiword expressions), 2 or 3 for n-grams within sentences.
    stopwords : bool, default False
        Keep stop words (for n-grams: keep n-grams that start or end with one).
    stem : bool, default False
        Group word forms by Snowball stem, labelled by their most frequent form.
    mwe : bool, default True
        Count curated multiword expressions as one term (unigrams only).
    min_count : int, default 1
        Drop terms counted fewer times in their unit.
    top : int, optional
        Keep the first ``top`` rows of each unit.
    docs : iterable of str, optional
        With ``by="doc"`` or ``"section"``: only the units of these documents (e.g. from
        :func:`analysis.text.largest_units`). Their rows are the same as without ``docs``
        (stem groups are still labelled over the whole corpus).

    Returns
    -------
    DataFrame
        Unit columns (none, ``doc``, or ``doc, section, voice``), then ``term, count,
        per_1000`` (rounded to 3 decimals) and, with ``stem=True``, ``forms``. Units come in
        corpus and paragraph order; within a unit, count descending then term.

    Raises
    ------
    KeyError
        A document of ``docs`` is not in the corpus.
    """
    if by not in UNIT_COLUMNS:
        raise ValueError(f"by must be one of {', '.join(UNIT_COLUMNS)}, not {by!r}")
    docs = _check_docs(processed, docs)
    if docs is not None and by == "corpus":
        raise ValueError('docs selects units of by="doc" or by="section", not of the corpus')
    keys = UNIT_COLUMNS[by]
    # Counting goes by document and section name (a section's voice only labels it).
    counted = [k for k in keys if k != "voice"]
    occ = _occurrences(processed, ngram, stopwords, mwe)
    columns = keys + ["term", "count", "per_1000"] + (["forms"] if stem else [])
    forms = {}
    if stem:
        label, forms = stem_labels(occ["term"].value_counts())
    if docs is not None and keys:
        occ = occ[occ["doc"].isin(docs)]
    if keys:
        order = processed.paragraphs.drop_duplicates(keys)[keys].reset_index(drop=True)
        if docs is not None:
            order = order[order["doc"].isin(docs)].reset_index(drop=True)
    else:
        order = pd.DataFrame(index=[0])
    if len(order) == 0:
        return pd.DataFrame(columns=columns)
    counts = occ.groupby(counted + ["term"], sort=False).size().rename("count").reset_index()
    if stem:
        counts["term"] = counts["term"].map(label)
        counts = counts.groupby(counted + ["term"], sort=False)["count"].sum().reset_index()
    counts = counts[counts["count"] >= min_count]
    tokens = processed.tokens
    if counted:
        words = tokens.loc[tokens["is_word"]].groupby(counted, sort=False).size()
        units = order.assign(_unit=np.arange(len(order))).merge(
            words.rename("_words").reset_index(), on=counted, how="left")
        table = units.merge(counts, on=counted, how="inner")
    else:
        table = counts.assign(_unit=0, _words=int(tokens["is_word"].sum()))
    if top is not None and len(table):
        # Only rows counted at least as often as the unit's top-th row can make its top rows:
        # drop the others before the sort by term (the slow part with 100,000s of n-grams).
        unit, count = table["_unit"].to_numpy(), table["count"].to_numpy()
        by_count = np.lexsort((-count, unit))
        rank = pd.Series(unit[by_count]).groupby(unit[by_count]).cumcount().to_numpy()
        floor = pd.Series(count[by_count][rank < top]).groupby(
            unit[by_count][rank < top]).min()
        table = table[count >= floor.reindex(unit).to_numpy()]
    table = table.sort_values(["_unit", "count", "term"], ascending=[True, False, True],
                              kind="mergesort")
    if top is not None:
        table = table[table.groupby("_unit", sort=False).cumcount() < top]
    count = table["count"].astype(int)
    words = table["_words"].fillna(0).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(words > 0, count.to_numpy() / words * 1000, 0.0)
    out = table[keys].astype(str) if keys else pd.DataFrame(index=table.index)
    out["term"] = table["term"].astype(object)
    out["count"] = count
    out["per_1000"] = np.round(rate, 3)
    if stem:
        out["forms"] = out["term"].map(forms)
    return out[columns].reset_index(drop=True)


def term_counts(
    processed: Processed,
    doc: str | None = None,
    section: str | None = None,
    *,
    exclude: tuple[str, str | None] | None = None,
    ngram: int = 1,
    stopwords: bool = False,
    stem: bool = False,
    mwe: bool = True,
) -> tuple[pd.Series, int]:
    """Counts of every term in one unit, and the unit's size in words (for keyness).

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process`.
    doc, section : str, optional
        The unit; both None for the whole corpus.
    exclude : (doc, section), optional
        Leave this unit out (the "rest of the corpus" is ``doc=None, exclude=target``).
    ngram, stopwords, stem, mwe
        As in :func:`frequency`.

    Returns
    -------
    counts : Series
        Term -> count (int), sorted by term.
    words : int
        Word tokens of the unit (the denominator of relative frequencies).
    """
    occ = _occurrences(processed, ngram, stopwords, mwe)
    mask = _mask(occ, doc, section)
    words = unit_words(processed, doc, section)
    if exclude is not None:
        mask &= ~_mask(occ, *exclude)
        words -= unit_words(processed, *exclude)
    selected = occ.loc[mask, "term"]
    if stem:  # groups are labelled over the whole corpus
        label, _ = stem_labels(occ["term"].value_counts())
        selected = selected.map(label)
    counts = selected.value_counts().sort_index()
    return counts.astype(int), words
