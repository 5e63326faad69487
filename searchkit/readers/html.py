"""Saved news pages (HTML), read with selectolax's lexbor parser.

Metadata comes from ``page_metadata``, dates from ``html_dates``, reader comments from
``comments``, the article's text from ``html_body`` and related headlines from ``related``;
captions are read from their own elements. A page whose text is only in a script payload (Next.js and kin) gives the
paragraphs of that payload.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import orjson
from selectolax.lexbor import LexborHTMLParser

from ..errors import ReadError
from ..model import Article, build
from ..normalize import clean_line
from . import comments as page_comments
from . import html_body, html_dates
from .encoding import decode
from .nesting import bounded
from .page_metadata import PageMetadata
from .related import related

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
# A refresh that sends the browser to another address at once ("0;URL=...").
_AT_ONCE = re.compile(r"\s*0*(?:\.0*)?\s*[;,]\s*url\s*=", re.I)
# A long JSON string literal holding HTML paragraphs, escaped or not.
_HTML_STRING = re.compile(r'"((?:[^"\\]|\\.){0,200000}?(?:\\\\u003c|\\u003c|<)p[ >\\](?:[^"\\]|\\.){200,})"')


def read(data: bytes, path: str) -> Iterator[Article]:
    """Yield the article of a saved HTML page."""
    data = bounded(data)
    declared = _CHARSET.search(data[:4096])
    text = decode(data, declared.group(1).decode("ascii", "replace") if declared else None)
    try:
        tree = LexborHTMLParser(text)
    except Exception as error:  # selectolax raises assorted errors on input it cannot take
        raise ReadError(f"cannot parse HTML ({type(error).__name__})") from None
    if tree.body is None and tree.head is None:
        raise ReadError("no HTML document found")
    meta = PageMetadata(tree)
    # (before the body is cut out of the tree: a dateline is page furniture to the body search)
    published = meta.published or html_dates.dateline(tree) or html_dates.searched(text)
    comments, comment_items = page_comments.comments(tree)
    labels = html_body.labels(tree)
    captions = _unique(node.text(separator=" ") for node in tree.css("figcaption, [class*=caption]"))
    found = html_body.body(tree, labels, comment_items)
    headlines = related(labels, found, meta.url, meta.title)
    if not found.paragraphs and meta.body:
        body = meta.body
    else:
        body = "\n\n".join(found.paragraphs or _scripted_paragraphs(text))
    if len(body) < html_body.SHORT and _redirects(tree):
        body = ""  # a notice for browsers that do not follow ("Please visit our website at ...")
    yield build(
        path,
        url=meta.url,
        title=meta.title,
        body=body,
        published=published,
        authors=meta.authors,
        section=meta.section,
        tags=meta.tags,
        source=meta.source,
        language=meta.language,
        related_headlines=headlines,
        image_captions=captions,
        comments=comments,
    )


def _redirects(tree: LexborHTMLParser) -> bool:
    """True for a page that sends the browser on to another address at once."""
    return any(_AT_ONCE.match(node.attributes.get("content") or "") for node in tree.css("meta[http-equiv]")
               if (node.attributes.get("http-equiv") or "").casefold() == "refresh")


def _scripted_paragraphs(page: str) -> list[str]:
    """For pages that render the article from a script payload (Next.js and kin): the paragraphs
    of the JSON string holding the most paragraph text. (The page is parsed again for its scripts,
    which the body search has removed: rare pages pay for this, not every page.)"""
    best: list[str] = []
    for script in LexborHTMLParser(page).css("script:not([src])"):
        for literal in _HTML_STRING.findall(script.text()):
            text = literal
            for _ in range(2):  # payloads are often JSON inside a JavaScript string
                try:
                    text = orjson.loads(f'"{text}"')
                except orjson.JSONDecodeError:
                    break
                if "\\u003c" not in text and '\\"' not in text:
                    break
            fragment = LexborHTMLParser(text)
            blocks = html_body.text_blocks(fragment.body).blocks if fragment.body is not None else []
            found = [block.text for block in blocks if block.weight()]
            if sum(map(len, found)) > sum(map(len, best)):
                best = found
    return best


def _unique(values) -> list[str]:
    seen, result = set(), []
    for value in values:
        value = clean_line(value or "")
        if value and value not in seen:
            seen.add(value)
            result.append(value)
    return result
