"""The embedded back end: pyoxigraph on disk (or in memory for tests and throwaway runs).

Only one process opens an on-disk store, for reading too: pyoxigraph documents a read-only open
beside a writing process as undefined behaviour, so `open(read_only=True)` takes the same lock as
a writer and only refuses writes itself; a store another process holds is refused with
`StoreLocked` (exit 3), naming what to do instead. Readers in other processes of the server read
checkpoints (`kg.store.checkpoints`), never the live directory.

Upkeep: the store is flushed (memtables written to table files, so the write-ahead log can be
dropped) every `FLUSH_EVERY` writes and when closed, so that neither the log nor the time to open
the store after heavy ingest grows without bound. RocksDB compacts the table files in the
background.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import InputError, StoreClosedError, StoreLocked, UsageError
from kg.store.base import QueryResult, Store, replace_graph_update, skolemize

MEMORY = ":memory:"
FLUSH_EVERY = 1000  # writes between flushes of an on-disk store


class EmbeddedStore(Store):
    """A pyoxigraph `Store`; one process may hold an on-disk one for writing."""

    def __init__(self, inner: ox.Store, *, path: str, read_only: bool = False) -> None:
        self._open: ox.Store | None = inner  # None once closed
        self.path = path
        self.read_only = read_only
        self._write_lock = threading.Lock()  # a graph's existence check and its write happen together
        self._unflushed = 0  # writes since the last flush

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> EmbeddedStore:
        """Open (creating if needed) the store at `path`; ':memory:' gives an in-memory one.

        A read-only open never creates anything: a path that holds no store is an InputError.
        """
        path = str(path)
        if path == MEMORY:
            return cls(ox.Store(), path=path)
        if read_only and not (Path(path) / "CURRENT").is_file():  # every RocksDB database has one
            raise InputError(f"no store at {path} to open for reading (kg ingest creates one)")
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            inner = ox.Store(path)  # for reading too: the lock keeps every other process out
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(_held_message(path, read_only)) from exc
            raise
        return cls(inner, path=path, read_only=read_only)

    def query(
        self,
        query: str,
        *,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> QueryResult:
        kwargs: dict = {}
        if default_graph is not None:
            kwargs["default_graph"] = default_graph
        if named_graphs is not None:
            kwargs["named_graphs"] = named_graphs
        return self._inner.query(query, **kwargs)

    def update(self, update: str) -> None:
        self._refuse_if_read_only()
        with self._write_lock:
            self._inner.update(update)
            self._wrote()

    def _wrote(self) -> None:
        """Count a write (under the write lock) and flush every `FLUSH_EVERY` writes."""
        self.generation += 1
        self._unflushed += 1
        if self._unflushed >= FLUSH_EVERY and self.path != MEMORY:
            self._inner.flush()
            self._unflushed = 0

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise UsageError(f"the store at {self.path} was opened for reading only")

    def replace_graph(self, graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> None:
        """Write a graph the store does not hold yet with one atomic `extend`; replace others by SPARQL.

        A new article's graph is the common case on ingest, and adding its quads (to the graph and
        to the default graph) natively takes a fraction of the time of parsing an update request.
        """
        self._refuse_if_read_only()
        fixed = skolemize(triples, self.skolem_prefix)
        with self._write_lock:
            if not self._inner.contains_named_graph(graph):
                both = (graph, ox.DefaultGraph())
                self._inner.extend([ox.Quad(t.subject, t.predicate, t.object, g) for t in fixed for g in both])
                self._wrote()
                return
        self.update(replace_graph_update(graph, fixed))

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        yield from self._inner.named_graphs()

    def triples(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Triple]:
        g = graph if graph is not None else ox.DefaultGraph()
        for q in self._inner.quads_for_pattern(None, None, None, g):
            yield q.triple

    def dump(self, fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None) -> bytes:
        if fmt.supports_datasets:
            if graph is not None:
                return self._inner.dump(format=fmt, from_graph=graph)
            return self._inner.dump(format=fmt)
        return self._inner.dump(format=fmt, from_graph=graph if graph is not None else ox.DefaultGraph())

    def dump_to(self, out: BinaryIO, fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None) -> None:
        """Serialize straight into `out`: memory stays flat however large the store."""
        if fmt.supports_datasets and graph is None:
            self._inner.dump(out, format=fmt)
        else:
            self._inner.dump(out, format=fmt, from_graph=graph if graph is not None else ox.DefaultGraph())

    def quad_count(self) -> int:
        return len(self._inner)

    def close(self) -> None:
        """Flush and release the store; closing twice is harmless, using it afterwards is a StoreClosedError."""
        if self._open is None:
            return
        if not self.read_only and self.path != MEMORY:
            self._open.flush()
        self._open = None  # dropping the last reference releases RocksDB's lock
        if self.path != MEMORY:
            # A reference cycle anywhere in the caller (an exception kept with its traceback holds
            # the frames that hold this store) would keep the lock until the collector runs, so the
            # same process could not open the store again: collect now, closing is rare.
            gc.collect()

    @property
    def _inner(self) -> ox.Store:
        """The open pyoxigraph store; a clear error instead of a RocksDB one after `close()`."""
        if self._open is None:
            raise StoreClosedError(f"the store at {self.path} was used after it was closed")
        return self._open

    @property
    def inner(self) -> ox.Store:
        """The pyoxigraph store itself, for pySHACL and bulk work that need it."""
        return self._inner


def _held_message(path: str, reading: bool) -> str:
    """Why the store cannot be opened, and what to do instead."""
    if reading:
        return (f"the store at {path} is held by another process (a running 'kg serve'?). Reading a "
                "store another process writes is undefined in pyoxigraph, so kg does not: ask that "
                "server (its /sparql endpoint, /queries/NAME, /dump.nq), or stop it first.")
    return (f"the store at {path} is held for writing by another process (a running 'kg serve'?). "
            "Stop that process, or send the work to the server (its /ingest, /update, /data).")
