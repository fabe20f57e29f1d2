"""Tests of analysis.build.notebooks: finding the notebooks, their conventions, injecting
parameters."""

from __future__ import annotations

import re

from conftest import toy_params_cell

from analysis import config
from analysis.build import notebooks
from tests.conftest import new_code_cell, new_markdown_cell, new_notebook


def test_inject_parameters_places_cell_after_parameters_cell(tmp_path):
    import nbformat  # not at collection: its schema checkers take seconds to import
    nb = new_notebook(
        cells=[
            new_markdown_cell("# T"),
            new_code_cell("import x"),
            toy_params_cell(),
            new_code_cell("CORPUS_DIR = 'old'", metadata={"tags": ["injected-parameters"]}),
            new_code_cell("use(CORPUS_DIR)"),
        ]
    )
    result, index = notebooks.inject_parameters(nb, tmp_path / "c", tmp_path / "f")
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
    assert notebooks.notebook_summary(nb) == ("Who speaks?", "Which voices speak?")
    fallback = new_notebook(cells=[new_markdown_cell("# Title\n\nFirst paragraph.")])
    assert notebooks.notebook_summary(fallback) == ("Title", "First paragraph.")


def test_index_question_is_plain_text_without_markdown_marks():
    import nbformat  # not at collection: its schema checkers take seconds to import
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# 09 Title\n\n**Question:** Which *we* against which `others`, and **how** much?"
    )])
    assert notebooks.notebook_summary(nb) == (
        "09 Title", "Which we against which others, and how much?"
    )


def test_project_notebooks_follow_build_conventions():
    """Every notebooks/NN-*.ipynb has the title, question and parameters the build relies on."""
    import nbformat  # not at collection: its schema checkers take seconds to import
    problems = []
    for path in notebooks.find_notebooks(config.NOTEBOOKS_DIR):
        nb = nbformat.read(path, as_version=4)
        title, question = notebooks.notebook_summary(nb)
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


def test_nbformat_is_imported_without_the_iri_grammar():
    """In a fresh process: nbformat (and jsonschema) imported, rfc3987_syntax not (no
    ``iri`` checker), and still importable after; notebooks still validated."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from analysis.build.notebooks import import_nbformat\n"
        "nbformat = import_nbformat()\n"
        "import jsonschema\n"
        "assert 'rfc3987_syntax' not in sys.modules\n"
        "assert 'iri' not in jsonschema.FormatChecker.checkers  # its grammar never built\n"
        "nbformat.validate(nbformat.v4.new_notebook())\n"
        "bad = nbformat.v4.new_notebook(); bad.cells = [{'cell_type': 'nonsense'}]\n"
        "try:\n"
        "    nbformat.validate(bad)\n"
        "    raise SystemExit('not validated')\n"
        "except nbformat.ValidationError:\n"
        "    pass\n"
        "import rfc3987_syntax\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=config.PROJECT_DIR, check=False)
    assert done.stdout == "ok\n", done.stderr
