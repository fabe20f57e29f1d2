"""Positions for a report: a scaling model fitted on toy corpora, or the one sentence that
says why not; the units shown and the words that pull each way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import corpus_of

from analysis.positions import (
    Positions,
    fit_positions,
    pulling_words,
    shown_phrase,
    shown_positions,
)

# road against wheat: a is all road, e all wheat; "the" is a stop word, "lone" is in e only.
THEMES = {"a.txt": "The road road road wheat.", "b.txt": "The road road wheat.",
          "c.txt": "The road wheat wheat.", "d.txt": "The wheat wheat wheat road.",
          "e.txt": "The wheat wheat wheat wheat road lone lone lone lone lone."}


@pytest.fixture
def themes(make_corpus):
    return corpus_of(make_corpus, THEMES)


def test_wordfish_orders_the_texts_by_their_share_of_road(themes):
    fit = fit_positions(themes, direction=("a", "e"), min_count=2)
    assert fit.reason == "" and fit.warning == "" and fit.english
    assert fit.documents.sort_values("position")["doc"].tolist() == ["a", "b", "c", "d", "e"]
    # road 3+2+1+1+1 = 8, wheat 1+1+2+3+4 = 11; "lone" (5 times, in e only) and "the" are out
    assert fit.words[["feature", "count"]].values.tolist() == [["road", 8], ["wheat", 11]]
    assert fit.features == 2
    flipped = fit_positions(themes, direction="e, a", min_count=2)
    assert flipped.documents.sort_values("position")["doc"].tolist() == ["e", "d", "c", "b",
                                                                          "a"]


def test_two_texts_are_too_few_to_scale(make_corpus):
    fit = fit_positions(corpus_of(make_corpus, {"x.txt": "Road road.", "y.txt": "Wheat."}))
    assert fit.reason == ("Scaling needs at least 3 documents with words; this corpus has 2 "
                          "(x and y)")
    assert fit.documents.empty and fit.words.empty


def test_the_reason_says_when_trimming_left_too_few_units(themes):
    # at least 9 times: only wheat (11), in all five texts (one word scales nothing: the
    # model refuses it, and says so); at least 12: no word
    assert fit_positions(themes, min_count=9).reason == (
        "wordfish: 1 feature with counts (wheat); at least 2 are needed to tell the texts "
        "apart")
    assert fit_positions(themes, min_count=12).reason == (
        "Scaling needs at least 3 documents with words; this corpus has 0, once the words "
        "counted fewer than 12 times in all or found in a single document are left out")


def test_max_features_keeps_the_most_frequent_words(make_corpus):
    # road 8, wheat 11, farm 2 (in c and d): the two most frequent are road and wheat
    texts = {**THEMES, "c.txt": "The road wheat wheat farm.", "d.txt":
             "The wheat wheat wheat road farm."}
    processed = corpus_of(make_corpus, texts)
    fit = fit_positions(processed, direction=("a", "e"), min_count=2, max_features=2)
    assert fit.words["feature"].tolist() == ["road", "wheat"]
    assert (fit.features, fit.candidates) == (2, 3)
    every = fit_positions(processed, direction=("a", "e"), min_count=2)
    assert every.words["feature"].tolist() == ["farm", "road", "wheat"]
    assert (every.features, every.candidates) == (3, 3)
    # the cap leaves two documents with words: the reason says so
    two = {"a.txt": "Road road road wheat wheat wheat.", "b.txt": "Road road road wheat "
           "wheat wheat.", "c.txt": "Farm.", "d.txt": "Farm."}
    processed = corpus_of(make_corpus, two, name="two")
    assert fit_positions(processed, min_count=2, max_features=2).reason == (
        "Scaling needs at least 3 documents with words; this corpus has 2 (a and b), once "
        "the words counted fewer than 2 times in all, found in a single document or not "
        "among the 2 most frequent are left out")
    assert fit_positions(processed, min_count=2, max_features=1).reason.startswith(
        "Scaling needs at least 3 documents with words; this corpus has 2 (a and b)")
    with pytest.raises(ValueError, match="max_features=0"):
        fit_positions(processed, max_features=0)


def test_groups_are_scaled_as_units(make_corpus):
    files = {**THEMES, "metadata.csv": "file,side\na.txt,r\nb.txt,r\nc.txt,m\nd.txt,w\n"
                                       "e.txt,w\n"}
    fit = fit_positions(corpus_of(make_corpus, files), by="side", direction=("r", "w"),
                        min_count=2)
    assert fit.documents.sort_values("position")["side"].tolist() == ["r", "m", "w"]
    two = {**THEMES, "metadata.csv": "file,side\na.txt,r\nb.txt,r\nc.txt,r\nd.txt,w\n"
                                     "e.txt,w\n"}
    assert fit_positions(corpus_of(make_corpus, two, name="two"), by="side").reason == (
        "Scaling needs at least 3 groups of side with words; this corpus has 2 (r and w)")


def test_a_direction_naming_no_unit_is_the_reason(themes):
    fit = fit_positions(themes, direction=("a", "zz"), min_count=2)
    assert fit.reason.startswith("direction 'zz': no such document with words in the subset")
    assert fit_positions(themes, direction="a", min_count=2).reason == (
        "direction 'a': give two units as A,B (A is placed left of B)")


def test_wordscores_needs_reference_scores(make_corpus):
    files = {**THEMES, "metadata.csv": "file,score\na.txt,-1\nb.txt,\nc.txt,\nd.txt,\n"
                                       "e.txt,1\n"}
    p = corpus_of(make_corpus, files)
    assert fit_positions(p, "wordscores", min_count=2).reason.startswith(
        "Wordscores needs reference scores: name a numeric document variable (parameter "
        "REFERENCE_SCORES)")
    fit = fit_positions(p, "wordscores", reference_scores="score", min_count=2)
    # road scores -1 (it is 3/4 of a, 1/5 of e: (0.75 * -1 + 0.2 * 1) / 0.95), wheat
    # (0.25 * -1 + 0.8 * 1) / 1.05; a text is its words' mean score
    road, wheat = -0.55 / 0.95, 0.55 / 1.05
    words = fit.words.set_index("feature")["score"]
    assert words["road"] == pytest.approx(road) and words["wheat"] == pytest.approx(wheat)
    c = fit.documents.set_index("doc").loc["c"]
    assert c["position"] == pytest.approx((road + 2 * wheat) / 3)
    reference = fit.documents.set_index("doc")["reference"]
    assert reference["a"] == -1.0 and reference["e"] == 1.0 and np.isnan(reference["b"])


def test_a_reference_score_that_is_not_a_number_is_the_reason(make_corpus):
    files = {**THEMES, "metadata.csv": "file,score\na.txt,left\nb.txt,\nc.txt,\nd.txt,\n"
                                       "e.txt,1\n"}
    fit = fit_positions(corpus_of(make_corpus, files), "wordscores", reference_scores="score",
                        min_count=2)
    assert fit.reason == "reference scores score: 'left' of a is not a number"


def test_a_german_corpus_is_scaled_on_every_word(make_corpus):
    german = {"a.txt": "Die Steuern und die Steuern und die Schulen.",
              "b.txt": "Die Schulen und die Steuern.",
              "c.txt": "Die Schulen und die Schulen und die Schulen."}
    fit = fit_positions(corpus_of(make_corpus, german), min_count=2)
    assert not fit.english and fit.reason == ""
    # no stop list: die, und, schulen, steuern are all counted
    assert fit.words["feature"].tolist() == ["die", "schulen", "steuern", "und"]


def test_chinese_documents_are_scaled_on_their_segmented_words(make_corpus):
    # jieba's words: 经济 走廊 (3 documents each), 人民 (a, c), 友谊 (b, c), the rest once
    chinese = {"a.txt": "经济走廊人民经济走廊。", "b.txt": "经济走廊友谊。",
               "c.txt": "经济走廊人民友谊。",
               "metadata.csv": "file,lang\na.txt,zh\nb.txt,zh\nc.txt,zh\n"}
    fit = fit_positions(corpus_of(make_corpus, chinese), min_count=2)
    assert fit.reason == "" and len(fit.documents) == 3
    assert fit.words["feature"].tolist() == ["人民", "友谊", "经济", "走廊"]
    assert fit.words["count"].tolist() == [2, 2, 4, 4]


def test_chinese_not_segmented_is_not_counted_as_words(make_corpus):
    # Chinese inside documents of another language: the tokenizer's runs are not words
    chinese = {"a.txt": "中国和巴基斯坦是好朋友。我们一起建设经济走廊。",
               "b.txt": "两国人民友谊深厚。", "c.txt": "经济走廊造福人民。",
               "metadata.csv": "file,lang\na.txt,en\nb.txt,en\nc.txt,en\n"}
    fit = fit_positions(corpus_of(make_corpus, chinese))
    assert fit.reason.startswith("100% of the characters of this corpus's words are in a "
                                 "script written without spaces between words")


def test_a_fit_that_breaks_down_shows_nothing(themes, monkeypatch):
    from analysis import textmodels

    real = textmodels.scale

    def broken(d, model, **options):
        fit = real(d, model, **options)
        fit.documents["position"] = np.nan
        fit.documents.attrs["warning"] = "wordfish did not converge in 1 round"
        return fit

    monkeypatch.setattr(textmodels, "scale", broken)
    fit = fit_positions(themes, min_count=2)
    assert fit.reason == "wordfish did not converge in 1 round" and fit.documents.empty


def test_an_unknown_model_is_an_error(themes):
    with pytest.raises(ValueError, match="model 'lsa': one of wordfish, wordscores"):
        fit_positions(themes, "lsa")


def test_shown_positions_keeps_the_largest_units_in_order_of_position(themes):
    fit = fit_positions(themes, direction=("a", "e"), min_count=2)
    # words: a 5, b 4, c 4, d 5, e 11 ("the" counts as a word): the largest two are e and
    # then a and d tie at 5, a first by label
    shown = shown_positions(fit, themes, 2)
    assert shown["doc"].tolist() == ["a", "e"]
    assert shown_positions(fit, themes)["doc"].tolist() == ["a", "b", "c", "d", "e"]
    assert shown_phrase(shown, fit) == "the 2 largest of 5 documents (by words)"
    assert shown_phrase(shown_positions(fit, themes), fit) == "all 5 documents"


def test_pulling_words_splits_the_common_words_at_the_median_weight():
    words = pd.DataFrame({"feature": ["a", "b", "c", "d", "e", "f", "g"],
                          "beta": [-2.0, -1.0, 0.5, 1.5, 3.0, 0.0, -5.0], "psi": [0.0] * 7,
                          "count": [5, 5, 5, 5, 5, 5, 1]})
    table = pulling_words(Positions("wordfish", "doc", words=words), 2)
    # g (count 1, below the median 5) is left out; the median beta of the rest is 0.25
    assert table[["side", "feature"]].values.tolist() == [
        ["left", "a"], ["left", "b"], ["right", "e"], ["right", "d"]]
    assert pulling_words(Positions("wordfish", "doc", reason="x"), 2).empty


def test_lss_in_the_report_scores_units_by_their_words_polarity(make_corpus):
    """MODEL "lss": the sentences are the space, the built-in sentiment seeds the poles, and
    the sentence says where the dimension comes from."""
    from conftest import corpus_of

    from analysis import narrate
    from analysis.positions import fit_positions

    p = corpus_of(make_corpus, {
        "a.txt": "Good news and excellent work. Good times ahead.\n",
        "b.txt": "Bad news and poor work. Bad times, wrong turns.\n",
        "c.txt": "Good work, bad news. Times change ahead.\n"})
    fit = fit_positions(p, "lss", min_count=1)
    order = fit.documents.sort_values("position")["doc"].tolist()
    assert order == ["b", "c", "a"]
    assert "from the polarity of their words" in str(narrate.positions(fit))
