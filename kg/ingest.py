"""Ingest: read -> extract -> build graph -> validate -> replace the article's graph.

Each article is all or nothing: its graph is validated on its own before anything is written,
and the write replaces the article's named graph (and keeps the default graph the merge of all
graphs) in one store transaction. A batch goes on past a bad item and reports every outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from kg.build import BuiltArticle, build_article
from kg.config import Settings
from kg.errors import InputError
from kg.extract import extract
from kg.facts import Article
from kg.iris import Minter
from kg.loaders import read_items
from kg.rdfterms import ox_triples
from kg.reference import Reference, load_reference
from kg.store.base import Store
from kg.validation.result import ValidationResult
from kg.validation.shacl import load_shapes, validate_article_graph

log = logging.getLogger(__name__)
# What a bug in the rule-based extractor raises on text it did not foresee: reported per article.
EXTRACTION_FAULTS = (ValueError, TypeError, IndexError, KeyError, AttributeError, RecursionError)


@dataclass
class Outcome:
    """What happened to one input item."""

    source: str
    status: str  # "stored", "rejected" (failed the shapes) or "error" (could not be read)
    article: str | None = None
    graph: str | None = None
    triples: int = 0
    validation: ValidationResult | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "stored"


class Ingestor:
    """Holds what every article needs (reference data, shapes, the store) across a batch."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.minter = Minter(settings.base_iri)
        self.ref: Reference = load_reference(settings.ontology_dir, settings.base_iri)
        self.shapes: Graph = load_shapes(settings.shapes_dir)

    def ensure_reference(self) -> None:
        """Store the ontology and reference data in their own graphs when they changed."""
        for name, graph in (("ontology", self.ref.ontology), ("reference", self.ref.data)):
            iri = self.minter.iri(f"graph/{name}")
            digest = self.ref.digest(name)
            ask = f'ASK {{ GRAPH <{iri}> {{ <{iri}> <{DCTERMS.identifier}> "{digest}" }} }}'
            if bool(self.store.query(ask)):
                continue
            stamped = Graph()
            stamped += graph
            stamped.add((iri, DCTERMS.identifier, Literal(digest)))
            self.store.replace_graph(ox.NamedNode(str(iri)), ox_triples(stamped))

    def build(self, article: Article) -> BuiltArticle:
        return build_article(extract(article), self.ref, self.minter)

    def ingest_article(self, article: Article) -> Outcome:
        """Extract, validate and store one article; a failing article changes nothing."""
        return self.commit(self.build(article))

    def commit(self, built: BuiltArticle) -> Outcome:
        """Validate one built article graph and, only if it conforms, replace its graph in the store."""
        result = self.validate(built)
        outcome = Outcome(
            source=built.source or str(built.article), status="rejected", article=str(built.article),
            graph=str(built.graph_iri), triples=len(built.graph), validation=result,
        )
        if result.conforms:
            self.write(built)
            outcome.status = "stored"
        return outcome

    def validate(self, built: BuiltArticle) -> ValidationResult:
        """Validate one built article graph on its own (with what the shapes read about its links)."""
        return validate_article_graph(built.graph, self.shapes, self.ref, self.store)

    def write(self, built: BuiltArticle) -> None:
        """Replace the article's graph in the store (validate it first: `commit` does both)."""
        self.store.replace_graph(ox.NamedNode(str(built.graph_iri)), ox_triples(built.graph))

    def _ingest_guarded(self, article: Article) -> Outcome:
        """Ingest one article of a batch; a fault in extraction is that article's error, not the batch's."""
        try:
            return self.ingest_article(article)
        except EXTRACTION_FAULTS as exc:
            log.exception("extraction failed on %s", article.source)
            return Outcome(source=article.source or "?", status="error",
                           error=f"{article.source}: extraction failed ({type(exc).__name__}: {exc}); please report it")

    def ingest_paths(self, paths: Iterable[Path]) -> list[Outcome]:
        """Ingest every article found at the paths; unreadable items are reported, not fatal."""
        self.ensure_reference()
        outcomes = []
        for path in paths:
            try:
                items = read_items(path)
            except InputError as exc:
                outcomes.append(Outcome(source=str(path), status="error", error=exc.message))
                continue
            for item in items:  # a JSON Lines file yields one item per record; a bad one spoils only itself
                if isinstance(item, InputError):
                    outcomes.append(Outcome(source=str(path), status="error", error=item.message))
                else:
                    outcomes.append(self._ingest_guarded(item))
        return outcomes
