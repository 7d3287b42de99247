"""Streaming: time to first byte and server memory for large SELECT and CONSTRUCT answers.

Starts `kg serve` on an on-disk store of synthetic triples, reads answers of growing size over
HTTP chunk by chunk, and samples the peak resident memory of the server and its query workers
(/proc VmRSS). If answers stream, memory stays flat as the answer grows.

    python -m bench.stream_memory [--triples 1000000]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import requests

EX = "https://kg.example.org/id/bench/"
JSON = "application/sparql-results+json"


def fill(path: str, n: int) -> None:
    store = ox.Store(path)
    name = ox.NamedNode("https://schema.org/name")
    store.bulk_extend(ox.Quad(ox.NamedNode(f"{EX}{i}"), name, ox.Literal(f"name number {i}")) for i in range(n))
    store.flush()
    del store


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, KiB."""
    total = 0
    pids = [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        status = Path(f"/proc/{p}/status")
        if status.exists():
            total += int(re.search(r"VmRSS:\s+(\d+)", status.read_text()).group(1))
    return total


def measure(url: str, pid: int, query: str, accept: str) -> tuple[float, float, int, int]:
    peak = [rss_kib(pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    first = None
    size = 0
    with requests.post(url, data={"query": query}, headers={"Accept": accept}, stream=True, timeout=600) as r:
        r.raise_for_status()
        for chunk in r.iter_content(65536):
            if first is None:
                first = time.perf_counter() - start
            size += len(chunk)
    total = time.perf_counter() - start
    done.set()
    sampler.join()
    return first or total, total, size, peak[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/store"
        fill(path, args.triples)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "KG_QUERY_TIMEOUT": "600"}
        server = subprocess.Popen([sys.executable, "-c", "from kg.cli import main; main()", "--store", path,
                                   "serve", "--port", str(port), "--threads", "2"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        try:
            server.stdout.readline()
            url = f"http://127.0.0.1:{port}/sparql"
            measure(url, server.pid, "ASK {}", "application/sparql-results+json")  # start a worker
            print(f"streaming from an on-disk store of {args.triples} triples (kg serve, 2 threads):")
            print("| answer | rows | first byte | total | bytes | server+workers peak RSS |")
            print("| --- | --- | --- | --- | --- | --- |")
            for rows in (args.triples // 100, args.triples // 10, args.triples):
                for label, query, accept in (
                    ("SELECT json", f"SELECT ?s ?o WHERE {{ ?s ?p ?o }} LIMIT {rows}", JSON),
                    ("CONSTRUCT n-triples", f"CONSTRUCT WHERE {{ ?s ?p ?o }} LIMIT {rows}", "application/n-triples"),
                ):
                    first, total, size, peak = measure(url, server.pid, query, accept)
                    print(f"| {label} | {rows} | {first:.3f} s | {total:.2f} s | {size / 1e6:.1f} MB "
                          f"| {peak / 1024:.0f} MiB |")
        finally:
            server.terminate()
            server.wait()
            server.stdout.close()


if __name__ == "__main__":
    main()
