"""The /sparql endpoint over real HTTP (waitress on a loopback port), with requests and SPARQLWrapper.

Answers are parsed back (json, csv, XML, rdflib for graphs) and compared on content, never as
strings. The data is the `live_server` fixture's: Alice in article 1, Bob in article 2, both
merged into the default graph, and the council only in the default graph.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own server's answers
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from SPARQLWrapper import CSV, JSON, JSONLD, POST, RDFXML, TURTLE, XML, SPARQLWrapper

from kg.config import load_settings
from kg.store import EmbeddedStore
from kg.store.base import QueryResult
from kg.web import create_app

EX = "http://example.org/"
SDO = "https://schema.org/"
ALICE, BOB, COUNCIL = URIRef(f"{EX}alice"), URIRef(f"{EX}bob"), URIRef(f"{EX}council")
ARTICLE_1, ARTICLE_2 = f"{EX}article/1", f"{EX}article/2"
RES = "{http://www.w3.org/2005/sparql-results#}"

NAMES = f"SELECT ?name WHERE {{ ?p a <{SDO}Person> ; <{SDO}name> ?name }} ORDER BY ?name"
ASK_ALICE = f'ASK {{ <{ALICE}> <{SDO}name> "Alice Martin" }}'
CONSTRUCT_NAMES = f"CONSTRUCT {{ ?p <{SDO}name> ?n }} WHERE {{ ?p a <{SDO}Person> ; <{SDO}name> ?n }}"
DESCRIBE_ALICE = f"DESCRIBE <{ALICE}>"
HOWS = ["get", "form", "direct"]


def rdflib_deprecations(test):
    """Silence rdflib's own deprecations: its JSON-LD and N3 parsers build ConjunctiveGraphs."""
    test = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")(test)
    return pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")(test)


def send(server, how: str, query: str | None, *, accept: str | None = None, params=()) -> requests.Response:
    """Send `query` the way `how` says: GET ?query=, form POST, or direct POST."""
    headers = {"Accept": accept}  # None removes requests' default "*/*": no Accept at all
    params = list(params)
    if how == "get":
        query_params = params + ([("query", query)] if query is not None else [])
        return requests.get(server.sparql, params=query_params, headers=headers, timeout=10)
    if how == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = params + ([("query", query)] if query is not None else [])
        return requests.post(server.sparql, data=urlencode(data), headers=headers, timeout=10)
    headers["Content-Type"] = "application/sparql-query"
    body = (query or "").encode()
    return requests.post(server.sparql, params=params, data=body, headers=headers, timeout=10)


def names_graph() -> Graph:
    graph = Graph()
    graph.add((ALICE, URIRef(f"{SDO}name"), Literal("Alice Martin")))
    graph.add((BOB, URIRef(f"{SDO}name"), Literal("Bob Dupont")))
    return graph


def alice_graph() -> Graph:
    graph = Graph()
    graph.add((ALICE, RDF.type, URIRef(f"{SDO}Person")))
    graph.add((ALICE, URIRef(f"{SDO}name"), Literal("Alice Martin")))
    graph.add((ALICE, URIRef(f"{SDO}memberOf"), COUNCIL))
    return graph


def json_names(response: requests.Response) -> list[str]:
    return [row["name"]["value"] for row in response.json()["results"]["bindings"]]


# --- the three ways to send a query, for every query form ----------------------------------------


@pytest.mark.parametrize("how", HOWS)
def test_select(live_server, how: str) -> None:
    response = send(live_server, how, NAMES)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/sparql-results+json"
    assert response.json()["head"]["vars"] == ["name"]
    assert json_names(response) == ["Alice Martin", "Bob Dupont"]


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize(
    ("query", "expected"), [(ASK_ALICE, True), (f"ASK {{ <{BOB}> ?p <{COUNCIL}> }}", False)]
)
def test_ask(live_server, how: str, query: str, expected: bool) -> None:
    response = send(live_server, how, query)
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is expected


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize(
    ("query", "expected"), [(CONSTRUCT_NAMES, names_graph), (DESCRIBE_ALICE, alice_graph)]
)
def test_graph_queries(live_server, how: str, query: str, expected) -> None:
    response = send(live_server, how, query)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert isomorphic(Graph().parse(data=response.text, format="turtle"), expected())


# --- every format, parsed back ------------------------------------------------------------------


def parse_results(content_type: str, body: bytes) -> list[str]:
    """The ?name column of a SELECT answer, read with a parser for its format."""
    text = body.decode("utf-8")
    if content_type == "application/sparql-results+json":
        return [row["name"]["value"] for row in json.loads(text)["results"]["bindings"]]
    if content_type == "application/sparql-results+xml":
        root = ET.fromstring(body)  # noqa: S314 - our own server's answer
        return [b.find(f"{RES}literal").text for b in root.iter(f"{RES}binding")]
    if content_type == "text/csv; charset=utf-8":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == ["name"]
        return [row[0] for row in rows[1:]]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["?name"]
    return [json.loads(row[0]) for row in rows[1:]]  # TSV writes terms as in Turtle: "Alice Martin"


@pytest.mark.parametrize(
    "media_type",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_select_in_every_results_format(live_server, media_type: str) -> None:
    response = send(live_server, "get", NAMES, accept=f"{media_type}, */*;q=0.1")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response.headers["Vary"]
    assert parse_results(response.headers["Content-Type"], response.content) == ["Alice Martin", "Bob Dupont"]


@pytest.mark.parametrize(
    ("media_type", "read"),
    [
        ("application/sparql-results+json", lambda body: json.loads(body)["boolean"]),
        (
            "application/sparql-results+xml",
            lambda body: ET.fromstring(body).find(f"{RES}boolean").text == "true",  # noqa: S314
        ),
        ("text/csv", lambda body: body == b"true"),
        ("text/tab-separated-values", lambda body: body == b"true"),
    ],
)
def test_ask_in_every_results_format(live_server, media_type: str, read) -> None:
    response = send(live_server, "form", ASK_ALICE, accept=media_type)
    assert response.status_code == 200, response.text
    assert read(response.content) is True


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("text/n3", "n3"),
    ],
)
@pytest.mark.parametrize(
    ("query", "expected"), [(CONSTRUCT_NAMES, names_graph), (DESCRIBE_ALICE, alice_graph)]
)
@rdflib_deprecations
def test_graphs_in_every_format(
    live_server, media_type: str, rdflib_format: str, query: str, expected
) -> None:
    response = send(live_server, "direct", query, accept=media_type)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert isomorphic(Graph().parse(data=response.content, format=rdflib_format), expected())


def test_no_accept_header_gives_the_defaults(live_server) -> None:
    assert (
        send(live_server, "get", NAMES, accept=None).headers["Content-Type"]
        == "application/sparql-results+json"
    )
    assert (
        send(live_server, "get", CONSTRUCT_NAMES, accept=None)
        .headers["Content-Type"]
        .startswith("text/turtle")
    )


def test_format_parameter_overrides_accept(live_server) -> None:
    response = send(
        live_server, "get", NAMES, accept="application/sparql-results+xml", params=[("format", "csv")]
    )
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert parse_results(response.headers["Content-Type"], response.content) == ["Alice Martin", "Bob Dupont"]


# --- the dataset parameters ----------------------------------------------------------------------


@pytest.mark.parametrize("how", HOWS)
def test_default_graph_uri_selects_one_article(live_server, how: str) -> None:
    response = send(live_server, how, NAMES, params=[("default-graph-uri", ARTICLE_2)])
    assert json_names(response) == ["Bob Dupont"]


@pytest.mark.parametrize("how", HOWS)
def test_named_graph_uri_repeated(live_server, how: str) -> None:
    query = f"SELECT ?g ?name WHERE {{ GRAPH ?g {{ ?p <{SDO}name> ?name }} }} ORDER BY ?name"
    params = [("named-graph-uri", ARTICLE_1), ("named-graph-uri", ARTICLE_2)]
    rows = send(live_server, how, query, params=params).json()["results"]["bindings"]
    assert [(r["g"]["value"], r["name"]["value"]) for r in rows] == [
        (ARTICLE_1, "Alice Martin"),
        (ARTICLE_2, "Bob Dupont"),
    ]
    only_first = send(live_server, how, query, params=params[:1]).json()["results"]["bindings"]
    assert [r["name"]["value"] for r in only_first] == ["Alice Martin"]


# --- errors: one JSON body ----------------------------------------------------------------------


def assert_error(response: requests.Response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == kind
    assert body["message"]
    return body


@pytest.mark.parametrize("how", HOWS)
def test_malformed_query_is_400_with_the_parser_message(live_server, how: str) -> None:
    body = assert_error(send(live_server, how, "SELECT * WHERE { ?s ?p }"), 400, "query-syntax")
    assert "error at 1:" in body["message"]


@pytest.mark.parametrize(("query", "accept"), [(NAMES, "text/html"), (CONSTRUCT_NAMES, "text/csv")])
def test_unsatisfiable_accept_is_406(live_server, query: str, accept: str) -> None:
    assert_error(send(live_server, "get", query, accept=accept), 406, "not-acceptable")


def test_bad_content_type_is_415(live_server) -> None:
    response = requests.post(
        live_server.sparql, data=NAMES, headers={"Content-Type": "text/plain"}, timeout=10
    )
    assert_error(response, 415, "unsupported-media-type")


@pytest.mark.parametrize("how", ["form", "direct"])  # a GET with no query is the Service Description
def test_no_query_is_400(live_server, how: str) -> None:
    assert_error(send(live_server, how, None), 400, "missing-query")


@pytest.mark.parametrize("how", HOWS)
def test_update_is_refused(live_server, how: str) -> None:
    update = f"INSERT DATA {{ <{BOB}> <{SDO}memberOf> <{COUNCIL}> }}"
    assert_error(send(live_server, how, update), 400, "update-refused")
    assert live_server.store.query(f"ASK {{ <{BOB}> <{SDO}memberOf> <{COUNCIL}> }}").__bool__() is False


def test_update_content_type_is_refused(live_server) -> None:
    headers = {"Content-Type": "application/sparql-update"}
    response = requests.post(live_server.sparql, data="CLEAR ALL", headers=headers, timeout=10)
    assert_error(response, 400, "update-refused")
    assert live_server.store.quad_count() > 0


def test_bad_graph_iri_is_400(live_server) -> None:
    assert_error(send(live_server, "get", NAMES, params=[("default-graph-uri", "not an iri")]), 400, "usage")


def test_other_methods_and_paths_answer_json(live_server) -> None:
    response = requests.put(live_server.sparql, data=NAMES, timeout=10)
    assert_error(response, 405, "method-not-allowed")
    assert "POST" in response.headers["Allow"]
    assert_error(requests.get(f"{live_server.url}no-such-page", timeout=10), 404, "not-found")


class _BrokenStore:
    """A store whose query fails in a way no handler expects."""

    def query(self, query: str, **kwargs: object) -> QueryResult:
        raise RuntimeError("disk on fire")


def test_unexpected_error_is_a_logged_500_json_body(caplog: pytest.LogCaptureFixture) -> None:
    client = create_app(store=_BrokenStore()).test_client()  # type: ignore[arg-type]
    response = client.get("/sparql", query_string={"query": NAMES})
    assert response.status_code == 500
    assert response.json == {
        "error": "internal",
        "message": "internal server error; the cause is in the server log",
    }
    assert "disk on fire" not in response.get_data(as_text=True)
    assert "disk on fire" in caplog.text


# --- SPARQLWrapper, as users will call it ---------------------------------------------------------


def wrapper(live_server, query: str, fmt: str, *, post: bool = False) -> SPARQLWrapper:
    client = SPARQLWrapper(live_server.sparql, returnFormat=fmt)
    client.setQuery(query)
    if post:
        client.setMethod(POST)
    return client


@pytest.mark.parametrize("post", [False, True])
def test_sparqlwrapper_select_json(live_server, post: bool) -> None:
    result = wrapper(live_server, NAMES, JSON, post=post).queryAndConvert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == ["Alice Martin", "Bob Dupont"]


def test_sparqlwrapper_select_xml_and_csv(live_server) -> None:
    document = wrapper(live_server, NAMES, XML).queryAndConvert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == [
        "Alice Martin",
        "Bob Dupont",
    ]
    rows = list(csv.reader(io.StringIO(wrapper(live_server, NAMES, CSV).queryAndConvert().decode())))
    assert rows == [["name"], ["Alice Martin"], ["Bob Dupont"]]


def test_sparqlwrapper_ask(live_server) -> None:
    assert wrapper(live_server, ASK_ALICE, JSON).queryAndConvert()["boolean"] is True


@rdflib_deprecations
@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
@pytest.mark.parametrize(
    ("query", "expected"), [(CONSTRUCT_NAMES, names_graph), (DESCRIBE_ALICE, alice_graph)]
)
def test_sparqlwrapper_graphs(live_server, fmt: str, query: str, expected) -> None:
    converted = wrapper(live_server, query, fmt).queryAndConvert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
    assert isomorphic(graph, expected())


# --- server.py itself ----------------------------------------------------------------------------


def test_server_script_serves(tmp_path: Path, processes) -> None:
    """`python server.py` binds, says where, and answers; an on-disk store in a temp dir."""
    root = Path(__file__).resolve().parent.parent
    command = [
        sys.executable,
        str(root / "server.py"),
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--store",
        str(tmp_path / "store"),
    ]
    process = processes.start(command, cwd=root, stderr=subprocess.DEVNULL)
    line = process.stdout.readline().strip()
    assert line.startswith("kg serving on http://127.0.0.1:"), line
    url = line.removeprefix("kg serving on ")
    response = requests.get(f"{url}sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    assert response.json() == {"head": {}, "boolean": False}


def test_oversized_body_is_a_413_json_body() -> None:
    settings = load_settings(store=":memory:", max_body_bytes=100)
    app = create_app(settings, store=EmbeddedStore.open(":memory:"))
    body = "ASK {}" + " " * 200
    response = app.test_client().post("/sparql", data=body, content_type="application/sparql-query")
    assert response.status_code == 413
    assert response.json["error"] == "request-entity-too-large"


def test_rdflib_sparqlstore_reads_the_endpoint(live_server) -> None:
    """rdflib's own remote-store client, as a Python user would point it at kg."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(query_endpoint=live_server.sparql, returnFormat="json"))
    names = sorted(str(row.name) for row in graph.query(NAMES))
    assert names == ["Alice Martin", "Bob Dupont"]
    assert bool(graph.query(ASK_ALICE).askAnswer)
    assert (ALICE, URIRef(f"{SDO}name"), Literal("Alice Martin")) in graph
