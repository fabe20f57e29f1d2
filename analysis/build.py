"""Execute the notebooks headlessly and render them as offline HTML reports.

:func:`build` runs every ``notebooks/NN-*.ipynb`` (sorted by name) on a fresh kernel and writes
one HTML report per notebook plus ``reports/index.html``, so a reader who never opens Jupyter
can read the whole analysis.

Conventions the notebooks follow
--------------------------------
- **Name**: ``NN-short-name.ipynb``, ``NN`` two digits. The report is ``NN-short-name.html``.
- **First cell**: markdown, ``# Title`` on its first line, then a paragraph beginning
  ``**Question:**``. The index shows the title and the question (the rest of that paragraph).
  Without such a paragraph, the first paragraph after the title is used.
- **Parameters**: one code cell tagged ``parameters`` holds literal values only, including
  ``CORPUS_DIR = None`` and ``FIGURES_DIR = None`` (``None`` means the defaults of
  :mod:`analysis.config`). As papermill does, the build inserts right after it a code cell
  tagged ``injected-parameters`` that sets both to absolute paths.
- **Figures**: written only with ``analysis.figures.save_figure(fig, name, FIGURES_DIR)``, and
  every figure name starts with the notebook's prefix ``NN-`` (e.g. ``01-document-sizes`` in
  ``01-corpus.ipynb``). The prefix is how a figure is associated with its notebook; a notebook
  writing a figure without its prefix fails (two notebooks could otherwise overwrite each
  other's figures when run in parallel).

How a notebook is built
-----------------------
Each notebook runs in its own worker process with its own kernel (``config.KERNEL_NAME``,
started with the Python that runs the build, working directory = the notebooks folder, as in
JupyterLab, and the project folder on ``PYTHONPATH`` so the kernel imports this very
``analysis`` package). Its figures go to a staging folder; only if every cell succeeds are they
moved into the figures folder (:func:`os.replace`) and the HTML report written (atomically).
A failing notebook leaves its previous report and figures untouched, is recorded as a
:class:`BuildFailure` naming the notebook, the failing cell and the exception, and the other
notebooks are still built. Notebooks start longest first, by the times of their last build
(kept in ``.cache/build-times.json``) or else by file size; the order changes nothing in what
is written.

Reports are rendered with nbconvert's ``lab`` template, code hidden, and without any script
loaded from the internet (no require.js, MathJax, mermaid or widget scripts): they work
offline. Outputs reach the HTML as the kernel produced them: ``DataFrame.to_html`` and printed
text are escaped; :func:`write_index` escapes everything it interpolates.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter
from nbformat import NotebookNode
from traitlets import default

from analysis import config, figures, store
from analysis.progress import progress

__all__ = ["BuildError", "BuildFailure", "BuildResult", "INJECTED_TAG", "NOTEBOOK_GLOB",
           "NotebookOutcome", "PARAMETERS_TAG", "build", "build_notebook", "describe",
           "drop_cells", "find_notebooks", "inject_parameters", "is_case_study",
           "notebook_summary", "parameter_defaults", "parameter_names", "render_html",
           "write_index"]

#: Notebooks the build runs, relative to the notebooks folder.
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
#: Tag of the notebook's own parameters cell.
PARAMETERS_TAG = "parameters"
#: Tag of the cell the build inserts after it.
INJECTED_TAG = "injected-parameters"

_QUESTION_RE = re.compile(r"^\s*\*\*Question:?\*\*:?\s*", re.IGNORECASE)
_EMPHASIS_RE = re.compile(r"(\*\*|\*|`)(\S(?:.*?\S)?)\1")

# An nbconvert template that extends the "lab" template and drops every <script> it would load
# from a CDN: require.js, MathJax, mermaid and the Jupyter widgets manager.
_OFFLINE_TEMPLATE_NAME = "analysis-offline.html.j2"
_OFFLINE_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style type="text/css">{{ resources.report_css }}</style>{%- endblock -%}
{%- block body_header -%}{{ super() }}{{ resources.report_header }}{%- endblock body_header -%}
{%- block body_footer -%}<script>{{ resources.table_script }}</script>{{ super() }}{%- endblock -%}
"""

# Search, sort and pages for the long tables of a report (figures.ShownTable), offline and
# inline. Written here rather than taken from a table library (itables, DataTables): those
# build the table from JSON with JavaScript, so a reader without JavaScript would see no
# table; here the table is plain HTML and the script only adds controls to it.
TABLE_SCRIPT = """
document.querySelectorAll("details.analysis-search").forEach(function (box) {
  var table = box.querySelector("table"), body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows), size = 25, page = 0, shown = rows;
  var bar = document.createElement("div"), input = document.createElement("input");
  var info = document.createElement("span"), prev = document.createElement("button");
  var next = document.createElement("button");
  input.type = "search"; input.placeholder = "Search the rows"; input.className = "table-search";
  prev.textContent = "Previous"; next.textContent = "Next"; info.className = "table-info";
  [input, prev, next, info].forEach(function (e) { bar.appendChild(e); });
  table.parentNode.insertBefore(bar, table);
  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / size));
    page = Math.min(page, pages - 1);
    rows.forEach(function (r) { r.style.display = "none"; });
    shown.slice(page * size, page * size + size).forEach(function (r) { r.style.display = ""; });
    info.textContent = " " + shown.length + " of " + rows.length + " rows, page " +
      (page + 1) + " of " + pages;
  }
  input.addEventListener("input", function () {
    var q = input.value.toLowerCase();
    shown = rows.filter(function (r) { return r.textContent.toLowerCase().indexOf(q) >= 0; });
    page = 0; draw();
  });
  prev.addEventListener("click", function () { page = Math.max(0, page - 1); draw(); });
  next.addEventListener("click", function () { page += 1; draw(); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var up = true; th.style.cursor = "pointer"; th.title = "Sort by this column";
    th.addEventListener("click", function () {
      function key(r) { var t = r.cells[col].textContent.trim(), n = parseFloat(t);
        return isNaN(n) || String(n) !== t.replace(/,/g, "") && isNaN(Number(t)) ? t : n; }
      rows.sort(function (a, b) { var x = key(a), y = key(b);
        var c = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0)
                                        : (typeof x === "number" ? -1 : 1);
        return up ? c : -c; });
      up = !up; rows.forEach(function (r) { body.appendChild(r); });
      input.dispatchEvent(new Event("input"));
    });
  });
  draw();
});
"""

#: Tag of the cell the build appends to every notebook to learn which corpora it processed
#: (:func:`analysis.text.process.keys_seen`); left out of the report.
CORPUS_KEY_TAG = "corpus-keys"
_CORPUS_KEY_SOURCE = ("from analysis.text.process import keys_seen as _analysis_keys_seen\n"
                      "print('analysis-corpus-keys', *_analysis_keys_seen())")
_CORPUS_KEY_RE = re.compile(r"^analysis-corpus-keys((?: [0-9a-f]+)*)$", re.MULTILINE)

#: Tag of the cells of the seed case study: interpretation written by hand about the seed
#: corpus, kept in the reports of the seed corpus only (see :func:`is_case_study`).
CASE_STUDY_TAG = "case-study"
#: Tag of the cells that only make sense in JupyterLab (the explorer's widgets): the build,
#: which has no reader to type a query, leaves them out.
INTERACTIVE_TAG = "interactive"

# Styles of the report's header, contents, figures and tables.
_REPORT_CSS = """
.report-nav { font-size: 0.9rem; color: #444; border-bottom: 1px solid #ddd;
              padding: 0.4rem 0; margin-bottom: 0.6rem; }
.report-nav a { margin-right: 1rem; }
.toc { font-size: 0.9rem; border-left: 3px solid #ddd; padding-left: 0.8rem; margin: 0.5rem 0; }
.toc ol { margin: 0.2rem 0; padding-left: 1.2rem; }
figure.analysis-figure { margin: 0.5rem 0 1rem; }
figure.analysis-figure img { max-width: 100%; }
figure.analysis-figure figcaption, .analysis-table p { font-size: 0.9rem; color: #333; }
"""
_HEADING_RE = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', re.DOTALL)
_TOC_MARK = "<!-- table of contents -->"


class BuildError(Exception):
    """The build cannot start (missing corpus or notebooks folder, bad option).

    Failures of single notebooks are not raised: they are listed in
    :attr:`BuildResult.failures`.
    """


@dataclass(frozen=True)
class BuildFailure:
    """Why one notebook was not built.

    Attributes
    ----------
    notebook : pathlib.Path
        The notebook file.
    cell_index : int or None
        0-based index of the failing cell in the notebook as saved (the injected parameters
        cell not counted), or None if the failure is not a cell's (e.g. unreadable notebook).
    cell_source : str or None
        First line of the failing cell's source.
    error : str
        Name of the exception, e.g. ``"ValueError"`` or ``"CellTimeoutError"``.
    message : str
        The exception's message.
    log : str
        The whole report of the failure (the cell and its traceback), for the log file.
    """

    notebook: Path
    cell_index: int | None
    cell_source: str | None
    error: str
    message: str
    log: str = ""

    def __str__(self) -> str:
        """One line: notebook, cell, exception."""
        where = self.notebook.name
        if self.cell_index is not None:
            where += f": cell {self.cell_index}"
            if self.cell_source:
                where += f" ({self.cell_source!r})"
        message = " ".join(self.message.split())
        return f"{where}: {self.error}: {message}" if message else f"{where}: {self.error}"


@dataclass
class NotebookOutcome:
    """What building one notebook produced.

    Attributes
    ----------
    notebook : pathlib.Path
        The notebook file.
    title : str
        Its title (the H1 of its first markdown cell, else its file stem).
    question : str or None
        Its question (see the module docstring).
    report : pathlib.Path or None
        The report written, None if the notebook failed.
    figures : list of pathlib.Path
        The figures it wrote (moved into the figures folder), sorted.
    failure : BuildFailure or None
        Why it failed, None if it succeeded.
    seconds : float
        Wall time of the whole build of this notebook.
    data : list of pathlib.Path
        The CSV files of the data behind its figures and long tables (in ``reports/data``).
    corpus_keys : list of str
        The keys (:func:`analysis.text.process.cache_key`) of the corpora the notebook
        processed: the build checks they are the one it started with.
    """

    notebook: Path
    title: str
    question: str | None = None
    report: Path | None = None
    figures: list[Path] = field(default_factory=list)
    failure: BuildFailure | None = None
    seconds: float = 0.0
    data: list[Path] = field(default_factory=list)
    corpus_keys: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if the notebook was built."""
        return self.failure is None


@dataclass
class BuildResult:
    """What :func:`build` did.

    Attributes
    ----------
    reports : list of pathlib.Path
        Reports written, in notebook order.
    figures : list of pathlib.Path
        Figures written, in notebook order.
    failures : list of BuildFailure
        Notebooks that failed, in notebook order.
    index : pathlib.Path or None
        The index page.
    outcomes : list of NotebookOutcome
        One per notebook, in notebook order.
    """

    reports: list[Path] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    failures: list[BuildFailure] = field(default_factory=list)
    index: Path | None = None
    outcomes: list[NotebookOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if every notebook was built."""
        return not self.failures


class _BuildKernelManager(AsyncKernelManager):
    """A kernel manager that only looks for kernelspecs of the running Python's environment.

    A user-wide kernelspec (``~/.local/share/jupyter/kernels/python3``) may point to another
    Python that cannot import ``analysis``; this manager looks in ``sys.prefix`` only, and falls
    back to ipykernel's own spec, whose ``argv`` is ``sys.executable``. A spec whose ``argv[0]``
    is ``python`` is also started with ``sys.executable`` (jupyter_client does that), so the
    kernel is the Python running the build whatever ``PATH`` is.

    The kernel's sockets are encrypted (CurveZMQ) whenever its spec supports it.
    """

    @default("transport_encryption")
    def _transport_encryption_default(self) -> str:
        # CurveZMQ keys when the kernelspec supports them (ipykernel's does), instead of
        # plain-text TCP (and ipykernel's warning about it on the build's stderr).
        return "auto"

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        kernels = os.path.join(sys.prefix, "share", "jupyter", "kernels")
        return KernelSpecManager(kernel_dirs=[kernels], ensure_native_kernel=True)


def find_notebooks(notebooks_dir: str | os.PathLike[str]) -> list[Path]:
    """List the notebooks the build runs.

    Parameters
    ----------
    notebooks_dir : str or path-like
        The notebooks folder.

    Returns
    -------
    list of pathlib.Path
        The files matching :data:`NOTEBOOK_GLOB`, sorted by name.
    """
    return sorted(p for p in Path(notebooks_dir).glob(NOTEBOOK_GLOB) if p.is_file())


def notebook_summary(nb: NotebookNode) -> tuple[str | None, str | None]:
    """Read a notebook's title and question from its first markdown cell.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.

    Returns
    -------
    title : str or None
        The text of the cell's first ``# `` heading line.
    question : str or None
        The paragraph beginning ``**Question:**`` without that marker, whitespace collapsed;
        failing that, the first paragraph after the title that is not a heading.
    """
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first is None:
        return None, None
    title = None
    paragraphs: list[str] = []
    current: list[str] = []
    for line in first.source.splitlines():
        stripped = line.strip()
        if title is None and stripped.startswith("# "):
            title = stripped[2:].strip() or None
            if current:
                paragraphs.append(" ".join(current))
            current = []
            continue
        if stripped:
            current.append(stripped)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))

    question = None
    for paragraph in paragraphs:
        if _QUESTION_RE.match(paragraph):
            question = _QUESTION_RE.sub("", paragraph, count=1).strip() or None
            break
    else:
        question = next((p for p in paragraphs if not p.startswith("#")), None)
    if question is not None:  # the index shows plain text: drop Markdown emphasis and code marks
        question = _EMPHASIS_RE.sub(r"\2", question)
    return title, question


def _tags(cell: NotebookNode) -> list[str]:
    """The cell's tags."""
    return list(cell.get("metadata", {}).get("tags", []))


def is_case_study(corpus_dir: str | os.PathLike[str], where: list[str] | None = None) -> bool:
    """Whether a build is of the seed corpus itself, whose reports keep the case study.

    The cells tagged :data:`CASE_STUDY_TAG` interpret the two seed texts by hand; they are
    true of that corpus only, so any other corpus, or a subset of the seeds, drops them.
    """
    return Path(corpus_dir).resolve() == config.SEEDS_DIR.resolve() and not where


def drop_cells(nb: NotebookNode, tags: tuple[str, ...]) -> tuple[NotebookNode, list[int]]:
    """A copy of ``nb`` without the cells tagged with any of ``tags``, and each kept cell's
    original index."""
    copy = nbformat.from_dict(nb)
    kept = [(i, c) for i, c in enumerate(copy.cells) if not set(tags) & set(_tags(c))]
    copy.cells = [c for _, c in kept]
    return copy, [i for i, _ in kept]


def parameter_names(nb: NotebookNode) -> list[str]:
    """The names the notebook's ``parameters`` cell assigns (``NAME = ...`` lines)."""
    cell = next((c for c in nb.cells
                 if c.cell_type == "code" and PARAMETERS_TAG in _tags(c)), None)
    if cell is None:
        return []
    return re.findall(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=", cell.source, re.MULTILINE)


def parameter_defaults(nb: NotebookNode) -> dict[str, object]:
    """The literal values the notebook's ``parameters`` cell gives its names (a name whose
    value is not a literal is left out).

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "TOP_N = 10  # rows\\nBY = None\\nX = len([])", metadata={"tags": ["parameters"]})])
    >>> parameter_defaults(nb)
    {'TOP_N': 10, 'BY': None}
    """
    import ast

    cell = next((c for c in nb.cells
                 if c.cell_type == "code" and PARAMETERS_TAG in _tags(c)), None)
    out: dict[str, object] = {}
    for node in ast.parse(cell.source).body if cell is not None else []:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            try:
                out[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return out


#: Largest whole number a ``-p`` value may be (sizes of tables, windows, numbers of topics).
MAX_PARAMETER = 1_000_000


def _check_parameter(name: str, value, default) -> None:
    """One line for a ``-p`` value of the wrong type for its parameter (the type of the
    value the notebooks give it), a number that is not finite, or a whole number out of
    bounds: refused before any notebook runs.

    Examples
    --------
    >>> _check_parameter("TOP_N", 5, 10)
    >>> _check_parameter("TOP_N", float("inf"), 10)
    Traceback (most recent call last):
    ...
    analysis.build.BuildError: -p TOP_N=inf: expected a whole number from 0 to 1,000,000
    """
    import math

    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) == isinstance(default, bool) or default is None
        expected = "True or False"
    elif isinstance(default, int) or isinstance(value, int):
        ok = isinstance(value, int) and 0 <= value <= MAX_PARAMETER or \
            (default is None and isinstance(value, int) and abs(value) <= MAX_PARAMETER)
        expected = f"a whole number from 0 to {MAX_PARAMETER:,}"
    elif isinstance(default, float) or isinstance(value, float):
        ok = isinstance(value, (int, float)) and math.isfinite(value)
        expected = "a finite number"
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value) \
            or isinstance(value, str)
        expected = "a list of words, ['a', 'b']"
    else:  # text, or None (then text, a list of words or a whole number)
        ok = isinstance(value, str) or value is None or (
            isinstance(value, list) and all(isinstance(v, str) for v in value))
        expected = "text"
    if not ok:
        raise BuildError(f"-p {name}={value!r}: expected {expected}"[:300])


def inject_parameters(
    nb: NotebookNode, corpus_dir: str | os.PathLike[str], figures_dir: str | os.PathLike[str],
    where: list[str] | None = None, parameters: dict | None = None,
) -> tuple[NotebookNode, int]:
    """Return a copy of ``nb`` with an injected-parameters cell after its parameters cell.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook; it is not modified.
    corpus_dir, figures_dir : str or path-like
        Values of ``CORPUS_DIR`` and ``FIGURES_DIR`` in the injected cell (made absolute).
    where : list of str, optional
        Value of ``WHERE`` (conditions on documents, :func:`analysis.units.select`), injected
        only when given.
    parameters : dict, optional
        More values (``-p NAME=VALUE``; ``BY`` from ``--by``), injected for the names the
        notebook's parameters cell assigns (papermill's convention); others are ignored.

    Returns
    -------
    notebook : nbformat.NotebookNode
        The copy, without any previously injected cell, with the new cell tagged
        :data:`INJECTED_TAG` right after the first code cell tagged :data:`PARAMETERS_TAG`.
    index : int
        The new cell's index.

    Raises
    ------
    ValueError
        If no code cell is tagged :data:`PARAMETERS_TAG`.
    """
    copy = nbformat.from_dict(nb)
    copy.cells = [c for c in copy.cells if INJECTED_TAG not in _tags(c)]
    position = next(
        (
            i
            for i, c in enumerate(copy.cells)
            if c.cell_type == "code" and PARAMETERS_TAG in _tags(c)
        ),
        None,
    )
    if position is None:
        raise ValueError(f"no code cell is tagged {PARAMETERS_TAG!r}")
    source = "\n".join(
        [
            "# Parameters injected by analysis.build",
            f"CORPUS_DIR = {str(Path(corpus_dir).resolve())!r}",
            f"FIGURES_DIR = {str(Path(figures_dir).resolve())!r}",
            *([f"WHERE = {list(map(str, where))!r}"] if where else []),
            *[f"{name} = {value!r}" for name, value in (parameters or {}).items()
              if name in parameter_names(copy)],
        ]
    )
    cell = nbformat.v4.new_code_cell(source=source, metadata={"tags": [INJECTED_TAG]})
    if (copy.nbformat, copy.nbformat_minor) >= (4, 5):
        cell.id = INJECTED_TAG
    else:
        cell.pop("id", None)
    copy.cells.insert(position + 1, cell)
    return copy, position + 1


def render_html(nb: NotebookNode, title: str, corpus: str = "", built: str = "") -> str:
    """Render an executed notebook as an HTML page that works offline.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook; its ``stderr`` outputs (warnings) are left out.
    title : str
        The page's ``<title>``.
    corpus : str
        The corpus's name (a folder or file name, never a path), shown at the top.
    built : str
        When the report was built, shown at the top.

    Returns
    -------
    str
        The page: nbconvert's ``lab`` template, code cells' input and prompts hidden, no
        ``<script>`` loaded from the internet (see the module docstring); a header with a
        link back to ``index.html``, the corpus and the build time, and a table of contents
        of the ``##`` headings.
    """
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if o.get("name") != "stderr" or o.get("output_type") != "stream"]
    esc = html.escape
    header = ('<nav class="report-nav"><a href="index.html">&larr; All reports</a>'
              + (f"Corpus: <code>{esc(corpus)}</code>" if corpus else "")
              + (f" &middot; built {esc(built)}" if built else "")
              + f"</nav>{_TOC_MARK}")
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({_OFFLINE_TEMPLATE_NAME: _OFFLINE_TEMPLATE})],
        template_file=_OFFLINE_TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    page, _ = exporter.from_notebook_node(nb, resources={
        "metadata": {"name": title}, "report_header": header, "report_css": _REPORT_CSS,
        "table_script": TABLE_SCRIPT})
    headings = _HEADING_RE.findall(page)
    toc = ""
    if headings:
        items = "".join(f'<li><a href="#{anchor}">{text.strip()}</a></li>'
                        for anchor, text in headings)
        toc = f'<nav class="toc" aria-label="Contents"><b>Contents</b><ol>{items}</ol></nav>'
    return page.replace(_TOC_MARK, toc, 1)


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp_name, 0o666 & ~mask)
        os.replace(tmp_name, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)


def _first_line(source: str) -> str:
    """The first non-blank line of a cell's source, stripped."""
    return next((line.strip() for line in source.splitlines() if line.strip()), "")


def _kernel_env() -> dict[str, str]:
    """The kernel's environment: ours, with the project folder first on PYTHONPATH."""
    env = dict(os.environ)
    paths = [str(config.PROJECT_DIR)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    # debugpy's warning about frozen modules would go to the build's stderr.
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def build_notebook(
    notebook: str | os.PathLike[str],
    corpus_dir: str | os.PathLike[str],
    figures_dir: str | os.PathLike[str],
    reports_dir: str | os.PathLike[str],
    timeout: int = config.CELL_TIMEOUT,
    where: list[str] | None = None,
    parameters: dict | None = None,
    built: str = "",
) -> NotebookOutcome:
    """Execute one notebook and, if it succeeds, publish its figures and its report.

    Parameters
    ----------
    notebook : str or path-like
        The notebook file; its folder is the kernel's working directory.
    corpus_dir : str or path-like
        The corpus injected as ``CORPUS_DIR``.
    figures_dir, reports_dir : str or path-like
        Existing folders receiving the figures and ``<notebook stem>.html``.
    timeout : int, optional
        Seconds each cell may run.
    where : list of str, optional
        Conditions on documents injected as ``WHERE``.
    parameters : dict, optional
        More parameters to inject (:func:`inject_parameters`).
    built : str
        The build's time, shown in the report.

    Returns
    -------
    NotebookOutcome
        The report and figures written, or the failure. Exceptions are not raised but
        recorded in the outcome. The case-study cells are dropped unless the corpus is the
        seed corpus (:func:`is_case_study`); figures go to ``figures_dir``, the data behind
        figures and tables to ``reports_dir/data`` and a copy of each PNG to
        ``reports_dir/figures`` (so ``reports/`` is readable alone). A last cell, left out
        of the report, gives the keys of the corpora the notebook processed
        (:attr:`NotebookOutcome.corpus_keys`).
    """
    notebook = Path(notebook).resolve()
    figures_dir = Path(figures_dir).resolve()
    reports_dir = Path(reports_dir).resolve()
    outcome = NotebookOutcome(notebook=notebook, title=notebook.stem)
    prefix = notebook.name.split("-", 1)[0] + "-"

    def fail(error: str, message: str, index: int | None = None, source: str | None = None,
             log: str = ""):
        outcome.failure = BuildFailure(notebook, index, source, error, message, log)
        return outcome

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook is a failure to record
        return fail(type(exc).__name__, str(exc))
    title, question = notebook_summary(nb)
    outcome.title = title or notebook.stem
    outcome.question = question

    dropped = (INTERACTIVE_TAG,) + (() if is_case_study(corpus_dir, where) else
                                    (CASE_STUDY_TAG,))
    nb, origin = drop_cells(nb, dropped)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{notebook.stem}-", dir=figures_dir))
    try:
        try:
            run, injected = inject_parameters(nb, corpus_dir, staging, where, parameters)
        except ValueError as exc:
            return fail(type(exc).__name__, str(exc))
        run.cells.append(_corpus_key_cell(run))

        current: dict[str, int] = {}

        def on_cell_start(cell: NotebookNode, cell_index: int) -> None:
            current["index"] = cell_index

        client = NotebookClient(
            run,
            timeout=timeout,
            kernel_name=config.KERNEL_NAME,
            kernel_manager_class=_BuildKernelManager,
            resources={"metadata": {"path": str(notebook.parent)}},
            on_cell_start=on_cell_start,
            shutdown_kernel="immediate",  # the notebook is done: do not wait for a clean exit
        )
        try:
            client.execute(cwd=str(notebook.parent), env=_kernel_env())
        except Exception as exc:  # noqa: BLE001 - recorded, the build goes on
            index = current.get("index")
            source = _first_line(run.cells[index].source) if index is not None else None
            if index is not None:
                index = (origin[index - (index > injected)]
                         if index != injected and index < len(run.cells) - 1 else None)
            if isinstance(exc, CellExecutionError):  # its text holds the cell and traceback
                return fail(exc.ename, exc.evalue, index, source,
                            re.sub(r"\x1b\[[0-9;]*m", "", str(exc)))
            lines = str(exc).strip().splitlines()
            return fail(type(exc).__name__, lines[0] if lines else "", index, source)

        keys_cell = run.cells.pop()
        found = _CORPUS_KEY_RE.search("".join(
            o.get("text", "") for o in keys_cell.get("outputs", [])
            if o.get("output_type") == "stream"))
        outcome.corpus_keys = found.group(1).split() if found else []
        data_dir = staging / figures.DATA_DIR
        staged = sorted(p for p in staging.iterdir() if p.is_file() and not p.name.startswith("."))
        data = sorted(p for p in data_dir.iterdir() if p.is_file()
                      and not p.name.startswith(".")) if data_dir.is_dir() else []
        strays = [p.name for p in staged + data if not p.name.startswith(prefix)]
        if strays:
            return fail(
                "FigureNameError",
                f"figure files {', '.join(strays)} do not start with the notebook's prefix "
                f"{prefix!r}",
            )
        try:
            page = render_html(run, outcome.title, Path(corpus_dir).name, built)
        except Exception as exc:  # noqa: BLE001 - recorded, the build goes on
            return fail(type(exc).__name__, str(exc))

        for folder in (reports_dir / figures.DATA_DIR, reports_dir / "figures"):
            folder.mkdir(exist_ok=True)
        for path in data:
            os.replace(path, reports_dir / figures.DATA_DIR / path.name)
            outcome.data.append(reports_dir / figures.DATA_DIR / path.name)
        for path in staged:
            target = figures_dir / path.name
            if path.suffix == ".png":
                shutil.copyfile(path, reports_dir / "figures" / path.name)
            os.replace(path, target)
            outcome.figures.append(target)
        report = reports_dir / f"{notebook.stem}.html"
        _write_atomic(report, page)
        outcome.report = report
        return outcome
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _corpus_key_cell(nb: NotebookNode) -> NotebookNode:
    """The cell appended to a notebook that prints the keys of the corpora it processed."""
    cell = nbformat.v4.new_code_cell(source=_CORPUS_KEY_SOURCE,
                                     metadata={"tags": [CORPUS_KEY_TAG]})
    if (nb.nbformat, nb.nbformat_minor) >= (4, 5):
        cell.id = CORPUS_KEY_TAG
    else:
        cell.pop("id", None)
    return cell


def _href(target: Path, start: Path) -> str:
    """A relative URL from folder ``start`` to ``target``, HTML-escaped."""
    relative = Path(os.path.relpath(target, start)).as_posix()
    return html.escape(urllib.parse.quote(relative), quote=True)


_INDEX_CSS = """\
body { font-family: "DejaVu Sans", Verdana, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; }
.report { border-top: 1px solid #ccc; padding: 0.5rem 0 1rem; }
.report h2 { font-size: 1.2rem; margin-bottom: 0.3rem; }
.question { margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 0.75rem; }
.figures figure { margin: 0; font-size: 0.8rem; }
.figures img { width: 16rem; border: 1px solid #ddd; }
.failed { color: #a00; }
.corpus { color: #555; font-size: 0.9rem; }
"""


#: Lines of a failure shown in the index; the whole message is in ``<notebook>.log``.
FAILURE_LINES = 3
FAILURE_CHARS = 400


def _short(text: str) -> str:
    """The first :data:`FAILURE_LINES` lines of a failure, at most :data:`FAILURE_CHARS`."""
    lines = text.strip().splitlines()[:FAILURE_LINES]
    short = "\n".join(lines)
    return short if len(short) <= FAILURE_CHARS else short[:FAILURE_CHARS - 1] + "\u2026"


def write_index(
    outcomes: list[NotebookOutcome],
    reports_dir: str | os.PathLike[str],
    corpus_dir: str | os.PathLike[str] | None = None,
    built: str = "",
    where: list[str] | None = None,
) -> Path:
    """Write ``index.html`` listing every report of this build with its question and figures.

    Parameters
    ----------
    outcomes : list of NotebookOutcome
        One per notebook, in the order to list them.
    reports_dir : str or path-like
        Where the reports are; thumbnails come from ``reports_dir/figures`` and links are
        relative, so ``reports/`` can be copied alone and read offline.
    corpus_dir : str or path-like, optional
        The corpus, named on the page by its folder or file name (never its path).
    built : str
        When the build ran.
    where : list of str, optional
        The subset the reports were built on.

    Returns
    -------
    pathlib.Path
        The index file, written atomically. Every interpolated string is HTML-escaped. A
        failed notebook shows the first lines of its failure and links its full log.
    """
    reports_dir = Path(reports_dir).resolve()
    esc = html.escape
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
        "<title>Discourse analysis: reports</title>",
        f"<style>\n{_INDEX_CSS}</style>",
        "</head>",
        "<body>",
        "<h1>Discourse analysis: reports</h1>",
    ]
    if corpus_dir is not None:
        subset = f" (documents with {esc('; '.join(where))})" if where else ""
        when = f", built {esc(built)}" if built else ""
        lines.append(f'<p class="corpus">Corpus: <code>{esc(Path(corpus_dir).name)}</code>'
                     f"{subset}{when}</p>")
    for outcome in outcomes:
        report = reports_dir / f"{outcome.notebook.stem}.html"
        lines.append(f'<section class="report" id="{esc(outcome.notebook.stem)}">')
        if outcome.ok:
            lines.append(
                f'<h2><a href="{_href(report, reports_dir)}">{esc(outcome.title)}</a></h2>'
            )
        else:
            lines.append(f"<h2>{esc(outcome.title)}</h2>")
        if outcome.question:
            lines.append(f'<p class="question">{esc(outcome.question)}</p>')
        if outcome.failure is not None:
            log = reports_dir / f"{outcome.notebook.stem}.log"
            lines.append(f'<p class="failed">Failed: {esc(_short(str(outcome.failure)))} '
                         f'<a href="{_href(log, reports_dir)}">Full log</a></p>')
        pngs = [reports_dir / "figures" / p.name for p in outcome.figures if p.suffix == ".png"]
        if pngs:
            lines.append('<div class="figures">')
            for png in pngs:
                lines.append(
                    f'<figure><a href="{_href(report, reports_dir)}#{esc(png.stem)}">'
                    f'<img src="{_href(png, reports_dir)}" alt="Figure {esc(png.stem)}"></a>'
                    f"<figcaption>{esc(png.stem)}</figcaption></figure>"
                )
            lines.append("</div>")
        lines.append("</section>")
    lines += ["</body>", "</html>", ""]
    index = reports_dir / "index.html"
    _write_atomic(index, "\n".join(lines))
    return index


def _timed_build(notebook: Path, *args) -> NotebookOutcome:
    """:func:`build_notebook`, with its wall time in the outcome."""
    start = time.perf_counter()
    outcome = build_notebook(notebook, *args)
    outcome.seconds = time.perf_counter() - start
    return outcome


def _longest_first(notebooks: list[Path], seconds: dict[str, float]) -> list[Path]:
    """Notebooks longest first: by the last build's times, else by file size.

    The pool hands the next notebook to the first free worker, so starting the long ones
    first finishes soonest on a few cores (the "longest processing time first" rule, Graham
    1969, "Bounds on multiprocessing timing anomalies"). Where a notebook has no time yet, the
    size of the notebook files stands in for the work they hold. Ties keep file order.
    """
    if all(str(nb) in seconds for nb in notebooks):
        return sorted(notebooks, key=lambda nb: -seconds[str(nb)])
    return sorted(notebooks, key=lambda nb: -nb.stat().st_size)


# The times file holds one number per notebook: a few hundred bytes. Anything past this limit
# is not one the build wrote.
TIMES_LIMIT = 1 << 16


def _times_file() -> Path:
    """Where each notebook's last build time is kept (by notebook path), for the order."""
    return config.CACHE_DIR / "build-times.json"


def _read_times() -> dict[str, float]:
    """Seconds each notebook took in its last build (empty if unknown).

    Read as the cache store is read (:func:`analysis.store.read_small`): a regular file, not
    followed through a link, of at most :data:`TIMES_LIMIT` bytes, every value a finite
    number of seconds. Anything else (a FIFO, a 400-digit number, nesting past the parser's
    limit) is ignored with one warning, and the notebooks start in file-size order.
    """
    from analysis.text.process import CacheWarning

    path = _times_file()
    try:
        times = json.loads(store.read_small(path, TIMES_LIMIT).decode("utf-8"))
        if not isinstance(times, dict):
            raise ValueError("not an object")
        seconds = {}
        for name, value in times.items():
            if type(value) not in (int, float) or not 0 <= value < 1e9:
                raise ValueError(f"not a number of seconds: {str(value)[:20]}")
            seconds[name] = float(value)
        return seconds
    except FileNotFoundError:
        return {}
    except (OSError, store.StoreError, ValueError, RecursionError) as err:
        warnings.warn(f"ignored {path.name} ({err}); notebooks start in file-size order",
                      CacheWarning, stacklevel=2)
        return {}


def _write_times(last: dict[str, float], seconds: dict[str, float]) -> None:
    """Record these notebooks' times over the last ones, forgetting notebooks that are gone."""
    times = {k: v for k, v in {**last, **seconds}.items() if Path(k).is_file()}
    try:
        _times_file().parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(_times_file(), json.dumps(times, indent=1, sort_keys=True))
    except OSError:  # a read-only project builds in file-size order next time
        pass


def build(
    corpus_dir: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    notebooks_dir: str | os.PathLike[str] = config.NOTEBOOKS_DIR,
    jobs: int | None = None,
    timeout: int = config.CELL_TIMEOUT,
    where: list[str] | None = None,
    by: str | None = None,
    parameters: dict | None = None,
    text_column: str = "text",
    id_column: str | None = None,
) -> BuildResult:
    """Execute every notebook and write the HTML reports, the figures and the index.

    Parameters
    ----------
    corpus_dir : str or path-like, optional
        The corpus folder or table injected into every notebook; defaults to
        :data:`analysis.config.DEFAULT_CORPUS`.
    out_dir : str or path-like, optional
        If given, figures go to ``out_dir/figures`` and reports to ``out_dir/reports``;
        otherwise to :data:`analysis.config.FIGURES_DIR` and :data:`analysis.config.REPORTS_DIR`.
    notebooks_dir : str or path-like, optional
        Where the ``NN-*.ipynb`` notebooks are.
    jobs : int, optional
        Notebooks run at once, each in its own process and kernel; defaults to
        :func:`os.cpu_count`.
    timeout : int, optional
        Seconds each cell may run.
    where : list of str, optional
        Build on the documents that satisfy these conditions (:func:`analysis.units.select`).
    by : str, optional
        The grouping of every report (injected as ``BY``; default: the notebooks'
        :func:`analysis.units.default_by`).
    parameters : dict, optional
        ``-p NAME=VALUE`` values, injected into the notebooks whose parameters cell assigns
        ``NAME`` (papermill's convention).
    text_column, id_column : str
        For a corpus given as a table (injected as ``TEXT_COLUMN`` and ``ID_COLUMN``).

    Returns
    -------
    BuildResult
        Reports and figures written and notebooks that failed. A failing notebook does not stop
        the others. The output folder holds the reports of one corpus: a build of another
        corpus (or subset) first removes what the last build listed in its manifest
        (``reports/.build.json``: each file's name and content hash), and refuses to start
        while the output folders hold anything else; the index lists only what this build
        made, and a failed notebook's whole message is in ``reports/<notebook>.log``.

    Raises
    ------
    BuildError
        If the corpus or notebooks folder does not exist, no notebook is found, ``jobs`` or
        ``timeout`` is not positive, ``by`` or a parameter is unknown, another build is
        writing to the same output folder, the output folders hold a file the last build's
        manifest does not list (with the same content), or the corpus changed while the
        notebooks ran (a notebook processed another corpus than the one read at the start;
        the output is left as it was).
    """
    corpus = Path(config.DEFAULT_CORPUS if corpus_dir is None else corpus_dir).resolve()
    if not (corpus.is_dir() or corpus.is_file()):
        raise BuildError(f"{corpus}: corpus folder not found")
    notebooks_path = Path(notebooks_dir).resolve()
    if not notebooks_path.is_dir():
        raise BuildError(f"{notebooks_path}: notebooks folder not found")
    notebooks = find_notebooks(notebooks_path)
    if not notebooks:
        raise BuildError(f"{notebooks_path}: no notebook matches {NOTEBOOK_GLOB}")
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 1:
        raise BuildError(f"jobs must be at least 1, not {jobs}")
    if timeout <= 0:
        raise BuildError(f"timeout must be positive, not {timeout}")
    from analysis import units
    from analysis.corpus import load_corpus
    from analysis.text.process import cache_key

    # Read the corpus once here: a corpus the loader refuses is one line, not a failure of
    # every notebook (CorpusError is a ValueError: the command line's bad input).
    loaded = load_corpus(corpus, text_column=text_column, id_column=id_column)
    # The cleaning of -p DROP_REPEATED_LINES, DROP_LINES, HEADER_FIELDS: files read (and made
    # absolute, as the kernels start in the notebooks' folder) before any notebook runs, the
    # header fields variables that --where and --by may name.
    parameters = {**(parameters or {}), **_line_rule_parameters(parameters or {})}
    loaded = _with_line_rules(loaded, parameters)
    if where and not units.doc_mask(loaded, where).any():
        raise BuildError(f"where {'; '.join(where)!r}: no document of the corpus matches")
    if by:
        units.check_by(loaded, by)
    parameters = {**(parameters or {}), **({"BY": by} if by else {}),
                  **({"TEXT_COLUMN": text_column} if text_column != "text" else {}),
                  **({"ID_COLUMN": id_column} if id_column else {})}
    read = [nbformat.read(nb, as_version=4) for nb in notebooks]
    known = sorted({name for nb in read for name in parameter_names(nb)}
                   - {"CORPUS_DIR", "FIGURES_DIR", "WHERE"})
    defaults = {name: value for nb in read for name, value in parameter_defaults(nb).items()}
    for name, value in parameters.items():
        if name not in known:
            raise BuildError(f"-p {name}: no notebook has this parameter "
                             f"(known: {', '.join(known)})")
        _check_parameter(name, value, defaults.get(name))
    if isinstance(parameters.get("BY"), str):  # -p BY is --by: one line, not failed reports
        try:
            units.check_by(loaded, parameters["BY"])
        except ValueError as err:
            raise BuildError(f"-p BY: {err}") from None
    for name in DICTIONARY_PARAMETERS:
        if parameters.get(name) is not None:
            parameters[name] = _dictionary_parameter(
                name, parameters[name],
                parameters.get("DICTIONARY_LEVEL") if name == "DICTIONARY" else None)
    if parameters.get("MODEL") is not None:  # report 06's scaling model, known by name
        from analysis.textmodels import MODELS

        if parameters["MODEL"] not in MODELS:
            raise BuildError(f"-p MODEL={parameters['MODEL']!r}: one of {', '.join(MODELS)}")
    joined = _compound_parameters(loaded, parameters)
    built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())

    if out_dir is None:
        figures_dir, reports_dir = config.FIGURES_DIR, config.REPORTS_DIR
    else:
        figures_dir, reports_dir = Path(out_dir) / "figures", Path(out_dir) / "reports"
    # absolute, but links not followed: a link in their place is refused below
    figures_dir = Path(os.path.abspath(figures_dir))
    reports_dir = Path(os.path.abspath(reports_dir))
    _check_outputs(corpus, figures_dir, reports_dir)
    try:
        reports_dir.parent.mkdir(parents=True, exist_ok=True)
        probe = tempfile.TemporaryFile(dir=reports_dir.parent)
        probe.close()
    except OSError as err:
        raise BuildError(f"{reports_dir.parent}: cannot write the reports there "
                         f"({err.strerror or err})") from None
    import signal

    # The notebooks process the corpus with its phrases joined (and, for COMPOUND_TOP, without
    # them first, to find its strongest sequences): both keys are this corpus's.
    key = [cache_key(joined), list(where or []), text_column, id_column,
           *([cache_key(loaded)] if joined is not loaded else [])]
    previous = signal.signal(signal.SIGTERM, _on_sigterm) \
        if threading.current_thread() is threading.main_thread() else None
    try:
        with _exclusive(reports_dir.parent):
            return _build_locked(notebooks, corpus, figures_dir, reports_dir, jobs, timeout,
                                 where, parameters, built, key, own_figures=out_dir is None)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _compound_parameters(loaded, parameters: dict):
    """``-p COMPOUND=FILE`` (or a list of files) and ``-p COMPOUND_TOP=N``: the phrase files
    read once before any notebook runs (a bad line is one line naming the file and the
    line, not failed reports) and made absolute (the kernels start in the notebooks'
    folder). Returns the corpus with the phrases joined (``loaded`` itself without them).
    """
    from analysis.phrases import MAX_TOP, compound

    files = parameters.get("COMPOUND")
    top = parameters.get("COMPOUND_TOP") or 0
    if files is None and not top:
        return loaded
    if isinstance(top, bool) or not isinstance(top, int) or not 0 <= top <= MAX_TOP:
        raise BuildError(f"-p COMPOUND_TOP={top!r}: expected a whole number from 0 to "
                         f"{MAX_TOP:,}")
    if files is not None:
        listed = [files] if isinstance(files, str) else list(files)
        if not all(isinstance(f, str) and f.strip() for f in listed):
            raise BuildError(f"-p COMPOUND={files!r}: expected a phrase file or a list of "
                             f"them")
        listed = [str(Path(f).expanduser().resolve()) for f in listed]
        parameters["COMPOUND"] = listed[0] if isinstance(files, str) else listed
        try:
            return compound(loaded, listed, top)
        except ValueError as err:
            raise BuildError(f"-p COMPOUND: {err}") from None
    return compound(loaded, None, top)

#: Parameters of the line cleaning (:func:`analysis.text.boilerplate.with_line_rules`): every
#: notebook's parameters cell has them and passes them on, so every report reads the corpus
#: cleaned the same way.
LINE_PARAMETERS = ("DROP_REPEATED_LINES", "DROP_LINES", "HEADER_FIELDS", "HEADER_LINES")


def _line_rule_parameters(parameters: dict) -> dict:
    """The ``-p`` values of :data:`LINE_PARAMETERS` checked (whole numbers from 1, or a
    file), the files made absolute."""
    checked = {}
    for name in LINE_PARAMETERS:
        value = parameters.get(name)
        if value is None:
            continue
        if name in ("DROP_LINES", "HEADER_FIELDS"):
            if not isinstance(value, str) or not value.strip():
                raise BuildError(f"-p {name}={value!r}: expected a file")
            checked[name] = str(Path(value).expanduser().resolve())
        elif isinstance(value, bool) or not isinstance(value, int) \
                or not 1 <= value <= MAX_PARAMETER:
            raise BuildError(f"-p {name}={value!r}: expected a whole number from 1 to "
                             f"{MAX_PARAMETER:,}")
    return checked


def _with_line_rules(corpus, parameters: dict):
    """The corpus cleaned as the notebooks will clean it (the key the build checks their
    corpus against), or one line naming the file and its line: a pattern that does not
    compile, or (each run on the corpus's lines now) runs past its time limit."""
    from analysis.text.boilerplate import HEADER_LINES, check_line_patterns, with_line_rules

    try:
        cleaned = with_line_rules(
            corpus, drop_repeated_lines=parameters.get("DROP_REPEATED_LINES"),
            drop_lines=parameters.get("DROP_LINES"),
            header_fields=parameters.get("HEADER_FIELDS"),
            header_lines=parameters.get("HEADER_LINES") or HEADER_LINES)
        check_line_patterns(corpus, dict(cleaned.cleaning).get("drop_lines", ()))
    except ValueError as err:  # LinePatternError: the file and its line
        raise BuildError(str(err)) from None
    return cleaned


#: Parameters that name a dictionary file (the analyst's coding scheme, actors, metaphor
#: markers), or a built-in one by name.
DICTIONARY_PARAMETERS = ("DICTIONARY", "ACTORS", "METAPHORS", "FRAMES")


def _dictionary_parameter(name: str, value, level) -> str:
    """``-p DICTIONARY`` (``ACTORS``, ``METAPHORS``, ``FRAMES``): read once before any
    notebook runs (a broken file is one line, not a failed report), and made absolute (the
    kernels start in the notebooks' folder). ``METAPHORS`` and ``FRAMES`` may name the case
    study's (``case-study``), ``FRAMES`` also ``policy-frames``, ``DICTIONARY`` a built-in one;
    ``ACTORS`` is a file of names."""
    from analysis.dictionaries import CASE_STUDY, DictionaryError, read_dictionary
    from analysis.dictionaries.builtin import BUILTIN
    from analysis.dictionaries.lookup import check_level

    names = {"DICTIONARY": BUILTIN, "ACTORS": (), "METAPHORS": (CASE_STUDY,),
             "FRAMES": (CASE_STUDY, "policy-frames")}[name]
    if not isinstance(value, str) or not value.strip():
        raise BuildError(f"-p {name}={value!r}: expected a dictionary file or one of "
                         f"{', '.join(names)}")
    path = Path(value).expanduser()
    if value == CASE_STUDY and value in names and not path.exists():
        return value
    if value not in names or path.exists():
        value = str(path.resolve())
    try:
        dictionary = read_dictionary(value)  # a path by now, but for the names allowed
        check_level(dictionary, level)
    except DictionaryError as err:
        raise BuildError(f"-p {name}: {err}") from None
    if name == "ACTORS":
        from analysis.actors import check_actor_dictionary

        try:
            check_actor_dictionary(dictionary)
        except ValueError as err:
            raise BuildError(f"-p ACTORS: {err}") from None
    return value


#: The sub-folders a build writes inside its output folders: the data behind figures and
#: tables, the thumbnails of the index.
OUTPUT_FOLDERS = ("data", "figures")
# Files of the project's own figures folder that its notebooks write (committed, or saved from
# JupyterLab by save_figure) without a build listing them: NN-name.png|svg, data/NN-name.csv,
# and the explorer page of analysis.explorer_page.save_explorer, data/NN-name.html.
_PROJECT_FIGURE_RE = re.compile(r"(?:data/)?[0-9][0-9]-[^/]+\.(?:png|svg|csv)"
                                r"|data/[0-9][0-9]-[^/]+\.html")


def _file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entries(figures_dir: Path, reports_dir: Path):
    """Every entry of the output folders and of their :data:`OUTPUT_FOLDERS`, as
    ``(name, path)`` with ``name`` like ``reports/data/01-x.csv``, the manifest left out."""
    for role, folder in (("figures", figures_dir), ("reports", reports_dir)):
        if not folder.is_dir() or folder.is_symlink():
            continue
        stack = [(folder, role)]
        while stack:
            current, prefix = stack.pop()
            for path in sorted(current.iterdir()):
                name = f"{prefix}/{path.name}"
                if name == f"reports/{MANIFEST}" and path.is_file() and not path.is_symlink():
                    continue
                if (current == folder and path.name in OUTPUT_FOLDERS and path.is_dir()
                        and not path.is_symlink()):
                    stack.append((path, name))
                    continue
                yield name, path


def _manifest_files(figures_dir: Path, reports_dir: Path) -> dict[str, str]:
    """What the build leaves in its output folders: each file's name and content hash."""
    return {name: _file_hash(path) for name, path in _entries(figures_dir, reports_dir)
            if path.is_file() and not path.is_symlink()}


def _check_foreign(figures_dir: Path, reports_dir: Path, listed: object,
                   own_figures: bool) -> None:
    """Refuse output folders holding anything the last build's manifest does not list with
    the same content: the build replaces these folders, so it would delete it.

    ``own_figures``: the output is the project's own, whose figures folder also holds the
    figures its notebooks write outside a build (see :data:`_PROJECT_FIGURE_RE`).
    """
    listed = listed if isinstance(listed, dict) else {}
    manifest = reports_dir / MANIFEST
    for name, path in _entries(figures_dir, reports_dir):
        if path.is_file() and not path.is_symlink():
            if listed.get(name) == _file_hash(path):
                continue
            if (own_figures and name.startswith("figures/")
                    and _PROJECT_FIGURE_RE.fullmatch(name.split("/", 1)[1])):
                continue
        kind = "folder" if path.is_dir() and not path.is_symlink() else "file"
        raise BuildError(f"{path}: a {kind} no build wrote (not listed, with this content, in "
                         f"{manifest}); the build replaces its output folders, so move it "
                         "away or choose another --out")


def _check_outputs(corpus: Path, figures_dir: Path, reports_dir: Path) -> None:
    """Refuse output folders a build must not replace: links, files, the corpus's folder or
    one inside or around it (what they hold is checked under the lock, by
    :func:`_check_foreign`). A table or archive corpus is its own folder: outputs may sit
    beside it, never on it or around it."""
    source = corpus.resolve()
    kind = "folder" if source.is_dir() else "file"
    for folder in (figures_dir, reports_dir):
        if folder.is_symlink():
            raise BuildError(f"{folder}: a symbolic link; the build replaces its output "
                             "folders and will not follow a link")
        real = folder.resolve()
        if real.is_relative_to(source) or source.is_relative_to(real):
            raise BuildError(f"{folder}: the output would be inside (or contain) the corpus "
                             f"{kind} {source}; choose another --out")
        if folder.exists() and not folder.is_dir():
            raise BuildError(f"{folder}: not a folder; the build replaces its output "
                             "folders, so choose another --out")


@contextlib.contextmanager
def _exclusive(out: Path):
    """Hold the output folder's lock (``.build.lock``) or refuse: one build writes at a time."""
    import fcntl

    path = out / ".build.lock"
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise BuildError(f"{path}: not a regular file; remove it")
    handle = open(path, "a")  # noqa: SIM115 - held for the block
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BuildError(f"{out}: another build is writing to this folder; wait for it "
                             "to finish") from None
        yield
    finally:
        handle.close()


#: The file in ``reports/`` that says which corpus (and subset) the reports are of.
MANIFEST = ".build.json"
#: Work folders: named so, and marked inside, so a build removes only its own.
WORK_PREFIX = ".analysis-build-"
WORK_MARK = ".analysis-work"
# The work folder of the build running in this process, removed if SIGTERM stops it.
_WORK: list[Path] = []


def _on_sigterm(signum, frame) -> None:  # noqa: ARG001 - a signal handler's signature
    """SIGTERM (``timeout``, a scheduler): remove the work folder, then stop at once (the
    workers die with this process, see :func:`_die_with_parent`)."""
    for work in list(_WORK):
        shutil.rmtree(work, ignore_errors=True)
    os._exit(143)


def _copy_regular(source: Path, target: Path) -> None:
    """Copy the regular files of an output folder and of its ``data`` and ``figures``
    sub-folders: what a build keeps of the last one (nothing else, no link)."""
    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        return
    for path in source.iterdir():
        if path.is_symlink():
            continue
        if path.is_dir():
            if path.name in (figures.DATA_DIR, "figures"):
                _copy_regular(path, target / path.name)
        elif path.is_file():
            shutil.copy2(path, target / path.name)


def _swap(new: Path, current: Path, trash: Path) -> None:
    """Put a finished folder in place of the current one (two renames, no copying)."""
    if current.exists() or current.is_symlink():
        os.replace(current, trash / f"old-{current.name}")
    os.replace(new, current)


def _die_with_parent() -> None:
    """Worker initializer: the kernel sends SIGKILL to this worker when the build dies.

    With SIGTERM or SIGKILL the build cannot stop its workers itself; Linux's
    ``PR_SET_PDEATHSIG`` does it for them. Their kernels exit on their own when their parent
    is gone (ipykernel watches its parent process).
    """
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the build died before the call
            os._exit(1)


def _build_locked(notebooks, corpus, figures_dir, reports_dir, jobs, timeout, where,
                  parameters, built, key, own_figures=False) -> BuildResult:
    """:func:`build` under the output folder's lock, into a work folder swapped in at the end.

    The notebooks write into ``.analysis-build-*/figures`` and ``/reports`` beside the output
    folders (seeded with the last build's outputs when it was of the same corpus, so a
    failing notebook keeps its previous report); only a finished build replaces the output
    folders, so an interrupted one leaves them as they were. Work folders of builds that died
    are removed here, under the lock.

    The output folders may hold only what the last build's manifest lists (each file's name
    and content hash), checked before anything runs and again just before the swap: the
    build deletes the files the manifest lists and refuses anything else.
    """
    out = reports_dir.parent
    for leftover in out.glob(f"{WORK_PREFIX}*"):
        if (leftover / WORK_MARK).is_file():
            shutil.rmtree(leftover, ignore_errors=True)  # a work folder a dead build left
    manifest_path = reports_dir / MANIFEST
    try:
        if manifest_path.is_symlink() or not manifest_path.is_file():
            raise OSError("not a regular file")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest = manifest if isinstance(manifest, dict) else {}
    except (OSError, ValueError):
        manifest = {}
    _check_foreign(figures_dir, reports_dir, manifest.get("files"), own_figures)
    # which corpus the reports are of (its content, subset and columns), without its path
    corpus_key = hashlib.sha256(json.dumps([str(corpus), *key]).encode()).hexdigest()
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out))
    (work / WORK_MARK).write_text("a work folder of analysis.build\n", encoding="utf-8")
    _WORK.append(work)
    work_figures, work_reports = work / "figures", work / "reports"
    try:
        same = manifest.get("corpus", corpus_key) == corpus_key  # no manifest: keep what is there
        _copy_regular(figures_dir if same else work / "none", work_figures)
        _copy_regular(reports_dir if same else work / "none", work_reports)
        outcomes = _run_notebooks(notebooks, corpus, work_figures, work_reports, jobs, timeout,
                                  where, parameters, built)
        # A notebook that processed another corpus than the one read at the start saw it
        # change during the build: its reports and the others' would mix two corpora.
        changed = [o.notebook.stem for o in outcomes
                   if o.corpus_keys and key[0] not in o.corpus_keys
                   or set(o.corpus_keys) - {key[0], *key[4:]}]
        if changed:
            raise BuildError(f"{corpus}: the corpus changed during the build "
                             f"({', '.join(changed)} read another corpus than the build "
                             "started with); the reports were left as they were: build again")
        for outcome in outcomes:
            log = work_reports / f"{outcome.notebook.stem}.log"
            if outcome.failure is None:
                log.unlink(missing_ok=True)
            else:
                failure = outcome.failure
                _write_atomic(log, f"{failure}\n\n{failure.log or failure.message}\n")
        write_index(outcomes, work_reports, corpus, built, where)
        _write_atomic(work_reports / MANIFEST, json.dumps(
            {"corpus": corpus_key, "built": built,
             "files": _manifest_files(work_figures, work_reports)}, indent=1) + "\n")
        _check_foreign(figures_dir, reports_dir, manifest.get("files"), own_figures)
        _swap(work_figures, figures_dir, work)
        _swap(work_reports, reports_dir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        _WORK.remove(work)

    def moved(path: Path) -> Path:
        for old, new in ((work_figures, figures_dir), (work_reports, reports_dir)):
            if path.is_relative_to(old):
                return new / path.relative_to(old)
        return path

    result = BuildResult(outcomes=outcomes, index=reports_dir / "index.html")
    for outcome in outcomes:
        outcome.report = moved(outcome.report) if outcome.report else None
        outcome.figures = [moved(p) for p in outcome.figures]
        outcome.data = [moved(p) for p in outcome.data]
        if outcome.report is not None:
            result.reports.append(outcome.report)
        result.figures.extend(outcome.figures)
        if outcome.failure is not None:
            result.failures.append(outcome.failure)
    return result


def _run_notebooks(notebooks, corpus, figures_dir, reports_dir, jobs, timeout, where,
                   parameters, built) -> list[NotebookOutcome]:
    """Build every notebook in worker processes, longest first; outcomes in notebook order."""
    last_times = _read_times()
    order = _longest_first(notebooks, last_times)
    outcomes: list[NotebookOutcome] = []
    # "fork": workers start with this module already imported (a second or two each with
    # "spawn"). Nothing here has started a thread, a zmq context or an event loop yet, so
    # there is no such state for the workers to inherit; each creates its own kernel client.
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(notebooks)), mp_context=get_context("fork"),
        initializer=_die_with_parent,
    ) as pool:
        futures = {
            nb: pool.submit(_timed_build, nb, corpus, figures_dir, reports_dir, timeout,
                            where, parameters, built)
            for nb in order
        }
        for notebook in progress(notebooks, desc="notebooks", unit="notebook"):
            try:
                outcomes.append(futures[notebook].result())
            except Exception as exc:  # noqa: BLE001 - a crashed worker fails one notebook
                failure = BuildFailure(notebook, None, None, type(exc).__name__, str(exc))
                outcomes.append(NotebookOutcome(notebook, notebook.stem, failure=failure))
    _write_times(last_times, {str(o.notebook): o.seconds for o in outcomes if o.seconds})
    return outcomes


def describe(result: BuildResult) -> list[str]:
    """Summarize a build in lines for the command line (which prints them to stderr).

    Parameters
    ----------
    result : BuildResult
        What :func:`build` returned.

    Returns
    -------
    list of str
        One line per notebook, in notebook order (``built <report>`` or
        ``FAILED <notebook>: cell <i> (<first line>): <Error>: <message>``), then the index.
    """
    lines = []
    for outcome in result.outcomes:
        if outcome.failure is not None:
            log = Path(result.index).parent / f"{outcome.notebook.stem}.log" \
                if result.index else None
            lines.append(f"FAILED {' '.join(_short(str(outcome.failure)).split())}"
                         + (f" (full log: {log})" if log else ""))
        else:
            lines.append(f"built {outcome.report} ({len(outcome.figures)} figure files)")
    if result.index is not None:
        lines.append(f"index {result.index}")
    return lines
