"""German: the token scanner and the English sentence rules, less two kinds of break that end
no German sentence; stop words of stopwords-iso's ``de`` (``die``, ``der``, ``und``); general
frequencies: wordfreq's ``de``. Flesch's English constants do not apply (Amstad's German
formula is not implemented), nor VADER or the English dictionaries.

German writes an ordinal number with a full stop (``am 13. Januar``, ``im 18. Jahrhundert``,
``der 35. Tagung``): a number of one to three digits with its stop after an article or a
preposition (an ordinal stands between the determiner and its noun), or of one or two digits
before a month's name, ends no sentence. Nor does the stop of a common German abbreviation
(``bzw.``, ``z. B.``, ``usw.``, ``Std.``; the Duden's list of the abbreviations of running
text, trimmed to those that are no word of their own). The tokens keep the workbench's
convention in every language: a word's letters and digits without the stop (``13``, ``bzw``).
"""

from analysis.lang.base import Language

#: Abbreviations of running German written with a full stop, lower-case, parts joined by
#: ``.`` (``z.b`` matches ``z.B.`` and ``z. B.``).
ABBREVIATIONS = (
    "abb", "abs", "abt", "allg", "betr", "bspw", "bzgl", "bzw", "ca", "d.h", "dgl", "dipl",
    "dr", "ehem", "evtl", "geb", "gebr", "gegr", "gest", "ggf", "hrsg", "i.a", "i.d.r", "inkl",
    "jh", "jhd", "kap", "lt", "n.chr", "nr", "o.ä", "prof", "rd", "s.o", "s.u",
    "sog", "std", "str", "tel", "tsd", "u.a", "u.ä", "u.u", "u.v.m", "usw", "v.a", "v.chr",
    "vgl", "z.b", "z.t", "zzgl", "zzt")
#: Words an ordinal number follows: the articles and the prepositions (with their contracted
#: forms) that open a date or a noun phrase.
ORDINAL_AFTER = (
    "am", "im", "vom", "zum", "zur", "beim", "bis", "ab", "seit", "für", "nach", "vor", "der",
    "die", "das", "dem", "den", "des", "ein", "eine", "einem", "einen", "einer", "eines",
    "jeden", "jedem", "jeder")
MONTHS = ("Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
          "September", "Oktober", "November", "Dezember")

_ABBREVIATION = "|".join(r"\.\s?".join(word.split(".")) for word in ABBREVIATIONS)

LANGUAGE = Language(
    code="de", name="German",
    sentence_joins=(
        (rf"(?<![\w.])(?i:{_ABBREVIATION})\.", ""),
        (rf"(?<!\w)(?i:{'|'.join(ORDINAL_AFTER)})\s+\d{{1,3}}\.", ""),
        (r"(?<![\w.])\d{1,2}\.", rf"(?:{'|'.join(MONTHS)})\b")))
