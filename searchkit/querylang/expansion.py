"""Wildcards and fuzzy words against an index's vocabulary, within a budget, for every backend.

A backend gives the words of its vocabulary (or of a field) that start with some letters
(``Vocabulary.read``); this module reads each list once per query, matches patterns and fuzzy
words against them, and keeps queries bounded: a query reads at most ``BUDGET`` words (a
wildcard reads the words that start with its letters before the first ``*`` or ``?``; a leading
wildcard or a fuzzy word reads them all), and its patterns may stand for at most
``MAX_EXPANSIONS`` words together (Lucene's clause limit): beyond either, the query is refused
with a message. ``merged`` gives the terms a pattern's words stand for, once each, with the
languages they are kept to (``analysis.query_tokens``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable

from ..analysis import query_tokens
from ..errors import QueryError
from .parser import excerpt

BUDGET = 250_000
MAX_EXPANSIONS = 1024
MAX_FUZZY_LETTERS = 64  # longer words are matched exactly (no real word is that long)

Variant = tuple[str, frozenset[str] | None, frozenset[str]]  # a term, the languages it is kept to, those it is not for


class Vocabulary:
    """The words of an index, read once per (where, prefix) and counted; a backend implements ``read``."""

    def __init__(self, budget: int | None = None) -> None:
        self.budget = BUDGET if budget is None else budget
        self.read_so_far = 0
        self.expanded = 0
        self._lists: dict[tuple[Hashable, str], list[str]] = {}

    def read(self, where: Hashable, prefix: str) -> Iterable[str]:
        """The words of ``where`` (a field, a group) from ``prefix`` on, in order (a backend may
        give words that do not start with it: they are counted and left out)."""
        raise NotImplementedError

    def terms(self, where: Hashable, prefix: str = "") -> list[str]:
        """The words of ``where`` that start with ``prefix``; QueryError when the budget runs out."""
        key = (where, prefix)
        if key not in self._lists:
            found = []
            for word in self.read(where, prefix):
                self.read_so_far += 1
                if self.read_so_far > self.budget:
                    raise QueryError(
                        f"the query's wildcards and fuzzy words would read more than {self.budget:,} words of the "
                        "index: give them more letters (before the first * or ?)"
                    )
                if word.startswith(prefix):
                    found.append(word)
            self._lists[key] = found
        return self._lists[key]

    def matching(self, where: Hashable, pattern: str) -> list[str]:
        """The words that a wildcard pattern matches (``*`` any letters, ``?`` one)."""
        prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
        regex = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S)
        return self._capped(pattern, [word for word in self.terms(where, prefix) if regex.fullmatch(word)])

    def within(self, where: Hashable, word: str, edits: int, prefix: int = 0) -> list[str]:
        """The words within ``edits`` edits of ``word`` (sharing its first ``prefix`` letters)."""
        if len(word) > MAX_FUZZY_LETTERS:
            return []
        low, high = len(word) - edits, len(word) + edits
        return self._capped(f"{word}~{edits}", [term for term in self.terms(where, word[:prefix])
                                                if low <= len(term) <= high and distance(word, term, edits) <= edits])

    def close_words(self, where: Hashable, word: str, known: Callable[[str], bool]) -> list[str]:
        """The words a word unknown to the index may have been meant as (for a suggestion): those
        one edit away; else its stems that are words of the index (``known``: a stemmer that stems
        "depremler" to "deprem" but "deprem" to "depre") and, for words of six letters or more,
        those two edits away."""
        found = self.within(where, word, 1, prefix=1)
        if not found:
            found = [stem for token in query_tokens(word)[:1] for stem, _ in token.stems if known(stem)]
            if len(word) > 5:
                found += self.within(where, word, 2, prefix=1)
        return sorted(set(found))

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


def merged(variants: list[Variant]) -> list[Variant]:
    """One variant per term, for the articles of every language any of its variants is for (the
    words a pattern stands for may share a term: "wahl", and "wahlen" in German)."""
    kept: dict[str, set[str]] = {}
    excepted: dict[str, frozenset[str]] = {}
    for text, languages, others in variants:
        if languages is None:
            excepted[text] = excepted[text] & others if text in excepted else others
        else:
            kept.setdefault(text, set()).update(languages)
    found = [(text, None, frozenset(others - kept.get(text, set()))) for text, others in excepted.items()]
    found += [(text, frozenset(languages), frozenset()) for text, languages in kept.items() if text not in excepted]
    return sorted(found, key=lambda variant: (variant[0], sorted(variant[1] or ())))


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
