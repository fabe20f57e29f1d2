"""Repeated lines on real corpora: detection time, and the noise report before and after
``--drop-repeated-lines``.

Usage::

    python bench/bench_boilerplate.py [--corpora PATH ...] [--runs 3] [--drop N]

Corpora (default, written by ``real_corpus.py``): ``bench/corpus-headlines.csv`` (Guardian
headlines, 4,080 rows), ``bench/corpus-conventions.csv`` (the 2012 convention speeches, 189
rows) and ``bench/corpus-conventions-x74`` (the speeches 74 times, about 10M words in 13,986
files). For each, in this process:

- **detection**: :func:`analysis.text.boilerplate.repeated_lines` on the raw texts, the
  median of ``--runs`` (the corpus already read), and the lines it lists;
- **before**: the corpus processed (no cache: :func:`analysis.text.process.compute`) and its
  noise report (:func:`analysis.overview.suspected_noise`), rows by kind;
- **after**: the same with ``drop_repeated_lines=N`` (``--drop``, default the listing
  threshold of the corpus, :func:`analysis.text.boilerplate.threshold`): processing time
  (the corpus's line counts included), lines and words removed, the noise report by kind.

Peak memory is this process's maximum resident set size, after detection and at the end.
On ``corpus-conventions-x74`` every line is in at least 74 documents (the copies), so the
default threshold (70) removes every line: ``--drop 75`` keeps each speech's own lines.
Nothing here passes or fails; the figures go into results.md by hand.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_corpus import BENCH, machine_line  # noqa: E402

DEFAULT = ["corpus-headlines.csv", "corpus-conventions.csv", "corpus-conventions-x74"]


def seconds(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def by_kind(noise) -> dict[str, int]:
    return noise["kind"].value_counts().sort_index().to_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", type=Path,
                        default=[BENCH / name for name in DEFAULT])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--drop", type=int, default=None,
                        help="drop_repeated_lines (default: the corpus's listing threshold)")
    args = parser.parse_args()

    import pandas as pd

    from analysis.corpus import load_corpus
    from analysis.overview import suspected_noise
    from analysis.text.boilerplate import repeated_lines, threshold
    from analysis.text.process import compute

    pd.set_option("display.width", 120)
    for path in args.corpora:
        try:
            print(machine_line(path))
        except ValueError:  # a corpus outside the project
            print(machine_line(BENCH).rsplit(";", 1)[0] + f"; corpus {path}")
        corpus, load = seconds(load_corpus, path)
        lines = sum(1 for doc in corpus for line in doc.raw.split("\n") if line.strip())
        words = sum(len(doc.raw.split()) for doc in corpus)
        times = []
        for _ in range(args.runs):
            table, took = seconds(repeated_lines, corpus)
            times.append(took)
        print(f"  {len(corpus):,} documents, {words:,} words, {lines:,} non-blank lines; "
              f"read in {load:.2f} s")
        print(f"  detection: median {statistics.median(times):.3f} s of {args.runs} "
              f"(min {min(times):.3f}); {len(table):,} lines in >= {threshold(len(corpus))} "
              f"documents; peak memory so far {peak_mb():.0f} MB")
        if len(table):
            print("    " + table.head(8).to_string().replace("\n", "\n    "))
        before, cold = seconds(compute, corpus)
        noise, took_noise = seconds(suspected_noise, before)
        words_before = int(before.columns.tok_is_word.sum())
        print(f"  before: processed in {cold:.1f} s, noise report in {took_noise:.1f} s, "
              f"{len(noise):,} rows: {by_kind(noise)}")
        del before, noise
        drop = args.drop or threshold(len(corpus))
        after, cold = seconds(compute, corpus.with_cleaning(drop_repeated_lines=drop))
        log = after.cleaning_log
        removed = log[log["kind"] == "boilerplate"]
        noise, took_noise = seconds(suspected_noise, after)
        words_after = int(after.columns.tok_is_word.sum())
        print(f"  after drop_repeated_lines={drop}: processed in {cold:.1f} s; "
              f"{len(removed):,} lines removed ({removed['before'].str.strip().nunique():,} "
              f"distinct), words {words_before:,} -> {words_after:,}")
        print(f"  after: noise report in {took_noise:.1f} s, {len(noise):,} rows: "
              f"{by_kind(noise)}")
        del after, noise, log, removed
    print(f"peak memory of this process: {peak_mb():.0f} MB (the noise report's token table "
          "at 10M words is most of it)")


if __name__ == "__main__":
    main()
