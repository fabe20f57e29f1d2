"""Scaling models: positions of texts on one dimension, from a document-feature matrix.

Each model is one module with one function that takes a :class:`~analysis.dfm.DFM` of counts
(and the model's own keyword options) and returns a :class:`~analysis.textmodels.base.Scaling`
(a table of the units, a table of the words); none prints or plots. :data:`MODELS` names them
for the ``scale`` command: a new model is a new module and one entry here (see the README's
"Adding a model").

- :mod:`~analysis.textmodels.wordfish`: Wordfish (Slapin & Proksch 2008), from the counts
  alone;
- :mod:`~analysis.textmodels.wordscores`: Wordscores (Laver, Benoit & Garry 2003), from
  reference texts;
- :mod:`~analysis.textmodels.lss`: Latent Semantic Scaling (Watanabe 2021), from seed words;
- :mod:`~analysis.textmodels.base`: what they share: :class:`~analysis.textmodels.base.Scaling`,
  the checks of the matrix, normal-theory intervals.

Examples
--------
>>> from analysis.textmodels.wordscores import lbg_example
>>> fit = scale(lbg_example(), "wordscores", reference_scores="score")
>>> list(fit.documents.columns[:5])
['doc', 'position', 'se', 'low', 'high']
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.dfm import DFM
from analysis.textmodels.base import Scaling
from analysis.textmodels.lss import lss_scaling
from analysis.textmodels.wordfish import wordfish
from analysis.textmodels.wordscores import wordscores

__all__ = ["MODELS", "Scaling", "lss_scaling", "scale", "wordfish", "wordscores"]

#: The models by name: each ``function(d: DFM, **options) -> Scaling``. The ``scale``
#: command passes an option to a model whose function has a keyword parameter of that name.
MODELS: dict[str, Callable[..., Scaling]] = {
    "wordfish": wordfish,
    "wordscores": wordscores,
    "lss": lss_scaling,
}


def scale(d: DFM, model: str, **options) -> Scaling:
    """Fit the model named ``model`` (a key of :data:`MODELS`) to ``d``.

    Raises
    ------
    ValueError
        An unknown model, or the model's own checks.
    """
    if model not in MODELS:
        raise ValueError(f"model {model!r}: one of {', '.join(MODELS)}")
    return MODELS[model](d, **options)
