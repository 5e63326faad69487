"""Indexing whole archives: Reuters dumps, gzip, incremental runs, prune, duplicates, workers."""

from __future__ import annotations

import gzip
import io
import shutil

import orjson
import pytest

import searchkit
from conftest import CORPUS_SIZE, SEED, news_records, shared_path, write_news_files
from searchkit import read_file

pytestmark = pytest.mark.usefixtures("engine")  # behaviour tests: every backend runs them


def test_reuters_sgml_maps_topics_places_author_and_dateline():
    path = shared_path("data", "reuters21578", "reut2-000.sgm.gz")
    articles = list(read_file(path))
    assert len(articles) == 1000
    first = articles[0]
    assert first.title == "BAHIA COCOA REVIEW" and first.tags == ["cocoa"]
    assert first.extra["places"] == ["el-salvador", "usa", "uruguay"] and first.extra["dateline"] == "SALVADOR, Feb 26"
    assert first.published == "1987-02-26T15:01:01" and first.source == "Reuters" and first.language == "en"
    assert first.body.startswith("Showers continued throughout the week in the Bahia cocoa zone")
    assert not first.body.endswith("Reuter") and "\x03" not in first.body
    bylined = [a for a in articles if a.authors]
    assert bylined and all(not name.lower().startswith("by ") for a in bylined for name in a.authors)


def test_reuters_file_with_a_latin_1_byte_reads_whole():
    articles = list(read_file(shared_path("data", "reuters21578", "reut2-017.sgm.gz")))
    assert len(articles) == 1000 and any("ü" in a.body or "ü" in a.title for a in articles)


def test_reuters_records_decode_entities_and_keep_escaped_tickers(tmp_path):
    dump = (
        '<REUTERS TOPICS="NO" NEWID="7"><DATE>26-FEB-1987 15:18:59.34</DATE><TOPICS></TOPICS>'
        '<TEXT TYPE="UNPROC">&#2;\nCORRECTION - CONTINENTAL ILL &lt;CIL>\n    In WASHINGTON story, please read\n'
        ' Reuter\n&#3;</TEXT></REUTERS>\n'
        '<REUTERS TOPICS="YES" NEWID="8"><DATE>26-FEB-1987 15:19:15.45</DATE><TOPICS><D>acq</D></TOPICS>'
        '<PLACES><D>usa</D></PLACES><TEXT><TITLE>AT&amp;T BUYS &lt;XYZ CORP></TITLE>'
        '<DATELINE>    NEW YORK, Feb 26 - </DATELINE><BODY>American Telephone &amp; Telegraph said it\n'
        'agreed to buy &lt;XYZ Corp>.\n Reuter\n&#3;</BODY></TEXT></REUTERS>\n'
    )
    unprocessed, story = read_file(write_gz(tmp_path / "dump.sgm.gz", dump.encode("latin-1")))
    assert "CONTINENTAL ILL <CIL>" in unprocessed.body and unprocessed.extra["reuters_id"] == "7"
    assert story.title == "AT&T BUYS <XYZ CORP>" and story.tags == ["acq"] and story.extra["places"] == ["usa"]
    assert story.body == "American Telephone & Telegraph said it agreed to buy <XYZ Corp>."
    assert story.extra["dateline"] == "NEW YORK, Feb 26" and story.published == "1987-02-26T15:19:15"


def write_gz(path, data: bytes):
    path.write_bytes(gzip.compress(data))
    return path


def test_gzip_is_read_transparently_for_every_format(tmp_path):
    (tmp_path / "seed.txt.gz").write_bytes(gzip.compress(SEED.read_bytes()))
    record = orjson.dumps({"title": "Gzipped JSON Lines", "body": "Compressed text."})
    (tmp_path / "records.jsonl.gz").write_bytes(gzip.compress(record + b"\n"))
    archive = searchkit.Archive(tmp_path / "index")
    assert archive.index([tmp_path]).added == 2
    assert archive.search('title:"gzipped json lines"').total == 1


def test_unchanged_files_are_not_parsed_again(tmp_path, corpus, monkeypatch):
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([corpus], workers=1)

    def fail(*args, **kwargs):
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr("searchkit.ingest.workers.read_file", fail)
    report = archive.index([corpus], workers=1)
    assert (report.files_unchanged, report.unchanged, report.added) == (CORPUS_SIZE, CORPUS_SIZE, 0)


def test_prune_removes_articles_of_deleted_files_only_when_asked(tmp_path, corpus):
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([corpus])
    (corpus / "wire-wheat-prices.txt").unlink()
    assert archive.index([corpus]).removed == 0 and len(archive) == CORPUS_SIZE
    report = archive.index([corpus], prune=True)
    assert report.removed == 1 and len(archive) == CORPUS_SIZE - 1
    assert archive.search("wheat").total == 0


def test_the_same_article_saved_twice_is_stored_once(tmp_path):
    story = {"title": "Truce holds", "body": "The truce held overnight. " * 20, "url": "https://x.org/truce"}
    copy_with_other_url = {**story, "url": "https://mirror.example/truce", "body": story["body"].upper()}
    (tmp_path / "a.json").write_bytes(orjson.dumps(story))
    (tmp_path / "b.json").write_bytes(orjson.dumps(story))
    (tmp_path / "c.json").write_bytes(orjson.dumps(copy_with_other_url))
    archive = searchkit.Archive(tmp_path / "index")
    report = archive.index([tmp_path])
    assert (report.added, report.duplicates) == (1, 2) and len(archive) == 1


def test_syndicated_copies_are_grouped_and_can_be_expanded(tmp_path):
    wire = " ".join(f"Sentence {n} of the wire story about the harbour strike and the union vote." for n in range(12))
    copies = [
        {"title": f"Copy {n}", "url": f"https://paper{n}.example/strike", "source": f"Paper {n}",
         "body": f"{intro} {wire} {outro}"}
        for n, (intro, outro) in enumerate([("From our wire:", "Reporting by staff."),
                                            ("Updated:", "More to follow."), ("", "Copyright 2024.")])
    ]
    other = {"title": "Different story", "url": "https://x.example/other",
             "body": " ".join(f"Line {n}: the harbour museum opens a new wing on the strike of 1920." for n in range(12))}
    (tmp_path / "copies.jsonl").write_bytes(b"\n".join(orjson.dumps(r) for r in [*copies, other]))
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([tmp_path])
    grouped = archive.search("harbour strike")
    assert grouped.total == 4 and len(grouped.hits) == 2
    assert sorted(hit.duplicates for hit in grouped.hits) == [0, 2]
    expanded = archive.search("harbour strike", expand_duplicates=True)
    assert len(expanded.hits) == 4 and all(hit.duplicates == 0 for hit in expanded.hits)
    assert len(list(archive.stream("harbour strike"))) == 2


def test_parallel_and_serial_runs_build_the_same_archive(tmp_path):
    write_news_files(tmp_path / "news", files=6, per_file=250)
    serial, parallel = searchkit.Archive(tmp_path / "one"), searchkit.Archive(tmp_path / "two")
    assert serial.index([tmp_path / "news"], workers=1).added == 1500
    report = parallel.index([tmp_path / "news"], workers=2, commit_every=600)
    assert report.added == 1500
    for query in ("ceasefire talks", "wheat OR strike", "date:2017 election"):
        one = serial.search(query, limit=50, snippets=False)
        two = parallel.search(query, limit=50, snippets=False)
        assert one.total == two.total
        assert [(h.id, round(h.score, 6)) for h in one.hits] == [(h.id, round(h.score, 6)) for h in two.hits]


def test_progress_is_reported_after_each_file(tmp_path, corpus):
    calls = []
    searchkit.Archive(tmp_path / "index").index([corpus], progress=lambda done, total, report: calls.append((done, total)))
    assert calls == [(n, CORPUS_SIZE) for n in range(1, CORPUS_SIZE + 1)]


def test_a_changed_file_that_no_longer_reads_keeps_its_articles(tmp_path, corpus):
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([corpus])
    (corpus / "wire-wheat-prices.txt").write_bytes(b"\x00\x01 binary now")
    report = archive.index([corpus])
    assert report.errors and report.removed == 0 and archive.search("wheat").total == 1


@pytest.mark.parametrize("copies", [2])
def test_same_id_in_two_files_of_one_run_is_stored_once(tmp_path, copies):
    record = news_records(1)[0]
    for n in range(copies):
        (tmp_path / f"copy{n}.jsonl").write_bytes(orjson.dumps(record) + b"\n")
    archive = searchkit.Archive(tmp_path / "index")
    report = archive.index([tmp_path])
    assert report.added == 1 and report.duplicates == copies - 1
    shutil.rmtree(tmp_path / "index")


@pytest.mark.parametrize("engine", ["whoosh"], indirect=True)  # Whoosh's segments
def test_merges_run_in_the_workers_and_change_no_result(tmp_path):
    write_news_files(tmp_path / "news", files=15, per_file=100)
    serial, parallel = searchkit.Archive(tmp_path / "one"), searchkit.Archive(tmp_path / "two")
    serial.index([tmp_path / "news"], workers=1)
    parallel.index([tmp_path / "news"], workers=2, commit_every=100)  # 15 commits of one segment each
    segments = parallel._backend.ix._segments()
    assert len(segments) < 15  # ten of them were merged into one, by a worker
    for query in ("ceasefire talks", "wheat OR strike", "date:2017 election"):
        one, two = serial.search(query, limit=50, snippets=False), parallel.search(query, limit=50, snippets=False)
        assert one.total == two.total
        assert [(h.id, round(h.score, 6)) for h in one.hits] == [(h.id, round(h.score, 6)) for h in two.hits]


@pytest.mark.parametrize("engine", ["whoosh"], indirect=True)  # Whoosh's table of contents (see test_sphinxql.py)
def test_a_commit_that_fails_changes_nothing_and_the_next_run_completes(tmp_path, corpus, monkeypatch):
    from searchkit.backends.whoosh import writer

    archive = searchkit.Archive(tmp_path / "index")
    archive.index([corpus / SEED.name])

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "write_toc", fail)  # the new generation's table of contents
    with pytest.raises(searchkit.SearchkitError, match="No space left on device"):
        archive.index([corpus])
    monkeypatch.undo()
    assert len(archive) == 1 and archive.search("wheat").total == 0
    report = archive.index([corpus])
    assert (report.added, report.files_unchanged) == (CORPUS_SIZE - 1, 1) and len(archive) == CORPUS_SIZE


def test_the_summary_counts_each_format_and_what_it_passed_over(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder = tmp_path / "crawl"
    folder.mkdir()
    with open(folder / "capture.warc.gz", "wb") as output:
        writer = WARCWriter(output, gzip=True)
        for n, (kind, body) in enumerate([("text/html", b"<html><head><title>Harbour strike %d</title></head>"
                                                        b"<body><article><p>Dockers walked out.</p></article></body></html>"),
                                          ("image/png", b"\x89PNG....")]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.0")
            payload = body % n if kind == "text/html" else body
            writer.write_record(writer.create_warc_record(f"https://example.org/{n}", "response", length=len(payload),
                                                          payload=io.BytesIO(payload), http_headers=headers))
    (folder / "note.txt").write_text("Harbour note\n\nThe harbour board met on Monday to discuss the strike.\n")
    report = searchkit.Archive(tmp_path / "index").index([folder])
    lines = report.summary().splitlines()
    assert report.added == 2 and len(lines) == 3
    assert lines[1:] == ["  1 text file: 1 article", "  1 warc file: 2 records, 1 article, 1 skipped (1 not HTML)"]
    assert list(report.formats["warc"].skipped) == ["not HTML (image/png)"]
