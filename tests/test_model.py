"""The article record: normalisation once, stable ids, a JSON round trip."""

from __future__ import annotations

from searchkit.model import Article, Comment, build
from searchkit.normalize import clean_body, clean_line


def test_text_is_normalised_once_on_the_way_in():
    article = build(
        "x.txt",
        title="  Cafe\u0301\u00a0talks\x07 resume ",
        body="First line broken\ninside a sentence.\n\n\n\nSecond\u2003paragraph.",
        tags=["Syria", "syria", " Turkey "],
        comments=[Comment(text="  hi\x1b[31m there "), Comment(text="   ")],
    )
    assert article.title == "Café talks resume"
    assert article.body == "First line broken inside a sentence.\n\nSecond paragraph."
    assert article.tags == ["Syria", "Turkey"]
    assert [c.text for c in article.comments] == ["hi there"]  # an escape sequence goes whole


def test_id_comes_from_the_url_else_from_path_and_position():
    assert build("a.txt", url="https://x.org/1").id == build("b.txt", url="https://x.org/1").id
    assert build("a.txt").id != build("a.txt", position=1).id
    assert build("a.txt").id == build("a.txt").id


def test_record_round_trips_through_its_dict():
    article = build(
        "x.txt",
        title="T",
        body="B.",
        published="5 March 2024 14:02 GMT",
        comments=[Comment(text="c", author="a", reply_to="b", published="2024-03-05 15:00")],
        extra={"places": ["usa"]},
    )
    data = article.to_dict()
    assert data["places"] == ["usa"] and data["published"] == "2024-03-05T14:02:00+00:00"
    assert Article.from_dict(data) == article


def test_clean_helpers_agree_on_spaces():
    assert clean_line("a \t b\u202fc\n d") == "a b c d"
    assert clean_body("one\r\ntwo.\r\n\r\nthree") == "one two.\n\nthree"
