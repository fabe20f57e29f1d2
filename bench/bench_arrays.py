"""The commands and report analyses that read sentences and tokens, before and after a change:
warm wall time, CPU time and peak memory at 1M and 10M words.

Usage::

    python bench/bench_arrays.py --before REV [--sizes 1m 10m] [--runs 3]

For each corpus (``bench/corpus-conventions-1m``, ``bench/corpus-conventions-x74``; see
``real_corpus.py``) and for each side (the project at git revision ``REV``, extracted with
``git archive`` as ``bench_scale.py --before`` does, then the working tree), in one run:

- the cache is filled once (``corpus``, untimed), in a cache folder of the side's own;
- each command of :data:`COMMANDS` runs ``--runs`` times warm, start-up included: the
  median wall seconds, the median CPU seconds (user + system, from ``/usr/bin/time -v``:
  less at the mercy of other processes on a loaded machine than the wall time) and the
  largest peak resident memory;
- :data:`REPORT` runs the same way: the calls of the framing and topic reports (03, 04)
  whose tables read sentences and tokens, in one process.

The machine's load average is printed before each corpus and after each side. Nothing here
passes or fails; the figures go into results.md by hand.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import project_copy  # noqa: E402
from real_corpus import PROJECT, conventions_folder, machine_line  # noqa: E402

COMMANDS = [["topics"], ["frames"], ["frames", "--by", "party"], ["roads"],
            ["similarity", "--by", "party"], ["diversity"], ["readability"]]

REPORT = """
import sys
from analysis import stance
from analysis.actors import actor_context, actor_descriptors, actor_mentions, most_named
from analysis.corpus import load_corpus
from analysis.dictionaries.builtin import builtin
from analysis.framing.frames import code_frames, frame_shares, uncoded_sentences
from analysis.framing.metaphors import quotations
from analysis.text.process import process

p = process(load_corpus(sys.argv[1]))
frames = builtin("policy-frames")
coded = code_frames(p, frames)
frame_shares(p, by="party", dictionary=frames, coded=coded)
frame_shares(p, by="doc", dictionary=frames, coded=coded)
uncoded_sentences(p, frames, coded)
quotations(p)
stance.participants(p, by="party")
mentions = actor_mentions(p)
actor = most_named(mentions)
actor_context(p, actor, by="party", mentions=mentions)
actor_descriptors(p, actor, mentions=mentions)
"""


def run(argv: list[str], env: dict, cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak MB of a command that must succeed."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", report.name, *argv],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              cwd=cwd, env=env)
        wall = time.perf_counter() - start
        text = report.read()
    if proc.returncode:
        raise SystemExit(f"failed: {' '.join(argv)}: {proc.stderr.strip()[-300:]}")

    def field(name: str) -> float:
        found = re.search(rf"{re.escape(name)}: ([\d.]+)", text)
        return float(found.group(1)) if found else float("nan")

    cpu = field("User time (seconds)") + field("System time (seconds)")
    return wall, cpu, field("Maximum resident set size (kbytes)") / 1024


def measure(label: str, root: Path, corpus: Path, runs: int) -> list[tuple]:
    cache = Path(tempfile.mkdtemp(prefix="bench-arrays-cache-"))
    # PYTHONPATH: the report script imports the side's package, not the installed one.
    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(cache), "PYTHONPATH": str(root)}
    base = [sys.executable, "-m", "analysis"]
    rows = []
    try:
        run(base + ["corpus", "--corpus", str(corpus)], env, root)  # fills the cache
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
            script.write(REPORT)
        jobs = [(" ".join(argv), base + argv + ["--corpus", str(corpus), "--format", "csv"])
                for argv in COMMANDS]
        jobs.append(("reports 03/04 analyses", [sys.executable, script.name, str(corpus)]))
        for name, argv in jobs:
            results = [run(argv, env, root) for _ in range(runs)]
            rows.append((label, name, statistics.median(r[0] for r in results),
                         statistics.median(r[1] for r in results), max(r[2] for r in results)))
        os.unlink(script.name)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"  {label}: done, load average {os.getloadavg()[0]:.2f}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the git revision to compare with")
    parser.add_argument("--sizes", nargs="+", default=["1m", "10m"], choices=["1m", "10m"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    before = project_copy(args.before)
    try:
        for size in args.sizes:
            corpus = conventions_folder(8 if size == "1m" else 74)
            print(machine_line(corpus), flush=True)
            rows = measure(f"before ({args.before})", before, corpus, args.runs)
            rows += measure("after (working tree)", PROJECT, corpus, args.runs)
            print(f"{'who':<24} {'command':<28} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}")
            for who, command, wall, cpu, memory in sorted(rows, key=lambda r: r[1]):
                print(f"{who:<24} {command:<28} {wall:7.2f} {cpu:7.2f} {memory:8.0f}")
            print(flush=True)
    finally:
        shutil.rmtree(before, ignore_errors=True)


if __name__ == "__main__":
    main()
