"""Frame coding of sentences with a frame dictionary, on the one dictionary engine.

Frame coding
------------
:func:`code_frames` codes each sentence with the categories (frames) of a dictionary
(:mod:`analysis.dictionaries`): a sentence carries a frame when any entry of the frame
matches in it, under the engine's rules; it may carry several. The default is the case
study's frame dictionary ``dictionaries/data/frames.csv``: the dimensions of the Policy Frames
Codebook (Boydstun, Card, Gross, Resnik & Smith 2014, "Tracking the development of media
frames within and across policy issues", APSA), adapted to party diplomacy, plus the
*conflict* frame of Semetko & Valkenburg (2000), "Framing European politics", *Journal of
Communication* 50(2), each entry with its source. It was written for the seed texts:
report 03 applies it to the seed corpus and, to another corpus, only when asked
(``-p FRAMES=case-study``, or the analyst's own frame dictionary, ``-p FRAMES=FILE``).
:func:`frame_shares` reports, per document or section, the number of sentences carrying
each frame and ``share = sentences with the frame / all sentences of the unit``; because a
sentence may carry several frames the shares do not sum to 1, and the ``(uncoded)`` row
gives the share of sentences no entry of the dictionary matches (which says that the
dictionary has no word for them, not that they carry no frame).

Data flow: the input is the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process`; the tables go to :mod:`analysis.narrate`
(``frames``), :mod:`analysis.plots` (``frame_heatmap``), the command line and the framing
notebook.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import config, units
from analysis.dictionaries import Dictionary, case_study_or_file, read_dictionary
from analysis.dictionaries.builtin import builtin
from analysis.dictionaries.lookup import find, match_table
from analysis.params import shared_docs
from analysis.text.process import Processed

__all__ = ["case_study_frames", "code_frames", "frame_dictionary", "frame_matrix", "frame_order",
           "frame_shares", "uncoded_sentences"]

#: The case study's frame dictionary.
FRAMES = config.PACKAGE_DIR / "dictionaries" / "data" / "frames.csv"


@lru_cache(maxsize=1)
def case_study_frames() -> Dictionary:
    """The frame dictionary written for the seed corpus (``dictionaries/data/frames.csv``).

    Examples
    --------
    >>> d = case_study_frames()
    >>> d.case_study, len(d.categories()), d.categories()[:2]
    (True, 15, ['economic', 'capacity and resources'])
    """
    return read_dictionary(FRAMES, case_study=True)


def frame_dictionary(corpus, choice: str | None = None) -> Dictionary:
    """The frame dictionary a report applies: with no ``choice``, the case study's on the seed
    corpus and the Policy Frames Codebook's (the built-in ``policy-frames``,
    :mod:`analysis.dictionaries.builtin`) on any other; else the case study's
    (``"case-study"``), a built-in one by name, or the file ``choice``
    (:func:`analysis.dictionaries.case_study_or_file`).

    Examples
    --------
    >>> from analysis.corpus import Corpus, load_corpus
    >>> frame_dictionary(load_corpus()).name, frame_dictionary(Corpus(())).name
    ('frames.csv', 'policy-frames')
    """
    chosen = case_study_or_file(corpus, choice, case_study_frames)
    return builtin("policy-frames") if chosen is None else chosen


def frame_order(dictionary: Dictionary | None = None) -> list[str]:
    """Frames in dictionary order (the fixed order of tables and heatmaps).

    Examples
    --------
    >>> frame_order()[:3]
    ['economic', 'capacity and resources', 'morality']
    >>> frame_order(Dictionary.from_mapping({"b": ["x"], "a": ["y"]}))
    ['b', 'a']
    """
    return (case_study_frames() if dictionary is None else dictionary).categories()


COLUMNS = ["doc", "section", "voice", "paragraph", "sentence", "frame", "matches", "text"]


@shared_docs
def code_frames(processed: Processed, dictionary: Dictionary | None = None, *,
                where=None) -> pd.DataFrame:
    """Code every sentence with the frames whose entries match in it.

    Parameters
    ----------
    {processed}
    {where}
    dictionary : Dictionary, optional
        A frame dictionary (categories are frames); default :func:`case_study_frames`.

    Returns
    -------
    DataFrame
        One row per sentence and frame it carries: ``doc, section, voice, paragraph,
        sentence, frame, matches`` (the matched forms, "; "-joined in text order, each
        once) and ``text``; sentences in corpus order, frames in dictionary order.
        Sentences without a frame are absent (see :func:`uncoded_sentences`).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> coded = code_frames(process(load_corpus()))
    >>> coded[["doc", "sentence", "frame", "matches"]].head(3)  # doctest: +NORMALIZE_WHITESPACE
                   doc  sentence      frame             matches
    0  songtao-article         1  political  political; parties
    1  songtao-article         3  political     minister; idcpc
    2  songtao-article         4   economic            economic
    """
    processed = units.select(processed, where)
    dictionary = case_study_frames() if dictionary is None else dictionary
    found = find(processed, dictionary)
    if not len(found.start):
        return pd.DataFrame(columns=COLUMNS)
    table = match_table(processed, found)
    rank = {name: k for k, name in enumerate(found.categories)}
    row = table["row"].to_numpy()
    sentence = processed.columns.tok_sentence[row]
    frame = table["category"].map(rank).to_numpy()
    # One row per (sentence, frame): its matched forms, each once, in text order.
    order = np.lexsort((row, frame, sentence))
    sentence, frame = sentence[order], frame[order]
    new = np.flatnonzero(np.r_[True, (sentence[1:] != sentence[:-1])
                               | (frame[1:] != frame[:-1])])
    forms = [" ".join(m.lower().split()) for m in table["match"].to_numpy()[order].tolist()]
    bounds = [*new.tolist(), len(order)]
    matches = ["; ".join(dict.fromkeys(forms[a:b])) for a, b in zip(bounds[:-1], bounds[1:],
                                                                    strict=True)]
    first = order[new]
    return pd.DataFrame({
        **{column: table[column].to_numpy()[first]
           for column in ("doc", "section", "voice", "paragraph", "sentence")},
        "frame": table["category"].to_numpy()[first], "matches": matches,
        "text": table["text"].to_numpy()[first]}, columns=COLUMNS)


def _coded_rows(processed: Processed, coded: pd.DataFrame) -> np.ndarray:
    """Whether each sentence of :attr:`Processed.columns` is in ``coded``."""
    out = np.zeros(len(processed.columns.sent_para), dtype=bool)
    out[units.sentence_rows(processed, coded)] = True
    return out


def uncoded_sentences(processed: Processed, dictionary: Dictionary | None = None,
                      coded: pd.DataFrame | None = None, *, where=None) -> pd.DataFrame:
    """Sentences that carry no frame: the dictionary's blind spots, for the analyst to read.

    ``coded`` (the output of :func:`code_frames` with the same dictionary) saves coding the
    corpus again.

    Returns
    -------
    DataFrame
        ``doc, section, voice, paragraph, sentence, text`` in corpus order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> uncoded = uncoded_sentences(process(load_corpus()))
    >>> len(uncoded), uncoded.loc[0, "text"]
    (4, 'By Song Tao')
    """
    processed = units.select(processed, where)
    coded = units.restrict(coded, processed)
    coded = code_frames(processed, dictionary) if coded is None else coded
    table = processed.sentence_table(np.flatnonzero(~_coded_rows(processed, coded)))
    return table[["doc", "section", "voice", "paragraph", "sentence", "text"]]


@shared_docs
def frame_shares(processed: Processed, *, by: str = "doc", where=None,
                 dictionary: Dictionary | None = None,
                 coded: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of each unit's sentences that carry each frame.

    ``share = n_f / N``, where ``n_f`` is the number of the unit's sentences carrying frame
    ``f`` (a sentence counts once per frame, however many of the frame's words it holds) and
    ``N`` the unit's sentences. A sentence may carry several frames, so shares do not sum to
    1; the ``(uncoded)`` row is the share of sentences carrying none. Frames follow the
    Policy Frames Codebook (Boydstun et al. 2014) plus Semetko & Valkenburg's (2000)
    conflict frame (see ``dictionaries/data/frames.csv``), or the frames of another
    dictionary.

    Parameters
    ----------
    {processed}
    {by}
    {where}
    dictionary : Dictionary, optional
        Default :func:`case_study_frames`.
    coded : DataFrame, optional
        :func:`code_frames` of the corpus with the same dictionary, to avoid coding it
        again.

    Returns
    -------
    DataFrame
        Group columns (``doc``; ``doc, section, voice``; ``genre``...), ``frame, sentences,
        total, share``; every frame of the dictionary appears for every unit (zeros
        included), in dictionary order, then ``(uncoded)``; units in their order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> shares = frame_shares(process(load_corpus()), by="voice")
    >>> shares.head(3)  # doctest: +NORMALIZE_WHITESPACE
           voice                   frame  sentences  total   share
    0  newspaper                economic          2     11  0.1818
    1  newspaper  capacity and resources          0     11  0.0000
    2  newspaper                morality          1     11  0.0909
    """
    processed = units.prepare(processed, by, where)
    keys = units.group_columns(by)
    coded = units.restrict(coded, processed)
    coded = code_frames(processed, dictionary) if coded is None else coded
    para_codes, groups = units.paragraph_codes(processed, by)
    c = processed.columns
    n = len(groups)
    sentence_group = para_codes[c.sent_para]
    totals = np.bincount(sentence_group, minlength=n)
    frames = frame_order(dictionary)
    # Sentences per (group, frame), the frames in dictionary order, then (uncoded).
    frame = pd.Index(frames).get_indexer(coded["frame"].to_numpy()) if len(coded) else \
        np.zeros(0, dtype=np.int64)
    coded_group = sentence_group[units.sentence_rows(processed, coded)]
    width = len(frames) + 1
    counts = np.bincount(coded_group[frame >= 0] * width + frame[frame >= 0],
                         minlength=n * width).reshape(n, width)
    counts[:, -1] = np.bincount(sentence_group[~_coded_rows(processed, coded)], minlength=n)
    kept = np.flatnonzero(totals > 0).tolist()
    unit = groups[keys].to_dict("list")
    names = [*frames, "(uncoded)"]
    rows = {key: [values[g] for g in kept for _ in names] for key, values in unit.items()}
    number = [int(counts[g, f]) for g in kept for f in range(width)]
    total = [int(totals[g]) for g in kept for _ in names]
    if not kept:
        return pd.DataFrame([], columns=[*keys, "frame", "sentences", "total", "share"])
    return pd.DataFrame({**rows, "frame": names * len(kept), "sentences": number,
                         "total": total,
                         "share": [round(a / b, 4) for a, b in zip(number, total, strict=True)]},
                        columns=[*keys, "frame", "sentences", "total", "share"])


def frame_matrix(shares: pd.DataFrame) -> pd.DataFrame:
    """Pivot :func:`frame_shares` into groups x frames (rows labelled as
    :func:`analysis.units.row_labels` labels them).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> shares = frame_shares(process(load_corpus()), by="voice")
    >>> frame_matrix(shares)[["economic", "conflict"]]  # doctest: +NORMALIZE_WHITESPACE
    frame         economic  conflict
    unit
    newspaper       0.1818    0.0000
    Song Tao        0.2400    0.0800
    award report    0.2105    0.0263
    """
    label = units.row_labels(shares, units.by_of(shares, "frame"))
    frames = list(dict.fromkeys(shares["frame"]))
    table = shares.assign(unit=label).pivot(index="unit", columns="frame", values="share")
    return table.loc[list(dict.fromkeys(label)), frames]
