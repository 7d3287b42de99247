"""Named queries over HTTP: /queries lists them, /queries/NAME runs one (as `kg query --named NAME`).

Each answer goes through the same guard, limits and writers as /sparql; the format is chosen
by extension (`/queries/people.csv`), by `format=`, or by the Accept header.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, request, url_for

from kg.named import named_queries, named_query
from kg.sparql import RESULTS, QueryRequest, choose
from kg.web.services import services

bp = Blueprint("queries", __name__)
EXTENSIONS = {"csv": "csv", "json": "json", "tsv": "tsv", "xml": "xml"}


@bp.get("/queries")
def index() -> Response:
    """The named queries with their titles, descriptions and where to run them; browsers go to the query page."""
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        return redirect(url_for("query_page.query_page"), code=303)
    return jsonify([
        {"name": q.name, "title": q.title, "description": q.description,
         "url": url_for("queries.run", name=q.name, _external=True)}
        for q in named_queries().values()
    ])


@bp.get("/queries/<name>")
def run(name: str) -> Response:
    """Run one named query and answer its rows in the negotiated result format."""
    stem, _, ext = name.partition(".")
    query = named_query(stem)
    formats = [EXTENSIONS[ext]] if ext in EXTENSIONS else request.args.getlist("format")
    choice = choose(RESULTS, request.headers.get("Accept"), formats)
    body = services().runner.run(QueryRequest(query=query.sparql), choice.format)
    response = Response(body, content_type=choice.content_type)
    response.vary.add("Accept")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
