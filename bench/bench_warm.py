"""A warm command on a single-file corpus: before and after the corpus index of single files.

Usage::

    python bench/bench_warm.py TREEBANK.conllu [--sizes 1m 10m] [--kinds csv conllu]
                               [--runs 3] [--before REV] [--keep]

Corpora, written into ``bench/corpus-warm-*`` (gitignored) and deleted at the end unless
``--keep``:

- **csv**: ``bench/corpus-conventions.csv`` (189 US party-convention speeches, 135,015
  words; ``make_corpus.py`` writes it) repeated until the table has the words asked for;
- **conllu**: ``TREEBANK.conllu`` (a Universal Dependencies treebank, e.g. UD_English-EWT's
  ``en_ewt-ud-dev.conllu``, CC BY-SA 4.0; the project ships none) repeated likewise, each
  copy's documents renamed (``# newdoc id = X`` -> ``X~k``).

For each corpus, with a fresh cache folder per checkout: ``python -m analysis freq --corpus
CORPUS --top 20`` once cold (it fills the cache), then ``--runs`` times warm, the two
checkouts interleaved: the commit ``--after`` (default ``HEAD``) and, as the peer, the commit
``--before`` (default ``HEAD~1``), each unpacked into a temporary folder with this tree's
compiled scanner (so that editing the tree meanwhile changes nothing). Each
run is a fresh process: its wall time and peak resident memory (``wait4``'s ``ru_maxrss``).
Note ``uptime``: the figures are wall clock on a shared machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
SOURCE_CSV = BENCH / "corpus-conventions.csv"
SIZES = {"1m": 1_000_000, "10m": 10_000_000}


def make_csv(words: int) -> Path:
    """``corpus-conventions.csv`` repeated until it has ``words`` words (split on spaces)."""
    csv.field_size_limit(1 << 30)
    source = SOURCE_CSV if SOURCE_CSV.exists() else \
        Path("/work/main/bench/corpus-conventions.csv")
    text = source.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    per_copy = sum(len(row["text"].split()) for row in rows)
    out = BENCH / f"corpus-warm-{round(words / 1e6)}m.csv"
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        for _ in range(-(-words // per_copy)):
            writer.writerows(rows)
    return out


def make_conllu(treebank: Path, words: int) -> Path:
    """The treebank repeated until it has ``words`` syntactic words, documents renamed."""
    text = treebank.read_text(encoding="utf-8").lstrip("\ufeff")
    per_copy = sum(1 for line in text.split("\n") if re.match(r"\d+\t", line))
    out = BENCH / f"corpus-warm-{round(words / 1e6)}m.conllu"
    with out.open("w", encoding="utf-8") as stream:
        for k in range(-(-words // per_copy)):
            if "# newdoc id" in text:
                stream.write(re.sub(r"^(# newdoc id = .*)$", rf"\1~{k}", text, flags=re.M))
            else:
                stream.write(f"# newdoc id = {treebank.stem}~{k}\n" + text)
            if not text.endswith("\n\n"):
                stream.write("\n")
    return out


def unpack(rev: str, into: Path) -> Path:
    """The project at commit ``rev``, with this tree's compiled scanner."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", rev], cwd=PROJECT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    for scanner in (PROJECT / "analysis").glob("_scan*.so"):
        shutil.copy2(scanner, into / "analysis" / scanner.name)
    return into


def run(project: Path, corpus: Path, cache: Path) -> tuple[float, float]:
    """One ``freq --top 20``: wall seconds and peak resident MB of the process."""
    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(cache), "PYTHONPATH": str(project)}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "analysis", "freq", "--corpus",
                              str(corpus), "--top", "20"], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if child.returncode:
        sys.exit(f"{project.name}: freq on {corpus.name} failed: {error.strip()[-300:]}")
    return seconds, usage.ru_maxrss / 1024


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("treebank", type=Path)
    parser.add_argument("--sizes", nargs="+", default=["1m", "10m"], choices=list(SIZES))
    parser.add_argument("--kinds", nargs="+", default=["csv", "conllu"],
                        choices=["csv", "conllu"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default="HEAD~1")
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as temp:
        temp = Path(temp)
        before = unpack(args.before, (temp / "before").resolve())
        after = unpack(args.after, (temp / "after").resolve())
        checkouts = {"before": before, "after": after}
        for kind in args.kinds:
            for size in args.sizes:
                corpus = make_csv(SIZES[size]) if kind == "csv" else \
                    make_conllu(args.treebank, SIZES[size])
                try:
                    caches = {}
                    print(f"{corpus.name}: {corpus.stat().st_size / 2**20:,.0f} MB; load "
                          f"{load()}", flush=True)
                    for name, project in checkouts.items():
                        caches[name] = temp / f"cache-{name}-{kind}-{size}"
                        seconds, peak = run(project, corpus, caches[name])
                        print(f"  {name:<6} cold {seconds:8.2f} s {peak:8,.0f} MB", flush=True)
                    times = {name: [] for name in checkouts}
                    peaks = {name: [] for name in checkouts}
                    for _ in range(args.runs):
                        for name, project in checkouts.items():
                            seconds, peak = run(project, corpus, caches[name])
                            times[name].append(seconds)
                            peaks[name].append(peak)
                            print(f"  {name:<6} warm {seconds:8.2f} s {peak:8,.0f} MB",
                                  flush=True)
                    for name in checkouts:
                        print(f"  {name:<6} warm median {statistics.median(times[name]):8.2f} s"
                              f" (runs {', '.join(f'{t:.2f}' for t in times[name])}), peak "
                              f"{max(peaks[name]):,.0f} MB; load {load()}", flush=True)
                finally:
                    if not args.keep:
                        corpus.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
