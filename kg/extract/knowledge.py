"""Read the extraction knowledge: word lists and tables kept as data files, not code.

The rules in `kg.extract` read the genre through these lists (titles, signal words, event
kinds, ...). They live in `kg/extract/knowledge/*.tsv` so that a user extends them without
touching Python: one row per entry, tab-separated columns named by the first row, `#` starts a
comment line, blank lines are skipped. A file of the same name in the folder named by the
setting `KG_KNOWLEDGE_DIR` adds its rows to the shipped ones (same header).

Countries are reference data (RDF): they are read from the `schema:Country` entries of the
reference files (ontology/reference*.ttl), the one place they are listed.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["country_names", "rank_labels", "table", "words"]


def _rows(text: str, where: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = []
    for n, row in enumerate(reader, start=2):
        if None in row:
            raise ValueError(f"{where}: data row {n} has more columns than the header")
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return rows


def _extra_dir() -> Path | None:
    from kg.config import load_settings

    folder = load_settings().knowledge_dir
    return Path(folder) if folder else None


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of `knowledge/<name>.tsv` as dicts keyed by the header row, then the user's own rows."""
    source = resources.files("kg.extract").joinpath("knowledge", f"{name}.tsv")
    try:
        rows = _rows(source.read_text(encoding="utf-8"), f"{name}.tsv")
    except FileNotFoundError as error:
        raise FileNotFoundError(f"extraction knowledge file {name}.tsv is missing") from error
    extra = _extra_dir()
    if extra is not None and (extra / f"{name}.tsv").is_file():
        path = extra / f"{name}.tsv"
        rows += _rows(path.read_text(encoding="utf-8"), str(path))
    return tuple(rows)


@cache
def words(name: str, column: str | None = None) -> tuple[str, ...]:
    """One column of `knowledge/<name>.tsv` (the first by default), in file order."""
    rows = table(name)
    if not rows:
        return ()
    key = column or next(iter(rows[0]))
    return tuple(row[key] for row in rows if row.get(key))


@cache
def _reference_graph():
    """The reference data (ontology/reference*.ttl, or the folder KG_ONTOLOGY_DIR names), parsed once."""
    from rdflib import Graph

    from kg.config import load_settings

    graph = Graph()
    for path in sorted(Path(load_settings().ontology_dir).glob("reference*.ttl")):
        graph.parse(path, format="turtle", publicID="https://kg.example.org/")
    return graph


@cache
def country_names() -> tuple[dict[str, str], dict[str, str]]:
    """Every name a country goes by (name and alternate names) and every demonym, each mapped
    to the country's name, as the reference data lists them."""
    from rdflib.namespace import RDF

    from kg.namespaces import KG, SCHEMA

    graph = _reference_graph()
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for country in graph.subjects(RDF.type, SCHEMA.Country):
        name = str(graph.value(country, SCHEMA.name))
        names[name] = name
        for alias in graph.objects(country, SCHEMA.alternateName):
            names.setdefault(str(alias), name)
        for demonym in graph.objects(country, KG.demonym):
            demonyms.setdefault(str(demonym), name)
    return names, demonyms


@cache
def rank_labels() -> tuple[str, ...]:
    """Every label of every rank in the reference rank schemes (preferred, alternative, hidden)."""
    from rdflib.namespace import RDF, SKOS

    from kg.namespaces import KG

    graph = _reference_graph()
    labels = {
        str(label)
        for rank in graph.subjects(RDF.type, KG.Rank)
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
        for label in graph.objects(rank, prop)
    }
    return tuple(sorted(labels, key=len, reverse=True))
