"""The cache file format: arrays round-trip, and nothing but a sound regular file is read."""

from __future__ import annotations

import os

import numpy as np
import pytest

from analysis import config, store


def arrays():
    data, ends = store.pack_strings(["road", "", "Ürümqi", "\ud800"])  # a lone surrogate too
    return {"ids": np.array([3, 0, 7], dtype=np.int32), "gaps": np.array([1, 65535], np.uint16),
            "big": np.array([-(2**40)], dtype=np.int64), "flags": np.array([True, False]),
            "s.data": data, "s.ends": ends}


def test_arrays_round_trip_with_dtypes_and_strings(tmp_path):
    path = tmp_path / "a.store"
    store.write(path, arrays())
    back = store.read(path)
    assert list(back) == list(arrays())
    for name, values in arrays().items():
        assert back[name].dtype == values.dtype
        assert back[name].tolist() == values.tolist()
    assert store.unpack_strings(back["s.data"], back["s.ends"]) == ["road", "", "Ürümqi",
                                                                     "\ud800"]
    assert not back["ids"].flags.writeable  # a cached array cannot be changed in place
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_only_flat_arrays_of_known_dtypes_are_written(tmp_path):
    with pytest.raises(TypeError, match="cannot store x: float64"):
        store.write(tmp_path / "a.store", {"x": np.zeros(2)})
    with pytest.raises(TypeError, match="2 dimensions"):
        store.write(tmp_path / "a.store", {"x": np.zeros((2, 2), dtype=np.int32)})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("offset", [0, 9, 20, 50, 60, -3])
def test_any_flipped_byte_is_refused(tmp_path, offset):
    # Offsets: the magic, the header length, the checksum, the header, the body.
    path = tmp_path / "a.store"
    store.write(path, arrays())
    content = bytearray(path.read_bytes())
    content[offset] ^= 0x20
    path.write_bytes(bytes(content))
    with pytest.raises(store.StoreError):
        store.read(path)


@pytest.mark.parametrize("keep", [0, 7, 47, 60])
def test_a_truncated_file_is_refused(tmp_path, keep):
    path = tmp_path / "a.store"
    store.write(path, arrays())
    path.write_bytes(path.read_bytes()[:keep])
    with pytest.raises(store.StoreError):
        store.read(path)


def test_a_planted_pickle_is_not_read(tmp_path):
    import pickle

    path = tmp_path / "a.store"
    marker = tmp_path / "ran"
    path.write_bytes(pickle.dumps(_Exploit(str(marker))))
    with pytest.raises(store.StoreError, match="not a store file"):
        store.read(path)
    assert not marker.exists()


class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def plant(path, entries, body=b"", block=None):
    """A store file with a valid header checksum, holding any header one likes."""
    import hashlib
    import json

    header = json.dumps({"block": block or store.BLOCK, "arrays": entries}).encode()
    path.write_bytes(store.MAGIC + len(header).to_bytes(8, "little")
                     + hashlib.sha256(header).digest() + header + body)


def test_a_header_pointing_outside_the_file_is_refused(tmp_path):
    # A well-formed file (valid checksum) whose array lies past the end of the body.
    import hashlib

    body = b"\0" * 8
    path = tmp_path / "a.store"
    plant(path, [["x", "<i4", 100, 0, [hashlib.sha256(body).hexdigest()]]], body)
    with pytest.raises(store.StoreError, match="outside the file"):
        store.read(path)
    for entry in (["x", "|O", 1, 0, []],  # objects: pickles
                  ["x", "<i4", 2, 0.0, []], ["x", "<u2", 0.5, 0, []]):  # not whole numbers
        plant(path, [entry], body)
        with pytest.raises(store.StoreError, match="unexpected array"):
            store.read(path)
    plant(path, [["x", "<i4", 2, 0, []]], body)  # a block without its checksum
    with pytest.raises(store.StoreError, match="wrong checksums"):
        store.read(path)
    plant(path, [["x", "<i4", 1, 0, [hashlib.sha256(body[:4]).hexdigest()]]], body)
    with pytest.raises(store.StoreError, match="truncated or extended"):  # bytes after it
        store.read(path)


def test_one_array_or_a_slice_is_read_and_checked_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "BLOCK", 16)  # 4 int32 a block
    path = tmp_path / "a.store"
    values = np.arange(100, dtype=np.int32)
    store.write(path, {"a": values, "b": np.arange(10, dtype=np.int64)})
    with store.Reader(path) as reader:
        assert reader.read_range("a", 5, 14).tolist() == list(range(5, 14))
        assert reader.read_range("a", 4, 8).tolist() == [4, 5, 6, 7]  # one whole block
        assert reader.read_range("a", 98, 500).tolist() == [98, 99]
        assert reader.read_range("a", 7, 7).tolist() == []
        assert reader.read("b").tolist() == list(range(10))
        assert (reader.dtype("a"), reader.length("a")) == (np.dtype("<i4"), 100)
    content = bytearray(path.read_bytes())
    content[-8 * 10 - 4 * 100 + 4 * 30] ^= 1  # element 30 of "a" (block 7), before "b"
    path.write_bytes(bytes(content))
    with store.Reader(path) as reader:
        assert reader.read("b").tolist() == list(range(10))  # another array: still sound
        assert reader.read_range("a", 0, 28).tolist() == list(range(28))  # other blocks
        with pytest.raises(store.StoreError, match="checksum mismatch in a"):
            reader.read_range("a", 29, 30)
        with pytest.raises(store.StoreError, match="checksum mismatch in a"):
            reader.read("a")


def test_a_file_truncated_after_it_was_opened_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "BLOCK", 16)
    path = tmp_path / "a.store"
    store.write(path, {"a": np.arange(100, dtype=np.int32)})
    with store.Reader(path) as reader:
        os.truncate(path, path.stat().st_size - 40)
        assert reader.read_range("a", 0, 8).tolist() == list(range(8))
        with pytest.raises(store.StoreError, match="truncated"):
            reader.read("a")
    with pytest.raises(store.StoreError, match="outside the file"):
        store.Reader(path)


def test_a_file_replaced_after_it_was_opened_is_read_as_it_was(tmp_path):
    path = tmp_path / "a.store"
    store.write(path, {"a": np.arange(10, dtype=np.int32)})
    with store.Reader(path) as reader:
        store.write(path, {"a": np.zeros(10, dtype=np.int32)})  # renamed into place
        assert reader.read("a").tolist() == list(range(10))


def test_fifo_symlink_and_folder_are_refused_without_waiting(tmp_path):
    good = tmp_path / "good.store"
    store.write(good, arrays())
    fifo = tmp_path / "fifo.store"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came
    link = tmp_path / "link.store"
    link.symlink_to(good)
    folder = tmp_path / "folder.store"
    folder.mkdir()
    for path in (fifo, link, folder):
        with pytest.raises(store.StoreError, match="not a regular file"):
            store.read(path)
    with pytest.raises(FileNotFoundError):
        store.read(tmp_path / "absent.store")


def test_bad_string_offsets_are_refused():
    data, ends = store.pack_strings(["ab", "c"])
    with pytest.raises(store.StoreError, match="offsets"):
        store.unpack_strings(data, np.array([2, 5]))
    with pytest.raises(store.StoreError, match="UTF-8"):
        store.unpack_strings(np.frombuffer(b"\xff\xfe", dtype=np.uint8), np.array([2]))


def test_a_header_nested_too_deep_for_json_is_refused(tmp_path):
    # A planted file with a valid checksum whose header json cannot parse (recursion).
    import hashlib

    header = b"[" * 200_000
    digest = hashlib.sha256(header).digest()  # the header's own checksum
    path = tmp_path / "a.store"
    path.write_bytes(store.MAGIC + len(header).to_bytes(8, "little") + digest + header)
    with pytest.raises(store.StoreError, match="bad header: RecursionError"):
        store.read(path)


def test_written_files_follow_the_umask_and_leave_no_temporary_file(tmp_path):
    import stat

    old = os.umask(0o022)
    try:
        store.write(tmp_path / "a.store", arrays())
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.store").stat().st_mode) == 0o644  # others can read it
    (tmp_path / "b.store").mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(OSError):
        store.write(tmp_path / "b.store", arrays())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.store", "b.store"]


def test_an_array_spooled_in_parts_is_stored_as_the_whole_array(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "BLOCK", 16)  # parts across the blocks' bounds
    values = np.arange(0, 100, dtype=np.int64) * 7
    spool = store.Spool(tmp_path, np.uint16)
    for start, stop in ((0, 3), (3, 3), (3, 40), (40, 100)):
        spool.append(values[start:stop].astype(np.int32))
    assert spool.dtype == np.uint16 and len(spool) == 100
    store.write(tmp_path / "parts.store", {"ids": arrays()["ids"], "v": spool})
    store.write(tmp_path / "whole.store", {"ids": arrays()["ids"],
                                           "v": values.astype(np.uint16)})
    # the same bytes, checksums included, as the array written whole
    assert (tmp_path / "parts.store").read_bytes() == (tmp_path / "whole.store").read_bytes()
    assert spool.read().tolist() == values.tolist()
    with store.Reader(tmp_path / "parts.store") as reader:
        assert reader.read_range("v", 30, 35).tolist() == values[30:35].tolist()


class FullDisk:
    """A spool's file on a disk with ``room`` bytes left: a write past it writes what fits
    and fails with ENOSPC, as a full disk or a quota does."""

    def __init__(self, real, room):
        self.real, self.room = real, room

    def write(self, data):
        import errno

        if len(data) > self.room:
            self.real.write(bytes(data[:self.room]))
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.real.write(data)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.mark.parametrize("room", [0, 3, 6, 1000])
def test_a_spool_on_a_full_disk_keeps_the_array_in_memory(tmp_path, monkeypatch, room):
    import tempfile

    real = tempfile.TemporaryFile
    monkeypatch.setattr(store, "BLOCK", 4)
    monkeypatch.setattr(tempfile, "TemporaryFile",
                        lambda *args, **kwargs: FullDisk(real(*args, **kwargs), room))
    spool = store.Spool(tmp_path, np.uint16)
    spool.append(np.array([1, 2], dtype=np.int32))  # 4 bytes
    spool.append(np.array([3, 4, 5], dtype=np.int32))  # 6 bytes: past a room of 6
    spool.append(np.array([70_000], dtype=np.int32))  # widened
    assert spool.read().tolist() == [1, 2, 3, 4, 5, 70_000]
    store.write(tmp_path / "parts.store", {"v": spool})
    store.write(tmp_path / "whole.store", {"v": np.array([1, 2, 3, 4, 5, 70_000])})
    assert (tmp_path / "parts.store").read_bytes() == (tmp_path / "whole.store").read_bytes()


def test_processing_with_a_full_disk_gives_the_same_corpus(tmp_path, monkeypatch):
    import tempfile

    from analysis.corpus import load_corpus
    from analysis.text import process as processing

    expected = processing.compute(load_corpus())
    real = tempfile.TemporaryFile
    monkeypatch.setattr(tempfile, "TemporaryFile",
                        lambda *args, **kwargs: FullDisk(real(*args, **kwargs), 100))
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    processing.process.cache_clear()
    try:
        processed = processing.process(load_corpus())
        assert processed.tokens.equals(expected.tokens)
        assert [processed.texts[d] for d in processed.corpus.ids] == \
            [expected.texts[d] for d in expected.corpus.ids]
        assert list(tmp_path.glob("processed-*"))  # cached all the same
    finally:
        processing.process.cache_clear()


def test_a_spool_is_widened_when_a_part_does_not_fit_and_copied_without_the_kernel(
        tmp_path, monkeypatch):
    spool = store.Spool(tmp_path, np.uint16)
    spool.append(np.array([1, 65535], dtype=np.int32))
    spool.append(np.array([65536, 2], dtype=np.int32))
    monkeypatch.delattr(os, "copy_file_range")  # the copy read and written in pieces
    store.write(tmp_path / "a.store", {"gap": spool})
    back = store.read(tmp_path / "a.store")["gap"]
    assert back.dtype == np.int64 and back.tolist() == [1, 65535, 65536, 2]
    assert [p.name for p in tmp_path.iterdir()] == ["a.store"]  # the spool has no name


def test_a_writer_killed_while_copying_a_spool_leaves_no_cache_file(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    script = f"""
import os, sys, time
from pathlib import Path
import numpy as np
from analysis import store
folder = Path({str(tmp_path)!r})
spool = store.Spool(folder, np.uint8)
spool.append(np.zeros(1 << 20, dtype=np.uint8))
copy = store.Spool.copy_to
def slow(self, out):  # half the array written, then a pause: killed there
    os.write(out.fileno(), bytes(1 << 19))
    (folder / "writing").touch()
    time.sleep(60)
store.Spool.copy_to = slow
store.write(folder / "entry.store", {{"texts": spool}})
"""
    writer = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(600):
            if (tmp_path / "writing").exists():
                break
            time.sleep(0.05)
        assert (tmp_path / "writing").exists()
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    finally:
        writer.kill()
    assert not (tmp_path / "entry.store").exists()  # never half a file under the name
    left = [p.name for p in tmp_path.iterdir() if p.name != "writing"]
    assert len(left) == 1 and left[0].startswith("entry.store.") and left[0].endswith(".tmp")
    with pytest.raises(FileNotFoundError):
        store.Reader(tmp_path / "entry.store")
