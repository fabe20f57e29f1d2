"""Write the API reference of ``analysis`` (every module, from its numpydoc docstrings) with
pdoc, offline: ``python docs/reference.py OUT_DIR`` (``make docs``).

pdoc documents a package's submodules only where the package's ``__all__`` names them, and
``analysis.__all__`` names verbs, not modules: every module is named here instead, each once.
"""

from __future__ import annotations

import pkgutil
import sys
from pathlib import Path

import pdoc
import pdoc.extract
import pdoc.render

import analysis


def modules() -> list[str]:
    """Every module of the package (not ``__main__``), each once, in an order pdoc accepts:
    a module that an earlier one's walk adds is not named again."""
    names = ["analysis"] + sorted(m.name for m in pkgutil.walk_packages(analysis.__path__,
                                                                       "analysis.")
                                  if m.name not in ("analysis.__main__", "analysis._scan"))
    specs: list[str] = []
    for name in names:
        if name not in (pdoc.extract.walk_specs(specs) if specs else ()):
            specs.append(name)
    return specs


if __name__ == "__main__":
    pdoc.render.configure(docformat="numpy", show_source=False)
    pdoc.pdoc(*modules(), output_directory=Path(sys.argv[1]))
