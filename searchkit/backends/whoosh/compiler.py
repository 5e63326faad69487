"""The plan of a query (``searchkit.querylang``) as Whoosh queries, and the filter options as a
Whoosh restriction.

Words of the full-text fields weigh the square root of their idf (rare words count for more;
measured on TIME by benchmarks/ranking.py) times their field's weight. A word typed with marks
that folding removes ("bão") shares its weight between its folded term ("bao") and its exact
spelling by how many of the folded term's articles hold that spelling (``spelled``): where
folding conflates other words (Vietnamese tones: bão, báo, bảo, bao), the spelling typed counts
most; where the spelling holds nearly all of them (Zürich), the two count as before. Where a
language's stem stands for the word, the spelling stays a tie-break. A term the plan keeps to
articles of some languages is kept to those the index holds (and matches any article when it
holds no other); one the index lacks is left out. Wildcards and fuzzy words are matched against
the index's vocabulary (the words of titles and bodies, folded, unstemmed) within a budget
(``vocabulary.py``), and the words found are analysed as query words: ``automat*`` finds
"automation", whose stem "autom" the pattern would not match. In the other fields they are
matched against the field's own terms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.searching import Searcher

from ...analysis import EXACT_BOOST, query_tokens
from ...errors import QueryError
from ...fields import FACETS
from ...querylang import plan as qp
from ...querylang.expansion import Variant, merged
from ...querylang.fields import FIELDS, Kind
from ...querylang.parser import date_bounds
from ..base import Highlights, Kept, highlight
from .schema import VOCABULARY_FIELDS
from .scoring import Clause, Languages, WeightedTerm, article_count, kept_to
from .vocabulary import WORDS_FIELD, Lexicon

_NOWHERE = Languages(frozenset())  # what a term is kept to when the index holds none of its languages


@dataclass
class CompiledQuery:
    """A query string as Whoosh runs it.

    ``matching`` decides which articles are hits and scores them, within ``restriction`` (the
    query's dates, languages and excluded words); ``strict``, for a keyword query, is the tier of
    articles with all of its words, which rank first; ``descriptive`` says that relevance
    feedback is worth its cost; ``clauses`` is ``matching`` as an OR of words, each an OR of
    weighted (field, term, boost), when it has that shape (for ``scoring``); ``terms`` maps every
    full-text (field, term) of the words sought to its weight; ``highlights`` gives, per field,
    the terms a snippet shows and the articles each is matched in.
    """

    text: str
    matching: wq.Query
    strict: wq.Query | None
    descriptive: bool
    clauses: list[Clause] | None
    restriction: wq.Query | None = None
    terms: dict[tuple[str, str], float] = field(default_factory=dict)
    highlights: Highlights = field(default_factory=dict)

    @property
    def tiered(self) -> bool:
        return self.strict is not None


def compile_query(searcher: Searcher, plan: qp.Plan) -> CompiledQuery:
    """A planned query as Whoosh queries; QueryError when it would cost more than the budget of
    ``vocabulary.py``."""
    compiler = _Compiler(searcher, Lexicon(searcher.reader()), plan.language)
    matching = compiler.query(plan.matching, record=True)
    plain = compiler.query(plan.matching, prefixes=False)
    if matching is not None and plain != matching:  # prefixes rank the articles holding a word, never add one
        matching = wq.Require(matching, plain or wq.NullQuery)
    compiled = CompiledQuery(
        text=plan.text,
        matching=matching if matching is not None else wq.NullQuery,
        strict=compiler.query(plan.all_words, prefixes=False) if plan.all_words is not None else None,
        descriptive=plan.descriptive,
        clauses=compiler.clauses(plan.matching),
        terms=compiler.terms,
        highlights=compiler.highlights,
    )
    if plan.restriction is not None:
        restriction = compiler.query(plan.restriction, prefixes=False)
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
    def __init__(self, searcher: Searcher, lexicon: Lexicon, language: str | None) -> None:
        self.searcher = searcher
        self.lexicon = lexicon
        self.language = language
        self.terms: dict[tuple[str, str], float] = {}
        self.highlights: Highlights = {}
        self._expansions: dict[qp.PatternMatch, list[tuple[str, float, list[Variant]]]] = {}
        self._clauses: dict[qp.Node, Clause | None] = {}
        reader = searcher.reader()
        self._held = frozenset(text.decode("utf-8") for text in reader.lexicon("lang")) if reader.doc_count() else frozenset()
        self._every_article_has_one = sum(reader.doc_frequency("lang", language) for language in self._held) \
            >= article_count(searcher)

    def query(self, node: qp.Node, record: bool = False, prefixes: bool = True) -> wq.Query | None:
        """The Whoosh query of a plan node; None when it can match nothing (a wildcard that
        matches no word). ``record`` gathers the terms and highlights of the words sought;
        ``prefixes`` lets a word's prefixes count (not in the all-words tier, nor where a word is
        required or excluded)."""
        if isinstance(node, (qp.TermMatch, qp.PatternMatch)):
            clause = self.clause(node, record)
            return clause.query(prefixes) if clause is not None else None
        if isinstance(node, qp.PhraseMatch):
            phrases = []
            for phrase in node.phrases:
                languages = self.kept(phrase.languages, phrase.others)
                if languages is _NOWHERE:
                    continue
                if record:
                    highlight(self.highlights, phrase.field, phrase.terms, _kept(languages))
                query = wq.Phrase(phrase.field, list(phrase.terms), slop=node.slop, boost=phrase.weight)
                phrases.append(kept_to(query, languages))
            return _any(phrases)
        if isinstance(node, qp.ValueMatch):
            return wq.Term(node.field, node.value)
        if isinstance(node, qp.DateMatch):
            return wq.DateRange(node.field, node.start, node.end, endexcl=True)
        if isinstance(node, qp.MatchAll):
            return wq.Every()
        return self.boolean(node, record, prefixes)

    def boolean(self, node: qp.Boolean, record: bool, prefixes: bool) -> wq.Query | None:
        must = [self.query(child, record, prefixes=False) for child in node.must]
        filters = [self.query(child, prefixes=False) for child in node.filter]
        if None in must or None in filters:
            return None
        should = [q for q in (self.query(child, record, prefixes) for child in node.should) if q is not None]
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
        unwanted = [q for q in (self.query(child, prefixes=False) for child in node.must_not) if q is not None]
        return wq.AndNot(query, _any(unwanted)) if unwanted else query

    def kept(self, languages: frozenset[str] | None, others: frozenset[str] = frozenset()) -> Languages | None:
        """The articles a term of the plan is kept to, in the languages the index holds: None
        when that is any article, ``_NOWHERE`` when it is none."""
        every = self._every_article_has_one
        if languages is not None:
            held = languages & self._held
            if not held:
                return _NOWHERE
            return None if held == self._held and every else Languages(held)
        held = others & self._held
        if not held:
            return None
        return _NOWHERE if held == self._held and every else Languages(held, keep=False)

    def clause(self, node: qp.TermMatch | qp.PatternMatch, record: bool) -> Clause | None:
        """A word, or the words a pattern stands for, as weighted terms (None when none is left);
        made once per query (recorded the first time)."""
        if node not in self._clauses:
            self._clauses[node] = self._clause(node, record)
        return self._clauses[node]

    def _clause(self, node: qp.TermMatch | qp.PatternMatch, record: bool) -> Clause | None:
        terms: list[WeightedTerm] = []
        if isinstance(node, qp.PatternMatch):
            if node not in self._expansions:
                self._expansions[node] = self.expand(node)
            candidates = [(name, text, weight, languages, others) for name, weight, found in self._expansions[node]
                          for text, languages, others in found]
        else:
            candidates = self.spelled(node)
        for name, text, weight, languages, others in candidates:
            kept = self.kept(languages, others)
            if kept is _NOWHERE or (languages is not None and not self.holds(name, text)):
                continue  # (a stem the index lacks; a word it lacks stays: it counts among the query's words)
            terms.append(self.term(name, text, weight, kept, record, isinstance(node, qp.PatternMatch)))
        if record and isinstance(node, qp.TermMatch):
            self.record_word([text for name, text, _, _ in terms if name == "body"])
        prefixes = []
        if isinstance(node, qp.TermMatch):
            for t in node.prefixes:
                if self.holds(t.field, t.term):
                    prefixes.append((t.field, t.term, t.weight * math.sqrt(self.searcher.idf(t.field, t.term))))
        return Clause(terms, prefixes) if terms or prefixes else None

    def spelled(self, node: qp.TermMatch) -> list[tuple[str, str, float, frozenset[str] | None, frozenset[str]]]:
        """(field, term, weight, languages, others) of a word's terms, its exact spelling and its
        folded term sharing the word's weight: the folded term weighs the share s of its articles
        that hold the spelling (at least ``EXACT_BOOST``), the spelling 1 - s beside its tie-break
        (in the articles of the languages whose stems stand for the word, the tie-break alone)."""
        reader = self.searcher.reader()
        shares: dict[tuple[str, str], float] = {}
        for t in node.terms:
            if t.spells is not None:
                folded = reader.doc_frequency(t.field, t.spells)
                spelled = reader.doc_frequency(t.field, t.term)
                shares[(t.field, t.spells)] = max(EXACT_BOOST, min(1.0, spelled / folded)) if folded else 1.0
        found = []
        for t in node.terms:
            if t.spells is None:
                share = shares.get((t.field, t.term), 1.0) if t.languages is None else 1.0
                found.append((t.field, t.term, t.weight * share, t.languages, t.others))
                continue
            share = shares[(t.field, t.spells)]
            stemmed = next((f.others for f in node.terms if f.field == t.field and f.term == t.spells
                            and f.languages is None and f.spells is None), frozenset())
            if stemmed:
                found.append((t.field, t.term, t.weight, stemmed, frozenset()))
            found.append((t.field, t.term, t.weight * ((1 - share) / EXACT_BOOST + share), None, stemmed))
        return found

    def holds(self, name: str, text: str) -> bool:
        return self.searcher.reader().doc_frequency(name, text) > 0

    def record_word(self, body: list[str]) -> None:
        """Record a word's weight in the body for feedback: that of its form most bodies hold
        (a word stands for its folded form, its stems, its exact spelling; it weighs once)."""
        if body:
            best = max(body, key=lambda text: self.searcher.reader().doc_frequency("body", text))
            self.terms[("body", best)] = math.sqrt(self.searcher.idf("body", best))

    def term(self, name: str, text: str, weight: float, languages: Languages | None, record: bool,
             each: bool) -> WeightedTerm:
        """A term of a field; a full-text term weighs its field's weight times the square root of
        its idf. ``record`` highlights it and, with ``each`` (a pattern's terms, each a word of
        its own), records its weight for feedback."""
        if FIELDS[name] is Kind.TEXT:
            idf = math.sqrt(self.searcher.idf(name, text))
            weight *= idf
            if record and each:
                self.terms[(name, text)] = idf
        if record:
            highlight(self.highlights, name, (text,), _kept(languages))
        return name, text, weight, languages

    def expand(self, node: qp.PatternMatch) -> list[tuple[str, float, list[Variant]]]:
        """(field, weight, terms) for each field of a pattern: in full text, the terms of the
        vocabulary's words it matches (analysed as query words), and in the fields the vocabulary
        does not hold, the field's own terms it matches too; in the other fields, the field's own
        terms."""
        expanded = []
        nothing: frozenset[str] = frozenset()
        analysed: list[Variant] | None = None
        for weight in node.fields:
            if FIELDS[weight.field] is not Kind.TEXT:
                found = [(text, None, nothing) for text in self.words(weight.field, node)]
            else:
                if analysed is None:
                    analysed = []
                    for word in self.words(WORDS_FIELD, node):
                        for token in query_tokens(word, self.language)[:1]:
                            analysed.append((token.term, None, token.others))
                            analysed += [(stem, languages, nothing) for stem, languages in token.stems]
                found = analysed if weight.field in VOCABULARY_FIELDS else \
                    analysed + [(text, None, nothing) for text in self.words(weight.field, node)]
            expanded.append((weight.field, weight.weight, merged(found)))
        return expanded

    def words(self, name: str, node: qp.PatternMatch) -> list[str]:
        """The terms of a field (or the words of the vocabulary) that a pattern matches; a fuzzy
        word is compared with the vocabulary's words and a name field's terms as it is (folded),
        and with a full-text field's terms as the query's first term for it."""
        if node.edits is None:
            return self.lexicon.matching(name, node.pattern)
        word = node.pattern
        if FIELDS.get(name) is Kind.TEXT:
            word = next((token.term for token in query_tokens(word, self.language)), word)
        return sorted({word, *self.lexicon.within(name, word, node.edits)})

    def clauses(self, node: qp.Node) -> list[Clause] | None:
        """``matching`` as an OR of words, each an OR of weighted terms, when it is one (else None)."""
        words = node.should if isinstance(node, qp.Boolean) and not (node.must or node.must_not or node.filter) else (node,)
        clauses = []
        for word in words:
            if not isinstance(word, (qp.TermMatch, qp.PatternMatch)):
                return None
            clause = self.clause(word, record=False)
            if clause is not None:
                clauses.append(clause)
        return clauses


def _kept(languages: Languages | None) -> Kept:
    return None if languages is None else (languages.keep, frozenset(languages.codes))


def _any(queries: list[wq.Query]) -> wq.Query | None:
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _all(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.And(queries)
