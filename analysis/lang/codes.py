"""ISO 639-1 language codes: what a ``lang`` document variable and ``--lang`` accept.

The two-letter codes of ISO 639-1 (184 languages, as the Library of Congress, its registration
authority, lists them), lower-case. A code is checked against this list, not against the
languages the workbench has a folder for: a corpus in French is accepted and processed with
the rules every language shares (:mod:`analysis.lang.base`).
"""

from __future__ import annotations

__all__ = ["CODES", "check_code"]

#: The ISO 639-1 codes.
CODES = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())


def check_code(value: str, where: str) -> str:
    """``value`` as a language code, lower-cased and stripped, or ValueError naming ``where``.

    Examples
    --------
    >>> check_code(" UR", "--lang")
    'ur'
    >>> check_code("english", "corpus.csv: row 3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: corpus.csv: row 3: lang 'english' is not an ISO 639-1 language code (en, ...)
    """
    code = value.strip().lower()
    if code not in CODES:
        raise ValueError(f"{where}: lang {value!r} is not an ISO 639-1 language code "
                         f"(en, zh, ur, hi, ar, de, ...)")
    return code
