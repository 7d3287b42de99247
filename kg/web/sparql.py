"""The SPARQL 1.1 query endpoint, /sparql: guard, run under limits, negotiate, stream.

All protocol rules live in `kg.sparql`; this view only hands the request to them. Updates are
refused here (they have their own endpoint, /update). A GET with no query answers the SPARQL
1.1 Service Description. The endpoint is read-only, so any origin may call it (CORS).
"""

from __future__ import annotations

import time

import pyoxigraph as ox
from flask import Blueprint, Response, request

from kg.errors import QueryTimeout
from kg.sparql import GRAPHS, RESULTS, choose, parse_query_request
from kg.sparql.guard import check
from kg.sparql.negotiate import TRIPLE_TERM_GRAPHS
from kg.sparql.service_description import service_description_triples
from kg.web import get_settings, get_store
from kg.web.deadline import request_deadline
from kg.web.services import services

bp = Blueprint("sparql", __name__)
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def query() -> Response:
    """Answer a SPARQL query sent by GET, form POST or direct POST."""
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Allow": "GET, POST, OPTIONS"})
    deadline = request_deadline()
    if request.method == "GET" and not {"query", "update"} & request.args.keys():
        return service_description()
    parsed = parse_query_request(
        request.method,
        request.mimetype,
        request.args.items(multi=True),
        request.get_data(cache=False) if request.method == "POST" else b"",
        request.mimetype_params.get("charset"),
    )
    found = check(parsed.query, allow_service=get_settings().allow_service, deadline=deadline)
    table = GRAPHS if found.form in ("CONSTRUCT", "DESCRIBE") else RESULTS
    table = TRIPLE_TERM_GRAPHS if table is GRAPHS and found.triple_terms else table
    if deadline is not None and time.monotonic() > deadline:
        raise QueryTimeout("the request ran past the time limit (query_timeout) before its query started")
    choice = choose(table, request.headers.get("Accept"), parsed.formats)
    spent = 0.0 if deadline is None else get_settings().query_timeout - (deadline - time.monotonic())
    response = Response(services().runner.run(parsed, choice.format, spent=spent), content_type=choice.content_type)
    response.vary.add("Accept")
    return response


def service_description() -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in the RDF format asked for."""
    choice = choose(GRAPHS, request.headers.get("Accept"), request.args.getlist("format"))
    triples = service_description_triples(get_store(), get_settings(), endpoint=request.base_url)
    body = ox.serialize(triples, format=choice.format, prefixes=_SD_PREFIXES)
    response = Response(body, content_type=choice.content_type)
    response.vary.add("Accept")
    return response


_SD_PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "formats": "http://www.w3.org/ns/formats/",
    "void": "http://rdfs.org/ns/void#",
}


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """CORS on every answer of this read-only endpoint, errors included, so browsers can read them."""
    response.headers.update(CORS)
    return response

