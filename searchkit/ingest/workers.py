"""The run's worker processes, and the work they do for it: reading, hashing and parsing files.

Workers die with the run: each asks the kernel to kill it when its parent dies (Linux's parent-
death signal), so a run killed with SIGKILL, by the OOM killer or with its terminal leaves no
process behind, and nothing a worker writes afterwards is ever committed (only the parent
commits). They ignore Ctrl-C, which the parent handles.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import signal
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import orjson

from .. import duplicates
from ..backends.base import FileState, Frame, Prepared
from ..errors import ReadError
from ..model import Article
from ..readers import ReadOptions, RecordError, Skipped, read_file
from .spill import SpillWriter
from .walk import Source

_PR_SET_PDEATHSIG = 1
_HASH_CHUNK = 1 << 20
_spill: SpillWriter | None = None  # this worker's spill file


def start(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that die with this one."""
    return ProcessPoolExecutor(workers, initializer=_bound_to_parent, initargs=(os.getpid(),))


def _bound_to_parent(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


@dataclass(slots=True)
class Incoming:
    """One article a file gave: its keys and where it waits (a spill frame)."""

    id: str
    body_hash: str
    frame: Frame


@dataclass
class Parsed:
    """A worker's answer for one file."""

    source: Source
    file_hash: str = ""
    unchanged: bool = False
    format: str = ""  # the reader's name (``readers.Records.format``)
    articles: list[Incoming] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # records passed over on purpose, by reason
    unreadable: bool = False  # the file as a whole could not be read


def parse(job: tuple[Source, FileState | None, str, ReadOptions]) -> Parsed:
    """Hash a file and, when it changed, parse it into the run's spill folder."""
    global _spill
    source, state, spill_folder, options = job
    parsed = Parsed(source)
    try:
        parsed.file_hash = file_hash(source.real, options)
    except OSError as error:
        return _unreadable(parsed, _reason(error))
    if state is not None and state.file_hash == parsed.file_hash:
        parsed.unchanged = True
        return parsed
    if _spill is None or os.path.dirname(_spill.path) != spill_folder:
        _spill = SpillWriter(spill_folder)
    try:
        records = read_file(source.real, options, record_path=source.path)
        parsed.format = records.format
        for item in records:
            if isinstance(item, Skipped):
                parsed.skipped[item.reason] += 1
            elif isinstance(item, RecordError):
                parsed.errors.append(str(item))
            else:
                prepared = prepare(item)
                parsed.articles.append(Incoming(prepared.id, prepared.body_hash, _spill.append(prepared)))
    except ReadError as error:
        return _unreadable(parsed, str(error))
    except RecursionError:
        return _unreadable(parsed, "too deeply nested to read")
    finally:
        _spill.flush()
    return parsed


def file_hash(path: str, options: ReadOptions) -> str:
    """A digest of a file's bytes (read in chunks) and of the options that change what it gives,
    so that a file is read again when either changes."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as file:
        while chunk := file.read(_HASH_CHUNK):
            digest.update(chunk)
    if options != ReadOptions():
        digest.update(repr(sorted(options.columns.items())).encode())
    return digest.hexdigest()


def prepare(article: Article) -> Prepared:
    """An article as an index takes it: its record and its duplicate keys."""
    return Prepared(article.id, duplicates.body_hash(article.body), duplicates.signature(article.body),
                    orjson.dumps(article.to_dict()))


def close_spill() -> None:
    """Close this process's spill file (the parent's, when it parsed without workers)."""
    global _spill
    if _spill is not None:
        _spill.close()
        _spill = None


def _unreadable(parsed: Parsed, reason: str) -> Parsed:
    parsed.errors.append(reason)
    parsed.articles.clear()
    parsed.unreadable = True
    return parsed


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a folder"
    return error.strerror or str(error)
