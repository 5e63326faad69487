"""Whoosh's W3 codec with field lengths read in one go, postings written a term at a time, and
short posting lists kept in the term's info.

Whoosh keeps each document's field length as one byte in a column and, while writing postings,
reads it back one document at a time for every posting (about a quarter of indexing time).
This codec's per-document reader reads a field's whole length column once and answers from
memory; its postings writer takes a term's whole posting list at once instead of checking and
appending one posting at a time; its term table is keyed by CRC32 rather than MD5 (W3's
tables name their hash, and Whoosh reads both); postings are pickled with protocol 4 rather than
2 (Whoosh unpickles either). Everything else it writes is what W3 writes. ``scoring``
reads lengths through it too. Segments record their codec, so indexes written with it are read
with it.
"""

from __future__ import annotations

import struct
from array import array
from pickle import dumps
from zlib import compress, crc32

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3LeafMatcher, W3PerDocReader, W3PostingsWriter,
    W3TermInfo, _lenfield,
)
from whoosh.filedb.filetables import HashWriter, OrderedHashWriter
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.util.numlists import GrowableArray

LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]
# Terms with fewer postings keep them in their term info: no block to pickle, compress and seek to.
# (Reuters, 5,000 articles: a third less time writing a segment, 8% smaller.)
INLINE_LIMIT = 8
BLOCK_LIMIT = 128  # postings per block, as in W3
# Postings are pickled with protocol 4, where W3 uses 2: protocol 2 has no opcode for bytes and
# pickles each posting's positions as a call to codecs.encode (Reuters: 14% less time writing a
# segment, 25% smaller). Readers unpickle any protocol.
PICKLE_PROTOCOL = 4
_TERM_INFO = W3TermInfo._struct.pack
_LENGTHS = struct.Struct("!ii").pack  # a term table entry's key and value lengths, as W3 writes them


class Codec(W3Codec):
    """W3, with :class:`PerDocReader` for reading per-document values and :class:`PostingsWriter`.

    Posting blocks stay zlib-compressed, at level 2 rather than W3's 3 (readers take any level):
    Reuters' blocks compress in a fifth less time (57 µs an article instead of 72) into 2% more
    bytes. Without compression, segments are about 55% larger for about 10% less write time.
    """

    def __init__(self, blocklimit: int = BLOCK_LIMIT, compression: int = 2, inlinelimit: int = INLINE_LIMIT) -> None:
        super().__init__(blocklimit, compression, inlinelimit)

    def per_document_reader(self, storage, segment):
        return PerDocReader(storage, segment)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return InlineMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)
        return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression,
                              inlinelimit=self._inlinelimit)


class FieldWriter(W3FieldWriter):
    """W3's field writer, writing its term table with :class:`TermTable`."""

    def __init__(self, codec: Codec, storage, segment) -> None:  # W3FieldWriter's, but for the table
        self._codec, self._storage, self._segment = codec, storage, segment
        self._fieldname = self._fieldid = self._btext = self._fieldobj = self._format = None
        self._tindex = TermTable(self._create_file(W3Codec.TERMS_EXT))
        self._fieldmap = self._tindex.extras["fieldmap"] = {}
        self._postfile = self._create_file(W3Codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False


class TermTable(OrderedHashWriter):
    """W3's term table (an ordered hash file) keyed by CRC32 instead of MD5, and written a term
    in one call: the file names its hash function and Whoosh's readers take either, so lookups
    hash faster too (MD5 with its hex digest was a tenth of the time of writing a segment)."""

    def __init__(self, dbfile) -> None:
        HashWriter.__init__(self, dbfile, hashtype=1)
        self.index = GrowableArray("H")
        self.lastkey = b""

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"keys must increase: {self.lastkey!r}..{key!r}")
        file = self.dbfile.file
        position = file.tell()
        self.index.append(position)
        file.write(_LENGTHS(len(key), len(value)) + key + value)
        digest = crc32(key)
        self.buckets[digest & 255].append((digest, position))
        self.lastkey = key


class PostingsWriter(W3PostingsWriter):
    """W3's postings writer, which can also take a term's postings in one call, and which keeps
    short posting lists in the term's info, as W3 readers expect (W3's own writer means to, but
    calls a method W3TermInfo does not have, so Whoosh ships with inlining off)."""

    def finish_postings(self):
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo, self._terminfo = self._terminfo, None
        terminfo.add_block(self)
        terminfo.set_inlined(self._ids, self._weights, self._values)
        return terminfo

    def _write_block(self, last: bool = False) -> None:
        """W3's, with the block's postings pickled with ``PICKLE_PROTOCOL`` (the block's info, read
        from the file as a stream, stays in protocol 2)."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), PICKLE_PROTOCOL)
        if self._compression:
            data = compress(data, self._compression)
        ids = self._ids
        info = dumps((len(ids), ids[-1], self._maxweight, self._compression, length_to_byte(self._minlength),
                      length_to_byte(self._maxlength)), 2)
        length = len(info) + len(data)
        self._postfile.write_int(-length if last else length)  # negative: the term's last block
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def add_all(self, postings: list[tuple[int, float, bytes, int]]) -> None:
        """Add a term's ``(docnum, weight, value, length)`` postings, in document order."""
        limit = self._blocklimit
        for start in range(0, len(postings), limit):
            if self._ids:
                self._write_block()
            ids, weights, values, lengths = zip(*postings[start:start + limit])
            self._ids = array("I", ids)
            self._weights = array("f", weights)
            self._values = [value for value in values if value]
            self._maxweight = max(0, max(weights))
            known = [length for length in lengths if length]
            self._minlength = min(known) if known else None
            self._maxlength = max(known) if known else 0


def inlined_info(postings: list[tuple[int, float, bytes, int]]) -> bytes:
    """The term info, postings inlined, that :class:`PostingsWriter` and W3TermInfo write for a
    term of fewer than ``INLINE_LIMIT`` ``(docnum, weight, value, length)`` postings, made
    directly: most terms of a segment are this short, and W3's objects cost more than the bytes."""
    ids, weights, values, lengths = zip(*postings)
    weights = array("f", weights)  # W3 sums and keeps weights as 32-bit floats
    known = [length for length in lengths if length]
    minlength, maxlength = (length_to_byte(min(known)), length_to_byte(max(known))) if known else (0, 0)
    info = _TERM_INFO(True, sum(weights), len(ids), minlength, maxlength, max(0, max(weights)), ids[0], ids[-1])
    return info + dumps((ids, tuple(weights), tuple(value for value in values if value)), PICKLE_PROTOCOL)


class InlineMatcher(ListMatcher):
    """W3's matcher of inlined postings, whose value is bytes (b"" when the field keeps none, where
    Whoosh's ListMatcher gives "", which Whoosh's own merge then rejects)."""

    def value(self):
        return super().value() if self._values else b""


class PerDocReader(W3PerDocReader):
    """W3's per-document reader, keeping each field's length column as bytes once read."""

    def length_bytes(self, fieldname: str) -> bytes:
        """The one-byte encoded length of a field for every document of the segment."""
        cache = self.__dict__.setdefault("_length_bytes", {})
        data = cache.get(fieldname)
        if data is None:
            column = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            data = cache[fieldname] = column._dbfile.get(column._basepos, column._count) if column else b""
        return data

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        data = self.length_bytes(fieldname)
        encoded = data[docnum] if docnum < len(data) else 0
        return LENGTH_OF_BYTE[encoded] if encoded else default


def read_postings(matcher, values: bool = False):
    """A term's postings as (docnum, weight) pairs, or (docnum, weight, value) triples: a block at
    a time from W3's matcher (below its public API, stable in the pinned Whoosh), one by one from
    postings inlined in the term's info."""
    if not isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            yield (matcher.id(), matcher.weight(), matcher.value()) if values else (matcher.id(), matcher.weight())
            matcher.next()
        return
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        if values:
            matcher._read_values()
            yield from zip(matcher._ids, matcher._weights, matcher._values)
        else:
            yield from zip(matcher._ids, matcher._weights)
        matcher._next_block()
