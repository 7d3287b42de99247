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
default graph directly: the default graph is derived, never written.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from urllib.parse import urljoin

import pyoxigraph as ox

from kg.errors import InputError, QueryRefused, QuerySyntaxError, UsageError, ValidationFailed
from kg.report import as_json
from kg.sparql.guard import Token, tokens
from kg.store.base import Store, drop_graph_update, replace_graph_update, skolemize
from kg.validate import ValidationResult

Validator = Callable[[ox.NamedNode, set[ox.Triple]], ValidationResult]
Change = dict[ox.NamedNode, set[ox.Triple]]  # graph -> its new triples (empty: the graph goes)
write_lock = threading.Lock()  # one write at a time: read, validate and commit see one state
_REFUSED_WORDS = {"DEFAULT", "NAMED", "ALL"}


def graph_triples(store: Store, graph: ox.NamedNode) -> set[ox.Triple]:
    return set(store.triples(graph))


def commit(store: Store, change: Change, validate: Validator) -> list[ox.NamedNode]:
    """Validate the changed graphs, then apply them in one update; return the graphs changed.

    Blank nodes are skolemized first, with one mapping for the whole write, so a blank node the
    request shares between graphs stays one node (as an IRI: the default graph is kept as the
    merge of the named graphs, which needs terms that match across graphs).
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


def write_graphs(store: Store, compute: Callable[[], Change], validate: Validator) -> list[ox.NamedNode]:
    """Compute a change under the write lock and commit it: no write slips in between."""
    with write_lock:
        return commit(store, compute(), validate)


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
