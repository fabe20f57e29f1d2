"""What the texts talk about: distinctive and shared vocabulary, topics, similarity.

Three analyses over the *content terms* of a corpus (word tokens that are not stop words and
contain a letter, with the curated multiword expressions merged, see
:func:`analysis.text.terms.terms`):

- :func:`compare_terms`: the log-odds ratio with an informative Dirichlet prior of Monroe,
  Colaresi & Quinn (2008) between two documents, sections or voices, the score behind
  scattertext's "Fightin' Words" plots;
- :func:`fit_topics`: NMF or LDA topics over short segments (windows of sentences: the corpus
  has few documents, so documents themselves are too few to fit topics on), with the number
  of topics chosen by UMass coherence (Mimno et al. 2011), and :func:`topic_weights`,
  :func:`topic_table` to read them per document, section or voice;
- :func:`similarity`: cosine similarity of TF-IDF vectors and Jaccard similarity of
  vocabularies between documents, sections or voices.

Units are named as in the rest of the library: ``by="doc"`` (document id), ``by="section"``
(``doc/section``, e.g. ``songtao-article/article``) or ``by="voice"`` (``newspaper``,
``Song Tao``...). scikit-learn is imported inside the functions that use it.

Scale: matrices stay sparse (segments x terms, units x terms); the vocabulary of the topic
models is capped at :data:`MAX_TERMS` terms; :func:`choose_k` scores its models on a seeded
sample of at most :data:`CHOOSE_K_SEGMENTS` segments and :func:`fit_topics` fits on at most
:data:`FIT_SEGMENTS` (all segments then get weights); :func:`analysis.units.largest` picks the few
units a figure shows. The seeds (35 segments, about 180 terms) are below every limit, so
their results do not depend on them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import units as unit_groups
from analysis.text.process import Processed
from analysis.text.terms import content_mask, terms

METHODS = ("nmf", "lda")


#: Default range of numbers of topics tried by :func:`choose_k`.
K_RANGE = tuple(range(2, 9))


# --------------------------------------------------------------------------- content terms


def content_terms(processed: Processed) -> pd.DataFrame:
    """Content terms: merged-MWE word tokens that are not stop words and contain a letter.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`.

    Returns
    -------
    DataFrame
        The rows of :func:`analysis.text.terms.terms` that are content terms.
    """
    table = terms(processed)
    return table[content_mask(table)].reset_index(drop=True)


def _unit_term_counts(processed: Processed, by: str = "doc") -> pd.DataFrame:
    """Content-term counts as a term x group table (terms sorted, groups in their order)."""
    table = content_terms(processed)
    counts = pd.crosstab(table["term"].to_numpy(), _row_labels(processed, table, by))
    counts = counts.reindex(columns=unit_groups.names(processed, by), fill_value=0)
    counts.columns.name = None
    return counts.sort_index()


def _row_labels(processed: Processed, table: pd.DataFrame, by: str) -> np.ndarray:
    """The ``by`` group label of every row of a table of the corpus."""
    return unit_groups.row_labels(unit_groups.labels(processed, table, by), by).to_numpy()


# --------------------------------------------------------------------------- fightin' words


def compare_terms(
    processed: Processed,
    a: str,
    b: str,
    by: str = "doc",
    prior: str = "corpus",
    alpha0: float | None = None,
    z_crit: float = 1.96,
) -> pd.DataFrame:
    r"""Distinctive and shared terms of two units: log-odds ratio with an informative prior.

    For each term :math:`w`, with counts :math:`y^a_w, y^b_w`, totals :math:`n^a, n^b` (all
    content terms of each unit) and prior pseudo-counts :math:`\alpha_w`,
    :math:`\alpha_0 = \sum_w \alpha_w` over the whole corpus vocabulary (Monroe, Colaresi &
    Quinn 2008, eqs. 15-22):

    .. math::

        \hat\delta_w = \log\frac{y^a_w + \alpha_w}{n^a + \alpha_0 - y^a_w - \alpha_w}
                     - \log\frac{y^b_w + \alpha_w}{n^b + \alpha_0 - y^b_w - \alpha_w},\qquad
        \sigma^2(\hat\delta_w) \approx \frac{1}{y^a_w + \alpha_w} + \frac{1}{y^b_w + \alpha_w},
        \qquad z_w = \hat\delta_w / \sqrt{\sigma^2(\hat\delta_w)}

    The prior is informative: :math:`\alpha_w = \alpha_0\,\pi_w`, with :math:`\pi_w` the
    background relative frequency of :math:`w`. It shrinks the log-odds of rare words towards
    the background, so a word seen twice in one text and never in the other does not top the
    list (the weakness of the plain log-ratio). This is the score of scattertext's
    ``LogOddsRatioInformativeDirichletPrior``.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`.
    a, b : str
        The two units compared (document ids, ``doc/section`` labels or voices, see ``by``).
    by : {"doc", "section", "voice"}
        What ``a`` and ``b`` name.
    prior : {"corpus", "general"}
        ``corpus`` (default): :math:`\pi_w` is the term's share of all content terms of the
        whole corpus (every unit, not only ``a`` and ``b``), as in Monroe et al.'s main
        example. ``general``: :math:`\pi_w` is the term's general-English frequency from
        ``wordfreq`` (multiword terms get wordfreq's estimate for the phrase; a term wordfreq
        does not know gets 1e-8), renormalised over the corpus vocabulary.
    alpha0 : float, optional
        Total prior pseudo-count :math:`\alpha_0`, i.e. how many words of evidence the prior is
        worth. Default: the number of content terms in the corpus, so that with the corpus
        prior :math:`\alpha_w` equals the term's corpus count (the usual choice in
        implementations of Monroe et al.). Larger values shrink more.
    z_crit : float, default 1.96
        Threshold on :math:`|z|` for calling a term distinctive. With hundreds of terms
        compared it is a descriptive cut-off, not a test with a controlled error rate.

    Returns
    -------
    DataFrame
        One row per term used in ``a`` or ``b``: ``term, count_a, count_b, per_1000_a,
        per_1000_b, alpha, delta, variance, z, side, shared``. ``side`` is ``a`` or ``b``
        where :math:`z \ge z_{crit}` or :math:`z \le -z_{crit}`, ``shared`` where the term
        occurs in both and is not distinctive, ``""`` otherwise (in one unit only, too rare
        to be distinctive). ``shared`` is ``min(per_1000_a, per_1000_b)``, how common the term
        is in the text that uses it less. Sorted by ``z`` descending (``a``'s terms first),
        ties by term.

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is not a unit of the corpus, if they are the same unit (a corpus of
        one document has nothing to compare with), or on a bad ``prior``/``alpha0``.

    References
    ----------
    Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008). Fightin' words: Lexical feature
    selection and evaluation for identifying the content of political conflict. *Political
    Analysis*, 16(4), 372-403.
    """
    unit_groups.check_by(processed.corpus, by)
    counts = _unit_term_counts(processed, by)
    known = list(counts.columns)
    if len(known) < 2:
        raise ValueError(
            f"comparing terms needs two {by}s; the corpus has only one ({', '.join(known)})"
        )
    for name in (a, b):
        if name not in known:
            raise ValueError(f"{name!r} is not a {by} of the corpus (known: {', '.join(known)})")
    if a == b:
        raise ValueError(f"compare two different {by}s, not {a!r} with itself")
    if prior not in ("corpus", "general"):
        raise ValueError(f"prior must be 'corpus' or 'general', not {prior!r}")
    background = counts.sum(axis=1).astype(float)
    total = float(background.sum())
    if alpha0 is None:
        alpha0 = total
    if not alpha0 > 0:
        raise ValueError(f"alpha0 must be positive, not {alpha0}")
    if prior == "corpus":
        share = background / total
    else:
        from wordfreq import word_frequency

        freq = pd.Series([word_frequency(t, "en", minimum=1e-8) for t in background.index],
                         index=background.index)
        share = freq / freq.sum()
    alpha = alpha0 * share
    y_a = counts[a].astype(float)
    y_b = counts[b].astype(float)
    n_a, n_b = y_a.sum(), y_b.sum()
    delta = (np.log((y_a + alpha) / (n_a + alpha0 - y_a - alpha))
             - np.log((y_b + alpha) / (n_b + alpha0 - y_b - alpha)))
    variance = 1.0 / (y_a + alpha) + 1.0 / (y_b + alpha)
    z = delta / np.sqrt(variance)
    table = pd.DataFrame({
        "term": counts.index,
        "count_a": y_a.astype(int).to_numpy(),
        "count_b": y_b.astype(int).to_numpy(),
        "per_1000_a": (1000 * y_a / n_a).round(3).to_numpy(),
        "per_1000_b": (1000 * y_b / n_b).round(3).to_numpy(),
        "alpha": alpha.to_numpy(),
        "delta": delta.to_numpy(),
        "variance": variance.to_numpy(),
        "z": z.to_numpy(),
    })
    table = table[(table["count_a"] > 0) | (table["count_b"] > 0)]
    side = np.where(table["z"] >= z_crit, "a", np.where(table["z"] <= -z_crit, "b", ""))
    both = (table["count_a"] > 0) & (table["count_b"] > 0)
    table["side"] = np.where((side == "") & both, "shared", side)
    table["shared"] = np.minimum(table["per_1000_a"], table["per_1000_b"])
    table = table.sort_values(["z", "term"], ascending=[False, True], kind="mergesort")
    return table.reset_index(drop=True)


def compare_groups(processed: Processed, by: str = "doc", **options) -> pd.DataFrame:
    """:func:`compare_terms` of the two largest groups of ``by`` (by words, ties by label).

    The comparison a report makes when it does not name two groups. With fewer than two
    groups the table is empty. ``table.attrs["a"]`` and ``["b"]`` name the groups compared.
    """
    pair = unit_groups.largest(processed, by, 2)
    if len(pair) < 2:
        table = pd.DataFrame(columns=["term", "count_a", "count_b", "per_1000_a",
                                      "per_1000_b", "alpha", "delta", "variance", "z", "side",
                                      "shared"])
        table.attrs.update(a=pair[0] if pair else "", b="")
        return table
    names = unit_groups.names(processed, by)
    a, b = sorted(pair, key=names.index)
    table = compare_terms(processed, a, b, by=by, **options)
    table.attrs.update(a=a, b=b)
    return table


def label_terms(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The terms worth labelling in a vocabulary scatter: most distinctive and most shared.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`compare_terms`.
    n : int, default 10
        How many of each kind: the ``n`` highest positive ``z`` (kind ``a``), the ``n`` most
        negative (kind ``b``), whether or not they pass ``z_crit`` (a short text may have no
        term that does), and the ``n`` highest ``shared`` among terms of side ``shared``.

    Returns
    -------
    DataFrame
        The selected rows with a column ``label_kind`` (``a``, ``b``, ``shared``) in label
        priority order: the most extreme first, alternating between the kinds, ties by term.
    """
    a = table[table["z"] > 0].sort_values(["z", "term"], ascending=[False, True])
    b = table[table["z"] < 0].sort_values(["z", "term"], ascending=[True, True])
    s = table[table["side"] == "shared"].sort_values(["shared", "term"],
                                                     ascending=[False, True])
    a, b = a.head(n), b.head(n)
    s = s[~s["term"].isin(set(a["term"]) | set(b["term"]))].head(n)
    parts = [a.assign(label_kind="a"), b.assign(label_kind="b"), s.assign(label_kind="shared")]
    for part in parts:
        part["_rank"] = range(len(part))
    out = pd.concat(parts).sort_values(["_rank", "label_kind"], kind="mergesort")
    return out.drop(columns="_rank").reset_index(drop=True)


# --------------------------------------------------------------------------- segments


def _segment_index(processed: Processed, size: int):
    """Segments (without their terms) and, per content term, its segment row and its term."""
    if size < 1:
        raise ValueError(f"segment size must be at least 1 sentence, not {size}")
    keys = ["doc", "section", "voice"]
    sents = processed.sentences[[*keys, "sentence"]]
    grouped = sents.groupby(keys, sort=False)
    position = pd.DataFrame({"group": grouped.ngroup().to_numpy(),
                             "chunk": grouped.cumcount().to_numpy() // size})
    # Segments are numbered by section (in order of first appearance), then window.
    number = position.groupby(["group", "chunk"], sort=True).ngroup().to_numpy()
    segs = sents.assign(_segment=number).groupby("_segment", sort=True).agg(
        doc=("doc", "first"), section=("section", "first"), voice=("voice", "first"),
        first_sentence=("sentence", "first"), last_sentence=("sentence", "last"))
    segs = segs.reset_index(drop=True)
    table = content_terms(processed)
    lookup = pd.MultiIndex.from_arrays([sents["doc"], sents["sentence"]])
    where = lookup.get_indexer(pd.MultiIndex.from_arrays([table["doc"], table["sentence"]]))
    found = where >= 0
    rows = number[where[found]] if len(number) else np.zeros(0, dtype=np.int64)
    return segs, rows, table["term"].to_numpy(dtype=object)[found]


def segments(processed: Processed, size: int = 3) -> pd.DataFrame:
    """Cut each section into windows of ``size`` consecutive sentences: the topic model's units.

    Windows never cross a section (or document) boundary, so every segment has one voice; the
    last window of a section may be shorter.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`.
    size : int, default 3
        Sentences per segment.

    Returns
    -------
    DataFrame
        ``segment`` (1, 2, ... in text order), ``doc, section, voice, first_sentence,
        last_sentence, terms`` (the segment's content terms, a tuple in text order),
        ``n_terms``.
    """
    segs, rows, words = _segment_index(processed, size)
    return _with_terms(segs, rows, words)


def _with_terms(segs: pd.DataFrame, rows: np.ndarray, words: np.ndarray) -> pd.DataFrame:
    order = np.argsort(rows, kind="stable")
    words, bounds = words[order], np.searchsorted(rows[order], np.arange(len(segs) + 1))
    out = segs.assign(terms=[tuple(words[a:b].tolist())
                             for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
    out["n_terms"] = np.diff(bounds)
    out.insert(0, "segment", range(1, len(out) + 1))
    return out


def _raw_counts(rows: np.ndarray, words: np.ndarray, n_segments: int):
    """Segment x term counts (sparse CSR, terms sorted) and the sorted vocabulary."""
    from scipy.sparse import csr_matrix

    codes, vocabulary = pd.factorize(words, sort=True)
    counts = csr_matrix((np.ones(len(codes), dtype=np.int64), (rows, codes)),
                        shape=(n_segments, len(vocabulary)))
    counts.sum_duplicates()
    counts.sort_indices()
    return counts, list(vocabulary)


def _select_terms(counts, vocabulary: list[str], min_df: int, max_terms: int | None):
    """Keep the terms in at least ``min_df`` segments, at most ``max_terms`` of them.

    Beyond ``max_terms``, the most frequent are kept (total count, ties by term), in the
    vocabulary's sorted order. Returns ``(None, [])`` when no term is left.
    """
    df = np.diff(counts.tocsc().indptr)
    keep = np.flatnonzero(df >= min_df)
    if max_terms is not None and len(keep) > max_terms:
        totals = np.asarray(counts.sum(axis=0)).ravel()[keep]
        keep = np.sort(keep[np.lexsort((keep, -totals))[:max_terms]])
    if not len(keep) or counts.shape[0] == 0:
        return None, []
    return counts[:, keep], [vocabulary[i] for i in keep]


def _sample(n: int, limit: int | None, seed: int) -> np.ndarray | None:
    """Rows of a seeded random sample of ``limit`` of ``n`` segments (sorted), or None."""
    if limit is None or n <= limit:
        return None
    return np.sort(np.random.default_rng(seed).choice(n, size=limit, replace=False))


# --------------------------------------------------------------------------- coherence


def _binary(matrix):
    from scipy.sparse import csc_matrix, issparse

    binary = csc_matrix(matrix) if not issparse(matrix) else matrix.tocsc()
    binary = (binary != 0).astype(np.int64)
    return binary


def _umass(binary, columns: list[int]) -> float:
    # Document (co-)frequencies of the top terms only: a small M x M matrix from the sparse
    # segment x term presence matrix, never a dense segment x vocabulary one.
    sub = binary[:, columns]
    co = (sub.T @ sub).toarray()
    score = 0.0
    for m in range(1, len(columns)):
        for lo in range(m):
            score += math.log((co[m, lo] + 1) / co[lo, lo])
    return score


def umass_coherence(top_terms: list[str], binary, vocabulary: list[str]) -> float:
    r"""UMass coherence of one topic over the segments (Mimno et al. 2011).

    .. math::

        C(t) = \sum_{m=2}^{M} \sum_{l=1}^{m-1} \log\frac{D(v_m, v_l) + 1}{D(v_l)}

    where :math:`v_1..v_M` are the topic's top terms in rank order, :math:`D(v)` the number of
    segments containing :math:`v` and :math:`D(v, v')` the number containing both. Values are
    at most 0 in practice; closer to 0 is more coherent. Only the top terms' columns are read
    (sparse), so the cost does not grow with the vocabulary.

    This is Mimno et al.'s definition: a *sum* over the :math:`M(M-1)/2` pairs, smoothed by
    adding 1 to the co-document count. gensim's ``CoherenceModel(coherence="u_mass")``
    reports another quantity under the same name: the *mean* over the pairs of
    :math:`\log((D(v_m, v_l)/N + 10^{-12}) / (D(v_l)/N))` (``N`` documents), so its values
    are about :math:`M(M-1)/2` times smaller in size, and a pair that never co-occurs costs
    about :math:`\log 10^{-12}` there instead of :math:`\log(1/D(v_l))`. The two are not
    comparable; every ``umass`` column of this module is the sum defined here.

    Parameters
    ----------
    top_terms : list of str
        The topic's top terms, best first (each must be in ``vocabulary``).
    binary : ndarray or scipy sparse matrix
        Segment x term presence matrix (non-zero = present).
    vocabulary : list of str
        The terms of the columns of ``binary``.

    Returns
    -------
    float

    References
    ----------
    Mimno, D., Wallach, H., Talley, E., Leenders, M. & McCallum, A. (2011). Optimizing
    semantic coherence in topic models. *EMNLP 2011*, 262-272.
    """
    index = {t: i for i, t in enumerate(vocabulary)}
    return _umass(_binary(binary), [index[t] for t in top_terms])


@dataclass(frozen=True)
class TopicModel:
    """A fitted topic model and its tables.

    Attributes
    ----------
    method : str
        ``nmf`` or ``lda``.
    k : int
        Number of topics.
    terms : DataFrame
        ``topic, label, rank, term, weight``: the top terms of each topic.
    segments : DataFrame
        :func:`segments` with one weight column per topic label (``topic_1``...): each row is
        the segment's topic proportions (sums to 1; 0 for a segment without kept terms).
    coherence : DataFrame
        ``topic, label, umass``.
    selection : DataFrame or None
        :func:`choose_k`'s table when ``k`` was chosen automatically (or passed in).
    processed : Processed
        The corpus it was fitted on (its document variables group the weights).
    reason : str
        Why no topic was fitted (``k`` is then 0 and the tables are empty), see
        :func:`fit_topics`'s ``too_small``.
    """

    method: str
    k: int
    terms: pd.DataFrame
    segments: pd.DataFrame
    coherence: pd.DataFrame
    selection: pd.DataFrame | None = None
    processed: Processed | None = field(default=None, repr=False, compare=False)
    reason: str = ""

    @property
    def labels(self) -> list[str]:
        """Topic labels in topic order (``j: (no terms)`` for a topic without terms)."""
        named = dict(zip(self.terms["topic"], self.terms["label"], strict=True))
        return [named.get(j, f"{j}: (no terms)") for j in range(1, self.k + 1)]


#: Iteration limits of the models (NMF's ``tol`` is scikit-learn's default, 1e-4). NMF on the
#: seeds converges in at most about 240 iterations for k = 2..8.
NMF_MAX_ITER = 2000
LDA_MAX_ITER = 200


def _fit(counts, k: int, method: str, seed: int, rows: np.ndarray | None = None,
         error: bool = True):
    """Fit one model on ``counts[rows]`` (all rows by default).

    Returns (weights of every row, topic x term weights, reconstruction error): the rows left
    out of the fit get their weights from the fitted model's ``transform``. The error is
    NMF's Frobenius norm of TF-IDF minus W H over the rows fitted (NaN for LDA).
    """
    if method == "nmf":
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfTransformer

        model = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=NMF_MAX_ITER)
        tfidf = TfidfTransformer()
        with np.errstate(invalid="ignore"):  # sqrt of a rounding-negative error on exact fits
            if rows is None:
                features = tfidf.fit_transform(counts)
                weights = model.fit_transform(features)
            else:
                features = tfidf.fit_transform(counts[rows])
                model.fit(features)
                weights = model.transform(tfidf.transform(counts))
        if not error:
            return weights, model.components_, float("nan")
        fitted = weights if rows is None else weights[rows]
        return weights, model.components_, _frobenius(features, fitted, model.components_)
    from sklearn.decomposition import LatentDirichletAllocation

    model = LatentDirichletAllocation(n_components=k, learning_method="batch",
                                      random_state=seed, max_iter=LDA_MAX_ITER)
    if rows is None:
        weights = model.fit_transform(counts)
    else:
        weights = model.fit(counts[rows]).transform(counts)
    return weights, model.components_, float("nan")


def _frobenius(features, weights: np.ndarray, components: np.ndarray) -> float:
    """``||features - weights @ components||_F``, a block of rows at a time.

    Computed on dense blocks of 1,000 rows rather than with scikit-learn's expanded formula
    (``||X||^2 - 2 <X, WH> + ||WH||^2``), which cancels to a small negative number (NaN
    error) on an exact fit; the blocks keep memory flat on a large corpus.
    """
    total = 0.0
    for lo in range(0, features.shape[0], 1000):
        block = features[lo:lo + 1000].toarray() - weights[lo:lo + 1000] @ components
        total += float(np.sum(block * block))
    return math.sqrt(total)


def _top(row: np.ndarray, vocabulary: list[str], n: int) -> list[tuple[str, float]]:
    # Sort key as before: weight rounded to 12 decimals, descending, ties by term. Only the
    # 4n largest weights are sorted (a partial selection first), so a large vocabulary costs
    # little; a tie at the cut is widened to keep the result exact.
    keys = -np.round(row, 12)
    if len(keys) > 4 * n:
        cut = np.partition(keys, 4 * n)[4 * n]
        idx = np.flatnonzero(keys <= cut)
    else:
        idx = np.arange(len(keys))
    pairs = sorted(((vocabulary[i], row[i]) for i in idx), key=lambda p: (-round(p[1], 12), p[0]))
    return [(t, float(w)) for t, w in pairs[:n] if w > 0]


@dataclass(frozen=True)
class _Prepared:
    segments: pd.DataFrame  # without terms
    rows: np.ndarray
    words: np.ndarray
    raw: object  # segment x term counts, every term
    vocabulary: list[str]  # of raw


def _prepare(processed: Processed, size: int) -> _Prepared:
    segs, rows, words = _segment_index(processed, size)
    raw, vocabulary = _raw_counts(rows, words, len(segs))
    return _Prepared(segs, rows, words, raw, vocabulary)


def _restrict(prep: _Prepared, rows: np.ndarray | None, min_df: int, max_terms: int | None):
    raw = prep.raw if rows is None else prep.raw[rows]
    counts, vocabulary = _select_terms(raw, prep.vocabulary, min_df, max_terms)
    n_used = 0 if counts is None else int((np.diff(counts.indptr) > 0).sum())
    return counts, vocabulary, n_used, raw.shape[0]


def _feasible(k: int, n_used: int, n_terms: int) -> bool:
    return 1 <= k < n_used and k <= n_terms


def _too_small(k: int, n_segs: int, n_used: int, n_terms: int, size: int, min_df: int) -> str:
    return (f"cannot fit {k} topics: the corpus gives {n_segs} segments of {size} sentences, "
            f"{n_used} with terms that occur in at least {min_df} segments, and "
            f"{n_terms} such terms; topics need more segments than topics and at least as "
            f"many terms (use a smaller k, a smaller segment size or a larger corpus)")


#: Most segments :func:`choose_k` fits its trial models on; a larger corpus is sampled.
CHOOSE_K_SEGMENTS = 1000
#: Most segments :func:`fit_topics` fits the model on; the others are projected onto it.
FIT_SEGMENTS = 6000
#: Most terms the models use: those in ``min_df`` segments or more, the most frequent first.
MAX_TERMS = 5000


def choose_k(processed: Processed, method: str = "nmf", k_range=K_RANGE, size: int = 3,
             min_df: int = 2, top_n: int = 10, seed: int = 0,
             max_segments: int | None = CHOOSE_K_SEGMENTS,
             max_terms: int | None = MAX_TERMS) -> pd.DataFrame:
    """Score each number of topics by mean UMass coherence and mark the best.

    The criterion: the ``k`` with the highest mean UMass coherence (:func:`umass_coherence`)
    of the topics' ``top_n`` terms over the segments; ties go to the smaller ``k``. For NMF
    the reconstruction error (Frobenius norm of TF-IDF minus W H) is reported too, for an
    elbow reading; it always falls as ``k`` grows, so it is not used to choose.

    On a corpus of more than ``max_segments`` segments, every model is fitted and scored on
    the same random sample of ``max_segments`` segments, drawn without replacement with
    ``numpy.random.default_rng(seed)``, exactly as if the sample were the corpus (its own
    ``min_df`` filter, idf and coherence counts): a choice among a few values of ``k`` does
    not need every segment, and the sample keeps the cost flat as the corpus grows. A
    smaller corpus (the seeds give 35 segments) is used whole.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`.
    method : {"nmf", "lda"}
    k_range : iterable of int
        Numbers of topics tried (those the corpus is too small for are skipped).
    size, min_df, top_n, seed, max_terms
        As in :func:`fit_topics`.
    max_segments : int or None, default :data:`CHOOSE_K_SEGMENTS`
        Largest number of segments used; None uses every segment.

    Returns
    -------
    DataFrame
        ``k, umass, reconstruction_error, chosen`` (one row per feasible k), with
        ``attrs["segments"]`` the number of segments scored.

    Raises
    ------
    ValueError
        If no k of the range can be fitted on this corpus.
    """
    _check_method(method)
    return _choose_k(_prepare(processed, size), method, k_range, size, min_df, top_n, seed,
                     max_segments, max_terms)


def _one_thread():
    # The models' matrices are thin (k <= a few dozen columns): multi-threaded BLAS only
    # adds synchronisation on them, up to 9x slower on a busy 2-CPU machine than one thread.
    # Import first what loads BLAS libraries (scipy.linalg may bring its own): the limit only
    # reaches the libraries already loaded.
    import scipy.linalg  # noqa: F401
    import sklearn.decomposition  # noqa: F401
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    return threadpool_limits(limits=1, user_api="blas")


def _choose_k(prep, method, k_range, size, min_df, top_n, seed, max_segments, max_terms):
    with _one_thread():
        return _choose_k_fits(prep, method, k_range, size, min_df, top_n, seed, max_segments,
                              max_terms)


def _choose_k_fits(prep, method, k_range, size, min_df, top_n, seed, max_segments,
                   max_terms):
    k_range = list(k_range)
    rows = _sample(prep.raw.shape[0], max_segments, seed)
    counts, vocabulary, n_used, n_segs = _restrict(prep, rows, min_df, max_terms)
    ks = [k for k in k_range if _feasible(k, n_used, len(vocabulary))]
    if not ks:
        k_min = min(k_range) if k_range else 2
        raise ValueError(_too_small(k_min, n_segs, n_used, len(vocabulary), size, min_df))
    binary = _binary(counts)
    out = []
    for k in ks:
        _weights, components, error = _fit(counts, k, method, seed)
        index = {t: i for i, t in enumerate(vocabulary)}
        scores = [_umass(binary, [index[t] for t, _ in _top(c, vocabulary, top_n)])
                  for c in components]
        out.append({"k": k, "umass": round(float(np.mean(scores)), 6),
                    "reconstruction_error": round(error, 6)})
    table = pd.DataFrame(out)
    best = table.sort_values(["umass", "k"], ascending=[False, True]).iloc[0]["k"]
    table["chosen"] = table["k"] == best
    table.attrs["segments"] = n_segs
    return table


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")


def fit_topics(processed: Processed, k: int | None = None, method: str = "nmf",
               size: int = 3, min_df: int = 2, top_n: int = 10, k_range=K_RANGE,
               seed: int = 0, selection: pd.DataFrame | None = None,
               max_segments: int | None = FIT_SEGMENTS,
               max_terms: int | None = MAX_TERMS, too_small: str = "raise") -> TopicModel:
    """Fit NMF or LDA topics over sentence-window segments.

    Features: the content terms of each segment (:func:`segments`), keeping terms found in at
    least ``min_df`` segments, and of those at most ``max_terms``, the most frequent (total
    count, ties by term). NMF (Lee & Seung 1999) factorises the TF-IDF matrix
    (scikit-learn's smoothed idf, rows L2-normalised) with the deterministic ``nndsvd``
    initialisation (Boutsidis & Gallopoulos 2008); LDA (Blei, Ng & Jordan 2003) models raw
    counts, as it is a model of counts, with batch variational Bayes and a fixed
    ``random_state``. Two runs give identical tables.

    A corpus of more than ``max_segments`` segments is fitted on a seeded random sample of
    that many segments (``numpy.random.default_rng(seed)``, without replacement); every
    segment, in the sample or not, then gets its topic weights from the fitted model
    (``transform``: the non-negative least-squares fit of its TF-IDF row on the topics for
    NMF, the variational posterior for LDA). Smaller corpora are fitted whole.

    Topics are numbered by their total weight over the corpus (topic 1 the largest; ties by
    label) and labelled by their three top terms. A topic's top terms are its ``top_n``
    highest-weighted terms, ties broken by term.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process`.
    k : int, optional
        Number of topics; default: the ``k`` chosen in ``selection``, else chosen by
        :func:`choose_k` over ``k_range``.
    method : {"nmf", "lda"}, default "nmf"
    size : int, default 3
        Sentences per segment.
    min_df : int, default 2
        Minimum number of segments a term must occur in.
    top_n : int, default 10
        Top terms kept per topic (and used for coherence).
    k_range : iterable of int
        Numbers of topics tried when ``k`` and ``selection`` are None.
    seed : int, default 0
        ``random_state`` of the model and seed of the samples.
    selection : DataFrame, optional
        A :func:`choose_k` table already computed (with the same ``method``, ``size`` and
        ``min_df``): its chosen ``k`` is used and it is kept as the model's ``selection``,
        instead of choosing again.
    max_segments : int or None, default :data:`FIT_SEGMENTS`
        Largest number of segments the model is fitted on; None fits on every segment.
    max_terms : int or None, default :data:`MAX_TERMS`
        Largest vocabulary; None keeps every term that passes ``min_df``.
    too_small : {"raise", "empty"}, default "raise"
        What a corpus too small for topics gives: a ValueError, or a model with ``k = 0``,
        empty tables and the reason in ``reason`` (what a report shows instead).

    Returns
    -------
    TopicModel

    Raises
    ------
    ValueError
        If the corpus gives too few segments or terms for ``k`` topics (the message says how
        many it gives) and ``too_small`` is "raise", or on a bad ``method``.
    """
    if too_small not in ("raise", "empty"):
        raise ValueError(f"too_small must be 'raise' or 'empty', not {too_small!r}")
    if too_small == "empty":
        try:
            return fit_topics(processed, k, method, size, min_df, top_n, k_range, seed,
                              selection, max_segments, max_terms)
        except ValueError as err:
            if method not in METHODS:
                raise
            return _empty_model(processed, method, str(err))
    _check_method(method)
    prep = _prepare(processed, size)
    if k is None and selection is not None:
        k = int(selection.loc[selection["chosen"], "k"].iloc[0])
    elif k is None:
        selection = _choose_k(prep, method, k_range, size, min_df, top_n, seed,
                              CHOOSE_K_SEGMENTS if max_segments is not None else None,
                              max_terms)
        k = int(selection.loc[selection["chosen"], "k"].iloc[0])
    counts, vocabulary, n_used, n_segs = _restrict(prep, None, min_df, max_terms)
    if not _feasible(k, n_used, len(vocabulary)):
        raise ValueError(_too_small(k, n_segs, n_used, len(vocabulary), size, min_df))
    rows = _sample(n_segs, max_segments, seed)
    with _one_thread():
        weights, components, _error = _fit(counts, k, method, seed, rows, error=False)
    tops = [_top(c, vocabulary, top_n) for c in components]
    labels = [" / ".join(t for t, _ in top[:3]) for top in tops]
    totals = weights.sum(axis=0)
    order = sorted(range(k), key=lambda i: (-round(float(totals[i]), 9), labels[i]))
    binary = _binary(counts)
    index = {t: i for i, t in enumerate(vocabulary)}
    term_rows, coherence_rows = [], []
    names = []
    for number, i in enumerate(order, start=1):
        label = f"{number}: {labels[i]}"
        names.append(label)
        for rank, (term, weight) in enumerate(tops[i], start=1):
            term_rows.append({"topic": number, "label": label, "rank": rank, "term": term,
                              "weight": round(weight, 6)})
        coherence_rows.append({"topic": number, "label": label, "umass": round(
            _umass(binary, [index[t] for t, _ in tops[i]]), 6)})
    ordered = weights[:, order]
    sums = ordered.sum(axis=1, keepdims=True)
    shares = np.divide(ordered, sums, out=np.zeros_like(ordered), where=sums > 0)
    seg_table = _with_terms(prep.segments, prep.rows, prep.words)
    for j, _label in enumerate(names, start=1):
        seg_table[f"topic_{j}"] = shares[:, j - 1].round(6)
    return TopicModel(method=method, k=k, terms=pd.DataFrame(term_rows),
                      segments=seg_table, coherence=pd.DataFrame(coherence_rows),
                      selection=selection, processed=processed)


def _empty_model(processed: Processed, method: str, reason: str) -> TopicModel:
    """A model without topics, saying why (see :func:`fit_topics`'s ``too_small``)."""
    return TopicModel(
        method=method, k=0,
        terms=pd.DataFrame(columns=["topic", "label", "rank", "term", "weight"]),
        segments=pd.DataFrame(columns=["segment", "doc", "section", "voice", "sentence_start",
                                       "sentence_end", "text"]),
        coherence=pd.DataFrame(columns=["topic", "label", "umass"]),
        selection=pd.DataFrame(columns=["k", "umass"]), processed=processed, reason=reason)


def topic_weights(model: TopicModel, by: str = "doc") -> pd.DataFrame:
    """Topic weight per document, section or voice.

    A unit's weight for topic :math:`t` is the mean, over the unit's segments that have kept
    terms, of the segments' topic proportions: each segment counts once, whatever its length.
    The weights of a unit sum to 1.

    Parameters
    ----------
    model : TopicModel
        Output of :func:`fit_topics`.
    by : str, default "doc"
        ``doc``, ``section``, ``voice``, ``corpus`` or a document variable
        (:mod:`analysis.units`).

    Returns
    -------
    DataFrame
        The group columns of ``by`` (:func:`analysis.units.group_columns`), then ``unit``
        (the group's label), ``topic, label, weight, segments``; groups in their order,
        topics in order. :func:`analysis.units.keep` keeps a few groups.
    """
    segs = model.segments
    processed = model.processed
    unit_groups.check_by(processed.corpus, by)
    codes, groups = unit_groups.codes(processed, segs, by)
    labels = unit_groups.row_labels(groups, by).tolist()
    unit = pd.Series(np.asarray(labels, dtype=object)[codes], index=segs.index)
    present = sorted(set(codes.tolist()))
    names = [labels[g] for g in present]
    cols = [f"topic_{j}" for j in range(1, model.k + 1)]
    used = segs[cols].sum(axis=1) > 0
    means = segs.loc[used, cols].groupby(unit[used], sort=False).mean()
    means = means.reindex(names, fill_value=0.0)
    n = used.groupby(unit, sort=False).sum().reindex(names).astype(int)
    weight = means.to_numpy().round(4)
    k = model.k
    table = groups.iloc[np.repeat(present, k)].reset_index(drop=True)
    return table.assign(
        unit=np.repeat(names, k), topic=np.tile(np.arange(1, k + 1), len(names)),
        label=np.tile(model.labels, len(names)), weight=weight.ravel(),
        segments=np.repeat(n.to_numpy(), k))


def topic_table(model: TopicModel, n_terms: int = 8, by: str = "doc") -> pd.DataFrame:
    """One row per topic: its top terms and its weight in each unit (a column per unit).

    Parameters
    ----------
    model : TopicModel
        Output of :func:`fit_topics`.
    n_terms : int, default 8
        Top terms listed.
    by : str, default "doc"
        The weight columns: a unit or document variable (:func:`topic_weights`).

    Returns
    -------
    DataFrame
        ``topic, top_terms`` (comma-separated, best first) and one weight column per unit.
    """
    weights = topic_weights(model, by)
    wide = weights.pivot(index="topic", columns="unit", values="weight")
    wide = wide[list(dict.fromkeys(weights["unit"]))]
    top = model.terms[model.terms["rank"] <= n_terms].groupby("topic")["term"].agg(", ".join)
    table = pd.DataFrame({"topic": top.index, "top_terms": top.to_numpy()})
    table = table.merge(wide.reset_index(), on="topic")
    table.columns.name = None
    return table


# --------------------------------------------------------------------------- similarity


def _unit_matrix(processed: Processed, by: str):
    """Group x term content-term counts (sparse), and the groups' labels."""
    from scipy.sparse import csr_matrix

    names = unit_groups.names(processed, by)
    table = content_terms(processed)
    row = pd.Index(names).get_indexer(_row_labels(processed, table, by))
    keep = row >= 0
    codes, vocabulary = pd.factorize(table["term"].to_numpy(dtype=object)[keep], sort=True)
    counts = csr_matrix((np.ones(len(codes), dtype=np.int64), (row[keep], codes)),
                        shape=(len(names), len(vocabulary)))
    counts.sum_duplicates()
    counts.sort_indices()
    return counts, names


def similarity(processed: Processed, by: str = "doc", measure: str = "cosine",
               where=None) -> pd.DataFrame:
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
    processed : Processed
        Output of :func:`analysis.text.process.process`.
    by : str, default "doc"
        The units compared (:mod:`analysis.units`).
    measure : {"cosine", "jaccard"}
    where : str or list of str, optional
        Only the documents that satisfy these conditions (the idf is then over their units).

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
    """
    if measure not in ("cosine", "jaccard"):
        raise ValueError(f"measure must be 'cosine' or 'jaccard', not {measure!r}")
    processed = unit_groups.select(processed, where)
    unit_groups.check_by(processed.corpus, by)
    counts, names = _unit_matrix(processed, by)
    if len(names) < 2:  # nothing to compare
        return pd.DataFrame(index=pd.Index([], name=by, dtype=object), dtype=float)
    if measure == "cosine":
        from sklearn.feature_extraction.text import TfidfTransformer

        vectors = TfidfTransformer().fit_transform(counts)
        values = (vectors @ vectors.T).toarray()
    else:
        present = (counts > 0).astype(np.int64)
        inter = (present @ present.T).toarray()
        sizes = np.asarray(present.sum(axis=1)).ravel()
        union = sizes[:, None] + sizes[None, :] - inter
        values = np.divide(inter, union, out=np.zeros(inter.shape), where=union > 0)
    return pd.DataFrame(np.round(values, 4), index=pd.Index(names, name=by), columns=names)


def shown_matrix(matrix: pd.DataFrame, labels) -> pd.DataFrame:
    """The rows and columns of a :func:`similarity` matrix for the groups shown, in their
    order (the groups the matrix lacks are left out): :func:`analysis.units.keep` for a
    square table."""
    kept = [label for label in labels if label in matrix.index]
    return matrix.loc[kept, kept]


def similarity_pairs(matrix: pd.DataFrame) -> pd.DataFrame:
    """The upper triangle of a :func:`similarity` matrix as rows ``a, b, similarity``."""
    names = list(matrix.index)
    rows = [{"a": names[i], "b": names[j], "similarity": float(matrix.iloc[i, j])}
            for i in range(len(names)) for j in range(i + 1, len(names))]
    return pd.DataFrame(rows, columns=["a", "b", "similarity"])


def representatives(processed: Processed, by: str = "doc", n: int = 1) -> pd.DataFrame:
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
    processed : Processed
        Output of :func:`analysis.text.process.process`.
    by : str, default "doc"
        The grouping (:mod:`analysis.units`).
    n : int, default 1
        Documents of each kind per group.

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
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    group_by = "corpus" if by == "doc" else by
    unit_groups.check_by(processed.corpus, group_by)
    table = content_terms(processed)
    group, groups = unit_groups.codes(processed, table, group_by)
    n_docs = max(len(processed.corpus), 1)
    part_code, parts = pd.factorize(group * n_docs + table["doc_index"].to_numpy(), sort=True)
    term_code, _ = pd.factorize(table["term"].to_numpy(dtype=object), sort=True)
    counts = csr_matrix((np.ones(len(part_code)), (part_code, term_code)),
                        shape=(len(parts), int(term_code.max()) + 1 if len(term_code) else 0))
    part_group, part_doc = np.divmod(np.asarray(parts, dtype=np.int64), n_docs)
    rows = []
    if len(parts):
        vectors = TfidfTransformer().fit_transform(counts)
        words = np.asarray(counts.sum(axis=1)).ravel().astype(int)
        ids = processed.corpus.ids
        for g in range(len(groups)):
            mine = np.flatnonzero(part_group == g)
            if not len(mine):
                continue
            centroid = np.asarray(vectors[mine].mean(axis=0)).ravel()
            norm = np.linalg.norm(centroid)
            similarity_ = (vectors[mine] @ (centroid / norm if norm else centroid)).ravel()
            key = groups.iloc[g].to_dict()
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
    columns = unit_groups.group_columns(group_by) + ["role", "doc", "similarity",
                                                     "content_terms"]
    return pd.DataFrame(rows, columns=columns)
