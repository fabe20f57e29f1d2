"""The curated word lists of ``analysis/lexicons/``, read in one place.

Each list is a UTF-8 CSV with a header row and a ``source`` or ``note`` column saying where
its entries come from. Cleaning, segmentation, multiword expressions, framing, stance and
actors read their lists through :func:`read_lexicon`; the stop words every analysis shares
are :func:`stop_words`.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from analysis import config

__all__ = ["english_stop_words", "read_lexicon", "read_lines", "read_word_list",
           "stop_words"]


def read_lexicon(name: str) -> list[dict[str, str]]:
    """Read ``analysis/lexicons/<name>.csv`` as a list of row dicts (UTF-8, header row).

    Examples
    --------
    >>> rows = read_lexicon("stopwords")
    >>> rows[1]
    {'word': 'mr', 'reason': 'honorific before names'}
    """
    path = config.LEXICONS_DIR / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_lines(path) -> list[tuple[int, str]]:
    """``(line number, text)`` of the lines of an analyst's UTF-8 list file (stop words,
    phrases, line patterns, header fields) that are neither blank nor comments (``#``), with
    line ends and a byte-order mark taken off.

    Raises
    ------
    ValueError
        One line naming the file (and the line): unreadable, not UTF-8, binary.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "list.txt"
    ...     _ = path.write_bytes(b"\\xef\\xbb\\xbf# a comment\\r\\n  two words \\r\\n\\n")
    ...     lines = read_lines(path)
    >>> lines
    [(2, '  two words ')]
    """
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ValueError(f"{path}: cannot be read ({err.strerror or err})") from None
    lines = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if b"\x00" in line:
            raise ValueError(f"{path}: line {number}: binary content (NUL bytes), expected "
                             f"UTF-8 text")
        try:
            text = line.decode("utf-8").rstrip("\r").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise ValueError(f"{path}: line {number}: not valid UTF-8") from None
        if text.strip() and not text.lstrip().startswith("#"):
            lines.append((number, text))
    return lines


def read_word_list(path) -> tuple[str, ...]:
    """Read an analyst's word list (stop words to add): one word or phrase a line, UTF-8
    (:func:`read_lines`); words are stripped and lower-cased, as terms are.

    Raises
    ------
    ValueError
        One line naming the file (and the line): unreadable, not UTF-8, binary.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "stops.txt"
    ...     _ = path.write_text("# outlet codes\\nDAWN\\n\\n  reuters \\n", encoding="utf-8")
    ...     words = read_word_list(path)
    >>> words
    ('dawn', 'reuters')
    """
    return tuple(text.strip().lower() for _, text in read_lines(path))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Stop words: scikit-learn's ``ENGLISH_STOP_WORDS`` plus ``lexicons/stopwords.csv``.

    Returns
    -------
    frozenset of str
        Lower-cased stop words.

    Examples
    --------
    >>> words = stop_words()
    >>> "the" in words, "mr" in words, "mr" in english_stop_words()
    (True, True, False)
    """
    return english_stop_words() | {row["word"] for row in read_lexicon("stopwords")}


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """scikit-learn's ``ENGLISH_STOP_WORDS`` (318 lower-cased English function words).

    Examples
    --------
    >>> words = english_stop_words()
    >>> len(words), "the" in words
    (318, True)
    """
    # scikit-learn's list is a plain module; load it without importing scikit-learn itself,
    # which would add about a second of start-up to every command-line call.
    import importlib.util
    from pathlib import Path

    package = Path(importlib.util.find_spec("sklearn").origin).parent
    spec = importlib.util.spec_from_file_location(
        "_sklearn_stop_words", package / "feature_extraction" / "_stop_words.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.ENGLISH_STOP_WORDS)
