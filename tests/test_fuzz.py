"""Random bytes, random metadata and random arguments against the loader and the CLI.

For a bounded time (``FUZZ_SECONDS``, default 8; the generator is seeded, so a failure can be
replayed with ``FUZZ_SEED``), each case writes a random corpus folder, runs a random command
on it, and asserts: exit status 0 or 2, one line on stderr on error, no traceback, and the
corpus folder unchanged. ``python -m pytest tests/test_fuzz.py -s`` prints how many cases ran.
"""

from __future__ import annotations

import csv
import io
import os
import random
import time

from analysis.cli import main

WORDS = ["road", "party", "peace", "trade", "the", "and", "CPEC", "Mr.", "U.S.", "2020", "é",
         "“quoted”", "don't", "China's", "&", "—", "\u00a0", "\t", "...", "?!", "\x1b[2J", "😀"]
VALUES = ["", "x", "red", "blue", "2020", "2020-03", "2020-02-30", "2021-13", "9999-12", "1.5",
          "-3", "(none)", "a,b", "\"", "'", "=", "<", ">=", "\x00", "red;blue", " "]
COLUMNS = ["party", "date", "genre", "rating", "id", "file", "term", "voice", "doc", "x y"]


def _text(rng: random.Random) -> bytes:
    kind = rng.random()
    if kind < 0.1:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 60)))
    lines = []
    for _ in range(rng.randrange(1, 6)):
        words = rng.choices(WORDS, k=rng.randrange(0, 15))
        lines.append(" ".join(words) + rng.choice([".", "", "!", "?", " ."]))
    text = "\n".join(lines)
    return text.encode("utf-8") if kind < 0.9 else text.encode("latin-1", "replace")


def _metadata(rng: random.Random, files: list[str]) -> str:
    """Mostly well-formed CSV (written by csv) with odd values; one in five broken by hand."""
    columns = ["file", *rng.sample([c for c in COLUMNS if c != "file"], rng.randrange(0, 4))]
    if rng.random() < 0.8:
        handle = io.StringIO()
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for name in files:
            writer.writerow([name, *(rng.choice(VALUES) for _ in columns[1:])])
        return handle.getvalue()
    rows = [",".join(columns + (["file"] if rng.random() < 0.2 else []))]
    for name in files + (["missing.txt"] if rng.random() < 0.3 else []):
        cells = [rng.choice([name, f"./{name}", name])]
        cells += [rng.choice(VALUES) for _ in columns[1:]]
        if rng.random() < 0.3:
            cells.append("extra")
        rows.append(",".join(cells))
    return "\n".join(rows) + "\n"


def _argv(rng: random.Random, folder: str) -> list[str]:
    command = rng.choice(["corpus", "sentences", "freq", "keyness", "kwic", "collocates",
                          "trends", "frames", "roads", "topics"])
    argv = [command, "--corpus", folder]
    if command in ("kwic", "collocates"):
        argv.append(rng.choice(WORDS + ["/road|x/", "road*", "(a|aa)+b", "/[/", ""]))
    if command == "trends":
        argv += rng.choices(WORDS, k=rng.randrange(1, 3))
        argv += ["--interval", rng.choice(["year", "month", "week"])]
    if command == "keyness":
        argv += rng.choice([["--target", rng.choice(["a", "b", "party=red", "zz", "x=1"])],
                            ["--by", rng.choice(COLUMNS + ["doc"])]])
    if rng.random() < 0.5 and command not in ("sentences", "keyness"):
        argv += ["--by", rng.choice(COLUMNS + ["doc", "corpus", "section"])]
    if rng.random() < 0.4:
        argv += ["--where", f"{rng.choice(COLUMNS)}{rng.choice(['=', '!=', '>=', '<'])}"
                            f"{rng.choice(VALUES)}"]
    if rng.random() < 0.3 and command in ("kwic", "collocates", "topics"):
        argv += ["--window", str(rng.choice([-1, 0, 1, 3, 50, 101, 10**9]))]
    if rng.random() < 0.2 and command in ("freq", "keyness"):
        argv += ["--top", str(rng.choice([-5, 0, 1, 2, 10**12]))]
    if rng.random() < 0.2 and command == "topics":
        argv += ["--k", str(rng.choice([0, 1, 2, 60]))]
    argv += ["--format", rng.choice(["table", "csv", "json"])]
    return argv


def _snapshot(folder) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_random_corpora_and_arguments_exit_0_or_2_with_one_line(tmp_path, capsys):
    seed = int(os.environ.get("FUZZ_SEED", "2020"))
    budget = float(os.environ.get("FUZZ_SECONDS", "8"))
    rng = random.Random(seed)
    deadline = time.monotonic() + budget
    cases = 0
    while time.monotonic() < deadline:
        folder = tmp_path / f"case-{cases}"
        folder.mkdir()
        files = [f"{c}.txt" for c in "abc"[:rng.randrange(1, 4)]]
        for name in files:
            (folder / name).write_bytes(_text(rng))
        if rng.random() < 0.6:
            (folder / "metadata.csv").write_text(_metadata(rng, files), encoding="utf-8")
        if rng.random() < 0.2:
            (folder / "sections.csv").write_text(
                f"file,section,voice,first,last\n{files[0]},s,v,{rng.randrange(0, 4)},"
                f"{rng.choice(['', '1', '2', '9'])}\n", encoding="utf-8")
        before = _snapshot(folder)
        argv = _argv(rng, str(folder))
        try:
            status = main(argv)
        except SystemExit as stop:  # argparse's own checks
            status = stop.code
        out, err = capsys.readouterr()
        case = f"case {cases} (seed {seed}): {argv}"
        assert status in (0, 2), f"{case}: exit {status}: {err}"
        assert "Traceback" not in err, case
        if status == 2:
            assert err.count("\n") == 1, f"{case}: {err!r}"
        assert _snapshot(folder) == before, case
        cases += 1
    print(f"\nfuzz: {cases} cases in {budget:g} s (seed {seed})")
    assert cases > 20
