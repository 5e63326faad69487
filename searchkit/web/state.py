"""What a search page shows, read from its URL and written back into links: the URL holds the
whole state, so a search can be bookmarked and shared and the back button works."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

FILTERS = ("tag", "author", "section", "source", "place", "person", "org", "exchange")
DATE_FACETS = ("year", "month", "day")
SORTS = ("relevance", "newest", "oldest")
MAX_QUERY = 2_000
MAX_VALUES = 50  # values of one filter
MAX_DEPTH = 100_000  # hits a page may reach (page * limit); further, the exports
EVERYTHING = "*"  # the query language's "every article": a search page with no words shows them all, within the filters


class BadRequest(ValueError):
    """A request parameter that cannot be read; the message says which and why."""


@dataclass(frozen=True)
class SearchState:
    """A search as a page shows it: the query, its filters, dates, order and page."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    lang: str | None = None
    sort: str = "relevance"
    page: int = 1
    limit: int = 20
    expand: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, Any], *, max_limit: int = 100) -> SearchState:
        """Read a request's query parameters (a Starlette ``QueryParams``); BadRequest when one cannot be read."""
        q = _single(params, "q") or ""
        if len(q) > MAX_QUERY:
            raise BadRequest(f"the query is longer than {MAX_QUERY:,} characters")
        filters = {}
        for name in FILTERS:
            values = tuple(dict.fromkeys(value.strip() for value in params.getlist(name) if value.strip()))
            if len(values) > MAX_VALUES:
                raise BadRequest(f"more than {MAX_VALUES} values of '{name}'")
            if values:
                filters[name] = values
        sort = _single(params, "sort") or "relevance"
        if sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}, not '{sort}'")
        limit = number(params, "limit", 20, 1, max_limit)
        page = number(params, "page", 1, 1, MAX_DEPTH)
        if page * limit > MAX_DEPTH:
            raise BadRequest(f"pages go as deep as hit {MAX_DEPTH:,}; the exports hold every hit")
        return cls(
            q=q.strip(),
            filters=filters,
            since=_single(params, "since") or None,
            until=_single(params, "until") or None,
            lang=_single(params, "lang") or None,
            sort=sort,
            page=page,
            limit=limit,
            expand=_flag(params, "expand"),
        )

    @property
    def query(self) -> str:
        """The query the library is given: the words typed, or every article when there are none."""
        return self.q or EVERYTHING

    @property
    def order(self) -> str:
        """The order of the hits: with no words to rank by, newest first unless told otherwise."""
        return "newest" if not self.q and self.sort == "relevance" else self.sort

    def options(self) -> dict[str, Any]:
        """The search options shared by ``Archive.search`` and ``Archive.stream``."""
        return dict(
            filters={name: list(values) for name, values in self.filters.items()},
            since=self.since,
            until=self.until,
            lang=self.lang,
            sort=self.order,
            expand_duplicates=self.expand,
        )

    def params(self) -> list[tuple[str, str]]:
        """The state as query parameters, defaults left out (the inverse of :meth:`from_params`)."""
        return _pairs(vars(self))

    def url(self, path: str = "/", **changes: Any) -> str:
        """A link to this state with some fields changed; any change but the page returns to page 1."""
        query = urlencode(_pairs({**vars(self), "page": 1, **changes} if changes else vars(self)))
        return f"{path}?{query}" if query else path

    def has_filter(self, facet: str, value: str) -> bool:
        """Whether a facet value is one the hits are narrowed to (a date facet's value: both ends of the range)."""
        if facet in DATE_FACETS:
            return self.since == value and self.until == value
        if facet == "lang":
            return (self.lang or "").casefold() == value.casefold()
        return value.casefold() in (kept.casefold() for kept in self.filters.get(facet, ()))

    def toggle(self, facet: str, value: str) -> str:
        """The link that adds a facet value to the filters, or removes it when it is there."""
        if facet in DATE_FACETS:
            return self.url(since=None, until=None) if self.has_filter(facet, value) else self.url(since=value, until=value)
        if facet == "lang":
            return self.url(lang=None if self.has_filter(facet, value) else value)
        kept = self.filters.get(facet, ())
        if self.has_filter(facet, value):
            kept = tuple(v for v in kept if v.casefold() != value.casefold())
        else:
            kept = (*kept, value)
        filters = {name: values for name, values in {**self.filters, facet: kept}.items() if values}
        return self.url(filters=filters)

    def active(self) -> list[tuple[str, str, str]]:
        """Every filter in force as (label, value, link that removes it)."""
        chips = [(name, value, self.toggle(name, value)) for name, values in self.filters.items() for value in values]
        if self.lang:
            chips.append(("lang", self.lang, self.url(lang=None)))
        if self.since:
            chips.append(("since", self.since, self.url(since=None)))
        if self.until:
            chips.append(("until", self.until, self.url(until=None)))
        return chips


def _pairs(state: dict[str, Any]) -> list[tuple[str, str]]:
    """A state's fields (as a dict, so links can change some without making a new state) as query parameters."""
    pairs = [("q", state["q"])] if state["q"] else []
    pairs += [(name, value) for name, values in state["filters"].items() for value in values]
    pairs += [(name, state[name]) for name in ("since", "until", "lang") if state[name]]
    if state["sort"] != "relevance":
        pairs.append(("sort", state["sort"]))
    if state["limit"] != 20:
        pairs.append(("limit", str(state["limit"])))
    if state["expand"]:
        pairs.append(("expand", "1"))
    if state["page"] != 1:
        pairs.append(("page", str(state["page"])))
    return pairs


def facet_names(params: Mapping[str, Any], known: tuple[str, ...]) -> list[str]:
    """The ``facet`` parameters of an API request, each one known."""
    names = list(dict.fromkeys(params.getlist("facet")))
    for name in names:
        if name not in known:
            raise BadRequest(f"unknown facet '{name}' (facets: {', '.join(known)})")
    return names


def _single(params: Mapping[str, Any], name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise BadRequest(f"'{name}' is given {len(values)} times")
    return values[0] if values else None


def number(params: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    """A whole-number parameter within bounds (the default when it is absent)."""
    text = _single(params, name)
    if text is None or text == "":
        return default
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise BadRequest(f"'{name}' must be a whole number from {low} to {high:,}, not '{text[:40]}'")
    return int(text)


def _flag(params: Mapping[str, Any], name: str) -> bool:
    text = _single(params, name)
    if text in (None, "", "0", "false"):
        return False
    if text in ("1", "true", "on"):
        return True
    raise BadRequest(f"'{name}' must be 1 or 0, not '{text[:40]}'")
