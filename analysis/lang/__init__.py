"""Languages: the language of each document, and what the workbench knows of each language.

Each document has a language (an ISO 639-1 code, :mod:`analysis.lang.codes`), from, in this
order: ``--lang CODE`` (:meth:`analysis.corpus.Corpus.with_lang`, the whole corpus), its
``lang`` document variable (a metadata or table column), or detection
(:mod:`analysis.lang.detect`). :func:`languages` lists them with where each came from; it
is the ``lang`` document variable of ``--by lang`` and ``--where lang=ur``. Each language
has a folder here (``en/``, ``zh/``, ``ur/``, ``hi/``, ``ar/``, ``de/``) holding its
:class:`~analysis.lang.base.Language` record: tokenizer, sentence ends, stop words,
reference frequencies, letter variants, measures (:func:`language`).

Adding a language
    A folder ``xx/`` (its ISO 639-1 code) whose ``__init__.py`` defines ``LANGUAGE``, a
    :class:`~analysis.lang.base.Language` (``de/`` is the smallest example); :func:`language`
    finds it by its code, and a language without a folder gets the shared rules
    (:func:`~analysis.lang.base.generic`).

Reading as English
    Its lexicons, VADER's sentiment words, the road grammar and Flesch's constants are
    English; a report must know when a corpus does not read as English, so that it states no
    finding of an English method about it.

The test is the share of the corpus's words that are English function words (scikit-learn's
318 stop words): about 0.4 in the seed texts, 0.5 in the 2012 convention speeches, 0.3 in the
Guardian headlines of 2020 (`bench/real_corpus.py`), and 0.04 in German news (Universal
Dependencies German-GSD), where only words such as *in*, *an* and *so* are shared. Very
short, telegraphic text can fall below the threshold; the reports then say so and state no
finding of an English method, which errs on the side of silence.

Some scripts are written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
Myanmar, Tibetan). A document in Chinese is segmented into words by jieba (``zh/``); in the
others, and in Chinese inside a document of another language, the tokenizer splits words at
spaces and punctuation only, so a run of such characters, often a whole clause, is one
token: what the workbench counts in such text is not words. :func:`unspaced_share`
measures how much of a corpus that is, so that a count model (Wordfish, Wordscores) is not
fitted on it; a Chinese document's words, segmented, are counted like any others.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.lang.base import Language, generic
from analysis.lang.codes import CODES, check_code

if TYPE_CHECKING:
    from analysis.corpus import Corpus
# A processed corpus (analysis.text.process.Processed) is not imported here: processing
# imports this package for each document's language.

__all__ = ["CODES", "DEFAULT", "ENGLISH_MIN_SHARE", "LANG_COLUMN", "MEASURE_NAMES", "SOURCES",
           "UNSPACED_MAX_SHARE",
           "Language", "check_code", "document_language", "english_share", "language",
           "languages", "lacking", "reads_as_english", "remember", "resolve", "unspaced_share",
           "with_measure"]

#: The document variable that holds a document's language.
LANG_COLUMN = "lang"
#: Where a document's language came from, as :func:`languages` says it.
SOURCES = ("--lang", "metadata", "detected", "uncertain")
#: The language of a document whose detected language is uncertain: the workbench's rules
#: (English), the document listed as ``uncertain`` (processed, not dropped).
DEFAULT = "en"
# Languages resolved by processing (analysis.text.process), so that a warm command does not
# detect them again: corpus -> languages() table.
_KNOWN: dict = {}


def language(code: str) -> Language:
    """The record of a language: its folder's where it has one, else the shared rules.

    Examples
    --------
    >>> language("zh").tokenizer, language("ur").sentence_ends[0], language("fr").name
    ('jieba', '۔', 'fr')
    """
    if code not in CODES:
        raise ValueError(f"lang {code!r} is not an ISO 639-1 language code")
    try:
        module = importlib.import_module(f"analysis.lang.{code}")
    except ModuleNotFoundError:
        return generic(code)
    return module.LANGUAGE


def resolve(corpus: Corpus) -> pd.DataFrame:
    """:func:`languages` computed (detection run where needed), not looked up."""
    pairs = [document_language(doc, corpus.lang) for doc in corpus]
    return pd.DataFrame({"doc": corpus.ids, "lang": [code for code, _ in pairs],
                         "lang_source": [source for _, source in pairs]})


def document_language(doc, forced: str = "") -> tuple[str, str]:
    """One document's language and where it came from (a row of :func:`languages`):
    ``forced`` (the corpus's ``--lang``), else its ``lang`` variable, else detected.

    Processing calls it in its worker processes, for the documents of each batch, so that
    detection runs beside the rest of the work on a document.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> doc = load_corpus().documents[0]
    >>> document_language(doc), document_language(doc, "de")
    (('en', 'detected'), ('de', '--lang'))
    """
    from analysis.lang.detect import UNCERTAIN_BELOW, detect

    given = doc.metadata.get(LANG_COLUMN, "")
    if forced:
        return forced, "--lang"
    if given:
        return check_code(given, f"document {doc.id}"), "metadata"
    code, probability = detect(doc.raw)
    if probability < UNCERTAIN_BELOW:  # a few words, a heading: too little to tell
        return DEFAULT, "uncertain"
    return code, "detected"


def remember(corpus: Corpus, table: pd.DataFrame) -> None:
    """Keep the languages of a corpus (processing knows them), for :func:`languages`."""
    if len(_KNOWN) > 64:
        _KNOWN.clear()
    _KNOWN[corpus] = table


def languages(corpus: Corpus) -> pd.DataFrame:
    """Each document's language and where it came from.

    Returns
    -------
    DataFrame
        ``doc, lang, lang_source``: the ISO 639-1 code, and ``--lang``, ``metadata``,
        ``detected`` or ``uncertain`` (:data:`SOURCES`; a language detected with a
        probability under :data:`analysis.lang.detect.UNCERTAIN_BELOW` is not taken: the
        document is in :data:`DEFAULT`), in corpus order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> languages(load_corpus())  # doctest: +NORMALIZE_WHITESPACE
                   doc lang lang_source
    0  songtao-article   en    detected
    1     award-report   en    detected
    """
    table = _KNOWN.get(corpus)
    if table is None:
        table = resolve(corpus)
        remember(corpus, table)
    return table


#: What each measure of :data:`analysis.lang.base.MEASURES` is, for the line that says a
#: language has none.
MEASURE_NAMES = {"readability": "Flesch's formulas", "sentiment": "VADER's lexicon",
                 "roads": "the four-roads grammar", "dictionaries": "the English dictionaries"}


def with_measure(processed, measure: str) -> tuple[object, str | None]:
    """The documents of a processed corpus in languages a measure is defined for, and one
    line naming the languages left out (None when none is).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> kept, note = with_measure(process(load_corpus()), "roads")
    >>> len(kept.corpus), note
    (2, None)
    """
    codes = languages(processed.corpus)["lang"].to_numpy()
    missing = lacking(processed, measure)
    if not missing:
        return processed, None
    keep = ~np.isin(codes, missing)
    note = (f"{measure}: no method for {', '.join(missing)} ({MEASURE_NAMES[measure]} "
            f"{'is' if measure != 'readability' else 'are'} English); "
            f"{int((~keep).sum())} of {len(codes)} documents left out")
    return processed.subset(keep), note


def lacking(processed, measure: str, by: str | None = None) -> list[str]:
    """The languages of a processed corpus for which a measure is not defined.

    ``measure`` is one of :data:`analysis.lang.base.MEASURES`.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> lacking(process(load_corpus()), "readability")
    []
    """
    codes = sorted(set(languages(processed.corpus)["lang"]))
    return [code for code in codes if measure not in language(code).measures]

#: Least share of English function words among a corpus's words for it to read as English
#: (half of the lowest share measured on English text, the headlines' 0.30).
ENGLISH_MIN_SHARE = 0.15
#: Most share of a corpus's word characters in scripts written without spaces between words
#: for its tokens to be counted as words (:func:`unspaced_share`).
UNSPACED_MAX_SHARE = 0.05
# Unicode blocks of scripts written without spaces between words: Thai, Lao, Tibetan,
# Myanmar, Khmer, CJK punctuation to Katakana (kana), CJK Extension A, CJK Unified
# Ideographs, CJK Compatibility Ideographs, half-width Katakana, the CJK supplementary planes.
_UNSPACED = re.compile("[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff"
                       "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                       "\uff66-\uff9f\U00020000-\U0003134f]")


def english_share(processed) -> float:
    """The share of the corpus's word tokens that are English function words.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> round(english_share(process(load_corpus())), 2)
    0.42
    """
    from analysis.lexicons import english_stop_words

    c = processed.columns
    rows = c.word_rows
    if not len(rows):
        return 0.0
    # scikit-learn's English list itself, not the corpus's stop words (an analyst's own
    # additions or removals say nothing of its language)
    english = np.isin(c.term_names, list(english_stop_words()))
    return float(np.mean(english[c.surface_term[c.tok_surface[rows]]]))


def reads_as_english(processed) -> bool:
    """Whether at least :data:`ENGLISH_MIN_SHARE` of the corpus's words are English function
    words.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> reads_as_english(process(load_corpus()))
    True
    """
    return english_share(processed) >= ENGLISH_MIN_SHARE


def unspaced_share(processed) -> float:
    """The share of the characters of the corpus's word tokens that belong to scripts
    written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan)
    and that no segmenter cut into words.

    In such text a token is a run of characters between punctuation marks, not a word, so a
    model of word counts has no words to count. Characters, not tokens, are counted: a
    clause of Chinese is one token but many words. The tokens of a document in a language
    with a segmenter (Chinese: jieba's dictionary, :mod:`analysis.lang.zh`) are words and
    are not counted; Chinese inside a document of another language is.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> unspaced_share(process(load_corpus()))
    0.0
    """
    c = processed.columns
    rows = c.word_rows
    codes = languages(processed.corpus)["lang"].tolist()
    segmented = np.array([language(code).tokenizer != "scanner" for code in codes], dtype=bool)
    if segmented.any():
        rows = rows[~segmented[c.tok_doc[rows]]]
    if not len(rows):
        return 0.0
    terms = c.surface_term[c.tok_surface[rows]]
    counts = np.bincount(terms, minlength=len(c.term_names))
    used = np.flatnonzero(counts)
    names = c.term_names[used]
    unspaced = np.array([len(_UNSPACED.findall(t)) for t in names], dtype=np.int64)
    length = np.array([len(t) for t in names], dtype=np.int64)
    total = int(counts[used] @ length)
    return float(counts[used] @ unspaced / total) if total else 0.0
