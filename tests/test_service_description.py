"""GET /sparql with no query: the SPARQL 1.1 Service Description, parsed back as RDF."""

from __future__ import annotations

import pytest
import requests
from conftest import serving
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from kg.store import EmbeddedStore

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")


def description(server, accept: str | None = None, fmt: str = "turtle") -> Graph:
    response = requests.get(server.sparql, headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format=fmt)


def test_turtle_by_default_with_endpoint_languages_formats(live_server) -> None:
    response = requests.get(live_server.sparql, headers={"Accept": None}, timeout=10)
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.content, format="turtle")
    service = graph.value(predicate=RDF.type, object=SD.Service)
    assert graph.value(service, SD.endpoint) == URIRef(live_server.sparql)
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    formats = set(graph.objects(service, SD.resultFormat))
    assert {FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_CSV, FORMATS.Turtle, FORMATS["JSON-LD"]} <= formats
    assert SD.BasicFederatedQuery not in set(graph.objects(service, SD.feature))


def test_the_dataset_is_described(live_server) -> None:
    graph = description(live_server)
    dataset = graph.value(predicate=RDF.type, object=SD.Dataset)
    names = {graph.value(node, SD.name) for node in graph.objects(dataset, SD.namedGraph)}
    assert names == {URIRef("http://example.org/article/1"), URIRef("http://example.org/article/2")}
    default = graph.value(dataset, SD.defaultGraph)
    assert int(graph.value(default, VOID.triples)) == 7


@pytest.mark.parametrize(("accept", "fmt"), [("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_other_formats_by_accept(live_server, accept: str, fmt: str) -> None:
    assert (None, RDF.type, SD.Service) in description(live_server, accept, fmt)


def test_settings_show(tmp_path) -> None:
    with serving(EmbeddedStore.open(":memory:"), write_token="t", allow_service=True) as server:  # noqa: S106
        graph = description(server)
        service = graph.value(predicate=RDF.type, object=SD.Service)
        assert SD.SPARQL11Update in set(graph.objects(service, SD.supportedLanguage))
        assert SD.BasicFederatedQuery in set(graph.objects(service, SD.feature))


def test_sd_has_cors_and_a_406(live_server) -> None:
    response = requests.get(live_server.sparql, headers={"Accept": "image/png"}, timeout=10)
    assert response.status_code == 406
    assert response.headers["Access-Control-Allow-Origin"] == "*"
