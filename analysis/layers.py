"""Occurrences counted by an annotation layer: lemmas, or words of some parts of speech.

An annotated corpus (a CoNLL-U file, :mod:`analysis.text.annotated`) has a value of each
layer per token. :func:`layer_codes` gives the occurrences a word list counts
(:func:`analysis.frequency.occurrence_codes`'s arrays: the word tokens, stop words dropped
unless kept) with each token's value of a layer (``lemma``: *roads* counts as *road*) or its
term, and only the tokens of some parts of speech (``upos``). :func:`analysis.frequency.frequency`
counts them with ``layer=`` and ``upos=``, so a lemma list has the same range, dispersion and
rates (per 1,000 words of the group, every word counted) as a word list.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from analysis.text.process import Processed

__all__ = ["layer_codes"]


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
