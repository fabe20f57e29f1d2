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


# The start tags nbconvert's HTMLExporter gives more attributes after rendering: an image
# without alternative text, and the input and output areas (made focusable).
_IMG_RE = re.compile(r"<img\b(?![^>]*\salt\s*=)", re.IGNORECASE)
_FOCUS_RE = re.compile(r'<div class="([^"]*)"')
_FOCUSED = ("jp-Cell-inputWrapper", "jp-OutputArea-output")
_VERBATIM_RE = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>",
                          re.DOTALL | re.IGNORECASE)
_BETWEEN_TAGS_RE = re.compile(r">[ \t\r\f]*\n\s*<")
_NO_ALT = ' alt="No description has been provided for this image"'


def _accessible(page: str) -> str:
    """What nbconvert's HTMLExporter does to the rendered page, without parsing it whole.

    The exporter parses its page with BeautifulSoup (``html.parser``, in Python) to give each
    ``<img>`` without an ``alt`` the text :data:`_NO_ALT` and each input and output area
    ``tabindex="0"``, then writes the page out again: at 1M words most of a report's
    rendering time (a long table is tens of thousands of tags). The same attributes are
    added here to the start tags the template wrote (text of the corpus is escaped, so a
    ``<`` in the page is a tag). The page differs from the exporter's only in how the same
    elements are written (BeautifulSoup writes ``&middot;`` as ``·``, ``<br>`` as ``<br/>``).

    Examples
    --------
    >>> _accessible('<div class="jp-OutputArea-output x"><img src="a.png"></div>')
    '<div class="jp-OutputArea-output x" tabindex="0"><img alt="No description has been \
provided for this image" src="a.png"></div>'
    >>> _accessible('<img alt="" src="a.png"><div class="other">')
    '<img alt="" src="a.png"><div class="other">'
    """
    # Whitespace between two tags, as BeautifulSoup writes it: one line break (not where
    # whitespace is content: pre, textarea, or a script's or style's code).
    parts, end = [], 0
    for verbatim in _VERBATIM_RE.finditer(page):
        parts += [_BETWEEN_TAGS_RE.sub(">\n<", page[end:verbatim.start()]), verbatim.group(0)]
        end = verbatim.end()
    page = "".join([*parts, _BETWEEN_TAGS_RE.sub(">\n<", page[end:])])
    page = _IMG_RE.sub(lambda m: m.group(0) + _NO_ALT, page)

    def focus(match: re.Match) -> str:
        if any(name in match.group(1).split() for name in _FOCUSED):
            return match.group(0) + ' tabindex="0"'
        return match.group(0)

    return _FOCUS_RE.sub(focus, page)


@cache
def _exporter_class() -> type:
    """nbconvert's HTMLExporter, with :func:`_accessible` in place of its BeautifulSoup pass
    (nbconvert is imported here: seconds to import)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        """HTMLExporter.from_notebook_node (nbconvert 7), its page made accessible by
        :func:`_accessible`."""

        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _accessible(page), resources

    return ReportExporter


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
    exporter = _exporter_class()(
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

