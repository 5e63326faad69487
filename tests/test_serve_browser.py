"""`searchkit serve` in a real browser: headless Chromium types a query, clicks facets and timeline
bars, brushes a date range, goes back, opens an article and downloads the CSV, and every answer is
checked against the library's. Run in CI (never skipped there); skipped, with the reason, on a
machine without Chromium unless SEARCHKIT_REQUIRE_BROWSER is set."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from serve_support import COPIES, HOSTILE, HOSTILE_ID, build_archive, chromium, running_server

import searchkit
from searchkit.web.text import clean


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("serve-browser"))


@pytest.fixture(scope="module")
def archive(index):
    with searchkit.Archive(index) as archive:
        yield archive


@pytest.fixture(scope="module")
def server(index):
    with running_server(index) as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


class Visit:
    """A browser tab on the server that records every request it makes and every dialog it opens."""

    def __init__(self, browser, server: str) -> None:
        self.server = server
        self.context = browser.new_context(base_url=server, accept_downloads=True, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def state(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.page.url).query)

    def total(self) -> int:
        return int(self.page.inner_text("p.total strong").replace(",", ""))

    def titles(self) -> list[str]:
        return self.page.locator("li.hit h2 a").all_inner_texts()

    def assert_quiet(self) -> None:
        """Nothing asked any other host, no dialog opened, no script failed."""
        assert all(url.startswith((f"{self.server}/", "data:")) for url in self.requests), self.requests
        assert self.dialogs == [] and self.errors == []


@pytest.fixture
def visit(browser, server):
    visit = Visit(browser, server)
    yield visit
    visit.context.close()


def test_type_a_query_and_see_the_hits(visit, archive):
    page = visit.page
    page.goto("/")
    assert visit.total() == len(archive)
    page.fill('input[name="q"]', "harbour strike")
    with page.expect_navigation():
        page.press('input[name="q"]', "Enter")
    expected = archive.search("harbour strike", limit=20)
    assert ("q", "harbour strike") in visit.state()
    assert visit.total() == expected.total and visit.titles() == [hit.title for hit in expected.hits]
    assert page.locator("li.hit .snippet mark").count() > 0
    visit.assert_quiet()


def test_click_a_facet_to_filter_click_again_to_remove_and_go_back(visit, archive):
    page = visit.page
    page.goto("/?q=strike")
    featured = page.locator('section[data-facet="tag"] a', has_text="Featured")
    with page.expect_navigation():
        featured.click()
    assert visit.state() == [("q", "strike"), ("tag", "Featured")]
    assert visit.total() == archive.search("strike", filters={"tag": ["Featured"]}).total
    assert page.locator('section[data-facet="tag"] a.on').inner_text().startswith("Featured")
    with page.expect_navigation():
        page.click('section[data-facet="tag"] a.on')
    assert visit.state() == [("q", "strike")] and visit.total() == archive.search("strike").total
    page.go_back()
    assert visit.state() == [("q", "strike"), ("tag", "Featured")]
    assert visit.total() == archive.search("strike", filters={"tag": ["Featured"]}).total
    visit.assert_quiet()


def test_click_a_timeline_bar_to_keep_its_dates(visit, archive):
    page = visit.page
    page.goto("/?q=strike+OR+harvest&until=2018")
    assert page.get_attribute("svg#timeline", "data-unit") == "month"
    months = archive.search("strike OR harvest", until="2018", facets=["month"]).facets["month"]
    busiest = max(months, key=lambda item: item["count"])["value"]
    with page.expect_navigation():
        page.click(f'svg#timeline a.bucket[data-period="{busiest}"]')
    assert visit.state() == [("q", "strike OR harvest"), ("since", busiest), ("until", busiest)]
    assert visit.total() == archive.search("strike OR harvest", since=busiest, until=busiest).total
    assert page.get_attribute("svg#timeline", "data-unit") == "day"
    assert page.input_value('input[name="since"]') == busiest
    visit.assert_quiet()


def test_brush_across_timeline_bars_to_keep_a_range(visit, archive):
    page = visit.page
    page.goto("/?q=strike+OR+harvest&until=2018")
    bars = page.locator("svg#timeline a.bucket")
    first, last = bars.nth(3), bars.nth(8)
    since, until = first.get_attribute("data-period"), last.get_attribute("data-period")
    start, end = first.bounding_box(), last.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=5)
    assert page.locator("svg#timeline a.bucket.brushed").count() == 6
    with page.expect_navigation():
        page.mouse.up()
    assert dict(visit.state()) == {"q": "strike OR harvest", "since": since, "until": until}
    assert visit.total() == archive.search("strike OR harvest", since=since, until=until).total
    visit.assert_quiet()


def test_open_an_article_with_its_comment_thread(visit, archive):
    page = visit.page
    page.goto("/?q=comments%3A%22proxy+army%22")
    with page.expect_navigation():
        page.click("li.hit h2 a")
    article = archive.get(archive.search('comments:"proxy army"').hits[0].id)
    assert page.inner_text("article h1") == article.title
    assert page.locator("li.comment").count() == len(article.comments) == 7
    mikhas = page.locator("li.comment").filter(has=page.locator("xpath=./p[@class='who']/bdi[text()='Mikhas']"))
    assert mikhas.locator("li.comment p.who bdi").all_inner_texts() == ["elsa.zardini"]
    assert "in reply to slimyfox" in mikhas.locator("xpath=./p[@class='who']").inner_text()
    assert page.locator(".captions li").all_inner_texts() == article.image_captions
    page.go_back()
    assert visit.state() == [("q", 'comments:"proxy army"')]
    visit.assert_quiet()


def test_an_article_lists_similar_stories_that_open_in_turn(visit, archive):
    page = visit.page
    page.goto("/?q=ceasefire")
    with page.expect_navigation():
        page.click("li.hit h2 a")
    story = archive.search("ceasefire").hits[0]
    similar = archive.similar(story.id, limit=8).hits
    assert page.inner_text("article h1") == story.title
    assert page.locator("#similar li > a").all_inner_texts() == [hit.title for hit in similar] and similar
    with page.expect_navigation():
        page.click("#similar li > a >> nth=0")
    assert page.inner_text("article h1") == similar[0].title
    visit.assert_quiet()


def test_n_similar_opens_to_list_the_other_copies(visit, archive):
    page = visit.page
    page.goto("/?q=%22union+vote%22")
    assert visit.titles() and len(visit.titles()) == 1
    with page.expect_response(lambda response: "/api/similar/" in response.url):
        page.click("details.similar summary")
    items = page.locator("details.similar li a")
    items.first.wait_for()
    others = {copy["title"] for copy in COPIES} - set(visit.titles())
    assert set(items.all_inner_texts()) == others
    visit.assert_quiet()


def test_download_the_csv_and_find_the_librarys_hits(visit, archive, tmp_path):
    page = visit.page
    page.goto("/?q=strike+OR+harvest&sort=newest&lang=en")
    with page.expect_download() as download:
        page.click("p.exports a:text('CSV')")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "searchkit-strike-OR-harvest.csv"
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    hits = list(archive.stream("strike OR harvest", sort="newest", lang="en"))
    assert [(r["id"], r["title"], r["published"]) for r in rows] == [(h.id, h.title, h.published or "") for h in hits]
    # every hit, not one page (the wire copies, detected as English, are folded into one story)
    assert len(rows) + sum(hit.duplicates for hit in hits) == visit.total() > 20
    visit.assert_quiet()


def test_hostile_text_shows_as_text_and_never_runs(visit):
    page = visit.page
    for url in ("/?q=zebra", f"/article/{HOSTILE_ID}"):
        page.goto(url)
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.querySelectorAll('img, iframe, svg [onload]').length") == 0
    assert page.inner_text("article h1") == clean(HOSTILE["title"])
    assert page.inner_text("p.url span") == HOSTILE["url"] and page.locator("p.url a").count() == 0
    page.hover("p.authors a")  # the author's onmouseover is text
    assert page.evaluate("window.__pwned") is None
    # The policy itself: a script written into the page by its own data would not run.
    blocked = page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.__inline = 1';
        document.body.append(script);
        return window.__inline === undefined;
    }""")
    assert blocked
    visit.assert_quiet()
