"""Fill in where, when, by whom and in what format an event is held, and what it is part of.

Each detail is read only from a sentence that refers to the event, and only from a phrase
attached to that reference ("... session ... in Geneva", "The Forum will continue its work
until December 15", "organized jointly with X and Y"), so a date or place said of something
else in the same article does not leak onto the event.
"""

from __future__ import annotations

import re

from kg.extract.dates import find_dates, year_after
from kg.extract.events import EventRef, EventTable
from kg.extract.lexicon import MONTHS, ORG_HEADS
from kg.extract.orgs import OrgMention
from kg.extract.sentences import Sentence

# "in South Africa's Cape Town": the place is the city the possessive names.
PLACE = r"(?:[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?['’]s\s+(?=[A-Z]))?(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
PLACE_AFTER = re.compile(r"^\s*(?:\([A-Z]{2,8}\)\s*)?,?\s*(?:held\s+)?in\s+(?:the\s+city\s+of\s+)?" + PLACE)
HELD_IN = re.compile(
    r"\b(?:held|hosted|organi[sz]ed|takes? place|taking place|convened)\b[^.;]*?\bin\s+"
    r"(?:the\s+city\s+of\s+)?" + PLACE
)
ORGANIZED = re.compile(
    r"\b(?:co-)?(?:organi[sz]ed|hosted|convened)\s+(?:jointly\s+)?(?:by|with)\s+"
    r"(?P<who>.*?)(?=\s+in\s+[A-Z]|[.;]|$)"
)
# The words FORMAT and ORGANIZED cannot do without: a sentence lacking them is not scanned.
FORMAT_WORD = re.compile(r"format|mode|video", re.I)
ORGANIZED_WORD = re.compile(r"organi[sz]ed|hosted|convened")
GOVERNMENT = re.compile(
    r"\b(?:the\s+)?(?P<g>(?:[A-Z][a-z]+\s+)government|[Gg]overnment\s+of\s+(?:the\s+)?[A-Z][\w ]*?)"
    r"(?=\s+and\b|,|$|\s+in\b)"
)
FORMAT = re.compile(
    r"\b(?:held|organi[sz]ed|conducted|taking place|takes place|convened)\s+"
    r"(?:in\s+an?\s+(?P<mode>hybrid|online|virtual|video|in-person)(?:[\s-]*conferenc(?:e|ing))?\s+(?:format|mode)"
    r"|(?:in\s+the\s+format\s+of\s+an?|via|by|through)\s+(?P<conf>video)[\s-]*(?:conference|link)\b)",
    re.I,
)
UNTIL = re.compile(r"\b(?:until|till|through|to)\s+$")
FROM = re.compile(
    r"\b(?:from|since|starting|on|opened|opens|began|begins|started|starts|held|convened)(?:\s+on)?\s+$"
)
MODES = {
    "online": "video",
    "virtual": "video",
    "video": "video",
    "hybrid": "hybrid",
    "in-person": "in person",
}


def choose_main(table: EventTable, first_refs: list[EventRef]) -> None:
    """The main event: the first current (not historical) session, forum or similar named early."""
    for ref in first_refs:
        event = table.get(ref.key)
        if ref.key not in table.historical and event.kind not in ("segment", "dialogue"):
            table.main = ref.key
            return


def place_and_year(
    sentence: Sentence, refs: list[EventRef], table: EventTable, orgs: list[OrgMention]
) -> None:
    """Read "in <Place>" and "in <year>" written right after an event's name."""
    for ref in (r for r in refs if r.explicit):
        event, rest = table.get(ref.key), sentence.text[ref.end :]
        if (m := PLACE_AFTER.match(rest)) and _is_place(m.group("place"), ref.end + m.start("place"), orgs):
            event.location = event.location or m.group("place")
            rest = rest[m.end() :]
        if year := year_after(rest):
            event.start = event.start or year
            table.historical.add(ref.key)


def _is_place(place: str, pos: int, orgs: list[OrgMention]) -> bool:
    words = place.split()
    return (
        not re.search(r"['’]s$", place)
        and words[0].lower() not in MONTHS
        and not any(w in ORG_HEADS for w in words)
        and not any(o.start <= pos < o.end for o in orgs)
    )


def subject_details(
    sentence: Sentence, refs: list[EventRef], table: EventTable, orgs: list[OrgMention], published: str | None
) -> list[str]:
    """Details of a sentence about an event: place held, format, dates, organizers.

    Returns organizer names that are governments (not found as organizations elsewhere).
    """
    if not refs:
        return []
    event, text = table.get(refs[0].key), sentence.text
    if (m := HELD_IN.search(text)) and _is_place(m.group("place"), m.start("place"), orgs):
        event.location = event.location or m.group("place")
    if FORMAT_WORD.search(text) and (m := FORMAT.search(text)):
        event.mode = event.mode or MODES[(m.group("mode") or m.group("conf")).lower()]
    _dates(text, event, published)
    return _organizers(text, event, orgs)


def _dates(text: str, event, published: str | None) -> None:
    for found in find_dates(text, published):
        before = text[: found.start]
        if found.until:
            event.start, event.end = event.start or found.begin, event.end or found.until
        elif UNTIL.search(before):
            event.end = event.end or found.begin
        elif FROM.search(before):
            event.start = event.start or found.begin


def _organizers(text: str, event, orgs: list[OrgMention]) -> list[str]:
    m = ORGANIZED.search(text) if ORGANIZED_WORD.search(text) else None
    if not m:
        return []
    span = (m.start("who"), m.end("who"))
    names = [o.name for o in orgs if span[0] <= o.start < span[1]]
    governments = [g.group("g") for g in GOVERNMENT.finditer(m.group("who"))]
    for name in governments + names:
        if name not in event.organizers:
            event.organizers.append(name)
    return governments


def link_parts(sentence: Sentence, refs: list[EventRef], table: EventTable) -> None:
    """Attach a segment or dialogue to the session or forum it is held within."""
    for ref in refs:
        event = table.get(ref.key)
        if event.kind not in ("segment", "dialogue") or event.part_of:
            continue
        parents = [r.key for r in refs if table.get(r.key).kind not in ("segment", "dialogue")]
        event.part_of = parents[0] if parents else table.main
        parent = table.get(event.part_of) if event.part_of else None
        if parent and parent.location and not event.location:
            event.location = parent.location
