"""Whether a corpus reads as English, and what report 03 says of one that does not."""

from __future__ import annotations

import pytest
from conftest import build_one_report, corpus_of

from analysis.corpus import load_corpus
from analysis.frequency import frequency
from analysis.lang import ENGLISH_MIN_SHARE, english_share, languages, reads_as_english
from analysis.text.process import process

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

    # in an English document one token of 7 Han characters, two of "road" (4 letters
    # each): 7 of 15 characters
    p = corpus_of(make_corpus, {"a.txt": "中国和巴基斯坦 road road.\n",
                                "metadata.csv": "file,lang\na.txt,en\n"})
    assert unspaced_share(p) == 7 / 15 > UNSPACED_MAX_SHARE
    # Korean is written with spaces between words: not counted
    p = corpus_of(make_corpus, {"a.txt": "한국 사람 road.\n"}, name="korean")
    assert unspaced_share(p) == 0.0
    # a Chinese document is segmented into words: its characters are not counted, those of
    # the English document are (7 of 15 again)
    p = corpus_of(make_corpus, {"a.txt": "中巴经济走廊是旗舰项目。\n",
                                "b.txt": "中国和巴基斯坦 road road.\n",
                                "metadata.csv": "file,lang\na.txt,zh\nb.txt,en\n"},
                  name="segmented")
    assert unspaced_share(p) == 7 / 15


# ------------------------------------------------------------- a language per document

MIXED = {
    "en.txt": "The party and the people of Pakistan welcomed the road to peace and trade.\n",
    "zh.txt": "中巴经济走廊是一带一路的旗舰项目。\n",
    "ur.txt": "پاکستان اور چین کے درمیان دوستی بہت گہری ہے۔\n",
}


def test_languages_are_detected_and_marked_as_detected(make_corpus):
    from analysis.lang import languages

    table = languages(load_corpus(make_corpus(MIXED)))
    assert dict(zip(table["doc"], table["lang"], strict=True)) == {
        "en": "en", "ur": "ur", "zh": "zh"}
    assert set(table["lang_source"]) == {"detected"}


def test_a_lang_column_and_the_lang_option_come_before_detection(make_corpus):
    from analysis.lang import languages

    folder = make_corpus({**MIXED, "metadata.csv": "file,lang\nen.txt,en\nzh.txt,\n"
                          "ur.txt,UR\n"})
    table = languages(load_corpus(folder))
    assert table["lang"].tolist() == ["en", "ur", "zh"]
    assert table["lang_source"].tolist() == ["metadata", "metadata", "detected"]
    table = languages(load_corpus(folder, lang="hi"))
    assert table["lang"].tolist() == ["hi"] * 3 and set(table["lang_source"]) == {"--lang"}


def test_too_little_text_is_uncertain_and_processed_with_the_default_rules(make_corpus):
    from analysis.lang import languages

    table = languages(load_corpus(make_corpus({"a.txt": "A.\n"})))
    assert table["lang"].tolist() == ["en"] and table["lang_source"].tolist() == ["uncertain"]


def test_a_mixed_corpus_is_grouped_by_lang(make_corpus):
    p = process(load_corpus(make_corpus(MIXED)))
    table = frequency(p, by="lang")
    assert table["lang"].unique().tolist() == ["en", "ur", "zh"]
    terms = table.groupby("lang")["term"].apply(set)
    # each language's stop words left out: not "the", "اور", "کے", "ہے" or "的"
    assert {"pakistan", "road"} <= terms["en"] and "the" not in terms["en"]
    assert "پاکستان" in terms["ur"] and not {"اور", "کے", "ہے"} & terms["ur"]
    assert {"走廊", "旗舰"} <= terms["zh"] and "的" not in terms["zh"]


def test_the_corpus_command_shows_each_language_and_its_source(make_corpus, cli):
    code, out, _ = cli("corpus", "--corpus", str(make_corpus(MIXED)), "--format", "csv")
    assert code == 0
    rows = [line.split(",")[-2:] for line in out.splitlines()]
    assert rows[0] == ["language", "lang_source"]
    assert rows[1:] == [["en", "detected"], ["ur", "detected"], ["zh", "detected"]]


def test_bad_language_codes_are_one_line_naming_file_row_and_value(make_corpus, cli, tmp_path):
    folder = make_corpus({**MIXED, "metadata.csv": "file,lang\nen.txt,en\nur.txt,Urdu\n"})
    code, out, err = cli("corpus", "--corpus", str(folder))
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert "metadata.csv: line 3: lang 'Urdu' is not an ISO 639-1" in err
    table = tmp_path / "t.csv"
    table.write_text("text,lang\nThe road.,en\nسڑک۔,urdu\n", encoding="utf-8")
    code, _, err = cli("corpus", "--corpus", str(table))
    assert code == 2 and "t.csv: line 3: lang 'urdu'" in err and len(err.splitlines()) == 1
    code, _, err = cli("corpus", "--lang", "xx")
    assert code == 2 and err.strip() == ("error: --lang: lang 'xx' is not an ISO 639-1 "
                                         "language code (en, zh, ur, hi, ar, de, ...)")


def test_the_language_is_part_of_the_cache_key(make_corpus):
    from analysis.text.process import cache_key

    corpus = load_corpus(make_corpus(MIXED))
    assert cache_key(corpus) != cache_key(corpus.with_lang("en"))
    assert cache_key(corpus.with_lang("en")) != cache_key(corpus.with_lang("ur"))


# ------------------------------------------------------------- tokens and sentences

def test_chinese_is_segmented_into_words_and_kwic_finds_one(make_corpus):
    from analysis.concordance import kwic

    p = process(load_corpus(make_corpus({"a.txt": "中巴经济走廊是一带一路的旗舰项目\n"}),
                            lang="zh"))
    # jieba's dictionary: 中巴 经济 走廊 是 一带 一路 的 旗舰 项目 (9 words)
    assert p.tokens["token"].tolist() == ["中巴", "经济", "走廊", "是", "一带", "一路", "的",
                                          "旗舰", "项目"]
    assert p.tokens["start"].tolist() == [0, 2, 4, 6, 7, 9, 11, 12, 14]
    lines = kwic(p, "走廊")
    assert len(lines) == 1 and lines["keyword"].tolist() == ["走廊"]


def test_the_rust_segmenter_cuts_as_jieba_does():
    import jieba

    from analysis.lang import language
    from analysis.lang.text import language_token_spans

    chinese = language("zh")
    # GSDSimp dev's first sentences (Universal Dependencies, CC BY-SA 4.0), Han runs only
    for run in ("同样", "施力的大小不同", "引起的加速度不同", "最终的结果也不一样",
                "大多数的加长型礼车则是租车公司的财产", "数百万的巧克力棒被撤"):
        starts, ends, surfaces, _ = language_token_spans(run, chinese)
        assert surfaces == list(jieba.cut(run, HMM=True)), run
        assert [run[s:e] for s, e in zip(starts, ends, strict=True)] == surfaces


def test_chinese_sentences_end_at_full_width_marks_with_their_closing_quotes(make_corpus):
    p = process(load_corpus(make_corpus({"a.txt": "他说：“好！”我们同意。中巴友谊万岁？是的\n"}),
                            lang="zh"))
    # (cleaning straightens the curly quotes)
    assert p.sentences["text"].tolist() == ['他说："好！"', "我们同意。", "中巴友谊万岁？", "是的"]


def test_urdu_sentences_end_at_the_urdu_full_stop(make_corpus):
    text = "پاکستان ایک ملک ہے۔ چین دوست ہے۔ کیا یہ سچ ہے؟\n"  # three sentences
    p = process(load_corpus(make_corpus({"a.txt": text})))
    assert languages(p.corpus)["lang"].tolist() == ["ur"]
    assert len(p.sentences) == 3
    assert p.sentences["words"].tolist() == [4, 3, 4]


def test_hindi_words_are_whole_and_sentences_end_at_the_danda(make_corpus):
    text = "पाकिस्तान और चीन मित्र हैं। यह सच है।\n"
    p = process(load_corpus(make_corpus({"a.txt": text}), lang="hi"))
    assert p.tokens["token"].tolist()[:3] == ["पाकिस्तान", "और", "चीन"]
    assert p.sentences["words"].tolist() == [5, 3]


def test_urdu_letter_variants_are_folded_and_logged_the_raw_text_kept(make_corpus):
    raw = "پاكـستان اور چين\n"  # Arabic kaf, a tatweel, Arabic yeh
    p = process(load_corpus(make_corpus({"a.txt": raw}), lang="ur"))
    assert p.tokens["token"].tolist() == ["پاکستان", "اور", "چین"]
    log = p.cleaning_log[p.cleaning_log["kind"] == "letters"]
    assert log[["position", "before", "after"]].values.tolist() == [
        [2, "ك", "ک"], [3, "ـ", ""], [14, "ي", "ی"]]
    assert p.corpus["a"].raw == raw


def test_urdu_bari_yeh_inside_a_word_is_folded_to_yeh_and_logged(make_corpus):
    # UDTB's spelling: ے for ی inside a word. Offsets counted by hand: م0 ے1 ں2 _3 ن4 ے5 _6
    # ک7 ہ8 ا9 _10 ک11 ہ12 _13 و14 ہ15 _16 ل17 ے18 ے19 _20 گ21 ئ22 ے23 _24 ہ25 ے26 ں27 ۔28;
    # the ے at 1, 18 and 26 has a letter after it, those at 5, 19 and 23 end their word
    raw = "مےں نے کہا کہ وہ لےے گئے ہےں۔\n"
    p = process(load_corpus(make_corpus({"a.txt": raw}), lang="ur"))
    assert p.tokens["token"].tolist() == ["میں", "نے", "کہا", "کہ", "وہ", "لیے", "گئے", "ہیں"]
    log = p.cleaning_log[p.cleaning_log["kind"] == "letters"]
    assert log[["position", "before", "after"]].values.tolist() == [
        [1, "ے", "ی"], [18, "ے", "ی"], [26, "ے", "ی"]]
    assert p.corpus["a"].raw == raw


def test_urdu_word_final_bari_yeh_is_left_alone():
    from analysis.lang import language
    from analysis.lang.text import fold_letters

    ur = language("ur")
    # at a word's end, before a space, a full stop, a digit or a zero-width non-joiner; and
    # the prefix بے ("without") joined to its word, at the word's start only
    for text in ("کے سے ہے", "ہے۔", "ہے5", "کے\u200cلیے", "ے", "بےشک", "(بےحد)"):
        assert fold_letters(text, ur) == (text, [])
    assert fold_letters("کبےں", ur) == ("کبیں", [(2, "ے", "ی")])  # a ب inside a word
    # a vowel mark between ے and the next letter is passed over; Arabic has no such fold
    assert fold_letters("مےَں", ur) == ("میَں", [(1, "ے", "ی")])
    assert fold_letters("مےں", language("ar")) == ("مےں", [])


def test_urdu_word_list_counts_the_two_spellings_of_a_word_as_one(make_corpus):
    text = "مےں اور میں اور مےں\n"  # UDTB's مےں twice, میں once: one word, 3 times
    p = process(load_corpus(make_corpus({"a.txt": text}), lang="ur"))
    table = frequency(p, stopwords=True)
    assert dict(zip(table["term"], table["count"], strict=True)) == {"میں": 3, "اور": 2}


def test_german_ordinals_and_abbreviations_end_no_sentence(make_corpus):
    # the English rules break after "13.", "6.", "bzw." and "3." (6 sentences); in German the
    # ordinals (after an article or a preposition, or before a month) and the abbreviation
    # end none, while "80." before "Sie" and "Mio." before "Das" still do: 7 sentences, words
    # counted by hand
    text = ("Dr. Müller kam am 13. Januar. Das Restaurant im 6. Stock ist gut, bzw. teuer. "
            "Er war 80. Sie nicht. Gestern, 3. Mai, regnete es. Es kostet 5 Mio. Das ist "
            "viel.\n")
    folder = make_corpus({"a.txt": text})
    p = process(load_corpus(folder, lang="de"))
    assert p.sentences["text"].tolist() == [
        "Dr. Müller kam am 13. Januar.", "Das Restaurant im 6. Stock ist gut, bzw. teuer.",
        "Er war 80.", "Sie nicht.", "Gestern, 3. Mai, regnete es.", "Es kostet 5 Mio.",
        "Das ist viel."]  # "Mio." often ends a sentence: it is no abbreviation that joins
    assert p.sentences["words"].tolist() == [6, 9, 3, 2, 5, 4, 3]
    english = process(load_corpus(folder, lang="en"))
    assert english.sentences["text"].tolist()[:5] == [
        "Dr. Müller kam am 13.", "Januar.", "Das Restaurant im 6.", "Stock ist gut, bzw.",
        "teuer."]


def test_chinese_tokens_are_each_scanner_token_cut_alone_with_offsets():
    from analysis.lang import language
    from analysis.lang.text import language_token_spans

    # A0 B1 C2 中3 国4 _5 R6 o7 a8 d9 _10 人11 民12 ，13 B14 超15 _16 2020 at 17-20 年21; the
    # scanner's tokens ABC中国, Road, 人民, B超, 2020年; jieba cuts those with Han characters
    # (B超 is one word of its dictionary, so the case is lowered after cutting, not before)
    starts, ends, surfaces, terms = language_token_spans("ABC中国 Road 人民，B超 2020年",
                                                         language("zh"))
    assert surfaces == ["ABC", "中国", "Road", "人民", "B超", "2020", "年"]
    assert terms == ["abc", "中国", "road", "人民", "b超", "2020", "年"]
    assert starts.tolist() == [0, 3, 6, 11, 14, 17, 21]
    assert ends.tolist() == [3, 5, 10, 13, 16, 21, 22]


def test_the_tokens_command_lists_tokens_with_offsets_and_language(make_corpus, cli):
    folder = make_corpus({"a.txt": "پاکِستان اور چین۔\n", "b.txt": "中巴经济走廊\n",
                          "metadata.csv": "file,lang\na.txt,ur\nb.txt,zh\n"})
    code, out, err = cli("tokens", "--corpus", str(folder), "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == ["doc,sentence,token,start,end,lang",
                                "a,1,پاکِستان,0,8,ur", "a,1,اور,9,12,ur", "a,1,چین,13,16,ur",
                                "b,1,中巴,0,2,zh", "b,1,经济,2,4,zh", "b,1,走廊,4,6,zh"]
    code, out, _ = cli("tokens", "--corpus", str(folder), "--doc", "b", "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 4


def test_keyness_against_general_frequencies_of_the_documents_language(make_corpus):
    from analysis.keyness import keyness, keywords_by

    text = "پاکستان اور چین کی دوستی اور پاکستان اور چین کا راستہ\n"
    p = process(load_corpus(make_corpus({"a.txt": text, "b.txt": MIXED["en.txt"]})))
    # against general Urdu "اور" (and), the commonest Urdu word, is not key; against general
    # English it had no frequency at all and came out key
    table = keyness(p, "a", reference="general", stopwords=True)
    assert "اور" not in table.loc[table["g2"] > 10.83, "term"].tolist()
    assert "پاکستان" in table.loc[table["g2"] > 10.83, "term"].tolist()
    by = keywords_by(p, by="lang", reference="general", stopwords=True)
    assert set(by["lang"]) == {"en", "ur"}
    with pytest.raises(ValueError, match=r"target 'lang=en,ur' mixes languages \(en, ur\)"):
        keyness(p, "lang=en,ur", reference="general")


def test_readability_has_no_number_for_a_language_without_a_formula(make_corpus, cli):
    folder = make_corpus(MIXED)
    code, out, err = cli("readability", "--corpus", str(folder))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[-1] == ("readability: no method for ur, zh (Flesch's formulas are defined "
                         "for English); no score for 2 of 3 groups")
    en, ur, zh = (line.split() for line in lines[1:4])
    assert en[0] == "en" and ur[-2:] == ["NaN", "NaN"] and zh[-2:] == ["NaN", "NaN"]
    assert en[-1] != "NaN"


def test_roads_and_frames_say_in_one_line_they_have_no_method_for_other_languages(
        make_corpus, cli):
    folder = make_corpus(MIXED)
    code, out, err = cli("roads", "--corpus", str(folder))
    assert code == 0, err
    assert out.splitlines()[-1] == ("roads: no method for ur, zh (the four-roads grammar is "
                                    "English); 2 of 3 documents left out")
    code, out, err = cli("frames", "--corpus", str(folder), "--format", "csv")
    assert code == 0 and {line.split(",")[0] for line in out.splitlines()[1:]} == {"en"}
    code, out, _ = cli("frames", "--corpus", str(folder))
    assert out.splitlines()[-1].startswith("dictionaries: no method for ur, zh")


def test_urdu_stop_words_are_urdu_words_and_hold_the_commonest_postpositions(make_corpus):
    from analysis.lang import language

    words = language("ur").stop_words()
    # the postpositions and the copula that lead an Urdu word list
    assert {"کو", "نے", "سے", "کا", "کی", "کے", "میں", "ہے", "بھی"} <= words
    # stopwords-iso's forms in another letter mapping (ض for س, ث for ب, و for م, ب for ا)
    assert not {"ضے", "ثھی", "اضتعوبل", "ثہت"} & words
    # "علی نے کتاب کو میز سے اٹھایا": 7 words, of which نے, کو, سے are stop words
    p = process(load_corpus(make_corpus({"a.txt": "علی نے کتاب کو میز سے اٹھایا۔\n"}),
                            lang="ur"))
    assert sorted(frequency(p)["term"]) == sorted(["علی", "کتاب", "میز", "اٹھایا"])
    assert len(frequency(p, stopwords=True)) == 7


def test_processing_in_workers_finds_each_documents_language_there(make_corpus, monkeypatch):
    import pandas as pd

    import analysis.lang as lang
    from analysis.text import process as processing

    folder = make_corpus({**MIXED, "de.txt": "A.\n", "metadata.csv":
                          "file,lang\nen.txt,\nzh.txt,\nur.txt,UR\nde.txt,\n"})
    expected = lang.resolve(load_corpus(folder))
    assert expected["lang_source"].tolist() == ["uncertain", "detected", "metadata", "detected"]
    monkeypatch.setattr(processing, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(processing, "BATCH_CHARS", 10)  # a document a batch
    monkeypatch.setenv("ANALYSIS_WORKERS", "2")

    def refused(corpus):
        raise AssertionError("languages resolved before processing")

    monkeypatch.setattr(lang, "resolve", refused)  # not in this process, not for all at once
    corpus = load_corpus(folder)
    p = processing.compute(corpus)
    pd.testing.assert_frame_equal(lang.languages(corpus), expected)
    assert p.columns.n_docs == 4
    forced = load_corpus(folder, lang="hi")
    processing.compute(forced)
    assert set(lang.languages(forced)["lang"]) == {"hi"}
