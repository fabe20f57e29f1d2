"""Keyness: which terms are over- or under-used in a target compared with a reference.

For each term, with ``a`` = its count in the target, ``b`` = its count in the reference,
``c`` = words in the target and ``d`` = words in the reference (the notation of Rayson &
Garside 2000 and of the UCREL log-likelihood calculator):

log-likelihood G2, four-cell form (default)
    Dunning (1993), the G-test of the full 2x2 table ``[[a, b], [c-a, d-b]]``; the form AntConc
    uses by default ("Log-Likelihood (4-term)")::

        G2 = 2 * sum(O_ij * ln(O_ij / E_ij)),  E_ij = row_i * column_j / (c + d)

    It is the likelihood-ratio statistic of a 2x2 contingency table, whose asymptotic
    distribution is chi-square with 1 degree of freedom, hence the default.
log-likelihood G2, two-cell form (``form="two-cell"``)
    Rayson & Garside (2000), as in the UCREL log-likelihood calculator
    (https://ucrel.lancs.ac.uk/llwizard.html)::

        E1 = c * (a + b) / (c + d),  E2 = d * (a + b) / (c + d)
        G2 = 2 * (a * ln(a / E1) + b * ln(b / E2))

    It leaves out the cells of "all other words"; the two forms agree closely when the term
    is a small share of both texts (the calculator's example: 52 in 50,000 words against 57 in
    75,000 gives 2.65 with both). In both forms ``0 * ln(0) = 0``.
p_value
    ``P(chi2(1 df) >= G2)`` (``scipy.stats.chi2.sf``). With thousands of terms tested, treat it
    as a ranking aid, not as a test per term (3.84 = p 0.05, 6.63 = p 0.01, 10.83 = p 0.001).
log_ratio
    Hardie (2014), the binary log of the ratio of relative frequencies::

        log_ratio = log2((a / c) / (b / d))

    A zero count is replaced by 0.5 (Hardie's rule in CQPweb), so a term absent from one side
    gets a finite, conservative value. 1 means twice as frequent, -1 half as frequent.
pct_diff
    Gabrielatos & Marchi (2011), %DIFF::

        pct_diff = (a / c - b / d) * 100 / (b / d)

    It is -100 for a term absent from the target and undefined for a term absent from the
    reference: this module returns ``inf`` there (Gabrielatos & Marchi divide by a tiny number
    such as 1e-18 instead, which gives an arbitrarily large finite value; ``inf`` says the
    same without pretending to a magnitude).
direction
    ``positive`` where the target's relative frequency is higher (a keyword), ``negative``
    where it is lower (a negative keyword), ``equal`` otherwise.

The reference is another document, a section (``DOC:SECTION``), the rest of the corpus, or
general English: reference counts ``b = word_frequency(term, "en") * general_size`` from the
``wordfreq`` package (for a multiword term, wordfreq's estimate for the phrase), with
``d = general_size``. wordfreq does not publish one corpus size: its English list blends
several sources of billions of tokens, and its smallest listed frequencies are about 1e-8.
We assume ``general_size = 1,000,000,000`` words (1e-8 * 1e9 = 10 occurrences, so the
smallest listed frequency is still a count, not a fraction). Because the reference is then
hundreds of thousands of times larger than any text here, G2, log ratio and %DIFF hardly move
with it (the reference acts as known population proportions): change ``general_size`` to
check. A term wordfreq does not list gets ``b = 0`` (log ratio: 0.5 rule; %DIFF: inf).

References
----------
Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
*Computational Linguistics* 19(1), 61-74.
Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling. *Proceedings of
the Workshop on Comparing Corpora*, ACL 2000, 1-6.
Hardie, A. (2014). Log Ratio: an informal introduction. CASS blog, Lancaster University.
Gabrielatos, C. & Marchi, A. (2011). Keyness: matching metrics to definitions. Corpus
Linguistics in the South 5, University of Portsmouth.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.special import xlogy
from scipy.stats import chi2

from analysis.frequency import (
    _check_docs,
    _occurrences,
    parse_unit,
    stem_labels,
    term_counts,
)
from analysis.text import Processed

__all__ = [
    "COLUMNS",
    "FORMS",
    "GENERAL",
    "GENERAL_SIZE",
    "REST",
    "keyness",
    "keywords_by_doc",
    "log_likelihood",
    "log_ratio",
    "pct_diff",
    "top_keywords",
]

GENERAL = "general"
REST = "rest"
#: Assumed size in words of the general-English reference (see module docstring).
GENERAL_SIZE = 1_000_000_000
FORMS = ("four-cell", "two-cell")
COLUMNS = ["term", "target_count", "reference_count", "target_per_1000", "reference_per_1000",
           "g2", "p_value", "log_ratio", "pct_diff", "direction"]


def log_likelihood(a, b, c, d, form: str = "four-cell") -> np.ndarray:
    """Log-likelihood G2 of a term's counts in two texts.

    Parameters
    ----------
    a, b : array-like
        The term's count in the target and in the reference.
    c, d : array-like
        Words in the target and in the reference.
    form : {"four-cell", "two-cell"}
        Dunning (1993) on the full 2x2 table (AntConc's default), or Rayson & Garside (2000)
        on the term's two cells (UCREL calculator); formulas in the module docstring.

    Returns
    -------
    ndarray
        G2 (>= 0) for each term.
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    total = c + d
    e1 = c * (a + b) / total
    e2 = d * (a + b) / total
    # xlogy(x, x / e) is x * ln(x / e) with 0 * ln(0) = 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = xlogy(a, a / e1) + xlogy(b, b / e2)
        if form == "four-cell":
            rest = total - a - b
            g2 = g2 + xlogy(c - a, (c - a) / (c * rest / total)) + xlogy(
                d - b, (d - b) / (d * rest / total)
            )
        elif form != "two-cell":
            raise ValueError(f"form must be one of {', '.join(FORMS)}, not {form!r}")
    return np.maximum(2 * np.nan_to_num(g2), 0.0)


def log_ratio(a, b, c, d) -> np.ndarray:
    """Hardie's (2014) Log Ratio ``log2((a/c) / (b/d))``, a zero count replaced by 0.5."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    a = np.where(a == 0, 0.5, a)
    b = np.where(b == 0, 0.5, b)
    return np.log2((a / c) / (b / d))


def pct_diff(a, b, c, d) -> np.ndarray:
    """Gabrielatos & Marchi's (2011) %DIFF ``(a/c - b/d) * 100 / (b/d)``; ``inf`` if ``b == 0``."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    nf_target, nf_ref = a / c, b / d
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(nf_ref == 0, np.inf, (nf_target - nf_ref) * 100 / nf_ref)


@lru_cache(maxsize=500_000)
def _english_frequency(term: str) -> float:
    """wordfreq's frequency of a term in English, looked up once per distinct term."""
    from wordfreq import word_frequency

    return word_frequency(term, "en")


def _general_counts(terms: pd.Index, size: float) -> pd.Series:
    return pd.Series([_english_frequency(t) * size for t in terms], index=terms, dtype=float)


def _scores(av: np.ndarray, bv: np.ndarray, c, d, *, general: bool, form: str) -> dict:
    """Every computed column of a keyness table (see module docstring), as arrays."""
    relative = av / c - bv / d
    return {
        "target_per_1000": (av / c * 1000).round(3),
        "reference_per_1000": (bv / d * 1000).round(6 if general else 3),
        "g2": log_likelihood(av, bv, c, d, form=form).round(4),
        "log_ratio": log_ratio(av, bv, c, d).round(4),
        "pct_diff": pct_diff(av, bv, c, d).round(2),
        "direction": np.select([relative > 0, relative < 0], ["positive", "negative"],
                               "equal"),
    }


def _table(a: pd.Series, b: pd.Series, c, d, scores: dict, general: bool) -> pd.DataFrame:
    """A keyness table of the terms of ``a`` (unsorted), from :func:`_scores` arrays."""
    table = pd.DataFrame({"term": a.index, "target_count": a.to_numpy(),
                          "reference_count": b.reindex(a.index).to_numpy()})
    for column in ("target_per_1000", "reference_per_1000"):
        table[column] = scores[column]
    if general:
        table["reference_count"] = table["reference_count"].round(1)
    table["g2"] = scores["g2"]
    table["p_value"] = chi2.sf(table["g2"], 1)
    for column in ("log_ratio", "pct_diff", "direction"):
        table[column] = scores[column]
    return table


def keyness(
    processed: Processed,
    target: str,
    reference: str = REST,
    *,
    form: str = "four-cell",
    min_count: int = 2,
    stopwords: bool = False,
    stem: bool = False,
    mwe: bool = True,
    ngram: int = 1,
    general_size: float = GENERAL_SIZE,
) -> pd.DataFrame:
    """Keywords of a target against a reference, positive and negative.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process`.
    target : str
        A document id or ``DOC:SECTION``.
    reference : str, default "rest"
        A document id, ``DOC:SECTION``, ``"rest"`` (the corpus without the target) or
        ``"general"`` (general English from ``wordfreq``, size ``general_size``).
    form : {"four-cell", "two-cell"}, default "four-cell"
        Which log-likelihood (see module docstring).
    min_count : int, default 2
        Keep a term counted at least this often in the target or (for a corpus reference) in
        the reference. Against general English only terms of the target are tested (every
        English word is "in" the reference), so negative keywords there are terms the target
        uses, but less than general English does.
    stopwords, stem, mwe, ngram
        Which terms are counted, as in :func:`analysis.frequency.frequency` (default: stop
        words dropped, multiword expressions merged).
    general_size : float, default 1e9
        Assumed size in words of the general-English reference.

    Returns
    -------
    DataFrame
        ``term, target_count, reference_count, target_per_1000, reference_per_1000, g2,
        p_value, log_ratio, pct_diff, direction``, ordered by G2 (descending), then term.
        ``reference_count`` is a float (an expected count) for the general reference.

    Raises
    ------
    KeyError
        Unknown document or section.
    ValueError
        Target and reference are the same, or the reference is empty.
    """
    opts = dict(stopwords=stopwords, stem=stem, mwe=mwe, ngram=ngram)
    target_unit = parse_unit(processed, target)
    a, c = term_counts(processed, *target_unit, **opts)
    if c == 0:
        raise ValueError(f"target {target!r} has no words")
    if reference == GENERAL:
        a = a[a >= min_count]
        b, d = _general_counts(a.index, general_size), float(general_size)
    else:
        if reference == REST:
            b, d = term_counts(processed, None, None, exclude=target_unit, **opts)
        else:
            ref_unit = parse_unit(processed, reference)
            if ref_unit == target_unit:
                raise ValueError(f"target and reference are the same ({target!r})")
            b, d = term_counts(processed, *ref_unit, **opts)
        if d == 0:
            raise ValueError(f"reference {reference!r} has no words")
        index = a.index.union(b.index)
        a, b = a.reindex(index, fill_value=0), b.reindex(index, fill_value=0)
        keep = (a >= min_count) | (b >= min_count)
        a, b = a[keep], b[keep]
    general = reference == GENERAL
    av = a.to_numpy(float)
    bv = b.reindex(a.index).to_numpy(float)
    table = _table(a, b, c, d, _scores(av, bv, c, d, general=general, form=form), general)
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort")
    return table[COLUMNS].reset_index(drop=True)


def top_keywords(table: pd.DataFrame, n: int = 20, direction: str = "both") -> pd.DataFrame:
    """The ``n`` strongest keywords of a :func:`keyness` table by G2.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`keyness`.
    n : int, default 20
        Rows per direction.
    direction : {"both", "positive", "negative"}
        ``both``: the top ``n`` positive keywords, then the top ``n`` negative ones.

    Returns
    -------
    DataFrame
        The selected rows, in G2 order within each direction.
    """
    if direction not in ("both", "positive", "negative"):
        raise ValueError(f"direction must be both, positive or negative, not {direction!r}")
    wanted = ["positive", "negative"] if direction == "both" else [direction]
    parts = [table[table["direction"] == d].head(n) for d in wanted]
    return pd.concat(parts, ignore_index=True)


def keywords_by_doc(
    processed: Processed, reference: str = REST, n: int = 20, direction: str = "both",
    **options,
) -> pd.DataFrame:
    """Top keywords of every document against the same kind of reference.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process`.
    reference : {"rest", "general"}, default "rest"
        Each document against the rest of the corpus, or against general English.
    n : int, default 20
        Keywords per document and direction (see :func:`top_keywords`).
    direction : {"both", "positive", "negative"}
        Which keywords to keep.
    **options
        Passed to :func:`keyness` (``form``, ``min_count``, ``stopwords``...).

    Returns
    -------
    DataFrame
        ``target`` (the document id) followed by the columns of :func:`keyness`, documents in
        corpus order.
    """
    if reference not in (REST, GENERAL):
        raise ValueError(f"reference must be {REST!r} or {GENERAL!r}, not {reference!r}")
    frames = []
    for doc_id in processed.corpus.ids:
        table = top_keywords(keyness(processed, doc_id, reference, **options), n, direction)
        frames.append(table.assign(target=doc_id))
    table = pd.concat(frames, ignore_index=True)
    return table[["target"] + COLUMNS]
