"""Killing an indexing run the way the world does (SIGKILL of the command alone, with its worker
processes running; Ctrl-C), at many points: nothing lost, nothing doubled, nothing left running.

(On a Sphinx cluster a commit is not atomic across shards: a killed run may leave part of its
last batch searchable, never twice, and the next run completes it.)"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import searchkit
from conftest import write_news_files

pytestmark = pytest.mark.usefixtures("engine")  # behaviour tests: every backend runs them

FILES, PER_FILE = 30, 60


@pytest.fixture(scope="module")
def news(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kills") / "news"
    write_news_files(folder, files=FILES, per_file=PER_FILE)
    return folder


def start(folder: Path, index: Path, *args: str) -> subprocess.Popen:
    """``searchkit index`` with its default workers, in a process of its own."""
    return subprocess.Popen([sys.executable, "-m", "searchkit", "index", str(folder), "--index", str(index), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def committed(index: Path) -> int:
    """The articles the index holds (0 before it exists)."""
    if not (index / "searchkit.json").exists():
        return 0
    with searchkit.Archive(index) as archive:
        return len(archive)


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition, run: subprocess.Popen | None = None, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert run is None or run.poll() is None, "the run ended before the moment the test waits for"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def kill_parent(run: subprocess.Popen) -> None:
    """SIGKILL the command alone; its workers must be gone within a second."""
    workers = children(run.pid)
    run.kill()
    run.communicate()
    deadline = time.monotonic() + 1.0
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < deadline, f"workers outlived their run: {[p for p in workers if alive(p)]}"
        time.sleep(0.01)


def held_per_file(index: Path) -> dict[str, int]:
    """How many articles of each generated file the index holds (ids are "fNNN-..." for file NNN)."""
    counts: dict[str, int] = {}
    with searchkit.Archive(index) as archive:
        for hit in archive.stream("news OR officials OR analysts", snippets=False, expand_duplicates=True):
            counts[hit.id.split("-")[0]] = counts.get(hit.id.split("-")[0], 0) + 1
    return counts


def test_sigkill_of_the_command_after_any_number_of_commits_loses_and_doubles_nothing(tmp_path, news, engine):
    index = tmp_path / "index"
    rnd = random.Random(20261130)
    for commits in (1, 3, 5, rnd.randint(1, 3)):  # of the 15 the whole archive needs
        run = start(news, index, "--commit-every", "120")
        target = committed(index) + 120 * commits
        wait_until(lambda: committed(index) >= target, run)
        kill_parent(run)
        held = held_per_file(index)  # the index answers after every kill...
        assert held and all(count <= PER_FILE for count in held.values()), held  # ...with nothing twice
        if engine == "whoosh":  # ...and, where commits are atomic, whole files only
            assert all(count == PER_FILE for count in held.values()), held
    code = subprocess.run([sys.executable, "-m", "searchkit", "index", str(news), "--index", str(index)],
                          capture_output=True, text=True, timeout=600)
    assert code.returncode == 0, code.stderr
    assert held_per_file(index) == {f"f{n:03d}": PER_FILE for n in range(FILES)}
    with searchkit.Archive(index) as archive:
        assert len(archive) == FILES * PER_FILE


def test_a_first_run_killed_before_its_first_commit_leaves_an_index_that_answers(tmp_path, news):
    index = tmp_path / "index"
    run = start(news, index)
    wait_until(lambda: (index / "searchkit.json").exists() and (index / "searchkit.writer").exists(), run)
    with searchkit.Archive(index) as archive:  # while the first run writes: the empty first commit
        assert archive.search("officials").total == 0 and len(archive) == 0
        assert archive.stats().articles == 0
    kill_parent(run)
    query = subprocess.run([sys.executable, "-m", "searchkit", "query", "officials", "--index", str(index)],
                           capture_output=True, text=True, timeout=60)
    assert query.returncode == 0 and "Traceback" not in query.stderr, query.stderr
    assert subprocess.run([sys.executable, "-m", "searchkit", "index", str(news), "--index", str(index)],
                          capture_output=True, text=True, timeout=600).returncode == 0
    with searchkit.Archive(index) as archive:
        assert len(archive) == FILES * PER_FILE


def test_ctrl_c_says_how_many_articles_were_committed(tmp_path, news):
    index = tmp_path / "index"
    run = start(news, index, "--commit-every", "120")
    wait_until(lambda: committed(index) >= 360, run)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stderr
    said = int(stderr.split("interrupted: ")[1].split(" articles")[0].replace(",", ""))
    with searchkit.Archive(index) as archive:
        assert said == len(archive) > 0


def test_no_lock_outlives_a_killed_run(tmp_path, news):
    index = tmp_path / "index"
    run = start(news, index, "--commit-every", "120")
    wait_until(lambda: committed(index) >= 120 and (index / "searchkit.writer").exists(), run)
    kill_parent(run)
    assert any(path.name.startswith("spill-") for path in index.iterdir())  # what the killed run left
    again = subprocess.run([sys.executable, "-m", "searchkit", "index", str(news), "--index", str(index)],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "another indexing run" not in again.stderr, again.stderr
    assert not any(path.name.startswith("spill-") for path in index.iterdir())  # cleared by the next run
