"""The store interface, and the graph bookkeeping every back end shares.

The default graph is kept as the set union (an RDF merge) of all named graphs: pyoxigraph's
own "union default graph" is a bag that counts a triple once per graph holding it, which makes
COUNTs wrong and joins explode. So every write of a named graph also writes its triples to the
default graph, and removing a graph removes a triple from the default graph only when no other
named graph still holds it. The writes are single SPARQL Update requests, so each is atomic on
any store that applies an update request as one transaction.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import pyoxigraph as ox

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def _nt(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return str(term)


def _triples_text(triples: Iterable[ox.Triple]) -> str:
    return "\n".join(f"{_nt(t.subject)} {_nt(t.predicate)} {_nt(t.object)} ." for t in triples)


def skolemize(triples: Iterable[ox.Triple], prefix: str) -> list[ox.Triple]:
    """Replace blank nodes by fresh IRIs under `prefix` (RDF 1.1 skolemization).

    A triple with a blank node cannot be matched again in another graph, so the default graph
    could not be kept the merge of the named graphs; a skolem IRI can.
    """
    triples = triples if isinstance(triples, list) else list(triples)
    if not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        return triples  # nothing to replace (the common case: kg's own graphs mint IRIs)
    names: dict[str, ox.NamedNode] = {}

    def fix(term):
        if isinstance(term, ox.BlankNode):
            if term.value not in names:
                names[term.value] = ox.NamedNode(f"{prefix}{uuid.uuid4().hex}")
            return names[term.value]
        return term

    return [ox.Triple(fix(t.subject), t.predicate, fix(t.object)) for t in triples]


def _unmerge(g: str) -> str:
    """Remove from the default graph the triples of graph `g` that no other named graph holds."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }}"
    )


def replace_graph_update(graph: ox.NamedNode, triples: list[ox.Triple]) -> str:
    """SPARQL Update that replaces `graph` and keeps the default graph the merge of all graphs."""
    g = _nt(graph)
    body = _triples_text(triples)
    return (
        f"{_unmerge(g)} ;\n"
        f"DROP SILENT GRAPH {g} ;\n"
        f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }} ;\n"
        f"INSERT DATA {{\n{body}\n}}"
    )


def drop_graph_update(graph: ox.NamedNode) -> str:
    """SPARQL Update that removes `graph` and the default-graph triples only it held."""
    g = _nt(graph)
    return f"{_unmerge(g)} ;\nDROP SILENT GRAPH {g}"


class Store(ABC):
    """What kg needs from a quad store, in kg's own names (graph-level writes that keep the default
    graph the merge of the named graphs; `has_graph`, `triples`, `quad_count`), not pyoxigraph's."""

    read_only: bool = False
    # Writes made through this object; with one process owning an embedded store, a change
    # marker that includes it sees every write, even one that keeps the quad count.
    generation: int = 0
    skolem_prefix: str = "https://kg.example.org/.well-known/genid/"  # set from the base IRI by open_store

    @abstractmethod
    def query(
        self,
        query: str,
        *,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query; raises `SyntaxError` for one that does not parse."""

    @abstractmethod
    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update request as one transaction."""

    @abstractmethod
    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """Yield the IRIs of the named graphs."""

    @abstractmethod
    def triples(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Triple]:
        """Yield the triples of one named graph, or of the default graph."""

    @abstractmethod
    def dump(self, fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None) -> bytes:
        """Serialize the dataset (or one graph) in `fmt`."""

    def dump_to(self, out: BinaryIO, fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None) -> None:
        """Serialize the dataset (or one graph) into `out`; back ends that can stream override this."""
        out.write(self.dump(fmt, graph=graph))

    @abstractmethod
    def quad_count(self) -> int:
        """Number of quads in all graphs, the default one included."""

    @abstractmethod
    def close(self) -> None:
        """Release the store (locks, files)."""

    def replace_graph(self, graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> None:
        """Replace a named graph's triples, keeping the default graph the merge of all graphs."""
        self.update(replace_graph_update(graph, skolemize(triples, self.skolem_prefix)))

    def drop_graph(self, graph: ox.NamedNode) -> None:
        """Remove a named graph and the default-graph triples no other graph holds."""
        self.update(drop_graph_update(graph))

    def has_graph(self, graph: ox.NamedNode) -> bool:
        result = self.query(f"ASK {{ GRAPH {_nt(graph)} {{ ?s ?p ?o }} }}")
        return bool(result)
