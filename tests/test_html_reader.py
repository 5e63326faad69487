"""Saved HTML pages: metadata from JSON-LD and meta tags, the body without furniture, comments."""

from __future__ import annotations

from conftest import CORPUS, shared_path
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
    from searchkit.readers.page_metadata import strip_site as _strip_site

    assert _strip_site("Steigende US-Zinsen setzen Dax zu | Börsen-Zeitung", None) == "Steigende US-Zinsen setzen Dax zu"
    assert _strip_site("Museum reopens - Coastal Courier", "Coastal Courier") == "Museum reopens"
    assert _strip_site("Brexit talks resume - BBC News", None) == "Brexit talks resume"
    assert _strip_site("Covid-19 cases rise - again", None) == "Covid-19 cases rise - again"
    assert _strip_site("Talks fail - Kühltürme von AKW Gundremmingen gesprengt", None).endswith("gesprengt")


def _page(head: str, body: str = "") -> str:
    text = "<p>The council met on Monday to vote on the harbour budget for the coming year.</p>" * 3
    return f"<html><head>{head}</head><body><article><h1>Headline</h1>{body}{text}</article></body></html>"


def _read(page: str):
    from searchkit.readers import html as html_reader

    [article] = list(html_reader.read(page.encode(), "page.html"))
    return article


def test_doubly_encoded_utf8_in_metadata_is_repaired():
    page = _page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "La sanciÃ³n de Verstappen",'
                 ' "keywords": ["fÃ³rmula 1"]}</script>')
    article = _read(page)
    assert article.title == "La sanción de Verstappen" and article.tags == ["fórmula 1"]


def test_a_utf8_page_declaring_a_single_byte_charset_reads_as_utf8():
    """Pages converted to UTF-8 often keep an old ISO-8859-1 declaration (two fundus pages do)."""
    from searchkit.readers import html as html_reader

    body = "<p>Für 10 GB zahlt ihr nur 5,99 Euro: das günstigste Angebot des Jahres für Vielsurfer.</p>" * 3
    for declaration in ('<meta charset="iso-8859-1">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'):
        page = f"<html><head>{declaration}<title>Günstig surfen</title></head><body><article>{body}</article></body></html>"
        [article] = list(html_reader.read(page.encode("utf-8"), "page.html"))
        assert article.title == "Günstig surfen" and "Für 10 GB" in article.body, declaration
        [really] = list(html_reader.read(page.encode("cp1252"), "page.html"))  # what it says it is: read as declared
        assert really.title == "Günstig surfen" and "Für 10 GB" in really.body


def test_tags_come_from_the_fullest_list_without_ids_and_internal_labels():
    joined = _read(_page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H",'
                         ' "keywords": "Boxen Tyson Fury Russland"}</script>'
                         '<meta name="keywords" content="Boxen,Tyson Fury,Russland">'))
    assert joined.tags == ["Boxen", "Tyson Fury", "Russland"]
    labelled = _read(_page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H", "keywords":'
                           ' ["26157981-b4f7-4929-adc1-e860c6f03636", "Category: Wine", "NLP Category: General",'
                           ' "Wine Guy", "theprovince.com", "editors_pick", "100312362", "/article", "Wine Guy,Politics"]}</script>'))
    assert labelled.tags == ["Wine", "Wine Guy", "Politics"]
    chinese = _read(_page('<meta name="keywords" content="深空探测 探月工程 太空, Tyson Fury">'))
    assert chinese.tags == ["深空探测", "探月工程", "太空", "Tyson Fury"]  # no spaces inside a Chinese phrase


def test_a_visible_tag_list_is_read_when_the_page_declares_none():
    article = _read(_page("", '<div data-testid="article-tags"><a href="/sport/">Sport</a>'
                              '<a href="/tag/wm-2026/">Fußball-WM 2026</a></div>'))
    assert article.tags == ["Sport", "Fußball-WM 2026"]
    camel = _read(_page("", '<div class="articleTags"><span class="articleTag"><a href="/thema/meloni">Giorgia Meloni</a>'
                            '</span></div>'))
    assert camel.tags == ["Giorgia Meloni"]
    words = _read(_page("", '<div class="hashtags-share"><a href="/share">Share</a></div>'))
    assert words.tags == []  # "hashtags" names no tag list of the article
    shared = _read(_page("", '<div class="entry-tags"><a href="https://twitter.com/intent/tweet?u=x">Twitter</a>'
                             '<a href="mailto:desk@example.com">Email me</a></div>'
                             '<p class="topics"><a href="/tag/care">Care-Arbeit</a></p>'))
    assert shared.tags == ["Care-Arbeit"]  # share and contact links make no tag list


def test_a_tag_list_after_the_article_is_read_but_not_the_sites_own_topic_menus():
    text = "<p>The council met on Monday to vote on the harbour budget for the coming year.</p>" * 3
    header = ('<div class="globalheader_container"><div class="topics"><a href="/topics/beijing/">Beijing</a>'
              '<a href="/topics/nfl/">NFL</a></div></div>')
    after = ('<section class="not-prose my-10" data-test-tags-box-v2><a href="#next">Skip the topics</a><ul>'
             '<li><a href="/politik/hamas/">Hamas</a></li><li><a href="/politik/israel/">Israel</a></li></ul></section>')
    sidebar = '<aside><div class="topics__section"><a href="/thema/merkel">Angela Merkel</a></div></aside>'
    page = f"<html><body>{header}<main><article><h1>Headline</h1>{text}</article>{sidebar}{after}</main></body></html>"
    assert _read(page).tags == ["Hamas", "Israel"]
    alone = page.replace(after, "")
    assert _read(alone).tags == []  # a header's or a sidebar's topics are the site's, not the article's


def test_a_visible_list_holding_the_few_declared_tags_is_the_fuller_list():
    visible = ('<div class="border--y"><a class="tag--comp" href="/tag/1-polityka">Polityka</a>'
               '<a class="tag--comp" href="/tag/2-afd">AFD</a><a class="tag--comp" href="/tag/3-niemcy">Niemcy</a></div>')
    page = _page('<meta property="article:tag" content="Polityka">', visible)
    assert _read(page).tags == ["Polityka", "AFD", "Niemcy"]
    other = _page('<meta property="article:tag" content="Wybory">', visible)
    assert _read(other).tags == ["Wybory"]  # the declared tag is not among the visible ones: it stands


def test_links_to_tag_pages_are_the_tags_when_the_page_declares_none():
    article = _read(_page("", '<a href="/news/topics/c1">UK economy</a> <a href="/news/topics/c2">Jeremy Hunt</a>'
                              '<a href="/news/uk-123">A related story about the budget</a>'))
    assert article.tags == ["UK economy", "Jeremy Hunt"]


def test_people_are_preferred_to_the_publication_as_author():
    head = ('<meta property="og:site_name" content="STERN.de"><script type="application/ld+json">{"@type": "NewsArticle",'
            ' "headline": "H", "author": {"@type": "Organization", "name": "STERN.de"}}</script>')
    assert _read(_page(head, '<div class="authors__list-item"><span>von</span> <span>Jemima Kelly</span></div>')).authors == ["Jemima Kelly"]
    assert _read(_page(head)).authors == ["STERN.de"]  # nobody named: the desk stands as author
    assert _read(_page(head, '<div class="author-box">Agenturen</div>')).authors == ["STERN.de"]  # not a person
    assert _read(_page('<meta name="author" content="sophie-foster">')).authors == []  # a URL slug
    signed = _read(_page(head, "<p><strong>SECOND OPERATION</strong></p><p><strong>Mathatisi Sebusi/Mohalenyane Phakela</strong></p>"))
    assert signed.authors == ["Mathatisi Sebusi", "Mohalenyane Phakela"]  # a bold signature, not a bold subheading
    emailed = _read(_page('<meta name="author" content="d.kuckelkorn@example.de">'
                          '<meta name="twitter:misc:Written by" content="Dieter Kuckelkorn">'))
    assert emailed.authors == ["Dieter Kuckelkorn"]
    multilingual = _read(_page('<meta name="author" content="Monika Bolliger und Anna Trechsel, Sweidah">'))
    assert multilingual.authors == ["Monika Bolliger", "Anna Trechsel", "Sweidah"]
    initials = _read(_page('<meta name="author" content="Elena Oberholzer (obe), Oliver Maksan (oma)">'))
    assert initials.authors == ["Elena Oberholzer", "Oliver Maksan"]


def test_authors_from_labelled_twitter_data_author_page_links_and_beside_descriptions():
    labelled = _read(_page('<meta name="author" content="a.sleegers@example.de"><meta name="twitter:label1" content="Written by">'
                           '<meta name="twitter:data1" content="Anna Sleegers"><meta name="twitter:label2" content="Est. reading time">'
                           '<meta name="twitter:data2" content="4 minutes">'))
    assert labelled.authors == ["Anna Sleegers"]
    linked = _read(_page("", '<p class="meta">von <a href="/autoren/name/max-kolter">Dr. Max Kolter</a></p>'
                             '<ul class="metaInfo"><li><a href="https://example.org/author/nflakin/">Nathaniel Flakin</a></li></ul>'
                             '<a href="/authors/">All our authors</a>'))
    assert linked.authors == ["Dr. Max Kolter", "Nathaniel Flakin"]
    described = _read(_page('<meta name="author" content="Povilas Aleksandravičius, '
                            'Mykolo Romerio universiteto Žmogaus ir visuomenės studijų fakulteto profesorius">'))
    assert described.authors == ["Povilas Aleksandravičius"]


def test_site_suffixes_without_spaces_go_when_they_name_the_site():
    from searchkit.readers.page_metadata import strip_site

    assert strip_site("南海トラフ、一時調査 巨大地震、基準達せず：中日新聞Web", "中日新聞Web") == "南海トラフ、一時調査 巨大地震、基準達せず"
    assert strip_site("Ratio 3:2 wins", "Example") == "Ratio 3:2 wins"
    assert strip_site("Ukrainische Gegenoffensive: Ziele | DW | 28.04.2023", "DW.COM") == "Ukrainische Gegenoffensive: Ziele"
    assert strip_site("Brexit: Talks Fail - UK Stalls - BBC News", None) == "Brexit: Talks Fail - UK Stalls"


def test_real_publishers_pages_read_without_errors_and_mostly_right():
    """All 258 fundus pages: none raises, and the headline, day and body agree with the expected
    records far more often than not (benchmarks/extraction.py gives the exact figures)."""
    import gzip
    import json

    from searchkit.readers import html as html_reader

    folder = shared_path("data", "pages-fundus")
    titles = days = 0
    manifest = json.loads((folder / "MANIFEST_derived.json").read_text())
    for entry in manifest:
        expected = json.loads((folder / entry["country"] / f"{entry['publisher']}.json").read_text())[entry["version"]]
        [article] = list(html_reader.read(gzip.decompress((folder / entry["html"]).read_bytes()), entry["html"]))
        titles += " ".join(article.title.split()) == " ".join((expected.get("title") or "").split())
        days += (article.published or "")[:10] == (expected.get("publishing_date") or "")[:10]
        assert article.body, entry["html"]
    assert titles / len(manifest) > 0.8 and days / len(manifest) > 0.9


def test_text_set_in_bare_blocks_is_the_body_when_paragraphs_hold_little():
    sentence = "The council met on Monday to vote on the harbour budget for the coming year, officials said. "
    page = (f"<html><body><div class='promo'><p>Subscribe to our newsletter today.</p></div>"
            f"<div itemprop='articleBody'>{sentence * 3}<br><br>{sentence * 2}<a href='/x'>the plan</a>.</div></body></html>")
    from searchkit.readers import html as html_reader

    [article] = list(html_reader.read(page.encode(), "page.html"))
    assert article.body.startswith("The council met on Monday") and "the plan" in article.body
    assert "Subscribe" not in article.body


def test_paywalled_paragraphs_are_article_text():
    paragraphs = "".join(f"<p class='paywall'>Paragraph {n} of the story about the harbour budget vote.</p>" for n in range(8))
    article = _read(f"<html><body><main><div class='body__container'>{paragraphs}</div></main></body></html>")
    assert article.body.count("Paragraph") == 8
