"""Dates as pages write them, turned into ISO 8601 (with the UTC offset when the page gives one)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "january jan janvier janv januar jän jänner enero ene gennaio gen janeiro januari januar stycznia ocak января"
            " ledna січня",
            "february feb fevrier février févr februar febrero febbraio fevereiro fev februari lutego şubat subat"
            " февраля února unora лютого",
            "march mar mars märz maerz mär mrz marzo março maart mrt marts marca maret mart марта března brezna березня",
            "april apr avril avr abril abr aprile kwietnia nisan апреля dubna квітня",
            "may mai mayo maggio mag maio mei maj maja mayıs mayis мая května kvetna травня",
            "june jun juin juni junio giugno giu junho czerwca haziran июня června cervna червня",
            "july jul juillet juil juli julio luglio lug julho lipca temmuz июля července cervence липня",
            "august aug aout août agosto ago augustus augusti agustus sierpnia ağustos agustos августа srpna серпня",
            "september sep sept septembre septiembre settembre set setembro września wrzesnia eylül eylul сентября"
            " září zari вересня",
            "october oct octobre oktober octubre ottobre ott outubro out okt października pazdziernika ekim октября"
            " října rijna жовтня",
            "november nov novembre noviembre novembro listopada kasım kasim ноября listopadu листопада",
            "december dec decembre décembre déc dezember dez diciembre dicembre dic dezembro desember grudnia aralık"
            " aralik декабря prosince грудня",
        ],
        start=1,
    )
    for name in names.split()
}


def _one_of(words: Iterable[str]) -> str:
    """A pattern matching any of ``words``, longest first, as a trie of their letters behind a
    check of the first letter: a search fails at a position after one test instead of trying
    every name (a Reuters date: 62 µs -> 15 µs)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        ways = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not ways:
            return ""
        inner = ways[0] if len(ways) == 1 else "(?:" + "|".join(ways) + ")"
        return f"(?:{inner})?" if "" in node else inner

    return "(?=[" + "".join(re.escape(char) for char in sorted(trie)) + "])" + branch(trie)


# A month's name, not the end of a longer word ("Chicago 5, 2024" names no August) unless it is
# capitalised, as where a page's pieces run together ("2 min readApril 25, 2023").
_MONTH = r"(?:(?<![^\W\d_])|(?-i:(?=[A-Z\u00c0-\u00de\u0400-\u042f])))(?P<month>" + _one_of(_MONTHS) + r")(?![^\W\d_])\.?"
_ZONES = {
    "gmt": 0, "utc": 0, "z": 0, "ut": 0, "wet": 0, "bst": 60, "cet": 60, "cest": 120, "eet": 120,
    "eest": 180, "mez": 60, "mesz": 120, "msk": 180, "ist": 330, "jst": 540, "kst": 540, "aest": 600, "aedt": 660,
    "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480,
    "pdt": -420,
}

# Words a dateline may hold besides the date itself ("Updated Tue 5 Mar 2024 14.02 GMT").
DATE_WORDS = (
    set(_MONTHS) | set(_ZONES)
    | set("updated last published first posted modified on at am pm date st nd rd th t z de à um le".split())
    | set("mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday".split())
    # the same in a few other languages
    | set("veröffentlicht aktualisiert zuerst stand uhr publié mis jour publicado actualizado el pubblicato"
          " aggiornato il publisert oppdatert kl".split())
)

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?",
    re.I,
)
_NAMED_FORMS = [
    re.compile(r"(?<!\d\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s*(?:de\s+)?" + _MONTH + r",?\s*(?:de\s+)?(?P<y>\d{4})", re.I),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", re.I),
    re.compile(r"(?P<d>\d{1,2})-" + _MONTH + r"-(?P<y>\d{4})", re.I),
]
# Numeric dates when the page's order is unknown: dots day first, slashes month first unless impossible.
_NUMERIC_FORMS = [
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})"),
    re.compile(r"(?<!\d)(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})"),
    re.compile(r"(?<!\d)(?P<d>1[3-9]|2\d|3[01])/(?P<m>\d{1,2})/(?P<y>\d{4})"),  # day first, where it must be
]
# A numeric date in a known order: 03/04/2024, 03.04.2024, 03-04-2024, 25.04.24, 9/11/13.
_ORDERED = re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[./-])\s?(?P<b>\d{1,2})(?P=sep)\s?(?P<y>\d{4}|\d{2}(?![\d.]))")
_YEAR_FIRST_FORMS = [
    re.compile(r"(?<!\d)(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]?"),
]
_DATE_FORMS = [*_NAMED_FORMS, *_NUMERIC_FORMS, *_YEAR_FIRST_FORMS]
_ORDERED_FORMS = [*_NAMED_FORMS, _ORDERED, *_YEAR_FIRST_FORMS]
_TIME = re.compile(
    r"(?<![\d.])(?P<H>\d{1,2})[:.h](?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?\s?m\.?)?(?![\d])", re.I
)
_OFFSET = re.compile(
    r"(?:\b(?P<name>GMT|UTC)\s*(?P<sign1>[+-])\s*(?P<h1>\d{1,2})(?::?(?P<m1>\d{2}))?)"
    r"|(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2})\b"
    r"|\b(?P<abbr>" + "|".join(_ZONES) + r")\b",
    re.I,
)


def parse_date(value: str | int | float | None, *, day_first: bool | None = None) -> str | None:
    """Return ``value`` as ISO 8601 text, or None when it holds no recognisable date.

    Date-only values stay date-only (``1987-02-26``); a time with a known zone gets its offset
    (``2017-03-23T21:13:00+03:00``); a time without one stays naive. Numbers are Unix epochs
    (seconds, or milliseconds when large) in UTC. ``day_first`` is the order of a page's numeric
    dates when its reader knows it (from the page's language or its other dates): then
    ``03/04/2024`` and ``03.04.2024`` are read in that order (the other where that one is
    impossible) and two-digit years are read too (``25.04.24``, ``9/11/13``). Without it, dotted
    dates are day first, slashed ones month first unless impossible, and two-digit years no dates.
    A relative date ("3 hours ago") names no day without the moment of the capture: None.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    text = value.strip()
    if not text:
        return None
    if text.isdigit() and len(text) >= 9:
        return _from_epoch(int(text))
    iso = _ISO.search(text)
    if iso:
        offset = _offset(iso["tz"] or text[iso.end():]) if iso["H"] else None
        return _assemble(iso["y"], iso["m"], iso["d"], iso["H"], iso["M"], iso["S"], None, offset)
    for form in _DATE_FORMS if day_first is None else _ORDERED_FORMS:
        found = form.search(text)
        if not found:
            continue
        parts = found.groupdict()
        if "sep" in parts:
            orders = [(parts["a"], parts["b"]), (parts["b"], parts["a"])]
            readings = [(_full_year(parts["y"]), month, day) for day, month in (orders if day_first else orders[::-1])]
        else:
            readings = [(parts["y"], parts.get("m") or _MONTHS.get(parts["month"].lower().rstrip(".")), parts["d"])]
        rest = text[: found.start()] + " " + text[found.end():]
        clock = _TIME.search(rest)
        hour = minute = second = ampm = None
        if clock:
            hour, minute, second, ampm = clock["H"], clock["M"], clock["S"], clock["ampm"]
        for year, month, day in readings:
            found = _assemble(year, month, day, hour, minute, second, ampm, _offset(rest) if clock else None)
            if found:  # else an impossible date in this order ("29/05/2025" as month first): try the next
                return found
    return None


def numeric_order(text: str) -> bool | None:
    """Whether a text writes numeric dates day first (True) or month first (False), as its dates
    that can be read one way only say (``13/05/2025`` against ``05/13/2025``), else as its dates
    with the month's name say of the others' months (``06/01/2026`` beside ``Jan. 5, 2026``);
    None when nothing tells."""
    votes = 0
    ambiguous = []
    for found in _ORDERED.finditer(text):
        first, second = int(found["a"]), int(found["b"])
        votes += (first > 12 >= second) - (second > 12 >= first)
        if first != second and max(first, second) <= 12:
            ambiguous.append((_full_year(found["y"]), first, second))
    if votes or not ambiguous:
        return None if votes == 0 else votes > 0
    named = {
        (int(found["y"]), _MONTHS.get(found["month"].lower()))
        for form in _NAMED_FORMS for found in form.finditer(text)
    }
    votes = sum(((year, second) in named) - ((year, first) in named) for year, first, second in ambiguous)
    return None if votes == 0 else votes > 0


def _full_year(year: str) -> int:
    """A two-digit year as Python's strptime reads one: 00-68 are 2000-2068, 69-99 are 1969-1999."""
    return int(year) if len(year) == 4 else int(year) + (2000 if int(year) < 69 else 1900)


_PERIOD = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?")


def period(text: str) -> tuple[datetime, datetime]:
    """The span a user's date names, as [start, end): ``2017``, ``2017-03`` or ``2017-03-31``.

    Raises ValueError with a message a user can act on.
    """
    found = _PERIOD.fullmatch(text.strip())
    if not found:
        raise ValueError(f"cannot read the date '{text}': write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(found["y"]), int(found["m"] or 1), int(found["d"] or 1)
    try:
        start = datetime(year, month, day)
    except ValueError:
        raise ValueError(f"there is no such date as '{text}'") from None
    try:
        if found["d"]:
            return start, start + timedelta(days=1)
        if found["m"]:
            return start, datetime(year + month // 12, month % 12 + 1, 1)
        return start, datetime(year + 1, 1, 1)
    except (OverflowError, ValueError):  # a span ending after 9999
        raise ValueError(f"the date '{text}' is out of range: dates up to the end of 9998 can be searched") from None


def to_datetime(iso: str) -> datetime:
    """The moment an ISO value from :func:`parse_date` names, in UTC (naive times taken as UTC)."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _offset(text: str) -> timedelta | None:
    found = _OFFSET.search(text)
    if not found:
        return None
    if found["abbr"]:
        return timedelta(minutes=_ZONES[found["abbr"].lower()])
    sign = found["sign1"] or found["sign2"]
    hours = int(found["h1"] or found["h2"])
    minutes = int(found["m1"] or found["m2"] or 0)
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return -delta if sign == "-" else delta


def _assemble(year, month, day, hour, minute, second, ampm, offset: timedelta | None) -> str | None:
    try:
        day_only = date(int(year), int(month), int(day))
        if hour is None:
            return day_only.isoformat()
        hour = int(hour)
        if ampm:
            if hour > 12:
                return day_only.isoformat()
            hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
        moment = datetime(day_only.year, day_only.month, day_only.day, hour, int(minute), int(second or 0))
    except (TypeError, ValueError):
        return None
    if offset is not None:
        moment = moment.replace(tzinfo=timezone(offset))
    return moment.isoformat()


def _from_epoch(number: float) -> str | None:
    if number > 1e11:
        number /= 1000
    try:
        return datetime.fromtimestamp(number, tz=timezone.utc).isoformat()
    except (OverflowError, OSError, ValueError):
        return None
