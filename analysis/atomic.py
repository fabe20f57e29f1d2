"""Files written whole or not at all: a reader never sees half a file, and a failed or
interrupted write leaves what was there.

The text goes to a temporary file in the target's folder (so the rename stays on one file
system), gets the permissions an ordinary ``open`` would give it (``mkstemp`` makes files
readable by their owner only), and is renamed over the target with :func:`os.replace`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["write_text"]


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 with ``\\n`` line ends, atomically.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = Path(folder) / "page.html"
    ...     write_text(target, "<p>one</p>\\n")
    ...     write_text(target, "<p>two</p>\\n")
    ...     print(target.read_text(encoding="utf-8"), sorted(Path(folder).iterdir()) == [target])
    <p>two</p>
     True
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp_name, 0o666 & ~mask)
        os.replace(tmp_name, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
