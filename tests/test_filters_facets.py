"""Filters narrow, facets count over the whole result set, sorting and paging are consistent."""

from __future__ import annotations

from collections import Counter

import pytest

from searchkit import QueryError

pytestmark = pytest.mark.usefixtures("engine")  # behaviour tests: every backend runs them


def test_filters_are_exact_case_insensitive_any_within_all_across(news):
    archive, records = news
    results = archive.search("the", filters={"source": ["reuters", "AP"], "tag": ["featured"]}, limit=500)
    expected = {r["id"] for r in records if r["source"] in {"Reuters", "AP"} and "Featured" in r["tags"]}
    assert {h.id for h in results.hits} == expected and expected


def test_author_section_place_and_language_filters(news):
    archive, records = news
    got = archive.search("news OR officials", filters={"author": ["Ana Lima"], "section": ["Business"]},
                         lang="fr", limit=500).hits
    expected = {r["id"] for r in records if "Ana Lima" in r["authors"] and r["section"] == "Business" and r["language"] == "fr"}
    assert {h.id for h in got} == expected
    assert archive.search("news", filters={"place": ["SYRIA"]}, limit=500).total == sum(r["places"] == ["syria"] for r in records)


def test_since_and_until_are_inclusive(news):
    archive, records = news
    got = archive.search("news", since="2017-03", until="2017-06-30", limit=500).hits
    assert {h.id for h in got} == {r["id"] for r in records if r["published"] and "2017-03-01" <= r["published"] <= "2017-06-30"}


def test_dates_match_by_day_and_sort_by_exact_time(tmp_path):
    """Dates are indexed to the day (every date search has day boundaries); sorting keeps times."""
    import orjson

    import searchkit

    times = ["2017-03-22T23:59:59+03:00", "2017-03-23T00:00:00+03:00", "2017-03-23T12:30:00+03:00",
             "2017-03-23T23:59:59+03:00", "2017-03-24T00:00:00+03:00"]
    records = [{"id": f"a{n}", "title": f"Ceasefire report {n}", "body": f"The ceasefire held for {n} hours.", "published": when}
               for n, when in enumerate(times)]
    (tmp_path / "dates.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([tmp_path / "dates.jsonl"])
    assert {h.id for h in archive.search("ceasefire", since="2017-03-23", until="2017-03-23").hits} == {"a1", "a2", "a3"}
    assert {h.id for h in archive.search("ceasefire date:2017-03-23").hits} == {"a1", "a2", "a3"}
    assert {h.id for h in archive.search("ceasefire date:>2017-03-23").hits} == {"a4"}
    assert {h.id for h in archive.search("ceasefire date:<2017-03-23").hits} == {"a0"}
    assert [h.id for h in archive.search("ceasefire", sort="newest").hits] == ["a4", "a3", "a2", "a1", "a0"]
    archive.close()


def test_bad_filters_are_explained(news):
    archive, _ = news
    with pytest.raises(QueryError, match="unknown filter 'colour'"):
        archive.search("news", filters={"colour": ["red"]})
    with pytest.raises(QueryError, match="comes after"):
        archive.search("news", since="2018", until="2017")
    with pytest.raises(QueryError, match="unknown facet 'colour'"):
        archive.search("news", facets=["colour"])


def test_facets_count_the_whole_result_set_not_the_page(news):
    archive, records = news
    results = archive.search("ceasefire OR strike", facets=["tag", "source", "year", "month", "day", "author", "lang"],
                             limit=2)
    matching = [r for r in records if r["tags"][0] in {"Ceasefire", "Strike"}]
    assert results.total == len(matching) and len(results.hits) == 2
    facets = {name: {item["value"]: item["count"] for item in items} for name, items in results.facets.items()}
    assert facets["tag"]["Ceasefire"] == sum(r["tags"][0] == "Ceasefire" for r in matching)
    assert facets["source"] == dict(Counter(r["source"] for r in matching))
    assert facets["year"] == dict(Counter(r["published"][:4] for r in matching if r["published"]))
    for name, width in (("month", 7), ("day", 10)):  # every bucket, in time order
        assert facets[name] == dict(Counter(r["published"][:width] for r in matching if r["published"]))
        assert list(facets[name]) == sorted(facets[name])
    assert facets["lang"] == dict(Counter(r["language"] for r in matching))
    assert facets["author"] == dict(Counter(a for r in matching for a in r["authors"]).most_common(10))


def test_sorting_by_date_puts_undated_articles_last(news):
    archive, records = news
    newest = archive.search("news", sort="newest", limit=500, snippets=False).hits
    oldest = archive.search("news", sort="oldest", limit=500, snippets=False).hits
    dated = [h.published for h in newest if h.published]
    assert dated == sorted(dated, reverse=True) and newest[-1].published is None
    assert [h.published for h in oldest if h.published] == sorted(dated)
    assert oldest[-1].published is None and all(h.score is None for h in newest)


def test_pages_and_stream_agree_with_one_big_page(news):
    archive, _ = news
    everything = [h.id for h in archive.search("officials talks", limit=500, snippets=False).hits]
    paged = [h.id for page in (1, 2, 3) for h in archive.search("officials talks", limit=7, page=page).hits]
    assert paged == everything[:21]
    assert [h.id for h in archive.stream("officials talks", snippets=False)] == everything
    assert [h.id for h in archive.stream("officials", sort="newest")] == [
        h.id for h in archive.search("officials", sort="newest", limit=500).hits
    ]


def test_similar_stories_share_the_topic_and_exclude_the_story_itself(news):
    archive, records = news
    topic = {r["id"]: r["tags"][0] for r in records}
    for story in ("news-001", "news-002", "news-003"):
        hits = archive.similar(story, limit=10).hits
        assert story not in {h.id for h in hits} and len(hits) == 10
        assert sum(topic[h.id] == topic[story] for h in hits) >= 8
    with pytest.raises(KeyError):
        archive.similar("no-such-story")


def test_the_capture_date_is_searched_and_counted_apart_from_the_publication_date(tmp_path):
    import orjson

    import searchkit

    records = [{"id": f"c{n}", "title": f"Harbour report {n}", "body": f"The harbour reopened, report {n}.",
                "published": published, "crawled": crawled}
               for n, (published, crawled) in enumerate([("2017-03-01", "2024-05-02T10:00:00+00:00"),
                                                         ("2017-03-02", "2024-05-09T08:00:00+00:00"),
                                                         (None, "2024-05-09T09:30:00+00:00")])]
    (tmp_path / "crawl.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([tmp_path / "crawl.jsonl"])
    assert {h.id for h in archive.search("harbour crawled:2024-05-09").hits} == {"c1", "c2"}
    assert {h.id for h in archive.search("crawled:[2024-05-01 TO 2024-05-07]").hits} == {"c0"}
    assert archive.search("date:2024").total == 0  # a capture is never a publication
    counted = archive.search("harbour", facets=["crawled", "day"]).facets
    assert counted["crawled"] == [{"value": "2024-05-02", "count": 1}, {"value": "2024-05-09", "count": 2}]
    assert [item["value"] for item in counted["day"]] == ["2017-03-01", "2017-03-02"]
    archive.close()
