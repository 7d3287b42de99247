"""Reads while writes arrive, on an on-disk store served by worker processes over checkpoints.

Asserts what the read path promises: every answer is a 200, no reader sees a count go down
(monotonic reads), a write is visible to the query sent right after its response
(read-your-writes), and every worker, slot and checkpoint is given back however a query ends:
killed at the deadline, its worker killed from outside, or its client gone mid-answer.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import requests
from conftest import UPDATE_HEADERS, VALUE, filled_store, process_runner_of, served_on_disk, serving

from kg.sparql.protocol import QueryRequest
from kg.sparql.runners import ProcessRunner
from kg.store.checkpoints import Checkpoints

P = VALUE
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
SLOW = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{P}> ?x . ?b <{P}> ?y . ?c <{P}> ?z }}"
ROWS = f"SELECT ?s ?o WHERE {{ ?s <{P}> ?o }}"
HEADERS = UPDATE_HEADERS


@pytest.fixture
def disk(tmp_path) -> Iterator[tuple[serving, object]]:
    """A served on-disk store (300 values) with writes enabled, a 1.5 s limit and two query workers."""
    with served_on_disk(tmp_path / "store", 300, query_timeout=1.5) as served:
        yield served


def count(live, query: str = GRAPHS) -> int:
    response = requests.get(live.sparql, params={"query": query}, timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


NAMES = ["Ada", "Bela", "Cora", "Dana", "Edda", "Fern", "Gala", "Hana", "Iris", "Juno", "Kira", "Lena"]


def insert(live, i: int) -> None:
    update = (f"INSERT DATA {{ GRAPH <http://example.org/new/{i}> {{ <https://kg.example.org/id/person/p{i}> "
              f'a <https://schema.org/Person> ; <https://schema.org/name> "{NAMES[i % len(NAMES)]} Test" }} }}')
    response = requests.post(f"{live.url}update", data=update, headers=HEADERS, timeout=30)
    assert response.status_code == 204, response.text


@pytest.mark.parametrize("run", range(2))
def test_readers_see_every_write_in_order_while_writes_arrive(disk, run) -> None:
    server, live = disk
    writes, failures = 8, []
    done = threading.Event()

    def read() -> None:
        seen = 0
        while not done.is_set():
            try:
                now = count(live)
            except AssertionError as exc:
                failures.append(f"reader: {exc}")
                return
            if now < seen:
                failures.append(f"reader: count went down from {seen} to {now}")
            seen = now

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for i in range(writes):
            insert(live, i)
            seen = count(live)  # the next query after the write's response
            if seen < i + 2:  # the first graph plus i + 1 new ones
                failures.append(f"write {i} not visible to the next query: {seen} graphs")
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert failures == []
    assert count(live) == writes + 1
    checkpoints = process_runner_of(server).checkpoints
    assert checkpoints.made >= 2  # writes were published as new checkpoints
    assert len(checkpoints.on_disk()) <= 3  # the newest, plus at most one open in each of two workers


def test_no_worker_reads_the_live_store(disk) -> None:
    server, live = disk
    count(live)
    runner = process_runner_of(server)
    root, store = os.path.realpath(runner.checkpoints.root), os.path.realpath(live.store.path)
    assert root != store
    with runner._lock:
        readers = [proc.process.pid for proc in runner._idle if proc.checkpoint is not None]
    assert readers
    for pid in readers:
        opened = {os.path.realpath(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        assert not any(path.startswith(store + "/") for path in opened)
        assert any(path.startswith(root + "/") for path in opened)


def worker_pids(server: serving) -> list[int]:
    return idle_pids(process_runner_of(server))


def test_more_timeouts_than_workers_leak_nothing(disk) -> None:
    server, live = disk
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(
        requests.get(live.sparql, params={"query": SLOW}, timeout=60).status_code)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [503] * 3
    for _ in range(4):  # more queries than workers: each slot came back
        assert count(live, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{P}> ?o }}") == 300


def test_a_worker_killed_mid_query_is_replaced(disk) -> None:
    server, live = disk
    count(live)
    pids = worker_pids(server)  # the query below runs in one of these

    def kill_all() -> None:
        for pid in pids:
            os.kill(pid, signal.SIGKILL)

    killer = threading.Timer(0.5, kill_all)
    killer.start()
    response = requests.get(live.sparql, params={"query": SLOW}, timeout=60)
    killer.join()
    assert response.status_code == 500, response.text
    assert "stopped unexpectedly" in response.json()["message"]
    for _ in range(3):
        assert count(live, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{P}> ?o }}") == 300
    assert not set(pids) & set(worker_pids(server))


def test_a_client_leaving_mid_answer_keeps_the_worker(tmp_path) -> None:
    """Closing the answer early, as waitress does when its client disconnects, stops the worker's
    answer and keeps the worker, instead of killing it and starting another interpreter."""
    store = filled_store(tmp_path / "store", 30_000)
    runner = ProcessRunner(Checkpoints(store), timeout=20.0, max_bytes=10**9, workers=1)
    try:
        json_results = ox.QueryResultsFormat.JSON
        b"".join(runner.run(QueryRequest(query="ASK {}"), json_results))
        [first] = idle_pids(runner)  # one worker (warmed up, or started by this query)
        chunks = runner.run(QueryRequest(query=ROWS), json_results)
        next(chunks)
        chunks.close()  # the client left with most of the answer unread
        assert idle_pids(runner) == [first]  # stopped and reused, not killed
        assert runner.cancelled == 1
        again = json.loads(b"".join(runner.run(QueryRequest(query=ROWS + " LIMIT 2"), json_results)))
        assert len(again["results"]["bindings"]) == 2  # the kept worker answers the next query
        assert idle_pids(runner) == [first]
    finally:
        runner.close()
        store.close()
    assert not runner.checkpoints.root.exists()


def idle_pids(runner: ProcessRunner) -> list[int]:
    with runner._lock:
        return [proc.process.pid for proc in runner._idle]
