"""The fields of an indexed article, declared once for every backend: what is searched, with
what weight, what a query may name, what can be counted and filtered."""

from __future__ import annotations

from .model import Article

# Full-text fields searched when a query names no field, with their weights.
DEFAULT_FIELDS = {"title": 2.5, "body": 1.0, "tags": 1.5, "related": 0.5, "comments": 0.5}
# Full-text fields of names, searched only when named, and not stemmed.
NAME_FIELDS = ("authors", "section", "source")
# The first letters of the body's words (``analysis.PREFIX_CHARS``): evidence for a query word
# that counts when it beats the word's own, weighted as the body.
PREFIX_FIELD = "prefix"
# Fields whose text can carry a snippet, in order of preference.
SNIPPET_FIELDS = ("body", "comments", "related")
# Names a user may write in a query, mapped to the field they mean.
ALIASES = {
    "tag": "tags",
    "author": "authors",
    "headline": "title",
    "comment": "comments",
    "language": "lang",
    "date": "published",
}
# Facets: the name a user gives and the record key it counts.
FACETS = {
    "tag": "tags",
    "author": "authors",
    "section": "section",
    "source": "source",
    "place": "places",
    "person": "people",
    "org": "orgs",
    "exchange": "exchanges",
    "lang": "language",
}
# Dates: when the publisher says an article was published, and when a crawler captured it
# (never a publication date, but "what did we capture that week" is a question users ask).
DATE_FIELDS = ("published", "crawled")
# Facets over dates: every bucket of the hits, in time order, keyed by this many characters of
# the ISO date of this field.
DATE_FACETS = {"year": ("published", 4), "month": ("published", 7), "day": ("published", 10),
               "crawled": ("crawled", 10)}
# Fields a query may name (the others are internal).
QUERY_FIELDS = ("title", "body", "related", "comments", "tags", "authors", "section", "source", "lang", "published",
                "crawled", "id")
_ARTICLE_KEYS = {"tags", "authors", "section", "source", "language"}


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


def facet_values(article: Article, facet: str) -> list[str]:
    """The values an article has for a facet (``tag``, ``place``, ...); reader keys live in ``extra``."""
    key = FACETS[facet]
    value = getattr(article, key) if key in _ARTICLE_KEYS else article.extra.get(key)
    if isinstance(value, str):
        return [value] if value else []
    return [v for v in value or [] if isinstance(v, str) and v]
