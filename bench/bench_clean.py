"""Duplicate detection and the repair of broken encodings at 1M and 10M words of real speeches,
beside peers.

Usage::

    python bench/bench_clean.py [--sizes 1m 10m] [--runs 3] [--variants copies rare near]
                                [--peer-sizes 1m 10m] [--ftfy-size 10m] [--no-ftfy]
                                [--profile] [--cache DIR]

Corpora: the 2012 convention speeches repeated 8 and 74 times (``real_corpus.py``: 1.08M
words in 1,512 files, 9.99M words in 13,986 files), and variants written to a temporary
folder, deterministically:

- **copies**: the corpus as it is. Every speech occurs 8 (74) times, so every document has
  7 (73) exact duplicates: the detector's exact stage (a digest of each text) groups them
  and only the 189 distinct speeches are shingled and compared.
- **rare**: every word of every copy replaced, with probability 1/4, by a word of the
  speeches' vocabulary (a generator seeded by the file's name): no two documents are exact
  copies and no pair comes near the threshold (the speeches themselves hold no duplicate),
  so all 5-word shingles of all documents are hashed, sorted and filtered, and the sets
  found should be none. This is the cost of a corpus where duplicates are rare.
- **near**: the same with probability 1/500: most copies of a speech differ by a word or
  two, so each speech is a set of up to 8 (74) near duplicates (resemblance about 0.96) and
  every pair of a set is a candidate whose resemblance is computed: the worst case.

For each size and variant, in one run:

- **cold** ``duplicates --corpus DIR`` once on an empty cache folder (processing included),
  so that the corpus is processed once before the figures (with ``--cache DIR``, the cache
  is that folder and kept: this first run is warm when the corpus was processed there before);
- **warm** ``duplicates``, the median of ``--runs`` subprocess runs (start-up and reading the
  cached store included), with the peak resident memory (``bench_cli.timed``:
  ``/usr/bin/time -v``, else ``getrusage`` of the children), and ``duplicates()`` alone,
  timed inside one process after the store is read;
- warm ``freq --dedupe`` beside warm ``freq`` (what ``--dedupe`` adds to a command);
- **peer** (sizes of ``--peer-sizes``): MinHash LSH with ``datasketch`` (2.0.0, the
  ``[bench]`` extra): the same 5-word shingles of lower-cased words of each file, 128
  permutations, ``MinHashLSH(threshold=0.9)``, each document queried and its candidates kept
  when their estimated resemblance is at least 0.9, sets by union; a document of fewer than
  5 words keyed on its words. A subprocess reading the same files, timed the same way;
- **check**: the sets of documents the project lists against the peer's.

Then, at ``--ftfy-size`` (10M words), the repair of broken encodings: cold ``freq`` (empty
cache: reading, cleaning, processing, writing the store) with and without
``--no-fix-encoding``, interleaved, on the corpus as it is and on a variant with mojibake
planted in 1 % of its documents (the first sentence's apostrophes made curly and an opening
curly quote added, then encoded as UTF-8 and decoded as windows-1252: ``â€œWe areâ€™``).
In the bench's own process: the documents that go to ftfy (non-ASCII, and ftfy's badness
test finds suspicious characters: ``analysis.text.clean.may_hold_mojibake``), the documents and
runs repaired (``broken_encodings``), and the time of that check and repair alone.

Targets (issue "A real export, ready in minutes"): duplicate detection at 10M words <= 10 s
and peak <= 1 GB. Nothing here passes or fails; the figures go into results.md by hand.
``--profile`` prints cProfile's top functions of ``duplicates()`` at the largest size of
each variant.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cli import timed  # noqa: E402
from real_corpus import PROJECT, conventions_folder, machine_line  # noqa: E402

COPIES = {"1m": 8, "10m": 74}
RATES = {"copies": 0.0, "rare": 0.25, "near": 0.002}
LETTERS = re.compile(r"[A-Za-z]+")

PEER = r"""
import json, re, sys
from pathlib import Path
from datasketch import MinHash, MinHashLSH

folder, out = Path(sys.argv[1]), Path(sys.argv[2])
threshold, k, perm = float(sys.argv[3]), int(sys.argv[4]), 128
word = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*")
lsh = MinHashLSH(threshold=threshold, num_perm=perm)
hashes, short = {}, {}
for path in sorted(folder.glob("*.txt")):
    words = word.findall(path.read_text(encoding="utf-8").lower())
    if len(words) < k:
        short.setdefault(" ".join(words), []).append(path.stem)
        continue
    m = MinHash(num_perm=perm, seed=1)
    m.update_batch([" ".join(words[i:i + k]).encode("utf-8")
                    for i in range(len(words) - k + 1)])
    hashes[path.stem] = m
    lsh.insert(path.stem, m)
parent = {}
def find(x):
    while parent.get(x, x) != x:
        x = parent[x]
    return x
for doc, m in hashes.items():
    for other in lsh.query(m):
        if other != doc and m.jaccard(hashes[other]) >= threshold:
            a, b = sorted((find(doc), find(other)))
            if a != b:
                parent[b] = a
for docs in short.values():
    for other in docs[1:]:
        a, b = sorted((find(docs[0]), find(other)))
        if a != b:
            parent[b] = a
sets = {}
for doc in list(hashes) + [d for docs in short.values() for d in docs]:
    sets.setdefault(find(doc), []).append(doc)
out.write_text(json.dumps(sorted(sorted(s) for s in sets.values() if len(s) > 1)))
"""

ALONE = r"""
import sys, time
from analysis.corpus import load_corpus
from analysis.duplicates import duplicates
from analysis.text.process import process
processed = process(load_corpus(sys.argv[1]))
start = time.perf_counter()
if len(sys.argv) > 2:
    import cProfile, pstats
    profile = cProfile.Profile()
    profile.enable()
table = duplicates(processed)
seconds = time.perf_counter() - start
if len(sys.argv) > 2:
    profile.disable()
    pstats.Stats(profile, stream=sys.stderr).strip_dirs().sort_stats("cumulative").print_stats(18)
print(seconds, len(table), table["set"].nunique())
"""


def perturbed(source: Path, out: Path, rate: float) -> Path:
    """``source`` with each word replaced with probability ``rate`` by a word of the speeches'
    vocabulary, per file a generator seeded by its name; metadata copied."""
    vocabulary = sorted({w.lower() for path in sorted(source.glob("*.txt"))[:189]
                         for w in LETTERS.findall(path.read_text(encoding="utf-8"))
                         if len(w) >= 3})
    out.mkdir(parents=True)
    shutil.copy(source / "metadata.csv", out / "metadata.csv")
    for path in sorted(source.glob("*.txt")):
        rng = random.Random(f"{rate}-{path.name}")
        text = LETTERS.sub(lambda m, rng=rng: rng.choice(vocabulary) if rng.random() < rate
                           else m.group(), path.read_text(encoding="utf-8"))
        (out / path.name).write_text(text, encoding="utf-8")
    return out


def mojibake(source: Path, out: Path, share: float = 0.01) -> tuple[Path, int]:
    """``source`` with broken encoding planted in ``share`` of its documents (chosen by a
    seeded generator): the first sentence with curly apostrophes and an opening curly quote,
    encoded as UTF-8 and decoded as windows-1252. Returns the folder and the number planted."""
    out.mkdir(parents=True)
    shutil.copy(source / "metadata.csv", out / "metadata.csv")
    rng = random.Random(2026)
    planted = 0
    for path in sorted(source.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if rng.random() < share:
            end = text.find(". ") + 1 or len(text)
            sentence = "\u201c" + text[:end].replace("'", "\u2019")
            text = sentence.encode("utf-8").decode("cp1252", errors="replace") + text[end:]
            planted += 1
        (out / path.name).write_text(text, encoding="utf-8")
    return out, planted


def project_sets(corpus: Path, env: dict) -> tuple[list[list[str]], dict[str, float]]:
    """The project's sets (sorted ids) and each listed document's resemblance to the first
    document of its set."""
    out = subprocess.run([sys.executable, "-m", "analysis", "duplicates", "--corpus",
                          str(corpus), "--format", "csv"], env=env, capture_output=True,
                         text=True, check=True, cwd=PROJECT).stdout
    sets: dict[str, list[str]] = {}
    similarity = {}
    for row in csv.DictReader(io.StringIO(out)):
        sets.setdefault(row["set"], []).append(row["doc"])
        similarity[row["doc"]] = float(row["similarity"])
    return sorted(sorted(s) for s in sets.values()), similarity


def compare(mine: list[list[str]], theirs: list[list[str]], similarity: dict) -> str:
    a, b = {tuple(s) for s in mine}, {tuple(s) for s in theirs}
    if a == b:
        return f"the same {len(a):,} sets ({sum(map(len, a)):,} documents): True"
    line = (f"project {len(a):,} sets ({sum(map(len, a)):,} documents), peer {len(b):,} sets "
            f"({sum(map(len, b)):,} documents); equal sets {len(a & b):,}, only the "
            f"project's {len(a - b):,}, only the peer's {len(b - a):,}: False")
    # Documents a set of one side holds and the other side leaves alone (rather than
    # setting them apart), with the project's exact resemblance to their set's first.
    left = {d for s in a for d in s} - {d for s in b for d in s}
    if left:
        values = sorted(similarity[d] for d in left)
        line += (f"\n    {len(left):,} documents of the project's sets in none of the "
                 f"peer's, resemblance {values[0]:.3f} to {values[-1]:.3f} "
                 f"(median {statistics.median(values):.3f})")
    extra = {d for s in b for d in s} - {d for s in a for d in s}
    if extra:
        line += f"\n    {len(extra):,} documents of the peer's sets in none of the project's"
    return line


def bench_duplicates(size: str, variant: str, corpus: Path, work: Path, runs: int,
                     peer: bool, profile: bool, cache: Path | None = None) -> None:
    first = "cold duplicates (processing)" if cache is None else "first run (--cache)        "
    cache = cache or work / f"cache-{size}-{variant}"
    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(cache)}
    run = [sys.executable, "-m", "analysis"]
    base = [*run, "duplicates", "--corpus", str(corpus)]
    cold = timed(base, env=env)
    if cold["rc"]:
        raise SystemExit(f"failed: {cold['err']}")
    warm = [timed(base, env=env) for _ in range(runs)]
    seconds = statistics.median(r["s"] for r in warm)
    alone = subprocess.run([sys.executable, "-c", ALONE, str(corpus)], env=env, cwd=PROJECT,
                           capture_output=True, text=True, check=True).stdout.split()
    freq = [timed([*run, "freq", "--corpus", str(corpus), "--top", "1"], env=env)
            for _ in range(runs)]
    dedupe = [timed([*run, "freq", "--corpus", str(corpus), "--top", "1", "--dedupe"],
                    env=env) for _ in range(runs)]
    mine, similarity = project_sets(corpus, env)
    words = {"1m": "1.08M", "10m": "9.99M"}[size]
    print(f"{size} {variant} ({words} words, {len(list(corpus.glob('*.txt'))):,} documents): "
          f"{len(mine):,} sets, {sum(map(len, mine)):,} documents in them")
    print(f"  {first}  {cold['s']:7.2f} s  {cold['mb']:6.0f} MB")
    print(f"  warm duplicates (median)      {seconds:7.2f} s  "
          f"{max(r['mb'] for r in warm):6.0f} MB   runs: "
          + ", ".join(f"{r['s']:.2f}" for r in warm))
    print(f"  duplicates() alone, in-process{float(alone[0]):7.2f} s")
    f_s, d_s = (statistics.median(r["s"] for r in rs) for rs in (freq, dedupe))
    print(f"  warm freq / freq --dedupe     {f_s:7.2f} s / {d_s:.2f} s  "
          f"{max(r['mb'] for r in freq):6.0f} / {max(r['mb'] for r in dedupe):.0f} MB")
    if peer:
        found = work / f"peer-{size}-{variant}.json"
        result = timed([sys.executable, "-c", PEER, str(corpus), str(found), "0.9", "5"])
        if result["rc"]:
            raise SystemExit(f"peer failed: {result['err']}")
        print(f"  peer: datasketch MinHash LSH  {result['s']:7.2f} s  {result['mb']:6.0f} MB"
              f"   ratio peer/warm {result['s'] / seconds:.1f}x")
        theirs = json.loads(found.read_text())
        print(f"  check against the peer: {compare(mine, theirs, similarity)}")
    if profile:
        prof = subprocess.run([sys.executable, "-c", ALONE, str(corpus), "profile"], env=env,
                              cwd=PROJECT, capture_output=True, text=True, check=True)
        print(f"  cProfile of duplicates() ({size} {variant}), by cumulative time:")
        print("\n".join("    " + line for line in prof.stderr.strip().splitlines()[:40]))
    print(f"  load after: {os.getloadavg()[0]:.2f}", flush=True)


def encoding_check(corpus: Path) -> dict:
    """Documents sent to ftfy and repaired, and the time of that work alone."""
    from analysis.corpus import load_corpus
    from analysis.text.clean import broken_encodings, may_hold_mojibake

    docs = load_corpus(corpus)
    raws = [docs[i].raw for i in docs.ids]
    start = time.perf_counter()
    suspicious = [raw for raw in raws if may_hold_mojibake(raw)]
    repairs = [broken_encodings(raw) for raw in suspicious]
    seconds = time.perf_counter() - start
    return {"docs": len(raws), "non_ascii": sum(not raw.isascii() for raw in raws),
            "to_ftfy": len(suspicious), "repaired": sum(bool(r) for r in repairs),
            "runs": sum(map(len, repairs)), "s": seconds}


def bench_ftfy(size: str, work: Path, runs: int) -> None:
    plain = conventions_folder(COPIES[size])
    broken, planted = mojibake(plain, work / f"mojibake-{size}")
    for name, corpus in (("as it is", plain), (f"mojibake in {planted} documents", broken)):
        times: dict[bool, list] = {True: [], False: []}
        for attempt in range(runs):
            for fix in (True, False):
                cache = work / f"cache-ftfy-{fix}-{attempt}"
                argv = [sys.executable, "-m", "analysis", "freq", "--corpus", str(corpus),
                        "--top", "1"] + ([] if fix else ["--no-fix-encoding"])
                result = timed(argv, env={**os.environ, "ANALYSIS_CACHE_DIR": str(cache)})
                if result["rc"]:
                    raise SystemExit(f"failed: {result['err']}")
                times[fix].append(result)
                shutil.rmtree(cache, ignore_errors=True)
        check = encoding_check(corpus)
        fixed, kept = (statistics.median(r["s"] for r in times[f]) for f in (True, False))
        print(f"ftfy at {size}, corpus {name}: {check['docs']:,} documents, "
              f"{check['non_ascii']:,} not ASCII")
        print(f"  cold freq                     {fixed:7.2f} s  "
              f"{max(r['mb'] for r in times[True]):6.0f} MB   runs: "
              + ", ".join(f"{r['s']:.2f}" for r in times[True]))
        print(f"  cold freq --no-fix-encoding   {kept:7.2f} s  "
              f"{max(r['mb'] for r in times[False]):6.0f} MB   runs: "
              + ", ".join(f"{r['s']:.2f}" for r in times[False]))
        print(f"  difference (the check and repair)  {fixed - kept:+.2f} s")
        print(f"  documents to ftfy (badness test) {check['to_ftfy']:,}, repaired "
              f"{check['repaired']:,} ({check['runs']:,} runs of characters); that check and "
              f"repair alone, one process: {check['s']:.2f} s")
        print(f"  load after: {os.getloadavg()[0]:.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1m", "10m"], choices=list(COPIES))
    parser.add_argument("--variants", nargs="+", default=list(RATES), choices=list(RATES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-sizes", nargs="*", default=["1m", "10m"],
                        choices=list(COPIES))
    parser.add_argument("--ftfy-size", default="10m", choices=list(COPIES))
    parser.add_argument("--ftfy-runs", type=int, default=1,
                        help="cold runs of each ftfy measurement (default 1)")
    parser.add_argument("--no-ftfy", action="store_true")
    parser.add_argument("--cache", type=Path,
                        help="keep the processed corpora in this folder and read them from "
                             "there (the first run is then warm when they are there already)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile duplicates() at the largest size of each variant")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-clean-"))
    try:
        for size in args.sizes:
            source = conventions_folder(COPIES[size])
            print(machine_line(source), flush=True)
            for variant in args.variants:
                corpus = source if variant == "copies" else perturbed(
                    source, work / f"{variant}-{size}", RATES[variant])
                bench_duplicates(size, variant, corpus, work, args.runs,
                                 size in args.peer_sizes,
                                 args.profile and size == args.sizes[-1], args.cache)
                if corpus != source:
                    shutil.rmtree(corpus, ignore_errors=True)
                shutil.rmtree(work / f"cache-{size}-{variant}", ignore_errors=True)
        if not args.no_ftfy:
            print(machine_line(conventions_folder(COPIES[args.ftfy_size])), flush=True)
            bench_ftfy(args.ftfy_size, work, args.ftfy_runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
