"""Word sketches and their difference, counted by hand on the toy CoNLL-U corpus.

The toy corpus (tests/conftest.py, ``TOY_CONLLU``) makes 17 triples (each dependency edge
of a sketch relation gives one from each side; ``to China`` one):

- S1 "Song Tao praised the new road.": (road, modifiers, new), (new, modifies, road),
  (praise, objects, road), (road, object_of, praise), (praise, subjects, Song),
  (Song, subject_of, praise);
- S2 "Roads don't end.": (end, subjects, road), (road, subject_of, end),
  (end, modifiers, not), (not, modifies, end);
- S3 "Pakistan builds a road to China.": (build, subjects, Pakistan),
  (Pakistan, subject_of, build), (build, objects, road), (road, object_of, build),
  (road, pp, to China);
- S4 "Good roads matter.": (road, modifiers, good), (good, modifies, road),
  (matter, subjects, road), (road, subject_of, matter).
"""

from __future__ import annotations

import math

import pytest

from analysis.readers.conllu import load_conllu
from analysis.sketches import RELATIONS, log_dice, sketch_difference, word_sketch
from analysis.text.process import process

# 14 + log2(2 * 1 / (2 + 1)) = 14 + log2(2/3) = 14 - 0.5849625 = 13.4150375 (by hand)
TWO_THIRDS = 14 + math.log2(2 / 3)


@pytest.fixture
def toy(toy_conllu):
    return process(load_conllu(toy_conllu))


def test_log_dice_against_a_hand_computation():
    # Rychlý (2008, RASLAN 2008, pp. 6-9) gives the formula (p. 8) without a worked example;
    # by hand: f_xy = 10, f_x = 100, f_y = 300: 2 * 10 / 400 = 0.05, log2(0.05) = -4.321928,
    # logDice = 9.678072. The maximum, 14, where f_xy = f_x = f_y.
    assert float(log_dice(10, 100, 300)) == pytest.approx(9.678072, abs=1e-6)
    assert float(log_dice(7, 7, 7)) == 14.0
    # Halving the share takes one point: f_xy = 1 with f_x + f_y = 4 is 13.
    assert float(log_dice(1, 2, 2)) == 13.0


def test_log_dice_against_the_published_properties_and_a_worked_example():
    """Rychlý (2008, p. 8) lists what logDice's values mean: at most 14 (every X with Y and
    every Y with X); 0 for fewer than one XY per 16,000 X or Y (with f_x = f_y = 16,384 and
    f_xy = 1: 14 + log2(2 / 32,768) = 0); a point more is a collocation twice as frequent,
    seven points more about 100 times (2^7 = 128). The worked example is K. Sugiura's
    (http://sugiura-ken.org/wiki/wiki.cgi/exp?page=logDice, an R function LD(xy, x, y)
    with its printed results, citing Rychlý 2008): LD(8, 389, 230) = 8.726204,
    LD(300, 300, 300) = 14, LD(3, 3000, 3000) = 4.034216, LD(6, 3000, 3000) = 5.034216,
    LD(300, 3000, 3000) = 10.67807."""
    assert float(log_dice(300, 300, 300)) == 14.0
    assert float(log_dice(1, 16384, 16384)) == 0.0
    assert float(log_dice(1, 16000, 16000)) > 0 > float(log_dice(1, 17000, 17000))
    for f_xy, f_x, f_y, published in ((8, 389, 230, 8.726204), (3, 3000, 3000, 4.034216),
                                      (6, 3000, 3000, 5.034216), (300, 3000, 3000, 10.67807)):
        assert float(log_dice(f_xy, f_x, f_y)) == pytest.approx(published, abs=5e-6)
    assert float(log_dice(6, 3000, 3000) - log_dice(3, 3000, 3000)) == pytest.approx(1.0)
    assert float(log_dice(384, 3000, 3000) - log_dice(3, 3000, 3000)) == pytest.approx(7.0)


def test_sketch_of_road_counted_by_hand(toy):
    table = word_sketch(toy, "road")
    rows = {(r.relation, r.collocate): (r.count, r.node_count, r.collocate_count)
            for r in table.itertuples()}
    assert rows == {
        ("modifiers", "new"): (1, 2, 1), ("modifiers", "good"): (1, 2, 1),
        ("subject_of", "end"): (1, 2, 2),     # end: (road, subject_of, end), (not, modifies, end)
        ("subject_of", "matter"): (1, 2, 1),
        ("object_of", "praise"): (1, 2, 2),   # praise: its object and its subject Song
        ("object_of", "build"): (1, 2, 2),
        ("pp", "to China"): (1, 1, 1),
    }
    score = dict(zip(zip(table["relation"], table["collocate"], strict=True),
                     table["logdice"], strict=True))
    assert score["modifiers", "new"] == pytest.approx(TWO_THIRDS)
    assert score["subject_of", "end"] == 13.0          # 14 + log2(2 / (2 + 2))
    assert score["pp", "to China"] == 14.0
    # Relations in RELATIONS order; inside, logDice descending, ties by collocate.
    assert table["relation"].tolist() == ["modifiers", "modifiers", "subject_of",
                                          "subject_of", "object_of", "object_of", "pp"]
    assert table["collocate"].tolist() == ["good", "new", "matter", "end", "build", "praise",
                                           "to China"]


def test_pp_from_the_noun_s_side(toy):
    """*a road to China*: road -nmod-> China -case-> to. From China's side, the triple
    (China, pp_obj, "road to"), the only triple of China and of its second word: 14."""
    table = word_sketch(toy, "China")
    assert table[["relation", "collocate", "count", "node_count", "collocate_count",
                  "logdice"]].values.tolist() == [["pp_obj", "road to", 1, 1, 1, 14.0]]
    assert word_sketch(toy, "road", relation="pp_obj").empty  # road is no phrase's noun


def test_relation_min_count_top_and_pos(toy):
    assert word_sketch(toy, "road", relation="subject_of")["collocate"].tolist() == [
        "matter", "end"]
    assert word_sketch(toy, "road", top=1)["collocate"].tolist() == [
        "good", "matter", "build", "to China"]
    assert word_sketch(toy, "road", min_count=2).empty
    assert word_sketch(toy, "road", pos="VERB").empty
    assert len(word_sketch(toy, "road", pos="NOUN")) == 7
    # the verb end: modifier not (n't; not is the second word of that triple alone) and
    # subject road (road is the second word of 6 triples): 14 + log2(2 / (1 + 6))
    end = word_sketch(toy, "end")
    assert end[["relation", "collocate", "count"]].values.tolist() == [
        ["modifiers", "not", 1], ["subjects", "road", 1]]
    assert end["logdice"].tolist() == pytest.approx([14.0, 14 + math.log2(2 / 7)])


def test_sketch_by_group_counts_each_group_alone(toy):
    table = word_sketch(toy, "road", by="outlet", relation="modifiers")
    assert table[["outlet", "collocate", "count", "node_count", "logdice"]].values.tolist() == [
        ["Dawn", "new", 1, 1, 14.0], ["The Nation", "good", 1, 1, 14.0]]


def test_sketch_difference_by_outlet(toy):
    table = sketch_difference(toy, "road", ("Dawn", "The Nation"), by="outlet",
                              relation="modifiers")
    assert table[["collocate", "a_count", "b_count", "difference", "prefers"]].values.tolist() \
        == [["new", 1, 0, 14.0, "Dawn"], ["good", 0, 1, -14.0, "The Nation"]]
    assert math.isnan(table["b_logdice"].iloc[0])
    # two units (documents) give the same comparison
    units = sketch_difference(toy, "road", ("dawn-1", "nation-1"), relation="modifiers")
    assert units["difference"].tolist() == [14.0, -14.0]
    # object_of: Dawn praise (f_y 2 there: its object and subject), Nation build (f_y 2)
    objects = sketch_difference(toy, "road", ("Dawn", "The Nation"), by="outlet",
                                relation="object_of")
    assert objects["collocate"].tolist() == ["praise", "build"]
    assert objects["difference"].tolist() == [pytest.approx(14 + math.log2(2 / 3)),
                                              pytest.approx(-(14 + math.log2(2 / 3)))]


def test_bad_input(toy, make_corpus):
    from analysis.corpus import load_corpus

    with pytest.raises(ValueError, match="must be one of 'modifiers'"):
        word_sketch(toy, "road", relation="adjectives")
    with pytest.raises(ValueError, match="not a group of outlet"):
        sketch_difference(toy, "road", ("Dawn", "Daily Times"), by="outlet")
    plain = process(load_corpus(make_corpus({"a.txt": "Roads run."})))
    with pytest.raises(ValueError, match="no dependency annotation.*CoNLL-U"):
        word_sketch(plain, "road")
    assert set(RELATIONS) >= {"modifiers", "subjects", "objects", "pp", "coordination"}


def test_cli_sketch(cli, toy_conllu, make_corpus):
    status, out, err = cli("sketch", "road", "--corpus", str(toy_conllu), "--format", "csv")
    assert status == 0, err
    assert out.splitlines()[1].startswith("modifiers,good,1,2,1,13.41")
    status, out, _ = cli("sketch", "road", "--corpus", str(toy_conllu), "--by", "outlet",
                         "--groups", "Dawn,The Nation", "--relation", "modifiers",
                         "--format", "csv")
    assert status == 0
    assert out.splitlines()[1:] == ["modifiers,new,1,0,14.0,,14.0,Dawn",
                                    "modifiers,good,0,1,,14.0,-14.0,The Nation"]
    status, out, err = cli("sketch", "road", "--corpus", str(toy_conllu), "--relation", "adj")
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "--relation adj" in err and "'pp'" in err
    plain = make_corpus({"a.txt": "Roads run."})
    status, _, err = cli("sketch", "road", "--corpus", str(plain))
    assert status == 2 and err.count("\n") == 1 and "no dependency annotation" in err
    assert "CoNLL-U" in err
    status, _, err = cli("sketch", "road", "--corpus", str(toy_conllu), "--top", "0")
    assert status == 2 and "--top 0" in err
