"""A build grouped by a column of 10,000 values: every report caps the units it shows.

Usage::

    python bench/bench_many_groups.py [--source CSV] [--documents 20000] [--groups 10000]

1. Writes ``bench/corpus-many-groups.csv`` (gitignored) once, from real text: the 2012
   convention speeches (``--source``, default ``bench/corpus-conventions.csv``, written by
   ``real_corpus.py``) split at sentence ends and dealt out, a run of consecutive sentences
   per document, into ``--documents`` documents (the speeches twice over), with the columns
   ``id, text, party, speaker, batch``; ``batch`` takes ``--groups`` values, each document's
   being its number divided by the documents per group (``g00000``, ``g00001``, ...).
2. Runs ``python -m analysis build --corpus bench/corpus-many-groups.csv -p BY=batch --out
   TMP`` cold (the processed corpus's cache deleted first) under ``/usr/bin/time -v``, and
   prints its wall time, exit status, the peak resident memory of its largest process (time's
   figure, and which process it was), the peak of all its processes together (PSS, sampled
   every 0.2 s), their CPU time, the reports and figures written, and the largest figure in
   pixels.

Target (issue 25, item 9): the build finishes under 2 minutes and 2 GB.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from bench_build import run  # noqa: E402
from real_corpus import machine_line  # noqa: E402

CORPUS = PROJECT / "bench" / "corpus-many-groups.csv"
TARGET_SECONDS, TARGET_MB = 120.0, 2048.0


def write_corpus(source: Path, documents: int, groups: int) -> Path:
    """The speeches' sentences dealt out into ``documents`` rows of ``groups`` groups."""
    if CORPUS.exists():
        return CORPUS
    sentences = []  # (party, speaker, sentence)
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for sentence in re.split(r"(?<=[.!?])\s+", " ".join(row["text"].split())):
                if len(sentence.split()) >= 3:
                    sentences.append((row["party"], row["speaker"], sentence))
    per_document = max(1, 2 * len(sentences) // documents)  # the speeches about twice
    per_group = documents // groups
    with CORPUS.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "party", "speaker", "batch"])
        for number in range(documents):
            start = number * per_document
            run_ = [sentences[(start + i) % len(sentences)] for i in range(per_document)]
            writer.writerow([f"d{number:05d}", " ".join(s for _, _, s in run_), run_[0][0],
                             run_[0][1], f"g{number // per_group:05d}"])
    return CORPUS


def peak_tree_mb(result: dict, stop: threading.Event) -> None:
    """The build's memory, sampled every 0.2 s over this script's child processes (the build
    under ``/usr/bin/time``, its workers and their kernels): the largest sum of their
    proportional set sizes (PSS: a page shared by forked processes counted once, in shares),
    the largest resident set of one process and what that process was, and the CPU seconds
    they used (each process's last sample)."""
    peak, largest, me, cpu = 0, (0, ""), psutil.Process(), {}
    while not stop.is_set():
        total = 0
        for proc in me.children(recursive=True):
            try:
                memory = proc.memory_full_info()
                total += memory.pss
                if memory.rss > largest[0]:
                    largest = (memory.rss, " ".join(proc.cmdline()[1:4]))
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
            except psutil.Error:  # ended since listed
                pass
        peak = max(peak, total)
        time.sleep(0.2)
    result["peak_mb"] = peak / 2**20
    result["largest"] = (largest[0] / 2**20, largest[1])
    result["cpu_s"] = sum(cpu.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=PROJECT / "bench" /
                        "corpus-conventions.csv")
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    corpus = write_corpus(args.source, args.documents, args.groups)
    from analysis.corpus import load_corpus
    from analysis.text.process import cache_key, cache_path

    loaded = load_corpus(corpus)
    words = sum(len(d.raw.split()) for d in loaded)
    print(machine_line(corpus))
    print(f"{len(loaded)} documents, {words} words, "
          f"{len({d.metadata['batch'] for d in loaded})} groups")
    cache_path(cache_key(loaded)).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as out:
        holder: dict = {}
        stop = threading.Event()
        sampler = threading.Thread(target=peak_tree_mb, args=(holder, stop))
        sampler.start()
        argv = [sys.executable, "-m", "analysis", "build", "--corpus", str(corpus), "-p",
                "BY=batch", "--out", out]
        try:
            result = run(argv, timeout=args.timeout)
        finally:
            stop.set()
            sampler.join()
        reports = sorted(Path(out, "reports").glob("*.html"))
        figures = sorted(Path(out, "figures").glob("*.png"))
        largest = max(((f, _png_size(f)) for f in figures), key=lambda x: x[1][0] * x[1][1],
                      default=None)
        status = "timed out" if result["timed_out"] else f"exit {result['rc']}"
        print(f"build -p BY=batch: {result['s']:.1f} s, {status}; largest process "
              f"{result['mb']:.0f} MB ({holder['largest'][1][:40]}: {holder['largest'][0]:.0f} "
              f"MB sampled), all processes together {holder.get('peak_mb', 0):.0f} MB (PSS);"
              f" CPU {holder.get('cpu_s', 0):.0f} s over its processes, load "
              f"{os.getloadavg()[0]:.2f} at the end")
        print(f"{max(len(reports) - 1, 0)} reports, {len(figures)} figures"
              + (f"; largest figure {largest[0].name} {largest[1][0]} x {largest[1][1]} px"
                 if largest else ""))
        for line in result["err"].strip().splitlines()[-8:]:
            print(f"  {line}")
        met = result["rc"] == 0 and result["s"] < TARGET_SECONDS and result["mb"] < TARGET_MB \
            and holder.get("peak_mb", 0) < TARGET_MB
        print(f"target under {TARGET_SECONDS:.0f} s and {TARGET_MB:.0f} MB: "
              f"{'yes' if met else 'no'}")
        shutil.rmtree(out, ignore_errors=True)


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    head = path.read_bytes()[16:24]
    return int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")


if __name__ == "__main__":
    main()
