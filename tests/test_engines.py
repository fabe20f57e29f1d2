"""Engines: the Dask engine's tables equal the in-process engine's, on a LocalCluster.

One LocalCluster (2 worker processes, one thread each) serves the whole module; with 4
partitions (2 per worker thread) the toy corpus of 8 documents is cut into several groups of
whole documents, the lone document of the ``green`` party sits alone in its group, and the
last document has no token at all.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd
import pytest

from analysis import engines
from analysis.collocation import collocates
from analysis.concordance import dispersion_measures, kwic
from analysis.corpus import load_corpus
from analysis.engines.local import LocalEngine
from analysis.frequency import frequency, unit_counts
from analysis.keyness import keyness, keywords_by
from analysis.text.process import process
from analysis.trends import trends

TEXTS = {
    "a.txt": "The road to peace. Belt and Road projects grow.\n",
    "b.txt": "Road trade grows. The road is long, the road is open.\n",
    "c.txt": "Peace talks today. Trade and peace.\n",
    "d.txt": "Trade road road. Peace!\n",
    "e.txt": "Open trade, open road.\n",
    "f.txt": "Talks on trade. Belt and Road talks.\n",
    "g.txt": "Road.\n",
    "h.txt": "... !!\n",  # no token at all, last in the corpus
}
METADATA = ("file,party,date\n"
            "a.txt,red,2020-01-15\nb.txt,red,2020-01-20\nc.txt,blue,2020-02-03\n"
            "d.txt,blue,2020-02-14\ne.txt,red,2020-03-01\nf.txt,blue,2020-03-09\n"
            "g.txt,green,2021-05-05\nh.txt,blue,2021-05-06\n")


class EveryDocument(LocalEngine):
    """In process, but cut into as many partitions as documents (one document each)."""

    name = "every-document"
    partitions = 1_000


@pytest.fixture(scope="module")
def dask_engine():
    distributed = pytest.importorskip("distributed")
    from analysis.engines import dask as dask_engine_module

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=40)
    engine = engines.get("dask", scheduler=cluster.scheduler_address)
    yield engine
    dask_engine_module._clients.pop(cluster.scheduler_address, None)
    engine.close()
    cluster.close()
    # Leave the test process without Dask's threads, as other modules expect (processing
    # forks its workers only when no other thread runs): distributed keeps one offloading
    # thread for the life of the process; stop it and put an idle executor in its place.
    from concurrent.futures import ThreadPoolExecutor

    import distributed.utils

    distributed.utils._offload_executor.shutdown(wait=True)
    distributed.utils._offload_executor = ThreadPoolExecutor(
        max_workers=1, thread_name_prefix="Dask-Offload")


@pytest.fixture
def toy(make_corpus):
    return process(load_corpus(make_corpus({**TEXTS, "metadata.csv": METADATA})))


@pytest.fixture
def seeds():
    return process(load_corpus())


def _same(call, engine):
    """The table of ``call(engine=...)`` for the local engine and for ``engine``, checked
    identical (values, types, order); returns the local table."""
    local = call(engine="local")
    other = call(engine=engine)
    if isinstance(local, tuple):  # unit_counts: (counts, words)
        pd.testing.assert_series_equal(other[0], local[0], check_exact=True)
        assert other[1] == local[1]
    else:
        pd.testing.assert_frame_equal(other, local, check_exact=True)
    return local


def _calls(processed, target, reference, node, date_by):
    """Every counting stage, with options that take different paths."""
    return {
        "freq": lambda engine: frequency(processed, engine=engine, by="corpus"),
        "freq-party": lambda engine: frequency(processed, by="party", engine=engine)
        if "party" in date_by else frequency(processed, by="doc", engine=engine),
        "freq-stem-stop": lambda engine: frequency(processed, by="doc", stem=True, stopwords=True,
                                                   engine=engine),
        "freq-bigram": lambda engine: frequency(processed, by="voice", ngram=2, engine=engine),
        "unit-stem": lambda engine: unit_counts(processed, target, stem=True, engine=engine),
        "keyness": lambda engine: keyness(processed, target, min_count=1, engine=engine),
        "keyness-ref": lambda engine: keyness(processed, target, reference, min_count=1,
                                              stem=True, engine=engine),
        "keyness-general": lambda engine: keyness(processed, target, "general", min_count=1,
                                                  engine=engine),
        "keywords-by": lambda engine: keywords_by(processed, by="doc", n=3, min_count=1,
                                                  engine=engine),
        "kwic": lambda engine: kwic(processed, node, 3, engine=engine),
        "kwic-left": lambda engine: kwic(processed, "/.*a.*/", 2, sort="left", engine=engine),
        "kwic-none": lambda engine: kwic(processed, "zebra", engine=engine),
        "collocates": lambda engine: collocates(processed, node, measure="g2", min_count=1,
                                                engine=engine),
        "collocates-sentence": lambda engine: collocates(processed, node, min_count=1,
                                                         stopwords=True, within_sentence=True,
                                                         engine=engine),
        "dispersion": lambda engine: dispersion_measures(processed, [node, "peace"], parts=3,
                                                         engine=engine),
        "dispersion-section": lambda engine: dispersion_measures(processed, [node],
                                                                 parts="section",
                                                                 engine=engine),
        "trends": lambda engine: trends(processed, [node, "peace"], "month", by=date_by,
                                        engine=engine),
    }


TOY_ARGS = ("party=red", "party=blue", "road", "party")
SEED_ARGS = ("songtao-article", "award-report", "cpec", "voice")


@pytest.mark.parametrize("name", list(_calls(None, *TOY_ARGS)))
def test_partitions_of_one_document_give_the_same_tables(toy, name):
    """Every document its own partition (in process): the reduce must add them exactly."""
    _same(_calls(toy, *TOY_ARGS)[name], EveryDocument())


def test_dask_tables_equal_local_tables_on_a_toy_corpus(toy, dask_engine):
    for name, call in _calls(toy, *TOY_ARGS).items():
        try:
            _same(call, dask_engine)
        except AssertionError as err:
            raise AssertionError(f"{name}: {err}") from None
    # Counted by hand (Belt and Road is one term, so its "Road" is not "road"):
    # road in a 1, b 3, d 2, e 1, g 1; red = a + b + e, blue = d, green = g (its lone doc).
    table = frequency(toy, by="party", engine=dask_engine)
    road = table[table["term"] == "road"].set_index("party")
    assert road["count"].to_dict() == {"blue": 2, "green": 1, "red": 5}
    assert road["range"].to_dict() == {"blue": 1, "green": 1, "red": 3}
    corpus = frequency(toy, engine=dask_engine, by="corpus").set_index("term")
    assert corpus.loc["road", "count"] == 8 and corpus.loc["road", "range"] == 5
    assert corpus.loc["belt and road", "count"] == 2
    # kwic matches plain tokens: road in a 2, b 3, d 2, e 1, f 1, g 1.
    lines = kwic(toy, "road", 1, engine=dask_engine)
    assert lines["doc"].tolist() == ["a", "a", "b", "b", "b", "d", "d", "e", "f", "g"]
    assert lines.iloc[-2:][["left", "keyword", "right"]].values.tolist() == [
        ["and", "Road", "talks"], ["", "Road", ""]]
    month = trends(toy, ["road"], "month", engine=dask_engine, by="corpus")
    assert month[["period", "count", "documents"]].values.tolist()[:3] == [
        ["2020-01", 5, 2], ["2020-02", 2, 2], ["2020-03", 2, 2]]


def test_dask_tables_equal_local_tables_on_the_seeds(seeds, dask_engine):
    for name, call in _calls(seeds, *SEED_ARGS).items():
        try:
            _same(call, dask_engine)
        except AssertionError as err:
            raise AssertionError(f"{name}: {err}") from None


def test_the_maps_and_reduces_run_on_the_workers(toy, dask_engine):
    from distributed import get_task_stream

    with get_task_stream(dask_engine.client) as stream:
        frequency(toy, by="party", engine=dask_engine)
    keys = [str(task["key"]) for task in stream.data]
    counts = [k for k in keys if "analysis.frequency._count_part" in k]
    reduces = [k for k in keys if "analysis.frequency._sum_counts" in k]
    # 4 partitions wanted (2 per worker thread), cut at document boundaries.
    assert len(counts) == len(engines.partitions(toy.tokens["doc_index"].to_numpy(), 4)) - 1
    assert len(counts) >= 3 and len(reduces) == 1


def test_processing_on_dask_equals_processing_here(make_corpus, dask_engine, monkeypatch,
                                                   tmp_path):
    from distributed import get_task_stream

    from analysis import config

    corpus = load_corpus(make_corpus({**TEXTS, "metadata.csv": METADATA}))
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "dask-cache")
    with get_task_stream(dask_engine.client) as stream:
        remote = process(corpus, engine=dask_engine)
    assert any("analysis.text.process._process_batch" in str(t["key"]) for t in stream.data)
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "local-cache")
    local = process(corpus)
    assert remote is not local
    for name in ("cleaning_log", "paragraphs", "sentences", "tokens"):
        pd.testing.assert_frame_equal(getattr(remote, name), getattr(local, name),
                                      check_exact=True)
    assert remote.texts == local.texts
    # The same store on disk, byte for byte.
    (cached_remote,) = (tmp_path / "dask-cache").glob("processed-*")
    (cached_local,) = (tmp_path / "local-cache").glob("processed-*")
    assert cached_remote.read_bytes() == cached_local.read_bytes()


def test_partitions_cut_whole_documents():
    doc = np.array([0, 0, 0, 1, 2, 2, 3, 3])
    # Rows 4 of 8 (the half) lie in document 2, which starts the second partition.
    assert engines.partitions(doc, 2).tolist() == [0, 2, 4]
    assert engines.partitions(doc, 1).tolist() == [0, 4]
    assert engines.partitions(doc, 100).tolist() == [0, 1, 2, 3, 4]
    # A last document without rows (e.g. an empty text) stays in the last partition.
    assert engines.partitions(doc, 2, n_docs=6).tolist() == [0, 2, 6]
    assert [(s.start, s.stop) for s in engines.slices(doc, np.array([0, 2, 4]))] == [
        (0, 4), (4, 8)]


def test_unknown_engine_and_scheduler_without_dask_are_refused():
    with pytest.raises(engines.EngineError, match="engine 'spark': must be one of local, dask"):
        engines.get("spark")
    with pytest.raises(engines.EngineError, match="only the dask engine"):
        engines.get("local", scheduler="tcp://127.0.0.1:8786")
    assert engines.get(None).name == "local"


def test_default_local_cluster_is_started_once_and_reused(monkeypatch):
    pytest.importorskip("distributed")
    from analysis.engines import dask as dask_engine_module
    from analysis.engines.base import workers

    monkeypatch.delenv("ANALYSIS_DASK_SCHEDULER", raising=False)
    monkeypatch.setenv("ANALYSIS_WORKERS", "1")
    first = engines.get("dask")
    try:
        assert engines.get("dask") is first
        assert first.cluster is not None and len(first.client.nthreads()) == workers() == 1
        assert list(first.client.nthreads().values()) == [1]  # one thread per worker
        assert first.partitions == 2
    finally:
        dask_engine_module._clients.pop(None, None)
        first.close()
    assert first.client.status == "closed"


def test_cli_engine_dask_prints_the_local_table(cli, make_corpus, dask_engine):
    folder = make_corpus({**TEXTS, "metadata.csv": METADATA})
    argv = ["freq", "--corpus", str(folder), "--by", "party", "--format", "csv"]
    status, local, err = cli(*argv)
    assert status == 0 and err == ""
    address = dask_engine.client.scheduler.address
    status, remote, err = cli(*argv, "--engine", "dask", "--scheduler", address)
    assert status == 0 and err == ""
    assert remote == local
    assert "red,road,5," in remote


def test_cli_engine_errors_name_the_argument(cli, monkeypatch):
    status, out, err = cli("freq", "--engine", "spark")
    assert (status, out) == (2, "")
    assert err == "error: --engine 'spark': must be one of local, dask\n"
    status, out, err = cli("freq", "--engine", "local", "--scheduler", "tcp://127.0.0.1:1")
    assert status == 2 and err.startswith("error: --scheduler 'tcp://127.0.0.1:1': ")
    # Nothing listens on port 1: a timeout, in one line, not a hang.
    monkeypatch.setenv("ANALYSIS_DASK_TIMEOUT", "1")
    started = time.monotonic()
    status, out, err = cli("kwic", "road", "--engine", "dask", "--scheduler",
                           "tcp://127.0.0.1:1")
    assert time.monotonic() - started < 15
    assert (status, out) == (2, "")
    assert err.startswith("error: --scheduler 'tcp://127.0.0.1:1': cannot connect within 1 s")
    assert err.count("\n") == 1


def test_cli_engine_dask_without_dask_says_how_to_install(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    status, out, err = cli("freq", "--engine", "dask")
    assert (status, out) == (2, "")
    assert err == ("error: --engine 'dask': Dask is not installed (pip install .[dask])\n")


def test_cli_scheduler_without_workers_fails_in_one_line(cli, monkeypatch, tmp_path):
    """A scheduler with no worker would leave every task waiting: refused after the timeout."""
    pytest.importorskip("distributed")
    import socket
    import subprocess

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", str(port), "--dashboard-address", ":0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        address = f"tcp://127.0.0.1:{port}"
        for _ in range(100):  # until it listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        monkeypatch.setenv("ANALYSIS_DASK_TIMEOUT", "1")
        status, out, err = cli("freq", "--scheduler", address)
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)
    assert (status, out) == (2, "")
    assert err == (f"error: --scheduler '{address}': no worker joined within 1 s (start one "
                   f"with: dask worker {address})\n")


def test_partitions_of_a_table_without_rows_are_one_empty_slice():
    # A corpus (or a --where subset) without tokens: one partition, nothing in it.
    from analysis.engines import partitions, slices

    empty = np.array([], dtype=np.int32)
    cuts = partitions(empty, 4, n_docs=3)
    assert cuts.tolist() == [0, 3] and slices(empty, cuts) == [slice(0, 0)]
