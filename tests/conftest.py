"""Shared fixtures: toy corpora written into a temporary folder, the CLI run in-process."""

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


@pytest.fixture
def cli(capsys):
    """Run the command line in this process: ``cli(*argv)`` returns (status, stdout, stderr)."""
    from analysis.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run
