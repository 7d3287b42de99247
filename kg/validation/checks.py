"""The validation gate over files or the whole store (what `kg validate` and CI run).

Both run the compiled shapes (kg.validation.engine, the engine the ingest gate uses) when the shapes
compile, and pySHACL otherwise; pySHACL is the reference the tests hold the compiled engine to
(tests/test_store_validation.py, tests/test_shacl_fast.py). Over a whole store every compiled
constraint is a query pyoxigraph runs on the store itself (kg.validation.native): a million
triples take seconds, where copying them into rdflib for pySHACL took minutes per hundred thousand.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph

from kg.config import Settings
from kg.errors import InputError
from kg.namespaces import bind_all
from kg.rdfterms import rdflib_graph
from kg.store.base import Store
from kg.store.existing import open_existing_store
from kg.validation.result import ValidationResult
from kg.validation.shacl import compiled_shapes, validate_graph

ENGINES = ("auto", "pyshacl")  # auto: compiled when the shapes compile, else pySHACL


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


def validate_files(files: tuple[Path, ...] | list[Path], shapes: Graph, *, engine: str = "auto") -> ValidationResult:
    """Validate the merge of the given RDF files."""
    data = bind_all(Graph())
    for path in files:
        data += fresh_blank_nodes(read_rdf(path))
    compiled = compiled_shapes(shapes) if engine == "auto" else None
    result = compiled.validate_graph(data) if compiled is not None else None  # None: literals pyoxigraph would change
    return result if result is not None else validate_graph(data, shapes)


def validate_store(settings: Settings, shapes: Graph, *, engine: str = "auto") -> ValidationResult:
    """Validate the store's default graph: the merge of every article graph and the reference data."""
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r} is not one of {ENGINES}")
    store = open_existing_store(settings)
    try:
        return validate_open_store(store, shapes, engine=engine)
    finally:
        store.close()


def validate_open_store(store: Store, shapes: Graph, *, engine: str = "auto") -> ValidationResult:
    """Validate an open store's default graph (what `validate_store` and a server's report page run).

    An embedded store is validated in place, every constraint a query in it; another store's
    triples are copied into an in-memory pyoxigraph store first; pySHACL gets an rdflib copy.
    """
    compiled = compiled_shapes(shapes) if engine == "auto" else None
    if compiled is not None:
        inner = getattr(store, "inner", None)
        if isinstance(inner, ox.Store):
            result = compiled.validate_store(inner)
        else:
            result = compiled.validate_store_triples(store.triples())
        if result is not None:  # None: a blank node among the classes, left to pySHACL
            return result
    return validate_graph(rdflib_graph(store.triples(), bind_all(Graph())), shapes)
