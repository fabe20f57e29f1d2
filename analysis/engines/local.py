"""The in-process engine: every map runs here, the corpus as one partition."""

from __future__ import annotations

from analysis.engines.base import Engine

__all__ = ["LocalEngine"]


class LocalEngine(Engine):
    """Run maps in this process (the default engine).

    With one partition, ``map_reduce`` is ``reduce([func(corpus)])``, which the counting
    stages make a plain call, so the local engine costs nothing over the functions before
    engines existed.
    """

    name = "local"
    partitions = 1

    def map(self, func, parts: list, *args) -> list:
        return [func(part, *args) for part in parts]

    def map_reduce(self, func, parts: list, reduce, *args):
        return reduce(self.map(func, parts, *args))
