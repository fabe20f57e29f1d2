from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import cli, params
from analysis.corpus import load_corpus
from analysis.diversity import lexical_diversity
from analysis.frequency import frequency
from analysis.params import Interval, OneOf, ParameterError, constrained
from analysis.sequences import sequences
from analysis.text.process import process


@pytest.mark.parametrize("rule, value, holds", [
    (Interval(1, 10), 1, True), (Interval(1, 10), 10, True), (Interval(1, 10), 0, False),
    (Interval(1, 10), 11, False), (Interval(1, 10), np.int64(3), True),
    (Interval(1, 10), 2.0, False),             # a whole number is asked for
    (Interval(1, 10), True, False),            # True is not 1
    (Interval(1, 10), "3", False),
    (Interval(1), 10**9, True),                # no upper bound
    (Interval(0, 1, real=True, open=True), 0.5, True),
    (Interval(0, 1, real=True, open=True), 0.0, False),
    (Interval(0, 1, real=True, open=True), 1, False),
    (Interval(0, real=True), math.inf, False),  # finite numbers only
    (Interval(0, real=True), math.nan, False),
    (OneOf(1, 2, 3), 2, True), (OneOf(1, 2, 3), np.int64(3), True),
    (OneOf(1, 2, 3), 4, False), (OneOf(1, 2, 3), True, False),
    (OneOf("nmf", "lda"), "lda", True), (OneOf("nmf", "lda"), "LDA", False),
])
def test_rules_by_hand(rule, value, holds):
    assert rule.holds(value) is holds


def test_rules_say_what_they_allow():
    assert str(Interval(1, 1_000_000)) == "from 1 to 1,000,000 (a whole number)"
    assert str(Interval(0, 1, real=True, open=True)) == "between 0 and 1 (exclusive)"
    assert str(Interval(0, real=True)) == "a finite number of at least 0"
    assert str(Interval(0, 1, real=True, open="low")) == "above 0 and at most 1"
    assert str(Interval(1)) == "a whole number of at least 1"
    assert str(OneOf("nmf", "lda")) == "one of 'nmf', 'lda'"


def test_a_declared_function_is_checked_on_every_call_positional_or_keyword():
    @constrained(n=[Interval(1, 5), None], how=OneOf("a", "b"))
    def take(items, n=None, how="a"):
        return items[:n]

    assert take("abcdef", 2) == "ab" and take("abc") == "abc"
    with pytest.raises(ParameterError, match=r"^take\(\): n=0: must be from 1 to 5 \(a "
                                             r"whole number\), or None$") as caught:
        take("abc", 0)
    assert (caught.value.parameter, caught.value.value) == ("n", 0)
    with pytest.raises(ParameterError, match=r"how='c': must be one of 'a', 'b'"):
        take("abc", how="c")
    assert params.constraints(take)["how"] == [OneOf("a", "b")]
    with pytest.raises(TypeError, match="no parameter"):
        constrained(m=Interval(1))(take.__wrapped__)


def test_library_functions_refuse_what_they_once_took():
    p = process(load_corpus())
    # frequency(top=-1) gave an empty table and ngram=5 a table of 5-grams nobody documents
    with pytest.raises(ValueError, match=r"frequency\(\): top=-1: must be from 1 to "):
        frequency(p, top=-1, by="corpus")
    with pytest.raises(ValueError, match=r"ngram=5: must be one of 1, 2, 3"):
        frequency(p, ngram=5, by="corpus")
    with pytest.raises(ValueError, match=r"sequences\(\): size=6"):
        sequences(p, 6, by="corpus")
    with pytest.raises(ValueError, match=r"threshold=1.5: must be between 0 and 1"):
        lexical_diversity(p, threshold=1.5)
    assert len(frequency(p, top=1, by="corpus")) == 1


@pytest.mark.parametrize("argv, message", [
    (["freq", "--ngram", "5"], "--ngram 5: must be one of 1, 2, 3"),
    (["freq", "--top", "-1"], "--top -1: must be from 1 to 1,000,000 (a whole number)"),
    (["sequences", "--top", "0"], "--top 0: must be from 1 to 1,000,000"),
    (["kwic", "road", "--window", "101"], "--window 101: must be from 0 to 100"),
    (["topics", "--terms", "0"], "--terms 0: must be from 1 to 100"),
    (["diversity", "--threshold", "0"], "--threshold 0.0: must be between 0 and 1"),
    (["explore", "--by", "voice", "--out", "x.html", "--lines", "201"],
     "--lines 201: must be from 0 to 200"),
    (["explore", "--by", "voice", "--out", "x.html", "--max-groups", "0"],
     "--max-groups 0: must be from 1 "),
    # bounds the command line once wrote itself, now read from the functions' declarations
    (["keyness", "--by", "doc", "--top", "0"], "--top 0: must be from 1 to 1,000,000"),
    (["keyness", "--target", "a", "--min-count", "-1"], "--min-count -1: must be from 0"),
    (["collocates", "road", "--window", "51"], "--window 51: must be from 0 to 50"),
    (["collocates", "road", "--min-count", "0"], "--min-count 0: must be from 1"),
    (["similarity", "--top", "0"], "--top 0: must be from 1 to 1,000,000"),
    (["duplicates", "--threshold", "0"], "--threshold 0.0: must be above 0 and at most 1"),
    (["duplicates", "--shingle", "51"], "--shingle 51: must be from 1 to 50"),
    (["lines", "--min-documents", "0"], "--min-documents 0: must be from 1 to 1,000,000"),
    (["scale", "--model", "wordfish", "--max-iter", "0"], "--max-iter 0: must be from 1 to "),
])
def test_the_command_line_reads_the_same_declarations(argv, message, capsys, monkeypatch):
    # The bound is checked before the corpus is read: a corpus that cannot be read is not
    # what the line is about.
    monkeypatch.setattr(cli, "_processed", lambda args: pytest.fail("corpus read"))
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err, err
    assert "\n" not in err and "Traceback" not in err


@pytest.mark.parametrize("argv, message", [
    (["freq", "--compound-top", "10001"], "--compound-top 10001: must be from 0 to 10,000"),
    (["freq", "--drop-repeated-lines", "0"], "--drop-repeated-lines 0: must be from 1"),
    (["freq", "--header-lines", "0"], "--header-lines 0: must be from 1"),
    (["dfm", "--min-count", "0"], "--min-count 0: must be from 1"),
    (["dfm", "--max-share", "2"], "--max-share 2.0: must be from 0 to 1"),
])
def test_the_options_of_reading_and_of_the_matrix_read_them_too(argv, message, capsys,
                                                                tmp_path):
    argv = argv + ["--out", str(tmp_path / "m")] if argv[0] == "dfm" else argv
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err, err
    assert "\n" not in err and "Traceback" not in err
    assert not (tmp_path / "m").exists()


# Each declaration, with a value it refuses and the one message: written out by hand, so that
# a declaration taken away or changed fails here (the discovery test below checks them all).
DECLARED = [
    ("analysis.keyness", "keyness", {"smoothing": 0}, "smoothing=0: must be a finite number "
                                                      "above 0"),
    ("analysis.keyness", "keyness", {"form": "three-cell"},
     "form='three-cell': must be one of 'four-cell', 'two-cell'"),
    ("analysis.keyness", "top_keywords", {"direction": "up"},
     "direction='up': must be one of 'both', 'positive', 'negative'"),
    ("analysis.keyness", "keywords_by", {"reference": "doc"},
     "reference='doc': must be one of 'rest', 'general'"),
    ("analysis.keyness", "simple_maths", {"smoothing": -1.0}, "smoothing=-1.0: must be a "
                                                             "finite number above 0"),
    ("analysis.keyness", "log_likelihood", {"form": "x"}, "form='x': must be one of"),
    ("analysis.collocation", "collocates", {"left": 51}, "left=51: must be from 0 to 50"),
    ("analysis.collocation", "collocates", {"measure": "dice"},
     "measure='dice': must be one of 'pmi', 'g2', 't'"),
    ("analysis.trends", "trends", {"interval": "day"},
     "interval='day': must be one of 'decade', 'year', 'month', 'week'"),
    ("analysis.compare", "compare_terms", {"prior": "flat"},
     "prior='flat': must be one of 'corpus', 'general'"),
    ("analysis.compare", "compare_terms", {"alpha0": 0}, "alpha0=0: must be a finite number "
                                                         "above 0, or None"),
    ("analysis.compare", "label_terms", {"n": 0}, "n=0: must be from 1 to 1,000,000"),
    ("analysis.similarity", "similarity", {"measure": "dice"},
     "measure='dice': must be one of 'cosine', 'jaccard'"),
    ("analysis.similarity", "ranked_pairs", {"top": 0}, "top=0: must be from 1 to 1,000,000 "
                                                        "(a whole number), or None"),
    ("analysis.similarity", "representatives", {"n": 0}, "n=0: must be from 1"),
    ("analysis.positions", "fit_positions", {"min_count": 0}, "min_count=0: must be from 1"),
    ("analysis.positions", "pulling_words", {"n": 0}, "n=0: must be from 1"),
    ("analysis.duplicates", "duplicates", {"threshold": 1.5},
     "threshold=1.5: must be above 0 and at most 1"),
    ("analysis.duplicates", "dropped", {"shingle": 0}, "shingle=0: must be from 1 to 50"),
    ("analysis.dictionaries.lookup", "lookup", {"nested_scope": "all"},
     "nested_scope='all': must be one of 'key', 'dictionary'"),
    ("analysis.dictionaries.lookup", "lookup", {"level": 0}, "level=0: must be a whole number "
                                                             "of at least 1, or None"),
    ("analysis.dictionaries.lookup", "sample", {"n": 0}, "n=0: must be from 1 to 10,000"),
    ("analysis.dictionaries.lookup", "audit", {"top": 0}, "top=0: must be from 1"),
    ("analysis.actors", "actor_context", {"window": 0}, "window=0: must be from 1 to 50"),
    ("analysis.actors", "top_actors", {"n": 0}, "n=0: must be from 1"),
    ("analysis.stance", "modality", {"level": "word"},
     "level='word': must be one of 'modal', 'category'"),
    ("analysis.stance", "strongest_evaluations", {"n": 0}, "n=0: must be from 1"),
    ("analysis.overview", "suspected_noise", {"min_length": 0},
     "min_length=0: must be a whole number of at least 1"),
    ("analysis.phrases", "compound", {"top": -1}, "top=-1: must be from 0 to 10,000"),
    ("analysis.phrases", "top_phrases", {"n": 10_001}, "n=10001: must be from 0 to 10,000"),
    ("analysis.text.boilerplate", "repeated_lines", {"min_documents": 0},
     "min_documents=0: must be from 1"),
    ("analysis.text.boilerplate", "with_line_rules", {"header_lines": 0},
     "header_lines=0: must be from 1"),
    ("analysis.textmodels.wordfish", "wordfish", {"max_iter": 0},
     "max_iter=0: must be from 1 to 10,000"),
    ("analysis.textmodels.wordscores", "wordscores", {"rescaling": "z"},
     "rescaling='z': must be one of 'none', 'lbg', 'mv'"),
    ("analysis.textmodels.lss", "lss", {"k": 1}, "k=1: must be from 2"),
    ("analysis.textmodels.lss", "context_words", {"window": 0}, "window=0: must be from 1"),
]


def _allowed_value(rules):
    """A value a declaration allows."""
    rule = rules[0]
    if rule is None or isinstance(rule, OneOf):
        return None if rule is None else rule.values[0]
    low, high = rule.low, rule.high
    middle = [(low + high) / 2] if low is not None and high is not None else []
    return next(v for v in [low, (low or 0) + 1, *middle] if v is not None and rule.holds(v))


def _call(function, **arguments):
    """Call a declared function with a placeholder for each positional parameter without a
    default (an allowed value where it is declared): the declarations are checked before
    its body runs."""
    import inspect

    declared = params.constraints(function)
    needed = [p.name for p in inspect.signature(function).parameters.values()
              if p.default is inspect.Parameter.empty
              and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
              and p.name not in arguments]
    return function(*[_allowed_value(declared[n]) if n in declared else None for n in needed],
                    **arguments)


@pytest.mark.parametrize("module, name, arguments, message", DECLARED,
                         ids=[f"{m.rsplit('.', 1)[1]}.{n}-{next(iter(a))}"
                              for m, n, a, _ in DECLARED])
def test_each_declaration_refuses_with_the_one_message(module, name, arguments, message):
    import importlib

    function = getattr(importlib.import_module(module), name)
    with pytest.raises(ParameterError) as raised:
        _call(function, **arguments)
    assert str(raised.value).startswith(f"{name}(): {message}"), str(raised.value)


def test_the_matrix_methods_are_declared_too():
    from analysis.dfm import DFM

    with pytest.raises(ParameterError, match=r"^trim\(\): max_share=2: must be from 0 to 1$"):
        _call(DFM.trim, max_share=2)
    with pytest.raises(ParameterError, match=r"^weighted\(\): scheme='tf': must be one of"):
        _call(DFM.weighted, scheme="tf")


def _declared_functions():
    """Every function of the package's modules that declares its parameters."""
    import importlib
    import pkgutil

    import analysis

    found = {}
    for info in pkgutil.walk_packages(analysis.__path__, "analysis."):
        if info.name.startswith(("analysis.build", "analysis.__main__")):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            item = getattr(module, name, None)
            if params.constraints(item):
                found[f"{item.__module__}.{item.__name__}"] = item
    return sorted(found.items())


def _refused(rules):
    """A value that no rule of a declaration allows."""
    for value in ("no such value", -10**9, 10**12, math.nan, 0.5, True):
        if not any(value is None if rule is None else rule.holds(value) for rule in rules):
            return value
    raise AssertionError(f"no value outside {rules}")


def test_every_declaration_is_checked_when_its_function_is_called():
    functions = _declared_functions()
    assert len(functions) >= 40  # the table above and those declared before it
    for qualified, function in functions:
        for parameter, rules in params.constraints(function).items():
            value = _refused(rules)
            with pytest.raises(ParameterError) as raised:
                _call(function, **{parameter: value})
            assert str(raised.value).startswith(
                f"{function.__name__}(): {parameter}={value!r}: must be "), qualified
            assert (raised.value.parameter, raised.value.rules) == (parameter, rules), qualified


def test_shared_parameter_texts_are_written_once_and_filled_in():
    import importlib
    import inspect
    from pathlib import Path

    import analysis

    package = Path(analysis.__file__).parent
    sources = {path: path.read_text(encoding="utf-8") for path in package.rglob("*.py")}
    for key in ("processed", "where"):
        first_line = params.DOCS[key].split("\n")[1].strip()
        holders = [path.name for path, text in sources.items()
                   if first_line in text and path.name != "params.py"]
        assert holders == [], (key, holders)
    frequency_doc = inspect.getdoc(frequency)
    assert "{where}" not in frequency_doc and "{processed}" not in frequency_doc
    assert "    " + params.DOCS["where"].replace("\n", "\n    ") in frequency.__doc__
    left = []
    for path, text in sources.items():
        if "{where}" in text or "{by}" in text or "{processed}" in text:
            module = importlib.import_module(
                ".".join(path.relative_to(package.parent).with_suffix("").parts))
            for name, item in vars(module).items():
                doc = getattr(item, "__doc__", None) or ""
                if any(f"\n    {{{key}}}\n" in doc for key in params.DOCS):
                    left.append(f"{module.__name__}.{name}")
    assert left == []  # every docstring that names an entry is filled in
