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
- Words are analysed in the query's language when the user keeps the search to one (``--lang``),
  else in every language at once (``analysis.query_tokens``: the folded word in any article,
  each language's stem in that language's articles), so that an English query also finds the
  French articles quoting its words. (Detecting the query's language instead measured the same
  on XQuAD-R and TIME, and loses such articles.) A word's exact spelling counts a little beside
  it, and in the body the first letters of the word (``PREFIX_FIELD``) count when they are
  better evidence than the word itself.
- A run of Chinese, Japanese, Korean or Thai is its pairs of characters: quoted, a phrase of
  them (the exact string); unquoted, each pair is a word, as if the user had spaced them. Beside
  such a run, a word of spaced script (Latin, digits) weighs as many pairs as its letters would
  make: every letter of the query counts alike, whatever its script ("nasuwt คืออะไร": the
  name is not outweighed by the five pairs of "what is"; measured on XQuAD-R Thai).

The plan is plain data: each word as written and its analysed terms per field (``analysis``),
so that every backend compiles the same plan. Wildcards and fuzzy words stay patterns, folded:
the backend expands them against its index's vocabulary and analyses the words they stand for
(``Plan.language``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .. import languages as language_codes
from ..analysis import EXACT_BOOST, WORD, QueryToken, fold, has_unspaced, phrase_variants, plain_word, query_tokens, terms
from ..errors import QueryError
from ..fields import DEFAULT_FIELDS, PREFIX_FIELD
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
# The same as English index terms ("because" -> "becaus"), for code that reads terms rather than queries.
STOP_TERMS = STOP_WORDS | frozenset(terms(" ".join(_ENGLISH_STOP_WORDS), "en"))


@dataclass(frozen=True)
class FieldTerm:
    """A term of a field; with ``languages``, it matches only the articles in those languages,
    and it matches none in the ``others``. ``spells``, for a word's exact spelling (weighted by
    ``EXACT_BOOST``), is the folded term it is a spelling of: a backend may weigh the two by how
    many of the folded term's articles hold that spelling (``backends.whoosh.compiler``)."""

    field: str
    term: str
    weight: float
    languages: frozenset[str] | None = None
    others: frozenset[str] = frozenset()
    spells: str | None = None


@dataclass(frozen=True)
class FieldPhrase:
    field: str
    terms: tuple[str, ...]
    weight: float
    languages: frozenset[str] | None = None
    others: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FieldWeight:
    field: str
    weight: float


@dataclass(frozen=True)
class TermMatch:
    """One word: articles holding any of its (field, term) pairs; an article's score for it is
    the sum over the terms it holds, or the sum over ``prefixes`` when that is greater. Prefixes
    rank but never select: an article holding a prefix of a query's words but none of the words
    is no hit (a prefix is shared by unrelated words: "inter" of "internationally", "interest")."""

    word: str = field(compare=False)
    terms: tuple[FieldTerm, ...]
    prefixes: tuple[FieldTerm, ...] = ()


@dataclass(frozen=True)
class PhraseMatch:
    """Words in sequence in any of the fields; ``slop`` 1 is side by side, N within N positions."""

    text: str = field(compare=False)
    phrases: tuple[FieldPhrase, ...]
    slop: int = 1


@dataclass(frozen=True)
class PatternMatch:
    """A wildcard (``edits`` None: ``*`` any letters, ``?`` one) or a fuzzy word, folded (as the
    index's vocabulary is), to expand against the words of the index, then analysed for each field."""

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
    first (None when the query is not tiered); ``descriptive`` asks for relevance feedback;
    ``language`` is the language the words were analysed in (None: every language).
    """

    text: str
    matching: Node
    restriction: Node | None
    all_words: Node | None
    descriptive: bool
    language: str | None = None

    @property
    def tiered(self) -> bool:
        return self.all_words is not None


def plan_query(text: str, language: str | None = None) -> Plan:
    """Parse a query string and apply the language's rules; QueryError when it cannot be read.

    ``language`` is the query's language when the search is kept to one (None: every language).
    """
    tree = parse(text)
    only_stop_words = not any(_has_content(leaf) for leaf in _leaves(tree))
    builder = _Builder(only_stop_words, language, any(has_unspaced(word) for word in WORD.findall(text)))
    loose = builder.top(tree, all_words=False)
    strict = builder.top(tree, all_words=True)
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
        language=language,
    )


class _Builder:
    def __init__(self, keep_stop_words: bool, language: str | None, unspaced: bool = False) -> None:
        self.keep_stop_words = keep_stop_words
        self.language = language
        self.unspaced = unspaced  # the query holds a run of unspaced script (whose pairs are words)

    def top(self, tree: ast.Node, all_words: bool) -> Node | None:
        """The plan of a whole query."""
        built = self.node(tree, all_words)
        return built.boolean(all_words) if isinstance(built, _Pairs) else built

    def node(self, tree: ast.Node, all_words: bool) -> Node | _Pairs | None:
        """The plan of a subtree; None when nothing of it is left (punctuation, stop words)."""
        if isinstance(tree, ast.Group):
            return self.group(tree.children, all_words)
        if isinstance(tree, (ast.And, ast.Or)):
            kind = "must" if isinstance(tree, ast.And) else "should"
            return self.group(tree.children, all_words, kind)
        if isinstance(tree, (ast.Not, ast.Required)):
            child = self.node(tree.child, all_words)
            if isinstance(child, _Pairs):  # the whole run is required, or excluded
                child = child.boolean(True)
            if child is None or isinstance(tree, ast.Required):
                return child
            return Boolean(must_not=(child,))
        return self.leaf(tree)

    def group(self, children: tuple[ast.Node, ...], all_words: bool, kind: str | None = None) -> Node | None:
        """Clauses side by side (``kind`` None), or joined by AND (``must``) or OR (``should``)."""
        parts: dict[str, list[Node]] = {"must": [], "should": [], "must_not": [], "filter": []}
        for child in children:
            wrapped = child.child if isinstance(child, (ast.Not, ast.Required)) else child
            built = self.node(wrapped, all_words)
            if built is None:
                continue
            if isinstance(built, _Pairs):
                if isinstance(child, (ast.Not, ast.Required)):  # the whole run is excluded, or required
                    built = built.boolean(True)
                elif kind == "should":
                    built = built.boolean(all_words)
                else:  # its pairs are words of this group
                    parts["must" if kind == "must" or all_words else "should"].extend(built.words)
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

    def leaf(self, leaf: ast.Leaf) -> Node | _Pairs | None:
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
            return PatternMatch(_as_value(leaf.field, plain_word(words[0].lower())), fields, leaf.edits) if words else None
        if leaf.field is not None and FIELDS[leaf.field] is Kind.KEYWORD:
            value = _as_value(leaf.field, leaf.text.strip())
            if leaf.field == "lang" and value:
                value = _language(value)
            return ValueMatch(leaf.field, value) if value else None
        if isinstance(leaf, ast.Word) and not self.keep_stop_words and _is_stop_word(leaf):
            return None
        tokens = query_tokens(leaf.text, self.language)
        if not tokens:
            return None
        names = query_tokens(leaf.text, names=True)
        if isinstance(leaf, ast.Word) and any(token.paired for token in tokens):
            return _Pairs(tuple(_term_match(token.term, [token], [name], fields) for token, name in zip(tokens, names)))
        if len(tokens) == 1:
            if self.unspaced and isinstance(leaf, ast.Word):
                fields = _as_pairs(fields, leaf.text)
            return _term_match(leaf.text, tokens, names, fields)
        slop = leaf.proximity if isinstance(leaf, ast.Phrase) and leaf.proximity is not None else 1
        phrases = []
        for weight in fields:
            if FIELDS[weight.field] is Kind.TEXT:
                phrases += [FieldPhrase(weight.field, terms, weight.weight, languages, others)
                            for terms, languages, others in phrase_variants(tokens)]
            else:
                phrases.append(FieldPhrase(weight.field, tuple(token.term for token in names), weight.weight))
        return PhraseMatch(leaf.text, tuple(phrases), slop)


@dataclass(frozen=True)
class _Pairs:
    """An unquoted run of unspaced script: its pairs of characters, each a word of the query."""

    words: tuple[TermMatch, ...]

    def boolean(self, all_words: bool) -> Boolean:
        return Boolean(must=self.words) if all_words else Boolean(should=self.words)


def _term_match(text: str, tokens: list[QueryToken], names: list[QueryToken], fields: tuple[FieldWeight, ...]) -> TermMatch:
    """A word of the query: its terms in each field, and its prefix (when the body is searched)."""
    token, name = tokens[0], names[0]
    found: list[FieldTerm] = []
    prefixes: list[FieldTerm] = []
    for weight in fields:
        if FIELDS[weight.field] is not Kind.TEXT:
            found.append(FieldTerm(weight.field, name.term, weight.weight))
            continue
        found.append(FieldTerm(weight.field, token.term, weight.weight, others=token.others))
        found += [FieldTerm(weight.field, stem, weight.weight, languages) for stem, languages in token.stems]
        if token.exact is not None:
            found.append(FieldTerm(weight.field, token.exact, weight.weight * EXACT_BOOST, spells=token.term))
        if weight.field == "body" and token.prefix is not None:
            prefixes.append(FieldTerm(PREFIX_FIELD, token.prefix, weight.weight))
    return TermMatch(text, tuple(found), tuple(prefixes))


def _as_pairs(fields: tuple[FieldWeight, ...], text: str) -> tuple[FieldWeight, ...]:
    """A spaced word's weights in a query holding unspaced script: times the pairs its letters make."""
    pairs = max(1, len(fold(plain_word(WORD.findall(text)[0].lower()))) - 1)
    return tuple(FieldWeight(weight.field, weight.weight * pairs) for weight in fields)


def _language(value: str) -> str:
    """The ISO 639-1 code ``lang:`` names; QueryError for what is not a language code."""
    found = language_codes.code(value)
    if found is None:
        named = language_codes.normalise(value)
        hint = f": write lang:{named}" if named else " (ISO 639-1, such as en, de, zh)"
        raise QueryError(f"'{excerpt(value)}' is not a language code{hint}")
    return found


def _as_value(field_name: str | None, text: str) -> str:
    """A value or pattern as the index holds it: lower-cased in keyword fields, except
    case-sensitive ones (ids), and folded in words."""
    if field_name is not None and FIELDS[field_name] is Kind.KEYWORD:
        return text if field_name not in CASELESS else text.lower()
    return fold(text)


def _fields(name: str | None, boost: float) -> tuple[FieldWeight, ...]:
    if name is None:
        return tuple(FieldWeight(field_name, weight * boost) for field_name, weight in DEFAULT_FIELDS.items())
    return (FieldWeight(name, boost),)


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
