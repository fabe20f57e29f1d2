"""Progress of long work on a terminal: processing a corpus, building the reports, trying
numbers of topics.

:func:`progress` wraps an iterable in a ``tqdm`` bar on standard error when standard error
is a terminal; in tests, in notebooks and reports, in a pipe or a log file, and with
``ANALYSIS_PROGRESS=0``, it returns the iterable itself, so nothing is printed and nothing
changes.
"""

from __future__ import annotations

import os
import sys

__all__ = ["progress", "shown"]


def shown() -> bool:
    """Whether progress is shown: standard error is a terminal and ``ANALYSIS_PROGRESS`` is
    not ``0``.

    Examples
    --------
    >>> shown()  # doctests write to a captured stream, not a terminal
    False
    """
    stream = sys.stderr
    return (os.environ.get("ANALYSIS_PROGRESS", "1") != "0" and stream is not None
            and hasattr(stream, "isatty") and stream.isatty())


def progress(iterable, *, total: int | None = None, desc: str = "", unit: str = "it"):
    """``iterable`` with a progress bar on standard error when :func:`shown`, else itself.

    Parameters
    ----------
    iterable : iterable
    total : int, optional
        Its length, where it has none (a generator).
    desc : str
        What is counted (``processing``, ``notebooks``).
    unit : str
        The unit of the count.

    Examples
    --------
    >>> items = [1, 2, 3]
    >>> progress(items, desc="counting") is items  # no terminal: the iterable itself
    True
    """
    if not shown():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                dynamic_ncols=True)
