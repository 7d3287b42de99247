"""Server time to render each kind of page, on the demo data plus the real articles (target: < 300 ms).

    python -m bench.render_pages [--repeat 15] [--copies 0] [--store DIR]

Builds an on-disk store from examples/, ../shared/corpus/articles and ../shared/corpus/dev/articles
(as `kg ingest` does), makes the app over it as `kg serve` does, and times each page through the
WSGI app in-process (Flask's test client: the server's own work, no network), after one warm-up
request per page. Which
person, event, organization, article and meeting are shown is chosen by SPARQL (the one with the
most facts), so no name is written here. `--copies N` adds N more articles (distinct copies
of the project's own and the real articles) to see how pages grow with the store. Prints the
median for each page as served, and as served right after a write (what pages keep until the
store changes made again) with the serving thread's CPU time, which a busy machine inflates
less than the wall time; the validation page is timed once cold (the whole store validated, and every focus node named)
and then as served from its cache. `--store DIR` keeps the store in DIR and reuses it when it
is already there (building 150k quads takes minutes).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from bench.corpus import ROOT, articles
from kg.config import load_settings
from kg.ingest import Ingestor
from kg.store import EmbeddedStore
from kg.web import create_app
from kg.web.services import close_services

HTML = {"Accept": "text/html"}
PICK = {  # page kind -> the node with the most facts of that kind
    "person": "SELECT ?x WHERE { ?x a schema:Person . ?f ?p ?x } GROUP BY ?x ORDER BY DESC(COUNT(?f)) ?x LIMIT 1",
    "event": "SELECT ?x WHERE { ?x a kg:Session . ?f kg:event ?x } GROUP BY ?x ORDER BY DESC(COUNT(?f)) ?x LIMIT 1",
    "organization": "SELECT ?x WHERE { ?x a org:Organization . ?f org:organization ?x } "
                    "GROUP BY ?x ORDER BY DESC(COUNT(?f)) ?x LIMIT 1",
    "article": "SELECT ?x WHERE { ?x a schema:NewsArticle . ?f prov:wasDerivedFrom ?x } "
               "GROUP BY ?x ORDER BY DESC(COUNT(?f)) ?x LIMIT 1",
    "meeting": "SELECT ?x WHERE { ?x a kg:Meeting ; kg:participant ?p } "
               "GROUP BY ?x ORDER BY DESC(COUNT(?p)) ?x LIMIT 1",
}
FIXED = [
    ("index", "/"), ("query page, named query 'positions'", "/query?name=positions"),
    ("query page, syntax error", "/query?query=" + quote("SELECT * WHERE { ?s ?p }")),
    ("browse people", "/browse/people"), ("browse organizations", "/browse/organizations"),
    ("browse events", "/browse/events"), ("browse articles", "/browse/articles"),
    ("search 'migration'", "/search?q=migration"), ("search suggestions 'mig'", "/search/suggest?q=mig"),
    ("network", "/network"), ("network, 2024 only", "/network?from=2024-01-01&to=2024-12-31"),
]


def build(path: str, copies: int) -> int:
    store = EmbeddedStore.open(path)
    ingestor = Ingestor(store, load_settings(store=path))
    corpus = ROOT.parent / "shared" / "corpus"
    folders = [ROOT / "examples", corpus / "articles", corpus / "dev" / "articles"]
    outcomes = ingestor.ingest_paths([p for f in folders if f.is_dir() for p in sorted(f.glob("*.txt"))])
    for article in articles(copies):
        outcomes.append(ingestor.ingest_article(article))
    quads = store.quad_count()
    store.close()
    failed = [o for o in outcomes if not o.ok]
    if failed:
        print(f"  note: {len(failed)} of {len(outcomes)} articles were not stored")
    return quads


def reuse(path: str) -> int:
    store = EmbeddedStore.open(path)
    quads = store.quad_count()
    store.close()
    return quads


def pages(store) -> list[tuple[str, str]]:
    from kg.namespaces import sparql_prologue

    found = list(FIXED)
    for kind, query in PICK.items():
        rows = list(store.query(sparql_prologue() + query))
        if rows:
            iri = rows[0][0].value
            found.append((f"{kind} profile" if kind != "meeting" else "meeting (titled node)",
                          "/doc/" + iri.split("/id/", 1)[1]))
    return found


def timed(client, path: str, *, after_write: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds (this thread's, queries included) to answer `path`.

    `after_write` first counts a write on the store, so values the pages keep until the store
    changes (kg.web.page_cache) are made again: the first view after an ingest.
    """
    if after_write:
        client.application.extensions["kg.store"].generation += 1
    t0, c0 = time.perf_counter(), time.thread_time()
    response = client.get(path, headers=HTML)
    response.get_data()
    elapsed, cpu = time.perf_counter() - t0, time.thread_time() - c0
    assert response.status_code in (200, 400), (path, response.status_code)
    return elapsed, cpu


def crowd(repeat: int) -> None:
    """The network page over tests/crowd.py's 1,000 made-up meetings (420 people, capped to 150)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from crowd import crowd_store

    app = create_app(load_settings(store=":memory:"), store=crowd_store())
    client = app.test_client()
    for label, page in (("network, 1,000 meetings (tests/crowd.py)", "/network"),
                        ("network, 1,000 meetings, one quarter", "/network?from=2021-01-01&to=2021-03-31")):
        timed(client, page)
        warm = statistics.median(timed(client, page)[0] for _ in range(repeat))
        fresh = [timed(client, page, after_write=True) for _ in range(repeat)]
        wall, cpu = statistics.median(w for w, _ in fresh), statistics.median(c for _, c in fresh)
        print(f"  {label:40s} {warm * 1000:6.1f} ms {wall * 1000:11.1f} ms {cpu * 1000:6.1f} ms")
    close_services(app)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--copies", type=int, default=0)
    parser.add_argument("--store", help="keep the store in this folder; reused as it is when it exists")
    parser.add_argument("--no-validation", action="store_true",
                        help="leave out the validation page (it names every focus node: seconds on a large store)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or str(Path(tmp) / "store")
        quads = reuse(path) if Path(path).is_dir() else build(path, args.copies)
        app = create_app(load_settings(store=path))
        client = app.test_client()
        store = app.extensions["kg.store"]
        print(f"page server time, {quads} quads (examples/ + real articles and dev articles + {args.copies} copies"
              f"{', a store reused' if args.store else ''}), "
              f"medians of {args.repeat} after a warm-up; 'after a write' remakes what pages keep until the store "
              "changes; cpu: the serving thread's CPU time after a write:")
        cold = None if args.no_validation else timed(client, "/validation")[0]
        extra = [] if args.no_validation else [("validation report (cached)", "/validation")]
        worst = 0.0
        print(f"  {'page':40s} {'served':>9s} {'after a write':>14s} {'cpu':>9s}")
        for label, page in [*pages(store), *extra]:
            timed(client, page)
            warm = statistics.median(timed(client, page)[0] for _ in range(args.repeat))
            if page == "/validation":
                print(f"  {label:40s} {warm * 1000:6.1f} ms")
                continue
            fresh = [timed(client, page, after_write=True) for _ in range(args.repeat)]
            wall, cpu = statistics.median(w for w, _ in fresh), statistics.median(c for _, c in fresh)
            worst = max(worst, wall)
            print(f"  {label:40s} {warm * 1000:6.1f} ms {wall * 1000:11.1f} ms {cpu * 1000:6.1f} ms")
        crowd(args.repeat)
        if cold is not None:
            label = "validation report (cold)"
            print(f"  {label:40s} {cold * 1000:8.1f} ms   (once, then kept until a write)")
        print(f"slowest page median after a write: {worst * 1000:.1f} ms "
              f"({'under' if worst < 0.3 else 'OVER'} the 300 ms target)")
        close_services(app)


if __name__ == "__main__":
    main()
