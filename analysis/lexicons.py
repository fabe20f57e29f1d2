"""The curated word lists of ``analysis/lexicons/``, read in one place.

Each list is a UTF-8 CSV with a header row and a ``source`` or ``note`` column saying where
its entries come from. Cleaning, segmentation, multiword expressions, framing, stance and
actors read their lists through :func:`read_lexicon`; the stop words every analysis shares
are :func:`stop_words`.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

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
    # Most sentences match no pattern: one search with all the patterns as alternatives
    # finds those (a pattern's match is a match of the alternation at the same place) and
    # spares them a search per pattern, three times faster on a lexicon of 20 patterns.
    anything = _alternation(patterns)
    return [[(k, m.start(), m.group(0)) for k, pattern in enumerate(patterns)
             for m in pattern.finditer(text)]
            if anything is None or anything.search(text) else [] for text in texts]


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
