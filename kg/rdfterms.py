"""Conversion between rdflib terms (used to build and validate graphs) and pyoxigraph terms (the store)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)


_CACHE: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}
# An entry costs about 440 bytes of resident memory (the rdflib term, the pyoxigraph term, the
# slot). Most of an article's terms are its own (its IRIs and literals: about 11 new ones an
# article), so in a server that ingests without end the cache fills to its cap: 200,000 (reached
# after about 18,000 articles) was 88 MB kept for terms seen once. What it saves is converting an
# article's terms twice (validation, then the write) and the shared vocabulary (a few thousand
# terms): this cap is plenty for both.
_CACHE_SIZE = 20_000


def to_ox_cached(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """`to_ox`, remembered: an article's terms are converted for validation and again for the write.

    Terms are immutable values and the conversion depends on nothing else, so a remembered answer
    is always the right one; the memory is dropped whole when it grows past `_CACHE_SIZE` terms.
    """
    found = _CACHE.get(term)
    if found is None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        found = _CACHE[term] = to_ox(term)
    return found


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert one rdflib term to its pyoxigraph equal."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """Convert one pyoxigraph term to its rdflib equal."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def ox_triples(graph: Graph) -> Iterator[ox.Triple]:
    """The triples of an rdflib graph as pyoxigraph triples."""
    for s, p, o in graph:
        yield ox.Triple(to_ox_cached(s), to_ox_cached(p), to_ox_cached(o))


def rdflib_graph(triples: Iterable[ox.Triple], graph: Graph | None = None) -> Graph:
    """Add pyoxigraph triples to an rdflib graph (a new one unless given) and return it."""
    graph = graph if graph is not None else Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph
