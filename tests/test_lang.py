"""Whether a corpus reads as English, and what report 03 says of one that does not."""

from __future__ import annotations

from conftest import build_one_report, corpus_of

from analysis.lang import ENGLISH_MIN_SHARE, english_share, reads_as_english

GERMAN = {
    "a.txt": "Die Regierung will die Steuern senken. Der Minister sagte, die Lage sei ernst.\n",
    "b.txt": "Die Opposition kritisiert den Plan. Viele Menschen haben Angst vor dem Krieg.\n",
    "metadata.csv": "file,outlet\na.txt,Zeitung\nb.txt,Blatt\n",
}


def test_english_share_counted_by_hand(make_corpus):
    # "The road and the peace of it." 7 words; the, and, the, of, it are stop words: 5/7
    p = corpus_of(make_corpus, {"a.txt": "The road and the peace of it.\n"})
    assert english_share(p) == 5 / 7 and reads_as_english(p)


def test_german_does_not_read_as_english(make_corpus):
    # 13 + 12 = 25 words; only "will" is an English function word
    p = corpus_of(make_corpus, GERMAN)
    assert english_share(p) == 1 / 25 and not reads_as_english(p)
    assert ENGLISH_MIN_SHARE > 1 / 25


def test_report_03_states_no_english_finding_of_a_german_corpus(tmp_path):
    from test_reports import visible

    _, out, result = build_one_report(tmp_path, GERMAN, "03-framing-four-roads.ipynb",
                                      by="outlet")
    assert not result.failures, result.failures
    page = " ".join(visible((out / "reports" / "03-framing-four-roads.html")
                            .read_text("utf-8")).split())
    assert "This corpus does not read as English" in page
    assert "4% of its words are English function words" in page
    for method in ("VADER's evaluation", "the modal lexicon", "VADER's sentiment words",
                   "the frame dictionary"):
        assert f"No finding of {method}: the corpus does not read as English." in page
    # the Policy Frames Codebook's English words are applied, and their audit shown, but no
    # frame is stated as a finding
    assert "Audit of the frame dictionary policy-frames" in page
    assert "The frame carried by the largest share" not in page
    assert "most frequent in" not in page and "largest share of negative" not in page


def test_the_analysts_stop_words_do_not_change_the_language(make_corpus):
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    folder = make_corpus({"a.txt": "The road and the peace of it.\n"}, name="kept")
    corpus = load_corpus(folder).with_stop_words(keep=["the", "and", "of", "it"])
    assert english_share(process(corpus)) == 5 / 7


def test_unspaced_share_counts_characters_of_words(make_corpus):
    from analysis.lang import UNSPACED_MAX_SHARE, unspaced_share

    # one token of 7 Han characters, two of "road" (4 letters each): 7 of 15 characters
    p = corpus_of(make_corpus, {"a.txt": "中国和巴基斯坦 road road.\n"})
    assert unspaced_share(p) == 7 / 15 > UNSPACED_MAX_SHARE
    # Korean is written with spaces between words: not counted
    p = corpus_of(make_corpus, {"a.txt": "한국 사람 road.\n"}, name="korean")
    assert unspaced_share(p) == 0.0
