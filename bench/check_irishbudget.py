"""Wordfish on the 2010 Irish budget debate beside quanteda's published estimates.

Usage::

    python bench/check_irishbudget.py DIR

``DIR`` holds the 14 speeches of quanteda.textmodels' ``data_corpus_irishbudget2010`` as
``01.txt`` to ``14.txt`` in that corpus's order (Lenihan, Bruton, Burton, Morgan, Cowen,
Kenny, O'Donnell, Gilmore, Higgins, Quinn, Gormley, Ryan, Cuffe, O'Caolain). The project
ships no copy; in R::

    library(quanteda.textmodels)
    txt <- as.character(data_corpus_irishbudget2010)
    for (i in seq_along(txt)) writeLines(txt[i], sprintf("DIR/%02d.txt", i))

The published estimates are quanteda's tutorial "Wordfish"
(tutorials.quanteda.io/machine-learning/wordfish/): ``textmodel_wordfish(dfm(tokens(
data_corpus_irishbudget2010, remove_punct = TRUE)), dir = c(6, 5))``. The script fits the
same model (direction Kenny < Cowen) on two matrices and prints, for each, the correlation
with the published positions, whether the order is the same (and which pairs differ), and
the largest difference of a position and of a standard error:

- the project's own matrix (:func:`analysis.dfm.dfm`, words): its tokenizer splits
  possessives (*Government's*) and drops symbols (*€*), so the matrix differs a little;
- a matrix tokenized as quanteda's ``tokens(remove_punct = TRUE)`` roughly does (lower
  case; words with inner hyphens and apostrophes and numbers with inner points or commas
  kept whole; currency symbols kept), to show what remains once the matrices agree.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

NAMES = ("Lenihan", "Bruton", "Burton", "Morgan", "Cowen", "Kenny", "ODonnell", "Gilmore",
         "Higgins", "Quinn", "Gormley", "Ryan", "Cuffe", "OCaolain")
PUBLISHED_THETA = (1.79395, -0.62137, -1.13501, -0.07840, 1.77839, -0.75343, -0.47615,
                   -0.58474, -1.00390, -0.92648, 1.18354, 0.14816, 0.71537, -0.03993)
PUBLISHED_SE = (0.02007, 0.02824, 0.01568, 0.02896, 0.02330, 0.02635, 0.04309, 0.02992,
                0.03964, 0.04183, 0.07224, 0.06322, 0.07291, 0.03877)
_TOKEN = re.compile(r"\w+(?:[-'\u2019]\w+)*(?:[.,]\d+)*|[€$£]")


def quanteda_like(folder: Path):
    from analysis.dfm import DFM

    docs = [_TOKEN.findall((folder / f"{i:02d}.txt").read_text(encoding="utf-8").lower())
            for i in range(1, 15)]
    vocabulary = sorted({w for doc in docs for w in doc})
    column = {w: j for j, w in enumerate(vocabulary)}
    rows = np.repeat(np.arange(len(docs)), [len(doc) for doc in docs])
    cols = np.array([column[w] for doc in docs for w in doc])
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                               shape=(len(docs), len(vocabulary)))
    return DFM(matrix, np.array(vocabulary, dtype=object),
               pd.DataFrame({"doc": [f"{i:02d}" for i in range(1, 15)]}))


def report(name: str, d) -> None:
    from analysis.textmodels import wordfish

    fit = wordfish(d, direction=("06", "05"))
    theta = fit.documents["position"].to_numpy()
    se = fit.documents["se"].to_numpy()
    published = np.array(PUBLISHED_THETA)
    r = np.corrcoef(theta, published)[0, 1]
    swapped = [f"{NAMES[i]}/{NAMES[j]}" for i in range(14) for j in range(i + 1, 14)
               if np.sign(theta[i] - theta[j]) != np.sign(published[i] - published[j])]
    print(f"{name}: {d.matrix.shape[1]:,} features, {fit.documents.attrs['iterations']} "
          f"rounds; r = {r:.5f}; same order: {'yes' if not swapped else 'no'}"
          + (f" (pairs in the other order: {', '.join(swapped)})" if swapped else "")
          + f"; largest difference of a position {np.abs(theta - published).max():.4f}, "
          f"of a standard error {np.abs(se - np.array(PUBLISHED_SE)).max():.4f}")
    for label, ours, theirs in zip(NAMES, theta, published, strict=True):
        print(f"  {label:<10} {ours:+.5f}  published {theirs:+.5f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    from analysis.corpus import load_corpus
    from analysis.dfm import dfm
    from analysis.text.process import process

    missing = [f"{i:02d}.txt" for i in range(1, 15) if not (args.folder / f"{i:02d}.txt").
               exists()]
    if missing:
        sys.exit(f"{args.folder}: no {missing[0]} (see this script's docstring)")
    report("project's matrix", dfm(process(load_corpus(args.folder))))
    report("quanteda-like tokens", quanteda_like(args.folder))


if __name__ == "__main__":
    main()
