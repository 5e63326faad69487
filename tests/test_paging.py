"""Paging through results: ranks count stories (near duplicates folded), totals count articles,
a page past the end says which page is the last, and filters that leave nothing say which did."""

from __future__ import annotations

import random

import orjson
import pytest
from typer.testing import CliRunner

import searchkit
from searchkit.cli import app

pytestmark = pytest.mark.usefixtures("engine")  # behaviour tests: every backend runs them

STORIES = 12
COPIES = {0: 3, 4: 2, 7: 4}  # syndicated copies of some stories (the others stand alone)
ARTICLES = STORIES + sum(COPIES.values())


def wire_records(stories: int = STORIES, copies: dict[int, int] = COPIES) -> list[dict]:
    """Stories of 150 words each (every one mentions the harbour), some re-published with another
    intro and sign-off, as wire copy is."""
    rnd = random.Random(11)
    vocabulary = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(3, 9)))
                  for _ in range(3000)]
    records = []
    for story in range(stories):
        body = " ".join(rnd.choice(vocabulary) for _ in range(150)) + " in the harbour."
        for copy in range(1 + copies.get(story, 0)):
            records.append({
                "id": f"story{story:02d}-copy{copy}",
                "title": f"Harbour story {story}" + (f" (copy {copy})" if copy else ""),
                "source": "Wire" if copy == 0 else f"Paper {copy}",
                "published": f"2024-03-{story + 1:02d}",
                "tags": ["Harbour", "Shipping" if story % 2 else "Ports"],
                "body": (f"Updated edition {copy}: " if copy else "") + body + (f" Reporting by desk {copy}." if copy else ""),
            })
    return records


@pytest.fixture
def wire(tmp_path) -> searchkit.Archive:
    path = tmp_path / "wire.jsonl"
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in wire_records()))
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([path])
    yield archive
    archive.close()


def test_pages_list_each_story_once_and_their_copies_add_up_to_the_total(wire):
    pages = [wire.search("harbour", limit=5, page=page, sort="oldest") for page in (1, 2, 3)]
    hits = [hit for results in pages for hit in results.hits]
    assert len(hits) == STORIES and len({hit.id for hit in hits}) == STORIES
    assert sum(1 + hit.duplicates for hit in hits) == ARTICLES
    assert [hit.id for hit in hits] == [hit.id for hit in wire.stream("harbour", sort="oldest")]
    for number, results in enumerate(pages, start=1):
        assert (results.total, results.stories, results.pages) == (ARTICLES, STORIES, 3)
        assert (results.page, results.limit, results.first) == (number, 5, 5 * number - 4)
        assert results.more == (number < 3)


def test_a_page_past_the_end_has_no_hits_and_knows_the_last_page(wire):
    results = wire.search("harbour", limit=5, page=96)
    assert results.hits == [] and results.total == ARTICLES
    assert (results.stories, results.pages, results.more) == (STORIES, 3, False)
    expanded = wire.search("harbour", limit=5, page=96, expand_duplicates=True)
    assert (expanded.stories, expanded.pages) == (ARTICLES, -(-ARTICLES // 5))


def test_expanded_copies_are_listed_and_counted_as_articles(wire):
    results = wire.search("harbour", limit=100, expand_duplicates=True)
    assert results.stories == results.total == len(results.hits) == ARTICLES and not results.more


def test_stories_beyond_the_grouped_hits_are_not_guessed(news):
    """120 articles, a first page of 5: only the hits near the page are grouped, so how many
    stories there are is unknown (None), never a guess, and a later page is known to exist."""
    archive, records = news
    results = archive.search("the", limit=5)
    assert results.total == len(records) and results.stories is None and results.pages is None
    assert results.more and len(results.hits) == 5
    last = archive.search("the", limit=5, page=24)
    assert last.stories == len(records) and not last.more and len(last.hits) == 5


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (dict(filters={"source": ["Sputnik"]}), [("source", ["Sputnik"], 0)]),
        (dict(filters={"tag": ["Ports", "Nowhere"]}, until="2023"), [("tag", ["Ports", "Nowhere"], 11), ("until", ["2023"], 0)]),
        (dict(since="2024-03-20", lang="de"), [("since", ["2024-03-20"], 0), ("lang", ["de"], 0)]),
    ],
)
def test_filters_that_leave_no_hit_are_counted_one_by_one(wire, filters, expected):
    results = wire.search("harbour", **filters)
    assert results.total == 0 and results.unfiltered == ARTICLES
    assert [(count.filter, count.values, count.total) for count in results.filter_counts] == expected


def test_filters_that_keep_hits_each_but_none_together_are_counted(wire):
    results = wire.search("harbour", filters={"tag": ["Ports"], "source": ["Paper 4"]})
    assert results.total == 0
    assert [(count.filter, count.total) for count in results.filter_counts] == [("tag", 11), ("source", 1)]


def test_a_query_that_finds_nothing_is_not_blamed_on_its_filters(wire):
    results = wire.search("zzyzx", filters={"source": ["Sputnik"]})
    assert results.total == 0 and results.unfiltered == 0 and results.filter_counts == []
    unfiltered = wire.search("zzyzx")
    assert unfiltered.unfiltered is None and unfiltered.filter_counts == []


runner = CliRunner()


def cli_index(tmp_path) -> str:
    path = tmp_path / "wire.jsonl"
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in wire_records()))
    index = str(tmp_path / "cli-index")
    assert runner.invoke(app, ["index", str(path), "--index", index]).exit_code == 0
    return index


def test_the_command_line_numbers_stories_and_counts_articles(tmp_path):
    index = cli_index(tmp_path)

    def heading(*args: str) -> str:
        result = runner.invoke(app, ["query", "harbour", "--index", index, *args])
        assert result.exit_code == 0, result.output
        return result.output.splitlines()[0]

    assert heading("--limit", "5") == f'stories 1-5 of {STORIES} · {ARTICLES} articles match "harbour"'
    assert heading("--limit", "5", "--page", "3") == f'stories 11-12 of {STORIES} · {ARTICLES} articles match "harbour"'
    assert heading("--limit", "20") == f'{STORIES} stories · {ARTICLES} articles match "harbour"'
    assert heading("--limit", "5", "--page", "5", "--expand-duplicates") == f'21 of {ARTICLES} articles match "harbour"'
    listed = runner.invoke(app, ["query", "harbour", "--index", index, "--limit", "5", "--page", "3"]).output
    assert "\n 11. " in listed and "\n 12. " in listed and "\n 13. " not in listed


def test_a_page_past_the_end_is_one_line_naming_the_last_page_and_exit_1(tmp_path):
    index = cli_index(tmp_path)
    for output in ([], ["--json"], ["--csv"]):
        result = runner.invoke(app, ["query", "harbour", "--index", index, "--limit", "5", "--page", "96", *output])
        assert result.exit_code == 1 and result.output == "searchkit: no page 96 (the last is 3)\n"


def test_the_command_line_says_which_filter_emptied_the_result(tmp_path):
    index = cli_index(tmp_path)

    def said(*args: str) -> str:
        result = runner.invoke(app, ["query", *args, "--index", index])
        assert result.exit_code == 0, result.output
        return result.output.strip()

    assert said("harbour", "--source", "Sputnik", "--tag", "ports") == (
        f'{ARTICLES} articles match "harbour"; none with source Sputnik.')
    assert said("harbour", "--since", "2025", "--lang", "de") == (
        f'{ARTICLES} articles match "harbour"; none in language de, none published since 2025.')
    assert said("harbour", "--tag", "Ports", "--source", "Paper 4") == (
        f'{ARTICLES} articles match "harbour"; 11 with tag Ports, 1 with source Paper 4; '
        "none with all of these filters together.")
    assert said("zzyzx", "--source", "Sputnik") == 'No articles match "zzyzx".'
    data = orjson.loads(runner.invoke(app, ["query", "harbour", "--source", "Sputnik", "--index", index, "--json"]).output)
    assert data["unfiltered"] == ARTICLES and data["filter_counts"] == [{"filter": "source", "values": ["Sputnik"], "total": 0}]
