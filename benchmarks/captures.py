"""Text captures: searchkit's text reader on whole pages rendered as text, per renderer, beside a
whole-text baseline (and, with --before, the reader of another commit), in one run.

    .venv/bin/python benchmarks/captures.py                 # all captures, then the held-out fifth
    .venv/bin/python benchmarks/captures.py --split dev --before main
    .venv/bin/python benchmarks/captures.py --misses        # wrong titles and dates by kind
    flock /work/bench.lock .venv/bin/python benchmarks/captures.py --speed main

On ../shared/data/extraction-dev/text-captures (1,459 renderings of 515 pages by w3m, lynx and
Chromium's innerText; listed from gold.jsonl): title right (the same words, case and punctuation
aside, as the gold title or as its longest part around a site separator, "Headline | Site"), title
close (also right where only a kicker or the site's name before or after the headline, invisible
characters or spaces between CJK characters differ), date on the right day, author-set F1, and body
F1 of the shingle precision and recall (extraction.py's page_counts: 4-grams of \\w+ tokens)
averaged over captures, goose3's prefix bodies counting for recall only. The baseline takes the
first line as title, the first date anywhere, no authors, and all the text as body. "held-out" is
a fixed fifth of the pages (by a hash of the page's name) kept out of development. A last line
gives what picking lines can reach (the gold title, or a title close to it, or the gold day in a
line). Speed (--speed): the text reader alone over every capture, this tree's and another commit's
in alternating rounds in fresh processes, CPU time, best of three.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extraction import page_counts, set_f1  # noqa: E402  (one definition of the scores)
from searchkit.dates import parse_date  # noqa: E402
from searchkit.normalize import clean_lines  # noqa: E402
from searchkit.readers import text as text_reader  # noqa: E402
from searchkit.readers.encoding import decode  # noqa: E402

CAPTURES = ROOT.parent / "shared" / "data" / "extraction-dev" / "text-captures"
_TOKEN = re.compile(r"\w+")

_SITE_SEPARATOR = re.compile(r"\s+[|\-–—:·»«]\s+|\s*\|\s*")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")  # soft hyphens, zero-width characters
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# A day named only relative to the moment of reading: "3 hours ago", "vor 14 Minuten", "yesterday".
_RELATIVE_DATE = re.compile(
    r"\d+\s*(?:seconds?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?)\s+ago\b|\bvor\s+\d+\s+(?:Sekunden|Minuten|Stunden|Tagen)"
    r"|\bhace\s+\d+|\bil y a\s+\d+|\b\d+\s+(?:minutter|timer|dager|dagar|timmar)\s+siden\b|\bpřed\s+\d+"
    r"|\b(?:today|yesterday|heute|gestern|hoy|ayer|aujourd'hui|oggi|ieri|hoje|ontem|vandaag|gisteren|dnes|včera|wczoraj)\b",
    re.I,
)


def _words(text: str | None) -> str:
    return " ".join(_TOKEN.findall((text or "").casefold()))


def title_right(expected: str, got: str) -> bool:
    """The same words (case and punctuation aside) as the gold title or as its longest part, the
    gold of some pages being the document title with the site's name beside the headline."""
    main = max(_SITE_SEPARATOR.split(expected), key=len)
    return bool(_words(got)) and _words(got) in {_words(expected), _words(main)}


def title_close(expected: str, got: str) -> bool:
    """Right, or different only where a reader of the page would not count it wrong: a kicker or
    the site's name before or after the headline (the shorter title begins or ends the longer one
    and holds at least three fifths of its words), invisible characters, or spaces between Chinese
    or Japanese characters. Case and punctuation aside, as for title_right."""
    if title_right(expected, got):
        return True
    a, b = (_words(_INVISIBLE.sub("", text)) for text in (expected, got))
    if _CJK.search(a):
        long, short = sorted((a.replace(" ", ""), b.replace(" ", "")), key=len, reverse=True)
    else:
        long, short = sorted((a.split(), b.split()), key=len, reverse=True)
    return (
        len(short) >= 2 and len(short) >= 0.6 * len(long)
        and (long[:len(short)] == short or long[len(long) - len(short):] == short)
    )


def held_out(page: str) -> bool:
    """A fifth of the pages, fixed by name, kept out of development to check rules against."""
    return zlib.crc32(page.encode()) % 5 == 0


def capture_scores(rows: list[dict], extracted: list[tuple[str, str | None, list[str], str]]) -> dict[str, float]:
    """Title right (and close), date on the right day, author-set F1 and body F1 over the captures
    that have gold for each; goose3's prefix bodies count for recall only (the text beyond is unknown)."""
    titles, close, dates, authors, precisions, recalls = [], [], [], [], [], []
    for row, (title, published, names, body) in zip(rows, extracted):
        if row["title"]:
            titles.append(title_right(row["title"], title))
            close.append(title_close(row["title"], title))
        if row["published"]:
            dates.append((published or "")[:10] == row["published"][:10])
        if row["authors"] is not None:
            authors.append(set_f1(row["authors"], names))
        if row["body"]:
            tp, fp, fn = page_counts(row["body"], body)
            if tp + fn:
                recalls.append(tp / (tp + fn))
            if not row["body_is_prefix"] and tp + fp:
                precisions.append(tp / (tp + fp))
    p, r = statistics.mean(precisions), statistics.mean(recalls)
    return {"title": statistics.mean(titles), "title_close": statistics.mean(close), "date": statistics.mean(dates),
            "authors": statistics.mean(authors), "precision": p, "recall": r,
            "body_f1": 2 * p * r / (p + r) if p + r else 0.0}


# The text reader of a copy of searchkit (another commit's), in its own process: reads the capture
# files named on stdin, prints what it found and the CPU seconds it took.
_READER_AT = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from searchkit.readers import text
found, seconds = [], 0.0
for name in json.loads(sys.stdin.read()):
    data = open(name, "rb").read()
    start = time.process_time()
    try:
        [article] = list(text.read(data, "capture.txt"))
        found.append([article.title, article.published, article.authors, article.body])
    except Exception:
        found.append(["", None, [], ""])
    seconds += time.process_time() - start
print(json.dumps({"found": found, "seconds": seconds}))
"""


def reader_at(source: Path, rows: list[dict]) -> tuple[list[tuple], float]:
    """What the text reader of the searchkit under ``source`` finds in each capture, and its CPU seconds."""
    names = json.dumps([str(CAPTURES / row["capture"]) for row in rows])
    done = subprocess.run([sys.executable, "-c", _READER_AT, str(source)], input=names, capture_output=True,
                          text=True, check=True)
    result = json.loads(done.stdout)
    return [tuple(found) for found in result["found"]], result["seconds"]


def checkout(ref: str, folder: str) -> Path:
    """searchkit as it was at a git commit, copied into ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "searchkit"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
    return Path(folder)


def searchkit_capture(data: bytes) -> tuple[str, str | None, list[str], str]:
    try:
        [article] = list(text_reader.read(data, "capture.txt"))
    except Exception as error:  # a failure scores as an empty extraction
        print(f"  searchkit: {type(error).__name__}: {error}", file=sys.stderr)
        return "", None, [], ""
    return article.title, article.published, article.authors, article.body


def whole_text_capture(data: bytes) -> tuple[str, str | None, list[str], str]:
    """The baseline: the first line as title, the first date anywhere, no authors, all text as body."""
    lines = [line for line in clean_lines(decode(data)) if line]
    published = next((date for date in map(parse_date, lines) if date), None)
    return (lines[0] if lines else ""), published, [], "\n\n".join(lines)


def captures(split: str | None = None, before: str | None = None) -> dict[tuple[str, str], dict]:
    """Scores per (renderer, reader); ``split`` "dev" or "held-out" keeps that part of the pages;
    ``before`` a commit whose reader is scored too."""
    rows = _rows(split)
    found = {"searchkit": [searchkit_capture((CAPTURES / row["capture"]).read_bytes()) for row in rows],
             "whole text": [whole_text_capture((CAPTURES / row["capture"]).read_bytes()) for row in rows]}
    if before:
        with tempfile.TemporaryDirectory() as folder:
            found[f"searchkit at {before}"] = reader_at(checkout(before, folder), rows)[0]
    results = {}
    for renderer in ("w3m", "lynx", "chromium"):
        chosen = [index for index, row in enumerate(rows) if row["renderer"] == renderer]
        for name, extracted in found.items():
            scores = capture_scores([rows[index] for index in chosen], [extracted[index] for index in chosen])
            results[renderer, name] = {**scores, "captures": len(chosen)}
    return results


def speed(ref: str, rounds: int = 3) -> None:
    """Captures per second (and MB/s) of the text reader at ``ref`` and in this tree, alternating."""
    rows = _rows(None)
    megabytes = sum((CAPTURES / row["capture"]).stat().st_size for row in rows) / 1e6
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        sources = {ref: checkout(ref, folder), "this tree": ROOT}
        for _ in range(rounds):
            for name, source in sources.items():
                seconds = reader_at(source, rows)[1]
                best[name] = min(best.get(name, seconds), seconds)
    for name, seconds in best.items():
        print(f"{name}: {len(rows) / seconds:.0f} captures/s, {megabytes / seconds:.2f} MB/s "
              f"(best of {rounds}, {len(rows)} captures, CPU time)")


def _rows(split: str | None) -> list[dict]:
    rows = [json.loads(line) for line in (CAPTURES / "gold.jsonl").read_text().splitlines()]
    if split:
        rows = [row for row in rows if held_out(row["source_page"]) == (split == "held-out")]
    return rows


def _lines(row: dict) -> list[str]:
    return [line for line in clean_lines(decode((CAPTURES / row["capture"]).read_bytes())) if line]


def _shown(row: dict, lines: list[str]) -> tuple[bool, bool]:
    """Whether a line of the capture is the gold title (or its longest part), and one is close to it."""
    words = {_words(line) for line in lines}
    parts = {_words(row["title"]), _words(max(_SITE_SEPARATOR.split(row["title"]), key=len))}
    return bool(words & parts), any(title_close(row["title"], line) for line in lines if len(line) < 400)


def _dated(row: dict, lines: list[str]) -> bool:
    """Whether a line of the capture gives the gold day, read in either order of day and month."""
    day = row["published"][:10]
    return any(
        (parse_date(line, day_first=order) or "")[:10] == day
        for line in lines if any(ch.isdigit() for ch in line) for order in (None, True, False)
    )


def capture_ceilings(split: str | None = None) -> dict[str, tuple[float, float, float]]:
    """Per renderer, the share of captures with a line that is the gold title (or its longest
    part), with a line close to it (title_close), and with a line that gives the gold day: what a
    reader that picks lines can reach."""
    shown: dict[str, list[bool]] = {}
    close: dict[str, list[bool]] = {}
    dated: dict[str, list[bool]] = {}
    for row in _rows(split):
        lines = _lines(row)
        if row["title"]:
            exact, near = _shown(row, lines)
            shown.setdefault(row["renderer"], []).append(exact)
            close.setdefault(row["renderer"], []).append(near)
        if row["published"]:
            dated.setdefault(row["renderer"], []).append(_dated(row, lines))
    return {renderer: (statistics.mean(shown[renderer]), statistics.mean(close[renderer]),
                       statistics.mean(dated[renderer])) for renderer in shown}


def misses(split: str | None = None) -> dict[str, Counter]:
    """Per renderer, searchkit's wrong titles and dates by kind."""
    kinds: dict[str, Counter] = {}
    for row in _rows(split):
        title, published, _, _ = searchkit_capture((CAPTURES / row["capture"]).read_bytes())
        counts = kinds.setdefault(row["renderer"], Counter())
        lines = _lines(row)
        if row["title"] and not title_right(row["title"], title):
            exact, near = _shown(row, lines)
            counts["title: " + (
                "a kicker or the site's name more or less (title_close)" if title_close(row["title"], title)
                else "shown as a line, another line taken" if exact
                else "shown with a kicker or site name, another line taken" if near
                else "not a line of the capture (<title>, og:title, other words)"
            )] += 1
        if row["published"] and (published or "")[:10] != row["published"][:10]:
            counts["date: " + (
                "shown, another date taken" if _dated(row, lines)
                else "on no line; a relative one is (\"3 hours ago\", \"yesterday\")" if any(
                    _RELATIVE_DATE.search(line) for line in lines if len(line) < 200)
                else "the day is on no line"
            )] += 1
    return kinds


def print_captures(split: str | None = None, before: str | None = None) -> None:
    print(f"\ntext captures{f' ({split} pages)' if split else ''}: share right, author-set F1, body F1 "
          "(precision and recall averaged over captures)\n")
    print("| renderer | reader | captures | title | title close | date (day) | authors F1 | body F1 | precision "
          "| recall |\n|---|---|---|---|---|---|---|---|---|---|")
    for (renderer, name), r in captures(split, before).items():
        print(f"| {renderer} | {name} | {r['captures']} | {r['title']:.3f} | {r['title_close']:.3f} | {r['date']:.3f} | "
              f"{r['authors']:.3f} | {r['body_f1']:.3f} | {r['precision']:.3f} | {r['recall']:.3f} |")
    print("\nreachable by picking lines (title, title close, date): " + "; ".join(
        f"{renderer} {title:.3f}, {close:.3f}, {date:.3f}" for renderer, (title, close, date) in capture_ceilings(split).items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["all", "dev", "held-out"],
                        help="one part of the pages (default: all, then held-out)")
    parser.add_argument("--before", metavar="REF", help="also score the text reader of this git commit")
    parser.add_argument("--misses", action="store_true", help="count searchkit's wrong titles and dates by kind")
    parser.add_argument("--speed", metavar="REF", help="time this tree's text reader against that of a git commit")
    args = parser.parse_args()
    if not CAPTURES.exists():
        sys.exit(f"needs the shared data at {CAPTURES}")
    if args.speed:
        speed(args.speed)
        return
    if args.misses:
        for renderer, counts in misses(None if args.split in (None, "all") else args.split).items():
            print(f"\n{renderer}:")
            for kind, count in sorted(counts.items()):
                print(f"  {count:4d}  {kind}")
        return
    for split in [args.split] if args.split else ["all", "held-out"]:
        print_captures(None if split == "all" else split, args.before)


if __name__ == "__main__":
    main()
