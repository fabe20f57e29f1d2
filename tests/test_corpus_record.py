"""The documents' digest of a corpus of one file: computed once at the parse, recorded with
the file record, taken from it by a warm load (analysis/corpus.py, the cache key)."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest

from analysis import config
from analysis.corpus import documents_digest, load_corpus
from analysis.text.process import cache_key

TABLE = "id,outlet,text\na,Dawn,Roads ran.\nb,Nation,Ports grew.\nc,Dawn,Trade rose.\n"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setattr(config, "CACHE_DIR", folder)
    return folder


def records(cache):
    return sorted(cache.glob("corpus-*.json"))


def test_a_warm_load_takes_the_recorded_digest_of_its_documents(tmp_path, cache, toy_conllu):
    for path in (tmp_path / "t.csv", toy_conllu):
        if path.suffix == ".csv":
            path.write_text(TABLE, encoding="utf-8")
        cold = load_corpus(path)
        key = cache_key(cold)
        record = json.loads(
            [p for p in records(cache) if path.name in p.read_text()][0].read_text())
        # the digest recorded is that of the documents, hashed one by one
        assert record["corpus"]["digest"] == documents_digest(tuple(cold.documents)).hex()
        warm = load_corpus(path)
        assert warm.documents.__dict__["_digest"].hex() == record["corpus"]["digest"]
        assert cache_key(warm) == key
        assert documents_digest(tuple(warm.documents)) == documents_digest(warm.documents)


def test_an_old_record_without_the_digest_gives_the_same_key(tmp_path, cache):
    path = tmp_path / "t.csv"
    path.write_text(TABLE, encoding="utf-8")
    key = cache_key(load_corpus(path))
    (where,) = records(cache)
    data = json.loads(where.read_text())
    del data["corpus"]["digest"]
    where.write_text(json.dumps(data))
    warm = load_corpus(path)
    assert "_digest" not in warm.documents.__dict__
    assert cache_key(warm) == key


def test_no_change_is_missed(tmp_path, cache, toy_conllu):
    path = tmp_path / "t.csv"
    path.write_text(TABLE, encoding="utf-8")
    key = cache_key(load_corpus(path))
    stat = path.stat()
    path.write_text(TABLE.replace("Roads ran.", "Roads run."), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same times
    changed = load_corpus(path)
    assert changed["a"].raw == "Roads run." and cache_key(changed) != key
    # fewer documents: a new tuple, its digest computed again
    fewer = replace(changed, documents=changed.documents[:2])
    assert cache_key(fewer) != cache_key(changed)
    assert documents_digest(fewer.documents) != documents_digest(changed.documents)
    # a CoNLL-U file's metadata file beside it, created after the record
    before = cache_key(load_corpus(toy_conllu))
    toy_conllu.with_name("toy.metadata.csv").write_text("id,genre\ndawn-1,news\n",
                                                        encoding="utf-8")
    after = load_corpus(toy_conllu)
    assert after["dawn-1"].metadata["genre"] == "news" and cache_key(after) != before
