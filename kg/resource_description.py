"""The description of one resource: its triples, the labels of what it links to, and its sources.

Linked-data pages and documents are built from this one value, so the HTML page and the RDF
formats say the same thing. Facts are read from the default graph (the merge of all graphs, so
each is listed once); the named graphs are asked only which of them state something about the
resource, and which article each graph was derived from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.namespaces import DCTERMS, KG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS
from kg.store import Store

Term = ox.NamedNode | ox.BlankNode | ox.Literal
LABEL_PROPERTIES = (SCHEMA.name, RDFS.label, SKOS.prefLabel, DCTERMS.title, SCHEMA.headline)
INCOMING_LIMIT = 500  # a country may be linked from thousands of posts; the page shows the first ones
FOAF = "http://xmlns.com/foaf/0.1/"
_LABELS = "|".join(f"<{p}>" for p in LABEL_PROPERTIES)


@dataclass(frozen=True)
class Source:
    """A named graph stating facts about the resource, and the article it was derived from."""

    graph: ox.NamedNode
    article: ox.NamedNode | None = None
    headline: str | None = None
    published: str | None = None


@dataclass
class Description:
    """What the store says about `iri`: outgoing and incoming triples, labels, sources."""

    iri: ox.NamedNode
    outgoing: list[ox.Triple] = field(default_factory=list)
    incoming: list[ox.Triple] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # IRI -> label, linked nodes and the resource
    sources: list[Source] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.outgoing or self.incoming)

    @property
    def label(self) -> str:
        return self.labels.get(self.iri.value) or local_name(self.iri.value)

    def types(self) -> list[ox.NamedNode]:
        return [t.object for t in self.outgoing if t.predicate.value == str(RDF.type)]

    def triples(self, document: str | None = None) -> list[ox.Triple]:
        """Every triple of the description, as one RDF graph; `document` gets foaf:primaryTopic and sources."""
        out = list(self.outgoing) + list(self.incoming)
        linked = {t.object.value for t in self.outgoing} | {t.subject.value for t in self.incoming}
        for iri, label in self.labels.items():
            if iri in linked and iri != self.iri.value:
                out.append(ox.Triple(ox.NamedNode(iri), ox.NamedNode(str(RDFS.label)), ox.Literal(label)))
        if document is not None:
            doc = ox.NamedNode(document)
            out.append(ox.Triple(doc, ox.NamedNode(f"{FOAF}primaryTopic"), self.iri))
            out.extend(ox.Triple(doc, ox.NamedNode(str(DCTERMS.source)), s.graph) for s in self.sources)
        for source in self.sources:
            if source.article is not None:
                out.append(ox.Triple(source.graph, ox.NamedNode(str(PROV.wasDerivedFrom)), source.article))
            if source.article is not None and source.headline:
                out.append(ox.Triple(source.article, ox.NamedNode(str(SCHEMA.headline)), ox.Literal(source.headline)))
        return sorted(dict.fromkeys(out), key=lambda t: str(t.subject))  # grouped by subject


def local_name(iri: str) -> str:
    """The last segment of an IRI, a fallback label: 'https://x/def/kg#Rank' -> 'Rank'."""
    return iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1] or iri


def describe_resource(store: Store, iri: str | ox.NamedNode) -> Description:
    """Describe `iri` from the store; `found` is false when no triple mentions it."""
    node = iri if isinstance(iri, ox.NamedNode) else ox.NamedNode(iri)  # ValueError for a bad IRI
    desc = Description(node)
    desc.outgoing = [ox.Triple(node, r["p"], r["o"]) for r in store.query(f"SELECT ?p ?o WHERE {{ {node} ?p ?o }}")]
    incoming = store.query(f"SELECT ?s ?p WHERE {{ ?s ?p {node} }} LIMIT {INCOMING_LIMIT}")
    desc.incoming = [ox.Triple(r["s"], r["p"], node) for r in incoming]
    if not desc.found:
        return desc
    linked = [*(t.object for t in desc.outgoing), *(t.subject for t in desc.incoming)]
    desc.labels = labels(store, [node, *linked, *(t.predicate for t in desc.outgoing)])
    desc.sources = sources(store, node)
    return desc


def labels(store: Store, nodes: list) -> dict[str, str]:
    """A label for each IRI in `nodes` that has one, English or untagged preferred."""
    iris = sorted({n.value for n in nodes if isinstance(n, ox.NamedNode)})
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    rows = store.query(f"SELECT ?n ?l WHERE {{ VALUES ?n {{ {values} }} ?n {_LABELS} ?l }}")
    found: dict[str, tuple[int, str]] = {}
    for row in rows:
        lit = row["l"]
        rank = 0 if getattr(lit, "language", None) in (None, "en") else 1
        key = row["n"].value
        if key not in found or (rank, lit.value) < found[key]:
            found[key] = (rank, lit.value)
    return {k: v for k, (_, v) in found.items()}


def sources(store: Store, node: ox.NamedNode) -> list[Source]:
    """The named graphs stating something about `node`, with the article each was derived from."""
    # The graphs first, once each, then their article from the default graph (the merge holds every
    # graph's own provenance): grouping the article's triples per graph inside GRAPH took twice as
    # long for a node stated in a thousand graphs.
    rows = store.query(
        f"SELECT ?g ?article ?headline ?date WHERE {{"
        f" {{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }} }} }}"
        f" OPTIONAL {{ ?g <{PROV.wasDerivedFrom}> ?article"
        f"  OPTIONAL {{ ?article <{SCHEMA.headline}> ?headline }}"
        f"  OPTIONAL {{ ?article <{SCHEMA.datePublished}> ?date }} }}"
        f" }} ORDER BY DESC(?date) ?g"
    )
    found: dict[str, Source] = {}
    for row in rows:  # a graph once, with its first article, headline and date (latest first)
        if row["g"].value not in found:
            found[row["g"].value] = Source(
                graph=row["g"],
                article=row["article"],
                headline=row["headline"].value if row["headline"] is not None else None,
                published=row["date"].value if row["date"] is not None else None,
            )
    return list(found.values())


# --- titles of intermediate nodes -------------------------------------------------------------
# A meeting, a rank attestation or a post holding has no name of its own: it is titled by what it
# says ("Meeting of A and B, 2023-12-14"), from the names of the things it links and its date.

_TITLED = ("Meeting", "RankAttestation", "PostHolding", "Participation", "Statement", "Delegation",
           "Election", "Congratulation")
_ROLES = {f"{KG}{p}": r for p, r in (("participant", "who"), ("person", "who"), ("delegationMember", "who"),
                                      ("post", "what"), ("rank", "what"), ("event", "what"), ("representing", "for"),
                                      ("congratulated", "whom"), ("role", "as"))} | {str(ORG.member): "who"}
_DATES = {str(SCHEMA.startDate), str(KG.attestedOn)}
# Every triple of the nodes, with the names of what they link and the publication date of their
# article: a plain pattern from the given nodes outwards, which Oxigraph runs from the VALUES
# (a UNION of role patterns made it scan the store, and grow with the square of the nodes).
_TITLE_QUERY = f"""
SELECT ?node ?type ?p ?o ?label ?published WHERE {{
  VALUES ?node {{ %s }}
  ?node a ?type .
  VALUES ?type {{ {" ".join(f"<{KG}{c}>" for c in _TITLED)} }}
  ?node ?p ?o .
  OPTIONAL {{ ?o <{SCHEMA.name}>|<{SKOS.prefLabel}> ?label }}
  OPTIONAL {{ ?o <{SCHEMA.datePublished}> ?published }}
}}"""


def titles(store: Store, nodes: list) -> dict[str, str]:
    """A title for each intermediate node in `nodes` (IRI -> text); other nodes are left out.

    The values are composed from the names of what the node links, so a page can name a
    meeting by who met when, where the data has no label for it.
    """
    iris = sorted({n.value for n in nodes if isinstance(n, ox.NamedNode)})
    if not iris:
        return {}
    found: dict[str, dict] = {}
    for row in store.query(_TITLE_QUERY % " ".join(f"<{i}>" for i in iris)):
        parts = found.setdefault(row["node"].value, {"type": local_name(row["type"].value)})
        predicate, value = row["p"].value, row["o"]
        day = value.value if predicate in _DATES else (row["published"].value if row["published"] else None)
        if day is not None and (predicate in _DATES or predicate == str(PROV.wasDerivedFrom)):
            parts["date"] = min(parts.get("date", day), day)
        role, lit = _ROLES.get(predicate), row["label"]
        if role and lit is not None and getattr(lit, "language", None) in (None, "en"):
            by_node = parts.setdefault(role, {})  # one name per linked node: the shortest
            known = by_node.get(value.value)
            by_node[value.value] = min(known or lit.value, lit.value, key=lambda t: (len(t), t))
    return {iri: compose_title(parts) for iri, parts in found.items()}


def _names(parts: dict, role: str) -> str:
    names = sorted(parts.get(role, {}).values())
    if len(names) <= 2:
        return " and ".join(names) or "?"
    return ", ".join(names[:-1]) + " and " + names[-1]


def compose_title(parts: dict) -> str:
    """The title of one intermediate node from its class (`type`), linked names by role, and `date`."""
    kind, who, what = parts["type"], _names(parts, "who"), _names(parts, "what")
    text = {
        "Meeting": f"Meeting of {who}",
        "RankAttestation": f"{who}: {what}",
        "PostHolding": f"{who}, {what}",
        "Participation": f"{who} at {what}" + (f" as {_names(parts, 'as')}" if parts.get("as") else ""),
        "Statement": f"Statement by {who} at {what}",
        "Delegation": f"Delegation of {_names(parts, 'for')} at {what}",
        "Election": f"Election of {who} as {what}",
        "Congratulation": f"{who} congratulates {_names(parts, 'whom')}",
    }.get(kind, kind)
    if "date" in parts:
        day = parts["date"]
        day = f"{day[2:]}, year not given" if day.startswith("--") else day  # xsd:gMonthDay
        text += f", {day}" if kind == "Meeting" else f" (as of {day})"
    return text
