"""Command line: the library's tables on stdout.

``python -m analysis SUBCOMMAND [--corpus DIR|FILE] [--where EXPR ...] [--format
table|csv|tsv|json|parquet] [--out FILE]``; ``python -m analysis --help`` lists the
subcommands. ``--by`` and ``--where`` speak the grouping vocabulary of :mod:`analysis.units`.
Errors are one line on stderr naming the file or value and the problem, exit status 2, no
traceback. Each handler imports only what it uses, so that ``kwic`` does not pay for
matplotlib or scikit-learn.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import os
import re
import sys
import traceback
import warnings
from pathlib import Path

from analysis.params import MAX_ROWS, ParameterError, check

__all__ = ["UsageError", "main", "make_parser", "neutralise"]

FORMATS = ("table", "csv", "tsv", "json", "parquet")
#: The options' bounds are those the library's functions declare (:mod:`analysis.params`;
#: :func:`_check_options` reads them); these limit what a command is given besides them.
MAX_TOP = MAX_ROWS
MAX_TREND_TERMS = 50
MAX_SIMILARITY_UNITS = 5_000
# C0 and C1 control characters, shown as visible escapes in table output (ESC would let a
# text clear the screen, set the window title or plant a hyperlink), and the bidirectional
# marks, embeddings, overrides and isolates (U+202E would show "fdp.exe" as "exe.pdf" and
# reorder the columns of a line).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      r"\u2066-\u2069]")


class UsageError(ValueError):
    """A bad argument value (unknown document id, empty term...)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, as for every other bad input
        self.exit(2, neutralise(f"{self.prog}: error: {' '.join(message.split())}") + "\n")


def _processed(args):
    from analysis import units
    from analysis.corpus import load_corpus
    from analysis.text.process import process

    corpus = load_corpus(args.corpus, text_column=args.text_column, id_column=args.id_column,
                         follow_symlinks=args.follow_symlinks)
    if getattr(args, "lang", None):
        try:
            corpus = corpus.with_lang(args.lang)
        except ValueError as err:
            raise UsageError(str(err)) from None
    if getattr(args, "annotate", None):
        corpus = corpus.with_annotation(args.annotate)  # one line where there is no pipeline
    if getattr(args, "no_fix_encoding", False):
        corpus = corpus.with_cleaning(fix_encoding=False)
    corpus = _line_rules(args, corpus)
    if getattr(args, "stopword_file", None) or getattr(args, "keep", None):
        from analysis.lexicons import read_word_list

        added = []
        for path in args.stopword_file or ():
            try:
                added.extend(read_word_list(path))
            except ValueError as err:
                raise UsageError(f"--stopword-file {err}") from None
        kept = [w for spec in args.keep or () for w in spec.split(",")]
        corpus = corpus.with_stop_words(add=added, keep=kept)
    if getattr(args, "compound", None) or getattr(args, "compound_top", 0):
        from analysis.phrases import compound

        _check_options(compound, top=("--compound-top", args.compound_top))
        try:
            corpus = compound(corpus, args.compound, 0)
        except ValueError as err:
            raise UsageError(f"--compound {err}") from None
        corpus = compound(corpus, None, args.compound_top or 0)
    engine = _engine(args)
    processed = process(corpus) if engine.name == "local" else process(corpus, engine)
    processed = units.select(processed, args.where)
    if getattr(args, "dedupe", False):
        processed = _dedupe(processed)
    doc = getattr(args, "doc", None)
    if doc is not None:  # --doc ID: a subset of one document (ids may hold commas)
        _check_doc(processed, doc)
        processed = units.select(processed, units.Condition("doc", "=", (doc,)))
    if getattr(args, "by", None) is not None:
        units.check_by(processed.corpus, args.by)
    return processed


def _line_rules(args, corpus):
    """``--drop-repeated-lines``, ``--drop-lines``, ``--header-fields``, ``--header-lines``
    (:func:`analysis.text.boilerplate.with_line_rules`)."""
    from analysis.text.boilerplate import HEADER_LINES, with_line_rules

    repeated = getattr(args, "drop_repeated_lines", None)
    _check_options(with_line_rules, drop_repeated_lines=("--drop-repeated-lines", repeated))
    if getattr(args, "header_lines", None) is not None:
        _check_options(with_line_rules, header_lines=("--header-lines", args.header_lines))
    return with_line_rules(corpus, drop_repeated_lines=repeated,
                           drop_lines=getattr(args, "drop_lines", None),
                           header_fields=getattr(args, "header_fields", None),
                           header_lines=getattr(args, "header_lines", None) or HEADER_LINES)


def _dedupe(processed):
    """``--dedupe``: the first document of each duplicate set (exact, or 5-shingle
    resemblance at least 0.9), logged by one line on stderr."""
    from analysis import units
    from analysis.duplicates import dropped

    drop = dropped(processed)
    print(f"--dedupe: dropped {len(drop):,} duplicate document{'s' * (len(drop) != 1)} of "
          f"{len(processed.corpus.ids):,} (kept the first of each set)", file=sys.stderr)
    if not drop:
        return processed
    return units.select(processed, units.Condition("doc", "!=", tuple(drop)))


@functools.cache
def _connect(name: str, scheduler: str | None):
    """The engine of a name and scheduler, connected once per process."""
    from analysis import engines

    try:
        return engines.get(name, scheduler=scheduler)
    except engines.EngineError as err:  # "engine ..." or "scheduler ...": the argument
        raise UsageError(f"--{err}") from None


def _engine(args):
    """The engine of ``--engine``/``--scheduler``, connected once (a Dask scheduler that does
    not answer fails within ``ANALYSIS_DASK_TIMEOUT`` seconds, not a hang)."""
    return _connect(args.engine or ("dask" if args.scheduler else "local"), args.scheduler)


def _check_doc(processed, doc_id: str | None, option: str = "--doc") -> None:
    if doc_id is not None and doc_id not in processed.corpus.ids:
        known = ", ".join(processed.corpus.ids)
        raise UsageError(f"{option} {doc_id!r}: no such document (known: {known})")


def _with_group(processed, table, by: str | None):
    """The table with the ``--by`` group columns first (none without ``--by``)."""
    if by is None or by in ("doc", "corpus"):
        return table
    from analysis import units

    clash = [c for c in units.group_columns(by) if c in table.columns]
    if by not in ("section", "voice") and clash:
        raise UsageError(f"--by {by}: the table has a column of that name; rename the "
                         "metadata column to group by it")
    groups = units.labels(processed, table, by).reset_index(drop=True)
    rest = table.drop(columns=[c for c in groups.columns if c in table.columns])
    return groups.join(rest.reset_index(drop=True))


def _check_options(function, **options: tuple[str, object]) -> None:
    """Check option values against the parameters ``function`` declares
    (:mod:`analysis.params`) before any corpus is read: ``name=(option, value)``; one line
    naming the option."""
    try:
        check(function, **{name: value for name, (_, value) in options.items()})
    except ParameterError as err:
        allowed = ", or ".join(str(rule) for rule in err.rules if rule is not None)
        raise UsageError(f"{options[err.parameter][0]} {err.value}: must be {allowed}") from None


def _check_term(term: str, args=None) -> str:
    if not term.strip():
        raise UsageError("the search term is empty")
    if term.startswith("@") and getattr(args, "dictionary", None) is None:
        raise UsageError(f"{term}: a @CATEGORY query needs --dictionary FILE")
    return term


# --------------------------------------------------------------------------- handlers
# Each returns a DataFrame; main() formats it.


def _corpus(args):
    from analysis.overview import summary

    processed = _processed(args)
    table = summary(processed, by=args.by)
    if "doc" in table.columns and args.by == "doc":  # each document's language, and whence
        from analysis.lang import languages

        langs = languages(processed.corpus).rename(columns={"lang": "language"})
        table = table.merge(langs, on="doc", how="left")
    if processed.corpus.missing:  # shown under the table (csv and json stay data only)
        table.attrs["footer"] = "read as missing: " + ", ".join(
            f"{column} {value!r} ({n})" for column, value, n in processed.corpus.missing)
    return table


def _lines(args):
    from analysis.text.boilerplate import repeated_lines

    _check_options(repeated_lines, min_documents=("--min-documents", args.min_documents))
    return repeated_lines(_processed(args), args.min_documents)


def _noise(args):
    from analysis.overview import suspected_noise

    return suspected_noise(_processed(args))


def _sentences(args):
    processed = _processed(args)
    return processed.sentences[["doc", "paragraph", "sentence", "start", "end", "text"]]


def _tokens(args):
    from analysis.lang import languages

    processed = _processed(args)
    table = processed.tokens[["doc", "sentence", "token", "start", "end"]]
    langs = languages(processed.corpus).set_index("doc")["lang"]
    return table.assign(lang=table["doc"].map(langs).astype(object))


def _build(args):
    from analysis import build

    parameters = {}
    for item in args.parameter or []:
        name, sep, value = item.partition("=")
        if not sep or not name.isidentifier():
            raise UsageError(f"-p {item!r}: expected NAME=VALUE")
        try:
            parameters[name] = ast.literal_eval(value)
        except (SyntaxError, RecursionError, MemoryError) as err:
            # The parser's nesting limit (its stack, not the machine's memory), or text.
            if not isinstance(err, SyntaxError) or "nested" in str(err):
                raise UsageError(f"-p {name}: a value nested too deeply (lists inside lists; "
                                 "a parameter takes words, numbers or a list of words)") from None
            parameters[name] = value  # a plain string: -p ACTOR=Imran Khan
        except ValueError:
            parameters[name] = value
    result = build.build(corpus_dir=args.corpus, out_dir=args.out, jobs=args.jobs,
                         where=args.where, by=args.by, parameters=parameters,
                         text_column=args.text_column, id_column=args.id_column)
    for line in build.describe(result):
        print(line, file=sys.stderr)
    return None if not result.failures else 1


# --- framing: roads, frames


def _roads(args):
    from analysis.framing.roads import roads
    from analysis.lang import with_measure

    processed, note = with_measure(_processed(args), "roads")
    table = roads(processed)
    table = table.assign(adversaries=table["adversaries"].map("; ".join))
    table = _with_group(processed, table[["doc", "ordinal", "road", "role", "sentence",
                                          "subject", "modal", "figures", "adversaries",
                                          "topic", "construction"]], args.by)
    if note:
        table.attrs["footer"] = note
    return table


def _frames(args):
    from analysis.framing.frames import frame_dictionary, frame_shares

    processed = _processed(args)
    # none given: the case study's frames on the seeds, the Policy Frames Codebook's elsewhere
    choice = None if args.dictionary is None else str(args.dictionary)
    note = None
    if choice in (None, "case-study"):  # English dictionaries: English documents only
        from analysis.lang import with_measure

        processed, note = with_measure(processed, "dictionaries")
    dictionary = (frame_dictionary(processed.corpus, choice) if choice in (None, "case-study")
                  else _read_dictionary(args))
    table = frame_shares(processed, by=args.by, dictionary=dictionary)
    if note:
        table.attrs["footer"] = note
    return table



# --- dictionaries


def _read_dictionary(args, required: bool = True):
    """The ``--dictionary`` file read (None when not given and not required)."""
    from analysis.dictionaries import read_dictionary

    if args.dictionary is None:
        if required:
            raise UsageError("--dictionary FILE is required")
        return None
    return read_dictionary(args.dictionary, args.dictionary_format)


def _dictionary(args):
    from analysis.dictionaries import lookup as engine
    from analysis.dictionaries.validation import precision

    if args.validate is not None:
        return precision(args.validate)
    dictionary = _read_dictionary(args)
    engine.check_level(dictionary, args.level)
    if args.audit and args.sample is not None:
        raise UsageError("give one of --audit, --sample N")
    processed = _processed(args)
    options = dict(level=args.level, nested_scope=args.nested_scope)
    if args.audit:
        return engine.audit(processed, dictionary, **options)
    if args.sample is not None:
        _check_options(engine.sample, n=("--sample", args.sample), seed=("--seed", args.seed))
        if args.out is None:
            raise UsageError("--sample N needs --out FILE.csv for the coder's file")
        table = engine.sample(processed, dictionary, args.sample, seed=args.seed,
                              by=args.by or "corpus", **options)
        _write_new_csv(args.out, table, processed)
        print(f"wrote {len(table)} matches to code to {args.out}", file=sys.stderr)
        return 0
    return engine.lookup(processed, dictionary, by=args.by or "corpus", **options)


def _write_new_csv(path: Path, table, processed) -> None:
    """Write a table as a new CSV, whole or not at all: never over an existing file (a coded
    sample is someone's work) and never inside the corpus."""
    from analysis.figures import spreadsheet_safe

    if path.exists() or path.is_symlink():
        raise UsageError(f"--out {path}: the file exists; give a new file name")
    corpus = Path(processed.corpus.root) if processed.corpus.root else None
    if corpus is not None and corpus.is_dir() and path.resolve().is_relative_to(
            corpus.resolve()):
        raise UsageError(f"--out {path}: inside the corpus folder, which is never written to")
    if not path.parent.is_dir():
        raise UsageError(f"--out {path}: no folder {path.parent}")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        spreadsheet_safe(table).to_csv(temporary, index=False)
        os.link(temporary, path)  # fails, rather than overwrites, if the name was taken
    except FileExistsError:
        raise UsageError(f"--out {path}: the file exists; give a new file name") from None
    finally:
        temporary.unlink(missing_ok=True)


# --- keywords: freq, keyness, kwic, collocates


def _freq(args):
    from analysis.frequency import frequency

    _check_options(frequency, top=("--top", args.top), ngram=("--ngram", args.ngram),
                   min_range=("--min-range", args.min_range))
    layer = "lemma" if args.lemma else args.layer
    upos = [t.strip() for t in args.upos.split(",")] if args.upos else None
    if (layer or upos) and (args.ngram != 1 or args.stem):
        raise UsageError("--lemma, --layer and --upos count single words: not with --ngram "
                         "or --stem")
    if args.query is not None:
        _check_term(args.query, args)
        if upos or args.ngram != 1 or args.stem:
            raise UsageError("--query counts the matches by their words (or --lemma, --layer):"
                             " not with --upos, --ngram or --stem")
    processed = _processed(args)
    try:
        return frequency(processed, by=args.by or "corpus", ngram=args.ngram,
                         stopwords=args.stopwords, stem=args.stem, top=args.top,
                         min_range=args.min_range, layer=layer, upos=upos,
                         query=args.query, engine=_engine(args))
    except ValueError as err:
        raise _layer_error(args, err) from None


def _layer_error(args, err: ValueError) -> ValueError:
    """A corpus without the layer asked for, named with the corpus; other errors as they are."""
    if " layer (its layers" not in str(err):
        return err
    from analysis import config

    return UsageError(f"{args.corpus or config.SEEDS_DIR}: {err}")


def _keyness(args):
    from analysis import units
    from analysis.keyness import GENERAL, REST, keyness, keywords_by, measure_columns, top_keywords

    try:
        extra = measure_columns(m.strip() for m in args.measures.split(",")) \
            if args.measures else []
    except ValueError as err:
        raise UsageError(f"--measures {args.measures!r}: {err}") from None
    _check_options(keyness, smoothing=("--smoothing", args.smoothing),
                   min_count=("--min-count", args.min_count), level=("--level", args.level))
    if args.top is not None:
        _check_options(top_keywords, n=("--top", args.top))
    layer = "lemma" if args.lemma else args.layer
    upos = [t.strip() for t in args.upos.split(",")] if args.upos else None
    if (layer or upos) and args.dictionary is not None:
        raise UsageError("--dictionary compares its categories: not with --lemma, --layer or "
                         "--upos")
    processed = _processed(args)
    if (args.target is None) == (args.by is None):
        raise UsageError("give either --target (one unit) or --by (every group against the "
                         "rest)")
    columns = ["term", "target_count", "reference_count", "g2", "log_ratio", "pct_diff",
               "p_value", "direction", *extra]
    for option, value in (("--target", args.target), ("--reference", args.reference)):
        if value is not None and value not in (GENERAL, REST):
            try:
                units.unit_mask(processed, processed.paragraph_keys, value)
            except ValueError as err:
                raise UsageError(f"{option} {err}") from None
    if args.by is not None:
        if args.dictionary is not None:
            raise UsageError("--dictionary compares categories with --target (one unit "
                             "against --reference), not with --by")
        if args.reference not in (GENERAL, REST):
            raise UsageError(f"--reference {args.reference!r}: with --by, each group is "
                             f"compared with 'rest' or 'general'")
        try:
            table = keywords_by(processed, by=args.by, reference=args.reference,
                                n=args.top or 10**9, direction=args.direction, form=args.form,
                                min_count=args.min_count, stopwords=args.stopwords,
                                smoothing=args.smoothing, layer=layer, upos=upos,
                                engine=_engine(args))
        except ValueError as err:
            raise _layer_error(args, err) from None
        return table[units.group_columns(args.by) + columns].reset_index(drop=True)
    dictionary = _read_dictionary(args, required=False)
    try:
        table = keyness(processed, args.target, args.reference, form=args.form,
                        min_count=args.min_count, stopwords=args.stopwords,
                        smoothing=args.smoothing, dictionary=dictionary, level=args.level,
                        layer=layer, upos=upos, engine=_engine(args), further=bool(extra))
    except ValueError as err:
        raise _layer_error(args, err) from None
    if args.top is not None:
        table = top_keywords(table, args.top, args.direction)
    elif args.direction != "both":
        table = table[table["direction"] == args.direction]
    return table[columns].reset_index(drop=True)


def _kwic(args):
    from analysis.concordance import kwic
    from analysis.units import group_columns

    term = _check_term(args.term, args)
    _check_options(kwic, window=("--window", args.window), sort=("--sort", args.sort),
                   n=("--top", args.top))
    processed = _processed(args)
    table = kwic(processed, term, args.window, kind="regex" if args.regex else "auto",
                 sort=args.sort, dictionary=_read_dictionary(args, required=False),
                 engine=_engine(args), n=args.top)
    if args.top is not None:
        matches = table.attrs["matches"]
        print(f"kwic: {len(table):,} of {matches:,} line{'s' * (matches != 1)}",
              file=sys.stderr)
    table = _with_group(processed, table, args.by)
    first = [] if args.by in (None, "doc", "corpus") else group_columns(args.by)
    return table[list(dict.fromkeys([*first, "doc", "sentence", "left", "keyword", "right"]))]


def _collocates(args):
    from analysis import units
    from analysis.collocation import collocates

    term = _check_term(args.term)
    _check_options(collocates, left=("--window", args.window),
                   min_count=("--min-count", args.min_count))
    if args.window == 0:  # the same window each side: collocates needs one word on one
        raise UsageError("--window 0: the window needs at least one word on each side")
    processed = _processed(args)
    options = dict(left=args.window, right=args.window, measure=args.measure,
                   min_count=args.min_count, stopwords=args.stopwords,
                   kind="regex" if args.regex else "auto", engine=_engine(args))
    if args.by in (None, "corpus"):
        return collocates(processed, term, **options)
    return units.per_group(processed, args.by, collocates, term, **options)


def _trends(args):
    from analysis.trends import trends

    if len(args.terms) > MAX_TREND_TERMS:
        raise UsageError(f"trends: {len(args.terms)} terms; at most {MAX_TREND_TERMS}")
    terms = [_check_term(term, args) for term in args.terms]
    dictionary = _read_dictionary(args, required=False)
    return trends(_processed(args), terms, args.interval, by=args.by or "corpus",
                  kind="regex" if args.regex else "auto", dictionary=dictionary,
                  date=args.date, engine=_engine(args))


def _sketch(args):
    from analysis.sketches import sketch_difference, word_sketch

    lemma = _check_term(args.lemma)
    options = dict(relation=("--relation", args.relation), min_count=("--min-count",
                   args.min_count), top=("--top", args.top))
    _check_options(word_sketch, **options)
    groups = None
    if args.groups is not None:
        groups = [g.strip() for g in args.groups.split(",")]
        if len(groups) != 2 or not all(groups):
            raise UsageError(f"--groups {args.groups!r}: give two groups as A,B")
    processed = _processed(args)
    chosen = dict(relation=args.relation, pos=args.pos, min_count=args.min_count, top=args.top)
    try:
        if groups is None:
            return word_sketch(processed, lemma, by=args.by, **chosen)
        return sketch_difference(processed, lemma, groups, by=args.by, **chosen)
    except ValueError as err:
        if "dependency annotation" not in str(err):
            raise
        from analysis import config

        raise UsageError(f"{args.corpus or config.SEEDS_DIR}: {err}") from None


# --- topics


def _topics(args):
    from analysis.topics import fit_topics, topic_table

    _check_options(fit_topics, k=("--k", args.k), size=("--window", args.window))
    _check_options(topic_table, n_terms=("--terms", args.terms))
    processed = _processed(args)
    model = fit_topics(processed, k=args.k, method=args.method, size=args.window)
    return topic_table(model, by=args.by or "doc", n_terms=args.terms)



# --- sequences (collocations as quanteda scores them), lexical diversity, readability


def _sequences(args):
    from analysis.sequences import sequences

    _check_options(sequences, top=("--top", args.top), min_count=("--min-count", args.min_count))
    return sequences(_processed(args), args.size, by=args.by or "corpus",
                     min_count=args.min_count, stopwords=args.stopwords, top=args.top)


def _similarity(args):
    from analysis import units
    from analysis.similarity import ranked_pairs, similarity

    _check_options(ranked_pairs, top=("--top", args.top))
    processed = _processed(args)
    by = args.by or "doc"
    units.check_by(processed.corpus, by)
    n = len(units.names(processed, by))
    if n > MAX_SIMILARITY_UNITS:
        raise UsageError(f"--by {by}: {n:,} units make {n * (n - 1) // 2:,} pairs; compare at "
                         f"most {MAX_SIMILARITY_UNITS:,} (a subset with --where, or groups "
                         f"with --by)")
    return ranked_pairs(similarity(processed, by=by, measure=args.measure), args.top)


def _duplicates(args):
    from analysis.duplicates import duplicates

    _check_options(duplicates, threshold=("--threshold", args.threshold),
                   shingle=("--shingle", args.shingle))
    return duplicates(_processed(args), threshold=args.threshold, shingle=args.shingle)


def _dfm(args):
    from analysis.dfm import write_dfm

    out = args.out
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: not a folder")
    taken = [n for n in ("matrix.mtx", "features.txt", "docvars.csv") if (out / n).exists()]
    if taken:
        raise UsageError(f"--out {out}: {taken[0]} exists there; give a new folder")
    processed = _processed(args)
    root = Path(processed.corpus.root) if processed.corpus.root else None
    if root is not None and root.is_dir() and out.resolve().is_relative_to(root.resolve()):
        raise UsageError(f"--out {out}: inside the corpus folder, which is never written to")
    matrix = _matrix(args, processed)
    if args.weight != "count":
        matrix = matrix.weighted(args.weight)
    write_dfm(matrix, out)
    print(f"wrote {matrix.matrix.shape[0]} units x {matrix.matrix.shape[1]} features "
          f"({matrix.matrix.nnz} non-zero cells) to {out}", file=sys.stderr)
    return 0


#: The scale command's model options: parameter name of a model's function -> the option.
#: A model receives an option when its function has a keyword parameter of that name; a
#: given option that the model lacks is a usage error.
SCALE_OPTIONS = {
    "direction": "--dir",
    "reference_scores": "--reference-scores",
    "rescaling": "--rescaling",
    "max_iter": "--max-iter",
    "seeds": "--seeds",
    "context": "--context",
}


def _explore(args):
    """``explore --by VAR --out FILE.html``: the explorer page (:mod:`analysis.explorer_page`)."""
    from analysis.explorer_page import explorer_data, write_explorer

    _check_options(explorer_data, **{name: (f"--{name.replace('_', '-')}", getattr(args, name))
                                     for name in ("top", "frequent", "lines", "window",
                                                  "max_groups")})
    out = args.out
    if out.is_dir() or out.is_symlink():
        raise UsageError(f"--out {out}: a {'link' if out.is_symlink() else 'folder'}; give "
                         "the name of an HTML file")
    if not out.parent.is_dir():
        raise UsageError(f"--out {out}: no folder {out.parent}")
    root = Path(args.corpus) if args.corpus is not None else None
    if root is not None and root.is_dir() and out.resolve().is_relative_to(root.resolve()):
        raise UsageError(f"--out {out}: inside the corpus folder, which is never written to")
    processed = _processed(args)
    try:
        write_explorer(processed, out, by=args.by, top=args.top, frequent=args.frequent,
                       lines=args.lines, window=args.window, max_groups=args.max_groups)
    except ValueError as err:
        if not str(err).startswith("the corpus has no words"):
            raise
        from analysis import config

        raise UsageError(f"{args.corpus or config.SEEDS_DIR}: {err}") from None
    print(f"wrote the explorer ({out.stat().st_size / 1e6:.1f} MB) to {out}", file=sys.stderr)
    return 0


def _matrix(args, processed):
    """The document-feature matrix of ``--by`` and the matrix options, trimmed."""
    from analysis.dfm import DFM, dfm

    _check_options(DFM.trim, min_count=("--min-count", args.min_count),
                   min_share=("--min-share", args.min_share),
                   max_share=("--max-share", args.max_share),
                   max_features=("--max-features", args.max_features))
    features = (_read_dictionary(args) if getattr(args, "dictionary", None) is not None
                else args.features)
    return dfm(processed, by=args.by, features=features, content=args.content,
               stem=args.stem).trim(args.min_count, args.min_share, args.max_share,
                                    args.max_features)


def _scale_option(dest: str, value, processed, matrix):
    """A model option's value as the model's function takes it."""
    if dest == "direction":
        parts = value.split(",")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise UsageError(f"--dir {value!r}: give two units as A,B (A is placed left of B)")
        return tuple(p.strip() for p in parts)
    if dest == "reference_scores":
        from analysis.textmodels.wordscores import scores_for

        return scores_for(processed, matrix, value)
    return value


def _scale(args):
    import inspect

    from analysis.textmodels import MODELS

    if args.model not in MODELS:
        raise UsageError(f"--model {args.model}: one of {', '.join(MODELS)}")
    function = MODELS[args.model]
    parameters = inspect.signature(function).parameters
    given = {dest: getattr(args, dest) for dest in SCALE_OPTIONS
             if getattr(args, dest, None) is not None}
    for dest in given:
        if dest not in parameters:
            raise UsageError(f"{SCALE_OPTIONS[dest]}: not an option of --model {args.model}")
    needed = [name for name, p in list(parameters.items())[1:]
              if p.default is inspect.Parameter.empty and name not in given]
    if needed:
        option = SCALE_OPTIONS.get(needed[0], needed[0])
        raise UsageError(f"--model {args.model} needs {option}")
    if args.max_iter is not None:
        _check_options(function, max_iter=("--max-iter", args.max_iter))
    processed = _processed(args)
    matrix = _matrix(args, processed)
    options = {dest: _scale_option(dest, value, processed, matrix)
               for dest, value in given.items()}
    if "processed" in parameters:  # a model that builds its own space (lss: sentences)
        options["processed"] = processed
    fit = function(matrix, **options)
    attrs = fit.documents.attrs
    if attrs.get("dropped"):
        dropped = attrs["dropped"]
        print(neutralise(f"scale: left out {len(dropped):,} unit{'s' * (len(dropped) != 1)} "
                         f"without words: {', '.join(dropped[:10])}"
                         + (" ..." if len(dropped) > 10 else "")), file=sys.stderr)
    if attrs.get("note"):
        print(neutralise(f"scale: {attrs['note']}"), file=sys.stderr)
    return fit.words if args.words else fit.documents


def _diversity(args):
    from analysis.diversity import lexical_diversity

    _check_options(lexical_diversity, window=("--window", args.window),
                   threshold=("--threshold", args.threshold))
    return lexical_diversity(_processed(args), by=args.by, window=args.window,
                             threshold=args.threshold)


def _readability(args):
    from analysis.readability import readability

    return readability(_processed(args), by=args.by)


HANDLERS = {
    "tokens": _tokens,
    "corpus": _corpus,
    "explore": _explore,
    "sentences": _sentences,
    "trends": _trends,
    "build": _build,
    "freq": _freq,
    "keyness": _keyness,
    "kwic": _kwic,
    "collocates": _collocates,
    "sketch": _sketch,
    "roads": _roads,
    "frames": _frames,
    "topics": _topics,
    "sequences": _sequences,
    "diversity": _diversity,
    "readability": _readability,
    "dictionary": _dictionary,
    "similarity": _similarity,
    "duplicates": _duplicates,
    "dfm": _dfm,
    "scale": _scale,
    "lines": _lines,
    "noise": _noise,
}


# --------------------------------------------------------------------------- parser


def _add_table_columns(parser: argparse.ArgumentParser) -> None:
    """The options naming a table corpus's text and id columns."""
    parser.add_argument("--text-column", default="text", dest="text_column",
                        help="a table corpus's column of texts (default: text)")
    parser.add_argument("--id-column", default=None, dest="id_column",
                        help="a table corpus's column of ids (default: id, else the row number)")


def _add_doc(parser, text: str = "only this document id") -> None:
    parser.add_argument("--doc", default=None, help=text)


def _add_top(parser, rows: str = "first N rows of each group") -> None:
    """``--top N``; its help names the most, :data:`MAX_TOP`."""
    parser.add_argument("--top", type=int, default=None, help=f"{rows} (at most {MAX_TOP:,})")


def _add_stopwords(parser, text: str = "keep stop words (default: drop them)") -> None:
    parser.add_argument("--stopwords", action=argparse.BooleanOptionalAction, default=False,
                        help=text)


def _add_regex(parser, terms: str = "TERM as a regular expression") -> None:
    parser.add_argument("--regex", action="store_true", help=f"read {terms}")


def _add_layers(parser, verb: str, annotated: str) -> None:
    """``--lemma``, ``--layer`` and ``--upos``: what a command counts (``verb``) of an
    annotated corpus (``annotated``: the sources named in the help)."""
    parser.add_argument("--lemma", action="store_true",
                        help=f"{verb} lemmas (an annotated corpus: {annotated}); as --layer "
                             "lemma")
    parser.add_argument("--layer", default=None, metavar="NAME",
                        help=f"{verb} the values of this annotation layer (lemma, upos, ent...)")
    parser.add_argument("--upos", default=None, metavar="TAG[,TAG...]",
                        help="only words of these parts of speech (NOUN, PROPN, ...)")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand of the contract."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder, a .zip of one, a .csv/.jsonl/.parquet table "
                             "with a row per document (.csv.gz, .jsonl.gz too), or an "
                             "annotated .conllu or .spacy (DocBin) file (default: the "
                             "project's seeds/)")
    common.add_argument("--where", action="append", default=None, metavar="EXPR",
                        help="only documents with COLUMN=VALUE[,VALUE...], COLUMN!=VALUE or "
                             "(dates, numbers) COLUMN>=VALUE, <, <=, >; repeat: all must hold")
    _add_table_columns(common)
    common.add_argument("--follow-symlinks", action="store_true", dest="follow_symlinks",
                        help="read symbolic links of the corpus folder that stay inside it")
    common.add_argument("--stopword-file", action="append", type=Path, default=None,
                        dest="stopword_file", metavar="FILE",
                        help="add the words of FILE (one a line, # comments) to the stop "
                             "words; repeat for several files")
    common.add_argument("--keep", action="append", default=None, metavar="WORD[,WORD...]",
                        help="take these words out of the stop words (repeatable)")
    common.add_argument("--compound", action="append", type=Path, default=None,
                        metavar="FILE",
                        help="join the phrases of FILE (one a line, globs allowed: united "
                             "nations, asylum seeker*) into single terms (united_nations) for "
                             "every analysis; repeat for several files")
    common.add_argument("--compound-top", type=int, default=0, dest="compound_top",
                        metavar="N",
                        help="join the N strongest two-word sequences of the corpus (see the "
                             "sequences command) into single terms")
    common.add_argument("--lang", default=None, metavar="CODE",
                        help="the language of every document (ISO 639-1: en, zh, ur, hi, ar, "
                             "de...); default: each document's lang column, else detected")
    common.add_argument("--annotate", default=None, metavar="spacy:MODEL",
                        help="tokenize and annotate (lemma, upos, xpos, feats, deprel, head, "
                             "entities) with a spaCy pipeline you have installed: its name "
                             "(en_core_web_sm) or folder; cached like any processing")
    common.add_argument("--no-fix-encoding", action="store_true", dest="no_fix_encoding",
                        help="keep broken encodings (mojibake such as â€™) as they are, "
                             "instead of repairing them with ftfy")
    common.add_argument("--drop-repeated-lines", type=int, default=None,
                        dest="drop_repeated_lines", metavar="N",
                        help="remove the lines found in at least N documents (a database's "
                             "headers, a site's footer; see the lines command), logged as "
                             "cleaning")
    common.add_argument("--drop-lines", type=Path, default=None, dest="drop_lines",
                        metavar="FILE",
                        help="remove the lines that a regular expression of FILE (one a line, "
                             "# comments) matches whole, logged as cleaning")
    common.add_argument("--header-fields", type=Path, default=None, dest="header_fields",
                        metavar="FILE",
                        help="read document variables from each document's first lines: "
                             "FILE holds NAME<TAB>REGEX lines, the REGEX with one group (the "
                             "value); the lines read are removed, logged as cleaning")
    common.add_argument("--header-lines", type=int, default=None, dest="header_lines",
                        metavar="K",
                        help="--header-fields looks in the first K non-blank lines (default 10)")
    common.add_argument("--dedupe", action="store_true",
                        help="keep only the first document (corpus order) of each set of "
                             "exact or near duplicates (see the duplicates command); the "
                             "number dropped is written to stderr")
    common.add_argument("--format", choices=FORMATS, default="table",
                        help="output format: table (for reading), csv, tsv, json, or "
                             "parquet (a file: needs --out FILE)")
    common.add_argument("--engine", default=None, metavar="local|dask",
                        help="where processing and counting run: in this process (local, "
                             "default) or on a Dask cluster (dask; pip install .[dask])")
    common.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="a running Dask scheduler (tcp://host:8786; implies --engine "
                             "dask; default $ANALYSIS_DASK_SCHEDULER, else a cluster of this "
                             "machine)")
    by_help = ("group by corpus, doc, section, voice or a metadata column (genre, outlet, "
               "party, ...)")
    coding = argparse.ArgumentParser(add_help=False)
    coding.add_argument("--dictionary", type=Path, default=None, metavar="FILE",
                        help="a coding scheme: YAML, LIWC .dic, Lexicoder .lc3/.lcd, WordStat "
                             ".cat or CSV (category,pattern[,source])")
    coding.add_argument("--dictionary-format", default=None, dest="dictionary_format",
                        metavar="FORMAT",
                        help="yaml, liwc, lexicoder, wordstat or csv (default: from the "
                             "file's suffix)")
    parser = _Parser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("corpus", parents=[common],
                       help="one row per document (or group): variables, words, sentences")
    p.add_argument("--by", default="doc", help=by_help + " (default: doc)")
    p = sub.add_parser("lines", parents=[common],
                       help="lines repeated across documents (after cleaning): line, "
                            "documents, share, paragraph, from_end")
    p.add_argument("--min-documents", type=int, default=None, dest="min_documents",
                   metavar="N",
                   help="only lines in at least N documents (default: 3, or 0.5%% of the "
                        "documents if more)")
    sub.add_parser("noise", parents=[common],
                   help="suspected noise left after cleaning: doc, paragraph, position, "
                        "text, kind, suggestion")
    p = sub.add_parser("sentences", parents=[common],
                       help="the sentences: doc, paragraph, sentence, start, end, text")
    _add_doc(p)
    p = sub.add_parser("tokens", parents=[common],
                       help="the tokens: doc, sentence, token, start, end, lang (character "
                            "offsets into the document's text as loaded)")
    _add_doc(p)

    p = sub.add_parser("build", help="execute the notebooks, write figures and HTML reports")
    p.add_argument("--corpus", type=Path, default=None, help="corpus folder or table")
    p.add_argument("--where", action="append", default=None, metavar="EXPR",
                   help="build the reports on the documents that satisfy EXPR")
    _add_table_columns(p)
    p.add_argument("--out", type=Path, default=None,
                   help="write figures/ and reports/ under this folder instead of the project")
    p.add_argument("--jobs", type=int, default=None, help="notebooks run in parallel")
    p.add_argument("--by", default=None,
                   help="group every report by this unit or column (default: voice where "
                        "sections declare voices, else the first column with 2 to 30 values, "
                        "else documents)")
    p.add_argument("-p", "--parameter", action="append", default=None, metavar="NAME=VALUE",
                   help="set a notebook parameter (a Python literal, else a string)")

    # framing
    p = sub.add_parser("roads", parents=[common],
                       help="the 'road of/to/for X' metaphors: road, role, sentence, evidence, "
                            "what is called a road (topic) and how (construction)")
    _add_doc(p)
    p.add_argument("--by", default=None, help="show this document variable's group first")
    p = sub.add_parser("frames", parents=[common, coding],
                       help="share of sentences carrying each frame of --dictionary (default: "
                            "the Policy Frames Codebook's, policy-frames; on the seeds the "
                            "case study's)")
    p.add_argument("--by", default="doc", help=by_help + " (default: doc)")
    _add_doc(p)
    # keywords
    p = sub.add_parser("freq", parents=[common],
                       help="word list: term, count, per_1000, range, dp")
    p.add_argument("--by", default=None, help=by_help + " (default: one list)")
    _add_doc(p, "only this document id (default: whole corpus)")
    _add_top(p)
    p.add_argument("--ngram", type=int, default=1, help="1 (terms), 2 or 3 (n-grams)")
    p.add_argument("--min-range", type=int, default=1, dest="min_range",
                   help="only terms in at least N documents of their group")
    _add_stopwords(p)
    p.add_argument("--stem", action="store_true", help="group word forms by Snowball stem")
    _add_layers(p, "count", "CoNLL-U, DocBin or --annotate")
    p.add_argument("--query", "--cql", default=None, metavar="QUERY",
                   help="count the matches of a query (word, phrase, glob, /regex/ or CQL "
                        "such as '[lemma=\"road\"] \"to\" []'), each by its words as written, "
                        "or by their --lemma or --layer values")
    p = sub.add_parser("keyness", parents=[common, coding],
                       help="keywords of a target against a reference (G2, log ratio, %%DIFF)")
    p.add_argument("--target", default=None,
                   help="document id, DOC:SECTION or a group COLUMN=VALUE (genre=news)")
    p.add_argument("--reference", default="rest",
                   help="document id, DOC:SECTION, COLUMN=VALUE, 'rest' (default) or "
                        "'general' (wordfreq)")
    p.add_argument("--by", default=None,
                   help="every group of this unit or column against the rest, in one table")
    _add_top(p, "top N positive and N negative")
    p.add_argument("--direction", choices=("both", "positive", "negative"), default="both")
    p.add_argument("--form", choices=("four-cell", "two-cell"), default="four-cell",
                   help="log-likelihood: Dunning/AntConc four-cell or UCREL two-cell")
    p.add_argument("--min-count", type=int, default=2, dest="min_count")
    _add_stopwords(p)
    p.add_argument("--measures", default=None,
                   help="further columns, comma-separated: simple_maths, odds_ratio (with "
                        "its 95%% interval), chi2_yates, fisher (exact p where an expected "
                        "count is below 5), or all")
    p.add_argument("--smoothing", type=float, default=1.0,
                   help="Kilgarriff's N of simple_maths (default 1)")
    p.add_argument("--level", type=int, default=None,
                   help="with --dictionary: compare the categories of this level (1 = top)")
    _add_layers(p, "compare", "CoNLL-U")
    p = sub.add_parser("kwic", parents=[common, coding], help="keyword in context")
    p.add_argument("term", help="word, phrase, glob (road*), /regex/, a CQL query "
                                "('[lemma=\"road\"] [upos=\"ADP\"]') or @CATEGORY of "
                                "--dictionary")
    p.add_argument("--window", type=int, default=5,
                   help="words of context each side (default 5)")
    p.add_argument("--sort", choices=("position", "left", "right", "keyword"),
                   default="position")
    _add_regex(p)
    _add_doc(p)
    p.add_argument("--by", default=None, help="show this document variable's group first")
    _add_top(p, "only the first TOP lines (in the order of --sort; the number of lines in all "
                "on stderr)")
    p = sub.add_parser("sketch", parents=[common],
                       help="word sketch of a lemma from an annotated corpus's dependencies: "
                            "relation, collocate, count, node_count, collocate_count, logdice "
                            "(Rychly 2008); with --groups A,B the word sketch difference")
    p.add_argument("lemma", help="the node, as the lemma layer spells it (road, China)")
    p.add_argument("--by", default=None,
                   help=by_help + " (a sketch per group; with --groups, the grouping of the "
                                  "two groups)")
    p.add_argument("--groups", default=None, metavar="A,B",
                   help="compare two groups of --by (or, without --by, two units: document "
                        "ids or COLUMN=VALUE): the collocates each prefers")
    p.add_argument("--relation", default=None,
                   help="only this relation: modifiers, modifies, subjects, subject_of, "
                        "objects, object_of, coordination, pp or pp_obj")
    p.add_argument("--pos", default=None, metavar="UPOS",
                   help="only the lemma's tokens of this part of speech (NOUN, VERB...)")
    p.add_argument("--min-count", type=int, default=1, dest="min_count",
                   help="only pairs counted at least N times (default 1)")
    _add_top(p, "first N collocates of each relation")
    p = sub.add_parser("collocates", parents=[common], help="collocates of a node word")
    p.add_argument("term", help="word, phrase, glob (road*), /regex/ or a CQL query "
                                "('[lemma=\"road\"] [upos=\"ADP\"]': the collocates of its "
                                "matched spans)")
    p.add_argument("--window", type=int, default=5,
                   help="words each side (default 5)")
    p.add_argument("--measure", choices=("pmi", "g2", "t"), default="pmi")
    p.add_argument("--min-count", type=int, default=None, dest="min_count",
                   help="only collocates seen at least N times in the windows (default 3 "
                        "for pmi, which ranks rare words first, 2 for g2 and t)")
    _add_stopwords(p, "keep stop words as collocates (default: drop them)")
    _add_regex(p)
    _add_doc(p)
    p.add_argument("--by", default=None, help=by_help + " (default: the whole corpus)")
    p = sub.add_parser("trends", parents=[common, coding],
                       help="rate of terms per year, month or week of the date column")
    p.add_argument("terms", nargs="+", metavar="TERM",
                   help="word, phrase, glob (road*), /regex/, a CQL query ('[lemma=\"road\"]')"
                        " or @CATEGORY of --dictionary")
    p.add_argument("--interval", choices=("decade", "year", "month", "week"), default="year")
    p.add_argument("--date", default="date", metavar="COLUMN",
                   help="the column dating the documents: a date, or a year as a number "
                        "(default: date)")
    p.add_argument("--by", default=None, help=by_help + " (default: one line per term)")
    _add_regex(p, "TERMs as regular expressions")
    p = sub.add_parser("dictionary", parents=[common, coding],
                       help="matches of a dictionary's categories per group, with their "
                            "audit, a sample to code and its precision")
    p.add_argument("--by", default=None, help=by_help + " (default: the whole corpus)")
    p.add_argument("--level", type=int, default=None,
                   help="count the categories of this level (1 = top; default: all levels)")
    p.add_argument("--nested-scope", choices=("key", "dictionary"), default="key",
                   dest="nested_scope",
                   help="key (default): a match inside a longer match of another category "
                        "counts too; dictionary: only the longer one counts")
    p.add_argument("--audit", action="store_true",
                   help="each entry with the word forms it matched, and the entries that "
                        "matched nothing")
    p.add_argument("--sample", type=int, default=None, metavar="N",
                   help="write N random matched sentences per category to --out FILE.csv "
                        "for a coder (column correct: yes/no)")
    p.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="with --sample, the new CSV file it writes (never overwritten); "
                        "else the file the table is written to, in --format")
    p.add_argument("--validate", type=Path, default=None, metavar="FILE.csv",
                   help="precision per category (Wilson 95%% interval) of a coded sample")
    # topics
    p = sub.add_parser("topics", parents=[common],
                       help="topics over sentence windows: topic, top terms, weight per group")
    p.add_argument("--k", type=int, default=None,
                   help="number of topics (default: best mean NPMI coherence over "
                        "k=3..min(20, segments/5))")
    p.add_argument("--method", choices=("nmf", "lda"), default="nmf")
    p.add_argument("--window", type=int, default=3, help="sentences per segment (default 3)")
    p.add_argument("--terms", type=int, default=8, help="top terms listed per topic")
    p.add_argument("--by", default=None, help=by_help + " (default: doc)")
    # sequences, lexical diversity, readability
    p = sub.add_parser("sequences", parents=[common],
                       help="collocations of 2 or 3 words scored by quanteda's lambda and z "
                            "(candidate multiword expressions)")
    p.add_argument("--size", type=int, choices=(2, 3), default=2, help="words per sequence")
    p.add_argument("--min-count", type=int, default=2, dest="min_count",
                   help="only sequences seen at least N times in their group (default 2)")
    _add_top(p)
    _add_stopwords(p, "keep sequences that start or end with a stop word (default: drop "
                      "them; they count in the statistics either way)")
    p.add_argument("--by", default=None,
                   help=by_help + " (default: the whole corpus); each group scored on its own")
    p = sub.add_parser("diversity", parents=[common],
                       help="lexical diversity per document or group: words, types, TTR, "
                            "MATTR, MTLD")
    p.add_argument("--by", default="doc", help=by_help + " (default: doc)")
    p.add_argument("--window", type=int, default=500,
                   help="MATTR window in words (default 500); shorter units have no MATTR")
    p.add_argument("--threshold", type=float, default=0.72,
                   help="MTLD factor threshold (default 0.72)")
    p = sub.add_parser("readability", parents=[common],
                       help="Flesch Reading Ease and Flesch-Kincaid grade per document or "
                            "group")
    p.add_argument("--by", default="doc", help=by_help + " (default: doc)")
    p = sub.add_parser("similarity", parents=[common],
                       help="pairs of documents or groups, the most similar first (cosine of "
                            "TF-IDF vectors or Jaccard of vocabularies); duplicates come first")
    p.add_argument("--by", default=None, help=by_help + " (default: doc)")
    p.add_argument("--measure", choices=("cosine", "jaccard"), default="cosine")
    _add_top(p, "the first N pairs")
    matrix = argparse.ArgumentParser(add_help=False)  # the dfm's features and trimming
    matrix.add_argument("--by", default="doc", help=by_help + " (default: doc)")
    matrix.add_argument("--features", default="words", choices=("words", "terms", "bigrams"),
                        help="words; terms (multiword expressions joined); bigrams (two "
                             "adjacent words of a sentence)")
    matrix.add_argument("--content", action="store_true",
                        help="content words only: no stop words, no token without a letter")
    matrix.add_argument("--stem", action="store_true", help="join words by Snowball stem")
    matrix.add_argument("--min-count", type=int, default=1, dest="min_count",
                        help="keep features counted at least N times (default 1)")
    matrix.add_argument("--min-share", type=float, default=0.0, dest="min_share",
                        help="keep features in at least this share of the units (default 0)")
    matrix.add_argument("--max-share", type=float, default=1.0, dest="max_share",
                        help="keep features in at most this share of the units (default 1)")
    matrix.add_argument("--max-features", type=int, default=None, dest="max_features",
                        metavar="N", help="of those, keep the N counted most often (default: "
                                          "all)")
    p = sub.add_parser("dfm", parents=[common, coding, matrix],
                       help="write the document-feature matrix (Matrix Market matrix.mtx, "
                            "features.txt, docvars.csv) for scipy, R Matrix or quanteda; "
                            "--dictionary FILE makes its categories the features")
    p.add_argument("--out", type=Path, required=True, metavar="DIR",
                   help="folder for the three files (never over existing ones)")
    p.add_argument("--weight", default="count",
                   choices=("count", "prop", "boolean", "logcount", "tfidf"),
                   help="cell values (default count; tfidf as quanteda's dfm_tfidf)")
    p = sub.add_parser("scale", parents=[common, matrix],
                       help="positions of the units on one dimension (Wordfish, Wordscores, LSS): "
                            "unit, position, se, low, high; --words: the word parameters")
    p.add_argument("--model", required=True, metavar="MODEL",  # checked by the handler, so
                   # that the parser does not import the models (and scipy) for every command
                   help="a model of analysis.textmodels.MODELS: wordfish (Slapin & Proksch "
                        "2008: from the counts alone), wordscores (Laver, Benoit & Garry "
                        "2003: from reference texts) or lss (Watanabe 2021: from seed words)")
    p.add_argument("--dir", default=None, dest="direction", metavar="A,B",
                   help="wordfish: two units, A placed left of B (default: the first two)")
    p.add_argument("--max-iter", type=int, default=None, dest="max_iter", metavar="N",
                   help="wordfish: the most rounds of estimation (default 100); not "
                        "converging in them is an error")
    p.add_argument("--reference-scores", default=None, dest="reference_scores",
                   metavar="COLUMN",
                   help="wordscores: a numeric document variable, the reference texts' "
                        "positions; documents without a value are the virgin texts")
    p.add_argument("--rescaling", default=None, choices=("none", "lbg", "mv"),
                   help="wordscores: position as the raw score (none, default), rescaled as "
                        "Laver, Benoit & Garry 2003 (lbg) or Martin & Vanberg 2008 (mv)")
    p.add_argument("--seeds", default=None, metavar="SET|FILE",
                   help="lss: seed words, 'sentiment' (Turney & Littman 2003, the default) or "
                        "a file (word,polarity CSV, or a dictionary with positive and negative)")
    p.add_argument("--context", default=None, metavar="TERM",
                   help="lss: score only the words around TERM (LSX's textstat_context)")
    p.add_argument("--words", action="store_true",
                   help="the word parameters (feature, beta, psi; feature, score) instead")
    p = sub.add_parser("explore", parents=[common],
                       help="write the explorer: one offline HTML file, each group's terms "
                            "against the rest (rates, G2, log ratio), a search box, and a "
                            "term's concordance lines and dispersion on a click")
    p.add_argument("--by", required=True,
                   help="doc, voice or a metadata column (party, outlet, ...)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.html",
                   help="the page to write (a file there is replaced, whole)")
    p.add_argument("--top", type=int, default=50,
                   help="keywords of each group per direction (default 50)")
    p.add_argument("--frequent", type=int, default=100,
                   help="the corpus's most frequent terms, besides the keywords (default 100)")
    p.add_argument("--lines", type=int, default=20,
                   help="concordance lines per term, spread evenly (default 20)")
    p.add_argument("--window", type=int, default=8,
                   help="words of context each side of a line (default 8)")
    p.add_argument("--max-groups", type=int, default=12, dest="max_groups",
                   help="the largest groups shown (default 12; the others are in the rest)")
    p = sub.add_parser("duplicates", parents=[common],
                       help="sets of exact and near-duplicate documents (Jaccard of word "
                            "shingles, Broder 1997): set, doc, kind, similarity, words, kept")
    p.add_argument("--threshold", type=float, default=0.9,
                   help="least shingle resemblance of near duplicates, above 0 and at most 1 "
                        "(default 0.9)")
    p.add_argument("--shingle", type=int, default=5,
                   help="words per shingle (default 5)")
    _add_table_out(sub)
    return parser


def _add_table_out(sub) -> None:
    """``--out FILE`` on every subcommand that prints a table and has no ``--out`` of its own
    (dfm's folder, dictionary's, build's)."""
    for p in sub.choices.values():
        if not any("--format" in action.option_strings for action in p._actions):
            continue  # prints no table (build)
        if any("--out" in action.option_strings for action in p._actions):
            continue
        p.add_argument("--out", type=Path, default=None, metavar="FILE",
                       help="write the table to FILE in --format (a whole file, replaced at "
                            "once) instead of standard output; --format parquet needs it")
        p.set_defaults(table_out=True)


def _table_out(args) -> Path | None:
    """The file the table goes to (``--out``), or None: standard output. dictionary's
    ``--out`` is the table's file too, except with ``--sample`` (the coder's CSV)."""
    if getattr(args, "table_out", False) or (
            args.command == "dictionary" and args.sample is None):
        return args.out
    return None


def neutralise(text: str) -> str:
    """Control characters as visible escapes (``\\x1b``), and bidirectional controls too
    (``\\u202e``), for a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


def _write(table, fmt: str) -> None:
    if fmt in ("csv", "tsv"):  # exact: csv, tsv and json are for programs
        table.to_csv(sys.stdout, index=False, sep="," if fmt == "csv" else "\t")
    elif fmt == "json":
        sys.stdout.write(table.to_json(orient="records", force_ascii=False,
                                       double_precision=15) + "\n")
    elif table.empty:
        sys.stdout.write("(no rows)\n")
    else:
        shown = table.rename(columns=lambda c: neutralise(str(c)))
        for column in shown.columns[shown.dtypes.astype(str).isin(["object", "str"])]:
            values = shown[column]
            text = "".join(v for v in values.tolist() if isinstance(v, str))
            if "\n" in text or _CONTROL.search(text):  # else every cell is shown as it is
                shown[column] = values.map(
                    lambda v: neutralise(v.replace("\n", " ")) if isinstance(v, str) else v)
        lines = _plain_lines(shown)
        if lines is None:
            sys.stdout.write(shown.to_string(index=False) + "\n")
        else:  # line by line: a table of long texts padded to their width is large
            for line in lines:
                sys.stdout.write(line + "\n")
    if fmt == "table" and table.attrs.get("footer"):
        sys.stdout.write(neutralise(table.attrs["footer"]) + "\n")


def _check_out(path: Path, corpus: Path | None) -> None:
    """Refuse, in one line (:class:`UsageError`), an ``--out`` that is a folder, in a missing
    folder, or the corpus or inside it (the corpus is never written to)."""
    from analysis import config

    corpus = Path(corpus) if corpus is not None else config.DEFAULT_CORPUS
    target = path.resolve()
    if corpus.exists() and (target == corpus.resolve() or (
            corpus.is_dir() and target.is_relative_to(corpus.resolve()))):
        raise UsageError(f"--out {path}: inside the corpus, which is never written to")
    if path.is_dir():
        raise UsageError(f"--out {path}: a folder; give a file name")
    if not path.parent.is_dir():
        raise UsageError(f"--out {path}: no folder {path.parent}")


def _write_file(table, fmt: str, path: Path, corpus: Path | None) -> None:
    """Write a table to ``path`` in ``fmt``, whole or not at all.

    The table is written under a temporary name in the same folder and renamed over
    ``path`` (``os.replace``), so a reader never sees half a file and a failed write leaves
    what was there. Text formats are what :func:`_write` prints; parquet is the table with
    its column types (``DataFrame.to_parquet`` with pyarrow, no index). Refused as
    :func:`_check_out` says.
    """
    _check_out(path, corpus)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if fmt == "parquet":
            frame = table.rename(columns=str)
            frame.attrs = {}  # data only, as csv and json
            frame.to_parquet(temporary, index=False)
        else:
            with open(temporary, "w", encoding="utf-8", newline="") as handle, \
                    contextlib.redirect_stdout(handle):
                _write(table, fmt)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# pprint_thing's escapes, which DataFrame.to_string applies to every string.
_ESCAPES = {9: "\\t", 10: "\\n", 13: "\\r"}


def _float_cells(values):
    """The cells of a column of floats as ``DataFrame.to_string`` writes them, where pandas
    writes them in fixed notation (no missing value, none past 1e6 or nearer 0 than 1e-6;
    pandas's precision option at its default of 6, checked by :func:`_plain_lines`), else
    None.

    pandas formats each value with 6 decimals, then removes the trailing zeros that every
    cell of the column has, keeping one digit after the point.
    """
    values = values.tolist()
    if not all(v == 0.0 or 1e-6 <= abs(v) <= 1e6 for v in values):  # NaN fails both
        return None
    cells = [f"{v:.6f}" for v in values]
    trim = 0  # the trailing zeros every cell has (each has six decimals)
    while trim < 6 and all(c[-1 - trim] == "0" for c in cells):
        trim += 1
    if trim:
        cells = [c[:-trim] for c in cells]
    if trim == 6:  # pandas leaves one 0 after the point
        cells = [c + "0" for c in cells]
    return cells


def _plain_lines(table):
    """The lines of ``table.to_string(index=False)`` for a table of strings, integers and
    floats (:func:`_float_cells`), made one at a time, else None.

    pandas formats such a table cell by cell (over a second for the 50,000 lines of a
    concordance of a large corpus); this lays out the same text, column by column: headers
    of integer columns get a leading space, every cell is right-justified to its column's
    widest, columns are joined by one space (tests/test_cli.py compares the two on random
    tables).
    """
    import numpy as np
    import pandas as pd

    # pandas's options at their defaults: 6 decimals, no chopping of small values
    floats = (pd.get_option("display.precision") == 6
              and pd.get_option("display.chop_threshold") is None)
    columns = []
    for name in table.columns:
        values = table[name]
        numeric = isinstance(values.dtype, np.dtype) and values.dtype.kind in "iuf"
        if numeric and values.dtype.kind == "f":
            cells = _float_cells(values.to_numpy()) if floats else None
            if cells is None:
                return None
        elif numeric:
            cells = [str(v) for v in values.tolist()]
        elif values.dtype.kind in "OU" or str(values.dtype) == "str":
            cells = values.tolist()
            if not all(type(v) is str for v in cells):
                return None
            joined = "".join(cells)
            if "\t" in joined or "\n" in joined or "\r" in joined:
                cells = [v.translate(_ESCAPES) for v in cells]
        else:
            return None
        header = (" " if numeric else "") + str(name).translate(_ESCAPES)
        columns.append((max(len(header), *map(len, cells)), [header, *cells]))
    return (" ".join(cells[i].rjust(width) for width, cells in columns)
            for i in range(len(table) + 1))


def _ours(err: BaseException) -> bool:
    """Whether a ValueError was raised by this package's checks (bad input), not inside a
    library it calls (an internal error dressed as one)."""
    from analysis import config

    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and str(config.PACKAGE_DIR) in frames[-1].filename


def _new_log() -> tuple[Path, int] | None:
    """Create a new file for an internal error's traceback in ``.cache/logs/``.

    Returns
    -------
    (pathlib.Path, int) or None
        The file and a descriptor open for writing, or None where no file can be made
        safely. The name is random (``secrets.token_hex``) and the file is created
        exclusively (``O_CREAT | O_EXCL | O_NOFOLLOW``, mode 0o600) inside the ``logs``
        folder opened without following a link: a link planted in ``logs/``, or ``logs``
        itself a link, is never written through (no log is written then).
    """
    import secrets

    from analysis import config

    folder = config.CACHE_DIR / "logs"
    try:
        config.CACHE_DIR.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:  # not writable, or a link (O_NOFOLLOW: ELOOP) or a file in its place
        return None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        for _ in range(3):
            name = f"error-{secrets.token_hex(8)}.log"
            try:
                return folder / name, os.open(name, flags, 0o600, dir_fd=folder_fd)
            except FileExistsError:
                continue
            except OSError:
                return None
        return None
    finally:
        os.close(folder_fd)


def _internal(err: BaseException) -> int:
    """Report an internal error in one line, its traceback in a log file (:func:`_new_log`);
    exit status 1."""
    log = None
    made = _new_log()
    if made is not None:
        log, fd = made
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write("".join(traceback.format_exception(err)))
        except OSError:
            log = None
    first = (str(err).splitlines() or [""])[0][:200]
    print(neutralise(f"internal error: {type(err).__name__}: {first}"
                     + (f" (details: {log})" if log else "")), file=sys.stderr)
    return 1


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning as one line on stderr (e.g. a cache file ignored), without the source."""
    print(neutralise(f"warning: {' '.join(str(message).split())}"), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; return the exit status."""
    with warnings.catch_warnings():  # restored on return, for callers in the same process
        warnings.showwarning = _show_warning
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    args = make_parser().parse_args(argv)
    if getattr(args, "format", None) == "parquet" and getattr(args, "out", None) is None:
        print("error: --format parquet writes a file, not to the terminal: give --out "
              "FILE.parquet", file=sys.stderr)
        return 2
    out = _table_out(args)
    if out is not None:  # before the work, not after it
        try:
            _check_out(out, args.corpus)
        except UsageError as err:
            print(neutralise(f"error: {err}"), file=sys.stderr)
            return 2
    # Bad input is a ValueError: CorpusError, UsageError and the library's checks of values.
    bad_input: tuple[type[Exception], ...] = (ValueError,)
    if args.command == "build":
        from analysis.build import BuildError

        bad_input += (BuildError,)
    try:
        result = HANDLERS[args.command](args)
    except bad_input as err:
        if type(err) is ValueError and not _ours(err):
            return _internal(err)
        print(neutralise(f"error: {' '.join(str(err).split())}"), file=sys.stderr)
        return 2
    except MemoryError:
        print("error: out of memory (try a smaller --window or --top, or a --where subset)",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - one line and a log, not a traceback
        return _internal(err)
    if result is None or isinstance(result, int):
        return result or 0
    if out is not None:
        try:
            _write_file(result, args.format, out, args.corpus)
        except UsageError as err:
            print(neutralise(f"error: {err}"), file=sys.stderr)
            return 2
        except OSError as err:  # e.g. a full disk
            print(neutralise(f"error: cannot write --out {out}: {err.strerror or err}"),
                  file=sys.stderr)
            return 1
        print(neutralise(f"wrote {len(result)} rows to {out}"), file=sys.stderr)
        return 0
    if sys.stdout is None:  # started with standard output closed
        print("error: standard output is closed", file=sys.stderr)
        return 1
    if hasattr(sys.stdout, "reconfigure"):  # a terminal that cannot show a character
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        _write(result, args.format)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
    except OSError as err:  # e.g. a full disk
        print(f"error: cannot write the output: {err.strerror or err}", file=sys.stderr)
        return 1
    return 0
