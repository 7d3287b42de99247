"""The web layer's shared services, made once per app in `create_app` and reached through `services()`.

Blueprints share a query runner (every write must tell it the store changed), an ingest
pipeline with its shapes (the write endpoints validate as ingest does), a change marker (ETags
of dumps, VoID, the home page) and the VoID statistics cache. Holding them here, not in the
blueprint that first needed each, keeps blueprints from importing each other.

The ingest pipeline is built on first use (it reads the ontology, reference data and shapes), so
a server that is only read never loads the shapes, as before.
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Flask, current_app
from rdflib import URIRef

from kg.change_marker import ChangeTracker, Marker
from kg.config import Settings
from kg.ingest import Ingestor
from kg.rdfterms import rdflib_graph
from kg.sparql.runners import ProcessRunner, ThreadRunner, runner_for
from kg.sparql.validated_writes import Validator, ViewValidator
from kg.store import Store
from kg.validation.result import ValidationResult
from kg.validation.shacl import compiled_shapes, validate_article_graph, validate_graph
from kg.void import Statistics, statistics
from kg.web.heap import Trimmer

_KEY = "kg.services"


@dataclass
class VoidCache:
    """The VoID statistics of one change-marker token; recounted when the token changes."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    token: str | None = None
    stats: Statistics = field(default_factory=Statistics)


@dataclass
class Services:
    """What the blueprints of one app share; see the module docstring."""

    store: Store
    settings: Settings
    runner: ThreadRunner | ProcessRunner
    tracker: ChangeTracker = field(default_factory=ChangeTracker)
    void_cache: VoidCache = field(default_factory=VoidCache)
    trimmer: Trimmer = field(default_factory=Trimmer)
    _ingestor: Ingestor | None = None
    _ingestor_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def ingestor(self) -> Ingestor:
        """The ingest pipeline (reference data and shapes loaded once, on first use)."""
        with self._ingestor_lock:
            if self._ingestor is None:
                self._ingestor = Ingestor(self.store, self.settings)
            return self._ingestor

    def notify_write(self) -> None:
        """Tell the query runner the store changed; every writer in the web layer calls this.

        Then give malloc's free memory back to the system (`kg.web.heap`): a write is where the
        server allocates and frees the most, and this runs after the write's locks are let go.
        """
        self.runner.notify_write()
        self.trimmer.after_write()

    def current_marker(self) -> Marker:
        """The store's change marker now (one grouped count over the store)."""
        return self.tracker.marker(self.store)

    def current_statistics(self) -> Statistics:
        """The store's VoID statistics, counted again only if the store changed since the last count."""
        marker, cache = self.current_marker(), self.void_cache
        with cache.lock:
            if cache.token != marker.token:
                cache.stats, cache.token = statistics(self.store), marker.token
            return cache.stats

    def shapes_validator(self) -> Validator:
        """Validate one graph's triples as ingest validates an article graph."""
        ingestor = self.ingestor

        def validate(graph: ox.NamedNode, triples: set[ox.Triple]) -> ValidationResult:
            return validate_article_graph(rdflib_graph(triples), ingestor.shapes, ingestor.ref, ingestor.store)

        return validate

    def merged_validator(self) -> ViewValidator:
        """Validate a view of the store (what all graphs say about some nodes) with those nodes as targets."""
        shapes = self.ingestor.shapes

        def validate(triples: set[ox.Triple], focus: set[ox.NamedNode]) -> ValidationResult:
            graph = rdflib_graph(triples)
            nodes = [URIRef(n.value) for n in focus]
            compiled = compiled_shapes(shapes)
            result = compiled.validate_graph(graph, focus_nodes=nodes) if compiled is not None else None
            return result if result is not None else validate_graph(graph, shapes, focus_nodes=nodes)

        return validate


def start_services(app: Flask, store: Store, settings: Settings) -> Services:
    """Make the app's services; a process runner's workers start now, before the first query."""
    runner = runner_for(store, timeout=settings.query_timeout, max_bytes=settings.max_result_bytes,
                        workers=settings.threads, nice=settings.query_nice)
    if isinstance(runner, ProcessRunner):
        atexit.register(runner.close)
    made = app.extensions[_KEY] = Services(store=store, settings=settings, runner=runner)
    return made


def services() -> Services:
    """The services of the app handling the current request."""
    return current_app.extensions[_KEY]


def services_of(app: Flask) -> Services:
    """The services of `app` outside a request (tests, benchmarks)."""
    return app.extensions[_KEY]


def close_services(app: Flask) -> None:
    """Stop the app's query workers and remove its checkpoints (servers in tests; atexit otherwise)."""
    made = app.extensions.get(_KEY)
    if made is not None and isinstance(made.runner, ProcessRunner):
        made.runner.close()
