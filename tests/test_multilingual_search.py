"""Searching in every language through the whole path (reader, index, query language, snippets,
similar stories, suggestions, filters): news texts of our own in several languages and scripts,
and real publishers' pages in other languages (fundus, via shared_path)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import searchkit
from searchkit.cli import app
from searchkit.errors import QueryError

from conftest import ENGINES, engine_for, shared_path

ARTICLES = [
    ("zh-flood", "zh", "长江流域暴雨引发洪水",
     "连日暴雨导致长江中下游水位持续上涨，湖北和江西多地发生洪水。当地政府已紧急转移数万名居民，救援队伍正在加固堤坝。"
     "气象部门预计未来三天仍有强降雨，提醒居民注意防范山洪和地质灾害。"),
    ("zh-rescue", "zh", "湖北洪水救援持续",
     "湖北省多地遭遇洪水，救援队伍连夜加固堤坝并转移受灾居民。气象部门表示，长江水位仍在上涨，强降雨将持续到周末。"),
    ("zh-stocks", "zh", "上海股市收盘上涨",
     "上海证券交易所今日收盘上涨百分之一，科技股表现强劲。分析师认为，投资者对经济复苏的信心正在增强。"),
    ("ja-rain", "ja", "東京で大雨、交通機関に乱れ",
     "東京都内では朝から激しい雨が降り、鉄道の運転見合わせが相次いだ。気象庁は土砂災害に警戒するよう呼びかけている。"),
    ("th-flood", "th", "น้ำท่วมหนักในเชียงใหม่",
     "ฝนตกหนักต่อเนื่องทำให้เกิดน้ำท่วมในจังหวัดเชียงใหม่ ประชาชนหลายพันคนต้องอพยพออกจากบ้าน "
     "เจ้าหน้าที่กำลังเร่งช่วยเหลือผู้ประสบภัยน้ำท่วม"),
    ("th-aid", "th", "รัฐบาลประกาศมาตรการช่วยเหลือผู้ประสบภัยน้ำท่วม",
     "รัฐบาลไทยประกาศมาตรการช่วยเหลือผู้ประสบภัยน้ำท่วมในภาคเหนือ รวมถึงจังหวัดเชียงใหม่และเชียงราย"),
    ("el-fires", "el", "Πυρκαγιές στην Αττική",
     "Μεγάλες πυρκαγιές ξέσπασαν στην Αττική λόγω των ισχυρών ανέμων. Οι πυροσβέστες δίνουν μάχη με τις φλόγες, "
     "ενώ εκκενώθηκαν χωριά. Η κυβέρνηση ζήτησε βοήθεια από την Ευρωπαϊκή Ένωση."),
    ("el-planes", "el", "Η Ευρωπαϊκή Ένωση στέλνει αεροσκάφη για τις πυρκαγιές",
     "Η Ευρωπαϊκή Ένωση στέλνει πυροσβεστικά αεροσκάφη στην Ελλάδα, όπου οι πυρκαγιές καίνε δάση στην Αττική "
     "για τρίτη ημέρα."),
    ("hi-rain", "hi", "दिल्ली में भारी बारिश",
     "राजधानी दिल्ली में भारी बारिश के कारण कई इलाकों में पानी भर गया। यातायात पूरी तरह ठप हो गया और स्कूल बंद कर "
     "दिए गए। मौसम विभाग ने अगले दो दिनों के लिए चेतावनी जारी की है।"),
    ("tr-drill", "tr", "İstanbul'da deprem tatbikatı",
     "İstanbul'da düzenlenen deprem tatbikatına binlerce kişi katıldı. Belediye, depreme hazırlık için yeni toplanma "
     "alanları belirlediğini açıkladı. Uzmanlar, binaların güçlendirilmesi gerektiğini söyledi."),
    ("vi-storm", "vi", "Bão số 3 đổ bộ vào miền Bắc",
     "Cơn bão số 3 đã đổ bộ vào các tỉnh miền Bắc Việt Nam, gây mưa lớn và lũ lụt. Hàng nghìn người dân đã được sơ "
     "tán khỏi vùng nguy hiểm. Chính phủ đã chỉ đạo các địa phương khẩn trương khắc phục hậu quả."),
    ("ar-vote", "ar", "انتخابات برلمانية في المغرب",
     "أدلى الناخبون في المغرب بأصواتهم في الانتخابات البرلمانية اليوم، وسط إقبال كبير. وقالت وزارة الداخلية إن "
     "النتائج الأولية ستعلن غداً."),
    ("de-strike", "de", "Zürich: Streik der Straßenbahnfahrer",
     "In Zürich haben die Straßenbahnfahrer am Montag gestreikt. Die Gewerkschaft fordert höhere Löhne. Der Verkehr "
     "in der Innenstadt kam weitgehend zum Erliegen."),
    ("en-zurich", "en", "Zurich trams stop as drivers strike",
     "Tram drivers in Zurich walked out on Monday over pay, halting traffic in the city centre, the union said."),
]


@pytest.fixture(scope="module", params=ENGINES)
def world(request, tmp_path_factory) -> searchkit.Archive:
    """An archive of short news articles in ten languages, each declaring its language (on each engine)."""
    folder = tmp_path_factory.mktemp("world")
    lines = [json.dumps({"id": id, "language": language, "title": title, "body": body}, ensure_ascii=False)
             for id, language, title, body in ARTICLES]
    (folder / "world.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with engine_for(request, folder) as engine:
        archive = searchkit.Archive(folder / "index", engine=engine)
        archive.index([folder / "world.jsonl"])
        yield archive
        archive.close()


def ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def highlighted(hit) -> list[str]:
    return [hit.snippet.text[start:end] for start, end in hit.snippet.highlights]


def test_every_article_keeps_its_declared_language(world):
    assert {id: world.get(id).language for id, *_ in ARTICLES} == {id: language for id, language, *_ in ARTICLES}


def test_a_quoted_chinese_phrase_is_the_exact_string(world):
    assert set(ids(world.search('"加固堤坝"'))) == {"zh-flood", "zh-rescue"}
    assert ids(world.search('"堤坝加固"')) == []  # the same characters in another order


def test_an_unquoted_chinese_run_finds_its_pairs_the_whole_run_first(world):
    found = ids(world.search("洪水救援"))  # written whole only in zh-rescue's title
    assert found[0] == "zh-rescue" and "zh-flood" in found and "zh-stocks" not in found


def test_a_single_chinese_or_japanese_character_finds_the_runs_that_hold_it(world):
    found = world.search("雨")  # 大雨 and 降雨 end their runs, 雨が and 暴雨导致 do not
    assert set(ids(found)) == {"ja-rain", "zh-flood", "zh-rescue"}
    assert all(set(highlighted(hit)) == {"雨"} for hit in found.hits)  # the character, not its pairs
    assert set(ids(world.search("堤"))) == {"zh-flood", "zh-rescue"}  # 堤坝: a run of its own pair's first
    assert ids(world.search("雨 東京"))[0] == "ja-rain"
    assert ids(world.search('"暴雨"')) == ["zh-flood"]  # pairs and phrases as before


def test_chinese_and_japanese_snippets_highlight_the_matched_characters(world):
    [hit] = [hit for hit in world.search("加固堤坝").hits if hit.id == "zh-flood"]
    assert highlighted(hit) == ["加固堤坝"]  # four pairs' spans, merged
    [hit] = world.search("気象庁").hits
    assert hit.id == "ja-rain" and highlighted(hit) == ["気象庁"]


def test_thai_words_phrases_and_highlights(world):
    assert set(ids(world.search("เชียงใหม่"))) == {"th-flood", "th-aid"}
    assert ids(world.search('"อพยพออกจากบ้าน"')) == ["th-flood"]
    [hit] = world.search("อพยพ").hits
    assert highlighted(hit) == ["อพยพ"]


def test_hindi_words_keep_their_vowel_signs_in_matches_and_highlights(world):
    [hit] = world.search("बारिश").hits
    assert hit.id == "hi-rain" and highlighted(hit) == ["बारिश"]
    assert ids(world.search('"भारी बारिश"')) == ["hi-rain"]
    assert ids(world.search("बार")) == []  # a word's first letters are not the word


def test_greek_inflections_accents_proximity_wildcards_and_fuzzy_words(world):
    alone = world.search("πυρκαγιά")  # singular; the texts say πυρκαγιές: the stemmer misses, the prefix
    assert alone.total == 0 and alone.suggestion == "πυρκαγιες"  # ranks but never adds a hit alone (final ς)
    assert set(ids(world.search("πυρκαγιά Αττική"))) == {"el-fires", "el-planes"}
    assert set(ids(world.search("πυρκαγιες"))) == {"el-fires", "el-planes"}  # written without accents
    assert ids(world.search('"πυρκαγιές Αττική"~3')) == ["el-fires"]
    assert set(ids(world.search("πυροσβ*"))) == {"el-fires", "el-planes"}  # πυροσβέστες, πυροσβεστικά
    assert set(ids(world.search("Αττικι~"))) == {"el-fires", "el-planes"}


def test_turkish_suffixes_and_dotted_capitals(world):
    assert ids(world.search("depremler tatbikat")) == ["tr-drill"]  # the prefix of Snowball's "depre" ranks it
    assert ids(world.search("depremler")) == [] and world.search("depremler").suggestion.startswith("deprem")
    assert ids(world.search("istanbul")) == ["tr-drill"]
    [hit] = world.search("tatbikat").hits
    assert "tatbikatı" in " ".join(highlighted(hit))


def test_vietnamese_without_tones_and_with_them(world):
    assert ids(world.search("bao so 3")) == ["vi-storm"]
    assert ids(world.search('"lũ lụt"')) == ["vi-storm"]
    [hit] = world.search("sơ tán").hits
    assert "sơ tán" in highlighted(hit)  # (and "số": folded, it is "so")


def test_arabic_articles_and_prefixes(world):
    assert ids(world.search("الانتخابات")) == ["ar-vote"]
    assert ids(world.search("المغرب")) == ["ar-vote"]


def test_folded_spellings_match_and_the_exact_spelling_ranks_first(world):
    assert ids(world.search("Zürich")) == ["de-strike", "en-zurich"]
    assert set(ids(world.search("Zurich"))) == {"de-strike", "en-zurich"}
    assert ids(world.search("Strassenbahnfahrer")) == ["de-strike"]


def test_did_you_mean_in_other_scripts(world):
    results = world.search("Ατικη")
    assert results.total == 0 and results.suggestion is not None
    assert set(ids(world.search(results.suggestion))) == {"el-fires", "el-planes"}
    results = world.search("gwerkschaft")
    assert results.suggestion is not None and ids(world.search(results.suggestion)) == ["de-strike"]


def test_similar_stories_in_other_languages(world):
    assert ids(world.similar("zh-flood"))[0] == "zh-rescue"
    assert ids(world.similar("th-aid"))[0] == "th-flood"
    assert ids(world.similar("el-planes"))[0] == "el-fires"


def test_language_filters_take_codes_and_tags_and_name_the_codes_held(world):
    assert set(ids(world.search("Zurich", lang="de"))) == {"de-strike"}
    assert set(ids(world.search("Zurich", lang="en-GB"))) == {"en-zurich"}
    assert ids(world.search("Zurich lang:de")) == ["de-strike"]
    with pytest.raises(QueryError, match=r"'english' is not a language code \(for english write en\).*ar, de, el, en"):
        world.search("Zurich", lang="english")
    with pytest.raises(QueryError, match="write lang:en"):
        world.search("Zurich lang:english")


def test_the_lang_facet_and_stats_count_languages(world):
    facets = world.search("Zurich OR 洪水 OR πυρκαγιές", facets=["lang"]).facets["lang"]
    assert {item["value"]: item["count"] for item in facets} == {"zh": 2, "el": 2, "de": 1, "en": 1}
    held = {item["value"]: item["count"] for item in world.stats(top=20).top["lang"]}
    assert held == {"zh": 3, "th": 2, "el": 2, "ja": 1, "hi": 1, "tr": 1, "vi": 1, "ar": 1, "de": 1, "en": 1}
    shown = CliRunner().invoke(app, ["stats", "--index", str(world.path)])
    assert shown.exit_code == 0 and "languages: zh (3), " in shown.output


def test_languages_are_detected_when_undeclared_or_not_a_language(tmp_path: Path):
    declared = [7, "xx", "und", "", ["zh"], "", "Greek", "zz", None, "tr-TR", "English"]  # (7, ["zh"]: no language)
    records = [{"id": id, "title": title, "body": body, **({"language": said} if said is not None else {})}
               for (id, _, title, body), said in zip([*ARTICLES[:10], ARTICLES[-1]], declared)]
    (tmp_path / "undeclared.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    archive = searchkit.Archive(tmp_path / "index")
    archive.index([tmp_path / "undeclared.jsonl"])
    found = {id: archive.get(id).language for id in (r["id"] for r in records)}
    archive.close()
    assert found == {id: language for id, language, *_ in [*ARTICLES[:10], ARTICLES[-1]]}


def test_a_declaration_the_text_contradicts_gives_way():
    from searchkit.model import build

    body = ARTICLES[6][3] + " " + ARTICLES[7][3]  # Greek, over 200 characters
    assert build(path="a.json", title="", body=body, language="en").language == "el"
    assert build(path="a.json", title="", body=ARTICLES[6][3][:150], language="en").language == "en"  # too short to tell


def _fundus_pages(countries: tuple[str, ...]) -> list[tuple[Path, dict]]:
    folder = shared_path("data", "pages-fundus")
    manifest = json.loads((folder / "MANIFEST_derived.json").read_text())
    return [(folder / entry["html"], json.loads((folder / entry["country"] / f"{entry['publisher']}.json").read_text())
             [entry["version"]]) for entry in manifest if entry["country"] in countries]


@pytest.fixture(scope="module")
def fundus(tmp_path_factory) -> tuple[searchkit.Archive, list[tuple[str, str, str]]]:
    """The fundus pages of German-speaking, Russian-, Ukrainian-, Chinese-, Japanese- and
    Korean-speaking countries, indexed: (archive, [(country, page's file name, expected title)])."""
    folder = tmp_path_factory.mktemp("fundus")
    pages = []
    for path, expected in _fundus_pages(("at", "ch", "li", "lu", "ru", "ua", "cn", "tw", "jp", "kr")):
        name = f"{path.parent.name}-{path.name.removesuffix('.gz')}"
        (folder / name).write_bytes(gzip.decompress(path.read_bytes()))
        pages.append((path.parent.name, name, expected["title"]))
    archive = searchkit.Archive(folder / "index")
    archive.index([folder])
    yield archive, pages
    archive.close()


def test_real_pages_inflections_spellings_and_language_codes(fundus):
    """Issue 14's examples: inflected forms and spellings of a word find the same pages, and the
    Korean publishers' pages (which declare the country code kr) are lang:ko."""
    archive, pages = fundus

    def found(query: str) -> set[str]:
        return {hit.id for hit in archive.search(query, limit=100).hits}

    for one, other in [("Wahl", "Wahlen"), ("Regierung", "Regierungen"), ("Украина", "Украины"),
                       ("Zurich", "Zürich"), ("Strasse", "Straße")]:
        assert found(one) and found(one) == found(other), (one, other)
    assert found("习近平")
    assert archive.search("lang:ko").total == sum(country == "kr" for country, *_ in pages)


def test_real_cjk_pages_found_by_a_quoted_piece_of_their_headline(fundus):
    """Each page is in the language its headline's script says (English pages of Japanese and
    Taiwanese publishers too); four characters of a CJK headline, quoted, find the page and are
    highlighted whole wherever the snippet shows them."""
    import re

    archive, pages = fundus
    pages = [(name, title) for country, name, title in pages if country in ("cn", "tw", "jp", "kr")]
    held = {Path(archive.get(hit.id).path).name: archive.get(hit.id).language for hit in archive.search("*", limit=50).hits}
    found = 0
    for name, title in pages:
        script = ("ko" if re.search("[\uac00-\ud7af]", title) else "ja" if re.search("[\u3040-\u30ff]", title)
                  else "zh" if re.search("[\u4e00-\u9fff]", title) else "en")
        assert held[name] == script, (name, title)
        if script == "en":
            found += 1
            continue
        run = max(re.findall(r"[^\W\d_a-zA-Z]+", title), key=len)[:4]
        hits = [hit for hit in archive.search(f'"{run}"', limit=50).hits if archive.get(hit.id).path.endswith(name)]
        found += bool(hits)
        for hit in hits:
            assert all(run in text or text in run for text in highlighted(hit)), (name, run, highlighted(hit))
    assert found == len(pages), f"{found} of {len(pages)} pages found by a piece of their headline"


def test_a_stem_counts_only_in_its_languages_articles(engine, tmp_path: Path):
    """"Wahlen" is "wahl" in German articles only: an English article naming Mr Wahl (whose
    English stem is also "wahl") is no hit; on every engine (Sphinx: a word for the language)."""
    records = [{"id": "de", "language": "de", "title": "Die Wahlen in Berlin", "body": "Die Wahl findet im Mai statt."},
               {"id": "en", "language": "en", "title": "Mr Wahl resigns", "body": "Mr Wahl said he would resign."},
               {"id": "fr", "language": "fr", "title": "Les wahlen", "body": "Un mot allemand: wahlen."}]
    (tmp_path / "votes.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    archive = searchkit.Archive(tmp_path / "index", engine=engine)
    archive.index([tmp_path / "votes.jsonl"])
    assert set(ids(archive.search("Wahlen"))) == {"de", "fr"}
    assert set(ids(archive.search("wahl"))) == {"de", "en"}
    assert set(ids(archive.search('"die wahlen"'))) == {"de"}
    emptied = archive.search("Wahlen", lang="pt")  # the counts of the filters that left nothing: the
    assert emptied.total == 0 and emptied.unfiltered == 2  # query in every language, and in German alone
    assert [(count.filter, count.total) for count in archive.search("Wahlen", lang="de", filters={"tag": "x"}).filter_counts] \
        == [("tag", 0), ("lang", 1)]
    archive.close()


def test_did_you_mean_offers_a_stem_that_is_a_word_of_the_index(engine, tmp_path: Path):
    """Snowball stems Turkish "depremler" (earthquakes) to "deprem", but "deprem" to "depre": the
    plural alone finds nothing, and is offered the word its stem is (three edits away)."""
    records = [{"id": "tr", "language": "tr", "title": "Deprem", "body": "Deprem bölgesinde çalışmalar sürüyor."},
               {"id": "en", "language": "en", "title": "Rain", "body": "Rain fell on the coast."}]
    (tmp_path / "quake.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    archive = searchkit.Archive(tmp_path / "index", engine=engine)
    archive.index([tmp_path / "quake.jsonl"])
    results = archive.search("depremler")
    assert results.total == 0 and results.suggestion == "deprem"
    assert ids(archive.search(results.suggestion)) == ["tr"]
    archive.close()


def test_a_prefix_ranks_the_articles_holding_a_query_word_but_adds_none(engine, tmp_path: Path):
    """Five letters begin unrelated words ("inter": internationally, interest, internal): an
    article sharing only a prefix with the query's words is no hit, and none is counted."""
    records = [{"id": "intl", "title": "Trade", "body": "The firm now sells internationally and at home."},
               {"id": "rates", "title": "Rates", "body": "Interest rates rose at home; internal demand held."},
               {"id": "other", "title": "Weather", "body": "Rain fell on the coast."}]
    (tmp_path / "words.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    archive = searchkit.Archive(tmp_path / "index", engine=engine)
    archive.index([tmp_path / "words.jsonl"])
    assert ids(archive.search("internationally")) == ["intl"] and archive.search("internationally").total == 1
    assert set(ids(archive.search("internationally home"))) == {"intl", "rates"}  # (rates: by "home")
    assert set(ids(archive.search('internationally "rain fell"'))) == {"intl", "other"}  # (a phrase: Whoosh's own path)
    assert archive.search("internationaly").total == 0  # a misspelling: no hit, a suggestion
    archive.close()


def test_a_stem_is_highlighted_only_in_its_languages_articles(engine, tmp_path: Path):
    """Polish stems "Zurich" to "zur": a German article's "zur" is not shown as a match (it is no
    hit there), while a Polish article's forms are; on every engine."""
    records = [{"id": "de", "language": "de", "title": "Streik in Zürich",
                "body": "Die Gewerkschaft rief zur Arbeitsniederlegung in Zürich auf."},
               {"id": "pl", "language": "pl", "title": "Strajk w Zurychu",
                "body": "Związek wezwał do strajku. Zur to skrót nazwy miasta Zurich w rozkładzie jazdy."}]
    (tmp_path / "strike.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    archive = searchkit.Archive(tmp_path / "index", engine=engine)
    archive.index([tmp_path / "strike.jsonl"])
    hits = {hit.id: hit for hit in archive.search("Zurich").hits}
    assert set(hits) == {"de", "pl"}
    assert [text.lower() for text in highlighted(hits["de"])] == ["zürich"]
    assert {text.lower() for text in highlighted(hits["pl"])} == {"zur", "zurich"}
    archive.close()


def _whoosh_archive(tmp_path: Path, records: list[dict]) -> searchkit.Archive:
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    archive = searchkit.Archive(tmp_path / "index", engine="whoosh")
    archive.index([tmp_path / "news.jsonl"])
    return archive


def test_a_spelling_that_folding_conflates_with_other_words_counts_as_typed(tmp_path: Path):
    """Folded, "bão" (storm) is "bao", as are "báo" (newspaper) and "bảo" (to say): where those
    fill the folded term's articles, the spelling typed decides (Whoosh: the compiler weighs the
    two by the share of the folded term's articles holding the spelling); typed without tones,
    every spelling counts alike."""
    archive = _whoosh_archive(tmp_path, [
        {"id": "storm", "language": "vi", "body": "Cơn bão số 3 đã đổ bộ vào các tỉnh miền Bắc Việt Nam, gây mưa lớn và "
         "lũ lụt ở nhiều nơi. Hàng nghìn người dân đã được sơ tán khỏi vùng nguy hiểm, chính quyền địa phương cho biết."},
        {"id": "press", "language": "vi", "body": "Báo chí đưa tin: báo Tuổi Trẻ và báo Thanh Niên bảo vệ quyền bảo hiểm."},
        {"id": "said", "language": "vi", "body": "Ông ấy bảo rằng bao nhiêu người đã đến."}])
    assert ids(archive.search("bão")) == ["storm", "press", "said"]
    assert ids(archive.search("bao"))[-1] == "storm"  # (one "bao" in a long text)
    archive.close()


def test_a_latin_word_beside_thai_weighs_as_its_letters_pairs(tmp_path: Path):
    """"NASUWT คืออะไร" ("what is NASUWT"): the name weighs as the five pairs its six letters
    would make, as much as the five pairs of "คืออะไร", which many articles hold."""
    archive = _whoosh_archive(tmp_path, [
        {"id": "union", "language": "th", "body": "ครูในเวลส์สามารถเป็นสมาชิกของสหภาพแรงงาน เช่น NUT หรือ "
         "NASUWTและรายงานในปีที่ผ่านมาเสนอว่าอายุเฉลี่ยของครูลดลง"},
        {"id": "theory", "language": "th", "body": "ทฤษฎีความซับซ้อนคืออะไร และอะไรที่ทำให้ปัญหายาก"},
        {"id": "rotor", "language": "th", "body": "โรเตอร์คืออะไร โรเตอร์คือส่วนที่หมุนของเครื่องกำเนิดไฟฟ้า"},
        {"id": "tax", "language": "th", "body": "ภาษีมูลค่าเพิ่มคืออะไร รัฐบาลเก็บภาษีจากการขายสินค้า"}])
    assert ids(archive.search("NASUWT คืออะไร"))[0] == "union"
    assert ids(archive.search("คืออะไร"))[0] != "union"  # (without the name, the pairs alone)
    archive.close()
