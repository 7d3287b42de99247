"""The ontology and reference data, loaded once, and name lookup against them.

The loader resolves what an article names ("IOM", "Turkey", "II rank ... councelor") to the
reference entity's IRI, so that every article that names the same body links the same node.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kg.config import turtle_files
from kg.iris import fold
from kg.namespaces import KG, ORG, SCHEMA, bind_all

LABELS = (SCHEMA.name, SCHEMA.alternateName, KG.acronym, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
KINDS = {
    "organization": ORG.Organization,
    "country": SCHEMA.Country,
    "place": SCHEMA.Place,
    "series": KG.EventSeries,
    "rank": KG.Rank,
    "role": KG.ParticipantRole,
    "mode": KG.DeliveryMode,
    "topic": KG.Topic,
}
_DROP = {"the", "of", "republic"}
_SPELLING = {"councelor": "counselor", "counsellor": "counselor", "councellor": "counselor", "turkey": "turkiye"}


def lookup_key(text: str) -> str:
    """Fold a name for lookup; 'the', 'of' and 'Republic' do not tell bodies apart."""
    words = [w for w in fold(text).split() if w not in _DROP]
    return " ".join(_SPELLING.get(w, w) for w in words)


@dataclass
class Reference:
    """The parsed ontology and reference graphs, and label indexes per kind of entity."""

    ontology: Graph
    data: Graph
    index: dict[str, dict[str, URIRef]] = field(default_factory=dict)
    _digests: dict[str, str] = field(default_factory=dict, repr=False)

    def resolve(self, kind: str, name: str | None) -> URIRef | None:
        """The reference IRI of a `kind` ('organization', 'rank', ...) named `name`, if known."""
        if not name:
            return None
        return self.index.get(kind, {}).get(lookup_key(name))

    def digest(self, name: str) -> str:
        """SHA-256 of the 'ontology' or 'reference' graph as N-Triples, computed once per load.

        The ingest path stamps the stored copies with it, to rewrite them only when they change.
        """
        if name not in self._digests:
            graph = {"ontology": self.ontology, "reference": self.data}[name]
            self._digests[name] = hashlib.sha256(graph.serialize(format="nt", encoding="utf-8")).hexdigest()
        return self._digests[name]

    def label(self, iri: URIRef) -> str | None:
        for prop in (SCHEMA.name, SKOS.prefLabel):
            value = self.data.value(iri, prop)
            if value is not None:
                return str(value)
        return None


def _index(data: Graph) -> dict[str, dict[str, URIRef]]:
    index: dict[str, dict[str, URIRef]] = {}
    for kind, cls in KINDS.items():
        table = index.setdefault(kind, {})
        for node in data.subjects(RDF.type, cls):
            for prop in LABELS:
                for label in data.objects(node, prop):
                    table.setdefault(lookup_key(str(label)), node)
    return index


def load_reference(ontology_dir: Path, base_iri: str) -> Reference:
    """Parse every Turtle file in `ontology_dir`: reference*.ttl is data, the rest ontology.

    A missing or empty folder raises ConfigError: an empty ontology would silently resolve nothing.
    """
    return _load_reference(str(ontology_dir), base_iri)


@lru_cache(maxsize=4)
def _load_reference(ontology_dir: str, base_iri: str) -> Reference:
    ontology, data = bind_all(Graph()), bind_all(Graph())
    for path in turtle_files(Path(ontology_dir), "ontology"):
        target = data if path.name.startswith("reference") else ontology
        target.parse(path, format="turtle", publicID=base_iri)
    return Reference(ontology=ontology, data=data, index=_index(data))
