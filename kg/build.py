"""Turn one article's extracted facts into its RDF graph, with provenance.

Names are resolved against the reference data first (so "IOM" links the reference node), and
IRIs are minted for the rest. The graph describes itself with PROV-O: which article it was
derived from, when, and by which version of the loader. Nothing here touches the store.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdflib_namespaces

from kg import __version__, facts, namespaces
from kg.extract.orgs import is_generic
from kg.iris import Minter, content_hash, slug
from kg.reference import Reference


class _Terms:
    """A namespace whose terms are made once: rdflib builds and checks a new URIRef on every
    attribute read (`KG.evidence`), some ninety times per article graph."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


KG, ORG, SCHEMA = (_Terms(n) for n in (namespaces.KG, namespaces.ORG, namespaces.SCHEMA))
PROV, RDF, SKOS, TIME, XSD = (
    _Terms(getattr(rdflib_namespaces, n)) for n in ("PROV", "RDF", "SKOS", "TIME", "XSD")
)

EVENT_CLASSES = {"session": KG.Session, "forum": KG.Forum, "segment": KG.Segment, "dialogue": KG.Segment}
ATTENDANCE = {
    "hybrid": SCHEMA.MixedEventAttendanceMode,
    "video": SCHEMA.OnlineEventAttendanceMode,
    "online": SCHEMA.OnlineEventAttendanceMode,
    "in person": SCHEMA.OfflineEventAttendanceMode,
}
_DATE_TYPES = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
    (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}$"), XSD.gYear),
    (re.compile(r"^--\d{2}-\d{2}$"), XSD.gMonthDay),
)

# What kg:acronym holds (its shape's pattern): anything else a body is called is an alternate name.
ACRONYM = re.compile(r"[A-Z][A-Z0-9&.-]{1,7}")


def date_literal(value: str | None) -> Literal | None:
    """A typed literal for an ISO date, a year, a year-month or a --MM-DD; None if unknown."""
    if not value:
        return None
    for pattern, datatype in _DATE_TYPES:
        if pattern.match(value):
            return Literal(value, datatype=datatype)
    return None


@dataclass
class BuiltArticle:
    """An article's graph, ready to validate and store."""

    article_id: str
    article: URIRef
    graph_iri: URIRef
    graph: Graph
    title: str | None = None
    source: str | None = None


class _Builder:
    def __init__(self, found: facts.ArticleFacts, ref: Reference, minter: Minter, now: datetime) -> None:
        self.found, self.ref, self.mint, self.now = found, ref, minter, now
        art = found.article
        self.aid = minter.article_id(url=art.url, text=art.text)
        self.article = minter.article(self.aid)
        # No prefix bindings: rdflib's are costly per graph, and nothing serializes an article graph
        # with them (the store and the web layer apply kg's prefixes when they write). SimpleMemory:
        # one graph needs no per-triple context index, and adding to it costs half of Memory's.
        self.g = Graph(store="SimpleMemory", bind_namespaces="none")
        self.people: dict[str, URIRef] = {}
        self.orgs: dict[str, URIRef] = {}
        self.events: dict[str, URIRef] = {}
        self.elected: dict[str, URIRef] = {}
        self.counts: Counter[str] = Counter()
        self.published = date_literal(art.published)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        if o is not None:
            self.g.add((s, p, o))

    def fact_node(self, kind: str, cls: URIRef, evidence: str) -> URIRef:
        """A node for one fact of this article, linked to its source and evidence."""
        self.counts[kind] += 1
        node = self.mint.in_article(self.aid, kind, self.counts[kind])
        self.add(node, RDF.type, cls)
        self.add(node, PROV.wasDerivedFrom, self.article)
        if evidence:
            self.add(node, KG.evidence, Literal(evidence))
        return node

    def mention(self, node: URIRef) -> None:
        self.add(self.article, SCHEMA.mentions, node)

    # -- the article and the graph's provenance
    def article_node(self) -> None:
        art, a = self.found.article, self.article
        self.add(a, RDF.type, SCHEMA.NewsArticle)
        self.add(a, RDF.type, PROV.Entity)
        self.add(a, SCHEMA.headline, Literal(art.title) if art.title else None)
        self.add(a, SCHEMA.datePublished, self.published)
        self.add(a, SCHEMA.url, Literal(art.url, datatype=XSD.anyURI) if art.url else None)
        self.add(a, KG.byline, Literal(art.byline) if art.byline else None)
        self.add(a, KG.contentHash, Literal(content_hash(art.text)))
        if art.publisher:
            self.add(a, SCHEMA.publisher, self.organization(art.publisher, mentioned=False))

    def provenance(self, graph_iri: URIRef) -> None:
        activity = self.mint.in_article(self.aid, "extraction", 1)
        agent = self.mint.loader_agent(__version__)
        self.add(graph_iri, RDF.type, KG.ArticleGraph)
        self.add(graph_iri, PROV.wasDerivedFrom, self.article)
        self.add(graph_iri, PROV.generatedAtTime, Literal(self.now.isoformat(), datatype=XSD.dateTime))
        self.add(graph_iri, PROV.wasGeneratedBy, activity)
        self.add(activity, RDF.type, KG.Extraction)
        self.add(activity, PROV.used, self.article)
        self.add(activity, PROV.wasAssociatedWith, agent)
        self.add(activity, KG.loaderVersion, Literal(__version__))
        self.add(agent, RDF.type, PROV.SoftwareAgent)
        self.add(agent, SCHEMA.name, Literal(f"kg loader {__version__}"))

    # -- entities
    def person(self, name: str) -> URIRef:
        if name not in self.people:
            node = self.mint.person(name)
            self.people[name] = node
            self.add(node, RDF.type, SCHEMA.Person)
            self.add(node, SCHEMA.name, Literal(name))
            self.mention(node)
        return self.people[name]

    def person_entry(self, p: facts.Person) -> None:
        node = self.person(p.name)
        for alias in p.aliases:
            if alias != p.name:
                self.add(node, SCHEMA.alternateName, Literal(alias))

    def organization(self, name: str, aliases: list[str] = (), *, mentioned: bool = True) -> URIRef:
        node = self.orgs.get(name)
        if node is None:
            node = next(filter(None, (self.ref.resolve("organization", n) for n in (name, *aliases))), None)
            if node is None:
                local = is_generic(name)
                node = self.mint.local_organization(name, self.aid) if local else self.mint.organization(name)
                self.add(node, SCHEMA.name, Literal(name))
            self.add(node, RDF.type, ORG.Organization)
            self.orgs[name] = node
        known = self.ref.resolve("organization", name) == node
        for alias in aliases:
            if self.ref.resolve("organization", alias) != node or not known:
                prop = KG.acronym if ACRONYM.fullmatch(alias) else SCHEMA.alternateName
                self.add(node, prop, Literal(alias))
        if mentioned:
            self.mention(node)
        return node

    def place(self, name: str | None) -> URIRef | None:
        if not name:
            return None
        node = self.ref.resolve("place", name)
        if node is None:
            node = self.mint.place(name)
            self.add(node, RDF.type, SCHEMA.Place)
            self.add(node, SCHEMA.name, Literal(name))
        return node

    def series(self, name: str | None) -> URIRef | None:
        if not name:
            return None
        node = self.ref.resolve("series", name)
        if node is None:
            node = self.mint.series(name)
            self.add(node, RDF.type, KG.EventSeries)
            self.add(node, RDF.type, SCHEMA.Event)
            self.add(node, SCHEMA.name, Literal(name))
        return node

    # -- facts
    def post(self, title: str, organization: str | None) -> tuple[URIRef, URIRef | None]:
        """The post titled `title` in `organization` (or serving a country), and that organization.

        A post whose article names neither is still the post the text states ("President X"); its
        IRI is local to the article, since "President" alone does not say of what.
        """
        country = self.ref.resolve("country", organization)
        owner = country or (self.organization(organization) if organization else None)
        post = self.mint.post(owner, title) if owner is not None else self.mint.local_post(title, self.aid)
        self.add(post, RDF.type, ORG.Post)
        self.add(post, KG.title, Literal(title))
        self.add(post, SCHEMA.name, Literal(f"{title} of {organization}" if organization else title))
        if owner is not None:
            self.add(post, KG.jurisdiction if country else ORG.postIn, owner)
        return post, None if country else owner

    def position(self, p: facts.Position) -> None:
        person = self.person(p.person)
        post, organization = self.post(p.title, p.organization)
        self.add(person, ORG.holds, post)
        node = self.fact_node("holding", KG.PostHolding, p.evidence)
        self.add(node, ORG.member, person)
        self.add(node, KG.post, post)
        self.add(node, ORG.organization, organization)
        country = self.ref.resolve("country", p.organization)
        if country is not None and p.organization != self.ref.label(country):
            self.add(node, KG.bodyAsWritten, Literal(p.organization))  # "Kyrgyz Republic", "the UAE"
        self.add(node, KG.attestedOn, self.published)
        self.interval(node, p.start, p.end)

    def interval(self, holding: URIRef, start: str | None, end: str | None) -> None:
        """An OWL-Time interval for a post holding, when the article says when it began or ended."""
        begin, finish = date_literal(start), date_literal(end)
        if begin is None and finish is None:
            return
        interval = URIRef(f"{holding}/interval")
        self.add(holding, ORG.memberDuring, interval)
        self.add(interval, RDF.type, TIME.Interval)
        for prop, value, name in ((TIME.hasBeginning, begin, "beginning"), (TIME.hasEnd, finish, "end")):
            if value is not None:
                instant = URIRef(f"{interval}/{name}")
                self.add(interval, prop, instant)
                self.add(instant, RDF.type, TIME.Instant)
                self.add(instant, TIME.inXSDDate, value)

    def rank(self, r: facts.Rank) -> None:
        concept = self.ref.resolve("rank", r.rank)
        if concept is None:
            concept = self.mint.iri(f"id/rank/{slug(r.rank)}")
            self.add(concept, RDF.type, KG.Rank)
            self.add(concept, SKOS.prefLabel, Literal(r.rank, lang="en"))
        node = self.fact_node("rank", KG.RankAttestation, r.evidence)
        self.add(node, KG.person, self.person(r.person))
        self.add(node, KG.rank, concept)
        self.add(node, KG.asWritten, Literal(r.rank))
        self.add(node, KG.attestedOn, self.published)

    def event_iri(self, e: facts.Event, series: URIRef | None) -> URIRef:
        if series is not None and e.ordinal:
            return self.mint.session(series, e.ordinal)
        if e.part_of and e.part_of in self.events:
            return URIRef(f"{self.events[e.part_of]}/{slug(e.name)}")
        return self.mint.event(e.name)

    def event(self, e: facts.Event) -> None:
        series = self.series(e.series)
        node = self.event_iri(e, series)
        self.events[e.key] = node
        self.add(node, RDF.type, SCHEMA.Event)
        cls = EVENT_CLASSES.get(e.kind)
        if cls == KG.Session and not (series is not None and e.ordinal):
            cls = None  # "the session" with no series and number is an event, not a numbered session
        self.add(node, RDF.type, cls)
        self.add(node, SCHEMA.name, Literal(e.name))
        self.add(node, KG.series, series)
        # xsd:integer, not positiveInteger: Oxigraph stores derived integer types as xsd:integer.
        self.add(node, KG.ordinal, Literal(e.ordinal, datatype=XSD.integer) if e.ordinal else None)
        self.add(node, SCHEMA.location, self.place(e.location))
        self.add(node, SCHEMA.startDate, date_literal(e.start))
        self.add(node, SCHEMA.endDate, date_literal(e.end))
        self.add(node, SCHEMA.eventAttendanceMode, ATTENDANCE.get(e.mode or ""))
        self.add(node, SCHEMA.superEvent, self.events.get(e.part_of or ""))
        for name in e.organizers:
            self.add(node, SCHEMA.organizer, self.organization(name))
        self.mention(node)

    def participation(self, p: facts.Participation) -> None:
        event = self.events.get(p.event)
        if event is None:
            return
        node = self.fact_node("participation", KG.Participation, p.evidence)
        self.add(node, KG.person, self.person(p.person))
        self.add(node, KG.event, event)
        self.add(node, KG.role, self.ref.resolve("role", p.role) or self.ref.resolve("role", "participant"))

    def statement(self, s: facts.Statement) -> None:
        event = self.events.get(s.event)
        if event is None:
            return
        node = self.fact_node("statement", KG.Statement, s.evidence)
        self.add(node, KG.person, self.person(s.person))
        self.add(node, KG.event, event)
        self.add(node, KG.mode, self.ref.resolve("mode", s.mode))
        self.topics(node, s.topics)

    def topics(self, node: URIRef, labels: list[str]) -> None:
        for label in labels:
            self.add(node, KG.topic, self.ref.resolve("topic", label))

    def meeting(self, m: facts.Meeting) -> None:
        node = self.fact_node("meeting", KG.Meeting, m.evidence)
        self.add(node, RDF.type, SCHEMA.Event)
        for name in m.participants:
            self.add(node, KG.participant, self.person(name))
        self.add(node, SCHEMA.startDate, date_literal(m.date))
        self.add(node, SCHEMA.location, self.place(m.location))
        self.add(node, SCHEMA.superEvent, self.events.get(m.event or ""))
        self.topics(node, m.topics)

    def delegation(self, d: facts.Delegation) -> None:
        event = self.events.get(d.event)
        country = self.ref.resolve("country", d.country)
        if event is None or country is None:
            return
        node = self.fact_node("delegation", KG.Delegation, d.evidence)
        self.add(node, KG.event, event)
        self.add(node, KG.representing, country)
        if d.head:
            self.add(node, KG.headedBy, self.person(d.head))
        for name in [d.head, *d.members] if d.head else d.members:
            self.add(node, KG.delegationMember, self.person(name))

    def election(self, e: facts.Election) -> URIRef | None:
        if not e.organization:
            return None  # an election to a post of no named body is not recorded
        found = self.post(e.title, e.organization)
        node = self.fact_node("election", KG.Election, e.evidence)
        self.add(node, KG.person, self.person(e.person))
        self.add(node, KG.post, found[0])
        self.add(node, KG.event, self.events.get(e.event or ""))
        self.elected[e.person] = node
        return node

    def congratulation(self, c: facts.Congratulation) -> None:
        node = self.fact_node("congratulation", KG.Congratulation, c.evidence)
        self.add(node, KG.person, self.person(c.person))
        self.add(node, KG.congratulated, self.person(c.congratulated))
        if c.on_election:
            self.add(node, KG.occasion, self.elected.get(c.congratulated))

    def run(self) -> BuiltArticle:
        graph_iri = self.mint.article_graph(self.aid)
        self.article_node()
        self.provenance(graph_iri)
        f = self.found
        for p in f.people:
            self.person_entry(p)
        for o in f.organizations:
            self.organization(o.name, o.aliases)
        for e in f.events:
            self.event(e)
        for handler, items in (
            (self.position, f.positions),
            (self.rank, f.ranks),
            (self.participation, f.participations),
            (self.statement, f.statements),
            (self.meeting, f.meetings),
            (self.delegation, f.delegations),
            (self.election, f.elections),
            (self.congratulation, f.congratulations),
        ):
            for item in items:
                handler(item)
        return BuiltArticle(self.aid, self.article, graph_iri, self.g, f.article.title, f.article.source)


def build_article(
    found: facts.ArticleFacts, ref: Reference, minter: Minter, *, now: datetime | None = None
) -> BuiltArticle:
    """Build the named graph of one article from its facts."""
    return _Builder(found, ref, minter, now or datetime.now(UTC)).run()
