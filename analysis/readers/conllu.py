"""CoNLL-U files (Universal Dependencies) as corpora: tokens, sentences and every layer.

A ``.conllu`` file (or ``.conllu.gz``) is read a line at a time by this module's own parser,
which splits each line once on its tabs: several times faster than the ``conllu`` package
(``bench/check_conllu.py`` times both) and stricter (the package accepts a line of three
columns); the tests check that both parse Universal Dependencies treebanks alike. What it
becomes:

- **Documents**: a ``# newdoc`` comment (``# newdoc id = ID``) starts one; sentences before
  the first belong to a document named after the file. A document's variables are the
  ``# newdoc KEY = VALUE`` (other than ``id``) and ``# meta::KEY = VALUE`` comments of its
  first sentence, and the columns of a metadata file beside the corpus, named after it with
  ``.metadata.csv`` for ``.conllu`` (``ewt.conllu`` -> ``ewt.metadata.csv``): a column
  ``id`` naming each document, every other column a variable (a row wins over a comment).
- **Paragraphs**: a ``# newpar`` comment starts one (a document without any is one
  paragraph). The raw text of a document is its paragraphs, a line each, of its sentences
  separated by a space, each the surface tokens joined by a space unless the token's MISC has
  ``SpaceAfter=No``; a multiword token (``2-3  don't``) is written once.
- **Tokens** are the syntactic words (the lines with an integer id: ``do`` and ``n't`` of
  ``don't``), as Universal Dependencies annotates and counts them; empty nodes (``8.1``) are
  left out. A word's offsets are its part of its multiword token where the words spell it
  (``do`` + ``n't`` = ``don't``), else the first word spans the whole token and the others
  are empty at its end.
- **Layers**: ``lemma``, ``upos``, ``xpos``, ``feats`` (as written, ``Number=Sing|...``),
  ``deprel``, ``head`` (an integer; 0 is the root) and, where the MISC column tags entities
  (``NER=B-PER`` or ``NE=...``, with BIO, IOB or BIOES prefixes, or a bare type), ``ent``
  (the entity's type on each of its tokens, ``""`` outside) and ``ent_iob`` (``B`` on an
  entity's first token, ``I`` on the others, ``O`` outside). ``_`` (no value) is ``""``.

Bad input is :class:`~analysis.corpus.CorpusError`, one line naming the file and line: a word
line without 10 tab-separated columns, an id that is not one (``x``, ``01``, ``3-2``) or out
of order, a head that is not an integer or points outside its sentence, a document id given
twice.

References
----------
de Marneffe, M.-C., Manning, C. D., Nivre, J. and Zeman, D. (2021). Universal Dependencies.
*Computational Linguistics* 47(2), 255-308; the format: https://universaldependencies.org/format.html
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate, chain
from pathlib import Path
from types import MappingProxyType

import numpy as np

from analysis import corpus as _corpus
from analysis.readers.tokens import Tokens

__all__ = ["LAYERS", "load_conllu", "metadata_path", "metadata_paths"]

#: The layers every CoNLL-U corpus has (besides ``head``), and those of entities where tagged.
LAYERS = ("lemma", "upos", "xpos", "feats", "deprel")
ENTITY_LAYERS = ("ent", "ent_iob")
#: MISC keys read as entity tags, first found wins.
ENTITY_KEYS = ("NER", "NE")
_TAG = re.compile(r"([BIESL])[-_](.+)")


def metadata_path(path: Path) -> Path:
    """The metadata file of a CoNLL-U corpus: its name with ``.metadata.csv`` for ``.conllu``.

    Examples
    --------
    >>> metadata_path(Path("ud/en_ewt-ud-dev.conllu.gz")).name
    'en_ewt-ud-dev.metadata.csv'
    """
    name = path.name
    stem = name[:len(name) - len(".conllu.gz")] if name.lower().endswith(".conllu.gz") \
        else name[:len(name) - len(".conllu")]
    return path.with_name(stem + ".metadata.csv")


def metadata_paths(path: Path) -> tuple[Path]:
    """The files the reader reads beside a CoNLL-U file: its metadata file, whether it
    exists or not (:data:`analysis.corpus.RECORDED_READERS`).

    Examples
    --------
    >>> [p.name for p in metadata_paths(Path("ud/ewt.conllu"))]
    ['ewt.metadata.csv']
    """
    return (metadata_path(path),)


class _Sentence:
    """One sentence as read: its first line, its comments (``key -> value``, as the
    ``conllu`` package reads them), its words (each the list of its 10 columns) and its
    multiword tokens by their first word's id; ``lines`` are the sentence's lines, to name
    the line of a word (:meth:`line`)."""

    __slots__ = ("first", "meta", "words", "ranges", "lines")

    def __init__(self, first: int, lines: list[str]):
        self.first, self.lines = first, lines
        self.meta: dict[str, str | None] = {}
        self.words: list[list[str]] = []
        self.ranges: dict[int, tuple[int, str, str]] = {}

    def line(self, k: int) -> int:
        """The file line of word ``k`` (from 0)."""
        seen = -1
        for j, text in enumerate(self.lines):
            first = text.split("\t", 1)[0]
            if text.strip() and text[:1] != "#" and "-" not in first and "." not in first:
                seen += 1
                if seen == k:
                    return self.first + j
        return self.first


def _bad(path: Path, number: int, problem: str) -> _corpus.CorpusError:
    return _corpus.CorpusError(f"{path}: line {number}: {problem}")


def _comment(line: str, meta: dict) -> None:
    """A comment line into the sentence's metadata: ``# key = value`` (a key without a value
    is kept only for ``newdoc`` and ``newpar``), as the ``conllu`` package keeps them."""
    key, equals, value = line[1:].partition("=")
    key = key.strip()
    kept = value.strip() if equals else None
    if key in ("newdoc", "newpar") or (key and kept):
        meta[key] = kept


def _id(text: str) -> bool:
    """Whether a word id is written as CoNLL-U writes one (digits, no leading zero)."""
    return text.isascii() and text.isdigit() and (text == "0" or text[0] != "0")


#: The heads of a sentence joined by commas, when every one is an integer as CoNLL-U writes it.
_HEADS = re.compile(r"(?:0|[1-9][0-9]*)(?:,(?:0|[1-9][0-9]*))*")
#: The ids of a sentence's words, as written: "1", "2", ...
_NUMBERS: list[str] = []


def _numbers(size: int) -> list[str]:
    while len(_NUMBERS) < size:
        _NUMBERS.append(str(len(_NUMBERS) + 1))
    return _NUMBERS[:size]


@lru_cache(maxsize=1024)
def _id_text(size: int) -> str:
    """The ids of a sentence of ``size`` words as written, each followed by a tab."""
    return "".join(f"{n}\t" for n in _numbers(size))


#: One or more blank lines: the end of a sentence.
_BLANK = re.compile(r"(\n(?:[ \t]*\n)+)")


def _sentences(path: Path, text: str):
    """Each sentence of a CoNLL-U text (:class:`_Sentence`), each line's columns checked.

    This reader splits the lines itself rather than through the ``conllu`` package: the
    package builds a dictionary per word and tests every field with a regular expression,
    several times slower than splitting a sentence's lines on their tabs at once and
    checking its ids and heads together (``bench/check_conllu.py`` times both on a
    treebank); the tests check that the two parse Universal Dependencies treebanks alike.
    """
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    at, number = 0, 1
    for blank in chain(_BLANK.finditer(text), [None]):  # a block at a time
        block = text[at:blank.start() if blank else len(text)]
        if block and not block.isspace():
            sentence = _sentence(path, block.split("\n"), number)
            if sentence.words:
                yield sentence
        if blank:
            number += block.count("\n") + blank.group().count("\n")
            at = blank.end()


def _sentence(path: Path, lines: list[str], first: int) -> _Sentence:
    """The sentence of one block of lines, ``first`` the number of its first line."""
    if lines[-1] == "" or lines[0] == "" or lines[0].isspace():  # blank lines at an end
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
            first += 1
    sentence = _Sentence(first, lines)
    rows = [line.split("\t") for line in lines if line[:1] != "#"]
    if len(rows) < len(lines):
        for line in lines:  # the comments read: newdoc, newpar and meta:: (not text, sent_id)
            if line[:1] == "#" and ("new" in line or "meta::" in line):
                _comment(line.strip(), sentence.meta)
    if set(map(len, rows)) - {10}:
        j = next(j for j, row in enumerate(rows) if len(row) != 10)
        number = first + [k for k, line in enumerate(lines) if line[:1] != "#"][j]
        raise _bad(path, number, f"{len(rows[j])} columns, not the 10 tab-separated "
                                 "columns of CoNLL-U")
    ids = "\t".join([row[0] for row in rows])
    if "-" in ids or "." in ids:
        words = []
        for j, row in enumerate(rows):
            word_id = row[0]
            if "-" not in word_id and "." not in word_id:
                words.append(row)
                continue
            word_id = word_id.strip()
            low, dash, high = word_id.partition("-")
            if dash and _id(low) and _id(high) and low != "0" and int(high) >= int(low):
                sentence.ranges[int(low)] = (int(high), row[1], row[9])
                continue
            whole, dot, part = word_id.partition(".")
            if not (dot and _id(whole) and _id(part) and part != "0"):
                number = first + [k for k, line in enumerate(lines) if line[:1] != "#"][j]
                raise _bad(path, number, f"not CoNLL-U (word id {word_id!r})")
        rows = words
    sentence.words = rows
    return sentence


def _misc(misc: str) -> dict | None:
    """The MISC column as ``key -> value`` (``_``: None)."""
    if not misc or misc == "_":
        return None
    found = {}
    for part in misc.split("|"):
        key, equals, value = part.partition("=")
        if key and key != "_":
            found[key] = (None if value in ("", "_") else value) if equals else ""
    return found


def _entity(misc: str) -> tuple[str, str] | None:
    """``(type, B|I)`` of a word's MISC entity tag, ``("", "O")`` outside, None untagged."""
    if "NE" not in misc:  # NER and NE both hold it
        return None
    fields = _misc(misc)
    if not fields:
        return None
    for key in ENTITY_KEYS:
        tag = fields.get(key)
        if tag is None:
            continue
        if tag in ("O", "_", ""):
            return "", "O"
        found = _TAG.fullmatch(tag)
        if found:
            return found.group(2), "B" if found.group(1) in "BS" else "I"
        return tag, ""  # a bare type: B or I from the word before it
    return None


def _space_after(misc: str) -> bool:
    """Whether a space follows a token (its MISC has no ``SpaceAfter=No``)."""
    return "SpaceAfter=No" not in misc.split("|")


class _Document:
    """What is gathered of one document while its sentences are read."""

    def __init__(self, doc_id: str, line: int):
        self.id, self.line = doc_id, line
        self.variables: dict[str, str] = {}
        self.paragraphs: list[list[str]] = []  # the text pieces of each paragraph's sentences
        self.offset = 0  # characters of the raw text so far
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.sentences: list[int] = []
        self.words: list[list[str]] = []  # the columns of each word
        self.read: list[_Sentence] = []  # the sentences read, to name a bad line
        self.arrays: dict = {}  # once sealed: the tokens' arrays and coded layers

    def seal(self, path: Path) -> None:
        """Check the ids and heads of the words read, turn them into the arrays a
        :class:`~analysis.readers.Tokens` holds, and let go of the words (a large file is
        held as arrays, not strings)."""
        columns = list(zip(*self.words, strict=True))
        forms = columns[1]
        sizes = np.asarray(self.sentences, dtype=np.int64)
        heads = ",".join(columns[6])
        if "\t".join(columns[0]) + "\t" == "".join(map(_id_text, self.sentences)) \
                and _HEADS.fullmatch(heads):
            head = np.fromstring(heads, dtype=np.int64, sep=",")
            if (head > np.repeat(sizes, sizes)).any():  # the sentence's check names it
                head = None
        else:
            head = None
        if head is None:
            head = np.concatenate([_check(path, sentence) for sentence in self.read])
        self.read = []
        layers = {name: _coded(columns[k]) for name, k in (
            ("lemma", 2), ("upos", 3), ("xpos", 4), ("feats", 5), ("deprel", 7))}
        if "_" in forms:  # the lemma of the form "_" is "_"
            layers["lemma"] = _coded(["" if lemma == "_" and form != "_" else lemma
                                      for form, lemma in zip(forms, columns[2], strict=True)],
                                     None)
        entities = _entities(self.words)
        if entities is not None:
            layers["ent"], layers["ent_iob"] = (_coded(e, None) for e in entities)
        self.arrays = {"starts": np.asarray(self.starts, dtype=np.int64),
                       "ends": np.asarray(self.ends, dtype=np.int64),
                       "sentences": np.asarray(self.sentences, dtype=np.int32),
                       "forms": _coded(forms, None), "layers": layers,
                       "head": head.astype(np.int32),
                       "raw": "\n".join("".join(pieces) for pieces in self.paragraphs)}
        self.words, self.starts, self.ends, self.paragraphs = [], [], [], []


def load_conllu(path: str | Path) -> _corpus.Corpus:
    """Read a CoNLL-U file as a corpus whose documents keep their tokens and layers.

    Parameters
    ----------
    path : str or Path
        A ``.conllu`` or ``.conllu.gz`` file (UTF-8); with its metadata file
        (:func:`metadata_path`) where there is one. Only read.

    Returns
    -------
    Corpus
        A document per ``# newdoc``, in file order; each document's ``tokens``
        (:class:`~analysis.readers.Tokens`) are its words with their layers (module
        docstring).

    Raises
    ------
    CorpusError
        One line naming the file and line (module docstring).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> lines = ["# newdoc id = a", "# newpar", "# text = Roads ran.",
    ...          "1\\tRoads\\troad\\tNOUN\\tNNS\\tNumber=Plur\\t2\\tnsubj\\t_\\t_",
    ...          "2\\tran\\trun\\tVERB\\tVBD\\t_\\t0\\troot\\t_\\tSpaceAfter=No",
    ...          "3\\t.\\t.\\tPUNCT\\t.\\t_\\t2\\tpunct\\t_\\t_", ""]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "toy.conllu"
    ...     _ = path.write_text("\\n".join(lines) + "\\n", encoding="utf-8")
    ...     corpus = load_conllu(path)
    >>> doc = corpus["a"]
    >>> doc.raw, doc.tokens.layer("lemma"), doc.tokens.head.tolist()
    ('Roads ran.', ['road', 'run', '.'], [2, 0, 2])
    """
    path = Path(path)
    text = _corpus._read_table_text(path)
    documents: list[_Document] = []
    for sentence in _sentences(path, text):
        meta, first = sentence.meta, sentence.first
        new_doc = "newdoc id" in meta or "newdoc" in meta
        if new_doc or not documents:
            doc_id = (meta.get("newdoc id") or "").strip() or (
                _stem(path) if not documents else f"{_stem(path)}-{len(documents) + 1}")
            if documents:
                documents[-1].seal(path)
            documents.append(_Document(doc_id, first))
        doc = documents[-1]
        if new_doc or len(doc.sentences) == 0:
            for key, value in meta.items():
                if key.startswith("newdoc ") and key != "newdoc id":
                    doc.variables[key[len("newdoc "):].strip()] = (value or "").strip()
                elif key.startswith("meta::"):
                    doc.variables[key[len("meta::"):].strip()] = (value or "").strip()
        if "newpar" in meta or "newpar id" in meta or not doc.paragraphs:
            if doc.paragraphs:
                doc.offset += 1  # the line break
            doc.paragraphs.append([])
        _add_sentence(path, sentence, doc)
    if not documents:
        raise _corpus.CorpusError(f"{path}: no sentences")
    documents[-1].seal(path)
    return _corpus.Corpus(tuple(_finished(path, documents)), str(path.resolve()))


def _stem(path: Path) -> str:
    return metadata_path(path).name[:-len(".metadata.csv")]


def _head(path: Path, sentence: _Sentence, k: int, text: str, size: int) -> int:
    """The head of word ``k``: an integer from 0 (the root) to the sentence's words; ``_``
    is 0."""
    if _id(text):
        head = int(text)
    elif text == "_":
        head = 0
    elif text[:1] == "-" and _id(text[1:]) and text != "-0":
        head = int(text)
    else:
        raise _bad(path, sentence.line(k), f"not CoNLL-U (head {text!r} is not an integer)")
    if head > size or head < 0:
        raise _bad(path, sentence.line(k), f"head {head} points outside its sentence of "
                                           f"{size} words")
    return head


def _check(path: Path, sentence: _Sentence) -> list[int]:
    """A sentence's heads, its ids and heads checked (an error names the word's line)."""
    words = sentence.words
    size = len(words)
    ids = [w[0] for w in words]
    if ids != _numbers(size):
        for k, written in enumerate(ids):
            if written.strip() != str(k + 1):
                if not _id(written.strip()):
                    raise _bad(path, sentence.line(k),
                               f"not CoNLL-U (word id {written.strip()!r})")
                raise _bad(path, sentence.line(k), f"word id {int(written)}, expected {k + 1}")
    return [_head(path, sentence, k, w[6], size) for k, w in enumerate(words)]


def _add_sentence(path: Path, sentence: _Sentence, doc: _Document) -> None:
    """Add one sentence's words to a document (their ids and heads are checked with the
    document's, :meth:`_Document.seal`) and their offsets in the text that the sentence adds
    to its paragraph."""
    paragraph = doc.paragraphs[-1]
    if paragraph:
        paragraph.append(" ")
        doc.offset += 1
    words, ranges = sentence.words, sentence.ranges
    doc.read.append(sentence)
    doc.words += words
    start = doc.offset
    if not ranges:  # a token per word
        forms = [w[1] for w in words]
        if "SpaceAfter=No" in "\t".join([w[9] for w in words]):
            pieces = [form if "SpaceAfter=No" in w[9] and not _space_after(w[9])
                      else form + " " for form, w in zip(forms, words, strict=True)]
            pieces[-1] = forms[-1]
        else:
            pieces = [form + " " for form in forms]
            pieces[-1] = forms[-1]
        starts = list(accumulate(map(len, pieces[:-1]), initial=start))
        doc.starts += starts
        doc.ends += [s + len(f) for s, f in zip(starts, forms, strict=True)]
        text = "".join(pieces)
    else:
        text = _tokens(words, ranges, start, doc.starts, doc.ends)
    paragraph.append(text)
    doc.offset += len(text)
    doc.sentences.append(len(words))


def _tokens(words: list[list[str]], ranges: dict, start: int, starts: list[int],
            ends: list[int]) -> str:
    """The text of a sentence with multiword tokens, each word's offsets added: a
    multiword token's form is the text, its words split it where they spell it."""
    pieces = []
    at, k, size = start, 0, len(words)
    while k < size:
        span = ranges.get(k + 1)
        if span is None:  # a word alone
            word = words[k]
            surface, misc = word[1], word[9]
            starts.append(at)
            at += len(surface)
            ends.append(at)
            parts = (word,)
        elif "".join(p[1] for p in words[k:span[0]]) == span[1]:
            parts, surface, misc = words[k:span[0]], span[1], span[2]
            for part in parts:
                starts.append(at)
                at += len(part[1])
                ends.append(at)
        else:
            parts, surface, misc = words[k:span[0]], span[1], span[2]
            for j in range(len(parts)):
                starts.append(at if j == 0 else at + len(surface))
                ends.append(at + len(surface))
            at += len(surface)
        pieces.append(surface)
        k += len(parts)
        if k < size and ("SpaceAfter=No" not in misc or _space_after(misc)):
            pieces.append(" ")
            at += 1
    return "".join(pieces)


def _entities(words: list[list[str]]) -> tuple[list[str], list[str]] | None:
    """The ``ent`` and ``ent_iob`` layers of a document's words, None if none is tagged."""
    if "NE" not in "\t".join([w[9] for w in words]):  # NER and NE both hold it
        return None
    kinds, iobs, tagged = [], [], False
    previous_type = ""
    for w in words:
        entity = _entity(w[9])
        if entity is None:
            entity = ("", "O")
        else:
            tagged = True
        kind, iob = entity
        if iob == "":
            iob = "I" if kind == previous_type else "B"
        previous_type = kind if iob != "O" else ""
        kinds.append(kind)
        iobs.append(iob)
    return (kinds, iobs) if tagged else None


def _coded(values, blank: str | None = "_") -> tuple:
    """A layer as :class:`~analysis.readers.Tokens` holds it: its distinct values in order
    of first appearance and each token's index into them; ``blank`` (CoNLL-U's ``_``, no
    value) is ``""``."""
    vocabulary = list(dict.fromkeys(values))
    index = {value: i for i, value in enumerate(vocabulary)}
    if blank in index:
        if "" in index:  # both: one value
            return _coded(["" if v == blank else v for v in values], None)
        vocabulary[index[blank]] = ""
    return tuple(vocabulary), np.fromiter(map(index.__getitem__, values), dtype=np.int32,
                                          count=len(values))


def _finished(path: Path, documents: list[_Document]):
    """The :class:`~analysis.corpus.Document` of each gathered document, with the variables
    of the metadata file."""
    rows = {}
    meta_path = metadata_path(path)
    if meta_path.is_file():
        missing: dict = {}
        for line, row in _corpus._read_csv(meta_path, ("id",)):
            row = _corpus._without_missing(row, missing)
            if row["id"] in rows:
                raise _corpus.CorpusError(f"{meta_path}: line {line}: document id "
                                          f"{row['id']!r} given twice")
            _corpus.check_date(row.get(_corpus.DATE_COLUMN, ""), f"{meta_path}: line {line}")
            rows[row["id"]] = (line, row)
        unknown = sorted(set(rows) - {doc.id for doc in documents})
        if unknown:
            line = rows[unknown[0]][0]
            raise _corpus.CorpusError(f"{meta_path}: line {line}: no document {unknown[0]!r} "
                                      f"in {path.name}")
    seen: dict[str, int] = {}
    tagged = any("ent" in doc.arrays["layers"] for doc in documents)
    for doc in documents:
        if doc.id in seen:
            raise _corpus.CorpusError(f"{path}: line {doc.line}: document id {doc.id!r} given "
                                      f"twice (also line {seen[doc.id]})")
        seen[doc.id] = doc.line
        variables = {**doc.variables,
                     **{k: v for k, v in rows.get(doc.id, (0, {}))[1].items() if k != "id"}}
        _corpus.check_date(variables.get(_corpus.DATE_COLUMN, ""), f"{path}: line {doc.line}")
        arrays = doc.arrays
        layers = arrays["layers"]
        if tagged and "ent" not in layers:  # no entity in this document, some in others
            n = len(arrays["starts"])
            layers["ent"], layers["ent_iob"] = _coded([""] * n, None), _coded(["O"] * n, None)
        tokens = Tokens(arrays["starts"], arrays["ends"], arrays["sentences"], arrays["forms"],
                        layers, arrays["head"])
        raw = arrays["raw"]
        yield _corpus.Document(doc.id, f"{path.name}#{doc.id}", raw,
                               MappingProxyType({**variables, "id": doc.id}), (), tokens)
