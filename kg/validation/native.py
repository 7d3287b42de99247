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
- a max-count, class or value test first finds what breaks it over the whole path (a grouped
  count, an anti-join, the test asked once per distinct value), and only then reads the types of
  those few nodes to keep the targets: joining every node of the path with its types costs more
  than the test itself (1.7 s against 0.05 s for one path at a million triples), and a
  conforming store has nothing to join;
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
_RDF_TYPE, _VALUE = ox.NamedNode(str(RDF.type)), ox.Variable("value")
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


def missing_query(probe: Probe, types: Iterable[ox.NamedNode]) -> str:
    """min1: the targets with no value on the path (MINUS is one anti-join; NOT EXISTS is asked row by row)."""
    return f"SELECT DISTINCT ?this ?_t WHERE {{ {_targets(types)} MINUS {{ ?this {_path(probe.steps)} ?_v }} }}"


def breaking_query(probe: Probe, closure: Closure, condition: str | None = None) -> str:
    """The nodes (?this) and values (?value) that break `probe` over the whole path, targets or not.

    max1: nodes with two values, by a grouped count. class: values that are no instance of the
    class (an anti-join). test: the distinct values that fail `condition`, the test as SPARQL
    (grouped: pyoxigraph moves a FILTER over a DISTINCT down to every triple, and evaluating one
    reads the term, a lookup for a long string), or with no condition every distinct value, for
    the test in Python. On the targets themselves (no path) a test asks each target.
    """
    path = _path(probe.steps)
    if probe.kind == "max1":
        count = "COUNT(*)" if len(probe.steps) == 1 else "COUNT(DISTINCT ?_v)"  # a store's triples are distinct
        return f"SELECT ?this WHERE {{ ?this {path} ?_v }} GROUP BY ?this HAVING ({count} > 1)"
    if probe.kind == "class":
        instances = f"VALUES ?_d {{ {_types(closure[probe.x])} }} ?value {_TYPE} ?_d"
        return f"SELECT DISTINCT ?this ?value WHERE {{ ?this {path} ?value MINUS {{ {instances} }} }}"
    if probe.kind == "test":
        refused = "" if condition is None else f"FILTER(!{condition})"
        return f"SELECT ?value WHERE {{ {{ SELECT ?value WHERE {{ ?_s {path} ?value }} GROUP BY ?value }} {refused} }}"
    raise ValueError(f"no query for a row of kind {probe.kind!r}")


def refused_targets_query(types: Iterable[ox.NamedNode], condition: str | None = None) -> str:
    """A test on the targets themselves: the targets that fail `condition` (every target, with none)."""
    refused = "" if condition is None else f"FILTER(!{condition})"
    return f"SELECT DISTINCT ?value WHERE {{ {_targets(types)} BIND(?this AS ?value) {refused} }}"


def _targets(types: Iterable[ox.NamedNode]) -> str:
    return f"VALUES ?_t {{ {_types(types)} }} ?this {_TYPE} ?_t"


def holders_query(probe: Probe, named: list[Term]) -> str:
    """The nodes that have one of the values on the path (`named`: none a blank node, which VALUES cannot hold)."""
    return (f"SELECT DISTINCT ?this ?value WHERE {{ VALUES ?value {{ {' '.join(str(v) for v in named)} }}"
            f" ?this {_path(probe.steps)} ?value }}")


def holder_query(probe: Probe) -> str:
    """The nodes that have the value ?value on the path, a query run with ?value substituted."""
    return f"SELECT DISTINCT ?this ?value WHERE {{ ?this {_path(probe.steps)} ?value }}"


def read_closure(store: ox.Store, classes: Iterable[ox.NamedNode]) -> Closure | None:
    """Each class with its subclasses in the data; None when one is a blank node (VALUES cannot name it)."""
    found: dict[ox.NamedNode, set[ox.NamedNode]] = {c: {c} for c in classes}
    if found:
        for r in store.query(closure_query(found)):
            if not isinstance(r["sub"], ox.NamedNode):
                return None
            found[r["c"]].add(r["sub"])
    return {c: frozenset(subs) for c, subs in found.items()}


def _below(classes: Iterable[ox.NamedNode], closure: Closure) -> frozenset[ox.NamedNode]:
    return frozenset(t for c in classes for t in closure[c])


def run_rows(store: ox.Store, grouped: dict[Probe, list[Asked]], tests: Tests, pool: ThreadPoolExecutor
             ) -> Found | None:
    """What the rows find over the store's default graph (what the index in Python found on a small graph).

    None when a class below a target class is a blank node: the queries could not name it.
    """
    wanted = {c for asked in grouped.values() for a in asked for c in a.classes}
    wanted |= {p.x for p in grouped if p.kind == "class"}
    closure = read_closure(store, wanted)
    if closure is None:
        return None
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
    if probe.kind == "min1":
        return [(r["this"], r["_t"], None) for r in store.query(missing_query(probe, types))]
    if probe.kind == "test":
        return _targets_among(store, _refused(store, probe, types, tests), types)
    breaking = [(r["this"], r["value"]) for r in store.query(breaking_query(probe, closure))]
    return _targets_among(store, breaking, types)


def _refused(store: ox.Store, probe: Probe, types: frozenset[ox.NamedNode], tests: Tests) -> list[tuple[Term, Term]]:
    """(node, value) pairs whose value the test refuses; on the targets themselves, the node is the value."""
    condition = tests.sparql[probe.x]
    query = refused_targets_query(types, condition) if not probe.steps else breaking_query(probe, {}, condition)
    values = [r["value"] for r in store.query(query)]
    if condition is None:
        test = tests.run[probe.x]
        values = [v for v in values if not test(v, {})]
    if not probe.steps or not values:
        return [(v, v) for v in values]
    named = [v for v in values if not isinstance(v, ox.BlankNode)]
    pairs = [(r["this"], r["value"]) for r in store.query(holders_query(probe, named))] if named else []
    for blank in (v for v in values if isinstance(v, ox.BlankNode)):
        pairs += [(r["this"], r["value"]) for r in store.query(holder_query(probe), substitutions={_VALUE: blank})]
    return pairs


def _targets_among(store: ox.Store, pairs: list[tuple[Term, Term | None]], types: frozenset[ox.NamedNode]
                   ) -> list[tuple[Term, Term, Term | None]]:
    """The pairs whose node is a target, once per target type it has (few pairs: each read by its subject)."""
    kept, memo = [], {}
    for this, value in pairs:
        found = memo.get(this)
        if found is None:
            stated = store.quads_for_pattern(this, _RDF_TYPE, None, ox.DefaultGraph())
            found = memo[this] = [q.object for q in stated if q.object in types]
        kept.extend((this, t, value) for t in found)
    return kept


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
