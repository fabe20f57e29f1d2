"""Documents whose tokens a reader made: processed as they are, their layers kept as arrays.

A reader may hand over a document's tokens and sentences already made, with annotation
layers (:class:`analysis.readers.Tokens`: a CoNLL-U file's words, lemmas, parts of speech,
dependencies, entities). :func:`analysis.text.process.process` then neither cleans nor
tokenizes the document (the offsets of its tokens point into its raw text, which must stay
as it is): :func:`process_document` turns the reader's tokens into the rows that processing
makes of any document, and the layers travel beside them.

In the processed corpus the layers are integer columns, as the tokens are: per layer, a
vocabulary of its values and an int32 id per token (``layer.NAME.data``/``.ends``/``.ids``
in the cache, :mod:`analysis.store`), and the heads as one int32 column (``layer.head``, the
head's number in its sentence, 0 for the root). :class:`Layers` holds them in
:attr:`analysis.text.process.Columns.layers`; a document without layers has ``""`` in each
(and head 0).
"""

from __future__ import annotations

import bisect

import numpy as np

from analysis import store
from analysis.readers.tokens import HEAD
from analysis.text.segment import PARAGRAPH, folded_terms

__all__ = ["LayerMerger", "Layers", "batch_layers", "is_word", "process_document", "read_layers"]


class Layers:
    """Annotation layers of the processed corpus, as integer columns beside the tokens.

    Attributes
    ----------
    vocabularies : dict
        Layer name -> ndarray of object: the values of the layer (its ids index it).
    ids : dict
        Layer name -> int32 ndarray, the value id of each token.
    head : ndarray of int32 or None
        Each token's head, its number in the sentence (0: the root); None without heads.

    Examples
    --------
    >>> layers = Layers({"upos": np.array(["NOUN", "VERB"], dtype=object)},
    ...                 {"upos": np.array([0, 1, 0], dtype=np.int32)}, None)
    >>> layers.names, layers.values("upos").tolist(), bool(layers)
    (['upos'], ['NOUN', 'VERB', 'NOUN'], True)
    """

    def __init__(self, vocabularies: dict, ids: dict, head: np.ndarray | None):
        self.vocabularies, self.ids, self.head = vocabularies, ids, head

    @property
    def names(self) -> list[str]:
        """The layers' names (without ``head``), sorted."""
        return sorted(self.ids)

    def __bool__(self) -> bool:
        return bool(self.ids) or self.head is not None

    def __contains__(self, name: str) -> bool:
        return name in self.ids or (name == HEAD and self.head is not None)

    def values(self, name: str) -> np.ndarray:
        """The value of each token in a layer (an object array as long as the tokens)."""
        return self.vocabularies[name][self.ids[name]]

    def subset(self, tokens: np.ndarray) -> Layers:
        """The layers of the tokens of a boolean mask."""
        return Layers(self.vocabularies, {k: v[tokens] for k, v in self.ids.items()},
                      None if self.head is None else self.head[tokens])


def process_document(doc) -> dict:
    """The rows processing makes of a document (as ``_process_document`` of
    :mod:`analysis.text.process`), from the tokens its reader made (``doc.tokens``).

    The text is the raw text, uncleaned (the tokens' offsets point into it); paragraphs are
    its non-blank lines, sentences and tokens the reader's. Adds ``layers`` (name ->
    ``(vocabulary, ids)``) and ``head``.

    Examples
    --------
    >>> from analysis.corpus import Document
    >>> from analysis.readers import Tokens
    >>> tokens = Tokens.from_lists([0, 6, 10], [5, 9, 11], [3], ["Roads", "ran", "."],
    ...                            {"upos": ["NOUN", "VERB", "PUNCT"]}, head=[2, 0, 2])
    >>> part = process_document(Document("a", "a.conllu", "Roads ran .", tokens=tokens))
    >>> part["sentences"], part["token"], part["term"]
    ([(0, 0, 11)], ['Roads', 'ran', '.'], ['roads', 'ran', '.'])
    """
    tokens = doc.tokens
    text = doc.raw
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    para_rows, para_starts = [], []
    for match in PARAGRAPH.finditer(text):
        start, end = match.span()
        paragraph = bisect.bisect_right(line_starts, start)
        section = doc.section_of(paragraph)
        para_rows.append((paragraph, section.name, section.voice, start, end))
        para_starts.append(start)
    starts, ends = tokens.starts, tokens.ends
    counts = tokens.sentences.astype(np.int64)
    firsts = np.cumsum(counts) - counts
    sent_rows = []
    for first, count in zip(firsts.tolist(), counts.tolist(), strict=True):
        s_start, s_end = int(starts[first]), int(ends[first + count - 1])
        paragraph = max(bisect.bisect_right(para_starts, s_start) - 1, 0)
        sent_rows.append((paragraph, s_start, s_end))
    vocabulary, ids = tokens.forms
    surfaces = [vocabulary[i] for i in ids.tolist()]
    terms = folded_terms(text, surfaces, [s.lower() for s in surfaces])
    return {"text": text, "log": [], "paragraphs": para_rows, "sentences": sent_rows,
            "token_start": starts, "token_end": ends, "token": surfaces, "term": terms,
            "sentence_index": np.repeat(np.arange(len(counts)), counts),
            "layers": dict(tokens.layers), "head": tokens.head}


def batch_layers(parts: list, counts: list[int]) -> dict:
    """The layers of a batch's documents joined (``parts``: each document's ``layers`` and
    ``head``, None for a document without; ``counts``: its tokens) as ``{"layers": {name:
    (values, ids)}, "head": ids}``, or ``{}`` where no document has layers.

    Examples
    --------
    >>> out = batch_layers([None, ({"upos": (("X", "Y"), np.array([1, 0]))}, None)], [2, 2])
    >>> out["layers"]["upos"][0], out["layers"]["upos"][1].tolist(), out["head"]
    (['', 'X', 'Y'], [0, 0, 2, 1], None)
    """
    if all(part is None for part in parts):
        return {}
    merger = LayerMerger()
    for part, count in zip(parts, counts, strict=True):
        merger.add(None if part is None else {"layers": part[0], "head": part[1]}, count)
    return {"layers": {name: (list(vocabulary), np.concatenate(ids).astype(np.int32))
                       for name, (vocabulary, ids) in merger.layers.items()},
            "head": np.concatenate(merger.heads).astype(np.int32) if merger.heads else None}


class LayerMerger:
    """Joins the layers of batches (or documents) in order into one vocabulary per layer;
    tokens of a part without a layer get ``""`` in it (and head 0)."""

    def __init__(self):
        self.layers: dict[str, tuple[dict, list]] = {}  # name -> (value -> id, [ids...])
        self.heads: list[np.ndarray] = []
        self.tokens = 0

    def _layer(self, name: str) -> tuple[dict, list]:
        if name not in self.layers:  # earlier tokens have no value in it
            self.layers[name] = ({"": 0}, [np.zeros(self.tokens, dtype=np.int32)])
        return self.layers[name]

    def add(self, part: dict | None, count: int) -> None:
        """One part's ``{"layers": {name: (values, ids)}, "head": ids}`` (or None) of
        ``count`` tokens."""
        given = (part or {}).get("layers") or {}
        for name in list(given) + [n for n in self.layers if n not in given]:
            vocabulary, ids = self._layer(name)
            if name in given:
                values, local = given[name]
                mapping = np.fromiter((vocabulary.setdefault(v, len(vocabulary))
                                       for v in values), dtype=np.int32, count=len(values))
                ids.append(mapping[np.asarray(local, dtype=np.int64)] if len(local)
                           else np.zeros(0, dtype=np.int32))
            else:
                ids.append(np.full(count, vocabulary.setdefault("", len(vocabulary)),
                                   dtype=np.int32))
        head = (part or {}).get("head")
        if self.heads or head is not None:
            if not self.heads:
                self.heads.append(np.zeros(self.tokens, dtype=np.int32))
            self.heads.append(np.zeros(count, dtype=np.int32) if head is None
                              else np.asarray(head, dtype=np.int32))
        self.tokens += count

    def arrays(self) -> dict[str, np.ndarray]:
        """The cache's arrays of the layers (module docstring), ``{}`` without layers."""
        out = {}
        for name, (vocabulary, ids) in self.layers.items():
            out[f"layer.{name}.data"], out[f"layer.{name}.ends"] = store.pack_strings(
                list(vocabulary))
            out[f"layer.{name}.ids"] = np.concatenate(ids).astype(np.int32)
        if self.heads:
            out["layer.head"] = np.concatenate(self.heads).astype(np.int32)
        return out


def read_layers(arrays: dict, sentence_tokens: np.ndarray) -> Layers:
    """The :class:`Layers` of the cache's arrays, checked: each layer as long as the tokens,
    its ids inside its vocabulary, each head inside its sentence. ValueError otherwise.

    Examples
    --------
    >>> m = LayerMerger()
    >>> m.add({"layers": {"upos": (["NOUN"], np.array([0]))}, "head": np.array([0])}, 1)
    >>> read_layers(m.arrays(), np.array([1], dtype=np.int32)).values("upos").tolist()
    ['NOUN']
    """
    n = int(sentence_tokens.sum())
    names = sorted({key.split(".")[1] for key in arrays
                    if key.startswith("layer.") and key != "layer.head"})
    vocabularies, ids = {}, {}
    for name in names:
        vocabulary = np.asarray(store.unpack_strings(arrays[f"layer.{name}.data"],
                                                     arrays[f"layer.{name}.ends"]), dtype=object)
        values = arrays[f"layer.{name}.ids"]
        if len(values) != n or (n and (values.min() < 0 or values.max() >= len(vocabulary))):
            raise ValueError(f"layer {name}")
        vocabularies[name], ids[name] = vocabulary, values
    head = arrays.get("layer.head")
    if head is not None:
        if len(head) != n or (n and (head.min() < 0 or np.any(
                head > np.repeat(sentence_tokens, sentence_tokens)))):
            raise ValueError("layer head")
    return Layers(vocabularies, ids, head)


def is_word(terms) -> np.ndarray:
    """Whether each term of a corpus with layers is a word: it has a letter or a digit (a
    reader's tokens include punctuation, which the scanner never makes).

    Examples
    --------
    >>> is_word(["road", ".", "1.3", "--"]).tolist()
    [True, False, True, False]
    """
    import pandas as pd

    return np.asarray(pd.Index(terms, dtype=object).str.contains(r"[^\W_]", regex=True),
                      dtype=bool)
