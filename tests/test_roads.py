"""Roads (analysis.framing.roads), on the seeds and on hand-counted toy texts."""

from __future__ import annotations

import pytest
from conftest import toy

from analysis.corpus import load_corpus
from analysis.framing import roads
from analysis.lexicons import read_lexicon
from analysis.text.process import process

# --------------------------------------------------------------------------- roads: seeds


def test_seed_roads_values_roles_and_order(seeds):
    table = roads.roads(seeds)
    assert table["doc"].tolist() == ["songtao-article"] * 4
    assert table["ordinal"].tolist() == [1, 2, 3, 4]
    assert table["marker"].tolist() == ["First", "Second", "Third", "Fourth"]
    assert table["road"].tolist() == [
        "development", "happiness and a better life", "stability and security",
        "win-win progress",
    ]
    assert table["role"].tolist() == [
        "lead cooperation", "guide public opinion", "protect outcomes of cooperation",
        "help shape favorable opinions",
    ]
    assert table["modal"].tolist() == ["shall"] * 4
    assert set(table["topic"]) == {"CPEC"}
    assert table["construction"].tolist() == ["copula"] * 4


def test_seed_road_one_noise_is_repaired_by_sibling_subject(seeds):
    first = roads.roads(seeds).iloc[0]
    # "road of development political parties shall for shared prosperity, lead we cooperation"
    assert first["subject"] == "political parties"
    assert first["adjunct"] == "for shared prosperity"


def test_seed_road_evidence(seeds):
    table = roads.roads(seeds)
    assert table["figures"].tolist() == [
        "Seventeen projects have been concluded; 16 are under construction",
        "17 programmes have been drawn up", "", "",
    ]
    assert table["adversaries"].tolist() == [[], [], [], ["external powers"]]
    # road 1: 5 evidence sentences, 3 claims (past/present facts) and 2 commitments (will);
    # roads 2-4: 4 evidence sentences each, 2 claims and 2 commitments (will, try to,
    # would, ready to, hope).
    assert table["claims"].map(len).tolist() == [3, 2, 2, 2]
    assert table["commitments"].map(len).tolist() == [2, 2, 2, 2]
    assert table.at[3, "claims"][0].startswith("Some external powers that seek unilateral")
    assert table.at[3, "commitments"] == [
        "We hope to keep close contact with you to debunk rumors and work together to share "
        "CPEC success stories with not only more Pakistani people but also the international "
        "community.",
        "In this way, we will maintain a sound environment of positive opinion for CPEC "
        "development."]
    assert (table["last_sentence"] - table["sentence_no"]).tolist() == [5, 4, 4, 4]


def test_award_report_has_no_roads(seeds):
    table = roads.roads(seeds, where="doc=award-report")
    assert table.empty
    assert table.columns.tolist() == roads.ROAD_COLUMNS


def test_unknown_doc_is_an_empty_subset(seeds):
    with pytest.raises(ValueError, match="'doc=nope': no document of the corpus matches"):
        roads.roads(seeds, where="doc=nope")


# --------------------------------------------------------------------------- roads: other texts


GREEN_DEAL = (
    "Europe faces a choice.\n"
    "Firstly, the Green Deal is a road to climate neutrality, so member states must cut "
    "emissions. Emissions fell by 24 percent. Critics disagree.\n"
    "Secondly, it is also a road for jobs; we should train workers in every region.\n"
    "Lastly, the Green Deal is a road towards fairness, and governments will protect the "
    "poorest households.\n"
)


def test_three_roads_with_other_subject_verbs_and_markers(make_corpus):
    table = roads.roads(toy(make_corpus, GREEN_DEAL))
    assert table["ordinal"].tolist() == [1, 2, 3]
    assert table["marker"].tolist() == ["Firstly", "Secondly", "Lastly"]
    assert table["topic"].tolist() == ["the Green Deal", "it", "the Green Deal"]
    assert table["road"].tolist() == ["climate neutrality", "jobs", "fairness"]
    assert table["subject"].tolist() == ["member states", "we", "governments"]
    assert table["modal"].tolist() == ["must", "should", "will"]
    assert table["role"].tolist() == [
        "cut emissions", "train workers", "protect poorest households"]
    assert table["figures"].tolist() == ["24 percent", "", ""]
    assert table["adversaries"].tolist() == [["detractors"], [], []]
    assert table.at[0, "claims"] == ["Emissions fell by 24 percent.", "Critics disagree."]


def test_numbered_roads_split_off_by_the_sentence_splitter(make_corpus):
    text = ("1. The corridor is a road to a cleaner economy; member states should invest in "
            "solar power. 2. It is a road for peace, and we must talk.")
    table = roads.roads(toy(make_corpus, text))
    assert table["ordinal"].tolist() == [1, 2]
    assert table["marker"].tolist() == ["1.", "2."]
    assert table["road"].tolist() == ["a cleaner economy", "peace"]
    assert table["role"].tolist() == ["invest", "talk"]


def test_scrambled_subject_recovered_from_a_sibling_road(make_corpus):
    text = ("First, trade is a road of peace nations shall keep talking. "
            "Second, as trade is a road to wealth, we nations shall open markets.")
    table = roads.roads(toy(make_corpus, text))
    assert table["road"].tolist() == ["peace", "wealth"]
    assert table["subject"].tolist() == ["nations", "we nations"]
    assert table["role"].tolist() == ["keep talking", "open markets"]


def test_no_road_gives_empty_table_with_columns(make_corpus):
    text = "The economy is on the road to recovery. Roads were built. We shall see."
    table = roads.roads(toy(make_corpus, text))
    assert table.empty
    assert table.columns.tolist() == roads.ROAD_COLUMNS


def test_other_head_nouns(make_corpus):
    text = "Trade is a bridge to friendship, and we will build it."
    p = toy(make_corpus, text)
    assert roads.roads(p).empty
    table = roads.roads(p, heads=("road", "bridge"))
    assert table["road"].tolist() == ["friendship"]
    assert table["role"].tolist() == ["build"]


# --------------------------------------------------------------------------- roads: constructions

# Each metaphorical construction once, every one beside a literal road that must not be found
# (the road as a subject or place, road safety, a toll road, a named road, roads repaired, on
# the road to a city), then literal roads inside the constructions themselves.
CONSTRUCTIONS = (
    "The road to the village was closed after the rains. CPEC is a road of development, and "
    "parties shall lead cooperation.\n"
    "Road safety matters to every driver. We will make CPEC a road to happiness.\n"
    "We paid at a toll road near the border. The corridor, a road for stability, will protect "
    "investors.\n"
    "The Karakoram road was repaired last year. We see trade as a road for win-win progress, "
    "and we must defend it.\n"
    "Roads were repaired in every district. The plan becomes a road of peace; governments "
    "should invest in schools.\n"
    "They were on the road to Lahore by noon. A road to prosperity, CPEC will create jobs.\n"
    "Pakistan's road to recovery will create jobs. Tourism, as a road to cooperation, will "
    "unite us. Trade remains a road to friendship. Sport serves as a road for harmony.\n"
)


LITERAL_IN_CONSTRUCTIONS = (
    "This is a toll road to Islamabad. The bypass is a road for trucks. Make the old track a "
    "road to the village. A road to Lahore, the N5 will reopen. This street is a road to "
    "nowhere. Gwadar's road to the airport is new.\n"
)


def test_every_construction_with_its_value_vehicle_and_task(make_corpus):
    table = roads.roads(toy(make_corpus, CONSTRUCTIONS + LITERAL_IN_CONSTRUCTIONS))
    columns = ["ordinal", "construction", "topic", "road", "subject", "modal", "role"]
    assert table[columns].values.tolist() == [
        [1, "copula", "CPEC", "development", "parties", "shall", "lead cooperation"],
        [2, "make", "CPEC", "happiness", "We", "will", "make CPEC a road to happiness"],
        [3, "apposition", "The corridor", "stability", "The corridor", "will",
         "protect investors"],
        [4, "as", "trade", "win-win progress", "we", "must", "defend"],
        [5, "copula", "The plan", "peace", "governments", "should", "invest"],
        [6, "fronted", "CPEC", "prosperity", "CPEC", "will", "create jobs"],
        [7, "possessive", "Pakistan", "recovery", "", "will", "create jobs"],
        [8, "as", "Tourism", "cooperation", "Tourism", "will", "unite"],
        [9, "copula", "Trade", "friendship", "", "", ""],
        [10, "copula", "Sport", "harmony", "", "", ""],
    ]
    assert table["marker"].tolist() == [""] * 10
    # one road per sentence, each in its own sentence: none of the literal ones is listed
    assert table["sentence_no"].tolist() == [2, 4, 6, 8, 10, 12, 13, 14, 15, 16]
    assert not table["sentence"].str.contains(
        "village|toll|Karakoram|repaired|Lahore|trucks|street|airport|safety").any()


def test_literal_roads_are_candidates_rejected_by_their_sense(make_corpus):
    p = toy(make_corpus, CONSTRUCTIONS.split("\n")[0] + "\n" + LITERAL_IN_CONSTRUCTIONS)
    assert roads.roads(p)["road"].tolist() == ["development"]
    # each literal sentence is one of the constructions: the sense rule is what drops it
    pattern = roads.road_pattern()
    verdicts = []
    for text in p.sentences["text"].iloc[2:]:
        (item,) = roads.sentence_roads(text, pattern)
        verdicts.append((item["construction"], roads.road_sense(
            " ".join(item["value"]), item["mods"], " ".join(item["topic"]))))
    assert verdicts == [
        ("copula", ("literal", "place name: Islamabad")),
        ("copula", ("literal", "traffic: trucks")),
        ("make", ("literal", "place: village")),
        ("fronted", ("literal", "place name: Lahore")),
        ("copula", ("literal", "a way or place called a road: street")),
        ("possessive", ("literal", "place: airport")),
    ]


def test_road_sense_rules_in_order():
    # 1. an abstract value wins over literal evidence; 2. literal evidence; 3. default
    assert roads.road_sense("peace", modifiers="toll") == ("metaphorical", "value: peace")
    assert roads.road_sense("the border") == ("literal", "place: border")
    assert roads.road_sense("more buses") == ("literal", "traffic: buses")
    assert roads.road_sense("China") == ("literal", "place name: China")
    assert roads.road_sense("CPEC projects") == ("metaphorical", "no literal evidence")
    assert roads.road_sense("jobs", modifiers="dirt") == ("literal", "modifier: dirt")
    assert roads.road_sense("jobs", modifiers="Karakoram") == (
        "literal", "named road: Karakoram")
    assert roads.road_sense("jobs", topic="the old highways") == (
        "literal", "a way or place called a road: highways")
    assert roads.road_sense("a better life", topic="the highway") == (
        "metaphorical", "value: life")


def test_roads_lexicon_rows_have_a_class_and_a_source():
    rows = read_lexicon("roads")
    assert {row["class"] for row in rows} == {"value", "place", "traffic", "modifier", "thing",
                                                "verb"}
    assert all(row["word"] and row["source"] for row in rows)
    values = roads.road_lexicon()["value"]
    assert {"development", "happiness", "prosperity", "peace", "stability", "progress",
            "cooperation", "friendship", "win-win"} <= values


def test_not_extracted_road_shapes(make_corpus):
    # journey metaphors of another shape, negation, comparisons and lists
    text = ("The road to peace was long. We are on the road to recovery. We went down the "
            "road of reform. CPEC is not a road to debt. CPEC will never become a road to "
            "ruin. Just as a road to peace needs patience, trade needs rules. Projects, such "
            "as a road to Gwadar, were built. Our road to prosperity is long.")
    assert roads.roads(toy(make_corpus, text)).empty


def test_coordinated_roads_share_vehicle_and_task(make_corpus):
    text = ("We should build the corridor into a road for peace, a road of prosperity and a "
            "road of innovation. CPEC is a road of trade, and BRI is a road of unity.")
    table = roads.roads(toy(make_corpus, text))
    assert table[["construction", "topic", "road", "subject", "modal", "role"]].values \
        .tolist() == [
        ["make", "the corridor", "peace", "We", "should",
         "build the corridor into a road for peace"],
        ["make", "the corridor", "prosperity", "We", "should",
         "build the corridor into a road for peace"],
        ["make", "the corridor", "innovation", "We", "should",
         "build the corridor into a road for peace"],
        ["copula", "CPEC", "trade", "", "", ""],
        ["copula", "BRI", "unity", "", "", ""],
    ]
    assert table["ordinal"].tolist() == [1, 2, 3, 4, 5]


ENUMERATED = {
    "a.txt": "Firstly, CPEC is a road of development. Secondly, it is a road to happiness.\n",
    "c.txt": ("CPEC brings two roads. The first is a road of development. The second road is "
              "a road to happiness.\n"),
    "d.txt": "One, CPEC is a road of peace. Two: CPEC is a road of trade.\n",
    "e.txt": ("1. CPEC is a road of peace. (2) CPEC is a road of trade and a road of "
              "friendship, and we shall defend both. 3) CPEC is a road of unity.\n"),
    "f.txt": "CPEC is a road of peace. The weather was fine. Trade is a road to growth.\n",
    "g.txt": ("Third, CPEC is a road for security. First, CPEC is a road of development. "
              "Lastly, CPEC is a road to progress and a road of hope.\n"),
}


def test_enumerators_number_the_roads(make_corpus):
    table = roads.roads(process(load_corpus(make_corpus(ENUMERATED))))
    assert table[["doc", "ordinal", "marker", "topic", "road"]].values.tolist() == [
        ["a", 1, "Firstly", "CPEC", "development"],
        ["a", 2, "Secondly", "it", "happiness"],
        ["c", 1, "The first", "", "development"],
        ["c", 2, "The second", "", "happiness"],
        ["d", 1, "One", "CPEC", "peace"],
        ["d", 2, "Two", "CPEC", "trade"],
        ["e", 1, "1.", "CPEC", "peace"],
        ["e", 2, "(2)", "CPEC", "trade"],  # the two roads of one numbered item share it
        ["e", 2, "(2)", "CPEC", "friendship"],
        ["e", 3, "3)", "CPEC", "unity"],
        ["f", 1, "", "CPEC", "peace"],  # no marker: order of appearance
        ["f", 2, "", "Trade", "growth"],
        ["g", 3, "Third", "CPEC", "security"],  # the marker's number, not the order
        ["g", 1, "First", "CPEC", "development"],
        ["g", 2, "Lastly", "CPEC", "progress"],  # previous + 1, shared by its sentence
        ["g", 2, "Lastly", "CPEC", "hope"],
    ]
    assert table.loc[table["doc"] == "e", "role"].tolist() == ["", "defend", "defend", ""]
    lone = roads.roads(process(load_corpus(make_corpus({"f.txt": ENUMERATED["f.txt"]},
                                                         name="lone"))))
    assert lone["ordinal"].tolist() == [1, 2]


def test_other_head_nouns_in_the_new_constructions(make_corpus):
    p = toy(make_corpus, "We will make trade a path to peace. The corridor, a bridge of "
                         "friendship, will last.")
    assert roads.roads(p).empty
    table = roads.roads(p, heads=("road", "path", "bridge"))
    assert table[["construction", "topic", "road", "role"]].values.tolist() == [
        ["make", "trade", "peace", "make trade a path to peace"],
        ["apposition", "The corridor", "friendship", "last"],
    ]


# --------------------------------------------------------------------------- roads: noun phrases


def test_coordinate_adjectives_stay_in_the_value(make_corpus):
    # The comma between two adjectives is inside the noun phrase: one value, no task.
    table = roads.roads(toy(make_corpus, "It is the road to ungrudged, unclouded success."))
    assert table["road"].tolist() == ["ungrudged, unclouded success"]
    assert table["role"].tolist() == [""]


def test_a_verb_after_to_is_no_destination(make_corpus):
    # "to follow" is an infinitive: there is no value, so no road; the second sentence keeps
    # its one road.
    text = "Life is a hard road to follow. Trade is a road to wealth."
    table = roads.roads(toy(make_corpus, text))
    assert table["road"].tolist() == ["wealth"]


def test_a_value_does_not_run_into_the_next_road(make_corpus):
    # The second "road" has no preposition (not a road phrase) but still ends the value.
    text = ("It is a road to peace and a road that leads nowhere. "
            "CPEC is a road to prosperity and the long road ahead is hard.")
    table = roads.roads(toy(make_corpus, text))
    assert table["road"].tolist() == ["peace", "prosperity"]


# --------------------------------------------------------------------------- dependencies

ROAD_SENTENCES = {  # word, lemma, upos, head, deprel: "CPEC is a road to the city of peace."
    "city": [("CPEC", "CPEC", "PROPN", 4, "nsubj"), ("is", "be", "AUX", 4, "cop"),
             ("a", "a", "DET", 4, "det"), ("road", "road", "NOUN", 0, "root"),
             ("to", "to", "ADP", 7, "case"), ("the", "the", "DET", 7, "det"),
             ("city", "city", "NOUN", 4, "nmod"), ("of", "of", "ADP", 9, "case"),
             ("peace", "peace", "NOUN", 7, "nmod"), (".", ".", "PUNCT", 4, "punct")],
    "peace": [("CPEC", "CPEC", "PROPN", 4, "nsubj"), ("is", "be", "AUX", 4, "cop"),
              ("a", "a", "DET", 4, "det"), ("road", "road", "NOUN", 0, "root"),
              ("to", "to", "ADP", 6, "case"), ("peace", "peace", "NOUN", 4, "nmod"),
              (".", ".", "PUNCT", 4, "punct")],
    # the parse gives the road noun no prepositional dependent: the words decide
    "flat": [("CPEC", "CPEC", "PROPN", 4, "nsubj"), ("is", "be", "AUX", 4, "cop"),
             ("a", "a", "DET", 4, "det"), ("path", "path", "NOUN", 0, "root"),
             ("to", "to", "ADP", 4, "dep"), ("peace", "peace", "NOUN", 4, "dep"),
             (".", ".", "PUNCT", 4, "punct")],
}


def _conllu(tmp_path):
    lines = []
    for doc, words in ROAD_SENTENCES.items():
        lines.append(f"# newdoc id = {doc}")
        for k, (form, lemma, upos, head, deprel) in enumerate(words, start=1):
            space = "SpaceAfter=No" if k < len(words) and words[k][0] == "." else "_"
            lines.append("\t".join([str(k), form, lemma, upos, "_", "_", str(head), deprel,
                                    "_", space]))
        lines.append("")
    path = tmp_path / "roads.conllu"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_construction_decides_where_the_corpus_has_dependencies(tmp_path):
    """Rule 8: *a road to the city of peace* leads to a city (road -nmod-> city), so it is
    literal on the annotated corpus, though its words (the value holds *peace*) call it a
    metaphor in the same text without annotation; *a road to peace* is one either way."""
    from analysis.readers.conllu import load_conllu

    path = _conllu(tmp_path)
    annotated = process(load_conllu(path))
    found = roads.road_dependencies(annotated, ("road", "path"))
    assert found[["doc", "offset", "road", "preposition", "value", "deprel",
                  "abstract"]].values.tolist() == [
        ["city", 10, "road", "to", "city", "nmod", False],
        ["peace", 10, "road", "to", "peace", "nmod", True]]
    table = roads.roads(annotated, heads=("road", "path"))
    assert table[["doc", "road"]].values.tolist() == [["peace", "peace"], ["flat", "peace"]]
    plain = process(load_corpus(make_plain(tmp_path, annotated)))
    assert roads.roads(plain, heads=("road", "path"))["road"].tolist() == [
        "the city of peace", "peace", "peace"]


def make_plain(tmp_path, annotated):
    """The same documents as plain text files (no layers)."""
    folder = tmp_path / "plain"
    folder.mkdir()
    for k, doc in enumerate(annotated.corpus.ids):
        (folder / f"{k}-{doc}.txt").write_text(annotated.corpus[doc].raw + "\n",
                                               encoding="utf-8")
    return folder


def test_road_dependencies_need_the_layers(seeds):
    with pytest.raises(ValueError, match="no dependency annotation"):
        roads.road_dependencies(seeds)
