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


@pytest.mark.parametrize("damage", [b"not json", b'{"format": "other"}', b"[1, 2]",
                                    b'{"format": "analysis-file-index-1", "folder": "/x", '
                                    b'"files": {}}'])
def test_a_damaged_or_foreign_index_is_ignored(make_corpus, later, reads, damage):
    folder = make_corpus(TEXTS)
    first = terms(folder)
    path = fileindex.index_path(folder)
    assert path.exists()
    path.write_bytes(damage)
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
