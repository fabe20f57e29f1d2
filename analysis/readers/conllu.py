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
from pathlib import Path
from types import MappingProxyType

from analysis import corpus as _corpus
from analysis.readers.tokens import Tokens

__all__ = ["LAYERS", "load_conllu", "metadata_path"]

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


class _Sentence:
    """One sentence as read: its first line, its comments (``key -> value``, as the
    ``conllu`` package reads them) and its word lines (each a list of the 10 columns, and
    its line number), multiword tokens by their first word's id."""

    __slots__ = ("first", "meta", "words", "lines", "ranges")

    def __init__(self, first: int):
        self.first = first
        self.meta: dict[str, str | None] = {}
        self.words: list[list[str]] = []
        self.lines: list[int] = []
        self.ranges: dict[int, tuple[int, str, str]] = {}


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


def _sentences(path: Path, text: str):
    """Each sentence of a CoNLL-U text (:class:`_Sentence`), the lines checked.

    This reader splits the lines itself rather than through the ``conllu`` package: the
    package builds a dictionary per word and tests every field with a regular expression,
    several times slower than splitting each line once (``bench/check_conllu.py`` times
    both on a treebank); the tests check the two parses agree on Universal Dependencies
    treebanks.
    """
    sentence: _Sentence | None = None
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        if line[:1] == "#":
            if sentence is None:
                sentence = _Sentence(number)
            _comment(line.strip(), sentence.meta)
            continue
        if not line or line.isspace():
            if sentence is not None and sentence.words:
                yield sentence
            sentence = None
            continue
        columns = line.split("\t")
        if len(columns) != 10:
            raise _bad(path, number, f"{len(columns)} columns, not the 10 tab-separated "
                                     "columns of CoNLL-U")
        if sentence is None:
            sentence = _Sentence(number)
        columns[0] = columns[0].lstrip()
        columns[9] = columns[9].rstrip()
        word_id = columns[0]
        if _id(word_id):
            sentence.words.append(columns)
            sentence.lines.append(number)
            continue
        low, dash, high = word_id.partition("-")
        if dash and _id(low) and _id(high) and low != "0" and int(high) >= int(low):
            sentence.ranges[int(low)] = (int(high), columns[1], columns[9])
            continue
        whole, dot, part = word_id.partition(".")
        if not (dot and _id(whole) and _id(part) and part != "0"):
            raise _bad(path, number, f"not CoNLL-U (word id {word_id!r})")
    if sentence is not None and sentence.words:
        yield sentence


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


def _value(value: str) -> str:
    return "" if value == "_" else value


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
    return "SpaceAfter=No" not in misc or "SpaceAfter=No" not in misc.split("|")


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
        self.forms: list[str] = []
        self.head: list[int] = []
        self.layers = {name: [] for name in (*LAYERS, *ENTITY_LAYERS)}


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
    tagged = False
    for sentence in _sentences(path, text):
        meta, first = sentence.meta, sentence.first
        new_doc = "newdoc id" in meta or "newdoc" in meta
        if new_doc or not documents:
            doc_id = (meta.get("newdoc id") or "").strip() or (
                _stem(path) if not documents else f"{_stem(path)}-{len(documents) + 1}")
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
        tagged |= _add_sentence(path, sentence, doc)
    if not documents:
        raise _corpus.CorpusError(f"{path}: no sentences")
    return _corpus.Corpus(tuple(_finished(path, documents, tagged)), str(path.resolve()))


def _stem(path: Path) -> str:
    return metadata_path(path).name[:-len(".metadata.csv")]


def _head(path: Path, number: int, text: str, size: int) -> int:
    """A word's head: an integer from 0 (the root) to the sentence's words; ``_`` is 0."""
    if _id(text):
        head = int(text)
    elif text == "_":
        head = 0
    elif text[:1] == "-" and _id(text[1:]) and text != "-0":
        head = int(text)
    else:
        raise _bad(path, number, f"not CoNLL-U (head {text!r} is not an integer)")
    if head > size or head < 0:
        raise _bad(path, number, f"head {head} points outside its sentence of {size} words")
    return head


def _add_sentence(path: Path, sentence: _Sentence, doc: _Document) -> bool:
    """Add one sentence's words to a document; whether any word has an entity tag."""
    paragraph = doc.paragraphs[-1]
    if paragraph:
        paragraph.append(" ")
        doc.offset += 1
    words, lines, ranges = sentence.words, sentence.lines, sentence.ranges
    size = len(words)
    for expected, (word, number) in enumerate(zip(words, lines, strict=True), start=1):
        if int(word[0]) != expected:
            raise _bad(path, number, f"word id {int(word[0])}, expected {expected}")
    layers = doc.layers
    lemmas, upos, xpos, feats, deprels = (layers[name] for name in LAYERS)
    kinds, iobs = layers["ent"], layers["ent_iob"]
    starts, ends, forms, heads = doc.starts, doc.ends, doc.forms, doc.head
    tagged = False
    previous_type = ""
    k = 0
    while k < size:
        word = words[k]
        span = ranges.get(k + 1)
        if span is not None:  # a multiword token: its form is the text, its words split it
            count = span[0] - k
            parts = words[k:k + count]
            surface, misc = span[1], span[2]
        else:
            parts, surface, misc = (word,), word[1], word[9]
        start = doc.offset
        if len(parts) == 1:
            starts.append(start)
            ends.append(start + len(surface))
        elif "".join(p[1] for p in parts) == surface:
            at = start
            for part in parts:
                starts.append(at)
                at += len(part[1])
                ends.append(at)
        else:
            for j in range(len(parts)):
                starts.append(start if j == 0 else start + len(surface))
                ends.append(start + len(surface))
        paragraph.append(surface)
        doc.offset += len(surface)
        if k + len(parts) < size and _space_after(misc):
            paragraph.append(" ")
            doc.offset += 1
        for j, part in enumerate(parts):
            form, lemma = part[1], part[2]
            forms.append(form)
            lemmas.append("" if lemma == "_" and form != "_" else lemma)
            upos.append(_value(part[3]))
            xpos.append(_value(part[4]))
            feats.append(_value(part[5]))
            deprels.append(_value(part[7]))
            heads.append(_head(path, lines[k + j], part[6], size))
            entity = _entity(part[9])
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
        k += len(parts)
    doc.sentences.append(size)
    return tagged


def _finished(path: Path, documents: list[_Document], tagged: bool):
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
    layer_names = LAYERS + (ENTITY_LAYERS if tagged else ())
    for doc in documents:
        if doc.id in seen:
            raise _corpus.CorpusError(f"{path}: line {doc.line}: document id {doc.id!r} given "
                                      f"twice (also line {seen[doc.id]})")
        seen[doc.id] = doc.line
        variables = {**doc.variables,
                     **{k: v for k, v in rows.get(doc.id, (0, {}))[1].items() if k != "id"}}
        _corpus.check_date(variables.get(_corpus.DATE_COLUMN, ""), f"{path}: line {doc.line}")
        tokens = Tokens.from_lists(doc.starts, doc.ends, doc.sentences, doc.forms,
                                   {name: doc.layers[name] for name in layer_names},
                                   head=doc.head)
        raw = "\n".join("".join(pieces) for pieces in doc.paragraphs)
        yield _corpus.Document(doc.id, f"{path.name}#{doc.id}", raw,
                               MappingProxyType({**variables, "id": doc.id}), (), tokens)
