"""The index's fields and analyzers, declared once, and how an Article becomes a document."""

from __future__ import annotations

from datetime import datetime

import orjson
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from ..dates import to_datetime
from ..model import Article

# Bumped whenever a change to the fields or analyzers makes older indexes unreadable or wrong.
SCHEMA_VERSION = 1

# Full-text fields searched when a query names no field, with their weights.
DEFAULT_FIELDS = {"title": 3.0, "body": 1.0, "tags": 1.5, "related": 0.7, "comments": 0.5}
# Fields whose text can carry a snippet, in order of preference.
SNIPPET_FIELDS = ("body", "comments", "related")
# Names a user may write in a query, mapped to the field they mean.
ALIASES = {
    "tag": "tags",
    "author": "authors",
    "headline": "title",
    "comment": "comments",
    "related_headlines": "related",
    "language": "lang",
    "date": "published",
}
# Fields a query may name (the others are internal).
QUERY_FIELDS = ("title", "body", "related", "comments", "tags", "authors", "section", "source", "lang", "published", "id")

_TOKENS = r"\w+(?:[.'’]\w+)*"


def build_schema() -> Schema:
    """The Whoosh schema of a searchkit index."""
    words = RegexTokenizer(_TOKENS) | LowercaseFilter() | StemFilter()
    names = RegexTokenizer(_TOKENS) | LowercaseFilter()

    def text(analyzer=words) -> TEXT:
        return TEXT(analyzer=analyzer, multitoken_query="phrase")

    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=text(),
        body=text(),
        related=text(),
        comments=text(),
        tags=text(),
        authors=text(names),
        section=text(names),
        source=text(names),
        lang=ID(),
        published=DATETIME(sortable=True),
        file=ID(sortable=True),
        file_hash=ID(sortable=True),
        record=STORED(),
    )


def field_texts(article: Article) -> dict[str, str]:
    """The text of each full-text field, as indexed (and as snippets are cut from)."""
    return {
        "title": article.title,
        "body": article.body,
        "related": "\n".join(article.related_headlines),
        "comments": "\n".join(comment.text for comment in article.comments),
        "tags": "\n".join(article.tags),
        "authors": "\n".join(article.authors),
        "section": article.section or "",
        "source": article.source or "",
    }


def to_document(article: Article, file: str, file_hash: str) -> dict:
    """The Whoosh document for an article read from ``file`` (whose content hash is ``file_hash``)."""
    document = {key: value for key, value in field_texts(article).items() if value}
    document.update(
        id=article.id,
        file=file,
        file_hash=file_hash,
        record=orjson.dumps(article.to_dict()),
    )
    if article.language:
        document["lang"] = article.language
    if article.published:
        document["published"] = published_datetime(article.published)
    return document


def published_datetime(iso: str) -> datetime:
    """The naive UTC datetime the index stores for an ISO date."""
    return to_datetime(iso).replace(tzinfo=None)


def from_record(data: bytes) -> Article:
    """The Article stored with a document."""
    return Article.from_dict(orjson.loads(data))
