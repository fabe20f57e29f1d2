"""CQL at scale: a query of three positions over an annotated corpus of 10M words, warm.

Usage::

    python bench/bench_cql.py TREEBANK.conllu [--words 10000000] [--runs 3]

``TREEBANK.conllu`` is a Universal Dependencies treebank file (e.g. UD_English-EWT's
``en_ewt-ud-dev.conllu``, CC BY-SA 4.0; the project ships none). It is repeated into
``bench/corpus-ud-NNm.conllu`` (gitignored) until the corpus has ``--words`` syntactic
words, each copy's documents renamed (``# newdoc id = X`` -> ``X~k``; a treebank without
``# newdoc`` gets one per copy), written once and reused.

In one run, each step a fresh Python process with its own cache folder:

- **cold**: the corpus read (:func:`analysis.readers.conllu.load_conllu`) and processed
  into the cache, timed (wall clock) with its peak resident memory;
- **warm**: the processed corpus read back from the cache, then each query matched
  ``--runs`` times (:func:`analysis.cql.match_rows`, the step kwic, collocates, freq and
  trends share): the median wall time, the matches, the peak resident memory of the
  process (``ru_maxrss``) and the memory the query itself allocates at its peak
  (``tracemalloc``, numpy's arrays included), in a separate run;
- the **peer** in the same process: a three-word phrase query of the project's plain
  engine (:func:`analysis.concordance.match`, integer codes compared at every row).

The target (the annotated-corpora design): a three-position query over 10M annotated
words, warm, in at most 2 s and 1 GB. Note ``uptime``: the figures are wall clock.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
QUERIES = ['[upos="DET"] [upos="ADJ"] [upos="NOUN"]',
           '[lemma="make|take|give"] [] [upos="NOUN"]',
           '[upos="ADJ"] [upos="NOUN"] [lemma="of|to|for"]']
PEER = "one of the"

WORKER = r'''
import json, resource, statistics, sys, time, tracemalloc
from analysis.corpus import load_corpus
from analysis.text.process import process
path, step, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
queries = json.loads(sys.argv[4])
started = time.perf_counter()
processed = process(load_corpus(path))
words = int(len(processed.columns.tok_surface))
out = {"load": time.perf_counter() - started, "words": words,
       "rss_loaded": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
if step == "warm":
    from analysis.concordance import _match_rows
    from analysis.cql import match_rows
    out["queries"] = []
    for query in queries:
        engine = match_rows if query.startswith("[") else _match_rows
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            first, _ = engine(processed, query)
            seconds.append(time.perf_counter() - started)
        tracemalloc.start()
        engine(processed, query)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        out["queries"].append({"query": query, "seconds": statistics.median(seconds),
                               "matches": len(first), "query_mb": peak})
    out["rss_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
else:
    out["rss_peak"] = out["rss_loaded"]
print(json.dumps(out))
'''


def make_corpus(treebank: Path, words: int) -> Path:
    """The treebank repeated until the corpus has ``words`` words (written once)."""
    text = treebank.read_text(encoding="utf-8").lstrip("\ufeff")
    per_copy = sum(1 for line in text.split("\n")
                   if line[:1].isdigit() and re.match(r"\d+\t", line))
    copies = -(-words // per_copy)
    out = BENCH / f"corpus-ud-{round(words / 1e6)}m.conllu"
    if out.exists():
        return out
    has_docs = "# newdoc id" in text
    temporary = out.with_name(out.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as stream:
        for k in range(copies):
            if has_docs:
                stream.write(re.sub(r"^(# newdoc id = .*)$", rf"\1~{k}", text, flags=re.M))
            else:
                stream.write(f"# newdoc id = {treebank.stem}~{k}\n" + text)
            if not text.endswith("\n\n"):
                stream.write("\n")
    temporary.rename(out)
    return out


def worker(corpus: Path, step: str, runs: int, cache: str) -> dict:
    env = {**os.environ, "ANALYSIS_CACHE_DIR": cache}
    done = subprocess.run([sys.executable, "-c", WORKER, str(corpus), step, str(runs),
                           json.dumps([*QUERIES, PEER])], cwd=PROJECT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{step} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("treebank", type=Path)
    parser.add_argument("--words", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    corpus = make_corpus(args.treebank, args.words)
    print(f"{corpus.name}: {corpus.stat().st_size / 2**20:,.0f} MB; load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} at the start")
    with tempfile.TemporaryDirectory(prefix="bench-cql-cache-") as cache:
        cold = worker(corpus, "cold", args.runs, cache)
        print(f"cold: read and processed {cold['words']:,} words in {cold['load']:.1f} s, "
              f"peak {cold['rss_peak']:,.0f} MB")
        warm = worker(corpus, "warm", args.runs, cache)
    print(f"warm: read from the cache in {warm['load']:.2f} s, {warm['rss_loaded']:,.0f} MB "
          f"resident; after the queries {warm['rss_peak']:,.0f} MB")
    print(f"{'query':<48} {'matches':>9} {'median s':>9} {'query MB':>9}")
    for row in warm["queries"]:
        who = row["query"] if row["query"] != PEER else f'peer: phrase "{PEER}"'
        print(f"{who:<48} {row['matches']:>9,} {row['seconds']:>9.3f} {row['query_mb']:>9.0f}")
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")


if __name__ == "__main__":
    main()
