"""Languages: what the workbench knows of the language a corpus is written in.

Its lexicons, VADER's sentiment words, the road grammar, the stop list, Flesch's constants
and the general reference frequencies of keyness are English. Until a language has its own
folder here (tokens, stop words, reference frequencies, the measures defined for it), a
report must know when a corpus does not read as English, so that it states no finding of
an English method about it.

The test is the share of the corpus's words that are English function words (scikit-learn's
318 stop words): about 0.4 in the seed texts, 0.5 in the 2012 convention speeches, 0.3 in the
Guardian headlines of 2020 (`bench/real_corpus.py`), and 0.04 in German news (Universal
Dependencies German-GSD), where only words such as *in*, *an* and *so* are shared. Very
short, telegraphic text can fall below the threshold; the reports then say so and state no
finding of an English method, which errs on the side of silence.

Some scripts are written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
Myanmar, Tibetan). The tokenizer splits words at spaces and punctuation, so a run of such
characters, often a whole clause, is one token: what the workbench counts in such text is
not words. :func:`unspaced_share` measures how much of a corpus that is, so that a count
model (Wordfish, Wordscores) is not fitted on it.
"""

from __future__ import annotations

import re

import numpy as np

from analysis.text.process import Processed

__all__ = ["ENGLISH_MIN_SHARE", "UNSPACED_MAX_SHARE", "english_share", "reads_as_english",
           "unspaced_share"]

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


def english_share(processed: Processed) -> float:
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


def reads_as_english(processed: Processed) -> bool:
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


def unspaced_share(processed: Processed) -> float:
    """The share of the characters of the corpus's word tokens that belong to scripts
    written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan).

    In such text a token is a run of characters between punctuation marks, not a word, so a
    model of word counts has no words to count. Characters, not tokens, are counted: a
    clause of Chinese is one token but many words.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> unspaced_share(process(load_corpus()))
    0.0
    """
    c = processed.columns
    rows = c.word_rows
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
