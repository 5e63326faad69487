"""BM25, as a Whoosh weighting model and term at a time for the common query shape.

BM25 with the textbook idf beats Whoosh's ``log(N/(n+1)) + 1`` (benchmarks/ranking.py).

Whoosh scores document-at-a-time through binary trees of matchers. For an OR of weighted terms
(every keyword query, each word spread over five fields; wildcard expansions; feedback words)
that costs about seventy method calls per matching document. Here each posting list is read
block by block as arrays and scores accumulate in a dict: the same BM25 as ``ranking.Bm25``
(same idf, same one-byte field lengths, same k1 and b), several times faster. Queries of any
other shape (phrases, NOT, ranges) are left to Whoosh.

This module reads Whoosh 2.7's W3 posting blocks below their public API, which the pinned
version makes stable; ``tests/test_scoring.py`` checks that its
scores equal Whoosh's own.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

from whoosh import query as wq
from whoosh import scoring
from whoosh.matching import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from .codec import LENGTH_OF_BYTE, PerDocReader, read_postings
from .schema import HIDDEN_KINDS

Clause = list[tuple[str, str, float]]  # one word of a query: the (field, term, boost) standing for it


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
    """How many documents are articles (deleted ones included, as Whoosh counts them)."""
    parent = searcher.get_parent()
    return parent.doc_count_all() - sum(parent.doc_frequency("kind", kind) for kind in HIDDEN_KINDS)


def average_length(searcher, fieldname: str) -> float:
    """The average length of a field over the articles."""
    return searcher.get_parent().field_length(fieldname) / max(article_count(searcher), 1) or 1


WEIGHTING = Bm25(B=0.75, K1=1.2)


def clauses(query: wq.Query) -> list[Clause] | None:
    """The query as an OR of words, each an OR of weighted terms; None for any other shape."""
    if isinstance(query, wq.Term):
        return [[(query.fieldname, query.text, query.boost)]]
    if isinstance(query, wq.Or):
        result = []
        for child in query.subqueries:
            terms = terms_of(child, query.boost)
            if terms is None:
                return None
            result.append(terms)
        return result
    return None


def terms_of(query: wq.Query, boost: float = 1.0) -> Clause | None:
    """The weighted terms of a Term or an OR of terms (nested), or None for any other query."""
    if isinstance(query, wq.Term):
        return [(query.fieldname, query.text, query.boost * boost)]
    if isinstance(query, wq.Or):
        found: Clause = []
        for child in query.subqueries:
            terms = terms_of(child, query.boost * boost)
            if terms is None:
                return None
            found.extend(terms)
        return found
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
        for fieldname, text, boost in clause:
            self._add_term(fieldname, text, boost, seen, only_matched)
        if not only_matched:
            for docnum in seen:
                self.clauses_matched[docnum] += 1

    def _add_term(self, fieldname: str, text: str, boost: float, seen: set[int], only_matched: bool) -> None:
        searcher = self.searcher
        weighting = self.weighting
        k1 = weighting.K1
        b = weighting._field_B.get(fieldname, weighting.B)
        idf = average = None
        score = self.score
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
            for docnum, weight in itertools.chain((first,), postings):
                docnum += offset
                if only_matched and docnum not in score:
                    continue
                length = LENGTH_OF_BYTE[lengths[docnum - offset]] if docnum - offset < len(lengths) else 0
                score[docnum] += factor * weight / (weight + base + per_length * length)
                seen.add(docnum)


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
