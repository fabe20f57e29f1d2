"""Metaphors and quotations (analysis.framing.metaphors), on the seeds and on toy texts."""

from __future__ import annotations

from conftest import toy

from analysis.framing import metaphors

# --------------------------------------------------------------------------- metaphors


def test_metaphors_exclude_belt_and_road(make_corpus):
    p = toy(make_corpus, "They are brothers on the Belt and Road. CPEC is a road to gold.")
    table = metaphors.metaphors(p)
    assert table[["sentence", "marker", "domain"]].values.tolist() == [
        [1, "brothers", "kinship"], [2, "road", "journey"], [2, "gold", "treasure"],
    ]
    counts = metaphors.metaphor_counts(p, table)
    assert counts[["marker", "count"]].values.tolist() == [["brothers", 1], ["gold", 1],
                                                          ["road", 1]]


def test_seed_metaphors_include_the_award_reports_markers(seeds):
    table = metaphors.metaphors(seeds)
    award = set(table.loc[table["doc"] == "award-report", "marker"])
    assert {"game-changer", "accelerator", "all-weather", "kith and kin"} <= award
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
    assert sayings["quote"].str.startswith(("Sturdy grass", "true friendship")).all()
