"""Searching an archive, engine-free: pages of hits with snippets, near duplicates folded, facet
counts shaped, a spelling suggestion when a query finds little; every hit as a stream.

The backend's searcher finds, ranks and counts (``backends.base.Searcher``); this package turns
its answers into what people read (``results``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..backends.base import Filters, Matches, Searcher
from ..errors import QueryError
from ..model import Article
from ..results import Hit, SearchResults
from . import facets as facet_shapes
from .collapse import collapse, collapsed_top
from .snippets import snippet

SUGGEST_BELOW = 3  # a query with fewer hits gets a spelling suggestion, when one finds more


def search(
    searcher: Searcher,
    query: str,
    filters: Filters,
    *,
    sort: str = "relevance",
    limit: int = 10,
    page: int = 1,
    facets: Sequence[str] = (),
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
    facet_shapes.check(facets)
    matches = searcher.matches(query, filters, sort)
    needed = page * limit
    if expand_duplicates:
        order, folded = list(matches.ranked(needed)), {}
    else:
        order, folded = collapsed_top(matches.ranked, searcher.signatures, matches.total, needed)
    shown = order[(page - 1) * limit: needed]
    hits = [_hit(article, matches, ref, snippets, folded.get(ref, 0))
            for ref, article in zip(shown, searcher.articles(shown))]
    counted = matches.facets(facets) if facets else {}
    suggestion = _suggestion(searcher, query, filters, sort, matches.total) if matches.total < SUGGEST_BELOW else None
    return SearchResults(
        query=query,
        total=matches.total,
        hits=hits,
        facets={name: facet_shapes.shape(name, counted[name], facet_limit) for name in facets},
        suggestion=suggestion,
    )


def stream(searcher: Searcher, query: str, filters: Filters, *, sort: str = "relevance", snippets: bool = True,
           expand_duplicates: bool = False) -> Iterator[Hit]:
    """Every hit, in order, one at a time: only references and scores are held, never the records."""
    matches = searcher.matches(query, filters, sort)
    order, folded = matches.ranked(None), {}
    if not expand_duplicates:
        order, folded = collapse(order, searcher.signatures(order))
    for ref, article in zip(order, searcher.articles(order)):
        yield _hit(article, matches, ref, snippets, folded.get(ref, 0))


def similar(searcher: Searcher, article_id: str, limit: int) -> SearchResults | None:
    """Stories like the article with this id (None when there is no such article)."""
    matches = searcher.similar(article_id)
    if matches is None:
        return None
    order = matches.ranked(limit)
    hits = [_hit(article, matches, ref, False, 0) for ref, article in zip(order, searcher.articles(order))]
    return SearchResults(query=f"similar:{article_id}", total=matches.total, hits=hits)


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


def _suggestion(searcher: Searcher, query: str, filters: Filters, sort: str, total: int) -> str | None:
    """A corrected query that finds more, from the index's own words."""
    corrected = searcher.suggest(query)
    if corrected is None:
        return None
    try:
        found = searcher.matches(corrected, filters, sort).total
    except QueryError:
        return None
    return corrected if found > total else None
