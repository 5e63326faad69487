"""Text normalisation shared by every reader: one definition of clean text (ARTICLE.md)."""

from __future__ import annotations

import re
import unicodedata

# Exotic spaces (no-break, en/em, thin, ideographic, ...) become a plain space.
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Terminal escape sequences, whole: control strings (OSC "ESC]0;title BEL", DCS, APC, ...) up to their
# terminator, CSI sequences ("ESC[2J", "ESC[31m", and their one-byte C1 form), and two- or three-byte
# escapes ("ESC(B", "ESC7"). What is left of an unterminated one loses its control characters below.
_ESCAPES = re.compile(
    r"(?:\x1b[\]P_^X]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b[ -/]*[0-~]"
)
_ESCAPE_START = re.compile(r"[\x1b\x90\x98\x9b\x9d-\x9f]")
# Control characters (but newline), invisible format characters and lone surrogates are dropped.
_DROP = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\ud800-\udfff]")
_RUNS = re.compile(r" {2,}")
# The words of a byline, for every reader: before its names ("By", "Von", "Par", "Por", "Di", "door", "Av", "Af",
# "przez"), labels of its author with a colon or without ("Autorin:", "Autorin/Autor"), with a colon only ("Text:").
BY_WORDS = "by|von|par|por|di|door|av|af|przez"
AUTHOR_LABELS = "written by|words by|reporting by|authors?|autor(?:in)?|auteur|autore"
COLON_LABELS = "text|tekst"
_BY = re.compile(rf"^\s*(?:{BY_WORDS})\s+", re.I)
_NAME_SPLIT = re.compile(r"\s*[,;]\s*|\s*&\s*|\s+(?:and|und|et|y|e|en|og|och)\s+")
# UTF-8 read as Latin-1 or cp1252 somewhere upstream: "sanciÃ³n" for "sanción".
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")
_TRAILING_PLACE = re.compile(r"\s+in\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?$")
_SENTENCE_END = re.compile(r"""[.!?:;…"'”’»)\]]$""")
_FIRST_LETTER = re.compile(r"[^\W_]")
# A line ending like this goes on in the next one.
_OPEN_END = re.compile(
    r"(?:[,(\-–—]|\b(?:a|an|the|of|to|in|on|by|for|and|or|but|with|from|at|as|is|are|was|were|be|been|that"
    r"|their|his|her|its|our|my|your|this|these|those|who|which|will|would|has|have|had|not|than|into"
    r"|about|over|after|before|under|between|said|says))$",
    re.I,
)


def clean_line(text: str) -> str:
    """One line of clean text: NFC, plain spaces, no control characters, single spaces."""
    if text.isascii() and text.isprintable() and "  " not in text:
        return text.strip()  # already clean (most lines of English text): no pass to make
    text = unicodedata.normalize("NFC", text)
    if _ESCAPE_START.search(text):
        text = _ESCAPES.sub("", text)
    text = _DROP.sub("", _SPACES.sub(" ", text.replace("\r", "\n")))
    return _RUNS.sub(" ", text.replace("\n", " ")).strip()


def repair_mojibake(text: str) -> str:
    """Text whose UTF-8 was decoded as a single-byte encoding, decoded right; other text unchanged."""
    if not _MOJIBAKE.search(text):
        return text
    for encoding in ("cp1252", "latin-1"):
        try:
            return text.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
    return text


def clean_lines(text: str) -> list[str]:
    """Split text into lines (keeping blank ones as ``""``), each cleaned."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return [clean_line(line) for line in text.split("\n")]


def continues(line: str, next_line: str) -> bool:
    """True when the break between two lines falls inside a sentence (a wrapped line)."""
    if _SENTENCE_END.search(line):
        return False
    first = _FIRST_LETTER.search(next_line)
    return bool(_OPEN_END.search(line)) or bool(first and first.group().islower())


def join_wrapped(lines: list[str]) -> list[str]:
    """Join the lines of one block that were broken inside a sentence; each other line is a paragraph."""
    paragraphs: list[str] = []
    for line in lines:
        if not line:
            continue
        if paragraphs and continues(paragraphs[-1], line):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs


def clean_body(text: str) -> str:
    """Article text as paragraphs separated by exactly one blank line."""
    paragraphs: list[str] = []
    block: list[str] = []
    for line in clean_lines(text) + [""]:
        if line:
            block.append(line)
        elif block:
            paragraphs.extend(join_wrapped(block))
            block = []
    return "\n\n".join(paragraphs)


def split_names(byline: str) -> list[str]:
    """The people and desks of a byline: "By Jane Doe and John Roe in Beirut, Reuters" -> 3 names."""
    names = []
    for name in _NAME_SPLIT.split(_BY.sub("", clean_line(byline)).rstrip(".")):
        name = _TRAILING_PLACE.sub("", name.strip())
        if name:
            names.append(name)
    return names


def unique(values: list[str]) -> list[str]:
    """Clean each value, dropping empties and later duplicates (compared case-insensitively)."""
    seen: set[str] = set()
    result = []
    for value in values:
        value = clean_line(value)
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result
