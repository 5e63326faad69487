"""The plan of a query (``searchkit.querylang``) as Whoosh queries, and the filter options as a
Whoosh restriction.

Words of the full-text fields weigh the square root of their idf (rare words count for more;
measured on TIME by benchmarks/ranking.py) times their field's weight. Wildcards and fuzzy
words are matched against the index's vocabulary (the words of titles and bodies, unstemmed)
within a budget (``vocabulary.py``), and the words found are stemmed: ``automat*`` finds
"automation", whose stem "autom" the pattern would not match. In the other fields they are
matched against the field's own terms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.searching import Searcher

from ...analysis import plain_word, term
from ...errors import QueryError
from ...fields import FACETS
from ...querylang import plan as qp
from ...querylang.fields import FIELDS, Kind
from ...querylang.parser import date_bounds
from .schema import VOCABULARY_FIELDS
from .scoring import Clause, terms_of
from .vocabulary import WORDS_FIELD, Lexicon


@dataclass
class CompiledQuery:
    """A query string as Whoosh runs it.

    ``matching`` decides which articles are hits and scores them, within ``restriction`` (the
    query's dates, languages and excluded words); ``strict``, for a keyword query, is the tier of
    articles with all of its words, which rank first; ``descriptive`` says that relevance
    feedback is worth its cost; ``clauses`` is ``matching`` as an OR of words, each an OR of
    weighted (field, term, boost), when it has that shape (for ``scoring``); ``terms`` maps every
    full-text (field, term) of the words sought to its weight; ``highlights`` gives, per field,
    the terms a snippet shows.
    """

    text: str
    matching: wq.Query
    strict: wq.Query | None
    descriptive: bool
    clauses: list[Clause] | None
    restriction: wq.Query | None = None
    terms: dict[tuple[str, str], float] = field(default_factory=dict)
    highlights: dict[str, set[str]] = field(default_factory=dict)

    @property
    def tiered(self) -> bool:
        return self.strict is not None


def compile_query(searcher: Searcher, plan: qp.Plan) -> CompiledQuery:
    """A planned query as Whoosh queries; QueryError when it would cost more than the budget of
    ``vocabulary.py``."""
    compiler = _Compiler(searcher, Lexicon(searcher.reader()))
    matching = compiler.query(plan.matching, record=True)
    compiled = CompiledQuery(
        text=plan.text,
        matching=matching if matching is not None else wq.NullQuery,
        strict=compiler.query(plan.all_words) if plan.all_words is not None else None,
        descriptive=plan.descriptive,
        clauses=compiler.clauses(plan.matching),
        terms=compiler.terms,
        highlights=compiler.highlights,
    )
    if plan.restriction is not None:
        restriction = compiler.query(plan.restriction)
        compiled.restriction = restriction if restriction is not None else wq.NullQuery
    return compiled


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
        start = date_bounds(since)[0] if since else None
        end = date_bounds(until)[1] if until else None
        if start and end and start >= end:
            raise QueryError(f"--since {since} comes after --until {until}")
        parts.append(wq.DateRange("published", start, end, endexcl=True))
    if lang:
        parts.append(wq.Term("lang", lang.strip().lower()))
    return wq.And(parts) if parts else None


class _Compiler:
    def __init__(self, searcher: Searcher, lexicon: Lexicon) -> None:
        self.searcher = searcher
        self.lexicon = lexicon
        self.terms: dict[tuple[str, str], float] = {}
        self.highlights: dict[str, set[str]] = {}
        self._expansions: dict[qp.PatternMatch, list[tuple[str, float, list[str]]]] = {}

    def query(self, node: qp.Node, record: bool = False) -> wq.Query | None:
        """The Whoosh query of a plan node; None when it can match nothing (a wildcard that
        matches no word). ``record`` gathers the terms and highlights of the words sought."""
        if isinstance(node, qp.TermMatch):
            return _any([self.term(t.field, t.term, t.weight, record) for t in node.terms])
        if isinstance(node, qp.PhraseMatch):
            if record:
                for phrase in node.phrases:
                    self.highlights.setdefault(phrase.field, set()).update(phrase.terms)
            return _any([wq.Phrase(p.field, list(p.terms), slop=node.slop, boost=p.weight) for p in node.phrases])
        if isinstance(node, qp.PatternMatch):
            return self.pattern(node, record)
        if isinstance(node, qp.ValueMatch):
            return wq.Term(node.field, node.value)
        if isinstance(node, qp.DateMatch):
            return wq.DateRange(node.field, node.start, node.end, endexcl=True)
        if isinstance(node, qp.MatchAll):
            return wq.Every()
        return self.boolean(node, record)

    def boolean(self, node: qp.Boolean, record: bool) -> wq.Query | None:
        must = [self.query(child, record) for child in node.must]
        filters = [self.query(child) for child in node.filter]
        if None in must or None in filters:
            return None
        should = [q for q in (self.query(child, record) for child in node.should) if q is not None]
        if node.should and not should and not must:
            return None
        if must:
            query = _all(must)
            if should:
                query = wq.AndMaybe(query, _any(should))
        else:
            query = _any(should) if should else wq.Every()
        if filters:
            query = wq.And([query, *(wq.ConstantScoreQuery(q, score=0.0) for q in filters)])
        unwanted = [q for q in (self.query(child) for child in node.must_not) if q is not None]
        return wq.AndNot(query, _any(unwanted)) if unwanted else query

    def term(self, name: str, text: str, weight: float, record: bool) -> wq.Term:
        """A term of a field; a full-text term weighs its field's weight times the square root of its idf."""
        if FIELDS[name] is Kind.TEXT:
            idf = math.sqrt(self.searcher.idf(name, text))
            weight *= idf
            if record:
                self.terms[(name, text)] = idf
        if record:
            self.highlights.setdefault(name, set()).add(text)
        return wq.Term(name, text, boost=weight)

    def pattern(self, node: qp.PatternMatch, record: bool) -> wq.Query | None:
        """A wildcard or fuzzy word as the OR of the terms it stands for in each of its fields."""
        if node not in self._expansions:
            self._expansions[node] = self.expand(node)
        return _any([
            self.term(name, text, weight, record)
            for name, weight, terms in self._expansions[node]
            for text in terms
        ])

    def expand(self, node: qp.PatternMatch) -> list[tuple[str, float, list[str]]]:
        """(field, weight, terms) for each field of a pattern: in full text, the stems of the
        vocabulary's words it matches, and in the fields the vocabulary does not hold, the
        field's own terms it matches too; in the other fields, the field's own terms."""
        expanded = []
        stems: set[str] | None = None
        for weight in node.fields:
            if FIELDS[weight.field] is not Kind.TEXT:
                found = set(self.words(weight.field, node))
            else:
                if stems is None:
                    stems = {term(word) for word in self.words(WORDS_FIELD, node)}
                found = stems if weight.field in VOCABULARY_FIELDS else stems | set(self.words(weight.field, node))
            expanded.append((weight.field, weight.weight, sorted(found)))
        return expanded

    def words(self, name: str, node: qp.PatternMatch) -> list[str]:
        """The terms of a field (or of the vocabulary) that a pattern matches; a fuzzy word is
        compared as the field holds it (stemmed in full text, the vocabulary's words are not)."""
        if node.edits is None:
            return self.lexicon.matching(name, node.pattern)
        kind = FIELDS.get(name)
        word = node.pattern if kind is Kind.KEYWORD else plain_word(node.pattern)
        if kind is Kind.TEXT:
            word = term(word)
        return sorted({word, *self.lexicon.within(name, word, node.edits)})

    def clauses(self, node: qp.Node) -> list[Clause] | None:
        """``matching`` as an OR of words, each an OR of weighted terms, when it is one (else None)."""
        words = node.should if isinstance(node, qp.Boolean) and not (node.must or node.must_not or node.filter) else (node,)
        clauses = []
        for word in words:
            if not isinstance(word, (qp.TermMatch, qp.PatternMatch)):
                return None
            compiled = self.query(word)
            if compiled is not None:
                clauses.append(terms_of(compiled))
        return clauses


def _any(queries: list[wq.Query]) -> wq.Query | None:
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _all(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.And(queries)
