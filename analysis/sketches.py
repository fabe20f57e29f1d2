r"""Word sketches: a lemma's collocates by grammatical relation, from the dependency layer.

A word sketch (Kilgarriff, Rychlý, Smrž & Tugwell 2004, "The Sketch Engine", *Proceedings of
EURALEX 2004*, 105-116) lists, for a lemma, the words it combines with in each grammatical
relation, scored by logDice. Here the relations are read from a corpus's Universal
Dependencies annotation (the ``lemma``, ``deprel`` and ``head`` layers of
:mod:`analysis.text.annotated`, from a CoNLL-U file), not from a sketch grammar of
part-of-speech patterns. Each dependency edge, head ``h`` and dependent ``d`` with relation
``r`` (its subtype ignored: ``nsubj:pass`` is ``nsubj``), makes two triples
``(word1, relation, word2)``, one from each side:

==================  ======================================  ==============================
UD relation of d    triple of the head h                    triple of the dependent d
==================  ======================================  ==============================
amod, compound,     ``(h, modifiers, d)``                   ``(d, modifies, h)``
advmod, nmod
(nmod without a
``case`` child)
nsubj               ``(h, subjects, d)``                    ``(d, subject_of, h)``
obj, iobj           ``(h, objects, d)``                     ``(d, object_of, h)``
conj                ``(h, coordination, d)``                ``(d, coordination, h)``
nmod, obl with a    ``(h, pp, "c d")``: *road to China*    ``(d, pp_obj, "h c")``:
``case`` child c    is ``(road, pp, "to China")``           ``(China, pp_obj, "road to")``
==================  ======================================  ==============================

In UD, ``amod``, ``nmod`` and ``compound`` attach to nominals and ``advmod`` to verbs,
adjectives and adverbs, so the modifiers of a noun are its adjectives, nouns and
possessors, and those of a verb its adverbs; ``pos`` keeps the node's tokens of one part of
speech (*end* the noun or the verb). Words are lemmas as the corpus spells them (``China``,
``road``); a prepositional phrase takes the first ``case`` child of its noun.

logDice (Rychlý, P. 2008, "A Lexicographer-Friendly Association Score", *Proceedings of
Recent Advances in Slavonic Natural Language Processing, RASLAN 2008*, 6-9), with the
frequencies Sketch Engine's documentation uses for word sketches ("Statistics used in
Sketch Engine", sections 2.1 and 3, https://www.sketchengine.eu/documentation/statistics-used-in-sketch-engine/)::

    logDice = 14 + log2(2 * f_xy / (f_x + f_y))

    f_xy = ||w1, R, w2||   the triple's count                         (count)
    f_x  = ||w1, R, *||    the node in relation R with any word       (node_count)
    f_y  = ||*, *, w2||    the collocate as second word of any triple  (collocate_count)

all counted in the corpus (or the group) the sketch is made of. logDice is at most 14 (a
collocate found only with the node, in that relation, as the node only with it); each
point less halves the share ``f_xy`` is of the two frequencies.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import units
from analysis.params import MAX_ROWS, Interval, OneOf, constrained, shared_docs
from analysis.text.process import Processed

__all__ = ["RELATIONS", "log_dice", "sketch_difference", "word_sketch"]

#: The relations of a word sketch, in the order a sketch lists them, and what each holds.
RELATIONS = {
    "modifiers": "words modifying the node (amod, nmod, compound, advmod)",
    "modifies": "words the node modifies",
    "subjects": "subjects of the node (nsubj, nsubj:pass)",
    "subject_of": "verbs the node is the subject of",
    "objects": "objects of the node (obj, iobj)",
    "object_of": "verbs the node is the object of",
    "coordination": "words coordinated with the node (conj)",
    "pp": "prepositional phrases on the node (nmod, obl with their case): 'to China'",
    "pp_obj": "words whose prepositional phrase the node is the noun of: 'road to' for China",
}
_CODE = {name: i for i, name in enumerate(RELATIONS)}
#: The UD relations of each pair of relations (the head's, the dependent's).
_EDGES = {
    ("modifiers", "modifies"): ("amod", "compound", "advmod"),
    ("subjects", "subject_of"): ("nsubj",),
    ("objects", "object_of"): ("obj", "iobj"),
    ("coordination", "coordination"): ("conj",),
}
#: The columns of a sketch after the group columns.
COLUMNS = ["relation", "collocate", "count", "node_count", "collocate_count", "logdice"]
#: The layers a sketch reads.
NEEDED = ("lemma", "deprel", "head")


def log_dice(f_xy, f_x, f_y) -> np.ndarray:
    """logDice of Rychlý (2008, p. 8): ``14 + log2(2 f_xy / (f_x + f_y))``.

    The Dice coefficient ``2 f_xy / (f_x + f_y)`` on a base-2 logarithmic scale moved up by
    14 (Rychlý, P. 2008, "A Lexicographer-Friendly Association Score", *Proceedings of
    Recent Advances in Slavonic Natural Language Processing, RASLAN 2008*, pp. 6-9; the
    formula and what its values mean on p. 8): at most 14, where every X occurs with Y and
    every Y with X; 0 for fewer than one XY per 16,000 X or Y (``2 / 2^15``); one point more
    is a collocation twice as frequent, seven points more about 100 times (``2^7``). It
    does not depend on the size of the corpus.

    Parameters
    ----------
    f_xy, f_x, f_y : array_like
        The pair's count and the two frequencies (see the module docstring for those of a
        word sketch).

    Examples
    --------
    By hand: a pair seen 10 times, node 100, collocate 300: 2 * 10 / 400 = 1/20, and
    log2(1/20) = -4.3219, so logDice = 9.6781. K. Sugiura's worked example of the formula
    (http://sugiura-ken.org/wiki/wiki.cgi/exp?page=logDice): ``LD(8, 389, 230)`` is
    8.726204.

    >>> round(float(log_dice(10, 100, 300)), 4), float(log_dice(5, 5, 5))
    (9.6781, 14.0)
    >>> round(float(log_dice(8, 389, 230)), 6), float(log_dice(1, 16384, 16384))
    (8.726204, 0.0)
    """
    f_xy, f_x, f_y = (np.asarray(v, dtype=float) for v in (f_xy, f_x, f_y))
    return 14 + np.log2(2 * f_xy / (f_x + f_y))


class _Triples:
    """Every triple of a corpus: the token of its first word, its relation (a code of
    :data:`RELATIONS`) and its second word (a code into ``labels``)."""

    def __init__(self, node: np.ndarray, relation: np.ndarray, second: np.ndarray,
                 labels: np.ndarray):
        self.node, self.relation, self.second, self.labels = node, relation, second, labels


def _check_layers(processed: Processed) -> None:
    layers = processed.columns.layers
    missing = [name for name in NEEDED if name not in layers]
    if missing:
        raise ValueError("the corpus has no dependency annotation (no "
                         f"{', '.join(missing)} layer): word sketches need an annotated "
                         "corpus, such as a CoNLL-U file (--corpus FILE.conllu), or one "
                         "annotated by a parser (--annotate spacy:MODEL)")


@lru_cache(maxsize=2)
def _triples(processed: Processed) -> _Triples:
    """The triples of the whole corpus (module docstring), vectorised over the layers."""
    c = processed.columns
    layers = c.layers
    lemma, head = layers.ids["lemma"], layers.head.astype(np.int64)
    vocabulary = layers.vocabularies["lemma"]
    size = np.int64(max(len(vocabulary), 1))
    base = np.array([str(v).split(":")[0] for v in layers.vocabularies["deprel"]], dtype=object)
    deprel = base[layers.ids["deprel"]]
    first = np.cumsum(c.sent_tokens, dtype=np.int64) - c.sent_tokens
    dependent = np.flatnonzero(head > 0)
    governor = first[c.tok_sentence[dependent]] + head[dependent] - 1
    kind = deprel[dependent]
    # The first case child of each token that has one (rows ascend: np.unique's first index).
    is_case = kind == "case"
    with_case, at = np.unique(governor[is_case], return_index=True)
    case_row = dependent[is_case][at]
    nominal = np.isin(kind, ("nmod", "obl"))
    place = np.minimum(np.searchsorted(with_case, dependent), max(len(with_case) - 1, 0))
    has_case = (with_case[place] == dependent) if len(with_case) else np.zeros(
        len(dependent), dtype=bool)
    nodes, relations, seconds = [], [], []
    for (down, up), names in _EDGES.items():
        chosen = np.isin(kind, names)
        if down == "modifiers":
            chosen |= (kind == "nmod") & ~has_case
        h, d = governor[chosen], dependent[chosen]
        nodes += [h, d]
        relations += [np.full(len(h), _CODE[down]), np.full(len(d), _CODE[up])]
        seconds += [lemma[d].astype(np.int64), lemma[h].astype(np.int64)]
    phrase = nominal & has_case
    case = lemma[case_row[place[phrase]]].astype(np.int64)
    # The second word of a phrase is a pair of lemmas: (case, noun) from the head's side,
    # (head, case) from the noun's, each coded past the lemmas (size + ..., then past those).
    nodes += [governor[phrase], dependent[phrase]]
    relations += [np.full(int(phrase.sum()), _CODE["pp"]),
                  np.full(int(phrase.sum()), _CODE["pp_obj"])]
    seconds += [size + case * size + lemma[dependent[phrase]],
                size + size * size + lemma[governor[phrase]].astype(np.int64) * size + case]
    key = np.concatenate(seconds)
    codes, distinct = pd.factorize(key, sort=True)
    distinct = np.asarray(distinct, dtype=np.int64)
    plain = distinct < size
    noun_side = distinct >= size + size * size
    left, right = np.divmod(np.where(plain, 0, np.where(noun_side, distinct - size * size,
                                                        distinct) - size), size)
    labels = np.where(plain, vocabulary[np.where(plain, distinct, 0)],
                      vocabulary[left] + " " + vocabulary[right]).astype(object)
    return _Triples(np.concatenate(nodes), np.concatenate(relations).astype(np.int8),
                    codes.astype(np.int64), labels)


def _sketch(triples: _Triples, inside: np.ndarray, is_node: np.ndarray) -> pd.DataFrame:
    """The counts and logDice of the node's triples among the triples ``inside``."""
    n_labels = max(len(triples.labels), 1)
    collocate_count = np.bincount(triples.second[inside], minlength=n_labels)
    mine = inside & is_node
    node_count = np.bincount(triples.relation[mine], minlength=len(RELATIONS))
    pairs, count = np.unique(triples.relation[mine].astype(np.int64) * n_labels
                             + triples.second[mine], return_counts=True)
    relation, second = np.divmod(pairs, n_labels)
    table = pd.DataFrame({
        "relation": pd.Series(np.array(list(RELATIONS), dtype=object)[relation], dtype=object),
        "collocate": pd.Series(triples.labels[second], dtype=object),
        "count": count.astype(np.int64),
        "node_count": node_count[relation].astype(np.int64),
        "collocate_count": collocate_count[second].astype(np.int64)})
    table["logdice"] = log_dice(table["count"], table["node_count"], table["collocate_count"])
    table["order"] = relation
    return table


def _setup(processed: Processed, lemma: str, pos: str | None):
    _check_layers(processed)
    if not lemma.strip():
        raise ValueError("the lemma is empty")
    triples = _triples(processed)
    layers = processed.columns.layers
    found = np.flatnonzero(layers.vocabularies["lemma"] == lemma)
    is_node = np.isin(layers.ids["lemma"][triples.node], found)
    if pos is not None:
        if "upos" not in layers.ids:
            raise ValueError("the corpus has no upos layer to choose the node's part of speech")
        tags = np.flatnonzero(layers.vocabularies["upos"] == pos)
        is_node &= np.isin(layers.ids["upos"][triples.node], tags)
    return triples, is_node


def _ordered(table: pd.DataFrame, score: str, top: int | None, group: list[str]) -> pd.DataFrame:
    """Relations in their order; inside each, ``score`` descending, then the collocate."""
    table = table.sort_values([*group, "order", score, "collocate"],
                              ascending=[*([True] * len(group)), True, False, True],
                              kind="stable")
    if top is not None:
        table = table[table.groupby([*group, "order"]).cumcount() < top]
    return table.drop(columns="order").reset_index(drop=True)


@constrained(relation=[OneOf(*RELATIONS), None], min_count=Interval(1, MAX_ROWS),
             top=[Interval(1, MAX_ROWS), None])
@shared_docs
def word_sketch(processed: Processed, lemma: str, *, by: str | None = None, where=None,
                relation: str | None = None, pos: str | None = None, min_count: int = 1,
                top: int | None = None) -> pd.DataFrame:
    r"""The word sketch of a lemma: its collocates in each grammatical relation, with logDice.

    Parameters
    ----------
    processed : Processed
        A corpus with dependency layers (a CoNLL-U corpus, :mod:`analysis.readers.conllu`).
    lemma : str
        The node, as the lemma layer spells it (``road``, ``China``).
    by : str, optional
        A sketch per group (``section``, ``voice``, ``doc`` or a document variable), each
        counted in its group alone (:func:`analysis.units.paragraph_codes`).
    {where}
    relation : str, optional
        Only this relation (a key of :data:`RELATIONS`).
    pos : str, optional
        Only the node's tokens of this part of speech (the ``upos`` layer: ``NOUN``).
    min_count : int, default 1
        Only pairs counted at least this many times (logDice is computed before).
    top : int, optional
        The first ``top`` collocates of each relation (of each group).

    Returns
    -------
    DataFrame
        Group columns (with ``by``), then ``relation, collocate, count, node_count,
        collocate_count, logdice`` (the module docstring's ``f_xy``, ``f_x``, ``f_y`` and
        score). Relations in the order of :data:`RELATIONS`; inside each, logDice
        descending, ties by collocate.

    Raises
    ------
    ValueError
        The corpus has no ``lemma``, ``deprel`` or ``head`` layer.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from analysis.readers.conllu import load_conllu
    >>> from analysis.text.process import process
    >>> words = ["1 Good good ADJ 2 amod", "2 roads road NOUN 3 nsubj",
    ...          "3 matter matter VERB 0 root"]
    >>> lines = ["\t".join(w.split()[:4] + ["_", "_"] + w.split()[4:] + ["_", "_"])
    ...          for w in words]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "toy.conllu"
    >>> _ = path.write_text("# text = Good roads matter\n" + "\n".join(lines) + "\n\n")
    >>> word_sketch(process(load_conllu(path)), "road")  # doctest: +NORMALIZE_WHITESPACE
         relation collocate  count  node_count  collocate_count  logdice
    0   modifiers      good      1           1                1     14.0
    1  subject_of    matter      1           1                1     14.0
    """
    processed = units.select(processed, where) if where else processed
    triples, is_node = _setup(processed, lemma, pos)
    keys = [] if by in (None, "corpus") else units.group_columns(by)
    frames = []
    if not keys:
        frames.append(_sketch(triples, np.ones(len(triples.node), dtype=bool), is_node))
    else:
        para_group, groups = units.paragraph_codes(processed, by)
        triple_group = para_group[processed.columns.para_of(triples.node)]
        for g in range(len(groups)):
            part = _sketch(triples, triple_group == g, is_node)
            for column in keys:
                part.insert(keys.index(column), column, str(groups[column].iloc[g]))
            frames.append(part)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if relation is not None:
        table = table[table["relation"] == relation]
    table = table[table["count"] >= min_count]
    return _ordered(table, "logdice", top, keys)[keys + COLUMNS]


@constrained(relation=[OneOf(*RELATIONS), None], min_count=Interval(1, MAX_ROWS),
             top=[Interval(1, MAX_ROWS), None])
@shared_docs
def sketch_difference(processed: Processed, lemma: str, groups, *, by: str | None = None,
                      where=None,
                      relation: str | None = None, pos: str | None = None, min_count: int = 1,
                      top: int | None = None) -> pd.DataFrame:
    r"""Word sketch difference: which collocates of a lemma each of two groups prefers.

    As Sketch Engine's word sketch difference between subcorpora (Sketch Engine, "Word
    sketch difference - compare words via their collocations",
    https://www.sketchengine.eu/guide/word-sketch-difference-compare-words/): the lemma's
    word sketch is made in each group (its counts and logDice from that group alone, as
    :func:`word_sketch`), and each collocate of each relation is compared between the two::

        difference = logdice_a - logdice_b

    positive where group A prefers the collocate, negative where B does. A collocate
    absent from one group has no logDice there (NaN in its column) and counts as 0 in
    the difference (the project's convention: absent, it sits at the far end).

    Parameters
    ----------
    processed : Processed
        A corpus with dependency layers.
    {where}
    lemma : str
        The node.
    groups : sequence of two str
        With ``by``, two of its groups (``("Dawn", "The Nation")``); without, two units
        (a document id, ``DOC:SECTION`` or conditions such as ``outlet=Dawn``,
        :func:`analysis.units.unit_mask`).
    by : str, optional
        The grouping the two groups belong to.
    relation, pos, min_count, top
        As in :func:`word_sketch`; a pair is kept when counted ``min_count`` times in one
        of the groups; ``top`` keeps, per relation, the collocates with the largest
        differences either way.

    Returns
    -------
    DataFrame
        ``relation, collocate, a_count, b_count, a_logdice, b_logdice, difference,
        prefers`` (``prefers`` names the group with the higher logDice, ``both`` if equal).
        Relations in the order of :data:`RELATIONS`; inside each, difference descending
        (A's collocates first, B's last), ties by collocate. ``attrs["groups"]`` holds
        the two names.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from analysis.readers.conllu import load_conllu
    >>> from analysis.text.process import process
    >>> text = ""
    >>> for doc, adjective in (("a", "new"), ("b", "good")):
    ...     words = [f"1 {adjective} {adjective} ADJ 2 amod", "2 road road NOUN 0 root"]
    ...     lines = ["\t".join(w.split()[:4] + ["_", "_"] + w.split()[4:] + ["_", "_"])
    ...              for w in words]
    ...     text += f"# newdoc id = {doc}\n" + "\n".join(lines) + "\n\n"
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "two.conllu"
    >>> _ = path.write_text(text)
    >>> table = sketch_difference(process(load_conllu(path)), "road", ("a", "b"))
    >>> table[["collocate", "a_count", "b_count", "difference", "prefers"]]
      collocate  a_count  b_count  difference prefers
    0       new        1        0        14.0       a
    1      good        0        1       -14.0       b
    """
    processed = units.select(processed, where)
    groups = tuple(groups)
    if len(groups) != 2 or not all(isinstance(g, str) and g.strip() for g in groups):
        raise ValueError(f"groups {groups!r}: give two groups")
    triples, is_node = _setup(processed, lemma, pos)
    para = processed.columns.para_of(triples.node)
    if by is None:
        masks = [units.unit_paragraphs(processed, spec)[para] for spec in groups]
    else:
        para_group, table = units.paragraph_codes(processed, by)
        column = units.group_columns(by)[-1]
        names = table[column].astype(str).tolist()
        masks = []
        for name in groups:
            if name not in names:
                raise ValueError(f"group {name!r}: not a group of {by} (groups: "
                                 f"{', '.join(names[:20])})")
            masks.append(para_group[para] == names.index(name))
    a, b = (_sketch(triples, mask, is_node).set_index(["relation", "collocate"])
            for mask in masks)
    both = a[["count", "logdice", "order"]].merge(
        b[["count", "logdice", "order"]], how="outer", left_index=True, right_index=True,
        suffixes=("_a", "_b"))
    out = pd.DataFrame({
        "relation": both.index.get_level_values(0).astype(object),
        "collocate": both.index.get_level_values(1).astype(object),
        "a_count": both["count_a"].fillna(0).astype(np.int64).to_numpy(),
        "b_count": both["count_b"].fillna(0).astype(np.int64).to_numpy(),
        "a_logdice": both["logdice_a"].to_numpy(),
        "b_logdice": both["logdice_b"].to_numpy(),
        "order": both["order_a"].fillna(both["order_b"]).astype(np.int64).to_numpy()})
    out["difference"] = out["a_logdice"].fillna(0) - out["b_logdice"].fillna(0)
    out["prefers"] = np.where(out["difference"] > 0, groups[0],
                              np.where(out["difference"] < 0, groups[1], "both")).astype(object)
    if relation is not None:
        out = out[out["relation"] == relation]
    out = out[(out["a_count"] >= min_count) | (out["b_count"] >= min_count)]
    if top is not None:  # the largest differences either way, per relation
        ranked = out.assign(size=out["difference"].abs()).sort_values(
            ["order", "size", "collocate"], ascending=[True, False, True], kind="stable")
        out = out.loc[ranked.index[ranked.groupby("order").cumcount() < top]]
    out = _ordered(out, "difference", None, [])
    out = out[["relation", "collocate", "a_count", "b_count", "a_logdice", "b_logdice",
               "difference", "prefers"]]
    out.attrs["groups"] = groups
    return out
