"""Unit tests of the SPARQL 1.1 Protocol query operation, without HTTP."""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from kg.errors import InputError, KgError, QuerySyntaxError, UsageError
from kg.sparql.protocol import (
    FORM,
    QUERY,
    UPDATE,
    MissingQuery,
    QueryRequest,
    UnsupportedMediaType,
    UpdateRefused,
    execute,
    looks_like_update,
    parse_query_request,
)
from kg.store import EmbeddedStore

Q = "SELECT * WHERE { ?s ?p ?o }"
G1, G2 = "http://example.org/g1", "http://example.org/g2"


def test_get_reads_query_and_repeated_dataset_parameters() -> None:
    args = [("query", Q), ("default-graph-uri", G1), ("default-graph-uri", G2), ("named-graph-uri", G2)]
    assert parse_query_request("GET", None, args) == QueryRequest(Q, (G1, G2), (G2,))


def test_get_ignores_a_body() -> None:
    assert parse_query_request("GET", FORM, [("query", Q)], b"query=ASK{}").query == Q


def test_form_post_reads_the_body() -> None:
    body = urlencode([("query", Q), ("named-graph-uri", G1), ("named-graph-uri", G2)]).encode()
    assert parse_query_request("POST", FORM, [], body) == QueryRequest(Q, (), (G1, G2))


def test_direct_post_reads_the_body_and_graphs_from_the_url() -> None:
    parsed = parse_query_request("POST", QUERY, [("default-graph-uri", G1)], Q.encode())
    assert parsed == QueryRequest(Q, (G1,), ())


def test_post_without_body_or_content_type_reads_the_url_like_get() -> None:
    assert parse_query_request("POST", None, [("query", Q)]) == QueryRequest(Q)


@pytest.mark.parametrize("charset", ["UTF-8", "utf8", "us-ascii"])
def test_direct_post_reads_utf8(charset: str) -> None:
    query = 'SELECT * WHERE { ?s ?p "cafe" }'
    assert parse_query_request("POST", QUERY, [], query.encode("utf-8"), charset).query == query


@pytest.mark.parametrize("charset", ["latin-1", "UTF-16", "utf-16le", "no-such-charset"])
def test_a_body_in_another_charset_is_refused(charset: str) -> None:
    with pytest.raises(UnsupportedMediaType, match="UTF-8 only"):
        parse_query_request("POST", QUERY, [], b"ASK {}", charset)


def test_direct_post_with_bad_utf8_is_an_input_error() -> None:
    with pytest.raises(InputError):
        parse_query_request("POST", QUERY, [], b"SELECT \xff")


def test_format_parameter_is_kept_in_order() -> None:
    args = [("query", Q), ("format", "tsv"), ("format", "text/tab-separated-values")]
    assert parse_query_request("GET", None, args).formats == ("tsv", "text/tab-separated-values")


@pytest.mark.parametrize(
    ("method", "content_type", "args", "body"),
    [
        ("GET", None, [], b""),
        ("GET", None, [("default-graph-uri", G1)], b""),
        ("POST", FORM, [], b""),
        ("POST", FORM, [], b"named-graph-uri=http%3A%2F%2Fexample.org%2Fg1"),
        ("POST", QUERY, [], b""),
        ("POST", QUERY, [], b"  \n"),
        ("POST", None, [], b""),
    ],
)
def test_missing_query_is_400(method: str, content_type: str | None, args: list, body: bytes) -> None:
    with pytest.raises(MissingQuery) as info:
        parse_query_request(method, content_type, args, body)
    assert info.value.status == 400


@pytest.mark.parametrize(
    ("method", "content_type", "args", "body"),
    [
        ("GET", None, [("query", Q), ("query", Q)], b""),
        ("POST", FORM, [("query", Q)], urlencode({"query": Q}).encode()),
        ("POST", QUERY, [("query", Q)], Q.encode()),
    ],
)
def test_two_queries_are_400(method: str, content_type: str, args: list, body: bytes) -> None:
    with pytest.raises(UsageError) as info:
        parse_query_request(method, content_type, args, body)
    assert info.value.status == 400


@pytest.mark.parametrize("content_type", [None, "", "text/plain", "application/json", "multipart/form-data"])
def test_unsupported_post_body_is_415(content_type: str | None) -> None:
    with pytest.raises(UnsupportedMediaType) as info:
        parse_query_request("POST", content_type, [], Q.encode())
    assert info.value.status == 415
    assert isinstance(info.value, KgError)


@pytest.mark.parametrize(
    ("method", "content_type", "args", "body"),
    [
        ("POST", UPDATE, [], b"INSERT DATA { <a:s> <a:p> <a:o> }"),
        ("POST", FORM, [], b"update=CLEAR+ALL"),
        ("GET", None, [("update", "CLEAR ALL")], b""),
        ("GET", None, [("query", "CLEAR ALL")], b""),
        ("POST", QUERY, [], b"PREFIX ex: <http://example.org/#>\n# a comment\nINSERT DATA { ex:s ex:p 1 }"),
    ],
)
def test_updates_are_refused_with_400(method: str, content_type: str | None, args: list, body: bytes) -> None:
    with pytest.raises(UpdateRefused, match="/update") as info:
        parse_query_request(method, content_type, args, body)
    assert info.value.status == 400


@pytest.mark.parametrize(
    ("text", "is_update"),
    [
        ("INSERT DATA { <a:s> <a:p> 1 }", True),
        ("  delete where { ?s ?p ?o }", True),
        ("BASE <http://e/> PREFIX : <http://e/#> LOAD <http://e/x>", True),
        ("# INSERT in a comment\nWITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("DROP ALL", True),
        (Q, False),
        ("PREFIX insert: <http://e/> SELECT * WHERE { ?s insert:p ?o }", False),
        ("# DELETE\nASK {}", False),
        ("SELECT ?insert WHERE { ?insert ?p ?o }", False),
        ("", False),
    ],
)
def test_looks_like_update(text: str, is_update: bool) -> None:
    assert looks_like_update(text) is is_update


def test_looks_like_update_is_linear_on_long_whitespace() -> None:
    assert looks_like_update(" " * 200_000 + "SELECT") is False


@pytest.fixture
def store() -> EmbeddedStore:
    store = EmbeddedStore.open(":memory:")
    store.update(
        f"INSERT DATA {{ <http://e/d> <http://e/p> 0 . GRAPH <{G1}> {{ <http://e/a> <http://e/p> 1 }} "
        f"GRAPH <{G2}> {{ <http://e/b> <http://e/p> 2 }} }}"
    )
    return store


def _subjects(result: ox.QuerySolutions) -> set[str]:
    return {row["s"].value for row in result}


def test_execute_uses_the_stored_default_graph(store: EmbeddedStore) -> None:
    assert _subjects(execute(store, QueryRequest("SELECT ?s WHERE { ?s ?p ?o }"))) == {"http://e/d"}


def test_default_graph_uri_replaces_the_default_graph_and_from(store: EmbeddedStore) -> None:
    query = "SELECT ?s FROM <http://e/none> WHERE { ?s ?p ?o }"
    assert _subjects(execute(store, QueryRequest(query, (G1, G2)))) == {"http://e/a", "http://e/b"}


def test_named_graph_uri_alone_leaves_the_default_graph_empty(store: EmbeddedStore) -> None:
    req = QueryRequest("SELECT ?s WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", (), (G2,))
    assert _subjects(execute(store, req)) == {"http://e/b"}


def test_a_query_that_does_not_parse_carries_the_parser_message(store: EmbeddedStore) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        execute(store, QueryRequest("SELECT * WHERE { ?s ?p }"))
    assert info.value.status == 400
    assert "error at 1:" in info.value.message


def test_a_graph_parameter_that_is_not_an_iri_is_400(store: EmbeddedStore) -> None:
    with pytest.raises(UsageError, match="named-graph-uri"):
        execute(store, QueryRequest(Q, (), ("not an iri",)))
