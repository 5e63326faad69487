"""Declared languages as ISO 639-1 codes, and detection (languages.py)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, shared_path
from searchkit import languages


@pytest.mark.parametrize("declared, code", [
    ("en", "en"), ("EN-us", "en"), ("pt_BR", "pt"), ("zh-Hans-CN", "zh"), ("de-DE@euro", "de"),
    ("eng", "en"), ("ger", "de"), ("cmn", "zh"), ("English", "en"), ("Deutsch", "de"), ("Tiếng Việt", "vi"),
    ("日本語", "ja"), ("kr", "ko"), ("iw", "he"), ("jp", "ja"), ("cn", "zh"), ("gr", "el"), ("cz", "cs"),
    ("dk", "da"), ("se", "sv"), ("ua", "uk"), ("vn", "vi"), ("nb", "no"), ("nn-NO", "no"),
    ("xx", None), ("und", None), ("zxx", None), ("mul", None), ("US", None), ("klingon", None), ("", None), (None, None),
])
def test_declarations_normalised_to_iso_639_1(declared, code):
    assert languages.normalise(declared) == code


def test_codes_are_not_names():
    assert languages.code("en-GB") == "en" and languages.code("English") is None and languages.code("kr") == "ko"


@given(st.text())
def test_any_declaration_or_text_gives_a_code_or_none(value):
    assert languages.normalise(value) in languages.CODES | {None}
    assert languages.detect(value) in languages.CODES | {None}
    assert languages.article_language(value, value, value) in languages.CODES | {None}


def test_hostile_text_is_read_without_error():
    for text in ["\x00\x01\x7f\x9f" * 100, "\ud800 lone surrogate " * 30, "\u202e" * 500, "€" * 1000]:
        languages.article_language("en", text, text)


def test_close_relatives_and_quotations_keep_the_declaration():
    danish = ("Regeringen har i dag fremlagt et nyt forslag til finansloven, som skal sikre flere penge til "
              "sygehusene og ældreplejen. Oppositionen kalder forslaget utilstrækkeligt, men flere partier "
              "vil forhandle om det i de kommende uger.")
    assert languages.article_language("no", "", danish) == "no"
    assert languages.article_language("da", "", danish) == "da"
    assert languages.article_language("en", "", danish) == "da"


def test_plain_english_is_told_without_the_detector_and_other_unaccented_languages_are_not(monkeypatch):
    english = ("The central bank said on Tuesday that it would keep interest rates on hold for the rest of the year, "
               "as inflation was slowing and the economy had grown faster than expected in the first quarter.")
    swahili = ("Serikali imesema kuwa mvua kubwa zilizonyesha wiki hii zimesababisha mafuriko katika mikoa mingi ya "
               "pwani, na maelfu ya watu wamelazimika kuhama makazi yao kutafuta hifadhi katika shule, misikiti na makanisa.")
    assert languages.plain_english(english) and languages.plain_english(english.replace("'", "’"))
    assert not languages.plain_english(swahili) and not languages.plain_english("The the the of")
    assert languages.article_language("en", "", swahili) == languages.detect(swahili) == "sw"
    monkeypatch.setattr(languages, "_shares", lambda text: pytest.fail("the detector was asked"))
    assert languages.article_language(None, "Rates on hold", english) == languages.article_language("en", "", english) == "en"


def test_real_pages_languages_agree_with_their_expected_text():
    """Every fundus page gets the language its publisher's clean text (fundus' expected record)
    is written in: declarations kept where right, read from the text where absent or wrong."""
    from searchkit.readers import html as html_reader

    folder = shared_path("data", "pages-fundus")
    wrong = []
    for entry in json.loads((folder / "MANIFEST_derived.json").read_text()):
        expected = json.loads((folder / entry["country"] / f"{entry['publisher']}.json").read_text())[entry["version"]]
        paragraphs = [p for section in expected["body"]["sections"] for p in section["paragraphs"]]
        text = " ".join([expected["title"] or "", *expected["body"].get("summary", []), *paragraphs])
        [article] = html_reader.read(gzip.decompress((folder / entry["html"]).read_bytes()), entry["html"])
        if not languages.agree(article.language or "", languages.detect(text) or ""):
            wrong.append((entry["html"], article.language, languages.detect(text)))
    assert not wrong


def test_a_one_shot_query_does_not_import_the_detector(archive):
    found = subprocess.run([sys.executable, "-X", "importtime", "-m", "searchkit", "query", "--index",
                            str(archive.path), "Pentagon Wahlen"], capture_output=True, text=True, cwd=ROOT)
    imported = {line.rsplit("|", 1)[-1].strip() for line in found.stderr.splitlines() if line.startswith("import time:")}
    assert found.returncode == 0 and "Pentagon" in found.stdout
    assert "searchkit.analysis" in imported and "pycld2" not in imported
