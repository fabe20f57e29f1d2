"""CoNLL-U files (Universal Dependencies) as corpora: tokens, sentences and every layer.

A ``.conllu`` file (or ``.conllu.gz``) is read by this module's own parser, a part of whole
documents (about :data:`CHUNK_CHARS` characters) at a time, with array work over the whole
part rather than Python work per sentence: its lines classed at once, its word lines read
as ten columns by pyarrow's CSV reader, each column's values interned once (dictionary
encoding), ids, heads and offsets checked and computed with numpy. It is several times
faster than the ``conllu`` package (``bench/check_conllu.py`` times both) and stricter (the
package accepts a line of three columns); the tests check that both parse Universal
Dependencies treebanks alike. What it becomes:

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
from itertools import compress
from operator import itemgetter, methodcaller
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

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


#: Characters of a file parsed at once (whole documents: a part ends where a document
#: starts): enough that the work on a part is array work, few enough that a large file is
#: not held as a list of strings per field all at once.
CHUNK_CHARS = 8_000_000

_FIRST = itemgetter(slice(None, 1))
_TABS = methodcaller("count", "\t")
#: What follows a word in the text: nothing, a space, a line break (a new paragraph).
_SEPARATORS = np.array(["", " ", "\n"], dtype=object)


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


#: A word id and a head as CoNLL-U writes them (no leading zero; below a billion).
_ID = "^[1-9][0-9]{0,8}$"
_HEAD = "^(?:0|[1-9][0-9]{0,8})$"
#: How pyarrow reads the word lines of a part: ten columns of text, as they are.
_READ = pa_csv.ReadOptions(autogenerate_column_names=True, use_threads=False,
                           block_size=1 << 30)
_PARSE = pa_csv.ParseOptions(delimiter="\t", quote_char=False, escape_char=False,
                             newlines_in_values=False, ignore_empty_lines=False)
_CONVERT = pa_csv.ConvertOptions(column_types={f"f{k}": pa.string() for k in range(10)},
                                 strings_can_be_null=False, quoted_strings_can_be_null=False)
#: The ids of a sentence's words, as written: "1", "2", ...
_NUMBERS: list[str] = []


def _numbers(size: int) -> list[str]:
    while len(_NUMBERS) < size:
        _NUMBERS.append(str(len(_NUMBERS) + 1))
    return _NUMBERS[:size]


#: One or more blank lines: the end of a sentence.
_BLANK = re.compile(r"(\n(?:[ \t]*\n)+)")


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


def _no_space(misc: list[str]) -> list[int]:
    """The words whose MISC has ``SpaceAfter=No`` (among its ``|``-separated fields)."""
    return [j for j, value in enumerate(misc)
            if "SpaceAfter=No" in value and "SpaceAfter=No" in value.split("|")]


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
    documents = _documents(path, _corpus._read_table_text(path))
    if not documents:
        raise _corpus.CorpusError(f"{path}: no sentences")
    return _corpus.Corpus(tuple(_finished(path, documents)), str(path.resolve()))


def _documents(path: Path, text: str) -> list[tuple]:
    """The documents of a CoNLL-U text, each ``(id, line, variables, raw, tokens)``, parsed
    a part of about :data:`CHUNK_CHARS` characters at a time (:func:`_parse`)."""
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    documents: list[tuple] = []
    at, line, size = 0, 1, CHUNK_CHARS
    while at < len(text) or not documents and at == 0:
        end = len(text)
        if at + size < len(text):
            blank = _BLANK.search(text, at + size)
            end = blank.end() if blank else len(text)
        part = text if at == 0 and end == len(text) else text[at:end]
        parsed = _parse(path, part, line, len(documents), end == len(text))
        if parsed is None:  # one document so far: a larger part
            size *= 2
            continue
        found, chars, lines = parsed
        documents += found
        at, line = at + chars, line + lines
        if end == len(text):
            break
    return documents


def _parse(path: Path, text: str, first: int, before: int, last: bool):
    """The documents of a part of a CoNLL-U file, the work done on the whole part at once.

    The part's lines are classed (blank, comment, word) and its word lines split on their
    tabs in one go; each column is a list over the part's words, the ids and heads are
    checked for all its sentences together, and each layer's strings are interned once
    for the part (:func:`_per_document`). Python loops only over the lines that need it:
    comments naming documents and paragraphs, multiword tokens, empty nodes, entity tags.

    Parameters
    ----------
    text : str
        Whole sentences; the first starts a document (or the file).
    first : int
        The file's number of the part's first line.
    before : int
        The documents of the file before the part (to name one without an id).
    last : bool
        Whether the part ends the file; if not, its last document is left for the next
        part (it may go on there).

    Returns
    -------
    tuple or None
        ``(documents, characters, lines)``: the documents read and how much of the part
        they take, or None when the part is not the last and holds one document only.
    """
    lines = text.split("\n")
    n = len(lines)
    initial = np.fromiter(map(_FIRST, lines), "U1", n)  # each line's first character
    blank = initial == ""
    for i in np.flatnonzero(np.strings.isspace(initial)).tolist():
        blank[i] = lines[i].isspace()
    comment = initial == "#"
    del initial
    word = ~(blank | comment)
    opens = ~blank  # the first line of each block of lines between blank lines
    opens[1:] &= blank[:-1]
    block = np.cumsum(opens) - 1
    where = np.flatnonzero(word)  # the line of each word line
    columns = _columns(path, list(compress(lines, word.tolist())), where, first)
    # multiword tokens (2-3) and empty nodes (8.1): set apart, the first kept
    spans: dict = {}
    special = pc.match_substring_regex(columns[0], "[-.]")
    if pc.any(special).as_py():
        special = special.to_numpy(zero_copy_only=False)
        at = np.flatnonzero(special)
        for j, word_id, form, misc, b in zip(
                (first + where[at]).tolist(), columns[0].take(at).to_pylist(),
                columns[1].take(at).to_pylist(), columns[9].take(at).to_pylist(),
                block[where[at]].tolist(), strict=True):
            word_id = word_id.strip()
            low, dash, high = word_id.partition("-")
            if dash and _id(low) and _id(high) and low != "0" and int(high) >= int(low):
                spans[b, int(low)] = (int(high), form, misc)
                continue
            whole, dot, part = word_id.partition(".")
            if not (dot and _id(whole) and _id(part) and part != "0"):
                raise _bad(path, j, f"not CoNLL-U (word id {word_id!r})")
        keep = ~special
        columns = [column.filter(keep) for column in columns]
        where = where[keep]
    m = len(where)
    if m == 0:
        return [], len(text), n
    # sentences: the blocks with words
    word_block = block[where]
    starts_sentence = np.ones(m, bool)
    starts_sentence[1:] = word_block[1:] != word_block[:-1]
    sentence_first = np.flatnonzero(starts_sentence)  # each sentence's first word
    sentence_block = word_block[sentence_first]
    sentence_line = np.flatnonzero(opens)[sentence_block]  # each sentence's first line
    count = len(sentence_first)
    # the comments naming documents, paragraphs and variables, by sentence
    metas: dict[int, dict] = {}
    at = np.flatnonzero(comment)
    read = [k for k, line in enumerate(compress(lines, comment.tolist()))
            if "new" in line or "meta::" in line]
    for i, b in zip(at[read].tolist(), block[at[read]].tolist(), strict=True):
        _comment(lines[i].strip(), metas.setdefault(b, {}))
    by_sentence = {0: {}}
    if metas:
        blocks = np.fromiter(metas, np.int64, len(metas))
        found = np.minimum(np.searchsorted(sentence_block, blocks), count - 1)
        with_words = sentence_block[found] == blocks  # a block of comments alone: not read
        for b, s in zip(blocks[with_words].tolist(), found[with_words].tolist(), strict=True):
            by_sentence[s] = metas[b]
    documents, doc_first = [], []
    paragraph = np.zeros(count + 1, bool)  # sentences that start a paragraph (and the end)
    paragraph[count] = True
    stem = _stem(path)
    for s in sorted(by_sentence):
        meta = by_sentence[s]
        if "newdoc id" in meta or "newdoc" in meta or s == 0:
            k = before + len(documents)
            doc_id = (meta.get("newdoc id") or "").strip() or (stem if k == 0 else
                                                              f"{stem}-{k + 1}")
            variables = {}
            for key, value in meta.items():
                if key.startswith("newdoc ") and key != "newdoc id":
                    variables[key[len("newdoc "):].strip()] = (value or "").strip()
                elif key.startswith("meta::"):
                    variables[key[len("meta::"):].strip()] = (value or "").strip()
            documents.append([doc_id, first + int(sentence_line[s]), variables])
            doc_first.append(s)
            paragraph[s] = True
        if "newpar" in meta or "newpar id" in meta:
            paragraph[s] = True
    used, used_lines = len(text), n
    if not last:  # the last document is left for the next part
        if len(documents) < 2:
            return None
        documents.pop()
        count = doc_first.pop()
        used_lines = int(sentence_line[count])
        used = sum(map(len, lines[:used_lines])) + used_lines
        m = int(sentence_first[count])
        columns = [column.slice(0, m) for column in columns]
        where, sentence_first = where[:m], sentence_first[:count]
        sentence_block = sentence_block[:count]
        paragraph = np.append(paragraph[:count], True)
    sizes = np.diff(np.append(sentence_first, m))
    # ids and heads, every sentence at once
    ids, heads = columns[0], columns[6]
    head = None
    if pc.all(pc.match_substring_regex(ids, _ID)).as_py() and \
            pc.all(pc.match_substring_regex(heads, _HEAD)).as_py() and \
            (pc.cast(ids, pa.int64()).to_numpy() == np.arange(1, m + 1) - np.repeat(
                sentence_first, sizes)).all():
        head = pc.cast(heads, pa.int64()).to_numpy()
        if (head > np.repeat(sizes, sizes)).any():  # the sentence's check names it
            head = None
    if head is None:
        head = _checked(path, ids.to_pylist(), heads.to_pylist(), sizes, sentence_first,
                        where + first)
    # the text: each word's piece and what follows it
    forms, misc = columns[1].to_pylist(), columns[9]
    pieces = forms
    separator = np.ones(m, np.int8)
    at = np.flatnonzero(pc.match_substring(misc, "SpaceAfter=No").to_numpy(
        zero_copy_only=False))
    separator[at[_no_space(misc.take(at).to_pylist())]] = 0
    if spans:
        pieces = list(forms)
        _multiword(spans, sentence_block, sentence_first, sizes, forms, pieces, separator)
    last_word = sentence_first + sizes - 1
    starts_doc = np.zeros(count + 1, bool)
    starts_doc[doc_first] = True
    starts_doc[count] = True
    separator[last_word] = np.where(starts_doc[1:], 0, np.where(paragraph[1:count + 1], 2, 1))
    width = np.fromiter(map(len, pieces), np.int64, m)
    step = width + (separator > 0)
    start = np.cumsum(step) - step
    parts = [""] * (2 * m)
    parts[0::2] = pieces
    parts[1::2] = _SEPARATORS[separator].tolist()
    whole = "".join(parts)  # the texts of the part's documents, one after the other
    del parts
    bounds = np.append(sentence_first[doc_first], m)  # each document's words
    of_doc = np.repeat(np.arange(len(doc_first)), np.diff(bounds))
    chars = np.append(start[bounds[:-1]], len(whole)).tolist()
    start -= start[bounds[:-1]][of_doc]
    end = start + width
    # the layers, interned once for the part
    form_values, form_codes, _ = _interned(columns[1], None)
    lemma_values, lemma_codes, ordered = _interned(columns[2], None)
    if "_" in lemma_values:  # "_" is no lemma, except of the form "_"
        blank_lemma = lemma_codes == lemma_values.index("_")
        if "_" in form_values:
            blank_lemma &= form_codes != form_values.index("_")
        if "" not in lemma_values:
            lemma_values.append("")
        lemma_codes[blank_lemma] = lemma_values.index("")
        ordered = False
    coded = {"form": (form_values, form_codes, True),
             "lemma": (lemma_values, lemma_codes, ordered)}
    for name, k in (("upos", 3), ("xpos", 4), ("feats", 5), ("deprel", 7)):
        coded[name] = _interned(columns[k], "_")
    if pc.any(pc.match_substring(misc, "NE")).as_py():  # NER and NE both hold it
        entities = _entities(misc.to_pylist(), bounds[:-1].tolist())
        if entities is not None:
            coded["ent"], coded["ent_iob"] = (_interned(pa.array(e, pa.string()), None)
                                              for e in entities)
    del columns
    forms_coded = _per_document(*coded.pop("form"), of_doc, bounds)
    names = list(coded)
    layers = zip(*(_per_document(*layer, of_doc, bounds) for layer in coded.values()),
                 strict=True)
    words = bounds.tolist()
    sentences = np.append(doc_first, count).tolist()
    sizes, head = sizes.astype(np.int32), head.astype(np.int32)
    result, new = [], object.__new__
    for d, ((doc_id, line, variables), form, layer) in enumerate(
            zip(documents, forms_coded, layers, strict=True)):
        a, b = words[d], words[d + 1]
        tokens = new(Tokens)  # what Tokens(...) sets, set at once
        tokens.__dict__.update(starts=start[a:b], ends=end[a:b],
                               sentences=sizes[sentences[d]:sentences[d + 1]], forms=form,
                               layers=dict(zip(names, layer, strict=True)), head=head[a:b])
        result.append((doc_id, line, variables, whole[chars[d]:chars[d + 1]], tokens))
    return result, used, used_lines


def _columns(path: Path, rows: list[str], where: np.ndarray, first: int) -> list:
    """The ten columns of a part's word lines (``where``: their lines in the part), each a
    pyarrow string array; read by pyarrow's CSV reader in one go, or, where it cannot read
    them (a carriage return, which it takes for a line end; a line without 10 columns),
    split in Python, which names the line without 10 columns."""
    if rows and "\r" not in (body := "\n".join(rows)):
        try:
            table = pa_csv.read_csv(pa.BufferReader(body.encode("utf-8")), read_options=_READ,
                                    parse_options=_PARSE, convert_options=_CONVERT)
        except pa.ArrowInvalid:
            table = None
        if table is not None and table.num_rows == len(rows) and table.num_columns == 10:
            return [column.combine_chunks() for column in table.columns]
    fields = "\t".join(rows).split("\t") if rows else []
    if len(fields) != 10 * len(rows):
        tabs = np.fromiter(map(_TABS, rows), np.int64, len(rows))
        j = int(np.flatnonzero(tabs != 9)[0])
        raise _bad(path, first + int(where[j]), f"{tabs[j] + 1} columns, not the 10 "
                                                "tab-separated columns of CoNLL-U")
    return [pa.array(fields[k::10], pa.string()) for k in range(10)]


def _multiword(spans: dict, sentence_block, sentence_first, sizes, forms: list[str],
               pieces: list[str], separator) -> None:
    """The pieces of text of multiword tokens (``spans``: ``(block, first id) -> (last id,
    form, misc)``): where its words spell the token's form each is its own part of it, else
    the first word spans the whole token and the others are empty at its end; no space
    between its words, and after it as the token's MISC says."""
    reach = (-1, 0)  # the sentence and word id a multiword token covers up to
    for (b, low), (high, form, misc) in sorted(spans.items()):
        s = int(np.searchsorted(sentence_block, b))
        if s >= len(sentence_block) or sentence_block[s] != b:
            continue
        size = int(sizes[s])
        if low > size or (s, low) <= reach:  # past the sentence, or inside a token before
            continue
        high = min(high, size)
        reach = (s, high)
        w0, w1 = int(sentence_first[s]) + low - 1, int(sentence_first[s]) + high - 1
        if "".join(forms[w0:w1 + 1]) != form:
            pieces[w0] = form
            pieces[w0 + 1:w1 + 1] = [""] * (w1 - w0)
        separator[w0:w1] = 0
        separator[w1] = 0 if _no_space([misc]) else 1


def _stem(path: Path) -> str:
    return metadata_path(path).name[:-len(".metadata.csv")]


def _head(path: Path, line: int, text: str, size: int) -> int:
    """The head of a word: an integer from 0 (the root) to the sentence's words; ``_``
    is 0."""
    if _id(text):
        head = int(text)
    elif text == "_":
        head = 0
    elif text[:1] == "-" and _id(text[1:]) and text != "-0":
        head = int(text)
    else:
        raise _bad(path, line, f"not CoNLL-U (head {text!r} is not an integer)")
    if head > size or head < 0:
        raise _bad(path, line, f"head {head} points outside its sentence of {size} words")
    return head


def _checked(path: Path, ids: list[str], heads: list[str], sizes, sentence_first,
             line_of) -> np.ndarray:
    """The heads of a part's words, its ids and heads checked a sentence at a time (an
    error names the word's line, ``line_of`` the line of each word)."""
    result = np.empty(len(ids), np.int64)
    for a, size in zip(sentence_first.tolist(), sizes.tolist(), strict=True):
        written = ids[a:a + size]
        if written != _numbers(size):
            for k, word_id in enumerate(written):
                if word_id.strip() != str(k + 1):
                    line = int(line_of[a + k])
                    if not _id(word_id.strip()):
                        raise _bad(path, line, f"not CoNLL-U (word id {word_id.strip()!r})")
                    raise _bad(path, line, f"word id {int(word_id)}, expected {k + 1}")
        for k in range(size):
            result[a + k] = _head(path, int(line_of[a + k]), heads[a + k], size)
    return result


def _entities(misc: list[str], doc_starts: list[int]) -> tuple[list[str], list[str]] | None:
    """The ``ent`` and ``ent_iob`` layers of a part's words (a bare type is ``B`` or ``I``
    from the word before it in its document), None if none is tagged."""
    kinds, iobs, tagged = [], [], False
    previous_type = ""
    starts = set(doc_starts)
    for j, value in enumerate(misc):
        if j in starts:
            previous_type = ""
        entity = _entity(value)
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


def _interned(values: pa.StringArray, blank: str | None) -> tuple[list, np.ndarray, bool]:
    """The distinct values of a column, in order of first appearance, and each word's index
    into them (pyarrow's dictionary encoding); ``blank`` (CoNLL-U's ``_``, no value) is
    ``""``. Last, whether every value is used, in order of first appearance (not so where
    ``_`` and ``""`` were both found and made one)."""
    encoded = values.dictionary_encode()
    vocabulary = encoded.dictionary.to_pylist()
    codes = encoded.indices.to_numpy().astype(np.int64)
    ordered = True
    if blank is not None and blank in vocabulary:
        if "" in vocabulary:  # both: one value
            codes[codes == vocabulary.index(blank)] = vocabulary.index("")
            ordered = False
        else:
            vocabulary[vocabulary.index(blank)] = ""
    return vocabulary, codes, ordered


def _per_document(vocabulary: list[str], codes: np.ndarray, ordered: bool, of_doc: np.ndarray,
                  bounds: np.ndarray) -> list[tuple]:
    """A column interned for a part as each document's ``(values, ids)``
    (:class:`~analysis.readers.Tokens`): the values it uses, in order of first appearance,
    found for every document at once by interning the pairs (document, value)."""
    if len(bounds) == 2 and ordered:  # one document: its values are the part's
        return [(tuple(vocabulary), codes.astype(np.int32))]
    size = max(len(vocabulary), 1)
    # the pairs in order of first appearance: a document's after the one's before it
    inverse, pairs = pd.factorize(of_doc * size + codes)
    first = np.searchsorted(pairs // size, np.arange(len(bounds)))
    ids = (inverse - first[of_doc]).astype(np.int32)
    values = np.array(vocabulary, dtype=object)[pairs % size].tolist()
    return [(tuple(values[first[d]:first[d + 1]]), ids[bounds[d]:bounds[d + 1]])
            for d in range(len(bounds) - 1)]


def _finished(path: Path, documents: list[tuple]):
    """The :class:`~analysis.corpus.Document` of each document read, with the variables of
    the metadata file."""
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
        unknown = sorted(set(rows) - {doc[0] for doc in documents})
        if unknown:
            line = rows[unknown[0]][0]
            raise _corpus.CorpusError(f"{meta_path}: line {line}: no document {unknown[0]!r} "
                                      f"in {path.name}")
    seen: dict[str, int] = {}
    name = path.name
    tagged = any("ent" in doc[4].layers for doc in documents)
    for doc_id, line, variables, raw, tokens in documents:
        if doc_id in seen:
            raise _corpus.CorpusError(f"{path}: line {line}: document id {doc_id!r} given "
                                      f"twice (also line {seen[doc_id]})")
        seen[doc_id] = line
        variables = {**variables,
                     **{k: v for k, v in rows.get(doc_id, (0, {}))[1].items() if k != "id"}}
        _corpus.check_date(variables.get(_corpus.DATE_COLUMN, ""), f"{path}: line {line}")
        if tagged and "ent" not in tokens.layers:  # no entity here, some in others
            n = tokens.n
            tokens.layers["ent"] = (("",), np.zeros(n, np.int32))
            tokens.layers["ent_iob"] = (("O",), np.zeros(n, np.int32))
        yield _corpus.Document(doc_id, f"{name}#{doc_id}", raw,
                               MappingProxyType({**variables, "id": doc_id}), (), tokens)
