"""Read an RDF request body (Graph Store Protocol) within a budget, refusing what no parser should expand.

pyoxigraph's RDF/XML parser expands internal entities (a "billion laughs" document grows without
bound) and reads a document cut short as the triples it saw so far, so an unclosed `<rdf:RDF>`
would replace a graph with nothing. RDF/XML is therefore first checked by expat, with any DTD
refused before its entities are declared and a document that is not well-formed refused with its
line and column. Every format is then parsed lazily under a triple count and the request's
deadline, and a triple term (RDF 1.2) is refused: the store keeps RDF 1.1 graphs.
"""

from __future__ import annotations

import time
from xml.parsers import expat

import pyoxigraph as ox

from kg.errors import InputError, QueryTimeout

MAX_TRIPLES = 1_000_000  # per body; MAX_CONTENT_LENGTH bounds its bytes
_CHECK_EVERY = 10_000


class _Refused(Exception):
    """Raised from an expat handler to stop at the first DTD declaration."""


def check_xml(data: bytes) -> None:
    """Refuse a DTD (entity expansion) and a document that is not well-formed XML, naming where."""
    parser = expat.ParserCreate()

    def refuse_dtd(*_args: object) -> None:
        raise _Refused

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        parser.Parse(data, True)
    except _Refused:
        raise InputError(
            f"the RDF/XML body declares a DTD (line {parser.CurrentLineNumber}, column "
            f"{parser.CurrentColumnNumber + 1}); document type declarations and entities are refused"
        ) from None
    except expat.ExpatError as exc:
        raise InputError(f"the RDF/XML body is not well-formed XML: {expat.ErrorString(exc.code)} at line "
                         f"{exc.lineno}, column {exc.offset + 1}; nothing was written") from exc


def parse_triples(data: bytes, fmt: ox.RdfFormat, *, base_iri: str, deadline: float | None = None) -> set[ox.Triple]:
    """The triples of one graph's body; 400 for a syntax error (with its place), a named graph or a triple term."""
    if fmt == ox.RdfFormat.RDF_XML:
        check_xml(data)
    triples: set[ox.Triple] = set()
    try:
        for count, quad in enumerate(ox.parse(data, format=fmt, base_iri=base_iri), start=1):
            if quad.graph_name != ox.DefaultGraph():
                raise InputError("the body names graphs of its own; send one graph's triples")
            if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
                raise InputError(f"the body holds a triple term (RDF 1.2), which this service does not store: "
                                 f"{quad.triple}")
            triples.add(quad.triple)
            if count % _CHECK_EVERY == 0:
                if count > MAX_TRIPLES:
                    raise InputError(f"the body holds more than {MAX_TRIPLES:,} triples; send it in parts")
                if deadline is not None and time.monotonic() > deadline:
                    raise QueryTimeout("reading the body ran past the time limit; nothing was written")
    except SyntaxError as exc:
        raise InputError(f"the body is not valid {fmt.name}: {exc}") from exc
    return triples
