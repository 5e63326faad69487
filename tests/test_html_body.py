"""The article text of saved pages of any kind: news, blogs, forums, company pages."""

from __future__ import annotations

from searchkit.readers import html as html_reader

SENTENCE = "The council met on Monday to vote on the harbour budget for the coming year, officials said. "


def _body(page: str) -> str:
    [article] = list(html_reader.read(page.encode(), "page.html"))
    return article.body


def test_text_in_bare_blocks_with_inline_markup_is_the_body_not_a_sidebar_of_quotes():
    story = (f'<div class="details">Posted by timothy on Tuesday July 24</div>'
             f'<div class="body"><div class="p"><a href="/u/hugh">Hugh Pickens</a> writes <i>"{SENTENCE * 4}'
             f'<a href="/ext">unlike the print world</a>. {SENTENCE * 3}"</i></div></div>')
    quips = "".join(f"<p>Today is National Existential Ennui Awareness Day number {n}.</p>" for n in range(2))
    body = _body(f"<html><body><div id='main'>{story}</div><div id='fortune'>{quips}</div></body></html>")
    assert body.startswith("Hugh Pickens writes") and "unlike the print world" in body
    assert "Ennui" not in body


def test_one_line_break_continues_a_paragraph_and_two_end_it():
    page = (f"<html><body><div class='post-body'>{SENTENCE}<br>{SENTENCE}<br><br>"
            f"Second paragraph: {SENTENCE * 2}<br> <br>Third paragraph: {SENTENCE}</div></body></html>")
    paragraphs = _body(page).split("\n\n")
    assert [p.split(":")[0] for p in paragraphs] == [(SENTENCE * 2).strip().split(":")[0], "Second paragraph", "Third paragraph"]


def test_reader_comments_are_not_the_body_whatever_their_section_is_called():
    article = "".join(f"<p>{SENTENCE} Paragraph {n}.</p>" for n in range(4))
    comments = "".join(f'<dl><dt>by reader{n} July 24, 2012</dt><dd id="body_{n}"><p>{SENTENCE * 2}</p></dd></dl>'
                       for n in range(6))  # more text than the article
    page = (f"<html><body><div id='contentBody'>{article}</div>"
            f"<div id='userComments'><div id='commentWrapper'>{comments}</div></div></body></html>")
    body = _body(page)
    assert body.count("Paragraph") == 4 and "reader" not in body
    marked = (f"<html><body><article>{article}</article><ol>"
              + "".join(f'<li class="comment"><cite>reader{n}</cite><p>{SENTENCE * 2}</p></li>' for n in range(6))
              + "</ol></body></html>")
    assert _body(marked).count(SENTENCE) == 4  # comments the comment reader finds: set aside too


def test_a_posts_topic_classes_do_not_make_it_furniture():
    post = "".join(f"<p>{SENTENCE} Paragraph {n}.</p>" for n in range(4))
    page = ('<html><body><div id="content"><div class="post-22 post type-post category-social-media tag-promo hentry">'
            f'<div class="entry">{post}</div></div></div><div class="sidebar"><p>About me: I write about social media '
            'for small businesses, and this is my blog, which I keep in my free time.</p></div></body></html>')
    body = _body(page)
    assert body.count("Paragraph") == 4 and "About me" not in body


def test_a_sidebar_holding_more_text_than_the_article_is_still_furniture():
    article = "".join(f"<p>{SENTENCE} Paragraph {n}.</p>" for n in range(6))
    recent = "".join(f"<li><p>Reader comment {n}: {SENTENCE * 2}</p></li>" for n in range(8))
    page = f"<html><body><div class='post'>{article}</div><div id='sidebar'><ul>{recent}</ul></div></body></html>"
    body = _body(page)
    assert body.count("Paragraph") == 6 and "Reader comment" not in body
    short = page.replace(article, f"<p>{SENTENCE}</p>")  # too little left: read again, leniently
    assert "Reader comment" in _body(short)


def test_a_short_byline_goes_but_a_byline_wrapping_the_article_is_the_article():
    text = f"<p>{SENTENCE * 3}</p>" * 3
    assert "By Ann Lee" not in _body(f"<html><body><article><div class='byline'>By Ann Lee</div>{text}</article></body></html>")
    wrapped = (f"<html><body><div class='post-body'><span class='byline-author'>Posted by Ann Lee<br>"
               f"{SENTENCE * 4}<br><br>{SENTENCE * 4}</span></div><div class='blog-archive'><p>{SENTENCE}</p></div></body></html>")
    assert _body(wrapped).count(SENTENCE.strip()) == 8


def test_hidden_elements_and_the_headline_are_not_body_text_but_repeated_paragraphs_are():
    metadata = '<div style="display:none" itemscope><div itemprop="headline">Harbour budget</div><div>2019-11-13</div></div>'
    page = (f"<html><body><article><h1>Harbour budget passes</h1>{metadata}<p>{SENTENCE * 2}</p>"
            f"<p>{SENTENCE * 2}</p></article></body></html>")
    body = _body(page)
    assert body.split("\n\n") == [(SENTENCE * 2).strip()] * 2  # both copies: the page prints both


def test_a_page_of_a_few_short_lines_gives_them():
    assert _body("<html><body><main><section><div><div>Lorem ipsum dolor sit amet.</div></div></section></main></body></html>") \
        == "Lorem ipsum dolor sit amet."
    assert _body("<html><body>Test</body></html>") == "Test"


def test_a_page_that_sends_the_browser_on_at_once_has_no_body_but_a_long_one_keeps_its_own():
    # (the Internet Archive's 2008 home page: a refresh to index.php and a line for browsers that stay)
    notice = ('<img src="/images/logoc.jpg"/><br/>Please visit our website at:\n'
              '<a href="http://www.archive.org">http://www.archive.org</a>')
    refresh = '<meta http-equiv="Refresh" content="0;URL=http://www.archive.org/index.php"/>'
    assert _body(f"<html><head>{refresh}</head><body>{notice}</body></html>") == ""
    assert _body(f"<html><head>{refresh.replace('0;', '300;')}</head><body>{notice}</body></html>").startswith("Please visit")
    article = "".join(f"<p>{SENTENCE * 2}</p>" for _ in range(4))
    assert _body(f"<html><head>{refresh}</head><body><article>{article}</article></body></html>").count("council") == 8
