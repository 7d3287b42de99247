"""The ceiling of a Python front for small requests: kg against a bare Flask app and `oxigraph serve`.

For `ASK {}` and a one-resource lookup at 8 and 32 clients, driven by `wrk` over loopback:

- `kg serve` (waitress, 8 threads) on a checkpoint of the store;
- a bare Flask app that answers every request with the same constant SPARQL JSON, on the same
  WSGI server (waitress, 8 threads): the most any Flask app on waitress can do here;
- a WSGI callable with no framework, returning the same constant on waitress: the HTTP server's
  own cost, so what remains above it is Flask's;
- the same bare app under gunicorn (2 processes x 8 threads, `gthread`), if gunicorn is installed:
  what several front processes could do on this machine's cores;
- `oxigraph serve` on another checkpoint of the store.

The cells run in rounds (every target once per round, in turn), so a drift in the shared
machine's speed touches all of them; the medians over rounds are printed as a Markdown table with
each target's rate over `oxigraph serve`'s.

    python -m bench.front_ceiling --store /tmp/kg-1m [--rounds 3] [--seconds 5] [--clients 8 32]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import requests

from bench.side_by_side import PERSON, start_oxigraph, wrk
from bench.soak import free_port, start_server

BIN = Path(sys.executable).parent
CONSTANT = b'{"head":{},"boolean":true}'


def bare_app():  # noqa: ANN201 - a Flask app, imported by the servers started below
    """A Flask app with one view that returns a constant: no kg code at all."""
    from flask import Flask, Response

    app = Flask("bare")

    @app.route("/sparql")
    def constant() -> Response:
        return Response(CONSTANT, content_type="application/sparql-results+json")

    return app


def bare_wsgi(environ: dict, start_response) -> list[bytes]:  # noqa: ANN001 - the WSGI callable protocol
    """A WSGI callable with no framework at all: what the HTTP server alone costs per request."""
    start_response("200 OK", [("Content-Type", "application/sparql-results+json"),
                              ("Content-Length", str(len(CONSTANT)))])
    return [CONSTANT]


def start(command: list[str], port: int) -> subprocess.Popen:
    """Start a server and wait until it answers; on any failure it is stopped before raising."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if requests.get(f"http://127.0.0.1:{port}/sparql", timeout=10).status_code == 200:
                    return proc
            except requests.RequestException:  # not listening yet, or slow to answer on a busy machine
                time.sleep(0.1)
        raise SystemExit(f"{command[0]} did not start")
    except BaseException:
        stop(proc)
        raise


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM first (gunicorn's master then stops its workers), SIGKILL if it lingers."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def bare_servers() -> dict[str, tuple[list[str], int]]:
    """The commands serving `bare_app` (waitress; gunicorn when installed) and `bare_wsgi`, with their ports."""
    factory = "bench.front_ceiling:bare_app"
    port, wsgi_port = free_port(), free_port()
    servers = {"bare Flask, waitress": ([str(BIN / "waitress-serve"), "--threads=8", f"--listen=127.0.0.1:{port}",
                                         "--call", factory], port),
               "bare WSGI, waitress": ([str(BIN / "waitress-serve"), "--threads=8", f"--listen=127.0.0.1:{wsgi_port}",
                                        "bench.front_ceiling:bare_wsgi"], wsgi_port)}
    if importlib.util.find_spec("gunicorn") is not None:
        port = free_port()
        servers["bare Flask, gunicorn 2x8"] = ([str(BIN / "gunicorn"), "-w", "2", "-k", "gthread", "--threads", "8",
                                                 "-b", f"127.0.0.1:{port}", f"{factory}()"], port)
    return servers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="the store to serve (left unchanged)")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default="bench/results/front_ceiling.json")
    args = parser.parse_args(argv)
    store = ox.Store(args.store)
    person = [row["p"].value for row in store.query(PERSON)][0]
    queries = {"ASK {}": "ASK {}", "lookup": f"SELECT ?p ?o WHERE {{ <{person}> ?p ?o }}"}
    cells: dict[tuple[str, str, int], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store.backup(f"{tmp}/kg")
        store.backup(f"{tmp}/oxigraph")
        del store
        procs, bases = [], {}
        try:
            kg_port, ox_port = free_port(), free_port()
            procs.append(start_server(f"{tmp}/kg", kg_port, 8)[0])
            bases["kg"] = f"http://127.0.0.1:{kg_port}/sparql"
            procs.append(start_oxigraph(f"{tmp}/oxigraph", ox_port))
            bases["oxigraph serve"] = f"http://127.0.0.1:{ox_port}/query"
            for name, (command, port) in bare_servers().items():
                procs.append(start(command, port))
                bases[name] = f"http://127.0.0.1:{port}/sparql"
            for round_ in range(args.rounds):
                for label, query in queries.items():
                    for clients in args.clients:
                        for target, base in bases.items():
                            measured = wrk(f"{base}?query={urllib.parse.quote(query)}", clients, args.seconds)
                            if measured["non_2xx"] or measured["socket_errors"]:
                                print(f"round {round_}: {target} {label} {clients}: {measured}", file=sys.stderr)
                            cells.setdefault((label, target, clients), []).append(measured["rps"])
                print(f"round {round_ + 1} of {args.rounds} done", file=sys.stderr, flush=True)
        finally:
            for proc in procs:
                stop(proc)
    print_table(cells, args.clients, list(bases))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps([{"request": k[0], "target": k[1], "clients": k[2], "rps": v}
                                          for k, v in cells.items()], indent=1))


def print_table(cells: dict[tuple[str, str, int], list[float]], clients: list[int], targets: list[str]) -> None:
    """Median requests per second of each target, and its ratio to `oxigraph serve`'s."""
    print("| request | clients | " + " | ".join(f"{t} req/s" for t in targets) + " | "
          + " | ".join(f"{t} / oxigraph" for t in targets if t != "oxigraph serve") + " |")
    print("| --- " * (2 + len(targets) * 2 - 1) + "|")
    for label in dict.fromkeys(k[0] for k in cells):
        for c in clients:
            medians = {t: statistics.median(cells[(label, t, c)]) for t in targets}
            ratios = [f"{medians[t] / medians['oxigraph serve']:.2f}" for t in targets if t != "oxigraph serve"]
            print(f"| {label} | {c} | " + " | ".join(f"{medians[t]:,.0f}" for t in targets) + " | "
                  + " | ".join(ratios) + " |")


if __name__ == "__main__":
    main()
