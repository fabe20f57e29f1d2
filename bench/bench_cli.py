"""Wall time and peak memory of command-line analyses on generated corpora of growing size.

Usage::

    python bench/bench_cli.py [--sizes 100k 300k 1m] [--commands freq keyness topics]
                              [--profile topics]

For each size (100k, 300k and 1m words in 50, 150 and 500 files) the corpus
``bench/corpus-<size>`` is generated with ``bench/make_corpus.py`` if missing. Each command is
then run as a subprocess, start-up included, twice:

``cold``
    after deleting the corpus's processed-corpus cache file
    (``.cache/processed-<key>.store``, see ``analysis.text.process.process``); the run
    processes the corpus and writes the cache, which the script checks;
``warm``
    the same command again, reading the cache.

Commands: ``freq --corpus DIR``, ``keyness --corpus DIR --target doc001 --reference general``
and ``topics --corpus DIR``. A subcommand that ``python -m analysis --help`` does not list is
reported as missing. Peers in the same run: ``python -c "import analysis"`` (interpreter and
package start-up), ``python -m analysis --help`` (the command line's start-up) and ``wc -w``
over the same files.

Wall time is measured around the subprocess; peak memory (maximum resident set size) comes
from ``/usr/bin/time -v`` when it exists, else from ``getrusage(RUSAGE_CHILDREN)`` in a fresh
wrapper process per command.

Targets (issue #6): each command < 10 s and < 1 GB at 1M words; time(1m) / time(100k) <= 11.

``--profile CMD`` also runs ``CMD`` cold on the largest corpus under cProfile and prints the
top functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

SIZES = {"100k": (100_000, 50), "300k": (300_000, 150), "1m": (1_000_000, 500)}
COMMANDS = {
    "freq": ["freq"],
    "keyness": ["keyness", "--target", "{first}", "--reference", "general"],
    "topics": ["topics"],
}
TARGET_SECONDS = 10.0
TARGET_MB = 1024.0
TARGET_LINEARITY = 11.0
TIME_BIN = Path("/usr/bin/time")

# Run by a fresh interpreter when /usr/bin/time is missing: runs argv, prints its peak RSS.
RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def ensure_corpus(size: str) -> Path:
    """bench/corpus-<size>, generated if missing."""
    from make_corpus import ensure_corpus as ensure

    return ensure(PROJECT / "bench" / f"corpus-{size}", *SIZES[size])


def cache_file(corpus_dir: Path) -> Path:
    """The processed-corpus cache file of a corpus, keyed on the code as it is on disk now."""
    from analysis.corpus import load_corpus
    from analysis.text import process as processing

    processing._code_fingerprint.cache_clear()
    return processing.cache_path(processing.cache_key(load_corpus(corpus_dir)))


def sample_tree(root: int, seen: dict, stop: threading.Event, label=None) -> None:
    """Every 0.2 s until ``stop``, each process under ``root``: its CPU seconds (the last
    seen: ``seen["cpu"][pid]``) and, where ``seen`` has ``"peaks"``, its largest resident
    memory in bytes with ``label(process)`` (``seen["peaks"][pid] = (rss, label)``); and the
    largest sum of their resident memory in MB (``seen["mb"]``). Workers started by a fork
    server are not children the command waits for, so ``/usr/bin/time`` does not count
    them; this does."""
    import psutil

    try:
        top = psutil.Process(root)
    except psutil.Error:
        return
    peaks = seen.get("peaks")
    while not stop.is_set():
        total = 0
        try:
            procs = [top, *top.children(recursive=True)]
        except psutil.Error:
            break
        for proc in procs:
            try:
                times = proc.cpu_times()
                rss = proc.memory_info().rss
            except psutil.Error:
                continue
            seen["cpu"][proc.pid] = times.user + times.system  # its own: no double count
            total += rss
            if peaks is not None and rss > peaks.get(proc.pid, (0, ""))[0]:
                peaks[proc.pid] = (rss, peaks.get(proc.pid, (0, ""))[1]
                                   or (label(proc) if label else ""))
        seen["mb"] = max(seen["mb"], total / 2**20)
        stop.wait(0.2)


def timed(argv: list[str], cwd: Path = PROJECT, env: dict | None = None) -> dict:
    """Run argv in ``cwd`` with ``env`` (default: this process's environment), stdout
    discarded; wall seconds, peak MB, exit status, stderr tail, CPU seconds (user + system,
    the command and the children it waited for; with ``/usr/bin/time`` only), and, sampled
    every 0.2 s, the whole process tree's CPU seconds (``tree_cpu``, each process's last
    sample) and largest resident memory summed over its processes (``tree_mb``)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        if TIME_BIN.exists():
            full = [str(TIME_BIN), "-v", "-o", report.name, *argv]
        else:
            full = [sys.executable, "-c", RUSAGE_WRAPPER, *argv]
        start = time.perf_counter()
        child = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 text=True, cwd=cwd, env=env)
        seen, stop = {"cpu": {}, "mb": 0.0}, threading.Event()
        sampler = threading.Thread(target=sample_tree, args=(child.pid, seen, stop),
                                   daemon=True)
        sampler.start()
        _, stderr = child.communicate()
        stop.set()
        sampler.join()
        proc = subprocess.CompletedProcess(full, child.returncode, None, stderr)
        wall = time.perf_counter() - start
        if TIME_BIN.exists():
            text = report.read()
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
            kb = int(found.group(1)) if found else 0
            cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)",
                                                   text))
            err = proc.stderr
        else:
            lines = proc.stderr.rstrip().splitlines()
            kb = int(lines[-1]) if lines and lines[-1].isdigit() else 0
            err = "\n".join(lines[:-1])
            cpu = float("nan")
    return {"s": wall, "mb": kb / 1024, "rc": proc.returncode, "err": err.strip()[-300:],
            "cpu": cpu, "tree_cpu": sum(seen["cpu"].values()), "tree_mb": seen["mb"]}


def available_commands() -> set[str]:
    """Subcommands that ``python -m analysis --help`` lists."""
    out = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True,
                         text=True, cwd=PROJECT).stdout
    found = re.search(r"\{([a-z,_-]+)\}", out)
    return set(found.group(1).split(",")) if found else set()


def profile(command: str, corpus_dir: Path, top: int) -> None:
    """Run one command cold under cProfile and print its top functions."""
    argv = [a.format(first=first_doc(corpus_dir)) for a in COMMANDS[command]]
    cache_file(corpus_dir).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.out"
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "analysis",
                        *argv, "--corpus", str(corpus_dir)], stdout=subprocess.DEVNULL,
                       check=False, cwd=PROJECT)
        for key in ("cumulative", "tottime"):
            print(f"\ncProfile of `{command}` cold on {corpus_dir.name}, top {top} by {key}:")
            pstats.Stats(str(out)).strip_dirs().sort_stats(key).print_stats(top)


def first_doc(corpus_dir: Path) -> str:
    from analysis.corpus import load_corpus

    return load_corpus(corpus_dir).ids[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--commands", nargs="+", default=list(COMMANDS),
                        choices=list(COMMANDS))
    parser.add_argument("--profile", choices=list(COMMANDS), help="cProfile one command")
    parser.add_argument("--top", type=int, default=25, help="rows of the profile")
    args = parser.parse_args()

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"memory from {'/usr/bin/time -v' if TIME_BIN.exists() else 'getrusage'}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    known = available_commands()
    python = sys.executable
    rows = []  # (command, mode, size, figures)
    for size in args.sizes:
        corpus_dir = ensure_corpus(size)
        files = sorted(str(p) for p in corpus_dir.glob("*.txt"))
        words = sum(len(Path(f).read_text(encoding="utf-8").split()) for f in files)
        print(f"\n{corpus_dir.name}: {len(files)} files, {words:,} whitespace words", flush=True)
        first = first_doc(corpus_dir)
        for command in args.commands:
            if command not in known:
                rows.append((command, "missing", size, None))
                print(f"  {command}: MISSING (not a subcommand of python -m analysis)")
                continue
            argv = [python, "-m", "analysis",
                    *[a.format(first=first) for a in COMMANDS[command]],
                    "--corpus", str(corpus_dir)]
            cache = cache_file(corpus_dir)
            cache.unlink(missing_ok=True)
            started = time.time()
            for mode in ("cold", "warm"):
                result = timed(argv)
                if mode == "cold":
                    result["cached"] = cache.exists() and cache.stat().st_mtime >= started
                rows.append((command, mode, size, result))
                note = "" if result["rc"] == 0 else f"  FAILED (exit {result['rc']}): " \
                    f"{result['err']}"
                if mode == "cold" and not result["cached"]:
                    note += "  (no cache file written: cold not verified)"
                print(f"  {command:<8}{mode:<5}{result['s']:>8.2f} s{result['mb']:>8.0f} MB"
                      f"{note}", flush=True)
        for peer, argv in (("import", [python, "-c", "import analysis"]),
                           ("--help", [python, "-m", "analysis", "--help"]),
                           ("wc -w", ["wc", "-w", *files])):
            result = timed(argv)
            rows.append((peer, "peer", size, result))
            print(f"  {peer:<13}{result['s']:>8.2f} s{result['mb']:>8.0f} MB", flush=True)

    print_table(rows, args.sizes)
    if args.profile:
        profile(args.profile, ensure_corpus(args.sizes[-1]), args.top)


def print_table(rows, sizes: list[str]) -> None:
    """Command x size -> seconds and MB, linearity, and the targets."""
    table = {}
    for command, mode, size, result in rows:
        table.setdefault((command, mode), {})[size] = result
    print("\nWall seconds (start-up included) and peak resident memory (MB)\n")
    head = f"{'command':<10}{'run':<9}" + "".join(f"{s:>18}" for s in sizes)
    lin = len(sizes) > 1
    if lin:
        head += f"{'t(' + sizes[-1] + ')/t(' + sizes[0] + ')':>16}"
    print(head)
    print("-" * len(head))
    for (command, mode), by_size in table.items():
        cells = []
        for s in sizes:
            r = by_size.get(s)
            if r is None:
                cells.append(f"{'missing':>18}")
            else:
                flag = "" if r["rc"] == 0 else "!"
                cells.append(f"{r['s']:>9.2f} s{r['mb']:>6.0f} MB{flag}")
        line = f"{command:<10}{mode:<9}" + "".join(cells)
        if lin and all(by_size.get(s) for s in (sizes[0], sizes[-1])):
            line += f"{by_size[sizes[-1]]['s'] / by_size[sizes[0]]['s']:>16.1f}"
        print(line)
    print("(! = the command failed)")
    big = sizes[-1]
    print(f"\nTargets at {big}: < {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB; "
          f"t({big})/t({sizes[0]}) <= {TARGET_LINEARITY:.0f}")
    for (command, mode), by_size in table.items():
        if mode not in ("cold", "warm") or not by_size.get(big):
            continue
        r = by_size[big]
        checks = [f"time {'met' if r['s'] < TARGET_SECONDS else 'NOT met'}",
                  f"memory {'met' if r['mb'] < TARGET_MB else 'NOT met'}"]
        if len(sizes) > 1 and by_size.get(sizes[0]):
            ratio = r["s"] / by_size[sizes[0]]["s"]
            checks.append(f"linearity {'met' if ratio <= TARGET_LINEARITY else 'NOT met'}")
        if r["rc"] != 0:
            checks.append("FAILED")
        print(f"  {command:<8} {mode:<5} " + ", ".join(checks))


if __name__ == "__main__":
    if shutil.which("wc") is None:
        sys.exit("wc not found")
    main()
