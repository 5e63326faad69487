"""Dates as pages write them, turned into ISO 8601 (with the UTC offset when the page gives one)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "january jan janvier janv januar enero ene gennaio gen janeiro januari januar stycznia ocak января",
            "february feb fevrier février févr februar febrero febbraio fevereiro februari lutego şubat subat февраля",
            "march mar mars märz maerz marzo março maart marts marca maret mart марта",
            "april apr avril abril aprile kwietnia nisan апреля",
            "may mai mayo maggio maio mei maj maja mayıs mayis мая",
            "june jun juin juni junio giugno junho czerwca haziran июня",
            "july jul juillet juli julio luglio julho lipca temmuz июля",
            "august aug aout août agosto augustus augusti agustus sierpnia ağustos agustos августа",
            "september sep sept septembre septiembre settembre setembro września wrzesnia eylül eylul сентября",
            "october oct octobre oktober octubre ottobre outubro okt października pazdziernika ekim октября",
            "november nov novembre noviembre novembro listopada kasım kasim ноября",
            "december dec decembre décembre dezember diciembre dicembre dezembro dez dic desember grudnia aralık aralik декабря",
        ],
        start=1,
    )
    for name in names.split()
}
_MONTH = r"(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_ZONES = {
    "gmt": 0, "utc": 0, "z": 0, "ut": 0, "wet": 0, "bst": 60, "cet": 60, "cest": 120, "eet": 120,
    "eest": 180, "msk": 180, "ist": 330, "jst": 540, "kst": 540, "aest": 600, "aedt": 660,
    "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480,
    "pdt": -420,
}

# Words a dateline may hold besides the date itself ("Updated Tue 5 Mar 2024 14.02 GMT").
DATE_WORDS = (
    set(_MONTHS) | set(_ZONES)
    | set("updated last published first posted modified on at am pm date st nd rd th t z de à um le".split())
    | set("mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday".split())
)

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?",
    re.I,
)
_DATE_FORMS = [
    re.compile(r"(?<!\d\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s*(?:de\s+)?" + _MONTH + r",?\s*(?:de\s+)?(?P<y>\d{4})", re.I),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", re.I),
    re.compile(r"(?P<d>\d{1,2})-" + _MONTH + r"-(?P<y>\d{4})", re.I),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})"),
    re.compile(r"(?<!\d)(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})"),
    re.compile(r"(?<!\d)(?P<d>1[3-9]|2\d|3[01])/(?P<m>\d{1,2})/(?P<y>\d{4})"),  # day first, where it must be
    re.compile(r"(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]?"),
]
_TIME = re.compile(
    r"(?<![\d.])(?P<H>\d{1,2})[:.h](?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?\s?m\.?)?(?![\d])", re.I
)
_OFFSET = re.compile(
    r"(?:\b(?P<name>GMT|UTC)\s*(?P<sign1>[+-])\s*(?P<h1>\d{1,2})(?::?(?P<m1>\d{2}))?)"
    r"|(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2})\b"
    r"|\b(?P<abbr>" + "|".join(_ZONES) + r")\b",
    re.I,
)


def parse_date(value: str | int | float | None) -> str | None:
    """Return ``value`` as ISO 8601 text, or None when it holds no recognisable date.

    Date-only values stay date-only (``1987-02-26``); a time with a known zone gets its offset
    (``2017-03-23T21:13:00+03:00``); a time without one stays naive. Numbers are Unix epochs
    (seconds, or milliseconds when large) in UTC.
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
    for form in _DATE_FORMS:
        found = form.search(text)
        if found:
            parts = found.groupdict()
            month = parts.get("m") or _MONTHS.get(parts["month"].lower().rstrip("."))
            rest = text[: found.start()] + " " + text[found.end():]
            clock = _TIME.search(rest)
            hour = minute = second = ampm = None
            if clock:
                hour, minute, second, ampm = clock["H"], clock["M"], clock["S"], clock["ampm"]
            found = _assemble(parts["y"], month, parts["d"], hour, minute, second, ampm, _offset(rest) if clock else None)
            if found:  # else an impossible date in this order ("29/05/2025" as month first): try the next
                return found
    return None


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
