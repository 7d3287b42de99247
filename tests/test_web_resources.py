"""Dereferencing minted IRIs over real HTTP: 303 to the document, negotiation, Link, 404.

The store holds two article graphs under https://kg.example.org/ while the server answers on
127.0.0.1, so every request also checks the mapping from request paths to base_iri. Answers are
parsed as RDF with pyoxigraph and checked triple by triple; HTML is parsed with selectolax.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests
from conftest import (
    LD_ALICE,
    LD_ARTICLE_1,
    LD_ARTICLE_2,
    LD_BASE,
    LD_COUNCIL,
    LD_GRAPH_1,
    LD_GRAPH_2,
    ld_store,
    serving,
)
from requests.utils import parse_header_links
from selectolax.lexbor import LexborHTMLParser as HTMLParser

SDO = "https://schema.org/"
FOAF_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"
DCT_SOURCE = "http://purl.org/dc/terms/source"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
EXTENSIONS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


def T(s: str, p: str, o: str | ox.Literal) -> ox.Triple:  # noqa: N802 - reads like the triple it builds
    obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), obj)


def triples(response: requests.Response) -> set[ox.Triple]:
    media_type = response.headers["Content-Type"].split(";")[0]
    return {q.triple for q in ox.parse(response.content, format=FORMATS[media_type])}


def local(server, iri: str) -> str:
    return server.url + iri.removeprefix(LD_BASE)


def test_id_answers_303_to_its_document(linked_server):
    response = requests.get(local(linked_server, LD_ALICE), allow_redirects=False, timeout=10)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{linked_server.url}doc/person/alice-martin"


@pytest.mark.parametrize("accept", [None, "*/*", *FORMATS])
def test_document_by_accept_describes_the_resource(linked_server, accept):
    response = requests.get(local(linked_server, LD_ALICE), headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200
    assert [r.status_code for r in response.history] == [303]
    assert response.headers["Content-Type"].split(";")[0] == (accept if accept in FORMATS else "text/turtle")
    assert "Accept" in response.headers["Vary"]
    got = triples(response)
    doc = f"{linked_server.url}doc/person/alice-martin"
    assert {
        T(LD_ALICE, f"{SDO}name", ox.Literal("Alice Martin")),
        T(LD_ALICE, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"{SDO}Person"),
        T(LD_ALICE, f"{SDO}memberOf", LD_COUNCIL),
        T(LD_ARTICLE_1, f"{SDO}mentions", LD_ALICE),  # incoming links
        T(LD_ARTICLE_2, f"{SDO}mentions", LD_ALICE),
        T(LD_COUNCIL, "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("City Council")),  # linked label
        T(doc, FOAF_TOPIC, LD_ALICE),
        T(doc, DCT_SOURCE, LD_GRAPH_1),
        T(doc, DCT_SOURCE, LD_GRAPH_2),
        T(LD_GRAPH_1, PROV_DERIVED, LD_ARTICLE_1),
    } <= got


@pytest.mark.parametrize(("ext", "media_type"), EXTENSIONS.items())
def test_extension_names_one_representation(linked_server, ext, media_type):
    response = requests.get(f"{local(linked_server, LD_ALICE)}.{ext}", headers={"Accept": BROWSER}, timeout=10)
    assert response.history[0].headers["Location"].endswith(f"/doc/person/alice-martin.{ext}")
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Vary" not in response.headers
    assert T(LD_ALICE, f"{SDO}memberOf", LD_COUNCIL) in triples(response)


def test_link_header_lists_every_alternate_and_each_answers(linked_server):
    response = requests.get(f"{linked_server.url}doc/person/alice-martin", timeout=10)
    links = parse_header_links(response.headers["Link"])
    assert {link["rel"] for link in links} == {"alternate"}
    assert {link["type"] for link in links} == {*FORMATS, "text/html"}
    for link in links:
        answer = requests.get(link["url"], timeout=10)
        assert answer.status_code == 200
        assert answer.headers["Content-Type"].split(";")[0] == link["type"]
    assert response.headers["Content-Location"] == f"{linked_server.url}doc/person/alice-martin.ttl"


def test_browser_gets_html_with_label_links_and_sources(linked_server):
    response = requests.get(local(linked_server, LD_ALICE), headers={"Accept": BROWSER}, timeout=10)
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = HTMLParser(response.text)
    assert page.css_first("h1").text() == "Alice Martin"
    hrefs = {a.attributes["href"]: a.text() for a in page.css("a")}
    assert hrefs[local(linked_server, LD_COUNCIL)] == "City Council"  # linked node, by its label, served here
    assert hrefs[local(linked_server, LD_GRAPH_1)] == LD_GRAPH_1
    assert hrefs[local(linked_server, LD_ARTICLE_1)] == "Alice Martin elected chair of the City Council"
    # the headline's markup is text, escaped, not markup
    assert hrefs[local(linked_server, LD_ARTICLE_2)] == "Council meets <b>tonight</b> & votes"
    assert page.css("main b") == []


def test_a_linked_resource_page_links_back(linked_server):
    response = requests.get(local(linked_server, LD_COUNCIL), headers={"Accept": BROWSER}, timeout=10)
    page = HTMLParser(response.text)
    assert page.css_first("h1").text() == "City Council"
    incoming = {a.attributes["href"] for a in page.css("table.incoming a")}
    assert local(linked_server, LD_ALICE) in incoming


@pytest.mark.parametrize("path", ["id/person/nobody", "doc/person/nobody", "graph/article/ffff", "id/person/a%3Eb"])
def test_unknown_or_malformed_iri_is_404(linked_server, path):
    response = requests.get(linked_server.url + path, allow_redirects=False, timeout=10)
    assert response.status_code == 404
    assert response.json()["error"] == "not-found"


def test_unknown_extension_is_404_and_unacceptable_accept_406(linked_server):
    assert requests.get(f"{linked_server.url}doc/person/alice-martin.xlsx", timeout=10).status_code == 404
    response = requests.get(f"{linked_server.url}doc/person/alice-martin", headers={"Accept": "image/png"}, timeout=10)
    assert response.status_code == 406


@pytest.mark.parametrize("accept", [None, *FORMATS])
def test_named_graph_dereferences_to_its_content(linked_server, accept):
    response = requests.get(local(linked_server, LD_GRAPH_1), headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200
    assert response.history == []  # a graph is a document: no redirect
    assert triples(response) == set(linked_server.store.triples(ox.NamedNode(LD_GRAPH_1)))


def test_named_graph_html_lists_its_subjects(linked_server):
    response = requests.get(local(linked_server, LD_GRAPH_2), headers={"Accept": BROWSER}, timeout=10)
    page = HTMLParser(response.text)
    subjects = {h.text(strip=True) for h in page.css("section.subject h2")}
    assert {"Alice Martin", "Council meets <b>tonight</b> & votes"} <= subjects


def test_public_base_url_is_used_for_redirects_and_documents():
    with serving(ld_store(), public_base_url="https://data.example.net/kg/") as server:
        response = requests.get(local(server, LD_ALICE), allow_redirects=False, timeout=10)
        assert response.headers["Location"] == "https://data.example.net/kg/doc/person/alice-martin"
        doc = requests.get(f"{server.url}doc/person/alice-martin", timeout=10)
        assert T("https://data.example.net/kg/doc/person/alice-martin", FOAF_TOPIC, LD_ALICE) in triples(doc)


def test_head_answers_headers_only(linked_server):
    response = requests.head(f"{linked_server.url}doc/person/alice-martin.ttl", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert response.content == b""
