"""The ``-p NAME=VALUE`` parameters of a build, checked before any notebook runs.

A value of the wrong type for its parameter, a number out of bounds, a dictionary, phrase
or line-pattern file that cannot be read: each is one line (:class:`BuildError`), the
command line's bad input, before any notebook runs, instead of a failed report in every
notebook. Files are made absolute, as the kernels start in the notebooks' folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from analysis.build.notebooks import parameter_defaults, parameter_names
from analysis.build.results import BuildError

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["DICTIONARY_PARAMETERS", "LINE_PARAMETERS", "MAX_PARAMETER"]

#: Largest whole number a ``-p`` value may be (sizes of tables, windows, numbers of topics).
MAX_PARAMETER = 1_000_000


def _check_parameters(read: list[NotebookNode], loaded, parameters: dict) -> None:
    """Check every ``-p`` value against the notebooks ``read`` and the corpus ``loaded``:
    each names a parameter some notebook has, of the type of its value there; ``BY`` names a
    grouping of the corpus; a dictionary is read and ``MODEL`` is a model's name. The
    dictionary files are made absolute in ``parameters``."""
    from analysis import units

    known = sorted({name for nb in read for name in parameter_names(nb)}
                   - {"CORPUS_DIR", "FIGURES_DIR", "WHERE"})
    defaults = {name: value for nb in read for name, value in parameter_defaults(nb).items()}
    for name, value in parameters.items():
        if name not in known:
            raise BuildError(f"-p {name}: no notebook has this parameter "
                             f"(known: {', '.join(known)})")
        _check_parameter(name, value, defaults.get(name))
    if isinstance(parameters.get("BY"), str):  # -p BY is --by: one line, not failed reports
        try:
            units.check_by(loaded, parameters["BY"])
        except ValueError as err:
            raise BuildError(f"-p BY: {err}") from None
    for name in DICTIONARY_PARAMETERS:
        if parameters.get(name) is not None:
            parameters[name] = _dictionary_parameter(
                name, parameters[name],
                parameters.get("DICTIONARY_LEVEL") if name == "DICTIONARY" else None)
    if parameters.get("MODEL") is not None:  # report 06's scaling model, known by name
        from analysis.textmodels import MODELS

        if parameters["MODEL"] not in MODELS:
            raise BuildError(f"-p MODEL={parameters['MODEL']!r}: one of {', '.join(MODELS)}")



def _check_parameter(name: str, value, default) -> None:
    """One line for a ``-p`` value of the wrong type for its parameter (the type of the
    value the notebooks give it), a number that is not finite, or a whole number out of
    bounds: refused before any notebook runs.

    Examples
    --------
    >>> _check_parameter("TOP_N", 5, 10)
    >>> _check_parameter("TOP_N", float("inf"), 10)
    Traceback (most recent call last):
    ...
    analysis.build.results.BuildError: -p TOP_N=inf: expected a whole number from 0 to 1,000,000
    """
    import math

    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) == isinstance(default, bool) or default is None
        expected = "True or False"
    elif isinstance(default, int) or isinstance(value, int):
        ok = isinstance(value, int) and 0 <= value <= MAX_PARAMETER or \
            (default is None and isinstance(value, int) and abs(value) <= MAX_PARAMETER)
        expected = f"a whole number from 0 to {MAX_PARAMETER:,}"
    elif isinstance(default, float) or isinstance(value, float):
        ok = isinstance(value, (int, float)) and math.isfinite(value)
        expected = "a finite number"
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value) \
            or isinstance(value, str)
        expected = "a list of words, ['a', 'b']"
    else:  # text, or None (then text, a list of words or a whole number)
        ok = isinstance(value, str) or value is None or (
            isinstance(value, list) and all(isinstance(v, str) for v in value))
        expected = "text"
    if not ok:
        raise BuildError(f"-p {name}={value!r}: expected {expected}"[:300])


def _compound_parameters(loaded, parameters: dict):
    """``-p COMPOUND=FILE`` (or a list of files) and ``-p COMPOUND_TOP=N``: the phrase files
    read once before any notebook runs (a bad line is one line naming the file and the
    line, not failed reports) and made absolute (the kernels start in the notebooks'
    folder). Returns the corpus with the phrases joined (``loaded`` itself without them).
    """
    from analysis.phrases import MAX_TOP, compound

    files = parameters.get("COMPOUND")
    top = parameters.get("COMPOUND_TOP") or 0
    if files is None and not top:
        return loaded
    if isinstance(top, bool) or not isinstance(top, int) or not 0 <= top <= MAX_TOP:
        raise BuildError(f"-p COMPOUND_TOP={top!r}: expected a whole number from 0 to "
                         f"{MAX_TOP:,}")
    if files is not None:
        listed = [files] if isinstance(files, str) else list(files)
        if not all(isinstance(f, str) and f.strip() for f in listed):
            raise BuildError(f"-p COMPOUND={files!r}: expected a phrase file or a list of "
                             f"them")
        listed = [str(Path(f).expanduser().resolve()) for f in listed]
        parameters["COMPOUND"] = listed[0] if isinstance(files, str) else listed
        try:
            return compound(loaded, listed, top)
        except ValueError as err:
            raise BuildError(f"-p COMPOUND: {err}") from None
    return compound(loaded, None, top)


#: Parameters of the line cleaning (:func:`analysis.text.boilerplate.with_line_rules`): every
#: notebook's parameters cell has them and passes them on, so every report reads the corpus
#: cleaned the same way.
LINE_PARAMETERS = ("DROP_REPEATED_LINES", "DROP_LINES", "HEADER_FIELDS", "HEADER_LINES")


def _line_rule_parameters(parameters: dict) -> dict:
    """The ``-p`` values of :data:`LINE_PARAMETERS` checked (whole numbers from 1, or a
    file), the files made absolute."""
    checked = {}
    for name in LINE_PARAMETERS:
        value = parameters.get(name)
        if value is None:
            continue
        if name in ("DROP_LINES", "HEADER_FIELDS"):
            if not isinstance(value, str) or not value.strip():
                raise BuildError(f"-p {name}={value!r}: expected a file")
            checked[name] = str(Path(value).expanduser().resolve())
        elif isinstance(value, bool) or not isinstance(value, int) \
                or not 1 <= value <= MAX_PARAMETER:
            raise BuildError(f"-p {name}={value!r}: expected a whole number from 1 to "
                             f"{MAX_PARAMETER:,}")
    return checked


def _with_line_rules(corpus, parameters: dict):
    """The corpus cleaned as the notebooks will clean it (the key the build checks their
    corpus against), or one line naming the file and its line: a pattern that does not
    compile, or (each run on the corpus's lines now) runs past its time limit."""
    from analysis.text.boilerplate import HEADER_LINES, check_line_patterns, with_line_rules

    try:
        cleaned = with_line_rules(
            corpus, drop_repeated_lines=parameters.get("DROP_REPEATED_LINES"),
            drop_lines=parameters.get("DROP_LINES"),
            header_fields=parameters.get("HEADER_FIELDS"),
            header_lines=parameters.get("HEADER_LINES") or HEADER_LINES)
        check_line_patterns(corpus, dict(cleaned.cleaning).get("drop_lines", ()))
    except ValueError as err:  # LinePatternError: the file and its line
        raise BuildError(str(err)) from None
    return cleaned


#: Parameters that name a dictionary file (the analyst's coding scheme, actors, metaphor
#: markers), or a built-in one by name.
DICTIONARY_PARAMETERS = ("DICTIONARY", "ACTORS", "METAPHORS", "FRAMES")


def _dictionary_parameter(name: str, value, level) -> str:
    """``-p DICTIONARY`` (``ACTORS``, ``METAPHORS``, ``FRAMES``): read once before any
    notebook runs (a broken file is one line, not a failed report), and made absolute (the
    kernels start in the notebooks' folder). ``METAPHORS`` and ``FRAMES`` may name the case
    study's (``case-study``), ``FRAMES`` also ``policy-frames``, ``DICTIONARY`` a built-in one;
    ``ACTORS`` is a file of names."""
    from analysis.dictionaries import CASE_STUDY, DictionaryError, read_dictionary
    from analysis.dictionaries.builtin import BUILTIN
    from analysis.dictionaries.lookup import check_level

    names = {"DICTIONARY": BUILTIN, "ACTORS": (), "METAPHORS": (CASE_STUDY,),
             "FRAMES": (CASE_STUDY, "policy-frames")}[name]
    if not isinstance(value, str) or not value.strip():
        raise BuildError(f"-p {name}={value!r}: expected a dictionary file or one of "
                         f"{', '.join(names)}")
    path = Path(value).expanduser()
    if value == CASE_STUDY and value in names and not path.exists():
        return value
    if value not in names or path.exists():
        value = str(path.resolve())
    try:
        dictionary = read_dictionary(value)  # a path by now, but for the names allowed
        check_level(dictionary, level)
    except DictionaryError as err:
        raise BuildError(f"-p {name}: {err}") from None
    if name == "ACTORS":
        from analysis.actors import check_actor_dictionary

        try:
            check_actor_dictionary(dictionary)
        except ValueError as err:
            raise BuildError(f"-p ACTORS: {err}") from None
    return value

