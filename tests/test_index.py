"""Indexing: incremental re-runs, per-file errors that cost nothing else, and index versions."""

from __future__ import annotations

import os
import shutil

import orjson
import pytest

import searchkit
from conftest import CORPUS_SIZE, SEED
from searchkit.errors import IndexNotFound, SearchkitError

pytestmark = pytest.mark.usefixtures("engine")  # behaviour tests: every backend runs them


def test_first_run_adds_and_second_run_does_no_work(tmp_path, corpus):
    archive = searchkit.Archive(tmp_path / "index")
    first = archive.index([corpus])
    assert (first.files, first.added, first.errors) == (CORPUS_SIZE, CORPUS_SIZE, [])
    second = archive.index([corpus])
    assert (second.files_unchanged, second.unchanged, second.added, second.updated) == (CORPUS_SIZE, CORPUS_SIZE, 0, 0)
    assert len(archive) == CORPUS_SIZE


def test_changed_file_is_reread_and_its_article_replaced(archive, corpus):
    path = corpus / "wire-wheat-prices.txt"
    path.write_text(path.read_text().replace("Wheat prices jump", "Wheat prices soar"))
    report = archive.index([corpus])
    assert (report.updated, report.files_unchanged, report.added) == (1, CORPUS_SIZE - 1, 0)
    assert len(archive) == CORPUS_SIZE
    assert archive.search("soar").hits[0].title.startswith("Wheat prices soar")
    assert archive.search('title:"prices jump"').total == 0


def test_records_a_changed_file_no_longer_holds_are_removed(tmp_path):
    path = tmp_path / "export.jsonl"
    lines = [orjson.dumps({"title": f"Story {n}", "body": f"Text {n}.", "url": f"https://x.org/{n}"}) for n in range(3)]
    path.write_bytes(b"\n".join(lines))
    archive = searchkit.Archive(tmp_path / "index")
    assert archive.index([path]).added == 3
    path.write_bytes(lines[0])
    report = archive.index([path])
    assert (report.updated, report.removed) == (1, 2)
    assert [hit.title for hit in archive.search("story").hits] == ["Story 0"]


def test_a_collections_own_papers_are_not_indexed_unless_named(tmp_path, corpus):
    (corpus / "PROVENANCE.txt").write_text(
        "The Zorbleton wire archive was gathered from the agency's own tapes in 1987 and is shared here, "
        "without a stated licence, as the SGML files the agency wrote.\n"
    )
    (corpus / "README.md.txt").write_text("How the Zorbleton folder came together.\n")
    archive = searchkit.Archive(tmp_path / "index")
    assert archive.index([corpus]).files == CORPUS_SIZE
    assert archive.search("zorbleton").total == 0
    assert archive.index([corpus / "PROVENANCE.txt"]).added == 1
    assert archive.search("zorbleton").total == 1


def test_bad_files_are_reported_and_every_other_file_is_indexed(tmp_path, corpus):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.json").write_bytes(b"\x00\x01\x02\x03" * 100)
    (corpus / "broken.jsonl").write_bytes(b'{"title": "Good line", "body": "Fine."}\n{"title": oops}\n')
    locked = corpus / "locked.txt"
    shutil.copy(SEED, locked)
    locked.chmod(0)
    archive = searchkit.Archive(tmp_path / "index")
    report = archive.index([corpus])
    reasons = {os.path.basename(problem.path): problem.reasons[0] for problem in report.errors}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.json"] == "binary file, not text"
    assert reasons["broken.jsonl"].startswith("line 2: invalid JSON")
    if os.geteuid() != 0:  # root reads every file whatever its mode
        assert reasons["locked.txt"] == "Permission denied"
    assert report.added >= 5
    assert archive.search('title:"good line"').total == 1


def test_a_run_that_fails_leaves_the_previous_index_readable(tmp_path, corpus, monkeypatch):
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([corpus])
    (corpus / "new.jsonl").write_bytes(b'{"title": "Brand new story", "body": "Text."}\n')

    def crash(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("searchkit.backends.whoosh.backend.to_document", crash)
    monkeypatch.setattr("searchkit.backends.sphinxql.backend.to_row", crash)
    with pytest.raises(RuntimeError):
        archive.index([corpus])
    monkeypatch.undo()
    reopened = searchkit.Archive(tmp_path / "index")
    assert len(reopened) == CORPUS_SIZE
    assert reopened.search('title:"brand new story"').total == 0
    assert reopened.index([corpus]).added == 1


def test_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SearchkitError, match="no files searchkit reads"):
        searchkit.Archive(tmp_path / "index").index([tmp_path / "empty"])


def test_searching_a_missing_index_says_how_to_make_one(tmp_path):
    with pytest.raises(IndexNotFound, match="searchkit index"):
        searchkit.Archive(tmp_path / "nowhere").search("x")


def test_index_from_another_schema_version_is_refused(archive):
    (archive.path / "searchkit.json").write_bytes(b'{"schema_version": 0}')
    with pytest.raises(SearchkitError, match="incompatible"):
        searchkit.Archive(archive.path).search("x")


def test_get_returns_the_whole_record(archive):
    hit = archive.search("al-Bab ceasefire").hits[0]
    article = archive.get(hit.id)
    assert len(article.comments) == 7 and article.comments[1].author == "Mikhas"
    with pytest.raises(KeyError):
        archive.get("no-such-id")
