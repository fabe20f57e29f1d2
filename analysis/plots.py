"""Plot functions: one per figure kind, each takes an Axes, draws a table on it, returns it.

They never save (``analysis.figures.save_figure`` does) and never compute statistics (the
analysis modules do): a plot function receives the DataFrame a notebook shows.
"""

from __future__ import annotations

# --- corpus plots ---

# --- keyword plots ---

# --- framing plots ---

# --- topic plots ---
