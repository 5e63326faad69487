"""Damage detection: what every file of an index held when it was written, checked before use.

A segment's files are written once and never changed. The process that writes a segment seals
it: for each of its files, the size, the modification time and a CRC-32 of the bytes, kept in
the segment's entry of the table of contents (TOC). The TOC itself ends with a footer holding
the CRC-32 of everything before it, as Lucene's files do (Whoosh reads a TOC from its start and
never sees the footer).

Opening a snapshot checks the TOC's footer and every file's size; a file whose modification
time is no longer the one recorded (anything that wrote to it since: a truncation, zeroed or
flipped bytes, a copy over it) is read in full and its CRC compared. Unchanged files are not
read, so a one-shot query stays cheap however large the index; merges and ``verify`` read every
file in full. (An index copied without its files' times, as ``cp -r`` does, is then checked in
full each time it is opened: copy with ``cp -a`` or ``rsync -a``. A change within the clock tick
in which the file was written would keep its time; nothing but its writer writes it then.)
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass

from ...errors import IndexDamaged

FOOTER_MAGIC = b"searchkit-crc32:"
FOOTER_SIZE = len(FOOTER_MAGIC) + 4
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Sealed:
    """What one file of a segment held when it was written."""

    size: int
    mtime_ns: int
    crc: int


def seal(folder: str, segment) -> None:
    """Record the size, time and CRC of each of a just-written segment's files in the segment
    (``segment.sealed``, saved in the TOC with it)."""
    prefix = f"{segment.segment_id()}."
    sealed = {}
    for name in sorted(os.listdir(folder)):
        if name.startswith(prefix):
            with open(os.path.join(folder, name), "rb") as file:
                crc = _crc(file)
                stat = os.fstat(file.fileno())
            sealed[name] = Sealed(stat.st_size, stat.st_mtime_ns, crc)
    segment.sealed = sealed


def sealed_files(folder: str, segment) -> dict[str, Sealed]:
    """The files a segment was sealed with (IndexDamaged when it holds no record of them)."""
    sealed = getattr(segment, "sealed", None)
    if not sealed:
        raise damaged(folder, f"segment {segment.segment_id()} has no checksums (written by an older searchkit?)")
    return sealed


def check(folder: str, name: str, sealed: Sealed, stat: os.stat_result, data) -> None:
    """Check one open file (``data``: its bytes or a map of them) against its seal: its size
    always, its CRC when its modification time changed."""
    _check_size(folder, name, sealed, stat)
    if stat.st_mtime_ns != sealed.mtime_ns and zlib.crc32(data) != sealed.crc:
        raise _changed(folder, name)


def verify(folder: str, segment) -> int:
    """Read every file of a segment in full and check it against its seal; the bytes read."""
    total = 0
    for name, sealed in sealed_files(folder, segment).items():
        path = os.path.join(folder, name)
        try:
            with open(path, "rb") as file:
                _check_size(folder, name, sealed, os.fstat(file.fileno()))
                if _crc(file) != sealed.crc:
                    raise _changed(folder, name)
        except FileNotFoundError:
            raise damaged(folder, f"{name} is missing") from None
        total += sealed.size
    return total


def with_footer(data: bytes) -> bytes:
    """A TOC's bytes followed by their footer."""
    return data + FOOTER_MAGIC + zlib.crc32(data).to_bytes(4, "big")


def without_footer(folder: str, name: str, data: bytes) -> bytes:
    """A TOC's bytes, its footer checked and taken off (IndexDamaged when it does not match)."""
    body, footer = data[:-FOOTER_SIZE], data[-FOOTER_SIZE:]
    if len(data) < FOOTER_SIZE or footer[:-4] != FOOTER_MAGIC:
        raise damaged(folder, f"{name} is cut short or has no checksum")
    if zlib.crc32(body) != int.from_bytes(footer[-4:], "big"):
        raise _changed(folder, name)
    return body


def damaged(folder: str, detail: str) -> IndexDamaged:
    return IndexDamaged(f"the index at {folder} is damaged ({detail}): rebuild it with searchkit index "
                        "(delete the folder first)")


def _check_size(folder: str, name: str, sealed: Sealed, stat: os.stat_result) -> None:
    if stat.st_size != sealed.size:
        raise damaged(folder, f"{name} holds {stat.st_size:,} bytes, {sealed.size:,} were written")


def _changed(folder: str, name: str) -> IndexDamaged:
    return damaged(folder, f"{name} does not hold the bytes that were written (checksum)")


def _crc(file) -> int:
    crc = 0
    while chunk := file.read(_CHUNK):
        crc = zlib.crc32(chunk, crc)
    return crc
