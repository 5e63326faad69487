"""Which files a run reads: the supported files under the paths given, each once, each named by
where it really is (symlinks resolved) and by a path relative to the folder that was indexed."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SearchkitError
from ..backends.base import INDEX_MARKER
from ..readers import NOT_ARTICLES, reader_for


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read: ``real`` is where it is (symlinks resolved), ``key`` the same as text (what
    the index remembers it by), ``path`` the path its articles carry and their ids derive from:
    relative to the folder above the one indexed, so it does not change when the archive moves
    (``corpus/a.txt``)."""

    real: str
    key: str
    path: str


@dataclass
class Walk:
    """The files found, and the entries passed over with the reason (not regular files, links
    leading out of the folder)."""

    sources: list[Source] = field(default_factory=list)
    passed_over: list[tuple[str, str]] = field(default_factory=list)


def walk(paths: Iterable[str | os.PathLike[str]], index_folder: Path | None = None) -> Walk:
    """Every supported file under the given files and folders, sorted, each once.

    A folder's hidden entries, index folders, a collection's own papers (README, LICENSE, ...)
    and files of unknown types are skipped silently; FIFOs, devices and sockets, and symlinks
    that lead outside the folder, are passed over with a reason. A file named explicitly is read
    whatever its name (so that its type can be sniffed or its rejection reported).
    """
    check(paths, index_folder)
    found = Walk()
    seen: set[str] = set()
    index_real = os.path.realpath(index_folder) if index_folder is not None else None
    for given in map(os.fspath, paths):
        real = os.path.realpath(given)
        if os.path.isdir(real):
            base = os.path.dirname(real)
            for file in _files_under(real, index_real, found):
                _add(found, seen, file, os.path.relpath(file, base))
        else:
            _add(found, seen, given, record_path(real))
    return found


def check(paths: Iterable[str | os.PathLike[str]], index_folder: Path | None = None) -> None:
    """SearchkitError for a path that does not exist, a folder that is an index (the one being
    written, one inside which it lies, or any other), or a new index's folder that holds files
    of articles (an index is written in a folder of its own)."""
    index_real = os.path.realpath(index_folder) if index_folder is not None else None
    if index_real and os.path.isdir(index_real) and not _is_index(index_real, None):
        articles = sorted(entry.name for entry in os.scandir(index_real) if entry.is_file() and reader_for(entry.name)
                          and not entry.name.startswith(".") and not NOT_ARTICLES.fullmatch(entry.name))
        if articles:
            raise SearchkitError(f"{displayable(os.fspath(index_folder))} holds files of articles "
                                 f"({displayable(articles[0])}{', ...' if len(articles) > 1 else ''}), not an index: "
                                 "keep each index in a folder of its own (--index)")
    for given in map(os.fspath, paths):
        real = os.path.realpath(given)
        if not os.path.exists(real):
            raise SearchkitError(f"no such file or folder: {given}")
        if os.path.isdir(real) and (index_real and _inside(real, index_real) or _is_index(real, None)):
            raise SearchkitError(f"{given} is an index folder or inside one: "
                                 "index the articles' own folder, and keep each index in a folder of its own (--index)")


def _files_under(root: str, index_real: str | None, found: Walk):
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _is_index(os.path.join(folder, d), index_real))
        for name in sorted(files):
            if name.startswith(".") or NOT_ARTICLES.fullmatch(name) or not reader_for(name):
                continue
            path = os.path.join(folder, name)
            if os.path.islink(path):
                target = os.path.realpath(path)
                if not os.path.exists(target):
                    found.passed_over.append((path, "a broken or looping symlink"))
                    continue
                if not _inside(target, root):
                    found.passed_over.append((path, "a symlink to a file outside the folder (name it to index it)"))
                    continue
            yield path


def _add(found: Walk, seen: set[str], path: str, relative: str) -> None:
    key = os.path.realpath(path)
    try:
        mode = os.stat(key).st_mode
    except OSError as error:
        found.passed_over.append((path, error.strerror or str(error)))
        return
    if not stat.S_ISREG(mode):
        found.passed_over.append((path, "not a regular file (a FIFO, device or socket)"))
        return
    if key not in seen:
        seen.add(key)
        found.sources.append(Source(key, displayable(key), displayable(os.path.normpath(relative))))


def _is_index(folder: str, index_real: str | None) -> bool:
    return os.path.exists(os.path.join(folder, INDEX_MARKER)) or (index_real is not None and os.path.realpath(folder) == index_real)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def record_path(file: str) -> str:
    """The path the articles of a file named on its own carry: its folder's name and its name
    (``corpus/a.txt``), as if its folder had been indexed."""
    real = os.path.realpath(file)
    return displayable(os.path.join(os.path.basename(os.path.dirname(real)), os.path.basename(real)))


def displayable(path: str) -> str:
    """A path as text: the bytes of a name that is not UTF-8 shown as escapes (``\\xff``)."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
