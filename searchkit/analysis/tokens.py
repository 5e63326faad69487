"""Words as written: where a word begins and ends, and the scripts written without spaces.

A word is a run of letters, digits and combining marks (the marks of the Basic Multilingual
Plane: a Hindi or Thai word is not cut at its vowel signs, as ``\\w`` alone cuts it), joined
across inner dots and apostrophes ("U.S.", "don't"). As fast as ``\\w+``: the marks are one
character class, which the regular expression engine keeps as a bitmap.

Han, kana, Hangul, Thai, Lao, Khmer and Myanmar are written without spaces between words (Hangul
with spaces between phrases): their runs are cut into overlapping pairs of characters, as
Lucene's CJK analyzer does, a character keeping its marks; a lone character stays one.
"""

from __future__ import annotations

import re
from functools import cache

_MARKS = (  # the Mn, Mc and Me characters of the BMP that \w lacks, Unicode 14.0
    # (Python 3.11): a literal, since finding them takes 30-60 ms of every command's start (tested)
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7\u0610-\u061a"
    "\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7-\u06e8\u06ea-\u06ed\u0711\u0730-\u074a"
    "\u07a6-\u07b0\u07eb-\u07f3\u07fd\u0816-\u0819\u081b-\u0823\u0825-\u0827\u0829-\u082d\u0859-\u085b"
    "\u0898-\u089f\u08ca-\u08e1\u08e3-\u0903\u093a-\u093c\u093e-\u094f\u0951-\u0957\u0962-\u0963"
    "\u0981-\u0983\u09bc\u09be-\u09c4\u09c7-\u09c8\u09cb-\u09cd\u09d7\u09e2-\u09e3\u09fe\u0a01-\u0a03"
    "\u0a3c\u0a3e-\u0a42\u0a47-\u0a48\u0a4b-\u0a4d\u0a51\u0a70-\u0a71\u0a75\u0a81-\u0a83\u0abc"
    "\u0abe-\u0ac5\u0ac7-\u0ac9\u0acb-\u0acd\u0ae2-\u0ae3\u0afa-\u0aff\u0b01-\u0b03\u0b3c\u0b3e-\u0b44"
    "\u0b47-\u0b48\u0b4b-\u0b4d\u0b55-\u0b57\u0b62-\u0b63\u0b82\u0bbe-\u0bc2\u0bc6-\u0bc8\u0bca-\u0bcd"
    "\u0bd7\u0c00-\u0c04\u0c3c\u0c3e-\u0c44\u0c46-\u0c48\u0c4a-\u0c4d\u0c55-\u0c56\u0c62-\u0c63"
    "\u0c81-\u0c83\u0cbc\u0cbe-\u0cc4\u0cc6-\u0cc8\u0cca-\u0ccd\u0cd5-\u0cd6\u0ce2-\u0ce3\u0d00-\u0d03"
    "\u0d3b-\u0d3c\u0d3e-\u0d44\u0d46-\u0d48\u0d4a-\u0d4d\u0d57\u0d62-\u0d63\u0d81-\u0d83\u0dca"
    "\u0dcf-\u0dd4\u0dd6\u0dd8-\u0ddf\u0df2-\u0df3\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc"
    "\u0ec8-\u0ecd\u0f18-\u0f19\u0f35\u0f37\u0f39\u0f3e-\u0f3f\u0f71-\u0f84\u0f86-\u0f87\u0f8d-\u0f97"
    "\u0f99-\u0fbc\u0fc6\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074"
    "\u1082-\u108d\u108f\u109a-\u109d\u135d-\u135f\u1712-\u1715\u1732-\u1734\u1752-\u1753\u1772-\u1773"
    "\u17b4-\u17d3\u17dd\u180b-\u180d\u180f\u1885-\u1886\u18a9\u1920-\u192b\u1930-\u193b\u1a17-\u1a1b"
    "\u1a55-\u1a5e\u1a60-\u1a7c\u1a7f\u1ab0-\u1ace\u1b00-\u1b04\u1b34-\u1b44\u1b6b-\u1b73\u1b80-\u1b82"
    "\u1ba1-\u1bad\u1be6-\u1bf3\u1c24-\u1c37\u1cd0-\u1cd2\u1cd4-\u1ce8\u1ced\u1cf4\u1cf7-\u1cf9"
    "\u1dc0-\u1dff\u20d0-\u20f0\u2cef-\u2cf1\u2d7f\u2de0-\u2dff\u302a-\u302f\u3099-\u309a\ua66f-\ua672"
    "\ua674-\ua67d\ua69e-\ua69f\ua6f0-\ua6f1\ua802\ua806\ua80b\ua823-\ua827\ua82c\ua880-\ua881"
    "\ua8b4-\ua8c5\ua8e0-\ua8f1\ua8ff\ua926-\ua92d\ua947-\ua953\ua980-\ua983\ua9b3-\ua9c0\ua9e5"
    "\uaa29-\uaa36\uaa43\uaa4c-\uaa4d\uaa7b-\uaa7d\uaab0\uaab2-\uaab4\uaab7-\uaab8\uaabe-\uaabf\uaac1"
    "\uaaeb-\uaaef\uaaf5-\uaaf6\uabe3-\uabea\uabec-\uabed\ufb1e\ufe00-\ufe0f\ufe20-\ufe2f"
)
WORD = re.compile(rf"[\w{_MARKS}]+(?:[.'’][\w{_MARKS}]+)*")
WORD_CHAR = re.compile(rf"[\w{_MARKS}]")

UNSPACED = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # Hangul
    "\u3005\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # kana (with half-width), iteration mark
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # Han
)
_FIRST_UNSPACED = "\u0e00"  # the lowest letter of UNSPACED
_POSSESSIVE = re.compile(r"['’]s?$")
_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\.?")


@cache
def _unspaced() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The patterns of unspaced script: a letter of it; a run of it (marks stay with their
    letters) or a piece of a word between such runs; a character with its marks. Compiled on
    first use: their classes cost 40-80 ms, which a one-shot query in ASCII need not pay."""
    return (re.compile(f"[{UNSPACED}]"), re.compile(rf"[{UNSPACED}][{UNSPACED}{_MARKS}]*|[^{UNSPACED}]+"),
            re.compile(rf"[^{_MARKS}][{_MARKS}]*|[{_MARKS}]+"))


def plain_word(word: str) -> str:
    """A lower-cased word without its possessive 's, and an acronym without its dots."""
    if "'" in word or "’" in word:
        word = _POSSESSIVE.sub("", word)
    if "." in word and _ACRONYM.fullmatch(word):
        word = word.replace(".", "")
    return word


def has_unspaced(word: str) -> bool:
    """Whether a word holds letters of a script written without spaces."""
    if word.isascii() or max(word) < _FIRST_UNSPACED:  # (Latin, Greek, Cyrillic, Arabic, Indic: no pattern needed)
        return False
    return _unspaced()[0].search(word) is not None


def pieces(word: str, start: int = 0) -> list[tuple[int, str, bool]]:
    """(offset, piece, unspaced) of the runs of a word that holds unspaced script: the runs of
    that script, and the pieces of other letters between them."""
    letter, piece, _ = _unspaced()
    return [(start + m.start(), m.group(), letter.match(m.group()) is not None) for m in piece.finditer(word)]


def characters(run: str) -> list[tuple[int, int]]:
    """(start, end) in ``run`` of its characters, each with its marks."""
    return [(m.start(), m.end()) for m in _unspaced()[2].finditer(run)]


def pairs(run: str) -> list[tuple[int, int]]:
    """(start, end) in ``run`` of its overlapping pairs of characters (marks kept with their
    letter); a run of one character is one."""
    clusters = characters(run)
    if len(clusters) < 2:
        return clusters
    return [(clusters[i][0], clusters[i + 1][1]) for i in range(len(clusters) - 1)]
