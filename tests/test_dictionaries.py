"""The dictionary engine: readers of five formats, the rules where entries meet, counts by
group counted by hand, the audit, and the sample-to-precision round trip."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import PARTY_METADATA, PARTY_TEXTS, build_one_report, corpus_of, toy

from analysis.dictionaries import Dictionary, DictionaryError, read_dictionary
from analysis.dictionaries.lookup import audit, find, lookup, sample
from analysis.dictionaries.validation import precision
from analysis.intervals import poisson_interval

SLICE = Path(__file__).parent / "data" / "conventions-2012-slice.csv"


def write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def counts(processed, mapping, **options) -> dict[str, int]:
    table = lookup(processed, Dictionary.from_mapping(mapping), **{"by": "corpus", **options})
    return dict(zip(table["category"], table["matches"], strict=True))


# ----------------------------------------------------------------------------- readers


SCHEME = {("economy", "trade"): ["tariff*", "free trade"], ("economy", "jobs"): ["job*"],
          ("security",): ["border*"]}


def entries_of(d: Dictionary) -> dict[tuple[str, ...], list[str]]:
    out: dict[tuple[str, ...], list[str]] = {}
    for e in d.entries:
        out.setdefault(e.category, []).append(e.pattern)
    return out


def test_the_five_formats_read_the_same_scheme(tmp_path):
    files = {
        "s.yml": "economy:\n  trade: [tariff*, free trade]\n  jobs:\n    - job*\n"
                 "security:\n  - border*\n",
        "s.dic": "%\n1\teconomy\n\t2\ttrade\n\t3\tjobs\n4\tsecurity\n%\n"
                 "tariff*\t2\nfree trade\t2\njob*\t3\nborder*\t4\n",
        "s.cat": "ECONOMY\n\tTRADE\n\t\tTARIFF* (1)\n\t\tFREE TRADE (1)\n\tJOBS\n\t\tJOB* (1)\n"
                 "SECURITY\n\tBORDER* (1)\n",
        "s.csv": "category,pattern,source\neconomy.trade,tariff*,codebook p. 2\n"
                 "economy.trade,free trade,codebook p. 2\neconomy.jobs,job*,p. 3\n"
                 "security,border*,p. 4\n",
    }
    for name, text in files.items():
        d = read_dictionary(write(tmp_path, name, text))
        got = {k: [p.lower() for p in v] for k, v in entries_of(d).items()}
        want = {tuple(x.upper() if name.endswith(".cat") else x for x in k): v
                for k, v in SCHEME.items()}
        assert got == want, name
    flat = read_dictionary(write(tmp_path, "s.lc3", "+negative\nabandon*\na lie\n+positive\n"
                                                    "able\n"))
    assert entries_of(flat) == {("negative",): ["abandon*", "a lie"], ("positive",): ["able"]}
    assert read_dictionary(tmp_path / "s.csv").entries[0].source == "codebook p. 2"
    assert read_dictionary(tmp_path / "s.csv").entries[1].line == 3


def test_yaml_words_stay_words(tmp_path):
    # YAML 1.1 would read no, on, off and yes as booleans and 1.0 as a number
    d = read_dictionary(write(tmp_path, "s.yml", "negation: [no, not]\nswitch: [on, off]\n"
                                                 "yes: [agree]\nscore: [1.0]\n"))
    assert entries_of(d) == {("negation",): ["no", "not"], ("switch",): ["on", "off"],
                             ("yes",): ["agree"], ("score",): ["1.0"]}


def test_levels_join_subcategories(tmp_path):
    d = read_dictionary(write(tmp_path, "s.yml", "economy:\n  trade: [tariff*]\n"
                                                 "  jobs: [job*]\nsecurity: [border*]\n"))
    assert d.depth == 2
    assert d.categories() == ["economy.trade", "economy.jobs", "security"]
    assert d.categories(1) == ["economy", "security"]


def test_liwc_2007_layout_with_numbered_categories_and_conditions(tmp_path):
    text = ("%\n01\tfunct\n02\tpronoun\n125\taffect\n126\tposemo\n%\n"
            "a\t01\nhappy\t125\t126\nlike\t02 134)02/125/464 (53 134)125/464\n")
    # "like" names undeclared numbers only inside its conditions, which are not read
    with pytest.raises(DictionaryError, match=r"s\.dic:9: entry 'like'"):
        read_dictionary(write(tmp_path, "s.dic", text))
    text = text.replace("like\t02 134)02/125/464 (53 134)125/464", "like\t02 (53 134)")
    d = read_dictionary(write(tmp_path, "s.dic", text))
    assert entries_of(d) == {("funct",): ["a"], ("affect",): ["happy"],
                             ("posemo",): ["happy"], ("pronoun",): ["like"]}


@pytest.mark.parametrize("name, text, message", [
    ("e.csv", "category,pattern\nmigration,\n", r"e\.csv:2: category 'migration' has no "),
    ("e.csv", "category,pattern\nmigration,immigra*\nmigration,  \n",
     r"e\.csv:3: empty pattern in category 'migration'"),
    ("e.yml", "migration: []\nsecurity: [border*]\n", r"e\.yml:1: category 'migration' has no"),
    ("e.yml", "migration: [immigra*]\nmigration: [asylum]\n",
     r"e\.yml:2: category 'migration' given twice"),
    ("e.yml", "migration: [immigra*\n", r"e\.yml:\d+: broken YAML"),
    ("e.yml", "!!python/object/apply:os.system ['echo hi']\n", r"e\.yml: expected a mapping"),
    ("e.yml", "a: &x [road]\nb: *x\n", r"e\.yml:2: a YAML alias"),
    ("e.yml", "a.b: [x]\na: {b: [y]}\n", r"e\.yml:1: category 'a\.b': nest subcategories"),
    ("e.dic", "%\n1\tposemo\n%\nhappy\t1\t7\n", r"e\.dic:4: entry 'happy' names category '7'"),
    ("e.dic", "%\n1\tposemo\n1\tnegemo\n%\nhappy\t1\n", r"e\.dic:3: category number 1"),
    ("e.dic", "happy\t1\n", r"e\.dic: a LIWC dictionary starts"),
    ("e.lc3", "abandon*\n+negative\n", r"e\.lc3:1: a pattern before the first"),
    ("e.cat", "ECONOMY\n\tJOB* (1)\nSECURITY\n", r"e\.cat: category \('SECURITY',\)|"
                                                 r"e\.cat: category 'SECURITY' has no"),
    ("e.lc3", "+neg\nbad\n+pos\ngood\n+neg\nawful\n", r"e\.lc3:5: category 'neg' declared"),
    ("e.cat", "ECONOMY\n\tJOB* (1)\nECONOMY\n\tTAX* (1)\n", r"e\.cat:3: category 'ECONOMY' "),
    ("e.cat", "ECONOMY\n\tJOB*\n", r"e\.cat:2: 'JOB\*' looks like an entry without"),
    ("e.csv", "category,pattern\nmigration,*\n", r"e\.csv:2: .*would match every word"),
    ("e.csv", "category,pattern\nmigration,asylum **\n", r"would match every word"),
    ("e.txt", "category,pattern\nmigration,x\n", r"e\.txt: cannot tell the dictionary format"),
    ("e.csv", "cat,pat\nmigration,x\n", r"e\.csv:1: expected the header"),
])
def test_bad_dictionaries_are_refused_naming_file_and_line(tmp_path, name, text, message):
    with pytest.raises(DictionaryError, match=message):
        read_dictionary(write(tmp_path, name, text))


def test_a_bad_dictionary_on_the_command_line_is_one_line_exit_2(tmp_path, cli):
    path = write(tmp_path, "e.dic", "%\n1\tposemo\n%\nhappy\t1\t7\n")
    status, out, err = cli("dictionary", "--dictionary", str(path))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "e.dic:4" in err and "Traceback" not in err


def test_a_fifo_or_folder_is_refused_not_waited_on(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.yml")
    with pytest.raises(DictionaryError, match="pipe.yml: not a regular file"):
        read_dictionary(tmp_path / "pipe.yml")
    (tmp_path / "folder.yml").mkdir()
    with pytest.raises(DictionaryError, match="folder.yml"):
        read_dictionary(tmp_path / "folder.yml")


def test_liwc_legend_descriptions_after_a_tab_or_in_brackets(tmp_path):
    d = read_dictionary(write(tmp_path, "s.dic", "%\n1\tposemo (Positive emotion)\n"
                                                 "2\tnegemo\tNegative emotion\n%\n"
                                                 "happy\t1\nsad\t2\n"))
    assert d.categories() == ["posemo", "negemo"]


def test_format_given_overrides_the_suffix(tmp_path):
    path = write(tmp_path, "scheme.txt", "+negative\nabandon*\n")
    assert read_dictionary(path, "lexicoder").categories() == ["negative"]


# ----------------------------------------------------------------------------- rules


def test_quanteda_worked_example_of_nested_matches(make_corpus):
    # ?tokens_lookup (quanteda), "nested matching differences": dict4 <- dictionary(list(
    # paper = "New York Times", city = "New York")) on "The New York Times is a New York
    # paper." gives PAPER CITY ... CITY with nested_scope = "key" (city twice) and PAPER ...
    # CITY with "dictionary" (the New York inside New York Times not counted for city).
    p = toy(make_corpus, "The New York Times is a New York paper.")
    mapping = {"paper": ["New York Times"], "city": ["New York"]}
    assert counts(p, mapping) == {"paper": 1, "city": 2}
    assert counts(p, mapping, nested_scope="dictionary") == {"paper": 1, "city": 1}
    # nested at the end of the longer match, and the same span in two categories
    mapping = {"paper": ["New York Times"], "tail": ["York Times"], "also": ["york times"]}
    assert counts(p, mapping, nested_scope="dictionary") == {"paper": 1, "tail": 0, "also": 0}
    mapping = {"tail": ["York Times"], "also": ["york times"]}
    assert counts(p, mapping, nested_scope="dictionary") == {"tail": 1, "also": 1}


def test_a_phrase_and_its_own_words_in_one_category_count_once(make_corpus):
    # asylum seekers (phrase wins, 1) + asylum (1) + seekers (no entry) = 2
    p = toy(make_corpus, "Asylum seekers wait. Asylum is granted. Seekers arrive.")
    d = Dictionary.from_mapping({"migration": ["asylum", "asylum seeker*"]})
    assert counts(p, {"migration": ["asylum", "asylum seeker*"]}) == {"migration": 2}
    table = audit(p, d)
    rows = table.set_index("entry")
    assert rows.loc["asylum seeker*", "matches"] == 1
    assert rows.loc["asylum", "matches"] == 1 and rows.loc["asylum", "nested"] == 1


def test_one_token_in_two_categories_counts_in_each(make_corpus):
    p = toy(make_corpus, "Trade and tariffs. Trade again.")
    assert counts(p, {"economy": ["trade", "tariff*"], "diplomacy": ["trade"]}) == \
        {"economy": 3, "diplomacy": 2}


def test_overlapping_phrases_join_within_a_category_not_across(make_corpus):
    # quanteda, ?tokens_lookup Details: overlapping values such as "a b" and "b a" are one
    # match within a key and separate matches in different keys.
    p = toy(make_corpus, "Red blue red. Blue red.")
    assert counts(p, {"x": ["red blue", "blue red"]}) == {"x": 2}  # "red blue red" is one
    assert counts(p, {"x": ["red blue"], "y": ["blue red"]}) == {"x": 1, "y": 2}


def test_a_match_overlapping_a_counted_one_is_not_counted_but_the_next_is(make_corpus):
    # ha ha | ha ha: the match across the middle overlaps the first, the third does not
    p = corpus_of(make_corpus, {"a.txt": "Ha ha ha ha.", "b.txt": "X y z x y z.",
                                "c.txt": "Ha ha ha."})
    table = lookup(p, Dictionary.from_mapping({"laugh": ["ha ha"]}), by="doc")
    assert table["matches"].tolist() == [2, 0, 1]
    # x y z [y z x overlaps] x y z: two; in c, "ha ha" counted and the last "ha" alone too
    d = Dictionary.from_mapping({"k": ["x y z", "y z x"], "laugh": ["ha ha", "ha"]})
    table = lookup(p, d, by="doc").set_index(["doc", "category"])["matches"]
    assert table[("b", "k")] == 2 and table[("c", "laugh")] == 2 and table[("a", "laugh")] == 2
    rows = audit(p, d).set_index("entry")
    assert rows.loc["y z x", ["matches", "nested"]].tolist() == [0, 1]


def test_globs_and_case(make_corpus):
    p = toy(make_corpus, "Immigrants and IMMIGRATION; xenophobia, homophobia. Colour color "
                         "colouring. Immigra.")
    assert counts(p, {"a": ["immigra*"], "b": ["*phobia"], "c": ["colo?r"], "d": ["*our*"],
                      "e": ["IMMIGRANTS"]}) == {"a": 3, "b": 2, "c": 1, "d": 2, "e": 1}


def test_phrases_do_not_cross_punctuation_or_sentences(make_corpus):
    p = toy(make_corpus, "Free trade. Free, trade. Free. Trade. Free trade!")
    assert counts(p, {"t": ["free trade"]}) == {"t": 2}


def test_phrase_gaps_in_ascii_and_other_texts(make_corpus):
    # An ASCII text: two spaces and a line's worth of spaces join, a comma or a slash does
    # not; another text: a no-break space joins, a dash does not.
    p = corpus_of(make_corpus, {
        "a.txt": "Free  trade. Free" + " " * 20 + "trade. Free /trade. Free ,trade.",
        "b.txt": "Caf\u00e9. Free\u00a0trade. Free \u2014 trade. Free trade.",
    })
    table = lookup(p, Dictionary.from_mapping({"t": ["free trade"]}), by="doc")
    assert table["matches"].tolist() == [2, 2]


def test_phrase_gaps_after_characters_of_several_bytes(make_corpus):
    # The gaps are read from the bytes: characters of two, three and four bytes before a
    # gap must not shift it. An ideographic or thin space joins, a dash or a quote does not;
    # a gap longer than MAX_GAP (read from the decoded text) joins when it is all white
    # space (ideographic spaces, which cleaning keeps) and not when it is dashes.
    p = corpus_of(make_corpus, {
        "a.txt": "\U0001f600\u00e9 Free\u3000trade. \u20ac\u20ac Free\u2009trade. "
                 "Free\u2014trade. Free \u201ctrade. \U0001f600 Free" + "\u3000" * 30
                 + "trade. Free" + "\u2014" * 20 + "trade.",
        "b.txt": "Free trade. Free" + " " * 20 + "trade.",
    })
    table = lookup(p, Dictionary.from_mapping({"t": ["free trade"]}), by="doc")
    assert table["matches"].tolist() == [3, 2]


def test_phrase_tuples_found_the_same_by_table_search_or_piece_by_piece(make_corpus,
                                                                       monkeypatch):
    # Phrases of two and three tokens, with globs: counted by hand (7, 3, 2) whichever
    # way the engine finds the tuples (a table of every combination, a binary search among
    # the tuples, or each phrase tested piece by piece).
    from analysis.dictionaries import lookup as engine

    p = toy(make_corpus, "Free trade and fair trade. Free trading zones. Fair traders' "
                         "union. The free trade zone. Free trade zone, free trade.")
    mapping = {"trade": ["f* trad*"], "zone": ["free trade zone*", "trading zone*"],
               "fair": ["fair trade*"]}
    expected = {"trade": 7, "zone": 3, "fair": 2}
    assert counts(p, mapping) == expected
    engine.find.cache_clear()
    monkeypatch.setattr(engine, "MAX_CELLS", 0)
    assert counts(p, mapping) == expected
    engine.find.cache_clear()
    monkeypatch.setattr(engine, "MAX_TUPLES", 0)
    assert counts(p, mapping) == expected
    engine.find.cache_clear()


def test_a_word_inside_runs_of_two_categories_is_nested_in_its_own_only(make_corpus):
    # "york" lies inside "new york" (a) and "york times" (b): a's and b's own "york" are
    # nested in their phrase, c's "york" counts; alone, every "york" counts.
    p = toy(make_corpus, "The New York Times. York.")
    d = Dictionary.from_mapping({"a": ["new york", "york"], "b": ["york times", "york"],
                                 "c": ["york"]})
    assert counts(p, {"a": ["new york", "york"], "b": ["york times", "york"],
                      "c": ["york"]}) == {"a": 2, "b": 2, "c": 2}
    rows = audit(p, d).set_index(["category", "entry"])
    assert rows.loc[("a", "york"), ["matches", "nested"]].tolist() == [1, 1]
    assert rows.loc[("b", "york"), ["matches", "nested"]].tolist() == [1, 1]
    assert rows.loc[("c", "york"), ["matches", "nested"]].tolist() == [2, 0]


def test_globs_find_the_terms_their_patterns_match():
    # Prefix and suffix globs are binary searches in the sorted names, other globs a
    # regular expression: each gives the terms the glob's pattern matches, names that hold
    # the last code point (U+10FFFF) included.
    import random

    from analysis.dictionaries.lookup import Vocabulary, glob_regex

    rng = random.Random(2)
    letters = "ab\u00e9\U0010ffff"
    names = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(1, 4)))
                    for _ in range(400)})
    vocabulary = Vocabulary(np.array(names, dtype=object))
    globs = ["a*", "b\U0010ffff*", "\U0010ffff*", "*a", "*\U0010ffff", "*\u00e9b", "a*b",
             "?\U0010ffff", "*b*"]
    for glob in globs:
        pattern = re.compile(glob_regex(glob))
        expected = [i for i, name in enumerate(names) if pattern.fullmatch(name)]
        assert vocabulary.codes(glob).tolist() == expected, glob
    assert len(vocabulary.codes("b\U0010ffff*")) > 3


def test_an_entry_with_an_apostrophe_is_split_as_the_texts_are(make_corpus):
    p = toy(make_corpus, "China's road and China 's friends.")
    assert counts(p, {"c": ["china's"]}) == {"c": 2}


def test_non_english_documents_are_matched(make_corpus):
    p = corpus_of(make_corpus, {"de.txt": "Die Straße und die Straßenbahn. Grüße aus Köln.",
                                "fr.txt": "Le café et les cafés du coin."})
    assert counts(p, {"strasse": ["straße*"], "cafe": ["café*"], "koeln": ["köln"]}) == \
        {"strasse": 2, "cafe": 2, "koeln": 1}


def test_level_one_counts_a_token_of_two_subcategories_once(make_corpus):
    p = toy(make_corpus, "Trade deals. Trade jobs.")
    d = Dictionary.from_mapping({"economy": {"trade": ["trade*"], "commerce": ["trade"]},
                                 "work": ["job*"]})
    table = lookup(p, d, by="corpus")
    assert dict(zip(table["category"], table["matches"], strict=True)) == \
        {"economy.trade": 2, "economy.commerce": 2, "work": 1}
    table = lookup(p, d, level=1, by="corpus")
    assert dict(zip(table["category"], table["matches"], strict=True)) == \
        {"economy": 2, "work": 1}
    with pytest.raises(ValueError, match="levels 1 to 2"):
        lookup(p, d, level=3, by="corpus")


# ----------------------------------------------------------------------------- counts


@pytest.fixture
def party(make_corpus):
    return corpus_of(make_corpus, PARTY_TEXTS, **{"metadata.csv": PARTY_METADATA})


def test_counts_by_group_by_hand(party):
    # a (red): Road road peace. Trade grows.   5 words: roads 2, trade 1
    # b (blue): Road trade. Trade trade peace. 5 words: roads 1, trade 3
    # c (green): Peace talks today. Road ahead. 5 words: roads 1, trade 0
    # d (red): Trade road road road.           4 words: roads 3, trade 1
    d = Dictionary.from_mapping({"roads": ["road*"], "trade": ["trade"]})
    table = lookup(party, d, by="party")
    assert table.columns.tolist() == ["party", "category", "matches", "words", "per_1000",
                                      "low", "high", "documents", "range", "dp"]
    red = table[table["party"] == "red"].set_index("category")
    assert red.loc["roads", "matches"] == 5 and red.loc["roads", "words"] == 9
    assert red.loc["roads", "per_1000"] == round(5 / 9 * 1000, 3)
    low, high = poisson_interval([5], [9])
    assert (red.loc["roads", "low"], red.loc["roads", "high"]) == (round(low[0], 3),
                                                                   round(high[0], 3))
    assert red.loc["roads", "documents"] == 2 and red.loc["roads", "range"] == 2
    # roads in red: a 2 of 5 words, d 3 of 4 words: v = (0.4, 0.6), s = (5/9, 4/9)
    dp = 0.5 * (abs(0.4 - 5 / 9) + abs(0.6 - 4 / 9)) / (1 - 4 / 9)
    assert red.loc["roads", "dp"] == round(dp, 4)
    green = table[table["party"] == "green"].set_index("category")
    assert green.loc["trade", "matches"] == 0 and green.loc["trade", "documents"] == 0
    assert np.isnan(green.loc["trade", "dp"])  # one document: no dispersion
    whole = lookup(party, d, by="corpus")
    assert whole["matches"].tolist() == [7, 5] and whole["words"].tolist() == [19, 19]


def test_where_and_lone_document(party, make_corpus):
    d = Dictionary.from_mapping({"roads": ["road*"]})
    table = lookup(party, d, by="doc", where="party=red")
    assert table["doc"].tolist() == ["a", "d"] and table["matches"].tolist() == [2, 3]
    lone = corpus_of(make_corpus, {"t.txt": "One road."}, name="lone")
    assert lookup(lone, d, by="corpus")["matches"].tolist() == [1]


def test_audit_lists_forms_shares_and_unmatched_entries(make_corpus):
    p = toy(make_corpus, "Immigrants, immigrants and immigration. Migrants. Immigrant. "
                         "Refugee refugees.")
    d = Dictionary.from_mapping({"migration": ["immigra*", "migrant*", "emigr*"],
                                 "refuge": ["refugee*"]})
    table = audit(p, d)
    assert table.columns.tolist() == ["category", "entry", "line", "source", "matches",
                                      "nested", "forms", "category_matches", "top3_share"]
    first = table.iloc[0]
    assert (first["entry"], first["matches"], first["forms"]) == \
        ("immigra*", 4, "immigrants (2); immigrant (1); immigration (1)")
    # migration: 5 matches, forms immigrants 2, immigrant 1, immigration 1, migrants 1:
    # the three most frequent carry 4 of 5
    assert first["category_matches"] == 5 and first["top3_share"] == 0.8
    unmatched = table[table["matches"] + table["nested"] == 0]["entry"].tolist()
    assert unmatched == ["emigr*"]
    assert table[table["category"] == "refuge"]["top3_share"].tolist() == [1.0]
    short = audit(p, d, top=1)
    assert short[["category", "entry"]].values.tolist() == [["migration", "immigra*"],
                                                            ["refuge", "refugee*"]]


# ----------------------------------------------------------------------------- validation


def test_sample_is_seeded_and_round_trips_to_precision(party, tmp_path, cli):
    path = write(tmp_path, "d.yml", "roads: [road*]\ntrade: [trade]\n")
    corpus = Path(party.corpus.root)
    out = tmp_path / "sample.csv"
    args = ("dictionary", "--corpus", str(corpus), "--dictionary", str(path), "--sample", "3",
            "--seed", "7", "--by", "party")
    status, _, err = cli(*args, "--out", str(out))
    assert status == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["category"] for r in rows] == ["roads"] * 3 + ["trade"] * 3
    assert {r["correct"] for r in rows} == {""} and all(r["party"] for r in rows)
    assert all(r["form"] in ("road", "trade") and r["match"].lower() == r["form"] for r in rows)
    status, _, _ = cli(*args, "--out", str(tmp_path / "again.csv"))
    assert (tmp_path / "again.csv").read_bytes() == out.read_bytes()
    status, _, err = cli(*args, "--out", str(out))  # never over a coder's file
    assert status == 2 and "exists" in err
    # the coder's judgements: roads 2 of 3 correct, trade 3 of 3
    for row, value in zip(rows, ["yes", "no", "1", "y", "YES", "true"], strict=True):
        row["correct"] = value
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    status, text, err = cli("dictionary", "--validate", str(out), "--format", "csv")
    assert status == 0, err
    table = pd.read_csv(__import__("io").StringIO(text))
    assert table["category"].tolist() == ["roads", "trade"]
    assert table["coded"].tolist() == [3, 3] and table["correct"].tolist() == [2, 3]
    assert table["precision"].tolist() == [0.6667, 1.0]
    # Wilson (1927) for 3 of 3: (1 + z^2/6 - z*sqrt(z^2/36)) / (1 + z^2/3) = 3 / (3 + z^2)
    assert table["low"].tolist()[1] == round(3 / (3 + 1.959964 ** 2), 4)


def test_a_quoted_category_reads_back_and_a_short_row_is_refused(tmp_path):
    path = write(tmp_path, "coded.csv", "category,form,correct\n'=sum,sum,yes\n'=sum,x,no\n")
    assert precision(path)["category"].tolist() == ["=sum"]
    with pytest.raises(DictionaryError, match="short.csv:3: not the 3 fields"):
        precision(write(tmp_path, "short.csv", "category,form,correct\nroads,road,yes\n"
                                               "roads,road\n"))
    latin = tmp_path / "excel.csv"  # saved by a spreadsheet in Windows-1252
    latin.write_bytes("category,form,correct\ncaf\u00e9,caf\u00e9,yes\n".encode("cp1252"))
    assert precision(latin)["category"].tolist() == ["caf\u00e9"]


def test_a_bad_judgement_names_its_row(tmp_path, cli):
    path = write(tmp_path, "coded.csv", "category,form,correct\nroads,road,yes\n"
                                        "roads,road,maybe\n")
    status, out, err = cli("dictionary", "--validate", str(path))
    assert status == 2 and "coded.csv:3" in err and "'maybe'" in err
    with pytest.raises(DictionaryError, match="no column correct"):
        precision(write(tmp_path, "x.csv", "category,form\nroads,road\n"))


def test_sample_cells_cannot_become_spreadsheet_formulas(make_corpus, tmp_path, cli):
    folder = make_corpus({"t.txt": "=HYPERLINK(road) is here.\n"})
    path = write(tmp_path, "d.csv", "category,pattern\nx,hyperlink\n")
    out = tmp_path / "s.csv"
    status, _, err = cli("dictionary", "--corpus", str(folder), "--dictionary", str(path),
                         "--sample", "1", "--out", str(out))
    assert status == 0, err
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert row["left"] == "'=" and row["match"] == "HYPERLINK"


def test_sample_draws_at_most_n_per_category(party):
    d = Dictionary.from_mapping({"roads": ["road*"], "none": ["zebra"]})
    s = sample(party, d, 2, seed=1, by="corpus")
    assert s["category"].tolist() == ["roads", "roads"]
    assert len(sample(party, d, 100, seed=1, by="corpus")) == 7


# ----------------------------------------------------------------------------- other verbs


def test_kwic_trends_and_keyness_take_a_category(party, tmp_path, cli):
    path = write(tmp_path, "d.csv", "category,pattern\nroads,road*\ncommerce,trade\n")
    corpus = str(Path(party.corpus.root))
    status, out, err = cli("kwic", "@roads", "--corpus", corpus, "--dictionary", str(path),
                           "--format", "csv")
    assert status == 0, err
    lines = pd.read_csv(__import__("io").StringIO(out))
    assert len(lines) == 7 and set(lines["keyword"].str.lower()) == {"road"}
    status, out, err = cli("trends", "@commerce", "--corpus", corpus, "--dictionary",
                           str(path), "--interval", "year", "--format", "csv")
    assert status == 0, err
    table = pd.read_csv(__import__("io").StringIO(out))
    # 2020: a, b, d (trade 1 + 3 + 1 = 5); 2021: c (0)
    assert table["count"].tolist() == [5, 0]
    status, out, err = cli("keyness", "--corpus", corpus, "--dictionary", str(path),
                           "--target", "party=red", "--min-count", "0", "--format", "csv")
    assert status == 0, err
    table = pd.read_csv(__import__("io").StringIO(out)).set_index("term")
    assert table.loc["roads", "target_count"] == 5 and table.loc["roads", "reference_count"] == 2
    status, _, err = cli("kwic", "@nothing", "--corpus", corpus, "--dictionary", str(path))
    assert status == 2 and "no such category" in err
    status, _, err = cli("kwic", "@roads", "--corpus", corpus)
    assert status == 2 and "needs --dictionary" in err
    status, out, err = cli("keyness", "--corpus", corpus, "--dictionary", str(path),
                           "--by", "party")
    assert status == 2 and out == "" and "not with --by" in err


def test_counts_equal_an_independent_count_on_real_speeches():
    """Three categories on the convention speeches, counted again with regular expressions
    over the lower-cased texts (words as letter runs joined by apostrophes or hyphens)."""
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    p = process(load_corpus(SLICE))
    mapping = {"thanks": ["thank*"], "family": ["mother", "father", "famil*", "daughter*"],
               "country": ["united states", "america*"]}
    got = counts(p, mapping)
    texts = " ".join(pd.read_csv(SLICE)["text"]).lower()
    words = re.findall(r"[a-z]+(?:['’-][a-z]+)*", texts)
    expected = {
        "thanks": sum(w.startswith("thank") for w in words),
        "family": sum(w in ("mother", "father") or w.startswith(("famil", "daughter"))
                      for w in words),
        "country": len(re.findall(r"\bunited states\b", texts))
        + sum(w.startswith("america") for w in words),
    }
    assert got == expected and min(expected.values()) > 3


OVERLAPS = {
    "a.txt": "The New York Times is a New York paper. New York, New York. Ha ha ha ha ha.\n",
    "b.txt": "York times: the new york times. Red blue red blue. New York Times York.\n",
    "c.txt": "Nothing here. Trade and tariffs, trade. Ha ha. Blue red.\n",
    "d.txt": "Red blue red. New York New York Times Times. Trading trade.\n",
}
OVERLAPS_METADATA = "file,party\na.txt,red\nb.txt,blue\nc.txt,red\nd.txt,green\n"
# Terms in several categories (york, red, trade), entries of one category matching one
# term twice (trade, trad*), phrases inside, across and beside others, nested levels.
OVERLAPS_DICTIONARY = {
    "news": {"paper": ["new york times", "times"], "city": ["new york", "york"]},
    "place": ["york", "new york", "york times"],
    "colour": {"warm": ["red", "red blue", "blue red"], "cold": ["blue", "blue red"]},
    "laugh": ["ha ha", "ha"],
    "economy": ["trade", "trad*", "tariff*", "trade and tariffs"],
}


@pytest.mark.parametrize("level", [None, 1])
@pytest.mark.parametrize("scope", ["key", "dictionary"])
def test_lookup_counts_what_find_lists(make_corpus, monkeypatch, level, scope):
    # lookup counts the matches without listing them (classes of terms, the rules applied
    # where phrases match): per document and party, the same numbers as find()'s list of
    # matches counted group by group, also when the tokens are read a few at a time and the
    # cells and classes are looked up by sorting.
    from analysis.dictionaries import lookup as engine

    p = corpus_of(make_corpus, OVERLAPS, **{"metadata.csv": OVERLAPS_METADATA})
    assert p.doc_ids.tolist() == ["a", "b", "c", "d"]
    d = Dictionary.from_mapping(OVERLAPS_DICTIONARY)
    found = find(p, d, level=level, nested_scope=scope)
    doc = p.columns.doc_of(found.start)
    party = np.array(["red", "blue", "red", "green"])  # documents a, b, c, d

    def listed(by):
        keys = p.doc_ids[doc] if by == "doc" else party[doc]
        table = pd.Series(1, index=pd.MultiIndex.from_arrays(
            [keys, np.array(found.categories)[found.category]])).groupby(level=[0, 1]).sum()
        return {k: int(v) for k, v in table.items()}

    def counted(by):
        table = lookup(p, d, by=by, level=level, nested_scope=scope)
        return {(g, c): int(n) for g, c, n in zip(table[by], table["category"],
                                                 table["matches"], strict=True) if n}

    expected = {by: listed(by) for by in ("doc", "party")}
    assert sum(expected["doc"].values()) > 20 and len(expected["doc"]) > 10
    for by in ("doc", "party"):
        assert counted(by) == expected[by]
    monkeypatch.setattr(engine, "CHUNK", 3)
    monkeypatch.setattr(engine, "TALLY_CELLS", 0)
    monkeypatch.setattr(engine, "MEMBER_CELLS", 0)
    for by in ("doc", "party"):
        assert counted(by) == expected[by]


def test_lookup_counts_by_voice_what_find_lists():
    # The seed texts' voices: a document's parts are its voices' paragraphs, interleaved.
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    p = process(load_corpus())
    d = Dictionary.from_mapping({"corridor": ["cpec", "economic corridor", "corridor*"],
                                 "party": ["part*", "political parties", "communist party"],
                                 "china": ["china*", "chinese", "communist party of china"]})
    found = find(p, d)
    voice = p.paragraphs["voice"].to_numpy()[p.columns.para_of(found.start)]
    expected = pd.Series(1, index=pd.MultiIndex.from_arrays(
        [voice, np.array(found.categories)[found.category]])).groupby(level=[0, 1]).sum()
    table = lookup(p, d, by="voice").set_index(["voice", "category"])["matches"]
    assert table[table > 0].sort_index().to_dict() == expected.sort_index().to_dict()
    assert len(expected) > 5


def test_find_gives_each_match_once_with_its_category(party):
    found = find(party, Dictionary.from_mapping({"b": ["trade"], "a": ["road*"]}))
    assert found.categories == ["b", "a"]
    assert sorted(found.category.tolist()) == [0] * 5 + [1] * 7
    assert len(set(zip(found.start.tolist(), found.category.tolist(), strict=True))) == 12
    terms = party.columns.term_names[party.columns.tok_term[found.start]]
    assert set(terms[found.category == 0]) == {"trade"}
    assert set(terms[found.category == 1]) == {"road"}


# ----------------------------------------------------------------------------- the report

OUTLETS_DICTIONARY = ("category,pattern,source\n"
                      "sea.harbour,harbour*,test scheme\nsea.fish,fisherm*,test scheme\n"
                      "land,farm*,test scheme\nland,harvest,test scheme\n"
                      "culture,symphon*,test scheme\nculture,opera,test scheme\n")


def test_notebook_03_applies_the_analysts_dictionary(tmp_path, cli):
    """Report 03 on a non-seed corpus with -p DICTIONARY and -p DICTIONARY_LEVEL: the
    narrated sentence and the audit's data are those the library computes."""
    import html

    from test_reports import OUTLETS, visible

    from analysis import build, narrate
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    scheme = write(tmp_path, "scheme.csv", OUTLETS_DICTIONARY)
    corpus, out, result = build_one_report(
        tmp_path, OUTLETS, "03-framing-four-roads.ipynb", name="outlets", by="outlet",
        parameters={"DICTIONARY": str(scheme), "DICTIONARY_LEVEL": 1, "METAPHORS": "case-study"})
    assert not result.failures, result.failures
    page = visible((out / "reports" / "03-framing-four-roads.html").read_text("utf-8"))
    processed = process(load_corpus(corpus))
    d = read_dictionary(scheme)
    table = lookup(processed, d, by="outlet", level=1)
    # sea: harbour 2 + fishermen 2 (a.txt and d.txt, both Coast Herald) = 4 matches
    sea = table[table["category"] == "sea"].set_index("outlet")["matches"]
    assert sea.to_dict() == {"City Times": 0, "Coast Herald": 4, "Farm Weekly": 0}
    sentence = html.unescape(str(narrate.coding(table, "outlet")).replace("\\", ""))
    assert " ".join(sentence.replace("*", "").split()) in " ".join(page.split())
    audited = audit(processed, d, level=1).set_index("entry")
    assert audited.loc["harbour*", "forms"] == "harbour (2)"
    assert audited.loc["opera", "matches"] == 0
    for entry, forms in audited["forms"].items():  # every entry shown, with its forms
        assert entry in page and forms in page
    assert "the 10 entries of each category with most matches" in " ".join(page.split())
    # the case study's markers, asked for: the harvest of b.txt and e.txt is a candidate
    markers = pd.read_csv(out / "reports" / "data" / "03-metaphors.csv")
    assert markers.set_index("marker")["count"].to_dict() == {"harvest": 2}
    assert "Precision of the case study" not in page  # a case-study cell
    # not asked for: no marker list on a corpus the markers were not written for
    default = build.build(corpus_dir=corpus, out_dir=tmp_path / "default",
                          notebooks_dir=tmp_path / "notebooks-outlets")
    assert not default.failures
    page = visible((tmp_path / "default" / "reports" / "03-framing-four-roads.html")
                   .read_text("utf-8"))
    assert "No marker list is applied to this corpus: the case study" in " ".join(
        page.split())
    assert "No candidate marker" not in page  # said once, not as markers searched for
    status, _, err = cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "bad"),
                         "-p", f"DICTIONARY={tmp_path / 'missing.yml'}")
    assert status == 2 and "missing.yml" in err and err.count("\n") == 1


def test_a_metadata_column_named_like_a_sample_column_is_no_by(make_corpus):
    from analysis.units import check_by

    p = corpus_of(make_corpus, {"a.txt": "Road.", "metadata.csv": "file,correct\na.txt,yes\n"})
    with pytest.raises(ValueError, match="by 'correct': the tables have a column"):
        check_by(p.corpus, "correct")


def test_the_build_reads_every_dictionary_parameter_before_any_notebook(tmp_path, cli,
                                                                        make_corpus):
    corpus = make_corpus({"a.txt": "Road and trade.\n"})
    globbed = write(tmp_path, "actors.csv", "category,pattern\nperson.Farage,farage*\n")
    broken = write(tmp_path, "frames.csv", "category,pattern\neconomy,\n")
    for option, message in ((f"ACTORS={globbed}", "actors.csv:2: 'farage*': an actor "),
                            (f"FRAMES={broken}", "frames.csv:2: category 'economy' has no"),
                            ("ACTORS=vader", "-p ACTORS: vader: cannot tell the dictionary"),
                            (f"METAPHORS={tmp_path / 'none.yml'}", "none.yml: cannot read")):
        status, out, err = cli("build", "--corpus", str(corpus), "--out",
                               str(tmp_path / "out"), "-p", option)
        assert status == 2 and err.count("\n") == 1 and message in err, (option, err)
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_a_phrase_of_sixteen_words_is_read_and_matched_and_seventeen_refused(tmp_path,
                                                                             make_corpus):
    """An organisation's full name runs to a dozen words (the case study's gazetteer has
    one of twelve); the limit is sixteen, and one line names the entry beyond it."""
    from analysis.corpus import load_corpus
    from analysis.dictionaries import DictionaryError, read_dictionary
    from analysis.dictionaries.lookup import lookup
    from analysis.text.process import process

    words = [f"w{i}" for i in range(17)]
    sixteen = write(tmp_path, "long.csv", "category,pattern\nname," + " ".join(words[:16]) + "\n")
    folder = make_corpus({"t.txt": " ".join(words[:16]) + ". " + " ".join(words[:15]) + ".\n"})
    counts = lookup(process(load_corpus(folder)), read_dictionary(sixteen), by="corpus")
    assert counts["matches"].tolist() == [1]
    seventeen = write(tmp_path, "longer.csv", "category,pattern\nname," + " ".join(words) + "\n")
    with pytest.raises(DictionaryError, match=r"longer.csv:2: pattern .* 17 words; at most 16"):
        read_dictionary(seventeen)
