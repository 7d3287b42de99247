"""Whole-dataset dumps, streamed, with validators so that a mirror can poll cheaply.

- /dump.nq and /dump.trig: every graph (the default graph, which kg keeps as the merge of the
  named graphs, and each named graph), so loading a dump rebuilds the store as it is;
- /dump.ttl and /dump.jsonld: the default graph; the JSON-LD names its `@context` by URL,
  /context.jsonld, which compacts kg's namespaces.

A dump is written while it is sent: pyoxigraph's writer runs in a thread and writes into a
bounded queue that the response generator drains, so memory holds a few chunks whatever the size
of the store; a client that goes away stops the writer. `ETag` and `Last-Modified` come from
the store's change marker (kg.change_marker), and If-None-Match / If-Modified-Since get 304 before any
dump starts.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import IO

import pyoxigraph as ox
from flask import Blueprint, Response, request

from kg import jsonld
from kg.errors import NotFound
from kg.namespaces import PREFIX_IRIS
from kg.store import Store
from kg.web import get_store
from kg.web.conditional import DUMPS, conditional
from kg.web.links import root
from kg.web.services import services

bp = Blueprint("dumps", __name__)
log = logging.getLogger(__name__)
CHUNK = 64 * 1024


@bp.route("/dump.<ext>", methods=["GET", "HEAD"])
def dump(ext: str) -> Response:
    """Stream the dataset (or its default graph) in the format the extension names."""
    if ext not in DUMPS:
        raise NotFound(f"no dump /dump.{ext}; available: {', '.join(f'/dump.{e}' for e in DUMPS)}")
    media_type, _ = DUMPS[ext]
    charset = "; charset=utf-8" if media_type.startswith("text/") else ""
    body = _chunks(get_store(), ext, f"{root()}context.jsonld")
    response = Response(body, content_type=media_type + charset, direct_passthrough=True)
    return conditional(response, services().current_marker(), ext)


@bp.route("/context.jsonld", methods=["GET", "HEAD"])
def context() -> Response:
    """The JSON-LD `@context` of kg's dumps and documents."""
    response = Response(json.dumps(jsonld.context(), indent=2), content_type="application/ld+json")
    response.add_etag()
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


def _chunks(store: Store, ext: str, context_url: str) -> Iterator[bytes]:
    """The dump's bytes in chunks; nothing runs until the first chunk is asked for."""
    if ext == "jsonld":
        yield from _batched(piece.encode() for piece in jsonld.write(store.triples(), context_url))
    elif ext == "ttl":
        yield from stream(lambda out: ox.serialize(store.triples(), out, ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS))
    else:
        fmt, prefixes = (ox.RdfFormat.N_QUADS, None) if ext == "nq" else (ox.RdfFormat.TRIG, PREFIX_IRIS)
        yield from stream(lambda out: ox.serialize(quads(store), out, fmt, prefixes=prefixes))


def quads(store: Store) -> Iterator[ox.Quad]:
    """Every quad: the default graph's, then each named graph's."""
    for t in store.triples():
        yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
    for graph in store.named_graphs():
        for t in store.triples(graph):
            yield ox.Quad(t.subject, t.predicate, t.object, graph)


def _batched(pieces: Iterable[bytes]) -> Iterator[bytes]:
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        if len(buffer) >= CHUNK:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


class _Pipe:
    """A write-only file whose chunks a reader takes from a bounded queue."""

    def __init__(self) -> None:
        self.queue: queue.Queue = queue.Queue(maxsize=8)
        self.cancelled = threading.Event()
        self.buffer = bytearray()

    def put(self, item: object) -> None:
        while not self.cancelled.is_set():
            try:
                self.queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue
        raise BrokenPipeError("the client went away")

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.put(bytes(self.buffer))
            self.buffer.clear()


_END, _FAILED = object(), object()


def stream(write: Callable[[IO[bytes]], object]) -> Iterator[bytes]:
    """Run `write(file)` in a thread and yield what it writes, chunk by chunk, as it writes.

    A failure in the writer (logged here) ends the response with an error, so the
    client sees a broken transfer rather than a short dump that looks complete.
    """
    pipe = _Pipe()

    def run() -> None:
        done = False
        try:
            write(pipe)  # type: ignore[arg-type]
            pipe.flush()
            done = True
        except BrokenPipeError:
            return
        except (OSError, ValueError, RuntimeError) as exc:  # the store or the serializer failed
            log.error("dump failed: %s", exc, exc_info=exc)
        finally:
            with contextlib.suppress(BrokenPipeError):
                pipe.put(_END if done else _FAILED)

    threading.Thread(target=run, name="kg-dump", daemon=True).start()
    try:
        while (chunk := pipe.queue.get()) is not _END:
            if chunk is _FAILED:
                raise RuntimeError("the dump writer failed; its error is in the log")
            yield chunk
    finally:
        pipe.cancelled.set()
