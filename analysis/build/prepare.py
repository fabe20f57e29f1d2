"""The corpus processed once, before any notebook runs.

Every notebook starts with ``process(corpus)`` (:func:`analysis.text.process.process`), which
reads the processed corpus from the cache folder, or processes it and writes it there. On a
corpus the cache does not hold yet, kernels started together would each process the whole
corpus at once (at 10M words, two kernels side by side doing the same minute of work, each
with the memory of it). :func:`process_first` processes it once, in a child process, before
the kernels start; each notebook then reads the cache as a warm command does. The child's
memory goes back to the system when it exits, so the build process stays small while the
notebooks run.

Nothing here changes what a notebook computes: the kernels read the very arrays they would
have written themselves (same cache key). Where the cache cannot be written (a read-only
project), or processing fails, the kernels process the corpus themselves as before, and a
corpus that fails to process fails in the notebooks with their own message.
"""

from __future__ import annotations

import contextlib
import os
import threading
from multiprocessing import get_context
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.corpus import Corpus

__all__ = ["cached", "process_first"]


def cached(corpus: Corpus) -> bool:
    """Whether the cache folder holds a processed-corpus file of this corpus's key.

    A file that turns out damaged is the kernels' to replace (they warn and process again),
    as for any command.
    """
    from analysis.text.process import cache_key, cache_path

    return cache_path(cache_key(corpus)).is_file()


def _process_child(corpus: Corpus) -> None:
    """The child's work: process the corpus (written to the cache) and exit without
    tearing down the tables (``os._exit``: the memory is the system's again at once)."""
    from analysis.build.kernels import _die_with_parent

    _die_with_parent()
    code = 1
    try:
        from analysis.text.process import process

        process(corpus)
        code = 0
    finally:
        os._exit(code)


def process_first(corpus: Corpus) -> bool:
    """Process ``corpus`` into the cache folder in a child process, unless it is cached.

    Parameters
    ----------
    corpus : Corpus
        The corpus exactly as the notebooks will process it (line rules applied and phrases
        joined: the build's checked corpus), so that their cache key is its key.

    Returns
    -------
    bool
        True if the cache holds the corpus now (it did already, or the child wrote it);
        False if the child failed or could not write it, or if the caller runs other
        threads (a notebook kernel: a fork is unsafe there); the notebooks process it then.

    Examples
    --------
    >>> from analysis.corpus import load_corpus
    >>> process_first(load_corpus())
    True
    """
    if cached(corpus):
        return True
    if threading.active_count() > 1:  # a fork copies no other thread, and their locks
        return False
    # fork: the child has the corpus already read (no pickling of its texts), and nothing in
    # the build has started a thread yet. The child forks its own workers (processing in
    # parallel) and writes the cache file atomically.
    child = get_context("fork").Process(target=_process_child, args=(corpus,),
                                        name="analysis-build-process")
    child.start()
    try:
        child.join()
    finally:
        if child.is_alive():  # the build was interrupted: stop the child too
            with contextlib.suppress(OSError):
                child.kill()
            child.join()
    return child.exitcode == 0 and cached(corpus)
