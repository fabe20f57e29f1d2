"""The curated word lists of ``analysis/lexicons/``, read in one place.

Each list is a UTF-8 CSV with a header row and a ``source`` or ``note`` column saying where
its entries come from. Cleaning, segmentation, multiword expressions, framing, stance and
actors read their lists through :func:`read_lexicon`; the stop words every analysis shares
are :func:`stop_words`.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from analysis import config


def read_lexicon(name: str) -> list[dict[str, str]]:
    """Read ``analysis/lexicons/<name>.csv`` as a list of row dicts (UTF-8, header row).

    Examples
    --------
    >>> rows = read_lexicon("stopwords")
    >>> rows[1]
    {'word': 'mr', 'reason': 'honorific before names'}
    """
    path = config.LEXICONS_DIR / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_word_list(path) -> tuple[str, ...]:
    """Read an analyst's word list (stop words to add): one word or phrase a line, UTF-8.

    Blank lines and lines starting with ``#`` are skipped; words are stripped and
    lower-cased, as terms are.

    Raises
    ------
    ValueError
        One line naming the file (and the line): unreadable, not UTF-8, binary.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "stops.txt"
    ...     _ = path.write_text("# outlet codes\\nDAWN\\n\\n  reuters \\n", encoding="utf-8")
    ...     words = read_word_list(path)
    >>> words
    ('dawn', 'reuters')
    """
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ValueError(f"{path}: cannot be read ({err.strerror or err})") from None
    words = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if b"\x00" in line:
            raise ValueError(f"{path}: line {number}: binary content (NUL bytes), expected "
                             f"UTF-8 text")
        try:
            word = line.decode("utf-8").strip().lstrip("\ufeff").strip().lower()
        except UnicodeDecodeError:
            raise ValueError(f"{path}: line {number}: not valid UTF-8") from None
        if word and not word.startswith("#"):
            words.append(word)
    return tuple(words)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Stop words: scikit-learn's ``ENGLISH_STOP_WORDS`` plus ``lexicons/stopwords.csv``.

    Returns
    -------
    frozenset of str
        Lower-cased stop words.

    Examples
    --------
    >>> words = stop_words()
    >>> "the" in words, "mr" in words, "mr" in english_stop_words()
    (True, True, False)
    """
    return english_stop_words() | {row["word"] for row in read_lexicon("stopwords")}


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """scikit-learn's ``ENGLISH_STOP_WORDS`` (318 lower-cased English function words).

    Examples
    --------
    >>> words = english_stop_words()
    >>> len(words), "the" in words
    (318, True)
    """
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
def others_lexicon() -> tuple[tuple[re.Pattern, str, str], ...]:
    """``lexicons/others.csv`` compiled: (word-bounded pattern, label, kind) per row.

    Examples
    --------
    >>> pattern, label, kind = others_lexicon()[0]
    >>> label, kind, bool(pattern.search("Outside powers meddle."))
    ('external powers', 'adversary', True)
    """
    return tuple((re.compile(rf"\b(?:{row['pattern']})\b", re.IGNORECASE), row["label"],
                  row["kind"]) for row in read_lexicon("others"))


def named_others_in(text: str, kind: str | None = None) -> list[str]:
    """Labels of the named others of ``lexicons/others.csv`` found in a text, in text order.

    Parameters
    ----------
    text : str
        Any text.
    kind : str, optional
        Keep only entries of this kind (``adversary`` or ``other``).

    Returns
    -------
    list of str
        Distinct labels, ordered by first occurrence (ties by label).

    Examples
    --------
    >>> text = "External powers fear the US-China rivalry."
    >>> named_others_in(text)
    ['external powers', 'United States', 'US-China rivalry']
    >>> named_others_in(text, kind="adversary")
    ['external powers']
    """
    hits = []
    for pattern, label, entry_kind in others_lexicon():
        if kind is not None and entry_kind != kind:
            continue
        m = pattern.search(text)
        if m:
            hits.append((m.start(), label))
    seen, out = set(), []
    for _, label in sorted(hits):
        if label not in seen:
            seen.add(label)
            out.append(label)
    return out


def sentence_matches(texts: list[str], patterns: list[re.Pattern]
                     ) -> list[list[tuple[int, int, str]]]:
    """Every match of every lexicon pattern in every text (sentence), in one place.

    Frame coding, metaphor markers and named others all match a lexicon's patterns
    sentence by sentence; this is that loop, written once.

    Parameters
    ----------
    texts : list of str
        Sentences.
    patterns : list of compiled patterns

    Returns
    -------
    list of list of (int, int, str)
        For each text, ``(pattern index, start, matched text)`` in pattern order, then text
        order.

    Examples
    --------
    >>> sentence_matches(["A road to peace.", "No road"], [re.compile(r"\\broad\\b")])
    [[(0, 2, 'road')], [(0, 3, 'road')]]
    """
    unique = list(dict.fromkeys(texts))
    if len(unique) < len(texts):  # a text met again takes the matches found the first time
        found = dict(zip(unique, sentence_matches(unique, patterns), strict=True))
        return [list(found[text]) for text in texts]
    # Most sentences match no pattern: one search with all the patterns as alternatives
    # finds those (a pattern's match is a match of the alternation at the same place) and
    # spares them a search per pattern. Two more savings, each used only where it provably
    # finds the same matches: Python's re compares case-insensitive literals one character
    # at a time, without the quick first-character test of case-sensitive ones, so the
    # patterns without IGNORECASE search the lower-cased sentences (_lowered,
    # _caseless_sentence), 2 to 4 times faster; and a pattern searches all the remaining
    # sentences at once, joined by newlines, instead of one call per sentence
    # (_joined_matches).
    lowered = _lowered(patterns)
    caseless = _caseless_sentence(texts) if lowered else None
    out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    for searched, lower in ((lowered, True), (patterns, False)):
        if not searched:
            continue
        indices = [i for i, text in enumerate(texts)
                   if (caseless is not None and caseless(text)) == lower]
        subjects = [texts[i].lower() if lower else texts[i] for i in indices]
        anything = _alternation(searched)
        if anything is not None:
            kept = [j for j, text in enumerate(subjects) if anything.search(text)]
            indices, subjects = [indices[j] for j in kept], [subjects[j] for j in kept]
        if not subjects:
            continue
        joined = _Joined(subjects)
        for k, pattern in enumerate(searched):
            for j, start, end in _joined_matches(pattern, joined):
                i = indices[j]
                out[i].append((k, start, texts[i][start:end]))
    return out


class _Joined:
    """Texts joined by newlines, with the offset where each starts."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self.text = "\n".join(texts)
        self.starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))


def _joined_matches(pattern: re.Pattern, joined: _Joined) -> list[tuple[int, int, int]]:
    """``(text index, start, end)`` of every match of ``pattern`` in each of the joined
    texts, in text order: what ``pattern.finditer`` finds in each text alone.

    One search of the joined text finds the same matches as one search per text when the
    pattern cannot see past the text it is in: it has no lookaround, anchor, atomic group,
    possessive quantifier or conditional (:func:`_sees_context`), a newline is not a word
    character (``\\b`` at a text's edge holds as at the end of a string), and no match
    crosses a newline between two texts or is empty (then every text is searched alone).

    Examples
    --------
    >>> joined = _Joined(["a road", "roads and a road"])
    >>> _joined_matches(re.compile(r"\\broads?\\b"), joined)
    [(0, 2, 6), (1, 0, 5), (1, 12, 16)]
    >>> _joined_matches(re.compile(r"road\\s+and"), _Joined(["a road", "and"]))  # alone
    []
    """
    if not _sees_context(pattern.pattern):
        starts = joined.starts
        found = []
        for m in pattern.finditer(joined.text):
            start, end = m.span()
            j = bisect_right(starts, start) - 1
            offset = starts[j]
            if start == end or end - offset > len(joined.texts[j]):
                break  # an empty match or one across texts: search each text alone
            found.append((j, start - offset, end - offset))
        else:
            return found
    return [(j, m.start(), m.end()) for j, text in enumerate(joined.texts)
            for m in pattern.finditer(text)]


def _sees_context(source: str) -> bool:
    """Whether a pattern may match differently inside a longer string: a lookaround, an
    anchor (``^ $ \\A \\Z``), an atomic group, a possessive quantifier or a conditional.

    Examples
    --------
    >>> _sees_context(r"\\b(?:econom\\w*|[^a-z]x)\\b"), _sees_context(r"(?<!belt )roads?")
    (False, True)
    >>> _sees_context(r"x$"), _sees_context(r"\\$5"), _sees_context(r"a++")
    (True, False, True)
    """
    i, in_class = 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            if source[i + 1:i + 2] in ("A", "Z"):
                return True
            i += 2
            continue
        if in_class:
            if char == "]" and source[i - 1] != "[" and source[i - 2:i] != "[^":
                in_class = False
        elif char == "[":
            in_class = True
        elif char in "^$" or (char == "+" and i and source[i - 1] in "*+?}"):
            return True
        elif source.startswith(("(?=", "(?!", "(?<=", "(?<!", "(?>", "(?("), i):
            return True
        i += 1
    return False


#: Escapes whose meaning does not depend on case: character classes and word boundaries.
_CASELESS_ESCAPES = frozenset("bBwWsSdD")


def _lowered(patterns: list[re.Pattern]) -> list[re.Pattern] | None:
    """The patterns compiled without IGNORECASE, to search lower-cased text, or None when
    that could find other matches than the patterns on the text itself.

    On a text whose characters are ASCII or caseless (:func:`_caseless_sentence`), a
    case-insensitive ASCII pattern matches at the same places as the same pattern with its
    letters lower-cased, case-sensitive, on the lower-cased text, when no part of it sees
    case otherwise: its escapes are ``\\b \\B \\w \\W \\s \\S \\d \\D`` or punctuation, a
    range in a class runs from a letter to a letter of the same case or from a digit to a
    digit, it names no group and no inline flag changes the case rule. Lower-casing keeps an
    ASCII or caseless text's length, so offsets and the matched text are the original's.

    Examples
    --------
    >>> [p.pattern for p in _lowered([re.compile(r"anti-China|[A-Z]\\w+", re.IGNORECASE)])]
    ['anti-china|[a-z]\\\\w+']
    >>> _lowered([re.compile("[A-z]", re.IGNORECASE)]) is None  # a range across cases
    True
    >>> _lowered([re.compile(r"\\x41", re.IGNORECASE)]) is None  # a letter in an escape
    True
    >>> _lowered([re.compile("us")]) is None  # not case-insensitive: nothing to gain
    True
    """
    if not patterns:
        return None
    sources = []
    for pattern in patterns:
        source = pattern.pattern
        if (not isinstance(source, str) or pattern.flags != re.IGNORECASE | re.UNICODE
                or not source.isascii() or re.search(r"\(\?(?:[aiLmsux-]|P)", source)):
            return None
        lowered, i, in_class = [], 0, False
        while i < len(source):
            char = source[i]
            if char == "\\":
                escaped = source[i + 1:i + 2]
                if escaped.isalnum() and escaped not in _CASELESS_ESCAPES:
                    return None
                lowered.append(source[i:i + 2])
                i += 2
                continue
            if in_class:
                if char == "]" and source[i - 1] != "[" and source[i - 2:i] != "[^":
                    in_class = False
                elif (char == "-" and source[i - 1] != "[" and source[i - 2:i] != "[^"
                      and source[i + 1:i + 2] != "]"):
                    a, b = source[i - 1], source[i + 1:i + 2]
                    if not ((a + b).isdigit() and len(b) == 1
                            or (a + b).isalpha() and ((a + b).islower() or (a + b).isupper())):
                        return None
            elif char == "[":
                in_class = True
            lowered.append(char.lower())
            i += 1
        sources.append("".join(lowered))
    return [re.compile(source) for source in sources]


def _caseless_sentence(texts: list[str]):
    """A test of each of ``texts``: True when every character of the text is ASCII or
    caseless (equal to its upper and its lower case), where ``text.lower()`` keeps the
    length and a case-insensitive ASCII pattern matches as the same pattern on the
    lower-cased text. Characters such as ``ſ`` or ``İ`` (upper case ``S``, lower case
    ``i̇``) make the test fail. The cased characters are collected once over ``texts``, so
    the test holds for those texts (and ASCII ones) only.

    Examples
    --------
    >>> caseless = _caseless_sentence(["Roads \u2014 to \u201cpeace\u201d", "Stra\u017fse"])
    >>> caseless("Roads \u2014 to \u201cpeace\u201d"), caseless("Stra\u017fse")
    (True, False)
    """
    cased = sorted({c for text in texts if not text.isascii() for c in text
                    if not c.isascii() and (c.lower() != c or c.upper() != c)})
    if not cased:
        return lambda text: True
    any_cased = re.compile("[" + "".join(re.escape(c) for c in cased) + "]")
    return lambda text: text.isascii() or not any_cased.search(text)


def _alternation(patterns: list[re.Pattern]) -> re.Pattern | None:
    """All the patterns as one alternation, or None where joining could change a pattern:
    flags that differ, a backreference (group numbers shift), or too many groups."""
    if not patterns or len({p.flags for p in patterns}) > 1 or any(
            re.search(r"\\[1-9]|\(\?P=", p.pattern) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None
