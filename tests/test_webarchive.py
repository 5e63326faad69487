"""Web archives made here with warcio from real pages: the same records as the pages read as
HTML files, skips counted, damage read up to and reported."""

from __future__ import annotations

import gzip
import io
import re
from collections import Counter

import orjson
import pytest

from conftest import shared_path
from searchkit import Article
from searchkit.readers import RecordError, Skipped, html, read_file

warcio = pytest.importorskip("warcio")  # a dependency; imported here only to write archives
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

CAPTURED = "2024-05-06T07:08:09Z"


def aeb_pages(count: int) -> list[tuple[str, bytes]]:
    folder = shared_path("data", "extraction-aeb")
    truth = orjson.loads((folder / "ground-truth.json").read_bytes())
    return [(truth[key]["url"], gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())) for key in sorted(truth)[:count]]


def write_warc(path, pages: list[tuple[str, bytes]], compress: bool = True, extras: bool = True) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=compress)
        for number, (url, page) in enumerate(pages):
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"), length=18))
            writer.write_record(response(writer, url, page))
            if extras and number == 1:
                writer.write_record(response(writer, url + "logo.png", b"\x89PNG\r\n", "image/png"))
                writer.write_record(response(writer, url + "gone", b"<html>gone</html>", status="404 Not Found"))
                writer.write_record(writer.create_revisit_record(
                    url, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", url, CAPTURED,
                    http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")))


def response(writer: WARCWriter, url: str, payload: bytes, kind: str = "text/html; charset=utf-8", status: str = "200 OK"):
    headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=io.BytesIO(payload), length=len(payload),
                                     http_headers=headers, warc_headers_dict={"WARC-Date": CAPTURED})


def test_a_warc_of_real_pages_gives_the_records_of_the_pages_themselves(tmp_path):
    pages = aeb_pages(40)
    path = tmp_path / "aeb.warc.gz"
    write_warc(path, pages)
    records = read_file(path)
    items = list(records)
    assert records.format == "warc"
    assert Counter(item.reason if isinstance(item, Skipped) else type(item).__name__ for item in items) == Counter(
        {"Article": 40, "not HTML (image/png)": 1, "HTTP status 404": 1, "revisit (a capture of unchanged content)": 1})
    from_warc = [item for item in items if isinstance(item, Article)]
    from_files = [next(html.read(page, "page.html")) for _, page in pages]
    same = ("title", "body", "published", "authors", "section", "tags", "language", "related_headlines", "image_captions", "comments")
    for (url, _), warc_article, file_article in zip(pages, from_warc, from_files):
        assert [getattr(warc_article, key) for key in same] == [getattr(file_article, key) for key in same]
        assert warc_article.url == (file_article.url or url)  # the page's canonical URL, else the captured one
        assert warc_article.crawled == "2024-05-06T07:08:09+00:00"
    assert len({article.id for article in from_warc}) == 40


def test_a_cut_warc_is_read_up_to_the_damage_and_says_so(tmp_path):
    pages = aeb_pages(6)
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, pages, extras=False)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    items = list(read_file(cut))
    articles = [item for item in items if isinstance(item, Article)]
    assert 2 <= len(articles) < 6
    assert [a.title for a in articles[:2]] == [next(html.read(page, "p.html")).title for _, page in pages[:2]]
    plain = tmp_path / "plain.warc"
    write_warc(plain, pages, compress=False, extras=False)
    raw = plain.read_bytes()
    third = [found.start() for found in re.finditer(rb"(?m)^WARC/1\.\d\r$", raw)][4]  # the third request
    (tmp_path / "broken.warc").write_bytes(raw[:third] + b"GARBAGE!" + raw[third + 8:])
    broken = list(read_file(tmp_path / "broken.warc"))
    assert sum(isinstance(item, Article) for item in broken) == 2
    assert isinstance(broken[-1], RecordError) and str(broken[-1]).startswith("damaged after page 2")


def test_a_file_that_is_not_an_archive_after_all_is_a_clean_error(tmp_path):
    from searchkit import ReadError

    path = tmp_path / "fake.warc"
    path.write_bytes(b"WARC/1.0\r\nnonsense without a blank line")
    with pytest.raises(ReadError):
        list(read_file(path))
