"""Computed prose: sentences that state what a table shows, for any corpus.

A report may only state findings about the corpus it was built on. Interpretation written by
hand is kept for the seed case study (cells tagged ``case-study``, see :mod:`analysis.build`);
everything else a report says about its corpus comes from here, computed from the same
tables the report shows, the way Voyant's Summary writes "This corpus has N documents ...".
Each function takes a table of the library and returns a :class:`analysis.display.Note`
(Markdown); every string that comes from the corpus goes through :func:`q`, so a document
id or a metadata value can neither format the text nor inject HTML.

The numbers are the tables' own (rounded as the tables round them), so a test can compare a
sentence with its table.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

from analysis.display import Note
from analysis.units import row_labels

__all__ = ["actors", "coding", "collocates", "comparison", "compounds", "duplicates",
           "evaluation", "frames", "keywords", "language", "modalities", "modality",
           "not_english", "overlaps", "overview", "positions", "q", "rate_test", "roads",
           "top_terms", "topic_choice", "topics"]

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#|~>])")


# Line breaks as str.splitlines knows them: a value must not start a block of its own.
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
# What opens a block at the start of a line: a list item, a thematic break, a setext underline.
_BLOCK_START = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))")


def q(value) -> str:
    r"""A corpus or parameter string made safe for Markdown: one line, HTML-escaped, Markdown
    marks backslashed.

    The one escaping function for every value a report's Markdown shows. Line breaks become
    spaces and a block marker at the start (``-``, ``+``, ``=``, ``1.``) is backslashed, so a
    value cannot make a heading (``labour\n===``), a list or a code block of the sentence
    it is in.

    Examples
    --------
    >>> print(q("a*b_<c>"))
    a\*b\_&lt;c&gt;
    >>> print(q("labour\n==="))
    labour ===
    >>> print(q("1. item"))
    1\. item
    """
    text = _MARKDOWN.sub(r"\\\1", html.escape(_LINE_BREAKS.sub(" ", str(value)), quote=False))
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}",
                            text, count=1)


def _number(x, digits: int = 2) -> str:
    """A number as a table shows it, with thousands separated (``1,234``; ``0.25``)."""
    if float(x).is_integer() and abs(x) >= 1 or x == 0:
        return f"{int(round(x)):,}"
    return f"{x:,.{digits}f}"


def _count(n, word: str) -> str:
    """``1 document``, ``2 documents``."""
    return f"{_number(n)} {word}{'s' if n != 1 else ''}"


def _series(items: list[str], more: int = 0) -> str:
    """``a``, ``a and b``, ``a, b and c`` (and ``... and N more``)."""
    if more:
        items = [*items, f"{more} more"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _group_word(by: str) -> str:
    return {"doc": "document", "section": "section", "voice": "voice"}.get(by, f"{q(by)} group")


#: Groups a sentence names one by one at most; the others are counted ("and 12 more").
MOST = 6


def _per_group(table: pd.DataFrame, by: str, most: int, order=None):
    """(label, rows) of the groups a sentence names, and how many groups the table has.

    With ``order`` (labels, the largest group first: :func:`analysis.units.by_size`), the
    first ``most`` of the table's groups in that order; without it, the first ``most`` in the
    table's order, which :func:`_more` then says.
    """
    labels = row_labels(table, by)
    groups = list(table.groupby(labels, sort=False))
    if order is not None:
        rank = {label: i for i, label in enumerate(order)}
        groups.sort(key=lambda group: rank.get(group[0], len(rank)))
    return groups[:most], len(groups)


def _more(total: int, most: int, order=None) -> str:
    """How the groups named were chosen, when the table has more than ``most``."""
    if total <= most:
        return ""
    chosen = (f"the {most} largest groups by words" if order is not None
              else f"the first {most} groups in the table's order")
    return f" ({chosen}; {_number(total - most)} more in the table)"


def _ties(rows: pd.DataFrame, value: str, label: str, best: bool = True) -> tuple[list, object]:
    """The labels of the rows that share the best (or worst) value, and that value."""
    target = rows[value].max() if best else rows[value].min()
    return [q(x) for x in rows.loc[rows[value] == target, label]], target


def overview(summary: pd.DataFrame, by: str, dates: pd.Series | None = None,
             most: int = MOST, where=None) -> Note:
    """The corpus in one paragraph: documents, words, sentences, groups, the date range.

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.overview.summary` of the corpus with this ``by``.
    by : str
        Its grouping.
    dates : Series, optional
        The ``date`` variable (one value per document, blank where undated).
    most : int
        Groups named at most, the largest by words.
    where : str or list of str, optional
        The subset the corpus was cut to, named in the sentence.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.overview import summary
    >>> from analysis.text.process import process
    >>> table = summary(process(load_corpus()), by="voice")
    >>> print(overview(table, "voice"))  # doctest: +NORMALIZE_WHITESPACE
    The corpus has 2,483 words and 99 sentences, in 3 voices: award report (1,137 words),
    Song Tao (1,056 words) and newspaper (290 words).
    """
    labels = row_labels(summary, by).tolist()
    words, sentences = int(summary["words"].sum()), int(summary["sentences"].sum())
    documents = int(summary["documents"].sum()) if "documents" in summary else len(summary)
    if by in ("voice", "section"):
        documents = None
    subset = "; ".join([where] if isinstance(where, str) else where or [])
    text = "The corpus" + (f" (the documents with {q(subset)})" if subset else "")
    text += (f" has {_count(documents, 'document')}," if documents is not None else " has")
    text += f" {_number(words)} words and {_number(sentences)} sentences"
    order = summary.assign(group_label=labels).sort_values(["words", "group_label"],
                                                           ascending=[False, True])
    if by != "corpus":
        named = [f"{q(r.group_label)} ({_number(r.words)} words"
                 + (f", {_count(r.documents, 'document')})" if "documents" in summary
                    and by not in ("voice", "section", "doc") else ")")
                 for r in order.head(most).itertuples()]
        text += (f", in {_count(len(summary), _group_word(by))}: "
                 f"{_series(named, max(0, len(summary) - most))}")
    text += "."
    if dates is not None and (dates != "").any():
        dated = sorted(dates[dates != ""])
        undated = int((dates == "").sum())
        text += (f" Documents are dated from {q(dated[0])} to {q(dated[-1])}"
                 + (f" ({_number(undated)} undated)." if undated else "."))
    return Note(text)


def top_terms(table: pd.DataFrame, by: str, n: int = 3, most: int = MOST,
              order=None) -> Note:
    """The most frequent terms of the largest groups (a :func:`analysis.frequency.frequency`
    table): ``most`` groups in ``order`` (:func:`analysis.units.by_size`), else the first
    ``most`` of the table, the sentence saying which.

    Examples
    --------
    >>> table = pd.DataFrame({"party": ["labour", "labour", "green"],
    ...                       "term": ["jobs", "wages", "climate"], "per_1000": [12.5, 8.0, 20.0]})
    >>> print(top_terms(table, "party", n=2))  # doctest: +NORMALIZE_WHITESPACE
    The most frequent terms are in labour, *jobs* (12.50 per 1,000 words) and *wages*
    (8 per 1,000 words); in green, *climate* (20 per 1,000 words).
    """
    if table.empty:
        return Note("No term is counted in this corpus.")
    groups, total = _per_group(table, by, most, order)
    parts = []
    for label, rows in groups:
        terms = [f"*{q(r.term)}* ({_number(r.per_1000)} per 1,000 words)"
                 for r in rows.head(n).itertuples()]
        parts.append(f"in {q(label)}, {_series(terms)}" if by != "corpus" else _series(terms))
    return Note("The most frequent terms are " + "; ".join(parts) + _more(total, most, order)
                + ".")


def keywords(table: pd.DataFrame, by: str, n: int = 3, threshold: float = 10.83,
             most: int = MOST, order=None) -> Note:
    """The strongest positive keywords of the largest groups (a
    :func:`analysis.keyness.keywords_by` table), and which have no positive keyword above
    ``threshold``, with the p-value it stands for (G2 is chi-square distributed with one
    degree of freedom: :math:`p = \\operatorname{erfc}(\\sqrt{G^2/2})`, so 10.83 is p < 0.001
    and 3.84 is p = 0.05; Rayson & Garside 2000). Groups as in :func:`top_terms`.

    Examples
    --------
    >>> table = pd.DataFrame({"party": ["labour", "green"], "term": ["wages", "climate"],
    ...                       "direction": ["positive", "positive"], "g2": [15.2, 4.1],
    ...                       "target_count": [12, 3], "reference_count": [2, 0]})
    >>> print(keywords(table, "party"))  # doctest: +NORMALIZE_WHITESPACE
    The strongest keywords against the rest of the corpus are, for labour: *wages* (G2 15.20,
    12 against 2). No positive keyword of green reaches G2 10.83 (p < 0.001): what they
    over-use rests on few occurrences.
    >>> print(keywords(table, "party", threshold=6.63).split(". ")[-1])
    ... # doctest: +NORMALIZE_WHITESPACE
    No positive keyword of green reaches G2 6.63 (p = 0.01): what they over-use rests on few
    occurrences.
    """
    positive = table[table["direction"] == "positive"]
    if positive.empty:
        return Note("No group has a positive keyword: with a single group there is no rest "
                    "to compare it with, or the groups use their words at the same rates.")
    groups, total = _per_group(positive, by, most, order)
    parts, weak = [], []
    for label, rows in groups:
        strong = rows[rows["g2"] >= threshold]
        if strong.empty:
            weak.append(q(label))
            continue
        terms = [f"*{q(r.term)}* (G2 {_number(r.g2)}, {_number(r.target_count)} "
                 f"against {_number(r.reference_count)})" for r in strong.head(n).itertuples()]
        parts.append(f"{q(label)}: {_series(terms)}")
    text = ("The strongest keywords against the rest of the corpus are, for " + "; for ".join(
        parts) + "." if parts else "")
    if weak:
        p = math.erfc(math.sqrt(threshold / 2))
        text += (f" No positive keyword of {_series(weak)} reaches G2 {threshold:g} "
                 f"({_p(p)}): what they over-use rests on few occurrences.")
    return Note(text.strip() + _more(total, most, order))


def collocates(table: pd.DataFrame, node: str | None, n: int = 3) -> Note:
    """The strongest collocates of a node (a :func:`analysis.collocation.collocates` table).

    Examples
    --------
    >>> table = pd.DataFrame({"collocate": ["corridor", "economic"], "count": [5, 3],
    ...                       "expected": [0.4, 0.25]})
    >>> table.attrs["min_count"] = 3
    >>> print(collocates(table, "cpec"))  # doctest: +NORMALIZE_WHITESPACE
    The strongest collocates of *cpec* (among those seen at least 3 times near it) are
    *corridor* (5 times where 0.40 are expected) and *economic* (3 times where 0.25 are
    expected).
    >>> table = pd.DataFrame({"collocate": ["der", "habe"], "count": [4, 19],
    ...                       "expected": [23.77, 1.64]})
    >>> print(collocates(table, "ich"))  # a word seen less than expected is left out
    The strongest collocates of *ich* are *habe* (19 times where 1.64 are expected).
    """
    if not node:
        return Note("The corpus has no term to take as the node.")
    floor = table.attrs.get("min_count")
    if table.empty:
        often = f"{floor} times or more" if floor else "often enough"
        return Note(f"*{q(node)}* has no collocate seen {often} in this corpus.")
    among = f" (among those seen at least {floor} times near it)" if floor else ""
    # G2 is two-sided: a word seen less often than expected (it avoids the node) scores
    # high too, and is no collocate.
    attracted = table[table["count"] > table["expected"]]
    if attracted.empty:
        return Note(f"No word occurs near *{q(node)}*{among} more often than expected.")
    terms = [f"*{q(r.collocate)}* ({_count(r.count, 'time')} where {_number(r.expected)} "
             "are expected)" for r in attracted.head(n).itertuples()]
    return Note(f"The strongest collocates of *{q(node)}*{among} are {_series(terms)}.")


def roads(table: pd.DataFrame, docs_shown: int = 5, items_shown: int = 8) -> Note:
    """What the road extractor found (a :func:`analysis.framing.roads.roads` table): the
    first ``docs_shown`` documents and ``items_shown`` roads named, the others counted.

    Examples
    --------
    >>> table = pd.DataFrame({"doc": ["a", "a"], "road": ["peace", "growth"],
    ...                       "role": ["build trust", ""]})
    >>> print(roads(table))
    2 road metaphors in 1 document (a): *peace* → *build trust* and *growth*.
    >>> print(roads(table, items_shown=1))
    2 road metaphors in 1 document (a): *peace* → *build trust* and 1 more.
    """
    if table.empty:
        return Note("No road metaphor (*X is a road of/to/for Y*) in this corpus.")
    docs = list(dict.fromkeys(table["doc"]))
    items = [f"*{q(r.road)}* → *{q(r.role)}*" if r.role else f"*{q(r.road)}*"
             for r in table.itertuples()]
    return Note(f"{_count(len(table), 'road metaphor')} in {_count(len(docs), 'document')} "
                f"({_series([q(d) for d in docs[:docs_shown]], max(0, len(docs) - docs_shown))}"
                f"): {_series(items[:items_shown], max(0, len(items) - items_shown))}.")


def frames(shares: pd.DataFrame, by: str, most: int = MOST, order=None) -> Note:
    """Each group's leading frame, ties named (a :func:`analysis.framing.frames.frame_shares`
    table). Groups as in :func:`top_terms`.

    Examples
    --------
    >>> shares = pd.DataFrame({"voice": ["Song Tao"] * 3,
    ...                        "frame": ["economic", "political", "(uncoded)"],
    ...                        "sentences": [12, 20, 3], "total": [50] * 3,
    ...                        "share": [0.24, 0.4, 0.06]})
    >>> print(frames(shares, "voice"))  # doctest: +NORMALIZE_WHITESPACE
    The frame carried by the largest share of sentences is, in Song Tao: *political* (40% of
    its 50 sentences).
    """
    coded = shares[shares["frame"] != "(uncoded)"]
    if coded.empty or (coded["sentences"] == 0).all():
        return Note("No sentence of this corpus carries a frame of the lexicon.")
    groups, total = _per_group(coded, by, most, order)
    parts = []
    for label, rows in groups:
        names, share = _ties(rows, "share", "frame")
        if rows["sentences"].max() == 0:
            parts.append(f"{q(label)}: none")
            continue
        tied = " (tied)" if len(names) > 1 else ""
        parts.append(f"{q(label)}: *{_series(names)}*{tied} ({share:.0%} of its "
                     f"{_count(rows['total'].iloc[0], 'sentence')})")
    return Note("The frame carried by the largest share of sentences is, in "
                + "; in ".join(parts) + _more(total, most, order) + ".")


def rate_test(count_a: int, words_a: int, count_b: int, words_b: int) -> float:
    """Two-sided p of the exact conditional test of two Poisson rates (Przyborowski &
    Wilenski 1940): given ``n = count_a + count_b``, ``count_a`` is binomial with
    ``p = words_a / (words_a + words_b)`` if the two rates are equal (scipy's
    ``binomtest``). 1 when there is nothing to compare.

    Examples
    --------
    >>> round(rate_test(9, 1000, 3, 1000), 3), round(rate_test(9, 1000, 1, 1000), 3)
    (0.146, 0.021)
    """
    from scipy.stats import binomtest

    n = int(count_a + count_b)
    if n == 0 or not words_a or not words_b:
        return 1.0
    return float(binomtest(int(count_a), n, words_a / (words_a + words_b)).pvalue)


#: The level below which a computed sentence states a difference between two rates.
ALPHA = 0.05


def _p(p: float) -> str:
    """``p = 0.15``, or ``p < 0.001``."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.2f}"


def modality(rates: pd.DataFrame, by: str, category: str = "commitment") -> Note:
    """Where a modal category is most and least frequent, ties named
    (:func:`analysis.stance.modality` with ``level="category"``), stated as a difference
    only where the exact test of the two rates (:func:`rate_test`, the groups tied at the
    top against those tied at the bottom, pooled) gives p < :data:`ALPHA`; otherwise the
    sentence gives the two rates and says their counts do not show a difference.

    Examples
    --------
    >>> rates = pd.DataFrame({"voice": ["newspaper", "Song Tao", "award report"],
    ...                       "category": ["commitment"] * 3, "count": [0, 4, 0],
    ...                       "words": [290, 1056, 1137], "per_1000": [0.0, 3.788, 0.0]})
    >>> print(modality(rates, "voice"))  # doctest: +NORMALIZE_WHITESPACE
    *Commitment* modals are most frequent in Song Tao (3.79 per 1,000 words) and least in
    newspaper and award report (0 per 1,000 words): 4 against 0 occurrences, a difference
    beyond chance (exact test of two Poisson rates, p = 0.03).
    """
    rows = rates[rates["category"] == category]
    if rows.empty or rows["count"].sum() == 0:
        return Note(f"No {q(category)} modal in this corpus.")
    rows = rows.assign(group_label=row_labels(rows, by))
    top, high = _ties(rows, "per_1000", "group_label")
    name = q(category.capitalize())
    if len(rows) == len(top):  # one group, or all at one rate
        return Note(f"*{name}* modals are at {_number(high)} per 1,000 words in "
                    f"{_series(top[:MOST], max(0, len(top) - MOST))}.")
    low, least = _ties(rows, "per_1000", "group_label", best=False)
    at_top = rows[rows["per_1000"] == high]
    at_bottom = rows[rows["per_1000"] == least]
    count_a, count_b = int(at_top["count"].sum()), int(at_bottom["count"].sum())
    p = rate_test(count_a, int(at_top["words"].sum()), count_b, int(at_bottom["words"].sum()))
    lows = _series(low[:MOST], max(0, len(low) - MOST))
    test = f"exact test of two Poisson rates, {_p(p)}"
    if p < ALPHA:
        return Note(f"*{name}* modals are most frequent in {_series(top)} "
                    f"({_number(high)} per 1,000 words) and least in {lows} "
                    f"({_number(least)} per 1,000 words): {count_a} against {count_b} "
                    f"occurrences, a difference beyond chance ({test}).")
    return Note(f"*{name}* modals are at {_number(high)} per 1,000 words in {_series(top)} "
                f"and {_number(least)} in {lows}, but {count_a} against {count_b} "
                f"occurrences do not show a difference ({test}).")


def modalities(rates: pd.DataFrame, by: str) -> Note:
    """:func:`modality`'s sentence for every modal category that occurs, the most frequent
    category first (ties by name), then the categories that do not occur.

    Examples
    --------
    >>> rates = pd.DataFrame({"party": ["a", "b"] * 2,
    ...                       "category": ["obligation"] * 2 + ["commitment"] * 2,
    ...                       "count": [9, 3, 0, 0], "words": [1000, 1000] * 2,
    ...                       "per_1000": [9.0, 3.0, 0.0, 0.0]})
    >>> print(modalities(rates, "party"))  # doctest: +NORMALIZE_WHITESPACE
    *Obligation* modals are at 9 per 1,000 words in a and 3 in b, but 9 against 3
    occurrences do not show a difference (exact test of two Poisson rates, p = 0.15). No
    *commitment* modal in this corpus.
    """
    totals = rates.groupby("category", sort=False)["count"].sum()
    present = sorted((c for c in totals.index if totals[c] > 0), key=lambda c: (-totals[c], c))
    absent = sorted(c for c in totals.index if totals[c] == 0)
    parts = [str(modality(rates, by, c)) for c in present]
    if absent:
        names = _series([f"*{q(c)}*" for c in absent])
        parts.append(f"No {names} modal in this corpus.")
    return Note(" ".join(parts) if parts else "No modal of the lists in this corpus.")


def language(share: float, threshold: float) -> Note:
    """Whether a corpus reads as English (:func:`analysis.lang.english_share`), said when it
    does not: the report's English methods then state no finding.

    Examples
    --------
    >>> print(language(0.04, 0.15))  # doctest: +NORMALIZE_WHITESPACE
    **This corpus does not read as English**: 4% of its words are English function words
    (English text: 30 to 55%). What rests on English resources (the stop list,
    general-English frequencies, VADER's sentiment words, the frame, modality and pronoun
    lexicons, the road grammar) does not fit it: read such tables as counts, not findings.
    >>> language(0.43, 0.15)
    ''
    """
    if share >= threshold:
        return Note("")
    return Note(f"**This corpus does not read as English**: {share:.0%} of its words are "
                "English function words (English text: 30 to 55%). What rests on English "
                "resources (the stop list, general-English frequencies, VADER's sentiment "
                "words, the frame, modality and pronoun lexicons, the road grammar) does not "
                "fit it: read such tables as counts, not findings.")


def duplicates(table: pd.DataFrame, documents: int, threshold: float = 0.9,
               shingle: int = 5) -> Note:
    """What :func:`analysis.duplicates.duplicates` found: how many sets, of how many
    documents, exact or near, and what ``--dedupe`` would leave out.

    Examples
    --------
    >>> table = pd.DataFrame({"set": [1, 1, 2, 2, 2], "doc": ["a", "b", "c", "d", "e"],
    ...                       "kind": ["exact", "exact", "near", "exact", "near"],
    ...                       "similarity": [1.0, 1.0, 1.0, 1.0, 0.93],
    ...                       "kept": [True, False, True, False, False]})
    >>> print(duplicates(table, 10))  # doctest: +NORMALIZE_WHITESPACE
    5 of the 10 documents are duplicates, in 2 sets: 2 exact copies of a set's first
    document and 1 near duplicate (5-word shingles shared at a resemblance of at least 0.9).
    Every count of these reports counts each of them; `--dedupe` keeps the first of each set
    and leaves out 3 documents.
    >>> print(duplicates(table.iloc[:0], 10))  # doctest: +NORMALIZE_WHITESPACE
    No two of the 10 documents are duplicates: none has the same text as another, and no
    pair shares 5-word shingles at a resemblance of 0.9 or more.
    """
    if documents < 2:
        return Note("The corpus has one document: there is no duplicate to look for.")
    if table.empty:
        return Note(f"No two of the {_number(documents)} documents are duplicates: none has "
                    f"the same text as another, and no pair shares {shingle}-word shingles "
                    f"at a resemblance of {threshold:g} or more.")
    others = table[~table["kept"].astype(bool)]
    exact = int((others["kind"] == "exact").sum())
    near = len(others) - exact
    parts = [_count(exact, "exact copy").replace("copys", "copies")
             + " of a set's first document"] if exact else []
    if near:
        parts.append(f"{_count(near, 'near duplicate')} ({shingle}-word shingles shared at a "
                     f"resemblance of at least {threshold:g})")
    return Note(f"{_number(len(table))} of the {_number(documents)} documents are "
                f"duplicates, in {_count(table['set'].nunique(), 'set')}: "
                f"{_series(parts)}. Every count of these reports counts each of them; "
                f"`--dedupe` keeps the first of each set and leaves out "
                f"{_count(len(others), 'document')}.")


def compounds(table: pd.DataFrame, phrases, most: int = 10) -> Note:
    r"""Which phrases were joined into single terms (:mod:`analysis.text.compounds`) and how
    often: the terms of :func:`analysis.text.compounds.joined`, the most frequent first.

    Examples
    --------
    >>> table = pd.DataFrame({"term": ["united_nations", "asylum_seekers"], "count": [3, 1],
    ...                       "documents": [2, 1]})
    >>> print(compounds(table, [("united", "nations"), ("asylum", "seeker*")]))
    ... # doctest: +NORMALIZE_WHITESPACE
    2 phrases were joined into single terms (as quanteda's tokens\_compound does), 4 times
    in all: united\_nations (3 times, in 2 documents) and asylum\_seekers (1 time, in 1
    document). Every table of these reports counts each as one word.
    >>> print(compounds(table.iloc[:0], []))
    No phrase is joined into a single term (parameters COMPOUND and COMPOUND_TOP).
    """
    if not phrases:
        return Note("No phrase is joined into a single term (parameters COMPOUND and "
                    "COMPOUND_TOP).")
    given = _count(len(phrases), "phrase")
    if table.empty:
        return Note(f"{given} {'was' if len(phrases) == 1 else 'were'} given to join into "
                    f"single terms; none occurs in this corpus.")
    shown = [f"{q(row.term)} ({_count(row.count, 'time')}, in "
             f"{_count(row.documents, 'document')})"
             for row in table.head(most).itertuples(index=False)]
    return Note(f"{given} {'was' if len(phrases) == 1 else 'were'} joined into single terms "
                f"(as quanteda's tokens\\_compound does), "
                f"{_count(int(table['count'].sum()), 'time')} in all: "
                f"{_series(shown, max(len(table) - most, 0))}. Every table of these reports "
                f"counts each as one word.")


def not_english(method: str) -> Note:
    """The sentence in place of a finding of an English method on a corpus that does not
    read as English.

    Examples
    --------
    >>> print(not_english("VADER's evaluation"))
    No finding of VADER's evaluation: the corpus does not read as English.
    """
    return Note(f"No finding of {method}: the corpus does not read as English.")


def coding(table: pd.DataFrame, by: str, most: int = MOST) -> Note:
    """Per category of a dictionary, the group where its rate is highest and whether that
    rate differs from the lowest beyond both 95 % intervals
    (:func:`analysis.dictionaries.lookup.lookup`); categories that matched nothing named.

    Two rates are said to differ only where their exact Poisson intervals do not overlap, a
    conservative test: overlapping intervals are reported as no clear difference.

    Examples
    --------
    >>> table = pd.DataFrame({"party": ["a", "b", "a", "b"], "category": ["x", "x", "y", "y"],
    ...                       "matches": [30, 2, 0, 0], "per_1000": [15.0, 1.0, 0.0, 0.0],
    ...                       "low": [10.1, 0.12, 0.0, 0.0], "high": [21.4, 3.6, 1.8, 1.8]})
    >>> print(coding(table, "party"))  # doctest: +NORMALIZE_WHITESPACE
    *x* is most frequent in a (15 per 1,000 words, 95 % interval 10.10 to 21.40), above b
    (1 per 1,000 words; the intervals do not overlap). No match of *y* in this corpus.
    """
    if table.empty:
        return Note("The dictionary has no category.")
    grouped = by != "corpus"
    sentences, empty = [], []
    for category, rows in table.groupby("category", sort=False):
        if rows["matches"].sum() == 0:
            empty.append(f"*{q(category)}*")
            continue
        if not grouped or len(rows) == 1:
            row = rows.iloc[0]
            sentences.append(f"*{q(category)}*: {_number(row['per_1000'])} per 1,000 words "
                             f"(95 % interval {row['low']:.2f} to {row['high']:.2f})")
            continue
        rows = rows.assign(group_label=row_labels(rows, by))
        top = rows.loc[rows["per_1000"].idxmax()]
        bottom = rows.loc[rows["per_1000"].idxmin()]
        text = (f"*{q(category)}* is most frequent in {q(top['group_label'])} "
                f"({_number(top['per_1000'])} per 1,000 words, 95 % interval "
                f"{top['low']:.2f} to {top['high']:.2f})")
        if top["low"] > bottom["high"]:
            text += (f", above {q(bottom['group_label'])} ({_number(bottom['per_1000'])} per "
                     "1,000 words; the intervals do not overlap)")
        else:
            text += (", but its interval overlaps that of the least frequent group "
                     f"({q(bottom['group_label'])}): no clear difference")
        sentences.append(text)
    shown = sentences[:most]
    out = ". ".join(shown) + ("." if shown else "")
    if len(sentences) > most:
        out += f" ({_number(len(sentences) - most)} more categories in the table.)"
    if empty:
        listed = _series(empty[:most], max(0, len(empty) - most))
        out += (" " if out else "") + f"No match of {listed} in this corpus."
    return Note(out)


def evaluation(summary: pd.DataFrame, by: str, least: int = 5) -> Note:
    """Positive and negative sentences, and the groups with the largest share of negative
    ones among those of at least ``least`` sentences
    (:func:`analysis.stance.evaluation_summary`).

    Examples
    --------
    >>> summary = pd.DataFrame({"voice": ["newspaper", "Song Tao"], "sentences": [11, 50],
    ...                         "positive": [7, 37], "negative": [0, 3],
    ...                         "negative_share": [0.0, 0.06]})
    >>> print(evaluation(summary, "voice"))  # doctest: +NORMALIZE_WHITESPACE
    Of 61 sentences, 44 are positive and 3 negative by VADER's thresholds; among the groups of
    5 sentences or more, the largest share of negative sentences (6%) is in Song Tao, but it
    does not differ from the other groups' beyond chance (Fisher's exact test, p = 1.00).

    The test (two-sided Fisher's exact test on the 2x2 table of negative and other sentences,
    the groups tied for the largest share pooled against every other group) decides whether
    the share is said to be beyond chance (p < :data:`ALPHA`).
    """
    if summary.empty:
        return Note("No sentence to score.")
    table = summary.assign(group_label=row_labels(summary, by))
    sentences = int(table["sentences"].sum())
    positive, negative = int(table["positive"].sum()), int(table["negative"].sum())
    text = (f"Of {_count(sentences, 'sentence')}, {_number(positive)} are positive and "
            f"{_number(negative)} negative by VADER's thresholds")
    large = table[table["sentences"] >= least]
    if len(table) > 1 and negative and len(large):
        names, share = _ties(large, "negative_share", "group_label")
        if share > 0:
            from scipy.stats import fisher_exact

            places = _series(names[:MOST], max(0, len(names) - MOST))
            text += (f"; among the groups of {least} sentences or more, the largest share of "
                     f"negative sentences ({share:.0%}) is in {places}")
            top = table["group_label"].isin(large.loc[large["negative_share"] == share,
                                                      "group_label"])
            neg = [int(table.loc[top, "negative"].sum()), int(table.loc[~top, "negative"].sum())]
            rest = [int(table.loc[top, "sentences"].sum()) - neg[0],
                    int(table.loc[~top, "sentences"].sum()) - neg[1]]
            p = float(fisher_exact([neg, rest]).pvalue) if top.any() and (~top).any() else 1.0
            test = f"Fisher's exact test, {_p(p)}"
            text += (f", beyond chance against the other groups' ({test})" if p < ALPHA else
                     f", but it does not differ from the other groups' beyond chance ({test})")
    return Note(text + ".")


def topics(model) -> Note:
    """The topics of a fitted model (:func:`analysis.topics.fit_topics`), or why there are
    none.

    Examples
    --------
    >>> from analysis.topics import TopicModel
    >>> terms = pd.DataFrame({"topic": [1, 2], "label": ["1: cpec / road", "2: party / youth"],
    ...                       "rank": [1, 1], "term": ["cpec", "party"], "weight": [0.9, 0.8]})
    >>> print(topics(TopicModel("nmf", 2, terms, pd.DataFrame(), pd.DataFrame())))
    2 topics, named by their three top terms: *1: cpec / road* and *2: party / youth*.
    """
    if model.k == 0:
        return Note(f"No topic: {q(model.reason)}.")
    labels = [q(label) for label in model.labels]
    return Note(f"{_count(model.k, 'topic')}, named by their three top terms: "
                f"{_series([f'*{label}*' for label in labels])}.")


def topic_choice(model) -> Note:
    """Why a topic model (:func:`analysis.topics.fit_topics`) has its number of topics: the
    ``k`` of best mean NPMI coherence of those tried (:func:`analysis.topics.choose_k`), the
    runner-up, and the ``k`` mean UMass would have chosen; or that ``k`` was given.

    Examples
    --------
    >>> from analysis.topics import TopicModel
    >>> selection = pd.DataFrame({"k": [3, 4, 5], "npmi": [0.1, 0.3, 0.2],
    ...                           "umass": [-20.0, -25.0, -30.0],
    ...                           "reconstruction_error": [3.0, 2.0, 1.0],
    ...                           "chosen": [False, True, False]})
    >>> selection.attrs["segments"] = 35
    >>> empty = pd.DataFrame()
    >>> print(topic_choice(TopicModel("nmf", 4, empty, empty, empty, selection)))
    k = 4: the highest mean NPMI coherence (0.300) of the k = 3 to 5 tried on 35 segments; \
the next best is k = 5 (0.200). Mean UMass, which favours few topics, would choose k = 3.
    >>> print(topic_choice(TopicModel("nmf", 2, empty, empty, empty)))
    k = 2, as given (parameter K): no other number of topics was tried.
    """
    if model.k == 0:
        return Note(f"No number of topics: {q(model.reason)}.")
    table = model.selection
    if table is None or "npmi" not in table:
        return Note(f"k = {model.k}, as given (parameter K): no other number of topics was "
                    f"tried.")
    chosen = table.loc[table["chosen"]].iloc[0]
    segments = table.attrs.get("segments")
    on = f" on {_count(segments, 'segment')}" if segments else ""
    if len(table) == 1:
        why = ("the numbers tried run from 3 to one topic per 5 segments (at most 20), so a "
               "corpus this size gets 3 only" if model.k >= 3 else
               "3 topics cannot be fitted on them")
        return Note(f"k = {model.k}, the only number of topics tried{on}: {why}.")
    others = table.loc[~table["chosen"]].sort_values(["npmi", "k"], ascending=[False, True])
    second = others.iloc[0]
    umass = int(table.sort_values(["umass", "k"], ascending=[False, True]).iloc[0]["k"])
    text = (f"k = {model.k}: the highest mean NPMI coherence ({chosen['npmi']:.3f}) of the "
            f"k = {int(table['k'].min())} to {int(table['k'].max())} tried{on}; the next "
            f"best is k = {int(second['k'])} ({second['npmi']:.3f}).")
    if umass != model.k:
        text += f" Mean UMass, which favours few topics, would choose k = {umass}."
    return Note(text)


def actors(counts: pd.DataFrame, n: int = 3, mentions: pd.DataFrame | None = None) -> Note:
    """The most named actors over all groups (:func:`analysis.actors.actor_counts`), and,
    given the mentions (:func:`analysis.actors.actor_mentions`), which method found them.

    Examples
    --------
    >>> counts = pd.DataFrame({"doc": ["a", "a", "b"], "actor": ["China", "CPC", "China"],
    ...                        "mentions": [3, 2, 1]})
    >>> print(actors(counts, n=2))
    The most named actors are China (4 mentions) and CPC (2 mentions).
    >>> mentions = pd.DataFrame({"actor": ["China", "CPC"], "source": ["detected", "given"]})
    >>> print(actors(counts, n=2, mentions=mentions))  # doctest: +NORMALIZE_WHITESPACE
    The most named actors are China (4 mentions) and CPC (2 mentions). They were found as
    the name given (parameter ACTOR) and as capitalised names.
    """
    if counts.empty or counts["mentions"].sum() == 0:
        return Note("No actor of the gazetteer and no capitalised name is named in this "
                    "corpus." if mentions is None else
                    "No actor is named in this corpus: " + _found_by(mentions, found=False))
    total = counts.groupby("actor")["mentions"].sum().reset_index()
    total = total.sort_values(["mentions", "actor"], ascending=[False, True]).head(n)
    items = [f"{q(r.actor)} ({_count(r.mentions, 'mention')})" for r in total.itertuples()]
    text = f"The most named actors are {_series(items)}."
    if mentions is not None:
        text += " They were found " + _found_by(mentions[mentions["actor"].isin(
            total["actor"])])
    return Note(text)


#: How each source of :func:`analysis.actors.actor_mentions` found a name, for sentences.
ACTOR_SOURCES = {
    "gazetteer": "in the case study's gazetteer",
    "given": "as the name given (parameter ACTOR)",
    "detected": "as capitalised names",
    "sequence": "as strong word sequences of the lower-cased text",
    "entity": "as the entities the corpus's annotation tags",
}


def _found_by(mentions: pd.DataFrame, found: bool = True) -> str:
    """Which methods found the mentions (``found``) or were tried (the sources' methods)."""
    if not found:
        return ("no capitalised name (or, in a lower-cased text, strong word sequence) was "
                "found.")
    used = [ACTOR_SOURCES[s] for s in ACTOR_SOURCES if (mentions["source"] == s).any()]
    return _series(used) + "."


def comparison(table: pd.DataFrame, a: str, b: str, n: int = 5) -> Note:
    """How many terms lean to each side of a :func:`analysis.compare.compare_terms` table, at
    the threshold the table was made with (its ``attrs["z_crit"]``).

    Examples
    --------
    >>> table = pd.DataFrame({"term": ["cpec", "road", "trade", "award"],
    ...                       "side": ["a", "a", "shared", "b"], "z": [4.1, 2.3, 0.2, -2.5]})
    >>> table.attrs["z_crit"] = 1.96
    >>> print(comparison(table, "article", "report"))  # doctest: +NORMALIZE_WHITESPACE
    2 terms lean to article at |z| ≥ 1.96 (*cpec* and *road*); 1 term leans to report at
    |z| ≥ 1.96 (*award*); 1 is shared without leaning.
    """
    if table.empty:
        return Note("The corpus has a single group: there is no pair of groups to compare.")
    z_crit = table.attrs["z_crit"]
    sides = table["side"].value_counts()
    parts = []
    for side, name in (("a", a), ("b", b)):
        terms = table[table["side"] == side]
        terms = terms if side == "a" else terms.iloc[::-1]
        count = int(sides.get(side, 0))
        listed = [f"*{q(t)}*" for t in terms["term"].head(n)]
        first = "" if count <= n else f"the first {n}: "
        verb = "leans" if count == 1 else "lean"
        parts.append(f"{_count(count, 'term')} {verb} to {q(name)} at |z| ≥ {z_crit:g}"
                     + (f" ({first}{_series(listed)})" if listed else ""))
    shared = int(sides.get("shared", 0))
    return Note(f"{parts[0]}; {parts[1]}; {_number(shared)} "
                f"{'is' if shared == 1 else 'are'} shared without leaning.")


#: How the sentences name a scaling model (:data:`analysis.textmodels.MODELS`).
MODEL_NAMES = {"wordfish": "Wordfish", "wordscores": "Wordscores",
               "lss": "Latent Semantic Scaling"}


def _units_word(by: str, n: int = 2) -> str:
    """``documents``, ``groups of party`` (singular for one)."""
    if by == "doc":
        return "document" if n == 1 else "documents"
    return f"{'group' if n == 1 else 'groups'} of {q(by)}"


def _position(label: str, row) -> str:
    return f"{q(label)} ({row.position:.2f}; {row.low:.2f} to {row.high:.2f})"


def _ordered(table: pd.DataFrame, by: str) -> tuple[pd.DataFrame, list[str]]:
    """The units by position, left first (ties by label), and their labels."""
    labels = row_labels(table, by).astype(str)
    order = sorted(range(len(table)), key=lambda i: (table["position"].iloc[i], labels.iloc[i]))
    return table.iloc[order], labels.iloc[order].tolist()


def positions(fit, most: int = 3) -> Note:
    """Where a scaling model (:func:`analysis.positions.fit_positions`) places the units:
    the model, its matrix and direction, the units at each end with their intervals, the
    units left out and a fit that did not converge; or why there are no positions.

    Parameters
    ----------
    fit : analysis.positions.Positions
    most : int, default 3
        Units named at each end (at most half of them each).

    Examples
    --------
    >>> from analysis.positions import Positions
    >>> table = pd.DataFrame({"doc": ["a", "b", "c", "d"], "position": [-1.2, 0.3, 1.1, -0.2],
    ...                       "low": [-1.5, 0.0, 0.8, -0.6], "high": [-0.9, 0.6, 1.4, 0.2]})
    >>> table.attrs.update(direction=("a", "b"), level=0.95, dropped=["e"])
    >>> print(positions(Positions("wordfish", "doc", table, features=40)))
    ... # doctest: +NORMALIZE_WHITESPACE
    Wordfish places 4 documents on one dimension from their counts of 40 words, signed so
    that a lies left of b (parameter DIRECTION). At the left end: a (-1.20; -1.50 to -0.90)
    and d (-0.20; -0.60 to 0.20); at the right end: c (1.10; 0.80 to 1.40) and b (0.30; 0.00
    to 0.60) (position; 95% interval). 1 document without words after trimming is left
    out: e.
    >>> print(positions(Positions("wordfish", "doc", table, features=40, candidates=900)
    ...                 ).split(",")[0])  # doctest: +NORMALIZE_WHITESPACE
    Wordfish places 4 documents on one dimension from their counts of 40 words (the most
    frequent of 900
    >>> print(positions(Positions("wordfish", "doc", reason="too few")))
    No positions: too few.
    """
    if fit.reason:
        return Note(f"No positions: {q(fit.reason)}.")
    table, by = fit.documents, fit.by
    name = MODEL_NAMES.get(fit.model, q(fit.model))
    attrs = table.attrs
    parts = []
    if not fit.english:
        parts.append("This corpus does not read as English, so every word is counted (the "
                     "stop list is English); the model uses nothing but the counts, so its "
                     "positions hold for any language whose words are separated by spaces or, "
                     "like Chinese, segmented into words.")
    first = (f"{name} places {_number(len(table))} {_units_word(by, len(table))} on one "
             + ("dimension from the polarity of their words, learnt from the built-in "
                "sentiment seed words in the corpus's sentences (negative left, positive "
                "right); units without a polarity word are left out"
                if fit.model == "lss" else
                f"dimension from their counts of {_count(fit.features, 'word')}"
                + (f" (the most frequent of {_number(fit.candidates)}, parameter "
                   "MAX_FEATURES)" if fit.candidates > fit.features else "")))
    if attrs.get("direction"):
        a, b = attrs["direction"]
        first += f", signed so that {q(a)} lies left of {q(b)} (parameter DIRECTION)"
    if "reference" in table.columns:
        given = table["reference"].notna()
        first += (f", on the scale of the scores of {_count(int(given.sum()), 'reference text')}"
                  f" ({_count(int((~given).sum()), 'text')} scored against them); raw scores "
                  "lie nearer the reference texts' mean than the texts do")
    parts.append(first + ".")
    ordered, labels = _ordered(table, by)
    k = max(1, min(most, len(table) // 2))
    rows = list(ordered.itertuples(index=False))
    left = [_position(labels[i], rows[i]) for i in range(k)]
    right = [_position(labels[-1 - i], rows[-1 - i]) for i in range(k)]
    level = attrs.get("level", 0.95)
    parts.append(f"At the left end: {_series(left)}; at the right end: {_series(right)} "
                 f"(position; {level:.0%} interval).")
    dropped = attrs.get("dropped") or []
    if dropped:
        listed = _series([q(d) for d in dropped[:MOST]], max(len(dropped) - MOST, 0))
        parts.append(f"{_number(len(dropped))} {_units_word(by, len(dropped))} without words "
                     f"after trimming {'is' if len(dropped) == 1 else 'are'} left out: "
                     f"{listed}.")
    if fit.warning:
        parts.append(f"These positions are not final: {q(fit.warning)}.")
    return Note(" ".join(parts))


def overlaps(fit, most: int = MOST) -> Note:
    """Which units the model does not set apart: the pairs whose intervals overlap (both
    ``low`` at most the other's ``high``), counted and the first ``most`` named, left to
    right. Overlapping 95% intervals are a cautious reading: two units whose intervals
    overlap a little can still differ by a test of their difference.

    Examples
    --------
    >>> from analysis.positions import Positions
    >>> table = pd.DataFrame({"doc": ["a", "b", "c", "d"], "position": [-1.2, 0.3, 1.1, -0.2],
    ...                       "low": [-1.5, 0.0, 0.8, -0.6], "high": [-0.9, 0.6, 1.4, 0.2]})
    >>> table.attrs["level"] = 0.95
    >>> print(overlaps(Positions("wordfish", "doc", table)))  # doctest: +NORMALIZE_WHITESPACE
    1 of the 6 pairs of documents has overlapping 95% intervals, so the model does not set
    them apart: d and b. Every other pair is set apart.
    >>> print(overlaps(Positions("wordfish", "doc", table.iloc[[0, 2]])))
    ... # doctest: +NORMALIZE_WHITESPACE
    No two of the 2 documents have overlapping 95% intervals: the model sets every pair
    apart.
    """
    import numpy as np

    table = fit.documents
    if fit.reason or table.empty:
        return Note("")
    ordered, labels = _ordered(table, fit.by)
    low = ordered["low"].to_numpy(dtype=float)
    high = ordered["high"].to_numpy(dtype=float)
    n = len(ordered)
    # pairs by their lower ends: j after i (low_j >= low_i) overlaps i when low_j <= high_i
    by_low = np.argsort(low, kind="stable")
    lows = low[by_low]
    reach = np.searchsorted(lows, high[by_low], side="right") - np.arange(n) - 1
    total = int(np.clip(reach, 0, None).sum())
    pairs = n * (n - 1) // 2
    kind = _units_word(fit.by, n)
    level = table.attrs.get("level", 0.95)
    if total == 0:
        return Note(f"No two of the {_number(n)} {kind} have overlapping {level:.0%} "
                    f"intervals: the model sets every pair apart.")
    if total == pairs:
        return Note(f"All {_count(pairs, 'pair')} of {kind} have overlapping {level:.0%} "
                    f"intervals: the model sets no two of them apart.")
    named = []
    for i in range(n):
        if len(named) >= most:
            break
        later = np.flatnonzero((low[i + 1:] <= high[i]) & (high[i + 1:] >= low[i])) + i + 1
        named += [f"{q(labels[i])} and {q(labels[j])}" for j in later[:most - len(named)]]
    more = f"; and {_number(total - len(named))} more" if total > len(named) else ""
    verb = "has" if total == 1 else "have"
    return Note(f"{_number(total)} of the {_count(pairs, 'pair')} of {kind} {verb} "
                f"overlapping {level:.0%} intervals, so the model does not set them apart: "
                f"{'; '.join(named)}{more}. Every other pair is set apart.")
