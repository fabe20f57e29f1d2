"""Units and groups: the one place that reads ``by=``, ``where=`` and target specs.

Every analysis that counts *per something* asks this module what that something is, so the
whole library (and the command line) speaks one grouping vocabulary, as quanteda's
``docvars``, ``corpus_subset`` and ``dfm_group`` do.

Document variables
    Every column of ``metadata.csv`` (or of a table corpus) besides ``file`` and ``id``, typed
    by :func:`variables`: ``date`` (the column named ``date``: ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``, each keeping its precision), ``number`` (every value a number) or
    ``text``, from the values present: a cell read as missing
    (:data:`analysis.corpus.MISSING_VALUES`: blank, ``NA``, ``NaN``, ``null``, ``-``...) is
    blank here. A column blank for every document is left out.
``by``
    ``corpus`` (one group), ``doc``, ``section`` (a document's section; tables carry ``doc,
    section, voice``), ``voice`` (who speaks, from ``sections.csv``) or any document variable.
    Tables name the group column after it (``genre``, ``outlet``...). Groups of a variable
    come in sorted order (numbers by value, dates by time); documents without a value form
    the group :data:`MISSING`, last. See :func:`codes`.
Bins (``by`` of the form ``VARIABLE:HOW``)
    A number or a date grouped into ranges; the group column is named after the variable and
    the groups come in numeric order, :data:`MISSING` last (see :func:`bins`):

    - ``gdp:bins=0,1000,10000`` -- ranges between edges given in increasing order, each
      closed on the left and open on the right, the last closed on both sides (``[0,
      1000)``, ``[1000, 10000]``);
    - ``gdp:quantiles=4`` -- ranges holding about as many *documents* each: the edges are the
      quantiles of the documents' values (pandas' ``qcut``: linear interpolation, the first
      range closed, the others open on the left: ``Q1 [0, 250]``, ``Q2 (250, 900]``);
    - ``year:decade``, ``date:decade`` -- the decade of a number (a year) or of a date
      (``1990s``); only the decades that have documents are groups.

    Refused, with one line naming the ``by``: a specification that does not parse, a bin or
    quantile of a column that is not a number (a decade of one that is neither a number nor
    a date), a value outside the edges, and a range that no document falls in. Tied values
    can make two quantile edges equal (``qcut(..., duplicates="drop")`` would then give fewer
    ranges than asked): that is refused too, naming how many distinct ranges the values allow.
``where``
    Conditions on documents, all of which must hold: ``COLUMN=VALUE[,VALUE...]``,
    ``COLUMN!=VALUE[,VALUE...]`` and, for dates and numbers, ``<``, ``<=``, ``>``, ``>=``.
    ``COLUMN`` is ``doc`` (the id) or a variable. A partial date is a period: a document
    dated ``2020`` satisfies ``date=2020`` and ``date<2021`` but not ``date>=2020-03`` (it
    may be earlier), and ``date=2020`` holds for ``2020-03-04``. A document without a value
    satisfies no condition on that column (as SQL's NULL), except ``COLUMN=(none)``, which
    selects exactly those documents (``COLUMN!=(none)`` the others). See :func:`select`.
A unit spec (a keyness target or reference)
    A document id, ``DOC:SECTION``, or conditions as in ``where`` (``genre=news``;
    ``genre=news;date>=2020`` for several). See :func:`unit_mask`.

Inputs are the :class:`~analysis.corpus.Corpus` of :mod:`analysis.corpus` and the tables of
:func:`analysis.text.process.process`; the outputs (group codes, labels, masks, selected
corpora) go to every analysis module (frequency, keyness, framing, ...) and to the command line.
"""

from __future__ import annotations

import calendar
import datetime
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.corpus import DATE_COLUMN, DATE_PATTERN, Corpus, is_date
from analysis.params import shared_docs
from analysis.text.process import Processed

__all__ = ["Condition", "DEFAULT_MAX_GROUPS", "MISSING", "RESERVED", "bins", "by_of", "by_size",
           "check_by", "codes", "default_by", "doc_mask", "doc_positions", "group_columns",
           "group_table", "grouped", "groups_of", "is_condition", "keep", "labels", "largest",
           "names", "paragraph_codes", "parse_where", "parts_by", "per_group", "prepare",
           "restrict", "row_labels", "select", "sentence_rows", "spread", "unit_mask",
           "unit_paragraphs",
           "variables", "word_codes"]

#: Units that are not document variables.
RESERVED = ("corpus", "doc", "section", "voice")
#: Columns the library's tables use: a variable of that name cannot be a ``by`` (its group
#: column would clash with the table's own).
TABLE_COLUMNS = frozenset(
    "term count per_1000 range dp forms words sentences paragraphs types ttr documents title "
    "period low high target_count reference_count target_per_1000 reference_per_1000 g2 "
    "p_value log_ratio pct_diff direction collocate score node_count collocate_count expected "
    "pmi t_score simple_maths odds_ratio or_low or_high chi2_yates fisher_p "
    "frame share total category modal group actor type mentions sentence position "
    "left keyword right query matches role similarity content_terms unit topic label weight "
    "segments parts mean min median max marker kind domain paragraph start end text "
    "collocation length lambda sigma z mwe mattr mtld syllables words_per_sentence "
    "syllables_per_word flesch flesch_kincaid form match correct set kept "
    "se alpha beta psi feature reference raw raw_se warning".split())
#: The group of documents without a value of the variable.
MISSING = "(none)"
_OPERATORS = ("!=", ">=", "<=", "=", ">", "<")


# --------------------------------------------------------------------------- variables


@lru_cache(maxsize=8)
def variables(corpus: Corpus) -> pd.DataFrame:
    """The document variables: one row per document, ``doc`` then one column per variable.

    Parameters
    ----------
    corpus : Corpus
        The loaded corpus.

    Returns
    -------
    DataFrame
        Values as text (blank where a document has none). ``attrs["kinds"]`` maps each
        variable to ``"date"``, ``"number"`` or ``"text"``. A column blank for every document
        is left out. ``lang`` is each document's language (:func:`analysis.lang.languages`),
        last unless the metadata has it, where a language was given or one other than
        English detected. Callers must not modify it.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> table = variables(load_corpus())
    >>> table.attrs["kinds"]["date"], table.attrs["kinds"]["genre"]
    ('date', 'text')
    """
    names: dict[str, None] = {}
    for doc in corpus:
        names.update(dict.fromkeys(k for k in doc.metadata if k not in ("id", "file")))
    columns: dict[str, list[str]] = {"doc": list(corpus.ids)}
    kinds = {}
    for name in names:
        values = [doc.metadata.get(name, "") or "" for doc in corpus]
        given = [v for v in values if v]
        if not given or name in RESERVED:
            continue
        columns[name] = values
        if name == DATE_COLUMN:
            kinds[name] = "date"
        elif all(_number(v) is not None for v in dict.fromkeys(given)):  # each value once
            kinds[name] = "number"
        else:
            kinds[name] = "text"
    # The language of each document (analysis.lang): its lang column as a code, or the
    # corpus's --lang, or detected; a variable, after the metadata's own, wherever a
    # language was given or one other than English was detected (an English corpus keeps
    # the variables it had).
    from analysis.lang import LANG_COLUMN, languages

    langs = languages(corpus)["lang"].tolist()
    if LANG_COLUMN in columns or corpus.lang or set(langs) - {"en"}:
        columns[LANG_COLUMN] = langs
        kinds[LANG_COLUMN] = "text"
    # One frame made from all the columns at once: added one by one, each insert copies the
    # frame's index of columns, and 20,000 columns took minutes.
    table = pd.DataFrame(columns)
    table.attrs["kinds"] = kinds
    return table


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def _period(value: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a ``YYYY[-MM[-DD]]`` date."""
    year, month, day = DATE_PATTERN.fullmatch(value).groups()
    year = int(year)
    if day:
        first = datetime.date(year, int(month), int(day))
        return first, first
    if month:
        last_day = calendar.monthrange(year, int(month))[1]
        return datetime.date(year, int(month), 1), datetime.date(year, int(month), last_day)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _allowed(corpus: Corpus) -> list[str]:
    return [*RESERVED, *variables(corpus).attrs["kinds"]]


def check_by(corpus: Corpus, by: str) -> str:
    """Return ``by`` after checking it names a unit or a variable of the corpus.

    Raises
    ------
    ValueError
        One line that lists what is allowed.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> check_by(load_corpus(), "genre")
    'genre'
    >>> check_by(load_corpus(), "party")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: by 'party': not a unit or document variable of this corpus (allowed: ...)
    """
    if by in RESERVED:  # always allowed (none is a table column): no need to read variables
        return by
    if _binned(by) is not None and by not in variables(corpus).attrs["kinds"]:
        column = _binned(by)[0]
        try:
            check_by(corpus, column)
        except ValueError as err:  # named as given: by 'genre:decade'
            raise ValueError(str(err).replace(f"by {column!r}", f"by {by!r}", 1)) from None
        _doc_groups(corpus, by)  # the bins are computed, so a bad one is refused now
        return by
    if ":" in by and by not in variables(corpus).attrs["kinds"] \
            and by.partition(":")[0] in variables(corpus).attrs["kinds"]:
        raise ValueError(f"by {by!r}: expected VARIABLE:bins=EDGE,EDGE,..., "
                         f"VARIABLE:quantiles=N or VARIABLE:decade")
    allowed = [name for name in _allowed(corpus) if name not in TABLE_COLUMNS]
    if by in TABLE_COLUMNS and by in _allowed(corpus):
        raise ValueError(f"by {by!r}: the tables have a column of that name; rename the "
                         f"metadata column to group by it")
    if by not in allowed:
        raise ValueError(f"by {by!r}: not a unit or document variable of this corpus "
                         f"(allowed: {', '.join(allowed)})")
    return by


#: The most groups a variable may have to be the reports' default ``by``.
DEFAULT_MAX_GROUPS = 30


def default_by(corpus: Corpus) -> str:
    """The grouping the reports use when none is given.

    ``voice`` where ``sections.csv`` declares voices; else the first text variable with 2 to
    :data:`DEFAULT_MAX_GROUPS` distinct values and fewer values than documents (a column
    with one value per document, such as a title, only renames the documents); else
    ``doc``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> default_by(load_corpus())
    'voice'
    """
    if any(section.voice for doc in corpus for section in doc.sections):
        return "voice"
    table = variables(corpus)
    for name, kind in table.attrs["kinds"].items():
        distinct = table[name].nunique()  # a blank value is a group too ("(none)")
        if kind == "text" and 2 <= distinct <= DEFAULT_MAX_GROUPS and distinct < len(corpus):
            return name
    return "doc"


def group_columns(by: str) -> list[str]:
    """The columns that name a ``by`` group in a table: none for the corpus, ``doc, section,
    voice`` for a section, the unit or variable's own name otherwise.

    Examples
    --------
    >>> group_columns("section"), group_columns("genre"), group_columns("corpus")
    (['doc', 'section', 'voice'], ['genre'], [])
    """
    binned = _binned(by)
    if binned is not None:
        return [binned[0]]
    return {"corpus": [], "section": ["doc", "section", "voice"]}.get(by, [by])


# --------------------------------------------------------------------------- groups


def doc_positions(processed: Processed, table: pd.DataFrame) -> np.ndarray:
    """The corpus position of the document of every row of a table (its ``doc_index``, or
    its ``doc`` looked up among the corpus ids; -1 for an unknown id).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> doc_positions(p, pd.DataFrame({"doc": ["award-report", "songtao-article"]}))
    array([1, 0])
    """
    if "doc_index" in table.columns:
        return table["doc_index"].to_numpy(dtype=np.int64)
    return pd.Index(processed.corpus.ids).get_indexer(table["doc"]).astype(np.int64)


def sentence_rows(processed: Processed, table: pd.DataFrame) -> np.ndarray:
    """The sentence row (of :attr:`Processed.columns`) of every row of a table with ``doc``
    (or ``doc_index``) and ``sentence``, the sentence's number in its document from 1: the
    document's first sentence row plus the number less one (a document's sentences are
    consecutive rows).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> first = (p.columns.sent_doc == 1).argmax()  # award-report's first sentence row
    >>> rows = sentence_rows(p, pd.DataFrame({"doc": ["award-report", "songtao-article"],
    ...                                       "sentence": [3, 1]}))
    >>> rows.tolist() == [first + 2, 0]
    True
    """
    c = processed.columns
    per_doc = np.bincount(c.sent_doc, minlength=c.n_docs)
    return (np.cumsum(per_doc) - per_doc)[doc_positions(processed, table)] \
        + table["sentence"].to_numpy(dtype=np.int64) - 1


_BINNED = re.compile(r"(?P<column>.+):(?P<how>bins|quantiles|decade)(?:=(?P<arg>.*))?",
                     re.DOTALL)
#: Most ranges a ``bins=`` or ``quantiles=`` specification may ask for.
MAX_BINS = 100


def _binned(by: str) -> tuple[str, str, str | None] | None:
    """``(variable, how, argument)`` of a ``by`` that bins a variable, else None."""
    found = _BINNED.fullmatch(by)
    return None if found is None else (found["column"], found["how"], found["arg"])


def _show(x: float) -> str:
    """A bin edge as text: whole numbers without a decimal point, others to 6 digits."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:.6g}"


def bins(corpus: Corpus, by: str) -> pd.DataFrame:
    """The bins of a ``VARIABLE:HOW`` grouping (module docstring): each document's group.

    Returns
    -------
    DataFrame
        ``doc``, the variable's value (``value``, blank for none) and its group (named after
        the variable), in corpus order; ``attrs["groups"]`` lists the groups in order.

    Raises
    ------
    ValueError
        One line naming the ``by``: a specification that does not parse, a column of the
        wrong kind, a value outside the edges, an empty bin, tied quantiles.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> bins(load_corpus(), "date:decade")[["doc", "date"]].values.tolist()
    [['songtao-article', '2020s'], ['award-report', '2020s']]
    """
    binned = _binned(by)
    if binned is None:
        raise ValueError(f"by {by!r}: expected VARIABLE:bins=EDGE,EDGE,..., "
                         f"VARIABLE:quantiles=N or VARIABLE:decade")
    column, how, arg = binned
    table = variables(corpus)
    kind = table.attrs["kinds"].get(column)
    if kind is None:
        raise ValueError(f"by {by!r}: no document variable {column!r} (known: "
                         f"{', '.join(table.attrs['kinds'])})")
    values = table[column].tolist()
    if how == "decade":
        if arg is not None:
            raise ValueError(f"by {by!r}: decade takes no value ({column}:decade)")
        if kind not in ("number", "date"):
            raise ValueError(f"by {by!r}: {column} is {kind}; a decade needs a date or a "
                             f"number (a year)")
        years = [None if not v else _period(v)[0].year if kind == "date"
                 else math.floor(_number(v)) for v in values]
        decade = [None if y is None else y // 10 * 10 for y in years]
        order = sorted({d for d in decade if d is not None})
        labels = {d: f"{d}s" for d in order}
        group = [labels[d] if d is not None else MISSING for d in decade]
        names = [labels[d] for d in order]
    else:
        if kind != "number":
            raise ValueError(f"by {by!r}: {column} is {kind}, not a number; {how} need "
                             f"numbers")
        numbers = np.array([_number(v) if v else np.nan for v in values], dtype=float)
        given = numbers[~np.isnan(numbers)]
        if how == "bins":
            edges = _edges(by, arg)
            outside = given[(given < edges[0]) | (given > edges[-1])]
            if len(outside):
                raise ValueError(f"by {by!r}: {len(outside)} document"
                                 f"{'s' * (len(outside) != 1)} outside the edges (values "
                                 f"from {_show(given.min())} to {_show(given.max())})")
            names = [f"[{_show(lo)}, {_show(hi)})" for lo, hi in zip(edges[:-2], edges[1:-1],
                                                                     strict=True)]
            names.append(f"[{_show(edges[-2])}, {_show(edges[-1])}]")
            code = np.clip(np.searchsorted(edges, numbers, side="right") - 1, 0,
                           len(names) - 1)
        else:
            n = _count(by, arg)
            if not len(given):
                raise ValueError(f"by {by!r}: no document has a value of {column}")
            edges = np.unique(np.quantile(given, np.linspace(0, 1, n + 1)))
            if len(edges) - 1 < n:
                raise ValueError(f"by {by!r}: the values of {column} have ties, so only "
                                 f"{max(len(edges) - 1, 1)} distinct quantile ranges exist "
                                 f"(pandas' qcut would drop the others); ask for fewer or "
                                 f"give the edges with {column}:bins=...")
            names = [f"Q{k + 1} {'[' if k == 0 else '('}{_show(lo)}, {_show(hi)}]"
                     for k, (lo, hi) in enumerate(zip(edges[:-1], edges[1:], strict=True))]
            code = np.clip(np.searchsorted(edges, numbers, side="left") - 1, 0, n - 1)
        counts = np.bincount(code[~np.isnan(numbers)], minlength=len(names))
        if (counts == 0).any():
            empty = names[int(np.flatnonzero(counts == 0)[0])]
            raise ValueError(f"by {by!r}: no document falls in the bin {empty} "
                             f"({int((counts == 0).sum())} of {len(names)} bins empty)")
        group = [names[c] if not np.isnan(x) else MISSING
                 for c, x in zip(code.tolist(), numbers.tolist(), strict=True)]
    out = pd.DataFrame({"doc": corpus.ids, "value": values, column: group})
    out.attrs["groups"] = names + ([MISSING] if MISSING in group else [])
    return out


def _count(by: str, arg: str | None) -> int:
    """The N of ``quantiles=N``."""
    text = (arg or "").strip()
    if not text.isdigit() or not 2 <= int(text) <= MAX_BINS:
        raise ValueError(f"by {by!r}: quantiles=N takes a whole number from 2 to {MAX_BINS}")
    return int(text)


def _edges(by: str, arg: str | None) -> np.ndarray:
    """The edges of ``bins=A,B,...``: at least two finite numbers, increasing."""
    parts = [p.strip() for p in (arg or "").split(",")]
    numbers = [_number(p) if p else None for p in parts]
    if len(parts) < 2 or None in numbers or len(parts) > MAX_BINS + 1:
        raise ValueError(f"by {by!r}: bins=EDGE,EDGE,... takes 2 to {MAX_BINS + 1} numbers "
                         f"separated by commas")
    edges = np.array(numbers, dtype=float)
    if np.any(np.diff(edges) <= 0):
        raise ValueError(f"by {by!r}: the edges of bins= must increase")
    return edges


@lru_cache(maxsize=32)
def _doc_groups(corpus: Corpus, by: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Group code of each document for a variable, and the group labels in order."""
    table = variables(corpus)
    if by not in table.attrs["kinds"] and _binned(by) is not None:
        binned = bins(corpus, by)
        order = binned.attrs["groups"]
        index = {v: i for i, v in enumerate(order)}
        return (np.array([index[v] for v in binned[_binned(by)[0]]], dtype=np.int64),
                tuple(order))
    kind = table.attrs["kinds"][by]
    values = table[by].tolist()
    present = sorted({v for v in values if v},
                     key=(lambda v: (_number(v), v)) if kind == "number" else
                     (lambda v: (_period(v), v)) if kind == "date" else None)
    order = present + ([MISSING] if "" in values else [])
    index = {v: i for i, v in enumerate(order)}
    return np.array([index[v or MISSING] for v in values], dtype=np.int64), tuple(order)


def codes(processed: Processed, table: pd.DataFrame, by: str) -> tuple[np.ndarray, pd.DataFrame]:
    """The ``by`` group of every row of a table, as integer codes into a table of groups.

    Parameters
    ----------
    processed : Processed
        The corpus the table comes from.
    table : DataFrame
        Rows with a ``doc`` column (or ``doc_index``); ``section`` and ``voice`` columns for
        ``by="section"`` or ``"voice"`` (the token, sentence and paragraph tables have them).
    by : str
        See the module docstring.

    Returns
    -------
    codes : ndarray of int64
        Row ``i`` belongs to group ``codes[i]``.
    groups : DataFrame
        One row per group, in group order, with the columns of :func:`group_columns`:
        documents in corpus order, sections in text order, voices in order of first
        appearance, variable values sorted (see module docstring).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> row_codes, groups = codes(processed, processed.paragraphs, "voice")
    >>> groups["voice"].tolist()
    ['newspaper', 'Song Tao', 'award report']
    """
    check_by(processed.corpus, by)
    if by == "corpus":
        return np.zeros(len(table), dtype=np.int64), pd.DataFrame(index=[0])
    if by in ("section", "voice"):
        keys = group_columns(by)
        missing = [k for k in keys if k not in table.columns]
        if missing:
            raise ValueError(f"by {by!r}: these rows have no {missing[0]} (group them by doc "
                             f"or a document variable)")
        order = processed.paragraph_keys.drop_duplicates(keys)[keys].reset_index(drop=True)
        if by == "voice":
            index = pd.Index(order["voice"])
            return index.get_indexer(table["voice"]).astype(np.int64), order
        index = pd.MultiIndex.from_frame(order[["doc", "section"]])
        found = index.get_indexer(pd.MultiIndex.from_arrays(
            [table["doc"].to_numpy(), table["section"].to_numpy()]))
        return found.astype(np.int64), order
    return _doc_codes(processed, doc_positions(processed, table), by)


def _doc_codes(processed: Processed, doc: np.ndarray, by: str
               ) -> tuple[np.ndarray, pd.DataFrame]:
    """:func:`codes` of rows given by their documents' positions (a group of documents)."""
    if by == "corpus":
        return np.zeros(len(doc), dtype=np.int64), pd.DataFrame(index=[0])
    if by == "doc":
        return doc.astype(np.int64), pd.DataFrame({"doc": processed.corpus.ids})
    per_doc, names = _doc_groups(processed.corpus, by)
    return per_doc[doc], pd.DataFrame({group_columns(by)[0]: list(names)})


def paragraph_codes(processed: Processed, by: str) -> tuple[np.ndarray, pd.DataFrame]:
    """:func:`codes` of every paragraph of :attr:`Processed.columns`: the group of each of
    its tokens too (a token's document, section and voice are its paragraph's), which
    ``codes[columns.para_of(rows)]`` gives without a table of the tokens.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> para_codes, groups = paragraph_codes(p, "voice")
    >>> groups["voice"].tolist(), para_codes[p.columns.para_of([0, 2500])].tolist()
    (['newspaper', 'Song Tao', 'award report'], [0, 2])
    """
    check_by(processed.corpus, by)
    if by in ("section", "voice"):
        return codes(processed, processed.paragraph_keys, by)
    return _doc_codes(processed, processed.columns.para_doc, by)


def word_codes(processed: Processed, by: str) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """The word tokens of a corpus and the ``by`` group of each, from its arrays.

    Returns
    -------
    rows : ndarray of int
        The word tokens' rows in :attr:`Processed.columns`, in text order (read-only).
    codes : ndarray of int64
        Each word's group, a code into ``groups`` (as :func:`codes` gives).
    groups : DataFrame
        As :func:`codes`.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> rows, word_group, groups = word_codes(process(load_corpus()), "voice")
    >>> len(rows), np.bincount(word_group).tolist()
    (2483, [290, 1056, 1137])
    """
    para_codes, groups = paragraph_codes(processed, by)
    rows = processed.columns.word_rows
    return rows, para_codes[processed.columns.para_of(rows)], groups


def group_table(groups: pd.DataFrame) -> pd.DataFrame:
    """A table with a row per group and its group columns as text (none for the corpus),
    for the measures of each group to be added to.

    Examples
    --------
    >>> group_table(pd.DataFrame({"party": ["a", "b"]}))["party"].tolist()
    ['a', 'b']
    >>> len(group_table(pd.DataFrame(index=[0])).columns)
    0
    """
    if len(groups.columns):
        return groups.reset_index(drop=True).astype(str)
    return pd.DataFrame(index=range(len(groups)))


def labels(processed: Processed, table: pd.DataFrame, by: str) -> pd.DataFrame:
    """The group columns (:func:`group_columns`) of every row of a table, aligned with it.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> labels(p, p.paragraphs, "voice")["voice"].tolist()[:3]
    ['newspaper', 'newspaper', 'newspaper']
    """
    row_codes, groups = codes(processed, table, by)
    return groups.iloc[row_codes].set_index(table.index)


def grouped(processed: Processed, table: pd.DataFrame, by: str) -> pd.DataFrame:
    """A copy of a table with its ``by`` group: the group columns (named after ``by``) and
    ``_group``, the group's code into :func:`groups_of` (which sorts groups in order).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> table = grouped(p, p.paragraphs, "voice")
    >>> table[["doc", "paragraph", "voice", "_group"]].tail(2)  # doctest: +NORMALIZE_WHITESPACE
                 doc  paragraph         voice  _group
    24  award-report          6  award report       2
    25  award-report          7  award report       2
    """
    row_codes, groups = codes(processed, table, by)
    out = table.copy()
    for column in groups.columns:
        out[column] = groups[column].to_numpy()[row_codes]
    out["_group"] = row_codes
    return out


def row_labels(table: pd.DataFrame, by: str) -> pd.Series:
    """The group label of every row of a table that has the group columns of ``by``
    (:func:`group_columns`), as the tables of the analyses do: ``doc/section`` for a section,
    the value of ``by`` otherwise, ``corpus`` for the whole corpus.

    Raises
    ------
    ValueError
        The table lacks a group column of ``by``.

    Examples
    --------
    >>> table = pd.DataFrame({"doc": ["a", "b"], "section": ["main", "intro"],
    ...                       "voice": ["", "editor"]})
    >>> row_labels(table, "section").tolist(), row_labels(table, "corpus").tolist()
    (['a/main', 'b/intro'], ['corpus', 'corpus'])
    """
    missing = [c for c in group_columns(by) if c not in table.columns]
    if missing:
        raise ValueError(f"by {by!r}: the table has no {missing[0]!r} column")
    if by == "corpus":
        return pd.Series("corpus", index=table.index, dtype=object)
    if by == "section":
        return table["doc"].astype(str) + "/" + table["section"].astype(str)
    return table[group_columns(by)[0]].astype(str)


def by_of(table: pd.DataFrame, data_column: str) -> str:
    """The ``by`` a table of an analysis is grouped by, read off the columns before its first
    data column (the analyses put their group columns first): ``corpus`` without any,
    ``section`` for ``doc, section, voice``, else the one group column's name.

    Examples
    --------
    >>> by_of(pd.DataFrame(columns=["party", "term", "count"]), "term")
    'party'
    >>> by_of(pd.DataFrame(columns=["term", "count"]), "term")
    'corpus'
    """
    columns = list(table.columns[:list(table.columns).index(data_column)])
    if columns[:2] == ["doc", "section"]:
        return "section"
    return str(columns[0]) if columns else "corpus"


def names(processed: Processed, by: str) -> list[str]:
    """The labels (:func:`row_labels`) of the corpus's ``by`` groups that have text, in order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> names(process(load_corpus()), "voice")
    ['newspaper', 'Song Tao', 'award report']
    """
    groups = groups_of(processed, by)
    return row_labels(groups[groups["documents"] > 0], by).tolist()


def by_size(processed: Processed, by: str = "doc") -> list[str]:
    """The labels of the groups with text, the largest by words first (ties by label): the
    order in which computed sentences name groups (:mod:`analysis.narrate`).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> by_size(process(load_corpus()), "voice")
    ['award report', 'Song Tao', 'newspaper']
    """
    groups = groups_of(processed, by)
    groups = groups[groups["documents"] > 0].reset_index(drop=True)
    table = pd.DataFrame({"label": row_labels(groups, by).tolist(),
                          "words": groups["words"].to_numpy()})
    return table.sort_values(["words", "label"], ascending=[False, True])["label"].tolist()


def largest(processed: Processed, by: str = "doc", n: int = 8) -> list[str]:
    """The ``n`` largest groups by words: the ones a figure shows when there are many.

    Ties go to the label that sorts first. The result keeps the groups' order
    (:func:`names`), so a corpus with at most ``n`` groups gets all of them.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> largest(process(load_corpus()), "section", 2)
    ['songtao-article/article', 'award-report/background']
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    groups = groups_of(processed, by)
    groups = groups[groups["documents"] > 0].reset_index(drop=True)
    labels = row_labels(groups, by).tolist()
    if len(labels) <= n:
        return labels
    table = pd.DataFrame({"label": labels, "words": groups["words"].to_numpy()})
    chosen = set(table.sort_values(["words", "label"], ascending=[False, True])["label"].head(n))
    return [label for label in labels if label in chosen]


def keep(table: pd.DataFrame, labels, by: str = "doc") -> pd.DataFrame:
    """The rows of a table whose ``by`` group (:func:`row_labels`) is one of ``labels``.

    The one way the library shows a few groups of a large corpus (e.g. :func:`largest`):
    analyses compute every group, and this keeps the rows of those shown, groups in the
    order of ``labels``, a group's rows in table order, the index reset.

    Examples
    --------
    >>> table = pd.DataFrame({"doc": ["a", "b", "c", "b"], "count": [1, 2, 3, 4]})
    >>> keep(table, ["c", "b"])  # doctest: +NORMALIZE_WHITESPACE
      doc  count
    0   c      3
    1   b      2
    2   b      4
    """
    rank = row_labels(table, by).map({name: i for i, name in enumerate(labels)})
    kept = rank.notna().to_numpy()
    order = np.argsort(rank[kept].to_numpy(), kind="stable")
    return table[kept].iloc[order].reset_index(drop=True)


def groups_of(processed: Processed, by: str) -> pd.DataFrame:
    """The groups of a corpus in order, with their documents and words.

    Returns
    -------
    DataFrame
        The :func:`group_columns` of ``by``, then ``documents`` (how many documents have
        text in the group) and ``words`` (word tokens).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> groups_of(process(load_corpus()), "voice")  # doctest: +NORMALIZE_WHITESPACE
              voice  documents  words
    0     newspaper          1    290
    1      Song Tao          1   1056
    2  award report          1   1137
    """
    row_codes, groups = paragraph_codes(processed, by)
    c = processed.columns
    pairs = np.unique(row_codes * max(len(processed.corpus), 1) + c.para_doc)
    documents = np.bincount(pairs // max(len(processed.corpus), 1), minlength=len(groups))
    words = np.bincount(row_codes, weights=c.para_words, minlength=len(groups)).astype(np.int64)
    return groups.assign(documents=documents, words=words).reset_index(drop=True)


# --------------------------------------------------------------------------- where


@dataclass(frozen=True)
class Condition:
    """One condition on documents: ``column op values`` (see module docstring)."""

    column: str
    op: str
    values: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.column}{self.op}{','.join(self.values)}"


def parse_where(where) -> tuple[Condition, ...]:
    """Read conditions: a string (``;`` joins several), a list of strings or
    :class:`Condition` objects, or None.

    Raises
    ------
    ValueError
        An expression without an operator or a value, naming the expression.

    Examples
    --------
    >>> parse_where(["genre=news,opinion", "date>=2020-03"])[1]
    Condition(column='date', op='>=', values=('2020-03',))
    """
    if where is None:
        return ()
    if isinstance(where, (str, Condition)):
        where = [where]
    parsed = []
    for expression in where:
        if isinstance(expression, Condition):  # e.g. one document id, which may hold a comma
            parsed.append(expression)
            continue
        for part in str(expression).split(";"):
            if not part.strip():
                continue
            found = _split_condition(part)
            if found is None:
                shown = " ".join(part.split())[:60]
                raise ValueError(f"where {shown!r}: expected COLUMN=VALUE[,VALUE...] "
                                 f"or COLUMN with one of {' '.join(_OPERATORS)} and a value")
            column, op, value = found
            values = tuple(v.strip() for v in value.split(",")) if op in ("=", "!=") \
                else (value,)
            parsed.append(Condition(column, op, values))
    return tuple(parsed)


def _split_condition(part: str) -> tuple[str, str, str] | None:
    """``(column, operator, value)`` of one condition, or None; one pass over the text (a
    regular expression would backtrack on a long run of spaces)."""
    at = next((i for i, c in enumerate(part) if c in "=!<>"), None)
    if at is None:
        return None
    op = part[at:at + 2] if part[at:at + 2] in ("!=", ">=", "<=") else part[at]
    if op == "!":
        return None
    column, value = part[:at].strip(), part[at + len(op):].strip()
    if not column or not value:
        return None
    return column, op, value


def _holds(condition: Condition, values: list[str], kind: str) -> np.ndarray:
    """Which of the documents' ``values`` satisfy the condition (module docstring)."""
    op, name = condition.op, str(condition)
    blank = np.array([not v for v in values], dtype=bool)
    if MISSING in condition.values:
        if op not in ("=", "!=") or len(condition.values) > 1:
            raise ValueError(f"where {name!r}: {MISSING} (no value) goes alone after = or !=")
        return blank if op == "=" else ~blank
    if "" in condition.values:
        raise ValueError(f"where {name!r}: an empty value; documents without a value are "
                         f"{condition.column}={MISSING}")
    if kind == "text" and op not in ("=", "!="):
        raise ValueError(f"where {name!r}: {condition.column} is text; use = or !=")
    if kind == "date":
        for value in condition.values:
            if not is_date(value):
                raise ValueError(f"where {name!r}: {value!r} is not YYYY, YYYY-MM or "
                                 f"YYYY-MM-DD")
        bounds = [_period(v) for v in condition.values]
        result = [bool(value) and _date_holds(op, _period(value), bounds) for value in values]
        return np.array(result, dtype=bool)
    if kind == "number":
        wanted = [_number(v) for v in condition.values]
        if None in wanted:
            raise ValueError(f"where {name!r}: {condition.column} is a number")
        numbers = [_number(v) if v else None for v in values]
        compare = {"=": lambda x: x in wanted, "!=": lambda x: x not in wanted,
                   ">=": lambda x: x >= wanted[0], ">": lambda x: x > wanted[0],
                   "<=": lambda x: x <= wanted[0], "<": lambda x: x < wanted[0]}[op]
        return np.array([x is not None and compare(x) for x in numbers], dtype=bool)
    inside = np.isin(np.array(values, dtype=object), list(condition.values))
    return inside if op == "=" else ~inside & ~blank


def _date_holds(op: str, period: tuple, bounds: list[tuple]) -> bool:
    """Whether a document's period (first, last day) satisfies ``op`` against the bounds."""
    first, last = period
    if op in ("=", "!="):
        inside = any(low <= first and last <= high for low, high in bounds)
        return inside if op == "=" else not inside
    low, high = bounds[0]
    return {">=": first >= low, ">": first > high, "<": last < low, "<=": last <= high}[op]


def doc_mask(corpus: Corpus, where) -> np.ndarray:
    """Which documents (in corpus order) satisfy every condition of ``where``.

    Raises
    ------
    ValueError
        An unknown column (the message lists the known ones) or a value of the wrong kind.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> doc_mask(load_corpus(), "date<2020-09")
    array([ True, False])
    """
    table = variables(corpus)
    kinds = {"doc": "text", **table.attrs["kinds"]}
    mask = np.ones(len(corpus), dtype=bool)
    for condition in parse_where(where):
        if condition.column not in kinds:
            raise ValueError(f"where {str(condition)!r}: no column {condition.column!r} "
                             f"(known: {', '.join(kinds)})")
        values = table[condition.column].tolist()
        mask &= _holds(condition, values, kinds[condition.column])
    return mask


@lru_cache(maxsize=8)
def _select(processed: Processed, conditions: tuple[Condition, ...]) -> Processed:
    mask = doc_mask(processed.corpus, list(conditions))
    if not mask.any():
        raise ValueError(f"where {'; '.join(map(str, conditions))!r}: no document of the "
                         f"corpus matches")
    return _subset(processed, mask)


def _subset(processed: Processed, mask: np.ndarray) -> Processed:
    """The documents of ``mask`` (corpus order) as a processed corpus of their own."""
    return processed if mask.all() else processed.subset(mask)


@shared_docs
def select(processed: Processed, where=None) -> Processed:
    """The documents of a processed corpus that satisfy ``where``, as a processed corpus.

    Like quanteda's ``corpus_subset``: the input is not modified, and every analysis run on
    the result sees only those documents (with their tables as they were: processing does
    not depend on the other documents).

    Parameters
    ----------
    {processed}
    where : str, list of str or None
        Conditions (module docstring); None or empty keeps everything.

    Returns
    -------
    Processed
        The same object when every document matches.

    Raises
    ------
    ValueError
        No document matches, or a condition is malformed (one line naming it).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> select(process(load_corpus()), "date>=2020-09").corpus.ids
    ['award-report']
    """
    conditions = parse_where(where)
    if not conditions:
        return processed
    return _select(processed, conditions)


def prepare(processed: Processed, by: str, where=None) -> Processed:
    """The preamble of an analysis: the documents of ``where`` (:func:`select`), after checking
    that ``by`` names a unit or variable of the corpus (:func:`check_by`).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> prepare(process(load_corpus()), "voice", "date>=2020-09").corpus.ids
    ['award-report']
    >>> prepare(process(load_corpus()), "party")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: by 'party': not a unit or document variable of this corpus (allowed: ...)
    """
    processed = select(processed, where)
    check_by(processed.corpus, by)
    return processed


def restrict(table: pd.DataFrame | None, processed: Processed) -> pd.DataFrame | None:
    """The rows of a table made from a corpus (a ``doc`` column) whose documents a subset of
    it keeps (:func:`select`): how an analysis given a precomputed table applies ``where``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> table = pd.DataFrame({"doc": ["songtao-article", "award-report"], "n": [1, 2]})
    >>> restrict(table, select(processed, "date>=2020-09"))["n"].tolist()
    [2]
    """
    if table is None:
        return None
    kept = table["doc"].isin(processed.corpus.ids)
    return table if kept.all() else table[kept.to_numpy()]


def parts_by(by: str) -> str:
    """The unit a group is made of, for its spread: the sections of a voice (or section),
    else the documents.

    Examples
    --------
    >>> parts_by("voice"), parts_by("genre")
    ('section', 'doc')
    """
    return "section" if by in ("voice", "section") else "doc"


def spread(processed: Processed, parts: pd.DataFrame, by: str, value: str,
           keys: list[str] | tuple = ()) -> pd.DataFrame:
    """How a value varies over the parts of each group: the per-document spread.

    Parameters
    ----------
    processed : Processed
        The corpus the table comes from.
    parts : DataFrame
        An analysis computed with ``by=parts_by(by)`` (one row per document, or section,
        and ``keys``).
    by : str
        The grouping (:mod:`analysis.units`).
    value : str
        The column whose spread is wanted (a share, a rate).
    keys : list of str
        Columns that identify what is measured (``frame``, ``category``), kept apart.

    Returns
    -------
    DataFrame
        The group columns, ``keys``, then ``parts`` (documents or sections), ``mean``,
        ``min``, ``median`` and ``max`` of ``value`` over them (4 decimals); groups in their
        order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.stance import evaluation_summary
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> table = spread(p, evaluation_summary(p, by="section"), "voice", "mean_compound")
    >>> table[["voice", "parts", "min", "max"]].values.tolist()[0]
    ['newspaper', 2, 0.2083, 0.4845]
    """
    keys = list(keys)
    table = grouped(processed, parts, by)
    columns = group_columns(by)
    stats = table.groupby(["_group", *keys], sort=False)[value].agg(
        parts="size", mean="mean", min="min", median="median", max="max").reset_index()
    stats = stats.sort_values("_group", kind="mergesort")
    first = table.drop_duplicates("_group").set_index("_group")[columns]
    out = first.loc[stats["_group"]].reset_index(drop=True)
    for column in keys + ["parts", "mean", "min", "median", "max"]:
        out[column] = stats[column].to_numpy()
    for column in ("mean", "min", "median", "max"):
        out[column] = out[column].astype(float).round(4)
    return out


def per_group(processed: Processed, by: str, analysis, *args, **kwargs) -> pd.DataFrame:
    """Run an analysis on the documents of each ``by`` group, one table with the group first.

    For analyses whose statistics belong to one body of text (collocates: observed and
    expected counts within the group), each group is analysed as a corpus of its own.
    Groups must be groups of documents (``doc`` or a document variable).

    Returns
    -------
    DataFrame
        The group column (named after ``by``) then the analysis's columns, groups in order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = per_group(process(load_corpus()), "doc", lambda part: pd.DataFrame(
    ...     {"words": [int(part.tokens["is_word"].sum())]}))
    >>> table  # doctest: +NORMALIZE_WHITESPACE
                   doc  words
    0  songtao-article   1346
    1     award-report   1137
    """
    check_by(processed.corpus, by)
    if by in ("section", "voice", "corpus"):
        raise ValueError(f"by {by!r}: this analysis groups whole documents (doc or a "
                         f"document variable)")
    row_codes, groups = codes(processed, pd.DataFrame({"doc": processed.corpus.ids}), by)
    column = group_columns(by)[0]
    frames = []
    for g, name in enumerate(groups[column]):
        if not (row_codes == g).any():
            continue
        table = analysis(_subset(processed, row_codes == g), *args, **kwargs)
        table.insert(0, column, name)
        frames.append(table)
    found = [t for t in frames if len(t)]  # empty tables would make every column object
    return pd.concat(found or frames[:1], ignore_index=True)


# --------------------------------------------------------------------------- unit specs


def is_condition(spec: str) -> bool:
    """Whether a unit spec is a set of conditions (``genre=news``) rather than a document.

    Examples
    --------
    >>> is_condition("genre=news"), is_condition("award-report")
    (True, False)
    """
    return any(op in spec for op in _OPERATORS)


def unit_paragraphs(processed: Processed, spec: str | None = None,
                    exclude: str | None = None) -> np.ndarray:
    """Which paragraphs of :attr:`Processed.columns` are in a unit (:func:`unit_mask`'s
    ``spec``; None: the whole corpus) and not in ``exclude``: a token is in the unit of its
    paragraph (the "rest of the corpus" is ``spec=None, exclude=target``).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> inside = unit_paragraphs(p, "award-report")
    >>> int(inside.sum()) == int((p.paragraphs["doc"] == "award-report").sum())
    True
    >>> bool((unit_paragraphs(p, exclude="award-report") == ~inside).all())
    True
    """
    inside = np.ones(len(processed.columns.para_doc), dtype=bool)
    if spec is not None:
        inside &= unit_mask(processed, processed.paragraph_keys, spec)
    if exclude is not None:
        inside &= ~unit_mask(processed, processed.paragraph_keys, exclude)
    return inside


def unit_mask(processed: Processed, table: pd.DataFrame, spec: str) -> np.ndarray:
    """Which rows of a table belong to a unit spec.

    Parameters
    ----------
    processed : Processed
        The corpus the table comes from.
    table : DataFrame
        Rows with ``doc`` (or ``doc_index``) and, for ``DOC:SECTION``, ``section``.
    spec : str
        A document id, ``DOC:SECTION``, or conditions (``genre=news``; ``;`` joins several).

    Returns
    -------
    ndarray of bool

    Raises
    ------
    ValueError
        One line naming the unknown document, section or column and the known ones, or
        the conditions that no document satisfies.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> unit_mask(p, p.paragraphs, "songtao-article:headline").tolist()[:5]
    [True, True, True, False, False]
    """
    ids = processed.corpus.ids
    doc = doc_positions(processed, table)
    if spec in ids:
        return doc == ids.index(spec)
    if is_condition(spec):
        mask = doc_mask(processed.corpus, spec)
        if not mask.any():
            raise ValueError(f"{spec!r}: no document of the corpus matches")
        return mask[doc]
    name, _, section = spec.partition(":")
    if name not in ids:
        raise ValueError(f"{spec!r}: no such document, section or condition (documents: "
                         f"{', '.join(ids[:20])}{', ...' if len(ids) > 20 else ''}; a group "
                         f"is COLUMN=VALUE)")
    keys = processed.paragraph_keys
    known = keys.loc[keys["doc"] == name, "section"].unique()
    if section not in known:
        raise ValueError(f"{spec!r}: document {name!r} has no section {section!r} "
                         f"(known: {', '.join(known)})")
    return (doc == ids.index(name)) & (table["section"] == section).to_numpy()

