"""Which paragraphs the noise checks need to read: necessary conditions from the texts' bytes.

:func:`analysis.overview.suspected_noise` searches every paragraph of the cleaned text with a
few regular expressions (camel-case words, punctuation glued between words, a repeated
word), repairs its mojibake and compares it with the boilerplate phrases. Python's regular
expressions read about ten million characters a second, so on a corpus of ten million
words (56 million characters) each expression alone takes seconds. Most paragraphs cannot
hold a match of the first two or need no repair: :func:`candidates` finds, with array
operations over the texts' UTF-8 bytes (no text decoded), the paragraphs where a match is
possible, and only those are searched. Each condition is implied by a match, so the rows
found are the rows a search of every paragraph finds:

camel-case (``\\b[A-Z]?[a-z]{2,}[A-Z][a-z]{2,}\\w*``)
    a lower-case ASCII letter followed by an upper-case one;
glued punctuation (``[A-Za-z]{2,}[&;:!?,][A-Za-z]{2,}`` or ``[a-z]{2,}\\.[A-Z][a-z]+``)
    an ASCII letter, one of ``&;:!?,``, an ASCII letter; or a lower-case ASCII letter, a
    full stop, an upper-case one;
broken encoding
    a character past ASCII (ftfy's test needs one);
boilerplate phrase
    at most as many ASCII letters as the longest phrase (each ASCII letter of a paragraph
    stays one letter of the text compared with the phrases).

A repeated word (``\\b(\\w+)\\s+\\1\\b``, ignoring case) may stand anywhere: every paragraph
is searched for it.
"""

from __future__ import annotations

import numpy as np

from analysis.text.process import Processed

__all__ = ["CHECKS", "candidates"]

#: The columns of :func:`candidates`.
CHECKS = ("camel", "glued", "non_ascii", "short")
#: Bytes of each paragraph whose letters are counted at once.
HEAD = 64


def candidates(processed: Processed, letters: int) -> dict[str, np.ndarray]:
    """For each paragraph row of :attr:`Processed.columns`, whether each noise check may
    find something in it (module docstring).

    Parameters
    ----------
    processed : Processed
    letters : int
        The most ASCII letters of a paragraph that may be a boilerplate phrase (its longest).

    Returns
    -------
    dict
        ``camel``, ``glued``, ``non_ascii`` and ``short`` (at most ``letters`` ASCII
        letters): a boolean per paragraph.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Document
    >>> from analysis.text.process import compute
    >>> text = "The the plan.\\nA HarbourView.\\nWe saw it;then left.\\nCaf\\u00e9 time."
    >>> found = candidates(compute(Corpus((Document("a", "a.txt", text),))), letters=10)
    >>> {k: v.tolist() for k, v in found.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'camel': [False, True, False, False], 'glued': [False, False, True, False],
     'non_ascii': [False, False, False, True], 'short': [True, False, False, True]}
    """
    c = processed.columns
    texts = processed.texts
    n_para = len(c.para_doc)
    out = {name: np.zeros(n_para, dtype=bool) for name in CHECKS}
    if not n_para:
        return out
    data = texts.data
    # Each paragraph's bytes
    lo = texts.byte_offsets(c.para_doc, c.para_start).astype(np.int64)
    hi = texts.byte_offsets(c.para_doc, c.para_end).astype(np.int64)
    lower = (data >= 0x61) & (data <= 0x7A)
    upper = (data >= 0x41) & (data <= 0x5A)
    letter = lower | upper
    # At most ``letters`` ASCII letters: counted in each paragraph's first HEAD bytes, then
    # exactly in the longer paragraphs that have few there.
    steps = np.arange(HEAD)
    inside = steps < np.minimum(hi - lo, HEAD)[:, None]
    head = (letter[np.minimum(lo[:, None] + steps, max(len(data) - 1, 0))] & inside).sum(axis=1)
    out["short"] = head <= letters
    for k in np.flatnonzero(out["short"] & (hi - lo > HEAD)).tolist():
        out["short"][k] = int(letter[lo[k]:hi[k]].sum()) <= letters
    order = np.argsort(lo, kind="stable")  # paragraphs by their first byte

    def mark(name: str, at: np.ndarray, width: int) -> None:
        # The paragraphs holding the bytes at..at + width - 1 (all of them in it).
        k = order[np.searchsorted(lo[order], at, side="right") - 1]
        inside = (at >= lo[k]) & (at + width <= hi[k])
        out[name][k[inside]] = True

    mark("non_ascii", np.flatnonzero(data >= 0x80), 1)
    mark("camel", np.flatnonzero(lower[:-1] & upper[1:]), 2)
    glue = np.zeros(256, dtype=bool)
    glue[list(b"&;:!?,")] = True
    if len(data) > 2:
        mark("glued", np.flatnonzero(letter[:-2] & glue[data[1:-1]] & letter[2:]
                                     | lower[:-2] & (data[1:-1] == 0x2E) & upper[2:]), 3)
    return out
