"""Readers of the dictionary formats analysts hold: one function per format, each returning
the same rows ``(category path, pattern, source, line)`` that :func:`read_dictionary` checks
and turns into a :class:`~analysis.dictionaries.Dictionary`.

Formats (chosen from the file's suffix; ``fmt=`` overrides):

``yaml`` (``.yml``, ``.yaml``)
    quanteda's layout: a mapping of categories to lists of patterns, nested mappings for
    subcategories (``economy: {trade: [tariff*, export*]}``). Read with PyYAML's safe loader
    (no tags, so nothing in the file can run code); a key given twice in one mapping is an
    error, not silently the last one.
``liwc`` (``.dic``)
    LIWC's layout: a legend between two ``%`` lines (``1<TAB>posemo``; in the 2015 layout
    subcategories are indented with tabs under their parent), then one entry a line with the
    numbers of its categories (``happ*<TAB>1<TAB>3``). Parenthesised conditions of the 2007
    layout (``like`` with ``(02 134)``) are not read: the entry keeps its plain numbers, as
    quanteda's ``read_dict_liwc`` does.
``lexicoder`` (``.lc3``, ``.lcd``)
    Lexicoder's layout: ``+category`` lines, each followed by its patterns a line.
``wordstat`` (``.cat``)
    WordStat's layout: categories a line, entries a line with their weight (``ABANDON*
    (1)``); a tab of indentation nests one level deeper.
``csv`` (``.csv``)
    A header row ``category,pattern[,source]``: one entry a row; dots in ``category`` nest
    (``economy.trade``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from pathlib import Path

__all__ = ["DictionaryError", "FORMATS", "SUFFIXES", "format_of", "read_rows", "text_of"]

#: The formats :func:`read_rows` reads.
FORMATS = ("yaml", "liwc", "lexicoder", "wordstat", "csv")
#: File suffix -> format.
SUFFIXES = {".yml": "yaml", ".yaml": "yaml", ".dic": "liwc", ".lc3": "lexicoder",
            ".lcd": "lexicoder", ".cat": "wordstat", ".csv": "csv"}
#: Largest dictionary file read (bytes): LIWC-22 is about 1 MB, LSD2015 100 kB.
MAX_BYTES = 64 * 1024 * 1024

Row = tuple[tuple[str, ...], str, str, int]


class DictionaryError(ValueError):
    """A dictionary file that cannot be used; the message is one line naming the file (and
    line) and the problem."""


def format_of(path: Path, fmt: str | None = None) -> str:
    """The format of a dictionary file: ``fmt`` if given, else from the suffix.

    Examples
    --------
    >>> format_of(Path("lsd2015.lc3")), format_of(Path("scheme.txt"), "csv")
    ('lexicoder', 'csv')
    """
    if fmt is not None:
        if fmt not in FORMATS:
            raise DictionaryError(f"{path.name}: unknown dictionary format {fmt!r} (known: "
                                  f"{', '.join(FORMATS)})")
        return fmt
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DictionaryError(f"{path.name}: cannot tell the dictionary format from the "
                              f"suffix {suffix or '(none)'!r}; give --dictionary-format "
                              f"({', '.join(FORMATS)})")
    return SUFFIXES[suffix]


def text_of(path: Path) -> str:
    """The file's text: UTF-8 (a byte-order mark dropped), else Windows-1252, as LIWC and
    WordStat files made on Windows often are."""
    try:
        # Opened without blocking and checked before reading: a FIFO or a device named as a
        # dictionary is refused rather than waited on.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise DictionaryError(f"{path}: not a regular file")
            data = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise DictionaryError(f"{path}: cannot read the dictionary: "
                              f"{err.strerror or err}") from None
    if len(data) > MAX_BYTES:
        raise DictionaryError(f"{path.name}: larger than {MAX_BYTES >> 20} MB")
    if b"\x00" in data:
        raise DictionaryError(f"{path.name}: a binary file, not a dictionary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(path: Path, fmt: str) -> list[Row]:
    """The entries of a dictionary file as ``(category path, pattern, source, line)`` rows,
    in file order (declared categories without entries as rows with an empty pattern).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "d.lc3").write_text("+negative\\nabandon*\\n+positive\\nable\\n")
    >>> read_rows(folder / "d.lc3", "lexicoder")
    [(('negative',), 'abandon*', '', 2), (('positive',), 'able', '', 4)]
    """
    return _READERS[fmt](path, text_of(path))


def _yaml(path: Path, text: str) -> list[Row]:
    import yaml

    class Loader(yaml.BaseLoader):
        """Every scalar a string (``no``, ``on``, ``1.0`` stay words, as YAML 1.1's resolver
        would make them booleans and numbers), and a key given twice refused."""

    def mapping(loader, node):
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in seen:
                raise DictionaryError(f"{path.name}:{key_node.start_mark.line + 1}: category "
                                      f"{key!r} given twice at one level")
            seen.add(key)
        return yaml.BaseLoader.construct_mapping(loader, node, deep=True)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        # Aliases refused before anything is built: a few hundred bytes of nested aliases
        # would expand to millions of entries.
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.AliasEvent):
                raise DictionaryError(f"{path.name}:{event.start_mark.line + 1}: a YAML alias "
                                      f"(*{event.anchor}); write the entries out")
        root = yaml.compose(text, Loader=Loader)  # the nodes, for their line numbers
        data = yaml.load(text, Loader=Loader)  # noqa: S506 - BaseLoader builds strings only
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise DictionaryError(f"{path.name}{where}: broken YAML: {problem}") from None
    except RecursionError:
        raise DictionaryError(f"{path.name}: YAML nested too deeply") from None
    if not isinstance(data, dict) or not data:
        raise DictionaryError(f"{path.name}: expected a mapping of categories to lists of "
                              "patterns")
    rows: list[Row] = []

    def walk(node, value, category: tuple[str, ...]) -> None:
        line = node.start_mark.line + 1
        if isinstance(value, dict):
            if not value:
                rows.append((category, "", "", line))
            for (key_node, child_node), (key, child) in zip(node.value, value.items(),
                                                                strict=True):
                walk(child_node, child, (*category, _yaml_key(path, key_node, key)))
        elif isinstance(value, list):
            if not value:
                rows.append((category, "", "", line))
            for item_node, item in zip(node.value, value, strict=True):
                if isinstance(item, (dict, list)):
                    raise DictionaryError(f"{path.name}:{item_node.start_mark.line + 1}: "
                                          f"category {'.'.join(category)!r}: a list of "
                                          "patterns may hold only patterns")
                rows.append((category, "" if item is None else str(item), "",
                             item_node.start_mark.line + 1))
        elif value is None:
            rows.append((category, "", "", line))
        else:
            rows.append((category, str(value), "", line))

    for (key_node, child_node), (key, child) in zip(root.value, data.items(), strict=True):
        walk(child_node, child, (_yaml_key(path, key_node, key),))
    return rows


def _yaml_key(path: Path, node, key) -> str:
    """A category name of a YAML file: a dot would read as a level of nesting."""
    if not isinstance(key, str):
        raise DictionaryError(f"{path.name}:{node.start_mark.line + 1}: a category name must "
                              "be text")
    if "." in key:
        raise DictionaryError(f"{path.name}:{node.start_mark.line + 1}: category {key!r}: "
                              "nest subcategories as mappings, not with dots")
    return key.strip()


_LIWC_LEGEND = re.compile(r"(\t*)\s*(\d+)\s+(\S+)")


def _liwc(path: Path, text: str) -> list[Row]:
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        raise DictionaryError(f"{path.name}: a LIWC dictionary starts with its categories "
                              "between two lines holding only '%'")
    categories: dict[str, tuple[str, ...]] = {}
    parents: list[tuple[int, tuple[str, ...]]] = []  # (depth, path) of the open parents
    rows: list[Row] = []
    for i in range(marks[0] + 1, marks[1]):
        line = lines[i]
        if not line.strip():
            continue
        m = _LIWC_LEGEND.match(line)
        if m is None:
            raise DictionaryError(f"{path.name}:{i + 1}: expected 'NUMBER<TAB>category' "
                                  f"in the legend, not {line.strip()[:40]!r}")
        depth, number, name = len(m.group(1)), m.group(2).lstrip("0") or "0", m.group(3)
        # The name is the first word after the number: a description may follow it
        # ("posemo (Positive emotion)", "negemo<TAB>Negative emotion").
        if number in categories:
            raise DictionaryError(f"{path.name}:{i + 1}: category number {number} declared "
                                  "twice")
        while parents and parents[-1][0] >= depth:
            parents.pop()
        category = (*(parents[-1][1] if parents else ()), name)
        if category in categories.values():
            raise DictionaryError(f"{path.name}:{i + 1}: category {'.'.join(category)!r} "
                                  "declared twice at one level")
        categories[number] = category
        parents.append((depth, category))
    used: set[str] = set()
    for i in range(marks[1] + 1, len(lines)):
        line = re.sub(r"\(.*?\)|<of>", " ", lines[i]).strip()
        if not line:
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        word, numbers = fields[0].strip(), " ".join(fields[1:]).split()
        if not numbers:
            raise DictionaryError(f"{path.name}:{i + 1}: entry {word!r} names no category")
        for number in numbers:
            key = number.lstrip("0") or "0"
            if not number.isdigit() or key not in categories:
                raise DictionaryError(f"{path.name}:{i + 1}: entry {word!r} names category "
                                      f"{number!r}, which the legend does not declare")
            used.add(key)
            rows.append((categories[key], word, "", i + 1))
    # A parent category of the 2015 layout may have no entries of its own.
    parent_paths = {c[:k] for c in categories.values() for k in range(1, len(c))}
    for number, category in categories.items():
        if number not in used and category not in parent_paths:
            rows.append((category, "", "", marks[0] + 2))
    return rows


def _lexicoder(path: Path, text: str) -> list[Row]:
    rows: list[Row] = []
    category: tuple[str, ...] | None = None
    declared: dict[tuple[str, ...], int] = {}
    for i, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("+"):
            if category is not None and (not rows or rows[-1][0] != category):
                rows.append((category, "", "", i - 1))  # the previous category was empty
            category = (line[1:].strip(),)
            if category in declared:
                raise DictionaryError(f"{path.name}:{i}: category {category[0]!r} declared "
                                      f"twice (first on line {declared[category]})")
            declared[category] = i
            continue
        if category is None:
            raise DictionaryError(f"{path.name}:{i}: a pattern before the first '+category' "
                                  "line")
        rows.append((category, line, "", i))
    if category is not None and (not rows or rows[-1][0] != category):
        rows.append((category, "", "", i))
    if category is None:
        raise DictionaryError(f"{path.name}: no '+category' line")
    return rows


_WORDSTAT_ENTRY = re.compile(r"(.*?)\s+\(\s*-?\d+(?:\.\d+)?\s*\)\s*$")


def _wordstat(path: Path, text: str) -> list[Row]:
    rows: list[Row] = []
    stack: list[str] = []  # the open categories, one per tab of indentation
    has_entries: dict[tuple[str, ...], int] = {}
    for i, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        depth = len(raw) - len(raw.lstrip("\t"))
        line = raw.strip()
        m = _WORDSTAT_ENTRY.fullmatch(line)
        if m is not None:  # an entry of the category one tab out
            if depth == 0 or depth > len(stack):
                raise DictionaryError(f"{path.name}:{i}: entry {m.group(1)!r} is not inside "
                                      "a category (indent it one tab under its category)")
            category = tuple(stack[:depth])
            rows.append((category, m.group(1), "", i))
            has_entries[category] = has_entries.get(category, 0) + 1
            continue
        if "*" in line or "?" in line:
            raise DictionaryError(f"{path.name}:{i}: {line!r} looks like an entry without its "
                                  "weight; write it as 'WORD (1)'")
        if depth > len(stack):
            raise DictionaryError(f"{path.name}:{i}: category {line!r} is indented deeper "
                                  "than its parent (an entry ends with its weight, as "
                                  "'WORD (1)')")
        del stack[depth:]
        stack.append(line)
        if tuple(stack) in has_entries:
            raise DictionaryError(f"{path.name}:{i}: category {line!r} declared twice at "
                                  "one level")
        has_entries[tuple(stack)] = 0
    parents = {c[:k] for c in has_entries for k in range(1, len(c))}
    for category, n in has_entries.items():
        if n == 0 and category not in parents:
            rows.append((category, "", "", 0))
    if not has_entries:
        raise DictionaryError(f"{path.name}: no category")
    return rows


def _csv(path: Path, text: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if header[:2] != ["category", "pattern"]:
            raise DictionaryError(f"{path.name}:1: expected the header "
                                  "'category,pattern[,source]'")
        rows: list[Row] = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise DictionaryError(f"{path.name}:{line}: {len(values)} fields, the header "
                                      f"has {len(header)}")
            record = dict(zip(header, values, strict=True))
            category = tuple(part.strip() for part in record["category"].split("."))
            rows.append((category, record["pattern"], record.get("source", "").strip(), line))
    except csv.Error as err:
        raise DictionaryError(f"{path.name}:{reader.line_num}: {err}") from None
    return rows


_READERS = {"yaml": _yaml, "liwc": _liwc, "lexicoder": _lexicoder, "wordstat": _wordstat,
            "csv": _csv}
