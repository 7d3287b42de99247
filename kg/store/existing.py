"""Opening a store only to read it: a path that holds no store is an input error, never a new store.

`kg query`, `kg export` and `kg validate` read; pointed at a mistyped path they must say so
(exit 2) instead of creating an empty store there and answering from it.
"""

from __future__ import annotations

from pathlib import Path

from kg.config import Settings
from kg.errors import InputError
from kg.store import Store, open_store
from kg.store.embedded import MEMORY
from kg.store.remote import Endpoints


def open_existing_store(settings: Settings) -> Store:
    """Open the store the settings name, read-only; an on-disk path must already hold a store."""
    if Endpoints.from_settings(settings) is not None or settings.store == MEMORY:
        return open_store(settings, read_only=True)
    path = Path(settings.store)
    hint = "(kg ingest creates one; --store or KG_STORE names another)"
    if not path.exists():
        raise InputError(f"no store at {path}: the folder does not exist {hint}")
    if not path.is_dir():
        raise InputError(f"{path} is not a store: it is a file, not a store's folder {hint}")
    if not (path / "CURRENT").is_file():  # every RocksDB database (so every pyoxigraph store) has one
        raise InputError(f"{path} is not a store: the folder holds no kg store {hint}")
    return open_store(settings, read_only=True)
