"""The validation gate over files or the whole store (what `kg validate` and CI run)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.util import guess_format

from kg.config import Settings
from kg.errors import InputError
from kg.namespaces import bind_all
from kg.rdfterms import rdflib_graph
from kg.store import open_store
from kg.validate import ValidationResult, validate_graph

_DATASET_FORMATS = {"trig", "nquads"}


def read_rdf(path: Path) -> Graph:
    """Parse an RDF file into one graph (all graphs of a dataset merged); errors name the file."""
    fmt = guess_format(str(path)) or "turtle"
    try:
        if fmt in _DATASET_FORMATS:
            ds = Dataset()
            ds.parse(path, format=fmt)
            merged = bind_all(Graph())
            for s, p, o, _g in ds.quads():
                merged.add((s, p, o))
            return merged
        return Graph().parse(path, format=fmt)
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"{path}: cannot parse as {fmt}: {exc}") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def validate_files(files: tuple[Path, ...] | list[Path], shapes: Graph) -> ValidationResult:
    """Validate the merge of the given RDF files."""
    data = bind_all(Graph())
    for path in files:
        data += read_rdf(path)
    return validate_graph(data, shapes)


def validate_store(settings: Settings, shapes: Graph) -> ValidationResult:
    """Validate the store's default graph: the merge of every article graph and the reference data."""
    store = open_store(settings, read_only=True)
    try:
        data = rdflib_graph(store.triples(), bind_all(Graph()))
    finally:
        store.close()
    return validate_graph(data, shapes)
