"""How alike the units are: cosine of TF-IDF vectors, Jaccard of vocabularies.

:func:`similarity` compares documents, sections, voices or groups over their content terms
(:func:`analysis.text.terms.content_terms`), counted by the corpus's document-feature matrix
(:func:`analysis.dfm.dfm`); :func:`similarity_pairs` lists the pairs and
:func:`ranked_pairs` ranks them (the command line's ``similarity``);
:func:`representatives` picks, in each group, the most typical and the most unusual document
(cosine with the group's centroid), the one rule by which reports choose single documents.
scikit-learn is imported inside the functions that use it.

Data flow: the input is the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process`, with units resolved by :mod:`analysis.units`; the
matrices go to :mod:`analysis.plots` (``similarity_plot``) and the notebooks, which also show
the :func:`representatives`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import units
from analysis.dfm import dfm
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.process import Processed

__all__ = ["ranked_pairs", "representatives", "shown_matrix", "similarity", "similarity_pairs"]


def _unit_counts(processed: Processed, by: str):
    """The content-term counts of the groups that have text (:func:`analysis.units.names`):
    rows of the corpus's :func:`~analysis.dfm.dfm`, and the groups' labels."""
    names = units.names(processed, by)
    d = dfm(processed, by=by, features="terms", content=True)
    return d.matrix[pd.Index(d.labels).get_indexer(names)], names


@constrained(measure=OneOf("cosine", "jaccard"))
@shared_docs
def similarity(processed: Processed, *, by: str = "doc", where=None, measure: str = "cosine",
               groups=None) -> pd.DataFrame:
    r"""Pairwise similarity of the groups of a corpus (documents, sections, voices, parties...).

    ``cosine``: cosine of the units' TF-IDF vectors over content terms,
    :math:`\cos(u, v) = u \cdot v / (\lVert u\rVert\,\lVert v\rVert)`, with scikit-learn's
    term frequency times smoothed idf, :math:`\mathrm{idf}(t) = \ln\frac{1 + N}{1 + df(t)} +
    1` over the :math:`N` units compared. ``jaccard``: :math:`|V_u \cap V_v| / |V_u \cup
    V_v|` over the sets of content terms (Jaccard 1912). Vectors stay sparse; only the
    groups x groups result is dense, so compare documents of a large corpus within a subset
    (``where``) or compare groups (``by`` a document variable).

    Parameters
    ----------
    {processed}
    by : str, default "doc"
        The units compared (:mod:`analysis.units`).
    measure : {"cosine", "jaccard"}
    where : str or list of str, optional
        Only the documents that satisfy these conditions (the idf is then over their units).
    groups : list of str, optional
        Only the rows and columns of these units (labels, as
        :func:`analysis.units.largest` gives them), in the corpus's order; the idf is still
        over every unit, so the values are those of the full matrix. A report shows a few of
        thousands of groups without making the thousands-squared matrix.

    Returns
    -------
    DataFrame
        A square table, groups in their order on both axes, 1 on the diagonal, rounded to 4
        decimals.

        Empty with fewer than two groups (a corpus of one document has no pair to compare
        by document; compare its sections instead).

    Raises
    ------
    ValueError
        An unknown ``by`` or a bad ``measure``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = similarity(process(load_corpus()), by="voice", measure="jaccard")
    >>> table  # doctest: +NORMALIZE_WHITESPACE
                  newspaper  Song Tao  award report
    voice
    newspaper        1.0000    0.1224        0.0794
    Song Tao         0.1224    1.0000        0.1169
    award report     0.0794    0.1169        1.0000
    """
    processed = units.prepare(processed, by, where)
    counts, names = _unit_counts(processed, by)
    label = units.group_columns(by)[0] if by not in ("corpus", "section") else by
    if len(names) < 2:  # nothing to compare
        return pd.DataFrame(index=pd.Index([], name=label, dtype=object), dtype=float)
    rows = np.arange(len(names))
    if groups is not None:
        wanted = {str(name) for name in groups}
        rows = np.array([i for i, name in enumerate(names) if str(name) in wanted], dtype=int)
        names = [names[i] for i in rows]
    if measure == "cosine":
        from sklearn.feature_extraction.text import TfidfTransformer

        vectors = TfidfTransformer().fit_transform(counts)[rows]  # idf over every unit
        values = (vectors @ vectors.T).toarray()
    else:
        present = (counts[rows] > 0).astype(np.int64)
        inter = (present @ present.T).toarray()
        sizes = np.asarray(present.sum(axis=1)).ravel()
        union = sizes[:, None] + sizes[None, :] - inter
        values = np.divide(inter, union, out=np.zeros(inter.shape), where=union > 0)
    return pd.DataFrame(np.round(values, 4), index=pd.Index(names, name=label), columns=names)


def shown_matrix(matrix: pd.DataFrame, labels) -> pd.DataFrame:
    """The rows and columns of a :func:`similarity` matrix for the groups shown, in their
    order (the groups the matrix lacks are left out): :func:`analysis.units.keep` for a
    square table.

    Examples
    --------
    >>> matrix = pd.DataFrame([[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]],
    ...                       index=["a", "b", "c"], columns=["a", "b", "c"])
    >>> shown_matrix(matrix, ["c", "a", "z"])  # doctest: +NORMALIZE_WHITESPACE
         c    a
    c  1.0  0.2
    a  0.2  1.0
    """
    kept = [label for label in labels if label in matrix.index]
    return matrix.loc[kept, kept]


def similarity_pairs(matrix: pd.DataFrame) -> pd.DataFrame:
    """The upper triangle of a :func:`similarity` matrix as rows ``a, b, similarity``.

    Examples
    --------
    >>> matrix = pd.DataFrame([[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]],
    ...                       index=["a", "b", "c"], columns=["a", "b", "c"])
    >>> similarity_pairs(matrix)  # doctest: +NORMALIZE_WHITESPACE
       a  b  similarity
    0  a  b         0.5
    1  a  c         0.2
    2  b  c         0.3
    """
    names = list(matrix.index)
    rows = [{"a": names[i], "b": names[j], "similarity": float(matrix.iloc[i, j])}
            for i in range(len(names)) for j in range(i + 1, len(names))]
    return pd.DataFrame(rows, columns=["a", "b", "similarity"])


@constrained(top=[Interval(1, MAX_ROWS), None])
def ranked_pairs(matrix: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """The pairs of a :func:`similarity` matrix, the most similar first: the long table of
    ``python -m analysis similarity``, where duplicate documents come first (cosine and
    Jaccard 1).

    Parameters
    ----------
    matrix : DataFrame
        Output of :func:`similarity` (its index is named after the unit compared).
    top : int, optional
        Only the first ``top`` pairs.

    Returns
    -------
    DataFrame
        ``<by>_a, <by>_b, similarity`` (``doc_a, doc_b`` for documents), one row per pair of
        different units (``a`` before ``b`` in the matrix's order), ordered by similarity
        (descending), then by the names of ``a`` and of ``b``.

    Examples
    --------
    >>> matrix = pd.DataFrame([[1.0, 0.3, 0.3], [0.3, 1.0, 0.9], [0.3, 0.9, 1.0]],
    ...                       index=pd.Index(["c", "b", "a"], name="doc"),
    ...                       columns=["c", "b", "a"])
    >>> ranked_pairs(matrix)  # doctest: +NORMALIZE_WHITESPACE
      doc_a doc_b  similarity
    0     b     a         0.9
    1     c     a         0.3
    2     c     b         0.3
    """
    by = matrix.index.name or "unit"
    columns = [f"{by}_a", f"{by}_b", "similarity"]
    n = len(matrix)
    first, second = np.triu_indices(n, k=1)
    values = matrix.to_numpy(dtype=float)[first, second]
    if top is not None and top < len(values):  # the pairs tied with the last one kept too
        cut = np.partition(-values, top - 1)[top - 1]
        kept = np.flatnonzero(-values <= cut)
        first, second, values = first[kept], second[kept], values[kept]
    names = np.asarray(matrix.index, dtype=object)
    table = pd.DataFrame({columns[0]: names[first], columns[1]: names[second],
                          columns[2]: values})
    table = table.assign(_a=table[columns[0]].astype(str), _b=table[columns[1]].astype(str))
    table = table.sort_values([columns[2], "_a", "_b"], ascending=[False, True, True],
                              kind="mergesort")
    return table[columns].head(top).reset_index(drop=True)


@constrained(n=Interval(1, MAX_ROWS))
@shared_docs
def representatives(processed: Processed, *, by: str = "doc", where=None, n: int = 1,
                    groups=None) -> pd.DataFrame:
    r"""The most typical and the most unusual documents of each group: the ones reports show.

    One stated rule instead of an arbitrary sample. Each document's part in a group (the
    whole document for a document variable, its sections of that voice for ``voice``) is a
    TF-IDF vector of content terms (scikit-learn's smoothed idf over the parts, rows
    L2-normalised); the group's centroid is the mean of its parts' vectors. The most typical
    part has the highest cosine with its centroid, the most unusual the lowest (ties: the
    document that comes first in the corpus). With ``by="doc"`` every document is its own
    group, so the corpus is taken as the one group.

    Parameters
    ----------
    {processed}
    {by}
    {where}
    n : int, default 1
        Documents of each kind per group.
    groups : list of str, optional
        Only the documents of these groups (labels, as :func:`analysis.units.largest` gives
        them): their rows of the full table (the idf is still over every part). With
        ``by="doc"`` the one group is the corpus, and ``groups`` (documents) is not used.

    Returns
    -------
    DataFrame
        The group columns (none for the corpus), then ``role`` (``most typical``, ``most
        unusual`` or ``only document``), ``doc``, ``similarity`` (cosine with the group's
        centroid, 4 decimals) and ``content_terms`` (of the part); groups in their order,
        the typical before the unusual.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = representatives(process(load_corpus()))
    >>> table[["role", "doc"]].values.tolist()
    [['most typical', 'songtao-article'], ['most unusual', 'award-report']]
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    group_by = "corpus" if by == "doc" else by
    processed = units.prepare(processed, group_by, where)
    # A document's part in a group is the sum of its sections in it (a section is in one
    # group: its document's, or its voice).
    sections = dfm(processed, by="section", features="terms", content=True)
    group, group_table = units.codes(processed, sections.rows, group_by)
    labels = units.row_labels(group_table, group_by).tolist()
    wanted = None if groups is None or by == "doc" else {str(name) for name in groups}
    n_docs = max(len(processed.corpus), 1)
    part_key = group * n_docs + units.doc_positions(processed, sections.rows)
    used = sections.totals() > 0
    part_code = np.full(len(part_key), -1, dtype=np.int64)
    part_code[used], parts = pd.factorize(part_key[used], sort=True)
    part_group, part_doc = np.divmod(np.asarray(parts, dtype=np.int64), n_docs)
    ids = processed.corpus.ids
    counts = sections.group(part_code, pd.DataFrame({"group": part_group,
                                                     "doc": np.asarray(ids)[part_doc]}),
                            "doc").matrix
    rows = []
    if len(parts):
        vectors = TfidfTransformer().fit_transform(counts)
        words = np.asarray(counts.sum(axis=1)).ravel().astype(int)
        # The parts of each group, found by one sort (parts are numbered group by group).
        bounds = np.searchsorted(part_group, np.arange(len(group_table) + 1))
        for g in range(len(group_table)):
            mine = np.arange(bounds[g], bounds[g + 1])
            if not len(mine) or (wanted is not None and str(labels[g]) not in wanted):
                continue
            centroid = np.asarray(vectors[mine].mean(axis=0)).ravel()
            norm = np.linalg.norm(centroid)
            similarity_ = (vectors[mine] @ (centroid / norm if norm else centroid)).ravel()
            key = group_table.iloc[g].to_dict()
            if len(mine) == 1:
                chosen = [("only document", 0)]
            else:
                order = np.lexsort((part_doc[mine], -np.round(similarity_, 12)))
                typical = order[:n].tolist()
                unusual = [i for i in order[::-1] if i not in typical][:n]
                chosen = [("most typical", i) for i in typical] + \
                    [("most unusual", i) for i in unusual]
            for role, i in chosen:
                rows.append({**key, "role": role, "doc": ids[part_doc[mine[i]]],
                             "similarity": round(float(similarity_[i]), 4),
                             "content_terms": int(words[mine[i]])})
    columns = units.group_columns(group_by) + ["role", "doc", "similarity",
                                                     "content_terms"]
    return pd.DataFrame(rows, columns=columns)
