"""Wordfish over every document of the convention corpora (report 06): time and peak memory.

Usage::

    python bench/bench_wordfish.py [--sizes 1m 10m] [--runs 3] [--runs-10m 1] [--before REV]
        [--max-features N] [--before-max-features N]

Report 06 (``notebooks/06-positions.ipynb``, ``MODEL = "wordfish"``, ``BY = None``) places
every document: :func:`analysis.positions.fit_positions` builds the matrix (the documents'
content words, those counted at least 5 times and found in at least 2 documents) and fits
:func:`analysis.textmodels.wordfish` with its defaults (``strict=False``). This script builds
that same matrix once per corpus (``bench/corpus-conventions-1m``, 1,512 documents, about 1M
words; ``bench/corpus-conventions-x74``, 13,986 documents, about 10M words; see
``real_corpus.py``), keeps it as ``bench/corpus-conventions-*.wordfish.npz`` (gitignored;
arrays only, read without pickle),
and times the fit alone, each run in a fresh subprocess: wall time, CPU seconds, rounds, the
process's peak memory (maximum resident set size, the matrix included) and the machine's load
before each run. The median of ``--runs`` runs (``--runs-10m`` at 10M words).

``--max-features N`` (default 500, report 06's ``MAX_FEATURES``) fits on the N words counted
most often of that matrix (:meth:`analysis.dfm.DFM.trim`, outside the timing), as the report
does; 0: every word. ``--before-max-features`` does the same for the peer (default: the same
N); with different numbers the two fits are on different matrices, and the comparison is
the correlation of the positions instead of their largest difference.

With ``--before REV`` the same fits are run by the project as it was at git revision ``REV``
(extracted with ``git archive`` into a temporary folder) in the same run, alternating with
the current code, and the estimates are compared: the largest relative difference of the
positions, standard errors, alphas, betas and psis, and whether the rounds are the same.

Nothing here passes or fails; the figures go into results.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import platform  # noqa: E402

from real_corpus import BENCH, PROJECT, conventions_folder  # noqa: E402

COPIES = {"1m": 8, "10m": 74}

#: Run in a subprocess: argv = project root, matrix .npz, output .npz, max features (0: all).
FIT = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np
import pandas as pd
from scipy import sparse
from analysis.dfm import DFM
from analysis.textmodels.wordfish import wordfish
with np.load(sys.argv[2], allow_pickle=False) as z:
    d = DFM(sparse.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"])),
            z["features"], pd.DataFrame({"doc": z["doc"]}))
if int(sys.argv[4]):
    counts = np.asarray(d.matrix.sum(axis=0)).ravel()  # the N counted most often, ties by
    keep = np.sort(np.argsort(-counts, kind="stable")[:int(sys.argv[4])])  # the feature
    d = DFM(d.matrix[:, keep].tocsr(), d.features[keep], d.rows)
start, cpu = time.perf_counter(), time.process_time()
fit = wordfish(d, strict=False)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
doc, words = fit.documents, fit.words
np.savez(sys.argv[3], position=doc["position"].to_numpy(), se=doc["se"].to_numpy(),
         alpha=doc["alpha"].to_numpy(), beta=words["beta"].to_numpy(),
         psi=words["psi"].to_numpy())
print(json.dumps({"seconds": seconds, "cpu": cpu, "words": len(words),
                  "rounds": doc.attrs["iterations"],
                  "converged": doc.attrs["converged"],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


class _CapturedError(Exception):
    pass


def matrix(size: str, corpora: Path | None) -> Path:
    """The matrix report 06 fits at ``size``, kept once (the corpus from ``corpora``,
    when given, else written under bench/ on first use)."""
    name = "corpus-conventions-1m" if size == "1m" else f"corpus-conventions-x{COPIES[size]}"
    folder = corpora / name if corpora is not None else conventions_folder(COPIES[size])
    out = BENCH / f"{folder.name}.wordfish.npz"
    if out.exists():
        return out
    import analysis.textmodels
    from analysis.corpus import load_corpus
    from analysis.positions import fit_positions
    from analysis.text.process import process

    def capture(d, model, **options):
        raise _CapturedError(d)

    analysis.textmodels.scale = capture
    try:
        fit_positions(process(load_corpus(folder)), "wordfish", by="doc", min_count=5)
    except _CapturedError as caught:
        d = caught.args[0]
    m = d.matrix
    np.savez(out, data=m.data, indices=m.indices, indptr=m.indptr, shape=np.array(m.shape),
             features=d.features.astype(str), doc=d.rows["doc"].to_numpy(dtype=str))
    return out


def fit(root: Path, kept: Path, out: Path, max_features: int) -> dict:
    load = os.getloadavg()[0]
    done = subprocess.run([sys.executable, "-c", FIT, str(root), str(kept), str(out),
                           str(max_features)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"load": load}


def largest_difference(a: Path, b: Path) -> float:

    x, y = np.load(a), np.load(b)
    worst = 0.0
    for key in x.files:
        scale = np.maximum(np.abs(x[key]), np.abs(y[key]))
        diff = np.abs(x[key] - y[key]) / np.where(scale > 0, scale, 1.0)
        worst = max(worst, float(np.nanmax(diff)))
    return worst


def summary(name: str, runs: list[dict]) -> str:
    seconds = [r["seconds"] for r in runs]
    return (f"  {name} ({runs[0]['words']:,} words): {statistics.median(seconds):.2f} s median "
            f"of {len(runs)} ({', '.join(f'{s:.2f}' for s in seconds)}), CPU "
            f"{statistics.median(r['cpu'] for r in runs):.2f} s, {runs[0]['rounds']} rounds, "
            f"converged {runs[0]['converged']}, peak {max(r['peak_mb'] for r in runs):.0f} MB, "
            "load " + ", ".join(f"{r['load']:.2f}" for r in runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1m", "10m"], choices=list(COPIES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs-10m", type=int, default=1)
    parser.add_argument("--before", help="a git revision to run as the peer")
    parser.add_argument("--max-features", type=int, default=500, dest="max_features",
                        help="fit on the N words counted most often (default 500, report "
                             "06's MAX_FEATURES; 0: all)")
    parser.add_argument("--before-max-features", type=int, default=None,
                        dest="before_max_features",
                        help="the same for the peer (default: --max-features)")
    parser.add_argument("--corpora", type=Path,
                        help="a folder holding the corpus-conventions-* folders (default: "
                             "bench/, written there on first use)")
    args = parser.parse_args()
    peer_features = (args.max_features if args.before_max_features is None
                     else args.before_max_features)
    print(f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        peer = None
        if args.before:
            peer = Path(tmp) / "before"
            peer.mkdir()
            archive = subprocess.run(["git", "-C", str(PROJECT), "archive", args.before,
                                      "analysis"], capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(peer)], input=archive, check=True)
        for size in args.sizes:
            kept = matrix(size, args.corpora)
            with np.load(kept, allow_pickle=False) as z:
                shape, nonzero = z["shape"], len(z["data"])
            print(f"{size}: {shape[0]:,} documents x {shape[1]:,} words, "
                  f"{nonzero:,} nonzero cells")
            runs = args.runs if size == "1m" else args.runs_10m
            now, before = [], []
            for number in range(runs):
                now.append(fit(PROJECT, kept, Path(tmp) / f"now-{size}.npz", args.max_features))
                if peer is not None:
                    before.append(fit(peer, kept, Path(tmp) / f"before-{size}.npz",
                                      peer_features))
                print(f"  run {number + 1}: now {now[-1]['seconds']:.2f} s"
                      + (f", before {before[-1]['seconds']:.2f} s" if before else ""),
                      flush=True)
            print(summary("now", now))
            if before:
                print(summary("before", before))
                ratio = (statistics.median(r["seconds"] for r in before)
                         / statistics.median(r["seconds"] for r in now))
                a, b = Path(tmp) / f"now-{size}.npz", Path(tmp) / f"before-{size}.npz"
                if peer_features == args.max_features:
                    compared = (f"largest relative difference of the estimates: "
                                f"{largest_difference(a, b):.2e}")
                else:
                    r = np.corrcoef(np.load(a)["position"], np.load(b)["position"])[0, 1]
                    compared = f"correlation of the positions: {r:.3f}"
                cpu = (statistics.median(r["cpu"] for r in before)
                       / statistics.median(r["cpu"] for r in now))
                print(f"  before / now: {ratio:.1f}x wall, {cpu:.1f}x CPU; same rounds: "
                      f"{now[0]['rounds'] == before[0]['rounds']}; {compared}")


if __name__ == "__main__":
    main()
