"""Metaphors and quotations (analysis.framing.metaphors), on the seeds and on toy texts."""

from __future__ import annotations

from conftest import toy

from analysis.framing import metaphors

# --------------------------------------------------------------------------- metaphors


BROTHERS = "They are brothers on the Belt and Road. CPEC is a road to gold."


def test_metaphors_exclude_belt_and_road(make_corpus):
    p = toy(make_corpus, BROTHERS)
    table = metaphors.metaphors(p)
    assert table[["sentence", "marker", "domain"]].values.tolist() == [
        [1, "brothers", "kinship"], [2, "road", "journey"], [2, "gold", "treasure"],
    ]


def test_metaphor_counts_by_hand(make_corpus):
    # brothers, road, gold once each ("Belt and Road" is a name, not a journey metaphor);
    # ties in count are in order of the marker.
    p = toy(make_corpus, BROTHERS)
    counts = metaphors.metaphor_counts(p, metaphors.metaphors(p))
    assert counts[["marker", "count"]].values.tolist() == [["brothers", 1], ["gold", 1],
                                                          ["road", 1]]


def test_seed_metaphors_are_the_award_reports_markers_exactly(seeds):
    table = metaphors.metaphors(seeds)
    award = table.loc[table["doc"] == "award-report", ["sentence", "marker", "domain"]]
    assert award.values.tolist() == [
        [7, "all-weather", "weather"], [8, "force behind", "physics"],
        [8, "game-changer", "game"], [14, "four corners", "space"],
        [14, "kith and kin", "kinship"], [22, "accelerator", "machine"],
        [25, "shoulder", "body"], [27, "storm", "weather"], [27, "storm", "weather"],
        [32, "tool", "machine"]]
    article = table[table["doc"] == "songtao-article"]
    assert (article["marker"] == "road").sum() == 4


def test_quotations_and_sayings(make_corpus):
    text = 'As the old saying goes, "true gold fears no fire." He said "hello there" twice.'
    table = metaphors.quotations(toy(make_corpus, text))
    assert table["quote"].tolist() == ["true gold fears no fire.", "hello there"]
    assert table["saying"].tolist() == [True, False]
    assert table["sentence"].tolist() == [1, 2]
    assert table["introducer"].tolist() == ["As the old saying goes", "He said"]


def test_seed_sayings(seeds):
    table = metaphors.quotations(seeds)
    sayings = table[table["saying"]]
    assert sayings["doc"].tolist() == ["songtao-article", "songtao-article"]
    assert sayings["quote"].tolist() == [
        "Sturdy grass withstands high winds; true gold stands the test of fire.",
        "true friendship keeps growing despite a distance of a thousand miles."]
