"""Hindi: sentences end at the danda । (and ॥, ?, !); vowel signs and viramas stay inside
their word.

Stop words: stopwords-iso's ``hi``; general frequencies: wordfreq's ``hi``.
"""

from analysis.lang.base import Language

LANGUAGE = Language(code="hi", name="Hindi", sentence_ends="\u0964\u0965.?!")
