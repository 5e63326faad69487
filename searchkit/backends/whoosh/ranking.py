"""Relevance beyond BM25: relevance feedback, stories like a given one, spelling suggestions.

Choices measured on the TIME collection by ``benchmarks/ranking.py`` (see benchmarks/README.md):
RM3-style feedback from the top 10 articles, used only to re-rank articles that match the
query's own words, for descriptive queries.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from whoosh import query as wq
from whoosh.searching import Searcher

from ...analysis import WORD_CHAR, fold, has_unspaced, plain_word, query_tokens, terms
from ...analysis.folding import as_written
from ...errors import QueryError
from ...querylang.plan import STOP_TERMS
from .compiler import CompiledQuery
from .schema import from_record
from .vocabulary import WORDS_FIELD, Lexicon

FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 50
ORIGINAL_WEIGHT = 0.6
SIMILAR_TERMS = 25
SUGGEST_BUDGET = 100_000  # vocabulary terms read for one query's suggestions (Reuters: 3,000 a word)
_LETTER = WORD_CHAR.pattern
_QUERY_WORD = re.compile(rf"(?<![\w:\"'])((?![\d_]){_LETTER}(?:{_LETTER}|['’-])*)(?![\w:])")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})


def feedback(searcher: Searcher, parsed: CompiledQuery, top: list[tuple[float, int]]) -> wq.Query | None:
    """Words of the top-ranked articles that can re-rank the hits (RM3), or None when there is no basis.

    ``top`` holds (score, docnum) of the first-pass ranking. Each article votes for its words in
    proportion to their share of its text and to exp(score), the relevance model's P(query |
    article) with the score read as a log-likelihood; the best words are added with 40% of the
    query's weight.
    """
    original = sum(weight for (field, _), weight in parsed.terms.items() if field == "body")
    if not original or len(top) < 2:
        return None
    scores = [score for score, _ in top]
    best = max(scores)
    votes: Counter[str] = Counter()
    for score, (_, docnum) in zip(scores, top):
        counts = _word_counts(searcher, docnum)
        length = sum(counts.values()) or 1
        likelihood = math.exp(score - best)
        for word, count in counts.items():
            votes[word] += likelihood * count / length
    chosen = votes.most_common(FEEDBACK_TERMS)
    total = sum(weight for _, weight in chosen)
    if not total:
        return None
    scale = (1 - ORIGINAL_WEIGHT) / ORIGINAL_WEIGHT * original / total
    return wq.Or([wq.Term("body", word, boost=weight * scale) for word, weight in chosen])


def similar_query(searcher: Searcher, docnum: int) -> wq.Query | None:
    """A query for stories like this one: its most characteristic words (tf-idf) among those other
    articles share (a word of its own alone, a name or a typo, finds nothing like it), in title
    and body."""
    counts = _word_counts(searcher, docnum)
    length = sum(counts.values()) or 1
    shared = {word for word in counts if searcher.doc_frequency("body", word) > 1}
    weights = {word: counts[word] / length * searcher.idf("body", word) for word in shared}
    chosen = sorted(weights.items(), key=lambda item: item[1], reverse=True)[:SIMILAR_TERMS]
    if not chosen:
        return None
    return wq.Or(
        [wq.Term("body", word, boost=weight) for word, weight in chosen]
        + [wq.Term("title", word, boost=weight) for word, weight in chosen]
    )


def suggest(searcher: Searcher, text: str) -> str | None:
    """The query with each unknown word replaced by the most common close word of the index, if
    any (``Vocabulary.close_words``).

    Words are looked up until ``SUGGEST_BUDGET`` terms of the vocabulary have been read.
    """
    reader = searcher.reader()
    lexicon = Lexicon(reader, SUGGEST_BUDGET)
    changed = False
    pieces = []
    cursor = 0
    for match in _QUERY_WORD.finditer(text):
        word = match.group(1)
        folded = fold(plain_word(word.lower()))
        if word in _OPERATORS or len(word) < 3 or has_unspaced(word) or (WORDS_FIELD, folded) in reader:
            continue
        try:
            best = _closest(reader, lexicon, folded)
        except QueryError:  # the budget is spent
            break
        if best:
            pieces.append(text[cursor:match.start(1)])
            pieces.append(as_written(best))
            cursor = match.end(1)
            changed = True
    if not changed:
        return None
    pieces.append(text[cursor:])
    return "".join(pieces)


def _closest(reader, lexicon: Lexicon, word: str) -> str | None:
    """The close word of the vocabulary that most bodies hold (in any language's form)."""
    candidates = lexicon.close_words(WORDS_FIELD, word, lambda stem: (WORDS_FIELD, stem) in reader)
    return max(candidates, key=lambda candidate: _frequency(reader, candidate)) if candidates else None


def _frequency(reader, word: str) -> int:
    """How many bodies hold a word, in the likeliest of its forms (the word itself, or a stem)."""
    token = query_tokens(word)[0]
    return max(reader.doc_frequency("body", term) for term in (token.term, *(stem for stem, _ in token.stems)))


def _word_counts(searcher: Searcher, docnum: int) -> Counter[str]:
    """The terms of an article's title and body (in its language), without stop words, numbers and
    words of two letters (pairs of unspaced script count)."""
    article = from_record(searcher.stored_fields(docnum)["record"])
    return Counter(
        word
        for word in terms(f"{article.title}\n{article.body}", article.language)
        if (len(word) > 2 or has_unspaced(word)) and word not in STOP_TERMS and not word[0].isdigit()
    )
