"""Reuters-21578 style SGML archive dumps: many ``<REUTERS>`` records to a file.

TOPICS become tags; PLACES, PEOPLE, ORGS and EXCHANGES keep their own keys (each a facet);
AUTHOR gives the byline and DATELINE is kept as ``dateline``. Entities (``&lt;``, ``&#3;``) are
decoded and control characters dropped by the usual normalisation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from typing import BinaryIO

from ..errors import ReadError
from ..model import Article, build
from ..normalize import split_names
from .encoding import decode
from .protocol import CHUNK, MAX_RECORD, Item, ReadOptions, RecordError

_RECORD = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_START, _END = b"<REUTERS", b"</REUTERS>"
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_LISTS = {"TOPICS": "tags", "PLACES": "places", "PEOPLE": "people", "ORGS": "orgs", "EXCHANGES": "exchanges"}
# The elements a record's fields come from (none of them nests inside another), found in one scan.
_ELEMENT = re.compile(r"<(TITLE|BODY|AUTHOR|DATELINE|DATE|TOPICS|PLACES|PEOPLE|ORGS|EXCHANGES)\b[^>]*>(.*?)</\1>", re.S)
_ITEM = re.compile(r"<D>(.*?)</D>", re.S)
_TEXT = re.compile(r"<TEXT\b[^>]*>(.*?)</TEXT>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SIGN_OFF = "Reuter"
_WORD_END = re.compile(r"\w")
_PARAGRAPH = re.compile(r"\n(?=[ \t]+\S)")


def read(data: bytes, path: str) -> Iterator[Item]:
    """Yield the articles of an SGML dump held in memory (see ``read_stream``)."""
    import io

    return read_stream(io.BytesIO(data), path, ReadOptions())


def read_stream(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[Item]:
    """Yield the articles of an SGML dump, one per ``<REUTERS>`` record, a record at a time."""
    position = 0
    for chunk in _records(stream):
        position += 1
        if chunk is None:
            yield RecordError(f"record {position}: too large to be one record (over {MAX_RECORD >> 20} MiB)")
            continue
        match = _RECORD.search(decode(chunk))
        try:
            yield _record(match.group(1), match.group(2), f"{path}#{position}", position - 1)
        except ValueError as error:
            yield RecordError(f"record {position}: {error}")
    if not position:
        raise ReadError("no <REUTERS> records found")


def _records(stream: BinaryIO) -> Iterator[bytes | None]:
    """The bytes of each ``<REUTERS>...</REUTERS>`` record (None for one over ``MAX_RECORD``,
    whose bytes are dropped as they come)."""
    buffer = b""
    skipping = False
    while chunk := stream.read(CHUNK):
        buffer += chunk
        position = 0
        while True:
            if skipping:
                end = buffer.find(_END, position)
                if end < 0:
                    buffer = buffer[-len(_END):]
                    break
                yield None
                skipping = False
                position = end + len(_END)
                continue
            start = buffer.find(_START, position)
            if start < 0:
                buffer = buffer[-len(_START):]
                break
            end = buffer.find(_END, start)
            if end < 0:
                buffer = buffer[start:]
                if len(buffer) > MAX_RECORD:
                    skipping, buffer = True, buffer[-len(_END):]
                break
            yield buffer[start:end + len(_END)]
            position = end + len(_END)


def _record(attributes: str, content: str, path: str, position: int) -> Article:
    attrs = dict(_ATTRIBUTE.findall(attributes))
    elements: dict[str, str] = {}
    for found in _ELEMENT.finditer(content):
        elements.setdefault(found.group(1), found.group(2))
    lists = {key: [html.unescape(item) for item in _ITEM.findall(elements.get(tag, ""))] for tag, key in _LISTS.items()}
    title = html.unescape(elements.get("TITLE", ""))
    body = elements.get("BODY")
    if body is None:  # TYPE="UNPROC" records hold bare text; "BRIEF" ones only a title
        text = _TEXT.search(content)
        body = "" if title or not text else _TAG.sub(" ", text.group(1))
    author = elements.get("AUTHOR")
    dateline = html.unescape(elements.get("DATELINE", "")).strip().rstrip("-").strip()
    extra = {key: lists[key] for key in ("places", "people", "orgs", "exchanges")}
    if dateline:
        extra["dateline"] = dateline
    if attrs.get("NEWID"):
        extra["reuters_id"] = attrs["NEWID"]
    return build(
        path,
        position=position,
        title=title,
        body=_paragraphs(html.unescape(body)),
        published=html.unescape(elements["DATE"]) if "DATE" in elements else None,
        authors=split_names(html.unescape(author)) if author else [],
        source="Reuters",
        language="en",
        tags=lists["tags"],
        extra=extra,
    )


def _paragraphs(body: str) -> str:
    """Paragraphs begin with an indented line; the lines inside one are joined."""
    body = body.strip()
    if body.endswith(_SIGN_OFF) and not _WORD_END.match(body[-len(_SIGN_OFF) - 1:-len(_SIGN_OFF)]):
        body = body[:-len(_SIGN_OFF)]  # (a test of the end: a pattern anchored at "$" is tried at every space)
    return "\n\n".join(" ".join(part.split()) for part in _PARAGRAPH.split(body) if part.strip())
