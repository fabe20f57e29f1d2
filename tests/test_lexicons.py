"""The word lists of analysis.lexicons."""

from __future__ import annotations

from analysis.lexicons import stop_words


def test_stop_words_are_sklearn_plus_project_list():
    words = stop_words()
    assert {"the", "and", "of"} <= words  # scikit-learn's list
    assert {"'s", "mr", "h.e"} <= words  # lexicons/stopwords.csv
    assert "road" not in words


def test_stop_words_equal_scikit_learns_list_plus_the_project_list():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from analysis.lexicons import read_lexicon

    project = {row["word"] for row in read_lexicon("stopwords")}
    assert stop_words() == frozenset(ENGLISH_STOP_WORDS) | project
    assert len(stop_words()) == len(ENGLISH_STOP_WORDS) + len(project - ENGLISH_STOP_WORDS)
