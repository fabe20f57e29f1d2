"""Phrases fed back (analysis.phrases): from files and from the corpus's strongest sequences."""

from __future__ import annotations

from analysis.corpus import load_corpus
from analysis.phrases import compound, top_phrases
from analysis.text.process import process


def test_top_phrases_come_from_sequences():
    # the seeds' strongest two-word sequences (analysis.sequences, z descending)
    from analysis.sequences import sequences

    table = sequences(process(load_corpus()), 2, top=3, by="corpus")
    expected = tuple(tuple(text.split()) for text in table["collocation"])
    assert top_phrases(load_corpus(), 3) == expected
    assert compound(load_corpus(), top=3).compounds == expected
    assert compound(load_corpus()) == load_corpus()


def test_files_then_strongest_sequences_each_once(tmp_path):
    path = tmp_path / "phrases.txt"
    path.write_text("political parties\nSong Tao\n", encoding="utf-8")
    # the file's two, then the strongest sequence (political parties, already listed)
    assert compound(load_corpus(), path, 1).compounds == (("political", "parties"),
                                                         ("song", "tao"))
    assert compound(load_corpus(), [path, path]).compounds == (("political", "parties"),
                                                              ("song", "tao"))
