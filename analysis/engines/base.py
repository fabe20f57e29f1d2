"""What every engine is: the interface of :mod:`analysis.engines`, its error, its workers.

The local and Dask engines (:mod:`~analysis.engines.local`, :mod:`~analysis.engines.dask`)
subclass :class:`Engine`; :func:`analysis.engines.get` picks one by name.
"""

from __future__ import annotations

import os

__all__ = ["Engine", "EngineError", "workers"]


class EngineError(ValueError):
    """An unknown engine, Dask not installed, or a scheduler that cannot be reached."""


class Engine:
    """How maps over partitions of documents run (subclasses: local and Dask).

    Attributes
    ----------
    name : str
        ``"local"`` or ``"dask"``.
    partitions : int
        How many partitions of documents to cut a corpus into (1 for the local engine).
    """

    name = "engine"
    partitions = 1

    def map(self, func, parts: list, *args) -> list:
        """``[func(part, *args) for part in parts]``, in order."""
        raise NotImplementedError

    def map_reduce(self, func, parts: list, reduce, *args):
        """``reduce([func(part, *args) for part in parts])``."""
        raise NotImplementedError


def workers() -> int:
    """Worker processes for processing: ``ANALYSIS_WORKERS``, else the cores this may use.

    Examples
    --------
    >>> workers() >= 1
    True
    """
    wanted = os.environ.get("ANALYSIS_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
