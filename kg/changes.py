"""A change marker for the whole store: what ETags, Last-Modified and the VoID cache are keyed on.

The marker is a hash of the number of triples in each graph (the default graph included) and of
each named graph's own stamps: `prov:generatedAtTime` (written on every ingest of an article)
and `dcterms:identifier` (the digest of the ontology and reference graphs). Any write kg makes
changes one of them: an ingest or re-ingest restamps the article graph, a Graph Store or Update
write that adds or removes triples changes a count. One write it cannot see is an Update that
swaps triples one for one inside a graph without restamping it; writers that do so should touch
the graph's `prov:generatedAtTime`.

It costs one grouped count over all quads (a scan, about as fast as `len()` of the store) and no
Python work per quad, and needs nothing from the back end beyond SPARQL, so it also works on a
remote store whose other clients write to it.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kg.namespaces import DCTERMS, PROV
from kg.store import Store

_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g ORDER BY ?g"
_STAMPS = (
    f"SELECT ?g ?stamp WHERE {{ GRAPH ?g {{ {{ ?g <{PROV.generatedAtTime}> ?stamp }}"
    f" UNION {{ ?g <{DCTERMS.identifier}> ?stamp }} }} }} ORDER BY ?g ?stamp"
)


@dataclass(frozen=True)
class Marker:
    """The store's state as one value: `token` changes whenever the data does."""

    token: str
    last_modified: datetime

    def etag(self, variant: str = "") -> str:
        """An ETag value (without quotes) for one representation of the current state."""
        return f"{self.token}-{variant}" if variant else self.token


def fingerprint(store: Store) -> str:
    """Hash of per-graph triple counts and graph stamps; equal while the store is unchanged."""
    digest = hashlib.sha256()
    for row in store.query(_COUNTS):
        graph = row["g"].value if row["g"] is not None else ""
        digest.update(f"{graph}\t{row['n'].value}\n".encode())
    for row in store.query(_STAMPS):
        digest.update(f"{row['g'].value}\t{row['stamp'].value}\n".encode())
    return digest.hexdigest()[:32]


class ChangeTracker:
    """Remembers when each marker was first seen, so Last-Modified moves with the data.

    Dates have one-second resolution, so a marker is dated at least a second after the one
    before it: a mirror that saw the older state within the same second still gets the new one.
    A restarted process dates its first marker by its start; a mirror then downloads once more
    (its If-None-Match, checked first, still gets 304 when nothing changed).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Marker | None = None

    def marker(self, store: Store) -> Marker:
        token = fingerprint(store)
        with self._lock:
            if self._current is not None and self._current.token == token:
                return self._current
            now = datetime.now(UTC).replace(microsecond=0)
            if self._current is not None:
                now = max(now, self._current.last_modified + timedelta(seconds=1))
            self._current = Marker(token, now)
            return self._current
