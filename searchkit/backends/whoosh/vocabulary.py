"""The terms of the index, read for wildcards, fuzzy words and spelling suggestions, within the
budgets of ``querylang.expansion``.

The hidden ``words`` field holds the words of every title and body (lower-cased, without
possessives and acronym dots), unstemmed. Whoosh reads a field's terms at about 5 µs each
(Reuters' 60,000 words: 0.4 s), so a query's ``BUDGET`` of words read is about 2 s here.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.reading import IndexReader

from ...querylang.expansion import Vocabulary

WORDS_FIELD = "words"  # the schema field holding the vocabulary


class Lexicon(Vocabulary):
    """The terms of an index's fields (``where``: a field's name)."""

    def __init__(self, reader: IndexReader, budget: int | None = None) -> None:
        super().__init__(budget)
        self.reader = reader

    def read(self, where: str, prefix: str) -> Iterator[str]:
        for term in self.reader.expand_prefix(where, prefix):
            yield term.decode("utf-8") if isinstance(term, bytes) else term
