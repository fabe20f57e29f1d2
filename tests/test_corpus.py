"""Loading a corpus folder: documents, metadata, sections and every kind of bad input."""

from __future__ import annotations

import hashlib
import re

import pytest

from analysis import config
from analysis.cli import main
from analysis.corpus import CorpusError, load_corpus

SEED_SHA256 = {
    "000_25f78f2dd7ffcf91.txt": "019725c031d2a028ff170215771109f225b97411d19b916bad1ab84b51ab34e6",
    "003_1564a39f4359748c.txt": "065dd5c3a75d551f68b57ee8843e884e8e2c853cce44caf569ad5cf37970da84",
}


def snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_seeds_are_byte_identical_to_the_shared_originals():
    for name, digest in SEED_SHA256.items():
        assert hashlib.sha256((config.SEEDS_DIR / name).read_bytes()).hexdigest() == digest


def test_seed_metadata_and_sections():
    corpus = load_corpus()
    assert corpus.ids == ["songtao-article", "award-report"]
    article = corpus["songtao-article"]
    assert article.metadata["author"] == "Song Tao"
    assert article.metadata["date_inferred"] == "yes"
    assert [(s.name, s.voice, s.first, s.last) for s in article.sections] == [
        ("headline", "newspaper", 1, 3),
        ("introduction", "newspaper", 4, 9),
        ("article", "Song Tao", 10, None),
    ]
    assert article.section_of(9).name == "introduction"
    assert article.section_of(19).voice == "Song Tao"
    award = corpus["award-report"]
    assert [s.name for s in award.sections] == ["headline", "ceremony", "background",
                                                "commentary"]


def test_raw_text_is_kept_exactly_as_read():
    corpus = load_corpus()
    raw = (config.SEEDS_DIR / "003_1564a39f4359748c.txt").read_bytes().decode("utf-8")
    assert corpus["award-report"].raw == raw


def test_documents_are_immutable():
    doc = load_corpus()["songtao-article"]
    with pytest.raises(AttributeError):
        doc.raw = "changed"
    with pytest.raises(TypeError):
        doc.metadata["title"] = "changed"


def test_ids_default_to_file_stem_and_files_are_sorted(make_corpus):
    folder = make_corpus({"b.txt": "Second text.", "a.txt": "First text."})
    corpus = load_corpus(folder)
    assert corpus.ids == ["a", "b"]
    assert corpus["a"].title == "a"
    with pytest.raises(KeyError, match="unknown document id 'c'; known: a, b"):
        corpus["c"]


def test_metadata_columns_and_id_override(make_corpus):
    folder = make_corpus({
        "a.txt": "Text.",
        "metadata.csv": "file,id,title,genre\na.txt,alpha,A title,report\n",
    })
    doc = load_corpus(folder)["alpha"]
    assert (doc.title, doc.metadata["genre"], doc.file) == ("A title", "report", "a.txt")


def test_bom_and_crlf_are_read_not_refused(make_corpus):
    folder = make_corpus({"a.txt": "\ufeffOne line.\r\nTwo lines.\r\n".encode()})
    doc = load_corpus(folder)["a"]
    assert doc.raw == "\ufeffOne line.\r\nTwo lines.\r\n"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a.txt": b"caf\xe9 au lait"}, "a.txt: not valid UTF-8 (byte 0xe9 at offset 3)"),
        ({"a.txt": ""}, "a.txt: empty file"),
        ({"a.txt": " \n\t\r\n"}, "a.txt: empty file"),
        ({"a.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "a.txt: binary file"),
        ({"a.txt": "Text.", "metadata.csv": "file\nmissing.txt\n"},
         "metadata.csv: file 'missing.txt' does not exist"),
        ({"a.txt": "Text.", "metadata.csv": "file\n../a.txt\n"},
         "metadata.csv: file '../a.txt' points outside the corpus folder"),
        ({"a.txt": "Text.", "metadata.csv": "file\n/etc/passwd\n"},
         "metadata.csv: file '/etc/passwd' points outside the corpus folder"),
        ({"a.txt": "A.", "b.txt": "B.", "metadata.csv": "file,id\na.txt,x\nb.txt,x\n"},
         "b.txt: duplicate document id 'x'"),
        ({"a.txt": "A.", "metadata.csv": "name\na.txt\n"}, "metadata.csv: missing column(s) file"),
        ({"notes.md": "not a corpus"}, "no .txt files in the corpus folder"),
        ({"a.txt": "A.", "sections.csv": "file,section,first,last\na.txt,x,3,2\n"},
         "sections.csv: section 'x' of a.txt: bad range"),
        ({"a.txt": "A.", "sections.csv": "file,section,first,last\na.txt,x,1,3\na.txt,y,2,\n"},
         "sections.csv: sections of a.txt overlap"),
    ],
)
def test_bad_input_is_refused_with_one_line(make_corpus, files, message):
    folder = make_corpus(files)
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_folder(tmp_path):
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "files",
    [{"a.txt": b"\xff\xfe bad"}, {"a.txt": ""}, {"a.txt": "A.", "metadata.csv": "file\nb.txt\n"}],
)
def test_cli_bad_corpus_exits_2_with_one_line(make_corpus, capsys, files):
    folder = make_corpus(files)
    before = snapshot(folder)
    assert main(["corpus", "--corpus", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and str(folder) in err
    assert "Traceback" not in err
    assert snapshot(folder) == before


def test_loading_and_processing_never_write_to_the_corpus_folder(make_corpus):
    from analysis.overview import summary
    from analysis.text.process import process

    folder = make_corpus({
        "a.txt": "\ufeffMr. Smith met H.E Arif Alvi.\r\nLeave a Reply\r\n",
        "metadata.csv": "file,title\na.txt,T\n",
    })
    before = snapshot(folder)
    summary(process(load_corpus(folder)))
    assert snapshot(folder) == before


# --------------------------------------------------------------------------- table corpora

FOLDER_TEXTS = {"a.txt": "Road road peace. Trade grows.\n", "b.txt": "Road trade. Trade again.\n",
                "c.txt": "Peace talks, \"quoted\" today.\n"}
FOLDER_METADATA = "file,party,date\na.txt,red,2020-01\nb.txt,blue,2020-02-03\nc.txt,red,2021\n"


def _rows():
    parties, dates = ["red", "blue", "red"], ["2020-01", "2020-02-03", "2021"]
    return [{"id": name[0], "text": text, "party": party, "date": date}
            for (name, text), party, date in zip(FOLDER_TEXTS.items(), parties, dates,
                                                 strict=True)]


def _write_table(folder, suffix):
    import pandas as pd

    path = folder / f"corpus{suffix}"
    table = pd.DataFrame(_rows())
    if suffix == ".csv":
        table.to_csv(path, index=False)
    elif suffix == ".jsonl":
        table.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        table.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_a_table_and_a_folder_of_the_same_texts_give_identical_tables(make_corpus, tmp_path,
                                                                      suffix):
    import pandas as pd

    from analysis.frequency import frequency
    from analysis.keyness import keyness
    from analysis.overview import summary
    from analysis.text.process import process

    folder = make_corpus({**FOLDER_TEXTS, "metadata.csv": FOLDER_METADATA})
    path = _write_table(tmp_path, suffix)
    before = path.read_bytes()
    from_folder, from_table = process(load_corpus(folder)), process(load_corpus(path))
    assert from_table.corpus.ids == ["a", "b", "c"]
    for make in (lambda p: frequency(p, by="party"), lambda p: summary(p, by="party"),
                 lambda p: keyness(p, "party=red", min_count=1),
                 lambda p: summary(p).drop(columns="title")):
        pd.testing.assert_frame_equal(make(from_folder), make(from_table))
    assert path.read_bytes() == before


def test_table_ids_default_to_the_row_number_and_columns_can_be_named(tmp_path):
    path = tmp_path / "speeches.csv"
    path.write_text("speaker,body\nKaine,First text.\nPence,Second text.\n", encoding="utf-8")
    corpus = load_corpus(path, text_column="body")
    assert corpus.ids == ["1", "2"]
    assert corpus["2"].raw == "Second text." and corpus["2"].metadata["speaker"] == "Pence"
    corpus = load_corpus(path, text_column="body", id_column="speaker")
    assert corpus.ids == ["Kaine", "Pence"]


@pytest.mark.parametrize("name, content, message", [
    ("t.csv", "id,body\n1,x\n", "t.csv: line 2: no column 'text' (use --text-column"),
    ("t.csv", "id,text\n1,Some text.\n2,   \n", "t.csv: line 3: empty text"),
    ("t.csv", "id,text\n1,One.\n1,Two.\n", "t.csv: line 3: duplicate document id '1'"),
    ("t.csv", "id,text\n1,One.,extra\n", "t.csv: line 2: 3 fields, the header has 2"),
    ("t.csv", 'id,text\n1,"One.\n2,Two.\n', "t.csv: line 2: unexpected end of data"),
    ("t.csv", "id,text,date\n1,One.,March 2020\n", "line 2: date 'March 2020' is not YYYY"),
    ("t.jsonl", '{"id": 1, "text": "One."}\n{"id": 2, "text": \n', "t.jsonl: line 2: not valid"),
    ("t.jsonl", '["One."]\n', "t.jsonl: line 1: not a JSON object"),
    ("t.parquet", "not parquet", "t.parquet: not a readable Parquet file"),
    ("t.csv", "id,text\n", "t.csv: no rows"),
])
def test_bad_tables_are_refused_naming_file_and_row(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=re.escape(message)):
        load_corpus(path)
    assert path.read_text(encoding="utf-8") == content


def test_parquet_binary_columns_are_read_as_utf8_text_or_refused_in_one_line(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "binary.parquet"
    pq.write_table(pa.table({
        "id": pa.array([b"a", b"b"], pa.binary()),
        "text": pa.array(["Caf\u00e9 roads.".encode(), b"The ports."], pa.binary()),
        "party": pa.array([b"red", None], pa.large_binary()),
        "tags": pa.array([[b"x", b"y"], []], pa.list_(pa.binary())),
    }), path)
    corpus = load_corpus(path)
    assert corpus.ids == ["a", "b"]  # not "b'a'"
    assert corpus["a"].raw == "Caf\u00e9 roads." and corpus["b"].raw == "The ports."
    assert corpus["a"].metadata["party"] == "red" and corpus["b"].metadata["party"] == ""
    assert corpus["a"].metadata["tags"] == '["x", "y"]'
    pq.write_table(pa.table({"text": pa.array([b"Fine.", b"caf\xe9"], pa.binary())}), path)
    before = path.read_bytes()
    with pytest.raises(CorpusError, match=re.escape(
            "binary.parquet: row 2: column 'text': bytes that are not UTF-8 (byte 0xe9 at "
            "offset 3)")):
        load_corpus(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", "metadata.csv"])
def test_more_columns_than_the_limit_are_refused_in_one_line(tmp_path, make_corpus,
                                                             monkeypatch, suffix):
    import pandas as pd

    from analysis import corpus as corpus_module

    monkeypatch.setattr(corpus_module, "MAX_COLUMNS", 5)
    for columns, refused in ((5, False), (6, True)):  # every column counts: id, text, file
        names = [f"v{i}" for i in range(columns - 2)]
        if suffix == "metadata.csv":
            header, row = ",".join(["v", *names]), ",".join("1" for _ in range(columns - 1))
            folder = make_corpus({"a.txt": "A text.", "metadata.csv":
                                  f"file,{header}\na.txt,{row}\n"}, name=f"corpus{columns}")
            path, shown = folder, "metadata.csv"
        else:
            table = pd.DataFrame({"id": ["a"], "text": ["A text."], **{n: [1] for n in names}})
            path, shown = tmp_path / f"t{columns}{suffix}", f"t{columns}{suffix}"
            if suffix == ".csv":
                table.to_csv(path, index=False)
            elif suffix == ".jsonl":
                table.to_json(path, orient="records", lines=True)
            else:
                table.to_parquet(path, index=False)
        if not refused:
            assert load_corpus(path).ids == ["a"] and \
                load_corpus(path)["a"].metadata["v0"] == "1"
            continue
        row = "line 1: " if suffix == ".jsonl" else ""  # rows of JSON Lines may differ
        with pytest.raises(CorpusError, match=re.escape(f"{shown}: {row}6 columns, more than "
                                                        "the limit of 5")):
            load_corpus(path)


def test_table_cells_longer_than_the_csv_default_limit_are_read(tmp_path):
    path = tmp_path / "long.csv"
    long = "word " * 40_000  # 200,000 characters, over csv's default field limit of 131,072
    path.write_text(f"id,text\n1,{long}\n", encoding="utf-8")
    assert load_corpus(path)["1"].raw == long  # kept exactly, as a text file is


def test_metadata_rows_that_do_not_parse_exactly_are_refused(make_corpus):
    folder = make_corpus({"a.txt": "A.", "b.txt": "B.",
                          "metadata.csv": 'file,title\na.txt,"open quote\nb.txt,fine\n'})
    with pytest.raises(CorpusError, match="metadata.csv: line 2: unexpected end of data"):
        load_corpus(folder)
    folder = make_corpus({"a.txt": "A.", "metadata.csv": "file,title\na.txt,one,two\n"},
                         name="extra")
    with pytest.raises(CorpusError, match="metadata.csv: line 2: 3 fields, the header has 2"):
        load_corpus(folder)


def test_table_texts_keep_their_white_space_and_must_be_strings(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('id,text,party\n1,"  Indented. ", red \n', encoding="utf-8")
    doc = load_corpus(path)["1"]
    assert doc.raw == "  Indented. " and doc.metadata["party"] == "red"
    nested = tmp_path / "t.jsonl"
    nested.write_text('{"id": 1, "text": ["a", "b"]}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="line 1: the text is a list or mapping"):
        load_corpus(nested)
    nested.write_text('{"id": 1, "text": "Peace.", "tags": ["a", "b"]}\n', encoding="utf-8")
    assert load_corpus(nested)["1"].metadata["tags"] == '["a", "b"]'


@pytest.mark.parametrize("content, options, message", [
    ("id,text\n1,Peace.\n", {"id_column": "key"}, "line 2: no column 'key' (use --id-column"),
    ("id,date,text\n1,2020\n", {}, "line 2: 2 fields, the header has 3"),
    ("id,text,party,party\n1,x,a,b\n", {}, "column 'party' is named twice"),
])
def test_tables_that_do_not_say_exactly_what_they_mean_are_refused(tmp_path, content, options,
                                                                    message):
    path = tmp_path / "t.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=re.escape(message)):
        load_corpus(path, **options)


# ------------------------------------------- a file swapped after the check, before the read


def _swap_after_the_check(monkeypatch, swap):
    """Run ``swap()`` between the check of the listed files and their reading (the sections
    are read in between), as another process could."""
    from analysis import corpus

    read_sections = corpus._read_sections

    def swapped(*args, **kwargs):
        swap()
        return read_sections(*args, **kwargs)

    monkeypatch.setattr(corpus, "_read_sections", swapped)


def test_a_file_swapped_for_a_link_out_of_the_folder_is_refused_not_read(make_corpus, tmp_path,
                                                                          monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("The password is swordfish.\n", encoding="utf-8")
    folder = make_corpus({"a.txt": "A text.\n", "b.txt": "B text.\n"})

    def swap():
        (folder / "b.txt").unlink()
        (folder / "b.txt").symlink_to(secret)

    _swap_after_the_check(monkeypatch, swap)
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    assert str(info.value) == (f"{folder / 'b.txt'}: a symbolic link appeared here while the "
                               "corpus was read; not followed")


def test_the_target_of_a_followed_link_swapped_for_a_link_is_refused(make_corpus, tmp_path,
                                                                     monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("The password is swordfish.\n", encoding="utf-8")
    folder = make_corpus({"z.txt": "Z text.\n"})
    (folder / "a.txt").symlink_to(folder / "z.txt")
    assert load_corpus(folder, follow_symlinks=True)["a"].raw == "Z text.\n"

    def swap():
        (folder / "z.txt").unlink()
        (folder / "z.txt").symlink_to(secret)

    _swap_after_the_check(monkeypatch, swap)
    with pytest.raises(CorpusError, match="a.txt: a symbolic link appeared here") as info:
        load_corpus(folder, follow_symlinks=True)
    assert "swordfish" not in str(info.value)


def test_a_file_swapped_for_a_fifo_is_refused_without_waiting(make_corpus, monkeypatch):
    import os
    import signal

    folder = make_corpus({"a.txt": "A text.\n", "b.txt": "B text.\n"})

    def swap():
        (folder / "b.txt").unlink()
        os.mkfifo(folder / "b.txt")  # opening it to read would wait for a writer

    def waited(signum, frame):
        raise TimeoutError("load_corpus waited on the FIFO")

    _swap_after_the_check(monkeypatch, swap)
    previous = signal.signal(signal.SIGALRM, waited)
    signal.setitimer(signal.ITIMER_REAL, 5)
    try:
        with pytest.raises(CorpusError) as info:
            load_corpus(folder)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert str(info.value) == f"{folder / 'b.txt'}: not a regular file"


def test_only_names_with_the_suffix_txt_are_documents(make_corpus):
    # ".txt" alone has no suffix (a hidden file named txt), "a.txt.bak" another suffix
    folder = make_corpus({"a.txt": "A.\n", ".txt": "hidden\n", "b.txt.bak": "old\n",
                          ".b.txt": "B.\n"})
    assert load_corpus(folder).ids == [".b", "a"]


def test_every_listed_file_is_checked_before_the_metadata_and_any_text_is_read(make_corpus):
    import os

    folder = make_corpus({"a.txt": b"\x00binary", "metadata.csv": "file\nmissing.txt\n"})
    (folder / "b.txt").symlink_to(folder / "a.txt")
    os.mkfifo(folder / "c.txt")
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    assert str(info.value).startswith(f"{folder / 'b.txt'}: a symbolic link; ")
    with pytest.raises(CorpusError) as info:
        load_corpus(folder, follow_symlinks=True)
    assert str(info.value) == f"{folder / 'c.txt'}: not a regular file"
    (folder / "c.txt").unlink()
    with pytest.raises(CorpusError) as info:
        load_corpus(folder, follow_symlinks=True)
    assert str(info.value) == (f"{folder / 'metadata.csv'}: file 'missing.txt' does not exist "
                               f"in {folder}")


def test_a_folder_on_the_way_to_a_followed_link_swapped_for_a_link_is_not_followed(
        make_corpus, tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text("The password is swordfish.\n", encoding="utf-8")
    folder = make_corpus({"z.txt": "Z text.\n"})
    (folder / "d").mkdir()
    (folder / "d" / "x.txt").write_text("X text.\n", encoding="utf-8")
    (folder / "a.txt").symlink_to("d/x.txt")
    assert load_corpus(folder, follow_symlinks=True)["a"].raw == "X text.\n"

    def swap():
        (folder / "d").rename(folder / "e")
        (folder / "d").symlink_to(outside)

    _swap_after_the_check(monkeypatch, swap)
    with pytest.raises(CorpusError) as info:
        load_corpus(folder, follow_symlinks=True)
    assert str(info.value) == (f"{folder / 'a.txt'}: a folder on the way to its target changed "
                               "while the corpus was read (Not a directory); not followed")


# ------------------------------------------- missing values and types (issue 26, item 4)

# gdp: 25000, missing, 9000, 100000, missing. Sorted as text, "100000" < "25000" < "9000";
# sorted as numbers, 9000 < 25000 < 100000. gdp>=20000 holds for a and d only.
GDP_TEXTS = ["Roads and ports.", "A railway.", "Trade grows.", "Peace talks.", "Ports again."]
GDP_CELLS = ["25000", "NA", "9000", "100000", "N/A"]


def _gdp_table(tmp_path, suffix):
    import pandas as pd

    path = tmp_path / f"gdp{suffix}"
    ids = ["a", "b", "c", "d", "e"]
    if suffix == ".csv":
        rows = [f"{i},{t},{g},{d}" for i, t, g, d in
                zip(ids, GDP_TEXTS, GDP_CELLS, ["2020", "null", "2021", "-", ""], strict=True)]
        path.write_text("id,text,gdp,date\n" + "\n".join(rows) + "\n", encoding="utf-8")
    elif suffix == ".jsonl":  # a string "NA", a JSON null, a NaN, a number
        lines = ['{"id": "a", "text": "Roads and ports.", "gdp": 25000, "date": "2020"}',
                 '{"id": "b", "text": "A railway.", "gdp": "NA", "date": null}',
                 '{"id": "c", "text": "Trade grows.", "gdp": 9000, "date": "2021"}',
                 '{"id": "d", "text": "Peace talks.", "gdp": 100000, "date": "-"}',
                 '{"id": "e", "text": "Ports again.", "gdp": NaN, "date": "NaN"}']
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:  # a float column with NaN, a text column with "N/A"
        pd.DataFrame({"id": ids, "text": GDP_TEXTS,
                      "gdp": [25000.0, float("nan"), 9000.0, 100000.0, float("nan")],
                      "date": ["2020", "N/A", "2021", None, "null"]}).to_parquet(path)
    return path


def _gdp_folder(make_corpus):
    files = {f"{i}.txt": t for i, t in zip("abcde", GDP_TEXTS, strict=True)}
    rows = [f"{i}.txt,{g},{d}" for i, g, d in
            zip("abcde", GDP_CELLS, ["2020", "NaN", "2021", "-", ""], strict=True)]
    return make_corpus({**files, "metadata.csv": "file,gdp,date\n" + "\n".join(rows) + "\n"})


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", "metadata.csv"])
def test_missing_values_are_missing_and_types_come_from_the_rest(make_corpus, tmp_path, cli,
                                                                 suffix):
    from analysis import units

    path = (_gdp_folder(make_corpus) if suffix == "metadata.csv"
            else _gdp_table(tmp_path, suffix))
    corpus = load_corpus(path)
    assert [d.metadata.get("gdp", "") for d in corpus] == ["25000", "", "9000", "100000", ""]
    assert [d.metadata.get("date", "") for d in corpus] == ["2020", "", "2021", "", ""]
    assert units.variables(corpus).attrs["kinds"] == {"gdp": "number", "date": "date"}
    status, out, err = cli("corpus", "--corpus", str(path), "--where", "gdp>=20000",
                           "--format", "csv")
    assert (status, err) == (0, "")
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["a", "d"]
    status, out, _ = cli("corpus", "--corpus", str(path), "--by", "gdp", "--format", "csv")
    assert status == 0
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["9000", "25000", "100000",
                                                                    "(none)"]
    status, out, _ = cli("corpus", "--corpus", str(path), "--where", "gdp=(none)",
                         "--format", "csv")
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["b", "e"]


def test_the_values_read_as_missing_are_listed(tmp_path, cli):
    path = _gdp_table(tmp_path, ".csv")
    assert load_corpus(path).missing == (("date", "-", 1), ("date", "null", 1),
                                         ("gdp", "N/A", 1), ("gdp", "NA", 1))
    status, _, err = cli("corpus", "--corpus", str(path), "--format", "csv")
    assert status == 0 and err == ""  # csv and json stay clean for programs
    status, out, _ = cli("corpus", "--corpus", str(path))
    assert status == 0
    assert out.splitlines()[-1] == ("read as missing: date '-' (1), date 'null' (1), "
                                    "gdp 'N/A' (1), gdp 'NA' (1)")


def test_a_text_column_keeps_values_that_only_look_missing_inside_words(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,text,note\n1,One.,NA\n2,Two.,NAB\n3,Three.,n-a\n", encoding="utf-8")
    corpus = load_corpus(path)
    assert [d.metadata["note"] for d in corpus] == ["", "NAB", "n-a"]


# ------------------------------------------- compressed corpora (issue 26, item 5)


def _zip(path, members: dict[str, bytes], links: dict[str, str] = ()):
    """A zip archive of ``members`` (name -> bytes) and of symbolic-link members."""
    import stat
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in dict(links).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return path


def _same_documents(first, second):
    assert first.ids == second.ids
    assert [d.raw for d in first] == [d.raw for d in second]
    assert [dict(d.metadata) for d in first] == [dict(d.metadata) for d in second]
    assert [d.sections for d in first] == [d.sections for d in second]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_gzipped_table_reads_as_the_plain_one(tmp_path, cli, suffix):
    import gzip

    plain = _write_table(tmp_path, suffix)
    packed = tmp_path / f"packed{suffix}.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    before = packed.read_bytes()
    _same_documents(load_corpus(packed), load_corpus(plain))
    status, out, err = cli("freq", "--corpus", str(packed), "--by", "party", "--format", "csv")
    assert (status, err) == (0, "")
    assert out == cli("freq", "--corpus", str(plain), "--by", "party", "--format", "csv")[1]
    assert packed.read_bytes() == before


def test_a_folder_of_gzipped_texts_reads_as_the_plain_folder(make_corpus):
    import gzip

    sections = "file,section,voice,first,last\na.txt,intro,red,1,1\n"
    plain = make_corpus({**FOLDER_TEXTS, "metadata.csv": FOLDER_METADATA,
                         "sections.csv": sections})
    packed = make_corpus({**{f"{name}.gz": gzip.compress(text.encode())
                             for name, text in FOLDER_TEXTS.items()},
                          "metadata.csv": FOLDER_METADATA.replace(".txt", ".txt.gz"),
                          "sections.csv": sections.replace(".txt", ".txt.gz")}, name="packed")
    before = snapshot(packed)
    corpus = load_corpus(packed)
    _same_documents(corpus, load_corpus(plain))
    assert corpus["a"].file == "a.txt.gz"
    assert snapshot(packed) == before


def test_a_zip_of_texts_reads_as_the_folder_without_unpacking(make_corpus, tmp_path, cli):
    plain = make_corpus({**FOLDER_TEXTS, "metadata.csv": FOLDER_METADATA})
    members = {name: (plain / name).read_bytes() for name in [*FOLDER_TEXTS, "metadata.csv"]}
    archive = _zip(tmp_path / "speeches.zip", members)
    wrapped = _zip(tmp_path / "wrapped.zip",  # one folder holding it all, as zipping a folder
                   {"speeches/": b"", **{f"speeches/{k}": v for k, v in members.items()}})
    listing = sorted(p.name for p in tmp_path.iterdir())
    _same_documents(load_corpus(archive), load_corpus(plain))
    _same_documents(load_corpus(wrapped), load_corpus(plain))
    assert load_corpus(archive)["b"].file == "b.txt"
    status, out, err = cli("corpus", "--corpus", str(archive), "--by", "party",
                           "--format", "csv")
    assert (status, err) == (0, "")
    assert out == cli("corpus", "--corpus", str(plain), "--by", "party", "--format", "csv")[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # nothing unpacked


@pytest.mark.parametrize("members, links, message", [
    ({"../evil.txt": b"Outside."}, {}, "member '../evil.txt' points outside the archive"),
    ({"/etc/evil.txt": b"Absolute."}, {}, "member '/etc/evil.txt' points outside the archive"),
    ({"a.txt": b"Fine."}, {"leak.txt": "/etc/passwd"}, "member 'leak.txt' is a symbolic link"),
    ({"a.txt": b"Fine.", "sub/b.txt": b"Nested."}, {},
     "member 'sub/b.txt' is in a subfolder"),
    ({"a.txt": b"\xff\xfe bad"}, {}, "a.txt: not valid UTF-8"),
    ({"a.txt": b"Fine.", "metadata.csv": b"file\nb.txt\n"}, {},
     "metadata.csv: file 'b.txt' does not exist in"),
    ({"notes.md": b"No texts."}, {}, "no .txt files in the archive"),
])
def test_a_zip_is_refused_as_a_folder_would_be(tmp_path, cli, members, links, message):
    archive = _zip(tmp_path / "c.zip", members, links)
    before = archive.read_bytes()
    with pytest.raises(CorpusError, match=re.escape(message)):
        load_corpus(archive)
    status, out, err = cli("corpus", "--corpus", str(archive))
    assert status == 2 and out == "" and len(err.splitlines()) == 1 and "c.zip" in err
    assert archive.read_bytes() == before


def test_compressed_files_past_the_size_limit_are_refused(tmp_path, make_corpus, monkeypatch):
    import gzip

    from analysis import corpus as corpus_module

    monkeypatch.setattr(corpus_module, "MAX_UNPACKED_BYTES", 1000)
    big = "word " * 1000  # 5,000 bytes, from a few dozen compressed
    table = tmp_path / "big.csv.gz"
    table.write_bytes(gzip.compress(f"id,text\n1,{big}\n".encode()))
    with pytest.raises(CorpusError, match=r"big\.csv\.gz: more than 1,000 bytes once unpacked"):
        load_corpus(table)
    folder = make_corpus({"a.txt.gz": gzip.compress(big.encode())})
    with pytest.raises(CorpusError, match=r"a\.txt\.gz: more than 1,000 bytes once unpacked"):
        load_corpus(folder)
    archive = _zip(tmp_path / "bomb.zip", {"a.txt": big.encode()})
    with pytest.raises(CorpusError, match=r"bomb\.zip/a\.txt: more than 1,000 bytes once "
                                          r"unpacked"):
        load_corpus(archive)
    # the limit holds for the whole archive, not only for each member
    archive = _zip(tmp_path / "many.zip", {f"{i}.txt": b"word " * 150 for i in range(3)})
    with pytest.raises(CorpusError, match=r"many\.zip: more than 1,000 bytes once unpacked"):
        load_corpus(archive)


@pytest.mark.parametrize("name, content, message", [
    ("t.csv.gz", b"id,text\n1,Not gzip.\n", "t.csv.gz: not a readable gzip file"),
    ("t.zip", b"not a zip", "t.zip: not a readable zip archive"),
])
def test_broken_compressed_files_are_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=re.escape(message)):
        load_corpus(path)
