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
        # Built by hand: dataclasses.asdict deep-copies every value, a third of the time of an export.
        snippet = self.snippet
        return {
            "id": self.id,
            "score": round(self.score, 4) if self.score is not None else None,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "authors": list(self.authors),
            "section": self.section,
            "source": self.source,
            "tags": list(self.tags),
            "duplicates": self.duplicates,
            "snippet": snippet.text if snippet else "",
            "snippet_field": snippet.field if snippet else None,
            "highlights": [list(span) for span in snippet.highlights] if snippet else [],
        }


@dataclass(slots=True)
class FilterCount:
    """How many of a query's articles one filter alone keeps: counted when the filters together
    leave none, to tell which of them emptied the result."""

    filter: str  # a facet (tag, source, ...), or since, until, lang
    values: list[str]
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"filter": self.filter, "values": list(self.values), "total": self.total}


@dataclass(slots=True)
class SearchResults:
    """A page of hits, the number of matching articles, facet counts when asked for, and a
    corrected query ("did you mean") when this one finds little and a correction finds more.

    ``total`` counts articles; the list pages through stories (near duplicates folded into one
    hit) unless they are expanded. ``stories`` is the length of that list: known when every hit
    was grouped (always for a page past the end, which has no hits), else None (only the hits up
    to a little past this page were grouped); with expanded duplicates it is ``total``. When
    filters leave no hit of a query that has some, ``unfiltered`` is the query's total without
    them and ``filter_counts`` its total with each filter alone. ``warnings`` say when the
    results are partial (a cluster's shards that did not answer).
    """

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    suggestion: str | None = None
    page: int = 1
    limit: int = 10
    stories: int | None = None
    more: bool = False  # a later page has hits
    unfiltered: int | None = None
    filter_counts: list[FilterCount] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. "partial results: 1 of 3 shards did not answer"

    @property
    def first(self) -> int:
        """The rank of the page's first hit (1 for the first hit of the first page)."""
        return (self.page - 1) * self.limit + 1

    @property
    def pages(self) -> int | None:
        """How many pages the list fills, when ``stories`` is known."""
        return None if self.stories is None else -(-self.stories // self.limit)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": self.facets,
            "suggestion": self.suggestion,
            "page": self.page,
            "limit": self.limit,
            "stories": self.stories,
            "pages": self.pages,
            "more": self.more,
            "unfiltered": self.unfiltered,
            "filter_counts": [count.to_dict() for count in self.filter_counts],
            "warnings": self.warnings,
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
