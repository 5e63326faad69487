"""Every sample in ../shared/data/inputs gives the articles its PROVENANCE.txt counts, with the
fields its format carries (or a test says why it cannot)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import shared_path
from searchkit import Article
from searchkit.readers import RecordError, Skipped, read_file


def read(*parts: str) -> tuple[str, list]:
    records = read_file(shared_path("data", "inputs", *parts))
    return records.format, list(records)


def articles(*parts: str) -> list[Article]:
    return [item for item in read(*parts)[1] if isinstance(item, Article)]


def kinds(items: list) -> Counter:
    return Counter(type(item).__name__ for item in items)


# --- feeds ----------------------------------------------------------------------------------


def test_feeds_give_one_article_per_item_318_in_all():
    counts = {name: len(articles("feeds", name)) for name in (
        "real-cnn.rss", "real-korean-times.rss", "npr-technology.jsonfeed.json", "feed2exec-breaking_news.xml",
        "feed2exec-planet-debian.xml", "feed2exec-restic.xml", "feed2exec-weird-dates.xml")}
    assert counts == {"real-cnn.rss": 69, "real-korean-times.rss": 195, "npr-technology.jsonfeed.json": 25,
                      "feed2exec-breaking_news.xml": 10, "feed2exec-planet-debian.xml": 6, "feed2exec-restic.xml": 10,
                      "feed2exec-weird-dates.xml": 3}
    assert sum(counts.values()) == 318


def test_rss_items_carry_title_link_date_authors_categories_and_clean_body():
    cnn = articles("feeds", "real-cnn.rss")
    assert sum(1 for a in cnn if a.published) == 52  # 17 items have no pubDate
    first = cnn[0]
    assert first.title.startswith("Any investigation of a former president") and first.title == first.title.strip()
    assert first.url.startswith("https://www.cnn.com/2022/07/26/politics/") and first.source == "www.cnn.com"
    assert first.published == "2022-07-27T03:27:09+00:00" and first.language == "en"
    korea = articles("feeds", "real-korean-times.rss")
    assert korea[0].tags == ["nation"] and korea[0].authors == ["KoreaTimes"]
    assert korea[0].published == "2022-07-28T04:35:00+09:00"  # "Thu,28 Jul 2022 4:35:5 GMT+9", which feedparser leaves unparsed
    # <language>US</language> names a country, not a language: the text's is detected (none in a short item)
    assert {a.language for a in korea} == {"en", None} and korea[0].language == "en"
    debian = articles("feeds", "feed2exec-planet-debian.xml")
    assert not re.search(r"</?(p|br|a|div)\b", debian[0].body) and "\n\n" in debian[0].body


def test_atom_and_json_feed_entries():
    restic = articles("feeds", "feed2exec-restic.xml")
    assert restic[0].title == "restic 0.7.2" and restic[0].authors == ["fd0"]
    assert restic[0].url is None  # a relative link with no absolute base is no URL
    npr = articles("feeds", "npr-technology.jsonfeed.json")
    assert npr[0].title == "Keller Rinaudo: How can delivery drones save lives?"
    assert npr[0].authors == ["Manoush Zomorodi"] and npr[0].published == "2021-10-29T10:26:00-04:00"
    assert npr[0].url.startswith("https://www.npr.org/2021/10/29/1050315385/") and npr[0].body


def test_the_same_story_reads_alike_from_its_feed_and_its_mailbox():
    feed = {a.url: a for a in articles("feeds", "feed2exec-breaking_news.xml")}
    mail = articles("mbox", "breaking_news.mbx")
    assert len(mail) == 9 and all(a.url in feed for a in mail)
    for message in mail:
        assert message.title == feed[message.url].title and message.body == feed[message.url].body


# --- MBOX and WXR ---------------------------------------------------------------------------


def test_mailboxes_give_18_messages_with_decoded_headers():
    counts = [len(articles("mbox", name)) for name in ("breaking_news.mbx", "planet-debian.mbx", "weird-dates.mbx")]
    assert counts == [9, 6, 3]
    first = articles("mbox", "planet-debian.mbx")[0]
    assert first.title == "Lisandro Damián Nicanor Pérez Meyer: Qt 4 and 5 and OpenSSL1.0 removal"  # RFC 2047
    assert first.url == "http://perezmeyer.blogspot.com/2017/10/qt-4-and-5-and-oepnssl10-removal.html"
    assert first.published == "2017-10-13T14:29:00+00:00" and first.body.startswith("Today we received updates")


def test_wordpress_exports_give_6_posts():
    fmt, items = read("wordpress-wxr", "wordpress_wxr.xml")
    posts = [item for item in items if isinstance(item, Article)]
    assert fmt == "wxr" and len(posts) == 5
    story = posts[0]
    assert story.title == "Starafrica to dispose assets for $6 million to clear debt"
    assert story.authors == ["admin"] and story.section == "Business" and story.tags == ["companies"]
    assert story.published == "2013-07-29T16:03:54+00:00" and story.source == "The SDNewTester" and story.language == "en"
    [funke] = articles("wordpress-wxr", "wordpress_wxr_funke.xml")
    assert funke.language == "de" and "Mysterium Secrets & Lies" in funke.tags
    assert funke.body.startswith("Mysterium Secrets & Lies von Asmodee Digital")  # [dropcap]M[/dropcap] shortcode dropped


# --- CSV ------------------------------------------------------------------------------------


def test_media_cloud_story_lists_give_25176_title_only_articles():
    counts = {}
    for name in ("all-story-urls-20210713153555.csv", "fr_TUN_presse.csv"):
        fmt, items = read("mediacloud-csv", name)
        assert fmt == "csv" and kinds(items) == Counter(Article=len(items))
        counts[name] = len(items)
    assert counts == {"all-story-urls-20210713153555.csv": 13623, "fr_TUN_presse.csv": 11553}
    first = articles("mediacloud-csv", "fr_TUN_presse.csv")[0]
    assert first.title.startswith("Grève de 24 heures") and first.body == ""
    assert first.url.startswith("https://lapresse.tn/4333/") and first.published == "2019-04-24T17:00:24"
    assert first.source == "LaPresse" and first.language == "fr"


def test_html_entities_in_media_cloud_titles_are_decoded_once():
    titles = [a.title for a in articles("mediacloud-csv", "all-story-urls-20210713153555.csv")]
    assert not any("&#8217;" in title or "&#8230;" in title for title in titles)
    assert any("’" in title for title in titles)


@pytest.mark.parametrize("name", ["events.csv", "events1.csv", "gkg.csv", "gkg1.csv", "mentions.csv"])
def test_gdelt_tables_are_refused_they_hold_no_titles_or_texts(name):
    # GDELT's raw tables are headerless link lists (event codes, tone, a source URL per row):
    # there is nothing to search in them, so they are refused with a message saying what is missing.
    from searchkit import ReadError

    with pytest.raises(ReadError, match="no column names a title, a text or a URL"):
        read("gdelt", name)[1]


# --- web archives ---------------------------------------------------------------------------


def test_warc_samples_give_their_html_responses_and_skip_the_rest():
    fmt, items = read("warc", "dolma-sample-0001.warc.gz")
    assert fmt == "warc" and kinds(items) == Counter(Article=15, Skipped=2)  # 15 HTML responses; 2 wget log resources
    blog = next(a for a in items if isinstance(a, Article) and "cc-joins-civil-society" in (a.url or ""))
    assert blog.url == "https://creativecommons.org/2024/03/28/cc-joins-civil-society-letter-urging-u-s-to-support-openness-and-transparency-in-ai/"
    assert blog.crawled == "2024-04-25T16:27:49+00:00" and blog.published == "2024-03-28T21:37:08+00:00"
    [bbc] = articles("warc", "www_bbc_co_uk_news.warc")  # LF-only line ends, a wrong Content-Length
    assert bbc.url == "https://www.bbc.co.uk/news" and bbc.crawled == "2022-01-16T10:07:35+00:00"


def test_a_clipped_warc_keeps_its_partial_article():
    [article] = articles("warc", "clipped.warc.gz")
    assert article.title == "A Humble Chance The Rapper Leads a Spiritual Awakening at Revention"
    assert article.crawled == "2016-10-17T14:57:38+00:00" and article.published == "2016-10-17T08:52:00-05:00"
    assert article.authors == ["Brandon Caldwell"] and len(article.body) > 2000


def test_arc_and_warc_of_one_crawl_give_the_same_pages():
    warc = read("warc", "IAH-20080430204825-00000-blackbook-truncated.warc.gz")[1]
    arc = read("arc", "IAH-20080430204825-00000-blackbook-truncated.arc.gz")[1]
    page = lambda a: (a.url, a.title, a.body, a.crawled) if isinstance(a, Article) else a.reason  # noqa: E731
    assert [page(a) for a in warc[1:]] == [page(a) for a in arc[1:]]  # the dns: record is text/dns in one, application/http in the other
    assert kinds(warc) == Counter(Skipped=7, Article=1)  # dns, robots.txt, an empty frameset, 3 images, an RSS feed
    assert [a.reason for a in warc if isinstance(a, Skipped)][-1] == "not HTML (text/xml)"


def test_wacz_pages_are_read_through_their_warcs():
    [page] = articles("wacz", "valid_example_1.wacz")
    assert page.title == "Example Domain" and page.url == "http://www.example.com/" and page.crawled.startswith("2020-10-07")
    fmt, items = read("wacz", "valid_signed_example_1.wacz")
    assert fmt == "wacz" and kinds(items) == Counter(Article=1, Skipped=1)  # the favicon's 404


# --- agency formats -------------------------------------------------------------------------


def test_nitf_files_give_9_articles_with_their_fields():
    names = ["mediacloud-ap/test_ap_fixture_1217196c795c4d51841dcc7ff9ca3647.nitf",
             "mediacloud-ap/test_ap_fixture_31b6938bb41a4c00b031818a58db74b9.nitf",
             "mediacloud-ap/test_ap_fixture_613261288057444a9d7d95fa8609b2ee.nitf", "mediacloud-ap/test_ap_fixture_archive.xml",
             "superdesk/aap.xml", "superdesk/ap-nitf.xml", "superdesk/efe_nitf.xml", "superdesk/nitf-ntb.xml", "superdesk/pa1.xml"]
    found = [articles("nitf", *name.split("/")) for name in names]
    assert [len(items) for items in found] == [1] * 9
    shaw = found[1][0]
    assert shaw.title == "After Cyclone Idai in Malawi, a search for new homes" and shaw.authors == ["NEIL SHAW"]
    assert shaw.published == "2019-05-28T08:10:57+00:00" and shaw.source == "AP" and shaw.extra["dateline"] == "MWALIJA, Malawi"
    assert shaw.body.startswith("MWALIJA, Malawi (AP) — Ellen Madson's home is now rubble.") and shaw.body.count("\n\n") == 18
    archive = found[3][0]
    assert archive.body.startswith("BERLIN (AP) — German media")  # mojibake "â€”" repaired
    aap = found[4][0]
    assert aap.published == "2013-10-20T19:27:51+11:00" and aap.source == "Australian Associated Press"
    assert found[7][0].language == "no" and found[7][0].published == "2020-09-07T14:45:26"  # NTB declares nb (Bokmål)


def test_newsml_g2_messages_give_their_text_items_and_skip_a_package():
    fmt, items = read("newsml-g2", "superdesk", "ap.xml")
    assert fmt == "newsml" and len(items) == 3
    first = items[0]
    assert first.title == "Nutrisystem beats 4Q earnings and revenue expectations" and first.language == "en"
    assert first.published == "2018-02-26T21:20:36+00:00" and first.source == "Automated Insights"
    assert "Earnings reports" in items[1].tags and first.extra["dateline"] == "FORT WASHINGTON, Pa."
    assert first.body.startswith("FORT WASHINGTON, Pa. (AP) _ Nutrisystem Inc.")
    [dpa] = articles("newsml-g2", "superdesk", "dpa.xml")
    assert dpa.body.startswith("London (dpa) - 2019 gab es bittere Tränen")  # the XHTML header's lists are not body
    [ansa] = articles("newsml-g2", "superdesk", "ansa-newsmlg2-text.xml")
    assert ansa.body.startswith("(ANSA) - Rome, October 11") and "<p>" not in ansa.body
    [package] = read("newsml-g2", "superdesk", "tag_reuters.com_2014_newsml_KBN0FL0NM_version_10.xml")[1]
    assert isinstance(package, Skipped) and "package" in package.reason
    bodies = [articles("newsml-g2", "iptc", name)[0].body for name in (
        "LISTING_1_A_NewsML-G2_News_Item.xml", "LISTING_2_NewsML-G2_Text_Document.xml", "LISTING_22_Sports_story_in_NewsML-G2NITF.xml")]
    assert [bool(body) for body in bodies] == [False, True, True]  # LISTING_1's inlineXML holds only a comment
    # The bare <contentSet> fragment holds a whole NITF document, which is read as one.
    [fragment] = articles("newsml-g2", "iptc", "LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml")
    assert fragment.body.startswith("(Sports Network) - With the Philadelphia Phillies")


def test_newsml_1_items():
    [afp] = articles("newsml-1", "afp.xml")
    assert afp.title == "Sweden court accepts receivership for Saab carmaker" and afp.language == "en"
    assert afp.published == "2014-08-29T13:49:51+00:00" and afp.source == "AFP"
    [ana] = articles("newsml-1", "ana1.xml")
    assert ana.title == "Wage employment balance positive in Jan-March" and ana.body.startswith("Wage employment in the private sector")


def test_ninjs_items_of_every_version():
    found = {name: articles("ninjs", *name.split("/")) for name in (
        "iptc/dpa_text.json", "iptc/ntb_text.json", "iptc/tt_text_image_2.json", "iptc/businesswire-newsml-20130731006140.json",
        "iptc/20231008-anti-doping-addb-ninjs-nitf.json", "superdesk/ninjs2.json")}
    assert [len(items) for items in found.values()] == [1] * 6
    assert read("ninjs", "iptc", "dpa_text.json")[0] == "ninjs"
    dpa = found["iptc/dpa_text.json"][0]
    assert dpa.title == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?" and dpa.language == "de" and dpa.source == "dpa"
    ntb = found["iptc/ntb_text.json"][0]
    assert ntb.body == "" and ntb.extra["description"].startswith("IT-giganten Google har kjøpt")  # a teaser: no body
    doping = found["iptc/20231008-anti-doping-addb-ninjs-nitf.json"][0]  # 3.0, camelCase, NITF in a JSON string
    assert doping.published == "2023-10-08T02:34:03+02:00" and doping.body.startswith("The initiatives are being implement")
    assert found["superdesk/ninjs2.json"][0].source == "Australian Associated Press"


def test_iptc_7901_and_anpa_1312_stories():
    [dpa] = articles("iptc7901-anpa1312", "IPTC7901.txt")
    assert dpa.title == "Germany Social Democrats: Coalition talks with Merkel could fail" and dpa.source == "dpa"
    assert dpa.body.startswith("Berlin (dpa) - Negotiations between") and "\x02" not in dpa.body and "NOTEBOOK" not in dpa.body
    [ap] = articles("iptc7901-anpa1312", "anpa-1.tst")
    assert ap.title == "For Argentine chemo patients, mirrors can hurt" and ap.authors == ["PAUL BYRNE", "ALMUDENA CALATRAVA"]
    assert ap.published is None  # "11-13" carries no year
    [sport] = articles("iptc7901-anpa1312", "ap_anpa-1.tst")
    assert sport.title == "Deng has 30 points, short-handed Heat beat Hawks 115-111" and sport.authors == ["CHARLES ODUM"]


# --- research-database exports --------------------------------------------------------------


def test_lexisnexis_exports_are_split_into_their_documents():
    txt = articles("lexisnexis", "lexisnexistools", "sample.TXT")
    docx = articles("lexisnexis", "lexisnexistools", "sample.DOCX")
    assert len(txt) == 10 and len(docx) == 10
    first = txt[0]
    assert (first.source, first.published, first.title) == ("Guardian.com", "2010-01-11", "Lorem ipsum dolor sit amet")
    # the export declares English, but its text is lorem ipsum: CLD2 reliably reads Latin, which overrules it
    assert first.authors == ["Andrew Sparrow"] and first.extra["words"] == 355 and first.language == "la"
    assert first.body.startswith("Lorem ipsum dolor sit amet, consectetur") and "LOAD-DATE" not in first.body
    assert txt[2].section == "FEATURES" and txt[7].title == "PRISONER OF HIS OWN CABINET"  # "8 of 383 DOCUMENTS"
    uni = docx[0]
    assert (uni.title, uni.source, uni.published) == ("Lorem ipsum dolor sit amet", "The Guardian(London)", "2019-07-01T09:20:00+00:00")
    assert uni.section == "POLITICS" and uni.extra["words"] == 355 and "End of Document" not in uni.body


def test_lexisnexis_html_in_english_and_french_and_the_error_placeholder():
    english = articles("lexisnexis", "tm.plugin.lexisnexis", "lexisnexis_test_en.html")
    assert [a.title for a in english][0] == "Heading One" and english[0].authors == ["PAPER AUTHOR"]
    assert english[0].body == 'Some text.\n\nSome more text.\n\n"Quotation" said somebody. More text, a highlight and end of paper.'
    french = articles("lexisnexis", "tm.plugin.lexisnexis", "lexisnexis_test_fr.html")
    assert len(french) == 3 and french[0].section == "INTERNATIONAL" and french[0].extra["words"] == 143
    assert french[0].tags[:2] == ["ÉNERGIE", "MARCHÉ DE L'ÉNERGIE"] and "PAKISTAN" in french[0].extra["places"]
    fmt, items = read("lexisnexis", "tm.plugin.lexisnexis", "lexisnexis_test_copyright_error.html")
    assert fmt == "lexisnexis" and kinds(items) == Counter(Article=1, RecordError=1)
    assert "error in this document" in str(items[1])


def test_factiva_exports_in_both_html_layouts_and_xml():
    old = articles("factiva", "tm.plugin.factiva", "factiva_test.html")
    assert [a.title for a in old] == ["Test 1", "Test 2"] and old[0].language == "fr" and old[0].extra["words"] == 295
    assert old[0].published == "2011-12-29T15:32:00" and old[0].source == "Test newspaper"
    assert old[0].body.startswith("First head paragraph") and "Domestic Politics" in old[0].tags
    new = articles("factiva", "factiva-parsing", "Factiva-example.html")
    assert [(a.source, a.published, a.language) for a in new] == [
        ("Passauer Neue Presse", "1998-04-18", "de"), ("Süddeutsche Zeitung", "1998-05-09", "de")]
    assert new[0].extra["document_id"] == "pnp0000020010926du4i003v3"
    reuters = articles("factiva", "tm.plugin.factiva", "reut21578-factiva.xml")
    assert len(reuters) == 19 and reuters[0].title == "DIAMOND SHAMROCK (DIA) CUTS CRUDE PRICES"
    assert reuters[0].published == "1987-02-26" and reuters[0].body.startswith("Diamond Shamrock Corp said that effective today")
    assert len(articles("factiva", "tm.plugin.factiva", "factiva_test.xml")) == 3


def test_europresse_exports_in_both_layouts():
    # PROVENANCE.txt counts 2 articles in test1; it holds 3 (a third, "Magazine 1, no. 5968", after "Mag").
    old = articles("europresse", "europresse_test1.html")
    assert [a.source for a in old] == ["l'Humanité", "Mag", "Magazine 1, no. 5968"]
    assert old[0].title == "A heading: some text" and old[0].published == "2013-10-05" and old[0].section == "Politique"
    assert "accentuated characters: éèêù" in old[0].body and "Tous droits" not in old[0].body
    new = articles("europresse", "europresse_test2.html")
    assert len(new) == 4 and new[1].authors == ["Ariane Chemin"] and new[0].published == "2006-03-14"
    assert new[0].extra["document_id"] == "news·20060315·LM·0q1503_1256056"


def test_every_sample_is_read_without_an_unexpected_error():
    folder = shared_path("data", "inputs")
    errors = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in ("PROVENANCE.txt", "README.txt")):
        if path.parent.name == "gdelt":
            continue
        errors += [f"{path.name}: {item}" for item in read_file(path) if isinstance(item, RecordError)]
    assert errors == ["lexisnexis_test_copyright_error.html: document 2: LexisNexis exported it as 'there is an error in this document'"]
