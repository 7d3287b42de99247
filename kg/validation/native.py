"""Whole-store validation run by pyoxigraph itself: every compiled constraint is a SPARQL query.

Reading every triple of a store into Python to check the simple constraints from an index cost
most of the time (86 s at a million triples, about 9 µs a triple only to iterate them). Here
the simple constraints (the `Row`s of kg.validation.compile) are SPARQL too, run over the store
beside the constraints that were queries already: counts, paths, classes and focus nodes are
found inside the store and only the violations come back to Python. The value tests (datatype,
pattern, node kind, sh:in, sh:minInclusive) keep pySHACL's meaning: written as SPARQL where the
two agree on every term (kg.validation.values), else run in Python once per distinct value.

Three things keep the queries few and cheap over a large store:
- a `Probe` is one query shared by every row that asks the same of the same path (five shapes
  require one `kg:person`: one query), its answers mapped back to each row by the focus node's type;
- a max-count, class or value test first finds the values that break it over the whole path
  (a grouped count, an anti-join, the test asked once per distinct value), then keeps the nodes
  among them that are targets, so a conforming store costs one pass per path;
- targets are `?this rdf:type ?t` with `?t` among the target classes' subclasses, read once
  (the same set as pySHACL's rdf:type/rdfs:subClassOf*, without the path per query).
The queries run on a few threads: pyoxigraph releases the GIL while it evaluates.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS

from kg.validation.compile import Row
from kg.validation.values import FN

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Found = dict[tuple[int, Term, Term | None], str | None]  # (check number, focus node, value) -> value as given
Closure = dict[ox.NamedNode, frozenset[ox.NamedNode]]  # class -> itself and its subclasses in the data

_TYPE, _SUBCLASS = f"<{RDF.type}>", f"<{RDFS.subClassOf}>"
_TEST = f"<{FN}test>"
THREADS = max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Probe:
    """What one query asks of one path: `kind` and `x` as in `Row` (the class, or the test number)."""

    kind: str
    steps: tuple[ox.NamedNode, ...]
    x: ox.NamedNode | int | None


@dataclass(frozen=True)
class Asked:
    """A row's check number and the target classes it applies to."""

    k: int
    classes: frozenset[ox.NamedNode]


def probes(rows: dict[ox.NamedNode, tuple[Row, ...]]) -> dict[Probe, list[Asked]]:
    """Group the rows into probes, each with the checks (and their target classes) it answers."""
    classes_of: dict[Row, set[ox.NamedNode]] = {}
    for cls, of_class in rows.items():
        for row in of_class:
            classes_of.setdefault(row, set()).add(cls)
    grouped: dict[Probe, list[Asked]] = {}
    for row, classes in classes_of.items():
        grouped.setdefault(Probe(row.kind, row.steps, row.x), []).append(Asked(row.k, frozenset(classes)))
    return grouped


def closure_query(classes: Iterable[ox.NamedNode]) -> str:
    """Each class with itself and every class below it by rdfs:subClassOf steps in the data."""
    values = " ".join(sorted(str(c) for c in classes))
    return f"SELECT ?c ?sub WHERE {{ VALUES ?c {{ {values} }} ?sub {_SUBCLASS}* ?c }}"


def _path(steps: tuple[ox.NamedNode, ...]) -> str:
    return "/".join(str(s) for s in steps)


def _types(types: Iterable[ox.NamedNode]) -> str:
    return " ".join(sorted(str(t) for t in types))


def probe_query(probe: Probe, types: Iterable[ox.NamedNode], closure: Closure, condition: str | None = None) -> str:
    """The query answering `probe` for nodes of the given types: rows of ?this, its type ?_t, ?value.

    min1: a target with no value on the path (MINUS is one anti-join; NOT EXISTS would be asked
    row by row). max1: nodes with two values, by a grouped count over the path. class: values that
    are no instance of the class, over the path. test: values that fail `condition`, the test as
    SPARQL (a test that has none runs in Python: `refused_values`, then `nodes_with_values`).
    The last three find the breaking nodes first and only then ask whether they are targets.
    """
    path, targets = _path(probe.steps), _targets(types)
    if probe.kind == "min1":
        return f"SELECT DISTINCT ?this ?_t WHERE {{ {targets} MINUS {{ ?this {path} ?_v }} }}"
    if probe.kind == "max1":
        count = "COUNT(*)" if len(probe.steps) == 1 else "COUNT(DISTINCT ?_v)"  # a store's triples are distinct
        broken = f"SELECT ?this WHERE {{ ?this {path} ?_v }} GROUP BY ?this HAVING ({count} > 1)"
        return f"SELECT DISTINCT ?this ?_t WHERE {{ {{ {broken} }} {targets} }}"
    if probe.kind == "class":
        instances = f"VALUES ?_d {{ {_types(closure[probe.x])} }} ?value {_TYPE} ?_d"
        broken = f"SELECT DISTINCT ?this ?value WHERE {{ ?this {path} ?value MINUS {{ {instances} }} }}"
        return f"SELECT DISTINCT ?this ?_t ?value WHERE {{ {{ {broken} }} {targets} }}"
    if probe.kind == "test" and condition is not None:
        if not probe.steps:
            return f"SELECT DISTINCT ?this ?_t ?value WHERE {{ {targets} BIND(?this AS ?value) FILTER(!{condition}) }}"
        broken = f"SELECT DISTINCT ?this ?value WHERE {{ ?this {path} ?value FILTER(!{condition}) }}"
        return f"SELECT DISTINCT ?this ?_t ?value WHERE {{ {{ {broken} }} {targets} }}"
    raise ValueError(f"no single query for a row of kind {probe.kind!r}")


def _targets(types: Iterable[ox.NamedNode]) -> str:
    return f"VALUES ?_t {{ {_types(types)} }} ?this {_TYPE} ?_t"


def refused_values(probe: Probe, types: Iterable[ox.NamedNode]) -> str:
    """The distinct values a Python test is asked about: the path's over the whole store, or the targets."""
    if not probe.steps:
        return f"SELECT DISTINCT ?value WHERE {{ {_targets(types)} BIND(?this AS ?value) }}"
    return f"SELECT DISTINCT ?value WHERE {{ ?_s {_path(probe.steps)} ?value }}"


def nodes_with_values(probe: Probe, types: Iterable[ox.NamedNode], named: list[Term]) -> str:
    """The targets with one of the refused values (`named`: none a blank node, which VALUES cannot hold)."""
    values = f"VALUES ?value {{ {' '.join(str(v) for v in named)} }}"
    reach = f"?this {_path(probe.steps)} ?value ." if probe.steps else "BIND(?value AS ?this)"
    return f"SELECT DISTINCT ?this ?_t ?value WHERE {{ {values} {reach} {_targets(types)} }}"


def nodes_with_value(probe: Probe, types: Iterable[ox.NamedNode]) -> tuple[str, ox.Variable]:
    """The targets with one value (or that are it): a query, and the variable to substitute the value for."""
    if not probe.steps:  # substitute ?this: pyoxigraph did not substitute ?value inside a BIND expression
        query = f"SELECT DISTINCT ?this ?_t ?value WHERE {{ {_targets(types)} BIND(?this AS ?value) }}"
        return query, ox.Variable("this")
    query = f"SELECT DISTINCT ?this ?_t ?value WHERE {{ ?this {_path(probe.steps)} ?value . {_targets(types)} }}"
    return query, ox.Variable("value")


def read_closure(store: ox.Store, classes: Iterable[ox.NamedNode]) -> Closure:
    found: dict[ox.NamedNode, set[ox.NamedNode]] = {c: {c} for c in classes}
    if found:
        for r in store.query(closure_query(found)):
            if isinstance(r["sub"], ox.NamedNode):
                found[r["c"]].add(r["sub"])
    return {c: frozenset(subs) for c, subs in found.items()}


def _below(classes: Iterable[ox.NamedNode], closure: Closure) -> frozenset[ox.NamedNode]:
    return frozenset(t for c in classes for t in closure[c])


def run_rows(store: ox.Store, grouped: dict[Probe, list[Asked]], tests: Tests, pool: ThreadPoolExecutor) -> Found:
    """What the rows find over the store's default graph (what the index in Python found on a small graph)."""
    wanted = {c for asked in grouped.values() for a in asked for c in a.classes}
    wanted |= {p.x for p in grouped if p.kind == "class"}
    closure = read_closure(store, wanted)
    jobs = []
    for probe, asked in grouped.items():
        per_check = [(a.k, _below(a.classes, closure)) for a in asked]
        types = frozenset().union(*(t for _, t in per_check))
        jobs.append((probe, per_check, pool.submit(_answer, store, probe, types, closure, tests)))
    found: Found = {}
    for probe, per_check, job in jobs:
        with_value = probe.kind in ("class", "test")
        for this, t, value in job.result():
            for k, types in per_check:
                if t in types:
                    found[(k, this, value if with_value else None)] = value.value if with_value else None
    return found


@dataclass(frozen=True)
class Tests:
    """The value tests: in Python (`run`, with pySHACL's meaning), and as SPARQL conditions where exact."""

    run: tuple[Callable[[Term, dict], bool], ...]
    sparql: tuple[str | None, ...]


def _answer(store: ox.Store, probe: Probe, types: frozenset[ox.NamedNode], closure: Closure,
            tests: Tests) -> list[tuple[Term, Term, Term | None]]:
    """The (node, its target type, value) rows that break `probe`; no Python runs inside a query here.

    These run on worker threads: a Python test that logs with a traceback (rdflib does, for an
    ill-typed literal) would otherwise keep the query's frame, and with it pyoxigraph's result
    iterator, which must not be dropped on another thread.
    """
    condition = tests.sparql[probe.x] if probe.kind == "test" else None
    if probe.kind != "test" or condition is not None:
        return _rows_of(store, probe_query(probe, types, closure, condition))
    values = [r["value"] for r in store.query(refused_values(probe, types))]
    test = tests.run[probe.x]
    refused = [v for v in values if not test(v, {})]
    named = [v for v in refused if not isinstance(v, ox.BlankNode)]
    found = _rows_of(store, nodes_with_values(probe, types, named)) if named else []
    query, variable = nodes_with_value(probe, types)
    for blank in (v for v in refused if isinstance(v, ox.BlankNode)):
        found += _rows_of(store, query, substitutions={variable: blank})
    return found


def _rows_of(store: ox.Store, query: str, **options: object) -> list[tuple[Term, Term, Term | None]]:
    return [(r["this"], r["_t"], r["value"]) for r in store.query(query, **options)]


def run_queries(store: ox.Store, queries: list[str], functions: dict, pool: ThreadPoolExecutor,
                read: Callable[[ox.QuerySolution], tuple]) -> list[tuple]:
    """Run the queries, those that call no Python on the pool's threads; the rows of all, each read by `read`.

    A query that calls the Python tests runs on this thread (see `_answer` for why).
    """
    def rows(query: str) -> list[tuple]:
        return [read(r) for r in store.query(query, custom_functions=functions)]

    jobs = [pool.submit(rows, q) for q in queries if _TEST not in q]
    here = [row for q in queries if _TEST in q for row in rows(q)]
    return here + [row for job in jobs for row in job.result()]
