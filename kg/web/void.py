"""/.well-known/void: the VoID description (RFC 8615 well-known location, VoID section 7.2).

Counted from the store on request and cached against the store's change marker, so a poll
costs one grouped count and the statistics are recounted only after the data changed. The
answer is Turtle by default, other RDF formats by Accept (the SPARQL graph table).
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from kg.sparql.negotiate import GRAPHS, choose
from kg.void import Links, void_triples
from kg.web.conditional import DUMPS, conditional
from kg.web.links import base_iri, root
from kg.web.representations import rdf_bytes
from kg.web.services import services

bp = Blueprint("void", __name__)


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
def void() -> Response:
    """Describe the dataset with VoID."""
    choice = choose(GRAPHS, request.headers.get("Accept"))
    marker = services().current_marker()
    url = f"{root()}.well-known/void"
    links = Links(
        dataset=f"{url}#dataset",
        sparql=f"{root()}sparql",
        dumps=[f"{root()}dump.{ext}" for ext in DUMPS],
        uri_space=base_iri(),
        modified=marker.last_modified,
    )
    body = rdf_bytes(void_triples(services().current_statistics(), links), choice)
    response = Response(body, content_type=choice.content_type)
    response.vary.add("Accept")
    return conditional(response, marker, choice.media_type.replace("/", "-"))
