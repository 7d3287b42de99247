"""The query worker pool beside the front's own answers: memory bounds, and one state seen by both paths.

Small bounded queries are answered by the front process from its read-only open of the newest
checkpoint; the rest by workers over the same checkpoints. These tests hold the promises across
both paths (every answer a 200, counts never go down, a write visible to the next query), and
the pool's bounds: a worker is replaced after its quota of queries, and extra workers started
for a burst are stopped once idle, with nothing left behind.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import requests
from conftest import UPDATE_HEADERS, VALUE, WRITE_TOKEN, filled_store, process_runner_of, served_on_disk, serving

from kg.sparql import worker
from kg.sparql.protocol import QueryRequest
from kg.sparql.runners import KEEP_IDLE, ProcessRunner
from kg.store import EmbeddedStore
from kg.store.checkpoints import Checkpoints
from kg.web.services import services_of

P = VALUE
PERSON = "https://schema.org/Person"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{PERSON}> }}"  # an aggregate: a worker's
ROWS = f"SELECT ?s WHERE {{ ?s a <{PERSON}> }}"  # bounded, short: the front's
JSON = ox.QueryResultsFormat.JSON
HEADERS = UPDATE_HEADERS


@pytest.fixture
def disk(tmp_path) -> Iterator[tuple[serving, object]]:
    with served_on_disk(tmp_path / "store", 50, query_timeout=5.0) as served:
        yield served


def runner_of(server: serving) -> ProcessRunner:
    """The served runner, which answers bounded queries in the front process too."""
    runner = process_runner_of(server)
    assert runner.front is not None
    return runner


def people(live, query: str) -> int:
    response = requests.get(live.sparql, params={"query": query}, timeout=30,
                            headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    return int(bindings[0]["n"]["value"]) if query == COUNT else len(bindings)


NAMES = ["Ada", "Bela", "Cora", "Dana", "Edda", "Fern"]


def add_person(live, i: int) -> None:
    """One more person, in a graph of its own, as the shapes want one (a minted IRI, a name)."""
    update = (f"INSERT DATA {{ GRAPH <http://example.org/people/{i}> {{ <https://kg.example.org/id/person/p{i}> "
              f'a <{PERSON}> ; <https://schema.org/name> "{NAMES[i % len(NAMES)]} Pool" }} }}')
    response = requests.post(f"{live.url}update", data=update, headers=HEADERS, timeout=30)
    assert response.status_code == 204, response.text


def test_front_and_workers_agree_while_writes_arrive(disk) -> None:
    """A client alternating between the front's path and a worker's never sees an older state."""
    server, live = disk
    runner = runner_of(server)
    answered_before = runner.front.answered
    failures: list[str] = []
    done = threading.Event()

    def read() -> None:
        seen = 0
        while not done.is_set():
            for query in (ROWS, COUNT):
                try:
                    now = people(live, query)
                except AssertionError as exc:
                    failures.append(str(exc))
                    return
                if now < seen:
                    failures.append(f"{'front' if query is ROWS else 'worker'} saw {now} after {seen}")
                seen = max(seen, now)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for i in range(6):
            add_person(live, i)
            for query in (ROWS, COUNT):  # read-your-writes on both paths
                if people(live, query) < i + 1:
                    failures.append(f"write {i} not visible to the next query ({query[:20]})")
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert failures == []
    assert runner.front.answered > answered_before  # the bounded query really was answered in front
    assert len(runner.checkpoints.on_disk()) <= 3


def test_a_small_lookup_never_reaches_a_worker(disk) -> None:
    server, live = disk
    runner = runner_of(server)
    jobs_before = sum(p.jobs for p in runner._idle)
    for _ in range(5):
        response = requests.get(live.sparql, params={"query": "SELECT ?p ?o { <http://example.org/s/3> ?p ?o }"},
                                timeout=30, headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200
        assert response.json()["results"]["bindings"] == [{"p": {"type": "uri", "value": P},
                                                           "o": {"type": "literal", "value": "3"}}]
        assert "Content-Length" in response.headers  # held whole, sent with its length
    assert sum(p.jobs for p in runner._idle) == jobs_before


@pytest.fixture
def pool(tmp_path, monkeypatch) -> Iterator[tuple[ProcessRunner, list[worker.Worker]]]:
    """A runner whose workers answer three queries each and are stopped after 2 s idle; every worker it starts."""
    started: list[worker.Worker] = []
    start = worker.Worker.start

    def start_and_record(**options: int) -> worker.Worker:
        started.append(start(**options))
        return started[-1]

    monkeypatch.setattr(worker.Worker, "start", start_and_record)
    store = filled_store(tmp_path / "store", 1000)
    runner = ProcessRunner(Checkpoints(store), timeout=20.0, max_bytes=10**9, workers=4, max_jobs=3,
                           idle_seconds=2.0)
    yield runner, started
    runner.close()
    store.close()
    assert not runner.checkpoints.root.exists()
    assert not any(proc.process.is_alive() for proc in started)


def pids(runner: ProcessRunner) -> list[int]:
    with runner._lock:
        return [proc.process.pid for proc in runner._idle]


def ask_worker(runner: ProcessRunner, query: str = COUNT) -> dict:
    return json.loads(b"".join(runner.run(QueryRequest(query=query), JSON)))


def test_a_worker_is_replaced_after_its_quota(pool) -> None:
    runner, started = pool
    for _ in range(7):
        assert ask_worker(runner)["results"]["bindings"][0]["n"]["value"] == "0"
    assert sum(proc.jobs for proc in started) == 7
    assert all(proc.jobs <= 3 for proc in started)
    spent = [proc for proc in started if proc.jobs == 3]
    assert spent and not any(proc.process.is_alive() for proc in spent)  # answered its quota, then stopped
    assert all(proc.process.is_alive() for proc in started if proc.jobs < 3)
    assert len(runner.checkpoints.on_disk()) == 1


def test_workers_started_for_a_burst_are_stopped_once_idle(pool) -> None:
    runner, _started = pool
    slow = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{P}> ?x . ?b <{P}> ?y FILTER(?x < ?y) }}"
    threads = [threading.Thread(target=ask_worker, args=(runner, slow)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    burst = [p for p in runner._idle]
    assert len(burst) == 4  # four at once needed four workers
    time.sleep(2.5)  # longer than idle_seconds
    ask_worker(runner)
    assert len(pids(runner)) == KEEP_IDLE
    stopped = [p for p in burst if p.process.pid not in pids(runner)]
    assert len(stopped) == 4 - KEEP_IDLE and not any(p.process.is_alive() for p in stopped)
    assert len(runner.checkpoints.on_disk()) == 1  # the stopped workers' pins went with them


@pytest.mark.parametrize("nice", [0, 3])
def test_workers_run_at_the_niceness_they_are_given_above_the_server(tmp_path, nice) -> None:
    store = filled_store(tmp_path / "store", 10)
    runner = ProcessRunner(Checkpoints(store), timeout=20.0, max_bytes=10**9, workers=2, nice=nice)
    try:
        counted = ask_worker(runner, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{P}> ?v }} }}")
        assert counted["results"]["bindings"][0]["n"]["value"] == "10"
        workers = pids(runner)
        assert workers
        own = os.getpriority(os.PRIO_PROCESS, 0)
        assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in workers} == {min(own + nice, 19)}
    finally:
        runner.close()
        store.close()


@pytest.mark.parametrize("token", [None, WRITE_TOKEN])
def test_serve_loads_the_ingest_pipeline_before_the_first_write(token) -> None:
    """With writes enabled the pipeline is built in the background at start, not by the first /ingest."""
    from kg.config import load_settings
    from kg.web import create_app
    from kg.web.serve import warm_up

    app = create_app(load_settings(store=":memory:", write_token=token), store=EmbeddedStore.open(":memory:"))
    loading = warm_up(app)
    if token is None:
        assert loading is None and services_of(app)._ingestor is None  # a read-only server never loads it
        return
    loading.join(timeout=120)
    assert not loading.is_alive() and services_of(app)._ingestor is not None
