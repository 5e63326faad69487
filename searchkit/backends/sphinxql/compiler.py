"""The plan of a query (``searchkit.querylang``) as SphinxQL: a MATCH() expression for the words,
an attribute condition for dates, languages and ids, filters, and the ranker.

Words become Sphinx's extended syntax over the fields that hold them (``@(title,body) term``),
phrases stay phrases (``"a b"``; ``"a b"~N`` is Sphinx's proximity, an unordered window, where
Whoosh's is ordered: totals may differ on such queries), ``+``/AND are juxtaposition, OR is
``|``, excluded words ``-(...)``, and the words that only rank beside required ones ``MAYBE``.
A term the plan keeps to the articles of some languages (a language's stem) is matched beside
the article's language, which each row holds as a word of its ``language`` field
(``(@body wahl @language de)``), and a term for the other languages beside their absence
(``(@body wahlen -(@language de|nl))``); as the Whoosh backend does, only the languages the
archive holds are named, so that an archive of one language gets plain terms. A word's prefix
(``prefix`` field) counts where the Whoosh backend lets it: among words of which any may match.
Wildcards and fuzzy words are expanded against the archive's vocabulary first (``lexicon``), and
the words found analysed as query words. Dates, languages and ids at the top of a query (and the
filter options) are attribute conditions; inside OR or NOT beside words they cannot be expressed,
and the query is refused with a message.

Ranking is Sphinx's proximity BM25 (``sum(lcs*user_weight)*1000+bm25``) with the plan's field
weights as integers (x10), scaled by the query's boost. The articles matching all the words of a
keyword query rank first: ``strict`` is their MATCH (the searcher reads them, then the others).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ...analysis import fold, has_unspaced, query_tokens
from ...analysis.tokens import characters
from ...errors import QueryError
from ...fields import DEFAULT_FIELDS, FACETS
from ...querylang import plan as qp
from ...querylang.expansion import Variant, merged
from ...querylang.fields import FIELDS, Kind
from ...querylang.parser import date_bounds
from ..base import Filters, Highlights, highlight
from .schema import (EVERY, EXACT_FIELD, KEYS_FIELD, LANGUAGE_FIELD, TEXT_FIELDS, VOCABULARY_FIELDS, WORDS_GROUP, doc_id,
                     folded_hash, seconds)

WEIGHT_SCALE = 10  # field weights are integers: the plan's times this
_EVERYTHING = object()  # a node that matches every article
_NOWHERE = object()  # what a term is kept to when the archive holds none of its languages


@dataclass(frozen=True)
class Held:
    """The languages an archive's articles are in, and whether every article has one."""

    codes: frozenset[str] = frozenset()
    every: bool = False


@dataclass
class Compiled:
    """A query as SphinxQL. ``match`` is None when every article qualifies; ``condition`` is an
    attribute expression that must hold; ``where`` are plain attribute filters; ``strict`` is the
    MATCH of the matches that rank first (those holding all the words of a keyword query; None:
    no tier), and ``rest`` that of the others; ``scored`` is False when the query has no words
    (every hit scores 0)."""

    match: str | None
    condition: str | None = None
    where: list[str] = field(default_factory=list)
    strict: str | None = None
    rest: str | None = None
    weights: dict[str, int] = field(default_factory=dict)
    boost: float = 1.0
    scored: bool = True
    highlights: Highlights = field(default_factory=dict)

    def ranker(self) -> str:
        proximity = "sum(lcs*user_weight)*1000+bm25"
        if self.boost != 1.0:
            proximity = f"({proximity})*{self.boost:g}"
        weights = ", ".join(f"{name}={weight}" for name, weight in sorted(self.weights.items()))
        options = f"ranker=expr('{proximity}')"
        return f"{options}, field_weights=({weights})" if weights else options


class Lexicon(Protocol):
    """What a backend's vocabulary answers: the words of a group that a wildcard pattern matches,
    or that are within some edits of a word (``vocabulary``)."""

    def matching(self, group: int, pattern: str) -> list[str]: ...

    def within(self, group: int, word: str, edits: int, prefix: int = 0) -> list[str]: ...


def compile_plan(plan: qp.Plan, filters: Filters, lexicon: Lexicon, held: Held) -> Compiled:
    compiler = _Compiler(lexicon, plan.language, held)
    matched = compiler.match(plan.matching, record=True)
    plain = compiler.match(plan.matching, prefixes=False)
    if plain != matched and _EVERYTHING not in (plain, matched):  # prefixes rank the articles holding a word
        matched = None if plain is None else f"({plain}) MAYBE ({matched})"
    excluded: list[str] = []
    conditions: list[str] = []
    if plan.restriction is not None:
        _restriction(compiler, plan.restriction, excluded, conditions)
    if matched is None:
        match = None
        conditions = ["0"]
    elif excluded:
        base = f"@{KEYS_FIELD} {EVERY}" if matched is _EVERYTHING else matched
        match = " ".join([base, *(f"-({text})" for text in excluded)])
    else:
        match = None if matched is _EVERYTHING else matched
    compiled = Compiled(match=match, where=filter_conditions(filters), highlights=compiler.highlights,
                        scored=matched is not _EVERYTHING and matched is not None)
    if conditions:
        compiled.condition = " AND ".join(conditions)
    strict = compiler.match(plan.all_words, prefixes=False) if plan.all_words is not None and match else None
    if strict is not None and strict is not _EVERYTHING:
        compiled.strict = " ".join([f"({strict})", *(f"-({text})" for text in excluded)])
        compiled.rest = f"({match}) -({strict})"
    compiled.boost = max(compiler.boosts, default=1.0)
    compiled.weights = {name: max(1, round(weight / compiled.boost * WEIGHT_SCALE))
                        for name, weight in compiler.weights.items()}
    return compiled


def filter_conditions(filters: Filters) -> list[str]:
    """The filter options as attribute filters: any value within a facet, all facets together."""
    where = []
    for facet, values in filters.values.items():
        if facet not in FACETS:
            raise QueryError(f"unknown filter '{facet}' (filters: {', '.join(FACETS)})")
        if values:
            where.append(f"f_{facet} IN ({', '.join(str(folded_hash(facet, value)) for value in values)})")
    if filters.since or filters.until:
        start = date_bounds(filters.since)[0] if filters.since else None
        end = date_bounds(filters.until)[1] if filters.until else None
        if start and end and start >= end:
            raise QueryError(f"--since {filters.since} comes after --until {filters.until}")
        where.append("dated = 1")
        if start:
            where.append(f"published >= {seconds(start)}")
        if end:
            where.append(f"published < {seconds(end)}")
    if filters.lang:
        where.append(f"f_lang IN ({folded_hash('lang', filters.lang)})")
    return where


def _restriction(compiler: _Compiler, node: qp.Node, excluded: list[str], conditions: list[str]) -> None:
    """The top of a query that only narrows: excluded words into MATCH, the rest as attributes."""
    if isinstance(node, qp.Boolean) and not (node.must or node.should):
        for child in node.must_not:
            if _is_attribute(child):
                conditions.append(f"NOT ({_attribute(child)})")
            else:
                text = compiler.match(child, prefixes=False)
                if text is _EVERYTHING:
                    conditions.append("0")
                elif text is not None:
                    excluded.append(text)
        conditions.extend(_attribute(child) for child in node.filter)
    else:
        conditions.append(_attribute(node))


def _is_attribute(node: qp.Node) -> bool:
    if isinstance(node, (qp.DateMatch, qp.ValueMatch, qp.MatchAll)):
        return True
    if isinstance(node, qp.PatternMatch):
        return all(FIELDS[weight.field] is Kind.KEYWORD for weight in node.fields)
    if isinstance(node, qp.Boolean):
        return all(_is_attribute(child) for child in (*node.must, *node.should, *node.must_not, *node.filter))
    return False


def _attribute(node: qp.Node) -> str:
    """A node over dates, languages and ids as an attribute expression."""
    if isinstance(node, qp.DateMatch):
        column, flag = ("crawled", "crawled_day > 0") if node.field == "crawled" else ("published", "dated = 1")
        parts = [flag]
        if node.start is not None:
            parts.append(f"{column} >= {seconds(node.start)}")
        if node.end is not None:
            parts.append(f"{column} < {seconds(node.end)}")
        return "(" + " AND ".join(parts) + ")"
    if isinstance(node, qp.ValueMatch):
        if node.field == "id":
            return f"id = {doc_id(node.value)}"
        return f"IN(f_lang, {folded_hash('lang', node.value)})"
    if isinstance(node, qp.MatchAll):
        return "1"
    if isinstance(node, qp.PatternMatch):
        raise QueryError("the sphinxql engine has no wildcards or fuzzy words in id: and lang:")
    if isinstance(node, qp.Boolean):
        required = [_attribute(child) for child in (*node.must, *node.filter)]
        if not node.must and node.should:
            required.append("(" + " OR ".join(_attribute(child) for child in node.should) + ")")
        required += [f"NOT ({_attribute(child)})" for child in node.must_not]
        return "(" + " AND ".join(required or ["1"]) + ")"
    raise QueryError("the sphinxql engine cannot combine words with dates, languages or ids inside OR or NOT: "
                     "put the dates, languages and ids beside the words")


class _Compiler:
    def __init__(self, lexicon: Lexicon, language: str | None, held: Held) -> None:
        self.lexicon = lexicon
        self.language = language
        self.held = held
        self.highlights: Highlights = {}
        self.weights: dict[str, float] = {}
        self.boosts: list[float] = []
        self._expansions: dict[qp.PatternMatch, list[tuple[str, float, list[Variant]]]] = {}

    def match(self, node: qp.Node, record: bool = False, prefixes: bool = True):
        """A node's MATCH() text; _EVERYTHING for every article, None for none. ``prefixes`` lets
        a word's prefix count (not in the all-words tier, nor where a word is required or excluded)."""
        if isinstance(node, qp.TermMatch):
            items = [(EXACT_FIELD if _exact(t.term) else t.field, t.weight, t.term, t.languages, t.others)
                     for t in node.terms]
            items += [(EXACT_FIELD, t.weight, t.term, t.languages, t.others) for t in node.terms if _character(t.term)]
            text = self.alternatives(items, record)
            if prefixes and node.prefixes:
                starts = self.alternatives([(t.field, t.weight, t.term, None, frozenset()) for t in node.prefixes], record)
                text = f"{text} | {starts}" if text else starts
            return text or None
        if isinstance(node, qp.PhraseMatch):
            mark = '"' if node.slop <= 1 else f'"~{node.slop}'
            items = [(p.field, p.weight, '"' + " ".join(p.terms) + mark, p.languages, p.others) for p in node.phrases]
            return self.alternatives(items, record, [p.terms for p in node.phrases]) or None
        if isinstance(node, qp.PatternMatch):
            return self.pattern(node, record)
        if isinstance(node, qp.MatchAll):
            return _EVERYTHING
        if isinstance(node, qp.Boolean):
            return self.boolean(node, record, prefixes)
        _attribute(node)  # a date, language or id among words: explained there
        raise AssertionError(node)

    def boolean(self, node: qp.Boolean, record: bool, prefixes: bool):
        if node.filter:
            _attribute(qp.Boolean(filter=node.filter))
            raise QueryError("the sphinxql engine cannot combine words with dates, languages or ids inside "
                             "brackets: put the dates, languages and ids beside the words")
        must = [self.match(child, record, prefixes=False) for child in node.must]
        if None in must:
            return None
        should = [text for text in (self.match(child, record, prefixes) for child in node.should) if text is not None]
        if node.should and not should and not must:
            return None
        if _EVERYTHING in should and not must:
            should = []
        must = [text for text in must if text is not _EVERYTHING]
        should = [text for text in should if text is not _EVERYTHING]
        if must:
            text = " ".join(f"({part})" for part in must)
            if should:
                text = f"({text}) MAYBE ({' | '.join(should)})"
        elif should:
            text = " | ".join(f"({part})" for part in should)
        else:
            text = _EVERYTHING
        unwanted = [part for part in (self.match(child, prefixes=False) for child in node.must_not) if part is not None]
        if _EVERYTHING in unwanted:
            return None
        if unwanted:
            base = f"@{KEYS_FIELD} {EVERY}" if text is _EVERYTHING else f"({text})"
            text = " ".join([base, *(f"-({part})" for part in unwanted)])
        return text

    def kept(self, languages: frozenset[str] | None, others: frozenset[str]):
        """The articles a term of the plan is kept to, in the languages the archive holds, as the
        Whoosh backend reads them: None for any article, _NOWHERE for none, else (keep, codes)."""
        held, every = self.held.codes, self.held.every
        if languages is not None:
            kept = languages & held
            if not kept:
                return _NOWHERE
            return None if kept == held and every else (True, tuple(sorted(kept)))
        kept = others & held
        if not kept:
            return None
        return _NOWHERE if kept == held and every else (False, tuple(sorted(kept)))

    def alternatives(self, items: list[tuple[str, float, str, frozenset[str] | None, frozenset[str]]], record: bool,
                     phrases=None) -> str:
        """Terms (or phrases) in fields as one OR, the fields of each term (kept to the same
        languages) together; empty when none is left."""
        fields_of: dict[tuple, list[str]] = {}
        for number, (name, weight, text, languages, others) in enumerate(items):
            kept = self.kept(languages, others)
            if kept is _NOWHERE:
                continue
            fields_of.setdefault((text, kept), []).append(name)
            if record:
                terms = phrases[number] if phrases else (text,)
                highlight(self.highlights, name, terms, None if kept is None else (kept[0], frozenset(kept[1])))
                self.weigh(name, weight)
        parts = []
        for (text, kept), names in fields_of.items():
            if kept is None:
                parts.append(f"(@({','.join(names)}) {text})")
            else:
                keep, codes = kept
                parts.append(f"(@({','.join(names)}) {text} {'' if keep else '-'}(@{LANGUAGE_FIELD} {'|'.join(codes)}))")
        return " | ".join(parts)

    def weigh(self, name: str, weight: float) -> None:
        self.weights[name] = max(self.weights.get(name, 0.0), weight)
        self.boosts.append(weight / DEFAULT_FIELDS.get(name, 1.0))

    def pattern(self, node: qp.PatternMatch, record: bool):
        if all(FIELDS[weight.field] is Kind.KEYWORD for weight in node.fields):
            _attribute(node)
        if node not in self._expansions:
            self._expansions[node] = self.expand(node)
        items = [(name, weight, text, languages, others)
                 for name, weight, variants in self._expansions[node] for text, languages, others in variants]
        return self.alternatives(items, record) or None

    def expand(self, node: qp.PatternMatch) -> list[tuple[str, float, list[Variant]]]:
        """(field, weight, terms) for each field of a pattern, as ``backends.whoosh.compiler``
        expands them: in full text the vocabulary's words analysed as query words, and in fields
        the vocabulary does not hold, the field's own terms too; in the other fields, the field's
        own terms."""
        expanded = []
        nothing: frozenset[str] = frozenset()
        analysed: list[Variant] | None = None
        for weight in node.fields:
            group = TEXT_FIELDS.index(weight.field) + 1
            if FIELDS[weight.field] is not Kind.TEXT:
                found = [(text, None, nothing) for text in self.words(group, node, node.pattern)]
            else:
                if analysed is None:
                    analysed = []
                    for word in self.words(WORDS_GROUP, node, node.pattern):
                        for token in query_tokens(word, self.language)[:1]:
                            analysed.append((token.term, None, token.others))
                            analysed += [(stem, languages, nothing) for stem, languages in token.stems]
                own = [] if weight.field in VOCABULARY_FIELDS else \
                    [(text, None, nothing) for text in self.words(group, node, self.first_term(node.pattern))]
                found = analysed + own
            expanded.append((weight.field, weight.weight, merged(found)))
        return expanded

    def first_term(self, word: str) -> str:
        return next((token.term for token in query_tokens(word, self.language)), word)

    def words(self, group: int, node: qp.PatternMatch, word: str) -> list[str]:
        if node.edits is None:
            return self.lexicon.matching(group, node.pattern)
        return sorted({word, *self.lexicon.within(group, word, node.edits)})


def _character(term: str) -> bool:
    """Whether a term is one character of unspaced script, which the index holds alone (beside
    the pairs it begins) in the field of exact forms, as well as where it stands alone."""
    return has_unspaced(term) and len(characters(term)) == 1


def _exact(term: str) -> bool:
    """Whether a term of the plan is a word's exact spelling beside its folded term (the index's
    terms are folded: ``analysis``), which the sphinxql engine holds in one field for all."""
    return fold(term) != term
