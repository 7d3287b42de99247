"""Ingest speed: articles per second, one process, extraction + SHACL validation + store write included.

    python -m bench.ingest_speed [--articles 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from bench.corpus import articles
from kg.config import load_settings
from kg.ingest import Ingestor
from kg.store import EmbeddedStore


def one_run(batch, path: str) -> tuple[float, dict[str, float]]:
    store = EmbeddedStore.open(path)
    ingestor = Ingestor(store, load_settings(store=path))
    ingestor.ensure_reference()
    phases = {"extract+build": 0.0, "validate+store": 0.0}
    start = time.perf_counter()
    for article in batch:
        t0 = time.perf_counter()
        built = ingestor.build(article)
        t1 = time.perf_counter()
        outcome = ingestor.commit(built)
        t2 = time.perf_counter()
        assert outcome.ok, outcome.validation and outcome.validation.findings
        phases["extract+build"] += t1 - t0
        phases["validate+store"] += t2 - t1
    total = time.perf_counter() - start
    store.close()
    return total, phases


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    batch = articles(args.articles)
    rates, per_phase = [], {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            total, phases = one_run(batch, f"{tmp}/store")
        rates.append(len(batch) / total)
        for k, v in phases.items():
            per_phase.setdefault(k, []).append(v * 1000 / len(batch))
    print(f"ingest speed, {len(batch)} articles into a new on-disk store, median of {args.repeat} runs:")
    print(f"  {statistics.median(rates):.1f} articles/s")
    for k, v in per_phase.items():
        print(f"  {k}: {statistics.median(v):.2f} ms/article")


if __name__ == "__main__":
    main()
