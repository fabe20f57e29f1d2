"""Audited cleaning (analysis.text.clean): the log by hand on toy texts and on the seeds."""

from __future__ import annotations

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
