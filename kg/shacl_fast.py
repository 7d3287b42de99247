"""Validate small graphs with the shapes compiled to SPARQL (kg.shacl_compile), in pyoxigraph.

pySHACL spends tens of milliseconds per article graph, nearly all of it in Python; the same
checks as a few queries over an in-memory pyoxigraph store cost a few. Only the subset of SHACL
kg's shapes use is compiled, with pySHACL's semantics (its findings are the reference the tests
compare against, including where it departs from the spec). Anything else makes
`compile_shapes` raise `Unsupported`, so that a new construct is never skipped silently: the
caller (`kg.validate.validate_article_graph`) then falls back to pySHACL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from kg.rdfterms import to_ox, to_rdflib
from kg.shacl_compile import (
    FOCUS_GRAPH,
    FOCUS_MARK,
    PAIRS_GRAPH,
    TABLE_GRAPH,
    Check,
    Compiler,
    Unsupported,
    pairs_query,
    queries,
    table_quads,
)
from kg.shacl_values import FN, Originals, Term, Test, as_literal, lexical, test_function
from kg.validate import SEVERITY_ORDER, Finding, ValidationResult

__all__ = ["CompiledShapes", "Unsupported", "compile_shapes"]

_IN = ox.NamedNode(f"{FN}in")
_LOCAL = threading.local()


@dataclass(frozen=True)
class CompiledShapes:
    """The shapes as one SPARQL query (and its variant restricted to given focus nodes)."""

    checks: tuple[Check, ...]
    tests: tuple[Test, ...]
    table: tuple[ox.Quad, ...]
    queries: tuple[str, ...]
    pairs_queries: tuple[str, str]  # without and with the focus nodes given

    def validate_store(
        self, store: ox.Store, *, focus_nodes: Iterable[Node] | None = None, originals: Originals | None = None
    ) -> ValidationResult:
        """Validate the store's default graph; with focus nodes, only those IRIs are targets (as in pySHACL).

        `originals` maps literals the store holds in canonical form back to the form they were given in.
        """
        originals = originals or {}
        pairs = self.pairs_queries[0]
        added = not any(True for _ in store.quads_for_pattern(None, None, None, TABLE_GRAPH))
        if added:
            store.extend(self.table)
        if focus_nodes:  # pySHACL ignores an empty list, and of a given one keeps the IRIs
            marks = [ox.Quad(ox.NamedNode(str(n)), ox.NamedNode(str(RDF.type)), FOCUS_MARK, FOCUS_GRAPH)
                     for n in focus_nodes if isinstance(n, URIRef) or type(n) is str]
            store.extend(marks)
            pairs = self.pairs_queries[1]
        functions = test_function(self.tests, originals)
        try:
            store.extend([ox.Quad(r[0], _IN, r[1], PAIRS_GRAPH) for r in store.query(pairs)])
            rows = [(self.checks[int(r["k"].value)], r["this"], r["value"])
                    for q in self.queries for r in store.query(q, custom_functions=functions)]
        finally:
            store.clear_graph(PAIRS_GRAPH)
            if focus_nodes:
                store.clear_graph(FOCUS_GRAPH)
            if added and store is not self._scratch():
                store.remove_graph(TABLE_GRAPH)
        return _result([(c, this, _value(c, this, value)) for c, this, value in rows], originals)

    def _scratch(self) -> ox.Store:
        """This thread's in-memory store: it keeps the table graph between calls."""
        store = getattr(_LOCAL, "store", None)
        if store is None or getattr(_LOCAL, "owner", None) is not self:
            store = _LOCAL.store = ox.Store()
            _LOCAL.owner = self
        return store

    def validate_graph(self, graph: Graph, *, focus_nodes: Iterable[Node] | None = None) -> ValidationResult | None:
        """Validate an rdflib graph through an in-memory store; None when pyoxigraph cannot hold it faithfully.

        pyoxigraph keeps typed literals by value ("01"^^xsd:integer comes back "1", "+00:00" as "Z"):
        findings name them as given, and a graph where two literals would become one term (or whose
        blank node labels would change) is left to pySHACL.
        """
        store, quads, typed, blanks = self._scratch(), [], {}, set()
        store.clear_graph(ox.DefaultGraph())
        for s, p, o in graph:
            try:
                quads.append(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)))
            except ValueError:  # a term pyoxigraph refuses (an IRI with a space, a bad language tag)
                return None
            if isinstance(o, Literal) and o.datatype is not None and o.datatype != XSD.string:
                typed[(str(o), str(o.datatype))] = quads[-1].object
            blanks.update(str(t) for t in (s, o) if isinstance(t, BNode))
        store.extend(quads)
        originals = _originals(store, typed)
        if originals is None or _default_size(store) != len(graph) or (blanks and _stored_blanks(store) != blanks):
            return None
        return self.validate_store(store, focus_nodes=focus_nodes, originals=originals)


def _originals(store: ox.Store, typed: dict[tuple[str, str], ox.Literal]) -> Originals | None:
    """Map each typed literal as stored back to its given form; None if two would be one term."""
    if not typed:
        return {}
    side, p = ox.NamedNode(f"{FN}lexical"), ox.NamedNode(f"{FN}as")
    given = list(typed)
    store.extend(ox.Quad(ox.NamedNode(f"{FN}l{i}"), p, typed[key], side) for i, key in enumerate(given))
    rows = store.query(f"SELECT ?i ?o WHERE {{ GRAPH <{side.value}> {{ ?i <{p.value}> ?o }} }}")
    stored = {int(r["i"].value[len(FN) + 1 :]): r["o"] for r in rows}
    store.clear_graph(side)
    originals: Originals = {}
    for i, key in enumerate(given):
        o = stored[i]
        if originals.setdefault((o.value, o.datatype.value), key[0]) != key[0]:
            return None
    return originals


@lru_cache(maxsize=200_000)
def _to_ox(term: Node) -> Term:
    return to_ox(term)


def _default_size(store: ox.Store) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def _stored_blanks(store: ox.Store) -> set[str]:
    q = "SELECT DISTINCT ?b WHERE { { ?b ?p ?o } UNION { ?s ?p ?b } FILTER(isBlank(?b)) }"
    return {r["b"].value for r in store.query(q)}


def _value(check: Check, this: object, value: object) -> object:
    if check.value == "none":
        return None
    if value is None and check.value == "sparql":
        return this
    return value


def _result(rows: list[tuple[Check, Term, Term | None]], originals: Originals) -> ValidationResult:
    findings = [
        Finding(severity=c.severity, focus=this.value, shape=c.shape, path=c.path,
                value=None if value is None else lexical(value, originals), message=c.message,
                constraint=c.constraint)
        for c, this, value in rows
    ]
    findings.sort(key=lambda f: (-SEVERITY_ORDER[f.severity], f.shape, f.focus, f.path or ""))
    conforms = not any(f.severity == "Violation" for f in findings)
    return _Result(conforms, findings, partial(_report, conforms, rows, originals))


class _Result(ValidationResult):
    """A ValidationResult whose report graph is built when first read (the ingest gate reads findings)."""

    def __init__(self, conforms: bool, findings: list[Finding], build: Callable[[], Graph]) -> None:
        self.conforms, self.findings, self._build, self._report = conforms, findings, build, None

    @property
    def report(self) -> Graph:
        if self._report is None:
            self._report = self._build()
        return self._report


def _report(conforms: bool, rows: list[tuple[Check, Term, Term | None]], originals: Originals) -> Graph:
    """The SHACL validation report graph (results without pySHACL's copies of the shapes)."""
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(conforms)))
    for check, this, value in rows:
        r = BNode()
        if value is not None:
            lit = isinstance(value, ox.Literal)
            term = (as_literal(lexical(value, originals), value.datatype.value, value.language) if lit
                    else to_rdflib(value))
            report.add((r, SH.value, term))
        for p, o in ((RDF.type, SH.ValidationResult), (SH.resultSeverity, SH[check.severity]),
                     (SH.focusNode, to_rdflib(this)), (SH.sourceShape, check.source),
                     (SH.sourceConstraintComponent, SH[check.constraint]), (SH.resultMessage, Literal(check.message)),
                     (SH.resultPath, check.path_node)):
            if o is not None:
                report.add((r, p, o))
        report.add((root, SH.result, r))
    return report



def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile a shapes graph; raises `Unsupported` when it uses anything not implemented here."""
    compiler = Compiler(shapes).run()
    classes = {c for cs in compiler.focus.values() for c in cs}
    return CompiledShapes(
        checks=tuple(compiler.checks), tests=tuple(compiler.tests), table=tuple(table_quads(compiler)),
        queries=queries(compiler), pairs_queries=(pairs_query(classes, False), pairs_query(classes, True)),
    )
