"""Markup inside records: HTML fragments as paragraphs, and XML read a record at a time, safely.

XML comes from outside: a document that declares entities (the "billion laughs" expansion, or
external entities that name local files) is refused before parsing, as defusedxml does; expat
never fetches anything.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from ..errors import ReadError
from ..normalize import clean_body
from .protocol import CHUNK, MAX_RECORD, RecordError

_BLOCK = re.compile(
    r"<(?:/?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|tr|table|section|article|figure|figcaption|header|footer|dd|dt)"
    r"|hr)\b[^>]*>",
    re.I,
)
_BREAK = re.compile(r"<br\b[^>]*>", re.I)
_SCRIPT = re.compile(r"<(script|style|template|head)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_ROOT = re.compile(rb"<[^?!]")
_NOT_TEXT = {"header", "footer", "figure", "figcaption", "aside", "nav", "script", "style", "media", "byline", "dateline"}


def html_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed item's content, an e-mail part) as paragraphs."""
    text = _SCRIPT.sub(" ", fragment)
    text = _BREAK.sub("\n", _BLOCK.sub("\n\n", text))
    return clean_body(html.unescape(_TAG.sub("", text)))


def without_headline(body: str, title: str) -> str:
    """A body without a first paragraph that only repeats the headline (an HTML body's ``<h1>``)."""
    first, _, rest = body.partition("\n\n")
    return rest if title and first.strip() == title.strip() else body


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]


def element_text(element: Element | None) -> str:
    """The text of an element and its descendants, tags removed."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def paragraphs(element: Element | None, names: Iterable[str] = ("p", "hl2", "li", "pre")) -> str:
    """The text of an element's paragraphs (by local name), one blank line apart, leaving out
    headers, footers and figures; its whole text when it holds no paragraph. Text that is
    itself escaped HTML ("&lt;P&gt;...") is read as HTML."""
    if element is None:
        return ""
    wanted = set(names)
    found, stack = [], [element]
    while stack:
        node = stack.pop()
        name = local(node.tag) if isinstance(node.tag, str) else ""
        if name in _NOT_TEXT:
            continue
        if name in wanted:
            found.append(element_text(node))
        else:
            stack.extend(reversed(node))
    text = "\n\n".join(part for part in found if part) or "".join(element.itertext())
    return html_text(text) if _TAG.search(text) else clean_body(text)


def xml_records(stream: BinaryIO, names: set[str]) -> Iterator[Element | RecordError]:
    """Each element whose local name is in ``names`` (the outermost ones), complete, as the stream
    is parsed; its memory is freed once the caller moves on. Broken XML ends the stream with a
    RecordError (the records before it stand); ReadError when it is broken before the first."""
    parser = XMLPullParser(events=("start", "end"))
    stack: list[Element] = []
    depth_in_record = 0
    fed_in_record = 0
    started = False
    found = 0
    try:
        while chunk := stream.read(CHUNK):
            if not started:
                root = _ROOT.search(chunk)
                if b"<!ENTITY" in (chunk[:root.start()] if root else chunk):
                    raise ReadError("XML that declares entities is refused (entity expansion is unsafe)")
                started = root is not None
            parser.feed(chunk)
            fed_in_record += len(chunk) if depth_in_record else 0
            if fed_in_record > MAX_RECORD:
                yield RecordError(f"record {found + 1}: too large to be one record (over {MAX_RECORD >> 20} MiB)")
                return
            for event, element in parser.read_events():
                if event == "start":
                    if depth_in_record or local(element.tag) in names:
                        depth_in_record += 1
                    stack.append(element)
                    continue
                stack.pop()
                if depth_in_record:
                    depth_in_record -= 1
                    if not depth_in_record:
                        found += 1
                        fed_in_record = 0
                        yield element
                        element.clear()
                        if stack:
                            stack[-1].remove(element)
        parser.close()
    except (ParseError, LookupError) as error:  # LookupError: an encoding expat does not know
        if not found:
            raise ReadError(f"broken XML ({error})") from None
        yield RecordError(f"broken XML after record {found} ({error}); the records before it were read")
