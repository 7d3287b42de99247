"""JSON-LD written triple by triple, with kg's namespaces as a published `@context`.

pyoxigraph's JSON-LD writer takes no context (every key is a full IRI), and a dump must stream,
so this writer emits one node object per run of triples with the same subject, keys and types
compacted with kg's prefixes. A subject met again later gets another node object with the same
`@id`, which JSON-LD merges: the output is correct in any triple order, and compact when the
triples come grouped by subject (as a store yields them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.namespaces import PREFIX_IRIS

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def context() -> dict:
    """The `@context` kg publishes: one prefix per namespace kg writes or reads."""
    return {"@context": dict(PREFIX_IRIS)}


def compact(iri: str) -> str:
    """'https://schema.org/name' -> 'schema:name' when a prefix applies and the rest is a plain name."""
    for prefix, ns in PREFIX_IRIS.items():
        rest = iri[len(ns) :] if iri.startswith(ns) else None
        if rest and rest.replace("_", "a").replace("-", "a").isalnum() and not rest[0].isdigit():
            return f"{prefix}:{rest}"
    return iri


def _id(term: ox.NamedNode | ox.BlankNode) -> str:
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def value(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict:
    """The JSON-LD value object of one RDF term."""
    if not isinstance(term, ox.Literal):
        return {"@id": _id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": compact(term.datatype.value)}


def _node(subject: ox.NamedNode | ox.BlankNode, triples: list[ox.Triple]) -> dict:
    node: dict = {"@id": _id(subject)}
    for t in triples:
        if t.predicate.value == RDF_TYPE and not isinstance(t.object, ox.Literal):
            node.setdefault("@type", []).append(compact(_id(t.object)))
        else:
            node.setdefault(compact(t.predicate.value), []).append(value(t.object))
    return node


def write(triples: Iterable[ox.Triple], ctx: str | dict) -> Iterator[str]:
    """Yield a JSON-LD document in pieces; `ctx` is a context URL or a context object."""
    head = {"@context": ctx if isinstance(ctx, str) else ctx.get("@context", ctx)}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "@graph": [\n'
    first = True
    subject, run = None, []
    for t in triples:
        if subject is not None and t.subject != subject:
            yield ("" if first else ",\n") + json.dumps(_node(subject, run), ensure_ascii=False)
            first, run = False, []
        subject = t.subject
        run.append(t)
    if subject is not None:
        yield ("" if first else ",\n") + json.dumps(_node(subject, run), ensure_ascii=False)
    yield "\n]}\n"
