"""Whole-store validation (what `kg validate` runs on a store): the compiled shapes, and pySHACL where it is bearable.

    python -m bench.store_validation [--sizes 100000 1000000] [--repeat 3] [--pyshacl-up-to 5000]

Two kinds of store, both on disk as `kg validate` opens them:
- the demo data (examples/), and the demo data plus the real articles where ../shared is here:
  the compiled engine and pySHACL, with a check that both find the same;
- synthetic stores of about the given number of triples in the default graph (varied article
  graphs from bench.validate_article, copied under new ids, each in its named graph and in the
  default graph as kg keeps them): the compiled engine; pySHACL too up to --pyshacl-up-to triples
  (it takes minutes per hundred thousand).
Each line gives the median wall time of `validate_store` (open, read, validate) over --repeat runs,
and the peak RSS of this process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from bench.corpus import ROOT
from bench.validate_article import fill
from kg.config import load_settings
from kg.ingest import Ingestor
from kg.store import EmbeddedStore
from kg.validation.checks import validate_store
from kg.validation.result import ValidationResult
from kg.validation.shacl import load_shapes

QUADS_PER_TRIPLE = 2.45  # measured: synthetic stores hold about this many quads per default-graph triple


def build_store(path: str, folders: list[Path]) -> None:
    store = EmbeddedStore.open(path)
    outcomes = Ingestor(store, load_settings(store=path)).ingest_paths(
        [p for f in folders if f.is_dir() for p in sorted(f.glob("*")) if p.is_file()])
    store.close()
    assert all(o.ok for o in outcomes)


def build_synthetic(path: str, triples: int) -> None:
    store = EmbeddedStore.open(path)
    ingestor = Ingestor(store, load_settings(store=path))
    ingestor.ensure_reference()
    fill(store, ingestor, int(triples * QUADS_PER_TRIPLE))
    store.close()


def sizes_of(path: str) -> tuple[int, int]:
    """(quads in the store, triples in its default graph)."""
    store = ox.Store.read_only(path)
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return len(store), default


def timed(path: str, engine: str, repeat: int) -> tuple[float, ValidationResult]:
    settings = load_settings(store=path)
    shapes = load_shapes(settings.shapes_dir)
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = validate_store(settings, shapes, engine=engine)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(label: str, path: str, repeat: int, with_pyshacl: bool) -> None:
    quads, triples = sizes_of(path)
    compiled_s, compiled = timed(path, "auto", repeat)
    line = (f"| {label} | {quads:,} | {triples:,} | {compiled_s:.2f} s | {len(compiled.findings)} "
            f"| {compiled.conforms} |")
    if with_pyshacl:
        pyshacl_s, reference = timed(path, "pyshacl", repeat)
        same = Counter(reference.findings) == Counter(compiled.findings)
        line += f" {pyshacl_s:.2f} s | {'yes' if same else 'NO'} |"
        assert same, "the compiled engine and pySHACL disagree"
    else:
        line += " not run | |"
    print(f"{line} {peak_mib():.0f} MiB |", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000],
                        help="default-graph triples of the synthetic stores (about)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pyshacl-up-to", type=int, default=5_000,
                        help="run pySHACL too on stores of at most this many default-graph triples")
    args = parser.parse_args(argv)
    print(f"whole-store validation (validate_store, on-disk store), median of {args.repeat} runs")
    print("| store | quads | default-graph triples | compiled | findings | conforms | pySHACL | same findings "
          "| peak RSS |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    real = ROOT.parent / "shared" / "corpus" / "articles"
    sets = {"examples/": [ROOT / "examples"]}
    if real.is_dir():
        sets["examples/ + real articles"] = [ROOT / "examples", real]
    for label, folders in sets.items():
        with tempfile.TemporaryDirectory() as tmp:
            build_store(f"{tmp}/store", folders)
            report(label, f"{tmp}/store", args.repeat, with_pyshacl=True)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            build_synthetic(f"{tmp}/store", size)
            _quads, triples = sizes_of(f"{tmp}/store")
            report(f"synthetic ~{size:,}", f"{tmp}/store", args.repeat, with_pyshacl=triples <= args.pyshacl_up_to)


if __name__ == "__main__":
    main()
