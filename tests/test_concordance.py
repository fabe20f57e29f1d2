"""Concordance, dispersion and dispersion measures on toy texts counted by hand."""

from __future__ import annotations

import pytest

from analysis.concordance import dispersion, dispersion_measures, kwic, match, query_kind
from analysis.corpus import load_corpus
from analysis.text.process import process

A = (
    "CPEC is a road of development. The Belt & Road links us, and roads too.\n"
    "Political parties met; the party agreed. Belt and Road Initiative again.\n"
)
B = "Another road here.\n"


@pytest.fixture
def processed(make_corpus):
    return process(load_corpus(make_corpus({"a.txt": A, "b.txt": B})))


def test_query_kinds():
    assert query_kind("road") == ("word", "road")
    assert query_kind("road*") == ("glob", "road*")
    assert query_kind("/part(y|ies)/") == ("regex", "part(y|ies)")
    assert query_kind("part.", kind="regex") == ("regex", "part.")
    with pytest.raises(ValueError, match="empty"):
        query_kind("   ")


def test_kwic_rows_keep_punctuation_and_count_words(processed):
    table = kwic(processed, "road", window=2)
    assert list(table.columns) == ["doc", "section", "voice", "sentence", "position", "left",
                                   "keyword", "right"]
    # road in a.txt: "a road of", "Belt & Road links", "Belt and Road Initiative"; b.txt once.
    assert table[["doc", "left", "keyword", "right"]].values.tolist() == [
        ["a", "is a", "road", "of development"],
        ["a", "The Belt &", "Road", "links us"],  # & rides along, it is not a word
        ["a", "Belt and", "Road", "Initiative again"],
        ["b", "Another", "road", "here"],  # contexts never leave the document
    ]
    # Tokens of a.txt counted by hand: CPEC 0 is 1 a 2 road 3 ... The 6 Belt 7 & 8 Road 9 ...
    # Political 15 parties 16 met 17 the 18 party 19 agreed 20 Belt 21 and 22 Road 23.
    assert table["sentence"].tolist() == [1, 2, 4, 1]
    assert table["position"].tolist() == [3, 9, 23, 1]
    # Contexts cross sentence boundaries, as in AntConc.
    assert kwic(processed, "road", window=3)["left"].iloc[2] == "agreed. Belt and"


def test_kwic_multiword_expression_matches_all_variants(processed):
    table = kwic(processed, "belt and road", window=1)
    # "Belt & Road" and the "Belt and Road" inside "Belt and Road Initiative".
    assert table["keyword"].tolist() == ["Belt & Road", "Belt and Road"]
    assert table["right"].tolist() == ["links", "Initiative"]
    # The abbreviation's full name is found from the label too.
    assert kwic(processed, "political party")["keyword"].tolist() == ["Political parties"]


def test_kwic_glob_and_regex(processed):
    assert kwic(processed, "road*")["keyword"].tolist() == ["road", "Road", "roads", "Road",
                                                            "road"]
    assert kwic(processed, "/part(y|ies)/")["keyword"].tolist() == ["parties", "party"]
    assert kwic(processed, "belt * road")["keyword"].tolist() == ["Belt & Road",
                                                                  "Belt and Road"]
    with pytest.raises(ValueError, match="regular expression"):
        kwic(processed, "/part(/")


def test_kwic_sorts(processed):
    # First word to the right: "here" (b), "initiative", "links", "of" -> AntConc R1 sort.
    right = kwic(processed, "road", window=2, sort="right")
    assert right["right"].str.split().str[0].str.lower().tolist() == ["here", "initiative",
                                                                     "links", "of"]
    # First word to the left: a, and, another, belt (the & is not a word).
    left = kwic(processed, "road", window=2, sort="left")
    assert left["keyword"].tolist() == ["road", "Road", "road", "Road"]
    assert left["doc"].tolist() == ["a", "a", "b", "a"]
    assert kwic(processed, "road", where="doc=b")["doc"].tolist() == ["b"]


def test_kwic_window_zero_and_no_match(processed):
    table = kwic(processed, "cpec", window=0)
    assert table[["left", "keyword", "right"]].values.tolist() == [["", "CPEC", ""]]
    assert kwic(processed, "nothinglikethis").empty


def test_match_keeps_longest_non_overlapping(processed):
    found = match(processed, "belt and road initiative")
    assert found[["first", "last"]].values.tolist() == [[21, 24]]


def test_dispersion_positions(processed):
    table = dispersion(processed, ["road", "cpec"])
    assert list(table.columns) == ["doc", "term", "position", "relative", "tokens"]
    a = table[table["doc"] == "a"]
    assert a["term"].tolist() == ["road", "road", "road", "cpec"]
    assert a["position"].tolist() == [3, 9, 23, 0]
    n = a["tokens"].iloc[0]
    assert n == 26  # tokens 0..25 of a.txt
    assert a["relative"].tolist() == [round(3 / (n - 1), 4), round(9 / (n - 1), 4),
                                      round(23 / (n - 1), 4), 0.0]
    b = table[table["doc"] == "b"]
    assert b[["position", "relative", "tokens"]].values.tolist() == [[1, 0.5, 3]]


def test_dispersion_measures_by_hand(make_corpus):
    # 10 tokens, two parts of 5: "x" 3 times in part 1, once in part 2.
    folder = make_corpus({"d.txt": "x x x y y x y y y y\n"})
    processed = process(load_corpus(folder))
    table = dispersion_measures(processed, ["x"], parts=2).iloc[0]
    # Gries (2008): v = (3/4, 1/4), s = (1/2, 1/2): DP = 0.5 * (0.25 + 0.25) = 0.25;
    # DP_norm = 0.25 / (1 - 0.5) = 0.5 (Lijffijt & Gries 2012).
    assert table["count"] == 4
    assert table["dp"] == pytest.approx(0.25)
    assert table["dp_norm"] == pytest.approx(0.5)
    # Juilland's D: rates (3/5, 1/5), mean 0.4, sd 0.2, V = 0.5, D = 1 - 0.5 / sqrt(1) = 0.5.
    assert table["juilland_d"] == pytest.approx(0.5)
    even = dispersion_measures(processed, ["y"], parts=2).iloc[0]
    # y: 2 and 4 of 6 -> v = (1/3, 2/3): DP = 0.5 * (1/6 + 1/6) = 1/6.
    assert even["dp"] == pytest.approx(round(1 / 6, 4))


def test_dispersion_measures_by_section(make_corpus):
    folder = make_corpus({
        "d.txt": "x y\nx x y y\n",
        "sections.csv": "file,section,voice,first,last\nd.txt,one,v,1,1\nd.txt,two,v,2,\n",
    })
    processed = process(load_corpus(folder))
    row = dispersion_measures(processed, ["x"], parts="section").iloc[0]
    # sizes 2 and 4 tokens (s = 1/3, 2/3); x 1 and 2 (v = 1/3, 2/3): perfectly proportional.
    assert row["parts"] == 2
    assert row["dp"] == pytest.approx(0.0)
    assert row["juilland_d"] == pytest.approx(1.0)


def test_a_query_is_split_into_words_as_the_texts_are(make_corpus):
    # Symbols, apostrophes, hyphens, abbreviations and numbers: the query's words are the
    # text's, so the phrase is found where it stands.
    query = "Belt & Road, China's win-win H.E 1.3 don't"
    p = process(load_corpus(make_corpus({"a.txt": f"They said {query} again.\n"})))
    lines = kwic(p, query, 1)
    assert lines["keyword"].tolist() == [query]
    assert (lines["left"].tolist(), lines["right"].tolist()) == (["said"], ["again"])


def test_kwic_and_dispersion_of_a_document_equal_the_document_alone(processed, make_corpus):
    # Contexts never leave their document, so b's lines are those of a corpus of b alone.
    alone = process(load_corpus(make_corpus({"b.txt": B}, name="only-b")))
    for query in ("road", "/.*/", "another road"):
        for window in (0, 1, 5):
            assert kwic(processed, query, window, where="doc=b").reset_index(
                drop=True).equals(kwic(alone, query, window))
    table = dispersion(processed, ["road", "here"], where="doc=b")
    assert table.equals(dispersion(alone, ["road", "here"]))
    measures = dispersion_measures(processed, ["road"], parts=2, where="doc=b")
    assert measures.equals(dispersion_measures(alone, ["road"], parts=2))
    with pytest.raises(ValueError, match="'doc=zz': no document of the corpus matches"):
        dispersion(processed, ["road"], where="doc=zz")


def test_kwic_window_counts_words_across_sentences(processed):
    # "links us, and roads too." then the next line: 3 words right of "Road" (2nd match).
    table = kwic(processed, "road", window=3)
    assert table["right"].tolist()[1] == "links us, and"
    # The last "Road" of a.txt has 2 words after it, then the document ends (the full stop
    # is not a token, so the context stops at "again").
    assert table["right"].tolist()[2] == "Initiative again"


@pytest.mark.parametrize("sort", ["position", "left", "right", "keyword"])
def test_kwic_first_lines_are_the_head_of_the_whole_table(processed, sort):
    whole = kwic(processed, "road", window=2, sort=sort)
    assert len(whole) == 4 and whole.attrs["matches"] == 4
    for n in (1, 3, 10):
        first = kwic(processed, "road", window=2, sort=sort, n=n)
        assert first.attrs["matches"] == 4
        assert first.equals(whole.head(n))


def test_kwic_of_a_few_documents_reads_their_tokens_only(make_corpus, monkeypatch):
    # Eight documents, "belt" in the fourth alone: its lines are cut from that document's
    # tokens, read from the cache file, and equal those cut from every token in memory.
    from analysis.text import process as processing

    texts = {f"{k}.txt": "Trade and roads. Ports, trade and roads again.\n" * 3
             for k in range(8)}
    texts["3.txt"] = "Roads: the belt & road. Trade and the belt again.\nMore trade.\n"
    folder = make_corpus(texts)
    process(load_corpus(folder))
    processing.process.cache_clear()
    warm = process(load_corpus(folder))  # from the cache file: no token read yet
    assert "tok_surface" not in warm.columns.__dict__
    sliced = []
    real = type(warm.columns).token_slice

    def slicing(columns, name, start, stop):
        sliced.append((name, start, stop))
        return real(columns, name, start, stop)

    monkeypatch.setattr(type(warm.columns), "token_slice", slicing)
    lines = kwic(warm, "belt", window=3)
    assert lines["left"].tolist() == ["Roads: the", "Trade and the"]
    assert lines["right"].tolist() == ["& road. Trade and", "again. More trade"]
    first = int(warm.columns.doc_first[3])
    rows = (first, first + int(warm.columns.doc_tokens[3]))
    assert {(name, *rows) for name in ("tok_surface", "tok_gap", "tok_length")} == set(sliced)
    assert "tok_surface" not in warm.columns.__dict__  # nothing read whole
    monkeypatch.undo()
    warm.columns.tok_surface  # noqa: B018  every token in memory: the same lines
    assert kwic(warm, "belt", window=3).equals(lines)
