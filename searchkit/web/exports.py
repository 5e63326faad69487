"""Exports of a search: every hit as CSV or JSON Lines, and the facet and timeline counts as CSV,
written in chunks as the hits are read, so memory stays bounded whatever the number of hits."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import orjson

from ..results import Hit
from .timeline import Timeline

CHUNK = 64 * 1024
HIT_COLUMNS = ["rank", "id", "score", "published", "title", "source", "section", "authors", "tags", "url",
               "duplicates", "snippet_field", "snippet"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP: cells starting with = + - @, tab or CR)."""
    return "'" + cell if cell.startswith(_FORMULA) else cell


def hits_csv(hits: Iterable[Hit]) -> Iterator[bytes]:
    """Every hit as a CSV row, rank first, text cells neutralised."""
    def rows() -> Iterator[list]:
        yield HIT_COLUMNS
        for rank, hit in enumerate(hits, start=1):
            snippet = hit.snippet
            text = [hit.published or "", hit.title, hit.source or "", hit.section or "", "; ".join(hit.authors),
                    "; ".join(hit.tags), hit.url or ""]
            score = round(hit.score, 4) if hit.score is not None else ""
            yield [rank, neutralised(hit.id), score, *map(neutralised, text), hit.duplicates,
                   snippet.field if snippet else "", neutralised(snippet.text) if snippet else ""]
    return _csv_chunks(rows())


def hits_jsonl(hits: Iterable[Hit]) -> Iterator[bytes]:
    """Every hit as one JSON object per line, as ``searchkit query --all`` writes them."""
    buffer = bytearray()
    for hit in hits:
        buffer += orjson.dumps(hit.to_dict())
        buffer += b"\n"
        if len(buffer) >= CHUNK:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def facets_csv(facets: dict[str, list[dict]]) -> Iterator[bytes]:
    """Facet counts: one row per facet value."""
    rows = (["facet", "value", "count"],
            *([name, neutralised(item["value"]), item["count"]] for name, items in facets.items() for item in items))
    return _csv_chunks(rows)


def timeline_csv(timeline: Timeline | None) -> Iterator[bytes]:
    """The timeline's counts: one row per period (hits without a date are left out, as on the page)."""
    if timeline is None:
        return _csv_chunks([["period", "count"]])
    return _csv_chunks([[timeline.unit, "count"], *([bar.period, bar.count] for bar in timeline.bars)])


def _csv_chunks(rows: Iterable[list]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")
