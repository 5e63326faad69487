"""The reader protocol: read_file's refusals, gzip looked through as it is read, caps on size,
format detection by content, per-record errors for damage, and the CSV column mapping."""

from __future__ import annotations

import gzip
import os
import tracemalloc
import zlib

import orjson
import pytest
from typer.testing import CliRunner

from searchkit import Article, ReadError
from searchkit.cli import app
from searchkit.readers import ReadOptions, RecordError, Skipped, detect, read_bytes, read_file
from searchkit.readers.protocol import MAX_DOCUMENT


def records(count: int) -> bytes:
    return b"".join(orjson.dumps({"title": f"Story {n}", "body": f"Text of story {n}."}) + b"\n" for n in range(count))


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match="not a regular file"):
        read_file(fifo)


def test_a_symlink_to_a_device_is_refused(tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(ReadError, match="not a regular file"):
        read_file(link)


def test_a_folder_and_a_missing_file_are_refused(tmp_path):
    with pytest.raises(ReadError, match="is a folder|not a regular file"):
        read_file(tmp_path)
    with pytest.raises(ReadError, match="no such file"):
        read_file(tmp_path / "missing.txt")


def test_a_decompression_bomb_is_refused_while_it_inflates(tmp_path):
    # 200 MB of spaces in a page, compressed to 200 KB: refused after MAX_DOCUMENT bytes, never inflated whole.
    path = tmp_path / "bomb.html.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b" " * (1 << 20)
    with open(path, "wb") as out:
        out.write(compressor.compress(b"<html><body><p>"))
        for _ in range(200):
            out.write(compressor.compress(chunk))
        out.write(compressor.flush())
    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match="too large to be one article"):
            list(read_file(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * MAX_DOCUMENT


def test_json_lines_are_read_a_line_at_a_time(tmp_path):
    def peak(count: int) -> int:
        path = tmp_path / f"{count}.jsonl"
        path.write_bytes(b"".join(orjson.dumps({"title": f"Story {n}", "body": "word " * 180}) + b"\n" for n in range(count)))
        for _ in read_file(path):  # readers and their imports loaded before measuring
            break
        tracemalloc.start()
        try:
            assert sum(1 for item in read_file(path) if isinstance(item, Article)) == count
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(500), peak(4000)  # 0.5 MB and 3.7 MB of JSON Lines
    assert large < small + 50_000  # the same memory whatever the number of lines


def test_a_truncated_gzip_gives_its_records_then_reports_the_damage(tmp_path):
    data = gzip.compress(records(2000))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(read_file(path))
    articles = [item for item in items if isinstance(item, Article)]
    assert 100 < len(articles) < 2000 and articles[0].title == "Story 0"
    assert isinstance(items[-1], RecordError) and "broken gzip data" in str(items[-1])


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"title": "A", "places": 5}', "'places' must be a list"),
        (b'{"title": "A", "people": true}', "'people' must be a list"),
        (b'{"title": "A", "published": "' + b"9" * 400 + b'"}', "not a date"),
        (b'{"maintext": "A", "date_publish": "' + b"9" * 400 + b'"}', "not a date"),
        (b'{"title": "A", "deep": ' + b"[" * 1000 + b"]" * 1000 + b"}", "nested more than"),
        (b'{"title": "A", "body": "B", "comments": [{"text": 5}]}', "'text' must be a string"),
    ],
)
def test_a_malformed_json_record_is_a_record_error_and_the_rest_is_read(tmp_path, line, reason):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"title": "First"}\n' + line + b'\n{"title": "Last"}\n')
    first, error, last = read_file(path)
    assert isinstance(error, RecordError) and reason in str(error) and str(error).startswith("line 2:")
    assert [first.title, last.title] == ["First", "Last"]
    assert orjson.dumps(last.to_dict())  # what the index stores


def test_a_json_line_too_long_to_be_a_record_is_reported_without_being_held(tmp_path, monkeypatch):
    monkeypatch.setattr("searchkit.readers.jsonl.MAX_RECORD", 1000)
    path = tmp_path / "long.jsonl"
    path.write_bytes(b'{"title": "A"}\n{"title": "' + b"x" * 5000 + b'"}\n{"title": "C"}\n')
    first, error, last = read_file(path)
    assert isinstance(error, RecordError) and "too long" in str(error)
    assert (first.title, last.title) == ("A", "C")


def test_format_is_told_by_content_before_the_extension(tmp_path):
    rtf = tmp_path / "export.DOC"
    rtf.write_bytes(rb"{\rtf1\ansi A headline\par Some Paper\par March 1, 2020\par Length: 3 words\par Body\par Text of it.\par End of Document\par}")
    records = read_file(rtf)
    assert records.format == "lexisnexis"
    [article] = list(records)
    assert article.title == "A headline" and article.source == "Some Paper" and article.body == "Text of it."
    assert detect("x.txt", b"WARC/1.0\r\n") == "warc"
    assert detect("x.xml", b'<?xml version="1.0"?>\n<!-- a note -->\n<nitf><head/></nitf>') == "nitf"
    assert detect("x.json", b'{"version": "https://jsonfeed.org/version/1", "items": []}') == "feed"
    assert detect("x.json", b'{"uri": "urn:x", "versioncreated": "2020-01-01"}') == "ninjs"
    assert detect("x.txt", b"\x01abc 123\r\n\x02Headline\r\ntext\x03") == "iptc7901"
    assert detect("x.csv", b"title,url\nA,http://a\n") == "csv"
    news_page = b'<html><body><div id="article-body"><p>Dow Jones Factiva said on Monday...</p></div></body></html>'
    assert detect("x.html", news_page) == "html"


def test_an_unknown_or_binary_file_is_refused(tmp_path):
    with pytest.raises(ReadError, match="binary"):
        read_bytes(b"\x00\x01\x02" * 100, "x.json")
    with pytest.raises(ReadError, match="unsupported"):
        read_bytes(b"plain words", "x.unknown")
    with pytest.raises(ReadError, match="empty"):
        read_bytes(b"  \n", "x.txt")


def test_xml_that_declares_entities_is_refused():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">' % ((98 + n,) + (97 + n,) * 10) for n in range(8))
              + b']><nitf><body><body.content><p>&i;</p></body.content></body></nitf>')
    with pytest.raises(ReadError, match="declares entities"):
        list(read_bytes(laughs, "laughs.xml"))
    external = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>'
    with pytest.raises(ReadError, match="declares entities"):
        list(read_bytes(external, "feed.rss"))


def test_csv_columns_are_found_by_name_or_mapped(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Headline;Story;When;Link;Writer\nFirst one;\"Body &amp; soul.\";2021-03-04;https://a.example/1;Ann Lee and Bo Ma\n"
                    ";;2021-03-05;https://a.example/2;\n", encoding="utf-8")
    first, error = read_file(path)
    assert first.title == "First one" and first.body == "" and first.url == "https://a.example/1"
    assert first.authors == ["Ann Lee", "Bo Ma"] and first.published is None
    assert isinstance(error, RecordError) and str(error) == "line 3: no title and no text"
    mapped = list(read_file(path, ReadOptions.parse_columns("body=Story, published=When")))
    assert mapped[0].body == "Body & soul." and mapped[0].published == "2021-03-04"
    with pytest.raises(ValueError, match="unknown field"):
        ReadOptions.parse_columns("text=Story")
    with pytest.raises(ReadError, match="does not have"):
        list(read_file(path, ReadOptions.parse_columns("body=Missing")))


def test_a_csv_row_with_a_stray_quote_is_reported_by_line_and_the_rest_read(tmp_path):
    path = tmp_path / "stray.csv"
    path.write_text('title,text\nOne,"first, quoted"\nTwo,"a stray quote\nThree,third\nFour,"multi\nline"\n', encoding="utf-8")
    items = list(read_file(path))
    assert [item.title for item in items if isinstance(item, Article)] == ["One", "Three", "Four"]
    assert [item.body for item in items if isinstance(item, Article)][2] == "multi line"
    [error] = [item for item in items if isinstance(item, RecordError)]
    assert str(error).startswith("line 3: cannot be read as a row")


def test_cli_parse_maps_csv_columns(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Headline,Story\nA title,Some text.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", str(path), "--json", "--columns", "body=Story"])
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.output)["body"] == "Some text."
    bad = CliRunner().invoke(app, ["parse", str(path), "--columns", "nonsense"])
    assert bad.exit_code == 2 and "FIELD=COLUMN" in bad.output


def test_a_file_name_that_is_not_utf8_is_read_and_its_records_can_be_written(tmp_path):
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.jsonl")
    with open(name, "wb") as out:
        out.write(b'{"title": "A"}\n{"title": "B"}\n')
    first, second = read_file(os.fsdecode(name))
    assert first.path.endswith("caf\\xe9.jsonl#1") and orjson.dumps(second.to_dict())


def test_skipped_is_not_an_error():
    assert not isinstance(Skipped("revisit"), ReadError)


def test_an_rtf_export_with_unbalanced_groups_is_read_whole():
    document = rb"\par {\b A headline}\par Some Paper\par March 1, 2020\par Length: 3 words\par Body\par Text of %d.\par End of Document\par"
    rtf = rb"{\rtf1\ansi " + document % 1 + b"}}" + document % 2 + b"{{" + document % 3  # a stray close, groups left open
    first, second, third = read_bytes(rtf, "export.rtf")
    assert [a.body for a in (first, second, third)] == ["Text of 1.", "Text of 2.", "Text of 3."]
    assert third.title == "A headline" and third.published == "2020-03-01"


def test_broken_xml_gives_the_items_before_the_damage_then_says_so():
    item = b"<newsItem><contentMeta><headline>Story %d</headline></contentMeta><contentSet><inlineXML><nitf><body>" \
           b"<body.content><p>Text %d.</p></body.content></body></nitf></inlineXML></contentSet></newsItem>"
    message = b"<newsMessage><itemSet>" + item % (1, 1) + item % (2, 2) + b"<newsItem><contentMeta><headline>Sto</contentMeta>"
    *stories, error = read_bytes(message + item % (4, 4) + b"</itemSet></newsMessage>", "feed.xml")
    assert [a.title for a in stories] == ["Story 1", "Story 2"] and [a.body for a in stories] == ["Text 1.", "Text 2."]
    assert isinstance(error, RecordError) and str(error).startswith("broken XML after record 2")


def test_a_query_imports_no_reader_and_a_reader_imports_only_its_library(tmp_path):
    import subprocess
    import sys

    query = subprocess.run([sys.executable, "-X", "importtime", "-m", "searchkit", "query", "x", "--index", str(tmp_path / "none")],
                           capture_output=True, text=True)
    imported = {line.split("|")[-1].strip() for line in query.stderr.splitlines() if line.startswith("import time:")}
    assert not {name for name in imported if name.startswith(("searchkit.readers", "warcio", "feedparser", "striprtf"))}
    path = tmp_path / "stories.csv"
    path.write_text("title,text\nA,B\n", encoding="utf-8")
    code = f"import sys; from searchkit.readers import read_file; list(read_file({str(path)!r})); print(sorted(sys.modules))"
    modules = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "searchkit.readers.tables" in modules
    assert not any(name in modules for name in ("'warcio'", "'feedparser'", "'striprtf", "'selectolax"))


def test_a_csv_header_row_that_cannot_be_read_is_a_clean_error():
    from searchkit.errors import ReadError
    from searchkit.readers import read_bytes

    with pytest.raises(ReadError, match="cannot read the header row"):
        list(read_bytes(b"\r\x01", "page.csv"))
