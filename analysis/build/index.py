"""The index page of a build: one entry per notebook with its question and its figures.

Every string the page interpolates is HTML-escaped; links are relative, so ``reports/`` can
be copied alone and read offline. The page's stylesheet is the package data file
``index.css``.
"""

from __future__ import annotations

import html
import os
import urllib.parse
from pathlib import Path

from analysis.atomic import write_text
from analysis.build.render import static_file
from analysis.build.results import NotebookOutcome

__all__ = ["FAILURE_CHARS", "FAILURE_LINES", "write_index"]


def _href(target: Path, start: Path) -> str:
    """A relative URL from folder ``start`` to ``target``, HTML-escaped."""
    relative = Path(os.path.relpath(target, start)).as_posix()
    return html.escape(urllib.parse.quote(relative), quote=True)


#: Lines of a failure shown in the index (and by :func:`analysis.build.run.describe`); the
#: whole message is in ``<notebook>.log``.
FAILURE_LINES = 3
#: Characters of a failure shown in the index, at most.
FAILURE_CHARS = 400


def _short(text: str) -> str:
    """The first :data:`FAILURE_LINES` lines of a failure, at most :data:`FAILURE_CHARS`."""
    lines = text.strip().splitlines()[:FAILURE_LINES]
    short = "\n".join(lines)
    return short if len(short) <= FAILURE_CHARS else short[:FAILURE_CHARS - 1] + "\u2026"


def write_index(
    outcomes: list[NotebookOutcome],
    reports_dir: str | os.PathLike[str],
    corpus_dir: str | os.PathLike[str] | None = None,
    built: str = "",
    where: list[str] | None = None,
) -> Path:
    """Write ``index.html`` listing every report of this build with its question and figures.

    Parameters
    ----------
    outcomes : list of NotebookOutcome
        One per notebook, in the order to list them.
    reports_dir : str or path-like
        Where the reports are; thumbnails come from ``reports_dir/figures`` and links are
        relative, so ``reports/`` can be copied alone and read offline.
    corpus_dir : str or path-like, optional
        The corpus, named on the page by its folder or file name (never its path).
    built : str
        When the build ran.
    where : list of str, optional
        The subset the reports were built on.

    Returns
    -------
    pathlib.Path
        The index file, written atomically. Every interpolated string is HTML-escaped. A
        failed notebook shows the first lines of its failure and links its full log.
    """
    reports_dir = Path(reports_dir).resolve()
    esc = html.escape
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
        "<title>Discourse analysis: reports</title>",
        f"<style>\n{static_file('index.css')}</style>",
        "</head>",
        "<body>",
        "<h1>Discourse analysis: reports</h1>",
    ]
    if corpus_dir is not None:
        subset = f" (documents with {esc('; '.join(where))})" if where else ""
        when = f", built {esc(built)}" if built else ""
        lines.append(f'<p class="corpus">Corpus: <code>{esc(Path(corpus_dir).name)}</code>'
                     f"{subset}{when}</p>")
    for outcome in outcomes:
        report = reports_dir / f"{outcome.notebook.stem}.html"
        lines.append(f'<section class="report" id="{esc(outcome.notebook.stem)}">')
        if outcome.ok:
            lines.append(
                f'<h2><a href="{_href(report, reports_dir)}">{esc(outcome.title)}</a></h2>'
            )
        else:
            lines.append(f"<h2>{esc(outcome.title)}</h2>")
        if outcome.question:
            lines.append(f'<p class="question">{esc(outcome.question)}</p>')
        if outcome.failure is not None:
            log = reports_dir / f"{outcome.notebook.stem}.log"
            lines.append(f'<p class="failed">Failed: {esc(_short(str(outcome.failure)))} '
                         f'<a href="{_href(log, reports_dir)}">Full log</a></p>')
        pngs = [reports_dir / "figures" / p.name for p in outcome.figures if p.suffix == ".png"]
        if pngs:
            lines.append('<div class="figures">')
            for png in pngs:
                lines.append(
                    f'<figure><a href="{_href(report, reports_dir)}#{esc(png.stem)}">'
                    f'<img src="{_href(png, reports_dir)}" alt="Figure {esc(png.stem)}"></a>'
                    f"<figcaption>{esc(png.stem)}</figcaption></figure>"
                )
            lines.append("</div>")
        lines.append("</section>")
    lines += ["</body>", "</html>", ""]
    index = reports_dir / "index.html"
    write_text(index, "\n".join(lines))
    return index

