"""The explorer as one HTML file: every group's terms against the rest, without a kernel.

What scattertext's HTML explorer gives for two categories, for any grouping (``doc``,
``voice`` or a document variable): pick a group, and each term is a point placed by its rate
per 1,000 words in the rest of the corpus (x) and in the group (y), both on log scales, with
its keyness (G2 and log ratio, :func:`analysis.keyness.keywords_by`, the numbers of the
reports and of ``keyness --by``) in a table beside the plot. A search box filters the table
and marks the plot; a click on a term shows its concordance lines, each with its document and
group (:func:`analysis.concordance.match` and :func:`analysis.concordance.match_lines`, the
lines of ``kwic``), and its dispersion over the documents.

The page is one file that works from the file system: its data is JSON inside a
``<script type="application/json">`` element, with ``<``, ``>`` and ``&`` written as
``\\u003c``, ``\\u003e`` and ``\\u0026`` so that no text of the corpus can close the element;
plain JavaScript puts every text into the page through ``textContent``, never as markup; the
figures are inline SVG. Nothing is loaded from anywhere. Rebuilt from the same corpus it is
the same bytes (keys sorted, terms sorted, no time stamp).

**Caps.** The page holds, for each of the ``max_groups`` largest groups (:func:`analysis.units
.largest`), its ``top`` strongest positive and ``top`` strongest negative keywords against the
rest (G2; a term counted at least ``min_count`` times in the group or the rest, as ``keyness``
keeps them), and the corpus's ``frequent`` most frequent terms; every group's figures for
every one of these terms; and for each term at most ``lines`` concordance lines (``window``
words each side), spread evenly over its matches in corpus order, and its matches counted in
at most ``bins`` stretches of documents. Its size therefore depends on the caps, not on the
size of the corpus (``bench/bench_explorer_html.py``: about 2 MB at the defaults).

Counts: a term's count is the count the keyness tables use (a multiword expression is one
term, so *road* inside *Belt and Road* counts for *belt and road*); its concordance lines
are every match ``kwic`` finds for it, which includes such occurrences inside longer terms.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config, units
from analysis.atomic import write_text
from analysis.concordance import MAX_WINDOW, match, match_lines
from analysis.frequency import frequency
from analysis.keyness import keywords_by
from analysis.params import Interval, constrained, shared_docs
from analysis.text.process import Processed

__all__ = ["BINS", "FREQUENT", "LINES", "MAX_CAPS", "MAX_GROUPS", "NoComparisonError",
           "SavedExplorer", "TOP", "WINDOW", "explorer_data", "explorer_html", "save_explorer",
           "write_explorer"]

#: Strongest keywords of each group per direction (positive, negative) on the page.
TOP = 50
#: Most frequent terms of the corpus on the page, besides the keywords.
FREQUENT = 100
#: Concordance lines per term (evenly spread over its matches).
LINES = 20
#: Words of context each side of a concordance line.
WINDOW = 8
#: Largest groups on the page (the others are part of each group's rest).
MAX_GROUPS = 12
#: Most stretches of documents in a term's dispersion (one per document where there are
#: fewer documents).
BINS = 400
#: Most of each cap a page may be asked for (a page of more is too slow to open).
MAX_CAPS = {"top": 1_000, "frequent": 10_000, "lines": 200, "max_groups": 100}
#: Folder (inside a figures folder) where :func:`save_explorer` writes, as the CSVs of tables.
DATA_DIR = config.DATA_DIR
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class NoComparisonError(ValueError):
    """The corpus has no words, or one group with words only: nothing to compare."""


def _even(n: int, k: int) -> np.ndarray:
    """``min(n, k)`` indexes spread evenly over ``range(n)``: ``floor(i * n / k)``."""
    if n <= k:
        return np.arange(n)
    return (np.arange(k) * n) // k


def _doc_words(processed: Processed) -> np.ndarray:
    c = processed.columns
    return np.bincount(c.para_doc, weights=c.para_words,
                       minlength=len(processed.corpus)).astype(np.int64)


def _bins(processed: Processed, by: str, n_bins: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Stretches of documents for the dispersion: a table (``label, group, documents,
    words``) and each document's stretch.

    Documents are in corpus order; grouped by a document variable, in group order first, so
    that each group is one run of stretches that never holds another group's documents.
    """
    n_docs = len(processed.corpus)
    words = _doc_words(processed)
    ids = processed.corpus.ids
    if by in ("doc", "voice"):
        segments = [("", np.arange(n_docs))]
    else:
        doc_group, groups = units.codes(processed, pd.DataFrame({"doc": ids}), by)
        names = units.row_labels(groups, by).tolist()
        segments = [(names[g], np.flatnonzero(doc_group == g)) for g in range(len(names))]
        segments = [(name, docs) for name, docs in segments if len(docs)]
    rows, of_doc = [], np.zeros(n_docs, dtype=np.int64)
    for name, docs in segments:
        k = len(docs) if n_docs <= n_bins else max(1, (n_bins * len(docs)) // n_docs)
        for part in np.array_split(docs, k):
            of_doc[part] = len(rows)
            label = ids[part[0]] if len(part) == 1 else \
                f"{ids[part[0]]} \u2026 {ids[part[-1]]} ({len(part):,} documents)"
            rows.append({"label": label, "group": name, "documents": len(part),
                         "words": int(words[part].sum())})
    return pd.DataFrame(rows, columns=["label", "group", "documents", "words"]), of_doc


@constrained(top=Interval(0, MAX_CAPS["top"]), frequent=Interval(0, MAX_CAPS["frequent"]),
             lines=Interval(0, MAX_CAPS["lines"]), window=Interval(0, MAX_WINDOW),
             max_groups=Interval(1, MAX_CAPS["max_groups"]), bins=Interval(1),
             min_count=Interval(1))
@shared_docs
def explorer_data(
    processed: Processed,
    *,
    by: str | None = None,
    where=None,
    top: int = TOP,
    frequent: int = FREQUENT,
    lines: int = LINES,
    window: int = WINDOW,
    max_groups: int = MAX_GROUPS,
    bins: int = BINS,
    min_count: int = 2,
) -> dict[str, pd.DataFrame]:
    """The tables behind the explorer page: groups, terms, concordance lines, dispersion.

    For group ``g`` and term ``t`` with ``a`` = the term's count in ``g``, ``b`` in the rest
    of the corpus, ``c`` and ``d`` the words of ``g`` and of the rest, the page places ``t``
    at ``x = 1000 b / d`` and ``y = 1000 a / c`` (rates per 1,000 words) and lists G2
    (Dunning 1993) and log ratio ``log2((a/c) / (b/d))`` (Hardie 2014) beside it: the rows of
    :func:`analysis.keyness.keywords_by` (formulas and sources in :mod:`analysis.keyness`).

    Parameters
    ----------
    {processed}
    by : str, optional
        ``doc``, ``voice`` or a document variable (default: :func:`analysis.units.default_by`).
    {where}
    top : int, default :data:`TOP`
        Keywords of each group per direction (positive, then negative; G2, ties by term).
    frequent : int, default :data:`FREQUENT`
        The corpus's most frequent terms, added to the keywords.
    lines : int, default :data:`LINES`
        Concordance lines per term, evenly spread over its matches.
    window : int, default :data:`WINDOW`
        Words of context each side of a line.
    max_groups : int, default :data:`MAX_GROUPS`
        The largest groups by words that the page shows (:func:`analysis.units.largest`).
    bins : int, default :data:`BINS`
        Most stretches of documents in a dispersion.
    min_count : int, default 2
        A keyword is counted at least this often in its group or in the rest (as
        ``keyness --min-count``).

    Returns
    -------
    dict of DataFrame
        ``groups``: ``group, documents, words`` of the groups shown, in group order.
        ``terms``: a row per group shown and term, terms sorted: ``group, term, count,
        rest_count, per_1000, rest_per_1000, g2, log_ratio, direction, key`` (``key``: the
        term's rank among the group's positive keywords, minus its rank among the negative
        ones, 0 for neither), and ``documents`` (documents of the group with a line of it).
        ``matches``: ``term, matches`` (its concordance lines in all).
        ``lines``: ``term, doc, group, left, keyword, right``.
        ``bins``: ``label, group, documents, words`` of each stretch of documents.
        ``dispersion``: ``term, bin, count``, the stretches where the term has lines.
        Its ``attrs`` hold ``by`` and the caps.

    Raises
    ------
    NoComparisonError
        The corpus has no words, or fewer than two groups with words.
    ValueError
        ``by`` is not a grouping of documents or voices of this corpus, or a cap is not a
        whole number in its range.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> data = explorer_data(process(load_corpus()), by="voice", top=2, frequent=2, lines=1)
    >>> data["groups"]["group"].tolist()
    ['newspaper', 'Song Tao', 'award report']
    >>> data["terms"].query("group == 'Song Tao' and term == 'cpec'")[
    ...     ["count", "rest_count", "key"]].to_dict("records")
    [{'count': 25, 'rest_count': 6, 'key': 1}]
    """
    processed = units.select(processed, where)
    if by is None:
        by = units.default_by(processed.corpus)
    units.check_by(processed.corpus, by)
    if by in ("corpus", "section"):
        raise ValueError(f"by {by!r}: the explorer compares groups of documents or voices "
                         "(doc, voice or a document variable) with the rest")
    groups = units.groups_of(processed, by)
    groups = groups.assign(group=units.row_labels(groups, by).to_numpy())
    with_words = groups[groups["words"] > 0]
    if with_words.empty:
        raise NoComparisonError("the corpus has no words")
    if len(with_words) < 2:
        raise NoComparisonError(f"by {by!r}: the corpus has one group with words "
                         f"({with_words['group'].iloc[0]!r}); the explorer compares each "
                         "group with the rest, so it needs two")
    shown = [g for g in units.largest(processed, by, max_groups)
             if g in set(with_words["group"])]
    label = units.group_columns(by)[0]
    table = keywords_by(processed, by=by, n=10**12, min_count=1, groups=shown)
    table = table.rename(columns={label: "group"})
    table["group"] = table["group"].astype(str)
    eligible = (table["target_count"] >= min_count) | (table["reference_count"] >= min_count)
    # Each group's keywords: its first rows of each direction (keywords_by's order: G2
    # descending, then term), as keyness --by VAR --top N --min-count M gives them.
    table["key"] = 0
    for direction, sign in (("positive", 1), ("negative", -1)):
        rows = table[eligible & (table["direction"] == direction)]
        rank = rows.groupby("group", sort=False).cumcount() + 1
        table.loc[rank.index[rank <= top], "key"] = sign * rank[rank <= top]
    keys = table.loc[table["key"] != 0, "term"]
    words_list = frequency(processed, by="corpus")  # every term's count, the most frequent first
    common = words_list["term"].head(frequent).astype(str)
    terms = sorted(set(keys.astype(str)) | set(common))
    # Every shown group's row of every term; keywords_by leaves out a term whose rate is the
    # same in the group and in the rest ("equal"): G2 and log ratio 0, as keyness gives.
    total_words = int(groups["words"].sum())
    totals = words_list.set_index(words_list["term"].astype(str))["count"].reindex(terms)
    frames = []
    sizes = dict(zip(groups["group"], groups["words"], strict=True))
    for name in shown:
        part = table[table["group"] == name].set_index("term").reindex(terms)
        missing = part["target_count"].isna()
        if missing.any():
            c = sizes[name]
            a = (totals[missing] * c // total_words).astype(np.int64)
            part.loc[missing, "target_count"] = a
            part.loc[missing, "reference_count"] = totals[missing] - a
            part.loc[missing, "target_per_1000"] = (a / c * 1000).round(3)
            part.loc[missing, "reference_per_1000"] = ((totals[missing] - a)
                                                       / (total_words - c) * 1000).round(3)
            part.loc[missing, ["g2", "log_ratio"]] = 0.0
            part.loc[missing, "direction"] = "equal"
            part.loc[missing, "key"] = 0
        frames.append(part.reset_index().assign(group=name))
    stats = pd.concat(frames, ignore_index=True)
    stats = stats.rename(columns={"target_count": "count", "reference_count": "rest_count",
                                  "target_per_1000": "per_1000",
                                  "reference_per_1000": "rest_per_1000"})
    stats = stats.astype({"count": np.int64, "rest_count": np.int64, "key": np.int64})

    # Concordance lines and dispersion: every match kwic finds, a few lines of them.
    bin_table, bin_of = _bins(processed, by, bins)
    matched, line_frames, spread = [], [], []
    documents = {}
    for term in terms:
        found = match(processed, term, kind="word")
        matched.append(len(found))
        if not len(found):
            continue
        group_of = units.row_labels(units.labels(processed, found, by), by).to_numpy()
        for name in shown:
            documents[(name, term)] = found["doc_index"][group_of == name].nunique()
        chosen = _even(len(found), lines)
        cut = match_lines(processed, found.iloc[chosen], window)
        line_frames.append(pd.DataFrame({
            "term": term, "doc": cut["doc"], "group": group_of[chosen],
            "left": cut["left"], "keyword": cut["keyword"], "right": cut["right"]}))
        per_bin = np.bincount(bin_of[found["doc_index"].to_numpy()], minlength=len(bin_table))
        at = np.flatnonzero(per_bin)
        spread.append(pd.DataFrame({"term": term, "bin": at, "count": per_bin[at]}))
    stats["documents"] = [documents.get(key, 0) for key in zip(stats["group"], stats["term"],
                                                                strict=True)]
    columns = ["group", "term", "count", "rest_count", "per_1000", "rest_per_1000", "g2",
               "log_ratio", "direction", "key", "documents"]
    data = {
        "groups": with_words.set_index("group").loc[shown, ["documents", "words"]]
        .reset_index(),
        "terms": stats[columns],
        "matches": pd.DataFrame({"term": terms, "matches": matched}),
        "lines": pd.concat(line_frames, ignore_index=True) if line_frames else
        pd.DataFrame(columns=["term", "doc", "group", "left", "keyword", "right"]),
        "bins": bin_table,
        "dispersion": pd.concat(spread, ignore_index=True) if spread else
        pd.DataFrame(columns=["term", "bin", "count"]),
    }
    for frame in data.values():
        frame.attrs.update(by=by, top=top, frequent=frequent, lines=lines, window=window,
                           max_groups=max_groups, groups_total=len(with_words),
                           words=total_words, documents=len(processed.corpus))
    return data


def _payload(data: dict[str, pd.DataFrame], title: str, corpus: str) -> dict:
    """The page's JSON: columns as lists, aligned with the sorted terms."""
    terms = data["matches"]["term"].tolist()
    index = {t: i for i, t in enumerate(terms)}
    attrs = data["groups"].attrs
    stats = []
    for name in data["groups"]["group"]:
        part = data["terms"][data["terms"]["group"] == name]
        part = part.set_index("term").reindex(terms)
        stats.append({key: part[column].tolist() for key, column in (
            ("count", "count"), ("rest", "rest_count"), ("rate", "per_1000"),
            ("rest_rate", "rest_per_1000"), ("g2", "g2"), ("lr", "log_ratio"),
            ("key", "key"), ("docs", "documents"))})
    lines: list[list] = [[] for _ in terms]
    for row in data["lines"].itertuples(index=False):
        lines[index[row.term]].append([row.doc, row.group, row.left, row.keyword, row.right])
    spread: list[list] = [[] for _ in terms]
    for row in data["dispersion"].itertuples(index=False):
        spread[index[row.term]] += [int(row.bin), int(row.count)]
    bins = data["bins"]
    return {
        "meta": {"title": title, "corpus": corpus, "by": attrs.get("by", ""),
                 "top": attrs.get("top"), "frequent": attrs.get("frequent"),
                 "lines": attrs.get("lines"), "window": attrs.get("window"),
                 "groups_total": attrs.get("groups_total"), "words": attrs.get("words"),
                 "documents": attrs.get("documents")},
        "groups": [{"name": g, "documents": int(d), "words": int(w)} for g, d, w in zip(
            data["groups"]["group"], data["groups"]["documents"], data["groups"]["words"],
            strict=True)],
        "terms": terms,
        "stats": stats,
        "matches": [int(m) for m in data["matches"]["matches"]],
        "lines": lines,
        "bins": {"label": bins["label"].tolist(), "group": bins["group"].tolist(),
                 "words": [int(w) for w in bins["words"]]},
        "dispersion": spread,
    }


def _script_json(value) -> str:
    """JSON that can sit inside a ``<script>`` element: ``<``, ``>`` and ``&`` escaped as
    ``\\u003c``, ``\\u003e``, ``\\u0026`` (and U+2028, U+2029), so that no string closes the
    element or opens a comment; keys sorted, so the same data gives the same bytes."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def explorer_html(data: dict[str, pd.DataFrame], title: str = "Explorer", corpus: str = ""
                  ) -> str:
    """The explorer page of :func:`explorer_data`'s tables, as one HTML string.

    Parameters
    ----------
    data : dict of DataFrame
        Output of :func:`explorer_data`.
    title : str
        The page's title.
    corpus : str
        The corpus's name, shown on the page (a folder or file name, not a path).

    Returns
    -------
    str
        A page without any remote resource: the data as JSON in a ``<script
        type="application/json">`` element (markup characters escaped, :func:`_script_json`),
        the code and style inline, and the fonts its Chinese, Arabic-script or Devanagari
        letters need (:func:`analysis.build.fonts.font_style`). The same tables give the same
        string.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> data = explorer_data(process(load_corpus()), by="voice", top=2, frequent=2, lines=1)
    >>> page = explorer_html(data, corpus="seeds")
    >>> page.startswith("<!DOCTYPE html>"), "http" in page.replace("http://www.w3.org", "")
    (True, False)
    """
    from analysis.build.fonts import font_style

    head, tail = _PAGE.split("__DATA__")
    page = head.replace("__TITLE__", html.escape(title)) + _script_json(
        _payload(data, title, corpus)) + tail
    fonts = font_style(page, _FONT_RULE)
    return page.replace("</head>", fonts + "\n</head>", 1) if fonts else page


@shared_docs
def write_explorer(processed: Processed, path: str | os.PathLike[str], *,
                   by: str | None = None, title: str | None = None, **caps) -> Path:
    """Write the explorer page of a corpus to ``path``, atomically.

    Parameters
    ----------
    {processed}
    path : str or path-like
        The HTML file; its folder must exist. A file there is replaced (whole, never half
        written); a folder or a link is refused.
    by : str, optional
        As for :func:`explorer_data`.
    title : str, optional
        The page's title (default: ``Explorer: <corpus name> by <by>``).
    **caps
        ``top``, ``frequent``, ``lines``, ``window``, ``max_groups``, ``bins``,
        ``min_count`` of :func:`explorer_data`.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> folder = tempfile.mkdtemp()
    >>> write_explorer(process(load_corpus()), f"{folder}/seeds.html", top=2).name
    'seeds.html'
    """
    path = Path(path)
    _write_page(processed, path, by, title, caps)
    return path


def _write_page(processed: Processed, path: Path, by: str | None, title: str | None,
                caps: dict) -> dict[str, pd.DataFrame]:
    """:func:`write_explorer`, returning the tables written."""
    if path.is_symlink() or path.is_dir():
        raise ValueError(f"{path}: a {'link' if path.is_symlink() else 'folder'}; give the "
                         "name of an HTML file")
    if not path.parent.is_dir():
        raise ValueError(f"{path}: no folder {path.parent}")
    data = explorer_data(processed, by=by, **caps)
    by = data["groups"].attrs["by"]
    root = processed.corpus.root
    corpus = Path(root).name if root else "corpus"
    title = title if title is not None else f"Explorer: {corpus} by {by}"
    write_text(path, explorer_html(data, title, corpus))
    return data


@dataclass
class SavedExplorer:
    """The explorer page :func:`save_explorer` wrote, shown in a notebook (and its report) as
    a link beside the data files (``data/NAME.html``); or, with ``path`` None, the sentence
    saying why there is none (``reason``)."""

    path: Path | None
    name: str
    by: str
    groups: int = 0
    terms: int = 0
    reason: str = ""

    def _repr_html_(self) -> str:
        if self.path is None:
            return (f'<p class="analysis-explorer">No explorer page: '
                    f"{html.escape(self.reason)}.</p>")
        size = self.path.stat().st_size / 1e6
        href = html.escape(f"{DATA_DIR}/{self.path.name}", quote=True)
        return (f'<p class="analysis-explorer"><a href="{href}"><b>Open the explorer</b>: '
                f"{html.escape(self.path.name)}</a> ({size:.1f} MB; {self.terms:,} terms, "
                f"the {self.groups} largest groups by {html.escape(self.by)}). It opens in "
                "any browser, offline, without Jupyter.</p>")

    def __repr__(self) -> str:
        if self.path is None:
            return f"No explorer page: {self.reason}."
        return (f"explorer {self.path.name}: {self.terms:,} terms, {self.groups} groups "
                f"by {self.by}")


@shared_docs
def save_explorer(processed: Processed, name: str, out_dir: str | os.PathLike[str] | None = None,
                  *, by: str | None = None, **caps) -> SavedExplorer:
    """Write the explorer page as ``<out_dir>/data/<name>.html``, beside the data of the
    figures and tables, and return a link to it for a notebook to show.

    In the HTML build the page is copied with the data files into ``reports/data/``, so the
    link of the report opens it.

    Parameters
    ----------
    {processed}
    name : str
        The file's name without ``.html``, the notebook's prefix first (``05-explorer``).
    out_dir : str or path-like, optional
        A figures folder (default :data:`analysis.config.FIGURES_DIR`).
    by : str, optional
        As for :func:`explorer_data`.
    **caps
        As for :func:`write_explorer`.

    Returns
    -------
    SavedExplorer
        The page written; where the corpus has no words or one group only
        (:class:`NoComparisonError`), no page, and the reason, so that a report says it in
        one sentence (a page of an earlier build of that name is removed).

    Examples
    --------
    >>> import tempfile
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> saved = save_explorer(process(load_corpus()), "05-explorer", tempfile.mkdtemp(), top=2)
    >>> saved.path.name, saved.by, saved.groups
    ('05-explorer.html', 'voice', 3)
    """
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name) or name.endswith(".html"):
        raise ValueError(f"explorer name {name!r}: letters, digits, '.', '_' and '-', "
                         "without a folder or .html")
    folder = Path(config.FIGURES_DIR if out_dir is None else out_dir) / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.html"
    try:
        data = _write_page(processed, path, by, None, caps)
    except NoComparisonError as err:
        if path.is_file() and not path.is_symlink():
            path.unlink()
        return SavedExplorer(None, name, by or units.default_by(processed.corpus),
                             reason=str(err))
    return SavedExplorer(path, name, data["groups"].attrs["by"], len(data["groups"]),
                         len(data["matches"]))


_DATA_OPEN = '<script type="application/json" id="explorer-data">'

_CSS = """
:root { --key: #b8452f; --neg: #2f6db8; --dim: #9a9a9a; --line: #ddd; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 1rem 1.5rem; color: #222;
       font-size: 14px; line-height: 1.4; }
h1 { font-size: 1.35rem; margin: 0 0 .2rem; }
h2 { font-size: 1.15rem; margin: .2rem 0; }
.meta, .note { color: #555; font-size: .85rem; margin: .2rem 0; }
.controls { display: flex; gap: 1.2rem; align-items: center; margin: .6rem 0; flex-wrap: wrap; }
.controls select, .controls input { font: inherit; padding: .15rem .3rem; }
.controls input { width: 16rem; }
.main { display: flex; gap: 1rem; align-items: flex-start; flex-wrap: wrap; }
#scatter { border: 1px solid var(--line); background: #fff; }
#scatter circle { cursor: pointer; }
#scatter .label { font-size: 11px; fill: #333; pointer-events: none; }
#scatter .axis { font-size: 11px; fill: #555; }
.side { flex: 1 1 30rem; max-width: 44rem; height: 600px; overflow-y: auto;
        border: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .15rem .4rem; border-bottom: 1px solid #eee; text-align: right;
         vertical-align: top; }
th { background: #f4f4f4; position: sticky; top: 0; cursor: pointer; user-select: none; }
td.term, th.term { text-align: left; }
#terms tbody tr { cursor: pointer; }
#terms tbody tr:hover, #terms tbody tr.selected { background: #fff3c4; }
#terms tr.positive td.term { color: var(--key); }
#terms tr.negative td.term { color: var(--neg); }
#detail { margin-top: 1rem; border-top: 2px solid #ccc; padding-top: .5rem; }
#lines td.left { text-align: right; white-space: nowrap; overflow: hidden;
                 max-width: 24rem; direction: rtl; }
#lines td.left span { direction: ltr; unicode-bidi: embed; }
#lines td.kw { text-align: center; font-weight: bold; white-space: nowrap; }
#lines td.right { text-align: left; white-space: nowrap; overflow: hidden; max-width: 24rem; }
#lines td.doc, #lines td.grp { text-align: left; font-size: .85rem; color: #555;
                               white-space: nowrap; }
#lines tr.here td.grp { color: #000; font-weight: bold; }
#dispersion { border: 1px solid var(--line); background: #fff; display: block;
              margin: .3rem 0; }
#dispersion text { font-size: 11px; fill: #555; }
.legend span { margin-right: 1rem; }
.dot { display: inline-block; width: .7rem; height: .7rem; border-radius: 50%;
       vertical-align: middle; margin-right: .25rem; }
"""

_JS = r"""
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("explorer-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const T = DATA.terms, M = DATA.meta;
  const state = {group: 0, term: -1, query: "", sort: "g2", desc: true};
  const $ = (id) => document.getElementById(id);
  const fmt = (x, d) => (x === null || x === undefined) ? "" :
    Number(x).toLocaleString("en", {maximumFractionDigits: d, minimumFractionDigits: 0});
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function sv(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // Header and group picker.
  $("title").textContent = M.title;
  $("meta").textContent = "Corpus " + M.corpus + ": " + fmt(M.documents, 0) +
    " documents, " + fmt(M.words, 0) + " words; grouped by " + M.by + ", the " +
    DATA.groups.length + " largest of " + M.groups_total + " groups. " + T.length +
    " terms: each group's " + M.top + " strongest positive and negative keywords against" +
    " the rest, and the " + M.frequent + " most frequent terms of the corpus.";
  DATA.groups.forEach(function (g, i) {
    const o = el("option", g.name + " (" + fmt(g.words, 0) + " words)");
    o.value = String(i);
    $("group").appendChild(o);
  });

  function stats() { return DATA.stats[state.group]; }
  function matches(i) {
    return state.query === "" || T[i].toLowerCase().indexOf(state.query) >= 0;
  }

  // The scatter: rate in the rest (x) against rate in the group (y), log scales.
  const W = 620, H = 600, L = 62, R = 14, TOP = 14, B = 50;
  function drawScatter() {
    const svg = $("scatter"), s = stats(), g = DATA.groups[state.group];
    clear(svg);
    let lo = Infinity, hi = 0;
    for (let i = 0; i < T.length; i++) {
      for (const v of [s.rate[i], s.rest_rate[i]]) {
        if (v > 0 && v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (!isFinite(lo)) { lo = 0.001; hi = 1; }
    const a = Math.floor(Math.log10(lo)) - 0.35, b = Math.log10(hi) + 0.1;
    const px = (v) => L + (v > 0 ? (Math.log10(v) - a) / (b - a) : 0) * (W - L - R);
    const py = (v) => H - B - (v > 0 ? (Math.log10(v) - a) / (b - a) : 0) * (H - B - TOP);
    svg.appendChild(sv("rect", {x: L, y: TOP, width: W - L - R, height: H - B - TOP,
                                fill: "#fff", stroke: "#ccc"}));
    for (let e = Math.ceil(a); e <= Math.floor(b); e++) {
      const v = Math.pow(10, e), t = e < 0 ? v.toFixed(-e) : String(v);
      svg.appendChild(sv("line", {x1: px(v), x2: px(v), y1: TOP, y2: H - B, stroke: "#eee"}));
      svg.appendChild(sv("line", {x1: L, x2: W - R, y1: py(v), y2: py(v), stroke: "#eee"}));
      svg.appendChild(sv("text", {x: px(v), y: H - B + 14, "text-anchor": "middle",
                                  class: "axis"}, t));
      svg.appendChild(sv("text", {x: L - 5, y: py(v) + 4, "text-anchor": "end",
                                  class: "axis"}, t));
    }
    svg.appendChild(sv("text", {x: L, y: H - B + 14, "text-anchor": "middle", class: "axis"},
                       "0"));
    svg.appendChild(sv("text", {x: L - 5, y: H - B + 4, "text-anchor": "end", class: "axis"},
                       "0"));
    svg.appendChild(sv("line", {x1: px(Math.pow(10, a)), y1: py(Math.pow(10, a)),
                                x2: px(Math.pow(10, b)), y2: py(Math.pow(10, b)),
                                stroke: "#bbb", "stroke-dasharray": "4 3"}));
    svg.appendChild(sv("text", {x: (L + W - R) / 2, y: H - 12, "text-anchor": "middle",
                                class: "axis"}, "per 1,000 words in the rest of the corpus"));
    svg.appendChild(sv("text", {x: 14, y: (TOP + H - B) / 2, "text-anchor": "middle",
                                class: "axis",
                                transform: "rotate(-90 14 " + (TOP + H - B) / 2 + ")"},
                       "per 1,000 words in " + g.name));
    const order = [];
    for (let i = 0; i < T.length; i++) order.push(i);
    // Keywords drawn last (on top), the searched and the chosen term over everything.
    const rank = (i) => (i === state.term ? 3 : state.query && matches(i) ? 2 :
                         s.key[i] !== 0 ? 1 : 0);
    order.sort((i, j) => rank(i) - rank(j) || i - j);
    for (const i of order) {
      const k = s.key[i], hit = state.query !== "" && matches(i);
      const fill = k > 0 ? "var(--key)" : k < 0 ? "var(--neg)" : "var(--dim)";
      const c = sv("circle", {cx: px(s.rest_rate[i]).toFixed(1),
                              cy: py(s.rate[i]).toFixed(1),
                              r: i === state.term ? 6 : hit ? 4.5 : 3, fill: fill,
                              "fill-opacity": state.query && !hit ? 0.15 : 0.75,
                              stroke: i === state.term || hit ? "#000" : "none"});
      c.dataset.term = T[i];
      c.appendChild(sv("title", {}, T[i] + ": " + fmt(s.rate[i], 3) + " per 1,000 here, " +
                       fmt(s.rest_rate[i], 3) + " in the rest; G2 " + fmt(s.g2[i], 2) +
                       ", log ratio " + fmt(s.lr[i], 2)));
      c.addEventListener("click", () => choose(i));
      svg.appendChild(c);
    }
    // Labels: the strongest keywords each way, the searched terms, the chosen one; a label
    // that would overlap one already placed is left out.
    const want = [];
    if (state.term >= 0) want.push(state.term);
    if (state.query) for (const i of order.slice().reverse()) if (matches(i)) want.push(i);
    for (let r = 1; r <= 12; r++) for (let i = 0; i < T.length; i++)
      if (s.key[i] === r || s.key[i] === -r) want.push(i);
    const boxes = [];
    for (const i of want.slice(0, 60)) {
      const x = px(s.rest_rate[i]) + 5, y = py(s.rate[i]) - 4, w = T[i].length * 6.4 + 2;
      const flip = x + w > W - R, bx = flip ? x - w - 10 : x;
      const box = [bx, y - 10, bx + w, y + 2];
      if (boxes.some((o) => box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]))
        continue;
      boxes.push(box);
      svg.appendChild(sv("text", {x: bx, y: y, class: "label"}, T[i]));
    }
  }

  // The table of the group's terms, with their keyness against the rest.
  const COLS = [["term", "term"], ["count", "count here"], ["rate", "per 1,000 here"],
                ["rest_rate", "per 1,000 in the rest"], ["g2", "G2"], ["lr", "log ratio"]];
  function drawTable() {
    const head = $("terms-head"), body = $("terms-body"), s = stats();
    clear(head); clear(body);
    const tr = el("tr");
    COLS.forEach(function (c) {
      const th = el("th", c[1] + (state.sort === c[0] ? (state.desc ? " \u25bc" : " \u25b2") : ""),
                    c[0] === "term" ? "term" : "");
      th.addEventListener("click", function () {
        state.desc = state.sort === c[0] ? !state.desc : c[0] !== "term";
        state.sort = c[0];
        drawTable();
      });
      tr.appendChild(th);
    });
    head.appendChild(tr);
    const rows = [];
    for (let i = 0; i < T.length; i++) if (matches(i)) rows.push(i);
    const value = (i) => state.sort === "term" ? T[i] :
      state.sort === "g2" ? (s.rate[i] >= s.rest_rate[i] ? s.g2[i] : -s.g2[i]) : s[state.sort][i];
    rows.sort(function (i, j) {
      const x = value(i), y = value(j);
      const d = x < y ? -1 : x > y ? 1 : 0;
      return (state.desc ? -d : d) || (T[i] < T[j] ? -1 : T[i] > T[j] ? 1 : 0);
    });
    for (const i of rows) {
      const row = el("tr", null, (s.key[i] > 0 ? "positive" : s.key[i] < 0 ? "negative" : "") +
                     (i === state.term ? " selected" : ""));
      row.dataset.term = T[i];
      row.appendChild(el("td", T[i], "term"));
      row.appendChild(el("td", fmt(s.count[i], 0)));
      row.appendChild(el("td", fmt(s.rate[i], 3)));
      row.appendChild(el("td", fmt(s.rest_rate[i], 3)));
      row.appendChild(el("td", (s.rate[i] < s.rest_rate[i] ? "\u2212" : "") + fmt(s.g2[i], 2)));
      row.appendChild(el("td", fmt(s.lr[i], 2)));
      row.addEventListener("click", () => choose(i));
      body.appendChild(row);
    }
    $("count").textContent = rows.length + " of " + T.length + " terms";
  }

  // A term: its figures in the group, its dispersion and its concordance lines.
  function drawDetail() {
    const box = $("detail");
    if (state.term < 0) { box.hidden = true; return; }
    box.hidden = false;
    const i = state.term, s = stats(), g = DATA.groups[state.group];
    $("dterm").textContent = T[i];
    $("dsummary").textContent = "In " + g.name + ": " + fmt(s.count[i], 0) + " (" +
      fmt(s.rate[i], 3) + " per 1,000 words), in " + fmt(s.docs[i], 0) + " of " +
      fmt(g.documents, 0) + " documents; in the rest: " + fmt(s.rest[i], 0) + " (" +
      fmt(s.rest_rate[i], 3) + " per 1,000). G2 " + fmt(s.g2[i], 2) + ", log ratio " +
      fmt(s.lr[i], 2) + (s.key[i] > 0 ? "; keyword of " + g.name + " (rank " + s.key[i] + ")" :
      s.key[i] < 0 ? "; negative keyword of " + g.name + " (rank " + (-s.key[i]) + ")" : "") + ".";
    drawDispersion(i);
    const lines = DATA.lines[i], body = $("lines-body");
    clear(body);
    $("lines-note").textContent = lines.length + " of " + fmt(DATA.matches[i], 0) +
      " concordance lines (every match, as kwic finds it), spread evenly over the corpus; " +
      M.window + " words each side.";
    for (const line of lines) {
      const row = el("tr", null, line[1] === g.name ? "here" : "");
      row.appendChild(el("td", line[0], "doc"));
      row.appendChild(el("td", line[1], "grp"));
      const left = el("td", null, "left");
      left.appendChild(el("span", line[2]));
      row.appendChild(left);
      row.appendChild(el("td", line[3], "kw"));
      row.appendChild(el("td", line[4], "right"));
      body.appendChild(row);
    }
  }

  function drawDispersion(i) {
    const svg = $("dispersion"), bins = DATA.bins, n = bins.words.length;
    const w = 1200, h = 150, top = 22, bottom = 26, left = 4;
    clear(svg);
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    const step = (w - 2 * left) / Math.max(n, 1), pairs = DATA.dispersion[i];
    const g = DATA.groups[state.group].name;
    // Runs of stretches of one group, shaded in turn; the chosen group's in yellow.
    let start = 0, shade = 0;
    for (let k = 1; k <= n; k++) {
      if (k === n || bins.group[k] !== bins.group[start]) {
        const name = bins.group[start];
        svg.appendChild(sv("rect", {x: left + start * step, y: top, width: (k - start) * step,
                                    height: h - top - bottom,
                                    fill: name !== "" && name === g ? "#fff3c4" :
                                      shade % 2 ? "#f3f3f3" : "#fafafa"}));
        if (name !== "" && (k - start) * step > 40) {
          const t = sv("text", {x: left + start * step + 3, y: h - bottom + 14}, name);
          t.appendChild(sv("title", {}, name));
          svg.appendChild(t);
        }
        start = k; shade++;
      }
    }
    let most = 0;
    for (let k = 0; k < pairs.length; k += 2)
      most = Math.max(most, pairs[k + 1] / Math.max(bins.words[pairs[k]], 1));
    for (let k = 0; k < pairs.length; k += 2) {
      const b = pairs[k], rate = pairs[k + 1] / Math.max(bins.words[b], 1);
      const bh = Math.max(1.5, (h - top - bottom) * rate / most);
      const r = sv("rect", {x: (left + b * step).toFixed(2), y: (h - bottom - bh).toFixed(2),
                            width: Math.max(step - (step > 3 ? 1 : 0), 0.8).toFixed(2),
                            height: bh.toFixed(2),
                            fill: bins.group[b] === g && g !== "" ? "var(--key)" : "#555"});
      r.appendChild(sv("title", {}, bins.label[b] + ": " + pairs[k + 1] + " (" +
                       fmt(1000 * rate, 2) + " per 1,000 words)"));
      svg.appendChild(r);
    }
    svg.appendChild(sv("text", {x: left, y: 14},
                       "Matches per 1,000 words in each " + (n === M.documents ?
                         "document" : "stretch of documents") + " (highest " +
                       fmt(1000 * most, 2) + "); documents in " +
                       (bins.group[0] !== "" || bins.group[n - 1] !== "" ?
                         "group order, then corpus order" : "corpus order")));
  }

  function choose(i) {
    state.term = i;
    drawScatter(); drawTable(); drawDetail();
    $("detail").scrollIntoView({block: "nearest"});
  }
  $("group").addEventListener("change", function () {
    state.group = Number(this.value);
    drawScatter(); drawTable(); drawDetail();
  });
  $("search").addEventListener("input", function () {
    state.query = this.value.trim().toLowerCase();
    drawScatter(); drawTable();
  });
  $("search").addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    const exact = T.findIndex((t) => t.toLowerCase() === state.query);
    const first = $("terms-body").firstChild;
    if (exact >= 0) choose(exact);
    else if (first) choose(T.indexOf(first.dataset.term));
  });
  // First shown: the first group's strongest keyword (else its most frequent term).
  const first = stats().key.indexOf(1);
  state.term = first >= 0 ? first : stats().count.indexOf(Math.max(...stats().count));
  drawScatter(); drawTable(); drawDetail();
})();
"""

# The page's font stack, with the fonts for Chinese, Arabic-script and Devanagari letters in
# front where its terms have them (analysis.build.fonts.font_style).
_FONT_RULE = 'body {{ font-family: {stack}, "DejaVu Sans", Verdana, sans-serif; }}'

_PAGE = (
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>__TITLE__</title>\n<style>" + _CSS + "</style>\n</head>\n<body>\n"
    "<h1 id=\"title\">__TITLE__</h1>\n<p class=\"meta\" id=\"meta\"></p>\n"
    "<noscript><p>This page draws its plot and tables with JavaScript, which is turned off."
    "</p></noscript>\n"
    "<div class=\"controls\"><label>Group <select id=\"group\"></select></label>\n"
    "<label>Search <input id=\"search\" type=\"search\" placeholder=\"a term\" "
    "autocomplete=\"off\"></label><span class=\"meta\" id=\"count\"></span></div>\n"
    "<p class=\"note legend\"><span><span class=\"dot\" style=\"background:#b8452f\"></span>"
    "keyword of the group</span><span><span class=\"dot\" style=\"background:#2f6db8\"></span>"
    "negative keyword</span><span><span class=\"dot\" style=\"background:#9a9a9a\"></span>"
    "frequent term</span>Click a point or a row for the term's lines; G2 is negative where "
    "the term is rarer in the group than in the rest. 10.83 is p &lt; 0.001.</p>\n"
    "<div class=\"main\">\n<svg id=\"scatter\" width=\"620\" height=\"600\" "
    "viewBox=\"0 0 620 600\" role=\"img\" aria-label=\"Terms by their rate in the group and "
    "in the rest of the corpus\"></svg>\n"
    "<div class=\"side\"><table id=\"terms\"><thead id=\"terms-head\"></thead>"
    "<tbody id=\"terms-body\"></tbody></table></div>\n</div>\n"
    "<section id=\"detail\" hidden>\n<h2 id=\"dterm\"></h2>\n<p id=\"dsummary\"></p>\n"
    "<svg id=\"dispersion\" width=\"100%\" height=\"150\" role=\"img\" "
    "aria-label=\"Dispersion over the documents\"></svg>\n"
    "<p class=\"note\" id=\"lines-note\"></p>\n"
    "<table id=\"lines\"><thead><tr><th class=\"term\">document</th><th class=\"term\">group"
    "</th><th>left</th><th>term</th><th class=\"term\">right</th></tr></thead>"
    "<tbody id=\"lines-body\"></tbody></table>\n</section>\n"
    + _DATA_OPEN + "__DATA__</script>\n<script>" + _JS + "</script>\n</body>\n</html>\n"
)
