"""Serve the app with waitress: one process, many threads, since one process owns the store."""

from __future__ import annotations

import signal
import sys
import threading

from flask import Flask
from waitress import create_server
from waitress.server import BaseWSGIServer, MultiSocketServer


def make_server(app: Flask, *, host: str, port: int, threads: int) -> BaseWSGIServer | MultiSocketServer:
    """Bind a waitress server (port 0 picks a free port) without starting it; tests run it in a thread."""
    return create_server(app, host=host, port=port, threads=threads, ident="kg")


def url_of(server: BaseWSGIServer | MultiSocketServer, host: str) -> str:
    """The base URL a bound server answers on, with the port it really got."""
    port = getattr(server, "effective_port", None)
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(app: Flask, *, host: str, port: int, threads: int) -> None:
    """Serve `app` until interrupted (Ctrl-C, or SIGTERM as `kill` and `dev.py demo` send), saying where.

    Both signals end the loop the same way, so the process exits normally: its query workers
    are stopped with it and the store is released.
    """
    server = make_server(app, host=host, port=port, threads=threads)
    print(f"kg serving on {url_of(server, host)}", flush=True)
    warm_up(app)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run()
    except KeyboardInterrupt:
        print("kg stopped", file=sys.stderr, flush=True)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def warm_up(app: Flask) -> threading.Thread | None:
    """Load the ingest pipeline now, in the background, when the server takes writes.

    Loading the ontology, the reference data and the shapes is seconds of pure Python. Left to
    the first /ingest, it ran while queries were being answered and held the GIL most of that
    time: in the soak, the small queries' p99 during ingest came from those seconds. Started
    here, it overlaps the server's first idle moments instead, and a restart still answers at once.
    """
    if not app.config["KG_SETTINGS"].write_token:
        return None
    from kg.web.services import services_of

    def load() -> None:
        services_of(app).ingestor  # noqa: B018 - built on first access, which is the point here

    thread = threading.Thread(target=load, name="kg-warm-up", daemon=True)
    thread.start()
    return thread
