"""Searching an archive, engine-free: pages of hits with snippets, near duplicates folded, facet
counts shaped, a spelling suggestion when a query finds little; every hit as a stream.

The backend's searcher finds, ranks and counts (``backends.base.Searcher``); this package turns
its answers into what people read (``results``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from .. import languages
from ..backends.base import Filters, Matches, Searcher
from ..errors import QueryError
from ..model import Article
from ..querylang import plan_query
from ..results import FilterCount, Hit, SearchResults
from . import facets as facet_shapes
from .collapse import collapse, collapsed_top
from .snippets import snippet

SUGGEST_BELOW = 3  # a query with fewer hits gets a spelling suggestion, when one finds more


@dataclass(frozen=True)
class Request:
    """One search: the query string and everything that narrows, orders, pages and shapes it."""

    query: str
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    limit: int = 10
    page: int = 1
    facets: tuple[str, ...] = ()
    facet_limit: int = 10
    snippets: bool = True
    expand_duplicates: bool = False


def search(searcher: Searcher, request: Request) -> SearchResults:
    """One page of hits, best (or newest, or oldest) first, with facet counts over every hit.

    Near duplicates (syndicated copies of one story) are folded into their best-ranked member,
    which says how many it stands for, unless ``expand_duplicates``. A page past the end has no
    hits and says how many stories there are; filters that leave no hit of a query that has
    some are counted one by one (``SearchResults.filter_counts``).
    """
    if request.limit < 1 or request.page < 1:
        raise QueryError("--limit and --page must be at least 1")
    facet_shapes.check(request.facets)
    filters, language = _languages(searcher, request.filters)
    plan = plan_query(request.query, language)
    matches = searcher.matches(plan, filters, request.sort)
    needed = request.page * request.limit
    if request.expand_duplicates:
        order, folded, stories = list(matches.ranked(needed + 1)), {}, matches.total
    else:  # one leader more than the page, to know whether a later page has any
        order, folded, complete = collapsed_top(matches.ranked, searcher.signatures, matches.total, needed + 1)
        stories = len(order) if complete else None
    shown = order[(request.page - 1) * request.limit: needed]
    hits = [_hit(article, matches, ref, request.snippets, folded.get(ref, 0))
            for ref, article in zip(shown, searcher.articles(shown))]
    counted = matches.facets(request.facets) if request.facets else {}
    results = SearchResults(
        query=request.query,
        total=matches.total,
        hits=hits,
        facets={name: facet_shapes.shape(name, counted[name], request.facet_limit) for name in request.facets},
        suggestion=_suggestion(searcher, request, filters, matches.total) if matches.total < SUGGEST_BELOW else None,
        page=request.page,
        limit=request.limit,
        stories=stories,
        more=len(order) > needed,
        warnings=list(matches.warnings),
    )
    if not matches.total and _each_filter(filters):
        _count_filters(searcher, request.query, filters, results)
    return results


def stream(searcher: Searcher, request: Request) -> Iterator[Hit]:
    """Every hit, in order, one at a time: only references and scores are held, never the records."""
    filters, language = _languages(searcher, request.filters)
    matches = searcher.matches(plan_query(request.query, language), filters, request.sort)
    order, folded = matches.ranked(None), {}
    if not request.expand_duplicates:
        order, folded = collapse(order, searcher.signatures(order))
    for ref, article in zip(order, searcher.articles(order)):
        yield _hit(article, matches, ref, request.snippets, folded.get(ref, 0))


def similar(searcher: Searcher, article_id: str, limit: int) -> SearchResults | None:
    """Stories like the article with this id (None when there is no such article)."""
    matches = searcher.similar(article_id)
    if matches is None:
        return None
    order = matches.ranked(limit)
    hits = [_hit(article, matches, ref, False, 0) for ref, article in zip(order, searcher.articles(order))]
    return SearchResults(query=f"similar:{article_id}", total=matches.total, hits=hits, limit=limit,
                         stories=matches.total, more=matches.total > limit, warnings=list(matches.warnings))


def _hit(article: Article, matches: Matches, ref, snippets: bool, duplicates: int) -> Hit:
    return Hit(
        duplicates=duplicates,
        id=article.id,
        score=matches.score(ref),
        title=article.title,
        url=article.url,
        published=article.published,
        authors=article.authors,
        section=article.section,
        source=article.source,
        tags=article.tags,
        snippet=snippet(article, matches.highlight) if snippets else None,
    )


def _languages(searcher: Searcher, filters: Filters) -> tuple[Filters, str | None]:
    """The filters with their languages as ISO 639-1 codes (``en-US``, ``kr``: ``en``, ``ko``), and
    the language a query is in when the filters ask for one; QueryError for a value that is no
    language code, naming the codes the archive holds."""
    asked = [filters.lang] if filters.lang else []
    asked += filters.values.get("lang", ())
    codes = []
    for value in asked:
        found = languages.code(value)
        if found is None:
            held = ", ".join(sorted(searcher.all_facets(["lang"])["lang"])) or "none"
            named = languages.normalise(value)
            hint = f" (for {value} write {named})" if named else ""
            raise QueryError(f"'{value}' is not a language code{hint}; the archive's languages: {held}")
        codes.append(found)
    if not codes:
        return filters, None
    values = dict(filters.values)
    if "lang" in values:
        values["lang"] = tuple(codes[1:] if filters.lang else codes)
    checked = replace(filters, values=values, lang=codes[0] if filters.lang else None)
    return checked, codes[0] if len(set(codes)) == 1 else None


def _suggestion(searcher: Searcher, request: Request, filters: Filters, total: int) -> str | None:
    """A corrected query that finds more, from the index's own words."""
    corrected = searcher.suggest(request.query)
    if corrected is None:
        return None
    try:
        found = searcher.matches(plan_query(corrected), filters, request.sort).total
    except QueryError:
        return None
    return corrected if found > total else None


def _each_filter(filters: Filters) -> list[tuple[str, tuple[str, ...], Filters]]:
    """Each filter of a search alone: (its name, its values, the filters it makes by itself)."""
    each = [(name, values, Filters({name: values})) for name, values in filters.values.items()]
    for name, value in (("since", filters.since), ("until", filters.until), ("lang", filters.lang)):
        if value is not None:
            each.append((name, (value,), Filters(**{name: value})))
    return each


def _count_filters(searcher: Searcher, query: str, filters: Filters, results: SearchResults) -> None:
    """When filters leave no hit: the query's total without them, and, if it has hits, with each
    filter alone (a few counts, paid only by an empty result). The query is planned anew for each:
    a language filter plans the query's words in that language only, the others in any."""
    results.unfiltered = searcher.matches(plan_query(query), Filters(), "relevance").total
    if results.unfiltered:
        results.filter_counts = [
            FilterCount(name, list(values),
                        searcher.matches(plan_query(query, _languages(searcher, alone)[1]), alone, "relevance").total)
            for name, values, alone in _each_filter(filters)]
