"""A query worker process: runs queries over a read-only open of an on-disk store, killed at will.

The parent (`kg.sparql.limits.ProcessRunner`) sends a `Job` down a pipe; the worker answers
with frames: ("data", bytes) chunks of the serialized answer, then ("end",) or ("error", exc).
Workers are spawned, never forked: forking a process that runs server threads is unsafe.
"""

from __future__ import annotations

import multiprocessing
import time
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

    generation: int  # the store's write generation; a worker reopens the store when it changed
    query: str
    dataset: dict[str, list[ox.NamedNode]]
    media_type: str
    graph: bool  # True when the answer is a graph (RdfFormat), else a result set (QueryResultsFormat)
    timeout: float
    max_bytes: int

    @classmethod
    def of(cls, generation: int, query: str, dataset: dict, fmt: ox.RdfFormat | ox.QueryResultsFormat,
           timeout: float, max_bytes: int) -> Job:
        wire = {k: [n.value for n in v] for k, v in dataset.items()}
        return cls(generation, query, wire, fmt.media_type, isinstance(fmt, ox.RdfFormat), timeout, max_bytes)

    def format(self) -> ox.RdfFormat | ox.QueryResultsFormat:
        kind = ox.RdfFormat if self.graph else ox.QueryResultsFormat
        return kind.from_media_type(self.media_type)

    def kwargs(self) -> dict[str, list[ox.NamedNode]]:
        return {k: [ox.NamedNode(v) for v in values] for k, values in self.dataset.items()}


def _serve(path: str, conn: Connection) -> None:
    """The worker's loop: one job at a time until the pipe closes."""
    store, generation = None, -1
    conn.send(("ready",))
    while True:
        try:
            job: Job = conn.recv()
        except EOFError:
            return
        if job.generation != generation:
            store, generation = ox.Store.read_only(path), job.generation
        budget = Budget(seconds=job.timeout, max_bytes=job.max_bytes)
        try:
            write_chunks(partial(_query, store, job), job.format(), budget, lambda b: conn.send(("data", b)))
            conn.send(("end",))
        except KgError as exc:
            conn.send(("error", exc))


def _query(store: ox.Store, job: Job) -> object:
    try:
        return store.query(job.query, **job.kwargs())
    except SyntaxError as exc:
        raise QuerySyntaxError(f"query does not parse: {exc}") from exc


class Worker:
    """The parent's handle on one worker process."""

    def __init__(self, process: multiprocessing.process.BaseProcess, conn: Connection) -> None:
        self.process, self.conn = process, conn

    @classmethod
    def start(cls, path: str) -> Worker:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_serve, args=(path, child), name="kg-query-worker", daemon=True)
        process.start()
        child.close()
        if not parent.poll(STARTUP_SECONDS) or parent.recv() != ("ready",):
            process.kill()
            raise KgError(f"a query worker did not start within {STARTUP_SECONDS} s")
        return cls(process, parent)

    def send(self, job: Job) -> None:
        self.conn.send(job)

    def receive(self, deadline: float | None) -> tuple | None:
        """The next frame, or None when the deadline passes first."""
        remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
        if not self.conn.poll(remaining):
            return None
        try:
            return self.conn.recv()
        except EOFError:
            return ("error", KgError("the query worker stopped unexpectedly"))

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()
