"""Snippets: the passage of an article that best shows why it matched, with the matched words located."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter

from ..analysis import find
from ..backends.base import Highlights, highlighted
from ..fields import SNIPPET_FIELDS, field_texts
from ..model import Article
from ..results import Snippet

SNIPPET_CHARS = 240
SCAN_CHARS = 20_000  # snippets are cut from the first this many characters of a field


def snippet(article: Article, terms: Highlights) -> Snippet | None:
    """The snippet of the first field (body, comments, related) holding a matched term, else
    the start of the body; ``terms`` are the matched terms per field, each kept to the articles
    of some languages (a stem of one language is not shown in another's articles)."""
    texts = field_texts(article)
    for name in SNIPPET_FIELDS:
        wanted = highlighted(terms[name], article.language) if name in terms else None
        text = texts[name][:SCAN_CHARS]
        if wanted and text:
            found = find(text, wanted, article.language)
            if found:
                return window(name, text, found)
    if texts["body"]:
        return window("body", texts["body"], [])
    return None


def window(name: str, text: str, found: list[tuple[int, int, str]]) -> Snippet:
    """The passage of about SNIPPET_CHARS holding the most distinct matched words (then the most
    matches, then the earliest), found in one pass over the matches."""
    best = _best_start(found)
    anchor = found[best][0] if found else 0
    start = max(0, anchor - SNIPPET_CHARS // 4)
    if start:
        start = text.find(" ", start, anchor) + 1 or anchor
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shown = prefix + text[start:end].replace("\n", " ") + suffix
    shift = len(prefix) - start
    highlights: list[tuple[int, int]] = []
    for a, b, _ in found[bisect_left(found, (start,)):]:
        if a > end:
            break
        if b > end:
            continue
        if highlights and (a + shift <= highlights[-1][1] or text[highlights[-1][1] - shift:a] in {"-", " ", "'", "’"}):
            highlights[-1] = (highlights[-1][0], max(b + shift, highlights[-1][1]))  # overlapping pairs, or joined words
        else:
            highlights.append((a + shift, b + shift))
    return Snippet(field=name, text=shown, highlights=highlights)


def _best_start(found: list[tuple[int, int, str]]) -> int:
    """The match that starts the best window: a window holds the matches ending within
    SNIPPET_CHARS of its first one; two pointers move forward once each."""
    if len({term for _, _, term in found}) == 1:
        return _densest(found)
    best, best_key = 0, (-1, -1)
    inside: Counter[str] = Counter()
    end = 0
    for first in range(len(found)):
        while end < len(found) and found[end][1] - found[first][0] <= SNIPPET_CHARS:
            inside[found[end][2]] += 1
            end += 1
        key = (len(inside), end - first)
        if key > best_key:
            best, best_key = first, key
        if end > first:
            term = found[first][2]
            inside[term] -= 1
            if not inside[term]:
                del inside[term]
        else:
            end = first + 1
    return best


def _densest(found: list[tuple[int, int, str]]) -> int:
    """The best start when every match is of one term: the window holding the most matches."""
    ends = [b for _, b, _ in found]
    best, most, end = 0, 0, 0
    for first, (a, _, _) in enumerate(found):
        end = bisect_right(ends, a + SNIPPET_CHARS, end)
        if end - first > most:
            best, most = first, end - first
    return best
