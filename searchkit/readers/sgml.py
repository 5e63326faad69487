"""Reuters-21578 style SGML archive dumps: many ``<REUTERS>`` records to a file.

TOPICS become tags; PLACES, PEOPLE, ORGS and EXCHANGES keep their own keys (each a facet);
AUTHOR gives the byline and DATELINE is kept as ``dateline``. Entities (``&lt;``, ``&#3;``) are
decoded and control characters dropped by the usual normalisation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from ..errors import ReadError
from ..model import Article, build
from ..normalize import split_names
from .encoding import decode
from .jsonl import RecordError

_RECORD = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_LISTS = {"TOPICS": "tags", "PLACES": "places", "PEOPLE": "people", "ORGS": "orgs", "EXCHANGES": "exchanges"}
# The elements a record's fields come from (none of them nests inside another), found in one scan.
_ELEMENT = re.compile(r"<(TITLE|BODY|AUTHOR|DATELINE|DATE|TOPICS|PLACES|PEOPLE|ORGS|EXCHANGES)\b[^>]*>(.*?)</\1>", re.S)
_ITEM = re.compile(r"<D>(.*?)</D>", re.S)
_TEXT = re.compile(r"<TEXT\b[^>]*>(.*?)</TEXT>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SIGN_OFF = re.compile(r"\s*\bReuter\s*$")
_PARAGRAPH = re.compile(r"\n(?=[ \t]+\S)")


def read(data: bytes, path: str) -> Iterator[Article | RecordError]:
    """Yield the articles of an SGML dump, one per ``<REUTERS>`` record."""
    text = decode(data)
    found = False
    for position, match in enumerate(_RECORD.finditer(text)):
        found = True
        try:
            yield _record(match.group(1), match.group(2), f"{path}#{position + 1}", position)
        except ValueError as error:
            yield RecordError(f"record {position + 1}: {error}")
    if not found:
        raise ReadError("no <REUTERS> records found")


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
    body = _SIGN_OFF.sub("", body.strip())
    return "\n\n".join(" ".join(part.split()) for part in _PARAGRAPH.split(body) if part.strip())
