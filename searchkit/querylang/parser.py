"""Query strings into the tree of ``ast.py``, or a QueryError that says in one line what is wrong.

The syntax is Lucene's query string, less what an archive of news does not need:

- words side by side (``al-Bab ceasefire``): any of them; ``+word`` must and ``-word`` must not
  match, where ``+``/``-`` start a word (so "al-Bab" is one word);
- ``AND``, ``OR``, ``NOT`` (upper case) and ``&&``, ``||``, ``!``; ``NOT`` binds tightest, then
  ``AND``, then ``OR``, then words side by side: ``ceasefire Syria OR Iraq`` is ceasefire and
  (Syria or Iraq); brackets group;
- ``"a phrase"``, ``"a b"~8`` (within 8 positions), ``automat*``, ``wom?n``, ``word~1``
  (``word~`` allows 0 edits up to 2 letters, 1 up to 5, then 2; ``word~0.8``, Lucene's old
  similarity, allows (1 - 0.8) x its length, at most 2), ``word^2`` (a boost), ``*`` (every article);
- ``field:`` before a word, a phrase or brackets; ``date:`` takes ``2017``, ``2017-03``,
  ``2017-03-23``, ``[2017-01 TO 2017-03]`` (an end may be empty or ``*``), ``>=2016-06``, ``>``,
  ``<=``, ``<``.

Regular expressions (``/.../``) are refused: Python's engine can backtrack for minutes on a
hostile pattern, and wildcards cover what readers of news ask for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from ..dates import period
from ..errors import QueryError
from . import ast
from .fields import FIELDS, Kind, field_named, known_names

MAX_DEPTH = 50  # brackets and NOT nested deeper than this are refused
MAX_EDITS = 2

_FIELD = re.compile(r"([^\W\d]\w*):")
_WORD_END = re.compile(r'[\s()"]|&&|\|\|')
_SUFFIXES = re.compile(r"(?P<core>.*?)(?:~(?P<fuzzy>[0-9]*(?:\.[0-9]+)?))?(?:\^(?P<boost>[0-9]+(?:\.[0-9]+)?))?", re.S)
_PHRASE_SUFFIXES = re.compile(r"(?:~(?P<slop>[0-9]+))?(?:\^(?P<boost>[0-9]+(?:\.[0-9]+)?))?")
_RANGE = re.compile(r"\[\s*(?P<low>[^\s\]]*?)\s*\bTO\b\s*(?P<high>[^\s\]]*?)\s*\]", re.I)
_OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT", "!": "NOT"}


@dataclass(frozen=True)
class _Token:
    kind: str  # WORD, PHRASE, DATE, FIELD, (, ), AND, OR, NOT, +, -, END
    text: str = ""
    suffix: str = ""  # a phrase's or a bracket's ~N and ^N; a DATE's field


def parse(text: str) -> ast.Node:
    """The tree of a query string; QueryError when it cannot be read as written."""
    if not text.strip():
        raise QueryError("empty query: give at least one word")
    return _Parser(list(_tokens(text))).query()


def date_bounds(text: str) -> tuple[datetime, datetime]:
    """The span a date names, [start, end): ``2017``, ``2017-03``, ``2017-03-31``; QueryError if none."""
    try:
        return period(text)
    except ValueError as error:
        raise QueryError(" ".join(str(error).split())) from None
    except OverflowError:
        raise QueryError(f"the date '{excerpt(text)}' is out of range") from None


def _tokens(text: str):
    i, n = 0, len(text)
    scoped = False  # the previous token was a field: what follows is its value, never an operator
    while i < n:
        c = text[i]
        following = text[i + 1] if i + 1 < n else ""
        if c.isspace():
            i += 1
            continue
        if c in "()":
            i += 1
            suffix = ""
            if c == ")" and text.startswith("^", i):
                end = _WORD_END.search(text, i)
                suffix = text[i:end.start() if end else n]
                i += len(suffix)
            token = _Token(c, suffix=suffix)
        elif text.startswith(("&&", "||"), i):
            token = _Token(_OPERATORS[text[i:i + 2]], text[i:i + 2])
            i += 2
        elif c == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise QueryError(f"unbalanced quote: {excerpt(text[i:])} is never closed (a phrase is \"two words\")")
            end = _WORD_END.search(text, close + 1)
            suffix = text[close + 1:end.start() if end else n]
            token = _Token("PHRASE", text[i + 1:close], suffix)
            i = close + 1 + len(suffix)
        elif c == "!" or c in "+-" and following and not following.isspace() and following != ")":
            token = _Token("NOT" if c == "!" else c, c)
            i += 1
        elif field := _FIELD.match(text, i):
            name = field_named(field[1])
            if name is None:
                raise QueryError(
                    f"unknown field '{field[1]}:' (fields: {', '.join(known_names())}; quote a colon meant as text)"
                )
            i = field.end()
            if i >= n or _WORD_END.match(text, i) and text[i] not in '("':
                raise QueryError(f"'{field[1]}:' needs a value right after the colon")
            if FIELDS[name] is Kind.DATE:
                value = _date_value(text, i)
                token = _Token("DATE", value, name)
                i += len(value)
            else:
                token = _Token("FIELD", name)
        else:
            end = _WORD_END.search(text, i)
            word = text[i:end.start() if end else n]
            i += len(word)
            token = _Token("WORD" if scoped else _OPERATORS.get(word, "WORD"), word)
        scoped = token.kind == "FIELD"
        yield token
    yield _Token("END")


def _date_value(text: str, start: int) -> str:
    """The text of a ``date:`` value: a bracketed range, or up to the next space or bracket."""
    if text.startswith("[", start):
        close = text.find("]", start)
        if close < 0:
            raise QueryError(f"unbalanced bracket: date:{excerpt(text[start:])} is never closed with ]")
        return text[start:close + 1]
    if text.startswith("(", start):
        raise QueryError("date: takes one date or range: write date:2017 OR date:2018")
    end = re.compile(r"[\s()]").search(text, start)
    return text[start:end.start() if end else len(text)]


class _Parser:
    """Recursive descent over the tokens; the field scope is passed down to the leaves."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.position = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.position]

    def take(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def query(self) -> ast.Node:
        node = self.sequence(None)
        if self.peek().kind == ")":
            raise QueryError("unbalanced bracket: a ')' has no '(' before it")
        return node

    def sequence(self, field: str | None) -> ast.Node:
        """Clauses side by side, up to the end or a closing bracket."""
        clauses = []
        while self.peek().kind not in ("END", ")"):
            clauses.append(self.disjunction(field))
        if not clauses:
            if self.peek().kind == "END":
                raise QueryError("unbalanced bracket: a '(' is never closed")
            if self.depth == 0:
                raise QueryError("unbalanced bracket: a ')' has no '(' before it")
            raise QueryError("empty brackets: put a word between ( and )")
        return clauses[0] if len(clauses) == 1 else ast.Group(tuple(clauses))

    def disjunction(self, field: str | None) -> ast.Node:
        children = [self.conjunction(field)]
        while self.peek().kind == "OR":
            self.operand_follows(self.take())
            children.append(self.conjunction(field))
        return children[0] if len(children) == 1 else ast.Or(tuple(children))

    def conjunction(self, field: str | None) -> ast.Node:
        children = [self.unary(field)]
        while self.peek().kind == "AND":
            self.operand_follows(self.take())
            children.append(self.unary(field))
        return children[0] if len(children) == 1 else ast.And(tuple(children))

    def unary(self, field: str | None) -> ast.Node:
        token = self.peek()
        if token.kind in ("NOT", "+", "-"):
            self.take()
            self.operand_follows(token)
            with self.nested():
                child = self.unary(field)
            return ast.Required(child) if token.kind == "+" else ast.Not(child)
        if token.kind in ("AND", "OR"):
            raise QueryError(f"{token.text} needs a word before it (quote \"{token.text}\" to search for the word)")
        return self.primary(field)

    def operand_follows(self, operator: _Token) -> None:
        if self.peek().kind in ("END", ")", "AND", "OR"):
            raise QueryError(
                f"{operator.text} needs a word after it (quote \"{operator.text}\" to search for the word)"
            )

    @contextmanager
    def nested(self) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"the query nests brackets or NOT more than {MAX_DEPTH} deep")
        yield
        self.depth -= 1

    def primary(self, field: str | None) -> ast.Node:
        token = self.take()
        if token.kind == "(":
            with self.nested():
                inner = self.sequence(field)
            if self.take().kind != ")":
                raise QueryError("unbalanced bracket: a '(' is never closed")
            return _boosted(inner, _boost(self.peek_back().suffix, ")"))
        if token.kind == "FIELD":
            return self.primary(token.text)
        if token.kind == "DATE":
            return _date(token.text, token.suffix)
        if token.kind == "PHRASE":
            return _phrase(token, field)
        if token.kind == "WORD":
            return _word(token.text, field)
        if token.kind == ")":
            raise QueryError("unbalanced bracket: a ')' has no '(' before it")
        raise QueryError(f"a field needs a word, a phrase or brackets after its colon, not '{token.text}'")

    def peek_back(self) -> _Token:
        return self.tokens[self.position - 1]


def _word(raw: str, field: str | None) -> ast.Node:
    """A word with its suffixes read: a wildcard, a fuzzy word, a boost, a lone ``*``."""
    if raw.startswith("/") and "/" in raw[2:]:
        raise QueryError(
            f"regular expressions ({excerpt(raw)}) are not supported: use wildcards (automat*, wom?n), "
            "or quote text that holds slashes"
        )
    if raw[0] in "~^":  # no word before the sign: punctuation
        return ast.Word(raw, field)
    parts = _SUFFIXES.fullmatch(raw)
    core, fuzzy = parts["core"], parts["fuzzy"]
    if "~" in core or "^" in core:
        raise QueryError(f"cannot read '{excerpt(raw)}': write word~1 for a fuzzy word, word^2 for a boost")
    boost = float(parts["boost"]) if parts["boost"] else 1.0
    if core and set(core) <= {"*"} and field is None:
        if fuzzy is not None:
            raise QueryError(f"cannot read '{excerpt(raw)}': a lone * (every article) cannot be fuzzy")
        return ast.Everything()
    if "*" in core or "?" in core:
        if fuzzy is not None:
            raise QueryError(f"'{excerpt(raw)}' is both a wildcard and a fuzzy word: choose one")
        return ast.Wildcard(core, field, boost)
    if fuzzy is None:
        return ast.Word(core, field, boost)
    edits = _edits(fuzzy, core, raw)
    return ast.Fuzzy(core, edits, field, boost) if edits else ast.Word(core, field, boost)


def _edits(fuzzy: str, word: str, raw: str) -> int:
    """How many edits a fuzzy suffix allows: Lucene's defaults and its old similarity form."""
    if not fuzzy:
        return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2
    value = float(fuzzy)
    if "." in fuzzy and 0 < value < 1:
        return min(MAX_EDITS, int((1 - value) * len(word) + 1e-9))  # (1 - 0.8) * 5 is 0.999... in floating point
    if value.is_integer() and value <= MAX_EDITS:
        return int(value)
    raise QueryError(f"'{excerpt(raw)}': a fuzzy word allows at most {MAX_EDITS} edits (word~1, word~2)")


def _phrase(token: _Token, field: str | None) -> ast.Phrase:
    suffix = _PHRASE_SUFFIXES.fullmatch(token.suffix)
    if suffix is None:
        raise QueryError(
            f"cannot read '{excerpt(chr(34) + token.text + chr(34) + token.suffix)}': "
            "after a phrase write ~N (within N positions) or ^N"
        )
    proximity = int(suffix["slop"]) if suffix["slop"] else None
    return ast.Phrase(token.text, field, float(suffix["boost"]) if suffix["boost"] else 1.0, proximity)


def _boost(suffix: str, after: str) -> float:
    if not suffix:
        return 1.0
    found = re.fullmatch(r"\^([0-9]+(?:\.[0-9]+)?)", suffix)
    if found is None:
        raise QueryError(f"cannot read '{excerpt(after + suffix)}': a boost is ^ and a number, ^2")
    return float(found[1])


def _boosted(node: ast.Node, boost: float) -> ast.Node:
    """The node with every leaf's boost multiplied by ``boost``."""
    if boost == 1.0:
        return node
    if isinstance(node, (ast.Word, ast.Phrase, ast.Wildcard, ast.Fuzzy)):
        return replace(node, boost=node.boost * boost)
    if isinstance(node, (ast.Group, ast.And, ast.Or)):
        return type(node)(tuple(_boosted(child, boost) for child in node.children))
    if isinstance(node, (ast.Not, ast.Required)):
        return type(node)(_boosted(node.child, boost))
    return node


def _date(value: str, field: str) -> ast.DateSpan:
    """``date:2017``, ``date:2017-03``, ``date:[2016-06 TO 2017-01-15]``, ``date:>=2016-06`` (or
    ``crawled:...``)."""
    span = _span(value)
    return ast.DateSpan(span.start, span.end, field)


def _span(value: str) -> ast.DateSpan:
    if value.startswith("["):
        bounds = _RANGE.fullmatch(value)
        low, high = (_open_end(bounds["low"]), _open_end(bounds["high"])) if bounds else ("", "")
        if not (low or high):
            raise QueryError(
                f"cannot read 'date:{excerpt(value)}': write date:[2016-01 TO 2016-06] (either end may be left open)"
            )
        start = date_bounds(low)[0] if low else None
        end = date_bounds(high)[1] if high else None
        if start and end and start >= end:
            raise QueryError(f"date:{excerpt(value)} starts after it ends")
        return ast.DateSpan(start, end)
    for operator in (">=", "<=", ">", "<"):
        if value.startswith(operator):
            start, end = date_bounds(value[len(operator):])
            return {
                ">=": ast.DateSpan(start, None),
                ">": ast.DateSpan(end, None),
                "<=": ast.DateSpan(None, end),
                "<": ast.DateSpan(None, start),
            }[operator]
    return ast.DateSpan(*date_bounds(value))


def _open_end(bound: str) -> str:
    return "" if bound == "*" else bound


def excerpt(text: str, limit: int = 40) -> str:
    """Text quoted in a message: one line, and short."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
