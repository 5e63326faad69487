"""Plain-text captures of news pages: a page saved or copied as text, chrome and all.

Three kinds of capture, told apart by their lines. A whole page as a renderer drew it (w3m, lynx,
a browser's select-all copy: many lines of site furniture, see capture_lines.py) is read from
around its article's text: the headline above it, the dateline and byline beside the headline,
tags and related headlines just below, the comment thread after it. A plain article (its first
line plain text: a wire story, a `.txt` export) has that line as its title and the rest as its
body, with any byline, dateline and labelled lines read as such. Other short captures (like the
seed) are read whole, from the shape of lines: a header (headline, dateline, byline, section,
image captions), prose paragraphs, lists of related headlines, a tag line, and a comment thread.
Page chrome ("Get short URL", "Show comment", share buttons, newsletter prompts) is recognised by
phrase, even when a capture runs several together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..dates import DATE_WORDS, parse_date
from ..errors import ReadError
from ..model import Article, Comment, build
from ..normalize import AUTHOR_LABELS, BY_WORDS, COLON_LABELS, clean_line, continues, join_wrapped, split_names
from .capture_lines import (
    Line, article_span, byline, capture_lines, headline, is_credit, published, split_lines, writes_day_first,
)
from .encoding import decode

# Latin look-alikes from Cyrillic and Greek, so "Сomment" (Cyrillic С) reads as chrome too.
_HOMOGLYPHS = str.maketrans("АВСЕНІКМОРТХаеорсухіΑΒΕΗΙΚΜΝΟΡΤΧΥΖοі", "ABCEHIKMOPTXaeopcyxiABEHIKMNOPTXYZoi")
_UI_PHRASES = [
    r"get short url", r"short url", r"share( this( article| story| page)?)?( on \w+)?", r"tweet", r"e-?mail",
    r"print", r"copy link", r"comments?", r"all comments", r"community standards", r"discussion",
    r"comment via \w+", r"show new comments( \(\d+\))?", r"(show|load|view) (more|all|older|newer) comments",
    r"show comment", r"hide comment", r"avatar", r"reply", r"like", r"report( abuse)?", r"advertisement",
    r"advert", r"skip advert", r"read more", r"follow( us)?", r"subscribe", r"sign in", r"log ?in", r"register",
    r"listen to this article", r"save( article)?", r"bookmark", r"\d+ min(ute)?s? read", r"facebook",
    r"twitter", r"whatsapp", r"telegram", r"linkedin", r"reddit", r"more", r"close", r"menu", r"search",
    r"back to top", r"skip to (main )?content", r"sponsored", r"\(\d+\)",
]
_UI_LINE = re.compile(r"(?:[•·|*>-]?\s*(?:" + "|".join(_UI_PHRASES) + r")\s*[|·•]?\s*)+", re.I)
_PROMO = re.compile(
    r"never miss a (story|thing)|sign up (to|for) (our|the)|subscribe to (our|the)|follow us on|"
    r"our (telegram|whatsapp) channel|(our|the) newsletter|download (our|the) app|join us on|"
    r"support (our|independent) journalism",
    re.I,
)
_COMMENTS_MARK = re.compile(
    r"(?:[•*-]\s*)?(?:(?:all|reader|readers'?|user|show|latest|top) )?comments?(?: \(\d+\))?:?"
    r"|\d+ (?:comments?|responses?|replies)|(?:join|start) the (?:conversation|discussion)"
    r"|what (?:do )?(?:you|readers) (?:think|say)\??|discussion",
    re.I,
)
_LABELLED = re.compile(
    r"(?P<label>tags|tagged|topics|related topics|keywords|filed under|subjects|themen|schlagworte"
    rf"|section|category|categories|rubrik|(?P<author>{BY_WORDS}|{AUTHOR_LABELS}|{COLON_LABELS})"
    r"|image caption|photo caption|caption|image source|photo|photograph|image|picture)\s*(?P<sep>[:,])\s*(?P<value>.+)",
    re.I,
)
_BYLINE = re.compile(rf"(?P<by>{BY_WORDS})\s+(?P<names>[^\W\d_].*)", re.I)
_CREDIT = re.compile(
    r"(?:©|\(c\)|copyright\b|photo\b|photograph\b|picture\b|image\b|credit\b|image source\b"
    r"|(?:additional )?(?:reporting|writing|editing|compiled|produced|edited) by\b)",
    re.I,
)
# Inserted and deleted text as w3m and lynx mark it: "[INS: word :INS]" keeps the word, "[DEL: ... :DEL]" goes.
_EDIT_MARKS = re.compile(r"\[INS:\s?|\s?:INS\]|\[DEL:[^\n]*?:DEL\]")
_CAPTION_CREDIT = re.compile(r"\s*\((?:credit|photo|image|picture|source)\s*:[^)]*\)\s*$", re.I)
_UPDATE = re.compile(r"(?:last )?(?:updated|modified|edited)\b", re.I)
_RELATED_MARK = re.compile(
    r"(?:related(?: stories| articles| content| coverage| news| reading)?|read more(?: about this)?|read also"
    r"|also read|more on this(?: story)?|see also|you may also like|you might also like|recommended(?: for you)?"
    r"|more stories|more from [\w ]+|more in [\w ]+|most read|top stories"
    # the same in other languages
    r"|(?:lesen sie|lest) auch|mehr zum thema|auch interessant|(?:à )?lire aussi|lee también|leer más"
    r"|leggi anche|ver também|leia também|zobacz (?:też|także)|läs också|les også|læs også|lees ook)\s*:?",
    re.I,
)
_BREADCRUMB = re.compile(r"\s+[›»>]\s+|\s+\|\s+")
_WORD = re.compile(r"[^\W\d_]+")
_BULLET = re.compile(r"[•*]\s*(?P<rest>.*)")
_REPLY = re.compile(
    r"(?P<author>\S.*?)\s*(?:in reply to|replied to|replying to|reply to|antwort an|en réponse à)\s*"
    r"(?P<reply>[^\s(]+)\s*(?:\(?\s*show comment\s*hide comment\s*\)?)?:?",
    re.I,
)
_NAME = re.compile(r"(?P<name>@?[\w.'-]+(?: [\w.'-]+){0,3}?)(?:\s*(?:wrote|said|says|commented)\s*:?)?", re.I)
_DATED_NAME = re.compile(r"(?P<name>[^,·|()]+?)\s*(?:[,·|—–-]|\()\s*(?P<when>.*\d.*?)\)?")
# A site's name after a headline ("Headline | wdr aktuell"), or a path of sections before it.
_SITE_SUFFIX = re.compile(r"\s+[|]\s+[^|]{1,40}$")
_STOPWORD_END = re.compile(r"\b(?:a|an|the|of|to|in|on|by|for|and|or|but|with|from|at|as|is|are|was|that)$", re.I)
_SENTENCE_END = re.compile(r"""[.!?…]["'”’)]?$""")


@dataclass(slots=True)
class _Line:
    kind: str  # text, date, byline, tags, taglist, section, caption, credit, related_mark, blank
    text: str
    value: object = None


MAX_BYTES = 20_000_000
# A capture without a paragraph of prose is still an article (a headline, a short note) unless it
# reads like a list or a data file: a "headline" longer than any headline, or many lines of it;
# so is a long file in which prose is rare (a data file with a paragraph about it at the top).
MAX_TITLE = 300
MAX_LINES_WITHOUT_PROSE = 20
MAX_LINES_PER_PROSE = 200
# A capture showing this many lines of site furniture is a whole rendered page, read from
# around its article's text; others (a copied article, a wire story) are read whole.
RENDERED_PAGE_FURNITURE = 10
HEAD_ABOVE = 2  # lines above a rendered page's headline that may hold its kicker or dateline
TAIL_LINES = 25  # lines below its text that may hold its tags and related headlines
BYLINE_REACH = 40  # lines before and into its text where a byline far from the headline may stand
DATES_AROUND = 200  # lines around its text whose dates tell the order of day and month


def read(data: bytes, path: str) -> Iterator[Article]:
    """Yield the one article of a plain-text page capture."""
    if len(data) > MAX_BYTES:
        raise ReadError(f"too large for a page capture ({len(data) / 1e6:.0f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")
    page = decode(data)
    raw = split_lines(_EDIT_MARKS.sub("", page) if "INS:" in page or "DEL:" in page else page)
    lines = [clean_line(line) for line in raw]
    rendered = capture_lines(raw, lines)
    cut = _comments_start(lines)
    if sum(line.furniture for line in rendered[:cut]) >= RENDERED_PAGE_FURNITURE:
        page, comments = _rendered_page(lines, rendered)
    else:
        order = writes_day_first(lines, [line.text for line in rendered if line.prose])
        kept = _unwrap(line.text for line in rendered[:cut] if not line.chrome and not _is_chrome(line.text))
        classified = [_classify(line, order) for line in kept]
        first = next((line for line in classified if line.kind != "blank"), None)
        plain = first is not None and first.kind == "text" and not _is_prose(first.text) and len(first.text) <= MAX_TITLE
        page = _Page(classified, title=first.text if plain else None)
        comments = lines[cut + 1:] if cut < len(lines) else []
    written = sum(map(bool, lines))
    if not page.paragraphs and (len(page.title) > MAX_TITLE or written > MAX_LINES_WITHOUT_PROSE):
        raise ReadError("no article text: not one paragraph of prose (a list or a data file?)")
    above = sum(map(bool, lines[:cut]))  # (a long thread of reader comments needs no prose of its own)
    if above > MAX_LINES_PER_PROSE and sum(line.prose for line in rendered) * MAX_LINES_PER_PROSE < above:
        raise ReadError(f"no article text: prose in fewer than one line in {MAX_LINES_PER_PROSE} (a list or a data file?)")
    yield build(
        path,
        title=page.title,
        body="\n\n".join(page.paragraphs),
        published=page.published,
        authors=page.authors,
        section=page.section,
        tags=page.tags,
        related_headlines=page.related,
        image_captions=page.captions,
        comments=_comments(comments) if comments else [],
    )


def _rendered_page(lines: list[str], rendered: list[Line]) -> tuple[_Page, list[str]]:
    """A whole page as a renderer drew it: the article is read from around its text (headline,
    dateline and byline above it, tags and related headlines just below), the rest is the site's."""
    start, end = article_span(rendered)
    cut = _comments_start(lines, start)
    end = min(end, cut)
    around = range(max(0, start - DATES_AROUND), min(len(lines), end + DATES_AROUND))
    prose = [lines[index] for index in around if rendered[index].prose]
    order = writes_day_first([lines[index] for index in around], prose)
    top = headline(rendered, start, end, order)
    head = start if top is None else top
    above = [index for index in range(head - 1, max(-1, head - 12), -1) if lines[index]][:HEAD_ABOVE]
    if above and not any(rendered[index].furniture for index in range(above[-1], head)):
        head = above[-1]
    page = _Page([])
    page.title = "" if top is None else _strip_site(lines[top])
    page.published = published(rendered, head if top is None else top, start, end, order)
    header = [index for index in range(head, start) if index != top and lines[index]]
    for line in (_classify(lines[index], order) for index in header):
        page._common(line)
    page.authors = _authors(lines, rendered, header, top, start, end, order)
    kept = [
        lines[index] if rendered[index].text else ""
        for index in range(start, end)
        if not rendered[index].furniture and not _is_chrome(lines[index]) and not is_credit(rendered[index])
    ]
    page._body([_classify(line, order) for line in _unwrap(kept)])
    page.paragraphs = list(dict.fromkeys(page.paragraphs))  # a caption or quote shown twice, once
    _read_tail(page, [_classify(line, order) for line in lines[end:end + TAIL_LINES] if not _is_chrome(line)])
    comments = []
    if cut < len(lines):
        _, thread_end = article_span(capture_lines(lines[cut + 1:], lines[cut + 1:]))
        comments = lines[cut + 1:cut + 1 + thread_end]
    return page, comments


def _authors(
    lines: list[str], rendered: list[Line], header: list[int], top: int | None, start: int, end: int, order: bool
) -> list[str]:
    """The names of the byline among the lines around the headline (below it, a line of names
    alone is one), else of the nearest line that says it is a byline ("By", a role, a date beside
    the names), above the headline or among the first paragraphs."""
    for index in header:
        plain = (top is None or index > top) and not rendered[index].chrome
        names = byline(lines[index], order, plain)
        if names:
            return names
    near = range(max(0, start - BYLINE_REACH), min(len(lines), end, start + BYLINE_REACH))
    for index in sorted(near, key=lambda index: abs(index - (start if top is None else top))):
        names = byline(lines[index], order, plain=False) if index != top and lines[index] else []
        if names:
            return names
    return []


def _unwrap(lines: Iterable[str]) -> list[str]:
    """Lines with those broken inside a sentence joined again (blank lines kept).

    A block whose breaks mostly fall inside sentences is hard-wrapped prose: it is one paragraph,
    even where a sentence happens to end at a break.
    """
    result: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line:
            block.append(line)
            continue
        breaks = [continues(a, b) for a, b in zip(block, block[1:])]
        if len(block) >= 3 and 2 * sum(breaks) >= len(breaks):
            result.append(" ".join(block))
        else:
            result.extend(join_wrapped(block))
        result.append("")
        block = []
    return result


def _skeleton(line: str) -> str:
    return line.translate(_HOMOGLYPHS).strip()


def _is_chrome(line: str) -> bool:
    if not line:
        return False
    skeleton = _skeleton(line)
    return bool(_UI_LINE.fullmatch(skeleton)) or (len(line) < 200 and bool(_PROMO.search(skeleton)))


def _is_prose(line: str) -> bool:
    return len(line.split()) >= 12 and bool(_SENTENCE_END.search(line))


def _strip_site(title: str) -> str:
    """A headline without the site's name beside it or the path of sections before it."""
    crumbs = _BREADCRUMB.split(title)
    if len(crumbs) > 2 and not _SITE_SUFFIX.search(title):
        return crumbs[-1]
    return _SITE_SUFFIX.sub("", title)


def _read_tail(page: _Page, lines: list[_Line]) -> None:
    """Tags and related headlines from the lines just below a rendered page's article text."""
    related_mode = False
    for line in lines:
        if line.kind == "related_mark":
            related_mode = True
        elif line.kind in {"tags", "taglist"}:
            page.tags.extend(line.value)
        elif related_mode and line.kind == "text" and _headline_like(line.text):
            page.related.append(line.text)
        elif line.kind != "blank":
            related_mode = False


def _comments_start(lines: list[str], start: int = 0) -> int:
    """Index of the line that opens the comment thread (after some prose from ``start`` on), or len(lines)."""
    seen_prose = False
    for index, line in enumerate(lines[start:], start):
        if seen_prose and len(line) <= 60 and _COMMENTS_MARK.fullmatch(_skeleton(line)):
            return index
        seen_prose = seen_prose or _is_prose(line)
    return len(lines)


def _classify(line: str, day_first: bool | None = None) -> _Line:
    if not line:
        return _Line("blank", line)
    words = line.split()
    labelled = _LABELLED.fullmatch(line)
    if labelled and (labelled["sep"] == ":" or labelled["label"].lower().startswith(("image", "caption"))):
        label, value = labelled["label"].lower(), labelled["value"]
        if label in {"section", "category", "categories", "rubrik"}:
            return _Line("section", line, value)
        if "caption" in label:
            return _Line("caption", line, _CAPTION_CREDIT.sub("", value))
        if label in {"photo", "photograph", "image", "picture", "image source"}:
            if len(value.split()) >= 6 and label != "image source":
                return _Line("caption", line, _CAPTION_CREDIT.sub("", value))
            return _Line("credit", line)
        if labelled["author"]:
            return _Line("byline", line, split_names(value))
        return _Line("tags", line, re.split(r"\s*[,;|]\s*", value))
    if len(words) <= 14 and not _SENTENCE_END.search(line) and "|" in line:
        parts = [_classify(part, day_first) for part in line.split("|")]
        if any(part.kind in {"date", "byline"} for part in parts):
            return _Line("group", line, parts)
    date = _dateline(line, day_first)
    if date:
        return _Line("date", line, date)
    byline = _BYLINE.fullmatch(line)
    if byline and len(words) <= 10 and not _SENTENCE_END.search(line) and ": " not in byline["names"] \
            and (byline["by"].islower() or not byline["names"][0].islower()):  # "Door de hitte …" opens a headline
        return _Line("byline", line, split_names(byline["names"]))
    if _CREDIT.match(line) and len(words) <= 12:
        return _Line("credit", line)
    if _RELATED_MARK.fullmatch(line):
        return _Line("related_mark", line)
    items = re.split(r"\s*,\s*", line)
    if len(items) >= 3 and not _SENTENCE_END.search(line) and all(0 < len(i.split()) <= 5 for i in items):
        return _Line("taglist", line, items)
    crumbs = _BREADCRUMB.split(line)
    if 1 < len(crumbs) <= 5 and all(0 < len(c.split()) <= 4 for c in crumbs):
        return _Line("section", line, crumbs[-1])
    return _Line("text", line)


def _dateline(line: str, day_first: bool | None) -> str | None:
    """The ISO date of a line that is a dateline ("Updated 5 March 2024 14:02 GMT"), else None."""
    if len(line.split()) > 10:
        return None
    date = parse_date(line, day_first=day_first)
    if date and sum(word.lower() not in DATE_WORDS for word in _WORD.findall(line)) <= 1:
        return date
    return None


def _title_score(line: str) -> float:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line)[1:] if len(w) >= 4]
    if not words:
        return 0.5
    return sum(w[0].isupper() for w in words) / len(words)


def _headline_like(line: str) -> bool:
    words = line.split()
    return (
        3 <= len(words) <= 25
        and not line.endswith((".", ",", ";", ":"))
        and not _STOPWORD_END.search(line)
        and line[:1].isupper()
    )


class _Page:
    """The parts of a capture above its comment thread."""

    def __init__(self, lines: list[_Line], title: str | None = None) -> None:
        self.title = ""
        self.published: str | None = None
        self.authors: list[str] = []
        self.section: str | None = None
        self.tags: list[str] = []
        self.related: list[str] = []
        self.captions: list[str] = []
        self.paragraphs: list[str] = []
        self._date_is_update = False
        lines = self._flatten(lines)
        body_start = self._header_end(lines)
        self._header(lines[:body_start], title)
        self._body(lines[body_start:])

    @staticmethod
    def _flatten(lines: list[_Line]) -> list[_Line]:
        flat = []
        for line in lines:
            flat.extend(line.value if line.kind == "group" else [line])
        return flat

    @staticmethod
    def _header_end(lines: list[_Line]) -> int:
        """Index of the first prose line that follows a possible headline."""
        seen_headline = False
        for index, line in enumerate(lines):
            if line.kind != "text":
                continue
            if seen_headline and _is_prose(line.text):
                return index
            seen_headline = seen_headline or _headline_like(line.text)
        for index, line in enumerate(lines):
            if line.kind == "text" and _is_prose(line.text):
                return index
        texts = [index for index, line in enumerate(lines) if line.kind == "text"]
        for index in texts[1:]:  # a short article: its first sentence after the headline
            if _SENTENCE_END.search(lines[index].text) and len(lines[index].text.split()) >= 6:
                return index
        return texts[1] if len(texts) > 1 else len(lines)

    def _header(self, lines: list[_Line], title: str | None) -> None:
        candidates = []
        texts = []
        for index, line in enumerate(lines):
            self._common(line)
            if line.kind == "text":
                texts.append(line.text)
                if _headline_like(line.text) or len(line.text.split()) >= 3:
                    following = next((n.kind for n in lines[index + 1:] if n.kind != "blank"), "")
                    bonus = 0.5 if following in {"byline", "date"} else 0.0
                    bonus -= 1.0 if line.text.endswith(".") else 0.0
                    candidates.append((_title_score(line.text) + bonus, -index, line.text))
        if title:
            self.title = title
        elif candidates:
            self.title = max(candidates)[2]
        elif texts:
            self.title = texts[0]
        for text in texts:
            if text == self.title:
                continue
            if len(text.split()) <= 4 and not _SENTENCE_END.search(text) and self.section is None:
                self.section = text
            elif len(text.split()) >= 3:
                self.captions.append(text)

    def _common(self, line: _Line) -> None:
        """Lines that mean the same wherever they stand."""
        if line.kind == "date" and (self.published is None or self._date_is_update):
            if self.published is None or not _UPDATE.match(line.text):
                self.published = line.value
                self._date_is_update = bool(_UPDATE.match(line.text))
        elif line.kind == "byline" and not self.authors:
            self.authors = line.value
        elif line.kind in {"tags", "taglist"}:
            self.tags.extend(line.value)
        elif line.kind == "section" and self.section is None:
            self.section = line.value
        elif line.kind == "caption":
            self.captions.append(line.value)

    def _body(self, lines: list[_Line]) -> None:
        block: list[str] = []
        related_mode = False
        for line in lines + [_Line("blank", "")]:
            if line.kind == "text":
                if related_mode and _headline_like(line.text):
                    self.related.append(line.text)
                else:
                    related_mode = False
                    block.append(line.text)
                continue
            if line.kind == "related_mark":
                related_mode = True
            elif line.kind in {"tags", "taglist", "section", "caption"}:
                self._common(line)
            elif line.kind in {"date", "byline"} and not self.paragraphs:
                self._common(line)
            self._flush(block)
            block = []

    def _flush(self, block: list[str]) -> None:
        if not block:
            return
        if len(block) >= 2 and self.paragraphs and all(_headline_like(line) for line in block):
            self.related.extend(block)
        else:
            self.paragraphs.extend(join_wrapped(block))


def _comments(lines: list[str]) -> list[Comment]:
    """Comments from the lines below the thread's opening mark."""
    lines = [line for line in lines if not _is_chrome(line) or _BULLET.fullmatch(line)]
    items: list[list[str]] = []
    if any(_BULLET.fullmatch(line) for line in lines):
        for line in lines:
            bullet = _BULLET.fullmatch(line)
            if bullet:
                items.append([bullet["rest"]])
            elif items:
                items[-1].append(line)
    else:
        headed: list[bool] = []
        for block in _blocks(lines):
            has_header = _comment_header(block[0])[3] == 1
            if has_header or not items or not headed[-1]:
                items.append(block)
                headed.append(has_header)
            else:
                items[-1].extend(block)
    comments = [_comment(item) for item in items]
    return [comment for comment in comments if comment is not None]


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _comment(lines: list[str]) -> Comment | None:
    lines = [line for line in lines if line]
    author = reply_to = published = None
    if lines and _skeleton(lines[0]).lower() == "avatar":
        lines = lines[1:]
        reply = _REPLY.fullmatch(lines[0]) if lines and len(lines[0]) <= 200 else None
        if reply:
            author, reply_to = reply["author"], reply["reply"]
            lines = lines[1:]
    elif len(lines) >= 2:
        author, reply_to, published, consumed = _comment_header(lines[0])
        lines = lines[consumed:]
    text = " ".join(line for line in lines if not _is_chrome(line))
    if not text:
        return None
    return Comment(text=text, author=author, reply_to=reply_to, published=published)


def _comment_header(line: str) -> tuple[str | None, str | None, str | None, int]:
    """(author, reply_to, published, lines consumed) from a comment's first line."""
    if len(line) > 200:  # no header is this long (and the patterns below are not for long lines)
        return None, None, None, 0
    reply = _REPLY.fullmatch(line)
    if reply:
        return reply["author"], reply["reply"], None, 1
    dated = _DATED_NAME.fullmatch(line)
    if dated and len(dated["name"].split()) <= 4:
        when = parse_date(dated["when"])
        if when:
            return dated["name"].strip(), None, when, 1
    name = _NAME.fullmatch(line)
    if name and not _SENTENCE_END.search(line):
        return name["name"], None, None, 1
    return None, None, None, 0
