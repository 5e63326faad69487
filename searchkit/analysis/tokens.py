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
import unicodedata


def _ranges(codes: list[int]) -> str:
    """A regular expression class body holding these code points, as ranges."""
    parts = []
    start = previous = codes[0]
    for code in [*codes[1:], -1]:
        if code == previous + 1:
            previous = code
            continue
        parts.append(re.escape(chr(start)) + (f"-{re.escape(chr(previous))}" if previous > start else ""))
        start = previous = code
    return "".join(parts)


_MARKS = _ranges([c for c in range(0x10000) if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me")
                  and not chr(c).isalnum() and chr(c) != "_"])
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
_HAS_UNSPACED = re.compile(f"[{UNSPACED}]")
# A run of unspaced script (marks stay with their letters), or a piece of a word between such runs.
_PIECE = re.compile(rf"[{UNSPACED}][{UNSPACED}{_MARKS}]*|[^{UNSPACED}]+")
_CLUSTER = re.compile(rf"[^{_MARKS}][{_MARKS}]*|[{_MARKS}]+")
_POSSESSIVE = re.compile(r"['’]s?$")
_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\.?")


def plain_word(word: str) -> str:
    """A lower-cased word without its possessive 's, and an acronym without its dots."""
    if "'" in word or "’" in word:
        word = _POSSESSIVE.sub("", word)
    if "." in word and _ACRONYM.fullmatch(word):
        word = word.replace(".", "")
    return word


def has_unspaced(word: str) -> bool:
    """Whether a word holds letters of a script written without spaces."""
    return not word.isascii() and _HAS_UNSPACED.search(word) is not None


def pieces(word: str, start: int = 0) -> list[tuple[int, str, bool]]:
    """(offset, piece, unspaced) of the runs of a word that holds unspaced script: the runs of
    that script, and the pieces of other letters between them."""
    return [(start + m.start(), m.group(), _HAS_UNSPACED.match(m.group()) is not None) for m in _PIECE.finditer(word)]


def pairs(run: str) -> list[tuple[int, int]]:
    """(start, end) in ``run`` of its overlapping pairs of characters (marks kept with their
    letter); a run of one character is one."""
    clusters = [(m.start(), m.end()) for m in _CLUSTER.finditer(run)]
    if len(clusters) < 2:
        return clusters
    return [(clusters[i][0], clusters[i + 1][1]) for i in range(len(clusters) - 1)]
