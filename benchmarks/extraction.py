"""HTML extraction quality and speed: searchkit's reader beside trafilatura, in one run.

    .venv/bin/python benchmarks/extraction.py

On ../shared/data/extraction-aeb (181 pages with their article bodies) the body is scored with
the Article Extraction Benchmark's own metric: 4-gram shingles of \\w+ tokens, per page true/false
positives and false negatives normalised by their sum, precision and recall averaged over pages
(pages with nothing predicted count for recall only), F1 of the two averages. On
../shared/data/pages-fundus (258 pages, expected records per publisher and parser version, paired
by MANIFEST_derived.json): title exact, date on the right day, author-set and tag-set F1 averaged
over pages, and body F1 as above (expected body: summary, section headlines and paragraphs).
Speed is pages per second on one core, reading included. Needs the benchmark extra.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from searchkit.readers import html as html_reader  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
_TOKEN = re.compile(r"\w+")


def page_counts(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Per page (tp, fp, fn) over 4-gram shingles, normalised by their sum."""
    def shingles(text: str) -> Counter:
        tokens = _TOKEN.findall(text or "")
        return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])

    expected, got = shingles(true), shingles(pred)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def body_scores(pages: list[tuple[float, float, float]]) -> dict[str, float]:
    """Precision, recall (averaged over pages) and F1 of the two, as AEB reports them."""
    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*c) for c in pages if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in pages if c[0] + c[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def set_f1(expected: list[str], got: list[str]) -> float:
    a = {" ".join(x.casefold().split()) for x in expected if x.strip()}
    b = {" ".join(x.casefold().split()) for x in got if x.strip()}
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


# The extractors: (title, published ISO or YYYY-MM-DD, authors, tags, body) from HTML bytes ----

def searchkit_extract(data: bytes) -> tuple[str, str | None, list[str], list[str], str]:
    try:
        [article] = list(html_reader.read(data, "page.html"))
    except Exception as error:  # a failure scores as an empty extraction
        print(f"  searchkit: {type(error).__name__}: {error}", file=sys.stderr)
        return "", None, [], [], ""
    return article.title, article.published, article.authors, article.tags, article.body


def trafilatura_extract(data: bytes) -> tuple[str, str | None, list[str], list[str], str]:
    import trafilatura

    document = trafilatura.bare_extraction(data.decode("utf-8", "replace"), with_metadata=True)
    if document is None:
        return "", None, [], [], ""
    fields = document if isinstance(document, dict) else document.as_dict()
    def values(value) -> list[str]:  # trafilatura gives strings or lists, depending on the field
        items = value if isinstance(value, list) else re.split(r"[,;]", value or "")
        return [item.strip() for item in items if isinstance(item, str) and item.strip()]

    authors = values(fields.get("author"))
    tags = values(fields.get("tags")) + values(fields.get("categories"))
    return fields.get("title") or "", fields.get("date"), authors, tags, fields.get("text") or ""


EXTRACTORS = {"searchkit": searchkit_extract, "trafilatura 2.3": trafilatura_extract}


def aeb() -> dict[str, dict]:
    folder = DATA / "extraction-aeb"
    truth = json.loads((folder / "ground-truth.json").read_text())
    pages = {key: gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()) for key in truth}
    results = {}
    for name, extract in EXTRACTORS.items():
        start = time.process_time()
        bodies = {key: extract(data)[4] for key, data in pages.items()}
        seconds = time.process_time() - start
        scores = body_scores([page_counts(truth[key]["articleBody"], bodies[key]) for key in truth])
        results[name] = {**scores, "pages_per_s": len(pages) / seconds}
    return results


def fundus() -> dict[str, dict]:
    folder = DATA / "pages-fundus"
    manifest = json.loads((folder / "MANIFEST_derived.json").read_text())
    cases = []
    for entry in manifest:
        expected = json.loads((folder / entry["country"] / f"{entry['publisher']}.json").read_text())[entry["version"]]
        body = expected.get("body") or {}
        text = "\n\n".join([*body.get("summary", []), *(part for section in body.get("sections", [])
                                                         for part in [*section.get("headline", []), *section.get("paragraphs", [])])])
        cases.append((gzip.decompress((folder / entry["html"]).read_bytes()), expected, text))
    results = {}
    for name, extract in EXTRACTORS.items():
        titles, dates, authors, tags, bodies = [], [], [], [], []
        start = time.process_time()
        extracted = [extract(data) for data, _, _ in cases]
        seconds = time.process_time() - start
        for (title, published, names, topics, text), (_, expected, body) in zip(extracted, cases):
            titles.append(" ".join(title.split()) == " ".join((expected.get("title") or "").split()))
            day = (expected.get("publishing_date") or "")[:10]
            dates.append(bool(day) and (published or "")[:10] == day or not day and not published)
            authors.append(set_f1(expected.get("authors") or [], names))
            tags.append(set_f1(expected.get("topics") or [], topics))
            bodies.append(page_counts(body, text))
        results[name] = {
            "title": statistics.mean(titles), "date": statistics.mean(dates), "authors": statistics.mean(authors),
            "tags": statistics.mean(tags), "body_f1": body_scores(bodies)["f1"], "pages_per_s": len(cases) / seconds,
        }
    return results


def main() -> None:
    if not DATA.exists():
        sys.exit(f"needs the shared data at {DATA}")
    print("AEB (181 pages): body by the benchmark's own metric; speed on one core\n")
    print("| extractor | F1 | precision | recall | pages/s |\n|---|---|---|---|---|")
    for name, r in aeb().items():
        print(f"| {name} | {r['f1']:.3f} | {r['precision']:.3f} | {r['recall']:.3f} | {r['pages_per_s']:.0f} |")
    print("\nfundus (258 pages): share right, or set F1 averaged over pages\n")
    print("| extractor | title exact | date (day) | authors F1 | tags F1 | body F1 | pages/s |\n|---|---|---|---|---|---|---|")
    for name, r in fundus().items():
        print(f"| {name} | {r['title']:.3f} | {r['date']:.3f} | {r['authors']:.3f} | {r['tags']:.3f} | "
              f"{r['body_f1']:.3f} | {r['pages_per_s']:.0f} |")


if __name__ == "__main__":
    main()
