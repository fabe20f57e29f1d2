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


def test_sentence_matches_equal_a_search_per_pattern_and_sentence():
    import random
    import re

    from analysis.lexicons import sentence_matches

    words = ["road", "Roads", "peace", "belt", "and", "CPEC", "x", "war-road", "rôad"]
    rng = random.Random(7)
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 9))) for _ in range(300)]
    lexicons = [
        [re.compile(rf"\b(?:{p})\b", re.IGNORECASE) for p in ("roads?", "peace|war", "cpec")],
        [re.compile(r"(?<!belt )road"), re.compile(r"\b(\w+) \1\b")],  # a backreference
        [re.compile("road"), re.compile("peace", re.IGNORECASE)],  # flags that differ
    ]
    for patterns in lexicons:
        expected = [[(k, m.start(), m.group(0)) for k, p in enumerate(patterns)
                     for m in p.finditer(text)] for text in texts]
        assert sentence_matches(texts, patterns) == expected
    assert sum(map(len, sentence_matches(texts, lexicons[0]))) > 100  # the test matches things
