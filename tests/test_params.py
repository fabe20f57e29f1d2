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
    assert str(Interval(0, real=True)) == "of at least 0"
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
        frequency(p, top=-1)
    with pytest.raises(ValueError, match=r"ngram=5: must be one of 1, 2, 3"):
        frequency(p, ngram=5)
    with pytest.raises(ValueError, match=r"sequences\(\): size=6"):
        sequences(p, 6)
    with pytest.raises(ValueError, match=r"threshold=1.5: must be between 0 and 1"):
        lexical_diversity(p, threshold=1.5)
    assert len(frequency(p, top=1)) == 1


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
])
def test_the_command_line_reads_the_same_declarations(argv, message, capsys, monkeypatch):
    # The bound is checked before the corpus is read: a corpus that cannot be read is not
    # what the line is about.
    monkeypatch.setattr(cli, "_processed", lambda args: pytest.fail("corpus read"))
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err, err
    assert "\n" not in err and "Traceback" not in err
