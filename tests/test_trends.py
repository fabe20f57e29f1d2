"""Trends over the date variable: exact rates, intervals, partial dates and gaps."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.corpus import load_corpus
from analysis.intervals import poisson_interval
from analysis.text.process import process
from analysis.trends import trends

TEXTS = {
    "a.txt": "Road road peace. Trade grows.\n",      # 5 words, road 2
    "b.txt": "Road trade. Trade trade peace.\n",     # 5 words, road 1
    "c.txt": "Peace talks today. Road ahead.\n",     # 5 words, road 1
    "d.txt": "Trade road road road.\n",              # 4 words, road 3
}
METADATA = ("file,party,date\n"
            "a.txt,red,2020-01-15\nb.txt,blue,2020-04\nc.txt,green,2021\nd.txt,red,2020-02-10\n")


@pytest.fixture
def processed(make_corpus):
    return process(load_corpus(make_corpus({**TEXTS, "metadata.csv": METADATA})))


def test_garwood_interval_against_published_values():
    # Exact 95 % limits of a Poisson count (Garwood 1936; tabulated e.g. in Ulm 1990,
    # American Journal of Epidemiology 131(2), 373-375): x = 0: [0, 3.689];
    # x = 2: [0.242, 7.225]; x = 10: [4.795, 18.39].
    low, high = poisson_interval([0, 2, 10], [1000, 1000, 1000])
    assert np.round(low, 3).tolist() == [0.0, 0.242, 4.795]
    assert np.round(high, 3).tolist() == [3.689, 7.225, 18.39]
    low, high = poisson_interval([1], [0])
    assert np.isnan(low[0]) and np.isnan(high[0])


def test_by_month_a_partial_date_counts_in_no_month_and_an_empty_month_is_a_gap(processed):
    table = trends(processed, ["road"], "month", by="corpus").set_index("period")
    assert table.index.tolist() == ["2020-01", "2020-02", "2020-03", "2020-04"]  # c: no month
    assert table["count"].tolist() == [2, 3, 0, 1]
    assert table["words"].tolist() == [5, 4, 0, 5]
    assert table["documents"].tolist() == [1, 1, 0, 1]
    assert table.loc["2020-01", "per_1000"] == 400.0   # 2 of 5 words
    assert table.loc["2020-02", "per_1000"] == 750.0   # 3 of 4
    assert np.isnan(table.loc["2020-03", "per_1000"])  # no text: a gap, not a zero
    # 2 of 5 words: [0.2422, 7.2247] / 5 * 1000 = [48.44, 1444.94]
    assert table.loc["2020-01", ["low", "high"]].tolist() == [pytest.approx(48.44, abs=0.01),
                                                              pytest.approx(1444.9, abs=0.1)]


def test_by_year_a_year_counts_every_document_dated_in_it(processed):
    table = trends(processed, ["road", "trade"], "year", by="corpus")
    assert table[["term", "period", "count", "words", "documents"]].values.tolist() == [
        ["road", "2020", 6, 14, 3], ["road", "2021", 1, 5, 1],
        ["trade", "2020", 5, 14, 3], ["trade", "2021", 0, 5, 1]]
    assert table["per_1000"].tolist()[:2] == [round(6 / 14 * 1000, 4), 200.0]


def test_by_week_needs_full_dates_and_groups_by_party(processed):
    table = trends(processed, ["road*"], "week", by="party")
    # a: 2020-01-15 is ISO week 3; d: 2020-02-10 is week 7; b and c have no day.
    red = table[table["party"] == "red"].set_index("period")
    assert red.index[0] == "2020-W03" and red.index[-1] == "2020-W07"
    assert red.loc["2020-W03", "count"] == 2 and red.loc["2020-W07", "count"] == 3
    assert red.loc["2020-W05", "words"] == 0
    blue = table[table["party"] == "blue"]
    assert blue["words"].sum() == 0  # blue's only document is dated to the month


def test_where_and_errors(processed, make_corpus):
    table = trends(processed, ["road"], "year", where="party=red", by="corpus")
    assert table[["period", "count", "words"]].values.tolist() == [["2020", 5, 9]]
    with pytest.raises(ValueError, match="interval='day': must be one of 'decade', 'year'"):
        trends(processed, ["road"], "day", by="corpus")
    undated = process(load_corpus(make_corpus({"a.txt": "Road."}, name="undated")))
    with pytest.raises(ValueError, match="date column 'date': no such column"):
        trends(undated, ["road"], by="corpus")
    with pytest.raises(ValueError, match="date column 'year': no such column .*party, date"):
        trends(processed, ["road"], date="year", by="corpus")


def test_decades_from_a_numeric_year_column(make_corpus, cli):
    # 1996: road 1 of 2 words; 2004: road 2 of 3; 2011: road 0 of 2; 1999.0: road 1 of 1
    folder = make_corpus({"a.txt": "Road one.\n", "b.txt": "Road two road.\n",
                          "c.txt": "Nothing here.\n", "d.txt": "Road.\n",
                          "metadata.csv": "file,year\na.txt,1996\nb.txt,2004\nc.txt,2011\n"
                                          "d.txt,1999.0\n"}, name="years")
    table = trends(process(load_corpus(folder)), ["road"], "decade", date="year", by="corpus")
    assert table[["period", "count", "words", "documents"]].values.tolist() == [
        ["1990s", 2, 3, 2], ["2000s", 2, 3, 1], ["2010s", 0, 2, 1]]
    status, out, err = cli("trends", "road", "--corpus", str(folder), "--date", "year",
                           "--interval", "year", "--format", "csv")
    assert status == 0, err
    assert [line.split(",")[1] for line in out.splitlines()[1:]][:2] == ["1996", "1997"]
    status, _, err = cli("trends", "road", "--corpus", str(folder), "--date", "nope")
    assert status == 2 and "date column 'nope'" in err


def test_by_week_the_last_week_of_year_9999_is_counted(make_corpus, cli):
    # 9999-12-31 is a Friday: ISO week 9999-W52, whose next Monday is past the last date
    folder = make_corpus({"a.txt": "Road one.\n", "b.txt": "Road two road.\n",
                          "metadata.csv": "file,date\na.txt,9999-12-20\nb.txt,9999-12-31\n"})
    table = trends(process(load_corpus(folder)), ["road"], interval="week", by="corpus")
    assert table["period"].tolist() == ["9999-W51", "9999-W52"]
    assert table["count"].tolist() == [1, 2]
    status, out, err = cli("trends", "road", "--interval", "week", "--corpus", str(folder),
                           "--format", "csv")
    assert (status, err) == (0, "") and "9999-W52" in out
