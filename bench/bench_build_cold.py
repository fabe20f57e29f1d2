"""Time cold builds of large corpora: wall seconds, each process's peak memory, each notebook.

Usage::

    python bench/bench_build_cold.py CORPUS [CORPUS ...] [--runs 3] [--peer DIR]
        [--jobs N] [--by VAR]

For each corpus and each run, ``python -m analysis build --corpus CORPUS --out TMP`` starts
with an empty cache folder (``ANALYSIS_CACHE_DIR`` set to a fresh temporary folder), so the
build processes the corpus itself: a cold build. While it runs, every process of its tree
(the build, its workers, their kernels) is sampled every 0.2 s with psutil; the largest
resident set seen for each process is reported, and the largest of all. Each notebook's
time is the build's own (``build-times.json`` in the cache folder, with its kernel's start, its
rendering and its slowest cell where the build records them). CPU seconds: the user and
system time of every process of the build that has exited (``RUSAGE_CHILDREN``).

``--peer DIR``: a checkout of another revision (e.g. ``git archive REV | tar -x -C DIR``,
with the compiled scanner copied in), built in the same run, alternating with this one;
the ratio is this revision's median over the peer's.

Prints the machine's load before each run; medians over the runs.

Targets (issue #29): every report of 10M words cold <= 60 s and no process above 2 GB;
1M words cold <= 20 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))
from bench_cli import sample_tree  # noqa: E402


def _label(proc: psutil.Process, root: int) -> str:
    """What a process of the build's tree is: the build itself, a kernel, a worker (forked
    from the build: a notebook's runner, or the processing of the corpus) or another."""
    try:
        cmd = proc.cmdline()
    except psutil.Error:
        return "?"
    if proc.pid == root:
        return "build"
    if "ipykernel_launcher" in " ".join(cmd):
        return "kernel"
    if "build" in cmd:
        return "worker"
    return "other"


def build_once(project: Path, corpus: Path, jobs: int | None, by: str | None) -> dict:
    """One cold build of ``corpus`` with the code of ``project``."""
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, ANALYSIS_CACHE_DIR=str(tmp / "cache"),
                   PYTHONPATH=str(project))
        argv = [sys.executable, "-m", "analysis", "build", "--corpus", str(corpus),
                "--out", str(tmp / "out"), *(["--jobs", str(jobs)] if jobs else []),
                *(["--by", by] if by else [])]
        seen: dict = {"cpu": {}, "mb": 0.0, "peaks": {}}
        stop = threading.Event()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=project, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        watcher = threading.Thread(target=sample_tree, args=(
            proc.pid, seen, stop, lambda process: _label(process, proc.pid)))
        watcher.start()
        _, err = proc.communicate()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        stop.set()
        watcher.join()
        try:
            times = json.loads((tmp / "cache" / "build-times.json").read_text())
        except (OSError, ValueError):
            times = {}
        reports = len(list((tmp / "out" / "reports").glob("*.html")))
    # build-times.json: a notebook's seconds, kernel start, rendering and cells (or, as
    # older builds wrote it, its seconds alone)
    times = {Path(k).stem: v if isinstance(v, dict) else {"seconds": v}
             for k, v in times.items()}
    return {"s": wall, "cpu": cpu, "rc": proc.returncode, "err": err, "reports": reports,
            "peaks": seen["peaks"], "times": times}


def _slowest(cells: list) -> str:
    """The slowest cell of a notebook's record: its seconds and index."""
    cell = max(cells, key=lambda c: c[2])
    return f"{cell[2]:.1f} ({cell[0]})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer", type=Path, default=None,
                        help="a checkout of another revision, built in the same run")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--by", default=None)
    args = parser.parse_args()
    projects = {"this": PROJECT, **({"peer": args.peer.resolve()} if args.peer else {})}
    for corpus in args.corpora:
        walls: dict[str, list[float]] = {name: [] for name in projects}
        cpus: dict[str, list[float]] = {name: [] for name in projects}
        for run in range(args.runs):
            for name, project in projects.items():
                load = " ".join(f"{x:.2f}" for x in os.getloadavg())
                r = build_once(project, corpus.resolve(), args.jobs, args.by)
                walls[name].append(r["s"])
                cpus[name].append(r["cpu"])
                peak = max(r["peaks"].values(), default=(0, "?"))
                by_kind: dict[str, float] = {}
                for rss, kind in r["peaks"].values():
                    by_kind[kind] = max(by_kind.get(kind, 0), rss / 2**20)
                print(f"{corpus.name} {name} run {run + 1}: {r['s']:.1f} s wall, "
                      f"{r['cpu']:.1f} s CPU (every process of the build), exit {r['rc']}, "
                      f"{r['reports']} reports; load before {load}; largest process "
                      f"{peak[0] / 2**20:.0f} MB ({peak[1]}); by kind "
                      + ", ".join(f"{k} {v:.0f} MB" for k, v in sorted(by_kind.items())),
                      flush=True)
                print("  notebooks: " + ", ".join(f"{k} {v['seconds']:.1f} s"
                                                  for k, v in sorted(r["times"].items())),
                      flush=True)
                if all(v.get("cells") for v in r["times"].values()):
                    print("  kernel start / rendering / slowest cell (its index): " + ", ".join(
                        f"{k[:2]} {v['kernel']:.1f}/{v['render']:.1f}/{_slowest(v['cells'])}"
                        for k, v in sorted(r["times"].items())), flush=True)
                if r["rc"] != 0:
                    print("   " + r["err"].strip()[-1500:].replace("\n", "\n   "))
        line = ", ".join(f"{name} median {statistics.median(v):.1f} s "
                         f"({' '.join(f'{x:.1f}' for x in v)})" for name, v in walls.items())
        line += "; CPU " + ", ".join(f"{name} median {statistics.median(v):.1f} s"
                                     for name, v in cpus.items())
        if args.peer:
            ratio = {name: statistics.median(v["this"]) / statistics.median(v["peer"])
                     for name, v in (("wall", walls), ("CPU", cpus))}
            line += f"; ratio this/peer wall {ratio['wall']:.2f}, CPU {ratio['CPU']:.2f}"
        print(f"{corpus.name}: {line}", flush=True)


if __name__ == "__main__":
    main()
