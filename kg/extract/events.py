"""Find the events an article talks about: numbered sessions, forums, segments, dialogues.

A governing body's numbered session ("114th session of the ... Council") is an event whose
series is the body; "the session", "the forum" later in the text refer back to the article's
main event (the first current event of the headline or opening paragraph), not to whatever
event was named last: a press release is about one event and mentions others in passing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.knowledge import table as knowledge_table
from kg.extract.knowledge import words as knowledge_words
from kg.extract.lexicon import GOVERNING_HEADS, ORDINAL, WORD_ORDINALS, ordinal_value
from kg.extract.sentences import Sentence
from kg.facts import Event

# Event kinds by head noun, from knowledge/event_kinds.tsv: "round table" -> "round table".
KIND_OF = {row["head"].lower(): row["kind"] for row in knowledge_table("event_kinds")}
DESCRIPTIVE_HEADS = sorted(
    (row["head"].lower() for row in knowledge_table("event_kinds") if row.get("descriptive") == "yes"),
    key=len,
    reverse=True,
)
ORDINAL_WORDS = frozenset(WORD_ORDINALS)
MODIFIERS = sorted(knowledge_words("event_modifiers"), key=len, reverse=True)

TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# "twenty-fifth" as well as "25th", "fifth" and "XXV".
ORDINAL_X = r"(?:(?:" + "|".join(f"[{t[0].upper()}{t[0]}]{t[1:]}" for t in TENS) + r")-)?" + ORDINAL


def _ordinal_value(text: str) -> int | None:
    """ "twenty-fifth" -> 25; otherwise as kg.extract.lexicon.ordinal_value reads it."""
    tens, _, rest = text.lower().partition("-")
    if rest and tens in TENS:
        unit = ordinal_value(rest)
        return TENS[tens] + unit if unit is not None else None
    return ordinal_value(text)


CAP = r"(?:[A-Z][\w'’-]*|\([A-Z]{2,8}\)|[A-Z]{2,8})"
CHUNK = CAP + r"(?:\s+(?:(?:of|for|on|and)\s+(?:the\s+)?)?" + CAP + r")*"
# "XXII session of ...": a Roman ordinal only counts right before an event noun ("II rank" is a rank).
ROMAN_ORDINAL = r"[IVXLC]{1,7}(?=\s+(?:[Ss]ession|[Mm]eeting|[Cc]ongress|[Cc]onference|[Ff]orum|[Ss]ummit|[Aa]ssembly))"
NUMBERED = re.compile(
    rf"\b(?P<ord>{ORDINAL_X}|{ROMAN_ORDINAL})\s+(?P<body>{CHUNK}|(?:[Ss]ession|[Mm]eeting)\s+of\s+(?:the\s+)?{CHUNK})"
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
_HEADS = "|".join(r"\s+".join(map(re.escape, h.split())) for h in DESCRIPTIVE_HEADS)
_MODS = "|".join(map(re.escape, MODIFIERS))
# Where a descriptive event's complement stops: a clause or a place, date or manner phrase.
_COMP_END = (
    r"(?=\s*[,;:.(]|\s+(?:in\s+(?!the\s+[\w\s–-]{0,40}\bformat\b)|on\s+(?:the\s+sidelines|\d|[A-Z])|at\s+the\b|"
    r"which|that|where|who|was|were|is|are|will|would|should|could|can|may|must|has|had|held|with|within|under|"
    r"via|through|to\s+the|"
    r"from|during|and\s+(?:the\s+)?[a-z]+(?:ed|s)\b|since|after|before)\b|$)"
)
_COMP = r"(?P<comp>(?:the\s+)?[\w'’\-–]+(?:\s+[\w'’\-–/]+){0,14}?)" + _COMP_END
DESCRIPTIVE = re.compile(
    rf"(?<![\w'’-])(?P<name>(?:(?P<ord>{ORDINAL_X})\s+)?(?P<adj>(?:[A-Z][\w'’]*-[A-Z][\w'’]*\s+))?"
    rf"(?P<mods>(?:(?:{_MODS})\s+){{0,3}})(?P<head>{_HEADS})\b"
    rf"(?:\s+(?P<link>of|on|dedicated\s+to|devoted\s+to|by|between)\s+{_COMP})?)"
)
WORD = re.compile(r"\w+")
HEAD_FIRST_WORDS = frozenset(WORD.match(h).group(0) for h in DESCRIPTIVE_HEADS)
QUOTED_MORE = re.compile(r"[\"”]?\s*(?:,|and|as\s+well\s+as)\s+[\"“](?P<name>[^\"”]{5,200})[\"”]")
# "the UN COP29 climate summit", "the WCO special session", "the BRICS Foreign Ministers' meeting":
# acronyms, a word or a few capitalised ones, an event noun.
ACRONYM_EVENT = re.compile(
    r"(?<=\bthe\s)(?P<name>(?P<adj>(?:[A-Z][A-Z0-9]{1,9}\s+){1,3})(?P<mods>(?:[a-z][\w-]+\s+)?|(?:[A-Z][a-z][\w-]*['’]?\s+){1,3})"
    r"(?P<head>session|summit|conference|forum|congress|meeting|round\s+table|seminar)\b)(?P<ord>(?!))?"
)
ITS_ANNIVERSARY = re.compile(
    r"(?<![\w'’-])(?P<body>(?:[Tt]he\s+)?[A-Z][\w'’-]*(?:\s+(?:of|for|on|and|the|\([A-Z]{2,8}\)|[A-Z][\w'’-]*)){0,12})\s+"
    rf"(?:\w+\s+){{0,2}}(?:celebrates|celebrated|marks|marked|celebrating|marking)\s+its\s+(?P<ord>{ORDINAL_X})\s+"
    r"(?P<head>anniversary)\b"
)
ROUND_OF = re.compile(
    rf"(?<![\w'’-])(?P<name>(?P<ord>{ORDINAL_X})\s+round\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,5}}?"
    r"(?P<head>consultations|talks|negotiations)\b)"
)
OPENED_ITS = re.compile(
    r"(?<![\w'’-])(?P<body>(?:[Tt]he\s+)?[A-Z][\w'’-]*(?:\s+(?:of|for|on|and|the|\([A-Z]{2,8}\)|[A-Z][\w'’-]*)){0,12})\s+"
    rf"(?:\w+\s+){{0,2}}(?:opened|opens|held|holds|convened|convenes|began|begins)\s+its\s+"
    rf"(?P<ord>{ORDINAL_X})\s+(?:(?:regular|annual|ordinary|special|extraordinary)\s+)?(?P<head>session|meeting|congress|conference|summit|forum)\b"
)
ITS_WORD = re.compile(r"\bits\s")
ANAPHOR = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:(?P<mod>solemn|opening|closing|plenary|regular|annual)\s+)?"
    r"(?P<noun>[Ss]ession|[Ff]orum|[Ee]vent|[Mm]eeting|[Cc]onference|[Ss]ummit|[Cc]ongress|[Cc]eremony"
    r"|[Cc]onsultations|[Rr]ound\s+[Tt]able|[Rr]oundtable|[Ss]eminar|[Ww]orkshop|[Rr]eception)\b"
    r"(?!\s+(?:of|on)\s+[A-Z])"
)


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
                elif set(fold(event.name).split()) < set(fold(name).split()):
                    event.name = name  # "1st round of political consultations", then "... of Kazakh-Kuwaiti ..."
                    event.series = event.series if event.series and series is None else series
                return event.key
        if ordinal is None and (longer := self._ending_with(name)):
            return longer.key  # "the Development Ministers' Meeting" after "the G20 Development Ministers' Meeting"
        key = f"e{len(self.events) + 1}"
        self.events.append(
            Event(key=key, name=name, series=series, ordinal=ordinal, kind=kind, evidence=evidence)
        )
        return key


    def _ending_with(self, name: str) -> Event | None:
        """The one event already named whose name ends with this shorter one, of two words or more."""
        words = fold(name).split()
        if len(words) < 2:
            return None
        found = [e for e in self.events if _ends_with(fold(e.name).split(), words)]
        return found[0] if len(found) == 1 else None


def _ends_with(words: list[str], tail: list[str]) -> bool:
    return len(words) > len(tail) and words[-len(tail) :] == tail


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


def _stem(name: str) -> str:
    """An event name without its ordinal and complement: "4th ministerial meeting on X" -> "ministerial meeting"."""
    words = fold(re.split(r"\s+(?:of|on|for|dedicated|devoted|between|by)\s+", name)[0]).split()
    return " ".join(w for w in words if not re.fullmatch(r"\d+(?:st|nd|rd|th)?", w) and _ordinal_value(w) is None
                    and w not in ORDINAL_WORDS)


def _same(event: Event, name: str, series: str | None, ordinal: int | None) -> bool:
    if ordinal is not None and ordinal == event.ordinal and _stem(name) and _stem(name) == _stem(event.name):
        return True  # "the fourth ministerial meeting of ..." and "the 4th ministerial meeting on ..."
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


HEAD_WORDS = sorted(KIND_OF, key=lambda h: (len(h.split()), len(h)), reverse=True)


# Every head capitalised as in a name ("Senior Officials Meeting", "Day"), longest first.
NAMED_HEAD = re.compile(
    r"\b(?:"
    + "|".join(r"\s+".join(w[0].upper() + re.escape(w[1:]) for w in head.split()) for head in HEAD_WORDS)
    + r")\b"
)


def _has_event_head(chunk: str) -> str | None:
    """The last capitalised event head in a name ("Senior Officials Meeting", "Day"), as written."""
    found = None
    pos = 0
    while m := NAMED_HEAD.search(chunk, pos):
        found, pos = m.group(0), m.start() + 1
    return found


def _kind(head: str) -> str:
    return KIND_OF.get(" ".join(head.lower().split()), "event")


def find_explicit(sentence: Sentence, table: EventTable, acronyms: dict[str, str]) -> list[EventRef]:
    """Register and return the events a sentence names."""
    refs: list[EventRef] = []
    text = sentence.text
    # Each scan below tries its alternatives at every word; a sentence is scanned only when it holds
    # the words the pattern cannot do without (an ordinal, "session", "dialogue", a quote mark).
    words = set(WORD.findall(text))
    for m in NUMBERED.finditer(text) if any(map(_ordinal_like, words)) else ():
        refs += _numbered(m, sentence, table, acronyms)
    for m in SESSION_OF.finditer(text) if "ession" in text else ():
        if _free(refs, m.start()) and (m.group("series").split()[-1] in GOVERNING_HEADS):
            series = normalize_series(m.group("series"), acronyms)
            key = table.add(m.group(0), series=series, ordinal=None, kind="session", evidence=text)
            refs.append(EventRef(m.start(), m.end(), key, True))
    for m in DIALOGUE.finditer(text) if "dialogue" in words else ():
        key = table.add(m.group(0), series=None, ordinal=None, kind="dialogue", evidence=text)
        refs.append(EventRef(m.start(), m.end(), key, True))
    for m in QUOTED.finditer(text) if '"' in text or "“" in text else ():
        key = table.add(m.group("name"), series=None, ordinal=None, kind="segment", evidence=text)
        refs.append(EventRef(m.start("name"), m.end("name"), key, True))
        if more := QUOTED_MORE.match(text, m.end()):  # two panels "entitled "A" and "B""
            key = table.add(more.group("name"), series=None, ordinal=None, kind="segment", evidence=text)
            refs.append(EventRef(more.start("name"), more.end("name"), key, True))
    # Both "... opened its 68th session" patterns scan back over a body name from every capital:
    # costly, so only a sentence that has "its" is scanned.
    has_its = ITS_WORD.search(text) is not None
    for m in OPENED_ITS.finditer(text) if has_its else ():
        refs += _opened_its(m, sentence, table, acronyms, refs)
    for m in NAMED.finditer(text):
        refs += _named(m, sentence, table, refs)
    for m in ITS_ANNIVERSARY.finditer(text) if has_its and "anniversary" in text else ():
        refs += _opened_its(m, sentence, table, acronyms, refs)
    for m in ACRONYM_EVENT.finditer(text):
        refs += _descriptive(m, sentence, table, refs)
    for m in ROUND_OF.finditer(text) if "round" in words else ():
        refs += _descriptive(m, sentence, table, refs)
    # DESCRIPTIVE tries every modifier and head at every word: only a sentence with a head is scanned.
    for m in DESCRIPTIVE.finditer(text) if not words.isdisjoint(HEAD_FIRST_WORDS) else ():
        refs += _descriptive(m, sentence, table, refs)
    return sorted(refs, key=lambda r: r.start)


ORDINAL_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)|[IVXLC]{1,7}")


def _ordinal_like(word: str) -> bool:
    """A word NUMBERED may start at: "25th", "fifth" (also in "twenty-fifth"), "XXII"."""
    return word.lower() in ORDINAL_WORDS or ORDINAL_TOKEN.fullmatch(word) is not None


def _numbered(m: re.Match, sentence: Sentence, table: EventTable, acronyms: dict[str, str]) -> list[EventRef]:
    body = m.group("body")
    head = _has_event_head(body) or (
        body.split()[0] if body.split()[0].lower() in ("session", "meeting") else None
    )
    if not head:
        return []
    series = normalize_series(body, acronyms)
    kind = _kind(head)
    name = m.group(0).strip()
    key = table.add(
        name, series=series, ordinal=_ordinal_value(m.group("ord")), kind=kind, evidence=sentence.text
    )
    return [EventRef(m.start(), m.end(), key, True)]


def _named(m: re.Match, sentence: Sentence, table: EventTable, refs: list[EventRef]) -> list[EventRef]:
    """An unnumbered capitalised event name of two or more words: "Global Refugee Forum"."""
    chunk, start = m.group(0), m.start()
    if lead := re.match(r"(?:The|A|An|At|In|This|That)\s+", chunk):
        chunk, start = chunk[lead.end() :], start + lead.end()
    chunk = re.sub(r"\s+\([A-Z]{2,8}\)$", "", chunk)  # "Astana International Forum (AIF)": the name, not its acronym
    head = _has_event_head(chunk)
    if not head or len(chunk.split()) < 2 or not _free(refs, start) or head == "Assembly":
        return []
    # A title-case headline capitalises every word: "Minister Holds Meeting With ..." names no event.
    if head in ("Session", "Meeting") and (sentence.is_title or len(chunk.split()) == len(head.split())):
        return []
    if not chunk.endswith(head) and not re.search(rf"{head}\s+(?:on|of|for)\s", chunk):
        return []
    if chunk.split()[0] in ("His", "Her", "Their", "Its", "Our", "During", "After", "Before", "On"):
        return []
    key = table.add(chunk, series=None, ordinal=None, kind=_kind(head), evidence=sentence.text)
    return [EventRef(start, start + len(chunk), key, True)]


def _opened_its(
    m: re.Match, sentence: Sentence, table: EventTable, acronyms: dict[str, str], refs: list[EventRef]
) -> list[EventRef]:
    """ "The Regional Committee ... today opened its 68th session": the session of that body."""
    if not _free(refs, m.start("ord")):
        return []
    body = re.sub(r"^(?:The|the)\s+", "", m.group("body"))
    head = m.group("head")
    name = f"{m.group('ord')} {head} of the {body}"
    key = table.add(
        name,
        series=normalize_series(body, acronyms),
        ordinal=_ordinal_value(m.group("ord")),
        kind=_kind(head),
        evidence=sentence.text,
    )
    return [EventRef(m.start("ord"), m.end("head"), key, True)]


def _descriptive(m: re.Match, sentence: Sentence, table: EventTable, refs: list[EventRef]) -> list[EventRef]:
    """An event named in running text: "the fourth ministerial meeting of Afghanistan's neighbours".

    It counts only when qualified: an ordinal, a word from knowledge/event_modifiers.tsv, or a
    capitalised complement ("meeting of the Customs Co-operation Council"); "a meeting of the
    parties" or "the meeting" alone names no event.
    """
    start, end = m.start("name"), m.end("name")
    # An event named inside the complement is held by this one ("a ceremony dedicated to the Day
    # of X"); one named over the head is not re-read ("the Global Forum" is no "forum" event).
    held_from = m.start("comp") if m.groupdict().get("comp") else end
    if not _free(refs, start) or any(start <= r.start < held_from for r in refs if r.explicit):
        return []
    complement = m.groupdict().get("comp") or ""
    before = sentence.text[:start]
    determined = re.search(r"\b(?:the|a|an|its|their)\s+$", before, re.IGNORECASE)
    capitalised = re.match(r"(?:the\s+)?[A-Z]", complement) and not re.match(WHEN_WORD, complement)
    ordinal, mods = m.group("ord"), (m.groupdict().get("mods") or "").strip()
    if m.re in (ROUND_OF, ACRONYM_EVENT):  # "the 3rd round of ... consultations", "the WCO special session"
        qualified = True
    elif complement:
        qualified = bool(capitalised or ordinal or mods)
    else:  # "the 4th ministerial meeting"; "a bilateral meeting with X" is two people meeting
        qualified = bool(mods and ordinal and determined) and not re.match(r"\s+with\b", sentence.text[end:])
    if not qualified or (_kind(m.group("head")) == "anniversary" and not complement):
        return []
    if m.groupdict().get("link") in ("by", "between") and not capitalised_body(complement):
        return []  # "session by video", "meeting between X and Y": no organizer body named
    if ANAPHOR.fullmatch(complement):  # "the plenary session of the forum": a part of a known event
        return []
    if re.search(r"\bthis\s+year['’]s\s+$", before) and not ordinal:
        return []  # "this year's session of the ExCom": the session the article reports, named already
    name = text_of(m.group("name"))
    ordinal = _ordinal_value(ordinal) if ordinal else None
    series = None
    if m.groupdict().get("link") in ("of",) and re.match(r"(?:the\s+)?[A-Z]", complement):
        series = re.sub(r"^the\s+", "", complement)
    elif ordinal is not None:
        series = re.sub(r"^" + re.escape(m.group("ord")) + r"\s+(?:round\s+of\s+)?", "", name)
    key = table.add(name, series=series, ordinal=ordinal, kind=_kind(m.group("head")), evidence=sentence.text)
    return [EventRef(start, end, key, True)]


# "meeting on Monday", "session in June": a date, not the event's name.
WHEN_WORD = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\b"
)


def capitalised_body(text: str) -> bool:
    """ "the Government of Switzerland", "the Ministry of ...": a body, written with "the"."""
    return bool(re.match(r"the\s+[A-Z]", text))


def text_of(name: str) -> str:
    """An event name as stored: spacing tidied, a trailing comma dropped."""
    return re.sub(r"[\s,]+$", "", " ".join(name.split()))


def _free(refs: list[EventRef], pos: int) -> bool:
    return not any(r.start <= pos < r.end for r in refs)


def find_anaphors(sentence: Sentence, table: EventTable, explicit: list[EventRef]) -> list[EventRef]:
    """Resolve "the session", "the ceremony" to the main event when its kind fits, else to the
    event of that kind the article names (when it names exactly one)."""
    refs: list[EventRef] = []
    main = table.get(table.main) if table.main else None
    for m in ANAPHOR.finditer(sentence.text):
        if not _free(explicit, m.start("noun")):
            continue
        noun = " ".join(m.group("noun").lower().split())
        kind = KIND_OF.get(noun)
        earlier = sorted((r for r in explicit + refs if r.end <= m.start()), key=lambda r: r.start)
        if noun == "event" and earlier:  # "to attend the solemn ceremony at the event attended by X"
            refs.append(EventRef(m.start(), m.end(), earlier[-1].key, False))
            continue
        if main is not None and (noun in ("event", "meeting") or kind == main.kind):
            refs.append(EventRef(m.start(), m.end(), main.key, False))
            continue
        # A past event ("the first session, held in 2007") is not what "the session" refers to.
        same_kind = [e for e in table.events if kind and e.kind == kind and e.key not in table.historical]
        if len(same_kind) == 1:
            refs.append(EventRef(m.start(), m.end(), same_kind[0].key, False))
        elif not same_kind and main is not None and m.group("mod") in PART_MODIFIERS:
            # "the opening ceremony", "the plenary session" of a forum: a part of the main event.
            refs.append(EventRef(m.start(), m.end(), main.key, False))
    return refs


PART_MODIFIERS = ("opening", "closing", "plenary")
