"""spaCy ``DocBin`` files (``.spacy``) as corpora: tokens, sentences and every layer.

A ``.spacy`` file is what ``DocBin.to_disk`` writes (spaCy's training and corpus format): a
collection of ``Doc`` objects. It is read with spaCy (the ``[annotate]`` extra), and each
``Doc`` becomes a document whose tokens, sentences and layers are those of the ``Doc``, read
as :func:`analysis.text.annotate.doc_layers` reads them, so a DocBin corpus has the layers
of a CoNLL-U corpus (:mod:`analysis.readers.conllu`): ``lemma``, ``upos``, ``xpos``,
``feats``, ``deprel`` (``""`` where the ``Doc`` has none), ``head`` where it is parsed, and
``ent``, ``ent_iob`` where its entities are set. The raw text is the ``Doc``'s text; its
white-space tokens are left out. A ``Doc`` without sentence starts has a sentence per line.

- **Ids**: the ``id`` of the ``Doc``'s user data (``doc.user_data["id"]``, or an ``id``
  extension, ``doc._.id``, saved with ``DocBin(store_user_data=True)``), else the file's
  name and the ``Doc``'s number (``news-1``, ``news-2``...).
- **Variables**: the other user data and extension attributes of each ``Doc`` whose values
  are text or numbers, and the columns of a metadata file beside the corpus, named after it
  with ``.metadata.csv`` for ``.spacy`` (``news.spacy`` -> ``news.metadata.csv``): a column
  ``id`` naming each document, every other column a variable (a row wins).

Bad input is :class:`~analysis.corpus.CorpusError`, one line naming the file: not a DocBin,
no documents, a document id given twice, a metadata row naming no document, spaCy not
installed.

References
----------
spaCy's ``DocBin``: https://spacy.io/api/docbin (Honnibal, M., Montani, I., Van Landeghem, S.
and Boyd, A. 2020, spaCy: Industrial-strength Natural Language Processing in Python,
doi:10.5281/zenodo.1212303).
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from analysis import corpus as _corpus
from analysis.readers.tokens import Tokens

__all__ = ["load_docbin", "metadata_path"]

SUFFIX = ".spacy"


def metadata_path(path: Path) -> Path:
    """The metadata file of a DocBin corpus: its name with ``.metadata.csv`` for ``.spacy``.

    Examples
    --------
    >>> metadata_path(Path("corpora/news.spacy")).name
    'news.metadata.csv'
    """
    return path.with_name(path.name[:-len(SUFFIX)] + ".metadata.csv")


def _variables(doc) -> dict[str, str]:
    """The text and number values of a ``Doc``'s user data: plain keys, and extension
    attributes (stored as ``("._.", name, None, None)``)."""
    out = {}
    for key, value in doc.user_data.items():
        if isinstance(key, tuple) and len(key) == 4 and key[0] == "._." and key[2] is None \
                and key[3] is None:
            key = key[1]
        if not isinstance(key, str) or isinstance(value, bytes) \
                or not isinstance(value, str | int | float):
            continue
        out[key.strip()] = str(value).strip()
    return out


def load_docbin(path: str | Path) -> _corpus.Corpus:
    """Read a spaCy DocBin file as a corpus whose documents keep their tokens and layers.

    Parameters
    ----------
    path : str or Path
        A ``.spacy`` file; with its metadata file (:func:`metadata_path`) where there is one.
        Only read.

    Returns
    -------
    Corpus
        A document per ``Doc``, in file order (module docstring).

    Raises
    ------
    CorpusError
        One line naming the file (module docstring).

    Examples
    --------
    >>> import tempfile
    >>> from spacy.tokens import Doc, DocBin
    >>> from spacy.vocab import Vocab
    >>> doc = Doc(Vocab(), words=["Roads", "ran", "."], spaces=[True, False, False],
    ...           lemmas=["road", "run", "."], heads=[1, 1, 1], deps=["nsubj", "root", "punct"])
    >>> doc.user_data["id"], doc.user_data["outlet"] = "a", "Dawn"
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "toy.spacy"
    ...     DocBin(docs=[doc], store_user_data=True).to_disk(path)
    ...     corpus = load_docbin(path)
    >>> doc = corpus["a"]
    >>> doc.raw, doc.metadata["outlet"], doc.tokens.layer("lemma"), doc.tokens.head.tolist()
    ('Roads ran.', 'Dawn', ['road', 'run', '.'], [2, 0, 2])
    """
    path = Path(path)
    try:
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab
    except ImportError:
        raise _corpus.CorpusError(f"{path}: reading a .spacy file needs spaCy: pip install "
                                  "'analysis[annotate]'") from None
    from analysis.text.annotate import ENTITY_LAYERS, LAYERS, doc_layers

    try:
        data = path.read_bytes()
    except OSError as err:
        raise _corpus.CorpusError(f"{path}: cannot read ({err.strerror or err})") from None
    try:
        docs = list(DocBin(store_user_data=True).from_bytes(data).get_docs(Vocab()))
    except Exception as err:  # noqa: BLE001 - srsly, zlib, msgpack and numpy raise several
        reason = (str(err).splitlines() or [type(err).__name__])[0][:200]
        raise _corpus.CorpusError(f"{path}: not a spaCy DocBin file ({reason})") from None
    if not docs:
        raise _corpus.CorpusError(f"{path}: no documents")
    stem = path.name[:-len(SUFFIX)] if path.name.lower().endswith(SUFFIX) else path.stem
    read = []
    for number, doc in enumerate(docs, start=1):
        variables = _variables(doc)
        doc_id = variables.pop("id", "") or f"{stem}-{number}"
        read.append((number, doc_id, variables, doc.text, doc_layers(doc)))
    tagged = any("ent" in out["layers"] for *_, out in read)
    names = LAYERS + (ENTITY_LAYERS if tagged else ())
    rows = _metadata(path, {doc_id for _, doc_id, *_ in read})
    seen: dict[str, int] = {}
    documents = []
    for number, doc_id, variables, raw, out in read:
        if doc_id in seen:
            raise _corpus.CorpusError(f"{path}: document {number}: id {doc_id!r} given twice "
                                      f"(also document {seen[doc_id]})")
        seen[doc_id] = number
        variables = {**variables, **{k: v for k, v in rows.get(doc_id, {}).items()
                                     if k != "id"}}
        _corpus.check_date(variables.get(_corpus.DATE_COLUMN, ""),
                           f"{path}: document {number}")
        count = len(out["forms"])
        layers = {name: out["layers"].get(name, ["O" if name == "ent_iob" else ""] * count)
                  for name in names}
        tokens = Tokens.from_lists(out["starts"], out["ends"], out["sentences"], out["forms"],
                                   layers, head=out["head"])
        documents.append(_corpus.Document(doc_id, f"{path.name}#{doc_id}", raw,
                                          MappingProxyType({**variables, "id": doc_id}), (),
                                          tokens))
    return _corpus.Corpus(tuple(documents), str(path.resolve()))


def _metadata(path: Path, ids: set[str]) -> dict[str, dict[str, str]]:
    """The rows of the metadata file beside the corpus, by document id (none without one)."""
    meta_path = metadata_path(path)
    rows: dict[str, dict[str, str]] = {}
    if not meta_path.is_file():
        return rows
    missing: dict = {}
    lines = {}
    for line, row in _corpus._read_csv(meta_path, ("id",)):
        row = _corpus._without_missing(row, missing)
        if row["id"] in rows:
            raise _corpus.CorpusError(f"{meta_path}: line {line}: document id {row['id']!r} "
                                      "given twice")
        _corpus.check_date(row.get(_corpus.DATE_COLUMN, ""), f"{meta_path}: line {line}")
        rows[row["id"]], lines[row["id"]] = row, line
    unknown = sorted(set(rows) - ids)
    if unknown:
        raise _corpus.CorpusError(f"{meta_path}: line {lines[unknown[0]]}: no document "
                                  f"{unknown[0]!r} in {path.name}")
    return rows
