"""Flesch Reading Ease and Flesch-Kincaid grade, against quanteda's test and hand counts.

Formulas: Flesch, R. (1948), A new readability yardstick, *Journal of Applied Psychology*
32(3), 221-233: 206.835 - 1.015 * words / sentences - 84.6 * syllables / words; Kincaid et
al. (1975), Research Branch Report 8-75: 0.39 * words / sentences + 11.8 * syllables / words
- 15.59.
"""

from __future__ import annotations

import pytest

from analysis.corpus import load_corpus
from analysis.readability import COLUMNS, flesch, flesch_kincaid, readability, syllables
from analysis.text.process import process

# Counted by hand, syllable by syllable as the words are said (and as the CMU Pronouncing
# Dictionary gives them): gov-ern-ment, e-con-o-my, co-op-er-a-tion, ...
HAND_COUNTED = {
    "the": 1, "cat": 1, "jobs": 1, "table": 2, "people": 2, "business": 2, "create": 2,
    "china": 2, "away": 2, "breakfast": 2, "government": 3, "president": 3, "family": 3,
    "area": 3, "idea": 3, "pakistan": 3, "strategic": 3, "partnership": 3, "economy": 4,
    "political": 4, "america": 4, "initiative": 4, "diplomacy": 4, "ceremony": 4,
    "prosperity": 4, "cooperation": 5, "opportunity": 5,
}


def test_syllables_of_hand_counted_words():
    assert {w: syllables(w) for w in HAND_COUNTED} == HAND_COUNTED
    assert syllables("Government") == 3  # any case


def test_syllables_outside_the_dictionary():
    # Hyphenated words not in the dictionary: the sum of their parts (par-ty-to-par-ty,
    # all-weath-er). Other unknown words: their vowel groups, as quanteda's nsyllable does
    # ('idcpc' has one, i; 'cpec' one, e, where it is said in two: see-pek); no vowel: 1.
    assert syllables("party-to-party") == 5
    assert syllables("all-weather") == 3
    assert syllables("state-owned") == 2  # its vowel groups (a, e, o, e) would say 4
    assert syllables("time-honoured") == 3  # ... and (i, e, o, ou, e) 5
    assert syllables("idcpc") == 1
    assert syllables("cpec") == 1
    assert syllables("bajwa") == 2  # ba-jwa: two vowel groups
    assert syllables("2012") == 1
    assert syllables("hmm") == 1  # in the dictionary without a vowel phoneme


def test_quanteda_worked_example(make_corpus):
    # quanteda.textstats test "readability count is ok": Flesch of 'The cat in the hat ate
    # breakfast.' is 103 (tolerance 1 %). By hand: 7 words, 1 sentence, 8 syllables
    # (break-fast): 206.835 - 1.015 * 7 - 84.6 * 8 / 7 = 103.044; the grade
    # 0.39 * 7 + 11.8 * 8 / 7 - 15.59 = 0.626.
    assert float(flesch(7, 1, 8)) == pytest.approx(103.0442857, abs=1e-6)
    assert float(flesch_kincaid(7, 1, 8)) == pytest.approx(0.6257143, abs=1e-6)
    p = process(load_corpus(make_corpus({"a.txt": "The cat in the hat ate breakfast.\n"})))
    table = readability(p)
    assert list(table.columns) == ["doc", *COLUMNS]
    assert table[["sentences", "words", "syllables", "flesch", "flesch_kincaid"]].values.tolist() \
        == [[1, 7, 8, 103.04, 0.63]]
    assert table["flesch"].iloc[0] == pytest.approx(103, rel=0.01)


TEXTS = {
    # 7 words, 2 sentences, 8 syllables (a-way).
    "a.txt": "The cat sat. The dog ran away.\n",
    # 5 words, 1 sentence (the line of asterisks has no word), 4 + 2 + 2 + 1 + 1 = 10.
    "b.txt": "Political parties create good jobs.\n***\n",
    # 3 words, 1 sentence, 3 syllables.
    "c.txt": "Peace comes now.\n",
}
METADATA = "file,party\na.txt,red\nb.txt,blue\nc.txt,red\n"


@pytest.fixture
def processed(make_corpus):
    return process(load_corpus(make_corpus({**TEXTS, "metadata.csv": METADATA})))


def test_documents_groups_and_corpus_by_hand(processed):
    table = readability(processed)
    # a: 206.835 - 1.015 * 3.5 - 84.6 * 8 / 7 = 106.5968; 1.365 + 13.4857 - 15.59 = -0.7393.
    # b: 206.835 - 1.015 * 5 - 84.6 * 2 = 32.56; 0.39 * 5 + 11.8 * 2 - 15.59 = 9.96.
    # c: 206.835 - 1.015 * 3 - 84.6 = 119.19; 0.39 * 3 + 11.8 - 15.59 = -2.62.
    assert table[["doc", "sentences", "words", "syllables", "words_per_sentence",
                  "syllables_per_word", "flesch", "flesch_kincaid"]].values.tolist() == [
        ["a", 2, 7, 8, 3.5, round(8 / 7, 4), 106.6, -0.74],
        ["b", 1, 5, 10, 5.0, 2.0, 32.56, 9.96],
        ["c", 1, 3, 3, 3.0, 1.0, 119.19, -2.62]]
    # red = a + c: 10 words, 3 sentences, 11 syllables: 206.835 - 3.3833 - 93.06 = 110.3917;
    # 1.3 + 12.98 - 15.59 = -1.31. blue is b alone.
    groups = readability(processed, by="party")
    assert groups[["party", "sentences", "words", "syllables", "flesch", "flesch_kincaid"]] \
        .values.tolist() == [["blue", 1, 5, 10, 32.56, 9.96], ["red", 3, 10, 11, 110.39, -1.31]]
    # The corpus: 15 words, 4 sentences, 21 syllables: 206.835 - 3.8063 - 118.44 = 84.5888;
    # 1.4625 + 16.52 - 15.59 = 2.3925.
    corpus = readability(processed, by="corpus")
    assert list(corpus.columns) == COLUMNS
    assert corpus[["flesch", "flesch_kincaid"]].values.tolist() == [[84.59, 2.39]]
    assert readability(processed, by="doc", where="party=red")["doc"].tolist() == ["a", "c"]


def test_sections(make_corpus):
    folder = make_corpus({
        "a.txt": "Road of peace.\nThe government creates opportunity. We agree.\n",
        "sections.csv": "file,section,voice,first,last,note\n"
                        "a.txt,intro,editor,1,1,\na.txt,body,writer,2,,\n",
    })
    table = readability(process(load_corpus(folder)), by="section")
    # intro: 3 words, 1 sentence, 1 + 1 + 1 = 3 syllables: 206.835 - 3.045 - 84.6 = 119.19.
    # body: 6 words, 2 sentences, 1 + 3 + 2 + 5 + 1 + 2 = 14 (cre-ates, a-gree):
    # 206.835 - 1.015 * 3 - 84.6 * 14 / 6 = 6.39.
    assert table[["section", "voice", "words", "sentences", "syllables", "flesch"]] \
        .values.tolist() == [["intro", "editor", 3, 1, 3, 119.19],
                             ["body", "writer", 6, 2, 14, 6.39]]
