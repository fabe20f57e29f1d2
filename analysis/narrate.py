"""Computed prose: sentences that state what a table shows, for any corpus.

A report may only state findings about the corpus it was built on. Interpretation written by
hand is kept for the seed case study (cells tagged ``case-study``, see :mod:`analysis.build`);
everything else a report says about its corpus comes from here, computed from the same
tables the report shows, the way Voyant's Summary writes "This corpus has N documents ...".
Each function takes a table of the library and returns a :class:`analysis.figures.Note`
(Markdown); every string that comes from the corpus goes through :func:`q`, so a document
id or a metadata value can neither format the text nor inject HTML.

The numbers are the tables' own (rounded as the tables round them), so a test can compare a
sentence with its table.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from analysis.figures import Note
from analysis.units import row_labels

__all__ = ["actors", "collocates", "comparison", "evaluation", "frames", "keywords",
           "modality", "overview", "q", "roads", "top_terms", "topics"]

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#|~>])")


def q(value) -> str:
    """A corpus string made safe for Markdown: HTML-escaped, Markdown marks backslashed."""
    return _MARKDOWN.sub(r"\\\1", html.escape(str(value), quote=False))


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


def overview(summary: pd.DataFrame, by: str, dates: pd.Series | None = None,
             most: int = 6) -> Note:
    """The corpus in one paragraph: documents, words, sentences, groups, the date range.

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.text.summary` of the corpus with this ``by``.
    by : str
        Its grouping.
    dates : Series, optional
        The ``date`` variable (one value per document, blank where undated).
    most : int, default 6
        Groups named at most, the largest by words.
    """
    labels = row_labels(summary, by).tolist()
    words, sentences = int(summary["words"].sum()), int(summary["sentences"].sum())
    documents = int(summary["documents"].sum()) if "documents" in summary else len(summary)
    if by in ("voice", "section"):
        documents = None
    text = "The corpus"
    if documents is not None:
        text += f" has {_number(documents)} document{'s' * (documents != 1)},"
    else:
        text += " has"
    text += f" {_number(words)} words and {_number(sentences)} sentences"
    order = summary.assign(group_label=labels).sort_values(["words", "group_label"],
                                                      ascending=[False, True])
    if by != "corpus":
        named = [f"{q(r.group_label)} ({_number(r.words)} words"
                 + (f", {_count(r.documents, 'document')})" if "documents" in summary
                    and by not in ("voice", "section", "doc") else ")")
                 for r in order.head(most).itertuples()]
        text += (f", in {_number(len(summary))} {_group_word(by)}"
                 f"{'s' * (len(summary) != 1)}: {_series(named, max(0, len(summary) - most))}")
    text += "."
    if dates is not None and (dates != "").any():
        dated = sorted(dates[dates != ""])
        undated = int((dates == "").sum())
        text += (f" Documents are dated from {q(dated[0])} to {q(dated[-1])}"
                 + (f" ({_number(undated)} undated)." if undated else "."))
    return Note(text)


def top_terms(table: pd.DataFrame, by: str, n: int = 3) -> Note:
    """The most frequent terms of each group (a :func:`analysis.frequency.frequency` table)."""
    if table.empty:
        return Note("No term is counted in this corpus.")
    labels = row_labels(table, by)
    parts = []
    for label, rows in table.groupby(labels, sort=False):
        terms = [f"*{q(r.term)}* ({_number(r.per_1000)} per 1,000 words)"
                 for r in rows.head(n).itertuples()]
        parts.append(f"in {q(label)}, {_series(terms)}" if by != "corpus" else _series(terms))
    return Note("The most frequent terms are " + "; ".join(parts) + ".")


def keywords(table: pd.DataFrame, by: str, n: int = 3, threshold: float = 10.83) -> Note:
    """The strongest positive keywords of each group (a :func:`analysis.keyness.keywords_by`
    table) and how many groups have none above ``threshold`` (G2 10.83: p < 0.001)."""
    positive = table[table["direction"] == "positive"]
    if positive.empty:
        return Note("No group has a positive keyword: the groups use their words at the same "
                    "rates.")
    labels = row_labels(positive, by)
    parts, weak = [], []
    for label, rows in positive.groupby(labels, sort=False):
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
        text += (f" No keyword of {_series(weak)} reaches G2 {threshold} (p < 0.001): "
                 "their differences rest on few occurrences.")
    return Note(text.strip())


def collocates(table: pd.DataFrame, node: str | None, n: int = 3) -> Note:
    """The strongest collocates of a node (a :func:`analysis.collocation.collocates` table)."""
    if not node:
        return Note("The corpus has no term to take as the node.")
    if table.empty:
        return Note(f"*{q(node)}* has no collocate seen often enough in this corpus.")
    terms = [f"*{q(r.collocate)}* ({_number(r.count)} times where {_number(r.expected)} are "
             "expected)" for r in table.head(n).itertuples()]
    return Note(f"The strongest collocates of *{q(node)}* are {_series(terms)}.")


def roads(table: pd.DataFrame) -> Note:
    """What the road extractor found (a :func:`analysis.framing.roads` table)."""
    if table.empty:
        return Note("No road metaphor (*X is a road of/to/for Y*) in this corpus.")
    docs = list(dict.fromkeys(table["doc"]))
    items = [f"*{q(r.road)}* → *{q(r.role)}*" if r.role else f"*{q(r.road)}*"
             for r in table.itertuples()]
    return Note(f"{_number(len(table))} road metaphor{'s' * (len(table) != 1)} in "
                f"{_number(len(docs))} document{'s' * (len(docs) != 1)} "
                f"({_series([q(d) for d in docs[:5]], max(0, len(docs) - 5))}): "
                f"{_series(items[:8], max(0, len(items) - 8))}.")


def frames(shares: pd.DataFrame, by: str) -> Note:
    """Each group's leading frame (a :func:`analysis.framing.frame_shares` table)."""
    coded = shares[shares["frame"] != "(uncoded)"]
    if coded.empty or (coded["sentences"] == 0).all():
        return Note("No sentence of this corpus carries a frame of the lexicon.")
    labels = row_labels(coded, by)
    parts = []
    for label, rows in coded.groupby(labels, sort=False):
        best = rows.sort_values(["share", "frame"], ascending=[False, True]).iloc[0]
        if best["sentences"] == 0:
            parts.append(f"{q(label)}: none")
            continue
        parts.append(f"{q(label)}: *{q(best['frame'])}* ({best['share']:.0%} of its "
                     f"{_count(best['total'], 'sentence')})")
    return Note("The frame carried by the largest share of sentences is, in "
                + "; in ".join(parts) + ".")


def modality(rates: pd.DataFrame, by: str, category: str = "commitment") -> Note:
    """Where a modal category is most and least frequent (:func:`analysis.stance.modality`
    with ``level="category"``)."""
    rows = rates[rates["category"] == category]
    if rows.empty or rows["count"].sum() == 0:
        return Note(f"No {q(category)} modal in this corpus.")
    labels = row_labels(rows, by)
    rows = rows.assign(group_label=labels).sort_values(["per_1000", "group_label"],
                                                  ascending=[False, True])
    top = rows.iloc[0]
    text = (f"*{q(category.capitalize())}* modals are most frequent in {q(top['group_label'])} "
            f"({_number(top['per_1000'])} per 1,000 words, {_count(top['count'], 'use')})")
    if len(rows) > 1:
        low = rows.iloc[-1]
        text += (f" and least in {q(low['group_label'])} ({_number(low['per_1000'])} per 1,000 "
                 f"words)")
    return Note(text + ".")


def evaluation(summary: pd.DataFrame, by: str) -> Note:
    """Positive and negative shares by group (:func:`analysis.stance.evaluation_summary`)."""
    if summary.empty:
        return Note("No sentence to score.")
    labels = row_labels(summary, by)
    table = summary.assign(group_label=labels)
    sentences = int(table["sentences"].sum())
    positive, negative = int(table["positive"].sum()), int(table["negative"].sum())
    text = (f"Of {_number(sentences)} sentences, {_number(positive)} are positive and "
            f"{_number(negative)} negative by VADER's thresholds")
    if len(table) > 1:
        most = table.sort_values(["negative_share", "group_label"],
                                 ascending=[False, True]).iloc[0]
        text += (f"; the largest share of negative sentences is in {q(most['group_label'])} "
                 f"({_number(most['negative'])} of {_number(most['sentences'])})")
    return Note(text + ".")


def topics(model) -> Note:
    """The topics of a fitted model (:func:`analysis.topics.fit_topics`), largest first."""
    labels = [q(label) for label in model.labels]
    return Note(f"{_number(model.k)} topics, named by their three top terms: "
                f"{_series([f'*{label}*' for label in labels])}.")


def actors(counts: pd.DataFrame, n: int = 3) -> Note:
    """The most named actors over all groups (:func:`analysis.actors.actor_counts`)."""
    if counts.empty or counts["mentions"].sum() == 0:
        return Note("No actor of the gazetteer is named in this corpus.")
    total = counts.groupby("actor")["mentions"].sum().reset_index()
    total = total.sort_values(["mentions", "actor"], ascending=[False, True]).head(n)
    items = [f"{q(r.actor)} ({_number(r.mentions)} mentions)" for r in total.itertuples()]
    return Note(f"The most named actors are {_series(items)}.")


def comparison(table: pd.DataFrame, a: str, b: str, n: int = 5) -> Note:
    """How many terms lean to each side of a :func:`analysis.topics.compare_terms` table."""
    if table.empty:
        return Note("The corpus has a single group: there is no pair of groups to compare.")
    sides = table["side"].value_counts()
    parts = []
    for side, name in (("a", a), ("b", b)):
        terms = table[table["side"] == side]
        terms = terms if side == "a" else terms.iloc[::-1]
        listed = [f"*{q(t)}*" for t in terms["term"].head(n)]
        count = int(sides.get(side, 0))
        parts.append(f"{_number(count)} term{'s' * (count != 1)} lean to {q(name)} at "
                     f"|z| ≥ 1.96" + (f" ({_series(listed)})" if listed else ""))
    shared = int(sides.get("shared", 0))
    return Note(f"{parts[0]}; {parts[1]}; {_number(shared)} are shared without leaning.")
