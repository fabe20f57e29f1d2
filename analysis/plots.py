"""Plot functions: one per figure kind, each takes an Axes, draws a table on it, returns it.

They never save (``analysis.figures.save_figure`` does) and never compute statistics (the
analysis modules do): a plot function receives the DataFrame a notebook shows.
"""

from __future__ import annotations

# --- corpus plots ---


def section_sizes_plot(ax, sections, value: str = "words"):
    """Horizontal stacked bars: one bar per document, one segment per section.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    sections : DataFrame
        :func:`analysis.text.summary` with ``by="section"`` (``doc, section, voice, <value>``).
    value : str, default "words"
        The size to draw (``words``, ``sentences``...).

    Returns
    -------
    matplotlib.axes.Axes
    """
    docs = list(dict.fromkeys(sections["doc"]))
    colors = {}
    for voice in dict.fromkeys(sections["voice"]):
        colors[voice] = f"C{len(colors) % 10}"
    left = dict.fromkeys(docs, 0)
    seen_voices = set()
    for row in sections.itertuples(index=False):
        width = getattr(row, value)
        y = docs.index(row.doc)
        label = row.voice if row.voice not in seen_voices else None
        seen_voices.add(row.voice)
        ax.barh(y, width, left=left[row.doc], color=colors[row.voice], edgecolor="white",
                label=label)
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


def sentence_length_plot(ax, sentences):
    """Box plot of sentence length in words, one box per document section.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    sentences : DataFrame
        :attr:`analysis.text.Processed.sentences` (``doc, section, words``).

    Returns
    -------
    matplotlib.axes.Axes
    """
    groups = list(dict.fromkeys(zip(sentences["doc"], sentences["section"], strict=True)))
    data = [sentences.loc[(sentences["doc"] == d) & (sentences["section"] == s), "words"]
            for d, s in groups]
    ax.boxplot(data, vert=False, showfliers=True)
    ax.set_yticks(range(1, len(groups) + 1), [f"{d}: {s}" for d, s in groups])
    ax.invert_yaxis()
    ax.set_xlabel("words per sentence")
    return ax

# --- keyword plots ---

# --- framing plots ---

# --- topic plots ---
