"""The store keeps the default graph as the RDF merge of the named graphs, persists, and locks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import InputError, StoreClosedError
from kg.store import EmbeddedStore

EX = "http://example.org/"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PERSON = ox.NamedNode("https://schema.org/Person")
NAME = ox.NamedNode("https://schema.org/name")
ALICE = ox.NamedNode(f"{EX}alice")
G1, G2 = ox.NamedNode(f"{EX}g1"), ox.NamedNode(f"{EX}g2")
COUNT_PEOPLE = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://schema.org/Person> }"


def count(store, query=COUNT_PEOPLE) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def alice(name: str = "Alice") -> list[ox.Triple]:
    return [ox.Triple(ALICE, TYPE, PERSON), ox.Triple(ALICE, NAME, ox.Literal(name))]


@pytest.fixture(params=["embedded", "oxigraph-server"])
def store(request):
    """The same store tests over the embedded store and over a real `oxigraph serve` process."""
    if request.param == "oxigraph-server":
        return request.getfixturevalue("remote_store")
    return EmbeddedStore.open(":memory:")


def test_person_in_two_graphs_is_counted_once(store):
    store.replace_graph(G1, alice())
    store.replace_graph(G2, alice())
    assert count(store) == 1
    assert len(list(store.named_graphs())) == 2


def test_replacing_a_graph_keeps_triples_other_graphs_hold(store):
    store.replace_graph(G1, alice("Alice"))
    store.replace_graph(G2, alice("Alice"))
    store.replace_graph(G1, [ox.Triple(ALICE, NAME, ox.Literal("A. Martin"))])
    assert count(store) == 1  # still held by G2
    names = {r["n"].value for r in store.query("SELECT ?n WHERE { ?s <https://schema.org/name> ?n }")}
    assert names == {"Alice", "A. Martin"}


def test_replacing_removes_what_no_graph_holds_any_more(store):
    store.replace_graph(G1, alice("Alice"))
    store.replace_graph(G1, alice("Alicia"))
    names = {r["n"].value for r in store.query("SELECT ?n WHERE { ?s <https://schema.org/name> ?n }")}
    assert names == {"Alicia"}


def test_dropping_graphs_removes_their_default_triples_last_one_out(store):
    store.replace_graph(G1, alice())
    store.replace_graph(G2, alice())
    store.drop_graph(G1)
    assert count(store) == 1
    store.drop_graph(G2)
    assert count(store) == 0
    assert store.quad_count() == 0


def test_on_disk_store_persists_across_opens(tmp_path):
    path = tmp_path / "store"
    first = EmbeddedStore.open(path)
    first.replace_graph(G1, alice())
    first.close()
    again = EmbeddedStore.open(path, read_only=True)
    assert count(again) == 1
    again.close()


def test_second_writer_gets_a_clear_message(tmp_path):
    path = tmp_path / "store"
    holder = EmbeddedStore.open(path)
    code = (
        "import sys\n"
        "from kg.store import EmbeddedStore\n"
        "from kg.errors import StoreLocked\n"
        f"try:\n    EmbeddedStore.open({str(path)!r})\n"
        "except StoreLocked as exc:\n    print(exc.message); sys.exit(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    holder.close()
    assert done.returncode == 3, done.stderr
    assert "held for writing by another process" in done.stdout
    assert str(path) in done.stdout



def test_blank_nodes_are_skolemized_so_graphs_merge(store):
    blank = ox.BlankNode()
    store.replace_graph(G1, [ox.Triple(ALICE, NAME, ox.Literal("Alice")), ox.Triple(blank, TYPE, PERSON),
                             ox.Triple(blank, NAME, ox.Literal("Someone"))])
    assert count(store) == 1
    rows = list(store.query("SELECT ?p WHERE { ?p a <https://schema.org/Person> }"))
    assert rows[0]["p"].value.startswith(store.skolem_prefix)
    store.drop_graph(G1)
    assert store.quad_count() == 0


def test_a_write_that_keeps_the_quad_count_still_changes_the_marker(store):
    from kg.change_marker import fingerprint

    store.replace_graph(G1, alice("Alice"))
    before = fingerprint(store)
    store.replace_graph(G1, alice("Alicia"))  # same number of quads
    assert fingerprint(store) != before
    assert fingerprint(store) == fingerprint(store)


@pytest.mark.parametrize("where", ["missing", "missing/deeper", "empty"])
def test_a_read_only_open_never_creates_a_folder(tmp_path, where):
    path = tmp_path / where
    if where == "empty":
        path.mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(InputError, match="no store at"):
        EmbeddedStore.open(path, read_only=True)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize(
    "use",
    [lambda s: s.query("ASK { ?s ?p ?o }"), lambda s: s.replace_graph(G1, alice()), lambda s: list(s.triples()),
     lambda s: s.quad_count(), lambda s: s.has_graph(G1), lambda s: s.dump(ox.RdfFormat.N_QUADS)],
    ids=["query", "replace_graph", "triples", "quad_count", "has_graph", "dump"],
)
def test_a_closed_store_says_so(tmp_path, use):
    store = EmbeddedStore.open(tmp_path / "store")
    store.replace_graph(G1, alice())
    held = store.quad_count()
    store.close()
    store.close()  # a second close is harmless
    with pytest.raises(StoreClosedError, match="used after it was closed"):
        use(store)
    again = EmbeddedStore.open(tmp_path / "store", read_only=True)  # the lock went with the close
    assert again.quad_count() == held > 0
    again.close()


def test_a_closed_store_can_be_opened_again_at_once_even_held_in_a_cycle(tmp_path: Path) -> None:
    """close() releases RocksDB's lock when it returns, even when a reference cycle still reaches
    the store (a traceback kept with its frames), so one process can validate a store twice."""
    path = tmp_path / "s"
    EmbeddedStore.open(path).close()
    store = EmbeddedStore.open(path, read_only=True)
    cycle: list = [store._open]
    cycle.append(cycle)
    del cycle
    store.close()
    EmbeddedStore.open(path, read_only=True).close()
