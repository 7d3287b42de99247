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
from kg.extract.signals import signal
from kg.facts import Meeting, Participation, Statement

SPEECH_VERB = signal("speech")
SPEECH_OPENING = signal("speech_opening")
REPORTED = signal("reported_speech")
VIDEO = signal("video")
DELEGATION = re.compile(r"\bdelegation\b[^.;]*?\b(?:headed|led|chaired)\s+by\s+")
ATTEND = signal("attendance")
ATTENDED_BY = signal("attended_by")
ATTENDEES_LISTED = signal("attendees_listed")
READ_OUT_BY = signal("read_out_by")
LEAD = signal("lead")
SIDE_LED_BY = signal("side_led_by")
MEET = signal("meeting")
MEET_BY = signal("meeting_by")
MEET_WITH = signal("meeting_with")
PRESENCE = signal("presence")
# "held bilateral meetings with his counterparts": the meetings the article then lists were one each.
ONE_EACH = re.compile(r"\b(?:bilateral|separate|individual)\s+meetings\b")
# "met delegates from A, B and C in a closed-door meeting": the people then listed met together.
TOGETHER = re.compile(
    r"\b(?:a|one|the)\s+(?:joint|closed-door|trilateral|quadrilateral|multilateral|three-way|four-way)\s+meeting\b"
)
AMONG_SPEAKERS = signal("speakers_listed")
PLURAL_SPEECH = re.compile(r"\btheir\b|\b(speeches|statements|addresses|messages|reports|presentations)\b")
WITHIN = re.compile(
    r"\b(?:within|in)\s+the\s+framework\s+of\b|\b(?:on|in)\s+the\s+(?:sidelines?|margins?)\s+of\b|\bduring\b|\bat\b",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r";|\bwhile\b|\bwhereas\b|,\s+(?:and|but)\s|\.\s")
BOUNDARY = re.compile(r";|\bwhere\b|\bwhile\b|\bwhereas\b|\b(?:said|says|noted|stated|added|announced)\s+that\b")
# A meeting only planned or hoped for is not one: "is scheduled to hold talks with", "will meet".
NOT_YET = re.compile(
    r"\b(?:will|would|shall|to|plans?\s+to|expected\s+to|scheduled\s+to|going\s+to|is\s+to|intends?\s+to)\s+$"
)
JOINED = re.compile(r"^\s*,?\s*(?:and|as well as)\s+(?:[\w.-]+\s+){0,5}$")
# "X, the High Commissioner ..., and Y, Chairman of ..., in their remarks": a list of people with titles.
JOINED_LIST = re.compile(r"^\s*(?:\([^()]{1,40}\)\s*)?(?:,|,?\s*and\b|,?\s*as\s+well\s+as\b)[^;.]{0,110}$")
ROLE_RANK = {"head of delegation": 4, "speaker": 3, "member of delegation": 2, "participant": 1}
HON = r"(?:(?:Mr|Mrs|Ms|Dr|Prof|H\.\s?E|Madam|Sir)\.?\s*)*"
LIST_GAP = re.compile(r"^(?:\s*,|\s*,?\s*(?:and|as well as))\s*" + HON + "$")
# A list item introduced after a title: "..., Director of X; H.E. Y" or "... and Ms Y".
NEXT_ITEM = re.compile(r"(?:,|;|\band\b)\s*(?:and\s+)?" + HON + r"$")
# A list item whose title comes before the name: "..., Deputy Minister of Culture Y and Deputy Minister of Z W".
TITLED_ITEM = re.compile(
    r"^\s*(?:[,;]\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?[A-Z][\w'’.-]*(?:,?\s+[\w'’().–-]+){0,14}\s*$"
)
CLAUSE_WORDS = re.compile(r"\b(?:was|were|is|are|has|have|had|said|which|who|where|when|while)\b")
# A gap a meeting verb may have before its object: "met the Minister of X, Ms. Y".
NOT_A_MEETING = re.compile(r"\b(?:letter|message|award|invitation|congratulat\w*|call|support|from|report|copy)\b")


def subjects_before(
    text: str, pos: int, people: list[Span], *, listed: bool = False, plural: bool = False
) -> list[Span]:
    """The person (or persons joined by "and") named last before a verb, in the same clause.

    With `listed`, a list of people with their titles counts too ("X, the High Commissioner,
    and Y, Chairman of ..., in their remarks"): the verb's plural says they are several. With
    `plural` the words say so outright ("... delivered speeches"), and a list needs no "and".
    """
    floor = max((m.end() for m in BOUNDARY.finditer(text, 0, pos)), default=0)
    before = [p for p in people if floor <= p.start and p.end <= pos]
    if not before:
        return []
    chosen = [before[-1]]
    for p in reversed(before[:-1]):
        gap = text[p.end : chosen[0].start]
        plain = re.sub(r"\b(?:Mr|Mrs|Ms|Dr|Prof|H\.\s?E)\.", "", gap)
        # A list of people with titles closes with "and" before its last name: "A, ..., B and C".
        closed = plural or len(chosen) > 1 or re.search(r"\b(?:and|as\s+well\s+as)\b", plain)
        if JOINED.match(gap) or (listed and closed and JOINED_LIST.match(plain) and not CLAUSE_WORDS.search(plain)):
            chosen.insert(0, p)
    return chosen


def first_after(pos: int, people: list[Span], limit: int | None = None) -> Span | None:
    after = [p for p in people if p.start >= pos and (limit is None or p.start - pos <= limit)]
    return after[0] if after else None


def _appositive_gap(gap: str) -> bool:
    """What may stand between a verb and the person it governs: nothing, or a title in apposition
    ("the Minister for Foreign Affairs, Ms. Y"), never a clause of its own (", who ...")."""
    if "," not in gap:
        return not CLAUSE_WORDS.search(gap)
    return not CLAUSE_WORDS.search(gap) and not re.search(r",\s+(?!and\b)[a-z]", gap) and "." not in re.sub(
        r"\b(?:Mr|Mrs|Ms|Dr|Prof|H\.\s?E)\.", "", gap
    )


def objects_after(text: str, pos: int, people: list[Span]) -> list[Span]:
    """The person named first after a verb, plus any listed with it ("A, B and C")."""
    first = first_after(pos, people, limit=200)
    if first is None or not _appositive_gap(text[pos : first.start]):
        return []
    return _listed_from(text, first, people)


def _listed_from(text: str, first: Span, people: list[Span], *, semicolons: bool = False) -> list[Span]:
    """`first` and the people listed after it: joined by "and", by commas, or each after a title
    ("A, Director of X; H.E. B, Minister of Y, and Ms C")."""
    chosen = [first]
    for p in people:
        if p.start <= chosen[-1].end:
            continue
        gap = text[chosen[-1].end : p.start]
        if ("." in re.sub(r"\b(?:Mr|Mrs|Ms|Dr|Prof|H\.\s?E|St|No)\.", "", gap)) or (";" in gap and not semicolons):
            break
        listed = len(gap) <= 150 and (NEXT_ITEM.search(gap) or TITLED_ITEM.match(gap)) and not CLAUSE_WORDS.search(gap)
        # "...; Mr. B" in a list of speakers: the semicolon and honorific open an item whatever came before.
        listed = listed or (semicolons and len(gap) <= 220 and re.search(r";\s*(?:and\s+)?" + HON + r"$", gap))
        if JOINED.match(gap) or LIST_GAP.match(gap) or listed:
            chosen.append(p)
        else:
            break
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
        # "A, Minister of X, B, President of Y, delivered speeches": "their" or a plural noun says several.
        several = PLURAL_SPEECH.search(m.group(0))
        speakers = subjects_before(text, m.start(), people, listed=bool(several), plural=bool(several and several[1]))
        window = _clause(text, m.start())
    else:
        return []
    first = min((p.start for p in speakers), default=m.start())
    # "X, the chairman of the 72nd session, Y, in their remarks": that session is not where they spoke.
    outside = [r for r in refs if not first <= r.start < m.start()]
    event = event_after(m.start(), outside, table) or table.main
    if event is None:
        return []
    # Said by video, or at an event held wholly by video.
    mode = "video" if VIDEO.search(window) or table.get(event).mode == "video" else None
    for person in speakers:
        found.append(Statement(person.value, event, mode=mode, evidence=text))
    return found


# Events whose report quotes what was said there; a bilateral visit or a call is not among them.
SPEECH_EVENTS = frozenset(
    ("session", "forum", "conference", "summit", "meeting", "ceremony", "round table", "seminar", "day-event")
    + ("segment", "consultations")
)


def reported(sentence: Sentence, people: list[Span], refs: list[EventRef], table: EventTable) -> list[Statement]:
    """ "X stressed that ...", "X spoke about ...": in the report of an event, what X said there.

    The event is one named right after "at"/"during", else the article's main event, and only one
    of a kind where speeches are made. The caller drops those of a person the article has meeting
    someone: remarks inside a bilateral meeting are not statements.
    """
    main = table.get(table.main) if table.main else None
    text = sentence.text
    if main is None or main.kind not in SPEECH_EVENTS:
        return []
    for m in REPORTED.finditer(text):
        speakers = subjects_before(text, m.start(), people)
        if not speakers or NOT_YET.search(text[: m.start()]) or TO_THE_PRESS.search(text, speakers[0].start):
            continue
        at = [r for r in refs if r.explicit and r.start >= m.end() and AT_EVENT.search(text[m.end() : r.start])]
        event = at[0].key if at else main.key
        mode = "video" if table.get(event).mode == "video" else None
        return [Statement(p.value, event, mode=mode, evidence=text) for p in speakers]
    return []


# "X had said that ..." (before the event), "X told reporters": not said at the event.
TO_THE_PRESS = re.compile(
    r"\bhad\s+(?:said|stated|noted|stressed)\b|\b(?:told|interview|reporters|journalists|correspondents?)\b"
)
AT_EVENT = re.compile(r"^\s*(?:at|during)\s+(?:the\s+)?(?:(?:opening|closing|start)\s+of\s+the\s+)?$")


def _clause(text: str, pos: int) -> str:
    """The rest of the clause from `pos`: "addressed the session of ... via video link"."""
    end = min((m.start() for m in CLAUSE_END.finditer(text, pos)), default=len(text))
    return text[pos:end]


def agents_after(text: str, pos: int, people: list[Span]) -> list[Span]:
    """The persons listed right after `pos`: "X, Minister of ..., and Y, Head of ...", in one clause.

    A semicolon separates items when the next item is a person ("made by: A, Director of X;
    H.E. B, Minister of Y"); otherwise it ends the clause.
    """
    names = [p for p in people if p.start >= pos and p.kind in ("name", "alias", "role")]
    if not names or names[0].start - pos > 120 or not _title_gap(text[pos : names[0].start]):
        return []
    return _listed_from(text, names[0], names, semicolons=True)


def _title_gap(gap: str) -> bool:
    """Between "attended by" and a name: nothing, an honorific or a title ("Ambassador,
    Permanent Representative of X to the EU"), but no clause."""
    gap = re.sub(r"\b(?:Mr|Mrs|Ms|Dr|Prof|H\.\s?E)\.", "", gap)
    return not re.search(r"[;.]\s|\b(?:was|were|is|are|which|who|said)\b", gap)


def listed_speakers(
    text: str, people: list[Span], refs: list[EventRef], table: EventTable
) -> list[tuple[Span, str]]:
    """Speakers listed after "was addressed by", "speeches were made by" or "Among the speakers were"."""
    m = AMONG_SPEAKERS.search(text)
    if not m:
        return []
    before = [r for r in refs if r.start < m.end()]
    event = before[-1].key if before else table.main
    if event is None:
        return []
    return [(person, event) for person in agents_after(text, m.end(), people)]


def delegation_event(text: str, refs: list[EventRef], table: EventTable) -> str | None:
    """The event a delegation sentence is about: one it names, else the article's main event when
    the sentence says the delegation took part, or when that event is bilateral consultations
    (each side's delegation is there by definition)."""
    main = table.get(table.main) if table.main else None
    if named := event_after(0, refs, table):
        return named
    if main and (re.search(r"represent|part|particip|attend", text) or main.kind == "consultations"):
        return main.key
    return None


def participations(
    sentence: Sentence, people: list[Span], refs: list[EventRef], table: EventTable
) -> list[Participation]:
    """Delegation heads and attendees stated outright."""
    text, found = sentence.text, []
    if "delegation" in text and (m := DELEGATION.search(text)):
        head = first_after(m.end(), people, limit=200)
        event = delegation_event(text, refs, table)
        if head and event:
            found.append(Participation(head.value, root(event, table), "head of delegation", evidence=text))
    for m in SIDE_LED_BY.finditer(text):  # "the Mongolian side was chaired by X"
        head = first_after(m.end(), people, limit=120)
        event = event_after(0, refs, table) or table.main
        if head and event and _title_gap(text[m.end() : head.start]):
            found.append(Participation(head.value, root(event, table), "head of delegation", evidence=text))
    for m in LEAD.finditer(text):  # "X led the delegation at the regular meeting of ..."
        event = event_after(m.end(), refs, table) or table.main
        for person in subjects_before(text, m.start(), people) if event else []:
            found.append(Participation(person.value, root(event, table), "head of delegation", evidence=text))
    for m in ATTENDED_BY.finditer(text):
        before = [r for r in refs if r.start < m.start()]
        if not before:
            continue
        event = table.get(before[-1].key)
        role = "head of delegation" if "chaired" in m.group(0) and event.kind == "consultations" else "participant"
        role = "speaker" if "moderated" in m.group(0) else role  # a moderator speaks at the event
        for person in agents_after(text, m.end(), people):
            found.append(Participation(person.value, root(event.key, table), role, evidence=text))
    for m in READ_OUT_BY.finditer(text):  # "the Premier's message was read out by Ambassador X at the forum"
        event = event_after(m.end(), refs, table) or table.main
        for person in agents_after(text, m.end(), people)[:1] if event else []:
            found.append(Participation(person.value, root(event, table), "speaker", evidence=text))
    for m in ATTENDEES_LISTED.finditer(text):  # "The high-level guests included X, Y and Z"
        before = [r.key for r in refs if r.start < m.start()]
        event = before[-1] if before else table.main
        for person in agents_after(text, m.end(), people) if event else []:
            found.append(Participation(person.value, root(event, table), "participant", evidence=text))
    for m in ATTEND.finditer(text):
        event = event_after(m.end(), refs, table)
        for person in subjects_before(text, m.start(), people, listed=True) if event else []:
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
    sentence: Sentence,
    people: list[Span],
    refs: list[EventRef],
    published: str | None,
    host: str | None = None,
    *,
    one_each: bool = False,
    together: bool = False,
) -> list[Meeting]:
    """Meetings between named persons, with the event they were held within and a date if given.

    "X met (with) Y", "X received Y and Z", "X paid a courtesy call on Y", "Y was received by X",
    "his meeting with Y", "talks between X and Y". One person meeting three or more named
    in a list, or meeting them "separately", makes one meeting with each; otherwise one meeting.
    `host` is the person the headline says met someone: a body sentence whose subject is only
    a title ("the Deputy Minister of ... received X") is about that person. `one_each`: the
    article has said the meetings were bilateral ("held bilateral meetings with his
    counterparts"), so a host meeting two or more listed people met each of them on their own;
    `together`: it has said they met in one ("a closed-door meeting"), however many are listed.
    "Separately" in the sentence itself decides over both.
    """
    text = sentence.text
    for m in [*MEET_WITH.finditer(text), *MEET_BY.finditer(text), *MEET.finditer(text)]:
        if NOT_YET.search(text[: m.start()]):
            continue
        sides = _sides(text, m, people)
        if sides is None:
            continue
        side_a, side_b = sides
        if not side_a and host and side_b and m.re is MEET and TITLED_SUBJECT.search(text[: m.start()]):
            side_a = [Span(0, 0, host, "role")]
        if not side_a and m.re is MEET:  # "X met A, B and C" with X unknown: A, B and C did not meet each other
            continue
        names = list(dict.fromkeys(p.value for p in side_a + side_b))
        if len(names) < 2:
            continue
        hosts = list(dict.fromkeys(p.value for p in side_a))
        guests = [n for n in names if n not in hosts]
        said_apart = re.search(r"\bseparate(?:ly)?\b|\bmeetings\b", text[: m.end() + 20]) is not None
        if hosts and (said_apart or (not together and (one_each or len(guests) >= 3))):
            groups = [[*hosts, guest] for guest in guests]
        else:
            groups = [names]
        return [_meeting(group, text, refs, published, m.end()) for group in groups]
    return []


TITLED_SUBJECT = re.compile(
    r"^(?:[^,]*,\s*)?(?:the\s+)?(?:[A-Z][\w'’-]*\s+){0,3}"
    r"(?:Minister|Deputy|Ambassador|Director|Head|Chief|Chairman|Chairperson|President|Secretary|Representative|Commissioner)\b"
)


def headline_host(sentence: Sentence, people: list[Span]) -> str | None:
    """The person a headline says met, received or held talks with someone."""
    if not sentence.is_title:
        return None
    for m in MEET.finditer(sentence.text):
        if hosts := subjects_before(sentence.text, m.start(), people):
            return hosts[0].value
    return None


def _sides(text: str, m: re.Match, people: list[Span]) -> tuple[list[Span], list[Span]] | None:
    """Who is on each side of a meeting phrase, or None where the phrase is not a meeting."""
    phrase = m.group(0)
    if phrase.rstrip().endswith("between"):  # "talks between X, Chief of ..., and Y"
        return [], agents_after(text, m.end(), people)
    side_a = subjects_before(text, m.start(), people, listed=True)
    if re.search(r"\bby\s*$", phrase):  # "Y was received by X"
        return side_a, agents_after(text, m.end(), people)[:1]
    if phrase.split()[0].lower() in ("his", "her", "their"):
        side_a = [p for p in people if p.start == m.start()] or side_a
    side_b = objects_after(text, m.end(), people)
    if side_b and NOT_A_MEETING.search(text[m.end() : side_b[0].start]):
        return None
    return side_a, side_b


def _meeting(names: list[str], text: str, refs: list[EventRef], published: str | None, pos: int) -> Meeting:
    within = [w.end() for w in WITHIN.finditer(text)]
    event = next((r.key for r in refs if any(0 <= r.start - w <= 12 for w in within)), None)
    dates = find_dates(text, published)
    place = re.search(r"\b(?:held|met)\s+in\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)", text)
    return Meeting(
        names,
        date=dates[0].begin if dates else None,
        location=place.group(1) if place else None,
        event=event,
        evidence=text,
    )


def present(sentence: Sentence, people: list[Span]) -> list[str]:
    """Others present at the meeting just reported: "in the presence of X", "Present at the
    meeting were A, B and C", "among the delegates were ..."."""
    found: list[str] = []
    for m in PRESENCE.finditer(sentence.text):
        found += [p.value for p in agents_after(sentence.text, m.end(), people)]
    return list(dict.fromkeys(found))


# "He"/"She" opening a clause, "His meeting with": a reference to the last subject named.
PRONOUN = re.compile(
    r"(?:^|(?<=[,;] )|(?<=[,;][\"”’] )|(?<=[\"”’] )|(?<=\bwhen )|(?<=\bwhile )|(?<=\bafter )|(?<=\band ))"
    r"(?:He|She|he|she)\b"
    r"|^(?:His|Her|Their)(?=\s+(?:bilateral\s+|separate\s+)?(?:meeting|talks)\b)"
)

PRONOUN_WORD = re.compile(r"\b(?:[Hh]e|[Ss]he|His|Her|Their)\b")


def pronoun_refs(sentence: Sentence, last_subject: str | None) -> list[Span]:
    """ "He"/"She" as a clause subject stands for the person last named as a subject."""
    if last_subject is None or not PRONOUN_WORD.search(sentence.text):  # PRONOUN is slow to scan
        return []
    return [
        Span(m.start(), m.end(), last_subject, "pronoun")
        for m in PRONOUN.finditer(sentence.text)
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
