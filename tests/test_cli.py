"""The command line: what a user types and sees, exit codes, and errors without tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import searchkit
from conftest import CORPUS, CORPUS_SIZE, SEED, shared_path
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
    again = cli("index", str(corpus), "--index", str(tmp_path / "index"))  # bytes unchanged: counted, not repeated
    assert again.returncode == 0 and again.stderr == ""
    assert "0 files with errors (2 more unchanged since reported: --verbose lists them)" in again.stdout
    verbose = cli("index", str(corpus), "--index", str(tmp_path / "index"), "--verbose")
    assert sorted(verbose.stderr.splitlines()) == sorted(errors)


def test_nothing_readable_is_exit_1(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    result = cli("index", str(bad), "--index", str(tmp_path / "index"))
    assert result.returncode == 1 and "invalid JSON" in result.stderr


def scraped(folder, sidecars: int):
    """A scraped collection: two article captures, ``sidecars`` JSON files of crawl metadata beside
    them (every fifth a list of captures, as a manifest holds) and one file of broken JSON.
    Returns the paths of the files that cannot give an article, as the run names them."""
    folder.mkdir()
    for name in ("harbour-museum-reopens.html", "council-housing-vote.txt"):
        shutil.copy(CORPUS / name, folder / name)
    bad = []
    for number in range(sidecars):
        capture = {"url": f"https://example.org/news/{number}", "crawl_date": f"2024-05-{number % 28 + 1:02}",
                   "status": 200, "content_type": "text/html"}
        listed = [capture, capture] if number % 5 == 0 else capture
        (folder / f"capture-{number:02}.json").write_text(json.dumps(listed))
        bad.append(f"{folder.name}/capture-{number:02}.json")
    (folder / "listing.json").write_text('{"pages": [1, 2,')
    return [*bad, f"{folder.name}/listing.json"]


def test_files_that_fail_alike_are_said_once_and_verbose_names_each(tmp_path):
    bad = scraped(tmp_path / "scrape", sidecars=30)
    result = cli("index", str(tmp_path / "scrape"), "--index", str(tmp_path / "index"))
    assert result.returncode == 0
    alike, broken = result.stderr.splitlines()
    assert alike == ("searchkit: skipped 36 records of 30 files: object has neither searchkit keys (title, body) nor "
                     "news-please keys (maintext, ...) (scrape/capture-00.json, scrape/capture-01.json, "
                     "scrape/capture-02.json and 27 more: --verbose lists them)")
    assert broken.startswith("searchkit: skipped scrape/listing.json: invalid JSON")
    assert "33 files (0 unchanged): 2 articles added" in result.stdout and "31 files with errors" in result.stdout
    verbose = cli("index", str(tmp_path / "scrape"), "--index", str(tmp_path / "fresh"), "--verbose")
    assert verbose.returncode == 0 and verbose.stdout == result.stdout
    lines = verbose.stderr.splitlines()
    assert len(lines) == len(bad) and all(f" {path}: " in line for path, line in zip(bad, lines))


def test_json_that_holds_no_article_is_an_error_so_a_run_of_only_such_files_is_exit_1(tmp_path):
    bad = scraped(tmp_path / "scrape", sidecars=5)
    for name in ("harbour-museum-reopens.html", "council-housing-vote.txt"):
        (tmp_path / "scrape" / name).unlink()
    result = cli("index", str(tmp_path / "scrape"), "--index", str(tmp_path / "index"))
    assert result.returncode == 1 and f"{len(bad)} files with errors" in result.stdout
    assert result.stderr.splitlines()[-1] == "searchkit: no articles could be read from the given paths"
    assert result.stderr.startswith("searchkit: skipped 6 records of 5 files: object has neither searchkit keys")


def test_the_report_keeps_every_file_and_only_its_lines_are_grouped(tmp_path):
    bad = scraped(tmp_path / "scrape", sidecars=30)
    report = searchkit.Archive(tmp_path / "index").index([tmp_path / "scrape"])
    assert [problem.path for problem in report.errors] == bad
    assert all(problem.reasons for problem in report.errors)
    assert len(report.problem_lines()) == 2 and len(report.problem_lines(verbose=True)) == len(bad)


def test_a_handful_of_files_that_fail_alike_still_get_a_line_each(tmp_path):
    bad = scraped(tmp_path / "scrape", sidecars=3)
    lines = searchkit.Archive(tmp_path / "index").index([tmp_path / "scrape"]).problem_lines()
    assert len(lines) == len(bad) and all(f" {path}: " in line for path, line in zip(bad, lines))


def test_a_folder_of_non_article_json_beside_pages_gives_a_short_report(tmp_path):
    fundus = shared_path("data", "pages-fundus")
    result = cli("index", str(fundus), "--index", str(tmp_path / "index"))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) + len(result.stderr.splitlines()) < 20
    failed = int(result.stdout.split(" files with errors")[0].rsplit(", ", 1)[1].replace(",", ""))
    said = sum(int(line.split(" files: ")[0].rsplit(" ", 1)[1].replace(",", "")) if " files: " in line else 1
               for line in result.stderr.splitlines())
    assert failed > 20 and said == failed  # every file with errors is counted in the lines


@pytest.mark.parametrize("options, said", [
    (["--json", "--csv"], "--json and --csv: give one or the other"),
    (["--all", "--limit", "5"], "--all writes every hit: --limit and --page choose a page of hits"),
    (["--all", "--page", "2", "--csv"], "--all writes every hit: --limit and --page choose a page of hits"),
])
def test_options_that_contradict_each_other_are_exit_2(indexed, options, said):
    result = run("query", "harbour", "--index", str(indexed), *options)
    assert result.exit_code == 2 and said in result.output


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
    assert "tag: Netherlands (1) · Rotterdam (1)" in result.output and "year:\n  2024 #" in result.output
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


# Terminal manners ------------------------------------------------------------------------------

def in_terminal(*args: str, env: dict[str, str]) -> str:
    """The real command's output (stdout and stderr) on a pseudo-terminal, as a person sees it."""
    import os
    import pty

    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "searchkit", *args], stdin=slave, stdout=slave, stderr=slave,
                               env={**os.environ, "NO_COLOR": "", **env})
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    process.wait(timeout=120)
    return output.decode()


@pytest.mark.parametrize("env", [{"NO_COLOR": "1", "TERM": "xterm-256color"}, {"TERM": "dumb"}])
def test_no_color_and_dumb_terminals_get_no_escape_codes_even_on_a_terminal(tmp_path, corpus, env):
    indexed = in_terminal("index", str(corpus), "--index", str(tmp_path / "index"), env={"TERM": "xterm-256color"})
    assert "\x1b[" in indexed and "Indexing" in indexed  # the progress bar hides the cursor
    styled = in_terminal("query", "al-Bab ceasefire", "--facet", "month", "--index", str(tmp_path / "index"),
                         env={"TERM": "xterm-256color"})
    assert "\x1b[1m" in styled and "█" in styled and "**" not in styled
    for args in (["query", "al-Bab ceasefire", "--facet", "month", "--index", str(tmp_path / "index")],
                 ["index", str(corpus), "--index", str(tmp_path / "index2")],
                 ["--help"], ["query", "--help"], ["query", "x", "--sort", "sideways"],
                 ["show", "nope", "--index", str(tmp_path / "index")]):
        plain = in_terminal(*args, env=env)
        assert "\x1b" not in plain and plain.strip() and "Traceback" not in plain, args
    plain = in_terminal("query", "al-Bab ceasefire", "--facet", "month", "--index", str(tmp_path / "index"), env=env)
    assert "**al-Bab**" in plain and "  2017-03 " + "#" * 50 + " 1" in plain and "█" not in plain


def test_version_is_the_installed_one():
    from importlib.metadata import version

    result = cli("--version")
    assert result.returncode == 0 and result.stdout == f"searchkit {version('searchkit')}\n"


def test_shell_completion_is_offered_and_completes_options():
    import os
    from pathlib import Path

    assert "searchkit --install-completion" in run("--help").output
    command = str(Path(sys.executable).parent / "searchkit")  # the installed command, named as users type it
    script = subprocess.run([command, "--show-completion", "bash"], capture_output=True, text=True, timeout=120)
    assert script.returncode == 0 and "_SEARCHKIT_COMPLETE=complete_bash" in script.stdout
    assert "complete -o default -F _searchkit_completion searchkit" in script.stdout
    completed = subprocess.run([command], capture_output=True, text=True, timeout=120,
                               env={**os.environ, "_SEARCHKIT_COMPLETE": "complete_bash",
                                    "COMP_WORDS": "searchkit query syria --fa", "COMP_CWORD": "3"})
    assert completed.stdout.split() == ["--facet", "--facet-limit"]


def test_every_option_of_every_command_has_help_text():
    import typer.main

    group = typer.main.get_command(app)
    assert all(param.help for param in group.params)  # --version and the completion options
    for name, command in group.commands.items():
        assert command.help, name
        shown = runner.invoke(app, [name, "--help"], env={"COLUMNS": "1000"}).output  # no line wrapped
        for param in command.params:
            assert getattr(param, "help", None) and param.help in shown, (name, param.name)  # whole, as written


def test_person_org_exchange_place_and_lang_filter_like_tag(tmp_path):
    records = [
        {"id": "a", "title": "Cocoa talks", "body": "Cocoa producers met in London about the buffer stock.",
         "people": ["Ronald Reagan"], "orgs": ["ICCO"], "exchanges": ["LSE"], "places": ["uk"], "language": "en"},
        {"id": "b", "title": "Kakao", "body": "Die Kakaoproduzenten trafen sich in London wegen cocoa.",
         "people": ["Helmut Kohl"], "orgs": ["EC"], "exchanges": ["FSE"], "places": ["west-germany"], "language": "de"},
    ]
    (tmp_path / "records.jsonl").write_text("\n".join(json.dumps(record) for record in records))
    index = str(tmp_path / "index")
    assert run("index", str(tmp_path / "records.jsonl"), "--index", index).exit_code == 0

    def ids(*filters: str) -> list[str]:
        result = run("query", "cocoa", "--index", index, "--json", *filters)
        assert result.exit_code == 0, result.output
        return sorted(hit["id"] for hit in json.loads(result.output)["hits"])

    assert ids() == ["a", "b"]
    assert ids("--person", "ronald reagan") == ["a"] and ids("--person", "Reagan") == []  # exact, case aside
    assert ids("--org", "EC") == ["b"] and ids("--exchange", "lse") == ["a"] and ids("--place", "West-Germany") == ["b"]
    assert ids("--lang", "de") == ["b"] and ids("--lang", "en", "--lang", "de") == ["a", "b"]
    assert ids("--org", "ICCO", "--lang", "de") == []


# Facet exports and the histogram ---------------------------------------------------------------

def test_facets_export_as_one_table(indexed):
    shown = json.loads(run("query", "the", "--index", str(indexed), "--facet", "tag", "--facet", "month",
                           "--facet-limit", "3", "--json").output)["facets"]
    table = run("query", "the", "--index", str(indexed), "--facet", "tag", "--facet", "month", "--facet-limit", "3",
                "--csv").output.splitlines()
    assert table[0] == "facet,value,count"
    assert table[1:] == [f"{name},{item['value']},{item['count']}" for name in ("tag", "month") for item in shown[name]]
    every = run("query", "the", "--index", str(indexed), "--facet", "tag", "--all").output.splitlines()
    rows = [json.loads(line) for line in every]
    assert len(rows) > 3 and all(set(row) == {"facet", "value", "count"} for row in rows)
    tags = [tag for tags in (json.loads(run("show", hit["id"], "--index", str(indexed), "--json").output)["tags"]
                             for hit in json.loads(run("query", "the", "--index", str(indexed), "--json").output)["hits"])
            for tag in tags]
    assert sorted((row["value"], row["count"]) for row in rows) == sorted((tag, tags.count(tag)) for tag in set(tags))
    csv_every = run("query", "the", "--index", str(indexed), "--facet", "tag", "--all", "--csv").output.splitlines()
    assert csv_every[0] == "facet,value,count" and len(csv_every) == 1 + len(rows)


def test_date_facets_are_a_histogram_in_80_columns(indexed):
    output = run("query", "the", "--index", str(indexed), "--facet", "month").output
    histogram = output[output.index("month:\n"):].splitlines()
    assert histogram == [
        "month:",
        "  2017-03 " + "#" * 25 + " 1",
        "          ... 82 months without hits",
        "  2024-02 " + "#" * 25 + " 1",
        "  2024-03 " + "#" * 50 + " 2",
        "  2024-04 " + "#" * 25 + " 1",
    ]
    days = run("query", "the", "--index", str(indexed), "--facet", "day").output
    assert all(len(line) <= 80 for line in days.splitlines() if "#" in line)


def test_histogram_bars_gaps_and_blocks():
    from searchkit.cli import _histogram

    counts = [{"value": "2023-11", "count": 40}, {"value": "2024-01", "count": 1}, {"value": "2024-02", "count": 1234},
              {"value": "2024-09", "count": 617}]
    fancy = _histogram(counts, fancy=True)
    assert fancy[0].startswith("2023-11 ") and fancy[1] == "2023-12 0" and fancy[2].startswith("2024-01 ▏ 1")
    assert fancy[3] == "2024-02 " + "█" * 50 + " 1,234"
    assert fancy[4].strip() == "⋮ 6 months without hits" and fancy[5] == "2024-09 " + "█" * 25 + " 617"
    assert all(len(line) <= 78 for line in fancy)  # indented by 2 when shown
    days = _histogram([{"value": "2024-02-28", "count": 2}, {"value": "2024-03-02", "count": 1}], fancy=False)
    assert days == ["2024-02-28 " + "#" * 50 + " 2", "2024-02-29 0", "2024-03-01 0", "2024-03-02 " + "#" * 25 + " 1"]
    years = _histogram([{"value": "2014", "count": 3}, {"value": "2016", "count": 3}, {"value": "2021", "count": 3}],
                       fancy=False)
    assert years == ["2014 " + "#" * 50 + " 3", "2015 0", "2016 " + "#" * 50 + " 3", "     ... 4 years without hits",
                     "2021 " + "#" * 50 + " 3"]
