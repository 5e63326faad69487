"""Writing segments: Whoosh's segment writer, with postings gathered in memory per field and term.

Whoosh's own writer turns every posting into a ``(field, term, docnum, weight, value)`` tuple in
a sorting pool, sorts them all at commit, and looks up each document's field length again while
writing. This writer keeps a dictionary of terms per field, each with its postings in document
order, and writes them term by term in sorted order, with the lengths it already knows. Merging
segments (``add_reader``) streams their postings instead: every segment lists its terms in
sorted order, so the merged segment's terms come from one pass over all of them side by side, a
term's postings at a time, and a merge holds no more in memory however large the segments are.
The files it writes are W3 segments, which Whoosh's readers read (``codec``).

Segments are written and merged in worker processes (``write_segment``, ``merge_segments``) and
committed together by the parent (``commit``), so every core writes and the parent only records
the new generation. Merges follow a tiered policy: once ``MERGE_FACTOR`` segments hold a
similar number of live documents (the same power of ``MERGE_FACTOR``), they become one. Each
document is then rewritten about log(N) times, and an archive of N documents keeps at most
``MERGE_FACTOR - 1`` segments per power of ``MERGE_FACTOR``.
"""

from __future__ import annotations

import gc
import heapq
import math
import os
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Set
from contextlib import contextmanager
from itertools import groupby

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.fields import UnknownFieldError
from whoosh.index import TOC, Index, clean_files
from whoosh.reading import SegmentReader
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from ...analysis import field_tokens, vocabulary
from . import checksums
from .codec import BLOCK_LIMIT, INLINE_LIMIT, LENGTH_OF_BYTE, Codec, PerDocReader, inlined_info, read_postings
from .schema import PREFIX_FIELD, PREFIX_SOURCE, VOCABULARY_FIELDS, WordField, vocabulary_document
from .store import remove_unfinished_tocs, write_toc

MERGE_FACTOR = 10
MERGE_BUFFER = 64 * BLOCK_LIMIT  # postings of one term held before whole blocks are written (merges stream)

class ArticleWriter(SegmentWriter):
    """A segment writer for searchkit's documents (no boosts, vectors or spelling fields)."""

    def __init__(self, ix: Index, **kwargs) -> None:
        self.opened: list[StructFile] = []  # every file this writer created (``abandon`` closes them)
        super().__init__(_Writing(ix, self.opened), _lk=False, compound=False, codec=Codec(), **kwargs)
        self._fields = dict(self.schema.items())
        self._terms: dict[str, dict[bytes, list[tuple[int, float, bytes, int]]]] = {}
        self._lengths: dict[str, bytearray] = {}  # a field's length byte per document, written at the end
        self._columns: dict[str, object] = {}  # the per-document writer's column writers, by field
        self._merged: list[tuple[SegmentReader, int, dict | None]] = []  # segments whose postings stream in
        self.words: set[str] = set()  # the words of the titles and bodies added, as written

    def add_document(self, **fields) -> None:
        """Whoosh's ``add_document``, talking to the per-document writer's stored fields, length
        bytes and columns directly rather than through a chain of calls per field. Full-text
        fields are analysed in the document's language (``lang``); the body's tokens also give
        the prefix field's postings."""
        self._check_state()
        schema, perdoc, docnum = self._fields, self.perdocwriter, self.docnum
        perdoc.start_doc(docnum)
        stored = perdoc._storedfields
        language = fields.get("lang")
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = schema.get(name)
            if field is None:
                raise UnknownFieldError(f"No field named {name!r} in {self.schema}")
            if isinstance(field, WordField):
                tokens = field_tokens(value, language, field.analyzer.names, self.words if name in VOCABULARY_FIELDS else None)
                self._add_words(name, field, tokens)
            elif field.indexed:
                items = field.index(value)
                if not isinstance(items, list):
                    items = list(items)
                self._add_postings(name, items, sum([item[1] for item in items]) if field.scorable else 0)
            if field.stored:
                stored[name] = value
            if field.column_type:
                column = self._columns.get(name) or self._column(name, field.column_type)
                column.add(docnum, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_words(self, name: str, field: WordField, tokens: list) -> None:
        """Add a document's postings of a full-text field from its tokens (the body's also give the
        prefix field's), and its lengths."""
        docnum = self.docnum
        positions, length = field.positions(tokens)
        terms, seen = self._started(name, length)
        encode, boost = field.format.encode, field.format.field_boost
        for text, where in positions.items():
            terms[text].append((docnum, len(where) * boost, encode(where), seen))
        if name == PREFIX_SOURCE:
            prefixes = self._fields[PREFIX_FIELD]
            counts, length = prefixes.counts(tokens)
            terms, seen = self._started(PREFIX_FIELD, length)
            boost = prefixes.format.field_boost
            for text, count in counts.items():
                terms[text].append((docnum, count * boost, pack_uint(count), seen))

    def _add_postings(self, name: str, items: list[tuple[bytes, int, float, bytes]], length: int) -> None:
        """Add a document's postings of a field in Whoosh's form, and its length when the field is scored."""
        terms, seen = self._started(name, length)
        docnum = self.docnum
        for text, _, weight, encoded in items:
            terms[text].append((docnum, weight, encoded or b"", seen))

    def _started(self, name: str, length: int) -> tuple[dict, int]:
        """A field's terms (full-text fields' as text: encoded once a segment, when written), after
        recording the document's length in it (when scored), and that length as readers will see it."""
        seen = 0
        if length:
            encoded_length = length_to_byte(length)
            seen = LENGTH_OF_BYTE[encoded_length]
            lengths = self._lengths.get(name)
            if lengths is None:
                lengths = self._lengths[name] = bytearray()
            if len(lengths) < self.docnum:
                lengths.extend(bytes(self.docnum - len(lengths)))
            lengths.append(encoded_length)
            self.perdocwriter._fieldlengths[name] += length
        terms = self._terms.get(name)
        if terms is None:
            terms = self._terms[name] = defaultdict(list)
        return terms, seen

    def _column(self, name: str, column_type):
        if not self.perdocwriter._has_column(name):
            self.perdocwriter._create_column(name, column_type)
        column = self._columns[name] = self.perdocwriter._get_column(name)
        return column

    def add_postings_to_pool(self, reader, startdoc: int, docmap: dict | None) -> None:
        """Note a merged segment (its documents are already copied): its postings are streamed
        into the new segment's when it is written, through a reader of its own."""
        if self._terms:
            raise ValueError("a segment writer either adds documents or merges segments")
        self._merged.append((SegmentReader(self.storage, self.schema, reader.segment()), startdoc, docmap))
        self._keep_exact_lengths(reader)

    def _keep_exact_lengths(self, reader) -> None:
        """Whoosh totals a merged segment's field lengths from the one-byte lengths it copies, which
        round (a body of 43 words counts as 44): the average length, and so every score, would then
        depend on how the index was merged. The source's exact total is kept instead (for its
        deleted documents, only their rounded lengths are known to take off)."""
        perdoc = reader._perdoc
        totals = self.perdocwriter._fieldlengths
        for name, total in reader.segment()._fieldlengths.items():
            data = perdoc.length_bytes(name) if isinstance(perdoc, PerDocReader) else PerDocReader.length_bytes(perdoc, name)
            rounded = sum(LENGTH_OF_BYTE[value] * count for value, count in Counter(data).items())
            totals[name] += total - rounded

    def _flush_segment(self) -> None:
        perdoc = self.perdocwriter
        for name, lengths in self._lengths.items():
            perdoc._create_column(_lenfield(name), LENGTHS_COLUMN)
            column = perdoc._get_column(_lenfield(name))
            column._dbfile.write(lengths)
            column._count = len(lengths)
        # Every segment gets every column: Whoosh's multi-segment column reader misnumbers the
        # documents of a segment that lacks one.
        for name, field in self.schema.items():
            if field.column_type and not self.perdocwriter._has_column(name):
                self.perdocwriter._create_column(name, field.column_type)
        self.perdocwriter.close()
        self._write_postings()
        self.fieldwriter.close()

    def _write_postings(self) -> None:
        try:
            self._write_terms(self._merged_terms() if self._merged else self._added_terms())
        finally:
            for reader, _, _ in self._merged:
                reader.close()
            self._terms.clear()

    def _added_terms(self) -> Iterator[tuple[str, bytes, Iterable[list]]]:
        """The added documents' terms in order, each with its postings in one piece."""
        for name in sorted(self._terms):
            terms = self._terms[name]
            for text in sorted(terms):  # (UTF-8 sorts as code points do)
                yield name, text.encode("utf-8") if isinstance(text, str) else text, (terms[text],)

    def _merged_terms(self) -> Iterator[tuple[str, bytes, Iterable[list]]]:
        """The merged segments' terms in order, each with its postings from every segment that has
        it (a piece each), in document order, renumbered, without deleted documents."""
        streams = [_sorted_terms(reader, number, self.schema) for number, (reader, _, _) in enumerate(self._merged)]
        for (name, text), sources in groupby(heapq.merge(*streams), key=lambda entry: entry[0]):
            yield name, text, (self._merged_postings(number, name, info) for _, number, info in sources)

    def _write_terms(self, terms: Iterator[tuple[str, bytes, Iterable[list]]]) -> None:
        """Write ``(field, term, pieces of its postings)`` given in order: a term of fewer than
        ``INLINE_LIMIT`` postings inside its term info, a longer one in blocks, whole blocks
        written whenever ``MERGE_BUFFER`` postings wait (a term with none left is dropped)."""
        writer, field, prefix = self.fieldwriter, None, b""
        for name, text, pieces in terms:
            if name != field:
                if field is not None:
                    writer.finish_field()
                writer.start_field(name, self.schema[name])
                field, prefix = name, pack_ushort(writer._fieldid)
            started = False
            buffer: list[tuple[int, float, bytes, int]] = []
            for piece in pieces:
                buffer.extend(piece)
                if len(buffer) >= MERGE_BUFFER:
                    if not started:
                        writer.start_term(text)
                        started = True
                    whole = len(buffer) - len(buffer) % BLOCK_LIMIT
                    writer._postwriter.add_all(buffer[:whole])
                    del buffer[:whole]
            if started or len(buffer) >= INLINE_LIMIT:
                if not started:
                    writer.start_term(text)
                if buffer:
                    writer._postwriter.add_all(buffer)
                writer.finish_term()
            elif buffer:
                writer._tindex.add(prefix + text, inlined_info(buffer))
        if field is not None:
            writer.finish_field()

    def _merged_postings(self, number: int, name: str, info) -> list[tuple[int, float, bytes, int]]:
        """One merged segment's postings of a term, as ``(docnum, weight, value, length)`` in the new segment."""
        reader, startdoc, docmap = self._merged[number]
        lengths = reader._perdoc.length_bytes(name)
        known = len(lengths)
        postings = read_postings(reader._codec.postings_reader(reader._terms._postfile, info, self.schema[name].format),
                                 values=True)
        if docmap is None:
            return [(startdoc + docnum, weight, value or b"", LENGTH_OF_BYTE[lengths[docnum]] if docnum < known else 0)
                    for docnum, weight, value in postings]
        return [(docmap[docnum], weight, value or b"", LENGTH_OF_BYTE[lengths[docnum]] if docnum < known else 0)
                for docnum, weight, value in postings if docnum in docmap]


class _Writing:
    """What a segment writer reads of its index, with a storage that keeps the files it creates."""

    def __init__(self, ix: Index, opened: list[StructFile]) -> None:
        self.storage = _Tracked(ix.storage.folder, opened)
        self.indexname = ix.indexname
        self._read_toc = ix._read_toc


class _Tracked(FileStorage):
    """An index folder (or its temporary folder) that keeps every file created in it."""

    def __init__(self, folder: str, opened: list[StructFile]) -> None:
        super().__init__(folder)
        self.opened = opened

    def create_file(self, name: str, **kwargs) -> StructFile:
        file = super().create_file(name, **kwargs)
        self.opened.append(file)
        return file

    def temp_storage(self, name: str | None = None) -> _Tracked:
        return _Tracked(os.path.join(self.folder, name or f"{uuid.uuid4().hex}.tmp"), self.opened).create()


def abandon(writer: ArticleWriter) -> None:
    """Cancel a writer that failed, and close every file it opened: cancelling flushes them, and
    on a full disk that fails too, which would leave them open."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 (the failure that made us abandon the writer is the one raised)
        pass
    for file in writer.opened:
        try:
            file.file.close()
        except OSError:
            pass


def _sorted_terms(reader, number: int, schema) -> Iterator[tuple[tuple[str, bytes], int, object]]:
    """A segment's ``((field, term), number, term info)`` in sorted order (as W3 stores them: its
    term table only takes increasing keys, and fields are written in name order), checked."""
    previous = None
    for key, info in reader._terms.items():
        if previous is not None and key <= previous:
            raise ValueError(f"the terms of segment {reader.segment().segment_id()} are out of order")
        previous = key
        if key[0] in schema:
            yield key, number, info


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector. Writing a segment makes millions of small
    containers (postings) and no cycles; the collector's passes over them cost an eighth of
    the time (Reuters, 11,000 articles: 8.1 s with it, 7.0 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_segment(ix: Index, documents: Iterable[dict], known_words: Set[str] = frozenset()) -> tuple[object, set[str]]:
    """Write documents into a new, uncommitted, sealed segment of the index, with a vocabulary
    document holding the words of their titles and bodies that are not among ``known_words``;
    return the segment and those words (runs in a worker process: the parent commits the segment)."""
    with _collector_paused():
        writer = ArticleWriter(ix)  # its temporary folder is shared: the committing parent removes it
        try:
            for document in documents:
                writer.add_document(**document)
            words = vocabulary(writer.words) - known_words
            if words:
                writer.add_document(**vocabulary_document(words, uuid.uuid4().hex))
            segment = writer._finalize_segment()
        except BaseException:
            abandon(writer)
            raise
        checksums.seal(ix.storage.folder, segment)
        return segment, words


def merge_segments(ix: Index, segments: list):
    """Merge segments (their deletions dropped) into one new, uncommitted, sealed segment; return it.

    Every file of the segments is checked in full first, so damage is never merged into a new
    segment. Documents are copied one at a time and postings streamed a term at a time, so
    memory stays bounded however large the segments are.
    """
    folder = ix.storage.folder
    for segment in segments:
        checksums.verify(folder, segment)
    with _collector_paused():
        writer = ArticleWriter(ix)
        try:
            for segment in segments:
                reader = SegmentReader(ix.storage, ix.schema, segment)
                try:
                    writer.add_reader(reader)
                finally:
                    reader.close()
            merged = writer._finalize_segment()
        except BaseException:
            abandon(writer)
            raise
    checksums.seal(folder, merged)
    return merged


def merge_plan(segments: list) -> tuple[list, list[list]]:
    """The tiered merge policy: (segments kept as they are, groups to merge into one each)."""
    tiers: dict[int, list] = defaultdict(list)
    for segment in segments:
        tiers[int(math.log(max(segment.doc_count(), 1), MERGE_FACTOR))].append(segment)
    groups = [tier for tier in tiers.values() if len(tier) >= MERGE_FACTOR]
    merging = {id(segment) for group in groups for segment in group}
    return [segment for segment in segments if id(segment) not in merging], groups


def commit(ix: Index, segments: list, deletions: Iterable[tuple[str, str]] = (),
           merge: Callable[[list[list]], list] | None = None) -> None:
    """Commit segments written elsewhere, with deletions (of the documents holding a term: field
    and text), as one new generation of the index, merging segments as the tiered policy says
    (``merge`` runs the merges, in worker processes; by default here).

    The new table of contents is written (``store.write_toc``) before the files of segments it
    no longer names are deleted: snapshots already open keep reading them (``store``).
    """
    writer = ArticleWriter(ix)
    try:
        for fieldname, text in deletions:
            writer.delete_by_term(fieldname, text)
        writer._close_segment()
        kept, groups = merge_plan([*writer.segments, *segments])
        merged = (merge or (lambda groups: [merge_segments(ix, group) for group in groups]))(groups) if groups else []
        write_toc(writer.storage.folder, writer.indexname, TOC(writer.schema, kept + merged, writer.generation))
    except BaseException:
        abandon(writer)
        raise
    clean_files(writer.storage, writer.indexname, writer.generation, kept + merged)
    remove_unfinished_tocs(writer.storage.folder, writer.indexname)
    writer._finish()
