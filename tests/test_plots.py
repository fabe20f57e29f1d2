"""Plot functions drawn on toy tables: what they drew, checked on the Axes."""

from __future__ import annotations

from itertools import combinations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import plots  # noqa: E402
from analysis.compare import compare_terms, label_terms  # noqa: E402
from analysis.corpus import load_corpus  # noqa: E402
from analysis.text.process import process  # noqa: E402
from analysis.trends import trends  # noqa: E402


@pytest.fixture
def dated(make_corpus):
    return process(load_corpus(make_corpus({
        "a.txt": "Road road peace.\n", "b.txt": "Road trade.\n", "d.txt": "Trade road road.\n",
        "metadata.csv": "file,party,date\na.txt,red,2020-01\nb.txt,blue,2020-03\n"
                        "d.txt,red,2020-03\n"})))


def test_trend_plot_draws_a_line_and_a_band_per_term_with_a_gap_for_no_text(dated):
    table = trends(dated, ["road", "trade"], "month", by="corpus")
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


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def axes():
    """A fresh figure's Axes, closed after the test."""
    fig, ax = plt.subplots(figsize=(6, 4))
    yield ax
    plt.close(fig)


def ticks(labels) -> list[str]:
    return [t.get_text() for t in labels]


def assert_placeholder(ax) -> None:
    """A plot given no rows says so on blank Axes, and draws nothing else."""
    assert [t.get_text() for t in ax.texts] == [plots.NO_ROWS]
    assert not ax.axison and not ax.patches and not ax.lines and not ax.collections
    assert not ax.images


def legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def widths(ax) -> list[float]:
    return [p.get_width() for p in ax.patches]


def centres(ax) -> list[float]:
    """The y centre of every horizontal bar, in drawing order."""
    return [p.get_y() + p.get_height() / 2 for p in ax.patches]


def rgba(color) -> tuple:
    return mcolors.to_rgba(color)


def faces(ax) -> list[tuple]:
    return [p.get_facecolor() for p in ax.patches]


# --- corpus plots ----------------------------------------------------------------------------


def test_figure_height_is_the_minimum_or_a_fixed_height_per_row():
    assert plots.figure_height(3, 4) == 4  # 3 * 0.2 = 0.6 in is less than the minimum
    assert plots.figure_height(30, 4) == pytest.approx(6.0)  # 30 rows * 0.2 in
    assert plots.figure_height(10, 2.5, 0.35) == pytest.approx(3.5)
    assert plots.figure_height(0, 2.8) == 2.8


def test_figure_height_has_a_cap():
    # 20,000 documents by 6 terms once asked for 24,000 inches (a 144,000-pixel PNG).
    assert plots.figure_height(20_000 * 6, 4) == plots.MAX_FIGURE_HEIGHT == 40.0
    assert plots.figure_height(199, 4) == pytest.approx(39.8)  # below the cap: unchanged


def section_table():
    # The columns of overview.summary(by="section"): doc, section, voice, then the sizes.
    return pd.DataFrame({
        "doc": ["x", "x", "y", "y"], "section": ["headline", "body", "body", "notes"],
        "voice": ["paper", "author", "author", "paper"], "paragraphs": [1, 3, 2, 0],
        "sentences": [1, 4, 3, 0], "words": [1, 10, 6, 0], "types": [1, 8, 5, 0],
        "ttr": [1.0, 0.8, 0.8333, None]})


def test_section_sizes_plot_stacks_one_segment_per_section_coloured_by_voice(axes):
    plots.section_sizes_plot(axes, section_table())
    # One bar per section row (the empty "notes" section too, zero wide), stacked per doc.
    assert widths(axes) == [1, 10, 6, 0]
    assert [p.get_x() for p in axes.patches] == [0, 1, 0, 6]
    assert centres(axes) == pytest.approx([0, 0, 1, 1])
    assert faces(axes) == [rgba("C0"), rgba("C1"), rgba("C1"), rgba("C0")]
    # A label in every non-empty segment; 1 word < 8 % of 17 words: written vertically.
    assert [t.get_text() for t in axes.texts] == ["headline", "body", "body"]
    assert [t.get_rotation() for t in axes.texts] == [90, 0, 0]
    assert ticks(axes.get_yticklabels()) == ["x", "y"]
    assert axes.yaxis_inverted()
    assert axes.get_xlabel() == "words"
    assert axes.get_legend().get_title().get_text() == "voice"
    assert legend(axes) == ["paper", "author"]


def test_section_sizes_plot_draws_the_value_asked_for(axes):
    plots.section_sizes_plot(axes, section_table(), value="sentences")
    assert widths(axes) == [1, 4, 3, 0]
    assert axes.get_xlabel() == "sentences"


def test_section_sizes_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.section_sizes_plot(axes, section_table().iloc[:0])
    assert_placeholder(axes)


def group_table():
    # overview.summary(by="party"): the group column, documents, then the sizes.
    return pd.DataFrame({"party": ["blue", "red"], "documents": [1, 2], "paragraphs": [1, 2],
                         "sentences": [2, 4], "words": [7, 14], "types": [7, 10],
                         "ttr": [1.0, 0.7143]})


def test_group_sizes_plot_draws_words_and_labels_documents(axes):
    plots.group_sizes_plot(axes, group_table())
    assert widths(axes) == [7, 14]
    assert faces(axes) == [rgba("C0")] * 2
    assert [t.get_text() for t in axes.texts] == [" 1 doc", " 2 docs"]
    assert [t.get_position() for t in axes.texts] == [(7, 0), (14, 1)]
    assert ticks(axes.get_yticklabels()) == ["blue", "red"]
    assert axes.yaxis_inverted() and axes.get_xlabel() == "words"


def test_group_sizes_plot_of_documents_has_no_document_counts(axes):
    # overview.summary(by="doc"): doc, title, variables, sizes; no "documents" column.
    table = pd.DataFrame({"doc": ["a", "b"], "title": ["A", "B"], "party": ["red", "blue"],
                          "paragraphs": [1, 1], "sentences": [2, 2], "words": [8, 7]})
    plots.group_sizes_plot(axes, table)
    assert widths(axes) == [8, 7]
    assert len(axes.texts) == 0
    assert ticks(axes.get_yticklabels()) == ["a", "b"]


def test_group_sizes_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.group_sizes_plot(axes, group_table().iloc[:0])
    assert_placeholder(axes)


def test_sentence_length_plot_draws_one_box_per_group_with_outliers(axes):
    # text.sentence_lengths(by="party"): the group column, then words per sentence.
    table = pd.DataFrame({"party": ["blue", "blue", "red", "red", "red", "red"],
                          "words": [4, 3, 3, 5, 3, 3]})
    plots.sentence_length_plot(axes, table)
    # Per box: box, 2 whiskers, 2 caps, median, fliers.
    assert len(axes.lines) == 14
    blue, red = axes.lines[:7], axes.lines[7:]
    # blue [3, 4]: quartiles 3.25 and 3.75 (linear interpolation), median 3.5, no outlier.
    assert list(blue[0].get_xdata()) == [3.25, 3.25, 3.75, 3.75, 3.25]
    assert list(blue[5].get_xdata()) == [3.5, 3.5]
    assert list(blue[6].get_xdata()) == []
    # red [3, 3, 3, 5]: Q1 3, Q3 3.5, median 3; 5 > 3.5 + 1.5 * 0.5 = 4.25 is an outlier.
    assert list(red[0].get_xdata()) == [3, 3, 3.5, 3.5, 3]
    assert list(red[5].get_xdata()) == [3, 3]
    assert list(red[6].get_xdata()) == [5]
    assert list(red[6].get_ydata()) == [2]
    assert ticks(axes.get_yticklabels()) == ["blue", "red"]
    assert axes.yaxis_inverted() and axes.get_xlabel() == "words per sentence"


def test_sentence_length_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.sentence_length_plot(axes, pd.DataFrame({"party": [], "words": []}))
    assert_placeholder(axes)


# --- keyword plots ---------------------------------------------------------------------------


def word_list():
    # frequency.frequency(top=3): term, count, per_1000, range, dp.
    return pd.DataFrame({"term": ["road", "china", "trade"], "count": [6, 2, 2],
                         "per_1000": [285.714, 95.238, 95.238], "range": [3, 2, 2],
                         "dp": [0.2333, 0.5333, 0.5333]})


def test_top_terms_plot_of_the_corpus_is_one_colour_without_legend(axes):
    plots.top_terms_plot(axes, word_list())
    assert widths(axes) == [285.714, 95.238, 95.238]
    assert centres(axes) == pytest.approx([0, 1, 2])
    assert faces(axes) == [rgba("C0")] * 3
    assert ticks(axes.get_yticklabels()) == ["road", "china", "trade"]
    assert axes.get_legend() is None
    assert axes.yaxis_inverted()
    assert axes.get_xlabel() == "per 1,000 words" and axes.get_title() == ""


def test_top_terms_plot_draws_counts_with_a_title(axes):
    plots.top_terms_plot(axes, word_list(), value="count", title="corpus")
    assert widths(axes) == [6, 2, 2]
    assert axes.get_xlabel() == "count" and axes.get_title() == "corpus"


def test_top_terms_plot_gives_each_group_a_colour_and_a_legend_entry(axes):
    # frequency.frequency(by="doc", top=2) and keyness.keywords_by: group column before term.
    table = pd.DataFrame({"doc": ["a", "a", "b"], "term": ["road", "build", "china"],
                          "count": [3, 1, 1], "per_1000": [375.0, 125.0, 142.857],
                          "g2": [4.5, 1.2, 2.0]})
    plots.top_terms_plot(axes, table, value="g2")
    assert widths(axes) == [4.5, 1.2, 2.0]
    assert centres(axes) == pytest.approx([0, 1, 2])
    assert faces(axes) == [rgba("C0"), rgba("C0"), rgba("C1")]
    assert legend(axes) == ["a", "b"]
    assert ticks(axes.get_yticklabels()) == ["road", "build", "china"]
    assert axes.get_xlabel() == "log-likelihood G2 against the rest"


def test_top_terms_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.top_terms_plot(axes, word_list().iloc[:0])
    assert_placeholder(axes)


def keywords():
    # keyness.top_keywords: keyness's columns, positive keywords first, then negative ones.
    return pd.DataFrame({
        "term": ["road", "peace", "grow"], "target_count": [5, 2, 0],
        "reference_count": [1.0, 174000.0, 3.0], "target_per_1000": [357.1, 142.9, 0.0],
        "reference_per_1000": [142.9, 0.174, 428.6], "g2": [1.1365, 2.0, 3.0],
        "p_value": [0.29, 0.16, 0.08], "log_ratio": [1.3219, 2.5, -2.0],
        "pct_diff": [150.0, 80000.0, -100.0],
        "direction": ["positive", "positive", "negative"]})


def test_keyness_plot_draws_negative_keywords_left_in_another_colour(axes):
    plots.keyness_plot(axes, keywords())
    assert widths(axes) == [1.3219, 2.5, -2.0]
    assert faces(axes) == [rgba("C0"), rgba("C0"), rgba("C3")]
    # Labels carry both counts; a general-English expected count prints without ".0".
    assert ticks(axes.get_yticklabels()) == ["road (5:1)", "peace (2:174000)", "grow (0:3)"]
    assert [list(line.get_xdata()) for line in axes.lines] == [[0, 0]]  # the zero line
    assert axes.yaxis_inverted()
    assert axes.get_xlabel() == "Log Ratio (log2 of relative-frequency ratio)"
    assert axes.get_title() == ""


def test_keyness_plot_of_g2_draws_negative_keywords_leftwards(axes):
    plots.keyness_plot(axes, keywords(), value="g2", title="red against the rest")
    assert widths(axes) == [1.1365, 2.0, -3.0]
    assert axes.get_xlabel() == "log-likelihood G2 (negative keywords drawn left)"
    assert axes.get_title() == "red against the rest"


def test_keyness_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.keyness_plot(axes, keywords().iloc[:0])
    assert_placeholder(axes)


def positions():
    # concordance.dispersion: doc, term, position, relative, tokens.
    return pd.DataFrame({"doc": ["a", "a", "a", "b", "b"],
                         "term": ["road", "road", "road", "trade", "road"],
                         "position": [0, 4, 8, 2, 6], "relative": [0.0, 0.5, 1.0, 0.25, 0.75],
                         "tokens": [9, 9, 9, 9, 9]})


def hits(collection) -> list[float]:
    return [float(segment[0][0]) for segment in collection.get_segments()]


def test_dispersion_plot_draws_a_row_per_doc_and_term(axes):
    plots.dispersion_plot(axes, positions())
    assert ticks(axes.get_yticklabels()) == ["a: road", "a: trade", "b: road", "b: trade"]
    # One set of ticks per row (a: trade has none), coloured by document.
    assert [hits(c) for c in axes.collections] == [[0.0, 0.5, 1.0], [], [0.75], [0.25]]
    assert [c.get_segments()[0][:, 1].tolist() for c in axes.collections
            if len(c.get_segments())] == [[-0.4, 0.4], [1.6, 2.4], [2.6, 3.4]]
    assert [tuple(c.get_color()[0]) for c in axes.collections if len(c.get_segments())] == [
        rgba("C0"), rgba("C1"), rgba("C1")]
    assert axes.get_ylim() == (3.5, -0.5) and axes.get_xlim() == (-0.01, 1.01)
    assert axes.get_xlabel() == "relative position in the document (0 = start, 1 = end)"


def test_dispersion_plot_orders_rows_by_the_terms_given(axes):
    plots.dispersion_plot(axes, positions(), terms=["trade", "road"])
    assert ticks(axes.get_yticklabels()) == ["a: trade", "a: road", "b: trade", "b: road"]
    assert [hits(c) for c in axes.collections] == [[], [0.0, 0.5, 1.0], [0.25], [0.75]]


def test_dispersion_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.dispersion_plot(axes, positions().iloc[:0])
    assert_placeholder(axes)


def collocate_table():
    # collocation.collocates: collocate, count, score, node and collocate counts, measures.
    return pd.DataFrame({"collocate": ["peace", "trade"], "count": [2, 1], "score": [4.5, 1.5],
                         "node_count": [6, 6], "collocate_count": [3, 2],
                         "expected": [0.5, 0.4], "pmi": [2.0, 1.3219], "g2": [4.5, 1.5],
                         "t_score": [1.1, 0.6]})


def test_collocates_plot_labels_bars_with_observed_and_collocate_counts(axes):
    plots.collocates_plot(axes, collocate_table())
    assert widths(axes) == [4.5, 1.5]
    assert faces(axes) == [rgba("C2")] * 2
    assert ticks(axes.get_yticklabels()) == ["peace (O=2, f=3)", "trade (O=1, f=2)"]
    assert axes.yaxis_inverted()
    assert axes.get_xlabel() == "log-likelihood G2" and axes.get_title() == ""


@pytest.mark.parametrize("measure, lengths, label", [
    ("pmi", [2.0, 1.3219], "PMI (log2 O/E)"), ("t_score", [1.1, 0.6], "t-score")])
def test_collocates_plot_draws_the_measure_asked_for(axes, measure, lengths, label):
    plots.collocates_plot(axes, collocate_table(), measure=measure, title="road")
    assert widths(axes) == lengths
    assert axes.get_xlabel() == label and axes.get_title() == "road"


def test_collocates_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.collocates_plot(axes, collocate_table().iloc[:0])
    assert_placeholder(axes)


# --- framing plots ---------------------------------------------------------------------------

ROAD_HEADERS = ["road (... is a road of/to/for)", "role (what the actor shall do)",
                "evidence in the paragraph"]


def test_roads_plot_draws_road_role_and_evidence_per_road(axes):
    # framing.roads.roads (the columns the diagram reads).
    roads = pd.DataFrame({
        "doc": ["x", "x"], "ordinal": [1, 2], "road": ["development", "security"],
        "role": ["lead cooperation", ""], "figures": ["17 projects", ""],
        "claims": [["c1", "c2"], []], "commitments": [["m1"], []],
        "adversaries": [[], ["external powers", "rivals"]]})
    plots.roads_plot(axes, roads)
    assert [t.get_text() for t in axes.texts] == ROAD_HEADERS + [
        "1. development", "lead cooperation", "",  # the arrow between them
        "figures: 17 projects\n2 claim(s), 1 commitment(s)",
        "2. security", "(no role found)", "",
        "adversaries: external powers, rivals\n0 claim(s), 0 commitment(s)"]
    boxes = [t.get_bbox_patch() for t in axes.texts[3:] if t.get_bbox_patch() is not None]
    assert [b.get_edgecolor() for b in boxes] == [mcolors.to_rgba("C0", 0.18)] * 2 + [
        mcolors.to_rgba("C1", 0.18)] * 2
    assert not axes.axison
    assert axes.get_ylim() == (2.2, -0.6)


def test_roads_plot_of_no_road_says_so(axes):
    roads = pd.DataFrame(columns=["ordinal", "road", "role", "figures", "claims",
                                  "commitments", "adversaries"])
    plots.roads_plot(axes, roads)
    assert [t.get_text() for t in axes.texts] == ROAD_HEADERS + ["no road metaphor found"]


def test_frame_heatmap_draws_shares_in_table_order_and_writes_the_non_zero_ones(axes):
    # framing.frame_shares(by="party"): party, frame, sentences, total, share.
    shares = pd.DataFrame({"party": ["red", "red", "blue", "blue"],
                           "frame": ["morality", "economic", "morality", "economic"],
                           "sentences": [13, 7, 0, 2], "total": [20, 20, 2, 2],
                           "share": [0.65, 0.35, 0.0, 1.0]})
    plots.frame_heatmap(axes, shares)
    assert axes.images[0].get_array().tolist() == [[0.65, 0.35], [0.0, 1.0]]
    assert axes.images[0].get_clim() == (0, 1)
    assert ticks(axes.get_yticklabels()) == ["red", "blue"]
    assert ticks(axes.get_xticklabels()) == ["morality", "economic"]
    # Zero shares are left blank; a share above 0.6 is written in white.
    assert [(t.get_text(), t.get_position(), t.get_color()) for t in axes.texts] == [
        (".65", (0, 0), "white"), (".35", (1, 0), "black"), ("1.00", (1, 1), "white")]
    colorbar = axes.figure.axes[1]
    assert colorbar.get_ylabel() == "share of sentences"


def test_frame_heatmap_labels_sections_doc_slash_section(axes):
    shares = pd.DataFrame({"doc": ["x", "x"], "section": ["headline", "body"],
                           "voice": ["paper", "author"], "frame": ["economic", "economic"],
                           "sentences": [0, 1], "total": [1, 2], "share": [0.0, 0.5]})
    plots.frame_heatmap(axes, shares)
    assert ticks(axes.get_yticklabels()) == ["x/headline", "x/body"]
    assert [t.get_text() for t in axes.texts] == [".50"]


def test_frame_heatmap_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.frame_heatmap(axes, pd.DataFrame({"party": [], "frame": [], "share": []}))
    assert_placeholder(axes)


def modal_rates():
    # stance.modality(by="party"): party, modal, category, count, words, per_1000.
    return pd.DataFrame({
        "party": ["blue"] * 3 + ["red"] * 3, "modal": ["shall", "must", "will"] * 2,
        "category": ["commitment", "obligation/necessity", "prediction"] * 2,
        "count": [0, 2, 1, 3, 0, 1], "words": [100] * 3 + [100] * 3,
        "per_1000": [0.0, 20.0, 5.0, 30.0, 0.0, 10.0]})


def test_grouped_bars_plot_draws_one_bar_per_group_and_item(axes):
    plots.grouped_bars_plot(axes, modal_rates(), "modal")
    # Groups in table order, one colour each; within an item, bars 0.4 high.
    assert widths(axes) == [0.0, 20.0, 5.0, 30.0, 0.0, 10.0]
    assert centres(axes) == pytest.approx([-0.2, 0.8, 1.8, 0.2, 1.2, 2.2])
    assert faces(axes) == [rgba("C0")] * 3 + [rgba("C1")] * 3
    assert ticks(axes.get_yticklabels()) == ["shall", "must", "will"]
    assert legend(axes) == ["blue", "red"]
    assert axes.yaxis_inverted() and axes.get_xlabel() == "per 1000"


def test_grouped_bars_plot_keeps_the_top_items_by_total(axes):
    # Totals: shall 30, must 20, will 15.
    plots.grouped_bars_plot(axes, modal_rates(), "modal", top=2)
    assert ticks(axes.get_yticklabels()) == ["shall", "must"]
    assert widths(axes) == [0.0, 20.0, 30.0, 0.0]


def test_grouped_bars_plot_breaks_a_tie_for_top_by_table_order(axes):
    table = modal_rates().assign(per_1000=[0.0, 30.0, 5.0, 30.0, 0.0, 10.0])  # 30 and 30
    plots.grouped_bars_plot(axes, table, "modal", top=1)
    assert ticks(axes.get_yticklabels()) == ["shall"]


def test_grouped_bars_plot_vertical_with_own_labels_sums_rows_of_a_label(axes):
    plots.grouped_bars_plot(axes, modal_rates(), "modal", value="count",
                            unit=["all"] * 6, horizontal=False)
    assert [p.get_height() for p in axes.patches] == [3, 2, 2]  # blue + red per modal
    assert [p.get_width() for p in axes.patches] == pytest.approx([0.8] * 3)
    assert ticks(axes.get_xticklabels()) == ["shall", "must", "will"]
    assert legend(axes) == ["all"]
    assert axes.get_ylabel() == "count"


def test_grouped_bars_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.grouped_bars_plot(axes, modal_rates().iloc[:0], "modal")
    assert_placeholder(axes)


def evaluation():
    # stance.evaluation_summary(by="party").
    return pd.DataFrame({"party": ["blue", "red"], "sentences": [2, 4],
                         "mean_compound": [0.201, -0.1356], "positive": [1, 1],
                         "negative": [0, 2], "positive_share": [0.5, 0.25],
                         "negative_share": [0.0, 0.5]})


def test_evaluation_plot_draws_compound_and_both_shares_per_unit(axes):
    plots.evaluation_plot(axes, evaluation())
    assert widths(axes) == [0.201, -0.1356, 0.5, 0.25, 0.0, -0.5]  # negative share leftwards
    assert centres(axes) == pytest.approx([-0.25, 0.75, 0, 1, 0.25, 1.25])
    assert faces(axes) == [rgba("C0")] * 2 + [rgba("C2")] * 2 + [rgba("C3")] * 2
    assert ticks(axes.get_yticklabels()) == ["blue", "red"]
    assert legend(axes) == ["mean compound", "share of positive sentences",
                            "share of negative sentences (drawn left)"]
    assert axes.get_xlim() == (-1, 1) and axes.yaxis_inverted()
    assert axes.get_xlabel() == "VADER compound / share of sentences"


def test_evaluation_plot_labels_roads_with_their_ordinal(axes):
    # stance.evaluation_summary(by="road", roads=...): doc, ordinal, road, then the sizes.
    table = evaluation().drop(columns="party")
    table.insert(0, "road", ["development", "security"])
    table.insert(0, "ordinal", [1, 2])
    table.insert(0, "doc", ["x", "x"])
    plots.evaluation_plot(axes, table)
    assert ticks(axes.get_yticklabels()) == ["1. development", "2. security"]


def test_evaluation_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.evaluation_plot(axes, evaluation().iloc[:0])
    assert_placeholder(axes)


# --- topic plots -----------------------------------------------------------------------------


@pytest.fixture
def square():
    """Axes of a fixed size, limits and layout, as place_labels requires."""
    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    yield ax
    plt.close(fig)


def test_place_labels_places_labels_without_overlap_inside_the_axes(square):
    placed = plots.place_labels(square, [2, 2, 9.9, 5], [2, 2, 9.9, 5],
                                ["alpha", "beta", "gamma", "x" * 200],
                                colors=["red", "blue", "green", "black"])
    # The 200-character label fits nowhere and is skipped (and not left on the Axes).
    assert [t.get_text() for t in placed] == ["alpha", "beta", "gamma"]
    assert list(square.texts) == placed
    # alpha takes the first position (right, up); beta, at the same point, the second
    # (right, down); gamma, in the top right corner, the fourth (left, down).
    assert [(t.xyann, t.get_ha(), t.get_va()) for t in placed] == [
        ((4, 3), "left", "bottom"), ((4, -3), "left", "top"), ((-4, -3), "right", "top")]
    assert [t.get_color() for t in placed] == ["red", "blue", "green"]
    renderer = square.figure.canvas.get_renderer()
    frame = square.get_window_extent(renderer)
    boxes = [t.get_window_extent(renderer) for t in placed]
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1
               for b in boxes)
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_place_labels_of_no_point_places_nothing(square):
    assert plots.place_labels(square, [], [], []) == []
    assert len(square.texts) == 0


def comparison():
    # compare.compare_terms: term, counts and rates in a and b, prior, log-odds, z, side.
    return pd.DataFrame({
        "term": ["road", "build", "china", "grow"], "count_a": [3, 1, 0, 0],
        "count_b": [1, 0, 1, 9], "per_1000_a": [500.0, 166.7, 0.0, 0.0],
        "per_1000_b": [90.9, 0.0, 90.9, 818.2], "alpha": [4.0, 1.0, 1.0, 9.0],
        "delta": [1.0, 0.7, -0.5, -2.0], "variance": [0.4, 1.5, 0.8, 0.2],
        "z": [1.5, 0.57, -0.56, -2.5], "side": ["shared", "", "", "b"],
        "shared": [90.9, 0.0, 0.0, 0.0]})


def test_vocabulary_scatter_plot_places_terms_by_counts_coloured_by_z(axes):
    table = comparison()
    labels = pd.DataFrame({"term": ["grow", "road"], "label_kind": ["b", "shared"]})
    plots.vocabulary_scatter_plot(axes, table, labels=labels, label_a="red", label_b="blue",
                                  jitter=0)
    points = axes.collections[0]
    assert points.get_offsets().ravel().tolist() == pytest.approx(
        np.log10([4, 2, 2, 1, 1, 2, 1, 10]).tolist())
    assert points.get_array().tolist() == [1.5, 0.57, -0.56, -2.5]
    assert points.get_clim() == (-2.5, 2.5)  # symmetric around 0, to the largest |z|
    # The diagonal runs to the largest count's position + 0.15: log10(9 + 1) + 0.15 = 1.15.
    assert axes.lines[0].get_xdata() == pytest.approx([0, 1.15])
    assert ticks(axes.get_xticklabels()) == ["0", "1", "2", "5", "10"]  # log10(21) > 1.15
    assert ticks(axes.get_yticklabels()) == ["0", "1", "2", "5", "10"]
    assert axes.get_xlabel() == "count in red" and axes.get_ylabel() == "count in blue"
    assert axes.figure.axes[1].get_ylabel() == "z  (+: red, -: blue)"
    assert [(t.get_text(), t.get_color()) for t in axes.texts] == [
        ("grow", "#1a3f8b"), ("road", "#333333")]
    assert [c for t in axes.texts for c in t.xy] == pytest.approx([0, 1, np.log10(4), np.log10(2)])


def test_vocabulary_scatter_plot_jitters_each_term_the_same_way_every_time():
    drawn = []
    for _ in range(2):
        fig, ax = plt.subplots()
        plots.vocabulary_scatter_plot(ax, comparison(), labels=comparison().iloc[:0].assign(
            label_kind=[]))
        drawn.append(ax.collections[0].get_offsets().tolist())
        plt.close(fig)
    assert drawn[0] == drawn[1]
    exact = np.log10(comparison()[["count_a", "count_b"]].to_numpy() + 1.0)
    moved = np.abs(np.asarray(drawn[0]) - exact)
    assert (moved <= 0.035).all() and (moved > 0).any()


def test_vocabulary_scatter_plot_labels_topics_label_terms_by_default(axes):
    plots.vocabulary_scatter_plot(axes, comparison())
    # label_terms: a (z > 0) road then build; b (z < 0) grow then china; alternating.
    assert [t.get_text() for t in axes.texts] == ["road", "grow", "build", "china"]


def test_vocabulary_scatter_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.vocabulary_scatter_plot(axes, comparison().iloc[:0])
    assert_placeholder(axes)


def topic_terms():
    # TopicModel.terms: topic, label, rank, term, weight (rows of topic 1 out of rank order).
    return pd.DataFrame({
        "topic": [1, 1, 1, 2, 2], "label": ["1: road / trade"] * 3 + ["2: china / help"] * 2,
        "rank": [2, 1, 3, 1, 2], "term": ["trade", "road", "peace", "china", "help"],
        "weight": [0.4, 0.8, 0.2, 0.5, 0.5]})


def test_topic_terms_plot_draws_each_topics_top_terms_relative_to_its_first(axes):
    plots.topic_terms_plot(axes, topic_terms(), n_terms=2)
    assert widths(axes) == [1.0, 0.5, 1.0, 1.0]
    assert centres(axes) == pytest.approx([-1, -2, -4.6, -5.6])
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    assert faces(axes) == [rgba(cycle[0])] * 2 + [rgba(cycle[1])] * 2
    assert ticks(axes.get_yticklabels()) == ["road", "trade", "china", "help"]
    assert [(t.get_text(), t.get_position()[1]) for t in axes.texts] == [
        ("1: road / trade", pytest.approx(0.3)), ("2: china / help", pytest.approx(-3.3))]
    assert axes.get_ylim() == pytest.approx((-6.2, 1.6))
    assert axes.get_xlim() == (0, 1.05)
    assert axes.get_xlabel() == "weight relative to the topic's top term"


def test_topic_terms_plot_of_no_topic_shows_that_it_has_no_rows(axes):
    plots.topic_terms_plot(axes, topic_terms().iloc[:0])
    assert_placeholder(axes)


def topic_weights():
    # topics.topic_weights(by="voice"): voice, unit, topic, label, weight, segments.
    return pd.DataFrame({
        "voice": ["newspaper", "newspaper", "Song Tao", "Song Tao"],
        "unit": ["newspaper", "newspaper", "Song Tao", "Song Tao"], "topic": [1, 2, 1, 2],
        "label": ["1: cpec", "2: idcpc", "1: cpec", "2: idcpc"],
        "weight": [0.487, 0.513, 0.6759, 0.3241], "segments": [4, 4, 17, 17]})


def test_topic_heatmap_plot_keeps_the_table_order_and_writes_every_weight(axes):
    plots.topic_heatmap_plot(axes, topic_weights())
    image = axes.images[0]
    # Units in table order (a pivot would sort "Song Tao" before "newspaper").
    assert ticks(axes.get_yticklabels()) == ["newspaper", "Song Tao"]
    assert ticks(axes.get_xticklabels()) == ["1: cpec", "2: idcpc"]
    assert image.get_array().tolist() == [[0.487, 0.513], [0.6759, 0.3241]]
    assert image.get_clim() == (0.0, 0.6759)  # the colour scale ends at the largest weight
    # White on a cell darker than 60 % of the scale: 0.3241 / 0.6759 = 0.48 stays black.
    assert [(t.get_text(), t.get_color()) for t in axes.texts] == [
        ("0.49", "white"), ("0.51", "white"), ("0.68", "white"), ("0.32", "black")]
    assert axes.get_xlabel() == "topic"


def test_topic_heatmap_plot_of_no_weight_shows_that_it_has_no_rows(axes):
    plots.topic_heatmap_plot(axes, topic_weights().iloc[:0])
    assert_placeholder(axes)


def similarity_matrix(n=3):
    # similarity.similarity: a square table, the units on both axes, 1 on the diagonal.
    names = ["a", "b", "d"] if n == 3 else [f"u{i}" for i in range(n)]
    values = np.full((n, n), 0.2256)
    if n == 3:
        values = np.array([[1.0, 0.2256, 0.4482], [0.2256, 1.0, 0.5255],
                           [0.4482, 0.5255, 1.0]])
    np.fill_diagonal(values, 1.0)
    return pd.DataFrame(values, index=pd.Index(names, name="doc"), columns=names)


def test_similarity_plot_writes_each_cell(axes):
    plots.similarity_plot(axes, similarity_matrix())
    assert ticks(axes.get_yticklabels()) == ["a", "b", "d"]
    assert ticks(axes.get_xticklabels()) == ["a", "b", "d"]
    assert axes.images[0].get_clim() == (0.0, 1.0)
    assert [(t.get_text(), t.get_color()) for t in axes.texts] == [
        ("1.00", "white"), ("0.23", "black"), ("0.45", "black"),
        ("0.23", "black"), ("1.00", "white"), ("0.53", "black"),
        ("0.45", "black"), ("0.53", "black"), ("1.00", "white")]
    assert not any(spine.get_visible() for spine in axes.spines.values())


def test_similarity_plot_scales_colours_to_vmax(axes):
    plots.similarity_plot(axes, similarity_matrix(), vmax=0.5)
    assert axes.images[0].get_clim() == (0.0, 0.5)
    # 0.4482 / 0.5 = 0.9 and 0.5255 / 0.5 > 0.6 turn white; 0.2256 / 0.5 = 0.45 does not.
    assert [t.get_color() for t in axes.texts] == [
        "white", "black", "white", "black", "white", "white", "white", "white", "white"]


def test_similarity_plot_writes_no_value_beyond_the_annotated_size(axes):
    assert plots.MAX_ANNOTATED_CELLS == 400
    plots.similarity_plot(axes, similarity_matrix(20))  # 400 cells: written
    assert len(axes.texts) == 400
    axes.clear()
    plots.similarity_plot(axes, similarity_matrix(21))  # 441 cells: colour only
    assert len(axes.texts) == 0
    assert len(ticks(axes.get_yticklabels())) == 21


def test_similarity_plot_of_an_empty_matrix_shows_that_it_has_no_rows(axes):
    plots.similarity_plot(axes, pd.DataFrame())
    assert_placeholder(axes)


def actor_table():
    # actors.actor_counts(by="party"): party, actor, type, mentions, words, per_1000; every
    # actor has a row for every unit, by unit, then mentions descending, then actor.
    return pd.DataFrame({
        "party": ["blue"] * 4 + ["red"] * 4,
        "actor": ["China", "Brazil", "India", "Pakistan", "Pakistan", "China", "India",
                  "Brazil"],
        "type": "country", "mentions": [1, 0, 0, 0, 2, 1, 1, 0],
        "words": [7] * 4 + [14] * 4,
        "per_1000": [142.857, 0.0, 0.0, 0.0, 142.857, 71.429, 71.429, 0.0]})


def test_actor_plot_ranks_actors_by_mentions_over_all_units(axes):
    # The plot ranks the actors itself: total mentions China 2, Pakistan 2 (the tie goes to
    # the name first in order), India 1, Brazil 0; top=3 drops Brazil.
    plots.actor_plot(axes, actor_table(), top=3)
    assert ticks(axes.get_yticklabels()) == ["China", "Pakistan", "India"]
    assert widths(axes) == [142.857, 0.0, 0.0, 71.429, 142.857, 71.429]
    assert centres(axes) == pytest.approx([-0.2, 0.8, 1.8, 0.2, 1.2, 2.2])
    assert faces(axes) == [rgba("C0")] * 3 + [rgba("C1")] * 3
    assert legend(axes) == ["blue", "red"]
    assert axes.yaxis_inverted() and axes.get_xlabel() == "mentions per 1,000 words"


def test_actor_plot_draws_mentions(axes):
    plots.actor_plot(axes, actor_table(), value="mentions")
    assert ticks(axes.get_yticklabels()) == ["China", "Pakistan", "India", "Brazil"]
    assert widths(axes) == [1, 0, 0, 0, 1, 2, 1, 0]
    assert axes.get_xlabel() == "mentions"


def test_actor_plot_gives_each_section_its_own_bars(axes):
    # actors.actor_counts(by="section"): doc, section, voice, then the counts. Each section
    # is a unit: its rate is not added to the other sections' of its document.
    table = pd.DataFrame({
        "doc": ["x", "x"], "section": ["headline", "body"], "voice": ["paper", "author"],
        "actor": ["China", "China"], "type": "country", "mentions": [1, 1],
        "words": [10, 100], "per_1000": [100.0, 10.0]})
    plots.actor_plot(axes, table)
    assert legend(axes) == ["x/headline", "x/body"]
    assert widths(axes) == [100.0, 10.0]


def test_actor_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    plots.actor_plot(axes, actor_table().iloc[:0])
    assert_placeholder(axes)


def test_trend_plot_colours_each_band_as_its_line(dated, axes):
    table = trends(dated, ["road", "trade"], "month", by="corpus")
    plots.trend_plot(axes, table)
    assert [line.get_color() for line in axes.lines] == ["C0", "C1"]
    assert [tuple(band.get_facecolor()[0]) for band in axes.collections] == [
        mcolors.to_rgba("C0", 0.2), mcolors.to_rgba("C1", 0.2)]
    assert axes.get_ylabel() == "per 1,000 words (95 % interval)"
    assert legend(axes) == ["road", "trade"]


def test_trend_plot_of_an_empty_table_shows_that_it_has_no_rows(axes):
    table = pd.DataFrame(columns=["term", "period", "per_1000", "low", "high"])
    plots.trend_plot(axes, table)
    assert_placeholder(axes)


# --- label placement -------------------------------------------------------------------------


def _boxes(texts, renderer):
    return [t.get_window_extent(renderer) for t in texts]


def test_place_labels_never_overlap():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.plots import place_labels

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    rng = np.random.default_rng(0)
    xy = rng.uniform(0.2, 0.8, size=(60, 2))
    labels = [f"label{i}" for i in range(60)]
    placed = place_labels(ax, xy[:, 0], xy[:, 1], labels)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = _boxes(placed, renderer)
    assert 5 < len(placed) < 60  # crowded: some placed, some skipped
    for one, two in combinations(boxes, 2):
        assert not one.overlaps(two)
    frame = ax.get_window_extent(renderer)
    assert all(b.x0 >= frame.x0 and b.x1 <= frame.x1 for b in boxes)
    fig2, ax2 = plt.subplots(figsize=(4, 3))
    ax2.set_xlim(0, 1)
    ax2.set_ylim(0, 1)
    again = place_labels(ax2, xy[:, 0], xy[:, 1], labels)
    assert [(t.get_text(), t.xyann) for t in again] == [(t.get_text(), t.xyann) for t in placed]
    plt.close("all")


def test_vocabulary_scatter_labels_do_not_overlap():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.plots import vocabulary_scatter_plot

    table = compare_terms(process(load_corpus()), "songtao-article", "award-report")
    fig, ax = plt.subplots(figsize=(7, 6))
    vocabulary_scatter_plot(ax, table, labels=label_terms(table, n=12))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in ax.texts]
    assert len(texts) >= 10
    assert "cpec" in {t.get_text() for t in texts}
    for one, two in combinations(_boxes(texts, renderer), 2):
        assert not one.overlaps(two)
    plt.close(fig)


# Twelve groups, the most a report's figure shows by default (MAX_GROUPS): more than the
# ten colours of the style's cycle.
TWELVE = [f"party-{k:02d}" for k in range(12)]


def _styles(ax) -> list[tuple]:
    """(face colour, hatch) of each legend entry's bars."""
    return [(tuple(handle.patches[0].get_facecolor()), handle.patches[0].get_hatch() or "")
            if hasattr(handle, "patches") else
            (tuple(handle.get_facecolor()), handle.get_hatch() or "")
            for handle in ax.get_legend().legend_handles]


def test_twelve_groups_get_twelve_different_bar_styles(axes):
    table = pd.DataFrame({"party": TWELVE, "term": ["road"] * 12, "per_1000": [1.0] * 12})
    plots.top_terms_plot(axes, table)
    assert legend(axes) == TWELVE
    styles = _styles(axes)
    assert len(set(styles)) == 12
    # the first ten are the style's colours, plain; the next ones hatched
    assert styles[0] == (rgba("C0"), "") and styles[10][0] == rgba("C0")
    assert styles[10][1] != ""


@pytest.mark.parametrize("draw", ["grouped_bars", "actor", "section_sizes"])
def test_every_grouped_bar_figure_keeps_twelve_groups_apart(draw):
    fig, ax = plt.subplots()
    if draw == "grouped_bars":
        table = pd.DataFrame({"party": TWELVE, "modal": ["shall"] * 12, "per_1000": [1.0] * 12})
        plots.grouped_bars_plot(ax, table, "modal")
    elif draw == "actor":
        table = pd.DataFrame({"party": TWELVE, "actor": ["China"] * 12, "mentions": [1] * 12,
                              "per_1000": [1.0] * 12})
        plots.actor_plot(ax, table)
    else:
        table = pd.DataFrame({"doc": ["x"] * 12, "section": TWELVE, "voice": TWELVE,
                              "words": [5] * 12})
        plots.section_sizes_plot(ax, table)
    assert legend(ax) == TWELVE and len(set(_styles(ax))) == 12
    plt.close(fig)


def test_twelve_trend_lines_differ_in_colour_or_dash(axes):
    table = pd.DataFrame({"party": [p for p in TWELVE for _ in range(2)],
                          "term": "road", "period": ["2020", "2021"] * 12,
                          "per_1000": [1.0, 2.0] * 12, "low": [0.5, 1.0] * 12,
                          "high": [2.0, 3.0] * 12})
    plots.trend_plot(axes, table)
    styles = [(line.get_color(), line.get_linestyle()) for line in axes.lines]
    assert len(styles) == 12 and len(set(styles)) == 12


# --- scaling plots ---


def test_positions_plot_draws_a_row_per_unit_with_its_interval(axes):
    table = pd.DataFrame({"doc": ["q", "t", "p"], "position": [-1.5, -0.4, 0.0],
                          "low": [-1.8, -0.7, -0.5], "high": [-1.2, -0.1, 0.5]})
    plots.positions_plot(axes, table)
    assert [t.get_text() for t in axes.get_yticklabels()] == ["q", "t", "p"]
    segments = axes.collections[0].get_segments()
    assert [(s[0][0], s[1][0], s[0][1]) for s in segments] == [(-1.8, -1.2, 0), (-0.7, -0.1, 1),
                                                               (-0.5, 0.5, 2)]
    dots = axes.get_lines()[0]
    assert list(dots.get_xdata()) == [-1.5, -0.4, 0.0] and axes.get_legend() is None


def test_positions_plot_marks_the_reference_texts_of_wordscores(axes):
    table = pd.DataFrame({"doc": ["a", "b", "c"], "position": [-1.0, 0.1, 1.0],
                          "low": [-1.1, 0.0, 0.9], "high": [-0.9, 0.2, 1.1],
                          "reference": [-1.0, np.nan, 1.0]})
    plots.positions_plot(axes, table)
    scored, reference = axes.get_lines()[:2]
    assert list(scored.get_xdata()) == [0.1] and list(reference.get_xdata()) == [-1.0, 1.0]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "scored text", "reference text (score given)"]


def test_word_weights_plot_draws_every_word_and_labels_those_given(axes):
    words = pd.DataFrame({"feature": ["a", "b", "c", "d"], "beta": [-2.0, -0.1, 0.2, 3.0],
                          "psi": [-4.0, 1.0, 0.5, -5.0]})
    labels = pd.DataFrame({"side": ["left", "right"], "feature": ["a", "d"]})
    plots.word_weights_plot(axes, words, labels)
    every, marked = axes.collections[:2]
    assert every.get_offsets().tolist() == [[-2.0, -4.0], [-0.1, 1.0], [0.2, 0.5], [3.0, -5.0]]
    assert marked.get_offsets().tolist() == [[-2.0, -4.0], [3.0, -5.0]]
    assert sorted(t.get_text() for t in axes.texts) == ["a", "d"]
