"""Progress on a terminal (analysis.progress): shown there, and nowhere else."""

from __future__ import annotations

import io
import sys

from analysis import progress as module


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal_and_nothing_elsewhere(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(module.progress(range(3), desc="counting", unit="doc")) == [0, 1, 2]
    assert "counting" in terminal.getvalue() and "0/3" in terminal.getvalue()  # its total
    monkeypatch.setenv("ANALYSIS_PROGRESS", "0")
    items = [1, 2]
    assert module.progress(items) is items
    monkeypatch.delenv("ANALYSIS_PROGRESS")
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a pipe or a log file
    assert module.progress(items) is items


def test_processing_a_corpus_shows_its_batches_on_a_terminal(make_corpus, monkeypatch):
    from analysis.corpus import load_corpus
    from analysis.text.process import compute

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    corpus = load_corpus(make_corpus({"a.txt": "One text.\n", "b.txt": "Another.\n"}))
    assert len(compute(corpus).corpus) == 2
    assert "processing" in terminal.getvalue() and "0/1" in terminal.getvalue()
