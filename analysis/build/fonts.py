"""The fonts a report page carries for letters a reader's machine may lack.

A report is read offline, on any machine: one without a Chinese, Urdu or Hindi font shows
those letters as empty boxes, and one whose default font has some Arabic letters but not
Urdu's (ے, ں) breaks words apart. A page whose text has letters of these scripts therefore
carries the project's fallback fonts (:data:`analysis.config.FIGURE_FALLBACK_FONTS`, the
figures' fonts, SIL Open Font License 1.1), each cut down to the characters of that page
(fontTools' subsetter, every OpenType layout feature kept, so Arabic letters still join and
Devanagari clusters still form) and embedded as a WOFF file in an ``@font-face`` rule whose
``unicode-range`` is the script's alone: Latin text never takes them. The page's font stack
names them first, then the ``lab`` template's own (:data:`LAB_FONTS`). A page without such
letters (an English corpus's) is left exactly as it was. Each embedded font keeps its
copyright notice and licence (name records 0, 13 and 14), and a comment beside it names them.
"""

from __future__ import annotations

import base64
import io
import re
from functools import cache

__all__ = ["LAB_FONTS", "LAB_RULE", "SCRIPTS", "font_style", "page_characters"]

#: The font stack of nbconvert's ``lab`` template (``--jp-content-font-family`` and
#: ``--jp-ui-font-family``), which the fallback fonts are put in front of.
LAB_FONTS = ("system-ui, -apple-system, blinkmacsystemfont, 'Segoe UI', helvetica, arial, "
             "sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji', 'Segoe UI Symbol'")

#: The rule that puts the fallback fonts (``{stack}``) in front of the ``lab`` template's.
LAB_RULE = (":root {{ --jp-content-font-family: {stack}, " + LAB_FONTS
            + "; --jp-ui-font-family: {stack}, " + LAB_FONTS + "; }}")

#: Each fallback font and the characters it serves on a page, as (family, CSS unicode-range,
#: the same ranges as a character class).
SCRIPTS: tuple[tuple[str, str, str], ...] = (
    ("Noto Sans SC", "U+3000-303F, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF",
     "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"),
    ("Noto Sans Arabic", "U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF",
     "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"),
    ("Noto Sans Devanagari", "U+0900-097F, U+A8E0-A8FF", "\u0900-\u097f\ua8e0-\ua8ff"),
)


def page_characters(page: str) -> dict[str, str]:
    """The characters of a page each fallback font serves, sorted, by family (families
    without any left out).

    Examples
    --------
    >>> page_characters("<p>Road 中国 和 中巴, پاکستان</p>")
    {'Noto Sans SC': '中和国巴', 'Noto Sans Arabic': 'اتسنپک'}
    >>> page_characters("<p>Belt and Road</p>")
    {}
    """
    found = {}
    for family, _, chars in SCRIPTS:
        used = set(re.findall(f"[{chars}]", page))
        if used:
            found[family] = "".join(sorted(used))
    return found


@cache
def _subset(family: str, characters: str) -> bytes:
    """The family's font cut down to the characters, as WOFF bytes (the same bytes for the
    same characters: no time stamp is written)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from analysis.figures import font_files

    options = subset.Options()
    options.layout_features = ["*"]  # joining forms, ligatures, clusters
    options.flavor = "woff"
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # with the copyright and the licence
    font = TTFont(font_files()[family], recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


def _copyright(woff: bytes) -> str:
    """The copyright notice a font carries (its name record 0)."""
    from fontTools.ttLib import TTFont

    notice = TTFont(io.BytesIO(woff))["name"].getDebugName(0) or ""
    return notice.replace("*/", "* /")


def font_style(page: str, rule: str = LAB_RULE) -> str:
    """A ``<style>`` element with the fallback fonts a page needs and its font stack, or the
    empty string for a page that needs none.

    Parameters
    ----------
    page : str
        The page (HTML).
    rule : str, default :data:`LAB_RULE`
        The CSS rule of the page's font stack, ``{stack}`` standing for the fallback fonts.

    Examples
    --------
    >>> font_style("<p>Belt and Road</p>")
    ''
    >>> style = font_style("<p>中国</p>")
    >>> "font-family: 'Noto Sans SC'" in style, "unicode-range: U+3000-303F" in style
    (True, True)
    """
    characters = page_characters(page)
    if not characters:
        return ""
    rules = []
    for family, ranges, _ in SCRIPTS:
        if family in characters:
            woff = _subset(family, characters[family])
            data = base64.b64encode(woff).decode("ascii")
            rules.append(f"/* {family}: {_copyright(woff)} SIL Open Font License 1.1 "
                         "(https://openfontlicense.org), cut down to this page's characters. */")
            rules.append(f"@font-face {{ font-family: '{family}'; "
                         f"src: url(data:font/woff;base64,{data}) format('woff'); "
                         f"unicode-range: {ranges}; }}")
    stack = ", ".join(f"'{family}'" for family, _, _ in SCRIPTS if family in characters)
    rules.append(rule.format(stack=stack))
    return '<style type="text/css">\n' + "\n".join(rules) + "\n</style>"
