"""Syndication feeds: RSS 0.9x/1.0/2.0 and Atom (with feedparser), and JSON Feed: one article per item.

An item gives its title, link, date, authors, categories (as tags) and body (``content:encoded``
or the fullest content, else the summary), its HTML turned into paragraphs. The source is the
host of the feed's own link; the language is the item's or the feed's when it is a language
code (Korea Times declares "US").
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import ReadError
from ..model import Article, build
from .markup import html_text
from .protocol import Item, RecordError, language_code

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_ROOT = re.compile(rb"<[^?!]")


def read(data: bytes, path: str) -> Iterator[Item]:
    """Yield the items of an RSS or Atom feed (or a JSON Feed) as articles."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        from .jsonl import read as read_json

        yield from read_json(data, path)
        return
    root = _ROOT.search(data)
    if _ENTITY_DECLARATION.search(data, 0, root.start() if root else len(data)):
        raise ReadError("XML that declares entities is refused (entity expansion is unsafe)")
    import feedparser

    try:
        feed = feedparser.parse(io.BytesIO(data))
    except Exception as error:  # feedparser is lenient, but raises assorted errors on some broken bytes
        raise ReadError(f"cannot read this feed ({type(error).__name__})") from None
    if not feed.entries:
        problem = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        raise ReadError(f"a feed without items{problem}")
    home = feed.feed.get("link") or ""
    source = urlsplit(home).hostname if home.startswith("http") else None
    for number, entry in enumerate(feed.entries, start=1):
        try:
            yield _entry(entry, feed.feed, home, source, f"{path}#{number}", number - 1)
        except ValueError as error:
            yield RecordError(f"item {number}: {error}")


def _entry(entry: Any, channel: Any, home: str, source: str | None, path: str, position: int) -> Article:
    contents = [part.get("value") or "" for part in entry.get("content", [])]
    body = max(contents, key=len, default="") or entry.get("summary") or ""
    link = entry.get("link") or ""
    if link and not link.startswith(("http://", "https://")) and home.startswith("http"):
        link = urljoin(home, link)
    language = (entry.get("title_detail") or {}).get("language") or channel.get("language")
    title = entry.get("title") or ""
    if (entry.get("title_detail") or {}).get("type") == "text/html":
        title = html_text(title)
    return build(
        path,
        position=position,
        title=title,
        body=html_text(body),
        url=link if link.startswith(("http://", "https://")) else None,
        published=entry.get("published") or entry.get("updated") or entry.get("created"),
        authors=[author["name"] for author in entry.get("authors", []) if author.get("name")],
        tags=[tag.get("term") or tag.get("label") for tag in entry.get("tags", []) if tag.get("term") or tag.get("label")],
        source=source,
        language=language_code(language),
    )


def json_feed(document: dict[str, Any], path: str) -> Iterator[Item]:
    """The items of a JSON Feed (version 1 or 1.1) as articles."""
    home = document.get("home_page_url") if isinstance(document.get("home_page_url"), str) else ""
    source = urlsplit(home).hostname if home.startswith("http") else None
    for number, item in enumerate(document["items"], start=1):
        try:
            if not isinstance(item, dict):
                raise ValueError("an item must be an object")
            yield _json_item(item, document, source, f"{path}#{number}", number - 1)
        except (ValueError, TypeError) as error:
            yield RecordError(f"item {number}: {error}")


def _json_item(item: dict[str, Any], feed: dict[str, Any], source: str | None, path: str, position: int) -> Article:
    def text(key: str, data: dict[str, Any] = item) -> str:
        value = data.get(key)
        return value if isinstance(value, str) else ""

    people = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    body = html_text(text("content_html")) if text("content_html") else text("content_text")
    return build(
        path,
        position=position,
        title=text("title"),
        body=body or text("summary"),
        url=text("url") or text("external_url") or None,
        published=text("date_published") or text("date_modified") or None,
        authors=[person["name"] for person in people if isinstance(person, dict) and isinstance(person.get("name"), str)],
        tags=[tag for tag in tags if isinstance(tag, str)],
        source=source,
        language=language_code(text("language") or text("language", feed)),
    )
