"""Phrases fed back: the phrases a corpus is processed with, from files and from its own
strongest word sequences.

``--compound FILE`` and ``--compound-top N`` (the notebooks' ``COMPOUND`` and
``COMPOUND_TOP``) end here: :func:`compound` reads the phrase files
(:func:`analysis.text.compounds.read_phrases`), adds the corpus's strongest two-word
sequences (:func:`top_phrases`, from :func:`analysis.sequences.sequences`), and returns the
corpus with those phrases as its compounds, which :func:`analysis.text.process.process`
joins into single terms (:mod:`analysis.text.compounds`: the rules).
"""

from __future__ import annotations

from pathlib import Path

from analysis.params import Interval, constrained
from analysis.sequences import sequences
from analysis.text.compounds import read_phrases
from analysis.text.process import process

__all__ = ["MAX_TOP", "compound", "top_phrases"]

#: Most phrases ``--compound-top`` may take.
MAX_TOP = 10_000


@constrained(n=Interval(0, MAX_TOP))
def top_phrases(corpus, n: int) -> tuple[tuple[str, ...], ...]:
    """The ``n`` strongest two-word sequences of a corpus, as phrases to join.

    The rows of :func:`analysis.sequences.sequences` with its defaults (the whole corpus,
    seen at least twice, not starting or ending with a stop word), highest ``z`` first,
    ties by the sequence; computed on the corpus without its compounds.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> top_phrases(load_corpus(), 2)
    (('political', 'parties'), ('cpec', 'cooperation'))
    """
    if n == 0:
        return ()
    plain = corpus.with_compounds(()) if corpus.compounds else corpus
    table = sequences(process(plain), 2, top=n, by="corpus")
    return tuple(tuple(text.split(" ")) for text in table["collocation"])


@constrained(top=Interval(0, MAX_TOP))
def compound(corpus, files=None, top: int = 0):
    """The corpus with the phrases of ``files`` and its ``top`` strongest sequences joined.

    What ``--compound FILE`` and ``--compound-top N`` do (and the notebooks' parameters
    ``COMPOUND`` and ``COMPOUND_TOP``): the phrases of the files
    (:func:`analysis.text.compounds.read_phrases`), then those of :func:`top_phrases`, each
    once, become the corpus's compounds (:meth:`analysis.corpus.Corpus.with_compounds`).
    Without either, the corpus is returned.

    Parameters
    ----------
    corpus : Corpus
        The loaded corpus; it is not modified.
    files : path, list of paths or None
        Phrase files.
    top : int, default 0
        How many of the corpus's strongest two-word sequences to join.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> compound(load_corpus(), top=1).compounds
    (('political', 'parties'),)
    """
    if files is None:
        files = []
    elif isinstance(files, (str, Path)):
        files = [files]
    phrases = [phrase for path in files for phrase in read_phrases(path)]
    phrases += top_phrases(corpus, top)
    if not phrases:
        return corpus
    return corpus.with_compounds(phrases)
