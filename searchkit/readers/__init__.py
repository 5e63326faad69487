"""Readers turn files into Articles. This module finds files and picks the reader for each.

A reader is a function ``read(data: bytes, path: str)`` yielding Articles (and, for files that
hold many records, a RecordError for each record it has to skip). Readers know nothing of the index.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import ReadError
from ..model import Article
from . import html, jsonl, sgml, text
from .encoding import gunzip, is_binary
from .jsonl import RecordError

Reader = Callable[[bytes, str], Iterator[Article | RecordError]]
INDEX_MARKER = "searchkit.json"  # written by backends/whoosh/store.py into every index folder
# Files that travel with collections but are not articles: skipped when a folder is walked.
NOT_ARTICLES = re.compile(r"(readme|licen[cs]e|copying|notice|changelog|changes|provenance)(\.\w+)*", re.I)

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".text": text.read,
    ".json": jsonl.read,
    ".jsonl": jsonl.read,
    ".ndjson": jsonl.read,
    ".html": html.read,
    ".htm": html.read,
    ".xhtml": html.read,
    ".sgm": sgml.read,
    ".sgml": sgml.read,
}

__all__ = ["READERS", "RecordError", "find_files", "read_bytes", "read_file", "reader_for"]


def reader_for(path: str | os.PathLike[str], head: bytes = b"") -> Reader | None:
    """The reader for a file, by its extension (``.gz`` looked through), else by sniffing its first bytes."""
    name = os.fspath(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    reader = READERS.get(os.path.splitext(name)[1])
    if reader or not head:
        return reader
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"["):
        return jsonl.read
    if b"<REUTERS" in head or b"<!DOCTYPE lewis" in head:
        return sgml.read
    if start == b"<" and re.search(rb"<(!doctype html|html|head|body)\b", head, re.I):
        return html.read
    return None


def find_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Every supported file under the given files and folders, sorted; hidden ones, searchkit
    index folders and a collection's own papers (README, LICENSE, PROVENANCE.txt, ...) are skipped.

    A file named explicitly is yielded even when its extension is unknown, so that its reader
    can be sniffed or its rejection reported.
    """
    for root in map(Path, paths):
        if root.is_dir():
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not Path(folder, d, INDEX_MARKER).exists())
                for name in sorted(files):
                    if not name.startswith(".") and reader_for(name) and not NOT_ARTICLES.fullmatch(name):
                        yield Path(folder, name)
        else:
            yield root


def read_file(path: str | os.PathLike[str]) -> Iterator[Article | RecordError]:
    """Articles from one file, or ReadError when the file as a whole cannot be read."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except IsADirectoryError:
        raise ReadError("is a folder") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as error:
        raise ReadError(error.strerror or str(error)) from None
    return read_bytes(data, os.fspath(path))


def read_bytes(data: bytes, path: str) -> Iterator[Article | RecordError]:
    """Articles from a file's bytes (gzip is looked through); ReadError when none can be had."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip(data)
    if not data.strip():
        raise ReadError("empty file")
    if is_binary(data):
        raise ReadError("binary file, not text")
    reader = reader_for(path, data[:64])
    if reader is None:
        raise ReadError("unsupported file type")
    return reader(data, path)
