"""Execute the notebooks headlessly and render them as offline HTML reports.

:func:`build` runs every ``notebooks/NN-*.ipynb`` (sorted by name) on a fresh kernel and writes
one HTML report per notebook plus ``reports/index.html``, so a reader who never opens Jupyter
can read the whole analysis (``python -m analysis build``).

The rooms of the build, one concern each, in the order a build passes through them:

- :mod:`analysis.build.notebooks`: finding the notebooks, their conventions (name, title and
  question, the ``parameters`` cell, tags), injecting the parameters;
- :mod:`analysis.build.parameters`: the ``-p NAME=VALUE`` values, checked before any notebook
  runs;
- :mod:`analysis.build.kernels`: each notebook on its own kernel in a worker process, longest
  first;
- :mod:`analysis.build.render`: the HTML page of an executed notebook (nbconvert), with its
  static files as package data: ``report.html.j2``, ``report.css``, ``table.js``;
- :mod:`analysis.build.index`: the index page (and ``index.css``);
- :mod:`analysis.build.fonts`: the subset fonts a page carries for the letters (Chinese,
  Arabic script, Devanagari) a reader's machine may lack;
- :mod:`analysis.build.transaction`: the output as one transaction (lock, work folder,
  manifest, swap, signals);
- :mod:`analysis.build.results`: the error, each notebook's outcome, the build's result;
- :mod:`analysis.build.run`: :func:`build` and :func:`describe`, from end to end.

What a report shows (figures with captions, tables, sentences) is :mod:`analysis.display`'s;
the contract between a shown table and the table script is
:data:`analysis.display.SEARCH_CLASS`. The names below are importable from here.
"""

from __future__ import annotations

from analysis.build.index import write_index
from analysis.build.kernels import build_notebook
from analysis.build.notebooks import (
    CASE_STUDY_TAG,
    INJECTED_TAG,
    INTERACTIVE_TAG,
    NOTEBOOK_GLOB,
    PARAMETERS_TAG,
    drop_cells,
    find_notebooks,
    inject_parameters,
    is_case_study,
    notebook_summary,
    parameter_defaults,
    parameter_names,
)
from analysis.build.render import render_html
from analysis.build.results import BuildError, BuildFailure, BuildResult, NotebookOutcome
from analysis.build.run import build, describe
from analysis.build.transaction import MANIFEST

__all__ = ["BuildError", "BuildFailure", "BuildResult", "CASE_STUDY_TAG", "INJECTED_TAG",
           "INTERACTIVE_TAG", "MANIFEST", "NOTEBOOK_GLOB", "NotebookOutcome", "PARAMETERS_TAG",
           "build", "build_notebook", "describe", "drop_cells", "find_notebooks",
           "inject_parameters", "is_case_study", "notebook_summary", "parameter_defaults",
           "parameter_names", "render_html", "write_index"]
