"""The build from end to end: :func:`build` runs every notebook and writes the reports.

The corpus, the options and the ``-p`` parameters are checked first (one line each,
:class:`~analysis.build.results.BuildError`); then, under the output folder's lock, the
notebooks run in a work folder (:mod:`analysis.build.kernels`), each failed notebook's log
and the index (:mod:`analysis.build.index`) are written there, and the work folder is swapped
in place of the output folders (:mod:`analysis.build.transaction`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from analysis import config
from analysis.atomic import write_text
from analysis.build.index import _short, write_index
from analysis.build.kernels import _run_notebooks
from analysis.build.notebooks import NOTEBOOK_GLOB, find_notebooks, import_nbformat
from analysis.build.parameters import (
    _check_parameters,
    _compound_parameters,
    _line_rule_parameters,
    _with_line_rules,
)
from analysis.build.prepare import process_first
from analysis.build.results import BuildError, BuildResult
from analysis.build.transaction import _check_outputs, _locked, _transaction

__all__ = ["build", "describe"]


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
    nbformat = import_nbformat()  # a second to import: only when a build runs

    read = [nbformat.read(nb, as_version=4) for nb in notebooks]
    _check_parameters(read, loaded, parameters)
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
    # The notebooks process the corpus with its phrases joined (and, for COMPOUND_TOP, without
    # them first, to find its strongest sequences): both keys are this corpus's.
    key = [cache_key(joined), list(where or []), text_column, id_column,
           *([cache_key(loaded)] if joined is not loaded else [])]
    with _locked(reports_dir.parent):
        # Processed once here, not by each kernel at once (analysis.build.prepare).
        process_first(joined)
        return _build_locked(notebooks, corpus, figures_dir, reports_dir, jobs, timeout,
                             where, parameters, built, key, own_figures=out_dir is None)


def _build_locked(notebooks, corpus, figures_dir, reports_dir, jobs, timeout, where,
                  parameters, built, key, own_figures=False) -> BuildResult:
    """:func:`build` under the output folder's lock: the notebooks run in the work folder of
    one transaction (:func:`analysis.build.transaction._transaction`), which also holds each
    failed notebook's log and the index, and is swapped in if the corpus did not change."""
    # which corpus the reports are of (its content, subset and columns), without its path
    corpus_key = hashlib.sha256(json.dumps([str(corpus), *key]).encode()).hexdigest()
    with _transaction(figures_dir, reports_dir, corpus_key, built, own_figures) as (
            work_figures, work_reports):
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
                write_text(log, f"{failure}\n\n{failure.log or failure.message}\n")
        write_index(outcomes, work_reports, corpus, built, where)

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
