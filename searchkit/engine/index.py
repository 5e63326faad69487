"""Writing the index: open or create it, and bring it up to date with a set of files.

Each document remembers the file it came from and that file's content hash, so a re-run skips
files whose bytes have not changed, re-reads changed ones, and drops the articles a changed file
no longer holds. Nothing is visible to searchers until the writer commits; a failed run is
cancelled and leaves the last committed index as it was.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.index import Index

from ..errors import ReadError, SearchkitError
from ..readers import RecordError, find_files, read_bytes
from .schema import article_words, to_document, vocabulary_document

@dataclass
class IndexReport:
    """What an indexing run did."""

    files: int = 0
    files_unchanged: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.files} files ({self.files_unchanged} unchanged): {self.added} articles added, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.removed} removed, "
            f"{len(self.errors)} errors"
        )


@dataclass
class _FileState:
    file_hash: str
    ids: list[str]


def update(
    ix: Index,
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: Callable[[int, int, Path], None] | None = None,
) -> IndexReport:
    """Bring the index up to date with the files under ``paths``; report what changed.

    ``progress(done, total, path)`` is called after each file.
    """
    files = list(find_files(paths))
    if not files:
        raise SearchkitError("no supported files found (.txt, .json, .jsonl, .ndjson, optionally .gz)")
    report = IndexReport(files=len(files))
    with ix.searcher() as searcher:
        known = _file_states(searcher)
        writer = ix.writer(compound=False)
        words: set[str] = set()
        try:
            for done, path in enumerate(files, start=1):
                _index_file(writer, searcher, known, path, report, words)
                if progress:
                    progress(done, len(files), path)
            if words:
                writer.add_document(**vocabulary_document(words, uuid.uuid4().hex))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    return report


def _index_file(
    writer, searcher, known: dict[str, _FileState], path: Path, report: IndexReport, words: set[str]
) -> None:
    key = os.path.abspath(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        report.errors.append((str(path), error.strerror or str(error)))
        return
    file_hash = hashlib.blake2b(data, digest_size=16).hexdigest()
    state = known.get(key)
    if state and state.file_hash == file_hash:
        report.files_unchanged += 1
        report.unchanged += len(state.ids)
        return
    ids: set[str] = set()
    try:
        for item in read_bytes(data, str(path)):
            if isinstance(item, RecordError):
                report.errors.append((str(path), str(item)))
                continue
            existed = item.id in ids or searcher.document_number(id=item.id) is not None
            writer.update_document(**to_document(item, key, file_hash))
            words |= article_words(item)
            ids.add(item.id)
            if existed:
                report.updated += 1
            else:
                report.added += 1
    except ReadError as error:
        report.errors.append((str(path), str(error)))
    for stale in set(state.ids if state else []) - ids:
        writer.delete_by_term("id", stale)
        report.removed += 1


def _file_states(searcher) -> dict[str, _FileState]:
    reader = searcher.reader()
    if reader.doc_count() == 0:
        return {}
    files, hashes, ids = (reader.column_reader(name) for name in ("file", "file_hash", "id"))
    states: dict[str, _FileState] = {}
    for docnum in reader.all_doc_ids():
        if files[docnum]:  # the vocabulary documents come from no file
            state = states.setdefault(files[docnum], _FileState(hashes[docnum], []))
            state.ids.append(ids[docnum])
    return states
