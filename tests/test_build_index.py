"""Tests of analysis.build.index: the index page of the toy build of conftest.py."""

from __future__ import annotations

from conftest import assert_loads_nothing_from_the_internet


def _index_html(built) -> str:
    return (built["out"] / "reports" / "index.html").read_text(encoding="utf-8")


def test_index_links_reports_questions_and_figures(built):
    index = _index_html(built)
    assert 'href="01-ok.html"' in index
    assert "Does the &lt;toy&gt; build work?" in index
    # thumbnails copied into reports/, so the folder reads alone; each links its report
    assert '<img src="figures/01-x.png" alt="Figure 01-x">' in index
    assert (built["out"] / "reports" / "figures" / "01-x.png").is_file()
    assert 'href="01-ok.html#01-x"' in index
    assert "../" not in index
    assert "Toy failure" in index and "Failed" in index
    assert 'href="02-fails.log">Full log' in index
    log = (built["out"] / "reports" / "02-fails.log").read_text(encoding="utf-8")
    assert "toy failure <b>bold</b>" in log
    assert "&lt;b&gt;bold&lt;/b&gt;" in index
    assert "<b>bold" not in index


def test_index_loads_nothing_from_the_internet(built):
    assert_loads_nothing_from_the_internet(_index_html(built))
