"""The tables of topics, framing, stance, actors, diversity, readability and the sentences
before and after a change: byte for byte the same, or the differences named.

Usage::

    python bench/check_array_tables.py --before REV [--corpora seeds conventions-1m debates]

As ``check_dfm_tables.py`` (whose comparison it runs): the project at git revision ``REV``
and the current code each write every table below as text (attrs and dtypes, then
``to_csv``) in a process of their own with an empty cache; the files are compared byte for
byte. Corpora: the seeds, ``bench/corpus-conventions-1m`` (1M words) and the 2016 debates
(``bench/corpus-debates.csv``).

Tables, for each corpus and each of its groupings (as ``check_dfm_tables.py`` picks them,
with ``section``, ``doc`` and ``corpus``): the sentences (``Processed.sentences``);
``segments`` and ``fit_topics`` (NMF, ``k`` chosen) with ``topic_table`` and
``topic_weights``; ``code_frames``, ``frame_shares`` and ``uncoded_sentences`` with the
Policy Frames Codebook's dictionary (and the case study's on the seeds); ``roads``;
``metaphors`` (the case study's markers), ``metaphor_counts`` and ``quotations``;
``named_others``; ``modal_uses``, ``modality``, ``participants``, ``evaluation``,
``evaluation_summary`` and ``strongest_evaluations``; ``actor_mentions``,
``actor_counts``, ``actor_context`` and ``actor_descriptors`` of the most named actor;
``lexical_diversity``, ``readability``, ``sentence_lengths`` and ``suspected_noise``;
``sequences`` (2 and 3 words, stop words shown or not).

Nothing here passes or fails a build; it prints one line per differing table and a summary.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_dfm_tables import main, processed_corpora, use_project, write  # noqa: E402
from real_corpus import BENCH, PROJECT  # noqa: E402

CORPORA = {"seeds": (PROJECT / "seeds", {}),
           "conventions-1m": (BENCH / "corpus-conventions-1m", {}),
           "debates": (BENCH / "corpus-debates.csv", {"text_column": "statement"})}


def dump(out: Path, names: list[str], root: Path) -> None:
    """Every table of every corpus into ``out``, by the project at ``root``."""
    use_project(root)
    from analysis import stance
    from analysis.actors import (
        actor_context,
        actor_counts,
        actor_descriptors,
        actor_mentions,
        most_named,
    )
    from analysis.dictionaries.builtin import builtin
    from analysis.diversity import lexical_diversity
    from analysis.framing.frames import (
        case_study_frames,
        code_frames,
        frame_shares,
        uncoded_sentences,
    )
    from analysis.framing.metaphors import (
        case_study_markers,
        metaphor_counts,
        metaphors,
        quotations,
    )
    from analysis.framing.others import named_others
    from analysis.framing.roads import roads
    from analysis.overview import sentence_lengths, suspected_noise
    from analysis.readability import readability
    from analysis.sequences import sequences
    from analysis.topics import fit_topics, segments, topic_table, topic_weights

    for name, p, folder, bys in processed_corpora(out, names, CORPORA):
        write(p.sentences, folder / "sentences")
        write(suspected_noise(p), folder / "noise")
        write(segments(p), folder / "segments")
        model = fit_topics(p, too_small="empty")
        for part in ("terms", "segments", "coherence", "selection", "k", "reason"):
            write(getattr(model, part), folder / f"topics-{part}")
        # Named, not chosen by frame_dictionary: a copy of the package elsewhere does not
        # know the seeds as the case study.
        schemes = {"policy": builtin("policy-frames")}
        if name == "seeds":
            schemes["case"] = case_study_frames()
        coded = {label: code_frames(p, scheme) for label, scheme in schemes.items()}
        for label, scheme in schemes.items():
            write(coded[label], folder / f"frames-{label}-coded")
            write(uncoded_sentences(p, scheme, coded[label]), folder / f"frames-{label}-uncoded")
        write(roads(p), folder / "roads")
        markers = metaphors(p, case_study_markers())
        write(markers, folder / "metaphors")
        write(quotations(p), folder / "quotations")
        write(named_others(p), folder / "others")
        uses = stance.modal_uses(p)
        scored = stance.evaluation(p)
        write(scored, folder / "evaluation")
        write(stance.strongest_evaluations(p, scored=scored), folder / "evaluation-strongest")
        write(uses, folder / "modal-uses")
        mentions = actor_mentions(p)
        write(mentions, folder / "actor-mentions")
        actor = most_named(mentions)
        write(actor_descriptors(p, actor, mentions=mentions), folder / "actor-descriptors")
        for by in dict.fromkeys([*bys, "section", "doc", "corpus"]):
            if model.k:
                write(topic_table(model, by=by), folder / f"topic-table-{by}")
                write(topic_weights(model, by=by), folder / f"topic-weights-{by}")
            for label, scheme in schemes.items():
                write(frame_shares(p, by=by, dictionary=scheme, coded=coded[label]),
                      folder / f"frame-shares-{label}-{by}")
            write(metaphor_counts(p, markers, by=by), folder / f"metaphor-counts-{by}")
            write(stance.modality(p, by=by, level="category", uses=uses),
                  folder / f"modality-{by}")
            write(stance.participants(p, by=by), folder / f"participants-{by}")
            write(stance.evaluation_summary(p, by=by, scored=scored),
                  folder / f"evaluation-summary-{by}")
            write(actor_counts(p, by=by, detected=True, mentions=mentions),
                  folder / f"actor-counts-{by}")
            write(actor_context(p, actor, by=by, mentions=mentions),
                  folder / f"actor-context-{by}")
            write(lexical_diversity(p, by=by), folder / f"diversity-{by}")
            write(sentence_lengths(p, by=by), folder / f"sentence-lengths-{by}")
            write(readability(p, by=by), folder / f"readability-{by}")
            for size, stop in ((2, False), (3, True)):
                write(sequences(p, size, by=by, stopwords=stop),
                      folder / f"sequences-{size}-{stop}-{by}")
        print(f"  {name}: {len(list(folder.iterdir()))} tables", flush=True)


if __name__ == "__main__":
    main(__file__, dump, __doc__, CORPORA)
