"""Querying: ranking, fields, syntax, snippets, and clear errors."""

from __future__ import annotations

import math

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import searchkit
from searchkit import QueryError

pytestmark = pytest.mark.usefixtures("engine")  # behaviour tests: every backend runs them

SEED_TITLE = "What May Be Behind Pentagon's Denial of Providing Daesh Coordinates to Russia"


def test_seed_is_the_top_hit_for_al_bab_ceasefire(archive):
    results = archive.search("al-Bab ceasefire")
    assert results.hits[0].title == SEED_TITLE


def test_comments_and_tags_are_searchable_on_their_own(archive):
    assert [h.title for h in archive.search('comments:"proxy army"').hits] == [SEED_TITLE]
    assert [h.title for h in archive.search("tags:Pentagon").hits] == [SEED_TITLE]
    assert [h.title for h in archive.search("tag:Pentagon").hits] == [SEED_TITLE]
    assert archive.search("body:\"proxy army\"").total == 0


def test_any_word_is_a_hit_and_all_words_rank_first(tmp_path):
    path = tmp_path / "ranking.jsonl"
    records = [
        {"title": "Port strike spreads", "body": "Dockers strike again. Strike strike strike strike."},
        {"title": "Harbour news", "body": "A strike at the harbour in Rotterdam."},
        {"title": "Rotterdam", "body": "Rotterdam Rotterdam Rotterdam rotterdam harbour."},
    ]
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in records))
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([path])
    results = archive.search("strike rotterdam")
    assert results.total == 3
    assert results.hits[0].title == "Harbour news"


def test_stop_words_alone_do_not_make_hits(archive):
    assert archive.search("the strike").total == archive.search("strike").total == 1


def test_stemming_matches_other_forms(archive):
    assert archive.search("strikes").total == 1


def test_boolean_operators_and_exclusion(archive):
    assert archive.search("wheat OR housing").total >= 2
    assert archive.search("wheat AND housing").total == 0
    assert archive.search("Russia -Pentagon").total == 0
    assert archive.search("Russia NOT Pentagon").total == 0
    assert archive.search("Russia").total >= 1


def test_author_and_section_fields(archive):
    assert archive.search("author:lima").hits[0].authors == ["Ana Lima", "Reuters"]
    assert archive.search('section:"military & intelligence"').hits[0].title == SEED_TITLE


def test_snippet_highlights_point_at_the_matched_words(archive):
    snippet = archive.search("al-Bab ceasefire").hits[0].snippet
    assert snippet.field == "body"
    words = {snippet.text[a:b].lower() for a, b in snippet.highlights}
    assert words <= {"al-bab", "ceasefire"} and words


def test_snippet_comes_from_comments_when_only_comments_match(archive):
    snippet = archive.search('comments:"proxy army"').hits[0].snippet
    assert snippet.field == "comments"
    assert [snippet.text[a:b].lower() for a, b in snippet.highlights][:1] == ["proxy army"]


def test_paging(archive):
    everything = archive.search("the OR a OR in", limit=100)
    page_two = archive.search("the OR a OR in", limit=1, page=2)
    assert page_two.total == everything.total and page_two.hits[0].id == everything.hits[1].id


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "empty query"), ("   ", "empty query"), ("colour:red", "unknown field 'colour:'")],
)
def test_unreadable_queries_raise_a_clear_error(archive, query, message):
    with pytest.raises(QueryError, match=message):
        archive.search(query)


def test_results_serialise_as_documented(archive):
    data = archive.search("al-Bab ceasefire").to_dict()
    assert set(data) == {"query", "total", "hits", "facets", "suggestion", "page", "limit", "stories", "pages", "more",
                         "unfiltered", "filter_counts", "warnings"}
    assert {"id", "score", "title", "url", "published", "authors", "section", "source", "tags", "snippet"} <= set(
        data["hits"][0]
    )
    orjson.dumps(data)


@pytest.mark.parametrize("engine", ["whoosh"], indirect=True)  # the Whoosh backend's relevance feedback
def test_feedback_weighs_each_top_article_by_its_likelihood(tmp_path):
    from types import SimpleNamespace

    from searchkit.backends.whoosh import ranking

    path = tmp_path / "feedback.jsonl"
    records = [{"id": "a", "title": "", "body": "Harbour strike alphaword."},
               {"id": "b", "title": "", "body": "Harbour strike omegaword."}]
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in records))
    with searchkit.Archive(tmp_path / "index") as archive:
        archive.index([path])
        searcher = archive._current_searcher().whoosh
        docnum = {doc: searcher.document_number(id=doc) for doc in ("a", "b")}
        parsed = SimpleNamespace(terms={("body", "harbour"): 1.0})
        expansion = ranking.feedback(searcher, parsed, [(10.0, docnum["a"]), (7.0, docnum["b"])])
    boosts = {query.text: query.boost for query in expansion.subqueries}
    # Both words hold the same share of their article: only P(query | article) = exp(score) differs.
    assert boosts["alphaword"] / boosts["omegaword"] == pytest.approx(math.exp(3.0))
    assert boosts["harbour"] == pytest.approx(boosts["alphaword"] + boosts["omegaword"])


def test_folding_widens_its_window_until_the_page_is_full():
    """Twenty copies of each of many stories: the first page of leaders needs the hits grouped far
    beyond three pages' worth, and gets them."""
    from searchkit.search.collapse import GROUP_SLACK, collapsed_top

    stories, copies = 40, 20
    ranked = list(range(stories * copies))  # copies of one story rank together
    signature = {ref: bytes([ref // copies]) * 64 for ref in ranked}
    asked = []

    def top(size):
        asked.append(size)
        return ranked[:size]

    leaders, folded, complete = collapsed_top(top, lambda refs: [signature[r] for r in refs], len(ranked), needed=10)
    assert leaders[:10] == [story * copies for story in range(10)]
    assert all(folded[leader] == copies - 1 for leader in leaders[:10])
    assert asked[0] == 3 * 10 + GROUP_SLACK and len(asked) > 1 and not complete


@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(1, 15), st.sampled_from("abcde")), max_size=80))
def test_the_snippet_window_is_the_one_with_the_most_distinct_words(raw):
    """The one-pass window equals the definition: the match starting the window (matches ending
    within SNIPPET_CHARS of it) with the most distinct words, then the most matches, then the first."""
    from searchkit.search.snippets import SNIPPET_CHARS, _best_start

    found, position = [], 0
    for gap, length, word in raw:  # matches in text order, never overlapping
        found.append((position + gap, position + gap + length, word))
        position += gap + length
    if not found:
        return

    def variety(i):
        inside = [s for s in found[i:] if s[1] - found[i][0] <= SNIPPET_CHARS]
        return len({s[2] for s in inside}), len(inside)

    assert _best_start(found) == max(range(len(found)), key=lambda i: (variety(i), -i))


def test_similar_stories_of_an_article_with_words_of_its_own_are_found(archive):
    """The seed's most distinctive words occur in no other article; similar stories still come
    from the words it shares (the sample corpus holds other Syria and strike stories)."""
    seed = archive.search("al-Bab ceasefire").hits[0].id
    assert archive.similar(seed, limit=5).hits
