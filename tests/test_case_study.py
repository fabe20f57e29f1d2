"""The numbers of the case study are the library's, on the seeds.

The case-study cells of the notebooks (the paragraphs that open *Case study: the seed corpus*)
are written by hand: they read the reports' tables and state counts, rates and statistics.
Each test takes a fragment of such a cell, checks that the cell says it, and checks every
number in the fragment against the table the library computes on the seeds, as the notebook
does. A change of the code that moves a number, or of the text that misquotes one, fails here.
"""

from __future__ import annotations

import json
import re
from functools import cache

import pytest

from analysis import stance
from analysis.actors import actor_counts, actor_mentions
from analysis.collocation import collocates
from analysis.compare import compare_groups, compare_terms
from analysis.config import PROJECT_DIR
from analysis.corpus import load_corpus
from analysis.dictionaries.validation import precision
from analysis.framing.frames import code_frames, frame_dictionary, frame_matrix, frame_shares
from analysis.framing.metaphors import CODED, metaphor_counts, metaphor_markers, metaphors
from analysis.frequency import frequency
from analysis.keyness import keywords_by
from analysis.overview import sentence_lengths, summary
from analysis.similarity import similarity
from analysis.text.process import process
from analysis.topics import fit_topics

NOTEBOOKS = PROJECT_DIR / "notebooks"


@cache
def case_study(number: str) -> str:
    """The case-study cells of notebook ``number`` (``"02"``), whitespace made single."""
    (path,) = NOTEBOOKS.glob(f"{number}-*.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
                    and "Case study: the seed corpus" in "".join(c["source"]))
    return " ".join(text.split())


def said(number: str, fragment: str) -> list[float]:
    """The numbers of ``fragment``, after checking that notebook ``number``'s case study says
    it (``1,346`` is 1346; the 2 of ``G2`` is a name, not a number)."""
    assert fragment in case_study(number), f"notebook {number} no longer says: {fragment}"
    found = re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", fragment)
    return [float(n.replace(",", "")) for n in found]


@pytest.fixture(scope="module")
def seeds():
    return process(load_corpus())


@pytest.fixture(scope="module")
def voices(seeds):
    return frequency(seeds, by="voice").set_index(["voice", "term"])


def test_the_sizes_of_documents_and_voices(seeds):
    docs = summary(seeds, by="doc").set_index("doc")["words"]
    assert said("01", "(1,346 and 1,137 words)") == [docs["songtao-article"],
                                                     docs["award-report"]]
    words = summary(seeds, by="voice").set_index("voice")["words"]
    assert said("01", "add 290 words in another voice") == [words["newspaper"]]
    assert said("02", "the voices have 290, 1,056 and 1,137 words") == [
        words["newspaper"], words["Song Tao"], words["award report"]]
    assert said("04", "the newspaper's introduction (290 words)") == [words["newspaper"]]


def test_sentence_lengths_by_section_and_voice(seeds):
    sections = sentence_lengths(seeds, by="section").groupby("section")["words"]
    mean, median = sections.mean().round(1), sections.median()
    assert said("01", "(means of 34.4, 32.5 and 32.8 words)") == [
        mean["introduction"], mean["ceremony"], mean["background"]]
    assert said("01", "(mean 21.1, median 17)") == [mean["article"], median["article"]]
    assert said("01", "closing commentary sits between (23.2)") == [mean["commentary"]]
    by_voice = sentence_lengths(seeds, by="voice").groupby("voice")["words"].mean().round(1)
    assert said("01", "the newspaper's mean (26.4)") == [by_voice["newspaper"]]
    headlines = sentence_lengths(seeds, by="section").query("doc == 'songtao-article'")
    assert "its three one-line headline sentences" in case_study("01")
    assert (headlines["section"] == "headline").sum() == 3


def test_word_lists_of_the_voices(seeds, voices):
    song, paper, award = (voices.loc[v] for v in ("Song Tao", "newspaper", "award report"))
    assert said("02", "`cpec` (25 times, 23.7 per 1,000 words), `cooperation` (16.1) and "
                      "`political parties` (14.2)") == [
        song.loc["cpec", "count"], round(song.loc["cpec", "per_1000"], 1), 1000,
        round(song.loc["cooperation", "per_1000"], 1),
        round(song.loc["political parties", "per_1000"], 1)]
    assert said("02", "(`political parties` 7, `cooperation` and `cpec` 5 each)") == [
        paper.loc["political parties", "count"], paper.loc["cooperation", "count"]]
    assert paper.loc["cpec", "count"] == paper.loc["cooperation", "count"]
    assert said("02", "`cpc` and `idcpc` (12.3 per 1,000 each)") == [
        round(award.loc["cpc", "per_1000"], 1), 1000]
    assert award.loc["idcpc", "per_1000"] == award.loc["cpc", "per_1000"]
    cpec = frequency(seeds, by="doc").set_index(["doc", "term"]).loc[
        ("songtao-article", "cpec"), "count"]
    assert said("02", "Of the 30 `cpec` of the article's document, 5 are the newspaper's") == [
        cpec, paper.loc["cpec", "count"]]


def test_phrases_and_stems_of_the_voices(seeds):
    bigrams = frequency(seeds, by="voice", ngram=2).set_index(["voice", "term"])["count"]
    assert said("02", "(8 times in Song Tao's voice, 3 in the newspaper's)") == [
        bigrams["Song Tao", "cpec cooperation"], bigrams["newspaper", "cpec cooperation"]]
    assert said("02", "`political parties` (15 in Song Tao's voice)") == [
        bigrams["Song Tao", "political parties"]]
    assert said("02", "(`international department` 6, `party-based diplomacy` 5, "
                      "`central committee` 4)") == [
        bigrams["award report", t] for t in ("international department",
                                             "party-based diplomacy", "central committee")]
    stems = frequency(seeds, by="voice", stem=True).set_index(["voice", "term"])
    assert said("02", "`party|parties` reaches 14 in the award report") == [
        stems.loc[("award report", "party"), "count"]]
    assert "party|parties" == stems.loc[("award report", "party"), "forms"]


def test_keywords_of_each_voice_against_the_rest(seeds):
    table = keywords_by(seeds, by="voice", n=40).set_index(["voice", "term"])

    def against(voice, term):
        row = table.loc[(voice, term)]
        return [row["target_count"], row["reference_count"]]

    assert said("02", "`cpec` (25 against 6, G2 19.2)") == [
        *against("Song Tao", "cpec"), round(table.loc[("Song Tao", "cpec"), "g2"], 1)]
    assert said("02", "`road` (5 against 0)") == against("Song Tao", "road")
    assert said("02", "`cooperation` (17 against 7)") == against("Song Tao", "cooperation")
    assert said("02", "`cpc` (1 against 18)") == against("Song Tao", "cpc")
    assert said("02", "`song tao` (0 against 9)") == against("Song Tao", "song tao")
    assert said("02", "the `joint consultation mechanism` (4 against 1)") == against(
        "newspaper", "joint consultation mechanism")
    assert said("02", "`pakistan-china` (4 against 0)") == against(
        "award report", "pakistan-china")
    assert said("02", "`parties` and `party-based diplomacy` (6 against 0)") == against(
        "award report", "parties") == against("award report", "party-based diplomacy")
    assert said("02", "`cpec` (1 against 30, G2 29.8)") == [
        *against("award report", "cpec"), round(table.loc[("award report", "cpec"), "g2"], 1)]
    assert said("02", "`cooperation` (2 against 22)") == against("award report", "cooperation")


def test_collocates_of_cpec(seeds):
    table = collocates(seeds, "cpec", measure="g2").query("count > expected")
    table = table.set_index("collocate")
    cooperation, road = table.loc["cooperation"], table.loc["road"]
    totals = frequency(seeds, by="corpus").set_index("term")["count"]
    assert table.index[0] == "cooperation"
    assert said("02", "13 of its 24 occurrences fall within five words of *CPEC* where 2.9 "
                      "are expected") == [cooperation["count"], totals["cooperation"],
                                          round(cooperation["expected"], 1)]
    assert said("02", "Next come `road` (4 of 5") == [road["count"], totals["road"]]
    assert list(table.index[1:3]) == ["road", "development"]


def test_frame_shares_of_voices_and_sections(seeds):
    frames = frame_dictionary(seeds.corpus, None)
    coded = code_frames(seeds, frames)
    voice = frame_matrix(frame_shares(seeds, by="voice", dictionary=frames, coded=coded))
    section = frame_matrix(frame_shares(seeds, by="section", dictionary=frames, coded=coded))
    assert said("03", "most sentences of the newspaper's voice (0.91) and of the award report "
                      "(0.84)") == [round(voice.loc[v, "political"], 2)
                                    for v in ("newspaper", "award report")]
    commentary = section.loc["award-report/commentary"]
    assert said("03", "(1.00 of its sentences: international relations, diplomacy, China's "
                      "image) outranks it (0.78)") == [
        round(commentary["external regulation and reputation"], 2),
        round(commentary["political"], 2)]
    song = voice.loc["Song Tao"]
    assert said("03", "with political at 0.40 ahead of policy evaluation (0.30) and economic "
                      "(0.24), security (0.14)") == [
        round(song[f], 2) for f in ("political", "policy prescription and evaluation",
                                    "economic", "security and defense")]
    ceremony = sentence_lengths(seeds, by="section").query("section == 'ceremony'")
    share = section.loc["award-report/ceremony", "cultural identity"]
    assert "of its four coded sentences" in case_study("03")
    assert share * len(ceremony) == pytest.approx(4)


def test_metaphor_candidates_and_their_precision(seeds):
    table = precision(CODED)
    coded, correct = int(table["coded"].sum()), int(table["correct"].sum())
    assert said("03", "Every one of the 37 candidates of the seed corpus was read in its "
                      "sentence: 36 are figures (precision 0.97") == [coded, correct,
                                                                      round(correct / coded, 2)]
    found = metaphors(seeds, metaphor_markers(seeds.corpus, "case-study"))
    counts = metaphor_counts(seeds, found, by="voice").groupby("voice")["count"].sum()
    assert said("03", "(25, against 10 in the award report and 2 in the newspaper's "
                      "introduction)") == [counts["Song Tao"], counts["award report"],
                                           counts["newspaper"]]
    assert counts.sum() == coded


def test_modals_pronouns_and_evaluation(seeds):
    modals = stance.modality(seeds, by="voice", level="category").set_index(
        ["voice", "category"])
    assert said("03", "the four *shall* are the four roads (3.8 per 1,000 words)") == [
        round(modals.loc[("Song Tao", "commitment"), "per_1000"], 1), 1000]
    assert modals.loc[("Song Tao", "commitment"), "count"] == 4
    assert modals.loc[("Song Tao", "obligation/necessity"), "count"] == 2  # *should* twice
    assert "The newspaper's voice has no modal at all" in case_study("03")
    assert modals.loc["newspaper", "count"].sum() == 0
    people = stance.participants(seeds, by="voice", others=True).set_index(["voice", "group"])
    assert said("03", "*We* is the pronoun of Song Tao's voice (24 per 1,000 words") == [
        round(people.loc[("Song Tao", "we"), "per_1000"]), 1000]
    assert [people.loc[("Song Tao", g), "count"] for g in ("they", "I", "you")] == [1, 1, 1]
    assert "The award report has no *we*; its two *they*-forms" in case_study("03")
    assert people.loc[("award report", "we"), "count"] == 0
    assert people.loc[("award report", "they"), "count"] == 2
    scores = stance.evaluation_summary(seeds, by="voice").set_index("voice")
    assert said("03", "(37 of 50) and of the award report (29 of 38)") == [
        scores.loc["Song Tao", "positive"], scores.loc["Song Tao", "sentences"],
        scores.loc["award report", "positive"], scores.loc["award report", "sentences"]]
    assert "the only three negative sentences of the corpus are Song Tao's" in case_study("03")
    assert scores["negative"].to_dict() == {"newspaper": 0, "Song Tao": 3, "award report": 0}


def test_comparison_of_two_voices(seeds):
    table = compare_groups(seeds, by="voice").set_index("term")
    assert (table.attrs["a"], table.attrs["b"]) == ("Song Tao", "award report")
    assert said("04", "only `cpec` passes the 1.96 threshold with the corpus prior (25 times in "
                      "Song Tao's voice, once in the award report)") == [
        table.attrs["z_crit"], table.loc["cpec", "count_a"]]
    assert table.loc["cpec", "count_b"] == 1
    assert list(table.index[table["side"].isin(["a", "b"])]) == ["cpec"]
    assert said("04", "with `cooperation` (17 against 2) just below it") == [
        table.loc["cooperation", "count_a"], table.loc["cooperation", "count_b"]]
    assert 0 < table.attrs["z_crit"] - table.loc["cooperation", "z"] < 0.05
    pair = compare_terms(seeds, "newspaper", "Song Tao", by="voice")
    assert said("04", "No term separates the newspaper's introduction (290 words) from Song "
                      "Tao's article at |z| >= 1.96")[-1] == pair.attrs["z_crit"]
    assert not pair["side"].isin(["a", "b"]).any()


def test_topic_choice(seeds):
    model = fit_topics(seeds, method="nmf", size=3, too_small="empty")
    npmi = model.selection.set_index("k")["npmi"].round(3)
    assert said("04", "NPMI picks five topics of the k = 3 to 7 that 35 segments allow (mean "
                      "NPMI 0.369, against 0.338 for six and 0.120 for three") == [
        npmi.index.min(), npmi.index.max(), model.selection.attrs.get("segments", 35),
        npmi[5], npmi[6], npmi[3]]
    assert model.selection.set_index("k")["chosen"].idxmax() == 5
    umass = model.selection.set_index("k")["umass"]
    assert "UMass would pick six" in case_study("04") and umass.idxmax() == 6


def test_similarity_of_voices_and_sections(seeds):
    cosine = similarity(seeds, by="voice").round(2)
    assert said("04", "closest to Song Tao's article (cosine 0.45)") == [
        cosine.loc["newspaper", "Song Tao"]]
    assert said("04", "the award report are the farthest apart (0.26)") == [
        cosine.loc["Song Tao", "award report"]]
    assert cosine.loc["Song Tao", "award report"] == cosine.where(cosine < 1).min().min()
    sections = similarity(seeds, by="section").round(2)
    assert said("04", "the two headlines (0.30) and the newspaper's introduction with the award "
                      "ceremony (0.26)") == [
        sections.loc["songtao-article/headline", "award-report/headline"],
        sections.loc["songtao-article/introduction", "award-report/ceremony"]]
    commentary = sections["award-report/commentary"].drop("award-report/commentary")
    assert said("04", "far from everything (at most 0.14, with its own background)") == [
        commentary.max()]
    assert commentary.idxmax() == "award-report/background"
    jaccard = similarity(seeds, by="voice", measure="jaccard").round(2)
    off = jaccard.where(jaccard < 1).stack()
    assert said("04", "(Jaccard 0.08 to 0.12 between voices)") == [off.min(), off.max()]


def test_actors_named_by_each_voice(seeds):
    counts = actor_counts(seeds, by="voice", detected=True,
                          mentions=actor_mentions(seeds, gazetteer=True))
    counts = counts.set_index(["voice", "actor"])
    rates = [counts.loc[(v, a), "per_1000"] for v in ("newspaper", "Song Tao")
             for a in ("China", "Pakistan")]
    low, high = said("04", "(15 to 17 per 1,000 words in the newspaper's and Song Tao's)")[:2]
    assert (round(min(rates)), int(max(rates))) == (low, high)
    assert said("04", "names `political parties` (15 times)") == [
        counts.loc[("Song Tao", "political parties"), "mentions"]]
    song_tao = counts.loc[("newspaper", "Song Tao")]
    assert said("04", "(4 mentions are 13.8 per 1,000)")[:2] == [
        song_tao["mentions"], round(song_tao["per_1000"], 1)]
    assert said("04", "his 4 mentions in that document are all the newspaper's") == [
        song_tao["mentions"]]
    assert counts.loc[("Song Tao", "Song Tao"), "mentions"] == 0
