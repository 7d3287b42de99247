"""Shared fixtures. Each is named for what it gives; add new ones below under their own names."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pyoxigraph as ox
import pytest
from oxigraph_server import binary_or_skip, oxigraph_server, remote_store, running_oxigraph  # noqa: F401

from kg.config import load_settings
from kg.store import EmbeddedStore, Store, open_store
from kg.web import create_app
from kg.web.serve import make_server, url_of

# --- live_server: the web app served by waitress on a free loopback port ---------------------

LIVE_EX = "http://example.org/"
LIVE_ARTICLE_1 = f"{LIVE_EX}article/1"
LIVE_ARTICLE_2 = f"{LIVE_EX}article/2"
_LIVE_ARTICLES = {
    LIVE_ARTICLE_1: f"""
        <{LIVE_EX}alice> a <https://schema.org/Person> ;
            <https://schema.org/name> "Alice Martin" ;
            <https://schema.org/memberOf> <{LIVE_EX}council> .
    """,
    LIVE_ARTICLE_2: f"""
        <{LIVE_EX}bob> a <https://schema.org/Person> ;
            <https://schema.org/name> "Bob Dupont" .
    """,
}
_LIVE_REFERENCE = f"""
    <{LIVE_EX}council> a <https://schema.org/Organization> ;
        <https://schema.org/name> "City Council"@en .
"""


@dataclass(frozen=True)
class LiveServer:
    """A running server: `url` ends with '/', `store` is the store it serves."""

    url: str
    store: Store
    backend: str = "embedded"  # or "oxigraph-server": the app over a RemoteStore

    @property
    def sparql(self) -> str:
        return f"{self.url}sparql"


def _live_store(store: Store | None = None) -> Store:
    """Two article graphs (merged into the default graph) plus reference data; in memory by default."""
    store = store if store is not None else EmbeddedStore.open(":memory:")
    for graph, turtle in _LIVE_ARTICLES.items():
        triples = [q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)]
        store.replace_graph(ox.NamedNode(graph), triples)
    store.update(f"INSERT DATA {{ {_LIVE_REFERENCE} }}")
    return store


LIVE_BACKENDS = ["embedded", "oxigraph-server"]


@pytest.fixture(scope="session", params=LIVE_BACKENDS)
def live_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve the app over `_live_store()` with waitress in a background thread, as in production.

    Once over the embedded store in memory, once over a RemoteStore on its own `oxigraph serve`.
    """
    with ExitStack() as stack:
        settings = load_settings(store=":memory:")
        if request.param == "oxigraph-server":
            location = tmp_path_factory.mktemp("live-oxigraph") / "store"
            settings = stack.enter_context(running_oxigraph(location, binary_or_skip())).settings()
        store = _live_store(open_store(settings))
        stack.callback(store.close)
        app = create_app(settings, store=store)
        server = make_server(app, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, name="live_server", daemon=True)
        thread.start()
        try:
            yield LiveServer(url=url_of(server, "127.0.0.1"), store=store, backend=request.param)
        finally:
            server.close()
            thread.join(timeout=5)


# --- corpus: the real articles in ../shared/corpus, read at test time -------------------------

CORPUS = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_articles() -> list:
    """Paths of the real articles; skips where ../shared/corpus is absent (they are not ours to ship)."""
    folder = CORPUS / "articles"
    if not folder.is_dir():
        pytest.skip(f"the real articles are not here: {folder} is absent")
    return sorted(folder.glob("*.txt"))


@pytest.fixture(scope="session")
def corpus_gold() -> list:
    """The gold facts for the real articles, one dict per article."""
    path = CORPUS / "gold" / "articles.jsonl"
    if not path.is_file():
        pytest.skip(f"the gold facts are not here: {path} is absent")
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- memory_ingestor: an in-memory store with the reference data, and the ingest pipeline ----


@pytest.fixture
def memory_ingestor():
    """An Ingestor over a fresh in-memory store that already holds the ontology and reference data."""
    from kg.ingest import Ingestor

    store = EmbeddedStore.open(":memory:")
    ingestor = Ingestor(store, load_settings(store=":memory:"))
    ingestor.ensure_reference()
    return ingestor
