"""Spill files: where parsed articles wait between the worker that read them and the worker that
writes them, so that no process holds more than one article's worth of a file at a time and
articles cross between processes once, as bytes on disk, rather than twice through pipes.

A parse worker appends each prepared article to its own spill file as one frame and tells the
parent only the frame's place and the article's keys; the parent decides; the backend reads the
frames of the articles kept (``backends.base.read_frames``). A run's spill files live in a folder of the index and go with
the run.
"""

from __future__ import annotations

import os
import pickle
import shutil
import uuid
from pathlib import Path

from ..backends.base import Frame, Prepared

PREFIX = "spill-"


class SpillWriter:
    """Appends prepared articles to one file of a run's spill folder."""

    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, f"{os.getpid()}-{uuid.uuid4().hex[:8]}")
        self._file = open(self.path, "ab")

    def append(self, item: Prepared) -> Frame:
        data = pickle.dumps((item.id, item.body_hash, item.signature, item.record), protocol=pickle.HIGHEST_PROTOCOL)
        offset = self._file.tell()
        self._file.write(data)
        return Frame(self.path, offset, len(data))

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def new_folder(index_folder: Path) -> Path:
    """A fresh spill folder for one run, after removing any left by runs that were killed (the
    caller holds the write lock, so no other run is using one)."""
    for stale in index_folder.glob(f"{PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = index_folder / f"{PREFIX}{uuid.uuid4().hex[:12]}"
    folder.mkdir()
    return folder
