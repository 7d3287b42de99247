"""An official's timeline drawn as SVG by the server: posts, ranks, events and meetings on one time axis.

Positions are computed here and the template only prints them, so the picture needs no script
and reads the same with a dozen facts or a thousand: marks are small, labels are on the axis and
in each mark's tooltip, and where many facts fall on one spot three are drawn and the rest
counted beside them ("+40").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kg.web.profiles import Fact

LANES = (("post", "Posts"), ("rank", "Ranks"), ("event", "Events"), ("meeting", "Meetings"), ("other", "Other"))
_LANE_OF = {"post": "post", "election": "post", "rank": "rank", "event": "event", "statement": "event",
            "delegation": "event", "meeting": "meeting"}
WIDTH, LEFT, RIGHT, LANE, TOP = 880, 90, 20, 34, 10
STACK = 3  # marks drawn at one spot; more are counted ("+12")


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    kind: str
    lane: str
    url: str
    tip: str


def parse_day(text: str | None) -> date | None:
    """A date from an xsd:date or dateTime value; None for partial dates ('--03-12') or none."""
    if not text or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def ticks(first: date, last: date) -> list[date]:
    """Axis ticks: 1 January of each year in range, or the first of each month in a short span."""
    if (last - first).days > 3 * 365:
        step = max(1, (last.year - first.year) // 8)
        return [date(y, 1, 1) for y in range(first.year + 1, last.year + 1, step)]
    months, day = [], date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months[:: max(1, len(months) // 10)]


def layout(facts: list[Fact]) -> dict:
    """Where each dated fact goes: x by date, y by lane; the axis ticks; the facts with no date."""
    dated = [(parse_day(f.date), f) for f in facts]
    days = [d for d, _ in dated if d is not None]
    lanes = [lane for lane, _ in LANES]
    height = TOP + LANE * len(LANES) + 30
    if not days:
        return {"marks": [], "more": [], "ticks": [], "lanes": [], "height": height, "width": WIDTH,
                "undated": [f for _, f in dated]}
    first, last = min(days) - timedelta(days=15), max(days) + timedelta(days=15)
    span = (last - first).days

    def x_of(day: date) -> float:
        return round(LEFT + (day - first).days / span * (WIDTH - LEFT - RIGHT), 1)

    marks, taken, more = [], {}, {}
    for day, fact in dated:
        if day is None:
            continue
        lane = _LANE_OF.get(fact.kind, "other")
        tip = " · ".join(p for p in (day.isoformat(), fact.kind, fact.target[1] if fact.target else None,
                                        fact.detail, ", ".join(n for _, n in fact.others) or None) if p)
        x, y = x_of(day), TOP + LANE * lanes.index(lane) + LANE / 2
        spot = (lane, round(x / 6))  # marks closer than a few pixels share a spot
        nth = taken[spot] = taken.get(spot, -1) + 1
        if nth < STACK:  # the first ones one above the other, the rest counted beside them
            marks.append(Mark(x, y + (0, -11, 11)[nth], fact.kind, lane, fact.url, tip))
        else:
            more.setdefault(spot, [x, y, 0])[2] += 1
    return {
        "more": [{"x": x + 8, "y": y + 4, "n": n} for x, y, n in more.values()],
        "marks": marks,
        "ticks": [(x_of(t), t.isoformat()[:7] if span <= 3 * 365 else str(t.year)) for t in ticks(first, last)],
        "lanes": [(TOP + LANE * i + LANE / 2, title) for i, (_, title) in enumerate(LANES)],
        "height": height, "width": WIDTH, "axis_y": TOP + LANE * len(LANES),
        "undated": [f for d, f in dated if d is None],
    }
