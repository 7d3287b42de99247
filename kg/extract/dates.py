"""Read dates as the genre writes them and resolve them against the article's own date.

"till November 29" in an undated article becomes "--11-29" (month and day, year unknown);
with a publication date it becomes a full ISO date, moving to the next year when a forward
looking phrase ("until", "will") would otherwise point well into the past. Relative words
("yesterday", "today", "last year") are resolved only when the article is dated: where no
date can be known, none is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kg.extract.lexicon import MONTHS

MONTH = r"(?P<{0}>" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
DAY = r"(?P<{0}>\d{{1,2}})(?:st|nd|rd|th)?"
YEAR = r"(?:,?\s+(?P<{0}>\d{{4}}))?"
DAY_MONTH = DAY.format("d1") + r"\s+(?:of\s+)?" + MONTH.format("m1") + YEAR.format("y1")
MONTH_DAY = MONTH.format("m2") + r"\s+" + DAY.format("d2") + YEAR.format("y2")
SINGLE = re.compile(rf"\b(?:{DAY_MONTH}|{MONTH_DAY})\b")
NUMERIC = re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})\b|\b(?P<iso>\d{4}-\d{2}-\d{2})\b")
TO = r"\s*(?:-|–|to|and|till|until|through)\s*"
RANGE = re.compile(
    r"\b(?:from\s+|between\s+)?(?P<a>\d{1,2})(?:st|nd|rd|th)?" + TO
    + r"(?P<b>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m>[A-Z][a-z]+)\.?(?:,?\s+(?P<y>\d{4}))?\b"
    r"|\b(?P<m2>[A-Z][a-z]+)\.?\s+(?P<a2>\d{1,2})(?:st|nd|rd|th)?" + TO
    + r"(?P<b2>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{4}))?\b"
)
# "from 30 October till 9 November", "from October 30 to November 9, 2023": two months.
SPAN = re.compile(
    rf"\b(?:from\s+|between\s+)?(?:{DAY.format('d1')}\s+{MONTH.format('m1')}|{MONTH.format('m2')}\s+{DAY.format('d2')})"
    + YEAR.format("y1") + TO
    + rf"(?:{DAY.format('d3')}\s+{MONTH.format('m3')}|{MONTH.format('m4')}\s+{DAY.format('d4')})"
    + YEAR.format("y2")
    + r"\b"
)
RELATIVE = re.compile(r"\b(?P<word>yesterday|today|last\s+year|this\s+year|previous\s+year)\b", re.IGNORECASE)
FORWARD = re.compile(r"\b(?:until|till|through|will|to be|upcoming|next)\b", re.IGNORECASE)
DIGIT = re.compile(r"\d")
# A forward-looking date this far before the article's date is taken to mean the next year.
SLACK = timedelta(days=60)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    begin: str  # ISO, --MM-DD, or YYYY for "last year"
    until: str | None = None  # end of a range


def resolve(month: int, day: int, year: int | None, published: str | None, *, forward: bool) -> str | None:
    """Write a date as ISO, or as --MM-DD when neither the text nor the article gives a year."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is None and published:
        year = int(published[:4])
        if forward and _before(year, month, day, published):
            year += 1
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _before(year: int, month: int, day: int, published: str) -> bool:
    """Say whether the date lies more than `SLACK` before the publication date."""
    try:
        return date(year, month, day) < date.fromisoformat(published[:10]) - SLACK
    except ValueError:
        return False


def usable(published: str | None) -> str | None:
    """The article's date when it is a real ISO date; anything else counts as no date."""
    try:
        return date.fromisoformat(published[:10]).isoformat() if published else None
    except (TypeError, ValueError):
        return None


def find_dates(text: str, published: str | None) -> list[Found]:
    """Every date or date range in a sentence, resolved."""
    published = usable(published)
    if not DIGIT.search(text):  # every written date has a digit; only "yesterday" and such have none
        return relative_dates(text, published)
    forward = bool(FORWARD.search(text))
    found: list[Found] = []
    for m in SPAN.finditer(text):
        if r := _span(m, published, forward):
            found.append(r)
    for m in RANGE.finditer(text):
        if not _taken(found, m.start()) and (r := _range(m, published, forward)):
            found.append(r)
    for m in SINGLE.finditer(text):
        if _taken(found, m.start()):
            continue
        month = MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
        day, year = int(m.group("d1") or m.group("d2")), m.group("y1") or m.group("y2")
        if value := resolve(month, day, int(year) if year else None, published, forward=forward):
            found.append(Found(m.start(), m.end(), value))
    for m in NUMERIC.finditer(text):
        value = m.group("iso") or resolve(
            int(m.group("m")), int(m.group("d")), int(m.group("y")), None, forward=False
        )
        if value:
            found.append(Found(m.start(), m.end(), value))
    found += relative_dates(text, published)
    return sorted(found, key=lambda f: f.start)


def relative_dates(text: str, published: str | None) -> list[Found]:
    """ "yesterday", "today", "last year" against the article's date; nothing when it has none."""
    published = usable(published)
    if not published:
        return []
    day = date.fromisoformat(published)
    found = []
    for m in RELATIVE.finditer(text):
        word = " ".join(m.group("word").lower().split())
        value = {
            "yesterday": (day - timedelta(days=1)).isoformat(),
            "today": day.isoformat(),
            "last year": str(day.year - 1),
            "previous year": str(day.year - 1),
            "this year": str(day.year),
        }[word]
        found.append(Found(m.start(), m.end(), value))
    return found


def _taken(found: list[Found], pos: int) -> bool:
    return any(f.start <= pos < f.end for f in found)


def _range(m: re.Match, published: str | None, forward: bool) -> Found | None:
    """A "27-29 November" or "November 27-29" range; both ends share month and year."""
    month_name = (m.group("m") or m.group("m2") or "").lower()
    if month_name not in MONTHS:
        return None
    a, b = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
    year = m.group("y") or m.group("y2")
    month = MONTHS[month_name]
    last = resolve(month, b, int(year) if year else None, published, forward=forward)
    first = _start_for(month, a, last)
    return Found(m.start(), m.end(), first, last) if first and last and first <= last else None


def _span(m: re.Match, published: str | None, forward: bool) -> Found | None:
    """A range over two months; the start takes the end's year, or the year before it."""
    m1 = MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
    m2 = MONTHS[(m.group("m3") or m.group("m4")).lower().rstrip(".")]
    d1, d2 = int(m.group("d1") or m.group("d2")), int(m.group("d3") or m.group("d4"))
    y1, y2 = m.group("y1"), m.group("y2") or m.group("y1")
    last = resolve(m2, d2, int(y2) if y2 else None, published, forward=forward)
    first = resolve(m1, d1, int(y1), None, forward=False) if y1 else _start_for(m1, d1, last)
    return Found(m.start(), m.end(), first, last) if first and last else None


def _start_for(month: int, day: int, last: str | None) -> str | None:
    """The start of a range whose end is `last`: same year, or the year before if it would follow."""
    if last is None:
        return None
    if last.startswith("--"):
        return resolve(month, day, None, None, forward=False)
    year = int(last[:4])
    if (month, day) > (int(last[5:7]), int(last[8:10])):
        year -= 1
    return resolve(month, day, year, None, forward=False)


def year_after(text: str) -> str | None:
    """A bare year right at the start of the text: "in 2019", "was held in 2007"."""
    m = re.match(r"\s*(?:,\s*)?(?:(?:was|were)\s+(?:first\s+)?(?:held|convened|organi[sz]ed)\s+)?in\s+(\d{4})\b", text)
    return m.group(1) if m else None
