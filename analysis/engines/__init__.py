"""Engines: where the per-document maps of processing and counting run.

Processing (:func:`analysis.text.process.process`) and the counting stages (word lists, keyness
counts, dispersion, collocation windows, KWIC lines, trends) are written as a *map* over
partitions of whole documents and a *sum reduce* of what each partition returns. An engine
runs them:

- ``"local"`` (default, :mod:`analysis.engines.local`): in this process, the whole corpus as
  one partition, so the tables are computed exactly as by a plain function call;
- ``"dask"`` (:mod:`analysis.engines.dask`, ``pip install .[dask]``): on a
  ``dask.distributed`` cluster, a :class:`~distributed.LocalCluster` started once per process
  or the scheduler given (``scheduler=`` or ``ANALYSIS_DASK_SCHEDULER``). Partitions go to
  the workers; only each reduced table comes back.

The tables are identical whichever engine runs them (tests/test_engines.py). Allowed engine
names are declared here, and validated here only (:func:`get`).

Examples
--------
>>> get("local").name
'local'
>>> get("spark")
Traceback (most recent call last):
...
analysis.engines.base.EngineError: engine 'spark': must be one of local, dask
"""

from __future__ import annotations

import numpy as np

from analysis.engines.base import Engine, EngineError

__all__ = ["ENGINES", "Engine", "EngineError", "get", "partitions", "slices"]

#: The engine names :func:`get` accepts.
ENGINES = ("local", "dask")


def get(engine: str | Engine | None = "local", *, scheduler: str | None = None) -> Engine:
    """The engine of a name (an :class:`Engine` is returned as it is).

    Parameters
    ----------
    engine : {"local", "dask"} or Engine, default "local"
        None means ``"local"``.
    scheduler : str, optional
        Dask only: the address of a running scheduler (``tcp://host:8786``); default the
        ``ANALYSIS_DASK_SCHEDULER`` environment variable, else a LocalCluster of this
        machine, started on first use and reused by every later call of the process.

    Raises
    ------
    EngineError
        An unknown name, a scheduler with the local engine, Dask not installed, or a
        scheduler that does not answer within ``ANALYSIS_DASK_TIMEOUT`` seconds (10).
    """
    if isinstance(engine, Engine):
        return engine
    if engine is None:
        engine = "local"
    if engine not in ENGINES:
        raise EngineError(f"engine {engine!r}: must be one of {', '.join(ENGINES)}")
    if engine == "local":
        if scheduler:
            raise EngineError(f"scheduler {scheduler!r}: only the dask engine has one")
        from analysis.engines.local import LocalEngine

        return LocalEngine()
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise EngineError("engine 'dask': Dask is not installed (pip install .[dask])") \
            from None
    from analysis.engines.dask import connect

    return connect(scheduler)


def partitions(doc_index: np.ndarray, count: int, n_docs: int | None = None) -> np.ndarray:
    """Cut points that split documents into ``count`` partitions of about equal rows.

    Parameters
    ----------
    doc_index : ndarray
        Document number of each row of a table sorted by document (e.g. the tokens).
    count : int
        Partitions wanted; fewer come back when there are fewer documents.
    n_docs : int, optional
        Documents of the corpus (default: the last row's document + 1); documents without
        rows after the last row fall into the last partition.

    Returns
    -------
    ndarray of int64
        Increasing document numbers ``[0, c1, ..., n_docs]``: partition ``k`` holds the
        documents ``cuts[k] <= d < cuts[k + 1]``, whole documents only.

    Examples
    --------
    >>> partitions(np.array([0, 0, 0, 1, 2, 2, 3, 3]), 2).tolist()
    [0, 2, 4]
    """
    if n_docs is None:
        n_docs = int(doc_index[-1]) + 1 if len(doc_index) else 0
    if count <= 1 or n_docs <= 1 or not len(doc_index):
        return np.array([0, max(n_docs, 1)], dtype=np.int64)
    # The document holding each 1/count-th row starts the next partition.
    wanted = (np.arange(1, count) * len(doc_index)) // count
    cuts = np.unique(np.concatenate(([0], doc_index[wanted], [n_docs]))).astype(np.int64)
    return cuts


def slices(doc_index: np.ndarray, cuts: np.ndarray) -> list[slice]:
    """Row slices of a table sorted by document, one per partition of :func:`partitions`.

    Examples
    --------
    >>> doc_index = np.array([0, 0, 1, 2, 2, 2])
    >>> slices(doc_index, partitions(doc_index, 2))
    [slice(0, 3, None), slice(3, 6, None)]
    """
    bounds = np.searchsorted(doc_index, cuts, side="left").tolist()
    bounds[-1] = len(doc_index)
    return [slice(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
