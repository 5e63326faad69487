"""Ranking quality in other languages: searchkit beside plain peers, in one run, on XQuAD-R.

    .venv/bin/python benchmarks/languages.py [--data ../shared/data/retrieval-multiling] [--languages el hi]

XQuAD-R (../shared/data/retrieval-multiling, its PROVENANCE.txt gives the format): Greek, Hindi,
Thai, Turkish and Vietnamese, about 1,200 sentences and 1,190 questions each, one judged
sentence per question. searchkit reads each collection's docs.jsonl with its own reader (records
that declare their language), indexes it and answers through its default query path; every peer
is set up as its documentation does, on the same texts: Whoosh with the language's Snowball
stemmer, without stemming, and with character bigrams; SQLite FTS5 with its unicode61 and its
trigram tokenizers; tantivy with its language analyzer (a stemmer where it has one). Each
question is given to every system lower-cased with the signs of query syntax (``? * " ( ) : ^ ~
+ - !``) turned into spaces: a question's "?" would otherwise make its last word a wildcard in
searchkit (and Whoosh). MAP, nDCG@10 and recall@100 over every judged query (none found: 0),
with a paired randomisation test of searchkit's average precision against the best peer's.
Needs the benchmark extra (tantivy).
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import searchkit  # noqa: E402
from searchkit.analysis.stemming import stemmer  # noqa: E402
from ranking import evaluate  # noqa: E402  (the same measures as for TIME)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "retrieval-multiling"
LANGUAGES = ("el", "hi", "th", "tr", "vi")
LIMIT = 1000
SYNTAX = re.compile(r"[?*\"():^~+\-!\[\]{}/\\]")
TANTIVY_STEMMERS = {"ar": "arabic", "da": "danish", "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french",
                    "de": "german", "el": "greek", "hu": "hungarian", "it": "italian", "no": "norwegian",
                    "pt": "portuguese", "ro": "romanian", "ru": "russian", "es": "spanish", "sv": "swedish",
                    "ta": "tamil", "tr": "turkish"}


@dataclass
class Collection:
    language: str
    docs: Path
    documents: list[tuple[str, str]]  # (id, text)
    queries: dict[str, str]  # qid -> question as given to every system
    judgments: dict[str, set[str]]


def load(folder: Path, language: str) -> Collection:
    docs = folder / "docs.jsonl"
    documents = [(record["id"], record["body"]) for record in map(orjson.loads, docs.read_bytes().splitlines())]
    queries = {}
    for line in (folder / "queries.tsv").read_text(encoding="utf-8").splitlines():
        qid, _, text = line.partition("\t")
        queries[qid] = " ".join(SYNTAX.sub(" ", text).lower().split())
    judgments: dict[str, set[str]] = defaultdict(set)
    for line in (folder / "qrels.txt").read_text().splitlines():
        qid, _, doc, grade = line.split()
        if int(grade) > 0:
            judgments[qid].add(doc)
    return Collection(language, docs, documents, queries, dict(judgments))


# The systems: each takes a collection and returns {qid: [doc ids, best first]} ---------------------

def run_searchkit(collection: Collection, workdir: Path) -> dict[str, list[str]]:
    archive = searchkit.Archive(workdir / f"searchkit-{collection.language}")
    archive.index([collection.docs], workers=1)
    run = {}
    for qid, text in collection.queries.items():
        try:
            hits = archive.search(text, limit=LIMIT, snippets=False, expand_duplicates=True).hits
        except searchkit.QueryError:  # (a query searchkit refuses finds nothing)
            hits = []
        run[qid] = [hit.id for hit in hits]
    archive.close()
    return run


def _snowball(language: str, word: str) -> str:
    """A language's Snowball stem (module-level, so that Whoosh can pickle the analyzer)."""
    return stemmer(language)(word)


def _whoosh(collection: Collection, workdir: Path, name: str, analyzer, query_terms=None) -> dict[str, list[str]]:
    from whoosh import index, qparser
    from whoosh import query as wq
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=analyzer))
    folder = workdir / f"{name}-{collection.language}"
    folder.mkdir()
    ix = index.create_in(folder, schema)
    with ix.writer() as writer:
        for doc_id, text in collection.documents:
            writer.add_document(id=doc_id, body=text)
    parser = qparser.QueryParser("body", schema, group=qparser.OrGroup)
    run = {}
    with ix.searcher() as searcher:
        for qid, text in collection.queries.items():
            query = wq.Or([wq.Term("body", t) for t in dict.fromkeys(query_terms(text))]) if query_terms else parser.parse(text)
            run[qid] = [hit["id"] for hit in searcher.search(query, limit=LIMIT)]
    return run


def whoosh_snowball(collection: Collection, workdir: Path) -> dict[str, list[str]]:
    """Whoosh's default tokenizer and lower-casing, then the language's Snowball stemmer (PyStemmer)."""
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter

    analyzer = RegexTokenizer() | LowercaseFilter()
    if stemmer(collection.language):
        analyzer = analyzer | StemFilter(stemfn=partial(_snowball, collection.language), cachesize=100_000)
    return _whoosh(collection, workdir, "whoosh-snowball", analyzer)


def whoosh_plain(collection: Collection, workdir: Path) -> dict[str, list[str]]:
    """Whoosh without stemming: its default tokenizer and lower-casing."""
    from whoosh.analysis import LowercaseFilter, RegexTokenizer

    return _whoosh(collection, workdir, "whoosh-plain", RegexTokenizer() | LowercaseFilter())


def whoosh_bigrams(collection: Collection, workdir: Path) -> dict[str, list[str]]:
    """Whoosh's NgramAnalyzer(2): character bigrams of the whole text; a query is the OR of its bigrams."""
    from whoosh.analysis import NgramAnalyzer

    analyzer = NgramAnalyzer(2)
    return _whoosh(collection, workdir, "whoosh-bigrams", analyzer, lambda text: [t.text for t in analyzer(text)])


def _fts5(collection: Collection, tokenizer: str, query_of) -> dict[str, list[str]]:
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize='{tokenizer}')")
    db.executemany("INSERT INTO docs VALUES (?, ?)", collection.documents)
    run = {}
    for qid, text in collection.queries.items():
        match = query_of(text)
        rows = db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, LIMIT)) if match else []
        run[qid] = [row[0] for row in rows]
    db.close()
    return run


def _quoted(parts) -> str:
    return " OR ".join('"' + part.replace('"', '""') + '"' for part in dict.fromkeys(parts))


def fts5_unicode61(collection: Collection, workdir: Path) -> dict[str, list[str]]:
    """FTS5 unicode61 (diacritics removed, its default); a query is the OR of its words."""
    return _fts5(collection, "unicode61", lambda text: _quoted(w for w in text.split() if re.search(r"\w", w)))


def fts5_trigram(collection: Collection, workdir: Path) -> dict[str, list[str]]:
    """FTS5 trigram; a query is the OR of its character trigrams."""
    return _fts5(collection, "trigram", lambda text: _quoted(text[i:i + 3] for i in range(len(text) - 2)))


def tantivy_language(collection: Collection, workdir: Path) -> dict[str, list[str]]:
    """tantivy: simple tokenizer, long tokens removed, lower-casing, the language's stemmer where it has one."""
    import tantivy

    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40)) \
        .filter(tantivy.Filter.lowercase())
    if collection.language in TANTIVY_STEMMERS:
        builder = builder.filter(tantivy.Filter.stemmer(TANTIVY_STEMMERS[collection.language]))
    schema_builder = tantivy.SchemaBuilder()
    schema_builder.add_text_field("id", stored=True, tokenizer_name="raw")
    schema_builder.add_text_field("body", tokenizer_name="lang")
    index = tantivy.Index(schema_builder.build())
    index.register_tokenizer("lang", builder.build())
    writer = index.writer()
    for doc_id, text in collection.documents:
        writer.add_document(tantivy.Document(id=doc_id, body=text))
    writer.commit()
    index.reload()
    searcher = index.searcher()
    run = {}
    for qid, text in collection.queries.items():
        query, _ = index.parse_query_lenient(re.sub(r"[^\w\s]", " ", text), ["body"])
        run[qid] = [searcher.doc(address)["id"][0] for _, address in searcher.search(query, LIMIT).hits]
    return run


SYSTEMS = {
    "searchkit": run_searchkit,
    "Whoosh + Snowball": whoosh_snowball,
    "Whoosh, no stemming": whoosh_plain,
    "Whoosh bigrams": whoosh_bigrams,
    "FTS5 unicode61": fts5_unicode61,
    "FTS5 trigram": fts5_trigram,
    "tantivy (language analyzer)": tantivy_language,
}


# Scores ---------------------------------------------------------------------------------------

def paired_p(a: dict[str, float], b: dict[str, float], rounds: int = 10_000) -> float:
    """Two-sided paired randomisation test of a difference in mean average precision."""
    rng = random.Random(1)
    diffs = [a[q] - b[q] for q in a]
    observed = abs(sum(diffs))
    beyond = sum(abs(sum(d if rng.random() < 0.5 else -d for d in diffs)) >= observed - 1e-12 for _ in range(rounds))
    return (beyond + 1) / (rounds + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES))
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), help="names as in the tables")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"needs XQuAD-R at {args.data}")
    collections = [load(args.data / f"xquad-r-{language}", language) for language in args.languages]
    scores: dict[str, dict[str, dict]] = defaultdict(dict)
    seconds: dict[str, float] = defaultdict(float)
    with tempfile.TemporaryDirectory() as tmp:
        for collection in collections:
            for name in args.systems:
                start = time.process_time()
                scores[name][collection.language] = evaluate(SYSTEMS[name](collection, Path(tmp)), collection.judgments)
                seconds[name] += time.process_time() - start
                print(f"{collection.language} {name}: MAP {scores[name][collection.language]['MAP']:.3f}",
                      file=sys.stderr, flush=True)
    languages = [c.language for c in collections]
    for measure in ("MAP", "nDCG@10", "R@100"):
        print(f"| {measure} | " + " | ".join(languages) + " |\n|---|" + "---|" * len(languages))
        for name in args.systems:
            print(f"| {name} | " + " | ".join(f"{scores[name][lang][measure]:.3f}" for lang in languages) + " |")
        print()
    if "searchkit" in args.systems and len(args.systems) > 1:
        print("| searchkit against the best peer | " + " | ".join(languages) + " |\n|---|" + "---|" * len(languages))
        cells = []
        for lang in languages:
            peer = max((name for name in args.systems if name != "searchkit"), key=lambda name: scores[name][lang]["MAP"])
            mine, theirs = scores["searchkit"][lang], scores[peer][lang]
            cells.append(f"{mine['MAP'] - theirs['MAP']:+.3f} vs {peer} ({theirs['MAP']:.3f}), "
                         f"p={paired_p(mine['AP'], theirs['AP']):.3f}")
        print("| MAP difference, paired p | " + " | ".join(cells) + " |\n")
    print("CPU seconds (index and every query, all languages): "
          + ", ".join(f"{name} {seconds[name]:.1f}" for name in args.systems))


if __name__ == "__main__":
    main()
