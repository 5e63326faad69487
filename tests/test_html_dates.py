"""Publication dates of saved pages: what the page declares, best first, never an update; else a search of the page."""

from __future__ import annotations

import gzip
import json

from conftest import shared_path
from searchkit.readers import html as html_reader

TEXT = "<p>The council met on Monday to vote on the harbour budget for the coming year, officials said.</p>" * 3


def _published(head: str, body: str = "") -> str | None:
    page = f"<html><head>{head}</head><body><article><h1>Harbour budget</h1>{body}{TEXT}</article></body></html>"
    [article] = list(html_reader.read(page.encode(), "page.html"))
    return article.published


def test_json_ld_of_any_type_names_the_date_when_the_article_object_does_not():
    head = ('<script type="application/ld+json">[{"@type": "NewsArticle", "headline": "Harbour budget"},'
            ' {"@type": "WebPage", "name": "Harbour budget", "datePublished": "2026-05-13 15:44"}]</script>')
    assert _published(head) == "2026-05-13T15:44:00"


def test_meta_names_of_many_content_systems_give_the_date_and_a_modified_one_stands_aside():
    modified = '<meta property="article:modified_time" content="2024-10-24T08:00:00+00:00">'
    for name in ("article:published:time", "rnews:datePublished", "cXenseParse:recs:publishtime", "OriginalPublicationDate"):
        assert _published(f'{modified}<meta name="{name}" content="2024-10-23T15:48:15+00:00">') == "2024-10-23T15:48:15+00:00"


def test_a_standard_declaration_wins_over_a_publishers_own_meta_name():
    head = '<meta name="DCSext.articleFirstPublished" content="2019-02-05 16:07">'
    body = '<time itemprop="datePublished" datetime="2023-08-30T16:45+0100">30 August 2023</time>'
    assert _published(head, body) == "2023-08-30T16:45:00+01:00"


def test_compact_iso_dates_are_read():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H", "datePublished": "20180619T055000+0900"}</script>'
    assert _published(head) == "2018-06-19T05:50:00+09:00"


def test_a_time_element_marked_as_an_update_is_passed_over():
    body = ('<time class="entry-date updated" datetime="2012-07-25T09:00:00">July 25</time>'
            '<time class="entry-date published" datetime="2012-07-24T00:11:00">July 24</time>')
    assert _published("", body) == "2012-07-24T00:11:00"


def test_a_page_that_declares_nothing_is_searched_for_its_dateline_or_url():
    assert _published("", "<p class='byline'>By Jane Doe | July 24, 2012 12:11 AM</p>") == "2012-07-24T00:11:00"
    assert _published('<link rel="canonical" href="https://blog.example.org/2011/01/31/harbour-budget/">') == "2011-01-31"


def _dateline(text: str) -> str | None:
    """The first date in the lines of a text before its first paragraph (a line over 200 characters)."""
    from searchkit.dates import parse_date

    for line in text.split("\n\n")[:8]:
        if len(line) > 200:
            return None
        if parse_date(line):
            return parse_date(line)
    return None


def test_pages_of_a_2012_crawl_get_the_date_their_dateline_shows():
    """dragnet-train's gold text keeps each page's dateline: the date in its lines before the
    first paragraph labels the page (596 pages; the reader found 11% of them before it searched
    pages that declare nothing)."""
    folder = shared_path("data", "extraction-dev", "dragnet-train")
    right = labelled = 0
    for line in (folder / "gold.jsonl").read_text().splitlines()[::3]:
        gold = json.loads(line)
        day = _dateline(gold["body"])
        if not day:
            continue
        [article] = list(html_reader.read(gzip.decompress((folder / gold["page"]).read_bytes()), gold["page"]))
        labelled += 1
        right += (article.published or "")[:10] == day[:10]
    assert labelled > 150 and right / labelled > 0.85


def test_a_meta_named_as_an_identifier_is_no_date_whatever_its_digits_look_like():
    # (a Chinese portal's publishid, "1129981476.12.2.0", holds "1476.12.2")
    head = '<meta name="publishid" content="1129981476.12.2.0"><meta name="pub_id" content="2019.10.12">'
    assert _published(head, "<p>2023-11-17 20:52:15</p>") == "2023-11-17T20:52:15"
