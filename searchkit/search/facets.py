"""Facet counts as users see them: spellings merged, the most common first, dates in time order."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..errors import QueryError
from ..fields import DATE_FACETS, FACETS


def check(names) -> None:
    """QueryError for a facet name that does not exist."""
    known = (*FACETS, *DATE_FACETS)
    for name in names:
        if name not in known:
            raise QueryError(f"unknown facet '{name}' (facets: {', '.join(known)})")


def shape(name: str, counted: Counter, limit: int) -> list[dict[str, Any]]:
    """A facet's raw value counts as a list of ``{"value", "count"}``: values that differ only in
    case count together under their most common spelling; the top ``limit``, or every date
    bucket in time order."""
    merged: Counter[str] = Counter()
    spelling: dict[str, tuple[int, str]] = {}
    for value, n in counted.items():
        key = value.casefold()
        merged[key] += n
        if n > spelling.get(key, (0, ""))[0]:
            spelling[key] = (n, value)
    ranked = sorted(merged.items()) if name in DATE_FACETS else merged.most_common(limit)
    return [{"value": spelling[key][1], "count": n} for key, n in ranked]
