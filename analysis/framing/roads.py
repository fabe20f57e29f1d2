"""The roads: metaphors that call something a road of/to/for a value, and their tasks.

Every function takes the :class:`~analysis.text.process.Processed` bundle of
:func:`analysis.text.process.process` (cleaned text, so reviewed corrections such as
``CPE Casa`` -> ``CPEC as a`` are already applied) and returns a DataFrame, which
:mod:`analysis.narrate` (``roads``), :mod:`analysis.plots` (``roads_plot``),
:func:`analysis.stance.evaluation_summary` (``by="road"``), the command line and the framing
notebook read.

The roads
---------
:func:`roads` extracts the metaphors that call something a road of/to/for a VALUE (*CPEC is
a road of development*) and the task the same sentence assigns to an actor (*we political
parties shall TASK*). It relies on these rules, all case-insensitive and documented here so
an analyst can predict what it finds:

1. **Road phrase and construction** (:func:`road_pattern`): an optional determiner (``a,
   an, the, one, our, another``), up to two modifiers (not prepositions, auxiliaries,
   modals or pronouns), the head noun (``road`` by default; ``heads=`` changes it, e.g.
   ``("road", "path", "bridge")``), a preposition ``of | to | for | towards``, then the
   VALUE. The words before the phrase (after the enumerator, or after the previous road of
   the sentence) decide whether it names something (the vehicle, ``topic``) a road, and how
   (column ``construction``):

   - ``copula``: *X is / are / was / were / be / been / becomes / became / remains / serves
     as / acts as [also, -ly] a road of Y*; ``topic`` is the words before the copula without
     a leading subordinator (*as CPEC is ...* -> ``CPEC``) or trailing auxiliaries and
     modals (*CPEC will become ...* -> ``CPEC``); negated (*is not*, *will never become*)
     is not extracted;
   - ``as``: *we see / regard / consider / describe ... X as a road of Y* (``topic`` is the
     verb's object, or its subject when passive: *X is seen as ...*) or *X, as a road of Y,
     ...*; a bare ``as`` after anything else (*just as a road to peace needs ...*, *such as a
     road to Gwadar*) is not;
   - ``make``: *make X a road of Y*, or *turn / build / transform / develop / convert X
     into a road of Y* (X at most six words, not ending in a preposition);
   - ``apposition``: *X, a road to Y, ...* (indefinite determiner ``a, an, one,
     another``; the value closed by punctuation or the sentence end; ``topic`` is the
     words back to the previous punctuation);
   - ``fronted``: *A road of Y, X will ...* or *As a road to Y, X will ...* at the start of
     the sentence (after the enumerator), the value closed by a comma; ``topic`` is the
     words after the comma up to the first modal, auxiliary or punctuation;
   - ``possessive``: *X's road to Y* (no determiner; ``topic`` is the possessor's run of
     capitalised words, else its last word);
   - coordinated roads (*a road for peace, a road of prosperity and a road of
     innovation*), joined by nothing but punctuation and ``and, or, but, also, as well
     as, not only``, each a row with the construction and topic of the first.

   Anything else is not extracted: the road as a subject or a place one is at (*the road
   to recovery has not been easy*, *we are on the road to recovery*, *down the road of
   ...*), which are journey metaphors of another kind, and literal roads alike.
2. **Enumerator** (:data:`ENUMERATOR`): ``First, Second, ... Tenth``, ``Firstly ...
   Tenthly``, ``Lastly``, ``Finally``, *the first is* / *the second road is*, the cardinal
   words ``One, Two, ... Ten`` followed by punctuation (``One,``), ``1.``, ``(1)``, ``1)``,
   ``1:`` at the start of the road sentence, or a bare ``1.`` that the sentence splitter
   left as the previous sentence. ``ordinal`` is the enumerator's number (the roads of one
   numbered sentence share it); ``Lastly``/``Finally`` and unnumbered roads take the
   previous ordinal + 1, so in a text without enumerators ``ordinal`` is the order of
   appearance. Roads need not be enumerated.
3. **Value** (the road's destination): the words after the preposition up to the first
   clause boundary: punctuation, a subject pronoun (``we, they, I, you, he, she, it``), a
   modal (:data:`MODALS`), a subordinator (``that, which, so, while, because``), an
   auxiliary or copula (:data:`AUXILIARIES`: *the road to peace was long*), or the next
   head noun with its determiner and modifiers, whether a road phrase or not (*a road to
   peace and a road that leads nowhere* -> ``peace``; trailing ``and``/``or`` dropped). The
   value is a noun phrase: a comma between coordinate adjectives stays inside it (every word
   before the comma has an adjective's ending, ``-ed, -ful, -ous, -ive, -less, -able, -ible,
   -ic, -al, -ish``, and is not a listed destination, and a content word follows: *the road to
   ungrudged, unclouded success* -> ``ungrudged, unclouded success``), and *to* followed by
   a listed verb (class ``verb`` of ``lexicons/roads.csv``: *a hard road to follow*) is an
   infinitive, not a destination: no road.
4. **Noise-tolerant subject recovery**: when the value runs straight into a modal with no
   boundary (the seed's ``road of development political parties shall ...``), its last words
   are taken as the modal's subject if they equal the subject of another road of the same
   document with its pronouns removed (``we political parties`` -> ``political parties``);
   the longest such suffix wins. Without such a sibling, the value keeps all its words.
5. **Role** (the actor's task): the words after the first modal that follows the value
   (``shall, should, will, must, would, can, may, could, might, need to, have to, ought to``),
   normalised by a small general rule rather than a rule per sentence:
   (a) a leading prepositional phrase closed by a comma is set aside as ``adjunct``
   (``shall for shared prosperity, lead ...``);
   (b) leading ``-ly`` adverbs and catenative verbs with ``to`` (``work to, strive to, try
   to, seek to, continue to, aim to, endeavour to``) are dropped (``work to guide`` ->
   ``guide``);
   (c) function words (articles, pronouns, possessives, :data:`FUNCTION_WORDS`) are dropped
   wherever they stand, which repairs scrambled order such as ``lead we cooperation`` or
   ``the protect outcomes``;
   (d) the role is the first remaining word (the content verb) and its object, which ends at
   the first punctuation mark, conjunction or preposition other than ``of``.
   Without a modal, the clause after the boundary, minus a leading subject pronoun, is used
   (unless another road phrase follows in the sentence). In an apposition, a fronted road
   or *X, as a road ...*, a modal right after the value has the topic as its subject
   (*CPEC, a road to peace, will bind ...*). A ``make`` road without a modal after it has
   the making as its task: ``role`` is the words from the verb to the value (*make CPEC a
   road of prosperity*), ``subject`` and ``modal`` those before the verb (*we will*; *let
   us*). Coordinated roads share the task stated after the last of them.
6. **Evidence**: the sentences after the road sentence in the same paragraph, up to the next
   road sentence. From them: ``figures`` (a number, in digits or words, with up to five
   following words, stopping at punctuation or a conjunction; dates, years and numbers after
   a determiner such as ``the two countries`` are skipped; ``one`` is skipped as too
   ambiguous), ``claims`` (sentences without a modal or a volition marker: statements of
   fact or result), ``commitments`` (sentences with one: ``will, shall, should, must, would,
   hope, ready to, try to``) and ``adversaries`` (the case study's named others,
   ``dictionaries/data/others.csv``,
   with kind ``adversary``, in the road sentence or its evidence).
7. **Literal or metaphorical** (:func:`road_sense`, word lists in ``lexicons/roads.csv``
   with their sources): a road whose value holds an abstract destination (development,
   happiness, peace, prosperity, stability, progress, cooperation, friendship, win-win ...)
   is metaphorical; else it is literal, and dropped, when its value is a place (listed, or a
   capitalised name: *a road to Lahore*) or road traffic (*a road for trucks*), when the
   road has a literal modifier or a name (*a toll road*, *the Karakoram road*), or when
   what is called a road is itself a way or a place (*this street is a road to ...*); any
   other road of these constructions is metaphorical (*the Green Deal is a road for
   jobs*). What the rule cannot tell is listed in :func:`road_sense`.

8. **Dependencies, where the corpus has them** (a CoNLL-U corpus's ``lemma``, ``deprel`` and
   ``head`` layers; :func:`road_dependencies`): the construction decides rather than the
   word order. A road phrase whose head noun has a prepositional dependent (``nmod`` or
   ``obl`` with a ``case`` child *of, to, for, towards*, the phrase's preposition) is a
   metaphor when that dependent, the head of the value, is an abstract destination (its
   lemma listed in class ``value``), and literal otherwise: *a road to the city of peace*
   leads to a city (literal), though *peace* stands in its value. Where the parse gives the
   head noun no such dependent, rule 7 decides from the words.

A text with no road clause yields an empty table with the same columns.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import units
from analysis.framing.others import named_others
from analysis.lexicons import read_lexicon
from analysis.params import shared_docs
from analysis.text.process import Processed

__all__ = ["road_dependencies", "road_lexicon", "road_pattern", "road_sense", "roads",
           "sentence_roads"]

MODALS = ("shall", "should", "will", "must", "would", "can", "could", "may", "might",
          "need to", "needs to", "have to", "has to", "ought to")
SUBJECT_PRONOUNS = frozenset("we they i you he she it".split())
SUBORDINATORS = frozenset("that which so while because whereas where who".split())
CONNECTIVES = frozenset("so and then hence therefore thus but".split())
FUNCTION_WORDS = frozenset(
    "a an the we us our ours they them their i me my you your he him his she her it its "
    "this these those that all both each every".split()
)
PREPOSITIONS = frozenset(
    "about above across after against along among around at before behind below beneath "
    "beside between beyond by despite during for from in inside into like near on onto "
    "over since through throughout to toward towards under until upon via with within "
    "without".split()
)
CONJUNCTIONS = frozenset("and or but nor so yet while whereas because as".split())
CATENATIVES = frozenset("work strive try seek continue aim endeavour endeavor".split())

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "firstly": 1, "secondly": 2, "thirdly": 3,
    "fourthly": 4, "fifthly": 5, "sixthly": 6, "seventhly": 7, "eighthly": 8, "ninthly": 9,
    "tenthly": 10, "lastly": None, "finally": None, "last": None,
}
CARDINAL_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                  "eight": 8, "nine": 9, "ten": 10}
_ORDINALS = "|".join(ORDINAL_WORDS)
ENUMERATOR = re.compile(
    r"^\s*(?:(?P<word>" + _ORDINALS + r")\b(?:\s+of\s+all)?"
    r"|(?P<the>the\s+(?P<the_word>" + _ORDINALS + r"))\b"
    r"(?:\s+(?!(?:is|are|was|will)\b)[\w-]+)?(?=\s+(?:is|are|was|will)\b)"
    r"|(?P<card>" + "|".join(CARDINAL_WORDS) + r")\s*[,:.)\u2014\u2013]"
    r"|\(?(?P<num>\d{1,2})[.):])\s*,?\s*",
    re.IGNORECASE,
)
_BARE_ENUMERATOR = re.compile(r"^\s*\(?\d{1,2}[.)]\s*$")

# Words that end a road's value (rule 3) besides punctuation, pronouns, subordinators, modals:
# a finite auxiliary or copula starts the predicate ("the road to peace was long").
AUXILIARIES = frozenset("is are was were be been being am has have had do does did".split())
_MODAL_WORDS = frozenset(m.split()[0] for m in MODALS)
_INDEFINITE = frozenset("a an one another".split())
_LEADING = frozenset("as since because if and that so then but while whereas when is are was "
                     "were also".split())
_COORDINATORS = frozenset("and or but also as well nor not only".split())
# Verbs before "X as a road": their object is what is called a road ("we see CPEC as ...").
REGARD_VERBS = frozenset(
    "see sees saw seen seeing view views viewed viewing regard regards regarded regarding "
    "consider considers considered considering treat treats treated treating describe "
    "describes described describing present presents presented presenting hail hails hailed "
    "hailing know knows knew known envision envisions envisioned envisage envisages "
    "envisaged welcome welcomes welcomed welcoming promote promotes promoted promoting "
    "position positions positioned recognise recognises recognised recognize recognizes "
    "recognized perceive perceives perceived cast casts frame frames framed".split()
)
_NOT_MODIFIER = (PREPOSITIONS | AUXILIARIES | _MODAL_WORDS | SUBJECT_PRONOUNS
                 | frozenset("a an the and or not no becomes became become remains remained "
                             "remain serves served serve as".split()))
_LEFT_COPULA = re.compile(
    r"\b(?P<copula>is|are|was|were|be|been|being|becomes?|became|becoming|remains?|remained"
    r"|remaining|(?:serves?|served|serving|acts?|acted|acting)\s+as)"
    r"\s+(?:(?:also|still|indeed|truly|already|\w+ly)\s+)?$",
    re.IGNORECASE,
)
_LEFT_AS = re.compile(r"\bas\s+$", re.IGNORECASE)
_LEFT_MAKE = re.compile(
    r"\b(?P<verb>make|makes|made|making)\s+(?P<x>[^,;:.!?()\"\u2014]+?)\s+$"
    r"|\b(?P<verb2>turn|turns|turned|turning|build|builds|built|building|transform\w*"
    r"|develop|develops|developed|developing|convert\w*)\s+(?P<x2>[^,;:.!?()\"\u2014]+?)"
    r"\s+into\s+$",
    re.IGNORECASE,
)
_LEFT_APPOSITION = re.compile(r"(?:,|\u2014|\u2013|--)\s*$")
_LEFT_POSSESSIVE = re.compile(r"[^\W_]['\u2019]s\s+$")


def road_pattern(heads: tuple[str, ...] = ("road",)) -> re.Pattern:
    """The road phrase of rule 1 (determiner, up to two modifiers, head, preposition).

    Which words stand before the phrase decides whether it is a road metaphor and of which
    construction (:func:`roads`); the phrase alone is not one.

    Examples
    --------
    >>> m = road_pattern(("road", "path")).search("CPEC is a new path to peace.")
    >>> m.group("det"), m.group("mods"), m.group("head"), m.group("prep")
    ('a ', 'new ', 'path', 'to')
    """
    stop = "|".join(sorted(_NOT_MODIFIER))
    return re.compile(
        r"(?<![\w'\u2019-])(?P<det>(?:a|an|the|one|our|another)\s+)?"
        rf"(?P<mods>(?:(?!(?:{stop})\b)[\w-]+\s+){{0,2}}?)"
        rf"(?P<head>{_heads(heads)})\s+(?P<prep>{_ROAD_PREPOSITIONS})\b",
        re.IGNORECASE,
    )


_ROAD_PREPOSITIONS = "of|to|for|towards?"


def _heads(heads: tuple[str, ...]) -> str:
    return "|".join(re.escape(h) + "s?" for h in heads)


def _head_and_preposition(heads: tuple[str, ...] = ("road",)) -> re.Pattern:
    """The end of :func:`road_pattern` alone (head, spaces, preposition): every match of the
    road phrase holds a match of it, so a sentence it does not match holds no road phrase,
    and the phrase's slower search (determiner, modifiers) is spared there.

    Examples
    --------
    >>> bool(_head_and_preposition().search("Roads to peace")), bool(
    ...     _head_and_preposition().search("a road map"))
    (True, False)
    """
    return re.compile(rf"(?:{_heads(heads)})\s+(?:{_ROAD_PREPOSITIONS})\b", re.IGNORECASE)


_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*|[,;:.!?\u2014()\"]")

NUMBER_WORDS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions billion billions dozen dozens"
).split()
MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|"
          "april|june|july|august|september|october|november|december")
FIGURE = re.compile(
    r"(?<![\w.-])(?P<pre>(?:more than|over|nearly|about|around|almost|at least|up to)\s+)?"
    r"(?P<num>\d+(?:[.,]\d+)*%?|(?:" + "|".join(NUMBER_WORDS) + r")(?:[- ](?:"
    + "|".join(NUMBER_WORDS) + r"))*)(?![\w-])"
    r"(?P<tail>(?:\s+(?!(?:and|but|or|which|that|while|who)\b)[\w'-]+){0,5})",
    re.IGNORECASE,
)
_DETERMINERS_BEFORE_NUMBER = re.compile(
    r"\b(?:the|both|our|their|these|those|its|his|her|my|your)\s+$", re.IGNORECASE
)
_DATE_AFTER = re.compile(rf"^\s+(?:{MONTHS})\b", re.IGNORECASE)
_DATE_BEFORE = re.compile(rf"\b(?:{MONTHS})\s+$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
COMMITMENT = re.compile(
    r"\b(?:will|shall|should|must|would|hopes?|ready to|try to|let us|let's)\b", re.IGNORECASE
)

ROAD_COLUMNS = ["doc", "ordinal", "marker", "topic", "road", "subject", "modal", "role",
                "adjunct", "clause", "sentence", "paragraph", "sentence_no", "last_sentence",
                "figures", "claims", "commitments", "adversaries", "construction"]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_punct(word: str) -> bool:
    return not word[0].isalnum()


def _find_modal(words: list[str], start: int = 0) -> tuple[int, int, str]:
    """First modal at or after ``start``: (index, length in words, modal) or (-1, 0, '')."""
    lower = [w.lower() for w in words]
    for i in range(start, len(lower)):
        for modal in MODALS:
            parts = modal.split()
            if lower[i:i + len(parts)] == parts:
                return i, len(parts), modal
    return -1, 0, ""


def _normalise_role(words: list[str]) -> tuple[str, str]:
    """Rule 5 of the module docstring: (role, adjunct) from the words after the modal."""
    words = list(words)
    adjuncts = []
    # (a) leading prepositional phrases closed by a comma
    while words and words[0].lower() in PREPOSITIONS and "," in words:
        cut = words.index(",")
        adjuncts.append(" ".join(words[:cut]))
        words = words[cut + 1:]
    # (b) leading -ly adverbs and catenatives "work to"
    changed = True
    while changed and words:
        changed = False
        if words[0].lower().endswith("ly") and len(words[0]) > 3:
            words, changed = words[1:], True
        elif (len(words) > 1 and words[0].lower() in CATENATIVES
              and words[1].lower() == "to"):
            words, changed = words[2:], True
    # (c) function words dropped wherever they stand
    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    # (d) content verb and its object, to the first punctuation/conjunction/preposition != of
    role = []
    for i, word in enumerate(content):
        low = word.lower()
        if _is_punct(word):
            break
        if i > 0 and (low in CONJUNCTIONS or (low in PREPOSITIONS and low != "of")
                      or low in SUBORDINATORS):
            break
        role.append(word)
    while role and role[-1].lower() == "of":
        role.pop()
    return " ".join(role), "; ".join(adjuncts)


@lru_cache(maxsize=1)
def road_lexicon() -> dict[str, frozenset[str]]:
    """``lexicons/roads.csv`` as ``{class: words}`` (lower case): the words by which
    :func:`road_sense` tells a metaphorical road from a literal one.

    Examples
    --------
    >>> lexicon = road_lexicon()
    >>> sorted(lexicon)
    ['modifier', 'place', 'thing', 'traffic', 'value', 'verb']
    >>> "development" in lexicon["value"]
    True
    """
    out: dict[str, set[str]] = {c: set() for c in ("value", "place", "traffic", "modifier",
                                                    "thing", "verb")}
    for row in read_lexicon("roads"):
        out[row["class"]].add(row["word"].lower())
    return {c: frozenset(words) for c, words in out.items()}


def _listed(word: str, words: frozenset[str]) -> bool:
    """``word`` or its singular (``-s``, ``-es``, ``-ies`` -> ``-y``) is in ``words``."""
    w = word.lower()
    return (w in words or (w.endswith("s") and w[:-1] in words)
            or (w.endswith("es") and w[:-2] in words)
            or (w.endswith("ies") and w[:-3] + "y" in words))


def _is_name(word: str) -> bool:
    """A capitalised word with lower-case letters (``Lahore``, ``Karakoram``); all-capital
    acronyms (``CPEC``, ``BRI``) are projects and organisations more often than places."""
    return word[:1].isupper() and any(c.islower() for c in word)


def road_sense(value: str, modifiers: str = "", topic: str = "") -> tuple[str, str]:
    """Tell a metaphorical road from a literal one (rule 7 of the module docstring).

    In this order, with the word lists of ``lexicons/roads.csv`` (plural forms included):

    1. a word of the ``value`` (what the road is of/to/for) is an abstract destination
       (class ``value``: development, peace, prosperity ...): **metaphorical**;
    2. else **literal** when a word of the value is a place (class ``place``: village,
       border ...) or road traffic (class ``traffic``: trucks, cars ...) or a capitalised
       name (``Lahore``); when a modifier of the road is a literal one (class ``modifier``:
       toll, dirt, main ...) or a name (``the Karakoram road``); or when the last word of what
       is called a road (``topic``) is itself a way or a place (class ``thing`` or ``place``:
       ``this street is a road to ...``);
    3. else **metaphorical**: what is called a road is not a road (the constructions of
       :func:`roads` already require a named vehicle such as *CPEC is a road ...*).

    Parameters
    ----------
    value, modifiers, topic : str
        The road's value, the words between its determiner and ``road``, and what is called
        a road.

    Returns
    -------
    tuple of str
        ``("metaphorical" | "literal", reason)``.

    Notes
    -----
    What it cannot tell: an abstract value not in the lexicon with literal evidence next to
    it (*a toll road to freedom* is literal by rule 2 unless ``freedom`` is listed, and it
    is); a place that is not capitalised nor listed (*a road to the quarry*: metaphorical);
    a country as a goal (*trade is a road to Europe*: literal, by its capital); irony, and
    a literal road described by an abstract noun (*the highway is a road of development*:
    metaphorical, which is how such a sentence frames the highway).

    Examples
    --------
    >>> road_sense("stability and security", topic="CPEC")
    ('metaphorical', 'value: security, stability')
    >>> road_sense("Lahore", topic="this")
    ('literal', 'place name: Lahore')
    >>> road_sense("trucks", modifiers="new")
    ('literal', 'traffic: trucks')
    >>> road_sense("jobs", topic="the Green Deal")
    ('metaphorical', 'no literal evidence')
    """
    lexicon = road_lexicon()
    value_words = [w for w in _words(value) if not _is_punct(w)]
    abstract = sorted({w.lower() for w in value_words if _listed(w, lexicon["value"])})
    if abstract:
        return "metaphorical", "value: " + ", ".join(abstract)
    for word in value_words:
        if _listed(word, lexicon["place"]):
            return "literal", f"place: {word}"
        if _listed(word, lexicon["traffic"]):
            return "literal", f"traffic: {word}"
        if _is_name(word) and word.lower() not in FUNCTION_WORDS:
            return "literal", f"place name: {word}"
    for word in _words(modifiers):
        if _listed(word, lexicon["modifier"]):
            return "literal", f"modifier: {word}"
        if _is_name(word):
            return "literal", f"named road: {word}"
    topic_words = [w for w in _words(topic) if not _is_punct(w)]
    if topic_words and (_listed(topic_words[-1], lexicon["thing"])
                        or _listed(topic_words[-1], lexicon["place"])):
        return "literal", f"a way or place called a road: {topic_words[-1]}"
    return "metaphorical", "no literal evidence"


def _content(words: list[str]) -> list[str]:
    """Words without punctuation, leading subordinators/connectives and trailing
    auxiliaries, modals and adverbs (the edges of a topic or subject)."""
    words = [w for w in words if not _is_punct(w)]
    while words and words[0].lower() in _LEADING:
        words = words[1:]
    while words and (words[-1].lower() in AUXILIARIES | _MODAL_WORDS | {"also", "still"}
                     or (words[-1].lower().endswith("ly") and len(words[-1]) > 3)):
        words = words[:-1]
    return words


def _last_chunk(text: str) -> list[str]:
    """The words after the last clause punctuation of ``text`` that has words after it."""
    chunks = [c for c in re.split(r"[,;:.!?\u2014\u2013()\"]|--", text) if _words(c)]
    return _words(chunks[-1]) if chunks else []


def _possessor(words: list[str]) -> list[str]:
    """The noun phrase before a possessive ``'s``: its run of capitalised words
    (``Governor Romney``), else its last word (``the president`` -> ``president``)."""
    words = [w for w in words if not _is_punct(w)]
    run = []
    while words and words[-1][:1].isupper() and len(run) < 4:
        run.insert(0, words.pop())
    if run:
        return run
    return words[-1:] if words and words[-1].lower() not in FUNCTION_WORDS else []


def _construction(left: str, det: str) -> tuple[str, list[str], str]:
    """Rule 1: the construction of a road phrase from the text before it in its sentence
    (after the enumerator, or after the previous road of the sentence): (construction, topic
    words, text before a make verb), or ("", [], "") when it is none of them."""
    def bare(text: str) -> bool:  # nothing but punctuation and connectives
        return not [w for w in _words(text) if not _is_punct(w) and w.lower() not in CONNECTIVES]

    m = _LEFT_COPULA.search(left)
    if m:
        before = re.split(r"[;:\u2014]|--", left[:m.start()])[-1]
        if re.search(r"\b(?:not|never|n't)\s*$", before, re.IGNORECASE):
            return "", [], ""
        return "copula", _content(_words(before)), ""
    m = _LEFT_AS.search(left)
    if m:
        before = left[:m.start()]
        if bare(before):
            return "fronted", [], ""
        words = _content(_last_chunk(before))
        verbs = [i for i, w in enumerate(words) if w.lower() in REGARD_VERBS]
        if verbs:
            return "as", words[verbs[-1] + 1:] or _content(words[:verbs[-1]]), ""
        if _LEFT_APPOSITION.search(before) and words:
            return "as", words, ""
        return "", [], ""
    m = _LEFT_MAKE.search(left)
    if m:
        x = m.group("x") if m.group("verb") else m.group("x2")
        x_words = _words(x)
        if x_words and x_words[-1].lower() not in PREPOSITIONS and len(x_words) <= 6:
            return "make", x_words, left[:m.start()]
        return "", [], ""
    if not det and _LEFT_POSSESSIVE.search(left):
        return "possessive", _possessor(_last_chunk(re.sub(r"['\u2019]s\s+$", "", left))), ""
    if det.strip().lower() in _INDEFINITE:
        if _LEFT_APPOSITION.search(left) and not bare(left):
            return "apposition", _content(_last_chunk(left)), ""
        if bare(left):
            return "fronted", [], ""
    return "", [], ""


#: Endings of adjectives (*ungrudged*, *peaceful*, *prosperous*, *inclusive*, *sustainable*)
#: whose comma before another modifier stays inside the value (rule 3).
_ADJECTIVE_ENDINGS = ("ed", "ful", "ous", "ive", "less", "able", "ible", "ic", "al", "ish")
_NOT_IN_A_NOUN_PHRASE = (FUNCTION_WORDS | SUBJECT_PRONOUNS | SUBORDINATORS | AUXILIARIES
                         | _MODAL_WORDS | PREPOSITIONS | CONJUNCTIONS | CONNECTIVES
                         | _COORDINATORS)


def _adjective_like(word: str) -> bool:
    """A word with an adjective's ending that is not a listed destination (*renewal*)."""
    low = word.lower()
    return (len(low) > 4 and low.endswith(_ADJECTIVE_ENDINGS)
            and not _listed(low, road_lexicon()["value"]))


def _comma_inside(value: list[str], tokens: list[tuple[str, int, int]], i: int,
                  limit: int) -> bool:
    """Rule 3: the comma at ``tokens[i]`` joins coordinate adjectives (*ungrudged, unclouded
    success*): every word of the value so far has an adjective's ending, and a content word
    follows the comma."""
    if tokens[i][0] != "," or not value or not all(map(_adjective_like, value)):
        return False
    if i + 1 >= len(tokens) or tokens[i + 1][1] >= limit:
        return False
    after = tokens[i + 1][0]
    return not _is_punct(after) and after.lower() not in _NOT_IN_A_NOUN_PHRASE


def _infinitive(prep: str, tokens: list[tuple[str, int, int]]) -> bool:
    """Rule 3: *to* followed by a listed verb (class ``verb`` of ``lexicons/roads.csv``) is
    an infinitive (*a hard road to follow*), not a destination."""
    if prep.lower() != "to" or not tokens or _is_punct(tokens[0][0]):
        return False
    word = tokens[0][0].lower()
    lexicon = road_lexicon()
    return word in lexicon["verb"] and not _listed(word, lexicon["value"])


def _value(tokens: list[tuple[str, int, int]], limit: int) -> tuple[list[str], int, str, int]:
    """Rule 3: the value's words from the tokens after the preposition, the index of the
    first token after it, the boundary that ended it and its end offset."""
    value, end, i, boundary = [], None, 0, ""
    words = [t[0] for t in tokens]
    while i < len(tokens):
        word, start, stop = tokens[i]
        low = word.lower()
        if start >= limit:
            boundary = "road"
            break
        if _comma_inside(value, tokens, i, limit):
            value[-1] += ","
            i += 1
            continue
        if _is_punct(word):
            boundary = "punct"
            break
        if low in SUBJECT_PRONOUNS or low in SUBORDINATORS or low in AUXILIARIES:
            boundary = "clause"
            break
        if low in _MODAL_WORDS and _find_modal(words, i)[0] == i:
            boundary = "modal"
            break
        value.append(word)
        end = stop
        i += 1
    if boundary == "road":
        while value and value[-1].lower() in _COORDINATORS:
            value.pop()
            i -= 1
            end = tokens[i - 1][2] if i else None
    return value, i, boundary, end if end is not None else limit


def _after_value(rest: list[str], i: int, clause: bool = True) -> dict:
    """Rule 5: subject, modal, role, adjunct and clause from the words after the value
    (without a modal, the clause after it only when ``clause``: no other road follows)."""
    m_index, m_len, modal = _find_modal(rest, i)
    if m_index >= 0:
        subject_words = [w for w in rest[i:m_index] if not _is_punct(w)]
        after = rest[m_index + m_len:]
    elif not clause:
        subject_words, after = [], []
    else:
        subject_words = []
        after = [w for w in rest[i:] if not _is_punct(w) or w == ","]
        while after and (after[0].lower() in CONNECTIVES or _is_punct(after[0])):
            after = after[1:]
        if after and after[0].lower() in SUBJECT_PRONOUNS:
            subject_words, after = [after[0]], after[1:]
    while subject_words and subject_words[0].lower() in CONNECTIVES:
        subject_words = subject_words[1:]
    role, adjunct = _normalise_role(after)
    clause = " ".join(w for w in after if w not in {".", "!", "?"}).replace(" ,", ",")
    return {"subject": subject_words, "modal": modal, "role": role, "adjunct": adjunct,
            "clause": clause}


def _head_phrase(heads: tuple[str, ...] = ("road",)) -> re.Pattern:
    """A head noun with its determiner and modifiers, whatever follows it: where a road's
    value ends (rule 3), whether or not that road is a road phrase.

    Examples
    --------
    >>> _head_phrase().search("peace and the long road ahead").group(0)
    'the long road'
    """
    stop = "|".join(sorted(_NOT_MODIFIER))
    return re.compile(
        r"(?<![\w'\u2019-])(?:(?:a|an|the|one|our|another)\s+)?"
        rf"(?:(?!(?:{stop})\b)[\w-]+\s+){{0,2}}?(?:{_heads(heads)})(?![\w'\u2019-])",
        re.IGNORECASE,
    )


def sentence_roads(text: str, pattern: re.Pattern,
                   heads: tuple[str, ...] = ("road",)) -> list[dict]:
    """Every road metaphor of one sentence, parsed by rules 1-5 (sense not yet decided)."""
    enum = ENUMERATOR.match(text)
    enum_end = enum.end() if enum else 0
    matches = [m for m in pattern.finditer(text) if m.start() >= enum_end]
    next_head = _head_phrase(tuple(heads))
    found: list[dict] = []
    for k, m in enumerate(matches):
        limit = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        det = m.group("det") or ""
        previous = found[-1] if found else None
        start = previous["value_end"] if previous else enum_end
        between = text[start:m.start()]
        coordinated = previous is not None and not [
            w for w in _words(between) if not _is_punct(w) and w.lower() not in _COORDINATORS]
        if coordinated:
            construction, topic, pre = previous["construction"], previous["topic"], ""
        else:
            construction, topic, pre = _construction(between, det)
        if not construction:
            continue
        tokens = [(t.group(0), t.start(), t.end()) for t in _WORD.finditer(text, m.end())]
        if _infinitive(m.group("prep"), tokens):
            continue
        head = next_head.search(text, m.end(), limit)
        value, i, boundary, value_end = _value(tokens, head.start() if head else limit)
        rest = [t[0] for t in tokens if t[1] < limit]  # this road's words, not the next's
        if not value:
            continue
        punct = rest[i] if boundary == "punct" else ""
        if construction == "apposition" and boundary not in {"punct", "road", ""}:
            continue
        item = {"construction": construction, "topic": topic, "value": value,
                "boundary": boundary, "value_end": value_end, "mods": m.group("mods"),
                "head_at": m.start("head"), "prep": m.group("prep").lower(),
                "coordinated": coordinated,
                **_after_value(rest, i, clause=limit == len(text))}
        item["task_after"] = bool(item["modal"])
        if construction == "fronted" and not coordinated:
            if punct != ",":
                continue
            clause = rest[i + 1:]
            stops = [j for j, w in enumerate(clause)
                     if _is_punct(w) or w.lower() in AUXILIARIES | _MODAL_WORDS]
            item["topic"] = _content(clause[:stops[0]]) if stops else []
        if construction in {"apposition", "fronted", "as"} and item["modal"] \
                and not item["subject"] and _find_modal(rest, i)[0] == i + 1:
            item["subject"] = list(item["topic"])  # "CPEC, a road to Y, will ..."
        if construction == "make" and not item["modal"]:
            if coordinated:
                for key in ("subject", "modal", "role"):
                    item[key] = previous[key]
            else:
                _make_task(item, pre, text[start + len(pre):value_end])
        found.append(item)
    # Coordinated roads share the task stated after the last road of their chain.
    for k in range(len(found) - 2, -1, -1):
        if found[k + 1]["coordinated"] and found[k + 1]["task_after"]:
            for key in ("subject", "modal", "role", "adjunct", "clause"):
                found[k][key] = found[k + 1][key]
    return found


def _make_task(item: dict, pre: str, span: str) -> None:
    """The task of *make X a road of Y* without a modal after it: the making itself, by the
    subject before the verb, with the modal (or *let us*) before it."""
    words = [w for w in _words(pre) if not _is_punct(w)]
    lower = [w.lower() for w in words]
    m_index, _, modal = _find_modal(words)
    if lower[-2:] == ["let", "us"] or lower[-1:] == ["let's"]:
        item["subject"], item["modal"] = ["us"], "let us"
    elif m_index >= 0:
        item["subject"], item["modal"] = _content(words[:m_index]), modal
    else:
        item["subject"] = _content(words)
    item["role"] = re.sub(r"\s+", " ", span).strip()


def _recover_subjects(parsed: list[dict]) -> None:
    """Rule 4: split a subject off a value that runs into a modal, using sibling subjects."""
    known = []
    for item in parsed:
        words = [w.lower() for w in item["subject"] if w.lower() not in FUNCTION_WORDS]
        if words:
            known.append(words)
    for item in parsed:
        if item["boundary"] != "modal" or item["subject"]:
            continue
        value = item["value"]
        lower = [w.lower() for w in value]
        best = 0
        for words in known:
            n = len(words)
            if n < len(lower) and lower[-n:] == words:
                best = max(best, n)
        if best:
            item["subject"], item["value"] = value[-best:], value[:-best]


def _figures(text: str) -> list[str]:
    found = []
    for m in FIGURE.finditer(text):
        num = m.group("num")
        if _YEAR.match(num) or _DETERMINERS_BEFORE_NUMBER.search(text[:m.start()]):
            continue
        if _DATE_AFTER.match(m.group("tail")) or _DATE_BEFORE.search(text[:m.start()]):
            continue
        found.append(re.sub(r"\s+", " ", m.group(0)).strip())
    return found




@shared_docs
def roads(processed: Processed, *, where=None,
          heads: tuple[str, ...] = ("road",)) -> pd.DataFrame:
    """The road metaphors of each document (*X is a road of/to/for Y* and the other
    constructions of the module docstring), with the role each assigns.

    See the module docstring for the rules (road phrase and construction, enumerator,
    value, subject recovery, role normalisation, evidence, literal or metaphorical).

    Parameters
    ----------
    {processed}
    {where}
    heads : tuple of str, default ("road",)
        Head nouns of the metaphor (``road`` matches ``road`` and ``roads``).

    Returns
    -------
    DataFrame
        One row per road: ``doc, ordinal, marker, topic`` (what is called a road, e.g.
        ``CPEC``), ``road`` (the value), ``subject, modal, role, adjunct, clause`` (the raw
        words after the modal), ``sentence`` (its text), ``paragraph, sentence_no,
        last_sentence`` (the span of the road and its evidence), ``figures`` ("; "-joined),
        ``claims, commitments`` (lists of sentences), ``adversaries`` (list of labels) and
        ``construction`` (``copula, as, make, apposition, fronted, possessive``). Literal
        roads (rule 7) are left out. Empty, with these columns, when no road is found.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> from analysis.text.process import process
    >>> table = roads(process(load_corpus()))
    >>> table[["ordinal", "topic", "road", "role"]]  # doctest: +NORMALIZE_WHITESPACE
       ordinal topic                         road                             role
    0        1  CPEC                  development                 lead cooperation
    1        2  CPEC  happiness and a better life             guide public opinion
    2        3  CPEC       stability and security  protect outcomes of cooperation
    3        4  CPEC             win-win progress    help shape favorable opinions
    """
    processed = units.select(processed, where)
    pattern = road_pattern(tuple(heads))
    phrase_end = _head_and_preposition(tuple(heads))
    c = processed.columns
    per_doc = np.bincount(c.sent_doc, minlength=c.n_docs)
    first_sentence = np.cumsum(per_doc) - per_doc
    found = []  # (document, its sentences' texts, paragraphs, numbers, its road hits)
    for d in np.flatnonzero(per_doc).tolist():
        # The sentences that can hold a road phrase: those where one search of the whole
        # text finds the phrase's end (it cannot start in one sentence and hide another's).
        text = processed.texts[processed.doc_ids[d]]
        at = [m.start() for m in phrase_end.finditer(text)]
        if not at:
            continue
        rows = np.arange(first_sentence[d], first_sentence[d] + per_doc[d])
        starts, ends = c.sent_start[rows].tolist(), c.sent_end[rows].tolist()
        texts = [text[a:b] for a, b in zip(starts, ends, strict=True)]
        places = np.searchsorted(c.sent_start[rows], at, side="right") - 1
        inside = (places >= 0) & (np.asarray(at) < c.sent_end[rows][np.maximum(places, 0)])
        candidates = np.unique(places[inside]).tolist()
        hits = [(i, item) for i in candidates if phrase_end.search(texts[i])
                for item in sentence_roads(texts[i], pattern, tuple(heads))]
        if hits:
            found.append((d, texts, starts, c.para_number[c.sent_para[rows]].tolist(),
                          c.sent_number[rows].tolist(), hits))
    # The adversaries named in the documents with a road (rule 6).
    others = named_others(processed, docs=[d for d, *_ in found])
    others = others[others["kind"] == "adversary"]
    construed = {}  # (doc, offset of the head noun) -> (preposition, abstract value)
    if all(name in processed.columns.layers.ids for name in ("lemma", "deprel")) \
            and processed.columns.layers.head is not None:
        parsed = road_dependencies(processed, tuple(heads))
        construed = {(d, o): (p, a) for d, o, p, a in zip(
            parsed["doc"], parsed["offset"], parsed["preposition"], parsed["abstract"],
            strict=True)}
    rows = []
    for d, texts, starts, paragraphs, numbers, hits in found:
        doc_id = processed.doc_ids[d]
        _recover_subjects([item for _, item in hits])
        hits = [(i, item) for i, item in hits
                if _sense(item, construed.get((doc_id, starts[i] + item["head_at"])))]
        previous = 0
        road_rows = {i for i, _ in hits}
        numbered: dict[int, int] = {}  # sentence -> ordinal of its marker
        for i, item in hits:
            marker, ordinal = _enumerator(texts, paragraphs, i)
            if marker and i in numbered:
                ordinal = numbered[i]  # coordinated roads of one numbered item share it
            elif ordinal is None:
                ordinal = previous + 1
            if marker:
                numbered[i] = ordinal
            previous = ordinal
            span = [i]
            j = i + 1
            while (j < len(texts) and paragraphs[j] == paragraphs[i]
                   and j not in road_rows and not _BARE_ENUMERATOR.match(texts[j])):
                span.append(j)
                j += 1
            evidence = [texts[k] for k in span[1:]]
            rows.append({
                "doc": doc_id, "ordinal": ordinal, "marker": marker,
                "topic": " ".join(item["topic"]),
                "road": " ".join(item["value"]), "subject": " ".join(item["subject"]),
                "modal": item["modal"], "role": item["role"], "adjunct": item["adjunct"],
                "clause": item["clause"], "sentence": texts[i],
                "paragraph": int(paragraphs[i]), "sentence_no": int(numbers[i]),
                "last_sentence": int(numbers[span[-1]]),
                "figures": "; ".join(f for s in evidence for f in _figures(s)),
                "claims": [s for s in evidence if not COMMITMENT.search(s)],
                "commitments": [s for s in evidence if COMMITMENT.search(s)],
                "adversaries": _labels(others, doc_id, int(numbers[i]),
                                       int(numbers[span[-1]])),
                "construction": item["construction"],
            })
    return pd.DataFrame(rows, columns=ROAD_COLUMNS)


def _sense(item: dict, construed: tuple[str, bool] | None) -> bool:
    """Whether a road is a metaphor: by its dependency (rule 8) where the parse gives its
    head noun a dependent with the phrase's preposition, else by its words (rule 7)."""
    if construed is not None and construed[0] == item["prep"]:
        return construed[1]
    return road_sense(" ".join(item["value"]), item["mods"],
                      " ".join(item["topic"]))[0] == "metaphorical"


@shared_docs
def road_dependencies(processed: Processed, heads: tuple[str, ...] = ("road", "path", "bridge"),
                      *, where=None) -> pd.DataFrame:
    """Road nouns with a prepositional dependent, read from the dependency layers (rule 8).

    A token whose lemma is one of ``heads`` (in lower case) with a dependent in relation
    ``nmod`` or ``obl`` (subtypes included: ``nmod:poss`` is not one, it has no ``case``)
    whose first ``case`` child is *of, to, for, toward* or *towards*: *road to peace* is
    ``road`` -nmod-> ``peace`` -case-> ``to`` in Universal Dependencies.

    Parameters
    ----------
    processed : Processed
        A corpus with ``lemma``, ``deprel`` and ``head`` layers (a CoNLL-U corpus).
    heads : tuple of str
        The road nouns, as lemmas.
    {where}

    Returns
    -------
    DataFrame
        ``doc, sentence, offset`` (the road noun's character offset in its document),
        ``road`` (its form), ``preposition`` (the case child's lemma, lower case),
        ``value`` (the dependent's lemma), ``deprel`` and ``abstract`` (the value's lemma
        is an abstract destination, class ``value`` of ``lexicons/roads.csv``), a row per
        road noun and dependent, in corpus order.

    Raises
    ------
    ValueError
        The corpus has no dependency layers.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from analysis.readers.conllu import load_conllu
    >>> from analysis.text.process import process
    >>> words = ["1 a a DET 2 det", "2 road road NOUN 0 root", "3 to to ADP 5 case",
    ...          "4 the the DET 5 det", "5 city city NOUN 2 nmod", "6 of of ADP 7 case",
    ...          "7 peace peace NOUN 5 nmod"]
    >>> lines = ["\\t".join(w.split()[:4] + ["_", "_"] + w.split()[4:] + ["_", "_"])
    ...          for w in words]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "toy.conllu"
    >>> _ = path.write_text("\\n".join(lines) + "\\n\\n")
    >>> road_dependencies(process(load_conllu(path)))[["road", "preposition", "value",
    ...                                                 "abstract"]]
       road preposition value  abstract
    0  road          to  city     False
    """
    processed = units.select(processed, where)
    c = processed.columns
    layers = c.layers
    if not all(name in layers.ids for name in ("lemma", "deprel")) or layers.head is None:
        raise ValueError("the corpus has no dependency annotation (lemma, deprel and head "
                         "layers): read a CoNLL-U corpus")
    lemma_vocabulary = np.asarray(layers.vocabularies["lemma"], dtype=object)
    lower = np.array([str(v).lower() for v in lemma_vocabulary], dtype=object)
    lemma = layers.ids["lemma"]
    deprel = np.array([str(v).split(":")[0] for v in layers.vocabularies["deprel"]],
                      dtype=object)[layers.ids["deprel"]]
    head = layers.head.astype(np.int64)
    first = np.cumsum(c.sent_tokens, dtype=np.int64) - c.sent_tokens
    dependent = np.flatnonzero(head > 0)
    governor = first[c.tok_sentence[dependent]] + head[dependent] - 1
    is_case = deprel[dependent] == "case"
    with_case, at = np.unique(governor[is_case], return_index=True)  # first case child
    case_row = dependent[is_case][at]
    wanted = np.isin(deprel[dependent], ("nmod", "obl")) & np.isin(
        lower[lemma[governor]], [h.lower() for h in heads]) & np.isin(dependent, with_case)
    road, value = governor[wanted], dependent[wanted]
    case = case_row[np.searchsorted(with_case, value)]
    preposition = lower[lemma[case]]
    keep = np.isin(preposition, ("of", "to", "for", "toward", "towards"))
    road, value, preposition = road[keep], value[keep], preposition[keep]
    abstract = road_lexicon()["value"]
    doc = c.tok_doc[road]
    return pd.DataFrame({
        "doc": pd.Series(np.asarray(processed.doc_ids)[doc], dtype=object),
        "sentence": c.sent_number[c.tok_sentence[road]].astype(np.int64),
        "offset": c.tok_start[road].astype(np.int64),
        "road": pd.Series(np.asarray(c.surfaces, dtype=object)[c.tok_surface[road]],
                          dtype=object),
        "preposition": pd.Series(preposition, dtype=object),
        "value": pd.Series(lemma_vocabulary[lemma[value]], dtype=object),
        "deprel": pd.Series(deprel[value], dtype=object),
        "abstract": np.array([str(v).lower() in abstract for v in lemma_vocabulary[lemma[value]]],
                             dtype=bool),
    })


def _labels(others: pd.DataFrame, doc: str, first: int, last: int) -> list[str]:
    """The distinct labels of the named others of a document's sentences ``first`` to
    ``last``, in text order."""
    span = others[(others["doc"] == doc) & others["sentence"].between(first, last)]
    return list(dict.fromkeys(span["label"]))


def _enumerator(texts: list[str], paragraphs: list[int], i: int) -> tuple[str, int | None]:
    """The enumerator of a document's sentence ``i`` (its texts and paragraph numbers):
    at its start, or a bare one the splitter left as the sentence before, in its paragraph."""
    m = ENUMERATOR.match(texts[i])
    if m is None and i > 0 and _BARE_ENUMERATOR.match(texts[i - 1]) \
            and paragraphs[i - 1] == paragraphs[i]:
        m = ENUMERATOR.match(texts[i - 1])
    if m is None:
        return "", None
    if m.group("num"):
        return m.group(0).strip().rstrip(","), int(m.group("num"))
    if m.group("card"):
        return m.group("card"), CARDINAL_WORDS[m.group("card").lower()]
    if m.group("the"):
        return m.group("the"), ORDINAL_WORDS[m.group("the_word").lower()]
    word = m.group("word")
    return word, ORDINAL_WORDS[word.lower()]
