"""Saved news pages (HTML), read with selectolax's lexbor parser.

Metadata comes from ``page_metadata``. The body is the text of the
container holding the most paragraph text (``itemprop=articleBody``, ``article``, ``main`` and
common content class names are tried first), after page furniture (navigation, share bars,
newsletter boxes, related links, comments) is set aside; related headlines, captions and reader
comments are read from their own elements.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import ReadError
from ..model import Article, build
from ..normalize import clean_line
from . import html_dates
from .comments import comments as page_comments
from .encoding import decode
from .nesting import bounded
from .page_metadata import PageMetadata

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
# Furniture words, matched as whole parts of class and id names ("share-bar", "c_newsletter").
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|recommended|recommendations|newsletter|subscribe|promo|advert|"
    r"advertisement|ads?|banner|breadcrumbs?|comments?|footer|header|nav|navigation|menu|sidebar|outbrain|taboola|"
    r"popup|modal|cookies?|signup|most-read|trending|read-more|more-stories|also-read|author-bio|byline|"
    r"tags|keywords|caption|credit)(?=$|[\s_-])",
    re.I,
)
_CONTENT = re.compile(r"article[-_]{0,2}body|story[-_]{0,2}body|entry[-_]{0,2}content|post[-_]{0,2}content|article[-_]{0,2}content|"
                      r"content[-_]{0,2}body|articlebody|story[-_]{0,2}content|main[-_]{0,2}content|text[-_]{0,2}body", re.I)
_RELATED = re.compile(r"related|recommend|more[-_ ]on|read[-_ ]?more|also[-_ ]read|more[-_]stories|you[-_]may", re.I)
# A long JSON string literal holding HTML paragraphs, escaped or not.
_HTML_STRING = re.compile(r'"((?:[^"\\]|\\.){0,200000}?(?:\\\\u003c|\\u003c|<)p[ >\\](?:[^"\\]|\\.){200,})"')
_DROP = "script, style, noscript, template, svg, iframe, button, nav, header, footer, aside, select"


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
    comments = page_comments(tree)
    related = _related(tree)
    captions = _unique(node.text(separator=" ") for node in tree.css("figcaption, [class*=caption]"))
    body = _body(tree, meta, text)
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
        related_headlines=related,
        image_captions=captions,
        comments=comments,
    )


def _body(tree: LexborHTMLParser, meta: PageMetadata, page: str) -> str:
    """The article's paragraphs: the container with the most paragraph text, furniture set aside
    (or the page's bare text blocks, when they hold more than twice as much)."""
    for node in tree.css(_DROP):
        node.decompose()
    weigh = _paragraph_weight
    total = weigh(tree.body) if tree.body is not None else 0
    if not total and tree.body is not None:  # no paragraphs at all (text in bare divs): weigh all text
        weigh = _text_weight
        total = weigh(tree.body)
    for form in tree.css("form"):  # search boxes and sign-ups, but ASP.NET pages wrap everything in one
        if weigh(form) <= total / 2:
            form.decompose()
    labelled = [(node, _classify(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"))
                for node in tree.css("[class], [id]")]
    # A container of the article's content is never furniture, whatever its layout class says.
    holds_content = {a.mem_id for node, kind in labelled if kind[1] and weigh(node) > total / 4
                     for a in _ancestors(node)}
    for node, kind in labelled:
        if (kind[0] and node.tag not in {"html", "body", "main", "article"} and node.mem_id not in holds_content
                and weigh(node) <= total / 2):  # never the part holding most of the text
            node.decompose()
    candidates = tree.css("[itemprop=articleBody], article, main, [role=main]") + [
        node for node in tree.css("div, section") if _classify(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}")[1]
    ]
    best = max(candidates, key=_paragraph_weight, default=None)
    if best is None or _paragraph_weight(best) < 200:
        best = _densest(tree)
    paragraphs = _paragraphs(best) if best is not None else []
    if not paragraphs and meta.body:
        return meta.body
    found = sum(map(len, paragraphs))
    if found < 3000:  # the article's text may be set in bare blocks rather than paragraphs
        bare = _bare_text(tree)
        if sum(map(len, bare)) > 2 * found:
            paragraphs = bare
    return "\n\n".join(paragraphs or _scripted_paragraphs(page))


@lru_cache(maxsize=16384)
def _classify(label: str) -> tuple[bool, bool, bool]:
    """What a class-and-id label names: (furniture, content, related links); pages repeat their
    labels, so each is matched once."""
    content = bool(_CONTENT.search(label))
    return bool(_FURNITURE.search(label)) and not content, content, bool(_RELATED.search(label)) and not content


def _bare_text(tree: LexborHTMLParser) -> list[str]:
    """For pages that set their text in bare blocks rather than paragraphs: the ``div``s,
    ``span``s and cells with text of their own (80 characters or more), from the container (up to
    three levels above them) holding the most such text."""
    blocks = [node for node in tree.css("div, span, td, section, article")
              if len(node.text(deep=False).strip()) >= 80 and _link_density(node) < 0.5]
    weights: Counter[int] = Counter()
    for block in blocks:
        for ancestor, _ in zip(_ancestors(block), range(3)):
            weights[ancestor.mem_id] += len(block.text())
    if not weights:
        return []
    container = weights.most_common(1)[0][0]
    return [clean_line(block.text(separator=" ")) for block in blocks
            if any(a.mem_id == container for a, _ in zip(_ancestors(block), range(3)))]


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
            found = _paragraphs(fragment.body) if fragment.body is not None else []
            if sum(map(len, found)) > sum(map(len, best)):
                best = found
    return best


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


def _text_weight(node: LexborNode) -> int:
    return len(node.text())


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
        if _classify(label)[2]:
            for link in box.css("a"):
                text = clean_line(link.text(separator=" "))
                if 3 <= len(text.split()) <= 25:
                    headlines.append(text)
    return _unique(headlines)


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
