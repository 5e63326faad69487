"""Saved HTML pages: metadata from JSON-LD and meta tags, the body without furniture, comments."""

from __future__ import annotations

from conftest import CORPUS
from searchkit import read_file


def test_a_news_page_gives_its_record():
    [article] = list(read_file(CORPUS / "harbour-museum-reopens.html"))
    assert article.title == "Harbour museum reopens after flood repairs"
    assert article.url == "https://www.coastalcourier.example/culture/harbour-museum-reopens"
    assert article.source == "Coastal Courier" and article.section == "Culture" and article.language == "en"
    assert article.published == "2024-04-12T09:30:00+01:00"
    assert article.authors == ["Maria Santos", "Tom Reed"]
    assert article.tags == ["Museums", "Floods", "Harbour"]
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 4 and paragraphs[0].startswith("The harbour museum reopened its doors on Friday")
    for furniture in ("Share on Facebook", "newsletter", "Related", "Flood barrier plan", "All rights", "Wonderful"):
        assert furniture not in article.body
    assert article.related_headlines == ["Flood barrier plan approved by town council",
                                         "Volunteers rescue museum charts from floodwater"]
    assert article.image_captions == ["The restored maritime gallery on Friday morning"]
    assert [(c.author, c.reply_to, c.text) for c in article.comments] == [
        ("Harbourside Ann", None, "Wonderful news. The new gallery looks fantastic."),
        ("Pete M", "Harbourside Ann", "Agreed, we took the kids this morning."),
        ("quayside", None, "Eighteen months is far too long for repairs like these."),
    ]
    assert article.comments[0].published == "2024-04-12T11:02:00+01:00"


def test_html_pages_are_indexed_and_searchable(archive):
    assert archive.search("harbour museum flood").hits[0].title == "Harbour museum reopens after flood repairs"
    assert archive.search('comments:"took the kids"').total == 1


def test_site_name_suffixes_leave_the_headline_but_real_headline_words_stay():
    from searchkit.readers.html import _strip_site

    assert _strip_site("Steigende US-Zinsen setzen Dax zu | Börsen-Zeitung", None) == "Steigende US-Zinsen setzen Dax zu"
    assert _strip_site("Museum reopens - Coastal Courier", "Coastal Courier") == "Museum reopens"
    assert _strip_site("Brexit talks resume - BBC News", None) == "Brexit talks resume"
    assert _strip_site("Covid-19 cases rise - again", None) == "Covid-19 cases rise - again"
    assert _strip_site("Talks fail - Kühltürme von AKW Gundremmingen gesprengt", None).endswith("gesprengt")
