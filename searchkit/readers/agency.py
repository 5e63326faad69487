"""News agency formats: NITF, NewsML-G2, NewsML 1.x (XML, read an item at a time), ninjs (JSON,
read through ``jsonl``) and the IPTC 7901 / ANPA 1312 wire transmissions.

Each item gives its headline, byline, date, language, subjects or keywords (as tags), provider
(as source) and the paragraphs of its body; the dateline is kept as ``dateline``. A NewsML-G2
package (links to items, no text) and items that are not text (pictures) are Skipped. Wire
transmissions carry no year in their dates, so they give none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError, fromstring

from ..errors import ReadError
from ..model import Article, build
from ..normalize import clean_body, clean_line, repair_mojibake, split_names
from .encoding import decode
from .markup import element_text, html_text, local, paragraphs, without_headline, xml_records
from .protocol import CHUNK, MAX_RECORD, Item, ReadOptions, RecordError, Skipped

_ITEMS = {"nitf", "newsItem", "packageItem", "NewsItem"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BASIC_ISO = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)?(Z|[+-]\d\d:?\d\d)?$")
_AGENCY_DATELINE = re.compile(r"^[^()\n]{2,80}\((?P<agency>[A-Za-z][\w .&/-]{0,30})\)\s*[-_—–]")


def read_xml(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[Item]:
    """Yield the items of an NITF, NewsML-G2 or NewsML 1.x file (a message of many items, or one)."""
    number = 0
    for element in xml_records(stream, _ITEMS):
        if isinstance(element, RecordError):
            yield element
            continue
        number += 1
        kind = local(element.tag)
        reader = {"nitf": _nitf, "NewsItem": _newsml_1}.get(kind, _newsml_g2)
        try:
            yield reader(element, f"{path}#{number}", number - 1)
        except ValueError as error:
            yield RecordError(f"item {number}: {error}")
    if not number:
        raise ReadError("no news item in this XML (a fragment of one, or another format)")


def _find(element: Element | None, *names: str) -> Element | None:
    """The first descendant with one of these local names (in the order given)."""
    if element is None:
        return None
    for name in names:
        for node in element.iter():
            if isinstance(node.tag, str) and local(node.tag) == name:
                return node
    return None


def _all(element: Element, name: str) -> list[Element]:
    return [node for node in element.iter() if isinstance(node.tag, str) and local(node.tag) == name]


def _date(value: str | None) -> str | None:
    """A date as agencies write it; the basic ISO form (20140829T134951+0000) made extended."""
    if not value:
        return None
    value = value.strip()
    found = _BASIC_ISO.match(value)
    if found:
        year, month, day, hour, minute, second, zone = found.groups()
        value = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{zone or ''}"
    return value


def _nitf(nitf: Element, path: str, position: int) -> Article:
    title = element_text(_find(nitf, "hl1")) or element_text(_find(nitf, "title"))
    byline = _find(nitf, "byline")
    author = element_text(byline)
    byttl = element_text(_find(byline, "byttl"))
    if byttl:
        author = author.replace(byttl, "").strip()
    date = _find(nitf, "date.issue", "date.release")
    published = _find(nitf, "pubdata")
    copyright = _find(nitf, "doc.copyright")
    body = repair_mojibake(paragraphs(_find(nitf, "body.content")))
    dateline = _find(nitf, "dateline")
    return build(
        path,
        position=position,
        title=repair_mojibake(title),
        body=body,
        published=_date(date.get("norm") if date is not None else published.get("date.publication") if published is not None else None),
        authors=split_names(author) if author else [],
        source=(copyright.get("holder") if copyright is not None else None) or element_text(_find(nitf, "distributor")) or _agency(body),
        language=nitf.get("baselang") or nitf.get(_XML_LANG),
        tags=[key.get("key", "") for key in _all(nitf, "keyword")],
        extra=_dateline(element_text(_find(dateline, "location")) or _own_text(dateline)),
    )


def _newsml_g2(item: Element, path: str, position: int) -> Item:
    if local(item.tag) == "packageItem":
        return Skipped("a NewsML-G2 package: it links to its items and holds no text")
    item_class = _find(item, "itemClass")
    kind = item_class.get("qcode", "") if item_class is not None else ""
    if kind and not kind.endswith(":text"):
        return Skipped(f"not a text item ({kind})")
    meta = _find(item, "contentMeta")
    item_meta = _find(item, "itemMeta")
    headline = element_text(_find(meta, "headline"))
    language = _find(meta, "language")
    provider = _find(item_meta, "provider")
    holder = _find(item, "copyrightHolder")
    source = _name(provider) or _name(holder) or element_text(_find(meta, "creditline"))
    tags = [_name(subject) for subject in _all(meta, "subject")] if meta is not None else []
    tags += [element_text(keyword) for keyword in _all(meta, "keyword")] if meta is not None else []
    by = element_text(_find(meta, "by")) or _name(_find(meta, "creator"))
    return build(
        path,
        position=position,
        title=headline,
        body=_g2_body(item),
        published=_date(element_text(_find(item_meta, "firstCreated")) or element_text(_find(meta, "contentCreated"))
                        or element_text(_find(item_meta, "versionCreated"))),
        authors=split_names(by) if by else [],
        source=source or None,
        language=(language.get("tag") if language is not None else None) or item.get(_XML_LANG),
        tags=[tag for tag in tags if len(tag) > 1],
        extra=_dateline(element_text(_find(meta, "dateline"))),
    )


def _name(element: Element | None) -> str:
    """A NewsML-G2 concept's name (a ``name`` child, else its ``literal``)."""
    if element is None:
        return ""
    for child in element:
        if isinstance(child.tag, str) and local(child.tag) == "name":
            return element_text(child)
    return element.get("literal", "")


def _g2_body(item: Element) -> str:
    inline = _find(item, "inlineXML")
    if inline is not None:
        content = _find(inline, "body.content", "body")
        return paragraphs(content if content is not None else inline)
    data = _find(item, "inlineData")
    text = "".join(data.itertext()) if data is not None else ""
    return html_text(text) if "<" in text else clean_body(text)


def _newsml_1(item: Element, path: str, position: int) -> Article:
    lines = _find(item, "NewsLines")
    management = _find(item, "NewsManagement")
    party = _find(_find(item, "Provider", "Source"), "Party")
    language = _find(item, "Language")
    content = _find(item, "DataContent")
    inner = _find(content, "body.content", "body") if content is not None else None
    body = paragraphs(inner) if inner is not None else paragraphs(content)
    by = element_text(_find(lines, "ByLine"))
    return build(
        path,
        position=position,
        title=element_text(_find(lines, "HeadLine")),
        body=body,
        published=_date(element_text(_find(management, "FirstCreated")) or element_text(_find(management, "ThisRevisionCreated"))),
        authors=split_names(by) if by else [],
        source=(party.get("FormalName") if party is not None else None) or element_text(_find(item, "ProviderId")) or None,
        language=item.get(_XML_LANG) or (language.get("FormalName") if language is not None else None),
        extra=_dateline(element_text(_find(lines, "DateLine"))),
    )


def _own_text(element: Element | None) -> str:
    """An element's text without that of its children (a dateline without its story.date)."""
    return (element.text or "") + "".join(child.tail or "" for child in element) if element is not None else ""


def _dateline(text: str) -> dict[str, str]:
    text = clean_line(text).rstrip(" -–—")
    return {"dateline": text} if text else {}


def _agency(body: str) -> str | None:
    """The agency a wire story's dateline names: "BERLIN (AP) — ..." -> "AP"."""
    found = _AGENCY_DATELINE.match(body)
    return found.group("agency").strip() if found else None


def ninjs(item: dict[str, Any], path: str, position: int) -> Article:
    """A ninjs item (1.x, 2.x and 3.0 key styles) as an article."""

    def text(*keys: str) -> str:
        for key in keys:
            value = item.get(key)
            if isinstance(value, str) and value.strip():
                return value
        return ""

    headlines = item.get("headlines") if isinstance(item.get("headlines"), list) else []
    title = text("headline") or next((h["value"] for h in headlines if isinstance(h, dict) and isinstance(h.get("value"), str)), "")
    subjects = item.get("subject") or item.get("subjects") or []
    tags = [s["name"] for s in subjects if isinstance(s, dict) and isinstance(s.get("name"), str)] if isinstance(subjects, list) else []
    uri = text("uri")
    descriptions = item.get("descriptions") if isinstance(item.get("descriptions"), list) else []
    description = text("description_text") or next(
        (d["value"] for d in descriptions if isinstance(d, dict) and isinstance(d.get("value"), str)), "")
    body = without_headline(_ninjs_body(item), title)
    return build(
        path,
        position=position,
        title=title,
        body=body,
        url=uri if uri.startswith(("http://", "https://")) else None,
        published=text("firstcreated", "firstCreated", "contentcreated", "contentCreated", "versioncreated", "versionCreated") or None,
        authors=split_names(text("byline", "by")) if text("byline", "by") else [],
        source=text("copyrightholder", "copyrightHolder", "source") or (urlsplit(uri).hostname if uri.startswith("http") else None) or _agency(body),
        language=text("language") or None,
        tags=tags,
        extra={"description": clean_line(html_text(description))} if description else {},
    )


def _ninjs_body(item: dict[str, Any]) -> str:
    """One rendition of the body (HTML, else plain text, else NITF): several are never joined."""
    if isinstance(item.get("body_html"), str):
        return html_text(item["body_html"])
    if isinstance(item.get("body_text"), str):
        return clean_body(item["body_text"])
    bodies = [b for b in item.get("bodies") or [] if isinstance(b, dict) and isinstance(b.get("value"), str)] if isinstance(item.get("bodies"), list) else []
    kinds = {str(b.get("contentType") or b.get("contenttype") or "").lower(): b["value"] for b in reversed(bodies)}
    for kind, value in kinds.items():
        if "html" in kind:
            return html_text(value)
    if "text/plain" in kinds:
        return clean_body(kinds["text/plain"])
    for kind, value in kinds.items():
        if "nitf" in kind or "xml" in kind:
            return _nitf_string(value)
    return ""


def _nitf_string(value: str) -> str:
    """The body paragraphs of NITF (or XHTML) held in a JSON string."""
    if "<!ENTITY" in value:
        return ""
    try:
        root = fromstring(value)
    except ParseError:
        return html_text(value)
    return paragraphs(_find(root, "body.content", "body") if _find(root, "body.content", "body") is not None else root)


def read_wire(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[Item]:
    """Yield the stories of an IPTC 7901 or ANPA 1312 transmission (SOH header, STX text, ETX)."""
    number = 0
    for message in _messages(stream):
        if message is None:
            number += 1
            yield RecordError(f"story {number}: too large to be one story (over {MAX_RECORD >> 20} MiB)")
            continue
        header, stx, text = message.partition(b"\x02")
        if not stx:
            continue
        number += 1
        try:
            yield _wire_story(decode(text.lstrip(b"\x02")), f"{path}#{number}", number - 1)
        except ValueError as error:
            yield RecordError(f"story {number}: {error}")
    if not number:
        raise ReadError("no story in this wire transmission (no STX)")


def _messages(stream: BinaryIO) -> Iterator[bytes | None]:
    """Each message up to its ETX (None for one over ``MAX_RECORD``, dropped as it comes)."""
    buffer, skipping = b"", False
    while chunk := stream.read(CHUNK):
        parts = (buffer + chunk).split(b"\x03")
        buffer = parts.pop()
        for part in parts:
            yield None if skipping else part
            skipping = False
        if len(buffer) > MAX_RECORD:
            buffer, skipping = b"", True
    if buffer.strip(b"\r\n\x04\x0c\x16 ") and not skipping:
        yield buffer


def _wire_story(text: str, path: str, position: int) -> Article:
    lines = text.replace("\r", "").split("\n")
    title, authors, body_lines = "", [], []
    marked = [line for line in lines if line.startswith("^")]
    for line in marked:  # ANPA: "^" lines are the header (slug, headline, notes, byline ending "=")
        value = line[1:].rstrip("<= ").strip()
        if line.rstrip().endswith("=") and value.lower().startswith("by "):
            authors = split_names(value)
        elif not title and not re.match(r"[A-Z]{1,3}-", value) and not value.startswith(("AP Photo", "Eds:")):
            title = value
    unmarked = [line for line in lines if not line.startswith("^")]
    if not marked:  # IPTC 7901: the first line is the headline
        while unmarked and not unmarked[0].strip():
            unmarked.pop(0)
        title = unmarked.pop(0).rstrip("<= ").strip() if unmarked else ""
    paragraph: list[str] = []
    for line in unmarked:
        if line.startswith("#"):
            continue
        if not line.strip() or line[:1] in " \t":
            if paragraph:
                body_lines.append(" ".join(paragraph))
            paragraph = []
        if line.strip():
            paragraph.append(line.strip().rstrip("<").strip())
    if paragraph:
        body_lines.append(" ".join(paragraph))
    body = "\n\n".join(body_lines)
    return build(path, position=position, title=title, body=body, authors=authors, source=_agency(body))
