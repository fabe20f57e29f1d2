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

The columns after ``direction`` are further measures analysts compare across tools (the
command line shows them with ``--measures``):

simple_maths
    Kilgarriff (2009), "Simple Maths", the ratio of the frequencies per million words, each
    plus a smoothing constant ``N`` (``smoothing``, default 1)::

        simple_maths = (a / c * 1e6 + N) / (b / d * 1e6 + N)

    A larger ``N`` favours frequent words, a smaller one rare words; 1 means equal rates.
odds_ratio, or_low, or_high
    The sample odds ratio of the 2x2 table and its 95 % confidence interval by Woolf's (1955)
    logit method (as ``scipy.stats.contingency.odds_ratio(kind="sample")``)::

        OR = (a / (c - a)) / (b / (d - b))
        se = sqrt(1/a + 1/(c - a) + 1/b + 1/(d - b))
        or_low, or_high = exp(ln(OR) -/+ 1.959964 * se)

    A table with a zero cell gets 0.5 added to each of its four cells first (the
    Haldane-Anscombe correction), so the ratio and its interval stay finite.
chi2_yates
    Pearson's chi-square of the 2x2 table ``[[a, b], [c-a, d-b]]`` with Yates's (1934)
    continuity correction (as ``scipy.stats.chi2_contingency(correction=True)``)::

        chi2_yates = sum(max(|O_ij - E_ij| - 0.5, 0) ** 2 / E_ij)
fisher_p
    The two-sided p of Fisher's exact test of that table, as ``scipy.stats.fisher_exact``
    (the probability, under the hypergeometric distribution of ``a`` given the margins, of
    the tables no more likely than the observed one), computed where the chi-square
    approximations are doubtful: where an expected count ``E_ij`` is below 5 (Cochran's
    rule). Elsewhere it is empty (NaN): ``p_value`` serves there. Not computed against
    general English (its reference counts are estimates, not counts).

Target and reference are documents, sections (``DOC:SECTION``), groups of documents given by their
variables (``genre=news``, see :mod:`analysis.units`), the rest of the corpus, or general English.
A group's counts are the sums of its documents' counts, so the keyness of a group is the two-unit
formula applied to the summed counts. General English is reference counts ``b =
word_frequency(term, "en") * general_size`` from the ``wordfreq`` package (for a multiword term,
wordfreq's estimate for the phrase), with ``d = general_size``. wordfreq does not publish one
corpus size: its English list blends several sources of billions of tokens, and its smallest listed
frequencies are about 1e-8. We assume ``general_size = 1,000,000,000`` words (1e-8 * 1e9 = 10
occurrences, so the smallest listed frequency is still a count, not a fraction). Because the
reference is then hundreds of thousands of times larger than any text here, G2, log ratio and %DIFF
hardly move with it (the reference acts as known population proportions): change ``general_size``
to check. A term wordfreq does not list gets ``b = 0`` (log ratio: 0.5 rule; %DIFF: inf).

References
----------
Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
*Computational Linguistics* 19(1), 61-74.
Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling. *Proceedings of
the Workshop on Comparing Corpora*, ACL 2000, 1-6.
Hardie, A. (2014). Log Ratio: an informal introduction. CASS blog, Lancaster University.
Gabrielatos, C. & Marchi, A. (2011). Keyness: matching metrics to definitions. Corpus
Linguistics in the South 5, University of Portsmouth.
Kilgarriff, A. (2009). Simple maths for keywords. *Proceedings of Corpus Linguistics 2009*,
University of Liverpool.
Woolf, B. (1955). On estimating the relation between blood group and disease. *Annals of
Human Genetics* 19(3), 251-253.
Yates, F. (1934). Contingency tables involving small numbers and the chi-square test.
*Supplement to the Journal of the Royal Statistical Society* 1(2), 217-235.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import engines, units
from analysis.frequency import (
    _index_counts,
    _index_counts_terms,
    code_counts,
    counted_codes,
    sorted_vocabulary,
    stem_labels,
    unit_counts,
)
from analysis.params import MAX_ROWS, Interval, OneOf, check, constrained, shared_docs
from analysis.text.process import Processed, ranges

__all__ = [
    "COLUMNS",
    "FORMS",
    "GENERAL",
    "GENERAL_SIZE",
    "MEASURES",
    "REST",
    "chi2_yates",
    "fisher_p",
    "keyness",
    "key_terms",
    "keywords_by",
    "log_likelihood",
    "log_ratio",
    "measure_columns",
    "odds_ratio",
    "pct_diff",
    "simple_maths",
    "top_keywords",
]

GENERAL = "general"
REST = "rest"
#: Assumed size in words of the general-English reference (see module docstring).
GENERAL_SIZE = 1_000_000_000
FORMS = ("four-cell", "two-cell")
#: Further measures (after ``direction``): name -> the columns it fills.
MEASURES = {"simple_maths": ["simple_maths"], "odds_ratio": ["odds_ratio", "or_low", "or_high"],
            "chi2_yates": ["chi2_yates"], "fisher": ["fisher_p"]}
COLUMNS = ["term", "target_count", "reference_count", "target_per_1000", "reference_per_1000",
           "g2", "p_value", "log_ratio", "pct_diff", "direction",
           *[column for columns in MEASURES.values() for column in columns]]
#: The 97.5 % point of the standard normal, for 95 % intervals.
_Z95 = 1.959963984540054
#: Fisher's test where an expected count is below this (Cochran's rule).
_FISHER_BELOW = 5.0


@constrained(form=OneOf(*FORMS))
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

    Examples
    --------
    >>> log_likelihood([10], [3], [10], [31767]).round(2)  # Dunning (1993), p. 72
    array([167.23])
    """
    # scipy.special imported where used (and not scipy.stats, a second more): importing the
    # module costs a test collection or a command that tests no keyness nothing.
    from scipy.special import xlogy

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
    return np.maximum(2 * np.nan_to_num(g2), 0.0)


def log_ratio(a, b, c, d) -> np.ndarray:
    """Hardie's (2014) Log Ratio ``log2((a/c) / (b/d))``, a zero count replaced by 0.5.

    Examples
    --------
    >>> log_ratio([4], [1], [1000], [1000])  # four times as frequent: 2 doublings
    array([2.])
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    a = np.where(a == 0, 0.5, a)
    b = np.where(b == 0, 0.5, b)
    return np.log2((a / c) / (b / d))


def pct_diff(a, b, c, d) -> np.ndarray:
    """Gabrielatos & Marchi's (2011) %DIFF ``(a/c - b/d) * 100 / (b/d)``; ``inf`` if ``b == 0``.

    Examples
    --------
    >>> pct_diff([30], [10], [1000], [2000])  # 30 against 5 per 1,000 words: +500 %
    array([500.])
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    nf_target, nf_ref = a / c, b / d
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(nf_ref == 0, np.inf, (nf_target - nf_ref) * 100 / nf_ref)


@constrained(smoothing=Interval(0, real=True, open=True))
def simple_maths(a, b, c, d, smoothing: float = 1.0) -> np.ndarray:
    """Kilgarriff's (2009) Simple Maths keyness ``(fpm_target + N) / (fpm_reference + N)``.

    Parameters
    ----------
    a, b : array-like
        The term's count in the target and in the reference.
    c, d : array-like
        Words in the target and in the reference.
    smoothing : float, default 1
        Kilgarriff's ``N``, added to both frequencies per million words; finite, above 0.

    Returns
    -------
    ndarray
        The ratio (1 = equal rates).

    Examples
    --------
    >>> float(simple_maths(10, 1, 1_000_000, 1_000_000))  # (10 + 1) / (1 + 1)
    5.5
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    return (a / c * 1e6 + smoothing) / (b / d * 1e6 + smoothing)


def odds_ratio(a, b, c, d) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Odds ratio of the table ``[[a, b], [c-a, d-b]]`` and its 95 % interval (Woolf 1955).

    Parameters
    ----------
    a, b : array-like
        The term's count in the target and in the reference.
    c, d : array-like
        Words in the target and in the reference.

    Returns
    -------
    odds_ratio, low, high : ndarray
        ``(a / (c-a)) / (b / (d-b))`` and the bounds ``exp(ln OR -/+ 1.96 se)``,
        ``se = sqrt(1/a + 1/(c-a) + 1/b + 1/(d-b))`` (Woolf's logit method); a table with a
        zero cell has 0.5 added to each cell first (Haldane-Anscombe).

    Examples
    --------
    >>> ratio, low, high = odds_ratio(10, 3, 100, 100)
    >>> [round(float(x), 4) for x in (ratio, low, high)]
    [3.5926, 0.9581, 13.4716]
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    cells = np.broadcast_arrays(a, b, c - a, d - b)
    zero = np.logical_or.reduce([x == 0 for x in cells])
    k11, k12, k21, k22 = (np.where(zero, x + 0.5, x) for x in cells)
    log_or = np.log(k11) + np.log(k22) - np.log(k12) - np.log(k21)
    se = np.sqrt(1 / k11 + 1 / k12 + 1 / k21 + 1 / k22)
    return np.exp(log_or), np.exp(log_or - _Z95 * se), np.exp(log_or + _Z95 * se)


def _expected(a, b, c, d) -> list[np.ndarray]:
    """Expected counts of the cells ``a, b, c-a, d-b`` under independence."""
    total = c + d
    return [c * (a + b) / total, d * (a + b) / total, c * (total - a - b) / total,
            d * (total - a - b) / total]


def chi2_yates(a, b, c, d) -> np.ndarray:
    """Pearson's chi-square of ``[[a, b], [c-a, d-b]]`` with Yates's (1934) correction.

    ``sum(max(|O - E| - 0.5, 0) ** 2 / E)`` over the four cells, as
    ``scipy.stats.chi2_contingency(table, correction=True)``.

    Examples
    --------
    >>> round(float(chi2_yates(10, 3, 100, 100)), 4)
    2.9617
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    observed = [a, b, c - a, d - b]
    total = np.zeros(np.broadcast(a, b, c, d).shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, _expected(a, b, c, d), strict=True):
            total = total + np.maximum(np.abs(o - e) - 0.5, 0) ** 2 / e
    return np.nan_to_num(total)


def _chi2_sf(x) -> np.ndarray:
    """``scipy.stats.chi2.sf(x, 1)``: scipy computes it as ``chdtrc(1, x)``, and gives 1
    below 0 (a G2 of -1e-15 from rounding).

    Examples
    --------
    >>> from scipy.stats import chi2
    >>> x = np.array([-1e-15, 0.0, 3.84, 167.23])
    >>> bool(np.array_equal(_chi2_sf(x), chi2.sf(x, 1)))
    True
    """
    from scipy.special import chdtrc  # where used, as in log_likelihood

    return chdtrc(1, np.maximum(x, 0.0))


def _hypergeom_logpmf(k, total, good, drawn) -> np.ndarray:
    """``scipy.stats.hypergeom.logpmf(k, total, good, drawn)`` for valid arguments: scipy's
    own formula (``hypergeom_gen._logpmf``) in beta functions.

    Examples
    --------
    >>> from scipy.stats import hypergeom
    >>> k, total, good, drawn = np.array([0, 1, 3]), 7, 3, np.array([3, 3, 4])
    >>> bool(np.array_equal(_hypergeom_logpmf(k, total, good, drawn),
    ...                     hypergeom.logpmf(k, total, good, drawn)))
    True
    """
    bad = total - good
    from scipy.special import betaln  # where used, as in log_likelihood

    return (betaln(good + 1, 1) + betaln(bad + 1, 1) + betaln(total - drawn + 1, drawn + 1)
            - betaln(k + 1, good - k + 1) - betaln(drawn - k + 1, bad - drawn + k + 1)
            - betaln(total + 1, 1))


def fisher_p(a, b, c, d, *, below: float | None = _FISHER_BELOW) -> np.ndarray:
    """Two-sided p of Fisher's exact test of ``[[a, b], [c-a, d-b]]``, vectorised.

    The same p as ``scipy.stats.fisher_exact(table)`` (scipy's rule for "no more likely
    than the observed table": a probability at most ``1 + 1e-7`` times the observed one),
    computed with ``scipy.stats.hypergeom`` over every possible ``a`` given the margins, once
    per distinct table (a loop over scipy's ``fisher_exact`` would take a millisecond per
    term on a corpus of a million words).

    Parameters
    ----------
    a, b, c, d : array-like of int
        Counts and sizes, as in :func:`log_likelihood`.
    below : float or None, default 5
        Only tables with an expected count below this (Cochran's rule: where the chi-square
        approximations are doubtful); the others get NaN. None: every table.

    Returns
    -------
    ndarray
        p in [0, 1] (NaN where not computed).

    Examples
    --------
    >>> round(float(fisher_p(3, 0, 3, 4)), 4)  # [[3, 0], [0, 4]]: 2 / 35
    0.0286
    """
    a, b, c, d = (np.broadcast_to(np.asarray(x, dtype=np.int64), np.broadcast(a, b, c, d).shape)
                  for x in (a, b, c, d))
    out = np.full(a.shape, np.nan)
    chosen = np.ones(a.shape, dtype=bool)
    if below is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            chosen = np.minimum.reduce(_expected(*(x.astype(float) for x in (a, b, c, d)))) \
                < below
    if not chosen.any():
        return out
    tables, inverse = np.unique(np.stack([x[chosen] for x in (a, b, c, d)], axis=1), axis=0,
                                return_inverse=True)
    ta, tb, tc, td = tables.T
    total, hits = tc + td, ta + tb  # a ~ hypergeom(M=total, n=hits, N=c)
    lo = np.maximum(0, hits - td)
    hi = np.minimum(hits, tc)
    x, owner = ranges(lo, hi + 1)
    log_pmf = _hypergeom_logpmf(x, total[owner], hits[owner], tc[owner])
    observed = _hypergeom_logpmf(ta, total, hits, tc)
    keep = log_pmf <= observed[owner] + np.log1p(1e-7)
    p = np.bincount(owner, weights=np.where(keep, np.exp(log_pmf), 0.0), minlength=len(tables))
    out[chosen] = np.minimum(p, 1.0)[inverse.ravel()]
    return out


def measure_columns(names) -> list[str]:
    """The columns of the further measures named (keys of :data:`MEASURES`), in order.

    Parameters
    ----------
    names : iterable of str
        Measure names; ``"all"`` stands for every one.

    Returns
    -------
    list of str
        Their columns, in the order of :data:`COLUMNS`.

    Raises
    ------
    ValueError
        An unknown name (the message lists the known ones).

    Examples
    --------
    >>> measure_columns(["fisher", "odds_ratio"])
    ['odds_ratio', 'or_low', 'or_high', 'fisher_p']
    """
    names = list(names)
    if "all" in names:
        names = list(MEASURES)
    unknown = [n for n in names if n not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measure {unknown[0]!r}; known: all, {', '.join(MEASURES)}")
    return [column for name in MEASURES if name in names for column in MEASURES[name]]


@lru_cache(maxsize=500_000)
def _english_frequency(term: str, lang: str = "en") -> float:
    """wordfreq's frequency of a term in a language (English by default), looked up once per
    distinct term."""
    from wordfreq import word_frequency

    return word_frequency(term, lang)


def _general_counts(terms: pd.Index, size: float, lang: str = "en") -> pd.Series:
    return pd.Series([_english_frequency(t, lang) * size for t in terms], index=terms,
                     dtype=float)


def _reference_language(processed: Processed, docs: np.ndarray, what: str) -> str:
    """The one language of some documents (indexes), whose general frequencies are the
    reference; ValueError naming ``what`` when they mix languages or wordfreq lacks it."""
    from analysis.lang import language, languages

    codes = sorted(set(languages(processed.corpus)["lang"].to_numpy()[docs].tolist()))
    if len(codes) > 1:
        raise ValueError(f"{what} mixes languages ({', '.join(codes)}): general frequencies "
                         f"are of one language; select one with --where lang=CODE or group "
                         f"by lang")
    code = codes[0] if codes else "en"
    if not language(code).has_reference():
        raise ValueError(f"{what}: wordfreq has no general frequencies of the language "
                         f"{code!r}; compare with 'rest' or another unit")
    return code


def _scores(av: np.ndarray, bv: np.ndarray, c, d, *, general: bool, form: str) -> dict:
    """Every computed column of a keyness table (see module docstring), as arrays."""
    relative = av / c - bv / d
    g2 = log_likelihood(av, bv, c, d, form=form)
    return {
        "target_per_1000": (av / c * 1000).round(3),
        "reference_per_1000": (bv / d * 1000).round(6 if general else 3),
        "g2": g2.round(4),
        "p_value": _chi2_sf(g2),  # from G2 before rounding
        "log_ratio": log_ratio(av, bv, c, d).round(4),
        "pct_diff": pct_diff(av, bv, c, d).round(2),
        "direction": np.select([relative > 0, relative < 0], ["positive", "negative"],
                               "equal"),
    }


def _further(av: np.ndarray, bv: np.ndarray, c, d, *, general: bool,
             smoothing: float) -> dict:
    """The further measures' columns (see module docstring), as arrays."""
    ratio, low, high = odds_ratio(av, bv, c, d)
    return {
        "simple_maths": simple_maths(av, bv, c, d, smoothing).round(4),
        "odds_ratio": ratio.round(4),
        "or_low": low.round(4),
        "or_high": high.round(4),
        "chi2_yates": chi2_yates(av, bv, c, d).round(4),
        # p from the counts, never from a rounded statistic; not for estimated counts.
        "fisher_p": np.full(len(av), np.nan) if general else fisher_p(av, bv, c, d),
    }


def _table(term, a: np.ndarray, b: np.ndarray, scores: dict, general: bool) -> pd.DataFrame:
    """A keyness table (unsorted): terms, their counts and the :func:`_scores` arrays."""
    table = pd.DataFrame({"term": term, "target_count": a, "reference_count": b})
    for column in ("target_per_1000", "reference_per_1000"):
        table[column] = scores[column]
    if general:
        table["reference_count"] = table["reference_count"].round(1)
    table["g2"] = scores["g2"]
    table["p_value"] = scores["p_value"]
    for column in COLUMNS[COLUMNS.index("log_ratio"):]:
        if column in scores:  # the further measures where they were computed
            table[column] = scores[column]
    return table


@constrained(form=OneOf(*FORMS), min_count=Interval(0, MAX_ROWS), ngram=OneOf(1, 2, 3),
             general_size=Interval(0, real=True, open=True),
             smoothing=Interval(0, real=True, open=True), level=[Interval(1), None])
@shared_docs
def keyness(
    processed: Processed,
    target: str,
    reference: str = REST,
    *,
    where=None,
    form: str = "four-cell",
    min_count: int = 2,
    stopwords: bool = False,
    stem: bool = False,
    mwe: bool = True,
    ngram: int = 1,
    general_size: float = GENERAL_SIZE,
    smoothing: float = 1.0,
    dictionary=None,
    level: int | None = None,
    layer: str | None = None,
    upos=None,
    engine="local",
    further: bool = True,
) -> pd.DataFrame:
    """Keywords of a target against a reference, positive and negative.

    Parameters
    ----------
    {processed}
    target : str
        A document id, ``DOC:SECTION`` or a group of documents (``genre=news``; ``;`` joins
        conditions), as :func:`analysis.units.unit_mask` reads it.
    reference : str, default "rest"
        A unit as the target, ``"rest"`` (the corpus without the target) or ``"general"``
        (general English from ``wordfreq``, size ``general_size``).
    where : str or list of str, optional
        Work inside the documents that satisfy these conditions (so ``rest`` is the rest of
        that subset).
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
    smoothing : float, default 1
        Kilgarriff's ``N`` of ``simple_maths``.
    dictionary : Dictionary, optional
        Compare the categories of this dictionary (:mod:`analysis.dictionaries`; at
        ``level``) instead of terms: ``term`` names a category, its counts are the
        category's matches. Not against ``general`` (no general rate of a category exists).
    level : int, optional
        The dictionary's level (1 = top level; all levels by default).
    layer : str, optional
        Compare the values of this annotation layer (``lemma``: *road* and *roads* are one
        keyword) instead of terms, as :func:`analysis.frequency.frequency` counts them (an
        annotated corpus).
    upos : str or sequence of str, optional
        Only the words of these parts of speech (the ``upos`` layer).
    engine : {"local", "dask"} or Engine, default "local"
        Where the counts a and b are made (:mod:`analysis.engines`); the table is the same.
    further : bool, default True
        Compute the further measures; False leaves their columns out (the command line
        does unless ``--measures`` asks for them: Fisher's exact test of every term takes
        longer than the counting).

    Returns
    -------
    DataFrame
        ``term, target_count, reference_count, target_per_1000, reference_per_1000, g2,
        p_value, log_ratio, pct_diff, direction``, then (with ``further``) the further
        measures ``simple_maths, odds_ratio, or_low, or_high, chi2_yates, fisher_p``
        (module docstring), ordered by G2 (descending), then term. ``reference_count`` is a float
        (an expected count) for the general reference.

    Raises
    ------
    ValueError
        An unknown unit; target and reference the same or overlapping; an empty side.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = keyness(process(load_corpus()), "songtao-article")
    >>> table[["term", "target_count", "reference_count"]].to_dict("records")[0]
    {'term': 'cpec', 'target_count': 30, 'reference_count': 1}
    """
    processed = units.select(processed, where)
    if dictionary is None:
        opts = dict(stopwords=stopwords, stem=stem, mwe=mwe, ngram=ngram, layer=layer,
                    upos=upos, engine=engine)
        count = unit_counts
    else:
        if layer is not None or upos is not None:
            raise ValueError("a dictionary's categories are compared, not a layer's values")
        if reference == GENERAL:
            raise ValueError("a dictionary's categories have no general-English rate: compare "
                             "them with 'rest' or another unit")
        from analysis.dictionaries.lookup import unit_counts as category_counts

        opts = dict(dictionary=dictionary, level=level)
        count = category_counts
    a, c = count(processed, target, **opts)
    if c == 0:
        raise ValueError(f"target {target!r} has no words")
    if reference == GENERAL:
        a = a[a >= min_count]
        keys = processed.paragraph_keys
        docs = np.unique(keys["doc_index"].to_numpy() if target is None else
                         keys["doc_index"].to_numpy()[units.unit_mask(processed, keys, target)])
        lang = _reference_language(processed, docs, "the corpus" if target is None
                                   else f"target {target!r}")
        b, d = _general_counts(a.index, general_size, lang), float(general_size)
    else:
        if reference == REST:
            b, d = count(processed, None, exclude=target, **opts)
        else:
            if reference == target:
                raise ValueError(f"target and reference are the same ({target!r})")
            paragraphs = processed.paragraph_keys  # units are made of whole paragraphs
            if (units.unit_mask(processed, paragraphs, target)
                    & units.unit_mask(processed, paragraphs, reference)).any():
                raise ValueError(f"target {target!r} and reference {reference!r} overlap")
            b, d = count(processed, reference, **opts)
        if d == 0:
            raise ValueError(f"reference {reference!r} has no words")
        index = a.index.union(b.index)
        a, b = a.reindex(index, fill_value=0), b.reindex(index, fill_value=0)
        keep = (a >= min_count) | (b >= min_count)
        a, b = a[keep], b[keep]
    general = reference == GENERAL
    av = a.to_numpy(float)
    bv = b.reindex(a.index).to_numpy(float)
    scores = _scores(av, bv, c, d, general=general, form=form)
    if further:
        scores.update(_further(av, bv, c, d, general=general, smoothing=smoothing))
    table = _table(a.index, a.to_numpy(), b.reindex(a.index).to_numpy(), scores, general)
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort")
    return table[[column for column in COLUMNS if column in table]].reset_index(drop=True)


@constrained(n=Interval(1, MAX_ROWS), direction=OneOf("both", "positive", "negative"))
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

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> top = top_keywords(keyness(p, "songtao-article"), 2)
    >>> top["term"].tolist()
    ['cpec', 'cooperation', 'parties', 'party-based diplomacy']
    >>> top["direction"].tolist()
    ['positive', 'positive', 'negative', 'negative']
    """
    wanted = ["positive", "negative"] if direction == "both" else [direction]
    parts = [table[table["direction"] == d].head(n) for d in wanted]
    return pd.concat(parts, ignore_index=True)


def key_terms(keywords: pd.DataFrame, n: int = 6, fallback: pd.DataFrame | None = None
              ) -> list[str]:
    """The ``n`` strongest distinct positive keywords over all groups: the terms a report
    reads in context when none are named.

    Parameters
    ----------
    keywords : DataFrame
        :func:`keywords_by` or :func:`keyness` (``term, g2, direction``).
    n : int, default 6
        Terms wanted.
    fallback : DataFrame, optional
        A word list (:func:`analysis.frequency.frequency`) whose most frequent terms fill
        the list when there are fewer keywords (a corpus of one group has none).

    Returns
    -------
    list of str
        By G2 descending, ties by term; then the fallback's terms by count.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> key_terms(keyness(p, "songtao-article"), 4)
    ['cpec', 'cooperation', 'pakistani', 'china-pakistan']
    """
    positive = keywords[keywords["direction"] == "positive"].sort_values(
        ["g2", "term"], ascending=[False, True], kind="mergesort")
    terms = list(dict.fromkeys(positive["term"]))[:n]
    if fallback is not None and len(terms) < n:
        counts = fallback.groupby("term", sort=False)["count"].sum().reset_index()
        counts = counts.sort_values(["count", "term"], ascending=[False, True])
        terms += [t for t in counts["term"] if t not in terms][:n - len(terms)]
    return terms


def _top_rows(scores: dict, rank: np.ndarray, n: int, wanted: list[str]) -> np.ndarray:
    """Rows of the top ``n`` keywords per wanted direction, in :func:`top_keywords` order."""
    order = np.lexsort((rank, -scores["g2"]))  # G2 descending, then term
    direction = scores["direction"][order]
    return np.concatenate([order[direction == d][:n] for d in wanted])


def _group_counts(part: tuple) -> tuple[pd.Series, pd.Series]:
    """Map step of :func:`keywords_by`: counts per (group, term) and per term (sorted) of a
    partition of whole documents, from each occurrence's group code and term code."""
    group, code, names = part
    renumber, vocabulary = sorted_vocabulary(code, names)
    n_terms = max(len(vocabulary), 1)
    pairs, pair_count = np.unique(group * n_terms + renumber[code], return_counts=True)
    pair_group, pair_term = np.divmod(pairs, n_terms)
    per_group = pd.Series(pair_count.astype(np.int64), index=pd.MultiIndex.from_arrays(
        [pair_group, pd.Index(vocabulary, dtype=object)[pair_term]]))
    return per_group, code_counts(code, names)


def _sum_group_counts(results: list[tuple]) -> tuple[pd.Series, pd.Series]:
    """Reduce step of :func:`keywords_by`: the sums of the partitions' counts, sorted."""
    if len(results) == 1:
        return results[0]
    per_group = pd.concat([r[0] for r in results]).groupby(level=[0, 1]).sum()
    vocabulary = pd.concat([r[1] for r in results]).groupby(level=0).sum()
    return per_group, vocabulary


@constrained(reference=OneOf(REST, GENERAL), n=Interval(1),
             direction=OneOf("both", "positive", "negative"))
@shared_docs
def keywords_by(
    processed: Processed, *, by: str = "doc", where=None, reference: str = REST, n: int = 20,
    direction: str = "both", engine="local", groups=None, **options,
) -> pd.DataFrame:
    """Top keywords of every group against the rest of the corpus (or general English).

    The profile of every outlet, party or document at once: for each group of ``by``, the
    result equals :func:`top_keywords` of :func:`keyness` with the group as target, but the
    terms are counted once for all groups (500 documents take seconds, not minutes).

    Parameters
    ----------
    {processed}
    by : str, default "doc"
        ``doc``, ``voice`` or a document variable (:mod:`analysis.units`).
    reference : {"rest", "general"}, default "rest"
        Each group against the rest of the corpus, or against general English.
    n : int, default 20
        Keywords per group and direction (see :func:`top_keywords`).
    direction : {"both", "positive", "negative"}
        Which keywords to keep.
    where : str or list of str, optional
        Only the documents that satisfy these conditions (the rest is the rest of them).
    engine : {"local", "dask"} or Engine, default "local"
        Where the terms are counted (:mod:`analysis.engines`); the table is the same.
    groups : list of str, optional
        Only the keywords of these groups (labels, as :func:`analysis.units.largest` gives
        them), each still against all the rest: the rows of these groups in the full table,
        in a fraction of the time when a report shows a few of thousands of groups.
    **options
        As for :func:`keyness` (``form``, ``min_count``, ``stopwords``, ``stem``, ``mwe``,
        ``ngram``, ``general_size``, ``smoothing``, ``layer``, ``upos``).

    Returns
    -------
    DataFrame
        The group column (named after ``by``) followed by the columns of :func:`keyness`,
        groups in their order (:func:`analysis.units.codes`); empty against ``rest`` when
        the corpus has a single group.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = keywords_by(process(load_corpus()), by="voice", n=1, direction="positive")
    >>> table["term"].tolist()
    ['joint consultation mechanism', 'cpec', 'parties']
    """
    processed = units.prepare(processed, by, where)
    if by in ("corpus", "section"):
        raise ValueError(f"by {by!r}: keywords need groups of documents or voices "
                         f"(doc, voice or a document variable)")
    defaults = dict(form="four-cell", min_count=2, stopwords=False, stem=False, mwe=True,
                    ngram=1, general_size=GENERAL_SIZE, smoothing=1.0, layer=None, upos=None)
    unknown = set(options) - set(defaults)
    if unknown:
        raise TypeError(f"keywords_by() got unexpected options: {', '.join(sorted(unknown))}")
    check(keyness, **options)  # keyness's declarations
    opts = {**defaults, **options}
    general = reference == GENERAL
    wanted = ["positive", "negative"] if direction == "both" else [direction]
    min_count, form = opts["min_count"], opts["form"]

    # Count once: every (group, term), the corpus total of each term, words per group.
    run = engines.get(engine)
    if opts["ngram"] == 1 and opts["mwe"] and not opts["stem"] and opts["layer"] is None \
            and opts["upos"] is None and run.partitions == 1 \
            and _index_counts_terms(processed, opts["stopwords"]):
        para_group, group_table = units.paragraph_codes(processed, by)
        per_group, vocabulary = _indexed_group_counts(processed, para_group, opts["stopwords"])
        return _keywords_by(processed, by, per_group, vocabulary, para_group, group_table,
                            groups, general, direction, wanted, n, min_count, form, opts)
    rows, code, terms = counted_codes(processed, opts["ngram"], opts["stopwords"], opts["mwe"],
                                      opts["layer"], opts["upos"], opts["stem"])
    if opts["stem"]:  # each term's code becomes its stem group's
        counts = np.bincount(code, minlength=len(terms))
        present = np.flatnonzero(counts)
        label, _ = stem_labels(pd.Series(counts[present], index=terms[present]))
        merged, terms = pd.factorize(np.array([label.get(t, t) for t in terms], dtype=object))
        code, terms = merged[code], np.asarray(terms, dtype=object)
    para_group, group_table = units.paragraph_codes(processed, by)
    group = para_group[processed.columns.para_of(rows)]
    # Map: counts per (group, term) and per term over partitions of documents; reduce: sums.
    if run.partitions == 1:
        pieces = [(group, code, terms)]
    else:
        doc = processed.columns.tok_doc
        cuts = engines.partitions(doc, run.partitions)
        pieces = [(group[part], code[part], terms)
                  for part in engines.slices(doc[rows], cuts)]
    per_group, vocabulary = run.map_reduce(_group_counts, pieces, _sum_group_counts)
    return _keywords_by(processed, by, per_group, vocabulary, para_group, group_table, groups,
                        general, direction, wanted, n, min_count, form, opts)


def _indexed_group_counts(processed: Processed, para_group: np.ndarray, stopwords: bool
                          ) -> tuple[pd.Series, pd.Series]:
    """:func:`_group_counts` of the whole corpus from the index's segment counts (a segment
    lies in one group): counts per (group, term), and per term, terms sorted."""
    counted = _index_counts(processed, stopwords, para_group.astype(np.int64),
                            processed.columns.para_words)
    vocabulary = pd.Index(counted["vocabulary"], dtype=object)
    per_group = pd.Series(counted["count"], index=pd.MultiIndex.from_arrays(
        [counted["part"], vocabulary[counted["term"]]]))
    totals = np.bincount(counted["term"], weights=counted["count"],
                         minlength=len(vocabulary)).astype(np.int64)
    return per_group, pd.Series(totals, index=vocabulary, dtype=np.int64)


def _keywords_by(processed: Processed, by: str, per_group: pd.Series, vocabulary: pd.Series,
                 para_group: np.ndarray, group_table: pd.DataFrame, groups, general: bool,
                 direction: str, wanted: list, n: int, min_count: int, form: str,
                 opts: dict) -> pd.DataFrame:
    """The table of :func:`keywords_by` from its counts per (group, term) and per term."""
    label = units.group_columns(by)[0]  # the group column (a binned variable's own name)
    names = group_table[label].tolist()
    vocabulary.index = pd.Index(vocabulary.index, dtype=object, name="term")
    starts = per_group.index.get_level_values(0).to_numpy()
    words = units.groups_of(processed, by)["words"].to_numpy()
    all_words = int(words.sum())
    chosen = [g for g in range(len(names)) if words[g] > 0]  # no words, no keywords
    if groups is not None:
        shown = {str(name) for name in groups}
        chosen = [g for g in chosen if str(names[g]) in shown]
    if len(names) < 2 and not general:  # one group has no rest to compare with
        return pd.DataFrame(columns=[label] + COLUMNS)
    column = np.asarray(names, dtype=object)
    if general:
        # each group against the general frequencies of its own language
        group_lang = []
        for g in range(len(names)):
            docs = np.unique(processed.columns.para_doc[para_group == g])
            group_lang.append(_reference_language(processed, docs, f"{label} {names[g]!r}")
                              if g in chosen else "en")
        table = _general_keywords(per_group, object, words, chosen, n, direction,
                                  min_count, form, opts["general_size"], opts["smoothing"],
                                  group_lang)
        table.insert(0, label, pd.Series(column[table.pop("target").to_numpy()], dtype="str"))
        return table[[label] + COLUMNS]
    # vocabulary: every term's count, terms sorted: row = rank
    totals = vocabulary.to_numpy()
    rank = np.arange(len(vocabulary))
    where_term = vocabulary.index.get_indexer(per_group.index.get_level_values(1))
    counts = per_group.to_numpy()
    parts = {k: [] for k in ("target", "row", "a", "b", "c", "d")}
    for g in chosen:
        c = int(words[g])
        d = all_words - c
        if d == 0:  # all the words are this group's: nothing to compare with
            continue
        lo, hi = starts.searchsorted(g, "left"), starts.searchsorted(g, "right")
        # The group's counts on the corpus vocabulary; the rest is the corpus minus the group.
        a_all = np.zeros(len(vocabulary), dtype=np.int64)
        a_all[where_term[lo:hi]] = counts[lo:hi]
        b_all = totals - a_all
        keep = np.flatnonzero((a_all >= min_count) | (b_all >= min_count))
        scores = _scores(a_all[keep].astype(float), b_all[keep].astype(float), c, d,
                         general=False, form=form)
        rows = keep[_top_rows(scores, rank[keep], n, wanted)]
        for key, value in (("target", np.full(len(rows), g)), ("row", rows),
                           ("a", a_all[rows]), ("b", b_all[rows]),
                           ("c", np.full(len(rows), c)), ("d", np.full(len(rows), d))):
            parts[key].append(value)
    if not parts["target"]:  # no group with words both in it and outside it
        return pd.DataFrame(columns=[label] + COLUMNS)
    joined = {k: np.concatenate(v) for k, v in parts.items()}
    a, b = joined["a"], joined["b"]
    # The scores are elementwise, so computing them again on the chosen rows gives the same
    # numbers as on each group's full table.
    scores = _scores(a.astype(float), b.astype(float), joined["c"], joined["d"],
                     general=False, form=form)
    scores.update(_further(a.astype(float), b.astype(float), joined["c"], joined["d"],
                           general=False, smoothing=opts["smoothing"]))
    table = _table(vocabulary.index[joined["row"]], a, b, scores, False)
    table.insert(0, label, pd.Series(column[joined["target"]], dtype="str"))
    return table[[label] + COLUMNS]


def _general_keywords(per_doc: pd.Series, term_dtype, words: np.ndarray, docs: list[int],
                      n: int, direction: str, min_count: int, form: str,
                      size: float, smoothing: float,
                      group_lang: list[str] | None = None) -> pd.DataFrame:
    """:func:`keywords_by` against general English, every group in one pass.

    The reference is the same for every group, so the (group code, term) pairs are scored
    together and the top rows of each group picked by one sort; ``target`` is the code.
    """
    pairs = per_doc[per_doc.index.get_level_values(0).isin(docs) & (per_doc >= min_count)]
    doc_of = pairs.index.get_level_values(0).to_numpy(dtype=np.int64)
    term = pairs.index.get_level_values(1).to_numpy(dtype=object)
    a = pairs.to_numpy(dtype=np.int64)
    langs = group_lang or ["en"] * (max(docs, default=0) + 1)
    b = np.array([_english_frequency(t, langs[g]) * size
                  for t, g in zip(term, doc_of.tolist(), strict=True)], dtype=float)
    c = words[doc_of]
    d = float(size)
    scores = _scores(a.astype(float), b, c, d, general=True, form=form)
    position = {doc: k for k, doc in enumerate(docs)}
    doc_rank = np.array([position[x] for x in doc_of], dtype=np.int64)
    term_rank = pd.factorize(term, sort=True)[0]
    side = np.select([scores["direction"] == "positive", scores["direction"] == "negative"],
                     [0, 1], 2)
    wanted = {"both": [0, 1], "positive": [0], "negative": [1]}[direction]
    # Per document: positive keywords first, then negative ones, each by G2 then term.
    order = np.lexsort((term_rank, -scores["g2"], side, doc_rank))
    order = order[np.isin(side[order], wanted)]
    place = pd.Series(np.arange(len(order))).groupby(
        [doc_rank[order], side[order]], sort=False).cumcount().to_numpy()
    rows = order[place < n]
    # The term column keeps the type of the counted terms, as in keyness().
    chosen = {k: v[rows] for k, v in scores.items()}
    chosen.update(_further(a[rows].astype(float), b[rows], c[rows], d, general=True,
                           smoothing=smoothing))
    table = _table(pd.Index(term[rows], dtype=term_dtype), a[rows], b[rows], chosen, True)
    table.insert(0, "target", doc_of[rows])
    return table
