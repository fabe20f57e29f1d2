"""Tokens and sentences in Chinese, Urdu, Hindi, Arabic and German: accuracy against
Universal Dependencies dev sets, and speed, beside peers measured in the same run.

Usage::

    python bench/bench_languages.py UD_FOLDER [--runs 3]

``UD_FOLDER`` holds the dev sets as their treebanks name them (not committed; the licences
are the treebanks' own: CC BY-SA 4.0 for GSDSimp and German GSD, CC BY-NC-SA 4.0 for UDTB and
HDTB, CC BY-NC-SA 3.0 for PADT): ``zh_gsdsimp-ud-dev.conllu``
(Chinese GSDSimp), ``ur_udtb-ud-dev.conllu`` (Urdu UDTB), ``hi_hdtb-ud-dev.conllu`` (Hindi
HDTB), ``ar_padt-ud-dev.conllu`` (Arabic PADT), ``de_gsd-ud-dev.conllu`` (German GSD). A
missing file is skipped with a line saying so; ``--only zh de`` runs some languages.
Only dev sets are read; the test sets are left alone.

The Urdu treebank joins some multiword units with ``_`` (``بات_چیت``), which running text
writes with a space (the "conventions aside" lines leave them out). Each treebank
becomes one text: its sentences' ``# text`` joined by one space (Chinese: by
nothing, as it is written). Gold tokens are the treebank's words found in order in that
text, as character spans; punctuation (UPOS ``PUNCT``) is left out on both sides, since the
workbench's tokens are words. Token precision, recall and F1 count exact spans; sentence
boundary F1 counts the offsets where a sentence other than the first starts.

Systems: the workbench (:func:`analysis.lang.text.language_token_spans` and
:func:`analysis.lang.text.language_sentence_spans` with the language's record; Chinese
segmented by jieba-rs, package ``rjieba``), the workbench before languages (the English
rules: the token scanner without marks is not available any more, so its sentences only),
spaCy's blank pipeline of the language (``spacy.blank(code)``: its rule-based tokenizer, no
trained model; Chinese with its jieba segmenter; sentences by its rule-based
``sentencizer``), jieba's own ``tokenize`` (Chinese, Python, the segmenter the workbench used
before), rjieba's ``tokenize`` (Chinese, the same in Rust, alone), syntok 1.4.4 (German,
tokens and sentences; the ``bench`` extra), and a regular-expression tokenizer,
``re.findall(r"\\w+")`` (what a script that splits on non-word characters gets; Python's
``\\w`` leaves combining marks out). No training set is read.

Treebank conventions are shown apart from errors: a second line per system, "conventions
aside", leaves out UDTB's ``_``-joined units and every hyphenated word (German GSD cuts
``US-Präsident`` into ``US``, ``-``, ``Präsident``; the workbench, spaCy and German
orthography keep one word) and trims a final full stop on both sides (UD keeps the stop of an
abbreviation or an ordinal, ``Dr.``, ``13.``, in its token; the workbench's words never have
one, in any language).

Speed: word tokens per second of the workbench over the text repeated to at least a million
characters, the median of ``--runs``, one process; the peers alone in the same run (the regex
and, for Chinese, jieba's and rjieba's ``cut`` over the same text; spaCy's tokenizer over the
dev text once), with the ratio workbench / peer; each also per second of the process's CPU
time (``time.process_time``, all its threads), which a loaded machine's other work does not
stretch as it does the wall clock. The load average is printed at the start,
after each language's workbench speed, and at the end.
"""

from __future__ import annotations

import argparse
import functools
import os
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
             ("hi", "hi_hdtb-ud-dev.conllu", "Hindi HDTB"),
             ("ar", "ar_padt-ud-dev.conllu", "Arabic PADT"),
             ("de", "de_gsd-ud-dev.conllu", "German GSD"))


#: A hyphenated word (``US-Präsident``, ``Baden-Württemberg``): letters or digits on both
#: sides of each hyphen.
HYPHENED = re.compile(r"\w+(?:-\w+)+")


def trimmed(spans: set, text: str, aside: set) -> set:
    """Spans less those starting at an offset in ``aside``, each without a final stop."""
    return {(a, b - 1 if b - a > 1 and text[b - 1] == "." else b) for a, b in spans
            if a not in aside}


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


@functools.lru_cache(maxsize=8)
def spacy_blank(code: str, sentencizer: bool = False):
    """spaCy's blank pipeline of a language (its rule-based tokenizer, no trained model;
    Chinese with its jieba segmenter), with the rule-based ``sentencizer`` if asked."""
    import spacy

    config = {"nlp": {"tokenizer": {"segmenter": "jieba"}}} if code == "zh" else {}
    nlp = spacy.blank(code, config=config)
    if sentencizer:
        nlp.add_pipe("sentencizer")
    nlp.max_length = 10**8
    return nlp


def spacy_tokens(text: str, code: str) -> set:
    return {(t.idx, t.idx + len(t.text)) for t in spacy_blank(code)(text) if is_word(t.text)}


def spacy_sentences(text: str, code: str) -> list[tuple[int, int]]:
    doc = spacy_blank(code, True)(text)
    return [(s.start_char, s.end_char) for s in doc.sents]


def syntok_tokens(text: str) -> set:
    from syntok.tokenizer import Tokenizer

    return {(t.offset, t.offset + len(t.value)) for t in Tokenizer().tokenize(text)
            if is_word(t.value)}


def syntok_sentences(text: str) -> list[tuple[int, int]]:
    from syntok import segmenter

    return [(sentence[0].offset, sentence[-1].offset + len(sentence[-1].value))
            for paragraph in segmenter.analyze(text) for sentence in paragraph]


def starts_of(spans: list[tuple[int, int]]) -> set:
    return {start for start, _ in spans[1:]}


def median_rate(count_of, text: str, runs: int) -> tuple[float, int, float]:
    """Tokens per second of ``count_of(text)``, wall-clock and of the process's CPU time
    (the medians of ``runs``; on a loaded machine the CPU figure is what the code costs),
    and the count."""
    walls, cpus, count = [], [], 0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        count = count_of(text)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return count / statistics.median(walls), count, count / statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder of the UD dev .conllu files")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=None, help="language codes to run")
    args = parser.parse_args()
    print(f"load average at the start: {os.getloadavg()[0]:.2f} (1 min), "
          f"{os.cpu_count()} cores")
    for code, name, title in TREEBANKS:
        if args.only and code not in args.only:
            continue
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
        systems = {"workbench": workbench_tokens(text, code), "regex \\w+": regex_tokens(text),
                   "spaCy blank": spacy_tokens(text, code)}
        if code == "zh":
            systems["jieba"] = jieba_tokens(text)
            systems["rjieba"] = rjieba_tokens(text)
        if code == "de":
            systems["syntok"] = syntok_tokens(text)
        # Conventions of the treebanks, not errors of either side: UDTB writes some
        # multiword units joined by "_", which no running text has; GSD cuts a hyphenated
        # compound into its parts and hyphens (US-Präsident: US - Präsident); UD keeps the
        # stop of an abbreviation or an ordinal in its token (Dr., 13.), the workbench's
        # words never do. "conventions aside": those words left out and stops trimmed, on
        # both sides.
        aside = {k for a, b in gold_tokens if "_" in text[a:b] for k in range(a, b)}
        aside |= {k for m in HYPHENED.finditer(text) for k in range(*m.span())}
        plain_gold = trimmed(gold_tokens, text, aside)
        for system, found in systems.items():
            p, r, f = f1(found, gold_tokens)
            print(f"  tokens     {system:<28} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
            plain = trimmed(found, text, aside)
            if plain != found or plain_gold != gold_tokens:
                p, r, f = f1(plain, plain_gold)
                print(f"  tokens     {system + ', conventions aside':<28} P {p:.3f}  "
                      f"R {r:.3f}  F1 {f:.3f}")
        lang = language(code)
        splits = {"workbench": language_sentence_spans(text, lang),
                  "English rules (before)": sentence_spans(text),
                  "spaCy sentencizer": spacy_sentences(text, code)}
        if code == "de":
            splits["syntok"] = syntok_sentences(text)
        for system, spans in splits.items():
            p, r, f = f1(starts_of(spans), gold_starts)
            print(f"  sentences  {system:<28} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
        big = text
        while len(big) < 1_000_000:
            big += (" " if code != "zh" else "") + text
        rate, count, cpu = median_rate(lambda t, lang=lang: len(language_token_spans(t, lang)[2]),
                                       big, args.runs)
        print(f"  speed      workbench tokens: {rate:,.0f} tokens/s, {cpu:,.0f} per CPU "
              f"second ({count:,} tokens, {len(big):,} characters, median of {args.runs}; "
              f"load {os.getloadavg()[0]:.2f})")
        peers = {"regex \\w+ (re.findall)": lambda t: len(re.findall(r"\w+", t)),
                 "spaCy blank tokenizer": lambda t, code=code: len(spacy_blank(code).make_doc(t))}
        if code == "zh":
            import rjieba

            peers["jieba.cut (Python)"] = lambda t: len(list(_jieba_cut(t)))
            peers["rjieba.cut (Rust)"] = lambda t: len(rjieba.cut(t, hmm=True))
        for system, count_of in peers.items():
            # spaCy's tokenizer over the dev text once (its Chinese, with jieba in Python,
            # takes minutes over the million characters): a rate all the same
            peer, count, peer_cpu = median_rate(count_of, text if "spaCy" in system else big,
                                                args.runs)
            print(f"  speed      {system} alone: {peer:,.0f} tokens/s, {peer_cpu:,.0f} per CPU "
                  f"second ({count:,} tokens; workbench / peer {rate / peer:.2f}, in CPU time "
                  f"{cpu / peer_cpu:.2f})")
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f} (1 min)")


def _jieba_cut(text: str):
    from analysis.lang.text import _jieba

    return _jieba().cut(text)


if __name__ == "__main__":
    main()
