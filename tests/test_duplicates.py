"""Exact and near-duplicate documents, counted by hand on toy corpora."""

from __future__ import annotations

import importlib
import json

import pytest

from analysis.duplicates import dropped, duplicates
from tests.conftest import corpus_of

# Thirty distinct words: the 26 word 5-shingles of a document are all distinct.
WORDS = ("apple river stone cloud market garden silver window engine forest "
         "harbour ladder museum pepper rocket saddle tunnel violin wagon yellow "
         "anchor basket candle dragon feather glacier hammer island jungle kettle").split()
TEXT = " ".join(WORDS) + ".\n"
# The last word changed: 25 of 26 shingles shared, union 27 -> 25/27 = 0.9259.
LAST = " ".join(WORDS[:-1] + ["lemon"]) + ".\n"
# The 15th word changed: the 5 shingles over it differ -> 21 shared, union 31 -> 21/31.
MIDDLE = " ".join(WORDS[:14] + ["lemon"] + WORDS[15:]) + ".\n"
# The first 15 words, then 15 others: 11 shingles shared, union 41 -> 11/41.
HALF = " ".join(WORDS[:15] + ("north south east west spring summer autumn winter "
                              "morning evening noon midnight copper bronze iron").split()) + ".\n"
LONE = "A lone document about something else entirely, with words of its own.\n"


def test_exact_near_lone_and_unrelated(make_corpus):
    processed = corpus_of(make_corpus, {
        "a.txt": TEXT,
        "b.txt": "  " + TEXT.replace(" ", "  \n", 3),  # the same once white space is one space
        "c.txt": LAST,
        "d.txt": LONE,
        "e.txt": HALF,
    })
    table = duplicates(processed)
    assert table.columns.tolist() == ["set", "doc", "kind", "similarity", "words", "kept"]
    assert table.values.tolist() == [
        [1, "a", "near", 1.0, 30, True],
        [1, "b", "exact", 1.0, 30, False],
        [1, "c", "near", round(25 / 27, 4), 30, False],
    ]
    assert dropped(processed) == ["b", "c"]


def test_similarity_is_the_shingle_jaccard(make_corpus):
    processed = corpus_of(make_corpus, {"a.txt": TEXT, "m.txt": MIDDLE, "h.txt": HALF})
    assert duplicates(processed).empty  # 21/31 and 11/41 are below 0.9
    table = duplicates(processed, threshold=0.6)
    assert table[["doc", "kind", "similarity"]].values.tolist() == [
        ["a", "near", 1.0], ["m", "near", round(21 / 31, 4)]]
    table = duplicates(processed, threshold=0.25)  # h joins through a: 11/41 = 0.268
    assert table.set_index("doc")["similarity"].to_dict() == {
        "a": 1.0, "h": round(11 / 41, 4), "m": round(21 / 31, 4)}
    assert table["kept"].tolist() == [True, False, False]


def test_threshold_edge(make_corpus):
    processed = corpus_of(make_corpus, {"a.txt": TEXT, "c.txt": LAST})
    assert duplicates(processed, threshold=25 / 27)["doc"].tolist() == ["a", "c"]
    assert duplicates(processed, threshold=25 / 27 + 1e-4).empty
    # one shingle of one word: 29 shared of 31 words in all
    table = duplicates(processed, threshold=0.9, shingle=1)
    assert table["similarity"].tolist() == [1.0, round(29 / 31, 4)]


def test_kept_is_first_in_corpus_order_and_sets_are_numbered(make_corpus):
    processed = corpus_of(make_corpus, {
        "a.txt": LONE, "b.txt": LAST, "c.txt": "Short one.\n", "d.txt": TEXT,
        "e.txt": "Short one.\n", "f.txt": LONE})
    table = duplicates(processed)
    assert table[["set", "doc", "kind", "kept"]].values.tolist() == [
        [1, "a", "exact", True], [1, "f", "exact", False],
        [2, "b", "near", True], [2, "d", "near", False],
        [3, "c", "exact", True], [3, "e", "exact", False]]


def test_no_duplicates_and_bad_arguments(make_corpus):
    processed = corpus_of(make_corpus, {"a.txt": TEXT, "d.txt": LONE})
    assert duplicates(processed).empty
    for threshold in (0, -0.5, 1.5):
        with pytest.raises(ValueError, match="threshold"):
            duplicates(processed, threshold=threshold)
    with pytest.raises(ValueError, match="shingle"):
        duplicates(processed, shingle=0)


def test_cli_duplicates_and_dedupe(make_corpus, cli):
    folder = make_corpus({"a.txt": TEXT, "b.txt": TEXT, "c.txt": LAST, "d.txt": LONE})
    status, out, _ = cli("duplicates", "--corpus", str(folder), "--format", "json")
    assert status == 0
    assert [(r["set"], r["doc"], r["kind"], r["kept"]) for r in json.loads(out)] == [
        (1, "a", "near", True), (1, "b", "exact", False), (1, "c", "near", False)]
    status, out, _ = cli("duplicates", "--corpus", str(folder), "--threshold", "1",
                         "--format", "csv")
    assert out.splitlines() == ["set,doc,kind,similarity,words,kept",
                                "1,a,exact,1.0,30,True", "1,b,exact,1.0,30,False"]

    status, out, err = cli("corpus", "--corpus", str(folder), "--dedupe", "--format", "csv")
    assert status == 0
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["a", "d"]
    assert err == "--dedupe: dropped 2 duplicate documents of 4 (kept the first of each set)\n"


@pytest.mark.parametrize("argv", [["--threshold", "0"], ["--threshold", "1.01"],
                                  ["--threshold", "nan"], ["--shingle", "0"]])
def test_cli_bad_threshold_is_one_line_exit_2(make_corpus, cli, argv):
    folder = make_corpus({"a.txt": TEXT})
    status, out, err = cli("duplicates", "--corpus", str(folder), *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and argv[0] in err


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
def test_prefix_filtering_misses_no_pair(make_corpus, threshold):
    """Every pair at or above the threshold by brute force is in a set (the sets are the
    connected groups of such pairs), on documents drawn from eight words."""
    import itertools
    import random

    draw = random.Random(7)
    vocabulary = "red green blue black white pink grey brown".split()
    base = [draw.choice(vocabulary) for _ in range(40)]
    texts = {}
    for i in range(12):
        words = list(base)
        for _ in range(draw.randrange(0, 6)):
            words[draw.randrange(len(words))] = draw.choice(vocabulary)
        texts[f"d{i:02d}.txt"] = " ".join(words[:draw.randrange(30, 41)]) + ".\n"
    processed = corpus_of(make_corpus, texts)

    def shingles(text):
        words = text.lower().rstrip(".\n").split()
        return {tuple(words[i:i + 5]) for i in range(len(words) - 4)}

    sets = {name[:-4]: shingles(text) for name, text in texts.items()}
    table = duplicates(processed, threshold=threshold)
    set_of = dict(zip(table["doc"], table["set"], strict=True))
    found = 0
    for a, b in itertools.combinations(sorted(sets), 2):
        jaccard = len(sets[a] & sets[b]) / len(sets[a] | sets[b])
        if jaccard >= threshold:
            found += 1
            assert set_of[a] == set_of[b], (a, b, jaccard)
    assert found  # the draw makes some pairs
    first = table.groupby("set")["doc"].transform("first")
    for doc, head, similarity in zip(table["doc"], first, table["similarity"], strict=True):
        expected = len(sets[doc] & sets[head]) / len(sets[doc] | sets[head])
        assert similarity == round(expected, 4)


# The 15 words of HALF's second half and its last word changed: 25/27 to HALF.
HALF_LAST = HALF.replace("iron.", "tin.")


@pytest.mark.parametrize("chunk", [1, 31, 45, 70, 200])
def test_documents_hashed_in_chunks_give_the_same_sets(make_corpus, monkeypatch, chunk):
    """Shingles hashed and filtered a few documents at a time (``CHUNK_TOKENS``: 1 and 31
    tokens put each 31-token document in a chunk of its own, 45 and 70 cut the corpus
    between documents unevenly) find the same sets as one chunk, and both the resemblances
    counted by hand."""
    module = importlib.import_module("analysis.duplicates")  # the package's name is the verb
    processed = corpus_of(make_corpus, {
        "a.txt": TEXT, "b.txt": TEXT, "c.txt": LAST, "d.txt": LONE, "e.txt": MIDDLE,
        "f.txt": HALF, "g.txt": HALF_LAST})
    expected = [
        [1, "a", "near", 1.0, 30, True],
        [1, "b", "exact", 1.0, 30, False],
        [1, "c", "near", round(25 / 27, 4), 30, False],  # the last shingle differs
        [1, "e", "near", round(21 / 31, 4), 30, False],  # five shingles differ
        [2, "f", "near", 1.0, 30, True],
        [2, "g", "near", round(25 / 27, 4), 30, False],
    ]
    assert duplicates(processed, threshold=0.6).values.tolist() == expected  # one chunk
    monkeypatch.setattr(module, "CHUNK_TOKENS", chunk)
    assert duplicates(processed, threshold=0.6).values.tolist() == expected
    # at 0.7, e is out: 21/31 = 0.677 to a and b, 20/32 = 0.625 to c (c's last shingle
    # differs too), 0 to the rest
    table = duplicates(processed, threshold=0.7)
    assert table["doc"].tolist() == ["a", "b", "c", "f", "g"]
