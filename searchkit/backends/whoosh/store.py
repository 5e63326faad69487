"""The Whoosh files of an index folder: making them, committing their table of contents, opening
snapshots of them, and refusing an index that is damaged or written by an incompatible version.

A snapshot (the reader behind a searcher) is the index as of one commit. Whoosh opens a
segment's files lazily, the first time a query needs each, while a commit deletes the files of
segments it merged away: a searcher opened before the commit then failed on a file gone. Here a
snapshot opens every file of its segments at once, checks it (``checksums``) and maps it into
memory, and reads only from those maps, which stay readable after the files are deleted: a
snapshot answers from its commit for as long as it is open, whatever commits follow. A file
found gone while a snapshot opens was removed by a newer commit: the snapshot opens that one.
"""

from __future__ import annotations

import mmap
import os
from io import BytesIO
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import Storage
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC, FileIndex
from whoosh.reading import MultiReader, SegmentReader

from ...errors import IndexNotFound, SearchkitError
from . import checksums
from .schema import SCHEMA_VERSION, build_schema

__all__ = ["SCHEMA_VERSION", "check_version", "create", "open_index", "remove_unfinished_tocs", "verify", "write_toc"]

INDEX_NAME = "MAIN"
OPEN_ATTEMPTS = 20  # commits a snapshot may see go by while it opens before giving up


def create(folder: Path) -> None:
    """Make an empty index in ``folder`` (its first, empty commit), unless one is there already.

    A folder whose creation was cut short (Whoosh's files written, not searchkit's marker) holds
    an empty first commit: it is taken as it is. One holding articles without the marker was not
    made by this searchkit and is refused.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if whoosh_index.exists_in(folder):
        if whoosh_index.open_dir(folder).doc_count_all():
            raise SearchkitError(f"{folder} holds an index searchkit did not make (no searchkit.json); "
                                 "give another folder, or delete it and index again")
        return
    write_toc(str(folder), INDEX_NAME, TOC(build_schema(), [], 0))


def open_index(folder: Path) -> ArchiveIndex:
    """Whoosh's index in ``folder``, read through checked snapshots."""
    return ArchiveIndex(folder)


def check_version(folder: Path, version) -> None:
    if version != SCHEMA_VERSION:
        raise SearchkitError(
            f"the index at {folder} was written by an incompatible searchkit (schema {version}, "
            f"this one reads {SCHEMA_VERSION}); rebuild it: delete the folder and run searchkit index again"
        )


def write_toc(folder: str, indexname: str, toc: TOC) -> None:
    """Write a generation's table of contents, with its checksum footer, atomically (written
    under a hidden name, which Whoosh's clean-up passes over, then renamed)."""
    captured = _Captured()
    toc.write(captured, indexname)
    name = TOC._filename(indexname, toc.generation)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}")
    try:
        with open(temporary, "wb") as file:
            file.write(checksums.with_footer(captured.data))
        os.replace(temporary, os.path.join(folder, name))
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def remove_unfinished_tocs(folder: str, indexname: str) -> None:
    """Remove what runs killed while writing a TOC left under a hidden name (the caller holds the
    write lock: no other run is writing one)."""
    for name in os.listdir(folder):
        if name.startswith(f"._{indexname}_"):
            try:
                os.unlink(os.path.join(folder, name))
            except FileNotFoundError:
                pass


def verify(ix: ArchiveIndex) -> int:
    """Read every file of the last commit in full and check it; the bytes checked."""
    return sum(checksums.verify(ix.folder, segment) for segment in ix._read_toc().segments)


class ArchiveIndex(FileIndex):
    """Whoosh's index in a folder, its table of contents checked and its readers snapshots."""

    def __init__(self, folder: Path) -> None:
        from whoosh.filedb.filestore import FileStorage

        self.folder = str(folder)
        self.storage = FileStorage(self.folder)
        self._schema = None
        self.indexname = INDEX_NAME
        self._read_toc()

    def _read_toc(self) -> TOC:
        """The newest table of contents, its checksum checked."""
        for _ in range(OPEN_ATTEMPTS):
            generation = self.latest_generation()
            if generation < 0:
                if not os.path.isdir(self.folder):
                    raise IndexNotFound(f"the index at {self.folder} was removed")
                raise checksums.damaged(self.folder, "its table of contents is missing")
            name = TOC._filename(self.indexname, generation)
            try:
                with open(os.path.join(self.folder, name), "rb") as file:
                    data = file.read()
            except FileNotFoundError:
                continue  # a newer commit replaced it: read that one
            body = checksums.without_footer(self.folder, name, data)
            return TOC.read(_Captured(name, body), self.indexname, generation)
        raise _too_busy(self.folder)

    def reader(self, reuse=None):
        """A snapshot of the last commit (``reuse`` is not supported: every snapshot is new)."""
        for _ in range(OPEN_ATTEMPTS):
            try:
                toc = self._read_toc()
                return _snapshot(self.folder, toc)
            except FileNotFoundError as error:
                if self.latest_generation() == toc.generation:
                    raise checksums.damaged(self.folder, f"{Path(error.filename).name} is missing") from None
            except OSError as error:  # no permission, an I/O error...
                raise SearchkitError(f"cannot read the index at {self.folder}: {error.strerror or error} "
                                     f"({Path(error.filename or self.folder).name})") from None
        raise _too_busy(self.folder)


def _snapshot(folder: str, toc: TOC):
    """A reader of a commit's segments, every file of them opened, checked and mapped."""
    readers: list[SegmentReader] = []
    try:
        for segment in toc.segments:
            readers.append(SegmentReader(_open_segment(folder, segment), toc.schema, segment, generation=toc.generation))
    except BaseException:
        for reader in readers:
            reader.close()
        raise
    if len(readers) == 1:
        return readers[0]
    reader = MultiReader(readers, generation=toc.generation)
    reader.schema = toc.schema  # (of a commit without segments: Whoosh's EmptyReader has no columns)
    return reader


def _open_segment(folder: str, segment) -> SegmentFiles:
    maps: dict[str, mmap.mmap | bytes] = {}
    try:
        for name, sealed in checksums.sealed_files(folder, segment).items():
            descriptor = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                stat = os.fstat(descriptor)
                maps[name] = mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ) if stat.st_size else b""
            finally:
                os.close(descriptor)
            checksums.check(folder, name, sealed, stat, maps[name])
    except BaseException:
        SegmentFiles(maps).close()
        raise
    return SegmentFiles(maps)


def _too_busy(folder: str) -> SearchkitError:
    return SearchkitError(f"the index at {folder} changed {OPEN_ATTEMPTS} times while it was being opened; try again")


class SegmentFiles(Storage):
    """The files of one segment of a snapshot, mapped into memory (read-only)."""

    def __init__(self, maps: dict[str, mmap.mmap | bytes]) -> None:
        self._maps = maps

    def open_file(self, name: str, **kwargs) -> MappedFile:
        try:
            return MappedFile(self._maps[name], name)
        except KeyError:
            raise FileNotFoundError(2, "not a file of this segment", name) from None

    def file_exists(self, name: str) -> bool:
        return name in self._maps

    def file_length(self, name: str) -> int:
        return len(self._maps[name])

    def list(self) -> list[str]:
        return list(self._maps)

    def close(self) -> None:
        for data in self._maps.values():
            if isinstance(data, mmap.mmap):
                data.close()
        self._maps = {}


class MappedFile(StructFile):
    """Whoosh's structured file over bytes in memory, each reader with its own position."""

    def __init__(self, data: mmap.mmap | bytes, name: str) -> None:
        super().__init__(_Cursor(data), name=name)
        self._data = data

    def get(self, position: int, length: int) -> bytes:
        return self._data[position:position + length]


class _Cursor:
    """A read-only file over bytes in memory (an mmap's own position would be shared)."""

    def __init__(self, data: mmap.mmap | bytes) -> None:
        self._data = data
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        start = self._position
        end = len(self._data) if size is None or size < 0 else min(start + size, len(self._data))
        self._position = max(end, start)
        return self._data[start:end]

    def readline(self, size: int = -1) -> bytes:
        start = self._position
        end = self._data.find(b"\n", start) + 1 or len(self._data)
        if size is not None and size >= 0:
            end = min(end, start + size)
        self._position = max(end, start)
        return self._data[start:end]

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._position, len(self._data))[whence]
        self._position = base + offset
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        pass


class _Captured(Storage):
    """A storage of one in-memory file: what Whoosh writes as a TOC is kept (``data``), and a
    TOC already read and checked is served back to Whoosh's reader."""

    def __init__(self, name: str = "", data: bytes = b"") -> None:
        self.name, self.data = name, data

    def create_file(self, name: str, **kwargs) -> StructFile:
        def keep(file: StructFile) -> None:
            self.data = file.file.getvalue()

        return StructFile(BytesIO(), name=name, onclose=keep)

    def rename_file(self, frm: str, to: str, safe: bool = False) -> None:
        pass

    def open_file(self, name: str, **kwargs) -> StructFile:
        return StructFile(BytesIO(self.data), name=name)
