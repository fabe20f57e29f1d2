"""Distinctive and shared vocabulary of two units: the log-odds ratio with a prior.

:func:`compare_terms` is the weighted log-odds ratio with an informative Dirichlet prior of
Monroe, Colaresi & Quinn (2008) between two documents, sections, voices or groups, over the
content terms (:func:`analysis.text.terms.content_terms`, counted by the corpus's
document-feature matrix, :func:`analysis.dfm.dfm`): the score behind scattertext's
"Fightin' Words" plots. :func:`compare_groups` compares the two largest groups of a ``by``;
:func:`label_terms` picks the terms worth labelling in a vocabulary scatter. Keyness of one
unit against a reference, with G2 and effect sizes, is :mod:`analysis.keyness`.

Data flow: the input is the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process`, with units resolved by :mod:`analysis.units`; the
tables go to :mod:`analysis.narrate` (``comparison``), :mod:`analysis.plots` (the vocabulary
scatter) and the topic-comparison notebook.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import units
from analysis.dfm import dfm
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.process import Processed

__all__ = ["compare_groups", "compare_terms", "label_terms"]


@constrained(prior=OneOf("corpus", "general"),
             alpha0=[Interval(0, real=True, open=True), None],
             z_crit=Interval(0, real=True, open=True))
@shared_docs
def compare_terms(
    processed: Processed,
    a: str,
    b: str,
    *,
    by: str = "doc",
    where=None,
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
    {processed}
    a, b : str
        The two units compared (document ids, ``doc/section`` labels or voices, see ``by``).
    by : {"doc", "section", "voice"}
        What ``a`` and ``b`` name.
    {where}
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
        ties by term. ``attrs["z_crit"]`` is the threshold used, for the sentences
        (:func:`analysis.narrate.comparison`) to state.

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

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = compare_terms(process(load_corpus()), "songtao-article", "award-report")
    >>> table[["term", "count_a", "count_b", "side"]].head(3)  # doctest: +NORMALIZE_WHITESPACE
              term  count_a  count_b side
    0         cpec       30        1    a
    1  cooperation       22        2    a
    2    pakistani        8        0
    """
    processed = units.prepare(processed, by, where)
    known = units.names(processed, by)
    if len(known) < 2:
        raise ValueError(
            f"comparing terms needs two {by}s; the corpus has only one ({', '.join(known)})"
        )
    for name in (a, b):
        if name not in known:
            raise ValueError(f"{name!r} is not a {by} of the corpus (known: {', '.join(known)})")
    if a == b:
        raise ValueError(f"compare two different {by}s, not {a!r} with itself")
    d = dfm(processed, by=by, features="terms", content=True)
    terms = pd.Index(d.features, name="term")
    background = pd.Series(np.asarray(d.matrix.sum(axis=0)).ravel(), index=terms,
                           dtype=float)
    row = {label: i for i, label in enumerate(d.labels)}
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
    y_a = pd.Series(d.matrix[row[a]].toarray().ravel(), index=terms, dtype=float)
    y_b = pd.Series(d.matrix[row[b]].toarray().ravel(), index=terms, dtype=float)
    n_a, n_b = y_a.sum(), y_b.sum()
    delta = (np.log((y_a + alpha) / (n_a + alpha0 - y_a - alpha))
             - np.log((y_b + alpha) / (n_b + alpha0 - y_b - alpha)))
    variance = 1.0 / (y_a + alpha) + 1.0 / (y_b + alpha)
    z = delta / np.sqrt(variance)
    table = pd.DataFrame({
        "term": terms,
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
    table = table.reset_index(drop=True)
    table.attrs["z_crit"] = z_crit
    return table


@shared_docs
def compare_groups(processed: Processed, *, by: str = "doc", where=None,
                   **options) -> pd.DataFrame:
    """:func:`compare_terms` of the two largest groups of ``by`` (by words, ties by label).

    The comparison a report makes when it does not name two groups. With fewer than two
    groups the table is empty. ``table.attrs["a"]`` and ``["b"]`` name the groups compared.

    Parameters
    ----------
    {processed}
    {by}
    {where}
    **options
        As for :func:`compare_terms`.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = compare_groups(process(load_corpus()), by="voice")
    >>> table.attrs
    {'z_crit': 1.96, 'a': 'Song Tao', 'b': 'award report'}
    >>> table[["term", "count_a", "count_b", "side"]].head(2)  # doctest: +NORMALIZE_WHITESPACE
              term  count_a  count_b    side
    0         cpec       25        1       a
    1  cooperation       17        2  shared
    """
    processed = units.prepare(processed, by, where)
    pair = units.largest(processed, by, 2)
    if len(pair) < 2:
        table = pd.DataFrame(columns=["term", "count_a", "count_b", "per_1000_a",
                                      "per_1000_b", "alpha", "delta", "variance", "z", "side",
                                      "shared"])
        table.attrs.update(a=pair[0] if pair else "", b="")
        return table
    names = units.names(processed, by)
    a, b = sorted(pair, key=names.index)
    table = compare_terms(processed, a, b, by=by, **options)
    table.attrs.update(a=a, b=b)
    return table


@constrained(n=Interval(1, MAX_ROWS))
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

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = compare_terms(process(load_corpus()), "songtao-article", "award-report")
    >>> label_terms(table, n=1)[["term", "label_kind"]].values.tolist()
    [['cpec', 'a'], ['idcpc', 'b'], ['china', 'shared']]
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
