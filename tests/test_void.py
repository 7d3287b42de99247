"""VoID at /.well-known/void: counts of the merged default graph, kept right as the data changes.

The expected numbers are computed here in Python from the store's default graph (a set), never
copied from the answer: Alice is stated by two articles and must count once.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests
from conftest import LD_BASE, ld_article_turtle, ld_store

from kg.void import statistics

VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PERSON = "https://schema.org/Person"
NAME = "https://schema.org/name"


def v(name: str) -> ox.NamedNode:
    return ox.NamedNode(VOID + name)


class Void:
    """The VoID answer parsed, with lookups by the dataset's properties and partitions."""

    def __init__(self, response: requests.Response) -> None:
        self.store = ox.Store()
        self.store.load(response.content, format=ox.RdfFormat.TURTLE)
        self.dataset = next(iter(self.store.quads_for_pattern(None, RDF_TYPE, v("Dataset")))).subject

    def values(self, prop: str) -> set[str]:
        return {q.object.value for q in self.store.quads_for_pattern(self.dataset, v(prop), None)}

    def number(self, prop: str) -> int:
        (value,) = self.values(prop)
        return int(value)

    def partition(self, kind: str, key: str, iri: str, count: str) -> int:
        rows = self.store.query(
            f"SELECT ?n WHERE {{ <{self.dataset.value}> <{VOID}{kind}> ?part . "
            f"?part <{VOID}{key}> <{iri}> ; <{VOID}{count}> ?n }}"
        )
        (row,) = list(rows)
        return int(row["n"].value)


def get_void(server) -> Void:
    response = requests.get(f"{server.url}.well-known/void", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    return Void(response)


def expected(store) -> dict:
    triples = set(store.triples())
    return {
        "triples": len(triples),
        "distinctSubjects": len({t.subject for t in triples}),
        "distinctObjects": len({t.object for t in triples}),
        "persons": len({t.subject for t in triples if t.predicate == RDF_TYPE and t.object.value == PERSON}),
        "names": len({t for t in triples if t.predicate.value == NAME}),
    }


def test_void_counts_the_merged_default_graph(linked_server):
    void, want = get_void(linked_server), expected(linked_server.store)
    for prop in ("triples", "distinctSubjects", "distinctObjects"):
        assert void.number(prop) == want[prop], prop
    assert void.partition("classPartition", "class", PERSON, "entities") == want["persons"] == 1
    assert void.partition("propertyPartition", "property", NAME, "triples") == want["names"] == 2


def test_void_says_where_the_data_is(linked_server):
    void = get_void(linked_server)
    assert void.values("sparqlEndpoint") == {f"{linked_server.url}sparql"}
    assert void.values("uriSpace") == {LD_BASE}
    assert void.values("dataDump") == {f"{linked_server.url}dump.{ext}" for ext in ("nq", "trig", "ttl", "jsonld")}
    for dump in void.values("dataDump"):
        assert requests.head(dump, timeout=10).status_code == 200


def test_adding_an_article_changes_the_counts(fresh_linked_server):
    server = fresh_linked_server
    before = get_void(server)
    bob = f"{LD_BASE}id/person/bob-dupont"
    facts = f'<{bob}> a schema:Person ; schema:name "Bob Dupont" .'
    turtle = ld_article_turtle(3, "Bob Dupont appointed", "2024-04-01", facts)
    triples = [q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)]
    server.store.replace_graph(ox.NamedNode(f"{LD_BASE}graph/article/{3:016d}"), triples)
    after, want = get_void(server), expected(server.store)
    assert after.number("triples") == want["triples"] == before.number("triples") + len(triples)
    assert after.partition("classPartition", "class", PERSON, "entities") == 2
    assert after.partition("propertyPartition", "property", NAME, "triples") == 3


def test_void_is_conditional_on_the_store_marker(linked_server):
    first = requests.get(f"{linked_server.url}.well-known/void", timeout=10)
    again = requests.get(
        f"{linked_server.url}.well-known/void", headers={"If-None-Match": first.headers["ETag"]}, timeout=10
    )
    assert again.status_code == 304


@pytest.mark.parametrize("accept", ["application/n-triples", "application/ld+json", "application/rdf+xml"])
def test_void_in_other_formats(linked_server, accept):
    response = requests.get(f"{linked_server.url}.well-known/void", headers={"Accept": accept}, timeout=10)
    assert response.headers["Content-Type"] == accept
    fmt = ox.RdfFormat.from_media_type(accept)
    assert any(q.object == v("Dataset") for q in ox.parse(response.content, format=fmt))


def test_statistics_count_a_triple_stated_twice_once():
    stats = statistics(ld_store())
    assert stats.classes[PERSON] == 1
    assert stats.graphs == 2
