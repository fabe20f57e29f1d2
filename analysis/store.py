"""Arrays on disk in one checksummed file that cannot run code: the processed-corpus cache.

The cache of :func:`analysis.text.process.process` used to be a pickle, and unpickling a file runs
whatever code it names: anyone who could write to the cache folder (a shared
``ANALYSIS_CACHE_DIR``, whose file names anyone can compute) could run code as the user.
numpy's ``.npz`` needs pickles for strings and Arrow's IPC reader is a large parser to trust
with planted bytes, so this module keeps its own small format, read with ``json`` and
``readinto`` numpy arrays alone::

    MAGIC                 8 bytes, b"ANSTORE1"
    header length         8 bytes, unsigned little-endian
    SHA-256               32 bytes, of the header and the body together
    header                UTF-8 JSON: {"arrays": [[name, dtype, length, offset], ...]}
    body                  the arrays' bytes, one after the other, nothing after them

Only one-dimensional arrays of the dtypes in :data:`DTYPES` are stored; strings are packed as
UTF-8 bytes plus offsets (:func:`pack_strings`). A file is trusted only when it is a regular
file (not a symbolic link, FIFO or device), its checksum matches and the arrays fill the
body exactly; anything else is :class:`StoreError`, which the caller treats as a miss.
Files are written to a temporary name in the same folder and renamed into place, so a reader
never sees half a file and two writers of the same entry both succeed (the last rename wins,
and both wrote the same bytes).

Its one user is :mod:`analysis.text.process`, which writes the arrays of a processed corpus
with :func:`write` and reads them back with :func:`read`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

__all__ = ["StoreError", "open_regular", "pack_strings", "read", "read_small", "unpack_strings",
           "write"]

MAGIC = b"ANSTORE1"
DTYPES = frozenset({"<i4", "<i8", "<u2", "|u1", "|b1"})
# A header is a few hundred bytes per array; anything far larger is not ours.
MAX_HEADER = 1 << 20


class StoreError(Exception):
    """A store file that is missing its parts, corrupt, truncated, foreign or not regular."""


def pack_strings(values) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 byte array and the offsets of each string's end.

    Examples
    --------
    >>> data, ends = pack_strings(["ab", "", "é"])
    >>> ends.tolist(), bytes(data)
    ([2, 2, 4], b'ab\\xc3\\xa9')
    >>> unpack_strings(data, ends)
    ['ab', '', 'é']
    """
    encoded = [value.encode("utf-8", "surrogatepass") for value in values]
    ends = np.cumsum([len(e) for e in encoded], dtype=np.int64) if encoded else \
        np.zeros(0, dtype=np.int64)
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), ends


def unpack_strings(data: np.ndarray, ends: np.ndarray) -> list[str]:
    """The strings :func:`pack_strings` packed (raises StoreError on bad offsets or bytes).

    Examples
    --------
    >>> data, ends = pack_strings(["belt", "road"])
    >>> unpack_strings(data, ends)
    ['belt', 'road']
    >>> unpack_strings(data, np.array([4, 9]))
    Traceback (most recent call last):
    analysis.store.StoreError: string offsets do not match their bytes
    """
    if len(ends) and (ends[-1] != len(data) or np.any(np.diff(ends) < 0) or ends[0] < 0):
        raise StoreError("string offsets do not match their bytes")
    raw = data.tobytes()
    starts = np.concatenate(([0], ends[:-1])).astype(np.int64) if len(ends) else ends
    try:
        whole = raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError as err:
        raise StoreError("strings are not UTF-8") from err
    # One decoding, then the strings cut out of it at character offsets (a character
    # starts at every byte that does not continue one): faster than one decoding each.
    first = (data & 0xC0) != 0x80
    if len(ends) and np.any(~first[starts[starts < len(data)]]):
        raise StoreError("strings are not UTF-8")  # a string would start inside a character
    chars = np.concatenate(([0], np.cumsum(first, dtype=np.int64)))
    return [whole[s:e] for s, e in zip(chars[starts].tolist(), chars[ends].tolist(),
                                       strict=True)]


def write(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write arrays to ``path`` atomically (a temporary file renamed into place).

    Raises OSError when the folder cannot be written; the temporary file is removed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "entry.store"
    ...     write(path, {"ids": np.array([3, 1, 2], dtype=np.int32)})
    ...     arrays = read(path)
    >>> arrays["ids"].tolist(), arrays["ids"].dtype
    ([3, 1, 2], dtype('int32'))
    """
    entries, offset = [], 0
    blobs = []  # each array's bytes, viewed in place (no copy of the corpus is made)
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        dtype = array.dtype.newbyteorder("<").str if array.dtype.kind in "iu" else \
            array.dtype.str
        if dtype not in DTYPES or array.ndim != 1:
            raise TypeError(f"cannot store {name}: {array.dtype} with {array.ndim} dimensions")
        blob = memoryview(array.astype(dtype, copy=False)).cast("B")
        entries.append([name, dtype, len(array), offset])
        blobs.append(blob)
        offset += len(blob)
    header = json.dumps({"arrays": entries}, separators=(",", ":")).encode()
    digest = hashlib.sha256(header)
    for blob in blobs:
        digest.update(blob)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named after the entry, so a temporary file a killed writer left behind is pruned with
    # the old entries; created with mode 0o666, so the umask applies as to any file the user
    # writes (a shared cache folder), where mkstemp would make it private.
    tmp_name = path.parent / f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(MAGIC + len(header).to_bytes(8, "little") + digest.digest() + header)
            for blob in blobs:
                tmp.write(blob)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def read(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a store file, verified; StoreError for anything but a sound file.

    A missing file is FileNotFoundError. The file is opened without following a symbolic
    link and without blocking (a FIFO planted under the name is refused, not waited on).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "entry.store"
    ...     write(path, {"sentence": np.array([1, 1, 2], dtype=np.int64)})
    ...     sentences = read(path)["sentence"].tolist()
    ...     _ = path.write_bytes(b"ANSTORE1" + bytes(40))  # a damaged file is refused
    ...     read(path)
    Traceback (most recent call last):
    analysis.store.StoreError: ...
    >>> sentences
    [1, 1, 2]
    """
    with open_regular(path) as handle:
        return _read_arrays(handle, os.fstat(handle.fileno()).st_size)


def open_regular(path: Path):
    """A cache file opened for reading in binary, if it is a regular file; else StoreError.

    A missing file is FileNotFoundError. The file is opened without following a symbolic
    link and without blocking (a FIFO or a device planted under the name is refused, not
    waited on), and checked again once open (swapped since it was looked at).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "a.json").write_text("{}")
    ...     with open_regular(Path(folder) / "a.json") as handle:
    ...         data = handle.read()
    ...     open_regular(Path(folder))
    Traceback (most recent call last):
    analysis.store.StoreError: not a regular file
    >>> data
    b'{}'
    """
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        raise
    except OSError as err:
        raise StoreError(f"cannot read it: {err.strerror}") from err
    if not stat.S_ISREG(before.st_mode):
        raise StoreError("not a regular file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        raise StoreError(f"cannot open it: {err.strerror}") from err
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped since lstat
        handle.close()
        raise StoreError("not a regular file")
    return handle


def read_small(path: Path, limit: int) -> bytes:
    """The bytes of a small cache file (a regular file of at most ``limit`` bytes), else
    StoreError; a missing file is FileNotFoundError.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "a.json").write_text('{"x": 1}')
    ...     data = read_small(Path(folder) / "a.json", 100)
    ...     read_small(Path(folder) / "a.json", 4)
    Traceback (most recent call last):
    analysis.store.StoreError: larger than 4 bytes
    >>> data
    b'{"x": 1}'
    """
    with open_regular(path) as handle:
        data = handle.read(limit + 1)  # the file may grow after fstat: read no more
    if len(data) > limit:
        raise StoreError(f"larger than {limit} bytes")
    return data


def _read_arrays(handle, file_size: int) -> dict[str, np.ndarray]:
    """Each array read into its own buffer, the checksum computed on the way and compared
    before anything is returned.

    Read, not memory-mapped: a mapped file truncated or replaced under the reader (by
    whoever else can write the cache folder, or another machine pruning a shared folder
    on a network file system) kills the process with SIGBUS, and could change arrays after
    they were checked.
    """
    start = handle.read(48)
    if start[:8] != MAGIC:
        raise StoreError("not a store file")
    size = int.from_bytes(start[8:16], "little")
    if len(start) < 48 or size > MAX_HEADER or 48 + size > file_size:
        raise StoreError("truncated")
    header = handle.read(size)
    digest = hashlib.sha256(header)
    try:
        entries = json.loads(header)["arrays"]
        layout, offset = [], 0
        for name, dtype, length, at in entries:
            if dtype not in DTYPES or not isinstance(name, str) \
                    or type(length) is not int or type(at) is not int:
                raise StoreError(f"unexpected array {name!r} of {dtype!r}")
            nbytes = np.dtype(dtype).itemsize * length
            # write() lays the arrays end to end, in order, and nothing after them.
            if at != offset or length < 0 or 48 + size + offset + nbytes > file_size:
                raise StoreError(f"array {name!r} lies outside the file")
            layout.append((name, dtype, length))
            offset += nbytes
    except (ValueError, TypeError, KeyError, RecursionError) as err:
        raise StoreError(f"bad header: {type(err).__name__}") from err
    if 48 + size + offset != file_size:
        raise StoreError("checksum mismatch (corrupt or truncated)")
    arrays = {}
    # The checksum of each array is computed in a second thread while the next is read
    # (both let other threads run), in order: the two take about as long as each other.
    with ThreadPoolExecutor(1) as hasher:
        for name, dtype, length in layout:
            array = np.empty(length, dtype=dtype)
            view = memoryview(array).cast("B")
            if handle.readinto(view) != len(view):
                raise StoreError("truncated")
            hasher.submit(digest.update, view)
            array.flags.writeable = False  # shared by every table built from it
            arrays[name] = array
    if digest.digest() != start[16:48]:
        raise StoreError("checksum mismatch (corrupt or truncated)")
    return arrays
