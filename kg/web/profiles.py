"""Profiles: what a person, an event, an organization or an article page says, instead of a property dump.

Each builder turns the rows of the page queries (kg/web/page_queries) into plain dicts the
templates print: facts with their dates, what they link to, the article they were read from
and the evidence sentence. An intermediate node (a meeting, a rank attestation, a post holding,
a participation...) gets a page titled by what it says, its parts under plain headings. A
resource of none of these kinds keeps the generic page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.namespaces import KG, ORG, SCHEMA
from kg.resource_description import Description, labels, titles
from kg.store import Store
from kg.web import page_queries
from kg.web.links import url_for_iri
from kg.web.view import TermView, term_view

PERSON, ORGANIZATION, NEWS = str(SCHEMA.Person), str(ORG.Organization), str(SCHEMA.NewsArticle)
EVENT, MEETING, SERIES = str(SCHEMA.Event), str(KG.Meeting), str(KG.EventSeries)
FACT_KINDS = {  # intermediate nodes: a page titled by what the node says, its parts linked
    str(KG.Meeting): "Meeting", str(KG.RankAttestation): "Rank attestation", str(KG.PostHolding): "Post holding",
    str(KG.Participation): "Participation", str(KG.Statement): "Statement", str(KG.Delegation): "Delegation",
    str(KG.Election): "Election", str(KG.Congratulation): "Congratulation",
}
FACT_PARTS = (  # (predicate, heading), in the order a fact's page states them
    (KG.participant, "Who"), (KG.person, "Who"), (ORG.member, "Who"), (KG.delegationMember, "Members"),
    (KG.headedBy, "Headed by"), (KG.congratulated, "Congratulated"), (KG.post, "Post"), (KG.rank, "Rank"),
    (KG.asWritten, "As written"), (ORG.organization, "Organization"), (KG.representing, "Representing"),
    (KG.role, "Role"), (KG.mode, "How"), (KG.topic, "Topic"), (KG.occasion, "Occasion"),
    (KG.event, "Event"), (SCHEMA.superEvent, "Within"), (SCHEMA.startDate, "When"), (KG.attestedOn, "As of"),
    (SCHEMA.location, "Where"),
)
KIND_HEADINGS = {
    "post": "Posts", "rank": "Ranks", "event": "Events attended", "statement": "Statements",
    "delegation": "Delegations", "meeting": "Meetings", "election": "Elections",
    "congratulation": "Congratulations sent", "congratulated": "Congratulations received",
}


@dataclass
class Fact:
    """One fact as a page lists it; `others` are the people met (meetings)."""

    iri: str
    kind: str
    date: str | None = None
    target: tuple[str, str] | None = None  # (url, text)
    detail: str | None = None
    article: tuple[str, str] | None = None
    evidence: str | None = None
    others: list[tuple[str, str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return url_for_iri(self.iri)

    @property
    def when(self) -> str:
        """The date as shown: a day with no year ('--03-12', xsd:gMonthDay) says so."""
        if self.date and self.date.startswith("--"):
            return f"{self.date[2:]}, year not given"
        return self.date or "undated"


def kind_of(desc: Description) -> str | None:
    """Which profile fits the resource: person, fact, event, organization, article, or None."""
    types = {t.value for t in desc.types()}
    if PERSON in types:
        return "person"
    if types & FACT_KINDS.keys():
        return "fact"  # an intermediate node (a meeting is an event too, but its page is the fact's)
    if EVENT in types or SERIES in types:
        return "event"
    if ORGANIZATION in types:
        return "organization"
    if NEWS in types:
        return "article"
    return None


def _local(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[-1] if iri else None


def _link(iri: str | None, text: str | None) -> tuple[str, str] | None:
    return (url_for_iri(iri), text or iri.rsplit("/", 1)[-1]) if iri else None


def person_facts(store: Store, node: ox.NamedNode) -> list[Fact]:
    """Every fact about a person, one per fact node, in date order (undated last), meetings with whom."""
    facts: dict[str, Fact] = {}
    rows = page_queries.select(store, "person_facts", this=node)
    named = labels(store, [ox.NamedNode(r[k]) for r in rows for k in ("target", "detail_node") if r[k]])
    for row in rows:
        fact = facts.get(row["fact"])
        if fact is None:
            fact = facts[row["fact"]] = Fact(row["fact"], row["kind"], row["date"])
            fact.target = _link(row["target"], named.get(row["target"] or ""))
            node_name = named.get(row["detail_node"]) if row["detail_node"] else None
            fact.detail = row["detail"] or node_name or _local(row["detail_node"])
        elif row["date"] and (fact.date is None or row["date"] < fact.date):
            fact.date = row["date"]
    for meeting, others in meeting_people(store, node).items():
        if meeting in facts:
            facts[meeting].others = [o for o in others if o[0] != url_for_iri(node.value)]
    return sorted(facts.values(), key=lambda f: (f.date is None, f.date or "", f.kind, f.iri))


def meeting_people(store: Store, node: ox.NamedNode) -> dict[str, list[tuple[str, str]]]:
    """The people at each meeting `node` took part in (or that was held within event `node`)."""
    found: dict[str, dict[str, str]] = {}
    for row in page_queries.select(store, "meeting_people", this=node):
        names = found.setdefault(row["meeting"], {})
        names[row["person"]] = min(names.get(row["person"]) or row["name"] or "", row["name"] or "") or row["person"]
    return {m: sorted(((url_for_iri(p), n) for p, n in people.items()), key=lambda x: x[1])
            for m, people in found.items()}


LISTED = 100  # facts listed per kind on a profile, the latest; the timeline draws them all


def grouped(facts: list[Fact]) -> list[tuple[str, list[Fact], int]]:
    """Facts under one heading per kind, in KIND_HEADINGS order: the latest `LISTED`, and how many more."""
    out = []
    for kind, heading in KIND_HEADINGS.items():
        of_kind = [f for f in facts if f.kind == kind]
        if of_kind:
            shown = of_kind
            if len(of_kind) > LISTED:
                shown = ([f for f in of_kind if f.date][-LISTED:] + [f for f in of_kind if not f.date])[:LISTED]
            out.append((heading, shown, len(of_kind) - len(shown)))
    return out


def add_sources(store: Store, facts: list[Fact]) -> None:
    """Give each of `facts` its source article (by headline) and evidence sentence."""
    if not facts:
        return
    by_iri = {f.iri: f for f in facts}
    for row in page_queries.select(store, "fact_sources", fact=[ox.NamedNode(i) for i in by_iri]):
        fact = by_iri[row["fact"]]
        if fact.article is None or (row["headline"] and fact.article[1] == "source article"):
            fact.article = _link(row["article"], row["headline"] or "source article")
        if row["evidence"] and (fact.evidence is None or row["evidence"] < fact.evidence):
            fact.evidence = row["evidence"]


def person_page(store: Store, desc: Description) -> dict:
    facts = person_facts(store, desc.iri)
    groups = grouped(facts)
    add_sources(store, [f for _, shown, _ in groups for f in shown])
    latest = {kind: next((f for f in reversed(facts) if f.kind == kind and f.date), None) for kind in ("post", "rank")}
    return {"facts": facts, "groups": groups, "latest": latest,
            "aliases": _values(desc, SCHEMA.alternateName)}


def event_page(store: Store, desc: Description) -> dict:
    people: dict[str, list] = {}
    for row in page_queries.select(store, "event_people", this=desc.iri):
        people.setdefault(row["kind"], []).append({
            "person": _link(row["person"], row["name"]), "detail": row["detail"],
            "fact": _link(row["fact"], None), "article": _link(row["article"], "source"), "evidence": row["evidence"],
        })
    for rows in people.values():
        rows.sort(key=lambda r: r["person"][1])
        _dedupe(rows, lambda r: (r["fact"][0], r["person"][0]))
    within = page_queries.select(store, "event_meetings", this=desc.iri)
    meeting_titles = titles(store, [ox.NamedNode(r["node"]) for r in within if r["kind"] == "meeting"])
    attendees = meeting_people(store, desc.iri)
    parts = []
    for row in within:
        name = meeting_titles.get(row["node"]) or row["name"] or row["node"].rsplit("/", 1)[-1]
        parts.append({"kind": row["kind"], "link": _link(row["node"], name), "date": row["date"],
                      "people": attendees.get(row["node"], [])})
    _dedupe(parts, lambda p: p["link"][0])
    return {"people": people, "parts": sorted(parts, key=lambda p: (p["kind"], p["date"] or "", p["link"][1]))}


def organization_page(store: Store, desc: Description) -> dict:
    rows = page_queries.select(store, "org_people", this=desc.iri)
    people = [
        {"person": _link(r["person"], r["name"]), "post": _link(r["post"], r["post_name"]),
         "date": " – ".join(dict.fromkeys(d for d in (r["first"], r["last"]) if d)),
         "fact": _link(r["example"], None), "attestations": int(r["attestations"] or 0)}
        for r in rows
    ]
    members = sorted({r["person"] for r in rows})
    found = page_queries.select(store, "org_events", this=desc.iri)
    if members:
        found += page_queries.select(store, "people_events", person=[ox.NamedNode(p) for p in members])
    events = [{"event": _link(r["event"], r["name"]), "date": r["date"], "how": r["how"]} for r in found]
    _dedupe(events, lambda e: (e["event"][0], e["how"]))
    return {"people": sorted(people, key=lambda p: (p["person"][1], p["date"] or "")),
            "events": sorted(events, key=lambda e: (e["date"] or "", e["event"][1])),
            "aliases": _values(desc, SCHEMA.alternateName) + _values(desc, KG.acronym)}


def article_page(store: Store, desc: Description) -> dict:
    rows = page_queries.select(store, "article_facts", this=desc.iri)
    named = titles(store, [ox.NamedNode(r["fact"]) for r in rows])
    facts = [{"link": _link(r["fact"], named.get(r["fact"])), "type": r["type"].rsplit("#", 1)[-1],
              "evidence": r["evidence"]} for r in rows]
    _dedupe(facts, lambda f: f["link"][0])
    return {"facts": sorted(facts, key=lambda f: (f["type"], f["link"][0]))}


def fact_page(store: Store, desc: Description) -> dict:
    """An intermediate node's parts under plain headings (who, post, when, where...), its source and sentence.

    Its title is composed by kg.resource_description.titles from the same parts; what no heading covers stays
    in the page's list of all statements.
    """
    types = {t.value for t in desc.types()}
    kind = next(FACT_KINDS[t] for t in FACT_KINDS if t in types)
    values: dict[str, list] = {}
    for t in desc.outgoing:
        values.setdefault(t.predicate.value, []).append(t.object)
    parts = []
    for predicate, heading in FACT_PARTS:
        terms = sorted(values.get(str(predicate), []), key=lambda v: desc.labels.get(v.value, v.value))
        if terms:
            shown = [term_view(v, desc.labels) for v in terms]
            if parts and parts[-1][0] == heading:
                parts[-1] = (heading, parts[-1][1] + shown)
            else:
                parts.append((heading, shown))
    articles = [s for s in desc.sources if s.article is not None]
    dated = {str(SCHEMA.startDate), str(KG.attestedOn)} & values.keys()
    published = sorted(s.published for s in articles if s.published)
    if not dated and published:  # the date the title gives: the article's
        parts.append(("Reported on", [TermView(published[0], kind="literal")]))
    return {"kind": kind, "parts": parts, "evidence": sorted({v.value for v in values.get(str(KG.evidence), [])}),
            "articles": [{"link": _link(s.article.value, s.headline or "source article"), "published": s.published}
                         for s in articles]}


BUILDERS = {"fact": fact_page, "person": person_page, "event": event_page, "organization": organization_page,
            "article": article_page}


def profile(store: Store, desc: Description) -> tuple[str, dict] | None:
    """The profile template and its values for `desc`, or None where the generic page fits."""
    kind = kind_of(desc)
    if kind is None:
        return None
    return f"profile_{kind}.html", BUILDERS[kind](store, desc)


def _values(desc: Description, predicate) -> list[str]:
    return sorted({t.object.value for t in desc.outgoing if t.predicate.value == str(predicate)})


def _dedupe(items: list, key) -> None:
    """Drop later items whose key was seen (rows repeat where a node has several names)."""
    seen: set = set()
    items[:] = [i for i in items if not (key(i) in seen or seen.add(key(i)))]
