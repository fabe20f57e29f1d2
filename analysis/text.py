"""Cleaning with an audit trail, segmentation and tokenization.

The pipeline, for each document of a :class:`~analysis.corpus.Corpus`::

    raw text --clean()--> cleaned text + cleaning log        (raw text is never changed)
             --paragraphs--> non-blank lines, numbered as in the raw file
             --sentences--> rules for news prose with the abbreviation list
                            lexicons/abbreviations.csv (sentence_spans)
             --tokens-----> the RegexpTokenizer pattern TOKEN_PATTERN (token_spans: a
                            compiled scanner of the same tokens, re where it is not built)
             --terms------> tokens with curated multiword expressions merged

:func:`process` runs it for a whole corpus and returns a :class:`Processed` bundle of tables,
cached on disk; every analysis module starts from that bundle. Nothing here needs NLTK's
downloadable data, and processing does not import NLTK.

Tokenization rules (documented because every count depends on them):

- a word is a run of letters or digits, possibly joined by hyphens (``win-win``,
  ``all-weather``, ``people-to-people`` are one token) or by an apostrophe other than a
  possessive (``don't``);
- a possessive ``'s`` is split off as its own token (``China's`` -> ``China`` + ``'s``), so
  ``China`` and ``China's`` count as the same word; ``'s`` is not a word and is a stop word;
- decimal numbers (``1.3``) and initialisms (``H.E``, ``U.S``) are one token;
- ``&`` is a token (so ``Belt & Road`` can be matched) but not a word;
- other punctuation is not a token; terms are lower-cased.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import hashlib
import os
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, store
from analysis.corpus import Corpus, Document

try:  # the compiled token scanner; see token_spans
    from analysis import _scan
except ImportError:  # not built (e.g. run from a source tree without pip install)
    _scan = None

# Written for the speed of Python's ``re``, which tries the alternatives in turn at every
# token: each alternative fails on its first or second character where it does not apply
# (the initialism ``(?:L\.)+L`` unrolled to ``L\.(?:L\.)*L``), and possessive quantifiers
# (``++``, ``*+``) where giving characters back could never lead to another match. This
# matches the same tokens as the plain form and takes about 13% less time.
TOKEN_PATTERN = r"""(?x)
    \d++(?:[.,]\d+)+                        # decimal numbers and thousands: 1.3, 1,000
  | [^\W\d_]\.(?:[^\W\d_]\.)*[^\W\d_](?![^\W_])   # initialisms: H.E, U.S
  | [^\W_]++(?:-[^\W_]++)*+(?:'(?![sS]\b)[^\W_]++)*+  # words, hyphenated words, don't
  | '[sS]\b                                # possessive clitic
  | &
"""
NON_WORDS = frozenset({"'s", "&"})
_LETTER = re.compile(r"[^\W\d_]")

_TOKEN_SPLITTER = re.compile("(?x)(" + TOKEN_PATTERN.removeprefix("(?x)") + ")")


@lru_cache(maxsize=1)
def punkt():
    """NLTK's Punkt sentence tokenizer, untrained, with :data:`ABBREVIATIONS`.

    Not used by :func:`sentence_spans`; ``bench/bench_sentences.py`` measures it beside it.
    Imported on first use: importing NLTK imports scikit-learn and SciPy (about 1.5 s).
    """
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


# --------------------------------------------------------------------------- lexicons


def read_lexicon(name: str) -> list[dict[str, str]]:
    """Read ``analysis/lexicons/<name>.csv`` as a list of row dicts (UTF-8, header row)."""
    path = config.LEXICONS_DIR / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _abbreviation_kinds() -> dict[str, str]:
    """``lexicons/abbreviations.csv`` as {abbreviation without its final period: kind}."""
    kinds: dict[str, str] = {}
    for row in read_lexicon("abbreviations"):
        kinds.setdefault(row["abbreviation"].removesuffix("."), row["kind"])
    return kinds


# Abbreviations, as written in ``lexicons/abbreviations.csv`` less the final period, with their
# kind: a title or rank (``Mr.``, ``Gen.``) never ends a sentence; any other kind (``U.S.``,
# ``p.m.``, ``Inc.``, ``lb.``) may. Looked up as written, then lower-cased (the first row of
# a lower-cased form wins, so ``Sec.`` is a title and ``sec.`` a unit).
ABBREVIATION_KINDS = _abbreviation_kinds()
_ABBREVIATION_KINDS_LOWER: dict[str, str] = {}
for _form, _kind in ABBREVIATION_KINDS.items():
    _ABBREVIATION_KINDS_LOWER.setdefault(_form.lower(), _kind)
# The same list, lower-cased and without the final period, as NLTK's Punkt expects it.
ABBREVIATIONS = frozenset(_ABBREVIATION_KINDS_LOWER)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Stop words: scikit-learn's ``ENGLISH_STOP_WORDS`` plus ``lexicons/stopwords.csv``.

    Returns
    -------
    frozenset of str
        Lower-cased stop words.
    """
    return _english_stop_words() | {row["word"] for row in read_lexicon("stopwords")}


@lru_cache(maxsize=1)
def _english_stop_words() -> frozenset[str]:
    """scikit-learn's ``ENGLISH_STOP_WORDS`` (318 lower-cased English function words)."""
    # scikit-learn's list is a plain module; load it without importing scikit-learn itself,
    # which would add about a second of start-up to every command-line call.
    import importlib.util
    from pathlib import Path

    package = Path(importlib.util.find_spec("sklearn").origin).parent
    spec = importlib.util.spec_from_file_location(
        "_sklearn_stop_words", package / "feature_extraction" / "_stop_words.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.ENGLISH_STOP_WORDS)


@lru_cache(maxsize=1)
def multiword_expressions() -> dict[tuple[str, ...], str]:
    """Multiword expressions from ``lexicons/mwe.csv``: token tuple of a variant -> term.

    Variants are tokenized with the same tokenizer as the text, so ``Belt & Road`` becomes
    ``('belt', '&', 'road')`` and is counted as the term ``belt and road``.
    """
    table = {}
    for row in read_lexicon("mwe"):
        key = tuple(token_spans(row["variant"])[3])
        if len(key) > 1 or key[0] != row["term"]:
            table[key] = row["term"]
    return table


# --------------------------------------------------------------------------- cleaning

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


def clean(doc: Document) -> tuple[str, list[dict]]:
    """Clean one document's text and log every change.

    The reviewed corrections of ``lexicons/corrections.csv`` are applied first, then the
    generic normalization (:data:`GENERIC_RULES`). All matches are found on the raw text;
    where two matches overlap, the earlier rule wins, so the log's positions are exact
    offsets into :attr:`Document.raw`.

    Parameters
    ----------
    doc : Document
        The document; it is not modified.

    Returns
    -------
    text : str
        The cleaned text.
    log : list of dict
        One row per change: ``doc, position, before, after, kind, reason``, where ``kind`` is
        ``correction`` (a reviewed lexicon entry) or ``normalization`` (a generic rule).
    """
    raw = doc.raw
    taken: list[tuple[int, int, str, str, str]] = []
    occupied = bytearray(len(raw) + 1)
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


# --------------------------------------------------------------------------- segmentation


@dataclass(frozen=True)
class Processed:
    """A corpus cleaned, segmented and tokenized: the tables every analysis starts from.

    Attributes
    ----------
    corpus : Corpus
        The corpus as loaded (raw text untouched).
    texts : dict
        Document id -> cleaned text; all offsets below point into it.
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
    texts: dict
    cleaning_log: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    tokens: pd.DataFrame

    def __hash__(self) -> int:
        return hash(self.corpus)

    def __eq__(self, other) -> bool:
        return isinstance(other, Processed) and self.corpus == other.corpus


def _raw_paragraph_starts(raw: str) -> list[int]:
    """Offsets in the raw text where each non-blank line (a paragraph) starts."""
    starts, offset = [], 0
    for line in raw.split("\n"):
        if line and not line.isspace():
            starts.append(offset)
        offset += len(line) + 1
    return starts


_PARAGRAPH = re.compile(r"\S(?:[^\n]*\S)?")
# A candidate break: full stops, question or exclamation marks or an ellipsis (group 1), any
# closing quotes or brackets and reference marks (``[12]``, ``[citation needed]``, ``[...]``),
# which stay with the sentence they close (group 2), white space, and the first character of
# what follows (group 3; None at the paragraph's end).
_CANDIDATE = re.compile(
    "([.?!\u2026]+)"
    "([\"'\u201d\u2019)\\]]*(?:[ \\t]*\\[(?:\\d{1,3}|[a-z][a-z ]{2,30}|\\.\\.\\.|\u2026)\\])*)"
    "(?:\\s+(?=(\\S))|$)"
)
# After a question or exclamation mark and a closing quote, a speaker and a verb of saying
# continue the sentence: “Why?” Khan asked. Up to four capitalised words before the verb, the
# first not a pronoun other than I (“Why?” He asked is two sentences, written so).
_ATTRIBUTION = re.compile(
    r"(?!(?:He|She|It|We|They|You|This|That|There|Then)\s)(?:[A-Z][\w'\u2019.-]*\s+){1,4}"
    r"(?:said|says|asked|asks|added|adds|replied|replies|cried|shouted|yelled|whispered|"
    r"answered|explained|insisted|exclaimed|muttered|repeated|agreed|argued|declared|"
    r"demanded|howled|laughed|screamed|say|ask)\b"
)
# Characters that continue a sentence rather than start one.
_CONTINUES = frozenset(",;:.)]}%\u2026\u201d\u2013\u2014")
# Opening quotes and brackets, stripped from the word before a full stop and the one after.
_OPENERS = "\"'\u201c\u2018([{"
_SPACE = re.compile(r"\s")
# A parenthetical citation after a quotation: "..." (Smith 55).
_CITATION = re.compile(r"\([^()]{1,40}\)[.?!]")
# A list marker: 1. 2.) 3) a. b) with an optional bullet, at the start or after white space.
_LIST_MARKER = re.compile(r"(?:(?<=\s)|^)(?:[\u2022\u2043]\s?)?(\d{1,2}|[a-z])(?:\.\)?|\))(?=\s)")
_HEADING_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4}")
# The first word after a break, past opening quotes and brackets: letters only (``I'm`` -> I).
_NEXT_WORD = re.compile("[\"'\u201c\u2018(\\[{]*([^\\W\\d_]+)")
# Initialisms with inner periods, less the final one: U.S, p.m, U.S.A, Ph.D.
_INITIALISM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
# Words of the sklearn English stop word list that are not function words; the rest, when
# capitalised, are the words that tell a sentence starting after an abbreviation.
_NOT_STARTERS = frozenset(
    "amount bill bottom call co con cry de describe detail eg empty etc fill find fire found "
    "front full ie inc interest ltd may mill move name part re serious side sincere system "
    "thick thin top un us will".split()
)


@lru_cache(maxsize=1)
def _starters() -> frozenset[str]:
    """Lower-cased function words that start a sentence after an abbreviation or initial.

    scikit-learn's English stop word list (``The``, ``He``, ``In``, ``However``, ``I``...)
    less a few nouns and abbreviations it holds (``bill``, ``fire``, ``us``, ``co``), plus a
    few it lacks (``did``, ``does``, ``let``, ``yes``).
    """
    return (_english_stop_words() - _NOT_STARTERS) | {"did", "does", "let", "yes"}


def _ends_sentence(word: str, paragraph: str, following: int) -> bool:
    """Whether a full stop after ``word`` ends the sentence, the next one starting at
    ``following`` with an upper-case letter, a digit or an opening quote or bracket."""
    if "-" in word:  # ex-Gov., U.S.-Mr.: the last part decides
        word = word.rsplit("-", 1)[-1]
    kind = ABBREVIATION_KINDS.get(word) or _ABBREVIATION_KINDS_LOWER.get(word.lower())
    if kind is None:
        if len(word) == 1 and word.isalpha():
            kind = "initial"  # J. Bach, John F. Kennedy, (b. 1950)
        elif "." in word and _INITIALISM.fullmatch(word):
            kind = "initialism"  # U.S, p.m, N.A.T.O
        else:
            return True
    if kind == "title" or kind == "rank":
        return False
    # Any other abbreviation or an initial ends a sentence only before a word that starts
    # sentences ("in the U.S. The", "Plan B. It"), not before a name ("U.S. Government",
    # "John F. Kennedy") or a number ("No. 5", "p. 55").
    match = _NEXT_WORD.match(paragraph, following)
    if match is None:
        return False
    after = match.group(1)
    return after[0].isupper() and after.lower() in _starters()


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph: rules for English news and government prose.

    A sentence may end at a full stop, question or exclamation mark or an ellipsis (``...``,
    ``…``) followed by white space. Closing quotes and brackets after the mark (straight or
    curly) and reference marks (``[12]``, ``[citation needed]``) stay with the sentence they
    close. It ends there unless:

    - the next character continues a sentence (``,;:.)%``, a dash) or is lower-case, except
      after one full stop that follows a plain word of two letters or more that is not an
      abbreviation (web text's ``it works. thanks``): ``"Why?" he asked``, ``(he said.)
      and``, ``Briggs & Co. at noon``, ``e.g. this``, ``... and then``;
    - the mark is one full stop after a title or rank of ``lexicons/abbreviations.csv``
      (``Mr.``, ``“Mr.``, ``Gen.``): never a break;
    - the mark is one full stop after another abbreviation of the list (``U.S.``, ``p.m.``,
      ``Inc.``, ``lb.``, ``Jan.``), an initialism with inner periods (``U.N.``, ``N.A.T.O.``)
      or a single letter (an initial), and the next word is not a function word that starts
      sentences (:func:`_starters`): ``the U.S. Government``, ``John F. Kennedy``, ``No. 5``
      stay whole; ``in the U.S. The``, ``Plan B. It`` break;
    - the sentence so far is a heading's number (``2.1. Methods``), the mark a piece of a
      spaced ellipsis (``. . .``; a fourth dot ends a sentence), or a parenthetical citation
      follows (``" (Smith 55).``);
    - a question or exclamation mark and a closing quote are followed by a speaker and a verb
      of saying (``“Why?” Khan asked``).

    An inline list that opens the paragraph (``1. A 2. B``, ``a) A b) B``) breaks before each
    marker. The rules follow the cases of pySBD's Golden Rules (Sadvilkar and Neumann 2020,
    "PySBD: Pragmatic Sentence Boundary Disambiguation", NLP-OSS workshop) with an
    abbreviation list of news style; written here rather than taken from a library because
    they cost one regular-expression scan and a dictionary look-up per candidate, several
    times as fast as the libraries. ``bench/bench_sentences.py`` measures boundary precision
    and recall against gold segmentations (Universal Dependencies English GUM and EWT, the
    Golden Rules) and speed, beside syntok, blingfire, pySBD and NLTK's Punkt.

    Parameters
    ----------
    paragraph : str
        One paragraph without leading or trailing white space.

    Returns
    -------
    list of (start, end)
        Character offsets of each sentence in the paragraph.

    Examples
    --------
    >>> text = '“Mr. Khan met the U.N. envoy at 5 p.m. on Jan. 3,” she said. He left.'
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['“Mr. Khan met the U.N. envoy at 5 p.m. on Jan. 3,” she said.', 'He left.']
    >>> text = 'He lives in the U.S. The talks (in D.C.) ended. “Why?” he asked.'
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['He lives in the U.S.', 'The talks (in D.C.) ended.', '“Why?” he asked.']
    """
    items = _list_items(paragraph) if _LIST_MARKER.match(paragraph) else None
    spans, start = [], 0
    for match in _CANDIDATE.finditer(paragraph):
        after = match.group(3)
        if after is None:  # the end of the paragraph
            break
        mark = match.start()
        if after.islower():
            # A full stop after a plain word that is not an abbreviation ends a sentence
            # even before a lower-case letter (web text: "i loved it. why do you...").
            if match.end(1) - mark > 1 or paragraph[mark] != "." or match.group(2):
                continue
            word = paragraph[paragraph.rfind(" ", start, mark) + 1:mark]
            if (len(word) < 2 or not word.isalpha() or word in ABBREVIATION_KINDS
                    or word.lower() in _ABBREVIATION_KINDS_LOWER):
                continue
        elif after in _CONTINUES:
            continue
        closing = match.group(2)
        if (closing and paragraph[match.end(1) - 1] in "?!" and ('"' in closing or "\u201d"
                in closing) and _ATTRIBUTION.match(paragraph, match.end())):
            continue
        if after == "(" and _CITATION.match(paragraph, match.end()):
            continue
        if match.end(1) - mark == 1 and paragraph[mark] == ".":
            space = paragraph.rfind(" ", start, mark)
            word = paragraph[space + 1:mark]
            if _SPACE.search(word):  # a tab or other white space before the word
                word = word.split()[-1]
            word = word.lstrip(_OPENERS)
            if (not word and paragraph[mark - 2:mark] == ". "
                    and paragraph[mark - 6:mark] != ". . . "):
                continue  # a spaced ellipsis, ". . . I", unless a fourth dot ends it

            if space < start and _HEADING_NUMBER.fullmatch(word):
                continue  # "2.1. Methods": a heading's number starts the sentence
            if not _ends_sentence(word, paragraph, match.end()):
                continue
        if items and mark in items[1]:
            continue  # "2. The second item": the break comes before the marker
        spans.append((start, match.end(2)))
        start = match.end()
    spans.append((start, len(paragraph)))
    if items:
        return _split_before(paragraph, spans, items[0])
    return spans


def _list_items(paragraph: str) -> tuple[list[int], frozenset[int]] | None:
    """The markers of an inline list that opens the paragraph (``1. A 2. B``, ``a) A b) B``,
    ``• 9. A • 10. B``), when the second marker follows the first in order: where each marker
    after the first starts, and where the mark after every label is; None otherwise."""
    markers = list(_LIST_MARKER.finditer(paragraph))
    if len(markers) < 2:
        return None
    first, second = markers[0].group(1), markers[1].group(1)
    if first.isdigit() and second.isdigit():
        ordered = int(second) == int(first) + 1
    else:
        ordered = first.isalpha() and second.isalpha() and ord(second) == ord(first) + 1
    if not ordered:
        return None
    return [m.start() for m in markers[1:]], frozenset(m.end(1) for m in markers)


def _split_before(paragraph: str, spans: list[tuple[int, int]],
                  items: list[int]) -> list[tuple[int, int]]:
    """``spans`` with a break before each list marker at ``items``."""
    result = []
    for start, end in spans:
        for item in (i for i in items if start < i < end):
            result.append((start, len(paragraph[start:item].rstrip()) + start))
            start = item
        result.append((start, end))
    return result


def token_spans(text: str) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Tokens of a text with :data:`TOKEN_PATTERN`: start and end offsets, surface, term.

    The compiled scanner ``analysis/_scan.c`` (built by ``pip install``) finds the tokens in
    one pass, five times as fast as :mod:`re`; where it is not built, one ``re.split`` on the
    pattern as a group gives the runs between tokens and the tokens in turn, and their
    cumulative lengths are the offsets. ``tests/test_text.py`` checks that both give what
    NLTK's ``RegexpTokenizer`` gives with the pattern. Terms are the lower-cased surfaces.
    """
    if _scan is not None:
        starts, ends, surfaces, terms_ = _scan.token_spans(text)
        return (np.frombuffer(starts, dtype=np.int64), np.frombuffer(ends, dtype=np.int64),
                surfaces, terms_)
    return _regex_token_spans(text)


def _regex_token_spans(text: str) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """:func:`token_spans` with :mod:`re` alone."""
    parts = _TOKEN_SPLITTER.split(text)
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    ends = np.cumsum(lengths)[1::2]
    starts = ends - lengths[1::2]
    surfaces = parts[1::2]
    return starts, ends, surfaces, list(map(str.lower, surfaces))


def _process_document(doc: Document) -> dict:
    """Clean and segment one document into column lists (see :func:`process`)."""
    text, log = clean(doc)
    # Paragraph numbers follow the raw file, so a section range read off the file holds even
    # when cleaning removes a line. Map each cleaned line back to its raw line through the
    # cumulative length change of the log entries before it.
    raw_starts = _raw_paragraph_starts(doc.raw)
    shifts = []  # (cleaned offset, raw - cleaned) after each change
    delta = 0
    for row in log:
        delta += len(row["before"]) - len(row["after"])
        shifts.append((row["position"] + len(row["before"]) - delta, delta))
    para_rows, sent_rows = [], []
    shift_index, delta = 0, 0
    for match in _PARAGRAPH.finditer(text):
        start, end = match.span()
        while shift_index < len(shifts) and shifts[shift_index][0] <= start:
            delta = shifts[shift_index][1]
            shift_index += 1
        paragraph = bisect.bisect_right(raw_starts, start + delta) or 1
        section = doc.section_of(paragraph)
        para_rows.append((paragraph, section.name, section.voice, start, end))
        for s_start, s_end in sentence_spans(match.group()):
            sent_rows.append((len(para_rows) - 1, start + s_start, start + s_end))

    starts, ends, surfaces, terms_ = token_spans(text)
    sent_starts = np.array([row[1] for row in sent_rows], dtype=np.int64)
    # Every token lies in a sentence: paragraphs cover all non-space text, sentences cover
    # their paragraph, so the sentence of a token is the last one starting at or before it.
    sentence_index = np.searchsorted(sent_starts, starts, side="right") - 1
    return {"text": text, "log": log, "paragraphs": para_rows, "sentences": sent_rows,
            "token_start": starts, "token_end": ends, "token": surfaces, "term": terms_,
            "sentence_index": sentence_index}


def _process_batch(docs: list[Document]) -> dict:
    """Process documents (in a worker process); surfaces become ids into a batch vocabulary.

    Returning ids and the batch's distinct surfaces, not a string per token, keeps what
    travels back to the parent small; :func:`_merge` maps the ids to the corpus vocabulary.
    """
    parts = [_process_document(doc) for doc in docs]
    surfaces = [s for part in parts for s in part.pop("token")]
    terms_ = [t for part in parts for t in part.pop("term")]
    ids, vocabulary = pd.factorize(np.asarray(surfaces, dtype=object), sort=False)
    first = np.unique(ids, return_index=True)[1]  # factorize numbers in order of appearance
    return {"parts": parts, "ids": ids.astype(np.int32), "surfaces": list(vocabulary),
            "terms": [terms_[i] for i in first.tolist()]}


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


class CacheWarning(UserWarning):
    """A cache file that was ignored (corrupt, foreign, not a regular file) and rebuilt."""


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    """What processing depends on besides the corpus: code, scanner, lexicons, versions."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    modules = ["text.py", "corpus.py", "store.py"]
    for path in sorted([*(config.PACKAGE_DIR / name for name in modules),
                        *config.LEXICONS_DIR.glob("*.csv")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    if _scan is not None:
        digest.update(Path(_scan.__file__).read_bytes())
    digest.update(f"{pd.__version__} {np.__version__} {version('nltk')}".encode())
    return digest.digest()


def cache_key(corpus: Corpus) -> str:
    """Key of a corpus's processed tables: its texts, metadata and sections, and the code.

    Any change to a document, its metadata or sections, to ``text.py``, ``corpus.py``,
    ``store.py``, a lexicon, or the pandas, numpy or NLTK version gives another key, so a
    cached result is never stale.
    """
    digest = hashlib.sha256(_code_fingerprint())
    for doc in corpus:
        meta = sorted(doc.metadata.items())
        digest.update(repr((doc.id, doc.file, meta, doc.sections)).encode())
        digest.update(doc.raw.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def workers() -> int:
    """Worker processes for processing: ``ANALYSIS_WORKERS``, else the cores this may use."""
    wanted = os.environ.get("ANALYSIS_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


@lru_cache(maxsize=4)
def process(corpus: Corpus, engine="local") -> Processed:
    """Clean, segment and tokenize every document of a corpus.

    Documents are processed in parallel worker processes (:func:`workers`; batches of about
    :data:`BATCH_CHARS` characters) when the corpus has more than :data:`PARALLEL_CHARS`
    characters; the tables are the same either way. Results are kept in memory for the last
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

    Returns
    -------
    Processed
        Cleaned texts, the cleaning log and the paragraph, sentence and token tables.
    """
    key = cache_key(corpus)
    path = config.CACHE_DIR / f"processed-{key}.store"
    try:
        arrays = store.read(path)
        if bytes(arrays.get("key", b"")) != key.encode():
            raise store.StoreError("made for another corpus")
        result = _tables(corpus, arrays)
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return result
    except FileNotFoundError:
        pass
    except store.StoreError as err:
        warnings.warn(f"ignored the cache file {path.name} ({err}); processing again",
                      CacheWarning, stacklevel=2)
    arrays = _merge(_run_batches(corpus, engine))
    arrays["key"] = np.frombuffer(key.encode(), dtype=np.uint8)
    try:
        store.write(path, arrays)
        cached = []
        for entry in path.parent.glob("processed-*"):
            with contextlib.suppress(OSError):
                cached.append((entry.lstat().st_mtime, entry))
        for _, old in sorted(cached)[:-CACHE_KEEP]:
            old.unlink(missing_ok=True)
    except OSError:  # a read-only project still works, without the cache
        pass
    return _tables(corpus, arrays)


def _run_batches(corpus: Corpus, engine="local") -> list[dict]:
    """:func:`_process_batch` over batches of documents, in workers when that pays."""
    batches, batch, size = [], [], 0
    for doc in corpus:
        batch.append(doc)
        size += len(doc.raw)
        if size >= BATCH_CHARS:
            batches.append(batch)
            batch, size = [], 0
    if batch or not batches:
        batches.append(batch)
    # --- engine hook: another engine maps the batches (analysis/engines) ---
    if engine != "local":
        from analysis import engines

        chosen = engines.get(engine)
        if chosen.name != "local":
            return chosen.map(_process_batch, batches)
    # --- end of the engine hook ---
    total = sum(len(doc.raw) for doc in corpus)
    count = min(workers(), len(batches))
    if count <= 1 or total <= PARALLEL_CHARS:
        return [_process_batch(batch) for batch in batches]
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # fork starts workers at once and needs no guard in the caller's script; it is unsafe
    # when other threads run (a notebook kernel has several), where the workers fork from a
    # clean server process instead.
    if threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["analysis.text"])
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        return list(pool.map(_process_batch, batches))


def _merge(batches: list[dict]) -> dict[str, np.ndarray]:
    """The processed corpus as the arrays the cache stores (see :func:`_tables`).

    Tokens keep an id into one vocabulary of surfaces (with each surface's term), their
    offsets as the gap from the previous token's end and their length, and their sentence
    as a count of tokens per sentence; paragraphs and sentences keep offsets, section and
    voice ids; texts and the cleaning log are kept whole. Everything else is derived.
    """
    surface_id: dict[str, int] = {}
    surfaces, terms_ = [], []
    texts, names = [], {}
    log = {c: [] for c in LOG_COLUMNS}
    para = {"doc": [], "number": [], "section": [], "voice": [], "start": [], "end": []}
    sent = {"para": [], "start": [], "end": []}
    ids, gaps, lengths, sentence_tokens = [], [], [], []
    doc_index = 0
    for batch in batches:
        mapping = np.empty(len(batch["surfaces"]), dtype=np.int32)
        for local, (surface, term) in enumerate(zip(batch["surfaces"], batch["terms"],
                                                    strict=True)):
            found = surface_id.setdefault(surface, len(surfaces))
            if found == len(surfaces):
                surfaces.append(surface)
                terms_.append(term)
            mapping[local] = found
        ids.append(mapping[batch["ids"]])
        for part in batch["parts"]:
            texts.append(part["text"])
            for row in part["log"]:
                log["doc"].append(doc_index)
                for column in LOG_COLUMNS[1:]:
                    log[column].append(row[column])
            para_base = len(para["doc"])
            for number, section, voice, start, end in part["paragraphs"]:
                para["doc"].append(doc_index)
                para["number"].append(number)
                para["section"].append(names.setdefault(section, len(names)))
                para["voice"].append(names.setdefault(voice, len(names)))
                para["start"].append(start)
                para["end"].append(end)
            for paragraph, start, end in part["sentences"]:
                sent["para"].append(para_base + paragraph)
                sent["start"].append(start)
                sent["end"].append(end)
            starts, ends = part["token_start"], part["token_end"]
            gaps.append(starts - np.concatenate(([0], ends[:-1])))
            lengths.append(ends - starts)
            sentence_tokens.append(np.bincount(part["sentence_index"],
                                               minlength=len(part["sentences"])))
            doc_index += 1

    def joined(arrays: list, dtype) -> np.ndarray:
        return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype=dtype)

    def compact(values: np.ndarray) -> np.ndarray:  # gaps and lengths rarely pass 65,535
        return values.astype(np.uint16 if not len(values) or values.max() < 1 << 16
                             else np.int64)

    arrays = {
        "para.doc": np.asarray(para["doc"], dtype=np.int32),
        "para.number": np.asarray(para["number"], dtype=np.int64),
        "para.section": np.asarray(para["section"], dtype=np.int32),
        "para.voice": np.asarray(para["voice"], dtype=np.int32),
        "para.start": np.asarray(para["start"], dtype=np.int64),
        "para.end": np.asarray(para["end"], dtype=np.int64),
        "sent.para": np.asarray(sent["para"], dtype=np.int32),
        "sent.start": np.asarray(sent["start"], dtype=np.int64),
        "sent.end": np.asarray(sent["end"], dtype=np.int64),
        "sent.tokens": joined(sentence_tokens, np.int32),
        "tok.id": joined(ids, np.int32),
        "tok.gap": compact(joined(gaps, np.int64)),
        "tok.length": compact(joined(lengths, np.int64)),
        "log.doc": np.asarray(log["doc"], dtype=np.int32),
        "log.position": np.asarray(log["position"], dtype=np.int64),
    }
    for name, values in [("texts", texts), ("names", list(names)), ("surfaces", surfaces),
                         ("terms", terms_), *((f"log.{c}", log[c]) for c in LOG_COLUMNS[2:])]:
        arrays[f"{name}.data"], arrays[f"{name}.ends"] = store.pack_strings(values)
    return arrays


def _tables(corpus: Corpus, arrays: dict[str, np.ndarray]) -> Processed:
    """The tables of :class:`Processed` from the arrays of :func:`_merge` (or the cache).

    Raises :class:`~analysis.store.StoreError` when the arrays do not fit together (a cache
    file that passed its checksum but was not written by :func:`_merge` for this corpus).
    """
    try:
        return _build_tables(corpus, arrays)
    except (KeyError, IndexError, ValueError, TypeError) as err:
        raise store.StoreError(f"inconsistent arrays ({type(err).__name__})") from err


def _build_tables(corpus: Corpus, arrays: dict[str, np.ndarray]) -> Processed:
    def strings(name: str) -> list[str]:
        return store.unpack_strings(arrays[f"{name}.data"], arrays[f"{name}.ends"])

    def check(condition: bool, what: str) -> None:
        if not condition:
            raise ValueError(what)

    ids = list(corpus.ids)
    texts = strings("texts")
    names = np.asarray(strings("names"), dtype=object)
    surfaces = np.asarray(strings("surfaces"), dtype=object)
    terms_ = strings("terms")
    para_doc, sent_para = arrays["para.doc"], arrays["sent.para"]
    sentence_tokens, token_id = arrays["sent.tokens"], arrays["tok.id"]
    check(len(texts) == len(ids) and len(terms_) == len(surfaces), "texts or vocabulary")
    check(len(sent_para) == len(sentence_tokens) == len(arrays["sent.start"]), "sentences")
    check(int(sentence_tokens.sum()) == len(token_id) == len(arrays["tok.gap"])
          == len(arrays["tok.length"]), "tokens")
    for values, bound in ((para_doc, len(ids)), (sent_para, len(para_doc)),
                          (token_id, len(surfaces)), (arrays["log.doc"], len(ids)),
                          (arrays["para.section"], len(names)),
                          (arrays["para.voice"], len(names))):
        check(not len(values) or (values.min() >= 0 and values.max() < bound), "an index")
    check(len(arrays["log.doc"]) == len(arrays["log.position"]), "log")

    doc_names = np.asarray(ids, dtype=object)
    para_docs = doc_names[para_doc]
    para_start, para_end = arrays["para.start"], arrays["para.end"]
    paragraphs = {
        "doc": para_docs.tolist(),
        "paragraph": arrays["para.number"].tolist(),
        "section": names[arrays["para.section"]].tolist(),
        "voice": names[arrays["para.voice"]].tolist(),
        "start": para_start.tolist(),
        "end": para_end.tolist(),
        "text": [texts[d][s:e] for d, s, e in zip(para_doc.tolist(), para_start.tolist(),
                                                  para_end.tolist(), strict=True)],
    }
    sent_doc = para_doc[sent_para]
    # Sentence numbers restart at 1 in each document.
    per_doc = np.bincount(sent_doc, minlength=len(ids))
    number = np.arange(len(sent_para)) - np.repeat(np.cumsum(per_doc) - per_doc, per_doc) + 1
    check(bool(np.all(np.diff(sent_doc) >= 0)), "sentence order")
    sent_start, sent_end = arrays["sent.start"], arrays["sent.end"]
    sentences = {
        "doc": doc_names[sent_doc].tolist(),
        "section": names[arrays["para.section"][sent_para]].tolist(),
        "voice": names[arrays["para.voice"][sent_para]].tolist(),
        "paragraph": arrays["para.number"][sent_para].tolist(),
        "sentence": number.tolist(),
        "start": sent_start.tolist(),
        "end": sent_end.tolist(),
        "text": [texts[d][s:e] for d, s, e in zip(sent_doc.tolist(), sent_start.tolist(),
                                                  sent_end.tolist(), strict=True)],
    }

    n = len(token_id)
    sentence_of = np.repeat(np.arange(len(sent_para)), sentence_tokens)
    para_of = sent_para[sentence_of]
    doc_of = para_doc[para_of]
    counts = np.bincount(doc_of, minlength=len(ids))  # tokens per document
    first_token = np.cumsum(counts) - counts
    lengths = arrays["tok.length"].astype(np.int64)
    steps = np.cumsum(arrays["tok.gap"].astype(np.int64) + lengths)
    base = np.where(first_token > 0, steps[np.maximum(first_token - 1, 0)] if n else 0, 0)
    ends = steps - np.repeat(base, counts)
    position = np.arange(n, dtype=np.int64) - np.repeat(first_token, counts)

    term_codes, term_vocabulary = pd.factorize(np.asarray(terms_, dtype=object), sort=False)
    term_names = pd.Index(term_vocabulary, dtype=object)
    term_of = term_codes[token_id] if n else np.zeros(0, dtype=np.int64)

    def objects(values: np.ndarray) -> pd.Series:
        # dtype object, with one string object per vocabulary entry shared by its tokens.
        return pd.Series(values, dtype=object)

    token_table = pd.DataFrame({
        "doc": objects(para_docs[para_of]),
        "section": objects(names[arrays["para.section"][para_of]]),
        "voice": objects(names[arrays["para.voice"][para_of]]),
        "paragraph": arrays["para.number"][para_of],
        "sentence": number[sentence_of].astype(np.int64),
        "position": position,
        "start": ends - lengths,
        "end": ends,
        "token": objects(surfaces[token_id]),
        "term": objects(term_names.to_numpy()[term_of]),
        "is_word": ~term_names.isin(NON_WORDS)[term_of],
        "is_stop": term_names.isin(stop_words())[term_of],
        "doc_index": doc_of.astype(np.int32),
    }, columns=TOKEN_COLUMNS)
    sentences["words"] = np.bincount(sentence_of, weights=token_table["is_word"].to_numpy(),
                                     minlength=len(sent_para)).astype(np.int64)
    log_doc = doc_names[arrays["log.doc"]].tolist()
    log_columns = [log_doc, arrays["log.position"].tolist(),
                   *(strings(f"log.{c}") for c in LOG_COLUMNS[2:])]
    logs = [dict(zip(LOG_COLUMNS, row, strict=True))
            for row in zip(*log_columns, strict=True)]
    return Processed(
        corpus=corpus,
        texts=dict(zip(ids, texts, strict=True)),
        cleaning_log=pd.DataFrame(logs, columns=LOG_COLUMNS),
        paragraphs=pd.DataFrame(paragraphs, columns=PARAGRAPH_COLUMNS),
        sentences=pd.DataFrame(sentences, columns=SENTENCE_COLUMNS),
        tokens=token_table,
    )


@lru_cache(maxsize=2)
def terms(processed: Processed, mwe: bool = True) -> pd.DataFrame:
    """Tokens with the curated multiword expressions merged into single terms.

    Word lists, keyness, collocates, topics and actors all start from this table, so the
    last two results are kept (merging a million-word corpus takes a few tenths of a
    second); like the tables of :class:`Processed`, callers must not modify it.

    Longest match wins, matches never cross a sentence boundary, and every variant of an
    expression is counted under its canonical term (``Belt & Road`` -> ``belt and road``).
    NLTK's ``MWETokenizer`` does the same merge but drops character offsets, which the
    concordance and dispersion need, hence this small matcher over the token table.

    Parameters
    ----------
    processed : Processed
        Output of :func:`process`.
    mwe : bool, default True
        Merge multiword expressions; with False the plain token table is returned.

    Returns
    -------
    DataFrame
        The columns of :attr:`Processed.tokens` plus ``mwe`` (True where a row stands for a
        merged expression; its ``token`` is the surface text of the whole span).
    """
    tokens = processed.tokens
    if not mwe or tokens.empty:
        return tokens.assign(mwe=False)
    table = multiword_expressions()
    sentence = tokens["sentence"].to_numpy()
    position = tokens["position"].to_numpy()  # restarts at 0 in each document
    n = len(tokens)
    # Index of the last token of each token's sentence (sentence numbers restart in each
    # document, positions too), so no match crosses a sentence or a document.
    run_ends = np.append(
        np.flatnonzero((sentence[1:] != sentence[:-1]) | (position[1:] != position[:-1] + 1)),
        n - 1,
    )
    sentence_last = np.repeat(run_ends, np.diff(run_ends, prepend=-1))
    # Every occurrence of every variant, found with array operations: the rows whose term
    # is the variant's first word and with room left in their sentence, narrowed one word at
    # a time (rather than a Python loop over every row that could start an expression).
    term_array = tokens["term"].to_numpy()
    candidates = np.flatnonzero(tokens["term"].isin({k[0] for k in table}).to_numpy())
    codes, firsts_seen = pd.factorize(term_array[candidates])
    rows_of = {word: candidates[codes == j] for j, word in enumerate(firsts_seen)}
    found_start, found_size, found_label = [], [], []
    for variant, label in table.items():
        rows = rows_of.get(variant[0], candidates[:0])
        rows = rows[sentence_last[rows] - rows + 1 >= len(variant)]
        for offset, word in enumerate(variant[1:], start=1):
            rows = rows[term_array[rows + offset] == word]
        found_start.append(rows)
        found_size.append(np.full(len(rows), len(variant)))
        found_label.append(np.full(len(rows), label, dtype=object))
    starts = np.concatenate(found_start)
    sizes = np.concatenate(found_size)
    found_labels = np.concatenate(found_label)
    # Longest match wins at a row, and a row inside an earlier match starts nothing.
    keep = np.ones(n, dtype=bool)
    firsts, lasts, labels = [], [], []
    covered_until = -1
    order = np.lexsort((-sizes, starts))
    for i, size, label in zip(starts[order].tolist(), sizes[order].tolist(),
                              found_labels[order].tolist(), strict=True):
        if i <= covered_until:
            continue
        j = i + size - 1
        firsts.append(i)
        lasts.append(j)
        labels.append(label)
        keep[i + 1:j + 1] = False
        covered_until = j
    out = tokens[keep].reset_index(drop=True)
    out["mwe"] = False
    if firsts:
        rows = np.cumsum(keep)[firsts] - 1  # where the first tokens are after the merge
        ends = tokens["end"].to_numpy()[lasts]
        docs = tokens["doc"].to_numpy()[firsts].tolist()
        begins = tokens["start"].to_numpy()[firsts].tolist()
        surfaces = [processed.texts[d][b:e] for d, b, e in
                    zip(docs, begins, ends.tolist(), strict=True)]
        for column, values in (("term", labels), ("end", ends), ("is_word", True),
                               ("is_stop", False), ("mwe", True), ("token", surfaces)):
            out.iloc[rows, out.columns.get_loc(column)] = values
    return out


def content_mask(table: pd.DataFrame) -> pd.Series:
    """True for the content terms of a token table: words, not stop words, with a letter.

    Topics and the actors' contexts count only these (``1.3`` and ``the`` say nothing of
    a topic). The letter test runs once per distinct term, not once per token.

    Parameters
    ----------
    table : DataFrame
        :attr:`Processed.tokens` or the output of :func:`terms`.

    Returns
    -------
    Series of bool
        Aligned with ``table``.
    """
    letter = {t: _LETTER.search(t) is not None for t in pd.unique(table["term"])}
    return table["is_word"] & ~table["is_stop"] & table["term"].map(letter).astype(bool)


def tokenize(text: str) -> list[str]:
    """Lower-cased tokens of a string, with NLTK's ``RegexpTokenizer`` and :data:`TOKEN_PATTERN`.

    :func:`process` finds the same tokens in whole documents with :func:`token_spans` (the
    compiled scanner, or :mod:`re`), without importing NLTK; ``tests/test_text.py`` checks
    that they agree.
    """
    from nltk.tokenize import RegexpTokenizer

    return [t.lower() for t in RegexpTokenizer(TOKEN_PATTERN).tokenize(text)]


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, as :func:`sentence_spans` finds them."""
    text = text.strip()
    return [text[start:end] for start, end in sentence_spans(text)]


# --------------------------------------------------------------------------- overview and noise


def summary(processed: Processed, by: str = "doc", where=None) -> pd.DataFrame:
    """Size of each document, section or group: paragraphs, sentences, words, types, TTR.

    Parameters
    ----------
    processed : Processed
        Output of :func:`process`.
    by : str, default "doc"
        ``doc`` (one row per document, with every document variable), ``section`` (one row
        per document section, in paragraph order), or ``corpus``, ``voice`` or a document
        variable (one row per group, with its number of ``documents``); see
        :mod:`analysis.units`.
    where : str or list of str, optional
        Only the documents that satisfy these conditions (:func:`analysis.units.select`).

    Returns
    -------
    DataFrame
        Group columns, then ``paragraphs, sentences, words, types, ttr``, where ``words``
        counts word tokens (not ``'s`` or ``&``), ``types`` the distinct lower-cased words
        and ``ttr = types / words`` (the type/token ratio, which falls as a text grows, so
        compare it only between texts of similar length).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> table = summary(process(load_corpus()), by="voice")
    >>> table[["voice", "documents", "words"]].values.tolist()
    [['newspaper', 1, 290], ['Song Tao', 1, 1056], ['award report', 1, 1137]]
    """
    from analysis import units

    processed = units.select(processed, where)
    units.check_by(processed.corpus, by)
    para_codes, groups = units.codes(processed, processed.paragraphs, by)
    sent_codes, _ = units.codes(processed, processed.sentences, by)
    words = processed.tokens.loc[processed.tokens["is_word"].to_numpy()]
    word_codes, _ = units.codes(processed, words, by)
    term_codes, vocabulary = pd.factorize(words["term"].to_numpy())
    n = len(groups)
    table = groups.reset_index(drop=True).astype(str) if len(groups.columns) else \
        pd.DataFrame(index=range(n))
    if by not in ("doc", "section"):
        table["documents"] = units.groups_of(processed, by)["documents"].to_numpy()
    table["paragraphs"] = np.bincount(para_codes, minlength=n)
    table["sentences"] = np.bincount(sent_codes, minlength=n)
    table["words"] = np.bincount(word_codes, minlength=n)
    pairs = np.unique(word_codes * max(len(vocabulary), 1) + term_codes)
    table["types"] = np.bincount(pairs // max(len(vocabulary), 1), minlength=n)
    table["ttr"] = (table["types"] / table["words"].where(table["words"] > 0)).round(4)
    if by == "doc":
        variables = units.variables(processed.corpus)
        variables = variables.rename(columns={  # a metadata column named like a size
            c: f"{c} (metadata)" for c in variables.columns if c != "doc" and c in table})
        table = variables.merge(table, on="doc", how="right")
        if "title" not in table.columns:
            table.insert(1, "title", [d.title for d in processed.corpus])
    return table.reset_index(drop=True)


def sentence_lengths(processed: Processed, by: str = "doc") -> pd.DataFrame:
    """The length in words of every sentence, with its ``by`` group (for a box plot).

    Returns
    -------
    DataFrame
        The group columns of ``by`` (:func:`analysis.units.group_columns`), then ``words``;
        groups in their order, sentences in text order within a group.
    """
    from analysis import units

    table = units.grouped(processed, processed.sentences, by)
    table = table.sort_values("_group", kind="mergesort")
    return table[units.group_columns(by) + ["words"]].reset_index(drop=True)


CAMEL_CASE = re.compile(r"\b[A-Z]?[a-z]{2,}[A-Z][a-z]{2,}\w*")
GLUED_PUNCTUATION = re.compile(r"\b[A-Za-z]{2,}[&;:!?,][A-Za-z]{2,}\b|\b[a-z]{2,}\.[A-Z][a-z]+")
REPEATED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


def suspected_noise(processed: Processed, min_length: int = 12) -> pd.DataFrame:
    """List what looks like noise but was not corrected, for the analyst to review.

    Checks run on the cleaned text: camel-case words (``NaeemCheema``), punctuation glued
    between words, a word repeated, long lower-case words unknown to ``wordfreq``'s English
    list that split into two known words (``changinginternational``), other lower-case words
    unknown to ``wordfreq``, and short paragraphs that read like web-page boilerplate
    (``lexicons/boilerplate.csv``). Corrections go in ``lexicons/corrections.csv``.

    Parameters
    ----------
    processed : Processed
        Output of :func:`process`.
    min_length : int, default 12
        Shortest unknown word that is tried as two run-together words.

    Returns
    -------
    DataFrame
        ``doc, paragraph, position, text, kind, suggestion``, ordered by document and position.
    """
    from wordfreq import zipf_frequency

    boilerplate = {row["phrase"] for row in read_lexicon("boilerplate")}
    rows = []
    for para in processed.paragraphs.itertuples(index=False):
        base = dict(doc=para.doc, paragraph=para.paragraph)
        for pattern, kind in ((CAMEL_CASE, "camel-case word"),
                              (GLUED_PUNCTUATION, "punctuation without space"),
                              (REPEATED_WORD, "repeated word")):
            for m in pattern.finditer(para.text):
                rows.append({**base, "position": para.start + m.start(), "text": m.group(),
                             "kind": kind, "suggestion": ""})
        if re.sub(r"[^a-z ]", "", para.text.lower()).strip() in boilerplate:
            rows.append({**base, "position": para.start, "text": para.text,
                         "kind": "boilerplate line", "suggestion": "remove"})
    words = processed.tokens[processed.tokens["is_word"]]
    lower = words[words["token"].str.fullmatch(r"[a-z]+(?:-[a-z]+)*")]
    known: dict[str, bool] = {}
    for tok in lower.itertuples(index=False):
        if tok.term not in known:
            known[tok.term] = zipf_frequency(tok.term, "en") > 0
        if known[tok.term]:
            continue
        split = ""
        if len(tok.term) >= min_length:
            for cut in range(3, len(tok.term) - 2):
                left, right = tok.term[:cut], tok.term[cut:]
                if zipf_frequency(left, "en") >= 3 and zipf_frequency(right, "en") >= 3:
                    split = f"{left} {right}"
                    break
        rows.append({"doc": tok.doc, "paragraph": tok.paragraph, "position": tok.start,
                     "text": tok.token,
                     "kind": "run-together words" if split else "unknown word",
                     "suggestion": split})
    columns = ["doc", "paragraph", "position", "text", "kind", "suggestion"]
    table = pd.DataFrame(rows, columns=columns)
    order = {doc: i for i, doc in enumerate(processed.corpus.ids)}
    table = table.sort_values(["doc", "position", "kind"], key=lambda s: s.map(order)
                              if s.name == "doc" else s)
    return table.reset_index(drop=True)
