"""The SPARQL 1.1 Graph Store HTTP Protocol at /data (`?graph=<IRI>` or `?default`).

GET and HEAD read a graph (404 if the store has no such graph) in the RDF format negotiated;
they are open like the query endpoint. PUT replaces a graph, POST merges into it (or, with no
graph named, creates one with a new IRI given in `Location`), DELETE removes it: these need the
write token, and go through `kg.sparql.validated_writes` (validated, atomic, the default graph
re-derived). The default graph is the merge of the named graphs, so it is read-only here: a
write to `?default` is 405. Bodies are read by `kg.sparql.bodies` (no DTD, well-formed RDF/XML,
a triple count and the time limit); blank nodes are stored skolemized by `kg.sparql.validated_writes`.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.exceptions import MethodNotAllowed

from kg.errors import NotFound, UnsupportedMediaType, UsageError
from kg.sparql import GRAPHS, choose
from kg.sparql.bodies import parse_triples
from kg.sparql.validated_writes import graph_triples, write_graphs
from kg.web import get_settings, get_store
from kg.web.auth import require_writer
from kg.web.deadline import request_deadline
from kg.web.services import services

bp = Blueprint("graphstore", __name__)
READ = ("GET", "HEAD")


@bp.route("/data", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    """Read or write one graph of the store."""
    graph = _target()
    if request.method in READ:
        return _read(graph)
    if graph is None:
        raise MethodNotAllowed(valid_methods=["GET", "HEAD"],  # the default graph is derived
                               description="the default graph is the merge of the named graphs; write to a named graph")
    require_writer(request.headers.get("Authorization"))
    store = get_store()
    existed = store.has_graph(graph)
    if request.method == "DELETE":
        if not existed:
            raise NotFound(f"no graph <{graph.value}> in the store")
        write_graphs(store, lambda: {graph: set()}, services().shapes_validator(), services().merged_validator())
    else:
        incoming = _body_triples(graph)
        keep = request.method == "POST" and "graph" in request.args
        write_graphs(store, lambda: {graph: (graph_triples(store, graph) if keep else set()) | incoming},
                     services().shapes_validator(), services().merged_validator())
    services().notify_write()
    if existed:
        return Response(status=204)
    return Response(status=201, headers={"Location": f"{request.base_url}?graph={graph.value}"})


def _target() -> ox.NamedNode | None:
    """The graph the request names: None for `?default`; a new IRI for a POST that names none."""
    has_default, iri = "default" in request.args, request.args.get("graph")
    if has_default and iri is not None:
        raise UsageError("name either ?default or ?graph=<IRI>, not both")
    if iri is None and not has_default:
        if request.method != "POST":
            raise UsageError("name the graph: ?graph=<IRI> or ?default")
        return ox.NamedNode(f"{get_settings().base_iri}graph/{uuid.uuid4()}")
    if iri is None:
        return None
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise UsageError(f"graph= is not an IRI: {exc}") from exc


def _read(graph: ox.NamedNode | None) -> Response:
    store = get_store()
    if graph is not None and not store.has_graph(graph):
        raise NotFound(f"no graph <{graph.value}> in the store")
    choice = choose(GRAPHS, request.headers.get("Accept"))
    body = ox.serialize(store.triples(graph), format=choice.format)
    response = Response(body, content_type=choice.content_type)
    response.vary.add("Accept")
    return response


def _body_triples(graph: ox.NamedNode) -> set[ox.Triple]:
    formats = dict(GRAPHS.formats)
    fmt = formats.get(GRAPHS.aliases.get(request.mimetype, request.mimetype))
    if not isinstance(fmt, ox.RdfFormat):
        raise UnsupportedMediaType(f"cannot read a graph of type {request.mimetype or '(none)'}; send one of "
                                   f"{', '.join(GRAPHS.media_types())}")
    return parse_triples(request.get_data(), fmt, base_iri=graph.value, deadline=request_deadline())
