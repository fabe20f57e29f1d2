"""Tests of analysis.build.run: a build from end to end (the toy build of conftest.py, and
small builds of their own)."""

from __future__ import annotations

import pytest
from conftest import write_notebook

from analysis import build
from tests.conftest import new_code_cell, new_markdown_cell


def _ok_html(built) -> str:
    return (built["out"] / "reports" / "01-ok.html").read_text(encoding="utf-8")


def test_ok_report_and_index_exist(built):
    out = built["out"]
    result = built["result"]
    assert result.reports == [(out / "reports" / "01-ok.html").resolve()]
    assert result.index == (out / "reports" / "index.html").resolve()
    assert result.index.is_file()
    assert "Toy OK" in _ok_html(built)


def test_missing_corpus_is_a_build_error(tmp_path):
    with pytest.raises(build.BuildError, match="corpus"):
        build.build(corpus_dir=tmp_path / "missing", out_dir=tmp_path, notebooks_dir=tmp_path)


def test_no_notebooks_is_a_build_error(tmp_path):
    with pytest.raises(build.BuildError, match="no notebook"):
        build.build(corpus_dir=tmp_path, out_dir=tmp_path / "out", notebooks_dir=tmp_path)


def test_describe_has_one_line_per_notebook(built):
    lines = build.describe(built["result"])
    assert lines[0].startswith("built ") and lines[0].endswith("(2 figure files)")
    assert lines[1].startswith("FAILED 02-fails.ipynb: cell 2")
    assert lines[2].startswith("FAILED 03-stray.ipynb")
    assert lines[3].startswith("index ")


def test_build_on_a_subset_injects_where_and_checks_it(tmp_path):
    import nbformat  # not at collection: its schema checkers take seconds to import
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Road one.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Road two.\n", encoding="utf-8")
    (corpus / "metadata.csv").write_text("file,party\na.txt,red\nb.txt,blue\n", encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(notebooks / "01-subset.ipynb", [
        new_markdown_cell("# Subset\n\n**Question:** Which documents?"),
        new_code_cell("CORPUS_DIR = None\nFIGURES_DIR = None\nWHERE = None",
                      metadata={"tags": ["parameters"]}),
        new_code_cell("from analysis.corpus import load_corpus\n"
                      "from analysis.text.process import process\n"
                      "from analysis.units import select\n"
                      "print('IDS=' + ','.join(select(process(load_corpus(CORPUS_DIR)), WHERE)"
                      ".corpus.ids))"),
    ])
    nb = nbformat.read(notebooks / "01-subset.ipynb", as_version=4)
    injected, index = build.inject_parameters(nb, corpus, tmp_path, ["party=blue"])
    assert "WHERE = ['party=blue']" in injected.cells[index].source
    result = build.build(corpus_dir=corpus, out_dir=tmp_path / "out", notebooks_dir=notebooks,
                         where=["party=blue"])
    assert not result.failures
    html = (tmp_path / "out" / "reports" / "01-subset.html").read_text(encoding="utf-8")
    assert "IDS=b" in html and "IDS=a" not in html
    with pytest.raises(build.BuildError, match="where 'party=green': no document"):
        build.build(corpus_dir=corpus, out_dir=tmp_path / "out2", notebooks_dir=notebooks,
                    where=["party=green"])
    assert not (tmp_path / "out2").exists()
