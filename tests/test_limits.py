"""Query limits over real HTTP: streaming, max_result_bytes, and the time limit in both runners.

The slow query is a three-way cross join counted by an aggregate: pyoxigraph computes all of it
(27 million combinations, several seconds) before its first row, so only a hard stop ends it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import requests
from conftest import WRITE_TOKEN, serving

from kg.store import EmbeddedStore, Store

P = "http://example.org/p"
SLOW = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{P}> ?x . ?b <{P}> ?y . ?c <{P}> ?z }}"
ROWS = f"SELECT ?s ?o WHERE {{ ?s <{P}> ?o }}"
FAST = "ASK { ?s ?p ?o }"


def fill(store: Store, n: int) -> Store:
    """`n` subjects with one value each, stored in one named graph (and so in the default graph)."""
    triples = [ox.Triple(ox.NamedNode(f"http://example.org/s/{i}"), ox.NamedNode(P), ox.Literal(str(i)))
               for i in range(n)]
    store.replace_graph(ox.NamedNode("http://example.org/g"), triples)
    return store


def get(server, query: str, **kwargs) -> requests.Response:
    return requests.get(server.sparql, params={"query": query}, timeout=60, **kwargs)


@pytest.fixture(scope="module")
def big_server() -> Iterator:
    with serving(fill(EmbeddedStore.open(":memory:"), 300), max_result_bytes=10_000, query_timeout=1.0) as server:
        yield server


@pytest.fixture
def disk_server(tmp_path) -> Iterator:
    store = fill(EmbeddedStore.open(tmp_path / "store"), 300)
    with serving(store, query_timeout=1.0, write_token=WRITE_TOKEN) as server:
        yield server
    store.close()


def test_answers_stream_in_chunks(tmp_path) -> None:
    with serving(fill(EmbeddedStore.open(":memory:"), 20_000)) as server:
        response = get(server, ROWS, stream=True)
        assert response.status_code == 200
        assert response.headers.get("Transfer-Encoding") == "chunked"
        assert "Content-Length" not in response.headers
        chunks = list(response.iter_content(chunk_size=None))
        assert len(chunks) > 1
        rows = b"".join(chunks).decode()
        assert len(json.loads(rows)["results"]["bindings"]) == 20_000


def test_a_result_too_large_before_the_answer_starts_is_a_json_error(big_server) -> None:
    response = get(big_server, ROWS)
    assert response.status_code == 403
    assert response.json()["error"] == "result-too-large"
    assert "max_result_bytes" in response.json()["message"]
    assert get(big_server, ROWS + " LIMIT 10").status_code == 200


def test_a_result_too_large_after_the_answer_started_aborts_it() -> None:
    with serving(fill(EmbeddedStore.open(":memory:"), 20_000), max_result_bytes=500_000) as server:
        response = get(server, ROWS, stream=True)
        assert response.status_code == 200
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            b"".join(response.iter_content(chunk_size=None))


def run_slow_while_serving(server) -> tuple[requests.Response, float, list[float]]:
    """Send the slow query and, meanwhile, fast ones; the slow answer, its time, the fast ones' times."""
    fast_times: list[float] = []
    done = threading.Event()

    def fast() -> None:
        while not done.is_set():
            start = time.monotonic()
            assert get(server, FAST).json()["boolean"] is True
            fast_times.append(time.monotonic() - start)

    thread = threading.Thread(target=fast)
    start = time.monotonic()
    thread.start()
    try:
        response = get(server, SLOW)
    finally:
        done.set()
        thread.join()
    return response, time.monotonic() - start, fast_times


def test_the_thread_runner_answers_at_the_deadline(big_server) -> None:
    """In memory, the query cannot be killed, but the request ends at the limit and others are served."""
    response, elapsed, fast = run_slow_while_serving(big_server)
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "query-timeout"
    assert "1 s limit" in response.json()["message"]
    assert elapsed < 5.0  # the limit is 1 s; the query alone would run for minutes
    assert fast and max(fast) < 2.5  # others are answered meanwhile (generous for a loaded CI machine)
    assert get(big_server, FAST).status_code == 200


def warm_up(server, workers: int) -> None:
    """Have `workers` worker processes started (and idle) before a timed test."""
    queries = [f"SELECT * {{ ?s ?p ?o }} LIMIT {i}" for i in range(workers)]
    threads = [threading.Thread(target=get, args=(server, q)) for q in queries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_the_process_runner_kills_the_query_at_the_deadline(disk_server) -> None:
    warm_up(disk_server, 2)
    response, elapsed, fast = run_slow_while_serving(disk_server)
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "query-timeout"
    assert elapsed < 5.0  # the limit is 1 s; the query alone would run for minutes
    assert fast and max(fast) < 2.5  # others are answered meanwhile (generous for a loaded CI machine)
    count = get(disk_server, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{P}> ?x }}").json()
    assert count["results"]["bindings"][0]["n"]["value"] == "300"


def test_the_process_runner_sees_writes(disk_server) -> None:
    ask = "ASK { <https://kg.example.org/id/person/zoe> ?p ?o }"
    assert get(disk_server, ask).json()["boolean"] is False
    update = ('INSERT DATA { GRAPH <http://example.org/g2> { <https://kg.example.org/id/person/zoe> '
              'a <https://schema.org/Person> ; <https://schema.org/name> "Zoe" } }')
    headers = {"Authorization": f"Bearer {WRITE_TOKEN}", "Content-Type": "application/sparql-update"}
    assert requests.post(f"{disk_server.url}update", data=update, headers=headers, timeout=30).status_code == 204
    assert get(disk_server, ask).json()["boolean"] is True


def test_a_syntax_error_in_a_worker_is_400(disk_server) -> None:
    response = get(disk_server, "SELECT * WHERE { ?s ?p }")
    assert response.status_code == 400
    assert response.json()["error"] == "query-syntax"


# --- CORS on the query endpoint only --------------------------------------------------------------


def test_cors_on_queries_and_preflight(live_server) -> None:
    assert get(live_server, FAST).headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(live_server.sparql, headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=10)
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    error = get(live_server, "SELECT * WHERE {")
    assert error.status_code == 400 and error.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in requests.get(f"{live_server.url}data?default", timeout=10).headers


@pytest.mark.parametrize("runner_kind", ["thread", "process"])
def test_time_spent_before_the_query_counts_against_its_limit(tmp_path, runner_kind) -> None:
    """Reading, decoding and guarding use the same budget: the runner gets only what is left."""
    from kg.errors import QueryTimeout
    from kg.sparql.protocol import QueryRequest
    from kg.sparql.runners import runner_for

    path = ":memory:" if runner_kind == "thread" else tmp_path / "store"
    store = fill(EmbeddedStore.open(path), 300)
    runner = runner_for(store, timeout=4.0, max_bytes=10_000_000, workers=1)
    try:
        with pytest.raises(QueryTimeout):
            b"".join(runner.run(QueryRequest(query=FAST), ox.QueryResultsFormat.JSON, spent=4.5))
        started = time.monotonic()
        with pytest.raises(QueryTimeout):  # SLOW runs for many seconds: stopped at what was left (0.3 s)
            b"".join(runner.run(QueryRequest(query=SLOW), ox.QueryResultsFormat.JSON, spent=3.7))
        assert time.monotonic() - started < 3.5  # well before the full 4 s limit would have ended it
        answer = b"".join(runner.run(QueryRequest(query=FAST), ox.QueryResultsFormat.JSON, spent=0.5))
        assert json.loads(answer)["boolean"] is True
    finally:
        getattr(runner, "close", lambda: None)()
        store.close()
