"""Exports on Reuters-21578: every hit of a query streamed by the command line (`query --all`,
JSON Lines and CSV) against the library's own stream, with where the time goes; a facet table;
and the one-shot query, start-up included.

    flock /work/bench.lock .venv/bin/python benchmarks/export.py [--index FOLDER] [--repeat 3]

The index is built in a temporary folder unless ``--index`` names one (built there if missing).
The command line runs as ``python -m searchkit`` from a temporary folder, so that
``PYTHONPATH=that/checkout`` measures an older checkout's command line (the library rows are
always this checkout's).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reuters import files

import searchkit  # noqa: E402  (reuters puts the repository first on the path)

QUERIES = ["the", "oil", "*"]  # a stop word (every article with it), a topic, every article


def command(*args: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, lines written) of one ``searchkit`` run in a fresh process,
    its output written to a file."""
    return python("-m", "searchkit", *args)


def python(*args: str) -> tuple[float, float, int]:
    """The same for any ``python`` command line."""
    with tempfile.TemporaryFile() as output:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], stdout=output, check=True, cwd=tempfile.gettempdir())
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        output.seek(0)
        lines = sum(1 for _ in output)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), lines


def library(archive: searchkit.Archive, query: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, hits) of the library's stream in this warm process, hits made only."""
    start, cpu = time.perf_counter(), time.process_time()
    hits = sum(1 for _ in archive.stream(query))
    return time.perf_counter() - start, time.process_time() - cpu, hits


def writing(archive: searchkit.Archive, query: str) -> dict[str, float]:
    """CPU seconds the command line's writers take over a query's hits, already made, to /dev/null."""
    from searchkit import cli

    hits = list(archive.stream(query))
    writers = {"JSON Lines": lambda: cli._write_json_lines(hit.to_dict() for hit in hits),
               "CSV": lambda: cli._write_csv(hits)}
    spent = {}
    for name, write in writers.items():
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            start = time.process_time()
            write()
            spent[name] = time.process_time() - start
    return spent


def median_run(run, repeat: int) -> tuple[float, float, int]:
    runs = [run() for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[0][2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="an index of Reuters (built there if missing)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (medians reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.index or Path(tmp) / "reuters"
        archive = searchkit.Archive(folder)
        if not folder.exists():
            archive.index(files())
        archive.search("warm")
        index = str(folder)
        cli = subprocess.run([sys.executable, "-c", "import searchkit; print(searchkit.__file__)"], text=True,
                             capture_output=True, check=True, cwd=tempfile.gettempdir()).stdout.strip()
        print(f"library from {Path(searchkit.__file__).parent}, command line from {Path(cli).parent}; "
              f"{len(archive):,} articles, {os.cpu_count()} cores, medians of {args.repeat} runs\n")
        print("| query | hits | what | wall s | CPU s | hits/s (wall) | hits/s (CPU) |\n|---|---|---|---|---|---|---|")
        for query in QUERIES:
            rows = [
                ("library stream (warm, in process)", median_run(lambda: library(archive, query), args.repeat), 0),
                ("CLI `--all` (JSON Lines)", median_run(lambda: command("query", query, "--all", "--index", index),
                                                        args.repeat), 0),
                ("CLI `--all --csv`", median_run(lambda: command("query", query, "--all", "--csv", "--index", index),
                                                 args.repeat), 1),  # a header line
            ]
            for what, (wall, cpu, count), header in rows:
                hits = count - header
                print(f"| `{query}` | {hits:,} | {what} | {wall:.2f} | {cpu:.2f} | {hits / wall:,.0f} | {hits / cpu:,.0f} |",
                      flush=True)
        start_up = statistics.median(python("-c", "import searchkit.cli")[1] for _ in range(5))
        written = [writing(archive, "the") for _ in range(args.repeat)]
        print(f"\nwhere the command line's time goes beyond the library's stream: start-up "
              f"(importing the command line) {start_up:.2f} s CPU; writing the {len(list(archive.stream('the'))):,} hits "
              f"of `the` (made beforehand) to /dev/null: JSON Lines "
              f"{statistics.median(w['JSON Lines'] for w in written):.2f} s, "
              f"CSV {statistics.median(w['CSV'] for w in written):.2f} s CPU")
        wall, cpu, lines = median_run(lambda: command("query", "the", "--all", "--csv", "--facet", "tag", "--facet",
                                                      "place", "--facet", "day", "--index", index), args.repeat)
        print(f"\nfacet table of `the` (every tag, place and day: {lines - 1:,} rows, CSV): {wall:.2f} s wall, "
              f"{cpu:.2f} s CPU")
        one_shot = [command("query", "wheat", "--index", index)[0] for _ in range(10)]
        print(f"one-shot `searchkit query wheat`, start-up included: median {statistics.median(one_shot):.2f} s "
              f"of 10 (min {min(one_shot):.2f} s)")
        archive.close()


if __name__ == "__main__":
    main()
