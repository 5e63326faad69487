"""Web archives: WARC, ARC and WACZ (a zip of WARCs), read with warcio a record at a time.

Every HTML page captured with status 200 (a ``response``, or a ``resource`` record) goes through
the HTML reader; the record's ``WARC-Target-URI`` is the article's URL when the page declares
none, and its ``WARC-Date`` the ``crawled`` time (never the publication date). Revisits, pages
that are not HTML and responses other than 200 are yielded as ``Skipped``; request, metadata and
warcinfo records are not pages and pass silently. A damaged archive (a cut gzip member, a broken
header) is read up to the damage, which ends it with a RecordError.

warcio is the tolerant reader: FastWARC is faster but rejects WARCs whose line ends lost their
carriage returns and cannot read ARC (see ``benchmarks/formats.py``).
"""

from __future__ import annotations

import logging
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from typing import BinaryIO
from urllib.parse import urlsplit

from ..errors import ReadError
from ..model import Article, build
from . import html
from .protocol import MAX_RECORD, Item, ReadOptions, RecordError, Skipped

_PAGE_TYPES = ("text/html", "application/xhtml")


def read_warc(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[Item]:
    """Yield an article (or a Skipped) for every page captured in a WARC or ARC stream."""
    from warcio.exceptions import ArchiveLoadFailed

    pages = seen = 0
    records = _records(stream)
    while True:
        try:
            record = next(records, None)
            if record is None:
                if not seen:
                    raise ReadError("not a readable web archive (no records)")
                return
            seen += 1
            if not record.rec_type:
                raise ValueError("a record without a WARC-Type header")
            if record.rec_type not in ("response", "resource", "revisit"):
                continue
            pages += 1
            yield _page(record, f"{path}#{pages}")
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error, AttributeError, IndexError, KeyError, TypeError) as error:
            # warcio raises assorted errors on damaged records
            if not pages:
                raise ReadError(f"not a readable web archive ({_reason(error)})") from None
            yield RecordError(f"damaged after page {pages}: {_reason(error)}; the pages before it were read")
            return


def _records(stream: BinaryIO):
    """warcio's record iterator, with what it would write to stderr (a record longer than its
    Content-Length, gzip damage after the first block, warnings) raised or dropped instead."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.bufferedreaders import DecompressingBufferedReader

    quiet = logging.getLogger("warcio")  # its warnings quote a record's URI: never to a terminal raw
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())

    class Reader(DecompressingBufferedReader):
        def _decompress(self, data):
            if self.decompressor and data and self.num_block_read:
                try:
                    return self.decompressor.decompress(data)
                except zlib.error as error:
                    raise OSError(f"broken gzip data ({error})") from None
            return super()._decompress(data)

    class Records(ArchiveIterator):
        INC_RECORD = ""

        def __init__(self, fileobj) -> None:
            super().__init__(fileobj, arc2warc=True)
            self.reader = Reader(self.fh, block_size=self.reader.block_size)

    return iter(Records(stream))


def read_wacz(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[Item]:
    """Yield the pages of every WARC inside a WACZ (its ``archive/`` folder)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = sorted(name for name in archive.namelist() if name.startswith("archive/") and ".warc" in name)
            for name in names:
                with archive.open(name) as member:
                    yield from read_warc(member, f"{path}/{name}", options)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise ReadError(f"broken WACZ file ({error})") from None


def _page(record, path: str) -> Item:
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
    if record.rec_type == "revisit":
        return Skipped("revisit (a capture of unchanged content)")
    if record.http_headers is not None and record.rec_type == "response":
        status = record.http_headers.get_statuscode()
        if status != "200":
            return Skipped(f"HTTP status {status}")
        kind = record.http_headers.get_header("Content-Type") or ""
    else:
        kind = record.rec_headers.get_header("Content-Type") or ""
    if not kind.lower().lstrip().startswith(_PAGE_TYPES):
        return Skipped(f"not HTML ({kind.split(';')[0].strip() or 'no type'})")
    payload = record.content_stream().read(MAX_RECORD + 1)
    if len(payload) > MAX_RECORD:
        return RecordError(f"page {uri}: too large to be one page (over {MAX_RECORD >> 20} MiB)")
    try:
        [article] = html.read(payload, path)
    except ReadError as error:
        return RecordError(f"page {uri}: {error}")
    if not article.title and not article.body:
        return Skipped("no text (an empty page, a frameset or a redirect)")
    return _captured(article, uri, record.rec_headers.get_header("WARC-Date"))


def _captured(article: Article, uri: str, date: str | None) -> Article:
    """The article with the capture's URL (when the page declares none) and time."""
    if not article.url and uri.startswith(("http://", "https://")):
        article = replace(article, url=uri, id=build(article.path, url=uri).id, source=article.source or urlsplit(uri).hostname)
    try:
        return replace(article, crawled=build(article.path, crawled=date).crawled)
    except ValueError:
        return article


def _reason(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
