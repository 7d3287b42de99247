"""Read what people do at events: lead delegations, attend, speak, and meet each other.

Only what the text says outright counts. A delegation "headed by" someone, a person who
"attended" or "took part in" an event, a speech, address or video message given at an event,
and a meeting "with" a named person. The doer of a finite verb is the person named just
before it in the same clause ("X and Y made opening speeches"); the doer of an opening
participle is the first person named after it ("Speaking at the session, X ...").
"""

from __future__ import annotations

import re

from kg.extract.dates import find_dates
from kg.extract.events import EventRef, EventTable
from kg.extract.sentences import Sentence, Span
from kg.facts import Meeting, Participation, Statement

EVENT_NOUN = (
    r"(?:session|forum|conference|summit|meeting|event|participants|gathering|audience|segment|plenary"
    r"|assembly|dialogue|congress)"
)
SPEECH_VERB = re.compile(
    r"\b(?:addressed|addresses)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?" + EVENT_NOUN + r"\b"
    r"|\b(?:spoke|speaks)\s+(?:at|during|before)\b"
    r"|\b(?:delivered|delivers|made|makes|gave|gives|presented)\s+(?:a|an|the|his|her|their)?\s*(?:[\w-]+\s+){0,2}?"
    r"(?:statement|speech|address|remarks|message|report|presentation)(?:es|s)?\b",
    re.IGNORECASE,
)
SPEECH_OPENING = re.compile(
    r"^(?:\w+,\s*)?(?:(?:Speaking|Addressing)\s+(?:at|in|during|before|to|the)\b|In\s+(?:his|her)\s+(?:speech|address|statement|remarks)\b)"
)
VIDEO = re.compile(r"\bvideo\b|\bonline\b|\bvirtual(?:ly)?\b|\bremotely\b", re.IGNORECASE)
DELEGATION = re.compile(r"\bdelegation\b[^.;]*?\b(?:headed|led|chaired)\s+by\s+")
ATTEND = re.compile(
    r"\b(?:attended|attends|attending|participated\s+in|participates\s+in|participating\s+in"
    r"|took\s+part\s+in|takes\s+part\s+in|taking\s+part\s+in|chaired|co-chaired)\b(?!\s+by\b)"
)
MEET = re.compile(
    r"\b(?:met|meets|meeting)\s+(?:(?:yesterday|today|also|separately|later|then|again)\s+)?with\b|\b(?:held|had)\s+(?:a\s+)?(?:bilateral\s+|separate\s+)?"
    r"(?:meeting|talks|discussions?)\s+with\b|\breceived\b|\bmeeting\s+between\b"
)
WITHIN = re.compile(
    r"\b(?:within|in)\s+the\s+framework\s+of\b|\bon\s+the\s+(?:sidelines|margins)\s+of\b|\bduring\b|\bat\b",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r";|\bwhile\b|\bwhereas\b|,\s+(?:and|but)\s|\.\s")
BOUNDARY = re.compile(r";|\bwhere\b|\bwhile\b|\bwhereas\b")
JOINED = re.compile(r"^\s*,?\s*(?:and|as well as)\s+(?:[\w.-]+\s+){0,5}$")
ROLE_RANK = {"head of delegation": 4, "speaker": 3, "member of delegation": 2, "participant": 1}
# "The forum was also addressed by X and Y", "The session was chaired by X": the agents follow.
PASSIVE = re.compile(
    r"\b(?:was|were|is|are)\s+(?:also\s+)?(?P<verb>addressed|chaired|co-chaired|moderated|attended)\s+by\s+"
)
AMONG_SPEAKERS = re.compile(
    r"\b[Aa]mong\s+(?:the\s+)?(?:other\s+)?speakers\s+(?:were|was)\s+(?:also\s+)?"
    r"|\b[Ss]peakers\s+(?:at\s+(?:the\s+)?\w+(?:\s+\w+)?\s+)?(?:also\s+)?(?:included|include|were)\s+(?:also\s+)?"
)
LIST_GAP = re.compile(r"^(?:\s*,|\s*,?\s*(?:and|as well as))\s*(?:(?:Mr|Mrs|Ms|Dr)\.?\s*)?$")


def subjects_before(text: str, pos: int, people: list[Span]) -> list[Span]:
    """The person (or persons joined by "and") named last before a verb, in the same clause."""
    floor = max((m.end() for m in BOUNDARY.finditer(text, 0, pos)), default=0)
    before = [p for p in people if floor <= p.start and p.end <= pos]
    if not before:
        return []
    chosen = [before[-1]]
    for p in reversed(before[:-1]):
        if JOINED.match(text[p.end : chosen[0].start]):
            chosen.insert(0, p)
    return chosen


def first_after(pos: int, people: list[Span], limit: int | None = None) -> Span | None:
    after = [p for p in people if p.start >= pos and (limit is None or p.start - pos <= limit)]
    return after[0] if after else None


def objects_after(text: str, pos: int, people: list[Span]) -> list[Span]:
    """The person named first after a verb, plus any joined to it by "and"."""
    first = first_after(pos, people, limit=160)
    if first is None or "," in text[pos : first.start] and "Mr" not in text[pos : first.start]:
        return []
    chosen = [first]
    for p in people:
        if p.start > chosen[-1].end and JOINED.match(text[chosen[-1].end : p.start]):
            chosen.append(p)
    return chosen


def root(key: str, table: EventTable) -> str:
    event = table.get(key)
    return root(event.part_of, table) if event.part_of else key


def event_after(pos: int, refs: list[EventRef], table: EventTable) -> str | None:
    """The event a verb governs: the innermost one named after it, else "the session", else any."""
    after = [r for r in refs if r.start >= pos]
    named = [r for r in after if r.explicit]
    for group in (named, after, refs):
        if group:
            inner = [r for r in group if table.get(r.key).part_of]
            return (inner or group)[0].key
    return None


def statements(
    sentence: Sentence, people: list[Span], refs: list[EventRef], table: EventTable
) -> list[Statement]:
    """Speeches, addresses and video messages given at an event."""
    text, found = sentence.text, []
    if listed := listed_speakers(text, people, refs, table):
        return [Statement(person.value, event, evidence=text) for person, event in listed]
    if m := SPEECH_OPENING.match(text):
        speaker = first_after(m.end(), people)
        speakers = [speaker] if speaker else []
        window = text[m.start() : m.end() + 40]
    elif m := SPEECH_VERB.search(text):
        speakers = subjects_before(text, m.start(), people)
        window = _clause(text, m.start())
    else:
        return []
    event = event_after(m.start(), refs, table) or table.main
    if event is None:
        return []
    mode = "video" if VIDEO.search(window) else None
    for person in speakers:
        found.append(Statement(person.value, event, mode=mode, evidence=text))
    return found


def _clause(text: str, pos: int) -> str:
    """The rest of the clause from `pos`: "addressed the session of ... via video link"."""
    end = min((m.start() for m in CLAUSE_END.finditer(text, pos)), default=len(text))
    return text[pos:end]


def agents_after(text: str, pos: int, people: list[Span]) -> list[Span]:
    """The persons listed right after `pos`: "X, Minister of ..., and Y, Head of ...", in one clause."""
    clause_end = min((m.start() for m in re.finditer(r";|\.\s", text[pos:])), default=len(text) - pos) + pos
    names = [p for p in people if pos <= p.start < clause_end and p.kind in ("name", "alias", "role")]
    if not names or names[0].start - pos > 90 or "," in text[pos : names[0].start]:
        return []
    chosen = [names[0]]
    for p in names[1:]:
        gap = text[chosen[-1].end : p.start]
        if LIST_GAP.match(gap) or re.search(r",\s*(?:and|as well as)\s*(?:(?:Mr|Mrs|Ms|Dr)\.?\s*)?$", gap):
            chosen.append(p)
    return chosen


def listed_speakers(
    text: str, people: list[Span], refs: list[EventRef], table: EventTable
) -> list[tuple[Span, str]]:
    """Speakers listed after "was addressed by" or "Among the speakers were"."""
    m = AMONG_SPEAKERS.search(text)
    if not m:
        m = next((x for x in PASSIVE.finditer(text) if x.group("verb") == "addressed"), None)
    if not m:
        return []
    before = [r for r in refs if r.end <= m.start()]
    event = before[-1].key if before else table.main
    if event is None:
        return []
    return [(person, event) for person in agents_after(text, m.end(), people)]


def participations(
    sentence: Sentence, people: list[Span], refs: list[EventRef], table: EventTable
) -> list[Participation]:
    """Delegation heads and attendees stated outright."""
    text, found = sentence.text, []
    if m := DELEGATION.search(text):
        head = first_after(m.end(), people, limit=200)
        event = event_after(0, refs, table) or (
            table.main if re.search(r"represent|part|particip|attend", text) else None
        )
        if head and event:
            found.append(Participation(head.value, root(event, table), "head of delegation", evidence=text))
    for m in PASSIVE.finditer(text):
        before = [r for r in refs if r.end <= m.start()]
        if m.group("verb") != "addressed" and before:
            for person in agents_after(text, m.end(), people):
                found.append(Participation(person.value, root(before[-1].key, table), "participant", evidence=text))
    for m in ATTEND.finditer(text):
        event = event_after(m.end(), refs, table)
        for person in subjects_before(text, m.start(), people) if event else []:
            found.append(Participation(person.value, root(event, table), "participant", evidence=text))
    return found


def speakers(found: list[Statement], table: EventTable) -> list[Participation]:
    """A statement at an event makes its author a speaker there (at the enclosing event)."""
    return [Participation(s.person, root(s.event, table), "speaker", evidence=s.evidence) for s in found]


def strongest(found: list[Participation]) -> list[Participation]:
    """One participation per person and event, with the strongest role stated."""
    best: dict[tuple[str, str], Participation] = {}
    for p in found:
        key = (p.person, p.event)
        if key not in best or ROLE_RANK.get(p.role, 0) > ROLE_RANK.get(best[key].role, 0):
            best[key] = p
    return list(best.values())


def meetings(
    sentence: Sentence, people: list[Span], refs: list[EventRef], published: str | None
) -> list[Meeting]:
    """Meetings between named persons, with the event they were held within and a date if given."""
    text = sentence.text
    m = MEET.search(text)
    if not m:
        return []
    between = m.group(0).endswith("between")
    side_a = [] if between else subjects_before(text, m.start(), people)
    side_b = objects_after(text, m.end(), people)
    if between and len(side_b) < 2:  # "between X, Chief of ..., and Y, Director of ..."
        side_b = agents_after(text, m.end(), people)
    names = list(dict.fromkeys(p.value for p in side_a + side_b))
    if len(names) < 2:
        return []
    within = [w.end() for w in WITHIN.finditer(text)]
    event = next((r.key for r in refs if any(0 <= r.start - w <= 12 for w in within)), None)
    dates = find_dates(text, published)
    place = re.search(r"\bheld\s+in\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)", text[m.end() :])
    return [
        Meeting(
            names,
            date=dates[0].begin if dates else None,
            location=place.group(1) if place else None,
            event=event,
            evidence=text,
        )
    ]


def pronoun_refs(sentence: Sentence, last_subject: str | None) -> list[Span]:
    """ "He"/"She" as a clause subject stands for the person last named as a subject."""
    if last_subject is None:
        return []
    return [
        Span(m.start(), m.end(), last_subject, "pronoun")
        for m in re.finditer(r"(?:^|(?<=[,;] ))(?:He|She|he|she)\b", sentence.text)
    ]


GUEST = re.compile(r"\b[Tt]he\s+(?:[A-Z][a-z]+\s+)?(?:guest|visitor)\b(?!s)")
HOST_VERB = re.compile(
    r"\breceived\s+(?:(?:a|the)\s+(?:[\w-]+\s+){0,6}?delegation\s+(?:led|headed)\s+by\s+)?(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?$"
)
HOSTED_BY = re.compile(r"^\s*,?\s*(?:was|were)\s+(?:also\s+)?received\s+by\b")


def guest_of(sentence: Sentence, people: list[Span]) -> str | None:
    """The person a sentence says was received: "X received Y", "Y was received by X"."""
    for p in people:
        if p.kind in ("name", "alias") and (
            HOST_VERB.search(sentence.text[: p.start]) or HOSTED_BY.match(sentence.text[p.end :])
        ):
            return p.value
    return None


def guest_refs(sentence: Sentence, guest: str | None) -> list[Span]:
    """ "The guest", "the Jordanian guest" stand for the person last received."""
    if guest is None:
        return []
    return [Span(m.start(), m.end(), guest, "role") for m in GUEST.finditer(sentence.text)]
