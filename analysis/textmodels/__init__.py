"""Scaling models: each takes a corpus's document-feature matrix and returns DataFrames."""
