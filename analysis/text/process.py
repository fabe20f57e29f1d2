"""The processed corpus: every document cleaned and segmented, in parallel, cached on disk.

:func:`process` returns a :class:`Processed` bundle of tables (texts, cleaning log,
paragraphs, sentences, tokens); documents are processed in worker processes for large
corpora, and the result is cached in ``.cache/`` as arrays (:mod:`analysis.store`) under
:func:`cache_key`, which covers the corpus and every module processing depends on.

Input: a :class:`~analysis.corpus.Corpus` from :mod:`analysis.corpus`, cleaned by
:mod:`analysis.text.clean` and segmented by :mod:`analysis.text.segment`; output: the
:class:`Processed` tables that :mod:`analysis.units`, :mod:`analysis.text.terms` and every
analysis read.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import functools
import hashlib
import itertools
import os
import threading
import warnings
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, fileindex, index, store
from analysis.corpus import Corpus, Document, documents_digest
from analysis.engines.base import workers
from analysis.lexicons import stop_words
from analysis.text import annotated
from analysis.text.clean import clean
from analysis.text.segment import NON_WORDS, PARAGRAPH, folded_terms

__all__ = ["CacheWarning", "Columns", "Processed", "Texts", "cache_key", "cache_path", "compute",
           "keys_seen", "process", "ranges"]


def ranges(starts, stops) -> tuple[np.ndarray, np.ndarray]:
    """All integers of the ranges ``[starts[k], stops[k])`` in order, and for each its ``k``:
    the rows of many spans of tokens at once (an empty or reversed range gives none).

    Examples
    --------
    >>> values, owner = ranges(np.array([3, 10, 7]), np.array([5, 10, 9]))
    >>> values.tolist(), owner.tolist()
    ([3, 4, 7, 8], [0, 0, 2, 2])
    """
    starts, stops = np.asarray(starts), np.asarray(stops)
    lengths = np.maximum(stops - starts, 0)
    owner = np.repeat(np.arange(len(starts)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return (np.repeat(starts, lengths) + offsets).astype(np.int64), owner


class Texts(Mapping):
    """Document id -> cleaned text, kept as UTF-8 and decoded per document when read.

    A command that only counts never decodes a text: held as ``str``, the texts of a
    corpus in curly quotes take two bytes a character, twice their UTF-8. The texts read
    last are kept decoded, up to :attr:`KEEP_CHARS` characters. The bytes are checked once,
    when built, so a later decoding cannot fail.

    Examples
    --------
    >>> data = np.frombuffer("RoadŰ".encode(), dtype=np.uint8)
    >>> texts = Texts(["a", "b"], data, np.array([4, 6]))
    >>> texts["b"], list(texts), texts.lengths().tolist()
    ('Ű', ['a', 'b'], [4, 1])
    """

    KEEP_CHARS = 4_000_000
    #: Bytes read at once from the cache while the texts are not read whole: a block of
    #: the cache file (:data:`analysis.store.BLOCK`), which holds many texts, read once and
    #: kept, so that a concordance reads the blocks of its texts and no other.
    CHUNK = 1 << 20

    def __init__(self, ids: list[str], data, ends: np.ndarray, read_range=None):
        if len(ends) != len(ids) or np.any(np.diff(ends) < 0) or (len(ends) and ends[0] < 0):
            raise ValueError("text offsets do not match their bytes")
        self._ids, self._ends = list(ids), ends
        self._starts = np.concatenate(([0], ends[:-1])).astype(np.int64)
        # ``data`` is the bytes, or a function that reads them (from the cache, when first
        # needed whole); ``read_range(start, stop)`` reads some of them (one text's).
        self._source, self._read_range, self._chunks = data, read_range, {}
        if not callable(data):
            self._check(data)
        self._place = {doc: i for i, doc in enumerate(self._ids)}
        self._decoded: OrderedDict[str, str] = OrderedDict()
        self._kept = 0  # characters decoded and kept
        self._lock = threading.Lock()  # threads (a Dask worker's) share one mapping

    def _check(self, data: np.ndarray) -> np.ndarray:
        """The bytes, once checked: every text starts on a character (not a UTF-8
        continuation byte) and the bytes are UTF-8 as a whole (decoded in pieces, so no
        second copy of the corpus is made)."""
        if len(self._ends) and self._ends[-1] != len(data):
            raise ValueError("text offsets do not match their bytes")
        inside = self._starts < len(data)
        if np.any(data[self._starts[inside]] & 0xC0 == 0x80):
            raise ValueError("a text starts inside a character")
        decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        for at in range(0, len(data), 1 << 22):
            decoder.decode(memoryview(data)[at:at + (1 << 22)])
        decoder.decode(b"", final=True)
        return data

    @cached_property
    def _data(self) -> np.ndarray:
        """The bytes of every text, end to end."""
        source = self._source  # a function that reads them checks them too
        return source() if callable(source) else source

    def _bytes(self, i: int):
        """The bytes of text ``i``: a slice of :attr:`_data`, or of the chunks of
        :attr:`CHUNK` bytes that hold it, read and kept while the whole has not been read
        (a concordance needs only the texts of its matches); once half of the chunks are
        read, the whole is."""
        start, end = int(self._starts[i]), int(self._ends[i])
        if "_data" in self.__dict__ or self._read_range is None or end <= start:
            return memoryview(self._data)[start:end]
        size = self.CHUNK
        wanted = range(start // size, (end - 1) // size + 1)
        total = len(self._ends) and -(-int(self._ends[-1]) // size)
        if 2 * len(self._chunks.keys() | set(wanted)) > total:
            self._chunks = {}
            return memoryview(self._data)[start:end]
        for k in wanted:
            if k not in self._chunks:
                chunk = self._read_range(k * size, (k + 1) * size)
                if len(chunk) != min(size, int(self._ends[-1]) - k * size):
                    raise ValueError("text offsets do not match their bytes")
                self._chunks[k] = chunk
        data = np.concatenate([self._chunks[k] for k in wanted]) if len(wanted) > 1 else \
            self._chunks[wanted[0]]
        data = data[start - wanted[0] * size:end - wanted[0] * size]
        if len(data) != end - start or (len(data) and data[0] & 0xC0 == 0x80):
            raise ValueError("a text starts inside a character")
        return memoryview(data)

    def __getitem__(self, doc: str) -> str:
        with self._lock:
            text = self._decoded.get(doc)
            if text is not None:
                self._decoded.move_to_end(doc)
                return text
        text = str(self._bytes(self._place[doc]), "utf-8", "surrogatepass")
        # The texts last used are kept, up to KEEP_CHARS: analyses read the texts in
        # corpus order, a document's several times in a row.
        with self._lock:
            if doc not in self._decoded:
                self._decoded[doc] = text
                self._kept += len(text)
            while self._kept > self.KEEP_CHARS and len(self._decoded) > 1:
                self._kept -= len(self._decoded.popitem(last=False)[1])
        return text

    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __getstate__(self) -> dict:  # a copy sent to a worker takes no decoded text
        data = self._data  # read, if it was not: a reader cannot travel
        state = {k: v for k, v in self.__dict__.items()
                 if k not in ("_decoded", "_kept", "_lock", "_wide", "_read_range",
                              "_chunks")}
        return {**state, "_source": data, "_read_range": None, "_chunks": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _decoded=OrderedDict(), _kept=0, _lock=threading.Lock())

    def lengths(self) -> np.ndarray:
        """Characters of each text (in id order), counted without decoding: the bytes that
        start a character."""
        starts = (self._data & 0xC0) != 0x80
        counted = np.concatenate(([0], np.cumsum(starts, dtype=np.int64)))
        return counted[self._ends] - counted[self._starts]

    @cached_property
    def _wide(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where the characters of more than one byte are, for :meth:`code_points`: each
        one's place among the characters of all texts end to end, the bytes the characters
        before it add to their count (one more entry: all of them), and each text's first
        character's place. A few arrays as long as the corpus's non-ASCII characters."""
        data = self._data
        step = 1 << 24  # the data's lead bytes found a slice at a time: no mask of it all
        lead = np.concatenate([np.flatnonzero(data[at:at + step] >= 0xC0) + at
                               for at in range(0, len(data), step)] or [np.zeros(0, np.int64)])
        lead = lead.astype(np.int64)
        first = data[lead]
        extra = np.concatenate(([0], np.cumsum(1 + (first >= 0xE0).astype(np.int64)
                                               + (first >= 0xF0))))
        place = lead - extra[:-1]
        text_first = self._starts - extra[np.searchsorted(lead, self._starts)]
        return place, extra, text_first

    @property
    def data(self) -> np.ndarray:
        """The UTF-8 bytes of every text, end to end, in id order (read whole from the cache
        when first asked)."""
        return self._data

    def byte_offsets(self, docs: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """The places in :attr:`data` of the characters at ``offsets`` of texts ``docs``
        (document indexes; an offset may be a text's length: where its bytes end).

        Examples
        --------
        >>> data = np.frombuffer("Ro\u00e9!\u3000x".encode(), dtype=np.uint8)
        >>> texts = Texts(["a", "b"], data, np.array([5, len(data)]))  # "Roé!", the rest
        >>> texts.byte_offsets(np.array([0, 0, 0, 1, 1]), np.array([2, 3, 4, 1, 2])).tolist()
        [2, 4, 5, 8, 9]
        """
        place, extra, text_first = self._wide
        at = text_first[docs] + offsets  # the characters' places in all texts end to end
        return at + extra[np.searchsorted(place, at)]  # ... and their bytes'

    def code_points(self, docs: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """The code points at character ``offsets`` of texts ``docs`` (document indexes),
        read from the UTF-8 bytes without decoding a text.

        Examples
        --------
        >>> data = np.frombuffer("Ro\u00e9\u00a0x\u3000\U0001f600!".encode(), dtype=np.uint8)
        >>> texts = Texts(["a", "b"], data, np.array([4, len(data)]))  # "Roé", the rest
        >>> [hex(c) for c in texts.code_points(np.array([0, 1, 1, 1, 1, 1]),
        ...                                    np.array([2, 0, 1, 2, 3, 4]))]
        ['0xe9', '0xa0', '0x78', '0x3000', '0x1f600', '0x21']
        """
        at = self.byte_offsets(docs, offsets)
        data = self._data
        points = data[at].astype(np.uint32)
        wide = np.flatnonzero(points >= 0xC0)
        if len(wide):
            lead, at = points[wide], at[wide]
            size = 2 + (lead >= 0xE0).astype(np.int64) + (lead >= 0xF0)
            code = lead & np.where(size == 2, 0x1F, np.where(size == 3, 0x0F, 0x07))
            for k in range(1, 4):
                more = size > k
                code[more] = (code[more] << 6) | (data[at[more] + k] & 0x3F)
            points[wide] = code
        return points

    def subset(self, docs: np.ndarray) -> Texts:
        """The texts of a boolean mask of documents (id order)."""
        kept = np.flatnonzero(docs)
        pieces = [self._data[self._starts[i]:self._ends[i]] for i in kept.tolist()]
        data = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.uint8)
        return Texts([self._ids[i] for i in kept.tolist()], data,
                     np.cumsum(self._ends[kept] - self._starts[kept]))


class Columns:
    """The processed corpus as arrays: what :class:`Processed` keeps in memory.

    Tokens are ids into one vocabulary of surfaces (each with the code of its term in
    :attr:`term_names`), their offsets as gap/length pairs and their sentence as a count
    of tokens per sentence; paragraphs and sentences are offsets and ids. Per-token
    columns (document, paragraph, sentence, term code, offsets) are derived on first use
    and kept. A token costs a few bytes, where a row of :attr:`Processed.tokens` (strings
    and 64-bit numbers) costs about a hundred, so analyses that count (word lists,
    keyness, the concordance) read these arrays and build only their small result tables.

    Attributes
    ----------
    names : ndarray of object
        Section and voice names (``para_section`` and ``para_voice`` index it).
    para_doc, para_number, para_section, para_voice, para_start, para_end : ndarray
        Per paragraph: document index, number in the raw file, section and voice ids,
        offsets into the cleaned text.
    sent_para, sent_start, sent_end, sent_tokens, sent_words : ndarray
        Per sentence: paragraph row, offsets, number of tokens and of word tokens.
    tok_surface, tok_gap, tok_length : ndarray
        Per token: surface id, characters since the previous token's end (the first
        token of a document: since the start of the text) and length.
    surfaces, surface_term : ndarray
        The surface of each surface id, and the code of its term.
    term_names, term_is_word, term_is_stop : ndarray
        Each term (in order of first appearance), whether it is a word and a stop word.
    log_doc, log_position, log_text : ndarray, ndarray, dict
        The cleaning log's rows: document index, position, and the string columns.
    layers : analysis.text.annotated.Layers
        Annotation layers (lemma, part of speech, heads...) as integer columns beside the
        tokens, where a reader made the tokens (empty otherwise).
    """

    def __init__(self, _lazy=None, **arrays):
        # _lazy: attribute -> a function that reads it (from the cache) when first used.
        self.__dict__.update(arrays, _lazy=dict(_lazy or {}))

    def __getattr__(self, name: str):
        lazy = self.__dict__.get("_lazy")
        if not lazy or name not in lazy:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        value = self.__dict__[name] = lazy[name]()
        return value

    def __getstate__(self) -> dict:  # every array read first: a reader cannot travel
        for name in list(self.__dict__["_lazy"]):
            getattr(self, name)
        return {**self.__dict__, "_lazy": {}, "_ranges": {}}

    def token_slice(self, name: str, start: int, stop: int) -> np.ndarray:
        """Rows ``start:stop`` of a per-token array (``tok_surface``, ``tok_gap``,
        ``tok_length``): from the cache file alone (checked as the whole array is) while the
        whole array is not in memory, so that a query that needs the tokens of a few places
        does not read every token."""
        if name not in self.__dict__:
            read = self.__dict__.get("_ranges", {}).get(name)
            if read is not None:
                return read(start, stop)
        return getattr(self, name)[start:stop]

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def subset(self, docs: np.ndarray) -> Columns:
        """The arrays of the documents of a boolean mask (corpus order), renumbered."""
        new_doc = (np.cumsum(docs) - 1).astype(np.int32)
        para = docs[self.para_doc]
        sent = para[self.sent_para]
        tok = np.repeat(sent, self.sent_tokens)
        new_para = (np.cumsum(para) - 1).astype(np.int32)
        log = docs[self.log_doc]
        return Columns(
            n_docs=int(docs.sum()), names=self.names, para_doc=new_doc[self.para_doc[para]],
            **{f"para_{k}": getattr(self, f"para_{k}")[para]
               for k in ("number", "section", "voice", "start", "end")},
            sent_para=new_para[self.sent_para[sent]],
            **{f"sent_{k}": getattr(self, f"sent_{k}")[sent]
               for k in ("start", "end", "tokens", "words")},
            **{k: getattr(self, k) for k in ("surfaces", "surface_term", "term_names",
                                             "term_is_word", "term_is_stop")},
            log_doc=new_doc[self.log_doc[log]], log_position=self.log_position[log],
            log_text={k: [v for v, keep in zip(values, log.tolist(), strict=True) if keep]
                      for k, values in self.log_text.items()},
            layers=self.layers.subset(tok),
            # the tokens' arrays, and the index, read and cut when first used
            _lazy={**{f"tok_{k}": functools.partial(_cut, self, f"tok_{k}", tok)
                      for k in ("surface", "gap", "length")},
                   **index.subset_loaders(self, docs, para, tok)})

    @property
    def has_index(self) -> bool:
        """Whether the corpus's index (:mod:`analysis.index`) came with the arrays."""
        return "seg_para" in self.__dict__ or "seg_para" in self.__dict__["_lazy"]

    @cached_property
    def sent_doc(self) -> np.ndarray:
        """Document index of each sentence."""
        return self.para_doc[self.sent_para]

    @cached_property
    def sent_number(self) -> np.ndarray:
        """Number of each sentence in its document, from 1."""
        per_doc = np.bincount(self.sent_doc, minlength=self.n_docs)
        return ranges(np.zeros_like(per_doc), per_doc)[0] + 1

    @cached_property
    def tok_sentence(self) -> np.ndarray:
        """Sentence row of each token."""
        return np.repeat(np.arange(len(self.sent_para), dtype=np.int32), self.sent_tokens)

    @cached_property
    def tok_para(self) -> np.ndarray:
        """Paragraph row of each token."""
        return self.sent_para[self.tok_sentence]

    @cached_property
    def tok_doc(self) -> np.ndarray:
        """Document index of each token (int32)."""
        return self.para_doc[self.tok_para]

    @property
    def tok_term(self) -> np.ndarray:
        """Term code (into :attr:`term_names`) of each token (computed on each call)."""
        return self.surface_term[self.tok_surface]

    @cached_property
    def tok_is_word(self) -> np.ndarray:
        """Whether each token is a word (looked up per surface, then per token)."""
        return self.term_is_word[self.surface_term][self.tok_surface]

    @cached_property
    def word_rows(self) -> np.ndarray:
        """Rows of the word tokens, in text order (32 bits where they fit; read-only)."""
        rows = np.flatnonzero(self.tok_is_word)
        if len(self.tok_surface) < 1 << 31:
            rows = rows.astype(np.int32)
        rows.flags.writeable = False  # shared by every analysis that reads it
        return rows

    @cached_property
    def sent_ends(self) -> np.ndarray:
        """The token row after each sentence's last (the running sum of its tokens)."""
        return np.cumsum(self.sent_tokens, dtype=np.int64)

    def sentence_of(self, rows: np.ndarray) -> np.ndarray:
        """Sentence row of some token rows, found among the sentences' ends (no array of
        every token's sentence, as :attr:`tok_sentence` is)."""
        return np.searchsorted(self.sent_ends, rows, side="right")

    def para_of(self, rows: np.ndarray) -> np.ndarray:
        """Paragraph row of some token rows (through their sentences: no per-token array)."""
        return self.sent_para[self.tok_sentence[rows]]

    def doc_of(self, rows: np.ndarray) -> np.ndarray:
        """Document index of some token rows."""
        return self.para_doc[self.para_of(rows)]


    @cached_property
    def para_words(self) -> np.ndarray:
        """Word tokens per paragraph."""
        return np.bincount(self.sent_para, weights=self.sent_words,
                           minlength=len(self.para_doc)).astype(np.int64)

    @cached_property
    def doc_tokens(self) -> np.ndarray:
        """Tokens per document (summed over its sentences)."""
        return np.bincount(self.sent_doc, weights=self.sent_tokens,
                           minlength=self.n_docs).astype(np.int64)

    @cached_property
    def doc_first(self) -> np.ndarray:
        """Row of each document's first token."""
        return np.cumsum(self.doc_tokens) - self.doc_tokens

    @cached_property
    def tok_position(self) -> np.ndarray:
        """Token index of each token in its document, from 0."""
        n = len(self.tok_surface)
        return np.arange(n, dtype=np.int64) - np.repeat(self.doc_first, self.doc_tokens)

    @cached_property
    def tok_end(self) -> np.ndarray:
        """Offset of each token's end in its document's cleaned text (int32 or int64)."""
        # Offsets into the texts end to end, then into each document's: in one array of
        # 32 bits unless the texts pass 2**31 characters in all.
        total = int(self.tok_gap.sum(dtype=np.int64) + self.tok_length.sum(dtype=np.int64))
        steps = self.tok_gap.astype(np.int32 if total < 1 << 31 else np.int64)
        steps += self.tok_length
        # Each document's first step less the steps of the document before it, so that one
        # running sum restarts at every document (no second array as long as the tokens).
        first = self.doc_first[self.doc_tokens > 0]
        if len(first) > 1:
            steps[first[1:]] -= np.add.reduceat(steps, first)[:-1]
        np.cumsum(steps, out=steps)
        return steps

    @cached_property
    def tok_start(self) -> np.ndarray:
        """Offset of each token's start in its document's cleaned text."""
        return self.tok_end - self.tok_length


def _cut(columns: Columns, name: str, keep: np.ndarray) -> np.ndarray:
    """An array of ``columns`` at the places of a mask."""
    return getattr(columns, name)[keep]


@dataclass(frozen=True, eq=False)
class Processed:
    """A corpus cleaned, segmented and tokenized: the tables every analysis starts from.

    The corpus is held as arrays (:attr:`columns`); the tables below are built from them
    on first use and kept, so a command that only counts never builds them.

    Attributes
    ----------
    corpus : Corpus
        The corpus as loaded (raw text untouched).
    texts : Texts
        Document id -> cleaned text (a read-only mapping); all offsets below point into
        it.
    columns : Columns
        The arrays the tables are built from.
    doc_ids : ndarray of object
        The document ids in corpus order (``doc_ids[doc_index]``).
    cleaning_log : DataFrame
        ``doc, position, before, after, kind, reason``; ``position`` is an offset into the raw
        text.
    paragraphs : DataFrame
        ``doc, paragraph, section, voice, start, end, text``.
    sentences : DataFrame
        ``doc, section, voice, paragraph, sentence, start, end, text, words``; ``sentence``
        counts from 1 within each document.
    tokens : DataFrame
        ``doc, section, voice, paragraph, sentence, position, start, end, token, term,
        is_word, is_stop, doc_index``; ``position`` counts tokens from 0 within each
        document, ``doc_index`` is the document's place in the corpus (0, 1, ...).
    """

    corpus: Corpus
    texts: Texts
    columns: Columns

    def __hash__(self) -> int:
        # Computed once: the caches of the analyses look a corpus up many times a command,
        # and hashing its documents takes about 10 ms at 14,000 of them.
        value = self.__dict__.get("_hash")
        if value is None:
            value = self.__dict__["_hash"] = hash(self.corpus)
        return value

    def __getstate__(self) -> dict:  # str hashes differ between processes
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    def __eq__(self, other) -> bool:
        return isinstance(other, Processed) and self.corpus == other.corpus

    def subset(self, docs: np.ndarray) -> Processed:
        """The documents of a boolean mask (corpus order) as a processed corpus."""
        from analysis import lang

        kept = [doc for doc, keep in zip(self.corpus, docs.tolist(), strict=True) if keep]
        corpus = replace(self.corpus, documents=tuple(kept))
        lang.remember(corpus, lang.languages(self.corpus)[docs].reset_index(drop=True))
        return Processed(corpus=corpus,
                         texts=self.texts.subset(docs),
                         columns=self.columns.subset(docs))

    @cached_property
    def doc_ids(self) -> np.ndarray:
        """The document ids in corpus order, as an array (an id per document index)."""
        return np.asarray(self.corpus.ids, dtype=object)

    @cached_property
    def paragraphs(self) -> pd.DataFrame:
        c = self.columns
        texts = [self.texts[d] for d in self.corpus.ids]
        return pd.DataFrame({
            "doc": self.doc_ids[c.para_doc].tolist(),
            "paragraph": c.para_number.tolist(),
            "section": c.names[c.para_section].tolist(),
            "voice": c.names[c.para_voice].tolist(),
            "start": c.para_start.tolist(),
            "end": c.para_end.tolist(),
            "text": [texts[d][s:e] for d, s, e in zip(c.para_doc.tolist(),
                                                      c.para_start.tolist(),
                                                      c.para_end.tolist(), strict=True)],
        }, columns=PARAGRAPH_COLUMNS)

    @cached_property
    def paragraph_keys(self) -> pd.DataFrame:
        """``doc, section, voice, doc_index`` of every paragraph: what a paragraph's group
        or unit depends on, without building :attr:`paragraphs` (its text) on a large
        corpus."""
        c = self.columns
        return pd.DataFrame({
            "doc": self.doc_ids[c.para_doc].tolist(),
            "section": c.names[c.para_section].tolist(),
            "voice": c.names[c.para_voice].tolist(),
            "doc_index": c.para_doc,
        })

    @cached_property
    def sentences(self) -> pd.DataFrame:
        return self.sentence_table()

    def sentence_table(self, rows=None) -> pd.DataFrame:
        """The rows of :attr:`sentences` of some sentence rows of :attr:`columns` (all by
        default), built for those alone: only their documents' texts are decoded.

        Examples
        --------
        >>> from analysis.corpus import load_corpus
        >>> p = process(load_corpus())
        >>> p.sentence_table([3]).equals(p.sentences.iloc[[3]].reset_index(drop=True))
        True
        """
        c = self.columns
        rows = np.arange(len(c.sent_para)) if rows is None else np.asarray(rows, dtype=np.int64)
        para = c.sent_para[rows]
        sent_doc = c.para_doc[para]
        texts = {d: self.texts[self.doc_ids[d]] for d in dict.fromkeys(sent_doc.tolist())}
        starts, ends = c.sent_start[rows], c.sent_end[rows]
        return pd.DataFrame({
            "doc": self.doc_ids[sent_doc].tolist(),
            "section": c.names[c.para_section[para]].tolist(),
            "voice": c.names[c.para_voice[para]].tolist(),
            "paragraph": c.para_number[para].tolist(),
            "sentence": c.sent_number[rows].tolist(),
            "start": starts.tolist(),
            "end": ends.tolist(),
            "text": [texts[d][s:e] for d, s, e in zip(sent_doc.tolist(), starts.tolist(),
                                                      ends.tolist(), strict=True)],
            "words": c.sent_words[rows].astype(np.int64),
        }, columns=SENTENCE_COLUMNS)

    @cached_property
    def tokens(self) -> pd.DataFrame:
        c = self.columns
        para_of = c.tok_para
        term_of = c.tok_term

        def objects(values: np.ndarray) -> pd.Series:
            # dtype object, with one string object per vocabulary entry shared by its tokens.
            return pd.Series(values, dtype=object)

        return pd.DataFrame({
            "doc": objects(self.doc_ids[c.para_doc][para_of]),
            "section": objects(c.names[c.para_section][para_of]),
            "voice": objects(c.names[c.para_voice][para_of]),
            "paragraph": c.para_number[para_of],
            "sentence": c.sent_number[c.tok_sentence].astype(np.int64),
            "position": c.tok_position.copy(),  # a change to the table stays in it
            "start": c.tok_start.astype(np.int64),
            "end": c.tok_end.astype(np.int64),
            "token": objects(c.surfaces[c.tok_surface]),
            "term": objects(c.term_names[term_of]),
            "is_word": c.tok_is_word.copy(),
            "is_stop": c.term_is_stop[term_of],
            "doc_index": c.tok_doc.astype(np.int32),
        }, columns=TOKEN_COLUMNS, copy=False)  # no copy into consolidated blocks: 1 s at 10M

    @cached_property
    def cleaning_log(self) -> pd.DataFrame:
        c = self.columns
        log_columns = [self.doc_ids[c.log_doc].tolist(), c.log_position.tolist(),
                       *(c.log_text[k] for k in LOG_COLUMNS[2:])]
        logs = [dict(zip(LOG_COLUMNS, row, strict=True))
                for row in zip(*log_columns, strict=True)]
        return pd.DataFrame(logs, columns=LOG_COLUMNS)


def _raw_paragraph_starts(raw: str) -> list[int]:
    """Offsets in the raw text where each non-blank line (a paragraph) starts."""
    starts, offset = [], 0
    for line in raw.split("\n"):
        if line and not line.isspace():
            starts.append(offset)
        offset += len(line) + 1
    return starts



def _process_document(doc: Document, cleaning: tuple = (), code: str = "en") -> dict:
    """Clean (with the options ``cleaning`` of :attr:`Corpus.cleaning`) and segment one
    document in its language (``code``) into column lists (see :func:`process`)."""
    if doc.tokens is not None:  # tokens a reader made: kept as they are, not cleaned
        return annotated.process_document(doc)
    from analysis.lang.text import language_sentence_spans, language_token_spans

    text, log, para_rows, lang = _cleaned(doc, cleaning, code)
    sent_rows = []
    for row, (_, _, _, start, end) in enumerate(para_rows):
        for s_start, s_end in language_sentence_spans(text[start:end], lang):
            sent_rows.append((row, start + s_start, start + s_end))

    starts, ends, surfaces, terms_ = language_token_spans(text, lang)
    sent_starts = np.array([row[1] for row in sent_rows], dtype=np.int64)
    # Every token lies in a sentence: paragraphs cover all non-space text, sentences cover
    # their paragraph, so the sentence of a token is the last one starting at or before it.
    sentence_index = np.searchsorted(sent_starts, starts, side="right") - 1
    return {"text": text, "log": log, "paragraphs": para_rows, "sentences": sent_rows,
            "token_start": starts, "token_end": ends, "token": surfaces, "term": terms_,
            "sentence_index": sentence_index}


def _annotated_documents(docs: list, cleaning: tuple, annotate: str) -> list[dict]:
    """The rows of documents (``(document, code)``) tokenized and annotated by the pipeline
    of ``annotate`` (:mod:`analysis.text.annotate`) after cleaning; a document whose reader
    made its tokens keeps them."""
    from analysis.text.annotate import annotate_batch

    own = [k for k, (doc, _) in enumerate(docs) if doc.tokens is None]
    prepared = [_cleaned(docs[k][0], cleaning, docs[k][1]) for k in own]
    annotated_parts = annotate_batch([(text, paras) for text, _, paras, _ in prepared],
                                     annotate)
    parts: list = [annotated.process_document(doc) if doc.tokens is not None else None
                   for doc, _ in docs]
    for k, (text, log, paras, _), out in zip(own, prepared, annotated_parts, strict=True):
        surfaces = out["forms"]
        parts[k] = {"text": text, "log": log, "paragraphs": paras,
                    "sentences": out["sentences"], "token_start": out["starts"],
                    "token_end": out["ends"], "token": surfaces,
                    "term": folded_terms(text, surfaces, [s.lower() for s in surfaces]),
                    "sentence_index": out["sentence_index"], "layers": out["layers"],
                    "head": out["head"]}
    return parts


def _cleaned(doc: Document, cleaning: tuple, code: str) -> tuple:
    """A document's cleaned text, cleaning log, paragraph rows ``(number, section, voice,
    start, end)`` and language."""
    from analysis.lang import language

    lang = language(code)
    text, log = clean(doc, **dict(cleaning))
    if lang.letters:
        text, log = _fold_letters(text, log, lang)
    # Paragraph numbers follow the raw file, so a section range read off the file holds even
    # when cleaning removes a line. Map each cleaned line back to its raw line through the
    # cumulative length change of the log entries before it.
    raw_starts = _raw_paragraph_starts(doc.raw)
    shifts = []  # (cleaned offset, raw - cleaned) after each change
    delta = 0
    for row in log:
        delta += len(row["before"]) - len(row["after"])
        shifts.append((row["position"] + len(row["before"]) - delta, delta))
    para_rows = []
    shift_index, delta = 0, 0
    for match in PARAGRAPH.finditer(text):
        start, end = match.span()
        while shift_index < len(shifts) and shifts[shift_index][0] <= start:
            delta = shifts[shift_index][1]
            shift_index += 1
        paragraph = bisect.bisect_right(raw_starts, start + delta) or 1
        section = doc.section_of(paragraph)
        para_rows.append((paragraph, section.name, section.voice, start, end))
    return text, log, para_rows, lang


def _fold_letters(text: str, log: list[dict], lang) -> tuple[str, list[dict]]:
    """The cleaned text with the language's letter variants folded
    (:func:`analysis.lang.text.fold_letters`), and the cleaning log with a row per change,
    its position an offset into the raw text as the other rows' are."""
    from analysis.lang.text import fold_letters

    folded, changes = fold_letters(text, lang)
    if not changes:
        return text, log
    # raw offset = cleaned offset + what the changes before it removed
    ends, deltas, delta = [], [], 0
    for row in log:
        delta += len(row["before"]) - len(row["after"])
        ends.append(row["position"] + len(row["before"]) - delta)
        deltas.append(delta)
    rows = []
    for offset, before, after in changes:
        k = bisect.bisect_right(ends, offset)
        rows.append({"position": offset + (deltas[k - 1] if k else 0), "before": before,
                     "after": after, "kind": "letters",
                     "reason": f"{lang.name} letter variant folded"})
    return folded, sorted([*log, *rows], key=lambda row: row["position"])


def _process_batch(docs: list, cleaning: tuple = (), annotate: str = "", lang: str = "") -> dict:
    """Process documents (in a worker process) into compact arrays, as :func:`_merge`
    stores them but numbered within the batch; with ``annotate`` (:attr:`Corpus.annotate`),
    tokenized and annotated by that pipeline. Each document is processed in its language
    (:func:`analysis.lang.document_language`: ``lang``, the corpus's ``--lang``, else its
    ``lang`` variable, else detected here, beside the rest of the work on it).

    Surfaces become ids into a batch vocabulary, section and voice names ids into the
    batch's names, texts UTF-8 bytes, and a token's offsets a gap and a length (32 bits):
    what travels back to the parent is a few bytes a token, not Python objects.
    """
    surfaces, terms_, texts, log, names = [], [], [], [], {}
    para = {k: [] for k in ("doc", "number", "section", "voice", "start", "end")}
    sent = {"para": [], "start": [], "end": []}
    gaps, lengths, sentence_tokens, layers = [], [], [], []
    from analysis.lang import document_language

    found = [document_language(doc, lang) for doc in docs]
    docs = [(doc, code) for doc, (code, _) in zip(docs, found, strict=True)]
    parts = _annotated_documents(docs, cleaning, annotate) if annotate else \
        (_process_document(doc, cleaning, code) for doc, code in docs)
    for local, part in enumerate(parts):
        layers.append((part["layers"], part["head"]) if "layers" in part else None)
        texts.append(part["text"].encode("utf-8", "surrogatepass"))
        log.extend((local, row["position"], *(row[c] for c in LOG_COLUMNS[2:]))
                   for row in part["log"])
        para_base = len(para["doc"])
        for number, section, voice, start, end in part["paragraphs"]:
            for column, value in (("doc", local), ("number", number),
                                  ("section", names.setdefault(section, len(names))),
                                  ("voice", names.setdefault(voice, len(names))),
                                  ("start", start), ("end", end)):
                para[column].append(value)
        for paragraph, start, end in part["sentences"]:
            sent["para"].append(para_base + paragraph)
            sent["start"].append(start)
            sent["end"].append(end)
        starts, ends = part["token_start"], part["token_end"]
        gaps.append(starts - np.concatenate(([0], ends[:-1])))
        lengths.append(ends - starts)
        sentence_tokens.append(np.bincount(part["sentence_index"],
                                           minlength=len(part["sentences"])))
        surfaces.extend(part["token"])
        terms_.extend(part["term"])
    ids, vocabulary = pd.factorize(np.asarray(surfaces, dtype=object), sort=False)
    # Each surface's first token: factorize numbers in order of appearance, so a surface's
    # first token is where the codes seen so far reach a new highest (no sort).
    first = np.flatnonzero(ids > np.maximum.accumulate(np.concatenate(([-1], ids[:-1]))))

    def joined(arrays: list, dtype) -> np.ndarray:
        return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype=dtype)

    return {
        "n_docs": len(docs), "text_data": b"".join(texts),
        "langs": [code for code, _ in found], "lang_sources": [source for _, source in found],
        "text_lengths": np.array([len(t) for t in texts], dtype=np.int64), "log": log,
        "names": list(names), "surfaces": list(vocabulary),
        "terms": [terms_[i] for i in first.tolist()], "ids": ids.astype(np.int32),
        **{f"para.{k}": np.asarray(v, dtype=np.int32 if k in ("doc", "section", "voice")
                                   else np.int64) for k, v in para.items()},
        "sent.para": np.asarray(sent["para"], dtype=np.int32),
        "sent.start": np.asarray(sent["start"], dtype=np.int64),
        "sent.end": np.asarray(sent["end"], dtype=np.int64),
        "sent.tokens": joined(sentence_tokens, np.int32),
        "gap": joined(gaps, np.int32), "length": joined(lengths, np.int32),
        **(annotated.batch_layers(layers, [len(g) for g in gaps]) if any(layers) else {}),
    }


PARAGRAPH_COLUMNS = ["doc", "paragraph", "section", "voice", "start", "end", "text"]
SENTENCE_COLUMNS = ["doc", "section", "voice", "paragraph", "sentence", "start", "end", "text",
                    "words"]
TOKEN_COLUMNS = ["doc", "section", "voice", "paragraph", "sentence", "position", "start", "end",
                 "token", "term", "is_word", "is_stop", "doc_index"]
LOG_COLUMNS = ["doc", "position", "before", "after", "kind", "reason"]

# How many processed corpora .cache/ keeps; the least recently used go first.
CACHE_KEEP = 16
# Corpora of fewer characters are processed in this process: starting workers costs about a
# second, which only pays for itself on a few hundred thousand words.
PARALLEL_CHARS = 2_000_000
# Characters per batch of documents sent to a worker: small enough to spread the work and
# bound what a worker holds, large enough that sending batches costs little.
BATCH_CHARS = 1_000_000
# The same for a corpus a spaCy pipeline annotates (--annotate), tens of times slower a
# character: workers pay from a few pages on (each loads the pipeline once, about a second),
# and smaller batches keep both cores busy to the end.
ANNOTATE_PARALLEL_CHARS = 100_000
ANNOTATE_BATCH_CHARS = 200_000
# Batches sent to the workers ahead of the one being merged, per worker.
AHEAD = 2
#: Processing in workers lets go of each batch's texts (:func:`analysis.corpus.release_texts`)
#: only in a corpus of more characters than this (64M, about 10M words): a smaller corpus
#: keeps its texts in memory, as processing in one process does.
RELEASE_CHARS = 64 * BATCH_CHARS


class CacheWarning(UserWarning):
    """A cache file that was ignored (corrupt, foreign, not a regular file) and rebuilt."""


# Modules outside text/ whose code changes the processed tables.
PROCESSING_MODULES = ("corpus.py", "index.py", "store.py", "lexicons.py")


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    """What processing depends on besides the corpus: code, scanner, lexicons, versions."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    package = config.PACKAGE_DIR
    # Every module processing runs (the whole text/ package, for safety), the lexicons and
    # the compiled scanner; tests/test_process.py edits each in a copy and sees the key change.
    paths = [*(package / name for name in PROCESSING_MODULES), *package.glob("_scan*.so"),
             *(package / "text").glob("*.py"), *config.LEXICONS_DIR.glob("*.csv"),
             *(package / "lang").rglob("*.py")]
    for path in sorted(paths):
        data = path.read_bytes()  # with its length: no bytes can pass from one file to the next
        digest.update(str(path.relative_to(package)).encode() + b"\0"
                      + len(data).to_bytes(8, "little") + data)
    digest.update(f"{pd.__version__} {np.__version__} {version('nltk')} {version('jieba')} "
                  f"{version('py3langid')} {version('stopwordsiso')} "
                  f"{version('urduhack-lite')} {version('rjieba')}".encode())
    return digest.digest()


def cache_key(corpus: Corpus) -> str:
    """Key of a corpus's processed tables: its texts, metadata and sections, and the code.

    Each document stands in the key by its header (id, file, metadata, sections) and the
    SHA-256 of its text (:attr:`Document.digest`), each length-prefixed, so two corpora
    differing only by where one document ends and the next begins have different keys. A
    text of a folder whose file is unchanged since it was last read stands by the digest
    recorded then, without being read (:mod:`analysis.fileindex` says how a changed file is
    still noticed).

    Any change to a document, its metadata or sections, the cleaning options
    (:attr:`Corpus.cleaning`), the phrases joined (:attr:`Corpus.compounds`), the language
    (:attr:`Corpus.lang`; a ``lang`` variable is metadata), the annotating pipeline
    (:attr:`Corpus.annotate`: its spec, its files and spaCy's version), a module of
    ``text/``, ``lang/`` or of :data:`PROCESSING_MODULES`, a lexicon, the compiled scanner,
    or the pandas, numpy, NLTK, jieba, rjieba, py3langid, stopwordsiso or urduhack-lite
    version gives another key, so a cached result is never stale (a detected language is a
    function of the text and the code).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> key = cache_key(load_corpus())
    >>> len(key), key == cache_key(load_corpus())
    (32, True)
    """
    digest = hashlib.sha256(_code_fingerprint())
    # Each piece is hashed after its length in 8 bytes, so the stream of pieces has one
    # reading only: the cleaning options, the phrases joined, the language and the pipeline,
    # then the documents (:func:`analysis.corpus.documents_digest`: each document's header,
    # id, file, metadata, sections, and its text's digest, length-prefixed in turn). Joined
    # without lengths, two corpora that differ only by bytes moved from one document into
    # the next (a text holding what the next header looks like) gave one stream, one key,
    # and the second corpus was served the first one's tables.
    cleaning = repr((corpus.cleaning, corpus.compounds, corpus.lang, corpus.annotate)).encode()
    pieces = [len(cleaning).to_bytes(8, "little"), cleaning]
    if corpus.annotate:  # the pipeline's files and spaCy's version (analysis.text.annotate)
        from analysis.text.annotate import fingerprint

        pieces.append(fingerprint(corpus.annotate))
    pieces.append(documents_digest(corpus.documents))
    digest.update(b"".join(pieces))
    return digest.hexdigest()[:32]


# The keys of the corpora processed in this process, in order (see keys_seen).
_KEYS_SEEN: list[str] = []


def keys_seen() -> list[str]:
    """The :func:`cache_key` of every corpus :func:`process` was given in this process.

    The build asks each notebook's kernel for them after the notebook ran, to check that
    the notebook read the corpus the build started with (not a corpus changed meanwhile).

    Returns
    -------
    list of str
        The keys, first use first, each once.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> key = cache_key(process(load_corpus()).corpus)
    >>> key in keys_seen()
    True
    """
    return list(_KEYS_SEEN)


def process(corpus: Corpus, engine="local", lang: str | None = None,
            annotate: str | None = None) -> Processed:
    """Clean, segment and tokenize every document of a corpus.

    Documents are processed in parallel worker processes
    (:func:`analysis.engines.base.workers`; batches of about :data:`BATCH_CHARS` characters)
    when the corpus has more than :data:`PARALLEL_CHARS` characters; the tables are the same
    either way. Results are kept in memory for the last
    few corpora and on disk in ``.cache/`` under :func:`cache_key` (the last
    :data:`CACHE_KEEP` used), so the notebooks of a build and repeated command-line calls
    process a corpus once, and a call that reads the cache needs no NLTK.

    The disk cache holds integer arrays and the vocabulary, never code (:mod:`analysis.store`:
    a checksummed file read with numpy and json alone). A cache file that is corrupt,
    truncated, foreign or not a regular file is ignored with a :class:`CacheWarning` and
    replaced.

    Parameters
    ----------
    corpus : Corpus
        The loaded corpus; it is not modified.
    engine : {"local", "dask"} or Engine, default "local"
        Where documents are processed when the cache does not have them
        (:mod:`analysis.engines`): ``"dask"`` maps the batches over a Dask cluster's workers.
        The tables are the same either way.

    lang : str, optional
        The language of every document (ISO 639-1; :meth:`Corpus.with_lang`); default: the
        corpus's, each document's ``lang`` variable, else detected (:mod:`analysis.lang`).
    annotate : str, optional
        ``"spacy:MODEL"``: tokenize and annotate with a spaCy pipeline the analyst has
        installed (:meth:`Corpus.with_annotation`, :mod:`analysis.text.annotate`), in the
        same parallel batches; default: the corpus's (none: the project's tokenizer).

    Returns
    -------
    Processed
        Cleaned texts, the cleaning log and the paragraph, sentence and token tables.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> p = process(load_corpus())
    >>> len(p.paragraphs), len(p.sentences), int(p.tokens["is_word"].sum())
    (26, 99, 2483)
    >>> p.tokens[["doc", "sentence", "token", "term"]].head(3)  # doctest: +NORMALIZE_WHITESPACE
                   doc  sentence      token       term
    0  songtao-article         1  Political  political
    1  songtao-article         1    parties    parties
    2  songtao-article         1   striving   striving
    """
    if lang:
        corpus = corpus.with_lang(lang)
    if annotate:
        corpus = corpus.with_annotation(annotate)
    return _process(corpus, engine)


def cache_path(key: str) -> Path:
    """The cache file of a corpus processed, named after its :func:`cache_key`.

    Examples
    --------
    >>> cache_path("0" * 64).name == "processed-" + "0" * 64 + ".store"
    True
    """
    return config.CACHE_DIR / f"processed-{key}.store"


@lru_cache(maxsize=4)
def _process(corpus: Corpus, engine="local") -> Processed:
    """:func:`process` of a corpus (kept in memory for the last few)."""
    key = cache_key(corpus)
    if key not in _KEYS_SEEN:
        _KEYS_SEEN.append(key)
    path = cache_path(key)
    try:
        reader = store.Reader(path)
        try:
            source = _Source(reader=reader, rebuild=functools.partial(
                _processed_arrays, corpus, engine, key, path))
            if "key" not in source or bytes(source["key"]) != key.encode():
                raise store.StoreError("made for another corpus")
            result = _tables(corpus, source)
        except BaseException:
            reader.close()
            raise
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return result
    except FileNotFoundError:
        pass
    except store.StoreError as err:
        warnings.warn(f"ignored the cache file {path.name} ({err}); processing again",
                      CacheWarning, stacklevel=2)
    result = _tables(corpus, _processed_arrays(corpus, engine, key, path))
    _release_freed_memory()
    return result


def _processed_arrays(corpus: Corpus, engine, key: str, path) -> dict[str, np.ndarray]:
    """The arrays of a corpus processed (:func:`_arrays`) and indexed
    (:func:`analysis.index.build`), written to the cache file ``path`` (and the oldest
    entries pruned) where the folder can be written."""
    with contextlib.suppress(OSError):  # where the largest arrays are spooled
        path.parent.mkdir(parents=True, exist_ok=True)
    arrays = _arrays(corpus, engine, spool=path.parent)
    arrays["key"] = np.frombuffer(key.encode(), dtype=np.uint8)
    built = _tables(corpus, arrays)
    arrays.update(index.build(built))
    arrays.update(index.totals(built, arrays))
    try:
        store.write(path, arrays)
        fileindex.prune(path.parent, "processed-*", CACHE_KEEP)
    except OSError:  # a read-only project still works, without the cache
        pass
    return arrays


# process() keeps the last few corpora in memory through _process; cleared as one
process.cache_clear = _process.cache_clear  # type: ignore[attr-defined]
process.cache_info = _process.cache_info  # type: ignore[attr-defined]


def _release_freed_memory() -> None:
    """Give the memory that processing freed back to the system (glibc's ``malloc_trim``).

    Merging many batches leaves the C heap full of freed blocks that glibc keeps (about
    170 MB at 10M words), so every analysis after a first run would start that much higher
    than after a cached one. Dask's workers release memory the same way. Elsewhere than
    glibc this does nothing.
    """
    import ctypes
    import ctypes.util

    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def compute(corpus: Corpus) -> Processed:
    """:func:`process` without its caches, in memory or on disk (for benchmarks).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> corpus = load_corpus()
    >>> compute(corpus).tokens.equals(process(corpus).tokens)
    True
    """
    return _tables(corpus, _arrays(corpus))


def _arrays(corpus: Corpus, engine="local", spool=None) -> dict[str, np.ndarray]:
    """The arrays of a corpus processed (:func:`_merge`; ``spool``: the folder its largest
    arrays are spooled to)."""
    from analysis.progress import progress

    batches = _batches(corpus)
    # Phrases joined into tokens (below) read the texts and rewrite the tokens' offsets:
    # those arrays are then kept in memory.
    arrays = _merge(progress(_run_batches(corpus, batches, engine), desc="processing",
                             unit="batch", total=len(batches)),
                    spool=None if corpus.compounds else spool)
    if corpus.compounds and any(key.startswith("layer.") for key in arrays):
        raise ValueError("phrases cannot be joined into single terms in a corpus whose tokens "
                         "a reader made (CoNLL-U); query them as phrases instead")
    if corpus.compounds:  # phrases joined into one token each (analysis.text.compounds)
        from analysis.text.compounds import join_phrases

        arrays = join_phrases(arrays, corpus.compounds)
    return arrays


def _batches(corpus: Corpus) -> list[list]:
    """The corpus's documents in batches of about :data:`BATCH_CHARS` characters
    (:data:`ANNOTATE_BATCH_CHARS` for a corpus annotated by a pipeline; at least one batch,
    empty for an empty corpus)."""
    limit = ANNOTATE_BATCH_CHARS if corpus.annotate else BATCH_CHARS
    batches, batch, size = [], [], 0
    for doc in corpus:
        batch.append(doc)
        size += len(doc.raw)
        if size >= limit:
            batches.append(batch)
            batch, size = [], 0
    if batch or not batches:
        batches.append(batch)
    return batches


def _run_batches(corpus: Corpus, batches: list[list], engine="local"):
    """:func:`_process_batch` over the corpus's batches (:func:`_batches`), in workers when
    that pays; the results in corpus order, each as soon as it is needed (so the parent holds
    one)."""
    cleaning = _cleaning_arguments(corpus)
    annotate = corpus.annotate
    total = sum(len(doc.raw) for batch in batches for doc in batch)
    if engine != "local":  # another engine maps the batches (analysis/engines)
        from analysis import engines

        chosen = engines.get(engine)
        if chosen.name != "local":
            yield from chosen.map(_process_batch, batches, cleaning, annotate, corpus.lang)
            return
    count = min(workers(), len(batches))
    if count <= 1 or total <= (ANNOTATE_PARALLEL_CHARS if annotate else PARALLEL_CHARS):
        yield from (_process_batch(batch, cleaning, annotate, corpus.lang) for batch in batches)
        return
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # fork starts workers at once and needs no guard in the caller's script; it is unsafe
    # when other threads run (a notebook kernel has several), where the workers fork from a
    # clean server process instead. So do they for a large corpus: a forked worker keeps
    # every page of the parent it was forked from (the corpus's texts, read before), even
    # after the parent lets go of them (100M words: 1 GB more in all).
    if threading.active_count() == 1 and total <= RELEASE_CHARS:
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["analysis.text.process"])
    from analysis.corpus import release_texts

    run = functools.partial(_process_batch, cleaning=cleaning, annotate=annotate,
                            lang=corpus.lang)
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        # A few batches ahead of the one merged (not all at once, as map would send them):
        # enough to keep every worker busy, few enough that results processed before the
        # merge can take them do not pile up in memory (a slow or busy parent).
        waiting = iter(batches)
        sent = deque((batch, pool.submit(run, batch))
                     for batch in itertools.islice(waiting, AHEAD * count))
        number = 0
        while sent:
            batch, future = sent.popleft()
            result = future.result()
            following = next(waiting, None)
            if following is not None:
                sent.append((following, pool.submit(run, following)))
            number += 1
            yield result
            del result
            # A batch processed: its texts are let go where their files can give them again,
            # so a large corpus's texts are not all held beside its arrays (100M words: 1 GB).
            if total > RELEASE_CHARS:
                release_texts(corpus, batch)
            if number % 16 == 0:
                _release_freed_memory()


def _cleaning_arguments(corpus: Corpus) -> tuple:
    """The keyword arguments of :func:`analysis.text.clean.clean` for every document: the
    corpus's cleaning options, and for ``drop_repeated_lines`` the lines of the whole corpus
    that it removes (``repeated``), counted once here, not in each worker."""
    options = dict(corpus.cleaning)
    if options.get("drop_repeated_lines"):
        from analysis.text.boilerplate import repeated_line_counts

        options["repeated"] = repeated_line_counts(corpus, options["drop_repeated_lines"])
    return tuple(options.items())


def _merge(batches, spool=None) -> dict[str, np.ndarray]:
    """The processed corpus as the arrays the cache stores (see :func:`_tables`), from the
    results of :func:`_process_batch` in corpus order (any iterable; each is let go once
    merged).

    With ``spool`` (a folder: the cache's), the texts and the tokens' gaps and lengths go to
    disk batch by batch (:class:`analysis.store.Spool`) rather than
    be held until the cache is written: the largest arrays that neither the index nor the
    first command needs (at 100M words, 0.9 GB of 2.3).

    Tokens keep an id into one vocabulary of surfaces (with each surface's term), their
    offsets as the gap from the previous token's end and their length, and their sentence
    as a count of tokens per sentence; paragraphs and sentences keep offsets, section and
    voice ids; texts and the cleaning log are kept whole. Everything else is derived.
    """
    surface_id: dict[str, int] = {}
    surfaces, terms_, name_id = [], [], {}
    texts, text_lengths, log = [], [], []
    langs, lang_sources = [], []  # each document's language and where it came from
    pieces: dict[str, list] = {k: [] for k in (
        "para.doc", "para.number", "para.section", "para.voice", "para.start", "para.end",
        "sent.para", "sent.start", "sent.end", "sent.tokens", "tok.id", "gap", "length")}
    docs = paragraphs = 0
    spooled = {}
    if spool is not None:
        spooled = {"texts.data": store.Spool(spool, np.uint8),
                   "gap": store.Spool(spool, np.uint16), "length": store.Spool(spool, np.uint16)}
    layers = annotated.LayerMerger()  # annotation layers, where a reader made the tokens
    for batch in batches:
        layers.add(batch.get("layers") and batch, len(batch["ids"]))
        # The batch's surfaces (each once, in order of appearance) looked up at once; those
        # not seen before numbered after the others, in their order.
        known = surface_id.get
        mapping = np.array([known(surface, -1) for surface in batch["surfaces"]],
                           dtype=np.int32)
        if len(mapping) != len(batch["terms"]):
            raise ValueError("a batch's surfaces and terms differ in number")
        for local in np.flatnonzero(mapping < 0).tolist():
            surface = batch["surfaces"][local]
            mapping[local] = surface_id[surface] = len(surfaces)
            surfaces.append(surface)
            terms_.append(batch["terms"][local])
        names = np.array([name_id.setdefault(n, len(name_id)) for n in batch["names"]],
                         dtype=np.int32)
        pieces["tok.id"].append(mapping[batch["ids"]])
        pieces["para.doc"].append(batch["para.doc"] + np.int32(docs))
        pieces["para.section"].append(names[batch["para.section"]])
        pieces["para.voice"].append(names[batch["para.voice"]])
        pieces["sent.para"].append(batch["sent.para"] + np.int32(paragraphs))
        for key in ("para.number", "para.start", "para.end", "sent.start", "sent.end",
                    "sent.tokens"):
            pieces[key].append(batch[key])
        for key in ("gap", "length"):  # in 16 bits where they fit (nearly always)
            values = batch[key]
            if key in spooled:
                spooled[key].append(values)
            else:
                pieces[key].append(values.astype(np.uint16) if not len(values)
                                   or values.max() < 1 << 16 else values)
        if "texts.data" in spooled:
            spooled["texts.data"].append(np.frombuffer(batch["text_data"], dtype=np.uint8))
        else:
            texts.append(np.frombuffer(batch["text_data"], dtype=np.uint8))
        text_lengths.append(batch["text_lengths"])
        log.extend((docs + row[0], *row[1:]) for row in batch["log"])
        langs.extend(batch["langs"])
        lang_sources.extend(batch["lang_sources"])
        docs += batch["n_docs"]
        paragraphs += len(batch["para.doc"])
        del batch

    def joined(key: str, dtype) -> np.ndarray:
        return _joined(pieces.pop(key), dtype)

    def compact(key: str) -> np.ndarray:  # gaps and lengths rarely pass 65,535
        values = pieces[key]
        return joined(key, np.uint16 if all(v.dtype == np.uint16 for v in values)
                      else np.int64)

    arrays = {
        **{key: joined(key, np.int32) for key in ("para.doc", "para.section", "para.voice")},
        **{key: joined(key, np.int64) for key in ("para.number", "para.start", "para.end")},
        "sent.para": joined("sent.para", np.int32),
        "sent.start": joined("sent.start", np.int64),
        "sent.end": joined("sent.end", np.int64),
        "sent.tokens": joined("sent.tokens", np.int32),
        "tok.id": joined("tok.id", np.int32),
        "tok.gap": spooled["gap"] if "gap" in spooled else compact("gap"),
        "tok.length": spooled["length"] if "length" in spooled else compact("length"),
        "log.doc": np.array([row[0] for row in log], dtype=np.int32),
        "log.position": np.array([row[1] for row in log], dtype=np.int64),
    }
    arrays.update(layers.arrays())
    is_word = np.array([term not in NON_WORDS for term in terms_], dtype=bool)
    if layers.layers:
        is_word &= annotated.is_word(terms_)
    arrays["sent.words"] = _words_per_sentence(is_word[arrays["tok.id"]], arrays["sent.tokens"])
    if "texts.data" in spooled:
        arrays["texts.data"] = spooled["texts.data"]
    else:
        arrays["texts.data"] = _joined(texts, np.uint8)
        arrays["texts.data"].flags.writeable = False  # as the bytes it was made from
    arrays["texts.ends"] = np.cumsum(np.concatenate([np.zeros(0, dtype=np.int64),
                                                     *text_lengths]))
    for name, values in [("names", list(name_id)), ("surfaces", surfaces), ("terms", terms_),
                         ("langs", langs), ("lang_sources", lang_sources),
                         *((f"log.{c}", [row[k] for row in log])
                           for k, c in enumerate(LOG_COLUMNS[2:], start=2))]:
        arrays[f"{name}.data"], arrays[f"{name}.ends"] = store.pack_strings(values)
    return arrays


def _joined(pieces: list, dtype) -> np.ndarray:
    """The arrays ``pieces`` end to end as one of ``dtype``, each piece let go (removed from
    the list) once copied: joining holds the result and one piece, not two of everything.

    Examples
    --------
    >>> pieces = [np.array([1, 2], dtype=np.int32), np.array([3], dtype=np.int32)]
    >>> _joined(pieces, np.int64).tolist(), pieces
    ([1, 2, 3], [])
    """
    out = np.empty(sum(len(piece) for piece in pieces), dtype=dtype)
    pieces.reverse()
    at = 0
    while pieces:
        piece = pieces.pop()
        out[at:at + len(piece)] = piece
        at += len(piece)
    return out


def _words_per_sentence(is_word: np.ndarray, sentence_tokens: np.ndarray) -> np.ndarray:
    """Word tokens of each sentence, summed over each sentence's run of tokens (int32)."""
    counts = np.zeros(len(sentence_tokens), dtype=np.int32)
    nonempty = np.flatnonzero(sentence_tokens)
    starts = (np.cumsum(sentence_tokens, dtype=np.int64) - sentence_tokens)[nonempty]
    if len(starts):
        counts[nonempty] = np.add.reduceat(is_word, starts, dtype=np.int64)
    return counts


def _stop_words(corpus: Corpus, codes=("en",)) -> frozenset[str]:
    """The stop words of a corpus: those of each of its languages (``codes``; English's are
    the project's, :func:`analysis.lexicons.stop_words`), with the analyst's changes
    (:attr:`Corpus.stop_list`). A term is a stop word when it is one in any language of the
    corpus."""
    words = stop_words()
    if set(codes) != {"en"}:
        from analysis.lang import language

        words = frozenset().union(*(language(code).stop_words() for code in set(codes)))
    added, kept = corpus.stop_list
    return (words | set(added)) - set(kept) if added or kept else words


# Arrays read from the cache only when an analysis first needs them (checked then); the
# others are read, and checked, when the corpus is loaded.
LAZY = ("tok.id", "tok.gap", "tok.length", "texts.data", "sent.start", "sent.end",
        "para.number", "para.start", "para.end",
        *index.LAZY)


class _Source(Mapping):
    """The arrays of a processed corpus: in memory, or in a cache file read array by array
    (:class:`analysis.store.Reader`).

    An array read later (:meth:`lazy`) that fails its checksum or its checks is not trusted
    either: a :class:`CacheWarning` names the file, the corpus is processed again (``rebuild``,
    which writes the cache anew) and every later array comes from the new arrays, which are
    the same as the sound file's would have been.
    """

    def __init__(self, arrays=None, reader=None, rebuild=None):
        self._arrays, self._reader, self._rebuild = arrays, reader, rebuild
        self._read: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def __iter__(self):
        return iter(self._arrays if self._arrays is not None else self._reader.names)

    def __len__(self) -> int:
        return len(self._arrays if self._arrays is not None else self._reader.names)

    def __contains__(self, name) -> bool:
        return name in (self._arrays if self._arrays is not None else self._reader._layout)

    def __getitem__(self, name: str) -> np.ndarray:
        if self._arrays is not None:
            value = self._arrays[name]
            if not isinstance(value, np.ndarray):  # spooled (kept in its own file, which
                # a cache file changed by another process since it was written cannot touch)
                value = self._arrays[name] = value.read()
                value.flags.writeable = False
            return value
        found = self._read.get(name)
        if found is None:
            found = self._read[name] = self._reader.read(name)
        return found

    def dtype(self, name: str) -> str:
        """The dtype of an array, without reading it."""
        if self._arrays is not None:
            return self._arrays[name].dtype.str
        return self._reader.dtype(name).str

    def length(self, name: str) -> int:
        """The length of an array, without reading it."""
        if self._arrays is not None:
            return len(self._arrays[name])
        return self._reader.length(name)

    def _failed(self, err: Exception) -> None:
        with self._lock:
            if self._arrays is None:
                what = err if isinstance(err, store.StoreError) else \
                    f"inconsistent arrays ({type(err).__name__})"
                warnings.warn(f"ignored the cache file {self._reader.path.name} ({what}); "
                              "processing again", CacheWarning, stacklevel=4)
                self._arrays = self._rebuild()
                self._reader.close()

    def lazy(self, name: str, check=None):
        """A function that reads an array (whole) and checks it with ``check`` (which raises
        ValueError, or returns the array to keep)."""
        return lambda: self._checked(
            lambda: self[name] if self._arrays is not None else self._reader.read(name), check)

    def read_strings(self, name: str) -> list[str]:
        """The strings packed as ``name.data`` and ``name.ends``
        (:func:`analysis.store.unpack_strings`)."""
        return store.unpack_strings(self[f"{name}.data"], self[f"{name}.ends"])

    def checked(self, make):
        """``make()``, whose reading fails as :meth:`lazy`'s does (the corpus processed again
        and ``make()`` once more)."""
        return self._checked(make)

    def read_range(self, name: str, start: int, stop: int, check=None) -> np.ndarray:
        """Some elements of an array, checked as :meth:`lazy` checks a whole one."""
        return self._checked(
            lambda: self[name][start:stop] if self._arrays is not None else
            self._reader.read_range(name, start, stop), check)

    def _checked(self, read, check=None) -> np.ndarray:
        """``read()`` checked by ``check``; on a failure of the cache file, one warning and
        the arrays processed afresh (:meth:`_failed`), then read once more from them."""
        for _ in range(2):
            try:
                array = read()
                return check(array) if check is not None else array
            except (store.StoreError, ValueError, IndexError) as err:
                if self._arrays is not None:
                    raise store.StoreError(
                        f"inconsistent arrays ({type(err).__name__})") from err
                self._failed(err)
        raise AssertionError("unreachable")


def _tables(corpus: Corpus, arrays: _Source | dict) -> Processed:
    """The tables of :class:`Processed` from the arrays of :func:`_merge` (or the cache).

    Raises :class:`~analysis.store.StoreError` when the arrays do not fit together (a cache
    file that passed its checksum but was not written by :func:`_merge` for this corpus).
    """
    if not isinstance(arrays, _Source):
        arrays = _Source(arrays)
    try:
        return _build_tables(corpus, arrays)
    except (KeyError, IndexError, ValueError, TypeError) as err:
        raise store.StoreError(f"inconsistent arrays ({type(err).__name__})") from err


def _build_tables(corpus: Corpus, arrays: _Source) -> Processed:
    def strings(name: str) -> list[str]:
        return store.unpack_strings(arrays[f"{name}.data"], arrays[f"{name}.ends"])

    def check(condition: bool, what: str) -> None:
        if not condition:
            raise ValueError(what)

    def at_least_zero(array: np.ndarray) -> np.ndarray:
        check(not len(array) or array.min() >= 0, "an array < 0")
        return array

    for name in arrays:  # the dtypes _merge writes, nothing else
        kinds = ("<u2", "<i8") if name in ("tok.gap", "tok.length") else \
            ("<i8",) if name in index.TOTALS else \
            ("|u1",) if name == "key" or name.endswith(".data") else \
            ("<i8",) if name.endswith((".ends", ".start", ".end", ".number", ".position",
                                       ".indptr")) \
            else ("<i4",)
        check(arrays.dtype(name) in kinds, f"the dtype of {name}")
        if name not in LAZY:
            check(not len(arrays[name]) or name.endswith(".data") or arrays[name].min() >= 0,
                  f"{name} < 0")
    ids = list(corpus.ids)
    texts = Texts(ids, arrays.lazy("texts.data"), arrays["texts.ends"],
                  read_range=functools.partial(arrays.read_range, "texts.data"))
    texts._source = arrays.lazy("texts.data", texts._check)
    names = np.asarray(strings("names"), dtype=object)
    surfaces = np.asarray(strings("surfaces"), dtype=object)
    terms_ = strings("terms")
    para_doc, sent_para = arrays["para.doc"], arrays["sent.para"]
    sentence_tokens = arrays["sent.tokens"]
    n_tokens = arrays.length("tok.id")
    check(len(texts) == len(ids) and len(terms_) == len(surfaces), "texts or vocabulary")
    # Every array the tables are built from (when an analysis asks for them, not now) has
    # the length of its kind, so a table can always be built.
    check(all(arrays.length(f"para.{k}") == len(para_doc)
              for k in ("number", "section", "voice", "start", "end")), "paragraphs")
    check(all(arrays.length(f"sent.{k}") == len(sent_para)
              for k in ("start", "end", "tokens", "words")), "sentences")
    check(bool(np.all(arrays["sent.words"] <= sentence_tokens)), "words per sentence")
    check(int(sentence_tokens.sum()) == n_tokens == arrays.length("tok.gap")
          == arrays.length("tok.length"), "tokens")
    check(arrays.length("texts.data") == (int(arrays["texts.ends"][-1]) if len(ids) else 0),
          "texts")
    for values, bound in ((para_doc, len(ids)), (sent_para, len(para_doc)),
                          (arrays["log.doc"], len(ids)),
                          (arrays["para.section"], len(names)),
                          (arrays["para.voice"], len(names))):
        check(not len(values) or (values.min() >= 0 and values.max() < bound), "an index")

    def token_ids(values: np.ndarray) -> np.ndarray:
        check(not len(values) or (values.min() >= 0 and values.max() < len(surfaces)),
              "an index")
        return values

    langs, lang_sources = strings("langs"), strings("lang_sources")
    check(len(langs) == len(ids) == len(lang_sources), "languages")
    check(all(n == len(arrays["log.doc"]) for n in (
        len(arrays["log.position"]), *(arrays.length(f"log.{c}.ends") for c in LOG_COLUMNS[2:]))),
        "log")

    def log_text() -> dict[str, list[str]]:  # the cleaning log's strings, when first used
        return {c: arrays.read_strings(f"log.{c}") for c in LOG_COLUMNS[2:]}
    check(bool(np.all(np.diff(para_doc[sent_para]) >= 0)), "sentence order")

    term_codes, term_vocabulary = pd.factorize(np.asarray(terms_, dtype=object), sort=False)
    term_names = pd.Index(term_vocabulary, dtype=object)
    layers = annotated.read_layers(arrays, sentence_tokens)
    term_is_word = ~term_names.isin(NON_WORDS)
    if layers.ids:
        term_is_word &= annotated.is_word(term_names)
    columns = Columns(
        n_docs=len(ids), names=names,
        **{f"para_{k}": arrays[f"para.{k}"] for k in ("doc", "section", "voice")},
        **{f"sent_{k}": arrays[f"sent.{k}"] for k in ("para", "tokens", "words")},
        surfaces=surfaces, surface_term=term_codes.astype(np.int32),
        term_names=term_names.to_numpy(), term_is_word=term_is_word,
        term_is_stop=term_names.isin(_stop_words(corpus, langs or ("en",))),
        log_doc=arrays["log.doc"], log_position=arrays["log.position"], layers=layers,
        **index.read(arrays, n_tokens, (para_doc, arrays["para.section"], arrays["para.voice"]),
                     term_names.to_numpy(), len(ids)),
        _ranges={name: functools.partial(arrays.read_range, key, check=check)
                 for name, key, check in (("tok_surface", "tok.id", token_ids),
                                          ("tok_gap", "tok.gap", at_least_zero),
                                          ("tok_length", "tok.length", at_least_zero))},
        _lazy={"tok_surface": arrays.lazy("tok.id", token_ids),
               "tok_gap": arrays.lazy("tok.gap", at_least_zero),
               "tok_length": arrays.lazy("tok.length", at_least_zero),
               "sent_start": arrays.lazy("sent.start", at_least_zero),
               **{f"para_{k}": arrays.lazy(f"para.{k}", at_least_zero)
                  for k in ("number", "start", "end")},
               "log_text": lambda: arrays.checked(log_text),
               "sent_end": arrays.lazy("sent.end", at_least_zero),
               **index.loaders(arrays, n_tokens)})
    _remember_languages(corpus, langs, lang_sources)
    return Processed(corpus=corpus, texts=texts, columns=columns)


def _remember_languages(corpus: Corpus, langs: list[str], sources: list[str]) -> None:
    """Tell :func:`analysis.lang.languages` the languages processing used, so that a warm
    command does not detect them again."""
    from analysis import lang

    lang.remember(corpus, pd.DataFrame({"doc": list(corpus.ids), "lang": langs,
                                        "lang_source": sources}))
