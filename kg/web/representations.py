"""The representations a linked-data document takes: HTML or an RDF format, by Accept or extension.

The table reuses kg.sparql.negotiate's graph formats and adds HTML, so the same Accept rules
(q-values, aliases, specificity) apply. Turtle comes first: a client that sends `*/*` (curl,
crawlers) gets data, a browser (which asks for text/html by name) gets the page.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg import jsonld
from kg.namespaces import PREFIX_IRIS
from kg.sparql.negotiate import GRAPHS, Choice, Table, choose

HTML = "text/html"
EXTENSIONS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "html": HTML,
}
_BY_TYPE = {media_type: ext for ext, media_type in EXTENSIONS.items()}
DOCUMENTS = Table(
    name="linked-data document",
    formats=tuple((m, f) for m, f in GRAPHS.formats if m in _BY_TYPE) + ((HTML, ox.RdfFormat.TURTLE),),
    aliases={**{a: c for a, c in GRAPHS.aliases.items() if c in _BY_TYPE}, "application/xhtml+xml": HTML},
    keywords={},
)


def split_extension(path: str) -> tuple[str, str | None]:
    """'person/alice.ttl' -> ('person/alice', 'text/turtle').

    A dot followed by anything but a known extension is part of the IRI's path: the loader's
    agent is minted as `id/agent/kg-loader/0.1.0`, and its page is `/doc/agent/kg-loader/0.1.0`.
    """
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext in EXTENSIONS:
        return stem, EXTENSIONS[ext]
    return path, None


def negotiate(accept: str | None, media_type: str | None = None) -> Choice:
    """The extension's media type when given, else the best match for Accept (406 when none)."""
    if media_type is not None:
        return DOCUMENTS.choice(media_type)
    return choose(DOCUMENTS, accept)


def link_header(url: str) -> str:
    """`Link` alternates of the document at `url` (no extension), one per representation."""
    return ", ".join(f'<{url}.{ext}>; rel="alternate"; type="{m}"' for ext, m in EXTENSIONS.items())


def extension_of(media_type: str) -> str:
    return _BY_TYPE[media_type]


def rdf_bytes(triples: Iterable[ox.Triple], choice: Choice) -> bytes:
    """Serialize `triples` as `choice` says: JSON-LD with kg's context inline, others with prefixes."""
    if choice.media_type == "application/ld+json":
        return "".join(jsonld.write(triples, jsonld.context())).encode()
    prefixes = PREFIX_IRIS if choice.format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=choice.format, prefixes=prefixes)
