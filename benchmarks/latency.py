"""Query latency on Reuters-21578: searchkit beside plain Whoosh, warm in a library and one-shot
from the command line, in one run.

    .venv/bin/python benchmarks/latency.py [--queries 300] [--cli-runs 20]

Both engines index the same 21,578 articles (searchkit through its own reader and indexer; plain
Whoosh as its documentation sets it up: StemmingAnalyzer text fields, a KEYWORD field of topics
and one of places). Then the same fixed keyword queries run against each, top 10 hits, warm
(after one pass to load caches), with and without facet counts.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import reuters

import searchkit

PLAIN_WHOOSH_QUERY = """
import sys
from whoosh import index, qparser
ix = index.open_dir(sys.argv[1])
with ix.searcher() as s:
    q = qparser.MultifieldParser(["title", "body"], ix.schema, group=qparser.OrGroup).parse(sys.argv[2])
    for hit in s.search(q, limit=10):
        print(hit["title"])
"""


def build_plain_whoosh(folder: Path, articles) -> None:
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
                    body=TEXT(analyzer=StemmingAnalyzer()), topics=KEYWORD(commas=True), places=KEYWORD(commas=True))
    folder.mkdir()
    ix = index.create_in(folder, schema)
    with ix.writer() as writer:
        for a in articles:
            writer.add_document(id=a.id, title=a.title, body=a.body, topics=",".join(a.tags),
                                places=",".join(a.extra.get("places", [])))


def timed(function, items) -> list[float]:
    for item in items[:20]:
        function(item)
    times = []
    for item in items:
        start = time.perf_counter()
        function(item)
        times.append((time.perf_counter() - start) * 1000)
    return times


def wall(command: list[str]) -> float:
    """Seconds a command takes in a fresh process, start-up included."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--cli-runs", type=int, default=20)
    args = parser.parse_args()
    articles = reuters.articles()
    queries = reuters.queries([a.title for a in articles], args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        sk_dir, wh_dir = Path(tmp) / "searchkit", Path(tmp) / "whoosh"
        archive = searchkit.Archive(sk_dir)
        archive.index(reuters.files())
        build_plain_whoosh(wh_dir, articles)

        rows = []
        plain = timed(lambda q: archive.search(q), queries)
        faceted = timed(lambda q: archive.search(q, facets=["tag", "place"]), queries)
        rows += [("searchkit, library, warm", plain), ("searchkit, library, warm, 2 facets (tag, place)", faceted)]

        from whoosh import index, qparser, sorting
        ix = index.open_dir(wh_dir)
        with ix.searcher() as searcher:
            parse = qparser.MultifieldParser(["title", "body"], ix.schema, group=qparser.OrGroup).parse
            facet = sorting.FieldFacet("topics", allow_overlap=True)
            rows.append(("plain Whoosh, library, warm", timed(lambda q: list(searcher.search(parse(q), limit=10)), queries)))
            rows.append(("plain Whoosh, library, warm, 1 facet (topics)",
                         timed(lambda q: searcher.search(parse(q), limit=10, groupedby={"topics": facet}).groups("topics"), queries)))

        print(f"Reuters-21578: {len(articles):,} articles, {len(queries)} fixed keyword queries, top 10 hits\n")
        print("| engine and mode | p50 ms | p95 ms |\n|---|---|---|")
        for name, times in rows:
            print(f"| {name} | {statistics.median(times):.1f} | {reuters.percentile(times, 0.95):.1f} |")
        cli = Path(sys.executable).parent / "searchkit"
        sample = queries[: args.cli_runs]
        sk_wall = statistics.median(wall([str(cli), "query", q, "--index", str(sk_dir)]) for q in sample)
        wh_wall = statistics.median(wall([sys.executable, "-c", PLAIN_WHOOSH_QUERY, str(wh_dir), q]) for q in sample)
        print(f"\n| one-shot query in a fresh process (median of {len(sample)}) | wall s |\n|---|---|")
        print(f"| searchkit query (CLI) | {sk_wall:.2f} |\n| plain Whoosh script | {wh_wall:.2f} |")


if __name__ == "__main__":
    main()
