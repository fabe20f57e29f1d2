"""Actors: the people, parties, organisations and countries a text names, and how it names them.

Detection has these sources, and no downloaded NER model:

1. the case study's gazetteer, ``dictionaries/data/actors.csv`` (a dictionary of categories
   ``type.actor`` whose entries are the actor's names, each with its source, made for the
   party diplomacy of the seed corpus; ``gazetteer=False`` leaves it out, as
   report 04 does on any other corpus), and the analyst's own names (``names``): every
   variant is
   matched case-insensitively as a sequence of word tokens, longest match first, within a
   sentence. Hyphenated tokens are split into their parts before matching, so
   ``China-Pakistan`` names China and Pakistan and ``Moin-ul-Haque`` is still one name. Rows of
   type ``ignore`` are matched like the others and then dropped: they stop the parts of a
   longer name being counted (``Hilal-i-Pakistan`` is an award, not a mention of Pakistan).
2. capitalised sequences the gazetteer does not cover (``Diaoyutai State Guest House``,
   ``Jiangxi Province``, ``United Nations``): runs of capitalised tokens, joined by ``of``,
   ``the``, ``for`` or ``&`` (not ``and``, which mostly joins two names), without leading
   honorifics (``Mr``, ``H.E``...). A run of one word at the start of a sentence is dropped
   (any sentence starts with a capital). A sentence's first word is cut from a longer run when
   it is a stop word (``The United Nations`` -> ``United Nations``), a word the corpus also
   writes in lower case (``Delegates of the Security Council``), or a common English word
   (Zipf frequency >= :data:`COMMON_ZIPF` in ``wordfreq``) followed by an uncommon one
   (``Development of the CPEC`` -> ``CPEC``); a run of two or more common words is a name
   (``Security Council``, ``United States``). A run of one word is dropped when the corpus
   writes it in lower case too, at least as often as capitalised (``Focusing`` where the
   corpus has ``focusing``), when it is a common word that the corpus also writes in lower
   case (``Minister``) or capitalises only once (``Phone`` in a heading), or when it is a day
   or a month. Runs of days and months only are dropped.
   Source ``detected``, type ``unknown``.
3. strong word sequences, where the text is lower-cased (fewer than :data:`LOWER_CASE_SHARE`
   of its words capitalised: capitals tell nothing there): the two-word sequences of
   :func:`analysis.sequences.sequences` (Blaheta & Johnson 2001, quanteda's lambda) seen at
   least :data:`SEQUENCE_MIN_COUNT` times with ``lambda >= SEQUENCE_MIN_LAMBDA`` (the words
   together at least e^3, about 20, times as often as apart) and ``z >= 1.96``, neither word
   a stop word (``nigel farage``, ``prime minister``), matched like gazetteer variants.
   Source ``sequence``, type ``unknown``: candidates, as multiword terms that are not names
   pass too.

Mentions of sources 2 and 3 are candidates for the analyst's own list, shown so that it can
be extended.

Limits, stated once: no coreference (``He has been a great friend of Pakistan`` is not counted
for Song Tao), no first-person mentions (Song Tao's ``I`` and ``we``), and ``the Party`` is not
matched (it would catch ``party channel``).

Data flow: every function reads the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process` (or the :func:`actor_mentions` table made from it) and
returns a DataFrame; :mod:`analysis.narrate`, :mod:`analysis.plots` (``actor_plot``) and the
topic-comparison notebook read these tables.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import config
from analysis.lexicons import stop_words
from analysis.params import MAX_ROWS, Interval, constrained, shared_docs
from analysis.text.process import Processed
from analysis.text.segment import token_spans
from analysis.text.terms import (
    is_content,
    longest_matches,
    term_rows,
)
from analysis.units import (
    group_columns,
    grouped,
    groups_of,
    paragraph_codes,
    prepare,
    restrict,
    row_labels,
    select,
    sentence_rows,
)

__all__ = ["actor_context", "actor_counts", "actor_descriptors", "actor_mentions",
           "candidate_actors", "check_actor_dictionary", "descriptor_counts", "entity_mentions",
           "gazetteer",
           "lower_cased", "most_named", "named_actor", "top_actors"]

TYPES = ("person", "party", "organisation", "country")
IGNORE = "ignore"
UNKNOWN = "unknown"
#: The actor type of each entity type an annotated corpus may tag (CoNLL-2003's PER, ORG,
#: LOC; OntoNotes's PERSON, NORP, FAC, GPE, as spaCy's English pipelines tag them). Other
#: entity types (dates, amounts, works of art, ...) name no actor and are left out.
ENTITY_TYPES = {"PER": "person", "PERSON": "person", "ORG": "organisation",
                "NORP": "group", "GPE": "place", "LOC": "place", "FAC": "place"}
MENTION_COLUMNS = ["doc", "section", "voice", "paragraph", "sentence", "start", "end", "text",
                   "actor", "type", "source"]

#: Zipf frequency (wordfreq, English) from which a capitalised word counts as a common word.
COMMON_ZIPF = 4.5

#: Below this share of capitalised words (of the words that start with a letter) a corpus is
#: lower-cased, and its names are found from strong word sequences.
LOWER_CASE_SHARE = 0.01
#: Least count, lambda and z of a word sequence taken as a name in a lower-cased corpus.
SEQUENCE_MIN_COUNT = 3
SEQUENCE_MIN_LAMBDA = 3.0
SEQUENCE_MIN_Z = 1.96

#: Days and months: capitalised, never actors.
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)

#: Lower-case words that may join capitalised words inside one name.
CONNECTORS = frozenset({"of", "the", "&", "for"})  # not "and": it joins two names

#: Honorifics stripped before a detected name or skipped before a title.
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "h.e", "brig", "prof"})

#: Words after a mention that start a predicate about it (auxiliaries are stop words, so they
#: are listed here; any other lower-case content word also starts a predicate).
AUXILIARIES = frozenset(
    "is was are were has have had will would shall should can could may might also "
    "does did".split()
)

#: Longest apposition or predicate kept, in words.
MAX_DESCRIPTOR_WORDS = 15
#: Most words each side of a mention that :func:`actor_context` reads.
MAX_WINDOW = 50

# What may stand between two words of one detected name: spaces, an ampersand, a hyphen.
_JOIN = re.compile(r"[ \t]*&?[ \t]*|-")


_APOSTROPHE = re.compile("['\u2019]")


def _split(term: str) -> list[str]:
    return [part for part in term.split("-") if part] or [term]


#: The case study's actors: a dictionary of categories ``type.actor`` whose entries are the
#: names each actor goes by (type ``ignore``: names that are no actor's).
GAZETTEER = config.PACKAGE_DIR / "dictionaries" / "data" / "actors.csv"


@lru_cache(maxsize=1)
def gazetteer() -> pd.DataFrame:
    """The case study's actor gazetteer, ``dictionaries/data/actors.csv`` (read by
    :func:`analysis.dictionaries.read_dictionary`), with each variant's match key.

    Returns
    -------
    DataFrame
        ``actor, variant, type, note, key`` where ``key`` is the tuple of lower-cased word parts
        the variant is matched as (hyphenated words split, like the text).

    Raises
    ------
    ValueError
        On a type other than person, party, organisation, country or ignore, or two variants
        that match the same words.

    Examples
    --------
    >>> table = gazetteer()
    >>> table.loc[table["variant"] == "Hilal-i-Pakistan", ["type", "key"]].values.tolist()
    [['ignore', ('hilal', 'i', 'pakistan')]]
    """
    from analysis.dictionaries import read_dictionary

    rows, seen = [], {}
    for entry in read_dictionary(GAZETTEER, case_study=True).entries:
        kind, actor = entry.category[0], ".".join(entry.category[1:])
        if kind not in (*TYPES, IGNORE) or not actor:
            raise ValueError(f"{GAZETTEER.name}:{entry.line}: category "
                             f"{entry.label()!r}: expected type.actor, the type one of "
                             f"{', '.join(TYPES)} or {IGNORE}")
        key = tuple(p for w in entry.words for p in _split(w))
        if key in seen:
            raise ValueError(f"{GAZETTEER.name}:{entry.line}: variant {entry.pattern!r} "
                             f"matches the same words as {seen[key]!r}")
        seen[key] = entry.pattern
        rows.append({"actor": actor, "variant": entry.pattern, "type": kind,
                     "note": entry.source, "key": key})
    return pd.DataFrame(rows, columns=["actor", "variant", "type", "note", "key"])


_gazetteer_table = gazetteer


class _Rows:
    """``strings[ids[i]]`` for a row ``i`` (or a list of them for a slice), without a list of
    a string per row: the parts' surfaces and terms, read where a mention may be."""

    def __init__(self, strings: np.ndarray, ids: np.ndarray):
        self.strings = strings.tolist()
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, key):
        if isinstance(key, slice):
            strings = self.strings
            return [strings[i] for i in self.ids[key].tolist()]
        return self.strings[self.ids[key]]


def _part_arrays(processed: Processed) -> dict[str, np.ndarray]:
    """Word tokens split at hyphens, as arrays (32-bit where the corpus allows): each part's
    token (``token``: its row of the corpus's token columns, shared by the parts of one
    hyphenated token), character offsets into the cleaned text (``start``, ``end``) and
    surface (``surface``: an index into ``names``, the distinct surfaces of the corpus's words
    and of the hyphenated ones' parts, whose lower-case forms are ``terms``).

    Built from the corpus's arrays (:attr:`Processed.columns`): each distinct surface is
    lower-cased and tested for a hyphen once, and only the tokens that contain a hyphen are
    split one by one; the others (almost all) are taken over in whole columns.
    """
    c = processed.columns
    # 32-bit rows, offsets and surfaces (the token columns' own width), 64-bit where the
    # corpus is too large for them.
    wide = max(len(c.tok_start), len(c.surfaces), int(c.tok_end.max(initial=0))) >= 2**31 // 2
    kind = np.int64 if wide else np.int32
    rows = np.asarray(c.word_rows, dtype=kind)
    surface_id = c.tok_surface[rows].astype(kind)
    names = c.surfaces.tolist()
    has_hyphen = np.fromiter(("-" in s for s in names), dtype=bool, count=len(names))
    length = np.fromiter((len(s) for s in names), dtype=kind, count=len(names))
    start = c.tok_start[rows].astype(kind)
    end = start + length[surface_id]
    hyphen = np.flatnonzero(has_hyphen[surface_id])
    if len(hyphen):  # the hyphenated tokens' parts replace them, in place
        index = {name: k for k, name in enumerate(names)}
        p_start, p_end, p_surface, owner = [], [], [], []
        for k in hyphen.tolist():
            offset = int(start[k])
            for part in re.split(r"(-)", names[surface_id[k]]):
                if part and part != "-":
                    if part not in index:
                        index[part] = len(names)
                        names.append(part)
                    p_start.append(offset)
                    p_end.append(offset + len(part))
                    p_surface.append(index[part])
                    owner.append(k)
                offset += len(part)
        keep = np.ones(len(rows), dtype=bool)
        keep[hyphen] = False
        # Parts follow the plain tokens in row order: a stable sort on each part's row.
        order = np.argsort(np.concatenate([np.flatnonzero(keep), owner]), kind="stable")
        owner = np.asarray(owner, dtype=np.int64)
        rows = np.concatenate([rows[keep], rows[owner]])[order]
        start = np.concatenate([start[keep], np.asarray(p_start, dtype=kind)])[order]
        end = np.concatenate([end[keep], np.asarray(p_end, dtype=kind)])[order]
        surface_id = np.concatenate([surface_id[keep], np.asarray(p_surface, dtype=kind)])[order]
    names = np.array(names, dtype=object)
    return {"token": rows, "start": start, "end": end, "surface": surface_id, "names": names,
            "terms": np.array([s.lower() for s in names], dtype=object)}


def lower_cased(processed: Processed) -> bool:
    """Whether the corpus is lower-cased: fewer than :data:`LOWER_CASE_SHARE` of its words
    that start with a letter start with a capital (a text with sentences has 5 % or more).

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> lower_cased(process(load_corpus()))
    False
    """
    return _lower_cased(_part_arrays(processed))


def _lower_cased(parts: dict[str, np.ndarray]) -> bool:
    """:func:`lower_cased` of the parts of :func:`_part_arrays`: each distinct surface
    tested once, the parts counted by surface."""
    names = parts["names"]
    letter = np.fromiter((s[:1].isalpha() for s in names), dtype=bool, count=len(names))
    upper = np.fromiter((s[:1].isupper() for s in names), dtype=bool, count=len(names))
    counts = np.bincount(parts["surface"], minlength=len(names))
    letters = int(counts[letter].sum())
    if not letters:
        return False
    return float(int(counts[letter & upper].sum()) / letters) < LOWER_CASE_SHARE


def _sequence_names(processed: Processed) -> list[tuple[str, ...]]:
    """Source 3 of the module docstring: the strong two-word sequences of the corpus."""
    from analysis.sequences import sequences

    table = sequences(processed, 2, min_count=SEQUENCE_MIN_COUNT, by="corpus")
    strong = table[(table["lambda"] >= SEQUENCE_MIN_LAMBDA) & (table["z"] >= SEQUENCE_MIN_Z)]
    return [tuple(p for t in words.split() for p in _split(t)) for words in strong["collocation"]]


def check_actor_dictionary(dictionary) -> None:
    """Refuse an actor dictionary with a glob (one line naming the file, the line and the
    entry): an actor's entries are the names it goes by.

    Examples
    --------
    >>> from analysis.dictionaries import Dictionary
    >>> check_actor_dictionary(Dictionary.from_mapping({"person": {"Farage": ["farage"]}}))
    >>> check_actor_dictionary(Dictionary.from_mapping({"Farage": ["farage*"]}, "a.csv"))
    Traceback (most recent call last):
    ...
    ValueError: a.csv:0: 'farage*': an actor dictionary lists names, not globs
    """
    for entry in dictionary.entries:
        if any("*" in w or "?" in w for w in entry.words):
            raise ValueError(f"{dictionary.name}:{entry.line}: {entry.pattern!r}: an actor "
                             "dictionary lists names, not globs")


def entity_mentions(processed: Processed, *, where=None) -> pd.DataFrame:
    """The entities an annotated corpus tags, as mentions of actors.

    An entity is a run of tokens of one sentence whose ``ent_iob`` layer is ``B`` then ``I``
    with one ``ent`` type (:mod:`analysis.readers.conllu` reads them from the MISC column);
    its type becomes an actor type by :data:`ENTITY_TYPES`, and the entities of other types
    are left out. The actor is the entity's text with its spaces made single.

    Returns
    -------
    DataFrame
        The columns of :func:`actor_mentions`, source ``entity``, in text order; empty for a
        corpus without entity layers.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Document
    >>> from analysis.readers.tokens import Tokens
    >>> from analysis.text.process import process
    >>> tokens = Tokens.from_lists(
    ...     [0, 6, 11, 15, 19, 22], [5, 10, 14, 18, 22, 23], [6],
    ...     ["Imran", "Khan", "met", "the", "CPC", "."],
    ...     layers={"ent": ["PER", "PER", "", "", "ORG", ""],
    ...             "ent_iob": ["B", "I", "O", "O", "B", "O"]})
    >>> corpus = Corpus((Document("a", "a.conllu", "Imran Khan met the CPC.", tokens=tokens),))
    >>> entity_mentions(process(corpus))[["text", "actor", "type", "source"]]
             text       actor          type  source
    0  Imran Khan  Imran Khan        person  entity
    1         CPC         CPC  organisation  entity
    """
    processed = select(processed, where)
    layers = processed.columns.layers
    if not layers or "ent_iob" not in layers.ids or "ent" not in layers.ids:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    c = processed.columns
    iob, kind = layers.values("ent_iob"), layers.values("ent")
    sentence = c.tok_sentence
    n = len(iob)
    inside = iob != "O"
    # An entity starts at a B, or at an I that does not continue the token before it (another
    # type, another sentence, or nothing before).
    same = np.zeros(n, dtype=bool)
    same[1:] = inside[:-1] & (kind[1:] == kind[:-1]) & (sentence[1:] == sentence[:-1])
    first = np.flatnonzero(inside & ((iob == "B") | ~same))
    # Its last token: the one before the next token that does not continue it.
    continues = np.zeros(n + 1, dtype=bool)
    continues[:n] = inside & (iob == "I") & same
    breaks = np.flatnonzero(~continues[1:])  # token i is a last token when i + 1 breaks
    last = breaks[np.searchsorted(breaks, first)]
    types = np.array([ENTITY_TYPES.get(k, "") for k in kind[first]], dtype=object)
    keep = types != ""
    first, last, types = first[keep], last[keep], types[keep]
    para = c.para_of(first)
    doc = processed.doc_ids[c.para_doc[para]]
    start = c.tok_start[first].astype(np.int64)
    end = c.tok_end[last].astype(np.int64)
    texts = [processed.texts[d][s:e] for d, s, e in zip(doc, start, end, strict=True)]
    return pd.DataFrame({
        "doc": doc, "section": c.names[c.para_section[para]],
        "voice": c.names[c.para_voice[para]], "paragraph": c.para_number[para],
        "sentence": c.sent_number[sentence[first]].astype(np.int64), "start": start,
        "end": end, "text": texts, "actor": [" ".join(t.split()) for t in texts],
        "type": types, "source": "entity"}, columns=MENTION_COLUMNS)


@shared_docs
def actor_mentions(processed: Processed, detect: bool = True,
                   names: list[str] | None = None, gazetteer: bool = True,
                   dictionary=None, *, where=None) -> pd.DataFrame:
    """Every mention of an actor: gazetteer matches and, optionally, names found in the text.

    Parameters
    ----------
    {processed}
    {where}
    detect : bool, default True
        Add capitalised sequences the gazetteer does not cover, with type ``unknown``. In a
        corpus that tags entities (an annotated corpus, :mod:`analysis.readers`), its
        entities are added instead (:func:`entity_mentions`, source ``entity``), those the
        lists do not already name.
    names : list of str, optional
        The analyst's own actors (a report's ``ACTOR``): each is matched like a gazetteer
        variant, case-insensitively as its sequence of words, so ``farage`` is found in a
        lower-cased corpus; type ``unknown``, source ``given``. A name that is already a
        variant of the gazetteer stays the gazetteer's.
    gazetteer : bool, default True
        Match the case study's gazetteer (:func:`gazetteer`); report 04 does only on
        the seed corpus.
    dictionary : Dictionary, optional
        The analyst's actors (:mod:`analysis.dictionaries`, any format): each category an
        actor, its entries the names it goes by (``Nigel Farage``, ``Farage``, ``Mr
        Farage``), matched as the gazetteer's variants are (case-insensitively, longest
        first); a category under a parent takes the parent as its type
        (``person.Nigel Farage``), else ``actor``; source ``dictionary``. Entries are names:
        a glob is refused.

    Returns
    -------
    DataFrame
        ``doc, section, voice, paragraph, sentence, start, end, text, actor, type, source``
        (``source`` is ``gazetteer``, ``dictionary``, ``given``, ``detected``, ``sequence``
        or ``entity``), in text order.
        ``start,
        end`` are offsets into ``processed.texts[doc]``.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> mentions = actor_mentions(process(load_corpus()))
    >>> mentions[["text", "actor", "type", "source"]].head(3)  # doctest: +NORMALIZE_WHITESPACE
                    text              actor     type     source
    0  Political parties  political parties    party  gazetteer
    1               CPEC               CPEC  unknown   detected
    2           Song Tao           Song Tao   person  gazetteer
    """
    processed = select(processed, where)
    from wordfreq import zipf_frequency

    entities = entity_mentions(processed)
    tagged = "ent" in processed.columns.layers.ids if processed.columns.layers else False
    if tagged:
        detect = False  # the corpus's own entities, not capitalised words, name its actors
    table = _gazetteer_table()
    keys = (dict(zip(table["key"], zip(table["actor"], table["type"], strict=True),
                     strict=True)) if gazetteer else {})
    given, found = set(), set()
    parts = _part_arrays(processed)
    if detect and _lower_cased(parts):
        for key in _sequence_names(processed):
            if key not in keys:
                keys[key] = (" ".join(key), UNKNOWN)
                found.add(key)
        detect = False  # capitals tell nothing in a lower-cased text
    listed = set()
    if dictionary is not None:
        check_actor_dictionary(dictionary)
    for entry in dictionary.entries if dictionary is not None else ():
        key = tuple(p for w in entry.words for p in _split(w))
        kind = entry.category[-2] if len(entry.category) > 1 else "actor"
        keys[key] = (entry.category[-1], kind)
        listed.add(key)
    for name in names or []:
        key = tuple(p for t in token_spans(name)[3] for p in _split(t.lower()))
        if key and key not in keys:
            keys[key] = (name, UNKNOWN)
            given.add(key)
    firsts = {k[0] for k in keys}
    honorifics = HONORIFICS
    # The parts as arrays (a part's strings read from its surface's index only where a
    # mention may be): no list or column of ten million strings at 10M words.
    c = processed.columns
    token = parts["token"]
    n = len(token)
    doc_index = c.para_doc[c.para_of(token)]
    start, end = parts["start"], parts["end"]
    surface_names, term_names = parts["names"], parts["terms"]
    term = _Rows(term_names, parts["surface"])
    # Sentence runs over the flat arrays (as analysis.text.terms.sentence_runs finds them,
    # without two arrays of a row each): part i is in run run_of[i], which ends before hi[i].
    sentence_no = c.sent_number[c.tok_sentence[token]]
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = (doc_index[1:] != doc_index[:-1]) | (sentence_no[1:] != sentence_no[:-1])
    del sentence_no
    run_starts = np.flatnonzero(new_run)
    run_of = np.cumsum(new_run, dtype=np.int64 if n >= 2**31 else np.int32) - 1
    del new_run
    hi = _Rows(np.append(run_starts[1:], n), run_of)
    doc_ids = processed.doc_ids
    current: list = [-1, ""]

    def text_of(d: int) -> str:
        # The parts are read in text order: one document's text at a time.
        if d != current[0]:
            current[:] = [d, processed.texts[doc_ids[d]]]
        return current[1]

    rows = []

    def add(first: int, last: int, actor: str | None, kind: str, source: str) -> None:
        k = token[first]
        para = c.para_of(k)
        text = text_of(doc_index[first])[start[first]:end[last]]
        rows.append((doc_ids[doc_index[first]], c.names[c.para_section[para]],
                     c.names[c.para_voice[para]], c.para_number[para],
                     np.int64(c.sent_number[c.tok_sentence[k]]), np.int64(start[first]),
                     np.int64(end[last]), text,
                     text if actor is None else actor, kind, source))

    # 1. Gazetteer: longest match first, left to right, only from words that can start one.
    covered = np.zeros(n, dtype=bool)
    can_start = np.fromiter((t in firsts for t in term_names.tolist()), dtype=bool,
                            count=len(term_names))
    starts = np.flatnonzero(can_start[parts["surface"]]).tolist()
    for i, size, (actor, kind) in longest_matches(term, starts, hi, keys):
        covered[i:i + size] = True
        if kind != IGNORE:
            key = tuple(term[i:i + size])
            source = ("given" if key in given else "dictionary" if key in listed
                      else "sequence" if key in found else "gazetteer")
            add(i, i + size - 1, actor, kind, source)
    if detect:
        # 2. Capitalised runs not covered by the gazetteer. A part is "free" when it is
        # neither covered nor an honorific; a run is at its sentence's start when no free
        # part comes before it in the sentence.
        is_honorific = np.fromiter((t in honorifics for t in term_names.tolist()), dtype=bool,
                                   count=len(term_names))
        free = ~covered & ~is_honorific[parts["surface"]]
        first_free = np.full(len(run_starts), n)
        free_rows = np.flatnonzero(free)
        np.minimum.at(first_free, run_of[free_rows], free_rows)
        is_capital = np.fromiter((s[:1].isupper() for s in surface_names.tolist()),
                                 dtype=bool, count=len(surface_names))
        capital = is_capital[parts["surface"]]
        stops = stop_words()
        zipf: dict[str, float] = {}

        def common(word: str) -> bool:
            if word not in zipf:
                zipf[word] = zipf_frequency(word, "en")
            return zipf[word] >= COMMON_ZIPF

        # How often the corpus writes each word in lower case and capitalised: the parts
        # counted by surface, the counts summed by term.
        by_surface = np.bincount(parts["surface"], minlength=len(surface_names))
        is_lower = surface_names == term_names
        lower_n: dict[str, int] = {}
        upper_n: dict[str, int] = {}
        for k in np.flatnonzero(by_surface).tolist():
            word, count = term_names[k], int(by_surface[k])
            if is_lower[k]:
                lower_n[word] = lower_n.get(word, 0) + count
            if is_capital[k]:
                upper_n[word] = upper_n.get(word, 0) + count
        doc = doc_index
        sid = parts["surface"]
        # What the loop below asks of a part, answered once per distinct surface.
        terms = term_names.tolist()
        connector = [t in CONNECTORS for t in terms]
        honorific_list = is_honorific.tolist()
        is_pronoun = [_APOSTROPHE.split(t)[0] == "i" for t in terms]
        joins = (is_capital & ~np.array(honorific_list, dtype=bool)
                 & ~np.array(is_pronoun, dtype=bool)).tolist()
        calendar_or_connector = [t in CALENDAR or t in CONNECTORS for t in terms]

        def pronoun(word: str) -> bool:
            # The pronoun I is always capitalised, and so are its contractions (I'm, I've):
            # no part of a name. (Other stop words may be: Theresa May, the US.)
            return _APOSTROPHE.split(word)[0] == "i"

        def a_word(word: str) -> bool:  # a single capitalised word that is not a name
            lower = lower_n.get(word, 0)
            upper = upper_n.get(word, 0)
            return (word in CALENDAR or pronoun(word) or lower >= upper
                    or common(word) and (lower > 0 or upper < 2))

        next_i = 0
        for i in np.flatnonzero(free & capital).tolist():
            if i < next_i:
                continue
            j, last = i, hi[i] - 1
            # The next part joins the run when nothing covers it, only spaces, an "&" or a
            # hyphen come between, and it is capitalised (not an honorific, not "I") or a
            # connector.
            while j < last and not covered[j + 1] and (
                    joins[sid[j + 1]] or connector[sid[j + 1]]) and _JOIN.fullmatch(
                    text_of(doc[j])[end[j]:start[j + 1]]):
                j += 1
            while j > i and connector[sid[j]]:
                j -= 1
            a = i
            at_start = first_free[run_of[i]] == i
            if at_start and j > a and (term[a] in stops or lower_n.get(term[a], 0) or common(
                    term[a]) and not all(common(term[r]) or term[r] in CONNECTORS
                                         for r in range(a + 1, j + 1))):
                a += 1  # a sentence's first word: capitalised because it comes first
            while j > a and connector[sid[a]]:
                a += 1
            calendar = all(calendar_or_connector[sid[r]] for r in range(a, j + 1))
            single = a == j and (at_start or a_word(term[a]))
            if not single and not calendar:
                add(a, j, None, UNKNOWN, "detected")
            next_i = j + 1
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    if len(entities):  # an entity the lists already name stays the lists'
        spans = out.groupby("doc")[["start", "end"]]
        listed = {d: (g["start"].to_numpy(), g["end"].to_numpy()) for d, g in spans}
        overlaps = [d in listed and bool(((listed[d][0] < e) & (s < listed[d][1])).any())
                    for d, s, e in zip(entities["doc"], entities["start"], entities["end"],
                                       strict=True)]
        out = pd.concat([out, entities[~np.array(overlaps, dtype=bool)]], ignore_index=True)
    order = {d: i for i, d in enumerate(processed.corpus.ids)}
    out = out.sort_values(["doc", "start"], key=lambda s: s.map(order) if s.name == "doc" else s)
    return out.reset_index(drop=True)


@shared_docs
def candidate_actors(processed: Processed, mentions: pd.DataFrame | None = None, *,
                     where=None) -> pd.DataFrame:
    """Names found in the text (capitalised sequences, or strong word sequences of a
    lower-cased text) that no list covers: candidates for the analyst's own list.

    Parameters
    ----------
    {processed}
    {where}
    mentions : DataFrame, optional
        Output of :func:`actor_mentions` (with ``detect=True``).

    Returns
    -------
    DataFrame
        ``text, mentions, docs`` (the documents naming it, comma-separated in corpus order),
        ordered by mentions descending, then text.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> candidate_actors(process(load_corpus())).head(2)  # doctest: +NORMALIZE_WHITESPACE
            text  mentions                           docs
    0       CPEC        28  songtao-article, award-report
    1  Pakistani         8                songtao-article
    """
    processed = select(processed, where)
    mentions = restrict(mentions, processed)
    if mentions is None:
        mentions = actor_mentions(processed, detect=True)
    found = mentions[mentions["source"].isin(["detected", "sequence"])]
    order = {d: i for i, d in enumerate(processed.corpus.ids)}
    counts = found.groupby("text").size().rename("mentions")
    pairs = found.drop_duplicates(["text", "doc"])
    pairs = pairs.assign(_order=pairs["doc"].map(order)).sort_values(["text", "_order"])
    docs = pairs.groupby("text")["doc"].agg(", ".join).rename("docs")
    table = pd.concat([counts, docs], axis=1).rename_axis("text").reset_index()
    table = table.reindex(columns=["text", "mentions", "docs"])
    table = table.sort_values(["mentions", "text"], ascending=[False, True])
    return table.reset_index(drop=True)


@shared_docs
def actor_counts(processed: Processed, *, by: str = "doc", where=None, detected: bool = False,
                 mentions: pd.DataFrame | None = None, groups=None) -> pd.DataFrame:
    """How often each document (section, voice) names each actor.

    ``per_1000 = 1000 * mentions / words``, with ``words`` the word tokens of the document,
    section or voice.

    Parameters
    ----------
    {processed}
    by : str, default "doc"
        The unit or group counted (:mod:`analysis.units`).
    {where}
    detected : bool, default False
        Count the other mentions (capitalised sequences of type ``unknown``, the analyst's
        names) as well, not only the gazetteer's and the entities an annotated corpus tags.
    mentions : DataFrame, optional
        Output of :func:`actor_mentions`, to avoid recomputing it.
    groups : list of str, optional
        Only the rows of these units (labels, as :func:`analysis.units.largest` gives them):
        every actor has a row for every unit, so 10,000 groups and 1,000 actors would make
        ten million rows where a report shows a dozen groups.

    Returns
    -------
    DataFrame
        The unit's columns, ``actor, type, mentions, words, per_1000``; every actor named
        somewhere (in the corpus, not only in ``groups``) has a row for every unit (0 where
        that unit does not name it). Ordered by unit, then mentions descending, then actor.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> counts = actor_counts(process(load_corpus()), by="voice")
    >>> counts.head(3)  # doctest: +NORMALIZE_WHITESPACE
           voice              actor     type  mentions  words  per_1000
    0  newspaper  political parties    party         7    290    24.138
    1  newspaper              China  country         5    290    17.241
    2  newspaper           Pakistan  country         5    290    17.241
    """
    processed = prepare(processed, by, where)
    keys = group_columns(by)
    mentions = restrict(mentions, processed)
    if mentions is None:
        mentions = actor_mentions(processed, detect=detected)
    if not detected:  # the typed mentions: the gazetteer's and an annotation's entities
        mentions = mentions[mentions["source"].isin(["gazetteer", "entity"])]
    mentions = grouped(processed, mentions, by)
    all_actors = mentions.drop_duplicates("actor")
    units = groups_of(processed, by)
    units = units[units["documents"] > 0].drop(columns="documents").reset_index(drop=True)
    if groups is not None:
        shown = {str(label) for label in groups}
        units = units[row_labels(units, by).isin(shown).to_numpy()].reset_index(drop=True)
        mentions = mentions[row_labels(mentions, by).isin(shown).to_numpy()]
    actors = all_actors[["actor", "type"]]
    grid = units.assign(_unit=np.arange(len(units))).merge(actors, how="cross")
    counts = mentions.groupby(keys + ["actor"]).size().rename("mentions").reset_index()
    table = grid.merge(counts, on=keys + ["actor"], how="left").fillna({"mentions": 0})
    table["mentions"] = table["mentions"].astype(int)
    table["per_1000"] = (1000 * table["mentions"] / table["words"]).round(3)
    table = table.sort_values(["_unit", "mentions", "actor"], ascending=[True, False, True])
    return table.drop(columns="_unit")[keys + ["actor", "type", "mentions", "words",
                                                "per_1000"]].reset_index(drop=True)


@constrained(n=Interval(1, MAX_ROWS))
def top_actors(counts: pd.DataFrame, n: int = 12) -> list[str]:
    """The ``n`` actors of an :func:`actor_counts` table mentioned most over all its units.

    Ties are broken by name, so the choice is reproducible.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`actor_counts` (``actor`` and ``mentions`` columns).
    n : int, default 12

    Returns
    -------
    list of str
        Actor names, the most mentioned first.

    Examples
    --------
    >>> counts = pd.DataFrame({"doc": ["a", "a", "b", "b"],
    ...                        "actor": ["CPC", "PTI", "CPC", "PPP"],
    ...                        "mentions": [1, 3, 2, 3]})
    >>> top_actors(counts, 2)
    ['CPC', 'PPP']
    """
    totals = counts.groupby("actor")["mentions"].sum().reset_index()
    totals = totals.sort_values(["mentions", "actor"], ascending=[False, True])
    return [str(actor) for actor in totals["actor"].head(n)]


def named_actor(mentions: pd.DataFrame, actor: str | None) -> str | None:
    """The actor as :func:`actor_mentions` names it (the same name, else the same name in
    another case: ``song tao`` is ``Song Tao``), or None if it is never named.

    Examples
    --------
    >>> mentions = pd.DataFrame({"actor": ["Song Tao", "China"]})
    >>> named_actor(mentions, "song tao"), named_actor(mentions, "Nepal")
    ('Song Tao', None)
    """
    if actor is None:
        return None
    names = mentions["actor"].astype(str)
    for same in (names == actor, names.str.lower() == actor.lower()):
        if same.any():
            return str(names[same].iloc[0])
    return None


def _check_actor(mentions: pd.DataFrame, actor: str) -> pd.DataFrame:
    rows = mentions[mentions["actor"] == (named_actor(mentions, actor) or actor)]
    if rows.empty:
        known = sorted(mentions["actor"].unique())
        listed = ", ".join(known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20
                                          else "")
        raise ValueError(f"actor {actor!r} is not named in the corpus (named: {listed})")
    return rows


def most_named(mentions: pd.DataFrame, kind: str = "person") -> str | None:
    """The actor of a type named most often (ties by name), else the most named of any type;
    None when nobody is named. The actor a report portrays when none is given.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> mentions = actor_mentions(process(load_corpus()))
    >>> most_named(mentions), most_named(mentions, "country")
    ('Song Tao', 'China')
    """
    for rows in (mentions[mentions["type"] == kind], mentions):
        if not rows.empty:
            counts = rows.groupby("actor").size().reset_index(name="n")
            return str(counts.sort_values(["n", "actor"], ascending=[False, True])
                       .iloc[0]["actor"])
    return None


@constrained(window=Interval(1, MAX_WINDOW))
@shared_docs
def actor_context(processed: Processed, actor: str | None, *, by: str = "doc", where=None,
                  window: int = 5, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Content words near the mentions of one actor: what the text puts next to a name.

    For every mention, the terms (multiword expressions merged) at most ``window`` tokens
    before or after it in the same sentence are taken, and the content words among them (word
    tokens that are not stop words and contain a letter) are counted. Words that are part of a
    mention of the same actor are not counted.

    Parameters
    ----------
    {processed}
    actor : str or None
        An actor name as in :func:`actor_mentions` (``"Song Tao"``); None gives an empty
        table.
    by : str, default "doc"
        The unit or group the counts are kept apart by (:mod:`analysis.units`).
    {where}
    window : int, default 5
        Tokens on each side.
    mentions : DataFrame, optional
        Output of :func:`actor_mentions`.

    Returns
    -------
    DataFrame
        The unit's columns, ``term, count, mentions`` (the actor's mentions in that unit),
        ordered by unit, count descending, then term.

    Raises
    ------
    ValueError
        If the actor is never named or ``window`` is below 1.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> context = actor_context(process(load_corpus()), "Song Tao", by="corpus")
    >>> context.head(3)  # doctest: +NORMALIZE_WHITESPACE
           term  count  mentions
    0  minister      5         9
    1     idcpc      2         9
    2   article      1         9
    """
    processed = prepare(processed, by, where)
    keys = group_columns(by)
    if actor is None:  # nobody to portray (see most_named)
        return pd.DataFrame(columns=[*keys, "term", "count", "mentions"])
    mentions = restrict(mentions, processed)
    if mentions is None:
        mentions = actor_mentions(processed)
    own = _check_actor(mentions, actor)
    own = grouped(processed, own, by).sort_values("_group", kind="mergesort")
    # The term occurrences (multiword expressions merged) as arrays, no table of them:
    # each one's first token row, its span in the text, its term, whether a content term.
    c = processed.columns
    found = term_rows(processed)
    last = found.rows.copy()
    last[found.mwe] = found.mwe_last
    t_start, t_end = c.tok_start[found.rows], c.tok_end[last]
    t_term = found.names[found.code]
    content = is_content(found)
    # The occurrences of each sentence, found by binary search on their sentence rows
    # instead of filtering every occurrence once per sentence.
    # 64 bits, as the rows looked up: searchsorted would copy a narrower array every call.
    sentence_of = c.tok_sentence[found.rows].astype(np.int64)
    own = own.assign(_row=sentence_rows(processed, own))
    picked = []  # the occurrences in the windows, in the order they are counted
    # The mentions by sentence row, the sentences in the order they are first met and each
    # one's mentions in table order (as a groupby would give them, without a table each).
    row_of = own["_row"].to_numpy()
    _, first_met, which = np.unique(row_of, return_index=True, return_inverse=True)
    order = np.lexsort((np.arange(len(row_of)), np.argsort(np.argsort(first_met))[which]))
    m_start = own["start"].to_numpy()[order].tolist()
    m_end = own["end"].to_numpy()[order].tolist()
    m_row = row_of[order].tolist()
    bounds = [k for k in range(len(m_row) + 1)
              if k in (0, len(m_row)) or m_row[k] != m_row[k - 1]]
    for b0, b1 in itertools.pairwise(bounds):
        row = m_row[b0]
        lo_row, hi_row = np.searchsorted(sentence_of, [row, row + 1]).tolist()
        spans = list(zip(m_start[b0:b1], m_end[b0:b1], strict=True))
        sent = range(lo_row, hi_row)
        inside = [any(t_start[r] < e2 and s2 < t_end[r] for s2, e2 in spans) for r in sent]
        for start, end in spans:
            hits = [k for k, r in enumerate(sent) if t_start[r] < end and start < t_end[r]]
            lo, hi = min(hits), max(hits)
            for k in range(max(0, lo - window), min(len(sent), hi + window + 1)):
                r = sent[k]
                if lo <= k <= hi or inside[k] or not content[r]:
                    continue
                picked.append(r)
    picked = np.asarray(picked, dtype=np.int64)
    # Each picked occurrence's group, through its paragraph.
    para_codes, groups = paragraph_codes(processed, by)
    at = para_codes[c.para_of(found.rows[picked])]
    columns = {k: groups[k].to_numpy()[at].tolist() for k in keys}
    rows = list(zip(*columns.values(), t_term[picked].tolist(), strict=True))
    out = pd.DataFrame(rows, columns=keys + ["term"])
    if not keys:  # the whole corpus
        out = out.value_counts("term", sort=False).rename("count").reset_index()
        return out.assign(mentions=len(own)).sort_values(
            ["count", "term"], ascending=[False, True]).reset_index(drop=True)
    out = out.groupby(keys + ["term"], sort=False).size().rename("count").reset_index()
    n = own.groupby(keys, sort=False).size().rename("mentions").reset_index()
    out = out.merge(n, on=keys, how="left")
    unit_order = {tuple(u): i for i, u in enumerate(n[keys].itertuples(index=False))}
    out["_unit"] = [unit_order[tuple(u)] for u in out[keys].itertuples(index=False)]
    out = out.sort_values(["_unit", "count", "term"], ascending=[True, False, True])
    return out.drop(columns="_unit").reset_index(drop=True)


_PUNCT_STOP = re.compile(r"[,;.:!?()\"\n]")


def _phrase_after(text: str, pos: int) -> str:
    """The words from ``pos`` up to the next punctuation, or '' if longer than the limit."""
    m = _PUNCT_STOP.search(text, pos)
    phrase = text[pos:m.start() if m else len(text)].strip()
    words = phrase.split()
    if len(words) > MAX_DESCRIPTOR_WORDS:
        phrase = " ".join(words[:MAX_DESCRIPTOR_WORDS]) + " ..."
    return phrase


@shared_docs
def actor_descriptors(processed: Processed, actor: str | None,
                      mentions: pd.DataFrame | None = None, *, where=None) -> pd.DataFrame:
    """How a text describes an actor where it names it: titles, appositions and predicates.

    Three surface patterns, read off the cleaned text around each mention (no parser):

    ``title``
        capitalised words just before the name, skipping honorifics (``Minister`` in
        ``Minister Song Tao``, ``IDCPC Vice Minister`` in ``IDCPC Vice Minister Mr. Guo
        Yezhou``);
    ``apposition``
        a phrase set off by a comma right after the name, up to the next punctuation
        (``Mr. Song Tao, minister of the IDCPC,``), if it does not start with a conjunction
        or pronoun other than ``who``;
    ``predicate``
        the words after the name up to the next punctuation when the next word is an
        auxiliary (``is``, ``has``...) or a lower-case content word (a verb such as
        ``stressed``): ``has played a key role in fostering greater mutual understanding``.

    Appositions and predicates longer than :data:`MAX_DESCRIPTOR_WORDS` words are cut and end
    in `` ...``.

    Parameters
    ----------
    {processed}
    {where}
    actor : str or None
        An actor name as in :func:`actor_mentions`; None gives an empty table.
    mentions : DataFrame, optional
        Output of :func:`actor_mentions`.

    Returns
    -------
    DataFrame
        ``doc, section, voice, sentence, mention, kind, descriptor``, in text order.

    Raises
    ------
    ValueError
        If the actor is never named.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = actor_descriptors(process(load_corpus()), "Song Tao")
    >>> table[["voice", "kind", "descriptor"]].head(2).values.tolist()
    [['newspaper', 'apposition', 'minister of the IDCPC'], ['newspaper', 'title', 'Minister']]
    """
    processed = select(processed, where)
    mentions = restrict(mentions, processed)
    if actor is None:  # nobody to portray (see most_named)
        return pd.DataFrame(columns=["doc", "section", "voice", "sentence", "mention", "kind",
                                     "descriptor"])
    if mentions is None:
        mentions = actor_mentions(processed)
    own = _check_actor(mentions, actor)
    stops = stop_words()
    # Each mention's sentence start, from its document and sentence number (no sentence
    # table).
    sentence_start = processed.columns.sent_start[sentence_rows(processed, own)].tolist()
    rows = []
    for m, s_start in zip(own.itertuples(index=False), sentence_start, strict=True):
        text = processed.texts[m.doc]
        base = {"doc": m.doc, "section": m.section, "voice": m.voice, "sentence": m.sentence,
                "mention": m.text}
        before = text[s_start:m.start]
        words = re.findall(r"[^\s]+", before)
        title: list[str] = []
        while words:
            word = words[-1]
            bare = word.rstrip(".").lower()
            if bare in HONORIFICS and not title:
                words.pop()
                continue
            if word[:1].isupper() and not re.search(r"[,;:]$", word) or word == "&":
                title.insert(0, word)
                words.pop()
                continue
            break
        while title and (title[0].lower() in stops or title[0] == "&"):
            title.pop(0)  # 'The', 'Under' opening a sentence are not part of a title
        if title and (len(title) > 1 or len(words) > 0 or title[0].lower() not in stops):
            rows.append({**base, "kind": "title", "descriptor": " ".join(title)})
        after = text[m.end:]
        if after.startswith(","):
            phrase = _phrase_after(text, m.end + 1)
            first = phrase.split()[0].lower() if phrase else ""
            if phrase and (first not in stops or first in ("the", "a", "an", "who")):
                rows.append({**base, "kind": "apposition", "descriptor": phrase})
        else:
            nxt = re.match(r"\s+([a-z][\w'-]*)", after)
            if nxt and (nxt.group(1) in AUXILIARIES or nxt.group(1) not in stops):
                phrase = _phrase_after(text, m.end)
                if phrase:
                    rows.append({**base, "kind": "predicate", "descriptor": phrase})
    columns = ["doc", "section", "voice", "sentence", "mention", "kind", "descriptor"]
    return pd.DataFrame(rows, columns=columns)


def descriptor_counts(descriptors: pd.DataFrame) -> pd.DataFrame:
    """How often each title, apposition or predicate is used, the most frequent first.

    Parameters
    ----------
    descriptors : DataFrame
        Output of :func:`actor_descriptors`.

    Returns
    -------
    DataFrame
        ``kind, descriptor, mentions, voices`` (the voices using it, comma-separated in order
        of first use), ordered by mentions descending, then kind, then descriptor.

    Examples
    --------
    >>> descriptors = pd.DataFrame({
    ...     "voice": ["newspaper", "award report", "newspaper"],
    ...     "kind": ["title", "title", "predicate"],
    ...     "descriptor": ["Minister", "Minister", "stressed that ..."]})
    >>> descriptor_counts(descriptors)  # doctest: +NORMALIZE_WHITESPACE
            kind         descriptor  mentions                   voices
    0      title           Minister         2  newspaper, award report
    1  predicate  stressed that ...         1                newspaper
    """
    columns = ["kind", "descriptor", "mentions", "voices"]
    if descriptors.empty:
        return pd.DataFrame(columns=columns)
    grouped = descriptors.groupby(["kind", "descriptor"], sort=False)
    table = grouped.agg(mentions=("voice", "size"),
                        voices=("voice", lambda v: ", ".join(dict.fromkeys(v))))
    table = table.reset_index().sort_values(["mentions", "kind", "descriptor"],
                                            ascending=[False, True, True])
    return table[columns].reset_index(drop=True)
