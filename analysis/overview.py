"""The overview of a processed corpus: sizes per unit, sentence lengths, suspected noise.

Data flow: the input is the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process`, with units resolved by :mod:`analysis.units`; the
tables go to :mod:`analysis.narrate` (``overview``), :mod:`analysis.plots`, the command line
and the corpus-overview notebook.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis import index, units
from analysis.lexicons import read_lexicon
from analysis.params import Interval, constrained, shared_docs
from analysis.text.boilerplate import repeated_line_rows
from analysis.text.clean import broken_encodings
from analysis.text.noise import candidates
from analysis.text.process import Processed

__all__ = ["sentence_lengths", "summary", "suspected_noise"]


@shared_docs
def summary(processed: Processed, *, by: str = "doc", where=None) -> pd.DataFrame:
    """Size of each document, section or group: paragraphs, sentences, words, types, TTR.

    Parameters
    ----------
    processed : Processed
        Output of :func:`process`.
    by : str, default "doc"
        ``doc`` (one row per document, with every document variable), ``section`` (one row
        per document section, in paragraph order), or ``corpus``, ``voice`` or a document
        variable (one row per group, with its number of ``documents``); see
        :mod:`analysis.units`.
    {where}

    Returns
    -------
    DataFrame
        Group columns, then ``paragraphs, sentences, words, types, ttr``, where ``words``
        counts word tokens (not ``'s`` or ``&``), ``types`` the distinct lower-cased words
        and ``ttr = types / words`` (the type/token ratio, which falls as a text grows, so
        compare it only between texts of similar length).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = summary(process(load_corpus()), by="voice")
    >>> table[["voice", "documents", "words"]].values.tolist()
    [['newspaper', 1, 290], ['Song Tao', 1, 1056], ['award report', 1, 1137]]
    """

    processed = units.prepare(processed, by, where)
    # From the corpus's arrays: a sentence's or a word's group is its paragraph's.
    para_codes, groups = units.paragraph_codes(processed, by)
    c = processed.columns
    sent_codes = para_codes[c.sent_para]
    vocabulary = c.term_names
    n = len(groups)
    table = units.group_table(groups)
    if by not in ("doc", "section"):
        table["documents"] = units.groups_of(processed, by)["documents"].to_numpy()
    table["paragraphs"] = np.bincount(para_codes, minlength=n)
    table["sentences"] = np.bincount(sent_codes, minlength=n)
    if index.available(c):  # from the index's segment counts (or its totals, by document)
        table["words"] = np.bincount(para_codes, weights=c.para_words,
                                     minlength=n).astype(np.int64)
        table["types"] = index.doc_types(c) if by == "doc" else index.group_types(
            c, para_codes, n, c.seg_para, index.matrix(c), c.dtm_order, index.merged_terms(c))
    else:
        word_rows, word_codes, _ = units.word_codes(processed, by)
        term_codes = c.tok_term[word_rows]
        table["words"] = np.bincount(word_codes, minlength=n)
        # Distinct (group, term) pairs by a sort: numpy 2's hashing np.unique takes seconds
        # on ten million keys.
        pairs = np.sort(word_codes * max(len(vocabulary), 1) + term_codes)
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) \
            else pairs
        table["types"] = np.bincount(pairs // max(len(vocabulary), 1), minlength=n)
    table["ttr"] = (table["types"] / table["words"].where(table["words"] > 0)).round(4)
    if by == "doc":
        variables = units.variables(processed.corpus)
        variables = variables.rename(columns={  # a metadata column named like a size
            c: f"{c} (metadata)" for c in variables.columns if c != "doc" and c in table})
        table = variables.merge(table, on="doc", how="right")
        if "title" not in table.columns:
            table.insert(1, "title", [d.title for d in processed.corpus])
    return table.reset_index(drop=True)


@shared_docs
def sentence_lengths(processed: Processed, *, by: str = "doc", where=None) -> pd.DataFrame:
    """The length in words of every sentence, with its ``by`` group (for a box plot).

    Parameters
    ----------
    {processed}
    {by}
    {where}

    Returns
    -------
    DataFrame
        The group columns of ``by`` (:func:`analysis.units.group_columns`), then ``words``;
        groups in their order, sentences in text order within a group.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> lengths = sentence_lengths(process(load_corpus()), by="voice")
    >>> len(lengths), lengths["words"].head(3).tolist()
    (99, [8, 3, 4])
    >>> lengths.groupby("voice", sort=False)["words"].max().to_dict()
    {'newspaper': 60, 'Song Tao': 43, 'award report': 77}
    """

    processed = units.prepare(processed, by, where)
    para_codes, groups = units.paragraph_codes(processed, by)
    c = processed.columns
    codes = para_codes[c.sent_para]  # each sentence's group, through its paragraph
    order = np.argsort(codes, kind="mergesort")
    table = pd.DataFrame({column: groups[column].to_numpy()[codes[order]]
                          for column in units.group_columns(by)})
    table["words"] = c.sent_words.astype(np.int64)[order]
    return table


CAMEL_CASE = re.compile(r"\b[A-Z]?[a-z]{2,}[A-Z][a-z]{2,}\w*")
GLUED_PUNCTUATION = re.compile(r"\b[A-Za-z]{2,}[&;:!?,][A-Za-z]{2,}\b|\b[a-z]{2,}\.[A-Z][a-z]+")
REPEATED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


@constrained(min_length=Interval(1))
@shared_docs
def suspected_noise(processed: Processed, min_length: int = 12, *, where=None) -> pd.DataFrame:
    """List what looks like noise but was not corrected, for the analyst to review.

    Checks run on the cleaned text: camel-case words (``NaeemCheema``), punctuation glued
    between words, a word repeated, long lower-case words unknown to ``wordfreq``'s English
    list that split into two known words (``changinginternational``), other lower-case words
    unknown to ``wordfreq``, short paragraphs that read like web-page boilerplate
    (``lexicons/boilerplate.csv``), lines repeated across documents (a database's headers,
    a site's footer: :func:`analysis.text.boilerplate.repeated_lines`, one row per line at
    its first place, the suggestion saying in how many documents and where it usually
    stands), and broken encodings left in the text (mojibake kept with
    ``fix_encoding=False``; the suggestion is ftfy's repair). Corrections go in
    ``lexicons/corrections.csv``; repeated lines are removed by the cleaning option
    ``drop_repeated_lines`` or a pattern file (``drop_lines``).

    Parameters
    ----------
    processed : Processed
        Output of :func:`process`.
    {where}
    min_length : int, default 12
        Shortest unknown word that is tried as two run-together words.

    Returns
    -------
    DataFrame
        ``doc, paragraph, position, text, kind, suggestion``, ordered by document and position.

    Examples
    --------
    A toy corpus of one document, processed without the on-disk cache:

    >>> from analysis.corpus import Corpus, Document
    >>> from analysis.text.process import compute
    >>> text = "The the HarbourView team saw a roadtransportation plan."
    >>> noise = suspected_noise(compute(Corpus((Document("a", "a.txt", text),))))
    >>> noise[["position", "text", "kind", "suggestion"]]  # doctest: +NORMALIZE_WHITESPACE
       position                text                kind           suggestion
    0         0             The the       repeated word
    1         8         HarbourView     camel-case word
    2        31  roadtransportation  run-together words  road transportation
    """
    processed = units.select(processed, where)
    from wordfreq import zipf_frequency

    boilerplate = {row["phrase"] for row in read_lexicon("boilerplate")}
    rows = []
    c = processed.columns
    # Only the paragraphs where a check may find something are read (each condition of
    # analysis.text.noise is implied by a match), each sliced from its document's text.
    found = candidates(processed, letters=max(map(len, boilerplate), default=-1))
    every = np.ones(len(c.para_doc), dtype=bool)
    checks = [(CAMEL_CASE, "camel-case word", found["camel"]),
              (GLUED_PUNCTUATION, "punctuation without space", found["glued"]),
              (REPEATED_WORD, "repeated word", every)]
    short = found["short"]
    doc_id, text = None, ""
    for row, d, number, p_start, p_end in zip(
            range(len(every)), c.para_doc.tolist(), c.para_number.tolist(),
            c.para_start.tolist(), c.para_end.tolist(), strict=True):
        if processed.doc_ids[d] != doc_id:
            doc_id = processed.doc_ids[d]
            text = processed.texts[doc_id]
        para_text = text[p_start:p_end]
        base = dict(doc=doc_id, paragraph=number)
        for pattern, kind, may in checks:
            if not may[row]:
                continue
            for m in pattern.finditer(para_text):
                rows.append({**base, "position": p_start + m.start(), "text": m.group(),
                             "kind": kind, "suggestion": ""})
        if found["non_ascii"][row]:  # kept: --no-fix-encoding
            for start, end, repair, _ in broken_encodings(para_text):
                rows.append({**base, "position": p_start + start, "text": para_text[start:end],
                             "kind": "broken encoding", "suggestion": repair})
        if short[row] and re.sub(r"[^a-z ]", "", para_text.lower()).strip() in boilerplate:
            rows.append({**base, "position": p_start, "text": para_text,
                         "kind": "boilerplate line", "suggestion": "remove"})
    for line in repeated_line_rows(processed).itertuples(index=False):
        rows.append({"doc": line.doc, "paragraph": line.paragraph, "position": line.position,
                     "text": line.text, "kind": "repeated line",
                     "suggestion": f"remove: in {line.documents:,} documents, usually "
                                   f"paragraph {line.typical}"})
    # Each distinct surface and term is tested once (the 1M-word convention corpus has 1.07M
    # word tokens but 9,040 distinct ones), then only the tokens of unknown terms are
    # visited, on the corpus's arrays (no table of the tokens).
    words = c.word_rows
    surface = c.tok_surface[words]
    lower_case = re.compile(r"[a-z]+(?:-[a-z]+)*")
    used = np.flatnonzero(np.bincount(surface, minlength=len(c.surfaces)))
    is_lower = np.zeros(len(c.surfaces), dtype=bool)
    is_lower[used] = [bool(lower_case.fullmatch(t)) for t in c.surfaces[used].tolist()]
    lower = words[is_lower[surface]]
    term = c.surface_term[c.tok_surface[lower]]
    used = np.flatnonzero(np.bincount(term, minlength=len(c.term_names)))
    known = np.zeros(len(c.term_names), dtype=bool)
    known[used] = [zipf_frequency(t, "en") > 0 for t in c.term_names[used].tolist()]
    unknown = lower[~known[term]]
    para = c.para_of(unknown)
    splits: dict[str, str] = {}
    for doc, number, position, name, token in zip(
            processed.doc_ids[c.para_doc[para]].tolist(), c.para_number[para].tolist(),
            c.tok_start[unknown].tolist(),
            c.term_names[c.surface_term[c.tok_surface[unknown]]].tolist(),
            c.surfaces[c.tok_surface[unknown]].tolist(), strict=True):
        if name not in splits:
            split = ""
            if len(name) >= min_length:
                for cut in range(3, len(name) - 2):
                    left, right = name[:cut], name[cut:]
                    if zipf_frequency(left, "en") >= 3 and zipf_frequency(right, "en") >= 3:
                        split = f"{left} {right}"
                        break
            splits[name] = split
        split = splits[name]
        rows.append({"doc": doc, "paragraph": number, "position": position, "text": token,
                     "kind": "run-together words" if split else "unknown word",
                     "suggestion": split})
    columns = ["doc", "paragraph", "position", "text", "kind", "suggestion"]
    table = pd.DataFrame(rows, columns=columns)
    order = {doc: i for i, doc in enumerate(processed.corpus.ids)}
    table = table.sort_values(["doc", "position", "kind"], key=lambda s: s.map(order)
                              if s.name == "doc" else s)
    return table.reset_index(drop=True)
