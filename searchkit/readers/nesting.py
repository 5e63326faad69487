"""How a page's elements nest: its depth bounded before it is parsed, an element's ancestors after.

An HTML parser checks the open elements on every tag, so a page nested 100,000 levels deep (or
``<div/>`` repeated: the slash is ignored and each one opens an element) costs time that grows
with the square of its size. (In SVG and MathML "/>" does close an element; counting those as
open only overstates the depth inside an inline drawing, whose tags are no text.) Tags below ``MAX_DEPTH`` open elements are
dropped, with their matching end tags, and their text is kept: the page reads as if those
elements were not there. One linear scan of the tags finds the depth the way a parser nests
them: an end tag closes the nearest open element of its name and everything opened after it,
and is ignored when no element of its name is open.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborNode

MAX_DEPTH = 1000
_TAG = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
# Elements that hold nothing, or that the next one of their kind closes (so lists, tables and
# paragraphs do not nest by themselves).
_FLAT = frozenset(b"area base br col embed hr img input link meta source track wbr p li option td tr th dt dd".split())


def bounded(data: bytes, limit: int = MAX_DEPTH) -> bytes:
    """The page, with the tags nested deeper than ``limit`` removed (unchanged when none are)."""
    if not _deeper_than(data, limit):
        return data
    kept, start = [], 0
    stack: list[bytes] = []
    held: dict[bytes, int] = {}
    dropped: dict[bytes, int] = {}
    for match in _TAG.finditer(data):
        closing, name = match.groups()
        name = name.lower()
        keep = True
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                keep = False
            else:
                _close(name, stack, held)
        elif name not in _FLAT:
            if len(stack) >= limit:
                dropped[name] = dropped.get(name, 0) + 1
                keep = False
            else:
                stack.append(name)
                held[name] = held.get(name, 0) + 1
        if not keep:
            kept.append(data[start:match.start()])
            start = match.end()
    kept.append(data[start:])
    return b"".join(kept)


def _deeper_than(data: bytes, limit: int) -> bool:
    if data.count(b"<") - data.count(b"</") <= limit:
        return False  # (fewer start tags than the limit: half the pages, told at once)
    stack: list[bytes] = []
    held: dict[bytes, int] = {}
    for closing, name in _TAG.findall(data.lower()):  # (one lower() of the page, not one a tag)
        if closing:
            _close(name, stack, held)
        elif name not in _FLAT:
            stack.append(name)
            held[name] = held.get(name, 0) + 1
            if len(stack) > limit:
                return True
    return False


def _close(name: bytes, stack: list[bytes], held: dict[bytes, int]) -> None:
    """Close the nearest open element named ``name`` and all opened after it (none open: nothing)."""
    if not held.get(name):
        return
    while True:
        top = stack.pop()
        held[top] -= 1
        if top == name:
            return


def ancestors(node: LexborNode) -> Iterator[LexborNode]:
    """The elements around ``node``, innermost first."""
    node = node.parent
    while node is not None:
        yield node
        node = node.parent
