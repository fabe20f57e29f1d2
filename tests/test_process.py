"""The processed corpus (analysis.text.process): its tables by hand, the disk cache, workers."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from conftest import toy

from analysis.corpus import load_corpus

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


# --------------------------------------------------------------------------- disk cache


def test_processed_corpus_is_cached_on_disk_and_never_stale(make_corpus, tmp_path, monkeypatch):
    from analysis import config
    from analysis.text import process as processing

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    folder = make_corpus({"a.txt": "The road of development. Friends & brothers."})
    first = processing.process(load_corpus(folder))
    files = list((tmp_path / "cache").glob("processed-*.store"))
    assert len(files) == 1
    processing.process.cache_clear()  # forget the in-memory copy: the next call reads the file
    again = processing.process(load_corpus(folder))
    assert again is not first
    pd.testing.assert_frame_equal(again.tokens, first.tokens)
    assert again.texts == first.texts
    # A changed text gets another key: the old result is not used.
    (folder / "a.txt").write_text("The road to happiness.", encoding="utf-8")
    changed = processing.process(load_corpus(folder))
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
    from analysis.text import process as processing

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    corpus = load_corpus(make_corpus(CACHE_TEXTS))
    fresh = processing.process(corpus)
    processing.process.cache_clear()
    return corpus, fresh


def reprocess(corpus):
    """The corpus processed again from a damaged cache file, and the one warning: at once,
    or when the damaged array is first read (the arrays are read when an analysis needs
    them, here every table and the index)."""
    from analysis import index
    from analysis.text import process as processing

    processing.process.cache_clear()
    with pytest.warns(processing.CacheWarning) as caught:
        again = processing.process(corpus)
        _ = again.tokens, again.sentences, list(again.texts.values())
        index.matrix(again.columns)
        index.positions(again.columns, 0)
    caught = [w for w in caught if w.category is processing.CacheWarning]
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
    from analysis.text import process as processing

    assert store.read(path)["key"].tobytes() == processing.cache_key(corpus).encode()  # rewritten


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
    from analysis.text import process as processing

    corpus, fresh = cached
    path = cache_file(tmp_path)
    other = load_corpus(make_corpus({"z.txt": "Another corpus entirely."}, name="other"))
    processing.process(other)  # its own file, copied under the first corpus's name
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
    assert target.read_bytes()[:8] == b"ANSTORE2"  # the link's target is left alone


def test_old_cache_entries_are_pruned_least_recently_used_first(make_corpus, tmp_path,
                                                              monkeypatch):
    from analysis import config
    from analysis.text import process as processing

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(processing, "CACHE_KEEP", 2)
    corpora = [load_corpus(make_corpus({"a.txt": f"Text number {i}."}, name=f"c{i}"))
               for i in range(3)]
    keys = [processing.cache_key(c) for c in corpora]
    processing.process(corpora[0])
    os.utime(tmp_path / "cache" / f"processed-{keys[0]}.store", (1, 1))
    processing.process(corpora[1])
    os.utime(tmp_path / "cache" / f"processed-{keys[1]}.store", (2, 2))
    processing.process.cache_clear()
    processing.process(corpora[0])  # read from disk: now the most recently used
    processing.process(corpora[2])
    left = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert left == sorted(f"processed-{keys[i]}.store" for i in (0, 2))


@pytest.mark.parametrize("threads", [False, True])
def test_parallel_processing_gives_the_same_tables(make_corpus, monkeypatch, threads):
    import threading

    from analysis.text import process as processing

    corpus = load_corpus(make_corpus({**CACHE_TEXTS, **{f"e{i}.txt": f"Road {i}. U.S. {i}!"
                                                        for i in range(9)}}))
    single = processing.process(corpus)
    processing.process.cache_clear()
    for entry in processing.config.CACHE_DIR.glob("processed-*"):
        entry.unlink()
    monkeypatch.setattr(processing, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(processing, "BATCH_CHARS", 10)  # a document a batch
    monkeypatch.setenv("ANALYSIS_WORKERS", "2")
    import concurrent.futures

    pools = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            pools.append((self._max_workers, self._mp_context.get_start_method()))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    merge = processing._merge
    sent_when_merged = []

    def merged(batches, **options):  # how many batches were sent to the workers as each
        return merge((sent_when_merged.append(len(pools)) or batch for batch in batches),
                     **options)  # is merged

    monkeypatch.setattr(processing, "_merge", merged)
    stop = threading.Event()
    if threads:  # another thread running: workers come from a fork server, not a fork
        threading.Thread(target=stop.wait, daemon=True).start()
    try:
        parallel = processing.process(corpus)
    finally:
        stop.set()
    # every batch went to two worker processes, a few ahead of the one merged
    assert set(pools) == {(2, "forkserver" if threads else "fork")} and len(pools) > 8
    assert sent_when_merged == [min(len(pools), processing.AHEAD * 2 + k)
                                for k in range(1, len(pools) + 1)]
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
    from analysis.text import process as processing

    copy = tmp_path / "analysis"
    shutil.copytree(config.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    corpus = load_corpus()
    monkeypatch.setattr(config, "PACKAGE_DIR", copy)
    monkeypatch.setattr(config, "LEXICONS_DIR", copy / "lexicons")
    keys = []
    names = [f"text/{path.name}" for path in (copy / "text").glob("*.py")]
    for name in [*names, *processing.PROCESSING_MODULES, "lexicons/stopwords.csv"]:
        processing._code_fingerprint.cache_clear()
        before = processing.cache_key(corpus)
        with (copy / name).open("a", encoding="utf-8") as handle:
            handle.write("\n")
        processing._code_fingerprint.cache_clear()
        keys.append((before, processing.cache_key(corpus)))
    processing._code_fingerprint.cache_clear()
    assert all(before != after for before, after in keys)


def test_cache_key_changes_with_metadata_and_sections(make_corpus):
    from analysis.text.process import cache_key

    folder = make_corpus({"a.txt": "Text."})
    plain = cache_key(load_corpus(folder))
    (folder / "metadata.csv").write_text("file,title\na.txt,T\n", encoding="utf-8")
    titled = cache_key(load_corpus(folder))
    (folder / "sections.csv").write_text("file,section,first\na.txt,s,1\n", encoding="utf-8")
    assert len({plain, titled, cache_key(load_corpus(folder))}) == 3


def test_a_sound_file_with_arrays_of_the_wrong_kind_is_refused(cached, tmp_path):
    # A checksum proves only that the file is whole: the arrays are checked one by one too.
    # A negative gap would shift every later token's offsets without any error.
    from analysis import store

    corpus, fresh = cached
    path = cache_file(tmp_path)
    arrays = dict(store.read(path))
    gaps = arrays["tok.gap"].astype("<i8")
    gaps[1] = -1
    words = arrays["sent.words"].copy()
    words[0] = arrays["sent.tokens"][0] + 1  # more words than tokens in a sentence
    # Arrays one short: the tables are built only when asked for, so this must be seen now.
    short = [(name, arrays[name][:-1]) for name in ("para.number", "sent.end", "log.doc")]
    for name, bad in [("tok.gap", gaps), ("tok.id", arrays["tok.id"].astype("<i8")),
                      ("sent.words", words), *short]:
        store.write(path, {**arrays, name: bad})
        again, message = reprocess(corpus)
        assert "inconsistent arrays" in message
        assert_same_tables(again, fresh)


def test_texts_read_by_threads_at_once_stay_right():
    import sys
    import threading

    import numpy as np

    from analysis.text.process import Texts

    ids = [f"d{i}" for i in range(40)]
    values = [f"text {i} " * (i + 1) for i in range(40)]
    encoded = [v.encode() for v in values]
    texts = Texts(ids, np.frombuffer(b"".join(encoded), dtype=np.uint8),
                  np.cumsum([len(e) for e in encoded]))
    texts.KEEP_CHARS = 300  # a few texts at a time: entries come and go while read
    wrong = []

    def read(seed: int) -> None:
        rng = np.random.default_rng(seed)
        for i in rng.integers(0, 40, 3000).tolist():
            if texts[ids[i]] != values[i]:
                wrong.append(i)

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can
    try:
        workers = [threading.Thread(target=read, args=(s,)) for s in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        sys.setswitchinterval(switch)
    assert wrong == []
    assert texts._kept == sum(len(t) for t in texts._decoded.values()) <= 300 + 40 * 9


def test_a_change_to_the_token_table_leaves_the_arrays_alone(cached):
    corpus, fresh = cached
    from analysis.text.process import compute

    p = compute(corpus)
    before = p.columns.tok_is_word.copy(), p.columns.tok_position.copy()
    p.tokens.loc[0, "is_word"] = not p.tokens.loc[0, "is_word"]
    p.tokens.loc[0, "position"] = 99
    assert (p.columns.tok_is_word == before[0]).all()
    assert (p.columns.tok_position == before[1]).all()


def test_texts_decode_each_document_once_and_refuse_bad_bytes():
    import numpy as np
    import pytest

    from analysis.text.process import Texts

    def texts(raw: bytes, ends: list[int], ids=("a", "b")) -> Texts:
        return Texts(list(ids), np.frombuffer(raw, dtype=np.uint8), np.array(ends))

    both = texts("ab€".encode(), [2, 5])
    assert dict(both) == {"a": "ab", "b": "€"}
    assert both["b"] is both["b"]  # decoded once, then kept
    small = texts("ab€".encode(), [2, 5])
    small.KEEP_CHARS = 2  # past it, the texts read longest ago are let go
    assert (small["a"], small["b"]) == ("ab", "€") and list(small._decoded) == ["b"]
    assert both.lengths().tolist() == [2, 1]  # characters, not bytes
    assert dict(both.subset(np.array([False, True]))) == {"b": "€"}
    with pytest.raises(ValueError, match="inside a character"):
        texts("ab€".encode(), [3, 5])  # "b" would start in the middle of "€"
    with pytest.raises(ValueError):
        texts(b"ab\xff", [2, 3])  # not UTF-8
    with pytest.raises(ValueError, match="offsets"):
        texts(b"abc", [2, 4])


def test_cache_key_tells_apart_bytes_moved_from_one_document_into_the_next():
    from analysis.corpus import Corpus, Document
    from analysis.text.process import cache_key

    # The second document's text holds what its own header looked like to a key that joined
    # the pieces without lengths; moving its first bytes into the first document keeps the
    # concatenation of every piece the same.
    header = repr(("b", "b.txt", [], ()))
    first = Corpus((Document("a", "a.txt", "One road. "),
                    Document("b", "b.txt", "Two roads. " + header + "Three roads.")))
    moved = Corpus((Document("a", "a.txt", "One road. " + header + "Two roads. "),
                    Document("b", "b.txt", "Three roads.")))
    assert [d.raw for d in first] != [d.raw for d in moved]
    assert cache_key(first) != cache_key(moved)


def test_code_points_read_from_the_bytes_are_the_decoded_characters():
    # Characters of one to four bytes (and a lone surrogate, which the texts may hold), in
    # texts of every width, some empty: each offset's code point is the decoded text's.
    import random

    import numpy as np

    from analysis.text.process import Texts

    rng = random.Random(5)
    alphabet = "ab ,\u00e9\u00a0\u2014\u3000\U0001f600\ud800"
    strings = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
               for _ in range(60)] + ["", "plain ascii"]
    encoded = [s.encode("utf-8", "surrogatepass") for s in strings]
    texts = Texts([str(i) for i in range(len(strings))],
                  np.frombuffer(b"".join(encoded), dtype=np.uint8),
                  np.cumsum([len(e) for e in encoded]))
    docs = np.array([d for d, s in enumerate(strings) for _ in s])
    offsets = np.array([k for s in strings for k in range(len(s))])
    assert texts.code_points(docs, offsets).tolist() == [ord(ch) for s in strings for ch in s]
    assert len(offsets) > 300 and {0x1F600, 0xD800, 0x3000} <= set(map(ord, "".join(strings)))


def test_token_offsets_restart_in_every_document_after_empty_ones(make_corpus):
    from conftest import corpus_of

    from analysis.text.segment import token_spans

    # b and d have no token (punctuation is not a token)
    files = {"a.txt": "One two.", "b.txt": "* * *", "c.txt": "\u00c9t\u00e9  three, four.",
             "d.txt": "...\n\u2014", "e.txt": "Five\u3000six."}
    p = corpus_of(make_corpus, files)
    c = p.columns
    expected_start, expected_end = [], []
    for doc in p.corpus.ids:
        starts, ends, _, _ = token_spans(p.texts[doc])
        expected_start += starts.tolist()
        expected_end += ends.tolist()
    assert c.tok_start.tolist() == expected_start and c.tok_end.tolist() == expected_end
    assert c.doc_tokens.tolist() == [2, 0, 3, 0, 2]


def test_sentence_table_of_some_sentences(make_corpus):
    from conftest import corpus_of

    # a: "One. Two." (rows 0, 1); b: "Three. Four." (rows 2, 3), offsets counted by hand
    p = corpus_of(make_corpus, {"a.txt": "One. Two.", "b.txt": "Three. Four."})
    table = p.sentence_table([3, 0])
    assert table[["doc", "sentence", "start", "end", "text", "words"]].values.tolist() == [
        ["b", 2, 7, 12, "Four.", 1], ["a", 1, 0, 4, "One.", 1]]
    assert p.sentence_table([]).empty
    assert p.sentence_table().equals(p.sentences)


def test_processing_in_workers_lets_go_of_the_texts_it_can_read_again(make_corpus, monkeypatch):
    from analysis.corpus import CorpusError
    from analysis.text import process as processing

    texts = {f"e{i}.txt": f"Road {i}. U.S. {i}!\n" for i in range(9)}
    folder = make_corpus(texts)
    (folder / "kept").mkdir()
    (folder / "kept" / "text.md").write_text("A linked text.\n", encoding="utf-8")
    os.symlink(folder / "kept" / "text.md", folder / "linked.txt")
    corpus = load_corpus(folder, follow_symlinks=True)
    single = processing.compute(corpus)
    assert all(type(doc.__dict__["_raw"]) is str for doc in corpus)  # in one process: kept
    monkeypatch.setattr(processing, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(processing, "BATCH_CHARS", 40)  # several batches
    monkeypatch.setenv("ANALYSIS_WORKERS", "2")
    processing.compute(corpus)  # a corpus smaller than RELEASE_CHARS keeps its texts
    assert all(type(doc.__dict__["_raw"]) is str for doc in corpus)
    monkeypatch.setattr(processing, "RELEASE_CHARS", 0)
    parallel = processing.process(corpus)
    kinds = {doc.file: type(doc.__dict__["_raw"]).__name__ for doc in corpus}
    # every text of the folder let go, not the one a followed link gave
    assert kinds == {**dict.fromkeys(texts, "_Deferred"), "linked.txt": "str"}
    assert_same_tables(parallel, single)
    assert [doc.raw for doc in corpus.documents[:2]] == ["Road 0. U.S. 0!\n", "Road 1. U.S. 1!\n"]
    (folder / "e5.txt").write_text("Changed.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="changed since the corpus was loaded"):
        _ = corpus.documents[5].raw


def test_texts_read_from_the_cache_read_only_the_chunks_that_hold_them():
    import numpy as np

    from analysis.text.process import Texts

    strings = ["ab", "cd€", "ef", "gh", "ij", "kl"]
    raw = "".join(strings).encode()
    data = np.frombuffer(raw, dtype=np.uint8)
    ends = np.cumsum([len(s.encode()) for s in strings])
    read = []

    def read_range(start: int, stop: int) -> np.ndarray:
        read.append((start, stop))
        return data[start:stop].copy()

    texts = Texts([str(i) for i in range(6)], lambda: data, ends, read_range=read_range)
    texts.CHUNK = 4  # bytes: cd€ (5 bytes, from byte 2) lies in chunks 0 to 1
    assert texts["1"] == "cd€" and read == [(0, 4), (4, 8)]
    assert texts["0"] == "ab" and len(read) == 2  # its chunk was read already
    assert "_data" not in texts.__dict__
    # a third chunk of four would be more than half of them: the whole is read at once
    assert texts["3"] == "gh" and "_data" in texts.__dict__ and len(read) == 2
    assert dict(texts) == dict(zip([str(i) for i in range(6)], strings, strict=True))
