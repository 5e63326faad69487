"""Bytes to text: gzip, byte-order marks, UTF-8, and a legacy fallback."""

from __future__ import annotations

import codecs
import gzip
import zlib
from functools import lru_cache

from ..errors import ReadError

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def gunzip(data: bytes) -> bytes:
    """The content of gzip data, or ReadError when it is truncated or corrupt."""
    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as error:
        raise ReadError(f"broken gzip data ({error})") from None


def is_binary(data: bytes) -> bool:
    """True for data that is evidently not text (NUL bytes near the start, without a UTF-16 mark)."""
    head = data[:8192]
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode text: a BOM wins, then a declared charset, then UTF-8, then a legacy single-byte guess.

    A declared single-byte charset (ISO-8859-1, Windows-1252, ...) gives way to UTF-8 when the
    bytes are valid UTF-8 beyond ASCII: pages converted to UTF-8 often keep their old
    declaration, and text really in a single-byte charset is almost never valid UTF-8 ("FÃ¼r")."""
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return data[len(mark):].decode(codec, errors="replace")
    if declared and _single_byte(declared) and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(legacy_encoding(data), errors="replace")


def legacy_encoding(data: bytes) -> str:
    """The likeliest single-byte encoding of non-UTF-8 text: KOI8-R, Windows-1251 or Windows-1252.

    Cyrillic text is mostly high bytes (whole words), Latin text only a few accents; KOI8-R puts
    lower-case Cyrillic letters in 0xC0-0xDF and Windows-1251 in 0xE0-0xFF, and running text is
    mostly lower case. Windows-1252 covers Latin-1's printable characters as well.
    """
    sample = data[:65536]
    letters = sum(1 for byte in sample if byte >= 0xC0 or 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A)
    high = [byte for byte in sample if byte >= 0xC0]
    if not letters or len(high) < 0.3 * letters:
        return "cp1252"
    low_half = sum(1 for byte in high if byte < 0xE0)
    return "koi8_r" if low_half > len(high) / 2 else "cp1251"


@lru_cache(maxsize=64)
def _single_byte(charset: str) -> bool:
    """Whether a charset writes every character it holds as one byte (False when unknown)."""
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        return False
    return all(len(char.encode(codec, errors="ignore")) <= 1 for char in "éЖ中ا")
