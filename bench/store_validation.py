"""Whole-store validation (what `kg validate` runs): the demo data, and the demo data plus the real articles.

    python -m bench.store_validation [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.corpus import ROOT
from kg.checks import validate_store
from kg.config import load_settings
from kg.ingest import Ingestor
from kg.store import EmbeddedStore
from kg.validate import load_shapes


def build_store(path: str, folders: list[Path]) -> int:
    store = EmbeddedStore.open(path)
    outcomes = Ingestor(store, load_settings(store=path)).ingest_paths(
        [p for f in folders if f.is_dir() for p in sorted(f.glob("*")) if p.is_file()])
    quads = store.quad_count()
    store.close()
    assert all(o.ok for o in outcomes)
    return quads


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sets = {"examples/": [ROOT / "examples"],
            "examples/ + real articles": [ROOT / "examples", ROOT.parent / "shared" / "corpus" / "articles"]}
    print(f"whole-store validation (kg validate), median of {args.repeat} runs:")
    for label, folders in sets.items():
        with tempfile.TemporaryDirectory() as tmp:
            path = f"{tmp}/store"
            quads = build_store(path, folders)
            settings = load_settings(store=path)
            shapes = load_shapes(settings.shapes_dir)
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                result = validate_store(settings, shapes)
                times.append(time.perf_counter() - t0)
        print(f"  {label}: {quads} quads, {statistics.median(times):.2f} s, conforms={result.conforms}")


if __name__ == "__main__":
    main()
