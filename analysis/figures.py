"""The project's matplotlib style and its only writer of figures.

Every figure of the analysis is written by :func:`save_figure`, as a PNG and an SVG of the
same name. Two builds of the same figure give byte-identical files, so ``figures/`` can be
committed and a change in it always means a change in the analysis:

- a fixed resolution (:data:`analysis.config.FIGURE_DPI`) and fixed fonts: DejaVu Sans
  (:data:`analysis.config.FIGURE_FONT`, which matplotlib ships), and for the letters it lacks
  (Chinese, Arabic and Urdu, Devanagari) the fonts of
  :data:`analysis.config.FIGURE_FALLBACK_FONTS`, which the project's requirements install
  (:func:`register_fonts`); matplotlib falls back to them glyph by glyph and shapes the text
  with libraqm, so Arabic letters join and read right to left;
- no date and no software version in the files' metadata;
- a fixed ``svg.hashsalt`` (:data:`analysis.config.SVG_HASHSALT`), so the ids matplotlib
  generates inside the SVG do not change from one run to the next;
- text drawn as paths in the SVG, so it does not depend on the fonts of the reader's machine.

Files are written atomically (a temporary file in the target folder, then :func:`os.replace`),
so a failure while saving never leaves a half-written figure behind.

Plot functions and notebooks draw inside :func:`style` (or after :func:`apply_style`), which
sets the project's fixed rcParams.

A figure saved with a caption shows as a figure of a report (the PNG, its caption as alt
text, a link to its data); the data behind figures and tables are CSV files in
``<out_dir>/data/`` (:data:`DATA_DIR`), which the build publishes beside the reports. What else
a report shows (tables, sentences, a plot drawn on a table) is :mod:`analysis.display`'s.
"""

from __future__ import annotations

import base64
import contextlib
import html
import os
import re
import sys
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl

from analysis import config

if TYPE_CHECKING:  # matplotlib.figure costs a second to import; the caller has made the figure
    from matplotlib.figure import Figure

__all__ = ["DATA_DIR", "FONT_FILES", "FORMATS", "FORMULA_START", "STYLE", "SavedFigure",
           "apply_style", "font_files", "readable", "register_fonts", "save_figure",
           "spreadsheet_safe", "style"]

#: The sub-folder of a figures folder that holds the data behind figures and tables.
DATA_DIR = config.DATA_DIR

#: The formats every figure is written in, in this order.
FORMATS: tuple[str, ...] = ("png", "svg")

#: The project's fixed matplotlib settings. Nothing in them depends on the machine, the date
#: or chance.
STYLE: dict[str, object] = {
    # A list of families, not "sans-serif": matplotlib falls back along the list per glyph.
    "font.family": [config.FIGURE_FONT, *config.FIGURE_FALLBACK_FONTS],
    "font.sans-serif": [config.FIGURE_FONT],
    "font.size": 10.0,
    "axes.titlesize": 12.0,
    "axes.labelsize": 10.0,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.fontsize": 9.0,
    "figure.titlesize": 13.0,
    "figure.figsize": (7.0, 4.5),
    "figure.dpi": 100.0,
    "figure.constrained_layout.use": True,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.prop_cycle": mpl.cycler(
        color=[
            "#1f77b4",
            "#ff7f0e",
            "#2ca02c",
            "#d62728",
            "#9467bd",
            "#8c564b",
            "#e377c2",
            "#7f7f7f",
            "#bcbd22",
            "#17becf",
        ]
    ),
    "savefig.dpi": config.FIGURE_DPI,
    "savefig.facecolor": "white",
    "savefig.bbox": None,
    "svg.hashsalt": config.SVG_HASHSALT,
    "svg.fonttype": "path",
    "path.simplify": True,
}

# What save_figure always forces, whatever the caller's rcParams are.
_SAVE_RC: dict[str, object] = {
    "svg.hashsalt": config.SVG_HASHSALT,
    "svg.fonttype": "path",
}

# PNG and SVG metadata keys that would otherwise carry the software version or the date.
_METADATA: dict[str, dict[str, None]] = {
    "png": {"Software": None},
    "svg": {"Creator": None, "Date": None, "Format": None, "Type": None},
}

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _umask() -> int:
    """Return the process's umask (mkstemp creates files readable by the owner only)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Where each fallback font's file comes from: (family, package, how to find the file). Each
#: package ships its font's licence (SIL Open Font License 1.1) beside the font:
#: Noto Sans SC 2.004 (Adobe and Google, https://github.com/notofonts/noto-cjk) in
#: ``pylopdf-fonts-zh-cn``; Noto Sans Arabic 2.012 and Noto Sans Devanagari 2.007 (The Noto
#: Project Authors, https://github.com/notofonts) in ``fontpkg-noto-sans-arabic`` and
#: ``fontpkg-noto-sans-devanagari``.
FONT_FILES: tuple[tuple[str, str], ...] = (
    ("Noto Sans SC", "pylopdf-fonts-zh-cn"),
    ("Noto Sans Arabic", "fontpkg-noto-sans-arabic"),
    ("Noto Sans Devanagari", "fontpkg-noto-sans-devanagari"),
)


def font_files() -> dict[str, Path]:
    """The file of each fallback font (:data:`analysis.config.FIGURE_FALLBACK_FONTS`), from
    the packages that install it.

    Examples
    --------
    >>> {family: path.suffix for family, path in font_files().items()}
    {'Noto Sans SC': '.otf', 'Noto Sans Arabic': '.ttf', 'Noto Sans Devanagari': '.ttf'}
    """
    import fontpkg
    import pylopdf_fonts_zh_cn

    files = {}
    for family, _package in FONT_FILES:
        files[family] = (pylopdf_fonts_zh_cn.sans_path() if family == "Noto Sans SC"
                         else Path(fontpkg.path(family)))
    return files


_REGISTERED: weakref.WeakSet = weakref.WeakSet()


def register_fonts(manager=None) -> None:
    """Make the fallback fonts known to matplotlib's font manager (once per manager), ahead of
    any font of the same name installed on the machine, so that a figure is drawn with the
    same files everywhere.

    Parameters
    ----------
    manager : matplotlib.font_manager.FontManager, optional
        Defaults to matplotlib's (``matplotlib.font_manager.fontManager``).

    Returns
    -------
    None

    Examples
    --------
    >>> from matplotlib import font_manager
    >>> register_fonts()
    >>> path = font_manager.findfont("Noto Sans SC", fallback_to_default=False)
    >>> path == str(font_files()["Noto Sans SC"])
    True
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager if manager is None else manager
    if manager in _REGISTERED:
        return
    for path in font_files().values():
        before = len(manager.ttflist)
        manager.addfont(path)
        # addfont appends; the entries move to the front, where findfont looks first.
        added = manager.ttflist[before:]
        del manager.ttflist[before:]
        manager.ttflist[:0] = added
    manager._findfont_cached.cache_clear()
    _REGISTERED.add(manager)


def apply_style() -> None:
    """Set the project's matplotlib style globally.

    Meant for the first code cell of a notebook; library code uses :func:`style` instead, which
    restores the previous settings afterwards.

    Returns
    -------
    None
    """
    register_fonts()
    mpl.rcParams.update(STYLE)


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Draw with the project's matplotlib style inside a ``with`` block.

    The previous rcParams are restored when the block ends.

    Yields
    ------
    None

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with style():
    ...     fig, ax = plt.subplots()
    """
    register_fonts()
    with mpl.rc_context(STYLE):
        yield


def _check_name(name: object) -> str:
    """Return ``name`` if it is a valid figure name, else raise ValueError."""
    if not isinstance(name, str):
        raise ValueError(f"figure name must be a string, not {type(name).__name__}")
    if "/" in name or "\\" in name or (os.altsep and os.altsep in name):
        raise ValueError(f"figure name {name!r} must not contain a path separator")
    if not _NAME_RE.fullmatch(name):
        raise ValueError(
            f"figure name {name!r} must start with a letter or digit and contain only letters, "
            "digits, '.', '_' and '-'"
        )
    if name.lower().endswith(tuple(f".{fmt}" for fmt in FORMATS)):
        raise ValueError(f"figure name {name!r} must not include an extension")
    return name


class SavedFigure(list):
    """The files :func:`save_figure` wrote (PNG, SVG, then the data), shown as the PNG.

    A notebook cell ending in ``save_figure(...)`` thus displays exactly the file in
    ``figures/``, and the figure is drawn once: the inline backend would otherwise render
    every figure a second time for display, which made up a large share of a build's time.
    With a caption it shows as an HTML figure: the PNG with the caption as its alt text,
    the caption below it and a link to its data.
    """

    name: str = ""
    caption: str | None = None
    data: str | None = None

    def _repr_png_(self) -> bytes:
        return self[0].read_bytes()

    def _repr_html_(self) -> str | None:
        if self.caption is None:
            return None
        png = base64.b64encode(self[0].read_bytes()).decode("ascii")
        caption = html.escape(self.caption)
        link = _data_link("Data", self.data)
        return (f'<figure class="analysis-figure" id="{html.escape(self.name)}">'
                f'<img src="data:image/png;base64,{png}" alt="{caption}">'
                f"<figcaption><b>Figure {html.escape(self.name)}.</b> {caption}{link}"
                f"</figcaption></figure>")


def _data_link(label: str, data: str | None) -> str:
    """A link to a CSV file of the data folder, or nothing."""
    if not data:
        return ""
    return f' <a href="{DATA_DIR}/{html.escape(data)}">{label}: {html.escape(data)}</a>'


def readable(table):
    """A copy of a table a reader can read: lists joined with ``; ``, True/False as yes/no,
    an infinite %DIFF as ``inf`` written out, missing values blank."""
    import numpy as np
    from pandas.api import types

    out = table.copy()
    for column in out.columns:
        values = out[column]
        if types.is_bool_dtype(values):
            out[column] = values.map({True: "yes", False: "no"})
        elif types.is_object_dtype(values):
            out[column] = values.map(lambda v: "; ".join(map(str, v))
                                     if isinstance(v, (list, tuple)) else
                                     {True: "yes", False: "no"}.get(v, v)
                                     if isinstance(v, bool) else v)
        elif types.is_float_dtype(values) and np.isinf(values.to_numpy(dtype=float)).any():
            out[column] = values.map(lambda v: "infinite" if np.isposinf(v) else
                                     "-infinite" if np.isneginf(v) else v)
    return out


#: How a cell a spreadsheet would read as a formula starts (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(table):
    """A copy of a table whose text cells, column names and index labels that start like a
    formula (:data:`FORMULA_START`) begin with a single quote, as OWASP's advice on CSV
    injection has it: the reports' data files are opened in spreadsheets from their links.
    Numbers stay numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> spreadsheet_safe(pd.DataFrame({"term": ["=1+1", "road"], "x": [-1, 2]}))
        term  x
    0  '=1+1 -1
    1   road  2
    """
    from pandas.api import types

    def safe(value):
        return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) \
            else value

    out = table.copy()
    for column in out.columns:
        if types.is_object_dtype(out[column]) or types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe)
    out.columns = out.columns.map(safe)
    if not types.is_numeric_dtype(out.index):
        out.index = out.index.map(safe)
    return out


def _write_csv(table, path: Path) -> None:
    """Write a table as CSV (UTF-8) atomically; a labelled index (a matrix's rows) is kept.
    Cells that would run as spreadsheet formulas are quoted (:func:`spreadsheet_safe`)."""
    import pandas as pd

    keep_index = not isinstance(table.index, pd.RangeIndex)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            spreadsheet_safe(readable(table)).to_csv(handle, index=keep_index,
                                                     lineterminator="\n")
        os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)


def save_figure(
    fig: Figure, name: str, out_dir: str | os.PathLike[str] | None = None, *,
    caption: str | None = None, data=None,
) -> SavedFigure:
    """Write ``fig`` as ``<name>.png`` and ``<name>.svg``, reproducibly and atomically.

    This is the only function of the project that writes figures. A figure managed by pyplot
    is closed once saved; the returned list displays the saved PNG in a notebook.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.
    name : str
        The file name without extension, e.g. ``"01-document-sizes"``: letters, digits, ``.``,
        ``_`` and ``-`` only, no path separator. Figures made by a notebook start with the
        notebook's two-digit prefix (see :mod:`analysis.build`).
    out_dir : str or path-like, optional
        The folder to write into (created if missing). Defaults to
        :data:`analysis.config.FIGURES_DIR`.
    caption : str, optional
        What the figure shows; the figure's caption and alt text in a notebook and report.
    data : DataFrame, optional
        The table the figure draws, written as ``<out_dir>/data/<name>.csv``.

    Returns
    -------
    SavedFigure
        The files written (pathlib.Path): the PNG, the SVG, then the data CSV if any.

    Raises
    ------
    ValueError
        If ``name`` is not a plain file name.

    Notes
    -----
    Each file is first written to a temporary file in ``out_dir`` and then moved into place
    with :func:`os.replace`. If saving fails, the temporary files are removed and any earlier
    version of the figure is left untouched.

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2], [3, 4])
    >>> saved = save_figure(fig, "00-example", tempfile.mkdtemp())
    >>> [path.name for path in saved]
    ['00-example.png', '00-example.svg']
    """
    name = _check_name(name)
    target_dir = Path(config.FIGURES_DIR if out_dir is None else out_dir)
    target_dir.mkdir(parents=True, exist_ok=True)

    staged: list[tuple[str, Path]] = []
    try:
        with mpl.rc_context(_SAVE_RC):
            for fmt in FORMATS:
                fd, tmp_name = tempfile.mkstemp(
                    prefix=f".{name}.", suffix=f".{fmt}.tmp", dir=target_dir
                )
                tmp = Path(tmp_name)
                staged.append((fmt, tmp))
                with os.fdopen(fd, "wb") as handle:
                    fig.savefig(
                        handle,
                        format=fmt,
                        dpi=config.FIGURE_DPI,
                        metadata=_METADATA[fmt],
                    )
        written = SavedFigure()
        written.name, written.caption = name, caption
        for fmt, tmp in staged:
            final = target_dir / f"{name}.{fmt}"
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, final)
            written.append(final)
        if data is not None:
            written.data = f"{name}.csv"
            _write_csv(data, target_dir / DATA_DIR / written.data)
            written.append(target_dir / DATA_DIR / written.data)
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close(fig)
        return written
    finally:
        for _, tmp in staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
