"""Framing analyses: how a text frames its subject.

- :mod:`~analysis.framing.roads`: the enumerated "roads" (*CPEC is a road of development*)
  in every construction, literal roads told apart, each with its task for an actor;
- :mod:`~analysis.framing.frames`: sentences coded with the frames of a frame dictionary
  (the case study's, ``dictionaries/data/frames.csv``: Policy Frames Codebook dimensions and
  the conflict frame), shares per unit or group;
- :mod:`~analysis.framing.metaphors`: candidate metaphor and idiom markers of a marker
  dictionary (the case study's, ``dictionaries/data/metaphors.csv``), and quoted sayings.

Each function takes the :class:`~analysis.text.process.Processed` bundle and returns a
DataFrame; groups come from :mod:`analysis.units`.
"""
