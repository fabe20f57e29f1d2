"""The paragraphs the noise checks read: each condition against the searches it stands for."""

from __future__ import annotations

import random

import numpy as np
from conftest import toy

from analysis.overview import CAMEL_CASE, GLUED_PUNCTUATION
from analysis.text.noise import CHECKS, candidates


def test_conditions_by_hand(make_corpus):
    p = toy(make_corpus, "We met SaraKhan today.\nIt came.Then rain.\nYes;no maybe.\n"
                         "Caf\u00e9 \u2014 open.\nShare this\nU.S. policy, A.B.C. and 12,000.\n")
    found = candidates(p, letters=10)
    assert list(found) == list(CHECKS)
    assert found["camel"].tolist() == [True, False, False, False, False, False]
    # 'came.Then' and 'Yes;no'; 'U.S.' has no lower-case letter before its full stops.
    assert found["glued"].tolist() == [False, True, True, False, False, False]
    assert found["non_ascii"].tolist() == [False, False, False, True, False, False]
    # ASCII letters: 18, 14, 10, 7, 9, 14.
    assert found["short"].tolist() == [False, False, True, True, True, False]


def test_every_match_is_in_a_candidate_paragraph(make_corpus):
    # Random paragraphs of letters, punctuation, digits, spaces and characters past ASCII
    # (the byte offsets of paragraphs after them shift): a paragraph with a match of either
    # expression is always a candidate; one with no character past ASCII never is one for
    # ftfy; the letter counts are exact on both sides of the limit, past the bytes counted
    # at once (HEAD) too.
    rng = random.Random(5)
    alphabet = "aBcDeFxyzQ .,;:&!?-'\u00e9\u2014\u4e2d12 "
    paragraphs = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
                  .strip(" .") or "x" for _ in range(300)]
    p = toy(make_corpus, "\n".join(paragraphs) + "\n")
    c = p.columns
    texts = [p.texts[p.doc_ids[d]][s:e] for d, s, e in zip(c.para_doc, c.para_start,
                                                           c.para_end, strict=True)]
    found = candidates(p, letters=12)
    camel = np.array([bool(CAMEL_CASE.search(t)) for t in texts])
    glued = np.array([bool(GLUED_PUNCTUATION.search(t)) for t in texts])
    assert camel.any() and glued.any()
    assert not (camel & ~found["camel"]).any()
    assert not (glued & ~found["glued"]).any()
    assert found["non_ascii"].tolist() == [not t.isascii() for t in texts]
    letters = np.array([sum(ch.isascii() and ch.isalpha() for ch in t) for t in texts])
    assert found["short"].tolist() == (letters <= 12).tolist()
    assert (letters <= 12).any() and (letters > 12).any()
