"""The document-feature matrix: one sparse matrix of counts per unit and feature, the input
of every model and comparison that needs one.

A :class:`DFM` is a ``scipy.sparse`` CSR matrix (rows: the units of ``by``, documents by
default; columns: features), its feature names, its rows' group columns and document
variables. :func:`dfm` builds it from the corpus's integer arrays (no token table), as
quanteda's ``dfm()`` builds one from tokens (Benoit et al. 2018, *Journal of Open Source
Software* 3(30), 774); :meth:`DFM.trim` is ``dfm_trim``, :meth:`DFM.weighted` is
``dfm_weight``/``dfm_tfidf``, :meth:`DFM.group` is ``dfm_group`` and :func:`write_dfm` writes
Matrix Market files that ``scipy.io.mmread``, R's ``Matrix::readMM`` (and so quanteda's
``as.dfm``) read. Its units are documents, sections, groups of documents or sentences;
similarity, comparison, topics (which sum its sentences into segments) and the scaling
models of :mod:`analysis.textmodels` count on it.

Features are sorted by their string, so a matrix and its columns are the same on every run.

Examples
--------
>>> from analysis.corpus import load_corpus
>>> from analysis.text.process import process
>>> d = dfm(process(load_corpus()), by="voice", content=True)
>>> d.labels, d.matrix.shape[0], int(d.matrix.sum()) == int(d.totals().sum())
(['newspaper', 'Song Tao', 'award report'], 3, True)
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import units
from analysis.index import cell_counts as _counts
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.process import Processed

__all__ = ["DFM", "FEATURES", "WEIGHTS", "dfm", "write_dfm"]

#: What a feature is: a word's term; a term with the curated multiword expressions merged
#: (``lexicons/mwe.csv``: *belt and road* one feature); two consecutive words of a sentence.
FEATURES = ("words", "terms", "bigrams")
#: Weightings of :meth:`DFM.weighted`.
WEIGHTS = ("count", "prop", "boolean", "logcount", "tfidf")


@dataclass(frozen=True)
class DFM:
    """A document-feature matrix.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Units x features: counts (int64), or weights after :meth:`weighted` (float64).
    features : ndarray of str
        Column names, sorted.
    rows : DataFrame
        One row per unit: its group columns (:func:`analysis.units.group_columns`), then,
        where the units are documents, the document variables.
    by : str
        The units (``doc``, ``section``, a document variable, ``corpus``).
    weight : str
        The weighting applied (``count`` for raw counts).
    """

    matrix: sparse.csr_matrix
    features: np.ndarray
    rows: pd.DataFrame
    by: str = "doc"
    weight: str = "count"

    @property
    def labels(self) -> list[str]:
        """The units' labels, as the analyses' tables write them (``doc/section`` for a
        section, ``doc/number`` for a sentence)."""
        if self.by == "sentence":
            return (self.rows["doc"].astype(str) + "/" + self.rows["sentence"].astype(str)
                    ).tolist()
        return units.row_labels(self.rows, self.by).tolist()

    def totals(self) -> np.ndarray:
        """Each unit's total (its words, for a matrix of word counts)."""
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    def docfreq(self) -> np.ndarray:
        """Per feature, the units with a non-zero value.

        Examples
        --------
        >>> d = DFM(sparse.csr_matrix(np.array([[1, 0], [2, 3]])), np.array(["a", "b"]),
        ...         pd.DataFrame({"doc": ["x", "y"]}))
        >>> d.docfreq().tolist()
        [2, 1]
        """
        return np.bincount(self.matrix.indices, minlength=len(self.features))

    def group(self, codes, rows: pd.DataFrame, by: str) -> DFM:
        """The units summed into groups (quanteda's ``dfm_group``): row ``g`` of the result
        is the sum of the rows whose code is ``g``; a row coded -1 is left out. A group
        without a row is a row of zeros.

        Parameters
        ----------
        codes : array of int
            Each row's group, from -1 to ``len(rows) - 1``.
        rows : DataFrame
            One row per group: the new :attr:`rows`.
        by : str
            What the groups are (the new :attr:`by`).

        Raises
        ------
        ValueError
            Codes that do not fit the rows, or a weighted matrix (group the counts, then
            weight them).

        Examples
        --------
        >>> d = DFM(sparse.csr_matrix(np.array([[1, 0], [2, 3], [0, 4]])),
        ...         np.array(["a", "b"]), pd.DataFrame({"doc": ["x", "y", "z"]}))
        >>> g = d.group([1, 0, 1], pd.DataFrame({"party": ["red", "blue"]}), "party")
        >>> g.labels, g.matrix.toarray().tolist()
        (['red', 'blue'], [[2, 3], [1, 4]])
        """
        if self.weight != "count":
            raise ValueError("group a matrix of counts, then weight it")
        codes = np.asarray(codes, dtype=np.int64)
        if codes.shape != (self.matrix.shape[0],):
            raise ValueError(f"{len(codes)} codes for {self.matrix.shape[0]} rows")
        if len(codes) and (codes.min() < -1 or codes.max() >= len(rows)):
            raise ValueError(f"codes must be from -1 to {len(rows) - 1}")
        kept = np.flatnonzero(codes >= 0)
        join = sparse.csr_matrix((np.ones(len(kept), dtype=np.int64), (codes[kept], kept)),
                                 shape=(len(rows), len(codes)))
        matrix = (join @ self.matrix).tocsr()
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        matrix.sort_indices()
        return replace(self, matrix=matrix, rows=rows.reset_index(drop=True), by=by)

    @constrained(min_count=Interval(1, MAX_ROWS), min_share=Interval(0, 1, real=True),
                 max_share=Interval(0, 1, real=True),
                 max_features=[Interval(1, MAX_ROWS), None])
    def trim(self, min_count: int = 1, min_share: float = 0.0, max_share: float = 1.0,
             max_features: int | None = None) -> DFM:
        """The features counted at least ``min_count`` times in all, in at least
        ``min_share`` and at most ``max_share`` of the units (quanteda's ``dfm_trim`` with
        ``docfreq_type = "prop"``), and of those the ``max_features`` counted most often
        (all with None; quanteda's ``termfreq_type = "rank"``; of features with the same
        count, the first by their string). The kept features stay in their order. A unit
        left without a feature keeps its (empty) row.

        Raises
        ------
        ValueError
            A bound out of range, or a weighted matrix (trim the counts, then weight).

        Examples
        --------
        >>> d = DFM(sparse.csr_matrix(np.array([[1, 0, 5], [2, 3, 0], [1, 0, 0]])),
        ...         np.array(["a", "b", "c"]), pd.DataFrame({"doc": ["x", "y", "z"]}))
        >>> d.trim(min_count=4).features.tolist(), d.trim(max_share=0.5).features.tolist()
        (['a', 'c'], ['b', 'c'])
        >>> d.trim(max_features=2).features.tolist()  # a and c counted 4 and 5 times, b 3
        ['a', 'c']
        >>> tie = DFM(sparse.csr_matrix(np.ones((1, 3))), np.array(["c", "b", "a"]),
        ...           pd.DataFrame({"doc": ["x"]}))
        >>> tie.trim(max_features=2).features.tolist()  # a tie: a and b, in their order
        ['b', 'a']
        """
        if self.weight != "count":
            raise ValueError("trim a matrix of counts, then weight it")
        n = max(self.matrix.shape[0], 1)
        share = self.docfreq() / n
        counts = np.asarray(self.matrix.sum(axis=0)).ravel()
        keep = np.flatnonzero((counts >= min_count) & (share >= min_share)
                              & (share <= max_share))
        if max_features is not None and len(keep) > max_features:
            # the most counted first, ties by the feature's string
            most = np.lexsort((self.features[keep].astype(str), -counts[keep]))[:max_features]
            keep = np.sort(keep[most])
        return replace(self, matrix=self.matrix[:, keep].tocsr(), features=self.features[keep])

    @constrained(scheme=OneOf(*WEIGHTS))
    def weighted(self, scheme: str = "prop") -> DFM:
        r"""The matrix weighted, as quanteda's ``dfm_weight`` and ``dfm_tfidf`` (base 10):

        - ``prop``: :math:`x_{ij} / \sum_j x_{ij}` (a unit's proportions);
        - ``boolean``: 1 where :math:`x_{ij} > 0`;
        - ``logcount``: :math:`1 + \log_{10} x_{ij}` where :math:`x_{ij} > 0`;
        - ``tfidf``: :math:`x_{ij} \log_{10}(N / df_j)`, :math:`N` units, :math:`df_j` the
          units with feature :math:`j` (Manning, Raghavan & Schütze 2008, *Introduction to
          Information Retrieval*, section 6.2).

        Examples
        --------
        The worked example of Wikipedia's "tf-idf" article, which quanteda's
        ``dfm_tfidf`` documentation replicates: *example* occurs 3 times in document 2 only,
        so its weight there is ``3 * log10(2 / 1) = 0.903``.

        >>> d = DFM(sparse.csr_matrix(np.array([[1, 1, 2, 1, 0, 0], [1, 1, 0, 0, 2, 3]])),
        ...         np.array(["this", "is", "a", "sample", "another", "example"]),
        ...         pd.DataFrame({"doc": ["document1", "document2"]}))
        >>> d.weighted("tfidf").matrix.toarray().round(3).tolist()[1]
        [0.0, 0.0, 0.0, 0.0, 0.602, 0.903]
        >>> round(float(d.weighted("prop").matrix[1, 5]), 3)
        0.429
        """
        if self.weight != "count":
            raise ValueError(f"the matrix is weighted already ({self.weight})")
        m = self.matrix.astype(np.float64).tocsr(copy=True)
        if scheme == "prop":
            totals = self.totals().astype(np.float64)
            m = sparse.diags(np.divide(1.0, totals, out=np.zeros_like(totals),
                                       where=totals > 0)) @ m
        elif scheme == "boolean":
            m.data[:] = 1.0
        elif scheme == "logcount":
            m.data = 1.0 + np.log10(m.data)
        elif scheme == "tfidf":
            df = self.docfreq()
            idf = np.log10(self.matrix.shape[0] / np.maximum(df, 1))
            m = m @ sparse.diags(idf)
        m = sparse.csr_matrix(m)
        m.eliminate_zeros()
        return replace(self, matrix=m, weight=scheme)

    def frame(self) -> pd.DataFrame:
        """The non-zero cells as a long table: ``unit, feature, value`` (units in row order,
        features sorted)."""
        coo = self.matrix.tocoo()
        order = np.lexsort((coo.col, coo.row))
        labels = np.array(self.labels, dtype=object)
        return pd.DataFrame({"unit": labels[coo.row[order]],
                             "feature": self.features[coo.col[order]],
                             "value": coo.data[order]})


def _occurrences(processed: Processed, features: str, content: bool
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(token rows, feature codes, feature names)`` of every feature occurrence."""
    from analysis.text.terms import _LETTER, term_rows

    c = processed.columns
    if features == "terms":
        found = term_rows(processed, mwe=True)
        keep = found.is_word
        rows, code, names = found.rows[keep], found.code[keep], found.names
    else:  # the word tokens' terms, read from the columns (no array of every token)
        rows, names = c.word_rows, c.term_names
        code = c.surface_term[c.tok_surface[rows]]
    if content:
        letter = np.fromiter((_LETTER.search(t) is not None for t in names), dtype=bool,
                             count=len(names))
        stop = found.is_stop[keep] if features == "terms" else c.term_is_stop[code]
        usable = ~stop & letter[code]
    else:
        usable = None
    if features == "bigrams":  # two consecutive words of one sentence, both usable
        sentence = c.tok_sentence[rows]
        same = sentence[1:] == sentence[:-1]
        pair = np.flatnonzero(same if usable is None else same & usable[1:] & usable[:-1])
        first, second = code[pair].astype(np.int64), code[pair + 1].astype(np.int64)
        key, inverse = np.unique(first * len(names) + second, return_inverse=True)
        names = np.array([f"{names[k // len(names)]} {names[k % len(names)]}" for k in
                          key.tolist()], dtype=object)
        return rows[pair], inverse, names
    if usable is None:
        return rows, code, names
    return rows[usable], code[usable], names


@shared_docs
def dfm(processed: Processed, *, by: str = "doc", where=None, features="words",
        content: bool = False, stem: bool = False) -> DFM:
    """The document-feature matrix of a corpus: counts of each feature in each unit.

    Parameters
    ----------
    {processed}
    by : str, default "doc"
        The units (rows): documents, ``section``, a document variable, ``corpus``
        (:mod:`analysis.units`), or ``sentence`` (each sentence of the corpus, in text
        order, with its ``doc, section, voice`` and its ``sentence`` number in the
        document).
    {where}
    features : {"words", "terms", "bigrams"} or Dictionary, default "words"
        See :data:`FEATURES`; a :class:`~analysis.dictionaries.Dictionary` makes its
        categories the features (its matches counted by the dictionary engine).
    content : bool, default False
        Keep only content words: not stop words (the corpus's list, with the analyst's
        additions), and with a letter.
    stem : bool, default False
        Join features by their Snowball stem (NLTK's English Snowball stemmer, Porter 2001),
        each named by its most frequent form (:func:`analysis.frequency.stem_labels`);
        English corpora only.

    Returns
    -------
    DFM

    Raises
    ------
    ValueError
        An unknown ``features``, ``stem`` on a corpus that does not read as English or with
        a dictionary.

    Examples
    --------
    The seeds' three voices, with their words (as :func:`analysis.units.word_codes` counts
    them):

    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> d = dfm(process(load_corpus()), by="voice")
    >>> d.labels, d.totals().tolist()
    (['newspaper', 'Song Tao', 'award report'], [290, 1056, 1137])
    >>> d.trim(min_count=30).features.tolist()[:4]
    ['a', 'and', 'china', 'cpec']
    """
    from analysis.dictionaries import Dictionary

    processed = units.select(processed, where)
    if by != "sentence":
        units.check_by(processed.corpus, by)
    dictionary = isinstance(features, Dictionary)
    if not dictionary and features not in FEATURES:
        raise ValueError(f"features {features!r}: one of {', '.join(FEATURES)}, or a "
                         "dictionary")
    if stem and dictionary:
        raise ValueError("stem joins words; a dictionary's categories are not words")
    if stem:
        from analysis.lang import reads_as_english

        if not reads_as_english(processed):
            raise ValueError("stem: the stemmer is English (Snowball) and the corpus does not "
                             "read as English")
    c = processed.columns
    if dictionary:
        from analysis.dictionaries.lookup import find

        found = find(processed, features)
        rows, code = found.start, found.category
        names = np.array(found.categories, dtype=object)
    else:
        rows, code, names = _occurrences(processed, features, content)
    if by == "sentence":
        group = c.tok_sentence[rows]
        table = pd.DataFrame({"doc": processed.doc_ids[c.sent_doc],
                              "section": c.names[c.para_section[c.sent_para]],
                              "voice": c.names[c.para_voice[c.sent_para]],
                              "sentence": c.sent_number.astype(np.int64)})
    else:
        para_group, groups = units.paragraph_codes(processed, by)
        index = np.int32 if len(groups) < 1 << 31 else np.int64
        sentence_group = para_group.astype(index)[c.sent_para]
        group = np.repeat(sentence_group, c.sent_tokens)[rows]  # one gather, not two
        table = units.group_table(groups).reset_index(drop=True)
        if by == "doc":
            variables = units.variables(processed.corpus).set_index("doc")
            table = table.join(variables, on="doc")
    # Columns in feature order, only the features that occur (a dictionary keeps every
    # category, in its order: its categories are the question asked).
    if dictionary:
        order = np.arange(len(names))
    else:
        used = np.flatnonzero(np.bincount(code, minlength=len(names)))
        order = used[np.argsort(names[used].astype(str), kind="stable")]
    column = np.zeros(len(names), dtype=np.int32 if len(names) < 1 << 31 else np.int64)
    column[order] = np.arange(len(order))
    matrix, names = _counts(group, column[code], len(table), len(order)), names[order]
    if stem:  # one column per stem, named by its most frequent form (as freq --stem)
        from analysis.frequency import stem_labels

        label, _ = stem_labels(pd.Series(np.asarray(matrix.sum(axis=0)).ravel(), index=names))
        stems = np.array([label.get(name, name) for name in names], dtype=object)
        merged, column = np.unique(stems.astype(str), return_inverse=True)
        join = sparse.csr_matrix((np.ones(len(names), dtype=np.int64),
                                  (np.arange(len(names)), column)),
                                 shape=(len(names), len(merged)))
        matrix, names = (matrix @ join).tocsr(), merged.astype(object)
        matrix.sort_indices()
    return DFM(matrix, np.asarray(names, dtype=object), table, by)


def write_dfm(d: DFM, folder) -> list[Path]:
    """Write ``matrix.mtx`` (Matrix Market, coordinate, integer or real), ``features.txt``
    (one feature a line, UTF-8) and ``docvars.csv`` (the rows' labels and variables) into
    ``folder``, each whole: the files are written beside and renamed into place.

    Examples
    --------
    >>> import scipy.io
    >>> d = DFM(sparse.csr_matrix(np.array([[1, 0], [2, 3]])), np.array(["a", "b"]),
    ...         pd.DataFrame({"doc": ["x", "y"]}))
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_dfm(d, folder)]
    ['matrix.mtx', 'features.txt', 'docvars.csv']
    >>> scipy.io.mmread(folder / "matrix.mtx").toarray().tolist()
    [[1, 0], [2, 3]]
    """
    import scipy.io

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = ["matrix.mtx", "features.txt", "docvars.csv"]
    staging = Path(tempfile.mkdtemp(prefix=".dfm-", dir=folder))
    try:
        scipy.io.mmwrite(staging / "matrix.mtx", d.matrix,
                         field="integer" if d.weight == "count" else "real")
        (staging / "features.txt").write_text("".join(f"{f}\n" for f in d.features),
                                              encoding="utf-8")
        d.rows.assign(unit=d.labels).to_csv(staging / "docvars.csv", index=False)
        for name in names:
            os.replace(staging / name, folder / name)
    finally:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()
    return [folder / name for name in names]
