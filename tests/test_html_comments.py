"""Reader comments in their common forms: WordPress threads, definition-list blogs, bodies of many
paragraphs, unmarked comment sections; author, reply-to and date where the page gives them."""

from __future__ import annotations

from searchkit.readers import html as html_reader

ARTICLE = "<article><h1>Harbour budget</h1>" + "<p>The council voted on the harbour budget on Monday evening.</p>" * 3 + "</article>"


def _comments(markup: str) -> list[tuple]:
    page = f"<html><body>{ARTICLE}{markup}</body></html>"
    [article] = list(html_reader.read(page.encode(), "page.html"))
    return [(c.author, c.reply_to, c.published, c.text) for c in article.comments]


def test_a_wordpress_thread_gives_authors_replies_dates_and_whole_bodies():
    markup = """<div id="comments"><ol class="commentlist">
      <li class="comment even depth-1" id="li-comment-1"><article class="comment-body">
        <footer><cite class="fn">Ann Lee</cite> <time datetime="2012-07-09T10:00:00+00:00">July 9</time></footer>
        <div class="comment-content"><p>First paragraph of Ann's comment.</p><p>Second paragraph.</p></div></article>
        <ul class="children"><li class="comment odd depth-2"><article class="comment-body">
          <footer><cite class="fn">Bo Chan</cite></footer><div class="comment-content"><p>I agree with Ann.</p></div></article></li></ul>
      </li></ol></div>"""
    assert _comments(markup) == [
        ("Ann Lee", None, "2012-07-09T10:00:00+00:00", "First paragraph of Ann's comment. Second paragraph."),
        ("Bo Chan", "Ann Lee", None, "I agree with Ann."),
    ]


def test_a_comment_entry_inside_a_comment_is_its_body_not_another_comment():
    markup = """<ol class="commentlist"><li class="comment depth-1"><div class="comment-head"><span class="name">Courtney</span></div>
      <div class="comment-entry"><p>Wonderful to hear the news.</p><p>Take care!</p></div></li></ol>"""
    assert _comments(markup) == [("Courtney", None, None, "Wonderful to hear the news. Take care!")]


def test_definition_list_comments_take_their_author_from_the_term_before_them():
    markup = """<div class="comments" id="comments"><dl id="comments-block">
      <dt class="comment-author">Mia said...</dt><dd class="comment-body"><p>Lovely pictures of the harbour.</p></dd>
      <dt class="comment-author">Tom said...</dt><dd class="comment-body"><p>Where was the second one taken?</p></dd></dl></div>"""
    assert [(author, text) for author, _, _, text in _comments(markup)] == [
        ("Mia said...", "Lovely pictures of the harbour."), ("Tom said...", "Where was the second one taken?")]


def test_an_unmarked_comment_section_gives_its_repeated_items_but_a_most_commented_list_does_not():
    markup = """<div id="comments"><h3>3 responses</h3>
      <div class="entry"><b>reader1</b><p>The budget ignores the old pier.</p></div>
      <div class="entry"><b>reader2</b><p>The pier was repaired in 2010.</p></div></div>"""
    assert [text for *_, text in _comments(markup)] == ["The budget ignores the old pier.", "The pier was repaired in 2010."]
    most = """<div class="most-comments"><div class="entry"><a href="/a">Story one (83)</a></div>
      <div class="entry"><a href="/b">Story two (51)</a></div></div>"""
    assert _comments(most) == []


def test_a_comment_of_punctuation_alone_is_no_comment():
    assert _comments('<li class="comment"><span class="author">x</span><p>“ ”</p></li>') == []
