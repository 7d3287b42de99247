"""Find the events an article talks about: numbered sessions, forums, segments, dialogues.

A governing body's numbered session ("114th session of the ... Council") is an event whose
series is the body; "the session", "the forum" later in the text refer back to the article's
main event (the first current event of the headline or opening paragraph), not to whatever
event was named last: a press release is about one event and mentions others in passing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.lexicon import EVENT_HEADS, GOVERNING_HEADS, ORDINAL, ordinal_value
from kg.extract.sentences import Sentence
from kg.facts import Event

CAP = r"(?:[A-Z][\w'’-]*|\([A-Z]{2,8}\)|[A-Z]{2,8})"
CHUNK = CAP + r"(?:\s+(?:(?:of|for|on|and)\s+(?:the\s+)?)?" + CAP + r")*"
# "XXII session of ...": a Roman ordinal only counts right before an event noun ("II rank" is a rank).
ROMAN_ORDINAL = r"[IVXLC]{1,7}(?=\s+(?:[Ss]ession|[Mm]eeting|[Cc]ongress|[Cc]onference|[Ff]orum|[Ss]ummit|[Aa]ssembly))"
NUMBERED = re.compile(
    rf"\b(?P<ord>{ORDINAL}|{ROMAN_ORDINAL})\s+(?P<body>{CHUNK}|(?:[Ss]ession|[Mm]eeting)\s+of\s+(?:the\s+)?{CHUNK})"
)
SESSION_OF = re.compile(
    rf"\b(?:(?:regular|annual|special|ordinary)\s+)?[Ss]ession\s+of\s+(?:the\s+)?(?P<series>{CHUNK})"
)
NAMED = re.compile(rf"\b{CHUNK}")
DIALOGUE = re.compile(
    r"\b(?:interactive|high-level|panel|thematic)\s+dialogue\s+(?:with|on)\s+the\s+.*?"
    r"(?=\s+(?:within|in the framework|during|at the|held|on the sidelines|organi[sz]ed)\b|[,;.]|$)"
)
QUOTED = re.compile(
    r"\b(?:segment|panel|panel discussion|roundtable|round table|side event|conference|discussion)\b"
    r"[^\"“.]{0,80}?\b(?:on|titled|entitled|themed|on the theme|under the theme)\s+"
    r"[\"“](?P<name>[^\"”]{5,200})[\"”]"
)
ANAPHOR = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?P<noun>[Ss]ession|[Ff]orum|[Ee]vent|[Mm]eeting|[Cc]onference"
    r"|[Ss]ummit|[Cc]ongress)\b(?!\s+(?:of|on)\s+[A-Z])"
)
KIND_OF_HEAD = {
    "forum": "forum",
    "conference": "conference",
    "summit": "summit",
    "session": "session",
    "congress": "conference",
    "meeting": "meeting",
    "assembly": "session",
}


@dataclass
class EventRef:
    """Where a sentence refers to an event, by name (explicit) or by "the session" (anaphor)."""

    start: int
    end: int
    key: str
    explicit: bool


@dataclass
class EventTable:
    events: list[Event] = field(default_factory=list)
    main: str | None = None
    historical: set[str] = field(default_factory=set)

    def get(self, key: str) -> Event:
        return next(e for e in self.events if e.key == key)

    def add(self, name: str, *, series: str | None, ordinal: int | None, kind: str, evidence: str) -> str:
        """Register an event, merging mentions of the same numbered session or the same name."""
        for event in self.events:
            if _same(event, name, series, ordinal):
                if ordinal is not None and event.ordinal is None:
                    event.name, event.ordinal, event.series = name, ordinal, series
                elif _fuller(event, name, series, ordinal):
                    event.name, event.series = name, series
                return event.key
        key = f"e{len(self.events) + 1}"
        self.events.append(
            Event(key=key, name=name, series=series, ordinal=ordinal, kind=kind, evidence=evidence)
        )
        return key


def _fuller(event: Event, name: str, series: str | None, ordinal: int | None) -> bool:
    """A later mention of the same numbered session that names its body in full (a headline
    says "XXII session of the Council", the text "... of the Council of Heads of ...")."""
    return (
        ordinal is not None
        and ordinal == event.ordinal
        and bool(series and event.series)
        and len(fold(series)) > len(fold(event.series))
        and fold(series).startswith(fold(event.series))
    )


def fold(text: str | None) -> str:
    return " ".join(re.sub(r"\([A-Z]+\)|[^\w\s]", " ", (text or "").lower()).split())


def _same(event: Event, name: str, series: str | None, ordinal: int | None) -> bool:
    if ordinal is not None and ordinal == event.ordinal and series and event.series:
        # "90th meeting of the Standing Committee of UNHCR" and "... of the Executive Committee of ..."
        return fold(series).split(" of ")[0] == fold(event.series).split(" of ")[0]
    if series and event.series and fold(series) == fold(event.series):
        return ordinal is None or event.ordinal is None or ordinal == event.ordinal
    if (ordinal is None) != (
        event.ordinal is None
    ):  # "Regional Review of X" and "second Regional Review of X"
        plain, numbered = (name, event.series) if ordinal is None else (event.name, series)
        return bool(numbered) and fold(numbered).startswith(fold(plain))
    return fold(name) == fold(event.name)


def normalize_series(series: str, acronyms: dict[str, str]) -> str:
    """Write a body's sessions' series one way: "IOM Council" -> "Council of the <IOM's name>"."""
    series = " ".join(re.sub(r"\([A-Z]{2,8}\)", " ", series).split())
    series = re.sub(r"^(?:[Ss]ession|[Mm]eeting)\s+of\s+(?:the\s+)?", "", series)
    words = series.split()
    if len(words) >= 2 and words[-1] in GOVERNING_HEADS and _org_like(words[:-1], acronyms):
        owner = " ".join(words[:-1])
        series = f"{words[-1]} of the {acronyms.get(owner, owner)}"
    for short, long in acronyms.items():
        series = re.sub(rf"\bthe {short}\b", f"the {long}", series)
    return series


def _org_like(words: list[str], acronyms: dict[str, str]) -> bool:
    from kg.extract.lexicon import ORG_HEADS

    return any(w in ORG_HEADS for w in words) or (len(words) == 1 and words[0] in acronyms)


def _has_event_head(chunk: str) -> str | None:
    heads = [w for w in re.findall(r"[A-Za-z]+", chunk) if w.capitalize() in EVENT_HEADS and w[0].isupper()]
    return heads[-1] if heads else None


def find_explicit(sentence: Sentence, table: EventTable, acronyms: dict[str, str]) -> list[EventRef]:
    """Register and return the events a sentence names."""
    refs: list[EventRef] = []
    text = sentence.text
    for m in NUMBERED.finditer(text):
        refs += _numbered(m, sentence, table, acronyms)
    for m in SESSION_OF.finditer(text):
        if _free(refs, m.start()) and (m.group("series").split()[-1] in GOVERNING_HEADS):
            series = normalize_series(m.group("series"), acronyms)
            key = table.add(m.group(0), series=series, ordinal=None, kind="session", evidence=text)
            refs.append(EventRef(m.start(), m.end(), key, True))
    for m in DIALOGUE.finditer(text):
        key = table.add(m.group(0), series=None, ordinal=None, kind="dialogue", evidence=text)
        refs.append(EventRef(m.start(), m.end(), key, True))
    for m in QUOTED.finditer(text):
        key = table.add(m.group("name"), series=None, ordinal=None, kind="segment", evidence=text)
        refs.append(EventRef(m.start("name"), m.end("name"), key, True))
    for m in NAMED.finditer(text):
        refs += _named(m, sentence, table, refs)
    return sorted(refs, key=lambda r: r.start)


def _numbered(m: re.Match, sentence: Sentence, table: EventTable, acronyms: dict[str, str]) -> list[EventRef]:
    body = m.group("body")
    head = _has_event_head(body) or (
        body.split()[0] if body.split()[0].lower() in ("session", "meeting") else None
    )
    if not head:
        return []
    series = normalize_series(body, acronyms)
    kind = KIND_OF_HEAD.get(head.lower(), "event")
    name = m.group(0).strip()
    key = table.add(
        name, series=series, ordinal=ordinal_value(m.group("ord")), kind=kind, evidence=sentence.text
    )
    return [EventRef(m.start(), m.end(), key, True)]


def _named(m: re.Match, sentence: Sentence, table: EventTable, refs: list[EventRef]) -> list[EventRef]:
    """An unnumbered capitalised event name of two or more words: "Global Refugee Forum"."""
    chunk, start = m.group(0), m.start()
    if lead := re.match(r"(?:The|A|An|At|In|This|That)\s+", chunk):
        chunk, start = chunk[lead.end() :], start + lead.end()
    head = _has_event_head(chunk)
    if (
        not head
        or len(chunk.split()) < 2
        or not _free(refs, start)
        or head in ("Session", "Meeting", "Assembly")
    ):
        return []
    if not chunk.split()[-1] == head and not re.search(rf"{head}\s+(?:on|of|for)\s", chunk):
        return []
    key = table.add(
        chunk, series=None, ordinal=None, kind=KIND_OF_HEAD.get(head.lower(), "event"), evidence=sentence.text
    )
    return [EventRef(start, start + len(chunk), key, True)]


def _free(refs: list[EventRef], pos: int) -> bool:
    return not any(r.start <= pos < r.end for r in refs)


def find_anaphors(sentence: Sentence, table: EventTable, explicit: list[EventRef]) -> list[EventRef]:
    """Resolve "the session", "the forum" to the main event when its kind fits."""
    refs = []
    main = table.get(table.main) if table.main else None
    for m in ANAPHOR.finditer(sentence.text):
        if not _free(explicit, m.start("noun")) or main is None:
            continue
        noun = m.group("noun").lower()
        if noun in ("event", "meeting") or KIND_OF_HEAD.get(noun) == main.kind:
            refs.append(EventRef(m.start(), m.end(), main.key, False))
    return refs
