"""The article text of a saved page: its text blocks, in the container holding most of them.

A text block is what a browser sets as one paragraph: the text of a block-level element and of its
inline children (links, emphasis, spans), up to the next block-level element or two ``<br>`` in a
row. Blocks are found in one pass over the page, so text set in bare ``div``s, cells or
``<br>``-separated lines counts as paragraphs do; a block of a layout box (``div``, ``section``,
...) counts from 80 characters, and a block that is mostly link text never counts.

Furniture is set aside: navigation, header, footer, sidebars and captions; elements whose class or
id names furniture (share bars, comments, related links, newsletters, ads, ...; a byline, caption
or tag list only when short); hidden elements; forms; and the reader comments found on the page.
The first reading is strict; when it finds less than a short article, a second one sets furniture
aside only when it holds at most half of the page's text (broken pages wrap their article in a
"sidebar" or a "byline"), and a third counts short bare text too (pages of a few lines).

The article is the semantic container (``itemprop=articleBody``, ``article``, ``main``, a class
naming article content) holding the most block text, if it holds a fifth of the page's; else the
element whose own blocks hold the most text, as Readability scores paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..normalize import clean_line

# Furniture words, whole parts of class and id names ("share-bar", "c_newsletter", "userComments").
_FURNITURE = re.compile(
    r"(?:^|[\s_-]|(?<=[a-z])(?=[A-Z]))(?i:share|sharing|social|related|recommended|recommendations|newsletter|subscribe|promo|"
    r"advert|advertisement|ads?|banner|breadcrumbs?|comments?|footer|header|nav|navigation|menu|sidebar|outbrain|taboola|"
    r"popup|modal|cookies?|signup|most-read|trending|read-more|more-stories|also-read)(?=$|[\s_-]|(?<=[a-z])[A-Z])")
# Furniture of a line or two: an element so named holding more text than _SMALL is not one.
_SMALL_FURNITURE = re.compile(r"(?:^|[\s_-])(?:author-bio|byline|tags|keywords|caption|credit)(?=$|[\s_-])", re.I)
_SMALL = 300
# Class words a content system derives from a post's taxonomy (WordPress: "category-social-media",
# "tag-promo"): they name its topics, not a part of the page.
_TAXONOMY = re.compile(r"(?:^|\s)(?:category|tag|post_tag|format|status|type)-\S*", re.I)
_CONTENT = re.compile(r"article[-_]{0,2}body|story[-_]{0,2}body|entry[-_]{0,2}content|post[-_]{0,2}content|article[-_]{0,2}content|"
                      r"content[-_]{0,2}body|articlebody|story[-_]{0,2}content|main[-_]{0,2}content|text[-_]{0,2}body", re.I)
# Words that may name the article's container (Readability's list): furniture so named is set
# aside only when it holds little of the page's text.
_MAYBE_CONTENT = re.compile(r"and|article|body|column|content|main|shadow", re.I)
_RELATED = re.compile(r"related|recommend|more[-_ ]on|read[-_ ]?more|also[-_ ]read|more[-_]stories|you[-_]may", re.I)
_NEVER_TEXT = "script, style, noscript, template, svg, iframe, button, select, textarea"
_FRAMES = "nav, header, footer, aside, figcaption"
_HIDDEN = ('[hidden], [aria-hidden=true], [style*="display:none"], [style*="display: none"], [style*="visibility:hidden"], '
           '[style*="visibility: hidden"]')
_SEMANTIC = "[itemprop=articleBody], article, main, [role=main]"
# Elements a browser sets as blocks: text on either side of one is in another paragraph.
_BLOCK_TAGS = frozenset(
    "html body article main section div p ul ol li dl dt dd table thead tbody tfoot tr td th caption h1 h2 h3 h4 h5 h6 "
    "blockquote pre figure figcaption address center form fieldset details summary hr header footer nav aside menu "
    "legend option".split())
_SKIPPED = frozenset({"-comment", "script", "style", "noscript", "template"})
# Block elements holding a paragraph of their own (not a layout box).
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote pre dd dt td th address caption summary".split())
_BARE_MIN = 80  # a layout box's block counts as a paragraph from this length
_SHORT = 500  # a reading finding less is followed by a more lenient one
_SHARE = 0.2  # the part of the page's text the best semantic container must hold


@dataclass(slots=True)
class Block:
    """A paragraph of the page: its text, how much of it is link text, and the element holding it."""

    home: LexborNode
    parts: list[str] = field(default_factory=list)
    links: int = 0
    text: str = ""
    marks: tuple[int, ...] = ()  # the marked elements it is inside

    @property
    def paragraph(self) -> bool:
        return self.home.tag in _PARAGRAPH_TAGS

    def weight(self, bare_min: int = _BARE_MIN) -> int:
        """What the block counts for as article text: its length; 0 for links and short bare text."""
        if self.links * 2 >= len(self.text) or not self.paragraph and len(self.text) < bare_min:
            return 0
        return len(self.text)


def body(tree: LexborHTMLParser, comments: Sequence[LexborNode] = ()) -> list[str]:
    """The article's paragraphs; ``comments`` are the elements holding the page's reader comments.
    (Elements that never hold text and furniture set aside in every reading leave the tree.)"""
    for node in tree.css(_NEVER_TEXT):
        node.decompose()
    if tree.body is None:
        return []
    blocks, parents = text_blocks(tree.body)
    marks = _furniture(tree, blocks, parents, comments)
    gone = {mem_id: node for mem_id, (node, strict, lenient) in marks.items() if strict and lenient}
    for mem_id, node in gone.items():
        if not any(ancestor in gone for ancestor in _chain(parents.get(mem_id), parents)):
            node.decompose()  # (the outermost only: its descendants go with it)
    blocks, parents = text_blocks(tree.body)
    for block in blocks:
        block.marks = tuple(mem_id for mem_id in _chain(block.home.mem_id, parents) if mem_id in marks and mem_id not in gone)
    candidates = tree.css(_SEMANTIC) + [node for node in tree.css("div, section") if _classify(_label(node))[1]]
    found: list[str] = []
    for reading, bare_min in ((1, _BARE_MIN), (2, _BARE_MIN), (2, 0)):
        kept = [block for block in blocks if not any(marks[mem_id][reading] for mem_id in block.marks)]
        attempt = _read(kept, parents, candidates, bare_min)
        if sum(map(len, attempt)) > sum(map(len, found)):
            found = attempt
        if sum(map(len, found)) >= _SHORT:
            break
    return found


def text_blocks(root: LexborNode) -> tuple[list[Block], dict[int, int]]:
    """The text blocks under ``root`` in page order, and each element's parent (by ``mem_id``)."""
    homes: dict[int, tuple[LexborNode, bool]] = {root.mem_id: (root, False)}  # element -> its block element, in a link
    parents: dict[int, int] = {}
    blocks: list[Block] = []
    current: Block | None = None
    broken = False  # the current block ends in a line break
    for node in root.traverse(include_text=True):
        tag = node.tag
        parent = node.parent
        if tag in _SKIPPED or parent is None or node.mem_id == root.mem_id:
            continue
        home, in_link = homes.get(parent.mem_id, (root, False))
        if tag == "-text":
            text = node.text_content
            if current is None or current.home.mem_id != home.mem_id:
                if not text.strip():
                    continue
                current = Block(home)
                blocks.append(current)
            current.parts.append(text)
            if text.strip():
                broken = False
                if in_link:
                    current.links += len(text.strip())
        elif tag == "br":  # a line break; two in a row end the paragraph
            if broken:
                current = None
            elif current is not None:
                current.parts.append(" ")
                broken = True
        else:
            parents[node.mem_id] = parent.mem_id
            if tag in _BLOCK_TAGS:
                homes[node.mem_id] = (node, in_link)
                current = None
                broken = False
            else:
                homes[node.mem_id] = (home, in_link or tag == "a")
    for block in blocks:
        block.text = clean_line("".join(block.parts))
    return [block for block in blocks if block.text], parents


def _furniture(tree: LexborHTMLParser, blocks: list[Block], parents: dict[int, int],
               comments: Sequence[LexborNode]) -> dict[int, tuple[LexborNode, bool, bool]]:
    """The elements to set aside: element -> (element, in the strict reading, in the lenient one)."""
    weights = _weights(blocks, parents, _BARE_MIN)
    frames = tree.css(_FRAMES)
    framed = {node.mem_id for node in frames}
    # The page's text outside its navigation, header, footer and sidebars.
    total = weights.get(tree.body.mem_id, 0) - sum(weights.get(node.mem_id, 0) for node in frames
                                                  if not any(a in framed for a in _chain(parents.get(node.mem_id), parents)))
    labelled = [(node, _classify(_label(node))) for node in tree.css("[class], [id]")]
    contents = {node.mem_id for node, kind in labelled if kind[1] and weights.get(node.mem_id, 0) > total / 4}
    holds_content = {mem_id for content in contents for mem_id in _chain(content, parents)}
    marks: dict[int, tuple[LexborNode, bool, bool]] = {}

    def mark(node: LexborNode, strict: bool, lenient: bool) -> None:
        _, was_strict, was_lenient = marks.get(node.mem_id, (node, False, False))
        marks[node.mem_id] = (node, was_strict or strict, was_lenient or lenient)

    def minor(node: LexborNode) -> bool:  # not the part holding most of the text
        return weights.get(node.mem_id, 0) <= total / 2

    for node in frames:
        mark(node, True, True)
    for node in comments:
        mark(node, True, minor(node))
    for node in tree.css(_HIDDEN) + tree.css("form"):  # (ASP.NET pages wrap everything in one form)
        mark(node, minor(node), minor(node))
    for node, (furniture, _, _, small, maybe_content) in labelled:
        if furniture and node.tag not in {"html", "body", "main", "article"} and node.mem_id not in holds_content:
            # Inside the article's content, or named as possibly content: only when minor.
            inside = any(mem_id in contents for mem_id in _chain(parents.get(node.mem_id), parents))
            mark(node, not inside and not maybe_content or minor(node), minor(node))
        elif small and len(node.text()) <= _SMALL:
            mark(node, True, True)
    return marks


def _read(blocks: list[Block], parents: dict[int, int], candidates: list[LexborNode], bare_min: int) -> list[str]:
    """The paragraphs of the best semantic container, else of the densest element."""
    weights = _weights(blocks, parents, bare_min)
    best = max(candidates, key=lambda node: weights.get(node.mem_id, 0), default=None)
    page = sum(block.weight(bare_min) for block in blocks)
    if best is None or weights.get(best.mem_id, 0) < max(200, _SHARE * page):
        best = _densest(blocks, bare_min)
    if best is None:
        return []
    return [block.text for block in blocks if block.weight(bare_min) and block.home.tag != "h1"  # (the headline: a field of its own)
            and best.mem_id in _chain(block.home.mem_id, parents)]


def _densest(blocks: list[Block], bare_min: int) -> LexborNode | None:
    """The element whose own blocks hold the most text: each block of 25 characters or more credits
    the element around it in full and that element's parent by half (as Readability scores)."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for block in blocks:
        if not block.weight(bare_min) or len(block.text) < 25 and bare_min:
            continue
        node = block.home.parent if block.paragraph else block.home
        for share in (1.0, 0.5):
            if node is None:
                break
            nodes[node.mem_id] = node
            scores[node.mem_id] = scores.get(node.mem_id, 0) + len(block.text) * share
            node = node.parent
    if not scores:
        return None
    return nodes[max(scores, key=scores.__getitem__)]


def _weights(blocks: list[Block], parents: dict[int, int], bare_min: int) -> dict[int, int]:
    """Each element's article text: the weights of the blocks inside it."""
    weights: dict[int, int] = {}
    for block in blocks:
        weight = block.weight(bare_min)
        if weight:
            for mem_id in _chain(block.home.mem_id, parents):
                weights[mem_id] = weights.get(mem_id, 0) + weight
    return weights


def _chain(mem_id: int | None, parents: dict[int, int]) -> Iterator[int]:
    """An element and its ancestors, by ``mem_id``."""
    while mem_id is not None:
        yield mem_id
        mem_id = parents.get(mem_id)


def _label(node: LexborNode) -> str:
    attributes = node.attributes
    return f"{attributes.get('class') or ''} {attributes.get('id') or ''}"


@lru_cache(maxsize=16384)
def _classify(label: str) -> tuple[bool, bool, bool, bool, bool]:
    """What a class-and-id label names: (furniture, content, related links, small furniture, maybe
    content); pages repeat their labels, so each is matched once."""
    content = bool(_CONTENT.search(label))
    topicless = _TAXONOMY.sub(" ", label)
    return (bool(_FURNITURE.search(topicless)) and not content, content, bool(_RELATED.search(label)) and not content,
            bool(_SMALL_FURNITURE.search(topicless)) and not content, bool(_MAYBE_CONTENT.search(label)))
