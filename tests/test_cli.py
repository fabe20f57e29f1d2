"""The command-line contract: formats, errors, exit codes and import cost."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

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


def test_table_output_is_laid_out_as_pandas_does(make_corpus, tmp_path, capsys):
    """Tables of strings and integers are printed as DataFrame.to_string(index=False) would
    print them (the CLI lays them out itself, line by line, as that is faster): integer
    headers get a leading space, every cell is right-justified to its column's widest cell,
    a tab shows as \\t; counted by hand on a toy text, then compared with pandas on random
    texts of wide characters, tabs, quotes and hyphens."""
    import random

    import pandas as pd

    folder = make_corpus({"a.txt": "Hi there. Ok\t中文.\n"})
    assert main(["sentences", "--corpus", str(folder)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "doc  paragraph  sentence  start  end      text",
        "  a          1         1      0    9 Hi there.",
        "  a          1         2     10   16   Ok\\t中文.",
    ]

    rng = random.Random(7)
    alphabet = "ab XYZ-'éü中文\t"

    def words(n):
        return " ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
                        for _ in range(n))

    for k in range(20):
        rows = rng.randint(1, 4)
        table = tmp_path / f"random{k}.csv"
        pd.DataFrame({
            "id": [f"d{i}{words(1)}" for i in range(rows)],
            "text": [". ".join(words(rng.randint(1, 4)) for _ in range(rng.randint(1, 3)))
                     for _ in range(rows)],
        }).to_csv(table, index=False)
        printed = {}
        for fmt in ("table", "json"):
            assert main(["sentences", "--corpus", str(table), "--format", fmt]) == 0
            printed[fmt] = capsys.readouterr().out
        shown = pd.DataFrame(json.loads(printed["json"]))
        assert printed["table"] == shown.to_string(index=False) + "\n"



def test_float_columns_are_laid_out_as_pandas_does(make_corpus, capsys):
    """Tables with float columns (topic weights, diversity, readability) are printed as
    DataFrame.to_string(index=False) prints them: six decimals less the trailing zeros every
    cell of the column has; a column pandas writes otherwise (a missing value, a value past
    1e6 or nearer 0 than 1e-6) falls back to pandas. Compared with pandas on the tables of
    corpora of random lengths, and counted by hand on one."""
    import random

    import pandas as pd

    folder = make_corpus({"a.txt": "Road road plan. Road now.\n", "b.txt": "Peace.\n"})
    assert main(["diversity", "--corpus", str(folder), "--window", "1"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "doc  words  types  ttr  mattr  mtld",
        "  a      5      3  0.6    1.0   5.0",
        "  b      1      1  1.0    1.0   1.0",
    ]
    rng = random.Random(11)
    for k in range(6):
        files = {f"d{i}.txt": " ".join(rng.choice(["road", "plan", "peace", "trade", "x"])
                                       for _ in range(rng.randint(1, 40))) + ".\n"
                 for i in range(rng.randint(2, 5))}
        folder = make_corpus(files, f"random{k}")
        for command in (["diversity", "--window", "5"], ["readability"],
                        ["diversity", "--window", "1"]):
            printed = {}
            for fmt in ("table", "json"):
                assert main([*command, "--corpus", str(folder), "--format", fmt]) == 0
                printed[fmt] = capsys.readouterr().out
            shown = pd.read_json(io.StringIO(printed["json"]), orient="records",
                                 dtype=False, precise_float=True)
            assert printed["table"] == shown.to_string(index=False) + "\n"

# Every subcommand that prints a table, with arguments that give it rows on the seeds (lines,
# noise and duplicates find none there: their empty tables are written too).
TABLE_COMMANDS = {
    "corpus": [],
    "sentences": [],
    "freq": ["--top", "20"],
    "keyness": ["--target", "songtao-article", "--top", "10"],
    "kwic": ["road"],
    "collocates": ["road"],
    "trends": ["road", "--interval", "month"],
    "roads": [],
    "frames": [],
    "topics": ["--k", "3"],
    "sequences": [],
    "diversity": [],
    "readability": [],
    "dictionary": ["--dictionary", "{dictionary}"],
    "similarity": [],
    "duplicates": [],
    "scale": ["--model", "lss"],
    "lines": [],
    "noise": [],
    "sketch": ["road", "--corpus", "{conllu}"],
    "tokens": [],
}


def test_every_table_command_is_tested_with_parquet():
    from analysis.cli import HANDLERS

    # they write files of their own (reports, a matrix, an HTML page)
    own_files = {"build", "dfm", "explore"}
    assert set(TABLE_COMMANDS) == set(HANDLERS) - own_files


@pytest.mark.parametrize("command", sorted(TABLE_COMMANDS))
def test_parquet_holds_the_table_csv_prints(command, cli, tmp_path):
    import pandas as pd
    from conftest import TOY_CONLLU

    dictionary = tmp_path / "scheme.csv"
    dictionary.write_text("category,pattern\nroads,road*\ntrade,trade\n", encoding="utf-8")
    conllu = tmp_path / "toy.conllu"  # an annotated corpus, for the sketch
    conllu.write_text(TOY_CONLLU, encoding="utf-8")
    argv = [command, *(a.format(dictionary=dictionary, conllu=conllu)
                       for a in TABLE_COMMANDS[command])]
    status, csv_text, err = cli(*argv, "--format", "csv")
    assert (status, err) == (0, "")
    out = tmp_path / "table.parquet"
    status, printed, err = cli(*argv, "--format", "parquet", "--out", str(out))
    assert status == 0 and printed == ""
    table = pd.read_parquet(out)
    assert err == f"wrote {len(table)} rows to {out}\n"
    assert table.to_csv(index=False) == csv_text  # the same rows, columns and values
    as_read = pd.read_csv(io.StringIO(csv_text))
    assert list(table.columns) == list(as_read.columns) and len(table) == len(as_read)
    for column in as_read.columns[as_read.dtypes.map(lambda t: t.kind in "if")]:
        assert table[column].dtype.kind in "if", column  # numbers stay numbers
    if command not in ("lines", "noise", "duplicates"):
        assert len(table) > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scheme.csv", "table.parquet",
                                                          "toy.conllu"]
    status, tsv_text, _ = cli(*argv, "--format", "tsv")
    assert status == 0
    assert tsv_text == table.to_csv(index=False, sep="\t")
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(tsv_text), sep="\t"), as_read)


def test_parquet_keeps_document_variables_of_every_type(cli, make_corpus, tmp_path):
    import pandas as pd
    from conftest import PARTY_METADATA, PARTY_TEXTS

    from analysis.corpus import load_corpus
    from analysis.overview import summary
    from analysis.text.process import process

    corpus = make_corpus({**PARTY_TEXTS, "metadata.csv": PARTY_METADATA})
    out = tmp_path / "docs.parquet"
    status, csv_text, _ = cli("corpus", "--corpus", str(corpus), "--format", "csv")
    assert status == 0
    assert cli("corpus", "--corpus", str(corpus), "--format", "parquet",
               "--out", str(out))[0] == 0
    table = pd.read_parquet(out)
    assert table["date"].tolist() == ["2020-01-15", "2020-04", "2021", "2020-02-10"]
    assert table["words"].tolist() == [5, 5, 5, 4]
    assert table.to_csv(index=False) == csv_text
    expected = summary(process(load_corpus(corpus)), by="doc")  # the table, column types too
    assert list(table.columns[-2:]) == ["language", "lang_source"]  # the corpus table's end
    pd.testing.assert_frame_equal(table.iloc[:, :-2], expected.reset_index(drop=True))


def test_parquet_needs_a_file(cli):
    status, out, err = cli("freq", "--format", "parquet")
    assert (status, out) == (2, "")
    assert err == ("error: --format parquet writes a file, not to the terminal: give --out "
                   "FILE.parquet\n")


def test_out_is_refused_in_the_corpus_a_folder_or_a_missing_folder(cli, make_corpus, tmp_path):
    corpus = make_corpus({"a.txt": "Road and trade.\n"})
    for out, problem in [(corpus / "t.parquet", "inside the corpus, which is never written to"),
                         (tmp_path, "a folder; give a file name"),
                         (tmp_path / "no" / "t.parquet", f"no folder {tmp_path / 'no'}")]:
        status, printed, err = cli("freq", "--corpus", str(corpus), "--format", "parquet",
                                   "--out", str(out))
        assert (status, printed, err) == (2, "", f"error: --out {out}: {problem}\n")
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt"]


def test_out_writes_what_stdout_shows_and_replaces_a_file_whole(cli, tmp_path, monkeypatch):
    import pandas as pd

    out = tmp_path / "freq.csv"
    out.write_text("an older table\n", encoding="utf-8")
    _, shown, _ = cli("freq", "--top", "5", "--format", "csv")
    assert cli("freq", "--top", "5", "--format", "csv", "--out", str(out))[0] == 0
    assert out.read_text(encoding="utf-8") == shown
    _, shown, _ = cli("freq", "--top", "5")
    assert cli("freq", "--top", "5", "--out", str(out))[0] == 0
    assert out.read_text(encoding="utf-8") == shown  # the table format too

    def half_written(self, path, **options):
        Path(path).write_bytes(b"PAR1 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", half_written)
    status, _, err = cli("freq", "--top", "5", "--format", "parquet", "--out", str(out))
    assert (status, err) == (1, f"error: cannot write --out {out}: No space left on device\n")
    assert out.read_text(encoding="utf-8") == shown  # the last file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["freq.csv"]  # no temporary left


def test_dictionary_out_is_the_table_except_with_sample(cli, tmp_path):
    import pandas as pd

    dictionary = tmp_path / "scheme.csv"
    dictionary.write_text("category,pattern\nroads,road*\n", encoding="utf-8")
    out = tmp_path / "coded.parquet"
    status, _, _ = cli("dictionary", "--dictionary", str(dictionary), "--format", "parquet",
                       "--out", str(out))
    assert status == 0
    assert pd.read_parquet(out)["category"].tolist() == ["roads"]
    sample = tmp_path / "sample.csv"
    status, _, err = cli("dictionary", "--dictionary", str(dictionary), "--sample", "2",
                         "--out", str(sample))
    assert status == 0 and "matches to code" in err
    assert pd.read_csv(sample)["category"].tolist() == ["roads", "roads"]
