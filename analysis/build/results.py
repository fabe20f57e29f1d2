"""What a build reports: the error that stops it, each notebook's outcome, the whole result.

A build that cannot start (or must stop: another build holds the output, the corpus changed)
raises :class:`BuildError`, whose message is the command line's one line. A notebook that
fails does not stop the others: its :class:`BuildFailure` is recorded in its
:class:`NotebookOutcome`, and :class:`BuildResult` gathers them in notebook order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BuildError", "BuildFailure", "BuildResult", "CellTime", "NotebookOutcome"]


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


@dataclass(frozen=True)
class CellTime:
    """How long one cell of a notebook ran in its build.

    Attributes
    ----------
    cell : int or None
        The cell's index in the notebook file; None for the parameters cell the build
        injected.
    source : str
        The first line of its source (cut short).
    seconds : float
        Wall time from the cell's start to its reply.
    peak : int or None
        The kernel's largest resident memory (bytes) up to the cell's end, where the
        system tells it (Linux); the cell that raised it is the one where it grew.
    """

    cell: int | None
    source: str
    seconds: float
    peak: int | None = None


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
        Its question (see :func:`analysis.build.notebooks.notebook_summary`).
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
    kernel_seconds : float
        Wall time from the start of its kernel to the kernel's being ready for the first
        cell.
    cells : list of CellTime
        Each cell run, in order, with its time (up to the failing cell).
    render_seconds : float
        Wall time of rendering the report's HTML.
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
    kernel_seconds: float = 0.0
    cells: list[CellTime] = field(default_factory=list)
    render_seconds: float = 0.0

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

