"""JSON and JSON Lines: searchkit's own records, news-please's output, ninjs items and JSON Feeds,
told apart by their keys.

JSON Lines is read a line at a time (each line capped at ``MAX_RECORD``); a file whose first line
is not a whole JSON value is one JSON document (an object or a list of them), read whole up to
``MAX_DOCUMENT``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from itertools import chain
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import orjson

from ..errors import ReadError
from ..model import Article, build
from .protocol import MAX_DOCUMENT, MAX_RECORD, Item, ReadOptions, RecordError, lines, read_capped

_NEWS_PLEASE_KEYS = {"maintext", "date_publish", "source_domain", "title_page", "title_rss"}
# Keys only ninjs items have (searchkit's own records have "body", news-please's "maintext").
_NINJS_KEYS = {"versioncreated", "versionCreated", "firstcreated", "firstCreated", "bodies", "body_html", "body_text"}
_LINE_FILES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")

__all__ = ["RecordError", "read", "read_stream"]


def read(data: bytes, path: str) -> Iterator[Item]:
    """The records of JSON or JSON Lines bytes (see ``read_stream``)."""
    return read_stream(io.BytesIO(data), path, ReadOptions())


def read_stream(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[Item]:
    """Yield the articles of a JSON document (one object or a list of them) or of JSON Lines.

    A bad line in JSON Lines is yielded as a RecordError naming the line; the good lines still
    come through.
    """
    numbered = lines(stream, MAX_RECORD)
    for line_number, line in numbered:
        if line is None or line.strip():
            first = line
            break
    else:
        raise ReadError("empty file")
    if first is not None:
        first = first.removeprefix(b"\xef\xbb\xbf")
    try:
        value = orjson.loads(first) if first is not None else None
    except orjson.JSONDecodeError:
        yield from _document(first + read_capped(stream, MAX_DOCUMENT - len(first), "one JSON document"), path)
        return
    following = next(((n, line) for n, line in numbered if line is None or line.strip()), None)
    if following is None and first is not None and not path.lower().endswith(_LINE_FILES):
        yield from _objects(value, path)
        return
    number = 1
    yield _line_record(line_number, first, value, path, number)
    if following is not None:
        for line_number, line in chain([following], numbered):
            if line is not None and not line.strip():
                continue
            number += 1
            yield _line_record(line_number, line, None, path, number)


def _document(data: bytes, path: str) -> Iterator[Item]:
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        parts = data.splitlines()
        if len(parts) < 2 and not path.lower().endswith(_LINE_FILES):
            raise ReadError(f"invalid JSON: {error}") from None
        number = 0
        for line_number, line in enumerate(parts, start=1):
            if line.strip():
                number += 1
                yield _line_record(line_number, line, None, path, number)
        return
    yield from _objects(document, path)


def _objects(document: Any, path: str) -> Iterator[Item]:
    if isinstance(document, dict) and isinstance(document.get("items"), list) and "jsonfeed.org" in str(document.get("version")):
        from .feeds import json_feed

        yield from json_feed(document, path)
        return
    objects = document if isinstance(document, list) else [document]
    many = len(objects) > 1
    for number, item in enumerate(objects, start=1):
        try:
            yield _record(item, f"{path}#{number}" if many else path, number - 1)
        except (ValueError, RecursionError) as error:
            yield RecordError(f"record {number}: {_reason(error)}")


def _line_record(line_number: int, line: bytes | None, value: Any, path: str, number: int) -> Item:
    if line is None:
        return RecordError(f"line {line_number}: too long to be one record (over {MAX_RECORD >> 20} MiB)")
    try:
        if value is None:
            value = orjson.loads(line)
        return _record(value, f"{path}#{number}", number - 1)
    except orjson.JSONDecodeError as error:
        return RecordError(f"line {line_number}: invalid JSON ({error})")
    except (ValueError, RecursionError) as error:
        return RecordError(f"line {line_number}: {_reason(error)}")


def _reason(error: Exception) -> str:
    return "too deeply nested" if isinstance(error, RecursionError) else str(error)


def _record(item: Any, path: str, position: int) -> Article:
    if not isinstance(item, dict):
        raise ValueError(f"expected a JSON object, found {type(item).__name__}")
    if _NEWS_PLEASE_KEYS & item.keys():
        return _news_please(item, path, position)
    if _NINJS_KEYS & item.keys() or ("body" not in item and ("headline" in item or "headlines" in item)):
        from .agency import ninjs

        return ninjs(item, path, position)
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
