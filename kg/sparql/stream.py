"""Write a query's answer into a binary file object in chunks, under a time and size budget.

pyoxigraph's own writers (`QuerySolutions.serialize`, `pyoxigraph.serialize`) produce the four
W3C result formats and every RDF format, natively and about ten times faster than writing rows
from Python. They write to a file object in pieces of a few KiB as the answer is computed, so the
budget is kept there: every piece written passes `Budget.spend`, which raises `QueryTimeout`
past the deadline and `ResultTooLarge` past `max_result_bytes`; the exception stops the writer,
and the caller decides what that means for a response already under way.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pyoxigraph as ox

from kg.errors import QueryTimeout, ResultTooLarge
from kg.namespaces import PREFIX_IRIS
from kg.sparql.negotiate import Format
from kg.store.base import QueryResult

HOLD = 64 * 1024  # chunk size, and the bytes held back before a response starts


class Budget:
    """Bytes allowed and the moment to stop; `spend(n)` for every piece of answer written."""

    def __init__(self, *, seconds: float | None, max_bytes: int, limit: float | None = None) -> None:
        """`limit` is the configured query_timeout named in the message, when `seconds` is what is left of it."""
        self.deadline = None if not seconds else time.monotonic() + seconds
        self.seconds = seconds if limit is None else limit
        self.max_bytes = max_bytes
        self.bytes = 0

    def spend(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.max_bytes:
            raise ResultTooLarge(
                f"the answer is larger than {self.max_bytes} bytes (max_result_bytes); "
                "add a LIMIT or narrow the query"
            )
        self.check_time()

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise self.expired()

    def expired(self) -> QueryTimeout:
        return QueryTimeout(f"the query ran longer than the {self.seconds:g} s limit (query_timeout) and was stopped")


class Chunker:
    """A binary writer that charges `budget` and hands its data to `send` in chunks of about `HOLD` bytes.

    Not an `io.BufferedWriter`: one of those flushes again when collected after an error.
    """

    def __init__(self, send: Callable[[bytes], None], budget: Budget) -> None:
        self._send = send
        self._budget = budget
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._budget.spend(len(data))
        self._buffer += data
        if len(self._buffer) >= HOLD:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            chunk, self._buffer = bytes(self._buffer), bytearray()
            self._send(chunk)


def write_result(result: QueryResult, fmt: Format, out: Chunker) -> None:
    """Write `result` in `fmt` to `out` with pyoxigraph's writers."""
    if isinstance(result, ox.QueryBoolean):
        out.write(result.serialize(format=fmt))
    elif isinstance(result, ox.QueryTriples):
        ox.serialize(result, out, format=fmt, prefixes=PREFIX_IRIS)
    else:
        result.serialize(out, format=fmt)


def write_chunks(
    result_of: Callable[[], QueryResult], fmt: Format, budget: Budget, send: Callable[[bytes], None]
) -> None:
    """Run the query, then write its answer in chunks into `send`."""
    result = result_of()
    budget.check_time()
    out = Chunker(send, budget)
    write_result(result, fmt, out)
    out.flush()


class AnswerTooLong(Exception):
    """The answer did not fit in one chunk: the caller sends the query where it can stream (a worker)."""


def write_held(result_of: Callable[[], QueryResult], fmt: Format, budget: Budget) -> bytes:
    """Run the query and return its whole answer, or raise `AnswerTooLong` once it passes `HOLD` bytes.

    For the front process's own answers (`kg.sparql.front`): the answer is written as a worker
    writes it, in chunks of `HOLD` bytes, and a second chunk (or one longer than `HOLD`) stops the
    writing, so stops the engine, as soon as the answer is known to be too long to hold.
    """
    held: list[bytes] = []

    def hold(chunk: bytes) -> None:
        if held or len(chunk) > HOLD:
            raise AnswerTooLong
        held.append(chunk)

    write_chunks(result_of, fmt, budget, hold)
    return held[0] if held else b""
