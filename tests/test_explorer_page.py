"""The explorer page: its tables counted by hand on a toy corpus of three groups, its numbers
equal to keyness's, corpus text that never runs as script, the same bytes when rebuilt, the
command line, and the page in Debian's Chromium (Playwright; skipped where it is absent)."""

from __future__ import annotations

import html
import json
import math
import re

import pytest
from conftest import corpus_of, needs_chromium

from analysis.explorer_page import (
    NoComparisonError,
    explorer_data,
    explorer_html,
    save_explorer,
    write_explorer,
)
from analysis.keyness import keywords_by

# Three parties, no stop word and no multiword expression: words counted by hand.
TOY = {
    "r1.txt": "Tax relief. Tax wages.\n",        # red: tax 2, relief 1, wages 1 (4 words)
    "b1.txt": "Health clinic. Health jobs.\n",   # blue: health 2, clinic 1, jobs 1 (4 words)
    "g1.txt": "Farm jobs. Farm wages.\n",        # green: farm 2, jobs 1, wages 1
    "g2.txt": "Jobs jobs tax.\n",                # green: jobs 2, tax 1 (green: 7 words)
    "metadata.csv": "file,party\nr1.txt,red\nb1.txt,blue\ng1.txt,green\ng2.txt,green\n",
}


def g2_by_hand(a, b, c, d):
    """Dunning's (1993) four-cell G2, written out: 2 * sum(O * ln(O / E))."""
    n = c + d
    cells = [(a, c * (a + b) / n), (b, d * (a + b) / n),
             (c - a, c * (n - a - b) / n), (d - b, d * (n - a - b) / n)]
    return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)


@pytest.fixture
def toy_corpus(make_corpus):
    return corpus_of(make_corpus, TOY)


def test_rates_and_keyness_of_each_group_against_the_rest_by_hand(toy_corpus):
    data = explorer_data(toy_corpus, by="party", top=5, frequent=0, lines=2, window=1)
    groups = data["groups"].set_index("group")
    assert groups.loc[["blue", "green", "red"], "words"].tolist() == [4, 7, 4]
    terms = data["terms"].set_index(["group", "term"])
    # tax: red 2 of 4 words, rest (blue, green) 1 of 11
    tax = terms.loc[("red", "tax")]
    assert (tax["count"], tax["rest_count"]) == (2, 1)
    assert tax["per_1000"] == round(2 / 4 * 1000, 3) and tax["rest_per_1000"] == round(
        1 / 11 * 1000, 3)
    assert tax["g2"] == pytest.approx(g2_by_hand(2, 1, 4, 11), abs=1e-4)
    assert tax["log_ratio"] == pytest.approx(math.log2((2 / 4) / (1 / 11)), abs=1e-4)
    # jobs: green 3 of 7, rest 1 of 8; in both green documents
    jobs = terms.loc[("green", "jobs")]
    assert (jobs["count"], jobs["rest_count"], jobs["documents"]) == (3, 1, 2)
    assert jobs["g2"] == pytest.approx(g2_by_hand(3, 1, 7, 8), abs=1e-4)
    # absent from a group: 0 here, every occurrence in the rest, a negative keyword
    assert terms.loc[("blue", "tax"), ["count", "rest_count"]].tolist() == [0, 3]
    assert terms.loc[("blue", "tax"), "direction"] == "negative"
    # every term of the page has a row in every group
    assert len(data["terms"]) == 3 * len(data["matches"])


def test_the_numbers_and_keywords_are_those_of_keywords_by(seeds):
    data = explorer_data(seeds, by="voice", top=4, frequent=3, lines=1)
    table = keywords_by(seeds, by="voice", n=4, min_count=2)
    terms = data["terms"]
    for group, rows in table.groupby("voice", sort=False):
        for direction, sign in (("positive", 1), ("negative", -1)):
            want = rows[rows["direction"] == direction]
            mine = terms[(terms["group"] == group) & (terms["key"] * sign > 0)]
            mine = mine.sort_values("key", key=lambda k: k.abs())
            assert mine["term"].tolist() == want["term"].tolist()
            assert mine[["count", "rest_count", "g2", "log_ratio"]].to_numpy().tolist() == \
                want[["target_count", "reference_count", "g2", "log_ratio"]].to_numpy().tolist()


def test_concordance_lines_spread_over_the_matches_with_document_and_group(toy_corpus):
    data = explorer_data(toy_corpus, by="party", top=5, frequent=0, lines=2, window=1)
    matches = data["matches"].set_index("term")["matches"]
    assert matches["jobs"] == 4  # b1 1, g1 1, g2 2
    lines = data["lines"][data["lines"]["term"] == "jobs"]
    # 2 of 4 matches, evenly: the 1st (b1) and the 3rd (g2's first)
    assert lines[["doc", "group", "left", "keyword", "right"]].to_numpy().tolist() == [
        ["b1", "blue", "Health", "jobs", ""], ["g2", "green", "", "Jobs", "jobs"]]  # ends
    spread = data["dispersion"][data["dispersion"]["term"] == "jobs"]
    bins = data["bins"]
    counts = dict(zip(bins["label"][spread["bin"]], spread["count"], strict=True))
    assert counts == {"b1": 1, "g1": 1, "g2": 2}
    assert bins["group"].tolist() == ["blue", "green", "green", "red"]  # documents by group


def test_a_term_as_often_in_the_group_as_in_the_rest_has_a_row(make_corpus):
    # peace: 1 of 2 words in a, 1 of 2 in b: the same rate, which keywords_by leaves out
    processed = corpus_of(make_corpus, {"a.txt": "Peace road.", "b.txt": "Peace trade."})
    terms = explorer_data(processed, by="doc", frequent=5)["terms"].set_index(["group", "term"])
    assert terms.loc[("a", "peace"), ["count", "rest_count", "g2", "log_ratio"]].tolist() == \
        [1, 1, 0.0, 0.0]
    assert terms.loc[("a", "peace"), "direction"] == "equal"


def test_nothing_to_compare(make_corpus):
    one = corpus_of(make_corpus, {"a.txt": "Peace road."}, name="one")
    with pytest.raises(NoComparisonError, match="one group with words"):
        explorer_data(one, by="doc")
    empty = corpus_of(make_corpus, {"a.txt": "...", "b.txt": "!!"}, name="empty")
    with pytest.raises(NoComparisonError, match="no words"):
        explorer_data(empty, by="doc")
    with pytest.raises(ValueError, match="groups of documents or voices"):
        explorer_data(one, by="section")
    with pytest.raises(ValueError, match=r"explorer_data\(\): lines=-1: must be from 0 to 200"):
        explorer_data(one, by="doc", lines=-1)
    with pytest.raises(ValueError, match=r"bins=0: must be a whole number of at least 1"):
        explorer_data(one, by="doc", bins=0)


MARKUP = '<script>alert(1)</script> </script><!-- "quoted" & more'


def test_the_page_data_never_closes_its_element_and_reads_back_the_same(toy_corpus):
    data = explorer_data(toy_corpus, by="party", top=5, frequent=0, lines=2, window=1)
    title, corpus = MARKUP, "</SCRIPT > a\u2028b\u2029c"
    page = explorer_html(data, title=title, corpus=corpus)
    start = page.index('<script type="application/json" id="explorer-data">')
    text = page[page.index(">", start) + 1:page.index("</script>", start)]
    # <, >, & as \u003c, \u003e, \u0026, the line separators as \u2028, \u2029
    assert not set("<>&\u2028\u2029") & set(text)
    assert "\\u003c/script\\u003e" in text and "\\u2028" in text
    assert json.loads(text)["meta"]["title"] == title
    assert json.loads(text)["meta"]["corpus"] == corpus
    assert text.index('"corpus"') < text.index('"title"')  # keys sorted: the same bytes


@pytest.fixture
def hostile(make_corpus):
    """Markup, quotes and ampersands in the texts, the document ids and the group names."""
    files = {
        "a.txt": "Tax <script>alert(1)</script> tax relief. AT&T \"quoted\" tax.\n",
        "b.txt": "Health </script><script>alert(2)</script> health jobs.\n",
        "c.txt": "Jobs jobs & more jobs.\n",
        "metadata.csv": ("file,id,party\n"
                         "a.txt,\"<script>alert('id')</script>\",\"<b>red</b> & \"\"co\"\"\"\n"
                         "b.txt,</script>,</script><script>alert(3)</script>\n"
                         "c.txt,c&amp;,plain\n"),
    }
    return corpus_of(make_corpus, files, name="hostile")


def _page_data(page: str) -> dict:
    start = page.index('<script type="application/json" id="explorer-data">')
    body = page[start:page.index("</script>", start)]
    return json.loads(body[body.index(">") + 1:])


def test_markup_in_texts_ids_and_groups_stays_text(hostile):
    data = explorer_data(hostile, by="party", frequent=20, lines=5)
    page = explorer_html(data, title="<i>title</i>", corpus="c<x>")
    # Exactly the page's own two script elements; no corpus string opens or closes one.
    assert page.count("<script") == 2 and page.count("</script") == 2
    assert "alert" not in page.replace("\\u003cscript\\u003ealert", "")[:page.index(
        '<script type="application/json"')]
    assert "<i>title</i>" not in page and "&lt;i&gt;title&lt;/i&gt;" in page
    payload = _page_data(page)
    names = {g["name"] for g in payload["groups"]}
    assert names == {'<b>red</b> & "co"', "</script><script>alert(3)</script>", "plain"}
    docs = {line[0] for lines in payload["lines"] for line in lines}
    assert {"<script>alert('id')</script>", "</script>"} <= docs
    contexts = " ".join(line[2] + line[4] for lines in payload["lines"] for line in lines)
    assert "<script>alert(1)</script>" in contexts
    # The code puts text in with textContent only.
    script = page[page.rindex("<script>"):]
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "document.write" not in script and "eval(" not in script


def test_the_same_corpus_gives_the_same_bytes(toy_corpus, tmp_path):
    first = write_explorer(toy_corpus, tmp_path / "a.html", by="party").read_bytes()
    second = write_explorer(toy_corpus, tmp_path / "b.html", by="party").read_bytes()
    assert first == second
    assert not re.search(rb"https?://(?!www\.w3\.org/2000/svg)", first)  # nothing remote


def test_save_explorer_links_its_page_or_says_why_there_is_none(toy_corpus, make_corpus,
                                                                 tmp_path):
    saved = save_explorer(toy_corpus, "05-explorer", tmp_path / "figures", by="party", top=2)
    assert saved.path == tmp_path / "figures" / "data" / "05-explorer.html"
    assert 'href="data/05-explorer.html"' in saved._repr_html_()
    one = corpus_of(make_corpus, {"a.txt": "Peace road."}, name="one")
    none = save_explorer(one, "05-explorer", tmp_path / "figures", by="doc")
    assert none.path is None and not saved.path.exists()  # the stale page is gone
    assert "No explorer page: by 'doc': the corpus has one group" in html.unescape(
        none._repr_html_())
    with pytest.raises(ValueError, match="explorer name"):
        save_explorer(toy_corpus, "../x", tmp_path)


def test_command_line_writes_the_page_and_refuses_bad_input(cli, make_corpus, tmp_path):
    corpus = make_corpus(TOY)
    out = tmp_path / "page.html"
    status, _, err = cli("explore", "--corpus", str(corpus), "--by", "party", "--out", str(out),
                         "--top", "3")
    assert status == 0 and "wrote the explorer" in err
    assert _page_data(out.read_text("utf-8"))["meta"]["by"] == "party"
    one = make_corpus({"a.txt": "Peace road."}, name="one")
    empty = make_corpus({"a.txt": "...", "b.txt": "!!"}, name="empty")
    bad = tmp_path / "bad.html"
    for argv, message in [
        (["--corpus", str(corpus), "--by", "outlet"], "by 'outlet': not a unit or document "
                                                       "variable"),
        (["--corpus", str(one), "--by", "doc"], "one group with words"),
        (["--corpus", str(empty), "--by", "doc"], f"{empty}: the corpus has no words"),
        (["--corpus", str(corpus), "--by", "party", "--lines", "1000"], "--lines 1000"),
    ]:
        status, _, err = cli("explore", *argv, "--out", str(bad))
        assert status == 2 and message in err and len(err.strip().splitlines()) == 1, err
        assert not bad.exists()
    status, _, err = cli("explore", "--corpus", str(corpus), "--by", "party", "--out",
                         str(corpus / "x.html"))
    assert status == 2 and "inside the corpus folder" in err


@needs_chromium
def test_in_chromium_search_a_term_click_it_and_read_its_lines(toy_corpus, tmp_path, browser):
    path = write_explorer(toy_corpus, tmp_path / "toy.html", by="party", lines=3, window=1)
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(path.as_uri())
    page.select_option("#group", label="green (7 words)")
    page.fill("#search", "job")
    page.wait_for_function("document.querySelectorAll('#terms-body tr').length === 1")
    page.click("#terms-body tr")
    assert page.inner_text("#dterm") == "jobs"
    rows = page.locator("#lines-body tr")
    assert rows.count() == 3  # 3 of its 4 matches
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(3)]
    assert [c[:2] for c in cells] == [["b1", "blue"], ["g1", "green"], ["g2", "green"]]
    assert "3 of 4 concordance lines" in page.inner_text("#lines-note")
    assert "In green: 3" in page.inner_text("#dsummary")
    assert page.locator("#scatter circle").count() == 7 and errors == []


@needs_chromium
def test_in_chromium_markup_of_the_corpus_never_runs(hostile, tmp_path, browser):
    path = write_explorer(hostile, tmp_path / "hostile.html", by="party", lines=5)
    page = browser.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(path.as_uri())
    for label in page.locator("#group option").all_inner_texts():
        page.select_option("#group", label=label)
        for i in range(page.locator("#terms-body tr").count()):
            page.locator("#terms-body tr").nth(i).click()
    options = page.locator("#group option").all_inner_texts()
    assert any(o.startswith("</script><script>alert(3)</script>") for o in options)
    assert dialogs == [] and errors == []
    assert page.locator("#lines-body script, #terms-body script, #group script").count() == 0


def test_a_page_of_chinese_and_urdu_terms_carries_their_fonts_an_english_one_none(make_corpus,
                                                                                  toy_corpus):
    processed = corpus_of(make_corpus, {"a.txt": "中巴经济走廊\n", "b.txt": "پاکستان اور چین\n",
                                        "metadata.csv": "file,lang\na.txt,zh\nb.txt,ur\n"},
                          name="mixed")
    page = explorer_html(explorer_data(processed, by="doc", frequent=5))
    head = page[:page.index("</head>")]
    assert "@font-face { font-family: 'Noto Sans SC'" in head
    assert "@font-face { font-family: 'Noto Sans Arabic'" in head
    assert ("body { font-family: 'Noto Sans SC', 'Noto Sans Arabic', \"DejaVu Sans\", "
            "Verdana, sans-serif; }") in head
    english = explorer_html(explorer_data(toy_corpus, by="party", frequent=5))
    assert "@font-face" not in english and "Noto" not in english
