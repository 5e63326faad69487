"""Never lose the archive: crashes, concurrent runs, interrupts, and hostile input."""

from __future__ import annotations

import gzip
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchkit
from conftest import SEED, write_news_files
from searchkit.model import Comment, build


def start_indexing(folder: Path, index: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "searchkit", "index", str(folder), "--index", str(index), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def stop(run: subprocess.Popen, sig: int | None = None, timeout: float = 300) -> tuple[int, str]:
    """Signal a run (or let it finish) and collect it: (exit code, stderr)."""
    if sig is not None:
        run.send_signal(sig)
    _, stderr = run.communicate(timeout=timeout)
    return run.returncode, stderr


def wait_for(condition, run: subprocess.Popen, timeout: float = 120) -> None:
    """Poll until ``condition()`` holds while ``run`` is still going (fails if it ended first)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert run.poll() is None, "the run ended before the moment the test waits for"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def committed(index: Path) -> bool:
    """True once the index holds at least one article."""
    try:
        with searchkit.Archive(index) as archive:
            return len(archive) > 0
    except searchkit.SearchkitError:
        return False


def articles_by_file(index: Path) -> dict[str, int]:
    """How many articles of each generated file the index holds (ids are "fNNN-..." for file NNN)."""
    counts: dict[str, int] = {}
    with searchkit.Archive(index) as archive:
        for hit in archive.stream("news OR officials OR analysts", snippets=False, expand_duplicates=True):
            file = hit.id.split("-")[0]
            counts[file] = counts.get(file, 0) + 1
    return counts


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("big")
    return folder, write_news_files(folder / "news", files=40, per_file=60)


def test_queries_answer_from_the_last_commit_while_a_run_writes(tmp_path, big_folder):
    folder, written = big_folder
    index = tmp_path / "index"
    searchkit.Archive(index).index([folder / "news" / "batch-000.jsonl"])
    run = start_indexing(folder, index, "--workers", "1", "--commit-every", "300")
    seen = []
    with searchkit.Archive(index) as archive:
        while run.poll() is None:
            seen.append(archive.search("ceasefire OR harvest OR strike OR election", snippets=False).total)
            time.sleep(0.05)
    assert stop(run)[0] == 0
    assert seen and seen == sorted(seen) and seen[0] >= 60
    with searchkit.Archive(index) as archive:
        assert len(archive) == sum(written.values())


def test_a_second_run_waits_then_fails_with_a_clear_message(tmp_path, big_folder):
    folder, _ = big_folder
    index = tmp_path / "index"
    searchkit.Archive(index).index([SEED])
    first = start_indexing(folder, index, "--workers", "1", "--commit-every", "60")
    wait_for(lambda: (index / "searchkit.writer").exists(), first)
    second = subprocess.run(
        [sys.executable, "-m", "searchkit", "index", str(SEED), "--index", str(index), "--wait", "0.5"],
        capture_output=True, text=True, timeout=60,
    )
    stop(first)
    assert second.returncode == 1 and "Traceback" not in second.stderr
    lines = second.stderr.splitlines()
    assert lines[0].startswith("searchkit: waiting up to 0.5s: another indexing run (process")
    assert "is writing to" in lines[-1] and "--wait SECONDS" in lines[-1]


def test_a_killed_run_leaves_no_stale_lock(tmp_path, big_folder):
    folder, _ = big_folder
    index = tmp_path / "index"
    searchkit.Archive(index).index([SEED])
    run = start_indexing(folder, index, "--workers", "1", "--commit-every", "60")
    wait_for(lambda: (index / "searchkit.writer").exists(), run)
    stop(run, signal.SIGKILL)
    report = searchkit.Archive(index).index([SEED], wait=0)
    assert report.files_unchanged == 1


def test_ctrl_c_stops_cleanly_and_keeps_what_was_committed(tmp_path, big_folder):
    folder, written = big_folder
    index = tmp_path / "index"
    run = start_indexing(folder, index, "--workers", "2", "--commit-every", "120")
    wait_for(lambda: committed(index), run)
    code, stderr = stop(run, signal.SIGINT)
    assert code == 130, stderr
    assert "interrupted:" in stderr and "run the same command again" in stderr and "Traceback" not in stderr
    held = articles_by_file(index)
    assert held and all(count == 60 for count in held.values()), held
    assert searchkit.Archive(index).index([folder]).added == sum(written.values()) - sum(held.values())


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_hostile_and_broken_files_are_reported_one_by_one(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    good = SEED.read_text()
    write(folder, "binary.txt", bytes(range(256)) * 64)
    write(folder, "empty.json", b"")
    write(folder, "truncated.txt.gz", gzip.compress(good.encode())[:200])
    write(folder, "huge single line.txt", b"word " * 20_000_000)  # 100 MB on one line
    write(folder, "deep.json", b"[" * 100_000 + b"]" * 100_000)
    write(folder, "deep.html", b"<html><head><title>Deep</title></head><body>" + b"<div>" * 100_000 + b"text"
          + b"</div>" * 100_000 + b"</body></html>")
    html_comments = "".join(f'<li class="comment"><span class="comment-author">reader{n}</span><p>Comment {n}.</p></li>'
                            for n in range(10_000))
    write(folder, "comments.html", f"<html><head><title>A story with many readers</title></head><body><article>"
                                   f"<p>{good[:2000]}</p></article><ol>{html_comments}</ol></body></html>".encode())
    write(folder, "mixed.jsonl", b'{"title": "Before", "body": "One."}\n{broken\n{"title": "After", "body": "Two."}\n')
    write(folder, "cp1252.txt", "Caf\u00e9 owners protest — «new tax»\n\nThe owners of every caf\u00e9 in the old town closed for a day on Monday to protest against the new tax.".encode("cp1252"))
    write(folder, "koi8-r.txt", "Новости дня\n\nПравительство объявило в понедельник о новых мерах поддержки фермеров после засухи.".encode("koi8-r"))
    write(folder, "latin-1.txt", "Réunion à Genève\n\n".encode("latin-1") + b"A first paragraph long enough to count as prose in a page capture.")
    write(folder, "nul and escapes.jsonl", orjson.dumps({"title": "Esc\u001b[31mape", "body": "Nul\u0000 byte and \u0007 bell."}) + b"\n")
    write(folder, "nöt ascii ñame.txt", good.encode())
    comments = "\n".join(f"• reader{n}\n  Comment number {n} on the story." for n in range(10_000))
    write(folder, "many-comments.txt", f"{good}\n• Сomment\n\nAll comments\n\n{comments}\n".encode())
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    write(folder, "locked.txt", good.encode())
    from searchkit.ingest import workers

    real_hash = workers.file_hash

    def file_hash(path, options):
        if path.endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real_hash(path, options)

    monkeypatch.setattr(workers, "file_hash", file_hash)
    archive = searchkit.Archive(tmp_path / "index")
    report = archive.index([folder], workers=1)
    reasons = {Path(problem.path).name: problem.reasons[0] for problem in report.errors}
    reasons.update((Path(path).name, reason) for path, reason in report.passed_over)
    assert reasons["binary.txt"] == "binary file, not text"
    assert reasons["empty.json"] == "empty file"
    assert reasons["truncated.txt.gz"].startswith("broken gzip data")
    assert reasons["huge single line.txt"].startswith("too large to be one article")  # refused while it is read
    assert reasons["deep.json"].startswith("invalid JSON")
    assert "deep.html" not in reasons and archive.search("title:deep").total == 1  # read below a bounded depth
    assert reasons["mixed.jsonl"].startswith("line 2: invalid JSON")
    assert reasons["loop.txt"] and reasons["locked.txt"] == "permission denied"
    assert archive.search('title:"before" OR title:"after"').total == 2
    assert archive.search("café").total >= 1 and archive.search("новости").total == 1
    assert archive.search("genève").total == 1
    escaped = archive.search("title:escape").hits  # the escape sequence goes whole
    assert escaped and escaped[0].title == "Escape" and "\x00" not in archive.get(escaped[0].id).body
    pages = {len(a.comments) for a in (archive.get(h.id) for h in archive.search("comment", limit=50).hits)}
    assert {10_000 + 7, 10_000} <= pages


@given(
    title=st.text(max_size=80),
    body=st.text(max_size=400),
    tags=st.lists(st.text(min_size=1, max_size=15), max_size=4),
    comments=st.lists(st.text(min_size=1, max_size=60), max_size=3),
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_record_survives_parse_json_index_show_unchanged(tmp_path_factory, title, body, tags, comments):
    folder = tmp_path_factory.mktemp("roundtrip")
    article = build("x.txt", title=title, body=body, tags=tags, comments=[Comment(text=c) for c in comments],
                    url=f"https://example.org/{abs(hash((title, body)))}")
    path = folder / "record.jsonl"
    path.write_bytes(orjson.dumps(article.to_dict()) + b"\n")
    with searchkit.Archive(folder / "index") as archive:
        report = archive.index([path])
        assert (report.added, report.errors) == (1, [])  # even a record with no text at all
        assert archive.get(article.id).to_dict() == article.to_dict()


def test_guarantees_in_the_readme_name_their_tests():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Guarantees", 1)[1].split("\n## ", 1)[0]
    named = {line.split("`tests/")[1].split("`")[0] for line in section.splitlines() if "`tests/" in line}
    assert named
    for reference in named:
        module, _, test = reference.partition("::")
        source = (Path(__file__).parent / module).read_text()
        assert f"def {test}(" in source, reference
