"""Metaphor and idiom markers, and quoted sayings.

Metaphor and idiom
------------------
:func:`metaphors` lists every match of ``lexicons/metaphors.csv`` (marker, pattern, kind,
source domain) with its sentence; :func:`quotations` lists quoted spans and flags sayings
introduced by ``saying``, ``proverb``, ``adage`` or ``goes``.

Data flow: the input is the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process` (its sentence and paragraph tables); the tables go to
:mod:`analysis.plots` (``grouped_bars_plot``) and the framing notebook.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import units
from analysis.lexicons import read_lexicon, sentence_matches
from analysis.text.process import Processed


@lru_cache(maxsize=1)
def metaphor_lexicon() -> pd.DataFrame:
    """``lexicons/metaphors.csv``: ``marker, pattern, kind, domain, note`` (file order).

    Examples
    --------
    >>> lexicon = metaphor_lexicon()
    >>> lexicon.columns.tolist()
    ['marker', 'pattern', 'kind', 'domain', 'note']
    >>> lexicon.loc[0, ["marker", "kind", "domain"]].tolist()
    ['road', 'metaphor', 'journey']
    """
    return pd.DataFrame(read_lexicon("metaphors"))


def metaphors(processed: Processed, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every metaphor or idiom marker of the lexicon, with its sentence.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`.
    lexicon : DataFrame, optional
        ``marker, pattern, kind, domain`` rows; default ``lexicons/metaphors.csv``.

    Returns
    -------
    DataFrame
        ``doc, section, voice, paragraph, sentence, marker, kind, domain, match, text``, one
        row per match, in corpus and text order (ties by marker).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = metaphors(process(load_corpus()))
    >>> table[["doc", "marker", "domain", "match"]].head(3)  # doctest: +NORMALIZE_WHITESPACE
                   doc       marker   domain        match
    0  songtao-article  all-weather  weather  all weather
    1  songtao-article  new heights  journey  new heights
    2  songtao-article     brothers  kinship     brothers
    """
    lexicon = metaphor_lexicon() if lexicon is None else lexicon
    entries = [(row, re.compile(rf"\b(?:{row['pattern']})\b", re.IGNORECASE))
               for row in lexicon.to_dict("records")]
    rows = []
    sentences = processed.sentences
    hits = sentence_matches(sentences["text"].tolist(), [p for _, p in entries])
    for sent, sentence_hits in zip(sentences.itertuples(index=False), hits, strict=True):
        found = []
        for k, start, match in sentence_hits:
            row = entries[k][0]
            found.append((start, row["marker"], row["kind"], row["domain"], match))
        for _, marker, kind, domain, match in sorted(found):
            rows.append({"doc": sent.doc, "section": sent.section, "voice": sent.voice,
                         "paragraph": sent.paragraph, "sentence": sent.sentence,
                         "marker": marker, "kind": kind, "domain": domain, "match": match,
                         "text": sent.text})
    columns = ["doc", "section", "voice", "paragraph", "sentence", "marker", "kind", "domain",
               "match", "text"]
    return pd.DataFrame(rows, columns=columns)


def metaphor_counts(processed: Processed, table: pd.DataFrame, by: str = "doc") -> pd.DataFrame:
    """Count :func:`metaphors` rows per group and marker.

    Parameters
    ----------
    processed : Processed
        The corpus the table comes from.
    table : DataFrame
        :func:`metaphors`.
    by : str, default "doc"
        The grouping (:mod:`analysis.units`).

    Returns
    -------
    DataFrame
        Group columns, ``marker, kind, domain, count``; groups in their order, then count
        descending, ties by marker.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> counts = metaphor_counts(processed, metaphors(processed), by="voice")
    >>> counts.head(3)  # doctest: +NORMALIZE_WHITESPACE
           voice       marker      kind   domain  count
    0  newspaper  all-weather  metaphor  weather      1
    1  newspaper  new heights  metaphor  journey      1
    2   Song Tao         road  metaphor  journey      4
    """
    keys = units.group_columns(by)
    columns = [*keys, "marker", "kind", "domain", "count"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    table = units.grouped(processed, table, by)
    out = table.groupby(["_group", *keys, "marker", "kind", "domain"]).size().rename("count")
    out = out.reset_index().assign(_c=lambda t: -t["count"])
    return out.sort_values(["_group", "_c", "marker"])[columns].reset_index(drop=True)


QUOTE = re.compile(r"\"(?P<q>[^\"]{3,}?)\"|(?<![\w])'(?P<s>[^'\n]{3,}?)'(?![\w])")
SAYING = re.compile(r"\b(?:saying|sayings|proverb|proverbs|adage|goes)\b", re.IGNORECASE)


def quotations(processed: Processed) -> pd.DataFrame:
    """Quoted spans (double quotes, or single quotes not used as apostrophes), with sayings.

    The ``introducer`` is up to six words before the quotation in its sentence; the quotation
    is flagged ``saying`` when they contain ``saying``, ``proverb``, ``adage`` or ``goes``
    (``As the old saying goes, "..."``).

    Returns
    -------
    DataFrame
        ``doc, section, voice, paragraph, sentence, introducer, quote, saying, text``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = quotations(process(load_corpus()))
    >>> len(table), int(table["saying"].sum())
    (8, 2)
    >>> table.loc[table["saying"], "introducer"].tolist()
    ['As the old saying goes', 'As an old saying goes']
    """
    rows = []
    sents = processed.sentences
    # The sentence holding a quote: binary search in its document's sentence starts (a
    # lookup, not a filter of every sentence of the corpus per quote).
    spans = {doc: (group["start"].to_numpy(), group["end"].to_numpy(), group.index.to_numpy())
             for doc, group in sents.sort_values(["doc", "start"]).groupby("doc", sort=False)}
    for para in processed.paragraphs.itertuples(index=False):
        for m in QUOTE.finditer(para.text):
            start = para.start + m.start()
            starts, ends, index = spans[para.doc]
            i = int(np.searchsorted(starts, start, side="right")) - 1
            if i < 0 or ends[i] <= start:
                raise IndexError(f"no sentence of {para.doc!r} holds offset {start}")
            inside = sents.loc[index[i]]
            before = processed.texts[para.doc][int(inside["start"]):start]
            introducer = " ".join(re.findall(r"[\w'-]+", before)[-6:])
            rows.append({"doc": para.doc, "section": para.section, "voice": para.voice,
                         "paragraph": para.paragraph, "sentence": int(inside["sentence"]),
                         "introducer": introducer, "quote": (m.group("q") or m.group("s")),
                         "saying": bool(SAYING.search(introducer)), "text": inside["text"]})
    columns = ["doc", "section", "voice", "paragraph", "sentence", "introducer", "quote",
               "saying", "text"]
    return pd.DataFrame(rows, columns=columns)
