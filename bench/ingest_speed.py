"""Ingest speed: articles per second, one process, extraction + SHACL validation + store write included.

    python -m bench.ingest_speed [--articles 300] [--repeat 3]

Wall-clock time is the figure the target is stated in; the process's CPU time is printed beside
it because on a shared machine the wall clock also counts the time other work held the core.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from bench.corpus import articles
from kg.build import build_article
from kg.config import load_settings
from kg.extract import extract
from kg.ingest import Ingestor
from kg.store import EmbeddedStore

PHASES = ("extract", "build", "validate", "store")


def one_run(batch, path: str) -> tuple[float, dict[str, float], float]:
    """Ingest the batch into a new store; the time of the whole loop, of each phase, and the CPU time.

    The loop makes the calls `Ingestor.ingest_article` makes (`build` is extraction then
    `build_article`; `commit` is `validate` then `write`), timed one by one.
    """
    store = EmbeddedStore.open(path)
    ingestor = Ingestor(store, load_settings(store=path))
    ingestor.ensure_reference()
    phases = dict.fromkeys(PHASES, 0.0)
    start, cpu_start = time.perf_counter(), time.process_time()
    for article in batch:
        t0 = time.perf_counter()
        found = extract(article)
        t1 = time.perf_counter()
        built = build_article(found, ingestor.ref, ingestor.minter)
        t2 = time.perf_counter()
        result = ingestor.validate(built)
        t3 = time.perf_counter()
        assert result.conforms, result.findings
        ingestor.write(built)
        t4 = time.perf_counter()
        for name, took in zip(PHASES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            phases[name] += took
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    store.close()
    return total, phases, cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    batch = articles(args.articles)
    rates, cpu_rates, per_phase = [], [], {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            total, phases, cpu = one_run(batch, f"{tmp}/store")
        rates.append(len(batch) / total)
        cpu_rates.append(len(batch) / cpu)
        for k, v in phases.items():
            per_phase.setdefault(k, []).append(v * 1000 / len(batch))
    print(f"ingest speed, {len(batch)} articles into a new on-disk store, median of {args.repeat} runs:")
    print(f"  {statistics.median(rates):.1f} articles/s")
    print(f"  {statistics.median(cpu_rates):.1f} articles per CPU second (the process's own CPU time)")
    print("  per phase, median ms/article:")
    for k, v in per_phase.items():
        print(f"    {k:<9} {statistics.median(v):6.2f}")


if __name__ == "__main__":
    main()
