"""Positions of texts or groups on one dimension, as report 06 shows them.

A scaling model (:mod:`analysis.textmodels`) fitted on the document-feature matrix of the
units (:func:`analysis.dfm.dfm`), or the reason none is: fewer than
:data:`~analysis.textmodels.base.MIN_UNITS` units with words, a corpus whose tokens are not
words (:func:`analysis.lang.unspaced_share`), Wordscores without reference scores, or the
model's own refusal of its input (a ``direction`` naming no unit, a reference score that is
not a number). Then the units a figure shows (the largest by words, in the order of their
positions) and the words that pull each way.

The matrix counts content words (the stop list left out) where the corpus reads as English
(:func:`analysis.lang.reads_as_english`): the stop list is English. Elsewhere every word
is counted; Wordfish and Wordscores use counts alone, so they apply to any language whose
words the tokenizer separates.

Examples
--------
>>> from analysis.corpus import load_corpus
>>> from analysis.text.process import process
>>> fit = fit_positions(process(load_corpus()))
>>> print(fit.reason)
Scaling needs at least 3 documents with words; this corpus has 2 (songtao-article and \
award-report)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis import units
from analysis.params import MAX_ROWS, Interval, constrained, shared_docs
from analysis.text.process import Processed

__all__ = ["MIN_SHARED", "WORD_WEIGHT", "Positions", "fit_positions", "pulling_words",
           "shown_phrase", "shown_positions"]

#: Per model, the column of its words table that says which way a word pulls (a word with a
#: low value is found more in the units on the left, a high value on the right). A new model
#: that reports can be drawn adds its entry here.
WORD_WEIGHT = {"wordfish": "beta", "wordscores": "score", "lss": "polarity"}
#: Fewest units a word is found in to be counted: a word of one unit alone says nothing of
#: where the others stand (and gives Wordfish an extreme weight to estimate).
MIN_SHARED = 2


@dataclass(frozen=True)
class Positions:
    """A scaling model fitted for a report, or why it was not.

    Attributes
    ----------
    model : str
        The model's name (a key of :data:`analysis.textmodels.MODELS`).
    by : str
        The units: ``doc``, or a document variable whose groups are scaled.
    documents : DataFrame
        The model's table of units (see :class:`analysis.textmodels.Scaling`); empty when
        ``reason`` is given.
    words : DataFrame
        The model's table of words with ``count``, the word's count in the matrix; empty when
        ``reason`` is given.
    reason : str
        Why there are no positions (one sentence), or "".
    warning : str
        What went wrong in a fit that is shown all the same (no convergence), or "".
    english : bool
        Whether the corpus reads as English (then only content words are counted).
    features : int
        Features (words) of the matrix the model was fitted on.
    candidates : int
        Features that passed ``min_count`` and :data:`MIN_SHARED`, of which ``max_features``
        (the most frequent) were kept: equal to ``features`` when none was left out.
    """

    model: str
    by: str
    documents: pd.DataFrame = field(default_factory=pd.DataFrame)
    words: pd.DataFrame = field(default_factory=pd.DataFrame)
    reason: str = ""
    warning: str = ""
    english: bool = True
    features: int = 0
    candidates: int = 0


def _kind(by: str, n: int = 2) -> str:
    """``documents``, ``groups of party`` (``document``, ``group of party`` for one)."""
    if by == "doc":
        return "document" if n == 1 else "documents"
    return f"{'group' if n == 1 else 'groups'} of {by}"


def _listed(labels: list[str], most: int = 6) -> str:
    if not labels:
        return ""
    shown = labels[:most] + ([f"{len(labels) - most} more"] if len(labels) > most else [])
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return f" ({text})"


def _direction(direction) -> tuple[str, str] | None:
    """A pair of units from ``("A", "B")`` or ``"A,B"``."""
    if direction is None:
        return None
    if isinstance(direction, str):
        parts = [p.strip() for p in direction.split(",")]
        if len(parts) != 2 or not all(parts):
            raise ValueError(f"direction {direction!r}: give two units as A,B (A is placed "
                             "left of B)")
        return parts[0], parts[1]
    return tuple(direction)


@constrained(min_count=Interval(1, MAX_ROWS), max_features=[Interval(1, MAX_ROWS), None])
@shared_docs
def fit_positions(processed: Processed, model: str = "wordfish", *, by: str = "doc",
                  where=None, direction=None, reference_scores: str | None = None,
                  min_count: int = 5, max_features: int | None = None) -> Positions:
    """Fit ``model`` on the units of ``by``, or say why not.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process` (a subset: :func:`units.select`).
    model : str, default "wordfish"
        A key of :data:`analysis.textmodels.MODELS`.
    by : str, default "doc"
        The units scaled: documents, or the groups of a document variable.
    {where}
    direction : (str, str) or "A,B", optional
        Wordfish: the unit placed left and the one placed right (default: the first two).
    reference_scores : str, optional
        Wordscores: a numeric document variable; units with a value are the reference
        texts (:func:`analysis.textmodels.wordscores.scores_for`).
    min_count : int, default 5
        Keep the words counted at least this many times in all (quanteda's ``dfm_trim``);
        only words found in at least :data:`MIN_SHARED` units are kept in any case.
    max_features : int, optional
        Of those words, keep the ``max_features`` counted most often (quanteda's
        ``dfm_trim(termfreq_type = "rank")``; :meth:`analysis.dfm.DFM.trim`); None: all.
        Wordfish's time grows with units x words, and its rare words take most of its
        rounds; the most frequent words carry most of the counts.

    Returns
    -------
    Positions
        With ``reason`` set (and empty tables) when the model cannot be fitted: the reason
        is one sentence for the report.

    Raises
    ------
    ValueError
        An unknown model or ``by``, a bad ``min_count``.

    Examples
    --------
    Five documents on two themes (the counts of ``road`` against ``wheat``):

    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name, text in {"a": "road road road wheat", "b": "road road wheat",
    ...                    "c": "road wheat wheat", "d": "wheat wheat wheat road",
    ...                    "e": "wheat wheat wheat wheat road"}.items():
    ...     _ = (folder / f"{name}.txt").write_text(text + ".", encoding="utf-8")
    >>> fit = fit_positions(process(load_corpus(folder)), direction=("a", "e"), min_count=2)
    >>> fit.documents.sort_values("position")["doc"].tolist()
    ['a', 'b', 'c', 'd', 'e']
    >>> fit.words[["feature", "count"]].values.tolist()
    [['road', 8], ['wheat', 11]]
    """
    from analysis.dfm import dfm
    from analysis.lang import UNSPACED_MAX_SHARE, reads_as_english, unspaced_share
    from analysis.textmodels import MODELS, scale
    from analysis.textmodels.base import MIN_UNITS

    if model not in MODELS:
        raise ValueError(f"model {model!r}: one of {', '.join(MODELS)}")
    processed = units.prepare(processed, by, where)
    english = reads_as_english(processed)
    empty = {"model": model, "by": by, "english": english}
    unspaced = unspaced_share(processed)
    if unspaced > UNSPACED_MAX_SHARE:
        return Positions(**empty, reason=(
            f"{unspaced:.0%} of the characters of this corpus's words are in a script written "
            "without spaces between words and not segmented into words (Japanese, Thai, or "
            "Chinese in documents not in Chinese, and others), where the tokenizer takes a "
            "whole run of characters as one word, so its counts are not counts of words and "
            "no position is computed"))
    whole = dfm(processed, by=by, content=english)
    d = whole.trim(min_count=min_count)
    shared = np.flatnonzero(d.docfreq() >= MIN_SHARED)
    d = replace(d, matrix=d.matrix[:, shared].tocsr(), features=d.features[shared])
    candidates = len(d.features)
    d = d.trim(max_features=max_features)
    with_words = np.flatnonzero(d.totals() > 0)
    if len(with_words) < MIN_UNITS:
        before = np.flatnonzero(whole.totals() > 0)
        capped = (f" or not among the {max_features:,} most frequent"
                  if candidates > len(d.features) else "")
        trimmed = (f", once the words counted fewer than {min_count} times in all"
                   f"{', ' if capped else ' or '}found in a single {_kind(by, 1)}{capped} "
                   "are left out"
                   if len(before) >= MIN_UNITS else "")
        every_label = d.labels
        named = [every_label[i] for i in (with_words if trimmed else before)]
        return Positions(**empty, reason=(
            f"Scaling needs at least {MIN_UNITS} {_kind(by)} with words; this corpus has "
            f"{len(named)}{_listed(named)}{trimmed}"))
    options: dict = {}
    if model == "wordscores":
        if reference_scores is None:
            return Positions(**empty, reason=(
                "Wordscores needs reference scores: name a numeric document variable "
                "(parameter REFERENCE_SCORES) whose values place the reference texts, and the "
                "units without a value are scored against them"))
        from analysis.textmodels.wordscores import scores_for

        try:  # a group's one score; the column keeps its name in the model's messages
            scores = scores_for(processed, d, reference_scores)
        except ValueError as err:
            return Positions(**empty, reason=str(err))
        d = replace(d, rows=d.rows.assign(**{reference_scores: scores}))
        options["reference_scores"] = reference_scores
    if model == "lss":  # the corpus's sentences are its space; units without a polarity
        options["processed"] = processed  # word have no score and are left out below
    if model == "wordfish":
        options.update(strict=False)
        try:
            options["direction"] = _direction(direction)
        except ValueError as err:
            return Positions(**empty, reason=str(err))
    with warnings.catch_warnings(record=True):  # no convergence: the table's warning column
        warnings.simplefilter("always")
        try:
            fit = scale(d, model, **options)
        except ValueError as err:  # the model's checks of its input, one line each
            return Positions(**empty, reason=str(err))
    if model == "lss":
        scored = fit.documents["position"].notna().to_numpy()
        fit = fit._replace(documents=fit.documents[scored].reset_index(drop=True))
    numbers = fit.documents[["position", "low", "high"]].to_numpy(dtype=float)
    if not np.isfinite(numbers).all():  # a fit that broke down: nothing to show
        return Positions(**empty, reason=fit.documents.attrs.get(
            "warning", f"{model} gave positions that are not numbers"))
    counts = np.asarray(d.matrix.sum(axis=0)).ravel()
    count_of = dict(zip(d.features.tolist(), counts.tolist(), strict=True))
    words = (fit.words if "count" in fit.words.columns  # lss counts its own space's words
             else fit.words.assign(count=fit.words["feature"].map(count_of).astype(np.int64)))
    return Positions(model, by, fit.documents, words, warning=fit.documents.attrs.get(
        "warning", ""), english=english, features=len(d.features), candidates=candidates)


@constrained(n=[Interval(1, MAX_ROWS), None])
def shown_positions(fit: Positions, processed: Processed, n: int | None = None
                    ) -> pd.DataFrame:
    """The units a figure shows: the ``n`` largest by words (:func:`units.by_size`) of
    those scaled (all with ``n`` None), ordered by position (left first; ties by label).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> fit = Positions("wordfish", "voice", pd.DataFrame({
    ...     "voice": ["newspaper", "Song Tao", "award report"], "position": [0.5, -1.0, 0.5]}))
    >>> shown_positions(fit, process(load_corpus()), 2)["voice"].tolist()
    ['Song Tao', 'award report']
    """
    table = fit.documents
    if table.empty or (n is not None and n < 1):
        return table.iloc[:0]
    labels = units.row_labels(table, fit.by)
    if n is not None and len(table) > n:
        scaled = set(labels)
        largest = [label for label in units.by_size(processed, fit.by) if label in scaled][:n]
        table = table[labels.isin(largest).to_numpy()]
        labels = units.row_labels(table, fit.by)
    order = np.lexsort((labels.to_numpy().astype(str), table["position"].to_numpy()))
    return table.iloc[order].reset_index(drop=True)


def shown_phrase(shown: pd.DataFrame, fit: Positions) -> str:
    """How many units a figure shows, for its caption: ``all 5 documents``, ``the 12
    largest of 189 documents (by words)``.

    Examples
    --------
    >>> fit = Positions("wordfish", "party", pd.DataFrame({"party": list("abc")}))
    >>> shown_phrase(fit.documents, fit), shown_phrase(fit.documents.head(2), fit)
    ('all 3 groups of party', 'the 2 largest of 3 groups of party (by words)')
    >>> many = Positions("wordfish", "doc", pd.DataFrame({"doc": range(1512)}))
    >>> shown_phrase(many.documents.head(12), many)
    'the 12 largest of 1,512 documents (by words)'
    """
    total = len(fit.documents)
    if len(shown) >= total:
        return f"all {total:,} {_kind(fit.by, total)}"
    return f"the {len(shown):,} largest of {total:,} {_kind(fit.by, total)} (by words)"


@constrained(n=Interval(1, MAX_ROWS))
def pulling_words(fit: Positions, n: int = 10) -> pd.DataFrame:
    """The words that pull each way: of the words counted at least as often as the median
    word (a word seen in one text alone gets an extreme weight from that text alone), the
    ``n`` with the lowest weight (:data:`WORD_WEIGHT`) among those below the median weight,
    and the ``n`` with the highest among those above it.

    Returns
    -------
    DataFrame
        ``side`` (``left`` or ``right``), ``feature``, the model's word columns and
        ``count``: the left words from the strongest, then the right words from the
        strongest; ties by feature.

    Examples
    --------
    >>> words = pd.DataFrame({"feature": ["a", "b", "c", "d", "e", "f"],
    ...                       "beta": [-2.0, -1.0, 0.1, 1.5, 3.0, 0.0], "psi": [0.0] * 6,
    ...                       "count": [5, 5, 5, 5, 1, 5]})
    >>> table = pulling_words(Positions("wordfish", "doc", words=words), 3)
    >>> table[["side", "feature"]].values.tolist()
    [['left', 'a'], ['left', 'b'], ['right', 'd'], ['right', 'c']]
    """
    words = fit.words
    if words.empty or fit.model not in WORD_WEIGHT or n < 1:
        return pd.DataFrame(columns=["side", *words.columns])
    weight = WORD_WEIGHT[fit.model]
    common = words[words["count"] >= np.median(words["count"])]
    middle = np.median(common[weight])
    left = common[common[weight] < middle].sort_values([weight, "feature"]).head(n)
    right = common[common[weight] > middle].sort_values([weight, "feature"],
                                                        ascending=[False, True]).head(n)
    return pd.concat([left.assign(side="left"), right.assign(side="right")])[
        ["side", *words.columns]].reset_index(drop=True)
