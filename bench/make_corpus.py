"""Write a large test corpus from the seeds, deterministically.

Usage::

    python bench/make_corpus.py OUT_DIR [--words 1000000] [--files 500] [--seed 2020]

Each file is a new text: paragraphs of sentences drawn (with a seeded random generator) from
the seed sentences, with about one word in ten replaced by a word drawn from the seeds'
vocabulary and from ``wordfreq``'s common English words, so every file differs, the
vocabulary grows with the corpus as in real collections, and sentence and paragraph
structure stay those of press prose. The same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from analysis.corpus import load_corpus  # noqa: E402
from analysis.text.process import process  # noqa: E402


def make_corpus(out: Path, words: int = 1_000_000, files: int = 500, seed: int = 2020) -> int:
    """Write ``files`` text files of about ``words / files`` words each; return words written."""
    from wordfreq import top_n_list

    processed = process(load_corpus())
    sentences = [s for s in processed.sentences["text"] if len(s.split()) >= 6]
    seed_vocab = sorted(set(processed.tokens.loc[processed.tokens["is_word"], "term"]))
    common = top_n_list("en", 20000)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    per_file = words // files
    total = 0
    for index in range(files):
        paragraphs, count = [], 0
        while count < per_file:
            paragraph = []
            for _ in range(rng.randint(2, 6)):
                tokens = rng.choice(sentences).split()
                for i in range(len(tokens)):
                    if rng.random() < 0.1 and tokens[i].isalpha():
                        pool = seed_vocab if rng.random() < 0.5 else common
                        tokens[i] = rng.choice(pool)
                paragraph.append(" ".join(tokens))
                count += len(tokens)
            paragraphs.append(" ".join(paragraph))
        title = f"Generated press text {index + 1:03d}"
        (out / f"doc{index + 1:03d}.txt").write_text(
            title + "\n\n" + "\n".join(paragraphs) + "\n", encoding="utf-8"
        )
        total += count
    return total


def ensure_corpus(out: Path, words: int = 1_000_000, files: int = 500) -> Path:
    """``out``, first written with :func:`make_corpus` if it holds no ``.txt`` file."""
    if not any(out.glob("*.txt")):
        print(f"generating {out} ({words:,} words, {files} files)...", flush=True)
        make_corpus(out, words, files)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    total = make_corpus(args.out, args.words, args.files, args.seed)
    print(f"wrote {args.files} files, {total:,} whitespace words, to {args.out}")


if __name__ == "__main__":
    main()
