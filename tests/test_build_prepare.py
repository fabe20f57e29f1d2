"""Tests of analysis.build.prepare: the corpus processed once before the notebooks run."""

from __future__ import annotations

from conftest import write_notebook

from analysis import build, config
from analysis.build import prepare, run
from analysis.corpus import load_corpus
from analysis.text.process import cache_key, process
from tests.conftest import new_code_cell


def test_process_first_writes_the_cache_the_notebooks_read(make_corpus):
    corpus = load_corpus(make_corpus({"a.txt": "The sea is calm. Ships sail.",
                                      "b.txt": "Wheat grows. Farmers sell it."}))
    path = config.CACHE_DIR / f"processed-{cache_key(corpus)}.store"
    assert not prepare.cached(corpus)
    assert prepare.process_first(corpus) is True
    assert path.is_file() and prepare.cached(corpus)
    # what a kernel computes from the file is the processing itself
    assert process(corpus).tokens["term"].tolist() == [
        "the", "sea", "is", "calm", "ships", "sail", "wheat", "grows", "farmers", "sell", "it"]
    before = path.stat().st_mtime_ns
    assert prepare.process_first(corpus) is True  # cached already: not processed again
    assert path.stat().st_mtime_ns == before


def test_process_first_without_a_writable_cache_leaves_it_to_the_notebooks(make_corpus,
                                                                           monkeypatch,
                                                                           tmp_path):
    corpus = load_corpus(make_corpus({"a.txt": "One text."}))
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(config, "CACHE_DIR", blocked / "cache")
    assert prepare.process_first(corpus) is False


def test_process_first_does_not_fork_beside_other_threads(make_corpus):
    import threading

    corpus = load_corpus(make_corpus({"a.txt": "One text."}))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)  # as in a notebook kernel
    other.start()
    try:
        assert prepare.process_first(corpus) is False
    finally:
        stop.set()
        other.join()
    assert not prepare.cached(corpus)  # left to the notebooks
    assert prepare.process_first(corpus) is True  # alone again: processed first


def test_build_processes_the_corpus_before_the_notebooks(make_corpus, monkeypatch, tmp_path):
    folder = make_corpus({"a.txt": "The sea is calm.", "b.txt": "Wheat grows."})
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(notebooks / "01-x.ipynb",
                   [new_code_cell("CORPUS_DIR = None", metadata={"tags": ["parameters"]})])
    seen = []

    def notebooks_run(notebooks, corpus, *args):
        seen.append(prepare.cached(load_corpus(corpus)))
        return []

    monkeypatch.setattr(run, "_run_notebooks", notebooks_run)
    monkeypatch.setattr(run, "_check_parameters", lambda *args: None)
    monkeypatch.setattr(run, "write_index", lambda *args: None)
    build.build(corpus_dir=folder, out_dir=tmp_path / "out", notebooks_dir=notebooks)
    assert seen == [True]
