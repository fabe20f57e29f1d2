"""The notebooks a build runs: finding them, reading their conventions, injecting parameters.

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
- **Tags**: cells tagged ``case-study`` (the hand-written interpretation of the seed corpus)
  are kept only in a build of the seed corpus itself (:func:`is_case_study`); cells tagged
  ``interactive`` (widgets) are left out of every build.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import config

if TYPE_CHECKING:  # nbformat costs seconds to import (its schema validator): imported where used
    from nbformat import NotebookNode

__all__ = ["CASE_STUDY_TAG", "INJECTED_TAG", "INTERACTIVE_TAG", "NOTEBOOK_GLOB", "PARAMETERS_TAG",
           "drop_cells", "find_notebooks", "import_nbformat", "inject_parameters",
           "is_case_study", "notebook_summary", "parameter_defaults", "parameter_names"]

#: Notebooks the build runs, relative to the notebooks folder.
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
#: Tag of the notebook's own parameters cell.
PARAMETERS_TAG = "parameters"
#: Tag of the cell the build inserts after it.
INJECTED_TAG = "injected-parameters"

_QUESTION_RE = re.compile(r"^\s*\*\*Question:?\*\*:?\s*", re.IGNORECASE)
_EMPHASIS_RE = re.compile(r"(\*\*|\*|`)(\S(?:.*?\S)?)\1")

#: Tag of the cells of the seed case study: interpretation written by hand about the seed
#: corpus, kept in the reports of the seed corpus only (see :func:`is_case_study`).
CASE_STUDY_TAG = "case-study"
#: Tag of the cells that only make sense in JupyterLab (the explorer's widgets): the build,
#: which has no reader to type a query, leaves them out.
INTERACTIVE_TAG = "interactive"



def import_nbformat():
    """nbformat, imported without the grammar of ``rfc3987_syntax``.

    nbformat imports jsonschema, whose format checkers import ``rfc3987_syntax`` where it is
    installed (a dependency of the Jupyter packages); that module builds a parser for the
    ``iri`` format at import: about a second of CPU, more than the rest of nbformat, spent
    before any notebook can start. Notebooks are validated with fastjsonschema (nbformat's
    default) and their schema has no ``iri`` field, so nothing the build does uses it. Where
    jsonschema is not imported yet, it is imported here with ``rfc3987_syntax`` unavailable
    (jsonschema then checks no ``iri`` format in this process; the module itself stays
    importable); elsewhere this is a plain ``import nbformat``.

    Examples
    --------
    >>> import_nbformat().v4.new_notebook().nbformat
    4
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # an ImportError for the one import below
        try:
            import nbformat
        finally:
            del sys.modules["rfc3987_syntax"]
    import nbformat

    return nbformat

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
    import nbformat

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
    >>> import nbformat
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
    import nbformat

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

