"""Groups, subsets and unit specs (analysis.units), counted by hand on a toy corpus.

The toy corpus has a three-valued ``party`` column, a ``date`` column with a partial date and
a ``rating`` column of numbers. Words per document (none is a stop word): a 5, b 5, c 5, d 4.
(``PARTY_TEXTS`` and ``PARTY_METADATA`` of conftest.py.)
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from conftest import PARTY_METADATA as METADATA
from conftest import PARTY_TEXTS as TEXTS

from analysis import units
from analysis.corpus import CorpusError, load_corpus
from analysis.frequency import frequency
from analysis.keyness import keyness, keywords_by, log_likelihood, top_keywords
from analysis.overview import summary
from analysis.text.process import process


@pytest.fixture
def processed(make_corpus):
    return process(load_corpus(make_corpus({**TEXTS, "metadata.csv": METADATA})))


def test_variables_are_typed_and_blank_columns_left_out(make_corpus):
    metadata = ("file,party,date,rating,empty\n"
                "a.txt,red,2020-01-15,1,\nb.txt,blue,2020-04,2.5,\nc.txt,green,,-3,\n")
    table = units.variables(load_corpus(make_corpus({**TEXTS, "metadata.csv": metadata})))
    assert list(table.columns) == ["doc", "party", "date", "rating"]
    assert table.attrs["kinds"] == {"party": "text", "date": "date", "rating": "number"}


def test_variables_are_made_at_once_not_inserted_column_by_column(make_corpus, monkeypatch):
    # Each insert copies the frame's column index: 20,000 columns took minutes.
    header = ",".join(f"v{i}" for i in range(300))
    folder = make_corpus({"a.txt": "A.", "b.txt": "B.", "metadata.csv": f"file,{header}\n"
                          + "".join(f"{f},{','.join(str(i) for i in range(300))}\n"
                                    for f in ("a.txt", "b.txt"))})
    corpus = load_corpus(folder)

    def refuse(*args, **kwargs):
        raise AssertionError("a column inserted into a frame")

    monkeypatch.setattr(pd.DataFrame, "__setitem__", refuse)
    monkeypatch.setattr(pd.DataFrame, "insert", refuse)
    table = units.variables(corpus)
    assert list(table.columns) == ["doc", *(f"v{i}" for i in range(300))]
    assert table["v299"].tolist() == ["299", "299"]


def test_by_is_validated_with_one_message_listing_what_is_allowed(processed):
    with pytest.raises(ValueError, match=r"by 'genre': not a unit or document variable of this "
                                         r"corpus \(allowed: corpus, doc, section, voice, "
                                         r"party, date, rating\)"):
        frequency(processed, by="genre")


def test_groups_are_sorted_values_with_their_documents_and_words(processed):
    table = units.groups_of(processed, "party")
    assert table.values.tolist() == [["blue", 1, 5], ["green", 1, 5], ["red", 2, 9]]
    ratings = units.groups_of(processed, "rating")["rating"].tolist()
    assert ratings == ["1", "2", "3", "4"]
    dates = units.groups_of(processed, "date")["date"].tolist()
    assert dates == ["2020-01-15", "2020-02-10", "2020-04", "2021"]  # by time


def test_documents_without_a_value_form_the_last_group(make_corpus):
    folder = make_corpus({**TEXTS, "metadata.csv": "file,party\na.txt,red\nb.txt,blue\n"})
    p = process(load_corpus(folder))
    assert units.groups_of(p, "party")["party"].tolist() == ["blue", "red", "(none)"]
    assert units.groups_of(p, "party")["documents"].tolist() == [1, 1, 2]


def test_group_word_list_with_range_and_dispersion_by_hand(processed):
    table = frequency(processed, by="party").set_index(["party", "term"])
    # red = a (5 words) + d (4 words); part shares s = 5/9 and 4/9.
    red_road = table.loc[("red", "road")]
    assert (red_road["count"], red_road["range"]) == (5, 2)
    assert red_road["per_1000"] == pytest.approx(round(5 / 9 * 1000, 3))
    # road: v = 2/5, 3/5. DP = 0.5 * (|2/5 - 5/9| + |3/5 - 4/9|) = 7/45, / (1 - 4/9) = 0.28.
    assert red_road["dp"] == pytest.approx(0.28, abs=1e-4)
    # trade 1 + 1: DP = 1/18, normalised 0.1; peace in a alone: DP = 4/9, normalised 0.8.
    assert table.loc[("red", "trade"), "dp"] == pytest.approx(0.1, abs=1e-4)
    assert table.loc[("red", "peace"), ["range", "dp"]].tolist() == [1, pytest.approx(0.8)]
    # a group of one document has no dispersion
    assert np.isnan(table.loc[("blue", "trade"), "dp"])
    assert table.loc[("blue", "trade"), "count"] == 3
    assert frequency(processed, by="party", min_range=2)["term"].tolist() == ["road", "trade"]


def test_corpus_dispersion_with_unequal_parts_by_hand(processed):
    # road over a, b, c, d: counts 2, 1, 1, 3 (7); sizes 5, 5, 5, 4 of 19 words.
    row = frequency(processed, by="corpus").set_index("term").loc["road"]
    s = np.array([5, 5, 5, 4]) / 19
    v = np.array([2, 1, 1, 3]) / 7
    dp = 0.5 * np.abs(v - s).sum()
    assert row["range"] == 4
    assert row["dp"] == pytest.approx(round(dp / (1 - 4 / 19), 4))
    assert row["dp"] != pytest.approx(round(dp, 4))  # the normalisation matters here


@pytest.mark.parametrize("where, expected", [
    ("party=red", ["a", "d"]),
    ("party=red,blue", ["a", "b", "d"]),
    ("party!=red", ["b", "c"]),
    ("date>=2020-02", ["b", "c", "d"]),    # a (Jan 15) is before; b is April
    ("date<2020-03", ["a", "d"]),
    ("date<2020-04", ["a", "d"]),          # b is the whole of April: not before it
    ("date<=2020-04", ["a", "b", "d"]),
    ("date>2020", ["c"]),
    ("date=2020", ["a", "b", "d"]),        # a full date is inside its year
    ("date>=2021-06", []),                 # 2021 may be earlier than June
    # c (2021) straddles each bound below: it may fall on either side, so it satisfies none
    ("date<2021-06", ["a", "b", "d"]),
    ("date<=2021-06", ["a", "b", "d"]),
    ("date>2021-03", []),
    ("date=2021-06", []),
    ("date!=2021-06", ["a", "b", "c", "d"]),
    ("rating>=3", ["c", "d"]),
    ("rating=2", ["b"]),
    (["party=red", "date>=2020-02"], ["d"]),  # all must hold
    ("party=red;rating<2", ["a"]),
    ("doc=b,c", ["b", "c"]),
])
def test_where(processed, where, expected):
    mask = units.doc_mask(processed.corpus, where)
    assert [d for d, keep in zip(processed.corpus.ids, mask, strict=True) if keep] == expected


@pytest.mark.parametrize("where, message", [
    ("genre=news", "no column 'genre' (known: doc, party, date, rating)"),
    ("party>red", "party is text; use = or !="),
    ("date>=2020-13", "'2020-13' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("rating>high", "rating is a number"),
    ("party", "expected COLUMN=VALUE"),
    ("party=", "expected COLUMN=VALUE"),
])
def test_bad_where(processed, where, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        units.select(processed, where)


def test_select_is_a_corpus_of_its_own_and_leaves_the_input_alone(processed):
    red = units.select(processed, "party=red")
    assert red.corpus.ids == ["a", "d"]
    assert sorted(red.tokens["doc"].unique()) == ["a", "d"]
    assert red.tokens["doc_index"].tolist() == [0] * 5 + [1] * 4
    assert len(processed.corpus) == 4 and len(processed.tokens) == 19
    assert units.select(processed, None) is processed
    assert frequency(red, by="corpus").set_index("term")["count"].to_dict() == {
        "road": 5, "trade": 2, "grows": 1, "peace": 1}
    with pytest.raises(ValueError, match="'party=purple': no document of the corpus matches"):
        units.select(processed, "party=purple")


def test_one_group_against_the_rest_is_the_two_unit_formula_on_summed_counts(processed):
    table = keyness(processed, "party=red", min_count=1).set_index("term")
    # road: 5 of red's 9 words; 2 of the rest's 10 (b 1, c 1).
    assert table.loc["road", ["target_count", "reference_count"]].tolist() == [5, 2]
    assert table.loc["road", "g2"] == round(float(log_likelihood(5, 2, 9, 10)), 4)
    # a group as reference: red against blue
    vs_blue = keyness(processed, "party=red", "party=blue", min_count=1).set_index("term")
    assert vs_blue.loc["trade", ["target_count", "reference_count"]].tolist() == [2, 3]
    with pytest.raises(ValueError, match="overlap"):
        keyness(processed, "party=red", "a")


def test_keywords_by_a_variable_equals_keyness_of_each_group(processed):
    table = keywords_by(processed, by="party", n=2, min_count=1)
    assert table["party"].drop_duplicates().tolist() == ["blue", "green", "red"]
    for party in ("blue", "green", "red"):
        expected = top_keywords(keyness(processed, f"party={party}", min_count=1), 2)
        mine = table[table["party"] == party].drop(columns="party").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, expected)


def test_date_that_does_not_parse_is_refused_naming_file_line_and_value(make_corpus):
    folder = make_corpus({**TEXTS, "metadata.csv": METADATA.replace("2021", "21/03/2021")})
    with pytest.raises(CorpusError, match=r"metadata.csv: line 4: date '21/03/2021' is not "
                                          r"YYYY, YYYY-MM or YYYY-MM-DD"):
        load_corpus(folder)
    folder = make_corpus({**TEXTS, "metadata.csv": METADATA.replace("2020-04", "2020-02-30")},
                         name="second")
    with pytest.raises(CorpusError, match="line 3: date '2020-02-30'"):
        load_corpus(folder)


def test_every_analysis_takes_a_variable_as_by(processed):
    from analysis import actors, stance
    from analysis.framing import frames

    assert frames.frame_shares(processed, by="party")["party"].unique().tolist() == [
        "blue", "green", "red"]
    modal = stance.modality(processed, by="party", level="category")
    assert modal.groupby("party")["words"].first().to_dict() == {"blue": 5, "green": 5,
                                                                 "red": 9}
    people = stance.participants(processed, by="party")
    assert set(people["party"]) == {"blue", "green", "red"}
    evaluation = stance.evaluation_summary(processed, by="party")
    assert evaluation[["party", "sentences"]].values.tolist() == [["blue", 2], ["green", 2],
                                                                 ["red", 3]]
    assert actors.actor_counts(processed, by="party").empty  # the toy texts name nobody


def test_largest_groups_by_words_ties_by_label_in_corpus_order(make_corpus):
    folder = make_corpus({"c.txt": "one two three\n", "a.txt": "one two\n",
                          "b.txt": "one two\n", "d.txt": "one\n"})
    p = process(load_corpus(folder))
    order = p.corpus.ids
    # c has 3 words; a and b 2 each (tie: a first by label); d 1.
    assert units.largest(p, "doc", 2) == [d for d in order if d in {"c", "a"}]
    assert units.largest(p, "doc", 1) == ["c"]
    assert units.largest(p, "doc", 10) == list(order)
    with pytest.raises(ValueError, match="n must be at least 1, not 0"):
        units.largest(p, "doc", 0)


def test_largest_of_a_variable_and_of_sections(processed):
    assert units.largest(processed, "party", 1) == ["red"]  # 9 words
    assert units.largest(processed, "section", 2) == ["a/main", "b/main"]  # ties by label


def test_row_labels_name_documents_sections_voices_and_values():
    table = pd.DataFrame({"doc": ["a", "a", "b"], "section": ["head", "body", "body"],
                          "voice": ["paper", "author", "paper"], "party": ["x", "x", "y"]})
    assert units.row_labels(table, "doc").tolist() == ["a", "a", "b"]
    assert units.row_labels(table, "section").tolist() == ["a/head", "a/body", "b/body"]
    assert units.row_labels(table, "voice").tolist() == ["paper", "author", "paper"]
    assert units.row_labels(table, "party").tolist() == ["x", "x", "y"]
    assert units.row_labels(table, "corpus").tolist() == ["corpus"] * 3
    with pytest.raises(ValueError, match="by 'genre': the table has no 'genre' column"):
        units.row_labels(table, "genre")


def test_keep_keeps_the_given_groups_in_the_given_order():
    table = pd.DataFrame({"doc": ["a", "a", "b", "c"], "section": ["h", "b", "b", "b"],
                          "voice": ["paper", "author", "paper", "author"], "n": [1, 2, 3, 4]})
    assert units.keep(table, ["c", "a"])["n"].tolist() == [4, 1, 2]
    assert units.keep(table, ["b/b", "a/h"], by="section")["n"].tolist() == [3, 1]
    assert units.keep(table, ["author"], by="voice")["n"].tolist() == [2, 4]
    assert units.keep(table, ["x"]).empty


def test_keep_rows_of_a_frame_table_by_section(make_corpus):
    # A few units of a large corpus: their rows, in the order asked for. Section a
    # (paragraph 1) and b (paragraph 2) of one document t, a frame table of both.
    from analysis.framing import frames

    sections = "file,section,voice,first,last\nt.txt,a,x,1,1\nt.txt,b,y,2,\n"
    folder = make_corpus({"t.txt": "The economy grew. The cat sat.\nTerror attacks fell.\n",
                          "sections.csv": sections})
    shares = frames.frame_shares(process(load_corpus(folder)), by="section")
    only_b = units.keep(shares, ["t/b"], by="section")
    assert set(only_b["section"]) == {"b"} and len(only_b) == len(shares) // 2
    swapped = units.keep(shares, ["t/b", "t/a"], by="section")
    assert list(dict.fromkeys(swapped["section"])) == ["b", "a"]
    assert swapped["frame"].tolist() == only_b["frame"].tolist() * 2  # table order kept
    assert units.keep(shares, ["t"]).equals(shares)
    assert units.keep(shares, ["other"]).empty
    with pytest.raises(ValueError, match="by 'party': the table has no 'party' column"):
        units.keep(shares, ["t"], by="party")


def test_tables_of_the_corpus_keep_the_chosen_documents(make_corpus):
    from analysis.corpus import metadata_table, section_table

    folder = make_corpus({
        "a.txt": "One two three.\nFour.\n", "b.txt": "One.\n", "c.txt": "One two.\n",
        "sections.csv": "file,section,first,last\na.txt,top,1,1\na.txt,rest,2,\nb.txt,all,1,\n",
    })
    corpus = load_corpus(folder)
    p = process(corpus)
    shown = ["a", "c"]
    assert units.keep(summary(p), shown)["doc"].tolist() == ["a", "c"]
    sections = units.keep(summary(p, by="section"), shown)
    assert sections[["doc", "section"]].values.tolist() == [["a", "top"], ["a", "rest"],
                                                            ["c", "main"]]
    assert units.keep(metadata_table(corpus), shown)["doc"].tolist() == ["a", "c"]
    assert units.keep(section_table(corpus), shown)["section"].tolist() == ["top", "rest"]


def test_documents_without_a_value_match_no_condition_but_none(make_corpus):
    folder = make_corpus({**TEXTS, "metadata.csv": "file,party,date,rating\na.txt,red,2020,1\n"
                                                   "b.txt,,2021,\nc.txt,blue,,3\n"})
    corpus = load_corpus(folder)

    def ids(where):
        return [d for d, m in zip(corpus.ids, units.doc_mask(corpus, where), strict=True) if m]

    assert ids("party!=red") == ["c"]          # b and d have no party
    assert ids("date!=2020") == ["b"]
    assert ids("rating!=1") == ["c"]
    assert ids("party=(none)") == ["b", "d"]
    assert ids("party!=(none)") == ["a", "c"]
    assert ids("date=(none)") == ["c", "d"]
    with pytest.raises(ValueError, match="an empty value; documents without a value are "
                                         r"party=\(none\)"):
        ids("party=red,")
    p = process(corpus)
    assert keyness(p, "party=(none)", min_count=1)["target_count"].sum() > 0


def test_a_variable_named_like_a_table_column_cannot_be_by(make_corpus):
    folder = make_corpus({**TEXTS, "metadata.csv": "file,term\na.txt,x\nb.txt,y\n"})
    with pytest.raises(ValueError, match="by 'term': the tables have a column of that name"):
        frequency(process(load_corpus(folder)), by="term")


def test_keywords_by_skips_a_group_without_words(make_corpus):
    folder = make_corpus({**TEXTS, "z.txt": "...!\n",
                          "metadata.csv": METADATA + "z.txt,purple,2020,5\n"})
    table = keywords_by(process(load_corpus(folder)), by="party", n=1, min_count=1)
    assert table["party"].drop_duplicates().tolist() == ["blue", "green", "red"]


# --------------------------------------------------------------------------- bins
# Words per document: a 5, b 5, c 5, d 4, e 3 (German), f 2 (the lone value of its decade).
BIN_TEXTS = {**TEXTS, "e.txt": "Frieden und Handel.\n", "f.txt": "Lone road.\n"}
BIN_METADATA = ("file,party,date,gdp,year\n"
                "a.txt,red,1995-01-15,500,1995\n"
                "b.txt,blue,2004-04,1500,2004\n"
                "c.txt,green,2011,NA,2011\n"
                "d.txt,red,1999-02-10,20000,1990\n"
                "e.txt,blue,2001,800,2001\n"
                "f.txt,green,1987,1000,1987\n")


@pytest.fixture
def binned(make_corpus):
    return process(load_corpus(make_corpus({**BIN_TEXTS, "metadata.csv": BIN_METADATA})))


def sizes(processed, by):
    table = summary(processed, by=by)
    return table.iloc[:, 0].tolist(), table["documents"].tolist(), table["words"].tolist()


def test_bins_between_given_edges(binned):
    # [0, 1000): a 500, e 800; [1000, 10000): f 1000 (left edge closed), b 1500;
    # [10000, 100000] (last closed): d 20000; c has NA
    assert sizes(binned, "gdp:bins=0,1000,10000,100000") == (
        ["[0, 1000)", "[1000, 10000)", "[10000, 100000]", "(none)"],
        [2, 2, 1, 1], [5 + 3, 5 + 2, 4, 5])
    # the last edge is in the last bin
    assert sizes(binned, "gdp:bins=500,1000,20000")[:2] == (
        ["[500, 1000)", "[1000, 20000]", "(none)"], [2, 3, 1])


def test_quantiles_of_the_documents_values(binned):
    # values 500, 800, 1000, 1500, 20000 (c missing); numpy's linear quantiles, as qcut's:
    # 0.5 -> 1000; bins [500, 1000] (a, e, f), (1000, 20000] (b, d)
    assert sizes(binned, "gdp:quantiles=2") == (
        ["Q1 [500, 1000]", "Q2 (1000, 20000]", "(none)"], [3, 2, 1], [10, 9, 5])
    names = sizes(binned, "gdp:quantiles=4")[0]
    # 0.25 -> 800, 0.75 -> 1500
    assert names == ["Q1 [500, 800]", "Q2 (800, 1000]", "Q3 (1000, 1500]",
                     "Q4 (1500, 20000]", "(none)"]


def test_decades_of_dates_and_of_years(binned):
    # date: a 1995, d 1999, f 1987, b 2004, e 2001, c 2011
    assert sizes(binned, "date:decade") == (["1980s", "1990s", "2000s", "2010s"],
                                            [1, 2, 2, 1], [2, 9, 8, 5])
    # year: d is 1990 here, still the 1990s
    assert sizes(binned, "year:decade")[:2] == (["1980s", "1990s", "2000s", "2010s"],
                                                [1, 2, 2, 1])


def test_bins_in_every_analysis_name_the_column_after_the_variable(binned):
    by = "gdp:bins=0,1000,100000"
    table = frequency(binned, by=by)
    assert table.columns[0] == "gdp"
    # road: a 2, f 1 in [0, 1000) ... a and e and f: a road 2 + f road 1 = 3
    low = table[table["gdp"] == "[0, 1000)"].set_index("term")["count"]
    assert low["road"] == 2 and low["frieden"] == 1
    high = table[table["gdp"] == "[1000, 100000]"].set_index("term")["count"]
    assert high["road"] == 1 + 3 + 1 and high["trade"] == 3 + 1
    table = keywords_by(binned, by=by, n=1, min_count=1)
    assert table.columns[0] == "gdp"
    assert set(table["gdp"]) <= {"[0, 1000)", "[1000, 100000]", "(none)"}
    assert units.row_labels(table, by).tolist() == table["gdp"].tolist()


def test_a_missing_value_goes_to_the_missing_group(make_corpus):
    metadata = BIN_METADATA.replace("c.txt,green,2011,NA,2011", "c.txt,green,,NA,")
    p = process(load_corpus(make_corpus({**BIN_TEXTS, "metadata.csv": metadata})))
    assert sizes(p, "date:decade")[:2] == (["1980s", "1990s", "2000s", "(none)"], [1, 2, 2, 1])
    assert sizes(p, "year:decade")[:2] == (["1980s", "1990s", "2000s", "(none)"], [1, 2, 2, 1])


@pytest.mark.parametrize(("by", "message"), [
    ("gdp:bins=0,1000", "2 documents outside the edges (values from 500 to 20000)"),
    ("gdp:bins=0,100,1000,100000", "no document falls in the bin [0, 100)"),
    ("gdp:bins=1000,100", "the edges of bins= must increase"),
    ("gdp:bins=a,b", "bins=EDGE,EDGE,... takes 2 to 101 numbers"),
    ("gdp:bins=", "bins=EDGE,EDGE,... takes 2 to 101 numbers"),
    ("gdp:quantiles=1", "quantiles=N takes a whole number from 2 to 100"),
    ("gdp:quantiles=x", "quantiles=N takes a whole number from 2 to 100"),
    ("gdp:quantiles=6", "no document falls in the bin"),
    ("gdp:quintiles=3", "expected VARIABLE:bins=EDGE,EDGE,..., VARIABLE:quantiles=N or "
                        "VARIABLE:decade"),
    ("party:decade", "party is text; a decade needs a date or a number"),
    ("party:quantiles=2", "party is text, not a number"),
    ("date:bins=0,1", "date is date, not a number"),
    ("year:decade=2", "decade takes no value"),
    ("genre:decade", "not a unit or document variable of this corpus"),
])
def test_a_bad_bin_is_one_line_naming_the_by(binned, by, message):
    with pytest.raises(ValueError, match=re.escape(f"by {by!r}")) as caught:
        units.check_by(binned.corpus, by)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_tied_quantiles_are_refused_not_dropped(make_corpus):
    # values 1, 1, 1, 1, 1, 5: every quartile edge but the last is 1, so pandas' qcut with
    # duplicates="drop" would give one range [1, 5] for four asked: refused, naming it
    metadata = "file,gdp\n" + "".join(f"{f},{v}\n" for f, v in zip(
        sorted(BIN_TEXTS), [1, 1, 1, 1, 1, 5], strict=True))
    p = process(load_corpus(make_corpus({**BIN_TEXTS, "metadata.csv": metadata})))
    with pytest.raises(ValueError, match=r"ties, so only 1 distinct quantile ranges exist"):
        units.check_by(p.corpus, "gdp:quantiles=4")
    assert pd.qcut([1, 1, 1, 1, 1, 5], 4, duplicates="drop").categories.size == 1
    # the same values in bins given by hand
    assert sizes(p, "gdp:bins=0,2,6")[:2] == (["[0, 2)", "[2, 6]"], [5, 1])


def test_bins_on_the_command_line_and_in_the_build(make_corpus, cli):
    folder = make_corpus({**BIN_TEXTS, "metadata.csv": BIN_METADATA})
    status, out, _ = cli("corpus", "--corpus", str(folder), "--by", "date:decade",
                         "--format", "csv")
    assert status == 0 and out.splitlines()[0].startswith("date,documents")
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["1980s", "1990s", "2000s",
                                                                     "2010s"]
    status, out, err = cli("freq", "--corpus", str(folder), "--by", "gdp:bins=0,10")
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "by 'gdp:bins=0,10': 5 documents outside the edges" in err
    status, out, err = cli("freq", "--corpus", str(folder), "--by", "party:decade")
    assert status == 2 and "party is text" in err and err.count("\n") == 1
    # the build refuses a bad bin before any notebook runs, as --by or as -p BY
    out_dir = folder.parent / "out"
    for option in (["--by", "gdp:quantiles=6"], ["-p", "BY=gdp:quantiles=6"]):
        status, out, err = cli("build", "--corpus", str(folder), "--out", str(out_dir), *option)
        assert status == 2 and "no document falls in the bin" in err, option
        assert err.count("\n") == 1 and not out_dir.exists()


# Modules that are the machinery analyses are built on (grouping, languages, text, layers,
# query matching, the corpus index), whose functions take the units as given, not as by and
# where.
MACHINERY = ("analysis.units", "analysis.lang", "analysis.text", "analysis.layers",
             "analysis.cql", "analysis.build", "analysis.index")
HELPERS = {"analysis.actors.lower_cased", "analysis.concordance.match",
           "analysis.concordance.match_lines", "analysis.dictionaries.lookup.category_rows",
           "analysis.dictionaries.lookup.find", "analysis.dictionaries.lookup.joined_by_space",
           "analysis.dictionaries.lookup.match_forms",
           "analysis.dictionaries.lookup.match_table",
           "analysis.dictionaries.lookup.unit_counts", "analysis.explore.default_query",
           "analysis.explore.explorer", "analysis.explorer_page.save_explorer",
           "analysis.explorer_page.write_explorer", "analysis.frequency.counted_codes",
           "analysis.frequency.occurrence_codes", "analysis.frequency.occurrences",
           "analysis.frequency.unit_counts",
           "analysis.textmodels.wordscores.scores_for", "analysis.topics.segments"}


def test_every_analysis_takes_by_and_where_by_keyword_with_one_default():
    import importlib
    import inspect
    import pkgutil

    import analysis

    checked, wrong = 0, []
    for info in pkgutil.walk_packages(analysis.__path__, "analysis."):
        if info.name == "analysis.__main__" or info.name.startswith(MACHINERY):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            function = getattr(module, name)
            qualified = f"{info.name}.{name}"
            if (not inspect.isfunction(inspect.unwrap(function)) or qualified in HELPERS
                    or function.__module__ != info.name):
                continue
            parameters = inspect.signature(function).parameters
            if list(parameters)[:1] != ["processed"]:
                continue
            checked += 1
            where, by = parameters.get("where"), parameters.get("by")
            if where is None or where.kind != where.KEYWORD_ONLY or where.default is not None:
                wrong.append(f"{qualified}: where")
            if by is not None and (by.kind != by.KEYWORD_ONLY or by.default not in ("doc", None)):
                wrong.append(f"{qualified}: by={by.default!r}")
    assert checked >= 50
    assert wrong == []


def test_sentence_rows_from_document_and_number(make_corpus):
    from conftest import corpus_of

    # a: 3 sentences (rows 0-2); b: 2 (rows 3-4); c: 1 (row 5)
    p = corpus_of(make_corpus, {"a.txt": "One. Two. Three.", "b.txt": "Four. Five.",
                                "c.txt": "Six."})
    table = pd.DataFrame({"doc": ["c", "a", "b", "a"], "sentence": [1, 3, 2, 1]})
    rows = units.sentence_rows(p, table)
    assert rows.tolist() == [5, 2, 4, 0]
    assert p.sentences["text"].to_numpy()[rows].tolist() == ["Six.", "Three.", "Five.", "One."]
