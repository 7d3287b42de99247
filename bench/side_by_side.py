"""Side by side on one store: kg's /sparql, `oxigraph serve`, and pyoxigraph called directly.

For a one-resource lookup, `ASK {}` and every named query, with 1, 8 and 32 clients:

- pyoxigraph direct (the engine's floor): threads in this process run the query and write the
  answer as SPARQL JSON, as kg's workers do; run first, on the store itself;
- `kg serve` and `oxigraph serve`, each on its own checkpoint of the store (RocksDB hard links,
  so the same data and layout), asked over loopback for SPARQL JSON, one after the other for
  each cell so that both meet the same load on the machine.

The lookup and ASK run `--seconds` per cell under `wrk` (a C load generator, so the client does
not compete for the GIL; `python3 dev.py bench` installs it). The named queries, which take
seconds each, are asked by `clients` threads at once, each asking back to back until the cell
has `--requests` answers (at least one per client): wrk counts only the requests that finish
within its fixed duration, so a 30-second query under 32 clients would count none. Every cell
also records the CPU seconds the load generator and the server used, to show which one ran out.

Prints a Markdown table with requests per second, p50 and p99 for each, kg/oxigraph throughput
and kg/direct p50. All share the machine, so read the ratios.

    python -m bench.side_by_side --store /tmp/kg-1m [--clients 1 8 32] [--seconds 5] [--requests 3]
    python -m bench.side_by_side --scaling /tmp/kg-100k /tmp/kg-1m /tmp/kg-3m   # named queries, direct
    python -m bench.side_by_side --join-probe 1000 10000 100000 300000        # the cache, on one join
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import requests

from bench.soak import free_port, start_server
from kg.named import named_queries

JSON = ox.QueryResultsFormat.JSON
PERSON = "SELECT ?p WHERE { ?p a <https://schema.org/Person> } LIMIT 50"
OXIGRAPH = str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "oxigraph")
SMALL = ("lookup", "ask")  # timed by wrk for a fixed duration; the rest by answer count
TICKS = os.sysconf("SC_CLK_TCK")


def queries(store: ox.Store) -> dict[str, str]:
    people = [row["p"].value for row in store.query(PERSON)]
    found = {"lookup": f"SELECT ?p ?o WHERE {{ <{people[len(people) // 2]}> ?p ?o }}", "ask": "ASK {}"}
    found.update({name: q.sparql for name, q in sorted(named_queries().items())})
    return found


def load_average() -> str:
    """The 1-minute load average and the number of cores, as `uptime` would tell them."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a live process and all its live descendants (kg's workers)."""
    total, pending = 0.0, [pid]
    while pending:
        p = pending.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
            pending += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue  # gone meanwhile
    return total


def summary(times: list[float], elapsed: float) -> dict:
    if not times:
        return {"rps": 0.0, "p50_ms": math.nan, "p99_ms": math.nan, "n": 0}
    ordered = sorted(times)
    return {"rps": len(times) / elapsed, "p50_ms": statistics.median(ordered) * 1e3,
            "p99_ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1e3, "n": len(times)}


def per_client(clients: int, requests_wanted: int) -> int:
    """Answers each client asks for, so that a cell has `requests_wanted` and every client asks once."""
    return max(1, math.ceil(requests_wanted / clients))


def closed_loop(ask: Callable[[], None], clients: int, each: int) -> dict:
    """`clients` threads asking `each` times back to back; rate over the whole cell and latency percentiles."""
    times: list[float] = []
    failures: list[str] = []

    def loop() -> None:
        for _ in range(each):
            start = time.perf_counter()
            try:
                ask()
            except RequestFailed as failed:
                failures.append(str(failed))
                continue
            times.append(time.perf_counter() - start)

    cpu, began = time.process_time(), time.perf_counter()
    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {**summary(times, elapsed), "non_2xx": len(failures), "failures": failures[:3],
            "client_cpu_s": time.process_time() - cpu, "elapsed_s": elapsed}


class RequestFailed(Exception):
    """An answer other than 200 (its status and the start of its body)."""


def http_get(url: str) -> Callable[[], None]:
    def ask() -> None:
        response = requests.get(url, headers={"Accept": "application/sparql-results+json"}, timeout=900)
        if response.status_code != 200:
            raise RequestFailed(f"HTTP {response.status_code} {response.text[:200]}")
    return ask


def direct_query(store: ox.Store, query: str) -> Callable[[], None]:
    def ask() -> None:
        store.query(query).serialize(format=JSON)
    return ask


def direct_for(store: ox.Store, query: str, clients: int, seconds: float) -> dict:
    """Threads calling pyoxigraph for `seconds`: answers per second and latency percentiles."""
    times: list[float] = []
    stop = time.monotonic() + seconds
    ask = direct_query(store, query)

    def loop() -> None:
        while time.monotonic() < stop:
            start = time.perf_counter()
            ask()
            times.append(time.perf_counter() - start)

    began = time.perf_counter()
    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(times, time.perf_counter() - began)


def wrk(url: str, clients: int, seconds: float) -> dict:
    """Drive `url` with wrk; requests per second, p50, p99, non-2xx answers and wrk's own CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{math.ceil(seconds)}s", "--latency",
         "--timeout", "120s", "-H", "Accept: application/sparql-results+json", url],
        capture_output=True, text=True, check=True, timeout=seconds + 180)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = done.stdout
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
            "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
            "non_2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(0) if errors else "",
            "client_cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "elapsed_s": math.ceil(seconds)}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def start_oxigraph(location: str, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"
    for _ in range(600):
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return proc
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("oxigraph serve did not start")


def cells(found: dict[str, str], clients: list[int], seconds: float, wanted: int,
          warm_up: bool = False) -> list[dict]:
    """One row per request kind and client count, saying how it is to be driven."""
    rows = []
    for name in found:
        for count in clients:
            drive = ({"seconds": seconds} if name in SMALL
                     else {"each": per_client(count, wanted), "warm_up": warm_up})
            rows.append({"query": name, "clients": count, **drive})
    return rows


def measure(row: dict, ask: Callable[[], None], url: str | None = None) -> dict:
    """Run one cell the way its row says: wrk for a duration, or a closed loop of answers.

    With `warm_up` in the row, every client first asks once, untimed: the cell then measures the
    steady state, not kg's pool starting workers that fill their own caches (`--warm-up`).
    """
    if "seconds" in row:
        return wrk(url, row["clients"], row["seconds"])
    if row.get("warm_up"):
        closed_loop(ask, row["clients"], 1)
    return closed_loop(ask, row["clients"], row["each"])


def side_by_side(path: str, clients: list[int], seconds: float, wanted: int, only: list[str],
                 warm_up: bool = False) -> dict:
    store = ox.Store(path)
    found = {name: q for name, q in queries(store).items() if not only or name in only}
    rows = cells(found, clients, seconds, wanted, warm_up)
    load = {"direct_start": load_average()}
    for row in rows:
        query = found[row["query"]]
        row["direct"] = (direct_for(store, query, row["clients"], row["seconds"]) if "seconds" in row
                         else measure(row, direct_query(store, query)))
    load["direct_end"] = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        store.backup(f"{tmp}/kg")
        store.backup(f"{tmp}/oxigraph")
        del store
        kg_port, ox_port = free_port(), free_port()
        kg, _ = start_server(f"{tmp}/kg", kg_port, 8, timeout=900)
        oxi = start_oxigraph(f"{tmp}/oxigraph", ox_port)
        load["servers_start"] = load_average()
        try:
            for row in rows:
                q = urllib.parse.quote(found[row["query"]])
                for target, proc, url in (("kg", kg, f"http://127.0.0.1:{kg_port}/sparql?query={q}"),
                                          ("oxigraph", oxi, f"http://127.0.0.1:{ox_port}/query?query={q}")):
                    server_cpu = cpu_seconds(proc.pid)
                    row[target] = measure(row, http_get(url), url)
                    row[target]["server_cpu_s"] = cpu_seconds(proc.pid) - server_cpu
                print_row(row)
        finally:
            for proc in (kg, oxi):
                proc.kill()
                proc.wait()
        load["servers_end"] = load_average()
    print(f"load average (1 min): {load}", flush=True)
    return {"load": load, "rows": rows}


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b and not math.isnan(a) and not math.isnan(b) else "-"


def print_row(row: dict) -> None:
    k, o, d = row["kg"], row["oxigraph"], row["direct"]
    flags = "" if not (k["non_2xx"] or o["non_2xx"]) else f" non-2xx kg {k['non_2xx']} oxigraph {o['non_2xx']}"
    print(f"| {row['query']} | {row['clients']} | {k['rps']:.2f} | {o['rps']:.2f} | {_ratio(k['rps'], o['rps'])} "
          f"| {k['p50_ms']:.1f} / {k['p99_ms']:.1f} | {o['p50_ms']:.1f} / {o['p99_ms']:.1f} "
          f"| {d['rps']:.2f} | {d['p50_ms']:.1f} | {_ratio(k['p50_ms'], d['p50_ms'])} "
          f"| {k['client_cpu_s']:.1f} / {k['server_cpu_s']:.1f} | {o['client_cpu_s']:.1f} / {o['server_cpu_s']:.1f} "
          f"|{flags}", flush=True)


HEADER = ("| query | clients | kg req/s | oxigraph req/s | kg/oxigraph | kg p50 / p99 ms | oxigraph p50 / p99 ms "
          "| direct req/s | direct p50 ms | kg/direct p50 "
          "| kg client / server CPU s | oxigraph client / server CPU s |\n"
          "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")


# What the engine itself costs per row at each size, beside the named queries: one scan of a
# predicate, a MIN over strings per subject, an ORDER BY over strings (both decode each string).
ENGINE = {
    "(engine) scan every schema:name": "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://schema.org/name> ?o }",
    "(engine) MIN(name) per subject": "SELECT ?s (MIN(?o) AS ?m) WHERE { ?s <https://schema.org/name> ?o } GROUP BY ?s",
    "(engine) ORDER BY every name": "SELECT ?o WHERE { ?s <https://schema.org/name> ?o } ORDER BY ?o",
    # The same 1,000 rows at every size: what grows is the cost of one look-up in the string
    # table (each person IRI is decoded from it to be written out), not the number of them.
    "(engine) write 1,000 person IRIs": "SELECT ?p WHERE { ?p a <https://schema.org/Person> } LIMIT 1000",
}


def operator_rows(plan: dict) -> list[tuple[str, int]]:
    """Each operator of an explained plan, depth first, with the rows it produced."""
    rows = [(plan["name"], plan.get("number of results", 0))]
    for child in plan.get("children", []):
        rows += operator_rows(child)
    return rows


def explained(location: str, sparql: str) -> dict:
    """Oxigraph's plan for `sparql` on the store at `location`, with the rows each operator produced.

    pyoxigraph 0.5.13 has no explain call; the `oxigraph` command of the same version writes the
    plan with statistics (`query --explain-file … --stats`). It opens the store for writing, so it
    is given a checkpoint, never the store being measured.
    """
    with tempfile.TemporaryDirectory() as tmp:
        query_file = Path(tmp, "query.rq")
        query_file.write_text(sparql)
        subprocess.run([OXIGRAPH, "query", "--location", location, "--query-file", str(query_file),
                        "--results-file", f"{tmp}/answer.tsv", "--explain-file", f"{tmp}/plan.json",
                        "--stats"], check=True, capture_output=True, timeout=900)
        return json.loads(Path(tmp, "plan.json").read_text())["plan"]


def exponent(sizes: list[int], values: list[float]) -> float:
    """The k of value ∝ size^k fitted by least squares on logarithms: 1.0 is linear."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(v, 1e-12)) for v in values]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def scaling(paths: list[str], repeat: int, work: bool = True) -> dict:
    """Median wall and CPU time of each named query, pyoxigraph direct, on stores of growing size.

    The CPU time is the calling thread's (pyoxigraph evaluates in it): on a machine shared with
    other work the wall time also counts the waiting for a core, the CPU time much less so.
    With `work`, also the rows every operator of the query's plan produced at each size (the
    engine's work, counted in rows, whatever the machine), so that the time per row can be read
    apart from the number of rows.
    """
    wall: dict[str, dict[int, float]] = {}
    cpu: dict[str, dict[int, float]] = {}
    operators: dict[str, dict[int, list[tuple[str, int]]]] = {}
    sizes, rows_at, load = [], {}, [load_average()]
    measured = {**{n: q.sparql for n, q in named_queries().items()}, **ENGINE}
    for path in paths:
        store = ox.Store.read_only(path)
        size = len(store)
        sizes.append(size)
        for name, sparql in measured.items():
            took, used = [], []
            for _ in range(repeat):
                start, start_cpu = time.perf_counter(), time.thread_time()
                answer = store.query(sparql).serialize(format=JSON)
                took.append(time.perf_counter() - start)
                used.append(time.thread_time() - start_cpu)
            wall.setdefault(name, {})[size] = statistics.median(took)
            cpu.setdefault(name, {})[size] = statistics.median(used)
            rows_at[(name, size)] = len(json.loads(answer)["results"]["bindings"])
            print(f"  {size:,} quads {name}: {statistics.median(took) * 1e3:.1f} ms wall, "
                  f"{statistics.median(used) * 1e3:.1f} ms CPU, {rows_at[(name, size)]} rows", flush=True)
        load.append(load_average())
        if work:
            with tempfile.TemporaryDirectory() as tmp:
                store.backup(f"{tmp}/checkpoint")
                for name, sparql in measured.items():
                    operators.setdefault(name, {})[size] = operator_rows(explained(f"{tmp}/checkpoint", sparql))
        del store
    for title, times in (("wall", wall), ("CPU", cpu)):
        print(f"\nmedian {title} time of {repeat} runs")
        print_scaling(times, sizes, rows_at)
    result = {"sizes": sizes, "load": load, "repeat": repeat, "median_wall_s": wall, "median_cpu_s": cpu,
              "rows": {f"{name} {size}": n for (name, size), n in rows_at.items()}}
    if work:
        result["work"] = print_work(operators, cpu, sizes)
    print(f"\nload average (1 min) before the first size and after each: {load}")
    return result


def print_scaling(times: dict[str, dict[int, float]], sizes: list[int], rows_at: dict) -> None:
    """Median per size, each larger size's growth divided by the data's (1.0 is linear), the fitted exponent."""
    base = sizes[0]
    head = " | ".join(f"{s:,} quads" for s in sizes)
    growth = " | ".join(f"growth / data ×{s / base:.1f}" for s in sizes[1:])
    print(f"| named query | {head} | {growth} | exponent | rows |")
    print("| --- " * (2 * len(sizes) + 1) + "| --- |")
    for name, by_size in times.items():
        medians = " | ".join(f"{by_size[s] * 1e3:,.0f} ms" for s in sizes)
        ratios = " | ".join(f"{by_size[s] / by_size[base] / (s / base):.2f}" for s in sizes[1:])
        counts = " → ".join(str(rows_at[(name, s)]) for s in sizes)
        fitted = exponent(sizes, [by_size[s] for s in sizes])
        print(f"| {name} | {medians} | {ratios} | {fitted:.2f} | {counts} |")


def print_work(operators: dict[str, dict[int, list[tuple[str, int]]]], cpu: dict[str, dict[int, float]],
               sizes: list[int]) -> dict:
    """Rows produced by all operators per size, the operator that grew most, and CPU time per row.

    The plan is the same at every size (Oxigraph plans without statistics of the data), so the
    operators line up one to one; "most" is the largest growth of one operator's rows divided
    by the data's.
    """
    base, last = sizes[0], sizes[-1]
    print("\nwork: rows produced by all the plan's operators (`oxigraph query --explain-file --stats`), "
          "and median CPU time per 1,000 of them")
    head = " | ".join(f"rows at {s:,}" for s in sizes)
    per_row = " | ".join(f"µs / 1,000 rows at {s:,}" for s in sizes)
    print(f"| query | {head} | rows: exponent | most-grown operator: rows growth / data | {per_row} "
          f"| CPU per row: exponent |")
    print("| --- " * (2 * len(sizes) + 4) + "|")
    summary_rows = {}
    for name, by_size in operators.items():
        totals = [sum(rows for _, rows in by_size[s]) for s in sizes]
        steepest, steepest_name = 0.0, ""
        if all(len(by_size[s]) == len(by_size[base]) for s in sizes):
            for (op, first), (_, final) in zip(by_size[base], by_size[last], strict=True):
                growth = final / first / (last / base) if first else 0.0  # none at the smallest: unmeasured
                if growth > steepest:
                    steepest, steepest_name = growth, op
        cost = [cpu[name][s] / totals[i] * 1e9 if totals[i] else math.nan for i, s in enumerate(sizes)]
        label = f"{steepest:.2f} ({steepest_name[:48]})" if steepest_name else "plans differ"
        print(f"| {name} | " + " | ".join(f"{t:,}" for t in totals)
              + f" | {exponent(sizes, totals):.2f} | {label} | " + " | ".join(f"{c:,.0f}" for c in cost)
              + f" | {exponent(sizes, cost):.2f} |")
        summary_rows[name] = {"rows_handled": dict(zip(sizes, totals, strict=True)),
                              "most_grown_operator": steepest_name, "most_grown_rows_over_data": steepest,
                              "ns_cpu_per_row": dict(zip(sizes, cost, strict=True)),
                              "operators": {s: by_size[s] for s in sizes}}
    return summary_rows


SYNTHETIC = "http://example.org/synthetic/"


def synthetic_chains(count: int) -> bytes:
    """`count` typed things, each linked to its own person, each person with a name: N-Triples."""
    lines = []
    for i in range(count):
        thing, person = f"<{SYNTHETIC}thing/{i}>", f"<{SYNTHETIC}person/{(i * 7919) % count}>"
        lines += [f"{thing} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SYNTHETIC}Thing> .",
                  f"{thing} <{SYNTHETIC}person> {person} .",
                  f'{person} <{SYNTHETIC}name> "name {(i * 104729) % count}" .']
    return "\n".join(lines).encode()


# The shape of the named queries (each pattern a projected subquery, joined by hashing), counted
# rather than written out, so that only the joins are timed.
SYNTHETIC_JOIN = f"""SELECT (COUNT(*) AS ?n) WHERE {{
  {{ SELECT ?thing WHERE {{ ?thing a <{SYNTHETIC}Thing> }} }}
  {{ SELECT ?thing ?person WHERE {{ ?thing <{SYNTHETIC}person> ?person }} }}
  {{ SELECT ?person ?name WHERE {{ ?person <{SYNTHETIC}name> ?name }} }} }}"""


def join_probe(counts: list[int], repeat: int) -> dict[int, float]:
    """CPU time per joined row of the same three-pattern hash join over `count` rows, in memory.

    The store is pyoxigraph's in-memory one and holds only these triples, so nothing but the size
    of the join's own hash tables changes from one count to the next: if the time per row grows,
    it is the memory hierarchy (the tables leaving the L2, then the L3 cache), not the store.
    """
    per_row = {}
    print("\nsynthetic join, in memory: median CPU time per row")
    print("| rows joined | CPU ms | ns per row |\n| --- | --- | --- |")
    for count in counts:
        store = ox.Store()
        store.bulk_load(synthetic_chains(count), format=ox.RdfFormat.N_TRIPLES)
        used = []
        for _ in range(repeat):
            start = time.thread_time()
            store.query(SYNTHETIC_JOIN).serialize(format=JSON)
            used.append(time.thread_time() - start)
        per_row[count] = statistics.median(used) / count
        print(f"| {count:,} | {statistics.median(used) * 1e3:,.1f} | {per_row[count] * 1e9:,.0f} |", flush=True)
        del store
    return per_row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="the store to compare on (left unchanged)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=5, help="wrk's duration for a lookup or ASK cell")
    parser.add_argument("--requests", type=int, default=3,
                        help="answers per named-query cell (at least one per client)")
    parser.add_argument("--only", nargs="+", default=[], help="only these requests (lookup, ask, named queries)")
    parser.add_argument("--warm-up", action="store_true",
                        help="every client asks once, untimed, before each named-query cell (the steady state)")
    parser.add_argument("--scaling", nargs="+", help="stores of growing size: time the named queries on each")
    parser.add_argument("--repeat", type=int, default=3, help="runs per named query and size in --scaling")
    parser.add_argument("--join-probe", type=int, nargs="+", default=[],
                        help="row counts for a synthetic in-memory join of the named queries' shape (cache probe)")
    parser.add_argument("--no-work", action="store_true",
                        help="in --scaling, skip counting the rows each operator produces (needs the oxigraph command)")
    parser.add_argument("--out", default="bench/results/side_by_side.json")
    args = parser.parse_args(argv)
    if args.store and not shutil.which("wrk"):
        parser.error("needs wrk (Debian package wrk) as the load generator: `python3 dev.py bench` installs it")
    results: dict = {}
    if args.scaling:
        results["scaling"] = scaling(args.scaling, args.repeat, work=not args.no_work)
    if args.join_probe:
        results["join_probe_s_per_row"] = join_probe(args.join_probe, args.repeat)
    if args.store:
        print(HEADER, flush=True)
        results["side_by_side"] = side_by_side(args.store, args.clients, args.seconds, args.requests, args.only,
                                               args.warm_up)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
