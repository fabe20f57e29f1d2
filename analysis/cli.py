"""Command line: the library's tables on stdout.

``python -m analysis SUBCOMMAND [--corpus DIR] [--format table|csv|json]``; the contract is in
DESIGN.md. Errors are one line on stderr naming the file or value and the problem, exit
status 2, no traceback. Each handler imports only what it uses, so that ``kwic`` does not pay
for matplotlib or scikit-learn.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("table", "csv", "json")


class UsageError(ValueError):
    """A bad argument value (unknown document id, empty term...)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, as for every other bad input
        self.exit(2, f"{self.prog}: error: {message}\n")


def _processed(args):
    from analysis.corpus import load_corpus
    from analysis.text import process

    return process(load_corpus(args.corpus))


def _check_doc(processed, doc_id: str | None, option: str = "--doc") -> None:
    if doc_id is not None and doc_id not in processed.corpus.ids:
        known = ", ".join(processed.corpus.ids)
        raise UsageError(f"{option} {doc_id!r}: no such document (known: {known})")


def _check_term(term: str) -> str:
    if not term.strip():
        raise UsageError("the search term is empty")
    return term


# --------------------------------------------------------------------------- handlers
# Each returns a DataFrame; main() formats it.


def _corpus(args):
    from analysis.text import summary

    return summary(_processed(args), by=args.by)


def _build(args):
    from analysis import build

    result = build.build(corpus_dir=args.corpus, out_dir=args.out, jobs=args.jobs)
    for line in build.describe(result):
        print(line, file=sys.stderr)
    return None if not result.failures else 1


HANDLERS = {
    "corpus": _corpus,
    "build": _build,
}


# --------------------------------------------------------------------------- parser


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand of the contract."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (default: the project's seeds/)")
    common.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser = _Parser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("corpus", parents=[common], help="one row per document")
    p.add_argument("--by", choices=("doc", "section"), default="doc")

    p = sub.add_parser("build", help="execute the notebooks, write figures and HTML reports")
    p.add_argument("--corpus", type=Path, default=None, help="corpus folder")
    p.add_argument("--out", type=Path, default=None,
                   help="write figures/ and reports/ under this folder instead of the project")
    p.add_argument("--jobs", type=int, default=None, help="notebooks run in parallel")
    return parser


def _write(table, fmt: str) -> None:
    if fmt == "csv":
        table.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        sys.stdout.write(table.to_json(orient="records", force_ascii=False) + "\n")
    elif table.empty:
        sys.stdout.write("(no rows)\n")
    else:
        sys.stdout.write(table.to_string(index=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; return the exit status."""
    from analysis.corpus import CorpusError

    args = make_parser().parse_args(argv)
    try:
        result = HANDLERS[args.command](args)
    except (CorpusError, UsageError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if result is None or isinstance(result, int):
        return result or 0
    try:
        _write(result, args.format)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
    return 0
