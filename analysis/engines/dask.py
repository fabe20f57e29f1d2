"""The Dask engine: maps over partitions of documents on a ``dask.distributed`` cluster.

Needs the ``dask`` extra (``pip install .[dask]``). With no scheduler address (``scheduler=``
or the ``ANALYSIS_DASK_SCHEDULER`` environment variable) a :class:`distributed.LocalCluster`
of this machine is started on first use (worker processes, one thread each, as many workers
as cores: :func:`analysis.engines.base.workers`), reused by every later call and closed when the
process exits. With an address, the client connects to that scheduler, whose workers must
have the project installed (they import ``analysis`` to run the maps).

What travels: the client reads the corpus and sends each partition (the documents' texts to
process, or their token columns to count) to a worker; the worker returns its partition's
counts; the sum reduce runs on the cluster, so only the reduced table comes back.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import threading

from analysis.engines.base import Engine, EngineError, workers

__all__ = ["DaskEngine", "connect", "timeout"]

#: Seconds to wait for a scheduler before giving up (``ANALYSIS_DASK_TIMEOUT`` overrides).
TIMEOUT = 10.0

_lock = threading.Lock()
_clients: dict[str | None, DaskEngine] = {}


class DaskEngine(Engine):
    """Run maps as Dask tasks through a connected :class:`distributed.Client`."""

    name = "dask"

    def __init__(self, client, cluster=None):
        self.client = client
        self.cluster = cluster

    @property
    def partitions(self) -> int:
        # Two partitions per worker thread spread the work and let a fast worker take more.
        threads = sum(self.client.nthreads().values()) or 1
        return 2 * threads

    def map(self, func, parts: list, *args) -> list:
        return self.client.gather(self._futures(func, parts, *args))

    def map_reduce(self, func, parts: list, reduce, *args):
        futures = self._futures(func, parts, *args)
        # The reduce is a task too: the partitions' results meet on a worker and only the
        # reduced result travels back to the client.
        return self.client.submit(reduce, futures, pure=False,
                                  key=f"{reduce.__module__}.{reduce.__qualname__}-"
                                      f"{os.urandom(8).hex()}").result()

    def _futures(self, func, parts: list, *args):
        if not parts:
            return []
        scattered = self.client.scatter(list(parts), hash=False)  # no hashing of the data
        task = _Bound(func, args) if args else func
        # Tasks named after the map step (e.g. analysis.frequency._count_part-<id>).
        return self.client.map(task, scattered, pure=False,
                               key=f"{func.__module__}.{func.__qualname__}")

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class _Bound:
    """``func(part, *args)`` as a picklable callable (the args travel with each task)."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __call__(self, part):
        return self.func(part, *self.args)


def timeout() -> float:
    """Seconds to wait for a scheduler: ``ANALYSIS_DASK_TIMEOUT``, else :data:`TIMEOUT`."""
    try:
        value = float(os.environ.get("ANALYSIS_DASK_TIMEOUT", TIMEOUT))
    except ValueError:
        return TIMEOUT
    return value if value > 0 else TIMEOUT


def connect(scheduler: str | None = None) -> DaskEngine:
    """The Dask engine of a scheduler address, connected once per process and reused.

    Parameters
    ----------
    scheduler : str, optional
        ``tcp://host:8786``; default ``ANALYSIS_DASK_SCHEDULER``, else a LocalCluster.

    Raises
    ------
    EngineError
        The scheduler did not answer, or has no worker, within :func:`timeout` seconds.
    """
    address = scheduler or os.environ.get("ANALYSIS_DASK_SCHEDULER", "").strip() or None
    with _lock:
        engine = _clients.get(address)
        if engine is not None and engine.client.status == "running":
            return engine
        engine = _start(address)
        _clients[address] = engine
        return engine


def _start(address: str | None) -> DaskEngine:
    from distributed import Client, LocalCluster

    if address is None:
        try:
            cluster = LocalCluster(n_workers=workers(), threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=logging.CRITICAL)
            return DaskEngine(Client(cluster), cluster)
        except (OSError, TimeoutError, RuntimeError) as err:
            raise EngineError(f"--engine dask: cannot start a local Dask cluster ({err})") from err
    try:
        _reachable(address)
        client = Client(address, timeout=timeout())
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        reason = " ".join(str(err).split())[:160] or type(err).__name__
        raise EngineError(f"scheduler {address!r}: cannot connect within {timeout():g} s "
                          f"({reason})") from None
    try:  # a scheduler without workers would leave every task waiting
        client.wait_for_workers(1, timeout=timeout())
    except (OSError, TimeoutError):
        client.close()
        raise EngineError(f"scheduler {address!r}: no worker joined within {timeout():g} s "
                          f"(start one with: dask worker {address})") from None
    return DaskEngine(client)


def _reachable(address: str) -> None:
    """Raise OSError when nothing accepts a TCP connection at a ``tcp://`` address.

    Checked before the Client is made: a Client that fails to connect leaves its event-loop
    thread running in this process.
    """
    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(address)
    if scheme == "tcp":
        with socket.create_connection(parse_host_port(location, 8786), timeout=timeout()):
            pass


@atexit.register
def _close_all() -> None:
    """Close the clients (and the LocalCluster) when the process exits."""
    with _lock:
        engines = list(_clients.values())
        _clients.clear()
    for engine in engines:
        try:
            engine.close()
        except Exception:  # noqa: BLE001, S110 - exiting: nothing left to report to
            pass
