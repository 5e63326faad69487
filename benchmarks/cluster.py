"""The sphinxql engine on local Sphinx clusters of 1, 2 and 4 shards beside the Whoosh backend, in
one run: index time, peak memory, query latency with and without two facets, and (Reuters) how
many of Whoosh's top 10 hits the cluster ranks in its own top 10.

    flock /work/bench.lock .venv/bin/python benchmarks/cluster.py [--synthetic 1000000] [--shards 1 2 4]
    flock /work/bench.lock .venv/bin/python benchmarks/cluster.py --cpu   # where indexing's CPU goes

Each build runs in a fresh process (``searchkit index`` through the library, default workers);
peak RSS is that process's and its workers', plus, for a cluster, the sum of its searchd
processes' peaks (VmHWM). Queries: keyword queries of one to three headline words, top 10 hits,
warm, through ``Archive.search``; facets tag and place (Reuters), tag and author (synthetic).
"""

from __future__ import annotations

import argparse
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
from searchkit.backends.sphinxql import servers

QUERIES = 200


def build(folder: Path, engine: str, files: list[Path]) -> dict:
    """Index in a fresh process: wall seconds and the peak RSS (MiB) of the process and its workers."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "_build", str(folder), engine, *map(str, files)],
                          check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.splitlines()[-1])
    return {"seconds": time.perf_counter() - start, **result}


def latencies(archive: searchkit.Archive, queries: list[str], facets: list[str]) -> list[float]:
    for query in queries[:20]:
        archive.search(query, facets=facets)
    times = []
    for query in queries:
        start = time.perf_counter()
        archive.search(query, facets=facets)
        times.append((time.perf_counter() - start) * 1000)
    return times


def searchd_peak(cluster: servers.Cluster) -> float:
    """The sum of the cluster's searchd peak RSS, MiB."""
    total = 0
    for node in cluster.nodes:
        for line in Path(f"/proc/{node.pid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return total / 1024


def measure(name: str, files: list[Path], queries: list[str], facets: list[str], shard_counts: list[int],
            workdir: Path) -> tuple[list[str], list[list[str]]]:
    """Table rows for Whoosh and each cluster; the top 10 ids of each query per engine."""
    rows, tops = [], []
    configurations = [("whoosh", None)] + [(f"sphinxql, {n} shard{'s' if n > 1 else ''}", n) for n in shard_counts]
    for label, shards in configurations:
        cluster = None
        if shards is not None:
            cluster = servers.init(workdir / f"cluster-{name}-{shards}", shards, port=0)
            for node in cluster.nodes:
                servers.start(node)
        try:
            folder = workdir / f"index-{name}-{label.split(',')[0]}-{shards}"
            built = build(folder, cluster.url if cluster else "whoosh", files)
            peak = built["rss_mib"] + (searchd_peak(cluster) if cluster else 0)
            with searchkit.Archive(folder) as archive:
                plain = latencies(archive, queries, [])
                faceted = latencies(archive, queries, facets)
                tops.append([[hit.id for hit in archive.search(query, snippets=False).hits] for query in queries])
            rows.append(f"| {name} | {label} | {built['articles']:,} | {built['seconds']:.0f} "
                        f"| {built['articles'] / built['seconds']:,.0f} | {peak:,.0f} "
                        f"| {statistics.median(plain):.1f} | {reuters.percentile(plain, 0.95):.1f} "
                        f"| {statistics.median(faceted):.1f} | {reuters.percentile(faceted, 0.95):.1f} |")
            print(rows[-1], flush=True)
        finally:
            if cluster:
                for node in cluster.nodes:
                    servers.stop(node)
                shutil.rmtree(cluster.folder, ignore_errors=True)
            shutil.rmtree(workdir / f"index-{name}-{label.split(',')[0]}-{shards}", ignore_errors=True)
    return rows, tops


def cpu_run(workdir: Path) -> None:
    """CPU seconds per article of indexing Reuters with one worker (everything in this process),
    parsing alone, the Whoosh backend, and a 1-shard cluster (this process, then searchd)."""
    files = reuters.files()
    start = time.process_time()
    count = sum(1 for path in files for item in searchkit.read_file(path) if isinstance(item, searchkit.Article))
    parse = time.process_time() - start
    start = time.process_time()
    searchkit.Archive(workdir / "cpu-whoosh", engine="whoosh").index(files, workers=1)
    whoosh = time.process_time() - start
    cluster = servers.init(workdir / "cpu-cluster", 1, port=0)
    servers.start(cluster.nodes[0])
    try:
        before, start = _cpu_of(cluster.nodes[0].pid()), time.process_time()
        searchkit.Archive(workdir / "cpu-sphinx", engine=cluster.url).index(files, workers=1)
        mine, searchd = time.process_time() - start, _cpu_of(cluster.nodes[0].pid()) - before
    finally:
        servers.stop(cluster.nodes[0])
    print(f"\nReuters ({count:,} articles), CPU per article with one worker:\n")
    print("| stage | µs per article |\n|---|---|")
    for label, seconds in (("parsing the SGML files (both engines)", parse), ("Whoosh backend, all of it", whoosh),
                           ("sphinxql, searchkit's process", mine), ("sphinxql, searchd", searchd),
                           ("sphinxql, both", mine + searchd)):
        print(f"| {label} | {seconds / count * 1e6:,.0f} |")


def _cpu_of(pid: int) -> float:
    """CPU seconds a process has used (user and system, its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def overlap(first: list[list[str]], second: list[list[str]]) -> float:
    """The mean share of the first engine's top 10 found in the second's, over queries with hits."""
    shares = [len(set(a) & set(b)) / len(a) for a, b in zip(first, second) if a]
    return statistics.mean(shares) if shares else 0.0


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        folder, engine, files = Path(sys.argv[2]), sys.argv[3], sys.argv[4:]
        report = searchkit.Archive(folder, engine=engine).index(files)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(json.dumps({"articles": report.added + report.updated, "rss_mib": peak / 1024}))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="synthetic articles (0: none)")
    parser.add_argument("--shards", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--synthetic-shards", type=int, nargs="+", help="shard counts for the synthetic run [default: --shards]")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder)")
    parser.add_argument("--cpu", action="store_true", help="only where indexing Reuters spends CPU, per stage")
    args = parser.parse_args()
    if args.cpu:
        with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
            cpu_run(Path(tmp))
        return
    print("| archive | engine | articles | index s | articles/s | peak RSS MiB | p50 ms | p95 ms | p50 ms, 2 facets "
          "| p95 ms, 2 facets |\n|---|---|---|---|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        workdir = Path(tmp)
        titles = [article.title for article in reuters.articles()]
        queries = reuters.queries(titles, QUERIES)
        _, tops = measure("Reuters", reuters.files(), queries, ["tag", "place"], args.shards, workdir)
        overlaps = ", ".join(f"{n} shard{'s' if n > 1 else ''} {overlap(tops[0], top):.2f}"
                             for n, top in zip(args.shards, tops[1:]))
        if args.synthetic:
            files = synthetic.write(workdir / "synthetic", args.synthetic)
            titles = [record["title"] for record in synthetic.articles(2000, seed=1)]
            measure("synthetic", files, reuters.queries(titles, QUERIES, seed=args.synthetic), ["tag", "author"],
                    args.synthetic_shards or args.shards, workdir)
    print(f"\nReuters, share of Whoosh's top 10 in the cluster's top 10 ({QUERIES} keyword queries): {overlaps}")


if __name__ == "__main__":
    main()
