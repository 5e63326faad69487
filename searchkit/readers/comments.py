"""Reader comments of a saved page, in their common forms.

A comment is an element marked as one: ``itemprop=comment``, or a class or id naming a comment
item (WordPress ``li.comment``, ``div.comment-1234``, Blogger's and Thesis' ``dd`` items after a
``dt`` naming the author, ``article.comment``). When nothing is marked, the repeated children of
the page's comment section (``#comments``, ``.commentlist``, ``#comments-block``, ...) are its
comments. Each comment owns the text and the author nearest to it; a comment nested inside
another is a reply to it (WordPress threads, Disqus-style nested lists).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..model import Comment
from ..normalize import clean_line
from .nesting import ancestors

_ITEM = re.compile(r"(?:[\w-]*[-_])?comment(?:[-_]?(?:item|entry|node|wrap|wrapper|single|body|\d+))?|c\d{3,}|com_\d+", re.I)
# A class or id word naming a comment section ("comments", "comment-list", "commentsBlock", "discussion").
_SECTION = re.compile(r"(?:[a-z]+[-_])?(?:comments?|comment[-_]?(?:list|listing|block|section|area|thread|s)s?|discussion|responses)",
                      re.I)
_BODY = ("[itemprop=text], [itemprop=commentText], [class*=comment-body], [class*=comment_body], [class*=commentBody], "
         "[class*=comment-text], [class*=comment-content], [class*=comment_text], [class*=comment-entry], [id*=comment-body], "
         "[id*=comment_body], [class*=format_text]")
_AUTHOR = ("[itemprop=author], [class*=author], [class~=fn], cite, [class~=by], [class*=user], [class*=name], "
           "[class*=commenter]")
_BY = re.compile(r"^(?:by|von|par|por)\s+", re.I)
_NOT_SECTIONS = {"a", "span", "p", "form", "input", "textarea", "button", "script", "style", "h1", "h2", "h3", "h4", "img", "br",
                 "-text", "-comment"}
_LETTER = re.compile(r"[^\W\d_]")
# Elements whose class or id may name a comment or a comment section, found by the parser (in C)
# before each one's name is matched here.
_MAY_BE_ITEM = "[class*=omment], [id*=omment], [id^=c], [id^=C]"
_ITEM_TAGS = {"li", "article", "div", "dd"}
_MAY_BE_SECTION = "[class*=omment], [id*=omment], [class*=iscussion], [id*=iscussion], [class*=esponses], [id*=esponses]"
_FEWEST_IN_SECTION = 2  # a comment section's items repeat


def comments(tree: LexborHTMLParser) -> tuple[list[Comment], list[LexborNode]]:
    """The page's reader comments in page order, and the elements holding them (read before
    furniture is removed from the tree)."""
    marked = [node for node in _distinct(tree.css(_MAY_BE_ITEM)) if node.tag in _ITEM_TAGS and _item_name(node) and (
        node.tag == "dd" or node.css_first("p, [class*=text], [class*=body], [class*=content]") is not None)]
    # Inside a comment, only an element of its own kind is a comment (a reply): a "comment-body"
    # or "comment-entry" there is part of it.
    marked_tags = {node.mem_id: node.tag for node in marked}
    marked = [node for node in marked if next((_item_name(node) == "item" and marked_tags[a.mem_id] == node.tag
                                               for a in ancestors(node) if a.mem_id in marked_tags), True)]
    items = tree.css("[itemprop=comment]") or marked or _section_items(tree)
    owners = {item.mem_id for item in items}

    def owner(node: LexborNode) -> int | None:
        return next((a.mem_id for a in ancestors(node) if a.mem_id in owners), None)

    def own(item: LexborNode, selector: str) -> list[LexborNode]:
        return [n for n in item.css(selector) if owner(n) == item.mem_id]

    parents = {item.mem_id: owner(item) for item in items}
    with_replies = set(parents.values())
    authors: dict[int, str | None] = {}
    found = []
    for item in items:
        author = _author(item, own(item, _AUTHOR))
        authors[item.mem_id] = author
        text = _text(item, own(item, _BODY) or own(item, "p"), author, nested=item.mem_id in with_replies)
        when = next(iter(own(item, "time[datetime]")), None)
        parent = parents[item.mem_id]
        if _LETTER.search(text):
            found.append(Comment(
                text=text,
                author=author,
                reply_to=authors.get(parent) if parent is not None else None,
                published=when.attributes.get("datetime") if when else None,
            ))
    return found, items


def _text(item: LexborNode, blocks: list[LexborNode], author: str | None, nested: bool) -> str:
    """A comment's text: its body element, else its paragraphs, else (when it holds no replies)
    all its text after the author's name."""
    if blocks:
        if blocks[0].tag != "p":  # the innermost body element ("comment-content" inside "comment-body")
            holding = {a.mem_id for block in blocks for a in ancestors(block)}
            blocks = [next((block for block in blocks if block.mem_id not in holding), blocks[0])]
        return "\n\n".join(text for text in (clean_line(block.text(separator=" ")) for block in blocks) if text)
    if nested:
        return ""
    text = clean_line(item.text(separator=" "))
    return text.removeprefix(author).strip() if author else text


def _item_name(node: LexborNode) -> str | None:
    """"item" or "body" when a node's class or id names a comment (or a comment's body), else None."""
    return _name_kind(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}")


@lru_cache(maxsize=16384)
def _name_kind(label: str) -> str | None:
    tokens = [token for token in label.split() if _ITEM.fullmatch(token)]
    if not tokens:
        return None
    return "body" if all(token.lower().endswith(("body", "entry")) for token in tokens) else "item"


def _author(item: LexborNode, candidates: list[LexborNode]) -> str | None:
    """The name the comment is signed with, or for a ``dd`` item the ``dt`` before it."""
    for node in candidates:
        name = _BY.sub("", clean_line(node.text(separator=" ")))
        if name and len(name) <= 80:
            return name
    if item.tag == "dd":
        previous = item.prev
        while previous is not None and previous.tag in {"-text", "-comment"}:
            previous = previous.prev
        if previous is not None and previous.tag == "dt":
            return _BY.sub("", clean_line(previous.text(separator=" ")))[:80] or None
    return None


def _section_items(tree: LexborHTMLParser) -> list[LexborNode]:
    """The repeated children of the page's comment section: the largest group of its element
    children (or of a single wrapper's) sharing a tag and first class word."""
    for section in _distinct(tree.css(_MAY_BE_SECTION)):
        label = f"{section.attributes.get('class') or ''} {section.attributes.get('id') or ''}"
        if section.tag in _NOT_SECTIONS or not _names_section(label):
            continue
        scope = section
        for _ in range(3):
            children = [child for child in scope.iter() if child.tag not in _NOT_SECTIONS]
            if len(children) != 1:
                break
            scope = children[0]
        groups = Counter(map(_kind, children))
        if groups:
            kind, count = groups.most_common(1)[0]
            if count >= _FEWEST_IN_SECTION and kind[0] in {"div", "li", "article", "dd", "p", "section"}:
                return [child for child in children if _kind(child) == kind and _link_density(child) < 0.5]
    return []


def _link_density(node: LexborNode) -> float:
    return sum(len(a.text()) for a in node.css("a")) / (len(node.text()) or 1)


@lru_cache(maxsize=16384)
def _names_section(label: str) -> bool:
    return any(_SECTION.fullmatch(token) for token in label.split())


def _kind(node: LexborNode) -> tuple[str, str]:
    return node.tag, next(iter((node.attributes.get("class") or "").split()), "")


def _distinct(nodes: list[LexborNode]) -> list[LexborNode]:
    """Nodes in page order, each once (a node matching two selectors of a list comes twice)."""
    seen: set[int] = set()
    return [node for node in nodes if node.mem_id not in seen and not seen.add(node.mem_id)]
