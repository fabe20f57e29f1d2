"""The explorer page (one HTML file) at 1M and 10M words: build time, size, time to open.

Usage::

    python bench/bench_explorer_html.py [--corpora DIR ...] [--by party] [--out DIR]

On ``bench/corpus-conventions-1m`` (1.08M words) and ``bench/corpus-conventions-x74``
(9.99M words; both made by ``bench/real_corpus.py``), processed once (cached) before timing:
the time to compute the page's tables (:func:`analysis.explorer_page.explorer_data`, default
caps), to render and write it, the file's size, and the time Chromium (Debian's, driven by
Playwright) takes to open it from the file system until the plot, the table and the first
term's lines are drawn (``load`` event, then the first ``#lines-body tr``), median of
``--runs``. Peer in the same run: ``kwic`` of the page's first term alone.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from real_corpus import machine_line  # noqa: E402

from analysis.concordance import kwic  # noqa: E402
from analysis.corpus import load_corpus  # noqa: E402
from analysis.explorer_page import explorer_data, explorer_html  # noqa: E402
from analysis.text.process import process  # noqa: E402


def open_seconds(path: Path, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    seconds = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium,
                                             args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1300, "height": 1500})
            start = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load", timeout=120_000)
            page.wait_for_selector("#lines-body tr", timeout=120_000)
            seconds.append(time.perf_counter() - start)
            page.close()
        browser.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", type=Path,
                        default=[PROJECT / "bench" / "corpus-conventions-1m",
                                 PROJECT / "bench" / "corpus-conventions-x74"])
    parser.add_argument("--by", default="party")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    for corpus in args.corpora:
        try:
            print(machine_line(corpus))
        except ValueError:  # a corpus outside the project
            print(machine_line(PROJECT / "bench").replace("corpus bench", f"corpus {corpus}"))
        processed = process(load_corpus(corpus))
        words = int(processed.columns.para_words.sum())
        start = time.perf_counter()
        data = explorer_data(processed, by=args.by)
        tables = time.perf_counter() - start
        start = time.perf_counter()
        page = explorer_html(data, f"Explorer: {corpus.name}", corpus.name)
        out = args.out / f"explorer-{corpus.name}.html"
        out.write_text(page, encoding="utf-8")
        render = time.perf_counter() - start
        first = data["matches"]["term"].iloc[0]
        start = time.perf_counter()
        kwic(processed, first, 8, kind="word")
        peer = time.perf_counter() - start
        opened = open_seconds(out, args.runs)
        print(f"{words:,} words, {len(processed.corpus):,} documents, by {args.by}: "
              f"{len(data['groups'])} groups, {len(data['matches']):,} terms, "
              f"{len(data['lines']):,} lines, {len(data['bins'])} stretches of documents")
        print(f"tables {tables:.1f} s, render and write {render:.2f} s "
              f"(kwic of {first!r} alone {peer:.2f} s); file {out.stat().st_size / 1e6:.2f} MB; "
              f"open in Chromium {statistics.median(opened):.2f} s (median of {args.runs}: "
              f"{', '.join(f'{s:.2f}' for s in opened)})")


if __name__ == "__main__":
    main()
