"""Term-at-a-time scoring must give exactly Whoosh's scores, over every match, with exact totals."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import collectors

from conftest import TOPICS
from searchkit.backends.whoosh.compiler import compile_query
from searchkit.backends.whoosh.searching import word_scores
from searchkit.querylang import plan_query

WORDS = sorted({w.lower() for _, _, words in TOPICS.values() for w in words} | {"officials", "news", "zebra"})


def whoosh_scores(searcher, query) -> dict[int, float]:
    collector = collectors.UnlimitedCollector()
    searcher.search_with_collector(query, collector)
    return {docnum: score for score, docnum in collector.results().top_n}


@pytest.fixture
def engine(monkeypatch) -> str:
    """Whoosh's own scores are the reference here: these tests run on the Whoosh backend only."""
    monkeypatch.setenv("SEARCHKIT_ENGINE", "whoosh")
    return "whoosh"


@pytest.fixture
def news_searcher(news):
    archive, _ = news
    return archive._current_searcher().whoosh


@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fast_scores_equal_whooshs_own(news_searcher, words):
    searcher = news_searcher
    compiled = compile_query(searcher, plan_query(" ".join(words)))
    assert compiled.clauses is not None
    scores, first = word_scores(searcher, compiled)
    expected = whoosh_scores(searcher, compiled.matching)
    assert expected.keys() == scores.score.keys()
    assert all(scores.score[d] == pytest.approx(expected[d], rel=1e-9) for d in expected)
    # The all-words tier of a keyword query is what Whoosh finds for all of its words.
    assert first == (set(searcher.docs_for_query(compiled.strict)) if compiled.tiered else set())
    assert compiled.tiered == (1 < len(set(words)) <= 4)


def test_totals_count_every_article_with_any_word(news):
    archive, records = news
    results = archive.search("strike drought", limit=3)
    def words(record):  # title, body and tags are searched by default
        return set(" ".join([record["title"], record["body"], *record["tags"]]).lower().replace(".", " ").replace(":", " ").split())

    expected = sum(1 for r in records if {"strike", "drought"} & words(r))
    assert results.total == expected > 10
    assert len(results.hits) == 3


def test_articles_with_all_words_rank_before_the_rest(news):
    archive, records = news
    hits = archive.search("dockers automation", limit=200, snippets=False).hits
    both = {r["id"] for r in records if "dockers" in r["body"] and "automation" in r["body"]}
    assert both and {hit.id for hit in hits[: len(both)]} == both


def test_queries_of_other_shapes_are_scored_by_whoosh(news):
    archive, _ = news
    searcher = archive._current_searcher().whoosh
    for text in ('"the ceasefire"', "ceasefire AND truce", "ceasefire OR date:2017"):
        assert compile_query(searcher, plan_query(text)).clauses is None
        assert archive.search(text).total > 0
