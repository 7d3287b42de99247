"""Store checkpoints: made only when the store changed, read-only opens see them, removed when unused."""

from __future__ import annotations

import threading

import pyoxigraph as ox

from kg.store import EmbeddedStore
from kg.store.checkpoints import Checkpoints

G = ox.NamedNode("http://example.org/g")


def triple(i: int) -> ox.Triple:
    return ox.Triple(ox.NamedNode(f"http://example.org/s/{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(i))


def test_a_checkpoint_is_made_only_after_a_write_and_holds_it(tmp_path) -> None:
    store = EmbeddedStore.open(tmp_path / "store")
    checkpoints = Checkpoints(store)
    first = checkpoints.publish()
    assert checkpoints.publish() == first and checkpoints.made == 1  # nothing changed: no new copy
    store.replace_graph(G, [triple(1)])
    second = checkpoints.publish()
    assert second.number > first.number and checkpoints.made == 2
    reader = ox.Store.read_only(second.path)
    assert len(reader) == 2  # the triple in its graph and in the default graph
    del reader
    checkpoints.close()
    store.close()


def test_an_old_checkpoint_stays_while_pinned_and_goes_after(tmp_path) -> None:
    store = EmbeddedStore.open(tmp_path / "store")
    checkpoints = Checkpoints(store)
    old = checkpoints.acquire()
    store.replace_graph(G, [triple(1)])
    new = checkpoints.publish()
    assert checkpoints.on_disk() == sorted([old.path[-10:], new.path[-10:]])
    checkpoints.release(old)
    assert checkpoints.on_disk() == [new.path[-10:]]
    checkpoints.close()
    assert not checkpoints.root.exists()
    store.close()


def test_concurrent_writers_share_checkpoints(tmp_path) -> None:
    store = EmbeddedStore.open(tmp_path / "store")
    checkpoints = Checkpoints(store)
    checkpoints.publish()

    def write(i: int) -> None:
        store.replace_graph(ox.NamedNode(f"http://example.org/g/{i}"), [triple(i)])
        made = checkpoints.publish()
        assert made.generation >= 1

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert checkpoints.publish().generation == store.generation == 8
    assert 2 <= checkpoints.made <= 9
    assert len(ox.Store.read_only(checkpoints.publish().path)) == 16
    checkpoints.close()
    store.close()
