"""The article text of a saved page: its text blocks, in the container holding most of them.

A text block is what a browser sets as one paragraph: the text of a block-level element and of its
inline children (links, emphasis, spans), up to the next block-level element or two ``<br>`` in a
row. Blocks are found in one pass over the page, so text set in bare ``div``s, cells or
``<br>``-separated lines counts as paragraphs do; a block of a layout box (``div``, ``section``,
...) counts from 80 characters, and a block that is mostly link text never counts.

Furniture is set aside: navigation, header, footer, sidebars, captions and dialogs; elements whose
class or id names furniture (share bars, comments, related links, newsletters, ads, ...; a byline,
caption or tag list only when short; not the topics a content system adds to a post's classes, nor
a section named after its heading); hidden elements; forms; and the reader comments found on the
page. The first reading is strict; when it finds less than a short article, a second one sets
furniture aside only when it holds at most half of the page's text (broken pages wrap their article
in a "sidebar" or a "byline"), and a third counts short bare text too (pages of a few lines).

The article is the semantic container (``itemprop=articleBody``, ``article``, ``main``, a class
naming article content) holding the most block text, if it holds a fifth of the page's; else the
element whose own blocks hold the most text, as Readability scores paragraphs.

Elements are handled by ``mem_id`` and sums and flags are carried up and down the tree in one pass
over the elements in page order (a parent comes before its children), not per block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..normalize import clean_line

# Class and id words are matched lower-cased, camelCase split ("userComments" as "user-comments").
# Furniture words, whole parts of a name ("share-bar", "c_newsletter", "userComments").
_FURNITURE = re.compile(
    r"(?:^|[_-])(?:share|sharing|social|related|recommended|recommendations|newsletter|subscribe|promo|advert|advertisement|"
    r"ads?|banner|breadcrumbs?|comments?|footer|header|nav|navigation|menu|sidebar|outbrain|taboola|popup|modal|cookies?|"
    r"signup|most-read|trending|read-more|more-stories|also-read)(?=$|[_-])")
# Furniture of a line or two: an element so named holding more text than _SMALL is not one.
_SMALL_FURNITURE = re.compile(r"(?:^|[_-])(?:author-bio|byline|tags|keywords|caption|credit)(?=$|[_-])")
_SMALL = 300
# Class words a content system derives from a post's taxonomy (WordPress: "category-social-media",
# "tag-promo"): they name its topics, not a part of the page.
_TAXONOMY = re.compile(r"(?:category|tag|post_tag|format|status|type)-")
_CONTENT = re.compile(r"article[-_]{0,2}body|story[-_]{0,2}body|entry[-_]{0,2}content|post[-_]{0,2}content|article[-_]{0,2}content|"
                      r"content[-_]{0,2}body|articlebody|story[-_]{0,2}content|main[-_]{0,2}content|text[-_]{0,2}body")
# Words that may name the article's container (Readability's list): furniture so named is set
# aside only when it holds little of the page's text.
_MAYBE_CONTENT = re.compile(r"and|article|body|column|content|main|shadow")
_RELATED = re.compile(r"related|recommend|more[-_]on|read[-_]?more|also[-_]read|more[-_]stories|you[-_]may")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DIGITS = re.compile(r"\d+")
_SLUG_GAPS = re.compile(r"[\W_]+")
_NEVER_TEXT = frozenset("script style noscript template svg iframe button select textarea".split())
_FRAMES = "nav, header, footer, aside, figcaption"
_DIALOGS = "dialog, [role=dialog], [role=alertdialog], [aria-modal=true]"
_HIDDEN = ('[hidden], [aria-hidden=true], [style*="display:none"], [style*="display: none"], [style*="visibility:hidden"], '
           '[style*="visibility: hidden"], form')  # (forms too: search boxes, sign-ups; ASP.NET wraps pages in one)
_SEMANTIC = "[itemprop=articleBody], article, main, [role=main]"
_REGIONS = "main, [role=main]"
# Elements a browser sets as blocks: text on either side of one is in another paragraph.
_BLOCK_TAGS = frozenset(
    "html body article main section div p ul ol li dl dt dd table thead tbody tfoot tr td th caption h1 h2 h3 h4 h5 h6 "
    "blockquote pre figure figcaption address center form fieldset details summary hr header footer nav aside menu "
    "legend option".split())
# Block elements holding a paragraph of their own (not a layout box).
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote pre dd dt td th address caption summary".split())
_BARE_MIN = 80  # a layout box's block counts as a paragraph from this length
SHORT = 500  # a reading finding less is followed by a more lenient one
_NEARLY_ALL = 0.8
_SHARE = 0.2  # the part of the page's text the best semantic container must hold


@dataclass(slots=True)
class Block:
    """A paragraph of the page: its text, how much of it is link text, and the element holding it."""

    home: int  # the block element's mem_id
    tag: str
    parts: list[str] = field(default_factory=list)
    links: int = 0
    text: str = ""

    @property
    def paragraph(self) -> bool:
        return self.tag in _PARAGRAPH_TAGS

    def weight(self, bare_min: int = _BARE_MIN) -> int:
        """What the block counts for as article text: its length; 0 for links and short bare text."""
        if self.links * 2 >= len(self.text) or not self.paragraph and len(self.text) < bare_min:
            return 0
        return len(self.text)


@dataclass(slots=True)
class Page:
    """A page's text blocks in page order, each element's parent (elements in page order), and its
    links with their text (in page order)."""

    blocks: list[Block]
    parents: dict[int, int]
    links: dict[int, tuple[LexborNode, str]] = field(default_factory=dict)

    def totals(self, values: dict[int, int]) -> dict[int, int]:
        """Each element's sum of the values of the elements inside it (itself included)."""
        totals = dict(values)
        for child, parent in reversed(self.parents.items()):  # children before their parents
            value = totals.get(child)
            if value:
                totals[parent] = totals.get(parent, 0) + value
        return totals

    def within(self, tops: set[int]) -> set[int]:
        """The elements inside any of ``tops`` (``tops`` included)."""
        inside = set(tops)
        for child, parent in self.parents.items():
            if parent in inside:
                inside.add(child)
        return inside

    def holding(self, bottoms: set[int]) -> set[int]:
        """The elements holding any of ``bottoms`` (``bottoms`` included)."""
        holding = set(bottoms)
        for child, parent in reversed(self.parents.items()):
            if child in holding:
                holding.add(parent)
        return holding

    def weights(self, bare_min: int, blocks: list[Block] | None = None) -> dict[int, int]:
        """Each element's article text: the weights of the blocks inside it."""
        own: dict[int, int] = {}
        for block in self.blocks if blocks is None else blocks:
            weight = block.weight(bare_min)
            if weight:
                own[block.home] = own.get(block.home, 0) + weight
        return self.totals(own)


@dataclass(slots=True)
class Body:
    """The article's paragraphs, and where they are on the page."""

    paragraphs: list[str]
    page: Page | None = None
    homes: list[int] = field(default_factory=list)  # the elements holding the paragraphs
    container: int | None = None  # the article's own element (itemprop=articleBody, article, ...), if known

    def around(self, nodes: list[LexborNode]) -> tuple[set[int], set[int]]:
        """The nodes (by ``mem_id``) between the article's first paragraph and the end of its last,
        and those in the article's own element (or, when it is not known, the same)."""
        if self.page is None or not self.homes:
            return set(), set()
        order = {mem_id: n for n, mem_id in enumerate(self.page.parents)}
        first, last = order.get(self.homes[0], 0), order.get(self.homes[-1], 0)
        inside_last = self.page.within({self.homes[-1]})
        between = {node.mem_id for node in nodes if first <= order.get(node.mem_id, -1) <= last or node.mem_id in inside_last}
        if self.container is None:
            return between, between
        inside = self.page.within({self.container})
        return between, {node.mem_id for node in nodes if node.mem_id in inside}


def body(tree: LexborHTMLParser, labels: list[Label], comments: Sequence[LexborNode] = ()) -> Body:
    """The article's text; ``labels`` are the page's ``labels``, ``comments`` the elements holding
    its reader comments."""
    if tree.body is None:
        return Body([])
    # Furniture inside a paragraph ("Advertisement", a share link): its words are not the paragraph's.
    quiet = {label.node.mem_id for label in labels
             if (label.furniture or label.small) and label.node.tag not in _BLOCK_TAGS and len(label.node.text()) <= _SMALL}
    page = text_blocks(tree.body, quiet)
    marks = _furniture(tree, labels, page, comments)
    regions = {node.mem_id for node in tree.css(_REGIONS)}  # (the page's main part, not the article's own element)
    candidates = [node.mem_id for node in tree.css(_SEMANTIC)] + [
        label.node.mem_id for label in labels if label.content and label.node.tag in {"div", "section"}]
    found = Body([])
    for reading, bare_min in ((0, _BARE_MIN), (1, _BARE_MIN), (1, 0)):
        aside = page.within({mem_id for mem_id, set_aside in marks.items() if set_aside[reading]})
        attempt = _read(page, [block for block in page.blocks if block.home not in aside], candidates, regions, bare_min)
        if sum(map(len, attempt.paragraphs)) > sum(map(len, found.paragraphs)):
            found = attempt
        if sum(map(len, found.paragraphs)) >= SHORT:
            break
    return found if found.page is not None else Body([], page)


def text_blocks(root: LexborNode, quiet: set[int] | frozenset[int] = frozenset()) -> Page:
    """The text blocks under ``root`` (without the text of the ``quiet`` elements, scripts, styles,
    drawings, buttons and the like), and its links with their text."""
    # element -> (its block element, its tag, the link it is in (0: none), inside a quiet element)
    homes: dict[int, tuple[int, str, int, bool]] = {}
    parents: dict[int, int] = {}
    links: dict[int, tuple[LexborNode, list[str]]] = {}
    blocks: list[Block] = []
    current: Block | None = None
    broken = False  # the current block ends in a line break
    outside = (root.mem_id, root.tag, 0, False)
    for node in root.traverse(include_text=True):
        tag = node.tag
        parent = node.parent
        if tag == "-comment" or parent is None:
            continue
        parent_id = parent.mem_id
        home, home_tag, link, hushed = homes.get(parent_id, outside)
        if tag == "-text":
            text = node.text_content
            if link:
                links[link][1].append(text)
            if hushed:
                continue
            if current is None or current.home != home:
                if not text.strip():
                    continue
                current = Block(home, home_tag)
                blocks.append(current)
            current.parts.append(text)
            if text.strip():
                broken = False
                if link:
                    current.links += len(text.strip())
        elif tag == "br":  # a line break; two in a row end the paragraph
            if broken:
                current = None
            elif current is not None:
                current.parts.append(" ")
                broken = True
        else:
            mem_id = node.mem_id
            parents[mem_id] = parent_id
            if tag in _BLOCK_TAGS:
                homes[mem_id] = (mem_id, tag, link, hushed or mem_id in quiet)
                current = None
                broken = False
                if link:
                    links[link][1].append(" ")
            else:
                if tag == "a":
                    link = mem_id
                    links[mem_id] = (node, [])
                homes[mem_id] = (home, home_tag, link, hushed or tag in _NEVER_TEXT or mem_id in quiet)
    for block in blocks:
        block.text = clean_line("".join(block.parts))
    return Page([block for block in blocks if block.text], parents, {mem_id: (node, "".join(parts))
                                                                     for mem_id, (node, parts) in links.items()})


def _furniture(tree: LexborHTMLParser, labels: list[Label], page: Page,
               comments: Sequence[LexborNode]) -> dict[int, tuple[bool, bool]]:
    """The elements to set aside: element -> (in the strict reading, in the lenient one)."""
    weights = page.weights(_BARE_MIN)
    frames = {node.mem_id for node in tree.css(_FRAMES)}
    framed = page.within(frames)
    # The page's text outside its navigation, header, footer and sidebars.
    total = weights.get(tree.body.mem_id, 0) - sum(weights.get(mem_id, 0) for mem_id in frames
                                                  if page.parents.get(mem_id) not in framed)
    contents = {label.node.mem_id for label in labels if label.content and weights.get(label.node.mem_id, 0) > total / 4}
    holds_content = page.holding(contents)
    in_content = page.within(contents)
    marks: dict[int, tuple[bool, bool]] = {}

    def mark(mem_id: int, strict: bool, lenient: bool) -> None:
        was_strict, was_lenient = marks.get(mem_id, (False, False))
        marks[mem_id] = (was_strict or strict, was_lenient or lenient)

    def minor(mem_id: int) -> bool:  # not the part holding most of the text
        return weights.get(mem_id, 0) <= total / 2

    for mem_id in frames:
        mark(mem_id, True, True)
    for node in [*comments, *tree.css(_DIALOGS)]:  # (dialogs: consent and sign-in boxes)
        mark(node.mem_id, True, minor(node.mem_id))
    for node in tree.css(_HIDDEN):
        mark(node.mem_id, minor(node.mem_id), minor(node.mem_id))
    for label in labels:
        node = label.node
        mem_id = node.mem_id
        if (label.furniture and node.tag not in {"html", "body", "main", "article"} and mem_id not in holds_content
                and not _named_by_heading(node)):
            # Inside the article's content, or named as possibly content: only when minor.
            strict = page.parents.get(mem_id) not in in_content and not label.maybe_content
            mark(mem_id, strict or minor(mem_id), minor(mem_id))
        elif label.small and len(node.text()) <= _SMALL:
            mark(mem_id, True, True)
    return marks


def _read(page: Page, blocks: list[Block], candidates: list[int], regions: set[int], bare_min: int) -> Body:
    """The paragraphs of the best semantic container, else of the densest element."""
    weights = page.weights(bare_min, blocks)
    best = max(candidates, key=lambda mem_id: weights.get(mem_id, 0), default=None)
    if best is not None:  # the innermost candidate holding nearly all of that text (an article inside main)
        most = weights.get(best, 0)
        holding = page.within({best})
        for mem_id in candidates:
            if mem_id in holding and mem_id != best and weights.get(mem_id, 0) >= _NEARLY_ALL * most:
                best, holding = mem_id, page.within({mem_id})
    own = best not in regions
    if best is None or weights.get(best, 0) < max(200, _SHARE * sum(block.weight(bare_min) for block in blocks)):
        best, own = _densest(page, blocks, bare_min), False
    if best is None:
        return Body([])
    inside = page.within({best})
    kept = [block for block in blocks if block.home in inside and block.weight(bare_min)
            and block.tag != "h1"]  # (the headline: a field of its own)
    return Body([block.text for block in kept], page, [block.home for block in kept], best if own else None)


def _densest(page: Page, blocks: list[Block], bare_min: int) -> int | None:
    """The element whose own blocks hold the most text: each block of 25 characters or more credits
    the element around it in full and that element's parent by half (as Readability scores)."""
    scores: dict[int, float] = {}
    for block in blocks:
        if not block.weight(bare_min) or len(block.text) < 25 and bare_min:
            continue
        around = page.parents.get(block.home) if block.paragraph else block.home
        if around is not None:
            scores[around] = scores.get(around, 0) + len(block.text)
            above = page.parents.get(around)
            if above is not None:
                scores[above] = scores.get(above, 0) + len(block.text) / 2
    return max(scores, key=scores.__getitem__) if scores else None


def _named_by_heading(node: LexborNode) -> bool:
    """True for a section whose id is its heading's text ("sharing-with-a-single-developer", as
    documentation and wiki pages name their sections): words of the text, not a part of the page."""
    name = node.id
    heading = node.css_first("h1, h2, h3, h4, h5, h6") if name and "-" in name else None
    return heading is not None and _SLUG_GAPS.sub("-", heading.text().casefold()).strip("-").startswith(name.casefold())


class Label:
    """What an element's class and id name."""

    __slots__ = ("node", "bits")

    def __init__(self, node: LexborNode, bits: int) -> None:
        self.node, self.bits = node, bits

    @property
    def content(self) -> bool:  # the article's content ("article-body", "entry-content", ...)
        return bool(self.bits & _CONTENT_BIT)

    @property
    def furniture(self) -> bool:  # a part of the page around the article
        return self.bits & (_FURNITURE_BIT | _CONTENT_BIT) == _FURNITURE_BIT

    @property
    def small(self) -> bool:  # a byline, caption or tag list
        return self.bits & (_SMALL_BIT | _CONTENT_BIT) == _SMALL_BIT

    @property
    def related(self) -> bool:  # links to related articles
        return self.bits & (_RELATED_BIT | _CONTENT_BIT) == _RELATED_BIT

    @property
    def maybe_content(self) -> bool:
        return bool(self.bits & _MAYBE_BIT)


_FURNITURE_BIT, _CONTENT_BIT, _RELATED_BIT, _SMALL_BIT, _MAYBE_BIT = 1, 2, 4, 8, 16
# Any of the words above, to pass over most class words with one search.
_ANY_WORD = re.compile(r"share|sharing|social|relat|recommend|newsletter|subscribe|promo|advert|ad|banner|breadcrumb|comment|footer|"
                       r"header|nav|menu|sidebar|outbrain|taboola|popup|modal|cookie|signup|most|trending|read|more|also|"
                       r"author|byline|tags|keywords|caption|credit|body|content|you|and|article|column|main|shadow")


def labels(tree: LexborHTMLParser) -> list[Label]:
    """What the class and id of each element name, for the elements whose names say something."""
    bits: dict[int, int] = {}
    nodes: dict[int, LexborNode] = {}
    for selector, name in (("[class]", _class), ("[id]", _id)):
        for node in tree.css(selector):
            found = _words(name(node))
            if found:
                mem_id = node.mem_id
                bits[mem_id] = bits.get(mem_id, 0) | found
                nodes[mem_id] = node
    return [Label(node, bits[mem_id]) for mem_id, node in nodes.items()]


def _class(node: LexborNode) -> str:
    return node.attrs.get("class") or ""


def _id(node: LexborNode) -> str:
    return node.id or ""


@lru_cache(maxsize=65536)
def _words(label: str) -> int:
    """What a class or id names, as bits (pages repeat their labels, and content systems their
    class words, so each is matched once; numbers name nothing: "post-1234" is "post-0")."""
    if not _ANY_WORD.search(label.lower()):
        return 0  # (most labels, hashed class names among them: no word to classify)
    bits = 0
    for word in _DIGITS.sub("0", label).split():
        bits |= _word(word)
    return bits


@lru_cache(maxsize=65536)
def _word(word: str) -> int:
    low = word.lower()
    if not _ANY_WORD.search(low):
        return 0
    name = _CAMEL.sub("-", word).lower() if low != word else low
    topical = bool(_TAXONOMY.match(low))
    return (_FURNITURE_BIT * (not topical and bool(_FURNITURE.search(name))) | _CONTENT_BIT * bool(_CONTENT.search(name))
            | _RELATED_BIT * bool(_RELATED.search(name)) | _SMALL_BIT * (not topical and bool(_SMALL_FURNITURE.search(name)))
            | _MAYBE_BIT * bool(_MAYBE_CONTENT.search(low)))
