"""A 5,000-entry dictionary over 1M and 10M words of real speeches, warm, beside a regular
expression peer.

Usage::

    python bench/bench_dictionary.py [--sizes 1m 10m] [--runs 3]

Corpora: the 2012 convention speeches repeated 8 and 74 times (``real_corpus.py``). The
dictionary is made from the corpus's own words, deterministically, so that most entries
match: 50 categories holding 2,500 words, 2,000 globs (``the first four to seven letters of a
word*``, and 10 % ``*suffix`` globs) and 500 two-word phrases (bigrams of the speeches).

For each size, in one run:

- **cold**: ``dictionary --dictionary FILE`` on an empty cache (processing included);
- **warm**: the same command, the median of ``--runs`` subprocess runs (start-up included),
  with its peak resident memory, and ``dictionary --audit`` once;
- **peer**: one compiled regular-expression alternation of every entry (globs as ``\\w*``,
  phrases with ``\\s+``) over the lower-cased texts, counting its matches (Python's ``re``,
  reading the same files), timed the same way;
- **check**: three categories of words and prefix globs counted again from the corpus's
  tokens with plain string tests against the command's ``matches``: they must be equal;
- **freq**: ``freq --top 20`` warm, the median of ``--runs`` runs, for the start-up every
  command shares (loading the corpus, the cache key, reading the cache).

``--no-peer`` leaves the peer out (it takes five minutes at 10M words).

Targets (issue "Bring your own coding scheme"): warm at 10M words <= 3 s and <= 1 GB.
Nothing here passes or fails; the figures go into results.md by hand.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cli import timed  # noqa: E402
from real_corpus import PROJECT, conventions_folder, machine_line  # noqa: E402

COPIES = {"1m": 8, "10m": 74}
WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")

PEER = r"""
import re, sys
from pathlib import Path
patterns = Path(sys.argv[2]).read_text(encoding="utf-8").split("\n")
regex = re.compile(r"(?<![\w'’-])(?:" + "|".join(patterns) + r")(?![\w'’-])")
total = 0
for path in sorted(Path(sys.argv[1]).glob("*.txt")):
    total += sum(1 for _ in regex.finditer(path.read_text(encoding="utf-8").lower()))
print(total)
"""


def make_dictionary(corpus: Path, out: Path, seed: int = 2026) -> tuple[Path, Path, dict]:
    """The 5,000-entry CSV dictionary, the peer's pattern file, and three checked categories
    ({category: (words, prefixes)})."""
    rng = random.Random(seed)
    words: Counter = Counter()
    bigrams: Counter = Counter()
    for path in sorted(corpus.glob("*.txt"))[:189]:  # one copy of the speeches
        tokens = WORD.findall(path.read_text(encoding="utf-8").lower())
        words.update(tokens)
        bigrams.update(zip(tokens, tokens[1:], strict=False))
    vocabulary = sorted(w for w in words if len(w) >= 3 and "'" not in w and "’" not in w)
    rng.shuffle(vocabulary)
    plain = vocabulary[:2500]
    prefixes = sorted({w[:rng.randint(4, 7)] for w in vocabulary[2500:] if len(w) >= 6})
    rng.shuffle(prefixes)
    suffixes = sorted({w[-5:] for w in vocabulary if len(w) >= 8})
    rng.shuffle(suffixes)
    globs = [p + "*" for p in prefixes[:1800]] + ["*" + s for s in suffixes[:200]]
    phrases = [f"{a} {b}" for (a, b), _ in bigrams.most_common(3000)
               if len(a) > 2 and len(b) > 2][:500]
    # Words and prefix globs go round all 50 categories; suffix globs and phrases only to
    # c03..c49, so that c00..c02 can be counted again word by word.
    simple = plain + globs[:1800]
    rows = [(f"c{i % 50:02d}", pattern) for i, pattern in enumerate(simple)]
    rows += [(f"c{3 + i % 47:02d}", pattern) for i, pattern in enumerate(globs[1800:] + phrases)]
    path = out / "dictionary.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["category", "pattern", "source"])
        writer.writerows((c, p, "bench") for c, p in rows)
    peer = out / "patterns.txt"
    peer.write_text("\n".join(
        r"\s+".join(re.escape(w).replace(r"\*", r"[\w'’-]*") for w in p.split())
        for _, p in rows), encoding="utf-8")
    # Three categories counted again: their single-word entries only, so the check is exact.
    checked = {}
    for category in ("c00", "c01", "c02"):
        mine = [p for c, p in rows if c == category]
        checked[category] = ([p for p in mine if not p.endswith("*")],
                             [p[:-1] for p in mine if p.endswith("*")])
    return path, peer, checked


def independent(corpus: Path, checked: dict, cache: Path) -> dict[str, int]:
    """The checked categories counted again from the corpus's tokens (the project's
    tokenizer, so that both counts read the same words) with plain string tests and a
    Counter: not the engine's term codes, globs, index or rules."""
    os.environ["ANALYSIS_CACHE_DIR"] = str(cache)
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    tokens = Counter(process(load_corpus(corpus)).tokens["term"])
    counts = Counter()
    for word, n in tokens.items():
        for category, (plain, prefixes) in checked.items():
            if word in plain or word.startswith(tuple(prefixes)):
                counts[category] += n
    return dict(sorted(counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1m", "10m"], choices=list(COPIES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-peer", action="store_true", help="leave the peer out")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-dictionary-"))
    try:
        for size in args.sizes:
            corpus = conventions_folder(COPIES[size])
            print(machine_line(corpus))
            dictionary, patterns, checked = make_dictionary(corpus, work)
            cache = work / f"cache-{size}"
            env = {**os.environ, "ANALYSIS_CACHE_DIR": str(cache)}
            base = [sys.executable, "-m", "analysis", "dictionary", "--corpus", str(corpus),
                    "--dictionary", str(dictionary)]
            cold = timed(base, env=env)
            if cold["rc"]:
                raise SystemExit(f"failed: {cold['err']}")
            warm = [timed(base, env=env) for _ in range(args.runs)]
            audit = timed(base + ["--audit"], env=env)
            freq = [timed([sys.executable, "-m", "analysis", "freq", "--corpus", str(corpus),
                           "--top", "20"], env=env) for _ in range(args.runs)]
            peer = None if args.no_peer else \
                timed([sys.executable, "-c", PEER, str(corpus), str(patterns)])
            out = subprocess.run(base + ["--format", "csv"], env=env, capture_output=True,
                                 text=True, check=True, cwd=PROJECT).stdout
            got = {row["category"]: int(row["matches"])
                   for row in csv.DictReader(io.StringIO(out)) if row["category"] in checked}
            expected = independent(corpus, checked, cache)
            seconds = statistics.median(r["s"] for r in warm)
            print(f"{size}: 5,000 entries (2,500 words, 2,000 globs, 500 phrases)")
            print(f"  cold dictionary          {cold['s']:7.2f} s  {cold['mb']:6.0f} MB")
            print(f"  warm dictionary (median) {seconds:7.2f} s  "
                  f"{max(r['mb'] for r in warm):6.0f} MB   runs: "
                  + ", ".join(f"{r['s']:.2f}" for r in warm))
            print(f"  warm dictionary --audit  {audit['s']:7.2f} s  {audit['mb']:6.0f} MB")
            print(f"  warm freq --top 20 (med.) {statistics.median(r['s'] for r in freq):6.2f} s  "
                  f"{max(r['mb'] for r in freq):6.0f} MB   runs: "
                  + ", ".join(f"{r['s']:.2f}" for r in freq))
            if peer is not None:
                print(f"  peer: one re alternation {peer['s']:7.2f} s  {peer['mb']:6.0f} MB   "
                      f"ratio peer/warm {peer['s'] / seconds:.1f}x")
            print(f"  check, three categories: {got} == {expected}: {got == expected}")
            print(f"  load after: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
