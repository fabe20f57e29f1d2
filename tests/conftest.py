"""Shared fixtures: toy corpora written into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Processed corpora are cached in a temporary folder, not in the project's .cache/."""
    from analysis import config

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path_factory.mktemp("cache"))


@pytest.fixture
def make_corpus(tmp_path):
    """Write ``{file name: text or bytes}`` into a fresh folder and return its path."""

    def make(files: dict[str, str | bytes], name: str = "corpus") -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for file_name, content in files.items():
            path = folder / file_name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        return folder

    return make
