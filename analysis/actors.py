"""Actors: the people, parties, organisations and countries a text names, and how it names them.

Detection has two sources, and no downloaded NER model:

1. a gazetteer, ``lexicons/actors.csv`` (``actor, variant, type, note``): every variant is
   matched case-insensitively as a sequence of word tokens, longest match first, within a
   sentence. Hyphenated tokens are split into their parts before matching, so
   ``China-Pakistan`` names China and Pakistan and ``Moin-ul-Haque`` is still one name. Rows of
   type ``ignore`` are matched like the others and then dropped: they stop the parts of a
   longer name being counted (``Hilal-i-Pakistan`` is an award, not a mention of Pakistan).
2. capitalised sequences the gazetteer does not cover (``Diaoyutai State Guest House``,
   ``Jiangxi Province``): runs of capitalised tokens, joined by ``of``, ``the``, ``for`` or
   ``&`` (not ``and``, which mostly joins two names), without leading honorifics (``Mr``,
   ``H.E``...). A run of one word at the start of a sentence is dropped (any sentence starts
   with a capital); a common word opening a sentence is cut from a longer run (``Development
   of the CPEC`` -> ``CPEC``); a run whose words are all common English words (Zipf frequency
   >= :data:`COMMON_ZIPF` in ``wordfreq``), such as ``President`` or ``Thursday``, is dropped.
   These mentions have type ``unknown``: they are candidates for the gazetteer, shown so the
   analyst can extend it.

Limits, stated once: no coreference (``He has been a great friend of Pakistan`` is not counted
for Song Tao), no first-person mentions (Song Tao's ``I`` and ``we``), and ``the Party`` is not
matched (it would catch ``party channel``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from analysis.text import Processed, read_lexicon, stop_words, terms, tokenize

TYPES = ("person", "party", "organisation", "country")
IGNORE = "ignore"
UNKNOWN = "unknown"

#: Zipf frequency (wordfreq, English) from which a capitalised word counts as a common word.
COMMON_ZIPF = 4.5

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

GROUPS = {"doc": ["doc"], "section": ["doc", "section", "voice"], "voice": ["voice"]}


# What may stand between two words of one detected name: spaces, an ampersand, a hyphen.
_JOIN = re.compile(r"[ \t]*&?[ \t]*|-")


def _split(term: str) -> list[str]:
    return [part for part in term.split("-") if part] or [term]


@lru_cache(maxsize=1)
def gazetteer() -> pd.DataFrame:
    """The actor gazetteer ``lexicons/actors.csv`` with each variant's match key.

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
    """
    rows, seen = [], {}
    for row in read_lexicon("actors"):
        if row["type"] not in (*TYPES, IGNORE):
            raise ValueError(f"lexicons/actors.csv: actor {row['actor']!r}: bad type "
                             f"{row['type']!r} (expected {', '.join(TYPES)} or {IGNORE})")
        key = tuple(p for t in tokenize(row["variant"]) for p in _split(t))
        if key in seen:
            raise ValueError(f"lexicons/actors.csv: variant {row['variant']!r} matches the same "
                             f"words as {seen[key]!r}")
        seen[key] = row["variant"]
        rows.append({**row, "key": key})
    return pd.DataFrame(rows, columns=["actor", "variant", "type", "note", "key"])


def _parts(processed: Processed) -> pd.DataFrame:
    """Word tokens split at hyphens, with character offsets into the cleaned text."""
    rows = []
    for tok in processed.tokens.itertuples(index=False):
        if not tok.is_word:
            continue
        offset = tok.start
        for part in re.split(r"(-)", tok.token):
            if part and part != "-":
                rows.append((tok.doc, tok.section, tok.voice, tok.paragraph, tok.sentence,
                             offset, offset + len(part), part, part.lower()))
            offset += len(part)
    return pd.DataFrame(rows, columns=["doc", "section", "voice", "paragraph", "sentence",
                                       "start", "end", "surface", "term"])


def _is_capitalised(surface: str) -> bool:
    return surface[:1].isupper()


def actor_mentions(processed: Processed, detect: bool = True) -> pd.DataFrame:
    """Every mention of an actor: gazetteer matches and, optionally, capitalised sequences.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process`.
    detect : bool, default True
        Add capitalised sequences the gazetteer does not cover, with type ``unknown``.

    Returns
    -------
    DataFrame
        ``doc, section, voice, paragraph, sentence, start, end, text, actor, type, source``
        (``source`` is ``gazetteer`` or ``detected``), in text order. ``start, end`` are
        offsets into ``processed.texts[doc]``.
    """
    from wordfreq import zipf_frequency

    table = gazetteer()
    keys = dict(zip(table["key"], zip(table["actor"], table["type"], strict=True), strict=True))
    longest = max(len(k) for k in keys)
    honorifics = HONORIFICS
    parts = _parts(processed)
    rows = []
    for (doc, _sentence), sent in parts.groupby(["doc", "sentence"], sort=False):
        recs = list(sent.itertuples(index=False))
        text = processed.texts[doc]
        n = len(recs)
        covered = [False] * n
        i = 0
        while i < n:
            for size in range(min(longest, n - i), 0, -1):
                hit = keys.get(tuple(r.term for r in recs[i:i + size]))
                if hit is not None:
                    first, last = recs[i], recs[i + size - 1]
                    for k in range(i, i + size):
                        covered[k] = True
                    if hit[1] != IGNORE:
                        rows.append((first.doc, first.section, first.voice, first.paragraph,
                                     first.sentence, first.start, last.end,
                                     text[first.start:last.end], hit[0], hit[1], "gazetteer"))
                    i += size - 1
                    break
            i += 1
        if not detect:
            continue
        i = 0
        while i < n:
            if covered[i] or not _is_capitalised(recs[i].surface) or (
                    recs[i].term in honorifics):
                i += 1
                continue
            j = i
            while j + 1 < n and not covered[j + 1] and _JOIN.fullmatch(
                    text[recs[j].end:recs[j + 1].start]) and (
                    _is_capitalised(recs[j + 1].surface) and recs[j + 1].term not in honorifics
                    or recs[j + 1].term in CONNECTORS):
                j += 1
            while j > i and recs[j].term in CONNECTORS:
                j -= 1
            run = recs[i:j + 1]
            at_start = i == 0 or all(covered[k] or recs[k].term in honorifics for k in range(i))
            if at_start and len(run) > 1 and zipf_frequency(run[0].term, "en") >= COMMON_ZIPF:
                run = run[1:]  # a sentence's first word: capitalised because it comes first
            while len(run) > 1 and run[0].term in CONNECTORS:
                run = run[1:]
            common = all(zipf_frequency(r.term, "en") >= COMMON_ZIPF or r.term in CONNECTORS
                         for r in run)
            if not (len(run) == 1 and at_start) and not common:
                first, last = run[0], run[-1]
                surface = text[first.start:last.end]
                rows.append((first.doc, first.section, first.voice, first.paragraph,
                             first.sentence, first.start, last.end, surface, surface, UNKNOWN,
                             "detected"))
            i = j + 1
    columns = ["doc", "section", "voice", "paragraph", "sentence", "start", "end", "text",
               "actor", "type", "source"]
    out = pd.DataFrame(rows, columns=columns)
    order = {d: i for i, d in enumerate(processed.corpus.ids)}
    out = out.sort_values(["doc", "start"], key=lambda s: s.map(order) if s.name == "doc" else s)
    return out.reset_index(drop=True)


def candidate_actors(processed: Processed, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Capitalised sequences the gazetteer does not cover: candidates to add to it.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process`.
    mentions : DataFrame, optional
        Output of :func:`actor_mentions` (with ``detect=True``).

    Returns
    -------
    DataFrame
        ``text, mentions, docs`` (the documents naming it, comma-separated in corpus order),
        ordered by mentions descending, then text.
    """
    if mentions is None:
        mentions = actor_mentions(processed, detect=True)
    found = mentions[mentions["source"] == "detected"]
    order = {d: i for i, d in enumerate(processed.corpus.ids)}
    rows = [{"text": text, "mentions": len(group),
             "docs": ", ".join(sorted(set(group["doc"]), key=order.get))}
            for text, group in found.groupby("text")]
    table = pd.DataFrame(rows, columns=["text", "mentions", "docs"])
    table = table.sort_values(["mentions", "text"], ascending=[False, True])
    return table.reset_index(drop=True)


def _group_words(processed: Processed, keys: list[str]) -> pd.DataFrame:
    words = processed.tokens[processed.tokens["is_word"]]
    return words.groupby(keys, sort=False).size().rename("words").reset_index()


def actor_counts(processed: Processed, by: str = "doc", detected: bool = False,
                 mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """How often each document (section, voice) names each actor.

    ``per_1000 = 1000 * mentions / words``, with ``words`` the word tokens of the document,
    section or voice.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process`.
    by : {"doc", "section", "voice"}
        The unit counted.
    detected : bool, default False
        Count detected capitalised sequences (type ``unknown``) as well.
    mentions : DataFrame, optional
        Output of :func:`actor_mentions`, to avoid recomputing it.

    Returns
    -------
    DataFrame
        The unit's columns, ``actor, type, mentions, words, per_1000``; every actor named
        somewhere has a row for every unit (0 where that unit does not name it). Ordered by
        unit (corpus order), then mentions descending, then actor.
    """
    keys = _check_by(by)
    if mentions is None:
        mentions = actor_mentions(processed, detect=detected)
    if not detected:
        mentions = mentions[mentions["source"] == "gazetteer"]
    units = _group_words(processed, keys)
    actors = mentions.drop_duplicates("actor")[["actor", "type"]]
    grid = units.merge(actors, how="cross")
    counts = mentions.groupby(keys + ["actor"]).size().rename("mentions").reset_index()
    table = grid.merge(counts, on=keys + ["actor"], how="left").fillna({"mentions": 0})
    table["mentions"] = table["mentions"].astype(int)
    table["per_1000"] = (1000 * table["mentions"] / table["words"]).round(3)
    unit_order = {tuple(u): i for i, u in enumerate(units[keys].itertuples(index=False))}
    table["_unit"] = [unit_order[tuple(u)] for u in table[keys].itertuples(index=False)]
    table = table.sort_values(["_unit", "mentions", "actor"], ascending=[True, False, True])
    return table.drop(columns="_unit")[keys + ["actor", "type", "mentions", "words",
                                                "per_1000"]].reset_index(drop=True)


def _check_by(by: str) -> list[str]:
    if by not in GROUPS:
        raise ValueError(f"by must be one of {', '.join(GROUPS)}, not {by!r}")
    return GROUPS[by]


def _check_actor(mentions: pd.DataFrame, actor: str) -> pd.DataFrame:
    rows = mentions[mentions["actor"] == actor]
    if rows.empty:
        known = ", ".join(sorted(mentions["actor"].unique()))
        raise ValueError(f"actor {actor!r} is not named in the corpus (named: {known})")
    return rows


def actor_context(processed: Processed, actor: str, by: str = "doc", window: int = 5,
                  mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Content words near the mentions of one actor: what the text puts next to a name.

    For every mention, the terms (multiword expressions merged) at most ``window`` tokens
    before or after it in the same sentence are taken, and the content words among them (word
    tokens that are not stop words and contain a letter) are counted. Words that are part of a
    mention of the same actor are not counted.

    Parameters
    ----------
    processed : Processed
        Output of :func:`analysis.text.process`.
    actor : str
        An actor name as in :func:`actor_mentions` (``"Song Tao"``).
    by : {"doc", "section", "voice"}
        The unit the counts are kept apart by.
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
    """
    keys = _check_by(by)
    if window < 1:
        raise ValueError(f"window must be at least 1, not {window}")
    if mentions is None:
        mentions = actor_mentions(processed)
    own = _check_actor(mentions, actor)
    table = terms(processed)
    rows = []
    for (doc, sentence), group in own.groupby(["doc", "sentence"], sort=False):
        sent = table[(table["doc"] == doc) & (table["sentence"] == sentence)]
        spans = list(zip(group["start"], group["end"], strict=True))
        inside = [any(s < e2 and s2 < e for s2, e2 in spans)
                  for s, e in zip(sent["start"], sent["end"], strict=True)]
        sent_rows = list(sent.itertuples(index=False))
        for start, end in spans:
            hits = [k for k, r in enumerate(sent_rows) if r.start < end and start < r.end]
            lo, hi = min(hits), max(hits)
            for k in range(max(0, lo - window), min(len(sent_rows), hi + window + 1)):
                r = sent_rows[k]
                if lo <= k <= hi or inside[k] or not r.is_word or r.is_stop:
                    continue
                if not re.search(r"[^\W\d_]", r.term):
                    continue
                rows.append({**{c: getattr(r, c) for c in keys}, "term": r.term})
    out = pd.DataFrame(rows, columns=keys + ["term"])
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


def actor_descriptors(processed: Processed, actor: str,
                      mentions: pd.DataFrame | None = None) -> pd.DataFrame:
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
    processed : Processed
        Output of :func:`analysis.text.process`.
    actor : str
        An actor name as in :func:`actor_mentions`.
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
    """
    if mentions is None:
        mentions = actor_mentions(processed)
    own = _check_actor(mentions, actor)
    stops = stop_words()
    rows = []
    for m in own.itertuples(index=False):
        text = processed.texts[m.doc]
        base = {"doc": m.doc, "section": m.section, "voice": m.voice, "sentence": m.sentence,
                "mention": m.text}
        sentence = processed.sentences[(processed.sentences["doc"] == m.doc)
                                       & (processed.sentences["sentence"] == m.sentence)]
        s_start = int(sentence["start"].iloc[0])
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
