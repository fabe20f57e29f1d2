"""Tests of the CQL subset (analysis/cql.py), each operator counted by hand on the toy
CoNLL-U corpus of conftest.py (``dawn-1``: "Song Tao praised the new road. Roads don't
end."; ``nation-1``: "Pakistan builds a road to China." / "Good roads matter.")."""

from __future__ import annotations

import pytest

from analysis.concordance import kwic, match
from analysis.corpus import load_corpus
from analysis.cql import MAX_REPEAT, CQLError, parse
from analysis.readers.conllu import load_conllu
from analysis.text.process import process


@pytest.fixture
def toy(toy_conllu):
    return process(load_conllu(toy_conllu))


def spans(processed, query):
    """Each match as ``doc:first-last`` (token positions in the document)."""
    table = match(processed, query)
    return [f"{d}:{f}-{t}" for d, f, t in zip(table["doc"], table["first"], table["last"],
                                              strict=True)]


@pytest.mark.parametrize(("query", "expected"), [
    # one test: the lemma road is road, Roads, road, roads
    ('[lemma="road"]', ["dawn-1:5-5", "dawn-1:7-7", "nation-1:3-3", "nation-1:8-8"]),
    # a value is a whole-token regular expression: "road" is not "roads"
    ('[word="road"]', ["dawn-1:5-5", "nation-1:3-3"]),
    ('[word="road|roads"]', ["dawn-1:5-5", "nation-1:3-3", "nation-1:8-8"]),
    ('[word="road"%c]', ["dawn-1:5-5", "nation-1:3-3"]),
    ('[word="roads"%c]', ["dawn-1:7-7", "nation-1:8-8"]),  # Roads and roads
    ('[] "Roads"', []),  # a bare string is [word="..."], case kept: never after a token
    ('[word="the"] [] "road"', ["dawn-1:3-5"]),
    # a sequence: ADJ then the lemma road (new road, Good roads)
    ('[upos="ADJ"] [lemma="road"]', ["dawn-1:4-5", "nation-1:7-8"]),
    # the example: road to China
    ('[lemma="road"] [word="of|to|for"] [upos="NOUN|PROPN"]', ["nation-1:3-5"]),
    # != and &: tokens of the lemmas road or build that are not verbs (the four roads)
    ('[lemma="road|build" & upos!="VERB"]', ["dawn-1:5-5", "dawn-1:7-7", "nation-1:3-3",
                                              "nation-1:8-8"]),
    ('[lemma="road|build" & !upos="NOUN"]', ["nation-1:1-1"]),
    ('[upos="PROPN" | upos="ADJ"]', ["dawn-1:0-0", "dawn-1:1-1", "dawn-1:4-4",
                                      "nation-1:0-0", "nation-1:5-5", "nation-1:7-7"]),
    # [] any token; {n,m}: road, then up to 2 tokens, then a proper noun (road to China)
    ('[lemma="road"] []{0,2} [upos="PROPN"]', ["nation-1:3-5"]),
    ('[upos="DET"] [] [lemma="road"]', ["dawn-1:3-5"]),  # the new road
    # + is the longest run: Song Tao is one match, not two
    ('[ent="PER"]+', ["dawn-1:0-1"]),
    ('[ent_iob="B"] [ent_iob="I"]*', ["dawn-1:0-1", "nation-1:0-0", "nation-1:5-5"]),
    # ? optional: (a) road
    ('[upos="DET"]? [word="road"]', ["dawn-1:5-5", "nation-1:2-3"]),
    # never across a sentence: "road ." then "Roads" are in two sentences
    ('[lemma="road"] [] [lemma="road"]', []),
    ('[deprel="nsubj"] [upos="AUX"] [upos="PART"]', ["dawn-1:7-9"]),  # Roads do n't
])
def test_each_operator_counted_by_hand(toy, query, expected):
    assert spans(toy, query) == expected


def test_plain_queries_work_as_before(toy):
    assert spans(toy, "roads") == ["dawn-1:7-7", "nation-1:8-8"]
    assert spans(toy, "road*") == ["dawn-1:5-5", "dawn-1:7-7", "nation-1:3-3", "nation-1:8-8"]
    assert spans(toy, "/roads?/") == spans(toy, "road*")


def test_kwic_shows_a_cql_match_in_context(toy):
    table = kwic(toy, '[lemma="road"] [word="to"] [upos="PROPN"]')
    assert table[["doc", "left", "keyword", "right"]].values.tolist() == [
        ["nation-1", "Pakistan builds a", "road to China", ". Good roads matter."]]


def test_word_and_term_on_a_plain_corpus():
    p = process(load_corpus())
    assert len(match(p, '[term="road"]')) == len(match(p, "road")) > 0
    with pytest.raises(CQLError, match=r"column 2: unknown attribute 'lemma' \(this corpus "
                       r"has: word, term\)"):
        match(p, '[lemma="road"]')


@pytest.mark.parametrize(("query", "column", "expected"), [
    ('[lemma="road" &]', 16, "an attribute"),
    ('[lemma="road"', 14, r"'\]' or an operator"),
    ('[lemma "road"]', 8, "= or !="),
    ('[lemma=road]', 8, "a value in double quotes"),
    ('[lemma="road]', 14, "the closing"),
    ('[lemma="road"]{3,1}', 16, "a repetition"),
    ('[lemma="road"]{x}', 16, "a repetition"),
    ('road [lemma="x"]', 1, "a token pattern"),
    ('[lemma="road"%d]', 14, "the flag %c"),
])
def test_a_query_that_does_not_parse_names_its_column(query, column, expected):
    with pytest.raises(CQLError, match=rf"^query .*: column {column}: expected {expected}"):
        parse(query)


def test_a_bad_regular_expression_names_its_column(toy):
    with pytest.raises(CQLError, match=r"column 2: bad regular expression '\('"):
        match(toy, '[lemma="("]')


def test_open_repetition_is_bounded():
    assert [(p.low, p.high) for p in parse("[]* []+ []{2,}")] == [
        (0, MAX_REPEAT), (1, MAX_REPEAT), (2, MAX_REPEAT)]


def test_the_command_line(cli, toy_conllu):
    status, out, err = cli("kwic", '[upos="ADJ"] [lemma="road"]', "--corpus", str(toy_conllu),
                           "--format", "csv")
    assert status == 0, err
    assert [line.split(",")[3] for line in out.strip().splitlines()[1:]] == [
        "new road", "Good roads"]
    status, out, err = cli("kwic", '[upos="ADJ" &]', "--corpus", str(toy_conllu))
    assert status == 2 and out == ""
    assert err.strip() == ("error: query '[upos=\"ADJ\" &]': column 14: expected an attribute "
                           "(word, lemma, upos...), found ']'")
