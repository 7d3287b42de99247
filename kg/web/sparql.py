"""The SPARQL 1.1 query endpoint, /sparql: parse, run, negotiate, write.

All protocol rules live in `kg.sparql`; this view only hands the request to them. Updates are
refused here (they will have their own endpoint, /update).
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from kg.sparql import choose, execute, parse_query_request, serialize, table_for
from kg.web import get_store

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "POST"])
def query() -> Response:
    """Answer a SPARQL query sent by GET, form POST or direct POST."""
    parsed = parse_query_request(
        request.method,
        request.mimetype,
        request.args.items(multi=True),
        request.get_data(cache=False) if request.method == "POST" else b"",
        request.mimetype_params.get("charset"),
    )
    result = execute(get_store(), parsed)
    choice = choose(table_for(result), request.headers.get("Accept"), parsed.formats)
    response = Response(serialize(result, choice), content_type=choice.content_type)
    response.vary.add("Accept")
    return response
