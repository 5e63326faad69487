"""Text analysis: how text becomes index terms, in one pass.

Words are runs of letters and digits, joined across inner dots and apostrophes; they are
lower-cased, lose a possessive 's ("Pentagon's" -> "pentagon") and an acronym's dots ("U.S." ->
"us"), and, in full-text fields, are reduced to their Porter stem (cached). The same functions
serve indexing (through :class:`WordAnalyzer`, which speaks Whoosh's analyzer protocol), query
parsing, snippets and relevance feedback, so every stage agrees on what a term is. One regular
expression scan and a dictionary lookup per word replace Whoosh's chain of token filters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem

WORD = re.compile(r"\w+(?:[.'’]\w+)*")
_POSSESSIVE = re.compile(r"['’]s?$")
_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\.?")
_STEMS: dict[str, str] = {}  # lower-cased word -> term
_TERMS: dict[str, str] = {}  # word as written -> term
_STEM_CACHE_LIMIT = 1_000_000


def plain_word(word: str) -> str:
    """A lower-cased word without its possessive 's, and an acronym without its dots."""
    if "'" in word or "’" in word:
        word = _POSSESSIVE.sub("", word)
    if "." in word and _ACRONYM.fullmatch(word):
        word = word.replace(".", "")
    return word


def term(word: str) -> str:
    """The stemmed index term of a lower-cased word."""
    stemmed = _STEMS.get(word)
    if stemmed is None:
        if len(_STEMS) >= _STEM_CACHE_LIMIT:
            _STEMS.clear()
        stemmed = _STEMS[word] = stem(plain_word(word))
    return stemmed


def stemmed(words: Iterable[str]) -> Iterator[str]:
    """The stemmed terms of words as written (indexing's hottest loop: one cache lookup a word)."""
    get = _TERMS.get
    return (get(word) or _learn(word) for word in words)


def _learn(word: str) -> str:
    if len(_TERMS) >= _STEM_CACHE_LIMIT:
        _TERMS.clear()
    stemmed = _TERMS[word] = term(word.lower())
    return stemmed


def terms(text: str) -> list[str]:
    """The stemmed terms of a text, in order."""
    return list(stemmed(WORD.findall(text)))


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, stemmed term) of every word of a text."""
    for match in WORD.finditer(text):
        yield match.start(), match.end(), term(match.group().lower())


class WordAnalyzer(Tokenizer):
    """The analyzer of full-text fields (``stemming=True``) and name fields (``stemming=False``)."""

    def __init__(self, stemming: bool = True) -> None:
        self.stemming = stemming

    def __eq__(self, other) -> bool:
        return isinstance(other, WordAnalyzer) and other.stemming == self.stemming

    def __hash__(self) -> int:
        return hash(self.stemming)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ):
        normalize = term if self.stemming else plain_word
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = value
            token.text = normalize(value.lower())
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        for position, match in enumerate(WORD.finditer(value)):
            word = match.group()
            token.text = normalize(word.lower())
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token
