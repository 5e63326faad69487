"""Indexing whole archives: searchkit beside a straightforward Whoosh script, SQLite FTS5 and
tantivy, in one run; then the same 300 fixed queries against each, with and without two facets,
and one-shot queries in fresh processes (searchkit's CLI, a plain Whoosh script).

    .venv/bin/python benchmarks/ingest.py reuters [--repeat 3]   # Reuters-21578, all engines
    .venv/bin/python benchmarks/ingest.py growth [--sizes 10000 100000 1000000]

Every engine reads the articles with searchkit's own readers (the same input work) and builds
its index in a fresh process, which reports its peak resident memory (the largest single
process; searchkit's worker processes are measured too). The growth run indexes synthetic
news-like archives (benchmarks/synthetic.py) of increasing size with searchkit and reports how
time, size and query latency grow. Needs the benchmark extra (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import reuters
import synthetic

import searchkit

ENGINES = ("searchkit", "whoosh", "sqlite-fts5", "tantivy")


# Building, one engine per process -------------------------------------------------------------

def build(engine: str, folder: Path, files: list[Path]) -> int:
    """Index every article of ``files`` into ``folder``; returns how many were indexed."""
    if engine == "searchkit":
        report = searchkit.Archive(folder).index(files)
        return report.added + report.updated
    articles = [a for path in files for a in searchkit.read_file(path) if isinstance(a, searchkit.Article)]
    return {"whoosh": _whoosh, "sqlite-fts5": _sqlite, "tantivy": _tantivy}[engine](folder, articles)


def _whoosh(folder: Path, articles) -> int:
    """The straightforward script: one writer, default settings, stemmed text, keyword facets."""
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
                    body=TEXT(analyzer=StemmingAnalyzer()), topics=KEYWORD(commas=True), places=KEYWORD(commas=True))
    folder.mkdir(parents=True)
    ix = index.create_in(folder, schema)
    with ix.writer() as writer:
        for a in articles:
            writer.add_document(id=a.id, title=a.title, body=a.body, topics=",".join(a.tags),
                                places=",".join(a.extra.get("places", [])))
    return len(articles)


def _sqlite(folder: Path, articles) -> int:
    import sqlite3

    folder.mkdir(parents=True)
    db = sqlite3.connect(folder / "fts.db")
    db.execute("CREATE VIRTUAL TABLE articles USING fts5(title, body, tokenize='porter unicode61')")
    db.execute("CREATE TABLE facets (doc INTEGER, facet TEXT, value TEXT)")
    with db:
        for number, a in enumerate(articles, start=1):
            db.execute("INSERT INTO articles (rowid, title, body) VALUES (?, ?, ?)", (number, a.title, a.body))
            db.executemany("INSERT INTO facets VALUES (?, ?, ?)",
                           [(number, "tag", t) for t in a.tags] + [(number, "place", p) for p in a.extra.get("places", [])])
    db.execute("CREATE INDEX facet_docs ON facets (doc, facet)")
    db.close()
    return len(articles)


def _tantivy(folder: Path, articles) -> int:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", tokenizer_name="en_stem")
    builder.add_text_field("topics", fast=True, tokenizer_name="raw")
    builder.add_text_field("places", fast=True, tokenizer_name="raw")
    folder.mkdir(parents=True)
    index = tantivy.Index(builder.build(), path=str(folder))
    writer = index.writer()
    for a in articles:
        writer.add_document(tantivy.Document(title=a.title, body=a.body, topics=a.tags or [""],
                                             places=a.extra.get("places") or [""]))
    writer.commit()
    writer.wait_merging_threads()
    return len(articles)


def measure_build(engine: str, folder: Path, files: list[Path]) -> dict:
    """Build in a fresh process: wall seconds, articles, peak RSS (MiB), size on disk (MB)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "_build", engine, str(folder), *map(str, files)],
                          check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    result = json.loads(done.stdout.splitlines()[-1])
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {"engine": engine, "seconds": seconds, "articles": result["articles"], "rss_mib": result["rss_mib"],
            "size_mb": size / 1e6}


# Querying -------------------------------------------------------------------------------------

class Searchers:
    """For each engine: run(query) and run_with_facets(query), top 10 hits."""

    def __init__(self, folders: dict[str, Path]) -> None:
        openers = {"searchkit": _searchkit_runs, "whoosh": _whoosh_runs, "sqlite-fts5": _sqlite_runs,
                   "tantivy": _tantivy_runs}
        self.runs = {engine: openers[engine](folder) for engine, folder in folders.items()}

    def latencies(self, engine: str, queries: list[str], facets: bool) -> list[float]:
        run = self.runs[engine][1 if facets else 0]
        for q in queries[:20]:
            run(q)
        times = []
        for q in queries:
            start = time.perf_counter()
            run(q)
            times.append((time.perf_counter() - start) * 1000)
        return times


def _searchkit_runs(folder: Path):
    archive = searchkit.Archive(folder)
    return (lambda q: archive.search(q)), (lambda q: archive.search(q, facets=["tag", "place"]))


def _whoosh_runs(folder: Path):
    from whoosh import index, qparser, sorting

    searcher = index.open_dir(folder).searcher()
    parse = qparser.MultifieldParser(["title", "body"], searcher.schema, group=qparser.OrGroup).parse
    facets = {"topics": sorting.FieldFacet("topics", allow_overlap=True),
              "places": sorting.FieldFacet("places", allow_overlap=True)}
    return ((lambda q: list(searcher.search(parse(q), limit=10))),
            (lambda q: searcher.search(parse(q), limit=10, groupedby=facets).groups("topics")))


def _sqlite_runs(folder: Path):
    import sqlite3

    db = sqlite3.connect(folder / "fts.db")

    def match(q: str) -> str:
        return " OR ".join(f'"{w}"' for w in q.split())

    def top(q: str):
        return db.execute("SELECT rowid FROM articles WHERE articles MATCH ? ORDER BY rank LIMIT 10", (match(q),)).fetchall()

    def faceted(q: str):
        hits = top(q)
        for facet in ("tag", "place"):
            db.execute("SELECT value, count(*) FROM facets WHERE facet = ? AND doc IN "
                       "(SELECT rowid FROM articles WHERE articles MATCH ?) GROUP BY value ORDER BY 2 DESC LIMIT 10",
                       (facet, match(q))).fetchall()
        return hits

    return top, faceted


def _tantivy_runs(folder: Path):
    import tantivy

    index = tantivy.Index.open(str(folder))
    searcher = index.searcher()

    def query(q: str):
        return index.parse_query(q, ["title", "body"])

    def faceted(q: str):
        parsed = query(q)
        hits = searcher.search(parsed, 10).hits
        searcher.aggregate(parsed, {"tag": {"terms": {"field": "topics", "size": 10}},
                                    "place": {"terms": {"field": "places", "size": 10}}})
        return hits

    return (lambda q: searcher.search(query(q), 10).hits), faceted


PLAIN_WHOOSH_QUERY = """
import sys
from whoosh import index, qparser
ix = index.open_dir(sys.argv[1])
with ix.searcher() as s:
    q = qparser.MultifieldParser(["title", "body"], ix.schema, group=qparser.OrGroup).parse(sys.argv[2])
    for hit in s.search(q, limit=10):
        print(hit["title"])
"""


def one_shot(command: list[str]) -> float:
    """Seconds a command takes in a fresh process, start-up included."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


# Runs -----------------------------------------------------------------------------------------

def measure_builds(workdir: Path, files: list[Path], repeat: int) -> list[dict]:
    """Every engine built ``repeat`` times, in rounds (each round builds every engine once, so a
    slow spell of the machine falls on all of them); the median wall time of each is kept, the
    largest peak RSS, and the index of the last round."""
    runs: dict[str, list[dict]] = {engine: [] for engine in ENGINES}
    for _ in range(repeat):
        for engine in ENGINES:
            shutil.rmtree(workdir / engine, ignore_errors=True)
            runs[engine].append(measure_build(engine, workdir / engine, files))
    return [{**runs[engine][-1], "seconds": statistics.median(run["seconds"] for run in runs[engine]),
             "all_seconds": [run["seconds"] for run in runs[engine]],
             "rss_mib": max(run["rss_mib"] for run in runs[engine])} for engine in ENGINES]


def reuters_run(workdir: Path, repeat: int) -> None:
    files = reuters.files()
    builds = measure_builds(workdir, files, repeat)
    print(f"Reuters-21578 ({len(files)} SGML files), machine: {os.cpu_count()} cores, median of {repeat} builds each\n")
    print("| engine | wall s (median) | every build s | articles/s | index MB | peak RSS MiB |\n|---|---|---|---|---|---|")
    for b in builds:
        every = ", ".join(f"{seconds:.1f}" for seconds in b["all_seconds"])
        print(f"| {b['engine']} | {b['seconds']:.1f} | {every} | {b['articles'] / b['seconds']:,.0f} | {b['size_mb']:.0f} "
              f"| {b['rss_mib']:.0f} |")
    mine, whoosh = (next(b for b in builds if b["engine"] == engine) for engine in ("searchkit", "whoosh"))
    ratios = ", ".join(f"{theirs / ours:.2f}x" for ours, theirs in zip(mine["all_seconds"], whoosh["all_seconds"]))
    print(f"\nsearchkit vs the straightforward Whoosh script: {whoosh['seconds'] / mine['seconds']:.2f}x faster "
          f"(medians; round by round: {ratios})")
    rerun = measure_build("searchkit", workdir / "searchkit", files)
    print(f"searchkit re-run on the unchanged archive: {rerun['seconds']:.2f} s "
          f"({100 * rerun['seconds'] / mine['seconds']:.1f}% of the first run)\n")
    titles = [a.title for a in reuters.articles()]
    queries = reuters.queries(titles)
    searchers = Searchers({b["engine"]: workdir / b["engine"] for b in builds})
    print(f"{len(queries)} fixed keyword queries, top 10 hits, warm; facets: tag and place\n")
    print("| engine | p50 ms | p95 ms | p50 ms, 2 facets | p95 ms, 2 facets |\n|---|---|---|---|---|")
    for engine in ENGINES:
        plain, faceted = searchers.latencies(engine, queries, False), searchers.latencies(engine, queries, True)
        print(f"| {engine} | {statistics.median(plain):.1f} | {reuters.percentile(plain, 0.95):.1f} "
              f"| {statistics.median(faceted):.1f} | {reuters.percentile(faceted, 0.95):.1f} |")
    cli = Path(sys.executable).parent / "searchkit"
    compileall.compile_dir(Path(searchkit.__file__).parent, quiet=1)  # as an installed package has it
    sample = queries[:20]
    mine = statistics.median(one_shot([str(cli), "query", q, "--index", str(workdir / "searchkit")]) for q in sample)
    plain = statistics.median(one_shot([sys.executable, "-c", PLAIN_WHOOSH_QUERY, str(workdir / "whoosh"), q]) for q in sample)
    print(f"\none-shot query in a fresh process, start-up included (median of {len(sample)}): "
          f"searchkit CLI {mine:.2f} s, plain Whoosh script {plain:.2f} s")


def growth_run(workdir: Path, sizes: list[int]) -> None:
    print("| articles | generate s | index s | articles/s | index MB | peak RSS MiB | query p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for size in sizes:
        start = time.perf_counter()
        files = synthetic.write(workdir / f"data-{size}", size)
        generated = time.perf_counter() - start
        built = measure_build("searchkit", workdir / f"index-{size}", files)
        titles = [r["title"] for r in synthetic.articles(2000, seed=1)]
        queries = reuters.queries(titles, 100, seed=size)
        times = Searchers({"searchkit": workdir / f"index-{size}"}).latencies("searchkit", queries, False)
        print(f"| {size:,} | {generated:.0f} | {built['seconds']:.0f} | {built['articles'] / built['seconds']:,.0f} "
              f"| {built['size_mb']:,.0f} | {built['rss_mib']:.0f} | {statistics.median(times):.1f} "
              f"| {reuters.percentile(times, 0.95):.1f} |", flush=True)
        shutil.rmtree(workdir / f"data-{size}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        engine, folder, files = sys.argv[2], Path(sys.argv[3]), [Path(p) for p in sys.argv[4:]]
        articles = build(engine, folder, files)
        peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        print(json.dumps({"articles": articles, "rss_mib": peak / 1024}))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", choices=["reuters", "growth"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="Reuters builds per engine (median reported)")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        if args.run == "reuters":
            reuters_run(Path(tmp), args.repeat)
        else:
            growth_run(Path(tmp), args.sizes)


if __name__ == "__main__":
    main()
