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
from collections.abc import Iterable, Iterator, Set

import Stemmer

WORD = re.compile(r"\w+(?:[.'’]\w+)*")
_WORD_CHAR = re.compile(r"\w")
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


def find(text: str, wanted: Set[str]) -> list[tuple[int, int, str]]:
    """The spans of the words of a text whose term is wanted: what ``spans`` gives for them.

    A term begins as its words begin (stemming trims ends), so only the places where a wanted
    term's first letters stand at the start of a word are read as words: a snippet is cut
    from a few matches, not from a tokenised article.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # lower-casing moved the offsets ("İ" becomes two characters)
        return [span for span in spans(text) if span[2] in wanted]
    starts: set[int] = set()
    for prefix in {_prefix(wanted_term) for wanted_term in wanted}:
        at = lowered.find(prefix)
        while at != -1:
            starts.add(at)
            at = lowered.find(prefix, at + 1)
    found = []
    for at in sorted(starts):
        if at and (_WORD_CHAR.match(text, at - 1) or (at > 1 and text[at - 1] in ".'’" and _WORD_CHAR.match(text, at - 2))):
            continue  # inside a word
        match = WORD.match(text, at)
        if match:
            found_term = term(match.group().lower())
            if found_term in wanted:
                found.append((at, match.end(), found_term))
    return found


def _prefix(found_term: str) -> str:
    """What every word with this term begins with (its first letter, for short terms and terms of
    acronyms, whose dots the term has lost)."""
    return found_term[:3] if len(found_term) >= 3 and found_term[:3].isalpha() else found_term[:1]
