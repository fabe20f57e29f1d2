"""Urdu: sentences end at ۔ and ؟ (and ., ?, !); letter variants folded to Urdu's.

Texts typed on Arabic keyboards carry Arabic yeh (ي, U+064A) and alef maksura (ى, U+0649)
for Urdu's Farsi yeh (ی, U+06CC), Arabic kaf (ك, U+0643) for keheh (ک, U+06A9), and the
tatweel (ـ, U+0640) that stretches a word; cleaning folds them (logged, the raw text kept), so
that one word is one term. Some texts (the Urdu UDTB treebank among them) write bari yeh
(ے, U+06D2), a letter of a word's end, for ی inside a word (``مےں`` for ``میں``, ``لےے``
for ``لیے``); cleaning folds a ے that a letter follows to ی (logged too) and leaves it at a
word's end (``کے``, ``سے``, ``ہے``) and in the prefix بے, "without", written joined to its
word (``بےشک``, ``بےحد``). A word written joined to the next after its ے is folded too
(``جائےگا`` becomes ``جائیگا``, a spelling of its own, not ``جائے گا``). Diacritics (zer,
zabar, pesh) stay inside their word.
General frequencies: wordfreq's ``ur``.

Stop words: Urduhack's list (Ikram Ali, https://github.com/urduhack/urdu-stopwords, version
2020.08.01, 430 words; MIT like Urduhack), as the package ``urduhack-lite`` ships it. Not
stopwords-iso's ``ur``: that list (the one spaCy's ``ur`` carries too) is written in another
letter mapping, so that most of its entries are no Urdu word (``ضے`` for ``سے``, ``ثھی`` for
``بھی``, ``اضتعوبل`` for ``استعمال``), and the postpositions that lead an Urdu word list
(کو, نے, سے, کا) are not in it.
"""

from analysis.lang.base import Language
from analysis.lang.text import ARABIC_MARKS

#: Not after a ب that begins its word (no letter or vowel mark before it): the prefix بے.
_NOT_AFTER_PREFIX = rf"(?<!(?<![^\W\d_])(?<![{ARABIC_MARKS}])\u0628)"


class _Urdu(Language):
    def stop_words(self) -> frozenset[str]:
        """Urduhack's Urdu stop words.

        Examples
        --------
        >>> words = LANGUAGE.stop_words()
        >>> all(w in words for w in ("کو", "نے", "سے", "کا")), "ضے" in words
        (True, False)
        """
        from urduhack_lite.stop_words import STOP_WORDS

        return frozenset(STOP_WORDS)


LANGUAGE = _Urdu(code="ur", name="Urdu", sentence_ends="\u06d4\u061f.?!",
                 stop_words_source="Urduhack's Urdu stop words (Ikram Ali 2020, MIT), "
                                   "package urduhack-lite",
                 letters=(("\u064a", "\u06cc"), ("\u0649", "\u06cc"),
                          ("\u0643", "\u06a9"), ("\u0640", "")),
                 letters_inside=((_NOT_AFTER_PREFIX + "\u06d2", "\u06cc"),))
