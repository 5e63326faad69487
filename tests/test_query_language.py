"""The query language: dates, restrictions, wildcards, fuzzy words, phrases, operators, word forms,
suggestions, and a clear error for anything it cannot read (through the library and the CLI)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import searchkit
from conftest import CORPUS, ROOT
from searchkit import QueryError
from searchkit.cli import app
from searchkit.querylang.fields import field_named

pytestmark = pytest.mark.usefixtures("engine")  # behaviour tests: every backend runs them


def ids(results):
    return {hit.id for hit in results.hits}


def everything(archive, query: str) -> set[str]:
    return ids(archive.search(query, limit=500, snippets=False))


def published_in(records, start: str, end: str) -> set[str]:
    """Ids of records published on or after ``start`` and before ``end`` (ISO dates)."""
    return {r["id"] for r in records if r["published"] and start <= r["published"][:10] < end}


def mentioning(records, word: str) -> set[str]:
    """Ids of records whose title, body or tags hold the word (the default fields of the generated news)."""
    return {r["id"] for r in records if word in " ".join([r["title"], r["body"], *r["tags"]]).lower()}


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("date:2017", "2017-01-01", "2018-01-01"),
        ("date:2017-03", "2017-03-01", "2017-04-01"),
        ("date:[2016-06 TO 2017-01-15]", "2016-06-01", "2017-01-16"),
        ("date:[2018-11 TO]", "2018-11-01", "9999"),
        ("date:[2018-11 TO *]", "2018-11-01", "9999"),
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
    assert everything(archive, query) == expected


def test_dates_combine_with_words(news):
    archive, records = news
    got = everything(archive, "ceasefire date:2017")
    assert got == published_in(records, "2017-01-01", "2018-01-01") & mentioning(records, "ceasefire") and got


def test_dates_joined_by_or_find_either(news):
    archive, records = news
    expected = published_in(records, "2017-03-01", "2017-04-01") | published_in(records, "2018-03-01", "2018-04-01")
    assert everything(archive, "date:2017-03 OR date:2018-03") == expected
    assert everything(archive, "ceasefire (date:2017-03 OR date:2018-03)") == expected & mentioning(records, "ceasefire")


def test_a_language_narrows_a_query_and_alone_lists_its_articles(news):
    archive, records = news
    french = {r["id"] for r in records if r["language"] == "fr"}
    assert french and everything(archive, "lang:fr") == everything(archive, "lang:FR") == french
    assert everything(archive, "ceasefire lang:fr") == french & mentioning(records, "ceasefire")
    assert everything(archive, "ceasefire -lang:fr") == mentioning(records, "ceasefire") - french


def test_a_field_alone_lists_what_it_selects(news):
    archive, records = news
    featured = {r["id"] for r in records if "Featured" in r["tags"]}
    assert featured and everything(archive, "tag:Featured") == featured


def test_a_lone_star_lists_every_article(news):
    archive, records = news
    assert everything(archive, "*") == {r["id"] for r in records}
    assert everything(archive, "* lang:fr") == {r["id"] for r in records if r["language"] == "fr"}


def test_excluded_words_restrict(news):
    archive, records = news
    expected = mentioning(records, "ceasefire") - mentioning(records, "truce")
    assert expected
    for query in ("ceasefire -truce", "ceasefire NOT truce", "ceasefire !truce", "ceasefire AND NOT truce"):
        assert everything(archive, query) == expected, query
    assert everything(archive, "-truce") == {r["id"] for r in records} - mentioning(records, "truce")


def test_lucene_operators_mean_the_words(news):
    archive, _ = news
    assert everything(archive, "ceasefire && truce") == everything(archive, "ceasefire AND truce")
    assert everything(archive, "wheat || dockers") == everything(archive, "wheat OR dockers")
    assert everything(archive, "ceasefire AND truce") < everything(archive, "ceasefire")


def test_operators_bind_tighter_than_words_side_by_side(news):
    archive, records = news
    # ceasefire, and (Syria or France): the OR is one clause of the query.
    query = everything(archive, "+ceasefire +(syria OR france)")
    assert query == mentioning(records, "ceasefire") & (mentioning(records, "syria") | mentioning(records, "france"))
    assert everything(archive, "(wheat OR harvest) drought") == mentioning(records, "wheat") | mentioning(
        records, "harvest"
    ) | mentioning(records, "drought")


def test_required_words_must_match_and_the_others_rank(news):
    archive, records = news
    hits = archive.search("+wheat drought", limit=500, snippets=False).hits
    assert {hit.id for hit in hits} == mentioning(records, "wheat")
    both = mentioning(records, "wheat") & mentioning(records, "drought")
    assert both and {hit.id for hit in hits[: len(both)]} == both


def test_a_boost_multiplies_a_word_s_score(archive):
    plain, boosted = archive.search("wheat").hits[0], archive.search("wheat^2").hits[0]
    assert plain.id == boosted.id and boosted.score == pytest.approx(2 * plain.score)


def test_a_field_applies_to_a_bracket(news):
    archive, records = news
    in_titles = {r["id"] for r in records if {"truce", "drought"} & set(r["title"].lower().split())}
    assert in_titles and everything(archive, "title:(truce OR drought)") == in_titles
    assert in_titles < everything(archive, "truce OR drought")


def test_stop_words_are_dropped_unless_they_are_all_there_is(archive):
    assert ids(archive.search("the ceasefire")) == ids(archive.search("ceasefire"))
    assert archive.search("the").total > 0


def test_wildcards_match_real_words_not_stems(archive):
    # "automation" is stemmed to "autom"; the wildcard is matched against the unstemmed vocabulary.
    assert [h.title[:11] for h in archive.search("automat*").hits] == ["Dock worker"]
    assert [h.title[:11] for h in archive.search("work?rs").hits] == ["Dock worker"]
    # "work*" finds "work" (in another article) and "workers"; "work*s" only "workers".
    assert archive.search("work*").total > archive.search("work*s").total == 1


def test_a_field_with_a_lone_star_finds_the_articles_holding_that_field(archive):
    everyone = everything(archive, "*")
    with_author = {article_id for article_id in everyone if archive.get(article_id).authors}
    assert with_author and with_author < everyone  # some articles have no author
    assert everything(archive, "author:*") == with_author
    assert everything(archive, "harbour author:*") >= with_author  # beside a word: any of them


def test_fuzzy_words_find_words_within_their_edits(archive):
    ceasefire = ids(archive.search("ceasefire"))
    assert ceasefire and archive.search("ceasfire").total == 0
    for query in ("ceasfire~1", "ceasfire~", "ceasfire~0.8", "caesefire~1", "title:pentagn~1 OR ceasfire~2"):
        assert ceasefire <= ids(archive.search(query)), query
    assert archive.search("ceasfire~0").total == 0  # no edits: the word itself
    strike = ids(archive.search("strike"))
    assert strike and strike <= ids(archive.search("strke~0.8"))  # (1 - 0.8) x 5 letters: one edit
    assert archive.search("zzzzzzzz~2").total == 0


def test_proximity_phrases(archive):
    assert archive.search('"airbase coordinates"~8').total == 1
    assert archive.search('"airbase coordinates"').total == 0


def test_a_hyphenated_word_is_one_word(archive):
    assert ids(archive.search("al-Bab")) == ids(archive.search('"al Bab"')) and archive.search("al-Bab").total == 1
    assert ids(archive.search("al -Bab")) == ids(archive.search("al")) - ids(archive.search("bab"))


def test_possessives_and_acronyms_match_their_plain_forms(archive):
    assert archive.search("title:pentagon").total == 1  # the title says "Pentagon's"
    assert archive.search("U.S.").total == archive.search("US").total >= 1


def test_long_descriptive_queries_still_return_every_article_with_any_word(news):
    archive, records = news
    text = "officials discussed the wheat harvest and the drought with farmers"
    words = {"officials", "wheat", "harvest", "drought", "farmers", "discussed"}
    expected = {r["id"] for r in records
                if words & set(" ".join([r["title"], r["body"], *r["tags"]]).lower().replace(".", " ").replace(",", " ").replace(":", " ").split())}
    assert everything(archive, text) == expected


def test_did_you_mean_offers_the_index_own_spelling(archive):
    results = archive.search("ceasfire")
    assert results.total == 0 and results.suggestion == "ceasefire"
    assert archive.search("ceasefire").suggestion is None
    assert archive.search("caesefire").suggestion == "ceasefire"  # two letters swapped: one edit


def test_a_huge_word_gets_no_suggestion_and_no_error(archive):
    results = archive.search("ceasefire" * 400)
    assert results.total == 0 and results.suggestion is None


def test_every_hit_shows_which_field_its_snippet_is_from(archive):
    assert archive.search('comments:"proxy army"').hits[0].snippet.field == "comments"
    assert archive.search("related:monitor").hits[0].snippet.field == "related"


BAD_QUERIES = [
    ("date:2017-13", "no such date"),
    ("date:yesterday", "cannot read the date"),
    ("date:[2017 2018]", r"write date:\[2016-01 TO 2016-06\]"),
    ("date:[2018 TO 2017]", "starts after it ends"),
    ("date:[2017 TO", "never closed with ]"),
    ("date:9999-12-31", "out of range"),
    ("colour:red", "unknown field 'colour:'"),
    ("title: pentagon", "needs a value right after the colon"),
    ('"buffer stock', "unbalanced quote"),
    ("(((", "unbalanced bracket: a '\\(' is never closed"),
    ("wheat)", "unbalanced bracket: a '\\)' has no '\\('"),
    ("()", "empty brackets"),
    ("ceasefire AND", "AND needs a word after it"),
    ("OR ceasefire", "OR needs a word before it"),
    ("ceasefire NOT", "NOT needs a word after it"),
    ("ceasefire ||", "|| needs a word after it"),
    ("/cease.*/", "regular expressions .* are not supported: use wildcards"),
    ("ceasefire~3", "at most 2 edits"),
    ("ceasefire~x", "cannot read 'ceasefire~x'"),
    ("wheat^", "a boost"),
    ('"a b"~x', "after a phrase write ~N"),
    ("al-b*", "a wildcard stands for one word"),
    ("al-bab~1", "a fuzzy word is one word"),
    ("date:2017*", "cannot read the date"),
    ("(" * 60 + "x" + ")" * 60, "nests brackets or NOT more than 50 deep"),
    ("... --", "no searchable words"),
    ("  ", "empty query"),
]


@pytest.mark.parametrize(("query", "message"), BAD_QUERIES)
def test_bad_queries_are_explained(news, query, message):
    archive, _ = news
    with pytest.raises(QueryError, match=message) as raised:
        archive.search(query)
    assert "\n" not in str(raised.value)


_CLI_INDEXES: dict[str, Path] = {}


@pytest.fixture
def index_folder(engine, tmp_path_factory) -> Path:
    """The sample archive indexed once per engine, for the command line."""
    if engine not in _CLI_INDEXES:
        folder = tmp_path_factory.mktemp("cli") / "index"
        with searchkit.Archive(folder, engine=engine) as archive:
            archive.index([CORPUS])
        _CLI_INDEXES[engine] = folder
    return _CLI_INDEXES[engine]


@pytest.mark.parametrize(("query", "message"), BAD_QUERIES[:20])
def test_the_cli_explains_a_bad_query_in_one_line_and_exits_2(index_folder, query, message):
    result = CliRunner().invoke(app, ["query", query, "--index", str(index_folder)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert result.output.startswith("searchkit: ")


@pytest.mark.parametrize(
    ("query", "options", "same_as"),
    [
        ("lang:en", [], ["*", "--lang", "en"]),
        ("date:2024-03 OR date:2017-03", ["--since", "2024"], ["date:2024-03"]),
        ("date:2024-03 OR date:2017-03", ["--since", "2017-03", "--until", "2017-03"], ["date:2017-03"]),
        ("ceasfire~", [], ["ceasefire"]),
        ("dock && strike", [], ["dock AND strike"]),
    ],
)
def test_the_cli_runs_the_new_constructs(index_folder, query, options, same_as):
    def total(*args: str) -> int:
        result = CliRunner().invoke(app, ["query", *args, "--index", str(index_folder), "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["total"]

    assert total(query, *options) == total(*same_as) > 0


def test_every_example_of_the_readme_query_table_runs(archive):
    section = (ROOT / "README.md").read_text().split("### Query language", 1)[1].split("###", 1)[0]
    rows = [line.split(" | ")[0] for line in section.splitlines() if line.startswith("| `")]
    examples = [code.replace("\\|", "|") for row in rows for code in re.findall(r"`([^`]+)`", row)]
    assert len(examples) > 25
    for example in examples:
        if example.endswith(":"):
            assert field_named(example[:-1]), example
        elif example not in {"&&", "||", "!"}:
            archive.search(example)  # raises QueryError for anything the language does not read
