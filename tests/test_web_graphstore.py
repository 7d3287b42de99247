"""/data, the Graph Store HTTP Protocol, over real HTTP: each method's codes, formats, token, validation."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests
from conftest import WRITE_TOKEN
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

SDO = "https://schema.org/"
ALICE = URIRef("https://kg.example.org/id/person/alice")
G = "http://example.org/g/1"
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
ALICE_TTL = f'<{ALICE}> a <{SDO}Person> ; <{SDO}name> "Alice" .'


def alice(name: str = "Alice") -> Graph:
    graph = Graph()
    graph.add((ALICE, RDF.type, URIRef(f"{SDO}Person")))
    graph.add((ALICE, URIRef(f"{SDO}name"), Literal(name)))
    return graph


def call(server, method: str, body: str | bytes | None = None, *, graph: str | None = G,
         content_type: str = "text/turtle", headers=AUTH, **params) -> requests.Response:
    query = {"graph": graph} if graph is not None else {}
    query.update(params)
    headers = {**headers, "Content-Type": content_type} if body is not None else dict(headers)
    return requests.request(method, f"{server.url}data", params=query, data=body, headers=headers, timeout=30)


def read(server, graph: str | None = G, accept: str = "text/turtle") -> Graph:
    response = call(server, "GET", graph=graph, headers={"Accept": accept}, **({} if graph else {"default": ""}))
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format={"text/turtle": "turtle"}.get(accept, "nt"))


def test_put_creates_201_then_replaces_204(write_server) -> None:
    first = call(write_server, "PUT", ALICE_TTL)
    assert first.status_code == 201, first.text
    assert G in first.headers["Location"]
    assert isomorphic(read(write_server), alice())
    second = call(write_server, "PUT", ALICE_TTL.replace('"Alice"', '"Alice Martin"'))
    assert second.status_code == 204
    assert isomorphic(read(write_server), alice("Alice Martin"))
    assert (ALICE, URIRef(f"{SDO}name"), Literal("Alice")) not in read(write_server, None)  # default re-derived


def test_post_merges(write_server) -> None:
    assert call(write_server, "PUT", ALICE_TTL).status_code == 201
    extra = f'<{ALICE}> <{SDO}alternateName> "Al" .'
    assert call(write_server, "POST", extra).status_code == 204
    expected = alice()
    expected.add((ALICE, URIRef(f"{SDO}alternateName"), Literal("Al")))
    assert isomorphic(read(write_server), expected)


def test_post_with_no_graph_creates_one(write_server) -> None:
    response = call(write_server, "POST", ALICE_TTL, graph=None)
    assert response.status_code == 201
    iri = response.headers["Location"].split("?graph=", 1)[1]
    assert isomorphic(read(write_server, iri), alice())


def test_delete_then_404(write_server) -> None:
    assert call(write_server, "PUT", ALICE_TTL).status_code == 201
    assert call(write_server, "DELETE").status_code == 204
    assert call(write_server, "GET", headers={}).status_code == 404
    assert call(write_server, "DELETE").status_code == 404
    assert (ALICE, None, None) not in read(write_server, None)


def test_head_and_formats(write_server) -> None:
    created = call(write_server, "PUT", alice().serialize(format="nt"), content_type="application/n-triples")
    assert created.status_code == 201
    head = call(write_server, "HEAD", headers={})
    assert head.status_code == 200 and head.content == b""
    assert isomorphic(read(write_server, accept="application/n-triples"), alice())
    for content_type, fmt in [("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")]:
        body = alice("Alice B").serialize(format=fmt)
        assert call(write_server, "PUT", body, content_type=content_type).status_code == 204, content_type
        assert isomorphic(read(write_server), alice("Alice B"))


@pytest.mark.parametrize(
    ("method", "body", "content_type", "status"),
    [
        ("PUT", ALICE_TTL, "text/plain", 415),
        ("PUT", ALICE_TTL, "application/n-quads", 415),
        ("PUT", "<not turtle", "text/turtle", 400),
        ("PUT", f'<{ALICE}> a <{SDO}Person> .', "text/turtle", 422),  # a person needs a name
    ],
)
def test_bad_bodies_change_nothing(write_server, method, body, content_type, status) -> None:
    before = write_server.store.quad_count()
    assert call(write_server, method, body, content_type=content_type).status_code == status
    assert write_server.store.quad_count() == before


def test_rdf_xml_external_entities_are_not_read(write_server, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:s="{SDO}">
<s:Person rdf:about="{ALICE}"><s:name>&xxe;</s:name></s:Person></rdf:RDF>"""
    response = call(write_server, "PUT", body, content_type="application/rdf+xml")
    assert response.status_code == 400
    assert "TOPSECRET" not in write_server.store.dump(ox.RdfFormat.N_QUADS).decode()


def test_default_graph_is_read_only_and_graph_names_are_checked(write_server) -> None:
    refused = call(write_server, "PUT", ALICE_TTL, graph=None, default="")
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, HEAD"
    assert refused.headers["Content-Type"] == "application/json"
    assert refused.json()["error"] == "method-not-allowed" and "named graph" in refused.json()["message"]
    assert call(write_server, "GET", graph="not an iri", headers={}).status_code == 400
    assert call(write_server, "GET", graph=G, headers={}, default="").status_code == 400
    assert call(write_server, "GET", graph=None, headers={}).status_code == 400


def test_writes_need_the_token_reads_do_not(write_server) -> None:
    assert call(write_server, "PUT", ALICE_TTL, headers={}).status_code == 401
    assert call(write_server, "PUT", ALICE_TTL, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert call(write_server, "DELETE", headers={}).status_code == 401
    assert call(write_server, "GET", graph=None, headers={}, default="").status_code == 200
