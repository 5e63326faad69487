"""WordPress eXtended RSS (WXR), a WordPress site's own export: one article per published post.

A post gives its title, link, author (``dc:creator``), date (``wp:post_date_gmt``, else
``pubDate``), categories (the first as section) and tags, and its body (``content:encoded``:
HTML, or text whose paragraphs WordPress only adds when rendering: blank lines). Attachments,
pages and drafts are Skipped; WordPress shortcodes (``[caption]``) are dropped, their text kept.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element

from ..errors import ReadError
from ..model import build
from .markup import element_text, html_text, local, xml_records
from .protocol import Item, ReadOptions, RecordError, Skipped, language_code

_UNPUBLISHED = {"draft", "auto-draft", "pending", "private", "trash"}
_SHORTCODE = re.compile(r"\[/?[a-z_][\w-]*(?:\s[^\]]*)?\]")  # [caption id="..."], [/dropcap]: markup, not text


def read_stream(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[Item]:
    """Yield the posts of a WXR export, an item at a time."""
    number = 0
    channel: dict[str, str] = {}
    for element in xml_records(stream, {"item", "language", "title"}):
        if isinstance(element, RecordError):
            yield element
            continue
        name = local(element.tag)
        if name != "item":
            channel.setdefault(name, element_text(element))
            continue
        number += 1
        try:
            yield _post(element, channel, f"{path}#{number}", number - 1)
        except ValueError as error:
            yield RecordError(f"item {number}: {error}")
    if not number:
        raise ReadError("no items in this WordPress export")


def _post(item: Element, channel: dict[str, str], path: str, position: int) -> Item:
    fields: dict[str, str] = {}
    categories: list[tuple[str, str]] = []
    for child in item:
        name = local(child.tag) if isinstance(child.tag, str) else ""
        if name == "category":
            categories.append((child.get("domain", "category"), html.unescape(element_text(child))))
        elif name == "encoded" and "excerpt" in child.tag:
            fields["excerpt"] = "".join(child.itertext())
        else:
            fields.setdefault(name, "".join(child.itertext()))
    kind, status = fields.get("post_type", "post"), fields.get("status", "publish")
    if kind != "post":
        return Skipped(f"not a post ({kind})")
    if status in _UNPUBLISHED:
        return Skipped(f"not published ({status})")
    gmt = fields.get("post_date_gmt", "").strip()
    link = fields.get("link", "").strip()
    sections = [value for domain, value in categories if domain == "category" and value]
    return build(
        path,
        position=position,
        title=fields.get("title", ""),
        body=html_text(_SHORTCODE.sub("", fields.get("encoded", ""))),
        url=link if link.startswith(("http://", "https://")) else None,
        published=f"{gmt}Z" if gmt and not gmt.startswith("0000") else fields.get("pubDate"),
        authors=[fields["creator"]] if fields.get("creator", "").strip() else [],
        section=sections[0] if sections else None,
        tags=[value for domain, value in categories if domain == "post_tag" and value],
        source=channel.get("title") or None,
        language=language_code(channel.get("language")),
        extra={"description": html_text(fields["excerpt"])} if fields.get("excerpt", "").strip() else {},
    )
