"""The archive's vocabulary (``NAME_words``): the words of titles and bodies as written (group 0)
and the terms of the other full-text fields (group i: ``schema.TEXT_FIELDS[i-1]``), read for
wildcards, fuzzy words and spelling suggestions within the budgets of the Whoosh backend's
vocabulary (``backends.whoosh.vocabulary``): at most ``BUDGET`` words read per query, and patterns
standing for at most ``MAX_EXPANSIONS`` words together.
"""

from __future__ import annotations

import re

from ...errors import QueryError
from ...querylang.parser import excerpt

BUDGET = 250_000
MAX_EXPANSIONS = 1024
MAX_FUZZY_LETTERS = 64
_PREFIX_SAFE = re.compile(r"^[\w.'’]*$")


class Vocabulary:
    """The words of an archive's vocabulary index, read once per (group, prefix) and counted."""

    def __init__(self, run, index: str, budget: int | None = None) -> None:
        self.run = run  # run(sql, args) -> rows, on the head
        self.index = index
        self.budget = BUDGET if budget is None else budget
        self.read = 0
        self.expanded = 0
        self._lists: dict[tuple[int, str], list[str]] = {}

    def terms(self, group: int, prefix: str = "") -> list[str]:
        """The words of a group that start with ``prefix``; QueryError when the budget runs out."""
        key = (group, prefix)
        if key not in self._lists:
            room = self.budget - self.read + 1
            options = f"ORDER BY w ASC LIMIT {room} OPTION max_matches={room}"
            if prefix and _PREFIX_SAFE.match(prefix):
                rows = self.run(f"SELECT w FROM {self.index} WHERE MATCH(%s) AND grp = {group} {options}",
                                (f"@word {prefix}*",))
            else:
                rows = self.run(f"SELECT w FROM {self.index} WHERE grp = {group} {options}", None)
            found = [row[0] for row in rows if row[0].startswith(prefix)]
            self.read += len(rows)
            if self.read > self.budget:
                raise QueryError(
                    f"the query's wildcards and fuzzy words would read more than {self.budget:,} words of the "
                    "index: give them more letters (before the first * or ?)"
                )
            self._lists[key] = found
        return self._lists[key]

    def _capped(self, pattern: str, words: list[str]) -> list[str]:
        self.expanded += len(words)
        if len(words) > MAX_EXPANSIONS:
            raise QueryError(f"'{excerpt(pattern)}' matches more than {MAX_EXPANSIONS:,} words of the index: give it more letters")
        if self.expanded > MAX_EXPANSIONS:
            raise QueryError(
                f"the query's wildcards and fuzzy words match more than {MAX_EXPANSIONS:,} words of the index together: "
                "give them more letters"
            )
        return words

    def matching(self, group: int, pattern: str) -> list[str]:
        prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
        regex = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S)
        return self._capped(pattern, [word for word in self.terms(group, prefix) if regex.fullmatch(word)])

    def within(self, group: int, word: str, edits: int, prefix: int = 0) -> list[str]:
        from ..whoosh.vocabulary import distance  # (pure Python: Whoosh itself is not needed)

        if len(word) > MAX_FUZZY_LETTERS:
            return []
        low, high = len(word) - edits, len(word) + edits
        return self._capped(f"{word}~{edits}", [term for term in self.terms(group, word[:prefix])
                                                if low <= len(term) <= high and distance(word, term, edits) <= edits])
