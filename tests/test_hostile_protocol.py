"""Issue 11, items 11-15: the SPARQL 1.1 Protocol cases kg failed, each over real HTTP.

11. a dataset naming a graph the store lacks reads as empty (W3C `query_get`, `query_post_form`,
`query_content_type_*`); 12. a body in another charset than UTF-8 is refused and not run;
13. `GET /sparql?update=` is a 4xx; 14. `using-graph-uri` / `using-named-graph-uri` work like
USING / USING NAMED; 15. relative IRIs in an update resolve against the request's URL.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests
from conftest import WRITE_TOKEN

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
EX = "http://example.org/"
G, G2 = f"{EX}g/1", f"{EX}g/2"
RESULTS_JSON = {"Accept": "application/sparql-results+json"}
ABSENT = "http://absent.example/graph"


def post_update(server, text: str, **params: str) -> requests.Response:
    return requests.post(f"{server.url}update", data={"update": text, **params}, headers=AUTH, timeout=30)


def graph(server, iri: str) -> set[ox.Triple]:
    return set(server.store.triples(ox.NamedNode(iri)))


def seed(server) -> None:
    response = requests.put(f"{server.url}data", params={"graph": G}, data=f'<{EX}s> <{EX}p> "v" .'.encode(),
                            headers={**AUTH, "Content-Type": "text/turtle"}, timeout=30)
    assert response.status_code == 201, response.text


# --- item 11 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params", "content_type"),
    [
        ("GET", {"query": "ASK { ?s ?p ?o }", "default-graph-uri": ABSENT}, None),
        ("POST", {"query": "ASK { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": ABSENT},
         "application/x-www-form-urlencoded"),
        ("GET", {"query": f"ASK FROM <{ABSENT}> {{ ?s ?p ?o }}"}, None),
        ("GET", {"query": f"ASK FROM NAMED <{ABSENT}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"}, None),
        ("POST", {"default-graph-uri": ABSENT}, "application/sparql-query"),
    ],
)
def test_item11_a_dataset_the_store_lacks_is_empty(live_server, method, params, content_type) -> None:
    headers = dict(RESULTS_JSON)
    if content_type == "application/sparql-query":
        response = requests.post(live_server.sparql, params=params, data=b"ASK { ?s ?p ?o }", timeout=10,
                                 headers={**headers, "Content-Type": content_type})
    elif method == "POST":
        response = requests.post(live_server.sparql, data=params, headers=headers, timeout=10)
    else:
        response = requests.get(live_server.sparql, params=params, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is False


# --- item 12 ---------------------------------------------------------------------------------


def test_item12_a_query_in_utf16_is_a_415(live_server) -> None:
    response = requests.post(live_server.sparql, data="ASK {}".encode("utf-16"), timeout=10,
                             headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert response.status_code == 415, response.text
    assert "UTF-8" in response.json()["message"]


@pytest.mark.parametrize("content_type", ["application/sparql-update", "application/x-www-form-urlencoded"])
def test_item12_an_update_in_utf16_is_a_415_and_not_run(write_server, content_type: str) -> None:
    text = f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}s> <{EX}p> 1 }} }}"
    body = text if content_type.endswith("update") else f"update={requests.utils.quote(text)}"
    response = requests.post(f"{write_server.url}update", data=body.encode("utf-16"), timeout=10,
                             headers={**AUTH, "Content-Type": f"{content_type}; charset=UTF-16"})
    assert response.status_code == 415, response.text
    assert graph(write_server, G) == set()


# --- item 13 ---------------------------------------------------------------------------------


def test_item13_get_with_update_is_a_400_and_not_run(write_server) -> None:
    text = f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}s> <{EX}p> 1 }} }}"
    response = requests.get(f"{write_server.url}sparql", params={"update": text}, headers=AUTH, timeout=10)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "update-refused"
    assert graph(write_server, G) == set()


# --- item 14 ---------------------------------------------------------------------------------


COPY_DEFAULT = f"INSERT {{ GRAPH <{G2}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
COPY_NAMED = f"INSERT {{ GRAPH <{G2}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"


def test_item14_using_graph_uri_sets_the_default_graph_of_the_where(write_server) -> None:
    seed(write_server)
    response = post_update(write_server, COPY_DEFAULT, **{"using-graph-uri": G})
    assert response.status_code == 204, response.text
    assert graph(write_server, G2) == graph(write_server, G) != set()


def test_item14_using_graph_uri_of_an_empty_graph_copies_nothing(write_server) -> None:
    seed(write_server)
    assert post_update(write_server, COPY_DEFAULT, **{"using-graph-uri": ABSENT}).status_code == 204
    assert graph(write_server, G2) == set()


def test_item14_using_named_graph_uri_sets_the_named_graphs(write_server) -> None:
    seed(write_server)
    assert post_update(write_server, COPY_NAMED, **{"using-named-graph-uri": ABSENT}).status_code == 204
    assert graph(write_server, G2) == set()  # G is not among the named graphs of the WHERE
    assert post_update(write_server, COPY_NAMED, **{"using-named-graph-uri": G}).status_code == 204
    assert graph(write_server, G2) == graph(write_server, G) != set()


@pytest.mark.parametrize(
    "text",
    [
        f"INSERT {{ GRAPH <{G2}> {{ ?s ?p ?o }} }} USING <{G}> WHERE {{ ?s ?p ?o }}",
        f"WITH <{G}> INSERT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    ],
)
def test_item14_both_ways_at_once_is_a_400(write_server, text: str) -> None:
    seed(write_server)
    response = post_update(write_server, text, **{"using-graph-uri": G})
    assert response.status_code == 400, response.text
    assert "one way" in response.json()["message"]
    assert graph(write_server, G2) == set()


# --- item 15 ---------------------------------------------------------------------------------


def test_item15_relative_iris_in_an_update_resolve_against_the_request_url(write_server) -> None:
    response = post_update(write_server, "INSERT DATA { GRAPH <g> { <s> <p> <test> } }")
    assert response.status_code == 204, response.text
    base = write_server.url  # the update endpoint is {url}update, so <g> is {url}g
    assert graph(write_server, f"{base}g") == {
        ox.Triple(ox.NamedNode(f"{base}s"), ox.NamedNode(f"{base}p"), ox.NamedNode(f"{base}test"))
    }
    again = post_update(write_server, "DELETE DATA { GRAPH <g> { <s> <p> <test> } }")
    assert again.status_code == 204, again.text
    assert not write_server.store.has_graph(ox.NamedNode(f"{base}g"))
