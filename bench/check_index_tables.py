"""The counting commands' tables before and after a change: byte for byte the same, or the
differences named.

Usage::

    python bench/check_index_tables.py --before REV [--corpora seeds conventions-1m ...]

The project at git revision ``REV`` (``git archive``, as ``bench_scale.py --before``) and the
current code each run every command below (``python -m analysis ... --format csv``) on every
corpus, each with a cache folder of its own (the first command processes the corpus and,
after the change, indexes it; the others read the cache), and write each command's output to
a file; the files are then compared byte for byte by ``check_dfm_tables.py``'s comparison,
which also names every command that failed in both. Corpora: the seeds, the 2012 convention
speeches repeated to 1M words (``bench/corpus-conventions-1m``), the 2016 debates
(``bench/corpus-debates.csv``) and the 2020 Guardian headlines (``bench/corpus-headlines.csv``,
dated: the trends), written by ``real_corpus.py``.

Commands: ``corpus``; ``freq`` (the corpus, ``--by`` each grouping, ``--stopwords``,
``--stem``, ``--where``, ``--min-range``, ``--ngram 2``); ``keyness --target`` (a group
against the rest, and with ``--by``); ``kwic`` (a word, a phrase, a multiword expression, a
glob, a regular expression, ``--sort left``, ``--where``); ``collocates``; ``trends`` (where
the corpus is dated). Nothing here passes or fails a build; it prints one line per
difference and a summary.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_dfm_tables import main  # noqa: E402
from real_corpus import BENCH, PROJECT  # noqa: E402

SEEDS_WORDS = ["cpec", "road", "belt and road", "road*", "/part(y|ies)/", "shared future"]
CORPORA = {
    "seeds": (PROJECT / "seeds", [], "voice", "doc=award-report", "date>=2020-09", SEEDS_WORDS,
              "month"),
    "conventions-1m": (BENCH / "corpus-conventions-1m", [], "party", "party=democrat",
                       "party=republican", ["america", "middle class", "job*",
                                            "/famil(y|ies)/", "health care", "the"], None),
    "debates": (BENCH / "corpus-debates.csv", ["--text-column", "statement"], "party",
                "party=Democratic", "debate=VP", ["tax*", "america", "middle class", "/jobs?/"],
                None),
    "headlines": (BENCH / "corpus-headlines.csv", [], "date", "date>=2020-05",
                  "date>=2020-03", ["covid*", "coronavirus", "boris johnson", "/lockdowns?/"],
                  "month"),
}


def commands(name: str) -> dict[str, list[str]]:
    """Each command's name and arguments for one corpus."""
    _, _, by, target, where, words, interval = CORPORA[name]
    out = {"corpus": ["corpus"], "freq": ["freq"], "freq-by": ["freq", "--by", by],
           "freq-by-doc": ["freq", "--by", "doc", "--top", "5"],
           "freq-stopwords": ["freq", "--stopwords", "--by", by],
           "freq-stem": ["freq", "--stem"], "freq-where": ["freq", "--where", where, "--by", by],
           "freq-min-range": ["freq", "--min-range", "3"],
           "freq-ngram": ["freq", "--ngram", "2", "--top", "200"],
           "keyness-target": ["keyness", "--target", target],
           "keyness-by": ["keyness", "--by", by, "--top", "20"],
           "keyness-target-where": ["keyness", "--target", target, "--where", where]
           if not where.startswith(target.split("=")[0] + "=") else ["keyness", "--target",
                                                                      target, "--stopwords"]}
    if name == "seeds":
        out["freq-by-section"] = ["freq", "--by", "section"]
    for k, word in enumerate(words):
        out[f"kwic-{k}"] = ["kwic", word]
        out[f"collocates-{k}"] = ["collocates", word]
    out["kwic-sort"] = ["kwic", words[0], "--sort", "left"]
    out["kwic-where"] = ["kwic", words[1], "--where", where]
    if interval:
        out["trends"] = ["trends", *words[:3], "--interval", interval]
        out["trends-by"] = ["trends", words[0], "--interval", interval, "--by",
                            "voice" if name == "seeds" else "doc"]
    return out


def dump(out: Path, names: list[str], root: Path) -> None:
    """Every command's output for every corpus into ``out`` (``rc STATUS`` then the CSV), by
    the project at ``root``; each corpus with a cache folder of its own, inside this
    process's ``ANALYSIS_CACHE_DIR``."""
    cache = Path(os.environ["ANALYSIS_CACHE_DIR"])
    for name in names:
        path, options = CORPORA[name][:2]
        folder = out / name
        folder.mkdir(parents=True)
        env = {**os.environ, "ANALYSIS_CACHE_DIR": str(cache / name)}
        for label, argv in commands(name).items():
            result = subprocess.run(
                [sys.executable, "-m", "analysis", *argv, "--corpus", str(path), *options,
                 "--format", "csv"], cwd=root, env=env, capture_output=True, text=True)
            (folder / label).write_text(f"rc {result.returncode}\n{result.stdout}",
                                        encoding="utf-8")
        print(f"  {name}: {len(commands(name))} commands", flush=True)


def failed(path: Path) -> bool:
    """Whether the command whose output ``path`` holds exited with an error."""
    return not path.read_text(encoding="utf-8").startswith("rc 0\n")


if __name__ == "__main__":
    main(__file__, dump, __doc__, CORPORA, failed=failed)
