"""Frame coding of sentences with the frames of ``lexicons/frames.csv``.

Frame coding
------------
:func:`code_frames` codes each sentence with the frames of ``lexicons/frames.csv``: the
dimensions of the Policy Frames Codebook (Boydstun, Card, Gross, Resnik & Smith 2014,
"Tracking the development of media frames within and across policy issues", APSA), adapted
to party diplomacy, plus the *conflict* frame of Semetko & Valkenburg (2000), "Framing
European politics", *Journal of Communication* 50(2). A sentence carries a frame when any of
the frame's patterns matches it (word-bounded regular expression, case-insensitive); it may
carry several. :func:`frame_shares` reports, per document or section, the number of
sentences carrying each frame and ``share = sentences with the frame / all sentences of the
unit``; because a sentence may carry several frames the shares do not sum to 1, and the
``(uncoded)`` row gives the share of sentences with no frame at all.

Data flow: the input is the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process` (its sentence table); the tables go to
:mod:`analysis.narrate` (``frames``), :mod:`analysis.plots` (``frame_heatmap``), the command
line and the framing notebook.
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
def frame_lexicon() -> pd.DataFrame:
    """``lexicons/frames.csv`` as a table: ``frame, pattern, source, note`` (file order).

    Examples
    --------
    >>> lexicon = frame_lexicon()
    >>> lexicon.columns.tolist()
    ['frame', 'pattern', 'source', 'note']
    >>> lexicon["frame"].nunique()
    15
    """
    return pd.DataFrame(read_lexicon("frames"))


def _compiled(lexicon: pd.DataFrame, key: str) -> list[tuple[str, re.Pattern]]:
    return [(row[key], re.compile(rf"\b(?:{row['pattern']})\b", re.IGNORECASE))
            for row in lexicon.to_dict("records")]


def frame_order(lexicon: pd.DataFrame | None = None) -> list[str]:
    """Frames in lexicon order (the fixed order of tables and heatmaps).

    Examples
    --------
    >>> frame_order()[:3]
    ['economic', 'capacity and resources', 'morality']
    >>> frame_order(pd.DataFrame({"frame": ["b", "a", "b"], "pattern": ["x", "y", "z"]}))
    ['b', 'a']
    """
    lexicon = frame_lexicon() if lexicon is None else lexicon
    return list(dict.fromkeys(lexicon["frame"]))


def code_frames(processed: Processed, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Code every sentence with the frames whose patterns it matches.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`.
    lexicon : DataFrame, optional
        ``frame, pattern`` rows (regular expressions, matched word-bounded and
        case-insensitively); default ``lexicons/frames.csv``.

    Returns
    -------
    DataFrame
        One row per sentence and frame it carries: ``doc, section, voice, paragraph,
        sentence, frame, matches`` (the matched words, "; "-joined in text order) and
        ``text``. Sentences without a frame are absent (see :func:`uncoded_sentences`).

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
    lexicon = frame_lexicon() if lexicon is None else lexicon
    patterns = _compiled(lexicon, "frame")
    order = {f: i for i, f in enumerate(frame_order(lexicon))}
    rows = []
    sentences = processed.sentences
    hits = sentence_matches(sentences["text"].tolist(), [p for _, p in patterns])
    for sent, sentence_hits in zip(sentences.itertuples(index=False), hits, strict=True):
        found: dict[str, list[tuple[int, str]]] = {}
        for k, start, match in sentence_hits:
            found.setdefault(patterns[k][0], []).append((start, match.lower()))
        for frame in sorted(found, key=order.get):
            matches = list(dict.fromkeys(w for _, w in sorted(found[frame])))
            rows.append({"doc": sent.doc, "section": sent.section, "voice": sent.voice,
                         "paragraph": sent.paragraph, "sentence": sent.sentence,
                         "frame": frame, "matches": "; ".join(matches), "text": sent.text})
    columns = ["doc", "section", "voice", "paragraph", "sentence", "frame", "matches", "text"]
    return pd.DataFrame(rows, columns=columns)


def uncoded_sentences(processed: Processed, lexicon: pd.DataFrame | None = None,
                      coded: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sentences that carry no frame: the lexicon's blind spots, for the analyst to read.

    ``coded`` (the output of :func:`code_frames` with the same lexicon) saves coding the
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
    coded = code_frames(processed, lexicon) if coded is None else coded
    keys = set(zip(coded["doc"], coded["sentence"], strict=True))
    sents = processed.sentences
    mask = [(d, s) not in keys for d, s in zip(sents["doc"], sents["sentence"], strict=True)]
    columns = ["doc", "section", "voice", "paragraph", "sentence", "text"]
    return sents.loc[mask, columns].reset_index(drop=True)


def frame_shares(processed: Processed, by: str = "doc",
                 lexicon: pd.DataFrame | None = None,
                 coded: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of each unit's sentences that carry each frame.

    ``share = n_f / N``, where ``n_f`` is the number of the unit's sentences carrying frame
    ``f`` (a sentence counts once per frame, however many of the frame's words it holds) and
    ``N`` the unit's sentences. A sentence may carry several frames, so shares do not sum to
    1; the ``(uncoded)`` row is the share of sentences carrying none. Frames follow the
    Policy Frames Codebook (Boydstun et al. 2014) plus Semetko & Valkenburg's (2000)
    conflict frame (see ``lexicons/frames.csv``).

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`.
    by : str, default "doc"
        Unit or group of the shares (:mod:`analysis.units`).
    lexicon : DataFrame, optional
        Default ``lexicons/frames.csv``.
    coded : DataFrame, optional
        :func:`code_frames` of the corpus with the same lexicon, to avoid coding it again.

    Returns
    -------
    DataFrame
        Group columns (``doc``; ``doc, section, voice``; ``genre``...), ``frame, sentences,
        total, share``; every frame of the lexicon appears for every unit (zeros included),
        in lexicon order, then ``(uncoded)``; units in their order.

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
    lexicon = frame_lexicon() if lexicon is None else lexicon
    units.check_by(processed.corpus, by)
    keys = units.group_columns(by)
    coded = code_frames(processed, lexicon) if coded is None else coded
    groups = units.groups_of(processed, by)
    sents = units.grouped(processed, processed.sentences, by)
    totals = np.bincount(sents["_group"], minlength=len(groups))
    group_of = dict(zip(zip(sents["doc"], sents["sentence"], strict=True), sents["_group"],
                        strict=True))
    coded_group = [group_of[k] for k in zip(coded["doc"], coded["sentence"], strict=True)]
    counts = pd.Series(1, index=pd.MultiIndex.from_arrays(
        [coded_group, coded["frame"].to_numpy()])).groupby(level=[0, 1]).sum().to_dict() \
        if len(coded) else {}
    coded_keys = set(zip(coded["doc"], coded["sentence"], strict=True))
    is_uncoded = np.array([k not in coded_keys for k in group_of], dtype=bool)
    uncoded = np.bincount(sents["_group"].to_numpy()[is_uncoded], minlength=len(groups))
    rows = []
    for g, unit in enumerate(groups[keys].to_dict("records")):
        total = int(totals[g])
        if total == 0:
            continue
        for frame in frame_order(lexicon):
            n = int(counts.get((g, frame), 0))
            rows.append({**unit, "frame": frame, "sentences": n, "total": total,
                         "share": round(n / total, 4)})
        n = int(uncoded[g])
        rows.append({**unit, "frame": "(uncoded)", "sentences": n, "total": total,
                     "share": round(n / total, 4)})
    return pd.DataFrame(rows, columns=[*keys, "frame", "sentences", "total", "share"])


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
