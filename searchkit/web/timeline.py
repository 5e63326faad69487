"""The timeline above the results: hits per day, month or year (chosen by the span of their dates),
every period between the first and the last shown, drawn as SVG bars by the server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_DAYS = 92  # spans up to about three months are drawn by day
MAX_MONTHS = 96  # up to eight years by month; longer ones by year
MAX_BARS = 400  # beyond, only the years that have hits are drawn (a stray date in year 1 or 9999)
WIDTH, BASELINE, TOP = 960, 102, 14  # the drawing's own units (it scales to the page): bars rise from BASELINE to TOP, the peak's count above
WIDEST = 80  # a bar's width at most, when there are few


@dataclass(slots=True)
class Bar:
    period: str  # "1987", "1987-03" or "1987-03-02": also the value of since/until that selects it
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(slots=True)
class Timeline:
    unit: str  # year, month or day
    bars: list[Bar]
    undated: int  # hits without a date, not drawn
    baseline: float = BASELINE

    @property
    def peak(self) -> int:
        return max(bar.count for bar in self.bars)

    def labels(self, count: int = 5) -> list[tuple[float, str]]:
        """A few periods to write under the axis: the first, the last and some evenly between."""
        step = max(1, round(len(self.bars) / (count - 1))) if len(self.bars) > 1 else 1
        chosen = list(range(0, len(self.bars), step))
        if chosen[-1] != len(self.bars) - 1:
            if len(self.bars) - 1 - chosen[-1] < step / 2:
                chosen.pop()
            chosen.append(len(self.bars) - 1)
        return [(self.bars[i].x + self.bars[i].width / 2, self.bars[i].period) for i in chosen]


def unit_for(days: list[dict]) -> str:
    """The period a timeline counts by, from the day facet's buckets (in time order)."""
    first, last = date.fromisoformat(days[0]["value"]), date.fromisoformat(days[-1]["value"])
    if (last - first).days < MAX_DAYS:
        return "day"
    if (last.year - first.year) * 12 + last.month - first.month < MAX_MONTHS:
        return "month"
    return "year"


def build(facets: dict[str, list[dict]], total: int) -> Timeline | None:
    """The timeline of a search's hits from its date facets (``year``, ``month`` and ``day``); None when no hit has a date."""
    days = facets.get("day") or []
    if not days:
        return None
    unit = unit_for(days)
    counts = {bucket["value"]: bucket["count"] for bucket in facets[unit]}
    periods = _periods(unit, facets[unit][0]["value"], facets[unit][-1]["value"])
    if len(periods) > MAX_BARS:
        periods = list(counts)
    peak = max(counts.values())
    width = min(WIDTH / len(periods), WIDEST)
    gap = min(width * 0.15, 2.0)
    bars = []
    for index, period in enumerate(periods):
        height = (BASELINE - TOP) * counts.get(period, 0) / peak
        bars.append(Bar(period, counts.get(period, 0), index * width + gap / 2, BASELINE - height, width - gap, height))
    return Timeline(unit, bars, total - sum(bucket["count"] for bucket in days))


def _periods(unit: str, first: str, last: str) -> list[str]:
    """Every period from the first to the last, inclusive, as the facets write them."""
    if unit == "year":
        return [f"{year:04d}" for year in range(int(first), min(int(last), int(first) + MAX_BARS) + 1)]
    if unit == "month":
        start, end = int(first[:4]) * 12 + int(first[5:7]) - 1, int(last[:4]) * 12 + int(last[5:7]) - 1
        return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(start, end + 1)]
    day, end_day = date.fromisoformat(first), date.fromisoformat(last)
    return [(day + timedelta(days=n)).isoformat() for n in range((end_day - day).days + 1)]
