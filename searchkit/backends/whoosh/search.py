"""Running searches: a page of ranked hits with snippets and facet counts, a stream of every hit,
stories like a given one, and the archive's statistics. Whoosh results become plain objects here.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from weakref import WeakKeyDictionary

from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from ...errors import QueryError
from ...model import Article
from ...results import Hit, SearchResults, Snippet
from ... import duplicates
from . import ranking
from ...analysis import spans
from .query import ALL_WORDS_BONUS, ParsedQuery, filter_query, parse
from .scoring import WEIGHTING, Scores, terms_of
from .schema import DATE_FACETS, FACETS, SNIPPET_FIELDS, VOCABULARY, field_texts, from_record, split_values

SORTS = ("relevance", "newest", "oldest")
GROUP_SLACK = 50  # hits grouped beyond the page, where near duplicates of shown hits are counted
SUGGEST_BELOW = 3
_SNIPPET_CHARS = 240
SNIPPET_SCAN_CHARS = 20_000  # snippets are cut from the first this many characters of a field
_HIDDEN = wq.Term("kind", VOCABULARY)


@dataclass
class Filters:
    """What a search is narrowed to: facet values (any within a facet, all facets together), dates, language."""

    values: dict[str, list[str]] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    lang: str | None = None

    def query(self) -> wq.Query | None:
        return filter_query(self.values, self.since, self.until, self.lang)


def open_searcher(ix) -> Searcher:
    """A searcher on an index, scoring with searchkit's weighting."""
    return ix.searcher(weighting=WEIGHTING)


def search(
    searcher: Searcher,
    text: str,
    filters: Filters | None = None,
    *,
    sort: str = "relevance",
    limit: int = 10,
    page: int = 1,
    facets: tuple[str, ...] | list[str] = (),
    facet_limit: int = 10,
    snippets: bool = True,
    expand_duplicates: bool = False,
) -> SearchResults:
    """One page of hits for a query string, best (or newest, or oldest) first.

    Near duplicates (syndicated copies of one story) are folded into their best-ranked member,
    which says how many it stands for, unless ``expand_duplicates``.
    """
    if limit < 1 or page < 1:
        raise QueryError("--limit and --page must be at least 1")
    _check_facets(facets)
    parsed = parse(searcher, text)
    restrict = filters.query() if filters else None
    scores = _scores(searcher, parsed, restrict, sort)
    if expand_duplicates:
        order, folded = _order(searcher, scores, sort, page * limit), {}
    else:
        order, folded = _collapsed_page(searcher, scores, sort, page * limit)
    terms = _highlight_terms(parsed, searcher) if snippets else None
    hits = [
        _hit(searcher, docnum, _score(scores, docnum, sort), terms, folded.get(docnum, 0))
        for docnum in order[(page - 1) * limit: page * limit]
    ]
    counts = _count_facets(searcher, list(scores), facets, facet_limit) if facets else {}
    suggestion = _suggestion(searcher, text, restrict, len(scores)) if len(scores) < SUGGEST_BELOW else None
    return SearchResults(query=text, total=len(scores), hits=hits, facets=counts, suggestion=suggestion)


def stream(
    searcher: Searcher,
    text: str,
    filters: Filters | None = None,
    *,
    sort: str = "relevance",
    snippets: bool = True,
    expand_duplicates: bool = False,
) -> Iterator[Hit]:
    """Every hit, in order, one at a time: only document numbers and scores are held, never the records."""
    parsed = parse(searcher, text)
    scores = _scores(searcher, parsed, filters.query() if filters else None, sort)
    order, folded = _order(searcher, scores, sort, None), {}
    if not expand_duplicates:
        order, folded = _collapse(searcher, order)
    terms = _highlight_terms(parsed, searcher) if snippets else None
    for docnum in order:
        yield _hit(searcher, docnum, _score(scores, docnum, sort), terms, folded.get(docnum, 0))


def similar(searcher: Searcher, article_id: str, *, limit: int = 10) -> SearchResults | None:
    """Stories like the article with this id (None when there is no such article)."""
    docnum = searcher.document_number(id=article_id)
    if docnum is None:
        return None
    query = ranking.similar_query(searcher, docnum)
    scores = Scores(searcher, WEIGHTING)
    if query is not None:
        scores.add(terms_of(query))
    scores.score.pop(docnum, None)
    hits = [_hit(searcher, d, scores.score[d], None) for d in _order(searcher, scores.score, "relevance", limit)]
    return SearchResults(query=f"similar:{article_id}", total=len(scores.score), hits=hits)


def get(searcher: Searcher, article_id: str) -> Article | None:
    """The stored article with this id, or None."""
    fields = searcher.document(id=article_id)
    return from_record(fields["record"]) if fields and "record" in fields else None


def count(searcher: Searcher) -> int:
    """How many articles the index holds."""
    return searcher.doc_count() - len(list(searcher.docs_for_query(_HIDDEN)))


def facet_counts(searcher: Searcher, facets: tuple[str, ...] | list[str], limit: int) -> dict[str, list[dict]]:
    """Facet counts over every article of the index."""
    _check_facets(facets)
    hidden = set(searcher.docs_for_query(_HIDDEN))
    everything = [docnum for docnum in searcher.reader().all_doc_ids() if docnum not in hidden]
    return _count_facets(searcher, everything, facets, limit)


def date_span(searcher: Searcher) -> tuple[str | None, str | None]:
    """The first and last publication dates in the index (ISO, the publishers' own clocks)."""
    reader = searcher.reader()
    column = _dates(reader)
    dates = [column[docnum] for docnum in reader.all_doc_ids() if column[docnum] is not None]
    if not dates:
        return None, None
    return min(dates).isoformat(), max(dates).isoformat()


def _scores(searcher: Searcher, parsed: ParsedQuery, restrict: wq.Query | None, sort: str) -> dict[int, float]:
    """The score of every article matching the query and the filters.

    Queries that are an OR of words are scored term at a time (``scoring``); others by Whoosh,
    with its pruning off (its matcher replacement drops OR branches that cannot reach the top N
    while its collector still trusts its running count, so totals come out wrong). Keyword
    queries then add the all-words bonus; descriptive ones, relevance feedback.
    """
    if sort not in SORTS:
        raise QueryError(f"unknown sort '{sort}' (sorts: {', '.join(SORTS)})")
    scores = Scores(searcher, WEIGHTING)
    restrictions = [q for q in (restrict, parsed.restriction) if q is not None]
    allowed = set(searcher.docs_for_query(wq.And(restrictions))) if restrictions else None
    if isinstance(parsed.matching, wq.Every):
        scores.score.update(dict.fromkeys(allowed if allowed is not None else searcher.reader().all_doc_ids(), 0.0))
    elif parsed.clauses is not None:
        for clause in parsed.clauses:
            scores.add(clause)
        if parsed.tiered:
            needed = len(parsed.clauses)
            for docnum, matched in scores.clauses_matched.items():
                if matched == needed:
                    scores.score[docnum] += ALL_WORDS_BONUS
    else:
        collector = collectors.UnlimitedCollector()
        searcher.search_with_collector(parsed.ranking, collector)
        scores.score.update((docnum, score) for score, docnum in collector.results().top_n)
    hidden = set(searcher.docs_for_query(_HIDDEN))
    for docnum in [d for d in scores.score if d in hidden or (allowed is not None and d not in allowed)]:
        del scores.score[docnum]
    if parsed.descriptive and sort == "relevance":
        top = heapq.nlargest(ranking.FEEDBACK_DOCS, ((score, d) for d, score in scores.score.items()))
        expansion = ranking.feedback(searcher, parsed, top)
        if expansion is not None:
            scores.add(terms_of(expansion), only_matched=True)
    return scores.score


def _order(searcher: Searcher, scores: dict[int, float], sort: str, limit: int | None) -> list[int]:
    """The document numbers of the first ``limit`` hits (all when None), in the requested order."""
    if sort == "relevance":
        def key(docnum: int) -> tuple[float, int]:
            return scores[docnum], -docnum

        return heapq.nlargest(limit, scores, key=key) if limit is not None else sorted(scores, key=key, reverse=True)
    dates = _dates(searcher.reader())
    newest = sort == "newest"

    def by_date(docnum: int) -> tuple[bool, datetime, int]:
        moment = dates[docnum]
        dated_first = (moment is not None) if newest else (moment is None)
        return dated_first, moment or datetime.min, -docnum if newest else docnum

    if limit is None:
        return sorted(scores, key=by_date, reverse=newest)
    return heapq.nlargest(limit, scores, key=by_date) if newest else heapq.nsmallest(limit, scores, key=by_date)


def _collapsed_page(searcher: Searcher, scores: dict[int, float], sort: str, needed: int) -> tuple[list[int], dict[int, int]]:
    """The first ``needed`` group leaders and their folded counts.

    Copies of one story score alike and so rank together: grouping the hits a little beyond
    the page (three times as many, plus 50; more when duplicates use them up) finds them.
    """
    window = 3 * needed + GROUP_SLACK
    while True:
        leaders, folded = _collapse(searcher, _order(searcher, scores, sort, window))
        if len(leaders) >= needed or window >= len(scores):
            return leaders, folded
        window *= 4


def _collapse(searcher: Searcher, ranked: list[int]) -> tuple[list[int], dict[int, int]]:
    """(the hits that lead a group of near duplicates, in order; how many others each leads)."""
    signatures = _signatures(searcher.reader())
    leaders = duplicates.group((docnum, signatures[docnum]) for docnum in ranked)
    folded = Counter(leader for docnum, leader in leaders.items() if leader != docnum)
    return [docnum for docnum in ranked if leaders[docnum] == docnum], folded


def _signatures(reader):
    """The near-duplicate signatures, by document number: read one at a time, for the few hits
    grouped (reading the whole column would cost a one-shot query more than the query itself)."""
    cache = _COLUMNS.setdefault(reader, {})
    if "signature" not in cache:
        cache["signature"] = reader.column_reader("signature", translate=False)
    return cache["signature"]


def _score(scores: dict[int, float], docnum: int, sort: str) -> float | None:
    """A hit's relevance score without the all-words bonus; None when hits are sorted by date."""
    return scores[docnum] % ALL_WORDS_BONUS if sort == "relevance" else None


def _matching(parsed: ParsedQuery, restrict: wq.Query | None) -> wq.Query:
    """What decides the hits: the query's words within its own dates and the filters."""
    return wq.And([q for q in (parsed.matching, parsed.restriction, restrict) if q is not None]).normalize()


def _check_facets(facets) -> None:
    known = (*FACETS, *DATE_FACETS)
    for name in facets:
        if name not in known:
            raise QueryError(f"unknown facet '{name}' (facets: {', '.join(known)})")


def _count_facets(searcher: Searcher, docnums: list[int], facets, limit: int) -> dict[str, list[dict]]:
    """Counts of each facet's values over the given documents, the top ``limit`` of each; date
    facets give every bucket, in time order.

    Values that differ only in case count together, under their most common spelling.
    """
    reader = searcher.reader()
    counts = {}
    for name in facets:
        column = _facet_column(reader, name)
        counted = Counter(chain.from_iterable(map(column.__getitem__, docnums)))
        merged: Counter[str] = Counter()
        spelling: dict[str, tuple[int, str]] = {}
        for value, n in counted.items():
            key = value.casefold()
            merged[key] += n
            if n > spelling.get(key, (0, ""))[0]:
                spelling[key] = (n, value)
        ranked = sorted(merged.items()) if name in DATE_FACETS else merged.most_common(limit)
        counts[name] = [{"value": spelling[key][1], "count": n} for key, n in ranked]
    return counts


_COLUMNS: WeakKeyDictionary = WeakKeyDictionary()


def _facet_column(reader, name: str) -> list[tuple[str, ...]]:
    """A facet's values for every document of a reader, decoded once per reader and kept with it."""
    cache = _COLUMNS.setdefault(reader, {})
    if name not in cache:
        decoded: dict = {}
        if name in FACETS:
            raw = reader.column_reader(f"facet_{name}", translate=False)
            cache[name] = [decoded.setdefault(value, tuple(split_values(value))) for value in raw]
        else:
            width = DATE_FACETS[name]
            cache[name] = [(moment.isoformat()[:width],) if moment else () for moment in _dates(reader)]
    return cache[name]


def _dates(reader) -> list[datetime | None]:
    """The publication date of every document of a reader (None when it has none), decoded once."""
    cache = _COLUMNS.setdefault(reader, {})
    if "published" not in cache:
        missing = reader.schema["published"].default
        raw = reader.column_reader("published", translate=False)
        cache["published"] = [None if value == missing else long_to_datetime(value) for value in raw]
    return cache["published"]


def _suggestion(searcher: Searcher, text: str, restrict: wq.Query | None, total: int) -> str | None:
    """A corrected query that finds more, from the index's own words."""
    corrected = ranking.suggest(searcher, text)
    if corrected is None:
        return None
    try:
        better = parse(searcher, corrected)
    except QueryError:
        return None
    found = sum(1 for _ in searcher.docs_for_query(wq.AndNot(_matching(better, restrict), _HIDDEN)))
    return corrected if found > total else None


def _highlight_terms(parsed: ParsedQuery, searcher: Searcher) -> dict[str, set[str]]:
    """Per field, the words the query looks for (wildcards already expanded to words of the index).

    (Whoosh's own ``Query.existing_terms`` stops after the first field it sees.)
    """
    reader = searcher.reader()
    terms: dict[str, set[str]] = {}
    for leaf in parsed.matching.leaves():
        for name, term in leaf.expanded_terms(reader, phrases=True):
            terms.setdefault(name, set()).add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return terms


def _hit(
    searcher: Searcher, docnum: int, score: float | None, terms: dict[str, set[str]] | None, duplicates: int = 0
) -> Hit:
    article = from_record(searcher.stored_fields(docnum)["record"])
    return Hit(
        duplicates=duplicates,
        id=article.id,
        score=score,
        title=article.title,
        url=article.url,
        published=article.published,
        authors=article.authors,
        section=article.section,
        source=article.source,
        tags=article.tags,
        snippet=_snippet(article, terms) if terms is not None else None,
    )


def _snippet(article: Article, terms: dict[str, set[str]]) -> Snippet | None:
    texts = field_texts(article)
    for name in SNIPPET_FIELDS:
        wanted = terms.get(name)
        text = texts[name][:SNIPPET_SCAN_CHARS]
        lowered = text.lower().replace(".", "")
        # A stem is (nearly always) a prefix of its words ("U.S." -> "us" once the dots go):
        # a field in which no stem occurs has no match to show.
        if wanted and text and any(stem[:4] in lowered for stem in wanted):
            found = [span for span in spans(text) if span[2] in wanted]
            if found:
                return _window(name, text, found)
    if texts["body"]:
        return _window("body", texts["body"], [])
    return None


def _window(name: str, text: str, spans: list[tuple[int, int, str]]) -> Snippet:
    """The passage of about _SNIPPET_CHARS holding the most distinct matched words."""
    best = 0
    if spans:
        def variety(i: int) -> tuple[int, int]:
            inside = [s for s in spans[i:] if s[1] - spans[i][0] <= _SNIPPET_CHARS]
            return len({s[2] for s in inside}), len(inside)

        best = max(range(len(spans)), key=lambda i: (variety(i), -i))
    anchor = spans[best][0] if spans else 0
    start = max(0, anchor - _SNIPPET_CHARS // 4)
    if start:
        start = text.find(" ", start, anchor) + 1 or anchor
    end = min(len(text), start + _SNIPPET_CHARS)
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shown = prefix + text[start:end].replace("\n", " ") + suffix
    shift = len(prefix) - start
    highlights: list[tuple[int, int]] = []
    for a, b, _ in spans:
        if a < start or b > end:
            continue
        if highlights and text[highlights[-1][1] - shift:a] in {"-", " ", "'", "’"}:
            highlights[-1] = (highlights[-1][0], b + shift)
        else:
            highlights.append((a + shift, b + shift))
    return Snippet(field=name, text=shown, highlights=highlights)
