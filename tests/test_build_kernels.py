"""Tests of analysis.build.kernels: each notebook on its own kernel in a worker, its figures
published only when it succeeds, the order of the notebooks (the toy build of conftest.py)."""

from __future__ import annotations

import json
import os
import sys
import warnings

import pytest
from conftest import EVIL, failing_notebook, ok_notebook, write_notebook

from analysis import build, config
from analysis.build import kernels
from analysis.build.notebooks import find_notebooks
from analysis.text import process
from tests.conftest import new_code_cell, new_markdown_cell


def _ok_html(built) -> str:
    return (built["out"] / "reports" / "01-ok.html").read_text(encoding="utf-8")


def test_ok_notebook_figures_published(built):
    figures = (built["out"] / "figures").resolve()
    assert built["result"].figures == [figures / "01-x.png", figures / "01-x.svg"]
    assert (figures / "01-x.png").read_bytes().startswith(b"\x89PNG")
    assert not [p for p in figures.iterdir() if p.name.startswith(".")]


def test_report_shows_corpus_text_read_from_injected_corpus(built):
    page = _ok_html(built)
    assert "Hello corpus world." in page
    assert "<table" in page  # the DataFrame, as HTML


def test_kernel_runs_in_notebooks_dir_with_this_package_and_python(built):
    page = _ok_html(built)
    assert f"CWD={built['notebooks'].resolve()}" in page
    assert f"EXE={sys.executable}" in page
    assert f"PKG={config.PACKAGE_DIR}" in page


def test_failure_names_notebook_and_cell(built):
    failures = {f.notebook.name: f for f in built["result"].failures}
    assert set(failures) == {"02-fails.ipynb", "03-stray.ipynb"}
    failure = failures["02-fails.ipynb"]
    assert failure.cell_index == 2
    assert failure.cell_source == "# step 3: this cell fails"
    assert failure.error == "ValueError"
    assert "toy failure" in failure.message
    line = str(failure)
    assert "02-fails.ipynb" in line and "cell 2" in line and "ValueError" in line


def test_figure_without_notebook_prefix_fails_and_is_not_published(built):
    failure = next(f for f in built["result"].failures if f.notebook.name == "03-stray.ipynb")
    assert failure.error == "FigureNameError"
    assert "no-prefix" in failure.message
    assert not (built["out"] / "figures" / "no-prefix.png").exists()
    assert not (built["out"] / "reports" / "03-stray.html").exists()


def test_failing_notebook_leaves_previous_outputs_intact(built):
    for path, data in built["previous"].items():
        assert path.read_bytes() == data


def test_notebook_without_parameters_cell_fails_without_kernel(tmp_path):
    path = tmp_path / "05-noparams.ipynb"
    write_notebook(path, [new_markdown_cell("# No params"), new_code_cell("1")])
    (tmp_path / "figs").mkdir()
    (tmp_path / "reps").mkdir()
    outcome = kernels.build_notebook(path, tmp_path, tmp_path / "figs", tmp_path / "reps")
    assert outcome.failure is not None
    assert outcome.failure.error == "ValueError"
    assert "parameters" in outcome.failure.message
    assert outcome.title == "No params"
    assert list((tmp_path / "figs").iterdir()) == []


def test_build_records_each_notebooks_time_for_the_next_build(tmp_path):
    # A build with only a failing notebook: quick, and its time counts too.
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    failing_notebook(notebooks / "02-fails.ipynb")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("One text.\n", encoding="utf-8")
    stale = str(tmp_path / "gone" / "01-gone.ipynb")
    config.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    (config.CACHE_DIR / "build-times.json").write_text(json.dumps({stale: 3.0}))
    assert kernels.read_times() == {stale: 3.0}
    build.build(corpus_dir=tmp_path / "corpus", out_dir=tmp_path / "out", notebooks_dir=notebooks)
    times = json.loads((config.CACHE_DIR / "build-times.json").read_text(encoding="utf-8"))
    assert list(times) == [str((notebooks / "02-fails.ipynb").resolve())]  # stale one dropped
    entry = next(iter(times.values()))
    assert 0 < entry["seconds"] < 600
    assert 0 < entry["kernel"] < entry["seconds"]
    assert entry["render"] == 0  # failed: no report rendered
    # each cell run, by its index in the notebook file (None: the injected parameters), up to
    # the failing one; the kernel's start and the cells within the notebook's time
    assert [c[:2] for c in entry["cells"]] == [
        [1, "CORPUS_DIR = None"], [None, "# Parameters injected by analysis.build"],
        [2, "# step 3: this cell fails"]]
    assert entry["kernel"] + sum(c[2] for c in entry["cells"]) < entry["seconds"]
    assert kernels.read_times() == {str((notebooks / "02-fails.ipynb").resolve()):
                                    entry["seconds"]}


def test_notebooks_start_longest_first_by_time_else_by_size(tmp_path):
    sizes = {"01-a.ipynb": 10, "02-b.ipynb": 30, "03-c.ipynb": 20, "04-d.ipynb": 30}
    notebooks = []
    for name, size in sizes.items():
        (tmp_path / name).write_text("x" * size)
        notebooks.append(tmp_path / name)
    seconds = {str(tmp_path / "01-a.ipynb"): 3.0, str(tmp_path / "02-b.ipynb"): 6.5,
               str(tmp_path / "03-c.ipynb"): 5.1, str(tmp_path / "04-d.ipynb"): 5.1}
    # By time: 03 and 04 tie and keep file order.
    assert [nb.name for nb in kernels.longest_first(notebooks, seconds)] == [
        "02-b.ipynb", "03-c.ipynb", "04-d.ipynb", "01-a.ipynb"]
    # One without a time: by typical times where they name every notebook ...
    del seconds[str(tmp_path / "01-a.ipynb")]
    typical = {"01-a.ipynb": 9.0, "02-b.ipynb": 1.0, "03-c.ipynb": 4.0, "04-d.ipynb": 2.0}
    assert [nb.name for nb in kernels.longest_first(notebooks, seconds, typical)] == [
        "01-a.ipynb", "03-c.ipynb", "04-d.ipynb", "02-b.ipynb"]
    # ... else by size, 02 and 04 tie.
    del typical["04-d.ipynb"]
    for partial in (typical, None):  # None: the project's, which name none of these
        assert [nb.name for nb in kernels.longest_first(notebooks, seconds, partial)] == [
            "02-b.ipynb", "04-d.ipynb", "03-c.ipynb", "01-a.ipynb"]


def test_typical_times_name_the_project_notebooks():
    assert sorted(kernels.TYPICAL_SECONDS) == [p.name for p in
                                               find_notebooks(config.NOTEBOOKS_DIR)]


def test_unreadable_times_file_is_no_times_and_one_warning():
    path = config.CACHE_DIR / "build-times.json"
    path.write_text('{"/x/01-a.ipynb": 1.5, "/x/02-b.ipynb": 2}')
    assert kernels.read_times() == {"/x/01-a.ipynb": 1.5, "/x/02-b.ipynb": 2.0}
    path.write_text('{"/x/01-a.ipynb": {"seconds": 1.5, "cells": [[1, "x", 1.0]]}, '
                    '"/x/02-b.ipynb": 2}')  # this build's record, and an older build's
    assert kernels.read_times() == {"/x/01-a.ipynb": 1.5, "/x/02-b.ipynb": 2.0}
    planted = ['{"/x/01-a.ipynb": "slow", "/x/02-b.ipynb": 2}', "not json", "[1, 2]",
               '{"/x/01-a.ipynb": {"cells": []}}', '{"/x/01-a.ipynb": {"seconds": -2}}',
               '{"/x/01-a.ipynb": 1' + "0" * 400 + "}",  # float() of it overflows
               '{"/x/01-a.ipynb": NaN}', '{"/x/01-a.ipynb": -1}', '{"/x/01-a.ipynb": true}',
               '{"a": ' * 5000 + "1" + "}" * 5000,  # deeper than the parser goes
               '{"/x/01-a.ipynb": 1.5, "pad": "' + "x" * kernels.TIMES_LIMIT + '"}']
    for text in planted:
        path.write_text(text)
        with pytest.warns(process.CacheWarning, match="build-times.json") as caught:
            assert kernels.read_times() == {}, text[:40]
        assert len(caught) == 1
    path.unlink()
    os.mkfifo(path)  # a FIFO would block a plain read for ever
    with pytest.warns(process.CacheWarning, match="not a regular file"):
        assert kernels.read_times() == {}
    path.unlink()
    path.symlink_to(config.CACHE_DIR / "elsewhere.json")
    (config.CACHE_DIR / "elsewhere.json").write_text('{"/x/01-a.ipynb": 1.5}')
    with pytest.warns(process.CacheWarning, match="not a regular file"):
        assert kernels.read_times() == {}
    path.unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kernels.read_times() == {}  # none yet: no warning


@pytest.mark.parametrize("dies", ["once", "always"])
def test_a_kernel_that_dies_at_its_start_is_started_again(tmp_path, monkeypatch, dies):
    """Another process may bind a port chosen for the kernel before the kernel does: the
    kernel dies before any cell runs, and a new one (new ports) runs the notebook; a kernel
    that never starts is the notebook's failure, after :data:`KERNEL_STARTS` starts."""
    from nbclient import NotebookClient

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Hello corpus world.", encoding="utf-8")
    (corpus / "evil.txt").write_text(EVIL, encoding="utf-8")
    path = tmp_path / "01-ok.ipynb"
    ok_notebook(path)
    for folder in ("figs", "reps"):
        (tmp_path / folder).mkdir()
    real, starts = NotebookClient.execute, []

    def execute(self, **kwargs):
        starts.append(self.km)
        if dies == "always" or len(starts) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(self, **kwargs)

    monkeypatch.setattr(NotebookClient, "execute", execute)
    outcome = kernels.build_notebook(path, corpus, tmp_path / "figs", tmp_path / "reps")
    if dies == "once":
        assert outcome.failure is None and len(starts) == 2
        assert "Hello corpus world." in (tmp_path / "reps" / "01-ok.html").read_text("utf-8")
    else:
        assert len(starts) == kernels.KERNEL_STARTS
        assert (outcome.failure.error, outcome.failure.message, outcome.failure.cell_index) == (
            "RuntimeError", "Kernel died before replying to kernel_info", None)
        assert list((tmp_path / "figs").iterdir()) == []
