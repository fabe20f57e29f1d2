"""Modality, participants and VADER evaluation, counted by hand on toy texts."""

from __future__ import annotations

import pytest

from analysis import stance
from analysis.corpus import load_corpus
from analysis.text.process import process


def toy(make_corpus, files):
    return process(load_corpus(make_corpus(files)))


# 19 words: 3 + 7 + 4 + 5; modals shall, must, will, have to, may ("May" the month is skipped)
MODAL_TEXT = "We shall win. They must go and we will see. You have to try. It may rain in May."


def test_modal_uses_counted_by_hand(make_corpus):
    uses = stance.modal_uses(toy(make_corpus, {"t.txt": MODAL_TEXT}))
    assert uses["modal"].tolist() == ["shall", "must", "will", "have to", "may"]
    assert uses["sentence"].tolist() == [1, 2, 2, 3, 4]
    assert uses["left"].tolist() == ["We", "They", "go and we", "You", "It"]


def test_modality_rates_per_1000_words(make_corpus):
    p = toy(make_corpus, {"t.txt": MODAL_TEXT})
    table = stance.modality(p).set_index("modal")
    assert table["words"].unique().tolist() == [19]
    assert table.at["shall", "count"] == 1
    assert table.at["shall", "per_1000"] == pytest.approx(1000 / 19, abs=1e-3)  # 52.632
    assert table.at["have to", "count"] == 1
    assert table.at["should", "count"] == 0
    categories = stance.modality(p, level="category").set_index("category")["count"]
    assert categories.to_dict() == {"commitment": 1, "obligation/necessity": 2,
                                    "prediction/volition": 1, "possibility/ability": 1}
    # uses found once and passed in give the same tables; the passed table is used
    uses = stance.modal_uses(p)
    assert stance.modality(p, uses=uses).equals(stance.modality(p))
    assert stance.modality(p, level="category", uses=uses).equals(
        stance.modality(p, level="category"))
    only_must = stance.modality(p, uses=uses[uses["modal"] == "must"]).set_index("modal")
    assert only_must["count"].sum() == 1 and only_must.at["must", "count"] == 1


def test_modality_by_section(make_corpus):
    sections = "file,section,voice,first,last\nt.txt,a,x,1,1\nt.txt,b,y,2,\n"
    p = toy(make_corpus, {"t.txt": "We must act now.\nIt can wait. It will.\n",
                          "sections.csv": sections})
    table = stance.modality(p, by="section")
    got = table[table["count"] > 0][["section", "modal", "count", "words", "per_1000"]]
    assert got.values.tolist() == [["a", "must", 1, 4, 250.0], ["b", "will", 1, 5, 200.0],
                                   ["b", "can", 1, 5, 200.0]]


def test_participants_we_they_and_named_others(make_corpus):
    # words: 5 + 4 = 9; we: us, Our; they: them; named other and adversary: external powers
    p = toy(make_corpus, {"t.txt": "Some external powers attack us. Our friends help them."})
    table = stance.participants(p).set_index("group")
    assert table["count"].to_dict() == {"we": 2, "they": 1, "I": 0, "you": 0,
                                        "named others": 1, "adversaries": 1}
    assert table.at["we", "per_1000"] == pytest.approx(2000 / 9, abs=1e-3)
    others = stance.named_others(p)
    assert others[["label", "kind", "match"]].values.tolist() == [
        ["external powers", "adversary", "external powers"]]


def test_seed_article_names_external_powers_once(make_corpus):
    others = stance.named_others(process(load_corpus()))
    adversaries = others[others["kind"] == "adversary"]
    assert adversaries[["doc", "sentence", "label"]].values.tolist() == [
        ["songtao-article", 50, "external powers"]]


def test_vader_matches_its_published_example(make_corpus):
    # Hutto's vaderSentiment README: "VADER is smart, handsome, and funny." ->
    # {'neg': 0.0, 'neu': 0.254, 'pos': 0.746, 'compound': 0.8316}
    p = toy(make_corpus, {"t.txt": "VADER is smart, handsome, and funny."})
    row = stance.evaluation(p).iloc[0]
    assert (row["neg"], row["neu"], row["pos"], row["compound"]) == (0.0, 0.254, 0.746, 0.8316)
    assert row["polarity"] == "positive"
    assert row["positive_words"] == "smart (+1.7); handsome (+2.2); funny (+1.9)"


def test_party_is_neutral_by_default(make_corpus):
    p = toy(make_corpus, {"t.txt": "The parties met."})
    assert stance.evaluation(p).at[0, "compound"] == 0.0
    assert stance.evaluation(p).at[0, "polarity"] == "neutral"
    assert stance.evaluation(p, neutral=()).at[0, "compound"] > 0.05


def test_evaluation_summary_and_strongest_ties(make_corpus):
    # the same negative sentence in two documents: tie broken by corpus order, then sentence
    p = toy(make_corpus, {"a.txt": "Terror is bad. The cat sat. Peace is good.",
                          "b.txt": "Terror is bad."})
    summary = stance.evaluation_summary(p).set_index("doc")
    assert summary.at["a", "sentences"] == 3
    assert summary.at["a", "positive"] == 1 and summary.at["a", "negative"] == 1
    assert summary.at["a", "positive_share"] == pytest.approx(0.3333)
    strongest = stance.strongest_evaluations(p, n=2)
    negative = strongest[strongest["direction"] == "negative"]
    assert negative[["rank", "doc", "sentence"]].values.tolist() == [[1, "a", 1], [2, "b", 1]]
    assert strongest[strongest["direction"] == "positive"]["text"].tolist() == ["Peace is good."]
    # scores computed once and passed in give the same tables; the passed table is used
    scored = stance.evaluation(p)
    # the repeated sentence is scored once; both rows carry VADER's scores of its text
    terror = scored[scored["text"] == "Terror is bad."]
    assert terror["doc"].tolist() == ["a", "b"]
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    expected = SentimentIntensityAnalyzer().polarity_scores("Terror is bad.")
    for _, row in terror.iterrows():
        assert {k: row[k] for k in expected} == expected
        assert row["negative_words"] == "terror (-2.4); bad (-2.5)"
    assert stance.evaluation_summary(p, scored=scored).equals(stance.evaluation_summary(p))
    assert stance.strongest_evaluations(p, n=2, scored=scored).equals(strongest)
    only_b = stance.evaluation_summary(p, scored=scored[scored["doc"] == "b"])
    assert only_b["doc"].tolist() == ["b"] and only_b["sentences"].tolist() == [1]


def test_evaluation_by_road(make_corpus):
    text = ("First, trade is a road to peace, and we must talk. Peace is good.\n"
            "Second, trade is a road for jobs, and we will work. Terror is bad.\n")
    summary = stance.evaluation_summary(toy(make_corpus, {"t.txt": text}), by="road")
    assert summary[["ordinal", "road", "sentences"]].values.tolist() == [
        [1, "peace", 2], [2, "jobs", 2]]
    assert summary.at[1, "negative"] == 1


def test_bad_unit_is_rejected(make_corpus):
    p = toy(make_corpus, {"t.txt": MODAL_TEXT})
    with pytest.raises(ValueError):
        stance.modality(p, by="paragraph")
    with pytest.raises(ValueError):
        stance.evaluation_summary(p, by="word")


def test_evaluation_by_road_of_a_corpus_without_roads_is_empty(make_corpus):
    from analysis.framing.roads import roads as find_roads

    p = process(load_corpus(make_corpus({"a.txt": "A good day. A bad day.\n"})))
    roads = find_roads(p)
    table = stance.evaluation_summary(p, by="road", roads=roads)
    assert table.empty
    assert list(table.columns) == ["doc", "ordinal", "road", "sentences", "mean_compound",
                                   "positive", "negative", "positive_share", "negative_share"]


def test_modal_uses_stay_inside_sentences_and_skip_the_month(make_corpus):
    from analysis.corpus import load_corpus
    from analysis.stance import modal_uses
    from analysis.text.process import process

    folder = make_corpus({"a.txt": "May we meet in May? We have to go. We have. To go we must.\n"
                                   "They will have to wait.\n",
                          "b.txt": "May I ask?\n"})
    table = modal_uses(process(load_corpus(folder)))
    # "May" opening a sentence is the modal, in mid-sentence the month; "have. To" crosses a
    # sentence boundary; "will have to" is two uses.
    assert table[["doc", "sentence", "modal", "left"]].values.tolist() == [
        ["a", 1, "may", ""], ["a", 2, "have to", "We"], ["a", 4, "must", "To go we"],
        ["a", 5, "will", "They"], ["a", 5, "have to", "They will"], ["b", 1, "may", ""]]


# Lower-cased news, as exports come: five "may", two of them the modal.
NAMED_MAY = ("theresa may said the deal may pass. mrs may has left the cabinet. we may go "
             "home. brian may plays the guitar. after the vote may told reporters to wait.")


def test_may_after_a_given_name_or_before_a_finite_verb_is_not_a_modal(make_corpus):
    uses = stance.modal_uses(toy(make_corpus, {"t.txt": NAMED_MAY}))
    # 'theresa may', 'brian may' (given names), 'mrs may' (an honorific), 'may told' (a past
    # tense cannot follow a modal): names; 'deal may pass', 'we may go': modals
    assert uses["modal"].tolist() == ["may", "may"]
    assert uses["left"].tolist() == ["said the deal", "we"]
    # capitalised, the same names are names too, and the month stays skipped
    cased = stance.modal_uses(process(load_corpus(make_corpus(
        {"t.txt": "Theresa May said it may rain in May. May we go?"}, name="cased"))))
    assert cased["left"].tolist() == ["May said it", ""]


def test_participants_without_the_case_studys_named_others(make_corpus):
    from conftest import toy

    p = toy(make_corpus, "We met them. America and the West watched us.")
    # we: we, us (2); they: them (1); others: America, the West (2 with the seed list)
    table = stance.participants(p, others=True).set_index("group")["count"]
    assert table[["we", "they", "named others"]].tolist() == [2, 1, 2]
    without = stance.participants(p, others=False)
    assert without["group"].tolist() == ["we", "they", "I", "you"]


def test_named_others_on_the_dictionary_engine_counted_by_hand(make_corpus):
    """U.S.A. is one token and the United States; an entry of two words is a phrase within
    one sentence; a dictionary of the analyst's replaces the case study's."""
    from analysis.dictionaries import Dictionary

    text = ("Team U.S.A. won. The West feared hegemons. Enemies of the U.S. spoke. "
            "Outside. Powers met.")
    p = toy(make_corpus, {"t.txt": text})
    others = stance.named_others(p)
    assert others[["sentence", "label", "kind", "match"]].values.tolist() == [
        [1, "United States", "other", "U.S.A"],
        [2, "the West", "other", "The West"],
        [2, "hegemonists", "adversary", "hegemons"],
        [3, "enemies", "adversary", "Enemies"],
        [3, "United States", "other", "U.S"],
    ]  # "Outside. Powers" is not "outside powers": a sentence ends between them
    own = Dictionary.from_mapping({"rival": {"bloc": ["the west"]}})
    assert stance.named_others(p, own)[["label", "kind"]].values.tolist() == [["bloc", "rival"]]


def test_a_semi_modal_does_not_cross_punctuation(make_corpus):
    p = toy(make_corpus, {"t.txt": "Parents had; to fight is hard. They had to go. We need to."})
    uses = stance.modal_uses(p)
    assert uses[["sentence", "modal", "category"]].values.tolist() == [
        [2, "had to", "obligation/necessity"], [3, "need to", "obligation/necessity"]]


def test_evaluative_words_are_those_vader_scores(make_corpus):
    """The engine lists a lexicon word where VADER's own reading scores it: not inside a
    hyphenated word (VADER reads *win-win* whole, and it is not in the lexicon), not with a
    possessive (*God's*), and a quoted word stripped of its quotes (*'solutions'*)."""
    p = toy(make_corpus, {"t.txt": "God's love is great. A win-win deal. "
                                   "They offered 'solutions' to harm's way."})
    scored = stance.evaluation(p)
    assert [w.split(" (")[0] for w in scored.at[0, "positive_words"].split("; ")] == [
        "love", "great"]
    assert scored.at[1, "positive_words"] == ""
    assert scored.at[2, "positive_words"].startswith("solutions (+")
    assert scored.at[2, "negative_words"] == ""


def test_named_others_of_some_documents(make_corpus):
    """docs keeps the mentions of those documents (their places in the corpus) alone."""
    from conftest import corpus_of

    p = corpus_of(make_corpus, {"a.txt": "The West spoke.", "b.txt": "Hegemons spoke.",
                                "c.txt": "The West and hegemons met."})
    assert stance.named_others(p)["doc"].tolist() == ["a", "b", "c", "c"]
    chosen = stance.named_others(p, docs=[0, 2])
    assert chosen[["doc", "label"]].values.tolist() == [
        ["a", "the West"], ["c", "the West"], ["c", "hegemonists"]]
    assert stance.named_others(p, docs=[]).empty
