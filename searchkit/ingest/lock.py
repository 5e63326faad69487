"""The write lock: one indexing run writes to an index at a time.

The lock is an OS file lock (flock), so the system releases it when its holder dies, however it
dies. Processes forked while it is held (the run's workers) close their copy at once: otherwise
a worker orphaned by a killed run would keep the index locked.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import IndexBusy

LOCK_NAME = "WRITELOCK"
HOLDER_NAME = "searchkit.writer"
_held: set[int] = set()  # descriptors of locks this process holds


def _close_in_child() -> None:
    for descriptor in _held:
        try:
            os.close(descriptor)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_close_in_child)


@contextmanager
def write_lock(folder: Path, wait: float = 0.0, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the index's write lock, waiting up to ``wait`` seconds for it (``on_wait`` is told
    once, when waiting starts), else IndexBusy naming the holder."""
    descriptor = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    holder = folder / HOLDER_NAME
    deadline = time.monotonic() + wait
    told = False
    try:
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(f"{_who(holder)} is writing to {folder}; try again later or give --wait SECONDS") from None
                if on_wait and not told:
                    on_wait(f"waiting up to {wait:g}s: {_who(holder)} is writing to {folder}")
                    told = True
                time.sleep(0.1)
        _held.add(descriptor)
        holder.write_text(str(os.getpid()))
        try:
            yield
        finally:
            holder.unlink(missing_ok=True)
            _held.discard(descriptor)
    finally:
        os.close(descriptor)


def _who(holder: Path) -> str:
    try:
        pid = int(holder.read_text())
    except (OSError, ValueError):
        return "another indexing run"
    return f"another indexing run (process {pid})"
