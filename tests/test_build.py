"""Tests of analysis.build: toy notebooks executed on a toy corpus, one shared build."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis import build, config
from analysis.text import process

EVIL = "<script>alert(1)</script> and <img src=x onerror=alert(1)>"


def _params_cell():
    return new_code_cell(
        "CORPUS_DIR = None\nFIGURES_DIR = None", metadata={"tags": ["parameters"]}
    )


def _write_notebook(path: Path, cells) -> None:
    nbformat.write(new_notebook(cells=cells), path)


def _ok_notebook(path: Path) -> None:
    _write_notebook(
        path,
        [
            new_markdown_cell("# Toy OK\n\n**Question:** Does the <toy> build work?\n\nMore."),
            new_code_cell(
                "import sys\n"
                "from pathlib import Path\n"
                "import matplotlib.pyplot as plt\n"
                "import pandas as pd\n"
                "import analysis\n"
                "from analysis.figures import save_figure"
            ),
            _params_cell(),
            new_code_cell(
                "pd.set_option('display.max_colwidth', None)\n"
                "files = sorted(Path(CORPUS_DIR).glob('*.txt'))\n"
                "texts = {p.name: p.read_text(encoding='utf-8') for p in files}\n"
                "df = pd.DataFrame({'file': list(texts), 'text': list(texts.values())})\n"
                "df"
            ),
            new_code_cell("print(texts['evil.txt'])"),
            new_code_cell(
                "print('CWD=' + str(Path.cwd()))\n"
                "print('EXE=' + sys.executable)\n"
                "print('PKG=' + str(Path(analysis.__file__).parent))"
            ),
            new_code_cell(
                "fig, ax = plt.subplots()\n"
                "ax.bar(df['file'], df['text'].str.len())\n"
                "paths = save_figure(fig, '01-x', FIGURES_DIR)"
            ),
        ],
    )


def _failing_notebook(path: Path) -> None:
    _write_notebook(
        path,
        [
            new_markdown_cell("# Toy failure\n\n**Question:** What happens on an error?"),
            _params_cell(),
            new_code_cell(
                "# step 3: this cell fails\n"
                "import matplotlib.pyplot as plt\n"
                "from analysis.figures import save_figure\n"
                "save_figure(plt.figure(), '02-y', FIGURES_DIR)\n"
                "raise ValueError('toy failure <b>bold</b>')"
            ),
            new_code_cell("print('never reached')"),
        ],
    )


def _stray_figure_notebook(path: Path) -> None:
    _write_notebook(
        path,
        [
            new_markdown_cell("# Toy stray figure"),
            _params_cell(),
            new_code_cell(
                "import matplotlib.pyplot as plt\n"
                "from analysis.figures import save_figure\n"
                "save_figure(plt.figure(), 'no-prefix', FIGURES_DIR)"
            ),
        ],
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build of three toy notebooks, with PATH not leading to the venv's executables."""
    root = tmp_path_factory.mktemp("build")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Hello corpus world.\n", encoding="utf-8")
    (corpus / "evil.txt").write_text(EVIL + "\n", encoding="utf-8")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    _ok_notebook(notebooks / "01-ok.ipynb")
    _failing_notebook(notebooks / "02-fails.ipynb")
    _stray_figure_notebook(notebooks / "03-stray.ipynb")
    (notebooks / "scratch.ipynb").write_text("not a notebook", encoding="utf-8")

    out = root / "out"
    (out / "reports").mkdir(parents=True)
    (out / "figures").mkdir()
    previous = {
        out / "reports" / "02-fails.html": b"<html>previous report</html>",
        out / "figures" / "02-y.png": b"previous png",
        out / "figures" / "02-y.svg": b"previous svg",
    }
    for path, data in previous.items():
        path.write_bytes(data)
    # the last build's manifest lists them (without a corpus: the reports of any corpus)
    (out / "reports" / build.MANIFEST).write_text(json.dumps({"files": {
        path.relative_to(out).as_posix(): hashlib.sha256(data).hexdigest()
        for path, data in previous.items()}}), encoding="utf-8")

    saved_path = os.environ.get("PATH")
    os.environ["PATH"] = str(root / "no-such-bin")
    try:
        # This module-scoped fixture runs before the per-test private cache is set up.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(config, "CACHE_DIR", root / "cache")
            result = build.build(corpus_dir=corpus, out_dir=out, notebooks_dir=notebooks,
                                 jobs=3)
    finally:
        if saved_path is None:
            del os.environ["PATH"]
        else:
            os.environ["PATH"] = saved_path
    return {
        "result": result,
        "out": out,
        "notebooks": notebooks,
        "corpus": corpus,
        "previous": previous,
    }


def _ok_html(built) -> str:
    return (built["out"] / "reports" / "01-ok.html").read_text(encoding="utf-8")


def _index_html(built) -> str:
    return (built["out"] / "reports" / "index.html").read_text(encoding="utf-8")


def test_ok_report_and_index_exist(built):
    out = built["out"]
    result = built["result"]
    assert result.reports == [(out / "reports" / "01-ok.html").resolve()]
    assert result.index == (out / "reports" / "index.html").resolve()
    assert result.index.is_file()
    assert "Toy OK" in _ok_html(built)


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
    from nbconvert import HTMLExporter

    def with_code(**options):
        return HTMLExporter(**{**options, "exclude_input": False})

    nb = nbformat.read(built["notebooks"] / "01-ok.ipynb", as_version=4)
    assert _shown_code(build.render_html(nb, "ok")) == []
    monkeypatch.setattr(build, "HTMLExporter", with_code)
    assert _shown_code(build.render_html(nb, "ok")) == [OK_CODE, "jp-CodeMirrorEditor",
                                                         "jp-InputArea-editor"]


def _page_text(page: str) -> list[str]:
    parser = _PageParser()
    parser.feed(page)
    return parser.text


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


def test_corpus_markup_reaches_html_only_escaped(built):
    page = _ok_html(built).lower()
    assert "<script>alert" not in page
    assert "<img src=x onerror" not in page
    # it is there, escaped, once from the DataFrame and once from print()
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 2


class _AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "link", "img", "iframe", "source"}:
            for name, value in attrs:
                if name in {"src", "href"} and value is not None:
                    self.assets.append((tag, value))


@pytest.mark.parametrize("page", ["01-ok.html", "index.html"])
def test_pages_load_nothing_from_the_internet(built, page):
    text = (built["out"] / "reports" / page).read_text(encoding="utf-8")
    parser = _AssetParser()
    parser.feed(text)
    remote = [a for a in parser.assets if a[1].lower().startswith(("http:", "https:", "//"))]
    assert remote == []
    assert "cdnjs" not in text and "cdn.jsdelivr" not in text and "unpkg.com" not in text
    assert "require.min.js" not in text and "mathjax" not in text.lower()


def test_inject_parameters_places_cell_after_parameters_cell(tmp_path):
    nb = new_notebook(
        cells=[
            new_markdown_cell("# T"),
            new_code_cell("import x"),
            _params_cell(),
            new_code_cell("CORPUS_DIR = 'old'", metadata={"tags": ["injected-parameters"]}),
            new_code_cell("use(CORPUS_DIR)"),
        ]
    )
    result, index = build.inject_parameters(nb, tmp_path / "c", tmp_path / "f")
    assert index == 3
    sources = [c.source for c in result.cells]
    assert sources[2] == "CORPUS_DIR = None\nFIGURES_DIR = None"
    assert result.cells[3].metadata["tags"] == ["injected-parameters"]
    assert f"CORPUS_DIR = {str((tmp_path / 'c').resolve())!r}" in sources[3]
    assert f"FIGURES_DIR = {str((tmp_path / 'f').resolve())!r}" in sources[3]
    assert sources[4] == "use(CORPUS_DIR)"  # the stale injected cell was replaced
    assert len(result.cells) == 5
    assert len(nb.cells) == 5 and nb.cells[3].source == "CORPUS_DIR = 'old'"  # input untouched
    nbformat.validate(result)


def test_notebook_without_parameters_cell_fails_without_kernel(tmp_path):
    path = tmp_path / "05-noparams.ipynb"
    _write_notebook(path, [new_markdown_cell("# No params"), new_code_cell("1")])
    (tmp_path / "figs").mkdir()
    (tmp_path / "reps").mkdir()
    outcome = build.build_notebook(path, tmp_path, tmp_path / "figs", tmp_path / "reps")
    assert outcome.failure is not None
    assert outcome.failure.error == "ValueError"
    assert "parameters" in outcome.failure.message
    assert outcome.title == "No params"
    assert list((tmp_path / "figs").iterdir()) == []


def test_notebook_summary_convention():
    nb = new_notebook(
        cells=[
            new_code_cell("x = 1"),
            new_markdown_cell(
                "# Who speaks?\n\nInputs: the corpus.\n\n"
                "**Question:** Which voices\nspeak?\n\nEnd."
            ),
        ]
    )
    assert build.notebook_summary(nb) == ("Who speaks?", "Which voices speak?")
    fallback = new_notebook(cells=[new_markdown_cell("# Title\n\nFirst paragraph.")])
    assert build.notebook_summary(fallback) == ("Title", "First paragraph.")


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


def test_project_notebooks_follow_build_conventions():
    """Every notebooks/NN-*.ipynb has the title, question and parameters the build relies on."""
    problems = []
    for path in build.find_notebooks(config.NOTEBOOKS_DIR):
        nb = nbformat.read(path, as_version=4)
        title, question = build.notebook_summary(nb)
        if not nb.cells or nb.cells[0].cell_type != "markdown" or title is None:
            problems.append(f"{path.name}: first cell is not a markdown cell with a '# ' title")
        if "**Question:**" not in (nb.cells[0].source if nb.cells else ""):
            problems.append(f"{path.name}: first cell has no '**Question:**' paragraph")
        params = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        if len(params) != 1 or params[0].cell_type != "code":
            problems.append(f"{path.name}: needs exactly one code cell tagged 'parameters'")
        elif not all(
            re.search(rf"^{var} = None\b", params[0].source, re.MULTILINE)
            for var in ("CORPUS_DIR", "FIGURES_DIR")
        ):
            problems.append(
                f"{path.name}: parameters must set CORPUS_DIR = None, FIGURES_DIR = None"
            )
        # figures.STYLE lays figures out with the constrained engine; tight_layout() would
        # replace it and print a UserWarning into the report.
        if any("tight_layout" in c.source for c in nb.cells if c.cell_type == "code"):
            problems.append(f"{path.name}: calls tight_layout()")
    assert problems == []


def test_index_question_is_plain_text_without_markdown_marks():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# 09 Title\n\n**Question:** Which *we* against which `others`, and **how** much?"
    )])
    assert build.notebook_summary(nb) == (
        "09 Title", "Which we against which others, and how much?"
    )


def test_build_records_each_notebooks_time_for_the_next_build(tmp_path):
    # A build with only a failing notebook: quick, and its time counts too.
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _failing_notebook(notebooks / "02-fails.ipynb")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("One text.\n", encoding="utf-8")
    stale = str(tmp_path / "gone" / "01-gone.ipynb")
    config.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    (config.CACHE_DIR / "build-times.json").write_text(json.dumps({stale: 3.0}))
    assert build._read_times() == {stale: 3.0}
    build.build(corpus_dir=tmp_path / "corpus", out_dir=tmp_path / "out", notebooks_dir=notebooks)
    times = json.loads((config.CACHE_DIR / "build-times.json").read_text(encoding="utf-8"))
    assert list(times) == [str((notebooks / "02-fails.ipynb").resolve())]  # stale one dropped
    assert 0 < next(iter(times.values())) < 600


def test_notebooks_start_longest_first_by_time_else_by_size(tmp_path):
    sizes = {"01-a.ipynb": 10, "02-b.ipynb": 30, "03-c.ipynb": 20, "04-d.ipynb": 30}
    notebooks = []
    for name, size in sizes.items():
        (tmp_path / name).write_text("x" * size)
        notebooks.append(tmp_path / name)
    seconds = {str(tmp_path / "01-a.ipynb"): 3.0, str(tmp_path / "02-b.ipynb"): 6.5,
               str(tmp_path / "03-c.ipynb"): 5.1, str(tmp_path / "04-d.ipynb"): 5.1}
    # By time: 03 and 04 tie and keep file order.
    assert [nb.name for nb in build._longest_first(notebooks, seconds)] == [
        "02-b.ipynb", "03-c.ipynb", "04-d.ipynb", "01-a.ipynb"]
    # One without a time: by size, 02 and 04 tie.
    del seconds[str(tmp_path / "01-a.ipynb")]
    assert [nb.name for nb in build._longest_first(notebooks, seconds)] == [
        "02-b.ipynb", "04-d.ipynb", "03-c.ipynb", "01-a.ipynb"]


def test_unreadable_times_file_is_no_times_and_one_warning():
    path = config.CACHE_DIR / "build-times.json"
    path.write_text('{"/x/01-a.ipynb": 1.5, "/x/02-b.ipynb": 2}')
    assert build._read_times() == {"/x/01-a.ipynb": 1.5, "/x/02-b.ipynb": 2.0}
    planted = ['{"/x/01-a.ipynb": "slow", "/x/02-b.ipynb": 2}', "not json", "[1, 2]",
               '{"/x/01-a.ipynb": 1' + "0" * 400 + "}",  # float() of it overflows
               '{"/x/01-a.ipynb": NaN}', '{"/x/01-a.ipynb": -1}', '{"/x/01-a.ipynb": true}',
               '{"a": ' * 5000 + "1" + "}" * 5000,  # deeper than the parser goes
               '{"/x/01-a.ipynb": 1.5, "pad": "' + "x" * build.TIMES_LIMIT + '"}']
    for text in planted:
        path.write_text(text)
        with pytest.warns(process.CacheWarning, match="build-times.json") as caught:
            assert build._read_times() == {}, text[:40]
        assert len(caught) == 1
    path.unlink()
    os.mkfifo(path)  # a FIFO would block a plain read for ever
    with pytest.warns(process.CacheWarning, match="not a regular file"):
        assert build._read_times() == {}
    path.unlink()
    path.symlink_to(config.CACHE_DIR / "elsewhere.json")
    (config.CACHE_DIR / "elsewhere.json").write_text('{"/x/01-a.ipynb": 1.5}')
    with pytest.warns(process.CacheWarning, match="not a regular file"):
        assert build._read_times() == {}
    path.unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert build._read_times() == {}  # none yet: no warning


def test_build_on_a_subset_injects_where_and_checks_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Road one.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Road two.\n", encoding="utf-8")
    (corpus / "metadata.csv").write_text("file,party\na.txt,red\nb.txt,blue\n", encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _write_notebook(notebooks / "01-subset.ipynb", [
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
