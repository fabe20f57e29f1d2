"""Actor detection (gazetteer + capitalised sequences), counts, context and descriptors."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.actors import (
    actor_context,
    actor_counts,
    actor_descriptors,
    actor_mentions,
    descriptor_counts,
    entity_mentions,
    gazetteer,
    most_named,
)
from analysis.corpus import load_corpus
from analysis.text.process import process


def corpus_of(make_corpus, files, name="corpus"):
    return process(load_corpus(make_corpus(files, name=name)))


TEXT = ("The event was attended by Mr. Song Tao, minister of the IDCPC, and guests. "
        "Minister Song Tao stressed that China-Pakistan ties matter. "
        "He received the Hilal-i-Pakistan in Beijing.\n"
        "Xi Jinping met friends at the Diaoyutai State Guest House. Xi smiled.")


@pytest.fixture
def toy(make_corpus):
    return corpus_of(make_corpus, {"t.txt": TEXT})


def test_gazetteer_types_and_keys():
    table = gazetteer()
    assert set(table["type"]) <= {"person", "party", "organisation", "country", "ignore"}
    keys = dict(zip(table["variant"], table["key"], strict=True))
    assert keys["Moin-ul-Haque"] == ("moin", "ul", "haque")  # hyphens split like the text
    assert keys["Communist Party of China"] == ("communist", "party", "of", "china")
    assert table["key"].is_unique


def test_mentions_gazetteer_and_detected(toy):
    m = actor_mentions(toy)
    found = list(zip(m["text"], m["actor"], m["type"], m["source"], strict=True))
    assert found == [
        ("Song Tao", "Song Tao", "person", "gazetteer"),
        ("IDCPC", "IDCPC", "organisation", "gazetteer"),
        ("Song Tao", "Song Tao", "person", "gazetteer"),
        ("China", "China", "country", "gazetteer"),  # inside China-Pakistan
        ("Pakistan", "Pakistan", "country", "gazetteer"),
        # Hilal-i-Pakistan is an award (type ignore): no Pakistan mention from it
        ("Beijing", "Beijing", "unknown", "detected"),
        ("Xi Jinping", "Xi Jinping", "person", "gazetteer"),
        ("Diaoyutai State Guest House", "Diaoyutai State Guest House", "unknown", "detected"),
        ("Xi", "Xi Jinping", "person", "gazetteer"),
    ]
    # 'The', 'Minister', 'He' are capitalised but common words or sentence starts
    text = toy.texts["t"]
    assert all(text[s:e] == t for s, e, t in zip(m["start"], m["end"], m["text"], strict=True))
    assert (actor_mentions(toy, detect=False)["source"] == "gazetteer").all()


def test_sentence_initial_common_word_is_cut(make_corpus):
    p = corpus_of(make_corpus, {"t.txt": "Development of the Jiangxi Province goes on."})
    assert actor_mentions(p)["text"].tolist() == ["Jiangxi Province"]


def test_counts_per_document(make_corpus):
    p = corpus_of(make_corpus, {"a.txt": "China and Pakistan. China again.",
                                "b.txt": "Pakistan thanks Xi Jinping today."})
    counts = actor_counts(p)
    got = counts[["doc", "actor", "mentions", "words"]].values.tolist()
    assert got == [
        ["a", "China", 2, 5], ["a", "Pakistan", 1, 5], ["a", "Xi Jinping", 0, 5],
        ["b", "Pakistan", 1, 5], ["b", "Xi Jinping", 1, 5], ["b", "China", 0, 5],
    ]
    assert counts["per_1000"].tolist() == [400.0, 200.0, 0.0, 200.0, 200.0, 0.0]
    with pytest.raises(ValueError, match="by 'paragraph': not a unit or document variable "
                                         r"of this corpus \(allowed: corpus, doc, section, "
                                         r"voice\)"):
        actor_counts(p, by="paragraph")
    # by a document variable: the documents' counts summed
    folder = make_corpus({"a.txt": "China and Pakistan. China again.",
                          "b.txt": "Pakistan thanks Xi Jinping today.",
                          "c.txt": "China.",
                          "metadata.csv": "file,side\na.txt,x\nb.txt,y\nc.txt,x\n"},
                         name="sides")
    sides = actor_counts(process(load_corpus(folder)), by="side")
    assert sides[["side", "actor", "mentions", "words"]].values.tolist() == [
        ["x", "China", 3, 6], ["x", "Pakistan", 1, 6], ["x", "Xi Jinping", 0, 6],
        ["y", "Pakistan", 1, 5], ["y", "Xi Jinping", 1, 5], ["y", "China", 0, 5]]


def test_context_words_by_hand(toy):
    # Song Tao, window 3, same sentence, content words only:
    # 1) "attended by Mr. [Song Tao], minister of the" -> attended, minister
    # 2) "[Minister] [Song Tao] stressed that China-Pakistan" -> minister, stressed,
    #    china-pakistan
    table = actor_context(toy, "Song Tao", window=3)
    assert table[["term", "count"]].values.tolist() == [
        ["minister", 2], ["attended", 1], ["china-pakistan", 1], ["stressed", 1]]
    assert table["mentions"].unique().tolist() == [2]
    corpus_wide = actor_context(toy, "Song Tao", by="corpus", window=3)
    assert corpus_wide.equals(table.drop(columns="doc"))
    with pytest.raises(ValueError, match="'Imran Khan' is not named"):
        actor_context(toy, "Imran Khan")
    with pytest.raises(ValueError, match="window"):
        actor_context(toy, "Song Tao", window=0)


def test_descriptors(toy):
    table = actor_descriptors(toy, "Song Tao")
    assert table[["kind", "descriptor"]].values.tolist() == [
        ["apposition", "minister of the IDCPC"],
        ["title", "Minister"],
        ["predicate", "stressed that China-Pakistan ties matter"],
    ]
    xi = actor_descriptors(toy, "Xi Jinping")
    assert xi[["mention", "kind", "descriptor"]].values.tolist() == [
        ["Xi Jinping", "predicate", "met friends at the Diaoyutai State Guest House"],
        ["Xi", "predicate", "smiled"],
    ]


def test_descriptor_counts_by_hand():
    table = pd.DataFrame({
        "voice": ["paper", "author", "paper", "paper"],
        "kind": ["title", "title", "title", "predicate"],
        "descriptor": ["Minister", "Minister", "Vice Minister", "smiled"],
    })
    # Minister: 2 mentions (paper first, then author); the others 1, ordered by kind, text
    assert descriptor_counts(table).values.tolist() == [
        ["title", "Minister", 2, "paper, author"],
        ["predicate", "smiled", 1, "paper"],
        ["title", "Vice Minister", 1, "paper"],
    ]
    assert list(descriptor_counts(table.iloc[0:0]).columns) == ["kind", "descriptor",
                                                                "mentions", "voices"]


def test_hyphenated_names_split_and_mentions_cross_no_sentence(make_corpus):
    # 'China-Pakistan' names two countries; a name never runs across a sentence boundary
    p = corpus_of(make_corpus, {"t.txt": "The China-Pakistan road grows. Pakistan Tehreek "
                                         "joins. Xi. Jinping stays."})
    m = actor_mentions(p)
    assert m[["text", "actor"]].values.tolist()[:2] == [["China", "China"],
                                                        ["Pakistan", "Pakistan"]]
    assert "Xi. Jinping" not in set(m["text"])
    text = p.texts["t"]
    assert all(text[s:e] == t for s, e, t in zip(m["start"], m["end"], m["text"], strict=True))


def test_song_tao_in_the_seeds():
    p = process(load_corpus())
    counts = actor_counts(p).set_index(["doc", "actor"])["mentions"]
    assert counts[("songtao-article", "Song Tao")] == 4  # byline + 3 in the introduction
    assert counts[("award-report", "Song Tao")] == 5
    described = actor_descriptors(p, "Song Tao")
    article = described[described["doc"] == "songtao-article"]
    assert set(article["voice"]) == {"newspaper"}  # he never names himself in his article
    award = described[described["doc"] == "award-report"]
    assert "is the Minister of International Department of the Communist Party of China" in \
        award["descriptor"].tolist()
    by_voice = actor_counts(p, by="voice")
    assert isinstance(by_voice, pd.DataFrame)
    assert set(by_voice["voice"]) == {"newspaper", "Song Tao", "award report"}


def test_candidate_actors(make_corpus):
    p = corpus_of(make_corpus, {"a.txt": "We met in Beijing and Jiangxi. Beijing was cold.",
                                "b.txt": "Friends from Beijing came."})
    from analysis.actors import candidate_actors

    # 'Beijing was cold.': a one-word run at a sentence start is not detected (a limit);
    # 'and' does not join two names into one
    assert candidate_actors(p).values.tolist() == [["Beijing", 2, "a, b"], ["Jiangxi", 1, "a"]]


def test_top_actors_sum_mentions_over_units_and_break_ties_by_name():
    from analysis.actors import top_actors

    counts = pd.DataFrame({"party": ["red", "red", "blue", "blue", "blue"],
                           "actor": ["Zia", "Ali", "Zia", "Bhutto", "Ali"],
                           "mentions": [2, 1, 2, 4, 3], "per_1000": [9.0] * 5})
    # Zia 4, Ali 4, Bhutto 4: all tie, so by name; per_1000 plays no part.
    assert top_actors(counts, 2) == ["Ali", "Bhutto"]
    assert top_actors(counts.assign(mentions=[5, 1, 2, 4, 3]), 1) == ["Zia"]
    assert top_actors(counts.iloc[:0]) == []


def test_an_actor_given_by_name_is_found_where_the_text_is_lower_case(make_corpus):
    """A report's ACTOR on a lower-cased corpus: neither the gazetteer nor the capitals find
    'jones'; given by name, its 3 mentions are (counted by hand), 'Song Tao' stays the
    gazetteer's and is found by its name in any case."""
    from conftest import toy as toy_corpus

    from analysis.actors import named_actor

    processed = toy_corpus(make_corpus, "jones spoke. then jones left with song tao.\n\n"
                                 "the mayor thanked jones.\n")
    assert "jones" not in set(actor_mentions(processed)["actor"])
    mentions = actor_mentions(processed, names=["jones", "Song Tao"])
    given = mentions[mentions["source"] == "given"]
    assert given["text"].tolist() == ["jones", "jones", "jones"]
    assert mentions.loc[mentions["source"] == "gazetteer", "actor"].tolist() == ["Song Tao"]
    assert named_actor(mentions, "JONES") == "jones"
    assert named_actor(mentions, "song tao") == "Song Tao"
    assert named_actor(mentions, "farage") is None
    # within one token of 'jones': spoke; then (a stop word), left; thanked
    context = actor_context(processed, "JONES", by="corpus", window=1, mentions=mentions)
    counts = dict(zip(context["term"], context["count"], strict=True))
    assert counts == {"left": 1, "spoke": 1, "thanked": 1}
    assert set(context["mentions"]) == {3}


# --------------------------------------------------------------------------- any corpus

UN = ("The United Nations met in New York. Delegates of the Security Council and of the "
      "European Union spoke, with other delegates. The United States and France agreed with "
      "China and the Security Council. We are focusing on peace. (a) Focusing on growth, "
      "China and France spoke. The Security Council voted on Monday.\n")


def test_names_of_common_words_are_found_and_the_seed_gazetteer_is_not_used(make_corpus):
    p = corpus_of(make_corpus, {"un.txt": UN})
    m = actor_mentions(p, gazetteer=False)
    assert m["text"].tolist() == [
        "United Nations", "New York", "Security Council", "European Union", "United States",
        "France", "China", "Security Council", "China", "France", "Security Council"]
    assert set(m["source"]) == {"detected"}  # China and France: not the seed gazetteer's
    # "Focusing" is written in lower case too ("focusing"): a word, not a name; "The" is cut
    # from "The Security Council" at a sentence's start; "Monday" is a day
    assert most_named(m) == "Security Council"  # 3 mentions: the most of this corpus


LOWER = ("nigel farage said ukip would win. the prime minister answered nigel farage. "
         "voters asked about the border. nigel farage spoke again, and the prime minister "
         "said no. the border was closed. nigel farage left. the prime minister stayed.\n")


def test_names_of_a_lower_cased_corpus_from_strong_word_sequences(make_corpus):
    p = corpus_of(make_corpus, {"news.txt": LOWER})
    m = actor_mentions(p, gazetteer=False)
    # nigel farage 4 times, prime minister 3 (each pair only together: strong sequences)
    counts = m.groupby("text").size().to_dict()
    assert counts == {"nigel farage": 4, "prime minister": 3}
    assert set(m["source"]) == {"sequence"}
    assert most_named(m) == "nigel farage"


def test_the_pronoun_i_and_its_contractions_are_no_actors(make_corpus):
    from conftest import toy

    from analysis.actors import actor_mentions

    text = ("Today I speak. I know Maria Lopez. Then I'm here and I've seen Maria Lopez. "
            "Later I said it again to Maria Lopez. Theresa May met the US envoy. Theresa May "
            "spoke and the US answered.")
    found = actor_mentions(toy(make_corpus, text))
    # Maria Lopez three times, Theresa May twice, the US twice; I, I'm and I've never
    assert found["text"].tolist() == ["Maria Lopez"] * 3 + ["Theresa May", "US"] * 2


def test_the_analysts_actor_dictionary_names_and_types_its_actors(make_corpus, tmp_path):
    from conftest import corpus_of, toy

    from analysis.actors import actor_mentions
    from analysis.dictionaries import Dictionary, read_dictionary

    text = ("nigel farage spoke. Mr Farage left early; ukip met. The Farage plan failed. "
            "David Cameron answered ukip.")
    d = Dictionary.from_mapping({"person": {"Nigel Farage": ["nigel farage", "farage"],
                                            "David Cameron": ["david cameron"]},
                                 "party": {"UKIP": ["ukip"]}})
    found = actor_mentions(toy(make_corpus, text), dictionary=d)
    listed = found[found["source"] == "dictionary"]
    # farage 3 times (nigel farage, Farage, Farage), ukip twice, David Cameron once
    assert listed["actor"].value_counts().to_dict() == {"Nigel Farage": 3, "UKIP": 2,
                                                        "David Cameron": 1}
    assert set(listed.loc[listed["actor"] == "UKIP", "type"]) == {"party"}
    path = tmp_path / "actors.csv"
    path.write_text("category,pattern\nperson.Farage,farage*\n", encoding="utf-8")
    with pytest.raises(ValueError, match="actors.csv:2: 'farage\\*': an actor dictionary"):
        actor_mentions(corpus_of(make_corpus, {"t.txt": "Farage."}, name="c2"),
                       dictionary=read_dictionary(path))


def test_actor_counts_of_some_groups_are_their_rows_of_the_full_table(seeds):
    full = actor_counts(seeds, by="voice")
    some = actor_counts(seeds, by="voice", groups=["Song Tao"])
    assert set(full["voice"]) == {"newspaper", "Song Tao", "award report"}
    expected = full[full["voice"] == "Song Tao"].reset_index(drop=True)
    pd.testing.assert_frame_equal(some, expected)
    # Every actor named in the corpus keeps its row, with 0 where Song Tao does not name it.
    assert set(some["actor"]) == set(full["actor"]) and (some["mentions"] == 0).any()


def test_an_annotated_corpus_names_its_actors_by_its_entities(toy_conllu):
    # The toy tags Song Tao (PER) in dawn-1, Pakistan and China (GPE) in nation-1.
    p = process(load_corpus(toy_conllu))
    found = entity_mentions(p)
    assert found[["doc", "text", "type"]].values.tolist() == [
        ["dawn-1", "Song Tao", "person"], ["nation-1", "Pakistan", "place"],
        ["nation-1", "China", "place"]]
    assert [p.texts[d][s:e] for d, s, e in zip(found["doc"], found["start"], found["end"],
                                               strict=True)] == found["text"].tolist()
    # Without the gazetteer the entities are the actors, and no capitalised word
    # (Roads, Good) is taken for a name.
    alone = actor_mentions(p, gazetteer=False)
    assert alone[["text", "source"]].values.tolist() == [
        ["Song Tao", "entity"], ["Pakistan", "entity"], ["China", "entity"]]
    # With it, the gazetteer's names stay its own and the entities add only the others.
    both = actor_mentions(p)
    assert both.set_index("text")["source"].to_dict() == {
        "Song Tao": "gazetteer", "Pakistan": "gazetteer", "China": "gazetteer"}
    counts = actor_counts(p, by="doc", mentions=alone).query("mentions > 0")
    assert counts[["doc", "actor", "type", "mentions"]].values.tolist() == [
        ["dawn-1", "Song Tao", "person", 1], ["nation-1", "China", "place", 1],
        ["nation-1", "Pakistan", "place", 1]]


def test_a_plain_corpus_has_no_entity_mentions(toy):
    assert entity_mentions(toy).empty
