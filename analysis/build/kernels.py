"""Running the notebooks: each on its own kernel, in its own worker process.

How a notebook is built
-----------------------
Each notebook runs in its own worker process with its own kernel (``config.KERNEL_NAME``,
started with the Python that runs the build, working directory = the notebooks folder, as in
JupyterLab, and the project folder on ``PYTHONPATH`` so the kernel imports this very
``analysis`` package). Its figures go to a staging folder; only if every cell succeeds are they
moved into the figures folder (:func:`os.replace`) and the HTML report written (atomically).
A failing notebook leaves its previous report and figures untouched, is recorded as a
:class:`~analysis.build.results.BuildFailure` naming the notebook, the failing cell and the
exception, and the other notebooks are still built. Notebooks start longest first, by the
times of their last build (kept in ``.cache/build-times.json``, with each cell's time), else
by the project notebooks' typical times, else by file size; the order changes nothing in what
is written. A worker dies with the build (and its kernel with
the worker), however the build is stopped.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import config, figures, store
from analysis.atomic import write_text
from analysis.build.notebooks import (
    CASE_STUDY_TAG,
    INTERACTIVE_TAG,
    drop_cells,
    inject_parameters,
    is_case_study,
    notebook_summary,
)
from analysis.build.render import render_html
from analysis.build.results import BuildFailure, CellTime, NotebookOutcome
from analysis.progress import progress

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["CORPUS_KEY_TAG", "TIMES_LIMIT", "TYPICAL_SECONDS", "build_notebook", "longest_first",
           "read_times"]

#: Tag of the cell the build appends to every notebook to learn which corpora it processed
#: (:func:`analysis.text.process.keys_seen`); left out of the report.
CORPUS_KEY_TAG = "corpus-keys"

#: Kernels started for a notebook before its failure to start is recorded (a kernel dies at
#: its start when another process takes one of its ports first; a new kernel has new ones).
KERNEL_STARTS = 3
_CORPUS_KEY_SOURCE = ("from analysis.text.process import keys_seen as _analysis_keys_seen\n"
                      "print('analysis-corpus-keys', *_analysis_keys_seen())")
_CORPUS_KEY_RE = re.compile(r"^analysis-corpus-keys((?: [0-9a-f]+)*)$", re.MULTILINE)


@functools.cache
def _kernel_manager_class() -> type:
    """The kernel manager of the build's kernels (jupyter_client and traitlets are imported
    here, on the first build, not when the package is imported: importing them costs
    seconds that a test collection or a command without a build would pay)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class BuildKernelManager(AsyncKernelManager):
        """A kernel manager that only looks for kernelspecs of the running Python's
        environment.

        A user-wide kernelspec (``~/.local/share/jupyter/kernels/python3``) may point to
        another Python that cannot import ``analysis``; this manager looks in ``sys.prefix``
        only, and falls back to ipykernel's own spec, whose ``argv`` is ``sys.executable``. A
        spec whose ``argv[0]`` is ``python`` is also started with ``sys.executable``
        (jupyter_client does that), so the kernel is the Python running the build whatever
        ``PATH`` is.

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

    return BuildKernelManager


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
    # Imported here: nbformat (its schema validator) and nbclient cost seconds to import.
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

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
        started: dict[str, float] = {}

        def on_notebook_start(notebook: NotebookNode) -> None:
            outcome.kernel_seconds = time.perf_counter() - started["kernel"]
            process = getattr(getattr(client.km, "provisioner", None), "process", None)
            started["pid"] = getattr(process, "pid", None)

        def on_cell_start(cell: NotebookNode, cell_index: int) -> None:
            current["index"] = cell_index
            started["cell"] = time.perf_counter()

        def on_cell_executed(cell: NotebookNode, cell_index: int, **_) -> None:
            if cell_index < len(run.cells) - 1:  # not the corpus-key cell the build added
                index = origin[cell_index - (cell_index > injected)] \
                    if cell_index != injected else None
                outcome.cells.append(CellTime(
                    index, _first_line(cell.source)[:CELL_SOURCE_CHARS],
                    time.perf_counter() - started["cell"], _peak_memory(started.get("pid"))))

        try:
            for attempt in range(1, KERNEL_STARTS + 1):
                client = NotebookClient(
                    run,
                    timeout=timeout,
                    kernel_name=config.KERNEL_NAME,
                    kernel_manager_class=_kernel_manager_class(),
                    resources={"metadata": {"path": str(notebook.parent)}},
                    on_notebook_start=on_notebook_start,
                    on_cell_start=on_cell_start,
                    on_cell_executed=on_cell_executed,
                    shutdown_kernel="immediate",  # the notebook is done: no clean exit waited
                )
                outcome.cells.clear()
                started["kernel"] = time.perf_counter()
                try:
                    client.execute(cwd=str(notebook.parent), env=_kernel_env())
                    break
                except RuntimeError:
                    # A kernel that died before any cell ran, most often because another
                    # process bound one of the ports jupyter_client had chosen for it (they
                    # are picked free, then bound by the kernel): a new kernel, new ports.
                    if "index" in current or attempt == KERNEL_STARTS:
                        raise
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
        start = time.perf_counter()
        try:
            page = render_html(run, outcome.title, Path(corpus_dir).name, built)
        except Exception as exc:  # noqa: BLE001 - recorded, the build goes on
            return fail(type(exc).__name__, str(exc))
        outcome.render_seconds = time.perf_counter() - start

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
        write_text(report, page)
        outcome.report = report
        return outcome
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _peak_memory(pid: int | None) -> int | None:
    """The largest resident memory (bytes) process ``pid`` has had so far (Linux's
    ``VmHWM``), None where it cannot be read."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _corpus_key_cell(nb: NotebookNode) -> NotebookNode:
    """The cell appended to a notebook that prints the keys of the corpora it processed."""
    import nbformat  # seconds to import: only when a notebook runs

    cell = nbformat.v4.new_code_cell(source=_CORPUS_KEY_SOURCE,
                                     metadata={"tags": [CORPUS_KEY_TAG]})
    if (nb.nbformat, nb.nbformat_minor) >= (4, 5):
        cell.id = CORPUS_KEY_TAG
    else:
        cell.pop("id", None)
    return cell


def _timed_build(notebook: Path, *args) -> NotebookOutcome:
    """:func:`build_notebook`, with its wall time in the outcome."""
    start = time.perf_counter()
    outcome = build_notebook(notebook, *args)
    outcome.seconds = time.perf_counter() - start
    return outcome


#: Seconds each of the project's notebooks took in a cold build of a 1M-word corpus (2
#: jobs): the order of a build whose cache folder holds no times yet (a first build, a new
#: cache folder). Only their ratios count: where a notebook has no time of its own build
#: and every notebook has one here, they start by these.
TYPICAL_SECONDS = {
    "01-corpus-overview.ipynb": 8.5, "02-keyword-frequency.ipynb": 6.0,
    "03-framing-four-roads.ipynb": 10.1, "04-topic-comparison.ipynb": 14.2,
    "05-explore.ipynb": 3.9, "06-positions.ipynb": 22.3,
}


def longest_first(notebooks: list[Path], seconds: dict[str, float],
                  typical: dict[str, float] | None = None) -> list[Path]:
    """Notebooks longest first: by the last build's times, else by typical times, else by
    file size.

    The pool hands the next notebook to the first free worker, so starting the long ones
    first finishes soonest on a few cores (the "longest processing time first" rule, Graham
    1969, "Bounds on multiprocessing timing anomalies"). Where a notebook has no time yet, the
    typical times (``typical``, by file name; :data:`TYPICAL_SECONDS` by default) stand in
    if they name every notebook, else the size of the notebook files stands in for the work
    they hold. Ties keep file order.
    """
    if all(str(nb) in seconds for nb in notebooks):
        return sorted(notebooks, key=lambda nb: -seconds[str(nb)])
    typical = TYPICAL_SECONDS if typical is None else typical
    if all(nb.name in typical for nb in notebooks):
        return sorted(notebooks, key=lambda nb: -typical[nb.name])
    return sorted(notebooks, key=lambda nb: -nb.stat().st_size)


# The times file holds a few numbers per notebook and one per cell: some kilobytes. Anything
# past this limit is not one the build wrote.
TIMES_LIMIT = 1 << 20

#: Characters of a cell's first line kept in the times file.
CELL_SOURCE_CHARS = 60


def _times_file() -> Path:
    """Where each notebook's last build times are kept (by notebook path), for the order."""
    return config.CACHE_DIR / "build-times.json"


def _seconds(value) -> float:
    """A finite, non-negative number of seconds, or ValueError."""
    if type(value) not in (int, float) or not 0 <= value < 1e9:
        raise ValueError(f"not a number of seconds: {str(value)[:20]}")
    return float(value)


def read_times() -> dict[str, float]:
    """Seconds each notebook took in its last build (empty if unknown).

    The file (``build-times.json`` in the cache folder) holds, by notebook path, the
    notebook's ``seconds``, its kernel's start (``kernel``), the rendering of its report
    (``render``) and each cell's time (``cells``: cell index, first line, seconds, and the
    kernel's largest memory so far in MB); a bare number of seconds per notebook (the file of
    older builds) is read too. Only the notebooks' seconds are returned; the rest is there for
    the analyst who wants to know where a build's time and memory go.

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
            if isinstance(value, dict):
                value = value.get("seconds")
            seconds[name] = _seconds(value)
        return seconds
    except FileNotFoundError:
        return {}
    except (OSError, store.StoreError, ValueError, RecursionError) as err:
        warnings.warn(f"ignored {path.name} ({err}); notebooks start in file-size order",
                      CacheWarning, stacklevel=2)
        return {}


def _times_record(outcome: NotebookOutcome) -> dict:
    """One notebook's entry in the times file."""
    return {"seconds": round(outcome.seconds, 3), "kernel": round(outcome.kernel_seconds, 3),
            "render": round(outcome.render_seconds, 3),
            "cells": [[c.cell, c.source, round(c.seconds, 3),
                       None if c.peak is None else round(c.peak / 2**20)]
                      for c in outcome.cells]}


def _write_times(outcomes: list[NotebookOutcome]) -> None:
    """Record these notebooks' times over the last ones, forgetting notebooks that are gone."""
    try:
        last = json.loads(store.read_small(_times_file(), TIMES_LIMIT).decode("utf-8"))
        last = last if isinstance(last, dict) else {}
    except (OSError, store.StoreError, ValueError, RecursionError):
        last = {}
    new = {str(o.notebook): _times_record(o) for o in outcomes if o.seconds}
    times = {k: v for k, v in {**last, **new}.items() if Path(k).is_file()}
    try:
        _times_file().parent.mkdir(parents=True, exist_ok=True)
        write_text(_times_file(), json.dumps(times, indent=1, sort_keys=True))
    except OSError:  # a read-only project builds in file-size order next time
        pass

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


def _run_notebooks(notebooks, corpus, figures_dir, reports_dir, jobs, timeout, where,
                   parameters, built) -> list[NotebookOutcome]:
    """Build every notebook in worker processes, longest first; outcomes in notebook order."""
    last_times = read_times()
    order = longest_first(notebooks, last_times)
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
    _write_times(outcomes)
    return outcomes

