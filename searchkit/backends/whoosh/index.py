"""Writing the index: bring it up to date with a set of files, in parallel, commit by commit.

Worker processes read, hash and parse the files (a file whose bytes have not changed since it was
indexed is not parsed at all) and turn articles into documents. The parent decides for each
article: new, an update of one already stored, or a duplicate of one already stored (same id, or
same body). The batch's documents are written into new segments by the same worker processes
(``writer``), and the parent commits them with the batch's deletions after every
``BATCH_ARTICLES`` or so, always after whole files: a file is committed with its hash or not at
all, so an interrupted or crashed run loses at most the batch in progress, never the index, and a
re-run resumes exactly where the last commit left off. Until a commit, searchers see the previous
state.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.index import Index, open_dir

from ...errors import IndexBusy, Interrupted, ReadError, SearchkitError
from ...readers import RecordError, find_files, read_bytes
from .schema import to_document
from .writer import commit, merge_segments, write_segment

# A commit follows whichever comes first. Bytes bound the memory of writing a batch (about 20x
# its records' size, spread over the workers) and are what keep segments few: a batch of small
# articles is not cut into many small segments, which would each cost every query a lookup.
BATCH_ARTICLES = 50_000
BATCH_BYTES = 32_000_000
MULTISEGMENT_FROM = 1000  # a batch this large is written as one segment per worker
_LOCK_NAME = "WRITELOCK"
_HOLDER = "searchkit.writer"


@dataclass
class IndexReport:
    """What an indexing run did."""

    files: int = 0
    files_unchanged: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    duplicates: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.files} files ({self.files_unchanged} unchanged): {self.added} articles added, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.removed} removed, "
            f"{self.duplicates} duplicates skipped, {len(self.errors)} errors"
        )


@dataclass
class _FileState:
    file_hash: str
    ids: list[str]


@dataclass
class _Parsed:
    """A worker's answer for one file."""

    path: str
    key: str
    file_hash: str = ""
    unchanged: bool = False
    documents: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def update(
    ix: Index,
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: Callable[[int, int, IndexReport], None] | None = None,
    prune: bool = False,
    workers: int | None = None,
    wait: float = 0.0,
    on_wait: Callable[[str], None] | None = None,
    commit_every: int | None = None,
) -> IndexReport:
    """Bring the index up to date with the files under ``paths``; report what changed.

    ``workers`` processes parse (default: one per core); ``prune`` removes the articles of files
    that are gone from under ``paths``; ``wait`` is how long to wait for another run's lock
    (``on_wait`` is told once, with a message, when waiting starts); a commit follows every
    ``commit_every`` articles or ``BATCH_BYTES`` of records, whichever comes first (after whole
    files); ``progress(done, total, report)`` is called after each file. Ctrl-C raises
    Interrupted after a clean stop.
    """
    paths = list(paths)
    commit_every = commit_every or BATCH_ARTICLES
    roots = [os.path.abspath(p) for p in paths]
    files = list(find_files(paths))
    if not files:
        raise SearchkitError("no supported files found (.txt, .json, .jsonl, .ndjson, .sgm, optionally .gz)")
    workers = max(1, workers or os.cpu_count() or 1)
    report = IndexReport(files=len(files))
    with _write_lock(ix, wait, on_wait), _interruptible() as stopped:
        with ix.searcher() as searcher:
            known = _file_states(searcher)
        pool = ProcessPoolExecutor(workers, initializer=_ignore_interrupts) if workers > 1 and len(files) > 1 else None
        ids = {article_id for state in known.values() for article_id in state.ids}
        vocabulary = _Vocabulary()
        batch = _Batch(ix, pool, workers, ids, vocabulary)
        jobs = [(str(path), os.path.abspath(path), known.get(os.path.abspath(path))) for path in files]
        seen_ids: set[str] = set()
        seen_bodies: set[str] = set()
        try:
            for done, parsed in enumerate(_parse_all(jobs, pool, workers, stopped), start=1):
                _take(parsed, known, batch, report, seen_ids, seen_bodies)
                if progress:
                    progress(done, len(files), report)
                if stopped():
                    raise Interrupted(report)
                if batch.articles >= commit_every or batch.bytes >= BATCH_BYTES:
                    batch.commit(report)
                    batch = _Batch(ix, pool, workers, ids, vocabulary)
            if prune:
                present = {key for _, key, _ in jobs}
                for key, state in known.items():
                    if key not in present and _under(key, roots):
                        batch.remove(state.ids, report)
            if stopped():
                raise Interrupted(report)
            batch.commit(report)
        finally:
            batch.close()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    return report


def _take(parsed: _Parsed, known, batch: _Batch, report: IndexReport, seen_ids: set, seen_bodies: set) -> None:
    """Decide what becomes of one file's articles."""
    report.errors.extend((parsed.path, error) for error in parsed.errors)
    state = known.get(parsed.key)
    if parsed.unchanged:
        report.files_unchanged += 1
        report.unchanged += len(state.ids)
        return
    if parsed.errors and not parsed.documents:
        return  # an unreadable file costs nothing already indexed
    previous = set(state.ids) if state else set()
    kept: set[str] = set()
    for document in parsed.documents:
        article_id, digest = document["id"], document.get("body_hash", "")
        if article_id in seen_ids or (digest and digest in seen_bodies):
            report.duplicates += 1
            continue
        existed = batch.existing_id(article_id)
        if digest and not existed and batch.existing_body(digest):
            report.duplicates += 1
            continue
        seen_ids.add(article_id)
        if digest:
            seen_bodies.add(digest)
        batch.write(document, replace=existed)
        kept.add(article_id)
        if existed:
            report.updated += 1
        else:
            report.added += 1
    batch.remove(sorted(previous - kept - seen_ids), report)


class _Batch:
    """One commit's worth of changes, written and committed in one go.

    (Measured on 2 cores: writing a whole batch at once, with the parse pool idle, beats
    streaming documents to a writer while parsing: the two only compete for the same cores.)
    """

    def __init__(self, ix: Index, pool: Executor | None, workers: int, ids: set[str], vocabulary: _Vocabulary) -> None:
        self.ix = ix
        self.pool = pool
        self.workers = workers
        self.ids = ids  # the ids the index held when the run began (still true of those not replaced)
        self.vocabulary = vocabulary
        self.documents: list[dict] = []
        self.bytes = 0  # of the documents' stored records
        self.deletions: list[str] = []
        self.searcher = ix.searcher()
        self._bodies: set[bytes] | None = None

    @property
    def articles(self) -> int:
        return len(self.documents)

    def existing_id(self, article_id: str) -> bool:
        return article_id in self.ids

    def existing_body(self, digest: str) -> bool:
        """True when a live article of the index has this body. The body hashes in the lexicon
        answer most lookups at once; a hit is confirmed (it may be a deleted article's)."""
        if self._bodies is None:
            self._bodies = set(self.searcher.reader().lexicon("body_hash"))
        return digest.encode() in self._bodies and self.searcher.document_number(body_hash=digest) is not None

    def write(self, document: dict, replace: bool) -> None:
        self.documents.append(document)
        self.bytes += len(document["record"])
        if replace:
            self.deletions.append(document["id"])

    def remove(self, ids: Iterable[str], report: IndexReport) -> None:
        for article_id in ids:
            if self.existing_id(article_id):
                self.deletions.append(article_id)
                self.ids.discard(article_id)
                report.removed += 1

    def commit(self, report: IndexReport) -> None:
        known = self.vocabulary.known(self.searcher) if self.documents else frozenset()
        self.close()
        if not self.documents and not self.deletions:
            return
        folder, name = self.ix.storage.folder, self.ix.indexname
        documents = self.documents
        if self.pool is not None and len(documents) >= MULTISEGMENT_FROM:
            parts = _split(documents, self.workers)
            written = list(self.pool.map(_write_segment, [(folder, name, part, known) for part in parts]))
        else:
            written = [write_segment(self.ix, documents, known)] if documents else []
        segments = [segment for segment, _ in written]
        merge = None
        if self.pool is not None:
            def merge(groups):
                return list(self.pool.map(_merge_segments, [(folder, name, group) for group in groups]))
        commit(self.ix, segments, deletions=self.deletions, merge=merge)
        for _, words in written:
            self.vocabulary.add(words)

    def close(self) -> None:
        """Release the batch's view of the index (its documents are dropped unless committed)."""
        if not self.searcher.is_closed:
            self.searcher.close()


class _Vocabulary:
    """The unstemmed words the index knows (read once per run, when first needed), so that each
    segment's vocabulary document holds only new words (two segments written side by side may
    both record one)."""

    def __init__(self) -> None:
        self.words: set[str] | None = None

    def known(self, searcher) -> set[str]:
        if self.words is None:
            self.words = {word.decode("utf-8") for word in searcher.reader().lexicon("words")}
        return self.words

    def add(self, words: set[str]) -> None:
        if self.words is not None:
            self.words |= words


def _split(documents: list[dict], parts: int) -> list[list[dict]]:
    """Documents cut into consecutive parts of about equal size (what writing them costs), so
    that no worker is left writing alone."""
    sizes = [len(document["record"]) + 1 for document in documents]
    share = sum(sizes) / parts
    cuts, total = [0], 0
    for number, size in enumerate(sizes):
        total += size
        if total >= share * len(cuts) and len(cuts) < parts:
            cuts.append(number + 1)
    cuts.append(len(documents))
    return [documents[start:end] for start, end in zip(cuts, cuts[1:]) if end > start]


def _write_segment(job: tuple[str, str, list[dict], set[str]]):
    """Write documents into a new segment of the index in ``folder``. Runs in a worker process."""
    folder, name, documents, known_words = job
    return write_segment(open_dir(folder, indexname=name), documents, known_words)


def _merge_segments(job: tuple[str, str, list]):
    """Merge segments of the index in ``folder`` into a new one. Runs in a worker process."""
    folder, name, segments = job
    return merge_segments(open_dir(folder, indexname=name), segments)


def _parse_all(jobs: list[tuple[str, str, _FileState | None]], pool: Executor | None, workers: int,
               stopped) -> Iterator[_Parsed]:
    """Parsed files in order, from a pool of processes with a bounded number in flight."""
    if pool is None:
        for job in jobs:
            yield _parse(job)
            if stopped():
                return
        return
    pending: deque = deque()
    queue = iter(jobs)
    for job in queue:
        pending.append(pool.submit(_parse, job))
        if len(pending) >= 2 * workers:
            break
    while pending:
        result = pending.popleft().result()
        if not stopped():
            for job in queue:
                pending.append(pool.submit(_parse, job))
                break
        else:
            for future in pending:
                future.cancel()
            pending.clear()
        yield result


def _parse(job: tuple[str, str, _FileState | None]) -> _Parsed:
    """Read, hash and (when changed) parse one file into documents. Runs in a worker process."""
    path, key, state = job
    parsed = _Parsed(path=path, key=key)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        parsed.errors.append(_reason(error))
        return parsed
    parsed.file_hash = hashlib.blake2b(data, digest_size=16).hexdigest()
    if state is not None and state.file_hash == parsed.file_hash:
        parsed.unchanged = True
        return parsed
    try:
        for item in read_bytes(data, path):
            if isinstance(item, RecordError):
                parsed.errors.append(str(item))
                continue
            parsed.documents.append(to_document(item, key, parsed.file_hash))
    except ReadError as error:
        parsed.errors.append(str(error))
    except RecursionError:
        parsed.errors.append("too deeply nested to read")
    return parsed


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a folder"
    return error.strerror or str(error)


def _under(key: str, roots: list[str]) -> bool:
    return any(key == root or key.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _file_states(searcher) -> dict[str, _FileState]:
    """Each indexed file's hash and article ids, read a whole column at a time per segment (a
    re-run of an unchanged archive is mostly this)."""
    states: dict[str, _FileState] = {}
    reader = searcher.reader()
    if reader.doc_count() == 0:
        return states
    for segment, _ in reader.leaf_readers():
        columns = (list(segment.column_reader(name)) for name in ("file", "file_hash", "id"))
        for docnum, (file, file_hash, article_id) in enumerate(zip(*columns)):
            if file and not segment.is_deleted(docnum):  # the vocabulary documents come from no file
                key = file.decode("utf-8", "surrogateescape")
                states.setdefault(key, _FileState(file_hash.decode(), [])).ids.append(article_id)
    return states


@contextmanager
def _write_lock(ix: Index, wait: float, on_wait: Callable[[str], None] | None):
    """Hold the index's write lock for the whole run, waiting up to ``wait`` seconds for it.

    The lock is an OS file lock (flock): a killed process's lock is released by the system, so
    no stale lock can outlive its writer.
    """
    lock = ix.lock(_LOCK_NAME)
    holder = Path(ix.storage.folder) / _HOLDER
    deadline = time.monotonic() + wait
    told = False
    while not lock.acquire(blocking=False):
        if time.monotonic() >= deadline:
            raise IndexBusy(f"{_who(holder)} is writing to {ix.storage.folder}; try again later or give --wait SECONDS")
        if on_wait and not told:
            on_wait(f"waiting up to {wait:g}s: {_who(holder)} is writing to {ix.storage.folder}")
            told = True
        time.sleep(0.1)
    try:
        holder.write_text(str(os.getpid()))
        yield
    finally:
        holder.unlink(missing_ok=True)
        lock.release()


def _who(holder: Path) -> str:
    try:
        return f"another indexing run (process {int(holder.read_text())})"
    except (OSError, ValueError):
        return "another indexing run"


@contextmanager
def _interruptible():
    """Turn Ctrl-C into a flag the run checks between files (main thread only)."""
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag.is_set
        return
    previous = signal.signal(signal.SIGINT, lambda *_: flag.set())
    try:
        yield flag.is_set
    finally:
        signal.signal(signal.SIGINT, previous)


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
