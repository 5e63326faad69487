"""Analysis: every stage agrees on what a term is, and the one-pass indexer matches Whoosh's own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from datetime import datetime

from whoosh.fields import DATETIME, ID, KEYWORD, TEXT

from conftest import SEED
from searchkit.analysis import find, spans, term, terms
from searchkit.backends.whoosh.schema import WordAnalyzer
from searchkit.backends.whoosh.schema import build_schema

SAMPLES = [
    SEED.read_text(),
    "Pentagon's U.S.-led coalition said I.B.M. and 3.5% of don’t CAFÉ naïve al-Bab 2017-03-23",
]


def postings(field, value: str) -> list:
    """A field's postings for a value, positions decoded by the field's own format."""
    return sorted((text, freq, weight, field.format.decode_positions(encoded))
                  for text, freq, weight, encoded in field.index(value))


@given(st.text(max_size=300) | st.sampled_from(SAMPLES))
@settings(max_examples=200, deadline=None)
def test_one_pass_indexing_yields_exactly_whooshs_postings(value):
    schema = build_schema()
    assert postings(schema["body"], value) == postings(TEXT(analyzer=WordAnalyzer(stemming=True)), value)
    assert postings(schema["authors"], value) == postings(TEXT(analyzer=WordAnalyzer(stemming=False)), value)


@given(st.lists(st.text(max_size=20), max_size=6), st.text(min_size=1, max_size=30),
       st.datetimes(min_value=datetime(1000, 1, 1)))
@settings(max_examples=200, deadline=None)
def test_fast_facet_key_and_date_fields_yield_exactly_whooshs_postings(values, key, when):
    schema = build_schema()
    facet = schema["facet_tag"]
    joined = "\x1f".join(values)
    assert sorted(facet.index(joined)) == sorted(KEYWORD(analyzer=facet.analyzer).index(joined))
    assert sorted(schema["id"].index(key)) == sorted(ID().index(key))
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)  # dates are searched to the day
    assert sorted(schema["published"].index(when)) == sorted(DATETIME().index(day))
    listed = " ".join(values)
    assert sorted(schema["words"].index(listed)) == sorted(KEYWORD().index(listed))


def test_snippet_spans_and_feedback_terms_agree_with_the_index():
    analyzer = WordAnalyzer(stemming=True)
    for text in SAMPLES:
        indexed = [token.text for token in analyzer(text)]
        assert terms(text) == indexed == [span[2] for span in spans(text)]
        assert all(term(text[a:b].lower()) == t for a, b, t in spans(text))


def test_possessives_acronyms_and_stems():
    assert terms("Pentagon's U.S. strikes US-led") == ["pentagon", term("us"), "strike", term("us"), "led"]


@given(st.text(alphabet=st.sampled_from(list("ab.'’ -\nAsxéİU_0\u0301")), max_size=120),
       st.sets(st.sampled_from(["a", "ab", "abs", "b", "s", "x", "é", "ab.a", "U.S.", "us", "a_0", "absx"]), max_size=3))
@settings(max_examples=300)
def test_finding_wanted_terms_equals_filtering_every_span(text, wanted):
    wanted = {term(word) for word in wanted}
    assert find(text, wanted) == [span for span in spans(text) if span[2] in wanted]
