"""Warm wall time, CPU time and peak memory of every non-counting subcommand, this revision
against another, interleaved.

Usage::

    python bench/bench_subcommands.py [--before REV] [--after REV] [--corpus DIR] [--runs 3]
                                      [--commands topics sequences ...] [--cache DIR]

Corpus: ``bench/corpus-conventions-x74`` (13,987 files, 10M words; ``real_corpus.py``
writes it), or ``--corpus``. Each checkout (the working tree or ``--after``, and
``--before``, unpacked from git with this tree's compiled scanner, as ``bench_warm.py``
does) has a cache folder of its own (``ANALYSIS_CACHE_DIR``; under ``--cache DIR`` they are
kept for the next run), which one ``readability`` run fills first (the cold run, not
counted). Then, for each command, ``--runs`` warm runs of each checkout, interleaved
(before, after, before, ...): each a fresh process, ``python -m analysis COMMAND --corpus
CORPUS`` with the table written to ``/dev/null`` in the default format; its wall seconds,
CPU seconds (user + system, from ``wait4``) and peak resident memory (``ru_maxrss``).
Printed: each run, then per command the medians, the peak, the ratio after/before of the
median wall and CPU times (the peer in the same run), and the machine's load
(``os.getloadavg``) before and after.

Commands: topics, sequences, noise, diversity, frames, sentences, roads, duplicates,
readability, lines, dictionary (with the Policy Frames Codebook's dictionary file),
similarity --by party, explore --by party (its page into a temporary file); ``sketch``
needs an annotated corpus (CoNLL-U, DocBin or ``--annotate``) and is left out.

Targets (issue #29): at 10M words, each <= 3 s and <= 1 GB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_warm import unpack  # noqa: E402

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
DEFAULT_CORPUS = BENCH / "corpus-conventions-x74"
DICTIONARY = PROJECT / "analysis" / "dictionaries" / "data" / "policy-frames.csv"

#: name -> arguments after the subcommand ({out}: a temporary file).
COMMANDS = {
    "topics": ["topics"],
    "sequences": ["sequences"],
    "noise": ["noise"],
    "diversity": ["diversity"],
    "frames": ["frames"],
    "sentences": ["sentences"],
    "roads": ["roads"],
    "duplicates": ["duplicates"],
    "readability": ["readability"],
    "lines": ["lines"],
    "dictionary": ["dictionary", "--dictionary", str(DICTIONARY)],
    "similarity": ["similarity", "--by", "party"],
    "explore": ["explore", "--by", "party", "--out", "{out}"],
}
TARGET_SECONDS = 3.0
TARGET_MB = 1024.0


def run(project: Path, argv: list[str], cache: Path) -> tuple[float, float, float]:
    """One command in a fresh process: wall seconds, CPU seconds and peak resident MB."""
    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(cache), "PYTHONPATH": str(project)}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "analysis", *argv], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    error = child.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"{project}: {' '.join(argv)} failed: {error.strip()[-300:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="the peer revision (default main)")
    parser.add_argument("--after", default=None,
                        help="the revision measured (default: the working tree)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--commands", nargs="+", default=list(COMMANDS), choices=list(COMMANDS))
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep each checkout's cache folder here (default: temporary)")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"{args.corpus}: no such corpus (bench/real_corpus.py writes it)")
    with tempfile.TemporaryDirectory(prefix="bench-subcommands-") as temp:
        temp = Path(temp)
        caches = args.cache or temp
        checkouts = {"before": unpack(args.before, temp / "before"),
                     "after": PROJECT if args.after is None else unpack(args.after,
                                                                        temp / "after")}
        out = temp / "explorer.html"
        print(f"corpus {args.corpus}; before = {args.before}, after = "
              f"{args.after or 'the working tree'}; "
              f"load {load()}", flush=True)
        for name, project in checkouts.items():
            cache = caches / f"cache-{name}"
            cache.mkdir(parents=True, exist_ok=True)
            seconds, cpu, peak = run(project, ["readability", "--corpus", str(args.corpus)],
                                     cache)
            print(f"  {name:<6} first run (fills the cache) {seconds:7.2f} s, {cpu:7.2f} s CPU,"
                  f" {peak:6,.0f} MB", flush=True)
        summary = []
        for command in args.commands:
            argv = [a.format(out=out) for a in COMMANDS[command]] + ["--corpus",
                                                                      str(args.corpus)]
            print(f"{command}: load {load()}", flush=True)
            runs = {name: [] for name in checkouts}
            for _ in range(args.runs):
                for name, project in checkouts.items():
                    result = run(project, argv, caches / f"cache-{name}")
                    runs[name].append(result)
                    print(f"  {name:<6} {result[0]:7.2f} s {result[1]:7.2f} s CPU "
                          f"{result[2]:6,.0f} MB", flush=True)
            medians = {name: (statistics.median(r[0] for r in rs),
                              statistics.median(r[1] for r in rs), max(r[2] for r in rs))
                       for name, rs in runs.items()}
            for name, (wall, cpu, peak) in medians.items():
                print(f"  {name:<6} median {wall:7.2f} s, {cpu:7.2f} s CPU, peak {peak:6,.0f} MB",
                      flush=True)
            (bw, bc, _), (aw, ac, ap) = medians["before"], medians["after"]
            print(f"  after/before: wall {aw / bw:.2f}, CPU {ac / bc:.2f}; load {load()}",
                  flush=True)
            summary.append((command, medians, aw / bw, ac / bc,
                            aw <= TARGET_SECONDS and ap <= TARGET_MB))
        print("\n| command | before s (CPU) | after s (CPU) | before MB | after MB | wall ratio "
              "| CPU ratio | target |\n|---|---|---|---|---|---|---|---|")
        for command, medians, wall, cpu, met in summary:
            (bw, bc, bp), (aw, ac, ap) = medians["before"], medians["after"]
            print(f"| {command} | {bw:.2f} ({bc:.2f}) | {aw:.2f} ({ac:.2f}) | {bp:,.0f} | "
                  f"{ap:,.0f} | {wall:.2f} | {cpu:.2f} | {'met' if met else 'not met'} |")
        print(f"load at the end {load()}")


if __name__ == "__main__":
    main()
