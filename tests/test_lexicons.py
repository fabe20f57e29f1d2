"""The word lists of analysis.lexicons."""

from __future__ import annotations

import pytest

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


def test_sentence_matches_lower_cased_and_joined_searches_change_no_match():
    import random
    import re

    from analysis.lexicons import _caseless_sentence, _lowered, sentence_matches

    frames = re.compile(r"\b(?:anti-China|econom\w*)\b", re.IGNORECASE)
    # "Anti-china" at 0, "ECONOMY" at 11; "economic" at 8 after the 7 letters of "Straſse"
    texts = ["Anti-china ECONOMY", "Stra\u017fse economic", "no frame"]
    assert sentence_matches(texts, [frames]) == [
        [(0, 0, "Anti-china"), (0, 11, "ECONOMY")], [(0, 8, "economic")], []]
    assert [p.pattern for p in _lowered([frames])] == [r"\b(?:anti-china|econom\w*)\b"]
    caseless = _caseless_sentence(texts)
    assert [caseless(t) for t in texts] == [True, False, True]  # ſ is upper-cased to S
    # "road\s*" would cross from one sentence into the next in the joined text: each
    # sentence is then searched alone
    assert sentence_matches(["a road", "roads"], [re.compile(r"road\s*", re.IGNORECASE)]) == [
        [(0, 2, "road")], [(0, 0, "road")]]
    words = ["road", "ROADS", "Stra\u017fse", "\u212aelvin", "\u201cpeace\u201d", "\u0130stanbul",
             "economy", "Anti-China", "the", "x", "naïve"]
    rng = random.Random(3)
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 8))) for _ in range(400)]
    assert len(set(texts)) < len(texts)  # repeated texts take the matches of the first
    patterns = [frames, *(re.compile(p, re.IGNORECASE) for p in (
        r"road\s*", r"x*", r"^the\b", r"[A-Z]{2,}", r"(?<=the )\w+", r"\bk\w+", r"s\b",
        r"\bi\w*"))]
    for lexicon in ([frames], patterns, patterns[1:3], [re.compile(r"\bROADS?\b")]):
        expected = [[(k, m.start(), m.group(0)) for k, p in enumerate(lexicon)
                     for m in p.finditer(text)] for text in texts]
        assert sentence_matches(texts, lexicon) == expected
    assert sum(map(len, sentence_matches(texts, patterns))) > 1000  # the test matches things


# ------------------------------------------- the analyst's stop words (issue 26, item 7)


def test_a_stop_word_file_adds_to_the_list_and_keep_takes_words_out(make_corpus, tmp_path, cli):
    from conftest import PARTY_METADATA, PARTY_TEXTS

    from analysis.corpus import load_corpus
    from analysis.frequency import frequency
    from analysis.text.process import process
    from analysis.text.terms import content_terms

    # road 7, trade 5, peace 3, grows, talks, today, ahead 1 (conftest.py); none a stop word.
    folder = make_corpus({**PARTY_TEXTS, "metadata.csv": PARTY_METADATA,
                          "e.txt": "The road and the port.\n"})  # the 2, and 1: stop words
    stops = tmp_path / "stops.txt"
    stops.write_text("# the source's names\nRoad\n\n  peace  \n", encoding="utf-8")
    corpus = load_corpus(folder)
    counted = dict(frequency(process(corpus))[["term", "count"]].values.tolist())
    assert counted == {"road": 8, "trade": 5, "peace": 3, "grows": 1, "talks": 1, "today": 1,
                       "ahead": 1, "port": 1}
    mine = corpus.with_stop_words(add=["road", "peace"], keep=["the"])
    counted = dict(frequency(process(mine))[["term", "count"]].values.tolist())
    assert counted == {"trade": 5, "the": 2, "grows": 1, "talks": 1, "today": 1, "ahead": 1,
                       "port": 1}
    assert not {"road", "peace"} & set(content_terms(process(mine))["term"])  # topics' terms
    status, out, err = cli("freq", "--corpus", str(folder), "--stopword-file", str(stops),
                           "--keep", "the,and", "--format", "csv")
    assert (status, err) == (0, "")
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == [
        "trade", "the", "ahead", "and", "grows", "port", "talks", "today"]
    status, out, _ = cli("keyness", "--corpus", str(folder), "--target", "party=red",
                         "--stopword-file", str(stops), "--min-count", "1", "--format", "csv")
    assert status == 0 and "road" not in out and "trade" in out
    status, out, _ = cli("collocates", "trade", "--corpus", str(folder), "--stopword-file",
                         str(stops), "--min-count", "1", "--format", "csv")
    assert status == 0 and "road" not in out and "grows" in out


@pytest.mark.parametrize("content, message", [
    (None, "--stopword-file {path}: cannot be read"),
    (b"road\n\xff\xfe\n", "{path}: line 2: not valid UTF-8"),
])
def test_a_bad_stop_word_file_is_one_line_naming_it(make_corpus, tmp_path, cli, content,
                                                    message):
    folder = make_corpus({"a.txt": "Road and port.\n"})
    path = tmp_path / "stops.txt"
    if content is not None:
        path.write_bytes(content)
    status, out, err = cli("freq", "--corpus", str(folder), "--stopword-file", str(path))
    assert status == 2 and out == "" and len(err.splitlines()) == 1
    assert message.format(path=path) in err
