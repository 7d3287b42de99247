"""Memory of `kg serve` while articles arrive as fast as it takes them: what grows, and how fast.

Starts `kg serve` (loopback only) on a copy of a store, posts distinct generated articles to
`/ingest` in batches (one client, each batch sent when the last was answered), optionally with a
few query clients, and every `--every` articles samples:

- PSS of the server process and of its query workers (as `bench.soak` counts them), the
  server's RSS;
- the store's size on disk and the checkpoints' extra size;
- the server's open files under the checkpoints directory (checkpoints a reader still holds,
  and files already removed but held open: a reader that is never closed shows here);
- with `--heap`: the server's own figures, asked for with SIGUSR1 (the server runs under this
  module's `serve` hook, see `heap_figures`): glibc's `mallinfo2` (memory malloc holds from the
  system, in use and free), Python's allocated blocks, the largest object counts by type, and
  with `--trace` the tracemalloc lines that grew most since the first sample.

It prints the curve and the slope of each memory figure in MiB per 1,000 articles over the
first and the last third of the samples (least squares), and writes them as JSON and Markdown.

    python -m bench.memory_growth --store STORE_100K --articles 3000 --every 250 --heap \
        --out bench/results/memory-growth-after.json

`--env NAME=VALUE` passes an environment variable to the server (`MALLOC_ARENA_MAX=2`, for one).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

TOKEN = "memory-token"  # noqa: S105 - a benchmark's own token, loopback only
HEAP_FILE = "KG_BENCH_HEAP_FILE"  # where the server's hook writes its figures on SIGUSR1
TRACE = "KG_BENCH_TRACE"  # frames tracemalloc keeps in the server; unset: not tracing


# --- the hook, run inside the server process -------------------------------------------------

class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def mallinfo() -> dict[str, float]:
    """glibc's view of its heap, MiB: taken from the system (arenas + mmapped), in use, free inside."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _Mallinfo2
    info = libc.mallinfo2()
    mib = 2**20
    return {"malloc_system_mib": round((info.arena + info.hblkhd) / mib, 1),
            "malloc_in_use_mib": round((info.uordblks + info.hblkhd) / mib, 1),
            "malloc_free_mib": round(info.fordblks / mib, 1)}


_first_snapshot = None


def heap_figures() -> dict:
    """What this process's heap holds now (run in the server, on SIGUSR1)."""
    global _first_snapshot
    import tracemalloc

    figures: dict = {**mallinfo(), "python_blocks": sys.getallocatedblocks(), "gc_objects": len(gc.get_objects())}
    live = gc.get_objects()
    counts = Counter(type(o).__qualname__ for o in live)
    for trimmer in (o for o in live if type(o).__qualname__ == "Trimmer"):  # kg.web.heap's, if any
        figures.update(trims=trimmer.trims, trim_ms_total=round(trimmer.seconds_spent * 1e3, 1))
    del live
    figures["types"] = dict(counts.most_common(15))
    if tracemalloc.is_tracing():
        ignored = [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen importlib.*")]
        snapshot = tracemalloc.take_snapshot().filter_traces(ignored)
        figures["traced_mib"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
        if _first_snapshot is None:
            _first_snapshot = snapshot
        else:
            figures["grew"] = [
                {"where": str(stat.traceback[0]), "kib": round(stat.size_diff / 1024), "blocks": stat.count_diff,
                 "stack": [str(frame) for frame in stat.traceback[-4:]]}
                for stat in snapshot.compare_to(_first_snapshot, "traceback")[:12]]
    return figures


def _dump(_signum: int, _frame: object) -> None:
    path = os.environ[HEAP_FILE]
    Path(f"{path}.tmp").write_text(json.dumps(heap_figures()))
    os.replace(f"{path}.tmp", path)


def serve(kg_args: list[str]) -> None:
    """Run `kg` with the hook installed (the server side of `--heap`)."""
    import tracemalloc

    if os.environ.get(TRACE):
        tracemalloc.start(int(os.environ[TRACE]))
    signal.signal(signal.SIGUSR1, _dump)
    from kg.cli import cli

    cli(args=kg_args, prog_name="kg")


# --- the benchmark ------------------------------------------------------------------------------

def rss_mib(pid: int) -> float:
    with Path(f"/proc/{pid}/status").open() as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def checkpoint_files(pid: int, checkpoints: str) -> dict[str, int]:
    """The server's open files under the checkpoints directory: how many, in how many checkpoints, how many removed."""
    held, dirs, removed = 0, set(), 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except FileNotFoundError:
            continue
        if target.startswith(checkpoints + "/"):
            held += 1
            dirs.add(target[len(checkpoints) + 1:].split("/")[0])
            removed += target.endswith(" (deleted)")
    return {"checkpoint_fds": held, "checkpoints_open": len(dirs), "checkpoint_fds_removed": removed}


def ask_heap(pid: int, path: str, timeout: float = 120) -> dict:
    """Ask the server's hook for its heap figures and wait for them."""
    Path(path).unlink(missing_ok=True)
    os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + timeout
    while not Path(path).exists():
        if time.monotonic() > deadline:
            return {}
        time.sleep(0.05)
    return json.loads(Path(path).read_text())


def start(store: str, port: int, threads: int, env: dict[str, str], heap_file: str) -> subprocess.Popen:
    """`kg serve` under the hook; returns once it answers ASK {}."""
    from bench.soak import wait_until_answering

    full = dict(os.environ, KG_WRITE_TOKEN=TOKEN, **env, **{HEAP_FILE: heap_file})
    command = [sys.executable, "-m", "bench.memory_growth", "--serve", "--",
               "--store", store, "serve", "--port", str(port), "--threads", str(threads)]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(command, env=full, stdout=subprocess.DEVNULL, stderr=log)
    wait_until_answering(proc, log, port)
    return proc


def query_client(base: str, stop: threading.Event, errors: Counter) -> None:
    """A few kinds of query in turn, as fast as they are answered (the `--clients` option)."""
    from bench.soak import GRAPHS

    session = requests.Session()
    kinds = ["ASK {}", GRAPHS, "SELECT ?p WHERE { ?p a <https://schema.org/Person> } LIMIT 50"]
    i = 0
    while not stop.is_set():
        try:
            answer = session.get(base + "sparql", params={"query": kinds[i % len(kinds)]}, timeout=60)
            if answer.status_code != 200:
                errors[f"query: HTTP {answer.status_code}"] += 1
        except requests.RequestException as exc:
            errors[f"query: {type(exc).__name__}"] += 1
        i += 1


def slope(samples: list[dict], key: str) -> float | None:
    """Least-squares slope of `key` against articles ingested, MiB per 1,000 articles."""
    points = [(s["ingested"], s[key]) for s in samples if s.get(key) is not None]
    if len(points) < 2:
        return None
    n = len(points)
    mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return None if sxx == 0 else round(1000 * sum((x - mx) * (y - my) for x, y in points) / sxx, 2)


MEMORY_KEYS = ("server_pss_mib", "server_rss_mib", "workers_pss_mib", "store_mib",
               "malloc_system_mib", "malloc_in_use_mib", "malloc_free_mib", "traced_mib")


def thirds(samples: list[dict]) -> dict[str, dict[str, float | None]]:
    """Slopes over the first and the last third of the samples (the first, after the warm-up batch, left out)."""
    body = [s for s in samples[1:] if not s.get("after_malloc_trim")]
    third = max(2, len(body) // 3)
    return {key: {"first_third": slope(body[:third], key), "last_third": slope(body[-third:], key)}
            for key in MEMORY_KEYS if any(key in s for s in body)}


def run(args: argparse.Namespace) -> dict:
    from bench.soak import _records, du_mib, free_port, pss_by_role

    env = dict(item.split("=", 1) for item in args.env)
    if args.trace:
        env[TRACE] = str(args.trace)
    samples: list[dict] = []
    errors: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = f"{tmp}/store"
        shutil.copytree(args.store, store)
        port, heap_file = free_port(), f"{tmp}/heap.json"
        proc = start(store, port, args.threads, env, heap_file)
        base = f"http://127.0.0.1:{port}/"
        stop = threading.Event()
        clients = [threading.Thread(target=query_client, args=(base, stop, errors)) for _ in range(args.clients)]
        session, records = requests.Session(), _records()
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"}
        started, ingested, posted = time.monotonic(), 0, 0

        def sample() -> None:
            roles = pss_by_role(proc.pid)
            row = {"ingested": ingested, "t": round(time.monotonic() - started, 1),
                   "server_pss_mib": round(roles["server"], 1), "server_rss_mib": round(rss_mib(proc.pid), 1),
                   "workers_pss_mib": round(roles["workers"], 1), "store_mib": round(du_mib(store), 1),
                   "checkpoints_mib": round(du_mib(store, store + ".checkpoints") - du_mib(store), 1),
                   **checkpoint_files(proc.pid, store + ".checkpoints")}
            if args.heap:
                figures = ask_heap(proc.pid, heap_file)
                row.update({k: v for k, v in figures.items() if k not in ("types", "grew")})
                row["types"] = figures.get("types")
                if "grew" in figures:
                    row["grew"] = figures["grew"]
            samples.append(row)
            print(" ".join(f"{k}={v}" for k, v in row.items() if k not in ("types", "grew")), flush=True)

        try:
            time.sleep(args.settle)  # the ingest pipeline loads in the background at start
            warm_up = True  # the first batch loads what ingest loads once: the curve starts after it
            for client in clients:
                client.start()
            while posted < args.articles:
                body = "\n".join(next(records) for _ in range(args.batch))
                posted += args.batch
                try:
                    answer = session.post(base + "ingest", data=body.encode(), headers=headers, timeout=300)
                except requests.RequestException as exc:
                    errors[f"ingest: {type(exc).__name__}"] += 1
                    continue
                if answer.status_code not in (201, 422):
                    errors[f"ingest: HTTP {answer.status_code}"] += 1
                    continue
                ingested += answer.json()["stored"]
                if warm_up or posted % args.every < args.batch:
                    sample()
                    warm_up = False
            if args.trim:  # what glibc gives back when asked: memory it held free, not leaked
                os.kill(proc.pid, signal.SIGUSR2)
                time.sleep(2)
                sample()
                samples[-1]["after_malloc_trim"] = True
        finally:
            stop.set()
            for client in clients:
                client.join()
            proc.kill()
            proc.wait()
    figures = {"args": vars(args), "errors": dict(errors), "ingested": ingested,
               "seconds": round(time.monotonic() - started, 1), "samples": samples, "slopes": thirds(samples)}
    return figures


def markdown(figures: dict) -> str:
    """The curve and the slopes as Markdown tables."""
    samples = figures["samples"]
    keys = [k for k in ("ingested", "t", "server_pss_mib", "server_rss_mib", "workers_pss_mib", "store_mib",
                        "checkpoints_mib", "checkpoints_open", "checkpoint_fds_removed", "malloc_system_mib",
                        "malloc_in_use_mib", "malloc_free_mib", "python_blocks", "traced_mib", "after_malloc_trim")
            if any(k in s for s in samples)]
    lines = [f"`{' '.join(sys.argv) if __name__ == '__main__' else 'bench.memory_growth'}`", "",
             f"{figures['ingested']} articles stored in {figures['seconds']} s; errors: {figures['errors'] or 0}", "",
             "| " + " | ".join(keys) + " |", "|" + " --- |" * len(keys)]
    lines += ["| " + " | ".join(str(s.get(k, "")) for k in keys) + " |" for s in samples]
    lines += ["", "Slope, MiB per 1,000 articles (least squares):", "",
              "| figure | first third | last third |", "| --- | --- | --- |"]
    lines += [f"| {k} | {v['first_third']} | {v['last_third']} |" for k, v in figures["slopes"].items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:
        signal.signal(signal.SIGUSR2, lambda *_: ctypes.CDLL("libc.so.6").malloc_trim(0))
        serve(argv[2:] if argv[1:2] == ["--"] else argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="start from a copy of this store (bench.dataset builds one)")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=10, help="articles per /ingest request")
    parser.add_argument("--every", type=int, default=250, help="sample every this many articles")
    parser.add_argument("--clients", type=int, default=0, help="query clients beside the ingest")
    parser.add_argument("--threads", type=int, default=8, help="server threads (and query workers)")
    parser.add_argument("--settle", type=float, default=8.0, help="seconds to wait after start (pipeline loading)")
    parser.add_argument("--heap", action="store_true", help="ask the server for its heap figures at each sample")
    parser.add_argument("--trace", type=int, default=0, help="tracemalloc frames in the server (0: off; slow)")
    parser.add_argument("--trim", action="store_true", help="call malloc_trim(0) in the server at the end")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server's environment")
    parser.add_argument("--out", default="bench/results/memory-growth.json")
    args = parser.parse_args(argv)
    if args.trace:
        args.heap = True
    figures = run(args)
    print("\nslopes, MiB per 1,000 articles:")
    for key, value in figures["slopes"].items():
        print(f"  {key}: first third {value['first_third']}, last third {value['last_third']}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(figures, indent=1))
    Path(args.out).with_suffix(".md").write_text(markdown(figures))


if __name__ == "__main__":
    main()
