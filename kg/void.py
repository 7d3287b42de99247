"""The VoID description of the dataset: sizes, classes and properties, and where to get it.

Statistics are counted by SPARQL over the default graph, which kg keeps as the RDF merge of all
named graphs: a triple stated by three articles is one triple, so the counts are those of the
dataset a client queries (the union-default-graph of the store would count it three times).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

import pyoxigraph as ox

from kg.namespaces import DCTERMS, KG, RDF, VOID, XSD
from kg.store import Store

_TOTALS = (
    "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)"
    " (COUNT(DISTINCT ?p) AS ?properties) WHERE { ?s ?p ?o }"
)
_CLASSES = f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF.type}> ?c }} GROUP BY ?c ORDER BY ?c"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { } }"


@dataclass(frozen=True)
class Statistics:
    """Counts over the default graph; `classes` and `properties` map an IRI to its count."""

    triples: int = 0
    subjects: int = 0
    objects: int = 0
    properties_count: int = 0
    graphs: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)

    @property
    def entities(self) -> int:
        return self.subjects


def _int(term: ox.Literal | None) -> int:
    return int(term.value) if term is not None else 0


def statistics(store: Store) -> Statistics:
    """Count the default graph: triples, distinct subjects and objects, per class and property."""
    totals = next(iter(store.query(_TOTALS)))
    graphs = next(iter(store.query(_GRAPHS)))
    return Statistics(
        triples=_int(totals["triples"]),
        subjects=_int(totals["subjects"]),
        objects=_int(totals["objects"]),
        properties_count=_int(totals["properties"]),
        graphs=_int(graphs["n"]),
        classes={r["c"].value: _int(r["n"]) for r in store.query(_CLASSES) if isinstance(r["c"], ox.NamedNode)},
        properties={r["p"].value: _int(r["n"]) for r in store.query(_PROPERTIES)},
    )


@dataclass(frozen=True)
class Links:
    """Where the dataset lives: its description's IRI, the endpoint, the dumps, the IRI space."""

    dataset: str  # IRI of the void:Dataset, e.g. https://host/.well-known/void#dataset
    sparql: str
    dumps: list[str]
    uri_space: str
    modified: datetime | None = None


def _key(iri: str) -> str:
    """A stable fragment for a partition: the same class keeps the same partition IRI."""
    return hashlib.sha256(iri.encode()).hexdigest()[:12]


def void_triples(stats: Statistics, links: Links) -> list[ox.Triple]:
    """The VoID graph: one void:Dataset with its statistics, partitions and access points."""
    ds = ox.NamedNode(links.dataset)
    out: list[ox.Triple] = []

    def add(s, p, o) -> None:
        out.append(ox.Triple(s, ox.NamedNode(str(p)), o))

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(str(XSD.integer)))

    add(ds, RDF.type, ox.NamedNode(str(VOID.Dataset)))
    add(ds, DCTERMS.title, ox.Literal("kg: officials and their public activity, from press articles", language="en"))
    add(ds, VOID.sparqlEndpoint, ox.NamedNode(links.sparql))
    add(ds, VOID.uriSpace, ox.Literal(links.uri_space))
    add(ds, VOID.vocabulary, ox.NamedNode(str(KG).rstrip("#")))
    for dump in links.dumps:
        add(ds, VOID.dataDump, ox.NamedNode(dump))
    if links.modified is not None:
        add(ds, DCTERMS.modified, ox.Literal(links.modified.isoformat(), datatype=ox.NamedNode(str(XSD.dateTime))))
    for name, value in (
        ("triples", stats.triples),
        ("distinctSubjects", stats.subjects),
        ("distinctObjects", stats.objects),
        ("properties", stats.properties_count),
        ("classes", len(stats.classes)),
        ("entities", stats.entities),
    ):
        add(ds, VOID[name], count(value))
    for cls, entities in stats.classes.items():
        part = ox.NamedNode(f"{links.dataset}-class-{_key(cls)}")
        add(ds, VOID.classPartition, part)
        add(part, VOID["class"], ox.NamedNode(cls))
        add(part, VOID.entities, count(entities))
    for prop, triples in stats.properties.items():
        part = ox.NamedNode(f"{links.dataset}-property-{_key(prop)}")
        add(ds, VOID.propertyPartition, part)
        add(part, VOID.property, ox.NamedNode(prop))
        add(part, VOID.triples, count(triples))
    return out
