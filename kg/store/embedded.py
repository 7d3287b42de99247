"""The embedded back end: pyoxigraph on disk (or in memory for tests and throwaway runs)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreLocked
from kg.store.base import QueryResult, Store, replace_graph_update, skolemize

MEMORY = ":memory:"


class EmbeddedStore(Store):
    """A pyoxigraph `Store`; one process may hold an on-disk one for writing."""

    def __init__(self, inner: ox.Store, *, path: str, read_only: bool = False) -> None:
        self._inner = inner
        self.path = path
        self.read_only = read_only
        self._write_lock = threading.Lock()  # a graph's existence check and its write happen together

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> EmbeddedStore:
        """Open (creating if needed) the store at `path`; ':memory:' gives an in-memory one."""
        path = str(path)
        if path == MEMORY:
            return cls(ox.Store(), path=path)
        try:
            if read_only:
                if not Path(path).exists():
                    Path(path).mkdir(parents=True)
                    ox.Store(path)  # create it, so a first read sees an empty store
                inner = ox.Store.read_only(path)
            else:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                inner = ox.Store(path)
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(
                    f"the store at {path} is held for writing by another process "
                    "(a running 'kg serve'?). Stop that process, or send the work to the "
                    "server, or use read-only commands (query, export, validate)."
                ) from exc
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
        with self._write_lock:
            self._inner.update(update)
            self.generation += 1

    def replace_graph(self, graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> None:
        """Write a graph the store does not hold yet with one atomic `extend`; replace others by SPARQL.

        A new article's graph is the common case on ingest, and adding its quads (to the graph and
        to the default graph) natively takes a fraction of the time of parsing an update request.
        """
        fixed = skolemize(triples, self.skolem_prefix)
        with self._write_lock:
            if not self._inner.contains_named_graph(graph):
                both = (graph, ox.DefaultGraph())
                self._inner.extend([ox.Quad(t.subject, t.predicate, t.object, g) for t in fixed for g in both])
                self.generation += 1
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

    def quad_count(self) -> int:
        return len(self._inner)

    def close(self) -> None:
        if not self.read_only and self.path != MEMORY:
            self._inner.flush()
        del self._inner

    @property
    def inner(self) -> ox.Store:
        """The pyoxigraph store itself, for pySHACL and bulk work that need it."""
        return self._inner
