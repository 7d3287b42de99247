"""The guard: SERVICE and LOAD refused before the engine, nothing ever fetched; datasets read as empty.

Unit tests read the tokenizer's verdicts; the HTTP tests point SERVICE and LOAD at a real
listener on a free loopback port and assert that it never received a connection.
"""

from __future__ import annotations

import contextlib
import threading

import pyoxigraph as ox
import pytest
import requests
from conftest import never_contacted

from kg.errors import QueryRefused
from kg.sparql.guard import check, inspect

EX = "http://example.org/"


def guarded(text: str, *, allow_service: bool = False):
    return check(text, allow_service=allow_service)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://remote.example/sparql> { ?s ?p ?o } }",
        "select * where { service <http://remote.example/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SeRvIcE SILENT <http://remote.example/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o SERVICE<http://remote.example/>{ ?s ?p ?o } }",
        "PREFIX : <http://remote.example/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
        "PREFIX : <http://remote.example/> SELECT * WHERE { SERVICE SILENT:x { ?s ?p ?o } }",
        'SELECT * WHERE { ?s ?p "#" SERVICE <http://remote.example/> { ?s ?p ?o } }',
        "SELECT * WHERE { ?s ?p ?o }\n# a comment\nSERVICE",
        "LOAD <http://remote.example/data.ttl>",
        "load <http://remote.example/data.ttl> INTO GRAPH <http://example.org/g>",
        "PREFIX : <http://remote.example/> LOAD:x",
    ],
)
def test_network_operations_are_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="reach the network"):
        guarded(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://remote.example/> { }" }',
        "SELECT * WHERE { ?s ?p '''LOAD <http://x/>''' }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://remote.example/> { }",
        "SELECT ?service ?load WHERE { ?service <http://example.org/load> ?load }",
        "PREFIX svc: <http://example.org/> SELECT * WHERE { ?s svc:service svc:load }",
        "SELECT * WHERE { <http://example.org/SERVICE> ?p ?o }",
        'SELECT * WHERE { ?s ?p "x"@service }',
    ],
)
def test_the_words_in_strings_iris_comments_and_names_are_not_keywords(text: str) -> None:
    assert guarded(text).network == ()


def test_a_prefix_named_service_is_refused_to_be_safe() -> None:
    """pyoxigraph's PEG parser may read `service:x` as SERVICE and `:x`; the guard does not guess."""
    with pytest.raises(QueryRefused):
        guarded("PREFIX service: <http://example.org/> SELECT * WHERE { service:x ?p ?o }")


def test_allow_service_lets_them_through() -> None:
    assert guarded("SELECT * { SERVICE <http://r.example/> { ?s ?p ?o } }", allow_service=True).network == ("SERVICE",)


def test_datasets_and_the_query_form_are_read() -> None:
    text = f"PREFIX a: <{EX}article/>\nselect * FROM <http://remote.example/x> FROM NAMED a:2 {{ ?s ?p ?o }}"
    assert guarded(text).form == "SELECT"
    assert inspect("PREFIX x: <http://x/> CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert inspect("DESCRIBE <http://x/>").form == "DESCRIBE"
    assert inspect("INSERT DATA { <http://x/> <http://x/> 1 }").form is None


# --- over HTTP: refused with 403, and the listener is never contacted ---------------------------


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "PREFIX : <{url}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_over_http_and_nothing_is_fetched(live_server, listener, template: str) -> None:
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    response = requests.get(live_server.sparql, params={"query": template.format(url=url)}, timeout=10)
    assert response.status_code == 403, response.text
    assert response.json()["error"] == "query-refused"
    assert "SERVICE" in response.json()["message"]
    assert never_contacted(listener)


def test_a_dataset_the_store_lacks_reads_as_empty_and_nothing_is_fetched(live_server, listener) -> None:
    """Issue 11 item 11: FROM / FROM NAMED / default-graph-uri / named-graph-uri of an absent graph: 200, empty."""
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/data.ttl"
    for params in (
        {"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"},  # noqa: S608 - SPARQL, not SQL
        {"query": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},  # noqa: S608
        {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url},
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": url},
    ):
        response = requests.get(live_server.sparql, params=params, timeout=10,
                                headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.text
        assert response.json()["results"]["bindings"] == []
    assert never_contacted(listener)


def test_the_guard_is_what_stops_it(listener) -> None:
    """Unguarded, pyoxigraph does connect: so the listener tests above can fail."""
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"

    def run() -> None:
        with contextlib.suppress(OSError):
            list(ox.Store().query(query))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    listener.setblocking(True)
    listener.settimeout(10)
    connection, _ = listener.accept()  # the engine reached the listener
    connection.close()
    thread.join(timeout=10)
