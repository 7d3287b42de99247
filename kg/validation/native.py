"""Whole-store validation run by pyoxigraph itself: every compiled constraint is a SPARQL query.

Reading every triple of a store into Python to check the simple constraints from an index cost
most of the time (86 s at a million triples, about 9 µs a triple only to iterate them). Here
the simple constraints (the `Row`s of kg.validation.compile) are SPARQL too, run over the store
beside the constraints that were queries already: counts, paths, classes and focus nodes are
found inside the store and only the violations come back to Python.

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


def nodes_with_values(probe: Probe, types: Iterable[ox.NamedNode], refused: list[Term]) -> str:
    """The targets with one of the refused values (blank nodes, which VALUES cannot name, are tested again)."""
    named = " ".join(str(v) for v in refused if not isinstance(v, ox.BlankNode))
    path = _path(probe.steps)
    branches = []
    if named:
        reach = f"?this {path} ?value" if probe.steps else "BIND(?value AS ?this)"
        branches.append(f"VALUES ?value {{ {named} }} {reach} .")
    if any(isinstance(v, ox.BlankNode) for v in refused):
        reach = f"?this {path} ?value ." if probe.steps else f"{_targets(types)} BIND(?this AS ?value)"
        branches.append(f"{reach} FILTER(isBlank(?value) && !{_TEST}(?value, {probe.x}))")
    union = " UNION ".join(f"{{ {b} {_targets(types)} }}" for b in branches)
    return f"SELECT DISTINCT ?this ?_t ?value WHERE {{ {union} }}"


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
    """The value tests: in Python (`run`, with pySHACL's meaning), as SPARQL where exact, and as a custom function."""

    run: tuple[Callable[[Term, dict], bool], ...]
    sparql: tuple[str | None, ...]
    functions: dict


def _answer(store: ox.Store, probe: Probe, types: frozenset[ox.NamedNode], closure: Closure,
            tests: Tests) -> list[tuple[Term, Term, Term | None]]:
    """The (node, its target type, value) rows that break `probe`."""
    condition = tests.sparql[probe.x] if probe.kind == "test" else None
    if probe.kind != "test" or condition is not None:
        return _rows_of(store, probe_query(probe, types, closure, condition), tests.functions)
    test = tests.run[probe.x]
    refused = [r["value"] for r in store.query(refused_values(probe, types)) if not test(r["value"], {})]
    if not refused:
        return []
    return _rows_of(store, nodes_with_values(probe, types, refused), tests.functions)


def _rows_of(store: ox.Store, query: str, functions: dict) -> list[tuple[Term, Term, Term | None]]:
    return [(r["this"], r["_t"], r["value"]) for r in store.query(query, custom_functions=functions)]


def run_queries(store: ox.Store, queries: list[str], functions: dict, pool: ThreadPoolExecutor,
                read: Callable[[ox.QuerySolution], tuple]) -> list[tuple]:
    """Run the queries on the pool's threads; the rows of all of them, each read by `read`."""
    jobs = [pool.submit(lambda q: [read(r) for r in store.query(q, custom_functions=functions)], q)
            for q in queries]
    return [row for job in jobs for row in job.result()]
