"""RDF terms made ready for the HTML templates: text to show, where to link, what it is.

Templates only print these values (with autoescape), so every decision about how a term reads
lives here and is tested once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.jsonld import compact
from kg.resource_description import local_name
from kg.web.links import base_iri, url_for_iri

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class TermView:
    """One term as shown: `text`, a link `url` (None for literals), a note (language, datatype)."""

    text: str
    url: str | None = None
    iri: str | None = None
    note: str | None = None
    kind: str = "iri"  # iri, bnode, literal


def term_view(term: ox.NamedNode | ox.BlankNode | ox.Literal, labels: dict[str, str]) -> TermView:
    """Show an IRI by its label (or compact name), a literal by its value, a blank node by its id."""
    if isinstance(term, ox.NamedNode):
        text = labels.get(term.value) or _short(term.value)
        return TermView(text, url_for_iri(term.value), term.value)
    if isinstance(term, ox.BlankNode):
        return TermView(f"_:{term.value}", kind="bnode")
    note = term.language or (None if term.datatype.value in (XSD_STRING, LANG_STRING) else compact(term.datatype.value))
    return TermView(term.value, note=note, kind="literal")


def _short(iri: str) -> str:
    """A name for an unlabelled IRI: kg's own by their path ('article/5814…/statement/1'), others by CURIE."""
    if iri.startswith(base_iri()):
        return iri[len(base_iri()) :].removeprefix("id/")
    curie = compact(iri)
    return curie if curie != iri else local_name(iri)


@dataclass(frozen=True)
class Row:
    """A predicate and the values it links to, one row of a property table."""

    predicate: TermView
    values: list[TermView]


def rows(pairs: Iterable[tuple[ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]], labels: dict) -> list[Row]:
    """Group (predicate, value) pairs into rows, predicates in name order, rdf:type first."""
    grouped: dict[str, list] = {}
    for predicate, value in pairs:
        grouped.setdefault(predicate.value, []).append(value)
    order = sorted(grouped, key=lambda p: (compact(p) != "rdf:type", compact(p)))
    return [
        Row(
            TermView(compact(p), url_for_iri(p), p),
            [term_view(v, labels) for v in sorted(grouped[p], key=lambda v: str(v))],
        )
        for p in order
    ]
