"""An executed notebook as an HTML page that works offline.

Reports are rendered with nbconvert's ``lab`` template, code hidden, and without any script
loaded from the internet (no require.js, MathJax, mermaid or widget scripts): they work
offline. Outputs reach the HTML as the kernel produced them: ``DataFrame.to_html`` and printed
text are escaped. The page's static parts are files of this package, read as package data:
the template (``report.html.j2``), the stylesheet (``report.css``) and the script of the
long tables (``table.js``).

The table script gives the long tables of a report (:class:`analysis.display.ShownTable`)
search, sorting and pages, offline and inline. It is written here rather than taken from a
table library (itables, DataTables): those build the table from JSON with JavaScript, so a
reader without JavaScript would see no table; here the table is plain HTML and the script only
adds controls to it. It finds the tables by the class :data:`analysis.display.SEARCH_CLASS`.
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nbformat and nbconvert cost seconds to import: imported where used
    from nbformat import NotebookNode

from analysis.build.fonts import font_style

__all__ = ["STATIC_FILES", "render_html", "static_file"]

#: The package data files of the reports: the nbconvert template, the report's stylesheet,
#: the script of the long tables, the index's stylesheet.
STATIC_FILES = ("report.html.j2", "report.css", "table.js", "index.css")

_TEMPLATE_NAME = "analysis-offline.html.j2"
_HEADING_RE = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', re.DOTALL)
_TOC_MARK = "<!-- table of contents -->"


@cache
def static_file(name: str) -> str:
    """The text of one of the build's package data files (:data:`STATIC_FILES`).

    Examples
    --------
    >>> static_file("table.js").startswith('document.querySelectorAll("details.')
    True
    """
    if name not in STATIC_FILES:
        raise ValueError(f"{name!r}: not one of the build's files ({', '.join(STATIC_FILES)})")
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def render_html(nb: NotebookNode, title: str, corpus: str = "", built: str = "") -> str:
    """Render an executed notebook as an HTML page that works offline.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook; its ``stderr`` outputs (warnings) are left out.
    title : str
        The page's ``<title>``.
    corpus : str
        The corpus's name (a folder or file name, never a path), shown at the top.
    built : str
        When the report was built, shown at the top.

    Returns
    -------
    str
        The page: nbconvert's ``lab`` template, code cells' input and prompts hidden, no
        ``<script>`` loaded from the internet (see the module docstring); a header with a
        link back to ``index.html``, the corpus and the build time, and a table of contents
        of the ``##`` headings; a page with Chinese, Arabic-script or Devanagari letters
        also carries the fonts for them (:func:`analysis.build.fonts.font_style`).
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if o.get("name") != "stderr" or o.get("output_type") != "stream"]
    esc = html.escape
    header = ('<nav class="report-nav"><a href="index.html">&larr; All reports</a>'
              + (f"Corpus: <code>{esc(corpus)}</code>" if corpus else "")
              + (f" &middot; built {esc(built)}" if built else "")
              + f"</nav>{_TOC_MARK}")
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({_TEMPLATE_NAME: static_file("report.html.j2")})],
        template_file=_TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    page, _ = exporter.from_notebook_node(nb, resources={
        "metadata": {"name": title}, "report_header": header,
        "report_css": static_file("report.css"), "table_script": static_file("table.js")})
    headings = _HEADING_RE.findall(page)
    toc = ""
    if headings:
        items = "".join(f'<li><a href="#{anchor}">{text.strip()}</a></li>'
                        for anchor, text in headings)
        toc = f'<nav class="toc" aria-label="Contents"><b>Contents</b><ol>{items}</ol></nav>'
    page = page.replace(_TOC_MARK, toc, 1)
    fonts = font_style(page)
    return page.replace("</head>", fonts + "\n</head>", 1) if fonts else page

