"""Duplicates: the same article saved twice, and syndicated copies of one story.

An exact duplicate has the same normalised body (case and spacing aside) as an article already
stored; it is not stored again. A near duplicate (a wire story re-published with another intro,
byline or sign-off) is kept, and grouped with its kin at query time: each article carries a
signature, a one-permutation MinHash of its word 3-shingles in 32 bins (16 bits kept of each
minimum; in Chinese, Japanese, Thai and the like, each pair of characters counts as a word);
two articles are grouped when their signatures agree in at least 24 bins, which happens for
about 99% of pairs sharing 90% of their shingles, 74% at 80%, and 0.4% at 50%.
Candidates are found through 8 bands of 4 bins, so grouping a result list is linear in its size.
Bodies under 96 words get no signature and are never grouped.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable

from .analysis import words as words_of

BINS = 32
AGREEING_BINS = 24
BAND = 4
_EMPTY = 0xFFFFFFFF
_PACK = struct.Struct(f"<{BINS}H")
_SLOT = (BINS - 1).__and__  # a shingle's bin, from its hash


def body_hash(body: str) -> str:
    """A key equal for bodies that differ only in case and spacing; "" for an empty body."""
    words = " ".join(body.lower().split())
    return hashlib.blake2b(words.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest() if words else ""


def signature(body: str) -> bytes:
    """The body's MinHash signature; empty for bodies too short to compare."""
    words = words_of(body)
    if len(words) < 3 * BINS:
        return b""
    shingles = list(map(" ".join, zip(words, words[1:], words[2:])))
    try:
        values = sorted(map(zlib.crc32, map(str.encode, shingles)), reverse=True)
    except UnicodeEncodeError:  # lone surrogates
        values = sorted((zlib.crc32(shingle.encode("utf-8", "surrogatepass")) for shingle in shingles), reverse=True)
    least = dict(zip(map(_SLOT, values), values))  # each bin's least value (the last one given for it)
    return _PACK.pack(*(least.get(slot, _EMPTY) & 0xFFFF for slot in range(BINS)))


def group(signatures: Iterable[tuple[int, bytes]]) -> dict[int, int]:
    """For documents given in rank order as (docnum, signature), the docnum each belongs to:
    the first-ranked member of its group of near duplicates (itself when it has none).

    Only bands are looked up for most documents; signatures are compared in full only when a
    band matches.
    """
    leader: dict[int, int] = {}
    seen: dict[int, bytes] = {}
    bands: dict[bytes, list[int]] = {}
    width = 2 * BAND
    for docnum, packed in signatures:
        leader[docnum] = docnum
        if not packed:
            continue
        keys = [bytes((band,)) + packed[band * width:(band + 1) * width] for band in range(BINS // BAND)]
        match = next((other for key in keys for other in bands.get(key, ()) if _agree(packed, seen[other])), None)
        if match is not None:
            leader[docnum] = leader[match]
            continue
        seen[docnum] = packed
        for key in keys:
            bands.setdefault(key, []).append(docnum)
    return leader


def _agree(a: bytes, b: bytes) -> bool:
    return sum(x == y for x, y in zip(_PACK.unpack(a), _PACK.unpack(b))) >= AGREEING_BINS
