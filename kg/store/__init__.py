"""The store: where article graphs live and queries run.

`Store` is the interface the loader, the CLI and the web layer use; `open_store` picks the
back end from the settings. Results come back as pyoxigraph values (`QuerySolutions`,
`QueryBoolean`, an iterator of `Triple`) whatever the back end, so callers format them once.
"""

from __future__ import annotations

from kg.config import Settings
from kg.store.base import Store
from kg.store.embedded import EmbeddedStore


def open_store(settings: Settings, *, read_only: bool = False) -> Store:
    """Open the store the settings name (embedded on-disk, or in memory for ':memory:')."""
    return EmbeddedStore.open(settings.store, read_only=read_only)


__all__ = ["Store", "EmbeddedStore", "open_store"]
