"""Segmentation by language: sentences, tokens and letter variants as a language's record says.

:mod:`analysis.text.process` calls these with each document's
:class:`~analysis.lang.base.Language`; English takes the project's rules unchanged
(:func:`analysis.text.segment.sentence_spans`, :func:`analysis.text.segment.token_spans`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from analysis.lang.base import CLOSERS, Language
from analysis.text.segment import sentence_spans, token_spans

__all__ = ["ARABIC_MARKS", "HAN", "fold_letters", "language_sentence_spans",
           "language_token_spans"]

#: Han characters (CJK Unified Ideographs, Extension A, Compatibility, the supplementary
#: planes): what the Chinese segmenter segments.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


@lru_cache(maxsize=16)
def _end_pattern(ends: str, space_after: bool) -> re.Pattern:
    closers = re.escape(CLOSERS)
    tail = r"(?:\s+|$)" if space_after else r"\s*"
    return re.compile(f"[{re.escape(ends)}]+[{closers}]*{tail}")


def language_sentence_spans(paragraph: str, lang: Language) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph in a language.

    English (``sentence_ends`` None) takes :func:`analysis.text.segment.sentence_spans`.
    Otherwise a sentence ends after a run of the language's end characters and the closing
    quotes and brackets that follow them (:data:`analysis.lang.base.CLOSERS`), where white
    space follows (or, in a language written without spaces, at once).

    Examples
    --------
    >>> from analysis.lang import language
    >>> text = "پاکستان ایک ملک ہے۔ چین دوست ہے۔ یہ سچ ہے۔"
    >>> len(language_sentence_spans(text, language("ur")))
    3
    >>> text = "他说：“好！”我们同意。"
    >>> [text[a:b] for a, b in language_sentence_spans(text, language("zh"))]
    ['他说：“好！”', '我们同意。']
    """
    if lang.sentence_ends is None:
        spans = sentence_spans(paragraph)
        return _joined(paragraph, spans, lang.sentence_joins) if lang.sentence_joins else spans
    spans, start = [], 0
    for match in _end_pattern(lang.sentence_ends, lang.space_after_end).finditer(paragraph):
        end = match.end()
        if end >= len(paragraph):
            break
        spans.append((start, len(paragraph[start:end].rstrip()) + start))
        start = end
    spans.append((start, len(paragraph)))
    return _joined(paragraph, spans, lang.sentence_joins) if lang.sentence_joins else spans


#: How far back from a break the text before it is read for a join (the longest German
#: abbreviation or ``article + number + .`` is far shorter).
_JOIN_REACH = 40


@lru_cache(maxsize=16)
def _join_patterns(joins: tuple) -> tuple:
    return tuple((re.compile(f"(?:{before})$"), re.compile(after)) for before, after in joins)


def _joined(paragraph: str, spans: list, joins: tuple) -> list[tuple[int, int]]:
    """Sentence spans with the breaks the language's ``sentence_joins`` say end no sentence
    taken out (the two sentences made one)."""
    patterns = _join_patterns(joins)
    out = [spans[0]]
    for start, end in spans[1:]:
        first, last = out[-1]
        if any(before.search(paragraph, max(first, last - _JOIN_REACH), last)
               and after.match(paragraph, start) for before, after in patterns):
            out[-1] = (first, end)
        else:
            out.append((start, end))
    return out


@lru_cache(maxsize=1)
def _jieba():
    """jieba's own tokenizer (Python), the peer of :func:`_cut` in ``bench/``."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict..." on stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _cut(text: str) -> list[str]:
    """The words of a run of Han characters: jieba's algorithm (the longest path through
    the word graph of its dictionary, then its HMM for words not in the dictionary) as
    jieba-rs implements it in Rust (package ``rjieba``, MIT), with the dictionary jieba
    ships; on the Chinese GSDSimp treebank its words are jieba's to within 0.001 of F1, 20
    times as fast (``bench/results.md``)."""
    import rjieba

    return rjieba.cut(text, hmm=True)


def language_token_spans(text: str, lang: Language):
    """Tokens of a text in a language: :func:`analysis.text.segment.token_spans`, and in a
    language segmented by jieba every run of Han characters inside a token cut into words
    (jieba's dictionary and algorithm, in Rust: :func:`_cut`).

    Returns the same four things as :func:`~analysis.text.segment.token_spans`.

    Examples
    --------
    >>> from analysis.lang import language
    >>> language_token_spans("中巴经济走廊是一带一路的旗舰项目", language("zh"))[2]
    ['中巴', '经济', '走廊', '是', '一带', '一路', '的', '旗舰', '项目']
    """
    starts, ends, surfaces, terms = token_spans(text)
    if lang.tokenizer != "jieba" or not HAN.search(text):
        return starts, ends, surfaces, terms
    # One call for all the tokens, each token with Han characters as it is and every other
    # as nothing, joined by line breaks: jieba cuts its input into blocks at every character
    # that is not Han, a letter or a digit and segments each block alone, so each token's
    # words are those it has cut alone, and each line break (a token holds no white space)
    # is a word of its own between two tokens' words.
    han = np.fromiter((HAN.search(surface) is not None for surface in surfaces), dtype=bool,
                      count=len(surfaces))
    joined = "\n".join([s if h else "" for s, h in zip(surfaces, han.tolist(), strict=True)])
    words = np.array(_cut(joined), dtype=object)
    is_break = words == "\n"
    words = words[~is_break]
    token = (np.cumsum(is_break) - is_break)[~is_break]  # the token each word is cut from
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    before = np.cumsum(lengths) - lengths  # characters of the words before each word
    first = np.flatnonzero(np.r_[True, token[1:] != token[:-1]])  # each token's first word
    word_starts = starts[token] + before - np.repeat(before[first], np.diff(np.r_[first,
                                                                               len(token)]))
    # the words' terms: lower-cased (Han characters have no case: most texts need nothing)
    word_terms = words
    if joined.lower() != joined:
        cased = np.fromiter((s.lower() != s for s in surfaces), dtype=bool, count=len(han))
        at = np.flatnonzero(cased[token])
        word_terms = words.copy()
        word_terms[at] = [w.lower() for w in words[at].tolist()]
    # the tokens without Han characters as the scanner gave them, in their places
    kept = np.flatnonzero(~han)
    order = np.argsort(np.r_[token, kept], kind="stable")
    new_starts = np.r_[word_starts, starts[kept]][order]
    new_ends = np.r_[word_starts + lengths, ends[kept]][order]
    new_surfaces = np.r_[words, np.array(surfaces, dtype=object)[kept]][order]
    new_terms = np.r_[word_terms, np.array(terms, dtype=object)[kept]][order]
    return (new_starts.astype(np.int64), new_ends.astype(np.int64), new_surfaces.tolist(),
            new_terms.tolist())


#: The combining marks of the Arabic script (harakat, superscript alef, Quranic marks), as the
#: body of a character class: they sit between two letters of one word.
ARABIC_MARKS = ("\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8"
                "\u06ea-\u06ed")


@lru_cache(maxsize=16)
def _fold_pattern(letters: tuple, inside: tuple) -> re.Pattern:
    """One pattern for a language's folds: any of ``letters``' characters (the group
    ``letters``), or a match of one of ``inside``'s patterns where a letter follows it, past
    combining marks (the group ``inside<k>``)."""
    parts = []
    if letters:
        parts.append("(?P<letters>[" + re.escape("".join(a for a, _ in letters)) + "])")
    for k, (pattern, _) in enumerate(inside):
        parts.append(f"(?P<inside{k}>{pattern})(?=[{ARABIC_MARKS}]*[^\\W\\d_])")
    return re.compile("|".join(parts))


def fold_letters(text: str, lang: Language) -> tuple[str, list[tuple[int, str, str]]]:
    """The text with the language's letter variants folded, and each change as ``(offset in
    the given text, before, after)``.

    ``lang.letters`` are folded wherever they stand; ``lang.letters_inside`` only inside a
    word, where a letter follows (combining marks between are passed over), so that a letter
    right at a word's end stays: in Urdu ``مےں`` becomes ``میں`` while ``کے``, ``سے`` and
    ``ہے`` keep their ے, and so does the prefix ``بے`` (``بےشک``).

    Examples
    --------
    >>> from analysis.lang import language
    >>> fold_letters("پاكـستان", language("ur"))
    ('پاکستان', [(2, 'ك', 'ک'), (3, 'ـ', '')])
    >>> fold_letters("مےں نے", language("ur"))
    ('میں نے', [(1, 'ے', 'ی')])
    """
    if not lang.letters and not lang.letters_inside:
        return text, []
    table = dict(lang.letters)
    inside = {f"inside{k}": to for k, (_, to) in enumerate(lang.letters_inside)}

    def after(m: re.Match) -> str:
        return table[m.group()] if m.lastgroup == "letters" else inside[m.lastgroup]

    pattern = _fold_pattern(lang.letters, lang.letters_inside)
    changes = [(m.start(), m.group(), after(m)) for m in pattern.finditer(text)]
    if not changes:
        return text, []
    return pattern.sub(after, text), changes
