"""JSON and JSON Lines: searchkit's own records, and news-please's output, told apart by their keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import orjson

from ..errors import ReadError
from ..model import Article, build

_NEWS_PLEASE_KEYS = {"maintext", "date_publish", "source_domain", "title_page", "title_rss"}


class RecordError(ReadError):
    """One record of a multi-record file is unusable; the others still count."""


def read(data: bytes, path: str) -> Iterator[Article | RecordError]:
    """Yield the articles of a JSON document (one object or a list of them) or of JSON Lines.

    A bad line in JSON Lines is yielded as a RecordError naming the line; the good lines still
    come through.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        if not data.strip():
            raise ReadError("empty file") from None
        lines = data.splitlines()
        if len(lines) < 2 and not path.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
            raise ReadError(f"invalid JSON: {error}") from None
        yield from _read_lines(lines, path)
        return
    objects = document if isinstance(document, list) else [document]
    many = len(objects) > 1
    for number, item in enumerate(objects, start=1):
        try:
            yield _record(item, f"{path}#{number}" if many else path, number - 1)
        except ValueError as error:
            yield RecordError(f"record {number}: {error}")


def _read_lines(lines: list[bytes], path: str) -> Iterator[Article | RecordError]:
    number = 0
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        number += 1
        try:
            yield _record(orjson.loads(line), f"{path}#{number}", number - 1)
        except orjson.JSONDecodeError as error:
            yield RecordError(f"line {line_number}: invalid JSON ({error})")
        except ValueError as error:
            yield RecordError(f"line {line_number}: {error}")


def _record(item: Any, path: str, position: int) -> Article:
    if not isinstance(item, dict):
        raise ValueError(f"expected a JSON object, found {type(item).__name__}")
    if _NEWS_PLEASE_KEYS & item.keys():
        return _news_please(item, path, position)
    if "body" in item or "title" in item:
        return Article.from_dict({"path": path} | item)
    raise ValueError("object has neither searchkit keys (title, body) nor news-please keys (maintext, ...)")


def _news_please(item: dict[str, Any], path: str, position: int) -> Article:
    def text(key: str) -> str | None:
        value = item.get(key)
        return value if isinstance(value, str) else None

    url = text("url")
    authors = item.get("authors") or []
    if not isinstance(authors, list):
        authors = [authors]
    extra = {"description": text("description")} if text("description") else {}
    published = item.get("date_publish")
    return build(
        path,
        position=position,
        url=url,
        title=text("title") or text("title_page") or text("title_rss") or "",
        body=text("maintext") or "",
        published=published if isinstance(published, (str, int, float)) else None,
        authors=[a for a in authors if isinstance(a, str)],
        source=text("source_domain") or (urlsplit(url).hostname if url else None),
        language=text("language"),
        extra=extra,
    )
