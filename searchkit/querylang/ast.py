"""A query as written, as a tree of plain dataclasses (``parser.parse`` makes it).

Leaves carry the field they are scoped to (None: the default fields) and their boost; field
scopes and boosts written on brackets (``title:(a b)^2``) are already pushed down to the leaves.
Nothing here knows of an index: ``plan.py`` applies the language's rules to the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Word:
    """A word as written: ``ceasefire``, ``al-Bab``, ``title:pentagon``."""

    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """``"proxy army"``; with ``proximity``, ``"a b"~8``: the words within that many positions."""

    text: str
    field: str | None = None
    boost: float = 1.0
    proximity: int | None = None


@dataclass(frozen=True)
class Wildcard:
    """``automat*``, ``wom?n``: ``*`` stands for any letters, ``?`` for one."""

    pattern: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Fuzzy:
    """``word~1``: the words within ``edits`` insertions, deletions, substitutions or swaps."""

    text: str
    edits: int
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class DateSpan:
    """``date:2017-03`` and its ranges: a date field (``published``, ``crawled``) on or after
    ``start``, before ``end`` (None: open)."""

    start: datetime | None
    end: datetime | None
    field: str = "published"


@dataclass(frozen=True)
class Everything:
    """A lone ``*``: every article."""


@dataclass(frozen=True)
class Group:
    """Clauses side by side (``a b -c +d``): any of the words; ``Required`` and ``Not`` mark the others."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """``NOT a``, ``!a``, ``-a``."""

    child: Node


@dataclass(frozen=True)
class Required:
    """``+a`` in a group: the articles must match it."""

    child: Node


Leaf = Word | Phrase | Wildcard | Fuzzy | DateSpan | Everything
Node = Leaf | Group | And | Or | Not | Required
