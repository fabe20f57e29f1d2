"""German: the token scanner and sentence ends . ? ! …; stop words of stopwords-iso's
``de`` (``die``, ``der``, ``und``); general frequencies: wordfreq's ``de``. Flesch's English
constants do not apply (Amstad's German formula is not implemented), nor VADER or the English
dictionaries.
"""

from analysis.lang.base import Language

LANGUAGE = Language(code="de", name="German")
