"""Paths and fixed settings of the project.

Every path is built from the package's own location, never from the working directory, so
the library, the notebooks (whose kernel starts in ``notebooks/``) and the command line all
agree on where the corpus, the figures and the reports live.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
LEXICONS_DIR = PACKAGE_DIR / "lexicons"

SEEDS_DIR = PROJECT_DIR / "seeds"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
FIGURES_DIR = PROJECT_DIR / "figures"
#: The sub-folder of a figures folder that holds the data behind figures and tables (and the
#: explorer page), which the build publishes beside the reports.
DATA_DIR = "data"
REPORTS_DIR = PROJECT_DIR / "reports"
# Processed corpora (see analysis.text.process); ANALYSIS_CACHE_DIR moves the cache elsewhere.
CACHE_DIR = Path(os.environ.get("ANALYSIS_CACHE_DIR") or PROJECT_DIR / ".cache")

# Figures: fixed resolution, font and SVG hash salt so two builds are byte-identical.
FIGURE_DPI = 120
FIGURE_FONT = "DejaVu Sans"
#: The fonts a figure's text falls back to, glyph by glyph, where DejaVu Sans has none: Chinese,
#: Arabic and Urdu letters, Devanagari (SIL Open Font License 1.1, installed as packages).
FIGURE_FALLBACK_FONTS = ("Noto Sans SC", "Noto Sans Arabic", "Noto Sans Devanagari")
SVG_HASHSALT = "discourse-analysis"

# Notebook execution: kernel name and a per-cell timeout in seconds.
KERNEL_NAME = "python3"
CELL_TIMEOUT = 600

# A corpus that defaults to the seeds; the build injects another one into each notebook's
# parameters (see analysis.build).
DEFAULT_CORPUS = SEEDS_DIR
