"""The lines of a rendered page (w3m, lynx, a browser's select-all copy): which are the site's
furniture, where the article's text runs, and which line is its headline.

Only general signals: the shape of a line (list item, form field, link marker, rule), runs of
short lines (menus), lines the page repeats, and prose (long lines ending a sentence). The
article's text is the stretch of lines where prose outweighs everything else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ..dates import DATE_WORDS, numeric_order, parse_date
from ..normalize import AUTHOR_LABELS, BY_WORDS, COLON_LABELS, clean_line

# A list item as renderers draw it: "  • Home", "   * World", " 12. Sports", "(3) Item".
_ITEM = re.compile(r"\s*(?:[•*+·▪◦‣■□►▸–-]|\d{1,3}[.)]|\(\d{1,3}\))\s+\S")
# Renderer markers of links, images, forms and frames; rules drawn with characters.
_MARKUP = re.compile(
    r"\[\d+\]|\[(?:IMG|INLINE|BUTTON|LINK|image|img)\b[^\]]*\]|\((?:BUTTON|IMG|FORM)\)|^IFRAME:|^#\w"
    r"|\[[ _]{3,}\]|\[ \]|_{5,}|[━─═=~*]{4,}|^\[?https?://\S+\]?$|^\[\s*[xX ]?\s*\]|^\(\s*[*xX ]?\s*\)",
)
_SENTENCE_END = re.compile(r"""[.!?…。！？]["'”’»)\]]*$""")
# Prompts and furniture any site may show, in a few languages: cookies, subscriptions, sharing.
_PROMPT_WORDS = frozenset(
    "cookie cookies subscribe newsletter javascript advertisement sponsored anzeige datenschutz impressum"
    " publicidad publicité copyright login".split()
)
_PROMPT_PAIRS = frozenset(
    tuple(pair.split()) for pair in [
        "privacy policy", "privacy settings", "rights reserved", "sign up", "sign in", "log in", "skip to",
        "share this", "share on", "follow us",
    ]
)
_LETTERS = re.compile(r"[^\W\d_]+")
# Consent banners are paragraphs of prose, but about cookies and the reader's data.
_CONSENT = re.compile(r"\bcookies?\b|\b(?:personal|your) (?:data|information)\b|\bpersonenbezogene")
_MARKUP_CHARS = "[(_━─═=~*#"
_DIGIT = re.compile(r"\d")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # about two characters a word
_SOUTHEAST_ASIAN = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")  # Thai, Lao, Myanmar, Khmer: about four
_ENGLISH = frozenset("the and that with this from which were have".split())
LANGUAGE_SAMPLE = 5000  # characters of prose enough to tell English
ENGLISH_SHARE = 0.04  # of English prose's words 0.08 to 0.17 are these (dev captures), of other languages' under 0.02


@dataclass(slots=True)
class Line:
    """One line of a capture: its clean text and what its shape says."""

    text: str
    indent: int
    units: float  # words, or in scripts written without spaces their characters by a word's usual length
    item: bool  # drawn as an item of a list
    prose: bool  # a sentence or more
    furniture: bool  # the site's, not the article's
    repeated: bool = False  # shown more than once on the page (a headline may be, too)
    chrome: bool = False  # furniture by its own shape or words, wherever it stands


def split_lines(text: str) -> list[str]:
    """The lines of a text as written (any line-break convention), not yet cleaned."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return text.split("\n")


def capture_lines(raw_lines: list[str], texts: list[str] | None = None) -> list[Line]:
    """The lines of a capture with what their shapes say (blank lines kept, as empty text);
    ``texts``, when given, are the raw lines already cleaned."""
    texts = texts or [clean_line(raw) for raw in raw_lines]
    repeats = Counter(text for text in texts if text)
    lines = []
    for raw, text in zip(raw_lines, texts):
        if not text:
            lines.append(Line("", 0, 0.0, False, False, False))
            continue
        indent = len(raw) - len(raw.lstrip())
        units = max(len(text.split()), len(_CJK.findall(text)) / 2 + len(_SOUTHEAST_ASIAN.findall(text)) / 4)
        item = bool(_ITEM.match(raw))
        prose = (units >= 8 and bool(_SENTENCE_END.search(text))) or units >= 25
        # A short line shown twice is the site's (or the headline); a paragraph shown three times
        # is a placeholder ("Your privacy settings prevent loading this content").
        repeated = repeats[text] > (2 if prose else 1)
        chrome = (
            _is_markup(text)
            or (len(text) < 200 and _is_prompt(text))
            or _is_consent(text)
            or not any(ch.isalnum() for ch in text)
        )
        furniture = chrome or (item and units <= 8)
        lines.append(Line(
            text, indent, units, item, prose and not furniture, furniture or repeated, repeated and not furniture, chrome
        ))
    _mark_menus(lines)
    return lines


def _is_markup(text: str) -> bool:
    if any(ch in text for ch in _MARKUP_CHARS) or text.startswith(("IFRAME", "http")):
        return bool(_MARKUP.search(text))
    return False


def _is_prompt(text: str) -> bool:
    if "©" in text:
        return True
    words = _LETTERS.findall(text.lower())
    return not _PROMPT_WORDS.isdisjoint(words) or any(pair in _PROMPT_PAIRS for pair in zip(words, words[1:]))


def _is_consent(text: str) -> bool:
    low = text.lower()
    return ("cookie" in low or "personenbezogen" in low or "personal" in low or "your" in low) and bool(_CONSENT.search(low))


def _mark_menus(lines: list[Line]) -> None:
    """Runs of three or more short lines with no sentence in them are menus (a browser's copy
    of a navigation bar has no bullets)."""
    run: list[Line] = []
    for line in [*lines, Line("end of capture. " * 5, 0, 99.0, False, True, False)]:
        if not line.text:
            continue
        if line.units <= 4 and not _SENTENCE_END.search(line.text):
            run.append(line)
            continue
        if len(run) >= 3:
            for short in run:
                short.furniture = True
        run = []


def article_span(lines: list[Line]) -> tuple[int, int]:
    """[start, end) of the stretch where prose outweighs everything else (the article's text);
    (0, 0) when the capture holds no prose."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for index, line in enumerate(lines):
        if not line.text:
            continue
        if line.prose:
            score = line.units if _SENTENCE_END.search(line.text) else line.units / 2
        elif line.furniture:
            score = -3.0 - line.units
        else:
            score = -3.0
        if total <= 0:
            total, start = 0.0, index
        total += score
        if total > best:
            best, best_span = total, (start, index + 1)
    return best_span


_BYLINE = re.compile(rf"(?:{BY_WORDS}|{COLON_LABELS})\s*:?\s+\S", re.I)
# A word: letters with their combining marks (Python's \w leaves out the vowel signs of Indic
# scripts). Words of Chinese, Japanese and Korean text are taken as overlapping pairs of characters.
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u0591-\u05c7\u064b-\u065f\u0900-\u0dff\u0e31-\u0e4e])+")
# Words of a picture's caption or credit ("Photo: AP", "Foto: dpa", "Getty Images").
_CAPTION = re.compile(r"\b(?:photo|foto|image|bild|picture|getty|afp|reuters|dpa|epa|ap photo|imago|shutterstock)\b", re.I)
HEADLINE_REACH = 40  # lines above the article's text where its headline may stand
# What makes a line the headline, in points (set on the dev captures, each within a flat optimum):
LEAD_WORDS = 2.0  # times the share of its words found in the first paragraphs
BYLINE_BELOW = 1.0  # a dateline or byline among the next four lines
AT_THE_MARGIN = 1.5  # indented less than the text (lynx sets headings at the margin)
REPEATED = 0.5  # shown twice on the page (in a breadcrumb or share box, and as the heading)
DISTANCE = 0.5  # times its distance from the text, as a share of HEADLINE_REACH
AMONG_THE_TEXT = 1.5  # below the first paragraph (a standfirst or subheading, more often)
LONG = 1.0  # over 18 words: a standfirst, more often
SHORT = 2.0  # under 4 words: a kicker or a section, more often
CAPTION_WORDS = 0.5  # names a photo or an agency's picture desk
STANDFIRST = 0.5  # right under a shorter heading-shaped line


def _date_of(line: Line, day_first: bool | None) -> str | None:
    """The date a short line holds ("Updated 5 March 2024 14:02 GMT", "By X, Dec. 22, 2023")."""
    if (line.prose and line.units > 10) or line.units > 30 or not _DIGIT.search(line.text) or line.text.isdigit():
        return None
    return parse_date(line.text, day_first=day_first)


def writes_day_first(texts: list[str], prose: list[str]) -> bool:
    """Whether a page writes numeric dates day first: as its other dates say (dates.numeric_order:
    those that can be read one way only, or the months of those written out), else as every
    language but English does (English prose holds many of a few function words; an English page
    without such dates is taken as American)."""
    order = numeric_order("\n".join(text for text in texts if len(text) <= 200 and _DIGIT.search(text)))
    if order is not None:
        return order
    words = _LETTERS.findall(" ".join(prose)[:LANGUAGE_SAMPLE].lower())
    return sum(word in _ENGLISH for word in words) < ENGLISH_SHARE * len(words)


def is_credit(line: Line) -> bool:
    """A short line naming a photo's source ("Noel Celis/Getty Images", "Foto: dpa")."""
    return not line.prose and line.units <= 12 and bool(_CAPTION.search(line.text))


def _is_byline(line: Line) -> bool:
    """A short line opening with "By" or its like ("Text" too, colon or not), not a sentence, not a
    headline with a colon ("Von München bis Aachen: Im Netz der China-Agenten")."""
    return (
        line.units <= 12 and bool(_BYLINE.match(line.text)) and not _SENTENCE_END.search(line.text)
        and ": " not in line.text[4:]
    )


def headline(lines: list[Line], start: int, end: int, day_first: bool | None = None) -> int | None:
    """Index of the article's headline: a heading-shaped line above its text (or among its first
    lines), close to it, followed by a byline or dateline, sharing words with the first paragraphs."""
    best, best_score = None, 0.0
    for index, score in headline_scores(lines, start, end, day_first):
        if score > best_score:
            best, best_score = index, score
    return best


def headline_scores(
    lines: list[Line], start: int, end: int, day_first: bool | None = None
) -> Iterator[tuple[int, float]]:
    """(index, points) of each heading-shaped line that may be the headline, nearest the text first."""
    prose = [index for index in range(start, end) if lines[index].prose][:12]
    lead = set().union(*(_content_words(lines[index].text) for index in prose))
    body_indent = min((lines[index].indent for index in prose), default=0)
    last = prose[2] if len(prose) > 2 else min(start + 1, len(lines) - 1)
    distance = 0.0
    for index in range(last, -1, -1):
        line = lines[index]
        if not line.text:
            continue
        if index < start:
            distance += 0.5 if line.furniture and not line.repeated else 1
            if distance > HEADLINE_REACH:
                break
        if not _heading_shaped(line, day_first):
            continue
        words = _content_words(line.text)
        following = [n for n in lines[index + 1:index + 12] if n.text][:4]
        yield index, (
            1.0
            + LEAD_WORDS * (sum(w in lead for w in words) / len(words) if words else 0.0)
            + (BYLINE_BELOW if any(_date_of(n, day_first) or _is_byline(n) for n in following) else 0.0)
            + (AT_THE_MARGIN if line.indent < body_indent else 0.0)
            + (REPEATED if line.repeated else 0.0)
            - DISTANCE * distance / HEADLINE_REACH
            - (AMONG_THE_TEXT if index > start else 0.0)
            - (LONG if line.units > 18 else SHORT if line.units < 4 else 0.0)
            - (CAPTION_WORDS if _CAPTION.search(line.text) else 0.0)
            - (STANDFIRST if _under_a_shorter_heading(lines, index, day_first) else 0.0)
        )


def _content_words(text: str) -> set[str]:
    """The words of a line that say something: of four letters or more, or pairs of CJK characters."""
    found = _WORD.findall(text.casefold())
    if not _CJK.search(text):
        return {word for word in found if len(word) >= 4}
    words = set()
    for word in found:
        if _CJK.search(word):
            words.update(word[i:i + 2] for i in range(len(word) - 1))
        elif len(word) >= 4:
            words.add(word)
    return words


def _under_a_shorter_heading(lines: list[Line], index: int, day_first: bool | None) -> bool:
    """The line just above (blank lines aside) is heading-shaped and shorter: this one is more
    likely the standfirst under a headline."""
    above = next((line for line in reversed(lines[max(0, index - 4):index]) if line.text), None)
    return above is not None and above.units < lines[index].units and _heading_shaped(above, day_first)


def _heading_shaped(line: Line, day_first: bool | None) -> bool:
    """3 to 30 words, not a list item, not the site's, not a sentence ending in a full stop,
    not a dateline or byline."""
    if line.item or not (3 <= line.units <= 30) or (line.furniture and not line.repeated) or _is_markup(line.text):
        return False
    if line.prose and line.units > 20:
        return False
    if line.text.endswith((".", ",", ":", ";", "—", "–", "-")) or _is_byline(line):
        return False
    return not _date_of(line, day_first)


_UPDATED = re.compile(r"\b(?:updated?|modified|aktualisiert|actualizado|mis à jour|aggiornato|atualizado|geändert)\b", re.I)


DATELINE_WORDS = 12  # a longer line holding a date is more often a caption or a sentence than a dateline


def _is_update(text: str) -> bool:
    """A dateline of an update: "Updated" before its date ("Published 5 May, updated 6 May" is not)."""
    digit = _DIGIT.search(text)
    return bool(_UPDATED.search(text[:digit.start()] if digit else text))


def published(lines: list[Line], head: int, start: int, end: int, day_first: bool | None = None) -> str | None:
    """The article's date: the first date written between its headline and its text (or beside
    its first paragraphs, or just above the headline, where a site shows today's date), the
    publication rather than an update, a dateline rather than a picture's caption or a sentence
    ("..., Thursday, April 27, 2023, in Indianapolis. (AP Photo/...)"); else the nearest date
    above the headline, else the first date on the page."""
    nonblank = [index for index in range(max(0, head - 20), head) if lines[index].text][-3:]
    prose = [index for index in range(start, end) if lines[index].prose][:3]
    zone_end = prose[-1] + 1 if prose else end
    found = []
    for index in range(nonblank[0] if nonblank else head, zone_end):
        date = _date_of(lines[index], day_first)
        if date:
            text = lines[index].text
            caption = bool(_CAPTION.search(text)) or lines[index].units > DATELINE_WORDS
            found.append((_is_update(text), caption, index < head, date))
    if found:
        return min(found, key=lambda item: item[:3])[3]
    for index in range(head - 1, max(-1, head - 4 * HEADLINE_REACH), -1):
        date = _date_of(lines[index], day_first) if not _is_prompt(lines[index].text) else None
        if date:
            return date
    for line in lines:
        date = _date_of(line, day_first) if not _is_prompt(line.text) else None
        if date:
            return date
    return None


# Bylines, as pages show them beside the headline: "By Jane Doe and John Roe", "Von: Jane Doe",
# "Jane Doe · CBC News · Posted: Aug 8, 2024", "Von Jane Doe 28.04.2023, 18:11 Uhr",
# "Jane Doe Political Correspondent", "Jane DoeLifestyle Writer" (a browser runs pieces together).
_AUTHOR_LABEL = re.compile(rf"(?:[•*·-]\s*)?(?:(?:(?:[^\W\d_]+\s+){{0,2}}(?:{BY_WORDS})|(?:(?:{AUTHOR_LABELS})/)?"
                           rf"(?:{AUTHOR_LABELS}))\s*:?|(?:{COLON_LABELS})\s*:)\s+(?=\S)", re.I)
# Pieces of a byline: spaced separators, and a small letter run into a capital ("DoeLifestyle").
_BYLINE_PARTS = re.compile(r"\s+[·|/•–—-]\s+|\s*[|·•]\s*|(?<=[a-zà-ÿ]{3})(?=[A-ZÀ-Þ])")
_NAMES = re.compile(r"\s*[,;&]\s*(?:(?:and|und|et|y|og|och)\s+)?|\s+(?:and|und|et|y|e|en|og|och|i|for|für)\s+|\s*/\s*", re.I)
_ROLES = frozenset(
    "writer reporter correspondent editor journalist columnist director contributor redakteur redakteurin"
    " korrespondent korrespondentin reporterin journalistin redaktor redaktorin 기자 특파원".split()
)
# A quick test before the byline's pieces are read: a label's or a role's word, or a digit.
_SAYS_BYLINE = re.compile(rf"\d|\b(?:{BY_WORDS}|{AUTHOR_LABELS}|{COLON_LABELS})\b|" + "|".join(_ROLES), re.I)
_PAGE_WORDS = frozenset("follow twitter facebook email e-mail linkedin instagram profile more share copy link print".split())
_PARTICLES = frozenset("von van de der den da di del della la le du dos das bin al el ter zu".split())
_CASELESS = re.compile(r"[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_BY_AND_DATE_WORDS = DATE_WORDS | {"posted", "published", "von", "by", "am", "um", "uhr"}
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_CREDIT = re.compile(r"©|\b(?:copyright|photo|foto|image|imagen|bild|picture|video|vídeo|getty|shutterstock)\b", re.I)


def byline(text: str, day_first: bool | None, plain: bool) -> list[str]:
    """The names a byline gives, or [] when ``text`` is none. A byline says so with a label ("By",
    "Von:") or a role ("Political Correspondent"), and then may name a desk ("Reuters"); a line of
    people's names beside a date is one too, and with ``plain`` a line of people's names alone.
    Captions and credits ("Photo: Jane Doe", "Copyright AP") are none."""
    if len(text) > 200 or (not plain and not _SAYS_BYLINE.search(text)):
        return []
    if (_SENTENCE_END.search(text) and not _DIGIT.search(text)) or _CREDIT.search(text):
        return []
    names: list[str] = []
    labelled = dated = other = False
    for part in _BYLINE_PARTS.split(text):
        part = part.strip()
        label = _AUTHOR_LABEL.match(part)
        if label:
            labelled, part = True, part[label.end():]
        digit = _DIGIT.search(part)
        if digit:  # a date or time beside the names ("Jane Doe 28.04.2023, 18:11 Uhr"), or no name
            words = _LETTERS.findall(part.lower())
            if _CLOCK.search(part) or not _BY_AND_DATE_WORDS.isdisjoint(words) or parse_date(part, day_first=day_first):
                dated = True
            elif not label and len(words) > 2:  # not "3 Minuten", "12 comments": other words with a number
                other = True
            part = part[:digit.start()]
            if not label and len(part.split()) < 2:  # "Lesezeit: 4 Min.", "Erstellt: 28.04.2023"
                continue
        words = part.split()
        while words and words[-1].lower().strip(":,.") in _BY_AND_DATE_WORDS | _PAGE_WORDS:
            words.pop()
        role = next((index for index, word in enumerate(words) if word.lower().rsplit("-", 1)[-1] in _ROLES), None)
        if role is not None:  # "Jane Doe Political Correspondent", "배윤경 기자"; "Lifestyle Writer" is no name
            labelled = True
            caseless = role and _CASELESS.search(words[role - 1])
            words = words[role - 1:role] if caseless else words[:2] if role >= 2 else []
        if len(words) % 2 == 0 and words[:len(words) // 2] == words[len(words) // 2:]:
            words = words[:len(words) // 2]  # a name shown twice
        names.extend(name for name in _NAMES.split(" ".join(words)) if name)
    names = list(dict.fromkeys(names))
    if labelled:
        return [name for name in names if _name(name, desk=True)]
    if (dated or plain) and not other and names and all(_name(name, desk=False) for name in names):
        return names
    return []


def _name(name: str, desk: bool) -> bool:
    """A person's name: two to four words, capitalised (particles aside) where the script has
    capitals, no web address or page word; with ``desk``, one word too ("Reuters", "AP", "dpa"),
    but no stray abbreviation ("Do" for Thursday)."""
    words = name.split()
    if not 1 <= len(words) <= 4 or len(name) > 40 or name.endswith((":", ")")):
        return False
    if len(words) == 1 and not (desk and (len(name) >= 3 or name.isupper())) and not _CASELESS.search(name):
        return False
    if any(re.search(r"\.[a-z]{2,}", word, re.I) or "@" in word or word.lower() in _PAGE_WORDS for word in words):
        return False
    if _CASELESS.search(name) or len(words) == 1:
        return desk
    return all(word[:1].isupper() or word in _PARTICLES for word in words) and words[0][:1].isupper()
