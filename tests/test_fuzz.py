"""Random bytes, random metadata and random arguments against the loader and the CLI.

For a number of cases (``FUZZ_CASES``, default 40; the generator is seeded, so a failure can
be replayed with ``FUZZ_SEED``), each case writes a random corpus of one of :data:`KINDS`, runs a
random command on it, and asserts: exit status 0 or 2, one line on stderr on error, no
traceback, the corpus unchanged, and nothing outside the cache written through it. The kinds:
random folders (bytes, metadata, sections); Unicode edge cases (decomposed letters,
bidirectional controls, full-width forms, ligatures, the dotted capital I) in texts, values
and file names; Parquet tables with binary columns (valid UTF-8 or not); JSON Lines nested
from 0 to 5,000 levels; planted cache entries (garbage, a truncated store, a FIFO, a link, a
folder) under the corpus's cache name; many groups (a column of hundreds of values, grouped
by); many columns (up to past :data:`analysis.corpus.MAX_COLUMNS`).
``python -m pytest tests/test_fuzz.py -s`` prints how many cases of each kind ran.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import time
from collections import Counter

from analysis import config
from analysis.cli import main

KINDS = ("folder", "unicode", "parquet", "deep-json", "planted-cache", "many-groups",
         "many-columns")

WORDS = ["road", "party", "peace", "trade", "the", "and", "CPEC", "Mr.", "U.S.", "2020", "é",
         "“quoted”", "don't", "China's", "&", "—", "\u00a0", "\t", "...", "?!", "\x1b[2J", "😀"]
#: Decomposed letters, a lone combining mark, bidirectional overrides and isolates, full-width
#: letters, ligatures, the dotted capital I, zero-width characters.
UNICODE = ["re\u0301sume\u0301", "cafe\u0301", "caf\u00e9", "\u0301", "a\u0308\u0301",
           "\u202eevil\u202c", "\u2066x\u2069", "\u200f", "\uff32\uff4f\uff41\uff44",
           "\ufb01nance", "\u0130stanbul", "\u0131", "\u00bd", "x\u00b2", "\u200d", "\ufeff",
           "\u1100\u1161", "e\u0301\u0327"]
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


def _unicode_case(rng: random.Random, folder) -> list[str]:
    """A folder of texts, metadata values and file names of Unicode edge cases."""
    names = [rng.choice(["a", "b", "c\u0301", "\u202etxt.exe", "\uff41"]) for _ in range(3)]
    files = sorted({f"{name}.txt" for name in names})
    for name in files:
        words = rng.choices(UNICODE + WORDS[:8], k=rng.randrange(1, 30))
        (folder / name).write_text(" ".join(words) + rng.choice([".", "", "\n\n"]),
                                   encoding="utf-8")
    if rng.random() < 0.7:
        rows = ["file,party,date"] + [f'"{name}",{rng.choice(UNICODE + VALUES[:5])},2020'
                                      for name in files]
        (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    command = rng.choice(["corpus", "freq", "kwic", "keyness", "tokens", "sentences"])
    argv = [command, "--corpus", str(folder)]
    if command == "kwic":
        argv.append(rng.choice(UNICODE + ["road", "résumé"]))
    if command == "keyness":
        argv += ["--by", rng.choice(["party", "doc"])]
    elif rng.random() < 0.5 and command in ("corpus", "freq"):
        argv += ["--by", "party"]
    return argv + ["--format", rng.choice(["table", "csv", "json"])]


def _binary(rng: random.Random, text: str) -> bytes:
    data = text.encode("utf-8")
    return data + bytes([rng.choice([0xE9, 0xFF, 0xC3, 0x80])]) if rng.random() < 0.2 else data


def _parquet_case(rng: random.Random, folder) -> list[str]:
    """A Parquet table whose text, id and variables may be of binary type."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = rng.randrange(1, 5)
    texts = [" ".join(rng.choices(WORDS + UNICODE, k=rng.randrange(1, 12))) for _ in range(n)]
    columns = {}
    if rng.random() < 0.5:
        columns["text"] = pa.array([_binary(rng, t) for t in texts], pa.binary())
    else:
        columns["text"] = pa.array(texts, pa.string())
    if rng.random() < 0.5:
        columns["id"] = pa.array([_binary(rng, f"d{i % 3}") for i in range(n)],
                                 rng.choice([pa.binary(), pa.large_binary()]))
    if rng.random() < 0.6:
        columns["party"] = pa.array([rng.choice([b"red", b"blue", b"\xff", None])
                                     for _ in range(n)], pa.binary())
    if rng.random() < 0.3:
        columns["tags"] = pa.array([[b"x", _binary(rng, "y")] for _ in range(n)],
                                   pa.list_(pa.binary()))
    pq.write_table(pa.table(columns), folder / "t.parquet")
    command = rng.choice(["corpus", "freq", "keyness", "kwic"])
    argv = [command, "--corpus", str(folder / "t.parquet")]
    if command == "kwic":
        argv.append(rng.choice(WORDS))
    if command == "keyness" or (rng.random() < 0.4 and "party" in columns):
        argv += ["--by", rng.choice(["party", "doc", "tags"])]
    return argv + ["--format", rng.choice(["table", "csv", "json"])]


def _deep_json_case(rng: random.Random, folder) -> list[str]:
    """JSON Lines with a value nested 0 to 5,000 levels deep (in a variable or the text)."""
    lines = []
    for i in range(rng.randrange(1, 4)):
        depth = rng.choice([0, 1, 5, 99, 100, 101, 984, 985, 1500, 5000])
        opening, closing = rng.choice([("[", "]"), ('{"a": ', "}")])
        nested = opening * depth + '"x"' + closing * depth
        where = rng.choice(["meta", "text", "id"])
        cells = {"id": f'"d{i}"', "text": json.dumps("Roads and ports. " * 2),
                 "meta": '"plain"'}
        cells[where] = nested
        lines.append("{" + ", ".join(f'"{k}": {v}' for k, v in cells.items()) + "}")
    (folder / "t.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = rng.choice(["corpus", "freq", "tokens"])
    argv = [command, "--corpus", str(folder / "t.jsonl")]
    if rng.random() < 0.4:
        argv += ["--by", "meta"] if command != "tokens" else []
    return argv + ["--format", rng.choice(["table", "csv", "json"])]


def _planted_cache_case(rng: random.Random, folder, victim) -> list[str]:
    """A sound folder corpus with something planted under its cache file's name."""
    from analysis.corpus import load_corpus
    from analysis.text.process import cache_key, process

    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(" ".join(rng.choices(WORDS[:10], k=20)) + ".\n",
                                   encoding="utf-8")
    corpus = load_corpus(folder)
    path = config.CACHE_DIR / f"processed-{cache_key(corpus)}.store"
    config.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    plant = rng.choice(["garbage", "truncated", "fifo", "link", "folder", "magic"])
    if plant == "garbage":
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300))))
    elif plant == "truncated":
        process(corpus)
        data = path.read_bytes()
        path.write_bytes(data[:rng.randrange(len(data))])
    elif plant == "fifo":
        os.mkfifo(path)
    elif plant == "link":
        path.symlink_to(victim)
    elif plant == "folder":
        path.mkdir()
    else:  # the magic number, then a header claiming more than the file holds
        path.write_bytes(b"ANSTORE2" + (10**6).to_bytes(8, "little") + bytes(40))
    command = rng.choice(["corpus", "freq", "kwic", "tokens"])
    argv = [command, "--corpus", str(folder)] + (["road"] if command == "kwic" else [])
    return argv + ["--format", rng.choice(["csv", "json"])]


def _many_groups_case(rng: random.Random, folder) -> list[str]:
    """A table of hundreds of documents with a column of as many values, grouped by."""
    n = rng.choice([50, 200, 400])
    groups = rng.choice([n, n // 2, 3])
    with (folder / "t.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "g", "date"])
        for i in range(n):
            writer.writerow([f"d{i}", " ".join(rng.choices(WORDS[:12], k=rng.randrange(1, 15)))
                             + ".", f"v{i % groups}", f"{2000 + i % 20}"])
    command = rng.choice(["corpus", "freq", "keyness", "trends", "similarity", "collocates"])
    argv = [command, "--corpus", str(folder / "t.csv"), "--by", "g"]
    if command == "trends":
        argv[4:4] = ["road", "--interval", "year"]
    if command == "collocates":
        argv[4:4] = ["road"]
    if command in ("freq", "keyness", "similarity") and rng.random() < 0.5:
        argv += ["--top", str(rng.choice([1, 5, 100]))]
    return argv + ["--format", rng.choice(["csv", "json"])]


def _many_columns_case(rng: random.Random, folder) -> list[str]:
    """A table or metadata.csv of 3 to past MAX_COLUMNS columns."""
    from analysis.corpus import MAX_COLUMNS

    count = rng.choice([3, 50, 500, 2000, MAX_COLUMNS, MAX_COLUMNS + 1])
    names = [f"c{i}" for i in range(count - 2)]
    rows = [[f"d{r}", " ".join(rng.choices(WORDS[:8], k=5)) + ".",
             *(rng.choice(VALUES[:6]) for _ in names)] for r in range(rng.randrange(1, 4))]
    if rng.random() < 0.5:
        with (folder / "t.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text", *names])
            writer.writerows(rows)
        corpus = str(folder / "t.csv")
    else:
        for row in rows:
            (folder / f"{row[0]}.txt").write_text(row[1], encoding="utf-8")
        with (folder / "metadata.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "title", *names])
            writer.writerows([[f"{row[0]}.txt", *row[1:]] for row in rows])
        corpus = str(folder)
    command = rng.choice(["corpus", "freq", "keyness"])
    argv = [command, "--corpus", corpus]
    if names and (command == "keyness" or rng.random() < 0.5):
        argv += ["--by", rng.choice(names[:5])]
    if names and rng.random() < 0.3:
        argv += ["--where", f"{rng.choice(names[:5])}=x"]
    return argv + ["--format", rng.choice(["table", "csv", "json"])]


def _folder_case(rng: random.Random, folder) -> list[str]:
    """Random bytes as texts, random metadata and sections, a random command."""
    files = [f"{c}.txt" for c in "abc"[:rng.randrange(1, 4)]]
    for name in files:
        (folder / name).write_bytes(_text(rng))
    if rng.random() < 0.6:
        (folder / "metadata.csv").write_text(_metadata(rng, files), encoding="utf-8")
    if rng.random() < 0.2:
        (folder / "sections.csv").write_text(
            f"file,section,voice,first,last\n{files[0]},s,v,{rng.randrange(0, 4)},"
            f"{rng.choice(['', '1', '2', '9'])}\n", encoding="utf-8")
    return _argv(rng, str(folder))


def _snapshot(folder) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_random_corpora_and_arguments_exit_0_or_2_with_one_line(tmp_path, capsys):
    seed = int(os.environ.get("FUZZ_SEED", "2020"))
    # A number of cases, not a time budget: the same cases on a loaded machine as on an idle
    # one (FUZZ_CASES=2000 for a longer search).
    total = int(os.environ.get("FUZZ_CASES", "40"))
    rng = random.Random(seed)
    victim = tmp_path / "victim.txt"  # a file a planted link points at: never written
    victim.write_text("not the cache's\n", encoding="utf-8")
    start = time.monotonic()
    cases, kinds = 0, Counter()
    while cases < total:
        folder = tmp_path / f"case-{cases}"
        folder.mkdir()
        kind = KINDS[cases % len(KINDS)] if rng.random() < 0.5 else rng.choice(KINDS)
        if kind == "planted-cache":
            argv = _planted_cache_case(rng, folder, victim)
        else:
            argv = globals()[f"_{kind.replace('-', '_')}_case"](rng, folder)
        before = _snapshot(folder)
        try:
            status = main(argv)
        except SystemExit as stop:  # argparse's own checks
            status = stop.code
        out, err = capsys.readouterr()
        case = f"case {cases} ({kind}, seed {seed}): {[a[:80] for a in argv]}"
        assert status in (0, 2), f"{case}: exit {status}: {err}"
        assert "Traceback" not in err, case
        if status == 2:
            assert err.count("\n") == 1, f"{case}: {err!r}"
        assert _snapshot(folder) == before, case
        assert victim.read_text(encoding="utf-8") == "not the cache's\n", case
        cases += 1
        kinds[kind] += 1
    seconds = time.monotonic() - start
    print(f"\nfuzz: {cases} cases in {seconds:.1f} s ({cases / seconds:.1f} a second, seed "
          f"{seed}): " + ", ".join(f"{kind} {kinds[kind]}" for kind in KINDS))
    assert all(kinds[kind] > 0 for kind in KINDS)
