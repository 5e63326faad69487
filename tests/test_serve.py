"""`searchkit serve` in process: the search and article pages, facets, timeline, exports and the JSON
API, each checked against the library's own answers; the URL as the page's whole state."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qsl, urlsplit

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from conftest import ROOT
from serve_support import COPIES, build_archive
from starlette.datastructures import QueryParams
from starlette.testclient import TestClient

import searchkit
from searchkit.model import Comment
from searchkit.web import create_app, exports
from searchkit.web.comments import MAX_DEPTH, threads
from searchkit.web.state import FILTERS, SearchState
from searchkit.web.timeline import build as build_timeline



@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A client of the app over the serve tests' archive, and the library over the same index."""
    index = build_archive(tmp_path_factory.mktemp("serve"))
    with TestClient(create_app(index), base_url="http://127.0.0.1") as client, searchkit.Archive(index) as archive:
        yield client, archive


@pytest.fixture(scope="module")
def seed(served) -> str:
    """The id of the sample corpus's Sputnik article (body, tags, captions, related headlines, seven comments)."""
    return served[1].search('comments:"proxy army"').hits[0].id


def page(client: TestClient, url: str, status: int = 200) -> HTMLParser:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return HTMLParser(response.text)


def texts(tree: HTMLParser, selector: str) -> list[str]:
    return [node.text(strip=True) for node in tree.css(selector)]


def total(tree: HTMLParser) -> int:
    return int(tree.css_first("p.total strong").text().replace(",", ""))


def params(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


# The search page


def test_search_page_shows_the_librarys_hits_total_and_facets(served):
    client, archive = served
    expected = archive.search("strike", limit=20, facets=["tag", "source", "year"])
    tree = page(client, "/?q=strike")
    assert texts(tree, "li.hit h2 a") == [hit.title for hit in expected.hits]
    assert total(tree) == expected.total
    for name in ("tag", "source", "year"):
        values = texts(tree, f'section[data-facet="{name}"] .value')
        counts = [int(c.replace(",", "")) for c in texts(tree, f'section[data-facet="{name}"] .count')]
        assert list(zip(values, counts, strict=True)) == [(item["value"], item["count"]) for item in expected.facets[name]]
    first = tree.css_first("li.hit")
    assert first.css_first("h2 a").attributes["href"] == f"/article/{expected.hits[0].id}"
    assert first.css_first(".snippet .field").text() == expected.hits[0].snippet.field
    marked = texts(first, ".snippet mark")
    snippet = expected.hits[0].snippet
    assert marked == [snippet.text[a:b] for a, b in snippet.highlights] and marked


def test_an_empty_query_lists_every_article_newest_first(served):
    client, archive = served
    tree = page(client, "/")
    assert total(tree) == len(archive)
    dates = [d for d in texts(tree, "li.hit time") if d != "undated"]
    assert dates == sorted(dates, reverse=True) and len(dates) == 20


def test_near_duplicates_fold_into_one_hit_that_says_how_many(served):
    client, archive = served
    tree = page(client, "/?q=%22union+vote%22")
    assert texts(tree, "details.similar summary") == ["2 similar"]
    expanded = page(client, "/?q=%22union+vote%22&expand=1")
    assert sorted(texts(expanded, "li.hit h2 a")) == sorted(copy["title"] for copy in COPIES)


def test_a_facet_value_filters_when_clicked_and_is_removed_by_a_second_click(served):
    client, archive = served
    tree = page(client, "/?q=strike")
    link = next(a for a in tree.css('section[data-facet="tag"] a') if a.css_first(".value").text() == "Featured")
    filtered = page(client, link.attributes["href"])
    assert params(link.attributes["href"]) == [("q", "strike"), ("tag", "Featured")]
    expected = archive.search("strike", filters={"tag": ["Featured"]})
    assert total(filtered) == expected.total
    on = filtered.css_first('section[data-facet="tag"] a.on')
    assert on.css_first(".value").text() == "Featured"
    assert params(on.attributes["href"]) == [("q", "strike")]
    assert [a.attributes["href"] for a in filtered.css("p.chips a.chip")] == ["/?q=strike"]


def test_a_year_value_and_the_date_inputs_narrow_the_dates(served):
    client, archive = served
    tree = page(client, "/?q=strike")
    link = next(a for a in tree.css('section[data-facet="year"] a') if a.css_first(".value").text() == "2017")
    assert params(link.attributes["href"]) == [("q", "strike"), ("since", "2017"), ("until", "2017")]
    narrowed = page(client, link.attributes["href"])
    expected = archive.search("strike", since="2017", until="2017")
    assert total(narrowed) == expected.total
    assert narrowed.css_first('input[name="since"]').attributes["value"] == "2017"
    assert narrowed.css_first('section[data-facet="year"] a.on') is not None


def test_the_timeline_draws_every_period_of_the_span_and_its_bars_narrow_the_dates(served):
    client, archive = served
    expected = archive.search("strike OR harvest", until="2018", facets=["year", "month", "day"])
    tree = page(client, "/?q=strike+OR+harvest&until=2018")
    svg = tree.css_first("svg#timeline")
    assert svg.attributes["data-unit"] == "month"  # 2016 to 2018
    bars = svg.css("a.bucket")
    periods = [bar.attributes["data-period"] for bar in bars]
    months = {item["value"]: item["count"] for item in expected.facets["month"]}
    assert periods[0] == min(months) and periods[-1] == max(months) and len(periods) == len(set(periods))
    assert len(periods) == (int(periods[-1][:4]) - int(periods[0][:4])) * 12 + int(periods[-1][5:]) - int(periods[0][5:]) + 1
    for bar in bars:
        count = months.get(bar.attributes["data-period"], 0)
        assert bar.css_first("title").text().endswith(f"{count} article" + ("" if count == 1 else "s"))
        assert float(bar.css_first("rect.bar").attributes["height"]) > 0 or count == 0
    bar = bars[0]
    assert params(bar.attributes["href"]) == [("q", "strike OR harvest"), ("since", periods[0]), ("until", periods[0])]
    narrowed = page(client, bar.attributes["href"])
    assert narrowed.css_first("svg#timeline").attributes["data-unit"] == "day"


def test_timeline_unit_follows_the_span_and_fills_empty_periods():
    def facets(days: list[str]) -> dict:
        def bucket(width):
            counted = {}
            for day in days:
                counted[day[:width]] = counted.get(day[:width], 0) + 1
            return [{"value": value, "count": n} for value, n in sorted(counted.items())]
        return {"day": bucket(10), "month": bucket(7), "year": bucket(4)}

    short = build_timeline(facets(["2020-01-30", "2020-02-02", "2020-02-02"]), 4)
    assert (short.unit, [b.period for b in short.bars][:3], short.undated) == ("day", ["2020-01-30", "2020-01-31", "2020-02-01"], 1)
    assert [b.count for b in short.bars] == [1, 0, 0, 2]
    middle = build_timeline(facets(["2019-11-05", "2021-02-01"]), 2)
    assert middle.unit == "month" and len(middle.bars) == 16 and middle.bars[1].count == 0
    long = build_timeline(facets(["1990-01-01", "2020-01-01"]), 2)
    assert long.unit == "year" and len(long.bars) == 31
    stray = build_timeline(facets(["0001-01-01", "2020-01-01", "2021-05-05"]), 3)
    assert [b.period for b in stray.bars] == ["0001", "2020", "2021"]
    assert build_timeline({"day": [], "month": [], "year": []}, 5) is None


def test_did_you_mean_is_a_link_to_the_corrected_search(served):
    client, archive = served
    suggestion = archive.search("ceasfire").suggestion
    tree = page(client, "/?q=ceasfire&tag=Syria")
    link = tree.css_first("p.suggestion a")
    assert link.text() == suggestion == "ceasefire"
    assert params(link.attributes["href"]) == [("q", "ceasefire"), ("tag", "Syria")]


def test_a_query_that_cannot_be_read_gets_its_error_line_and_a_400(served):
    client, archive = served
    with pytest.raises(searchkit.QueryError) as error:
        archive.search("unknownfield:x")
    tree = page(client, "/?q=unknownfield:x", status=400)
    assert tree.css_first("p.error").text(strip=True) == f"This query cannot be read: {error.value}"
    assert tree.css_first('input[name="q"]').attributes["value"] == "unknownfield:x"
    assert tree.css_first("details.help summary").text() == "Query syntax"


def test_sort_and_paging_follow_the_library(served):
    client, archive = served
    expected = archive.search("strike", sort="oldest", limit=5, page=2)
    tree = page(client, "/?q=strike&sort=oldest&limit=5&page=2")
    assert texts(tree, "li.hit h2 a") == [hit.title for hit in expected.hits]
    assert tree.css_first("ol.hits").attributes["start"] == "6"
    prev = tree.css_first('nav.pager a[rel="prev"]').attributes["href"]
    assert dict(params(prev)) == {"q": "strike", "sort": "oldest", "limit": "5"}


search_states = st.builds(
    SearchState,
    q=st.text(max_size=30).map(str.strip),
    filters=st.dictionaries(st.sampled_from(FILTERS), st.lists(st.text(min_size=1, max_size=12).map(str.strip).filter(bool),
                                                                 min_size=1, max_size=3, unique=True).map(tuple), max_size=3),
    since=st.none() | st.sampled_from(["2017", "2017-03", "2017-03-05"]),
    until=st.none() | st.sampled_from(["2018", "2018-12-31"]),
    lang=st.none() | st.sampled_from(["en", "fr"]),
    sort=st.sampled_from(["relevance", "newest", "oldest"]),
    page=st.integers(1, 50),
    limit=st.integers(1, 100),
    expand=st.booleans(),
)


@given(search_states)
def test_the_url_holds_the_whole_state(state):
    assert SearchState.from_params(QueryParams(urlsplit(state.url()).query)) == state


@given(search_states, st.sampled_from(FILTERS), st.text(min_size=1, max_size=12).map(str.strip).filter(bool))
def test_toggling_a_facet_value_twice_restores_the_state(state, facet, value):
    if state.has_filter(facet, value):
        return
    added = SearchState.from_params(QueryParams(urlsplit(state.toggle(facet, value)).query))
    assert added.has_filter(facet, value) and added.page == 1
    removed = SearchState.from_params(QueryParams(urlsplit(added.toggle(facet, value)).query))
    assert removed == SearchState.from_params(QueryParams(urlsplit(state.url(page=1)).query))


# The article page


def test_the_article_page_shows_the_whole_record(served, seed):
    client, archive = served
    article = archive.get(seed)
    tree = page(client, f"/article/{seed}")
    assert tree.css_first("article h1").text() == article.title
    assert texts(tree, "article .body p") == [p for p in article.body.split("\n\n") if p.strip()]
    assert texts(tree, "article .tags a") == article.tags
    assert texts(tree, ".captions li") == article.image_captions
    assert texts(tree, ".related li") == article.related_headlines


def test_the_article_page_lists_similar_stories(served):
    client, archive = served
    story = archive.search("ceasefire").hits[0].id
    expected = [f"/article/{hit.id}" for hit in archive.similar(story, limit=8).hits]
    tree = page(client, f"/article/{story}")
    assert [a.attributes["href"] for a in tree.css("#similar li > a")] == expected and len(expected) == 8


def test_reader_comments_are_threaded_by_reply_to(served, seed):
    client, archive = served
    tree = page(client, f"/article/{seed}")
    comments = tree.css("section.comments li.comment")
    assert len(comments) == len(archive.get(seed).comments) == 7
    by_author = {c.css_first(".who bdi").text(): c for c in comments}
    # elsa.zardini answers Mikhas, whose comment is before hers: her comment is inside his.
    assert by_author["elsa.zardini"].parent.parent == by_author["Mikhas"]
    # Mikhas answers slimyfox, who has no comment here: a thread of his own, saying whom he answers.
    assert by_author["Mikhas"].css_first(".reply-to").text() == "in reply to slimyfox"
    assert by_author["Mikhas"].parent.parent.tag == "section"


def test_threads_nest_replies_case_aside_and_cap_the_depth():
    talk = [Comment("first", author="Ann"), Comment("answer", author="bob", reply_to="ann"),
            Comment("to a stranger", author="Cy", reply_to="nobody"), Comment("back", author="Ann", reply_to="Bob")]
    roots = threads(talk)
    assert [t.comment.text for t in roots] == ["first", "to a stranger"]
    assert roots[0].replies[0].comment.text == "answer" and roots[0].replies[0].replies[0].comment.text == "back"
    assert roots[1].answers_missing and not roots[0].answers_missing
    ping_pong = [Comment(str(n), author="ab"[n % 2], reply_to=None if n == 0 else "ab"[(n + 1) % 2]) for n in range(50)]
    deepest, node, shown = 0, threads(ping_pong)[0], 1
    stack = [(node, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        shown += len(node.replies)
        stack.extend((reply, depth + 1) for reply in node.replies)
    assert deepest == MAX_DEPTH - 1 and shown == 50


def test_an_unknown_article_is_a_404_page(served):
    client, _ = served
    tree = page(client, "/article/no-such-id", status=404)
    assert "no article with id no-such-id" in tree.css_first("p.error").text()


# Exports


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_the_csv_export_holds_every_hit_as_the_library_streams_them(served):
    client, archive = served
    response = client.get("/export/hits.csv?q=strike+OR+harvest&sort=newest&tag=Featured")
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="searchkit-strike-OR-harvest.csv"'
    rows = csv_rows(response.content)
    hits = list(archive.stream("strike OR harvest", sort="newest", filters={"tag": ["Featured"]}))
    assert len(rows) == len(hits) > 5
    assert [row["id"] for row in rows] == [hit.id for hit in hits]
    assert [row["title"] for row in rows] == [hit.title for hit in hits]
    assert [row["snippet"] for row in rows] == [hit.snippet.text for hit in hits]
    assert rows[0]["rank"] == "1" and rows[-1]["rank"] == str(len(hits))


def test_the_json_lines_export_is_the_librarys_hits(served):
    client, archive = served
    response = client.get("/export/hits.jsonl?q=harbour+strike")
    lines = [orjson.loads(line) for line in response.content.splitlines()]
    assert lines == [orjson.loads(orjson.dumps(hit.to_dict())) for hit in archive.stream("harbour strike")]


def test_facet_and_timeline_counts_export_as_csv(served):
    client, archive = served
    expected = archive.search("strike", facets=["tag", "author", "year", "month", "day"], facet_limit=10_000)
    rows = csv_rows(client.get("/export/facets.csv?q=strike&facet=tag&facet=author").content)
    assert [(r["facet"], r["value"], int(r["count"])) for r in rows] == [
        (name, item["value"], item["count"]) for name in ("tag", "author") for item in expected.facets[name]]
    timeline = build_timeline(expected.facets, expected.total)
    rows = list(csv.reader(io.StringIO(client.get("/export/timeline.csv?q=strike").text)))
    assert rows[0] == [timeline.unit, "count"]
    assert rows[1:] == [[bar.period, str(bar.count)] for bar in timeline.bars]
    assert sum(int(count) for _, count in rows[1:]) == expected.total - timeline.undated


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(served):
    client, _ = served
    rows = csv_rows(client.get("/export/hits.csv?q=zebra").content)
    hostile = next(row for row in rows if row["id"] == "hostile-1")
    assert hostile["section"] == "'=HYPERLINK(\"http://evil.example/\",\"click\")"
    assert hostile["authors"].startswith("<b onmouseover")  # the first author decides the cell
    assert [exports.neutralised(cell) for cell in ("=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", "1-2")] == [
        "'=1+2", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "plain", "1-2"]
    facet_rows = csv_rows(client.get("/export/facets.csv?q=zebra&facet=tag").content)
    assert {row["value"] for row in facet_rows} >= {"'+ALERT", "'-2+3"}


def test_an_export_of_an_unreadable_query_is_a_400(served):
    client, _ = served
    response = client.get("/export/hits.csv?q=date:2017-13")
    assert response.status_code == 400
    assert HTMLParser(response.text).css_first("p.error").text() == "there is no such date as '2017-13'"


# The JSON API


def test_the_api_mirrors_the_library(served, seed):
    client, archive = served
    response = client.get("/api/search?q=strike&facet=tag&facet=year&source=Reuters&limit=5&page=2")
    assert response.headers["content-type"] == "application/json"
    expected = archive.search("strike", facets=["tag", "year"], filters={"source": ["Reuters"]}, limit=5, page=2)
    assert response.json() == orjson.loads(orjson.dumps(expected.to_dict()))
    assert client.get(f"/api/article/{seed}").json() == orjson.loads(orjson.dumps(archive.get(seed).to_dict()))
    assert client.get(f"/api/similar/{seed}?limit=3").json() == orjson.loads(
        orjson.dumps(archive.similar(seed, limit=3).to_dict()))
    assert client.get("/api/stats").json()["articles"] == len(archive)


@pytest.mark.parametrize("url, status, message", [
    ("/api/search", 400, "empty query"),
    ("/api/search?q=unknownfield:x", 400, "unknown field"),
    ("/api/search?q=x&facet=colour", 400, "unknown facet 'colour'"),
    ("/api/search?q=x&limit=0", 400, "'limit' must be a whole number"),
    ("/api/article/nope", 404, "no article with id nope"),
    ("/api/similar/nope", 404, "no article with id nope"),
    ("/api/nothing-here", 404, "Not Found"),
])
def test_api_errors_are_json_with_one_line(served, url, status, message):
    client, _ = served
    response = client.get(url)
    assert response.status_code == status and response.headers["content-type"] == "application/json"
    assert message in response.json()["error"]


def test_the_readmes_api_requests_answer(served, seed):
    client, _ = served
    section = (ROOT / "README.md").read_text().split("### JSON API", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"`GET (/api/[^`]+)`", section)
    assert len(documented) == 4
    for url in documented:
        response = client.get(url.replace("ID", seed))
        assert response.status_code == 200 and response.headers["content-type"] == "application/json", url
