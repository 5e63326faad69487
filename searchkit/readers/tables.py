"""CSV and TSV exports (Media Cloud story lists and the like): one article per row.

The header row names the columns; common names are recognised (title/headline, text/body/content,
date/published, url/link, author/byline, source/media, language, tags, section) and
``--columns body=text,title=headline`` maps others. A row without text becomes a title-only
article. A row that cannot be read (a stray quote, a field over ``MAX_RECORD``) is reported by
its line, and reading goes on from the line after it.

A file without such a header (GDELT's tables: event codes, tone and a source URL per row, no
title and no text) holds nothing to search and is refused with a message that says so.
"""

from __future__ import annotations

import csv
import html
import re
from collections import deque
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import ReadError
from ..model import build
from ..normalize import split_names
from .encoding import legacy_encoding
from .protocol import MAX_RECORD, Item, ReadOptions, RecordError, lines

# Header names (lower case, runs of spaces, dashes and underscores as one "_") for each field.
ALIASES = {
    "title": ("title", "headline", "heading", "hed", "title_page"),
    "body": ("text", "body", "content", "maintext", "full_text", "fulltext", "article", "article_text", "story_text"),
    "published": ("date", "published", "publish_date", "publication_date", "pubdate", "pub_date", "date_published",
                  "published_at", "datetime", "timestamp"),
    "url": ("url", "link", "uri", "permalink", "article_url", "story_url"),
    "authors": ("author", "authors", "byline", "creator", "writer"),
    "source": ("source", "media", "media_name", "outlet", "publisher", "publication", "source_name", "site"),
    "language": ("language", "lang", "locale"),
    "tags": ("tags", "keywords", "topics", "subjects", "categories"),
    "section": ("section", "category", "rubric", "desk"),
}
_NAME = re.compile(r"[\s_-]+")
_LIST = re.compile(r"\s*[;,|]\s*")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)


def read_stream(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[Item]:
    """Yield an article (or a RecordError naming its line) for each row of a CSV or TSV file."""
    csv.field_size_limit(MAX_RECORD)  # module-wide; the default (128 KiB) is smaller than some article texts
    text_lines = _text_lines(stream)
    header_line = next(text_lines, None)
    if header_line is None:
        raise ReadError("empty file")
    header_text = header_line[1] or ""
    delimiter = "\t" if path.lower().removesuffix(".gz").endswith((".tsv", ".tab")) else _delimiter(header_text)
    try:
        header = next(csv.reader([header_text], delimiter=delimiter), [])
    except csv.Error as error:
        raise ReadError(f"cannot read the header row ({error})") from None
    columns = _columns(header, options)
    if not {"title", "body", "url"} & columns.keys():
        shown = ", ".join(repr(name[:30]) for name in header[:6])
        raise ReadError(
            f"no column names a title, a text or a URL (first row: {shown}{', ...' if len(header) > 6 else ''}); "
            "name them with --columns body=COLUMN,title=COLUMN"
        )
    number = 0
    for line_number, row in _rows(text_lines, delimiter, len(header)):
        number += 1
        if isinstance(row, str):
            yield RecordError(f"line {line_number}: {row}")
            continue
        yield _article(row, columns, f"{path}#{number}", number - 1, line_number)


def _article(row: list[str], columns: dict[str, int], path: str, position: int, line: int) -> Item:
    def value(field: str) -> str:
        index = columns.get(field)
        return row[index].strip() if index is not None and index < len(row) else ""

    title, body = _unescape(value("title")), _unescape(value("body"))
    if not title and not body:
        return RecordError(f"line {line}: no title and no text")
    try:
        return build(
            path,
            position=position,
            title=title,
            body=body,
            url=value("url") or None,
            published=value("published") or None,
            authors=split_names(value("authors")) if value("authors") else [],
            source=value("source") or None,
            language=value("language") or None,
            tags=[tag for tag in _LIST.split(value("tags")) if tag],
            section=value("section") or None,
        )
    except ValueError as error:
        return RecordError(f"line {line}: {error}")


def _columns(header: list[str], options: ReadOptions) -> dict[str, int]:
    """Article field -> column index, from the mapping given, then from the header's names."""
    names = [_NAME.sub("_", name.strip().lower()) for name in header]
    columns = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if alias in names:
                columns[field] = names.index(alias)
                break
    for field, column in options.columns.items():
        wanted = _NAME.sub("_", column.strip().lower())
        if wanted not in names:
            raise ReadError(f"--columns names {column!r}, which the header does not have")
        columns[field] = names.index(wanted)
    return columns


def _rows(text_lines: Iterator[tuple[int, str | None]], delimiter: str, width: int) -> Iterator[tuple[int, list[str] | str]]:
    """(line number, row) for each row, or (line number, reason) for one that cannot be read.

    After a bad row (a quote that opens a field and never closes it swallows the lines after
    it), reading starts again from the line after the row's first line.
    """
    queue: deque[tuple[int, str | None]] = deque()
    taken: list[tuple[int, str | None]] = []

    def feed() -> Iterator[str]:
        while True:
            if queue:
                item = queue.popleft()
            else:
                item = next(text_lines, None)
                if item is None:
                    return
            taken.append(item)
            if item[1] is None:
                raise csv.Error(f"the line is over {MAX_RECORD >> 20} MiB")
            yield item[1]

    while True:
        taken.clear()
        reader = csv.reader(feed(), delimiter=delimiter, strict=True)
        try:
            for row in reader:
                start = taken[0][0]
                if len(taken) > 1 and len(row) != width:
                    raise csv.Error(f"a quote that is never closed (the row runs over {len(taken)} lines)")
                taken.clear()
                if row and any(cell.strip() for cell in row):
                    yield start, row
            return
        except csv.Error as error:
            start = taken[0][0] if taken else 0
            queue.extendleft(reversed(taken[1:]))
            yield start, f"cannot be read as a row ({error})"


def _text_lines(stream: BinaryIO) -> Iterator[tuple[int, str | None]]:
    """Decoded lines, newlines kept (None for one over ``MAX_RECORD``): UTF-8, else the legacy
    encoding the first line that is not UTF-8 suggests."""
    legacy = None
    for number, line in lines(stream, MAX_RECORD):
        if line is None:
            yield number, None
            continue
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        try:
            yield number, line.decode("utf-8")
        except UnicodeDecodeError:
            legacy = legacy or legacy_encoding(line)
            yield number, line.decode(legacy, errors="replace")


def _delimiter(header: str) -> str:
    """Tab when the header has one (no column name holds a tab), else the likeliest of , ; |."""
    return "\t" if "\t" in header else max(",;|", key=header.count)


def _unescape(text: str) -> str:
    """Text with HTML entities left by an export ("l&#8217;Etat") decoded once."""
    return html.unescape(text) if _ENTITY.search(text) else text

