"""Save a screenshot of each page into docs/screenshots/, for the README.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Serves the demo articles in examples/ (written for the project; no real article is shown) from
an in-memory store with waitress on a loopback port, and photographs the pages in Debian's
headless Chromium through playwright; then the same for the network of tests/crowd.py's thousand
made-up meetings. Not a test: the browser tests assert; this only pictures.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright
from waitress import wasyncore

from kg.config import load_settings
from kg.ingest import Ingestor
from kg.store import EmbeddedStore
from kg.web import create_app
from kg.web.serve import make_server, url_of

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from crowd import crowd_store  # noqa: E402 - tests/ holds the made-up crowd the browser tests use

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
BAD_QUERY = ("PREFIX schema: <https://schema.org/>\nSELECT ?person WHERE {\n  ?person a schema:Person .\n"
             "  FILTER (?person = )\n}")
# name, path, viewport width, whether to photograph the whole page
SHOTS = [
    ("index", "", 1280, True),
    ("query", "query?name=positions", 1280, False),
    ("query-error", "query?query=" + quote(BAD_QUERY), 1280, False),
    ("person", "doc/person/rashad-mammadli", 1280, True),
    ("event", "doc/event/executive-committee-of-the-high-commissioner-s-programme/75", 1280, True),
    ("organization", "doc/org/state-migration-service", 1280, False),
    ("article", "doc/article/{article}", 1280, False),
    ("meeting", "doc/article/{meeting}", 1280, False),
    ("browse-people", "browse/people", 1280, False),
    ("browse-events", "browse/events", 1280, False),
    ("search", "search?q=IOM", 1280, False),  # with suggestions open for "mig"
    ("network", "network", 1280, True),
    ("error-404", "doc/person/nobody-of-that-name", 1280, False),
    ("validation", "validation", 1280, False),
    ("person-phone", "doc/person/rashad-mammadli", 390, False),
]
CROWD_SHOTS = [  # the network at a thousand meetings (tests/crowd.py: made-up people, written as RDF)
    ("network-1000", "network", 1280, True),
    ("network-1000-period", "network?from=2021-01-01&to=2021-03-31", 1280, True),
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    sys.exit("no chromium on PATH: apt-get install chromium")


def demo_store() -> EmbeddedStore:
    store = EmbeddedStore.open(":memory:")
    ingestor = Ingestor(store, load_settings(store=":memory:"))
    ingestor.ensure_reference()
    ingestor.ingest_paths(sorted((ROOT / "examples").glob("*.txt")))
    return store


def first(store: EmbeddedStore, query: str) -> str:
    """The path under id/article/ of the first node the query finds."""
    row = next(iter(store.query(query)))
    return row[0].value.split("/id/article/", 1)[1]


def shoot(store: EmbeddedStore, shots: list, names: dict, out: Path) -> None:
    """Serve `store` on a loopback port and save each of `shots` as out/NAME.png."""
    server = make_server(create_app(load_settings(store=":memory:"), store=store), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = url_of(server, "127.0.0.1")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium(), args=FLAGS)
            for name, path, width, full in shots:
                page = browser.new_page(viewport={"width": width, "height": 900 if width > 600 else 844})
                page.goto(base + path.format(**names))
                if name == "search":  # the header's search box, suggesting as one types
                    page.fill("#site-search", "")
                    page.locator("#site-search").press_sequentially("mig", delay=60)
                    page.locator("#site-search-list li").first.wait_for()
                target = out / f"{name}.png"
                page.screenshot(path=str(target), full_page=full)
                shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
                print(f"{shown}  <- /{path.format(**names)}")
                page.close()
            browser.close()
    finally:
        server.task_dispatcher.shutdown()
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map, ignore_all=True))
        thread.join(timeout=5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    store = demo_store()
    names = {
        "meeting": first(store, "SELECT ?m WHERE { ?m a <https://kg.example.org/def/kg#Meeting> ; "
                                "<http://www.w3.org/ns/prov#wasDerivedFrom>/<https://schema.org/datePublished> ?d } "
                                "ORDER BY ?m LIMIT 1"),
        "article": first(store, "SELECT ?a WHERE { ?a a <https://schema.org/NewsArticle> ; "
                                "<https://schema.org/datePublished> ?d } ORDER BY ?a LIMIT 1"),
    }
    shoot(store, SHOTS, names, args.out)
    shoot(crowd_store(), CROWD_SHOTS, {}, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
