"""The counting commands warm at 10M words, with the corpus's index, beside the code before.

Usage::

    python bench/bench_index.py [--size 10m] [--runs 3] [--before REV] [--caches DIR]

On the 10M-word convention speeches (``bench/corpus-conventions-x74``; ``--size 1m`` the 1M
ones, ``--size 100m`` the 100M ones, ``bench/corpus-conventions-x740``, 139,860 files), for
the current code and, with ``--before REV``, the project at git revision ``REV``
(extracted with ``git archive``, as ``bench_scale.py --before``), each with a cache folder
of its own (``--caches DIR``: ``DIR/after`` and ``DIR/before``, kept between runs, so that
the 100M corpus is processed once; the first ``freq`` is then warm too):

- **cold** ``freq``: the corpus read, processed, indexed (after the change) and cached;
- each **warm** command below, the median of ``--runs`` whole-process runs (start-up
  included), and the largest peak resident memory of its runs: ``freq``, ``keyness
  --target party=democrat``, ``keyness --target doc=ID`` (the first document), ``freq --by
  party``, ``kwic america`` (every line, 51,000 at
  10M, and ``kwic "health care"``), ``kwic america --top 1000`` (the first 1,000 lines and
  the number of all; the current code only), ``collocates america``, ``trends america
  --date copy`` (the copy number as the year) and ``corpus --format csv`` (``--only``:
  the commands starting with these words); beside the wall time, the median CPU time
  (user and system), which a shared machine's load inflates less;
- the **cache** file's size (processed corpus and index) per million words.

Runs take turns (the before and after of one command, then the next), so a change of the
machine's load hits both. Nothing here passes or fails; the figures go into results.md by hand.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import project_copy, words_of  # noqa: E402
from real_corpus import PROJECT, conventions_folder, machine_line  # noqa: E402

WARM = [["freq", "--top", "20"], ["keyness", "--target", "party=democrat", "--top", "20"],
        ["keyness", "--target", "doc=DOC", "--top", "20"],
        ["freq", "--by", "party", "--top", "20"], ["kwic", "america"],
        ["kwic", "health care"], ["kwic", "america", "--top", "1000"],
        ["collocates", "america"],
        ["trends", "america", "--date", "copy"], ["corpus", "--format", "csv"]]


def run(argv: list[str], env: dict, cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident MB and CPU seconds (user + system) of one command that
    must succeed (``wait4``'s resource usage of the process)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    error = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(argv)}: {error.strip()[-300:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10m", choices=["1m", "10m", "100m"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="a git revision to measure beside the current code")
    parser.add_argument("--caches", type=Path, help="keep the cache folders here")
    parser.add_argument("--only", nargs="+", help="only the commands starting with these")
    args = parser.parse_args()
    corpus = conventions_folder({"1m": 8, "10m": 74, "100m": 740}[args.size])
    words = words_of(corpus)
    print(machine_line(corpus), f"({words:,} words)", flush=True)
    roots = {"after": PROJECT}
    if args.before:
        roots["before"] = project_copy(args.before)
    if args.caches:
        caches = {label: args.caches / label for label in roots}
        for folder in caches.values():
            folder.mkdir(parents=True, exist_ok=True)
    else:
        caches = {label: Path(tempfile.mkdtemp(prefix=f"bench-index-{label}-"))
                  for label in roots}
    first_doc = {"1m": "01-001", "10m": "01-001", "100m": "001-001"}[args.size]
    warm = [[a.replace("doc=DOC", f"doc={first_doc}") for a in argv] for argv in WARM
            if not args.only or any(" ".join(argv).startswith(o) for o in args.only)]
    base = [sys.executable, "-m", "analysis"]
    try:
        rows = []
        for label, root in roots.items():
            env = {**os.environ, "ANALYSIS_CACHE_DIR": str(caches[label])}
            seconds, memory, cpu = run(base + ["freq", "--top", "20", "--corpus", str(corpus)],
                                       env, root)
            size = sum(p.stat().st_size for p in caches[label].glob("processed-*")) / 2**20
            rows.append((label, "freq (first run)", [seconds], [memory], [cpu],
                         f"cache {size:.0f} MB, {size / words * 1e6:.1f} MB per Mw"))
        for argv in warm:
            results = {label: [] for label in roots
                       if label == "after" or argv[:1] != ["kwic"] or "--top" not in argv}
            for _ in range(args.runs):
                for label, root in roots.items():
                    if label not in results:
                        continue
                    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(caches[label])}
                    results[label].append(run(base + argv + ["--corpus", str(corpus)], env,
                                              root))
            for label in results:
                rows.append((label, " ".join(argv), [r[0] for r in results[label]],
                             [r[1] for r in results[label]], [r[2] for r in results[label]],
                             ""))
                print(f"  {label:<7} {' '.join(argv):<44} {statistics.median(rows[-1][2]):8.2f}"
                      f" s; load {os.getloadavg()[0]:.2f}", flush=True)
        print(f"{'code':<7} {'command':<44} {'median s':>8} {'cpu s':>6} {'peak MB':>8}  runs")
        for label, command, seconds, memory, cpu, note in rows:
            print(f"{label:<7} {command:<44} {statistics.median(seconds):8.2f} "
                  f"{statistics.median(cpu):6.2f} {max(memory):8.0f}  "
                  f"{', '.join(f'{s:.2f}' for s in seconds)}  {note}")
        print(machine_line(corpus).split(";")[0].rsplit(",", 1)[-1].strip(), "at the end:",
              os.getloadavg())
    finally:
        for folder in caches.values():
            if not args.caches:
                shutil.rmtree(folder, ignore_errors=True)
        if args.before:
            shutil.rmtree(roots["before"], ignore_errors=True)


if __name__ == "__main__":
    main()
