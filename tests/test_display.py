"""Tests of analysis.display: what a report shows (sentences, tables), and the contract
between a shown table and the build's table script."""

from __future__ import annotations

from analysis import display, figures


def test_a_long_table_carries_its_rows_where_the_table_script_looks_for_them(tmp_path):
    """The one class name (SEARCH_CLASS) is the one the shown table writes and the one the
    table script selects: renaming it on either side alone breaks the search box."""
    import pandas as pd

    from analysis.build.render import static_file

    table = pd.DataFrame({"term": [f"w{i}" for i in range(5)], "count": range(5, 0, -1)})
    page = display.show_table(table, "01-words", tmp_path, caption="Words", empty="e",
                              n=2)._repr_html_()
    assert page.count(f'<details class="{display.SEARCH_CLASS}">') == 1
    shown, box = page.split(f'<details class="{display.SEARCH_CLASS}">')
    assert [f"<td>w{i}</td>" in shown for i in range(5)] == [True, True, False, False, False]
    assert all(f"<td>w{i}</td>" in box for i in range(5))  # the box holds every row
    script = static_file("table.js")
    assert f'document.querySelectorAll("details.{display.SEARCH_CLASS}")' in script
    assert script.count("querySelectorAll(") == 1  # no other way in to the tables
    short = display.show_table(table, "01-short", tmp_path, caption="Words", empty="e", n=5)
    assert display.SEARCH_CLASS not in short._repr_html_()  # all rows shown: no box


def test_html_tables_write_negative_exponents_with_a_minus_sign_that_does_not_break(tmp_path):
    import pandas as pd

    table = pd.DataFrame({"term": ["x-ray"], "p_value": [9.768806e-28], "g2": [1.5e6]})
    html_text = display.show_table(table, "01-keyness", tmp_path, caption="Key", empty="e",
                                   n=5)._repr_html_()
    assert "<td>9.768806e\u221228</td>" in html_text and "e-28" not in html_text
    assert "<td>x-ray</td>" in html_text  # a hyphen between words is left alone


def test_show_table_of_a_table_not_made_shows_the_empty_sentence(tmp_path):
    """A topic model given its k has no selection table (None): the sentence, not a crash."""
    from analysis.display import Note, show_table

    shown = show_table(None, "04-topic-choice", tmp_path, caption="Tried", empty="k was given.")
    assert isinstance(shown, Note) and str(shown) == "k was given."
    assert not (tmp_path / "data").exists()


def test_show_table_of_no_rows_with_no_empty_sentence_shows_nothing(tmp_path):
    """Where the sentence before the table says it is empty, the table says nothing again."""
    import pandas as pd

    from analysis.display import show_table

    table = pd.DataFrame({"term": [], "count": []})
    assert show_table(table, "01-compounds", tmp_path, caption="Joined", empty="") is None
    assert str(show_table(table, "01-compounds", tmp_path, caption="Joined",
                          empty="None.")) == "None."


def test_data_csvs_keep_spreadsheet_formulas_from_running(tmp_path):
    import csv

    import pandas as pd

    cells = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "road",
             "a=b", "'quoted"]
    table = pd.DataFrame({"=cmd": cells, "count": range(len(cells)),
                          "score": [-0.5] * len(cells)})
    shown = display.show_table(table, "01-formulas", tmp_path, caption="c", empty="e", n=2)
    assert shown.data == "01-formulas.csv"
    with open(tmp_path / "data" / "01-formulas.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["'=cmd", "count", "score"]
    assert [row[0] for row in rows[1:]] == [
        "'=HYPERLINK(\"http://x\",\"y\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "road",
        "a=b", "'quoted"]
    assert {row[2] for row in rows[1:]} == {"-0.5"}  # numbers are numbers
    assert [row[1] for row in rows[1:]] == [str(i) for i in range(len(cells))]
    assert figures.spreadsheet_safe(pd.DataFrame({"t": ["\rx"]}))["t"].tolist() == ["'\rx"]
