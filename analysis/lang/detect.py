"""Which language a text is in, when the corpus does not say: py3langid.

py3langid (Adrien Barbaresi's maintained fork of Lui and Baldwin's langid.py, 2012, "langid.py:
An Off-the-shelf Language Identification Tool", ACL demos; BSD) ships its model in its package
(97 languages, numpy arrays read without pickle) and gives the same answer every run.
langdetect, the other candidate, draws random samples (a different language for the same short
text unless seeded) and has not been released since 2021; lingua is more accurate on short
text but its models are several hundred megabytes. The text's first :data:`SAMPLE_CHARS`
characters are classified, among the model's languages that have an ISO 639-1 code; a
probability under :data:`UNCERTAIN_BELOW` marks the language
as uncertain (the document is processed in it all the same, and listed as such).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["PLAIN_SHARE", "PLAIN_WORDS", "SAMPLE_CHARS", "UNCERTAIN_BELOW", "detect"]

#: Characters of a text classified (its opening; enough for a stable answer, and detection
#: costs time in proportion).
SAMPLE_CHARS = 1000
#: Least probability of a detected language for it to be certain.
UNCERTAIN_BELOW = 0.5
#: Least words, and least share of English function words among them, of an ASCII opening
#: taken as English without the model (:func:`detect`).
PLAIN_WORDS = 20
PLAIN_SHARE = 0.3
_WORD = re.compile(r"[a-z']+")
# Anything but Latin letters (to Latin Extended-B), ASCII and general punctuation (dashes,
# curly quotes).
_NOT_LATIN = re.compile("[^\x00-\u024f\u2000-\u206f]")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from analysis.lang.codes import CODES

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # the languages that have an ISO 639-1 code (the model also knows a few by three letters)
    identifier.set_languages([code for code in identifier.nb_classes if code in CODES])
    return identifier


def _plainly_english(sample: str) -> bool:
    """Whether a text's opening is plainly English: Latin letters and punctuation only, at
    least :data:`PLAIN_WORDS` words, at least :data:`PLAIN_SHARE` of them English function
    words."""
    if not sample.isascii() and _NOT_LATIN.search(sample):
        return False
    words = _WORD.findall(sample.lower())
    if len(words) < PLAIN_WORDS:
        return False
    from analysis.lexicons import english_stop_words

    stop = english_stop_words()
    return sum(word in stop for word in words) >= PLAIN_SHARE * len(words)


def detect(text: str) -> tuple[str, float]:
    """The language of a text (ISO 639-1) and its probability.

    An opening that is plainly English (:func:`_plainly_english`: Latin script, 20 words or more,
    at least 30 % of them English function words, as in every English text measured in
    :mod:`analysis.lang`, against 4 % in German) is English with probability 1 without the
    model: loading it takes seconds and classifying a text milliseconds, which an English
    corpus of ten thousand documents would pay on every first processing.

    Examples
    --------
    >>> detect("پاکستان اور چین کے درمیان دوستی بہت گہری ہے۔")[0]
    'ur'
    >>> detect("中巴经济走廊是一带一路的旗舰项目")[0]
    'zh'
    >>> detect("The party and the people of the country welcomed the road that was built "
    ...        "for all of them and for the trade it brings to the region.")
    ('en', 1.0)
    """
    sample = text[:SAMPLE_CHARS]
    if _plainly_english(sample):
        return "en", 1.0
    code, probability = _identifier().classify(sample)
    return str(code), float(probability)
