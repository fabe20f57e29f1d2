"""The file index (analysis.fileindex): a warm load reads no unchanged text, and every change
to the folder's texts (content, size, times, a file added or removed) is still noticed."""

from __future__ import annotations

import os
import time

import pytest

from analysis import fileindex
from analysis.corpus import CorpusError, load_corpus
from analysis.text import process as processing

TEXTS = {"a.txt": "Peace road peace.", "b.txt": "Road trade.", "c.txt": "Belt and road."}


@pytest.fixture
def later(monkeypatch):
    """Loads happen 10 s after the files were written: no file is racy, each is recorded."""
    monkeypatch.setattr(fileindex, "_now_ns", lambda: time.time_ns() + 10 * 10**9)


@pytest.fixture
def reads(monkeypatch):
    """The names of the texts read from disk, in order."""
    from analysis import corpus

    names = []
    real = corpus._read_file

    def counting(dir_fd, parts, gzipped=False):
        names.append(parts[-1])
        return real(dir_fd, parts, gzipped)

    monkeypatch.setattr(corpus, "_read_file", counting)
    return names


def terms(folder):
    """Word counts of the processed corpus, from the disk cache where it has them."""
    processing.process.cache_clear()
    tokens = processing.process(load_corpus(folder)).tokens
    return tokens[tokens["is_word"]]["term"].value_counts().to_dict()


def rewrite(path, text):
    """Write ``text`` into ``path``, until the file's status-change time has moved (the
    file system's clock ticks every few milliseconds)."""
    before = os.stat(path).st_ctime_ns
    path.write_text(text, encoding="utf-8")
    while os.stat(path).st_ctime_ns == before:
        time.sleep(0.01)
        path.write_text(text, encoding="utf-8")


def test_an_unchanged_corpus_is_not_read_again(make_corpus, later, reads, monkeypatch, cli):
    folder = make_corpus(TEXTS)
    first = terms(folder)
    assert first == {"road": 3, "peace": 2, "trade": 1, "belt": 1, "and": 1}
    assert sorted(reads) == ["a.txt", "b.txt", "c.txt"]
    key = processing.cache_key(load_corpus(folder))

    from analysis import corpus

    def fail(*args, **kwargs):
        raise AssertionError("a text was read")

    monkeypatch.setattr(corpus, "_read_file", fail)
    assert terms(folder) == first
    assert processing.cache_key(load_corpus(folder)) == key
    processing.process.cache_clear()
    status, out, err = cli("freq", "--corpus", str(folder), "--format", "csv")
    assert (status, err) == (0, "")
    # "belt and road" is one term of the word lists (a known multiword expression)
    assert out.splitlines()[1:3] == ["peace,2,250.0,1,0.8333", "road,2,250.0,2,0.5"]


@pytest.mark.parametrize("change", ["content", "size", "mtime", "added", "removed"])
def test_each_change_to_the_texts_is_noticed(make_corpus, later, reads, change):
    folder = make_corpus(TEXTS)
    terms(folder)
    key = processing.cache_key(load_corpus(folder))
    reads.clear()
    path = folder / "a.txt"
    info = os.stat(path)
    if change == "content":  # same size, and the old modification time put back
        rewrite(path, "Peace road piece.")
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        now = os.stat(path)
        assert (now.st_size, now.st_mtime_ns) == (info.st_size, info.st_mtime_ns)
        expected = {"road": 3, "peace": 1, "piece": 1, "trade": 1, "belt": 1, "and": 1}
    elif change == "size":
        rewrite(path, "Peace road peace. Peace.")
        expected = {"road": 3, "peace": 3, "trade": 1, "belt": 1, "and": 1}
    elif change == "mtime":  # the same text, touched: read again, the same key
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 10**9))
        expected = {"road": 3, "peace": 2, "trade": 1, "belt": 1, "and": 1}
    elif change == "added":
        path = folder / "d.txt"
        path.write_text("Trade and trade.", encoding="utf-8")
        expected = {"road": 3, "peace": 2, "trade": 3, "belt": 1, "and": 2}
    else:
        path.unlink()
        expected = {"road": 2, "trade": 1, "belt": 1, "and": 1}
    corpus = load_corpus(folder)
    # The load reads only the changed file (none at all when one was removed); processing
    # the changed corpus then reads the others as it needs them.
    assert reads == ([] if change == "removed" else [path.name])
    assert (processing.cache_key(corpus) == key) == (change == "mtime")
    assert terms(folder) == expected


def test_a_text_not_read_yet_is_read_on_use_and_refused_if_it_changed(make_corpus, later,
                                                                      reads):
    folder = make_corpus(TEXTS)
    eager = load_corpus(folder)
    lazy = load_corpus(folder)
    assert reads == ["a.txt", "b.txt", "c.txt"]  # the second load read nothing
    assert lazy == eager and hash(lazy) == hash(eager)
    assert lazy["b.txt" and "b"].raw == "Road trade."
    assert reads[-1] == "b.txt"
    rewrite(folder / "c.txt", "Belt and ROAD.")  # after the load: its text is not the recorded
    with pytest.raises(CorpusError, match=r"c\.txt: changed since the corpus was loaded"):
        lazy["c"].raw  # noqa: B018


def test_files_changed_just_before_the_load_are_read_every_time(make_corpus, reads):
    folder = make_corpus(TEXTS)  # written now: within RACY_NS of the load
    load_corpus(folder)
    load_corpus(folder)
    assert sorted(reads) == ["a.txt", "a.txt", "b.txt", "b.txt", "c.txt", "c.txt"]
    assert not fileindex.index_path(folder).exists()


def test_a_file_record_of_other_reader_code_is_not_used(toy_conllu, later, parses):
    import json

    first = terms(toy_conllu)
    path = fileindex.file_index_path(toy_conllu, "[]")
    data = json.loads(path.read_text())
    assert len(data["code"]) == 64
    load_corpus(toy_conllu)
    assert parses == ["toy.conllu"]  # the same code: the record stands
    data["code"] = "0" * 64  # written by another version of the reader
    path.write_text(json.dumps(data))
    assert terms(toy_conllu) == first
    assert parses == ["toy.conllu", "toy.conllu"]
    assert json.loads(path.read_text())["code"] != "0" * 64  # recorded afresh


@pytest.mark.parametrize("damage", [b"not json", b'{"format": "other"}', b"[1, 2]",
                                    b'{"format": "analysis-file-index-1", "folder": "/x", '
                                    b'"files": {}}'])
def test_a_damaged_or_foreign_index_is_ignored(make_corpus, later, reads, damage):
    folder = make_corpus(TEXTS)
    first = terms(folder)
    path = fileindex.index_path(folder)
    assert path.exists()
    path.write_bytes(damage)
    fileindex.drop_folder(folder)  # the per-text index alone
    reads.clear()
    assert terms(folder) == first
    assert sorted(reads) == ["a.txt", "b.txt", "c.txt"]  # every text read again


def test_an_entry_with_a_wrong_shape_spoils_the_whole_index(make_corpus, later, reads):
    import json

    folder = make_corpus(TEXTS)
    load_corpus(folder)
    path = fileindex.index_path(folder)
    data = json.loads(path.read_text())
    data["files"]["b.txt"][4] = "00"  # a digest that is too short
    path.write_text(json.dumps(data))
    assert fileindex.recorded(folder) == {}


def test_signature_is_size_times_and_inode(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("road", encoding="utf-8")
    info = os.stat(path)
    assert fileindex.signature(info) == (4, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def test_a_gzipped_text_stands_by_the_digest_of_its_text(make_corpus, later, reads):
    import gzip

    folder = make_corpus({"a.txt.gz": gzip.compress(b"Peace road peace."),
                          "b.txt": "Road trade."})
    eager = load_corpus(folder)
    lazy = load_corpus(folder)
    assert reads == ["a.txt.gz", "b.txt"]
    assert lazy == eager
    assert lazy["a"].raw == "Peace road peace."  # unpacked when first used
    assert reads == ["a.txt.gz", "b.txt", "a.txt.gz"]
    assert processing.cache_key(lazy) == processing.cache_key(eager)


def test_a_text_not_read_yet_is_found_from_another_working_directory(make_corpus, later,
                                                                     tmp_path, monkeypatch):
    folder = make_corpus(TEXTS)
    monkeypatch.chdir(folder.parent)
    load_corpus(folder.name)
    lazy = load_corpus(folder.name)  # a relative path
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert lazy["c"].raw == "Belt and road."


# A folder unchanged as a whole: the folder record (fileindex.recorded_folder).

FOLDER = {**TEXTS, "metadata.csv": "file,party,date,note\na.txt,labour,2020,NA\nb.txt,tory,,x\n",
          "sections.csv": "file,section,voice,first,last\nc.txt,intro,host,1,\n"}


def fields(corpus):
    """Everything a loaded corpus says about its documents."""
    return (corpus.root, corpus.missing,
            [(d.id, d.file, list(d.metadata.items()), d.sections, d.digest) for d in corpus])


def test_an_unchanged_folder_is_taken_from_its_record(make_corpus, later, monkeypatch):
    folder = make_corpus(FOLDER)
    eager = load_corpus(folder)
    key = processing.cache_key(eager)
    assert fileindex.folder_record_path(folder).exists()
    from analysis import corpus

    for name in ("_read_file", "read_text", "_csv_rows"):
        monkeypatch.setattr(corpus, name, lambda *a, **k: pytest.fail("a file was read"))
    warm = load_corpus(folder)
    assert fields(warm) == fields(eager)
    assert warm["a"].metadata["party"] == "labour" and warm["a"].metadata["note"] == ""
    assert "party" not in warm["c"].metadata  # a file metadata.csv does not list
    assert warm["c"].sections[0].voice == "host"
    assert warm == eager and hash(warm) == hash(eager)
    assert processing.cache_key(warm) == key
    # the recorded digest of the documents is the one computed afresh
    assert corpus.documents_digest(warm.documents) == corpus.documents_digest(
        tuple(warm.documents))
    monkeypatch.undo()
    assert warm["b"].raw == "Road trade."  # read when first used


@pytest.mark.parametrize("change", ["metadata", "sections", "sections added", "text",
                                    "text added"])
def test_each_change_to_a_recorded_folder_is_noticed(make_corpus, later, change):
    folder = make_corpus(FOLDER)
    load_corpus(folder)
    if change == "metadata":  # same size, the old modification time put back
        path = folder / "metadata.csv"
        info = os.stat(path)
        rewrite(path, FOLDER["metadata.csv"].replace("labour", "labor!"))
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        assert os.stat(path).st_size == info.st_size
        assert load_corpus(folder)["a"].metadata["party"] == "labor!"
    elif change == "sections":
        rewrite(folder / "sections.csv", FOLDER["sections.csv"].replace("host", "guest"))
        assert load_corpus(folder)["c"].sections[0].voice == "guest"
    elif change == "sections added":
        (folder / "sections.csv").unlink()
        load_corpus(folder)
        (folder / "sections.csv").write_text(FOLDER["sections.csv"], encoding="utf-8")
        assert load_corpus(folder)["c"].sections[0].voice == "host"
    elif change == "text":
        rewrite(folder / "b.txt", "Road trades")  # same size
        assert load_corpus(folder)["b"].raw == "Road trades"
    else:
        (folder / "d.txt").write_text("New road.", encoding="utf-8")
        assert load_corpus(folder).ids == ["a", "b", "c", "d"]


@pytest.mark.parametrize("damage", ["bytes", "code"])
def test_a_damaged_or_foreign_folder_record_is_ignored(make_corpus, later, reads,
                                                       monkeypatch, damage):
    from analysis import corpus

    folder = make_corpus(FOLDER)
    eager = load_corpus(folder)
    path = fileindex.folder_record_path(folder)
    if damage == "bytes":
        data = bytearray(path.read_bytes())
        data[-5] ^= 1  # a byte of the last array
        path.write_bytes(bytes(data))
    else:  # a record made by another version of the corpus module
        monkeypatch.setattr(corpus, "_folder_code", lambda: "0" * 64)
    reads.clear()
    read = []
    real = corpus.read_text
    monkeypatch.setattr(corpus, "read_text", lambda p: read.append(p.name) or real(p))
    assert fields(load_corpus(folder)) == fields(eager)
    # the texts from the per-text index (c.txt has sections: read to check their paragraphs)
    assert read == ["metadata.csv", "sections.csv"] and reads == ["c.txt"]


def test_a_folder_whose_first_text_has_no_metadata_row_is_recorded(make_corpus, later):
    # a.txt comes first and has no row: its metadata is its id alone
    folder = make_corpus({**TEXTS, "metadata.csv": "file,party\nb.txt,tory\nc.txt,labour\n"})
    eager = load_corpus(folder)
    assert [dict(doc.metadata) for doc in eager][:2] == [{"id": "a"},
                                                          {"party": "tory", "id": "b"}]
    assert fileindex.folder_record_path(folder).exists()
    assert fields(load_corpus(folder)) == fields(eager)


def test_a_folder_just_written_has_no_record(make_corpus):
    folder = make_corpus(FOLDER)  # written now: within RACY_NS of the load
    load_corpus(folder)
    assert not fileindex.folder_record_path(folder).exists()


# A corpus of one file: the file record (fileindex.recorded_file).

TABLE = "id,text,other\na,Peace road peace.,Belt.\nb,Road trade.,Road.\n"


@pytest.fixture
def parses(monkeypatch):
    """The names of the corpus files parsed (by the CoNLL-U and the table reader), in order."""
    from pathlib import Path

    from analysis import corpus
    from analysis.readers import conllu

    names = []

    def counting(real):
        def read(path, *args, **kwargs):
            names.append(Path(path).name)
            return real(path, *args, **kwargs)
        return read

    monkeypatch.setattr(conllu, "load_conllu", counting(conllu.load_conllu))
    monkeypatch.setattr(corpus, "load_table", counting(corpus.load_table))
    return names


def fail_to_parse(monkeypatch):
    from analysis import corpus
    from analysis.readers import conllu

    def fail(*args, **kwargs):
        raise AssertionError("the corpus file was parsed")

    monkeypatch.setattr(conllu, "load_conllu", fail)
    monkeypatch.setattr(corpus, "load_table", fail)


@pytest.fixture(params=["conllu", "csv"])
def one_file(request, toy_conllu):
    """A corpus of one file, with its word counts (by hand: conftest.TOY_CONLLU has 19 words,
    'road' and 'roads' twice each; TABLE's texts 'peace' 2, 'road' 2, 'trade' 1)."""
    if request.param == "conllu":
        return toy_conllu, {"road": 2, "roads": 2}
    path = toy_conllu.with_name("articles.csv")
    path.write_text(TABLE, encoding="utf-8")
    return path, {"peace": 2, "road": 2, "trade": 1}


def test_an_unchanged_file_is_not_parsed_again(one_file, later, parses, monkeypatch, cli):
    path, expected = one_file
    first = terms(path)
    assert {term: first[term] for term in expected} == expected
    assert sum(first.values()) == (19 if path.suffix == ".conllu" else 5)
    assert parses == [path.name]
    key = processing.cache_key(load_corpus(path))
    fail_to_parse(monkeypatch)
    assert terms(path) == first
    assert processing.cache_key(load_corpus(path)) == key
    processing.process.cache_clear()
    status, out, err = cli("freq", "--corpus", str(path), "--format", "csv", "--top", "1")
    assert (status, err) == (0, "")
    top = "road" if path.suffix == ".conllu" else "peace"  # twice each; ties go by term
    assert out.splitlines()[1].split(",")[:2] == [top, "2"]


@pytest.mark.parametrize("change", ["content", "touched", "copied back"])
def test_each_change_to_the_file_is_noticed(one_file, later, parses, change):
    path, _ = one_file
    terms(path)
    key = processing.cache_key(load_corpus(path))
    parses.clear()
    before, info = path.read_text(encoding="utf-8"), os.stat(path)
    if change == "content":  # same size, and the old modification time put back
        rewrite(path, before.replace("praised", "praises").replace("Peace road peace",
                                                                     "Peace road piece"))
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        now = os.stat(path)
        assert (now.st_size, now.st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    elif change == "touched":  # the same bytes: hashed again, not parsed
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 10**9))
    else:  # changed, then the old bytes written back: hashed again, not parsed
        rewrite(path, before + "\n")
        rewrite(path, before)
    corpus = load_corpus(path)
    assert parses == ([path.name] if change == "content" else [])
    assert (processing.cache_key(corpus) == key) == (change != "content")
    counts = terms(path)
    if change == "content" and path.suffix == ".conllu":
        assert (counts.get("praised"), counts["praises"]) == (None, 1)
    elif change == "content":
        assert (counts["peace"], counts["piece"]) == (1, 1)


@pytest.mark.parametrize("step", ["created", "changed", "removed"])
def test_a_change_to_the_metadata_file_is_noticed(toy_conllu, later, parses, step):
    meta = toy_conllu.with_name("toy.metadata.csv")
    if step != "created":
        meta.write_text("id,outlet\ndawn-1,Daily\n", encoding="utf-8")
    outlets = [load_corpus(toy_conllu)["dawn-1"].metadata["outlet"]]
    key = processing.cache_key(load_corpus(toy_conllu))
    assert parses == ["toy.conllu"]  # the second load parsed nothing
    if step == "created":
        meta.write_text("id,outlet\ndawn-1,Daily\n", encoding="utf-8")
    elif step == "changed":  # same size, old modification time put back
        info = os.stat(meta)
        rewrite(meta, "id,outlet\ndawn-1,Dairy\n")
        os.utime(meta, ns=(info.st_atime_ns, info.st_mtime_ns))
    else:
        meta.unlink()
    corpus = load_corpus(toy_conllu)
    outlets.append(corpus["dawn-1"].metadata["outlet"])
    assert parses == ["toy.conllu", "toy.conllu"]
    assert processing.cache_key(corpus) != key
    assert outlets == {"created": ["Dawn", "Daily"], "changed": ["Daily", "Dairy"],
                       "removed": ["Daily", "Dawn"]}[step]


def test_reader_options_are_part_of_the_record(tmp_path, later, parses):
    path = tmp_path / "articles.csv"
    path.write_text(TABLE, encoding="utf-8")
    assert load_corpus(path)["b"].raw == "Road trade."
    assert load_corpus(path, text_column="other")["b"].raw == "Road."
    assert load_corpus(path, text_column="other", id_column="id")["a"].raw == "Belt."
    assert parses == [path.name] * 3
    lazy = load_corpus(path)
    assert parses == [path.name] * 3
    assert lazy["b"].raw == "Road trade."  # the file parsed when a text is first used
    assert parses == [path.name] * 4


def test_a_document_not_parsed_yet_is_refused_if_the_file_changed(toy_conllu, later, parses):
    eager = load_corpus(toy_conllu)
    lazy = load_corpus(toy_conllu)
    assert parses == ["toy.conllu"]
    assert lazy == eager and hash(lazy) == hash(eager)
    assert lazy["nation-1"].tokens.layer("lemma")[:3] == ["Pakistan", "build", "a"]
    assert lazy["dawn-1"].raw == "Song Tao praised the new road. Roads don't end."
    assert parses == ["toy.conllu", "toy.conllu"]  # parsed once for both
    lazy = load_corpus(toy_conllu)
    rewrite(toy_conllu, toy_conllu.read_text(encoding="utf-8").replace("builds", "built"))
    with pytest.raises(CorpusError, match=r"toy\.conllu: changed since the corpus was loaded"):
        lazy["dawn-1"].raw  # noqa: B018


def test_a_file_changed_just_before_the_load_is_hashed_not_trusted(toy_conllu, parses):
    import json

    load_corpus(toy_conllu)  # written now: its signature is racy, recorded as none
    record = fileindex.recorded_file(toy_conllu, "[]")
    assert [entry[1] for entry in record["files"]] == [None, None]
    load_corpus(toy_conllu)
    assert parses == ["toy.conllu"]  # hashed, the same: not parsed
    path = fileindex.file_index_path(toy_conllu, "[]")
    data = json.loads(path.read_text())
    data["files"][0][2] = "0" * 64  # another digest recorded: parsed again
    path.write_text(json.dumps(data))
    load_corpus(toy_conllu)
    assert parses == ["toy.conllu", "toy.conllu"]


@pytest.mark.parametrize("damage", [b"not json", b'{"format": "other"}', b"[1, 2]",
                                    b"bad documents"])
def test_a_damaged_file_record_is_ignored(toy_conllu, later, parses, damage):
    import json

    first = terms(toy_conllu)
    path = fileindex.file_index_path(toy_conllu, "[]")
    if damage == b"bad documents":
        data = json.loads(path.read_text())
        data["corpus"]["documents"][0][4] = "00"
        damage = json.dumps(data).encode()
    path.write_bytes(damage)
    assert terms(toy_conllu) == first
    assert parses == ["toy.conllu", "toy.conllu"]


def test_a_zip_archive_keeps_its_metadata_and_sections(tmp_path, later, monkeypatch):
    import zipfile

    from analysis import corpus as corpus_module

    path = tmp_path / "speeches.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "Roads.\nPorts.\nTrade.")
        archive.writestr("b.txt", "Belt and road.")
        archive.writestr("metadata.csv", "file,party\na.txt,labour\nb.txt,NA\n")
        archive.writestr("sections.csv", "file,section,voice,first,last\n"
                                         "a.txt,opening,chair,1,2\n")
    eager = load_corpus(path)
    monkeypatch.setattr(corpus_module, "load_zip", lambda *args, **kwargs: 1 / 0)
    lazy = load_corpus(path)  # not read: the archive is unchanged
    assert lazy == eager and processing.cache_key(lazy) == processing.cache_key(eager)
    assert [(s.name, s.voice, s.first, s.last) for s in lazy["a"].sections] == \
        [("opening", "chair", 1, 2)]
    assert (lazy["a"].metadata["party"], lazy["b"].metadata["party"]) == ("labour", "")
    assert lazy.missing == (("party", "NA", 1),)
    with pytest.raises(ZeroDivisionError):  # a text asked for: the archive is read
        lazy["b"].raw  # noqa: B018
