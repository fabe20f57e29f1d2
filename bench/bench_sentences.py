"""Sentence boundaries: accuracy against gold segmentations, and speed, beside peer splitters.

Usage::

    python bench/bench_sentences.py [--runs 3] [--errors gum-train]

Gold (``bench/gold/``, written by ``extract_gold.py``; see README.md):

- pySBD's English Golden Rules (48 short texts with their expected sentences): a rule passes
  when the stripped sentences equal the expected ones exactly. The project's splitter gets
  each non-blank line as a paragraph, as the project's pipeline does; peers get the text.
- Universal Dependencies English GUM (edited prose genres) and EWT (web text): the splitter
  was tuned on ``gum-train`` and ``ewt-dev``; ``gum-dev`` and ``gum-test`` (together
  ``gum-held-out``) and ``ewt-test`` are held out. Each paragraph is its gold sentences joined
  by one space; a boundary is the offset where a sentence other than the paragraph's first
  starts. Precision, recall and F1 count boundaries over all paragraphs of a part (micro
  average). Boundaries that no splitter here can find (GUM splits some sentences at colons
  and semicolons, and headings and bylines without a mark) count against all alike.

Speed: words (white-space separated) per second over the paragraphs (non-blank lines) of real
political speech, ``bench/corpus-conventions.csv`` and ``bench/corpus-debates.csv`` (see
real_corpus.py), best of ``--runs`` runs (one run for splitters under 100k words/s), single
process.

Peers, each untrained and as shipped: syntok 1.4.4 (``segmenter.analyze``), blingfire 0.1.8
(``text_to_sentences_and_offsets``), pySBD 0.3.4 (``Segmenter(language="en", clean=False,
char_span=True)``) and NLTK's Punkt (``PunktSentenceTokenizer``, untrained, with the project's
abbreviation list and without).

``--errors PART`` prints the project's false and missed boundaries on that part, with
context, for tuning (use ``gum-train`` or ``ewt-dev`` only, so that the held-out parts stay
held out). Without the gold (``bench/gold/``), only speed is measured.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import pandas as pd

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import real_corpus  # noqa: E402

from analysis.text import segment  # noqa: E402

GOLD = BENCH / "gold"
PARTS = ["gum-train", "gum-dev", "gum-test", "ewt-dev", "ewt-test"]
_LINE = re.compile(r"\S(?:[^\n]*\S)?")


# --------------------------------------------------------------------------- splitters
# Each takes one paragraph and returns the start offsets of its sentences.


def project(paragraph):
    return [start for start, _ in segment.sentence_spans(paragraph)]


def make_punkt(abbreviations: bool):
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tokenizer = segment.punkt() if abbreviations else PunktSentenceTokenizer()
    return lambda paragraph: [start for start, _ in tokenizer.span_tokenize(paragraph)]


def syntok_split(paragraph):
    from syntok import segmenter

    return [sentence[0].offset for part in segmenter.analyze(paragraph) for sentence in part]


def blingfire_split(paragraph):
    import blingfire

    return [start for start, _ in blingfire.text_to_sentences_and_offsets(paragraph)[1]]


def make_pysbd():
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda paragraph: [span.start for span in segmenter.segment(paragraph)]


def splitters():
    return {"project": project, "syntok": syntok_split, "blingfire": blingfire_split,
            "pysbd": make_pysbd(), "punkt+abbrev": make_punkt(True),
            "punkt": make_punkt(False)}


def sentences_of(split, paragraph):
    """Stripped sentences from start offsets (a sentence runs to the next one's start)."""
    starts = sorted(set(split(paragraph)) | {0})
    ends = starts[1:] + [len(paragraph)]
    return [s for s in (paragraph[a:b].strip() for a, b in zip(starts, ends, strict=True)) if s]


def boundaries(split, paragraph):
    """Offsets of the paragraph's inner boundaries (past white space), as a set."""
    found = set()
    for start in split(paragraph):
        while start < len(paragraph) and paragraph[start].isspace():
            start += 1
        if 0 < start < len(paragraph):
            found.add(start)
    return found


# --------------------------------------------------------------------------- gold


def read_part(part):
    rows = [json.loads(line) for line in (GOLD / f"{part}.jsonl").open(encoding="utf-8")]
    gold = []
    for row in rows:
        paragraph, cuts = "", set()
        for sentence in row["sentences"]:
            if paragraph:
                paragraph += " "
                cuts.add(len(paragraph))
            paragraph += sentence
        gold.append((paragraph, cuts))
    return gold


def score(split, gold):
    tp = fp = fn = 0
    for paragraph, cuts in gold:
        found = boundaries(split, paragraph)
        tp += len(found & cuts)
        fp += len(found - cuts)
        fn += len(cuts - found)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def golden_rules(name, split, rules):
    passed = 0
    for rule in rules:
        if name == "project":  # the pipeline splits paragraphs (lines) first
            got = [s for line in _LINE.findall(rule["text"]) for s in sentences_of(split, line)]
        else:
            got = sentences_of(split, rule["text"])
        passed += got == rule["sentences"]
    return passed


def print_errors(part):
    for paragraph, cuts in read_part(part):
        found = boundaries(project, paragraph)
        for offset, kind in sorted([(o, "FALSE") for o in found - cuts]
                                   + [(o, "MISSED") for o in cuts - found]):
            print(f"{kind:6} ...{paragraph[max(0, offset - 60):offset]!s}|"
                  f"{paragraph[offset:offset + 40]}...")


# --------------------------------------------------------------------------- speed


def speech_paragraphs():
    paths = real_corpus.tables()
    texts = list(pd.read_csv(paths["conventions"])["text"].dropna())
    texts += list(pd.read_csv(paths["debates"])["statement"].dropna())
    return [p for t in texts for p in _LINE.findall(t)]


def words_per_second(split, paragraphs, words, runs):
    best = float("inf")
    for run in range(runs):
        began = time.perf_counter()
        for paragraph in paragraphs:
            split(paragraph)
        best = min(best, time.perf_counter() - began)
        if run == 0 and words / best < 100_000:
            break
    return words / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--errors", choices=PARTS, default=None)
    args = parser.parse_args()
    if args.errors:
        print_errors(args.errors)
        return
    parts = {part: read_part(part) for part in PARTS if (GOLD / f"{part}.jsonl").exists()}
    rules_path = GOLD / "golden-rules-en.json"
    rules = json.loads(rules_path.read_text(encoding="utf-8")) if rules_path.exists() else []
    if not parts or not rules:
        print("bench/gold/ is incomplete: accuracy is not measured; extract the gold with "
              "bench/extract_gold.py (see bench/README.md)\n")
    if "gum-dev" in parts and "gum-test" in parts:
        parts["gum-held-out"] = parts["gum-dev"] + parts["gum-test"]
    speech = speech_paragraphs()
    words = sum(len(p.split()) for p in speech)
    print(real_corpus.machine_line(real_corpus.tables()["conventions"]))
    print(f"speed: {len(speech):,} paragraphs, {words:,} words of convention and debate speech, "
          f"best of {args.runs}; boundaries inside paragraphs; tuned on gum-train and ewt-dev, "
          "held out: gum-dev + gum-test (gum-held-out), ewt-test\n")
    rows = []
    for name, split in splitters().items():
        row = {"splitter": name}
        for part, gold in parts.items():
            row[f"{part} P"], row[f"{part} R"], row[f"{part} F1"] = score(split, gold)
        if rules:
            row["golden rules"] = f"{golden_rules(name, split, rules)}/{len(rules)}"
        row["words/s"] = words_per_second(split, speech, words, args.runs)
        rows.append(row)
    table = pd.DataFrame(rows)
    main_columns = ["splitter", "gum-held-out P", "gum-held-out R", "gum-held-out F1",
                    "gum-train F1", "ewt-test F1", "golden rules", "words/s"]
    detail = ["splitter"] + [f"{part} {m}" for part in PARTS for m in ("P", "R", "F1")]
    with pd.option_context("display.width", 250, "display.max_columns", 40):
        for columns in (main_columns, detail):
            print(table[[c for c in columns if c in table.columns]].to_string(
                index=False, float_format="{:.3f}".format,
                formatters={"words/s": "{:,.0f}".format}))
            print()


if __name__ == "__main__":
    main()
