"""The SPARQL 1.1 Protocol's query operation: read a request, run it over the right dataset.

Kept apart from Flask (it takes the method, content type, query-string pairs and body) so that
every rule of the protocol is unit-tested without HTTP: the three ways to send a query, the
repeated dataset parameters, and the refusals (no query, two queries, an update, a body type
we do not read).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox

from kg.errors import InputError, MissingQuery, QuerySyntaxError, UnsupportedMediaType, UpdateRefused, UsageError
from kg.store import Store
from kg.store.base import QueryResult

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class QueryRequest:
    """A parsed query operation: the query, its dataset parameters, and any `format=` asked."""

    query: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()


Pairs = Iterable[tuple[str, str]]

_UPDATE_START = re.compile(
    r"(?:\s|\#[^\n]*(?:\n|$)|PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def looks_like_update(text: str) -> bool:
    """Tell whether `text` starts (after its prologue) with a SPARQL Update keyword.

    No query form can start so, so this never refuses a query; it lets the answer say "send it
    to /update" instead of the parser's "expected CONSTRUCT".
    """
    return _UPDATE_START.match(text) is not None


def parse_query_request(
    method: str, content_type: str | None, args: Pairs, body: bytes = b"", charset: str | None = None
) -> QueryRequest:
    """Read a query operation from GET ?query=, a form POST, or a direct `application/sparql-query` POST.

    `content_type` is the bare media type (no parameters); `args` the URL's query-string pairs.
    """
    params = list(args)
    if method.upper() == "POST":
        params = _post_params(params, (content_type or "").lower(), body, charset)
    if any(name == "update" for name, _ in params):
        raise UpdateRefused("SPARQL Update is not accepted here; send updates to /update")
    queries = [value for name, value in params if name == "query"]
    if not queries:
        raise MissingQuery("missing 'query' parameter")
    if len(queries) > 1:
        raise UsageError(f"exactly one query expected, got {len(queries)}")
    if looks_like_update(queries[0]):
        raise UpdateRefused("this is a SPARQL Update; this endpoint runs queries only, send it to /update")
    return QueryRequest(
        query=queries[0],
        default_graph_uris=tuple(v for n, v in params if n == "default-graph-uri"),
        named_graph_uris=tuple(v for n, v in params if n == "named-graph-uri"),
        formats=tuple(v for n, v in params if n == "format"),
    )


def _post_params(args: list[tuple[str, str]], content_type: str, body: bytes, charset: str | None) -> list:
    """Merge the POST body into the parameters, by the rules of its content type.

    A POST with neither body nor content type (`curl -X POST '...?query=...'`) is read like a GET.
    """
    if not body and not content_type:
        return args
    text = _decode(body, charset)
    if content_type == FORM:
        return args + parse_qsl(text, keep_blank_values=True)
    if content_type == QUERY:
        if any(name == "query" for name, _ in args):
            raise UsageError("a direct POST carries the query in its body, not also in 'query='")
        return [*args, ("query", text)] if text.strip() else args
    if content_type == UPDATE:
        raise UpdateRefused("SPARQL Update is not accepted here; send updates to /update")
    raise UnsupportedMediaType(
        f"cannot read a POST body of type {content_type or '(none)'}; use {FORM} or {QUERY}"
    )


def _decode(body: bytes, charset: str | None) -> str:
    """The body as text. The protocol's bodies are UTF-8 (SPARQL 1.1 Query 19.1): another charset is a 415."""
    if charset is not None and _codec(charset) not in ("utf-8", "ascii"):
        raise UnsupportedMediaType(f"the body is declared charset={charset}; SPARQL requests are read as UTF-8 only")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"request body is not valid UTF-8 text: {exc}") from exc


def _codec(charset: str) -> str:
    try:
        return codecs.lookup(charset.strip().strip('"')).name
    except LookupError:
        return charset


def execute(store: Store, request: QueryRequest) -> QueryResult:
    """Run the query over the dataset the protocol describes.

    When the request names any graphs, they replace the query's own FROM / FROM NAMED, and a
    request naming only named graphs has an empty default graph (SPARQL 1.1 Protocol 2.1.4).
    """
    try:
        return store.query(request.query, **dataset_kwargs(request))
    except SyntaxError as exc:
        raise QuerySyntaxError(f"query does not parse: {exc}") from exc


def dataset_kwargs(request: QueryRequest) -> dict[str, list[ox.NamedNode]]:
    """The dataset the protocol's parameters describe, as `Store.query` keyword arguments (none: the query's own)."""
    if not (request.default_graph_uris or request.named_graph_uris):
        return {}
    return {
        "default_graph": _iris(request.default_graph_uris, "default-graph-uri"),
        "named_graphs": _iris(request.named_graph_uris, "named-graph-uri"),
    }


def _iris(values: tuple[str, ...], param: str) -> list[ox.NamedNode]:
    try:
        return [ox.NamedNode(value) for value in values]
    except ValueError as exc:
        raise UsageError(f"{param} is not an IRI: {exc}") from exc
