"""The interactive explorer: a query, a grouping and a subset, with five views that update
together (what AntConc and Voyant give a reader who types a word).

:func:`views` computes every view as a table (the library's own functions, so the explorer
shows what the reports and the command line show); :func:`explorer` wires them to ipywidgets
for JupyterLab: a query box (word, multiword expression, glob, ``/regex/`` or, on an
annotated corpus, a CQL query such as ``[lemma="road"] [upos="ADP"]``, as
:func:`analysis.concordance.kwic` takes them), a ``by`` picker and a ``where`` box, and the
views as HTML (tables escaped, figures as PNG images). The notebook only calls
:func:`explorer`; tests drive the returned object's widgets from Python.

Views
    ``concordance``: a page of lines, sortable by the left or right context, with each line's
    document and group; ``dispersion``: the query's count, rate and position in each document
    (and its range and DP over the documents of each group); ``collocates``: with the
    measure picked and the counts beside the scores; ``trend``: the rate per period of the
    ``date`` column, when there is one; ``keyness``: the current subset (``where``) against the
    rest of the corpus.
"""

from __future__ import annotations

import base64
import html
import io
import shlex
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import config, units
from analysis.collocation import collocates
from analysis.concordance import dispersion, kwic
from analysis.cql import is_cql
from analysis.display import Note
from analysis.frequency import frequency
from analysis.keyness import GENERAL, keyness, top_keywords
from analysis.params import shared_docs
from analysis.text.boilerplate import HEADER_LINES
from analysis.text.process import Processed
from analysis.trends import trends

__all__ = ["Explorer", "default_query", "explorer", "how_to_open", "views"]

#: Concordance lines per page.
PAGE_SIZE = 20
#: Documents in the dispersion figure (those with the most occurrences).
FIGURE_DOCS = 12


@shared_docs
def views(processed: Processed, query: str, *, by: str = "doc", where=None,
          sort: str = "position", page: int = 0, measure: str = "g2", interval: str = "year",
          window: int = 6) -> dict[str, pd.DataFrame | str]:
    """Every view of the explorer for one state, as tables (or a sentence saying why not).

    Parameters
    ----------
    {processed}
    query : str
        A word, multiword expression, glob, ``/regex/`` or CQL query.
    by : str
        The grouping (:mod:`analysis.units`).
    where : str, optional
        Conditions on documents (``;`` joins several); None or blank for the whole corpus.
    sort : {"position", "left", "right"}
        Order of the concordance lines.
    page : int
        Page of the concordance (:data:`PAGE_SIZE` lines).
    measure : {"g2", "pmi", "t"}
        Measure of the collocates.
    interval : {"year", "month", "week"}
        Period of the trend.
    window : int
        Words of context in the concordance.

    Returns
    -------
    dict
        ``concordance``, ``dispersion``, ``spread``, ``collocates``, ``trend``, ``keyness``:
        DataFrames, or a str saying why a view is empty; ``lines`` (int), how many lines the
        concordance has in all.
    """
    subset = units.select(processed, where or None)
    units.check_by(subset.corpus, by)
    out: dict = {}
    lines = kwic(subset, query, window, sort=sort)
    out["lines"] = len(lines)
    page_rows = lines.iloc[page * PAGE_SIZE:(page + 1) * PAGE_SIZE].reset_index(drop=True)
    groups = units.group_columns(by) if by not in ("doc", "corpus") else []
    if groups:
        page_rows = units.labels(subset, page_rows, by).reset_index(drop=True).join(
            page_rows.drop(columns=[c for c in groups if c in page_rows]))
    out["concordance"] = page_rows[list(dict.fromkeys(
        [*groups, "doc", "sentence", "left", "keyword", "right"]))]
    positions = dispersion(subset, [query])
    counts = positions.groupby("doc", sort=False).size().rename("count")
    per_doc = pd.DataFrame({"doc": counts.index, "count": counts.to_numpy()})
    per_doc["per_1000"] = (1000 * per_doc["count"]
                           / _doc_words(subset).reindex(per_doc["doc"]).to_numpy()).round(3)
    per_doc["first"] = positions.groupby("doc", sort=False)["relative"].min().to_numpy()
    per_doc["last"] = positions.groupby("doc", sort=False)["relative"].max().to_numpy()
    out["dispersion"] = per_doc.sort_values(["count", "doc"], ascending=[False, True])
    # the figure: the documents with the most occurrences (a row each)
    top = set(out["dispersion"]["doc"].head(FIGURE_DOCS))
    out["positions"] = positions[positions["doc"].isin(top)]
    out["spread"] = _spread(subset, query, by)
    colloc = collocates(subset, query, measure=measure)
    out["collocates"] = colloc if len(colloc) else (
        f"No collocate of {query!r} seen {colloc.attrs['min_count']} times or more.")
    out["trend"] = _trend(subset, query, by, interval)
    out["keyness"] = _subset_keyness(processed, where)
    return out


@lru_cache(maxsize=4)
def _doc_words(processed: Processed) -> pd.Series:
    """Word tokens of each document (kept: every query of a state needs them)."""
    tokens = processed.tokens
    return tokens.loc[tokens["is_word"].to_numpy()].groupby("doc", sort=False).size()


@lru_cache(maxsize=4)
def _word_list(processed: Processed, by: str) -> pd.DataFrame:
    """The full word list of each group (kept: it does not depend on the query)."""
    from analysis.frequency import frequency

    return frequency(processed, by=by, stopwords=True)


def _spread(subset: Processed, query: str, by: str) -> pd.DataFrame | str:
    """Count, range and DP of the query's term in each group, when it is one term; of each
    form of a CQL query's matches (:func:`analysis.frequency.frequency` with ``query``)."""
    if is_cql(query):
        table = frequency(subset, by=by, query=query)
        return table if len(table) else f"No match of {query!r}."
    table = _word_list(subset, by)
    rows = table[table["term"] == query.lower()]
    return rows if len(rows) else (f"{query!r} is not a single term of the word lists "
                                   "(a phrase, glob or regex): see the documents above.")


def _trend(subset: Processed, query: str, by: str, interval: str) -> pd.DataFrame | str:
    if "date" not in units.variables(subset.corpus).columns:
        return "No trend: the corpus has no date column."
    try:
        return trends(subset, [query], interval, by=by if by != "doc" else "corpus")
    except ValueError as err:
        return f"No trend: {err}."


def _subset_keyness(processed: Processed, where: str | None) -> pd.DataFrame | str:
    if not (where or "").strip():
        return "Choose a subset (where) to see what is key in it against the rest."
    mask = units.doc_mask(processed.corpus, where)
    if mask.all():
        return "The subset is the whole corpus: there is no rest to compare it with."
    table = keyness(processed, where, "rest")
    return top_keywords(table, 15)


def _html(table: pd.DataFrame | str, rows: int = 30) -> str:
    if isinstance(table, str):
        return f"<p>{html.escape(table)}</p>"
    if table.empty:
        return "<p>No rows.</p>"
    return table.head(rows).to_html(index=False, escape=True, na_rep="", border=0)


def _png(draw, table) -> str:
    """A figure drawn with a plot function, as an ``<img>`` (no file written)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures import style

    with style():
        fig, ax = plt.subplots(figsize=(7, 3))
        draw(ax, table)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


@dataclass
class Explorer:
    """The explorer's widgets and its last views (for tests and for the notebook)."""

    processed: Processed
    widget: object = None
    query: object = None
    by: object = None
    where: object = None
    sort: object = None
    measure: object = None
    page: object = None
    outputs: dict = field(default_factory=dict)
    last: dict = field(default_factory=dict)
    seconds: float = 0.0

    def update(self, *_):
        """Recompute every view from the widgets' values (the widgets' callback)."""
        from analysis import plots

        start = time.perf_counter()
        query = self.query.value.strip()
        if not query:
            for output in self.outputs.values():
                output.value = "<p>Type a word, a phrase, a glob (road*) or a /regex/.</p>"
            return
        try:
            result = views(self.processed, query, by=self.by.value, where=self.where.value,
                           sort=self.sort.value, page=self.page.value,
                           measure=self.measure.value)
        except ValueError as err:  # a bad query or subset: say so where the lines go
            self.outputs["concordance"].value = f"<p><b>{html.escape(str(err))}</b></p>"
            return
        self.last = result
        pages = max(1, -(-result["lines"] // PAGE_SIZE))
        self.outputs["concordance"].value = (
            f"<p>{result['lines']} lines, page {self.page.value + 1} of {pages}</p>"
            + _html(result["concordance"], PAGE_SIZE))
        figure = _png(plots.dispersion_plot, result["positions"]) \
            if len(result["positions"]) else ""
        self.outputs["dispersion"].value = (figure + _html(result["dispersion"])
                                            + _html(result["spread"]))
        self.outputs["collocates"].value = _html(result["collocates"], 20)
        trend = result["trend"]
        self.outputs["trend"].value = (_png(plots.trend_plot, trend)
                                       if isinstance(trend, pd.DataFrame) and len(trend)
                                       else "") + _html(trend)
        self.outputs["keyness"].value = _html(result["keyness"])
        self.seconds = time.perf_counter() - start


@shared_docs
def explorer(processed: Processed, query: str = "", *, by: str | None = None) -> Explorer:
    """The explorer for a corpus: its widgets wired to :func:`views`.

    Display ``explorer(processed).widget`` in JupyterLab (ipywidgets 8 needs no extension to
    build). Typing a query, picking a grouping, a subset, a sort order, a page or a measure
    recomputes the views.

    Parameters
    ----------
    {processed}
    query : str
        The first query.
    by : str, optional
        The first grouping (default :func:`analysis.units.default_by`).
    """
    import ipywidgets as w

    variables = units.variables(processed.corpus)
    groupings = [b for b in units.RESERVED if b != "corpus"] + [
        name for name in variables.attrs["kinds"] if name not in units.TABLE_COLUMNS]
    state = Explorer(processed)
    state.query = w.Text(value=query, description="query",
                         placeholder="word, phrase, glob (road*) or /regex/",
                         continuous_update=False)
    state.by = w.Dropdown(options=groupings, value=by or units.default_by(processed.corpus),
                          description="by")
    state.where = w.Text(value="", description="where", placeholder="genre=news;date>=2020",
                         continuous_update=False)
    state.sort = w.ToggleButtons(options=["position", "left", "right"], description="sort")
    state.measure = w.ToggleButtons(options=["g2", "pmi", "t"], description="measure")
    state.page = w.BoundedIntText(value=0, min=0, max=10**6, description="page")
    state.outputs = {name: w.HTML() for name in ("concordance", "dispersion", "collocates",
                                                 "trend", "keyness")}
    tabs = w.Tab(children=list(state.outputs.values()))
    for i, name in enumerate(state.outputs):
        tabs.set_title(i, name)
    for control in (state.query, state.by, state.where, state.sort, state.measure, state.page):
        control.observe(state.update, names="value")
    help_text = w.HTML(
        f"<p>{len(processed.corpus)} documents. Variables: "
        f"{html.escape(', '.join(variables.attrs['kinds']) or 'none')}.</p>")
    state.widget = w.VBox([help_text, w.HBox([state.query, state.by, state.where]),
                           w.HBox([state.sort, state.page]), state.measure, tabs])
    state.update()
    return state


def default_query(processed: Processed) -> str:
    """The explorer's first query on a corpus: its strongest keyword.

    The term of the highest G2 (Dunning 1993, four-cell log-likelihood; ties by term) of the
    whole corpus against general English (:func:`analysis.keyness.keyness` with reference
    ``general``: ``wordfreq`` frequencies, stop words left out, counted at least twice),
    among those the corpus uses more than general English does; a corpus without one gives
    its most frequent term (stop words left out), and a corpus without words "".

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> default_query(process(load_corpus()))
    'cpec'
    """
    try:
        table = keyness(processed, None, GENERAL)
    except ValueError:  # a corpus without words
        return ""
    positive = table[table["direction"] == "positive"]
    if len(positive):
        return str(positive.iloc[0]["term"])
    words = frequency(processed, by="corpus")
    if not len(words):
        return ""
    words = words.sort_values(["count", "term"], ascending=[False, True])
    return str(words.iloc[0]["term"])


def _shown_path(corpus_dir) -> tuple[str | None, bool]:
    """How a report names the corpus folder or table: (path, inside the project). None for
    the default corpus; a path relative to the project for one inside it; else its name only
    (a report shows no absolute path)."""
    if corpus_dir is None:
        return None, True
    path = Path(corpus_dir).resolve()
    try:
        return path.relative_to(config.PROJECT_DIR).as_posix(), True
    except ValueError:
        return path.name, False


def how_to_open(corpus_dir, query: str, *, given: bool = False, where=None,
                by: str | None = None, text_column: str = "text",
                id_column: str | None = None, line_rules: dict | None = None) -> Note:
    """How to open the explorer on this corpus, and the command-line views of its query.

    What report 05 shows in place of the explorer: the ``make lab`` steps with the values
    of the notebook's parameters for this corpus, and the ``kwic`` and ``collocates``
    commands with the same corpus, subset and query. A corpus inside the project is named by
    its path from the project folder; any other by its name only (a report holds no
    absolute path), to be run from the folder that holds it.

    Parameters
    ----------
    corpus_dir : str or path-like or None
        The corpus (``None``: the project's ``seeds/``).
    query : str
        The first query.
    given : bool, default False
        The query is the notebook's ``QUERY`` (else :func:`default_query`).
    where, by, text_column, id_column
        The notebook's ``WHERE``, ``BY``, ``TEXT_COLUMN`` and ``ID_COLUMN``.
    line_rules : dict, optional
        The notebook's ``DROP_REPEATED_LINES``, ``DROP_LINES``, ``HEADER_FIELDS`` and
        ``HEADER_LINES`` (:func:`analysis.text.boilerplate.with_line_rules`), by name; a
        file is named as the corpus is.

    Returns
    -------
    Note
        Markdown.

    Examples
    --------
    >>> print(how_to_open(None, "cpec"))  # doctest: +NORMALIZE_WHITESPACE
    To explore this corpus (the project's seeds): run `make lab` in the project folder,
    open `notebooks/05-explore.ipynb` and *Run All*; its first query is `cpec`, the
    corpus's strongest keyword against general English. The same concordance and
    collocates on the command line: `python -m analysis kwic cpec` and
    `python -m analysis collocates cpec`.
    """
    shown, inside = _shown_path(corpus_dir)
    where = [where] if isinstance(where, str) else list(where or [])
    parameters = []
    options = []
    if shown is not None:
        # The notebook's kernel starts in notebooks/: a path inside the project is given
        # from there; the command lines run in the project folder.
        parameters.append(f"CORPUS_DIR = {'../' + shown!r}" if inside else
                          f"CORPUS_DIR = the full path of {shown}")
        options += ["--corpus", shown]
    if text_column != "text":
        parameters.append(f"TEXT_COLUMN = {text_column!r}")
        options += ["--text-column", text_column]
    if id_column is not None:
        parameters.append(f"ID_COLUMN = {id_column!r}")
        options += ["--id-column", id_column]
    if where:
        parameters.append(f"WHERE = {where!r}")
        for condition in where:
            options += ["--where", condition]
    if by is not None:
        parameters.append(f"BY = {by!r}")
    for name, value in (line_rules or {}).items():
        if value is None or (name == "HEADER_LINES" and value == HEADER_LINES):
            continue
        option = "--" + name.lower().replace("_", "-")
        if name in ("DROP_LINES", "HEADER_FIELDS"):
            file, file_inside = _shown_path(value)
            parameters.append(f"{name} = {'../' + file!r}" if file_inside else
                              f"{name} = the full path of {file}")
            options += [option, file]
        else:
            parameters.append(f"{name} = {value!r}")
            options += [option, str(value)]
    steps = "run `make lab` in the project folder, open `notebooks/05-explore.ipynb`"
    if parameters:
        steps += (", set " + ", ".join(f"`{_tick(p)}`" for p in parameters)
                  + " in its parameters cell")
    steps += " and *Run All*"
    place = "" if inside else f" (from the folder that holds `{_tick(shown)}`)"
    tail = " ".join(shlex.quote(o) for o in [query, *options])
    why = ("the parameter QUERY" if given else
           "the corpus's strongest keyword against general English")
    first = f"its first query is `{_tick(query)}`, {why}" if query else \
        "it opens without a query"
    label = "the project's seeds" if shown is None else f"`{_tick(shown)}`"
    lines = [f"To explore this corpus ({label}): {steps}; {first}."]
    if query:
        lines.append(f"The same concordance and collocates on the command line{place}: "
                     f"`python -m analysis kwic {_tick(tail)}` and "
                     f"`python -m analysis collocates {_tick(tail)}`.")
    return Note("\n".join(lines))


def _tick(text: str) -> str:
    """Text safe inside a Markdown code span (which the renderer escapes): no backtick."""
    return str(text).replace("`", "'")
