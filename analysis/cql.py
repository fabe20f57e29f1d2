"""A subset of CQL, the corpus query language of CWB and Sketch Engine, over the token layers.

A query is a sequence of token patterns, each a bracket of attribute tests, matched over the
integer columns of the processed corpus (:attr:`analysis.text.process.Columns.layers`), a
vectorised step per pattern::

    [lemma="road"] [word="of|to|for"] [upos="NOUN|PROPN"]

What each part means, as in CWB's CQP (Evert, S. and the CWB Development Team, *The IMS Open
Corpus Workbench (CWB) CQP Query Language Tutorial*, CWB 3.5, sections 2 and 3):

``[attr="value"]``
    A token whose attribute matches the regular expression ``value`` as a whole (CQP anchors
    it: ``"road"`` does not match *roads*). Attributes: ``word`` (the form as written),
    ``term`` (the lower-cased form the project counts) and the layers of an annotated corpus
    (``lemma``, ``upos``, ``xpos``, ``feats``, ``deprel``, ``ent``, ``ent_iob``).
``%c`` after the value
    Case ignored (``[word="road"%c]``), as CQP's flag; ``%d`` (diacritics) is not supported.
``!=``, ``!``
    ``[upos!="PUNCT"]``: a token whose value does not match; ``!test`` negates a test.
``&``, ``|``, parentheses
    Conjunction and disjunction of tests inside a bracket (``[lemma="road" & upos="NOUN"]``);
    ``&`` binds tighter than ``|``, as in CQP.
``[]``
    Any token.
``"value"``
    A bare string is ``[word="value"]`` (CQP's default attribute is ``word``).
``?``, ``*``, ``+``, ``{n}``, ``{n,m}``, ``{n,}``
    Repetition of the pattern before it: ``[]{0,2}`` is up to two tokens of any kind.
    An open repetition (``*``, ``+``, ``{n,}``) stops at :data:`MAX_REPEAT` tokens.

A match never crosses a sentence (CQP's ``within s``) and is never empty. From each token,
the longest match is taken, and matches are kept left to right without overlap (CQP's
``set MatchingStrategy longest``), as the project's other queries are.

Not supported (a query using them is refused with its position): labels, target markers
(``@``), ``within``/``containing`` clauses, structural tags (``<s>``), global constraints
(``::``) and ``|`` between token patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

__all__ = ["CQLError", "MAX_REPEAT", "Node", "Pattern", "Test", "is_cql", "match_rows", "parse"]

#: Longest run an open repetition (``*``, ``+``, ``{n,}``) matches.
MAX_REPEAT = 100
#: Longest value a test may have, and largest counted repetition (as kwic's regexes).
MAX_VALUE = 200
#: Attributes of every corpus (besides the layers of an annotated one).
PLAIN_ATTRIBUTES = ("word", "term")


class CQLError(ValueError):
    """A CQL query that does not parse or names an unknown attribute: one line with the
    query and the column (from 1) where it went wrong."""


@dataclass(frozen=True)
class Test:
    """``attribute = value`` (``negated``: ``!=``), the value a regular expression."""

    attribute: str
    value: str
    negated: bool = False
    ignore_case: bool = False
    column: int = 0


@dataclass(frozen=True)
class Node:
    """A boolean combination of tests: ``op`` is ``and``, ``or``, ``not``, ``test`` or
    ``any`` (the empty bracket)."""

    op: str
    parts: tuple = ()
    test: Test | None = None


@dataclass(frozen=True)
class Pattern:
    """One token pattern of a query and its repetition ``{low, high}``."""

    node: Node
    low: int = 1
    high: int = 1


def is_cql(query: str) -> bool:
    """Whether a query is CQL: it starts with ``[`` (a bare ``"word"`` stays a phrase query).

    Examples
    --------
    >>> is_cql('[lemma="road"] "of"'), is_cql("road"), is_cql("/roads?/")
    (True, False, False)
    """
    return query.lstrip().startswith("[")


class _Parser:
    def __init__(self, query: str):
        self.query, self.at = query, 0

    def fail(self, expected: str, at: int | None = None):
        at = self.at if at is None else at
        found = repr(self.query[at]) if at < len(self.query) else "the end"
        raise CQLError(f"query {self.query!r}: column {at + 1}: expected {expected}, "
                       f"found {found}")

    def space(self) -> None:
        while self.at < len(self.query) and self.query[self.at].isspace():
            self.at += 1

    def peek(self) -> str:
        self.space()
        return self.query[self.at] if self.at < len(self.query) else ""

    def take(self, text: str) -> bool:
        self.space()
        if self.query.startswith(text, self.at):
            self.at += len(text)
            return True
        return False

    def patterns(self) -> list[Pattern]:
        patterns = []
        while self.peek():
            patterns.append(self.pattern())
        if not patterns:
            self.fail("a token pattern ([...] or \"...\")")
        return patterns

    def pattern(self) -> Pattern:
        start = self.at
        if self.take("["):
            node = Node("any") if self.take("]") else self.expression()
            if node.op != "any" and not self.take("]"):
                self.fail("']' or an operator (&, |)")
        elif self.peek() == '"':
            value, ignore_case = self.value()
            node = Node("test", test=Test("word", value, False, ignore_case, start + 1))
        else:
            self.fail("a token pattern ([...] or \"...\")")
        low, high = self.repetition()
        return Pattern(node, low, high)

    def repetition(self) -> tuple[int, int]:
        self.space()
        if self.take("?"):
            return 0, 1
        if self.take("*"):
            return 0, MAX_REPEAT
        if self.take("+"):
            return 1, MAX_REPEAT
        if not self.take("{"):
            return 1, 1
        numbers = re.compile(r"\s*(\d+)\s*(?:(,)\s*(\d*)\s*)?\}").match(self.query, self.at)
        if not numbers:
            self.fail("a repetition {n}, {n,m} or {n,}")
        low = int(numbers.group(1))
        high = low if not numbers.group(2) else (
            int(numbers.group(3)) if numbers.group(3) else MAX_REPEAT)
        if high < low or high == 0 or max(low, high) > MAX_REPEAT:
            self.fail(f"a repetition {{n,m}} with 0 <= n <= m, 0 < m <= {MAX_REPEAT}")
        self.at = numbers.end()
        return low, high

    def expression(self) -> Node:
        parts = [self.conjunction()]
        while self.take("|"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Node("or", tuple(parts))

    def conjunction(self) -> Node:
        parts = [self.unary()]
        while self.take("&"):
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else Node("and", tuple(parts))

    def unary(self) -> Node:
        if self.take("!"):
            return Node("not", (self.unary(),))
        if self.take("("):
            node = self.expression()
            if not self.take(")"):
                self.fail("')'")
            return node
        self.space()
        found = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(self.query, self.at)
        if not found:
            self.fail("an attribute (word, lemma, upos...)")
        column = self.at
        self.at = found.end()
        if self.take("!="):
            negated = True
        elif self.take("="):
            negated = False
        else:
            self.fail("= or !=")
        value, ignore_case = self.value()
        return Node("test", test=Test(found.group(), value, negated, ignore_case, column + 1))

    def value(self) -> tuple[str, bool]:
        self.space()
        if not self.take('"'):
            self.fail('a value in double quotes')
        start = self.at
        while self.at < len(self.query) and self.query[self.at] != '"':
            self.at += 2 if self.query[self.at] == "\\" else 1
        if self.at >= len(self.query):
            self.fail('the closing \'"\' of the value opened at column ' + str(start))
        value = self.query[start:self.at]
        self.at += 1
        if len(value) > MAX_VALUE:
            self.fail(f"a value of at most {MAX_VALUE} characters", start)
        ignore_case = False
        while self.query.startswith("%", self.at):
            if self.query.startswith("%c", self.at):
                ignore_case = True
                self.at += 2
            else:
                self.fail("the flag %c")
        return value, ignore_case


def parse(query: str) -> list[Pattern]:
    """The token patterns of a CQL query (module docstring), or :class:`CQLError`.

    Examples
    --------
    >>> [(p.low, p.high) for p in parse('[lemma="road"] []{0,2} [upos="NOUN"]+')]
    [(1, 1), (0, 2), (1, 100)]
    >>> parse('[lemma="road" & ]')
    Traceback (most recent call last):
    ...
    analysis.cql.CQLError: query '[lemma="road" & ]': column 17: expected an attribute \
(word, lemma, upos...), found ']'
    """
    return _Parser(query).patterns()


def _attribute(processed, test: Test, query: str) -> tuple[np.ndarray, np.ndarray]:
    """The values of an attribute (a vocabulary) and each token's value id."""
    c = processed.columns
    if test.attribute == "word":
        return c.surfaces, c.tok_surface
    if test.attribute == "term":
        return c.term_names, c.surface_term[c.tok_surface]
    layers = c.layers
    if test.attribute not in layers.ids:
        known = ", ".join([*PLAIN_ATTRIBUTES, *layers.names])
        raise CQLError(f"query {query!r}: column {test.column}: unknown attribute "
                       f"{test.attribute!r} (this corpus has: {known})")
    return layers.vocabularies[test.attribute], layers.ids[test.attribute]


def _test_mask(processed, test: Test, query: str, cache: dict) -> np.ndarray:
    """Tokens passing one test: the regular expression tried once per distinct value."""
    import regex

    key = (test.attribute, test.value, test.ignore_case)
    if key not in cache:
        vocabulary, ids = _attribute(processed, test, query)
        flags = regex.VERSION0 | (regex.IGNORECASE if test.ignore_case else 0)
        try:
            compiled = regex.compile(test.value, flags)
        except (regex.error, ValueError) as err:
            raise CQLError(f"query {query!r}: column {test.column}: bad regular expression "
                           f"{test.value!r} ({err})") from None
        try:
            ok = np.fromiter((compiled.fullmatch(v, timeout=2.0) is not None
                              for v in vocabulary), dtype=bool, count=len(vocabulary))
        except TimeoutError:
            raise CQLError(f"query {query!r}: column {test.column}: the regular expression "
                           f"{test.value!r} takes too long; simplify it") from None
        cache[key] = ok[ids]
    return ~cache[key] if test.negated else cache[key]


def _node_mask(processed, node: Node, query: str, cache: dict) -> np.ndarray:
    if node.op == "any":
        return np.ones(len(processed.columns.tok_surface), dtype=bool)
    if node.op == "test":
        return _test_mask(processed, node.test, query, cache)
    masks = [_node_mask(processed, part, query, cache) for part in node.parts]
    if node.op == "not":
        return ~masks[0]
    return np.logical_and.reduce(masks) if node.op == "and" else np.logical_or.reduce(masks)


def match_rows(processed, query: str) -> tuple[list[int], list[int]]:
    """Rows of the first and last token of every match of a CQL query (module docstring).

    Each pattern is a boolean mask over the tokens; the matches grow as arrays of (start,
    next token) pairs, a step per token a pattern takes, kept inside the start's sentence.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> p = process(load_corpus())
    >>> first, last = match_rows(p, '[word="Belt"%c] [] [word="road"%c]')
    >>> p.tokens["token"].iloc[first[0]:last[0] + 1].tolist()  # [] is any token
    ['Belt', '&', 'Road']
    """
    patterns = parse(query)
    c = processed.columns
    n = len(c.tok_surface)
    sentence = c.tok_sentence
    cache: dict = {}
    masks = [_node_mask(processed, p.node, query, cache) for p in patterns]
    first = next((k for k, p in enumerate(patterns) if p.low > 0), None)
    # Starts: every token the first pattern that must match could begin (all tokens when
    # the query opens with optional patterns).
    starts = np.flatnonzero(masks[0]) if first == 0 else np.arange(n)
    at = starts.copy()
    for pattern, mask in zip(patterns, masks, strict=True):
        kept_starts, kept_at = [], []
        cur_s, cur_a = starts, at
        for step in range(pattern.high + 1):
            if step >= pattern.low:
                kept_starts.append(cur_s)
                kept_at.append(cur_a)
            if step == pattern.high or not len(cur_s):
                break
            inside = cur_a < n
            cur_s, cur_a = cur_s[inside], cur_a[inside]
            ok = mask[cur_a] & (sentence[cur_a] == sentence[cur_s])
            cur_s, cur_a = cur_s[ok], cur_a[ok] + 1
        if len(kept_starts) == 1:  # a pattern of fixed length: each state moves on alone,
            starts, at = kept_starts[0], kept_at[0]  # so states stay distinct and in order
        else:
            starts = np.concatenate(kept_starts) if kept_starts else np.zeros(0, np.int64)
            at = np.concatenate(kept_at) if kept_at else np.zeros(0, np.int64)
            if len(starts):  # one state per (start, next token), by start then end
                keys = np.unique(starts.astype(np.int64) * (n + 1) + at)
                starts, at = keys // (n + 1), keys % (n + 1)
    nonempty = at > starts
    starts, ends = starts[nonempty], at[nonempty] - 1
    if not len(starts):
        return [], []
    # the longest match of each start (states are sorted by start, then end)
    last_of_start = np.r_[starts[1:] != starts[:-1], True]
    starts, ends = starts[last_of_start], ends[last_of_start]
    kept_first, kept_last, last_end = [], [], -1
    for i, j in zip(starts.tolist(), ends.tolist(), strict=True):  # left to right, no overlap
        if i > last_end:
            kept_first.append(i)
            kept_last.append(j)
            last_end = j
    return kept_first, kept_last
