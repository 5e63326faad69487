"""The command line: what a user types and sees, exit codes, and errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import CORPUS_SIZE, SEED, shared_path
from searchkit.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def indexed(tmp_path, corpus):
    index = tmp_path / "index"
    result = run("index", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.output
    return index


def test_index_prints_a_summary_line(tmp_path, corpus):
    result = run("index", str(corpus), "--index", str(tmp_path / "index"))
    assert result.exit_code == 0
    expected = f"{CORPUS_SIZE} files (0 unchanged): {CORPUS_SIZE} articles added, 0 updated, 0 unchanged, 0 removed"
    assert f"{expected}, 0 duplicates skipped, 0 files with errors" in result.output


def test_query_shows_the_seed_first_with_its_date_tags_and_emphasised_snippet(indexed):
    result = run("query", "al-Bab ceasefire", "--index", str(indexed))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    first = next(line for line in lines if line.strip().startswith("1."))
    assert "What May Be Behind Pentagon's Denial" in first
    assert "2017-03-23" in result.output and "tags: information sharing" in result.output
    assert "**al-Bab**" in result.output


def test_query_json_has_the_documented_shape(indexed):
    result = run("query", 'comments:"proxy army"', "--index", str(indexed), "--json")
    data = json.loads(result.output)
    assert data["query"] == 'comments:"proxy army"' and data["total"] == 1 and data["facets"] == {}
    hit = data["hits"][0]
    assert set(hit) >= {"id", "score", "title", "url", "published", "authors", "section", "source", "tags", "snippet"}
    assert hit["snippet_field"] == "comments"
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() == "proxy army"


def test_tags_query_finds_the_seed(indexed):
    data = json.loads(run("query", "tags:Pentagon", "--index", str(indexed), "--json").output)
    assert [h["title"][:13] for h in data["hits"]] == ["What May Be B"]


def test_parse_json_matches_golden_and_prints_one_line_per_record():
    seed = shared_path("seed", "sputnik-pentagon-daesh-coordinates.txt")
    golden = json.loads(shared_path("golden", "sputnik-pentagon-daesh-coordinates.json").read_text())
    result = run("parse", str(seed), str(SEED), "--json")
    lines = result.output.splitlines()
    assert result.exit_code == 0 and len(lines) == 2
    record = json.loads(lines[0])
    assert record["path"] == "seed/sputnik-pentagon-daesh-coordinates.txt"  # its folder and name
    for key in ("title", "published", "section", "tags", "related_headlines", "image_captions", "body"):
        assert record[key] == golden[key]


def test_parse_without_json_is_a_readable_summary():
    result = run("parse", str(SEED))
    assert "title      What May Be Behind" in result.output and "comments   7" in result.output


def test_parse_output_indexes_to_the_same_records(tmp_path, corpus):
    exported = tmp_path / "records.jsonl"
    exported.write_text(run("parse", *sorted(map(str, corpus.iterdir())), "--json").output)
    run("index", str(corpus), "--index", str(tmp_path / "a"))
    run("index", str(exported), "--index", str(tmp_path / "b"))
    for query in ("al-Bab ceasefire", "strike", "comments:housing"):
        a = json.loads(run("query", query, "--index", str(tmp_path / "a"), "--json").output)
        b = json.loads(run("query", query, "--index", str(tmp_path / "b"), "--json").output)
        assert a == b


def cli(*args: str, cwd=None):
    """Run the real command in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "searchkit", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_missing_index_is_one_line_and_exit_1(tmp_path):
    result = cli("query", "x", "--index", str(tmp_path / "none"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "no index at" in result.stderr and "Traceback" not in result.stderr


def test_empty_folder_is_one_line_and_exit_1(tmp_path):
    (tmp_path / "empty").mkdir()
    result = cli("index", str(tmp_path / "empty"), "--index", str(tmp_path / "index"))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("searchkit: no files searchkit reads found (the README lists the formats")


def test_a_named_file_that_cannot_be_read_says_why_in_one_line(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    result = cli("index", str(tmp_path / "zero.txt"), "--index", str(tmp_path / "index"))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "zero.txt is not a regular file (a FIFO, device or socket)" in result.stderr


def test_bad_files_are_reported_per_file_and_the_rest_indexed(tmp_path, corpus):
    (corpus / "broken.jsonl").write_text('{"title": "Fine", "body": "ok"}\n{oops\n')
    (corpus / "noise.txt").write_bytes(bytes(range(256)) * 4)
    result = cli("index", str(corpus), "--index", str(tmp_path / "index"))
    assert result.returncode == 0
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and "Traceback" not in result.stderr
    assert any("broken.jsonl: line 2: invalid JSON" in line for line in errors)
    assert any("noise.txt: binary file" in line for line in errors)
    assert f"{CORPUS_SIZE + 1} articles added" in result.stdout and "2 files with errors" in result.stdout


def test_nothing_readable_is_exit_1(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    result = cli("index", str(bad), "--index", str(tmp_path / "index"))
    assert result.returncode == 1 and "invalid JSON" in result.stderr


def test_bad_query_is_exit_2_with_an_explanation(indexed):
    result = cli("query", "colour:red", "--index", str(indexed))
    assert result.returncode == 2 and "unknown field 'colour:'" in result.stderr and "Traceback" not in result.stderr


def test_text_from_pages_never_reaches_the_terminal_raw(tmp_path):
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(json.dumps({"title": "Evil \u001b[2J\u001b]0;pwned\u0007 title", "body": "evil body \u001b[31m"}))
    cli("index", str(hostile), "--index", str(tmp_path / "index"))
    result = cli("query", "evil", "--index", str(tmp_path / "index"))
    assert result.returncode == 0 and "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Evil title" in result.stdout  # the escape sequences go whole, the words stay


def test_filters_facets_and_sorting_from_the_command_line(indexed):
    result = run("query", "the", "--index", str(indexed), "--tag", "Strikes", "--facet", "tag", "--facet", "year",
                 "--sort", "newest")
    assert result.exit_code == 0, result.output
    assert "Dock workers in Rotterdam" in result.output
    assert "tag: Netherlands (1) · Rotterdam (1)" in result.output and "year: 2024 (1)" in result.output
    data = json.loads(run("query", "the", "--index", str(indexed), "--facet", "source", "--since", "2024",
                          "--json").output)
    assert data["facets"] == {"source": [{"value": "Coastal Courier", "count": 1}]} and data["total"] == 4
    assert all(hit["published"] >= "2024" for hit in data["hits"])


def test_csv_and_streaming_every_hit(indexed):
    rows = run("query", "the", "--index", str(indexed), "--csv").output.splitlines()
    assert rows[0].startswith("rank,id,score,published,title") and len(rows) == 1 + CORPUS_SIZE
    lines = run("query", "the", "--index", str(indexed), "--all").output.splitlines()
    assert len(lines) == CORPUS_SIZE and all(json.loads(line)["id"] for line in lines)
    streamed = run("query", "the", "--index", str(indexed), "--all", "--csv").output.splitlines()
    assert len(streamed) == 1 + CORPUS_SIZE


def test_show_similar_and_stats(indexed):
    hit = json.loads(run("query", "al-Bab ceasefire", "--index", str(indexed), "--json").output)["hits"][0]
    shown = run("show", hit["id"], "--index", str(indexed))
    assert shown.exit_code == 0 and "Comments (7):" in shown.output
    assert "Mikhas → slimyfox: slimyfox, It´s not so much brainlessness" in shown.output
    record = json.loads(run("show", hit["id"], "--index", str(indexed), "--json").output)
    assert record["title"] == hit["title"] and len(record["comments"]) == 7
    similar = run("similar", hit["id"], "--index", str(indexed), "--json")
    assert similar.exit_code == 0 and hit["id"] not in {h["id"] for h in json.loads(similar.output)["hits"]}
    stats = json.loads(run("stats", "--index", str(indexed), "--json", "--top", "50").output)
    assert stats["articles"] == CORPUS_SIZE and stats["first_published"].startswith("2017-03-23")
    assert {"value": "Pentagon", "count": 1} in stats["top"]["tag"]
    assert f"articles:  {CORPUS_SIZE}" in run("stats", "--index", str(indexed)).output


def test_did_you_mean_is_shown(indexed):
    assert "Did you mean: ceasefire" in run("query", "ceasfire", "--index", str(indexed)).output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "nope"], 1, "no article with id nope"),
        (["similar", "nope"], 1, "no article with id nope"),
        (["query", "x", "--facet", "colour"], 2, "unknown facet 'colour'"),
        (["query", "x", "--since", "2017-13"], 2, "no such date"),
        (["query", "date:soon"], 2, "cannot read the date"),
        (["query", "x", "--sort", "sideways"], 2, "sideways"),
    ],
)
def test_errors_are_one_line_with_documented_exit_codes(indexed, args, code, message):
    result = cli(*args, "--index", str(indexed))
    assert result.returncode == code and message in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_id_is_a_typed_error_and_a_stray_key_error_is_not_taken_for_one(indexed, monkeypatch):
    from searchkit.backends.whoosh.searching import WhooshSearcher

    result = run("show", "no-such-id", "--index", str(indexed))
    assert result.exit_code == 1 and "no article with id no-such-id" in result.output

    def broken(self, article_id):
        raise KeyError("published")  # a bug, not a missing article

    monkeypatch.setattr(WhooshSearcher, "get", broken)
    result = run("show", "no-such-id", "--index", str(indexed))
    assert result.exit_code != 0 and "no article with id" not in result.output
    assert isinstance(result.exception, KeyError)


def test_the_default_index_is_the_nearest_one_upward_and_a_miss_says_where_it_looked(tmp_path, corpus, monkeypatch):
    monkeypatch.delenv("SEARCHKIT_INDEX", raising=False)
    project = tmp_path / "project"
    (project / "notes" / "deep").mkdir(parents=True)
    monkeypatch.chdir(project)
    assert run("index", str(corpus)).exit_code == 0  # made here, as indexes/main
    monkeypatch.chdir(project / "notes" / "deep")
    found = run("query", "al-Bab ceasefire", "--json")
    assert found.exit_code == 0 and json.loads(found.output)["total"] == 1
    monkeypatch.chdir(tmp_path)
    missing = run("query", "ceasefire")
    assert missing.exit_code == 1
    assert f"looked for indexes/main in {tmp_path / 'indexes' / 'main'}, {tmp_path.parent / 'indexes' / 'main'}" in missing.output
