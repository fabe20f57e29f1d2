"""The document-feature matrix at 1M and 10M words of real speeches, warm, beside
scikit-learn's ``CountVectorizer`` on the same files in the same run.

Usage::

    python bench/bench_dfm.py [--sizes 1m 10m] [--runs 3] [--before REV]

Corpora: the 2012 convention speeches repeated 8 and 74 times (``real_corpus.py``:
``bench/corpus-conventions-1m``, 1.08M words in 1,512 files, and
``bench/corpus-conventions-x74``, 9.99M words in 13,986 files).

For each size, first the corpus is processed once (its cache written, if it was not), then
``--runs`` times each, every run a fresh process:

- **dfm**: ``load_corpus`` and ``process`` (warm: read from the cache), then
  ``dfm(processed)`` (documents x words, the default), timed alone (wall and CPU seconds);
  the process's peak resident memory (``getrusage``), which includes the interpreter, the
  loaded corpus and the processed arrays;
- **peer**: the same ``.txt`` files read, then ``CountVectorizer().fit_transform(texts)``
  (its default tokenizer and lower-casing, documents x words), the counting timed alone;
  its peak resident memory the same way.

With ``--before REV``, ``dfm`` as it was at git revision ``REV`` (``git archive``, as
``bench_scale.py --before``) runs the same way, interleaved with the others.

The figures are medians (peak memory: the largest), with the ratio dfm / peer and the
machine's load (``uptime``) before and after. Targets (issue "Positions and dimensions"):
``dfm`` at 10M words warm <= 2 s and <= 1 GB. Nothing here passes or fails; the figures go
into results.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import project_copy  # noqa: E402
from real_corpus import PROJECT, conventions_folder, machine_line  # noqa: E402

COPIES = {"1m": 8, "10m": 74}

PROJECT_RUN = r"""
import json, resource, sys, time
import analysis
from analysis.corpus import load_corpus
from analysis.dfm import dfm
from analysis.text.process import process

start = time.perf_counter()
processed = process(load_corpus(sys.argv[1]))
ready = time.perf_counter()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
cpu = time.process_time()
d = dfm(processed)
print(json.dumps({"load": ready - start, "wall": time.perf_counter() - ready,
                  "cpu": time.process_time() - cpu, "mb_before": before,
                  "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "shape": list(d.matrix.shape), "nnz": int(d.matrix.nnz),
                  "total": int(d.matrix.sum()), "code": analysis.__file__}))
"""

PEER_RUN = r"""
import json, resource, sys, time
from pathlib import Path
from sklearn.feature_extraction.text import CountVectorizer

start = time.perf_counter()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
ready = time.perf_counter()
cpu = time.process_time()
m = CountVectorizer().fit_transform(texts)
print(json.dumps({"load": ready - start, "wall": time.perf_counter() - ready,
                  "cpu": time.process_time() - cpu, "mb_before": 0,
                  "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "shape": list(m.shape), "nnz": int(m.nnz), "total": int(m.sum())}))
"""


def run(script: str, corpus: Path, root: Path = PROJECT) -> dict:
    """One fresh process running ``script`` on the corpus with the project at ``root``: its
    figures."""
    cache = os.environ.get("ANALYSIS_CACHE_DIR") or str(PROJECT / ".cache")  # one cache
    env = {**os.environ, "PYTHONPATH": str(root), "ANALYSIS_CACHE_DIR": cache}
    proc = subprocess.run([sys.executable, "-c", script, str(corpus)], capture_output=True,
                          text=True, cwd=root, env=env)
    if proc.returncode:
        raise SystemExit(f"failed: {proc.stderr.strip()[-500:]}")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    if "code" in figures and Path(figures["code"]).resolve().parents[1] != root.resolve():
        raise SystemExit(f"ran {figures['code']}, not the project at {root}")
    return figures


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1m", "10m"], choices=list(COPIES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="a git revision whose dfm runs beside")
    args = parser.parse_args()
    before = project_copy(args.before) if args.before else None
    for size in args.sizes:
        corpus = conventions_folder(COPIES[size])
        run(PROJECT_RUN, corpus)  # the cache written (or read) once
        print(machine_line(corpus))
        print(f"uptime before: {uptime()}")
        results = {"dfm": [], "CountVectorizer": []}
        if before is not None:
            results[f"dfm {args.before}"] = []
        for _ in range(args.runs):  # interleaved, so the machine's load weighs on all
            results["dfm"].append(run(PROJECT_RUN, corpus))
            results["CountVectorizer"].append(run(PEER_RUN, corpus))
            if before is not None:
                results[f"dfm {args.before}"].append(run(PROJECT_RUN, corpus, before))
        print(f"uptime after:  {uptime()}")
        median = {who: {k: statistics.median(r[k] for r in rows)
                        for k in ("load", "wall", "cpu")} | {"mb": max(r["mb"] for r in rows)}
                  for who, rows in results.items()}
        print(f"{'who':<16} {'load s':>7} {'count s':>8} {'CPU s':>6} {'x peer':>7} "
              f"{'peak MB':>8}  matrix")
        peer = median["CountVectorizer"]["wall"]
        for who, figures in median.items():
            last = results[who][-1]
            print(f"{who:<16} {figures['load']:7.2f} {figures['wall']:8.2f} "
                  f"{figures['cpu']:6.2f} {figures['wall'] / peer:7.2f} {figures['mb']:8.0f}"
                  f"  {last['shape'][0]:,} x {last['shape'][1]:,}, {last['nnz']:,} cells, "
                  f"{last['total']:,} words")
        print(f"dfm runs (wall s): {[round(r['wall'], 2) for r in results['dfm']]}; "
              f"peak MB before dfm: {max(r['mb_before'] for r in results['dfm']):.0f}; "
              f"CPUs {os.cpu_count()}")
        print()
    if before is not None:
        shutil.rmtree(before, ignore_errors=True)


if __name__ == "__main__":
    main()
