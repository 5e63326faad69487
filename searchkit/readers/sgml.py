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


def _element(name: str, text: str) -> str | None:
    found = re.search(rf"<{name}\b[^>]*>(.*?)</{name}>", text, re.S)
    return html.unescape(found.group(1)) if found else None


def _record(attributes: str, content: str, path: str, position: int) -> Article:
    attrs = dict(_ATTRIBUTE.findall(attributes))
    lists = {
        key: [html.unescape(item) for item in re.findall(r"<D>(.*?)</D>", _element(tag, content) or "")]
        for tag, key in _LISTS.items()
    }
    text = _element("TEXT", content) or ""
    title = _element("TITLE", text) or ""
    body = _element("BODY", text)
    if body is None:  # TYPE="UNPROC" records hold bare text; "BRIEF" ones only a title
        body = "" if title else html.unescape(re.sub(r"<[^>]+>", " ", text))
    author = _element("AUTHOR", text)
    dateline = (_element("DATELINE", text) or "").strip().rstrip("-").strip()
    extra = {key: lists[key] for key in ("places", "people", "orgs", "exchanges")}
    if dateline:
        extra["dateline"] = dateline
    if attrs.get("NEWID"):
        extra["reuters_id"] = attrs["NEWID"]
    return build(
        path,
        position=position,
        title=title,
        body=_paragraphs(body),
        published=_element("DATE", content),
        authors=split_names(author) if author else [],
        source="Reuters",
        language="en",
        tags=lists["tags"],
        extra=extra,
    )


def _paragraphs(body: str) -> str:
    """Paragraphs begin with an indented line; the lines inside one are joined."""
    body = _SIGN_OFF.sub("", body.strip())
    return "\n\n".join(" ".join(part.split()) for part in _PARAGRAPH.split(body) if part.strip())
