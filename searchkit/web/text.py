"""Page text made safe to show in a browser: no control characters, bidi controls shown as text,
links only to http(s) addresses. (Escaping itself is the template engine's, always on.)"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from markupsafe import Markup, escape

# C0 and C1 controls but tab, line feed and carriage return: HTML has no use for them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Embeddings, overrides and isolates reorder the text around them (U+202A-202E, U+2066-2069):
# a title could run backwards or drag the date beside it along. Shown as their code point.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text from a page as it may be shown: controls dropped, bidi controls written as ``[U+202E]``."""
    return _BIDI.sub(lambda match: f"[U+{ord(match.group()):04X}]", _CONTROL.sub("", text))


def http_url(url: str | None) -> str | None:
    """The address as a link may hold it when it is an http(s) URL with a host, else None."""
    if not url:
        return None
    try:
        parts = urlsplit(clean(url).strip())
    except ValueError:  # a malformed IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit(parts)


def highlighted(text: str, spans: list[tuple[int, int]]) -> Markup:
    """A snippet with its matched words in ``<mark>``: every piece cleaned and escaped."""
    parts, cursor = [], 0
    for start, end in spans:
        if start < cursor or end > len(text):
            continue
        parts.append(escape(clean(text[cursor:start])))
        parts.append(Markup("<mark>%s</mark>") % clean(text[start:end]))
        cursor = end
    parts.append(escape(clean(text[cursor:])))
    return Markup("").join(parts)


def finalize(value: object) -> object:
    """Jinja's hook for every ``{{ value }}``: strings are cleaned before they are escaped; None shows nothing."""
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value
