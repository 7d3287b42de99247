"""Score a store's named-query output with the shared scorer, as `score_extraction.py --run` does.

Shared by the own-set and dev-set tests: the scorer lives in ../shared/tools (not ours to ship),
so it is imported from its path at run time.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox

from kg.named import named_query
from kg.store import Store

QUERIES = ["people", "organizations", "positions", "ranks", "events", "participations", "meetings", "statements"]


def load_scorer(path: Path) -> ModuleType:
    """The shared scorer, imported from its file."""
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_store(scorer: ModuleType, store: Store, gold: Path, out_dir: Path) -> dict:
    """Write the named queries' CSV into `out_dir` and return the scorer's JSON report on them."""
    for name in QUERIES:
        result = store.query(named_query(name).sparql)
        (out_dir / f"{name}.csv").write_bytes(result.serialize(format=ox.QueryResultsFormat.CSV))
    argv, out = ["score_extraction", "--gold", str(gold), "--pred", str(out_dir), "--json"], io.StringIO()
    with contextlib.redirect_stdout(out):
        old, sys.argv = sys.argv, argv
        try:
            scorer.main()
        finally:
            sys.argv = old
    return json.loads(out.getvalue())
