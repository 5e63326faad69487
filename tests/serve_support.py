"""Shared by the serve tests: an archive holding every kind of content the page must show (and
hostile content it must show safely), `searchkit serve` started on a free port, and headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest

import searchkit
from conftest import CORPUS, news_records

HOSTILE_ID = "hostile-1"
# Every field of one record tries to run code, break out of an attribute, fake a link, reorder the
# text around it with bidi controls, or become a spreadsheet formula.
HOSTILE = {
    "id": HOSTILE_ID,
    "path": "generated/hostile.jsonl#1",
    "title": "<script>window.__pwned = 'title'</script><img src=x onerror=\"window.__pwned = 'img'\">"
             " zebra \u202egnp.exe\u202c \u2067isolated\u2069 report",
    "url": "javascript:window.__pwned = 'url'",
    "source": "\"><svg onload=\"window.__pwned = 'source'\">",
    "section": "=HYPERLINK(\"http://evil.example/\",\"click\")",
    "authors": ["<b onmouseover=\"window.__pwned = 'author'\">Eve</b>", "@SUM(1+1)"],
    "tags": ["+ALERT", "-2+3", "<i>tag</i>", "\u202etag"],
    "body": "The zebra paragraph with <iframe src=\"javascript:window.__pwned = 'body'\"></iframe> inside.\n\n"
            "A second zebra paragraph, \u202ereversed\u202c, with <script>window.__pwned = 'body2'</script>.",
    "published": "2018-05-05",
    "language": "en",
    "related_headlines": ["<a href=\"javascript:window.__pwned = 'related'\">a related zebra story</a>"],
    "image_captions": ["<img src=x onerror=\"window.__pwned = 'caption'\"> a zebra caption"],
    "comments": [
        {"author": "<i>mallory</i>", "reply_to": None, "published": None,
         "text": "<script>window.__pwned = 'comment'</script> zebra"},
        {"author": "trent", "reply_to": "<i>mallory</i>", "published": None,
         "text": "<img src=x onerror=\"window.__pwned = 'reply'\"> \u2066a reply\u2069"},
    ],
}
LINKED_ID = "linked-1"
LINKED = {
    "id": LINKED_ID,
    "path": "generated/hostile.jsonl#2",
    "title": "A zebra story with a real address",
    "url": "https://news.example.org/zebra?a=1&b=\"2\"",
    "body": "An ordinary zebra story whose publisher's address is a link.",
    "published": "2018-05-06",
}
WIRE = " ".join(f"Sentence {n} of the wire story about the harbour strike and the union vote." for n in range(12))
COPIES = [
    {"id": f"wire-{n}", "path": f"generated/wire.jsonl#{n + 1}", "title": f"Harbour strike wire copy {n}",
     "url": f"https://paper{n}.example/strike", "source": f"Paper {n}", "published": "2017-06-0" + str(n + 1),
     "body": f"{intro} {WIRE} {outro}"}
    for n, (intro, outro) in enumerate([("From our wire:", "Reporting by staff."), ("Updated:", "More to follow."),
                                        ("", "Copyright 2017.")])
]
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
CHROMIUM = Path(os.environ.get("SEARCHKIT_CHROMIUM", "/usr/bin/chromium"))


def write_records(folder: Path) -> Path:
    """The serve tests' articles: the sample corpus, generated news (2016-2018), wire copies and hostile records."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CORPUS, folder / "corpus")
    for name, records in (("news.jsonl", news_records()), ("hostile.jsonl", [HOSTILE, LINKED]), ("wire.jsonl", COPIES)):
        (folder / name).write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    return folder


def build_archive(folder: Path) -> Path:
    """An index of :func:`write_records` under ``folder``; returns the index's path."""
    records = write_records(folder / "records")
    with searchkit.Archive(folder / "index") as archive:
        report = archive.index([records])
    assert report.errors == [], report.errors
    return folder / "index"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(index: Path, *extra: str, timeout: float = 60.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """`searchkit serve` on a free port, waited for (its port polled until it answers), stopped afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "searchkit", "serve", "--index", str(index), "--port", str(port), *extra]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise AssertionError("searchkit serve did not start listening") from None
                try:
                    process.wait(timeout=0.05)  # the poll's pace; returns at once if the server stopped
                except subprocess.TimeoutExpired:
                    continue
                raise AssertionError(f"searchkit serve stopped: {process.stderr.read()}")
            yield f"http://127.0.0.1:{port}", process
        finally:
            process.terminate()
            process.wait(timeout=30)


def browser_required() -> bool:
    """CI (and whoever sets SEARCHKIT_REQUIRE_BROWSER) must run the browser tests, never skip them."""
    return bool(os.environ.get("CI") or os.environ.get("SEARCHKIT_REQUIRE_BROWSER"))


@contextmanager
def chromium() -> Iterator:
    """Headless Chromium (the system's, driven by Playwright); a clean skip on a machine without it,
    a failure where the browser tests are required."""
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "needs the playwright package (pip install -e '.[test]')"
    if reason is None and not CHROMIUM.exists():
        reason = f"needs Chromium at {CHROMIUM} (apt-get install chromium, or set SEARCHKIT_CHROMIUM)"
    if reason is not None:
        if browser_required():
            pytest.fail(f"browser tests are required here (CI or SEARCHKIT_REQUIRE_BROWSER) but: {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
