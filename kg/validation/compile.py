"""Compile a SHACL shapes graph into table rows and a few SPARQL queries (the subset of SHACL kg uses).

Simple constraints (a count of at most one, a class, a datatype, a pattern... on the focus node or
a path of up to two steps) become `Row`s that kg.validation.engine checks in Python over an index of the
graph; the rest (counts above one, sh:or, sh:xone, SPARQL constraints, long paths) become query
branches of their own (query text stays small: pyoxigraph's planning grows with the square of a
UNION's branches). The meaning is pySHACL's, including where it departs from the spec. Every
SHACL triple of the shapes graph must be accounted for by what is compiled, or compilation
raises `UnsupportedShapes`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

from kg.errors import UnsupportedShapes
from kg.validation.values import FN, Test, at_least, datatype_test, in_test, kind_test, pattern_test

FOCUS_GRAPH = ox.NamedNode(f"{FN}focus")
FOCUS_MARK = ox.NamedNode(f"{FN}Focus")
PAIRS_GRAPH = ox.NamedNode(f"{FN}pairs")
_TRUE, _FALSE = ox.Literal(True), ox.Literal(False)
_TYPE_PATH = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"

_VALUE_PARAMS = {SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH["in"], SH.minInclusive}
_LOGIC_PARAMS = {SH["or"], SH.xone}
_NOTES = {SH.name, SH.description, SH.order, SH.group}  # SHACL terms pySHACL reads no constraint from
_NODE = _VALUE_PARAMS | _LOGIC_PARAMS | _NOTES | {SH.targetClass, SH.property, SH.sparql, SH.message, SH.severity}
_COUNTS = {SH.path, SH.minCount, SH.maxCount}
_PROPERTY = _VALUE_PARAMS | _LOGIC_PARAMS | _NOTES | _COUNTS | {SH.sparql, SH.message, SH.severity}
_MEMBER = _VALUE_PARAMS | _NOTES | {SH.path, SH.minCount, SH.maxCount, SH.message}
_SPARQL = {SH.select, SH.prefixes, SH.message}
_KINDS = {
    SH.IRI: (ox.NamedNode,), SH.BlankNode: (ox.BlankNode,), SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode), SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}


@dataclass(frozen=True)
class Check:
    """What one compiled constraint reports; its query branch binds ?k to the check's index."""

    severity: str
    shape: str
    path: str | None
    message: str
    constraint: str
    value: str  # "value" (?value), "none", or "sparql" (?value, else the focus on a node shape)
    source: Node  # the shape pySHACL names as sh:sourceShape (for the report graph)
    path_node: Node | None  # the path as in the shapes graph


def _iri(term: Node) -> str:
    if not isinstance(term, URIRef):
        raise UnsupportedShapes(f"expected an IRI, found {term!r}")
    return f"<{term}>"


class Compiler:
    """Walks the shapes graph once; every SHACL triple must be accounted for by what it compiles."""

    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.checks: list[Check] = []
        self.branches: list[tuple[str, str]] = []  # (focus pattern key, branch body)
        self.tests: list[Test] = []
        self.rows: dict[tuple[str, int], list[dict]] = {}  # (generic query kind, path steps) -> table rows
        self.prefixes: dict[str, str] = {}
        self.accounted: set[Node] = set()
        self.focus: dict[str, list[str]] = {}  # node shape -> its target class IRIs

    # --- shapes graph access ------------------------------------------------------------------

    def one(self, node: Node, p: URIRef, default: Node | None = None) -> Node | None:
        values = list(self.g.objects(node, p))
        if len(values) > 1:
            raise UnsupportedShapes(f"{node}: more than one {p}")
        return values[0] if values else default

    def allow(self, node: Node, allowed: set[URIRef], role: str) -> None:
        for p, o in self.g.predicate_objects(node):
            if p == RDF.type:
                if o not in (SH.NodeShape, SH.PropertyShape) and role != "prefixes":
                    raise UnsupportedShapes(f"{node}: rdf:type {o} on a {role} "
                                            "(implicit class targets are not compiled)")
            elif str(p).startswith(str(SH)) and p not in allowed:
                raise UnsupportedShapes(f"{node}: {p} on a {role} is not compiled")
        self.accounted.add(node)

    def message(self, node: Node, *extra: Node) -> str:
        found = {str(m) for n in (node, *extra) for m in self.g.objects(n, SH.message)}
        if len(found) != 1:
            raise UnsupportedShapes(f"{node}: needs one sh:message (found {len(found)}); "
                                    "generic messages are not compiled")
        text = found.pop()
        if extra and re.search(r"\{[?$]", text):
            raise UnsupportedShapes(f"{node}: message templates ({{?var}}) are not compiled")
        return text

    def severity(self, node: Node) -> str:
        sev = self.one(node, SH.severity, SH.Violation)
        if sev not in (SH.Violation, SH.Warning, SH.Info):
            raise UnsupportedShapes(f"{node}: severity {sev} is not compiled")
        return str(sev).rsplit("#", 1)[-1]

    def path(self, node: Node) -> list[str]:
        """The path's steps (one for an IRI, several for a sequence)."""
        path = self.one(node, SH.path)
        if isinstance(path, URIRef):
            return [_iri(path)]
        if isinstance(path, BNode) and self.one(path, RDF.first) is not None:
            return [_iri(s) for s in self.items(path)]
        raise UnsupportedShapes(f"{node}: only IRI and sequence paths are compiled (found {path!r})")

    def integer(self, node: Node, p: URIRef) -> int | None:
        v = self.one(node, p)
        if v is None:
            return None
        if not (isinstance(v, Literal) and isinstance(v.value, int) and v.value >= 0):
            raise UnsupportedShapes(f"{node}: {p} must be a non-negative integer")
        return v.value

    # --- conditions on one term: ("class", "<C>") tested in SPARQL, or ("test", i) tested in Python ------

    def conditions(self, node: Node) -> list[tuple[str, str, str | int]]:
        """(component, kind, payload) for each value-type parameter of `node`."""
        found: list[tuple[str, str, str | int]] = []
        if (c := self.one(node, SH["class"])) is not None:
            found.append(("ClassConstraintComponent", "class", _iri(c)))
        if (d := self.one(node, SH.datatype)) is not None:
            rule = str(URIRef(_iri(d)[1:-1]))
            found.append(("DatatypeConstraintComponent", "test", self.test(partial(datatype_test, rule))))
        if (k := self.one(node, SH.nodeKind)) is not None:
            if k not in _KINDS:
                raise UnsupportedShapes(f"{node}: node kind {k}")
            found.append(("NodeKindConstraintComponent", "test", self.test(partial(kind_test, _KINDS[k]))))
        if (p := self.one(node, SH.pattern)) is not None:
            found.append(("PatternConstraintComponent", "test", self.test(partial(pattern_test, self.regex(node, p)))))
        elif self.one(node, SH.flags) is not None:
            raise UnsupportedShapes(f"{node}: sh:flags without sh:pattern")
        if (lst := self.one(node, SH["in"])) is not None:
            items = frozenset(_iri(i)[1:-1] for i in self.items(lst))
            found.append(("InConstraintComponent", "test", self.test(partial(in_test, items))))
        if (m := self.one(node, SH.minInclusive)) is not None:
            if not isinstance(m, Literal):
                raise UnsupportedShapes(f"{node}: sh:minInclusive must be a literal")
            found.append(("MinInclusiveConstraintComponent", "test", self.test(partial(at_least, m))))
        return found

    def test(self, fn: Test) -> int:
        self.tests.append(fn)
        return len(self.tests) - 1

    def items(self, lst: Node) -> list[Node]:
        self.accounted.update(self.g.transitive_objects(lst, RDF.rest))
        return list(Collection(self.g, lst))

    def regex(self, node: Node, p: Node) -> re.Pattern:
        """Compile the regex as pySHACL does (of the flags, only i and m count)."""
        flags_node = self.one(node, SH.flags)
        flags = str(flags_node).lower() if flags_node is not None else ""
        re_flags = (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0)
        text = str(p.value) if isinstance(p, Literal) and p.value is not None and len(p.value) > 1 else str(p)
        return re.compile(text, re_flags)

    def expression(self, node: Node, x: str) -> list[tuple[str, str]]:
        """The conditions of `node` as SPARQL boolean expressions on the term in variable `x`."""
        return [(component, f"EXISTS {{ {x} {_TYPE_PATH} {payload} }}" if kind == "class" else
                 f"<{FN}test>({x}, {payload})") for component, kind, payload in self.conditions(node)]

    def conforms(self, member: Node, x: str) -> str:
        """The condition that `x` conforms to a member shape of sh:or / sh:xone."""
        self.allow(member, _MEMBER, "member shape of sh:or / sh:xone")
        if self.one(member, SH.path) is None:
            if self.one(member, SH.minCount) is not None or self.one(member, SH.maxCount) is not None:
                raise UnsupportedShapes(f"{member}: sh:minCount / sh:maxCount without sh:path")
            parts = [c for _, c in self.expression(member, x)]
        else:
            path, parts = "/".join(self.path(member)), []
            lo, hi = self.integer(member, SH.minCount), self.integer(member, SH.maxCount)
            if lo not in (None, 0, 1) or hi not in (None, 0, 1):
                raise UnsupportedShapes(f"{member}: counts above 1 in a member shape are not compiled")
            if lo == 1:
                parts.append(f"EXISTS {{ {x} {path} ?_w }}")
            if hi == 0:
                parts.append(f"NOT EXISTS {{ {x} {path} ?_w }}")
            if hi == 1:
                parts.append(f"NOT EXISTS {{ {x} {path} ?_w1, ?_w2 . FILTER(!sameTerm(?_w1, ?_w2)) }}")
            for _, cond in self.expression(member, "?_w"):
                parts.append(f"NOT EXISTS {{ {x} {path} ?_w . FILTER(!({cond})) }}")
        # pySHACL's focus_nodes option also filters the focus of each member shape: a value node that
        # is not among the given focus nodes conforms to every member, whatever it is. Reproduced here.
        mark = f"GRAPH <{FOCUS_GRAPH.value}> {{ @ a <{FOCUS_MARK.value}> }}"
        skipped = f"(EXISTS {{ {mark.replace('@', '?_f')} }} && NOT EXISTS {{ {mark.replace('@', x)} }})"
        return f"({skipped} || (" + " && ".join(parts or ["true"]) + "))"

    def logic(self, node: Node, x: str) -> list[tuple[str, str]]:
        found = []
        for p, name in ((SH["or"], "OrConstraintComponent"), (SH.xone, "XoneConstraintComponent")):
            if (lst := self.one(node, p)) is None:
                continue
            conds = [self.conforms(m, x) for m in self.items(lst)]
            if p == SH["or"]:
                found.append((name, "(" + (" || ".join(conds) or "false") + ")"))
            else:
                found.append((name, "((" + " + ".join(f"IF({c}, 1, 0)" for c in conds) + ") = 1)"))
        return found

    # --- what each constraint becomes: a row of a generic query, or a query branch of its own ----------

    def check(self, check: Check) -> int:
        self.checks.append(check)
        return len(self.checks) - 1

    def row(self, kind: str, shape: str, path: list[str], k: int, x: str | None = None) -> None:
        """One row of the generic query of `kind` (`path`: none, one or two steps) per target class."""
        for c in self.focus[shape]:
            cells = {"k": str(k), "c": c, "p": path[0] if path else None, "q": path[1] if len(path) > 1 else None}
            self.rows.setdefault((kind, len(path)), []).append({**cells, "x": x})

    def branch(self, shape: str, body: str, check: Check) -> None:
        self.branches.append((shape, f"{body} BIND({self.check(check)} AS ?k)"))

    def node_shape(self, shape: Node) -> None:
        if not isinstance(shape, URIRef):
            raise UnsupportedShapes(f"{shape}: a node shape with targets must be an IRI")
        self.allow(shape, _NODE, "node shape")
        name, sev = str(shape), self.severity(shape)
        self.focus[name] = [_iri(c) for c in self.g.objects(shape, SH.targetClass)]
        own, logic = self.conditions(shape), self.logic(shape, "?value")
        if own or logic:
            msg = self.message(shape)
            for component, kind, payload in own:
                self.row(kind, name, [], self.check(Check(sev, name, None, msg, component, "value", shape, None)),
                         str(payload))
            for component, cond in logic:
                check = Check(sev, name, None, msg, component, "value", shape, None)
                self.branch(name, f"BIND(?this AS ?value) FILTER(!{cond})", check)
        for prop in self.g.objects(shape, SH.property):
            if len(set(self.g.subjects(SH.property, prop))) != 1 or prop in self.accounted:
                raise UnsupportedShapes(f"{prop}: a property shape shared by several shapes is not compiled")
            self.property_shape(name, prop)
        for sparql in self.g.objects(shape, SH.sparql):
            self.sparql(name, shape, sparql, sev, None, "sparql")

    def property_shape(self, owner: str, prop: Node) -> None:
        self.allow(prop, _PROPERTY, "property shape")
        steps, sev, path_node = self.path(prop), self.severity(prop), self.one(prop, SH.path)
        shape = str(prop) if isinstance(prop, URIRef) else owner  # as validate._owning_shape names it
        lo, hi = self.integer(prop, SH.minCount), self.integer(prop, SH.maxCount)
        own, logic = self.conditions(prop), self.logic(prop, "?value")
        msg = self.message(prop) if (lo is not None or hi is not None or own or logic) else ""

        def check(component: str, value: str) -> Check:
            return Check(sev, shape, str(path_node), msg, component, value, prop, path_node)

        generic = steps if len(steps) <= 2 else None
        path = "/".join(steps)
        if lo:
            optional = f"OPTIONAL {{ ?this {path} ?_v }}"
            count = f"{{ SELECT ?this (COUNT(DISTINCT ?_v) AS ?_n) WHERE {{ {{FOCUS}} {optional} }}"
            if lo == 1 and generic:
                self.row("min1", owner, generic, self.check(check("MinCountConstraintComponent", "none")))
            else:
                body = f"{count} GROUP BY ?this }} FILTER(?_n < {lo})"
                self.branch(owner, body, check("MinCountConstraintComponent", "none"))
        if hi is not None:
            if hi == 1 and generic:
                self.row("max1", owner, generic, self.check(check("MaxCountConstraintComponent", "none")))
            else:
                body = (f"{{ SELECT ?this (COUNT(DISTINCT ?_v) AS ?_n) WHERE {{ {{FOCUS}} ?this {path} ?_v }}"
                        f" GROUP BY ?this }} FILTER(?_n > {hi})")
                self.branch(owner, body, check("MaxCountConstraintComponent", "none"))
        for component, kind, payload in own:
            if generic:
                self.row(kind, owner, generic, self.check(check(component, "value")), str(payload))
        if not generic:
            for component, cond in self.expression(prop, "?value"):
                self.branch(owner, f"?this {path} ?value . FILTER(!{cond})", check(component, "value"))
        for component, cond in logic:
            self.branch(owner, f"?this {path} ?value . FILTER(!{cond})", check(component, "value"))
        for sparql in self.g.objects(prop, SH.sparql):
            self.sparql(owner, prop, sparql, sev, path_node, "value")

    def sparql(self, owner: str, shape: Node, node: Node, sev: str, path: Node | None, value: str) -> None:
        self.allow(node, _SPARQL, "SPARQL constraint")
        select = self.one(node, SH.select)
        if not (isinstance(select, Literal) and isinstance(select.value, str)):
            raise UnsupportedShapes(f"{node}: needs one sh:select string")
        prefixes = self.declared(node)
        text = str(select.value)
        _check_select(text, prefixes, node)
        for name, ns in prefixes.items():
            if self.prefixes.setdefault(name, ns) != ns:
                raise UnsupportedShapes(f"prefix {name}: declared with two namespaces")
        msg = self.message(shape, node)
        name = str(shape) if isinstance(shape, URIRef) else owner
        path_str = None if path is None else str(path)
        check = Check(sev, name, path_str, msg, "SPARQLConstraintComponent", value, shape, path)
        self.branch(owner, f"{{ {minus_for_not_exists(text, prefixes)} }}", check)

    def declared(self, node: Node) -> dict[str, str]:
        """The prefixes pySHACL gives one SPARQL constraint (its `collect_prefixes`, with its rules)."""
        onts = set(self.g.subjects(RDF.type, OWL.Ontology))
        global_declares = set(self.g.objects(self.g.identifier, SH.declare))
        for o in onts:
            global_declares |= set(self.g.objects(o, SH.declare))
        found: dict[str, str] = {}
        for val in self.g.objects(node, SH.prefixes):
            own = set(self.g.objects(val, SH.declare))
            self.allow(val, {SH.declare}, "prefixes")
            graph_declares = set(self.g.objects(self.g.identifier, SH.declare))
            declares = own | graph_declares if own and val in onts else global_declares | own
            for dec in declares:
                self.allow(dec, {SH.prefix, SH.namespace}, "prefix declaration")
                prefix, ns = self.one(dec, SH.prefix), self.one(dec, SH.namespace)
                if prefix is None or ns is None or found.setdefault(str(prefix), str(ns)) != str(ns):
                    raise UnsupportedShapes(f"{dec}: a prefix declaration needs one sh:prefix and one sh:namespace")
        return found

    # --- the whole graph ------------------------------------------------------------------------

    def run(self) -> Compiler:
        shapes = set(self.g.subjects(SH.targetClass, None)) | set(self.g.subjects(RDF.type, SH.NodeShape))
        for ont in self.g.subjects(RDF.type, OWL.Ontology):
            self.allow(ont, {SH.declare}, "prefixes")
            for dec in self.g.objects(ont, SH.declare):
                self.allow(dec, {SH.prefix, SH.namespace}, "prefix declaration")
        for shape in sorted(shapes, key=str):
            if self.one(shape, SH.path) is not None:
                raise UnsupportedShapes(f"{shape}: targets on a property shape are not compiled")
            self.node_shape(shape)
        for s, p, o in self.g:
            shacl = str(p).startswith(str(SH)) or (p == RDF.type and str(o).startswith(str(SH)))
            if shacl and s not in self.accounted:
                raise UnsupportedShapes(f"{s}: {p} is outside what the compiler reads "
                                        "(a construct it does not implement)")
        return self


_PATTERNS_OK = {"SelectQuery", "Project", "Distinct", "Filter", "Join", "BGP", "GroupGraphPatternSub", "TriplesBlock"}
_EXPRESSIONS_OK = {"UnaryNot", "UnaryMinus", "UnaryPlus", "Function"}


def _walk(node: object, where: Node) -> None:
    """Refuse SPARQL outside conjunctive patterns with filters, where joining equals pre-binding $this."""
    if isinstance(node, CompValue):
        name = node.name
        ok = name in _PATTERNS_OK or name in _EXPRESSIONS_OK or name.endswith("Expression") or (
            name.startswith("Builtin_") and not name.startswith("Builtin_Aggregate"))
        if not ok:
            raise UnsupportedShapes(f"{where}: SPARQL {name} is not compiled (only joins, filters and EXISTS)")
    if isinstance(node, dict):
        for value in node.values():
            _walk(value, where)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _walk(item, where)


def _top_triples(node: CompValue) -> Iterable[tuple]:
    """Triple patterns of the top-level conjunction (not inside EXISTS)."""
    if node.name == "BGP":
        yield from node["triples"]
    for key in ("p", "p1", "p2"):
        if isinstance(node.get(key), CompValue):
            yield from _top_triples(node[key])


def _check_select(text: str, prefixes: dict[str, str], where: Node) -> None:
    if not text.lstrip().upper().startswith("SELECT"):
        raise UnsupportedShapes(f"{where}: the SELECT must come first (no PREFIX or BASE inside sh:select)")
    if re.search(r"\$(PATH|currentShape|shapesGraph|value)\b", text):
        raise UnsupportedShapes(f"{where}: pre-bound variables other than $this are not compiled")
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    try:
        algebra = prepareQuery(prologue + text).algebra
    except Exception as exc:  # noqa: BLE001 - rdflib's parser raises errors of many kinds
        raise UnsupportedShapes(f"{where}: the SELECT does not parse: {exc}") from exc
    projected = {str(v) for v in algebra.get("PV", [])}
    if "this" not in projected or not projected <= {"this", "value"} or algebra.get("datasetClause"):
        raise UnsupportedShapes(f"{where}: the SELECT must project $this (and ?value) only")
    _walk(algebra, where)
    if not any(Variable("this") in (t[0], t[2]) for t in _top_triples(algebra)):
        raise UnsupportedShapes(f"{where}: $this must appear in a top-level triple pattern")


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{([^{}]*)\}(\s*\}\s*)$", re.I)
_NOT_PLAIN = re.compile(r"(?<![?$:\w])(FILTER|BIND|OPTIONAL|VALUES|GRAPH|SERVICE|MINUS|UNION|SELECT)\b", re.I)
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z_0-9]*)")


def minus_for_not_exists(text: str, prefixes: dict[str, str]) -> str:
    """The SELECT with a closing `FILTER NOT EXISTS { P }` written `MINUS { P }`, where both mean the same.

    pyoxigraph evaluates NOT EXISTS without the outer bindings (it scans P once per outer row), so
    over a whole store such a constraint grows with the square of the data; MINUS joins once. The
    two agree when P is plain triple patterns, shares a variable with the rest of the query, and
    every shared variable is bound by the rest's triple patterns in every solution (the SELECT
    passed `_check_select`: the rest is conjunctive, so it is), and the FILTER ends the WHERE
    group, where MINUS applies to everything before it. Otherwise the text is returned as it is.
    """
    found = _NOT_EXISTS.search(text)
    if found is None or _NOT_PLAIN.search(found.group(1)):
        return text
    rest = text[: found.start()] + found.group(2)
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    try:
        algebra = prepareQuery(prologue + rest).algebra
    except Exception:  # noqa: BLE001 - rdflib's parser raises errors of many kinds; then keep NOT EXISTS
        return text
    bound = {str(t) for triple in _top_triples(algebra) for t in (triple[0], triple[2]) if isinstance(t, Variable)}
    where = rest[rest.upper().index("WHERE"):]
    shared = set(_VARIABLE.findall(found.group(1))) & set(_VARIABLE.findall(where))
    if not shared or not shared <= bound:
        return text
    return f"{text[: found.start()]}MINUS {{{found.group(1)}}}{found.group(2)}"


def _focus(classes: str) -> str:
    """Bind ?this to the focus nodes that are instances of the classes (found once per validation)."""
    pairs = f"GRAPH <{PAIRS_GRAPH.value}> {{ ?this <{FN}in> ?_c }}"
    return f"{{ SELECT DISTINCT ?this WHERE {{ VALUES ?_c {{ {classes} }} {pairs} }} }}"


@dataclass(frozen=True)
class Row:
    """One simple constraint on the instances of one target class, checked in Python (kg.validation.engine).

    `kind` is "min1" (a value exists), "max1" (at most one distinct value), "class" (every value
    is an instance of `x` through rdf:type/rdfs:subClassOf*) or "test" (every value passes test
    number `x`); `steps` is the path: none (the focus node itself), one or two predicates.
    """

    kind: str
    k: int
    steps: tuple[ox.NamedNode, ...]
    x: ox.NamedNode | int | None


def generic_rows(compiler: Compiler) -> dict[ox.NamedNode, tuple[Row, ...]]:
    """The generic rows by target class, in compilation order."""
    by_class: dict[ox.NamedNode, list[Row]] = {}
    for (kind, _), rows in sorted(compiler.rows.items()):
        for row in rows:
            steps = tuple(ox.NamedNode(row[c][1:-1]) for c in ("p", "q") if row[c] is not None)
            x = row["x"]
            cell = None if x is None else ox.NamedNode(x[1:-1]) if x.startswith("<") else int(x)
            by_class.setdefault(ox.NamedNode(row["c"][1:-1]), []).append(Row(kind, int(row["k"]), steps, cell))
    return {c: tuple(rows) for c, rows in by_class.items()}


def branches(compiler: Compiler) -> tuple[tuple[frozenset[ox.NamedNode], str], ...]:
    """The constraints that are not generic rows, as UNION branches with the target classes they need.

    Every branch joins its focus nodes from the pairs graph, so a branch none of whose classes
    has an instance among the focus nodes finds nothing and need not run.
    """
    found = []
    for shape, body in compiler.branches:
        if compiler.focus[shape]:
            f = _focus(" ".join(compiler.focus[shape]))
            classes = frozenset(ox.NamedNode(c[1:-1]) for c in compiler.focus[shape])
            found.append((classes, f"{{ {f} {body.replace('{FOCUS}', f)} }}"))
    return tuple(found)


def prologue(compiler: Compiler) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(compiler.prefixes.items()))


def queries(prologue: str, branches: list[str], *, chunk: int = 8) -> list[str]:
    """Few, small queries: pyoxigraph's planning time grows with the square of a UNION's branches."""
    parts = [branches[i : i + chunk] for i in range(0, len(branches), chunk)]
    return [prologue + "SELECT DISTINCT ?k ?this ?value WHERE {\n" + "\nUNION\n".join(p) + "\n}" for p in parts]
