"""The lower bounds of pyproject.toml's ranges as a pip constraints file (``make test-lowest``).

``python tests/lowest.py`` prints one ``name==version`` line for every requirement of the
project and of its ``dev``, ``dask`` and ``lab`` extras, the version being the range's lower
bound (``>=``); a requirement without one is left to pip.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

EXTRAS = ("dev", "dask", "lab")


def lower_bounds(pyproject: Path) -> dict[str, str]:
    """Name -> lower bound of each requirement of ``pyproject`` (with :data:`EXTRAS`).

    Examples
    --------
    >>> bounds = lower_bounds(Path(__file__).parent.parent / "pyproject.toml")
    >>> bounds["pandas"] == bounds["pandas"].strip() != ""
    True
    """
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in EXTRAS:
        specs += project.get("optional-dependencies", {}).get(extra, [])
    bounds = {}
    for spec in specs:
        name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", spec).group(0)
        low = re.search(r">=\s*([^\s,;]+)", spec)
        if low:
            bounds[name] = low.group(1)
    return bounds


if __name__ == "__main__":
    for name, version in lower_bounds(Path(__file__).parent.parent / "pyproject.toml").items():
        print(f"{name}=={version}")
