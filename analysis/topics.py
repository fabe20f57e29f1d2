"""Topics: NMF or LDA topic models over short segments, the number of topics by coherence.

:func:`fit_topics` fits NMF or LDA topics over segments (windows of sentences: a corpus may
have few documents, too few to fit topics on) of the *content terms*
(:func:`analysis.text.terms.content_terms`: word tokens that are not stop words and contain
a letter, with the curated multiword expressions merged), with the number of topics chosen
by NPMI coherence (Bouma 2009; Lau, Newman & Baldwin 2014; :func:`npmi_coherence`) over
``k = 3 .. min(20, segments / 5)`` (:func:`default_k_range`); UMass coherence (Mimno et
al. 2011, :func:`umass_coherence`) is reported beside it; :func:`topic_weights` and
:func:`topic_table` read them per document, section, voice or group. Distinctive vocabulary
of two units is :mod:`analysis.compare`; document similarity is :mod:`analysis.similarity`.

Units are named as in the rest of the library: ``by="doc"`` (document id), ``by="section"``
(``doc/section``, e.g. ``songtao-article/article``) or ``by="voice"`` (``newspaper``,
``Song Tao``...). scikit-learn is imported inside the functions that use it.

Scale: matrices stay sparse (segments x terms: the sentences' document-feature matrix,
:func:`analysis.dfm.dfm`, summed by segment; units x terms); the vocabulary of the topic
models is capped at :data:`MAX_TERMS` terms; :func:`choose_k` scores its models on a seeded
sample of at most :data:`CHOOSE_K_SEGMENTS` segments and :func:`fit_topics` fits on at most
:data:`FIT_SEGMENTS` (all segments then get weights); :func:`analysis.units.largest` picks the few
units a figure shows. The seeds (35 segments, about 180 terms) are below every limit, so
their results do not depend on them.

Data flow: the input is the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process`; the :class:`TopicModel` and its tables go to
:mod:`analysis.narrate` (``topics``), :mod:`analysis.plots`, the command line and the
topic-comparison notebook.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import units
from analysis.dfm import dfm
from analysis.params import Interval, OneOf, constrained, shared_docs
from analysis.progress import progress
from analysis.text.process import Processed
from analysis.text.terms import content_rows

__all__ = ["TopicModel", "choose_k", "default_k_range", "fit_topics", "npmi_coherence", "segments",
           "topic_table", "topic_weights", "umass_coherence"]

METHODS = ("nmf", "lda")


#: Smallest and largest number of topics :func:`default_k_range` tries where the corpus allows.
K_MIN = 3
K_MAX = 20
#: Fewest segments per topic, on average, of the largest k :func:`default_k_range` tries.
SEGMENTS_PER_TOPIC = 5


def default_k_range(n_segments: int, n_used: int | None = None,
                    n_terms: int | None = None) -> range:
    """The numbers of topics :func:`choose_k` tries on a corpus of ``n_segments`` segments.

    ``k = K_MIN .. min(K_MAX, n_segments // SEGMENTS_PER_TOPIC)`` (3 to 20, at most one
    topic per 5 segments): fewer than 3 topics says little about a corpus, and on a small
    corpus coherence rewards topics made of one or two segments that repeat their words, so
    a topic should rest on 5 segments on average. Where the
    corpus does not allow 3 topics (no more segments with terms, ``n_used``, than 3, or
    fewer than 3 terms, ``n_terms``), the range starts at 2; it always holds its start.

    Examples
    --------
    >>> default_k_range(35), default_k_range(1000), default_k_range(4)
    (range(3, 8), range(3, 21), range(3, 4))
    >>> default_k_range(3, n_used=3, n_terms=10)
    range(2, 3)
    """
    n_used = n_segments if n_used is None else n_used
    low = K_MIN if _feasible(K_MIN, n_used, K_MIN if n_terms is None else n_terms) else 2
    return range(low, max(low, min(K_MAX, n_segments // SEGMENTS_PER_TOPIC)) + 1)


# --------------------------------------------------------------------------- segments


def _segment_index(processed: Processed, size: int):
    """Segments (without their terms); per content term, its segment row and its term; and
    the segment row of each sentence (of :attr:`Processed.sentences`), from the corpus's
    arrays (no table of its sentences or tokens)."""
    if size < 1:
        raise ValueError(f"segment size must be at least 1 sentence, not {size}")
    c = processed.columns
    # Each sentence's section: its document, section name and voice name (ids of one
    # vocabulary of names), numbered in order of first appearance.
    section = pd.factorize(c.para_section.astype(np.int64) * len(c.names) + c.para_voice)[0]
    key = c.sent_doc.astype(np.int64) * max(int(section.max(initial=-1)) + 1, 1) \
        + section[c.sent_para]
    group = pd.factorize(key)[0].astype(np.int64)
    # Each sentence's place in its section, then its window; segments are numbered by
    # section (in order of first appearance), then window.
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group, minlength=int(group.max(initial=-1)) + 1)
    place = np.empty(len(group), dtype=np.int64)
    place[order] = np.arange(len(group)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    windows = -(-sizes // size)
    number = (np.cumsum(windows) - windows)[group] + place // size
    # Each segment's first and last sentence (its sentences are in text order).
    by_segment = np.argsort(number, kind="stable")
    bounds = np.searchsorted(number[by_segment], np.arange(int(windows.sum()) + 1))
    first, last = by_segment[bounds[:-1]], by_segment[bounds[1:] - 1]
    para = c.sent_para[first]
    segs = pd.DataFrame({"doc": processed.doc_ids[c.sent_doc[first]],
                         "section": c.names[c.para_section[para]],
                         "voice": c.names[c.para_voice[para]],
                         "first_sentence": c.sent_number[first].astype(np.int64),
                         "last_sentence": c.sent_number[last].astype(np.int64)})
    rows, code, names = content_rows(processed)
    return segs, number[c.tok_sentence[rows]], names[code], number


@shared_docs
def segments(processed: Processed, size: int = 3) -> pd.DataFrame:
    """Cut each section into windows of ``size`` consecutive sentences: the topic model's units.

    Windows never cross a section (or document) boundary, so every segment has one voice; the
    last window of a section may be shorter.

    Parameters
    ----------
    {processed}
    size : int, default 3
        Sentences per segment.

    Returns
    -------
    DataFrame
        ``segment`` (1, 2, ... in text order), ``doc, section, voice, first_sentence,
        last_sentence, terms`` (the segment's content terms, a tuple in text order),
        ``n_terms``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = segments(process(load_corpus()))
    >>> len(table)
    35
    >>> first = table[["segment", "voice", "first_sentence", "last_sentence", "n_terms"]].head(2)
    >>> first  # doctest: +NORMALIZE_WHITESPACE
       segment      voice  first_sentence  last_sentence  n_terms
    0        1  newspaper               1              3        9
    1        2  newspaper               4              6       42
    """
    segs, rows, words, _ = _segment_index(processed, size)
    return _with_terms(segs, rows, words)


def _with_terms(segs: pd.DataFrame, rows: np.ndarray, words: np.ndarray) -> pd.DataFrame:
    order = np.argsort(rows, kind="stable")
    words, bounds = words[order], np.searchsorted(rows[order], np.arange(len(segs) + 1))
    out = segs.assign(terms=[tuple(words[a:b].tolist())
                             for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
    out["n_terms"] = np.diff(bounds)
    out.insert(0, "segment", range(1, len(out) + 1))
    return out


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


def _npmi(binary, columns: list[int]) -> float:
    n = binary.shape[0]
    sub = binary[:, columns]
    co = (sub.T @ sub).toarray()
    scores = []
    for m in range(1, len(columns)):
        for lo in range(m):
            both = co[m, lo]
            if both == 0:
                scores.append(-1.0)
            elif both == n:
                scores.append(1.0)
            else:
                p_both = both / n
                pmi = math.log(p_both / ((co[m, m] / n) * (co[lo, lo] / n)))
                scores.append(pmi / -math.log(p_both))
    return float(np.mean(scores)) if scores else 0.0


def npmi_coherence(top_terms: list[str], binary, vocabulary: list[str]) -> float:
    r"""NPMI coherence of one topic over the segments (Bouma 2009; Lau et al. 2014).

    .. math::

        C(t) = \frac{2}{M(M-1)} \sum_{m=2}^{M} \sum_{l=1}^{m-1}
               \frac{\log \frac{P(v_m, v_l)}{P(v_m) P(v_l)}}{-\log P(v_m, v_l)}

    the mean normalised pointwise mutual information of the pairs of the topic's top terms
    :math:`v_1..v_M`, with :math:`P(v) = D(v)/N` and :math:`P(v, v') = D(v, v')/N` the
    shares of the :math:`N` segments holding :math:`v` (and :math:`v'`): the corpus's own
    document co-occurrence, segments being the model's documents. A pair that never
    co-occurs scores -1 (the limit of NPMI), one that occurs in every segment 1. It runs
    from -1 to 1; higher is more coherent. Unlike UMass (:func:`umass_coherence`), which
    rewards topics of frequent words and so falls as ``k`` grows on real corpora, NPMI
    divides out the terms' own frequencies; Lau et al. found it the automatic measure
    closest to human ratings of topics.

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
    Bouma, G. (2009). Normalized (pointwise) mutual information in collocation extraction.
    *Proceedings of GSCL 2009*, 31-40 (NPMI, p. 33).
    Lau, J. H., Newman, D. & Baldwin, T. (2014). Machine reading tea leaves: automatically
    evaluating topic coherence and topic model quality. *EACL 2014*, 530-539 (NPMI as topic
    coherence, pp. 531-532).

    Examples
    --------
    Four segments: ``a`` in 3, ``b`` in 2, both in 1, so NPMI(a, b) is
    :math:`\log((1/4) / ((3/4)(2/4))) / -\log(1/4) = \log(2/3) / \log 4`.

    >>> binary = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 1], [0, 1, 1]])
    >>> round(npmi_coherence(["a", "b"], binary, ["a", "b", "c"]), 4)
    -0.2925
    """
    index = {t: i for i, t in enumerate(vocabulary)}
    return _npmi(_binary(binary), [index[t] for t in top_terms])


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

    Examples
    --------
    Four segments over three terms: ``a`` is in 3 segments, ``b`` and ``c`` in 2, each pair
    in 1, so the pair (b, a) gives :math:`\log(2/3)`, (c, a) :math:`\log(2/3)` and (c, b)
    :math:`\log(2/2) = 0`.

    >>> binary = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 1], [0, 1, 1]])
    >>> round(umass_coherence(["a", "b"], binary, ["a", "b", "c"]), 4)
    -0.4055
    >>> round(umass_coherence(["a", "b", "c"], binary, ["a", "b", "c"]), 4)
    -0.8109
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
    segs, rows, words, number = _segment_index(processed, size)
    # Segment x term counts: the sentences' document-feature matrix summed by segment.
    sentences = dfm(processed, by="sentence", features="terms", content=True)
    raw = sentences.group(number, segs.assign(segment=np.arange(1, len(segs) + 1)),
                          "segment")
    return _Prepared(segs, rows, words, raw.matrix, raw.features.tolist())


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


#: Threads :func:`choose_k` fits its models on.
SWEEP_THREADS = 2
#: Most segments :func:`choose_k` fits its trial models on; a larger corpus is sampled.
CHOOSE_K_SEGMENTS = 1000
#: Most segments :func:`fit_topics` fits the model on; the others are projected onto it.
FIT_SEGMENTS = 6000
#: Most terms the models use: those in ``min_df`` segments or more, the most frequent first.
MAX_TERMS = 5000
#: Most topics a model is asked for, sentences a segment holds, and top terms a topic lists.
MAX_TOPICS = 50
MAX_SEGMENT = 50
MAX_TOP_TERMS = 100


@shared_docs
def choose_k(processed: Processed, method: str = "nmf", k_range=None, size: int = 3,
             min_df: int = 2, top_n: int = 10, seed: int = 0,
             max_segments: int | None = CHOOSE_K_SEGMENTS,
             max_terms: int | None = MAX_TERMS, *, where=None) -> pd.DataFrame:
    r"""Score each number of topics by mean NPMI coherence and mark the best.

    The criterion: the ``k`` with the highest mean NPMI coherence (:func:`npmi_coherence`,
    Bouma 2009, p. 33; as a topic coherence Lau, Newman & Baldwin 2014, pp. 531-532) of the
    topics' ``top_n`` terms over the segments,

    .. math:: \hat k = \arg\max_k \frac{1}{k} \sum_{t=1}^{k} C_{NPMI}(t),

    ties to the smaller ``k`` (at 6 decimals), over ``k = 3 .. min(20, segments / 5)`` by
    default (:func:`default_k_range`). Mean UMass coherence (:func:`umass_coherence`, Mimno et al.
    2011) is reported beside it but not used: on real corpora it is highest for the fewest
    topics (topics of the most frequent words co-occur everywhere), which chose k = 2 for
    corpora of hundreds of speeches. For NMF the reconstruction error (Frobenius norm of
    TF-IDF minus W H) is reported too, for an elbow reading; it always falls as ``k`` grows.
    Every model is seeded (``seed``): the table is the same on every run.

    On a corpus of more than ``max_segments`` segments, every model is fitted and scored on
    the same random sample of ``max_segments`` segments, drawn without replacement with
    ``numpy.random.default_rng(seed)``, exactly as if the sample were the corpus (its own
    ``min_df`` filter, idf and coherence counts): a choice among a few values of ``k`` does
    not need every segment, and the sample keeps the cost flat as the corpus grows. A
    smaller corpus (the seeds give 35 segments) is used whole.

    Parameters
    ----------
    {processed}
    {where}
    method : {"nmf", "lda"}
    k_range : iterable of int, optional
        Numbers of topics tried (those the corpus is too small for are skipped); default
        :func:`default_k_range` of the segments scored.
    size, min_df, top_n, seed, max_terms
        As in :func:`fit_topics`.
    max_segments : int or None, default :data:`CHOOSE_K_SEGMENTS`
        Largest number of segments used; None uses every segment.

    Returns
    -------
    DataFrame
        ``k, npmi, umass, reconstruction_error, chosen`` (one row per feasible k), with
        ``attrs["segments"]`` the number of segments scored.

    Raises
    ------
    ValueError
        If no k of the range can be fitted on this corpus.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = choose_k(process(load_corpus()))
    >>> table["k"].tolist(), int(table.loc[table["chosen"], "k"].iloc[0])
    ([3, 4, 5, 6, 7], 5)
    """
    processed = units.select(processed, where)
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
    rows = _sample(prep.raw.shape[0], max_segments, seed)
    counts, vocabulary, n_used, n_segs = _restrict(prep, rows, min_df, max_terms)
    if k_range is None:
        k_range = default_k_range(n_segs, n_used, len(vocabulary))
    k_range = list(k_range)
    ks = [k for k in k_range if _feasible(k, n_used, len(vocabulary))]
    if not ks:
        k_min = min(k_range) if k_range else 2
        raise ValueError(_too_small(k_min, n_segs, n_used, len(vocabulary), size, min_df))
    binary = _binary(counts)
    out = []
    # The models of the several k are independent: fitted on two threads (the solvers and
    # sparse products run without the interpreter's lock), the largest k first, so that the
    # last fits to finish are short; each model is the one a fit alone gives.
    with ThreadPoolExecutor(max_workers=SWEEP_THREADS) as pool:
        futures = {k: pool.submit(_fit, counts, k, method, seed)
                   for k in sorted(ks, reverse=True)}
        fits = {k: futures[k].result() for k in progress(ks, desc="numbers of topics",
                                                          unit="k")}
    for k in ks:
        _weights, components, error = fits[k]
        index = {t: i for i, t in enumerate(vocabulary)}
        tops = [[index[t] for t, _ in _top(c, vocabulary, top_n)] for c in components]
        out.append({"k": k, "npmi": round(float(np.mean([_npmi(binary, t) for t in tops])), 6),
                    "umass": round(float(np.mean([_umass(binary, t) for t in tops])), 6),
                    "reconstruction_error": round(error, 6)})
    table = pd.DataFrame(out)
    best = table.sort_values(["npmi", "k"], ascending=[False, True]).iloc[0]["k"]
    table["chosen"] = table["k"] == best
    table.attrs["segments"] = n_segs
    return table


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")


@constrained(k=[Interval(1, MAX_TOPICS), None], method=OneOf(*METHODS),
             size=Interval(1, MAX_SEGMENT))
@shared_docs
def fit_topics(processed: Processed, k: int | None = None, method: str = "nmf",
               size: int = 3, min_df: int = 2, top_n: int = 10, k_range=None,
               seed: int = 0, selection: pd.DataFrame | None = None,
               max_segments: int | None = FIT_SEGMENTS,
               max_terms: int | None = MAX_TERMS, too_small: str = "raise", *,
               where=None) -> TopicModel:
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
    {processed}
    {where}
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
    k_range : iterable of int, optional
        Numbers of topics tried when ``k`` and ``selection`` are None (default: those of
        :func:`default_k_range`).
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

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> model = fit_topics(process(load_corpus()), k=2)
    >>> model.k, model.method, len(model.segments)
    (2, 'nmf', 35)
    >>> model.terms.columns.tolist()
    ['topic', 'label', 'rank', 'term', 'weight']
    """
    processed = units.select(processed, where)
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


@shared_docs
def topic_weights(model: TopicModel, *, by: str = "doc", where=None) -> pd.DataFrame:
    """Topic weight per document, section or voice.

    A unit's weight for topic :math:`t` is the mean, over the unit's segments that have kept
    terms, of the segments' topic proportions: each segment counts once, whatever its length.
    The weights of a unit sum to 1.

    Parameters
    ----------
    model : TopicModel
        Output of :func:`fit_topics`.
    {by}
    {where}

    Returns
    -------
    DataFrame
        The group columns of ``by`` (:func:`analysis.units.group_columns`), then ``unit``
        (the group's label), ``topic, label, weight, segments``; groups in their order,
        topics in order. :func:`analysis.units.keep` keeps a few groups.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> weights = topic_weights(fit_topics(process(load_corpus()), k=2), by="voice")
    >>> weights[["unit", "topic", "segments"]].head(3)  # doctest: +NORMALIZE_WHITESPACE
            unit  topic  segments
    0  newspaper      1         4
    1  newspaper      2         4
    2   Song Tao      1        17
    >>> weights.groupby("unit", sort=False)["weight"].sum().round(2).tolist()
    [1.0, 1.0, 1.0]
    """
    processed = units.prepare(model.processed, by, where)
    segs = units.restrict(model.segments, processed)
    codes, groups = units.codes(processed, segs, by)
    labels = units.row_labels(groups, by).tolist()
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


@constrained(n_terms=Interval(1, MAX_TOP_TERMS))
@shared_docs
def topic_table(model: TopicModel, n_terms: int = 8, *, by: str = "doc",
                where=None) -> pd.DataFrame:
    """One row per topic: its top terms and its weight in each unit (a column per unit).

    Parameters
    ----------
    model : TopicModel
        Output of :func:`fit_topics`.
    n_terms : int, default 8
        Top terms listed.
    by : str, default "doc"
        The weight columns: a unit or document variable (:func:`topic_weights`).
    {where}

    Returns
    -------
    DataFrame
        ``topic, top_terms`` (comma-separated, best first) and one weight column per unit.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = topic_table(fit_topics(process(load_corpus()), k=2), n_terms=3, by="voice")
    >>> table.columns.tolist()
    ['topic', 'top_terms', 'newspaper', 'Song Tao', 'award report']
    >>> table["topic"].tolist()
    [1, 2]
    """
    weights = topic_weights(model, by=by, where=where)
    wide = weights.pivot(index="topic", columns="unit", values="weight")
    wide = wide[list(dict.fromkeys(weights["unit"]))]
    top = model.terms[model.terms["rank"] <= n_terms].groupby("topic")["term"].agg(", ".join)
    table = pd.DataFrame({"topic": top.index, "top_terms": top.to_numpy()})
    table = table.merge(wide.reset_index(), on="topic")
    table.columns.name = None
    return table
