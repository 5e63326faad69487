"""The index's fields and analyzers, declared once, and how an Article becomes a document.

Three kinds of field:

- full-text fields (title, body, related, comments, tags; authors, section, source without
  stemming), searched by words, each analysed in the article's language (``analysis``); and
  ``prefix``, the first letters of the body's words;
- facet fields (``facet_*``), one exact value per tag/author/..., lower-cased for filtering, with a
  column holding the original values so that facets are counted without touching stored records;
- bookkeeping: the stored record; the body's hash and near-duplicate signature (``duplicates``);
  and two kinds of hidden document: one per file indexed (``kind=file``, its key in
  ``file_key``), holding what the index knows of the file (``FileState``, for incremental runs),
  and one per segment written (``kind=vocabulary``) holding in ``words`` the folded, unstemmed
  words new to the index (``analysis.vocabulary``), for wildcards and spelling suggestions.
"""

from __future__ import annotations

import re
import struct
from collections import Counter
from datetime import datetime
from itertools import accumulate
from operator import sub

import orjson
from whoosh import formats
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StripFilter, Tokenizer
from whoosh.analysis import Token as WhooshToken
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import Or, Term
from whoosh.system import pack_uint
from whoosh.util.numeric import to_sortable
from whoosh.util.times import datetime_to_long

from ...analysis import Token, exact_forms, field_tokens
from ...fields import FACETS, PREFIX_FIELD, facet_values, field_texts
from ...model import Article, from_stored
from ..base import FileState, Prepared

# Bumped whenever a change to the fields or analyzers makes older indexes unreadable or wrong.
SCHEMA_VERSION = 10  # 8: segments sealed with checksums; 9: analysis per language, the prefix and lang fields;
# 10: the characters of unspaced runs beside their pairs

VOCABULARY = "vocabulary"
FILE_STATE = "file"
HIDDEN_KINDS = (VOCABULARY, FILE_STATE)  # the documents that are not articles
HIDDEN = Or([Term("kind", kind) for kind in HIDDEN_KINDS])
VOCABULARY_FIELDS = ("title", "body")  # whose words, folded and unstemmed, make the vocabulary
PREFIX_SOURCE = "body"  # the field whose words' prefixes the prefix field holds
_SEPARATOR = "\x1f"
_WORD_LIST = re.compile(r"[^ \t\r\n]+")


_PACK_ONE = struct.Struct(">II").pack
_UNPACK_COUNT = struct.Struct(">I").unpack_from
_PACKERS: dict[int, object] = {}


class Positions(formats.Positions):
    """Whoosh's positions format, with a posting's positions packed as integers (count, then
    gaps; big-endian like Whoosh's own integers) instead of pickled: about 3x faster both ways."""

    def encode(self, positions: list[int]) -> bytes:
        count = len(positions)
        if count == 1:
            return _PACK_ONE(1, positions[0])
        pack = _PACKERS.get(count) or _PACKERS.setdefault(count, struct.Struct(f">{count + 1}I").pack)
        return pack(count, *map(sub, positions, [0, *positions]))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        count = _UNPACK_COUNT(valuestring)[0]
        return list(accumulate(struct.unpack_from(f">{count}I", valuestring, 4)))


class WordAnalyzer(Tokenizer):
    """The analyzer of full-text fields and (``names=True``) name fields, in Whoosh's protocol:
    ``analysis.field_tokens`` as Whoosh tokens (a word's exact form at the term's position), for
    the article's ``language``. Positions only: searchkit locates matches itself (snippets)."""

    def __init__(self, names: bool = False) -> None:
        self.names = names

    def __eq__(self, other) -> bool:
        return isinstance(other, WordAnalyzer) and other.names == self.names

    def __hash__(self) -> int:
        return hash(self.names)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, removestops: bool = True,
                 start_pos: int = 0, mode: str = "", language: str | None = None, **kwargs):
        if chars:
            raise ValueError("searchkit's analyzer gives no character offsets (analysis.spans does)")
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        for position, (term, exact, _) in enumerate(field_tokens(value, language, self.names), start_pos):
            for text in (term, *exact_forms(exact)):
                token.text = text
                token.stopped = False
                if positions:
                    token.pos = position
                yield token


class WordField(TEXT):
    """A full-text field indexed in one pass: the terms, positions and weights that TEXT with a
    WordAnalyzer yields, without Whoosh's token objects and filter chain (about a quarter of
    indexing time); its length counts positions, not the exact forms beside their terms."""

    def __init__(self, analyzer: WordAnalyzer, **kwargs) -> None:
        super().__init__(analyzer=analyzer, **kwargs)
        self.format = Positions(field_boost=self.format.field_boost)

    def index(self, value, language: str | None = None, **kwargs):
        positions, _ = self.positions(field_tokens(value, language, self.analyzer.names))
        encode, boost = self.format.encode, self.format.field_boost
        return [(text.encode("utf-8"), len(where), len(where) * boost, encode(where)) for text, where in positions.items()]

    def positions(self, tokens: list[Token]) -> tuple[dict[str, list[int]], int]:
        """Each term of a text's tokens (``analysis.field_tokens``) with its positions, and the
        field's length (the writer encodes them: ``ArticleWriter``)."""
        positions: dict[str, list[int]] = {}
        at = positions.setdefault
        for position, (text, exact, _) in enumerate(tokens):
            at(text, []).append(position)
            if exact is not None:
                for form in exact_forms(exact):
                    at(form, []).append(position)
        return positions, len(tokens)


class PrefixField(TEXT):
    """The prefix field: the first ``analysis.PREFIX_CHARS`` letters of the body's folded words,
    with their frequencies (no positions)."""

    def __init__(self) -> None:
        super().__init__(phrase=False)

    def index(self, value, **kwargs):
        """The postings of a body's text (the writer makes them from the body's tokens instead)."""
        return _frequency_postings(self.counts(field_tokens(value, None))[0], self.format.field_boost)

    def counts(self, tokens: list[Token]) -> tuple[Counter[str], int]:
        """Each prefix of a body's tokens with its count, and the field's length."""
        counts = Counter(prefix for _, _, prefix in tokens if prefix is not None)
        return counts, sum(counts.values())


class FacetField(KEYWORD):
    """A facet's field: KEYWORD with the facet analyzer (values split on the separator, stripped,
    lower-cased), its terms made in one comprehension instead of through Whoosh's token chain."""

    def __init__(self) -> None:
        super().__init__(analyzer=RegexTokenizer(r"[^\x1f]+") | StripFilter() | LowercaseFilter(), sortable=True)

    def index(self, value, **kwargs):
        return _frequency_postings(Counter(part.strip().lower() for part in value.split(_SEPARATOR) if part),
                                   self.format.field_boost)


class WordListField(KEYWORD):
    """The vocabulary's field: KEYWORD (space-separated, as written) without the token chain."""

    def index(self, value, **kwargs):
        return _frequency_postings(Counter(_WORD_LIST.findall(value)), self.format.field_boost)


def _frequency_postings(counts: Counter, boost: float) -> list[tuple[bytes, int, float, bytes]]:
    """Postings in Whoosh's Frequency format, from each term's count."""
    return [(text.encode("utf-8"), freq, freq * boost, pack_uint(freq)) for text, freq in counts.items()]


class KeyField(ID):
    """An exact value indexed as one term (ID without the token chain)."""

    def index(self, value, **kwargs):
        return [(value.encode("utf-8"), 1, self.format.field_boost, b"")]


class DateField(DATETIME):
    """DATETIME indexed to the day, and converted once for its eight precision terms.

    Every date search (filters, ``date:`` ranges) has day boundaries, so a day's articles match
    the same searches as their exact times would; the column, which sorting reads, keeps the
    exact time. Exact times made most of a segment's terms unique (five of eight per article).
    """

    def index(self, value, **kwargs):
        day = value.replace(hour=0, minute=0, second=0, microsecond=0)
        number = to_sortable(int, 64, True, datetime_to_long(day))
        return [(self.sortable_to_bytes(number, shift), 1, 1.0, b"") for shift in range(0, 64, 8)]


def build_schema() -> Schema:
    """The Whoosh schema of a searchkit index."""
    words = WordAnalyzer()
    names = WordAnalyzer(names=True)

    def text(analyzer=words) -> WordField:
        return WordField(analyzer=analyzer, multitoken_query="phrase")

    return Schema(
        id=KeyField(stored=True, unique=True, sortable=True),
        kind=KeyField(),
        title=text(),
        body=text(),
        related=text(),
        comments=text(),
        tags=text(),
        authors=text(names),
        section=text(names),
        source=text(names),
        **{PREFIX_FIELD: PrefixField()},
        lang=KeyField(),
        published=DateField(sortable=True),
        crawled=DateField(sortable=True),
        file_key=KeyField(),
        body_hash=KeyField(),
        signature=COLUMN(),
        record=STORED(),
        words=WordListField(),
        **{f"facet_{name}": FacetField() for name in FACETS},
    )


def to_document(prepared: Prepared) -> dict:
    """The Whoosh document for a prepared article."""
    article = from_record(prepared.record)
    document = {key: value for key, value in field_texts(article).items() if value}
    document.update(id=article.id, signature=prepared.signature, record=prepared.record)
    if prepared.body_hash:
        document["body_hash"] = prepared.body_hash
    for facet in FACETS:
        values = facet_values(article, facet)
        if values:
            document[f"facet_{facet}"] = _SEPARATOR.join(values)
    if article.language:
        document["lang"] = article.language
    if article.published:
        document["published"] = local_datetime(article.published)
    if article.crawled:
        document["crawled"] = local_datetime(article.crawled)
    return document


def state_document(key: str, state: FileState) -> dict:
    """The hidden document that records what the index knows of one file."""
    return {"kind": FILE_STATE, "file_key": key,
            "record": orjson.dumps({"key": key, "hash": state.file_hash, "path": state.path, "ids": state.ids,
                                    "errors": state.errors, "duplicate_of": state.duplicate_of})}


def read_state(record: bytes) -> tuple[str, FileState]:
    """A file's key and state from its hidden document's record."""
    data = orjson.loads(record)
    return data["key"], FileState(data["hash"], data["path"], data["ids"], data["errors"], data["duplicate_of"])


def vocabulary_document(words: set[str], segment: str) -> dict:
    """The hidden document that records the new unstemmed words of one segment's articles."""
    return {"id": f"{VOCABULARY}:{segment}", "kind": VOCABULARY, "words": " ".join(sorted(words))}


def local_datetime(iso: str) -> datetime:
    """The naive datetime the index stores: the publisher's wall-clock time, offset dropped.

    Filters then mean what a reader of the page means ("published on 5 March" in its own zone).
    """
    return datetime.fromisoformat(iso).replace(tzinfo=None)


def split_values(column_value: bytes | str) -> list[str]:
    """The original facet values held in a facet column."""
    text = column_value.decode("utf-8") if isinstance(column_value, bytes) else column_value
    return [value for value in text.split(_SEPARATOR) if value]


def from_record(data: bytes) -> Article:
    """The Article stored with a document."""
    return from_stored(orjson.loads(data))
