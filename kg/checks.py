"""The validation gate over files or the whole store (what `kg validate` and CI run)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph

from kg.config import Settings
from kg.errors import InputError
from kg.namespaces import bind_all
from kg.rdfterms import rdflib_graph
from kg.store import open_store
from kg.validate import ValidationResult, validate_graph


def read_rdf(path: Path) -> Graph:
    """Parse an RDF file (any format Oxigraph reads, by extension) into one graph, all graphs merged.

    Errors name the file, the line and the column, so a CI log points straight at the problem.
    """
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) if path.suffix else None
    if fmt is None:
        raise InputError(f"{path}: unknown RDF format (use .ttl, .nt, .nq, .trig, .jsonld or .rdf)")
    try:
        quads = list(ox.parse(path=str(path), format=fmt))
    except SyntaxError as exc:
        line, column = exc.lineno, exc.offset
        raise InputError(f"{path}:{line}:{column}: not valid {fmt.name}: {exc.msg}") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return rdflib_graph((q.triple for q in quads), bind_all(Graph()))


def fresh_blank_nodes(graph: Graph) -> Graph:
    """The same triples with new blank nodes: an RDF merge never joins two files' `_:b0`."""
    fresh: dict[BNode, BNode] = {}
    renamed = bind_all(Graph())
    for triple in graph:
        renamed.add(tuple(fresh.setdefault(t, BNode()) if isinstance(t, BNode) else t for t in triple))
    return renamed


def validate_files(files: tuple[Path, ...] | list[Path], shapes: Graph) -> ValidationResult:
    """Validate the merge of the given RDF files."""
    data = bind_all(Graph())
    for path in files:
        data += fresh_blank_nodes(read_rdf(path))
    return validate_graph(data, shapes)


def validate_store(settings: Settings, shapes: Graph) -> ValidationResult:
    """Validate the store's default graph: the merge of every article graph and the reference data."""
    store = open_store(settings, read_only=True)
    try:
        data = rdflib_graph(store.triples(), bind_all(Graph()))
    finally:
        store.close()
    return validate_graph(data, shapes)
