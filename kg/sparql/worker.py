"""A query worker process: runs queries over a read-only open of a store checkpoint, killed at will.

The parent (`kg.sparql.runners.ProcessRunner`) sends a `Job` down a pipe; the worker answers
with frames: ("data", bytes) chunks of the serialized answer, then ("end",) or ("error", exc), or
("failed", exc) when the worker should not be reused (it could not read the store).
The parent may send ("cancel",) while an answer is under way (its client left): the worker stops
at the next chunk and answers ("cancelled",), so it can be reused instead of killed.
A worker only ever opens checkpoints (`kg.store.checkpoints`), directories nobody writes, never
the live store: a read-only open beside a writer is undefined behaviour in pyoxigraph.
Workers are forked from multiprocessing's fork server, never from the server itself (forking a
process that runs threads is unsafe): the fork server is a fresh single-threaded interpreter
that has imported this module once, so a new worker is ready in milliseconds instead of the
seconds a spawned interpreter takes to import kg, and replacing a killed worker is cheap.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection

import pyoxigraph as ox

from kg.errors import KgError, QuerySyntaxError
from kg.sparql.stream import Budget, write_chunks

STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Job:
    """One query for a worker. `fmt` is sent by media type: pyoxigraph formats do not pickle."""

    checkpoint: str  # the checkpoint directory to read; a worker reopens when it changes
    query: str
    dataset: dict[str, list[ox.NamedNode]]
    media_type: str
    graph: bool  # True when the answer is a graph (RdfFormat), else a result set (QueryResultsFormat)
    timeout: float  # seconds left for this query
    max_bytes: int
    limit: float = 0.0  # the configured query_timeout, named in the message when it is reached

    @classmethod
    def of(cls, checkpoint: str, query: str, dataset: dict, fmt: ox.RdfFormat | ox.QueryResultsFormat,
           timeout: float, max_bytes: int, limit: float | None = None) -> Job:
        wire = {k: [n.value for n in v] for k, v in dataset.items()}
        return cls(checkpoint, query, wire, fmt.media_type, isinstance(fmt, ox.RdfFormat), timeout, max_bytes,
                   timeout if limit is None else limit)

    def format(self) -> ox.RdfFormat | ox.QueryResultsFormat:
        kind = ox.RdfFormat if self.graph else ox.QueryResultsFormat
        return kind.from_media_type(self.media_type)

    def kwargs(self) -> dict[str, list[ox.NamedNode]]:
        return {k: [ox.NamedNode(v) for v in values] for k, values in self.dataset.items()}


class Cancelled(Exception):
    """The parent asked to stop this answer (its client went away)."""


def _serve(conn: Connection, nice: int = 0) -> None:
    """The worker's loop: one job at a time until the pipe closes; `nice` lowers its CPU priority first."""
    if nice:
        os.nice(nice)
    store, opened = None, ""
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if not isinstance(job, Job):
            continue  # a cancel that arrived after its answer had ended
        budget = Budget(seconds=job.timeout, max_bytes=job.max_bytes, limit=job.limit)
        try:
            if job.checkpoint != opened:
                store, opened = None, ""  # close the older checkpoint before opening the newer
                store, opened = ox.Store.read_only(job.checkpoint), job.checkpoint
            write_chunks(partial(_query, store, job), job.format(), budget, partial(_send, conn))
            conn.send(("end",))
        except Cancelled:
            conn.send(("cancelled",))
        except KgError as exc:
            conn.send(("error", exc))
        except OSError as exc:  # the engine's I/O errors: report, and let the parent replace this worker
            conn.send(("failed", KgError(f"the query failed reading the store: {exc}")))


def _send(conn: Connection, chunk: bytes) -> None:
    """Send one chunk, unless the parent asked to stop."""
    if conn.poll() and conn.recv() == ("cancel",):
        raise Cancelled
    conn.send(("data", chunk))


def _query(store: ox.Store, job: Job) -> object:
    try:
        return store.query(job.query, **job.kwargs())
    except SyntaxError as exc:
        raise QuerySyntaxError(f"query does not parse: {exc}") from exc


def _context() -> multiprocessing.context.BaseContext:
    """The fork-server context, with this module (and the server's main module) imported in the fork server."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["__main__", __name__])
    return ctx


class Worker:
    """The parent's handle on one worker process."""

    def __init__(self, process: multiprocessing.process.BaseProcess, conn: Connection) -> None:
        self.process, self.conn = process, conn
        self.checkpoint: object | None = None  # the checkpoint it has open, pinned by the parent
        self.jobs = 0  # queries sent to it so far: the parent retires it after a quota
        self.idle_since = time.monotonic()  # when it last became idle: the parent stops long-idle extras

    @classmethod
    def start(cls, nice: int = 0) -> Worker:
        """A ready worker; `nice` is added to its CPU niceness (see `kg.config.Settings.query_nice`)."""
        ctx = _context()
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_serve, args=(child, nice), name="kg-query-worker", daemon=True)
        process.start()
        child.close()
        try:
            if not parent.poll(STARTUP_SECONDS) or parent.recv() != ("ready",):
                raise KgError(f"a query worker did not start within {STARTUP_SECONDS} s")
        except (EOFError, OSError, KgError) as exc:
            process.kill()
            process.join(timeout=5)
            parent.close()
            if isinstance(exc, KgError):
                raise
            raise KgError(f"a query worker failed to start: {exc}") from exc
        return cls(process, parent)

    def send(self, job: Job) -> None:
        self.jobs += 1
        self.conn.send(job)

    def receive(self, deadline: float | None) -> tuple | None:
        """The next frame, or None when the deadline passes first."""
        remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
        try:
            if not self.conn.poll(remaining):
                return None
            return self.conn.recv()
        except (EOFError, OSError):
            return ("failed", KgError("the query worker stopped unexpectedly"))

    def cancel(self, grace: float) -> bool:
        """Ask the worker to stop its answer; True when it did within `grace` seconds and can be reused."""
        deadline = time.monotonic() + grace
        try:
            self.conn.send(("cancel",))
        except OSError:
            return False
        while True:
            frame = self.receive(deadline)
            if frame is None or frame[0] == "failed":
                return False
            if frame[0] != "data":
                return True  # ended, stopped, or failed on its own: the worker is idle again

    def kill(self) -> None:
        """Stop the process and close the pipe, whatever state either is in."""
        with suppress(OSError):
            self.process.kill()
        with suppress(OSError):
            self.process.join(timeout=5)
        with suppress(OSError):
            self.conn.close()
