"""Text processing: from raw documents to the tables every analysis starts from.

One document at a time, in one direction::

    raw text --clean.clean--> cleaned text + cleaning log       (raw text is never changed)
             --segment-----> paragraphs (non-blank lines, numbered as in the raw file),
                             sentences (segment.sentence_spans: rules for news prose with
                             lexicons/abbreviations.csv), tokens (segment.token_spans:
                             segment.TOKEN_PATTERN, by a compiled scanner or re)
    corpus   --process.process--> Processed: texts, cleaning log, paragraph, sentence and
                             token tables; documents in parallel workers; cached on disk
                             (analysis.store) under process.cache_key
             --terms.terms--> tokens with the curated multiword expressions merged

Lines that are not the text (headers, repeated lines, lines a pattern file describes) are
found and read by :mod:`~analysis.text.boilerplate` and removed by ``clean.clean`` where the
corpus's cleaning options ask (``Corpus.with_cleaning``).

Modules: :mod:`~analysis.text.clean` (audited cleaning), :mod:`~analysis.text.boilerplate`
(repeated lines, line patterns, header fields), :mod:`~analysis.text.segment`
(sentences and tokens of one string), :mod:`~analysis.text.process` (the corpus-wide
tables, workers and the cache) and :mod:`~analysis.text.terms` (multiword expressions and
content terms). The overview of a processed corpus (sizes, sentence lengths, suspected
noise) is :mod:`analysis.overview`. Nothing here needs NLTK's downloadable data, and
processing does not import NLTK.
"""
