"""Headlines of the related and recommended articles a saved page links to.

A headline is the text of a link of four to thirty words (or ten characters or more in a script
written without spaces) to another page. The page's links are grouped by the nearest element
holding two or more of them (a lone link is its own group). A group gives related headlines when

- it, or an element just around it, is named as related in its class or id ("related-posts",
  "recommendations", "recirculation", "more-stories", ...), or titled so by a heading inside it or
  just before it ("Related", "More on this story", "Lesen Sie auch", "Mehr zum Thema", "Leia
  também", "Читайте также", "関連記事", ...), or
- it sits among the article's paragraphs: a card or a list of up to three links to the same site
  standing apart from the text; or, in the article's own element, a paragraph led by "Related:",
  "More:", "Read more:" and the like;

and it is not navigation (``nav``, ``header``, ``footer``, menus) nor a ranking of the whole site
("Most read", "Trending", "Latest", "Popular"). Links to the page itself (or its own images and next pages) are passed over.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from ..normalize import clean_line
from .html_body import Body, Label
from .nesting import ancestors

_MOST_WORDS, _FEWEST_WORDS = 30, 4
_FEWEST_CHARACTERS = 10  # in scripts written without spaces
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_FRAMES = frozenset({"nav", "header", "footer"})
# Generic class and id words of a box of other articles (the body's "related" words are specific).
_RELATED_NAME = re.compile(r"recirc|read[-_]?next|up[-_]?next|more[-_]?news|other[-_]?news|similar|suggest|also[-_]", re.I)
# Class and id words of the site's own rankings and menus.
_SITE_NAME = re.compile(r"popular|featured|(?:^|[\s_-])most(?:$|[\s_-]|[A-Z])|most-?(?:read|view|shared|comment)|trending|latest|newest|"
                        r"ranking|ticker|breaking|menu|navbar|sitemap", re.I)
# What titles a box of related articles, in the languages the pages come in.
_RELATED_TITLE = re.compile(
    r"related|more on |more from|more about|read more|read also|also read|see also|you may also|you might also|"
    r"recommended|read next|up next|more stories|more news|further reading|"
    r"mehr zum thema|mehr aus|mehr zu |lesen sie auch|auch interessant|könnte sie auch|weitere artikel|mehr nachrichten|"
    r"à lire aussi|lire aussi|sur le même sujet|à voir aussi|dans la même rubrique|"
    r"te puede interesar|leer más|lee también|relacionad|más noticias|también te puede|"
    r"leia também|veja também|mais notícias|leggi anche|potrebbe interessarti|correlat|"
    r"czytaj (?:też|także|również)|powiązane|polecane|zobacz (?:też|także)|lees ook|meer over|gerelateerd|"
    r"читайте также|читайте також|по теме|похожие|другие новости|інші новини|"
    r"mohlo by vás zajímat|související|čtěte také|ilgili haber|benzer haber|ilginizi|"
    r"関連|相关|相關|관련", re.I)
_SITE_TITLE = re.compile(
    r"most read|most popular|most viewed|popular|trending|latest|top stories|breaking|"
    r"meistgelesen|meist gelesen|meistkommentiert|neueste|"
    r"lo más|más leíd|más vist|mais lid|più lett|najnowsze|najczęściej|popularne|"
    r"популярн|самое|найпопулярніш|останні|en çok|son dakika|en son|"
    r"人気|ランキング|最新|热门|많이 본", re.I)
_BOX_TITLE = re.compile(f"(?:{_SITE_TITLE.pattern}|{_RELATED_TITLE.pattern}|more articles|más artículos|mais artigos|weitere)", re.I)
# A paragraph that introduces a related article: "Related: <link>", "MORE: <link>".
_LEAD_IN = re.compile(
    r"(?:^|\W)(?:related|more|read more|read also|also read|see also|recommended|lesen sie auch|mehr zum thema|auch interessant|"
    r"lire aussi|à lire aussi|leer más|lee también|leia também|veja também|leggi anche|czytaj (?:też|także)|"
    r"читайте также|читайте також|по теме)\s*[:：]\s*$", re.I)
_SHARE_LINK = re.compile(r"^\w+:(?!//)|/share|sharer|intent/tweet|whatsapp|pinterest\.com/pin|linkedin\.com/share", re.I)
_HEADING = "h1, h2, h3, h4, h5, h6, [class*=title], [class*=Title], [class*=head], [class*=Head]"
_ABOVE = 5  # elements above a group looked at for its name
_TITLE_WORDS = 6  # a box's title is short
_MOST_IN_TEXT = 3  # links of a card or list set among the article's paragraphs (more: a slider, a menu)


def related(labels: list[Label], article: Body, url: str | None, title: str) -> list[str]:
    """The headlines of the related and recommended articles the page links to, in page order;
    ``article`` is the page's text, ``url`` its address and ``title`` its headline."""
    page = article.page
    if page is None:
        return []
    site = urlsplit(url).hostname if url and "://" in url else None
    own = urlsplit(url).path.rstrip("/") if site else None
    links: list[tuple[LexborNode, str, str]] = []
    for link, text in page.links.values():
        if not _FEWEST_CHARACTERS <= len(text) <= 600:  # (most links: a word or two, at once)
            continue
        text = clean_line(text)
        if not _headline(text) or text == title or _BOX_TITLE.match(text):  # (a box's title linking to more of it)
            continue
        href = (link.attributes.get("href") or "").strip()
        if (not href or href.startswith(("#", "javascript:", "mailto:")) or _SHARE_LINK.search(href)
                or (own and _same_site(href, site) and _within(href, own))):
            continue
        links.append((link, text, href))
    if not links:
        return []
    named = {label.node.mem_id: label for label in labels}
    groups = _groups([link for link, _, _ in links], page.parents)
    between, inside = article.around([link for link, _, _ in links])
    linked: dict[int, int] = {}  # each group's headline text
    count: dict[int, int] = {}
    for link, text, _ in links:
        owner = groups[link.mem_id].mem_id
        linked[owner] = linked.get(owner, 0) + len(text)
        count[owner] = count.get(owner, 0) + 1
    verdicts: dict[int, bool | None] = {}
    found: list[str] = []
    for link, text, href in links:
        owner = groups[link.mem_id]
        key = owner.mem_id
        if key not in verdicts:
            verdicts[key] = _related_box(owner, named, linked[key])
        verdict = verdicts[key]
        if verdict is None and link.mem_id in inside and _same_site(href, site):
            verdict = (link.mem_id in between and count[key] <= _MOST_IN_TEXT and _stands_apart(link, text)
                       or _led_in(link, text))
        if verdict and text not in found:
            found.append(text)
    return found


def _headline(text: str) -> bool:
    words = len(text.split())
    return _FEWEST_WORDS <= words <= _MOST_WORDS or (
        words < _FEWEST_WORDS and len(text) >= _FEWEST_CHARACTERS and bool(_UNSPACED.search(text)))


def _groups(links: list[LexborNode], parents: dict[int, int]) -> dict[int, LexborNode]:
    """Each link's group: the nearest element above it holding two or more of the links (up to a
    few levels), else its parent."""
    counts: dict[int, int] = {}
    chains: list[list[int]] = []
    for link in links:
        chain: list[int] = []
        mem_id = parents.get(link.mem_id)
        while mem_id is not None and len(chain) < 6:
            chain.append(mem_id)
            counts[mem_id] = counts.get(mem_id, 0) + 1
            mem_id = parents.get(mem_id)
        chains.append(chain)
    owners: dict[int, LexborNode] = {}
    for link, chain in zip(links, chains):
        level = next((n for n, mem_id in enumerate(chain) if counts[mem_id] >= 2), 0)
        node = link.parent
        for _ in range(level):
            node = node.parent if node is not None else None
        owners[link.mem_id] = node if node is not None else link
    return owners


def _related_box(owner: LexborNode, named: dict[int, Label], linked: int) -> bool | None:
    """True for a box of related links, False for navigation or a ranking of the site, None when
    nothing says which; ``linked`` is the length of the box's headlines. The box and the elements
    around it are read from the nearest out: the first that a heading or a specific name calls
    related articles or a ranking decides; a generic name ("recirculation", "more-news") counts
    when nothing decides. (A heading titles a box only when the box is mostly its links and their
    teasers: a heading above an article's text titles the text.)"""
    generic = False
    node: LexborNode | None = owner
    for level in range(_ABOVE + 1):
        if node is None or node.tag in {"body", "html"}:
            break
        if node.tag in _FRAMES:
            return False
        label = named.get(node.mem_id)
        attributes = node.attributes
        name = f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
        title = _title(node) if level < 2 else ""
        if title and len(node.text()) > 6 * linked + 300:
            title = ""
        if _SITE_NAME.search(name) or (title and _SITE_TITLE.search(title)):
            return False
        if (label is not None and label.related) or (title and _RELATED_TITLE.search(title)):
            return not any(ancestor.tag in _FRAMES for ancestor in ancestors(node))
        generic = generic or bool(_RELATED_NAME.search(name))
        node = node.parent
    if generic and not any(ancestor.tag in _FRAMES for ancestor in ancestors(owner)):
        return True
    return None


def _title(box: LexborNode) -> str:
    """The heading inside a box before its first link, else the heading just before the box."""
    heading = box.css_first(_HEADING)
    if heading is not None:
        text = clean_line(heading.text(separator=" "))
        if len(text.split()) <= _TITLE_WORDS:  # (not the first teaser's headline)
            return text
    previous = box.prev
    while previous is not None and previous.tag in {"-text", "-comment"}:
        previous = previous.prev
    if previous is not None and previous.tag in {"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong"}:
        text = clean_line(previous.text(separator=" "))
        if len(text) <= 80:
            return text
    return ""


def _stands_apart(link: LexborNode, text: str) -> bool:
    """True for a link that is (nearly) all of the text of the block holding it: a card, not a
    link inside a sentence."""
    return len(_block_text(link)) <= len(text) * 1.25 + 10


def _led_in(link: LexborNode, text: str) -> bool:
    """True for a link after "Related:", "MORE:" and the like, at the start of its paragraph."""
    block = _block_text(link)
    return bool(_LEAD_IN.search(block[:max(0, block.find(text))][-40:]))


def _block_text(link: LexborNode) -> str:
    node = link.parent
    while node is not None and node.tag not in {"p", "div", "li", "td", "h2", "h3", "h4", "h5", "h6", "section", "article", "body"}:
        node = node.parent
    return clean_line(node.text(separator=" ")) if node is not None else ""


def _same_site(href: str, site: str | None) -> bool:
    if "://" not in href and not href.startswith("//"):
        return True
    host = urlsplit(href if "://" in href else f"http:{href}").hostname or ""
    return site is not None and (host == site or host.endswith(f".{site.removeprefix('www.')}")
                                 or site.endswith(f".{host.removeprefix('www.')}"))


def _within(href: str, own: str) -> bool:
    """True for a link to the page itself or to a part of it ("/story/123/2", its images)."""
    path = urlsplit(href if "://" in href or href.startswith("//") else f"http://site{href if href.startswith('/') else '/' + href}").path
    path = path.rstrip("/")
    return bool(own) and (path == own or path.startswith(f"{own}/"))
