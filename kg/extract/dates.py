"""Read dates as the genre writes them and resolve them against the article's own date.

"till November 29" in an undated article becomes "--11-29" (month and day, year unknown);
with a publication date it becomes a full ISO date, moving to the next year when a forward
looking phrase ("until", "will") would otherwise point into the past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.lexicon import MONTHS

MONTH = r"(?P<{0}>" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
DAY = r"(?P<{0}>\d{{1,2}})(?:st|nd|rd|th)?"
YEAR = r"(?:,?\s+(?P<{0}>\d{{4}}))?"
DAY_MONTH = DAY.format("d1") + r"\s+(?:of\s+)?" + MONTH.format("m1") + YEAR.format("y1")
MONTH_DAY = MONTH.format("m2") + r"\s+" + DAY.format("d2") + YEAR.format("y2")
SINGLE = re.compile(rf"\b(?:{DAY_MONTH}|{MONTH_DAY})\b")
NUMERIC = re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})\b|\b(?P<iso>\d{4}-\d{2}-\d{2})\b")
RANGE = re.compile(
    r"\b(?:from\s+|between\s+)?(?P<a>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to|and|till|until)\s*"
    r"(?P<b>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m>[A-Z][a-z]+)\.?(?:,?\s+(?P<y>\d{4}))?\b"
    r"|\b(?P<m2>[A-Z][a-z]+)\.?\s+(?P<a2>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to|and|till|until)\s*"
    r"(?P<b2>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{4}))?\b"
)
FORWARD = re.compile(r"\b(?:until|till|through|will|to be|upcoming|next)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    begin: str  # ISO or --MM-DD
    until: str | None = None  # end of a range


def resolve(month: int, day: int, year: int | None, published: str | None, *, forward: bool) -> str | None:
    """Write a date as ISO, or as --MM-DD when neither the text nor the article gives a year."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is None and published:
        year = int(published[:4])
        if forward and f"{month:02d}-{day:02d}" < published[5:10]:
            year += 1
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def find_dates(text: str, published: str | None) -> list[Found]:
    """Every date or date range in a sentence, resolved."""
    forward = bool(FORWARD.search(text))
    found: list[Found] = []
    for m in RANGE.finditer(text):
        if r := _range(m, published, forward):
            found.append(r)
    for m in SINGLE.finditer(text):
        if any(f.start <= m.start() < f.end for f in found):
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
    return sorted(found, key=lambda f: f.start)


def _range(m: re.Match, published: str | None, forward: bool) -> Found | None:
    """A "27-29 November" or "November 27-29" range; both ends share month and year."""
    month_name = (m.group("m") or m.group("m2") or "").lower()
    if month_name not in MONTHS:
        return None
    a, b = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
    year = m.group("y") or m.group("y2")
    month = MONTHS[month_name]
    first = resolve(month, a, int(year) if year else None, published, forward=forward)
    last = resolve(month, b, int(year) if year else None, published, forward=forward)
    return Found(m.start(), m.end(), first, last) if first and last else None


def year_after(text: str) -> str | None:
    """A bare year right at the start of the text: "in 2019"."""
    m = re.match(r"\s*(?:,\s*)?in\s+(\d{4})\b", text)
    return m.group(1) if m else None
