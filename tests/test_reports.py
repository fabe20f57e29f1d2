"""Every notebook built on two small corpora the tests make, as a reader would get them.

One corpus has three outlets and a ``date`` column, the other a single plain document; no
word of either is a name of the seed case study. What a report says must be true of its
corpus: no seed name, no raw placeholder, warning or path, an alt text and data for every
figure, and the computed sentences equal to what the library computes from the tables.
"""

from __future__ import annotations

import csv
import html
import re
from html.parser import HTMLParser

import pytest
from conftest import build_one_report

from analysis import build, config, narrate
from analysis.corpus import load_corpus
from analysis.explore import default_query
from analysis.overview import summary
from analysis.text.process import process
from analysis.topics import fit_topics
from analysis.units import default_by, variables

SEED_NAMES = ["Song Tao", "CPEC", "IDCPC", "songtao-article", "award-report", "Jiangxi",
              "Pakistan", "four roads", "Case study: the seed corpus"]

OUTLETS = {
    "a.txt": "The harbour council met on Monday. Fishermen asked for a new pier, and the mayor "
             "promised funds.\n\nCritics said the pier would cost too much. \"We will build it "
             "anyway,\" the mayor said.\n",
    "b.txt": "Farmers in the valley reported a poor harvest. Drought and heat destroyed the "
             "wheat.\n\nThe ministry must help the farmers, the union said. Prices of bread "
             "rose again.\n",
    "c.txt": "The orchestra opened its season with a new symphony. The hall was full and the "
             "audience cheered.\n\nCritics praised the young conductor. The next concert will "
             "feature a violin concerto.\n",
    "d.txt": "Fishermen blocked the harbour to protest against new quotas. The council should "
             "listen, they said.\n\nThe mayor called the blockade illegal. Talks will continue "
             "next week.\n",
    "e.txt": "Rain finally came to the valley. Farmers hope the next harvest will be better.\n",
    "metadata.csv": "file,id,outlet,date\na.txt,harbour-1,Coast Herald,2021-03-02\n"
                    "b.txt,valley-1,Farm Weekly,2021-04\nc.txt,music-1,City Times,2021-05-10\n"
                    "d.txt,harbour-2,Coast Herald,2021-06-15\ne.txt,valley-2,Farm Weekly,2021\n",
}
LONE = {"only.txt": "Farmers in the valley reported a poor harvest. Drought and heat destroyed "
                    "the wheat.\n"}


def visible(page: str) -> str:
    """The text a reader sees: no style, script, tags or embedded images."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.DOTALL | re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alts: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    made = {}
    for name, files in (("outlets", OUTLETS), ("lone", LONE)):
        corpus = root / name
        corpus.mkdir()
        for file_name, text in files.items():
            (corpus / file_name).write_text(text, encoding="utf-8")
        out = root / f"out-{name}"
        made[name] = (corpus, out, build.build(corpus_dir=corpus, out_dir=out))
    return made


@pytest.mark.parametrize("name", ["outlets", "lone"])
def test_every_notebook_builds(builds, name):
    _, out, result = builds[name]
    assert [str(f) for f in result.failures] == []
    assert len(result.reports) == len(build.find_notebooks(config.NOTEBOOKS_DIR))


def test_another_corpus_is_coded_with_the_policy_frames_codebook(builds):
    _, out, _ = builds["outlets"]
    profile = (out / "reports" / "data" / "03-frame-profile.csv").read_text(encoding="utf-8")
    assert "fairness and equality" in profile and "conflict" not in profile
    page = visible((out / "reports" / "03-framing-four-roads.html").read_text("utf-8"))
    assert "The frame carried by the largest share of sentences is" in page


@pytest.mark.parametrize("name", ["outlets", "lone"])
def test_no_seed_name_placeholder_warning_or_path_in_any_report(builds, name):
    corpus, out, result = builds[name]
    for page in [*result.reports, out / "reports" / "index.html"]:
        text = page.read_text(encoding="utf-8")
        seen = visible(text)
        for seed in SEED_NAMES:
            assert seed.lower() not in seen.lower(), (page.name, seed)
        assert str(corpus.parent) not in text, page.name
        raw = re.search(r"`|\{|\}|\bnan\b|\bNaN\b|Warning|Traceback|No description", seen)
        assert raw is None, (page.name, seen[max(0, raw.start() - 80):raw.end() + 80])


@pytest.mark.parametrize("name", ["outlets", "lone"])
def test_every_figure_has_a_real_alt_text_and_its_data(builds, name):
    _, out, result = builds[name]
    for page in result.reports:
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        assert all(alt and len(alt.split()) >= 4 for alt in parser.alts), page.name
    pngs = [f for f in result.figures if f.suffix == ".png"]
    assert pngs
    for png in pngs:
        data = out / "reports" / "data" / f"{png.stem}.csv"
        with data.open(encoding="utf-8", newline="") as handle:
            assert len(list(csv.reader(handle))) >= 2, png.name  # a header and a row
        assert (out / "reports" / "figures" / png.name).is_file()


def test_reports_name_their_corpus_and_link_back(builds):
    corpus, out, result = builds["outlets"]
    for page in result.reports:
        text = page.read_text(encoding="utf-8")
        assert '<a href="index.html">' in text
        assert f"Corpus: <code>{corpus.name}</code>" in text
        assert 'class="toc"' in text


def test_computed_sentences_are_those_of_the_corpus(builds):
    corpus, out, result = builds["outlets"]
    processed = process(load_corpus(corpus))
    by = default_by(processed.corpus)
    assert by == "outlet"
    sentence = narrate.overview(summary(processed, by=by), by,
                                variables(processed.corpus).get("date"))
    assert sentence.startswith("The corpus has 5 documents, 131 words")
    page = (out / "reports" / "01-corpus-overview.html").read_text(encoding="utf-8")
    # the sentence as Markdown renders it: the escapes are gone, the text is the same
    assert " ".join(sentence.replace("\\", "").split()) in " ".join(visible(page).split())


def test_report_04_says_why_this_number_of_topics(builds):
    corpus, out, result = builds["outlets"]
    model = fit_topics(process(load_corpus(corpus)), too_small="empty")
    sentence = str(narrate.topic_choice(model))
    assert sentence.startswith(f"k = {model.k}")
    page = visible((out / "reports" / "04-topic-comparison.html").read_text(encoding="utf-8"))
    assert " ".join(sentence.replace("\\", "").split()) in " ".join(page.split())


def _tight(text: str) -> str:
    """Visible text with single spaces and none that a tag left before punctuation."""
    text = " ".join(text.split())
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([,.;:)])", r"\1", text))


def test_report_05_says_how_to_open_the_explorer_on_this_corpus(builds, parameter_build):
    corpus, out, result = builds["outlets"]
    query = default_query(process(load_corpus(corpus)))
    assert query and query != "road"
    page = _tight(visible((out / "reports" / "05-explore.html").read_text("utf-8")))
    assert (f"To explore this corpus (outlets): run make lab in the project folder, open "
            f"notebooks/05-explore.ipynb, set CORPUS_DIR = the full path of outlets in its "
            f"parameters cell and Run All; its first query is {query}, the corpus's strongest "
            f"keyword against general English.") in page
    assert f"python -m analysis kwic {query} --corpus outlets" in page
    assert f"python -m analysis collocates {query} --corpus outlets" in page
    out, result = parameter_build
    page = _tight(visible((out / "reports" / "05-explore.html").read_text("utf-8")))
    assert ("python -m analysis kwic harbour --corpus news.csv --text-column body --id-column "
            "key --where 'outlet!=nowhere'") in page
    assert "its first query is harbour, the parameter QUERY" in page


def test_report_04_names_the_actors_of_this_corpus_and_how_they_were_found(builds,
                                                                          parameter_build):
    # The outlets corpus names no one (its capitals open sentences): no seed actor either.
    corpus, out, result = builds["outlets"]
    page = _tight(visible((out / "reports" / "04-topic-comparison.html").read_text("utf-8")))
    assert ("No actor is named in this corpus: no capitalised name (or, in a lower-cased "
            "text, strong word sequence) was found.") in page
    # The lower-cased table: jones given as ACTOR, found as the name given.
    out, result = parameter_build
    page = _tight(visible((out / "reports" / "04-topic-comparison.html").read_text("utf-8")))
    # COMPOUND_TOP=1 joined "jones said" (n2, n6): jones alone is named in n1 and n4
    assert ("The most named actors are Harbour Council (3 mentions) and jones (2 mentions)"
            in page)
    overview = _tight(visible((out / "reports" / "01-corpus-overview.html").read_text("utf-8")))
    assert ("2 phrases were joined into single terms (as quanteda's tokens_compound does), 3 "
            "times in all: jones_said (2 times, in 2 documents) and bread_prices (1 time, in 1 "
            "document).") in overview
    assert "found as the name given (parameter ACTOR)" in page


def test_a_lone_document_says_what_it_cannot_show(builds):
    _, out, result = builds["lone"]
    page = (out / "reports" / "04-topic-comparison.html").read_text(encoding="utf-8")
    assert "The corpus has a single group: there is no pair of groups to compare." in page
    assert "No topic" in page
    keywords = (out / "reports" / "02-keyword-frequency.html").read_text(encoding="utf-8")
    assert "With a single group there is no rest of the corpus to compare it with." in keywords


def _positions_page(out) -> str:
    return _tight(visible((out / "reports" / "06-positions.html").read_text("utf-8")))


def test_report_06_says_in_one_sentence_why_a_small_corpus_has_no_positions(builds):
    # the lone document, and the outlets at the default MIN_COUNT 5 (no content word of
    # their 131 words is counted 5 times)
    _, out, result = builds["lone"]
    page = _positions_page(out)
    assert ("No positions: Scaling needs at least 3 documents with words; this corpus has 1 "
            "(only).") in page
    _, out, result = builds["outlets"]
    page = _positions_page(out)
    assert ("No positions: Scaling needs at least 3 documents with words; this corpus has 0, "
            "once the words counted fewer than 5 times in all or found in a single document "
            "are left out.") in page
    for _, out, result in builds.values():
        assert not [f for f in result.figures if f.name.startswith("06-")]
        page = _positions_page(out)
        assert "Figure 06" not in page and "Table 06" not in page


def test_a_second_corpus_into_the_same_folder_replaces_the_first(builds, tmp_path):
    corpus, out, _ = builds["lone"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("Bread prices rose in the valley again.\n", encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    source = build.find_notebooks(config.NOTEBOOKS_DIR)[0]
    (notebooks / source.name).write_bytes(source.read_bytes())
    result = build.build(corpus_dir=other, out_dir=out, notebooks_dir=notebooks)
    assert result.ok
    reports = sorted(p.name for p in (out / "reports").glob("*.html"))
    assert reports == ["01-corpus-overview.html", "index.html"]
    index = (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Corpus: <code>other</code>" in index and "02-" not in index


def test_papermill_runs_a_notebook_with_its_parameters(builds, tmp_path):
    """The parameters cell follows papermill's convention: papermill itself can run it."""
    import papermill

    corpus, _, _ = builds["outlets"]
    source = build.find_notebooks(config.NOTEBOOKS_DIR)[0]
    papermill.execute_notebook(
        str(source), str(tmp_path / "out.ipynb"), cwd=str(source.parent), progress_bar=False,
        parameters={"CORPUS_DIR": str(corpus), "FIGURES_DIR": str(tmp_path / "figures"),
                    "BY": "outlet", "MAX_GROUPS": 2})
    assert (tmp_path / "figures" / "01-group-sizes.png").is_file()
    with (tmp_path / "figures" / "data" / "01-group-sizes.csv").open(encoding="utf-8") as f:
        assert len(f.read().splitlines()) == 3  # the header and the 2 largest outlets


# A table corpus as news exports come: lower-cased texts in a column that is not ``text``,
# ids in a column that is not ``id``, two grouping columns. "jones" is a name the gazetteer
# does not know and that is never capitalised.
LOWER_ROWS = [
    ("n1", "coast", "left", "the harbour council met on monday. jones asked for a new pier. the "
                            "mayor promised funds for the pier. fishermen may fish again soon."),
    ("n2", "coast", "right", "jones said the pier would cost too much. the council must cut the "
                             "cost. fishermen blocked the harbour again. the mayor will talk."),
    ("n3", "farm", "left", "farmers in the valley reported a poor harvest. drought destroyed the "
                           "wheat. the ministry must help the farmers. bread prices rose."),
    ("n4", "farm", "right", "rain came to the valley. farmers hope the next harvest will be "
                            "better. the wheat price fell. jones visited the farmers."),
    ("n5", "city", "left", "the orchestra opened its season. the hall was full. critics praised "
                           "the conductor. the next concert will feature a violin."),
    ("n6", "city", "right", "the council should fund the orchestra. jones said the hall needs "
                            "repair. the concert was sold out. critics may return."),
]

#: A non-default value of every parameter of every notebook's ``parameters`` cell (besides
#: CORPUS_DIR, FIGURES_DIR and WHERE, which the build injects from its own arguments).
NON_DEFAULT = {
    "BY": "party", "MAX_GROUPS": 2, "TOP_N": 4, "KWIC_WINDOW": 3, "KWIC_ROWS": 2,
    "KEY_TERMS": ["harbour", "wheat"], "NODE": "farmers", "MAX_ROADS": 2, "WINDOW": 2,
    "METHOD": "lda", "K": 2, "ACTOR": "jones", "CONTEXT_WINDOW": 2, "QUERY": "harbour",
    "DICTIONARY": "scheme.yml", "DICTIONARY_LEVEL": 1, "METAPHORS": "case-study",
    "ACTORS": "actors.csv", "FRAMES": "case-study", "COMPOUND": "phrases.txt",
    "COMPOUND_TOP": 1,
    # Each text is one line: header fields, patterns and repeated lines that match none
    # (tests/test_boilerplate.py builds report 01 with ones that do).
    "DROP_REPEATED_LINES": 6, "DROP_LINES": "lines.txt", "HEADER_FIELDS": "fields.tsv",
    "HEADER_LINES": 1,
    # report 06: by party (two groups) it has too few units to scale and says so
    "MODEL": "wordscores", "DIRECTION": ["left", "right"], "REFERENCE_SCORES": "outlet",
    "MIN_COUNT": 2, "MAX_FEATURES": 0,
}
#: The phrases of ``COMPOUND``: joined in n3; COMPOUND_TOP=1 joins the strongest sequence,
#: jones said (n2, n6).
PHRASES = "bread prices\n"
#: The actor dictionary of ``ACTORS``: the council, named in three texts.
ACTOR_SCHEME = "category,pattern\ninstitution.Harbour Council,harbour council\n" \
    "institution.Harbour Council,council\n"
#: The dictionary of ``DICTIONARY``, written beside the corpus by the fixture.
SCHEME = "places:\n  sea: [harbour*, fisherm*]\n  land: [farm*, valley]\nmusic: [symphon*]\n"


@pytest.fixture(scope="module")
def parameter_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("parameters")
    (root / "corpus").mkdir()
    table = root / "corpus" / "news.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "outlet", "party", "body"])
        writer.writerows(LOWER_ROWS)
    out = root / "out"
    (root / NON_DEFAULT["DICTIONARY"]).write_text(SCHEME, encoding="utf-8")
    (root / NON_DEFAULT["ACTORS"]).write_text(ACTOR_SCHEME, encoding="utf-8")
    (root / NON_DEFAULT["COMPOUND"]).write_text(PHRASES, encoding="utf-8")
    (root / NON_DEFAULT["DROP_LINES"]).write_text("Copyright .*\n", encoding="utf-8")
    (root / NON_DEFAULT["HEADER_FIELDS"]).write_text("edition\tEDITION ([0-9]+)\n",
                                                     encoding="utf-8")
    parameters = {**NON_DEFAULT, **{name: str(root / NON_DEFAULT[name]) for name in
                                    ("DICTIONARY", "ACTORS", "COMPOUND", "DROP_LINES",
                                     "HEADER_FIELDS")}}
    result = build.build(corpus_dir=table, out_dir=out, where=["outlet!=nowhere"],
                         parameters=parameters, text_column="body", id_column="key")
    return out, result


def test_every_parameter_of_every_notebook_is_given_a_non_default_value():
    import nbformat

    names = {name for path in build.find_notebooks(config.NOTEBOOKS_DIR)
             for name in build.parameter_names(nbformat.read(path, as_version=4))}
    injected = {"CORPUS_DIR", "FIGURES_DIR", "WHERE", "TEXT_COLUMN", "ID_COLUMN"}
    assert names - injected == set(NON_DEFAULT)


def test_every_notebook_builds_with_non_default_parameters(parameter_build):
    out, result = parameter_build
    assert [str(f) for f in result.failures] == []
    topics = visible((out / "reports" / "04-topic-comparison.html").read_text(encoding="utf-8"))
    assert "2 topics" in topics
    assert "No number of topics was tried: k was given." in topics
    assert "k = 2, as given (parameter K): no other number of topics was tried." in topics
    assert "Content words within 2 tokens of jones" in topics
    framing = visible((out / "reports" / "03-framing-four-roads.html").read_text("utf-8"))
    # DICTIONARY_LEVEL=1: the top-level categories, not places.sea; METAPHORS=case-study
    coding = (out / "reports" / "data" / "03-coding.csv").read_text(encoding="utf-8")
    assert "places" in coding and "places.sea" not in coding and "scheme.yml" in framing
    assert "Audit of the marker list" in framing
    # FRAMES=case-study: the seed texts' frames asked for on this corpus (their conflict
    # frame is Semetko & Valkenburg's, not the Policy Frames Codebook's)
    profile = (out / "reports" / "data" / "03-frame-profile.csv").read_text(encoding="utf-8")
    assert "conflict" in profile
    # ACTORS: "harbour council" (n1) and "council" (n2, n6) are one actor, of its type
    actors = (out / "reports" / "data" / "04-actors.csv").read_text(encoding="utf-8")
    assert "Harbour Council" in actors and "institution" in actors
    positions = _tight(visible((out / "reports" / "06-positions.html").read_text("utf-8")))
    assert ("No positions: Scaling needs at least 3 groups of party with words; this corpus "
            "has 2 (left and right).") in positions
    assert "06-positions.png" not in {f.name for f in result.figures}


def test_a_corpus_without_sections_draws_no_section_figure(builds, parameter_build):
    """Without sections.csv every document is one section 'main' whose voice is the document:
    a bar per document with a legend of documents titled 'voice' says nothing."""
    for out, result in (builds["outlets"][1:], parameter_build):
        assert "01-section-sizes.png" not in {f.name for f in result.figures}
        page = visible((out / "reports" / "01-corpus-overview.html").read_text(encoding="utf-8"))
        assert "No section is declared, so there are no sections to draw" in page
class _Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_parameters_with_markup_reach_the_report_as_text(tmp_path):
    payload = '<img src=x onerror="alert(1)">\n===\n- item'
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Bread prices rose in the valley.\n", encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    source = next(p for p in build.find_notebooks(config.NOTEBOOKS_DIR)
                  if p.name.startswith("02-"))
    (notebooks / source.name).write_bytes(source.read_bytes())
    out = tmp_path / "out"
    result = build.build(corpus_dir=corpus, out_dir=out, notebooks_dir=notebooks,
                         parameters={"NODE": payload, "KEY_TERMS": [payload, "bread"]})
    assert result.ok, result.failures
    page = (out / "reports" / source.with_suffix(".html").name).read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert not [(tag, attrs) for tag, attrs in parser.tags
                if any(name.startswith("on") for name in attrs) or attrs.get("src") == "x"]
    assert "onerror" in page  # shown, as text


DUPLICATED = {
    "a.txt": "The United Nations council met in the harbour town on Monday and voted.\n",
    "b.txt": "The  United Nations council met in the harbour town\non Monday and voted.\n",
    "c.txt": "Delegates of the united nations praised the farmers of the valley.\n",
    "d.txt": "Die Vereinten Nationen tagten am Montag in Genf.\n",
    "e.txt": "A lone note about bread prices rising again this spring.\n",
    "metadata.csv": "file,outlet,date\na.txt,Coast Herald,2021-03-02\nb.txt,Farm Weekly,2021-04\n"
                    "c.txt,Coast Herald,2022\nd.txt,City Times,2021-05-10\n"
                    "e.txt,Farm Weekly,2023\n",
}


def test_report_01_lists_duplicates_and_the_phrases_joined(tmp_path, builds):
    phrases = tmp_path / "phrases.txt"
    phrases.write_text("united nations\n", encoding="utf-8")
    corpus, out, result = build_one_report(tmp_path, DUPLICATED, "01-corpus-overview.ipynb",
                                           parameters={"COMPOUND": str(phrases)})
    assert result.ok, result.failures
    page = " ".join(visible((out / "reports" / "01-corpus-overview.html").read_text("utf-8"))
                    .split())
    # b is a's text with other white space: one set of two, b an exact copy, dropped by
    # --dedupe; united nations joined in a, b and c
    assert ("2 of the 5 documents are duplicates, in 1 set: 1 exact copy of a set's first "
            "document. Every count of these reports counts each of them; --dedupe keeps the "
            "first of each set and leaves out 1 document.") in page
    # the table (12 words: the 13 of the text with united nations joined)
    assert "set doc kind similarity words kept 1 a exact 1.0 12 yes 1 b exact 1.0 12 no" \
        in page
    assert ("1 phrase was joined into single terms (as quanteda's tokens_compound does), 3 "
            "times in all: united_nations (3 times, in 3 documents).") in page
    assert "term count documents united_nations 3 3" in page
    # and the corpus without duplicates or phrases says so
    _, out, _ = builds["outlets"]
    page = " ".join(visible((out / "reports" / "01-corpus-overview.html").read_text("utf-8"))
                    .split())
    assert ("No two of the 5 documents are duplicates: none has the same text as another, "
            "and no pair shares 5-word shingles at a resemblance of 0.9 or more.") in page
    assert "No phrase is joined into a single term (parameters COMPOUND and COMPOUND_TOP)." \
        in page


def test_a_bad_phrase_file_stops_the_build_before_any_notebook(tmp_path, cli):
    phrases = tmp_path / "phrases.txt"
    phrases.write_text("united nations\nnations\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The United Nations met.\n", encoding="utf-8")
    status, out, err = cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "out"),
                           "-p", f"COMPOUND={phrases}")
    assert status == 2 and err.count("\n") == 1
    assert f"-p COMPOUND: {phrases}: line 2: 'nations' is one token" in err
    assert not (tmp_path / "out").exists()
    status, _, err = cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "out"),
                         "-p", "COMPOUND_TOP=20000")
    assert status == 2 and "COMPOUND_TOP=20000" in err


def _many_groups_corpus() -> dict[str, str]:
    """Eight venues of two documents each, every document two declared sections; venue v
    has 2 + v sentences a paragraph, so v7 and v6 are the two largest."""
    words = ["harbour", "valley", "orchestra", "council", "wheat", "violin", "pier", "drought",
             "concert", "mayor", "bread", "symphony", "quota", "harvest", "hall", "ferry"]
    files, meta, sections = {}, ["file,venue"], ["file,section,voice,first,last"]
    for v in range(8):
        for d in range(2):
            name = f"v{v}-{d}.txt"
            a, b = words[(2 * v + d) % 16], words[(2 * v + d + 5) % 16]
            sentence = f"The {a} and the {b} met again. Critics said the {a} must wait. "
            files[name] = sentence * (2 + v) + "\n\n" + f"The {b} grew. " * (2 + v + d) + "\n"
            meta.append(f"{name},v{v}")
            sections += [f"{name},opening,reporter,1,1", f"{name},closing,editor,2,"]
    return {**files, "metadata.csv": "\n".join(meta) + "\n",
            "sections.csv": "\n".join(sections) + "\n"}


def test_reports_on_many_groups_show_the_largest_and_say_so(tmp_path):
    # Every figure and table of documents, groups or sections shows at most MAX_GROUPS
    # groups (their typical and unusual documents), and its caption says so: a column of
    # 10,000 values made figures 144,000 pixels high and a 10,000 x 10,000 matrix.
    import shutil

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for file_name, text in _many_groups_corpus().items():
        (corpus / file_name).write_text(text, encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("01-corpus-overview", "02-keyword-frequency", "04-topic-comparison"):
        shutil.copy(config.NOTEBOOKS_DIR / f"{name}.ipynb", notebooks)
    out = tmp_path / "out"
    result = build.build(corpus_dir=corpus, out_dir=out, notebooks_dir=notebooks,
                         by="venue", parameters={"MAX_GROUPS": 2})
    assert [str(f) for f in result.failures] == []
    shown_docs = {"v7-0", "v7-1", "v6-0", "v6-1"}

    def data(name):
        with (out / "reports" / "data" / f"{name}.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    assert {row["doc"] for row in data("01-section-sizes")} == shown_docs
    assert {row["doc"] for row in data("02-dispersion")} <= shown_docs
    assert [row["venue"] for row in data("04-similarity")] == ["v6", "v7"]
    pages = {name: visible((out / "reports" / f"{name}.html").read_text(encoding="utf-8"))
             for name in ("01-corpus-overview", "02-keyword-frequency", "04-topic-comparison")}
    overview, keywords, topics = pages.values()
    assert "for each of the 2 largest groups (venue), the most typical and the most " \
        "unusual (all 4 rows)" in overview
    assert "Words per section of the 4 documents shown (the most typical and the most " \
        "unusual of the 2 largest groups)" in overview
    assert "Keywords of each of the 2 largest groups (venue) against the rest" in keywords
    assert "Keywords of each of the 2 largest groups (venue) against general English" in keywords
    assert "occur in the 4 documents shown (the most typical and the most unusual of the 2 " \
        "largest groups)" in keywords
    assert "Jaccard overlap of the vocabularies of the 2 largest groups (venue) (all 2 rows)" \
        in topics
    # The tables of groups hold the rows of the two venues shown only.
    for name in ("02-keywords-table", "02-top-terms-table", "02-bigrams", "02-stems"):
        table = re.search(rf"Table {name}\..*?(?=Table 02-|$)", keywords, re.S).group()
        assert "the 2 largest groups" in table and "v7" in table and "v6" in table, name
        assert not re.search(r"\bv[0-5]\b", table), name
    table = re.search(r"Table 01-groups\..*?(?=Table 01-|$)", overview, re.S).group()
    assert "the 2 largest of 8 groups" in table and not re.search(r"\bv[0-5]\b", table)


def test_report_06_places_the_outlets_documents(tmp_path):
    from analysis.positions import fit_positions

    corpus, out, result = build_one_report(tmp_path, OUTLETS, "06-positions.ipynb",
                                           parameters={"MIN_COUNT": 2, "MAX_GROUPS": 3})
    assert result.ok, result.failures
    page = _positions_page(out)
    fit = fit_positions(process(load_corpus(corpus)), min_count=2)
    for note in (narrate.positions(fit), narrate.overlaps(fit)):
        assert _tight(str(note).replace("\\", "")) in page
    # counted by hand: the content words seen twice or more, in two documents or more:
    # council critics farmers fishermen harbour harvest mayor new said valley (pier: a only)
    assert ("Wordfish places 5 documents on one dimension from their counts of 10 words, "
            "signed so that harbour-1 lies left of valley-1 (parameter DIRECTION).") in page
    # the three largest documents drawn (harbour-1 33 words, music-1 30, valley-1 28; not
    # harbour-2 26 and valley-2 14), left to right; the table has all five
    with (out / "reports" / "data" / "06-positions.csv").open(encoding="utf-8") as handle:
        shown = [row["doc"] for row in csv.DictReader(handle)]
    assert shown == ["music-1", "harbour-1", "valley-1"]
    assert "the 3 largest of 5 documents (by words)" in page
    assert "The positions of all 5 documents, left to right (all 5 rows)" in page
    words = (out / "reports" / "data" / "06-word-weights.csv").read_text("utf-8")
    assert words.splitlines()[0] == "feature,beta,psi,count" and len(words.splitlines()) == 11
    # the 4 words counted most often of those 10: the model's words, and the report says so
    _, out, result = build_one_report(tmp_path, OUTLETS, "06-positions.ipynb", name="top",
                                      parameters={"MIN_COUNT": 2, "MAX_FEATURES": 4})
    assert result.ok, result.failures
    page = _positions_page(out)
    fit = fit_positions(process(load_corpus(corpus)), min_count=2, max_features=4)
    assert _tight(str(narrate.positions(fit)).replace("\\", "")) in page
    assert ("Wordfish places 5 documents on one dimension from their counts of 4 words (the "
            "most frequent of 10, parameter MAX_FEATURES), signed so that") in page
    words = (out / "reports" / "data" / "06-word-weights.csv").read_text("utf-8")
    assert len(words.splitlines()) == 5
    # wordscores: without reference scores one sentence; with them, the texts placed
    _, out, result = build_one_report(tmp_path, OUTLETS, "06-positions.ipynb", name="ws",
                                      parameters={"MIN_COUNT": 2, "MODEL": "wordscores"})
    page = _positions_page(out)
    assert ("No positions: Wordscores needs reference scores: name a numeric document variable "
            "(parameter REFERENCE_SCORES) whose values place the reference texts, and the "
            "units without a value are scored against them.") in page
    assert not result.figures


def test_report_06_scores_texts_against_reference_texts(tmp_path):
    scored = {**OUTLETS, "metadata.csv": OUTLETS["metadata.csv"].replace(
        "file,id,outlet,date\n", "file,id,outlet,date,stance\n").replace(
        "2021-03-02\n", "2021-03-02,-1\n").replace("2021-04\n", "2021-04,1\n").replace(
        "2021-05-10\n", "2021-05-10,\n").replace("2021-06-15\n", "2021-06-15,\n").replace(
        "valley-2,Farm Weekly,2021\n", "valley-2,Farm Weekly,2021,\n")}
    _, out, result = build_one_report(tmp_path, scored, "06-positions.ipynb", parameters={
        "MIN_COUNT": 2, "MODEL": "wordscores", "REFERENCE_SCORES": "stance"})
    assert result.ok, result.failures
    page = _positions_page(out)
    assert ("Wordscores places 5 documents on one dimension from their counts of 10 words, on "
            "the scale of the scores of 2 reference texts (3 texts scored against them)") in page
    table = (out / "reports" / "06-positions.html").read_text("utf-8")
    # music-1's only scored words, critics and new, are found among the reference texts in
    # harbour-1 (-1) alone, valley-2's (farmers, harvest, valley) in valley-1 (+1) alone
    assert ("At the left end: music-1 (-1.00; -1.00 to -1.00) and harbour-2 (-0.84; -1.12 to "
            "-0.56); at the right end: valley-2 (1.00; 1.00 to 1.00) and valley-1") in page
    assert "reference text (score given)" not in table  # the legend is in the figure only
    assert "the plot of weight against frequency effect" not in page
    assert "the word plot is Wordfish's." in page


GERMAN = {
    "a.txt": "Die Regierung will die Steuern senken. Die Steuern sind hoch und die Schulen "
             "arm.\n",
    "b.txt": "Die Schulen brauchen Geld. Die Steuern und die Schulen sind Thema.\n",
    "c.txt": "Die Schulen und die Lehrer und die Schulen brauchen Hilfe.\n",
}


def test_report_06_scales_a_german_corpus_and_says_on_what(tmp_path):
    _, out, result = build_one_report(tmp_path, GERMAN, "06-positions.ipynb",
                                      parameters={"MIN_COUNT": 2})
    assert result.ok, result.failures
    page = _positions_page(out)
    assert ("This corpus does not read as English, so every word is counted (the stop list is "
            "English); the model uses nothing but the counts, so its positions hold for any "
            "language whose words are separated by spaces or, like Chinese, segmented into "
            "words.") in page
    # die (8), schulen (5), steuern (3), und (3), brauchen (2), sind (2): every one in two
    # documents or more
    assert "from their counts of 6 words" in page


def test_report_06_scales_a_chinese_corpus_on_its_segmented_words(tmp_path):
    # jieba's words: 经济 and 走廊 in every document, 人民 in a and c, 友谊 in b and c, each
    # counted twice or more
    chinese = {"a.txt": "经济走廊人民经济走廊。\n", "b.txt": "经济走廊友谊。\n",
               "c.txt": "经济走廊人民友谊。\n",
               "metadata.csv": "file,lang\na.txt,zh\nb.txt,zh\nc.txt,zh\n"}
    _, out, result = build_one_report(tmp_path, chinese, "06-positions.ipynb",
                                      parameters={"MIN_COUNT": 2})
    assert result.ok, result.failures
    page = _positions_page(out)
    assert "No positions" not in page
    assert "from their counts of 4 words" in page
    assert "separated by spaces or, like Chinese, segmented into words" in page


def test_report_06_does_not_count_unsegmented_chinese_runs_as_words(tmp_path):
    # Chinese in documents said to be English: runs between punctuation, not words
    chinese = {"a.txt": "中国和巴基斯坦是好朋友。我们一起建设经济走廊。\n",
               "b.txt": "两国人民友谊深厚。\n", "c.txt": "经济走廊造福人民。\n",
               "metadata.csv": "file,lang\na.txt,en\nb.txt,en\nc.txt,en\n"}
    _, out, result = build_one_report(tmp_path, chinese, "06-positions.ipynb")
    assert result.ok, result.failures
    page = _positions_page(out)
    assert ("No positions: 100% of the characters of this corpus's words are in a script "
            "written without spaces between words") in page
    assert not result.figures


def test_a_bad_model_stops_the_build_before_any_notebook(tmp_path, cli):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Bread prices rose.\n", encoding="utf-8")
    status, _, err = cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "out"),
                         "-p", "MODEL=lsa")
    assert status == 2 and err.count("\n") == 1
    assert "-p MODEL='lsa': one of wordfish, wordscores" in err
    assert not (tmp_path / "out").exists()
