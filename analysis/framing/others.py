"""The named others of a text: the adversaries and other outsiders it names (*external
powers*, *hegemonists*, *the West*), found by the dictionary engine.

The case study's list, ``dictionaries/data/others.csv`` (categories ``kind.label``, kind
``adversary`` or ``other``, each entry with its source), was written for the seed texts; the
road metaphors (:mod:`analysis.framing.roads`) and the participants of
:func:`analysis.stance.participants` read it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import config, units
from analysis.dictionaries import Dictionary, read_dictionary
from analysis.dictionaries.lookup import find, match_table
from analysis.params import shared_docs
from analysis.text.process import Processed

__all__ = ["case_study_others", "named_others"]

#: The case study's named others, in the dictionary engine's CSV layout.
OTHERS = config.PACKAGE_DIR / "dictionaries" / "data" / "others.csv"


@lru_cache(maxsize=1)
def case_study_others() -> Dictionary:
    """The named others written for the seed corpus, ``dictionaries/data/others.csv``:
    categories ``kind.label`` (kind ``adversary`` or ``other``), each entry with its source.

    Examples
    --------
    >>> d = case_study_others()
    >>> d.case_study, d.categories(level=1), d.categories()[0]
    (True, ['adversary', 'other'], 'adversary.external powers')
    """
    return read_dictionary(OTHERS, case_study=True)


@shared_docs
def named_others(processed: Processed, dictionary: Dictionary | None = None, *,
                 where=None, docs=None) -> pd.DataFrame:
    """Every mention of a named other, with its sentence.

    Parameters
    ----------
    {processed}
    {where}
    dictionary : Dictionary, optional
        Categories ``kind.label``; default :func:`case_study_others`.
    docs : sequence of int, optional
        Only the mentions in these documents (their places in the corpus); default all.

    Returns
    -------
    DataFrame
        ``doc, section, voice, paragraph, sentence, label, kind, match, text``, in corpus and
        text order.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> others = named_others(process(load_corpus()))
    >>> others[["doc", "label", "kind"]]  # doctest: +NORMALIZE_WHITESPACE
                   doc             label       kind
    0  songtao-article   external powers  adversary
    1     award-report  US-China rivalry      other
    """
    processed = units.select(processed, where)
    dictionary = case_study_others() if dictionary is None else dictionary
    found = find(processed, dictionary)
    pick = None
    if docs is not None:
        c = processed.columns
        wanted = np.zeros(c.n_docs, dtype=bool)
        wanted[np.asarray(docs, dtype=np.int64)] = True
        pick = wanted[c.para_doc[c.sent_para[c.tok_sentence[found.start]]]]
    table = match_table(processed, found, pick)
    path = table["category"].str.split(".", n=1)
    table["kind"], table["label"] = path.str[0], path.str[-1]
    return table[["doc", "section", "voice", "paragraph", "sentence", "label", "kind", "match",
                  "text"]]
