"""Read country delegations: who heads them, who else is in them, and where they take part.

A delegation is introduced by "headed/led by" ("A delegation of Azerbaijan headed by X",
"the Republic of Azerbaijan is represented by a delegation led by X"); later sentences add
members ("The delegation also includes Y and Z") and the event it attends ("the delegation
attended the 2nd meeting of ..."). The country is read only from the text; a delegation whose
country is not said keeps none.
"""

from __future__ import annotations

import re

from kg.extract.actions import (
    DELEGATION,
    LEAD,
    agents_after,
    delegation_event,
    event_after,
    first_after,
    root,
    subjects_before,
)
from kg.extract.events import EventRef, EventTable
from kg.extract.lexicon import COUNTRY_RE, DEMONYMS
from kg.extract.roles import TitlePhrase
from kg.extract.sentences import Sentence, Span
from kg.facts import Delegation, Meeting, Participation, Position

# Members named in the sentence that names the head: "... was led by X, ..., and included Y and Z".
MEMBERS_HERE = re.compile(r"\b(?:and\s+)?(?:which\s+)?(?:also\s+)?(?:included|includes|including|comprised)\s+")
MEMBERS = re.compile(
    r"\b[Dd]elegation\b[^.;]{0,80}?\b(?:also\s+)?(?:includes|included|including|consists\s+of|consisted\s+of"
    r"|comprises|comprised|is\s+composed\s+of|was\s+composed\s+of)\s+"
)
ATTENDED = re.compile(
    r"\b[Dd]elegation\b\s+(?:also\s+)?(?:attended|took\s+part\s+in|participated\s+in|is\s+taking\s+part\s+in)\b"
)
# Country adjectives ("the Kazakh delegation"), from the one list of countries (reference data).
ADJECTIVES = DEMONYMS
COUNTRY_OF = [
    re.compile(r"\b(?P<adj>" + "|".join(sorted(ADJECTIVES, key=len, reverse=True)) + r")\s+delegation\b"),
    re.compile(r"\bdelegation\s+(?:of|from|representing)\s+(?P<c>" + COUNTRY_RE + r")"),
    re.compile(r"(?P<c>" + COUNTRY_RE + r")\s+(?:is|was|will\s+be)\s+represented\b[^.;]*?\bby\s+a\s+delegation\b"),
]


STATE_OFFICE = re.compile(r"\b(?:Minister|Ambassador|President|Secretary of State)\b")


def state_posts(sentence: Sentence, phrases: list[TitlePhrase], names: list[Span]) -> list[Position]:
    """A state office heading a country's delegation serves that country.

    "A delegation of the Republic of Türkiye led by Deputy Minister of Interior X": X is Deputy
    Minister of Interior of Türkiye, though the title itself names no country.
    """
    m = DELEGATION.search(sentence.text) if "delegation" in sentence.text else None
    country = country_of(sentence.text) if m else None
    if country is None:
        return []
    found = []
    for phrase in phrases:
        head = first_after(phrase.end, names, limit=2)
        if phrase.start >= m.end() and phrase.organization is None and head and STATE_OFFICE.search(phrase.title):
            found.append(Position(head.value, phrase.title, country, evidence=sentence.text))
    return found


def country_of(text: str) -> str | None:
    """The country a delegation sentence names, as written ("Republic of Türkiye") or from an adjective."""
    for pattern in COUNTRY_OF:
        if m := pattern.search(text):
            if m.groupdict().get("adj"):
                return ADJECTIVES[m.group("adj")]
            return re.sub(r"^the\s+", "", m.group("c"))
    return None


def delegations(
    sentences: list[Sentence], people: dict[int, list[Span]], refs: dict[int, list[EventRef]], table: EventTable
) -> tuple[list[Delegation], list[Participation]]:
    """Delegations with a known head, and the participations of their members."""
    found: list[Delegation] = []
    roles: list[Participation] = []
    for s in sentences:
        text, here = s.text, people[s.index]
        named = "elegation" in text  # every delegation pattern below needs the word: skip their scans
        if named and (m := DELEGATION.search(text)) and (head := first_after(m.end(), here, limit=200)):
            event = delegation_event(text, refs[s.index], table)
            found.append(Delegation(event=event, country=country_of(text), head=head.value, evidence=text))
            if more := MEMBERS_HERE.search(text, head.end):
                found[-1].members += [p.value for p in agents_after(text, more.end(), here) if p.value != head.value]
        elif (m := LEAD.search(text)) and (heads := subjects_before(text, m.start(), here)):
            event = event_after(m.end(), refs[s.index], table) or table.main
            found.append(Delegation(event=event, country=country_of(text), head=heads[0].value, evidence=text))
            if more := MEMBERS_HERE.search(text, m.end()):
                listed = agents_after(text, more.end(), here)
                found[-1].members += [p.value for p in listed if p.value != heads[0].value]
        elif found and named and (m := MEMBERS.search(text)):
            for person in agents_after(text, m.end(), here):
                if person.value != found[-1].head and person.value not in found[-1].members:
                    found[-1].members.append(person.value)
        elif found and named and found[-1].event is None and (m := ATTENDED.search(text)):
            found[-1].event = event_after(m.end(), refs[s.index], table)
    kept = [d for d in found if d.event]
    for d in kept:
        d.event = root(d.event, table)
        roles += [Participation(name, d.event, "member of delegation", evidence=d.evidence) for name in d.members]
        roles.append(Participation(d.head, d.event, "head of delegation", evidence=d.evidence))
    return kept, roles


SIDE_ROLES = ("head of delegation", "member of delegation")


def consultation_meetings(participations: list[Participation], table: EventTable) -> list[Meeting]:
    """Bilateral consultations are a meeting of the two sides: the heads of both delegations and
    the members named, at that event ("The X delegation was led by A ... The Y delegation, headed
    by B, included C"). Other events (sessions, working groups) imply no meeting between them."""
    found = []
    for event in table.events:
        if event.kind != "consultations":
            continue
        sides = [p for p in participations if p.event == event.key and p.role in SIDE_ROLES]
        names = list(dict.fromkeys(p.person for p in sides))
        if sum(p.role == "head of delegation" for p in sides) >= 2:
            found.append(
                Meeting(names, date=event.start, location=event.location, event=event.key, evidence=event.evidence)
            )
    return found
