"""Build an on-disk store of a given size from the benchmark articles, quickly.

Ingesting millions of quads article by article takes hours here, so the base articles
(`bench.corpus`) are ingested once into memory, their article graphs written as N-Quads, and
copies of them loaded with the minted IRIs of people, articles and their graphs renamed per copy
(`…/id/person/c7-…`): each copy adds new people, participations and statements, as new articles
about new officials would, while the links to the reference data (ranks, organizations, event
series) stay shared. Each copy goes into its own named graphs and into the default graph, as kg
keeps it (the merge of all graphs).

    python -m bench.dataset --quads 1000000 --store /tmp/kg-1m [--nquads /tmp/kg-1m.nq]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pyoxigraph as ox

from bench.corpus import base_articles
from kg.config import load_settings
from kg.ingest import Ingestor
from kg.store import EmbeddedStore

RENAMED = ("id/person/", "id/article/", "graph/article/")


def templates(base_iri: str) -> tuple[bytes, bytes, bytes]:
    """The reference graphs, the article graphs and their default-graph triples, as N-Quads."""
    store = EmbeddedStore.open(":memory:")
    ingestor = Ingestor(store, load_settings(store=":memory:"))
    ingestor.ensure_reference()
    for article in base_articles():
        ingestor.ingest_article(article)
    articles_prefix = f"{base_iri}graph/article/"
    shared, named = [], []
    for quad in store.inner:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            continue
        (named if quad.graph_name.value.startswith(articles_prefix) else shared).append(quad)
    defaults = [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in named]
    shared_default = [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in shared]
    return (ox.serialize(shared + shared_default, format=ox.RdfFormat.N_QUADS),
            ox.serialize(named, format=ox.RdfFormat.N_QUADS),
            ox.serialize(defaults, format=ox.RdfFormat.N_QUADS))


def copy_of(template: bytes, base_iri: str, number: int) -> bytes:
    """The template with minted IRIs renamed for copy `number`."""
    for prefix in RENAMED:
        whole = f"<{base_iri}{prefix}".encode()
        template = template.replace(whole, whole + f"c{number}-".encode())
    return template


def build(path: str, quads: int, *, nquads: str | None = None) -> int:
    """Fill a new store at `path` to at least `quads` quads; optionally also write them as N-Quads."""
    base_iri = load_settings().base_iri
    shared, named, default = templates(base_iri)
    store = ox.Store(path)
    out = Path(nquads).open("wb") if nquads else None
    try:
        store.load(shared, format=ox.RdfFormat.N_QUADS)
        if out:
            out.write(shared)
        number, per_copy = 0, None
        while len(store) < quads:
            before = len(store)
            copies = 1 if per_copy is None else max(1, min(20, (quads - before) // per_copy))
            batch = b"".join(copy_of(named, base_iri, n) + copy_of(default, base_iri, n)
                             for n in range(number, number + copies))
            store.bulk_load(batch, format=ox.RdfFormat.N_QUADS)
            if out:
                out.write(batch)
            number += copies
            per_copy = per_copy or max(1, len(store) - before)
        store.flush()
        store.optimize()
        return len(store)
    finally:
        if out:
            out.close()
        del store


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--store", required=True)
    parser.add_argument("--nquads", help="also write the quads here (for loading into `oxigraph serve`)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    made = build(args.store, args.quads, nquads=args.nquads)
    print(f"{made} quads in {args.store} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
