"""Lines that are not the text: repeated across documents, described by patterns, or headers.

A news-database export opens every article with the same few lines (outlet code, byline,
word count, date, copyright, language); a web scrape ends each page with the same links.
Such lines are found, removed, or read as document variables here:

- **Repeated lines** (:func:`repeated_lines`): every non-blank line is compared after
  :func:`normalise_line` (white space collapsed, curly quotes straightened) and counted once
  per document that holds it. A line in at least ``max(3, 0.5 % of the documents)``
  documents is listed with its number of documents and where it usually stands (its
  paragraph, counted from the start and from the end of the document).
- **Removal**: ``Corpus.with_cleaning(drop_repeated_lines=N)`` removes the lines found in at
  least ``N`` documents; ``drop_lines`` the lines that a pattern of a file
  (:func:`read_line_patterns`: one regular expression a line) matches whole.
- **Header fields** (:func:`with_header_fields`): a file of ``NAME<TAB>REGEX`` lines
  (:func:`read_header_fields`) reads, in the first lines of each document, the value of
  each field (the pattern's one group) into a document variable; the lines read are removed.

Removal is part of the audited cleaning (:func:`analysis.text.clean.clean`): the raw text is
kept, each line removed is logged with its position and reason (kind ``boilerplate`` or
``header``), and the options are part of the cache key (:attr:`Corpus.cleaning`).
:func:`with_line_rules` reads the files and sets all of it at once, for the command line,
the build and the notebooks.

Patterns are Python regular expressions (the ``regex`` module, which reads ``re``'s syntax),
matched against a whole line after :func:`normalise_line`, case-sensitive unless they say
``(?i)``. A pattern that does not compile, is longer than :data:`PATTERN_LENGTH`
characters or repeats more than ``{100}`` times is refused when the file is read; one that
runs longer than :data:`PATTERN_SECONDS` on a line is refused when the corpus is cleaned,
or before any notebook runs in a build (:func:`check_line_patterns`); each is one line
naming the file and its line (:class:`LinePatternError`).

Data flow: a :class:`~analysis.corpus.Corpus` in; the corpus with its cleaning options (and
header variables) out, which :mod:`analysis.text.process` passes to
:func:`analysis.text.clean.clean` (with the corpus's line counts for
``drop_repeated_lines``); :func:`repeated_lines` of the processed corpus goes to the noise
report (:func:`analysis.overview.suspected_noise`), notebook 01 and the ``lines`` command.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd

from analysis.corpus import DATE_COLUMN, Corpus, is_date
from analysis.lexicons import read_lines
from analysis.params import MAX_ROWS, Interval, constrained

__all__ = ["LinePatternError", "check_line_patterns", "header_matches", "line_removals",
           "normalise_line", "read_header_fields", "read_line_patterns", "repeated_line_counts",
           "repeated_line_rows", "repeated_lines", "threshold", "with_header_fields",
           "with_line_rules"]

#: Fewest documents a line must be in to be listed as repeated, and the least share of the
#: corpus's documents (the larger of the two counts).
MIN_DOCUMENTS = 3
MIN_SHARE = 0.005
#: Seconds a pattern may take on one line; longest pattern; largest counted repetition.
PATTERN_SECONDS = 1.0
PATTERN_LENGTH = 500
PATTERN_REPEAT = 100
#: Non-blank lines at the start of a document where header fields are looked for.
HEADER_LINES = 10
#: Forms of a ``date`` header field besides ``YYYY[-MM[-DD]]``, read in this order (English
#: month names; ``%B`` January, ``%b`` Jan).
DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%b %d %Y",
                "%d %B, %Y", "%A, %d %B %Y", "%A, %B %d, %Y")
#: Names a header field cannot take (the corpus's own columns).
RESERVED_FIELDS = frozenset({"id", "file"})

# What cleaning changes inside a line (curly quotes, a byte-order mark), replaced only where
# present: str.translate costs more than the rest of the comparison together.
_QUOTES = (("\u2018", "'"), ("\u2019", "'"), ("\u02bc", "'"), ("\u201c", '"'),
           ("\u201d", '"'), ("\ufeff", ""))


class LinePatternError(ValueError):
    """A pattern of a line-pattern or header-field file that cannot be used; the message is
    one line naming the file and its line."""


def normalise_line(line: str) -> str:
    """A line as lines are compared: white space collapsed and stripped, curly quotes
    straight (as cleaning makes them), a byte-order mark dropped.

    Examples
    --------
    >>> normalise_line("  Copyright\\u00a0 2020  \\u2018The Times\\u2019\\r")
    "Copyright 2020 'The Times'"
    """
    if not line.isascii():
        for quote, straight in _QUOTES:
            if quote in line:
                line = line.replace(quote, straight)
    line = line.strip()
    # Every white-space character but the space is unprintable (a control character or a
    # Unicode separator), so a printable line without two spaces in a row is normal already:
    # two fast scans spare most lines the split and join.
    if line.isprintable() and "  " not in line:
        return line
    return " ".join(line.split())


# --------------------------------------------------------------------------- repeated lines


def threshold(n_docs: int) -> int:
    """Fewest documents a line is listed in: ``max(MIN_DOCUMENTS, ceil(MIN_SHARE * n))``.

    Examples
    --------
    >>> threshold(10), threshold(4080), threshold(13986)
    (3, 21, 70)
    """
    return max(MIN_DOCUMENTS, math.ceil(MIN_SHARE * n_docs - 1e-9))


def _raw_lines(corpus: Corpus):
    """(document index, paragraph number, line, -1) of every non-blank raw line."""
    for d, doc in enumerate(corpus):
        number = 0
        for line in doc.raw.split("\n"):
            line = normalise_line(line)
            if line:
                number += 1
                yield d, number, line, -1


def _count(rows, n_docs: int, min_documents: int) -> pd.DataFrame:
    """Lines of ``rows`` ((document index, paragraph number, normalised line, reference),
    documents in order) in at least ``min_documents`` documents: each line's documents,
    median paragraph from the start and from the end, and the document, paragraph and
    reference (a paragraph row) of its first place."""
    ids: dict[str, int] = {}
    doc_of, number_of, line_of, ref_of = [], [], [], []
    seen_in: list[int] = []  # the last document each line id was seen in
    for d, number, line, ref in rows:
        k = ids.setdefault(line, len(ids))
        if k == len(seen_in):
            seen_in.append(-1)
        if seen_in[k] == d:
            continue  # a line counts once per document, at its first place
        seen_in[k] = d
        doc_of.append(d)
        number_of.append(number)
        line_of.append(k)
        ref_of.append(ref)
    columns = ["line", "documents", "paragraph", "from_end", "doc_index", "first_paragraph",
               "ref"]
    if not ids:
        return pd.DataFrame(columns=columns)
    doc_of = np.asarray(doc_of, dtype=np.int64)
    number_of = np.asarray(number_of, dtype=np.int64)
    line_of = np.asarray(line_of, dtype=np.int64)
    counts = np.bincount(line_of, minlength=len(ids))
    if not (counts >= min_documents).any():
        return pd.DataFrame(columns=columns)
    # Paragraphs per document, for the place counted from the end (1 = the last).
    last = np.zeros(n_docs, dtype=np.int64)
    np.maximum.at(last, doc_of, number_of)
    kept = counts[line_of] >= min_documents
    table = pd.DataFrame({"id": line_of[kept], "doc_index": doc_of[kept],
                          "paragraph": number_of[kept],
                          "ref": np.asarray(ref_of, dtype=np.int64)[kept]})
    table["from_end"] = last[table["doc_index"].to_numpy()] - table["paragraph"] + 1
    grouped = table.groupby("id", sort=True)
    out = pd.DataFrame({
        "documents": grouped.size(),
        "paragraph": grouped["paragraph"].median().round().astype(np.int64),
        "from_end": grouped["from_end"].median().round().astype(np.int64),
        "doc_index": grouped["doc_index"].first(),
        "first_paragraph": grouped["paragraph"].first(),
        "ref": grouped["ref"].first(),
    })
    names = np.asarray(list(ids), dtype=object)
    out.insert(0, "line", names[out.index.to_numpy()])
    out = out.sort_values(["documents", "paragraph", "line"], ascending=[False, True, True],
                          kind="mergesort")
    return out[columns].reset_index(drop=True)


@constrained(min_documents=[Interval(1, MAX_ROWS), None])
def repeated_lines(source, min_documents: int | None = None) -> pd.DataFrame:
    """Lines repeated across documents, with how many documents hold them and where.

    Every non-blank line is compared after :func:`normalise_line` and counted once per
    document (a dictionary of lines, then counts of line ids with numpy), so a corpus of
    ten million words takes about a second.

    Parameters
    ----------
    source : Corpus or Processed
        A :class:`~analysis.corpus.Corpus` (its raw texts) or the
        :class:`~analysis.text.process.Processed` bundle (its cleaned paragraphs: what is
        left after cleaning, :func:`analysis.text.clean.clean`).
    min_documents : int, optional
        Fewest documents a line must be in; default :func:`threshold` of the corpus size.

    Returns
    -------
    DataFrame
        ``line, documents, share, paragraph, from_end``: the line, the documents holding it
        and their share of the corpus, and its median paragraph counted from the start and
        from the end of a document (1 = the first and the last non-blank line). Most
        documents first, then by paragraph and line.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Document
    >>> header = "DAWN\\nBy Staff Reporter\\n"
    >>> docs = [Document(f"d{i}", f"d{i}.txt", header + f"Story {i}.\\nThe end.")
    ...         for i in range(4)]
    >>> repeated_lines(Corpus(tuple(docs)))  # doctest: +NORMALIZE_WHITESPACE
                    line  documents  share  paragraph  from_end
    0               DAWN          4    1.0          1         4
    1  By Staff Reporter          4    1.0          2         3
    2           The end.          4    1.0          4         1
    """
    if isinstance(source, Corpus):
        n_docs, rows = len(source), _raw_lines(source)
    else:
        n_docs, rows = len(source.corpus), _paragraph_lines(source)
    table = _count(rows, n_docs, threshold(n_docs) if min_documents is None else min_documents)
    table.insert(2, "share", (table["documents"] / max(n_docs, 1)).astype(float).round(4))
    return table[["line", "documents", "share", "paragraph", "from_end"]]


def _paragraph_lines(processed):
    """(document index, paragraph number, line, paragraph row) of the cleaned paragraphs."""
    c = processed.columns
    texts = processed.texts
    ids = processed.corpus.ids
    numbers = c.para_number.tolist()
    starts, ends = c.para_start.tolist(), c.para_end.tolist()
    for row, d in enumerate(c.para_doc.tolist()):
        line = normalise_line(texts[ids[d]][starts[row]:ends[row]])
        if line:
            yield d, numbers[row], line, row


def repeated_line_rows(processed, min_documents: int | None = None) -> pd.DataFrame:
    """Each repeated line of the cleaned text (:func:`repeated_lines` of ``processed``) at
    its first place: ``doc, paragraph, position, text, documents, typical`` (the first
    document holding it, its paragraph and offset there, the line as written, the documents
    holding it and its median paragraph). For the noise report
    (:func:`analysis.overview.suspected_noise`).

    Examples
    --------
    >>> from analysis.corpus import Corpus, Document
    >>> from analysis.text.process import compute
    >>> docs = [Document(f"d{i}", f"d{i}.txt", f"Story {i}.\\nAll  rights reserved.")
    ...         for i in range(3)]
    >>> repeated_line_rows(compute(Corpus(tuple(docs)))).values.tolist()
    [['d0', 2, 9, 'All rights reserved.', 3, 2]]
    """
    n_docs = len(processed.corpus)
    table = _count(_paragraph_lines(processed), n_docs,
                   threshold(n_docs) if min_documents is None else min_documents)
    c = processed.columns
    ids = processed.corpus.ids  # a list made on each call
    rows = []
    for line in table.itertuples(index=False):
        doc = ids[line.doc_index]
        start, end = int(c.para_start[line.ref]), int(c.para_end[line.ref])
        rows.append({"doc": doc, "paragraph": int(line.first_paragraph), "position": start,
                     "text": processed.texts[doc][start:end], "documents": int(line.documents),
                     "typical": int(line.paragraph)})
    return pd.DataFrame(rows, columns=["doc", "paragraph", "position", "text", "documents",
                                       "typical"])


def repeated_line_counts(corpus: Corpus, min_documents: int) -> dict[str, int]:
    """The normalised raw lines in at least ``min_documents`` documents, with how many:
    what ``drop_repeated_lines`` removes (:func:`analysis.text.clean.clean`).

    Examples
    --------
    >>> from analysis.corpus import Corpus, Document
    >>> docs = [Document(f"d{i}", f"d{i}.txt", "Reuters\\n" * (i + 1) + "Text.") for i in range(3)]
    >>> repeated_line_counts(Corpus(tuple(docs)), 2)
    {'Reuters': 3, 'Text.': 3}
    """
    table = _count(_raw_lines(corpus), len(corpus), max(int(min_documents), 1))
    return dict(zip(table["line"], table["documents"].astype(int), strict=True))


# --------------------------------------------------------------------------- pattern files


def _read_lines(path) -> list[tuple[int, str]]:
    """:func:`analysis.lexicons.read_lines`, its refusals as :class:`LinePatternError`."""
    try:
        return read_lines(path)
    except ValueError as err:
        raise LinePatternError(str(err)) from None


def _compiled_or_error(pattern: str, where: str, groups: int | None = None):
    """The pattern compiled (``regex``), or :class:`LinePatternError` naming ``where``."""
    import regex

    # Compiling is not under the time limit: (?:a{10000}){10000} would fill the memory first.
    if len(pattern) > PATTERN_LENGTH or any(
            int(n) > PATTERN_REPEAT for n in re.findall(r"\{\s*(\d+)", pattern)):
        raise LinePatternError(f"{where}: pattern {pattern[:40]!r}: at most {PATTERN_LENGTH} "
                               f"characters and counted repetitions up to {{{PATTERN_REPEAT}}}")
    try:
        compiled = regex.compile(pattern, regex.VERSION0)
    except (regex.error, ValueError, OverflowError, RecursionError) as err:
        raise LinePatternError(f"{where}: pattern {pattern[:60]!r} does not compile "
                               f"({' '.join(str(err).split())})") from None
    if groups is not None and compiled.groups != groups:
        raise LinePatternError(f"{where}: pattern {pattern[:60]!r} has {compiled.groups} "
                               f"groups, expected {groups} (the field's value)")
    return compiled


def read_line_patterns(path) -> tuple[tuple[str, int, str], ...]:
    """Read a file of line patterns: one regular expression a line; a line of the corpus
    that one of them matches whole (after :func:`normalise_line`) is removed.

    Blank lines and lines starting with ``#`` are skipped; a pattern keeps its spaces
    except at the ends of its line.

    Returns
    -------
    tuple of (str, int, str)
        ``(file, line number, pattern)`` per pattern: the value of the cleaning option
        ``drop_lines``.

    Raises
    ------
    LinePatternError
        One line naming the file (and line): unreadable, not UTF-8, or a pattern that does
        not compile or is too large (module docstring).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "lines.txt"
    ...     _ = path.write_text("# copyright lines\\nCopyright .*\\n\\n(?i)load-date: .*\\n")
    ...     patterns = read_line_patterns(path)
    >>> [(line, pattern) for _, line, pattern in patterns]
    [(2, 'Copyright .*'), (4, '(?i)load-date: .*')]
    """
    patterns = []
    for number, line in _read_lines(path):
        pattern = line.strip()
        _compiled_or_error(pattern, f"{path}: line {number}")
        patterns.append((str(path), number, pattern))
    return tuple(patterns)


def read_header_fields(path) -> tuple[tuple[str, int, str, str], ...]:
    """Read a file of header fields: ``NAME<TAB>REGEX`` a line, the pattern with one group
    (the value); blank lines and lines starting with ``#`` are skipped.

    Returns
    -------
    tuple of (str, int, str, str)
        ``(file, line number, name, pattern)`` per field: the value of the cleaning option
        ``header_fields``.

    Raises
    ------
    LinePatternError
        One line naming the file and line: no tab, an empty or reserved name, a name given
        twice, a pattern that does not compile or has not exactly one group.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "header.tsv"
    ...     _ = path.write_text("outlet\\tSource: (.+)\\nwords\\t([0-9,]+) words\\n")
    ...     fields = read_header_fields(path)
    >>> [(name, pattern) for _, _, name, pattern in fields]
    [('outlet', 'Source: (.+)'), ('words', '([0-9,]+) words')]
    """
    fields, names = [], set()
    for number, line in _read_lines(path):
        where = f"{path}: line {number}"
        name, tab, pattern = line.partition("\t")
        name = name.strip()
        if not tab:
            raise LinePatternError(f"{where}: expected NAME<TAB>REGEX (no tab)")
        if not name or name in RESERVED_FIELDS or "," in name:
            reserved = ", ".join(sorted(RESERVED_FIELDS))
            raise LinePatternError(f"{where}: field name {name!r}: expected a column name "
                                   f"(not empty, no comma, not {reserved})")
        if name in names:
            raise LinePatternError(f"{where}: field {name!r} is named twice")
        names.add(name)
        pattern = pattern.strip()
        _compiled_or_error(pattern, where, groups=1)
        fields.append((str(path), number, name, pattern))
    return tuple(fields)


@lru_cache(maxsize=256)
def _compiled(pattern: str):
    import regex

    return regex.compile(pattern, regex.VERSION0)


def _fullmatch(entry: tuple, line: str):
    """The whole-line match of a pattern entry ``(file, line, ..., pattern)``, under the time
    limit."""
    try:
        return _compiled(entry[-1]).fullmatch(line, timeout=PATTERN_SECONDS)
    except TimeoutError:
        raise LinePatternError(
            f"{entry[0]}: line {entry[1]}: pattern {entry[-1][:60]!r} ran longer than "
            f"{PATTERN_SECONDS:g} s on one line (nested repetition such as (a|aa)+ "
            "backtracks without end); simplify it") from None


def check_line_patterns(corpus: Corpus, patterns) -> int:
    """Run every pattern of ``patterns`` (:func:`read_line_patterns`) on every distinct
    non-blank line of the corpus's raw texts, as cleaning will, and return the lines they
    match: a pattern past its time limit is found before any work is done with the corpus
    (the build calls this before any notebook runs).

    Raises
    ------
    LinePatternError
        A pattern that runs longer than :data:`PATTERN_SECONDS` on a line.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Document
    >>> docs = [Document(f"d{i}", f"d{i}.txt", "Copyright 2020 X\\nText.") for i in range(3)]
    >>> check_line_patterns(Corpus(tuple(docs)), (("p.txt", 1, "Copyright .*"),))
    3
    """
    counts: dict[str, int] = {}
    for _, _, line, _ in _raw_lines(corpus):
        counts[line] = counts.get(line, 0) + 1
    return sum(count for line, count in counts.items()
               if any(_fullmatch(entry, line) is not None for entry in patterns))


# --------------------------------------------------------------------------- lines of a text


def _lines(raw: str):
    """(start, end, normalised line) of each non-blank line of a raw text; ``end`` takes the
    line's newline with it."""
    start = 0
    for line in raw.split("\n"):
        end = start + len(line)
        normal = normalise_line(line)
        if normal:
            yield start, min(end + 1, len(raw)), normal
        start = end + 1


def header_matches(raw: str, fields, lines: int = HEADER_LINES):
    """The header fields of one raw text: ``(start, end, name, value)`` per field found.

    Each field is looked for in the first ``lines`` non-blank lines, in order; the first
    line its pattern matches whole gives its value (the group, white space collapsed), and a
    line gives one field only (the first of the file that matches it).

    Examples
    --------
    >>> fields = (("h.tsv", 1, "outlet", "Source: (.+)"), ("h.tsv", 2, "words", "(\\\\d+) words"))
    >>> header_matches("Source:  The Times\\n512 words\\nText.", fields)
    [(0, 19, 'outlet', 'The Times'), (19, 29, 'words', '512')]
    """
    found, wanted = [], list(fields)
    for index, (start, end, line) in enumerate(_lines(raw)):
        if index >= lines or not wanted:
            break
        for field in wanted:
            match = _fullmatch(field, line)
            if match is not None:
                found.append((start, end, field[2], " ".join((match.group(1) or "").split())))
                wanted.remove(field)
                break
    return found


def line_removals(raw: str, repeated=None, drop_repeated_lines: int = 0, drop_lines=(),
                  header_fields=(), header_lines: int = HEADER_LINES):
    """The lines cleaning removes from one raw text: ``(start, end, kind, reason)`` each.

    Header fields first (kind ``header``), then repeated lines (``repeated``: normalised
    line -> documents, :func:`repeated_line_counts`) and lines a pattern of ``drop_lines``
    matches (both kind ``boilerplate``).

    Examples
    --------
    >>> raw = "DAWN\\nCopyright 2020\\nText.\\n"
    >>> line_removals(raw, {"DAWN": 40}, 30, (("p.txt", 3, "Copyright .*"),))
    ... # doctest: +NORMALIZE_WHITESPACE
    [(0, 5, 'boilerplate', 'repeated line: in 40 documents (at least 30)'),
     (5, 20, 'boilerplate', 'line pattern of p.txt, line 3')]
    """
    removed = []
    taken = set()
    if header_fields:
        for start, end, name, _ in header_matches(raw, header_fields, header_lines):
            removed.append((start, end, "header", f"header field {name} (a document variable)"))
            taken.add(start)
    if repeated or drop_lines:
        for start, end, line in _lines(raw):
            if start in taken:
                continue
            documents = repeated.get(line) if repeated else None
            if documents is not None:
                removed.append((start, end, "boilerplate", f"repeated line: in {documents:,} "
                                f"documents (at least {drop_repeated_lines:,})"))
                continue
            for entry in drop_lines:
                if _fullmatch(entry, line) is not None:
                    removed.append((start, end, "boilerplate",
                                    f"line pattern of {entry[0]}, line {entry[1]}"))
                    break
    return sorted(removed)


# --------------------------------------------------------------------------- header fields


_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


def _typed(name: str, value: str, where: str, doc: str) -> str:
    """A header value as a document variable: a date as ``YYYY-MM-DD`` (``date``), a number
    without thousands separators, anything else as found."""
    if name == DATE_COLUMN:
        if is_date(value):
            return value
        for form in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(value, form).date().isoformat()
            except ValueError:
                continue
        raise LinePatternError(f"{where}: the date {value[:40]!r} of document {doc!r} is not "
                               "YYYY-MM-DD, 5 January 2020 or January 5, 2020")
    if _THOUSANDS.fullmatch(value):
        return value.replace(",", "")
    return value


def with_header_fields(corpus: Corpus, fields, lines: int = HEADER_LINES) -> Corpus:
    """The corpus with the header fields of each document as document variables, and the
    cleaning set to remove the lines they were read from (logged as kind ``header``).

    Parameters
    ----------
    corpus : Corpus
        The loaded corpus; it is not modified.
    fields : tuple
        :func:`read_header_fields` of a file.
    lines : int, default HEADER_LINES
        The non-blank lines at the start of each document where fields are looked for.

    Returns
    -------
    Corpus
        Each document's metadata with the fields found in it (a field not found is missing
        for that document). A field named ``date`` becomes ``YYYY-MM-DD`` (from the forms of
        :data:`DATE_FORMATS`); a number loses its thousands separators (``1,204`` ->
        ``1204``), so that :mod:`analysis.units` types it as a number.

    Raises
    ------
    LinePatternError
        A field named like a column the corpus has already, a date in no known form, a
        pattern past its time limit: one line naming the file and line.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Document
    >>> text = "THE TIMES\\n5 January 2020\\n1,204 words\\nThe story."
    >>> fields = (("h.tsv", 1, "outlet", "(THE TIMES|DAWN)"), ("h.tsv", 2, "date", "(.+ 20..)"),
    ...           ("h.tsv", 3, "words", "([0-9,]+) words"))
    >>> corpus = with_header_fields(Corpus((Document("a", "a.txt", text),)), fields)
    >>> dict(corpus["a"].metadata)
    {'outlet': 'THE TIMES', 'date': '2020-01-05', 'words': '1204'}
    """
    if not fields:
        return corpus
    existing = {k for doc in corpus for k in doc.metadata if k not in ("id", "file")}
    for source, number, name, _ in fields:
        if name in existing:
            raise LinePatternError(f"{source}: line {number}: field {name!r} is a column of "
                                   "the corpus already; name the field otherwise")
    where = {name: f"{source}: line {number}" for source, number, name, _ in fields}
    documents = []
    for doc in corpus:
        found = header_matches(doc.raw, fields, lines)
        if not found:
            documents.append(doc)
            continue
        metadata = dict(doc.metadata)
        for _, _, name, value in found:
            if value:
                metadata[name] = _typed(name, value, where[name], doc.id)
        documents.append(replace(doc, metadata=MappingProxyType(metadata)))
    corpus = replace(corpus, documents=tuple(documents))
    return corpus.with_cleaning(header_fields=tuple(fields), header_lines=int(lines))


@constrained(drop_repeated_lines=[Interval(1, MAX_ROWS), None],
             header_lines=Interval(1, MAX_ROWS))
def with_line_rules(corpus: Corpus, drop_repeated_lines: int | None = None,
                    drop_lines=None, header_fields=None,
                    header_lines: int = HEADER_LINES) -> Corpus:
    """The corpus with its boilerplate lines to be removed and its header fields read: what
    the options ``--drop-repeated-lines``, ``--drop-lines``, ``--header-fields`` and
    ``--header-lines`` of the command line (and the build's parameters of those names) set.

    Parameters
    ----------
    corpus : Corpus
        The loaded corpus; it is not modified.
    drop_repeated_lines : int, optional
        Remove the lines found in at least this many documents (from 1); None: none.
    drop_lines : str or path-like, optional
        A file of line patterns (:func:`read_line_patterns`).
    header_fields : str or path-like, optional
        A file of header fields (:func:`read_header_fields`, :func:`with_header_fields`).
    header_lines : int, default HEADER_LINES
        Where header fields are looked for: the first non-blank lines of each document.

    Raises
    ------
    LinePatternError
        A file that cannot be read or a pattern that cannot be used (one line naming the
        file and line).
    analysis.params.ParameterError
        A count that is not a whole number from 1.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> with_line_rules(load_corpus(), drop_repeated_lines=2).cleaning
    (('drop_repeated_lines', 2),)
    """
    if header_fields is not None:
        corpus = with_header_fields(corpus, read_header_fields(header_fields), header_lines)
    if drop_lines is not None:
        corpus = corpus.with_cleaning(drop_lines=read_line_patterns(drop_lines))
    if drop_repeated_lines:
        corpus = corpus.with_cleaning(drop_repeated_lines=drop_repeated_lines)
    return corpus
