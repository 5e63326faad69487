"""Query strings and filters into Whoosh queries.

The syntax is Whoosh's (words, "phrases"~N, AND/OR/NOT, wildcards, field:word, brackets) with
four changes: ``+word``/``-word`` only at the start of a word (so "al-Bab" is one word), unknown
``field:`` names are errors rather than text, ``date:`` is read here (Whoosh's own date parser
misreads dashed ISO dates), and wildcards on stemmed fields are matched against the unstemmed
vocabulary, then stemmed, so ``automat*`` finds "automation".

Every article matching any of the query's words is a hit. For a keyword query (up to
``KEYWORD_QUERY_WORDS`` words) the articles matching all of them rank first; a longer,
descriptive query is ranked by relevance alone, with relevance feedback (ranking.py), which
measures better on such queries (benchmarks/).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from whoosh import qparser
from whoosh import query as wq
from whoosh.matching import WrappingMatcher
from whoosh.qparser import syntax
from whoosh.searching import Searcher

from ...analysis import stem
from ...dates import period
from ...errors import QueryError
from .schema import ALIASES, DEFAULT_FIELDS, FACETS, QUERY_FIELDS
from .scoring import Clause, clauses, terms_of

KEYWORD_QUERY_WORDS = 4
ALL_WORDS_BONUS = 1_000_000.0
MAX_EXPANSIONS = 256
STEMMED_FIELDS = frozenset(DEFAULT_FIELDS)
_ENGLISH_STOP_WORDS = (
    """a about above after again against all am an and any are as at be because been before being below between
    both but by could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves""".split()
)
# Stop words as typed and as stemmed (query terms are stemmed: "because" -> "becaus").
STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS) | frozenset(map(stem, _ENGLISH_STOP_WORDS))


@dataclass
class ParsedQuery:
    """A query string read for searching.

    ``matching`` decides which articles are hits (any of the words, weighted for ranking), within
    ``restriction`` (the query's dates: a date narrows a query, it is not one of its words);
    ``strict`` requires all of them; ``tiered`` says articles matching ``strict`` rank first (a
    keyword query); ``descriptive`` says the query is longer than a keyword query, which is when
    relevance feedback is worth its cost; ``clauses`` is the query as an OR of words, each an OR
    of weighted (field, term) pairs, when it has that shape (for ``scoring``); ``terms`` maps
    every full-text (field, term) to its weight.
    """

    text: str
    matching: wq.Query
    strict: wq.Query
    tiered: bool
    descriptive: bool
    clauses: list[Clause] | None
    terms: dict[tuple[str, str], float]
    restriction: wq.Query | None = None

    @property
    def ranking(self) -> wq.Query:
        """``matching`` with the all-words bonus when tiered, for scoring by Whoosh."""
        return wq.Or([_Bonus(self.strict, ALL_WORDS_BONUS), self.matching]) if self.tiered else self.matching


def parse(searcher: Searcher, text: str) -> ParsedQuery:
    """Read a query string; QueryError when it cannot be run as written."""
    if not text.strip():
        raise QueryError("empty query: give at least one word")
    try:
        strict = _parser(searcher, qparser.AndGroup).parse(text)
        loose = _parser(searcher, qparser.OrGroup).parse(text)
    except QueryError:
        raise
    except Exception as error:  # Whoosh's parser raises assorted internal errors on malformed input
        raise QueryError(f"cannot read the query ({type(error).__name__}): check its quotes, brackets and operators") from None
    _check(strict)
    restriction, strict = _split_dates(strict)
    _, loose = _split_dates(loose)
    strict = strict.accept(lambda q: _expand_wildcard(q, searcher))
    loose = loose.accept(lambda q: _expand_wildcard(q, searcher))
    without_stops = strict.accept(_drop_stop_words).normalize()
    strict = strict.normalize() if without_stops is wq.NullQuery else without_stops
    loose = loose.accept(_any_word).normalize()
    if loose is wq.NullQuery:
        loose = strict
    terms: dict[tuple[str, str], float] = {}
    weighted_loose = loose.accept(lambda q: _weigh(q, searcher, terms)).normalize()
    weighted_strict = strict.accept(lambda q: _weigh(q, searcher, {})).normalize()
    words = {word for _, word in terms}
    tiered = 1 < len(words) <= KEYWORD_QUERY_WORDS and strict != loose
    return ParsedQuery(
        text=text,
        matching=weighted_loose,
        strict=strict,
        tiered=tiered,
        descriptive=len(words) > KEYWORD_QUERY_WORDS,
        clauses=_word_clauses(weighted_strict, weighted_loose),
        terms=terms,
        restriction=restriction,
    )


def _split_dates(query: wq.Query) -> tuple[wq.Query | None, wq.Query]:
    """(the dates standing at the top of a query, the rest of it: Every when only dates were given)."""
    if isinstance(query, wq.NumericRange):
        return query, wq.Every()
    if isinstance(query, (wq.And, wq.Or)):
        dates = [child for child in query.subqueries if isinstance(child, wq.NumericRange)]
        if dates:
            rest = [child for child in query.subqueries if not isinstance(child, wq.NumericRange)]
            remainder = type(query)(rest, boost=query.boost).normalize() if rest else wq.Every()
            return wq.And(dates).normalize(), remainder
    return None, query


def _word_clauses(strict: wq.Query, loose: wq.Query) -> list[Clause] | None:
    """The words of the query as weighted term clauses, when the any-word form is their OR."""
    parts = strict.subqueries if isinstance(strict, wq.And) else [strict]
    words = [terms_of(part) for part in parts]
    if any(word is None for word in words):
        return None
    flat = clauses(loose)
    if flat is None or sorted(t for c in flat for t in c) != sorted(t for w in words for t in w):
        return None
    return words


def filter_query(
    filters: dict[str, list[str]] | None = None,
    since: str | None = None,
    until: str | None = None,
    lang: str | None = None,
) -> wq.Query | None:
    """The restriction the filter options make: any of the values within a facet, all facets together."""
    parts: list[wq.Query] = []
    for facet, values in (filters or {}).items():
        if facet not in FACETS:
            raise QueryError(f"unknown filter '{facet}' (filters: {', '.join(FACETS)})")
        if values:
            parts.append(wq.Or([wq.Term(f"facet_{facet}", value.strip().lower()) for value in values]))
    if since or until:
        start = _period(since)[0] if since else None
        end = _period(until)[1] if until else None
        if start and end and start >= end:
            raise QueryError(f"--since {since} comes after --until {until}")
        parts.append(wq.DateRange("published", start, end, endexcl=True))
    if lang:
        parts.append(wq.Term("lang", lang.strip().lower()))
    return wq.And(parts) if parts else None


def _parser(searcher: Searcher, group) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), searcher.schema, fieldboosts=DEFAULT_FIELDS, group=group)
    aliases: dict[str, list[str]] = {}
    for alias, name in ALIASES.items():
        aliases.setdefault(name, []).append(alias)
    parser.add_plugin(qparser.FieldAliasPlugin(aliases))
    # Any letter-led "name:" is a field, so an unknown one is reported rather than read as text.
    parser.replace_plugin(qparser.FieldsPlugin(expr=r"(?P<text>[^\W\d]\w*|[*]):", remove_unknown=False))
    # "+word" and "-word" only at the start of a word, so "al-Bab" stays one word.
    parser.add_plugin(qparser.PlusMinusPlugin(r"(?<![^\s(])\+(?=[\w\"(])", r"(?<![^\s(])-(?=[\w\"(])"))
    parser.add_plugin(_DatePlugin())
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
            known = sorted({*QUERY_FIELDS, *ALIASES} - {"id"})
            raise QueryError(f"unknown field '{name}:' (fields: {', '.join(known)}; quote a colon meant as text)")


def _drop_stop_words(query: wq.Query) -> wq.Query:
    if isinstance(query, wq.Term) and query.fieldname in STEMMED_FIELDS and query.text in STOP_WORDS:
        return wq.NullQuery
    return query


def _any_word(query: wq.Query) -> wq.Query:
    """One node of the any-word form: no lone stop words, and NOT excluding from its group."""
    query = _drop_stop_words(query)
    if isinstance(query, wq.Or) and any(isinstance(child, wq.Not) for child in query.subqueries):
        wanted = [child for child in query.subqueries if not isinstance(child, wq.Not)]
        unwanted = [child.query for child in query.subqueries if isinstance(child, wq.Not)]
        return wq.AndNot(wq.Or(wanted) if wanted else wq.Every(), wq.Or(unwanted))
    return query


def _weigh(query: wq.Query, searcher: Searcher, terms: dict[tuple[str, str], float]) -> wq.Query:
    """Weight a full-text word by the square root of its idf, so rare words count for more."""
    if isinstance(query, wq.Term) and query.fieldname in STEMMED_FIELDS:
        weight = math.sqrt(searcher.idf(query.fieldname, query.text))
        terms[(query.fieldname, query.text)] = weight
        return wq.Term(query.fieldname, query.text, boost=query.boost * weight)
    return query


def _expand_wildcard(query: wq.Query, searcher: Searcher) -> wq.Query:
    """A wildcard on a stemmed field, matched against real words and turned into their stems."""
    if not isinstance(query, (wq.Wildcard, wq.Prefix)) or query.fieldname not in STEMMED_FIELDS:
        return query
    probe = wq.Prefix("words", query.text) if isinstance(query, wq.Prefix) else wq.Wildcard("words", query.text)
    field = searcher.schema[query.fieldname]
    stems: set[str] = set()
    for count, (_, word) in enumerate(probe.expanded_terms(searcher.reader())):
        if count >= MAX_EXPANSIONS:
            break
        word = word.decode("utf-8") if isinstance(word, bytes) else word
        stems.update(field.process_text(word, mode="index"))
    stems.update(
        term.decode("utf-8") if isinstance(term, bytes) else term
        for _, term in query.expanded_terms(searcher.reader())
    )
    if not stems:
        return wq.NullQuery
    return wq.Or([wq.Term(query.fieldname, stem) for stem in sorted(stems)], boost=query.boost)


def _period(text: str) -> tuple[datetime, datetime]:
    try:
        return period(text)
    except ValueError as error:
        raise QueryError(str(error)) from None


_RANGE = re.compile(r"\[\s*(?P<low>[^\s\]]*?)\s*\bTO\b\s*(?P<high>[^\s\]]*)\s*\]?", re.I)


class _DateNode(syntax.SyntaxNode):
    """``date:2017``, ``date:2017-03``, ``date:[2016-06 TO 2017-01-15]``, ``date:>=2016-06``."""

    has_fieldname = False
    has_text = False
    has_boost = False

    def __init__(self, value: str) -> None:
        self.value = value

    def r(self) -> str:
        return f"date:{self.value}"

    def query(self, parser) -> wq.Query:
        value = self.value
        if value.startswith("["):
            bounds = _RANGE.fullmatch(value)
            if not bounds or not (bounds["low"] or bounds["high"]):
                raise QueryError(f"cannot read 'date:{value}': write date:[2016-01 TO 2016-06] (either end may be left open)")
            start = _period(bounds["low"])[0] if bounds["low"] else None
            end = _period(bounds["high"])[1] if bounds["high"] else None
            return wq.DateRange("published", start, end, endexcl=True)
        for operator in (">=", "<=", ">", "<"):
            if value.startswith(operator):
                start, end = _period(value[len(operator):])
                if operator == ">=":
                    return wq.DateRange("published", start, None)
                if operator == ">":
                    return wq.DateRange("published", end, None)
                if operator == "<=":
                    return wq.DateRange("published", None, end, endexcl=True)
                return wq.DateRange("published", None, start, endexcl=True)
        start, end = _period(value)
        return wq.DateRange("published", start, end, endexcl=True)


class _DatePlugin(qparser.TaggingPlugin):
    priority = -10
    expr = r"(?:date|published):(?P<value>\[[^\]]*\]?|[<>]=?[^\s()]+|[^\s()]+)"
    nodetype = _DateNode


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

