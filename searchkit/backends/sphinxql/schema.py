"""What a SphinxQL cluster holds for one archive, and how an article becomes a row.

An archive named NAME is a distributed index NAME over real-time shards ``NAME_0`` ...
``NAME_{N-1}`` (one per searchd, the first beside NAME on the head), and two bookkeeping RT
indexes on the head: ``NAME_state`` (the claim of the archive, the state of every file indexed,
and the spellings of facet values) and ``NAME_words`` (the vocabulary, for wildcards, fuzzy words
and suggestions). Sphinx 2.2 cannot make indexes at run time: they are declared in searchd's
configuration (``declarations``), and a cluster may declare several archives.

Full-text fields hold searchkit's own terms (``analysis``: in the article's language) joined by
spaces, so that Sphinx, with no morphology and every letter a word character, agrees with every
other backend on what a word is; ``prefix`` holds the first letters of the body's words,
``exact`` the exact spellings of the words that folding changed (in every full-text field: they
only rank) and the characters of unspaced runs (a character searched alone finds them), and
``language`` the article's language code (``und`` for none), for the terms a query keeps to some
languages. Facet values are 63-bit hashes in MVA attributes: ``f_*`` of the case-folded value (filters),
``s_*`` of the value as written (counts, whose spellings ``NAME_state`` keeps). Dates are seconds
of the publisher's wall-clock time (signed: before 1970 too) and day, month and year numbers; the
capture date (``crawled``) is seconds and a day number too (day 0: none).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson

from ...analysis import exact_forms, field_tokens, vocabulary
from ...errors import SearchkitError
from ...fields import DEFAULT_FIELDS, FACETS, NAME_FIELDS, PREFIX_FIELD, facet_values, field_texts
from ...model import Article, from_stored
from ..base import Prepared

SCHEMA_VERSION = 4  # 4: the characters of unspaced runs in the field of exact forms
# Every code point but controls, space and ASCII punctuation other than . and ' is a word character
# (2.2 clamps ranges at U+2FFFF). Terms are lower-cased already: no folding.
CHARSET_TABLE = "U+27, U+2E, 0..9, A..Z, _, a..z, U+80..U+2FFFF"
TEXT_FIELDS = (*DEFAULT_FIELDS, *NAME_FIELDS)
KEYS_FIELD = "keys"  # a constant token, so that a query of excluded words alone can run
LANGUAGE_FIELD = "language"  # the article's language code as a word
NO_LANGUAGE = "und"  # that word when the article has no language (ISO 639's "undetermined", no code searchkit gives)
EXACT_FIELD = "exact"  # the words' exact spellings where folding changed them (analysis.EXACT_BOOST)
PREFIX_SOURCE = "body"  # the field whose words' prefixes PREFIX_FIELD holds
EVERY = "_a"
MAX_STRING = 4 * 1024 * 1024 - 1  # string attributes longer than 4 MiB are silently cut by 2.2
VOCABULARY_FIELDS = ("title", "body")
WORDS_GROUP = 0  # the vocabulary's group of title and body words (unstemmed); field i+1: TEXT_FIELDS[i]'s terms
STATE_CLAIM, STATE_FILE, STATE_VALUE = 0, 1, 2  # kinds of rows of NAME_state
COLUMNS = ("id", *TEXT_FIELDS, PREFIX_FIELD, EXACT_FIELD, LANGUAGE_FIELD, KEYS_FIELD, "aid",
           "published", "dated", "day", "month", "year", "crawled", "crawled_day",
           *(f"f_{name}" for name in FACETS), *(f"s_{name}" for name in FACETS),
           "body_hash", "signature", "record")
_EPOCH = datetime(1970, 1, 1)


def hash63(text: str) -> int:
    """A stable positive 63-bit hash (Sphinx ids and MVA values; 0 is no id)."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return (int.from_bytes(digest, "big") & 0x7FFF_FFFF_FFFF_FFFF) or 1


def doc_id(article_id: str) -> int:
    return hash63(article_id)


def value_hash(facet: str, value: str) -> int:
    """The hash of a facet value as written (counted, and the id of its spelling's row)."""
    return hash63(f"v\x1f{facet}\x1f{value}")


def folded_hash(facet: str, value: str) -> int:
    """The hash of a facet value without regard to case (filtered on)."""
    return hash63(f"f\x1f{facet}\x1f{value.strip().casefold()}")


def word_id(group: int, word: str) -> int:
    return hash63(f"w\x1f{group}\x1f{word}")


def file_row_id(key: str, part: int) -> int:
    return hash63(f"file\x1f{key}\x1f{part}")


def body_key(body_hash: str) -> int:
    return int(body_hash[:16], 16) & 0x7FFF_FFFF_FFFF_FFFF if body_hash else 0


def seconds(moment: datetime) -> int:
    """Seconds from 1970 of a naive datetime (negative before)."""
    return int((moment - _EPOCH).total_seconds())


def moment(value: int) -> datetime:
    """The naive datetime of ``seconds``."""
    return _EPOCH + timedelta(seconds=value)


@dataclass(frozen=True)
class Row:
    """An article as a shard row, and what it adds to the vocabulary and the facet spellings."""

    id: int
    values: tuple
    words: set[tuple[int, str]]
    spellings: dict[int, tuple[str, str]]


def to_row(prepared: Prepared) -> Row:
    article = from_stored(orjson.loads(prepared.record))
    texts = field_texts(article)
    words: set[tuple[int, str]] = set()
    written: set[str] = set()  # the words of title and body as written
    fields = []
    prefixes = ""
    exact: list[str] = []
    for group, name in enumerate(TEXT_FIELDS, start=1):
        tokens = field_tokens(texts[name], article.language, name in NAME_FIELDS,
                              written if name in VOCABULARY_FIELDS else None)
        analysed = [token[0] for token in tokens]
        if name not in VOCABULARY_FIELDS:  # (title and body terms are found through the vocabulary's words)
            words.update((group, term) for term in set(analysed))
        if name == PREFIX_SOURCE:
            prefixes = " ".join(token[2] for token in tokens if token[2])
        exact += [form for token in tokens for form in exact_forms(token[1])]
        fields.append(" ".join(analysed))
    words.update((WORDS_GROUP, word) for word in vocabulary(written))
    when = datetime.fromisoformat(article.published).replace(tzinfo=None) if article.published else None
    crawled = datetime.fromisoformat(article.crawled).replace(tzinfo=None) if article.crawled else None
    spellings: dict[int, tuple[str, str]] = {}
    folded, counted = [], []
    for facet in FACETS:
        values = facet_values(article, facet)
        folded.append(sorted({folded_hash(facet, value) for value in values}))
        hashes = set()
        for value in values:
            hashed = value_hash(facet, value)
            hashes.add(hashed)
            spellings[hashed] = (facet, value)
        counted.append(sorted(hashes))
    if len(prepared.record) > MAX_STRING:
        raise SearchkitError(f"article {article.id} is too large for the sphinxql engine "
                             f"({len(prepared.record):,} bytes stored; at most 4 MiB)")
    values = (
        doc_id(article.id), *fields, prefixes, " ".join(exact), article.language or NO_LANGUAGE, EVERY, article.id,
        seconds(when) if when else 0, 1 if when else 0, when.toordinal() if when else 0,
        when.year * 100 + when.month if when else 0, when.year if when else 0,
        seconds(crawled) if crawled else 0, crawled.toordinal() if crawled else 0,
        *folded, *counted,
        body_key(prepared.body_hash), prepared.signature.hex(), prepared.record.decode("utf-8"),
    )
    return Row(values[0], values, words, spellings)


def from_record(record: str | bytes) -> Article:
    return from_stored(orjson.loads(record))


def _rt(name: str, path: str, body: list[str]) -> str:
    lines = [f"index {name}", "{", "  type = rt", f"  path = {path}", *body,
             "  morphology = none", "  dict = keywords", f"  charset_table = {CHARSET_TABLE}", "}", ""]
    return "\n".join(lines)


def shard_declaration(name: str, path: str) -> str:
    body = [f"  rt_field = {field}" for field in (*TEXT_FIELDS, PREFIX_FIELD, EXACT_FIELD, LANGUAGE_FIELD, KEYS_FIELD)]
    body += ["  rt_attr_string = aid", "  rt_attr_bigint = published", "  rt_attr_uint = dated",
             "  rt_attr_uint = day", "  rt_attr_uint = month", "  rt_attr_uint = year",
             "  rt_attr_bigint = crawled", "  rt_attr_uint = crawled_day"]
    body += [f"  rt_attr_multi_64 = {prefix}_{facet}" for prefix in ("f", "s") for facet in FACETS]
    body += ["  rt_attr_bigint = body_hash", "  rt_attr_string = signature", "  rt_attr_string = record",
             "  rt_mem_limit = 256M"]
    return _rt(name, path, body)


def state_declaration(name: str, path: str) -> str:
    body = ["  rt_field = k", "  rt_attr_uint = kind", "  rt_attr_bigint = key_hash", "  rt_attr_uint = part",
            "  rt_attr_uint = parts", "  rt_attr_bigint = digest", "  rt_attr_string = data", "  rt_mem_limit = 32M"]
    return _rt(name, path, body)


def words_declaration(name: str, path: str) -> str:
    body = ["  rt_field = word", "  rt_attr_uint = grp", "  rt_attr_string = w", "  min_prefix_len = 1",
            "  rt_mem_limit = 64M"]
    return _rt(name, path, body)


def distributed_declaration(name: str, local: str, agents: list[str]) -> str:
    lines = [f"index {name}", "{", "  type = distributed", f"  local = {local}"]
    lines += [f"  agent = {agent}" for agent in agents]
    lines += ["  agent_connect_timeout = 1000", "  agent_query_timeout = 10000", "}", ""]
    return "\n".join(lines)
