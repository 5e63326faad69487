"""How counts are said to people: "1 file", "2 files", "1,204 articles"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """A count and its noun, singular for one (``plural`` when the noun does not take an s)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
