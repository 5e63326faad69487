"""Whoosh's W3 codec with field lengths read in one go.

Whoosh keeps each document's field length as one byte in a column and, while writing postings,
reads it back one document at a time for every posting (about a quarter of indexing time).
This codec's per-document reader reads a field's whole length column once and answers from
memory; everything it writes is exactly what W3 writes. ``scoring`` reads lengths through it
too. Segments record their codec, so indexes written with it are read with it.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


class Codec(W3Codec):
    """W3, with :class:`PerDocReader` for reading per-document values."""

    def per_document_reader(self, storage, segment):
        return PerDocReader(storage, segment)


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
