"""Tests of analysis.build.parameters: the ``-p`` values of a build, each refused in one line
before any notebook runs."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("option, message", [
    ("TOP_N=1e309", "-p TOP_N=inf: expected a whole number from 0 to 1,000,000"),
    ("TOP_N=-3", "-p TOP_N=-3: expected a whole number"),
    ("TOP_N='ten'", "-p TOP_N='ten': expected a whole number"),
    ("KEY_TERMS={'a': 1}", "-p KEY_TERMS={'a': 1}: expected"),
    ("BY=nosuchcolumn", "-p BY: by 'nosuchcolumn': not a unit or document variable"),
    ("NODE=" + "[" * 3000 + "]" * 3000, "-p NODE: a value nested too deeply"),
    ("NODE=" + "[" * 150 + "]" * 150, "-p NODE=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["),
])
def test_parameters_are_checked_before_any_notebook_runs(tmp_path, cli, option, message):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Road and trade.\n", encoding="utf-8")
    status, out, err = cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "out"),
                           "-p", option)
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "out").exists()
