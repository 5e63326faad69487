"""Shared fixtures: the project's corpus, the team's shared data (skipped cleanly when absent), indexes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import searchkit

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SEED = CORPUS / "sputnik-pentagon-daesh-coordinates.txt"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a clean skip naming what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs the team's shared data at {path} (not present on this machine)")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of corpus/, free to change."""
    return Path(shutil.copytree(CORPUS, tmp_path / "corpus"))


@pytest.fixture
def archive(tmp_path: Path, corpus: Path) -> searchkit.Archive:
    """An archive holding the sample corpus."""
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([corpus])
    yield archive
    archive.close()
