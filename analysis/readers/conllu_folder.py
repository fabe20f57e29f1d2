"""A folder of CoNLL-U files as one corpus, with the folder's ``metadata.csv``.

A corpus folder that holds ``.conllu`` (or ``.conllu.gz``) files and no ``.txt`` text is read
file by file, in file-name order, each file as :func:`analysis.corpus.load_corpus` reads it
(:mod:`analysis.readers.conllu`: a document per ``# newdoc``, or the file as one document
named after it when it has none; its tokens and layers kept). A file unchanged since it was
last read is not parsed again but taken from its record (:mod:`analysis.fileindex`, "A
corpus of one file"), so a warm command reads no file of the folder.

The folder's ``metadata.csv`` gives variables as in a folder of texts: a column ``file``
naming one of the folder's CoNLL-U files, every other column a variable. A row gives its
variables to every document of its file; where the table has a column ``id`` and a row's is
not blank, the row is of that document of the file alone (a document's own row wins over
its file's, and both over the file's own ``# newdoc``/``# meta::`` comments and its
``.metadata.csv``). A ``sections.csv`` is not read here (paragraphs come from ``# newpar``)
and is refused rather than ignored.

Bad input is :class:`~analysis.corpus.CorpusError`, one line naming the file (and line): a
file's own problems as :mod:`~analysis.readers.conllu` names them, a document id found in
two files, a metadata row naming no CoNLL-U file of the folder or no document of its file,
a file or document listed twice, a bad date or language code, a symbolic link (unless it
may be followed) or a file that is not a regular one.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType

from analysis import corpus as _corpus
from analysis.readers.conllu import load_conllu

__all__ = ["SUFFIXES", "conllu_files", "load_conllu_folder", "load_folder"]

#: The endings of the names of the CoNLL-U files of a folder (compared in lower case).
SUFFIXES = (".conllu", ".conllu.gz")


def conllu_files(folder: Path) -> list[str]:
    """The names of the CoNLL-U files of a folder, sorted; empty where the folder holds a
    ``.txt`` text (a folder of texts) or cannot be listed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("b.conllu", "a.CONLLU.gz", "notes.md"):
    ...         _ = (Path(folder) / name).write_text("")
    ...     conllu_files(Path(folder))
    ['a.CONLLU.gz', 'b.conllu']
    """
    found = []
    try:
        with os.scandir(folder) as listing:  # a folder of texts: left at its first text
            for entry in listing:
                name = entry.name
                if _corpus._is_txt(name):
                    return []
                if name.lower().endswith(SUFFIXES) and name.lower() not in SUFFIXES:
                    found.append(name)
    except OSError:
        return []
    return sorted(found)


def load_folder(folder: str | Path, *, follow_symlinks: bool = False) -> _corpus.Corpus:
    """Read a corpus folder (the folder reader of :data:`analysis.readers.READERS`): a
    folder of CoNLL-U files (and no ``.txt``) with :func:`load_conllu_folder`, any other
    with :func:`analysis.corpus.load_folder` (its ``.txt`` texts).

    Examples
    --------
    >>> from analysis import config
    >>> load_folder(config.DEFAULT_CORPUS).ids
    ['songtao-article', 'award-report']
    """
    if conllu_files(Path(folder)):
        return load_conllu_folder(folder, follow_symlinks=follow_symlinks)
    return _corpus.load_folder(folder, follow_symlinks=follow_symlinks)


def load_conllu_folder(folder: str | Path, *, follow_symlinks: bool = False
                       ) -> _corpus.Corpus:
    """Read a folder of CoNLL-U files as one corpus (module docstring).

    Parameters
    ----------
    folder : str or Path
        The folder: its ``.conllu``/``.conllu.gz`` files and its ``metadata.csv``, if any.
        Only read.
    follow_symlinks : bool, default False
        Read a symbolic link of the folder when it leads to a regular file inside it;
        without it every link is refused.

    Returns
    -------
    Corpus
        The documents of every file, files in name order, each file's in file order;
        ``Document.file`` is ``FILE#ID``.

    Raises
    ------
    CorpusError
        One line naming the file (and line) and the problem.

    Examples
    --------
    >>> import tempfile
    >>> word = "1\\t{0}\\t{0}\\tNOUN\\t_\\t_\\t0\\troot\\t_\\t_\\n"
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     folder = Path(folder)
    ...     _ = (folder / "dawn.conllu").write_text(
    ...         "# newdoc id = d1\\n" + word.format("Roads") + "\\n"
    ...         "# newdoc id = d2\\n" + word.format("Ports") + "\\n")
    ...     _ = (folder / "nation.conllu").write_text(word.format("Trade") + "\\n")
    ...     _ = (folder / "metadata.csv").write_text(
    ...         "file,outlet\\ndawn.conllu,Dawn\\nnation.conllu,The Nation\\n")
    ...     corpus = load_conllu_folder(folder)
    >>> corpus.ids, [doc.metadata["outlet"] for doc in corpus]
    (['d1', 'd2', 'nation'], ['Dawn', 'Dawn', 'The Nation'])
    >>> corpus["d2"].raw, corpus["d2"].file
    ('Ports', 'dawn.conllu#d2')
    """
    folder = Path(folder)
    names = conllu_files(folder)
    if not names:
        raise _corpus.CorpusError(f"{folder}: no .conllu files in the corpus folder")
    for name in names:
        _corpus._check_regular(folder, name, follow_symlinks)
    for name in (_corpus.METADATA_FILE, _corpus.SECTIONS_FILE):
        _corpus._check_regular(folder, name, follow_symlinks)
    if os.path.lexists(folder / _corpus.SECTIONS_FILE):
        raise _corpus.CorpusError(f"{folder / _corpus.SECTIONS_FILE}: sections are not read "
                                  "in a folder of CoNLL-U files (paragraphs are # newpar)")
    # a link followed is parsed every time: the record of a file is that of its target, whose
    # name may differ (the name of a document without # newdoc)
    files = {name: load_conllu(folder / name) if (folder / name).is_symlink()
             else _corpus.load_corpus(folder / name) for name in names}
    missing: dict = {}
    rows = _metadata(folder, files, missing)
    documents, seen = [], {}
    for name, corpus in files.items():
        for doc in corpus:
            if doc.id in seen:
                raise _corpus.CorpusError(f"{folder / name}: document id {doc.id!r} given "
                                          f"twice (also in {seen[doc.id]})")
            seen[doc.id] = name
            variables = {**rows.get((name, None), {}), **rows.get((name, doc.id), {})}
            documents.append(_with_variables(doc, variables))
    # as a folder of texts' documents: their hash and digest computed once per load
    return _corpus.Corpus(_corpus._Documents(documents), str(folder.resolve()),
                          _corpus._missing_record(missing))


def _metadata(folder: Path, files: dict, missing: dict) -> dict:
    """The variables of the folder's ``metadata.csv`` by ``(file, document id or None)``."""
    path = folder / _corpus.METADATA_FILE
    if not path.is_file():
        return {}
    rows: dict = {}
    for line, row in _corpus._read_csv(path, ("file",)):
        where = f"{path}: line {line}"
        name = row["file"]
        if name not in files:
            raise _corpus.CorpusError(f"{where}: file {name!r} is not a CoNLL-U file of "
                                      f"{folder} ({', '.join(SUFFIXES)})")
        doc_id = row.get("id", "") or None
        if doc_id is not None and doc_id not in files[name].ids:
            raise _corpus.CorpusError(f"{where}: no document {doc_id!r} in {name}")
        if (name, doc_id) in rows:
            what = f"document {doc_id!r} of {name!r}" if doc_id else f"file {name!r}"
            raise _corpus.CorpusError(f"{where}: {what} is listed twice")
        variables = _corpus._without_missing(
            {k: v for k, v in row.items() if k not in ("file", "id")}, missing)
        _corpus.check_date(variables.get(_corpus.DATE_COLUMN, ""), where)
        _corpus.check_lang(variables.get(_corpus.LANG_COLUMN, ""), where)
        rows[name, doc_id] = variables
    return rows


def _with_variables(doc: _corpus.Document, variables: dict) -> _corpus.Document:
    """The document with more variables (the others kept, ``id`` last); its text and tokens
    are not read for it (a document of a file record reads them when first used)."""
    if not variables:
        return doc
    copy = object.__new__(_corpus.Document)
    copy.__dict__.update(doc.__dict__)
    copy.__dict__["metadata"] = MappingProxyType(
        {**{k: v for k, v in doc.metadata.items() if k != "id"}, **variables, "id": doc.id})
    return copy
