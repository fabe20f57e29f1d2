"""Metaphor and idiom markers, and quoted sayings.

Metaphor and idiom
------------------
:func:`metaphors` lists every candidate marker of a dictionary (by default the case
study's, ``dictionaries/data/metaphors.csv``: kind, source domain and marker) with its
sentence; :func:`quotations` lists quoted spans and flags sayings
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

from analysis import config, units
from analysis.dictionaries import CASE_STUDY, Dictionary, case_study_or_file, read_dictionary
from analysis.dictionaries.lookup import find, match_table
from analysis.params import shared_docs
from analysis.text.process import Processed

__all__ = ["case_study_markers", "metaphor_counts", "metaphor_markers", "metaphors", "quotations"]

#: The case study's metaphor and idiom markers: a dictionary (category
#: ``kind.domain.marker``, each entry with its source) read by the one dictionary engine.
MARKERS = config.PACKAGE_DIR / "dictionaries" / "data" / "metaphors.csv"
#: The top-level category of names whose words are no metaphor (*Belt and Road*).
NAME = "name"
COLUMNS = ["doc", "section", "voice", "paragraph", "sentence", "marker", "kind", "domain",
           "match", "text"]


@lru_cache(maxsize=1)
def case_study_markers() -> Dictionary:
    """The markers written for the seed corpus (``dictionaries/data/metaphors.csv``), a
    case-study dictionary: reports apply it to the seeds, and to another corpus only when
    asked.

    Examples
    --------
    >>> d = case_study_markers()
    >>> d.case_study, d.categories(level=1)
    (True, ['metaphor', 'idiom', 'name'])
    """
    return read_dictionary(MARKERS, case_study=True)


#: The case study's markers as a hand-checked sample: every candidate of the seed corpus, judged
#: in its sentence (``correct``, with a ``note`` where it is no figure).
CODED = config.PACKAGE_DIR / "dictionaries" / "data" / "metaphors-seeds-coded.csv"


def metaphor_markers(corpus, choice: str | None = None) -> Dictionary | None:
    """The marker dictionary a report applies
    (:func:`analysis.dictionaries.case_study_or_file`): the case study's on the seed corpus
    only, or as asked. None where no marker list fits the corpus: the case study's markers
    were written for two texts and, on other text, count literal *gold*, *storm* and
    *chapter*.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> metaphor_markers(load_corpus()).name, metaphor_markers(load_corpus(), "case-study").name
    ('metaphors.csv', 'metaphors.csv')
    """
    return case_study_or_file(corpus, choice, case_study_markers)


@shared_docs
def metaphors(processed: Processed, dictionary: Dictionary | str | None = CASE_STUDY, *,
              where=None) -> pd.DataFrame:
    """Every candidate metaphor or idiom marker of a dictionary, with its sentence.

    A marker match is a *candidate*: the words *road*, *gold* or *storm* are literal as
    often as not, and only reading the sentence (or a construction, as
    :mod:`analysis.framing.roads` requires for roads) tells. The dictionary's categories are
    ``kind.domain.marker`` (``metaphor.journey.road``); categories under ``name`` are names
    whose words are not counted (the *road* of *Belt and Road*): the dictionary is applied
    with ``nested_scope="dictionary"``, so a marker inside a longer name does not count.

    Parameters
    ----------
    {processed}
    {where}
    dictionary : Dictionary, "case-study" or None, default "case-study"
        Markers in the layout above, or the case study's (:func:`case_study_markers`);
        None: no marker list (an empty table, as :func:`metaphor_markers` gives for a corpus
        the case study's markers were not written for).

    Returns
    -------
    DataFrame
        ``doc, section, voice, paragraph, sentence, marker, kind, domain, match, text``, one
        row per match (``match`` as the text writes it), in corpus and text order.

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
    processed = units.select(processed, where)
    if dictionary is None:
        return pd.DataFrame(columns=COLUMNS)
    if isinstance(dictionary, str):
        dictionary = metaphor_markers(processed.corpus, dictionary)  # "case-study"
    found = find(processed, dictionary, nested_scope="dictionary")
    path = [tuple(name.split(".")) for name in found.categories]
    keep = np.array([p[0] != NAME and len(p) == 3 for p in path], dtype=bool)[found.category] \
        if len(found.category) else np.zeros(0, dtype=bool)
    table = match_table(processed, found, keep)
    parts = pd.DataFrame(table["category"].str.split(".").tolist() if len(table) else [],
                         columns=["kind", "domain", "marker"], index=table.index)
    return table.join(parts)[COLUMNS]


@shared_docs
def metaphor_counts(processed: Processed, table: pd.DataFrame, *, by: str = "doc",
                    where=None) -> pd.DataFrame:
    """Count :func:`metaphors` rows per group and marker.

    Parameters
    ----------
    processed : Processed
        The corpus the table comes from.
    table : DataFrame
        :func:`metaphors`.
    {by}
    {where}

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
    processed = units.prepare(processed, by, where)
    table = units.restrict(table, processed)
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


def quotations(processed: Processed, *, where=None) -> pd.DataFrame:
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
    processed = units.select(processed, where)
    rows = []
    c = processed.columns
    # The sentence holding a quote: binary search in its document's sentence starts (a
    # document's sentences are consecutive rows, in text order), on the corpus's arrays.
    per_doc = np.bincount(c.sent_doc, minlength=c.n_docs)
    first = (np.cumsum(per_doc) - per_doc).tolist()
    per_doc = per_doc.tolist()
    sent_start, sent_end = c.sent_start, c.sent_end
    doc_id, text = None, ""
    for k, (d, p_start, p_end) in enumerate(zip(c.para_doc.tolist(), c.para_start.tolist(),
                                                c.para_end.tolist(), strict=True)):
        if processed.doc_ids[d] != doc_id:
            doc_id = processed.doc_ids[d]
            text = processed.texts[doc_id]
        for m in QUOTE.finditer(text[p_start:p_end]):  # the paragraph alone is searched
            start = p_start + m.start()
            lo = first[d]
            i = int(np.searchsorted(sent_start[lo:lo + per_doc[d]], start, side="right")) - 1
            if i < 0 or sent_end[lo + i] <= start:
                raise IndexError(f"no sentence of {doc_id!r} holds offset {start}")
            row = lo + i
            s_start, s_end = int(sent_start[row]), int(sent_end[row])
            introducer = " ".join(re.findall(r"[\w'-]+", text[s_start:start])[-6:])
            rows.append({"doc": doc_id, "section": c.names[c.para_section[k]],
                         "voice": c.names[c.para_voice[k]],
                         "paragraph": int(c.para_number[k]), "sentence": int(c.sent_number[row]),
                         "introducer": introducer, "quote": (m.group("q") or m.group("s")),
                         "saying": bool(SAYING.search(introducer)), "text": text[s_start:s_end]})
    columns = ["doc", "section", "voice", "paragraph", "sentence", "introducer", "quote",
               "saying", "text"]
    return pd.DataFrame(rows, columns=columns)
