"""A Universal Dependencies treebank read as a corpus, beside the treebank's own statistics.

Usage::

    python bench/check_conllu.py FILE.conllu [--stats stats.xml --part dev]

``FILE.conllu`` is a treebank file (the project ships none; e.g. UD_English-EWT's
``en_ewt-ud-dev.conllu``, CC BY-SA 4.0, from the treebank's repository). With ``--stats``
(the treebank's ``stats.xml``) and ``--part`` (``train``, ``dev`` or ``test``), the counts
are printed beside the treebank's: sentences, syntactic words (the corpus's tokens),
surface tokens (a multiword token such as *don't* counted once) and multiword tokens. The
corpus is then processed (:func:`analysis.text.process.compute`, no cache), and the layers'
counts are checked against an independent parse of the same file by the ``conllu`` package.
Times are wall clock; note ``uptime``.

Last, the reading speed against the ``conllu`` package in the same run (``--runs`` rounds,
interleaved, medians of wall clock and of CPU time): syntactic words per second of the
whole reader (:func:`~analysis.readers.conllu.load_conllu`: the file read, its lines split
into sentences and columns and checked, documents, texts, offsets, coded layers) and of
``conllu.parse`` (the package's parse alone, the peer), with the ratios and the machine's
load. Several files may be given to ``--speed-only`` to time each of them alone.
"""

from __future__ import annotations

import argparse
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--stats", type=Path)
    parser.add_argument("--part", default="dev")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--speed-only", nargs="+", type=Path, default=[],
                        help="more files: only the reading speed of each (after FILE's)")
    args = parser.parse_args()
    if args.speed_only:
        for path in [args.file, *args.speed_only]:
            print(path.name)
            speed(path, path.read_text(encoding="utf-8"), args.runs)
        return

    import conllu

    from analysis.corpus import load_corpus
    from analysis.text.process import compute

    started = time.perf_counter()
    corpus = load_corpus(args.file)
    read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    processed = compute(corpus)
    process_seconds = time.perf_counter() - started
    c = processed.columns
    words = len(c.tok_surface)
    sentences = len(c.sent_para)
    # the text's tokens: a multiword token's words share one span (or are empty after it)
    text = args.file.read_text(encoding="utf-8")
    fused = sum(1 for line in text.split("\n")
                if line and not line.startswith("#") and "-" in line.split("\t", 1)[0])
    fused_words = sum(int(b) - int(a) + 1 for a, b in (
        line.split("\t", 1)[0].split("-") for line in text.split("\n")
        if line and not line.startswith("#") and "-" in line.split("\t", 1)[0]))
    surface = words - fused_words + fused
    ours = {"sentences": sentences, "words": words, "tokens": surface, "fused": fused}
    print(f"{args.file.name}: {len(corpus)} documents; read in {read_seconds:.2f} s, "
          f"processed in {process_seconds:.2f} s ({words / (read_seconds + process_seconds):,.0f}"
          " words/s)")
    if args.stats:
        size = ElementTree.parse(args.stats).getroot().find(f"size/{args.part}")
        for name, value in ours.items():
            theirs = int(size.findtext(name))
            print(f"  {name:<9} ours {value:>8,}  treebank {theirs:>8,}  "
                  f"{'same' if value == theirs else 'DIFFERENT'}")
    else:
        for name, value in ours.items():
            print(f"  {name:<9} {value:>8,}")
    started = time.perf_counter()
    parsed = [t for s in conllu.parse(text) for t in s if isinstance(t["id"], int)]
    parse_seconds = time.perf_counter() - started
    layers = c.layers
    checks = {
        "form": [t["form"] for t in parsed] == c.surfaces[c.tok_surface].tolist(),
        "upos": Counter(t["upos"] for t in parsed) == Counter(layers.values("upos").tolist()),
        # "_" is no value (""), except as the lemma of the form "_"
        "lemma": [t["lemma"] if t["lemma"] != "_" or t["form"] == "_" else ""
                  for t in parsed] == layers.values("lemma").tolist(),
        "deprel": [t["deprel"] for t in parsed] == layers.values("deprel").tolist(),
        "head": [t["head"] for t in parsed] == layers.head.tolist(),
    }
    print(f"  the conllu package alone parses the file in {parse_seconds:.2f} s; "
          "equal to its parse: " + ", ".join(f"{k} {'yes' if v else 'NO'}"
                                             for k, v in checks.items()))
    # A CQL query against the same count made from the package's parse: an adjective
    # followed by a noun in one sentence (two tags, so no two matches overlap).
    from analysis.cql import match_rows

    started = time.perf_counter()
    first, _ = match_rows(processed, '[upos="ADJ"] [upos="NOUN"]')
    query_seconds = time.perf_counter() - started
    expected = 0
    for sentence in conllu.parse(text):
        words = [t for t in sentence if isinstance(t["id"], int)]
        expected += sum(a["upos"] == "ADJ" and b["upos"] == "NOUN"
                        for a, b in zip(words, words[1:], strict=False))
    print(f"  CQL [upos=\"ADJ\"] [upos=\"NOUN\"]: {len(first):,} matches in "
          f"{query_seconds:.3f} s; counted from the package's parse: {expected:,}")


    speed(args.file, text, args.runs)


def speed(path: Path, text: str, runs: int) -> None:
    """Words per second of the reader's parser, the whole reader and the package."""
    import os
    import statistics

    import conllu

    from analysis.readers.conllu import load_conllu

    readers = {
        "our reader (load_conllu)": lambda: sum(d.tokens.n for d in load_conllu(path)),
        "conllu.parse (the package)": lambda: sum(
            1 for s in conllu.parse(text) for t in s if isinstance(t["id"], int)),
    }
    wall: dict = {name: [] for name in readers}
    cpu: dict = {name: [] for name in readers}
    words = {}
    for _ in range(runs):
        for name, read in readers.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            words[name] = read()
            wall[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
    assert len(set(words.values())) == 1, words
    n = next(iter(words.values()))
    peer = "conllu.parse (the package)"
    print(f"reading speed, {n:,} words, median of {runs} runs (load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}):")
    peer_wall, peer_cpu = statistics.median(wall[peer]), statistics.median(cpu[peer])
    for name in readers:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"  {name:<27} {n / w:>11,.0f} words/s wall ({peer_wall / w:5.1f}x the package),"
              f" {n / c:>11,.0f} words/s CPU ({peer_cpu / c:5.1f}x)")


if __name__ == "__main__":
    main()
