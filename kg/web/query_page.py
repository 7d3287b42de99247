"""/query: the query page an analyst uses; the query lives in the URL, so a result can be shared.

`GET /query?query=...` runs the query and shows an HTML table (row count, paging, resources
linked to their local pages) with downloads in every format from /sparql; `?name=positions`
starts from a named query. A query that does not parse is answered with the page again, the
parser's message beside the editor with its line and column, and the query as it was typed.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from kg.named import named_queries, named_query
from kg.namespaces import PREFIX_IRIS
from kg.resource_description import labels, titles
from kg.web import get_settings, get_store
from kg.web.answers import Answer, run
from kg.web.links import root
from kg.web.services import services
from kg.web.view import term_view

bp = Blueprint("query_page", __name__, template_folder="templates")
PAGE_SIZE = 100
STARTER_PREFIXES = ("schema", "org", "kg", "prov", "skos", "rdfs", "xsd")
RESULT_DOWNLOADS = (("json", "JSON"), ("csv", "CSV"), ("tsv", "TSV"), ("xml", "XML"))
GRAPH_DOWNLOADS = (("turtle", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD"), ("rdfxml", "RDF/XML"))


def starter() -> str:
    """The editor's text when no query is given: the common prefixes and a first question."""
    lines = [f"PREFIX {p}: <{PREFIX_IRIS[p]}>" for p in STARTER_PREFIXES]
    return "\n".join(lines) + (
        "\n\nSELECT ?person ?name WHERE {\n  ?person a schema:Person ; schema:name ?name .\n} ORDER BY ?name LIMIT 50"
    )


@bp.get("/query")
def query_page() -> Response:
    """The editor, and the answer of the query in the URL, if any."""
    text = request.args.get("query", "")
    name = request.args.get("name", "")
    if not text.strip() and name:
        text = named_query(name).sparql
    answer: Answer | None = None
    if text.strip():
        answer = run(services().runner, text, allow_service=get_settings().allow_service)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    html = render_template(
        "query.html", root=root(), text=text or starter(), ran=bool(text.strip()), answer=answer,
        table=_table(answer, page) if answer and not answer.error else None,
        queries=list(named_queries().values()), name=name, downloads=_downloads(text, answer),
    )
    return Response(html, status=400 if answer and answer.error else 200, mimetype="text/html")


def _table(answer: Answer, page: int) -> dict:
    """One page of rows, each term ready to print (IRIs named by label or title, linked locally)."""
    total = len(answer.rows)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    shown = answer.rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    nodes = [t for row in shown for t in row if isinstance(t, ox.NamedNode)]
    store = get_store()
    names = {**titles(store, nodes), **labels(store, nodes)} if nodes else {}
    return {
        "total": total, "page": page, "pages": pages, "first": (page - 1) * PAGE_SIZE + 1,
        "rows": [[term_view(t, names) if t is not None else None for t in row] for row in shown],
        "prev": _page_url(page - 1) if page > 1 else None,
        "next": _page_url(page + 1) if page < pages else None,
    }


def _page_url(page: int) -> str:
    args = {k: v for k, v in request.args.items() if k != "page"}
    return f"{root()}query?{urlencode({**args, 'page': page})}"


def _downloads(text: str, answer: Answer | None) -> list[tuple[str, str]]:
    if answer is None or answer.error:
        return []
    kinds = GRAPH_DOWNLOADS if answer.form in ("CONSTRUCT", "DESCRIBE") else RESULT_DOWNLOADS
    return [(label, f"{root()}sparql?{urlencode({'query': text, 'format': fmt})}") for fmt, label in kinds]
