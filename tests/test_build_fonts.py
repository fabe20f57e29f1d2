"""Tests of analysis.build.fonts: the fonts a report page carries for Chinese, Arabic-script
and Devanagari letters, cut down to the page's characters."""

from __future__ import annotations

import base64
import io
import re

from conftest import new_markdown_cell, new_notebook
from fontTools.ttLib import TTFont

from analysis.build import fonts, render


def _faces(style: str) -> dict[str, TTFont]:
    """The fonts embedded in a style element, by family."""
    found = re.findall(r"font-family: '([^']+)'; src: url\(data:font/woff;base64,([^)]+)\)",
                       style)
    return {family: TTFont(io.BytesIO(base64.b64decode(data))) for family, data in found}


def _page(text: str) -> str:
    nb = new_notebook(cells=[new_markdown_cell(text)])
    return render.render_html(nb, "toy")


def test_a_page_without_such_letters_is_left_as_it_was():
    assert fonts.font_style("<p>Belt and Road, the “friendship” – 2020…</p>") == ""
    page = _page("Belt and Road")
    assert "@font-face" not in page and "Noto Sans" not in page


def test_the_page_carries_the_glyphs_of_its_own_characters_only():
    faces = _faces(fonts.font_style("<p>中国 پاکستان हिन्दी road</p>"))
    assert sorted(faces) == ["Noto Sans Arabic", "Noto Sans Devanagari", "Noto Sans SC"]
    chinese = faces["Noto Sans SC"].getBestCmap()
    assert ord("中") in chinese and ord("国") in chinese
    assert "Open Font License" in faces["Noto Sans SC"]["name"].getDebugName(13)
    assert ord("和") not in chinese  # in the font, not on the page
    urdu = faces["Noto Sans Arabic"].getBestCmap()
    assert {ord(ch) for ch in "پاکستان"} <= set(urdu) and ord("ے") not in urdu


def test_joining_forms_and_clusters_are_kept():
    faces = _faces(fonts.font_style("<p>پاکستان हिन्दी</p>"))
    for family, needed in (("Noto Sans Arabic", {"init", "medi", "fina"}),
                           ("Noto Sans Devanagari", {"half", "pres"})):
        gsub = faces[family]["GSUB"].table
        tags = {record.FeatureTag for record in gsub.FeatureList.FeatureRecord}
        assert needed <= tags, family


def test_latin_never_takes_the_fallback_fonts_and_they_come_first_in_the_stack():
    style = fonts.font_style("<p>中国</p>")
    ranges = re.findall(r"unicode-range: ([^;]+);", style)
    assert ranges == ["U+3000-303F, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF"]
    for family, unicode_range, _ in fonts.SCRIPTS:
        for part in unicode_range.split(", "):
            low, high = (int(x, 16) for x in part[2:].split("-"))
            assert low > 0x24F, (family, part)  # above Basic Latin to Latin Extended-B
    assert f"--jp-content-font-family: 'Noto Sans SC', {fonts.LAB_FONTS};" in style


def test_the_same_page_gets_the_same_bytes():
    page = "<p>中国 پاکستان</p>"
    first = fonts.font_style(page)
    fonts._subset.cache_clear()
    assert fonts.font_style(page) == first


def test_a_report_with_chinese_carries_the_font_in_its_head():
    page = _page("中巴经济走廊")
    head = page[:page.index("</head>")]
    assert "@font-face { font-family: 'Noto Sans SC'" in head
    assert "/* Noto Sans SC: © 2014-2021 Adobe (http://www.adobe.com/). SIL Open Font " \
           "License 1.1" in head
