"""/update over real HTTP: the protocol, the token, the guard, validation, and the merged default graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests
from conftest import WRITE_TOKEN
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

EX = "http://example.org/"
SDO = "https://schema.org/"
G1, G2 = f"{EX}g/1", f"{EX}g/2"
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
ALICE = "https://kg.example.org/id/person/alice"  # minted as the shapes ask
ALICE_IN = "INSERT DATA {{ GRAPH <{g}> {{ <" + ALICE + "> a <" + SDO + "Person> ; <" + SDO + 'name> "Alice" }} }}'
COUNT_ALICE = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{ALICE}> <{SDO}name> ?name }}"


def post(server, update: str, *, headers=AUTH, form: bool = False) -> requests.Response:
    if form:
        return requests.post(f"{server.url}update", data={"update": update}, headers=headers, timeout=30)
    headers = {**headers, "Content-Type": "application/sparql-update"}
    return requests.post(f"{server.url}update", data=update.encode(), headers=headers, timeout=30)


def count(store, query: str = COUNT_ALICE) -> int:
    return int(next(iter(store.query(query)))["n"].value)


@pytest.mark.parametrize("form", [False, True])
def test_insert_data_into_a_graph_is_204_and_merged_into_the_default_graph(write_server, form: bool) -> None:
    response = post(write_server, ALICE_IN.format(g=G1), form=form)
    assert response.status_code == 204, response.text
    assert write_server.store.has_graph(ox.NamedNode(G1))
    assert count(write_server.store) == 1


def test_the_default_graph_stays_a_merge_through_updates(write_server) -> None:
    for g in (G1, G2):
        assert post(write_server, ALICE_IN.format(g=g)).status_code == 204
    assert count(write_server.store) == 1  # a set, not a bag
    drop = post(write_server, f"DROP GRAPH <{G1}>")
    assert drop.status_code == 204, drop.text
    assert count(write_server.store) == 1  # G2 still says it
    assert post(write_server, f"DELETE WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}").status_code == 204
    assert count(write_server.store) == 0


def test_with_and_prefixed_names_work(write_server) -> None:
    assert post(write_server, ALICE_IN.format(g=G1)).status_code == 204
    update = (f'PREFIX s: <{SDO}> PREFIX g: <{EX}g/> WITH g:1 DELETE {{ ?p s:name "Alice" }} '
              f'INSERT {{ ?p s:name "Alice Martin" }} WHERE {{ ?p s:name "Alice" }}')
    assert post(write_server, update).status_code == 204, "renamed"
    names = {r["name"].value for r in write_server.store.query(COUNT_ALICE.replace("(COUNT(*) AS ?n)", "?name"))}
    assert names == {"Alice Martin"}


def test_an_update_that_breaks_the_shapes_is_422_and_changes_nothing(write_server) -> None:
    assert post(write_server, ALICE_IN.format(g=G1)).status_code == 204
    before = write_server.store.quad_count()
    response = post(write_server, f"DELETE WHERE {{ GRAPH <{G1}> {{ <{ALICE}> <{SDO}name> ?n }} }}")
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "validation"
    assert body["detail"][G1]["conforms"] is False
    assert any(r["path"] == f"{SDO}name" for r in body["detail"][G1]["results"])
    assert write_server.store.quad_count() == before


@pytest.mark.parametrize(
    ("update", "kind"),
    [
        (f'INSERT DATA {{ <{EX}x> <{SDO}name> "default" }}', "query-refused"),  # the default graph
        ("DROP ALL", "query-refused"),
        ("CLEAR DEFAULT", "query-refused"),
        (f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s <{SDO}name> ?o }} }}", "query-refused"),
        ("LOAD <http://127.0.0.1:1/data.ttl> INTO GRAPH <http://example.org/g/1>", "query-refused"),
        ("INSERT DATA { GRAPH <http://example.org/g/1> { ", "query-syntax"),
    ],
)
def test_refused_updates(write_server, update: str, kind: str) -> None:
    before = write_server.store.quad_count()
    response = post(write_server, update)
    assert response.status_code in (400, 403), response.text
    assert response.json()["error"] == kind
    assert write_server.store.quad_count() == before


def test_no_token_is_401_with_a_challenge_and_a_wrong_one_403(write_server) -> None:
    update = ALICE_IN.format(g=G1)
    for headers in ({}, {"Authorization": f"Basic {WRITE_TOKEN}"}):
        response = post(write_server, update, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    wrong = post(write_server, update, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert WRITE_TOKEN not in wrong.text
    assert not write_server.store.has_graph(ox.NamedNode(G1))


def test_writes_are_off_without_a_token_setting(live_server) -> None:
    response = post(live_server, ALICE_IN.format(g=G1))
    assert response.status_code == 403
    assert "disabled" in response.json()["message"]


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"data": "x", "headers": {**AUTH, "Content-Type": "text/plain"}}, 415),
        ({"data": {"query": "ASK {}"}, "headers": AUTH}, 400),
        ({"data": {"update": "DELETE { GRAPH <http://x/> { ?s ?p ?o } } USING <http://x/> WHERE { ?s ?p ?o }",
                   "using-graph-uri": "http://x/"}, "headers": AUTH}, 400),
    ],
)
def test_protocol_errors(write_server, kwargs, status: int) -> None:
    assert requests.post(f"{write_server.url}update", timeout=10, **kwargs).status_code == status


def test_get_is_405_and_no_cors_on_writes(write_server) -> None:
    response = requests.get(f"{write_server.url}update", timeout=10)
    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in post(write_server, ALICE_IN.format(g=G1)).headers


def test_the_token_is_never_logged(write_server, caplog: pytest.LogCaptureFixture) -> None:
    post(write_server, ALICE_IN.format(g=G1))
    post(write_server, "DROP ALL")
    post(write_server, "x", headers={"Authorization": f"Bearer {WRITE_TOKEN}x"})
    assert WRITE_TOKEN not in caplog.text


def test_rdflib_sparqlupdatestore(write_server) -> None:
    store = SPARQLUpdateStore(
        query_endpoint=f"{write_server.url}sparql", update_endpoint=f"{write_server.url}update",
        auth=None, headers=AUTH,
    )
    store.update(ALICE_IN.format(g=G1))
    rows = list(store.query(COUNT_ALICE))
    assert int(rows[0][0]) == 1
