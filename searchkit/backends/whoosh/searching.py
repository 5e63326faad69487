"""Searching a Whoosh index: query strings into scored matches, ranked by relevance or date,
counted by facet; stored records, signatures, suggestions and similar stories.

(``searchkit.search`` shapes these into pages of hits; this module answers in document numbers.)
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import chain
from weakref import WeakKeyDictionary

from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from ...errors import QueryError
from ...fields import DATE_FACETS, FACETS
from ...model import Article
from ...querylang import Plan
from ..base import Filters
from . import ranking
from .compiler import CompiledQuery, compile_query, filter_query
from .schema import HIDDEN, from_record, split_values
from .scoring import WEIGHTING, Scores, terms_of

SORTS = ("relevance", "newest", "oldest")


class WhooshSearcher:
    """A view of the index as of one commit (a Whoosh searcher), answering the search layer."""

    def __init__(self, ix) -> None:
        self.whoosh: Searcher = ix.searcher(weighting=WEIGHTING)

    def matches(self, plan: Plan, filters: Filters, sort: str) -> WhooshMatches:
        if sort not in SORTS:
            raise QueryError(f"unknown sort '{sort}' (sorts: {', '.join(SORTS)})")
        parsed = compile_query(self.whoosh, plan)
        restrict = filter_query({name: list(values) for name, values in filters.values.items()},
                                filters.since, filters.until, filters.lang)
        scores, tier = _scores(self.whoosh, parsed, restrict, sort)
        return WhooshMatches(self.whoosh, scores, tier, sort, parsed.highlights)

    def similar(self, article_id: str) -> WhooshMatches | None:
        docnum = self.whoosh.document_number(id=article_id)
        if docnum is None:
            return None
        query = ranking.similar_query(self.whoosh, docnum)
        scores = Scores(self.whoosh, WEIGHTING)
        if query is not None:
            scores.add(terms_of(query))
        scores.score.pop(docnum, None)
        return WhooshMatches(self.whoosh, scores.score, set(), "relevance", {})

    def suggest(self, query: str) -> str | None:
        return ranking.suggest(self.whoosh, query)

    def articles(self, refs: Sequence[int]) -> Iterator[Article]:
        stored = self.whoosh.stored_fields
        return (from_record(stored(docnum)["record"]) for docnum in refs)

    def signatures(self, refs: Sequence[int]) -> list[bytes]:
        column = _signatures(self.whoosh.reader())
        return [column[docnum] for docnum in refs]

    def get(self, article_id: str) -> Article | None:
        fields = self.whoosh.document(id=article_id)
        return from_record(fields["record"]) if fields and "record" in fields else None

    def count(self) -> int:
        return self.whoosh.doc_count() - len(_hidden(self.whoosh))

    def all_facets(self, names: Sequence[str]) -> dict[str, Counter]:
        hidden = _hidden(self.whoosh)
        everything = [docnum for docnum in self.whoosh.reader().all_doc_ids() if docnum not in hidden]
        return _count_facets(self.whoosh.reader(), everything, names)

    def date_span(self) -> tuple[str | None, str | None]:
        reader = self.whoosh.reader()
        column = _dates(reader)
        dates = [column[docnum] for docnum in reader.all_doc_ids() if column[docnum] is not None]
        if not dates:
            return None, None
        return min(dates).isoformat(), max(dates).isoformat()

    def up_to_date(self) -> bool:
        return self.whoosh.up_to_date()

    def close(self) -> None:
        self.whoosh.close()


class WhooshMatches:
    """Scored document numbers; the all-words tier of a keyword query ranks first."""

    def __init__(self, searcher: Searcher, scores: dict[int, float], tier: set[int], sort: str,
                 highlight: dict[str, set[str]]) -> None:
        self.searcher, self.scores, self.tier, self.sort, self.highlight = searcher, scores, tier, sort, highlight
        self.total = len(scores)
        self.warnings: tuple[str, ...] = ()

    def ranked(self, limit: int | None) -> list[int]:
        scores, tier = self.scores, self.tier
        if self.sort == "relevance":
            def key(docnum: int) -> tuple[bool, float, int]:
                return docnum in tier, scores[docnum], -docnum

            return heapq.nlargest(limit, scores, key=key) if limit is not None else sorted(scores, key=key, reverse=True)
        dates = _dates(self.searcher.reader())
        newest = self.sort == "newest"

        def by_date(docnum: int) -> tuple[bool, datetime, int]:
            moment = dates[docnum]
            dated_first = (moment is not None) if newest else (moment is None)
            return dated_first, moment or datetime.min, -docnum if newest else docnum

        if limit is None:
            return sorted(scores, key=by_date, reverse=newest)
        return heapq.nlargest(limit, scores, key=by_date) if newest else heapq.nsmallest(limit, scores, key=by_date)

    def score(self, ref: int) -> float | None:
        return self.scores[ref] if self.sort == "relevance" else None

    def facets(self, names: Sequence[str]) -> dict[str, Counter]:
        return _count_facets(self.searcher.reader(), list(self.scores), names)


def _scores(searcher: Searcher, parsed: CompiledQuery, restrict: wq.Query | None, sort: str) -> tuple[dict[int, float], set[int]]:
    """The score of every article matching the query and the filters, and the articles matching
    all of a keyword query's words (which rank first).

    Queries that are an OR of words are scored term at a time (``word_scores``); others by
    Whoosh, with its pruning off (its matcher replacement drops OR branches that cannot reach the
    top N while its collector still trusts its running count, so totals come out wrong).
    Descriptive queries then get relevance feedback.
    """
    restrictions = [q for q in (restrict, parsed.restriction) if q is not None]
    allowed = set(searcher.docs_for_query(wq.And(restrictions))) if restrictions else None
    if parsed.clauses is not None:
        scores, tier = word_scores(searcher, parsed)
    else:
        scores, tier = Scores(searcher, WEIGHTING), set()
        if isinstance(parsed.matching, wq.Every):
            scores.score.update(dict.fromkeys(allowed if allowed is not None else searcher.reader().all_doc_ids(), 0.0))
        else:
            collector = collectors.UnlimitedCollector()
            searcher.search_with_collector(parsed.matching, collector)
            scores.score.update((docnum, score) for score, docnum in collector.results().top_n)
            if parsed.strict is not None:
                tier = set(searcher.docs_for_query(parsed.strict))
    hidden = _hidden(searcher)
    for docnum in [d for d in scores.score if d in hidden or (allowed is not None and d not in allowed)]:
        del scores.score[docnum]
    if parsed.descriptive and sort == "relevance":
        top = heapq.nlargest(ranking.FEEDBACK_DOCS, ((score, d) for d, score in scores.score.items()))
        expansion = ranking.feedback(searcher, parsed, top)
        if expansion is not None:
            scores.add(terms_of(expansion), only_matched=True)
    return dict(scores.score), tier


def word_scores(searcher: Searcher, parsed: CompiledQuery) -> tuple[Scores, set[int]]:
    """Term at a time, the scores of the articles with any of the query's words (``clauses``),
    and, for a keyword query, the articles with all of them."""
    scores = Scores(searcher, WEIGHTING)
    for clause in parsed.clauses or ():
        scores.add(clause)
    for docnum in [d for d in scores.score if not scores.clauses_matched.get(d)]:
        del scores.score[docnum]  # prefixes only: no word of the query (a prefix ranks, never adds an article)
    needed = len(parsed.clauses or ())
    tier = {d for d, matched in scores.clauses_matched.items() if matched == needed} if parsed.tiered else set()
    return scores, tier


def _hidden(searcher: Searcher) -> set[int]:
    """The numbers of the documents that are not articles (file states, vocabulary), read once
    per reader."""
    reader = searcher.reader()
    if reader not in _HIDDEN:
        _HIDDEN[reader] = set(searcher.docs_for_query(HIDDEN))
    return _HIDDEN[reader]


_HIDDEN: WeakKeyDictionary = WeakKeyDictionary()


_COLUMNS: WeakKeyDictionary = WeakKeyDictionary()


def _signatures(reader):
    """The near-duplicate signatures, by document number: read one at a time, for the few hits
    grouped (reading the whole column would cost a one-shot query more than the query itself)."""
    cache = _COLUMNS.setdefault(reader, {})
    if "signature" not in cache:
        cache["signature"] = _column(reader, "signature")
    return cache["signature"]


def _column(reader, name: str):
    """A column's values by document number (none for an index without a commit of articles,
    whose reader has no columns)."""
    return reader.column_reader(name, translate=False) if reader.doc_count_all() else []


def _count_facets(reader, docnums: list[int], names: Sequence[str]) -> dict[str, Counter]:
    return {name: Counter(chain.from_iterable(map(_facet_column(reader, name).__getitem__, docnums))) for name in names}


def _facet_column(reader, name: str) -> list[tuple[str, ...]]:
    """A facet's values for every document of a reader (each once: an article listing a place twice
    counts once), decoded once per reader and kept with it."""
    cache = _COLUMNS.setdefault(reader, {})
    if name not in cache:
        decoded: dict = {}
        if name in FACETS:
            raw = _column(reader, f"facet_{name}")
            cache[name] = [decoded.setdefault(value, tuple(dict.fromkeys(split_values(value)))) for value in raw]
        else:
            field, width = DATE_FACETS[name]
            cache[name] = [(moment.isoformat()[:width],) if moment else () for moment in _dates(reader, field)]
    return cache[name]


def _dates(reader, field: str = "published") -> list[datetime | None]:
    """A date field of every document of a reader (None when it has none), decoded once."""
    cache = _COLUMNS.setdefault(reader, {})
    key = f"{field} dates"
    if key not in cache:
        missing = reader.schema[field].default
        raw = _column(reader, field)
        cache[key] = [None if value == missing else long_to_datetime(value) for value in raw]
    return cache[key]
