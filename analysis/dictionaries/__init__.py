"""Coding schemes: dictionaries of categories and patterns, read from the formats analysts
hold and applied to a corpus by one engine.

A :class:`Dictionary` is data: categories (which may nest: ``economy.trade``) and their
entries. An entry is a pattern as analysts write it, a word (``tariff``), a glob
(``immigra*``, ``*phobia``, ``colo?r``) or a phrase of words and globs (``asylum seeker*``),
matched case-insensitively against the corpus's tokens. :func:`read_dictionary` reads YAML,
LIWC, Lexicoder, WordStat and CSV files (:mod:`analysis.dictionaries.readers`) into the
data model (:mod:`analysis.dictionaries.model`); the engine (:mod:`analysis.dictionaries.lookup`)
counts, audits and samples, and :mod:`analysis.dictionaries.validation` reads a coded sample
back as each category's precision. :mod:`analysis.dictionaries.builtin` names the general
dictionaries any English corpus can take (``vader``, ``policy-frames``); ``data/`` holds the
shipped dictionaries as files.

Adding a dictionary format: a function of :mod:`analysis.dictionaries.readers` that turns a
file's text into rows, and its name in ``FORMATS``, its suffixes in ``SUFFIXES`` and its
function in the readers' table there; :func:`read_dictionary` then reads it, and so do
``--dictionary`` and the notebooks' ``DICTIONARY``.

Examples
--------
>>> d = Dictionary.from_mapping({"economy": {"trade": ["tariff*", "free trade"]},
...                              "security": ["border*"]})
>>> d.categories(), d.categories(level=1)
(['economy.trade', 'security'], ['economy', 'security'])
>>> [(e.pattern, e.words) for e in d.entries][:2]
[('tariff*', ('tariff*',)), ('free trade', ('free', 'trade'))]
"""

from __future__ import annotations

from pathlib import Path

from analysis.dictionaries.builtin import BUILTIN, builtin
from analysis.dictionaries.model import Dictionary, Entry, compile_rows
from analysis.dictionaries.readers import FORMATS, DictionaryError, format_of, read_rows

__all__ = ["BUILTIN", "CASE_STUDY", "FORMATS", "Dictionary", "DictionaryError", "Entry",
           "case_study_or_file", "read_dictionary"]

#: The name a report parameter gives the case study's own dictionary.
CASE_STUDY = "case-study"


def read_dictionary(path, fmt: str | None = None, *, case_study: bool = False) -> Dictionary:
    """Read a dictionary file in any of :data:`FORMATS`.

    Parameters
    ----------
    path : str or Path
        The file, or the name of a built-in dictionary
        (:data:`analysis.dictionaries.builtin.BUILTIN`) where no file has that name.
    fmt : str, optional
        One of :data:`FORMATS`; by default from the file's suffix (``.yml``/``.yaml``,
        ``.dic``, ``.lc3``/``.lcd``, ``.cat``, ``.csv``).
    case_study : bool, default False
        Mark it as written for the seed corpus.

    Returns
    -------
    Dictionary

    Raises
    ------
    DictionaryError
        One line naming the file, the line and the problem: an unreadable or broken file,
        an empty pattern, a category without entries, a LIWC entry naming an undeclared
        category, a category given twice at one level, a glob that would match every word.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "scheme.csv").write_text(
    ...     "category,pattern,source\\nmigration,immigra*,codebook p. 3\\n"
    ...     "migration,asylum seeker*,codebook p. 3\\n")
    >>> d = read_dictionary(folder / "scheme.csv")
    >>> d.categories(), d.entries[1].words, d.entries[1].line
    (['migration'], ('asylum', 'seeker*'), 3)
    """
    path = Path(path)
    if not path.exists() and str(path) in BUILTIN:
        return builtin(str(path))
    fmt = format_of(path, fmt)
    return compile_rows(path.name, read_rows(path, fmt), case_study=case_study)


def case_study_or_file(corpus, choice: str | None, case_study) -> Dictionary | None:
    """The dictionary a report applies where the case study has its own: the case study's
    (``case_study()``) on the seed corpus when nothing is asked (``choice=None``), none on
    another corpus, the case study's anywhere when asked (``"case-study"``), else the file
    ``choice``.

    The case study's dictionaries were written for the two seed texts; on other text they
    measure something else (literal *gold*, *storm*), so a report applies them elsewhere only
    when the analyst asks.

    Examples
    --------
    >>> from analysis.corpus import Corpus
    >>> case_study_or_file(Corpus(()), None, lambda: "the case study's") is None
    True
    >>> case_study_or_file(Corpus(()), "case-study", lambda: "the case study's")
    "the case study's"
    """
    from analysis import config

    if choice is None:
        seeds = bool(corpus.root) and Path(corpus.root).resolve() == config.SEEDS_DIR.resolve()
        return case_study() if seeds else None
    if choice == CASE_STUDY:
        return case_study()
    return read_dictionary(choice)
