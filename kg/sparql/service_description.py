"""The SPARQL 1.1 Service Description of the query endpoint, as pyoxigraph triples.

It says where the endpoint is, which languages and result formats it supports (taken from the
negotiation tables, so it cannot drift from what the endpoint really answers), which features it
has, and what its default dataset holds: the default graph (kept as the merge of all named
graphs, with its triple count) and the named graphs (their count, and each one by name while
there are few).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from kg.config import Settings
from kg.sparql.negotiate import GRAPHS, RESULTS
from kg.store import Store

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
LISTED_GRAPHS = 100  # named graphs listed one by one up to this many; past it, only counted

# The W3C's format IRIs (https://www.w3.org/ns/formats/) of the media types the endpoint writes.
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
    "text/n3": "N3",
}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def service_description_triples(store: Store, settings: Settings, *, endpoint: str) -> list[ox.Triple]:
    """Describe the service answering at `endpoint` over `store`."""
    service = ox.NamedNode(f"{endpoint}#service")
    dataset, default = ox.NamedNode(f"{endpoint}#dataset"), ox.NamedNode(f"{endpoint}#default-graph")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),  # kept as the merge, see kg.store.base
        ox.Triple(service, _sd("defaultDataset"), dataset),
    ]
    if settings.write_token:
        triples.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    if settings.allow_service:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + FORMAT_IRIS[m]))
                for m in (*RESULTS.media_types(), *GRAPHS.media_types())]
    triples += _dataset(store, dataset, default)
    return triples


def _dataset(store: Store, dataset: ox.NamedNode, default: ox.NamedNode) -> Iterator[ox.Triple]:
    graphs = sorted(store.named_graphs(), key=lambda g: g.value)
    default_size = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    yield ox.Triple(dataset, RDF_TYPE, _sd("Dataset"))
    yield ox.Triple(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    yield ox.Triple(dataset, _sd("defaultGraph"), default)
    yield ox.Triple(default, RDF_TYPE, _sd("Graph"))
    yield ox.Triple(default, ox.NamedNode(VOID + "triples"), ox.Literal(str(default_size), datatype=_XSD_INTEGER))
    yield ox.Triple(default, RDFS_COMMENT, ox.Literal("the RDF merge of all named graphs"))
    yield ox.Triple(dataset, RDFS_COMMENT, ox.Literal(f"{len(graphs)} named graphs"))
    for graph in graphs[:LISTED_GRAPHS]:
        node = ox.BlankNode()
        yield ox.Triple(dataset, _sd("namedGraph"), node)
        yield ox.Triple(node, RDF_TYPE, _sd("NamedGraph"))
        yield ox.Triple(node, _sd("name"), graph)


_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
