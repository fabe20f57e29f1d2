"""Tokens, sentences and annotation layers that a reader hands over already made."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

__all__ = ["HEAD", "Tokens"]

#: The layer of dependency heads: an integer per token, its head's number in the sentence
#: (1 for the first token), 0 for the root, as CoNLL-U's HEAD column.
HEAD = "head"


@dataclass(frozen=True, eq=False)
class Tokens:
    """A document's tokens as a reader made them: offsets, sentences, word forms and layers.

    Attributes
    ----------
    starts, ends : ndarray of int64
        Each token's offsets in the document's raw text (non-decreasing, ``start <= end``; a
        token of a contraction that its text does not spell, as ``el`` of Spanish ``del``,
        is empty, at the end of the contraction).
    sentences : ndarray of int32
        Tokens per sentence, in order (they sum to the number of tokens).
    forms : tuple
        The word form of each token as ``(vocabulary, ids)``: a tuple of strings and an
        int32 array of indexes into it (a form may differ from the text it spans).
    layers : dict
        Layer name -> ``(vocabulary, ids)`` as ``forms`` (``lemma``, ``upos``, ``xpos``,
        ``feats``, ``deprel``, ``ent``, ``ent_iob``...); a token without a value has ``""``.
    head : ndarray of int32 or None
        Each token's head (:data:`HEAD`), or None where the reader has no dependencies.

    Examples
    --------
    >>> t = Tokens.from_lists([0, 5], [4, 8], [2], ["Road", "ran"],
    ...                       {"lemma": ["road", "run"]}, head=[2, 0])
    >>> t.n, t.layer("lemma"), t.head.tolist()
    (2, ['road', 'run'], [2, 0])
    """

    starts: np.ndarray
    ends: np.ndarray
    sentences: np.ndarray
    forms: tuple
    layers: dict = field(default_factory=dict)
    head: np.ndarray | None = None

    @classmethod
    def from_lists(cls, starts, ends, sentences, forms, layers=None, head=None) -> Tokens:
        """Tokens from plain lists (each layer a list of strings, a value per token)."""
        def coded(values) -> tuple:
            vocabulary: dict[str, int] = {}
            ids = np.fromiter((vocabulary.setdefault(v, len(vocabulary)) for v in values),
                              dtype=np.int32, count=len(values))
            return tuple(vocabulary), ids

        return cls(np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64),
                   np.asarray(sentences, dtype=np.int32), coded(forms),
                   {name: coded(values) for name, values in (layers or {}).items()},
                   None if head is None else np.asarray(head, dtype=np.int32))

    @property
    def n(self) -> int:
        """Number of tokens."""
        return len(self.starts)

    def layer(self, name: str) -> list[str]:
        """The values of one layer (or ``form``), a string per token."""
        vocabulary, ids = self.forms if name == "form" else self.layers[name]
        return [vocabulary[i] for i in ids.tolist()]

    @property
    def digest(self) -> str:
        """SHA-256 of everything held: part of the corpus's cache key."""
        value = self.__dict__.get("_digest")
        if value is None:
            h = hashlib.sha256()
            parts = [("starts", self.starts), ("ends", self.ends),
                     ("sentences", self.sentences), ("form", self.forms),
                     *sorted(self.layers.items())]
            if self.head is not None:
                parts.append((HEAD, self.head))
            for name, part in parts:
                pieces = [name.encode()]
                if isinstance(part, tuple):
                    pieces.append("\0".join(part[0]).encode("utf-8", "surrogatepass"))
                    part = part[1]
                pieces.append(np.ascontiguousarray(part).tobytes())
                for piece in pieces:
                    h.update(len(piece).to_bytes(8, "little") + piece)
            value = h.hexdigest()
            object.__setattr__(self, "_digest", value)
        return value

    def __hash__(self) -> int:
        return hash(self.digest)

    def __eq__(self, other) -> bool:
        return isinstance(other, Tokens) and self.digest == other.digest

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_digest"}
