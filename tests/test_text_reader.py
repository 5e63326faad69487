"""Plain-text page captures: the seed against its golden record, and other common layouts."""

from __future__ import annotations

import json

import pytest

from conftest import CORPUS, SEED, shared_path
from searchkit import ReadError, read_file
from searchkit.readers import text


def only(path):
    [article] = list(read_file(path))
    return article


def test_seed_matches_golden_record_field_by_field():
    golden = json.loads(shared_path("golden", "sputnik-pentagon-daesh-coordinates.json").read_text())
    record = only(shared_path("seed", "sputnik-pentagon-daesh-coordinates.txt")).to_dict()
    for key, expected in golden.items():
        if key in {"file", "notes", "must_not_appear_in_any_field"}:
            continue
        actual = record[key]
        if key == "comments":
            assert all(comment["published"] is None for comment in actual)
            actual = [{k: comment[k] for k in ("author", "reply_to", "text")} for comment in actual]
        assert actual == expected, key
    everything = json.dumps(record, ensure_ascii=False)
    for phrase in golden["must_not_appear_in_any_field"]:
        assert phrase not in everything


def test_corpus_copy_of_seed_reads_the_same_as_shared_seed():
    shared = only(shared_path("seed", SEED.name)).to_dict()
    local = only(SEED).to_dict()
    assert {k: v for k, v in local.items() if k not in {"id", "path"}} == {
        k: v for k, v in shared.items() if k not in {"id", "path"}
    }


def test_seed_reply_markers_are_split_from_run_together_lines():
    comments = only(SEED).comments
    assert [(c.author, c.reply_to) for c in comments if c.reply_to] == [
        ("Mikhas", "slimyfox"),
        ("elsa.zardini", "Mikhas"),
        ("FightForTruth", "questfortruth"),
    ]


def test_byline_updated_dateline_tags_and_dated_comments():
    article = only(CORPUS / "harbour-strike-rotterdam.txt")
    assert article.title == "Dock workers in Rotterdam extend strike as talks with port operators stall"
    assert article.authors == ["Jane Doe", "Pieter van Dijk"]
    assert article.published == "2024-03-05T14:02:00+00:00"
    assert article.section == "Transport"
    assert article.tags == ["Netherlands", "Rotterdam", "Strikes", "Shipping", "Trade unions"]
    assert article.image_captions == ["Container cranes stand idle at the Maasvlakte terminal on Tuesday"]
    # Hard-wrapped paragraphs are joined again; chrome and the newsletter prompt are gone.
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Dock workers at Europe's largest port voted on Tuesday to extend their strike for")
    assert "Advertisement" not in article.body and "newsletter" not in article.body
    assert [(c.author, c.published) for c in article.comments] == [
        ("harbourwatcher", "2024-03-05T15:10:00"),
        ("Karin B", "2024-03-05T16:45:00"),
        ("tom_dekker", "2024-03-06T08:03:00"),
    ]
    assert all(c.reply_to is None for c in article.comments)
    assert article.comments[0].text == (
        "Automation was always going to come to the port. The question is who shares in the gains."
    )


def test_wire_story_without_comments_and_with_labelled_related_coverage():
    article = only(CORPUS / "wire-wheat-prices.txt")
    assert article.title == "Wheat prices jump as drought cuts Argentine harvest forecast"
    assert article.authors == ["Ana Lima", "Reuters"]
    assert article.published == "2024-03-12T09:41:00-04:00"
    assert article.comments == []
    assert len(article.related_headlines) == 3
    assert article.body.startswith("BUENOS AIRES (Reuters) - Chicago wheat futures")
    assert "Editing by" not in article.body


def test_iso_dateline_author_label_photo_caption_and_topics():
    article = only(CORPUS / "council-housing-vote.txt")
    assert article.title == "Council approves 1,200 new homes on former airfield site"
    assert article.published == "2024-02-10T08:30:00+00:00"
    assert article.authors == ["Sam Okafor"]
    assert article.image_captions == [
        "An aerial view of the former Longmoor airfield, where the new homes will be built."
    ]
    assert article.tags == ["housing", "planning", "Longmoor Council"]
    assert [c.author for c in article.comments] == ["Ashby resident", "Priya fan"]
    assert article.body.endswith("Building work is expected to start in the autumn.")


def test_sentence_case_headline_before_a_caption_is_still_the_title():
    capture = (
        "Ceasefire holds in northern Syria as talks resume\n"
        "By Jane Doe\n"
        "5 March 2024\n\n"
        "Syrian soldiers patrol the outskirts of al-Bab\n\n"
        "The ceasefire agreed last week held through the weekend, monitors said on Monday, as delegations "
        "prepared for a new round of talks.\n"
    ).encode()
    [article] = list(text.read(capture, "capture.txt"))
    assert article.title == "Ceasefire holds in northern Syria as talks resume"
    assert article.published == "2024-03-05"
    assert article.body.startswith("The ceasefire agreed last week")


def test_chrome_written_with_cyrillic_lookalikes_is_still_chrome():
    capture = (
        "Headline Of A Test Article\n\nA first paragraph that is long enough to count as prose in a page "
        "capture of a news article.\n\n• Сomment\n\n• avatar\n  Some reader text here.\n"
    ).encode()
    [article] = list(text.read(capture, "capture.txt"))
    assert "Сomment" not in json.dumps(article.to_dict(), ensure_ascii=False)
    assert [c.text for c in article.comments] == ["Some reader text here."]


@pytest.mark.parametrize("lines", [
    ["acq", "alum", "barley", "castor-oil", "cocoa", "coffee", "copper", "corn", "cotton", "crude"] * 3,
    ["afghanistan albania algeria american-samoa andorra angola anguilla antigua argentina aruba"] * 5,
])
def test_a_word_list_is_no_article(lines):
    with pytest.raises(ReadError, match="no article text"):
        list(text.read("\n".join(lines).encode(), "all-topics-strings.lc.txt"))


@pytest.mark.parametrize("data", [b"just one line", b"\n\n\n", "Überschrift\n\nText ohne Punkt".encode("cp1252")])
def test_odd_captures_still_give_a_record(data):
    [article] = list(text.read(data, "odd.txt"))
    assert isinstance(article.title, str)
