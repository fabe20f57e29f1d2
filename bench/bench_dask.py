"""The Dask engine beside the in-process one: ``freq``, ``keyness``, ``kwic`` and processing.

Usage::

    python bench/bench_dask.py [--runs 3]

On real text: the 2012 US convention speeches repeated to about 1M words in 1,512 files
(``bench/corpus-conventions-1m``, made by ``bench/real_corpus.py``). In the same run:

1. the command line, as a subprocess (start-up included): ``freq``, ``keyness --target
   party=democrat`` and ``kwic america`` with ``--engine local`` and with ``--engine dask``
   (which starts a LocalCluster of this machine in every call), the processed corpus read
   from the cache; medians of ``--runs``, local and Dask runs interleaved;
2. the library in one process, the cluster started once beforehand (as in a notebook): the
   same three tables with ``engine="local"`` and with the Dask engine, medians of ``--runs``;
3. processing from scratch (an empty cache folder) with each engine, once.

Nothing is compared for speed against a target: on one machine Dask can only add work
(sending partitions to worker processes and results back); the figures say how much.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import timed  # noqa: E402
from real_corpus import conventions_folder, machine_line  # noqa: E402

COMMANDS = {
    "freq": ["freq"],
    "keyness --target party=democrat": ["keyness", "--target", "party=democrat"],
    "kwic america": ["kwic", "america"],
}


def _median_time(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    corpus = conventions_folder(8)
    print(machine_line(corpus))
    base = [sys.executable, "-m", "analysis"]
    cold = timed([*base, "freq", "--corpus", str(corpus)])
    print(f"cold freq (fills the cache): {cold['s']:.2f} s, rc {cold['rc']}")

    print("\n1. command line (subprocess; --engine dask starts a LocalCluster each call)")
    for name, argv in COMMANDS.items():
        runs: dict[str, list[float]] = {"local": [], "dask": []}
        for _ in range(args.runs):
            for engine in runs:
                result = timed([*base, *argv, "--corpus", str(corpus), "--engine", engine])
                if result["rc"]:
                    sys.exit(f"{name} --engine {engine}: FAILED {result['err']}")
                runs[engine].append(result["s"])
        local, dask = (statistics.median(runs[e]) for e in ("local", "dask"))
        print(f"  {name:32s} local {local:5.2f} s   dask {dask:5.2f} s   "
              f"({dask / local:.1f}x)")

    from analysis import engines
    from analysis.concordance import kwic
    from analysis.corpus import load_corpus
    from analysis.frequency import frequency
    from analysis.keyness import keyness
    from analysis.text.process import process

    start = time.perf_counter()
    dask_engine = engines.get("dask")
    print(f"\n2. library, one process (LocalCluster of {len(dask_engine.client.nthreads())} "
          f"workers started once: {time.perf_counter() - start:.2f} s; "
          f"{dask_engine.partitions} partitions)")
    loaded = load_corpus(corpus)
    processed = process(loaded)
    tables = {
        "frequency": lambda engine: frequency(processed, engine=engine, by="corpus"),
        "keyness party=democrat": lambda engine: keyness(processed, "party=democrat",
                                                         engine=engine),
        "kwic america": lambda engine: kwic(processed, "america", engine=engine),
    }
    for name, call in tables.items():
        call("local")  # warm the shared caches (terms, token arrays) for both engines
        local = _median_time(lambda call=call: call("local"), args.runs)
        dask = _median_time(lambda call=call: call(dask_engine), args.runs)
        print(f"  {name:32s} local {local:5.2f} s   dask {dask:5.2f} s   "
              f"({dask / local:.1f}x)")

    print("\n3. processing from scratch (empty cache), once each")
    from analysis import config

    for engine in ("local", dask_engine):
        with tempfile.TemporaryDirectory() as folder:
            config.CACHE_DIR = Path(folder)
            process.cache_clear()
            start = time.perf_counter()
            process(loaded) if engine == "local" else process(loaded, engine)
            label = "local" if engine == "local" else "dask"
            workers = os.environ.get("ANALYSIS_WORKERS") or "all cores"
            print(f"  process ({label}; local workers: {workers}) "
                  f"{time.perf_counter() - start:5.2f} s")


if __name__ == "__main__":
    main()
