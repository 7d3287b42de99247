"""Prove a rewritten named query answers the same rows: a hash of its sorted rows, now and at a git revision.

A named query is rewritten for speed (issue 10): the rewrite must give back exactly the rows the
old text gave, on real stores of any size. This runs both texts on one store and prints, per
query, the number of rows, a SHA-256 of the sorted rows and the time of each. Rows are compared
as a bag (sorted, so an `ORDER BY` tie broken another way does not count as a change) and the
values of `GROUP_CONCAT` columns as sets of their parts, whose order SPARQL leaves to the engine.

    python -m bench.named_rows --store /tmp/kg-1m --against 2b8869d [--only events positions]

Exit status 1 when any query's rows differ.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kg.named import named_queries

ROOT = Path(__file__).resolve().parents[1]
# Columns made with GROUP_CONCAT and the separator their queries use.
CONCATENATED = {"aliases": " | ", "participant_names": " | "}


def canonical_rows(store: ox.Store, sparql: str) -> list[tuple[str, ...]]:
    """The query's rows as sorted tuples of N-Triples terms ('' for unbound)."""
    answer = store.query(sparql)
    names = [v.value for v in answer.variables]
    rows = []
    for solution in answer:
        row = []
        for name in names:
            term = solution[name]
            if term is None:
                row.append("")
            elif name in CONCATENATED and isinstance(term, ox.Literal):
                parts = sorted(term.value.split(CONCATENATED[name]))
                row.append(str(ox.Literal(CONCATENATED[name].join(parts))))
            else:
                row.append(str(term))
        rows.append(tuple(row))
    return sorted(rows)


def digest(rows: list[tuple[str, ...]]) -> str:
    """A SHA-256 of sorted rows, fields separated by tabs and rows by newlines."""
    text = "\n".join("\t".join(row) for row in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def query_at(revision: str, name: str) -> str | None:
    """The text of kg/queries/NAME.rq at a git revision, or None where it did not exist."""
    done = subprocess.run(["git", "show", f"{revision}:kg/queries/{name}.rq"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else None


def timed_rows(store: ox.Store, sparql: str) -> tuple[list[tuple[str, ...]], float]:
    start = time.perf_counter()
    rows = canonical_rows(store, sparql)
    return rows, time.perf_counter() - start


def compare(store: ox.Store, revision: str | None, only: list[str]) -> bool:
    """Print one line per named query; True when every one matches its text at `revision`."""
    same = True
    print(f"| query | rows | sha256 (now) | now s | sha256 ({revision or '-'}) | then s | same |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, query in named_queries().items():
        if only and name not in only:
            continue
        rows, seconds = timed_rows(store, query.sparql)
        old_text = query_at(revision, name) if revision else None
        if old_text is None:
            print(f"| {name} | {len(rows)} | {digest(rows)} | {seconds:.3f} | | | |", flush=True)
            continue
        old_rows, old_seconds = timed_rows(store, old_text)
        match = old_rows == rows
        same &= match
        print(f"| {name} | {len(rows)} | {digest(rows)} | {seconds:.3f} | {digest(old_rows)} "
              f"| {old_seconds:.3f} | {'yes' if match else 'NO'} |", flush=True)
    return same


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="an on-disk store nobody writes (opened read-only)")
    parser.add_argument("--against", help="a git revision whose kg/queries/*.rq to compare with")
    parser.add_argument("--only", nargs="+", default=[], help="only these named queries")
    args = parser.parse_args(argv)
    store = ox.Store.read_only(args.store)
    sys.exit(0 if compare(store, args.against, args.only) else 1)


if __name__ == "__main__":
    main()
