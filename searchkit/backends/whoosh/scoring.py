"""BM25, as a Whoosh weighting model and term at a time for the common query shape.

BM25 with the textbook idf beats Whoosh's ``log(N/(n+1)) + 1`` (benchmarks/ranking.py).

Whoosh scores document-at-a-time through binary trees of matchers. For an OR of weighted terms
(every keyword query, each word spread over five fields; wildcard expansions; feedback words)
that costs about seventy method calls per matching document. Here each posting list is read
block by block as arrays and scores accumulate in a dict: the same BM25 as ``ranking.Bm25``
(same idf, same one-byte field lengths, same k1 and b), several times faster. Queries of any
other shape (phrases, NOT, ranges) are left to Whoosh: ``Clause.query`` is the same word as a
Whoosh query (a term kept to some languages: an AND with the ``lang`` field; prefixes: a
DisjunctionMax), with the same scores.

This module reads Whoosh 2.7's W3 posting blocks below their public API, which the pinned
version makes stable; ``tests/test_scoring.py`` checks that its
scores equal Whoosh's own.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from whoosh import query as wq
from whoosh import scoring
from whoosh.matching import DisjunctionMaxMatcher, FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from .codec import LENGTH_OF_BYTE, PerDocReader, read_postings
from .schema import HIDDEN_KINDS

@dataclass(frozen=True)
class Languages:
    """The articles a term is kept to: those in one of ``codes`` (``keep``), or those in none."""

    codes: frozenset[str]
    keep: bool = True


WeightedTerm = tuple[str, str, float, Languages | None]  # field, term, boost, the articles it is kept to (None: any)


@dataclass
class Clause:
    """One word of a query: the weighted terms standing for it, whose scores add up (each kept to
    the articles of some languages, or of any), and the prefix terms, whose sum counts instead
    when it is greater. Only ``terms`` make an article match the word for the all-words tier."""

    terms: list[WeightedTerm]
    prefixes: list[tuple[str, str, float]] = field(default_factory=list)

    def query(self, prefixes: bool = True) -> wq.Query | None:
        """The same word as a Whoosh query (None when it has no term); without ``prefixes``, the
        word itself only."""
        words = [kept_to(wq.Term(name, text, boost=boost), languages) for name, text, boost, languages in self.terms]
        found = words[0] if len(words) == 1 else wq.Or(words) if words else None
        if not (prefixes and self.prefixes):
            return found
        starts = [wq.Term(name, text, boost=boost) for name, text, boost in self.prefixes]
        alternatives = [q for q in (found, starts[0] if len(starts) == 1 else wq.Or(starts)) if q is not None]
        return alternatives[0] if len(alternatives) == 1 else BestOf(alternatives)


class BestOf(wq.DisjunctionMax):
    """Whoosh's DisjunctionMax, scoring each document by the best of the subqueries it matches
    (Whoosh's own matcher also takes the score of a subquery that is on another document)."""

    def _matcher(self, subs, searcher, context):
        return self._tree_matcher(subs, _BestMatcher, searcher, context, lambda q: q.estimate_size(searcher.reader()))


class _BestMatcher(DisjunctionMaxMatcher):
    def score(self):
        a, b = self.a, self.b
        if not a.is_active() or (b.is_active() and b.id() < a.id()):
            return b.score()
        if not b.is_active() or a.id() < b.id():
            return a.score()
        return max(a.score(), b.score())


def kept_to(query: wq.Query, languages: Languages | None) -> wq.Query:
    """A query kept to the articles of some languages (None: any article), scored as itself."""
    if languages is None:
        return query
    held = [wq.Term("lang", language) for language in sorted(languages.codes)]
    held_query = held[0] if len(held) == 1 else wq.Or(held)
    return wq.Require(query, held_query) if languages.keep else wq.AndNot(query, held_query)


class Bm25(scoring.BM25F):
    """Whoosh's BM25F with the textbook idf, log(1 + (N - n + 0.5) / (n + 0.5)), where N and the
    average field length count articles only (not the hidden documents, whose number depends on
    how many files and commits built the index)."""

    def idf(self, searcher, fieldname, text):
        n = searcher.get_parent().doc_frequency(fieldname, text)
        total = article_count(searcher)
        return math.log(1 + (total - n + 0.5) / (n + 0.5))

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        scorer.avgfl = average_length(searcher, fieldname)
        return scorer


def article_count(searcher) -> int:
    """How many documents are articles (deleted ones included, as Whoosh counts them), counted
    once per reader (every term of every query asks)."""
    parent = searcher.get_parent()
    reader = parent.reader()
    count = _ARTICLE_COUNTS.get(reader)
    if count is None:
        count = _ARTICLE_COUNTS[reader] = (
            parent.doc_count_all() - sum(parent.doc_frequency("kind", kind) for kind in HIDDEN_KINDS))
    return count


_ARTICLE_COUNTS: WeakKeyDictionary = WeakKeyDictionary()


def average_length(searcher, fieldname: str) -> float:
    """The average length of a field over the articles."""
    return searcher.get_parent().field_length(fieldname) / max(article_count(searcher), 1) or 1


WEIGHTING = Bm25(B=0.75, K1=1.2)


def terms_of(query: wq.Query, boost: float = 1.0) -> Clause | None:
    """The clause of a Term or an OR of terms (nested), or None for any other query."""
    if isinstance(query, wq.Term):
        return Clause([(query.fieldname, query.text, query.boost * boost, None)])
    if isinstance(query, wq.Or):
        found: list[WeightedTerm] = []
        for child in query.subqueries:
            terms = terms_of(child, query.boost * boost)
            if terms is None:
                return None
            found.extend(terms.terms)
        return Clause(found)
    return None


class Scores:
    """Accumulated scores of the documents matching some clauses, and how many clauses each matched."""

    def __init__(self, searcher: Searcher, weighting) -> None:
        self.searcher = searcher
        self.weighting = weighting
        self.score: dict[int, float] = defaultdict(float)
        self.clauses_matched: dict[int, int] = defaultdict(int)

    def add(self, clause: Clause, only_matched: bool = False) -> None:
        """Score every document matching the clause (or only those already matched)."""
        seen: set[int] = set()
        if not clause.prefixes:
            for fieldname, text, boost, languages in clause.terms:
                self._add_term(self.score, fieldname, text, boost, languages, seen, only_matched)
        else:
            word: dict[int, float] = defaultdict(float)
            for fieldname, text, boost, languages in clause.terms:
                self._add_term(word, fieldname, text, boost, languages, seen, only_matched)
            starts: dict[int, float] = defaultdict(float)
            for fieldname, text, boost in clause.prefixes:
                self._add_term(starts, fieldname, text, boost, None, set(), only_matched)
            score = self.score
            for docnum in word.keys() | starts.keys():
                score[docnum] += max(word.get(docnum, 0.0), starts.get(docnum, 0.0))
        if not only_matched:
            for docnum in seen:
                self.clauses_matched[docnum] += 1

    def _add_term(self, score: dict[int, float], fieldname: str, text: str, boost: float,
                  languages: Languages | None, seen: set[int], only_matched: bool) -> None:
        searcher = self.searcher
        weighting = self.weighting
        k1 = weighting.K1
        b = weighting._field_B.get(fieldname, weighting.B)
        idf = average = None
        matched = self.score
        for subsearcher, offset in searcher.leaf_searchers():
            reader = subsearcher.reader()
            if not reader.field_length(fieldname):  # the field is empty in this segment
                continue
            try:
                postings = _postings(reader, fieldname, text)
                first = next(postings, None)
            except TermNotFound:
                continue
            if first is None:
                continue
            if idf is None:
                idf = searcher.idf(fieldname, text)
                average = average_length(searcher, fieldname)
                factor = boost * idf * (k1 + 1)
                base = k1 * (1 - b)
                per_length = k1 * b / average
            lengths = _length_bytes(reader, fieldname)
            marked = _articles_in(reader, languages.codes) if languages is not None else None
            keep = languages is not None and languages.keep
            for docnum, weight in itertools.chain((first,), postings):
                if marked is not None and (docnum in marked) != keep:
                    continue
                docnum += offset
                if only_matched and docnum not in matched:
                    continue
                length = LENGTH_OF_BYTE[lengths[docnum - offset]] if docnum - offset < len(lengths) else 0
                score[docnum] += factor * weight / (weight + base + per_length * length)
                seen.add(docnum)


_LANGUAGES: WeakKeyDictionary = WeakKeyDictionary()


def _articles_in(reader, languages: frozenset[str]) -> set[int]:
    """The documents of a segment in any of these languages (each language's read once per reader)."""
    cache = _LANGUAGES.setdefault(reader, {})
    found: set[int] = set()
    for language in languages:
        if language not in cache:
            cache[language] = set(reader.postings("lang", language).all_ids()) if ("lang", language) in reader else set()
        found |= cache[language]
    return found


def _postings(reader, fieldname: str, text: str):
    """(docnum, weight) of every live posting of a term in one segment (TermNotFound if none)."""
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        deleted = reader.deleted_docs_set
        return (pair for pair in read_postings(matcher.child) if pair[0] not in deleted)
    return read_postings(matcher)


def _length_bytes(reader, fieldname: str) -> bytes:
    """The one-byte encoded length of a field in every document of a segment, read in one go."""
    perdoc = reader._perdoc
    if isinstance(perdoc, PerDocReader):
        return perdoc.length_bytes(fieldname)
    return PerDocReader.length_bytes(perdoc, fieldname)  # a segment written by plain W3
