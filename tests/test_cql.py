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


# --- one query engine: collocates, trends, freq and keyness read CQL as kwic does


def test_collocates_of_the_matched_spans(toy):
    """The spans new road (dawn-1) and Good roads (nation-1): the words around each span,
    never the span's own words. Within the sentence and one word a side: *the* before new
    road (a full stop after it), *matter* after Good roads (nothing before it)."""
    from analysis.collocation import collocates

    table = collocates(toy, '[upos="ADJ"] [lemma="road"]', left=1, right=1, stopwords=True,
                       min_count=1, within_sentence=True)
    assert table["collocate"].tolist() == ["matter", "the"]
    assert table["count"].tolist() == [1, 1] and set(table["node_count"]) == {2}
    # Two words a side, across sentences but inside the document: praised the | Roads do;
    # to China | (end of nation-1) and matter.
    table = collocates(toy, '[upos="ADJ"] [lemma="road"]', left=2, right=2, stopwords=True,
                       min_count=1)
    assert sorted(table["collocate"]) == ["china", "do", "matter", "praised", "roads", "the",
                                          "to"]


def test_trends_counts_a_cql_query_as_a_term(toy):
    """dawn-1, the only dated document (2020-08, 10 words): the lemma road twice (road,
    Roads), the word road once."""
    from analysis.trends import trends

    table = trends(toy, ['[lemma="road"]', "road"], "year", by="corpus")
    assert table[["term", "period", "count", "words"]].values.tolist() == [
        ['[lemma="road"]', "2020", 2, 10], ["road", "2020", 1, 10]]


def test_freq_counts_the_matches_by_their_forms(toy):
    """Each match once, labelled by its words as written (Sketch Engine's frequency by node
    forms) or by a layer; per 1,000 of the 19 words."""
    from analysis.frequency import frequency

    table = frequency(toy, query='[lemma="road"]', by="corpus")
    assert table[["term", "count", "range"]].values.tolist() == [
        ["road", 2, 2], ["Roads", 1, 1], ["roads", 1, 1]]
    assert table["per_1000"].tolist() == [round(2000 / 19, 3), round(1000 / 19, 3),
                                          round(1000 / 19, 3)]
    table = frequency(toy, query='[upos="ADJ"] [lemma="road"]', layer="lemma", by="corpus")
    assert table[["term", "count"]].values.tolist() == [["good road", 1], ["new road", 1]]
    table = frequency(toy, query='[lemma="road"] "to" []', by="doc")
    assert table[["doc", "term", "count"]].values.tolist() == [["nation-1", "road to China", 1]]
    with pytest.raises(ValueError, match="no nope layer"):
        frequency(toy, query='[lemma="road"]', layer="nope")


def test_keyness_on_lemmas(toy):
    """dawn-1 against nation-1 by lemma: road 2 and 2 (road, Roads | road, roads), where the
    terms split it as road 1 | 1 and roads 1 | 1 (Roads and roads are one term)."""
    from analysis.keyness import keyness, keywords_by

    table = keyness(toy, "dawn-1", "nation-1", layer="lemma", min_count=1).set_index("term")
    assert (table.at["road", "target_count"], table.at["road", "reference_count"]) == (2, 2)
    assert "roads" not in table.index
    terms = keyness(toy, "dawn-1", "nation-1", min_count=1).set_index("term")
    assert (terms.at["road", "target_count"], terms.at["roads", "target_count"]) == (1, 1)
    nouns = keyness(toy, "dawn-1", "nation-1", layer="lemma", upos="NOUN", min_count=1)
    assert nouns["term"].tolist() == ["road"]
    by = keywords_by(toy, by="doc", layer="lemma", min_count=1, n=100)
    assert by.set_index(["doc", "term"]).at[("dawn-1", "road"), "target_count"] == 2


def test_the_commands_take_cql(cli, toy_conllu):
    corpus = ("--corpus", str(toy_conllu), "--format", "csv")
    status, out, err = cli("freq", "--cql", '[upos="ADJ"] [lemma="road"]', *corpus)
    assert status == 0, err
    assert [row.split(",")[:2] for row in out.splitlines()[1:]] == [["Good roads", "1"],
                                                                     ["new road", "1"]]
    # One word a side, across sentences (the full stops are not words): the | Roads, and
    # China | matter.
    status, out, err = cli("collocates", '[upos="ADJ"] [lemma="road"]', "--window", "1",
                           "--min-count", "1", "--stopwords", *corpus)
    assert status == 0, err
    assert sorted(line.split(",")[0] for line in out.splitlines()[1:]) == [
        "china", "matter", "roads", "the"]
    status, out, err = cli("trends", '[lemma="road"]', *corpus)
    assert status == 0, err
    assert out.splitlines()[1].startswith('"[lemma=""road""]",2020,2,10,')
    status, out, err = cli("keyness", "--lemma", "--target", "dawn-1", "--reference",
                           "nation-1", "--min-count", "1", *corpus)
    assert status == 0, err
    assert "road,2,2," in out
    for argv in (("freq", "--cql", '[lemma="road"'), ("collocates", '[lemma="road"'),
                 ("trends", '[lemma="road"')):
        status, out, err = cli(*argv, *corpus)
        assert status == 2 and out == "" and err.startswith("error: query '[lemma=\"road\"'")
    status, out, err = cli("freq", "--cql", '[lemma="road"]', "--upos", "NOUN", *corpus)
    assert status == 2 and "not with --upos" in err


def test_the_explorer_takes_cql(toy):
    """Every view of a CQL query: two lines (new road, Good roads), one per document, and
    the spread of each matched form per document."""
    from analysis.explore import views

    out = views(toy, '[upos="ADJ"] [lemma="road"]', by="doc")
    assert out["lines"] == 2
    assert out["concordance"]["keyword"].tolist() == ["new road", "Good roads"]
    assert out["dispersion"][["doc", "count"]].values.tolist() == [["dawn-1", 1],
                                                                   ["nation-1", 1]]
    assert out["spread"][["doc", "term", "count"]].values.tolist() == [
        ["dawn-1", "new road", 1], ["nation-1", "Good roads", 1]]
