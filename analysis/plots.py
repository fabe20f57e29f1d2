"""Plot functions: one per figure kind, each takes an Axes, draws a table on it, returns it.

They never save (``analysis.figures.save_figure`` does) and never compute statistics (the
analysis modules do): a plot function receives the DataFrame a notebook shows.
"""

from __future__ import annotations

import functools

from analysis import units

__all__ = ["actor_plot", "collocates_plot", "dispersion_plot", "evaluation_plot",
           "figure_height", "frame_heatmap", "group_sizes_plot", "group_style",
           "grouped_bars_plot", "keyness_plot", "line_style", "NO_ROWS", "place_labels",
           "positions_plot", "roads_plot", "section_sizes_plot", "sentence_length_plot",
           "similarity_plot", "top_terms_plot", "topic_heatmap_plot", "topic_terms_plot",
           "trend_plot", "vocabulary_scatter_plot", "word_weights_plot"]

#: What a plot function writes on its Axes when given a table with no rows. A report never
#: draws one: :func:`analysis.figures.draw` shows the report's own sentence instead.
NO_ROWS = "No rows to draw."


def _placeholder_when_empty(plot):
    """Make a plot function write :data:`NO_ROWS` on blank Axes for a table without rows (or
    None), so that an empty figure is never mistaken for one with nothing to show."""
    @functools.wraps(plot)
    def wrapper(ax, table, *args, **options):
        if table is None or len(table) == 0:
            ax.set_axis_off()
            ax.text(0.5, 0.5, NO_ROWS, ha="center", va="center", transform=ax.transAxes)
            return ax
        return plot(ax, table, *args, **options)
    return wrapper

#: Colours of the style's cycle (``C0`` ... ``C9``): the first ten groups of a figure.
N_COLOURS = 10
#: Fill patterns that keep groups 11 and up apart (the colours repeat, the pattern does not).
HATCHES = ("", "///", "...", "xxx", "\\\\\\")
#: Line dashes that do the same for lines.
DASHES = ("-", "--", ":", "-.")


def group_style(k: int) -> dict:
    """Colour and fill pattern of the ``k``-th group (0-based) of a bar figure.

    The ten colours of the style come first, plain; from the eleventh group the colours
    repeat with a hatch, so up to 50 groups (``N_COLOURS * len(HATCHES)``) never share a
    style; a report shows 12 by default (``MAX_GROUPS``).

    Examples
    --------
    >>> group_style(0), group_style(11)
    ({'color': 'C0'}, {'color': 'C1', 'hatch': '///'})
    """
    hatch = HATCHES[(k // N_COLOURS) % len(HATCHES)]
    return {"color": f"C{k % N_COLOURS}", **({"hatch": hatch} if hatch else {})}


def line_style(k: int) -> dict:
    """Colour and dash of the ``k``-th line of a figure: as :func:`group_style`, dashed
    instead of hatched (40 lines without a repeat).

    Examples
    --------
    >>> line_style(1), line_style(10)
    ({'color': 'C1', 'linestyle': '-'}, {'color': 'C0', 'linestyle': '--'})
    """
    return {"color": f"C{k % N_COLOURS}", "linestyle": DASHES[(k // N_COLOURS) % len(DASHES)]}

# --- corpus plots ---


@_placeholder_when_empty
def section_sizes_plot(ax, sections, value: str = "words"):
    """Horizontal stacked bars: one bar per document, one segment per section.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    sections : DataFrame
        :func:`analysis.overview.summary` with ``by="section"`` (``doc, section, voice, <value>``).
    value : str, default "words"
        The size to draw (``words``, ``sentences``...).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.overview import summary
    >>> fig, ax = plt.subplots()
    >>> ax = section_sizes_plot(ax, summary(processed, by='section'))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['songtao-article', 'award-report']
    >>> plt.close(fig)
    """
    docs = list(dict.fromkeys(sections["doc"]))
    styles = {voice: group_style(k)
              for k, voice in enumerate(dict.fromkeys(sections["voice"]))}
    left = dict.fromkeys(docs, 0)
    seen_voices = set()
    for row in sections.itertuples(index=False):
        width = getattr(row, value)
        y = docs.index(row.doc)
        label = row.voice if row.voice not in seen_voices else None
        seen_voices.add(row.voice)
        ax.barh(y, width, left=left[row.doc], edgecolor="white", label=label,
                **styles[row.voice])
        if width:
            ax.text(left[row.doc] + width / 2, y, row.section, ha="center", va="center",
                    fontsize=8, rotation=90 if width < 0.08 * max(1, sections[value].sum())
                    else 0)
        left[row.doc] += width
    ax.set_yticks(range(len(docs)), docs)
    ax.invert_yaxis()
    ax.set_xlabel(value)
    ax.legend(title="voice", loc="lower right", frameon=False)
    return ax


@_placeholder_when_empty
def group_sizes_plot(ax, summary):
    """Horizontal bars: words per group, each labelled with its documents.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    summary : DataFrame
        :func:`analysis.overview.summary` by a group (group columns, ``documents``, ``words``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.overview import summary
    >>> fig, ax = plt.subplots()
    >>> ax = group_sizes_plot(ax, summary(processed, by='voice'))
    >>> len(ax.patches)
    3
    >>> plt.close(fig)
    """
    labels = _unit_labels(summary, "documents" if "documents" in summary else "paragraphs")
    y = range(len(summary))
    ax.barh(y, summary["words"], color="C0")
    if "documents" in summary:
        for i, (words, docs) in enumerate(zip(summary["words"], summary["documents"],
                                              strict=True)):
            ax.text(words, i, f" {docs} doc{'s' * (docs != 1)}", va="center", fontsize=8)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel("words")
    return ax


@_placeholder_when_empty
def sentence_length_plot(ax, sentences):
    """Box plot of sentence length in words, one box per group.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    sentences : DataFrame
        :func:`analysis.overview.sentence_lengths`: group columns, then ``words``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.overview import sentence_lengths
    >>> fig, ax = plt.subplots()
    >>> ax = sentence_length_plot(ax, sentence_lengths(processed, by='voice'))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['newspaper', 'Song Tao', 'award report']
    >>> plt.close(fig)
    """
    import numpy as np

    labels = np.asarray(_unit_labels(sentences, "words"), dtype=object)
    words = sentences["words"].to_numpy()
    groups = list(dict.fromkeys(labels))
    data = [words[labels == group] for group in groups]
    ax.boxplot(data, orientation="horizontal", showfliers=True)
    ax.set_yticks(range(1, len(groups) + 1), groups)
    ax.invert_yaxis()
    ax.set_xlabel("words per sentence")
    return ax

# --- keyword plots ---


#: The tallest figure, in inches (4,800 pixels at the reports' 120 dpi). Reports show at most
#: ``MAX_GROUPS`` groups; a larger value than a page can hold squeezes the rows into this
#: height rather than drawing a figure of hundreds of thousands of pixels.
MAX_FIGURE_HEIGHT = 40.0


def figure_height(rows: int, minimum: float, per_row: float = 0.2) -> float:
    """Height in inches of a figure with one labelled bar or line per row.

    ``minimum`` for a few rows, else ``per_row`` inches per row (0.2 in = 14.4 pt leaves room
    for an 8-10 pt tick label), so a chart of many documents' terms stays legible; never more
    than :data:`MAX_FIGURE_HEIGHT`.

    Examples
    --------
    >>> figure_height(3, 4), figure_height(50, 4), figure_height(120_000, 4)
    (4, 10.0, 40.0)
    """
    return min(max(minimum, per_row * rows), MAX_FIGURE_HEIGHT)


@_placeholder_when_empty
def top_terms_plot(ax, table, value: str = "per_1000", title: str | None = None):
    """Horizontal bars of a word list, most frequent at the top.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    table : DataFrame
        Rows of :func:`analysis.frequency.frequency` (or :func:`analysis.keyness.keywords_by`)
        already cut to the top N (``term`` and ``value``); with group columns before
        ``term``, each group's bars get their own colour and a legend entry.
    value : str, default "per_1000"
        The column to draw (``per_1000`` or ``count``).
    title : str, optional
        Axes title (e.g. the document id).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.frequency import frequency
    >>> fig, ax = plt.subplots()
    >>> ax = top_terms_plot(ax, frequency(processed, by="corpus", top=5))
    >>> len(ax.patches)
    5
    >>> plt.close(fig)
    """
    import numpy as np
    import pandas as pd

    if units.by_of(table, "term") != "corpus":
        codes, docs = pd.factorize(np.asarray(_unit_labels(table, "term"), dtype=object))
        docs = list(docs)  # in order of appearance
    else:
        codes, docs = np.zeros(len(table), dtype=int), [None]
    for d_index, doc in enumerate(docs):
        rows = np.flatnonzero(codes == d_index).tolist()
        ax.barh(rows, table[value].to_numpy()[rows], label=doc, **group_style(d_index))
    ax.set_yticks(range(len(table)), table["term"])
    if docs != [None]:
        ax.legend(frameon=False, loc="lower right")
    ax.invert_yaxis()
    ax.set_xlabel({"per_1000": "per 1,000 words", "g2": "log-likelihood G2 against the rest"}
                  .get(value, value))
    if title:
        ax.set_title(title)
    return ax


@_placeholder_when_empty
def keyness_plot(ax, table, value: str = "log_ratio", title: str | None = None):
    """Two-sided bars: positive keywords to the right, negative keywords to the left.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    table : DataFrame
        :func:`analysis.keyness.top_keywords` (``term, direction, g2, <value>``).
    value : str, default "log_ratio"
        Bar length (``log_ratio`` or ``g2``; ``g2`` is drawn negative for negative keywords).
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.keyness import keyness, top_keywords
    >>> table = top_keywords(keyness(processed, 'songtao-article'), n=3)
    >>> fig, ax = plt.subplots()
    >>> ax = keyness_plot(ax, table)
    >>> len(ax.patches) == len(table)
    True
    >>> plt.close(fig)
    """
    # Log ratio carries its own sign; G2 does not, so negative keywords are drawn leftwards.
    lengths = table[value].where(table["direction"] != "negative", -table[value].abs())
    colors = ["C0" if d == "positive" else "C3" for d in table["direction"]]
    y = range(len(table))
    ax.barh(y, lengths, color=colors)
    ax.set_yticks(y, [f"{t} ({a}:{b:g})" for t, a, b in zip(
        table["term"], table["target_count"], table["reference_count"], strict=True)])
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel({"log_ratio": "Log Ratio (log2 of relative-frequency ratio)",
                   "g2": "log-likelihood G2 (negative keywords drawn left)"}.get(value, value))
    if title:
        ax.set_title(title)
    return ax


@_placeholder_when_empty
def dispersion_plot(ax, table, terms=None):
    """Lexical dispersion ("x-ray"): a tick where each term occurs, one row per doc and term.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    table : DataFrame
        :func:`analysis.concordance.dispersion` (``doc, term, relative``).
    terms : list of str, optional
        Row order of the terms (default: first appearance in ``table``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.concordance import dispersion
    >>> fig, ax = plt.subplots()
    >>> ax = dispersion_plot(ax, dispersion(processed, ['road', 'cpec']))
    >>> len(ax.get_yticklabels()) >= 2
    True
    >>> plt.close(fig)
    """
    terms = list(terms) if terms is not None else list(dict.fromkeys(table["term"]))
    docs = list(dict.fromkeys(table["doc"]))
    labels = []
    groups = {key: rows["relative"] for key, rows in table.groupby(["doc", "term"], sort=False)}
    for d_index, doc in enumerate(docs):
        for t_index, term in enumerate(terms):
            row = d_index * len(terms) + t_index
            labels.append(f"{doc}: {term}")
            hits = groups.get((doc, term), table["relative"].iloc[:0])
            ax.vlines(hits, row - 0.4, row + 0.4, color=f"C{d_index % 10}", linewidth=1.2)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(-0.01, 1.01)  # a tick at 0 or 1 stays visible
    ax.set_xlabel("relative position in the document (0 = start, 1 = end)")
    return ax


@_placeholder_when_empty
def collocates_plot(ax, table, measure: str = "g2", title: str | None = None):
    """Horizontal bars of a node's collocates by one measure, labelled with their counts.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    table : DataFrame
        :func:`analysis.collocation.collocates`, cut to the top N.
    measure : str, default "g2"
        Column to draw (``pmi``, ``g2`` or ``t_score``).
    title : str, optional
        Axes title (e.g. the node).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.collocation import collocates
    >>> fig, ax = plt.subplots()
    >>> ax = collocates_plot(ax, collocates(processed, 'cpec').head(5), title='cpec')
    >>> ax.get_title()
    'cpec'
    >>> plt.close(fig)
    """
    y = range(len(table))
    ax.barh(y, table[measure], color="C2")
    ax.set_yticks(y, [f"{c} (O={o}, f={f})" for c, o, f in zip(
        table["collocate"], table["count"], table["collocate_count"], strict=True)])
    ax.invert_yaxis()
    ax.set_xlabel({"pmi": "PMI (log2 O/E)", "g2": "log-likelihood G2",
                   "t_score": "t-score"}.get(measure, measure))
    if title:
        ax.set_title(title)
    return ax

# --- framing plots ---


def _unit_labels(table, data_column: str):
    """The group labels of a per-group table (:func:`analysis.units.row_labels` of the group
    columns before ``data_column``), in table order; a road's ordinal and value for a table
    of roads."""
    if "road" in table.columns and "ordinal" in table.columns:
        return [f"{o}. {r}" for o, r in zip(table["ordinal"], table["road"], strict=True)]
    return units.row_labels(table, units.by_of(table, data_column)).tolist()


def roads_plot(ax, roads, width: int = 34):
    """The roads as a diagram: road (value) -> role, with the paragraph's evidence.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw (its axes are switched off).
    roads : DataFrame
        :func:`analysis.framing.roads.roads` (``ordinal, road, role, figures, adversaries``).
    width : int, default 34
        Characters per line in the wrapped boxes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.framing.roads import roads
    >>> fig, ax = plt.subplots(figsize=(11, 5))
    >>> ax = roads_plot(ax, roads(processed))
    >>> ax.axison
    False
    >>> plt.close(fig)
    """
    import textwrap

    ax.set_axis_off()
    ax.set_xlim(0, 3)
    n = len(roads)
    ax.set_ylim(n + 0.2, -0.6)
    for x, title in ((0.45, "road (... is a road of/to/for)"),
                     (1.45, "role (what the actor shall do)"),
                     (2.45, "evidence in the paragraph")):
        ax.text(x, -0.45, title, ha="center", va="center", fontweight="bold", fontsize=9)
    if n == 0:
        ax.text(1.5, 0.3, "no road metaphor found", ha="center", va="center")
        return ax
    for y, row in enumerate(roads.itertuples(index=False)):
        box = {"boxstyle": "round,pad=0.4", "facecolor": f"C{y % 10}", "alpha": 0.18,
               "edgecolor": f"C{y % 10}"}
        ax.text(0.45, y + 0.3, textwrap.fill(f"{row.ordinal}. {row.road}", width), ha="center",
                va="center", fontsize=9, bbox=box)
        ax.text(1.45, y + 0.3, textwrap.fill(row.role or "(no role found)", width),
                ha="center", va="center", fontsize=9, bbox=box)
        ax.annotate("", xy=(1.05, y + 0.3), xytext=(0.85, y + 0.3),
                    arrowprops={"arrowstyle": "->", "color": "0.3"})
        evidence = []
        if row.figures:
            evidence.append("figures: " + row.figures)
        if len(row.adversaries):
            evidence.append("adversaries: " + ", ".join(row.adversaries))
        evidence.append(f"{len(row.claims)} claim(s), {len(row.commitments)} commitment(s)")
        ax.text(2.05, y + 0.3, "\n".join(textwrap.fill(e, width + 8) for e in evidence),
                ha="left", va="center", fontsize=8)
    return ax


@_placeholder_when_empty
def frame_heatmap(ax, shares, cmap: str = "Blues"):
    """Heatmap of frame shares: one row per document or section, one column per frame.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    shares : DataFrame
        :func:`analysis.framing.frames.frame_shares` (``doc`` [``section``], ``frame, share``).
    cmap : str, default "Blues"
        Matplotlib colour map.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.framing.frames import frame_shares
    >>> fig, ax = plt.subplots(figsize=(11, 3))
    >>> ax = frame_heatmap(ax, frame_shares(processed, by='voice'))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['newspaper', 'Song Tao', 'award report']
    >>> plt.close(fig)
    """
    labels = list(dict.fromkeys(_unit_labels(shares, "frame")))
    frames = list(dict.fromkeys(shares["frame"]))
    table = shares.assign(unit=_unit_labels(shares, "frame")).pivot(index="unit", columns="frame",
                                                           values="share")
    table = table.loc[labels, frames]
    image = ax.imshow(table.to_numpy(dtype=float), cmap=cmap, vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(frames)), frames, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    for i in range(len(labels)):
        for j in range(len(frames)):
            value = table.iat[i, j]
            if value > 0:
                ax.text(j, i, f"{value:.2f}".lstrip("0"), ha="center", va="center", fontsize=7,
                        color="white" if value > 0.6 else "black")
    ax.figure.colorbar(image, ax=ax, label="share of sentences")  # a long label is cut
    return ax


@_placeholder_when_empty
def grouped_bars_plot(ax, table, item: str, value: str = "per_1000", unit=None,
                      horizontal: bool = True, top: int | None = None):
    """Grouped bars of a long table: one group per ``item``, one bar per unit.

    Used for modal rates (:func:`analysis.stance.modality`), participant rates
    (:func:`analysis.stance.participants`) and metaphor counts
    (:func:`analysis.framing.metaphors.metaphor_counts`).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    table : DataFrame
        Long table with ``doc`` (and maybe ``section``), ``item`` and ``value`` columns.
    item : str
        Column whose values form the groups (``modal``, ``group``, ``marker``...).
    value : str, default "per_1000"
        Bar length.
    unit : list of str, optional
        Group labels per row (default: :func:`analysis.units.row_labels`).
    horizontal : bool, default True
        Horizontal bars (groups on the y axis).
    top : int, optional
        Only the ``top`` items with the largest total ``value`` (ties: first in the table).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.stance import modality
    >>> rates = modality(processed, by='voice', level='category')
    >>> fig, ax = plt.subplots()
    >>> ax = grouped_bars_plot(ax, rates, 'category')
    >>> len(ax.patches)
    12
    >>> plt.close(fig)
    """
    labels = _unit_labels(table, item) if unit is None else list(unit)
    units = list(dict.fromkeys(labels))
    items = list(dict.fromkeys(table[item]))
    if top is not None:
        totals = table.groupby(item, sort=False)[value].sum()
        kept = set(totals.sort_values(ascending=False, kind="mergesort").head(top).index)
        items = [i for i in items if i in kept]
    data = table.assign(_unit=labels).pivot_table(index=item, columns="_unit", values=value,
                                                  aggfunc="sum", fill_value=0)
    data = data.reindex(index=items, columns=units, fill_value=0)
    height = 0.8 / max(1, len(units))
    for k, name in enumerate(units):
        positions = [i - 0.4 + height * (k + 0.5) for i in range(len(items))]
        if horizontal:
            ax.barh(positions, data[name].to_numpy(), height=height, label=name,
                    **group_style(k))
        else:
            ax.bar(positions, data[name].to_numpy(), width=height, label=name,
                   **group_style(k))
    if horizontal:
        ax.set_yticks(range(len(items)), items)
        ax.invert_yaxis()
        ax.set_xlabel(value.replace("_", " "))
    else:
        ax.set_xticks(range(len(items)), items, rotation=45, ha="right")
        ax.set_ylabel(value.replace("_", " "))
    ax.legend(frameon=False, fontsize=8)
    return ax


@_placeholder_when_empty
def evaluation_plot(ax, summary):
    """Mean VADER compound per unit, with the shares of positive and negative sentences.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    summary : DataFrame
        :func:`analysis.stance.evaluation_summary` (``mean_compound, positive_share,
        negative_share`` and unit columns).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.stance import evaluation_summary
    >>> fig, ax = plt.subplots()
    >>> ax = evaluation_plot(ax, evaluation_summary(processed, by='voice'))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['newspaper', 'Song Tao', 'award report']
    >>> plt.close(fig)
    """
    labels = _unit_labels(summary, "sentences")
    y = range(len(labels))
    ax.barh([i - 0.25 for i in y], summary["mean_compound"], height=0.25, color="C0",
            label="mean compound")
    ax.barh(list(y), summary["positive_share"], height=0.25, color="C2",
            label="share of positive sentences")
    ax.barh([i + 0.25 for i in y], -summary["negative_share"], height=0.25, color="C3",
            label="share of negative sentences (drawn left)")
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.set_xlim(-1, 1)
    ax.set_xlabel("VADER compound / share of sentences")
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    return ax


# --- topic plots ---


def place_labels(ax, x, y, labels, colors=None, fontsize: float = 8.0, pad: float = 2.0):
    """Label points without overlap: greedy placement, in the given priority order.

    Each label tries eight positions around its point (right-up, right-down, left-up,
    left-down, right, left, above, below), first close and then farther out, and keeps the
    first whose box (padded by ``pad`` pixels) lies inside the axes and overlaps no label
    placed before; a label with no free position is skipped. This is a deterministic
    stand-in for scattertext's label placement (and for the ``adjustText`` package, which is
    not a dependency): same input, same layout.

    Draw the axes' content and fix its limits and the figure's size and layout before
    calling: boxes are measured in display coordinates at call time.

    Parameters
    ----------
    ax : Axes
    x, y : sequences of float
        Data coordinates of the points, in priority order (the first is placed first).
    labels : sequence of str
    colors : sequence of colour, optional
    fontsize : float, default 8
    pad : float, default 2
        Extra pixels around each label box when checking overlaps.

    Returns
    -------
    list of matplotlib.text.Annotation
        The labels placed (skipped labels are not drawn).
    """
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    near = [(4, 3, "left", "bottom"), (4, -3, "left", "top"), (-4, 3, "right", "bottom"),
            (-4, -3, "right", "top"), (6, 0, "left", "center"), (-6, 0, "right", "center"),
            (0, 6, "center", "bottom"), (0, -6, "center", "top")]
    candidates = near + [(dx * 3, dy * 3, ha, va) for dx, dy, ha, va in near]
    placed, boxes = [], []
    for i, (px, py, label) in enumerate(zip(x, y, labels, strict=True)):
        color = colors[i] if colors is not None else "black"
        for dx, dy, ha, va in candidates:
            text = ax.annotate(str(label), (px, py), xytext=(dx, dy),
                               textcoords="offset points", ha=ha, va=va,
                               fontsize=fontsize, color=color)
            box = text.get_window_extent(renderer).padded(pad)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                      and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(other) for other in boxes):
                placed.append(text)
                boxes.append(box)
                break
            text.remove()
    return placed


def _jitter(term: str, scale: float) -> float:
    import zlib

    # Deterministic (unlike random jitter or Python's salted hash): the same term always
    # moves by the same amount, so figures are byte-identical between builds.
    return scale * ((zlib.crc32(term.encode("utf-8")) % 2001) / 1000.0 - 1.0)


@_placeholder_when_empty
def vocabulary_scatter_plot(ax, table, labels=None, label_a: str = "a", label_b: str = "b",
                            jitter: float = 0.035, fontsize: float = 8.0):
    """Scattertext-style plot of two texts' vocabularies, coloured by log-odds z.

    Each term of :func:`analysis.compare.compare_terms` is a point at
    ``(log10(count_a + 1), log10(count_b + 1))`` plus a small deterministic jitter (many
    terms share the same small counts), coloured by its ``z`` (red: ``a``, blue: ``b``). The
    diagonal is equal counts. The terms of ``labels`` (:func:`analysis.compare.label_terms`)
    are labelled in their order, without overlap (:func:`place_labels`).

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        Output of :func:`analysis.compare.compare_terms`.
    labels : DataFrame, optional
        Output of :func:`analysis.compare.label_terms`; default: its top 10 of each kind.
    label_a, label_b : str
        Names of the two texts for the axes.
    jitter : float, default 0.035
        Half-width of the jitter in log10 units.
    fontsize : float, default 8

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.compare import compare_terms, label_terms
    >>> table = compare_terms(processed, 'songtao-article', 'award-report')
    >>> fig, ax = plt.subplots()
    >>> ax = vocabulary_scatter_plot(ax, table, labels=label_terms(table, 3))
    >>> len(ax.collections) >= 1
    True
    >>> plt.close(fig)
    """
    import numpy as np

    from analysis.compare import label_terms

    if labels is None:
        labels = label_terms(table)
    xs = np.log10(table["count_a"].to_numpy() + 1.0)
    ys = np.log10(table["count_b"].to_numpy() + 1.0)
    jx = np.array([_jitter(t, jitter) for t in table["term"]])
    jy = np.array([_jitter(t[::-1] + "|", jitter) for t in table["term"]])
    limit = max(float(np.abs(table["z"]).max()), 1.0) if len(table) else 1.0
    points = ax.scatter(xs + jx, ys + jy, c=table["z"], cmap="coolwarm", vmin=-limit,
                        vmax=limit, s=14, alpha=0.8, linewidths=0)
    top = float(max(xs.max(), ys.max())) + 0.15 if len(table) else 1.0
    ax.plot([0, top], [0, top], color="0.75", linewidth=0.8, zorder=0)
    ax.set_xlim(-0.1, top)
    ax.set_ylim(-0.1, top)
    ticks = [c for c in (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if np.log10(c + 1) <= top]
    ax.set_xticks([np.log10(c + 1) for c in ticks], [str(c) for c in ticks])
    ax.set_yticks([np.log10(c + 1) for c in ticks], [str(c) for c in ticks])
    ax.set_xlabel(f"count in {label_a}")
    ax.set_ylabel(f"count in {label_b}")
    ax.figure.colorbar(points, ax=ax, shrink=0.8, label=f"z  (+: {label_a}, -: {label_b})")
    position = {t: i for i, t in enumerate(table["term"])}
    rows = [position[t] for t in labels["term"]]
    kind_color = {"a": "#8b1a1a", "b": "#1a3f8b", "shared": "#333333"}
    place_labels(ax, (xs + jx)[rows], (ys + jy)[rows], list(labels["term"]),
                 colors=[kind_color[k] for k in labels["label_kind"]], fontsize=fontsize)
    return ax


@_placeholder_when_empty
def topic_terms_plot(ax, terms, n_terms: int = 6):
    """Top terms of each topic as horizontal bars, one block per topic.

    Bar length is the term's weight relative to the topic's top term (1.0), so topics of
    different overall weight can be read side by side.

    Parameters
    ----------
    ax : Axes
    terms : DataFrame
        ``TopicModel.terms`` (``topic, label, rank, term, weight``).
    n_terms : int, default 6

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.topics import fit_topics
    >>> model = fit_topics(processed, k=2)
    >>> fig, ax = plt.subplots()
    >>> ax = topic_terms_plot(ax, model.terms, n_terms=3)
    >>> len(ax.patches)
    6
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    y, ticks, names = 0.0, [], []
    for number, (label, block) in enumerate(terms.groupby("label", sort=False)):
        block = block[block["rank"] <= n_terms].sort_values("rank")
        top = float(block["weight"].iloc[0]) or 1.0
        ax.text(0, y + 0.3, label, fontsize=9, fontweight="bold", va="bottom")
        for row in block.itertuples(index=False):
            y -= 1
            ax.barh(y, row.weight / top, color=colors[number % len(colors)], height=0.75)
            ticks.append(y)
            names.append(row.term)
        y -= 1.6
    ax.set_yticks(ticks, names)
    ax.set_ylim(y + 1.0, 1.6)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("weight relative to the topic's top term")
    ax.tick_params(axis="y", length=0)
    return ax


#: Largest matrix (cells) whose values are written in the cells: beyond, colour only.
MAX_ANNOTATED_CELLS = 400


def _annotated_matrix(ax, values, rows, cols, cmap: str, vmin: float, vmax: float, fmt: str):
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    annotate = values.size <= MAX_ANNOTATED_CELLS
    for i in range(values.shape[0] if annotate else 0):
        for j in range(values.shape[1]):
            value = values[i, j]
            dark = (value - vmin) / ((vmax - vmin) or 1.0) > 0.6
            ax.text(j, i, format(value, fmt), ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")
    ax.set_xticks(range(len(cols)), cols, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.spines[:].set_visible(False)
    return image


@_placeholder_when_empty
def topic_heatmap_plot(ax, weights):
    """Topic weight per unit (document, section or voice) as an annotated heatmap.

    Parameters
    ----------
    ax : Axes
    weights : DataFrame
        Output of :func:`analysis.topics.topic_weights` (``unit, topic, label, weight``).

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.topics import fit_topics, topic_weights
    >>> model = fit_topics(processed, k=2)
    >>> fig, ax = plt.subplots()
    >>> ax = topic_heatmap_plot(ax, topic_weights(model, by='voice'))
    >>> len(ax.get_yticklabels())
    3
    >>> plt.close(fig)
    """
    wide = weights.pivot(index="unit", columns="label", values="weight")
    wide = wide.loc[list(dict.fromkeys(weights["unit"])), list(dict.fromkeys(weights["label"]))]
    values = wide.to_numpy(dtype=float)
    _annotated_matrix(ax, values, list(wide.index), list(wide.columns),
                      "Blues", 0.0, max(float(values.max(initial=0.0)), 0.01), ".2f")
    ax.set_xlabel("topic")
    return ax


@_placeholder_when_empty
def similarity_plot(ax, matrix, vmax: float = 1.0):
    """A similarity matrix (:func:`analysis.similarity.similarity`) as an annotated heatmap.

    Parameters
    ----------
    ax : Axes
    matrix : DataFrame
        Square table, the same units on both axes.
    vmax : float, default 1
        Upper end of the colour scale.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.similarity import similarity
    >>> fig, ax = plt.subplots()
    >>> ax = similarity_plot(ax, similarity(processed, by='voice'))
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['newspaper', 'Song Tao', 'award report']
    >>> plt.close(fig)
    """
    _annotated_matrix(ax, matrix.to_numpy(dtype=float), list(matrix.index),
                      list(matrix.columns), "Greens", 0.0, vmax, ".2f")
    return ax


@_placeholder_when_empty
def actor_plot(ax, counts, top: int = 12, value: str = "per_1000"):
    """How often each unit names each actor: grouped horizontal bars, one colour per unit.

    Parameters
    ----------
    ax : Axes
    counts : DataFrame
        Output of :func:`analysis.actors.actor_counts` (its group columns come first).
    top : int, default 12
        Actors shown: :func:`analysis.actors.top_actors` (the most mentioned over all units,
        ties by name).
    value : {"per_1000", "mentions"}

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.actors import actor_counts
    >>> fig, ax = plt.subplots()
    >>> ax = actor_plot(ax, actor_counts(processed, by='voice'), top=4)
    >>> len(ax.get_yticklabels())
    4
    >>> plt.close(fig)
    """
    import numpy as np

    from analysis.actors import top_actors

    labels = _unit_labels(counts, "actor")  # a section is doc/section, not its doc
    actors = top_actors(counts, top)
    wide = counts.assign(_unit=labels).pivot_table(index="actor", columns="_unit", values=value,
                                                  aggfunc="sum", sort=False)
    wide = wide.reindex(actors).fillna(0)[list(dict.fromkeys(labels))]
    n = len(wide.columns)
    height = 0.8 / max(n, 1)
    base = np.arange(len(actors))
    for j, name in enumerate(wide.columns):
        ax.barh(base - 0.4 + height * (j + 0.5), wide[name].to_numpy(), height=height,
                label=str(name), **group_style(j))
    ax.set_yticks(base, actors)
    ax.invert_yaxis()
    ax.set_xlabel("mentions per 1,000 words" if value == "per_1000" else "mentions")
    ax.legend(frameon=False, loc="lower right")
    return ax


# --- trends ---


@_placeholder_when_empty
def trend_plot(ax, table, max_ticks: int = 12):
    """Rate per period as lines with their 95 % interval as bands; no text is a gap.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    table : DataFrame
        :func:`analysis.trends.trends` (group columns first, then ``term, period, per_1000,
        low, high``). A period without words has a NaN rate: the line and the band stop
        there instead of dropping to zero.
    max_ticks : int, default 12
        Most period labels on the x axis (every k-th label is shown).

    Returns
    -------
    matplotlib.axes.Axes
        One line (and band) per group and term, in table order.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> processed = process(load_corpus())
    >>> from analysis.trends import trends
    >>> fig, ax = plt.subplots()
    >>> ax = trend_plot(ax, trends(processed, ['cpec'], 'month', by='corpus'))
    >>> len(ax.lines)
    1
    >>> plt.close(fig)
    """
    periods = list(dict.fromkeys(table["period"]))
    position = {p: i for i, p in enumerate(periods)}
    group_columns = list(table.columns[:list(table.columns).index("term")])
    keys = group_columns + ["term"]
    for k, (key, rows) in enumerate(table.groupby(keys, sort=False)):
        key = key if isinstance(key, tuple) else (key,)
        x = rows["period"].map(position).to_numpy()
        style = line_style(k)
        ax.fill_between(x, rows["low"].to_numpy(dtype=float), rows["high"].to_numpy(dtype=float),
                        color=style["color"], alpha=0.2, linewidth=0)
        ax.plot(x, rows["per_1000"].to_numpy(dtype=float), marker="o", markersize=3,
                label=": ".join(str(part) for part in key), **style)
    step = max(1, -(-len(periods) // max_ticks))
    ax.set_xticks(range(0, len(periods), step), periods[::step], rotation=45, ha="right")
    ax.set_ylabel("per 1,000 words (95 % interval)")
    ax.set_xlim(-0.5, len(periods) - 0.5)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8)
    return ax

# --- scaling plots ---


@_placeholder_when_empty
def positions_plot(ax, table, level: float = 0.95):
    """Units on one dimension with their intervals, one row each, as quanteda's
    ``textplot_scale1d``: a point at ``position``, a line from ``low`` to ``high``, the
    first row of the table at the bottom (give it sorted by position). Reference texts of
    Wordscores (a ``reference`` value) are open squares, the texts it scores filled dots.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        Group columns, then ``position, low, high`` (:class:`analysis.textmodels.Scaling`'s
        ``documents``, e.g. :func:`analysis.positions.shown_positions`).
    level : float, default 0.95
        The intervals' coverage, for the axis label.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> table = pd.DataFrame({"doc": ["a", "b"], "position": [-1.0, 0.5],
    ...                       "low": [-1.5, 0.2], "high": [-0.5, 0.8]})
    >>> fig, ax = plt.subplots()
    >>> ax = positions_plot(ax, table)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['a', 'b']
    >>> plt.close(fig)
    """
    import numpy as np

    labels = _unit_labels(table, "position")
    y = np.arange(len(table))
    position = table["position"].to_numpy(dtype=float)
    ax.hlines(y, table["low"].to_numpy(dtype=float), table["high"].to_numpy(dtype=float),
              color="0.35", linewidth=1.2)
    reference = (table["reference"].notna().to_numpy() if "reference" in table.columns
                 else np.zeros(len(table), dtype=bool))
    ax.plot(position[~reference], y[~reference], "o", color="C0", markersize=5,
            label="scored text" if reference.any() else None)
    if reference.any():
        ax.plot(position[reference], y[reference], "s", markerfacecolor="white",
                markeredgecolor="C1", markersize=6, label="reference text (score given)")
        ax.legend(loc="best", fontsize=8)
    ax.axvline(0.0, color="0.8", linewidth=0.8, zorder=0)
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.7, len(table) - 0.3)
    ax.set_xlabel(f"position (left to right), with its {level:.0%} interval")
    return ax


@_placeholder_when_empty
def word_weights_plot(ax, words, labels=None, fontsize: float = 8.0):
    """Wordfish's word parameters: each word at its weight ``beta`` (which way it pulls, and
    how strongly) against its frequency effect ``psi``, as quanteda's
    ``textplot_scale1d(margin = "features")``: the grey "Eiffel tower" of common words near
    beta 0 and rare words spread at the sides. The words of ``labels`` (in that order) are
    marked and labelled without overlap (:func:`place_labels`), red on the left, blue on the
    right.

    Parameters
    ----------
    ax : Axes
    words : DataFrame
        ``feature, beta, psi`` (Wordfish's ``words`` table).
    labels : DataFrame, optional
        ``side, feature`` of the words to label (:func:`analysis.positions.pulling_words`).
    fontsize : float, default 8

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> words = pd.DataFrame({"feature": ["a", "b", "c"], "beta": [-1.0, 0.0, 2.0],
    ...                       "psi": [-2.0, 0.5, -3.0]})
    >>> fig, ax = plt.subplots()
    >>> ax = word_weights_plot(ax, words, pd.DataFrame({"side": ["right"], "feature": ["c"]}))
    >>> [t.get_text() for t in ax.texts]
    ['c']
    >>> plt.close(fig)
    """
    import numpy as np

    beta = words["beta"].to_numpy(dtype=float)
    psi = words["psi"].to_numpy(dtype=float)
    ax.scatter(beta, psi, s=10, color="0.65", alpha=0.7, linewidths=0)
    ax.axvline(0.0, color="0.8", linewidth=0.8, zorder=0)
    ax.set_xlabel("beta: the word's weight (- pulls left, + pulls right)")
    ax.set_ylabel("psi: the word's frequency effect")
    if len(words):
        pad_x = max(float(np.ptp(beta)) * 0.08, 0.1)
        pad_y = max(float(np.ptp(psi)) * 0.08, 0.1)
        ax.set_xlim(beta.min() - pad_x, beta.max() + pad_x)
        ax.set_ylim(psi.min() - pad_y, psi.max() + pad_y)
    if labels is None or not len(labels):
        return ax
    row = {f: i for i, f in enumerate(words["feature"])}
    rows = [row[f] for f in labels["feature"]]
    colors = ["#8b1a1a" if side == "left" else "#1a3f8b" for side in labels["side"]]
    ax.scatter(beta[rows], psi[rows], s=16, color=colors, linewidths=0)
    place_labels(ax, beta[rows], psi[rows], list(labels["feature"]), colors=colors,
                 fontsize=fontsize)
    return ax
