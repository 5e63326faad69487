"""The sphinxql engine on its own clusters of real searchd processes: shards that stop answering,
a searchd killed while a run writes, a server that is not there, dates outside 1970-2038, the
cluster command, and Reuters answered as the Whoosh backend answers it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import orjson
import pytest
from typer.testing import CliRunner

import searchkit
from conftest import CORPUS, shared_path, write_news_files
from searchkit.cli import app
from sphinx_fixture import require_searchd, start_cluster, stop_cluster

from searchkit.backends.sphinxql import servers


@pytest.fixture
def cluster(tmp_path):
    """A cluster of 3 shards of its own (its searchd processes are killed by some tests)."""
    require_searchd()
    made = start_cluster(tmp_path / "cluster", shards=3, archives=1)
    yield made
    stop_cluster(made)


def kill9(node: servers.Node) -> None:
    os.kill(node.pid(), signal.SIGKILL)


def searchkit_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "searchkit", *args], capture_output=True, text=True, timeout=600)


def test_a_shard_down_gives_the_others_results_with_a_warning(cluster, tmp_path):
    write_news_files(tmp_path / "news", files=3, per_file=100)
    archive = searchkit.Archive(tmp_path / "index", engine=cluster.url)
    archive.index([tmp_path / "news"])
    whole = archive.search("officials", facets=["tag"])
    assert whole.total == 300 and whole.warnings == []
    kill9(cluster.nodes[2])
    partial = archive.search("officials", facets=["tag"])
    assert 0 < partial.total < 300 and partial.warnings == ["partial results: 1 of 3 shards did not answer"]
    assert sum(item["count"] for item in partial.facets["tag"] if item["value"] in ("Syria", "Argentina", "Netherlands", "France")) == partial.total
    result = CliRunner().invoke(app, ["query", "officials", "--index", str(tmp_path / "index"), "--json"])
    assert result.exit_code == 0
    assert orjson.loads(result.stdout)["warnings"] == partial.warnings
    shown = CliRunner().invoke(app, ["query", "officials", "--index", str(tmp_path / "index")])
    assert "searchkit: partial results: 1 of 3 shards did not answer" in shown.stderr
    archive.close()


def test_a_searchd_killed_while_a_run_writes_loses_nothing_and_the_rerun_completes(cluster, tmp_path):
    files, per_file = 60, 60
    write_news_files(tmp_path / "news", files=files, per_file=per_file)
    index = tmp_path / "index"
    assert searchkit_command("index", str(tmp_path / "news"), "--index", str(index), "--engine", cluster.url).returncode == 0
    for path in sorted((tmp_path / "news").iterdir()):  # every article changes: the next run rewrites them all
        path.write_bytes(path.read_bytes().replace(b"Officials said", b"Ministers said"))
    rewrite = subprocess.Popen([sys.executable, "-m", "searchkit", "index", str(tmp_path / "news"), "--index", str(index),
                                "--commit-every", "60", "--workers", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with searchkit.Archive(index) as archive:
        while archive.search("ministers", snippets=False).total < 3 * per_file:
            assert rewrite.poll() is None, "the run ended before the moment the test waits for"
    kill9(cluster.nodes[1])
    _, stderr = rewrite.communicate(timeout=600)
    assert rewrite.returncode == 1 and len(stderr.strip().splitlines()) == 1 and "does not answer" in stderr, stderr
    servers.start(cluster.nodes[1])  # its binlog replays every acknowledged write
    again = searchkit_command("index", str(tmp_path / "news"), "--index", str(index))
    assert again.returncode == 0, again.stderr
    with searchkit.Archive(index) as archive:
        hits = [hit.id for hit in archive.stream("ministers OR officials", snippets=False, expand_duplicates=True)]
        assert len(hits) == len(set(hits)) == files * per_file == len(archive)
        assert archive.search("officials").total == 0


def test_a_server_that_is_not_there_is_one_line_and_exit_1(tmp_path):
    require_searchd()
    port = servers._free_ports(1)[0][0]
    result = searchkit_command("index", str(CORPUS), "--index", str(tmp_path / "index"), "--engine",
                               f"sphinxql://127.0.0.1:{port}")
    assert result.returncode == 1
    assert result.stderr.strip() == f"searchkit: the sphinxql server at 127.0.0.1:{port} does not answer ([Errno 111] Connection refused)"
    assert not (tmp_path / "index" / "searchkit.json").exists()


def test_dates_before_1970_and_after_2038_filter_sort_and_facet(cluster, tmp_path):
    dates = ["1963-11-22", "1969-07-20", "1999-12-31", "2038-01-20", "2061-07-28"]
    path = tmp_path / "dates.jsonl"
    path.write_bytes(b"".join(orjson.dumps({"id": day, "title": f"Report of {day}", "body": f"An eclipse report, {day}.",
                                            "published": f"{day}T12:00:00"}) + b"\n" for day in dates))
    archive = searchkit.Archive(tmp_path / "index", engine=cluster.url)
    archive.index([path])
    assert [hit.id for hit in archive.search("eclipse", sort="oldest").hits] == dates
    assert {hit.id for hit in archive.search("eclipse", until="1969-12-31").hits} == set(dates[:2])
    assert {hit.id for hit in archive.search("date:[2038-01 TO 2061-07-28]").hits} == set(dates[3:])
    assert {hit.id for hit in archive.search("eclipse", since="2038-01-20").hits} == set(dates[3:])
    years = archive.search("eclipse", facets=["year"]).facets["year"]
    assert years == [{"value": day[:4], "count": 1} for day in dates]
    assert archive.stats().first_published == "1963-11-22T12:00:00"
    archive.close()


def test_the_cluster_command_inits_starts_reports_and_stops(tmp_path):
    require_searchd()
    folder = tmp_path / "local"
    runner = CliRunner()
    made = runner.invoke(app, ["cluster", "init", "2", str(folder), "--port", "0"])
    assert made.exit_code == 0 and "searchkit index FOLDER --engine sphinxql://127.0.0.1:" in made.stdout
    assert runner.invoke(app, ["cluster", "init", "2", str(folder)]).exit_code == 1  # already there
    try:
        assert runner.invoke(app, ["cluster", "start", str(folder)]).exit_code == 0
        url = servers.load(folder).url
        indexed = runner.invoke(app, ["index", str(CORPUS), "--index", str(tmp_path / "index"), "--engine", url])
        assert indexed.exit_code == 0, indexed.stderr
        status = runner.invoke(app, ["cluster", "status", str(folder)])
        assert status.exit_code == 0 and status.stdout.count("up on 127.0.0.1") == 2
        held = sum(int(part.split(" holds ")[1].split()[0]) for part in status.stdout.split(", ") if " holds " in part)
        assert held == len(searchkit.Archive(tmp_path / "index"))
        # An index folder remembers its engine: later commands need no flag.
        assert runner.invoke(app, ["query", "ceasefire", "--index", str(tmp_path / "index"), "--json"]).exit_code == 0
        taken = runner.invoke(app, ["index", str(CORPUS), "--index", str(tmp_path / "other"), "--engine", url])
        assert taken.exit_code == 1 and "every archive of the cluster" in taken.stderr
    finally:
        stopped = runner.invoke(app, ["cluster", "stop", str(folder)])
    assert stopped.exit_code == 0 and stopped.stdout.count("stopped") == 2
    down = runner.invoke(app, ["cluster", "status", str(folder)])
    assert down.exit_code == 1 and down.stdout.count("not answering") == 2


# Boolean and filter queries: every one must find as many articles, counted alike, on both engines.
# (Proximity is each engine's own: an ordered chain in Whoosh, an unordered window in Sphinx.)
REUTERS_QUERIES = [
    ("oil", {}), ("oil AND price", {}), ("oil OR gold", {}), ("oil NOT opec", {}), ("oil -price", {}),
    ('"crude oil"', {}), ('"interest rates" AND dollar', {}), ("title:wheat", {}), ("+coffee +(brazil OR colombia)", {}),
    ("(sugar OR cocoa) AND NOT tag:sugar", {}), ("export*", {}), ("petrolium~2", {}), ("date:1987-03", {}),
    ("grain date:[1987-03-01 TO 1987-03-15]", {}), ("bank", {"since": "1987-04-01"}), ("bank", {"until": "1987-03-05"}),
    ("profit", {"filters": {"place": ["usa"]}}), ("*", {"filters": {"tag": ["earn", "acq"]}}), ("tag:crude", {}),
    ("-the", {"filters": {"place": ["japan"]}}), ("shares lang:en", {}), ("ship*", {"filters": {"tag": ["ship"]}}),
]


def counts(facet: list[dict]) -> dict[str, int]:
    return {item["value"]: item["count"] for item in facet}


def test_reuters_totals_and_facet_counts_are_the_whoosh_backends(tmp_path):
    require_searchd()
    data = shared_path("data", "reuters21578")
    made = start_cluster(tmp_path / "cluster", shards=2, archives=1)
    try:
        whoosh = searchkit.Archive(tmp_path / "whoosh", engine="whoosh")
        sphinx = searchkit.Archive(tmp_path / "sphinx", engine=made.url)
        for archive in (whoosh, sphinx):
            archive.index(sorted(data.glob("reut2-*.sgm*")))
        assert len(whoosh) == len(sphinx) > 20_000
        for query, options in REUTERS_QUERIES:
            asked = dict(options, facets=["tag", "place", "month"], facet_limit=1000, limit=1, snippets=False)
            one, two = whoosh.search(query, **asked), sphinx.search(query, **asked)
            assert one.total == two.total > 0, query
            for name in asked["facets"]:  # (values counted alike tie in either order)
                assert counts(one.facets[name]) == counts(two.facets[name]), (query, name)
        whoosh.close()
        sphinx.close()
    finally:
        stop_cluster(made)


def test_engine_addresses_are_read_or_explained():
    from searchkit.backends.sphinxql.connection import Address, parse_url
    from searchkit.errors import SearchkitError

    assert parse_url("sphinxql://10.0.0.5:9306").head == Address("10.0.0.5", 9306)
    located = parse_url("sphinxql://head/news?shards=a:9306,b:9310")
    assert (located.head, located.name, located.shards) == (Address("head", 9306), "news",
                                                            (Address("a", 9306), Address("b", 9310)))
    for bad in ("sphinxql://", "mysql://h:1", "sphinxql://h:port", "sphinxql://h:1/a-b", "sphinxql://h/x?shards=a"):
        with pytest.raises(SearchkitError):
            parse_url(bad)


def test_a_head_restarted_between_searches_is_reconnected(cluster, tmp_path):
    archive = searchkit.Archive(tmp_path / "index", engine=cluster.url)
    archive.index([CORPUS])
    before = archive.search("ceasefire").total
    servers.stop(cluster.nodes[0])
    servers.start(cluster.nodes[0])
    assert archive.search("ceasefire").total == before > 0
    archive.close()


def test_file_states_kept_in_parts_are_read_back_and_a_half_written_one_is_read_again(cluster, tmp_path, monkeypatch):
    from searchkit.backends.sphinxql import backend
    from sphinx_fixture import sql

    monkeypatch.setattr(backend, "STATE_PART", 100)  # a file's state in many parts (1 MB each in use)
    path = tmp_path / "export.jsonl"
    records = [{"id": f"story-{n}", "title": f"Story {n}", "body": f"Harbour report number {n}."} for n in range(30)]
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    archive = searchkit.Archive(tmp_path / "index", engine=cluster.url)
    assert archive.index([path]).added == 30
    head = cluster.nodes[0]

    def parts() -> int:
        return len(sql(head, "SELECT id FROM articles_state WHERE kind = 1 LIMIT 1000"))

    many = parts()
    assert many > 3 and archive.index([path]).files_unchanged == 1
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records[:3]))
    assert archive.index([path]).removed == 27
    # No part of the longer state is left (a part of another digest would make the state unreadable).
    assert parts() < many and archive.index([path]).files_unchanged == 1
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    archive.index([path])
    sql(head, f"DELETE FROM articles_state WHERE id = {backend.file_row_id(str(path.resolve()), 2)}")  # as a crash would
    report = archive.index([path])
    assert report.files_unchanged == 0 and report.added == 30 and len(archive) == 30  # read again, held once
    archive.close()
