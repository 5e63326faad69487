"""Text analysis: how text becomes index terms, in every language, for every backend.

One definition serves indexing, the query language, snippets, relevance feedback, similar
stories and suggestions, so every stage agrees on what a term is. Nothing here knows of an
engine; a backend needs no knowledge of languages beyond passing an article's ``language``.

For an article's field (``field_tokens(text, language)``), one token per word position:

- words (``tokens.WORD``: letters, digits and combining marks, across inner dots and
  apostrophes) lose a possessive 's and an acronym's dots, are stemmed by the Snowball stemmer
  of the article's language (Porter for English; none for a language Snowball lacks or an
  unknown one), then folded (``folding``: case, width, diacritics: Zürich = Zurich, Straße =
  Strasse, ё = е);
- runs of scripts written without spaces (Chinese, Japanese, Korean, Thai, ...) become their
  overlapping pairs of characters, a position each; each character is also a term of its own
  beside the pair it begins (the run's last pair: beside both of its characters), left out of
  the field's length, so that a character searched alone finds the runs that hold it (as
  Lucene's CJK bigrams with unigrams do); a pair's ``exact`` is the tuple of those characters;
- a token's ``exact`` form is the word lower-cased but not folded, where folding changed it: it
  is indexed at the same position as the term, left out of the field's length, and matched at
  ``EXACT_BOOST``, so that the spelling searched for ranks first;
- a token's ``prefix`` is the first ``PREFIX_CHARS`` letters of a longer folded word (None for
  shorter words and for pairs): the terms of the prefix field, whose evidence for a query word
  counts when it beats the word's own (Greek, Turkish and other languages of long inflections:
  their stemmers miss), in the articles holding another of the query's words: a prefix ranks,
  it never makes a hit. A word of ``PREFIX_CHARS`` letters or fewer is its own prefix: its
  term says as much.

Name fields (``names=True``: authors, section, source) are folded, never stemmed. A field's
vocabulary (``vocabulary``: folded, unstemmed words, and the pairs of unspaced runs) is what
wildcards, fuzzy words and suggestions are matched against.

For a query (``query_tokens(text, language)``), the same tokens, except that a word of a query
whose language is not known stands for its folded form in any article, and for each language's
stem of it in the articles of that language only (``QueryToken.stems``), the folded form then
standing for the word only in the articles of the other languages: "Wahlen" finds the German
articles holding "Wahl" without finding, through Polish stemming, Polish words that happen to
share a stem. ``phrase_variants`` gives the same for a sequence of words.

What a backend uses (all it needs; it never chooses a stemmer or reads a language itself):

- Indexing an article: each full-text field's tokens are ``field_tokens(text, article.language)``
  and each name field's (``fields.NAME_FIELDS``) ``field_tokens(text, None, names=True)``; token
  ``i`` is position ``i``: its ``term`` is indexed there, and its ``exact`` form (when not None;
  for a pair, each character of the tuple) at the same position, without adding to the field's
  length. The body's non-None prefixes are the terms of ``fields.PREFIX_FIELD`` (counts, no
  positions). The words gathered by passing
  ``words=set()`` for title and body become, through ``vocabulary``, the words that wildcards,
  fuzzy words and suggestions are matched against. The article's ``language`` is also a keyword
  (the ``lang`` facet) by which terms are kept to articles.
- Searching: ``querylang.plan_query`` has analysed the query's words already: a ``FieldTerm`` or
  ``FieldPhrase`` matches only articles whose language is in its ``languages`` (when not None)
  and none whose language is in its ``others``; exact forms come weighted by ``EXACT_BOOST`` and
  name the folded term they spell (``FieldTerm.spells``: the Whoosh compiler shares the word's
  weight between the two by how many of the folded term's articles hold the spelling); a
  ``TermMatch``'s ``prefixes`` count for an article as much as they beat the word's own terms.
  The vocabulary words a wildcard or fuzzy word matches are analysed with
  ``query_tokens(word, plan.language)``, as words of the query.
- Showing matches: ``find(text, wanted_terms, article.language)`` (snippets) and ``terms``
  (feedback, similar stories).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from functools import lru_cache

from .folding import fold
from .stemming import ALGORITHMS, STEMMED, by_algorithm, stemmer
from .tokens import WORD, WORD_CHAR, characters, has_unspaced, pairs, pieces, plain_word

__all__ = ["WORD", "WORD_CHAR", "EXACT_BOOST", "PREFIX_CHARS", "Token", "QueryToken", "field_tokens", "exact_forms",
           "terms", "words", "vocabulary", "spans", "find", "query_tokens", "phrase_variants", "fold", "plain_word",
           "has_unspaced"]

PREFIX_CHARS = 5
LONGEST_WORD = 64  # letters: a longer "word" of a query is no word, and has no prefix to stand for it
EXACT_BOOST = 0.2  # of a word's exact spelling beside its folded term (a tie-break), and the least either counts
Token = tuple[str, str | tuple[str, ...] | None, str | None]  # (term, exact form(s): ``exact_forms``, prefix or None)
_NAMES = "names"  # the cache of name fields (folded, not stemmed)
_CACHE_LIMIT = 1_000_000  # words as written, per cache
_CACHES: dict[str | None, dict[str, tuple[Token, ...]]] = {}
_VOCABULARY: dict[str, tuple[str, ...]] = {}
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")  # \w of lower-cased ASCII


def field_tokens(text: str, language: str | None, names: bool = False, words: set[str] | None = None) -> list[Token]:
    """The tokens of a field's text, one per position (the index's hottest loop: a cache lookup a
    word); ``words``, when given, gathers the words as written (for ``vocabulary``)."""
    key = _NAMES if names else ALGORITHMS.get(language or "")
    cache = _CACHES.get(key)
    if cache is None:
        cache = _CACHES[key] = {}
    found: list[Token] = []
    extend = found.extend
    get = cache.get
    written = WORD.findall(text)
    if words is not None:
        words.update(written)
    for word in written:
        tokens = get(word)
        if tokens is None:
            tokens = _learn(cache, word, key)
        extend(tokens)
    return found


def exact_forms(exact: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """The terms a token's ``exact`` stands for: none, a word's spelling, or a pair's characters."""
    return () if exact is None else (exact,) if exact.__class__ is str else exact


def terms(text: str, language: str | None) -> list[str]:
    """The terms of a text in order (its tokens' terms; feedback and similar stories count them)."""
    return [token[0] for token in field_tokens(text, language)]


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, unfolded and unstemmed, each pair of characters of an
    unspaced run a word (for comparing texts: ``duplicates``)."""
    found = WORD.findall(text.lower())
    if text.isascii():
        return found
    return [piece for word in found for _, piece, _ in (_words(word) if has_unspaced(word) else ((0, word, False),))]


def vocabulary(words: Iterable[str]) -> set[str]:
    """The folded, unstemmed words (and pairs of unspaced runs) of words as written."""
    found: set[str] = set()
    for word in words:
        entries = _VOCABULARY.get(word)
        if entries is None:
            if len(_VOCABULARY) >= _CACHE_LIMIT:
                _VOCABULARY.clear()
            pieces = _words(word) if has_unspaced(word) else ((0, word, False),)
            entries = _VOCABULARY[word] = tuple(fold(piece if paired else plain_word(piece.lower()))
                                                for _, piece, paired in pieces)
        found.update(entries)
    return found


def spans(text: str, language: str | None) -> Iterator[tuple[int, int, str, str | None]]:
    """(start, end, term, exact form) of every token of a text: for unspaced runs, each pair of
    characters and each character."""
    key = ALGORITHMS.get(language or "")
    for match in WORD.finditer(text):
        word = match.group()
        if not has_unspaced(word):
            term, exact, _ = _tokens(word, key)[0]
            yield match.start(), match.end(), term, exact
            continue
        for offset, piece, unspaced in pieces(word, match.start()):
            if not unspaced:
                for part in WORD.finditer(piece):
                    term, exact, _ = _tokens(part.group(), key)[0]
                    yield offset + part.start(), offset + part.end(), term, exact
                continue
            letters = characters(piece)
            for i, (a, b) in enumerate(letters):
                yield offset + a, offset + b, fold(piece[a:b]), None
                if i + 1 < len(letters):
                    end = letters[i + 1][1]
                    yield offset + a, offset + end, fold(piece[a:end]), None


def find(text: str, wanted: Set[str], language: str | None) -> list[tuple[int, int, str]]:
    """(start, end, term) of the tokens of a text whose term or exact form is wanted.

    In plain ASCII text, a term begins as its words begin (stemming trims ends), so only the
    words that begin with a wanted term's first letters are read (one scan of the text by a
    pattern of those beginnings): a snippet is cut from a few matches, not from a tokenised
    article. Other text is read whole.
    """
    if not text.isascii():
        return [(start, end, term) for start, end, term, exact in spans(text, language)
                if term in wanted or exact in wanted]
    key = ALGORITHMS.get(language or "")
    lowered = text.lower()
    found = []
    seen: dict[str, str] = {}
    for match in _beginnings(frozenset(_prefix(term) for term in wanted)).finditer(lowered):
        at = match.start()
        if at and (lowered[at - 1] in _ASCII_WORD or lowered[at - 1] in ".'" and at > 1 and lowered[at - 2] in _ASCII_WORD):
            continue  # inside a word ("other", "U.S.", "don't")
        word = match.group()
        term = seen.get(word)
        if term is None:
            term = seen[word] = _tokens(word, key)[0][0]
        if term in wanted:
            found.append((at, match.end(), term))
    return found


@lru_cache(maxsize=256)
def _beginnings(prefixes: frozenset[str]) -> re.Pattern:
    """The words of lower-cased ASCII text that begin with one of these prefixes."""
    alternatives = "|".join(re.escape(prefix) for prefix in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})\w*(?:[.']\w+)*", re.ASCII)


@dataclass(frozen=True, slots=True)
class QueryToken:
    """One position of a query: each of ``stems`` matches the articles of its languages only, and
    ``term`` the articles of any other language (or none); ``exact`` (at ``EXACT_BOOST``, in any
    article) and ``prefix`` as for ``field_tokens``; ``paired`` for a pair of an unspaced run."""

    term: str
    stems: tuple[tuple[str, frozenset[str]], ...] = ()
    exact: str | None = None
    prefix: str | None = None
    paired: bool = False

    @property
    def others(self) -> frozenset[str]:
        """The languages for which ``term`` is not the word's form (those of ``stems``)."""
        return frozenset().union(*(languages for _, languages in self.stems))


def query_tokens(text: str, language: str | None = None, names: bool = False) -> list[QueryToken]:
    """The tokens of a query's text; with ``language`` None, each stemmed language's stem too."""
    found = []
    for word in WORD.findall(text):
        for _, piece, paired in _words(word) if has_unspaced(word) else ((0, word, False),):
            if paired:
                found.append(QueryToken(fold(piece), paired=True))
                continue
            plain = plain_word(piece.lower())
            folded = fold(plain)
            if names:
                found.append(QueryToken(folded))
                continue
            exact = plain if plain != folded else None
            prefix = _prefix_of(folded) if len(folded) <= LONGEST_WORD else None
            if language is not None:
                stem = stemmer(language)
                found.append(QueryToken(fold(stem(plain)) or folded if stem else folded, (), exact, prefix))
                continue
            by_stem: dict[str, set[str]] = {}
            for other in STEMMED:
                stemmed = fold(stemmer(other)(plain)) or folded
                if stemmed != folded:
                    by_stem.setdefault(stemmed, set()).add(other)
            stems = tuple((stem, frozenset(languages)) for stem, languages in sorted(by_stem.items()))
            found.append(QueryToken(folded, stems, exact, prefix))
    return found


def phrase_variants(tokens: list[QueryToken]) -> list[tuple[tuple[str, ...], frozenset[str] | None, frozenset[str]]]:
    """(terms, languages, other languages) of the term sequences a phrase of query tokens stands
    for: each language's stems in the articles of that language, and the tokens' own terms in
    the articles of any other language (languages None, others: the languages of the stems)."""
    plain = tuple(token.term for token in tokens)
    languages = sorted({language for token in tokens for language in token.others})
    by_terms: dict[tuple[str, ...], set[str]] = {}
    for language in languages:
        sequence = tuple(next((stem for stem, group in token.stems if language in group), token.term) for token in tokens)
        if sequence != plain:
            by_terms.setdefault(sequence, set()).add(language)
    others = frozenset().union(*by_terms.values())
    return [(plain, None, others), *((sequence, frozenset(group), frozenset()) for sequence, group in by_terms.items())]


def _learn(cache: dict[str, tuple[Token, ...]], word: str, key: str | None) -> tuple[Token, ...]:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    tokens = cache[word] = _run_tokens(word, key) if has_unspaced(word) else _analyse(word, key)
    return tokens


def _run_tokens(word: str, key: str | None) -> tuple[Token, ...]:
    """The tokens of a word holding unspaced script: each pair of its runs, with the characters
    it adds as terms of their own, and each word of the other letters between them."""
    found: list[Token] = []
    for _, piece, unspaced in pieces(word):
        if not unspaced:
            found += [token for match in WORD.finditer(piece) for token in _tokens(match.group(), key)]
            continue
        spans = characters(piece)
        if len(spans) == 1:
            found.append((fold(piece), None, None))
            continue
        alone = [fold(piece[a:b]) for a, b in spans]
        for i in range(len(spans) - 1):
            pair = fold(piece[spans[i][0]:spans[i + 1][1]])
            found.append((pair, tuple(alone[i:i + 2]) if i == len(spans) - 2 else (alone[i],), None))
    return tuple(found)


def _tokens(piece: str, key: str | None) -> tuple[Token, ...]:
    """The tokens of a word without unspaced script (cached with the field's words)."""
    cache = _CACHES.get(key)
    if cache is None:
        cache = _CACHES[key] = {}
    tokens = cache.get(piece)
    if tokens is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        tokens = cache[piece] = _analyse(piece, key)
    return tokens


def _analyse(piece: str, key: str | None) -> tuple[Token, ...]:
    plain = plain_word(piece.lower())
    folded = fold(plain)
    if key == _NAMES:
        return ((folded, None, None),)
    stem = by_algorithm(key) if key else None
    term = fold(stem(plain)) or folded if stem else folded  # (Porter stems "s" to nothing)
    return ((term, plain if plain != folded else None, _prefix_of(folded)),)


def _prefix_of(folded: str) -> str | None:
    return folded[:PREFIX_CHARS] if len(folded) > PREFIX_CHARS else None


def _words(word: str, start: int = 0) -> list[tuple[int, str, bool]]:
    """(offset, piece, paired) of a word holding unspaced script: each pair of characters of its
    unspaced runs, and each word of the other letters between them."""
    found = []
    for offset, piece, unspaced in pieces(word, start):
        if unspaced:
            found.extend((offset + a, piece[a:b], True) for a, b in pairs(piece))
        else:
            found.extend((offset + m.start(), m.group(), False) for m in WORD.finditer(piece))
    return found


def _prefix(term: str) -> str:
    """What every word with this term begins with (its first letter, for short terms and terms of
    acronyms, whose dots the term has lost)."""
    return term[:3] if len(term) >= 3 and term[:3].isalpha() else term[:1]
