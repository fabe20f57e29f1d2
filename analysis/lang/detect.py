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

from functools import lru_cache

__all__ = ["SAMPLE_CHARS", "UNCERTAIN_BELOW", "detect"]

#: Characters of a text classified (its opening; enough for a stable answer, and detection
#: costs time in proportion).
SAMPLE_CHARS = 1000
#: Least probability of a detected language for it to be certain.
UNCERTAIN_BELOW = 0.5


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from analysis.lang.codes import CODES

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # the languages that have an ISO 639-1 code (the model also knows a few by three letters)
    identifier.set_languages([code for code in identifier.nb_classes if code in CODES])
    return identifier


def detect(text: str) -> tuple[str, float]:
    """The language of a text (ISO 639-1) and its probability.

    Examples
    --------
    >>> detect("پاکستان اور چین کے درمیان دوستی بہت گہری ہے۔")[0]
    'ur'
    >>> detect("中巴经济走廊是一带一路的旗舰项目")[0]
    'zh'
    """
    code, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return str(code), float(probability)
