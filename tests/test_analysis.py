"""Analysis: every stage agrees on what a term is, in every language, and the one-pass indexer
matches Whoosh's own."""

from __future__ import annotations

from collections import Counter

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT

from conftest import SEED
from searchkit.analysis import (EXACT_BOOST, exact_forms, field_tokens, find, fold, phrase_variants, query_tokens, spans, terms,
                                vocabulary, words)
from searchkit.backends.whoosh.schema import WordAnalyzer, build_schema

SAMPLES = {
    "en": SEED.read_text(),
    None: "Pentagon's U.S.-led coalition said I.B.M. and 3.5% of don’t CAFÉ naïve al-Bab 2017-03-23",
    "de": "Die Wahlen in Zürich: Straße gesperrt, Präsident Müller tritt zurück.",
    "ru": "Украина и Россия: переговоры в Киеве, новый министр иностранных дел.",
    "hi": "भारत सरकार ने नई दिल्ली में हिन्दी समाचार सम्मेलन आयोजित किया।",
    "th": "รัฐบาลไทยประกาศมาตรการใหม่ ข่าวภาษาไทย",
    "zh": "台湾政府宣布停战，习近平在北京会见G7峰会代表。",
    "ja": "毎日新聞によると、首相は停戦を求めた。2024年3月。",
    "ko": "대통령은 서울에서 기자회견을 열었다.",
    "ar": "أعلنت الحكومة اللبنانية عن خطةٍ جديدةٍ في بيروت.",
    "vi": "Việt Nam công bố kế hoạch kinh tế mới tại Hà Nội.",
    "tr": "Türkiye'nin başkenti Ankara'da ağaçlar dikildi.",
}
LANGUAGES = st.sampled_from(sorted(SAMPLES, key=str))


def postings(field, value: str, language: str | None) -> list:
    """A field's postings for a value, positions decoded by the field's own format."""
    return sorted((text, freq, weight, field.format.decode_positions(encoded))
                  for text, freq, weight, encoded in field.index(value, language=language))


@given(st.text(max_size=300) | st.sampled_from(list(SAMPLES.values())), LANGUAGES)
@settings(max_examples=200, deadline=None)
def test_one_pass_indexing_yields_exactly_whooshs_postings(value, language):
    schema = build_schema()
    assert postings(schema["body"], value, language) == postings(TEXT(analyzer=WordAnalyzer()), value, language)
    assert postings(schema["authors"], value, language) == postings(TEXT(analyzer=WordAnalyzer(names=True)), value, language)


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
    analyzer = WordAnalyzer()
    for language, text in SAMPLES.items():
        indexed = [token.text for token in analyzer(text, language=language)]
        tokens = field_tokens(text, language)
        assert [t for term, exact, _ in tokens for t in (term, *exact_forms(exact))] == indexed
        assert terms(text, language) == [t[0] for t in tokens]
        found = list(spans(text, language))  # each token's span, and each character of unspaced runs
        assert Counter(t for _, _, term, exact in found for t in (term, *exact_forms(exact))) == Counter(indexed)
        for a, b, term, exact in found:
            token = field_tokens(text[a:b], language)[0]
            assert (token[0], token[1] if isinstance(token[1], str) else None) == (term, exact)



def test_field_length_counts_positions_not_exact_forms():
    body = build_schema()["body"]
    _, length = body.positions(field_tokens("Zürich Straße Zürich", "de"))
    assert length == 3


def test_possessives_acronyms_and_english_stems():
    assert terms("Pentagon's U.S. strikes US-led", "en") == ["pentagon", "u", "strike", "u", "led"]
    assert terms("planning elections", "en") == ["plan", "elect"]  # Porter, as before


def test_words_keep_their_vowel_signs():
    # \w alone cuts Devanagari at its vowel signs and viramas: भारत सरकार would be 5 pieces.
    assert terms("भारत सरकार", None) == ["भारत", "सरकार"]
    assert [term for _, _, term, _ in spans("भारत सरकार", "hi")] == terms("भारत सरकार", "hi")


def test_unspaced_scripts_are_overlapping_pairs():
    assert terms("台湾政府", "zh") == ["台湾", "湾政", "政府"]
    assert terms("G7峰会", "zh") == ["g7", "峰会"]
    assert terms("首相", "ja") == ["首相"] and terms("台", "zh") == ["台"]
    assert terms("대통령은", "ko") == ["대통", "통령", "령은"]
    # a Thai letter keeps its marks: ข่ is one character to pair
    assert terms("ข่าว", "th") == ["ข่า", "าว"]
    assert [(a, b) for a, b, _, _ in spans("อ 台湾政府", "zh")] == \
        [(0, 1), (2, 3), (2, 4), (3, 4), (3, 5), (4, 5), (4, 6), (5, 6)]  # each character, each pair


def test_each_character_of_a_run_is_a_term_beside_the_pair_it_begins():
    assert field_tokens("台湾政府", "zh") == [("台湾", ("台",), None), ("湾政", ("湾",), None), ("政府", ("政", "府"), None)]
    assert field_tokens("台", "zh") == [("台", None, None)]  # a character alone is its own term, as before
    _, length = build_schema()["body"].positions(field_tokens("台湾政府", "zh"))
    assert length == 3  # the characters do not lengthen the field


def test_folding_makes_spellings_one_and_keeps_the_exact_form():
    assert fold("Zürich") == fold("Zurich") == "zurich"
    assert fold("Straße") == "strasse" and fold("ёлка") == fold("елка")
    assert fold("Łódź") == "lodz" and fold("ΆΘΗΝΑ") == fold("αθηνα")
    assert fold("إِسْلَام") == fold("اسلام")  # harakat and alef forms
    assert fold("ＡＢＣ１") == "abc1"  # full width
    assert fold("हिन्दी") == "हिन्दी"  # vowel signs are letters
    assert field_tokens("Zürich", "de") == [("zurich", "zürich", "zuric")]
    assert field_tokens("Zurich", "de") == [("zurich", None, "zuric")]
    assert 0 < EXACT_BOOST < 1


def test_words_are_stemmed_before_they_are_folded():
    # Turkish and Russian stemmers read ı, ş, й: folding first would hide their suffixes
    assert terms("ağaçlar ağaç", "tr")[0] == terms("ağaçlar ağaç", "tr")[1] == "agac"
    assert terms("новый новая", "ru") == ["нов", "нов"]
    assert terms("Wahlen Wahl", "de") == ["wahl", "wahl"]
    assert terms("Wahlen", None) == ["wahlen"]  # no language: no stemming


def test_a_query_in_an_unknown_language_stands_for_each_languages_stem_in_its_articles():
    token, = query_tokens("Wahlen")
    assert token.term == "wahlen" and token.prefix == "wahle"
    stems = dict(token.stems)
    assert "de" in stems["wahl"] and "en" not in stems.get("wahl", ())
    assert "de" in token.others and "en" not in token.others  # Porter leaves "wahlen" as it is
    german, = query_tokens("Wahlen", "de")
    assert german.term == "wahl" and german.stems == ()
    assert query_tokens("Zürich")[0].exact == "zürich" and query_tokens("Zurich")[0].exact is None
    assert [t.term for t in query_tokens("台湾政府")] == ["台湾", "湾政", "政府"]
    assert all(t.paired for t in query_tokens("台湾政府"))


def test_phrase_variants_keep_each_languages_stems_together():
    variants = {terms: (languages, others) for terms, languages, others in phrase_variants(query_tokens("Wahlen heute"))}
    languages, others = variants[("wahlen", "heute")]
    assert languages is None and "de" in others and "ja" not in others  # the words as written, in other languages
    assert "de" in variants[("wahl", "heut")][0]
    assert all(len(terms) == 2 for terms in variants)
    assert set().union(*(languages for languages, _ in variants.values() if languages)) == others


def test_vocabulary_and_duplicate_words():
    assert vocabulary(["Zürich", "U.S.", "台湾政府"]) == {"zurich", "us", "台湾", "湾政", "政府"}
    assert words("Zürich 台湾政府") == ["zürich", "台湾", "湾政", "政府"]


@given(st.text(alphabet=st.sampled_from(list("ab.'’ -\nAsxéİU_0\u0301台湾ü")), max_size=120),
       st.sets(st.sampled_from(["a", "ab", "abs", "b", "s", "x", "é", "ab.a", "U.S.", "us", "a_0", "absx", "台湾", "ü"]),
               max_size=3), LANGUAGES)
@settings(max_examples=300)
def test_finding_wanted_terms_equals_filtering_every_span(text, wanted, language):
    wanted = {token[0] for word in wanted for token in field_tokens(word, language)}
    assert find(text, wanted, language) == [(a, b, term) for a, b, term, exact in spans(text, language)
                                            if term in wanted or exact in wanted]


def test_the_marks_words_keep_are_those_of_unicode():
    """tokens._MARKS is a literal (computing it costs every command 30-60 ms): it holds exactly the
    combining marks of the BMP that \\w lacks, on the Unicode of Python 3.11, and only marks later."""
    import re
    import unicodedata

    from searchkit.analysis.tokens import _MARKS

    held = {chr(c) for c in range(0x10000) if re.fullmatch(f"[{_MARKS}]", chr(c))}
    marks = {chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me")
             and not chr(c).isalnum() and chr(c) != "_"}
    assert held == marks if unicodedata.unidata_version == "14.0.0" else held <= marks


@given(st.text())
def test_has_unspaced_is_a_search_for_unspaced_letters(text):
    import re

    from searchkit.analysis.tokens import UNSPACED, has_unspaced

    assert has_unspaced(text) == (re.search(f"[{UNSPACED}]", text) is not None)
