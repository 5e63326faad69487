"""The Whoosh backend's side of the query language: the index's fields as the language expects
them, the vocabulary budgets that bound wildcards and fuzzy words, and the edit distance."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit import QueryError
from searchkit.backends.whoosh.schema import DateField, KeyField, WordField, build_schema
from searchkit.querylang import expansion
from searchkit.querylang.fields import FIELDS, Kind


def test_a_pattern_standing_for_too_many_words_is_refused(archive, monkeypatch):
    monkeypatch.setattr(expansion, "MAX_EXPANSIONS", 3)
    with pytest.raises(QueryError, match="'a\\*' matches more than 3 words of the index: give it more letters"):
        archive.search("a*")
    with pytest.raises(QueryError, match="match more than 3 words of the index together"):
        archive.search("automat* work* harbour*")


def test_a_query_reading_too_much_vocabulary_is_refused(archive, monkeypatch):
    monkeypatch.setattr(expansion, "BUDGET", 100)  # the sample's vocabulary holds about 500 words
    with pytest.raises(QueryError, match="would read more than 100 words of the index"):
        archive.search("*ion")
    assert archive.search("automat*").total == 1  # a prefix reads only its own words




def test_the_whoosh_schema_indexes_each_field_as_the_language_expects():
    schema = build_schema()
    for name, kind in FIELDS.items():
        field = schema[name]
        if kind in (Kind.TEXT, Kind.NAME):
            assert isinstance(field, WordField) and field.analyzer.names == (kind is Kind.NAME), name
        elif kind is Kind.KEYWORD:
            assert isinstance(field, KeyField), name
        else:
            assert isinstance(field, DateField), name


def osa_distance(a: str, b: str) -> int:
    """Edit distance with swaps of neighbours (optimal string alignment), the whole matrix."""
    rows = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


@given(a=st.text("abcde", max_size=9), b=st.text("abcde", max_size=9), limit=st.integers(0, 2))
@settings(max_examples=500, deadline=None)
def test_banded_edit_distance_agrees_with_the_whole_matrix(a, b, limit):
    assert expansion.distance(a, b, limit) == min(osa_distance(a, b), limit + 1)
