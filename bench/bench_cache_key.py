"""The cache key of a corpus of many short documents, warm: per file, not per document.

Usage::

    python bench/bench_cache_key.py [--documents 127000] [--runs 3]

Writes (once, under ``bench/corpus-key-N/``, gitignored) a table (``docs.csv``) and a
CoNLL-U file (``docs.conllu``) of ``--documents`` short documents (8 words each, an outlet
and a date). For each, in a fresh process with its own cache folder: the cold load (the file
parsed, its documents' digest computed once and recorded), then ``--runs`` warm loads, each
followed by :func:`analysis.text.process.cache_key` (the code's fingerprint computed before,
once per process); beside it, in the same process, the key's part of the documents computed
document by document (:func:`analysis.corpus.documents_digest` of a plain tuple of the same
documents: what every key cost before it was recorded), and the peer: SHA-256 of the corpus
file's bytes, what hashing the file once costs. Medians of the runs, wall clock and CPU, and
the machine's load.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent

WORKER = r'''
import hashlib, json, statistics, sys, time
from analysis.corpus import documents_digest, load_corpus
from analysis.text.process import _code_fingerprint, cache_key
path, runs = sys.argv[1], int(sys.argv[2])

def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    value = function()
    return value, time.perf_counter() - wall, time.process_time() - cpu

_code_fingerprint()
corpus, cold, _ = timed(lambda: load_corpus(path))
rows = {"documents": len(corpus), "cold_load": cold}
for name, function in (
        ("warm_load", lambda: load_corpus(path)),
        ("cache_key", lambda: cache_key(load_corpus(path))),
        ("per_document", lambda: documents_digest(tuple(load_corpus(path).documents))),
        ("file_sha256", lambda: hashlib.sha256(open(path, "rb").read()).digest())):
    walls, cpus = [], []
    for _ in range(runs):
        if name in ("cache_key", "per_document"):
            loaded = load_corpus(path)
            function = (lambda c=loaded: cache_key(c)) if name == "cache_key" else \
                (lambda c=loaded: documents_digest(tuple(c.documents)))
        _, wall, cpu = timed(function)
        walls.append(wall)
        cpus.append(cpu)
    rows[name] = [statistics.median(walls), statistics.median(cpus)]
print(json.dumps(rows))
'''

WORDS = ("road trade port peace corridor economy growth China Pakistan the a of to "
         "and in for power energy").split()


def make_corpora(documents: int) -> tuple[Path, Path]:
    """The table and the CoNLL-U file of ``documents`` short documents (written once)."""
    folder = BENCH / f"corpus-key-{documents}"
    folder.mkdir(exist_ok=True)
    table, conllu = folder / "docs.csv", folder / "docs.conllu"
    rng = random.Random(1)
    if not table.exists():
        with table.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["id", "outlet", "date", "text"])
            for k in range(documents):
                writer.writerow([f"d{k}", rng.choice(["Dawn", "Nation", "News"]),
                                 f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}",
                                 " ".join(rng.choice(WORDS) for _ in range(8)) + "."])
    if not conllu.exists():
        with conllu.open("w", encoding="utf-8") as stream:
            for k in range(documents):
                stream.write(f"# newdoc id = d{k}\n# meta::outlet = "
                             f"{rng.choice(['Dawn', 'Nation', 'News'])}\n")
                for n, word in enumerate((rng.choice(WORDS) for _ in range(8)), start=1):
                    stream.write(f"{n}\t{word}\t{word}\tNOUN\tNN\t_\t{0 if n == 1 else 1}\t"
                                 f"{'root' if n == 1 else 'dep'}\t_\t_\n")
                stream.write("\n")
    return table, conllu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=127_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())} at the start")
    for path in make_corpora(args.documents):
        with tempfile.TemporaryDirectory(prefix="bench-key-cache-") as cache:
            done = subprocess.run([sys.executable, "-c", WORKER, str(path), str(args.runs)],
                                  cwd=PROJECT, env={**os.environ, "ANALYSIS_CACHE_DIR": cache},
                                  capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"{path.name} failed: {done.stderr.strip().splitlines()[-1:]}")
        rows = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{path.name}: {rows['documents']:,} documents, "
              f"{path.stat().st_size / 2**20:,.1f} MB; cold load {rows['cold_load']:.2f} s")
        for name in ("warm_load", "cache_key", "per_document", "file_sha256"):
            wall, cpu = rows[name]
            print(f"  {name:<13} {wall:8.4f} s wall {cpu:8.4f} s CPU (median of {args.runs})")
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")


if __name__ == "__main__":
    main()
