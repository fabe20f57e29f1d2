"""Parameters declared once: the allowed values of a function's arguments, next to it.

A public function states its bounds with :func:`constrained` (as scikit-learn's
``_parameter_constraints`` and ``validate_params`` do), and every call is checked against
them in one place, :func:`check`, with one message: ``frequency(): ngram=5: must be one of 1,
2, 3``. The command line reads the same declarations (:func:`check` before it loads a corpus)
and turns a :class:`ParameterError` into its one line about the option (``--ngram 5: must be
one of 1, 2, 3``), so a bound is written once, for the library and the command line.

Examples
--------
>>> @constrained(top=[Interval(1, 10), None])
... def first(items, top=None):
...     return items[:top]
>>> first("abcdef", top=2)
'ab'
>>> first("abc", top=0)
Traceback (most recent call last):
...
analysis.params.ParameterError: first(): top=0: must be from 1 to 10 (a whole number), or None
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
from dataclasses import dataclass

__all__ = ["DOCS", "MAX_ROWS", "Interval", "OneOf", "ParameterError", "check", "constrained",
           "constraints", "shared_docs"]

#: Most rows a ``top`` asks for, and most of any count of documents or occurrences given as
#: a bound: far beyond any corpus's vocabulary, low enough to catch a typing slip.
MAX_ROWS = 1_000_000


class ParameterError(ValueError):
    """An argument outside its declared values; ``parameter``, ``value`` and the declared
    ``rules`` name it."""

    def __init__(self, function: str, parameter: str, value, rules: list):
        self.function, self.parameter, self.value, self.rules = function, parameter, value, rules
        super().__init__(f"{function}(): {parameter}={value!r}: must be {_allowed(rules)}")


@dataclass(frozen=True)
class Interval:
    """Finite numbers from ``low`` to ``high`` (either None: unbounded), whole numbers unless
    ``real``; ``open`` excludes both ends (``Interval(0, 1, real=True, open=True)`` is
    0 < x < 1), ``open="low"`` the low end only (``Interval(0, 1, real=True, open="low")`` is
    0 < x <= 1)."""

    low: float | None = None
    high: float | None = None
    real: bool = False
    open: bool | str = False

    def holds(self, value) -> bool:
        kind = numbers.Real if self.real else numbers.Integral
        if isinstance(value, bool) or not isinstance(value, kind) or not math.isfinite(value):
            return False
        low_open, high_open = self.open in (True, "low"), self.open is True
        return bool((self.low is None or (value > self.low if low_open else value >= self.low))
                    and (self.high is None or (value < self.high if high_open
                                               else value <= self.high)))

    def __str__(self) -> str:
        low, high = (None if end is None else f"{end:,}" for end in (self.low, self.high))
        what = "a finite number " if self.real else "a whole number "
        if low is not None and high is not None:
            if self.open == "low":
                return f"{what}above {low} and at most {high}".removeprefix("a finite number ")
            return (f"between {low} and {high} (exclusive)" if self.open else
                    f"from {low} to {high}" + ("" if self.real else " (a whole number)"))
        if low is not None:
            return f"{what}{'above' if self.open else 'of at least'} {low}"
        if high is not None:
            return f"{what}{'below' if self.open is True else 'of at most'} {high}"
        return what.strip() or "a number"


@dataclass(frozen=True)
class OneOf:
    """One of the values listed (compared with ``==``; True is not 1)."""

    values: tuple

    def __init__(self, *values):
        object.__setattr__(self, "values", values)

    def holds(self, value) -> bool:
        return any(isinstance(value, bool) == isinstance(v, bool) and bool(value == v)
                   for v in self.values)

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(v) if isinstance(v, str) else str(v)
                                     for v in self.values)


#: The documentation of the parameters that most analyses share, written once: a line of a
#: docstring that holds ``{processed}``, ``{by}`` or ``{where}`` alone becomes the entry
#: (:func:`shared_docs`).
DOCS = {
    "processed": "processed : Processed\n"
                 "    Output of :func:`analysis.text.process.process`.",
    "by": 'by : str, default "doc"\n'
          "    The units or groups: ``corpus``, ``doc``, ``section``, ``voice`` or a document\n"
          "    variable (:mod:`analysis.units`); the table's group columns are named after it.",
    "where": "where : str or list of str, optional\n"
             "    Only the documents that satisfy these conditions "
             "(:func:`analysis.units.select`).",
}


def shared_docs(function):
    """Write the shared parameter entries (:data:`DOCS`) into a function's docstring.

    Each line of the docstring that holds only ``{name}`` of a key of :data:`DOCS` becomes
    that entry, indented as the line was, as pandas and scikit-learn substitute their shared
    parameter texts: one text, the same in the source, ``help()``, the API reference and
    the doctests (which run on the docstring as written out).

    Examples
    --------
    >>> @shared_docs
    ... def words(processed, *, where=None):
    ...     '''Count words.
    ...
    ...     Parameters
    ...     ----------
    ...     {where}
    ...     '''
    >>> print(words.__doc__.splitlines()[4])
        where : str or list of str, optional
    """
    if function.__doc__:  # None under python -OO
        lines = []
        for line in function.__doc__.split("\n"):
            key = line.strip()
            if key.startswith("{") and key.endswith("}") and key[1:-1] in DOCS:
                indent = line[:len(line) - len(line.lstrip())]
                lines.extend(indent + part for part in DOCS[key[1:-1]].split("\n"))
            else:
                lines.append(line)
        function.__doc__ = "\n".join(lines)
    return function


def _allowed(rules: list) -> str:
    named = [str(rule) for rule in rules if rule is not None]
    return ", or ".join(named + (["None"] if None in rules else []))


def check(function, **arguments) -> None:
    """Check arguments against ``function``'s declarations, without calling it.

    Raises
    ------
    ParameterError
        The first argument (in the order given) outside its declared values.

    Examples
    --------
    >>> from analysis.frequency import frequency
    >>> check(frequency, ngram=2, top=None)
    >>> check(frequency, ngram=5)
    Traceback (most recent call last):
    ...
    analysis.params.ParameterError: frequency(): ngram=5: must be one of 1, 2, 3
    """
    _verify(function.__name__, constraints(function), arguments)


def _verify(function: str, declared: dict, arguments: dict) -> None:
    for name, value in arguments.items():
        rules = declared.get(name)
        if rules is None or any(value is None if rule is None else rule.holds(value)
                                for rule in rules):
            continue
        raise ParameterError(function, name, value, rules)


def constraints(function) -> dict[str, list]:
    """The declarations of a function made by :func:`constrained` (empty if none).

    Examples
    --------
    >>> from analysis.frequency import frequency
    >>> [str(rule) for rule in constraints(frequency)["ngram"]]
    ['one of 1, 2, 3']
    """
    return getattr(function, "__constraints__", {})


def constrained(**declared):
    """Declare the allowed values of some parameters of a function and check every call.

    Each keyword names a parameter and gives a list of rules (:class:`Interval`,
    :class:`OneOf`, ``None`` for None), any of which the value must satisfy; a single rule
    may be given without the list. The declarations are kept on the function
    (:func:`constraints`) for the command line and the documentation.
    """
    declared = {name: rules if isinstance(rules, list) else [rules]
                for name, rules in declared.items()}

    def decorate(function):
        signature = inspect.signature(function)
        unknown = set(declared) - set(signature.parameters)
        if unknown:  # a declaration must name the function's own parameters
            raise TypeError(f"{function.__name__}() has no parameter {sorted(unknown)}")

        @functools.wraps(function)
        def checked(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            _verify(function.__name__, declared, {name: value for name, value
                                                  in bound.arguments.items()
                                                  if name in declared})
            return function(*args, **kwargs)

        checked.__constraints__ = declared
        return checked

    return decorate
