"""Tests of annotation with a spaCy pipeline (analysis/text/annotate.py, --annotate).

The pipeline is trained here, on the four sentences of :data:`SENTENCES` annotated by hand
(a tagger, a morphologizer, a lemmatizer, a parser and an entity recognizer on a blank
English pipeline, seeded, until it has learnt them), and saved into a temporary folder:
nothing is downloaded. Annotating the same sentences must give back the hand annotation,
so every count below is counted by hand from :data:`SENTENCES`.
"""

from __future__ import annotations

import concurrent.futures
import shutil

import numpy as np
import pytest

pytest.importorskip("spacy")

from analysis import config  # noqa: E402
from analysis.corpus import load_corpus  # noqa: E402
from analysis.text import annotate  # noqa: E402
from analysis.text import process as process_module  # noqa: E402
from analysis.text.process import cache_key, process  # noqa: E402

# Each sentence: its text, then per token (form, lemma, UPOS, XPOS, features, head, relation,
# entity as BILUO). Heads count from 1; 0 is the root (spaCy labels it ROOT).
SENTENCES = [
    ("Pakistan builds a new road to China.", [
        ("Pakistan", "Pakistan", "PROPN", "NNP", "Number=Sing", 2, "nsubj", "U-GPE"),
        ("builds", "build", "VERB", "VBZ", "Tense=Pres", 0, "ROOT", "O"),
        ("a", "a", "DET", "DT", "", 5, "det", "O"),
        ("new", "new", "ADJ", "JJ", "Degree=Pos", 5, "amod", "O"),
        ("road", "road", "NOUN", "NN", "Number=Sing", 2, "obj", "O"),
        ("to", "to", "ADP", "IN", "", 7, "case", "O"),
        ("China", "China", "PROPN", "NNP", "Number=Sing", 5, "nmod", "U-GPE"),
        (".", ".", "PUNCT", ".", "", 2, "punct", "O")]),
    ("Song Tao praised the road.", [
        ("Song", "Song", "PROPN", "NNP", "Number=Sing", 3, "nsubj", "B-PER"),
        ("Tao", "Tao", "PROPN", "NNP", "Number=Sing", 1, "flat", "L-PER"),
        ("praised", "praise", "VERB", "VBD", "Tense=Past", 0, "ROOT", "O"),
        ("the", "the", "DET", "DT", "", 5, "det", "O"),
        ("road", "road", "NOUN", "NN", "Number=Sing", 3, "obj", "O"),
        (".", ".", "PUNCT", ".", "", 3, "punct", "O")]),
    ("Good roads matter.", [
        ("Good", "good", "ADJ", "JJ", "Degree=Pos", 2, "amod", "O"),
        ("roads", "road", "NOUN", "NNS", "Number=Plur", 3, "nsubj", "O"),
        ("matter", "matter", "VERB", "VBP", "Tense=Pres", 0, "ROOT", "O"),
        (".", ".", "PUNCT", ".", "", 3, "punct", "O")]),
    ("The Nation reported the talks.", [
        ("The", "the", "DET", "DT", "", 2, "det", "O"),
        ("Nation", "Nation", "PROPN", "NNP", "Number=Sing", 3, "nsubj", "U-ORG"),
        ("reported", "report", "VERB", "VBD", "Tense=Past", 0, "ROOT", "O"),
        ("the", "the", "DET", "DT", "", 5, "det", "O"),
        ("talks", "talk", "NOUN", "NNS", "Number=Plur", 3, "obj", "O"),
        (".", ".", "PUNCT", ".", "", 3, "punct", "O")]),
]
ROWS = [row for _, rows in SENTENCES for row in rows]


def train_pipeline(folder, seed=0, epochs=40):
    """Train the toy pipeline on :data:`SENTENCES` and save it into ``folder``."""
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    nlp.add_pipe("tagger")
    nlp.add_pipe("morphologizer")
    nlp.add_pipe("trainable_lemmatizer", config={"min_tree_freq": 1})
    nlp.add_pipe("parser", config={"min_action_freq": 1})
    nlp.add_pipe("ner")
    examples = []
    for text, rows in SENTENCES:
        doc = nlp.make_doc(text)
        assert [t.text for t in doc] == [r[0] for r in rows]
        examples.append(Example.from_dict(doc, {
            "lemmas": [r[1] for r in rows], "pos": [r[2] for r in rows],
            "tags": [r[3] for r in rows], "morphs": [r[4] for r in rows],
            "heads": [r[5] - 1 if r[5] else i for i, r in enumerate(rows)],
            "deps": [r[6] for r in rows], "entities": [r[7] for r in rows]}))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(epochs):
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(folder)
    return folder


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory):
    return train_pipeline(tmp_path_factory.mktemp("pipeline") / "toy-pipeline")


@pytest.fixture
def toy_table(tmp_path):
    """Two documents of two paragraphs, each paragraph one sentence of SENTENCES."""
    path = tmp_path / "toy.csv"
    path.write_text('id,outlet,text\n'
                    f'dawn,Dawn,"{SENTENCES[0][0]}\n{SENTENCES[1][0]}"\n'
                    f'nation,The Nation,"{SENTENCES[2][0]}\n{SENTENCES[3][0]}"\n',
                    encoding="utf-8")
    return path


def spec(folder) -> str:
    return f"spacy:{folder}"


def test_the_pipeline_gives_back_the_hand_annotation(pipeline_dir, toy_table):
    p = process(load_corpus(toy_table), annotate=spec(pipeline_dir))
    c = p.columns
    assert p.tokens["token"].tolist() == [r[0] for r in ROWS]
    assert c.sent_tokens.tolist() == [8, 6, 4, 6]  # a sentence a paragraph
    assert c.sent_words.tolist() == [7, 5, 3, 5]  # the full stops are not words
    layers = c.layers
    assert layers.names == ["deprel", "ent", "ent_iob", "feats", "lemma", "upos", "xpos"]
    for k, name in enumerate(("lemma", "upos", "xpos", "feats"), start=1):
        assert layers.values(name).tolist() == [r[k] for r in ROWS], name
    assert layers.values("deprel").tolist() == [r[6] for r in ROWS]
    assert layers.head.tolist() == [r[5] for r in ROWS]
    assert layers.values("ent").tolist() == [r[7][2:] for r in ROWS]
    assert layers.values("ent_iob").tolist() == [
        {"U": "B", "B": "B", "L": "I", "O": "O"}[r[7][0]] for r in ROWS]
    # offsets into the cleaned text: each token spans its own form
    text = p.texts["dawn"]
    rows = p.tokens[p.tokens["doc"] == "dawn"]
    assert [text[s:e] for s, e in zip(rows["start"], rows["end"], strict=True)] == \
        rows["token"].tolist()


def test_doc_layers_against_spacys_token_attributes(pipeline_dir):
    """The arrays read through Doc.to_array are what spaCy's Token attributes say."""
    nlp = annotate.pipeline(spec(pipeline_dir))
    doc = nlp("Good roads matter.  Pakistan builds a new road to China.")
    out = annotate.doc_layers(doc)
    words = [t for t in doc if not t.is_space]
    assert len(words) < len(doc)  # the double space is a white-space token, left out
    assert out["forms"] == [t.text for t in words]
    assert out["starts"].tolist() == [t.idx for t in words]
    assert out["layers"]["lemma"] == [t.lemma_ for t in words]
    assert out["layers"]["upos"] == [t.pos_ for t in words]
    assert out["layers"]["feats"] == [str(t.morph) for t in words]
    assert out["layers"]["deprel"] == [t.dep_ for t in words]
    assert sum(out["sentences"]) == len(words) == 12


def test_freq_upos_and_sketch_on_the_annotated_corpus(cli, pipeline_dir, toy_table):
    args = ("--corpus", str(toy_table), "--annotate", spec(pipeline_dir), "--format", "csv")
    status, out, err = cli("freq", "--upos", "NOUN", *args)
    assert status == 0, err
    counts = {line.split(",")[0]: int(line.split(",")[1]) for line in out.splitlines()[1:]}
    assert counts == {"road": 2, "roads": 1, "talks": 1}
    status, out, err = cli("freq", "--upos", "NOUN", "--lemma", *args)
    assert status == 0, err
    counts = {line.split(",")[0]: int(line.split(",")[1]) for line in out.splitlines()[1:]}
    assert counts == {"road": 3, "talk": 1}
    status, out, err = cli("sketch", "road", *args)
    assert status == 0, err
    triples = sorted(tuple(line.split(",")[:3]) for line in out.splitlines()[1:])
    assert triples == [("modifiers", "good", "1"), ("modifiers", "new", "1"),
                       ("object_of", "build", "1"), ("object_of", "praise", "1"),
                       ("pp", "to China", "1"), ("subject_of", "matter", "1")]


def test_kwic_takes_cql_on_the_annotated_corpus(cli, pipeline_dir, toy_table):
    status, out, err = cli("kwic", '[upos="ADJ"] [lemma="road"]', "--corpus", str(toy_table),
                           "--annotate", spec(pipeline_dir), "--format", "csv")
    assert status == 0, err
    assert len(out.splitlines()) == 3  # a header, "new road" and "Good roads"
    assert "new road" in out and "Good roads" in out


def test_the_annotation_is_part_of_the_cache_key(pipeline_dir, toy_table, tmp_path,
                                                 monkeypatch):
    corpus = load_corpus(toy_table)
    annotated = corpus.with_annotation(spec(pipeline_dir))
    assert cache_key(annotated) != cache_key(corpus)
    copy = tmp_path / "copy"
    shutil.copytree(pipeline_dir, copy)
    same = corpus.with_annotation(spec(copy))
    assert cache_key(same) != cache_key(annotated)  # another spec
    key = cache_key(same)
    meta = copy / "meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"en"', '"en" ', 1),
                    encoding="utf-8")
    assert cache_key(same) != key  # a file of the pipeline changed

    first = process(annotated)
    process.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("annotated again")

    monkeypatch.setattr(annotate, "annotate_batch", refuse)
    again = process(corpus, annotate=spec(pipeline_dir))  # from the disk cache
    assert again.tokens.equals(first.tokens)
    assert any(config.CACHE_DIR.glob(f"processed-{cache_key(annotated)}.store"))


def test_parallel_batches_give_the_same_tables(pipeline_dir, toy_table, monkeypatch):
    corpus = load_corpus(toy_table).with_annotation(spec(pipeline_dir))
    serial = process_module.compute(corpus)
    monkeypatch.setattr(process_module, "ANNOTATE_PARALLEL_CHARS", 10)
    monkeypatch.setattr(process_module, "ANNOTATE_BATCH_CHARS", 10)  # a document a batch
    monkeypatch.setenv("ANALYSIS_WORKERS", "2")
    pools = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        """The process pool, noting its workers at each batch it is given."""

        def __init__(self, max_workers=None, *args, **kwargs):
            super().__init__(max_workers, *args, **kwargs)
            self.workers = max_workers

        def submit(self, fn, *args, **kwargs):
            pools.append(self.workers)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    parallel = process_module.compute(corpus)
    assert pools == [2, 2]  # two batches (one document each), both to two workers
    assert parallel.tokens.equals(serial.tokens)
    for name in serial.columns.layers.names:
        assert np.array_equal(parallel.columns.layers.values(name),
                              serial.columns.layers.values(name))
    assert np.array_equal(parallel.columns.layers.head, serial.columns.layers.head)


def test_cleaning_applies_before_the_pipeline(pipeline_dir, tmp_path):
    path = tmp_path / "crlf.csv"
    path.write_bytes(b'id,text\na,"Good roads matter.\r\n\r\nThe Nation reported the talks."\n')
    p = process(load_corpus(path), annotate=spec(pipeline_dir))
    assert p.texts["a"] == "Good roads matter.\n\nThe Nation reported the talks."
    assert len(p.cleaning_log) >= 1  # the line endings, logged
    assert p.columns.layers.values("upos").tolist()[:3] == ["ADJ", "NOUN", "VERB"]


def test_a_reader_s_tokens_are_kept(pipeline_dir, toy_conllu):
    corpus = load_corpus(toy_conllu)
    plain = process(corpus)
    annotated = process(corpus, annotate=spec(pipeline_dir))
    assert annotated.tokens["token"].tolist() == plain.tokens["token"].tolist()
    assert annotated.columns.layers.values("deprel").tolist() == \
        plain.columns.layers.values("deprel").tolist()


@pytest.mark.parametrize("value, message", [
    ("spacy:no_such_pipeline_xx", "no spaCy pipeline of that name is installed"),
    ("stanza:en", "not KIND:MODEL"),
    ("spacy:", "not KIND:MODEL"),
])
def test_a_bad_annotate_spec_is_one_line(cli, toy_table, value, message):
    status, out, err = cli("freq", "--corpus", str(toy_table), "--annotate", value)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    if value.startswith("spacy:no"):
        assert "python -m spacy download" in err


def test_a_folder_that_is_no_pipeline(cli, toy_table, tmp_path):
    status, _, err = cli("freq", "--corpus", str(toy_table), "--annotate", f"spacy:{tmp_path}")
    assert status == 2 and err.count("\n") == 1 and "no config.cfg" in err


def test_without_spacy_one_line_says_how_to_install_it(toy_table, monkeypatch):
    from importlib.metadata import PackageNotFoundError

    def missing(name):
        raise PackageNotFoundError(name)

    monkeypatch.setattr(annotate, "version", missing)
    with pytest.raises(annotate.AnnotationError, match=r"pip install 'analysis\[annotate\]'"):
        load_corpus(toy_table).with_annotation("spacy:en_core_web_sm")


def test_a_head_on_white_space_passes_to_its_head():
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    # "Roads" hangs on the line break, which hangs on "ran": Roads' head is ran (2 of 2)
    doc = Doc(Vocab(), words=["Roads", "\n", "ran", "."], spaces=[False, False, False, False],
              heads=[1, 2, 2, 2], deps=["nsubj", "dep", "ROOT", "punct"])
    out = annotate.doc_layers(doc)
    assert out["forms"] == ["Roads", "ran", "."]
    assert out["head"].tolist() == [2, 0, 2]
    assert out["layers"]["deprel"] == ["nsubj", "ROOT", "punct"]


def test_actors_from_the_pipeline_s_entities(pipeline_dir, toy_table):
    from analysis.actors import entity_mentions

    p = process(load_corpus(toy_table), annotate=spec(pipeline_dir))
    mentions = entity_mentions(p)
    assert list(zip(mentions["text"], mentions["type"], strict=True)) == [
        ("Pakistan", "place"), ("China", "place"), ("Song Tao", "person"),
        ("Nation", "organisation")]
