"""Dictionaries the workbench can apply to any English corpus without the analyst's own, built
from data that installed packages ship under open licences (nothing is downloaded).

``vader``
    The sentiment words of VADER's lexicon (Hutto, C. J. & Gilbert, E. 2014, "VADER: A
    parsimonious rule-based model for sentiment analysis of social media text", *ICWSM*;
    the ``vaderSentiment`` package, MIT licence): ``positive`` and ``negative`` hold the
    words whose mean valence, rated by ten people on -4 to +4, is at least 1 or at most -1;
    emoticons and words rated closer to neutral are left out. Each entry's ``source`` gives
    its valence. VADER rates words of social-media English: the audit shows which of them
    carry a category in a corpus of political text (*party* is rated as a celebration).

Licensed dictionaries (LIWC, the Lexicoder Sentiment Dictionary) are not shipped: an analyst
who holds one passes its file (``--dictionary LSD2015.lc3``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from analysis.dictionaries.model import Dictionary, compile_rows
from analysis.dictionaries.readers import DictionaryError

__all__ = ["BUILTIN", "builtin"]

#: Names of the built-in dictionaries.
BUILTIN = ("vader",)
#: Smallest absolute mean valence a VADER word needs to enter a category.
VADER_THRESHOLD = 1.0
_WORD = re.compile(r"[a-z][a-z'-]*")


@lru_cache(maxsize=2)
def builtin(name: str) -> Dictionary:
    """A built-in dictionary by name.

    Examples
    --------
    >>> d = builtin("vader")
    >>> d.categories()
    ['positive', 'negative']
    >>> [(e.pattern, e.source) for e in d.entries if e.pattern == "peace"]
    [('peace', 'VADER lexicon, mean valence 2.5')]
    """
    if name not in BUILTIN:
        raise DictionaryError(f"no built-in dictionary {name!r} (built in: "
                              f"{', '.join(BUILTIN)})")
    path = Path(find_spec("vaderSentiment").origin).parent / "vader_lexicon.txt"
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fields = line.split("\t")
        if len(fields) < 2 or not _WORD.fullmatch(fields[0]):
            continue
        valence = float(fields[1])
        if abs(valence) >= VADER_THRESHOLD:
            category = ("positive",) if valence > 0 else ("negative",)
            rows.append((category, fields[0], f"VADER lexicon, mean valence {valence:g}",
                         number))
    rows.sort(key=lambda row: (row[0] != ("positive",), row[3]))
    return compile_rows("vader", rows)
