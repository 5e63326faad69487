"""The Whoosh backend: one index folder, searched through Whoosh searchers, written in batches
whose segments are built in worker processes and committed by the parent."""

from __future__ import annotations

import math
from concurrent.futures import Executor
from pathlib import Path

from whoosh.index import open_dir

from ..base import ARTICLE_OVERHEAD, Batch, FileState, Frame, read_frames
from .schema import FILE_STATE, read_state, state_document, to_document
from .searching import WhooshSearcher
from .store import open_index, verify
from .writer import commit, merge_segments, write_segment

MULTISEGMENT_FROM = 1000  # a batch this large is written as one segment per worker
PART_BYTES = 24_000_000  # the most a segment written at once holds (records, plus ARTICLE_OVERHEAD each)


class WhooshBackend:
    """An index in a folder on this machine."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ix = open_index(folder)
        self._words: set[str] | None = None  # the unstemmed words the index knows (read once per run)

    def searcher(self) -> WhooshSearcher:
        return WhooshSearcher(self.ix)

    def ingest_view(self) -> WhooshIngestView:
        self._words = None
        return WhooshIngestView(self.ix)

    def commit(self, batch: Batch, pool: Executor | None, workers: int) -> None:
        folder, name = self.ix.storage.folder, self.ix.indexname
        states = [state_document(key, state) for key, state in batch.files.items() if state is not None]
        known = self._known_words() if batch.frames else frozenset()
        parts = _split(batch.frames, workers if pool is not None and len(batch.frames) >= MULTISEGMENT_FROM else 1)
        jobs = [(folder, name, part, known, states if number == 0 else []) for number, part in enumerate(parts)]
        if pool is not None and len(jobs) > 1:
            written = list(pool.map(_write_part, jobs))
        elif batch.frames or states:
            written = [_write(self.ix, *job[2:]) for job in jobs]
        else:
            written = []
        merge = None
        if pool is not None:
            def merge(groups):
                return list(pool.map(_merge_part, [(folder, name, group) for group in groups]))
        deletions = [("id", article_id) for article_id in batch.deletions]
        deletions += [("file_key", key) for key in batch.files]
        commit(self.ix, [segment for segment, _ in written], deletions=deletions, merge=merge)
        if self._words is not None:
            for _, words in written:
                self._words |= words

    def verify(self) -> int:
        return verify(self.ix)

    def close(self) -> None:
        pass

    def _known_words(self) -> set[str]:
        if self._words is None:
            with self.ix.searcher() as searcher:
                self._words = {word.decode("utf-8") for word in searcher.reader().lexicon("words")}
        return self._words


class WhooshIngestView:
    """The index as a run found it: file states, and the owners of article bodies."""

    def __init__(self, ix) -> None:
        self.searcher = ix.searcher()
        reader = self.searcher.reader()
        self.files: dict[str, FileState] = {}
        if reader.doc_count():
            for docnum in self.searcher.document_numbers(kind=FILE_STATE):
                key, state = read_state(self.searcher.stored_fields(docnum)["record"])
                self.files[key] = state
        self._bodies: set[bytes] | None = None

    def body_owner(self, body_hash: str) -> str | None:
        """The body hashes in the lexicon answer most lookups at once; a hit is confirmed (it may
        be a deleted article's)."""
        if self._bodies is None:
            reader = self.searcher.reader()
            self._bodies = set(reader.lexicon("body_hash")) if reader.doc_count() else set()
        if body_hash.encode() not in self._bodies:
            return None
        docnum = self.searcher.document_number(body_hash=body_hash)
        return self.searcher.stored_fields(docnum)["id"] if docnum is not None else None

    def close(self) -> None:
        self.searcher.close()


def _split(frames: list[Frame], workers: int) -> list[list[Frame]]:
    """Frames cut into consecutive parts of about equal size (what writing them costs): one per
    worker, so that none is left writing alone, or more when a part would exceed PART_BYTES
    (a worker holds a whole segment's postings while it writes one: a file of a million records
    is committed whole, but written as many segments, a few at a time)."""
    sizes = [frame.size + ARTICLE_OVERHEAD for frame in frames]
    parts = max(workers, math.ceil(sum(sizes) / PART_BYTES))
    share = sum(sizes) / parts
    cuts, total = [0], 0
    for number, size in enumerate(sizes):
        total += size
        if total >= share * len(cuts) and len(cuts) < parts:
            cuts.append(number + 1)
    cuts.append(len(frames))
    return [frames[start:end] for start, end in zip(cuts, cuts[1:]) if end > start] or [[]]


def _write(ix, frames: list[Frame], known: set[str], states: list[dict]):
    documents = (to_document(prepared) for prepared in read_frames(frames))
    return write_segment(ix, _then(documents, states), known)


def _then(documents, extra: list[dict]):
    yield from documents
    yield from extra


def _write_part(job: tuple[str, str, list[Frame], set[str], list[dict]]):
    """Write a part of a batch into a new segment. Runs in a worker process."""
    folder, name, frames, known, states = job
    return _write(open_dir(folder, indexname=name), frames, known, states)


def _merge_part(job: tuple[str, str, list]):
    """Merge segments into a new one. Runs in a worker process."""
    folder, name, segments = job
    return merge_segments(open_dir(folder, indexname=name), segments)
