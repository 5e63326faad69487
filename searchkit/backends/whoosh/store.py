"""Where an index lives: opening one, creating one, and refusing one written by an incompatible version."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from whoosh import index as whoosh_index
from whoosh.index import Index

from ...errors import IndexNotFound, SearchkitError
from .schema import SCHEMA_VERSION, build_schema

_META = "searchkit.json"  # also how readers.find_files knows an index folder, to skip it


def open_index(directory: str | os.PathLike[str], *, create: bool = False) -> Index:
    """Open the index in ``directory``; with ``create``, make an empty one there if there is none."""
    directory = Path(directory)
    if whoosh_index.exists_in(directory):
        _check_version(directory)
        return whoosh_index.open_dir(directory)
    if not create:
        raise IndexNotFound(f"no index at {directory} (build one with: searchkit index FOLDER --index {directory})")
    directory.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(directory, build_schema())
    (directory / _META).write_bytes(orjson.dumps({"schema_version": SCHEMA_VERSION}))
    return ix


def _check_version(directory: Path) -> None:
    try:
        version = orjson.loads((directory / _META).read_bytes()).get("schema_version")
    except (OSError, orjson.JSONDecodeError, AttributeError):
        version = None
    if version != SCHEMA_VERSION:
        raise SearchkitError(
            f"the index at {directory} was written by an incompatible searchkit (schema {version}, "
            f"this one reads {SCHEMA_VERSION}); rebuild it: delete the folder and run searchkit index again"
        )
