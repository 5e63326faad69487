"""Input formats: what each reader's library costs to import, WARC reading against the HTML reader
on the same pages, warcio against FastWARC, and peak memory on large and hostile files.

    .venv/bin/python benchmarks/formats.py [--gigabytes 1.0] [--rounds 5] [--skip-large]

- import: microseconds to import each library (and each reader module) in a fresh interpreter;
- WARC speed: the 181 pages of ../shared/data/extraction-aeb read as the .html.gz files they are
  stored in and as one gzipped WARC made from them with warcio (both through ``read_file``:
  decompression, records, skips and the HTML reader), and by the bare HTML reader on their bytes
  in memory; pages per CPU second, the median of the rounds; the target is a WARC rate of at
  least 90% of the HTML files' rate;
- warcio and FastWARC: records per second iterating the same WARC (payloads read), and whether
  each reads the LF-only WARC and the ARC among ../shared/data/inputs;
- memory: peak RSS of a process that reads, through ``read_file``, a JSON Lines file of a million
  identical lines (36 MB) and a 1.5 MB .html.gz that inflates to 1.5 GB (issue 13's hostile
  inputs); and of ``searchkit index`` building an index from a WARC of real pages of
  ``--gigabytes`` on disk (AEB pages repeated under new URLs, each copy's paragraphs marked and
  canonical URLs dropped so that most copies are no duplicates, gzip per record as Common Crawl writes
  them): the indexing process and its workers together, sampled every 0.2 s.

Needs the bench extra (FastWARC, python-docx). Run under ``flock /work/bench.lock``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from searchkit import Article  # noqa: E402
from searchkit.readers import html as html_reader  # noqa: E402
from searchkit.readers import read_file  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
INPUTS = DATA / "inputs"
LIBRARIES = ["warcio", "fastwarc.warc", "feedparser", "striprtf.striprtf", "docx", "csv", "email, email.policy",
             "xml.etree.ElementTree", "zipfile", "selectolax.lexbor"]
READERS = ["webarchive", "feeds", "tables", "agency", "exports", "mbox", "wxr", "jsonl", "sgml", "html", "text"]


def import_costs() -> list[tuple[str, int]]:
    """Cumulative import time (microseconds) of each library, and of each reader module once
    ``searchkit.readers`` is loaded, each in a fresh interpreter."""
    costs = []
    for name in LIBRARIES + [f"searchkit.readers.{module}" for module in READERS]:
        times = []
        for _ in range(3):  # a reader module's cost beyond the package, which every command imports
            code = f"import searchkit.readers; import {name}" if name.startswith("searchkit") else f"import {name}"
            err = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                                 capture_output=True, text=True, check=True).stderr.splitlines()
            times.append(int(err[-1].split("|")[1]))
        costs.append((name, min(times)))
    return costs


def aeb_files() -> list[Path]:
    return sorted((DATA / "extraction-aeb" / "html").glob("*.html.gz"))


def aeb_pages() -> list[tuple[str, bytes]]:
    truth = json.loads((DATA / "extraction-aeb" / "ground-truth.json").read_text())
    return [(truth[path.name.removesuffix(".html.gz")]["url"], gzip.decompress(path.read_bytes())) for path in aeb_files()]


def write_warc(out, pages, copy: int = 0) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=True)
    for url, page in pages:
        if copy:  # an article of its own (body, and URL: the page's canonical URL goes), not a duplicate
            page = page.replace(b"</p>", f" ({copy})</p>".encode()).replace(b"canonical", b"x").replace(b"og:url", b"x")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        target = f"{url}{'&' if '?' in url else '?'}copy={copy}" if copy else url
        writer.write_record(writer.create_warc_record(target, "response", payload=io.BytesIO(page), length=len(page),
                                                      http_headers=headers, warc_headers_dict={"WARC-Date": "2024-05-06T07:08:09Z"}))


def warc_speed(pages, files: list[Path], warc: Path, rounds: int) -> tuple[float, float, float]:
    """Pages per CPU second (medians of the rounds, CPU time of this process: other sessions' load
    counts less): the HTML reader on the pages' bytes in memory, read_file on the pages' .html.gz
    files, read_file on the WARC."""
    def rate(read) -> float:
        start = time.process_time()
        count = read()
        return count / (time.process_time() - start)

    rates: list[list[float]] = [[], [], []]
    for _ in range(rounds):
        rates[0].append(rate(lambda: sum(1 for _, page in pages for _ in html_reader.read(page, "page.html"))))
        rates[1].append(rate(lambda: sum(1 for path in files for item in read_file(path) if isinstance(item, Article))))
        rates[2].append(rate(lambda: sum(1 for item in read_file(warc) if isinstance(item, Article))))
    return tuple(statistics.median(values) for values in rates)


def iterate_warcio(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        return sum(len(record.content_stream().read()) > 0 for record in ArchiveIterator(stream, arc2warc=True))


def iterate_fastwarc(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator  # FastWARC 2: gzip told from the content

    with open(path, "rb") as stream:
        return sum(len(record.reader.read()) > 0 for record in ArchiveIterator(stream, parse_http=True))


def library_speed(warc: Path, rounds: int) -> list[tuple[str, float]]:
    rates = []
    for name, iterate in (("warcio", iterate_warcio), ("FastWARC", iterate_fastwarc)):
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            count = iterate(warc)
            times.append(time.perf_counter() - start)
        rates.append((name, count / statistics.median(times)))
    return rates


def library_reach() -> list[tuple[str, str, str]]:
    rows = []
    for path in sorted((INPUTS / "warc").glob("*.warc*")) + sorted((INPUTS / "arc").glob("*.arc*")):
        results = []
        for iterate in (iterate_warcio, iterate_fastwarc):
            try:
                results.append(f"{iterate(path)} records")
            except Exception as error:  # noqa: BLE001 - reported as it is
                results.append(f"{type(error).__name__}: {str(error)[:40]}")
        rows.append((path.name, *results))
    return rows


_PEAK = """
import sys
from searchkit.readers import read_file
from searchkit import ReadError
counts = {}
try:
    for item in read_file(sys.argv[1]):
        counts[type(item).__name__] = counts.get(type(item).__name__, 0) + 1
except ReadError as error:
    counts["ReadError"] = str(error)
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(counts, int(peak.split()[1]) // 1024)
"""


def peak_rss(path: Path) -> tuple[str, int, float]:
    """What reading a file yields, the reading process's peak RSS (MiB, its VmHWM: ru_maxrss
    would carry this process's own peak over the fork) and its time."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True, check=True).stdout
    counts, rss = out.rsplit(" ", 1)
    return counts, int(rss), time.perf_counter() - start


def index_peak(warc: Path, folder: Path) -> tuple[int, float, str]:
    """The summed RSS (MiB) of ``searchkit index`` and its workers at their largest, sampled every
    0.2 s, the run's time and its summary's last line."""
    start = time.perf_counter()
    run = subprocess.Popen(
        [sys.executable, "-m", "searchkit", "index", str(warc), "--index", str(folder / "warc-index")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    peak = 0
    while run.poll() is None:
        peak = max(peak, tree_rss(run.pid))
        time.sleep(0.2)
    output = run.stdout.read().strip().splitlines()
    return peak // 1024, time.perf_counter() - start, output[-1] if output else f"exit {run.returncode}"


def tree_rss(root: int) -> int:
    """KiB resident in a process and all its descendants now."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def large_warc(folder: Path, pages, gigabytes: float) -> Path:
    path = folder / "large.warc.gz"
    with open(path, "wb") as out:
        copy = 0
        while out.tell() < gigabytes * 1e9:
            copy += 1
            write_warc(out, pages, copy)
    return path


def hostile_files(folder: Path) -> list[Path]:
    lines = folder / "million.jsonl"
    lines.write_bytes(b'{"title": "Same", "body": "Same text."}\n' * 1_000_000)
    bomb = folder / "bomb.html.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(bomb, "wb") as out:
        out.write(compressor.compress(b"<html><body><p>"))
        for _ in range(1500):
            out.write(compressor.compress(b" " * (1 << 20)))
        out.write(compressor.flush())
    return [lines, bomb]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gigabytes", type=float, default=1.0, help="size on disk of the large WARC")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-large", action="store_true", help="leave out the large WARC")
    args = parser.parse_args()

    print("## Import cost (fresh interpreter, best of 3)\n\n| module | ms |\n|---|---|")
    for name, micros in import_costs():
        print(f"| {name} | {micros / 1000:.1f} |")

    pages = aeb_pages()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        warc = folder / "aeb.warc.gz"
        with open(warc, "wb") as out:
            write_warc(out, pages)
        bare, files, archive = warc_speed(pages, aeb_files(), warc, args.rounds)
        print(f"\n## WARC against the HTML reader ({len(pages)} AEB pages, pages per CPU second, median of {args.rounds} rounds)\n")
        print("| reading | pages/s | of the .html.gz files' rate |\n|---|---|---|")
        print(f"| the HTML reader on the pages' bytes in memory | {bare:.0f} | {bare / files:.1%} |")
        print(f"| read_file on the pages' .html.gz files | {files:.0f} | 100% |")
        print(f"| read_file on one .warc.gz of them | {archive:.0f} | {archive / files:.1%} |")

        print(f"\n## warcio and FastWARC: records/s iterating the same WARC (payloads read, median of {args.rounds})\n")
        print("| library | records/s |\n|---|---|")
        for name, rate in library_speed(warc, args.rounds):
            print(f"| {name} | {rate:,.0f} |")
        print("\n| sample | warcio | FastWARC |\n|---|---|---|")
        for row in library_reach():
            print("| " + " | ".join(row) + " |")

        print("\n## Peak RSS reading through read_file (one process each)\n\n| file | size MB | yields | peak RSS MiB | s |\n|---|---|---|---|---|")
        for path in hostile_files(folder):
            counts, rss, seconds = peak_rss(path)
            print(f"| {path.name} | {path.stat().st_size / 1e6:,.0f} | {counts} | {rss} | {seconds:.0f} |")
        if not args.skip_large:
            warc = large_warc(folder, pages, args.gigabytes)
            rss, seconds, summary = index_peak(warc, folder)
            print(f"\n## searchkit index on a {warc.stat().st_size / 1e6:,.0f} MB WARC\n\npeak RSS of the run and its workers: {rss} MiB; {seconds:.0f} s; {summary}")


if __name__ == "__main__":
    main()
