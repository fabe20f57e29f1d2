"""Tokens and sentences in Chinese, Urdu and Hindi: accuracy against Universal Dependencies
dev sets, and speed, beside peers measured in the same run.

Usage::

    python bench/bench_languages.py UD_FOLDER [--runs 3]

``UD_FOLDER`` holds the dev sets as their treebanks name them (not committed; the licences
are the treebanks' own: CC BY-SA 4.0 for GSDSimp, CC BY-NC-SA 4.0 for UDTB and HDTB):
``zh_gsdsimp-ud-dev.conllu`` (Chinese GSDSimp), ``ur_udtb-ud-dev.conllu`` (Urdu UDTB),
``hi_hdtb-ud-dev.conllu`` (Hindi HDTB). A missing file is skipped with a line saying so.
Only dev sets are read; the test sets are left alone.

The Urdu treebank joins some multiword units with ``_`` (``بات_چیت``), which running text
writes with a space; the token lines are given with and without those words. Each treebank
becomes one text: its sentences' ``# text`` joined by one space (Chinese: by
nothing, as it is written). Gold tokens are the treebank's words found in order in that
text, as character spans; punctuation (UPOS ``PUNCT``) is left out on both sides, since the
workbench's tokens are words. Token precision, recall and F1 count exact spans; sentence
boundary F1 counts the offsets where a sentence other than the first starts.

Systems: the workbench (:func:`analysis.lang.text.language_token_spans` and
:func:`analysis.lang.text.language_sentence_spans` with the language's record; Chinese
segmented by jieba-rs, package ``rjieba``), the workbench before languages (the English
rules: the token scanner without marks is not available any more, so its sentences only),
jieba's own ``tokenize`` (Chinese, Python, the segmenter the workbench used before),
rjieba's ``tokenize`` (Chinese, the same in Rust, alone), and a
regular-expression tokenizer, ``re.findall(r"\\w+")`` (what a script that splits on
non-word characters gets; Python's ``\\w`` leaves combining marks out). Speed: word tokens
per second of the workbench over the text repeated to at least a million characters, the
median of ``--runs``, one process; for Chinese the segmenters alone too (jieba's ``cut`` and
rjieba's ``cut`` on the same text, the median of ``--runs`` each).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.lang import language  # noqa: E402
from analysis.lang.text import language_sentence_spans, language_token_spans  # noqa: E402
from analysis.text.segment import sentence_spans  # noqa: E402

TREEBANKS = (("zh", "zh_gsdsimp-ud-dev.conllu", "Chinese GSDSimp"),
             ("ur", "ur_udtb-ud-dev.conllu", "Urdu UDTB"),
             ("hi", "hi_hdtb-ud-dev.conllu", "Hindi HDTB"))


def read_conllu(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """Sentences as (text, [(form, upos)]) of the surface tokens (a multiword token's
    range line, not its words)."""
    sentences, text, tokens, skip_to = [], None, [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# text = "):
            text = line[len("# text = "):]
        elif not line.strip():
            if text is not None:
                sentences.append((text, tokens))
            text, tokens, skip_to = None, [], 0
        elif not line.startswith("#"):
            cols = line.split("\t")
            if "." in cols[0]:
                continue
            if "-" in cols[0]:
                first, last = cols[0].split("-")
                tokens.append((cols[1], "X"))
                skip_to = int(last)
                continue
            if int(cols[0]) <= skip_to:
                continue
            tokens.append((cols[1], cols[3]))
    if text is not None:
        sentences.append((text, tokens))
    return sentences


def gold(sentences, joiner: str):
    """The joined text, the gold word spans and the gold sentence starts."""
    text, spans, starts = "", set(), []
    for k, (sentence, tokens) in enumerate(sentences):
        if k:
            text += joiner
            starts.append(len(text))
        at = 0
        for form, upos in tokens:
            found = sentence.find(form, at)
            if found < 0:  # a form not as written in the text: skipped
                continue
            at = found + len(form)
            if upos != "PUNCT":
                spans.add((len(text) + found, len(text) + at))
        text += sentence
    return text, spans, set(starts)


def is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def f1(found: set, expected: set) -> tuple[float, float, float]:
    hit = len(found & expected)
    p = hit / len(found) if found else 0.0
    r = hit / len(expected) if expected else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def workbench_tokens(text: str, code: str) -> set:
    starts, ends, surfaces, _ = language_token_spans(text, language(code))
    return {(s, e) for s, e, t in zip(starts.tolist(), ends.tolist(), surfaces, strict=True)
            if is_word(t)}


def regex_tokens(text: str) -> set:
    return {m.span() for m in re.finditer(r"\w+", text) if is_word(m.group())}


def jieba_tokens(text: str) -> set:
    from analysis.lang.text import _jieba

    return {(s, e) for word, s, e in _jieba().tokenize(text) if is_word(word)}


def rjieba_tokens(text: str) -> set:
    import rjieba

    return {(s, e) for word, s, e in rjieba.tokenize(text, hmm=True) if is_word(word)}


def starts_of(spans: list[tuple[int, int]]) -> set:
    return {start for start, _ in spans[1:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder of the UD dev .conllu files")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for code, name, title in TREEBANKS:
        path = args.folder / name
        if not path.is_file():
            print(f"{title}: {path} not found, skipped")
            continue
        sentences = read_conllu(path)
        if not sentences:
            print(f"{title}: {path} has no sentences, skipped")
            continue
        text, gold_tokens, gold_starts = gold(sentences, "" if code == "zh" else " ")
        print(f"\n{title} dev: {len(sentences):,} sentences, {len(gold_tokens):,} gold words, "
              f"{len(text):,} characters")
        systems = {"workbench": workbench_tokens(text, code), "regex \\w+": regex_tokens(text)}
        if code == "zh":
            systems["jieba"] = jieba_tokens(text)
            systems["rjieba"] = rjieba_tokens(text)
        joined = {(a, b) for a, b in gold_tokens if "_" in text[a:b]}
        inside = {k for a, b in joined for k in range(a, b)}
        for system, found in systems.items():
            p, r, f = f1(found, gold_tokens)
            print(f"  tokens     {system:<28} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
            if joined:  # UDTB writes some multiword units joined by "_", which no text has
                kept = {(a, b) for a, b in found if a not in inside}
                p, r, f = f1(kept, gold_tokens - joined)
                print(f"  tokens     {system + ' (no _ words)':<28} P {p:.3f}  R {r:.3f}  "
                      f"F1 {f:.3f}")
        lang = language(code)
        for system, spans in (("workbench", language_sentence_spans(text, lang)),
                              ("English rules (before)", sentence_spans(text))):
            p, r, f = f1(starts_of(spans), gold_starts)
            print(f"  sentences  {system:<28} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
        big = text
        while len(big) < 1_000_000:
            big += (" " if code != "zh" else "") + text
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            starts, _, surfaces, _ = language_token_spans(big, lang)
            times.append(time.perf_counter() - began)
        mid = statistics.median(times)
        print(f"  speed      workbench tokens: {len(surfaces) / mid:,.0f} tokens/s "
              f"({len(surfaces):,} tokens in {mid:.2f} s, median of {args.runs})")
        if code == "zh":
            import rjieba

            for system, cut in (("jieba.cut (Python)", lambda t: list(_jieba_cut(t))),
                                ("rjieba.cut (Rust)", lambda t: rjieba.cut(t, hmm=True))):
                times = []
                for _ in range(args.runs):
                    began = time.perf_counter()
                    count = len(cut(big))
                    times.append(time.perf_counter() - began)
                print(f"  speed      {system} alone: {count / statistics.median(times):,.0f} "
                      "tokens/s")


def _jieba_cut(text: str):
    from analysis.lang.text import _jieba

    return _jieba().cut(text)


if __name__ == "__main__":
    main()
