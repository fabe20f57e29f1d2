"""In a real browser (Debian's Chromium, driven by Playwright): the explorer in JupyterLab
and the search box of a report's long table.

Skipped, with the reason shown, where Chromium is not installed (``apt-get install
chromium``); Playwright never downloads a browser here, it is given the system one.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import needs_chromium, toy_params_cell

from analysis import build, config
from tests.conftest import new_code_cell, new_markdown_cell, new_notebook

pytestmark = needs_chromium


def test_a_long_table_of_a_report_can_be_searched(tmp_path, browser):
    import nbformat  # not at collection: its schema checkers take seconds to import
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    words = " ".join(f"word{i} road{i % 7}" for i in range(60))
    (corpus / "a.txt").write_text(words + ".\n", encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(new_notebook(cells=[
        new_markdown_cell("# Search\n\n**Question:** Can a reader search a table?"),
        toy_params_cell(),
        new_code_cell("from analysis.corpus import load_corpus\n"
                      "from analysis.display import show_table\n"
                      "from analysis.frequency import frequency\n"
                      "from analysis.text.process import process\n"
                      "show_table(frequency(process(load_corpus(CORPUS_DIR)), by='corpus'), "
                      "'01-words', FIGURES_DIR, caption='All words', empty='None.', n=5)"),
    ]), notebooks / "01-search.ipynb")
    result = build.build(corpus_dir=corpus, out_dir=tmp_path / "out", notebooks_dir=notebooks)
    assert result.ok
    page = browser.new_page()
    page.goto((tmp_path / "out" / "reports" / "01-search.html").as_uri())
    page.click("details.analysis-search summary")
    visible = "details.analysis-search tbody tr:visible"
    assert page.locator(visible).count() == 25  # the first page of 67 rows
    page.fill("details.analysis-search input[type=search]", "road3")
    page.wait_for_function(
        "document.querySelectorAll('details.analysis-search tbody tr:not([style*=none])')"
        ".length === 1")
    assert page.locator(visible).all_inner_texts()[0].split()[0] == "road3"
    assert "1 of 67 rows" in page.inner_text("details.analysis-search .table-info")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_explorer_runs_in_jupyterlab(tmp_path, browser):
    pytest.importorskip("jupyterlab", reason="JupyterLab is the [lab] extra (make installs it)")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(config.NOTEBOOKS_DIR / "05-explore.ipynb", notebooks)  # not the committed one
    port, token = _free_port(), "test-token"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), PYTHONPATH=str(config.PROJECT_DIR))
    lab = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", "--allow-root", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={notebooks}", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}",
                                       timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/lab/tree/05-explore.ipynb?token={token}")
        page.wait_for_selector(".jp-Notebook", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator, #jp-main-statusbar",
                               timeout=60_000)
        try:
            # a fresh JupyterLab may ask which kernel to start
            page.get_by_role("button", name="Select", exact=True).click(timeout=15_000)
        except Exception:  # noqa: BLE001 - no dialog: the kernel started by itself
            pass
        try:
            page.locator(".lm-MenuBar-item", has_text="Run").first.click(timeout=30_000)
            page.locator(".lm-Menu-item", has_text="Run All Cells").first.click(timeout=30_000)
            page.wait_for_selector("text=lines, page 1 of", timeout=120_000)  # "cpec"
        except Exception:
            page.screenshot(path=str(tmp_path / "jupyterlab.png"))
            raise
        query = page.locator("input[placeholder='word, phrase, glob (road*) or /regex/']")
        query.fill("friendship")
        query.press("Enter")
        page.wait_for_function(
            "document.body.innerText.includes('4 lines, page 1 of 1')", timeout=60_000)
        assert "ardent advocate of Pakistan-China" in page.inner_text(".jp-Notebook")
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=15)
        except subprocess.TimeoutExpired:
            lab.kill()
            lab.wait(timeout=15)
