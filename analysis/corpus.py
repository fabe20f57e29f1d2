"""Load a corpus (a folder of texts, or one table of texts) into immutable documents.

A corpus is a folder of UTF-8 ``.txt`` files (or gzipped ``.txt.gz``), a ``.zip`` archive
of such a folder (see :func:`load_zip`), or one table (``.csv``, ``.jsonl`` or ``.parquet``,
the first two possibly gzipped) with a row per document (see :func:`load_table`). A cell of
:data:`MISSING_VALUES` is no value. A folder has two optional files that describe it:

``metadata.csv``
    Columns ``file,id,title,author,outlet,date,genre`` (only ``file`` is required; ``id``
    defaults to the file stem). Further columns are kept as metadata too: every column
    besides ``file`` and ``id`` is a *document variable* (see :mod:`analysis.units`).
    A ``date`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (or blank) and keeps its precision.
``sections.csv``
    Columns ``file,section,voice,first,last,note``: a document's sections (who is speaking)
    as ranges of paragraphs, 1-based and inclusive; ``last`` may be empty for "to the end".
    A paragraph is a non-blank line of the raw file. Paragraphs that no range covers belong
    to the section ``main``. Without this file each document is one section ``main``.

The loader only reads: the folder is never written to. Every problem is raised as
:class:`CorpusError` with one line naming the file and the problem.

This is the first step of the data flow: the :class:`Corpus` it returns goes to
:func:`analysis.text.process.process` (the token store) and to :mod:`analysis.units` (the
document variables that ``by=`` and ``where=`` read).
"""

from __future__ import annotations

import csv
import errno
import functools
import gc
import gzip
import hashlib
import io
import json
import os
import re
import stat
import sys
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from analysis import config, fileindex, store
from analysis.readers.tokens import Tokens

__all__ = ["Corpus", "CorpusError", "Document", "Section", "check_date", "check_lang",
           "documents_digest", "is_date", "load_corpus", "load_folder", "load_table", "load_zip",
           "metadata_table", "read_text", "release_texts", "section_table", "table_suffix"]

# A text cell (or a long note) is easily longer than the csv module's default field limit
# (131,072 characters), which is one setting for the whole process: raised once, here.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

METADATA_FILE = "metadata.csv"
SECTIONS_FILE = "sections.csv"
DEFAULT_SECTION = "main"
#: Suffixes of a corpus given as one table, a row per document (``.csv`` and ``.jsonl`` may
#: be gzipped: ``.csv.gz``, ``.jsonl.gz``; Parquet is compressed already).
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
#: Suffixes of a corpus given as a zip archive of text files (read without unpacking to disk).
ZIP_SUFFIX = ".zip"
#: The most columns a table corpus or a ``metadata.csv`` may have (texts, ids and file names
#: included): every column is a document variable, and a table of each variable's values
#: (the ``corpus`` command's) with tens of thousands of them is no longer one a reader can use.
MAX_COLUMNS = 10_000

#: The most bytes a compressed corpus may unpack to: a gzipped table or text file, and all the
#: members of a zip archive together. A file that claims or turns out to unpack to more is
#: refused (a "zip bomb" of a few kilobytes may unpack to gigabytes).
MAX_UNPACKED_BYTES = 1 << 30
#: The document variable that holds dates, and the forms it accepts.
DATE_COLUMN = "date"
#: The document variable that holds a document's language (:mod:`analysis.lang`).
LANG_COLUMN = "lang"
DATE_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
#: Cells of a document variable read as "no value", in every table format and in
#: ``metadata.csv`` (the conventions of R, pandas and database exports), compared after
#: surrounding white space is stripped; a JSON or Parquet null and a NaN number are missing
#: too. A document without a value is in the group ``(none)`` (:mod:`analysis.units`).
MISSING_VALUES = frozenset({"", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "-"})


#: The options of the cleaning (keyword arguments of :func:`analysis.text.clean.clean`) and
#: their defaults: :meth:`Corpus.with_cleaning` sets them. ``drop_repeated_lines``, ``drop_lines``,
#: ``header_fields`` and ``header_lines`` are read by :mod:`analysis.text.boilerplate`.
CLEANING_OPTIONS = {"fix_encoding": True, "drop_repeated_lines": 0, "drop_lines": (),
                    "header_fields": (), "header_lines": 10}


class CorpusError(ValueError):
    """A corpus file that cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class Section:
    """A run of paragraphs spoken in one voice.

    Attributes
    ----------
    name : str
        Short name of the section (``introduction``, ``article``...).
    voice : str
        Who speaks in it (``newspaper``, ``Song Tao``...).
    first, last : int
        First and last paragraph, 1-based and inclusive; ``last`` is None for "to the end".
    note : str
        Why the section is drawn there.
    line : int
        The line of ``sections.csv`` that declares it (for error messages).
    """

    name: str
    voice: str
    first: int
    last: int | None = None
    note: str = ""
    line: int = field(default=0, compare=False, repr=False)

    def covers(self, paragraph: int) -> bool:
        """Whether the 1-based paragraph number falls in this section."""
        return self.first <= paragraph and (self.last is None or paragraph <= self.last)


class _Deferred:
    """A text of a corpus folder not read yet (its file unchanged since it was last read, see
    :mod:`analysis.fileindex`): read when first asked for, and refused if its text is not the
    one recorded."""

    __slots__ = ("digest", "folder", "name")

    def __init__(self, folder: Path, name: str, digest: bytes):
        self.folder, self.name, self.digest = folder, name, digest

    def read(self) -> str:
        path = self.folder / self.name
        try:
            dir_fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as err:
            raise CorpusError(f"{path}: cannot be read ({err.strerror or err})") from None
        try:
            text, _, digest = _read_file(dir_fd, (self.name,), self.name.endswith(".gz"))
        except _TextError as err:
            raise CorpusError(f"{path}: {err}") from None
        finally:
            os.close(dir_fd)
        if digest != self.digest:
            raise CorpusError(f"{path}: changed since the corpus was loaded; load it again")
        return text


class _Parsed:
    """A corpus file not parsed yet (unchanged since it was last parsed, see
    :func:`_load_recorded`): parsed when a document's text or tokens are first asked for,
    and refused if its documents are not the ones recorded."""

    def __init__(self, reader, path: Path, options: dict, digests: list):
        self.reader, self.path, self.options, self.digests = reader, path, options, digests
        self.corpus: Corpus | None = None

    def document(self, index: int) -> Document:
        if self.corpus is None:
            corpus = self.reader.read(self.path, **self.options)
            if [_digests(doc) for doc in corpus] != self.digests:
                raise CorpusError(f"{self.path}: changed since the corpus was loaded; load it "
                                  "again")
            self.corpus = corpus
        return self.corpus.documents[index]


class _DeferredDocument(_Deferred):
    """The text of a document of a corpus file not parsed yet (:class:`_Parsed`)."""

    __slots__ = ("index", "parsed")

    def __init__(self, parsed: _Parsed, index: int, digest: bytes):
        self.parsed, self.index, self.digest = parsed, index, digest

    def read(self) -> str:
        return self.parsed.document(self.index).raw


class _DeferredTokens(Tokens):
    """The tokens of a document of a corpus file not parsed yet (:class:`_Parsed`): their
    digest is known, everything else is taken from the file when first asked for."""

    def __init__(self, parsed: _Parsed, index: int, digest: str):
        object.__setattr__(self, "_parsed", (parsed, index))
        object.__setattr__(self, "_digest", digest)

    def _real(self) -> Tokens:
        parsed, index = self.__dict__["_parsed"]
        return parsed.document(index).tokens

    starts = property(lambda self: self._real().starts)
    ends = property(lambda self: self._real().ends)
    sentences = property(lambda self: self._real().sentences)
    forms = property(lambda self: self._real().forms)
    layers = property(lambda self: self._real().layers)
    head = property(lambda self: self._real().head)

    def __repr__(self) -> str:
        return repr(self._real())

    def __reduce_ex__(self, protocol):  # a copy sent to a worker is the real tokens
        return _same, (self._real(),)


def _same(value):
    return value


class _RawText:
    """:attr:`Document.raw`: the text, or a :class:`_Deferred` read on first use."""

    def __get__(self, doc, owner=None):
        if doc is None:
            raise AttributeError("raw")  # a field without a default
        value = doc.__dict__["_raw"]
        if isinstance(value, _Deferred):
            value = doc.__dict__["_raw"] = value.read()
        return value

    def __set__(self, doc, value) -> None:
        doc.__dict__["_raw"] = value


@dataclass(frozen=True, eq=False)
class Document:
    """One text of the corpus, exactly as read.

    Attributes
    ----------
    id : str
        Unique identifier (metadata ``id`` or the file stem).
    file : str
        File name inside the corpus folder.
    raw : str
        The decoded file content, untouched (a BOM or CRLF line endings are kept here;
        :func:`analysis.text.clean.clean` removes them and logs it). A text of a folder
        whose file is unchanged since it was last read (:mod:`analysis.fileindex`) is read
        when first used: a warm command that does not need it never reads it.
    metadata : Mapping[str, str]
        Read-only metadata (title, author, outlet, date, genre, ...).
    sections : tuple of Section
        Declared sections, in paragraph order.
    tokens : analysis.readers.Tokens or None
        Tokens and sentences a reader handed over already made, with their annotation
        layers (a CoNLL-U file's, :mod:`analysis.readers.conllu`): processing keeps them and
        does not tokenize ``raw`` again. None for plain text.
    digest : bytes
        SHA-256 of the text as UTF-8 (recorded for a text not read yet). Two documents are
        equal when their id, file, metadata, sections, tokens and digest are.
    """

    id: str
    file: str
    raw: str = _RawText()
    metadata: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    sections: tuple[Section, ...] = ()
    tokens: object = field(default=None, compare=True)

    @property
    def digest(self) -> bytes:
        """SHA-256 of the text as UTF-8, computed once (recorded for a text not read yet)."""
        value = self.__dict__.get("_digest")
        if value is None:
            raw = self.__dict__["_raw"]
            value = raw.digest if isinstance(raw, _Deferred) else \
                hashlib.sha256(raw.encode("utf-8", "surrogatepass")).digest()
            self.__dict__["_digest"] = value
        return value

    def __eq__(self, other) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.id, self.file, self.sections, self.metadata, self.tokens) == \
            (other.id, other.file, other.sections, other.metadata, other.tokens) \
            and self.digest == other.digest

    @property
    def title(self) -> str:
        """The metadata title, or the document id."""
        return self.metadata.get("title") or self.id

    def section_of(self, paragraph: int) -> Section:
        """The section holding a 1-based paragraph number (``main`` where none is declared)."""
        for section in self.sections:
            if section.covers(paragraph):
                return section
        return Section(DEFAULT_SECTION, self.metadata.get("author") or self.id, 1)

    def __hash__(self) -> int:  # metadata is a mappingproxy, which does not hash; the text
        return hash((self.id, self.file, self.sections))  # is left to __eq__ (unread ones)

    def __reduce__(self):  # nor pickle (documents go to the worker processes of text.process)
        return _document, (self.id, self.file, self.raw, dict(self.metadata), self.sections,
                           self.tokens)


def _document(doc_id, file, raw, metadata, sections, tokens=None) -> Document:
    return Document(doc_id, file, raw, MappingProxyType(metadata), sections, tokens)


@dataclass(frozen=True)
class Corpus:
    """An ordered, immutable collection of documents."""

    documents: tuple[Document, ...]
    root: str = ""
    #: The cells read as missing (:data:`MISSING_VALUES` other than blank), as ``(column,
    #: value as written, count)`` sorted by column and value.
    missing: tuple[tuple[str, str, int], ...] = field(default=(), compare=False)
    #: Options of the cleaning (keyword arguments of :func:`analysis.text.clean.clean`) as
    #: sorted ``(name, value)`` pairs, set by :meth:`with_cleaning`; part of the cache key of
    #: :func:`analysis.text.process.process`. An option at its default is left out, so the
    #: defaults are ``()`` however they were set.
    cleaning: tuple[tuple[str, object], ...] = ()
    #: The analyst's changes to the stop words (:func:`analysis.lexicons.stop_words`): the
    #: words added and the words kept (taken out of the list), set by :meth:`with_stop_words`.
    stop_list: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    #: Phrases joined into one token each by processing (:mod:`analysis.text.compounds`), as
    #: tuples of token patterns, set by :meth:`with_compounds`; part of the cache key.
    compounds: tuple[tuple[str, ...], ...] = ()
    #: The language of every document (an ISO 639-1 code), set by :meth:`with_lang`
    #: (``--lang``); empty: each document's ``lang`` variable, else detected
    #: (:func:`analysis.lang.languages`). Part of the cache key.
    lang: str = ""
    #: The spaCy pipeline that tokenizes and annotates the documents, ``spacy:MODEL``, set by
    #: :meth:`with_annotation` (``--annotate``); empty: the project's own tokenizer. Part of
    #: the cache key, with the pipeline's files (:mod:`analysis.text.annotate`).
    annotate: str = ""

    def with_annotation(self, spec: str) -> Corpus:
        """The same corpus, to be tokenized and annotated by the spaCy pipeline of ``spec``
        (``spacy:MODEL``: an installed pipeline's name or a pipeline's folder) when processed.

        Raises ValueError naming ``--annotate``, one line, where the spec is not of that form,
        or spaCy or the pipeline is not installed (nothing is downloaded). A document whose
        reader made its tokens (CoNLL-U, DocBin) keeps them. ``""`` undoes it.

        Examples
        --------
        >>> load_corpus().with_annotation("").annotate
        ''
        """
        if not spec:
            return replace(self, annotate="")
        from analysis.text.annotate import check_spec, fingerprint

        check_spec(spec)
        fingerprint(spec)  # spaCy and the pipeline are there
        return replace(self, annotate=spec)

    def with_lang(self, code: str) -> Corpus:
        """The same corpus, every document in the language ``code`` (ISO 639-1).

        Raises ValueError naming ``--lang`` for a code that is not one; ``""`` undoes it.

        Examples
        --------
        >>> load_corpus().with_lang("en").lang
        'en'
        """
        from analysis.lang.codes import check_code

        return replace(self, lang=check_code(code, "--lang") if code else "")

    def with_compounds(self, phrases) -> Corpus:
        """The same corpus, with these phrases joined into single terms when processed.

        ``phrases`` are tuples of token patterns (:func:`analysis.text.compounds.parse_phrase`
        reads one from text); they replace the corpus's compounds (an empty list: none).

        Examples
        --------
        >>> load_corpus().with_compounds([("song", "tao")]).compounds
        (('song', 'tao'),)
        """
        return replace(self, compounds=tuple(dict.fromkeys(tuple(p) for p in phrases)))

    def with_stop_words(self, add=(), keep=()) -> Corpus:
        """The same corpus, with words added to its stop words and words taken out.

        Every analysis that leaves stop words out (word lists, keyness, collocates,
        sequences, topics) then leaves out the words of ``add`` and keeps those of
        ``keep``. Words are lower-cased, as terms are.

        Examples
        --------
        >>> corpus = load_corpus().with_stop_words(add=["CPEC"], keep=["the"])
        >>> corpus.stop_list
        (('cpec',), ('the',))
        """
        added, kept = (set(self.stop_list[0]) | {w.strip().lower() for w in add},
                       set(self.stop_list[1]) | {w.strip().lower() for w in keep})
        return replace(self, stop_list=(tuple(sorted(added - kept - {""})),
                                        tuple(sorted(kept - {""}))))

    def with_cleaning(self, **options) -> Corpus:
        """The same corpus, to be cleaned with these options (``fix_encoding=False``...).

        Examples
        --------
        >>> corpus = load_corpus().with_cleaning(fix_encoding=False)
        >>> corpus.cleaning, corpus.ids
        ((('fix_encoding', False),), ['songtao-article', 'award-report'])
        >>> corpus.with_cleaning(fix_encoding=True).cleaning  # the default: as if never set
        ()
        """
        unknown = sorted(set(options) - set(CLEANING_OPTIONS))
        if unknown:
            raise ValueError(f"cleaning option {unknown[0]!r}: unknown (known: "
                             f"{', '.join(CLEANING_OPTIONS)})")
        merged = {**dict(self.cleaning), **options}
        return replace(self, cleaning=tuple(sorted(
            (name, value) for name, value in merged.items()
            if value != CLEANING_OPTIONS[name])))

    def __iter__(self):
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __hash__(self) -> int:
        # Computed once: the analyses' caches look a corpus up several times a command,
        # and hashing 14,000 documents takes about 15 ms each time.
        value = self.__dict__.get("_hash")
        if value is None:
            value = hash((self.documents, self.root))
            object.__setattr__(self, "_hash", value)
        return value

    def __getstate__(self) -> dict:  # str hashes differ between processes
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    @property
    def ids(self) -> list[str]:
        """Document ids in corpus order."""
        return [doc.id for doc in self.documents]

    def __getitem__(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(f"unknown document id {doc_id!r}; known: {', '.join(self.ids)}")


class _Documents(tuple):
    """The documents of a corpus read from a folder: a tuple that computes its hash and its
    :func:`documents_digest` once (a corpus changed by ``with_...`` keeps its documents, and
    with them both)."""

    def __hash__(self) -> int:
        value = self.__dict__.get("_hash")
        if value is None:
            value = self.__dict__["_hash"] = tuple.__hash__(self)
        return value

    def __reduce__(self):  # a copy is a plain tuple (str hashes differ between processes)
        return tuple, (tuple(self),)


def documents_digest(documents) -> bytes:
    """SHA-256 of the documents of a corpus as they stand in the cache key of
    :func:`analysis.text.process.process`: each document's header (id, file, sorted metadata,
    sections, and the digest of a reader's tokens) and the SHA-256 of its text, each after its
    length in 8 bytes, so the stream of pieces has one reading only.

    Computed once for the documents of a folder (recorded with the folder record, see
    :mod:`analysis.fileindex`).

    Examples
    --------
    >>> corpus = load_corpus()
    >>> len(documents_digest(corpus.documents))
    32
    >>> documents_digest(corpus.documents) == documents_digest(tuple(corpus.documents))
    True
    """
    memo = getattr(documents, "__dict__", None)
    value = memo.get("_digest") if memo is not None else None
    if value is None:
        pieces = []
        for doc in documents:
            header = (doc.id, doc.file, sorted(doc.metadata.items()), doc.sections)
            if doc.tokens is not None:  # a reader's tokens and layers (analysis.readers)
                header += (doc.tokens.digest,)
            for piece in (repr(header).encode(), doc.digest):
                pieces.append(len(piece).to_bytes(8, "little"))
                pieces.append(piece)
        value = hashlib.sha256(b"".join(pieces)).digest()
        if memo is not None:
            memo["_digest"] = value
    return value


def read_text(path: Path) -> str:
    """Read one corpus file as UTF-8, refusing binary, undecodable and empty files.

    Parameters
    ----------
    path : Path
        The file to read.

    Returns
    -------
    str
        The decoded text, unchanged (a leading BOM is kept, see :class:`Document`).

    Raises
    ------
    CorpusError
        On NUL bytes (binary file), invalid UTF-8, or no text at all.

    Examples
    --------
    >>> from analysis.config import SEEDS_DIR
    >>> text = read_text(SEEDS_DIR / "000_25f78f2dd7ffcf91.txt")
    >>> text.splitlines()[0]
    'Political parties striving for excellence in CPEC cooperation'
    """
    try:
        return _decoded(path.read_bytes())
    except OSError as err:
        raise CorpusError(f"{path}: cannot be read ({err.strerror or err})") from None
    except _TextError as err:
        raise CorpusError(f"{path}: {err}") from None


class _TextError(ValueError):
    """The problem of a corpus file's content; the caller names the file."""


def _decoded(data: bytes) -> str:
    """The UTF-8 text of a corpus file's bytes, or :class:`_TextError` saying what is wrong."""
    if b"\x00" in data:
        raise _TextError("binary file (contains NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _TextError(f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset "
                       f"{err.start})") from None
    first = text[:1]  # neither white space nor a BOM: it survives both strips, no need to strip
    if (not first or first.isspace() or first == "\ufeff") and not text.lstrip("\ufeff").strip():
        raise _TextError("empty file (no text)")
    return text


def _csv_rows(path: Path, text: str, required: tuple[str, ...], strip: bool = True):
    """Rows of a CSV text as ``(line, row dict)``, read exactly or refused.

    ``line`` is the line of the file where the row starts. A row with more or fewer fields
    than the header, a quote left open, a column named twice or a missing required column is
    a :class:`CorpusError`. Cells are stripped of surrounding white space unless ``strip``
    is False (a table's texts keep theirs, as a text file does).
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True)
    line = 1
    try:
        header = [c.strip() for c in next(reader, [])]
        _check_columns(path, "", len(header))
        missing = [c for c in required if c not in header]
        if missing:
            raise CorpusError(f"{path}: missing column(s) {', '.join(missing)}")
        twice = sorted(c for c, n in Counter(header).items() if c and n > 1)
        if twice:
            raise CorpusError(f"{path}: column {twice[0]!r} is named twice in the header")
        line = reader.line_num + 1
        for fields in reader:
            if fields and any(f.strip() for f in fields):
                if len(fields) != len(header):
                    raise CorpusError(f"{path}: line {line}: {len(fields)} fields, "
                                      f"the header has {len(header)}")
                yield line, {k: v.strip() if strip else v
                             for k, v in zip(header, fields, strict=True) if k}
            line = reader.line_num + 1
    except csv.Error as err:
        hint = " (a quote left open?)" if "end of data" in str(err) else ""
        raise CorpusError(f"{path}: line {line}: {err}{hint}") from None


def _check_columns(path: Path, where: str, count: int) -> None:
    """Refuse a table of more than :data:`MAX_COLUMNS` columns in one line."""
    if count > MAX_COLUMNS:
        raise CorpusError(f"{path}: {where}{count} columns, more than the limit of "
                          f"{MAX_COLUMNS}")


def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    return list(_csv_rows(path, read_text(path), required))


def is_date(value: str) -> bool:
    """Whether a value is a real ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date (year 1 on).

    Examples
    --------
    >>> is_date("2020"), is_date("2020-08"), is_date("2020-02-30"), is_date("20/08/2020")
    (True, True, False, False)
    """
    import datetime

    match = DATE_PATTERN.fullmatch(value)
    if match is None:
        return False
    try:
        datetime.date(*(int(g) if g else 1 for g in match.groups()))  # year 0 is refused too
    except ValueError:
        return False
    return True


def check_lang(value, where: str) -> None:
    """Raise :class:`CorpusError` naming ``where`` when a ``lang`` cell is not an ISO 639-1
    code (a blank cell is no value: the language is then detected).

    Examples
    --------
    >>> check_lang("ur", "metadata.csv: line 3")
    >>> check_lang("Urdu", "metadata.csv: line 3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    analysis.corpus.CorpusError: metadata.csv: line 3: lang 'Urdu' is not an ISO 639-1 ...
    """
    if not isinstance(value, str) or not value.strip():
        if value is not None and not isinstance(value, str):
            raise CorpusError(f"{where}: lang {value!r} is not an ISO 639-1 language code")
        return
    from analysis.lang.codes import check_code

    try:
        check_code(value, where)
    except ValueError as err:
        raise CorpusError(str(err)) from None


def check_date(value: str, where: str) -> str:
    """Return a date variable's value after checking it is ``YYYY[-MM[-DD]]`` or blank.

    Raises
    ------
    CorpusError
        ``where`` (the file and row) and the value, in one line.

    Examples
    --------
    >>> check_date("2020-11", "metadata.csv: line 3")
    '2020-11'
    >>> check_date("Nov 2020", "metadata.csv: line 3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    analysis.corpus.CorpusError: metadata.csv: line 3: date 'Nov 2020' is not YYYY, ...
    """
    if value and not is_date(value):
        raise CorpusError(f"{where}: date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _checked_file(folder: Path, name: str, source: Path, listed: frozenset[str] = frozenset()
                  ) -> str:
    """Return a metadata file name after checking it names a .txt file inside the folder.

    ``listed`` are the ``.txt`` names of the folder's listing already found regular files (or
    links followed to one): such a name passes every check below, which are not run again.
    """
    if name in listed and name.strip() == name:
        return name
    if not name:
        raise CorpusError(f"{source}: a row has an empty 'file'")
    candidate = Path(name)
    if candidate.is_absolute() or len(candidate.parts) != 1 or name in (".", ".."):
        raise CorpusError(f"{source}: file {name!r} points outside the corpus folder")
    if name != candidate.name or name.strip() != name:
        raise CorpusError(f"{source}: file {name!r} is not a plain file name of the folder "
                          f"(write {candidate.name.strip()!r})")
    if not (folder / name).is_file():
        raise CorpusError(f"{source}: file {name!r} does not exist in {folder}")
    if not _is_txt(name):
        raise CorpusError(f"{source}: file {name!r} is not a .txt file (nor .txt.gz)")
    return name


def _read_sections(folder: Path, listed: frozenset[str] = frozenset(),
                   text: str | None = None, archive: bool = False
                   ) -> dict[str, list[Section]]:
    """The sections of ``sections.csv`` of the folder by file name; of an ``archive``, those
    of ``text`` (None where it has none)."""
    path = folder / SECTIONS_FILE
    if archive and text is None:
        return {}
    if text is None:
        if not path.is_file():
            return {}
        text = read_text(path)
    sections: dict[str, list[Section]] = {}
    for line, row in _csv_rows(path, text, ("file", "section", "first")):
        name = _checked_file(folder, row["file"], path, listed)
        try:
            first = int(row["first"])
            last = int(row["last"]) if row.get("last") else None
        except ValueError:
            raise CorpusError(
                f"{path}: section {row['section']!r} of {name}: first/last must be whole numbers"
            ) from None
        if first < 1 or (last is not None and last < first):
            raise CorpusError(f"{path}: section {row['section']!r} of {name}: bad range")
        sections.setdefault(name, []).append(
            Section(row["section"], row.get("voice", ""), first, last, row.get("note", ""),
                    line)
        )
    for name, secs in sections.items():
        names = [s.name for s in secs]
        twice = sorted({n for n, k in Counter(names).items() if k > 1}
                       | ({DEFAULT_SECTION} & set(names)))
        if twice:
            raise CorpusError(f"{path}: section {twice[0]!r} of {name} is declared twice or "
                              f"is named {DEFAULT_SECTION!r}, the name of undeclared paragraphs")
        secs.sort(key=lambda s: s.first)
        for before, after in zip(secs, secs[1:], strict=False):
            if before.last is None or before.last >= after.first:
                raise CorpusError(f"{path}: sections of {name} overlap")
    return sections


def load_corpus(folder: str | Path | None = None, *, text_column: str = "text",
                id_column: str | None = None, follow_symlinks: bool = False,
                lang: str | None = None) -> Corpus:
    """Read a corpus folder, or one table of texts, into a :class:`Corpus`.

    Parameters
    ----------
    folder : str or Path, optional
        The corpus folder (its texts may be gzipped, ``.txt.gz``), a ``.zip`` of one (see
        :func:`load_zip`), or a ``.csv``/``.jsonl``/``.parquet`` table, the first two
        possibly gzipped (see :func:`load_table`); default ``seeds/`` of the project.
    text_column, id_column : str
        For a table: the columns of the text and of the document id.
    follow_symlinks : bool, default False
        Read a symbolic link of the folder when it resolves to a regular file inside the
        folder; without it every link is refused.
    lang : str, optional
        The language of every document, an ISO 639-1 code (:meth:`Corpus.with_lang`);
        default: each document's ``lang`` variable, else detected (:mod:`analysis.lang`).

    Returns
    -------
    Corpus
        Documents in file-name order, each with its raw text, metadata and sections.

    Raises
    ------
    CorpusError
        One line naming the file and the problem: folder missing or without ``.txt``,
        unreadable text, a metadata row naming a missing file or one outside the folder,
        duplicate ids.

    Notes
    -----
    The format is chosen by :func:`analysis.readers.reader_for` from the name's suffix (a
    folder, ``.zip``, ``.csv``, ``.jsonl``, ``.parquet``, ``.conllu``...): the readers of
    :mod:`analysis.readers` list them.

    Examples
    --------
    >>> corpus = load_corpus()  # the seeds
    >>> corpus.ids
    ['songtao-article', 'award-report']
    >>> [section.name for section in corpus["award-report"].sections]
    ['headline', 'ceremony', 'background', 'commentary']
    """
    from analysis import readers

    if lang:
        return load_corpus(folder, text_column=text_column, id_column=id_column,
                           follow_symlinks=follow_symlinks).with_lang(lang)
    folder = Path(folder) if folder is not None else config.DEFAULT_CORPUS
    reader = readers.reader_for(folder)
    if reader is None or (reader is not readers.READERS[0] and not folder.is_file()):
        raise CorpusError(f"{folder}: not a folder, nor a file of a known format "
                          f"({readers.known_suffixes()})")
    options = {k: v for k, v in (("text_column", text_column), ("id_column", id_column),
                                 ("follow_symlinks", follow_symlinks)) if k in reader.options}
    if reader.name in RECORDED_READERS:
        return _load_recorded(reader, folder, options)
    return reader.read(folder, **options)


#: The readers of a corpus of one file whose documents a warm load takes from the file
#: record (:func:`analysis.fileindex.recorded_file`), each with the files it reads beside the
#: corpus file: ``module:function`` of a function of the corpus file's path returning their
#: paths (imported when used, as :class:`analysis.readers.Reader` imports a reader), or None
#: for none. A reader not named here parses its file every time.
RECORDED_READERS = {"table": None, "zip": None,
                    "conllu": "analysis.readers.conllu:metadata_paths"}


def _beside(reader, path: Path) -> tuple[Path, ...]:
    """The files a reader reads beside the corpus file ``path`` (:data:`RECORDED_READERS`)."""
    import importlib

    function = RECORDED_READERS[reader.name]
    if function is None:
        return ()
    module, name = function.split(":")
    return tuple(getattr(importlib.import_module(module), name)(path))


def _digests(doc: Document) -> list:
    """What stands for a document's text and tokens in the cache key: their digests."""
    return [doc.digest.hex(), None if doc.tokens is None else doc.tokens.digest]


def _load_recorded(reader, path: Path, options: dict) -> Corpus:
    """:func:`load_corpus` of a corpus of one file: its documents from the file record
    (:mod:`analysis.fileindex`, "A corpus of one file") when the file and the files read
    beside it are unchanged, their texts and tokens read when first used; else the file
    parsed and recorded."""
    key = json.dumps(sorted(options.items()), default=str)
    files = (path, *_beside(reader, path))
    started = fileindex._now_ns()
    # The record holds a few objects per document: the collector paused while they are made
    # (a third of the time at 100,000 documents, which no cycle joins).
    paused = gc.isenabled()
    gc.disable()
    try:
        corpus = _warm_load(reader, path, options, key, files, started)
    finally:
        if paused:
            gc.enable()
    if corpus is not None:
        return corpus
    # The signatures first, then the digests, then the parse: a file changed meanwhile is
    # hashed and parsed again next time (its record is of the older state, or racy).
    seen = []
    for file in files:
        try:
            info = os.stat(file)
        except FileNotFoundError:
            seen.append([str(file), None, None])
            continue
        except OSError:
            seen = None
            break
        sig = list(fileindex.signature(info))
        try:
            digest = fileindex.file_digest(file).hex()
        except OSError:
            seen = None
            break
        seen.append([str(file), sig if fileindex.trusted(sig, started) else None, digest])
    corpus = reader.read(path, **options)
    # The documents' digest (the cache key's part of them) computed once, here, and recorded:
    # a warm load takes it from the record instead of hashing every document again.
    documents = _Documents(corpus.documents)
    documents_digest(documents)
    corpus = replace(corpus, documents=documents)
    if seen is not None:
        fileindex.save_file(path, key, seen, _corpus_record(corpus), _reader_code())
    return corpus


def _warm_load(reader, path: Path, options: dict, key: str, files: tuple[Path, ...],
               started: int) -> Corpus | None:
    """The corpus of a file record when the files it names are unchanged, else None."""
    record = fileindex.recorded_file(path, key, _reader_code())
    if record is None or len(record["files"]) != len(files):
        return None
    fresh, same = [], True
    for file, (_, sig, digest) in zip(files, record["files"], strict=True):
        try:
            info = os.stat(file)
        except FileNotFoundError:
            fresh.append([str(file), None, None])
            same = digest is None
        except OSError:
            same = False
        else:
            now = list(fileindex.signature(info))
            if sig != now:  # hashed again: a file touched or copied back is the same
                try:
                    same = digest is not None and \
                        fileindex.file_digest(file).hex() == digest
                except OSError:
                    same = False
            fresh.append([str(file), now if fileindex.trusted(now, started) else None,
                          digest])
        if not same:
            break
    if same:
        try:
            corpus = _recorded_corpus(reader, path, options, record["corpus"])
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            corpus = None  # a record not in the expected shape: parsed again
        if corpus is not None:
            if fresh != record["files"]:
                fileindex.save_file(path, key, fresh, record["corpus"], _reader_code())
            return corpus
    return None


def _corpus_record(corpus: Corpus) -> dict:
    """What a warm load needs of a parsed corpus (the inverse of :func:`_recorded_corpus`):
    its documents and their :func:`documents_digest` (of exactly these documents)."""
    return {"root": corpus.root, "missing": [list(m) for m in corpus.missing],
            "documents": [[doc.id, doc.file, list(doc.metadata.items()),
                           [[s.name, s.voice, s.first, s.last, s.note, s.line]
                            for s in doc.sections], *_digests(doc)] for doc in corpus],
            "digest": documents_digest(corpus.documents).hex()}


def _recorded_corpus(reader, path: Path, options: dict, record: dict) -> Corpus:
    """The corpus of a file record, its texts and tokens read from the file when first used
    (:class:`_Parsed`)."""
    rows = record["documents"]
    parsed = _Parsed(reader, path, options, [row[4:6] for row in rows])
    documents, new = [], object.__new__
    for index, (doc_id, file, metadata, sections, digest, tokens) in enumerate(rows):
        text_digest = bytes.fromhex(digest)
        if not (isinstance(doc_id, str) and isinstance(file, str) and len(text_digest) == 32
                and all(isinstance(k, str) and isinstance(v, str) for k, v in metadata)):
            raise ValueError("not a document")
        # What Document(...) sets, set at once (its frozen __init__ sets each field apart)
        doc = new(Document)
        doc.__dict__.update(
            id=doc_id, file=file, _raw=_DeferredDocument(parsed, index, text_digest),
            metadata=MappingProxyType(dict(metadata)),
            sections=tuple(Section(*section) for section in sections) if sections else (),
            tokens=None if tokens is None else _DeferredTokens(parsed, index, tokens),
            _digest=text_digest)
        documents.append(doc)
    documents = _Documents(documents)
    digest = record.get("digest")
    if isinstance(digest, str) and len(digest) == 64:  # recorded with these documents
        documents.__dict__["_digest"] = bytes.fromhex(digest)
    return Corpus(documents, record["root"], tuple(tuple(m) for m in record["missing"]))


def load_folder(folder: str | Path, *, follow_symlinks: bool = False) -> Corpus:
    """Read a corpus folder of ``.txt`` (or ``.txt.gz``) files with its ``metadata.csv`` and
    ``sections.csv`` (module docstring); :func:`load_corpus` reads a folder with it.

    Examples
    --------
    >>> load_folder(config.DEFAULT_CORPUS).ids
    ['songtao-article', 'award-report']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: not a folder")
    # The folder is opened once: it is listed, and its files opened, through this descriptor
    # (names relative to it, no path built or resolved per file).
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        return _load_folder(folder, dir_fd, follow_symlinks)
    finally:
        os.close(dir_fd)


def _load_folder(folder: Path, dir_fd: int, follow_symlinks: bool) -> Corpus:
    """:func:`load_corpus` of a folder, open as ``dir_fd``."""
    with os.scandir(dir_fd) as listing:
        entries = {entry.name: entry for entry in listing if _is_txt(entry.name)}
    files = sorted(entries)
    # Each listed file is checked once, from the type its directory entry gives (no system
    # call, except on file systems that do not fill it in), all before anything is read, so
    # the errors come in the same order as ever. That check is not what keeps the reading
    # safe: _read_member's open and fstat are (they see the very file read).
    links: dict[str, tuple[str, ...]] = {}
    for name in files:
        entry = entries[name]
        _check_name(folder, name)
        if entry.is_symlink():
            links[name] = _check_link(folder, name, follow_symlinks)
        elif not entry.is_file(follow_symlinks=False):
            raise CorpusError(f"{folder / name}: not a regular file")
    for name in (METADATA_FILE, SECTIONS_FILE):
        _check_regular(folder, name, follow_symlinks)
    if not files:
        raise CorpusError(f"{folder}: no .txt files in the corpus folder")
    meta_path = folder / METADATA_FILE
    started = fileindex._now_ns()
    resolved = folder.resolve()  # a text read later is found from any working directory
    # The side files' signatures before they are read: one changed meanwhile does not match
    # the record next time.
    beside = [_side_signature(dir_fd, name) for name in (METADATA_FILE, SECTIONS_FILE)]
    if not links and None not in beside:
        # The whole folder unchanged since it was last assembled (analysis.fileindex, "A
        # folder unchanged as a whole"): the corpus from the folder record, no file read.
        corpus = _recorded_folder(folder, dir_fd, files, beside, resolved)
        if corpus is not None:
            return corpus
    # A text whose file is unchanged since it was last read (same size, times and inode:
    # see analysis.fileindex) is not read now but when first used, and stands in the cache
    # key by the digest recorded then; every other text is read, checked and recorded.
    known = fileindex.recorded(folder)
    seen: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}

    def read(name: str):
        if name in links:  # a followed link: read every time, never recorded
            return _read_member(dir_fd, links[name], name.endswith(".gz"))
        entry = known.get(name)
        if entry is not None:
            try:
                now = fileindex.signature(os.stat(name, dir_fd=dir_fd, follow_symlinks=False))
            except OSError:
                now = None
            if now == entry[0]:
                seen[name] = entry
                return _Deferred(resolved, name, entry[1]), entry[1]
        text, info, digest = _read_file(dir_fd, (name,), name.endswith(".gz"))
        seen[name] = (fileindex.signature(info), digest)
        return text, digest

    corpus = _assemble(folder, files, read,
                       read_text(meta_path) if meta_path.is_file() else None)
    if seen != known:
        fileindex.save(folder, seen, started)
    record = None
    if not links and all(fileindex.trusted(seen[name][0], started) for name in files) \
            and all(sig is not None and (not sig or fileindex.trusted(sig, started))
                    for sig in beside):
        record = _folder_record(corpus, [seen[name][0] for name in files], beside)
    if record is None:
        fileindex.drop_folder(folder)
    else:
        fileindex.save_folder(folder, _folder_code(), *record)
    return corpus


def _side_signature(dir_fd: int, name: str) -> list[int] | None:
    """The signature of a side file of a folder (``metadata.csv``, ``sections.csv``) as a
    list, ``[]`` where there is none, None where it is not a regular file or cannot be seen
    (then the folder record is not used)."""
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return []
    except OSError:
        return None
    return list(fileindex.signature(info)) if stat.S_ISREG(info.st_mode) else None


@functools.cache
def _folder_code() -> str:
    """What a folder record depends on besides the folder: the source of this module and of
    the language codes it checks a ``lang`` column with."""
    digest = hashlib.sha256()
    for path in (Path(__file__), config.PACKAGE_DIR / "lang" / "codes.py"):
        data = path.read_bytes()
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


@functools.cache
def _reader_code() -> str:
    """What a file record depends on besides the file: :func:`_folder_code` (the table and
    zip readers are in this module) and the source of every module of
    :mod:`analysis.readers` (a reader and what it shares with the others, such as its
    tokens)."""
    digest = hashlib.sha256(_folder_code().encode())
    for path in sorted((config.PACKAGE_DIR / "readers").glob("*.py")):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _folder_record(corpus: Corpus, signatures: list, beside: list) -> tuple[dict, dict] | None:
    """The folder record of a corpus just assembled from a folder (the inverse of
    :func:`_recorded_folder`), or None where its documents do not fit the record's columns
    (a document whose metadata keys come in another order than the others')."""
    columns: dict[str, None] = {}
    for doc in corpus:
        columns.update(dict.fromkeys(doc.metadata))
    # ``id`` comes last in a document's metadata: last here too, so that a document with no
    # metadata row (its ``id`` alone) met first does not put it before the others' columns.
    order = [name for name in columns if name != "id"] + ["id"] * ("id" in columns)
    present = np.zeros((len(order), len(corpus)), dtype=np.uint8)
    values = [[""] * len(corpus) for _ in order]
    where = {name: i for i, name in enumerate(order)}
    for j, doc in enumerate(corpus):
        rows = [where[key] for key in doc.metadata]
        if rows != sorted(rows):
            return None
        for key, value in doc.metadata.items():
            present[where[key], j] = 1
            values[where[key]][j] = value
    arrays = {"sigs": np.asarray(signatures, dtype=np.int64).reshape(-1),
              "digests": np.frombuffer(b"".join(doc.digest for doc in corpus), dtype=np.uint8),
              "present": present.reshape(-1)}
    arrays["names.data"], arrays["names.ends"] = store.pack_strings([d.file for d in corpus])
    for i, column in enumerate(values):
        arrays[f"meta{i}.data"], arrays[f"meta{i}.ends"] = store.pack_strings(column)
    sections = {str(j): [[s.name, s.voice, s.first, s.last, s.note, s.line]
                         for s in doc.sections] for j, doc in enumerate(corpus) if doc.sections}
    header = {"root": corpus.root, "missing": [list(m) for m in corpus.missing],
              "columns": order, "sections": sections, "beside": beside,
              "digest": documents_digest(corpus.documents).hex()}
    return header, arrays


def _recorded_folder(folder: Path, dir_fd: int, files: list[str], beside: list,
                     resolved: Path) -> Corpus | None:
    """The corpus of the folder record when the folder lists the recorded texts and every
    text and side file has its recorded signature, else None."""
    found = fileindex.recorded_folder(folder, _folder_code())
    if found is None:
        return None
    header, arrays = found
    try:
        if header["beside"] != beside:
            return None
        names = store.unpack_strings(arrays["names.data"], arrays["names.ends"])
        if names != files:
            return None
        now = np.empty(4 * len(files), dtype=np.int64)
        stat_ = os.stat
        for i, name in enumerate(files):
            info = stat_(name, dir_fd=dir_fd, follow_symlinks=False)
            now[4 * i:4 * i + 4] = (info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                                    info.st_ino)
        if not np.array_equal(now, arrays["sigs"]):
            return None
        return _folder_corpus(header, arrays, files, resolved)
    except OSError:
        return None
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, store.StoreError):
        return None  # a record not in the expected shape: the folder is read


def _folder_corpus(header: dict, arrays: dict, files: list[str], resolved: Path) -> Corpus:
    """The documents of a folder record, their texts read when first used (:class:`_Deferred`);
    ValueError (or KeyError...) where the record does not hold together."""
    n = len(files)
    columns = header["columns"]
    values = [store.unpack_strings(arrays[f"meta{i}.data"], arrays[f"meta{i}.ends"])
              for i in range(len(columns))]
    present = arrays["present"].reshape(len(columns), n).astype(bool)
    digests = arrays["digests"].tobytes()
    if len(digests) != 32 * n or any(len(v) != n for v in values) \
            or not all(isinstance(c, str) for c in columns) or "id" not in columns:
        raise ValueError("not a folder record")
    full = present.all(axis=0).tolist()
    sections = {int(j): tuple(Section(*s) for s in secs)
                for j, secs in header["sections"].items()}
    documents, new, deferred = [], object.__new__, _Deferred
    # A few objects per document: the collector paused while they are made (none of them
    # joins a cycle).
    paused = gc.isenabled()
    gc.disable()
    try:
        rows = zip(*values, strict=True) if values else iter([()] * n)
        for j, (name, row) in enumerate(zip(files, rows, strict=True)):
            meta = dict(zip(columns, row, strict=True)) if full[j] else \
                {c: v for c, v, p in zip(columns, row, present[:, j].tolist(), strict=True)
                 if p}
            digest = digests[32 * j:32 * j + 32]
            doc = new(Document)
            doc.__dict__.update(id=meta["id"], file=name, _raw=deferred(resolved, name, digest),
                                metadata=MappingProxyType(meta),
                                sections=sections.get(j, ()), tokens=None, _digest=digest)
            documents.append(doc)
    finally:
        if paused:
            gc.enable()
    ids = [doc.id for doc in documents]
    if len(set(ids)) != n:
        raise ValueError("duplicate ids")
    documents = _Documents(documents)
    documents.__dict__["_digest"] = bytes.fromhex(header["digest"])
    return Corpus(documents, header["root"], tuple(tuple(m) for m in header["missing"]))


def _assemble(folder: Path, files: list[str], read, metadata_text: str | None,
              sections_text: str | None = None, archive: bool = False) -> Corpus:
    """The corpus of the text files ``files`` of a folder or archive, read by ``read(name)``
    (the decoded text, or :class:`_TextError`; or the text, or a :class:`_Deferred` one, and
    its SHA-256), with the text of its ``metadata.csv`` (None where it has none) and its
    sections (:func:`_read_sections`)."""
    listed = frozenset(files)
    metadata: dict[str, dict[str, str]] = {}
    missing: dict[tuple[str, str], int] = {}
    meta_path = folder / METADATA_FILE
    if metadata_text is not None:
        for line, row in _csv_rows(meta_path, metadata_text, ("file",)):
            name = _checked_file(folder, row["file"], meta_path, listed)
            row = {"file": name, **_without_missing(
                {k: v for k, v in row.items() if k != "file"}, missing)}
            if name in metadata:
                raise CorpusError(f"{meta_path}: file {name!r} is listed twice")
            check_date(row.get(DATE_COLUMN, ""), f"{meta_path}: line {line}")
            check_lang(row.get(LANG_COLUMN, ""), f"{meta_path}: line {line}")
            metadata[name] = row
    sections = _read_sections(folder, listed, sections_text, archive)
    sections_path = folder / SECTIONS_FILE

    documents = []
    seen: dict[str, str] = {}
    for name in files:
        meta = dict(metadata.get(name, ()))
        meta.pop("file", None)
        doc_id = meta.get("id") or _stem(name)
        meta["id"] = doc_id
        if doc_id in seen:
            raise CorpusError(f"{folder / name}: duplicate document id {doc_id!r} "
                              f"(also {seen[doc_id]})")
        seen[doc_id] = name
        try:
            raw = read(name)
        except _TextError as err:
            raise CorpusError(f"{folder / name}: {err}") from None
        digest = None
        if type(raw) is tuple:  # the text (or a _Deferred one) and its digest
            raw, digest = raw
        doc = Document(id=doc_id, file=name, raw=raw, metadata=MappingProxyType(meta),
                       sections=tuple(sections.get(name, ())))
        if digest is not None:
            doc.__dict__["_digest"] = digest
        if doc.sections:
            _check_sections(doc, sections_path)
        documents.append(doc)
    return Corpus(_Documents(documents), str(folder.resolve()), _missing_record(missing))


def load_zip(path: str | Path) -> Corpus:
    """Read a corpus from a zip archive of text files, as the folder it was made from.

    The archive is read in memory, never unpacked to disk. Its ``.txt`` (or ``.txt.gz``)
    members are the documents, with an optional ``metadata.csv`` and ``sections.csv``, all
    at its top level or all in one folder that holds everything (as zipping a folder makes).
    Entries of ``__MACOSX/`` (resource forks macOS adds) are left aside.

    Parameters
    ----------
    path : str or Path
        The ``.zip`` file. It is only read.

    Returns
    -------
    Corpus
        Documents in member-name order, as :func:`load_corpus` reads a folder.

    Raises
    ------
    CorpusError
        What a folder is refused for, and a member whose path is absolute or leads outside
        the archive, a symbolic link or other special member, an encrypted member, a name
        twice, a text in a subfolder, or more than :data:`MAX_UNPACKED_BYTES` in all.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "speeches.zip"
    ...     with zipfile.ZipFile(path, "w") as archive:
    ...         archive.writestr("a.txt", "Roads and ports.")
    ...         archive.writestr("metadata.csv", "file,party\\na.txt,labour\\n")
    ...     corpus = load_zip(path)
    >>> corpus.ids, corpus["a"].raw, corpus["a"].metadata["party"]
    (['a'], 'Roads and ports.', 'labour')
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as err:
        raise CorpusError(f"{path}: not a readable zip archive ({err})") from None
    except OSError as err:
        raise CorpusError(f"{path}: cannot be read ({err.strerror or err})") from None
    with archive:
        members = _zip_members(path, archive.infolist())
        if not any(_is_txt(name) for name in members):
            raise CorpusError(f"{path}: no .txt files in the archive")
        for name, info in members.items():
            if info.file_size > MAX_UNPACKED_BYTES:
                raise CorpusError(f"{path / name}: more than {MAX_UNPACKED_BYTES:,} bytes once "
                                  f"unpacked ({info.file_size:,} declared; the limit of a "
                                  f"compressed corpus)")
        declared = sum(info.file_size for info in members.values())
        if declared > MAX_UNPACKED_BYTES:
            raise CorpusError(f"{path}: more than {MAX_UNPACKED_BYTES:,} bytes once unpacked "
                              f"({declared:,} declared; the limit of a compressed corpus)")
        used = [0]

        def read(name: str) -> str:
            try:
                with archive.open(members[name]) as stream:
                    data = _unpacked(stream, MAX_UNPACKED_BYTES - used[0])
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as err:
                raise _TextError(f"not a readable zip member ({err})") from None
            used[0] += len(data)
            return _decoded(_gunzip(data) if name.endswith(".gz") else data)

        def text_of(name: str) -> str | None:
            if name not in members:
                return None
            try:
                return read(name)
            except _TextError as err:
                raise CorpusError(f"{path / name}: {err}") from None

        files = sorted(name for name in members if _is_txt(name))
        return _assemble(path, files, read, text_of(METADATA_FILE), text_of(SECTIONS_FILE),
                         archive=True)


def _zip_members(path: Path, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """The files of a zip archive a corpus reads, by their name in the corpus folder, after
    checking every member (see :func:`load_zip`)."""
    entries = []
    for info in infos:
        name = info.filename
        # The file type a Unix zip records in the high bits (other systems record none).
        mode = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
        if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) or ".." in re.split(
                r"[/\\]", name):
            raise CorpusError(f"{path}: member {name!r} points outside the archive")
        if stat.S_ISLNK(mode):
            raise CorpusError(f"{path}: member {name!r} is a symbolic link; a corpus is the "
                              f"regular files of its archive")
        if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise CorpusError(f"{path}: member {name!r} is not a regular file")
        if name.split("/")[0] == "__MACOSX" or info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise CorpusError(f"{path}: member {name!r} is encrypted")
        entries.append((name, info))
    tops = {name.split("/")[0] for name, _ in entries}
    prefix = f"{tops.pop()}/" if len(tops) == 1 and all("/" in n for n, _ in entries) else ""
    members: dict[str, zipfile.ZipInfo] = {}
    for name, info in entries:
        inner = name[len(prefix):]
        if not (_is_txt(inner.split("/")[-1]) or inner in (METADATA_FILE, SECTIONS_FILE)):
            continue
        if "/" in inner:
            raise CorpusError(f"{path}: member {name!r} is in a subfolder; a corpus is the "
                              f"files of one folder")
        if inner in members:
            raise CorpusError(f"{path}: member {name!r} appears twice")
        _check_name(path, inner)
        members[inner] = info
    return members


def _is_txt(name: str) -> bool:
    """Whether a name is a text file's, ``NAME.txt`` or gzipped ``NAME.txt.gz`` (a name
    ``.txt`` alone has no suffix)."""
    return (name.endswith(".txt") and len(name) > 4) or (name.endswith(".txt.gz")
                                                         and len(name) > 7)


def _stem(name: str) -> str:
    """A text file's name without ``.txt`` or ``.txt.gz``: the default document id."""
    return name[:-7] if name.endswith(".gz") else name[:-4]


def _unpacked(stream, limit: int) -> bytes:
    """The bytes of a decompressing ``stream``, read a megabyte at a time and refused
    (:class:`_TextError`) past ``limit`` bytes, so a bomb is never unpacked whole."""
    chunks, size = [], 0
    try:
        while chunk := stream.read(min(1 << 20, limit + 1 - size)):
            size += len(chunk)
            if size > limit:
                raise _TextError(f"more than {MAX_UNPACKED_BYTES:,} bytes once unpacked (the "
                                 f"limit of a compressed corpus)")
            chunks.append(chunk)
    except (OSError, EOFError, zlib.error) as err:  # gzip.BadGzipFile is an OSError
        raise _TextError(f"not a readable gzip file ({err})") from None
    except zipfile.BadZipFile as err:
        raise _TextError(f"not a readable zip member ({err})") from None
    return b"".join(chunks)


def _gunzip(data: bytes) -> bytes:
    """The bytes of a gzipped file's content, within :data:`MAX_UNPACKED_BYTES`."""
    return _unpacked(gzip.GzipFile(fileobj=io.BytesIO(data)), MAX_UNPACKED_BYTES)


#: How a listed file is opened: never through a symbolic link (O_NOFOLLOW), never waiting on
#: a FIFO or a device (O_NONBLOCK; regular files read as without it).
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
#: How a folder on the way to a followed link's target is opened: never through a link.
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _read_member(dir_fd: int, parts: tuple[str, ...], gzipped: bool = False) -> str:
    """The text of a file of the folder ``dir_fd``, at the path ``parts`` inside it (see
    :func:`_read_file`)."""
    return _read_file(dir_fd, parts, gzipped)[0]


def _read_file(dir_fd: int, parts: tuple[str, ...], gzipped: bool = False
               ) -> tuple[str, os.stat_result, bytes]:
    """The text of a file of the folder ``dir_fd``, at the path ``parts`` inside it, the
    file's status as opened (before it was read) and the SHA-256 of the text as UTF-8.

    ``parts`` is a listed name, or where a followed link leads (:func:`_check_link`). Every
    folder on the way and the file are opened relative to the one before and without
    following a link, the file without waiting, and its type is then read from the open
    descriptor (fstat): the file checked is the very file read, so one open and one fstat are
    the whole check, with no time-of-check to time-of-use gap. Nothing swapped in after the
    listing (a link out of the folder, here or on the way to a link's target, a FIFO) is ever
    read, followed or waited on. A ``gzipped`` file is unpacked (:func:`_gunzip`).
    """
    fd = dir_fd
    try:
        for part in parts[:-1]:
            try:
                inner = os.open(part, _FOLDER_FLAGS, dir_fd=fd)
            except OSError as err:
                raise _TextError(f"a folder on the way to its target changed while the corpus "
                                 f"was read ({err.strerror or err}); not followed") from None
            if fd != dir_fd:
                os.close(fd)
            fd = inner
        file_fd = os.open(parts[-1], _OPEN_FLAGS, dir_fd=fd)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise _TextError("a symbolic link appeared here while the corpus was read; "
                             "not followed") from None
        raise _TextError(f"cannot be read ({err.strerror or err})") from None
    finally:
        if fd != dir_fd:
            os.close(fd)
    try:
        info = os.fstat(file_fd)
        if not stat.S_ISREG(info.st_mode):
            raise _TextError("not a regular file")
        chunks, size = [], info.st_size + 1  # one byte more: reads to the end in one call
        while chunk := os.read(file_fd, size):
            chunks.append(chunk)
            size = 1 << 20
    except OSError as err:
        raise _TextError(f"cannot be read ({err.strerror or err})") from None
    finally:
        os.close(file_fd)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if gzipped:
        data = _gunzip(data)
    # The text is strict UTF-8 (_decoded refuses anything else), so its UTF-8 is these bytes.
    return _decoded(data), info, hashlib.sha256(data).digest()


def _check_name(folder: Path, name: str) -> None:
    """Refuse a file name that is not UTF-8 (it could not be written in any table)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise CorpusError(f"{folder}: a file name that is not UTF-8 ({name!r}); rename it") \
            from None


def _check_link(folder: Path, name: str, follow_symlinks: bool) -> tuple[str, ...]:
    """The target of a symbolic link of the folder, if it may be read, as its path inside.

    A link is refused (a ``leak.txt -> /etc/passwd`` would publish that file), unless
    ``follow_symlinks`` is set and it resolves to a regular file inside the folder.
    """
    path = folder / name
    if not follow_symlinks:
        raise CorpusError(f"{path}: a symbolic link; a corpus is the regular files of its "
                          f"folder (use --follow-symlinks for links inside the folder)")
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise CorpusError(f"{path}: a symbolic link that leads nowhere or in a loop") \
            from None
    inside = folder.resolve()
    if not target.is_relative_to(inside) or not target.is_file():
        raise CorpusError(f"{path}: a symbolic link to {target}, outside the corpus folder "
                          f"or not a regular file")
    return target.relative_to(inside).parts


def _check_regular(folder: Path, name: str, follow_symlinks: bool) -> None:
    """Refuse a corpus file that is not a regular file of the folder.

    A symlink is refused unless it may be followed (:func:`_check_link`); a FIFO, a device or
    a folder named like a text is refused.
    """
    path = folder / name
    _check_name(folder, name)
    if not os.path.lexists(path):
        return
    if path.is_symlink():
        _check_link(folder, name, follow_symlinks)
        return
    if not stat.S_ISREG(path.lstat().st_mode):
        raise CorpusError(f"{path}: not a regular file")


def _check_sections(doc: Document, source: Path) -> None:
    """Refuse a section whose paragraph range lies beyond its document."""
    paragraphs = sum(1 for line in doc.raw.split("\n") if line.strip())
    for section in doc.sections:
        if section.first > paragraphs or (section.last or 0) > paragraphs:
            raise CorpusError(
                f"{source}: line {section.line}: section {section.name!r} of {doc.file} covers "
                f"paragraphs {section.first} to {section.last or 'end'}, but the document has "
                f"{paragraphs}")


def table_suffix(path: Path) -> str | None:
    """The table format of a corpus file's name (``.csv``, ``.jsonl`` or ``.parquet``,
    gzipped or not), or None.

    Examples
    --------
    >>> table_suffix(Path("un.csv.gz")), table_suffix(Path("un.PARQUET")), table_suffix(Path("a"))
    ('.csv', '.parquet', None)
    """
    name = path.name.lower()
    name = name[:-3] if name.endswith(".gz") else name
    suffix = Path(name).suffix
    if suffix in TABLE_SUFFIXES and not (suffix == ".parquet" and name != path.name.lower()):
        return suffix
    return None


def _read_table_text(path: Path) -> str:
    """The text of a ``.csv`` or ``.jsonl`` table, unpacked as it is read if gzipped."""
    if not path.name.lower().endswith(".gz"):
        return read_text(path)
    try:
        with path.open("rb") as raw, gzip.GzipFile(fileobj=raw) as stream:
            return _decoded(_unpacked(stream, MAX_UNPACKED_BYTES))
    except OSError as err:
        raise CorpusError(f"{path}: cannot be read ({err.strerror or err})") from None
    except _TextError as err:
        raise CorpusError(f"{path}: {err}") from None


def _table_rows(path: Path):
    """Rows of a table corpus as ``(place, dict of str)``; ``place`` names the row."""
    suffix = table_suffix(path)
    if suffix == ".parquet":
        try:
            import pyarrow.parquet as pq

            schema = pq.read_schema(path)
        except Exception as err:  # pyarrow raises several types for a file it cannot read
            reason = (str(err).splitlines() or [type(err).__name__])[0]
            raise CorpusError(f"{path}: not a readable Parquet file ({reason})") from None
        _check_columns(path, "", len(schema.names))
        try:
            rows = pq.read_table(path).to_pylist()
        except Exception as err:  # pyarrow raises several types for a file it cannot read
            reason = (str(err).splitlines() or [type(err).__name__])[0]
            raise CorpusError(f"{path}: not a readable Parquet file ({reason})") from None
        for number, row in enumerate(rows, start=1):
            yield f"row {number}", _row(path, f"row {number}", row)
        return
    text = _read_table_text(path)
    if suffix == ".csv":
        yield from ((f"line {line}", row)
                    for line, row in _csv_rows(path, text, (), strip=False))
        return
    columns: set[str] = set()  # the rows of JSON Lines may each name other columns
    for line, record in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        if not record.strip():
            continue
        try:
            row = json.loads(record)
        except json.JSONDecodeError as err:
            raise CorpusError(f"{path}: line {line}: not valid JSON ({err.msg})") from None
        except RecursionError:
            raise CorpusError(f"{path}: line {line}: nested too deeply (more than "
                              f"{MAX_NESTING} levels)") from None
        if not isinstance(row, dict):
            raise CorpusError(f"{path}: line {line}: not a JSON object")
        columns.update(row)
        _check_columns(path, f"line {line}: ", len(columns))
        yield f"line {line}", _row(path, f"line {line}", row)


#: Deepest nesting of lists and mappings a table cell may hold (JSON Lines, Parquet): a cell
#: is kept as JSON text, and writing a much deeper one would exhaust Python's recursion.
MAX_NESTING = 100


def _nesting(value) -> int:
    """How deep lists and mappings nest in a value (0 for a scalar), counted without
    recursion and no further than past :data:`MAX_NESTING`."""
    depth, level = 0, [value]
    while depth <= MAX_NESTING:
        level = [v for v in level if isinstance(v, (list, tuple, dict))]
        if not level:
            return depth
        depth += 1
        level = [v for item in level
                 for v in (item.values() if isinstance(item, dict) else item)]
    return depth


def _row(path: Path, where: str, row: dict) -> dict:
    """A row's cells (:func:`_cell`), refused in one line if a cell nests too deeply or holds
    bytes that are not UTF-8 (a Parquet column of binary type is read as UTF-8 text)."""
    for column, value in row.items():
        if _nesting(value) > MAX_NESTING:
            raise CorpusError(f"{path}: {where}: nested too deeply (more than {MAX_NESTING} "
                              "levels)")
        try:
            row[column] = _text_of_bytes(value)
        except UnicodeDecodeError as err:
            raise CorpusError(f"{path}: {where}: column {str(column)!r}: bytes that are not "
                              f"UTF-8 (byte 0x{err.object[err.start]:02x} at offset "
                              f"{err.start})") from None
    return {str(k): _cell(v) for k, v in row.items()}


def _text_of_bytes(value):
    """A cell with its bytes (a Parquet binary column, at any depth) decoded as UTF-8, so
    that no ``b'...'`` reaches a text or a variable; UnicodeDecodeError for other bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8")
    if isinstance(value, dict):
        return {k: _text_of_bytes(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_text_of_bytes(v) for v in value]
    return value


def _cell(value):
    """A table cell as read (JSON, Parquet): a string as it is, else the text of a document
    variable (blank for null, ISO form for a date, JSON for a list or mapping)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):  # a date or timestamp read from Parquet
        return value.isoformat()[:10]
    if isinstance(value, float) and value != value:  # NaN, read as missing
        return "NaN"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple, dict)):
        return _Nested(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
    return str(value)


class _Nested(str):
    """A list or mapping read from a JSON or Parquet cell, as JSON text."""


def _without_missing(row: dict[str, str], seen: dict[tuple[str, str], int]) -> dict[str, str]:
    """The cells of a row stripped, with those of :data:`MISSING_VALUES` made blank; each
    one made blank is counted in ``seen`` under ``(column, value)``."""
    kept = {}
    for column, value in row.items():
        value = value.strip()
        if value in MISSING_VALUES:
            if value:
                seen[column, value] = seen.get((column, value), 0) + 1
            value = ""
        kept[column] = value
    return kept


def _missing_record(seen: dict[tuple[str, str], int]) -> tuple[tuple[str, str, int], ...]:
    return tuple(sorted((column, value, n) for (column, value), n in seen.items()))


def load_table(path: str | Path, *, text_column: str = "text",
               id_column: str | None = None) -> Corpus:
    """Read a corpus from one table, a row per document.

    This is how news databases and collection tools export articles. Every column besides
    the text and the id is a document variable, as the columns of ``metadata.csv`` are.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (header row, UTF-8), ``.jsonl`` (one JSON object per line) or
        ``.parquet`` file. It is only read.
    text_column : str, default "text"
        The column of the texts.
    id_column : str, optional
        The column of the document ids, which must then exist; by default ``id`` where the
        table has one, else a document's id is its row number (1, 2, ...).

    Returns
    -------
    Corpus
        Documents in row order, without sections.

    Raises
    ------
    CorpusError
        One line naming the file, the row and the problem: no text column, an empty text, a
        duplicate id, a row that does not parse, a date that is not ``YYYY[-MM[-DD]]``.

    Notes
    -----
    A cell of :data:`MISSING_VALUES` (``NA``, ``NaN``, ``null``, ``-``, blank...) is read as
    no value; :attr:`Corpus.missing` lists the ones read so.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "articles.csv"
    ...     _ = path.write_text("id,party,text\\na,labour,Roads and ports.\\nb,NA,A railway.\\n")
    ...     corpus = load_table(path)
    >>> corpus.ids, dict(corpus["a"].metadata), corpus["b"].raw
    (['a', 'b'], {'party': 'labour', 'id': 'a'}, 'A railway.')
    >>> corpus["b"].metadata["party"], corpus.missing  # NA: no value
    ('', (('party', 'NA', 1),))
    """
    path = Path(path)
    documents, seen, missing = [], {}, {}
    for number, (place, row) in enumerate(_table_rows(path), start=1):
        if text_column not in row:
            raise CorpusError(f"{path}: {place}: no column {text_column!r} "
                              f"(use --text-column; columns: {', '.join(row)})")
        text = row.pop(text_column)
        if isinstance(text, _Nested):
            raise CorpusError(f"{path}: {place}: the text is a list or mapping, not a string")
        for value in (text, *row.values()):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise CorpusError(f"{path}: {place}: a value that is not valid Unicode (a "
                                  "lone surrogate)") from None
        if not text.strip():
            raise CorpusError(f"{path}: {place}: empty text")
        if "\x00" in text:
            raise CorpusError(f"{path}: {place}: the text contains NUL characters")
        if id_column is not None and id_column not in row:
            raise CorpusError(f"{path}: {place}: no column {id_column!r} (use --id-column; "
                              f"columns: {', '.join(row)})")
        doc_id = row.pop(id_column or "id", "")
        if isinstance(doc_id, _Nested):
            raise CorpusError(f"{path}: {place}: the id is a list or mapping, not a value")
        id_name = id_column or "id"
        doc_id = _without_missing({id_name: doc_id}, missing)[id_name] or str(number)
        row = _without_missing(row, missing)
        if doc_id in seen:
            raise CorpusError(f"{path}: {place}: duplicate document id {doc_id!r} "
                              f"(also {seen[doc_id]})")
        seen[doc_id] = place
        check_date(row.get(DATE_COLUMN, ""), f"{path}: {place}")
        check_lang(row.get(LANG_COLUMN, ""), f"{path}: {place}")
        row.pop("file", None)
        documents.append(Document(id=doc_id, file=f"{path.name}#{place.replace(' ', '')}",
                                  raw=text, metadata=MappingProxyType({**row, "id": doc_id})))
    if not documents:
        raise CorpusError(f"{path}: no rows")
    return Corpus(tuple(documents), str(path.resolve()), _missing_record(missing))


def metadata_table(corpus: Corpus) -> pd.DataFrame:
    """One row per document: ``doc, file`` and every metadata column, in corpus order.

    :func:`analysis.units.keep` keeps the rows of a few documents.

    Examples
    --------
    >>> metadata_table(load_corpus())[["doc", "date", "author"]]  # doctest: +NORMALIZE_WHITESPACE
                   doc     date    author
    0  songtao-article  2020-08  Song Tao
    1     award-report  2020-11  unsigned
    """
    rows = [{"doc": d.id, "file": d.file, **{k: v for k, v in d.metadata.items() if k != "id"}}
            for d in corpus]
    return pd.DataFrame(rows).fillna("")


def section_table(corpus: Corpus) -> pd.DataFrame:
    """One row per declared section: ``doc, section, voice, first, last, note``.

    Examples
    --------
    >>> table = section_table(load_corpus())
    >>> table.drop(columns="note").head(3)  # doctest: +NORMALIZE_WHITESPACE
                   doc       section      voice  first last
    0  songtao-article      headline  newspaper      1    3
    1  songtao-article  introduction  newspaper      4    9
    2  songtao-article       article   Song Tao     10  end
    """
    rows = [{"doc": d.id, "section": s.name, "voice": s.voice, "first": s.first,
             "last": s.last if s.last is not None else "end", "note": s.note}
            for d in corpus for s in d.sections]
    return pd.DataFrame(rows, columns=["doc", "section", "voice", "first", "last", "note"])


def release_texts(corpus: Corpus, documents) -> int:
    """Let go of the texts of some documents of a folder corpus that can be read again from
    their files: each becomes a text read when next asked for (as a text the folder's file
    index knew is, :mod:`analysis.fileindex`), refused then if its file no longer holds it.

    Processing lets go of each batch's texts once it is processed, so that the texts of a
    large corpus are not all held beside its arrays. Texts of a table or an archive, of a
    followed link and documents with a reader's tokens are kept.

    Parameters
    ----------
    corpus : Corpus
        The corpus of the documents (its folder).
    documents : iterable of Document
        Some of its documents.

    Returns
    -------
    int
        How many texts were let go.

    Examples
    --------
    >>> corpus = load_corpus()
    >>> doc = corpus.documents[0]
    >>> text = doc.raw
    >>> release_texts(corpus, [doc]), type(doc.__dict__["_raw"]).__name__, doc.raw == text
    (1, '_Deferred', True)
    """
    root = Path(corpus.root) if corpus.root else None
    if root is None or not root.is_dir():
        return 0
    released = 0
    for doc in documents:
        if type(doc.__dict__.get("_raw")) is not str or doc.tokens is not None \
                or not _is_txt(doc.file) or os.sep in doc.file:
            continue
        try:
            info = os.lstat(root / doc.file)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):  # not a link the corpus followed
            doc.__dict__["_raw"] = _Deferred(root, doc.file, doc.digest)
            released += 1
    return released
