"""Text analysis: how text becomes index terms, in one pass.

Words are runs of letters and digits, joined across inner dots and apostrophes; they are
lower-cased, lose a possessive 's ("Pentagon's" -> "pentagon") and an acronym's dots ("U.S." ->
"us"), and, in full-text fields, are reduced to their Porter stem (PyStemmer, cached). The same functions
serve indexing (the Whoosh backend's analyzer speaks Whoosh's protocol over them), query
parsing, snippets and relevance feedback, so every stage agrees on what a term is. One regular
expression scan and a dictionary lookup per word replace Whoosh's chain of token filters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import Stemmer

WORD = re.compile(r"\w+(?:[.'’]\w+)*")
_POSSESSIVE = re.compile(r"['’]s?$")
_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\.?")
_STEMS: dict[str, str] = {}  # lower-cased word -> term
_TERMS: dict[str, str] = {}  # word as written -> term
_STEM_CACHE_LIMIT = 1_000_000
# Snowball's Porter stemmer, C build (Whoosh's pure-Python one is buggy: planning -> "plann").
stem = Stemmer.Stemmer("porter").stemWord


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
