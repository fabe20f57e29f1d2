"""Tests of the reader registry and the CoNLL-U reader (analysis/readers/)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from analysis.corpus import CorpusError, load_corpus
from analysis.readers import READERS, Tokens, reader_for
from analysis.readers.conllu import load_conllu


def test_the_registry_chooses_by_suffix_and_folder(tmp_path, make_corpus):
    folder = make_corpus({"a.txt": "Roads."})
    names = {name: reader_for(tmp_path / name).name
             for name in ("x.csv", "x.CSV.GZ", "x.jsonl", "x.jsonl.gz", "x.parquet", "x.zip",
                          "x.conllu", "x.conllu.gz", "x.spacy")}
    assert names == {"x.csv": "table", "x.CSV.GZ": "table", "x.jsonl": "table",
                     "x.jsonl.gz": "table", "x.parquet": "table", "x.zip": "zip",
                     "x.conllu": "conllu", "x.conllu.gz": "conllu", "x.spacy": "docbin"}
    assert reader_for(folder).name == "folder"
    assert reader_for(tmp_path / "x.parquet.gz") is None  # Parquet is compressed already
    assert [r.name for r in READERS] == ["folder", "zip", "table", "conllu", "docbin"]


def test_load_corpus_reads_every_format_through_the_registry(tmp_path, toy_conllu):
    table = tmp_path / "t.csv"
    table.write_text("id,text\na,Roads.\n", encoding="utf-8")
    assert load_corpus(table).ids == ["a"]
    assert load_corpus(toy_conllu).ids == ["dawn-1", "nation-1"]


def test_an_unknown_format_is_one_line(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK")
    with pytest.raises(CorpusError, match=r"notes\.docx: not a folder, nor a file of a known "
                       r"format \(\.zip, \.csv.*\.conllu\.gz, \.spacy\)$"):
        load_corpus(path)
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(tmp_path / "missing.conllu")


def test_conllu_documents_paragraphs_and_variables(toy_conllu):
    corpus = load_conllu(toy_conllu)
    dawn, nation = corpus["dawn-1"], corpus["nation-1"]
    assert dawn.raw == "Song Tao praised the new road. Roads don't end."
    assert nation.raw == "Pakistan builds a road to China.\nGood roads matter."
    assert dict(dawn.metadata) == {"outlet": "Dawn", "date": "2020-08", "id": "dawn-1"}
    assert nation.metadata["outlet"] == "The Nation"
    assert dawn.file == "toy.conllu#dawn-1"


def test_conllu_tokens_are_the_words_with_their_layers(toy_conllu):
    tokens = load_conllu(toy_conllu)["dawn-1"].tokens
    assert tokens.n == 12 and tokens.sentences.tolist() == [7, 5]
    raw = "Song Tao praised the new road. Roads don't end."
    spans = [raw[s:e] for s, e in zip(tokens.starts.tolist(), tokens.ends.tolist(),
                                      strict=True)]
    assert spans == ["Song", "Tao", "praised", "the", "new", "road", ".",
                     "Roads", "do", "n't", "end", "."]
    assert tokens.layer("lemma")[7:10] == ["road", "do", "not"]
    assert tokens.layer("upos")[:3] == ["PROPN", "PROPN", "VERB"]
    assert tokens.layer("xpos")[5] == "NN"
    assert tokens.layer("feats")[2] == "Tense=Past"
    assert tokens.layer("feats")[6] == ""  # "_": no value
    assert tokens.layer("deprel")[:3] == ["nsubj", "flat", "root"]
    assert tokens.head.tolist() == [3, 1, 0, 6, 6, 3, 3, 4, 4, 4, 0, 4]
    assert tokens.layer("ent")[:3] == ["PER", "PER", ""]
    assert tokens.layer("ent_iob")[:3] == ["B", "I", "O"]


def test_entities_from_bare_types_and_bioes(tmp_path):
    rows = ["1\tAl\tAl\tPROPN\t_\t_\t0\troot\t_\tNE=PER",
            "2\tGore\tGore\tPROPN\t_\t_\t1\tflat\t_\tNE=PER",
            "3\tand\tand\tCCONJ\t_\t_\t1\tcc\t_\tNE=O",
            "4\tUN\tUN\tPROPN\t_\t_\t1\tconj\t_\tNE=S-ORG", ""]
    path = tmp_path / "e.conllu"
    path.write_text("\n".join(rows), encoding="utf-8")
    tokens = load_conllu(path).documents[0].tokens
    assert tokens.layer("ent") == ["PER", "PER", "", "ORG"]
    assert tokens.layer("ent_iob") == ["B", "I", "O", "B"]


def test_no_entity_tags_no_entity_layers(tmp_path):
    path = tmp_path / "plain.conllu"
    path.write_text("1\tRoads\troad\tNOUN\tNNS\t_\t0\troot\t_\t_\n", encoding="utf-8")
    corpus = load_conllu(path)
    assert corpus.ids == ["plain"]  # no # newdoc: one document named after the file
    assert sorted(corpus.documents[0].tokens.layers) == ["deprel", "feats", "lemma", "upos",
                                                         "xpos"]


def test_a_contraction_its_words_do_not_spell(tmp_path):
    rows = ["1-2\tdel\t_\t_\t_\t_\t_\t_\t_\t_", "1\tde\tde\tADP\t_\t_\t2\tcase\t_\t_",
            "2\tel\tel\tDET\t_\t_\t0\troot\t_\t_", ""]
    path = tmp_path / "es.conllu"
    path.write_text("\n".join(rows), encoding="utf-8")
    tokens = load_conllu(path).documents[0].tokens
    assert (tokens.starts.tolist(), tokens.ends.tolist()) == ([0, 3], [3, 3])
    assert tokens.layer("form") == ["de", "el"]


def test_metadata_file_beside_the_corpus(toy_conllu):
    toy_conllu.with_name("toy.metadata.csv").write_text(
        "id,outlet,genre\nnation-1,Nation,news\n", encoding="utf-8")
    corpus = load_conllu(toy_conllu)
    assert dict(corpus["nation-1"].metadata) == {"outlet": "Nation", "genre": "news",
                                                 "id": "nation-1"}
    toy_conllu.with_name("toy.metadata.csv").write_text("id,genre\nnobody,news\n",
                                                        encoding="utf-8")
    with pytest.raises(CorpusError, match=r"toy\.metadata\.csv: line 2: no document 'nobody'"):
        load_conllu(toy_conllu)


def test_gzipped_conllu(tmp_path, toy_conllu):
    path = tmp_path / "toy.conllu.gz"
    path.write_bytes(gzip.compress(toy_conllu.read_bytes()))
    assert load_corpus(path).ids == ["dawn-1", "nation-1"]
    assert [d.tokens for d in load_corpus(path)] == [d.tokens for d in load_corpus(toy_conllu)]


@pytest.mark.parametrize(("rows", "message"), [
    (["1\tRoads\troad\tNOUN", ""], r"bad\.conllu: line 1: 4 columns, not the 10"),
    (["# text = x", "1\tA\ta\tX\t_\t_\t0\troot\t_\t_", "2\tB\tb\tX\t_\t_\t7\tdep\t_\t_", ""],
     r"bad\.conllu: line 3: head 7 points outside its sentence of 2 words"),
    (["1\tA\ta\tX\t_\t_\t0\troot\t_\t_", "3\tB\tb\tX\t_\t_\t1\tdep\t_\t_", ""],
     r"bad\.conllu: line 2: word id 3, expected 2"),
    (["# newdoc id = a", "1\tA\ta\tX\t_\t_\t0\troot\t_\t_", "", "# newdoc id = a",
      "1\tB\tb\tX\t_\t_\t0\troot\t_\t_", ""], r"bad\.conllu: line 4: document id 'a' given "
     r"twice \(also line 1\)"),
    (["# comment only", ""], r"bad\.conllu: no sentences"),
    (["1\tA\ta\tX\t_\t_\t0\troot\t_\t_", "x\tB\tb\tX\t_\t_\t1\tdep\t_\t_", ""],
     r"bad\.conllu: line 2: not CoNLL-U \(word id 'x'\)"),
    (["1\tA\ta\tX\t_\t_\t0\troot\t_\t_", "2\tB\tb\tX\t_\t_\tone\tdep\t_\t_", ""],
     r"bad\.conllu: line 2: not CoNLL-U \(head 'one' is not an integer\)"),
    (["1\tA\ta\tX\t_\t_\t-1\troot\t_\t_", ""],
     r"bad\.conllu: line 1: head -1 points outside its sentence of 1 words"),
])
def test_bad_conllu_is_one_line_naming_file_and_line(tmp_path, rows, message):
    path = tmp_path / "bad.conllu"
    path.write_text("\n".join(rows), encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as caught:
        load_corpus(path)
    assert "\n" not in str(caught.value)


def test_against_an_independent_parse(toy_conllu):
    """Every layer equals what the ``conllu`` package itself parses (the words only)."""
    import conllu

    words = [t for s in conllu.parse(toy_conllu.read_text(encoding="utf-8")) for t in s
             if isinstance(t["id"], int)]
    tokens = [t for d in load_conllu(toy_conllu) for t in [d.tokens]]
    assert sum(t.n for t in tokens) == len(words) == 23
    assert [v for t in tokens for v in t.layer("form")] == [w["form"] for w in words]
    assert [v for t in tokens for v in t.layer("upos")] == [w["upos"] for w in words]
    assert [v for t in tokens for v in t.head.tolist()] == [w["head"] for w in words]


def test_tokens_compare_and_hash_by_content():
    a = Tokens.from_lists([0], [4], [1], ["Road"], {"upos": ["NOUN"]})
    b = Tokens.from_lists([0], [4], [1], ["Road"], {"upos": ["NOUN"]})
    c = Tokens.from_lists([0], [4], [1], ["Road"], {"upos": ["VERB"]})
    assert a == b and hash(a) == hash(b) and a != c and a.digest != c.digest


UD_SAMPLES = sorted((Path(__file__).parent / "data" / "ud").glob("*.conllu"))


@pytest.mark.parametrize("path", UD_SAMPLES, ids=[p.name for p in UD_SAMPLES])
def test_treebank_sample_parses_as_the_conllu_package_parses_it(path):
    """The reader's own parser against the ``conllu`` package on Universal Dependencies
    treebank samples (multiword tokens, an empty node, documents and paragraphs)."""
    import conllu

    sentences = conllu.parse(path.read_text(encoding="utf-8"))
    words = [[t for t in s if isinstance(t["id"], int)] for s in sentences]
    flat = [t for s in words for t in s]
    corpus = load_conllu(path)
    tokens = [d.tokens for d in corpus]
    assert [n for t in tokens for n in t.sentences.tolist()] == [len(s) for s in words]

    def ours(name):
        return [v for t in tokens for v in (t.head.tolist() if name == "head" else
                                            t.layer(name))]

    assert ours("form") == [t["form"] for t in flat]
    assert ours("lemma") == [t["lemma"] if t["lemma"] != "_" or t["form"] == "_" else ""
                             for t in flat]
    for name in ("upos", "xpos", "deprel"):
        assert ours(name) == [t[name] if t[name] not in (None, "_") else "" for t in flat]
    assert ours("feats") == ["|".join(f"{k}={v}" for k, v in t["feats"].items())
                             if t["feats"] else "" for t in flat]
    assert ours("head") == [t["head"] for t in flat]
    # The raw text: each sentence's own "# text", a space between sentences and a line
    # between paragraphs (the package's metadata), every document in file order.
    expected, doc_ids = [], []
    for s in sentences:
        meta = s.metadata
        if "newdoc id" in meta or not expected:
            expected.append([])
            doc_ids.append(meta.get("newdoc id"))
        if "newpar" in meta or "newpar id" in meta or not expected[-1]:
            expected[-1].append([])
        expected[-1][-1].append(meta["text"])
    assert [d.raw for d in corpus] == ["\n".join(" ".join(p) for p in doc)
                                       for doc in expected]
    if doc_ids[0] is not None:
        assert corpus.ids == doc_ids


def test_a_file_read_in_parts_is_read_as_in_one(tmp_path, monkeypatch, toy_conllu):
    """A large file is parsed a part of whole documents at a time (CHUNK_CHARS): parts as
    small as a sentence give the corpus that one part gives."""
    from analysis.readers import conllu as reader

    text = toy_conllu.read_text(encoding="utf-8")
    path = tmp_path / "three.conllu"
    path.write_text("".join(text.replace("-1\n", f"-{k}\n") for k in (1, 2, 3)),
                    encoding="utf-8")

    def read():
        return [(d.id, d.raw, dict(d.metadata), d.tokens.digest) for d in load_conllu(path)]

    whole = read()
    assert [d[0] for d in whole] == ["dawn-1", "nation-1", "dawn-2", "nation-2", "dawn-3",
                                     "nation-3"]
    for size in (40, 200, 700):
        monkeypatch.setattr(reader, "CHUNK_CHARS", size)
        assert read() == whole
    path.write_text(text + text.replace("-1\n", "-2\n").replace("\t4\tnmod", "\t9\tnmod"),
                    encoding="utf-8")  # a bad head in the last document: line 40 + 31
    monkeypatch.setattr(reader, "CHUNK_CHARS", 40)
    with pytest.raises(CorpusError, match=r"three\.conllu: line 71: head 9 points outside"):
        load_conllu(path)
