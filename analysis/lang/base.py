"""What the workbench knows of one language: the record each language folder fills in.

A language folder (``analysis/lang/zh/``, ``analysis/lang/ur/`` ...) holds one
:class:`Language`: how its words are cut (the token scanner, or a segmenter for a script
written without spaces), which characters end its sentences, its stop words and where they
come from, whether ``wordfreq`` has its general frequencies, the letter variants its cleaning
folds, and which of the workbench's measures are defined for it. Adding a language is a new
folder with its record and its tests. A valid ISO 639-1 code without a folder gets
:func:`generic`: the shared rules, stop words from stopwords-iso where it has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["CLOSERS", "Language", "MEASURES", "generic", "iso_stop_words"]

#: The measures defined for one language only: Flesch's readability (English syllables and
#: constants), VADER's sentiment lexicon, the four-roads grammar, the frames, modality and
#: actors dictionaries, all English.
MEASURES = ("readability", "sentiment", "roads", "dictionaries")
#: Closing quotes and brackets that stay with the sentence they close.
CLOSERS = "\"'\u201d\u2019)]\u300d\u300f\uff09\u300b\u3009\u00bb\u203a"


@dataclass(frozen=True)
class Language:
    """One language's rules and resources.

    Attributes
    ----------
    code, name : str
        ISO 639-1 code and English name.
    tokenizer : {"scanner", "jieba"}
        ``scanner``: the token scanner (:func:`analysis.text.segment.token_spans`), words
        between spaces and punctuation, graphemes whole; ``jieba``: the scanner, then every
        run of Han characters segmented into words by jieba's dictionary (Sun Junyi,
        https://github.com/fxsjy/jieba, MIT), in jieba-rs's implementation (rjieba).
    sentence_ends : str or None
        Characters that end a sentence; None for the English rules of
        :func:`analysis.text.segment.sentence_spans` (abbreviations, initials).
    space_after_end : bool
        Whether a sentence end must be followed by white space (False in Chinese, written
        without spaces).
    stop_words_source : str
        Where the stop words come from (shown with them).
    letters : tuple of (str, str)
        Letter variants folded by cleaning (logged, the raw text kept): each ``(from, to)``;
        ``to`` empty removes the character (tatweel).
    letters_inside : tuple of (str, str)
        Letter variants folded only inside a word, where a letter follows them (past the
        vowel marks between): a form that is right at a word's end and wrong inside it
        (Urdu's ے, U+06D2, for ی, U+06CC, as in ``مےں`` for ``میں``). Each ``(pattern,
        to)``: a regular expression matching the one character (with what must or must not
        stand before it), and its replacement. Folded and logged as ``letters`` are.
    sentence_joins : tuple of (str, str)
        Breaks that end no sentence in the language, each a pair of regular expressions:
        one the text before the break ends with, one the text after it starts with; where
        both match, the two sentences are one (German ordinals and abbreviations: ``am
        13. Januar``, ``bzw. Butter``). Applied after the sentence rules.
    measures : frozenset of str
        Which of :data:`MEASURES` are defined for the language.
    """

    code: str
    name: str
    tokenizer: str = "scanner"
    sentence_ends: str | None = None
    space_after_end: bool = True
    stop_words_source: str = "stopwords-iso (Diaz 2016-2020, MIT), package stopwordsiso"
    letters: tuple[tuple[str, str], ...] = ()
    letters_inside: tuple[tuple[str, str], ...] = ()
    sentence_joins: tuple[tuple[str, str], ...] = ()
    measures: frozenset[str] = field(default_factory=frozenset)

    def stop_words(self) -> frozenset[str]:
        """The language's stop words, lower-cased (empty where its source has none).

        Examples
        --------
        >>> "und" in generic("de").stop_words()
        True
        """
        return iso_stop_words(self.code)

    def has_reference(self) -> bool:
        """Whether ``wordfreq`` has general frequencies of the language (for ``keyness
        --reference general``).

        Examples
        --------
        >>> generic("de").has_reference(), generic("ab").has_reference()
        (True, False)
        """
        from wordfreq import available_languages

        return self.code in available_languages()


@lru_cache(maxsize=64)
def iso_stop_words(code: str) -> frozenset[str]:
    """The stop words of stopwords-iso for a language (an empty set where it has none).

    Examples
    --------
    >>> "اور" in iso_stop_words("ur"), len(iso_stop_words("xx"))
    (True, 0)
    """
    import stopwordsiso

    if not stopwordsiso.has_lang(code):
        return frozenset()
    return frozenset(w.strip().lower() for w in stopwordsiso.stopwords(code) if w.strip())


@lru_cache(maxsize=256)
def generic(code: str) -> Language:
    """The record of a language without a folder: the shared rules.

    Examples
    --------
    >>> generic("fr").tokenizer, generic("fr").measures
    ('scanner', frozenset())
    """
    return Language(code=code, name=code)
