"""The facts an article states, before they become RDF.

Extraction writes these plain records and knows nothing of IRIs or RDF; the graph builder
(`kg.build`) resolves the names in them against the reference data and mints IRIs. Keeping
this seam lets either side change (a better extractor, another ontology mapping) alone.

Every fact carries the sentence it was read from (`evidence`), so that each triple in the
knowledge graph can be traced back to the words that justify it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """One source article as read from a file, a page or a record."""

    text: str  # body text: paragraphs separated by blank lines, furniture removed
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) where the article states one
    url: str | None = None
    publisher: str | None = None  # name of the site or office that published it
    byline: str | None = None  # author as printed, e.g. "Leyla Karimli"
    source: str | None = None  # where it was read from (file path), for error messages


@dataclass
class Person:
    name: str  # fullest form the article gives, honorifics removed: "Nadia Rahimova"
    aliases: list[str] = field(default_factory=list)  # other forms used: "Rahimova", "N.Rahimova"


@dataclass
class Organization:
    name: str  # "State Migration Service"
    aliases: list[str] = field(default_factory=list)  # acronyms and other forms: "SMS"
    country: str | None = None  # for state bodies: "Azerbaijan"


@dataclass
class Position:
    person: str  # Person.name
    title: str  # role as worded: "Chief", "Deputy Minister of Foreign Affairs"
    organization: str | None  # Organization.name, or for state offices a country: "Republic of Turkiye"
    evidence: str = ""
    start: str | None = None  # ISO date the article says the person took up the post
    end: str | None = None  # ISO date the article says the person left it


@dataclass
class Rank:
    person: str
    rank: str  # as written: "III rank state migration service councelor"
    evidence: str = ""


@dataclass
class Event:
    key: str  # local key, unique inside the article; facts below refer to events by it
    name: str  # as named: "114th session of the Council of the International Organization for Migration"
    series: str | None = None  # "Council of the International Organization for Migration"
    ordinal: int | None = None  # 114
    kind: str = "event"  # "session", "forum", "segment", "dialogue", "event"
    location: str | None = None  # "Geneva"
    start: str | None = None  # ISO date, "YYYY", or "--MM-DD" when the year is not known
    end: str | None = None
    organizers: list[str] = field(default_factory=list)  # Organization.name values
    mode: str | None = None  # "video", "hybrid", "in person" where the article says
    part_of: str | None = None  # key of the enclosing event (a segment inside a session)
    evidence: str = ""


@dataclass
class Participation:
    person: str
    event: str  # Event.key
    role: str  # "head of delegation", "speaker", "participant", "member of delegation"
    evidence: str = ""


@dataclass
class Statement:
    person: str
    event: str  # Event.key
    mode: str | None = None  # "video" or None when not said
    topics: list[str] = field(default_factory=list)  # topic labels from the reference topic scheme
    evidence: str = ""


@dataclass
class Meeting:
    participants: list[str]  # Person.name values, two or more
    date: str | None = None
    location: str | None = None
    event: str | None = None  # Event.key of the event it was held within
    topics: list[str] = field(default_factory=list)
    evidence: str = ""


@dataclass
class Delegation:
    """A country's delegation at an event, as the article describes it."""

    event: str  # Event.key
    country: str | None = None  # "Azerbaijan"
    head: str | None = None  # Person.name
    members: list[str] = field(default_factory=list)  # Person.name values, the head not repeated
    evidence: str = ""


@dataclass
class Election:
    person: str
    title: str  # the post as worded: "Director General"
    organization: str | None = None
    event: str | None = None  # Event.key where the election took place
    evidence: str = ""


@dataclass
class Congratulation:
    person: str  # who congratulated
    congratulated: str  # whom
    on_election: bool = False  # the occasion was the congratulated person's election (in this article)
    evidence: str = ""


@dataclass
class ArticleFacts:
    """Everything extracted from one article."""

    article: Article
    people: list[Person] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    ranks: list[Rank] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    delegations: list[Delegation] = field(default_factory=list)
    elections: list[Election] = field(default_factory=list)
    congratulations: list[Congratulation] = field(default_factory=list)
