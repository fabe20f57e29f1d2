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

__all__ = ["NO", "YES", "for_spreadsheet", "precision", "wilson_interval"]

#: Values of ``correct`` read as a correct match, and as a wrong one (any case); blank rows
#: are not judged yet and left out.
YES = frozenset({"yes", "y", "1", "true"})
NO = frozenset({"no", "n", "0", "false"})
#: First characters a spreadsheet reads as the start of a formula.
FORMULA_STARTS = frozenset("=+-@\t\r")


def for_spreadsheet(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table whose text cells a spreadsheet cannot read as formulas.

    A coder opens the sample in a spreadsheet, and a corpus sentence starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return would be read as a formula there; such a
    cell gets a leading single quote, as OWASP's advice on CSV injection says.

    Examples
    --------
    >>> for_spreadsheet(pd.DataFrame({"left": ["=HYPERLINK(1)", "plain"]}))["left"].tolist()
    ["'=HYPERLINK(1)", 'plain']
    """
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: f"'{v}" if isinstance(v, str) and v[:1] in FORMULA_STARTS else v)
    return out


def wilson_interval(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson's score interval of a proportion (Wilson 1927).

    ``(p + z^2/2n -/+ z * sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``p = k/n``
    (Wilson, E. B. 1927, "Probable inference, the law of succession, and statistical
    inference", *JASA* 22(158), 209-212; Newcombe 1998, *Statistics in Medicine* 17,
    857-872, Table I, method 3).

    Examples
    --------
    Newcombe's (1998, Table II, method 3) worked examples: 81 of 263 gives 0.2553 to
    0.3662, 15 of 148 gives 0.0624 to 0.1605, 0 of 20 gives 0 to 0.1611.

    >>> [round(x, 4) for x in wilson_interval(81, 263)]
    [0.2553, 0.3662]
    >>> [round(x, 4) for x in wilson_interval(15, 148)]
    [0.0624, 0.1605]
    >>> [round(x, 4) for x in wilson_interval(0, 20)]
    [0.0, 0.1611]
    >>> wilson_interval(0, 0)
    (nan, nan)
    """
    if trials == 0:
        return math.nan, math.nan
    p = successes / trials
    z2 = z * z
    centre = p + z2 / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    scale = 1 + z2 / trials
    return max((centre - spread) / scale, 0.0), min((centre + spread) / scale, 1.0)


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
    for category, (coded, correct) in counts.items():
        low, high = wilson_interval(correct, coded)
        rows.append({"category": category, "coded": coded, "correct": correct,
                     "precision": round(correct / coded, 4) if coded else math.nan,
                     "low": round(low, 4), "high": round(high, 4)})
    return pd.DataFrame(rows, columns=["category", "coded", "correct", "precision", "low",
                                       "high"])
