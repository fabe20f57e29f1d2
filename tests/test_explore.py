"""The explorer's callbacks, driven from Python: set a widget's value, read the views."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.explore import PAGE_SIZE, explorer, views
from analysis.text.process import process

TEXTS = {
    "a.txt": "The road to peace. A road of trade and a road home.\n",
    "b.txt": "Trade and peace. The long road.\n",
    "c.txt": "Peace talks today.\n",
    "metadata.csv": "file,party,date\na.txt,red,2020-01-15\nb.txt,blue,2020-03\nc.txt,red,2021\n",
}


@pytest.fixture
def corpus(make_corpus):
    return process(load_corpus(make_corpus(TEXTS)))


def test_typing_a_query_fills_every_view(corpus):
    ui = explorer(corpus, "road", by="party")
    assert ui.last["lines"] == 4  # a: 3, b: 1
    lines = ui.last["concordance"]
    assert list(lines.columns) == ["party", "doc", "sentence", "left", "keyword", "right"]
    assert lines["party"].tolist() == ["red", "red", "red", "blue"]
    assert "4 lines, page 1 of 1" in ui.outputs["concordance"].value
    assert ui.last["dispersion"][["doc", "count"]].values.tolist() == [["a", 3], ["b", 1]]
    assert "<img" in ui.outputs["dispersion"].value
    spread = ui.last["spread"].set_index("party")
    assert spread.loc["red", ["count", "range"]].tolist() == [3, 1]
    assert "<img" in ui.outputs["trend"].value  # the corpus has dates
    ui.query.value = "peace"
    assert ui.last["lines"] == 3
    assert ui.last["concordance"]["keyword"].tolist() == ["peace", "peace", "Peace"]


def test_sort_page_and_measure_pickers(corpus, make_corpus):
    ui = explorer(corpus, "road")
    ui.sort.value = "left"
    # AntConc's order: by the first word to the left, then the second: "and a" < "peace. A"
    assert ui.last["concordance"]["left"].str.split().str[-1].tolist() == ["a", "A", "long",
                                                                           "The"]
    ui.measure.value = "pmi"
    assert isinstance(ui.last["collocates"], (pd.DataFrame, str))
    many = process(load_corpus(make_corpus({"x.txt": "Road. " * (PAGE_SIZE + 5)}, name="m")))
    ui = explorer(many, "road")
    ui.page.value = 1
    assert len(ui.last["concordance"]) == 5
    assert f"{PAGE_SIZE + 5} lines, page 2 of 2" in ui.outputs["concordance"].value


def test_a_subset_shows_its_keywords_against_the_rest(corpus):
    ui = explorer(corpus, "road", by="party")
    assert "Choose a subset" in ui.outputs["keyness"].value
    ui.where.value = "party=blue"
    assert ui.last["lines"] == 1
    keywords = ui.last["keyness"]
    # blue (b: 6 words) against red (a, c: 15): peace 1 against 2, road 1 against 3
    assert keywords.set_index("term")["direction"].to_dict() == {"peace": "positive",
                                                                 "road": "negative"}
    ui.where.value = "party=purple"  # no document: one sentence, no traceback
    assert "no document of the corpus matches" in ui.outputs["concordance"].value


def test_views_without_dates_or_matches_say_why(make_corpus):
    plain = process(load_corpus(make_corpus({"a.txt": "One road.\n"}, name="plain")))
    result = views(plain, "road")
    assert result["trend"] == "No trend: the corpus has no date column."
    assert result["keyness"].startswith("Choose a subset")
    none = views(plain, "river")
    assert none["lines"] == 0 and none["dispersion"].empty
    ui = explorer(plain, "")
    assert "Type a word" in ui.outputs["concordance"].value


# --------------------------------------------------------------------------- report 05

HARBOUR = {
    # harbour 4 times, quay 3 (both rare in general English), the rest common words
    "a.txt": "The harbour was busy. The harbour master opened the quay.\n",
    "b.txt": "Boats left the harbour at dawn. The quay was empty. The harbour slept.\n",
    "c.txt": "People walked to the quay in the evening.\n",
}


def test_the_first_query_is_the_corpus_s_strongest_keyword(make_corpus):
    from analysis.explore import default_query
    from analysis.keyness import keyness

    harbour = process(load_corpus(make_corpus(HARBOUR, name="harbour")))
    table = keyness(harbour, None, "general")
    positive = table[table["direction"] == "positive"]
    assert positive["term"].iloc[0] == "harbour"  # the highest G2 of the corpus
    assert default_query(harbour) == "harbour"
    # a corpus whose terms are each counted once has no keyword: its most frequent term
    once = process(load_corpus(make_corpus({"t.txt": "Ships sail. Wheat grows.\n"},
                                           name="once")))
    assert default_query(once) == "grows"  # each counted once: the first by term


def test_how_to_open_names_this_corpus_its_query_and_commands(tmp_path):
    from analysis import config
    from analysis.explore import how_to_open

    outside = tmp_path / "speeches"
    text = str(how_to_open(outside, "harbour", where=["year>=2000"], by="party"))
    assert str(tmp_path) not in text  # no absolute path in a report
    assert ("set `CORPUS_DIR = the full path of speeches`, `WHERE = ['year>=2000']`, "
            "`BY = 'party'` in its parameters cell") in text
    assert "its first query is `harbour`, the corpus's strongest keyword" in text
    assert ("(from the folder that holds `speeches`): `python -m analysis kwic harbour "
            "--corpus speeches --where 'year>=2000'` and `python -m analysis collocates "
            "harbour --corpus speeches --where 'year>=2000'`") in text
    inside = str(how_to_open(config.PROJECT_DIR / "seeds", "peace", given=True,
                             text_column="body"))
    # the kernel starts in notebooks/: the path goes up to the project folder first
    assert "`CORPUS_DIR = '../seeds'`, `TEXT_COLUMN = 'body'`" in inside
    assert "its first query is `peace`, the parameter QUERY" in inside
    assert "`python -m analysis kwic peace --corpus seeds --text-column body`" in inside
