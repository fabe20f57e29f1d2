"""How long the explorer takes to update its views, on real text.

Usage::

    python bench/bench_explore.py [--runs 3]

On ``bench/corpus-conventions-1m`` (the 2012 convention speeches x 8, 1.08M words, made by
``bench/real_corpus.py``), once the corpus is processed: the explorer is created (the first
state, cold caches), then each change a reader makes (a new query, a sort, a page, a
measure, a subset) is timed as the widget's callback runs, every view included. Each figure
is the median of ``--runs``. Peer in the same run: ``kwic`` of the same query alone, the
cheapest view. Target (issue "Explore interactively"): each view under a second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from real_corpus import conventions_folder, machine_line  # noqa: E402

from analysis.concordance import kwic  # noqa: E402
from analysis.corpus import load_corpus  # noqa: E402
from analysis.explore import explorer  # noqa: E402
from analysis.text.process import process  # noqa: E402

CHANGES = [("query", "tax*"), ("query", "/health(care)?/"), ("query", "middle class"),
           ("query", "jobs"), ("sort", "left"), ("page", 2), ("measure", "pmi"),
           ("where", "party=democrat")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    corpus = conventions_folder(8)
    print(machine_line(corpus))
    processed = process(load_corpus(corpus))
    start = time.perf_counter()
    ui = explorer(processed, "government", by="party")
    print(f"first state (cold caches): {time.perf_counter() - start:.2f} s")
    for name, value in CHANGES:
        seconds, peer = [], []
        for _ in range(args.runs):
            ui.where.value, ui.page.value = "", 0
            getattr(ui, name).value = value
            seconds.append(ui.seconds)
            begin = time.perf_counter()
            kwic(processed, ui.query.value)
            peer.append(time.perf_counter() - begin)
        print(f"{name} = {value!r:22} every view {statistics.median(seconds):.2f} s "
              f"(kwic alone {statistics.median(peer):.2f} s), {ui.last.get('lines', 0)} lines")


if __name__ == "__main__":
    main()
