"""The freq, keyness, kwic and collocates subcommands, on a tmp corpus and on the seeds."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

A = "The road is long. The road and the Road!\nParties meet. A party met.\n"
B = "Belt & Road and Belt and Road.\nPolitical Parties meet.\n"


@pytest.fixture
def corpus(make_corpus):
    return str(make_corpus({"a.txt": A, "b.txt": B}))



def records(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


def test_freq_corpus_and_doc(cli, corpus):
    status, out, err = cli("freq", "--corpus", corpus, "--format", "csv", "--top", "2")
    assert status == 0 and err == ""
    rows = records(out)
    # road: 3 in a.txt (b.txt's roads are inside "belt and road"); 14 + 9 = 23 words.
    # DP: parts of 14/23 and 9/23 words. road lives in a alone: 0.5 * (|1 - 14/23| +
    # |0 - 9/23|) = 9/23, normalised by 1 - 9/23 = 14/23: 9/14 = 0.6429. belt and road lives
    # in b, the smallest part, alone: DP = 14/23, normalised 1.
    assert rows == [{"term": "road", "count": "3", "per_1000": "130.435", "range": "1",
                     "dp": "0.6429"},
                    {"term": "belt and road", "count": "2", "per_1000": "86.957", "range": "1",
                     "dp": "1.0"}]
    status, out, _ = cli("freq", "--corpus", corpus, "--doc", "b", "--format", "json")
    assert status == 0
    data = json.loads(out)
    # 2 of 9 words; one document: range 1 and no dispersion.
    assert data[0] == {"term": "belt and road", "count": 2, "per_1000": 222.222, "range": 1,
                       "dp": None}
    assert {r["term"] for r in data} == {"belt and road", "political parties", "meet"}


def test_freq_ngram_and_stopwords(cli, corpus):
    status, out, _ = cli("freq", "--corpus", corpus, "--doc", "a", "--ngram", "2",
                         "--stopwords", "--format", "csv")
    assert status == 0
    assert {"term": "the road", "count": "3", "per_1000": "214.286", "range": "1",
            "dp": ""} in records(out)
    status, out, _ = cli("freq", "--corpus", corpus, "--doc", "a", "--stem",
                         "--format", "csv")
    assert {"term": "parties", "count": "2", "per_1000": "142.857", "range": "1", "dp": "",
            "forms": "parties|party"} in records(out)


def test_keyness(cli, corpus):
    status, out, err = cli("keyness", "--corpus", corpus, "--target", "a",
                           "--reference", "b", "--format", "json", "--min-count", "1")
    assert status == 0 and err == ""
    data = json.loads(out)
    assert list(data[0]) == ["term", "target_count", "reference_count", "g2", "log_ratio",
                             "pct_diff", "p_value", "direction"]
    road = next(r for r in data if r["term"] == "road")
    assert (road["target_count"], road["reference_count"], road["direction"]) == (
        3, 0, "positive")
    status, out, err = cli("keyness", "--corpus", corpus, "--target", "a", "--top", "1",
                           "--format", "csv", "--min-count", "1")
    assert status == 0 and err == ""
    # a: 14 words, b: 9. Four-cell G2 of road (3, 0): 2 * (3 ln(3 / (14*3/23)) + 11 ln(11 /
    # (14*20/23)) + 9 ln(9 / (9*20/23))) = 3.2635; log ratio with 0.5 for the zero (Hardie
    # 2014): log2((3/14) / (0.5/9)) = 1.9475. belt and road (0, 2): G2 4.0555,
    # log2((0.5/14) / (2/9)) = -2.6374.
    assert [(r["term"], r["target_count"], r["reference_count"], r["g2"], r["log_ratio"],
             r["pct_diff"], r["direction"]) for r in records(out)] == [
        ("road", "3", "0", "3.2635", "1.9475", "inf", "positive"),
        ("belt and road", "0", "2", "4.0555", "-2.6374", "-100.0", "negative")]
    status, out, err = cli("keyness", "--corpus", corpus, "--target", "a",
                           "--reference", "general", "--format", "csv")
    assert status == 0 and err == ""
    # Against general English only a's terms seen twice (--min-count 2) are tested: road
    # (the and and are stop words). Its reference count is wordfreq's frequency times 1e9.
    from wordfreq import word_frequency

    rows = records(out)
    assert [(r["term"], r["target_count"], r["direction"]) for r in rows] == [
        ("road", "3", "positive")]
    b, d = word_frequency("road", "en") * 1e9, 1e9
    assert float(rows[0]["reference_count"]) == pytest.approx(b)
    assert float(rows[0]["log_ratio"]) == pytest.approx(math.log2((3 / 14) / (b / d)),
                                                        abs=1e-4)
    cells = [(3, 14 * (3 + b) / (14 + d)), (11, 14 * (14 + d - 3 - b) / (14 + d)),
             (b, d * (3 + b) / (14 + d)), (d - b, d * (14 + d - 3 - b) / (14 + d))]
    g2 = 2 * sum(o * math.log(o / e) for o, e in cells)
    assert float(rows[0]["g2"]) == pytest.approx(g2, abs=1e-4)


def test_keyness_further_measures(cli, corpus):
    from scipy.stats import fisher_exact

    from analysis.keyness import odds_ratio

    argv = ("keyness", "--corpus", corpus, "--target", "a", "--reference", "b",
            "--min-count", "1", "--format", "csv")
    _, plain, _ = cli(*argv)
    status, out, err = cli(*argv, "--measures", "fisher, odds_ratio")
    assert status == 0 and err == ""
    rows = records(out)
    # The default columns first, unchanged; the further ones after, in the library's order.
    assert list(rows[0]) == ["term", "target_count", "reference_count", "g2", "log_ratio",
                             "pct_diff", "p_value", "direction", "odds_ratio", "or_low",
                             "or_high", "fisher_p"]
    default = ["term", "target_count", "reference_count", "g2", "log_ratio", "pct_diff",
               "p_value", "direction"]
    assert [[r[k] for k in default] for r in rows] == [list(r.values()) for r in records(plain)]
    # road: 3 of a's 14 words, 0 of b's 9 (its Roads are inside Belt and Road):
    # [[3, 0], [11, 9]], smallest expected count 9 * 3 / 23 = 1.17 -> Fisher computed.
    road = next(r for r in rows if r["term"] == "road")
    assert float(road["odds_ratio"]) == pytest.approx(round(float(odds_ratio(3, 0, 14, 9)[0]),
                                                            4))
    assert float(road["fisher_p"]) == pytest.approx(
        fisher_exact([[3, 0], [11, 9]]).pvalue, rel=1e-9)
    status, out, _ = cli(*argv, "--measures", "simple_maths", "--smoothing", "1000")
    road = next(r for r in records(out) if r["term"] == "road")
    # (3 / 14 * 1e6 + 1000) / (0 + 1000) = 215.2857
    assert float(road["simple_maths"]) == pytest.approx(round((3 / 14 * 1e6 + 1000) / 1000, 4))


def test_kwic_top_prints_the_first_lines_and_counts_all(cli, corpus):
    # road*: road, road, Road (a.txt), Road, Road (b.txt); the first two, by position.
    status, out, err = cli("kwic", "road*", "--corpus", corpus, "--top", "2", "--format",
                           "csv")
    assert status == 0 and err == "kwic: 2 of 5 lines\n"
    assert [r["keyword"] for r in records(out)] == ["road", "road"]
    status, out, err = cli("kwic", "road*", "--corpus", corpus, "--top", "2", "--sort",
                           "right", "--format", "csv")
    # sorted by the first word to the right: and (Road and Belt), and (road and), is, ...
    assert [r["right"].split()[0] for r in records(out)] == ["and", "and"]
    status, _, err = cli("kwic", "road", "--corpus", corpus, "--top", "0")
    assert status == 2 and err.startswith("error: --top 0: must be from 1")


def test_kwic_and_collocates(cli, corpus):
    status, out, _ = cli("kwic", "belt and road", "--corpus", corpus, "--window", "1",
                         "--format", "csv")
    assert status == 0
    assert records(out) == [
        {"doc": "b", "sentence": "1", "left": "", "keyword": "Belt & Road", "right": "and"},
        {"doc": "b", "sentence": "1", "left": "and", "keyword": "Belt and Road",
         "right": ". Political"},  # the context crosses the sentence end
    ]
    status, out, _ = cli("kwic", "road*", "--corpus", corpus, "--format", "json")
    assert [r["keyword"] for r in json.loads(out)] == ["road", "road", "Road", "Road", "Road"]
    status, out, _ = cli("collocates", "road", "--corpus", corpus, "--window", "1",
                         "--measure", "t", "--format", "csv", "--min-count", "1")
    assert status == 0
    rows = records(out)
    assert list(rows[0])[:3] == ["collocate", "count", "score"]
    # Hand count, window 1: road's neighbours in a.txt are the/is, the/and, the/Parties (the
    # window crosses "Road! Parties"); in b.txt the two "Belt ... Road" units have "and" and
    # "Political Parties" beside them. Stop words dropped: parties and political parties, once.
    assert {(r["collocate"], r["count"], r["node_count"]) for r in rows} == {
        ("parties", "1", "5"), ("political parties", "1", "5")}


@pytest.mark.parametrize("argv, message", [
    (["freq", "--doc", "zz"], "--doc 'zz': no such document"),
    (["keyness", "--target", "zz"], "--target 'zz': no such document"),
    (["keyness", "--target", "a", "--reference", "zz"], "--reference 'zz': no such document"),
    (["keyness", "--target", "a:nope"], "no section 'nope'"),
    (["keyness", "--target", "a", "--reference", "a"], "same"),
    (["keyness", "--target", "a", "--measures", "dice"], "--measures 'dice': unknown measure"),
    (["keyness", "--target", "a", "--smoothing", "0"], "--smoothing 0.0: must be a finite"),
    (["keyness", "--target", "a", "--smoothing", "inf"], "--smoothing inf: must be a finite"),
    (["keyness", "--target", "a", "--smoothing", "1e309"], "--smoothing inf: must be a finite"),
    (["keyness", "--target", "a", "--smoothing", "nan"], "--smoothing nan: must be a finite"),
    (["kwic", ""], "the search term is empty"),
    (["kwic", "  "], "the search term is empty"),
    (["kwic", "road", "--doc", "zz"], "--doc 'zz': no such document"),
    (["kwic", "/part(/"], "bad regular expression"),
    (["collocates", ""], "the search term is empty"),
    (["collocates", "road", "--measure", "t", "--window", "0"], "--window 0"),
    (["freq", "--ngram", "4"], "--ngram 4"),
])
def test_bad_input_exits_2_with_one_line(cli, corpus, argv, message):
    status, out, err = cli(*argv, "--corpus", corpus)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_bad_corpus_folder(cli, tmp_path):
    status, _, err = cli("kwic", "road", "--corpus", str(tmp_path / "missing"))
    assert status == 2 and err.count("\n") == 1


def test_seeds(cli):
    status, out, _ = cli("freq", "--doc", "songtao-article", "--top", "1",
                         "--format", "json")
    assert status == 0 and json.loads(out)[0]["term"] == "cpec"
    status, out, _ = cli("kwic", "belt and road", "--format", "json")
    keywords = [r["keyword"] for r in json.loads(out)]
    assert "Belt & Road" in keywords and "Belt and Road" in keywords
    status, out, _ = cli("keyness", "--target", "songtao-article", "--top", "3",
                         "--format", "json")
    assert status == 0 and json.loads(out)[0]["term"] == "cpec"
    status, out, _ = cli("collocates", "cpec", "--measure", "g2", "--format", "json")
    assert status == 0 and json.loads(out)[0]["collocate"] == "cooperation"
