"""What each text of a corpus folder looked like when it was last read: the file index.

A warm command should not read every text to learn that none changed. Like git's index, the
cache keeps, per corpus folder, each text file's **stat signature** (size, modification time,
status-change time and inode, from one ``stat`` call) and the **SHA-256 of its text** as
read then. When a file's signature is unchanged its recorded digest stands for its text (the
cache key of :func:`analysis.text.process.process` is made of digests) and the file is not
read; any other file is read, checked and hashed again, as on a first load.

How a changed file is still noticed
-----------------------------------
Writing to a file sets its modification time *and* its status-change time (``ctime``) to
the current time; renaming another file over it gives another inode. ``ctime`` cannot be
set back by a user program (``touch -d``, ``os.utime`` and ``cp -p`` set the modification
time only, and set ``ctime`` to now), so a text rewritten with the same size and its old
modification time restored still has a new ``ctime``, and is read again.

Racy entries: a file changed twice within one tick of the file system's clock keeps the
same times. As git does ("racy git"), a file whose ``ctime`` or modification time is less
than :data:`RACY_NS` before the load started is read but not recorded, so it is read again
next time, when its times are old enough to tell any later change apart.

What this does not see: a file system that keeps no ``ctime`` (some network and FUSE file
systems report the modification time in its place), a clock set back, or bytes changed
beneath the file system (a disk edited directly). Deleting the cache folder (``make clean``)
makes every text be read again.

The index is a small JSON file in the cache folder (:data:`analysis.config.CACHE_DIR`),
named after the folder's resolved path, written atomically; one that cannot be read, or is
not in the expected shape, is ignored (every text is read), never trusted in part.

A corpus of one file
--------------------
A table (``.csv``, ``.jsonl``, ``.parquet``), a ``.zip`` or a ``.conllu`` file is parsed
whole to learn its documents, so a warm command cannot read only what changed: it either
parses the file again or not at all. Its **file record** (:func:`recorded_file`,
:func:`save_file`) keeps, per corpus file and reader options, the signature and SHA-256 of
the file and of each file the reader reads beside it (a CoNLL-U file's metadata file, or
that it has none), and what the parse gave that the cache key and the analyses need: each
document's id, file, metadata, sections and the digests of its text and tokens
(:func:`analysis.corpus.load_corpus` writes and reads it). A file whose signature is the
recorded one is not read at all; one whose signature changed is hashed (not parsed), and
its record stands when the hash is the recorded one (a file touched or copied back). Any
other change, to the file or to a file beside it (created, changed, removed), means the
corpus is parsed again. The signature is taken before the hash and the hash before the
parse, so a change during the load makes the next load hash and parse again; a racy
signature (see above) is recorded as none, so the next load hashes the file. A record is
made by one version of the readers (the SHA-256 of :mod:`analysis.corpus`, which holds the
table and zip readers, and of the modules of :mod:`analysis.readers` is in the record) and
ignored by any other: a reader mended in an upgrade parses the file again.

A folder unchanged as a whole
-----------------------------
Besides each text's entry, the cache keeps per folder a **folder record**
(:func:`recorded_folder`, :func:`save_folder`): the corpus as it was assembled (each
document's id, file, metadata, sections and text digest, in the checksummed array format of
:mod:`analysis.store`), with the signatures of every text and of ``metadata.csv`` and
``sections.csv`` taken before they were read. When the folder lists the same texts and every
signature is the recorded one, :func:`analysis.corpus.load_corpus` takes the corpus from the
record: one ``stat`` a file, no text, metadata or sections file read or parsed. Any other
state (a text or a side file changed, added or removed, a followed link, a racy signature
when the record would be written) falls back to the per-text index above, and the record is
written afresh. A record is made by one version of :mod:`analysis.corpus` (the SHA-256 of
its source, and of the language codes it checks, is in the record) and ignored by any
other.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import time
from pathlib import Path

from analysis import config, store

__all__ = ["drop_folder", "file_digest", "file_index_path", "folder_record_path", "index_path",
           "recorded", "recorded_file", "recorded_folder", "save", "save_file", "save_folder",
           "prune", "signature", "trusted"]

FORMAT = "analysis-file-index-1"
FILE_FORMAT = "analysis-file-record-1"
FOLDER_FORMAT = "analysis-folder-record-1"
#: Files whose status-change or modification time is less than this before the load
#: started are not recorded (see "Racy entries" above): 2 s, the coarsest clock of a
#: common file system (FAT's modification time).
RACY_NS = 2_000_000_000
#: How many folders' indexes the cache keeps (the least recently used go first).
KEEP = 32
#: How many one-file corpora's records the cache keeps: a folder of CoNLL-U files has one a
#: file, so a folder of up to this many files stays warm.
KEEP_FILES = 4096
# An index is about 100 bytes a file: this is room for a million files.
MAX_BYTES = 256 << 20


def signature(info: os.stat_result) -> tuple[int, int, int, int]:
    """The stat signature of a file: ``(size, mtime_ns, ctime_ns, inode)``.

    Examples
    --------
    >>> signature(os.stat(__file__))[0] == os.path.getsize(__file__)
    True
    """
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _cache_file(kind: str, key: str, suffix: str) -> Path:
    """The cache folder's file of this kind for ``key``: named after its SHA-256."""
    name = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return config.CACHE_DIR / f"{kind}-{name}.{suffix}"


def index_path(folder: Path) -> Path:
    """Where the index of a corpus folder is kept: in the cache folder, named after the
    folder's resolved path.

    Examples
    --------
    >>> index_path(Path("/data/speeches")).name.startswith("texts-")
    True
    """
    return _cache_file("texts", str(Path(folder).resolve()), "json")


def recorded(folder: Path) -> dict[str, tuple[tuple[int, int, int, int], bytes]]:
    """The recorded files of a folder: ``{file name: (signature, SHA-256 of its text)}``.

    Empty when there is no index, or when it cannot be read or is not in the expected shape
    (then every text is read again). A used index is marked recently used.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     recorded(Path(folder))
    {}
    """
    path = index_path(folder)
    try:
        data = json.loads(store.read_small(path, MAX_BYTES))
        if not isinstance(data, dict) or data.get("format") != FORMAT \
                or data.get("folder") != str(Path(folder).resolve()) \
                or not isinstance(data.get("files"), dict):
            return {}
        files = {}
        for name, entry in data["files"].items():
            if not (isinstance(entry, list) and len(entry) == 5
                    and all(type(v) is int for v in entry[:4]) and isinstance(entry[4], str)
                    and len(entry[4]) == 64):
                return {}
            files[name] = (tuple(entry[:4]), bytes.fromhex(entry[4]))
    except (OSError, store.StoreError, ValueError, RecursionError):
        return {}
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return files


def save(folder: Path, files: dict[str, tuple[tuple[int, int, int, int], bytes]],
         started_ns: int) -> None:
    """Record the files of a folder as read, leaving out the racy ones.

    ``files`` maps each text's file name to its signature (taken before it was read) and
    the SHA-256 of its text; ``started_ns`` is the time (:func:`time.time_ns`) when the load
    started, taken before any file was looked at.
    A file whose ``ctime`` or modification time is less than :data:`RACY_NS` before
    ``started_ns`` (or after it) is left out; with nothing left, the folder has no index.
    Written atomically (a temporary file renamed
    into place); a cache folder that cannot be written is no error (nothing is recorded).

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as folder:
    ...     with mock.patch.object(config, "CACHE_DIR", Path(cache)):
    ...         old = (4, 10**18, 10**18, 7)    # in 2001
    ...         new = (4, 10**18, time.time_ns(), 8)  # changed just now: racy
    ...         save(Path(folder), {"a.txt": (old, bytes(32)), "b.txt": (new, bytes(32))},
    ...              time.time_ns())
    ...         sorted(recorded(Path(folder)))
    ['a.txt']
    """
    bound = started_ns - RACY_NS
    entries = {name: [*sig, digest.hex()] for name, (sig, digest) in sorted(files.items())
               if sig[1] < bound and sig[2] < bound}
    path = index_path(folder)
    if not entries:  # nothing to trust: no index (none is written for a folder just made)
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        return
    data = json.dumps({"format": FORMAT, "folder": str(Path(folder).resolve()),
                       "files": entries}, separators=(",", ":")).encode()
    _write(path, data, "texts-*.json")


def trusted(sig: tuple[int, int, int, int], started_ns: int) -> bool:
    """Whether a signature taken at a load started at ``started_ns`` may stand for the file
    next time: neither its status-change nor its modification time is within
    :data:`RACY_NS` of the load (see "Racy entries" above).

    Examples
    --------
    >>> trusted((4, 10**18, 10**18, 7), time.time_ns()), trusted((4, 0, time.time_ns(), 7),
    ...                                                           time.time_ns())
    (True, False)
    """
    bound = started_ns - RACY_NS
    return sig[1] < bound and sig[2] < bound


def file_digest(path: Path) -> bytes:
    """The SHA-256 of a file's bytes, read a megabyte at a time (OSError if it cannot be).

    Examples
    --------
    >>> file_digest(Path(__file__)) == hashlib.sha256(Path(__file__).read_bytes()).digest()
    True
    """
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.digest()


def file_index_path(path: Path, options: str) -> Path:
    """Where the record of a corpus file read with these reader ``options`` is kept.

    Examples
    --------
    >>> file_index_path(Path("/data/ewt.conllu"), "{}").name.startswith("corpus-")
    True
    """
    return _cache_file("corpus", f"{Path(path).resolve()}\0{options}", "json")


def recorded_file(path: Path, options: str, code: str | None = None) -> dict | None:
    """The record of a corpus file read with these reader options, or None (no record, or
    one that cannot be read or is not in the expected shape, or, where ``code`` is given,
    one written by code of another digest: after an upgrade of the reader, the file is
    parsed again).

    The record is ``{"files": [[path, signature or None, SHA-256 hex or None], ...],
    "corpus": ...}``: the corpus file and the files read beside it (a None digest: the
    file did not exist), and the corpus as :func:`analysis.corpus.load_corpus` wrote it. A
    used record is marked recently used.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as cache:
    ...     with mock.patch.object(config, "CACHE_DIR", Path(cache)):
    ...         save_file(Path("/data/a.csv"), "{}", [["/data/a.csv", None, "00" * 32]], {})
    ...         recorded_file(Path("/data/a.csv"), "{}")["files"]
    [['/data/a.csv', None, '0000000000000000000000000000000000000000000000000000000000000000']]
    """
    where = file_index_path(path, options)
    try:
        data = json.loads(store.read_small(where, MAX_BYTES))
        if not isinstance(data, dict) or data.get("format") != FILE_FORMAT \
                or data.get("path") != str(Path(path).resolve()) \
                or data.get("options") != options or not isinstance(data.get("files"), list) \
                or (code is not None and data.get("code") != code) \
                or not isinstance(data.get("corpus"), dict):
            return None
        for entry in data["files"]:
            if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
                    and (entry[1] is None or (isinstance(entry[1], list) and len(entry[1]) == 4
                                              and all(type(v) is int for v in entry[1])))
                    and (entry[2] is None or (isinstance(entry[2], str)
                                              and len(entry[2]) == 64))):
                return None
    except (OSError, store.StoreError, ValueError, RecursionError):
        return None
    with contextlib.suppress(OSError):
        os.utime(where)  # recently used: pruned last
    return data


def save_file(path: Path, options: str, files: list, corpus: dict, code: str = "") -> None:
    """Record a corpus file as read by code of digest ``code`` (see :func:`recorded_file`),
    atomically; a cache folder that cannot be written is no error (nothing is recorded)."""
    where = file_index_path(path, options)
    data = json.dumps({"format": FILE_FORMAT, "path": str(Path(path).resolve()),
                       "options": options, "code": code, "files": files, "corpus": corpus},
                      separators=(",", ":"), ensure_ascii=False).encode("utf-8",
                                                                         "surrogatepass")
    _write(where, data, "corpus-*.json", KEEP_FILES)


def folder_record_path(folder: Path) -> Path:
    """Where the folder record of a corpus folder is kept (see "A folder unchanged as a
    whole" above).

    Examples
    --------
    >>> folder_record_path(Path("/data/speeches")).name.startswith("folder-")
    True
    """
    return _cache_file("folder", str(Path(folder).resolve()), "store")


def recorded_folder(folder: Path, code: str) -> tuple[dict, dict] | None:
    """The folder record of a corpus folder made by the code of digest ``code``: its header
    (a JSON object) and its arrays, or None (no record, or one that is damaged, foreign, of
    another folder or of other code). A used record is marked recently used.

    The arrays are checked against their checksums (:func:`analysis.store.read`); what they
    mean is checked by the caller (:func:`analysis.corpus.load_folder`), which treats a
    record that does not fit as none.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> import numpy as np
    >>> with tempfile.TemporaryDirectory() as cache:
    ...     with mock.patch.object(config, "CACHE_DIR", Path(cache)):
    ...         save_folder(Path("/data"), "c0de", {"n": 1}, {"sigs": np.zeros(4, "<i8")})
    ...         header, arrays = recorded_folder(Path("/data"), "c0de")
    ...         other = recorded_folder(Path("/data"), "0ther")
    >>> header["n"], arrays["sigs"].tolist(), other
    (1, [0, 0, 0, 0], None)
    """
    path = folder_record_path(folder)
    try:
        arrays = store.read(path)
        header = json.loads(bytes(arrays.pop("header")).decode("utf-8", "surrogatepass"))
        if not isinstance(header, dict) or header.get("format") != FOLDER_FORMAT \
                or header.get("folder") != str(Path(folder).resolve()) \
                or header.get("code") != code:
            return None
    except (OSError, KeyError, store.StoreError, ValueError, RecursionError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return header, arrays


def save_folder(folder: Path, code: str, header: dict, arrays: dict) -> None:
    """Write the folder record of a corpus folder (see :func:`recorded_folder`) atomically,
    keeping the :data:`KEEP` most recently used; a cache folder that cannot be written is no
    error (nothing is recorded)."""
    import numpy as np

    path = folder_record_path(folder)
    data = json.dumps({**header, "format": FOLDER_FORMAT, "folder": str(Path(folder).resolve()),
                       "code": code}, separators=(",", ":"), ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        store.write(path, {**arrays, "header": np.frombuffer(
            data.encode("utf-8", "surrogatepass"), dtype=np.uint8)})
        prune(path.parent, "folder-*.store", KEEP)
    except OSError:
        pass


def drop_folder(folder: Path) -> None:
    """Remove the folder record of a corpus folder (a record that no longer fits).

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> import numpy as np
    >>> with tempfile.TemporaryDirectory() as cache:
    ...     with mock.patch.object(config, "CACHE_DIR", Path(cache)):
    ...         save_folder(Path("/data"), "c0de", {}, {"sigs": np.zeros(4, "<i8")})
    ...         drop_folder(Path("/data"))
    ...         recorded_folder(Path("/data"), "c0de")
    """
    with contextlib.suppress(OSError):
        folder_record_path(folder).unlink(missing_ok=True)


def prune(folder: Path, pattern: str, keep: int) -> None:
    """Remove all but the ``keep`` most recently used files of ``pattern`` in ``folder`` (by
    modification time: a file read is marked used with ``os.utime``).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as cache:
    ...     for k, name in enumerate(["a.json", "b.json", "c.json", "d.txt"]):
    ...         _ = (Path(cache) / name).write_text("")
    ...         os.utime(Path(cache) / name, (k, k))
    ...     prune(Path(cache), "*.json", 2)
    ...     sorted(p.name for p in Path(cache).iterdir())
    ['b.json', 'c.json', 'd.txt']
    """
    kept = []
    for entry in folder.glob(pattern):
        with contextlib.suppress(OSError):
            kept.append((entry.lstat().st_mtime, entry))
    for _, old in sorted(kept)[:-keep]:
        old.unlink(missing_ok=True)


def _write(path: Path, data: bytes, pattern: str, keep: int | None = None) -> None:
    """Write ``data`` into ``path`` atomically, keeping the ``keep`` (default :data:`KEEP`)
    most recently used files of ``pattern`` in its folder; an error to write is no error
    (nothing written)."""
    keep = KEEP if keep is None else keep
    tmp = path.parent / f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        prune(path.parent, pattern, keep)
    except OSError:  # a read-only cache folder: read every time
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _now_ns() -> int:
    """The current time in nanoseconds (:func:`time.time_ns`; one place for tests to move)."""
    return time.time_ns()
