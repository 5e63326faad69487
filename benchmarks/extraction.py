"""HTML extraction quality and speed on every HTML dev set: searchkit's reader beside trafilatura, in one run.

    .venv/bin/python benchmarks/extraction.py [--sets aeb fundus ...] [--extractors searchkit ...]

Sets (under ../shared/data; each folder's PROVENANCE.txt says how its gold was made):

- ``aeb``: extraction-aeb, 181 pages with their article bodies;
- ``fundus``: pages-fundus, 258 pages of 181 publishers (expected records per publisher and parser
  version, paired by MANIFEST_derived.json; expected body: summary, section headlines and paragraphs);
- ``readability``, ``goose3``, ``newspaper4k``, ``dragnet``: extraction-dev's four HTML sets, from
  their gold.jsonl (null = not annotated, so not scored; goose3 bodies are prefixes of the text).

Scores, each over the pages whose gold has the field: title exact (spacing aside); date on the
right day (fundus: no date expected and none given also counts; dragnet's dates are those of
its gold text's dateline, see ``dateline``); author-set and tag-set F1
averaged over pages; body F1 by the Article Extraction Benchmark's own metric (4-gram shingles of
``\\w+`` tokens, per page true/false positives and false negatives normalised by their sum,
precision and recall averaged over pages, F1 of the two averages); for a prefix body, false
positives are counted in as many leading tokens of the extraction as the prefix has. Comments
(dragnet, 966 pages, 283 with comments): the same F1 over each page's comments (authors and
texts; a page annotated without comments that gets some scores 0 precision), and the share of
the 283 where any comment was found. Speed: pages per second on one core, reading included
(CPU time; compare extractors within one run). Needs the benchmark extra.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from searchkit.dates import parse_date  # noqa: E402
from searchkit.readers import html as html_reader  # noqa: E402
from searchkit.readers import html_dates  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DEV = DATA / "extraction-dev"
_TOKEN = re.compile(r"\w+")


@dataclass
class Case:
    """One page and its gold; None marks a field the set does not annotate."""

    page: bytes
    title: str | None = None
    published: str | None = None
    authors: list[str] | None = None
    tags: list[str] | None = None
    body: str | None = None
    body_is_prefix: bool = False
    comments: str | None = None
    date_absent_counts: bool = False  # no expected date and none extracted scores as right


@dataclass
class Extraction:
    title: str = ""
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    body: str = ""
    comments: str = ""


# Scoring ------------------------------------------------------------------------------------

def _shingles(tokens: list[str], n: int = 4) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def page_counts(true: str, pred: str, prefix: bool = False) -> tuple[float, float, float]:
    """Per page (tp, fp, fn) over 4-gram shingles, normalised by their sum (AEB's metric); for a
    prefix gold, only as many leading tokens of the prediction as the gold has can be false positives."""
    true_tokens, pred_tokens = _TOKEN.findall(true or ""), _TOKEN.findall(pred or "")
    expected, got = _shingles(true_tokens), _shingles(pred_tokens)
    tp = sum((expected & got).values())
    fn = sum((expected - got).values())
    lead = _shingles(pred_tokens[:len(true_tokens)]) if prefix else got
    fp = sum((lead - expected).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def body_scores(pages: list[tuple[float, float, float]]) -> dict[str, float]:
    """Precision, recall (averaged over pages) and F1 of the two, as AEB reports them."""
    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    predicted = [precision(*c) for c in pages if c[0] + c[1] > 0]
    expected = [recall(*c) for c in pages if c[0] + c[2] > 0]
    p = statistics.mean(predicted) if predicted else 0.0
    r = statistics.mean(expected) if expected else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def set_f1(expected: list[str], got: list[str]) -> float:
    a = {" ".join(x.casefold().split()) for x in expected if x.strip()}
    b = {" ".join(x.casefold().split()) for x in got if x.strip()}
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def score(cases: list[Case], extracted: list[Extraction]) -> dict[str, float]:
    """Every annotated field's score over the pages that annotate it."""
    pairs = list(zip(cases, extracted))
    result: dict[str, float] = {}
    titles = [" ".join(x.title.split()) == " ".join(c.title.split()) for c, x in pairs if c.title is not None]
    dates = [(x.published or "")[:10] == c.published[:10] if c.published else not x.published
             for c, x in pairs if c.published is not None or c.date_absent_counts]
    authors = [set_f1(c.authors, x.authors) for c, x in pairs if c.authors is not None]
    tags = [set_f1(c.tags, x.tags) for c, x in pairs if c.tags is not None]
    bodies = [page_counts(c.body, x.body, c.body_is_prefix) for c, x in pairs if c.body is not None]
    comments = [(c, x) for c, x in pairs if c.comments is not None]
    for name, values in (("title", titles), ("date", dates), ("authors", authors), ("tags", tags)):
        if values:
            result[name] = statistics.mean(values)
    if bodies:
        result.update({f"body_{k}": v for k, v in body_scores(bodies).items()})
    if any(c.comments for c, _ in comments):
        result["comments_f1"] = body_scores([page_counts(c.comments, x.comments) for c, x in comments])["f1"]
        result["comments_found"] = statistics.mean(bool(x.comments.strip()) for c, x in comments if c.comments)
    return result


# The extractors: an Extraction from HTML bytes ----------------------------------------------

def searchkit_extract(data: bytes) -> Extraction:
    try:
        [article] = list(html_reader.read(data, "page.html"))
    except Exception as error:  # a failure scores as an empty extraction
        print(f"  searchkit: {type(error).__name__}: {error}", file=sys.stderr)
        return Extraction()
    comments = "\n\n".join(f"{c.author}\n\n{c.text}" if c.author else c.text for c in article.comments)
    return Extraction(article.title, article.published, article.authors, article.tags, article.body, comments)


def trafilatura_extract(data: bytes) -> Extraction:
    import trafilatura

    document = trafilatura.bare_extraction(data, with_metadata=True, include_comments=True)
    if document is None:
        return Extraction()
    fields = document if isinstance(document, dict) else document.as_dict()

    def values(value) -> list[str]:  # trafilatura gives strings or lists, depending on the field
        items = value if isinstance(value, list) else re.split(r"[,;]", value or "")
        return [item.strip() for item in items if isinstance(item, str) and item.strip()]

    return Extraction(fields.get("title") or "", fields.get("date"), values(fields.get("author")),
                      values(fields.get("tags")) + values(fields.get("categories")), fields.get("text") or "",
                      fields.get("comments") or "")


EXTRACTORS: dict[str, Callable[[bytes], Extraction]] = {"searchkit": searchkit_extract, "trafilatura 2.3": trafilatura_extract}


# The sets -----------------------------------------------------------------------------------

def aeb_cases() -> list[Case]:
    folder = DATA / "extraction-aeb"
    truth = json.loads((folder / "ground-truth.json").read_text())
    return [Case(gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()), body=gold["articleBody"])
            for key, gold in truth.items()]


def fundus_cases() -> list[Case]:
    folder = DATA / "pages-fundus"
    cases = []
    for entry in json.loads((folder / "MANIFEST_derived.json").read_text()):
        expected = json.loads((folder / entry["country"] / f"{entry['publisher']}.json").read_text())[entry["version"]]
        body = expected.get("body") or {}
        text = "\n\n".join([*body.get("summary", []), *(part for section in body.get("sections", [])
                                                         for part in [*section.get("headline", []), *section.get("paragraphs", [])])])
        cases.append(Case(gzip.decompress((folder / entry["html"]).read_bytes()), title=expected.get("title") or "",
                          published=expected.get("publishing_date"), authors=expected.get("authors") or [],
                          tags=expected.get("topics") or [], body=text, date_absent_counts=True))
    return cases


def dev_cases(name: str) -> list[Case]:
    """An extraction-dev set from its gold.jsonl (dragnet: dates from the gold text's dateline)."""
    folder = DEV / name
    cases = []
    for line in (folder / "gold.jsonl").read_text().splitlines():
        gold = json.loads(line)
        published = gold["published"] or (dateline(gold["body"]) if name == "dragnet-train" else None)
        cases.append(Case(gzip.decompress((folder / gold["page"]).read_bytes()), title=gold["title"],
                          published=published, authors=gold["authors"], tags=gold["tags"], body=gold["body"],
                          body_is_prefix=gold["body_is_prefix"], comments=gold["comments"]))
    return cases


def dateline(text: str) -> str | None:
    """The first date in the lines of a gold text before its first paragraph (a line over 200
    characters): dragnet's annotators kept each page's dateline there (596 of 966 pages)."""
    for line in text.split("\n\n")[:8]:
        if len(line) > 200:
            return None
        if parse_date(line):
            return parse_date(line)
    return None


SETS: dict[str, Callable[[], list[Case]]] = {
    "aeb": aeb_cases,
    "fundus": fundus_cases,
    "readability": lambda: dev_cases("readability"),
    "goose3": lambda: dev_cases("goose3"),
    "newspaper4k": lambda: dev_cases("newspaper4k"),
    "dragnet": lambda: dev_cases("dragnet-train"),
}


def run(cases: list[Case], extract: Callable[[bytes], Extraction]) -> dict[str, float]:
    """One extractor's scores on one set, with its pages per second (after a first page, which
    pays for the extractor's lazy imports; searchkit imports htmldate only for the first page that
    declares no date, trafilatura with itself, so that import is paid first too)."""
    if extract is searchkit_extract:
        html_dates.searched("<html></html>")
    extract(cases[0].page)
    start = time.process_time()
    extracted = [extract(case.page) for case in cases]
    seconds = time.process_time() - start
    return {**score(cases, extracted), "pages_per_s": len(cases) / seconds}


COLUMNS = [("title", "title"), ("date", "date"), ("authors", "authors F1"), ("tags", "tags F1"), ("body_f1", "body F1"),
           ("body_precision", "body P"), ("body_recall", "body R"), ("comments_f1", "comments F1"),
           ("comments_found", "comments found"), ("pages_per_s", "pages/s")]


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """One row per set and extractor; a dash where the set does not annotate the field."""
    lines = ["| set | pages | extractor | " + " | ".join(label for _, label in COLUMNS) + " |",
             "|---|---|---|" + "---|" * len(COLUMNS)]
    for set_name, by_extractor in results.items():
        for extractor, figures in by_extractor.items():
            cells = [f"{figures[key]:.0f}" if key == "pages_per_s" else f"{figures[key]:.3f}" if key in figures else "–"
                     for key, _ in COLUMNS]
            lines.append(f"| {set_name} | {figures['pages']:.0f} | {extractor} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    parser.add_argument("--extractors", nargs="+", choices=list(EXTRACTORS), default=list(EXTRACTORS))
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"needs the shared data at {DATA}")
    results: dict[str, dict[str, dict[str, float]]] = {}
    for set_name in args.sets:
        cases = SETS[set_name]()
        results[set_name] = {name: {**run(cases, EXTRACTORS[name]), "pages": len(cases)} for name in args.extractors}
        print(f"{set_name} done", file=sys.stderr)
    print(table(results))
    if {"aeb", "fundus"} <= set(args.sets) and len(args.extractors) == 2:
        mine, peer = args.extractors
        speed = {name: sum(results[s][name]["pages"] for s in ("aeb", "fundus"))
                 / sum(results[s][name]["pages"] / results[s][name]["pages_per_s"] for s in ("aeb", "fundus"))
                 for name in (mine, peer)}
        print(f"\nAEB + fundus: {mine} {speed[mine]:.0f} pages/s, {peer} {speed[peer]:.0f} pages/s: "
              f"{speed[mine] / speed[peer]:.1f}x")


if __name__ == "__main__":
    main()
