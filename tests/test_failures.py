"""Failures around indexing and searching: a full disk (while writing segments, spill files, the
table of contents, the index's marker), a read-only index, an index path naming a file, a date
out of range, a worker process killed, arguments of the wrong type. Each gets one clear line (in
the library: an error naming what went wrong), never a traceback, and the index is intact after
it: it holds what it held, every file checks, and a re-run completes it."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

import searchkit
from conftest import CORPUS, CORPUS_SIZE, write_news_files
from searchkit.backends.whoosh import store
from searchkit.ingest import spill

NEWS_FILES, PER_FILE = 4, 30


def cli(*args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    """A searchkit command; ``limit`` caps the size of any file it writes (RLIMIT_FSIZE)."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([sys.executable, "-m", "searchkit", *args], capture_output=True, text=True, timeout=300,
                          preexec_fn=cap if limit is not None else None)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def one_line(done: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert done.returncode == code and done.stderr.count("\n") == 1 and done.stderr.startswith("searchkit: "), \
        (done.returncode, done.stderr)
    assert all(word in done.stderr for word in words), done.stderr


def assert_intact(index: Path, articles: int) -> None:
    """The index holds ``articles`` articles, each once, and every one of its files checks."""
    with searchkit.Archive(index) as archive:
        archive.check()
        ids = [hit.id for hit in archive.stream("*", snippets=False, expand_duplicates=True)]
        assert len(archive) == len(ids) == len(set(ids)) == articles


@pytest.fixture
def news(tmp_path) -> Path:
    write_news_files(tmp_path / "news", files=NEWS_FILES, per_file=PER_FILE)
    return tmp_path / "news"


@pytest.fixture
def corpus_index(tmp_path) -> Path:
    index = tmp_path / "index"
    with searchkit.Archive(index) as archive:
        archive.index([CORPUS], workers=1)
    return index


class FullFile:
    """A file being written on a disk that fills up after ``room`` bytes."""

    def __init__(self, file, room: int) -> None:
        self._file, self._room = file, room

    def write(self, data) -> int:
        self._room -= len(data)
        if self._room < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), getattr(self._file, "name", None))
        return self._file.write(data)

    def __getattr__(self, name: str):
        return getattr(self._file, name)

    def __enter__(self) -> FullFile:
        return self

    def __exit__(self, *exc_info) -> None:
        self._file.close()


def full_opener(room: int):
    """``open``, with files opened for writing filling the disk after ``room`` bytes."""
    def opener(path, mode="r", *args, **kwargs):
        file = open(path, mode, *args, **kwargs)
        return FullFile(file, room) if any(flag in mode for flag in "wa") else file

    return opener


def fill_segments(monkeypatch) -> None:
    real = FileStorage.create_file

    def create_file(self, name, *args, **kwargs):
        structured = real(self, name, *args, **kwargs)
        structured.file = FullFile(structured.file, 2_000)
        return structured

    monkeypatch.setattr(FileStorage, "create_file", create_file)


@pytest.mark.parametrize("where", ["segments", "spill files", "table of contents"])
def test_a_full_disk_stops_a_run_with_one_line_and_costs_nothing(corpus_index, news, monkeypatch, where):
    if where == "segments":
        fill_segments(monkeypatch)
    elif where == "spill files":
        monkeypatch.setattr(spill, "open", full_opener(2_000), raising=False)
    else:
        monkeypatch.setattr(store, "open", full_opener(100), raising=False)
    with searchkit.Archive(corpus_index) as archive:
        with pytest.raises(searchkit.SearchkitError, match="No space left on device") as stopped:
            archive.index([news], workers=1)
    assert "\n" not in str(stopped.value) and "committed before" in str(stopped.value) or "unchanged" in str(stopped.value)
    assert_intact(corpus_index, CORPUS_SIZE)
    monkeypatch.undo()
    with searchkit.Archive(corpus_index) as archive:
        assert archive.index([news], workers=1).added == NEWS_FILES * PER_FILE
    assert_intact(corpus_index, CORPUS_SIZE + NEWS_FILES * PER_FILE)


def test_a_full_disk_while_making_an_index_leaves_one_that_can_be_filled(tmp_path, monkeypatch):
    index = tmp_path / "index"
    real = Path.write_bytes

    def write_bytes(path: Path, data: bytes) -> int:
        if path.name.endswith(".tmp"):  # the index's marker, searchkit.json, written last
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    with pytest.raises(searchkit.SearchkitError, match="cannot write to the index at .*No space left on device"):
        searchkit.Archive(index).index([CORPUS], workers=1)
    monkeypatch.undo()
    with searchkit.Archive(index) as archive:
        assert archive.index([CORPUS], workers=1).added == CORPUS_SIZE
    assert_intact(index, CORPUS_SIZE)


@pytest.fixture
def disk(tmp_path):
    """A 3 MB filesystem of the test's own (a tmpfs; mounting needs root), or, where it cannot
    be mounted, None: commands then run with a cap on the size of the files they write."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        yield None, mount
        return
    yield mount, mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_from_the_command_line(disk, news):
    """Indexing onto a disk with little room left, from the command line, at several amounts of
    room: the run completes or stops with one line; the index always holds whole files and
    answers; once there is room, a re-run completes it."""
    filesystem, folder = disk
    index = folder / "index"
    assert cli("index", str(CORPUS), "--index", str(index)).returncode == 0
    held = CORPUS_SIZE
    for room in (0, 20_000, 100_000, 400_000):
        filler = folder / "filler"
        limit = None
        if filesystem is not None:
            free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
            filler.write_bytes(bytes(max(free - room, 0)))
        else:
            limit = max(room, 4096)
        done = cli("index", str(news), "--index", str(index), "--commit-every", str(PER_FILE), limit=limit)
        if done.returncode != 0:
            one_line(done, 1)
            assert "No space left on device" in done.stderr or "File too large" in done.stderr, done.stderr
        filler.unlink(missing_ok=True)
        with searchkit.Archive(index) as archive:
            now = len(archive)
        assert now >= held and (now - CORPUS_SIZE) % PER_FILE == 0  # whole files
        assert cli("query", "officials", "--index", str(index)).returncode == 0
        assert_intact(index, now)
        held = now
    assert cli("index", str(news), "--index", str(index)).returncode == 0
    assert_intact(index, CORPUS_SIZE + NEWS_FILES * PER_FILE)


def test_a_read_only_index_answers_and_refuses_to_be_written(disk, news):
    filesystem, folder = disk
    index = folder / "index"
    assert cli("index", str(CORPUS), "--index", str(index)).returncode == 0
    if filesystem is not None:
        subprocess.run(["mount", "-o", "remount,ro", str(filesystem)], check=True)
    else:  # not root: the folder's permissions are enough
        for path in (index, *index.iterdir()):
            path.chmod(0o555 if path.is_dir() else 0o444)
    for target in (index, folder / "new-index"):
        one_line(cli("index", str(news), "--index", str(target)), 1, f"cannot write to the index at {target}")
    assert cli("query", "harbour", "--index", str(index)).returncode == 0
    assert cli("check", "--index", str(index)).returncode == 0
    assert_intact(index, CORPUS_SIZE)


@pytest.mark.parametrize("command", [["index", str(CORPUS)], ["query", "harbour"], ["stats"], ["show", "x"],
                                     ["similar", "x"], ["check"]])
@pytest.mark.parametrize("target", ["/dev/null", "a file"])
def test_an_index_path_naming_a_file_is_one_line(tmp_path, command, target):
    path = Path(target) if target.startswith("/") else tmp_path / "notes.txt"
    if not path.exists():
        path.write_text("not an index\n")
    one_line(cli(*command, "--index", str(path)), 1, f"{path} is a file, not an index folder")
    if not target.startswith("/"):
        assert path.read_text() == "not an index\n"
        one_line(cli(*command, "--index", str(path / "index")), 1)  # a path through a file


@pytest.mark.parametrize("option", [["--since", "9999-12-31"], ["--until", "9999-12"], ["--since", "9999"]])
def test_a_date_past_9998_is_a_usage_error(corpus_index, option):
    one_line(cli("query", "harbour", *option, "--index", str(corpus_index)), 2, "out of range")
    one_line(cli("query", f"harbour date:{option[1]}", "--index", str(corpus_index)), 2, "out of range")
    assert_intact(corpus_index, CORPUS_SIZE)


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_a_killed_worker_stops_the_run_with_one_line(tmp_path):
    folder = tmp_path / "news"
    written = write_news_files(folder, files=40, per_file=60)
    index = tmp_path / "index"
    run = subprocess.Popen([sys.executable, "-m", "searchkit", "index", str(folder), "--index", str(index),
                            "--workers", "2", "--commit-every", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    deadline = time.monotonic() + 120
    while not (workers := children(run.pid)):
        assert run.poll() is None and time.monotonic() < deadline, "the run ended before its workers started"
        time.sleep(0.01)
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = run.communicate(timeout=300)
    assert run.returncode == 1 and stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    assert "a worker process died" in stderr and "run the same command again" in stderr
    if (index / "searchkit.json").exists():
        with searchkit.Archive(index) as archive:
            held = len(archive)
        assert held % 60 == 0
        assert_intact(index, held)
    assert cli("index", str(folder), "--index", str(index)).returncode == 0
    assert_intact(index, sum(written.values()))


def test_wrong_argument_types_say_which_argument_and_what_it_takes(corpus_index):
    archive = searchkit.Archive(corpus_index)
    calls = {
        "'query' takes str, not int": lambda: archive.search(5),
        "'limit' takes int, not str": lambda: archive.search("harbour", limit="x"),
        "'page' takes int, not NoneType": lambda: archive.search("harbour", page=None),
        "facets takes text or a list of texts": lambda: archive.search("harbour", facets=5),
        "'filters' takes a dict": lambda: archive.search("harbour", filters="tag"),
        "filter 'tag' takes text or a list of texts": lambda: archive.search("harbour", filters={"tag": 5}),
        "'snippets' takes bool": lambda: archive.search("harbour", snippets="no"),
        "'query' takes str, not bytes": lambda: archive.stream(b"harbour"),
        "'article_id' takes str, not int": lambda: archive.get(5),
        "'article_id' takes str, not NoneType": lambda: archive.similar(None),
        "'top' takes int, not str": lambda: archive.stats(top="3"),
        "'paths' takes a path or a list of paths": lambda: archive.index([5]),
        "'workers' takes int, not str": lambda: archive.index([CORPUS], workers="2"),
        "'wait' takes int or float, not NoneType": lambda: archive.index([CORPUS], wait=None),
    }
    for message, call in calls.items():
        with pytest.raises(TypeError) as raised:
            call()
        assert message in str(raised.value)
    with pytest.raises(searchkit.QueryError, match="'limit' must be at least 1"):
        archive.search("harbour", limit=0)
    archive.close()
    assert_intact(corpus_index, CORPUS_SIZE)


def test_an_index_that_cannot_be_read_says_so(corpus_index, monkeypatch):
    real = os.open

    def denied(path, flags, *args, **kwargs):
        if ".col" in os.fspath(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(store.os, "open", denied)
    with pytest.raises(searchkit.SearchkitError, match=r"cannot read the index at .*: Permission denied \(MAIN_"):
        searchkit.Archive(corpus_index).search("harbour")
    monkeypatch.undo()
    assert_intact(corpus_index, CORPUS_SIZE)
