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
"""

from __future__ import annotations

import numpy as np

from analysis.text.process import Processed

__all__ = ["ENGLISH_MIN_SHARE", "english_share", "reads_as_english"]

#: Least share of English function words among a corpus's words for it to read as English
#: (half of the lowest share measured on English text, the headlines' 0.30).
ENGLISH_MIN_SHARE = 0.15


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
