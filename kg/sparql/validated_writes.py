"""Writes to named graphs that keep kg's invariants: validated first, applied atomically.

kg keeps the default graph as the merge of the named graphs (see `kg.store.base`), so every
write here ends as one SPARQL Update request made of `replace_graph_update` and
`drop_graph_update` parts, one per changed graph: atomic, and the default graph re-derived.
Before that, each changed graph that is not empty is validated against the shapes; if any
fails, nothing is written and `ValidationFailed` carries every report.

The rule for a raw SPARQL Update: it may read and write only the named graphs it names by IRI.
It is run first on a scratch in-memory store holding copies of those graphs (whose default
graph is their merge); the graphs that differ afterwards are the change. So an update that
names graphs by variable (`GRAPH ?g`), or addresses `DEFAULT`, `NAMED` or `ALL`, is refused
(it could reach graphs the scratch copy does not hold), and so is one that writes the scratch
default graph directly, or whose data blocks and templates hold triples outside `GRAPH` without
`WITH` (checked on the text, so a `DELETE DATA` of absent triples is refused too): the default
graph is derived, never written.

Each changed graph is validated on its own, and the write as a whole against the store around
the nodes it touches (`new_violations`), so a violation cannot be split across graphs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from urllib.parse import urljoin

import pyoxigraph as ox

from kg.errors import InputError, QueryRefused, QuerySyntaxError, UsageError, ValidationFailed
from kg.sparql.guard import Token, tokens
from kg.store.base import Store, drop_graph_update, replace_graph_update, skolemize
from kg.validation.report import as_json
from kg.validation.result import ValidationResult

Validator = Callable[[ox.NamedNode, set[ox.Triple]], ValidationResult]
# Validate `triples` (a view of the store) with only `focus` as targets.
ViewValidator = Callable[[set[ox.Triple], set[ox.NamedNode]], ValidationResult]
Change = dict[ox.NamedNode, set[ox.Triple]]  # graph -> its new triples (empty: the graph goes)
write_lock = threading.Lock()  # one write at a time: read, validate and commit see one state
_REFUSED_WORDS = {"DEFAULT", "NAMED", "ALL"}


def graph_triples(store: Store, graph: ox.NamedNode) -> set[ox.Triple]:
    return set(store.triples(graph))


def commit(
    store: Store, change: Change, validate: Validator, merged: ViewValidator | None = None
) -> list[ox.NamedNode]:
    """Validate the changed graphs, then apply them in one update; return the graphs changed.

    Blank nodes are skolemized first, with one mapping for the whole write, so a blank node the
    request shares between graphs stays one node (as an IRI: the default graph is kept as the
    merge of the named graphs, which needs terms that match across graphs). With `merged`, the
    write is also checked against the store as it would be afterwards (`new_violations`).
    """
    change = _skolemized(store, change)
    failures = {}
    for graph, triples in change.items():
        if triples:
            result = validate(graph, triples)
            if not result.conforms:
                failures[graph.value] = json.loads(as_json(result))
    if failures:
        raise ValidationFailed(
            f"{len(failures)} graph(s) would not conform to the shapes; nothing was written", detail=failures
        )
    if merged is not None and (found := new_violations(store, change, merged)):
        raise ValidationFailed(
            f"the write would leave {len(found)} violation(s) in the store, where it meets what other graphs "
            "say about the same nodes; nothing was written",
            detail={"violations": [vars(f) for f in found]},
        )
    parts = [replace_graph_update(g, list(t)) if t else drop_graph_update(g) for g, t in change.items()]
    if parts:
        store.update(" ;\n".join(parts))
    return list(change)


def _skolemized(store: Store, change: Change) -> Change:
    """The change with blank nodes replaced by skolem IRIs; a triple term is refused (400)."""
    order = [(graph, list(triples)) for graph, triples in change.items()]
    flat = [t for _, triples in order for t in triples]
    for t in flat:
        if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
            raise InputError(f"triple terms (RDF 1.2) are not stored by this service: {t}")
    fixed = skolemize(flat, store.skolem_prefix)
    result: Change = {}
    start = 0
    for graph, triples in order:
        result[graph] = set(fixed[start:start + len(triples)])
        start += len(triples)
    return result


def write_graphs(store: Store, compute: Callable[[], Change], validate: Validator,
                 merged: ViewValidator | None = None) -> list[ox.NamedNode]:
    """Compute a change under the write lock and commit it: no write slips in between."""
    with write_lock:
        return commit(store, compute(), validate, merged)


# --- the store as a write would leave it, around the nodes the write touches -------------------

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_CHUNK = 400  # IRIs per VALUES block


def new_violations(store: Store, change: Change, validate: ViewValidator) -> list:
    """Violations the change would add to the store, judged on every graph, not the changed ones alone.

    A shape can be walked around by splitting what it checks across graphs (a person typed in one
    graph and given a bad name in another, a second member added to a holding stated elsewhere,
    a reference graph deleted from under the nodes that link to it). So the focus nodes are every
    IRI the changed graphs held or will hold and every node that links to one of them; the data is
    what all graphs say about those nodes and the nodes they link to, before and after the change.
    A Violation found after and not before is the write's.
    """
    old = {graph: graph_triples(store, graph) for graph in change}
    touched = {term for triples in (*old.values(), *change.values()) for t in triples
               for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
    touched -= {t.object for triples in (*old.values(), *change.values()) for t in triples if t.predicate == _TYPE}
    if not touched:
        return []
    focus = touched | _linking(store, touched)
    before = validate(_view(store, focus, {}), focus)
    after = validate(_view(store, focus, change), focus)
    seen = {_key(f) for f in before.findings if f.severity == "Violation"}
    return [f for f in after.findings if f.severity == "Violation" and _key(f) not in seen]


def _key(finding) -> tuple:
    return (finding.focus, finding.shape, finding.path, finding.value, finding.constraint)


def _rows(store: Store, nodes: set[ox.NamedNode], pattern: str) -> Iterable:
    ordered = sorted(nodes, key=lambda n: n.value)
    for start in range(0, len(ordered), _CHUNK):
        values = " ".join(str(n) for n in ordered[start:start + _CHUNK])
        yield from store.query(f"SELECT * WHERE {{ VALUES ?n {{ {values} }} {pattern} }}")


def _linking(store: Store, nodes: set[ox.NamedNode]) -> set[ox.NamedNode]:
    """The IRIs whose triples, in any graph, point at one of `nodes`."""
    return {row["s"] for row in _rows(store, nodes, "GRAPH ?g { ?s ?p ?n }") if isinstance(row["s"], ox.NamedNode)}


def _view(store: Store, focus: set[ox.NamedNode], change: Change) -> set[ox.Triple]:
    """What all graphs say about `focus` and the nodes it links to, with the changed graphs replaced."""
    first = _described(store, focus, change)
    linked = {t.object for t in first if isinstance(t.object, ox.NamedNode) and t.predicate != _TYPE} - focus
    return first | _described(store, linked, change)


def _described(store: Store, nodes: set[ox.NamedNode], change: Change) -> set[ox.Triple]:
    if not nodes:
        return set()
    triples = {ox.Triple(row["n"], row["p"], row["o"]) for row in _rows(store, nodes, "GRAPH ?g { ?n ?p ?o }")
               if row["g"] not in change}
    return triples | {t for new in change.values() for t in new if t.subject in nodes}


def update_change(store: Store, update: str, base: str = "") -> Change:
    """The change a SPARQL Update makes, found by running it on a scratch copy of the graphs it names.

    Relative IRIs resolve against `base` (the request's URL), as the protocol's base IRI.
    """
    toks = list(tokens(update))
    _refuse_default_graph_templates(toks)
    named = _named_iris(toks, base)
    scratch = ox.Store()
    before: dict[ox.NamedNode, set[ox.Triple]] = {}
    for iri in named:
        graph = ox.NamedNode(iri)
        triples = graph_triples(store, graph)
        if triples:
            before[graph] = triples
            scratch.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
            scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    default_before = set(scratch.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    try:
        scratch.update(update, base_iri=base or None)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"update does not parse: {exc}") from exc
    if set(scratch.quads_for_pattern(None, None, None, ox.DefaultGraph())) != default_before:
        raise QueryRefused("an update must write named graphs (GRAPH <iri> or WITH <iri>): the default graph "
                           "is the merge of the named graphs and is never written directly")
    after = {g: {q.triple for q in scratch.quads_for_pattern(None, None, None, g)} for g in scratch.named_graphs()}
    missed = [g for g in after if g.value not in named and store.has_graph(g)]
    if missed:
        raise QueryRefused(f"the update writes <{missed[0].value}> without naming it by a full IRI; name it so")
    graphs = set(before) | set(after)
    return {g: after.get(g, set()) for g in graphs if after.get(g, set()) != before.get(g, set())}


def _named_iris(toks: list[Token], base: str) -> set[str]:
    """Every IRI the update's text names; refuse graph variables and DEFAULT / NAMED / ALL."""
    prefixes: dict[str, str] = {}
    iris: set[str] = set()
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word in _REFUSED_WORDS and not (word == "NAMED" and i and toks[i - 1].text.upper() == "USING"):
            raise QueryRefused(f"updates may not address {word} graphs here: name each graph by its IRI")
        if word == "GRAPH" and i + 1 < len(toks) and toks[i + 1].kind == "var":
            raise QueryRefused(f"updates may not name graphs by a variable ({toks[i + 1].text}): name each by its IRI")
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].text] = urljoin(base, toks[i + 2].text[1:-1])
        elif word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = urljoin(base, toks[i + 1].text[1:-1])
        elif tok.kind == "iri":
            iris.add(urljoin(base, tok.text[1:-1]))
        elif tok.kind == "pname" and (ns := prefixes.get(tok.text.partition(":")[0] + ":")) is not None:
            iris.add(ns + tok.text.partition(":")[2])
    return {iri for iri in iris if _is_iri(iri)}


_TEMPLATE_STARTS = {("INSERT", "DATA"), ("DELETE", "DATA"), ("DELETE", "WHERE"), ("INSERT", "{"), ("DELETE", "{")}


def _refuse_default_graph_templates(toks: list[Token]) -> None:
    """Refuse a data block or template that writes triples outside `GRAPH` (and not under `WITH`).

    Such a write aims at the default graph, which is derived: run on the scratch store it would
    change nothing there when it deletes absent triples, so it is refused on its text instead.
    """
    depth, with_graph, inside, direct, template_depth = 0, False, False, False, 0
    graph_at: int | None = None  # depth at which a GRAPH block inside the template opened
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else tok.text
        if depth == 0 and word == ";":
            with_graph = False
        if depth == 0 and word == "WITH":
            with_graph = True
        nxt = toks[i + 1].text.upper() if i + 1 < len(toks) else ""
        if depth == 0 and (word, nxt) in _TEMPLATE_STARTS:
            inside, template_depth = True, -1
            direct = nxt in ("DATA", "WHERE")
        if tok.text == "{":
            depth += 1
            if inside and template_depth < 0:
                template_depth = depth
        elif tok.text == "}":
            if graph_at == depth:
                graph_at = None
            depth -= 1
            if inside and depth < template_depth:
                inside = False
        elif inside and depth == template_depth and graph_at is None:
            if word == "GRAPH":
                graph_at = depth + 1
            elif tok.text != "." and not (with_graph and not direct):
                raise QueryRefused("an update may not write the default graph: it is the merge of the named "
                                   "graphs; put the triples in GRAPH <iri> { ... } or use WITH <iri>")


def with_using(text: str, default: tuple[str, ...], named: tuple[str, ...]) -> str:
    """The update with the protocol's `using-graph-uri` / `using-named-graph-uri` written as USING clauses.

    SPARQL 1.1 Protocol 2.2.3: they set the dataset of every operation with a WHERE clause, exactly
    as USING / USING NAMED would, and an update that has its own USING or WITH as well is an error.
    """
    if not (default or named):
        return text
    clauses = " ".join([*(f"USING {_iri(g, 'using-graph-uri')}" for g in default),
                        *(f"USING NAMED {_iri(g, 'using-named-graph-uri')}" for g in named)])
    toks = list(tokens(text))
    depth, inserts = 0, []
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word in ("USING", "WITH") and depth == 0:
            raise UsageError(f"the update has its own {word} and the request using-graph-uri or "
                             "using-named-graph-uri: give the dataset one way (SPARQL 1.1 Protocol 2.2.3)")
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
        elif word == "WHERE" and depth == 0:
            if i and toks[i - 1].text.upper() == "DELETE":
                raise UsageError("using-graph-uri cannot apply to DELETE WHERE { ... }; write "
                                 "DELETE { ... } WHERE { ... } instead")
            inserts.append(tok.start)
    for offset in reversed(inserts):
        text = f"{text[:offset]}{clauses} {text[offset:]}"
    return text


def _iri(value: str, param: str) -> str:
    if not _is_iri(value):
        raise UsageError(f"{param} is not an IRI: {value!r}")
    return f"<{value}>"


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def merged(old: Iterable[ox.Triple], new: Iterable[ox.Triple]) -> set[ox.Triple]:
    return set(old) | set(new)
