"""Audited cleaning (analysis.text.clean): the log by hand on toy texts and on the seeds."""

from __future__ import annotations

import pytest
from conftest import toy


def test_boilerplate_is_removed_only_at_the_end(make_corpus):
    # "Leave a Reply" in the middle of a text may be content: the rule is end-anchored.
    p = toy(make_corpus, "Head\nLeave a Reply\nBody one.\n")
    assert p.paragraphs["paragraph"].tolist() == [1, 2, 3]
    assert p.cleaning_log.empty


def test_every_regex_correction_names_a_needle_found_in_its_pattern():
    # The needle lets cleaning skip the regex scan of a text without it, so it must be text
    # that every match contains: a literal part of the pattern.
    from analysis.lexicons import read_lexicon

    for row in read_lexicon("corrections"):
        if row["kind"] == "regex":
            assert row["needle"] and row["needle"] in row["pattern"], row["pattern"]
        else:
            assert row["needle"] == "", row["pattern"]


# --------------------------------------------------------------------------- cleaning


def test_cleaning_log_positions_point_into_the_raw_text(seeds):
    log = seeds.cleaning_log
    raw = {doc.id: doc.raw for doc in seeds.corpus}
    for row in log.itertuples():
        assert raw[row.doc][row.position:row.position + len(row.before)] == row.before


def test_cleaning_log_on_the_seeds_by_hand(seeds):
    log = seeds.cleaning_log
    fixes = dict(zip(log["before"], log["after"], strict=False))
    assert fixes["NaeemCheema"] == "Naeem Cheema"
    assert fixes["changinginternational"] == "changing international"
    assert fixes["CPE Casa"] == "CPEC as a"
    assert fixes["Sing Tao"] == "Song Tao"
    assert (log["reason"] == "normalize curly apostrophe/single quote").sum() == 28
    assert (log["reason"] == "normalize curly double quote").sum() == 14
    assert not seeds.texts["award-report"].endswith("Leave a Reply")
    assert "Leave a Reply" in seeds.corpus["award-report"].raw  # raw text untouched
    assert "CPEC as a stabilizer" in seeds.texts["songtao-article"]
    assert "Chinese Communists" in seeds.texts["songtao-article"]  # NBSP + space collapsed


def test_bom_crlf_nbsp_and_quotes_are_normalized_and_logged(make_corpus):
    p = toy(make_corpus, "\ufeffIt\u2019s \u201cfine\u201d.\r\nNext\u00a0line.\r\n".encode())
    assert p.texts["t"] == 'It\'s "fine".\nNext line.\n'
    log = p.cleaning_log
    assert log["reason"].value_counts().to_dict() == {
        "normalize CRLF line ending": 2,
        "normalize curly double quote": 2,
        "remove byte-order mark": 1,
        "normalize curly apostrophe/single quote": 1,
        "normalize non-breaking space": 1,
    }
    assert log["position"].tolist() == sorted(log["position"].tolist())


def test_decomposed_characters_are_composed_and_logged_raw_kept(make_corpus):
    # "résumé" and "café" decomposed (e + U+0301) beside their composed forms.
    raw = "Re\u0301sume\u0301 or r\u00e9sum\u00e9? Cafe\u0301, caf\u00e9.\n"
    p = toy(make_corpus, raw.encode())
    assert p.corpus["t"].raw == raw  # the raw text is kept
    assert p.texts["t"] == "R\u00e9sum\u00e9 or r\u00e9sum\u00e9? Caf\u00e9, caf\u00e9.\n"
    words = p.tokens.loc[p.tokens["is_word"], "term"].tolist()
    assert words == ["r\u00e9sum\u00e9", "or", "r\u00e9sum\u00e9", "caf\u00e9", "caf\u00e9"]
    log = p.cleaning_log
    assert log[["position", "before", "after", "kind"]].values.tolist() == [
        [1, "e\u0301", "\u00e9", "normalization"], [6, "e\u0301", "\u00e9", "normalization"],
        [23, "e\u0301", "\u00e9", "normalization"]]
    assert set(log["reason"]) == {"compose decomposed characters (Unicode NFC)"}
    for row in log.itertuples():  # positions are offsets into the raw text
        assert raw[row.position:row.position + len(row.before)] == row.before


# ------------------------------------------- broken encodings (issue 26, item 3)

# "It’s", "“Belt”", "Café" and "Zürich" written as UTF-8 and read as windows-1252 or latin-1:
# five runs of mojibake, at raw offsets 2, 9, 16, 24 and 31.
MOJIBAKE = "Itâ€™s a â€œBeltâ€\x9d. CafÃ© in ZÃ¼rich."


def _encoding_rows(log):
    return [(row["position"], row["before"], row["after"]) for row in log
            if row["kind"] == "encoding"]


def test_mojibake_is_repaired_and_every_repair_logged_with_its_reason():
    from analysis.corpus import Document
    from analysis.text.clean import clean

    doc = Document(id="m", file="m.txt", raw=MOJIBAKE)
    text, log = clean(doc)
    assert text == "It's a \"Belt\". Café in Zürich."
    assert _encoding_rows(log) == [(2, "â€™", "'"), (9, "â€œ", '"'), (16, "â€\x9d", '"'),
                                   (24, "Ã©", "é"), (31, "Ã¼", "ü")]
    reasons = {row["reason"] for row in log if row["kind"] == "encoding"}
    assert reasons == {"repair broken encoding with ftfy (UTF-8 read as sloppy-windows-1252)",
                       "repair broken encoding with ftfy (UTF-8 read as latin-1)"}
    assert doc.raw == MOJIBAKE  # the raw text is kept
    kept, log = clean(doc, fix_encoding=False)
    assert (kept, log) == (MOJIBAKE, [])


def test_only_documents_with_suspicious_characters_go_to_ftfy(monkeypatch):
    from analysis.corpus import Document
    from analysis.text import clean as cleaning

    calls = []
    fix = cleaning._repair

    def counted(run):
        calls.append(run)
        return fix(run)

    monkeypatch.setattr(cleaning, "_repair", counted)
    for raw in ("Plain ASCII text.", "Zürich, naïve, 中文 — and “quotes”.", "Ünïcödé façade."):
        text, log = cleaning.clean(Document(id="d", file="d.txt", raw=raw))
        assert _encoding_rows(log) == []
    assert calls == []
    cleaning.clean(Document(id="m", file="m.txt", raw=MOJIBAKE))
    assert calls == ["â€™", "â€œ", "â€\x9d", "Ã©", "Ã¼"]


def test_mojibake_is_gone_from_the_counts_unless_kept(make_corpus, cli):
    from analysis.corpus import load_corpus
    from analysis.text.process import cache_key, process

    folder = make_corpus({"m.txt": MOJIBAKE + "\n", "n.txt": "A plain café text.\n"})
    corpus = load_corpus(folder)
    kept = corpus.with_cleaning(fix_encoding=False)
    assert cache_key(corpus) != cache_key(kept)
    assert cache_key(corpus) == cache_key(load_corpus(folder))
    terms = set(process(corpus).tokens["term"])
    assert {"café", "zürich"} <= terms and not any("ã" in t or "â" in t for t in terms)
    assert any("ã" in t for t in process(kept).tokens["term"])
    status, out, err = cli("freq", "--corpus", str(folder), "--format", "csv")
    assert (status, err) == (0, "") and "zürich" in out and "ã" not in out
    status, out, err = cli("freq", "--corpus", str(folder), "--no-fix-encoding",
                           "--format", "csv")
    assert (status, err) == (0, "") and "zürich" not in out and "ã" in out
    log = process(corpus).cleaning_log
    assert (log["kind"] == "encoding").sum() == 5


def test_the_cleaning_options_are_the_keywords_of_clean():
    import inspect

    from analysis.corpus import CLEANING_OPTIONS, load_corpus
    from analysis.text.clean import clean

    # The keyword-only ``repeated`` is not an option: process counts it from the corpus.
    parameters = inspect.signature(clean).parameters
    assert {name: p.default for name, p in list(parameters.items())[1:]
            if p.kind is not p.KEYWORD_ONLY} == CLEANING_OPTIONS
    with pytest.raises(ValueError, match="cleaning option 'fix_encodings': unknown"):
        load_corpus().with_cleaning(fix_encodings=False)


def test_the_badness_test_searched_near_non_ascii_runs_agrees_with_ftfys_whole_search():
    import random

    from ftfy.badness import is_bad

    from analysis.text.clean import may_hold_mojibake

    # ASCII, and characters of ftfy's categories and of its mojibake sequences, so that
    # matches start and end at every distance from the runs (and at the text's start).
    pieces = list("ab zZ.,!\n\t-1$") + list("ÃÂ€™œ\x9d©°´×²ØÙà√≈‚Äâó–—’“”é ВЂ¤ГўΒΞ") + [
        "â€™", "Ã©", "Ã ", "ГўВЂВ x", " " * 20, "word " * 5]
    rng = random.Random(7)
    texts = ["Ã at the start", "x Ã at the end Ã ", "zÃ ", "é" + " " * 30 + "Ã ",
             "é" + "a" * 17 + "€Ã"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
              for _ in range(20_000)]
    found = [may_hold_mojibake(text) for text in texts]
    assert found == [is_bad(text) for text in texts]
    assert 0 < sum(found) < len(texts)  # both answers come up
