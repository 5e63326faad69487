"""Search engines behind one seam (``base``): each backend stores articles and answers searches.

Every index has a folder on this machine holding ``searchkit.json``, which names the engine and
the version of the index format; it is written last when an index is made, so a folder holding
it holds a whole (if empty) index.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from ..errors import IndexNotFound, SearchkitError
from .base import INDEX_MARKER, Backend


ENGINES = ("whoosh",)


def open_backend(folder: str | os.PathLike[str], *, create: bool = False, engine: str = "whoosh") -> Backend:
    """The backend of the index in ``folder``; with ``create``, an empty index on ``engine`` is
    made there when there is none."""
    from .whoosh import store

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise SearchkitError(f"{folder} is a file, not an index folder")
    meta = _read_meta(folder)
    if meta is None:
        if not create:
            raise IndexNotFound(f"no index at {folder} (build one with: searchkit index FOLDER --index {folder})")
        if engine not in ENGINES:
            raise SearchkitError(f"unknown engine '{engine}' (engines: {', '.join(ENGINES)})")
        store.create(folder)
        _write_meta(folder, {"engine": engine, "schema_version": store.SCHEMA_VERSION})
    else:
        store.check_version(folder, meta.get("schema_version"))
    from .whoosh.backend import WhooshBackend

    return WhooshBackend(folder)


def _read_meta(folder: Path) -> dict | None:
    try:
        meta = orjson.loads((folder / INDEX_MARKER).read_bytes())
    except (FileNotFoundError, NotADirectoryError):  # (a part of the path is a file: no index there)
        return None
    except (OSError, orjson.JSONDecodeError) as error:
        raise SearchkitError(f"the index at {folder} is damaged ({INDEX_MARKER}: {error}); rebuild it") from None
    if not isinstance(meta, dict):
        raise SearchkitError(f"the index at {folder} is damaged ({INDEX_MARKER} is not an object); rebuild it")
    return meta


def _write_meta(folder: Path, meta: dict) -> None:
    temporary = folder / f".{INDEX_MARKER}.tmp"
    temporary.write_bytes(orjson.dumps(meta))
    os.replace(temporary, folder / INDEX_MARKER)
