"""Reading the index: query strings into Whoosh queries, Whoosh results into plain Hits.

Ranking: every article matching any of the query's words is a hit, and articles matching all of
them come first. The query is parsed twice, once requiring every word and once any word (the
latter without stop words, so "the ceasefire" does not match every article); articles matching
the strict form get a bonus larger than any score, then both tiers are ordered by BM25F.
"""

from __future__ import annotations

from whoosh import qparser
from whoosh import query as wq
from whoosh.matching import WrappingMatcher
from whoosh.searching import Searcher

from ..errors import QueryError
from ..model import Article
from ..results import Hit, SearchResults, Snippet
from .schema import ALIASES, DEFAULT_FIELDS, QUERY_FIELDS, SNIPPET_FIELDS, field_texts, from_record

_ALL_WORDS_BONUS = 1_000_000.0
_SNIPPET_CHARS = 240
_STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there "
    "these they this to was will with".split()
)


def search(searcher: Searcher, text: str, *, limit: int = 10, page: int = 1) -> SearchResults:
    """Run a query string and return one page of hits, best first."""
    if limit < 1 or page < 1:
        raise QueryError("--limit and --page must be at least 1")
    query = parse(searcher, text)
    results = searcher.search_page(query, page, pagelen=limit)
    terms = _matched_terms(query, searcher)
    hits = [_hit(hit, terms, searcher) for hit in results]
    return SearchResults(query=text, total=results.total, hits=hits)


def get(searcher: Searcher, article_id: str) -> Article | None:
    """The stored article with this id, or None."""
    fields = searcher.document(id=article_id)
    return from_record(fields["record"]) if fields else None


def parse(searcher: Searcher, text: str) -> wq.Query:
    """The Whoosh query for a query string; QueryError when it cannot be run as written."""
    if not text.strip():
        raise QueryError("empty query: give at least one word")
    try:
        strict = _parser(searcher, qparser.AndGroup).parse(text)
        loose = _parser(searcher, qparser.OrGroup).parse(text).accept(_any_word).normalize()
    except Exception as error:  # Whoosh's parser raises assorted internal errors on malformed input
        raise QueryError(f"cannot read the query ({type(error).__name__}); check its quotes, brackets and operators") from None
    _check(strict)
    if loose is wq.NullQuery or loose == strict:
        return strict
    return wq.Or([_Bonus(strict, _ALL_WORDS_BONUS), loose])


def _parser(searcher: Searcher, group) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), searcher.schema, fieldboosts=DEFAULT_FIELDS, group=group)
    aliases: dict[str, list[str]] = {}
    for alias, name in ALIASES.items():
        aliases.setdefault(name, []).append(alias)
    parser.add_plugin(qparser.FieldAliasPlugin(aliases))
    # Any letter-led "name:" is a field, so an unknown one is reported rather than read as text;
    # "10:30" stays text.
    parser.replace_plugin(qparser.FieldsPlugin(expr=r"(?P<text>[^\W\d]\w*|[*]):", remove_unknown=False))
    # "+word" and "-word" only at the start of a word, so "al-Bab" stays one word.
    parser.add_plugin(qparser.PlusMinusPlugin(r"(?<![^\s(])\+(?=[\w\"(])", r"(?<![^\s(])-(?=[\w\"(])"))
    return parser


def _check(query: wq.Query) -> None:
    if query is wq.NullQuery:
        raise QueryError("the query has no searchable words")
    for leaf in query.leaves():
        error = getattr(leaf, "error", None)
        if error:
            raise QueryError(f"cannot read the query: {error}")
        name = leaf.field()
        if name is not None and name not in QUERY_FIELDS:
            known = ", ".join(sorted(set(QUERY_FIELDS) | set(ALIASES) - {"id"}))
            raise QueryError(f"unknown field '{name}:' (fields: {known}; quote a colon meant as text)")


def _any_word(query: wq.Query) -> wq.Query:
    """Rewrite one node of the any-word form: no lone stop words, and NOT excluding from the group."""
    if isinstance(query, wq.Term) and query.text in _STOP_WORDS:
        return wq.NullQuery
    if isinstance(query, wq.Or) and any(isinstance(child, wq.Not) for child in query.subqueries):
        wanted = [child for child in query.subqueries if not isinstance(child, wq.Not)]
        unwanted = [child.query for child in query.subqueries if isinstance(child, wq.Not)]
        return wq.AndNot(wq.Or(wanted) if wanted else wq.Every(), wq.Or(unwanted))
    return query


class _Bonus(wq.WrappingQuery):
    """Matches what its child matches, every match scoring a fixed ``bonus``."""

    def __init__(self, child: wq.Query, bonus: float) -> None:
        super().__init__(child)
        self.bonus = bonus

    def _rewrap(self, child: wq.Query) -> _Bonus:
        return _Bonus(child, self.bonus)

    def matcher(self, searcher, context=None):
        return _BonusMatcher(self.child.matcher(searcher, context), self.bonus)


class _BonusMatcher(WrappingMatcher):
    def __init__(self, child, bonus: float) -> None:
        super().__init__(child)
        self.bonus = bonus

    def copy(self):
        return _BonusMatcher(self.child.copy(), self.bonus)

    def _replacement(self, newchild):
        return _BonusMatcher(newchild, self.bonus)

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self.bonus

    def score(self) -> float:
        return self.bonus


def _matched_terms(query: wq.Query, searcher: Searcher) -> dict[str, set[str]]:
    """Per field, the words the query looks for (wildcards expanded against the index).

    (Whoosh's own ``Query.existing_terms`` stops after the first field it sees.)
    """
    reader = searcher.reader()
    terms: dict[str, set[str]] = {}
    for leaf in query.leaves():
        for name, term in leaf.expanded_terms(reader, phrases=True):
            terms.setdefault(name, set()).add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return terms


def _hit(hit, terms: dict[str, set[str]], searcher: Searcher) -> Hit:
    article = from_record(hit["record"])
    return Hit(
        id=article.id,
        score=hit.score % _ALL_WORDS_BONUS,
        title=article.title,
        url=article.url,
        published=article.published,
        authors=article.authors,
        section=article.section,
        source=article.source,
        tags=article.tags,
        snippet=_snippet(article, terms, searcher),
    )


def _snippet(article: Article, terms: dict[str, set[str]], searcher: Searcher) -> Snippet | None:
    texts = field_texts(article)
    for name in SNIPPET_FIELDS:
        wanted = terms.get(name)
        if wanted and texts[name]:
            spans = [
                (token.startchar, token.endchar, token.text)
                for token in searcher.schema[name].analyzer(texts[name], chars=True, mode="index")
                if token.text in wanted
            ]
            if spans:
                return _window(name, texts[name], spans)
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
