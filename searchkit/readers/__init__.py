"""Readers turn files into Articles. This module tells a file's format and runs its reader.

The one entry point is ``read_file(path, options=None)``. It refuses what is not a regular file
(a FIFO, a device, a folder), looks through gzip as it reads, tells the format from the first
bytes (content first, then the extension: a ``.DOC`` that holds RTF is read as RTF) and returns a
``Records``: an iterator of

- ``Article``: one article;
- ``RecordError``: one record that could not be read (the others still count); damage met after
  the first record (a truncated gzip, a cut WARC) ends the file with one;
- ``Skipped``: a record passed over on purpose (a WARC revisit, an image, a 404), with a reason.

``Records.format`` is the short name of the reader chosen (``html``, ``text``, ``json``,
``ninjs``, ``sgml``, ``warc``, ``arc``, ``wacz``, ``feed``, ``csv``, ``nitf``, ``newsml``,
``iptc7901``, ``lexisnexis``, ``factiva``, ``europresse``, ``mbox``, ``wxr``), known as soon as
``read_file`` returns, so a caller can count per format::

    records = read_file(path, options)
    for item in records:
        counts[records.format, type(item).__name__] += 1   # ("warc", "Skipped") ...

``read_file`` raises ``ReadError`` when the file as a whole cannot be read (missing, not a
regular file, empty, binary, of no known format, or damaged before its first record). Reading
is lazy: the file is opened again when iteration starts and closed when it ends. Memory is
bounded whatever the file's size: whole-document formats are read up to ``MAX_DOCUMENT`` bytes
after decompression, record streams a record at a time (see ``protocol``).

``ReadOptions`` carries per-run options (the CSV column mapping). ``read_bytes(data, path)``
reads bytes already in memory the same way (tests). Reader modules, and the libraries they use,
are imported only when a file of their format is read.
"""

from __future__ import annotations

import importlib
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import ReadError
from .encoding import is_binary
from .protocol import (
    MAX_DOCUMENT,
    GzipStream,
    Item,
    ReadOptions,
    RecordError,
    Skipped,
    read_capped,
)

# Files that travel with collections but are not articles: skipped when a folder is walked.
NOT_ARTICLES = re.compile(r"(readme|licen[cs]e|copying|notice|changelog|changes|provenance)(\.\w+)*", re.I)
SNIFF = 256 * 1024  # bytes looked at to tell a format (after decompression)


@dataclass(frozen=True, slots=True)
class Format:
    """A format and its reader: ``module.function`` takes the file's bytes (a whole-document
    format) or a binary stream, the path and the options (a record stream; ``raw`` streams get
    the file as stored, for readers that decompress it themselves)."""

    name: str
    module: str
    function: str = "read"
    stream: bool = False
    raw: bool = False

    def reader(self) -> Callable:
        return getattr(importlib.import_module(f"{__name__}.{self.module}"), self.function)


FORMATS = {
    fmt.name: fmt
    for fmt in [
        Format("html", "html"),
        Format("text", "text"),
        Format("json", "jsonl", "read_stream", stream=True),
        Format("ninjs", "jsonl", "read_stream", stream=True),
        Format("sgml", "sgml", "read_stream", stream=True),
        Format("warc", "webarchive", "read_warc", stream=True, raw=True),
        Format("arc", "webarchive", "read_warc", stream=True, raw=True),
        Format("wacz", "webarchive", "read_wacz", stream=True, raw=True),
        Format("feed", "feeds"),
        Format("csv", "tables", "read_stream", stream=True),
        Format("nitf", "agency", "read_xml", stream=True),
        Format("newsml", "agency", "read_xml", stream=True),
        Format("iptc7901", "agency", "read_wire", stream=True),
        Format("lexisnexis", "exports", "read_nexis"),
        Format("factiva", "exports", "read_factiva"),
        Format("europresse", "exports", "read_europresse"),
        Format("mbox", "mbox", "read_stream", stream=True),
        Format("wxr", "wxr", "read_stream", stream=True),
    ]
}
# Formats by extension (``.gz`` looked through), when the content names none.
EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".sgm": "sgml", ".sgml": "sgml",
    ".warc": "warc", ".arc": "arc", ".wacz": "wacz",
    ".rss": "feed", ".atom": "feed",
    ".csv": "csv", ".tsv": "csv", ".tab": "csv",
    ".nitf": "nitf", ".newsml": "newsml",
    ".mbox": "mbox", ".mbx": "mbox",
    ".rtf": "lexisnexis", ".docx": "lexisnexis",
}
# Extensions that name no format on their own but whose files are sniffed when a folder is walked.
SNIFFED = {".xml", ".doc", ".tst"}
# XML root elements (local names) and the formats they open.
_XML_ROOTS = {
    "rss": "feed", "feed": "feed", "RDF": "feed",
    "nitf": "nitf", "sATOM": "nitf",
    "newsMessage": "newsml", "newsItem": "newsml", "packageItem": "newsml", "contentSet": "newsml", "NewsML": "newsml",
    "PPSResponse": "factiva", "ppsArticleResponse": "factiva",
}
_XML_ROOT = re.compile(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_XML_PROLOG = re.compile(rb"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.S)
_WXR = re.compile(rb"xmlns:wp=[\"']http://wordpress\.org/export/")
_JSON_FEED = re.compile(rb'"version"\s*:\s*"https?:(?:\\?/){2}jsonfeed\.org')
_NINJS = re.compile(rb'"(?:versioncreated|versionCreated|firstcreated|firstCreated)"\s*:|"name"\s*:\s*"ninjs"')
_MBOX = re.compile(rb"From \S+ .*\d{4}\r?\n(?:[\w-]+:.*\r?\n)+")
_NEXIS_TEXT = re.compile(rb"^\s*\d+ of \d+ DOCUMENTS\s*$|^\s*Download Request:", re.M)
# Research-database exports saved as HTML, told apart from news pages (each search is run only
# after a plain substring test: case-insensitive patterns over a 256 KiB head cost milliseconds).
_NEXIS_HTML = re.compile(rb"\d+ of \d+ DOCUMENTS")
# A Factiva page names Factiva and lays out articles its way (a news page may have id="article-...").
_FACTIVA_LAYOUT = re.compile(rb"class=[\"']?article [a-z]{2}Article|class=[\"']?[a-z]{2}Headline|class=[\"']?index[\"']?>\s*<b>HD<")
_HTML = re.compile(rb"<(!doctype html|html|head|body)\b", re.I)

__all__ = [
    "FORMATS",
    "ReadOptions",
    "Records",
    "RecordError",
    "Skipped",
    "detect",
    "read_bytes",
    "read_file",
    "reader_for",
]


class Records(Iterator[Item]):
    """The items of one file, read lazily. ``format`` names the reader chosen (see the module's docstring)."""

    def __init__(self, format: str, items: Iterator[Item]) -> None:
        self.format = format
        self._items = items

    def __iter__(self) -> Records:
        return self

    def __next__(self) -> Item:
        return next(self._items)


def reader_for(path: str | os.PathLike[str]) -> str | None:
    """The format a file's name suggests (``.gz`` looked through): what a folder walk picks up.
    ``sniff`` for names whose content alone tells (``.xml``, ``.doc``, ``.tst``); None for names no
    reader takes (a file named explicitly is read all the same, by its content)."""
    extension = _extension(os.fspath(path))
    return EXTENSIONS.get(extension) or ("sniff" if extension in SNIFFED else None)


def read_file(path: str | os.PathLike[str], options: ReadOptions | None = None, record_path: str | None = None) -> Records:
    """The records of one file (see the module's docstring); ReadError when the file as a whole
    cannot be read. Articles name ``record_path`` as their file; by default the file's path, with
    the bytes of a name that are not UTF-8 as escapes (``\\xff``: a record must be valid JSON),
    as ingest's ``displayable`` writes them."""
    name = os.fspath(path)
    shown = record_path or name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _read(lambda: _open_regular(name), shown, options or ReadOptions())


def read_bytes(data: bytes, path: str, options: ReadOptions | None = None) -> Records:
    """The records of a file's bytes, read as ``read_file`` reads a file."""
    return _read(lambda: io.BytesIO(data), path, options or ReadOptions())


def detect(path: str, head: bytes, zip_names: list[str] | None = None) -> str | None:
    """The name of a file's format, from its first bytes (decompressed) and then its extension."""
    if zip_names is not None:
        if any(name.startswith("archive/") and ".warc" in name for name in zip_names):
            return "wacz"
        if "word/document.xml" in zip_names:
            return "lexisnexis"
        return None
    text = head.lstrip(b"\xef\xbb\xbf")
    if text.startswith(b"WARC/"):
        return "warc"
    if text.startswith(b"filedesc://"):
        return "arc"
    if text.startswith(b"{\\rtf"):
        return "lexisnexis"
    if re.match(rb"(?:\x16\x16)?\x01", text) and b"\x02" in text[:4096]:
        return "iptc7901"
    stripped = text.lstrip()
    if stripped.startswith((b"{", b"[")):
        return "feed" if _JSON_FEED.search(text) else "ninjs" if _NINJS.search(text) else "json"
    if _MBOX.match(text):
        return "mbox"
    if b"<REUTERS" in text[:4096] or b"<!DOCTYPE lewis" in text[:4096]:
        return "sgml"
    if stripped.startswith(b"<"):
        root = _XML_ROOT.match(text, _XML_PROLOG.match(text).end())
        found = _XML_ROOTS.get(root.group(1).decode("ascii", "replace")) if root else None
        if found:
            return "wxr" if found == "feed" and _WXR.search(text) else found
        if _HTML.search(text[:4096]):
            if b" DOCUMENTS" in text and _NEXIS_HTML.search(text):
                return "lexisnexis"
            if (b"Factiva" in text or b"factiva" in text) and _FACTIVA_LAYOUT.search(text):
                return "factiva"
            if b"DocPublicationName" in text or b"cedrom-sni" in text:
                return "europresse"
            return "html"
    if _NEXIS_TEXT.search(text[:16384]):
        return "lexisnexis"
    return EXTENSIONS.get(_extension(path))


def _read(open_file: Callable[[], BinaryIO], path: str, options: ReadOptions) -> Records:
    with open_file() as raw:
        zip_names = _zip_names(raw)
        head, whole = (b"", False) if zip_names is not None else _head(raw)
    if zip_names is None and not head.strip():
        raise ReadError("empty file")
    fmt_name = detect(path, head, zip_names)
    if fmt_name not in ("warc", "arc", "wacz") and zip_names is None and is_binary(head):
        raise ReadError("binary file, not text")
    if fmt_name is None:
        raise ReadError("unsupported file type")
    fmt = FORMATS[fmt_name]
    if whole and not fmt.raw:  # the head holds the whole content: no second reading or decompression
        return Records(fmt.name, _items(lambda: io.BytesIO(head), fmt, path, options, decompressed=True))
    return Records(fmt.name, _items(open_file, fmt, path, options))


def _items(open_file: Callable[[], BinaryIO], fmt: Format, path: str, options: ReadOptions,
           decompressed: bool = False) -> Iterator[Item]:
    produced = False
    try:
        with open_file() as raw:
            stream = raw if fmt.raw or decompressed or not _is_gzip(raw) else io.BufferedReader(GzipStream(raw), 1 << 16)
            reader = fmt.reader()
            if fmt.stream:
                items = reader(stream, path, options)
            else:
                items = reader(read_capped(stream, MAX_DOCUMENT, "one article"), path)
            for item in items:
                produced = True
                yield item
    except ReadError as error:
        if not produced:
            raise
        yield RecordError(f"the rest of the file could not be read: {error}")
    except RecursionError:
        if not produced:
            raise ReadError("too deeply nested to read") from None
        yield RecordError("the rest of the file could not be read: too deeply nested")


def _open_regular(path: str) -> BinaryIO:
    """The file opened for reading, or ReadError; a FIFO or device is refused without blocking on it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except IsADirectoryError:
        raise ReadError("is a folder") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as error:
        raise ReadError(error.strerror or str(error)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise ReadError(f"not a regular file ({kind})")
    return open(fd, "rb")


def _is_gzip(raw: BinaryIO) -> bool:
    start = raw.read(2)
    raw.seek(0)
    return start == b"\x1f\x8b"


def _head(raw: BinaryIO) -> tuple[bytes, bool]:
    """The first SNIFF bytes of a file's content (gzip looked through), and whether that is all of it."""
    if not _is_gzip(raw):
        head = raw.read(SNIFF + 1)
        return head[:SNIFF], len(head) <= SNIFF
    head = bytearray()
    with GzipStream(raw) as stream:
        try:
            while len(head) <= SNIFF and (chunk := stream.read(16384)):
                head += chunk
        except ReadError:
            if not head:  # damage further on is met, and reported, by the reader
                raise
            return bytes(head[:SNIFF]), False
    return bytes(head[:SNIFF]), len(head) <= SNIFF


def _zip_names(raw: BinaryIO) -> list[str] | None:
    """The member names of a zip file (WACZ, DOCX), or None for a file that is not one."""
    if raw.read(4) != b"PK\x03\x04":
        raw.seek(0)
        return None
    raw.seek(0)
    try:
        with zipfile.ZipFile(raw) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        raise ReadError(f"broken zip file ({error})") from None


def _extension(path: str) -> str:
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[1]
