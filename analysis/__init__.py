"""Reproducible discourse analysis of political press texts.

``import analysis as da`` gives the public verbs in one namespace, as quanteda does: loading
(``da.load_corpus``, ``da.load_table``), processing (``da.process``), grouping
(``da.select``, ``da.variables``), every analysis (``da.frequency``, ``da.keyness``,
``da.kwic``, ``da.collocates``, ``da.trends``, ``da.dfm``, ``da.lookup``, ...) and the plots
(``da.keyness_plot``, ...). Each name is imported from its module the first time it is
used, so ``import analysis`` stays cheap (the command line starts quickly); ``dir(da)`` and
``da.__all__`` list them all, and the modules (``analysis.frequency``, ...) hold the rest.

Where a verb and its module share a name (``frequency``, ``keyness``, ``trends``, ``dfm``,
...), ``da.frequency`` is the verb; import the module's other names from it
(``from analysis.frequency import gries_dp``).

The rooms of the package, one concern each (the README's "Layout"): the analyses, a module
each at the top (:mod:`analysis.frequency`, :mod:`analysis.keyness`, ...; framing ones in
:mod:`analysis.framing`), all grouping through :mod:`analysis.units` and declaring their
parameters with :mod:`analysis.params`; :mod:`analysis.readers` (corpus formats);
:mod:`analysis.lang` (languages, a folder each); :mod:`analysis.dictionaries` (coding
schemes and their file formats); :mod:`analysis.dfm` and :mod:`analysis.textmodels` (the
document-feature matrix and the models on it); :mod:`analysis.text` (processing);
:mod:`analysis.engines` (where counting runs); :mod:`analysis.build` (the reports). A new
language, reader, dictionary format or model goes in its room, whose docstring says how.

Examples
--------
>>> import analysis as da
>>> table = da.frequency(da.process(da.load_corpus()), by="corpus", top=3)
>>> table["term"].tolist()
['cpec', 'political parties', 'pakistan']
"""

from __future__ import annotations

import importlib
import sys
import types

__version__ = "0.1.0"

#: Each public verb and the module that defines it.
_VERBS = {
    **dict.fromkeys(["load_corpus", "load_table"], "analysis.corpus"),
    "process": "analysis.text.process",
    **dict.fromkeys(["select", "variables"], "analysis.units"),
    "frequency": "analysis.frequency",
    **dict.fromkeys(["keyness", "keywords_by"], "analysis.keyness"),
    **dict.fromkeys(["kwic", "concordances", "dispersion"], "analysis.concordance"),
    "collocates": "analysis.collocation",
    **dict.fromkeys(["word_sketch", "sketch_difference"], "analysis.sketches"),
    "trends": "analysis.trends",
    "sequences": "analysis.sequences",
    "lexical_diversity": "analysis.diversity",
    "readability": "analysis.readability",
    **dict.fromkeys(["similarity", "representatives"], "analysis.similarity"),
    **dict.fromkeys(["compare_terms", "compare_groups"], "analysis.compare"),
    **dict.fromkeys(["fit_topics", "topic_table"], "analysis.topics"),
    "duplicates": "analysis.duplicates",
    **dict.fromkeys(["dfm", "write_dfm"], "analysis.dfm"),
    "wordfish": "analysis.textmodels.wordfish",
    "wordscores": "analysis.textmodels.wordscores",
    "lss": "analysis.textmodels.lss",
    **dict.fromkeys(["summary", "suspected_noise", "sentence_lengths"], "analysis.overview"),
    **dict.fromkeys(["actor_mentions", "actor_counts"], "analysis.actors"),
    **dict.fromkeys(["modality", "participants", "evaluation", "evaluation_summary"],
                    "analysis.stance"),
    "roads": "analysis.framing.roads",
    **dict.fromkeys(["code_frames", "frame_shares"], "analysis.framing.frames"),
    "metaphors": "analysis.framing.metaphors",
    "read_dictionary": "analysis.dictionaries",
    **dict.fromkeys(["lookup", "audit", "sample"], "analysis.dictionaries.lookup"),
    "precision": "analysis.dictionaries.validation",
    **dict.fromkeys(["reads_as_english", "languages"], "analysis.lang"),
    "save_figure": "analysis.figures",
    **dict.fromkeys(["write_explorer", "save_explorer"], "analysis.explorer_page"),
    **dict.fromkeys(["top_terms_plot", "keyness_plot", "dispersion_plot", "collocates_plot",
                     "trend_plot", "grouped_bars_plot", "frame_heatmap", "evaluation_plot",
                     "roads_plot", "similarity_plot", "topic_terms_plot", "topic_heatmap_plot",
                     "vocabulary_scatter_plot", "actor_plot", "group_sizes_plot",
                     "section_sizes_plot", "sentence_length_plot"], "analysis.plots"),
}

__all__ = sorted(_VERBS)


def __getattr__(name: str):
    """A verb, imported from its module on first use (PEP 562)."""
    if name not in _VERBS:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(_VERBS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_VERBS})


class _Package(types.ModuleType):
    """The package's module type: importing a submodule whose name is a verb's
    (``analysis.frequency``) does not put the module in the verb's place; the module stays
    in ``sys.modules``."""

    def __setattr__(self, name: str, value) -> None:
        if name in _VERBS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
