"""Tests of the spaCy DocBin reader (analysis/readers/docbin.py).

The toy CoNLL-U corpus of conftest (annotated by hand) is turned into spaCy ``Doc`` objects
here, from the ``conllu`` package's own parse, and saved as a ``.spacy`` file: the DocBin
corpus must then be the CoNLL-U corpus, token for token and layer for layer.
"""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from spacy.tokens import Doc, DocBin  # noqa: E402
from spacy.vocab import Vocab  # noqa: E402

from analysis.corpus import CorpusError, load_corpus  # noqa: E402
from analysis.readers.docbin import load_docbin  # noqa: E402
from analysis.text.process import process  # noqa: E402


def docs_of_conllu(text: str) -> list[Doc]:
    """The documents of a CoNLL-U text as spaCy Docs, with ``id``, ``outlet`` and ``date``
    in their user data and a white-space token ``"\\n"`` between paragraphs."""
    import conllu

    vocab = Vocab()
    docs, current = [], None
    for sentence in conllu.parse(text):
        meta = sentence.metadata
        if "newdoc id" in meta:
            current = {"id": meta["newdoc id"], "meta": {k[6:]: v for k, v in meta.items()
                                                         if k.startswith("meta::")},
                       "rows": []}
            docs.append(current)
        rows = current["rows"]
        if rows:  # between sentences: a space, or a line between paragraphs
            if "newpar" in meta:
                rows[-1]["space"] = False
                rows.append({"word": "\n", "space": False, "lemma": "\n", "pos": "SPACE",
                             "tag": "_SP", "morph": "", "head": len(rows), "dep": "dep",
                             "ent": "O"})
            else:
                rows[-1]["space"] = True
        base = len(rows)
        inside = set()  # words of a multiword token but its last: no space after them
        for token in sentence:
            if isinstance(token["id"], tuple):
                inside.update(range(token["id"][0], token["id"][2]))
        for token in sentence:
            if not isinstance(token["id"], int):
                continue
            misc = token["misc"] or {}
            tag = misc.get("NER", "O")
            rows.append({"word": token["form"], "lemma": token["lemma"], "pos": token["upos"],
                         "tag": token["xpos"],
                         "morph": "|".join(f"{k}={v}" for k, v in (token["feats"] or {}).items()),
                         "head": base + (token["head"] or token["id"]) - 1,
                         "dep": token["deprel"], "ent": tag,
                         "space": token["id"] not in inside and misc.get("SpaceAfter") != "No"})
        rows[-1]["space"] = False
    out = []
    for doc in docs:
        rows = doc["rows"]
        made = Doc(vocab, words=[r["word"] for r in rows], spaces=[r["space"] for r in rows],
                   lemmas=[r["lemma"] for r in rows], pos=[r["pos"] for r in rows],
                   tags=[r["tag"] for r in rows], morphs=[r["morph"] for r in rows],
                   heads=[r["head"] for r in rows], deps=[r["dep"] for r in rows],
                   ents=[r["ent"] for r in rows])
        made.user_data["id"] = doc["id"]
        made.user_data.update(doc["meta"])
        out.append(made)
    return out


@pytest.fixture
def toy_docbin(tmp_path, toy_conllu):
    path = tmp_path / "toy.spacy"
    DocBin(docs=docs_of_conllu(toy_conllu.read_text(encoding="utf-8")),
           store_user_data=True).to_disk(path)
    return path


def test_a_docbin_is_the_conllu_corpus_it_was_made_from(toy_docbin, toy_conllu):
    docbin, conllu_corpus = load_corpus(toy_docbin), load_corpus(toy_conllu)
    assert docbin.ids == ["dawn-1", "nation-1"]
    for a, b in zip(docbin, conllu_corpus, strict=True):
        assert a.raw == b.raw
        assert dict(a.metadata) == dict(b.metadata)
        assert a.tokens.starts.tolist() == b.tokens.starts.tolist()
        assert a.tokens.ends.tolist() == b.tokens.ends.tolist()
        assert a.tokens.sentences.tolist() == b.tokens.sentences.tolist()
        assert a.tokens.layer("form") == b.tokens.layer("form")
        assert sorted(a.tokens.layers) == sorted(b.tokens.layers)
        for name in b.tokens.layers:
            assert a.tokens.layer(name) == b.tokens.layer(name), name
        assert a.tokens.head.tolist() == b.tokens.head.tolist()
    assert docbin["nation-1"].raw == "Pakistan builds a road to China.\nGood roads matter."
    assert docbin["dawn-1"].file == "toy.spacy#dawn-1"


def test_freq_upos_and_sketch_on_a_docbin(cli, toy_docbin, toy_conllu):
    status, out, err = cli("freq", "--corpus", str(toy_docbin), "--upos", "NOUN", "--lemma",
                           "--format", "csv")
    assert status == 0, err
    assert out.splitlines()[1].startswith("road,4,")  # road, Roads, road, roads
    assert len(out.splitlines()) == 2
    outputs = []
    for corpus in (toy_docbin, toy_conllu):
        status, out, err = cli("sketch", "road", "--corpus", str(corpus), "--format", "csv")
        assert status == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1]
    assert "modifiers,good,1" in outputs[0]


def test_a_doc_without_parse_sentences_or_entities(tmp_path):
    vocab = Vocab()
    doc = Doc(vocab, words=["Roads", "run", "\n", "Trade", "grows"],
              spaces=[True, False, False, True, False], pos=["NOUN", "VERB", "SPACE", "NOUN",
                                                             "VERB"])
    path = tmp_path / "plain.spacy"
    DocBin(docs=[doc, Doc(vocab, words=["Peace"])]).to_disk(path)
    corpus = load_docbin(path)
    assert corpus.ids == ["plain-1", "plain-2"]  # no id in the user data
    tokens = corpus["plain-1"].tokens
    assert tokens.sentences.tolist() == [2, 2]  # a sentence a line
    assert tokens.head is None
    assert sorted(tokens.layers) == ["deprel", "feats", "lemma", "upos", "xpos"]
    assert tokens.layer("upos") == ["NOUN", "VERB", "NOUN", "VERB"]
    assert tokens.layer("deprel") == ["", "", "", ""]
    p = process(corpus)
    assert p.columns.sent_tokens.tolist() == [2, 2, 1]
    assert "head" not in p.columns.layers


def test_variables_from_extensions_and_the_metadata_file(tmp_path):
    if not Doc.has_extension("outlet"):
        Doc.set_extension("outlet", default=None)
    vocab = Vocab()
    a, b = Doc(vocab, words=["Roads"]), Doc(vocab, words=["Trade"])
    a.user_data["id"], b.user_data["id"] = "a", "b"
    a._.outlet, b._.outlet = "Dawn", "Nation"
    a.user_data["rank"] = 3
    a.user_data["vector"] = [1, 2]  # neither text nor a number: not a variable
    path = tmp_path / "news.spacy"
    DocBin(docs=[a, b], store_user_data=True).to_disk(path)
    (tmp_path / "news.metadata.csv").write_text("id,outlet,date\nb,The Nation,2020-01\n",
                                                encoding="utf-8")
    corpus = load_corpus(path)
    assert dict(corpus["a"].metadata) == {"outlet": "Dawn", "rank": "3", "id": "a"}
    assert dict(corpus["b"].metadata) == {"outlet": "The Nation", "date": "2020-01",
                                          "id": "b"}  # the row wins
    (tmp_path / "news.metadata.csv").write_text("id,genre\nnobody,news\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"news\.metadata\.csv: line 2: no document "
                                          r"'nobody' in news\.spacy"):
        load_corpus(path)


def test_bad_docbins_are_one_line(tmp_path, cli):
    path = tmp_path / "bad.spacy"
    path.write_bytes(b"not a docbin at all")
    status, out, err = cli("freq", "--corpus", str(path))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "bad.spacy: not a spaCy DocBin file" in err
    DocBin().to_disk(path)
    with pytest.raises(CorpusError, match=r"bad\.spacy: no documents$"):
        load_corpus(path)
    vocab = Vocab()
    twice = [Doc(vocab, words=["A"]), Doc(vocab, words=["B"])]
    for doc in twice:
        doc.user_data["id"] = "same"
    DocBin(docs=twice, store_user_data=True).to_disk(path)
    with pytest.raises(CorpusError, match=r"bad\.spacy: document 2: id 'same' given twice "
                                          r"\(also document 1\)"):
        load_corpus(path)
