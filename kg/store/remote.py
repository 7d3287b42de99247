"""The remote back end: any SPARQL 1.1 store over HTTP (Oxigraph server, Fuseki, GraphDB, ...).

Queries go through the SPARQL 1.1 Protocol, writes through SPARQL 1.1 Update, and graph reads
through the Graph Store HTTP Protocol when its endpoint is configured. Answers are parsed into
pyoxigraph's own values (`QuerySolutions`, `QueryBoolean`, `QueryTriples`), so the web layer and
the CLI format them exactly as they do the embedded store's.

The store must not serve a union default graph: kg keeps the default graph itself as the merge
of all named graphs (see `kg.store.base`), and a union would count every triple twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests

from kg.config import Settings
from kg.errors import StoreFailed, StoreReadOnly, StoreUnavailable
from kg.store.base import QueryResult, Store

# Results for SELECT / ASK, N-Triples for CONSTRUCT / DESCRIBE; the answer's Content-Type says which.
QUERY_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.8, text/turtle;q=0.5"
)
NTRIPLES = "application/n-triples"
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
NAMED_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
CONNECT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Endpoints:
    """Where the store answers: query (required), update and Graph Store Protocol (optional)."""

    query: str
    update: str | None = None
    data: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoints | None:
        """The endpoints the settings name, or None for the embedded store.

        `store` set to a base URL means an `oxigraph serve` layout (/query, /update, /store);
        `store_query_url`, `store_update_url` and `store_data_url` override each endpoint.
        """
        base = settings.store.rstrip("/") if is_url(settings.store) else None
        if base is None and settings.store_query_url is None:
            return None
        return cls(
            query=settings.store_query_url or f"{base}/query",
            update=settings.store_update_url or (f"{base}/update" if base else None),
            data=settings.store_data_url or (f"{base}/store" if base else None),
        )


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def root_cause(exc: BaseException) -> str:
    """The innermost reason of a chained error ('Connection refused'), not requests' long repr."""
    while (inner := exc.__cause__ or exc.__context__) is not None:
        exc = inner
    return getattr(exc, "strerror", None) or str(exc)


def shown(url: str) -> str:
    """The URL without any user:password, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


class RemoteStore(Store):
    """A SPARQL 1.1 store reached over HTTP with one `requests.Session`."""

    def __init__(self, endpoints: Endpoints, *, timeout: float = 60.0, read_only: bool = False) -> None:
        self.endpoints = endpoints
        self.read_only = read_only
        self._timeout = (CONNECT_TIMEOUT, timeout)
        self._session = requests.Session()

    @classmethod
    def open(cls, settings: Settings, *, read_only: bool = False) -> RemoteStore:
        endpoints = Endpoints.from_settings(settings)
        if endpoints is None:
            raise ValueError("the settings name no external store (store URL or store_query_url)")
        return cls(endpoints, timeout=settings.store_timeout, read_only=read_only)

    # --- HTTP -------------------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: object) -> requests.Response:
        try:
            return self._session.request(method, url, timeout=self._timeout, **kwargs)
        except requests.Timeout as exc:
            raise StoreUnavailable(f"the store at {shown(url)} did not answer within {self._timeout[1]} s") from exc
        except requests.ConnectionError as exc:
            raise StoreUnavailable(f"the store at {shown(url)} cannot be reached: {root_cause(exc)}") from exc

    @staticmethod
    def _check(response: requests.Response, *, syntax: bool = False) -> None:
        """Raise for an error status; a 400 to a query or update means it does not parse."""
        if response.ok:
            return
        text = response.text.strip()[:1000]
        if syntax and response.status_code == 400:
            raise SyntaxError(text or "the store refused the request as malformed")
        raise StoreFailed(
            f"the store at {shown(response.url)} answered {response.status_code} {response.reason}: {text}"
        )

    # --- the Store interface ----------------------------------------------------------------

    def query(
        self,
        query: str,
        *,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> QueryResult:
        # The protocol cannot say "an empty default graph" on its own; naming only named graphs
        # does (SPARQL 1.1 Protocol 2.1.4), which is how kg.sparql.execute always calls this.
        form = [("query", query)]
        form += [("default-graph-uri", g.value) for g in default_graph or ()]
        form += [("named-graph-uri", g.value) for g in named_graphs or ()]
        response = self._send("POST", self.endpoints.query, data=form, headers={"Accept": QUERY_ACCEPT})
        self._check(response, syntax=True)
        return parse_answer(response)

    def update(self, update: str) -> None:
        if self.read_only or self.endpoints.update is None:
            why = "opened read-only" if self.read_only else "given no update endpoint (store_update_url)"
            raise StoreReadOnly(f"the store at {shown(self.endpoints.query)} was {why}; updates are refused")
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        response = self._send("POST", self.endpoints.update, data=update.encode("utf-8"), headers=headers)
        self._check(response, syntax=True)
        self.generation += 1

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        for row in self._select(NAMED_GRAPHS):
            yield row["g"]

    def triples(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Triple]:
        yield from self._graph(graph)

    def dump(self, fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None) -> bytes:
        if fmt.supports_datasets and graph is None:
            return ox.serialize(self._quads(), format=fmt)
        return ox.serialize(self._graph(graph), format=fmt)

    def quad_count(self) -> int:
        return int(next(iter(self._select(COUNT_QUADS)))["n"].value)

    def close(self) -> None:
        self._session.close()

    # --- reading graphs -----------------------------------------------------------------------

    def _select(self, query: str) -> ox.QuerySolutions:
        result = self.query(query)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreFailed(f"the store at {shown(self.endpoints.query)} did not answer a SELECT with solutions")
        return result

    def _graph(self, graph: ox.NamedNode | None) -> list[ox.Triple]:
        """One graph's triples: by the Graph Store Protocol when configured, else by CONSTRUCT."""
        if self.endpoints.data is None:
            where = f"GRAPH {graph} {{ ?s ?p ?o }}" if graph is not None else "?s ?p ?o"
            return list(self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}"))
        params = {"graph": graph.value} if graph is not None else {"default": ""}
        response = self._send("GET", self.endpoints.data, params=params, headers={"Accept": NTRIPLES})
        if response.status_code == 404:  # no such graph: an empty one, as the embedded store says
            return []
        self._check(response)
        return [q.triple for q in ox.parse(response.content, format=rdf_format(response))]

    def _quads(self) -> list[ox.Quad]:
        """Every quad, the default graph's included, in one portable SELECT."""
        return [
            ox.Quad(row["s"], row["p"], row["o"], row["g"] if row["g"] is not None else ox.DefaultGraph())
            for row in self._select(ALL_QUADS)
        ]


def media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def rdf_format(response: requests.Response) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(media_type(response))
    if fmt is None:
        raise StoreFailed(f"the store at {shown(response.url)} answered RDF as {media_type(response)!r}")
    return fmt


def parse_answer(response: requests.Response) -> QueryResult:
    """Parse a query answer into pyoxigraph values: solutions, a boolean, or triples."""
    results = ox.QueryResultsFormat.from_media_type(media_type(response))
    try:
        if results is not None:
            return ox.parse_query_results(response.content, format=results)
        return as_query_triples(response.content, rdf_format(response))
    except SyntaxError as exc:
        raise StoreFailed(f"the store at {shown(response.url)} sent an answer that does not parse: {exc}") from exc


def as_query_triples(body: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """Turn a CONSTRUCT / DESCRIBE answer into the `QueryTriples` the embedded store gives."""
    holder = ox.Store()
    holder.load(body, format=fmt)
    return holder.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
