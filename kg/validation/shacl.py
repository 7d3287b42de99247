"""SHACL validation: returns a value; formatting the report for people or machines is apart.

One article is validated on ingest together with only what the shapes need to know about the
nodes it links to (their types and reference descriptions), and only its own nodes are
validation targets, so the cost does not grow with the size of the store.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.config import turtle_files
from kg.errors import ShapesError
from kg.namespaces import bind_all
from kg.rdfterms import to_rdflib
from kg.reference import Reference
from kg.store.base import Store
from kg.validation.engine import CompiledShapes, UnsupportedShapes, compile_shapes
from kg.validation.result import SEVERITY_ORDER, Finding, ValidationResult


@lru_cache(maxsize=4)
def _load_shapes(paths: tuple[str, ...]) -> Graph:
    shapes = bind_all(Graph())
    for path in paths:
        shapes.parse(path, format="turtle")
    return shapes


def load_shapes(location: Path) -> Graph:
    """Parse a shapes file, or every .ttl in a shapes folder (cached per set of files).

    A missing file or a missing or empty folder raises ConfigError: no shapes would pass anything.
    """
    location = Path(location)
    if location.is_file():
        paths = [location]
    else:
        paths = turtle_files(location, "shapes")
    return _load_shapes(tuple(str(p) for p in paths))


def _owning_shape(report: Graph, shape: URIRef) -> URIRef:
    """A property shape is anonymous; name the node shape that holds it."""
    if isinstance(shape, URIRef):
        return shape
    owner = report.value(predicate=SH.property, object=shape)
    return owner if owner is not None else shape


def findings_of(report: Graph, shapes: Graph) -> list[Finding]:
    """Read a SHACL validation report graph into findings, most severe first."""
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        def one(p: URIRef, r: URIRef = result) -> str | None:
            v = report.value(r, p)
            return None if v is None else str(v)

        source = report.value(result, SH.sourceShape)
        found.append(
            Finding(
                severity=(one(SH.resultSeverity) or str(SH.Violation)).rsplit("#", 1)[-1],
                focus=one(SH.focusNode) or "",
                shape=str(_owning_shape(shapes, source)),
                path=one(SH.resultPath),
                value=one(SH.value),
                message=one(SH.resultMessage) or "",
                constraint=(one(SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
            )
        )
    return sorted(found, key=lambda f: (-SEVERITY_ORDER[f.severity], f.shape, f.focus, f.path or ""))


def validate_graph(data: Graph, shapes: Graph, *, focus_nodes: list[URIRef] | None = None) -> ValidationResult:
    """Validate `data` against `shapes`; warnings and infos do not break conformance."""
    conforms, report, text = shacl_validate(
        data, shacl_graph=shapes, focus_nodes=focus_nodes, allow_warnings=True, allow_infos=True
    )
    if not isinstance(report, Graph):  # pySHACL answers a ValidationFailure when the shapes are unusable
        raise ShapesError(f"the shapes cannot be used: {text}")
    return ValidationResult(conforms=bool(conforms), report=report, findings=findings_of(report, shapes))


Triple = tuple[Node, Node, Node]


def context_triples(graph: Graph, ref: Reference, store: Store | None) -> set[Triple]:
    """The triples of `context_for`, as a set (what the compiled shapes read, without an rdflib graph)."""
    triples = set(graph)
    subjects, nodes = set(), set()  # nodes: IRIs the graph describes or links to (not classes)
    for s, p, o in triples:
        subjects.add(s)
        if isinstance(s, URIRef):
            nodes.add(s)
        if isinstance(o, URIRef) and p != RDF.type:
            nodes.add(o)
    unknown = []
    for node in nodes:
        described = [(node, p, o) for p, o in ref.data.predicate_objects(node)]
        triples.update(described)
        if not described and node not in subjects:
            unknown.append(node)
    if store is not None and unknown:
        values = " ".join(f"<{n}>" for n in unknown)
        for row in store.query(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}"):
            triples.add((to_rdflib(row["s"]), RDF.type, to_rdflib(row["t"])))
    return triples


def context_for(graph: Graph, ref: Reference, store: Store | None) -> Graph:
    """The article graph plus what the shapes read about the nodes it names.

    Reference nodes bring their reference description; other nodes the graph only links to
    bring their types from the store (one query), which is all `sh:class` needs.
    """
    return _graph_of(context_triples(graph, ref, store))


def _graph_of(triples: set[Triple]) -> Graph:
    data = bind_all(Graph())
    data.addN((s, p, o, data) for s, p, o in triples)
    return data


_COMPILED: dict[int, tuple[Graph, object]] = {}


def compiled_shapes(shapes: Graph) -> CompiledShapes | None:
    """The shapes compiled (once per shapes graph), or None if they use what is not compiled."""
    held = _COMPILED.get(id(shapes))
    if held is None or held[0] is not shapes:
        try:
            compiled = compile_shapes(shapes)
        except UnsupportedShapes:
            compiled = None
        held = _COMPILED[id(shapes)] = (shapes, compiled)
    return held[1]


def validate_article_graph(graph: Graph, shapes: Graph, ref: Reference, store: Store | None) -> ValidationResult:
    """Validate one article's graph; its own subjects are the only targets.

    The shapes run compiled (kg.validation.engine: simple constraints in Python, the rest as SPARQL;
    about a millisecond) when they compile, else through pySHACL (tens of ms); both give the same
    findings, which tests/test_shacl_fast.py checks. The context is a set of triples: an rdflib
    graph is made of it only for pySHACL.
    """
    data = context_triples(graph, ref, store)
    focus = [s for s in set(graph.subjects()) if isinstance(s, URIRef)]
    compiled = compiled_shapes(shapes)
    result = compiled.validate_triples(data, focus_nodes=focus) if compiled is not None else None
    return result if result is not None else validate_graph(_graph_of(data), shapes, focus_nodes=focus)
