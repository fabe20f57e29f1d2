"""Annotation throughput with a small spaCy pipeline (``--annotate``), beside spaCy alone.

Usage::

    python bench/bench_annotate.py [--corpus bench/corpus-conventions-1m] [--runs 3]
                                   [--docs N] [--pipeline DIR]

The pipeline is a small one trained here in a few seconds (a blank English pipeline with a
tagger and a parser, each with spaCy's default CNN token-to-vector layer, seeded, a few
epochs on four sentences), so that nothing is downloaded; ``--pipeline`` measures an
installed one instead (a name or a folder). Its speed, not its accuracy, is measured: a
tagger and a parser cost the same per token whatever they learnt.

In the same run, medians of ``--runs`` (the runs of the four interleaved):

``project, 2 workers`` / ``project, 1 worker``
    ``analysis.text.process.compute(corpus.with_annotation("spacy:DIR"))`` with
    ``ANALYSIS_WORKERS`` 2 and 1: cleaning, paragraphs, the pipeline over every paragraph,
    the layers read with ``Doc.to_array`` and the processed tables (the caches bypassed;
    each worker loads the pipeline, which is counted).
``spaCy alone, n_process=2``
    ``nlp.pipe(paragraphs, batch_size=256, n_process=2)`` over the same paragraphs (the
    non-blank lines of the raw texts), each ``Doc`` only counted: the ceiling, what spaCy
    itself does with both cores.
``project's tokenizer``
    ``compute(corpus)`` without annotation, for scale.

Throughput is in words per second, the words being the project's count of word tokens of
the annotated corpus (tokens with a letter or a digit), the same numerator for all.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from analysis.corpus import Corpus, load_corpus  # noqa: E402
from analysis.text import annotate  # noqa: E402
from analysis.text.process import compute  # noqa: E402
from analysis.text.segment import PARAGRAPH  # noqa: E402

# Four sentences, a tag and a head (1-based, 0 the root) and a relation per token.
TRAINING = [
    ("Pakistan builds a new road to China.",
     "NNP VBZ DT JJ NN IN NNP .", [2, 0, 5, 5, 2, 7, 5, 2],
     "nsubj ROOT det amod obj case nmod punct"),
    ("Song Tao praised the road.", "NNP NNP VBD DT NN .", [3, 1, 0, 5, 3, 3],
     "nsubj flat ROOT det obj punct"),
    ("Good roads matter.", "JJ NNS VBP .", [2, 3, 0, 3], "amod nsubj ROOT punct"),
    ("The Nation reported the talks.", "DT NNP VBD DT NNS .", [2, 3, 0, 5, 3, 3],
     "det nsubj ROOT det obj punct"),
]


def train(folder: Path) -> Path:
    """A blank English pipeline with a tagger and a parser, trained on TRAINING, saved."""
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("tagger")
    nlp.add_pipe("parser", config={"min_action_freq": 1})
    examples = []
    for text, tags, heads, deps in TRAINING:
        doc = nlp.make_doc(text)
        examples.append(Example.from_dict(doc, {
            "tags": tags.split(), "deps": deps.split(),
            "heads": [h - 1 if h else i for i, h in enumerate(heads)]}))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(20):
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(folder)
    return folder


def wall_time(call) -> float:
    gc.collect()
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT / "bench" /
                        "corpus-conventions-1m")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--docs", type=int, default=None,
                        help="only the first N documents (default: all)")
    parser.add_argument("--pipeline", default=None,
                        help="an installed pipeline's name or folder (default: train one)")
    args = parser.parse_args()
    corpus = load_corpus(args.corpus)
    if args.docs:
        corpus = Corpus(corpus.documents[:args.docs], corpus.root)
    with tempfile.TemporaryDirectory() as folder:
        model = args.pipeline or str(train(Path(folder) / "toy"))
        spec = f"spacy:{model}"
        nlp = annotate.pipeline(spec)
        annotated = corpus.with_annotation(spec)
        paragraphs = [m.group() for doc in corpus for m in PARAGRAPH.finditer(doc.raw)]
        words = int(compute(annotated).columns.sent_words.sum())  # also a warm-up
        print(f"{os.uname().nodename}, {os.cpu_count()} cores; corpus {args.corpus} "
              f"({len(corpus)} documents, {len(paragraphs):,} paragraphs, {words:,} words); "
              f"pipeline {', '.join(nlp.pipe_names)} ({'given' if args.pipeline else 'toy'}); "
              f"spaCy {annotate._spacy_version()}", flush=True)

        def project(n: int):
            os.environ["ANALYSIS_WORKERS"] = str(n)
            try:
                return compute(annotated)
            finally:
                del os.environ["ANALYSIS_WORKERS"]

        def spacy_alone():
            return sum(1 for _ in nlp.pipe(paragraphs, batch_size=256, n_process=2))

        calls = {"project, 2 workers": lambda: project(2),
                 "project, 1 worker": lambda: project(1),
                 "spaCy alone, n_process=2": spacy_alone,
                 "project's tokenizer": lambda: compute(corpus)}
        times: dict[str, list[float]] = {name: [] for name in calls}
        loads = []
        for _ in range(args.runs):
            for name, call in calls.items():
                times[name].append(wall_time(call))
                loads.append(os.getloadavg()[0])
        for name, measured in times.items():
            seconds = statistics.median(measured)
            print(f"  {name:<26} {seconds:8.2f} s  {words / seconds:>10,.0f} words/s  "
                  f"(runs: {', '.join(f'{t:.2f}' for t in measured)})")
        print(f"  load average (1 min) during the runs: {min(loads):.2f} to {max(loads):.2f}")


if __name__ == "__main__":
    main()
