"""What a search returns: plain objects, independent of the engine that produced them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Snippet:
    """A passage of one field with the matched words located by character offsets into ``text``."""

    field: str
    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Hit:
    """One matching article, with what a result list shows of it."""

    id: str
    score: float | None  # BM25F relevance; None when hits are sorted by date
    title: str
    url: str | None
    published: str | None
    authors: list[str]
    section: str | None
    source: str | None
    tags: list[str]
    snippet: Snippet | None = None
    duplicates: int = 0  # near duplicates (syndicated copies) folded into this hit

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        snippet = data.pop("snippet")
        data["score"] = round(self.score, 4) if self.score is not None else None
        data["snippet"] = snippet["text"] if snippet else ""
        data["snippet_field"] = snippet["field"] if snippet else None
        data["highlights"] = [list(span) for span in snippet["highlights"]] if snippet else []
        return data


@dataclass(slots=True)
class SearchResults:
    """A page of hits, the number of matching articles, facet counts when asked for, and a
    corrected query ("did you mean") when this one finds little and a correction finds more."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": self.facets,
            "suggestion": self.suggestion,
        }


@dataclass(slots=True)
class Stats:
    """What an archive holds."""

    path: str
    articles: int
    first_published: str | None
    last_published: str | None
    size_bytes: int
    top: dict[str, list[dict[str, Any]]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
