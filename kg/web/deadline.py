"""When a request's time is up: reading, decoding and guarding it count against `query_timeout`."""

from __future__ import annotations

import time

from kg.web import get_settings


def request_deadline() -> float | None:
    """The monotonic time at which this request's `query_timeout` runs out (None: no limit)."""
    timeout = get_settings().query_timeout
    return time.monotonic() + timeout if timeout > 0 else None
