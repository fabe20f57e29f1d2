"""Urdu: sentences end at ۔ and ؟ (and ., ?, !); letter variants folded to Urdu's.

Texts typed on Arabic keyboards carry Arabic yeh (ي, U+064A) and alef maksura (ى, U+0649)
for Urdu's Farsi yeh (ی, U+06CC), Arabic kaf (ك, U+0643) for keheh (ک, U+06A9), and the
tatweel (ـ, U+0640) that stretches a word; cleaning folds them (logged, the raw text kept), so
that one word is one term. Diacritics (zer, zabar, pesh) stay inside their word. Stop words:
stopwords-iso's ``ur``; general frequencies: wordfreq's ``ur``.
"""

from analysis.lang.base import Language

LANGUAGE = Language(code="ur", name="Urdu", sentence_ends="\u06d4\u061f.?!",
                    letters=(("\u064a", "\u06cc"), ("\u0649", "\u06cc"),
                             ("\u0643", "\u06a9"), ("\u0640", "")))
