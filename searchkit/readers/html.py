"""Saved news pages (HTML), read with selectolax's lexbor parser.

Metadata comes from where pages keep it, best source first: JSON-LD (NewsArticle and kin, in
``@graph`` and lists too), OpenGraph and ``article:*`` meta, other ``<meta>`` names, microdata,
``<time datetime>``, ``<link rel=canonical>`` and ``<html lang>``. The body is the text of the
container holding the most paragraph text (``itemprop=articleBody``, ``article``, ``main`` and
common content class names are tried first), after page furniture (navigation, share bars,
newsletter boxes, related links, comments) is set aside; related headlines, captions and reader
comments are read from their own elements.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import ReadError
from ..model import Article, Comment, build
from ..normalize import clean_line, split_names
from .encoding import decode

MAX_DEPTH = 2000
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting", "webpage"}
_TAG = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
_VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source", b"track", b"wbr",
         b"p", b"li", b"option", b"td", b"tr", b"th", b"dt", b"dd"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
# Furniture words, matched as whole parts of class and id names ("share-bar", "c_newsletter").
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|recommended|recommendations|newsletter|subscribe|promo|advert|"
    r"advertisement|ads?|banner|breadcrumbs?|comments?|footer|header|nav|navigation|menu|sidebar|outbrain|taboola|"
    r"popup|modal|cookies?|signup|paywall|most-read|trending|read-more|more-stories|also-read|author-bio|byline|"
    r"tags|keywords|caption|credit)(?=$|[\s_-])",
    re.I,
)
_CONTENT = re.compile(r"article[-_]?body|story[-_]?body|entry[-_]content|post[-_]content|article[-_]content|"
                      r"content[-_]body|articlebody|story[-_]content|article__body|main[-_]content|text[-_]body", re.I)
_RELATED = re.compile(r"related|recommend|more[-_ ]on|read[-_ ]?more|also[-_ ]read|more[-_]stories|you[-_]may", re.I)
_COMMENT_ITEM = re.compile(r"(?:[\w-]*[-_])?comment(?:[-_](?:item|entry|node|wrap|wrapper|single|\d+))?", re.I)
_SITE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ")
_DROP = "script, style, noscript, template, svg, iframe, form, button, nav, header, footer, aside, select"


def read(data: bytes, path: str) -> Iterator[Article]:
    """Yield the article of a saved HTML page."""
    depth = _depth(data)
    if depth > MAX_DEPTH:
        raise ReadError(f"HTML nested too deeply to be a news page ({depth:,} levels)")
    declared = _CHARSET.search(data[:4096])
    text = decode(data, declared.group(1).decode("ascii", "replace") if declared else None)
    try:
        tree = LexborHTMLParser(text)
    except Exception as error:  # selectolax raises assorted errors on input it cannot take
        raise ReadError(f"cannot parse HTML ({type(error).__name__})") from None
    if tree.body is None and tree.head is None:
        raise ReadError("no HTML document found")
    meta = _Metadata(tree)
    comments = _comments(tree)
    related = _related(tree)
    captions = _unique(node.text(separator=" ") for node in tree.css("figcaption, [class*=caption]"))
    body = _body(tree, meta)
    yield build(
        path,
        url=meta.url,
        title=meta.title,
        body=body,
        published=meta.published,
        authors=meta.authors,
        section=meta.section,
        tags=meta.tags,
        source=meta.source,
        language=meta.language,
        related_headlines=related,
        image_captions=captions,
        comments=comments,
    )


def _depth(data: bytes) -> int:
    """The deepest element nesting of a page, from a linear scan of its tags."""
    depth = deepest = 0
    for match in _TAG.finditer(data):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


class _Metadata:
    """What a page says about its article, JSON-LD first, then meta tags, then the markup."""

    def __init__(self, tree: LexborHTMLParser) -> None:
        ld = _json_ld(tree)
        metas: dict[str, list[str]] = {}
        for node in tree.css("meta"):
            key = (node.attributes.get("property") or node.attributes.get("name") or node.attributes.get("itemprop") or "").lower()
            value = node.attributes.get("content")
            if key and value:
                metas.setdefault(key, []).append(value)

        def meta(*keys: str) -> str | None:
            return next((metas[k][0] for k in keys if metas.get(k)), None)

        self.site = _text(ld.get("publisher")) or meta("og:site_name", "application-name")
        canonical = tree.css_first("link[rel=canonical]")
        self.url = (canonical.attributes.get("href") if canonical else None) or meta("og:url") or _text(ld.get("url"))
        self.source = self.site or (urlsplit(self.url).hostname if self.url and "://" in self.url else None)
        self.title = _strip_site(
            _text(ld.get("headline")) or meta("og:title", "twitter:title", "headline") or _first_text(tree, "h1")
            or _first_text(tree, "title") or "",
            self.site,
        )
        time_node = tree.css_first("article time[datetime], time[datetime]")
        self.published = (
            _text(ld.get("datePublished")) or meta("article:published_time", "datepublished", "date", "pubdate",
                                                     "publishdate", "publish-date", "dc.date", "dc.date.issued",
                                                     "sailthru.date", "parsely-pub-date", "og:article:published_time")
            or (time_node.attributes.get("datetime") if time_node else None) or _text(ld.get("dateCreated"))
        )
        authors = _names(ld.get("author")) or [n for v in metas.get("article:author", []) + metas.get("author", [])
                                                 for n in split_names(v) if "://" not in n]
        if not authors:
            authors = _unique(node.text() for node in tree.css("[itemprop=author] [itemprop=name], [rel=author]"))
        self.authors = authors
        self.section = _text(ld.get("articleSection")) or meta("article:section", "section", "category")
        keywords = ld.get("keywords")
        if isinstance(keywords, str):
            keywords = re.split(r"\s*[,;]\s*", keywords)
        tags = [html.unescape(k) for k in keywords or [] if isinstance(k, str)] + metas.get("article:tag", [])
        if not tags:
            tags = [t for v in metas.get("news_keywords", []) + metas.get("keywords", []) for t in re.split(r"\s*[,;]\s*", v)]
        tags = tags or [node.text() for node in tree.css("a[rel=tag]")]
        self.tags = [tag for tag in tags if len(tag.strip()) > 1]  # pages' JSON-LD has stray letters
        root = tree.css_first("html")
        self.language = (_text(ld.get("inLanguage")) or (root.attributes.get("lang") if root else None)
                         or meta("og:locale", "language", "content-language"))
        self.body = _text(ld.get("articleBody"))


def _json_ld(tree: LexborHTMLParser) -> dict:
    """The first article-like JSON-LD object of the page (or {})."""
    for node in tree.css("script[type='application/ld+json']"):
        raw = node.text().strip().removeprefix("<![CDATA[").removesuffix("]]>")
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            continue
        for item in _ld_items(data):
            kinds = item.get("@type")
            kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds) and item.get("headline"):
                return item
    return {}


def _ld_items(data) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item)
    elif isinstance(data, dict):
        yield data
        if isinstance(data.get("@graph"), list):
            yield from _ld_items(data["@graph"])
        if isinstance(data.get("mainEntity"), dict):
            yield data["mainEntity"]


def _text(value) -> str | None:
    """A plain string from a JSON-LD value (a string, a number, an object with a name, a list);
    publishers often leave HTML entities in JSON-LD strings, so those are decoded."""
    if isinstance(value, str):
        return html.unescape(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _names(value) -> list[str]:
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    name = _text(value)
    return split_names(name) if name and "://" not in name else []


def _strip_site(title: str, site: str | None) -> str:
    """The headline without a site-name suffix (" - BBC News", " | Börsen-Zeitung")."""
    title = clean_line(title)
    for separator in _SITE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if not found or not head.strip() or len(tail) > 40:
            continue
        tail = tail.strip()
        named = site and (tail.lower() in site.lower() or site.lower() in tail.lower())
        # Without a site name to compare, a short suffix of capitalised words reads as one.
        if named or (len(tail.split()) <= 3 and all(word[:1].isupper() or word[:1].isdigit() for word in tail.split())):
            return head.strip()
        break
    return title


def _first_text(tree: LexborHTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    return node.text(separator=" ").strip() if node else None


def _body(tree: LexborHTMLParser, meta: _Metadata) -> str:
    """The article's paragraphs: the container with the most paragraph text, furniture set aside."""
    for node in tree.css(_DROP):
        node.decompose()
    total = _paragraph_weight(tree.body) if tree.body is not None else 0
    for node in tree.css("[class], [id]"):
        label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if (_FURNITURE.search(label) and not _CONTENT.search(label) and node.tag not in {"html", "body", "main", "article"}
                and _paragraph_weight(node) <= total / 2):  # never the part holding most of the text
            node.decompose()
    candidates = tree.css("[itemprop=articleBody], article, main, [role=main]") + [
        node for node in tree.css("div, section") if _CONTENT.search(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}")
    ]
    best = max(candidates, key=_paragraph_weight, default=None)
    if best is None or _paragraph_weight(best) < 200:
        best = _densest(tree)
    paragraphs = _paragraphs(best) if best is not None else []
    if not paragraphs and meta.body:
        return meta.body
    return "\n\n".join(paragraphs)


def _densest(tree: LexborHTMLParser) -> LexborNode | None:
    """The element whose own paragraphs hold the most text: each paragraph credits its parent in
    full and its grandparent by half (as Readability scores), in one pass."""
    scores: Counter[int] = Counter()
    nodes: dict[int, LexborNode] = {}
    for paragraph in tree.css("p"):
        if _link_density(paragraph) >= 0.5:
            continue
        weight = len(paragraph.text())
        parent = paragraph.parent
        for share in (1.0, 0.5):
            if parent is None:
                break
            nodes[parent.mem_id] = parent
            scores[parent.mem_id] += weight * share
            parent = parent.parent
    if not scores:
        return tree.body
    return nodes[scores.most_common(1)[0][0]]


def _paragraph_weight(node: LexborNode) -> int:
    return sum(len(p.text()) for p in node.css("p") if _link_density(p) < 0.5)


def _paragraphs(node: LexborNode) -> list[str]:
    found = []
    for block in node.css("p, h2, h3, blockquote, li, pre"):
        if block.tag == "li" and block.css_first("p"):
            continue
        text = clean_line(block.text(separator=" "))
        if not text or _link_density(block) > 0.5:
            continue
        if block.tag in {"h2", "h3"} and len(text.split()) > 20:
            continue
        if found and text in found[-1]:
            continue
        found.append(text)
    return found


def _link_density(node: LexborNode) -> float:
    text = len(node.text().strip()) or 1
    return sum(len(a.text().strip()) for a in node.css("a")) / text


def _related(tree: LexborHTMLParser) -> list[str]:
    headlines = []
    for box in tree.css("[class], [id]"):
        label = f"{box.attributes.get('class') or ''} {box.attributes.get('id') or ''}"
        if _RELATED.search(label) and not _CONTENT.search(label):
            for link in box.css("a"):
                text = clean_line(link.text(separator=" "))
                if 3 <= len(text.split()) <= 25:
                    headlines.append(text)
    return _unique(headlines)


def _comments(tree: LexborHTMLParser) -> list[Comment]:
    """Reader comments: elements marked as a comment (itemprop, class or id), in page order.

    Each comment owns the text and author nearest to it (a reply nested inside a comment is a
    comment of its own, and replies to the comment that contains it).
    """
    items = tree.css("[itemprop=comment]") or [
        node for node in tree.css("li, article, div")
        if any(_COMMENT_ITEM.fullmatch(token) for token in
               f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".split())
        and node.css_first("p, [class*=text], [class*=body], [class*=content]") is not None
    ]
    owners = {item.mem_id: item for item in items}

    def owner(node: LexborNode) -> int | None:
        return next((a.mem_id for a in _ancestors(node) if a.mem_id in owners), None)

    def own(item: LexborNode, selector: str) -> LexborNode | None:
        return next((n for n in item.css(selector) if owner(n) == item.mem_id), None)

    authors: dict[int, str | None] = {}
    comments = []
    for item in items:
        text_node = own(item, "[itemprop=text], [class*=comment-body], [class*=comment-text], [class*=comment-content], p")
        author = own(item, "[itemprop=author], [class*=author], [class*=user], [class*=name]")
        when = own(item, "time[datetime]")
        authors[item.mem_id] = clean_line(author.text(separator=" ")) or None if author else None
        text = clean_line(text_node.text(separator=" ")) if text_node else ""
        parent = owner(item)
        if text:
            comments.append(Comment(
                text=text,
                author=authors[item.mem_id],
                reply_to=authors.get(parent) if parent is not None else None,
                published=when.attributes.get("datetime") if when else None,
            ))
    return comments


def _ancestors(node: LexborNode):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _unique(values) -> list[str]:
    seen, result = set(), []
    for value in values:
        value = clean_line(value or "")
        if value and value not in seen:
            seen.add(value)
            result.append(value)
    return result
