"""Keep glibc's malloc from holding on to memory it has freed, in the serving process.

Measured with `bench.memory_growth` (README, "Memory under sustained ingest"): while articles
arrived, most of what grew in the server was not live data but free memory inside malloc's
arenas (139 of the 195 MiB malloc held after 6,000 articles; `malloc_trim(0)` then took the
server's RSS from 255 to 174 MiB). Threads allocate from up to eight arenas per core, and glibc
gives an arena's memory back to the system only from its top, so what is freed in the middle
stays resident. Two measures, both glibc only and nothing elsewhere:

- fewer arenas (`limit_arenas`, called before the store and the server start their threads):
  the memory one thread frees is reused by the others instead of staying in its own arena;
- `malloc_trim(0)` after writes (`Trimmer`), at most once every `TRIM_SECONDS`: glibc returns the
  free pages of every arena to the system (9 ms a trim, measured; run after the write's locks are
  let go).

`MALLOC_ARENA_MAX` in the environment, when set, wins over `limit_arenas`.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time

ARENAS = 2  # malloc arenas in the serving process (glibc's default is 8 per core)
TRIM_SECONDS = 2.0  # at most one malloc_trim in this long
_M_ARENA_MAX = -8  # mallopt's parameter number for the arena limit (glibc's malloc.h)


def _glibc() -> ctypes.CDLL | None:
    """glibc, or None on a system whose C library is another (musl, macOS): then nothing is done."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    if not (hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim")):
        return None
    return libc


_LIBC = _glibc()


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap malloc's arenas for threads started from now on; False when not glibc or the environment decides."""
    if _LIBC is None or "MALLOC_ARENA_MAX" in os.environ:
        return False
    return bool(_LIBC.mallopt(_M_ARENA_MAX, arenas))


def trim() -> bool:
    """Give malloc's free pages back to the system now; True when some were."""
    return _LIBC is not None and bool(_LIBC.malloc_trim(0))


class Trimmer:
    """Calls `trim()` after writes, but not more often than every `seconds`, and never two at once."""

    def __init__(self, seconds: float = TRIM_SECONDS) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._last = float("-inf")
        self.trims = 0  # trims done (for tests and benchmarks)
        self.seconds_spent = 0.0  # time spent in them

    def after_write(self) -> None:
        """A write finished: trim if the last trim is old enough (another thread's trim counts)."""
        if _LIBC is None or not self._lock.acquire(blocking=False):
            return
        try:
            now = time.monotonic()
            if now - self._last >= self.seconds:
                trim()
                self._last = time.monotonic()
                self.trims += 1
                self.seconds_spent += self._last - now
        finally:
            self._lock.release()
