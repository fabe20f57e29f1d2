"""Tests of analysis.build.transaction: a build that survives its own death (real
subprocesses, real signals), one build at a time, output folders holding only what a build
wrote.

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

import pytest
from conftest import toy_params_cell

from analysis import build, config
from analysis.build import transaction
from tests.conftest import new_code_cell, new_markdown_cell, new_notebook

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def _notebook(folder: Path, seconds: float) -> Path:
    import nbformat  # not at collection: its schema checkers take seconds to import
    folder.mkdir()
    nbformat.write(new_notebook(cells=[
        new_markdown_cell("# Slow\n\n**Question:** Does it die with the build?"),
        toy_params_cell(),
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
    with pytest.raises(build.BuildError, match="a folder no build wrote"):
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


def _figure_notebook(folder: Path) -> Path:
    """A notebook writing one figure file and one data file, as save_figure does."""
    import nbformat  # not at collection: its schema checkers take seconds to import
    folder.mkdir()
    nbformat.write(new_notebook(cells=[
        new_markdown_cell("# Figure\n\n**Question:** Is the output folder the build's?"),
        toy_params_cell(),
        new_code_cell("from pathlib import Path\n"
                      "Path(FIGURES_DIR, 'data').mkdir(exist_ok=True)\n"
                      "Path(FIGURES_DIR, '01-a.svg').write_text(CORPUS_DIR)\n"
                      "Path(FIGURES_DIR, 'data', '01-a.csv').write_text('x\\n1\\n')"),
    ]), folder / "01-figure.ipynb")
    return folder


@pytest.mark.parametrize("planted", ["reports/thesis.csv", "reports/settings.json",
                                     "reports/data/my-analysis.csv", "figures/photo.png",
                                     "reports/.notes.html"])
def test_a_build_removes_only_the_files_its_manifest_lists(tmp_path, planted):
    notebooks = _figure_notebook(tmp_path / "notebooks")
    out = tmp_path / "out"
    first = build.build(corpus_dir=_corpus(tmp_path / "corpus-a", "Alpha text.\n"),
                        out_dir=out, notebooks_dir=notebooks)
    assert first.ok and (out / "reports" / "data" / "01-a.csv").is_file()
    (out / planted).write_bytes(b"the analyst's own")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    corpus_b = _corpus(tmp_path / "corpus-b", "Beta text.\n")
    with pytest.raises(build.BuildError, match="no build wrote") as refused:
        build.build(corpus_dir=corpus_b, out_dir=out, notebooks_dir=notebooks)
    assert str(out / planted) in str(refused.value) and "\n" not in str(refused.value)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {p: d for p, d in after.items() if p.name != ".build.lock"} == \
        {p: d for p, d in before.items() if p.name != ".build.lock"}  # nothing removed


def test_a_build_refuses_a_listed_file_changed_since(tmp_path):
    notebooks = _figure_notebook(tmp_path / "notebooks")
    out = tmp_path / "out"
    assert build.build(corpus_dir=_corpus(tmp_path / "corpus-a", "Alpha text.\n"),
                       out_dir=out, notebooks_dir=notebooks).ok
    changed = out / "figures" / "01-a.svg"
    changed.write_text("edited by hand", encoding="utf-8")
    with pytest.raises(build.BuildError, match="no build wrote"):
        build.build(corpus_dir=_corpus(tmp_path / "corpus-b", "Beta text.\n"), out_dir=out,
                    notebooks_dir=notebooks)
    assert changed.read_text(encoding="utf-8") == "edited by hand"
    changed.unlink()  # what the manifest lists may go; the next build goes on
    again = build.build(corpus_dir=tmp_path / "corpus-b", out_dir=out, notebooks_dir=notebooks)
    assert again.ok
    assert "corpus-b" in (out / "figures" / "01-a.svg").read_text(encoding="utf-8")


def test_the_command_line_refuses_a_foreign_file_in_one_line(tmp_path):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "photo.png").write_bytes(b"a photo")
    done = subprocess.run([sys.executable, "-m", "analysis", "build", "--corpus",
                           str(_corpus(tmp_path / "corpus", "Some text.\n")), "--out", str(out)],
                          capture_output=True, text=True, cwd=config.PROJECT_DIR)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert str(out / "figures" / "photo.png") in done.stderr
    assert (out / "figures" / "photo.png").read_bytes() == b"a photo"


def test_a_corpus_changed_during_the_build_fails_it_and_keeps_the_last_reports(tmp_path):
    import nbformat  # not at collection: its schema checkers take seconds to import
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(new_notebook(cells=[
        new_markdown_cell("# Edit\n\n**Question:** Does the build see the corpus change?"),
        new_code_cell("CORPUS_DIR = None\nFIGURES_DIR = None\nEDIT = False",
                      metadata={"tags": ["parameters"]}),
        new_code_cell("from pathlib import Path\n"
                      "from analysis.corpus import load_corpus\n"
                      "from analysis.text.process import process\n"
                      "if EDIT:  # someone edits the corpus while the build runs\n"
                      "    Path(CORPUS_DIR, 'a.txt').write_text('Changed words here.\\n')\n"
                      "print('words', int(process(load_corpus(CORPUS_DIR)).tokens"
                      "['is_word'].sum()))"),
    ]), notebooks / "01-edit.ipynb")
    corpus = _corpus(tmp_path / "corpus", "Alpha text.\n")
    out = tmp_path / "out"
    assert build.build(corpus_dir=corpus, out_dir=out, notebooks_dir=notebooks).ok
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()
              and p.name != ".build.lock"}
    assert "words 2" in (out / "reports" / "01-edit.html").read_text(encoding="utf-8")

    with pytest.raises(build.BuildError, match="changed during the build") as failed:
        build.build(corpus_dir=corpus, out_dir=out, notebooks_dir=notebooks,
                    parameters={"EDIT": True})
    assert "01-edit" in str(failed.value) and "\n" not in str(failed.value)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()
             and p.name != ".build.lock"}
    assert after == before  # the last reports, not a mix
    assert not list(out.glob(".analysis-build-*"))
    # the corpus as it is now builds
    again = build.build(corpus_dir=corpus, out_dir=out, notebooks_dir=notebooks)
    assert again.ok
    assert "words 3" in (out / "reports" / "01-edit.html").read_text(encoding="utf-8")


def test_the_projects_own_figures_count_as_the_builds(tmp_path):
    """The project's figures/ holds the committed figures and those saved from JupyterLab."""
    figures, reports = tmp_path / "figures", tmp_path / "reports"
    (figures / "data").mkdir(parents=True)
    (figures / "01-sizes.png").write_bytes(b"png")
    (figures / "data" / "01-sizes.csv").write_text("x\n", encoding="utf-8")
    transaction.check_foreign(figures, reports, None, own_figures=True)  # no error
    with pytest.raises(build.BuildError, match="01-sizes.png: a file no build wrote"):
        transaction.check_foreign(figures, reports, None, own_figures=False)
    (figures / "photo.png").write_bytes(b"a photo")
    with pytest.raises(build.BuildError, match="photo.png: a file no build wrote"):
        transaction.check_foreign(figures, reports, None, own_figures=True)


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
