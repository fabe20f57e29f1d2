"""The counting commands warm at 10M words, with the corpus's index, beside the code before.

Usage::

    python bench/bench_index.py [--size 10m] [--runs 3] [--before REV]

On the 10M-word convention speeches (``bench/corpus-conventions-x74``; ``--size 1m`` the 1M
ones), for the current code and, with ``--before REV``, the project at git revision ``REV``
(extracted with ``git archive``, as ``bench_scale.py --before``), each with a cache folder
of its own:

- **cold** ``freq``: the corpus read, processed, indexed (after the change) and cached;
- each **warm** command below, the median of ``--runs`` whole-process runs (start-up
  included), and the largest peak resident memory of its runs: ``freq``, ``keyness
  --target party=democrat``, ``freq --by party``, ``kwic america`` (every line, 51,000 at
  10M, and ``kwic "health care"``), ``collocates america``, ``trends america --date copy``
  (the copy number as the year) and ``corpus --format csv``;
- the **cache** file's size (processed corpus and index) per million words.

Runs take turns (the before and after of one command, then the next), so a change of the
machine's load hits both. Nothing here passes or fails; the figures go into results.md by hand.
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
from bench_scale import project_copy, run, words_of  # noqa: E402
from real_corpus import PROJECT, conventions_folder, machine_line  # noqa: E402

WARM = [["freq", "--top", "20"], ["keyness", "--target", "party=democrat", "--top", "20"],
        ["freq", "--by", "party", "--top", "20"], ["kwic", "america"],
        ["kwic", "health care"], ["collocates", "america"],
        ["trends", "america", "--date", "copy"], ["corpus", "--format", "csv"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10m", choices=["1m", "10m"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="a git revision to measure beside the current code")
    args = parser.parse_args()
    corpus = conventions_folder(8 if args.size == "1m" else 74)
    words = words_of(corpus)
    print(machine_line(corpus), f"({words:,} words)", flush=True)
    roots = {"after": PROJECT}
    if args.before:
        roots["before"] = project_copy(args.before)
    caches = {label: Path(tempfile.mkdtemp(prefix=f"bench-index-{label}-")) for label in roots}
    base = [sys.executable, "-m", "analysis"]
    try:
        rows = []
        for label, root in roots.items():
            env = {**os.environ, "ANALYSIS_CACHE_DIR": str(caches[label])}
            seconds, memory = run(base + ["freq", "--top", "20", "--corpus", str(corpus)], env,
                                  root)
            size = sum(p.stat().st_size for p in caches[label].glob("processed-*")) / 2**20
            rows.append((label, "freq (cold)", [seconds], [memory],
                         f"cache {size:.0f} MB, {size / words * 1e6:.1f} MB per Mw"))
        for argv in WARM:
            results = {label: [] for label in roots}
            for _ in range(args.runs):
                for label, root in roots.items():
                    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(caches[label])}
                    results[label].append(run(base + argv + ["--corpus", str(corpus)], env,
                                              root))
            for label in roots:
                rows.append((label, " ".join(argv), [r[0] for r in results[label]],
                             [r[1] for r in results[label]], ""))
        print(f"{'code':<7} {'command':<44} {'median s':>8} {'peak MB':>8}  runs")
        for label, command, seconds, memory, note in rows:
            print(f"{label:<7} {command:<44} {statistics.median(seconds):8.2f} "
                  f"{max(memory):8.0f}  {', '.join(f'{s:.2f}' for s in seconds)}  {note}")
        print(machine_line(corpus).split(";")[0].rsplit(",", 1)[-1].strip(), "at the end:",
              os.getloadavg())
    finally:
        for folder in caches.values():
            shutil.rmtree(folder, ignore_errors=True)
        if args.before:
            shutil.rmtree(roots["before"], ignore_errors=True)


if __name__ == "__main__":
    main()
