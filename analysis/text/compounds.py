"""Phrases joined into single terms (compounds), as quanteda's ``tokens_compound`` does.

An analyst lists phrases (``--compound FILE``) or takes the strongest word sequences the
corpus has (``--compound-top N``, :mod:`analysis.phrases`); processing then
joins every occurrence of a phrase into one token, so that word lists, keyness, the
concordance, collocates, topics and every other analysis count ``united_nations`` where they
counted ``united`` and ``nations``. The phrases are part of the corpus
(:attr:`analysis.corpus.Corpus.compounds`) and of the processing cache's key.

The rules (quanteda's ``tokens_compound`` with its defaults, ``valuetype = "glob"``,
``case_insensitive = TRUE``, ``join = TRUE``, ``window = 0``, concatenator ``_``:
https://quanteda.io/reference/tokens_compound.html):

- A phrase is a sequence of token patterns. A line of a phrase file is split at white space;
  a piece without ``*``, ``?`` or ``[`` is tokenized as texts are (``China's economy`` is
  ``china 's economy``), a piece with them is a glob matched against one token's term
  (``asylum seeker*`` matches ``asylum seekers``). Matching ignores case (terms are
  lower-cased).
- The joined token's term is the terms of its tokens joined by :data:`CONCATENATOR`
  (``united_nations``), its surface the surfaces joined so (``United_Nations``); its offsets
  run from the first token's start to the last one's end, so a concordance shows the text as
  written (``United Nations``).
- Matches that overlap (share a token) are joined into one compound (``join = TRUE``): with
  the phrases ``a b`` and ``b c``, ``a b c`` becomes ``a_b_c``. Matches that only touch stay
  apart: ``a b c d`` with ``a b`` and ``c d`` gives ``a_b c_d``.
- A phrase never crosses a sentence, and only white space may stand between its tokens (a
  comma or a dash between two words ends a phrase, as it ends a sequence in
  :mod:`analysis.sequences`; quanteda keeps punctuation as tokens, which has the same
  effect).
- A joined token is a word and not a stop word.

Input: the arrays :func:`analysis.text.process.process` merges (before they are cached);
output: the same arrays with phrases joined, and :func:`joined`, the table of the compounds
a processed corpus holds.
"""

from __future__ import annotations

import fnmatch
import re

import numpy as np
import pandas as pd

from analysis import store
from analysis.lexicons import read_lines
from analysis.text.segment import NON_WORDS, token_spans

__all__ = ["CONCATENATOR", "MAX_PHRASE", "joined", "join_phrases", "parse_phrase",
           "read_phrases"]

#: What joins the tokens of a phrase into one term (quanteda's default).
CONCATENATOR = "_"
#: Most token patterns a phrase may have.
MAX_PHRASE = 10
_GLOB = re.compile(r"[*?\[]")


def parse_phrase(line: str) -> tuple[str, ...]:
    """The token patterns of one phrase (module docstring: the rules).

    Raises
    ------
    ValueError
        A phrase of fewer than two tokens, more than :data:`MAX_PHRASE`, or only wildcards.

    Examples
    --------
    >>> parse_phrase("United Nations"), parse_phrase("asylum seeker*")
    (('united', 'nations'), ('asylum', 'seeker*'))
    >>> parse_phrase("China's economy")
    ('china', "'s", 'economy')
    >>> parse_phrase("nations")
    Traceback (most recent call last):
    ValueError: 'nations' is one token; a phrase to join has two or more
    """
    pieces: list[str] = []
    for piece in line.split():
        if _GLOB.search(piece):
            pieces.append(piece.lower())
        else:
            pieces.extend(token_spans(piece)[3])
    shown = " ".join(line.split())[:60]
    if len(pieces) < 2:
        raise ValueError(f"{shown!r} is {'one token' if pieces else 'no token'}; a phrase "
                         f"to join has two or more")
    if len(pieces) > MAX_PHRASE:
        raise ValueError(f"{shown!r} has {len(pieces)} tokens; a phrase has at most "
                         f"{MAX_PHRASE}")
    if all(not piece.strip("*?") for piece in pieces):
        raise ValueError(f"{shown!r} is only wildcards: it would join every run of tokens")
    return tuple(pieces)


def read_phrases(path) -> tuple[tuple[str, ...], ...]:
    """Read a phrase file: one phrase a line, UTF-8, globs allowed (:func:`parse_phrase`).

    Blank lines and lines starting with ``#`` are skipped (:func:`analysis.lexicons.
    read_lines`); a phrase given twice is kept once.

    Raises
    ------
    ValueError
        One line naming the file and the line: unreadable, not UTF-8, binary, or a line that
        is not a phrase.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "phrases.txt"
    ...     _ = path.write_text("# bodies\\nUnited Nations\\n\\nasylum seeker*\\n")
    ...     phrases = read_phrases(path)
    >>> phrases
    (('united', 'nations'), ('asylum', 'seeker*'))
    """
    phrases: dict[tuple[str, ...], None] = {}
    for number, text in read_lines(path):
        try:
            phrases[parse_phrase(text.strip())] = None
        except ValueError as err:
            raise ValueError(f"{path}: line {number}: {err}") from None
    return tuple(phrases)


def _piece_codes(piece: str, vocabulary: np.ndarray) -> np.ndarray:
    """Which terms of the vocabulary a token pattern matches (a lookup table)."""
    if not _GLOB.search(piece):
        return vocabulary == piece
    test = re.compile(fnmatch.translate(piece)).match
    return np.fromiter((test(t) is not None for t in vocabulary.tolist()), dtype=bool,
                       count=len(vocabulary))


def join_phrases(arrays: dict[str, np.ndarray], phrases) -> dict[str, np.ndarray]:
    """The processed corpus's arrays (as :mod:`analysis.text.process` merges them) with every
    occurrence of the phrases joined into one token (module docstring: the rules).

    Examples
    --------
    >>> from analysis.corpus import Corpus, Document
    >>> from analysis.text.process import process
    >>> corpus = Corpus((Document("a", "a.txt", "The United Nations met the united nations."),))
    >>> process(corpus.with_compounds([("united", "nations")])).tokens["token"].tolist()
    ['The', 'United_Nations', 'met', 'the', 'united_nations']
    """
    tok = arrays["tok.id"]
    n = len(tok)
    surfaces = store.unpack_strings(arrays["surfaces.data"], arrays["surfaces.ends"])
    terms = store.unpack_strings(arrays["terms.data"], arrays["terms.ends"])
    codes, vocabulary = pd.factorize(np.asarray(terms, dtype=object), sort=False)
    vocabulary = np.asarray(vocabulary, dtype=object)
    tok_term = codes[tok] if n else np.zeros(0, dtype=np.int64)
    sent_tokens = arrays["sent.tokens"]
    sentence = np.repeat(np.arange(len(sent_tokens)), sent_tokens)
    tables: dict[str, np.ndarray] = {}
    firsts, lasts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for phrase in phrases:
        k = len(phrase)
        if n < k:
            continue
        m = n - k + 1
        hit = sentence[:m] == sentence[k - 1:]
        for j, piece in enumerate(phrase):
            if piece not in tables:
                tables[piece] = _piece_codes(piece, vocabulary)
            hit &= tables[piece][tok_term[j:j + m]]
        at = np.flatnonzero(hit)
        firsts.append(at)
        lasts.append(at + k - 1)
    first, last = np.concatenate(firsts), np.concatenate(lasts)
    if not len(first):
        return arrays
    # Only white space between the tokens of a match: check each joint (token t and the one
    # before it) once, in the texts of the documents that have one.
    gap = arrays["tok.gap"].astype(np.int64)
    length = arrays["tok.length"].astype(np.int64)
    joint_first = np.repeat(first + 1, last - first)
    joints = np.unique(joint_first + np.arange(len(joint_first))
                       - np.repeat(np.cumsum(last - first) - (last - first), last - first))
    bad = np.zeros(n + 1, dtype=np.int64)
    wide = joints[gap[joints] > 0]
    if len(wide):
        doc = arrays["para.doc"][arrays["sent.para"][sentence]]
        ends = np.cumsum(gap + length)  # characters, the texts end to end
        doc_tokens = np.bincount(doc, minlength=len(arrays["texts.ends"]))
        doc_first = np.cumsum(doc_tokens) - doc_tokens
        base = np.where(doc_first > 0, ends[np.maximum(doc_first - 1, 0)], 0)
        text_ends = arrays["texts.ends"]
        text_starts = np.concatenate(([0], text_ends[:-1]))
        data = arrays["texts.data"]
        text, shown = "", -1
        for t in wide.tolist():
            d = int(doc[t])
            if d != shown:
                text = str(memoryview(data)[text_starts[d]:text_ends[d]], "utf-8",
                           "surrogatepass")
                shown = d
            at = int(ends[t - 1] - base[d])
            if not text[at:at + int(gap[t])].isspace():
                bad[t] = 1
    crossed = np.cumsum(bad)
    clean = crossed[last] == crossed[first]
    first, last = first[clean], last[clean]
    if not len(first):
        return arrays
    # Overlapping matches join into one (quanteda's join = TRUE): runs of matches, in order of
    # their first token, each starting at or before the furthest end of those before it.
    order = np.lexsort((last, first))
    first, last = first[order], last[order]
    reach = np.maximum.accumulate(last)
    new = np.ones(len(first), dtype=bool)
    new[1:] = first[1:] > reach[:-1]
    first, last = first[new], np.maximum.reduceat(last, np.flatnonzero(new))
    return _joined_arrays(arrays, surfaces, terms, tok_term, vocabulary, sentence, first,
                          last, gap, length)


def _joined_arrays(arrays, surfaces, terms, tok_term, vocabulary, sentence, first, last, gap,
                   length) -> dict[str, np.ndarray]:
    """The arrays with the tokens ``first[k]..last[k]`` joined into one, for every ``k``."""
    tok = arrays["tok.id"]
    n = len(tok)
    sizes = last - first + 1
    inside = np.repeat(first, sizes) + np.arange(sizes.sum()) \
        - np.repeat(np.cumsum(sizes) - sizes, sizes)
    owner = np.repeat(np.arange(len(first)), sizes)
    surface_id = {s: i for i, s in enumerate(surfaces)}
    surfaces, terms = list(surfaces), list(terms)
    parts = np.asarray(surfaces, dtype=object)[tok[inside]]
    new_ids = np.empty(len(first), dtype=np.int32)
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    for k in range(len(first)):
        surface = CONCATENATOR.join(parts[bounds[k]:bounds[k + 1]].tolist())
        found = surface_id.setdefault(surface, len(surfaces))
        if found == len(surfaces):
            surfaces.append(surface)
            terms.append(surface.lower())
        new_ids[k] = found
    keep = np.ones(n, dtype=bool)
    keep[inside] = False
    keep[first] = True
    ends = np.cumsum(gap + length)
    new_tok = tok.copy()
    new_tok[first] = new_ids
    new_length = length.copy()
    new_length[first] = ends[last] - ends[first] + length[first]
    is_word = np.array([t not in NON_WORDS for t in vocabulary.tolist()], dtype=bool)
    words_inside = np.bincount(owner, weights=is_word[tok_term[inside]],
                               minlength=len(first)).astype(np.int64)
    out = dict(arrays)
    out["tok.id"] = new_tok[keep]
    out["tok.gap"] = arrays["tok.gap"][keep]
    kept_length = new_length[keep]
    out["tok.length"] = kept_length.astype(
        np.uint16 if not len(kept_length) or kept_length.max() < 1 << 16 else np.int64)
    removed = np.bincount(sentence[inside], minlength=len(arrays["sent.tokens"])) \
        - np.bincount(sentence[first], minlength=len(arrays["sent.tokens"]))
    out["sent.tokens"] = (arrays["sent.tokens"] - removed).astype(np.int32)
    fewer_words = np.bincount(sentence[first], weights=words_inside - 1,
                              minlength=len(arrays["sent.words"])).astype(np.int64)
    out["sent.words"] = (arrays["sent.words"] - fewer_words).astype(np.int32)
    out["surfaces.data"], out["surfaces.ends"] = store.pack_strings(surfaces)
    out["terms.data"], out["terms.ends"] = store.pack_strings(terms)
    return out


def joined(processed) -> pd.DataFrame:
    """The compounds of a processed corpus: each joined term, how often and in how many
    documents it occurs.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process.process` of a corpus with compounds
        (:meth:`analysis.corpus.Corpus.with_compounds`).

    Returns
    -------
    DataFrame
        ``term, count, documents``, the most frequent first (ties by term); no row when no
        phrase was found (or none was given).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> corpus = load_corpus().with_compounds([("song", "tao"), ("political", "part*")])
    >>> joined(process(corpus))  # doctest: +NORMALIZE_WHITESPACE
                    term  count  documents
    0  political_parties     29          2
    1           song_tao      9          2
    2    political_party      1          1
    """
    c = processed.columns
    columns = ["term", "count", "documents"]
    is_compound = np.array([CONCATENATOR in t for t in c.term_names.tolist()], dtype=bool)
    if not processed.corpus.compounds or not is_compound.any():
        return pd.DataFrame({"term": pd.Series(dtype=object), "count": pd.Series(dtype=int),
                             "documents": pd.Series(dtype=int)})[columns]
    term = c.tok_term
    rows = np.flatnonzero(is_compound[term])
    codes = term[rows].astype(np.int64)
    count = np.bincount(codes, minlength=len(is_compound))
    pairs = np.unique(codes * max(c.n_docs, 1) + c.tok_doc[rows])
    documents = np.bincount(pairs // max(c.n_docs, 1), minlength=len(is_compound))
    found = np.flatnonzero(count)
    table = pd.DataFrame({"term": c.term_names[found], "count": count[found].astype(np.int64),
                          "documents": documents[found].astype(np.int64)})
    return table.sort_values(["count", "term"], ascending=[False, True],
                             kind="mergesort").reset_index(drop=True)[columns]
