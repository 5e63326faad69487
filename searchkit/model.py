"""The article record (``ARTICLE.md``): what every reader yields and every later stage consumes."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, fields
from typing import Any

from .dates import parse_date
from .languages import article_language
from .normalize import clean_body, clean_line, unique


@dataclass(slots=True)
class Comment:
    """One reader comment, in page order."""

    text: str
    author: str | None = None
    reply_to: str | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"author": self.author, "reply_to": self.reply_to, "published": self.published, "text": self.text}


@dataclass(slots=True)
class Article:
    """One news article. Keys and meanings are those of ``ARTICLE.md``; ``extra`` holds a reader's own keys."""

    id: str
    path: str
    title: str = ""
    body: str = ""
    url: str | None = None
    source: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    crawled: str | None = None
    related_headlines: list[str] = field(default_factory=list)
    image_captions: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data, keys in ``ARTICLE.md`` order, reader keys last."""
        record = {key: getattr(self, key) for key in _KEYS}
        record["comments"] = [comment.to_dict() for comment in self.comments]
        record.update(self.extra)
        return record

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Read a record back (as written by :meth:`to_dict`); raises ValueError on a malformed one."""
        if not isinstance(data, dict):
            raise ValueError("a record must be a JSON object")
        if not isinstance(data.get("path"), str) or not data["path"]:
            raise ValueError("a record needs a 'path' string")
        comments = []
        for item in _list(data, "comments", dict):
            comments.append(
                Comment(
                    text=_text(item, "text") or "",
                    author=_text(item, "author"),
                    reply_to=_text(item, "reply_to"),
                    published=_text(item, "published"),
                )
            )
        extra = {key: value for key, value in data.items() if key not in _KEYS}
        for key, value in extra.items():
            if key in _LIST_KEYS:
                _list(extra, key, str)
            elif _depth(value) > MAX_NESTING:
                raise ValueError(f"'{key}' is nested more than {MAX_NESTING} levels deep")
        return build(
            path=data["path"],
            id=_text(data, "id"),
            title=_text(data, "title") or "",
            body=_text(data, "body") or "",
            url=_text(data, "url"),
            source=_text(data, "source"),
            published=_text(data, "published"),
            authors=_list(data, "authors", str),
            section=_text(data, "section"),
            tags=_list(data, "tags", str),
            language=data["language"] if isinstance(data.get("language"), str) else None,  # else not declared
            crawled=_text(data, "crawled"),
            related_headlines=_list(data, "related_headlines", str),
            image_captions=_list(data, "image_captions", str),
            comments=comments,
            extra=extra,
        )


_KEYS = [f.name for f in fields(Article) if f.name != "extra"]
# Reader keys the index counts as facets: lists of strings when present.
_LIST_KEYS = {"places", "people", "orgs", "exchanges"}
MAX_NESTING = 64  # levels of lists and objects in a reader key's value


def from_stored(data: dict[str, Any]) -> Article:
    """An Article from a record this package wrote itself (already clean: no checks, no normalising)."""
    known = {key: data[key] for key in _KEYS if key in data}
    known["comments"] = [Comment(**comment) for comment in data.get("comments", [])]
    return Article(**known, extra={key: value for key, value in data.items() if key not in _KEYS})


def build(
    path: str,
    *,
    id: str | None = None,
    position: int = 0,
    title: str = "",
    body: str = "",
    url: str | None = None,
    source: str | None = None,
    published: str | int | float | None = None,
    authors: list[str] | None = None,
    section: str | None = None,
    tags: list[str] | None = None,
    language: str | None = None,
    crawled: str | None = None,
    related_headlines: list[str] | None = None,
    image_captions: list[str] | None = None,
    comments: list[Comment] | None = None,
    extra: dict[str, Any] | None = None,
) -> Article:
    """Make a normalised Article; readers call this rather than the constructor.

    Text is cleaned once here, the dates are turned into ISO 8601, and the id is derived from the
    URL when there is one, else from the path (as given: indexing gives a path relative to the
    folder above the one indexed, so ids survive the archive moving) and the record's position
    in the file (its number after ``#``, else ``position`` counted from 0). The language is the
    declared one as an ISO 639-1 code unless the text contradicts it, else the one detected
    (``languages.article_language``). ``crawled`` is when a crawler captured the page (a WARC
    record's date), never the publication date. ValueError for a date no calendar holds.
    """
    url = _optional(url)
    published = _date(published, "published")
    crawled = _date(crawled, "crawled")
    if not id:
        file, _, record = path.partition("#")  # "file#N" names the N-th record of a file
        key = url or f"{os.path.normpath(file)}#{record or position + 1}"
        id = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    title = clean_line(title or "")
    body = clean_body(body or "")
    return Article(
        id=clean_line(id),
        path=path,
        title=title,
        body=body,
        url=url,
        source=_optional(source),
        published=published,
        authors=unique(authors or []),
        section=_optional(section),
        tags=unique(tags or []),
        language=article_language(_optional(language), title, body),
        crawled=crawled,
        related_headlines=unique(related_headlines or []),
        image_captions=unique(image_captions or []),
        comments=[_clean_comment(c) for c in comments or [] if clean_line(c.text)],
        extra=extra or {},
    )


def _clean_comment(comment: Comment) -> Comment:
    return Comment(
        text=clean_line(comment.text),
        author=_optional(comment.author),
        reply_to=_optional(comment.reply_to),
        published=_date(comment.published, "published"),
    )


def _date(value: str | int | float | None, key: str) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except (OverflowError, ValueError):
        raise ValueError(f"'{key}' is not a date any calendar holds") from None


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a value (counted without recursion)."""
    deepest, level = 0, [(value, 1)]
    while level:
        item, depth = level.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if depth > MAX_NESTING:
                break
            level.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _optional(value: str | None) -> str | None:
    return clean_line(value) or None if value is not None else None


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string, not {type(value).__name__}")
    return value


def _list(data: dict[str, Any], key: str, kind: type) -> list:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, kind) for item in value):
        raise ValueError(f"'{key}' must be a list of {'objects' if kind is dict else 'strings'}")
    return value
