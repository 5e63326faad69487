"""Ranking quality on the TIME test collection: searchkit's default query path beside plain Whoosh
and a textbook BM25, in one run.

    .venv/bin/python benchmarks/ranking.py [--data ../shared/data/qrels-time]

TIME: 423 Time magazine articles from 1963, 83 queries, binary judgments (qrels.time.derived.trec,
whose ordinal mapping PROVENANCE.txt explains). Queries are upper case in the collection; every
system gets them lower-cased (so that "AND", "OR", "NOT" are words, not operators), otherwise as
written; each system tokenizes them as it tokenizes documents.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import searchkit  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "qrels-time"
WORD = re.compile(r"\w+")


def load(data: Path) -> tuple[dict[str, tuple[str, str]], dict[str, str], dict[str, set[str]]]:
    """(documents {id: (date, text)}, queries {qid: text}, judgments {qid: {doc ids}})."""
    documents = {}
    for chunk in (data / "TIME.ALL").read_text(encoding="latin-1").split("*TEXT ")[1:]:
        header, _, text = chunk.partition("\n")
        number, date = header.split()[:2]
        documents[number.lstrip("0")] = (date, " ".join(text.split()))
    queries = {}
    for chunk in (data / "TIME.QUE").read_text(encoding="latin-1").split("*FIND")[1:]:
        number, _, text = chunk.strip().partition("\n")
        queries[number.strip()] = " ".join(text.lower().split())
    judgments: dict[str, set[str]] = defaultdict(set)
    for line in (data / "qrels.time.derived.trec").read_text().splitlines():
        qid, _, doc, grade = line.split()
        if int(grade) > 0:
            judgments[qid].add(doc.lstrip("0"))
    return documents, queries, judgments


def run_searchkit(documents, queries, workdir: Path) -> dict[str, list[str]]:
    export = workdir / "time.jsonl"
    with export.open("wb") as out:
        for number, (date, text) in documents.items():
            month, day, year = (date.split("/") + ["63"])[:3]  # one header lacks its year
            record = {"id": number, "path": f"TIME.ALL#{number}", "title": "", "body": text,
                      "published": f"19{year}-{month}-{day}", "source": "Time"}
            out.write(orjson.dumps(record) + b"\n")
    archive = searchkit.Archive(workdir / "searchkit-index")
    archive.index([export])
    return {qid: [hit.id for hit in archive.search(text, limit=1000, snippets=False).hits] for qid, text in queries.items()}


def run_plain_whoosh(documents, queries, workdir: Path) -> dict[str, list[str]]:
    """Whoosh as its documentation sets it up: StemmingAnalyzer, BM25F defaults, OR of the words."""
    from whoosh import index, qparser
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=StemmingAnalyzer()))
    (workdir / "whoosh-index").mkdir()
    ix = index.create_in(workdir / "whoosh-index", schema)
    with ix.writer() as writer:
        for number, (_, text) in documents.items():
            writer.add_document(id=number, body=text)
    parser = qparser.QueryParser("body", schema, group=qparser.OrGroup)
    with ix.searcher() as searcher:
        return {qid: [hit["id"] for hit in searcher.search(parser.parse(text), limit=1000)] for qid, text in queries.items()}


def run_textbook_bm25(documents, queries, stopwords: set[str], k1: float = 1.2, b: float = 0.75) -> dict[str, list[str]]:
    """BM25 as the textbooks write it: lower-cased words, the collection's stoplist, no stemming."""
    tf = {number: Counter(w for w in WORD.findall(text.lower()) if w not in stopwords) for number, (_, text) in documents.items()}
    lengths = {number: sum(counts.values()) for number, counts in tf.items()}
    average = sum(lengths.values()) / len(lengths)
    df = Counter(word for counts in tf.values() for word in counts)
    n = len(documents)
    runs = {}
    for qid, text in queries.items():
        terms = [w for w in WORD.findall(text.lower()) if w not in stopwords]
        scores = {}
        for number, counts in tf.items():
            score = 0.0
            for term in terms:
                f = counts.get(term)
                if f:
                    idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                    score += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * lengths[number] / average))
            if score:
                scores[number] = score
        runs[qid] = sorted(scores, key=scores.get, reverse=True)
    return runs


def evaluate(run: dict[str, list[str]], judgments: dict[str, set[str]]) -> dict:
    """MAP, nDCG@10, P@10 and recall@100 with binary gains, averaged over every judged query (a
    query with no result scores 0); "AP": each query's average precision (for paired tests)."""
    ap, ndcg_sum, p10_sum, recall_sum = {}, 0.0, 0.0, 0.0
    for qid, relevant in judgments.items():
        ranked = run.get(qid, [])
        hits, precision_sum = 0, 0.0
        for rank, doc in enumerate(ranked, start=1):
            if doc in relevant:
                hits += 1
                precision_sum += hits / rank
        ap[qid] = precision_sum / len(relevant)
        dcg = sum(1 / math.log2(rank + 1) for rank, doc in enumerate(ranked[:10], start=1) if doc in relevant)
        ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(10, len(relevant)) + 1))
        ndcg_sum += dcg / ideal
        p10_sum += sum(doc in relevant for doc in ranked[:10]) / 10
        recall_sum += len(relevant & set(ranked[:100])) / len(relevant)
    count = len(judgments)
    return {"MAP": sum(ap.values()) / count, "nDCG@10": ndcg_sum / count, "P@10": p10_sum / count,
            "R@100": recall_sum / count, "AP": ap}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"needs the TIME collection at {args.data}")
    documents, queries, judgments = load(args.data)
    stopwords = {w.lower() for w in (args.data / "TIME.STP").read_text(encoding="latin-1").split()}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        runs = {
            "searchkit (default query path)": run_searchkit(documents, queries, workdir),
            "plain Whoosh (StemmingAnalyzer, BM25F)": run_plain_whoosh(documents, queries, workdir),
            "textbook BM25 (k1 1.2, b 0.75, stoplist)": run_textbook_bm25(documents, queries, stopwords),
        }
    print(f"TIME: {len(documents)} documents, {len(judgments)} judged queries\n")
    print("| system | MAP | nDCG@10 | P@10 |\n|---|---|---|---|")
    for name, run in runs.items():
        scores = evaluate(run, judgments)
        print(f"| {name} | {scores['MAP']:.3f} | {scores['nDCG@10']:.3f} | {scores['P@10']:.3f} |")


if __name__ == "__main__":
    main()
