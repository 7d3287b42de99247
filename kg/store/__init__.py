"""The store: where article graphs live and queries run.

`Store` is the interface the loader, the CLI and the web layer use; `open_store` picks the
back end from the settings. Results come back as pyoxigraph values (`QuerySolutions`,
`QueryBoolean`, `QueryTriples`) whatever the back end, so callers format them once.
"""

from __future__ import annotations

from kg.config import Settings
from kg.store.base import Store
from kg.store.embedded import EmbeddedStore
from kg.store.remote import Endpoints, RemoteStore


def open_store(settings: Settings, *, read_only: bool = False) -> Store:
    """Open the store the settings name.

    An external SPARQL 1.1 store when `store` is an http(s) URL or `store_query_url` is set;
    otherwise the embedded one on disk (or in memory for ':memory:').
    """
    endpoints = Endpoints.from_settings(settings)
    if endpoints is not None:
        store: Store = RemoteStore(endpoints, timeout=settings.store_timeout, read_only=read_only)
    else:
        store = EmbeddedStore.open(settings.store, read_only=read_only)
    store.skolem_prefix = settings.base_iri.rstrip("/") + "/.well-known/genid/"
    return store


__all__ = ["Store", "EmbeddedStore", "RemoteStore", "open_store"]
