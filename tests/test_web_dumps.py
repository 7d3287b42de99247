"""Dumps over real HTTP: each format parses back to the store's quads, streamed, with validators."""

from __future__ import annotations

import json
import threading

import pyoxigraph as ox
import pytest
import requests
from conftest import LD_ARTICLES, LD_BASE, LD_GRAPH_2, ld_article_turtle, ld_store

from kg.change_marker import ChangeTracker, fingerprint
from kg.web.dumps import CHUNK, stream

DATASETS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def store_quads(store) -> set[ox.Quad]:
    quads = {ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in store.triples()}
    for graph in store.named_graphs():
        quads |= {ox.Quad(t.subject, t.predicate, t.object, graph) for t in store.triples(graph)}
    return quads


@pytest.mark.parametrize("ext", DATASETS)
def test_dataset_dumps_hold_every_graph(linked_server, ext):
    response = requests.get(f"{linked_server.url}dump.{ext}", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == {"nq": "application/n-quads", "trig": "application/trig"}[ext]
    assert set(ox.parse(response.content, format=DATASETS[ext])) == store_quads(linked_server.store)


def test_turtle_dump_is_the_default_graph(linked_server):
    response = requests.get(f"{linked_server.url}dump.ttl", timeout=10)
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    got = {q.triple for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE)}
    assert got == set(linked_server.store.triples())


def test_jsonld_dump_uses_the_published_context(linked_server):
    response = requests.get(f"{linked_server.url}dump.jsonld", timeout=10)
    assert response.headers["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["@context"] == f"{linked_server.url}context.jsonld"
    context = requests.get(document["@context"], timeout=10)
    assert context.headers["Content-Type"] == "application/ld+json"
    assert context.json()["@context"]["schema"] == "https://schema.org/"
    document["@context"] = context.json()["@context"]  # what a JSON-LD processor does with the URL
    got = {q.triple for q in ox.parse(json.dumps(document).encode(), format=ox.RdfFormat.JSON_LD)}
    assert got == set(linked_server.store.triples())
    assert any(key.startswith("schema:") for node in document["@graph"] for key in node)  # compacted


@pytest.mark.parametrize("ext", ["nq", "trig", "ttl", "jsonld"])
def test_dumps_are_sent_chunked_with_validators(linked_server, ext):
    response = requests.get(f"{linked_server.url}dump.{ext}", timeout=10)
    assert response.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in response.headers
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"].endswith("GMT")


@pytest.mark.parametrize("header", ["If-None-Match", "If-Modified-Since"])
def test_unchanged_store_answers_304(linked_server, header):
    first = requests.get(f"{linked_server.url}dump.nq", timeout=10)
    value = first.headers["ETag" if header == "If-None-Match" else "Last-Modified"]
    again = requests.get(f"{linked_server.url}dump.nq", headers={header: value}, timeout=10)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_etags_differ_between_formats(linked_server):
    tags = {requests.head(f"{linked_server.url}dump.{ext}", timeout=10).headers["ETag"] for ext in DATASETS}
    assert len(tags) == 2


def test_a_change_to_the_store_changes_the_validators(fresh_linked_server):
    server = fresh_linked_server
    first = requests.get(f"{server.url}dump.nq", timeout=10)
    graph = f"{LD_BASE}graph/article/{3:016d}"
    turtle = ld_article_turtle(3, "A third article", "2024-04-01", "")
    server.store.replace_graph(
        ox.NamedNode(graph), [q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)]
    )
    conditional = {"If-None-Match": first.headers["ETag"], "If-Modified-Since": first.headers["Last-Modified"]}
    for name, value in conditional.items():
        after = requests.get(f"{server.url}dump.nq", headers={name: value}, timeout=10)
        assert after.status_code == 200, name
        assert after.headers["ETag"] != first.headers["ETag"]
        assert ox.NamedNode(graph) in {q.graph_name for q in ox.parse(after.content, format=ox.RdfFormat.N_QUADS)}


def test_marker_sees_a_restamped_graph_of_the_same_size_and_a_default_graph_write():
    store = ld_store()
    before = fingerprint(store)
    turtle = LD_ARTICLES[LD_GRAPH_2].replace("2024-03-05T12:00:00Z", "2024-03-06T12:00:00Z")  # re-ingest
    store.replace_graph(
        ox.NamedNode(LD_GRAPH_2), [q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)]
    )
    restamped = fingerprint(store)
    assert restamped != before
    store.update('INSERT DATA { <https://kg.example.org/id/x> <https://schema.org/name> "x" }')
    assert fingerprint(store) != restamped


def test_marker_dates_move_forward():
    store, tracker = ld_store(), ChangeTracker()
    first = tracker.marker(store)
    assert tracker.marker(store) is first
    store.update('INSERT DATA { <https://kg.example.org/id/x> <https://schema.org/name> "x" }')
    second = tracker.marker(store)
    assert second.token != first.token
    assert second.last_modified > first.last_modified


def test_unknown_dump_is_404(linked_server):
    assert requests.get(f"{linked_server.url}dump.xlsx", timeout=10).status_code == 404


def test_stream_yields_before_the_writer_finishes():
    first_seen = threading.Event()

    def write(out) -> None:
        out.write(b"x" * CHUNK)  # a full chunk goes out at once
        assert first_seen.wait(timeout=5), "the reader got nothing while the writer was still writing"
        out.write(b"tail")

    chunks = stream(write)
    assert next(chunks) == b"x" * CHUNK
    first_seen.set()
    assert list(chunks) == [b"tail"]


def test_stream_stops_the_writer_when_the_client_goes_away():
    stopped = threading.Event()

    def write(out) -> None:
        try:
            while True:
                out.write(b"y" * CHUNK)
        finally:
            stopped.set()

    chunks = stream(write)
    next(chunks)
    chunks.close()  # what the server does when the client disconnects
    assert stopped.wait(timeout=5)


def test_stream_turns_a_writer_failure_into_an_error(caplog):
    def write(out) -> None:
        out.write(b"z" * CHUNK)
        raise OSError("disk gone")

    chunks = stream(write)
    with pytest.raises(RuntimeError, match="dump writer failed"):
        list(chunks)
    assert "disk gone" in caplog.text
