"""Soak: queries answered while articles arrive at a steady rate, against the same queries idle.

Starts `kg serve` (loopback only) on a copy of a store built by `bench.dataset`, then:

1. idle: `--clients` query clients cycle through the query kinds (ASK, a one-resource lookup,
   the count of graphs, every named query) for `--idle` seconds;
2. soak: the same clients, plus one client posting articles to `/ingest` at `--rate` articles
   a second in requests of `--batch`, for `--seconds`. Every answer's status is checked; the
   count of graphs must never go down for any client (monotonic reads), and the ingest client
   counts the graphs right after each write's response (read-your-writes). Every 5 s: the
   server's resident memory (with its query workers), the store's size on disk, its write-ahead
   log and the checkpoints' extra size;
3. restart: the server is killed (SIGKILL, the worst case) and started again, then stopped
   with SIGINT and started again; the time until it answers `ASK {}` each time.

Prints a table of p50/p99 per query kind idle and under ingest, errors by kind and the figures
over time; writes them as JSON (`--out`) and a plot (`--plot`).

    python -m bench.soak --quads 100000 --seconds 600 --clients 4 --rate 10
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import IO

import requests

from bench.corpus import base_articles
from bench.dataset import build
from kg.named import named_queries

TOKEN = "soak-token"  # noqa: S105 - a benchmark's own token, loopback only
GRAPHS = "SELECT (COUNT(*) AS ?n) WHERE { ?g a <https://kg.example.org/def/kg#ArticleGraph> }"
PEOPLE = "SELECT ?p WHERE { ?p a <https://schema.org/Person> } LIMIT 50"
KG = [str(Path(sys.executable).with_name("kg"))]
BARE = "bare Flask (reference)"  # a constant answer from a bare Flask app, probed beside kg


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: str, port: int, threads: int, *, timeout: float = 30) -> tuple[subprocess.Popen, float]:
    """Start `kg serve`; return it and the seconds until it answered ASK {}."""
    env = dict(os.environ, KG_WRITE_TOKEN=TOKEN, KG_QUERY_TIMEOUT=str(timeout))
    started = time.perf_counter()
    # SIGINT as a terminal's Ctrl-C gives it, even when this benchmark runs in the background
    # (where the shell has set SIGINT to be ignored, and children inherit that)
    # its log goes to a file: a pipe nobody reads fills up and blocks the server's logging
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([*KG, "--store", store, "serve", "--port", str(port), "--threads", str(threads)],
                            env=env, stdout=subprocess.DEVNULL, stderr=log,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    wait_until_answering(proc, log, port)
    return proc, time.perf_counter() - started


def wait_until_answering(proc: subprocess.Popen, log: IO[bytes], port: int) -> None:
    """Return once the server on `port` answers `ASK {}`; exit with the end of its `log` if it stops first."""
    url = f"http://127.0.0.1:{port}/sparql"
    while True:
        if proc.poll() is not None:
            log.seek(0)
            raise SystemExit(f"kg serve stopped: {log.read().decode()[-2000:]}")
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)


def pss_mib(pid: int) -> float:
    """Proportional resident memory (PSS) of a process and all its descendants (fork server, workers), MiB."""
    return sum(pss_by_role(pid).values())


def pss_by_role(pid: int) -> dict[str, float]:
    """PSS in MiB of the server itself, of its query workers (the fork server's children) and of the rest."""
    roles: dict[str, float] = {"server": 0.0, "workers": 0.0, "others": 0.0}
    pending = [(pid, "server")]
    while pending:
        p, role = pending.pop()
        try:
            with Path(f"/proc/{p}/smaps_rollup").open() as rollup:  # proportional: shared pages split
                roles[role] += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) / 1024
            forkserver = b"forkserver" in Path(f"/proc/{p}/cmdline").read_bytes()
            children = [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue  # gone meanwhile
        pending += [(c, "workers" if forkserver else "others") for c in children]
    return roles


def worker_count(pid: int) -> int:
    """Query workers alive now: the children of the server's fork server."""
    try:
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                return len(Path(f"/proc/{child}/task/{child}/children").read_text().split())
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def du_mib(*paths: str, suffix: str = "") -> float:
    """Bytes on disk under `paths` (a file hard-linked twice counted once), MiB; only names ending in `suffix`."""
    seen, total = set(), 0
    for path in paths:
        for root, _dirs, files in os.walk(path):
            for name in files:
                if name.endswith(suffix):
                    try:
                        st = os.stat(os.path.join(root, name))
                    except FileNotFoundError:
                        continue  # removed meanwhile (an old checkpoint, a compacted table)
                    if st.st_ino not in seen:
                        seen.add(st.st_ino)
                        total += st.st_blocks * 512
    return total / 2**20


class Soak:
    """The clients, what they saw, and the samples over time."""

    def __init__(self, base: str, kinds: dict[str, str]) -> None:
        self.base, self.sparql, self.kinds = base, base + "sparql", kinds
        self.latencies: dict[tuple[str, str], list[float]] = defaultdict(list)  # (phase, kind) -> seconds
        self.errors: Counter[str] = Counter()
        self.phase = "idle"
        self.stop = threading.Event()
        self.non_monotonic = 0
        self.not_visible = 0
        self.ingested = 0
        self.writes_checked = 0
        self.samples: list[dict] = []
        self.ask_trace: list[tuple[float, float]] = []

    def query(self, session: requests.Session, kind: str) -> requests.Response | None:
        start = time.perf_counter()
        try:
            response = session.get(self.sparql, params={"query": self.kinds[kind]}, timeout=60,
                                   headers={"Accept": "application/sparql-results+json"})
        except requests.RequestException as exc:
            self.errors[f"{kind}: {type(exc).__name__}"] += 1
            return None
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            self.errors[f"{kind}: HTTP {response.status_code}"] += 1
            return None
        self.latencies[(self.phase, kind)].append(elapsed)
        if kind == "ask":
            self.ask_trace.append((time.monotonic(), elapsed))
        return response

    def client(self, offset: int) -> None:
        session, seen = requests.Session(), 0
        for kind in itertools.islice(itertools.cycle(self.kinds), offset, None):
            if self.stop.is_set():
                return
            response = self.query(session, kind)
            if kind == "graphs" and response is not None:
                now = int(response.json()["results"]["bindings"][0]["n"]["value"])
                self.non_monotonic += now < seen
                seen = max(seen, now)

    def probe(self) -> None:
        """ASK {} and the lookup, ten times a second: enough samples for a p99 of small requests."""
        session = requests.Session()
        for kind in itertools.cycle(("ask", "lookup")):
            if self.stop.wait(0.05):
                return
            self.query(session, kind)

    def reference_probe(self, url: str) -> None:
        """The same cadence against a bare Flask app on waitress beside kg: what the machine alone costs."""
        session = requests.Session()
        while not self.stop.wait(0.1):
            start = time.perf_counter()
            try:
                response = session.get(url, timeout=60)
            except requests.RequestException as exc:
                self.errors[f"{BARE}: {type(exc).__name__}"] += 1
                continue
            if response.status_code == 200:
                self.latencies[(self.phase, BARE)].append(time.perf_counter() - start)

    def ingest(self, rate: float, batch: int) -> None:
        """Post `batch` articles at a time at `rate` articles a second; a checker thread tests each write.

        Only this client writes, so after a write's response the count of graphs must be at least
        the count at the start plus everything stored since. The checker sends that count query
        after the response (read-your-writes) but on its own session, so the writes keep their
        pace: a count in the writer's own loop (two, before and after) held the rate it could
        offer to about half. When the checker falls behind it checks the newest write.
        """
        session, records = requests.Session(), _records()
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"}
        start = self._graphs(session)
        written: queue.Queue[int | None] = queue.Queue()
        checker = threading.Thread(target=self._check_writes, args=(start, written))
        checker.start()
        next_at = time.monotonic()
        try:
            while not self.stop.is_set():
                body = "\n".join(next(records) for _ in range(batch))
                try:
                    response = session.post(self.base + "ingest", data=body.encode(), headers=headers, timeout=120)
                except requests.RequestException as exc:
                    self.errors[f"ingest: {type(exc).__name__}"] += 1
                    continue
                if response.status_code not in (201, 422):
                    self.errors[f"ingest: HTTP {response.status_code}"] += 1
                    continue
                self.ingested += response.json()["stored"]
                written.put(self.ingested)
                next_at += batch / rate
                time.sleep(max(0.0, next_at - time.monotonic()))
        finally:
            written.put(None)
            checker.join()

    def _check_writes(self, start: int | None, written: queue.Queue) -> None:
        session = requests.Session()
        while True:
            items = [written.get()]
            while not written.empty():  # behind: the newest write is the one to check
                items.append(written.get_nowait())
            if stored := [n for n in items if n is not None]:
                after = self._graphs(session)  # sent after the write's response: it must see the write
                self.writes_checked += 1
                self.not_visible += after is not None and start is not None and after < start + max(stored)
            if None in items:
                return

    def _graphs(self, session: requests.Session) -> int | None:
        response = self.query(session, "graphs")
        return None if response is None else int(response.json()["results"]["bindings"][0]["n"]["value"])

    def sample(self, pid: int, store: str, started: float) -> None:
        while not self.stop.wait(5.0):
            size = du_mib(store)
            roles = pss_by_role(pid)
            self.samples.append({
                "t": round(time.monotonic() - started, 1), "pss_mib": round(sum(roles.values()), 1),
                **{f"{role}_pss_mib": round(value, 1) for role, value in roles.items()},
                "workers": worker_count(pid),
                "store_mib": round(size, 1), "wal_mib": round(du_mib(store, suffix=".log"), 1),
                "checkpoints_mib": round(du_mib(store, store + ".checkpoints") - size, 1),
                "ingested": self.ingested})


def _records():
    """Distinct JSON Lines article records, forever."""
    articles = base_articles()
    for i in itertools.count():
        article = articles[i % len(articles)]
        yield json.dumps({"title": article.title, "published": article.published, "publisher": article.publisher,
                          "body": f"{article.text}\n\nSoak reference {i}."})


def kinds_for(base: str) -> dict[str, str]:
    """ASK, a one-resource lookup, the count of graphs, and every named query."""
    people = requests.get(base + "sparql", params={"query": PEOPLE}, timeout=60,
                          headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    person = people[len(people) // 2]["p"]["value"]
    kinds = {"ask": "ASK {}", "lookup": f"SELECT ?p ?o WHERE {{ <{person}> ?p ?o }}", "graphs": GRAPHS}
    kinds.update({name: q.sparql for name, q in sorted(named_queries().items())})
    return kinds


def run_phase(soak: Soak, phase: str, seconds: float, clients: int, ingest: tuple[float, int] | None,
              reference: str | None = None) -> None:
    soak.phase = phase
    soak.stop.clear()
    threads = [threading.Thread(target=soak.client, args=(i * 3,)) for i in range(clients)]
    threads.append(threading.Thread(target=soak.probe))
    if reference:
        threads.append(threading.Thread(target=soak.reference_probe, args=(reference,)))
    if ingest:
        threads.append(threading.Thread(target=soak.ingest, args=ingest))
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    soak.stop.set()
    for thread in threads:
        thread.join()


def open_seconds(store: str) -> float:
    """Seconds to open the store read-write in a fresh process (replaying what the log holds)."""
    code = (f"import time, pyoxigraph as ox\nt = time.perf_counter()\ns = ox.Store({store!r})\n"
            "print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600)
    return float(done.stdout.strip())


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main(argv: list[str] | None = None) -> None:
    from bench.front_ceiling import start as start_bare
    from bench.front_ceiling import stop as stop_bare

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quads", type=int, default=100_000, help="size of the store built to start from")
    parser.add_argument("--store", help="start from a copy of this store instead of building one")
    parser.add_argument("--seconds", type=float, default=60, help="length of the soak (600 for the record)")
    parser.add_argument("--idle", type=float, default=30, help="length of the idle phase")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rate", type=float, default=10, help="articles a second")
    parser.add_argument("--batch", type=int, default=5, help="articles per /ingest request")
    parser.add_argument("--threads", type=int, default=8, help="server threads (and query workers)")
    parser.add_argument("--out", default="bench/results/soak.json")
    parser.add_argument("--plot", default="bench/results/soak.png")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = f"{tmp}/store"
        if args.store:
            shutil.copytree(args.store, store)
        else:
            build(store, args.quads)
        port = free_port()
        proc, _ = start_server(store, port, args.threads)
        base = f"http://127.0.0.1:{port}/"
        soak = Soak(base, kinds_for(base))
        bare_port = free_port()
        bare = start_bare([str(Path(sys.executable).with_name("waitress-serve")), "--threads=8",
                           f"--listen=127.0.0.1:{bare_port}", "--call", "bench.front_ceiling:bare_app"], bare_port)
        reference = f"http://127.0.0.1:{bare_port}/sparql"
        try:
            run_phase(soak, "warm-up", 5, args.clients, None, reference)
            run_phase(soak, "idle", args.idle, args.clients, None, reference)
            started = time.monotonic()
            soak.stop.clear()
            sampler = threading.Thread(target=soak.sample, args=(proc.pid, store, started))
            sampler.start()
            run_phase(soak, "ingest", args.seconds, args.clients, (args.rate, args.batch), reference)
            sampler.join()
            soak.ask_trace = [(t - started, v) for t, v in soak.ask_trace if t >= started]
        finally:
            proc.kill()
            proc.wait()
            stop_bare(bare)
        figures = report(soak, args, {})
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(figures, indent=1))
        plot(soak, args.plot)
        restarts = figures["restart_s"]
        restarts["store open after SIGKILL"] = open_seconds(store)
        for how in ("serve after SIGKILL", "serve after SIGINT"):
            proc, restarts[how] = start_server(store, port, args.threads)
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                restarts[f"{how}: did not stop within 60 s of SIGINT"] = -1
                proc.kill()
                proc.wait()
        print("restart until ASK answers:", {k: f"{v:.2f} s" for k, v in restarts.items()})
        Path(args.out).write_text(json.dumps(figures, indent=1))


def report(soak: Soak, args: argparse.Namespace, restarts: dict[str, float]) -> dict:
    rows = []
    print(f"\nsoak: {args.seconds:g} s, {args.clients} query clients, ingest {args.rate:g} articles/s "
          f"in batches of {args.batch}\n")
    print("| query | idle p50 | idle p99 | ingest p50 | ingest p99 | p99 ratio | answers (ingest) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for kind in [*soak.kinds, BARE]:
        idle, busy = soak.latencies[("idle", kind)], soak.latencies[("ingest", kind)]
        row = {"kind": kind, "idle_p50_ms": pct(idle, .5) * 1e3, "idle_p99_ms": pct(idle, .99) * 1e3,
               "ingest_p50_ms": pct(busy, .5) * 1e3, "ingest_p99_ms": pct(busy, .99) * 1e3, "answers": len(busy)}
        rows.append(row)
        print(f"| {kind} | {row['idle_p50_ms']:.1f} ms | {row['idle_p99_ms']:.1f} ms | {row['ingest_p50_ms']:.1f} ms "
              f"| {row['ingest_p99_ms']:.1f} ms | {row['ingest_p99_ms'] / row['idle_p99_ms']:.2f} | {len(busy)} |")
    last = soak.samples[-1] if soak.samples else {}
    figures = {"rows": rows, "errors": dict(soak.errors), "non_monotonic": soak.non_monotonic,
               "not_visible_after_write": soak.not_visible, "writes_checked": soak.writes_checked,
               "ingested": soak.ingested,
               "ingest_rate": soak.ingested / args.seconds, "samples": soak.samples, "restart_s": restarts,
               "args": vars(args)}
    print(f"\nerrors: {dict(soak.errors) or 0}; non-monotonic answers: {soak.non_monotonic}; "
          f"writes not visible to the next query: {soak.not_visible} (of {soak.writes_checked} checked)")
    print(f"ingested {soak.ingested} articles ({figures['ingest_rate']:.1f}/s); at the end: server PSS "
          f"{last.get('pss_mib')} MiB, store {last.get('store_mib')} MiB (WAL {last.get('wal_mib')} MiB, "
          f"checkpoints {last.get('checkpoints_mib')} MiB extra)")
    every = soak.samples[:: max(1, len(soak.samples) // 12)]
    for name in ("pss_mib", "server_pss_mib", "workers_pss_mib", "others_pss_mib", "workers", "store_mib"):
        print(f"{name} over time:", [s[name] for s in every])
    return figures


def plot(soak: Soak, path: str) -> None:
    """ASK latency, memory and size on disk over the soak."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ask, mem, disk) = plt.subplots(3, 1, figsize=(8, 8), sharex=True)
    if soak.ask_trace:
        ask.plot([t for t, _ in soak.ask_trace], [v * 1e3 for _, v in soak.ask_trace], ".", markersize=2)
    ask.axhline(pct(soak.latencies[("idle", "ask")], .99) * 1e3, color="grey", linestyle="--", label="idle p99")
    ask.set_ylabel("ASK {} latency, ms")
    ask.set_yscale("log")
    ask.legend()
    t = [s["t"] for s in soak.samples]
    for key, label in (("pss_mib", "all"), ("server_pss_mib", "server"), ("workers_pss_mib", "query workers")):
        mem.plot(t, [s.get(key, 0.0) for s in soak.samples], label=label)
    mem.set_ylabel("PSS, MiB")
    mem.legend()
    disk.plot(t, [s["store_mib"] for s in soak.samples], label="store")
    disk.plot(t, [s["wal_mib"] for s in soak.samples], label="write-ahead log")
    disk.plot(t, [s["checkpoints_mib"] for s in soak.samples], label="checkpoints (extra)")
    disk.set_ylabel("MiB on disk")
    disk.set_xlabel("seconds of ingest")
    disk.legend()
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)


if __name__ == "__main__":
    main()
