"""The terms of the index, read for wildcards, fuzzy words and spelling suggestions, within a budget.

The hidden ``words`` field holds the words of every title and body (lower-cased, without
possessives and acronym dots), unstemmed. Whoosh reads a field's terms at about 5 µs each
(Reuters' 60,000 words: 0.4 s). A wildcard reads the terms that start with its letters before
the first ``*`` or ``?``; a leading wildcard or a fuzzy word reads them all. So that no query
can run on and on, a query reads at most ``BUDGET`` terms (about 2 s here; each list is read
once per query, whatever number of words share it), and its patterns may stand for at most
``MAX_EXPANSIONS`` words together (Lucene's clause limit; each costs a few lookups in each
field): beyond either, the query is refused with a message.
"""

from __future__ import annotations

import re

from whoosh.reading import IndexReader

from ...errors import QueryError
from ...querylang.parser import excerpt

BUDGET = 250_000
MAX_EXPANSIONS = 1024
MAX_FUZZY_LETTERS = 64  # longer words are matched exactly (no real word is that long)
WORDS_FIELD = "words"  # the schema field holding the vocabulary


class Lexicon:
    """The terms of an index's fields, read once per (field, prefix) and counted."""

    def __init__(self, reader: IndexReader, budget: int | None = None) -> None:
        self.reader = reader
        self.budget = BUDGET if budget is None else budget
        self.read = 0
        self.expanded = 0
        self._lists: dict[tuple[str, str], list[str]] = {}

    def terms(self, field: str, prefix: str = "") -> list[str]:
        """The terms of a field that start with ``prefix``; QueryError when the budget runs out."""
        key = (field, prefix)
        if key not in self._lists:
            found = []
            for term in self.reader.expand_prefix(field, prefix):
                self.read += 1
                if self.read > self.budget:
                    raise QueryError(
                        f"the query's wildcards and fuzzy words would read more than {self.budget:,} words of the "
                        "index: give them more letters (before the first * or ?)"
                    )
                found.append(term.decode("utf-8") if isinstance(term, bytes) else term)
            self._lists[key] = found
        return self._lists[key]

    def _capped(self, pattern: str, words: list[str]) -> list[str]:
        """The words a pattern stands for, counted against ``MAX_EXPANSIONS`` for the query."""
        self.expanded += len(words)
        if len(words) > MAX_EXPANSIONS:
            raise QueryError(f"'{excerpt(pattern)}' matches more than {MAX_EXPANSIONS:,} words of the index: give it more letters")
        if self.expanded > MAX_EXPANSIONS:
            raise QueryError(
                f"the query's wildcards and fuzzy words match more than {MAX_EXPANSIONS:,} words of the index together: "
                "give them more letters"
            )
        return words

    def matching(self, field: str, pattern: str) -> list[str]:
        """The terms of a field that a wildcard pattern matches (``*`` any letters, ``?`` one)."""
        prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
        regex = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S)
        return self._capped(pattern, [term for term in self.terms(field, prefix) if regex.fullmatch(term)])

    def within(self, field: str, word: str, edits: int, prefix: int = 0) -> list[str]:
        """The terms of a field within ``edits`` edits of ``word`` (sharing its first ``prefix`` letters)."""
        if len(word) > MAX_FUZZY_LETTERS:
            return []
        candidates = self.terms(field, word[:prefix])
        low, high = len(word) - edits, len(word) + edits
        return self._capped(
            f"{word}~{edits}",
            [term for term in candidates if low <= len(term) <= high and distance(word, term, edits) <= edits],
        )


def distance(a: str, b: str, limit: int) -> int:
    """The edit distance of two words (insertions, deletions, substitutions and swaps of
    neighbours, as Lucene counts), or ``limit + 1`` once it is known to exceed ``limit``.

    Only cells within ``limit`` of the diagonal are computed, so the cost is at most
    (2 x limit + 1) cells a letter, whatever the words.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    beyond = limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [beyond] * (len(b) + 1)
        if i <= limit:
            current[0] = i
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            cost = a[i - 1] != b[j - 1]
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, before[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return beyond
        before, previous = previous, current
    return min(previous[len(b)], beyond)
