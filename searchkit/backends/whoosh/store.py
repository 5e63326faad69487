"""The Whoosh files of an index folder: making them, opening them, and refusing an index written
by an incompatible version."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index

from ...errors import SearchkitError
from .schema import SCHEMA_VERSION, build_schema

__all__ = ["SCHEMA_VERSION", "check_version", "create", "open_index"]


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
    whoosh_index.create_in(folder, build_schema())


def open_index(folder: Path) -> Index:
    """Whoosh's index in ``folder``."""
    return whoosh_index.open_dir(folder)


def check_version(folder: Path, version) -> None:
    if version != SCHEMA_VERSION:
        raise SearchkitError(
            f"the index at {folder} was written by an incompatible searchkit (schema {version}, "
            f"this one reads {SCHEMA_VERSION}); rebuild it: delete the folder and run searchkit index again"
        )
