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
    counted = dict(frequency(process(corpus), by="corpus")[["term", "count"]].values.tolist())
    assert counted == {"road": 8, "trade": 5, "peace": 3, "grows": 1, "talks": 1, "today": 1,
                       "ahead": 1, "port": 1}
    mine = corpus.with_stop_words(add=["road", "peace"], keep=["the"])
    counted = dict(frequency(process(mine), by="corpus")[["term", "count"]].values.tolist())
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
