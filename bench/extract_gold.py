"""Extract gold sentence segmentations for bench_sentences.py into bench/gold/ (gitignored).

Sources (public repositories; give each as a git directory or a checkout):

- pySBD (MIT licence): the English "Golden Rules", ``tests/lang/test_english.py``, a list of
  (text, expected sentences); written to ``golden-rules-en.json``.
- Universal Dependencies English GUM (CC BY-NC-SA 4.0 as a whole; its parts under their
  sources' licences, see its LICENSE.txt): one CoNLL-U file per document under
  ``not-to-release/sources/``, the split of each in ``not-to-release/file-lists/``. Only the
  genres of edited written prose are kept (academic, bio, essay, fiction, letter, news,
  speech, textbook, voyage, whow); conversation, court, interview, podcast and vlog are
  transcribed speech. Written to ``gum-train.jsonl`` (the part the splitter was tuned on),
  ``gum-dev.jsonl`` and ``gum-test.jsonl`` (held out).
- Universal Dependencies English EWT (CC BY-SA 4.0): web text (weblogs, newsgroups, e-mail,
  reviews, answers), ``en_ewt-ud-dev.conllu`` and ``en_ewt-ud-test.conllu``; written to
  ``ewt-dev.jsonl`` and ``ewt-test.jsonl``.

In CoNLL-U, ``# newdoc`` and ``# newpar`` lines open documents and paragraphs and each
``# text =`` line is one gold sentence. A paragraph's text is its sentences joined by one
space; its gold boundaries are the offsets where its second and later sentences start. Each
JSONL line is one paragraph: ``{"doc", "genre", "sentences"}``.

Usage::

    python bench/extract_gold.py --pysbd DIR --gum DIR --ewt DIR
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent / "gold"
EDITED_GENRES = ("academic", "bio", "essay", "fiction", "letter", "news", "speech", "textbook",
                 "voyage", "whow")


def read_text(repo: Path, path: str) -> str:
    """A file of a checkout, or of a git directory's HEAD commit."""
    if (repo / path).is_file():
        return (repo / path).read_text(encoding="utf-8")
    return subprocess.run(["git", "--git-dir", str(repo), "show", f"HEAD:{path}"],
                          check=True, capture_output=True, text=True).stdout


def list_files(repo: Path, folder: str) -> list[str]:
    if (repo / folder).is_dir():
        return sorted(str(p.relative_to(repo)) for p in (repo / folder).iterdir())
    out = subprocess.run(["git", "--git-dir", str(repo), "ls-tree", "--name-only", "HEAD",
                          folder + "/"], check=True, capture_output=True, text=True).stdout
    return sorted(out.split())


def golden_rules(source: str) -> list[dict]:
    """The (text, expected) pairs of pySBD's ``GOLDEN_EN_RULES_TEST_CASES``, read as literals
    (``pytest.param(text, expected, marks=...)`` included, marked ``xfail`` in pySBD)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and node.targets[0].id == "GOLDEN_EN_RULES_TEST_CASES"):
            cases = []
            for item in node.value.elts:
                xfail = isinstance(item, ast.Call)
                text, expected = item.args[:2] if xfail else item.elts
                cases.append({"text": ast.literal_eval(text),
                              "sentences": ast.literal_eval(expected), "xfail": xfail})
            return cases
    raise ValueError("no GOLDEN_EN_RULES_TEST_CASES in the file")


def conllu_paragraphs(source: str, genre: str | None = None) -> list[dict]:
    """Paragraphs of a CoNLL-U text: ``# newdoc``/``# newpar`` open one, ``# text =`` lines
    are its sentences. ``genre`` defaults to the document id's first part."""
    paragraphs: list[dict] = []
    doc = None
    current: list[str] = []

    def close():
        if current:
            paragraphs.append({"doc": doc, "genre": genre or doc.split("-")[0].split("_")[0],
                               "sentences": list(current)})
            current.clear()

    for line in source.splitlines():
        if not line.startswith("#"):
            continue
        if line.startswith("# newdoc"):
            close()
            doc = line.split("=", 1)[1].strip()
        elif line.startswith("# newpar"):
            close()
        elif line.startswith("# text ="):
            current.append(line.split("=", 1)[1].strip())
    close()
    return paragraphs


def write_jsonl(name: str, rows: list[dict]) -> None:
    path = GOLD_DIR / name
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    sentences = sum(len(r["sentences"]) for r in rows)
    print(f"{path.name}: {len(rows)} paragraphs, {sentences} sentences")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pysbd", type=Path, help="pySBD repository (git dir or checkout)")
    parser.add_argument("--gum", type=Path, help="UD_English-GUM repository")
    parser.add_argument("--ewt", type=Path, help="UD_English-EWT repository")
    args = parser.parse_args()
    GOLD_DIR.mkdir(exist_ok=True)
    if args.pysbd:
        rules = golden_rules(read_text(args.pysbd, "tests/lang/test_english.py"))
        (GOLD_DIR / "golden-rules-en.json").write_text(
            json.dumps(rules, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"golden-rules-en.json: {len(rules)} rules")
    if args.gum:
        for split in ("train", "dev", "test"):
            names = read_text(args.gum, f"not-to-release/file-lists/files.{split}").split()
            rows = []
            for name in names:
                genre = name.split("_")[1]
                if genre in EDITED_GENRES:
                    source = read_text(args.gum, f"not-to-release/sources/{name}.conllu")
                    rows.extend(conllu_paragraphs(source, genre))
            write_jsonl(f"gum-{split}.jsonl", rows)
    if args.ewt:
        for split in ("dev", "test"):
            rows = conllu_paragraphs(read_text(args.ewt, f"en_ewt-ud-{split}.conllu"))
            write_jsonl(f"ewt-{split}.jsonl", rows)


if __name__ == "__main__":
    main()
