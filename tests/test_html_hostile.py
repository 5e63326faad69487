"""Hostile pages: whatever a page holds, its readable text is read, in bounded time, or it is refused cleanly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit import Article, ReadError
from searchkit.normalize import clean_line
from searchkit.readers import html as html_reader
from searchkit.readers import read_bytes
from searchkit.readers.nesting import MAX_DEPTH, bounded


def _read(page: bytes) -> Article:
    [article] = list(html_reader.read(page, "page.html"))
    return article


def test_a_page_nested_100000_levels_deep_keeps_its_words():
    page = b"<html><body>" + b"<div>" * 100_000 + b"<p>Zebras crossed the harbour bridge at dawn.</p>" + b"</div>" * 100_000
    assert "Zebras crossed the harbour bridge" in _read(page + b"</body></html>").body


def test_self_closing_divs_open_elements_as_a_parser_nests_them_and_are_cut_to_a_bounded_depth():
    page = b"<html><body><p>Harbour zebras are back.</p>" + b"<div/>" * 200_000 + b"<p>Second zebra paragraph.</p></body></html>"
    flattened = bounded(page)
    assert flattened.count(b"<div/>") == MAX_DEPTH - 2  # html and body are open above them
    assert "Harbour zebras are back." in _read(page).body


def test_stray_end_tags_of_other_elements_do_not_hide_deep_nesting():
    page = b"<html><body>" + b"<div></span>" * 50_000 + b"<p>Zebra words.</p></body></html>"
    assert bounded(page).count(b"<div>") == MAX_DEPTH - 2
    assert _read(page).body == "Zebra words."


def test_a_page_one_level_deeper_than_the_limit_is_cut_and_one_at_the_limit_is_not():
    # (the start tags are counted first: a page with no more of them than the limit is passed at once)
    assert bounded(b"<div>" * 11 + b"x", limit=10) == b"<div>" * 10 + b"x"
    assert bounded(b"<div></b>" * 10 + b"x", limit=10) == b"<div></b>" * 10 + b"x"


def test_ordinary_pages_are_left_as_they_are():
    page = b"<html><body><div><svg><path d='M0'/><path/></svg><p>One<p>Two</div><ul><li>a<li>b</ul></body></html>"
    assert bounded(page) is page


def test_terminal_escape_sequences_in_a_title_go_whole_and_the_words_stay():
    page = (b"<html><head><title>\x1b[2JHarbour \x1b]0;you have been pwned\x07museum \x1b[31mreopens\x1b[0m</title></head>"
            b"<body><p>The museum reopened on Friday after eighteen months of repairs.</p></body></html>")
    assert _read(page).title == "Harbour museum reopens"
    assert clean_line("a\x9b2Jb \x1bP1$r\x1b\\c\x1b(Bd") == "ab cd"  # C1 CSI, a DCS string, a charset escape


def test_json_ld_nested_1000_deep_is_passed_over():
    for script in ["[" * 1000 + "]" * 1000,
                   '{"@type": "NewsArticle", "headline": "H", "author": ' + '{"name": ' * 1000 + '"x"' + "}" * 1000 + "}"]:
        page = (f'<html><head><script type="application/ld+json">{script}</script></head>'
                f"<body><p>Zebra words in the text of the page.</p></body></html>")
        assert _read(page.encode()).body == "Zebra words in the text of the page."


fragments = st.sampled_from(["<div>", "</div>", "<div/>", "<p>", "</span>", "<svg>", "<path/>", "</svg>", "<table><td>",
                             "<script>", "</script>", '<script type="application/ld+json">', "[", "{", '"@graph":',
                             "<time datetime='2024-01-02'>", "<!--", "-->", "<li class='comment'>", "\x1b[2J", "text words"])


@given(parts=st.lists(fragments | st.text(max_size=20), max_size=300), tail=st.binary(max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_tag_soup_gives_a_record_or_a_clean_error(parts, tail):
    data = b"<html><body>" + "".join(parts).encode("utf-8", "replace") + tail
    try:
        items = list(read_bytes(data, "page.html"))
    except ReadError as error:
        assert str(error)
        return
    assert all(isinstance(item, Article) and "\x1b" not in item.title + item.body for item in items)
