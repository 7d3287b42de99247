"""Validate small graphs with the compiled shapes (kg.validation.compile): table rows in Python, the rest in pyoxigraph.

pySHACL spends tens of milliseconds per article graph, nearly all of it in its generic machinery;
the simple constraints checked over a dict index of the graph, and the rest as two queries over an
in-memory pyoxigraph store, cost a few. Only the subset of SHACL
kg's shapes use is compiled, with pySHACL's semantics (its findings are the reference the tests
compare against, including where it departs from the spec). Anything else makes
`compile_shapes` raise `UnsupportedShapes`, so that a new construct is never skipped silently: the
caller (`kg.validation.shacl.validate_article_graph`) then falls back to pySHACL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.rdfterms import to_ox_cached, to_rdflib
from kg.validation.compile import (
    FOCUS_GRAPH,
    FOCUS_MARK,
    PAIRS_GRAPH,
    Check,
    Compiler,
    UnsupportedShapes,
    branches,
    generic_rows,
    prologue,
    queries,
)
from kg.validation.compile import Row as TableRow
from kg.validation.native import THREADS, Asked, Probe, Tests, probes, run_queries, run_rows
from kg.validation.result import SEVERITY_ORDER, Finding, ValidationResult
from kg.validation.values import FN, Originals, Term, Test, as_literal, lexical, test_function

__all__ = ["CompiledShapes", "UnsupportedShapes", "compile_shapes"]

_IN = ox.NamedNode(f"{FN}in")
_TYPE, _SUBCLASS = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.subClassOf))
_SIDE, _AS = ox.NamedNode(f"{FN}lexical"), ox.NamedNode(f"{FN}as")
_STRING = ox.NamedNode(str(XSD.string))
Index = dict[Term, dict[Term, list[Term]]]  # subject -> predicate -> its distinct objects
Row = tuple[Check, Term, Term | None, str | None]  # a finding: check, focus node, value, value as given
Found = dict[tuple[int, Term, Term | None], str | None]  # (check number, focus node, value) -> value as given


@dataclass(frozen=True)
class CompiledShapes:
    """The shapes as table rows checked in Python and a few SPARQL queries for the rest."""

    checks: tuple[Check, ...]
    tests: tuple[Test, ...]
    rows: dict[ox.NamedNode, tuple[TableRow, ...]]  # target class -> its simple constraints
    branches: tuple[tuple[frozenset[ox.NamedNode], str], ...]  # the rest: (target classes, UNION branch)
    prologue: str  # the prefixes the branches use
    classes: frozenset[ox.NamedNode]  # every target class
    probes: dict[Probe, list[Asked]] = field(default_factory=dict)  # the rows as whole-store queries
    sparql_tests: tuple[str | None, ...] = ()  # each test as a SPARQL condition on ?value, where exact

    def validate_graph(self, graph: Graph, *, focus_nodes: Iterable[Node] | None = None) -> ValidationResult | None:
        """Validate an rdflib graph; None when pyoxigraph cannot hold it faithfully.

        With focus nodes, only those IRIs are targets (as in pySHACL, which ignores an empty list).
        pyoxigraph keeps typed literals by value ("01"^^xsd:integer comes back "1", "+00:00" as "Z"):
        findings name them as given, and a graph where two literals would become one term (or whose
        blank node labels would change) is left to pySHACL.
        """
        return self.validate_triples(graph, focus_nodes=focus_nodes)

    def validate_triples(
        self, triples: Iterable[tuple[Node, Node, Node]], *, focus_nodes: Iterable[Node] | None = None
    ) -> ValidationResult | None:
        """`validate_graph` on distinct rdflib triples (an rdflib graph, or a set of triples)."""
        loaded = _load(triples)
        if loaded is None:
            return None
        store, index, originals = loaded
        focus = None
        if focus_nodes:  # of the given focus nodes, pySHACL keeps the IRIs
            focus = {ox.NamedNode(str(n)) for n in focus_nodes if isinstance(n, URIRef) or type(n) is str}
        return self._validate(store, index, originals, focus)

    def validate_store_triples(self, triples: Iterable[ox.Triple]) -> ValidationResult | None:
        """Validate pyoxigraph triples as a store gives them (distinct): `validate_store` on a copy in memory."""
        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        return self.validate_store(store)

    def validate_store(self, store: ox.Store) -> ValidationResult | None:
        """Validate a pyoxigraph store's default graph (read-only is enough); every node is a target.

        Every constraint runs as SPARQL in the store (kg.validation.native), so only the violations
        come back to Python. The terms are the store's own: findings name values as it holds them,
        as pySHACL over the same triples does. None when the data has a blank node as a subclass
        of a target class, which the queries cannot name (then pySHACL is the way).
        """
        functions = test_function(self.tests, {})
        tests = Tests(self.tests, self.sparql_tests)
        branches = [text.replace(_PAIRS_PATTERN, _INSTANCE_PATTERN) for _, text in self.branches]
        with ThreadPoolExecutor(THREADS) as pool:
            found = run_rows(store, self.probes, tests, pool)
            if found is None:
                return None
            hits = run_queries(store, queries(self.prologue, branches, chunk=1), functions, pool,
                               read=lambda r: (int(r["k"].value), r["this"], r["value"]))
        for k, this, value in hits:
            value = _value(self.checks[k], this, value)
            found[(k, this, value)] = None if value is None else value.value
        return _result([(self.checks[k], this, value, given) for (k, this, value), given in found.items()])

    def _validate(self, store: ox.Store, index: Index, originals: Originals,
                  focus: set[ox.NamedNode] | None) -> ValidationResult:
        """Rows over the index, then the query branches the present classes need, over `store`."""
        pairs = _pairs(index, self.classes, focus)
        found = self._rows(index, pairs)
        present = {c for _, c in pairs}
        needed = [text for classes, text in self.branches if not classes.isdisjoint(present)]
        if needed:
            marks = [ox.Quad(n, _TYPE, FOCUS_MARK, FOCUS_GRAPH) for n in focus or ()]
            store.extend(marks + [ox.Quad(this, _IN, c, PAIRS_GRAPH) for this, c in pairs])
            functions = test_function(self.tests, originals)
            for q in queries(self.prologue, needed):
                for r in store.query(q, custom_functions=functions):
                    k, this = int(r["k"].value), r["this"]
                    value = _value(self.checks[k], this, r["value"])
                    found[(k, this, value)] = None if value is None else lexical(value, originals)
        return _result([(self.checks[k], this, value, given) for (k, this, value), given in found.items()])

    def _rows(self, index: Index, pairs: Pairs) -> Found:
        """What the table rows find, as their generic SPARQL queries did (DISTINCT ?k ?this ?value)."""
        found: Found = {}
        memo: dict[Term, set[Term]] = {}
        for this, c in pairs:
            for row in self.rows.get(c, ()):
                values = _values(index, this, row.steps)
                if row.kind == "min1":
                    if not values:
                        found[(row.k, this, None)] = None
                elif row.kind == "max1":
                    if len(values) > 1:
                        found[(row.k, this, None)] = None
                elif row.kind == "class":
                    for v in values:
                        if row.x not in _classes_of(index, v, memo):
                            found[(row.k, this, v)] = v.value
                else:
                    test = self.tests[row.x]
                    for v in values:
                        if not test(v, {}):  # the terms are as given: nothing to map back
                            found[(row.k, this, v)] = v.value
        return found


def _load(triples: Iterable[tuple[Node, Node, Node]]) -> tuple[ox.Store, Index, Originals] | None:
    """A new in-memory store and an index holding the triples, and the map back to given literals."""
    quads, index, typed, blanks = [], {}, {}, set()
    for s, p, o in triples:
        try:
            ts, tp, to = to_ox_cached(s), to_ox_cached(p), to_ox_cached(o)
        except ValueError:  # a term pyoxigraph refuses (an IRI with a space, a bad language tag)
            return None
        quads.append(ox.Quad(ts, tp, to))
        by_predicate = index.get(ts)
        if by_predicate is None:
            by_predicate = index[ts] = {}
        values = by_predicate.get(tp)
        if values is None:
            by_predicate[tp] = [to]
        else:
            values.append(to)
        if type(to) is ox.Literal and to.language is None and to.datatype != _STRING:  # (rdflib's are slow)
            typed[(to.value, to.datatype.value)] = to
        if type(ts) is ox.BlankNode or type(to) is ox.BlankNode:
            blanks.update(t.value for t in (ts, to) if type(t) is ox.BlankNode)
    given = list(typed)
    side = [ox.Quad(ox.NamedNode(f"{FN}l{i}"), _AS, typed[key], _SIDE) for i, key in enumerate(given)]
    store = ox.Store()
    store.extend(quads + side)
    if len(store) != len(quads) + len(side):  # two triples became one
        return None
    originals = _originals(store, given)
    if originals is None or (blanks and _stored_blanks(store) != blanks):
        return None
    return store, index, originals  # the side graph stays: the queries read the default graph


_PAIRS_PATTERN = f"GRAPH <{PAIRS_GRAPH.value}> {{ ?this <{FN}in> ?_c }}"  # as kg.validation.compile._focus writes it
_INSTANCE_PATTERN = f"?this <{RDF.type}>/<{RDFS.subClassOf}>* ?_c"


def _originals(store: ox.Store, given: list[tuple[str, str]]) -> Originals | None:
    """Map each typed literal as stored back to its given form; None if two would be one term."""
    originals: Originals = {}
    for q in store.quads_for_pattern(None, _AS, None, _SIDE):
        o, lex = q.object, given[int(q.subject.value[len(FN) + 1 :])][0]
        if originals.setdefault((o.value, o.datatype.value), lex) != lex:
            return None
    return originals


Pairs = list[tuple[Term, ox.NamedNode]]  # (focus node, target class)


def _pairs(index: Index, classes: frozenset[ox.NamedNode], focus: set[ox.NamedNode] | None) -> Pairs:
    """(focus node, target class) pairs: instances through rdf:type/rdfs:subClassOf* in the data, as pySHACL."""
    pairs, memo = [], {}
    for this in index:
        if focus is None or this in focus:
            pairs.extend((this, c) for c in _classes_of(index, this, memo) if c in classes)
    return pairs


def _classes_of(index: Index, node: Term, memo: dict[Term, set[Term]]) -> set[Term]:
    """What `node` is an instance of: the objects of node rdf:type/rdfs:subClassOf*."""
    found = set()
    for t in index.get(node, {}).get(_TYPE, ()):
        if t not in memo:
            memo[t] = _superclasses(index, t)
        found |= memo[t]
    return found


def _superclasses(index: Index, cls: Term) -> set[Term]:
    """`cls` and what it reaches by rdfs:subClassOf steps."""
    seen, todo = {cls}, [cls]
    while todo:
        for sup in index.get(todo.pop(), {}).get(_SUBCLASS, ()):
            if sup not in seen:
                seen.add(sup)
                todo.append(sup)
    return seen


def _values(index: Index, this: Term, steps: tuple[ox.NamedNode, ...]) -> list[Term]:
    """The distinct values of a path of no, one or two steps from `this`."""
    if not steps:
        return [this]
    first = index.get(this, {}).get(steps[0], [])
    if len(steps) == 1:
        return first
    return list(dict.fromkeys(v for m in first for v in index.get(m, {}).get(steps[1], ())))


def _stored_blanks(store: ox.Store) -> set[str]:
    q = "SELECT DISTINCT ?b WHERE { { ?b ?p ?o } UNION { ?s ?p ?b } FILTER(isBlank(?b)) }"
    return {r["b"].value for r in store.query(q)}


def _value(check: Check, this: object, value: object) -> object:
    if check.value == "none":
        return None
    if value is None and check.value == "sparql":
        return this
    return value


def _result(rows: list[Row]) -> ValidationResult:
    findings = [
        Finding(severity=c.severity, focus=this.value, shape=c.shape, path=c.path, value=given,
                message=c.message, constraint=c.constraint)
        for c, this, _, given in rows
    ]
    findings.sort(key=lambda f: (-SEVERITY_ORDER[f.severity], f.shape, f.focus, f.path or ""))
    conforms = not any(f.severity == "Violation" for f in findings)
    return _Result(conforms, findings, partial(_report, conforms, rows))


class _Result(ValidationResult):
    """A ValidationResult whose report graph is built when first read (the ingest gate reads findings)."""

    def __init__(self, conforms: bool, findings: list[Finding], build: Callable[[], Graph]) -> None:
        self.conforms, self.findings, self._build, self._report = conforms, findings, build, None

    @property
    def report(self) -> Graph:
        if self._report is None:
            self._report = self._build()
        return self._report


def _report(conforms: bool, rows: list[Row]) -> Graph:
    """The SHACL validation report graph (results without pySHACL's copies of the shapes)."""
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(conforms)))
    for check, this, value, given in rows:
        r = BNode()
        if value is not None:
            lit = isinstance(value, ox.Literal)
            term = as_literal(given, value.datatype.value, value.language) if lit else to_rdflib(value)
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
    """Compile a shapes graph; raises `UnsupportedShapes` when it uses anything not implemented here."""
    compiler = Compiler(shapes).run()
    rows = generic_rows(compiler)
    classes = frozenset(ox.NamedNode(c[1:-1]) for cs in compiler.focus.values() for c in cs)
    return CompiledShapes(checks=tuple(compiler.checks), tests=tuple(compiler.tests), rows=rows,
                          branches=branches(compiler), prologue=prologue(compiler), classes=classes,
                          probes=probes(rows), sparql_tests=tuple(compiler.sparql_tests))
