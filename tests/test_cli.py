"""The command-line contract: formats, errors, exit codes and import cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from analysis.cli import main


def test_corpus_table_csv_and_json(capsys):
    assert main(["corpus"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split()[:2] == ["doc", "title"]
    assert "songtao-article" in table and "award-report" in table

    assert main(["corpus", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # every document variable of seeds/metadata.csv, then the sizes, then the language
    assert lines[0] == ("doc,title,author,outlet,date,date_inferred,genre,note,"
                        "paragraphs,sentences,words,types,ttr,language,lang_source")
    assert all(line.endswith(",en,detected") for line in lines[1:])
    assert len(lines) == 3

    assert main(["corpus", "--by", "section", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["section"] for r in records] == ["headline", "introduction", "article",
                                               "headline", "ceremony", "background",
                                               "commentary"]
    assert records[2]["voice"] == "Song Tao"


def test_corpus_on_another_folder(make_corpus, capsys):
    folder = make_corpus({"x.txt": "One sentence here. Another one!\n"})
    assert main(["corpus", "--corpus", str(folder), "--format", "json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert (record["doc"], record["sentences"], record["words"]) == ("x", 2, 5)


@pytest.mark.parametrize(
    "argv",
    [["nope"], ["corpus", "--format", "xml"], ["corpus", "--by", "word"], []],
)
def test_usage_errors_are_one_line_exit_2(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as info:  # argparse's own checks
        code = info.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error:" in err


def test_build_with_missing_corpus_is_one_line_exit_2(tmp_path, capsys):
    assert main(["build", "--corpus", str(tmp_path / "missing"),
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(tmp_path / "missing") in err
    assert not (tmp_path / "out").exists()


def test_module_entry_point_runs_without_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "analysis", "corpus", "--corpus",
                           str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == f"error: {tmp_path}: no .txt files in the corpus folder\n"


def test_kwic_does_not_import_plotting_or_machine_learning(tmp_path):
    # The first call processes the corpus and caches it; the second only reads the cache.
    # Neither imports NLTK: the fast sentence path splits every paragraph of the seeds (NLTK
    # would bring scikit-learn and scipy with it).
    code = ("import sys, io, contextlib\n"
            "from analysis.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert main(['kwic', 'road']) == 0\n"
            "print(sorted(m for m in ('matplotlib', 'sklearn', 'scipy', 'nltk', 'wordfreq',\n"
            "                         'vaderSentiment') if m in sys.modules))\n")
    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env=env).stdout.strip() for _ in range(2)]
    assert runs == ["[]", "[]"]
    assert len(list(tmp_path.glob("processed-*.store"))) == 1


def test_plain_text_lays_out_tables_as_pandas_does():
    """The fast layout of large tables equals DataFrame.to_string(index=False) on random
    tables of strings (wide characters, tabs, empty cells) and integers (negative, wider
    or narrower than their header), and declines anything else."""
    import random

    import pandas as pd

    from analysis.cli import _plain_lines

    def _plain_text(table):
        lines = _plain_lines(table)
        return None if lines is None else "\n".join(lines)

    rng = random.Random(7)
    alphabet = "ab XYZ-'éü中文\t"
    for _ in range(400):
        rows = rng.randint(1, 5)
        columns = {}
        for k in range(rng.randint(1, 5)):
            name = rng.choice(["doc", "n", "a long header", "left\tside"]) + str(k)
            kind = rng.choice(["str", "object", "int"])
            if kind == "int":
                values = [rng.randint(-10 ** rng.randint(0, 9), 10 ** rng.randint(0, 9))
                          for _ in range(rows)]
            else:
                values = pd.Series(["".join(rng.choice(alphabet)
                                            for _ in range(rng.randint(0, 9)))
                                    for _ in range(rows)],
                                   dtype=object if kind == "object" else "str")
            columns[name] = values
        table = pd.DataFrame(columns)
        assert _plain_text(table) == table.to_string(index=False)
    assert _plain_text(pd.DataFrame({"x": [1.5]})) is None
    assert _plain_text(pd.DataFrame({"x": ["a", None]})) is None
