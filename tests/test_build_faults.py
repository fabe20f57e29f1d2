"""A build that survives its own death: real subprocesses, real signals.

A build of corpus B is killed while its notebook runs, over an output folder that holds the
reports of corpus A: its workers and kernels must die with it, the folder must still hold
A's reports, and the next build must clean what the dead one left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis import build, config

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def _notebook(folder: Path, seconds: float) -> Path:
    folder.mkdir()
    nbformat.write(new_notebook(cells=[
        new_markdown_cell("# Slow\n\n**Question:** Does it die with the build?"),
        new_code_cell("CORPUS_DIR = None\nFIGURES_DIR = None", metadata={"tags": ["parameters"]}),
        new_code_cell(f"import time\ntime.sleep({seconds})\nprint('corpus', CORPUS_DIR)"),
    ]), folder / "01-slow.ipynb")
    return folder


def _corpus(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8")
    return folder


def _children() -> dict[int, int]:
    """pid -> parent pid of every process."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def _descendants(pid: int) -> set[int]:
    parents = _children()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _start(corpus: Path, out: Path, notebooks: Path) -> subprocess.Popen:
    code = ("from analysis import build; "
            f"build.build(corpus_dir={str(corpus)!r}, out_dir={str(out)!r}, "
            f"notebooks_dir={str(notebooks)!r}, jobs=1)")
    return subprocess.Popen([sys.executable, "-c", code], start_new_session=True,
                            cwd=config.PROJECT_DIR, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _wait_for_kernel(process: subprocess.Popen, timeout: float = 60) -> set[int]:
    """Descendants of the build once a kernel runs (a worker and its kernel)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        family = _descendants(process.pid)
        if any("ipykernel" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")
               for p in _alive(family)):
            time.sleep(1.0)  # let the kernel start the cell
            return _descendants(process.pid)
        time.sleep(0.2)
    raise AssertionError("no kernel started")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL to the process group"])
def test_a_killed_build_leaves_the_last_reports_and_no_process(tmp_path, how):
    out = tmp_path / "out"
    first = build.build(corpus_dir=_corpus(tmp_path / "corpus-a", "Alpha text.\n"),
                        out_dir=out, notebooks_dir=_notebook(tmp_path / "quick", 0))
    assert first.ok
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()
              and p.name != ".build.lock"}

    slow = _notebook(tmp_path / "slow", 60)
    process = _start(_corpus(tmp_path / "corpus-b", "Beta text.\n"), out, slow)
    family = _wait_for_kernel(process)
    if how == "SIGTERM":
        process.send_signal(signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    deadline = time.monotonic() + 20
    while _alive(family) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(family) == set(), "workers or kernels outlived the build"

    if how == "SIGTERM":  # the build had time to remove its work folder
        assert not list(out.glob(".analysis-build-*"))
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()
             and p.name != ".build.lock" and not p.relative_to(out).parts[0].startswith(".")}
    assert after == before  # the reports of corpus A, untouched
    index = (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert "corpus-a" in index and "corpus-b" not in index

    again = build.build(corpus_dir=tmp_path / "corpus-b", out_dir=out,
                        notebooks_dir=_notebook(tmp_path / "quick-b", 0))
    assert again.ok
    assert not list(out.glob(".analysis-build-*"))
    assert not list((out / "figures").glob(".staging-*"))
    assert "corpus-b" in (out / "reports" / "index.html").read_text(encoding="utf-8")


def test_a_second_build_into_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    corpus = _corpus(tmp_path / "corpus", "Gamma text.\n")
    process = _start(corpus, out, _notebook(tmp_path / "slow", 60))
    try:
        _wait_for_kernel(process)
        done = subprocess.run([sys.executable, "-m", "analysis", "build", "--corpus",
                               str(corpus), "--out", str(out)], capture_output=True, text=True,
                              cwd=config.PROJECT_DIR)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.count("\n") == 1
        assert "another build is writing to this folder" in done.stderr
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_bad_output_folders_are_one_line(tmp_path):
    a_file = tmp_path / "taken"
    a_file.write_text("not a folder", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "analysis", "build", "--out",
                           str(a_file / "sub")], capture_output=True, text=True,
                          cwd=config.PROJECT_DIR)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "cannot write the reports there" in done.stderr


def test_output_folders_a_build_did_not_write_are_left_alone(tmp_path):
    corpus = _corpus(tmp_path / "corpus", "Delta text.\n")
    quick = _notebook(tmp_path / "quick", 0)
    out = tmp_path / "out"
    (out / "reports" / "index.html").mkdir(parents=True)  # not a report
    (out / "reports" / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(build.BuildError, match="holds files no build wrote"):
        build.build(corpus_dir=corpus, out_dir=out, notebooks_dir=quick)
    assert (out / "reports" / "notes.md").read_text(encoding="utf-8") == "mine"
    precious = tmp_path / "precious"
    precious.mkdir()
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "figures").symlink_to(precious)
    with pytest.raises(build.BuildError, match="a symbolic link"):
        build.build(corpus_dir=corpus, out_dir=linked, notebooks_dir=quick)
    for out_dir in (corpus, corpus / "inside"):
        with pytest.raises(build.BuildError, match="corpus folder"):
            build.build(corpus_dir=corpus, out_dir=out_dir, notebooks_dir=quick)
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt"]


def test_a_table_corpus_is_its_own_folder_outputs_may_sit_beside_it(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    table = folder / "speeches.csv"
    table.write_text("id,text\n1,Delta text.\n", encoding="utf-8")
    before = table.read_bytes()
    quick = _notebook(tmp_path / "quick", 0)
    with pytest.raises(build.BuildError, match="inside \\(or contain\\) the corpus file"):
        build.build(corpus_dir=table, out_dir=table, notebooks_dir=quick)
    assert sorted(p.name for p in folder.iterdir()) == ["speeches.csv"]
    build.build(corpus_dir=table, out_dir=folder / "out", notebooks_dir=quick)  # beside it
    assert (folder / "out" / "reports" / "index.html").is_file()
    build.build(corpus_dir=table, out_dir=folder, notebooks_dir=quick)  # data/reports too
    assert (folder / "reports" / "index.html").is_file()
    assert table.read_bytes() == before
