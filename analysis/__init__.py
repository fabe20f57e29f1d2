"""Reproducible discourse analysis of political press texts.

Modules: ``corpus`` (load), ``text`` (clean, segment, tokenize), one module per analysis
(``frequency``, ``keyness``, ``concordance``, ``collocation``, ``framing``, ``topics``,
``stance``), ``dictionaries`` (coding schemes: readers, the one lookup engine, audit and
validation), ``lang`` (which language a corpus reads as), ``plots`` and ``figures`` (draw
and save), ``build`` (notebooks to HTML) and ``cli``. Importing the package imports none of
them.
"""

__version__ = "0.1.0"
