"""Arrays on disk in one checksummed file that cannot run code: the processed-corpus cache.

The cache of :func:`analysis.text.process.process` used to be a pickle, and unpickling a file runs
whatever code it names: anyone who could write to the cache folder (a shared
``ANALYSIS_CACHE_DIR``, whose file names anyone can compute) could run code as the user.
numpy's ``.npz`` needs pickles for strings and Arrow's IPC reader is a large parser to trust
with planted bytes, so this module keeps its own small format, read with ``json`` and
``preadv`` into numpy arrays alone::

    MAGIC                 8 bytes, b"ANSTORE2"
    header length         8 bytes, unsigned little-endian
    SHA-256               32 bytes, of the header
    header                UTF-8 JSON: {"block": B, "arrays": [[name, dtype, length, offset,
                          [SHA-256 of each block of B bytes of the array], ...], ...]}
    body                  the arrays' bytes, one after the other, nothing after them

Every array is checksummed in blocks of :data:`BLOCK` bytes, so a reader can take one array,
or a slice of one (a term's positions, a document's text), and check what it read without
reading the rest of the file (:class:`Reader`); :func:`read` reads and checks everything.

Only one-dimensional arrays of the dtypes in :data:`DTYPES` are stored; strings are packed as
UTF-8 bytes plus offsets (:func:`pack_strings`). A file is trusted only when it is a regular
file (not a symbolic link, FIFO or device), its header's checksum matches, the arrays fill
the body exactly and every block read matches its checksum; anything else is
:class:`StoreError`, which the caller treats as a miss. Files are written to a temporary name
in the same folder and renamed into place, so a reader never sees half a file and two
writers of the same entry both succeed (the last rename wins, and both wrote the same
bytes); a reader holds the file it opened, so a file replaced or pruned meanwhile is still
read whole and consistent.

Its one user is :mod:`analysis.text.process`, which writes the arrays of a processed corpus
and its index with :func:`write` and reads them back with :class:`Reader`.
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

__all__ = ["BLOCK", "Reader", "Spool", "StoreError", "open_regular", "pack_strings", "read",
           "read_small", "unpack_strings", "write"]

MAGIC = b"ANSTORE2"
#: Bytes per checksummed block: the least a reader of a slice reads and hashes.
BLOCK = 1 << 20
DTYPES = frozenset({"<i4", "<i8", "<u2", "|u1", "|b1"})
# A header is a few hundred bytes per array and 67 per block (a few hundred kB for a
# corpus of 100M words); anything far larger is not ours.
MAX_HEADER = 1 << 26


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


class Spool:
    """An array written to a file a piece at a time, for :func:`write` to store without
    holding it whole: a large array made in parts (the texts of a corpus processed batch by
    batch) goes to disk as its parts come, its block checksums computed on the way.

    The file is unnamed (``tempfile.TemporaryFile``, in ``folder`` where it can be made
    there, so :func:`write` copies it within one file system): nothing is left behind by a
    process killed while spooling. A write that fails (a full disk, a quota) keeps the array
    in memory from then on, as if it had not been spooled. :meth:`read` gives the array back
    whole.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     spool = Spool(Path(folder), np.uint16)
    ...     spool.append(np.array([1, 2], dtype=np.int32))
    ...     spool.append(np.array([70_000], dtype=np.int64))  # too wide: widened to int64
    ...     path = Path(folder) / "entry.store"
    ...     write(path, {"gap": spool, "ids": np.array([3], dtype=np.int32)})
    ...     stored = read(path)
    >>> stored["gap"].tolist(), stored["gap"].dtype, len(spool), spool.read().tolist()
    ([1, 2, 70000], dtype('int64'), 3, [1, 2, 70000])
    """

    #: What a spooled array is widened to when a part does not fit its dtype.
    WIDE = np.dtype(np.int64)

    def __init__(self, folder: Path, dtype):
        import tempfile

        self.dtype = np.dtype(dtype).newbyteorder("<")
        try:
            self._file = tempfile.TemporaryFile(dir=folder, buffering=0)
        except OSError:  # a folder that cannot be written: the system's temporary folder
            self._file = tempfile.TemporaryFile(buffering=0)
        self._memory: bytearray | None = None  # the bytes, once a write to the file failed
        self._length = 0
        self._digests: list[str] = []
        self._hasher, self._filled = hashlib.sha256(), 0  # the block being filled

    def __len__(self) -> int:
        return self._length

    def append(self, values: np.ndarray) -> None:
        """Add values at the end (widened to :attr:`WIDE` where the dtype cannot hold
        them, with the values spooled before)."""
        values = np.asarray(values)
        if len(values) and self.dtype.kind == "u" and (
                values.min() < 0 or values.max() > np.iinfo(self.dtype).max):
            self._widen()
        blob = memoryview(np.ascontiguousarray(values.astype(self.dtype, copy=False))).cast("B")
        self._put(blob)
        self._length += len(values)
        while len(blob):
            take = min(BLOCK - self._filled, len(blob))
            self._hasher.update(blob[:take])
            self._filled += take
            blob = blob[take:]
            if self._filled == BLOCK:
                self._digests.append(self._hasher.hexdigest())
                self._hasher, self._filled = hashlib.sha256(), 0

    def _put(self, blob: memoryview) -> None:
        """Write the bytes of values after those spooled before: to the file, else (once a
        write failed) to memory."""
        if self._memory is None:
            try:
                self._file.seek(self.nbytes())  # after a part written whole
                _write_all(self._file, blob)
                return
            except OSError:  # a full disk or a quota: the spool kept in memory from now on
                self._memory = bytearray(memoryview(self.read()).cast("B"))
                self._file.close()
        self._memory += blob

    def _widen(self) -> None:
        """The values spooled so far, written again as :attr:`WIDE`."""
        values = self.read()
        if self._memory is None:
            self._file.seek(0)
            self._file.truncate()
        else:
            self._memory = bytearray()
        self.dtype, self._length = self.WIDE.newbyteorder("<"), 0
        self._digests, self._hasher, self._filled = [], hashlib.sha256(), 0
        step = BLOCK
        for at in range(0, len(values), step):
            self.append(values[at:at + step])

    def digests(self) -> list[str]:
        """The SHA-256 of each block of :data:`BLOCK` bytes of the array."""
        return self._digests + ([self._hasher.hexdigest()] if self._filled else [])

    def nbytes(self) -> int:
        """The array's size in bytes."""
        return self._length * self.dtype.itemsize

    def read(self) -> np.ndarray:
        """The array, whole."""
        if self._memory is not None:
            return np.frombuffer(self._memory, dtype=self.dtype, count=self._length).copy()
        out = np.empty(self._length, dtype=self.dtype)
        view = memoryview(out).cast("B")
        at = 0
        while at < len(view):
            got = os.preadv(self._file.fileno(), [view[at:]], at)
            if got <= 0:
                raise OSError("the spooled array is shorter than written")
            at += got
        return out

    def copy_to(self, out) -> None:
        """Write the array's bytes to the file ``out`` (an unbuffered binary file) at its
        position: copied by the kernel where it can, else read and written in pieces."""
        if self._memory is not None:
            _write_all(out, memoryview(self._memory)[:self.nbytes()])
            return
        source, target, size, at = self._file.fileno(), out.fileno(), self.nbytes(), 0
        with contextlib.suppress(OSError, AttributeError):
            while at < size:
                copied = os.copy_file_range(source, target, size - at, at)
                if copied <= 0:
                    break
                at += copied
        while at < size:
            chunk = os.pread(source, min(size - at, 16 * BLOCK), at)
            if not chunk:
                raise OSError("the spooled array is shorter than written")
            _write_all(out, chunk)
            at += len(chunk)

    def close(self) -> None:
        """Close (and so remove) the spool file."""
        self._file.close()

    def __del__(self) -> None:  # a spool let go with the arrays it served removes its file
        file = self.__dict__.get("_file")
        if file is not None:
            file.close()


def _write_all(out, data) -> None:
    """Write all of ``data`` to the unbuffered file ``out``."""
    view = memoryview(data).cast("B")
    while len(view):
        view = view[out.write(view):]


def write(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write arrays to ``path`` atomically (a temporary file renamed into place).

    An array may be a :class:`Spool`: its bytes are copied from its file, its checksums
    taken from it.

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
        if isinstance(array, Spool):
            entries.append([name, array.dtype.str, len(array), offset, array.digests()])
            blobs.append(array)
            offset += array.nbytes()
            continue
        array = np.ascontiguousarray(array)
        dtype = array.dtype.newbyteorder("<").str if array.dtype.kind in "iu" else \
            array.dtype.str
        if dtype not in DTYPES or array.ndim != 1:
            raise TypeError(f"cannot store {name}: {array.dtype} with {array.ndim} dimensions")
        blob = memoryview(array.astype(dtype, copy=False)).cast("B")
        digests = [hashlib.sha256(blob[at:at + BLOCK]).hexdigest()
                   for at in range(0, len(blob), BLOCK)]
        entries.append([name, dtype, len(array), offset, digests])
        blobs.append(blob)
        offset += len(blob)
    header = json.dumps({"block": BLOCK, "arrays": entries}, separators=(",", ":")).encode()
    digest = hashlib.sha256(header)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named after the entry, so a temporary file a killed writer left behind is pruned with
    # the old entries; created with mode 0o666, so the umask applies as to any file the user
    # writes (a shared cache folder), where mkstemp would make it private.
    tmp_name = path.parent / f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb", buffering=0) as tmp:
            _write_all(tmp, MAGIC + len(header).to_bytes(8, "little") + digest.digest() + header)
            for blob in blobs:
                if isinstance(blob, Spool):
                    blob.copy_to(tmp)
                else:
                    _write_all(tmp, blob)
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
    ...     _ = path.write_bytes(b"ANSTORE2" + bytes(40))  # a damaged file is refused
    ...     read(path)
    Traceback (most recent call last):
    analysis.store.StoreError: ...
    >>> sentences
    [1, 1, 2]
    """
    with Reader(path) as reader:
        return {name: reader.read(name) for name in reader.names}


class Reader:
    """A store file opened for reading array by array, or a slice of an array at a time.

    The header is read and checked when the file is opened (its checksum, and arrays that
    fill the body exactly, so a truncated file is refused at once); each block of an array
    is checked against its checksum when it is read. Read with ``preadv`` from the file
    opened, never memory-mapped: a mapped file truncated or replaced under the reader (by
    whoever else can write the cache folder, or another machine pruning a shared folder on a
    network file system) kills the process with SIGBUS, and could change arrays after they
    were checked. Reads from several threads at once are safe.

    Raises StoreError (anything but a sound file) or FileNotFoundError when opened.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "entry.store"
    ...     write(path, {"a": np.arange(5, dtype=np.int32), "b": np.array([7], np.int64)})
    ...     with Reader(path) as reader:
    ...         names, b = reader.names, reader.read("b").tolist()
    ...         part, length = reader.read_range("a", 1, 3).tolist(), reader.length("a")
    >>> names, b, part, length
    (['a', 'b'], [7], [1, 2], 5)
    """

    def __init__(self, path: Path):
        self.path = path
        handle = open_regular(path)
        try:
            self._layout, self._block = _read_header(handle, os.fstat(handle.fileno()).st_size)
        except BaseException:
            handle.close()
            raise
        self._handle = handle
        self.names = list(self._layout)

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (arrays read stay valid)."""
        self._handle.close()

    def __del__(self) -> None:  # a reader let go with the corpus it served closes its file
        handle = self.__dict__.get("_handle")
        if handle is not None:
            handle.close()

    def dtype(self, name: str) -> np.dtype:
        """The dtype of an array (KeyError for a name the file does not hold)."""
        return np.dtype(self._layout[name][0])

    def length(self, name: str) -> int:
        """The number of elements of an array, read from the header alone."""
        return self._layout[name][1]

    def read(self, name: str) -> np.ndarray:
        """An array, whole and verified (read-only)."""
        return self.read_range(name, 0, self.length(name))

    def read_range(self, name: str, start: int, stop: int) -> np.ndarray:
        """Elements ``start`` to ``stop`` of an array, verified: the blocks that hold them are
        read and checked, nothing else (read-only; a copy of its own)."""
        dtype, length, at, digests = self._layout[name]
        size = np.dtype(dtype).itemsize
        start, stop = max(0, int(start)), min(length, int(stop))
        if stop <= start:
            return np.zeros(0, dtype=dtype)
        first, last = start * size // self._block, (stop * size - 1) // self._block
        lo, hi = first * self._block, min((last + 1) * self._block, length * size)
        whole = lo == start * size and hi == stop * size
        out = np.empty(stop - start if whole else 0, dtype=dtype)
        buffer = memoryview(out).cast("B") if whole else memoryview(bytearray(hi - lo))
        # Read in pieces of 16 blocks; each piece is hashed in a second thread while the next
        # is read (both let other threads run). One piece is read and hashed here.
        step = 16 * self._block
        pieces = [buffer[piece - lo:min(piece + step, hi) - lo] for piece in range(lo, hi, step)]
        if len(pieces) == 1:
            self._read_into(pieces[0], at + lo)
            found = _block_digests(pieces[0], self._block)
        else:
            with ThreadPoolExecutor(1) as hasher:
                checks = []
                for k, view in enumerate(pieces):
                    self._read_into(view, at + lo + k * step)
                    checks.append(hasher.submit(_block_digests, view, self._block))
                found = [d for check in checks for d in check.result()]
        if found != digests[first:last + 1]:
            raise StoreError(f"checksum mismatch in {name} (corrupt or truncated)")
        if not whole:
            raw = np.frombuffer(buffer, dtype=np.uint8)[start * size - lo:stop * size - lo]
            out = raw.view(dtype).copy()
        out.flags.writeable = False  # shared by every table built from it
        return out


    def _read_into(self, view: memoryview, at: int) -> None:
        try:
            got = os.preadv(self._handle.fileno(), [view], at)
        except OSError as err:
            raise StoreError(f"cannot read it: {err.strerror}") from err
        if got != len(view):
            raise StoreError("truncated")


def _block_digests(view: memoryview, block: int) -> list[str]:
    return [hashlib.sha256(view[at:at + block]).hexdigest() for at in range(0, len(view), block)]


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


def _read_header(handle, file_size: int) -> tuple[dict, int]:
    """The layout of a store file, ``name -> (dtype, length, file offset, block digests)``,
    and its block size, once the header's checksum and the layout are checked: the arrays
    lie end to end, in order, and fill the body exactly (nothing before, after or between)."""
    start = handle.read(48)
    if start[:8] != MAGIC:
        raise StoreError("not a store file")
    size = int.from_bytes(start[8:16], "little")
    if len(start) < 48 or size > MAX_HEADER or 48 + size > file_size:
        raise StoreError("truncated")
    header = handle.read(size)
    if len(header) != size or hashlib.sha256(header).digest() != start[16:48]:
        raise StoreError("checksum mismatch (corrupt or truncated)")
    try:
        parsed = json.loads(header)
        block, entries = parsed["block"], parsed["arrays"]
        if type(block) is not int or block < 1:
            raise StoreError(f"bad block size {block!r}")
        layout, offset = {}, 0
        for name, dtype, length, at, digests in entries:
            if dtype not in DTYPES or not isinstance(name, str) or name in layout \
                    or type(length) is not int or type(at) is not int:
                raise StoreError(f"unexpected array {name!r} of {dtype!r}")
            nbytes = np.dtype(dtype).itemsize * length
            if at != offset or length < 0 or 48 + size + offset + nbytes > file_size:
                raise StoreError(f"array {name!r} lies outside the file")
            if not isinstance(digests, list) or len(digests) != -(-nbytes // block):
                raise StoreError(f"array {name!r} has the wrong checksums")
            layout[name] = (dtype, length, 48 + size + offset, digests)
            offset += nbytes
    except (ValueError, TypeError, KeyError, RecursionError) as err:
        raise StoreError(f"bad header: {type(err).__name__}") from err
    if 48 + size + offset != file_size:
        raise StoreError("truncated or extended")
    return layout, block
