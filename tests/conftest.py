"""Shared fixtures: toy corpora written into a temporary folder, the seeds processed, the CLI
run in-process."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

# nbformat imports jsonschema's format checkers, seconds on a loaded machine: it is imported
# where a notebook is written, so that collecting the tests (and running the others) does not
# pay for it.


def new_code_cell(*args, **kwargs):
    """``nbformat.v4.new_code_cell``, imported on first use."""
    from nbformat.v4 import new_code_cell as make

    return make(*args, **kwargs)


def new_markdown_cell(*args, **kwargs):
    """``nbformat.v4.new_markdown_cell``, imported on first use."""
    from nbformat.v4 import new_markdown_cell as make

    return make(*args, **kwargs)


def new_notebook(*args, **kwargs):
    """``nbformat.v4.new_notebook``, imported on first use."""
    from nbformat.v4 import new_notebook as make

    return make(*args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def session_cache(tmp_path_factory):
    """Module- and session-scoped fixtures (the seeds processed once) cache outside the project
    too: they are set up before the per-test ``private_cache``."""
    from analysis import config

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(config, "CACHE_DIR", tmp_path_factory.mktemp("session-cache"))
        yield


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Processed corpora are cached in a temporary folder, not in the project's .cache/."""
    from analysis import config

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path_factory.mktemp("cache"))


@pytest.fixture
def make_corpus(tmp_path):
    """Write ``{file name: text or bytes}`` into a fresh folder and return its path."""

    def make(files: dict[str, str | bytes], name: str = "corpus") -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for file_name, content in files.items():
            path = folder / file_name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        return folder

    return make


@pytest.fixture
def cli(capsys):
    """Run the command line in this process: ``cli(*argv)`` returns (status, stdout, stderr)."""
    from analysis.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run


# The toy corpus of the units and overview tests: a three-valued party, dates of three
# precisions, a number (see tests/test_units.py).
PARTY_TEXTS = {
    "a.txt": "Road road peace. Trade grows.\n",      # road 2, peace 1, trade 1, grows 1
    "b.txt": "Road trade. Trade trade peace.\n",     # road 1, trade 3, peace 1
    "c.txt": "Peace talks today. Road ahead.\n",     # peace, talks, today, road, ahead
    "d.txt": "Trade road road road.\n",              # trade 1, road 3
}
PARTY_METADATA = ("file,party,date,rating\n"
                  "a.txt,red,2020-01-15,1\n"
                  "b.txt,blue,2020-04,2\n"
                  "c.txt,green,2021,3\n"
                  "d.txt,red,2020-02-10,4\n")

# Toy corpora shared by the tests of compare, similarity and topics.
SEA = "The ships sail from the harbour to the sea. "
FARM = "The farmers harvest wheat on the farm. "


def corpus_of(make_corpus, files, name="corpus", **extra):
    """A toy corpus written by ``make_corpus`` and processed."""
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    return process(load_corpus(make_corpus({**files, **extra}, name=name)))


@pytest.fixture
def two_docs(make_corpus):
    """Two processed documents (compare, similarity)."""
    # a: peace 2, road 1 (n=3); b: road 1, trade 1 (n=2); no stop words among them.
    return corpus_of(make_corpus, {"a.txt": "Peace road peace.", "b.txt": "Road trade."})


@pytest.fixture
def five_docs(make_corpus):
    """Five documents on two themes, the sea and the farm (topics, similarity)."""
    sea = [SEA, "Sailors load the ships in the harbour. ", "The sea is calm for ships. "]
    farm = [FARM, "Wheat grows on the farm in summer. ", "Farmers sell the wheat harvest. "]
    files = {
        "d1.txt": "".join(sea * 2), "d2.txt": "".join(farm * 2), "d3.txt": "".join(sea * 2),
        "d4.txt": "".join(farm * 2), "d5.txt": "".join(sea + farm),
    }
    return corpus_of(make_corpus, files)


@pytest.fixture(scope="module")
def seeds():
    """The seed corpus, processed (text, framing and overview tests)."""
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    return process(load_corpus())


def toy(make_corpus, text, **extra):
    """One toy document ``t`` (and any further files, e.g. ``sections.csv``), processed."""
    return corpus_of(make_corpus, {"t.txt": text}, **extra)


def build_one_report(tmp_path, files: dict, notebook: str, name: str = "corpus", **options):
    """Write ``files`` as a corpus folder, build only ``notebook`` on it, and return the
    corpus folder, the output folder and the build's result."""
    import shutil

    from analysis import build, config

    corpus = tmp_path / name
    corpus.mkdir()
    for file_name, text in files.items():
        (corpus / file_name).write_text(text, encoding="utf-8")
    notebooks = tmp_path / f"notebooks-{name}"
    notebooks.mkdir()
    shutil.copy(config.NOTEBOOKS_DIR / notebook, notebooks)
    out = tmp_path / f"out-{name}"
    return corpus, out, build.build(corpus_dir=corpus, out_dir=out, notebooks_dir=notebooks,
                                    **options)


#: A toy CoNLL-U corpus annotated by hand (the ``toy_conllu`` fixture writes it).
#:
#: Two documents. ``dawn-1`` (outlet Dawn, 2020-08), one paragraph: "Song Tao praised the new
#: road. Roads don't end." ``nation-1`` (outlet The Nation), two paragraphs: "Pakistan builds
#: a road to China." / "Good roads matter." Counted by hand: 4 sentences; 23 tokens (12 + 11;
#: ``don't`` is the two words ``do`` and ``n't``), of which 19 are words (4 full stops); the
#: lemma ``road`` 4 times; entities ``Song Tao`` (PER, 2 tokens), ``Pakistan`` and ``China``
#: (GPE).
TOY_CONLLU = """\
# newdoc id = dawn-1
# meta::outlet = Dawn
# meta::date = 2020-08
# newpar
# text = Song Tao praised the new road.
1\tSong\tSong\tPROPN\tNNP\tNumber=Sing\t3\tnsubj\t_\tNER=B-PER
2\tTao\tTao\tPROPN\tNNP\tNumber=Sing\t1\tflat\t_\tNER=I-PER
3\tpraised\tpraise\tVERB\tVBD\tTense=Past\t0\troot\t_\tNER=O
4\tthe\tthe\tDET\tDT\tDefinite=Def\t6\tdet\t_\tNER=O
5\tnew\tnew\tADJ\tJJ\tDegree=Pos\t6\tamod\t_\tNER=O
6\troad\troad\tNOUN\tNN\tNumber=Sing\t3\tobj\t_\tNER=O|SpaceAfter=No
7\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\tNER=O

# text = Roads don't end.
1\tRoads\troad\tNOUN\tNNS\tNumber=Plur\t4\tnsubj\t_\t_
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
4\tend\tend\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_

# newdoc id = nation-1
# meta::outlet = The Nation
# newpar
# text = Pakistan builds a road to China.
1\tPakistan\tPakistan\tPROPN\tNNP\t_\t2\tnsubj\t_\tNER=B-GPE
2\tbuilds\tbuild\tVERB\tVBZ\t_\t0\troot\t_\t_
3\ta\ta\tDET\tDT\t_\t4\tdet\t_\t_
4\troad\troad\tNOUN\tNN\t_\t2\tobj\t_\t_
5\tto\tto\tADP\tIN\t_\t6\tcase\t_\t_
6\tChina\tChina\tPROPN\tNNP\t_\t4\tnmod\t_\tNER=B-GPE|SpaceAfter=No
7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

# newpar
# text = Good roads matter.
1\tGood\tgood\tADJ\tJJ\t_\t2\tamod\t_\t_
2\troads\troad\tNOUN\tNNS\t_\t3\tnsubj\t_\t_
3\tmatter\tmatter\tVERB\tVBP\t_\t0\troot\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

"""


@pytest.fixture
def toy_conllu(tmp_path):
    """The path of :data:`TOY_CONLLU` written as ``toy.conllu`` in a fresh folder."""
    path = tmp_path / "toy.conllu"
    path.write_text(TOY_CONLLU, encoding="utf-8")
    return path


# Toy notebooks of the build's tests (tests/test_build_*.py).
EVIL = "<script>alert(1)</script> and <img src=x onerror=alert(1)>"


def toy_params_cell():
    """The parameters cell of the toy notebooks."""
    return new_code_cell(
        "CORPUS_DIR = None\nFIGURES_DIR = None", metadata={"tags": ["parameters"]}
    )


def write_notebook(path: Path, cells) -> None:
    """Write a notebook of these cells."""
    import nbformat  # not at collection: its schema checkers take seconds to import
    nbformat.write(new_notebook(cells=cells), path)


def ok_notebook(path: Path) -> None:
    """A notebook that shows the corpus (escaped), where its kernel runs, and one figure."""
    write_notebook(
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
            toy_params_cell(),
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


def failing_notebook(path: Path) -> None:
    """A notebook whose third cell fails after saving a figure."""
    write_notebook(
        path,
        [
            new_markdown_cell("# Toy failure\n\n**Question:** What happens on an error?"),
            toy_params_cell(),
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


def stray_figure_notebook(path: Path) -> None:
    """A notebook that saves a figure without its prefix."""
    write_notebook(
        path,
        [
            new_markdown_cell("# Toy stray figure"),
            toy_params_cell(),
            new_code_cell(
                "import matplotlib.pyplot as plt\n"
                "from analysis.figures import save_figure\n"
                "save_figure(plt.figure(), 'no-prefix', FIGURES_DIR)"
            ),
        ],
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One build of three toy notebooks (:func:`ok_notebook`, :func:`failing_notebook`,
    :func:`stray_figure_notebook`), with PATH not leading to the venv's executables: the
    tests of the build's modules (tests/test_build_*.py) read what it made."""
    import hashlib
    import json
    import os

    from analysis import config
    from analysis.build import MANIFEST, build

    root = tmp_path_factory.mktemp("build")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Hello corpus world.\n", encoding="utf-8")
    (corpus / "evil.txt").write_text(EVIL + "\n", encoding="utf-8")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    ok_notebook(notebooks / "01-ok.ipynb")
    failing_notebook(notebooks / "02-fails.ipynb")
    stray_figure_notebook(notebooks / "03-stray.ipynb")
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
    (out / "reports" / MANIFEST).write_text(json.dumps({"files": {
        path.relative_to(out).as_posix(): hashlib.sha256(data).hexdigest()
        for path, data in previous.items()}}), encoding="utf-8")

    saved_path = os.environ.get("PATH")
    os.environ["PATH"] = str(root / "no-such-bin")
    try:
        # This session-scoped fixture runs before the per-test private cache is set up.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(config, "CACHE_DIR", root / "cache")
            result = build(corpus_dir=corpus, out_dir=out, notebooks_dir=notebooks,
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


class _AssetParser(HTMLParser):
    """The ``src`` and ``href`` of a page's scripts, links, images, frames and sources."""

    def __init__(self):
        super().__init__()
        self.assets: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "link", "img", "iframe", "source"}:
            for name, value in attrs:
                if name in {"src", "href"} and value is not None:
                    self.assets.append((tag, value))


def assert_loads_nothing_from_the_internet(text: str) -> None:
    """No script, link, image or frame of a page of the build comes from the internet."""
    parser = _AssetParser()
    parser.feed(text)
    remote = [a for a in parser.assets if a[1].lower().startswith(("http:", "https:", "//"))]
    assert remote == []
    assert "cdnjs" not in text and "cdn.jsdelivr" not in text and "unpkg.com" not in text
    assert "require.min.js" not in text and "mathjax" not in text.lower()


# The system Chromium, driven by Playwright (tests/test_browser.py, tests/test_explorer_page.py).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)")


@pytest.fixture
def browser():
    """A headless Chromium (Playwright), closed after the test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
