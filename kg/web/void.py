"""/.well-known/void: the VoID description (RFC 8615 well-known location, VoID section 7.2).

Counted from the store on request and cached against the store's change marker, so a poll
costs one grouped count and the statistics are recounted only after the data changed. The
answer is Turtle by default, other RDF formats by Accept (the SPARQL graph table).
"""

from __future__ import annotations

import threading

from flask import Blueprint, Response, current_app, request

from kg.sparql.negotiate import GRAPHS, choose
from kg.void import Links, Statistics, statistics, void_triples
from kg.web import get_store
from kg.web.dumps import DUMPS, conditional, current_marker
from kg.web.links import base_iri, root
from kg.web.representations import rdf_bytes

bp = Blueprint("void", __name__)
_CACHE = "kg.void"


class _Cache:
    """The statistics of one marker token; recounted when the token changes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.token: str | None = None
        self.stats = Statistics()


@bp.record_once
def _init(state) -> None:
    state.app.extensions.setdefault(_CACHE, _Cache())


def current_statistics() -> Statistics:
    """The store's statistics, counted again only if the store changed since the last count."""
    marker, cache = current_marker(), current_app.extensions[_CACHE]
    with cache.lock:
        if cache.token != marker.token:
            cache.stats, cache.token = statistics(get_store()), marker.token
        return cache.stats


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
def void() -> Response:
    """Describe the dataset with VoID."""
    choice = choose(GRAPHS, request.headers.get("Accept"))
    marker = current_marker()
    url = f"{root()}.well-known/void"
    links = Links(
        dataset=f"{url}#dataset",
        sparql=f"{root()}sparql",
        dumps=[f"{root()}dump.{ext}" for ext in DUMPS],
        uri_space=base_iri(),
        modified=marker.last_modified,
    )
    response = Response(rdf_bytes(void_triples(current_statistics(), links), choice), content_type=choice.content_type)
    response.vary.add("Accept")
    return conditional(response, marker, choice.media_type.replace("/", "-"))
