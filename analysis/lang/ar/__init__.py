"""Arabic: sentences end at . ؟ ! (and ?); Farsi yeh and keheh folded to Arabic's, the
tatweel removed (logged, the raw text kept); vowel marks stay inside their word.

Stop words: stopwords-iso's ``ar``; general frequencies: wordfreq's ``ar``.
"""

from analysis.lang.base import Language

LANGUAGE = Language(code="ar", name="Arabic", sentence_ends=".\u061f!?",
                    letters=(("\u06cc", "\u064a"), ("\u06a9", "\u0643"), ("\u0640", "")))
