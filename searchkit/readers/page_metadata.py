"""What a saved news page says about its article: headline, dates, authors, tags and the rest.

Sources, best first: JSON-LD (NewsArticle and kin, in ``@graph``, lists and ``mainEntity``),
OpenGraph and ``article:*`` meta, other ``<meta>`` names, microdata, ``<time datetime>``,
``<link rel=canonical>``, ``<html lang>``, and as a last resort the page's visible byline and tag
list (which also wins over one or two declared tags that it holds: those are often only the
section). Values are cleaned of what content systems leave in them: site-name suffixes, HTML
entities, doubly encoded UTF-8, e-mail addresses, URL slugs and the publication itself standing
in for authors, ids and internal labels among tags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urlsplit

import orjson
from selectolax.lexbor import LexborHTMLParser

from ..normalize import clean_line, repair_mojibake, split_names, unique
from . import html_dates
from .nesting import ancestors

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting", "webpage"}
_SITE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_TIGHT_SEPARATORS = ("｜", "：", "|", " *")  # only stripped when what follows names the site
_DATE_LIKE = re.compile(r"[\d\s./:-]+")
_LIST_SPLIT = re.compile(r"\s*[,;]\s*")
_CJK_WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+(?:\s+[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+)+")
_ID_LIKE = re.compile(r"^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[\w-]+(?:\.[\w-]+)+)$", re.I)
_LABELLED = re.compile(r"^([A-Za-z][A-Za-z ]{0,24}):\s*(.+)$")
_TAG_LABELS = {"category", "subject", "topic", "topics", "tag", "tags", "keyword", "keywords"}
_PATH_TAG = re.compile(r"^[a-z]+/(.+)$")
# A word of a class or id (camelCase words count: "articleTags"), naming a list of tags.
_TAG_BOX = re.compile(r"(?-i:^|[^a-zA-Z]|(?<=[a-z])(?=[A-Z]))(?:tags?|tag-?list|topics?|topic-?list|keywords|schlagworte|themen)"
                      r"(?-i:(?=$|[^a-z]))", re.I)
_SHARE_LINK = re.compile(r"^mailto:|facebook\.com/|twitter\.com/|//x\.com/|whatsapp|linkedin\.com/|pinterest\.", re.I)
_FEW_TAGS = 2  # declared tags this few may be only a section: a visible list holding them may be fuller
_FRAME_BOX = re.compile(r"header|footer|navigation|navbar|menu|sidebar", re.I)
_TAG_PAGE = re.compile(r"/(?:tags?|topics?|thema|themen|schlagworte?|stichworte?|keywords?|temas?|argomenti|sujets?)/[^/?#]+/?(?:[?#]|$)", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_ROLE_SUFFIX = re.compile(r"\s+(?:기자|記者|특파원)$")
_PAREN_TAIL = re.compile(r"\s*\([^()]{1,12}\)$")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
_BYLINE_BOX = re.compile(r"(?:^|[\s_-])(?:author|authors|authorname|byline|autor|autoren)(?=$|[\s_-])", re.I)
_MAYBE_BYLINE = "[class*=author i], [class*=byline i], [class*=autor i]"  # (the elements _BYLINE_BOX may name)
_AUTHOR_PAGE = re.compile(r"/(?:author|authors|autor|autoren|auteur|autore|autores)/[^?#]*[^/?#\s]", re.I)
_MOST_AUTHORS = 4
_WRITTEN_BY = re.compile(r"written by|author|geschrieben von|verfasst von|autor(?:in)?|écrit par|escrito por|scritto da", re.I)
_NAME_WORDS = 5
_LD_DEPTH = 8  # JSON-LD lists and objects read this deep, no deeper
_BY_WORDS = {"by", "von", "par", "por", "di", "de", "door", "av", "af", "autor", "autorin", "autorin/autor", "author"}


class PageMetadata:
    """The metadata of one page, each field from the best source that has it."""

    def __init__(self, tree: LexborHTMLParser) -> None:
        ld, ld_objects = _json_ld(tree)
        metas: dict[str, list[str]] = {}
        for node in tree.css("meta"):
            key = (node.attributes.get("property") or node.attributes.get("name") or node.attributes.get("itemprop") or "").lower()
            value = node.attributes.get("content")
            if key and value:
                metas.setdefault(key, []).append(repair_mojibake(value))

        def meta(*keys: str) -> str | None:
            return next((metas[k][0] for k in keys if metas.get(k)), None)

        self.site = _text(ld.get("publisher")) or meta("og:site_name", "application-name")
        canonical = tree.css_first("link[rel=canonical]")
        self.url = (canonical.attributes.get("href") if canonical else None) or meta("og:url") or _text(ld.get("url"))
        host = urlsplit(self.url).hostname if self.url and "://" in self.url else None
        self.source = self.site or host
        self.title = strip_site(
            _text(ld.get("headline")) or meta("og:title", "twitter:title", "headline") or _first_text(tree, "h1")
            or _first_text(tree, "title") or "",
            self.site,
        )
        self.published = html_dates.declared(ld, ld_objects, metas, tree)
        self.authors = _authors(ld, metas, tree, [self.site, host])
        self.section = _text(ld.get("articleSection")) or meta("article:section", "section", "category")
        self.tags = _tags(ld, metas, tree)
        root = tree.css_first("html")
        self.language = (_text(ld.get("inLanguage")) or (root.attributes.get("lang") if root else None)
                         or meta("og:locale", "language", "content-language"))
        self.body = _text(ld.get("articleBody"))


def strip_site(title: str, site: str | None) -> str:
    """The headline without site-name suffixes (" - BBC News", " | Börsen-Zeitung", "：朝日新聞デジタル",
    " | DW | 28.04.2023")."""
    title = clean_line(title)
    while True:  # a date after the site name goes first, then the name
        head, tail = _strip_suffix(title, site)
        if tail is None:
            return title
        title = head
        if not _DATE_LIKE.fullmatch(tail):
            return title


def _strip_suffix(title: str, site: str | None) -> tuple[str, str | None]:
    """The title without one site-name suffix, and the suffix (None when there is none)."""
    for separator in _SITE_SEPARATORS + _TIGHT_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if not found or not head.strip() or len(tail) > 40:
            continue
        tail = tail.strip()
        named = bool(site) and bool(tail) and (tail.lower() in site.lower() or site.lower() in tail.lower())
        # Without a site name to compare, a short suffix of capitalised words reads as one.
        capitalised = len(tail.split()) <= 3 and all(word[:1].isupper() or word[:1].isdigit() for word in tail.split())
        if named or (separator in _SITE_SEPARATORS and capitalised):
            return head.strip(), tail
        if separator in _SITE_SEPARATORS:
            break
    return title, None


def _authors(ld: dict, metas: dict[str, list[str]], tree: LexborHTMLParser, site_names: list[str | None]) -> list[str]:
    """The first source naming someone other than the publication itself (people, or agencies
    such as "dpa"); the publication stands as author only when nobody else is named."""
    publication: list[str] = []
    for source in (
        lambda: _author_names(ld.get("author") if isinstance(ld.get("author"), list) else [ld.get("author")]),
        lambda: _author_names(v for key in ("article:author", "author", "dc.creator", "parsely-author", "sailthru.author",
                                            "twitter:misc:written by", *_written_by(metas)) for v in metas.get(key, [])),
        lambda: _author_names(node.text(separator=" ")
                              for node in _article(tree).css("[itemprop=author] [itemprop=name], [rel=author]")),
        lambda: _byline(tree),
        lambda: _author_links(tree),
        lambda: _signature(tree),
    ):
        found = source()  # read only as far as needed: most pages name their authors in metadata
        people = _people(found, site_names)
        if people:
            return people
        publication += found
    return unique(publication)


def _written_by(metas: dict[str, list[str]]) -> list[str]:
    """The twitter:dataN meta that twitter:labelN calls the writer (as Yoast and others label it)."""
    return [f"twitter:data{n}" for n in range(1, 5)
            if any(_WRITTEN_BY.fullmatch(label.strip()) for label in metas.get(f"twitter:label{n}", []))]


def _people(found: list[str], site_names: list[str | None]) -> list[str]:
    """The names that are not the publication's; beside a name, a long "name" describes someone."""
    others = [name for name in found if not _is_site(name, site_names)]
    return [name for name in others if len(name.split()) <= _NAME_WORDS] or others


def _author_names(values) -> list[str]:
    names = []
    for value in values:
        text = _text(value)
        if not text or "://" in text:
            continue
        for name in split_names(_EMAIL.sub("", text)):
            name = _ROLE_SUFFIX.sub("", _PAREN_TAIL.sub("", name)).strip()
            if len(name) > 1 and not name.startswith("(") and not name.isdigit() and len(name) <= 80 and not _SLUG.fullmatch(name):
                names.append(name)
    return unique(names)


def _byline(tree: LexborHTMLParser) -> list[str]:
    """The people named by the page's visible byline: the first short element whose class names an
    author and whose lines read like people's names."""
    for node in (tree.body or tree.root).css(_MAYBE_BYLINE):
        if not _names_author(node.attributes.get("class") or ""):
            continue
        text = node.text(separator="\n")
        if 1 < len(text.strip()) <= 120 and not any("comment" in (a.attributes.get("class") or "") for a in ancestors(node)):
            lines = (clean_line(line) for line in text.split("\n"))
            names = [name for name in _author_names(line for line in lines if line and line.casefold() not in _BY_WORDS)
                     if _reads_as_person(name)]
            if names:
                return names
    return []


def _author_links(tree: LexborHTMLParser) -> list[str]:
    """The people the article links to by their author pages (".../author/jane-doe/", the
    WordPress way), outside comments."""
    names = []
    for link in _article(tree).css("a[href]"):
        if _AUTHOR_PAGE.search(link.attributes.get("href") or "") and not any(
                "comment" in (a.attributes.get("class") or "") for a in ancestors(link)):
            name = clean_line(link.text(separator=" "))
            if _reads_as_person(name):
                names.append(name)
    return unique(names)[:_MOST_AUTHORS]


def _signature(tree: LexborHTMLParser) -> list[str]:
    """A paragraph that is nothing but a name in bold, as some papers sign their articles (not in
    capitals, which is how bold subheadings read)."""
    for paragraph in _article(tree).css("p"):
        bold = paragraph.css_first("strong, b")
        if bold is not None:
            signed = clean_line(bold.text(separator=" "))
            names = re.split(r"\s*/\s*", signed)
            shouted = not any(c.islower() for c in signed) and any(c.isupper() for c in signed)
            if signed == clean_line(paragraph.text(separator=" ")) and not shouted and all(map(_reads_as_person, names)):
                return names
    return []


def _reads_as_person(name: str) -> bool:
    """Two to four words, each starting with a capital (or a letter of a script without case)."""
    words = name.split()
    return 2 <= len(words) <= 4 and not any(c.isdigit() or c in "?!:;" for c in name) and all(
        word[0].isalpha() and (word[0].isupper() or word[0].lower() == word[0].upper()) for word in words)


@lru_cache(maxsize=16384)
def _names_author(label: str) -> bool:
    return bool(_BYLINE_BOX.search(label))


def _is_site(name: str, site_names: list[str | None]) -> bool:
    """True for a byline that names the publication itself ("STERN.de", "mdr.de", "n-tv NACHRICHTEN")."""
    key = re.sub(r"\W+", "", name.casefold())
    for site in site_names:
        site_key = re.sub(r"\W+", "", (site or "").casefold().removeprefix("www."))
        if key and site_key and (key in site_key or site_key in key):
            return True
    return False


def _tags(ld: dict, metas: dict[str, list[str]], tree: LexborHTMLParser) -> list[str]:
    """The page's keywords from the fullest declared list, cleaned; else its visible tag list."""
    declared = [
        _split_list(ld.get("keywords")) + _split_list(metas.get("article:tag")),
        _split_list(metas.get("news_keywords")),
        _split_list(metas.get("keywords")),
        _split_list([v for key in ("parsely-tags", "sailthru.tags", "custom-keywords", "classification-tags") for v in metas.get(key, [])]),
    ]
    tags = _clean_tags(next((found for found in declared if len(found) > 1), None) or next((found for found in declared if found), []))
    if len(tags) > _FEW_TAGS:
        return tags
    visible = _clean_tags(_visible_tags(tree))  # the fuller list, when it holds the few declared tags
    return visible if {tag.casefold() for tag in tags} <= {tag.casefold() for tag in visible} else tags


def _split_list(value) -> list[str]:
    """Keyword strings and lists, each item split on commas and semicolons."""
    items = value if isinstance(value, list) else [value] if value else []
    parts = [part for item in items if isinstance(item, str) for part in _LIST_SPLIT.split(html.unescape(item))]
    # Chinese and Japanese put no spaces inside a phrase: there, a space separates keywords.
    return [word for part in parts for word in (part.split() if _CJK_WORDS.fullmatch(part) else [part])]


def _clean_tags(tags: list[str]) -> list[str]:
    """Drop ids, domains and internal labels; "Category: Wine" reads as "Wine" when such labels are the custom."""
    labelled = sum(1 for tag in tags if _LABELLED.match(tag)) >= 2
    cleaned = []
    for tag in tags:
        tag = clean_line(repair_mojibake(tag))
        match = _LABELLED.match(tag) if labelled else None
        if match:
            if match.group(1).lower() not in _TAG_LABELS:
                continue
            tag = match.group(2)
        path = _PATH_TAG.match(tag)
        tag = path.group(1) if path else tag
        if len(tag) > 1 and "_" not in tag and not tag.startswith("/") and not _ID_LIKE.match(tag):
            cleaned.append(tag)
    return unique(cleaned)


def _visible_tags(tree: LexborHTMLParser) -> list[str]:
    """The article's visible tag list: the links of an element whose class, id, test id or data
    attribute names tags or topics; else the article's links to tag pages (``/tag/…``,
    ``/topics/…``, ``/thema/…``); else such an element after the article (some pages keep the
    list there), outside the page's navigation, header, footer and sidebars."""
    article = _article(tree)
    links = _tag_box(article, inside_article=True)
    if links is None:
        links = [_link_text(a) for a in article.css("a[href]")
                 if _TAG_PAGE.search(a.attributes.get("href") or "") and not _in_page_frame(a)]
        links = [text for text in links if 0 < len(text) <= 60][:30]
    if not links and article is not tree.body and tree.body is not None:
        links = _tag_box(tree.body, inside_article=False) or []
    return links


def _tag_box(scope, inside_article: bool) -> list[str] | None:
    """The links of the first tag box under ``scope`` (None when there is none)."""
    for box in scope.css("*"):
        if box.tag == "a" or not _TAG_BOX.search(_box_label(box)) or not inside_article and _in_page_frame(box, strict=True):
            continue  # (a link named "tag" is one tag, not the list)
        anchors = box.css("a")
        hrefs = [a.attributes.get("href") or "" for a in anchors]
        if any(_SHARE_LINK.search(href) for href in hrefs):
            continue  # share buttons and bylines' contact links: not a tag list
        links = [_link_text(a) for a, href in zip(anchors, hrefs) if not href.startswith("#")]  # not skip links
        if 0 < len(links) <= 30 and all(0 < len(text) <= 60 for text in links):
            return links
    return None


def _link_text(link) -> str:
    return clean_line(link.text(separator=" "))


def _box_label(node) -> str:
    """What an element's markup calls it: its class, id and test id, and its data attributes' names."""
    attributes = node.attributes
    return " ".join([attributes.get("class") or "", attributes.get("id") or "", attributes.get("data-testid") or "",
                     *(name for name in attributes if name.startswith("data-"))])


def _in_page_frame(node, strict: bool = False) -> bool:
    """True inside the page's navigation, header or footer (``strict``: also inside sidebars and
    elements whose class or id names one of these)."""
    for parent in ancestors(node):
        if parent.tag in {"nav", "header", "footer"} or strict and (
                parent.tag == "aside" or _FRAME_BOX.search(f"{parent.attributes.get('class') or ''} {parent.attributes.get('id') or ''}")):
            return True
    return False


def _article(tree: LexborHTMLParser):
    return tree.css_first("article") or tree.css_first("main") or tree.body or tree.root


def _json_ld(tree: LexborHTMLParser) -> tuple[dict, list[dict]]:
    """The first article-like JSON-LD object of the page (or {}), and every JSON-LD object."""
    objects = []
    for node in tree.css("script[type='application/ld+json']"):
        raw = node.text().strip().removeprefix("<![CDATA[").removesuffix("]]>")
        try:
            objects.extend(_ld_items(orjson.loads(raw)))
        except orjson.JSONDecodeError:
            continue
    for item in objects:
        kinds = item.get("@type")
        kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
        if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds) and item.get("headline"):
            return item, objects
    return {}, objects


def _ld_items(data) -> Iterator[dict]:
    """The objects of a JSON-LD document in document order: itself, its list items, ``@graph``
    and ``mainEntity`` (to a bounded depth: hostile pages nest lists thousands deep)."""
    pending = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if depth > _LD_DEPTH:
            continue
        if isinstance(value, list):
            pending.extend((item, depth + 1) for item in reversed(value))
        elif isinstance(value, dict):
            yield value
            if isinstance(value.get("mainEntity"), dict):
                pending.append((value["mainEntity"], depth + 1))
            if isinstance(value.get("@graph"), list):
                pending.append((value["@graph"], depth + 1))


def _text(value, depth: int = 0) -> str | None:
    """A plain string from a JSON-LD value (a string, a number, an object with a name, a list);
    publishers often leave HTML entities and doubly encoded UTF-8 in JSON-LD strings, so those are decoded."""
    if depth > _LD_DEPTH:
        return None
    if isinstance(value, str):
        return repair_mojibake(html.unescape(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, dict):
        return _text(value.get("name"), depth + 1)
    if isinstance(value, list) and value:
        return _text(value[0], depth + 1)
    return None


def _first_text(tree: LexborHTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    return node.text(separator=" ").strip() if node else None
