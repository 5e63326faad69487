"""An indexing run: bring an index up to date with a set of files, in parallel, commit by commit.

Worker processes hash each file and parse the changed ones into spill files (``workers``,
``spill``); the parent takes their answers in file order and decides what becomes of every
article (``decisions``); batches of whole, decided files are committed by the backend, which
writes them in the same worker processes. A commit follows every ``commit_every`` articles or
``BATCH_BYTES`` of them, always after whole files: a file is committed with its state or not at
all, so a crashed or interrupted run loses at most the batch in progress, never the index, and a
re-run resumes where the last commit left off. Until a commit, searchers see the previous state.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from ..backends.base import ARTICLE_OVERHEAD, Backend, Batch, FileState
from ..errors import Interrupted, SearchkitError
from ..readers import ReadOptions
from . import spill
from .decisions import Ledger, Ready
from .lock import write_lock
from .report import FileProblem, FormatTally, IndexReport
from .walk import Source, walk
from .workers import Parsed, close_spill, parse, start

BATCH_ARTICLES = 50_000
# Bytes bound the memory of writing a batch (about 20x its records' size, spread over the
# workers) and keep segments few: a batch of small articles is not cut into many small ones.
BATCH_BYTES = 32_000_000
REREAD_ROUNDS = 3


def update(
    backend: Backend,
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: Callable[[int, int, IndexReport], None] | None = None,
    prune: bool = False,
    workers: int | None = None,
    wait: float = 0.0,
    on_wait: Callable[[str], None] | None = None,
    commit_every: int | None = None,
    options: ReadOptions | None = None,
) -> IndexReport:
    """Bring the index up to date with the files under ``paths``; report what changed.

    ``workers`` processes parse and write (default: one per core, never more than the files);
    ``prune`` removes the articles of files gone from under ``paths``; ``wait`` is how long to
    wait for another run's lock (``on_wait`` is told once when waiting starts); a commit follows
    every ``commit_every`` articles or ``BATCH_BYTES`` of them, whichever comes first;
    ``progress(done, total, report)`` is called after each file; ``options`` go to the readers.
    Ctrl-C raises Interrupted after a clean stop.
    """
    paths = [os.fspath(path) for path in paths]
    found = walk(paths, backend.folder)
    if not found.sources and not prune:
        if found.passed_over:
            path, reason = found.passed_over[0]
            raise SearchkitError(f"nothing to index: {path} is {reason}" if len(found.passed_over) == 1 else
                                 f"nothing to index: {len(found.passed_over)} entries passed over ({path}: {reason}; ...)")
        raise SearchkitError("no files searchkit reads found (the README lists the formats: web pages, text "
                             "captures, JSON, web archives, feeds, CSV, agency and database exports, mail)")
    report = IndexReport(files=len(found.sources), passed_over=found.passed_over)
    roots = [os.path.realpath(path) for path in paths if os.path.isdir(path)]
    count = min(workers or os.cpu_count() or 1, os.cpu_count() or 1, max(len(found.sources), 1))
    with write_lock(backend.folder, wait, on_wait), _interruptible() as stopped:
        view = backend.ingest_view()
        folder = spill.new_folder(backend.folder)
        pool = start(count) if count > 1 else None
        try:
            present = {source.key for source in found.sources}
            pruned = [key for key in view.files if key not in present and _under(key, roots)] if prune else []
            run = _Run(backend, view, pool, count, commit_every or BATCH_ARTICLES, options or ReadOptions(), report)
            run.ledger = Ledger(view.files, view.body_owner, [*present, *pruned], report)
            run.read(found.sources, folder, progress, stopped)
            for key in pruned:
                run.take(run.ledger.gone(key))
            run.take(run.ledger.finish())
            for _ in range(REREAD_ROUNDS):  # a removal can free copies that other files skipped
                again = [Source(key, key, view.files[key].path) for key in run.ledger.orphaned(run.read_anew)
                         if os.path.isfile(key)]
                if not again:
                    break
                run.read(again, folder, None, stopped, anew=True)
                run.take(run.ledger.finish())
            if stopped():
                raise Interrupted(report)
            run.commit()
        except BrokenProcessPool:
            raise SearchkitError("a worker process died (killed?); the index holds what was committed before: "
                                 "run the same command again") from None
        except OSError as error:
            raise SearchkitError(f"indexing stopped: {error.strerror or error} ({error.filename or backend.folder}); "
                                 "the index holds what was committed before") from None
        finally:
            view.close()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            close_spill()
            shutil.rmtree(folder, ignore_errors=True)
    return report


class _Run:
    """The state of one run: its decisions and the batch being gathered."""

    def __init__(self, backend: Backend, view, pool: Executor | None, count: int, commit_every: int,
                 options: ReadOptions, report: IndexReport) -> None:
        self.backend, self.view, self.pool, self.count = backend, view, pool, count
        self.commit_every, self.options, self.report = commit_every, options, report
        self.ledger: Ledger
        self.batch = Batch()
        self.bytes = 0
        self.read_anew: set[str] = set()  # the files parsed in this run

    def read(self, sources: list[Source], folder: Path, progress, stopped, anew: bool = False) -> None:
        """Read files in order (``anew``: even those whose bytes have not changed)."""
        jobs = [(source, None if anew else self.view.files.get(source.key), str(folder), self.options)
                for source in sources]
        for done, parsed in enumerate(_parse_all(jobs, self.pool, self.count, stopped), start=1):
            key = parsed.source.key
            if parsed.unchanged:
                self.take(self.ledger.unchanged(key))
            else:
                self.read_anew.add(key)
                if parsed.format:
                    tally = self.report.formats.setdefault(parsed.format, FormatTally())
                    tally.files += 1
                    tally.articles += len(parsed.articles)
                    tally.skipped.update(parsed.skipped)
                if parsed.errors:
                    self.report.errors.append(FileProblem(parsed.source.path, parsed.errors, parsed.unreadable))
                self.take(self.ledger.changed(key, parsed.source.path, parsed.file_hash, parsed.articles,
                                              parsed.errors))
            if progress:
                progress(done, len(jobs), self.report)
            if stopped():
                raise Interrupted(self.report)
            if len(self.batch.frames) >= self.commit_every or self.bytes >= BATCH_BYTES:
                self.commit()

    def take(self, ready: list[Ready]) -> None:
        """Add decided files to the batch."""
        for item in ready:
            self.batch.frames.extend(item.frames)
            self.batch.deletions.extend(item.deletions)
            self.batch.files.update(item.other_states)
            self.batch.files[item.key] = item.state
            self.bytes += sum(frame.size + ARTICLE_OVERHEAD for frame in item.frames)

    def commit(self) -> None:
        if self.batch:
            self.backend.commit(self.batch, self.pool, self.count)
            self.report.committed += len(self.batch.frames)
        self.batch, self.bytes = Batch(), 0


def _parse_all(jobs: list[tuple[Source, FileState | None, str, ReadOptions]], pool: Executor | None, count: int,
               stopped) -> Iterator[Parsed]:
    """Parsed files in order, from the pool with a bounded number in flight."""
    if pool is None:
        for job in jobs:
            yield parse(job)
        return
    pending: deque = deque()
    queue = iter(jobs)
    for job in queue:
        pending.append(pool.submit(parse, job))
        if len(pending) >= 2 * count:
            break
    while pending:
        result = pending.popleft().result()
        if stopped():
            for future in pending:
                future.cancel()
            pending.clear()
        else:
            for job in queue:
                pending.append(pool.submit(parse, job))
                break
        yield result


def _under(key: str, roots: list[str]) -> bool:
    return any(key == root or key.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


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
