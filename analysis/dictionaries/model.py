"""The dictionary as data: :class:`Entry` and :class:`Dictionary`, and the checks every
reader's rows pass through (:func:`compile_rows`)."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.dictionaries.readers import DictionaryError

__all__ = ["Dictionary", "Entry", "compile_rows"]

#: Characters that make a piece of a pattern a glob.
GLOB_CHARS = frozenset("*?")
#: Most entries a dictionary may hold.
MAX_ENTRIES = 1_000_000
#: Most words a phrase entry may hold: an organisation's full name runs to a dozen
#: (*International Department of the Central Committee of the Communist Party of China*).
MAX_PHRASE = 16


@dataclass(frozen=True)
class Entry:
    """One pattern of one category.

    Attributes
    ----------
    category : tuple of str
        The category's path from the top level (``("economy", "trade")``).
    pattern : str
        The pattern as written in the file.
    words : tuple of str
        Its pieces, lower-cased, one per token: a literal token or a glob.
    source : str
        Where the entry comes from (a CSV dictionary's ``source`` column), or empty.
    line : int
        Its line in the file (0 when built in code).
    """

    category: tuple[str, ...]
    pattern: str
    words: tuple[str, ...]
    source: str = ""
    line: int = 0

    def label(self, level: int | None = None) -> str:
        """The category's name at a level: its first ``level`` parts joined by dots."""
        return ".".join(self.category[:level] if level else self.category)


@dataclass(frozen=True)
class Dictionary:
    """A coding scheme: categories and their entries, in the order the file gives them.

    Attributes
    ----------
    name : str
        The file's name (or the name given in code).
    entries : tuple of Entry
    case_study : bool
        Written for the seed corpus: the build applies it to other corpora only when asked.
    """

    name: str
    entries: tuple[Entry, ...]
    case_study: bool = False

    @property
    def depth(self) -> int:
        """Levels of nesting of the deepest category (1 for a flat dictionary)."""
        return max(len(e.category) for e in self.entries)

    def categories(self, level: int | None = None) -> list[str]:
        """The categories' names at a level (all levels by default), in file order."""
        return list(dict.fromkeys(e.label(level) for e in self.entries))

    @classmethod
    def from_mapping(cls, mapping: dict, name: str = "dictionary") -> Dictionary:
        """A dictionary from ``{category: [patterns] or {subcategory: ...}}``.

        Parameters
        ----------
        mapping : dict
            Categories to lists of patterns (a single pattern may stand alone), or to
            mappings of subcategories.
        name : str, default "dictionary"
            The name its messages and audits give it.
        """
        rows = []

        def walk(value, category):
            if isinstance(value, dict):
                for key, child in value.items():
                    walk(child, (*category, str(key)))
            else:
                for pattern in [value] if isinstance(value, str) else value:
                    rows.append((category, pattern, "", 0))

        walk(mapping, ())
        return compile_rows(name, rows)


def _pieces(pattern: str) -> tuple[str, ...]:
    """A pattern's pieces: whitespace-separated; a piece without glob characters is split
    into tokens as the texts are (``china's`` -> ``china``, ``'s``), lower-cased."""
    from analysis.text.segment import token_spans

    pieces: list[str] = []
    for piece in pattern.split():
        if GLOB_CHARS & set(piece):
            pieces.append(piece.lower())
        else:
            pieces.extend(token_spans(piece)[3])
    return tuple(pieces)


def compile_rows(name: str, rows, case_study: bool = False) -> Dictionary:
    """The ``(category path, pattern, source, line)`` rows of a reader, checked (one line
    naming the file, the line and the problem) and compiled into a :class:`Dictionary`.

    Parameters
    ----------
    name : str
        The file's name, for the messages.
    rows : iterable of tuple
        ``(category path, pattern, source, line)``; an empty pattern is a category declared
        without entries.
    case_study : bool, default False
        Mark the dictionary as written for the seed corpus.

    Examples
    --------
    >>> d = compile_rows("d.csv", [(("roads",), "road*", "", 2)])
    >>> d.entries[0].words, d.entries[0].line
    (('road*',), 2)
    """
    entries = []
    seen_categories: dict[tuple[str, ...], int] = {}
    for category, pattern, source, line in rows:
        where = f"{name}:{line}" if line else name
        label = ".".join(category)
        if not category or any(not part for part in category):
            raise DictionaryError(f"{where}: a category without a name")
        if not pattern.strip():
            raise DictionaryError(f"{where}: category {label!r} has no entries" if
                                  category not in seen_categories else
                                  f"{where}: empty pattern in category {label!r}")
        words = _pieces(pattern)
        if not words:
            raise DictionaryError(f"{where}: pattern {pattern!r} of category {label!r} has "
                                  "no word in it")
        if len(words) > MAX_PHRASE:
            raise DictionaryError(f"{where}: pattern {pattern!r} has {len(words)} words; at "
                                  f"most {MAX_PHRASE}")
        if any(set(word) <= GLOB_CHARS and "*" in word for word in words):
            raise DictionaryError(f"{where}: pattern {pattern!r} of category {label!r} would "
                                  "match every word")
        seen_categories.setdefault(category, line)
        entries.append(Entry(category, pattern.strip(), words, source, line))
        if len(entries) > MAX_ENTRIES:
            raise DictionaryError(f"{name}: more than {MAX_ENTRIES:,} entries")
    if not entries:
        raise DictionaryError(f"{name}: no entries")
    return Dictionary(name, tuple(entries), case_study)
