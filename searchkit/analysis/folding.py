"""Folding: the spellings of a word that readers take for the same word become one.

NFKC (full-width and compatibility forms), case folding (ß -> ss), combining diacritics removed
(Zürich -> zurich, ё -> е, ά -> α, Việt -> viet), Arabic harakat, superscript alef and tatweel
removed and the alef forms made one, Hebrew points removed, and the letters that carry their
stroke inside them mapped (ł ø đ ı ħ ŀ -> l o d i h l, æ œ -> ae oe). The marks that are the
vowel signs of their script (Devanagari, Thai and the like) are letters, not accents: they stay.
"""

from __future__ import annotations

import re
import unicodedata

_DIACRITICS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # combining diacritics
    "\u064b-\u065f\u0670\u0640"  # Arabic harakat, superscript alef, tatweel
    "\u0591-\u05c7]"  # Hebrew points and cantillation marks
)
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ħ": "h", "ŀ": "l", "æ": "ae", "œ": "oe",
                          "أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي"})


def fold(word: str) -> str:
    """The folded form of a word."""
    if word.isascii():
        return word.lower()
    word = unicodedata.normalize("NFKC", word).casefold()
    stripped = _DIACRITICS.sub("", unicodedata.normalize("NFD", word))
    return unicodedata.normalize("NFC", stripped).translate(_LETTERS)


def as_written(folded: str) -> str:
    """A folded word as it may be shown: a Greek word ending in σ written with ς (case folding made
    the final sigma σ)."""
    return folded[:-1] + "ς" if folded.endswith("σ") else folded
