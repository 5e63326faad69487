"""The language's rules, which turn a query's tree into the plan a backend executes.

- Every article matching any of the query's words is a hit; ``+word`` must match, ``-word``
  must not, ``AND``/``OR``/``NOT`` mean what they say.
- A keyword query (2 to ``KEYWORD_QUERY_WORDS`` words side by side) is ``tiered``: the articles
  matching all of its words rank first. A longer one is ``descriptive``: ranked by relevance
  alone, with relevance feedback (which measures better on such queries: benchmarks/).
- Common words ("the") do not make an article a hit: they are dropped, unless the query holds
  nothing else. Phrases keep them.
- Dates, languages and ids narrow: side by side with words (``cocoa lang:en``) they restrict the
  hits instead of counting as words; alone (``lang:en``, ``date:1987-03 OR date:1987-04``) they
  list what they select. Words excluded at the top (``-word``) restrict too.
- A word with no field is looked for in the default fields, each with its weight; a word the
  user scoped to a field counts with weight 1.

The plan is plain data: each word as written and its analysed terms per field (``analysis``),
so that every backend compiles the same plan. Wildcards and fuzzy words stay patterns: the
backend expands them against its index's vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..analysis import WORD, plain_word, term
from ..errors import QueryError
from ..fields import DEFAULT_FIELDS
from . import ast
from .fields import CASELESS, FIELDS, Kind
from .parser import excerpt, parse

KEYWORD_QUERY_WORDS = 4
_ENGLISH_STOP_WORDS = (
    """a about above after again against all am an and any are as at be because been before being below between
    both but by could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves""".split()
)
STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS)
# The same as index terms ("because" -> "becaus"), for code that reads terms rather than queries.
STOP_TERMS = STOP_WORDS | frozenset(map(term, _ENGLISH_STOP_WORDS))


@dataclass(frozen=True)
class FieldTerm:
    field: str
    term: str
    weight: float


@dataclass(frozen=True)
class FieldPhrase:
    field: str
    terms: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class FieldWeight:
    field: str
    weight: float


@dataclass(frozen=True)
class TermMatch:
    """One word: articles holding any of its (field, term) pairs."""

    word: str = field(compare=False)
    terms: tuple[FieldTerm, ...]


@dataclass(frozen=True)
class PhraseMatch:
    """Words in sequence in any of the fields; ``slop`` 1 is side by side, N within N positions."""

    text: str = field(compare=False)
    phrases: tuple[FieldPhrase, ...]
    slop: int = 1


@dataclass(frozen=True)
class PatternMatch:
    """A wildcard (``edits`` None: ``*`` any letters, ``?`` one) or a fuzzy word, lower-cased, to
    expand against the words of the index, then analysed for each field."""

    pattern: str
    fields: tuple[FieldWeight, ...]
    edits: int | None = None


@dataclass(frozen=True)
class ValueMatch:
    """An exact value of a keyword field (``lang:en``)."""

    field: str
    value: str


@dataclass(frozen=True)
class DateMatch:
    """A date field (``published``, ``crawled``) on or after ``start`` and before ``end`` (None: open)."""

    start: datetime | None
    end: datetime | None
    field: str = "published"


@dataclass(frozen=True)
class MatchAll:
    """Every article."""


@dataclass(frozen=True)
class Boolean:
    """All of ``must``, or when there is none any of ``should`` (which otherwise only scores);
    within all of ``filter`` (which does not score) and none of ``must_not``. Without ``must``
    and ``should``, every article that passes ``filter`` and ``must_not``."""

    must: tuple[Node, ...] = ()
    should: tuple[Node, ...] = ()
    must_not: tuple[Node, ...] = ()
    filter: tuple[Node, ...] = ()


Node = TermMatch | PhraseMatch | PatternMatch | ValueMatch | DateMatch | MatchAll | Boolean
WORD_NODES = (TermMatch, PhraseMatch, PatternMatch)


@dataclass(frozen=True)
class Plan:
    """What a backend executes for a query string.

    ``matching`` decides which articles are hits (any of the words) and scores them;
    ``restriction``, when not None, narrows the hits without scoring (the query's dates,
    languages and excluded words); ``all_words`` is the tier of a keyword query that ranks
    first (None when the query is not tiered); ``descriptive`` asks for relevance feedback.
    """

    text: str
    matching: Node
    restriction: Node | None
    all_words: Node | None
    descriptive: bool

    @property
    def tiered(self) -> bool:
        return self.all_words is not None


def plan_query(text: str) -> Plan:
    """Parse a query string and apply the language's rules; QueryError when it cannot be read."""
    tree = parse(text)
    only_stop_words = not any(_has_content(leaf) for leaf in _leaves(tree))
    builder = _Builder(keep_stop_words=only_stop_words)
    loose = builder.node(tree, all_words=False)
    strict = builder.node(tree, all_words=True)
    if loose is None:
        raise QueryError("the query has no searchable words")
    restriction, matching = _split(loose)
    _, all_words = _split(strict)
    words = len(set(_words(matching)))
    tiered = 1 < words <= KEYWORD_QUERY_WORDS and all_words != matching
    return Plan(
        text=text,
        matching=matching,
        restriction=restriction,
        all_words=all_words if tiered else None,
        descriptive=words > KEYWORD_QUERY_WORDS,
    )


class _Builder:
    def __init__(self, keep_stop_words: bool) -> None:
        self.keep_stop_words = keep_stop_words

    def node(self, tree: ast.Node, all_words: bool) -> Node | None:
        """The plan of a subtree; None when nothing of it is left (punctuation, stop words)."""
        if isinstance(tree, ast.Group):
            return self.group(tree.children, all_words)
        if isinstance(tree, (ast.And, ast.Or)):
            kind = "must" if isinstance(tree, ast.And) else "should"
            return self.group(tree.children, all_words, kind)
        if isinstance(tree, ast.Not):
            child = self.node(tree.child, all_words)
            return None if child is None else Boolean(must_not=(child,))
        if isinstance(tree, ast.Required):
            return self.node(tree.child, all_words)
        return self.leaf(tree)

    def group(self, children: tuple[ast.Node, ...], all_words: bool, kind: str | None = None) -> Node | None:
        """Clauses side by side (``kind`` None), or joined by AND (``must``) or OR (``should``)."""
        parts: dict[str, list[Node]] = {"must": [], "should": [], "must_not": [], "filter": []}
        for child in children:
            wrapped = child.child if isinstance(child, (ast.Not, ast.Required)) else child
            built = self.node(wrapped, all_words)
            if built is None:
                continue
            if kind == "should":
                parts["should"].append(Boolean(must_not=(built,)) if isinstance(child, ast.Not) else built)
            elif isinstance(child, ast.Not):
                parts["must_not"].append(built)
            elif _restricts(built):
                parts["filter"].append(built)
            elif kind == "must" or isinstance(child, ast.Required) or all_words:
                parts["must"].append(built)
            else:
                parts["should"].append(built)
        # A word written twice counts once (dict keys: the first of equal nodes, in order).
        return _boolean(**{key: tuple(dict.fromkeys(value)) for key, value in parts.items()})

    def leaf(self, leaf: ast.Leaf) -> Node | None:
        if isinstance(leaf, ast.DateSpan):
            return DateMatch(leaf.start, leaf.end, leaf.field)
        if isinstance(leaf, ast.Everything):
            return MatchAll()
        fields = _fields(leaf.field, leaf.boost)
        if isinstance(leaf, ast.Wildcard):
            if not WORD.fullmatch(leaf.pattern.replace("*", "a").replace("?", "a")):
                raise QueryError(f"a wildcard stands for one word: '{excerpt(leaf.pattern)}' holds other signs")
            return PatternMatch(_as_value(leaf.field, leaf.pattern), fields)
        if isinstance(leaf, ast.Fuzzy):
            words = WORD.findall(leaf.text)
            if len(words) > 1:
                raise QueryError(f"a fuzzy word is one word: '{excerpt(leaf.text)}~' holds {len(words)}")
            return PatternMatch(_as_value(leaf.field, words[0]), fields, leaf.edits) if words else None
        if leaf.field is not None and FIELDS[leaf.field] is Kind.KEYWORD:
            value = _as_value(leaf.field, leaf.text.strip())
            return ValueMatch(leaf.field, value) if value else None
        if isinstance(leaf, ast.Word) and not self.keep_stop_words and _is_stop_word(leaf):
            return None
        analysed = [(weight.field, _analyse(weight.field, leaf.text), weight.weight) for weight in fields]
        if not analysed[0][1]:
            return None
        if len(analysed[0][1]) == 1:
            return TermMatch(leaf.text, tuple(FieldTerm(name, terms[0], weight) for name, terms, weight in analysed))
        slop = leaf.proximity if isinstance(leaf, ast.Phrase) and leaf.proximity is not None else 1
        return PhraseMatch(leaf.text, tuple(FieldPhrase(name, tuple(terms), weight) for name, terms, weight in analysed), slop)


def _as_value(field_name: str | None, text: str) -> str:
    """A value or pattern as the index holds it: lower-cased, except in case-sensitive keyword fields (ids)."""
    if field_name is not None and FIELDS[field_name] is Kind.KEYWORD and field_name not in CASELESS:
        return text
    return text.lower()


def _fields(name: str | None, boost: float) -> tuple[FieldWeight, ...]:
    if name is None:
        return tuple(FieldWeight(field_name, weight * boost) for field_name, weight in DEFAULT_FIELDS.items())
    return (FieldWeight(name, boost),)


def _analyse(field_name: str, text: str) -> list[str]:
    """The terms of a text in a field, as the index holds them."""
    words = WORD.findall(text)
    if FIELDS[field_name] is Kind.TEXT:
        return [term(word.lower()) for word in words]
    return [plain_word(word.lower()) for word in words]


def _is_stop_word(word: ast.Word) -> bool:
    if word.field is not None and FIELDS[word.field] is not Kind.TEXT:
        return False
    words = WORD.findall(word.text)
    return len(words) == 1 and plain_word(words[0].lower()) in STOP_WORDS


def _has_content(leaf: ast.Leaf) -> bool:
    """Whether a leaf is anything but a stop word (or punctuation)."""
    if isinstance(leaf, ast.Word):
        return bool(WORD.search(leaf.text)) and not _is_stop_word(leaf)
    return True


def _leaves(tree: ast.Node):
    if isinstance(tree, (ast.Group, ast.And, ast.Or)):
        for child in tree.children:
            yield from _leaves(child)
    elif isinstance(tree, (ast.Not, ast.Required)):
        yield from _leaves(tree.child)
    else:
        yield tree


def _boolean(
    must: tuple[Node, ...] = (), should: tuple[Node, ...] = (), must_not: tuple[Node, ...] = (), filter: tuple[Node, ...] = ()
) -> Node | None:
    """The simplest node for these clauses (None when there are none)."""
    if not (must or should or must_not or filter):
        return None
    if not (must_not or filter) and len(must) + len(should) == 1:
        return (must or should)[0]
    return Boolean(must, should, must_not, filter)


def _restricts(node: Node) -> bool:
    """Whether a node only narrows (dates, languages, ids, and boolean structure over them)."""
    if isinstance(node, (DateMatch, ValueMatch)):
        return True
    if isinstance(node, PatternMatch):
        return all(FIELDS[weight.field] is Kind.KEYWORD for weight in node.fields)
    if isinstance(node, Boolean):
        return all(_restricts(child) for child in (*node.must, *node.should, *node.must_not, *node.filter))
    return False


def _split(node: Node) -> tuple[Node | None, Node]:
    """(what narrows the query at its top: restrictions and excluded words, what is left to match)."""
    if _restricts(node):
        return node, MatchAll()
    if not isinstance(node, Boolean):
        return None, node
    restriction = _boolean(filter=node.filter, must_not=node.must_not)
    return restriction, _boolean(must=node.must, should=node.should) or MatchAll()


def _words(node: Node):
    """The query's words that are not excluded (a phrase, a wildcard, a fuzzy word: one word each)."""
    if isinstance(node, WORD_NODES):
        yield node
    elif isinstance(node, Boolean):
        for child in (*node.must, *node.should):
            yield from _words(child)
