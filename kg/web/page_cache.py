"""Values the pages compute from the whole store, kept until it changes.

They are the browse lists' items, the search names, the network's meetings, the index's counts
and the validation report: each takes from a tenth of a second to seconds at 150k quads, and
the pages filter, sort and page them per request.

The key is the store's write generation: one process owns an embedded store and every write
goes through its `Store` object, so the count of writes changes exactly when the data does, and
costs nothing to read (the dumps' change marker counts the store, which is slow on a large
one). An external store may be written by others, so there a value is also made again after
`REMOTE_SECONDS`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app

from kg.store import EmbeddedStore
from kg.web import get_store

REMOTE_SECONDS = 30
T = TypeVar("T")
_KEY = "kg.page_cache"
_lock = threading.Lock()


def stamp() -> tuple[int, int]:
    store = get_store()
    period = 0 if isinstance(store, EmbeddedStore) else int(time.monotonic() // REMOTE_SECONDS)
    return store.generation, period


def cached(name: str, compute: Callable[[], T]) -> T:
    """The value `compute()` gave for the store as it is now; computed again after a change."""
    now = stamp()
    with _lock:
        values = current_app.extensions.setdefault(_KEY, {})
        held = values.get(name)
    if held is not None and held[0] == now:
        return held[1]
    value = compute()  # outside the lock: a slow list does not hold up the other pages' values
    with _lock:
        values[name] = (now, value)
    return value
