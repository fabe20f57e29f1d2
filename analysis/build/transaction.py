"""The output of a build as one transaction: a lock, a work folder, a manifest, a swap.

One build writes into an output folder at a time (``.build.lock``). The notebooks write into a
work folder beside the output folders (``.analysis-build-*/figures`` and ``/reports``), seeded
with the last build's outputs when it was of the same corpus, so a failing notebook keeps its
previous report; only a finished build replaces the output folders (two renames), so an
interrupted one leaves them as they were. SIGTERM (``timeout``, a scheduler) removes the work
folder and stops at once; the work folder of a build killed outright (SIGKILL) is removed by
the next build, under the lock.

The output folders may hold only what the last build's manifest (``reports/.build.json``)
lists, each file's name and content hash: checked before anything runs and again just before
the swap, so the build deletes the files the manifest lists and refuses anything else. Output
folders that are links, files, or inside or around the corpus are refused before that.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from analysis import figures
from analysis.atomic import write_text
from analysis.build.results import BuildError

__all__ = ["MANIFEST", "OUTPUT_FOLDERS", "WORK_MARK", "WORK_PREFIX", "check_foreign"]

#: The file in ``reports/`` that says which corpus (and subset) the reports are of.
MANIFEST = ".build.json"
#: Work folders: named so, and marked inside, so a build removes only its own.
WORK_PREFIX = ".analysis-build-"
WORK_MARK = ".analysis-work"
# The work folder of the build running in this process, removed if SIGTERM stops it.
_WORK: list[Path] = []

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


def check_foreign(figures_dir: Path, reports_dir: Path, listed: object,
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
    :func:`check_foreign`). A table or archive corpus is its own folder: outputs may sit
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



def _on_sigterm(signum, frame) -> None:  # noqa: ARG001 - a signal handler's signature
    """SIGTERM (``timeout``, a scheduler): remove the work folder, then stop at once (the
    workers die with this process, see :func:`analysis.build.kernels._die_with_parent`)."""
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



@contextlib.contextmanager
def _locked(out: Path):
    """Hold the output folder's lock (:func:`_exclusive`) with SIGTERM handled: the work
    folder is removed if the build is stopped (:func:`_on_sigterm`). The last handler is
    put back after."""
    import signal

    previous = signal.signal(signal.SIGTERM, _on_sigterm) \
        if threading.current_thread() is threading.main_thread() else None
    try:
        with _exclusive(out):
            yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _transaction(figures_dir: Path, reports_dir: Path, corpus_key: str, built: str,
                 own_figures: bool = False):
    """A work folder for one build, under the lock, swapped in place of the output folders if
    the block ends without an exception.

    Yields the work's figures and reports folders (seeded with the output folders' files
    when the last build was of the same ``corpus_key``, or had no manifest). At the end of
    the block the manifest is written in the work's reports folder, the output folders are
    checked again for files no build wrote, and the work folders replace them; whatever
    happens, the work folder is removed. ``own_figures``: see :func:`check_foreign`.
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
    check_foreign(figures_dir, reports_dir, manifest.get("files"), own_figures)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out))
    (work / WORK_MARK).write_text("a work folder of analysis.build\n", encoding="utf-8")
    _WORK.append(work)
    work_figures, work_reports = work / "figures", work / "reports"
    try:
        same = manifest.get("corpus", corpus_key) == corpus_key  # no manifest: keep what is there
        _copy_regular(figures_dir if same else work / "none", work_figures)
        _copy_regular(reports_dir if same else work / "none", work_reports)
        yield work_figures, work_reports
        write_text(work_reports / MANIFEST, json.dumps(
            {"corpus": corpus_key, "built": built,
             "files": _manifest_files(work_figures, work_reports)}, indent=1) + "\n")
        check_foreign(figures_dir, reports_dir, manifest.get("files"), own_figures)
        _swap(work_figures, figures_dir, work)
        _swap(work_reports, reports_dir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        _WORK.remove(work)


