"""Plain-text page captures: the seed against its golden record, and other common layouts."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, SEED, shared_path
from searchkit import ReadError, read_file
from searchkit.readers import capture_lines, text


def words(text):
    return re.findall(r"\w+", text.casefold())


def only(path):
    [article] = list(read_file(path))
    return article


def test_seed_matches_golden_record_field_by_field():
    golden = json.loads(shared_path("golden", "sputnik-pentagon-daesh-coordinates.json").read_text())
    record = only(shared_path("seed", "sputnik-pentagon-daesh-coordinates.txt")).to_dict()
    for key, expected in golden.items():
        if key in {"file", "notes", "must_not_appear_in_any_field"}:
            continue
        actual = record[key]
        if key == "comments":
            assert all(comment["published"] is None for comment in actual)
            actual = [{k: comment[k] for k in ("author", "reply_to", "text")} for comment in actual]
        assert actual == expected, key
    everything = json.dumps(record, ensure_ascii=False)
    for phrase in golden["must_not_appear_in_any_field"]:
        assert phrase not in everything


def test_corpus_copy_of_seed_reads_the_same_as_shared_seed():
    shared = only(shared_path("seed", SEED.name)).to_dict()
    local = only(SEED).to_dict()
    assert {k: v for k, v in local.items() if k not in {"id", "path"}} == {
        k: v for k, v in shared.items() if k not in {"id", "path"}
    }


def test_seed_reply_markers_are_split_from_run_together_lines():
    comments = only(SEED).comments
    assert [(c.author, c.reply_to) for c in comments if c.reply_to] == [
        ("Mikhas", "slimyfox"),
        ("elsa.zardini", "Mikhas"),
        ("FightForTruth", "questfortruth"),
    ]


def test_byline_updated_dateline_tags_and_dated_comments():
    article = only(CORPUS / "harbour-strike-rotterdam.txt")
    assert article.title == "Dock workers in Rotterdam extend strike as talks with port operators stall"
    assert article.authors == ["Jane Doe", "Pieter van Dijk"]
    assert article.published == "2024-03-05T14:02:00+00:00"
    assert article.section == "Transport"
    assert article.tags == ["Netherlands", "Rotterdam", "Strikes", "Shipping", "Trade unions"]
    assert article.image_captions == ["Container cranes stand idle at the Maasvlakte terminal on Tuesday"]
    # Hard-wrapped paragraphs are joined again; chrome and the newsletter prompt are gone.
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Dock workers at Europe's largest port voted on Tuesday to extend their strike for")
    assert "Advertisement" not in article.body and "newsletter" not in article.body
    assert [(c.author, c.published) for c in article.comments] == [
        ("harbourwatcher", "2024-03-05T15:10:00"),
        ("Karin B", "2024-03-05T16:45:00"),
        ("tom_dekker", "2024-03-06T08:03:00"),
    ]
    assert all(c.reply_to is None for c in article.comments)
    assert article.comments[0].text == (
        "Automation was always going to come to the port. The question is who shares in the gains."
    )


def test_wire_story_without_comments_and_with_labelled_related_coverage():
    article = only(CORPUS / "wire-wheat-prices.txt")
    assert article.title == "Wheat prices jump as drought cuts Argentine harvest forecast"
    assert article.authors == ["Ana Lima", "Reuters"]
    assert article.published == "2024-03-12T09:41:00-04:00"
    assert article.comments == []
    assert len(article.related_headlines) == 3
    assert article.body.startswith("BUENOS AIRES (Reuters) - Chicago wheat futures")
    assert "Editing by" not in article.body


def test_iso_dateline_author_label_photo_caption_and_topics():
    article = only(CORPUS / "council-housing-vote.txt")
    assert article.title == "Council approves 1,200 new homes on former airfield site"
    assert article.published == "2024-02-10T08:30:00+00:00"
    assert article.authors == ["Sam Okafor"]
    assert article.image_captions == [
        "An aerial view of the former Longmoor airfield, where the new homes will be built."
    ]
    assert article.tags == ["housing", "planning", "Longmoor Council"]
    assert [c.author for c in article.comments] == ["Ashby resident", "Priya fan"]
    assert article.body.endswith("Building work is expected to start in the autumn.")


def test_sentence_case_headline_before_a_caption_is_still_the_title():
    capture = (
        "Ceasefire holds in northern Syria as talks resume\n"
        "By Jane Doe\n"
        "5 March 2024\n\n"
        "Syrian soldiers patrol the outskirts of al-Bab\n\n"
        "The ceasefire agreed last week held through the weekend, monitors said on Monday, as delegations "
        "prepared for a new round of talks.\n"
    ).encode()
    [article] = list(text.read(capture, "capture.txt"))
    assert article.title == "Ceasefire holds in northern Syria as talks resume"
    assert article.published == "2024-03-05"
    assert article.body.startswith("The ceasefire agreed last week")


def test_chrome_written_with_cyrillic_lookalikes_is_still_chrome():
    capture = (
        "Headline Of A Test Article\n\nA first paragraph that is long enough to count as prose in a page "
        "capture of a news article.\n\n• Сomment\n\n• avatar\n  Some reader text here.\n"
    ).encode()
    [article] = list(text.read(capture, "capture.txt"))
    assert "Сomment" not in json.dumps(article.to_dict(), ensure_ascii=False)
    assert [c.text for c in article.comments] == ["Some reader text here."]


@pytest.mark.parametrize("lines", [
    ["acq", "alum", "barley", "castor-oil", "cocoa", "coffee", "copper", "corn", "cotton", "crude"] * 3,
    ["afghanistan albania algeria american-samoa andorra angola anguilla antigua argentina aruba"] * 5,
])
def test_a_word_list_is_no_article(lines):
    with pytest.raises(ReadError, match="no article text"):
        list(text.read("\n".join(lines).encode(), "all-topics-strings.lc.txt"))


def test_a_long_data_file_with_a_paragraph_about_it_is_no_article():
    """Like the Reuters folder's world-factbook facts and category notes: a paragraph saying what
    the file is, then hundreds of lines of records."""
    about = ("This is a set of assertions about countries, extracted from a public almanac and made "
             "available for research by its compilers. Each line below is one fact.")
    facts = [f'pred("Country{i}","capital","City{i}").' for i in range(300)]
    with pytest.raises(ReadError, match="a list or a data file"):
        list(text.read("\n".join(["Country facts", "", about, "", *facts]).encode(), "facts.txt"))
    short = [about, "", *facts[:150]]  # a shorter one stays an article: its paragraph is its text
    [article] = list(text.read("\n".join(short).encode(), "facts.txt"))
    assert about in article.body


def test_the_reuters_folder_gives_articles_only_from_its_stories():
    """Its text files are lists and data files (its README is passed over by name when indexing)."""
    from searchkit.readers import NOT_ARTICLES

    texts = [path for path in sorted(shared_path("data", "reuters21578").glob("*.txt")) if not NOT_ARTICLES.fullmatch(path.name)]
    assert {"feldman-cia-worldfactbook-data.txt", "cat-descriptions_120396.txt"} <= {path.name for path in texts}
    for path in texts:
        with pytest.raises(ReadError):
            list(read_file(path))


@pytest.mark.parametrize("data", [b"just one line", b"\n\n\n", "Überschrift\n\nText ohne Punkt".encode("cp1252")])
def test_odd_captures_still_give_a_record(data):
    [article] = list(text.read(data, "odd.txt"))
    assert isinstance(article.title, str)


# Whole pages as renderers draw them: the site's navigation, share bars, prompts and footer
# around the article. Written for these tests (shapes as w3m, lynx and Chromium give them).

W3M_PAGE = """Skip to contentSkip to site index
Search & Section Navigation

  • World
  • U.S.
  • Politics
  • N.Y.
  • Business
  • Opinion

[                    ]Search
Subscribe for $1 a week Log in

Advertisement

Opinion

Biden's Reelection Campaign Faces a Quiet Problem in the Suburbs

Dec. 22, 2023

By Patrick Healy

  • Share full article
  • 412

Voters in the suburbs around Philadelphia told me this month that they liked the president personally but worried about the cost of groceries, rent and insurance, and many said they had not heard what a second term would change.

The campaign says it has time to make its case. Its strategists point to the midterm results, when suburban voters turned out in large numbers, and to the money it has raised since the summer.

But the people I met were not waiting for television advertisements. They wanted to hear, from someone they trusted, that their bills would stop climbing before the next winter.

Advertisement

Related
  • The President's Economic Message Is Not Landing
  • What Suburban Voters Want in 2024
  • Five Takeaways From the Latest Poll

Site Index

  • News
  • Arts
  • Lifestyle

© 2023 The New York Times Company
  • Privacy Policy
  • Terms of Service
  • Cookie Settings
"""


def test_w3m_page_headline_dateline_and_byline_found_among_the_sites_furniture():
    [article] = list(text.read(W3M_PAGE.encode(), "page.txt"))
    assert article.title == "Biden's Reelection Campaign Faces a Quiet Problem in the Suburbs"
    assert article.published == "2023-12-22"
    assert article.authors == ["Patrick Healy"]
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("Voters in the suburbs around Philadelphia")
    assert paragraphs[-1].endswith("before the next winter.")
    for furniture in ("Skip to content", "Share full article", "Advertisement", "Privacy Policy", "Politics"):
        assert furniture not in article.body


LYNX_PAGE = """   You need to enable JavaScript to run this app.

   IFRAME: https://www.googletagmanager.com/ns.html?id=GTM-XXXX

    1. Zum Inhalt springen
    2. Zur Hauptnavigation springen

Regionen

     * Deutschland
     * Europa
     * Afrika
     * Asien

   (BUTTON) Suche
   Live-TV
   Neueste Videos
   Im Fokus

Hochwasser an der Oder: Städte bereiten sich auf den Scheitel vor

   Anna Becker
   30.01.2024 30. Januar 2024

   In Frankfurt an der Oder haben Helfer am Dienstag weitere Sandsäcke an der Uferpromenade gestapelt, weil der Pegel bis zum Wochenende auf mehr als sechs Meter steigen soll.
   Anzeige

   Die Stadtverwaltung hat Anwohner in den tief gelegenen Straßen gebeten, Keller zu räumen und Fahrzeuge auf höher gelegene Parkplätze zu bringen.

Wie hoch steigt das Wasser?

   Nach Angaben des Landesamts für Umwelt liegt der Pegel derzeit bei fünf Metern und vierzig Zentimetern, Tendenz steigend, und der Scheitel wird am Samstag erwartet.

Ähnliche Themen

   Hochwasser Brandenburg Polen

Service

     * Newsletter
     * Kontakt
     * Impressum
"""


def test_lynx_page_headline_at_the_margin_a_name_line_as_byline_and_a_doubled_dateline():
    [article] = list(text.read(LYNX_PAGE.encode(), "page.txt"))
    assert article.title == "Hochwasser an der Oder: Städte bereiten sich auf den Scheitel vor"
    assert article.published == "2024-01-30"
    assert article.authors == ["Anna Becker"]
    assert article.body.startswith("In Frankfurt an der Oder haben Helfer")
    assert "Wie hoch steigt das Wasser?" in article.body  # a subheading inside the article stays
    assert article.body.endswith("der Scheitel wird am Samstag erwartet.")
    for furniture in ("JavaScript", "Anzeige", "Newsletter", "Europa", "IFRAME", "Suche"):
        assert furniture not in article.body


CHROMIUM_PAGE = """Menu
Home
News
Sport
Weather
Sign in
Accept all cookies
We use cookies to give you the best experience and to show you personalised advertising. You can change your cookie settings at any time from the link at the bottom of every page.
Harbour cranes fall silent as port strike enters its second week
Updated 6 March 2024 09:15 GMT
Published 5 March 2024 14:02 GMT
Share
Save
Dock workers at Europe's largest port voted on Tuesday to extend their strike for a second week, after talks with the two main terminal operators broke down over pay.
The union said most members who took part in the vote backed the extension, and shipping lines have already diverted dozens of vessels to Antwerp and Hamburg.
"Nobody wants this to go on, but the operators have not moved an inch," said a union negotiator on Wednesday morning.
More on this story
Port operators make a final offer
Why automation divides Europe's dockers
Top stories
Weather
Contact us
Terms of Use
"""


def test_chromium_copy_menus_without_bullets_consent_prose_and_the_publication_date_before_the_update():
    [article] = list(text.read(CHROMIUM_PAGE.encode(), "page.txt"))
    assert article.title == "Harbour cranes fall silent as port strike enters its second week"
    assert article.published == "2024-03-05T14:02:00+00:00"
    assert article.body.startswith("Dock workers at Europe's largest port")
    assert article.body.endswith("said a union negotiator on Wednesday morning.")
    assert "cookie" not in article.body
    assert article.related_headlines == ["Port operators make a final offer", "Why automation divides Europe's dockers"]


GERMAN_PAGE = """Menü
Startseite
Politik
Wirtschaft
Sport
Wetter
Anmelden
Alle Cookies akzeptieren
Hafenkräne stehen still: Der Streik geht in die zweite Woche
Veröffentlicht am 06.01.26 um 14:02 Uhr
Teilen
Die Hafenarbeiter in Rotterdam haben am Dienstag beschlossen, ihren Streik um eine weitere Woche zu verlängern, nachdem die Gespräche gescheitert waren.
Die Gewerkschaft sagte, die meisten Mitglieder hätten für die Verlängerung gestimmt, und Reedereien hätten Schiffe nach Antwerpen umgeleitet.
Mehr zum Thema
Weitere Nachrichten
Impressum
Datenschutz
Kontakt
"""


@pytest.mark.parametrize(
    ("page", "dateline", "published"),
    [
        # A language other than English writes day first; two-digit years are read once the order is known.
        (GERMAN_PAGE, "Veröffentlicht am 06.01.26 um 14:02 Uhr", "2026-01-06T14:02:00"),
        (GERMAN_PAGE, "Zuerst veröffentlicht am 06/01/2026 - 14:02 MEZ", "2026-01-06T14:02:00+01:00"),
        # English with no date that can be read one way only: month first, as American pages write.
        (CHROMIUM_PAGE, "Published 06/01/2026 14:02", "2026-06-01T14:02:00"),
        # ... unless the page's other dates say day first.
        (CHROMIUM_PAGE.replace("Top stories", "Top stories 21/12/2025"), "Published 06/01/2026 14:02", "2026-01-06T14:02:00"),
    ],
)
def test_numeric_datelines_are_read_in_the_pages_order(page, dateline, published):
    for old in ("Veröffentlicht am 06.01.26 um 14:02 Uhr", "Updated 6 March 2024 09:15 GMT\nPublished 5 March 2024 14:02 GMT"):
        page = page.replace(old, dateline)
    [article] = list(text.read(page.encode(), "page.txt"))
    assert article.published == published


MENU = "\n".join(f"  • {item}" for item in ("Home", "World", "Business", "Sport", "Culture", "Travel", "Video",
                                             "Podcasts", "Newsletters", "Subscribe", "Sign in", "Search"))


def test_the_date_of_the_dateline_not_of_a_photo_caption_and_a_later_update_in_the_same_line():
    page = MENU + """

Harbour cranes fall silent as port strike enters its second week

Cranes stand idle at the Maasvlakte terminal, Thursday, Feb. 29, 2024. (AP Photo/Peter Dejong)

By Jane Doe
Published 5 March 2024 14:02 GMT • Updated 6 March 2024

Dock workers at Europe's largest port voted on Tuesday to extend their strike for a second week, after talks broke down.

The union said most members who took part in the vote backed the extension, and shipping lines have diverted vessels.
"""
    [article] = list(text.read((page + MENU).encode(), "page.txt"))
    assert article.title == "Harbour cranes fall silent as port strike enters its second week"
    assert article.published == "2024-03-05T14:02:00+00:00"


def test_the_date_below_the_headline_before_the_sites_date_above_it_and_a_caption_sentence():
    page = MENU + """

Wednesday, 03 December 2025

Ikhansela lisola uthishanhloko ngezimbuzi zalo ezidle irayisi lesikole

Amakhansela namalungu omphakathi bebuthene ngaseThekwini ngoLwesithathu, 28 November 2025, ukubhikisha ngezinsizakalo ezingekho endaweni yabo.

by Mthobisi Sithole | 5 November 2024

Ikhansela lakwaNdwedwe lisola uthishanhloko wesikole ngokuthi wabulala izimbuzi zalo ezadla irayisi lesikole.

Uthishanhloko uthe akazange azibulale izimbuzi kodwa wabiza amaphoyisa ngoba zazingena esikoleni nsuku zonke.
"""
    [article] = list(text.read((page + MENU).encode(), "page.txt"))
    assert article.title == "Ikhansela lisola uthishanhloko ngezimbuzi zalo ezidle irayisi lesikole"
    assert article.published == "2024-11-05"
    assert article.authors == ["Mthobisi Sithole"]


def test_a_headline_opening_with_von_is_no_byline_and_a_short_dateline_ending_a_sentence_is_read():
    page = MENU + """

Von München bis Aachen: Im Netz der China-Agenten

China hat ein Spionagenetzwerk über deutsche Hochschulen ausgerollt, um militärisches Wissen abzuziehen. Lange sahen die Behörden zu.

von Till Eckert, Max Bernhard
Aktualisiert am 21.05.2026 - 16:46 UhrLesedauer: 4 Min.

Die Bundesanwaltschaft hat zwei Deutsche mit chinesischen Wurzeln wegen mutmaßlicher Spionage festnehmen lassen, wie sie am Mittwoch mitteilte.

Beide sollen über Jahre Informationen über militärisch nutzbare Forschung an deutschen Hochschulen gesammelt haben.
"""
    [article] = list(text.read((page + MENU).encode(), "page.txt"))
    assert article.title == "Von München bis Aachen: Im Netz der China-Agenten"
    assert article.authors == ["Till Eckert", "Max Bernhard"]
    assert article.published == "2026-05-21T16:46:00"


def test_a_headline_above_a_long_subscription_box_is_still_found():
    offer = "\n".join(f"  • Offer {n}: unlimited access and the ePaper" for n in range(1, 50))
    page = MENU + f"""

IRCC gave up office space in January, now it cannot accommodate its return to office

By Ben Andrews
Published May 25, 2026

SUBSCRIBE TO UNLOCK MORE ARTICLES
{offer}

According to a slideshow obtained by the newspaper, the department gave up twelve floors of office space in January.

Now the immigration department cannot bring its staff back to the office four days a week, as it had planned to do.
"""
    [article] = list(text.read((page + MENU).encode(), "page.txt"))
    assert article.title == "IRCC gave up office space in January, now it cannot accommodate its return to office"
    assert article.authors == ["Ben Andrews"]
    assert article.published == "2026-05-25"


def test_a_japanese_headline_shares_its_characters_with_the_text_as_a_share_button_does_not():
    page = MENU + """

「金に執着」と指弾された東京女子医大元理事長、大学に不正に1.2億円支払わせ私的流用か　警視庁逮捕

2025年1月13日 20時01分

印刷する
メールで送る
 はてなブックマーク
　東京女子医大の新校舎建設工事を巡って、業務報酬名目で不正に約1億2000万円を支払わせて大学に損害を与えたとして、警視庁捜査2課は13日、元理事長を背任の疑いで逮捕した。
　逮捕容疑では、2018年7月～2020年2月、同大の新校舎の建設工事を巡り、元職員の女性と共謀し、業務報酬名目で約1億2000万円を不正に支払わせた疑い。
　元理事長は2014年に副理事長、2019年に理事長に就任した。捜査関係者によると、大学から振り込まれた金は私的に流用されていたとみられる。
"""
    [article] = list(text.read((page + MENU + "\n はてなブックマーク\n").encode(), "page.txt"))
    assert article.title == "「金に執着」と指弾された東京女子医大元理事長、大学に不正に1.2億円支払わせ私的流用か 警視庁逮捕"
    assert article.published == "2025-01-13"


@pytest.mark.parametrize(
    ("line", "plain", "names"),
    [
        ("By Dana A. Ford , James S.A. Corey, Chien-Ming Wang, and Tom Watkins, CNN", False,
         ["Dana A. Ford", "James S.A. Corey", "Chien-Ming Wang", "Tom Watkins", "CNN"]),
        ("Von Felix Schröder und Jörg Soldwisch, dpa", False, ["Felix Schröder", "Jörg Soldwisch", "dpa"]),
        ("• Von: Bill MCCARTHY, Marisha GOLDHAMER", False, ["Bill MCCARTHY", "Marisha GOLDHAMER"]),
        ("Autorin/Autor Roman Goncharenko", False, ["Roman Goncharenko"]),
        ("Kolumne von Carla Siepmann - 28.04.2024 um 08:52 Uhr - 12 Ergänzungen", False, ["Carla Siepmann"]),
        # names beside a date, the date's words and a reading time around them
        ("Von Juliane Rohr 28.04.2023, 18:11 Uhr", False, ["Juliane Rohr"]),
        ("Yasmine Hassan · CBC News · Posted: Aug 08, 2024 4:00 AM EDT | Last Updated: August 8", False,
         ["Yasmine Hassan", "CBC News"]),
        ("27. Januar 2026 • Gregor Meier • 3 Minuten", False, ["Gregor Meier"]),
        ("Do 25.04.24 | 14:07 Uhr | Von Eva Kirchner-Rätsch", False, ["Eva Kirchner-Rätsch"]),
        # roles, and pieces a browser ran together
        ("Thabo Mokone Parliamentary editor", False, ["Thabo Mokone"]),
        ("Emma MackenzieLifestyle Writer", False, ["Emma Mackenzie"]),
        ("Paulina Cwiartka, Online-Redakteurin", False, ["Paulina Cwiartka"]),
        ("배윤경 기자", False, ["배윤경"]),
        # a line of names alone is a byline only where one is expected (below the headline)
        ("Sarah LazareTwitter", True, ["Sarah Lazare"]),
        ("Ryan DevereauxRyan Devereaux", True, ["Ryan Devereaux"]),
        ("Trine Juncher Jørgensen og Tôrtia Reimer-Johansen", True, ["Trine Juncher Jørgensen", "Tôrtia Reimer-Johansen"]),
        ("Julia Vergin | Clare Roth", False, []),
        # no bylines
        ("Photo by Jane Doe", False, []),
        ("Copyright AP Photo", True, []),
        ("Lesezeit: 4 Min.", True, []),
        ("Hamburg Marathon 2024: Überlegener Sieger", True, []),
        ("Text Rekordsumme für Trikot von Weltmeister", False, []),
        ("Share on Facebook", True, []),
    ],
)
def test_bylines_as_rendered_pages_show_them(line, plain, names):
    assert capture_lines.byline(line, True, plain) == names


def test_a_kicker_above_the_headline_is_no_byline_the_name_below_it_is():
    page = MENU + """

Aus: Ausgabe vom 26.04.2024, Seite 1 / Inland

Nationaler Veteranentag

Orden fürs Morden: Der Bundestag ehrt die Soldaten

Karim Natour
26.04.2024

Der Bundestag hat am Donnerstag einen nationalen Veteranentag beschlossen, der künftig jedes Jahr im Juni begangen werden soll.

Kritiker sehen darin einen weiteren Schritt zur Militarisierung der Gesellschaft und verweisen auf die Kosten der Aufrüstung.
"""
    [article] = list(text.read((page + MENU).encode(), "page.txt"))
    assert article.title == "Orden fürs Morden: Der Bundestag ehrt die Soldaten"
    assert article.authors == ["Karim Natour"]
    assert article.published == "2024-04-26"


def test_teasers_cut_short_after_the_text_are_not_its_paragraphs_and_lynx_insertion_marks_go():
    teaser = ("Port operators in Antwerp say they expect more ships next week as the strike in Rotterdam goes on and "
              "shipping lines look for other ports to unload their containers before the")
    page = MENU + f"""

   Harbour cranes fall silent as port strike enters its second week

   By Jane Doe

   Dock workers at Europe's largest port [INS: voted :INS] on Tuesday to extend their strike for a second week.

   The union said most members who took part in the vote backed the extension, and shipping lines diverted vessels.[DEL: Old text. :DEL]

     * Antwerp braces for diverted ships
     * Hamburg's dockers watch the strike
     * Felixstowe sees no change yet

   {teaser}

     * Rotterdam's mayor calls for talks
     * Shipping rates climb again

   {teaser}
"""
    [article] = list(text.read((page + MENU).encode(), "page.txt"))
    assert article.body.split("\n\n") == [
        "Dock workers at Europe's largest port voted on Tuesday to extend their strike for a second week.",
        "The union said most members who took part in the vote backed the extension, and shipping lines diverted vessels.",
    ]


def test_headline_words_keep_their_vowel_signs_and_cjk_text_is_compared_by_pairs_of_characters():
    # A headline is told by the words it shares with the text: Hindi's vowel signs are no word
    # breaks, and Chinese or Japanese text, written without spaces, shares pairs of characters.
    assert "पुलिस" in capture_lines._content_words("समस्तीपुर पुलिस ने 2 बदमाशों को पकड़ा")
    assert {"警視", "視庁"} <= capture_lines._content_words("警視庁捜査2課は13日、元理事長を逮捕した")
    assert capture_lines._content_words("東京女子医大元理事長") & capture_lines._content_words("東京女子医大の新校舎")


def test_a_plain_article_is_its_first_line_as_title_and_the_rest_as_body():
    capture = (
        "GRAIN TRADERS EXPECT SMALLER SOVIET WHEAT PURCHASES\n\n"
        "Grain traders said they expect the Soviet Union to buy less wheat from the United States this "
        "season, after good weather improved the outlook for its own harvest.\n\n"
        "Most traders put purchases at between four and five mln tonnes.\n"
    ).encode()
    [article] = list(text.read(capture, "wire.txt"))
    assert article.title == "GRAIN TRADERS EXPECT SMALLER SOVIET WHEAT PURCHASES"
    assert article.body.split("\n\n") == [
        "Grain traders said they expect the Soviet Union to buy less wheat from the United States this "
        "season, after good weather improved the outlook for its own harvest.",
        "Most traders put purchases at between four and five mln tonnes.",
    ]


def test_rendered_pages_of_the_dev_captures_give_the_gold_headline_and_date_on_most_pages():
    # Real pages (../shared) of three publishers whose captures share no layout: checked per renderer.
    folder = shared_path("data", "extraction-dev", "text-captures")
    rows = [json.loads(line) for line in (folder / "gold.jsonl").read_text().splitlines()]
    chosen = [row for row in rows if row["capture"].split("-", 2)[2] in {
        "us-APNews_2023_04_28.txt", "de-DW_2024_01_30.txt", "us-Reuters_2023_05_16.txt"}]
    assert len(chosen) == 9
    for row in chosen:
        [article] = list(read_file(folder / row["capture"]))
        assert words(article.title) == words(row["title"]), row["capture"]
        assert article.published[:10] == row["published"][:10], row["capture"]
        first, *_, last = row["body"].split("\n\n")
        assert first in article.body and last in article.body, row["capture"]


_PIECES = [
    "  • Home", "   * World", " 12. Sports", "[                    ]Search", "(BUTTON) Menu", "IFRAME: https://x.example/",
    "Skip to content", "Accept all cookies", "Advertisement", "© 2024 Example Media", "Share", "Dec. 22, 2023",
    "Updated 6 March 2024 09:15 GMT", "By Jane Doe", "Related", "Comments (3)", "harbourwatcher · 5 March 2024 15:10",
    "Harbour cranes fall silent as port strike enters its second week", "",
    "Dock workers at Europe's largest port voted on Tuesday to extend their strike for a second week.",
    "The union said most members backed the extension, and shipping lines have already diverted dozens of vessels.",
]


@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=80)), max_size=120))
@settings(max_examples=200, deadline=None)
def test_any_mix_of_furniture_prose_and_noise_gives_one_record_or_says_why(pieces):
    try:
        [article] = list(text.read("\n".join(pieces).encode("utf-8", "surrogatepass"), "page.txt"))
    except ReadError as error:
        assert str(error).startswith("no article text")
        return
    body = article.body.split("\n\n")
    assert not {"Skip to content", "  • Home", "IFRAME: https://x.example/", "Accept all cookies"} & set(body)


def test_a_thai_capture_reads_though_its_prose_has_no_spaces_between_words_or_full_stops():
    """Thai (like Lao, Khmer, Myanmar) puts spaces between phrases, not words, and ends no
    sentence with a stop: its prose is told by its length in letters."""
    paragraphs = [
        "ฝนตกหนักต่อเนื่องทำให้เกิดน้ำท่วมในจังหวัดเชียงใหม่ ประชาชนหลายพันคนต้องอพยพออกจากบ้านเรือน"
        "ไปยังศูนย์พักพิงชั่วคราว เจ้าหน้าที่กำลังเร่งช่วยเหลือผู้ประสบภัยน้ำท่วมอย่างต่อเนื่อง",
        "รัฐบาลไทยประกาศมาตรการช่วยเหลือผู้ประสบภัยน้ำท่วมในภาคเหนือ รวมถึงจังหวัดเชียงใหม่และเชียงราย"
        "โดยจะจ่ายเงินชดเชยให้แก่ครัวเรือนที่ได้รับความเสียหายภายในสัปดาห์หน้า",
        "กรมอุตุนิยมวิทยาคาดว่าฝนจะตกหนักต่อไปอีกสามวัน และขอให้ประชาชนที่อาศัยอยู่ริมแม่น้ำปิง"
        "เตรียมพร้อมรับมือกับระดับน้ำที่อาจสูงขึ้นอีกในช่วงกลางคืน",
    ]
    menu = ["หน้าแรก", "ข่าว", "การเมือง", "เศรษฐกิจ", "กีฬา", "บันเทิง", "ต่างประเทศ", "ภูมิภาค", "สังคม", "ติดต่อเรา",
            "สมัครสมาชิก", "เข้าสู่ระบบ"]
    capture = "\n".join([*menu, "", "น้ำท่วมหนักในเชียงใหม่", "", *("\n".join([p, ""]) for p in paragraphs), *menu])
    [article] = text.read(capture.encode(), "thai.txt")
    assert article.title == "น้ำท่วมหนักในเชียงใหม่"
    assert all(paragraph in article.body for paragraph in paragraphs) and "สมัครสมาชิก" not in article.body


_GDANSK = ("Strajk w porcie w Gdańsku trwa drugi tydzień",
           "Dokerzy w Gdańsku zagłosowali we wtorek za przedłużeniem strajku o kolejny tydzień.",
           "Związek zawodowy podał, że większość członków poparła przedłużenie, a armatorzy kierują statki gdzie indziej.")
BYLINED = [
    ("Havenstaking in Rotterdam gaat tweede week in", "door Jan de Vries", "5 maart 2024", "Jan de Vries",
     "Havenarbeiders in de grootste haven van Europa hebben dinsdag besloten hun staking een week te verlengen.",
     "De vakbond zei dat de meeste leden voor verlenging stemden, en rederijen leiden hun schepen om."),
    ("Hamnstrejken i Göteborg går in på andra veckan", "Av Anna Svensson", "5 mars 2024", "Anna Svensson",
     "Hamnarbetarna i Göteborg röstade på tisdagen för att förlänga strejken med ytterligare en vecka.",
     "Facket säger att de flesta medlemmar stödde förlängningen och att rederierna redan leder om sina fartyg."),
    (_GDANSK[0], "przez Jana Kowalskiego", "5 marca 2024", "Jana Kowalskiego", *_GDANSK[1:]),
    (_GDANSK[0], "Tekst: Jan Kowalski", "5 marca 2024", "Jan Kowalski", *_GDANSK[1:]),
]


@pytest.mark.parametrize(("headline", "byline", "dateline", "author", "first", "second"), BYLINED,
                         ids=["nl", "sv", "pl", "pl-label"])
@pytest.mark.parametrize("rendered", [False, True], ids=["plain", "rendered"])
def test_dutch_swedish_and_polish_bylines_give_the_author_in_plain_articles_and_rendered_pages(
    headline, byline, dateline, author, first, second, rendered
):
    page = f"{headline}\n\n{byline}\n{dateline}\n\n{first}\n\n{second}\n"
    [article] = list(text.read((f"{MENU}\n\n{page}\n{MENU}" if rendered else page).encode(), "page.txt"))
    assert article.title == headline
    assert article.authors == [author]
    assert article.published == "2024-03-05"
    assert article.body.split("\n\n") == [first, second]


@pytest.mark.parametrize("rendered", [False, True], ids=["plain", "rendered"])
def test_a_sentence_opening_with_by_is_no_byline(rendered):
    page = """Port of Rotterdam plans a second container terminal

By the end of the year, the port expects to handle 15 million containers, twice as many as in 2020.

The harbour master said the new terminal would open in stages, starting with two berths next spring.
"""
    [article] = list(text.read((f"{MENU}\n\n{page}\n{MENU}" if rendered else page).encode(), "page.txt"))
    assert article.title == "Port of Rotterdam plans a second container terminal"
    assert article.authors == []
    assert article.body.startswith("By the end of the year, the port expects")


@pytest.mark.parametrize("headline", ["Door de hitte sterven meer ouderen in Nederland", "Por qué el dólar sube otra vez"])
def test_a_headline_opening_with_a_byline_word_stays_the_title(headline):
    """A capitalised byline word before a small letter opens a sentence, not a name."""
    page = f"""{headline}

Het KNMI meldt de warmste week sinds het begin van de metingen, en de GGD waarschuwt ouderen en zieken.

Ziekenhuizen in het zuiden van het land zien meer opnames dan in andere zomers, zegt een woordvoerder.
"""
    [article] = list(text.read(page.encode(), "page.txt"))
    assert article.title == headline
    assert article.authors == []
