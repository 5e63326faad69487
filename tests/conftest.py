"""Shared fixtures: the project's corpus, the team's shared data (skipped cleanly when absent), indexes."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import searchkit

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SEED = CORPUS / "sputnik-pentagon-daesh-coordinates.txt"
CORPUS_SIZE = sum(1 for path in CORPUS.iterdir() if path.is_file())  # one article per sample file


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


TOPICS = {
    "ceasefire": ("Syria", "Middle East", ["ceasefire", "truce", "monitors", "talks", "Damascus", "rebels"]),
    "harvest": ("Argentina", "Business", ["wheat", "harvest", "drought", "exports", "farmers", "prices"]),
    "strike": ("Netherlands", "Business", ["dockers", "strike", "port", "unions", "automation", "wages"]),
    "election": ("France", "Politics", ["election", "votes", "parliament", "coalition", "candidates", "polls"]),
}
SOURCES = ["Reuters", "AP", "Sputnik", "The Guardian"]
FRENCH_LEAD = ("Selon les informations recueillies par notre rédaction, la situation reste très tendue et les "
               "discussions se poursuivent entre les différentes parties concernées. Le gouvernement n'a pas souhaité "
               "commenter ces informations, mais plusieurs responsables ont confirmé la tenue d'une réunion.")
AUTHORS = ["Jane Doe", "Ana Lima", "Pieter van Dijk", "Sam Okafor"]


def news_records(count: int = 120, seed: int = 7, prefix: str = "news") -> list[dict]:
    """Realistic article records with varied dates (some missing), tags, people, places and languages."""
    import random

    rnd = random.Random(seed)
    records = []
    for n in range(count):
        topic = rnd.choice(sorted(TOPICS))
        place, section, words = TOPICS[topic]
        chosen = rnd.sample(words, 4)
        sentences = [
            f"The {chosen[0]} dominated the news in {place} on {rnd.choice(['Monday', 'Tuesday', 'Friday'])}.",
            f"Officials said the {chosen[1]} and the {chosen[2]} would be discussed again next week.",
            f"Analysts expect {chosen[3]} to remain a concern for months, according to people familiar with the matter.",
        ]
        rnd.shuffle(sentences)
        sentences.append(f"Filed as report {prefix} {n}.")
        if n % 6 == 0:  # a French article quoting an English wire: the language read from its text is French
            sentences.insert(0, FRENCH_LEAD)
        month = rnd.randint(1, 12)
        records.append(
            {
                "id": f"{prefix}-{n:03d}",
                "path": f"generated/{prefix}.jsonl#{n + 1}",
                "url": f"https://news.example.org/{prefix}/{topic}/{n}",
                "title": f"{place}: {chosen[0]} and {chosen[1]} ({n})",
                "body": "\n\n".join(sentences),
                "published": None if n % 17 == 0 else f"{rnd.choice([2016, 2017, 2018])}-{month:02d}-{rnd.randint(1, 28):02d}",
                "authors": rnd.sample(AUTHORS, rnd.randint(0, 2)),
                "section": section,
                "source": rnd.choice(SOURCES),
                "tags": [topic.capitalize(), place] + (["Featured"] if n % 5 == 0 else []),
                "language": "en" if n % 6 else "fr",
                "places": [place.lower()],
            }
        )
    return records


# The engines the behaviour tests run on (modules marked ``pytestmark = pytest.mark.usefixtures("engine")``):
# Whoosh, and a Sphinx cluster of real searchd processes (sphinx_fixture.py).
ENGINES = ["whoosh", "sphinxql"]


@pytest.fixture(scope="session")
def sphinx_cluster(tmp_path_factory):
    """A running Sphinx cluster for the session (skipped without searchd, except in CI)."""
    from sphinx_fixture import require_searchd, start_cluster, stop_cluster

    require_searchd()
    # searchd runs as a daemon: a run stopped by SIGTERM (a timeout, a CI cancel) must still stop
    # it, and pytest tears its fixtures down on KeyboardInterrupt, not on SIGTERM.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        cluster = start_cluster(tmp_path_factory.mktemp("sphinx"))
        try:
            yield cluster
        finally:
            stop_cluster(cluster)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(params=ENGINES)
def engine(request, monkeypatch, tmp_path) -> str:
    """The engine every index a behaviour test makes is built on (its name, or the cluster's address)."""
    if request.param == "whoosh":
        monkeypatch.setenv("SEARCHKIT_ENGINE", "whoosh")
        yield "whoosh"
        return
    from sphinx_fixture import release_archives

    cluster = request.getfixturevalue("sphinx_cluster")
    monkeypatch.setenv("SEARCHKIT_ENGINE", cluster.url)
    yield cluster.url
    release_archives(cluster, tmp_path)


@contextmanager
def engine_for(request, folder: Path) -> Iterator[str]:
    """The engine a module-scoped fixture parametrized over ENGINES builds on (``request.param``):
    Whoosh, or the session's cluster, whose archives claimed under ``folder`` are released after."""
    if request.param == "whoosh":
        yield "whoosh"
        return
    from sphinx_fixture import release_archives

    cluster = request.getfixturevalue("sphinx_cluster")
    yield cluster.url
    release_archives(cluster, folder)


@pytest.fixture(scope="session")
def _news_archives(tmp_path_factory):
    archives: dict[str, tuple[searchkit.Archive, list[dict]]] = {}
    yield archives
    for archive, _ in archives.values():
        archive.close()


@pytest.fixture
def news(engine, _news_archives, tmp_path_factory) -> tuple[searchkit.Archive, list[dict]]:
    """An archive of generated news records, and the records (read back as the index stores them):
    built once per engine."""
    import orjson

    if engine not in _news_archives:
        folder = tmp_path_factory.mktemp("news")
        records = news_records()
        (folder / "news.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        archive = searchkit.Archive(folder / "index", engine=engine)
        archive.index([folder / "news.jsonl"])
        _news_archives[engine] = archive, [archive.get(r["id"]).to_dict() for r in records]
    return _news_archives[engine]


def write_news_files(folder: Path, files: int, per_file: int) -> dict[str, int]:
    """Write ``files`` JSON Lines files of generated articles; returns {file path: article count}."""
    import orjson

    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for number in range(files):
        records = news_records(per_file, seed=number, prefix=f"f{number:03d}")
        path = folder / f"batch-{number:03d}.jsonl"
        path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        written[str(path)] = per_file
    return written
