"""What `kg validate` reads: data files and folders, and the shapes (the user's, or kg's own).

Kept apart from the validation engine so that the CLI's inputs (several files, folders, any RDF
format for the shapes too) can change without touching how validation runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from kg.config import Settings
from kg.errors import InputError
from kg.namespaces import bind_all
from kg.validation.checks import fresh_blank_nodes, read_rdf
from kg.validation.shacl import load_shapes

# The file name endings `kg validate` reads inside a folder (and the pre-commit hook's `files`).
RDF_SUFFIXES = (".ttl", ".trig", ".nq", ".nt", ".jsonld", ".rdf")


def expand_rdf_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders replaced by the RDF files under them (recursively, in name order).

    Hidden files and folders (such as `.git`) are skipped, and an empty folder is an error, so
    that a mistyped path in a CI configuration cannot make validation pass by checking nothing.
    """
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(
            p for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in RDF_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not inside:
            raise InputError(f"{path}: no RDF files in this folder (looked for {', '.join(RDF_SUFFIXES)})")
        found.extend(inside)
    return found


def load_shapes_from(paths: Iterable[Path]) -> Graph:
    """One shapes graph from the given files and folders, each in any RDF format kg reads."""
    shapes = bind_all(Graph())
    for path in expand_rdf_paths(paths):
        shapes += fresh_blank_nodes(read_rdf(path))
    return shapes


def shapes_for(settings: Settings, given: tuple[Path, ...]) -> Graph:
    """The shapes `kg validate` uses: those given with --shapes, else kg's own (a missing folder is a ConfigError)."""
    return load_shapes_from(given) if given else load_shapes(settings.shapes_dir)
