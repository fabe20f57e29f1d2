"""Readers of corpus formats: the one place that decides, from a path, how a corpus is read.

Each :class:`Reader` names the suffixes it reads; :func:`reader_for` picks the reader of a
path (a folder, or a file by the end of its name, compared in lower case), and
:func:`analysis.corpus.load_corpus` reads every corpus with the reader it picks, so a new
format is a new module here and one entry of :data:`READERS`.

=========  ==========================================  =======================================
reader     suffixes                                    what it returns
=========  ==========================================  =======================================
folder     a folder                                    a document per ``.txt`` (or ``.txt.gz``);
                                                       in a folder of ``.conllu`` files (no
                                                       ``.txt``), a document per ``# newdoc``
                                                       of each (:mod:`.conllu_folder`)
zip        ``.zip``                                    a document per ``.txt`` member
table      ``.csv``, ``.jsonl`` (either gzipped),      a document per row
           ``.parquet``
conllu     ``.conllu``, ``.conllu.gz``                 a document per ``# newdoc``, with its
                                                       tokens, sentences and annotation layers
docbin     ``.spacy`` (spaCy's ``DocBin``)              a document per ``Doc``, with its
                                                       tokens, sentences and annotation layers
=========  ==========================================  =======================================

A reader may hand over each document's tokens and sentences already made
(:class:`Tokens`, on :attr:`analysis.corpus.Document.tokens`); processing then keeps them as
they are (:mod:`analysis.text.annotated`) and stores their annotation layers beside the tokens.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from analysis.readers.tokens import Tokens

__all__ = ["READERS", "Reader", "Tokens", "known_suffixes", "reader_for"]


@dataclass(frozen=True)
class Reader:
    """A corpus format: its name, the suffixes of its files and the function reading one.

    Attributes
    ----------
    name : str
        Short name (``table``, ``conllu``...).
    suffixes : tuple of str
        Lower-case endings of the names it reads (``.csv.gz``); empty for the folder reader.
    function : str
        ``module:function`` of the reader, imported when a corpus of its format is read (the
        registry imports no reader: :func:`analysis.corpus.load_corpus` reads through it).
    options : tuple of str
        The keyword options it takes (``text_column``...); others are not passed to it.
    """

    name: str
    suffixes: tuple[str, ...]
    function: str
    options: tuple[str, ...] = ()

    def read(self, path: Path, **options):
        """Read a corpus of this format (:class:`~analysis.corpus.Corpus`)."""
        module, name = self.function.split(":")
        chosen = {k: v for k, v in options.items() if k in self.options}
        return getattr(importlib.import_module(module), name)(path, **chosen)


#: The readers, in the order they are tried (the folder reader takes folders, the others
#: files whose name ends in one of their suffixes).
READERS: tuple[Reader, ...] = (
    Reader("folder", (), "analysis.readers.conllu_folder:load_folder", ("follow_symlinks",)),
    Reader("zip", (".zip",), "analysis.corpus:load_zip"),
    Reader("table", (".csv", ".csv.gz", ".jsonl", ".jsonl.gz", ".parquet"),
           "analysis.corpus:load_table", ("text_column", "id_column")),
    Reader("conllu", (".conllu", ".conllu.gz"), "analysis.readers.conllu:load_conllu"),
    Reader("docbin", (".spacy",), "analysis.readers.docbin:load_docbin"),
)


def reader_for(path: str | Path) -> Reader | None:
    """The reader of a path: the folder reader for a folder, else the reader whose suffix the
    file's name ends with (in lower case), or None.

    Examples
    --------
    >>> from pathlib import Path
    >>> [reader_for(Path(name)).name for name in ("un.CSV.gz", "ewt.conllu", "news.spacy")]
    ['table', 'conllu', 'docbin']
    >>> reader_for(Path("notes.docx")) is None
    True
    """
    path = Path(path)
    if path.is_dir():
        return READERS[0]
    name = path.name.lower()
    for reader in READERS[1:]:
        if name.endswith(reader.suffixes):
            return reader
    return None



def known_suffixes() -> str:
    """The suffixes of every reader, for a message.

    Examples
    --------
    >>> known_suffixes()
    '.zip, .csv, .csv.gz, .jsonl, .jsonl.gz, .parquet, .conllu, .conllu.gz, .spacy'
    """
    return ", ".join(suffix for reader in READERS for suffix in reader.suffixes)
