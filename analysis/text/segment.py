"""Sentences and tokens of one string: the segmentation every count depends on.

Sentences: :func:`sentence_spans` splits a paragraph by rules written for news and
government prose, with the abbreviations of ``lexicons/abbreviations.csv``
(``bench/bench_sentences.py`` measures it against gold segmentations and peers).

Tokenization rules (documented because every count depends on them):

- a word is a run of letters or digits, possibly joined by hyphens (``win-win``,
  ``all-weather``, ``people-to-people`` are one token) or by an apostrophe other than a
  possessive (``don't``);
- a possessive ``'s`` is split off as its own token (``China's`` -> ``China`` + ``'s``), so
  ``China`` and ``China's`` count as the same word; ``'s`` is not a word and is a stop word;
- decimal numbers (``1.3``) and initialisms (``H.E``, ``U.S``) are one token;
- ``&`` is a token (so ``Belt & Road`` can be matched) but not a word;
- other punctuation is not a token; terms are lower-cased.

Input: one string (a cleaned paragraph or text from :mod:`analysis.text.clean`); output:
spans that :mod:`analysis.text.process` turns into the sentence and token tables, and
that :mod:`analysis.text.terms` uses to tokenize the multiword-expression lexicon.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from functools import lru_cache

import numpy as np

from analysis.lexicons import english_stop_words, read_lexicon
from analysis.text.marks import MARKS, mark_ranges_of

__all__ = ["fold", "folded_terms", "punkt", "sentence_spans", "space_table", "split_sentences",
           "token_spans", "tokenize"]

try:  # the compiled token scanner; see token_spans
    from analysis import _scan
except ImportError:  # not built (installed without a C compiler, or a source tree)
    _scan = None
if _scan is not None and hasattr(_scan, "set_marks"):
    _scan.set_marks(mark_ranges_of(MARKS))

#: Whether this process has said that the compiled scanner is missing (it says so once).
_warned = False

# Written for the speed of Python's ``re``, which tries the alternatives in turn at every
# token: each alternative fails on its first or second character where it does not apply
# (the initialism ``(?:L\.)+L`` unrolled to ``L\.(?:L\.)*L``), and possessive quantifiers
# (``++``, ``*+``) where giving characters back could never lead to another match. This
# matches the same tokens as the plain form and takes about 13% less time.
# A run of letters and digits with the combining marks inside it (analysis/text/marks.py):
# a vowel sign, virama or diacritic never parts from its letter (पाकिस्तान, پاکِستان).
_RUN = r"[^\W_]++(?:[" + MARKS + r"][^\W_]*+)*+"
TOKEN_PATTERN = r"""(?x)
    \d++(?:[.,]\d+)+                        # decimal numbers and thousands: 1.3, 1,000
  | [^\W\d_]\.(?:[^\W\d_]\.)*[^\W\d_](?![^\W_]|[MARKS])   # initialisms: H.E, U.S
  | RUN(?:-RUN)*+(?:'(?![sS]\b)RUN)*+  # words, hyphenated words, don't
  | '[sS]\b                                # possessive clitic
  | &
""".replace("RUN", _RUN).replace("MARKS", MARKS)
NON_WORDS = frozenset({"'s", "&"})
_LETTER = re.compile(r"[^\W\d_]")

_TOKEN_SPLITTER = re.compile("(?x)(" + TOKEN_PATTERN.removeprefix("(?x)") + ")")


@lru_cache(maxsize=1)
def punkt():
    """NLTK's Punkt sentence tokenizer, untrained, with :data:`ABBREVIATIONS`.

    Not used by :func:`sentence_spans`; ``bench/bench_sentences.py`` measures it beside it.
    Imported on first use: importing NLTK imports scikit-learn and SciPy (about 1.5 s).

    Examples
    --------
    >>> punkt().tokenize("Mr. Song spoke. The award followed.")
    ['Mr. Song spoke.', 'The award followed.']
    """
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)



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


PARAGRAPH = re.compile(r"\S(?:[^\n]*\S)?")
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
    return (english_stop_words() - _NOT_STARTERS) | {"did", "does", "let", "yes"}


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


@lru_cache(maxsize=1)
def space_table() -> np.ndarray:
    """``table[c]`` is True where code point ``c`` is white space as ``str.isspace`` says
    (every Unicode white space character is at most U+3000): what may stand between the
    words of a phrase.

    Examples
    --------
    >>> table = space_table()
    >>> bool(table[ord(" ")]), bool(table[0xA0]), bool(table[ord(",")]), len(table)
    (True, True, False, 12289)
    """
    return np.array([chr(c).isspace() for c in range(0x3001)], dtype=bool)


def token_spans(text: str) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Tokens of a text with :data:`TOKEN_PATTERN`: start and end offsets, surface, term.

    The compiled scanner ``analysis/_scan.c`` (built by ``pip install``) finds the tokens in
    one pass, five times as fast as :mod:`re`; where it is not built (installed without a C
    compiler), one ``re.split`` on the pattern as a group gives the runs between tokens and
    the tokens in turn, and their cumulative lengths are the offsets, and the first call of
    the process says so in a :class:`RuntimeWarning`. ``tests/test_segment.py`` checks that
    both give the same tokens, and what NLTK's ``RegexpTokenizer`` gives with the pattern.
    Terms are the lower-cased surfaces with compatibility forms folded
    (:func:`folded_terms`).

    Examples
    --------
    >>> starts, ends, surfaces, terms = token_spans("China's all-weather friend.")
    >>> starts.tolist(), ends.tolist()
    ([0, 5, 8, 20], [5, 7, 19, 26])
    >>> surfaces, terms
    (['China', "'s", 'all-weather', 'friend'], ['china', "'s", 'all-weather', 'friend'])
    """
    if _scan is not None:
        starts, ends, surfaces, terms_ = _scan.token_spans(text)
        return (np.frombuffer(starts, dtype=np.int64), np.frombuffer(ends, dtype=np.int64),
                surfaces, folded_terms(text, surfaces, terms_))
    if not _warned:
        _warn_pure_python()
    return _regex_token_spans(text)


def _warn_pure_python() -> None:
    """Say, once per process, that tokens come from the pure-Python path."""
    global _warned
    _warned = True
    warnings.warn("the compiled token scanner (analysis._scan) is not built, so tokenizing "
                  "runs in pure Python: the same tokens, about five times slower (reinstall "
                  "with a C compiler to build it)", RuntimeWarning, stacklevel=3)


def _regex_token_spans(text: str) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """:func:`token_spans` with :mod:`re` alone."""
    parts = _TOKEN_SPLITTER.split(text)
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    ends = np.cumsum(lengths)[1::2]
    starts = ends - lengths[1::2]
    surfaces = parts[1::2]
    return starts, ends, surfaces, folded_terms(text, surfaces, list(map(str.lower, surfaces)))


def folded_terms(text: str, surfaces: list[str], terms: list[str]) -> list[str]:
    """The terms of a text's tokens with compatibility forms folded (:func:`fold`).

    ``terms`` are the lower-cased ``surfaces``; only a text that Unicode NFKC changes, or
    that holds a dotted capital I, has terms to fold, and there only the non-ASCII ones.

    Examples
    --------
    >>> folded_terms("\uff32oad \ufb01ne", ["\uff32oad", "\ufb01ne"], ["\uff52oad", "\ufb01ne"])
    ['road', 'fine']
    """
    if text.isascii() or ("\u0130" not in text and unicodedata.is_normalized("NFKC", text)):
        return terms
    return [t if t.isascii() else fold(s) for s, t in zip(surfaces, terms, strict=True)]


@lru_cache(maxsize=1 << 16)
def fold(surface: str) -> str:
    """The term of a surface: lower-cased, with its compatibility forms folded (Unicode NFKC).

    Full-width letters (``\uff32\uff4f\uff41\uff44``) and ligatures (``\ufb01``) are the
    same words as their plain forms, so their terms are the plain forms; the text and the
    surface keep what was written. The dotted capital I of Turkish and Azeri (``İ``), whose
    lower case in Python is two characters (``i`` and a combining dot above), is lower-cased
    to ``i``, so that ``İstanbul`` and ``istanbul`` are one term. A form that NFKC would
    split with a space (``¨``, a spacing diaeresis) keeps its lower case: a term is one word.

    Examples
    --------
    >>> fold("\uff32\uff4f\uff41\uff44"), fold("\ufb01nance"), fold("\u0130stanbul")
    ('road', 'finance', 'istanbul')
    """
    folded = unicodedata.normalize("NFKC", surface.replace("\u0130", "i")).lower()
    return surface.lower() if " " in folded or not folded else folded


def tokenize(text: str) -> list[str]:
    """Lower-cased tokens of a string, with NLTK's ``RegexpTokenizer`` and :data:`TOKEN_PATTERN`.

    :func:`process` finds the same tokens in whole documents with :func:`token_spans` (the
    compiled scanner, or :mod:`re`), without importing NLTK; ``tests/test_segment.py`` checks
    that they agree.

    Examples
    --------
    >>> tokenize("The Belt & Road: 1.3 million jobs, H.E said.")
    ['the', 'belt', '&', 'road', '1.3', 'million', 'jobs', 'h.e', 'said']
    """
    from nltk.tokenize import RegexpTokenizer

    surfaces = RegexpTokenizer(TOKEN_PATTERN).tokenize(text)
    return folded_terms(text, surfaces, [t.lower() for t in surfaces])


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, as :func:`sentence_spans` finds them.

    Examples
    --------
    >>> split_sentences("Mr. Song met the U.S. Government. It ended at 5 p.m. Khan left.")
    ['Mr. Song met the U.S. Government.', 'It ended at 5 p.m. Khan left.']
    """
    text = text.strip()
    return [text[start:end] for start, end in sentence_spans(text)]
