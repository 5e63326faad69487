"""Incremental runs: every way a file can change, with every article found exactly once after each run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest

import searchkit

pytestmark = pytest.mark.usefixtures("engine")  # behaviour tests: every backend runs them

WORDS = ["amber", "basalt", "cobalt", "dune", "ember", "fjord", "garnet", "harbor", "indigo", "jasper"]


def story(word: str) -> dict:
    """A record without id or URL (its id comes from its file and position), marked by one word."""
    return {"title": f"The {word} report", "body": f"Officials discussed the {word} question at length. " * 5}


def write_lines(path: Path, words: list[str]) -> None:
    path.write_bytes(b"".join(orjson.dumps(story(word)) + b"\n" for word in words))


def write_text(path: Path, word: str) -> None:
    path.write_text(f"The {word} report\n\n" + f"Officials discussed the {word} question at length. " * 5 + "\n")


def holdings(archive: searchkit.Archive) -> dict[str, int]:
    """How many articles hold each marker word (every article holds exactly one)."""
    return {word: archive.search(word, expand_duplicates=True, snippets=False).total for word in WORDS}


def assert_holds(archive: searchkit.Archive, words: list[str]) -> None:
    held = holdings(archive)
    assert {word: held[word] for word in WORDS if held[word]} == dict.fromkeys(words, 1)
    assert len(archive) == len(words)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    write_lines(folder / "a.jsonl", ["amber", "basalt"])
    write_text(folder / "b.txt", "cobalt")
    write_lines(folder / "c.jsonl", ["dune"])
    return folder


@pytest.fixture
def archive(tmp_path: Path, folder: Path) -> searchkit.Archive:
    archive = searchkit.Archive(tmp_path / "index")
    report = archive.index([folder])
    assert (report.added, report.duplicates) == (4, 0)
    yield archive
    archive.close()


def test_appending_a_record_keeps_the_records_before_it(archive, folder):
    write_lines(folder / "a.jsonl", ["amber", "basalt", "ember"])
    report = archive.index([folder])
    assert (report.added, report.updated, report.removed, report.duplicates) == (1, 2, 0, 0)
    assert_holds(archive, ["amber", "basalt", "cobalt", "dune", "ember"])


def test_a_file_of_one_record_grown_to_two_keeps_the_first(tmp_path):
    path = tmp_path / "export.jsonl"
    write_lines(path, ["amber"])
    archive = searchkit.Archive(tmp_path / "index")
    first = archive.index([path]).added
    write_lines(path, ["amber", "basalt"])
    report = archive.index([path])
    assert first == 1 and (report.added, report.removed, report.duplicates) == (1, 0, 0)
    assert_holds(archive, ["amber", "basalt"])


def test_editing_a_record_replaces_it(archive, folder):
    write_lines(folder / "a.jsonl", ["amber", "fjord"])
    report = archive.index([folder])
    assert (report.added, report.updated, report.removed) == (0, 2, 0)
    assert_holds(archive, ["amber", "fjord", "cobalt", "dune"])


def test_truncating_a_file_removes_its_lost_records(archive, folder):
    write_lines(folder / "a.jsonl", ["amber"])
    report = archive.index([folder])
    assert (report.removed, report.added) == (1, 0)
    assert_holds(archive, ["amber", "cobalt", "dune"])


def test_a_renamed_file_is_held_once_with_or_without_prune(archive, folder):
    (folder / "b.txt").rename(folder / "b-renamed.txt")
    report = archive.index([folder])
    assert (report.added, report.duplicates, report.removed) == (0, 1, 0)  # the old copy stays
    assert_holds(archive, ["amber", "basalt", "cobalt", "dune"])
    report = archive.index([folder], prune=True)  # the old copy goes: the renamed file gives it again
    assert (report.removed, report.added) == (1, 1)
    assert_holds(archive, ["amber", "basalt", "cobalt", "dune"])
    assert archive.index([folder], prune=True).added == 0


def test_a_renamed_file_pruned_in_the_same_run_is_held_once(archive, folder):
    (folder / "b.txt").rename(folder / "b-renamed.txt")
    report = archive.index([folder], prune=True)
    assert (report.removed, report.added, report.duplicates) == (1, 1, 0)
    assert_holds(archive, ["amber", "basalt", "cobalt", "dune"])


@pytest.mark.parametrize("source, target", [("a.jsonl", "c.jsonl"), ("c.jsonl", "a.jsonl")])
def test_a_record_moved_to_another_file_is_held_once(tmp_path, source, target):
    folder = tmp_path / "news"
    folder.mkdir()
    words = {"a.jsonl": ["amber", "basalt"], "c.jsonl": ["dune", "ember"]}
    for name, chosen in words.items():
        write_lines(folder / name, chosen)
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([folder])
    moved = words[source].pop()
    words[target].append(moved)  # the record leaves one file and joins the other, read earlier or later
    for name, chosen in words.items():
        write_lines(folder / name, chosen)
    archive.index([folder])
    assert_holds(archive, ["amber", "basalt", "dune", "ember"])


def test_a_deleted_file_keeps_its_articles_until_pruned(archive, folder):
    (folder / "c.jsonl").unlink()
    assert archive.index([folder]).removed == 0
    assert_holds(archive, ["amber", "basalt", "cobalt", "dune"])
    assert archive.index([folder], prune=True).removed == 1
    assert_holds(archive, ["amber", "basalt", "cobalt"])


def test_a_copy_skipped_as_a_duplicate_comes_back_when_the_original_goes(archive, folder):
    shutil.copy(folder / "b.txt", folder / "copy-of-b.txt")
    assert archive.index([folder]).duplicates == 1
    write_text(folder / "b.txt", "garnet")  # the original changes: the copy now holds the only "cobalt"
    report = archive.index([folder])
    assert (report.updated, report.added) == (1, 1)
    assert_holds(archive, ["amber", "basalt", "cobalt", "dune", "garnet"])


@pytest.mark.parametrize("engine", ["whoosh"], indirect=True)  # Whoosh's hidden documents
def test_rerunning_unchanged_files_changes_nothing_even_when_two_share_an_id(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("one.jsonl", "two.jsonl"):  # two pages with one canonical URL
        (folder / name).write_bytes(orjson.dumps({**story("amber"), "url": "https://example.org/x"}) + b"\n")
    archive = searchkit.Archive(tmp_path / "index")
    assert archive.index([folder]).added == 1
    documents = archive._backend.ix.doc_count_all()
    for _ in range(2):
        report = archive.index([folder])
        assert (report.added, report.updated, report.removed, report.files_unchanged) == (0, 0, 0, 2)
    assert archive._backend.ix.doc_count_all() == documents and len(archive) == 1


def test_the_same_folder_through_a_symlink_is_one_folder(archive, tmp_path, folder):
    (tmp_path / "link").symlink_to(folder)
    report = archive.index([tmp_path / "link", folder])
    assert (report.files, report.files_unchanged, report.added) == (3, 3, 0)
    assert_holds(archive, ["amber", "basalt", "cobalt", "dune"])


def test_ids_survive_moving_the_archive_and_editing_its_files(archive, folder, tmp_path):
    before = {hit.title: hit.id for hit in archive.stream("officials", snippets=False)}
    moved = tmp_path / "elsewhere" / "news"
    shutil.copytree(folder, moved)
    other = searchkit.Archive(tmp_path / "other-index")
    other.index([moved])
    write_text(moved / "b.txt", "cobalt")  # rewritten, same text: same bytes
    (moved / "b.txt").write_text((moved / "b.txt").read_text() + "\nA line added.\n")
    other.index([moved])
    assert {hit.title: hit.id for hit in other.stream("officials", snippets=False)} == before


def test_files_that_are_not_regular_are_passed_over(archive, folder):
    os.mkfifo(folder / "pipe.txt")
    report = archive.index([folder])
    assert [(Path(path).name, reason) for path, reason in report.passed_over] == [
        ("pipe.txt", "not a regular file (a FIFO, device or socket)")]
    assert_holds(archive, ["amber", "basalt", "cobalt", "dune"])


def test_symlinks_out_of_the_folder_are_not_followed_unless_named(archive, folder, tmp_path):
    outside = tmp_path / "private.txt"
    write_text(outside, "indigo")
    (folder / "link.txt").symlink_to(outside)
    report = archive.index([folder])
    assert [Path(path).name for path, _ in report.passed_over] == ["link.txt"] and report.added == 0
    assert archive.index([folder / "link.txt"]).added == 1  # named explicitly: read
    assert holdings(archive)["indigo"] == 1


def test_a_file_name_that_is_not_utf8_is_indexed_and_shown_escaped(archive, folder):
    name = os.fsdecode(b"caf\xe9.txt")
    write_text(folder / name, "jasper")
    report = archive.index([folder])
    assert report.added == 1 and not report.errors
    hit = archive.search("jasper").hits[0]
    assert archive.get(hit.id).path == "news/caf\\xe9.txt"
    assert archive.index([folder]).files_unchanged == 4


def test_the_index_folder_is_never_read_as_input(tmp_path, folder):
    for named in ([folder], sorted(folder.iterdir())[:1]):  # the folder, or one of its files
        with pytest.raises(searchkit.SearchkitError, match="holds files of articles .*a folder of its own"):
            searchkit.Archive(folder).index(named)
    assert not (folder / "searchkit.json").exists()  # refused before anything was written
    inside = searchkit.Archive(folder / "index")  # an index kept inside the folder it indexes
    assert inside.index([folder]).added == 4
    report = inside.index([folder])
    assert (report.files, report.files_unchanged, report.errors) == (3, 3, [])


def test_workers_are_capped_by_files_and_cores(tmp_path, folder, monkeypatch):
    from searchkit.ingest import pipeline

    started = []
    real_start = pipeline.start
    monkeypatch.setattr(pipeline, "start", lambda count: started.append(count) or real_start(count))
    archive = searchkit.Archive(tmp_path / "capped")
    assert archive.index([folder], workers=100_000).added == 4
    assert all(count <= min(3, os.cpu_count()) for count in started)
