"""The guard's scan is linear: time to inspect hostile and ordinary request texts as they double.

Run:  .venv/bin/python -m bench.guard_scan [--sizes 65536 131072 262144 524288 1048576] [--runs 5]

Each text is built to the given size in characters: escaped quotes in a string never closed (the
input that held the old tokenizer for 29 s at 64 KB), a long `IN (...)` list of strings, and deep
but allowed nesting repeated. Prints, per kind, the median seconds and microseconds per KB; a
linear scan keeps the per-KB figure flat as the size doubles.
"""

from __future__ import annotations

import argparse
import statistics
import time

from kg.errors import KgError
from kg.sparql.guard import MAX_DEPTH, inspect

DEEP = "{" * (MAX_DEPTH - 2) + "}" * (MAX_DEPTH - 2)  # as deep as allowed
KINDS = {
    "unclosed escaped quotes": lambda n: 'SELECT * WHERE { ?s ?p "' + '\\"' * (n // 2),
    "IN list of strings": lambda n: "SELECT * { ?s ?p ?o FILTER(?o IN (" + ",".join(['"abc"'] * (n // 6)) + ")) }",
    "nested groups": lambda n: "ASK { " + DEEP * (n // MAX_DEPTH // 2) + "}",
    "comments and IRIs": lambda n: "ASK { " + "<http://example.org/a> # SERVICE\n" * (n // 33) + " }",
}


def timed(text: str) -> float:
    start = time.perf_counter()
    try:
        inspect(text)
    except KgError:
        pass  # a refusal is an answer too: it is the time to reach it that counts
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[65_536, 131_072, 262_144, 524_288, 1_048_576])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print("| input | size (chars) | median s | µs per KB |")
    print("| --- | ---: | ---: | ---: |")
    for kind, build in KINDS.items():
        for size in args.sizes:
            text = build(size)
            median = statistics.median(timed(text) for _ in range(args.runs))
            print(f"| {kind} | {len(text):,} | {median:.4f} | {median * 1e6 / (len(text) / 1024):.1f} |", flush=True)


if __name__ == "__main__":
    main()
