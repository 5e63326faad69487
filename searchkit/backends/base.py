"""The seam between searchkit and a search engine: what an Archive, the search layer and the
ingest pipeline ask of a backend, and the plain data they hand over.

A backend stores articles and answers searches. It never reads files or decides what to index
(``ingest`` does), and never shapes results for people (``search`` does): it runs a query string
with filters into matches it can rank, count by facet and page through, and it writes batches
of prepared articles atomically (a batch is committed whole or not at all).
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Hashable, Protocol

from ..model import Article
from ..querylang import Plan

INDEX_MARKER = "searchkit.json"  # every index folder holds it: the engine and the format version
Ref = Hashable  # a backend's handle on one stored article (Whoosh: a document number)
ARTICLE_OVERHEAD = 2_048  # what holding an article costs beyond its record's bytes, for memory bounds


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to: facet values (any within a facet, all facets together),
    inclusive dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), a language."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    lang: str | None = None


Kept = tuple[bool, frozenset[str]] | None  # None: in any article; (True, codes): only in articles of
# those languages; (False, codes): in articles of any other language (or none)
Highlights = dict[str, dict[str, set[Kept]]]  # field -> term -> the articles it is matched in


def highlight(highlights: Highlights, field: str, terms, kept: Kept = None) -> None:
    """Record that a query matches ``terms`` in a field, in the articles ``kept`` says."""
    found = highlights.setdefault(field, {})
    for term in terms:
        found.setdefault(term, set()).add(kept)


def highlighted(terms: dict[str, set[Kept]], language: str | None) -> set[str]:
    """The terms of a field that a query matches in an article of this language."""
    return {term for term, places in terms.items()
            if any(kept is None or (language in kept[1]) == kept[0] for kept in places)}


class Matches(Protocol):
    """The articles matching one query, ready to be ranked, counted and paged."""

    total: int
    highlight: Highlights  # per full-text field, the index terms the query matched, and where
    warnings: Sequence[str]  # what the results lack (a cluster's shards that did not answer)

    def ranked(self, limit: int | None) -> Sequence[Ref]:
        """The first ``limit`` matches (all when None) in the requested order."""

    def score(self, ref: Ref) -> float | None:
        """A match's relevance (None when sorted by date)."""

    def facets(self, names: Sequence[str]) -> dict[str, Counter]:
        """Raw value counts of each facet over every match."""


class Searcher(Protocol):
    """A consistent view of the index as of one commit."""

    def matches(self, plan: Plan, filters: Filters, sort: str) -> Matches:
        """The matches of a planned query (``querylang.plan_query``; QueryError when the backend
        cannot run it as planned, e.g. a wildcard standing for too many words)."""

    def similar(self, article_id: str) -> Matches | None:
        """Stories like an article, ranked (None when there is no such article)."""

    def suggest(self, query: str) -> str | None:
        """The query with unknown words replaced by close words of the index, if any."""

    def articles(self, refs: Sequence[Ref]) -> Iterator[Article]:
        """The stored articles, in the order given."""

    def signatures(self, refs: Sequence[Ref]) -> Sequence[bytes]:
        """The near-duplicate signatures of articles (``duplicates.signature``)."""

    def get(self, article_id: str) -> Article | None: ...

    def count(self) -> int: ...

    def all_facets(self, names: Sequence[str]) -> dict[str, Counter]:
        """Raw value counts of each facet over the whole index."""

    def date_span(self) -> tuple[str | None, str | None]: ...

    def up_to_date(self) -> bool:
        """False once a newer commit exists (the Archive then opens a new searcher)."""

    def close(self) -> None: ...


@dataclass(slots=True)
class FileState:
    """What the index knows of one file: its content hash, the articles it gave, its errors, and
    the articles of other files that its skipped duplicates copy (if those go, it is read again)."""

    file_hash: str
    path: str  # the path its articles carry (``ingest.walk.Source.path``)
    ids: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    duplicate_of: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Prepared:
    """An article as an index takes it: its record (``Article.to_dict`` as JSON bytes) and the keys
    for duplicates (``duplicates.body_hash``, ``duplicates.signature``)."""

    id: str
    body_hash: str
    signature: bytes
    record: bytes


@dataclass(slots=True)
class Frame:
    """Where one prepared article waits to be written: a frame of a spill file (``ingest.spill``)."""

    spill: str
    offset: int
    size: int


def read_frames(frames: Iterable[Frame]) -> Iterator[Prepared]:
    """The prepared articles of frames, in the order given (each spill file opened once per run
    of consecutive frames)."""
    for path, group in groupby(frames, key=lambda frame: frame.spill):
        with open(path, "rb") as file:
            for frame in group:
                file.seek(frame.offset)
                yield Prepared(*pickle.loads(file.read(frame.size)))


@dataclass
class Batch:
    """One commit's worth of changes: articles to write, articles to delete (by id), and the
    states of the files it completes (``None`` forgets a file)."""

    frames: list[Frame] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)
    files: dict[str, FileState | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.frames or self.deletions or self.files)


class IngestView(Protocol):
    """The index as an ingest run found it: the run decides against this and its own state."""

    files: dict[str, FileState]

    def body_owner(self, body_hash: str) -> str | None:
        """The id of an article holding a body with this hash, if any."""

    def close(self) -> None: ...


class Backend(Protocol):
    """One index: searched through searchers, written through batches."""

    folder: Path  # the index folder on this machine (configuration, lock, temporary files)

    def searcher(self) -> Searcher: ...

    def ingest_view(self) -> IngestView: ...

    def commit(self, batch: Batch, pool: Executor | None, workers: int) -> None:
        """Write a batch and commit it atomically; ``pool`` runs work in worker processes."""

    def verify(self) -> int:
        """Read every file of the last commit in full and check it against what was written
        (IndexDamaged when one is not); the bytes checked."""

    def close(self) -> None: ...
