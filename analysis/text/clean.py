"""Cleaning with an audit trail: broken encodings, reviewed corrections, generic normalization.

Every change is logged with its offset into the raw text, its kind and its reason, so an
analyst can see what was changed and why; the raw text of a document is never modified.

Whole lines that are not the text are removed first where the cleaning options ask
(:mod:`analysis.text.boilerplate`: lines repeated across documents, lines a pattern file
describes, header fields read into document variables), each logged as one change.

Broken encodings (mojibake: UTF-8 read as windows-1252 or latin-1, as ``â€™`` for ``’``)
are repaired with the ``ftfy`` library, run only on documents where its badness test finds
suspicious characters and there on each run of non-ASCII characters, so every repair is
logged with its position and the encodings ftfy undid (``fix_encoding=False`` keeps them).

Input: one :class:`~analysis.corpus.Document` and the reviewed corrections of
``lexicons/corrections.csv`` (read by :mod:`analysis.lexicons`); output: the cleaned text,
which :mod:`analysis.text.process` segments, and the log it keeps as
``Processed.cleaning_log``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.corpus import Document
from analysis.lexicons import read_lexicon
from analysis.text.boilerplate import HEADER_LINES, line_removals

__all__ = ["broken_encodings", "clean", "decomposed", "may_hold_mojibake"]

# Generic normalization applied to every document after the reviewed corrections: pattern,
# the characters without which it cannot match (to skip the scan), replacement, reason.
GENERIC_RULES = (
    ("\ufeff", ("\ufeff",), "", "remove byte-order mark"),
    ("\r\n", ("\r",), "\n", "normalize CRLF line ending"),
    ("\r", ("\r",), "\n", "normalize CR line ending"),
    ("(?<=\\S)[ \t\u00a0]{2,}(?=\\S)", ("  ", "\t", "\u00a0"), " ", "collapse repeated spaces"),
    ("\u00a0", ("\u00a0",), " ", "normalize non-breaking space"),
    ("[\u2018\u2019\u02bc]", ("\u2018", "\u2019", "\u02bc"), "'",
     "normalize curly apostrophe/single quote"),
    ("[\u201c\u201d]", ("\u201c", "\u201d"), '"', "normalize curly double quote"),
)


# A run of non-ASCII characters: where mojibake lies (the bytes of a UTF-8 sequence read as
# windows-1252 or latin-1 are all non-ASCII), and the unit ftfy repairs.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_GENERIC = tuple((re.compile(pattern), replacement)
                 for pattern, _, replacement, _ in GENERIC_RULES)


# Characters of context searched on each side of a run of non-ASCII characters by
# :func:`may_hold_mojibake`: a match of ftfy's badness expression has at most 2 ASCII characters
# on either side of its non-ASCII ones.
_BADNESS_CONTEXT = 16


def may_hold_mojibake(raw: str) -> bool:
    """Whether a text may hold mojibake: non-ASCII, and ftfy's badness test finds some.

    ftfy's test (``ftfy.badness.is_bad``) is one search of its expression ``BADNESS_RE``
    over the text, tried at every character. Each of that expression's alternatives holds a
    non-ASCII character and at most two ASCII characters on either side of it
    (``[a-z]\\s?[ÃÂ][ ]``, ``ГўВЂВ.[A-Za-z ]``), so every match lies within
    :data:`_BADNESS_CONTEXT` characters of a run of non-ASCII characters:
    the same expression is searched there alone, on the whole text (``pos`` and ``endpos``,
    so ``^`` still means the text's start), with the same answer. In English text, where
    non-ASCII characters are a few quotes and dashes, that is a small part of the text
    (tests/test_clean.py compares the two on texts with mojibake at every distance).

    Examples
    --------
    >>> may_hold_mojibake("It\u2019s fine."), may_hold_mojibake("It\u00e2\u20ac\u2122s broken.")
    (False, True)
    """
    if raw.isascii():
        return False
    from ftfy.badness import BADNESS_RE

    search, context = BADNESS_RE.search, _BADNESS_CONTEXT
    low = high = -1  # the window being gathered: runs closer than twice the context
    for match in _NON_ASCII_RUN.finditer(raw):
        start, end = match.span()
        if start - context > high:
            if high >= 0 and search(raw, low, high):
                return True
            low = max(start - context, 0)
        high = end + context
    return high >= 0 and search(raw, low, high) is not None


def _repair(run: str) -> tuple[str, str] | None:
    """A run of non-ASCII characters repaired by ftfy, and the reason; None if it is right.

    The repair is then normalized as the rest of the text is (:data:`GENERIC_RULES`: a
    repaired ``’`` becomes ``'``).

    Examples
    --------
    >>> _repair("â€™")
    ("'", 'repair broken encoding with ftfy (UTF-8 read as sloppy-windows-1252)')
    >>> _repair("ü") is None
    True
    """
    from ftfy import fix_encoding_and_explain

    fixed, steps = fix_encoding_and_explain(run)
    if fixed == run:
        return None
    read_as = list(dict.fromkeys(name for step, name in steps if step == "encode"))
    for pattern, replacement in _GENERIC:
        fixed = pattern.sub(replacement, fixed)
    return fixed, f"repair broken encoding with ftfy (UTF-8 read as {' then '.join(read_as)})"


NFC_REASON = "compose decomposed characters (Unicode NFC)"


def decomposed(text: str) -> list[tuple[int, int, str]]:
    """The spans of a text that Unicode NFC composes: ``(start, end, composed)`` each.

    A letter written with a combining mark (``e`` + U+0301) is one character once composed
    (``é``): decomposed, it splits a word in two (``re``, ``sume``) and counts apart from its
    composed form. NFC changes only runs of non-ASCII characters and the character before
    each (every ASCII character is a normalization boundary, a starter that nothing
    before it composes with), so each such run, with the character before it, is composed on
    its own and kept where it changes.

    Examples
    --------
    >>> decomposed("Re\u0301sume\u0301 and caf\u00e9")
    [(1, 3, 'é'), (6, 8, 'é')]
    """
    import unicodedata

    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return []
    found = []
    for match in _NON_ASCII_RUN.finditer(text):
        start, end = max(match.start() - 1, 0), match.end()
        composed = unicodedata.normalize("NFC", text[start:end])
        if composed != text[start:end]:
            found.append((start, end, composed))
    return found


def broken_encodings(text: str) -> list[tuple[int, int, str, str]]:
    """The mojibake of a text that ftfy repairs: ``(start, end, repair, reason)`` per run.

    Only a text where ftfy's badness test finds suspicious characters is searched, run of
    non-ASCII characters by run (module docstring).

    Examples
    --------
    >>> broken_encodings("Itâ€™s in ZÃ¼rich, not Zürich.")
    ... # doctest: +NORMALIZE_WHITESPACE
    [(2, 5, "'", 'repair broken encoding with ftfy (UTF-8 read as sloppy-windows-1252)'),
     (11, 13, 'ü', 'repair broken encoding with ftfy (UTF-8 read as latin-1)')]
    """
    if not may_hold_mojibake(text):
        return []
    found = []
    for match in _NON_ASCII_RUN.finditer(text):
        repaired = _repair(match.group())
        if repaired is not None:
            found.append((*match.span(), *repaired))
    return found


@lru_cache(maxsize=1)
def _cleaning_rules() -> tuple[tuple[re.Pattern, tuple, str, str, str], ...]:
    rules = []
    for row in read_lexicon("corrections"):
        pattern = row["pattern"] if row["kind"] == "regex" else re.escape(row["pattern"])
        # The text must contain the needle for the rule to match, so a substring test can
        # skip the scan: the pattern of a literal rule, the optional needle of a regex rule.
        needle = row["pattern"] if row["kind"] == "literal" else row.get("needle", "")
        needles = (needle,) if needle else ()
        rules.append((re.compile(pattern), needles, row["replacement"], "correction",
                      row["reason"]))
    for pattern, needles, replacement, reason in GENERIC_RULES:
        rules.append((re.compile(pattern), needles, replacement, "normalization", reason))
    return tuple(rules)


def clean(doc: Document, fix_encoding: bool = True, drop_repeated_lines: int = 0,
          drop_lines: tuple = (), header_fields: tuple = (), header_lines: int = HEADER_LINES, *,
          repeated: dict[str, int] | None = None) -> tuple[str, list[dict]]:
    """Clean one document's text and log every change.

    Whole lines are removed first (header fields, repeated lines, lines matching a pattern:
    :func:`analysis.text.boilerplate.line_removals`), then broken encodings are repaired
    (module docstring), then decomposed characters composed (Unicode NFC,
    :func:`decomposed`), then the reviewed corrections of ``lexicons/corrections.csv`` are
    applied, then the generic normalization (:data:`GENERIC_RULES`). All matches are found
    on the raw text; where two matches overlap, the earlier rule wins, so the log's
    positions are exact offsets into :attr:`Document.raw`.

    Parameters
    ----------
    doc : Document
        The document; it is not modified.
    fix_encoding : bool, default True
        Repair mojibake with ftfy; False keeps it as it is.
    drop_repeated_lines : int, default 0
        Remove the lines found in at least this many documents of the corpus (0: none).
        The corpus's counts come in ``repeated``.
    drop_lines : tuple, default ()
        Patterns whose lines are removed
        (:func:`analysis.text.boilerplate.read_line_patterns`).
    header_fields, header_lines : tuple, int
        Header fields whose lines are removed, looked for in the first ``header_lines``
        non-blank lines (:func:`analysis.text.boilerplate.read_header_fields`).
    repeated : dict, optional
        Normalised line -> documents of the lines in at least ``drop_repeated_lines``
        documents (:func:`analysis.text.boilerplate.repeated_line_counts`); required when
        ``drop_repeated_lines`` is set, since one document cannot tell.

    Returns
    -------
    text : str
        The cleaned text.
    log : list of dict
        One row per change: ``doc, position, before, after, kind, reason``, where ``kind`` is
        ``header`` (a header line read into a document variable), ``boilerplate`` (a
        repeated line or one a pattern matches), ``encoding`` (a broken encoding
        repaired), ``correction`` (a reviewed lexicon entry) or ``normalization`` (a
        generic rule).

    Examples
    --------
    >>> from analysis.corpus import Document
    >>> doc = Document(id="a", file="a.txt", raw="It\\u2019s  the \\u201cBelt & Road\\u201d.")
    >>> text, log = clean(doc)
    >>> text
    'It\\'s the "Belt & Road".'
    >>> [(row["position"], row["before"], row["after"]) for row in log][:2]
    [(2, '’', "'"), (4, '  ', ' ')]
    >>> text, log = clean(Document(id="b", file="b.txt", raw="CafÃ© culture."))
    >>> text, [(row["position"], row["before"], row["after"], row["kind"]) for row in log]
    ('Café culture.', [(3, 'Ã©', 'é', 'encoding')])
    """
    raw = doc.raw
    taken: list[tuple[int, int, str, str, str]] = []
    occupied = bytearray(len(raw) + 1)
    if drop_repeated_lines and repeated is None:
        raise ValueError("drop_repeated_lines needs the corpus's line counts (repeated=)")
    if drop_repeated_lines or drop_lines or header_fields:
        for start, end, kind, reason in line_removals(
                raw, repeated if drop_repeated_lines else None, drop_repeated_lines,
                drop_lines, header_fields, header_lines):
            occupied[start:end] = b"\x01" * (end - start)
            taken.append((start, end, "", kind, reason))
    if fix_encoding:
        for start, end, after, reason in broken_encodings(raw):
            if any(occupied[start:end]):
                continue
            occupied[start:end] = b"\x01" * (end - start)
            taken.append((start, end, after, "encoding", reason))
    for start, end, after in decomposed(raw):
        if not any(occupied[start:end]):
            occupied[start:end] = b"\x01" * (end - start)
            taken.append((start, end, after, "normalization", NFC_REASON))
    for pattern, needles, replacement, kind, reason in _cleaning_rules():
        if needles and not any(needle in raw for needle in needles):
            continue  # a plain substring test is far cheaper than a regex scan
        for match in pattern.finditer(raw):
            start, end = match.span()
            if start == end or any(occupied[start:end]):
                continue
            occupied[start:end] = b"\x01" * (end - start)
            taken.append((start, end, match.expand(replacement), kind, reason))
    taken.sort()
    pieces, log, cursor = [], [], 0
    for start, end, after, kind, reason in taken:
        pieces.append(raw[cursor:start])
        pieces.append(after)
        cursor = end
        log.append(
            {"doc": doc.id, "position": start, "before": raw[start:end], "after": after,
             "kind": kind, "reason": reason}
        )
    pieces.append(raw[cursor:])
    return "".join(pieces), log
