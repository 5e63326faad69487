"""Bytes to text: gzip, byte-order marks, UTF-8, and a legacy fallback."""

from __future__ import annotations

import gzip
import zlib

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
    """Decode text: a BOM wins, then a declared charset, then UTF-8, then Windows-1252."""
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return data[len(mark):].decode(codec, errors="replace")
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
