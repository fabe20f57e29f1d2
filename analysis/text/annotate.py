"""Annotation with a spaCy pipeline the analyst has installed: tokens, sentences and layers.

``--annotate spacy:MODEL`` (:meth:`analysis.corpus.Corpus.with_annotation`, or
``process(corpus, annotate="spacy:MODEL")``) has a spaCy pipeline tokenize and annotate
every document instead of the project's own tokenizer. ``MODEL`` is an installed pipeline
package (``en_core_web_sm``) or a folder a pipeline was saved to (``nlp.to_disk``); nothing is
downloaded: without it, one line says how to install one (``python -m spacy download NAME``,
or ``pip install`` of the pipeline's wheel, beforehand).

What the pipeline makes of a document:

- **Text**: the document is cleaned first, as for the project's own tokenizer (the same
  cleaning options and log); each paragraph (a non-blank line) is one spaCy ``Doc``, the
  paragraphs of a batch of documents sent through ``nlp.pipe`` together. A sentence
  therefore never crosses a paragraph.
- **Sentences**: the pipeline's sentence starts (a parser's or a ``senter``'s); a
  pipeline that sets none makes each paragraph one sentence (each line of a ``Doc``).
- **Tokens**: the pipeline's tokens, without its white-space tokens (``"\\n"``, runs of
  spaces), which a CoNLL-U file has none of.
- **Layers**, as :mod:`analysis.readers.conllu` reads them, so everything that reads
  layers reads an annotated corpus alike: ``lemma`` (``Token.lemma_``), ``upos``
  (``pos_``), ``xpos`` (``tag_``), ``feats`` (the morphology, ``Number=Sing|...``) and
  ``deprel`` (``dep_``, the pipeline's labels: UD for the pipelines trained on Universal
  Dependencies, ClearNLP's ``dobj``, ``ROOT``... for spaCy's English ones), ``""`` where the
  pipeline does not set one; ``head`` (the head's number in the sentence, 0 for the root)
  where the pipeline parses; ``ent`` and ``ent_iob`` (``B``, ``I``, ``O``) where it
  recognises entities. A head that is a white-space token passes on to that token's head.

The same conversion (:func:`doc_layers`) reads the ``Doc`` objects of a ``.spacy`` file
(:mod:`analysis.readers.docbin`).

The processed corpus is cached under a key that holds the annotation: the spec, spaCy's
version and the bytes of every file of the pipeline's folder (:func:`fingerprint`), so
another pipeline, or the same one retrained, is annotated afresh.

References
----------
Honnibal, M., Montani, I., Van Landeghem, S. and Boyd, A. (2020). spaCy: Industrial-strength
Natural Language Processing in Python. doi:10.5281/zenodo.1212303. ``Doc.to_array`` and
``Language.pipe``: https://spacy.io/api/doc, https://spacy.io/api/language
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

__all__ = ["KINDS", "AnnotationError", "annotate_batch", "check_spec", "doc_layers",
           "fingerprint", "pipeline", "pipeline_folder"]

#: The annotators ``--annotate`` knows, as ``KIND:MODEL``.
KINDS = ("spacy",)
#: The layers every annotated document has (besides ``head``), and those of entities.
LAYERS = ("lemma", "upos", "xpos", "feats", "deprel")
ENTITY_LAYERS = ("ent", "ent_iob")
#: Paragraphs per ``nlp.pipe`` batch.
PIPE_BATCH = 256
INSTALL_HINT = ("install a pipeline first, e.g. `python -m spacy download en_core_web_sm` "
                "(or pip install its wheel), or give the folder of one saved with nlp.to_disk")
SPACY_HINT = "spaCy is not installed: pip install 'analysis[annotate]'"


class AnnotationError(ValueError):
    """A bad ``--annotate`` spec: unknown annotator, spaCy or the pipeline not installed."""


def check_spec(spec: str) -> str:
    """The model of an annotation spec ``spacy:MODEL``; AnnotationError for another form.

    Examples
    --------
    >>> check_spec("spacy:en_core_web_sm")
    'en_core_web_sm'
    >>> check_spec("stanza:en")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    analysis.text.annotate.AnnotationError: --annotate 'stanza:en': not KIND:MODEL ...
    """
    kind, _, model = str(spec).partition(":")
    if kind not in KINDS or not model.strip():
        raise AnnotationError(f"--annotate {spec!r}: not KIND:MODEL with KIND one of "
                              f"{', '.join(KINDS)} (spacy:en_core_web_sm, spacy:PATH)")
    return model.strip()


def _spacy_version() -> str:
    try:
        return version("spacy")
    except PackageNotFoundError:
        raise AnnotationError(SPACY_HINT) from None


def pipeline_folder(model: str) -> Path:
    """The folder of a pipeline: ``model`` itself where it is a folder holding a
    ``config.cfg``, else the folder of the installed package of that name.

    Raises AnnotationError (one line, with :data:`INSTALL_HINT`) where there is neither.

    Examples
    --------
    >>> pipeline_folder("no_such_pipeline_xx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    analysis.text.annotate.AnnotationError: --annotate spacy:no_such_pipeline_xx: no spaCy ...
    """
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.cfg").is_file():
            raise AnnotationError(f"--annotate spacy:{model}: the folder has no config.cfg, "
                                  "not a spaCy pipeline saved with nlp.to_disk")
        return path
    found = None
    if model.isidentifier():
        try:
            found = importlib.util.find_spec(model)
        except (ImportError, ValueError):
            found = None
    if found is None or not found.submodule_search_locations:
        raise AnnotationError(f"--annotate spacy:{model}: no spaCy pipeline of that name is "
                              f"installed, nor is it a folder; {INSTALL_HINT}")
    return Path(next(iter(found.submodule_search_locations)))


def fingerprint(spec: str) -> bytes:
    """What the annotation of ``spec`` depends on: the spec, spaCy's version and every file of
    the pipeline's folder (its path and bytes, each length-prefixed). Part of the cache key.

    Raises AnnotationError where spaCy or the pipeline is not installed.
    """
    model = check_spec(spec)
    spacy_version = _spacy_version()
    folder = pipeline_folder(model)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    # A large pipeline's files are read once per process while their sizes and times hold.
    stats = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _digest(spec, spacy_version, str(folder), stats)


@lru_cache(maxsize=8)
def _digest(spec: str, spacy_version: str, folder: str, stats: tuple) -> bytes:
    digest = hashlib.sha256(f"{spec}\0{spacy_version}\0".encode())
    for name, _, _ in stats:
        path = Path(name)
        relative = str(path.relative_to(folder)).encode()
        data = path.read_bytes()
        digest.update(len(relative).to_bytes(8, "little") + relative
                      + len(data).to_bytes(8, "little") + data)
    return digest.digest()


@lru_cache(maxsize=2)
def pipeline(spec: str):
    """The spaCy pipeline of ``spec`` (``spacy.load``, once per process)."""
    model = check_spec(spec)
    folder = pipeline_folder(model)
    try:
        import spacy
    except ImportError:
        raise AnnotationError(SPACY_HINT) from None
    try:
        return spacy.load(folder if Path(model).expanduser().is_dir() else model)
    except (OSError, ValueError, ImportError) as err:
        reason = (str(err).splitlines() or [type(err).__name__])[0]
        raise AnnotationError(f"--annotate {spec}: cannot load the pipeline ({reason})") \
            from None


# The columns of Doc.to_array that doc_layers reads, in order.
_ATTRS = ("IDX", "SENT_START", "HEAD", "LEMMA", "POS", "TAG", "MORPH", "DEP",
          "ENT_IOB", "ENT_TYPE")
# ENT_IOB's codes (spacy.tokens.Token.ent_iob): 0 unset, 1 inside, 2 outside, 3 begins.
_IOB = np.array(["O", "I", "O", "B"], dtype=object)


def doc_layers(doc, offset: int = 0) -> dict:
    """A spaCy ``Doc``'s tokens, sentences and layers (module docstring), its white-space
    tokens left out.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    offset : int, default 0
        Added to each token's character offsets (the ``Doc``'s place in a longer text).

    Returns
    -------
    dict
        ``starts``, ``ends`` (int64 arrays), ``forms`` (list of str), ``sentences`` (tokens
        per sentence, none empty), ``layers`` (name -> list of str, a value per token) and
        ``head`` (int32 array, or None where the ``Doc`` has no dependencies).

    Examples
    --------
    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> nlp = spacy.blank("en")
    >>> doc = Doc(nlp.vocab, words=["Roads", "ran", "\\n", "."], spaces=[True, False, False,
    ...           False], pos=["NOUN", "VERB", "SPACE", "PUNCT"], heads=[1, 1, 1, 1],
    ...           deps=["nsubj", "root", "dep", "punct"])
    >>> out = doc_layers(doc, offset=10)
    >>> out["forms"], out["starts"].tolist(), out["sentences"], out["head"].tolist()
    (['Roads', 'ran', '.'], [10, 16, 20], [3], [2, 0, 2])
    >>> out["layers"]["upos"], sorted(out["layers"])
    (['NOUN', 'VERB', 'PUNCT'], ['deprel', 'feats', 'lemma', 'upos', 'xpos'])
    """
    n = len(doc)
    strings = doc.vocab.strings
    if n == 0:
        return {"starts": np.zeros(0, dtype=np.int64), "ends": np.zeros(0, dtype=np.int64),
                "forms": [], "sentences": [], "layers": {name: [] for name in LAYERS},
                "head": None}
    table = doc.to_array(list(_ATTRS)).astype(np.int64)  # uint64 hashes as int64 bits
    column = {name: table[:, k] for k, name in enumerate(_ATTRS)}
    forms_all = [token.text for token in doc]
    # white space by its text: a DocBin read into a bare Vocab has no lexeme flags (IS_SPACE)
    keep = ~np.fromiter(map(str.isspace, forms_all), dtype=bool, count=n)
    starts_all = column["IDX"]
    ends_all = starts_all + np.fromiter(map(len, forms_all), dtype=np.int64, count=n)
    # Sentences: the pipeline's starts where it set any, else one a line.
    if doc.has_annotation("SENT_START"):
        begins = np.flatnonzero(column["SENT_START"] == 1)
    else:
        text = doc.text
        breaks = np.array([i for i, c in enumerate(text) if c == "\n"], dtype=np.int64)
        line = np.searchsorted(breaks, starts_all, side="right")
        begins = np.flatnonzero(np.diff(line, prepend=-1))
    if not len(begins) or begins[0] != 0:
        begins = np.concatenate(([0], begins))
    sentence_of = np.repeat(np.arange(len(begins)), np.diff(np.append(begins, n)))
    kept = np.flatnonzero(keep)
    sentences = np.bincount(sentence_of[kept], minlength=len(begins))
    sentences = sentences[sentences > 0].tolist()

    def text_of(values: np.ndarray) -> list[str]:
        unique, inverse = np.unique(values[kept], return_inverse=True)
        names = [strings[int(v) & 0xFFFFFFFFFFFFFFFF] if v else "" for v in unique.tolist()]
        return [names[i] for i in inverse.tolist()]

    layers = {"lemma": text_of(column["LEMMA"]), "upos": text_of(column["POS"]),
              "xpos": text_of(column["TAG"]),
              # spaCy writes no features as "_" (its EMPTY_MORPH), CoNLL-U's no value: ""
              "feats": [v if v != "_" else "" for v in text_of(column["MORPH"])],
              "deprel": text_of(column["DEP"])}
    head = None
    if doc.has_annotation("DEP"):
        target = np.arange(n) + column["HEAD"]
        for _ in range(n):  # a white-space head passes on to its own head
            on_space = ~keep[target] & (target != target[target])
            if not on_space.any():
                break
            target = np.where(on_space, target[target], target)
        # number within the sentence among kept tokens, 1-based
        rank = np.cumsum(keep) - 1
        first_kept = np.searchsorted(kept, begins)
        number = rank - first_kept[sentence_of] + 1
        head = np.where((target == np.arange(n)) | ~keep[target]
                        | (sentence_of[target] != sentence_of), 0, number[target])
        head = head[kept].astype(np.int32)
    if doc.has_annotation("ENT_IOB"):
        layers["ent_iob"] = _IOB[column["ENT_IOB"][kept]].tolist()
        types = text_of(column["ENT_TYPE"])
        layers["ent"] = [t if iob != "O" else "" for t, iob in zip(types, layers["ent_iob"],
                                                                  strict=True)]
    return {"starts": starts_all[kept] + offset, "ends": ends_all[kept] + offset,
            "forms": [forms_all[i] for i in kept.tolist()], "sentences": sentences,
            "layers": layers, "head": head}


def annotate_batch(prepared: list, spec: str) -> list[dict]:
    """Annotate cleaned documents: ``prepared`` holds each document's ``(text, paragraphs)``
    (the paragraphs as :func:`analysis.text.process.process` numbers them, ``(number,
    section, voice, start, end)``); the result, per document, its ``sentences`` rows
    ``(paragraph row, start, end)``, ``starts``, ``ends``, ``forms``, ``sentence_index``,
    ``layers`` (name -> ``(values, ids)``) and ``head``."""
    nlp = pipeline(spec)
    pieces = [(k, p, start, end) for k, (_, paragraphs) in enumerate(prepared)
              for p, (_, _, _, start, end) in enumerate(paragraphs)]
    docs = nlp.pipe((prepared[k][0][start:end] for k, _, start, end in pieces),
                    batch_size=PIPE_BATCH)
    gathered: list[list] = [[] for _ in prepared]
    for (k, p, start, _), doc in zip(pieces, docs, strict=True):
        gathered[k].append((p, doc_layers(doc, offset=start)))
    return [_document_part(parts) for parts in gathered]


def _document_part(parts: list) -> dict:
    """One document's annotated paragraphs ``(paragraph row, doc_layers)`` joined."""
    sentence_rows, sizes = [], []
    starts, ends, forms, heads = [], [], [], []
    values: dict[str, list] = {}
    parsed = any(out["head"] is not None for _, out in parts)
    tagged = any("ent" in out["layers"] for _, out in parts)
    names = LAYERS + (ENTITY_LAYERS if tagged else ())
    for paragraph, out in parts:
        first = 0
        for size in out["sentences"]:
            sentence_rows.append((paragraph, int(out["starts"][first]),
                                  int(out["ends"][first + size - 1])))
            sizes.append(size)
            first += size
        starts.append(out["starts"])
        ends.append(out["ends"])
        forms.extend(out["forms"])
        count = len(out["forms"])
        if parsed:
            heads.append(out["head"] if out["head"] is not None
                         else np.zeros(count, dtype=np.int32))
        for name in names:
            values.setdefault(name, []).extend(
                out["layers"].get(name, ["O" if name == "ent_iob" else ""] * count))

    def coded(items: list) -> tuple:
        vocabulary: dict[str, int] = {}
        ids = np.fromiter((vocabulary.setdefault(v, len(vocabulary)) for v in items),
                          dtype=np.int32, count=len(items))
        return tuple(vocabulary), ids

    def joined(arrays: list, dtype) -> np.ndarray:
        return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype=dtype)

    return {"sentences": sentence_rows, "starts": joined(starts, np.int64),
            "ends": joined(ends, np.int64), "forms": forms,
            "sentence_index": np.repeat(np.arange(len(sizes)), sizes),
            "layers": {name: coded(values.get(name, [])) for name in names},
            "head": joined(heads, np.int32) if parsed else None}
