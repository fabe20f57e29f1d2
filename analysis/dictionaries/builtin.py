"""Dictionaries the workbench can apply to any English corpus without the analyst's own: one
built from data an installed package ships under an open licence (nothing is downloaded), one
from a published codebook's definitions.

``vader``
    The sentiment words of VADER's lexicon (Hutto, C. J. & Gilbert, E. 2014, "VADER: A
    parsimonious rule-based model for sentiment analysis of social media text", *ICWSM*;
    the ``vaderSentiment`` package, MIT licence): ``positive`` and ``negative`` hold the
    words whose mean valence, rated by ten people on -4 to +4, is at least 1 or at most -1;
    emoticons and words rated closer to neutral are left out. Each entry's ``source`` gives
    its valence. VADER rates words of social-media English: the audit shows which of them
    carry a category in a corpus of political text (*party* is rated as a celebration).

``policy-frames``
    The fourteen frames of the Policy Frames Codebook (Boydstun, A. E., Card, D., Gross,
    J. H., Resnik, P. & Smith, N. A. 2014, "Tracking the development of media frames within
    and across policy issues", APSA annual meeting; the codebook's frame definitions), from
    ``data/policy-frames.csv``: each frame's entries are the words and phrases of its own
    definition (and of its name), with their inflections and negated forms (*unfair*,
    *illegal*), each entry's ``source`` quoting the words of the definition it comes from.
    A word the definitions give several frames is kept in the frame whose definition is
    about it (*resources* in capacity and resources); the words that name the object of
    every frame (*policy*, *issue*, *individual*, *group*, *nation*, *laws*) and two that
    would code other senses (*infrastructure*, from "infrastructure and building safety";
    *customs*, trade's border controls) are left out. Frame 15 ("other") has no words. A
    lexical coding of the codebook, not its human coding: the audit shows which words carry
    each frame in a corpus.

Licensed dictionaries (LIWC, the Lexicoder Sentiment Dictionary) are not shipped: an analyst
who holds one passes its file (``--dictionary LSD2015.lc3``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from analysis.dictionaries.model import Dictionary, compile_rows
from analysis.dictionaries.readers import DictionaryError, read_rows

__all__ = ["BUILTIN", "builtin", "vader_dictionary"]

#: Names of the built-in dictionaries.
BUILTIN = ("vader", "policy-frames")
#: The data file of ``policy-frames``.
POLICY_FRAMES = Path(__file__).parent / "data" / "policy-frames.csv"
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
    >>> frames = builtin("policy-frames")
    >>> len(frames.categories()), frames.categories()[:2]
    (14, ['economic', 'capacity and resources'])
    >>> [e.source.split(": ")[1] for e in frames.entries if e.pattern == "loopholes"]
    ['"breaking laws, loopholes, fines, sentencing and punishment"']
    """
    if name not in BUILTIN:
        raise DictionaryError(f"no built-in dictionary {name!r} (built in: "
                              f"{', '.join(BUILTIN)})")
    if name == "policy-frames":
        return compile_rows(name, read_rows(POLICY_FRAMES, "csv"))
    return vader_dictionary(VADER_THRESHOLD)


@lru_cache(maxsize=4)
def vader_dictionary(threshold: float = VADER_THRESHOLD, leave_out: tuple[str, ...] = ()
                     ) -> Dictionary:
    """VADER's words (``vader_lexicon.txt`` of the ``vaderSentiment`` package) as a dictionary
    of two categories: ``positive`` (mean valence at least ``threshold``) and ``negative``
    (at most ``-threshold``), each entry's source giving its valence; words made of letters,
    apostrophes and hyphens only (no emoticons), ``leave_out`` left out.

    ``threshold=0`` keeps every rated word: the words VADER's sentence scores sum
    (:func:`analysis.stance.evaluation` lists them).

    Examples
    --------
    >>> d = vader_dictionary(0, leave_out=("party",))
    >>> [e.pattern for e in d.entries if e.pattern in ("party", "peace", "like")]
    ['like', 'peace']
    >>> len(d.entries) > len(builtin("vader").entries)
    True
    """
    path = Path(find_spec("vaderSentiment").origin).parent / "vader_lexicon.txt"
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fields = line.split("\t")
        if len(fields) < 2 or not _WORD.fullmatch(fields[0]) or fields[0] in leave_out:
            continue
        valence = float(fields[1])
        if valence and abs(valence) >= threshold:
            category = ("positive",) if valence > 0 else ("negative",)
            rows.append((category, fields[0], f"VADER lexicon, mean valence {valence:g}",
                         number))
    rows.sort(key=lambda row: (row[0] != ("positive",), row[3]))
    return compile_rows("vader", rows)
