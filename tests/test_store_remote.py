"""The remote back end against a real `oxigraph serve` process: settings, results, errors, ingest.

The shared store behaviour (counts once across graphs, replace, drop) is tested over both back
ends in test_store.py, and the SPARQL service over both in test_web_sparql.py; this file covers
what only the remote store has: choosing it, the protocol mapping, and the errors it raises.
"""

from __future__ import annotations

import socket

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.config import load_settings
from kg.errors import StoreFailed, StoreReadOnly, StoreUnavailable
from kg.named import named_queries
from kg.sparql import GRAPHS, RESULTS, serialize
from kg.store import EmbeddedStore, RemoteStore, open_store
from kg.store.remote import Endpoints
from kg.web import create_app

EX = "http://example.org/"
G1, G2 = ox.NamedNode(f"{EX}g1"), ox.NamedNode(f"{EX}g2")
NAME = ox.NamedNode("https://schema.org/name")
KNOWS = ox.NamedNode("https://schema.org/knows")
ALICE, BOB = ox.NamedNode(f"{EX}alice"), ox.NamedNode(f"{EX}bob")


def fill(store) -> None:
    store.replace_graph(G1, [ox.Triple(ALICE, NAME, ox.Literal("Alice Müller", language="de"))])
    store.replace_graph(G2, [ox.Triple(BOB, NAME, ox.Literal("Bob")), ox.Triple(BOB, KNOWS, ALICE)])


# --- choosing the back end ----------------------------------------------------------------------


def test_a_store_url_means_the_oxigraph_server_layout() -> None:
    endpoints = Endpoints.from_settings(load_settings(store="http://db.example:7878/"))
    assert endpoints == Endpoints(
        "http://db.example:7878/query", "http://db.example:7878/update", "http://db.example:7878/store"
    )


def test_each_endpoint_can_be_named_for_other_stores() -> None:
    settings = load_settings(
        store="data/store",
        store_query_url="http://fuseki:3030/ds/query",
        store_update_url="http://fuseki:3030/ds/update",
    )
    assert Endpoints.from_settings(settings) == Endpoints("http://fuseki:3030/ds/query", "http://fuseki:3030/ds/update")


def test_environment_switches_open_store_to_remote(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE_QUERY_URL", "http://db.example/sparql")
    monkeypatch.setenv("KG_STORE_TIMEOUT", "5")
    store = open_store(load_settings(), read_only=True)
    assert isinstance(store, RemoteStore)
    assert (store.endpoints.query, store.read_only) == ("http://db.example/sparql", True)
    store.close()


def test_a_path_still_means_the_embedded_store() -> None:
    store = open_store(load_settings(store=":memory:"))
    assert isinstance(store, EmbeddedStore)


# --- answers are pyoxigraph values, as the embedded store's ---------------------------------------


def test_select_ask_and_graph_answers(remote_store: RemoteStore) -> None:
    fill(remote_store)
    names = remote_store.query("SELECT ?n WHERE { ?s <https://schema.org/name> ?n } ORDER BY ?n")
    assert isinstance(names, ox.QuerySolutions)
    assert [v.value for v in names.variables] == ["n"]
    assert [row["n"] for row in names] == [ox.Literal("Alice Müller", language="de"), ox.Literal("Bob")]
    assert bool(remote_store.query(f"ASK {{ {BOB} {KNOWS} [] }}")) is True
    graph = remote_store.query(f"CONSTRUCT WHERE {{ {BOB} ?p ?o }}")
    assert isinstance(graph, ox.QueryTriples)
    assert {t.predicate for t in graph} == {NAME, KNOWS}


def test_blank_nodes_in_a_graph_answer_stay_one_node(remote_store: RemoteStore) -> None:
    remote_store.update(f"INSERT DATA {{ {BOB} {KNOWS} _:x . _:x {NAME} \"X\" }}")
    triples = list(remote_store.query("CONSTRUCT WHERE { ?s ?p ?o }"))
    objects = {t.object for t in triples if t.predicate == KNOWS}
    subjects = {t.subject for t in triples if t.predicate == NAME}
    assert len(objects) == 1 and objects == subjects
    assert isinstance(objects.pop(), ox.BlankNode)


@pytest.mark.parametrize(
    ("query", "table", "choice"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", RESULTS, "text/csv"),
        ("DESCRIBE <http://example.org/bob>", GRAPHS, "text/turtle"),
    ],
)
def test_answers_serialize_like_the_embedded_stores(remote_store: RemoteStore, query, table, choice) -> None:
    fill(remote_store)
    embedded = EmbeddedStore.open(":memory:")
    fill(embedded)
    ours, theirs = (serialize(s.query(query), table.choice(choice)) for s in (remote_store, embedded))
    if table is GRAPHS:
        read = ox.RdfFormat.TURTLE
        assert set(ox.parse(ours, format=read)) == set(ox.parse(theirs, format=read))
    else:
        assert sorted(ours.splitlines()) == sorted(theirs.splitlines())


def test_dataset_parameters_reach_the_store(remote_store: RemoteStore) -> None:
    fill(remote_store)
    query = "SELECT ?n WHERE { ?s <https://schema.org/name> ?n }"
    assert [r["n"].value for r in remote_store.query(query, default_graph=[G2])] == ["Bob"]
    in_graphs = "SELECT ?g WHERE { GRAPH ?g { ?s <https://schema.org/name> ?n } }"
    assert [r["g"] for r in remote_store.query(in_graphs, default_graph=[], named_graphs=[G1])] == [G1]


def test_graphs_triples_dump_and_count(remote_store: RemoteStore) -> None:
    fill(remote_store)
    embedded = EmbeddedStore.open(":memory:")
    fill(embedded)
    assert sorted(g.value for g in remote_store.named_graphs()) == [G1.value, G2.value]
    assert [t.subject for t in remote_store.triples(G1)] == [ALICE]
    assert len(list(remote_store.triples())) == 3
    assert list(remote_store.triples(ox.NamedNode(f"{EX}none"))) == []
    assert remote_store.quad_count() == embedded.quad_count() == 6
    trig = remote_store.dump(ox.RdfFormat.TRIG)
    assert len(list(ox.parse(trig, format=ox.RdfFormat.TRIG))) == 6
    assert remote_store.has_graph(G2) and not remote_store.has_graph(ox.NamedNode(f"{EX}none"))


def test_without_graph_store_protocol_graphs_come_by_construct(oxigraph_server, remote_store) -> None:
    fill(remote_store)
    query_only = RemoteStore(Endpoints(f"{oxigraph_server.url}/query"))
    assert set(query_only.triples(G1)) == set(remote_store.triples(G1))
    nt = query_only.dump(ox.RdfFormat.N_TRIPLES, graph=G2)
    assert len(list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))) == 2
    with pytest.raises(StoreReadOnly, match="no update endpoint"):
        query_only.drop_graph(G1)
    query_only.close()


# --- errors ----------------------------------------------------------------------------------------


def test_a_query_or_update_that_does_not_parse_is_a_syntax_error(remote_store: RemoteStore) -> None:
    with pytest.raises(SyntaxError, match="error at 1:"):
        remote_store.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(SyntaxError, match="error at 1:"):
        remote_store.update("INSERT DATA { <http://a> <http://b> }")


def test_read_only_refuses_updates(oxigraph_server, remote_store: RemoteStore) -> None:
    reader = oxigraph_server.store(read_only=True)
    with pytest.raises(StoreReadOnly, match="read-only"):
        reader.replace_graph(G1, [ox.Triple(ALICE, NAME, ox.Literal("A"))])
    assert remote_store.quad_count() == 0
    reader.close()


def test_an_unreachable_store_names_its_url() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    store = open_store(load_settings(store=f"http://user:secret@127.0.0.1:{port}"))
    with pytest.raises(StoreUnavailable, match=f"http://127.0.0.1:{port}/query cannot be reached") as caught:
        store.query("ASK {}")
    assert "secret" not in caught.value.message
    assert caught.value.status == 503 and caught.value.exit_code == 3
    store.close()


def test_the_service_answers_503_json_when_the_store_is_down() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        settings = load_settings(store=f"http://127.0.0.1:{sock.getsockname()[1]}")
    store = open_store(settings)
    response = create_app(settings, store=store).test_client().get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 503
    assert response.json["error"] == "store-unavailable"
    assert "127.0.0.1" not in response.json["message"]  # the store's address is not the client's business
    store.close()


def test_a_store_that_does_not_answer_in_time() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()  # connections queue but nobody reads them
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        store = RemoteStore(Endpoints(f"{url}/query"), timeout=0.2)
        with pytest.raises(StoreUnavailable, match=f"{url}/query did not answer within 0.2 s"):
            store.query("ASK {}")
        store.close()


def test_an_error_status_names_the_url_and_status(oxigraph_server) -> None:
    store = RemoteStore(Endpoints(f"{oxigraph_server.url}/no-such-endpoint"))
    with pytest.raises(StoreFailed, match=r"/no-such-endpoint answered 404 Not Found") as caught:
        store.query("ASK {}")
    assert caught.value.status == 502
    store.close()


# --- the loader and the CLI, unchanged, over the server -------------------------------------------


def cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A term as text; blank node labels and the order of GROUP_CONCAT parts (unspecified) ignored."""
    if isinstance(term, ox.BlankNode):
        return "_:b"
    if isinstance(term, ox.Literal) and " | " in term.value:
        return " | ".join(sorted(term.value.split(" | ")))
    return str(term)


def rows(store, sparql: str) -> list[tuple[str, ...]]:
    """A named query's answer as sorted rows of cells."""
    result = store.query(sparql)
    names = [v.value for v in result.variables]
    return sorted(tuple(cell(r[n]) for n in names) for r in result)


def test_ingested_articles_answer_the_named_queries_as_embedded(remote_store, own_articles) -> None:
    ingest = pytest.importorskip("kg.ingest", reason="the ingest pipeline is not importable yet")
    settings = load_settings(store=":memory:")
    embedded = EmbeddedStore.open(":memory:")
    for store in (embedded, remote_store):
        outcomes = ingest.Ingestor(store, settings).ingest_paths(own_articles)
        assert [o.status for o in outcomes] == ["stored"] * len(outcomes), [o.error for o in outcomes]
    assert remote_store.quad_count() == embedded.quad_count()
    for query in named_queries().values():
        assert rows(remote_store, query.sparql) == rows(embedded, query.sparql), query.name


def test_cli_ingests_queries_and_exports_through_the_server(oxigraph_server, remote_store, own_articles) -> None:
    runner = CliRunner()
    store = ["--store", oxigraph_server.url]
    ingested = runner.invoke(cli, [*store, "ingest", *map(str, own_articles[:2])])
    assert ingested.exit_code == 0, ingested.output
    assert "2 stored, 0 failed" in ingested.output
    people = runner.invoke(cli, [*store, "query", "--named", "people", "--format", "json"])
    assert people.exit_code == 0, people.output
    exported = runner.invoke(cli, [*store, "export", "--format", "nq"])
    assert exported.exit_code == 0, exported.output
    assert len(exported.stdout_bytes.splitlines()) == remote_store.quad_count()
