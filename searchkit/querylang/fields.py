"""The fields a query may name, as the language sees them: what kind of value each holds.

The names, aliases and default weights are declared once for every layer (``searchkit.fields``);
here each field gets the kind that decides how a query's words become its terms. A backend
indexes each field so that these kinds hold (``tests/test_query_language.py`` checks the Whoosh
schema against them).
"""

from __future__ import annotations

from enum import Enum

from ..fields import ALIASES, DATE_FIELDS, DEFAULT_FIELDS, NAME_FIELDS, QUERY_FIELDS


class Kind(Enum):
    TEXT = "text"  # full text: words reduced to their stems
    NAME = "name"  # names: words lower-cased, not stemmed
    KEYWORD = "keyword"  # one exact value (a language code, an id)
    DATE = "date"  # a date (``fields.DATE_FIELDS``)


def _kind(name: str) -> Kind:
    if name in DEFAULT_FIELDS:
        return Kind.TEXT
    if name in NAME_FIELDS:
        return Kind.NAME
    return Kind.DATE if name in DATE_FIELDS else Kind.KEYWORD


FIELDS = {name: _kind(name) for name in QUERY_FIELDS}
# Keyword fields whose values are compared without regard to case.
CASELESS = frozenset({"lang"})


def field_named(name: str) -> str | None:
    """The field a name written in a query stands for (None when there is none)."""
    name = ALIASES.get(name.lower(), name.lower())
    return name if name in FIELDS else None


def known_names() -> list[str]:
    """Every field name a user may write, for error messages."""
    return sorted({*FIELDS, *ALIASES})
