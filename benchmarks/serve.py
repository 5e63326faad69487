"""`searchkit serve` on Reuters-21578: the search page's server time over the 300 fixed benchmark
queries (each page with its hits, ten facets and the timeline), and the streamed exports of every hit.

    flock /work/bench.lock .venv/bin/python benchmarks/serve.py [--index DIR]

Server time is measured through the ASGI application, in a fresh process (the one that drew the
queries has read the whole archive, which slows what it times after): from the request to the
last byte of the page, warm. Beside it, the library call alone (the same search, same facets) shows what
the web layer adds, and the same pages fetched over HTTP from `searchkit serve` on loopback (one
client, keep-alive) show what uvicorn and the network add. Exports stream every hit of an empty
query (the whole archive) as CSV and JSON Lines; ``Archive.stream`` alone is timed beside them.
Targets (issue 19): page p50 <= 50 ms and p95 <= 150 ms; CSV export >= 10,000 hits/s.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import http.client
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import reuters

import searchkit
from searchkit.web import create_app
from searchkit.web.app import PAGE_FACETS
from searchkit.web.state import EVERYTHING


async def fetch(app, url: str) -> bytes:
    """One GET through the ASGI application; the whole body."""
    path, _, query = url.partition("?")
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "headers": [(b"host", b"127.0.0.1")], "scheme": "http", "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 5000), "root_path": "", "http_version": "1.1", "asgi": {"version": "3.0"}}
    requested, status, body = asyncio.Event(), [], bytearray()

    async def receive():
        if not requested.is_set():
            requested.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])
        else:
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    assert status == [200], (url, status, bytes(body[:300]))
    return bytes(body)


async def timed_pages(app, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        start = time.perf_counter()
        await fetch(app, url)
        times.append(time.perf_counter() - start)
    return times


def library_times(archive: searchkit.Archive, queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        start = time.perf_counter()
        archive.search(query, limit=20, facets=(*PAGE_FACETS, "day"))
        times.append(time.perf_counter() - start)
    return times


def http_times(index: Path, urls: list[str]) -> list[float]:
    """The pages fetched from `searchkit serve` on loopback, one keep-alive connection."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "searchkit", "serve", "--index", str(index), "--port", str(port)]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as server:
        try:
            while server.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            else:
                raise SystemExit(f"searchkit serve stopped: {server.stderr.read().decode()}")
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for url in urls[:10]:  # warm the server's columns as the in-process run was
                connection.request("GET", url)
                connection.getresponse().read()
            times = []
            for url in urls:
                start = time.perf_counter()
                connection.request("GET", url)
                response = connection.getresponse()
                response.read()
                times.append(time.perf_counter() - start)
                assert response.status == 200
            connection.close()
            return times
        finally:
            server.terminate()
            server.wait(timeout=30)


def export_rate(app, url: str) -> tuple[int, float]:
    start = time.perf_counter()
    body = asyncio.run(fetch(app, url))
    seconds = time.perf_counter() - start
    rows = len(body.splitlines()) if url.endswith("jsonl") or ".jsonl?" in url else len(list(csv.reader(io.StringIO(body.decode())))) - 1
    return rows, seconds


def stream_rate(index: Path) -> tuple[int, float]:
    with searchkit.Archive(index) as archive:
        start = time.perf_counter()
        count = sum(1 for _ in archive.stream(EVERYTHING, sort="newest"))
        return count, time.perf_counter() - start


def import_ms(module: str, runs: int = 5) -> float:
    """Median milliseconds to import a module in a fresh process, as ``-X importtime`` counts it."""
    times = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True,
                              text=True, check=True)
        last = done.stderr.strip().splitlines()[-1]
        times.append(int(last.split("|")[1]) / 1000)
    return statistics.median(times)


def row(name: str, times: list[float]) -> str:
    return f"| {name} | {statistics.median(times) * 1000:.1f} | {reuters.percentile(times, 0.95) * 1000:.1f} " \
           f"| {max(times) * 1000:.0f} |"


def in_process_times(index: Path, queries: list[str]) -> dict[str, list[float]]:
    """The library's search and the page's server time, measured in a fresh process (this one has
    read the whole archive to draw the queries, which slows everything it times after)."""
    app = create_app(index)
    urls = ["/?" + urlencode({"q": query}) for query in queries]
    with searchkit.Archive(index) as archive:
        articles = len(archive)
        library_times(archive, queries[:10])
        library = library_times(archive, queries)
    asyncio.run(timed_pages(app, urls[:10]))  # first requests decode the facet and date columns
    pages = asyncio.run(timed_pages(app, urls))
    exported = {"Archive.stream alone (snippets)": stream_rate(index)}
    exported.update({f"/export/{kind}": export_rate(app, f"/export/{kind}") for kind in ("hits.csv", "hits.jsonl")})
    counts = {}
    for kind in ("facets.csv", "timeline.csv"):
        start = time.perf_counter()
        asyncio.run(fetch(app, f"/export/{kind}"))
        counts[kind] = time.perf_counter() - start
    return {"articles": articles, "library": library, "pages": pages, "exported": exported, "counts": counts}


def run(index: Path) -> None:
    titles = [article.title for article in reuters.articles()]
    queries = reuters.queries(titles)
    urls = ["/?" + urlencode({"q": query}) for query in queries]
    measured = json.loads(subprocess.run([sys.executable, __file__, "--index", str(index), "--timed-in-process"],
                                         input=json.dumps(queries), capture_output=True, text=True, check=True).stdout)
    library, pages, articles = measured["library"], measured["pages"], measured["articles"]
    over_http = http_times(index, urls)
    print(f"Reuters-21578 ({articles:,} articles), {len(queries)} fixed queries, 20 hits a page, facets "
          f"{', '.join(PAGE_FACETS)} and the timeline; warm; machine: {os.cpu_count()} cores\n")
    print("| what is timed | p50 ms | p95 ms | max ms |\n|---|---|---|---|")
    print(row("library: Archive.search, same facets", library))
    print(row("search page, server time (ASGI, in process)", pages))
    print(row("search page over HTTP (uvicorn, loopback)", over_http))
    print("\nExports of every hit of the empty query (the whole archive, near duplicates folded), streamed\n")
    print("| export | hits | seconds | hits/s |\n|---|---|---|---|")
    for name, (count, seconds) in measured["exported"].items():
        print(f"| {name} | {count:,} | {seconds:.2f} | {count / seconds:,.0f} |")
    for kind, seconds in measured["counts"].items():
        print(f"| /export/{kind} (counts) | | {seconds:.2f} | |")
    print(f"\nImports, median of 5 fresh processes: searchkit {import_ms('searchkit'):.0f} ms; searchkit.web "
          f"(Starlette, Jinja2 and the app; `searchkit serve` only) {import_ms('searchkit.web'):.0f} ms; "
          f"uvicorn {import_ms('uvicorn'):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="a Reuters index already built (default: built in a temporary folder)")
    parser.add_argument("--timed-in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.timed_in_process:  # the child of run(): queries on stdin, times on stdout
        print(json.dumps(in_process_times(args.index, json.loads(sys.stdin.read()))))
        return
    if args.index:
        run(args.index)
        return
    with tempfile.TemporaryDirectory() as tmp:
        with searchkit.Archive(Path(tmp) / "index") as archive:
            archive.index(reuters.files())
        run(Path(tmp) / "index")


if __name__ == "__main__":
    main()
