"""Properties over arbitrary input: readers never crash, records round-trip, queries run or explain."""

from __future__ import annotations

import gzip

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchkit
from whoosh.reading import IndexReader

from searchkit import Article, QueryError, ReadError
from searchkit.backends.whoosh import ranking
from searchkit.querylang import expansion
from searchkit.model import Comment, build
from searchkit.normalize import clean_line
from searchkit.readers import RecordError, Skipped, read_bytes
from searchkit.readers.text import read as read_text

names = st.sampled_from([
    "page.txt", "page.json", "page.jsonl", "page.txt.gz", "page.unknown", "page.csv", "page.tsv", "page.warc", "page.xml",
    "page.mbox", "page.rtf", "page.doc", "page.html", "page.sgm", "page.rss", "page.nitf", "page.tst",
])
# Openings that lead the detection into each reader, so that every one of them meets the bytes after.
openings = st.sampled_from([
    b"", b"WARC/1.0\r\n", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n", b"filedesc://",
    b"{\\rtf1 ", b"\x01", b"\x16\x16\x01", b'{"version": "https://jsonfeed.org/version/1", "items": [', b'{"versioncreated": "',
    b'{"title": "', b"<?xml version='1.0'?><rss><channel><item><title>", b"<feed><entry><title>", b"<nitf><body><body.content><p>",
    b"<newsMessage><itemSet><newsItem><contentSet><inlineXML>", b"<NewsML><NewsItem><NewsComponent>", b"<PPSResponse><article><headline>",
    b"<rss xmlns:wp='http://wordpress.org/export/1.2/'><channel><item><title>", b"From a Sat Jan  1 00:00:00 2000\nSubject: x\n",
    b"<html><body><p>1 of 2 DOCUMENTS</p><p>", b"<html><title>Factiva</title><div class='article'>",
    b"<html><span class='DocPublicationName'>", b"title,text\n", b"<REUTERS>", b"Download Request: x\n\n1 of 1 DOCUMENTS\n\n",
])


@given(opening=openings, data=st.binary(max_size=4096), name=names, compressed=st.booleans())
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_readers_give_records_or_a_clean_error_for_any_bytes(opening, data, name, compressed):
    content = gzip.compress(opening + data) if compressed else opening + data
    try:
        items = list(read_bytes(content, name))
    except ReadError as error:
        assert str(error)
        return
    assert all(isinstance(item, (Article, RecordError, Skipped)) for item in items)


@given(text=st.text(st.characters(max_codepoint=0x7F, blacklist_characters="\x1b"), max_size=200))
@settings(max_examples=500, deadline=None)
def test_clean_line_of_ascii_text_keeps_printable_characters_and_single_spaces(text):
    # The rule, spelled out for ASCII without ESC (escape sequences go whole: test_html_hostile.py),
    # where clean_line may skip its passes: tabs and line
    # breaks are spaces, other control characters go, runs of spaces become one, ends are trimmed.
    kept = "".join(" " if c in "\t\r\n" else c for c in text if " " <= c < "\x7f" or c in "\t\r\n")
    assert clean_line(text) == " ".join(part for part in kept.split(" ") if part)


page_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=2000)


@given(text=page_text)
@settings(max_examples=300, deadline=None)
def test_text_reader_gives_one_clean_record_or_says_why_for_any_text(text):
    try:
        [article] = list(read_text(text.encode("utf-8"), "page.txt"))
    except ReadError as error:
        assert str(error).startswith("no article text")
        return
    assert not any(ch in article.body + article.title for ch in "\x00\x1b\x07")


def word_lists():
    return st.lists(st.text(min_size=1, max_size=30), max_size=5)


records = st.builds(
    lambda title, body, tags, authors, related, comments, published: build(
        "corpus/x.txt",
        title=title,
        body=body,
        tags=tags,
        authors=authors,
        related_headlines=related,
        comments=[Comment(text=text, author=author) for text, author in comments],
        published=published,
    ),
    title=st.text(max_size=200),
    body=st.text(max_size=1000),
    tags=word_lists(),
    authors=word_lists(),
    related=word_lists(),
    comments=st.lists(st.tuples(st.text(max_size=100), st.none() | st.text(max_size=20)), max_size=4),
    published=st.none() | st.dates().map(lambda d: d.isoformat()),
)


@given(article=records)
@settings(max_examples=300, deadline=None)
def test_records_round_trip_through_json(article):
    assert Article.from_dict(orjson.loads(orjson.dumps(article.to_dict()))) == article


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory):
    from conftest import CORPUS

    archive = searchkit.Archive(tmp_path_factory.mktemp("props") / "index")
    archive.index([CORPUS])
    yield archive
    archive.close()


QUERY_PARTS = [
    '"', "(", ")", "AND", "OR", "NOT", "&&", "||", "!", "-", "+", "*", "**", "?", "?*?*?*", ":", "~", "~2", "~0.8",
    "^", "^2", "[", "]", "TO", "/", "/a.*/", "title:", "tag:", "author:", "lang:", "date:", "date:[2017 TO",
    "date:>=2017-03", "colour:", "al-Bab", "ceasefire", "ceasfire~", "automat*", "*ion", "x", "the", "é", "日本",
    "\u202e", "\x00", "ab" * 300,
]
query_text = (
    st.text(max_size=60)
    | st.lists(st.sampled_from(QUERY_PARTS), max_size=10).map(" ".join)
    | st.lists(st.sampled_from(QUERY_PARTS), max_size=10).map("".join)
)


@given(query=query_text)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_query_string_runs_or_explains(small_archive, terms_read, monkeypatch, query):
    """Any string gets results or a one-line explanation, having read at most its budget of the
    index's vocabulary (the bound on a query's time: two vocabulary budgets, for the query and
    for a suggested spelling, and the suggester's own). The budgets are set about the size of
    the sample's vocabulary (500 words), so that some queries run into them."""
    monkeypatch.setattr(expansion, "BUDGET", 600)
    monkeypatch.setattr(ranking, "SUGGEST_BUDGET", 300)
    terms_read.clear()
    try:
        results = small_archive.search(query)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert results.total >= len(results.hits)
    assert sum(terms_read) <= 2 * expansion.BUDGET + ranking.SUGGEST_BUDGET


@pytest.fixture
def terms_read(monkeypatch):
    """Counts every term Whoosh's readers yield to a prefix scan."""
    counted: list[int] = []

    def counting(method):
        def expand_prefix(self, fieldname, prefix):
            for text in method(self, fieldname, prefix):
                counted.append(1)
                yield text

        return expand_prefix

    # (A segment's reader and a reader of several segments both come here.)
    monkeypatch.setattr(IndexReader, "expand_prefix", counting(IndexReader.expand_prefix))
    return counted


def test_the_vocabulary_count_sees_what_a_wildcard_reads(small_archive, terms_read, monkeypatch):
    monkeypatch.setattr(expansion, "BUDGET", 200)
    with pytest.raises(QueryError, match="would read more than 200 words"):
        small_archive.search("*ion")
    assert sum(terms_read) == 201
