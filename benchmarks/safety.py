"""What damage detection and snapshot reading cost: searchkit as committed (HEAD) beside
another commit (by default `main`), each checked out from git into a temporary folder and
building its own Reuters index, in rounds, then timing opening an index, warm queries and
one-shot CLI queries; and, for HEAD, checking every file in full (`searchkit check`) and a
one-shot query on a copy whose files lost their times (`cp -r`: every file is then checked in
full at each opening).

    .venv/bin/python benchmarks/safety.py [--against main] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import reuters

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh process with one tree's searchkit first on the path: prints one JSON line.
PROBE = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import searchkit
from searchkit.backends import open_backend
index, queries = sys.argv[2], json.loads(sys.argv[3])
backend = open_backend(index)
backend.searcher().close()  # (imports)
opens = []
for _ in range(20):
    start = time.perf_counter()
    searcher = backend.searcher()
    opens.append(time.perf_counter() - start)
    searcher.close()
opened = statistics.median(opens)
archive = searchkit.Archive(index)
def timed(run):
    for q in queries[:20]:
        run(q)
    times = []
    for q in queries:
        start = time.perf_counter()
        run(q)
        times.append((time.perf_counter() - start) * 1000)
    return times
plain = timed(lambda q: archive.search(q))
faceted = timed(lambda q: archive.search(q, facets=["tag", "place"]))
print(json.dumps({"open_ms": opened * 1000, "plain": plain, "faceted": faceted}))
"""


def checkout(commit: str, folder: Path) -> Path:
    """The searchkit package of a commit, in a folder of its own."""
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "searchkit"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def build(tree: Path, index: Path) -> float:
    shutil.rmtree(index, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); "
                    "from searchkit.cli import main; sys.argv[0] = 'searchkit'; main()",
                    "index", *map(str, reuters.files()), "--index", str(index)], check=True, capture_output=True)
    return time.perf_counter() - start


def one_shot(tree: Path, index: Path, query: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tree)!r}); "
                    "from searchkit.cli import main; sys.argv[0] = 'searchkit'; main()",
                    "query", query, "--index", str(index)], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", default="main")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="safety-bench-"))
    trees = {name: checkout(name, work / f"code-{number}") for number, name in enumerate((options.against, "HEAD"))}
    queries = reuters.queries([a.title for a in reuters.articles()])
    builds: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(options.rounds):
        for name, tree in trees.items():
            builds[name].append(build(tree, work / name))
    print(f"Reuters-21578, {options.rounds} rounds; open: a searcher on the last commit (median of 20); "
          f"{len(queries)} fixed keyword queries, top 10, warm\n")
    print("| code | index s (median) | every build s | open ms | p50 ms | p95 ms | p50 ms, 2 facets | p95 ms, 2 facets "
          "| one-shot CLI s (median of 20) |\n|---|---|---|---|---|---|---|---|---|")
    probes: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(3):  # in rounds too: a slow spell of the machine falls on both
        for name, tree in trees.items():
            probes[name].append(json.loads(subprocess.run(
                [sys.executable, "-c", PROBE, str(tree), str(work / name), json.dumps(queries)],
                check=True, capture_output=True, text=True).stdout))
    shots: dict[str, list[float]] = {name: [] for name in trees}
    for q in queries[:20]:
        for name, tree in trees.items():
            shots[name].append(one_shot(tree, work / name, q))
    for name in trees:
        plain = [t for probe in probes[name] for t in probe["plain"]]
        faceted = [t for probe in probes[name] for t in probe["faceted"]]
        every = ", ".join(f"{s:.1f}" for s in builds[name])
        print(f"| {name} | {statistics.median(builds[name]):.1f} | {every} "
              f"| {statistics.median(p['open_ms'] for p in probes[name]):.1f} | {statistics.median(plain):.1f} "
              f"| {reuters.percentile(plain, 0.95):.1f} | {statistics.median(faceted):.1f} "
              f"| {reuters.percentile(faceted, 0.95):.1f} | {statistics.median(shots[name]):.2f} |")
    head, index = trees["HEAD"], work / "HEAD"
    size = sum(path.stat().st_size for path in index.iterdir() if path.is_file())
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(head)!r}); "
                    "from searchkit.cli import main; sys.argv[0] = 'searchkit'; main()", "check", "--index", str(index)],
                   check=True, capture_output=True)
    print(f"\n`searchkit check` (every file read and checked, {size / 1e6:.0f} MB): {time.perf_counter() - start:.2f} s")
    copy = work / "copy"
    subprocess.run(["cp", "-r", str(index), str(copy)], check=True)  # new file times: every file is checked in full
    shots = [one_shot(head, copy, q) for q in queries[:20]]
    print(f"one-shot CLI query on a copy that lost its file times (median of 20): {statistics.median(shots):.2f} s")
    shutil.rmtree(work)


if __name__ == "__main__":
    os.chdir(Path(__file__).parent)
    main()
