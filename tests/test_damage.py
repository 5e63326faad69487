"""A damaged index is refused with one clear line, never read into different answers.

Every kind of file of a real index (two segments and a TOC) is truncated, zeroed, flipped or
deleted, in a copy that keeps the files' times (as a backup restored with them would), and the
index is then searched from the library and the command line and indexed again: each time it is
refused with "the index at ... is damaged ...: rebuild it", or (if the damage changed nothing
it reads) it answers exactly as before. Never a traceback, never other answers with exit 0,
never an article stored twice.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import searchkit
from conftest import CORPUS, write_news_files

QUERIES = ["harbour OR ceasefire OR wheat", "officials", 'title:"ceasefire"', "strike date:2017"]
MODES = ["truncate-half", "truncate-empty", "zero-middle", "flip-first", "flip-middle", "flip-last", "delete"]
SEGMENT_FILE = re.compile(r"MAIN_[0-9a-z]+(\..+)")


def kind_of(name: str) -> str:
    """A file's kind: what follows its segment's id (``.trm``, ``._body_len.col``...), or its name."""
    found = SEGMENT_FILE.fullmatch(name)
    if found:
        return found[1]
    return "toc" if name.endswith(".toc") else name


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """An index of two segments: the sample corpus, then generated news."""
    folder = tmp_path_factory.mktemp("damage")
    write_news_files(folder / "news", files=2, per_file=30)
    index = folder / "index"
    with searchkit.Archive(index) as archive:
        archive.index([CORPUS])
        archive.index([folder / "news"])
    return index


def kinds(index: Path) -> dict[str, str]:
    """For each kind of file of the index, the name of its largest (a segment's postings file is
    empty when every term's postings fit in the term table)."""
    found: dict[str, str] = {}
    for name in sorted(os.listdir(index), key=lambda name: (index / name).stat().st_size):
        if name != "WRITELOCK" and not name.startswith("."):
            found[kind_of(name)] = name
    return found


def answers(index: Path) -> dict:
    """Everything a reader gets from the index: hits, facets, records, stats, similar stories."""
    with searchkit.Archive(index) as archive:
        results = {q: archive.search(q, facets=["tag", "source", "year"], limit=50).to_dict() for q in QUERIES}
        ids = sorted({hit["id"] for result in results.values() for hit in result["hits"]})
        stats = archive.stats().to_dict()
        del stats["size_bytes"], stats["path"]
        return {
            "results": results,
            "records": [archive.get(article_id).to_dict() for article_id in ids],
            "similar": [archive.similar(article_id, limit=3).to_dict() for article_id in ids[:5]],
            "stats": stats,
            "stream": [hit.id for hit in archive.stream("the OR officials", snippets=False, expand_duplicates=True)],
        }


def damage(path: Path, mode: str) -> None:
    data = path.read_bytes()
    middle = len(data) // 2
    if mode == "delete":
        path.unlink()
    elif mode.startswith("truncate"):
        path.write_bytes(data[:middle] if mode == "truncate-half" else b"")
    elif mode == "zero-middle":
        path.write_bytes(data[:middle] + bytes(min(64, len(data) - middle)) + data[middle + 64:])
    elif data:
        at = {"flip-first": 0, "flip-middle": middle, "flip-last": len(data) - 1}[mode]
        path.write_bytes(data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:])


def damaged_copy(pristine: Path, folder: Path, kind: str, mode: str) -> Path:
    index = folder / "index"
    shutil.copytree(pristine, index)  # (copy2: the files keep their times)
    damage(index / kinds(pristine)[kind], mode)
    return index


# What a refusal says: damaged or incompatible (rebuild it), or no index there at all.
REFUSAL = re.compile(r"is damaged \(.+\)[:;] rebuild it|incompatible searchkit .*rebuild it|^no index at ")


@pytest.fixture(scope="module")
def expected(pristine) -> dict:
    return answers(pristine)


def test_every_kind_of_file_is_covered(pristine):
    found = kinds(pristine)
    for kind in (".trm", ".pst", "._stored.col", "._body_len.col", ".id.col", ".signature.col", ".published.col",
                 ".facet_tag.col", "toc", "searchkit.json"):
        assert kind in found, found
    assert len({name.split(".")[0] for name in os.listdir(pristine) if SEGMENT_FILE.fullmatch(name)}) == 2


@pytest.mark.parametrize("mode", MODES)
def test_damage_to_any_file_is_refused_or_changes_nothing(pristine, expected, tmp_path, mode):
    for number, kind in enumerate(sorted(kinds(pristine))):
        index = damaged_copy(pristine, tmp_path / str(number), kind, mode)
        try:
            got = answers(index)
        except searchkit.SearchkitError as error:
            assert REFUSAL.search(str(error)), (kind, mode, str(error))
            if kind not in ("searchkit.json", "toc"):
                assert "is damaged" in str(error) and kinds(pristine)[kind] in str(error), (kind, mode, str(error))
            continue
        assert got == expected, (kind, mode)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "searchkit", *args], capture_output=True, text=True, timeout=120)


def test_the_cli_refuses_a_damaged_index_and_a_rerun_never_stores_twice(pristine, tmp_path):
    """Each kind of file (one way of damaging it each, in turn), through the command line: a
    query and stats, then a re-run of ``index`` over the same files."""
    commands = [["query", QUERIES[0], "--json", "--facet", "tag"], ["stats", "--json"]]
    before = [cli(*command, "--index", str(pristine)).stdout for command in commands]
    for number, kind in enumerate(sorted(kinds(pristine))):
        mode = MODES[number % len(MODES)]
        index = damaged_copy(pristine, tmp_path / str(number), kind, mode)
        for command, expected in zip(commands, before):
            after = cli(*command, "--index", str(index))
            assert "Traceback" not in after.stderr, (kind, mode, after.stderr)
            if after.returncode == 0:
                assert without_place(after.stdout) == without_place(expected), (kind, mode)
            else:
                assert after.returncode == 1 and after.stderr.count("\n") == 1, (kind, mode, after.stderr)
                assert REFUSAL.search(after.stderr.removeprefix("searchkit: ")), (kind, mode, after.stderr)
        rerun = cli("index", str(CORPUS), str(pristine.parent / "news"), "--index", str(index))
        assert "Traceback" not in rerun.stderr, (kind, mode, rerun.stderr)
        if rerun.returncode == 0:
            with searchkit.Archive(index) as archive:
                ids = [hit.id for hit in archive.stream("*", snippets=False, expand_duplicates=True)]
                assert len(ids) == len(set(ids)) == len(archive) == 65, (kind, mode)
        else:
            assert rerun.returncode == 1 and re.search(r"rebuild|did not make", rerun.stderr), (kind, mode, rerun.stderr)


def without_place(output: str) -> str:
    """A command's output without where the index is and its size on disk (a copy's own)."""
    return re.sub(r'"(size_bytes|path)":[^,]*,', "", output)


def test_check_reads_every_file_and_finds_damage_that_kept_size_and_time(pristine, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    done = cli("check", "--index", str(index))
    assert done.returncode == 0 and "is sound: 65 articles" in done.stdout, done.stderr
    name = kinds(pristine)["._stored.col"]
    path = index / name
    times = os.stat(path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))  # as bit rot would: same size, same time
    done = cli("check", "--index", str(index))
    assert done.returncode == 1 and "is damaged" in done.stderr and name in done.stderr
    assert done.stderr.count("\n") == 1


def test_a_toc_cut_short_by_a_kill_is_never_read_and_goes_at_the_next_commit(tmp_path, corpus):
    index = tmp_path / "index"
    with searchkit.Archive(index) as archive:
        archive.index([corpus])
        total = len(archive)
    unfinished = index / "._MAIN_7.toc.12345"  # what a run killed while writing its TOC leaves
    unfinished.write_bytes(b"\x01\x02")
    with searchkit.Archive(index) as archive:
        assert len(archive) == total
        (corpus / "new.txt").write_text("A new story\n\nThe harbour reopened on Monday after the storm had passed.\n")
        archive.index([corpus])
        assert len(archive) == total + 1
    assert not unfinished.exists()
