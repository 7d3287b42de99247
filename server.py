"""Run the kg web service with waitress: `python server.py --host H --port P --store PATH`."""

from __future__ import annotations

import argparse
import sys

from kg.config import load_settings
from kg.errors import KgError
from kg.web import create_app
from kg.web.heap import limit_arenas
from kg.web.serve import serve


def main(argv: list[str] | None = None) -> int:
    """Parse the options, build the app over the store, and serve it until interrupted."""
    parser = argparse.ArgumentParser(description="Serve the kg SPARQL endpoint.")
    parser.add_argument("--host", help="interface to bind (default: settings, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to bind; 0 picks a free one (default: 5000)")
    parser.add_argument("--store", help="store path, or :memory: (default: settings, data/store)")
    parser.add_argument("--threads", type=int, help="waitress worker threads (default: 8)")
    args = parser.parse_args(argv)
    limit_arenas()  # before the store's and the server's threads start (kg.web.heap says why)
    try:
        settings = load_settings(host=args.host, port=args.port, store=args.store, threads=args.threads)
        app = create_app(settings)
    except KgError as exc:
        print(f"kg: {exc.message}", file=sys.stderr)
        return exc.exit_code
    serve(app, host=settings.host, port=settings.port, threads=settings.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
