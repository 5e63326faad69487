"""The query language: dates, wildcards, phrases, operators, word forms, suggestions."""

from __future__ import annotations

import pytest

from searchkit import QueryError


def ids(results):
    return {hit.id for hit in results.hits}


def published_in(records, start: str, end: str) -> set[str]:
    """Ids of records published on or after ``start`` and before ``end`` (ISO dates)."""
    return {r["id"] for r in records if r["published"] and start <= r["published"][:10] < end}


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("date:2017", "2017-01-01", "2018-01-01"),
        ("date:2017-03", "2017-03-01", "2017-04-01"),
        ("date:[2016-06 TO 2017-01-15]", "2016-06-01", "2017-01-16"),
        ("date:[2018-11 TO]", "2018-11-01", "9999"),
        ("date:[TO 2016-02]", "0000", "2016-03-01"),
        ("date:>=2018-06", "2018-06-01", "9999"),
        ("date:>2018-06", "2018-07-01", "9999"),
        ("date:<2016-03", "0000", "2016-03-01"),
        ("date:<=2016-03", "0000", "2016-04-01"),
        ("published:2016-05", "2016-05-01", "2016-06-01"),
    ],
)
def test_dates_in_iso_form_select_exactly_their_span(news, query, start, end):
    archive, records = news
    expected = published_in(records, start, end)
    assert expected
    assert ids(archive.search(query, limit=500, snippets=False)) == expected


def test_dates_combine_with_words(news):
    archive, records = news
    got = ids(archive.search("ceasefire date:2017", limit=500))
    in_2017 = published_in(records, "2017-01-01", "2018-01-01")
    mention = {r["id"] for r in records if "ceasefire" in " ".join([r["title"], r["body"], *r["tags"]]).lower()}
    assert got == in_2017 & mention and got


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date:2017-13", "no such date"),
        ("date:yesterday", "cannot read the date"),
        ("date:[2017 2018]", r"write date:\[2016-01 TO 2016-06\]"),
        ("colour:red", "unknown field 'colour:'"),
        ("(((", "no searchable words"),
    ],
)
def test_bad_queries_are_explained(news, query, message):
    archive, _ = news
    with pytest.raises(QueryError, match=message):
        archive.search(query)


def test_wildcards_match_real_words_not_stems(archive):
    # "automation" is stemmed to "autom"; the wildcard is matched against the unstemmed vocabulary.
    assert [h.title[:11] for h in archive.search("automat*").hits] == ["Dock worker"]
    assert [h.title[:11] for h in archive.search("work?rs").hits] == ["Dock worker"]
    assert archive.search("work*s").total > 1  # workers, works, ...


def test_proximity_phrases(archive):
    assert archive.search('"airbase coordinates"~8').total == 1
    assert archive.search('"airbase coordinates"').total == 0


def test_possessives_and_acronyms_match_their_plain_forms(archive):
    assert archive.search("title:pentagon").total == 1  # the title says "Pentagon's"
    assert archive.search("U.S.").total == archive.search("US").total >= 1


def test_long_descriptive_queries_still_return_every_article_with_any_word(news):
    archive, records = news
    text = "officials discussed the wheat harvest and the drought with farmers"
    results = archive.search(text, limit=500, snippets=False)
    words = {"officials", "wheat", "harvest", "drought", "farmers", "discussed"}
    text_of = " ".join  # title, body and tags are searched by default
    expected = {r["id"] for r in records
                if words & set(text_of([r["title"], r["body"], *r["tags"]]).lower().replace(".", " ").replace(",", " ").replace(":", " ").split())}
    assert ids(results) == expected


def test_did_you_mean_offers_the_index_own_spelling(archive):
    results = archive.search("ceasfire")
    assert results.total == 0 and results.suggestion == "ceasefire"
    assert archive.search("ceasefire").suggestion is None


def test_every_hit_shows_which_field_its_snippet_is_from(archive):
    assert archive.search('comments:"proxy army"').hits[0].snippet.field == "comments"
    assert archive.search("related:monitor").hits[0].snippet.field == "related"
