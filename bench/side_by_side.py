"""Side by side on one store: kg's /sparql, `oxigraph serve`, and pyoxigraph called directly.

For a one-resource lookup, `ASK {}` and every named query, with 1, 8 and 32 clients:

- pyoxigraph direct (the engine's floor): threads in this process run the query and write the
  answer as SPARQL JSON, as kg's workers do; run first, on the store itself;
- `kg serve` and `oxigraph serve`, each on its own checkpoint of the store (RocksDB hard links,
  so the same data and layout), driven by `wrk` (a C load generator: the client does not
  compete for the GIL) over loopback, asking for SPARQL JSON.

The lookup and ASK run `--seconds` per cell under wrk; the named queries, which take seconds
each, are asked `--repeat` times in a row by one client (wrk counts only requests that finish
within its fixed duration).
Prints a Markdown table with requests per second, p50 and p99 for each, kg/oxigraph throughput
and kg/direct p50. Both servers share the machine with the load generator, so read the ratios.

    python -m bench.side_by_side --store /tmp/kg-1m [--clients 1 8 32] [--seconds 5]
    python -m bench.side_by_side --scaling /tmp/kg-100k /tmp/kg-1m /tmp/kg-3m   # named queries, direct
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import requests

from bench.soak import free_port, start_server
from kg.named import named_queries

JSON = ox.QueryResultsFormat.JSON
PERSON = "SELECT ?p WHERE { ?p a <https://schema.org/Person> } LIMIT 50"
OXIGRAPH = str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "oxigraph")


def queries(store: ox.Store) -> dict[str, str]:
    people = [row["p"].value for row in store.query(PERSON)]
    found = {"lookup": f"SELECT ?p ?o WHERE {{ <{people[len(people) // 2]}> ?p ?o }}", "ask": "ASK {}"}
    found.update({name: q.sparql for name, q in sorted(named_queries().items())})
    return found


def direct(store: ox.Store, query: str, clients: int, seconds: float) -> dict:
    """Threads calling pyoxigraph: answers per second and latency percentiles."""
    times: list[float] = []
    stop = time.monotonic() + seconds

    def loop() -> None:
        while True:
            start = time.perf_counter()
            store.query(query).serialize(format=JSON)
            times.append(time.perf_counter() - start)
            if time.monotonic() > stop:
                return

    began = time.perf_counter()
    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(times, time.perf_counter() - began)


def summary(times: list[float], elapsed: float) -> dict:
    ordered = sorted(times)
    return {"rps": len(times) / elapsed, "p50_ms": statistics.median(ordered) * 1e3,
            "p99_ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1e3, "n": len(times)}


def wrk(url: str, clients: int, seconds: float) -> dict:
    """Drive `url` with wrk; requests per second, p50, p99 and the count of non-2xx answers."""
    done = subprocess.run(
        ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{math.ceil(seconds)}s", "--latency",
         "--timeout", "120s", "-H", "Accept: application/sparql-results+json", url],
        capture_output=True, text=True, check=True, timeout=seconds + 180)
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else ""}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def start_oxigraph(location: str, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"
    for _ in range(600):
        if subprocess.run(["curl", "-sf", "-o", "/dev/null", url], check=False).returncode == 0:
            return proc
        time.sleep(0.1)
    raise SystemExit("oxigraph serve did not start")


def sequential(url: str, repeat: int) -> dict:
    """One client asking `repeat` times in a row (for queries too slow for wrk's fixed duration)."""
    times = []
    began = time.perf_counter()
    for _ in range(repeat):
        start = time.perf_counter()
        response = requests.get(url, headers={"Accept": "application/sparql-results+json"}, timeout=900)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url[:80]}: HTTP {response.status_code} {response.text[:200]}")
    return {**summary(times, time.perf_counter() - began), "non_2xx": 0}


def side_by_side(path: str, clients: list[int], seconds: float, repeat: int, only: list[str]) -> list[dict]:
    store = ox.Store(path)
    found = {name: q for name, q in queries(store).items() if not only or name in only}
    rows = []
    for name, query in found.items():
        small = name in ("lookup", "ask")
        for c in clients if small else [1]:
            if small:
                rows.append({"query": name, "clients": c, "seconds": seconds,
                             "direct": direct(store, query, c, seconds)})
            else:  # one at a time, `repeat` times: these take seconds each on a shared machine
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    store.query(query).serialize(format=JSON)
                    times.append(time.perf_counter() - start)
                rows.append({"query": name, "clients": c, "repeat": repeat,
                             "direct": summary(times, sum(times))})
    with tempfile.TemporaryDirectory() as tmp:
        store.backup(f"{tmp}/kg")
        store.backup(f"{tmp}/oxigraph")
        del store
        kg_port, ox_port = free_port(), free_port()
        kg, _ = start_server(f"{tmp}/kg", kg_port, 8, timeout=900)
        oxi = start_oxigraph(f"{tmp}/oxigraph", ox_port)
        try:
            for row in rows:
                q = urllib.parse.quote(found[row["query"]])
                urls = {"kg": f"http://127.0.0.1:{kg_port}/sparql?query={q}",
                        "oxigraph": f"http://127.0.0.1:{ox_port}/query?query={q}"}
                for target, url in urls.items():
                    row[target] = (sequential(url, row["repeat"]) if "repeat" in row
                                   else wrk(url, row["clients"], row["seconds"]))
                print_row(row)
        finally:
            kg.kill()
            oxi.kill()
            kg.wait()
            oxi.wait()
    return rows


def print_row(row: dict) -> None:
    k, o, d = row["kg"], row["oxigraph"], row["direct"]
    flags = "" if not (k["non_2xx"] or o["non_2xx"]) else f" non-2xx kg {k['non_2xx']} oxigraph {o['non_2xx']}"
    print(f"| {row['query']} | {row['clients']} | {k['rps']:.1f} | {o['rps']:.1f} | {k['rps'] / o['rps']:.2f} "
          f"| {k['p50_ms']:.1f} / {k['p99_ms']:.1f} | {o['p50_ms']:.1f} / {o['p99_ms']:.1f} "
          f"| {d['rps']:.1f} | {d['p50_ms']:.1f} | {k['p50_ms'] / d['p50_ms']:.2f} |{flags}", flush=True)


def scaling(paths: list[str], repeat: int) -> list[dict]:
    """Median time of each named query, pyoxigraph direct, on stores of growing size."""
    rows = []
    for path in paths:
        store = ox.Store(path)
        size = len(store)
        for name, q in sorted(named_queries().items()):
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                answer = store.query(q.sparql).serialize(format=JSON)
                times.append(time.perf_counter() - start)
            rows.append({"quads": size, "query": name, "median_s": statistics.median(times),
                         "rows": len(json.loads(answer)["results"]["bindings"])})
            print(f"| {size:,} | {name} | {statistics.median(times) * 1e3:.1f} ms | {rows[-1]['rows']} |", flush=True)
        del store
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="the store to compare on (left unchanged)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--only", nargs="+", default=[], help="only these requests (lookup, ask, named queries)")
    parser.add_argument("--scaling", nargs="+", help="stores of growing size: time the named queries on each")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default="bench/results/side_by_side.json")
    args = parser.parse_args(argv)
    shutil.which("wrk") or parser.error("needs wrk (Debian package wrk) as the load generator")
    results: dict = {}
    if args.scaling:
        print("| quads | named query | median (direct) | rows |\n| --- | --- | --- | --- |")
        results["scaling"] = scaling(args.scaling, args.repeat)
    if args.store:
        print("| query | clients | kg req/s | oxigraph req/s | kg/oxigraph | kg p50 / p99 ms | oxigraph p50 / p99 ms "
              "| direct req/s | direct p50 ms | kg/direct p50 |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        results["side_by_side"] = side_by_side(args.store, args.clients, args.seconds, args.repeat, args.only)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
