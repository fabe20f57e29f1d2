"""CoNLL-U files (Universal Dependencies) as corpora: tokens, sentences and every layer.

A ``.conllu`` file (or ``.conllu.gz``) is read with the ``conllu`` package, a sentence at a
time, after this module has checked each word line's columns (the package itself accepts a
line of three columns). What it becomes:

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
line without 10 tab-separated columns, an id out of order, a head pointing outside its
sentence, a document id given twice.

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


def _blocks(path: Path, text: str):
    """Each sentence as ``(first line number, its lines)`` (comments and word lines), the
    word lines checked for their 10 columns."""
    lines: list[str] = []
    first = 0
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            if any(not kept.startswith("#") for kept in lines):  # comments alone: no sentence
                yield first, lines
            lines = []
            continue
        if not lines:
            first = number
        if not line.startswith("#"):
            columns = line.count("\t") + 1
            if columns != 10:
                raise _corpus.CorpusError(f"{path}: line {number}: {columns} columns, not the "
                                          "10 tab-separated columns of CoNLL-U")
        lines.append(line)
    if any(not kept.startswith("#") for kept in lines):
        yield first, lines


def _value(value) -> str:
    return "" if value is None or value == "_" else str(value)


def _entity(misc) -> tuple[str, str] | None:
    """``(type, B|I)`` of a word's MISC entity tag, ``("", "O")`` outside, None untagged."""
    if not misc:
        return None
    for key in ENTITY_KEYS:
        tag = misc.get(key)
        if tag is None:
            continue
        if tag in ("O", "_", ""):
            return "", "O"
        found = _TAG.fullmatch(tag)
        if found:
            return found.group(2), "B" if found.group(1) in "BS" else "I"
        return tag, ""  # a bare type: B or I from the word before it
    return None


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
    import conllu

    path = Path(path)
    text = _corpus._read_table_text(path)
    documents: list[_Document] = []
    tagged = False
    for first, lines in _blocks(path, text):
        try:
            sentence = conllu.parse_token_and_metadata("\n".join(lines))
        except Exception as err:  # the package raises several types for a line it cannot read
            reason = (str(err).splitlines() or [type(err).__name__])[0]
            raise _corpus.CorpusError(f"{path}: line {first}: not CoNLL-U ({reason})") from None
        meta = sentence.metadata
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
        tagged |= _add_sentence(path, first, lines, sentence, doc)
    if not documents:
        raise _corpus.CorpusError(f"{path}: no sentences")
    return _corpus.Corpus(tuple(_finished(path, documents, tagged)), str(path.resolve()))


def _stem(path: Path) -> str:
    return metadata_path(path).name[:-len(".metadata.csv")]


def _add_sentence(path: Path, first: int, lines: list[str], sentence, doc: _Document) -> bool:
    """Add one sentence's words to a document; whether any word has an entity tag."""
    paragraph = doc.paragraphs[-1]
    if paragraph:
        paragraph.append(" ")
        doc.offset += 1
    words = [token for token in sentence if isinstance(token["id"], int)]
    ranges = {token["id"][0]: token for token in sentence
              if isinstance(token["id"], tuple) and token["id"][1] == "-"}
    word_lines = [line for line in lines if not line.startswith("#")]
    line_of = {}  # the file line of each word id, for messages
    for k, line in enumerate(word_lines):
        line_of.setdefault(line.split("\t", 1)[0], first + (len(lines) - len(word_lines)) + k)
    tagged = False
    previous_type = ""
    k = 0
    for expected, word in enumerate(words, start=1):
        if word["id"] != expected:
            raise _corpus.CorpusError(f"{path}: line {line_of.get(str(word['id']), first)}: "
                                      f"word id {word['id']}, expected {expected}")
    while k < len(words):
        word = words[k]
        span = ranges.get(word["id"])
        if span is not None:  # a multiword token: its form is the text, its words split it
            last = span["id"][2]
            parts = words[k:k + (last - word["id"] + 1)]
            surface, misc = span["form"], span["misc"]
        else:
            parts, surface, misc = [word], word["form"], word["misc"]
        start = doc.offset
        spelled = "".join(p["form"] for p in parts)
        at = start
        for j, part in enumerate(parts):
            if spelled == surface:
                doc.starts.append(at)
                at += len(part["form"])
                doc.ends.append(at)
            else:
                doc.starts.append(start if j == 0 else start + len(surface))
                doc.ends.append(start + len(surface))
        paragraph.append(surface)
        doc.offset += len(surface)
        last_of_sentence = k + len(parts) >= len(words)
        if not last_of_sentence and not (misc and misc.get("SpaceAfter") == "No"):
            paragraph.append(" ")
            doc.offset += 1
        for part in parts:
            doc.forms.append(part["form"])
            feats = part["feats"]
            values = {"lemma": _value(part["lemma"]) if part["form"] != "_" else "_",
                      "upos": _value(part["upos"]), "xpos": _value(part["xpos"]),
                      "feats": "|".join(f"{key}={value}" for key, value in feats.items())
                      if feats else "",
                      "deprel": _value(part["deprel"])}
            for name, value in values.items():
                doc.layers[name].append(value)
            head = part["head"]
            head = 0 if head is None else int(head)
            if not 0 <= head <= len(words):
                raise _corpus.CorpusError(
                    f"{path}: line {line_of.get(str(part['id']), first)}: head {head} points "
                    f"outside its sentence of {len(words)} words")
            doc.head.append(head)
            entity = _entity(part["misc"])
            if entity is None:
                entity = ("", "O")
            else:
                tagged = True
            kind, iob = entity
            if iob == "":
                iob = "I" if kind == previous_type else "B"
            previous_type = kind if iob != "O" else ""
            doc.layers["ent"].append(kind)
            doc.layers["ent_iob"].append(iob)
        k += len(parts)
    doc.sentences.append(len(words))
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
