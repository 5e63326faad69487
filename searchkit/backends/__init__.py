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


# An engine is named by itself (``whoosh``) or by an address (``sphinxql://HOST:PORT[/ARCHIVE]``,
# a SphinxQL cluster: backends/sphinxql/connection.py).
ENGINES = ("whoosh", "sphinxql")


def open_backend(folder: str | os.PathLike[str], *, create: bool = False, engine: str = "whoosh") -> Backend:
    """The backend of the index in ``folder``; with ``create``, an empty index on ``engine`` is
    made there when there is none."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise SearchkitError(f"{folder} is a file, not an index folder")
    meta = _read_meta(folder)
    if meta is None:
        if not create:
            raise IndexNotFound(f"no index at {folder} (build one with: searchkit index FOLDER --index {folder})")
        kind = engine.split("://", 1)[0]
        if kind not in ENGINES or (kind == "sphinxql") != ("://" in engine):
            raise SearchkitError(f"unknown engine '{engine}' (engines: whoosh, sphinxql://HOST:PORT[/ARCHIVE])")
        if kind == "sphinxql":
            from .sphinxql import backend as sphinxql

            meta = sphinxql.create(folder, engine)
            folder.mkdir(parents=True, exist_ok=True)
            _write_meta(folder, meta)
        else:
            from .whoosh import store

            store.create(folder)
            meta = {"engine": engine, "schema_version": store.SCHEMA_VERSION}
            _write_meta(folder, meta)
    if meta.get("engine") == "sphinxql":
        from .sphinxql import backend as sphinxql

        if meta.get("schema_version") != sphinxql.SCHEMA_VERSION:
            raise SearchkitError(f"the index at {folder} was written by an incompatible searchkit; rebuild it")
        return sphinxql.SphinxBackend(folder, meta)
    from .whoosh import store
    from .whoosh.backend import WhooshBackend

    store.check_version(folder, meta.get("schema_version"))
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
