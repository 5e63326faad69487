"""Hostile inputs, each indexed alone by the real command in a fresh process: time, peak memory,
exit code and what became of it (issue #13's list). Prints a table.

    .venv/bin/python benchmarks/hostile.py

Peak RSS is the largest of the command and its worker processes (RUSAGE_CHILDREN). A good word
hidden in an input ("needle") must be findable afterwards wherever the input holds one.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
MB = 1 << 20


def bomb(size: int) -> bytes:
    """Gzip of ``size`` bytes of one repeated byte: a few MB that inflate to gigabytes."""
    compressor = gzip.compress
    block = b"a" * (64 * MB)
    return compressor(block) * (size // len(block))


def inputs(folder: Path) -> list[tuple[str, Path, bool]]:
    """(what, path, holds the word "needle" that must be findable)."""
    made = []

    def file(name: str, data: bytes, needle: bool = False) -> None:
        path = folder / name
        path.write_bytes(data)
        made.append((name, path, needle))

    file("bomb.html.gz", bomb(4096 * MB))  # concatenated gzip members: 4 GiB of 'a' inflated
    file("bomb.txt.gz", bomb(2048 * MB))
    file("million-identical.jsonl", b'{"title": "Same", "body": "The same line again."}\n' * 1_000_000)
    file("tiny-records.jsonl", b"".join(orjson.dumps({"title": f"t{n}", "body": f"b{n} needle"}) + b"\n"
                                         for n in range(100_000)), needle=True)
    file("self-closing-divs.html", b"<html><body>" + b"<div/>" * 200_000 + b"<p>needle story</p></body></html>", True)
    file("deep.html", b"<html><body>" + b"<div>" * 100_000 + b"<p>needle words</p>" + b"</div>" * 100_000
         + b"</body></html>", needle=True)
    file("escapes.html", b"<html><head><title>\x1b[2J\x1b]0;pwned\x07needle\x1b[31m</title></head>"
                         b"<body><p>Body text.</p></body></html>", needle=True)
    deep_json = b'{"title": "Deep", "body": "needle", "x": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    file("deep-field.json", deep_json)
    file("bad-records.jsonl", b"\n".join([
        b'{"title": "Places", "body": "one", "places": 5}',
        b'{"title": "People", "body": "two", "people": true}',
        b'{"title": "Date", "body": "three", "published": "' + b"9" * 400 + b'"}',
        b'{"title": "Good", "body": "needle kept"}',
    ]) + b"\n", needle=True)
    file("json-ld-deep.html", b'<html><head><script type="application/ld+json">' + b'{"a":' * 1000 + b"1"
         + b"}" * 1000 + b"</script><title>Deep JSON-LD</title></head><body><p>needle page</p></body></html>", True)
    file(os.fsdecode(b"non-utf8-\xe9.txt"), b"A title\n\nA needle in a file whose name is not UTF-8.\n", True)
    zero = folder / "zero-link.txt"
    zero.symlink_to("/dev/zero")
    made.append(("symlink to /dev/zero", zero, False))
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    made.append(("a FIFO", fifo, False))
    return made


# Runs the command in a process of its own and reports the largest RSS of it and its workers.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stdout.write(f'{done.returncode}\\n{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n')\n"
    "sys.stdout.write(done.stdout.replace('\\n', ' ') + '\\n' + done.stderr)\n"
)


def run(path: Path, index: Path) -> tuple[int, float, float, str]:
    started = time.monotonic()
    done = subprocess.run([str(PYTHON), "-c", _MEASURE, str(PYTHON), "-m", "searchkit", "index", str(path),
                           "--index", str(index)], capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - started
    code, peak, out, err = (done.stdout.split("\n", 3) + ["", ""])[:4]
    assert "Traceback" not in err, err
    said = out.strip() if int(code) == 0 else (err.strip().splitlines() or [""])[0]
    return int(code), seconds, int(peak) / 1024, said


def found(index: Path) -> int:
    done = subprocess.run([str(PYTHON), "-m", "searchkit", "query", "needle", "--index", str(index), "--json"],
                          capture_output=True, text=True, timeout=120)
    return orjson.loads(done.stdout)["total"] if done.returncode == 0 else 0


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "inputs"
        folder.mkdir()
        rows = []
        for number, (what, path, needle) in enumerate(inputs(folder)):
            index = Path(work) / f"index{number}"
            code, seconds, peak, said = run(path, index)
            hits = found(index) if needle else None
            rows.append((what, code, seconds, peak, hits, said))
        print("| input | exit | s | peak RSS MiB | 'needle' found | what it said |")
        print("|---|---|---|---|---|---|")
        for what, code, seconds, peak, hits, said in rows:
            shown = "" if hits is None else str(hits)
            print(f"| {what} | {code} | {seconds:.1f} | {peak:.0f} | {shown} | {said[:90]} |")
        worst = max(row[3] for row in rows)
        print(f"\nlargest peak: {worst:.0f} MiB; longest run: {max(row[2] for row in rows):.1f} s")
        if worst >= 1024:
            sys.exit("a hostile input took 1 GiB or more")


if __name__ == "__main__":
    main()
