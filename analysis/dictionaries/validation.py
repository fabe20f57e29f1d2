"""The precision check a dictionary study owes its readers: a coder judges a random sample
of matches (:func:`analysis.dictionaries.lookup.sample`, written as CSV), and
:func:`precision` reads the judgements back into the precision of each category with its
Wilson interval.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd

from analysis.dictionaries.readers import MAX_BYTES, DictionaryError
from analysis.intervals import wilson_interval

__all__ = ["NO", "YES", "precision"]

#: Values of ``correct`` read as a correct match, and as a wrong one (any case); blank rows
#: are not judged yet and left out.
YES = frozenset({"yes", "y", "1", "true"})
NO = frozenset({"no", "n", "0", "false"})


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
        order, then (with more than one category) ``(all)`` for every coded match;
        ``low``/``high`` the Wilson 95 % interval.

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
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DictionaryError(f"{path.name}: larger than {MAX_BYTES >> 20} MB")
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as err:
        raise DictionaryError(f"{path}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise DictionaryError(f"{path.name}: not UTF-8 text") from None
    counts: dict[str, list[int]] = {}
    with handle:
        reader = csv.DictReader(handle, strict=True)
        try:
            fields = reader.fieldnames or []
            missing = [c for c in ("category", "correct") if c not in fields]
            if missing:
                raise DictionaryError(f"{path.name}:1: no column {', '.join(missing)} (write "
                                      "the sample with dictionary --sample N --out FILE)")
            for row in reader:
                value = (row["correct"] or "").strip().lower()
                cell = counts.setdefault(row["category"], [0, 0])
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
        except UnicodeDecodeError:
            raise DictionaryError(f"{path.name}: not UTF-8 text") from None
    rows = []
    if len(counts) > 1:  # the dictionary as a whole, after its categories
        counts["(all)"] = [sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())]
    for category, (coded, correct) in counts.items():
        low, high = wilson_interval(correct, coded)
        rows.append({"category": category, "coded": coded, "correct": correct,
                     "precision": round(correct / coded, 4) if coded else math.nan,
                     "low": round(low, 4), "high": round(high, 4)})
    return pd.DataFrame(rows, columns=["category", "coded", "correct", "precision", "low",
                                       "high"])
