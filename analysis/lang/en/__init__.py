"""English: the language the workbench's own measures were written for.

Tokens: the token scanner; sentences: the rules of
:func:`analysis.text.segment.sentence_spans` (news and government prose, with
``lexicons/abbreviations.csv``); stop words: scikit-learn's English list and
``lexicons/stopwords.csv`` (:func:`analysis.lexicons.stop_words`); general frequencies:
wordfreq's ``en``; every measure of :data:`analysis.lang.base.MEASURES`.
"""

from analysis.lang.base import MEASURES, Language


class _English(Language):
    def stop_words(self) -> frozenset[str]:
        """The project's English stop words (:func:`analysis.lexicons.stop_words`)."""
        from analysis.lexicons import stop_words

        return stop_words()


LANGUAGE = _English(
    code="en", name="English", sentence_ends=None,
    stop_words_source="scikit-learn's English list (Nothman et al. 2018) and "
                      "lexicons/stopwords.csv",
    measures=frozenset(MEASURES))
