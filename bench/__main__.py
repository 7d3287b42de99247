"""Run every benchmark in turn with its defaults, or one: `python -m bench NAME ARGS` is `python -m bench.NAME ARGS`."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["bench.ingest_speed", "bench.store_validation", "bench.validate_article", "bench.stream_memory",
              "bench.guard_scan", "bench.render_pages"]


def main() -> None:
    if len(sys.argv) > 1:
        importlib.import_module(f"bench.{sys.argv[1]}").main(sys.argv[2:])
        return
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        print(f"\n== python -m {name}", flush=True)
        module.main([])
        sys.stdout.flush()


if __name__ == "__main__":
    main()
