"""Cleaning, segmentation and tokenization, counted by hand on toy texts and on the seeds."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.lexicons import stop_words
from analysis.overview import summary, suspected_noise
from analysis.text.process import process
from analysis.text.segment import split_sentences, tokenize
from analysis.text.terms import terms


@pytest.fixture(scope="module")
def seeds():
    return process(load_corpus())


def toy(make_corpus, text, **extra):
    return process(load_corpus(make_corpus({"t.txt": text, **extra})))


# --------------------------------------------------------------------------- tokens


def test_hyphenated_words_and_possessives():
    assert tokenize("The all-weather, win-win China's road & people-to-people ties.") == [
        "the", "all-weather", "win-win", "china", "'s", "road", "&", "people-to-people", "ties",
    ]


def test_numbers_initialisms_and_contractions():
    assert tokenize("H.E said 1.3 billion, 19th CPC; don't stop.") == [
        "h.e", "said", "1.3", "billion", "19th", "cpc", "don't", "stop",
    ]


def test_word_counts_exclude_clitics_and_ampersands(make_corpus):
    p = toy(make_corpus, "China's friends & brothers.")
    assert p.tokens["term"].tolist() == ["china", "'s", "friends", "&", "brothers"]
    assert p.tokens["is_word"].sum() == 3
    assert p.sentences["words"].tolist() == [3]


def test_stop_words_are_sklearn_plus_project_list():
    words = stop_words()
    assert {"the", "and", "of"} <= words  # scikit-learn's list
    assert {"'s", "mr", "h.e"} <= words  # lexicons/stopwords.csv
    assert "road" not in words


# --------------------------------------------------------------------------- sentences


def test_abbreviations_do_not_end_sentences():
    text = ("The event was attended by Mr. Song Tao, minister. Defense Attache Brig. Shahid "
            "Amir Afsar came. H.E Arif Alvi sent a message.")
    assert split_sentences(text) == [
        "The event was attended by Mr. Song Tao, minister.",
        "Defense Attache Brig. Shahid Amir Afsar came.",
        "H.E Arif Alvi sent a message.",
    ]


def test_seed_sentences_keep_titles_with_names(seeds):
    texts = seeds.sentences["text"]
    assert texts.str.contains(r"attended by Mr\. Song Tao, minister of the IDCPC").any()
    assert not texts.str.endswith("Mr.").any()
    assert not texts.str.endswith("Brig.").any()


# --------------------------------------------------------------------------- paragraphs, sections


def test_paragraphs_sentences_and_positions_by_hand(make_corpus):
    p = toy(make_corpus, "Title here\n\nFirst sentence. Second one!\nThird para.\n")
    assert p.paragraphs["paragraph"].tolist() == [1, 2, 3]
    assert p.sentences["text"].tolist() == ["Title here", "First sentence.", "Second one!",
                                            "Third para."]
    assert p.sentences["sentence"].tolist() == [1, 2, 3, 4]
    assert p.sentences["paragraph"].tolist() == [1, 2, 2, 3]
    assert p.tokens["position"].tolist() == list(range(8))
    text = p.texts["t"]
    assert [text[s:e] for s, e in zip(p.tokens["start"], p.tokens["end"], strict=True)] == (
        p.tokens["token"].tolist()
    )


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


def test_section_mapping_after_cleaning_shifts_offsets(make_corpus):
    text = "Sing Tao wrote.\n\nNaeemCheema came.\nLast line.\n\nLeave a Reply\n"
    p = toy(make_corpus, text,
            **{"sections.csv": "file,section,voice,first,last\nt.txt,a,x,1,2\nt.txt,b,y,3,\n"})
    assert p.texts["t"] == "Song Tao wrote.\n\nNaeem Cheema came.\nLast line."
    assert p.paragraphs[["paragraph", "section"]].values.tolist() == [
        [1, "a"], [2, "a"], [3, "b"]]


def test_default_section_is_main(make_corpus):
    p = toy(make_corpus, "One.\nTwo.\n")
    assert set(p.sentences["section"]) == {"main"}


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


# --------------------------------------------------------------------------- multiword expressions


def test_multiword_expressions_and_variants(make_corpus):
    p = toy(make_corpus, "The Belt & Road and the Belt and Road Initiative. "
                         "China-Pakistan Economic Corridor, or CPEC. Political parties.")
    t = terms(p)
    assert t["term"].tolist() == [
        "the", "belt and road", "and", "the", "belt and road initiative",
        "cpec", "or", "cpec", "political parties",
    ]
    assert t["mwe"].tolist() == [False, True, False, False, True, True, False, False, True]
    assert t.loc[1, "token"] == "Belt & Road"
    assert t.loc[5, "token"] == "China-Pakistan Economic Corridor"
    assert terms(p, mwe=False)["term"].tolist() == p.tokens["term"].tolist()


def test_multiword_expressions_do_not_cross_sentences(make_corpus):
    p = toy(make_corpus, "We met the political. Parties came.")
    assert "political parties" not in set(terms(p)["term"])


def test_seed_multiword_counts(seeds):
    counts = terms(seeds)["term"].value_counts()
    assert counts["belt and road"] == 1  # "Belt & Road"
    assert counts["community with a shared future"] == 4  # 3 "with a shared future" + 1 "of"


# --------------------------------------------------------------------------- overview, noise


def test_summary_by_document_and_section(make_corpus):
    p = toy(make_corpus, "Head line\nThe cat saw the cat. A dog!\n",
            **{"sections.csv": "file,section,voice,first,last\nt.txt,h,paper,1,1\n"
                               "t.txt,b,writer,2,\n"})
    docs = summary(p)
    assert docs[["paragraphs", "sentences", "words", "types"]].values.tolist() == [[2, 3, 9, 7]]
    assert docs.loc[0, "ttr"] == pytest.approx(7 / 9, abs=1e-4)
    sections = summary(p, by="section")
    assert sections[["section", "voice", "sentences", "words", "types"]].values.tolist() == [
        ["h", "paper", 1, 2, 2], ["b", "writer", 2, 7, 5]]


def test_seed_sizes(seeds):
    table = summary(seeds).set_index("doc")
    assert table.loc["songtao-article", "paragraphs"] == 19
    assert table.loc["award-report", "paragraphs"] == 7  # "Leave a Reply" removed
    assert table["words"].gt(1000).all()


def test_suspected_noise_finds_what_was_not_corrected(make_corpus):
    p = toy(make_corpus, "We met SaraKhan and the the minister.\nThe changingworld order "
                         "came.Then rain.\nShare this\n")
    found = suspected_noise(p)
    kinds = dict(zip(found["text"], found["kind"], strict=False))
    assert kinds["SaraKhan"] == "camel-case word"
    assert kinds["the the"] == "repeated word"
    assert kinds["came.Then"] == "punctuation without space"
    assert kinds["Share this"] == "boilerplate line"
    changing = found[found["text"] == "changingworld"].iloc[0]
    assert (changing["kind"], changing["suggestion"]) == ("run-together words", "changing world")


def test_seed_noise_after_cleaning_is_empty(seeds):
    assert isinstance(suspected_noise(seeds), pd.DataFrame)
    assert suspected_noise(seeds).empty


# --------------------------------------------------------------------------- sentence rules
# Each case: a paragraph and its sentences, split by hand.

SPLITS = [
    # abbreviations of the lexicon, curly and straight quotes before a title
    ("“Mr. Khan met the U.N. envoy at 5 p.m. on Jan. 3,” she said. He left.",
     ["“Mr. Khan met the U.N. envoy at 5 p.m. on Jan. 3,” she said.", "He left."]),
    ('He met "Mr. Li" and Rev. Smith, Gov. Shah and Sec. Blinken. They talked.',
     ['He met "Mr. Li" and Rev. Smith, Gov. Shah and Sec. Blinken.', "They talked."]),
    ("The bag weighed 5 lb. and 3 oz. when Op. 27 began. It held 20 mg. of salt.",
     ["The bag weighed 5 lb. and 3 oz. when Op. 27 began.", "It held 20 mg. of salt."]),
    # an abbreviation that may end a sentence: only before a word that starts sentences
    ("I work for the U.S. Government in Virginia. I live in the U.S. How about you?",
     ["I work for the U.S. Government in Virginia.", "I live in the U.S.", "How about you?"]),
    ("They met at 9 a.m. The talks ended at 6 p.m. Officials left.",
     ["They met at 9 a.m.", "The talks ended at 6 p.m. Officials left."]),
    ("Pitt, Briggs & Co. at noon. Let's ask Jane and co. They know.",
     ["Pitt, Briggs & Co. at noon.", "Let's ask Jane and co.", "They know."]),
    # initials before a surname, and an initial that ends a sentence
    ("John F. Kennedy and J. R. Smith came. It was plan B. Then they left.",
     ["John F. Kennedy and J. R. Smith came.", "It was plan B.", "Then they left."]),
    # closing quotes and brackets stay with their sentence; lower case continues one
    ('"Why?" he asked. (See the report.) Next. "It is done." she said.',
     ['"Why?" he asked.', "(See the report.)", "Next.", '"It is done." she said.']),
    ("He said “we will win.” Then he left. ‘Go!’ said Ali. (That was all.) It ended.",
     ["He said “we will win.”", "Then he left.", "‘Go!’ said Ali.", "(That was all.)",
      "It ended."]),
    ("“Sorry!” Imran Khan said. “Why?” He smiled.",
     ["“Sorry!” Imran Khan said.", "“Why?”", "He smiled."]),
    # reference marks, heading numbers, lists, ellipses, web text in lower case
    ("He died in 2014. [4] [5] She lived on. [citation needed]",
     ["He died in 2014. [4] [5]", "She lived on. [citation needed]"]),
    ("2.1. Methods of the study", ["2.1. Methods of the study"]),
    ("1. The first item 2. The second item", ["1. The first item", "2. The second item"]),
    ("I never meant that... She left. It was . . . I don't know. . . . Then he came.",
     ["I never meant that...", "She left.", "It was . . . I don't know. . . .",
      "Then he came."]),
    ("i loved it. why do you ask? because e.g. this one works.",
     ["i loved it.", "why do you ask? because e.g. this one works."]),
    # numbers and prices
    ("She has $100.00. It is in her bag. He came at 5. Six more came.",
     ["She has $100.00.", "It is in her bag.", "He came at 5.", "Six more came."]),
    # the seeds' titles and honorifics
    ("The event was attended by Mr. Song Tao, minister. Defense Attache Brig. Shahid "
     "Amir Afsar came. H.E Arif Alvi sent a message.",
     ["The event was attended by Mr. Song Tao, minister.",
      "Defense Attache Brig. Shahid Amir Afsar came.", "H.E Arif Alvi sent a message."]),
    ("No marks at all", ["No marks at all"]),
]


@pytest.mark.parametrize(("paragraph", "expected"), SPLITS)
def test_sentence_splits_by_hand(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_sentence_spans_are_offsets_into_the_paragraph():
    from analysis.text.segment import sentence_spans

    paragraph = 'He left.\tThen "we won." Fine'
    assert sentence_spans(paragraph) == [(0, 8), (9, 23), (24, 28)]


def test_sentence_spans_cover_random_paragraphs_in_order():
    # Whatever the rules decide, the spans tile the paragraph: in order, without overlap,
    # each stripped, only white space between them.
    import random

    from analysis.text.segment import sentence_spans

    words = ["word", "Word", "Mr", "J", "5", "1.3", "U.S", "e.g", "don't", "The", "★", "Co",
             "a", "1", "2", "[3]", "“Mr", "été", "A", "s", "(b", "said"]
    marks = [".", "?", "!", "", "", "", ".", "...", "?!", ".,", ";", ",", ". ."]
    closers = ["", "", "", '"', "'", ")", '")', "]", "\u201d", "\u2019"]
    spaces = [" ", " ", " ", "\t", "  ", "\u2003"]
    rng = random.Random(3)
    for _ in range(3000):
        paragraph = "".join(rng.choice(words) + rng.choice(marks) + rng.choice(closers)
                            + rng.choice(spaces) for _ in range(rng.randint(1, 9))).strip()
        spans = sentence_spans(paragraph)
        assert spans[0][0] == 0 and spans[-1][1] == len(paragraph), repr(paragraph)
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end < start and paragraph[end:start].isspace(), repr(paragraph)
        for start, end in spans:
            assert paragraph[start:end] == paragraph[start:end].strip() != "", repr(paragraph)


def test_abbreviation_lexicon_is_well_formed():
    from analysis.lexicons import read_lexicon
    from analysis.text.segment import ABBREVIATION_KINDS, ABBREVIATIONS

    rows = read_lexicon("abbreviations")
    assert set(rows[0]) == {"abbreviation", "kind", "source"}
    forms = [row["abbreviation"] for row in rows]
    assert len(forms) == len(set(forms))
    assert all(form.endswith(".") and " " not in form for form in forms)
    assert all(row["source"] for row in rows)
    assert {row["kind"] for row in rows} == {
        "title", "rank", "suffix", "month", "weekday", "state", "unit", "latin",
        "organisation", "place", "reference", "initialism", "other"}
    assert ABBREVIATION_KINDS["Mr"] == "title" and ABBREVIATION_KINDS["sec"] == "unit"
    assert ABBREVIATION_KINDS["Sec"] == "title" and ABBREVIATION_KINDS["U.N"] == "initialism"
    assert {"mr", "u.s", "p.m", "calif", "lb"} <= ABBREVIATIONS


def test_sentence_splitting_needs_no_nltk():
    import subprocess
    import sys

    code = ("import sys; from analysis.text.segment import split_sentences; "
            "split_sentences('Mr. Li came... (He left.) Fine?!'); print('nltk' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_cli_sentences_of_one_document(cli, make_corpus):
    folder = make_corpus({"a.txt": "Title\nMr. Li met the U.N. envoy. They talked.\n",
                          "b.txt": "Other text.\n"})
    status, out, err = cli("sentences", "--corpus", str(folder), "--doc", "a",
                           "--format", "csv")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "doc,paragraph,sentence,start,end,text",
        "a,1,1,0,5,Title",
        "a,2,2,6,32,Mr. Li met the U.N. envoy.",
        "a,2,3,33,45,They talked.",
    ]


# --------------------------------------------------------------------------- disk cache


def test_processed_corpus_is_cached_on_disk_and_never_stale(make_corpus, tmp_path, monkeypatch):
    from analysis import config
    from analysis.text import process as text

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    folder = make_corpus({"a.txt": "The road of development. Friends & brothers."})
    first = text.process(load_corpus(folder))
    files = list((tmp_path / "cache").glob("processed-*.store"))
    assert len(files) == 1
    text.process.cache_clear()  # forget the in-memory copy: the next call reads the file
    again = text.process(load_corpus(folder))
    assert again is not first
    pd.testing.assert_frame_equal(again.tokens, first.tokens)
    assert again.texts == first.texts
    # A changed text gets another key: the old result is not used.
    (folder / "a.txt").write_text("The road to happiness.", encoding="utf-8")
    changed = text.process(load_corpus(folder))
    assert "happiness" in set(changed.tokens["term"])
    assert len(list((tmp_path / "cache").glob("processed-*.store"))) == 2


CACHE_TEXTS = {
    "a.txt": "The road of development. Mr. Khan met the U.N. envoy at 3 p.m. today.\n\n"
             "Friends & brothers: CPEC’s win-win cooperation!",
    "b.txt": "One paragraph only",
    "c.txt": "\ufeffCafé\r\ncafe\u00a0road.  Belt & Road. Belt & Road.",
    "d.txt": "\u200b.\n\n!",
}


def assert_same_tables(left, right):
    assert left.texts == right.texts
    for name in ("cleaning_log", "paragraphs", "sentences", "tokens"):
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name),
                                      check_exact=True)


def cache_file(tmp_path):
    (path,) = (tmp_path / "cache").glob("processed-*.store")
    return path


@pytest.fixture
def cached(make_corpus, tmp_path, monkeypatch):
    """A corpus processed once (its cache file written) and its tables."""
    from analysis import config
    from analysis.text import process as text

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    corpus = load_corpus(make_corpus(CACHE_TEXTS))
    fresh = text.process(corpus)
    text.process.cache_clear()
    return corpus, fresh


def reprocess(corpus):
    from analysis.text import process as text

    text.process.cache_clear()
    with pytest.warns(text.CacheWarning) as caught:
        again = text.process(corpus)
    assert len(caught) == 1
    return again, str(caught[0].message)


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty"])
def test_a_damaged_cache_file_is_rebuilt_with_identical_results(cached, tmp_path, damage):
    corpus, fresh = cached
    path = cache_file(tmp_path)
    content = bytearray(path.read_bytes())
    if damage == "flip":  # a byte in the token ids, which used to change counts silently
        content[len(content) // 2] ^= 0x01
    path.write_bytes(bytes(content[:len(content) // 3] if damage == "truncate" else
                           b"" if damage == "empty" else content))
    again, message = reprocess(corpus)
    assert message.startswith(f"ignored the cache file {path.name} (")
    assert_same_tables(again, fresh)
    from analysis import store
    from analysis.text import process as text

    assert store.read(path)["key"].tobytes() == text.cache_key(corpus).encode()  # rewritten


def test_a_planted_pickle_in_the_cache_runs_nothing(cached, tmp_path):
    import pickle

    corpus, fresh = cached
    path = cache_file(tmp_path)
    marker = tmp_path / "ran"
    # The file name anyone can compute, under the old pickle name and the new one.
    payload = pickle.dumps(_Plant(str(marker)))
    path.with_suffix(".pickle").write_bytes(payload)
    path.write_bytes(payload)
    again, message = reprocess(corpus)
    assert "not a store file" in message
    assert not marker.exists()
    assert_same_tables(again, fresh)


class _Plant:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_foreign_store_file_under_the_name_is_refused(cached, tmp_path, make_corpus):
    from analysis import config
    from analysis.text import process as text

    corpus, fresh = cached
    path = cache_file(tmp_path)
    other = load_corpus(make_corpus({"z.txt": "Another corpus entirely."}, name="other"))
    text.process(other)  # its own file, copied under the first corpus's name
    (other_path,) = set((tmp_path / "cache").glob("processed-*.store")) - {path}
    path.write_bytes(other_path.read_bytes())
    again, message = reprocess(corpus)
    assert "made for another corpus" in message
    assert_same_tables(again, fresh)
    assert config.CACHE_DIR == tmp_path / "cache"


def test_a_fifo_or_symlink_in_the_cache_is_not_waited_on_or_followed(cached, tmp_path):
    import signal

    corpus, fresh = cached
    path = cache_file(tmp_path)
    target = tmp_path / "elsewhere.store"
    path.rename(target)
    os.mkfifo(path)
    signal.alarm(20)  # a hang fails the test instead of the whole run
    try:
        again, message = reprocess(corpus)
    finally:
        signal.alarm(0)
    assert "not a regular file" in message
    assert_same_tables(again, fresh)
    assert path.is_file() and not path.is_symlink()  # replaced by a sound file
    path.unlink()
    path.symlink_to(target)
    again, message = reprocess(corpus)
    assert "not a regular file" in message
    assert not path.is_symlink()
    assert target.read_bytes()[:8] == b"ANSTORE1"  # the link's target is left alone


def test_old_cache_entries_are_pruned_least_recently_used_first(make_corpus, tmp_path,
                                                              monkeypatch):
    from analysis import config
    from analysis.text import process as text

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(text, "CACHE_KEEP", 2)
    corpora = [load_corpus(make_corpus({"a.txt": f"Text number {i}."}, name=f"c{i}"))
               for i in range(3)]
    keys = [text.cache_key(c) for c in corpora]
    text.process(corpora[0])
    os.utime(tmp_path / "cache" / f"processed-{keys[0]}.store", (1, 1))
    text.process(corpora[1])
    os.utime(tmp_path / "cache" / f"processed-{keys[1]}.store", (2, 2))
    text.process.cache_clear()
    text.process(corpora[0])  # read from disk: now the most recently used
    text.process(corpora[2])
    left = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert left == sorted(f"processed-{keys[i]}.store" for i in (0, 2))


@pytest.mark.parametrize("threads", [False, True])
def test_parallel_processing_gives_the_same_tables(make_corpus, monkeypatch, threads):
    import threading

    from analysis.text import process as text

    corpus = load_corpus(make_corpus({**CACHE_TEXTS, **{f"e{i}.txt": f"Road {i}. U.S. {i}!"
                                                        for i in range(9)}}))
    single = text.process(corpus)
    text.process.cache_clear()
    for entry in text.config.CACHE_DIR.glob("processed-*"):
        entry.unlink()
    monkeypatch.setattr(text, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(text, "BATCH_CHARS", 40)  # several batches
    monkeypatch.setenv("ANALYSIS_WORKERS", "2")
    import concurrent.futures

    pools = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def map(self, fn, batches):
            batches = list(batches)
            pools.append((self._max_workers, len(batches), self._mp_context.get_start_method()))
            return super().map(fn, batches)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    stop = threading.Event()
    if threads:  # another thread running: workers come from a fork server, not a fork
        threading.Thread(target=stop.wait, daemon=True).start()
    try:
        parallel = text.process(corpus)
    finally:
        stop.set()
    (workers, batches, method), = pools  # every batch went to two worker processes
    assert workers == 2 and batches > 4 and method == ("forkserver" if threads else "fork")
    assert_same_tables(parallel, single)


def test_two_processes_filling_the_cache_at_once_both_succeed(make_corpus, tmp_path):
    import subprocess
    import sys

    folder = make_corpus({f"d{i}.txt": CACHE_TEXTS["a.txt"] * 50 for i in range(40)})
    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(tmp_path / "shared")}
    command = [sys.executable, "-m", "analysis", "freq", "--corpus", str(folder),
               "--format", "csv"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert outputs[0] == outputs[1] and outputs[0][1] == ""
    assert outputs[0][0].startswith("term,count,per_1000,range,dp\n")
    assert len(list((tmp_path / "shared").glob("processed-*.store"))) == 1
    assert not list((tmp_path / "shared").glob("*.tmp"))


def test_cache_key_covers_every_module_processing_depends_on(tmp_path, monkeypatch):
    import shutil

    from analysis import config
    from analysis.text import process as text

    copy = tmp_path / "analysis"
    shutil.copytree(config.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    corpus = load_corpus()
    monkeypatch.setattr(config, "PACKAGE_DIR", copy)
    monkeypatch.setattr(config, "LEXICONS_DIR", copy / "lexicons")
    keys = []
    names = [f"text/{path.name}" for path in (copy / "text").glob("*.py")]
    for name in [*names, *text.PROCESSING_MODULES, "lexicons/stopwords.csv"]:
        text._code_fingerprint.cache_clear()
        before = text.cache_key(corpus)
        with (copy / name).open("a", encoding="utf-8") as handle:
            handle.write("\n")
        text._code_fingerprint.cache_clear()
        keys.append((before, text.cache_key(corpus)))
    text._code_fingerprint.cache_clear()
    assert all(before != after for before, after in keys)


def test_cache_key_changes_with_metadata_and_sections(make_corpus):
    from analysis.text.process import cache_key

    folder = make_corpus({"a.txt": "Text."})
    plain = cache_key(load_corpus(folder))
    (folder / "metadata.csv").write_text("file,title\na.txt,T\n", encoding="utf-8")
    titled = cache_key(load_corpus(folder))
    (folder / "sections.csv").write_text("file,section,first\na.txt,s,1\n", encoding="utf-8")
    assert len({plain, titled, cache_key(load_corpus(folder))}) == 3


def test_stop_words_equal_scikit_learns_list_plus_the_project_list():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from analysis.lexicons import read_lexicon

    project = {row["word"] for row in read_lexicon("stopwords")}
    assert stop_words() == frozenset(ENGLISH_STOP_WORDS) | project
    assert len(stop_words()) == len(ENGLISH_STOP_WORDS) + len(project - ENGLISH_STOP_WORDS)


# TOKEN_PATTERN in its plain form; the module's pattern is written for speed (see its comment).
PLAIN_PATTERN = r"""(?x)
    \d+(?:[.,]\d+)+
  | (?:[^\W\d_]\.)+[^\W\d_](?![^\W_])
  | [^\W_]+(?:-[^\W_]+)*(?:'(?![sS]\b)[^\W_]+)*
  | '[sS]\b
  | &
"""
TOKEN_PROBES = (
    "U.S. U.S.A U.S.A. H.E. a.b.c1 a.b.cd A. e.g. 1.3 1,000.5 2.a 3, 1.2.3 win-win-win -x x- "
    "don't o'clock rock-'n'-roll China's the parties' 's 'S x's's Belt & Road ½ x² 3rd __x_y "
    "é.è.à Ünïcödé's dö-n't a--b 'twas'' l'état 12-15 1.3.x"
)


def test_token_pattern_matches_what_its_plain_form_matches(seeds):
    import re

    from analysis.text.segment import TOKEN_PATTERN

    fast, plain = re.compile(TOKEN_PATTERN), re.compile(PLAIN_PATTERN)
    for text in [TOKEN_PROBES, *seeds.texts.values()]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_the_compiled_token_scanner_is_built_and_used():
    # pip install builds it (setup.py); without it tokenizing is four times slower.
    from analysis import _scan
    from analysis.text import segment

    assert segment._scan is _scan
    starts, ends, surfaces, terms_ = _scan.token_spans("U.S. & China's win-win, 1.3")
    assert surfaces == ["U.S", "&", "China", "'s", "win-win", "1.3"]
    assert terms_ == ["u.s", "&", "china", "'s", "win-win", "1.3"]
    assert (len(starts), len(ends)) == (6 * 8, 6 * 8)  # int64 offsets
    with pytest.raises(TypeError):
        _scan.token_spans(b"bytes are not text")


def test_compiled_scanner_gives_the_tokens_of_the_regex(seeds):
    import random

    from analysis.text.segment import _regex_token_spans, token_spans

    # Random strings over the characters every rule looks at, plus letters and digits from
    # outside ASCII (a decimal Arabic-Indic digit, digits that are not decimal, a capital
    # whose lower case is two characters, a combining accent, a letter outside the BMP).
    alphabet = list("aAsSz09_.,-'& \n\"()éß½²٣İΣ\u0301\x00𝐀")
    rng = random.Random(6)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
             for _ in range(20_000)]
    texts += [TOKEN_PROBES, *seeds.texts.values()]
    for text in texts:
        fast, regex = token_spans(text), _regex_token_spans(text)
        assert (fast[0].tolist(), fast[1].tolist(), fast[2], fast[3]) == (
            regex[0].tolist(), regex[1].tolist(), regex[2], regex[3]), repr(text)


def test_process_tokens_equal_nltk_regexp_tokenizer_on_the_seeds(seeds):
    for sentence in seeds.sentences.itertuples():
        mine = seeds.tokens.loc[(seeds.tokens["doc"] == sentence.doc)
                                & (seeds.tokens["sentence"] == sentence.sentence), "term"]
        assert mine.tolist() == tokenize(sentence.text)


def test_content_mask_keeps_words_with_a_letter_that_are_not_stop_words(make_corpus):
    from analysis.text.terms import content_mask

    p = toy(make_corpus, "The 1.3 CPEC's road & 2020 roads.\n")
    tokens = p.tokens
    assert tokens["term"].tolist() == ["the", "1.3", "cpec", "'s", "road", "&", "2020", "roads"]
    assert content_mask(tokens).tolist() == [False, False, True, False, True, False, False,
                                             True]
