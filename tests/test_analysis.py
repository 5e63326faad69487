"""Analysis: every stage agrees on what a term is, and the one-pass indexer matches Whoosh's own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.fields import TEXT

from conftest import SEED
from searchkit.engine.analysis import WordAnalyzer, spans, term, terms
from searchkit.engine.schema import build_schema

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


def test_snippet_spans_and_feedback_terms_agree_with_the_index():
    analyzer = WordAnalyzer(stemming=True)
    for text in SAMPLES:
        indexed = [token.text for token in analyzer(text)]
        assert terms(text) == indexed == [span[2] for span in spans(text)]
        assert all(term(text[a:b].lower()) == t for a, b, t in spans(text))


def test_possessives_acronyms_and_stems():
    assert terms("Pentagon's U.S. strikes US-led") == ["pentagon", "us", "strike", "us", "led"]
