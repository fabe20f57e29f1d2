"""Lines that are not the text (analysis.text.boilerplate): repeated lines counted by hand,
their removal as logged cleaning, pattern files, header fields as document variables."""

from __future__ import annotations

import pytest

from analysis.corpus import load_corpus
from analysis.text.boilerplate import (
    read_header_fields,
    read_line_patterns,
    repeated_lines,
    with_line_rules,
)
from analysis.text.process import cache_key, process

# Five documents open with the same three header lines (one written with odd spaces, a
# non-breaking space and a CRLF line end; one in Urdu), one lone document has none.
HEADER = "THE DAILY NEWS\nBy Staff Reporter\n\u00a9 2020 Daily News Ltd\n"
FILES = {
    "a.txt": HEADER + "Trade talks resumed today.\n",                      # 4 lines
    "b.txt": HEADER + "Rain fell on the port.\n\nRain fell on the port.\n",  # 5 lines
    "c.txt": HEADER + "Prices rose.\n",                                    # 4 lines
    "d.txt": "THE DAILY NEWS\n  By  Staff\u00a0Reporter \n\u00a9 2020 Daily News Ltd\r\n"
             "Farmers protested.\n",                                       # 4 lines
    "e.txt": HEADER + "\u06a9\u0631\u0627\u0686\u06cc \u0645\u06cc\u06ba "
             "\u0628\u0627\u0631\u0634\n\u0634\u06c1\u0631 \u0628\u0646\u062f "
             "\u0631\u06c1\u0627\u06d4\n",                               # Urdu, 5 lines
    "f.txt": "A lone letter to the editor.\nIt has no header.\n",
}


@pytest.fixture
def corpus(make_corpus):
    return load_corpus(make_corpus(FILES))


def test_repeated_lines_counted_by_hand(corpus):
    # Six documents: a line is listed from max(3, 0.5 % of 6) = 3 documents. Each header
    # line is in a, b, c, d and e (d's spaces collapsed); "Rain fell on the port." is twice
    # in b only, so it counts once. From the end: a, c, d have 4 lines, b and e 5, so the
    # first line stands 4, 5, 4, 4, 5 from the end (median 4).
    table = repeated_lines(corpus)
    assert table.values.tolist() == [
        ["THE DAILY NEWS", 5, 0.8333, 1, 4],
        ["By Staff Reporter", 5, 0.8333, 2, 3],
        ["\u00a9 2020 Daily News Ltd", 5, 0.8333, 3, 2],
    ]
    assert list(table.columns) == ["line", "documents", "share", "paragraph", "from_end"]
    assert repeated_lines(corpus, min_documents=6).empty
    twice = repeated_lines(corpus, min_documents=1)
    assert twice.set_index("line").loc["Rain fell on the port.", "documents"] == 1


def test_a_lone_document_and_an_empty_corpus_have_no_repeated_line(make_corpus):
    assert repeated_lines(load_corpus(make_corpus({"f.txt": FILES["f.txt"]}))).empty
    folder = make_corpus({"x.txt": "Same.\n", "y.txt": "Same.\n"}, name="two")
    assert repeated_lines(load_corpus(folder)).empty  # 2 documents: fewer than 3
    assert repeated_lines(load_corpus(folder), min_documents=2)["documents"].tolist() == [2]


def test_drop_repeated_lines_removes_them_as_logged_cleaning(corpus):
    dropped = process(corpus.with_cleaning(drop_repeated_lines=3))
    assert dropped.texts["a"] == "Trade talks resumed today.\n"
    assert dropped.texts["d"] == "Farmers protested.\n"
    assert dropped.texts["f"] == FILES["f.txt"]  # the lone document is untouched
    assert dropped.texts["e"].startswith("\u06a9\u0631\u0627\u0686\u06cc")
    log = dropped.cleaning_log
    lines = log[log["kind"] == "boilerplate"]
    assert len(lines) == 15  # three lines in five documents
    assert set(lines["reason"]) == {"repeated line: in 5 documents (at least 3)"}
    # d's CRLF goes with its line: no normalization is logged for it.
    assert not (log["reason"] == "normalize CRLF line ending").any()
    raw = {doc.id: doc.raw for doc in corpus}
    for row in log.itertuples():
        assert raw[row.doc][row.position:row.position + len(row.before)] == row.before
    assert lines[lines["doc"] == "a"]["position"].tolist() == [0, 15, 33]
    assert corpus["a"].raw == FILES["a.txt"]  # the raw text is kept
    # Paragraphs keep their number in the raw file (the body of a is its 4th line).
    paragraphs = dropped.paragraphs
    assert paragraphs[paragraphs["doc"] == "a"]["paragraph"].tolist() == [4]
    assert repeated_lines(dropped).empty
    # The header lines are in five documents, not six: nothing goes at 6.
    kept = process(corpus.with_cleaning(drop_repeated_lines=6)).cleaning_log
    assert set(kept["kind"]) == {"normalization"}  # d's spaces and CRLF, now kept


def test_the_line_options_are_part_of_the_cache_key(corpus, tmp_path):
    patterns = tmp_path / "lines.txt"
    patterns.write_text("THE DAILY NEWS\n", encoding="utf-8")
    keys = {cache_key(corpus), cache_key(corpus.with_cleaning(drop_repeated_lines=3)),
            cache_key(corpus.with_cleaning(drop_repeated_lines=4)),
            cache_key(with_line_rules(corpus, drop_lines=patterns))}
    assert len(keys) == 4
    assert cache_key(with_line_rules(corpus, drop_lines=patterns)) == \
        cache_key(with_line_rules(corpus, drop_lines=patterns))
    patterns.write_text("By Staff Reporter\n", encoding="utf-8")  # the file's content counts
    assert cache_key(with_line_rules(corpus, drop_lines=patterns)) not in keys
    assert with_line_rules(corpus, drop_repeated_lines=None).cleaning == ()


def test_the_noise_report_lists_each_repeated_line_once_until_dropped(corpus):
    from analysis.overview import suspected_noise

    noise = suspected_noise(process(corpus))
    rows = noise[noise["kind"] == "repeated line"]
    assert rows[["doc", "paragraph", "position", "text"]].values.tolist() == [
        ["a", 1, 0, "THE DAILY NEWS"], ["a", 2, 15, "By Staff Reporter"],
        ["a", 3, 33, "\u00a9 2020 Daily News Ltd"]]
    assert rows["suggestion"].tolist()[0] == "remove: in 5 documents, usually paragraph 1"
    after = suspected_noise(process(corpus.with_cleaning(drop_repeated_lines=3)))
    assert "repeated line" not in set(after["kind"])


def test_line_patterns_remove_whole_lines_only(corpus, tmp_path):
    patterns = tmp_path / "lines.txt"
    # Line 3 matches part of a line only ("Prices rose." is kept); line 4 is a comment.
    patterns.write_text("\u00a9 \\d{4} .*\n\n(?i)the daily news\nPrices\n# By .*\n",
                        encoding="utf-8")
    assert [(n, p) for _, n, p in read_line_patterns(patterns)] == [
        (1, "\u00a9 \\d{4} .*"), (3, "(?i)the daily news"), (4, "Prices")]
    p = process(with_line_rules(corpus, drop_lines=patterns))
    assert p.texts["c"] == "By Staff Reporter\nPrices rose.\n"
    log = p.cleaning_log
    lines = log[log["kind"] == "boilerplate"]
    assert len(lines) == 10  # two lines in five documents
    assert lines["reason"].value_counts().to_dict() == {
        f"line pattern of {patterns}, line 1": 5, f"line pattern of {patterns}, line 3": 5}


def test_bad_pattern_files_are_one_line_naming_file_and_line(corpus, tmp_path, cli):
    folder = corpus.root
    cases = {
        "open.txt": ("THE DAILY NEWS\nCopyright (\n", "open.txt: line 2: pattern "
                     "'Copyright (' does not compile"),
        "huge.txt": ("(?:a{1000}){1000}\n", "huge.txt: line 1: pattern"),
    }
    for name, (text, expected) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        status, out, err = cli("freq", "--corpus", folder, "--drop-lines", str(path))
        assert (status, out) == (2, "")
        assert err.startswith("error: ") and expected in err and err.count("\n") == 1
    status, _, err = cli("freq", "--corpus", folder, "--drop-lines", str(tmp_path / "none"))
    assert status == 2 and "none: cannot be read" in err
    status, _, err = cli("freq", "--corpus", folder, "--drop-repeated-lines", "0")
    assert status == 2 and "--drop-repeated-lines 0: must be from 1" in err


def test_a_pattern_past_its_time_limit_is_refused_and_nothing_is_written(
        make_corpus, tmp_path, cli, monkeypatch):
    from analysis import config
    from analysis.text import boilerplate

    monkeypatch.setattr(boilerplate, "PATTERN_SECONDS", 0.05)
    folder = make_corpus({"a.txt": "a" * 60 + "b\nText.\n"}, name="slow")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    path = tmp_path / "slow.txt"
    path.write_text("# backtracks\n(a|aa)+\n", encoding="utf-8")
    status, out, err = cli("freq", "--corpus", str(folder), "--drop-lines", str(path))
    assert (status, out) == (2, "")
    assert f"{path}: line 2: pattern '(a|aa)+' ran longer than 0.05 s" in err
    assert err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not list(config.CACHE_DIR.glob("processed-*"))


# --------------------------------------------------------------------------- header fields

EXPORT = {
    "n1.txt": "DAWN\n5 January 2020\n1,204 words\nCopyright 2020 Dawn\nThe story one.\n",
    "n2.txt": "THE NATION\nJanuary 7, 2020\n87 words\nCopyright 2020 Nation\nStory two.\n",
    "n3.txt": "No header here.\nA second line.\nA third line.\n87 words\n",
}
FIELDS = ("# outlet, date, length\noutlet\t(DAWN|THE NATION)\ndate\t(.+ 20\\d\\d)\n"
          "wordcount\t([0-9,]+) words\n")


def test_header_fields_become_typed_variables_and_their_lines_go(make_corpus, tmp_path):
    from analysis import units

    folder = make_corpus(EXPORT, name="export")
    fields = tmp_path / "fields.tsv"
    fields.write_text(FIELDS, encoding="utf-8")
    assert [(n, name) for _, n, name, _ in read_header_fields(fields)] == [
        (2, "outlet"), (3, "date"), (4, "wordcount")]
    corpus = with_line_rules(load_corpus(folder), header_fields=fields, header_lines=3)
    table = units.variables(corpus)
    assert table[["doc", "outlet", "date", "wordcount"]].values.tolist() == [
        ["n1", "DAWN", "2020-01-05", "1204"], ["n2", "THE NATION", "2020-01-07", "87"],
        ["n3", "", "", ""]]  # n3's "87 words" is its 4th line, past the first 3
    assert {k: table.attrs["kinds"][k] for k in ("outlet", "date", "wordcount")} == {
        "outlet": "text", "date": "date", "wordcount": "number"}
    p = process(corpus)
    assert p.texts["n1"] == "Copyright 2020 Dawn\nThe story one.\n"
    assert p.texts["n3"] == EXPORT["n3.txt"]
    log = p.cleaning_log
    header = log[log["kind"] == "header"]
    assert header["reason"].tolist() == [f"header field {name} (a document variable)"
                                         for name in ("outlet", "date", "wordcount") * 2]
    assert header[header["doc"] == "n2"]["position"].tolist() == [0, 11, 27]
    # Only the first K lines are read: with K = 1, the outlet alone; with the default 10,
    # n3's fourth line too.
    one = with_line_rules(load_corpus(folder), header_fields=fields, header_lines=1)
    assert set(units.variables(one).columns) == {"doc", "outlet"}
    ten = with_line_rules(load_corpus(folder), header_fields=fields)
    assert units.variables(ten)["wordcount"].tolist() == ["1204", "87", "87"]
    # A header line that a pattern matches too is removed once, as a header.
    patterns = tmp_path / "lines.txt"
    patterns.write_text("DAWN|THE NATION\n", encoding="utf-8")
    both = process(with_line_rules(load_corpus(folder), header_fields=fields, header_lines=3,
                                   drop_lines=patterns))
    assert both.texts["n1"] == p.texts["n1"]
    assert both.cleaning_log["kind"].value_counts().to_dict() == {"header": 6}


def test_header_fields_on_the_command_line(make_corpus, tmp_path, cli):
    folder = make_corpus(EXPORT, name="export")
    fields = tmp_path / "fields.tsv"
    fields.write_text(FIELDS, encoding="utf-8")
    patterns = tmp_path / "lines.txt"
    patterns.write_text("Copyright \\d{4} .*\n", encoding="utf-8")
    status, out, err = cli("corpus", "--corpus", str(folder), "--header-fields", str(fields),
                           "--drop-lines", str(patterns), "--where", "wordcount>=100",
                           "--format", "csv")
    assert (status, err) == (0, "")
    header, row = out.splitlines()[:2]
    assert out.count("\n") == 2 and row.startswith("n1,n1,DAWN,2020-01-05,1204,1,1,3,")
    status, out, err = cli("freq", "--corpus", str(folder), "--header-fields", str(fields),
                           "--drop-lines", str(patterns), "--format", "csv")
    assert status == 0 and "dawn" not in out and "copyright" not in out and "story" in out


@pytest.mark.parametrize(("text", "expected"), [
    ("outlet (DAWN)\n", "line 1: expected NAME<TAB>REGEX (no tab)"),
    ("outlet\t(DAWN)\noutlet\t(NATION)\n", "line 2: field 'outlet' is named twice"),
    ("outlet\tDAWN\n", "line 1: pattern 'DAWN' has 0 groups, expected 1"),
    ("id\t(.+)\n", "line 1: field name 'id': expected a column name"),
    ("genre\t(.+)\n", "line 1: field 'genre' is a column of the corpus already"),
    ("date\t(DAWN)\n", "line 1: the date 'DAWN' of document 'n1' is not YYYY-MM-DD"),
])
def test_bad_header_fields_are_one_line_naming_file_and_line(make_corpus, tmp_path, cli,
                                                             text, expected):
    folder = make_corpus({**EXPORT, "metadata.csv": "file,genre\nn1.txt,news\n"},
                         name="export")
    fields = tmp_path / "fields.tsv"
    fields.write_text(text, encoding="utf-8")
    status, out, err = cli("corpus", "--corpus", str(folder), "--header-fields", str(fields))
    assert (status, out) == (2, "")
    assert f"{fields}: {expected}" in err and err.count("\n") == 1


# --------------------------------------------------------------------------- command line


def test_the_lines_command_before_and_after_dropping(corpus, cli):
    status, out, err = cli("lines", "--corpus", corpus.root, "--format", "csv")
    assert (status, err) == (0, "")
    assert out.splitlines() == ["line,documents,share,paragraph,from_end",
                                "THE DAILY NEWS,5,0.8333,1,4", "By Staff Reporter,5,0.8333,2,3",
                                "\u00a9 2020 Daily News Ltd,5,0.8333,3,2"]
    status, out, err = cli("lines", "--corpus", corpus.root, "--drop-repeated-lines", "5",
                           "--format", "csv")
    assert (status, err) == (0, "") and out.splitlines() == [
        "line,documents,share,paragraph,from_end"]
    status, out, _ = cli("lines", "--corpus", corpus.root, "--min-documents", "1",
                         "--format", "csv")
    assert status == 0 and "Rain fell on the port.,1," in out
    status, out, _ = cli("noise", "--corpus", corpus.root, "--format", "csv")
    assert status == 0 and out.count("repeated line") == 3


# --------------------------------------------------------------------------- the build


def test_build_parameters_are_checked_before_any_notebook_runs(corpus, tmp_path, monkeypatch,
                                                               make_corpus):
    from analysis import build
    from analysis.text import boilerplate

    bad = tmp_path / "bad.txt"
    bad.write_text("ok\n[unclosed\n", encoding="utf-8")
    monkeypatch.setattr(boilerplate, "PATTERN_SECONDS", 0.05)
    slow = tmp_path / "slow.txt"
    slow.write_text("(a|aa)+\n", encoding="utf-8")
    with pytest.raises(build.BuildError) as raised:
        build.build(corpus_dir=make_corpus({"a.txt": "a" * 60 + "b\n"}, name="slow"),
                    out_dir=tmp_path / "out", parameters={"DROP_LINES": str(slow)})
    assert str(raised.value).startswith(f"{slow}: line 1: pattern '(a|aa)+' ran longer")
    for parameters, expected in (
            ({"DROP_LINES": str(bad)}, f"{bad}: line 2: pattern '[unclosed' does not compile"),
            ({"DROP_REPEATED_LINES": 0}, "-p DROP_REPEATED_LINES=0: expected a whole number"),
            ({"HEADER_FIELDS": 3}, "-p HEADER_FIELDS=3: expected a file")):
        with pytest.raises(build.BuildError) as raised:
            build.build(corpus_dir=corpus.root, out_dir=tmp_path / "out", parameters=parameters)
        assert str(raised.value).startswith(expected)
    assert not (tmp_path / "out").exists()


def test_a_removed_line_is_not_repaired_or_normalised_too(make_corpus):
    # Mojibake and a curly quote inside a line that goes: one change, the removal.
    folder = make_corpus({f"{i}.txt": f"It\u00e2\u20ac\u2122s \u201cours\u201d\nBody {i}.\n"
                          for i in range(3)})
    p = process(load_corpus(folder).with_cleaning(drop_repeated_lines=3))
    assert [p.texts[str(i)] for i in range(3)] == ["Body 0.\n", "Body 1.\n", "Body 2.\n"]
    assert p.cleaning_log[["position", "kind"]].values.tolist() == [[0, "boilerplate"]] * 3


def test_report_01_built_with_the_line_parameters(tmp_path):
    from conftest import build_one_report
    from test_reports import visible

    fields = tmp_path / "fields.tsv"
    fields.write_text("outlet\t(THE DAILY NEWS)\n", encoding="utf-8")
    # The outlet line becomes a variable (5 documents), the other two header lines are in
    # 5 documents each: removed at 3. The notebook reads the corpus the build keyed.
    _, out, result = build_one_report(
        tmp_path, FILES, "01-corpus-overview.ipynb",
        parameters={"DROP_REPEATED_LINES": 3, "HEADER_FIELDS": str(fields), "HEADER_LINES": 1})
    assert not result.failures, result.failures
    page = " ".join(visible((out / "reports" / "01-corpus-overview.html")
                            .read_text("utf-8")).split())
    assert "No line is repeated in enough documents to be listed." in page
    assert "header header field outlet (a document variable) 5" in page
    assert "boilerplate repeated line: in 5 documents (at least 3) 10" in page
    assert "THE DAILY NEWS" in page  # the outlet, as a variable
