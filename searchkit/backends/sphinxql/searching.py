"""Searching an archive on a SphinxQL cluster through its distributed index: plans into matches
ranked by relevance or date, counted by facet; records, signatures, suggestions, similar stories.

Every statement goes to the head, which asks the shards; a shard that does not answer leaves
its articles out, and the matches say so (``warnings``: "partial results: 1 of 3 shards did not
answer").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pymysql

from ...analysis import fold, has_unspaced, plain_word, query_tokens, terms
from ...analysis.folding import as_written
from ... import languages as language_codes
from ...errors import IndexNotFound, QueryError
from ...fields import FACETS
from ...model import Article
from ...querylang import Plan
from ...querylang.plan import STOP_TERMS
from ..base import INDEX_MARKER, Filters
from .compiler import Compiled, Held, compile_plan
from .connection import Address, connect, failed
from .schema import (LANGUAGE_FIELD, NO_LANGUAGE, STATE_VALUE, WORDS_GROUP, body_key, doc_id, from_record, moment,
                     value_hash, word_id)
from .vocabulary import Vocabulary

SORTS = ("relevance", "newest", "oldest")
FIRST_PAGE = 100  # hits read with the total (and their signatures): a page and its near duplicates, mostly
# Values of a facet counted exactly (more distinct values: the most common are). A ranked read
# asks for just the rows it needs: max_matches=1000 made a 100-hit read 7x slower on Reuters.
FACET_VALUES = 1_000
CHUNK = 500  # records read per statement
SIMILAR_TERMS = 25
QUERY_TIMEOUT = 120  # seconds a statement may take before the head counts as not answering
_DROPPED = (2006, 2013)  # MySQL client errors: server gone away, connection lost
SUGGEST_BUDGET = 100_000
_ORDERS = {
    "relevance": "weight() DESC, id ASC",
    "newest": "dated DESC, published DESC, id DESC",
    "oldest": "dated DESC, published ASC, id ASC",
}
_AGENT = re.compile(r"agent ([^:\s]+:\d+)")
_DATE_COLUMNS = {"year": "year", "month": "month", "day": "day", "crawled": "crawled_day"}


class Head:
    """Statements on the head searchd, turning its failures into one-line errors."""

    def __init__(self, address: Address, name: str, shards: int) -> None:
        self.address, self.name, self.shards = address, name, shards
        self.connection = connect(address, multi=True, timeout=QUERY_TIMEOUT)
        self.spellings: dict[int, str] = {}  # facet values as written, by hash (they never change)

    def run(self, sql: str, args=None) -> list[tuple]:
        return self.results(sql, args)[0]

    def results(self, sql: str, args=None) -> list[list[tuple]]:
        """The rows of each result set of (possibly many) statements; a connection the head has
        dropped (it was restarted) is made again, once."""
        try:
            return self._results(sql, args)
        except pymysql.err.OperationalError as error:
            if error.args[0] not in _DROPPED:
                raise failed(self.address, error) from None
        self.close()
        self.connection = connect(self.address, multi=True, timeout=QUERY_TIMEOUT)
        try:
            return self._results(sql, args)
        except pymysql.err.MySQLError as error:
            raise failed(self.address, error) from None

    def _results(self, sql: str, args) -> list[list[tuple]]:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, args)
                sets = [list(cursor.fetchall())]
                while cursor.nextset():
                    sets.append(list(cursor.fetchall()))
            return sets
        except pymysql.err.OperationalError:
            raise
        except pymysql.err.MySQLError as error:
            raise failed(self.address, error) from None

    def meta(self, statements: list[str], args=None) -> tuple[list[list[tuple]], list[int], list[str]]:
        """(rows, total found) of each SELECT, each followed by SHOW META in one round trip, and the
        warnings."""
        sets = self.results("; ".join(f"{sql}; SHOW META" for sql in statements), args)
        metas = [dict(rows) for rows in sets[1::2]]
        missing = {agent for meta in metas for agent in _AGENT.findall(meta.get("warning", ""))}
        warnings = [f"partial results: {len(missing)} of {self.shards} shards did not answer"] if missing else []
        return sets[0::2], [int(meta.get("total_found", 0)) for meta in metas], warnings

    def close(self) -> None:
        try:
            self.connection.close()
        except pymysql.err.Error:
            pass


class SphinxSearcher:
    """An archive's distributed index, answering the search layer (always the latest writes)."""

    def __init__(self, folder: Path, address: Address, name: str, shards: list[tuple[Address, str]]) -> None:
        self.folder = folder
        self.head = Head(address, name, len(shards))
        self.name = name
        self.shards = shards
        self.known_signatures: dict[int, bytes] = {}  # of the hits of the latest matches

    def matches(self, plan: Plan, filters: Filters, sort: str) -> SphinxMatches:
        if sort not in SORTS:
            raise QueryError(f"unknown sort '{sort}' (sorts: {', '.join(SORTS)})")
        compiled = compile_plan(plan, filters, Vocabulary(self.head.run, f"{self.name}_words"), self._held())
        return SphinxMatches(self.head, compiled, sort, self.known_signatures)

    def _held(self) -> Held:
        """The languages the archive's articles were ever written in (the spellings of the lang
        facet's values: a language whose articles are gone since only makes queries name it), and
        whether every article has one (none holds the word for no language); one round trip of
        lookups, not a count over the archive."""
        codes = {value_hash("lang", code): code for code in language_codes.CODES}
        sets = self.head.results(
            f"SELECT id FROM {self.name}_state WHERE id IN ({', '.join(map(str, codes))}) AND kind = {STATE_VALUE} "
            f"LIMIT {len(codes)} OPTION max_matches={len(codes)}; "
            f"SELECT id FROM {self.name} WHERE MATCH('@{LANGUAGE_FIELD} {NO_LANGUAGE}') LIMIT 1")
        return Held(frozenset(codes[row[0]] for row in sets[0]), not sets[1])

    def similar(self, article_id: str) -> SphinxMatches | None:
        article = self.get(article_id)
        if article is None:
            return None
        counts = Counter(word for word in terms(f"{article.title}\n{article.body}", article.language)
                         if (len(word) > 2 or has_unspaced(word)) and word not in STOP_TERMS and not word[0].isdigit())
        frequencies = self._document_frequencies(sorted(counts))
        total = max(self.count(), 1)
        length = sum(counts.values()) or 1
        # Among the words other articles share (a word of its own alone finds nothing like it).
        weights = {word: count / length * (math.log(total / (frequencies[word] + 1)) + 1)
                   for word, count in counts.items() if frequencies.get(word, 0) > 1}
        chosen = sorted(weights, key=weights.get, reverse=True)[:SIMILAR_TERMS]
        text = " | ".join(chosen)
        compiled = Compiled(match=f"@(title,body) ({text})" if chosen else None, condition=None if chosen else "0",
                            where=[f"id != {doc_id(article_id)}"], weights={"title": 10, "body": 10})
        return SphinxMatches(self.head, compiled, "relevance", self.known_signatures)

    def suggest(self, query: str) -> str | None:
        """As the Whoosh backend suggests (``backends.whoosh.ranking.suggest``): each unknown word
        replaced by the most common of its close words (``Vocabulary.close_words``)."""
        from ..whoosh.ranking import _OPERATORS, _QUERY_WORD  # the query-word rules, shared (pure Python)

        vocabulary = Vocabulary(self.head.run, f"{self.name}_words", SUGGEST_BUDGET)
        pieces, cursor, changed = [], 0, False
        for match in _QUERY_WORD.finditer(query):
            word = match.group(1)
            folded = fold(plain_word(word.lower()))
            if word in _OPERATORS or len(word) < 3 or has_unspaced(word) or self._known(folded):
                continue
            try:
                best = self._closest(vocabulary, folded)
            except QueryError:
                break
            if best:
                pieces += [query[cursor:match.start(1)], as_written(best)]
                cursor, changed = match.end(1), True
        if not changed:
            return None
        return "".join(pieces) + query[cursor:]

    def _known(self, word: str) -> bool:
        return bool(self.head.run(f"SELECT id FROM {self.name}_words WHERE id = {word_id(WORDS_GROUP, word)}"))

    def _closest(self, vocabulary: Vocabulary, word: str) -> str | None:
        candidates = vocabulary.close_words(WORDS_GROUP, word, self._known)
        if not candidates:
            return None
        forms = {candidate: _forms(candidate) for candidate in candidates}
        counts = self._body_counts([form for found in forms.values() for form in found])
        return max(forms, key=lambda candidate: max(counts[form] for form in forms[candidate]))

    def _body_counts(self, stems: list[str]) -> dict[str, int]:
        """How many articles hold each term in their body."""
        unique = sorted(set(stems))
        sql = "; ".join(f"SELECT id FROM {self.name} WHERE MATCH(%s) LIMIT 1; SHOW META" for _ in unique)
        sets = self.head.results(sql, [f"@body {stem}" for stem in unique])
        metas = [dict(rows) for rows in sets[1::2]]
        return {stem: int(meta.get("total_found", 0)) for stem, meta in zip(unique, metas)}

    def _document_frequencies(self, words: list[str]) -> dict[str, int]:
        """Articles holding each term in title or body, from every shard's dictionary."""
        found: Counter[str] = Counter()
        if not words:
            return found
        for address, index in self.shards:
            connection = connect(address)
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"CALL KEYWORDS(%s, '{index}', 1)", (" ".join(words),))
                    for row in cursor.fetchall():
                        found[row[2]] += int(row[3])
            except pymysql.err.MySQLError:
                continue  # a shard down: its frequencies are left out
            finally:
                connection.close()
        return found

    def articles(self, refs: Sequence[int]) -> Iterator[Article]:
        for start in range(0, len(refs), CHUNK):
            chunk = refs[start:start + CHUNK]
            records = dict(self._column(chunk, "record"))
            for ref in chunk:
                yield from_record(records[ref])

    def signatures(self, refs: Sequence[int]) -> list[bytes]:
        known = self.known_signatures
        missing = [ref for ref in refs if ref not in known]
        for start in range(0, len(missing), CHUNK * 4):
            known.update((ref, bytes.fromhex(text)) for ref, text in self._column(missing[start:start + CHUNK * 4], "signature"))
        return [known.get(ref, b"") for ref in refs]

    def _column(self, refs: Sequence[int], column: str) -> list[tuple[int, str]]:
        if not refs:
            return []
        limit = len(refs)
        return self.head.run(f"SELECT id, {column} FROM {self.name} WHERE id IN ({', '.join(map(str, refs))}) "
                             f"LIMIT {limit} OPTION max_matches={max(limit, 20)}")

    def get(self, article_id: str) -> Article | None:
        rows = self.head.run(f"SELECT aid, record FROM {self.name} WHERE id = {doc_id(article_id)}")
        return from_record(rows[0][1]) if rows and rows[0][0] == article_id else None

    def body_owner(self, body_hash: str) -> str | None:
        """The id of an article whose body has this hash (``duplicates.body_hash``), if any."""
        from ...duplicates import body_hash as hash_of

        for aid, record in self.head.run(f"SELECT aid, record FROM {self.name} WHERE body_hash = {body_key(body_hash)} "
                                         "LIMIT 20"):
            if hash_of(from_record(record).body) == body_hash:
                return aid
        return None

    def count(self) -> int:
        _, totals, _ = self.head.meta([f"SELECT id FROM {self.name} LIMIT 1"])
        return totals[0]

    def all_facets(self, names: Sequence[str]) -> dict[str, Counter]:
        return _facets(self.head, Compiled(match=None), names)

    def date_span(self) -> tuple[str | None, str | None]:
        rows = self.head.run(f"SELECT MIN(published) AS first, MAX(published) AS last, COUNT(*) FROM {self.name} "
                             "WHERE dated = 1")
        if not rows or not rows[0][2]:
            return None, None
        return moment(int(rows[0][0])).isoformat(), moment(int(rows[0][1])).isoformat()

    def up_to_date(self) -> bool:
        """Always (every statement reads the shards as they are), while the index folder that
        names the archive is there; IndexNotFound once it was removed."""
        if not (self.folder / INDEX_MARKER).exists():
            raise IndexNotFound(f"the index at {self.folder} was removed")
        return True

    def close(self) -> None:
        self.head.close()


class SphinxMatches:
    """The articles matching a compiled query: a first page (with the near-duplicate signatures
    of its hits, kept in ``signatures``) and the total are read at once."""

    def __init__(self, head: Head, compiled: Compiled, sort: str, signatures: dict[int, bytes]) -> None:
        self.head, self.compiled, self.sort, self.signatures = head, compiled, sort, signatures
        self.highlight = compiled.highlights
        self.scores: dict[int, float] = {}
        self._order: list[int] = []
        self.total, self.warnings = 0, []
        self._read(FIRST_PAGE)

    def ranked(self, limit: int | None) -> list[int]:
        wanted = self.total if limit is None else min(limit, self.total)
        if wanted > len(self._order):
            self._read(wanted)
        return self._order[:wanted]

    def score(self, ref: int) -> float | None:
        return self.scores.get(ref, 0.0) if self.sort == "relevance" else None

    def facets(self, names: Sequence[str]) -> dict[str, Counter]:
        return _facets(self.head, self.compiled, names)

    def _read(self, count: int) -> None:
        """The first ``count`` matches in order (a keyword query's tier first: two statements)."""
        compiled = self.compiled
        tiers = [compiled.strict, compiled.rest] if self.sort == "relevance" and compiled.strict else [compiled.match]
        statements, arguments = [], []
        for match in tiers:
            select, where, options = _statement(self.head.name, compiled, count, match=match)
            statements.append(f"SELECT id, weight(), signature {select} {where} ORDER BY {_ORDERS[self.sort]} "
                              f"LIMIT {count} {options}")
            arguments += [match] if match is not None else []
        sets, totals, self.warnings = self.head.meta(statements, arguments or None)
        rows = [row for found in sets for row in found][:count]
        self.total = sum(totals)
        self._order = [row[0] for row in rows]
        if count <= FIRST_PAGE:
            self.signatures.clear()
        self.signatures.update((row[0], bytes.fromhex(row[2])) for row in rows[:FIRST_PAGE * 10])
        if self.sort == "relevance":
            scored = compiled.scored
            self.scores = {row[0]: row[1] / 1000 if scored else 0.0 for row in rows}


def _forms(word: str) -> tuple[str, ...]:
    """A vocabulary word's forms in bodies: itself, and each language's stem of it."""
    token = query_tokens(word)[0]
    return (token.term, *(stem for stem, _ in token.stems))


def _statement(name: str, compiled: Compiled, count: int, ranked: bool = True,
               match: str | None = None) -> tuple[str, str, str]:
    """(the select list's extra expressions and FROM, the WHERE clause, the OPTION clause) of a
    statement reading ``count`` rows (or groups), with ``match`` (the compiled query's match
    when None is given: ``MATCH(%s)`` takes it as an argument)."""
    conditions = list(compiled.where)
    select = f"FROM {name}"
    if compiled.condition is not None:
        select = f", {compiled.condition} AS keep FROM {name}"
        conditions.insert(0, "keep = 1")
    if (match or compiled.match) is not None:
        conditions.insert(0, "MATCH(%s)")
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    options = f"OPTION max_matches={max(count, 1)}, {compiled.ranker() if ranked else 'ranker=none'}"
    return select, where, options


def _arguments(compiled: Compiled) -> tuple | None:
    return (compiled.match,) if compiled.match is not None else None


def _facets(head: Head, compiled: Compiled, names: Sequence[str]) -> dict[str, Counter]:
    """Every facet's raw counts over the matches: one GROUP BY per facet, in one round trip.
    (FACET would be shorter, but 2.2.11 counts only the head's own shard under a condition on
    an expression.)"""
    if not names:
        return {}
    select, where, options = _statement(head.name, compiled, FACET_VALUES, ranked=False)
    statements = []
    for name in names:
        column = f"s_{name}" if name in FACETS else _DATE_COLUMNS[name]
        statements.append(f"SELECT GROUPBY() AS value, COUNT(*) AS found {select} {where} GROUP BY {column} "
                          f"ORDER BY found DESC LIMIT {FACET_VALUES} {options}")
    arguments = _arguments(compiled)
    sets = head.results("; ".join(statements), arguments * len(names) if arguments else None)
    counted: dict[str, Counter] = {}
    hashes = {row[0] for name, rows in zip(names, sets) if name in FACETS for row in rows}
    spellings = _spellings(head, sorted(hashes))
    for name, rows in zip(names, sets):
        if name in FACETS:
            counted[name] = Counter({spellings[row[0]]: row[1] for row in rows if row[0] in spellings})
        else:
            counted[name] = Counter({_date_value(name, int(row[0])): row[1] for row in rows if int(row[0])})
    return counted


def _spellings(head: Head, hashes: list[int]) -> dict[int, str]:
    known = head.spellings
    missing = [value for value in hashes if value not in known]
    for start in range(0, len(missing), CHUNK * 4):
        chunk = missing[start:start + CHUNK * 4]
        known.update(head.run(f"SELECT id, data FROM {head.name}_state WHERE id IN ({', '.join(map(str, chunk))}) "
                              f"AND kind = {STATE_VALUE} LIMIT {len(chunk)} OPTION max_matches={max(len(chunk), 20)}"))
    return known


def _date_value(name: str, value: int) -> str:
    if name == "year":
        return f"{value:04d}"
    if name == "month":
        return f"{value // 100:04d}-{value % 100:02d}"
    return date.fromordinal(value).isoformat()
