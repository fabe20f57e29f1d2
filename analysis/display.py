"""What a report shows: sentences, plots drawn on tables, and tables.

Reports are documents: every figure has a caption, used as its alt text too, and the data
behind it; every long table says how many of its rows it shows. A notebook cell ends in one
of these and the report shows it:

- :class:`Note`: a sentence (Markdown), a computed finding or what stands in place of an empty
  table or figure;
- :func:`draw`: a plot function of :mod:`analysis.plots` drawn on a table and saved with its
  caption and data (:func:`analysis.figures.save_figure`), or, for an empty table, a sentence
  instead of an empty figure;
- :func:`show_table`: the first rows of a table with that count, and its data.

A long table also carries its rows in a ``<details>`` element of class :data:`SEARCH_CLASS`:
the one name the build's table script (``analysis/build/table.js``) looks for to add a search
box, sorting and pages. The data are CSV files in ``<out_dir>/data/``, which the build
publishes beside the reports.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from pathlib import Path

from analysis import config
from analysis.figures import (
    DATA_DIR,
    _check_name,
    _data_link,
    _write_csv,
    readable,
    save_figure,
    style,
)

__all__ = ["SEARCH_CLASS", "SEARCH_ROWS", "Note", "ShownTable", "draw", "show_table"]

#: The class of the ``<details>`` element that holds a long table's rows: the contract
#: between :class:`ShownTable` and the build's table script, which finds the tables by it
#: (``details.analysis-search``; tests/test_display.py checks the script names it).
SEARCH_CLASS = "analysis-search"


class Note(str):
    """A sentence shown in place of an empty table or figure, or a computed finding.

    Displayed as Markdown; its text must already be safe (see :func:`analysis.narrate.q`).
    """

    def _repr_markdown_(self) -> str:
        return str(self)


# A number in e-notation with a negative exponent (a tiny p-value, ``9.77e-28``): written with
# the minus sign U+2212, after which a browser does not break the line (it does after "-").
_NEGATIVE_EXPONENT = re.compile(r"(?<=\d)e-(?=\d)")


def _html_table(table) -> str:
    """A table as escaped HTML, readable (:func:`readable`), without its index."""
    html_text = readable(table).to_html(index=False, escape=True, na_rep="",
                                        classes="dataframe", border=0)
    return _NEGATIVE_EXPONENT.sub("e\u2212", html_text)


def draw(
    plot: Callable, table, name: str, out_dir: str | os.PathLike[str] | None = None, *,
    caption: str, empty: str, size: tuple[float, float] = (7.0, 4.5), **options,
):
    """Draw a plot function on a table and save the figure with its caption and data.

    Parameters
    ----------
    plot : callable
        A function of :mod:`analysis.plots`, called as ``plot(ax, table, **options)``.
    table : DataFrame
        What the figure shows; written beside it as its data.
    name, out_dir
        As for :func:`save_figure`.
    caption : str
        The figure's title and what it shows (caption and alt text).
    empty : str
        The sentence shown instead when ``table`` has no rows (no figure is written).
    size : (float, float)
        Figure size in inches.
    **options
        Passed to ``plot``.

    Returns
    -------
    SavedFigure or Note
    """
    if table is None or len(table) == 0:  # None: a table not made (no method applied)
        return Note(empty)
    import matplotlib.pyplot as plt

    with style():
        fig, ax = plt.subplots(figsize=size)
        plot(ax, table, **options)
        return save_figure(fig, name, out_dir, caption=caption, data=table)


#: Most rows of a long table a report carries for searching in the page (all of them are in
#: its CSV file).
SEARCH_ROWS = 5000


class ShownTable:
    """The first rows of a table, with a caption that says how many of how many rows.

    A longer table also carries its rows (up to :data:`SEARCH_ROWS`) in a ``<details>``
    element of class :data:`SEARCH_CLASS`: without JavaScript a reader opens it and reads them
    all; in a report the build's table script (``analysis/build/table.js``) adds a search box,
    sorting by a column and pages.
    """

    def __init__(self, table, name: str, n: int, caption: str, data: str | None):
        self.table, self.name, self.n, self.caption, self.data = table, name, n, caption, data

    def _repr_html_(self) -> str:
        total = len(self.table)
        count = (f"all {total} rows" if total <= self.n else
                 f"the first {self.n} of {total} rows")
        link = _data_link("All rows", self.data)
        head = _html_table(self.table.head(self.n))
        search = ""
        if total > self.n:
            shown = ("all" if total <= SEARCH_ROWS else f"the first {SEARCH_ROWS:,} of") + \
                f" {total:,} rows"
            full = _html_table(self.table.head(SEARCH_ROWS))
            search = (f'<details class="{SEARCH_CLASS}"><summary>Search, sort and page '
                      f"{shown}</summary>{full}</details>")
        return (f'<div class="analysis-table" id="{html.escape(self.name)}"><p>'
                f"<b>Table {html.escape(self.name)}.</b> {html.escape(self.caption)} "
                f"({count}).{link}</p>{head}{search}</div>")


def show_table(
    table, name: str, out_dir: str | os.PathLike[str] | None = None, *, caption: str,
    empty: str, n: int = 12,
):
    """Show the first ``n`` rows of a table, saying how many it has, and write its data.

    Parameters
    ----------
    table : DataFrame or None
        None is a table that was not made (a topic model's ``selection`` when ``k`` was
        given): ``empty`` is shown, as for a table without rows.
    name : str
        The table's name (as a figure's: the notebook's prefix first); its rows are written
        to ``<out_dir>/data/<name>.csv`` when there are more than ``n``.
    out_dir : str or path-like, optional
        As for :func:`save_figure`.
    caption : str
        What the table shows.
    empty : str
        The sentence shown instead when the table has no rows; "" shows nothing (where the
        sentence before the table already says so).
    n : int, default 12
        Rows shown.

    Returns
    -------
    ShownTable, Note or None
    """
    name = _check_name(name)
    if table is None or len(table) == 0:
        return Note(empty) if empty else None
    data = None
    if len(table) > n:
        data = f"{name}.csv"
        target = Path(config.FIGURES_DIR if out_dir is None else out_dir) / DATA_DIR / data
        _write_csv(table, target)
    return ShownTable(table, name, n, caption, data)
