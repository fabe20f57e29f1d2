"""Time ``python -m analysis build`` against executing the notebooks one after the other.

Usage::

    python bench/bench_build.py [--jobs N] [--large bench/corpus-1m] [--no-large]

1. ``python -m analysis build --out TMP`` on the seed corpus (the venv warm: one untimed
   import of what the build and its kernels import first).
2. The peer, in the same run: each notebook executed in turn with the venv's
   ``jupyter nbconvert --execute --to html --output-dir TMP2``. The notebooks run from copies
   in TMP2 whose parameters cell is followed by the same injected cell the build adds
   (``CORPUS_DIR`` = the seeds, ``FIGURES_DIR`` = TMP2/figures), so that the peer does the
   same work and does not rewrite the project's committed ``figures/``.
3. ``python -m analysis build --corpus bench/corpus-1m --out TMP3`` (the corpus generated if
   missing; its processed-corpus cache deleted first, so the build starts cold): its time,
   exit status and any failure it prints. This takes minutes; the build (its whole process
   group) is stopped after ``--large-timeout`` seconds (default 1800).

Wall times include every start-up; peak memory is that of the largest single process (from
``/usr/bin/time -v``, when it exists).

Targets (issue #6): the seed build < 15 s and <= 0.5 x the sequential nbconvert time.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

TARGET_SECONDS = 15.0
TARGET_RATIO = 0.5
TIME_BIN = Path("/usr/bin/time")


def run(argv: list[str], env: dict | None = None, timeout: float | None = None) -> dict:
    """Run argv in the project folder; wall seconds, peak MB, exit status, output.

    The command runs in its own process group, with its output in files (not pipes, which a
    left-over grandchild could hold open); after ``timeout`` seconds the whole group is
    terminated and ``timed_out`` is set.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, \
            tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        full = [str(TIME_BIN), "-v", "-o", report.name, *argv] if TIME_BIN.exists() else argv
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, text=True, cwd=PROJECT, env=env,
                                start_new_session=True)
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, None)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
        wall = time.perf_counter() - start
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything of the group still alive
        except ProcessLookupError:
            pass
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report.read())
        out.seek(0)
        err.seek(0)
        return {"s": wall, "mb": int(found.group(1)) / 1024 if found else float("nan"),
                "rc": proc.returncode, "out": out.read(), "err": err.read(),
                "timed_out": timed_out}


def sequential_nbconvert(out: Path) -> tuple[float, list[tuple[str, dict]]]:
    """Execute every notebook in turn with jupyter nbconvert; total seconds and each run."""
    import nbformat

    from analysis import build, config

    src, figures = out / "src", out / "figures"
    src.mkdir(parents=True)
    figures.mkdir()
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(PROJECT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    runs, total = [], 0.0
    for path in build.find_notebooks(config.NOTEBOOKS_DIR):
        nb, _ = build.inject_parameters(nbformat.read(path, as_version=4), config.SEEDS_DIR,
                                        figures)
        copy = src / path.name
        nbformat.write(nb, copy)
        result = run([jupyter, "nbconvert", "--execute", "--to", "html", "--output-dir",
                      str(out), "--ExecutePreprocessor.timeout=600", str(copy)], env=env)
        runs.append((path.name, result))
        total += result["s"]
        print(f"  nbconvert {path.name:<32}{result['s']:>7.2f} s{result['mb']:>7.0f} MB"
              + ("" if result["rc"] == 0 else f"  FAILED: {result['err'].strip()[-300:]}"),
              flush=True)
    return total, runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None,
                        help="--jobs for the build (default: the build's own, one per CPU)")
    parser.add_argument("--large", type=Path, default=PROJECT / "bench" / "corpus-1m",
                        help="large corpus for step 3 (generated if missing)")
    parser.add_argument("--no-large", action="store_true", help="skip step 3")
    parser.add_argument("--large-timeout", type=float, default=1800,
                        help="seconds before the large build is stopped (default 1800)")
    args = parser.parse_args()

    python = sys.executable
    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    # Warm the venv (untimed): read what the build and its kernels import, as a machine that
    # has used the venv before has it in its file cache. The nbconvert peer, which runs after
    # the build, would otherwise be the only one to find it there.
    subprocess.run([python, "-c", "import ipykernel.kernelapp, matplotlib.pyplot, nbconvert, "
                    "nltk, pandas, sklearn, wordfreq, analysis.build"],
                   capture_output=True, cwd=PROJECT)

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        build = run([python, "-m", "analysis", "build", *jobs, "--out", str(tmp / "build")])
        print(f"  analysis build (seeds){build['s']:>20.2f} s{build['mb']:>7.0f} MB"
              + ("" if build["rc"] == 0 else f"  FAILED (exit {build['rc']})"), flush=True)
        if build["rc"] != 0:
            print(build["err"].strip()[-2000:])
        sequential, runs = sequential_nbconvert(tmp / "nbconvert")
        failed = [name for name, r in runs if r["rc"] != 0]

    ratio = build["s"] / sequential
    print("\nSeed corpus: build vs notebooks executed one after the other (wall seconds)\n")
    print(f"{'analysis build':<40}{build['s']:>8.2f} s")
    print(f"{'nbconvert --execute, sequential':<40}{sequential:>8.2f} s"
          + (f"  (failed: {', '.join(failed)})" if failed else ""))
    print(f"{'ratio build / sequential':<40}{ratio:>8.2f}")
    print(f"targets: build < {TARGET_SECONDS:.0f} s: "
          f"{'met' if build['s'] < TARGET_SECONDS and build['rc'] == 0 else 'NOT met'}; "
          f"<= {TARGET_RATIO} x sequential: {'met' if ratio <= TARGET_RATIO else 'NOT met'}")

    if args.no_large:
        return
    from bench_cli import cache_file  # the same cache-key logic as the CLI benchmark
    from make_corpus import ensure_corpus

    large = ensure_corpus(args.large)
    cache_file(large).unlink(missing_ok=True)
    print(f"\nbuild on {large.name} (cache deleted first; this takes minutes)...", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-build-large-") as tmp:
        big = run([python, "-m", "analysis", "build", *jobs, "--corpus", str(large),
                   "--out", tmp], timeout=args.large_timeout)
        reports = sorted(p.name for p in (Path(tmp) / "reports").glob("*.html"))
        figures = len(list((Path(tmp) / "figures").glob("*")))
    print(f"{'analysis build --corpus ' + large.name:<40}{big['s']:>8.2f} s"
          f"{big['mb']:>7.0f} MB  exit {big['rc']}; {len(reports)} reports, {figures} figures"
          + (f"  STOPPED after {args.large_timeout:.0f} s" if big["timed_out"] else ""))
    print(f"reports written: {', '.join(reports) or 'none'}")
    print("its report:")
    for line in (big["err"].strip() or "(nothing on stderr)").splitlines()[-40:]:
        print(f"  {line}")


if __name__ == "__main__":
    main()
