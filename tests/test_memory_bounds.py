"""Memory under sustained ingest: what used to grow stays under its bound (README, "Memory under sustained ingest").

Counts and open files, not resident memory: those are exact, where RSS is noise.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import requests
from conftest import WRITE_TOKEN, serving
from rdflib import Literal, URIRef

from kg import rdfterms
from kg.store import EmbeddedStore
from kg.store.checkpoints import Checkpoints
from kg.web import heap
from kg.web.services import services_of

TERM_BUDGET = 20_000  # about 9 MB at 440 bytes an entry (kg.rdfterms)


def test_the_term_cache_stays_within_its_budget_whatever_the_number_of_terms() -> None:
    for i in range(TERM_BUDGET + 5_000):  # each article brings its own IRIs and literals
        term = URIRef(f"https://kg.example.org/id/article/{i}") if i % 2 else Literal(f"reference {i}")
        assert rdfterms.to_ox_cached(term) == rdfterms.to_ox(term)
        assert len(rdfterms._CACHE) <= TERM_BUDGET


def open_under(folder: str) -> list[str]:
    """The files this process has open under `folder` (a read-only store holds its table files open)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except FileNotFoundError:
            continue  # closed meanwhile
        if target.startswith(folder + "/"):
            found.append(target)
    return found


def write(store: EmbeddedStore, i: int) -> None:
    subject = ox.NamedNode(f"http://example.org/s/{i}")
    store.replace_graph(ox.NamedNode(f"http://example.org/g/{i}"),
                        [ox.Triple(subject, ox.NamedNode("http://example.org/p"), ox.Literal(i))])


def test_the_front_closes_its_open_of_a_checkpoint_once_a_newer_one_replaces_it(tmp_path) -> None:
    store = EmbeddedStore.open(tmp_path / "store")
    checkpoints = Checkpoints(store, read_here=True)
    try:
        first = checkpoints.publish()
        assert len(checkpoints.reader(first)) == 0 and open_under(first.path)  # opened here, files held
        for i in range(5):  # every write replaces the newest checkpoint
            write(store, i)
            newest = checkpoints.publish()
        assert open_under(str(checkpoints.root)) == open_under(newest.path)  # only the newest is open
        assert not open_under(first.path)
        assert checkpoints.on_disk() == [Path(newest.path).name]
        assert len(checkpoints.reader(newest)) == 10
    finally:
        checkpoints.close()
        store.close()


def test_a_pinned_checkpoint_is_closed_when_its_last_query_lets_go(tmp_path) -> None:
    store = EmbeddedStore.open(tmp_path / "store")
    checkpoints = Checkpoints(store, read_here=True)
    try:
        pinned = checkpoints.acquire()
        reader = checkpoints.reader(pinned)
        assert len(reader) == 0
        del reader
        write(store, 1)
        checkpoints.publish()
        assert open_under(pinned.path)  # a query still reads it
        checkpoints.release(pinned)
        assert not open_under(pinned.path) and not Path(pinned.path).exists()
    finally:
        checkpoints.close()
        store.close()


def test_the_trimmer_trims_after_a_write_at_most_once_in_its_period() -> None:
    trimmer = heap.Trimmer(seconds=3600)
    for _ in range(3):
        trimmer.after_write()
    assert trimmer.trims == (1 if heap._LIBC is not None else 0)
    every_time = heap.Trimmer(seconds=0)
    for _ in range(3):
        every_time.after_write()
    assert every_time.trims == (3 if heap._LIBC is not None else 0)


def test_a_write_through_the_service_trims_malloc(tmp_path) -> None:
    store = EmbeddedStore.open(tmp_path / "store")
    server = serving(store, write_token=WRITE_TOKEN, threads=2)
    try:
        with server as live:
            trimmer = services_of(server.app).trimmer
            before = trimmer.trims
            update = 'INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }'
            answer = requests.post(f"{live.url}update", data=update.encode(), timeout=30,
                                   headers={"Authorization": f"Bearer {WRITE_TOKEN}",
                                            "Content-Type": "application/sparql-update"})
            assert answer.status_code == 204, answer.text
            assert trimmer.trims == before + (1 if heap._LIBC is not None else 0)
    finally:
        store.close()
