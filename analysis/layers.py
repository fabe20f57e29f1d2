"""Occurrences counted by an annotation layer: lemmas, or words of some parts of speech.

An annotated corpus (a CoNLL-U file, :mod:`analysis.text.annotated`) has a value of each
layer per token. :func:`layer_codes` gives the occurrences a word list counts
(:func:`analysis.frequency.occurrence_codes`'s arrays: the word tokens, stop words dropped
unless kept) with each token's value of a layer (``lemma``: *roads* counts as *road*) or its
term, and only the tokens of some parts of speech (``upos``). :func:`analysis.frequency.frequency`
counts them with ``layer=`` and ``upos=``, so a lemma list has the same range, dispersion and
rates (per 1,000 words of the group, every word counted) as a word list.

:func:`match_codes` gives the same arrays for the matches of a query (a word, phrase, glob,
``/regex/`` or CQL query, :func:`analysis.concordance.match`): each match is one occurrence,
at its first token, labelled by its tokens' values (the words as written, as Sketch Engine's
frequency of a concordance by node forms, or a layer's values), so
:func:`analysis.frequency.frequency` with ``query=`` lists how often each form of the
matches occurs, with the range and dispersion of a word list.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from analysis.text.process import Processed

__all__ = ["ATTRIBUTES", "layer_codes", "match_codes"]

#: What a match can be labelled by besides an annotation layer: its words as written, or
#: lower-cased (the terms the project counts).
ATTRIBUTES = ("word", "term")


@lru_cache(maxsize=2)
def layer_codes(processed: Processed, layer: str | None = "lemma", upos: tuple | None = None,
                stopwords: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The word tokens counted by a layer's values (and of some parts of speech).

    Parameters
    ----------
    processed : Processed
        A corpus with annotation layers.
    layer : str or None, default "lemma"
        The layer whose values are counted; None counts terms (lower-cased forms).
    upos : tuple of str, optional
        Only the tokens whose ``upos`` is one of these (``("NOUN", "PROPN")``).
    stopwords : bool, default False
        Keep stop words (a token is a stop word by its term: *the*, *of*).

    Returns
    -------
    rows, code, names : ndarray
        As :func:`analysis.frequency.occurrence_codes`: each counted token's row, its value
        as a code into ``names``. A token without a value in the layer (``""``) is left out.

    Raises
    ------
    ValueError
        The corpus has no such layer (one line naming the layers it has).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from analysis.readers.conllu import load_conllu
    >>> from analysis.text.process import process
    >>> words = ["1 Roads road NOUN 2 nsubj", "2 end end VERB 0 root"]
    >>> lines = ["\\t".join(w.split()[:4] + ["_", "_"] + w.split()[4:] + ["_", "_"])
    ...          for w in words]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "toy.conllu"
    >>> _ = path.write_text("\\n".join(lines) + "\\n\\n")
    >>> rows, code, names = layer_codes(process(load_conllu(path)), "lemma", ("NOUN",))
    >>> rows.tolist(), names[code].tolist()
    ([0], ['road'])
    """
    c = processed.columns
    layers = c.layers
    for name in ([layer] if layer is not None else []) + (["upos"] if upos else []):
        if name not in layers.ids:
            have = ", ".join(layers.names) or ("none: read a CoNLL-U (.conllu) or DocBin "
                                               "(.spacy) corpus, or --annotate spacy:MODEL")
            raise ValueError(f"the corpus has no {name} layer (its layers: {have})")
    term = c.tok_term
    keep = c.tok_is_word.copy()
    if not stopwords:
        keep &= ~c.term_is_stop[term]
    if upos:
        tags = np.flatnonzero(np.isin(layers.vocabularies["upos"], list(upos)))
        keep &= np.isin(layers.ids["upos"], tags)
    if layer is None:
        rows = np.flatnonzero(keep)
        arrays = rows, term[rows].astype(np.int64), np.asarray(c.term_names, dtype=object)
    else:
        vocabulary = np.asarray(layers.vocabularies[layer], dtype=object)
        keep &= (vocabulary != "")[layers.ids[layer]]
        rows = np.flatnonzero(keep)
        arrays = rows, layers.ids[layer][rows].astype(np.int64), vocabulary
    for array in arrays:
        array.flags.writeable = False
    return arrays


def match_codes(processed: Processed, query: str, attribute: str = "word", *,
                kind: str = "auto", dictionary=None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The matches of a query as occurrences, labelled by their tokens' values.

    Parameters
    ----------
    processed : Processed
        A corpus (an annotated one for a layer, or a CQL query over layers).
    query : str
        Any query of :func:`analysis.concordance.match` (a CQL query starts with ``[``).
    attribute : str, default "word"
        What labels a match: ``word`` (its tokens as written, joined by a space), ``term``
        (lower-cased) or a layer of an annotated corpus (``lemma``, ``upos``...).
    kind, dictionary
        As in :func:`analysis.concordance.match`.

    Returns
    -------
    rows, code, names : ndarray
        As :func:`layer_codes`: the first token of each match, its label as a code into
        ``names`` (the distinct labels, sorted).

    Raises
    ------
    ValueError
        A bad query (:class:`analysis.cql.CQLError` for CQL), or an attribute the corpus
        does not have (one line naming those it has).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from analysis.readers.conllu import load_conllu
    >>> from analysis.text.process import process
    >>> words = ["1 Roads road NOUN 0 root", "2 to to ADP 3 case", "3 peace peace NOUN 1 nmod",
    ...          "4 , , PUNCT 1 punct", "5 road road NOUN 1 conj", "6 to to ADP 7 case",
    ...          "7 Peace peace NOUN 5 nmod"]
    >>> lines = ["\\t".join(w.split()[:4] + ["_", "_"] + w.split()[4:] + ["_", "_"])
    ...          for w in words]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "toy.conllu"
    >>> _ = path.write_text("\\n".join(lines) + "\\n\\n")
    >>> p = process(load_conllu(path))
    >>> rows, code, names = match_codes(p, '[lemma="road"] "to" []')
    >>> rows.tolist(), names[code].tolist()
    ([0, 4], ['Roads to peace', 'road to Peace'])
    >>> rows, code, names = match_codes(p, '[lemma="road"] "to" []', "lemma")
    >>> names[code].tolist()
    ['road to peace', 'road to peace']
    """
    from analysis.concordance import _match_rows

    c = processed.columns
    if attribute == "word":
        vocabulary, ids = np.asarray(c.surfaces, dtype=object), c.tok_surface
    elif attribute == "term":
        vocabulary, ids = np.asarray(c.term_names, dtype=object), c.tok_term
    elif attribute in c.layers.ids:
        vocabulary = np.asarray(c.layers.vocabularies[attribute], dtype=object)
        ids = c.layers.ids[attribute]
    else:
        have = ", ".join([*ATTRIBUTES, *c.layers.names])
        raise ValueError(f"the corpus has no {attribute} layer (its layers: {have})")
    first, last = _match_rows(processed, query, kind, dictionary)
    first = np.asarray(first, dtype=np.int64)
    last = np.asarray(last, dtype=np.int64)
    if not len(first):
        return first, np.zeros(0, np.int64), np.zeros(0, dtype=object)
    # Each match's value ids as a tuple (matches are short): labelled once per distinct tuple.
    spans = [tuple(ids[i:j + 1].tolist()) for i, j in zip(first.tolist(), last.tolist(),
                                                           strict=True)]
    distinct = {span: " ".join(vocabulary[list(span)]) for span in dict.fromkeys(spans)}
    labels = np.array(sorted(set(distinct.values())), dtype=object)
    position = {label: k for k, label in enumerate(labels)}
    code = np.fromiter((position[distinct[span]] for span in spans), dtype=np.int64,
                       count=len(spans))
    return first, code, labels
