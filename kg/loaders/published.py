"""Read a publication date as sites and feeds write it, into an ISO date or nothing.

Feeds and pages write the same day in many ways: ISO timestamps ("2024-01-16T15:42:00+04:00"),
RSS/e-mail dates ("Tue, 16 Jan 2024 15:42:00 +0400"), numeric dates ("16.01.2024 | 11:45") and
written ones ("16 January 2024", "January 16, 2024"). A value that reads as none of them is no
date at all: extraction resolves "today" or "till November 29" against this value, so a wrong
guess would spread; `None` is the safe answer.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

from kg.month_names import MONTHS

_MONTH = r"(?P<{0}>[A-Za-z]{{3,9}})\.?"
ISO = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
NUMERIC = re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})\b")
WRITTEN = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.format("m1") + r",?\s+(?P<y1>\d{4})"
    r"|" + _MONTH.format("m2") + r"\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4}))\b"
)
# A line that is only a date (and maybe a time, a weekday, a zone): "16.05.2024 | 11:45".
TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*\(?(?:UTC|GMT)?[+-]?\d{0,2}:?\d{0,2}\)?)?)"
WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?"
DATE_ONLY = re.compile(
    r"^\s*(?:(?:Published|Posted|Date|Updated)\s*:?\s*)?(?:" + WEEKDAY + r"\s+)?"
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
    r"\s*(?:[,|·/-]|\bat\b)?\s*" + TIME + r"?\s*$",
    re.IGNORECASE,
)


def iso_date(value: object) -> str | None:
    """The ISO date (YYYY-MM-DD) a publication-date value names, or `None` when it names none."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if m := ISO.match(text):
        return _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        try:
            return parsedate_to_datetime(text).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    return written_date(text)


def written_date(text: str) -> str | None:
    """The first full date (day, month and year) written anywhere in `text`."""
    if m := ISO.search(text):
        return _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if m := NUMERIC.search(text):
        return _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if m := WRITTEN.search(text):
        month = MONTHS.get((m.group("m1") or m.group("m2")).lower())
        day, year = m.group("d1") or m.group("d2"), m.group("y1") or m.group("y2")
        return _valid(int(year), month, int(day)) if month else None
    return None


def date_line(line: str) -> str | None:
    """The date of a line that holds nothing but a date (and a time): a site's date line."""
    return written_date(line) if DATE_ONLY.match(line) else None


def _valid(year: int, month: int | None, day: int) -> str | None:
    try:
        return date(year, month or 0, day).isoformat()
    except ValueError:
        return None
