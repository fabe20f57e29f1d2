"""Tests of analysis.build.render: an executed notebook as an offline HTML page, code hidden,
corpus text escaped, the static files (package data) inside it (the toy build of
conftest.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import assert_loads_nothing_from_the_internet

from analysis.build import render


def _ok_html(built) -> str:
    return (built["out"] / "reports" / "01-ok.html").read_text(encoding="utf-8")


class _PageParser(HTMLParser):
    """The text a reader sees (without <script> and <style>) and every element's classes."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.classes: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name == "class" and value:
                self.classes.update(value.split())

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


OK_CODE = "paths = save_figure(fig, '01-x', FIGURES_DIR)"  # the ok notebook's last line


def _shown_code(page: str) -> list[str]:
    """What in a page shows a code cell's input: its text (highlighting splits it into spans,
    so the tags are stripped first) and the classes of nbconvert's code editor elements (a
    markdown cell's rendered text is a ``jp-InputArea`` too, so that class is no sign)."""
    parser = _PageParser()
    parser.feed(page)
    text = "".join(parser.text)
    found = [OK_CODE] if OK_CODE in text else []
    return found + sorted(parser.classes & {"jp-InputArea-editor", "jp-CodeMirrorEditor",
                                            "input_area"})


def test_code_is_hidden(built):
    page = _ok_html(built)
    assert _shown_code(page) == []
    code_cells = re.findall(r'class="(jp-Cell jp-CodeCell [^"]*)"', page)
    assert len(code_cells) == 7 and all("jp-mod-noInput" in c.split() for c in code_cells)
    assert "Hello corpus world." in "".join(_page_text(page))  # the outputs are shown


def test_code_check_finds_code_in_a_page_rendered_with_code(built, monkeypatch):
    """The check above can fail: the same renderer with code shown trips every part of it."""
    import nbformat  # not at collection: its schema checkers take seconds to import
    from nbconvert import HTMLExporter

    def with_code(**options):
        return HTMLExporter(**{**options, "exclude_input": False})

    nb = nbformat.read(built["notebooks"] / "01-ok.ipynb", as_version=4)
    assert _shown_code(render.render_html(nb, "ok")) == []
    monkeypatch.setattr(render, "_exporter_class", lambda: with_code)
    assert _shown_code(render.render_html(nb, "ok")) == [OK_CODE, "jp-CodeMirrorEditor",
                                                         "jp-InputArea-editor"]


def test_page_has_the_elements_of_nbconverts_own_page(monkeypatch):
    """The page is nbconvert's HTMLExporter's, element for element and attribute for
    attribute (its images' alt text, its focusable outputs), without its BeautifulSoup pass:
    both pages parsed by BeautifulSoup are the same."""
    import nbformat
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    v4 = nbformat.v4
    table = ("<table>\n  <tbody>\n    <tr>\n      <td>a &amp; b</td>\n    </tr>\n  </tbody>\n"
             "</table>")
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("# Title\n\n## Part one\n\nText with <br> and ![](x.png)."),
        v4.new_code_cell("x", outputs=[
            v4.new_output("display_data", {"text/html": table, "text/plain": "t"}),
            v4.new_output("display_data", {"image/png": "iVBORw0KGgo="}),
            v4.new_output("stream", name="stdout", text="  indented\n\n    <kept>\n"),
        ]),
    ])
    ours = render.render_html(nb, "t", "corpus", "today")
    monkeypatch.setattr(render, "_exporter_class", lambda: HTMLExporter)
    theirs = render.render_html(nb, "t", "corpus", "today")
    assert ours != theirs  # written differently ...
    assert 'tabindex="0"' in ours and "No description has been provided" in ours
    soup = [str(BeautifulSoup(page, features="html.parser")) for page in (ours, theirs)]
    assert soup[0] == soup[1]  # ... the same elements
    assert "  indented\n\n    &lt;kept&gt;" in ours  # a pre's whitespace is its text


def _page_text(page: str) -> list[str]:
    parser = _PageParser()
    parser.feed(page)
    return parser.text


def test_corpus_markup_reaches_html_only_escaped(built):
    page = _ok_html(built).lower()
    assert "<script>alert" not in page
    assert "<img src=x onerror" not in page
    # it is there, escaped, once from the DataFrame and once from print()
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 2


def test_report_loads_nothing_from_the_internet(built):
    assert_loads_nothing_from_the_internet(_ok_html(built))


def test_the_static_files_are_package_data_inlined_once_each(built):
    """The stylesheet and the table script are files of the package (listed as package data,
    so an installed copy has them) and reach the page whole, inline, once."""
    import tomllib

    from analysis import config

    pyproject = tomllib.loads((config.PROJECT_DIR / "pyproject.toml").read_text("utf-8"))
    from setuptools import find_packages

    found = pyproject["tool"]["setuptools"]["packages"]["find"]
    installed = find_packages(str(config.PROJECT_DIR), include=found["include"])
    assert "analysis.build" in installed
    # every folder of the package with an __init__.py is installed (the language folders too)
    folders = {".".join(p.parent.relative_to(config.PROJECT_DIR).parts)
               for p in config.PACKAGE_DIR.rglob("__init__.py")}
    assert folders <= set(installed) and "analysis.lang.zh" in folders
    data = pyproject["tool"]["setuptools"]["package-data"]["analysis"]
    for name in render.STATIC_FILES:
        assert f"build/*{name[name.index('.'):]}" in data, name
        assert (config.PACKAGE_DIR / "build" / name).is_file()
    page = _ok_html(built)
    for name, tag in (("report.css", '<style type="text/css">'), ("table.js", "<script>")):
        text = render.static_file(name)
        assert text.strip() and page.count(text) == 1, name
        assert f"{tag}\n{text}</" in page, name
    with pytest.raises(ValueError, match="not one of the build's files"):
        render.static_file("../config.py")
