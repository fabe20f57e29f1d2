"""The precision check a dictionary study owes its readers: a coder judges a random sample
of matches (:func:`analysis.dictionaries.lookup.sample`, written as CSV), and
:func:`precision` reads the judgements back into the precision of each category with its
Wilson interval.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd

from analysis.dictionaries.readers import DictionaryError, text_of
from analysis.intervals import wilson_interval

__all__ = ["NO", "YES", "precision"]

#: Values of ``correct`` read as a correct match, and as a wrong one (any case); blank rows
#: are not judged yet and left out.
YES = frozenset({"yes", "y", "1", "true"})
NO = frozenset({"no", "n", "0", "false"})
#: First characters of a cell the sample's CSV quotes (a spreadsheet would read a formula),
#: unquoted when read back.
QUOTED = frozenset("=+-@\t\r")


def precision(path) -> pd.DataFrame:
    """Precision per category of a coded sample.

    Parameters
    ----------
    path : str or Path
        A CSV written by ``dictionary --sample`` with ``category`` and ``correct`` columns;
        ``correct`` holds yes/no, y/n, 1/0, true/false (any case) or is blank (not coded).

    Returns
    -------
    DataFrame
        ``category, coded, correct, precision, low, high``: a row per category in the file's
        order; ``low``/``high`` the Wilson 95 % interval.

    Raises
    ------
    DictionaryError
        One line naming the file and row: a missing column, a ``correct`` value that is not
        one of the above, a row that does not parse.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "coded.csv"
    >>> _ = path.write_text("category,form,correct\\nroads,road,yes\\nroads,roads,no\\n"
    ...                     "roads,road,1\\ntrade,trade,\\n")
    >>> precision(path).to_dict("records")[0]["precision"]
    0.6667
    """
    path = Path(path)
    # Read as a dictionary file is (a regular file, a size limit, UTF-8 or, as a
    # spreadsheet may save it, Windows-1252).
    reader = csv.DictReader(io.StringIO(text_of(path), newline=""), strict=True)
    counts: dict[str, list[int]] = {}
    try:
        fields = reader.fieldnames or []
        missing = [c for c in ("category", "correct") if c not in fields]
        if missing:
            raise DictionaryError(f"{path.name}:1: no column {', '.join(missing)} (write "
                                  "the sample with dictionary --sample N --out FILE)")
        for row in reader:
            if None in row or None in row.values():
                raise DictionaryError(f"{path.name}:{reader.line_num}: not the "
                                      f"{len(fields)} fields of the header")
            value = (row["correct"] or "").strip().lower()
            category = row["category"]
            if category[:1] == "'" and category[1:2] in QUOTED:  # quoted when written
                category = category[1:]
            cell = counts.setdefault(category, [0, 0])
            if not value:
                continue
            if value not in YES | NO:
                raise DictionaryError(
                    f"{path.name}:{reader.line_num}: correct {row['correct']!r}: expected "
                    "yes or no (y/n, 1/0, true/false) or blank")
            cell[0] += 1
            cell[1] += value in YES
    except csv.Error as err:
        raise DictionaryError(f"{path.name}:{reader.line_num}: {err}") from None
    # No figure for the dictionary as a whole: the sample holds N matches of every category,
    # whatever its size, so pooling them would weigh a rare category like a common one.
    rows = []
    for category, (coded, correct) in counts.items():
        low, high = wilson_interval(correct, coded)
        rows.append({"category": category, "coded": coded, "correct": correct,
                     "precision": round(correct / coded, 4) if coded else math.nan,
                     "low": round(low, 4), "high": round(high, 4)})
    return pd.DataFrame(rows, columns=["category", "coded", "correct", "precision", "low",
                                       "high"])
