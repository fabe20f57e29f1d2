"""What every warm command pays before its query: start-up, the corpus load and the cache key.

Usage::

    python bench/bench_load.py [--size 10m|100m] [--runs 3] [--before REV]

On the convention speeches (``bench/corpus-conventions-x74``, 10M words in 13,986 files, or
``--size 100m``: ``bench/corpus-conventions-x740``, 100M words in 139,860 files; written by
``real_corpus.py``), each run is a fresh process that imports the package, loads the corpus
(:func:`analysis.corpus.load_corpus`), computes its cache key
(:func:`analysis.text.process.cache_key`) and hashes it (the in-memory cache's lookup): what
``freq``, ``kwic`` and every other warm command do before they read the processed corpus.
No processed cache is needed, only the folder's own records (a first run writes them). For
the current code and, with ``--before REV``, the project at git revision ``REV`` (``git
archive``), in turns, each with a cache folder of its own: the median wall and CPU seconds
(user and system) of ``--runs`` runs, the largest peak resident memory, and the machine's
load. Nothing here passes or fails; the figures go into results.md by hand.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_index import run  # noqa: E402
from bench_scale import project_copy  # noqa: E402
from real_corpus import PROJECT, conventions_folder, machine_line  # noqa: E402

CODE = """
import sys
from analysis.corpus import load_corpus
from analysis.text.process import cache_key
corpus = load_corpus(sys.argv[1])
cache_key(corpus)
hash(corpus)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10m", choices=["10m", "100m"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="a git revision to measure beside the current code")
    args = parser.parse_args()
    corpus = conventions_folder(74 if args.size == "10m" else 740)
    print(machine_line(corpus), flush=True)
    roots = {"after": PROJECT}
    if args.before:
        roots["before"] = project_copy(args.before)
    caches = {label: Path(tempfile.mkdtemp(prefix=f"bench-load-{label}-")) for label in roots}
    try:
        results = {label: [] for label in roots}
        for k in range(args.runs + 1):  # the first run of each writes the folder's records
            for label, root in roots.items():
                env = {**os.environ, "ANALYSIS_CACHE_DIR": str(caches[label]),
                       "PYTHONPATH": str(root)}
                seconds, memory, cpu = run([sys.executable, "-c", CODE, str(corpus)], env, root)
                print(f"  {label:<7} {'first' if k == 0 else 'warm':<5} {seconds:7.2f} s "
                      f"{cpu:6.2f} cpu s {memory:7.0f} MB; load {os.getloadavg()[0]:.2f}",
                      flush=True)
                if k:
                    results[label].append((seconds, cpu, memory))
        for label, found in results.items():
            print(f"{label:<7} median {statistics.median(r[0] for r in found):7.2f} s, cpu "
                  f"{statistics.median(r[1] for r in found):6.2f} s, peak "
                  f"{max(r[2] for r in found):,.0f} MB")
        print("load at the end:", os.getloadavg())
    finally:
        for folder in caches.values():
            shutil.rmtree(folder, ignore_errors=True)
        if args.before:
            shutil.rmtree(roots["before"], ignore_errors=True)


if __name__ == "__main__":
    main()
