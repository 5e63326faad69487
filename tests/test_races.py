"""Searches while an indexing run commits, merges and deletes segment files, and while the index
folder is deleted: answers from a commit, or one clear line, never a failure."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import searchkit
from conftest import write_news_files

pytestmark = pytest.mark.usefixtures("engine")  # behaviour tests: every backend runs them


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "searchkit", *args], capture_output=True, text=True, timeout=120)


def start_indexing(folder: Path, index: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "searchkit", "index", str(folder), "--index", str(index), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def library_round(archive: searchkit.Archive) -> None:
    """What a program does with an archive: search with facets, read hits, stream, stats."""
    results = archive.search("ceasefire OR harvest OR strike OR election", facets=["tag", "year"], limit=20,
                             sort="newest")
    assert results.total >= 20 and results.facets["tag"]
    for hit in results.hits:
        assert archive.get(hit.id).id == hit.id
    streamed = [hit.id for hit in archive.stream("officials", snippets=False, expand_duplicates=True)]
    assert len(streamed) == len(set(streamed)) >= 20
    assert archive.stats().articles >= 20


def test_searches_never_fail_while_a_run_commits_and_merges(tmp_path):
    """A run committing every 20 articles makes a commit per file and a merge every ten, each
    deleting the files of merged segments; searches from a long-lived Archive and from the CLI
    run all the while, until the run ends."""
    folder = tmp_path / "news"
    written = write_news_files(folder, files=120, per_file=20)
    index = tmp_path / "index"
    searchkit.Archive(index).index([folder / "batch-000.jsonl"])
    run = start_indexing(folder, index, "--commit-every", "20")
    failures: list[str] = []
    rounds = commands = 0
    with searchkit.Archive(index) as archive:
        while run.poll() is None:
            try:
                library_round(archive)
            except Exception as error:  # noqa: BLE001 (every failure is counted, then shown)
                failures.append(f"library: {error!r}")
            rounds += 1
            if rounds % 2 == 0:
                for command in (["query", "strike OR election", "--facet", "source"], ["stats"], ["query", "*", "--all"]):
                    done = cli(*command, "--index", str(index))
                    commands += 1
                    if done.returncode != 0 or done.stderr:
                        failures.append(f"{command[0]}: exit {done.returncode}: {done.stderr[-600:]}")
    _, stderr = run.communicate()
    assert run.returncode == 0, stderr
    assert failures == []
    assert rounds >= 3 and commands >= 3  # the loop did run alongside the commits
    with searchkit.Archive(index) as archive:
        assert len(archive) == sum(written.values())


def test_a_stream_keeps_answering_from_its_commit_when_the_folder_is_deleted(tmp_path, corpus):
    index = tmp_path / "index"
    archive = searchkit.Archive(index)
    archive.index([corpus])
    expected = [hit.id for hit in archive.stream("the OR a", snippets=False)]
    stream = archive.stream("the OR a", snippets=False)
    first = next(stream)
    shutil.rmtree(index)
    assert [first.id, *(hit.id for hit in stream)] == expected
    with pytest.raises(searchkit.IndexNotFound, match="was removed"):
        archive.search("harbour")
    archive.close()


def test_searching_a_deleted_index_folder_says_so(tmp_path, corpus):
    index = tmp_path / "index"
    searchkit.Archive(index).index([corpus])
    archive = searchkit.Archive(index)
    assert archive.search("harbour").total
    shutil.rmtree(index)
    with pytest.raises(searchkit.IndexNotFound):
        archive.search("harbour")
    with pytest.raises(searchkit.IndexNotFound):
        archive.stats()
    archive.close()
    for command in (["query", "harbour"], ["stats"], ["show", "x"]):
        done = cli(*command, "--index", str(index))
        assert done.returncode == 1 and done.stderr.startswith("searchkit: no index at") and done.stderr.count("\n") == 1


def test_searches_during_and_after_sigkills_of_a_first_run_never_fail(tmp_path):
    """The held-out kill test's reading side: a first run (worker processes) killed with SIGKILL
    at several points, searched while it runs and after each kill, then finished by a re-run."""
    folder = tmp_path / "news"
    written = write_news_files(folder, files=30, per_file=40)
    index = tmp_path / "index"
    failures: list[str] = []
    for commits_before_kill in (0, 1, 3):
        run = start_indexing(folder, index, "--commit-every", "40")
        seen = -1
        while run.poll() is None:
            done = cli("stats", "--json", "--index", str(index))
            if done.returncode == 1 and "no index at" in done.stderr:
                continue  # not created yet
            if done.returncode != 0 or done.stderr:
                failures.append(done.stderr)
                break
            seen = int(done.stdout.split('"articles":')[1].split(",")[0])
            if seen >= commits_before_kill * 40:
                run.send_signal(signal.SIGKILL)
                break
        run.communicate()
        for command in (["query", "officials", "--facet", "tag"], ["stats"]):
            done = cli(*command, "--index", str(index))
            if (index / "searchkit.json").exists() and (done.returncode != 0 or done.stderr):
                failures.append(done.stderr)
    run = start_indexing(folder, index)
    _, stderr = run.communicate()
    assert run.returncode == 0, stderr
    assert failures == []
    with searchkit.Archive(index) as archive:
        assert len(archive) == sum(written.values())


def test_a_stream_keeps_answering_from_its_commit_when_the_archive_moves_to_a_newer_one(tmp_path):
    folder = tmp_path / "news"
    write_news_files(folder, files=3, per_file=40)
    index = tmp_path / "index"
    archive = searchkit.Archive(index)
    archive.index([folder / "batch-000.jsonl"])
    expected = [hit.id for hit in archive.stream("officials", snippets=False, expand_duplicates=True)]
    stream = archive.stream("officials", snippets=False, expand_duplicates=True)
    first = next(stream)
    archive.index([folder])  # a newer commit (two more files: a merge of nothing yet, new segments)
    assert archive.search("officials", limit=200).total == 120  # the archive moves to it...
    assert [first.id, *(hit.id for hit in stream)] == expected  # ...while the stream reads its own
    archive.close()
