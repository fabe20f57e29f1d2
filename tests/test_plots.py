"""Plot functions drawn on toy tables: what they drew, checked on the Axes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from analysis import plots  # noqa: E402
from analysis.corpus import load_corpus  # noqa: E402
from analysis.text import process  # noqa: E402
from analysis.trends import trends  # noqa: E402


@pytest.fixture
def dated(make_corpus):
    return process(load_corpus(make_corpus({
        "a.txt": "Road road peace.\n", "b.txt": "Road trade.\n", "d.txt": "Trade road road.\n",
        "metadata.csv": "file,party,date\na.txt,red,2020-01\nb.txt,blue,2020-03\n"
                        "d.txt,red,2020-03\n"})))


def test_trend_plot_draws_a_line_and_a_band_per_term_with_a_gap_for_no_text(dated):
    table = trends(dated, ["road", "trade"], "month")
    fig, ax = plt.subplots()
    plots.trend_plot(ax, table)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["road", "trade"]
    road = lines[0].get_ydata()
    # January 2 of 3 words; February has no text (a gap, NaN); March 3 of 5 words.
    assert road[0] == pytest.approx(666.6667) and np.isnan(road[1])
    assert road[2] == pytest.approx(600.0)
    assert len(ax.collections) == 2  # one band per line
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020-01", "2020-02", "2020-03"]
    plt.close(fig)


def test_trend_plot_labels_lines_by_group_and_thins_ticks(dated):
    table = trends(dated, ["road"], "month", by="party")
    fig, ax = plt.subplots()
    plots.trend_plot(ax, table, max_ticks=2)
    assert [line.get_label() for line in ax.get_lines()] == ["blue: road", "red: road"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020-01", "2020-03"]
    plt.close(fig)
