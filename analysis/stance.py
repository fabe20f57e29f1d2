"""Stance: modality, participants (we / they / named others) and evaluation (VADER).

Every function takes the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process` and returns a DataFrame. Rates are per 1,000 words,
where words are the tokens with ``is_word`` True (``'s`` and ``&`` are not words):
``per_1000 = 1000 * count / words``.

- :func:`modality` counts the modals and semi-modals of ``dictionaries/data/modality.csv``,
  classed
  after Biber, Johansson, Leech, Conrad & Finegan (1999), *Longman Grammar of Spoken and
  Written English*, section 6.6 (permission/possibility/ability, obligation/necessity,
  volition/prediction), with ``shall`` set apart as a *commitment* (Palmer 2001, *Mood and
  Modality*, 2nd ed.: the deontic commissive, "we shall ...").
- :func:`participants` counts the pronoun groups (inclusive *we/us/our*, *they/them/their*,
  *I*, *you*) and the case study's named others, ``dictionaries/data/others.csv``
  (``adversary.external powers``...).

The modals and the named others are dictionaries read by the one dictionary engine
(:mod:`analysis.dictionaries.lookup`).
- :func:`evaluation` scores each sentence with VADER (Hutto & Gilbert 2014, "VADER: A
  parsimonious rule-based model for sentiment analysis of social media text", ICWSM), whose
  lexicon ships with the ``vaderSentiment`` package (no download).

The tables go to :mod:`analysis.narrate` (``modality``, ``evaluation``), :mod:`analysis.plots`
(``grouped_bars_plot``, ``evaluation_plot``) and the framing notebook.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import config, units
from analysis.dictionaries import Dictionary, read_dictionary
from analysis.dictionaries.builtin import vader_dictionary
from analysis.dictionaries.lookup import find, match_forms, match_table
from analysis.framing.others import case_study_others, named_others
from analysis.lexicons import read_lexicon
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.process import Processed

__all__ = ["case_study_others", "evaluation", "evaluation_summary", "given_names", "modal_uses",
           "modality", "modality_dictionary", "named_others", "participants",
           "strongest_evaluations"]

#: The modality dictionary (general: Biber et al. 1999, Palmer 2001), in the dictionary
#: engine's CSV layout.
MODALITY = config.PACKAGE_DIR / "dictionaries" / "data" / "modality.csv"

PRONOUN_GROUPS = {
    "we": ("we", "us", "our", "ours", "ourselves"),
    "they": ("they", "them", "their", "theirs", "themselves"),
    "I": ("i", "me", "my", "mine", "myself"),
    "you": ("you", "your", "yours", "yourself", "yourselves"),
}
#: VADER's documented thresholds for a positive / negative compound score.
POSITIVE, NEGATIVE = 0.05, -0.05

#: Words after ``may`` that make it a name: finite verb forms, which cannot follow a modal
#: (``may said``, ``may has``), and the possessive the tokenizer splits off (``may 's``).
AFTER_NAME = frozenset(
    "'s said says told tells has had was is does did wants thinks announced added insisted "
    "warned admitted promised claimed argued".split())


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names and honorifics after which ``may`` is a surname (``lexicons/
    given_names.csv``: ``theresa may``, ``mrs may``), lower-cased.

    Examples
    --------
    >>> "theresa" in given_names(), "mrs" in given_names(), "deal" in given_names()
    (True, True, False)
    """
    return frozenset(row["word"] for row in read_lexicon("given_names"))


def _units(processed: Processed, by: str) -> tuple[list[str], pd.DataFrame]:
    """The group columns of ``by`` and the groups in order, with their ``words``."""
    units.check_by(processed.corpus, by)
    groups = units.groups_of(processed, by).drop(columns="documents")
    return units.group_columns(by), groups


def _per_1000(count, words):
    return round(1000 * count / words, 3) if words else 0.0


# --------------------------------------------------------------------------- modality


@lru_cache(maxsize=1)
def modality_dictionary() -> Dictionary:
    """The modals and semi-modals, ``dictionaries/data/modality.csv`` (categories in file
    order, each entry with its source).

    Examples
    --------
    >>> d = modality_dictionary()
    >>> d.entries[0].pattern, d.categories()
    ('shall', ['commitment', 'obligation/necessity', 'prediction/volition', 'possibility/ability'])
    """
    return read_dictionary(MODALITY)


@shared_docs
def modal_uses(processed: Processed, dictionary: Dictionary | None = None, *,
               where=None) -> pd.DataFrame:
    """Every modal or semi-modal of the dictionary, with who precedes it and its sentence.

    The modals are matched by the dictionary engine (multiword semi-modals such as ``have
    to`` as phrases within a sentence, the longest entry winning). ``May`` capitalised and
    not sentence-initial is then taken for the month, and ``may`` in any case for a surname
    right after a given name or honorific of ``lexicons/given_names.csv`` (``theresa may``,
    ``mrs may``) or right before a finite verb that cannot follow a modal
    (:data:`AFTER_NAME`: ``may said``, ``may has``): a lower-cased corpus has no capital to
    tell the name from the modal.

    Parameters
    ----------
    {processed}
    {where}
    dictionary : Dictionary, optional
        Categories of modals; default :func:`modality_dictionary`.

    Returns
    -------
    DataFrame
        ``doc, section, voice, paragraph, sentence, modal, category, left, text``, where
        ``modal`` is the matched words lower-cased and ``left`` up to three words before
        the modal in its sentence (its subject, often), in corpus order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> uses = modal_uses(process(load_corpus()))
    >>> uses[["doc", "modal", "category", "left"]].head(3)  # doctest: +NORMALIZE_WHITESPACE
                   doc   modal              category              left
    0  songtao-article     can   possibility/ability       The idea we
    1  songtao-article  should  obligation/necessity  stressed that we
    2  songtao-article   would   prediction/volition        For that I
    """
    processed = units.select(processed, where)
    dictionary = modality_dictionary() if dictionary is None else dictionary
    found = find(processed, dictionary)
    c = processed.columns
    names, surfaces = c.term_names, c.surfaces
    row, length = found.start.astype(np.int64), found.length.astype(np.int64)
    sent_first = np.r_[0, np.cumsum(c.sent_tokens)[:-1]].astype(np.int64)  # tokens' rows
    first = sent_first[c.tok_sentence[row]]
    stop = first + c.sent_tokens[c.tok_sentence[row]]
    # Terms of the few tokens looked at, through their surfaces (``c.tok_term`` would build
    # the whole corpus's column on each use).
    surface_term, tok_surface = c.surface_term, c.tok_surface
    term = names[surface_term[tok_surface[row]]]
    keep = np.ones(len(row), dtype=bool)
    given = given_names()
    for k in np.flatnonzero((length == 1) & (term == "may")).tolist():
        i, inside = int(row[k]), int(row[k]) > int(first[k])
        if inside and (surfaces[tok_surface[i]] == "May"  # the month
                       or names[surface_term[tok_surface[i - 1]]].rstrip(".") in given):
            keep[k] = False  # the month, or mrs. may
        elif i + 1 < stop[k] and names[surface_term[tok_surface[i + 1]]] in AFTER_NAME:
            keep[k] = False  # may said
    table = match_table(processed, found, keep)
    at = table["row"].to_numpy()
    lo = np.maximum(sent_first[c.tok_sentence[at]], at - 3)
    table["left"] = [" ".join(surfaces[c.tok_surface[a:b]].tolist())
                     for a, b in zip(lo.tolist(), at.tolist(), strict=True)]
    table = table.rename(columns={"form": "modal"})
    return table[["doc", "section", "voice", "paragraph", "sentence", "modal", "category",
                  "left", "text"]]


@constrained(level=OneOf("modal", "category"))
@shared_docs
def modality(processed: Processed, *, by: str = "doc", where=None, level: str = "modal",
             dictionary: Dictionary | None = None,
             uses: pd.DataFrame | None = None) -> pd.DataFrame:
    """Modal counts and rates per 1,000 words, per document or section.

    ``per_1000 = 1000 * count / words`` (words: word tokens of the unit).

    Parameters
    ----------
    {processed}
    by : {"doc", "section"}
        Unit of the counts.
    {where}
    level : {"modal", "category"}
        Count each modal, or each category (Biber et al. 1999 classes plus commitment).
    dictionary : Dictionary, optional
        Default :func:`modality_dictionary`.
    uses : DataFrame, optional
        :func:`modal_uses` of the corpus with the same dictionary, to avoid finding the modals
        again (for several groupings, or the table of uses beside the rates).

    Returns
    -------
    DataFrame
        ``doc`` (and ``section, voice``), ``modal`` and ``category`` (or only ``category``),
        ``count, words, per_1000``. Every dictionary entry (or category) appears for every unit,
        zeros included, in lexicon order; units in corpus order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> rates = modality(process(load_corpus()), by="voice", level="category")
    >>> rates.iloc[4:8]  # doctest: +NORMALIZE_WHITESPACE
          voice              category  count  words  per_1000
    4  Song Tao            commitment      4   1056     3.788
    5  Song Tao  obligation/necessity      2   1056     1.894
    6  Song Tao   prediction/volition      7   1056     6.629
    7  Song Tao   possibility/ability      1   1056     0.947
    """
    dictionary = modality_dictionary() if dictionary is None else dictionary
    processed = units.select(processed, where)
    keys, groups = _units(processed, by)
    uses = units.restrict(uses, processed)
    uses = modal_uses(processed, dictionary) if uses is None else uses
    uses = units.grouped(processed, uses, by)
    items = ([{"modal": e.pattern, "category": e.label()} for e in dictionary.entries]
             if level == "modal" else [{"category": c} for c in dictionary.categories()])
    field = "modal" if level == "modal" else "category"
    counts = uses.groupby(["_group", field]).size().to_dict()
    rows = []
    for g, unit in enumerate(groups.to_dict("records")):
        for item in items:
            n = int(counts.get((g, item[field]), 0))
            rows.append({**{k: unit[k] for k in keys}, **item, "count": n,
                         "words": unit["words"], "per_1000": _per_1000(n, unit["words"])})
    columns = [*keys, *items[0].keys(), "count", "words", "per_1000"] if items else keys
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- participants


@shared_docs
def participants(processed: Processed, *, by: str = "doc", where=None,
                 others: bool = True) -> pd.DataFrame:
    """Inclusive *we* against *they*, *I*, *you* and named others, per 1,000 words.

    Groups: ``we`` (we, us, our, ours, ourselves), ``they`` (they, them, their, theirs,
    themselves), ``I`` (I, me, my, mine, myself), ``you`` (you, your, yours, yourself,
    yourselves), ``named others`` (mentions from :func:`named_others`, all kinds) and
    ``adversaries`` (those of kind ``adversary``). ``per_1000 = 1000 * count / words``.
    *We* is counted as one group: whether it includes the reader (China *and* Pakistan) or
    only the speaker's side (the CPC) is not decided automatically.

    ``others=False`` leaves out the two groups of named others: their dictionary
    (``dictionaries/data/others.csv``) was made for the seed corpus (it counts America and
    the West as others), so report 03 counts them on the seeds only.

    Parameters
    ----------
    {processed}
    {by}
    {where}
    others : bool, default True
        Count the two groups of named others.

    Returns
    -------
    DataFrame
        ``doc`` (and ``section, voice``), ``group, count, words, per_1000``, every group for
        every unit, in the order above.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = participants(process(load_corpus()), by="voice")
    >>> table.head(3)  # doctest: +NORMALIZE_WHITESPACE
           voice group  count  words  per_1000
    0  newspaper    we      1    290     3.448
    1  newspaper  they      0    290     0.000
    2  newspaper     I      0    290     0.000
    """
    processed = units.select(processed, where)
    keys, units_ = _units(processed, by)
    c = processed.columns
    # Each token's group through its paragraph (no table of every token).
    para_codes, _ = units.paragraph_codes(processed, by)
    term = c.tok_term
    index = pd.Index(c.term_names)
    groups = {}
    for group, forms in PRONOUN_GROUPS.items():
        codes = index.get_indexer(list(forms))
        rows = np.flatnonzero(np.isin(term, codes[codes >= 0]))
        groups[group] = np.bincount(para_codes[c.para_of(rows)], minlength=len(units_))
    if others:
        named = named_others(processed)
        found, _ = units.codes(processed, named, by)
        groups["named others"] = np.bincount(found, minlength=len(units_))
        adversary = (named["kind"] == "adversary").to_numpy()
        groups["adversaries"] = np.bincount(found[adversary], minlength=len(units_))
    rows = []
    for g, unit in enumerate(units_.to_dict("records")):
        for group, counts in groups.items():
            n = int(counts[g])
            rows.append({**{k: unit[k] for k in keys}, "group": group, "count": n,
                         "words": unit["words"], "per_1000": _per_1000(n, unit["words"])})
    return pd.DataFrame(rows, columns=[*keys, "group", "count", "words", "per_1000"])


# --------------------------------------------------------------------------- evaluation


#: Words whose VADER valence belongs to another sense than the one of political texts:
#: VADER scores ``party``/``parties`` +1.7 (a celebration), which would make every sentence
#: about political parties positive. They are removed from the lexicon by default.
DOMAIN_NEUTRAL = ("party", "parties")


@lru_cache(maxsize=4)
def _analyzer(neutral: tuple[str, ...] = DOMAIN_NEUTRAL):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon = {w: v for w, v in analyzer.lexicon.items() if w not in set(neutral)}
    return analyzer


def _scores(analyzer, text: str) -> dict:
    """VADER's scores of one sentence and its polarity."""
    scores = analyzer.polarity_scores(text)
    compound = scores["compound"]
    polarity = ("positive" if compound >= POSITIVE
                else "negative" if compound <= NEGATIVE else "neutral")
    return {"compound": compound, "pos": scores["pos"], "neu": scores["neu"],
            "neg": scores["neg"], "polarity": polarity}


def _evaluative_words(processed: Processed, analyzer, neutral: tuple[str, ...]
                      ) -> dict[int, dict[str, str]]:
    """The lexicon words of each sentence (by row of the sentence table), found by the
    dictionary engine with every word VADER rates: ``{"positive_words": ..., ...}``."""
    words = vader_dictionary(0, tuple(neutral))
    found = find(processed, words)
    c = processed.columns
    # VADER reads a word with its possessive ("God's", "harm's") as one word, missing from
    # its lexicon: such a match is no word of VADER's score.
    after = np.minimum(found.end, len(c.tok_term) - 1)
    possessive = ((found.end < len(c.tok_term)) & (c.tok_start[after] == c.tok_end[found.end - 1])
                  & np.isin(c.term_names[c.tok_term[after]], ("'s", "\u2019s")))
    # The matches kept, in text order (as match_table orders them), read off the arrays: a
    # match's sentence, category and form, without its text or its sentence's.
    index = np.flatnonzero(~possessive)
    index = index[np.argsort(found.start[index], kind="stable")]
    start = found.start[index]
    sentence = c.tok_sentence[start]
    forms = match_forms(processed, start, found.length[index])
    keys = [f"{name}_words" for name in found.categories]
    labels: dict[str, str] = {}  # each form's label, made once
    out: dict[int, dict[str, list[str]]] = {}
    for s, category, form in zip(sentence.tolist(), found.category[index].tolist(),
                                 forms.tolist(), strict=True):
        label = labels.get(form)
        if label is None:
            label = labels[form] = f"{form} ({analyzer.lexicon[form]:+.1f})"
        lists = out.get(s)
        if lists is None:
            lists = out[s] = {"positive_words": [], "negative_words": []}
        lists[keys[category]].append(label)
    return {s: {k: "; ".join(v) for k, v in lists.items()} for s, lists in out.items()}


@shared_docs
def evaluation(processed: Processed, neutral: tuple[str, ...] = DOMAIN_NEUTRAL, *,
               where=None) -> pd.DataFrame:
    """VADER scores and the evaluative words of every sentence.

    VADER sums the valences of its lexicon's words in a sentence (adjusted for negation,
    boosters, ``but`` and capitals) and normalises the sum ``x`` to
    ``compound = x / sqrt(x**2 + 15)`` in [-1, 1]; ``pos, neu, neg`` are the proportions of
    the sentence's valence that is positive, neutral and negative (Hutto & Gilbert 2014).
    A sentence is ``positive`` when ``compound >= 0.05`` and ``negative`` when
    ``compound <= -0.05`` (VADER's documented thresholds), else ``neutral``. The scores are
    VADER's own (the ``vaderSentiment`` package); the words listed are its lexicon's as the
    dictionary engine finds them among the corpus's tokens
    (:func:`analysis.dictionaries.builtin.vader_dictionary` with every rated word).

    Parameters
    ----------
    {processed}
    {where}
    neutral : tuple of str, default :data:`DOMAIN_NEUTRAL`
        Words removed from VADER's lexicon before scoring (``()`` keeps it whole).

    Returns
    -------
    DataFrame
        ``doc, section, voice, paragraph, sentence, compound, pos, neu, neg, polarity,
        positive_words, negative_words, text``; the word columns list the lexicon words of
        the sentence with their valence, in text order, "; "-joined.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> scored = evaluation(process(load_corpus()))
    >>> scored[["sentence", "compound", "polarity", "positive_words"]].head(1).values.tolist()
    [[1, 0.6249, 'positive', 'excellence (+3.1)']]
    >>> scored["polarity"].value_counts().to_dict()
    {'positive': 73, 'neutral': 23, 'negative': 3}
    """
    processed = units.select(processed, where)
    analyzer = _analyzer(tuple(neutral))
    words = _evaluative_words(processed, analyzer, tuple(neutral))
    none = {"positive_words": "", "negative_words": ""}
    columns = ["doc", "section", "voice", "paragraph", "sentence", "compound", "pos", "neu",
               "neg", "polarity", "positive_words", "negative_words", "text"]
    # Read off the corpus's arrays, a column at a time: no table of the sentences kept
    # beside this one, and no dictionary per sentence.
    c = processed.columns
    para = c.sent_para
    out = {"doc": processed.doc_ids[c.sent_doc].tolist(),
           "section": c.names[c.para_section[para]].tolist(),
           "voice": c.names[c.para_voice[para]].tolist(),
           "paragraph": c.para_number[para].tolist(), "sentence": c.sent_number.tolist(),
           **{k: [] for k in columns[5:]}}
    scored_columns = columns[5:10]
    # A sentence's scores depend on its text alone: a text met again (a greeting, a slogan,
    # a repeated dispatch) takes the scores computed for it the first time.
    seen: dict[str, tuple] = {}  # the scores in the order of scored_columns
    doc_id, text = None, ""
    for k, (doc, start, end) in enumerate(zip(out["doc"], c.sent_start.tolist(),
                                              c.sent_end.tolist(), strict=True)):
        if doc != doc_id:
            doc_id, text = doc, processed.texts[doc]
        sentence = text[start:end]
        scored = seen.get(sentence)
        if scored is None:
            found = _scores(analyzer, sentence)
            scored = seen[sentence] = tuple(found[column] for column in scored_columns)
        for column, value in zip(scored_columns, scored, strict=True):
            out[column].append(value)
        listed = words.get(k, none)
        out["positive_words"].append(listed["positive_words"])
        out["negative_words"].append(listed["negative_words"])
        out["text"].append(sentence)
    return pd.DataFrame(out, columns=columns)


@shared_docs
def evaluation_summary(processed: Processed, *, by: str = "doc", where=None,
                       roads: pd.DataFrame | None = None,
                       scored: pd.DataFrame | None = None) -> pd.DataFrame:
    """Evaluation per document, section or road.

    ``mean_compound`` is the mean VADER compound of the unit's sentences; ``positive`` and
    ``negative`` count sentences at or beyond VADER's thresholds (±0.05); ``positive_share =
    positive / sentences`` and likewise ``negative_share``.

    Parameters
    ----------
    {processed}
    by : {"doc", "section", "road"}
        Unit. A road is its sentence and its evidence (``sentence_no`` to
        ``last_sentence`` of :func:`analysis.framing.roads.roads`).
    {where}
    roads : DataFrame, optional
        The roads table for ``by="road"``; computed when not given.
    scored : DataFrame, optional
        :func:`evaluation` of the corpus, to avoid scoring it again.

    Returns
    -------
    DataFrame
        Unit columns (``doc``; ``doc, section, voice``; or ``doc, ordinal, road``), then
        ``sentences, mean_compound, positive, negative, positive_share, negative_share``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> summary = evaluation_summary(process(load_corpus()), by="voice")
    >>> summary[["voice", "sentences", "positive", "negative"]]  # doctest: +NORMALIZE_WHITESPACE
              voice  sentences  positive  negative
    0     newspaper         11         7         0
    1      Song Tao         50        37         3
    2  award report         38        29         0
    """
    processed = units.select(processed, where)
    roads, scored = units.restrict(roads, processed), units.restrict(scored, processed)
    scored = evaluation(processed) if scored is None else scored
    if by == "road":
        if roads is None:
            from analysis.framing.roads import roads as find_roads

            roads = find_roads(processed)
        parts = []
        for road in roads.itertuples(index=False):
            span = scored[(scored["doc"] == road.doc)
                          & scored["sentence"].between(road.sentence_no, road.last_sentence)]
            parts.append(span.assign(ordinal=road.ordinal, road=road.road))
        columns = ["doc", "ordinal", "road"]
        scored = (pd.concat(parts, ignore_index=True) if parts
                  else scored.assign(ordinal=0, road="").iloc[0:0])
    else:
        units.check_by(processed.corpus, by)
        columns = units.group_columns(by)
        scored = units.grouped(processed, scored, by).sort_values("_group", kind="mergesort")
    out_columns = [*columns, "sentences", "mean_compound", "positive", "negative",
                   "positive_share", "negative_share"]
    if scored.empty:  # e.g. no road in the corpus
        return pd.DataFrame(columns=out_columns).astype(
            {"sentences": int, "mean_compound": float, "positive": int, "negative": int,
             "positive_share": float, "negative_share": float})
    scored = scored.assign(_positive=(scored["polarity"] == "positive").astype(int),
                           _negative=(scored["polarity"] == "negative").astype(int))
    grouped = scored.groupby(columns or ["_group"], sort=False)
    table = grouped.agg(
        sentences=("compound", "size"),
        mean_compound=("compound", "mean"),
        positive=("_positive", "sum"),
        negative=("_negative", "sum"),
    ).reset_index()
    table["mean_compound"] = table["mean_compound"].round(4)
    table["positive_share"] = (table["positive"] / table["sentences"]).round(4)
    table["negative_share"] = (table["negative"] / table["sentences"]).round(4)
    return table[out_columns]


@constrained(n=Interval(1, MAX_ROWS))
def strongest_evaluations(processed: Processed, n: int = 5,
                          scored: pd.DataFrame | None = None, *, where=None) -> pd.DataFrame:
    """The ``n`` most positive and ``n`` most negative sentences, for checking by reading.

    Sentences are ranked by compound score (descending for positive, ascending for negative),
    ties broken by document (corpus order) and sentence number. Only sentences beyond the
    thresholds are listed, so fewer than ``n`` may appear. ``scored`` (:func:`evaluation` of
    the corpus) saves scoring it again.

    Returns
    -------
    DataFrame
        ``direction, rank, doc, section, sentence, compound, positive_words,
        negative_words, text``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = strongest_evaluations(process(load_corpus()), n=2)
    >>> table = table[["direction", "rank", "doc", "sentence", "compound"]]
    >>> table  # doctest: +NORMALIZE_WHITESPACE
      direction  rank              doc  sentence  compound
    0  positive     1     award-report         5    0.9231
    1  positive     2  songtao-article        27    0.9186
    2  negative     1  songtao-article        16   -0.5994
    3  negative     2  songtao-article        45   -0.5423
    """
    processed = units.select(processed, where)
    scored = units.restrict(scored, processed)
    scored = evaluation(processed) if scored is None else scored
    order = {d: i for i, d in enumerate(processed.corpus.ids)}
    scored = scored.assign(_doc=scored["doc"].map(order))
    parts = []
    for direction, sign in (("positive", -1), ("negative", 1)):
        subset = scored[scored["polarity"] == direction]
        subset = subset.assign(_key=sign * subset["compound"])
        subset = subset.sort_values(["_key", "_doc", "sentence"]).head(n)
        parts.append(subset.assign(direction=direction, rank=range(1, len(subset) + 1)))
    table = pd.concat(parts, ignore_index=True)
    return table[["direction", "rank", "doc", "section", "sentence", "compound",
                  "positive_words", "negative_words", "text"]]
