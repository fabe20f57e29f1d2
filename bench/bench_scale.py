"""Scale on real text: cold and warm commands, peak memory and cache size at 1M to 100M words.

Usage::

    python bench/bench_scale.py [--sizes 1m 10m] [--runs 3] [--before REV]
    python bench/bench_scale.py --sizes 100m --cold-runs 3 --cold-only   # ~30 min idle

Corpora (real political speeches, see real_corpus.py): ``bench/corpus-conventions-1m`` (the
2012 convention speeches 8 times, 1.08M words), ``bench/corpus-conventions-x74`` (74
times, about 10M words in 13,986 files) and ``bench/corpus-conventions-x740`` (740 times,
about 100M words in 139,860 files), written on first use.

For each corpus, in one run:

- **cold** ``freq``: an empty cache folder, so the corpus is read, processed (in parallel
  workers), indexed and cached; ``--cold-runs N`` times, each with a new empty folder (the
  median, and every run's wall and CPU seconds);
- **warm** commands, each the median of ``--runs`` subprocess runs (start-up included):
  ``freq``, ``keyness --target party=democrat``, ``kwic america`` and, at the sizes of
  ``--every-command`` (default 1m), every other analysis subcommand;
- the **peak memory** of each command (maximum resident set size, as ``bench_cli.timed``
  reads it), and the
  **cache size** on disk per million words;
- the **peer**: scikit-learn's ``CountVectorizer`` reading the same files and counting every
  word (its default tokenizer, no sentences), timed and measured the same way (``--runs``
  times; it keeps no cache, so every run of it is cold);
- with ``--before REV``, the same commands run by the project as it was at git revision
  ``REV`` (extracted with ``git archive`` into a temporary folder), so a change is measured
  against its predecessor on the same machine in the same run.

Nothing here passes or fails; the figures go into results.md by hand.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cli import timed  # noqa: E402
from real_corpus import PROJECT, conventions_folder, machine_line  # noqa: E402

PEER = """
import sys
from pathlib import Path
from sklearn.feature_extraction.text import CountVectorizer
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
counts = CountVectorizer().fit_transform(texts).sum(axis=0)
print(int(counts.sum()))
"""

WARM = [["freq", "--top", "20"], ["keyness", "--target", "party=democrat", "--top", "20"],
        ["kwic", "america"]]
MORE = [["corpus"], ["sentences"], ["collocates", "america"], ["roads"], ["frames"],
        ["topics"], ["freq", "--by", "party", "--top", "20"]]


def run(argv: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """Wall-clock seconds and peak resident memory (MB) of one command that must succeed."""
    result = timed(argv, cwd=cwd, env=env)
    if result["rc"]:
        raise SystemExit(f"failed: {' '.join(argv)}: {result['err']}")
    return result["s"], result["mb"]


def words_of(folder: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in folder.glob("*.txt"))


def project_copy(rev: str) -> Path:
    """The project's package at a git revision, in a temporary folder (with the scanner)."""
    out = Path(tempfile.mkdtemp(prefix="bench-before-"))
    archive = subprocess.run(["git", "archive", rev, "analysis"], cwd=PROJECT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    for built in (PROJECT / "analysis").glob("_scan*.so"):
        shutil.copy(built, out / "analysis")
    return out


def cold(root: Path, corpus: Path, words: int, runs: int) -> tuple[list, Path]:
    """``runs`` cold ``freq`` runs, each with a new empty cache folder: their (seconds, MB,
    CPU seconds), and the last run's cache folder (kept for the warm runs)."""
    base = [sys.executable, "-m", "analysis", "freq", "--top", "20", "--corpus", str(corpus)]
    results, cache = [], None
    for _ in range(runs):
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)
        cache = Path(tempfile.mkdtemp(prefix="bench-cache-"))
        result = timed(base, cwd=root, env={**os.environ, "ANALYSIS_CACHE_DIR": str(cache)})
        if result["rc"]:
            raise SystemExit(f"failed: {' '.join(base)}: {result['err']}")
        results.append((result["s"], result["mb"], result["cpu"]))
        print(f"  cold run: {result['s']:.1f} s, {result['cpu']:.1f} s CPU, "
              f"{result['mb']:.0f} MB; the process tree {result['tree_cpu']:.1f} s CPU, "
              f"{result['tree_mb']:.0f} MB at most; load {os.getloadavg()[0]:.2f}", flush=True)
    return results, cache


def measure(label: str, root: Path, corpus: Path, words: int, runs: int, more: bool,
            cold_runs: int = 1, warm: bool = True) -> list:
    rows = []
    results, cache = cold(root, corpus, words, cold_runs)
    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(cache)}
    base = [sys.executable, "-m", "analysis"]
    size = sum(p.stat().st_size for p in cache.glob("processed-*")) / 2**20
    runs_note = "" if cold_runs == 1 else " runs " + ", ".join(
        f"{s:.1f} s ({c:.0f} CPU)" for s, _, c in results)
    rows.append((label, "freq (cold)", statistics.median(r[0] for r in results),
                 max(r[1] for r in results),
                 f"cache {size / words * 1e6:.1f} MB/Mw{runs_note}"))
    for argv in (WARM + (MORE if more else [])) if warm else []:
        results = [run(base + argv + ["--corpus", str(corpus)], env, root)
                   for _ in range(runs)]
        rows.append((label, " ".join(argv), statistics.median(r[0] for r in results),
                     max(r[1] for r in results), ""))
    shutil.rmtree(cache, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1m", "10m"],
                        choices=["1m", "10m", "100m"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=1,
                        help="cold runs of freq, each with an empty cache (default 1)")
    parser.add_argument("--cold-only", action="store_true",
                        help="no warm commands (the cold runs and the peer alone)")
    parser.add_argument("--before", help="a git revision to measure beside the current code")
    parser.add_argument("--every-command", nargs="*", default=["1m"], choices=["1m", "10m"],
                        help="sizes at which every other analysis subcommand is timed too "
                             "(default: 1m)")
    args = parser.parse_args()
    before = project_copy(args.before) if args.before else None
    for size in args.sizes:
        corpus = conventions_folder({"1m": 8, "10m": 74, "100m": 740}[size])
        words = words_of(corpus)
        print(machine_line(corpus), f"({words:,} words, {len(list(corpus.glob('*.txt'))):,}"
              " files)")
        rows = measure("project", PROJECT, corpus, words, args.runs,
                       more=size in args.every_command, cold_runs=args.cold_runs,
                       warm=not args.cold_only)
        if before is not None:
            rows += measure(f"before ({args.before})", before, corpus, words, args.runs,
                            more=False, cold_runs=args.cold_runs, warm=not args.cold_only)
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
            script.write(PEER)
        peer = []
        for _ in range(args.runs):
            peer.append(run([sys.executable, script.name, str(corpus)], dict(os.environ),
                            PROJECT))
            print(f"  peer run: {peer[-1][0]:.1f} s, {peer[-1][1]:.0f} MB, load "
                  f"{os.getloadavg()[0]:.2f}", flush=True)
        os.unlink(script.name)
        peer_seconds = statistics.median(p[0] for p in peer)
        rows.append(("peer", "CountVectorizer (read + count)", peer_seconds,
                     max(p[1] for p in peer),
                     "runs " + ", ".join(f"{p[0]:.1f} s" for p in peer)))
        print(f"{'who':<22} {'command':<40} {'seconds':>8} {'x peer':>7} {'peak MB':>8}"
              f" {'MB per Mw':>9}  note")
        for who, command, seconds, memory, note in rows:
            print(f"{who:<22} {command:<40} {seconds:8.2f} {seconds / peer_seconds:7.2f} "
                  f"{memory:8.0f} {memory / words * 1e6:9.0f}  {note}")
        print(machine_line(corpus))
        print()
    if before is not None:
        shutil.rmtree(before, ignore_errors=True)


if __name__ == "__main__":
    main()
