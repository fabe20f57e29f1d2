"""Phrases joined into single terms (analysis.text.compounds), counted by hand on toy texts."""

from __future__ import annotations

import re

import pytest

from analysis.corpus import load_corpus
from analysis.text.compounds import joined, parse_phrase, read_phrases
from analysis.text.process import cache_key, process

# Several groups, a date, a lone document and a non-English one.
TEXTS = {
    "a.txt": "The United Nations met. The united nations voted.\n",  # 2 joins
    "b.txt": "Asylum seekers waited; an asylum seeker spoke. United, Nations.\n",  # 2 + none
    "c.txt": "United \t Nations staff.\n",  # only white space between: 1 join
    "d.txt": "Die Vereinten Nationen tagten in Genf.\n",  # German: nothing to join
    "e.txt": "A lone text about the nations.\n",
}
METADATA = ("file,outlet,date\n"
            "a.txt,north,2020-01\nb.txt,north,2021\nc.txt,south,2020-03-04\n"
            "d.txt,south,2019\ne.txt,west,2022\n")


@pytest.fixture
def folder(make_corpus):
    return make_corpus({**TEXTS, "metadata.csv": METADATA})


def tokens_of(processed, doc):
    table = processed.tokens
    return table.loc[table["doc"] == doc, "token"].tolist()


def test_phrases_and_globs_join_in_every_document(folder):
    corpus = load_corpus(folder).with_compounds([("united", "nations"), ("asylum", "seeker*")])
    p = process(corpus)
    assert tokens_of(p, "a") == ["The", "United_Nations", "met", "The", "united_nations",
                                 "voted"]
    # a comma between the words ends a phrase; a glob matches seekers and seeker
    assert tokens_of(p, "b") == ["Asylum_seekers", "waited", "an", "asylum_seeker", "spoke",
                                 "United", "Nations"]
    assert tokens_of(p, "c") == ["United_Nations", "staff"]
    assert tokens_of(p, "d") == ["Die", "Vereinten", "Nationen", "tagten", "in", "Genf"]
    table = joined(p)
    assert table.values.tolist() == [["united_nations", 3, 2], ["asylum_seeker", 1, 1],
                                     ["asylum_seekers", 1, 1]]
    # the joined token spans the text as written; words per sentence counted once
    tokens = p.tokens.set_index(["doc", "position"])
    start, end = tokens.loc[("c", 0), ["start", "end"]]
    assert p.texts["c"][start:end].split() == ["United", "Nations"]
    assert p.sentences.loc[p.sentences["doc"] == "a", "words"].tolist() == [3, 3]
    assert int(p.tokens["is_word"].sum()) == 6 + 7 + 2 + 6 + 6


def test_every_analysis_counts_the_joined_term(folder, cli):
    phrases = folder.parent / "phrases.txt"
    phrases.write_text("# bodies\nUnited Nations\n\nasylum seeker*\n", encoding="utf-8")
    status, out, _ = cli("freq", "--corpus", str(folder), "--compound", str(phrases),
                         "--format", "csv", "--top", "3")
    assert status == 0
    assert out.splitlines()[1].startswith("united_nations,3,")
    # outlet north: united_nations 2 (a), south: 1 (c)
    status, out, _ = cli("freq", "--corpus", str(folder), "--compound", str(phrases),
                         "--by", "outlet", "--format", "csv")
    rows = [line.split(",")[:3] for line in out.splitlines()[1:]]
    assert ["north", "united_nations", "2"] in rows and ["south", "united_nations", "1"] in rows
    assert ["north", "united", "1"] in rows  # b's "United, Nations" is not joined
    assert not any(row[:2] == ["south", "united"] for row in rows)
    # the concordance finds the compound as a phrase or as the joined term (the phrase also
    # finds b's "United, Nations", which a query, unlike a compound, reads across a comma)
    for query, lines in (("united nations", 4), ("united_nations", 3), ("United_Nations", 3)):
        status, out, _ = cli("kwic", query, "--corpus", str(folder), "--compound", str(phrases),
                             "--format", "csv")
        assert status == 0 and len(out.splitlines()) == 1 + lines, query
        assert "a,1,The,United Nations,met" in out
    status, out, _ = cli("kwic", "united_nations", "--corpus", str(folder), "--format", "csv")
    assert len(out.splitlines()) == 1 + 4  # nothing joined: read as the phrase
    status, out, _ = cli("keyness", "--corpus", str(folder), "--compound", str(phrases),
                         "--target", "outlet=north", "--format", "csv")
    assert status == 0 and "united_nations,2,1," in out


def test_overlapping_matches_join_into_one_and_touching_ones_stay_apart(make_corpus):
    # quanteda's join = TRUE: a b + b c on "a b c" -> a_b_c; a b + c d on "a b c d" -> a_b c_d
    folder = make_corpus({"t.txt": "Alpha beta gamma. Alpha beta gamma delta.\n"})
    corpus = load_corpus(folder)
    p = process(corpus.with_compounds([("alpha", "beta"), ("beta", "gamma")]))
    assert tokens_of(p, "t") == ["Alpha_beta_gamma", "Alpha_beta_gamma", "delta"]
    p = process(corpus.with_compounds([("alpha", "beta"), ("gamma", "delta")]))
    assert tokens_of(p, "t") == ["Alpha_beta", "gamma", "Alpha_beta", "gamma_delta"]
    # a phrase never crosses a sentence, nor a paragraph (a line)
    p = process(corpus.with_compounds([("gamma", "alpha")]))
    assert joined(p).empty
    p = process(load_corpus(make_corpus({"t.txt": "Alpha\nbeta alpha beta\n"}, "lines"))
                .with_compounds([("alpha", "beta")]))
    assert tokens_of(p, "t") == ["Alpha", "beta", "alpha_beta"]


def test_compounds_are_part_of_the_cache_key(folder):
    corpus = load_corpus(folder)
    keys = {cache_key(corpus), cache_key(corpus.with_compounds([("united", "nations")])),
            cache_key(corpus.with_compounds([("united", "nation*")]))}
    assert len(keys) == 3
    assert cache_key(corpus.with_compounds([])) == cache_key(corpus)
    # a second process reads the cache and gives the same tokens
    joined_corpus = corpus.with_compounds([("united", "nations")])
    assert process(joined_corpus).tokens.equals(process(joined_corpus).tokens)
    assert "United" in tokens_of(process(corpus), "a")


@pytest.mark.parametrize(("content", "message"), [
    ("United Nations\nnations\n", "line 2: 'nations' is one token"),
    ("a b\n* *\n", "line 2: '* *' is only wildcards"),
    ("ok words\n" + "w " * 11 + "\n", "line 2: 'w w w w w w w w w w w' has 11 tokens"),
    (b"ok words\n\xff\xfe\n", "line 2: not valid UTF-8"),
    (b"ok\x00words\n", "line 1: binary content"),
])
def test_a_bad_phrase_file_is_one_line_naming_file_and_line(tmp_path, cli, content, message):
    path = tmp_path / "phrases.txt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        read_phrases(path)
    status, out, err = cli("freq", "--compound", str(path))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and str(path) in err and message in err
    assert "Traceback" not in err


def test_missing_file_and_bad_top(tmp_path, cli):
    status, _, err = cli("freq", "--compound", str(tmp_path / "none.txt"))
    assert status == 2 and "none.txt: cannot be read" in err and err.count("\n") == 1
    status, _, err = cli("freq", "--compound-top", "-1")
    assert status == 2 and "--compound-top -1" in err


def test_parse_phrase_tokenizes_as_texts_are():
    assert parse_phrase("China's  economy") == ("china", "'s", "economy")
    assert parse_phrase("Belt & Road") == ("belt", "&", "road")
    assert parse_phrase("UNITED_NATIONS") == ("united", "nations")
    assert parse_phrase("asylum SEEK?R*") == ("asylum", "seek?r*")
